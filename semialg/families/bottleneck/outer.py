r"""Case (a), $n_2 = 1$: exact equivalence of $f = c\,\sigma(h) + d$ on the joint arrangement.

Equivalence enumerates the cells of the joint arrangement of both first layers
(:class:`~semialg.families.bottleneck.arrangement.NetworkArrangement`); on each cell $h$ and $h'$ are affine,
and the test needs only the sign range of an affine function on the cell. In the plane ($n_0 \le 2$) the
cells come from an exact sweep over the arrangement's vertices — no linear programs — with their vertices
and recession rays; for $n_0 \ge 3$ from the region enumeration of :mod:`semialg.engine.regions` with exact
LPs. The cost is polynomial for fixed $n_0$ ($O(N^3)$ for $N$ lines in the plane) but deciding equivalence
for $n_2 = 1$ is coNP-hard when $n_0$ is part of the input (reduction from the $\infty\to1$ norm), so no
algorithm polynomial in $n_0$ is expected.

>>> net = Network.random((2, 3, 1, 1), seed=4)
>>> r = equivalent_outer(net, net); bool(r), r.verify(net, net)
(True, True)
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

from flint import fmpq

from semialg.core.certificate import Certificate, EquivalenceResult, PointCertificate, Undecided, check_comparable
from semialg.core.exact import fingerprint, normalise_row
from semialg.core.network import Network
from semialg.errors import CertificateError, UndecidedError
from semialg.families.bottleneck.arrangement import NetworkArrangement
from semialg.families.bottleneck.views import OuterView, Vec, _ZERO, _first_nonzero, _scale
from semialg.geometry.arrangement import Affine, Cell, negate

__all__ = ["ArrangementCertificate", "equivalent_outer"]


def _proportional(A: Affine, B: Affine) -> fmpq | None:
    """$\\lambda$ with $B = \\lambda A$ as affine maps, or ``None``."""
    a = A[0] + (A[1],)
    b = B[0] + (B[1],)
    if not any(a):
        return None
    p = _first_nonzero(a)
    lam = b[p] / a[p]
    return lam if _scale(lam, a) == b else None


def _pieces(arr: NetworkArrangement, cell: Cell, A: Affine, B: Affine) -> list[tuple[int, int]]:
    """The sign pairs $(\\operatorname{sgn} A, \\operatorname{sgn} B)$ of the non-empty open pieces of the cell
    ($-1$ standing for $\\le 0$); LPs only when both change sign on the cell along different lines."""
    ta, tb = arr.range_sign(cell, A), arr.range_sign(cell, B)
    sa = [ta] if ta else [1, -1]
    sb = [tb] if tb else [1, -1]
    if ta or tb:
        return [(x, y) for x in sa for y in sb]
    lam = _proportional(A, B)
    if lam is not None:
        return [(1, 1), (-1, -1)] if lam > 0 else [(1, -1), (-1, 1)]
    return [(x, y) for x in (1, -1) for y in (1, -1)
            if arr.point_where(cell, [A if x > 0 else negate(A), B if y > 0 else negate(B)]) is not None]


def _piece_map(view: OuterView, A: Affine, on: int) -> tuple[tuple[Vec, ...], Vec]:
    """$c\\,[A > 0]\\,A + d$ as an affine map: (linear rows, offset)."""
    if on > 0:
        return tuple(_scale(c, A[0]) for c in view.c), tuple(c * A[1] + d for c, d in zip(view.c, view.d, strict=True))
    return tuple((_ZERO,) * len(A[0]) for _ in view.c), view.d


def _cell_verdict(arr, cell, views, A: Affine, B: Affine) -> tuple[bool, tuple | None]:
    """Whether $f_1 = f_2$ on the cell, where $h_1 = A$ and $h_2 = B$; if not, the piece and the two differing
    affine maps."""
    for x, y in _pieces(arr, cell, A, B):
        M1, M2 = _piece_map(views[0], A, x), _piece_map(views[1], B, y)
        if M1 != M2:
            return False, (A, B, x, y, M1, M2)
    return True, None


@dataclass(frozen=True)
class ArrangementCertificate(Certificate):
    r"""Two case-(a) networks agree on every cell of the joint arrangement of their first layers.

    ``lines`` are the normalised hyperplanes (inputs of dimension 1 embedded in the plane, plus possibly one
    auxiliary line), ``cells`` the sign vectors of all cells. ``verify`` re-checks independently: the lines
    are distinct normalised hyperplanes and every sign vector has one entry $\pm 1$ per line; every
    network hyperplane is listed; every cell is non-empty (exact LP) and distinct; their number is the
    number of cells of the arrangement (for lines, $1 + N + \sum_v (t_v - 1)$); and on every non-empty
    piece of every cell cut by $\{h = 0\}$ and $\{h' = 0\}$ (exact LPs) the two affine maps coincide.
    """

    SUPPORTS: ClassVar[frozenset] = frozenset({True})

    lines: tuple[Vec, ...]
    cells: tuple[tuple[int, ...], ...]

    def verify(self, net1: Network, net2: Network) -> bool:
        views = (OuterView.of(net1), OuterView.of(net2))
        check_comparable(net1, net2)
        arr = NetworkArrangement((net1, net2), with_cells=False)
        self._check_shape(arr.dim)
        if not {fingerprint(k) for k in arr.network_lines} <= \
                {fingerprint(k) for k in self.lines}:
            raise CertificateError("a first-layer hyperplane is missing from the arrangement")
        arr.lines = list(self.lines)
        arr.index = {fingerprint(k): i for i, k in enumerate(self.lines)}
        if len(set(self.cells)) != len(self.cells) or len(self.cells) != arr.face_count():
            raise CertificateError(f"{len(self.cells)} cells listed, the arrangement has {arr.face_count()}")
        data = [arr.neuron_data(v.inner) for v in views]
        cells = [Cell(signs) for signs in self.cells]  # no vertices: every range test below is an exact LP
        maps = [arr.affine_maps(d, cells) for d in data]
        for cell, A, B in zip(cells, *maps):
            point = arr.point_where(cell, ())
            if point is None:
                raise CertificateError(f"the cell with signs {cell.signs} is empty")
            ok, _ = _cell_verdict(arr, cell, views, A, B)
            if not ok:
                raise CertificateError(f"the networks differ on the cell containing {[str(t) for t in point]}")
        return True

    def _check_shape(self, dim: int) -> None:
        """Distinct normalised hyperplanes of $\\mathbb{Q}^{dim}$ and sign vectors of exactly $\\pm 1$ entries, one
        per line: the cell count is a count of distinct cells only then (a cell listed again with signs $-2$
        or $0$ would pad it)."""
        lines, cells = self.lines, self.cells
        if not isinstance(lines, tuple) or not isinstance(cells, tuple):
            raise CertificateError("the lines and cells must be tuples")
        for k in lines:
            if not isinstance(k, tuple) or len(k) != dim + 1 or not all(isinstance(x, fmpq) for x in k) \
                    or not any(k[:-1]) or normalise_row(k)[0] != k:
                raise CertificateError(f"{k!r} is not a normalised hyperplane of Q^{dim}")
        if len({fingerprint(k) for k in lines}) != len(lines):
            raise CertificateError("a hyperplane is listed twice")
        for signs in cells:
            if not isinstance(signs, tuple) or len(signs) != len(lines) or \
                    not all(type(x) is int and x in (1, -1) for x in signs):
                raise CertificateError(f"{signs!r} is not a sign vector of {len(lines)} entries +1 or -1")

    def describe(self) -> str:
        return (f"on each of the {len(self.cells)} cells of the joint arrangement of the {len(self.lines)} "
                f"first-layer hyperplanes, both networks compute the same piecewise affine map")


def equivalent_outer(net1: Network, net2: Network, deadline: float | None = None) -> EquivalenceResult:
    r"""Decide $f_{\theta_1} = f_{\theta_2}$ for two case-(a) parameters on the cells of the joint arrangement of
    their first layers: on each cell $h_1$, $h_2$ are affine and $f_1 = f_2$ is compared piece by piece
    (an :class:`ArrangementCertificate`, or a separating point). Past ``deadline`` (a :func:`time.monotonic`
    value) the answer is undecided, saying how far it got. Cost: the cells (the plane sweep, $O(N^3)$ for $N$
    lines; region enumeration with exact LPs for $n_0 \ge 3$) and at most two range tests per cell."""
    views = (OuterView.of(net1), OuterView.of(net2))
    method = "bottleneck (a): joint arrangement" + (" sweep" if net1.architecture.input_dim <= 2 else "")
    try:
        if deadline is not None and time.monotonic() > deadline:     # reading the rows takes seconds at 784-4096
            raise UndecidedError("the deadline passed before the first layers were read")
        arr = NetworkArrangement((net1, net2), deadline=deadline)
    except UndecidedError as spent:
        return EquivalenceResult(None, Undecided((f"the cells of the joint arrangement of the first layers: "
                                                  f"{spent}",)), method=method + " (budget spent)")
    data = [arr.neuron_data(v.inner) for v in views]
    maps = [arr.affine_maps(d, arr.cells) for d in data]
    for done, (cell, A, B) in enumerate(zip(arr.cells, *maps)):
        if deadline is not None and not cell.vertices and time.monotonic() > deadline:
            return EquivalenceResult(None, Undecided((f"f1 and f2 agree on {done} of the {len(arr.cells)} cells "
                                                      "of the joint arrangement of the first layers; the budget "
                                                      "was spent before the others",)),
                                     method=method + " (budget spent)")
        ok, why = _cell_verdict(arr, cell, views, A, B)
        if not ok:
            x = _separating_point(arr, cell, why)
            x = arr.project(x)
            return EquivalenceResult(False, PointCertificate(x, (net1(x), net2(x))), method=method)
    cert = ArrangementCertificate(tuple(arr.lines), tuple(c.signs for c in arr.cells))
    return EquivalenceResult(True, cert, method=method)


def _separating_point(arr: NetworkArrangement, cell: Cell, why) -> Vec:
    """A point of the piece where the two affine maps differ: inside the piece, off the hyperplane where the
    first differing output coordinate of the two maps agrees."""
    A, B, x, y, (L1, o1), (L2, o2) = why
    r = next(r for r in range(len(o1)) if (L1[r], o1[r]) != (L2[r], o2[r]))
    diff = (tuple(p - q for p, q in zip(L1[r], L2[r], strict=True)), o1[r] - o2[r])
    side = []
    for s, F in ((x, A), (y, B)):
        if arr.range_sign(cell, F) == 0:
            side.append(F if s > 0 else negate(F))
    for sgn in (1, -1):
        pt = arr.point_where(cell, side + [(_scale(fmpq(sgn), diff[0]), sgn * diff[1])])
        if pt is not None:
            return pt
    raise CertificateError("internal error: no separating point in a differing piece")

