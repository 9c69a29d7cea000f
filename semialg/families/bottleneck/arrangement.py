r"""Case (a): the joint arrangement of the first-layer hyperplanes of some bottleneck networks.

Built on :class:`semialg.geometry.arrangement.Arrangement` (which knows nothing of networks): this module
collects the distinct hyperplanes $H_i = \{w_i\cdot x + b_i = 0\}$, embeds inputs of dimension 1 in the plane,
gets the cells from the exact plane sweep (or, for $n_0 \ge 3$, from the region enumeration of
:mod:`semialg.engine.regions` with exact LPs), and evaluates the inner shallow network $h$ on every cell as
one affine map. It also decides whether a hyperplane meets $P = \{h > 0\}$ (:func:`visible`,
:func:`points_on_hyperplanes`).

>>> net = Network.random((2, 3, 1, 1), seed=0, height=3)
>>> arr = NetworkArrangement((net,)); len(arr.cells) == arr.face_count()
True
"""

from __future__ import annotations

import collections
import itertools
import time
from typing import Sequence

import numpy as np
from flint import fmpq

from semialg.core.exact import dot, fingerprint, integer_rows, normalise_row, rank, solve
from semialg.core.limbs import integer_product
from semialg.core.network import Network, relu
from semialg.engine import regions as pl
from semialg.errors import CertificateError, UndecidedError
from semialg.families.bottleneck.views import OuterView, Vec, _ONE, _ZERO, _decisive, _line_max, _scale, _vadd
from semialg.geometry.arrangement import Affine, Arrangement, Cell, negate
from semialg.geometry.simple_arrangement import simple_arrangement_cells

__all__ = ["NetworkArrangement", "h_on_cells", "visible", "points_on_hyperplanes", "sup_on_line", "extreme_values",
           "sup_value"]


class NetworkArrangement(Arrangement):
    r"""The arrangement of the distinct first-layer hyperplanes of some case-(a) networks, with its cells.

    Inputs of dimension 1 are embedded in the plane; when no two lines cross, ``auxiliary`` lines (the last
    ones) are added so that every cell of the plane has a vertex and the sweep applies. For $n_0 \ge 3$, past
    ``deadline`` (a :func:`time.monotonic` value) while the rows are normalised (784-4096: 7 s) or the cells
    enumerated, :class:`~semialg.errors.UndecidedError`; the plane sweep is exact and fast and does not stop.
    """

    def __init__(self, nets: Sequence[Network], with_cells: bool = True, deadline: float | None = None,
                 progress: bool | None = False):
        n0 = nets[0].architecture.input_dim
        super().__init__([], max(n0, 2))
        self.input_dim = n0
        index: dict = {}
        for net in nets:
            rows = len(net.weights[0])
            _stop_at(deadline, n0, 0, rows)     # before reading 784-4096 rows builds 3.2 million rationals (1 s)
            for i, (w, b) in enumerate(zip(net.weights[0], net.biases[0], strict=True)):
                if i % 256 == 255:
                    _stop_at(deadline, n0, i + 1, rows)
                if any(w):
                    key = normalise_row(self._embed(w) + (b,))[0]
                    if (f := fingerprint(key)) not in index:
                        index[f] = len(self.lines)
                        self.lines.append(key)
        self.index = index
        self.auxiliary = 0
        if self.dim == 2 and not self.has_vertex():
            # All lines parallel (or none): auxiliary lines across them give every cell a vertex.
            if not self.lines:
                self.lines.append((_ONE, _ZERO, _ZERO))
                self.auxiliary += 1
            a, b = self.lines[0][:2]
            self.lines.append(normalise_row((-b, a, _ZERO))[0])
            self.auxiliary += 1
        self.cells = (self.sweep() if self.dim == 2 else self._regions(deadline, progress)) if with_cells else []

    @property
    def network_lines(self) -> list[Vec]:
        """The hyperplanes of the networks (without the auxiliary ones)."""
        return self.lines[:len(self.lines) - self.auxiliary]

    def _embed(self, w: Vec) -> Vec:
        return tuple(w) + (_ZERO,) * (self.dim - len(w))

    def neuron_data(self, net: Network) -> tuple[list[tuple[int, int, fmpq, Vec, fmpq]], fmpq]:
        """For $h$ = ``net``'s inner shallow part: (line, orientation, $v_i$, $w_i$, $b_i$) per neuron with
        $w_i \\ne 0$, and the constant $e + \\sum_{w_i = 0} v_i\\sigma(b_i)$."""
        W1, b1 = net.weights[0], net.biases[0]
        v, e = net.weights[1][0], net.biases[1][0]
        rows, const = [], e
        for w, b, vi in zip(W1, b1, v, strict=True):
            if any(w):
                key, _, s = normalise_row(self._embed(w) + (b,))
                rows.append((self.index[fingerprint(key)], s, vi, self._embed(w), b))
            else:
                const += vi * relu(b)
        return rows, const

    def affine_maps(self, data, cells: Sequence[Cell]) -> list[Affine]:
        """$h$ on each cell: the sum of the active neurons' affine maps plus the constant.

        One exact integer matrix product (active-neuron mask times the neurons' affine maps over a common
        denominator) for all cells at once.
        """
        rows, const = data
        if not rows:
            return [((_ZERO,) * self.dim, const)] * len(cells)
        R, (den, *_) = integer_rows([_scale(vi, w) + (vi * b,) for _, _, vi, w, b in rows], common=True)
        lines = np.array([k for k, *_ in rows])
        orient = np.array([s for _, s, *_ in rows])
        signs = np.array([c.signs for c in cells], dtype=np.int64).reshape(len(cells), len(self.lines))
        mask = (signs[:, lines] * orient) > 0
        if R.dtype == object or len(rows) * int(np.abs(R).max()) >= 2 ** 62:   # big integers: exact BLAS on limbs
            total = integer_product(mask.astype(np.int64), R)
        else:
            total = (mask.astype(R.dtype) @ R).tolist()
        return [(tuple(fmpq(x, den) for x in t[:-1]), fmpq(t[-1], den) + const) for t in total]

    def h_ranges(self, view: OuterView, deadline: float | None = None) -> tuple[tuple, list[Affine], list[int]]:
        """For $h$ = ``view.inner``: :meth:`neuron_data`, $h$'s affine map on every cell (:meth:`affine_maps`) and
        its sign range there (:meth:`~semialg.geometry.arrangement.Arrangement.range_sign`); for $n_0 \\ge 3$
        (exact LPs) :class:`~semialg.errors.UndecidedError` past ``deadline`` (:func:`time.monotonic`)."""
        data = self.neuron_data(view.inner)
        maps = self.affine_maps(data, self.cells)
        ranges = []
        for cell, A in zip(self.cells, maps, strict=True):
            if deadline is not None and not cell.vertices and time.monotonic() > deadline:  # LPs, not vertex reads
                raise UndecidedError(f"the deadline passed at the sign of h on cell {len(ranges) + 1} of "
                                     f"{len(self.cells)}")
            ranges.append(self.range_sign(cell, A))
        return data, maps, ranges

    def _regions(self, deadline: float | None = None, progress: bool | None = False,
                 cached: bool = True) -> list[Cell]:
        """The cells: read off the vertices of a simple arrangement
        (:func:`~semialg.geometry.simple_arrangement.simple_arrangement_cells`, with their vertices and rays), else by
        region enumeration; past ``deadline`` (:func:`time.monotonic`)
        :class:`~semialg.errors.UndecidedError` says how many were found; ``progress`` as in
        :func:`~semialg.engine.regions.regions`. The cells of the last 8 line lists are kept: the two sides of an
        equivalence, their types and the replay of each move mostly share one first layer (5-15-1-1: three
        enumerations of 8 s each became one)."""
        if not self.lines:  # an all-zero first layer: one cell, the whole space
            return [Cell((), (_ZERO,) * self.dim)]
        key = tuple(self.lines)
        cells = _CELLS.pop(key, None) if cached else None
        simple = None if cells is not None else simple_arrangement_cells(
            [(line[:-1], line[-1]) for line in self.lines], deadline, faces=True)
        if simple is not None:      # generic first layers: read off the vertices, no LP (4-16: 19 s -> 1 s)
            cells = [Cell(signs, point, vertices, rays) for signs, point, _, vertices, rays in simple]
        if cells is None:
            line_net = Network((tuple(line[:-1] for line in self.lines), ((_ONE,) * len(self.lines),)),
                               (tuple(line[-1] for line in self.lines), (_ZERO,)))
            budget = None if deadline is None else max(0.0, deadline - time.monotonic())
            cells = [Cell(tuple(r.pattern[0]), r.point)
                     for r in pl.regions(line_net, progress=progress, budget=budget)]
        _CELLS[key] = cells
        if len(_CELLS) > 8:
            _CELLS.popitem(last=False)
        return list(cells)

    def face_count(self) -> int:
        """The number of cells, computed independently of the sweep; for $n_0 \\ge 3$ by region enumeration."""
        return super().face_count() if self.dim == 2 else len(self._regions(cached=False))

    def project(self, x: Vec) -> Vec:
        return x[:self.input_dim]


def _stop_at(deadline: float | None, n0: int, i: int, rows: int) -> None:
    """:class:`UndecidedError` when ``deadline`` has passed with ``i`` of the first layer's ``rows`` normalised
    (for $n_0 \\ge 3$, as the LPs of the cells; the plane sweep does not stop)."""
    if deadline is not None and n0 >= 3 and time.monotonic() > deadline:
        raise UndecidedError(f"the first layer's hyperplanes: the deadline passed after {i} of {rows} rows")


_BUILT: collections.OrderedDict = collections.OrderedDict()    # the last 8 arrangements, least recent first
_CELLS: collections.OrderedDict = collections.OrderedDict()    # the cells of the last 8 line lists, likewise


def arrangement_of(net: Network, deadline: float | None = None, progress: bool | None = False) -> NetworkArrangement:
    """The arrangement (with its cells) of the first layer of one case-(a) parameter, shared by the analyses of
    that parameter — its type, its cells' cones, its plateaus, its lines' suprema — which would otherwise build it
    again each (for 12-9-1-1, 0.65 s a time). Treat it as read-only. A construction stopped at ``deadline``
    (:class:`~semialg.errors.UndecidedError`) is not kept; ``progress`` as in :func:`~semialg.engine.regions.regions`."""
    arr = _BUILT.pop(net, None)
    if arr is None:
        arr = NetworkArrangement((net,), deadline=deadline, progress=progress)
    _BUILT[net] = arr
    if len(_BUILT) > 8:
        _BUILT.popitem(last=False)
    return arr


def h_on_cells(net: Network, deadline: float | None = None) -> tuple[NetworkArrangement, list, list[int],
                                                                      list[tuple[int, ...]]]:
    r"""Case (a): the first layer's arrangement (:func:`~.arrangement.arrangement_of`, kept per network), $h$'s
    affine map $A_C$ on each cell $C$, its sign range there ($-1$: $h \le 0$ on $C$; $+1$: $h \ge 0$ and not
    $\le 0$; $0$: both signs) and the activity pattern $([z_i > 0 \text{ on } C])_i$ of every first-layer neuron
    ($[b_i > 0]$ when $w_i = 0$; a pre-activation vanishing on $C$ counts as off). Past ``deadline``
    (:func:`time.monotonic`) :class:`~semialg.errors.UndecidedError`. Cost: the arrangement's cells and one sign
    range per cell (read off its vertices, else two exact LPs).

    >>> arr, maps, ranges, patterns = h_on_cells(Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1]]],
    ...                                                                [[0, 0], [-1], [0]]))
    >>> sorted(zip(patterns, ranges))       # h = s(x) + s(y) - 1: -1 on the third quadrant
    [((0, 0), -1), ((0, 1), 0), ((1, 0), 0), ((1, 1), 0)]
    """
    view = OuterView.of(net)
    arr = arrangement_of(net, deadline)
    data, maps, ranges = arr.h_ranges(view, deadline)
    at = dict(zip((i for i, w in enumerate(view.w) if any(w)), data[0]))     # neuron -> (line, orientation, ...)
    patterns = [tuple(int(at[i][1] * cell.signs[at[i][0]] > 0) if i in at else int(b > 0)
                      for i, b in enumerate(view.b)) for cell in arr.cells]
    return arr, maps, ranges, patterns


def sup_on_line(arr: NetworkArrangement, view: OuterView, k: int) -> fmpq | None:
    """$\\sup_{H_k} h$ in the plane (``None`` if unbounded): on the line $h$ is piecewise linear with kinks
    where the other lines cross it, so its decisive points decide it exactly. Cost: one batch of exact evaluations
    (:meth:`~semialg.core.network.Network.evaluate`) at $O(n_1)$ points."""
    u, beta = arr.lines[k][:-1], arr.lines[k][-1]
    x0 = _scale(-beta / dot(u, u), u)
    d = (-u[1], u[0])
    ts = [-arr.value(j, x0) / dot(o[:-1], d) for j, o in enumerate(arr.lines) if dot(o[:-1], d) != 0]
    return _line_max([y[0] for y in view.inner.evaluate([arr.project(_vadd(x0, d, t)) for t in _decisive(ts)])])


def visible(arr: NetworkArrangement, view: OuterView, k: int) -> bool:
    r"""Whether the hyperplane $H_k$ meets $P = \{h > 0\}$, i.e. $h > 0$ somewhere on $H_k$: in the plane from
    the kinks along the line, else from the facets on $H_k$ of the cells of ``arr``
    (:meth:`~semialg.geometry.arrangement.Arrangement.positive_hyperplanes`)."""
    if arr.dim == 2:
        top = sup_on_line(arr, view, k)
        return top is None or top > 0
    maps = arr.affine_maps(arr.neuron_data(view.inner), arr.cells)
    return k in arr.positive_hyperplanes(maps, candidates=(k,))


def points_on_hyperplanes(view: OuterView, deadline: float | None = None) -> tuple[Vec | None, ...]:
    r"""For each neuron $k$ of the inner network $h$, an exact point $x$ of $H_k = \{w_k\cdot x + b_k = 0\}$ with
    $h(x) > 0$, strictly inside a region of $h$ restricted to $H_k$ (so on no other neuron's hyperplane crossing
    it); ``None`` when $H_k$ misses $P$ or $w_k = 0$. Past ``deadline`` (a :func:`time.monotonic` value):
    :class:`~semialg.errors.UndecidedError`. Cost: the cells of the first layer's arrangement
    (:func:`arrangement_of`), one range test of $h$ per cell, and at most one exact LP per facet of a cell meeting
    $\overline P$ (:meth:`~semialg.geometry.arrangement.Arrangement.positive_hyperplanes`)."""
    arr = arrangement_of(view.inner, deadline)
    _, maps, ranges = arr.h_ranges(view, deadline)
    found = arr.positive_hyperplanes(maps, ranges, deadline=deadline)
    lines = [arr.index[fingerprint(normalise_row(arr._embed(w) + (b,))[0])] if any(w) else None
             for w, b in zip(view.w, view.b, strict=True)]
    return tuple(None if k not in found else arr.project(found[k]) for k in lines)


def extreme_values(view: OuterView, arr: NetworkArrangement | None = None) -> tuple[fmpq, fmpq | None]:
    r"""$(\min h, \sup h)$ of the inner network $h$ of a case-(a) parameter, for $h$ bounded below (e.g. in
    regime T); $\sup h$ = ``None`` when $h$ is unbounded above.

    $h$ depends on $x$ only through $W_1x$, and with $r = \operatorname{rank} W_1$ every closed cell of the
    first layer's arrangement is a pointed polyhedron plus $\ker W_1$, on which $h$ is affine: a bounded
    extremum is attained at a vertex, a point where $r$ independent hyperplanes meet. So both are the extreme
    values of $h$ over the solutions of the $r \times r$ subsystems; the bound above is then confirmed (or
    refuted: unbounded) on every cell exactly (:meth:`~semialg.geometry.arrangement.Arrangement.range_sign`).
    Cost: $\binom{n_1}{r}$ exact solves plus one range test per cell.
    """
    rows = [(w, b) for w, b in zip(view.w, view.b, strict=True) if any(w)]
    r = rank([w for w, _ in rows])
    if r == 0:    # h constant
        return (view.inner((_ZERO,) * len(view.w[0]))[0],) * 2
    values = []
    for S in itertools.combinations(rows, r):
        if rank([w for w, _ in S]) == r:
            values.append(view.inner(solve([w for w, _ in S], [-b for _, b in S]))[0])
    low, high = min(values), max(values)
    arr = NetworkArrangement((view.inner,)) if arr is None else arr
    maps = arr.affine_maps(arr.neuron_data(view.inner), arr.cells)
    if any(arr.range_sign(cell, negate((A[0], A[1] - low))) != -1 for cell, A in zip(arr.cells, maps, strict=True)):
        raise CertificateError("min h: a cell goes below the least vertex value (h is not bounded below)")
    bounded = all(arr.range_sign(cell, (A[0], A[1] - high)) == -1 for cell, A in zip(arr.cells, maps, strict=True))
    return low, high if bounded else None


def sup_value(view: OuterView) -> fmpq | None:
    r"""$\sup h$ of the inner network of a case-(a) parameter (bounded below or not), ``None`` when $h$ is
    unbounded above: as in :func:`extreme_values`, the largest value at a vertex ($r = \operatorname{rank} W_1$
    independent hyperplanes meeting), confirmed on every cell exactly. Cost: $\binom{n_1}{r}$ exact solves plus
    one range test per cell."""
    rows = [(w, b) for w, b in zip(view.w, view.b, strict=True) if any(w)]
    r = rank([w for w, _ in rows])
    if r == 0:
        return view.inner((_ZERO,) * len(view.w[0]))[0]
    high = max(view.inner(solve([w for w, _ in S], [-b for _, b in S]))[0]
               for S in itertools.combinations(rows, r) if rank([w for w, _ in S]) == r)
    arr = NetworkArrangement((view.inner,))
    maps = arr.affine_maps(arr.neuron_data(view.inner), arr.cells)
    return high if all(arr.range_sign(cell, (A[0], A[1] - high)) == -1
                       for cell, A in zip(arr.cells, maps, strict=True)) else None
