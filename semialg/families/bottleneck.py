r"""Three-layer bottleneck networks: a hidden layer of width one (``shared/math/three_layer.md``).

$f(x) = A_3\sigma(A_2\sigma(A_1x + b_1) + b_2) + b_3$ with widths $(n_0, n_1, n_2, n_3)$ and $n_1 = 1$
(case (b)) or $n_2 = 1$ (case (a)).

**Case (b)**, $n_1 = 1$: $f(x) = F(w\cdot x + b)$ with $F(z) = G(\sigma(z))$,
$G(t) = \sum_j c_j\sigma(v_jt + e_j) + d$, a ridge function. Writing $w = s\mu u$ (first non-zero entry of
$u$ equal to $1$, $\mu > 0$), $f(x) = \varphi(u\cdot x)$ for a one-dimensional piecewise linear profile
$\varphi$ whose breakpoints, slope jumps, left slope and value at $0$ are a complete invariant
(:func:`ridge_profile`). Equivalence is exact in $O(n_2\log n_2 + n_0 + n_2n_3)$.

**Case (a)**, $n_2 = 1$: $f(x) = c\,\sigma(h(x)) + d$ with $h$ a shallow network. Equivalence enumerates the
cells of the joint arrangement of both first layers; on each cell $h$ and $h'$ are affine, and the test
needs only the sign range of an affine function on the cell. In the plane ($n_0 \le 2$) the cells come
from an exact sweep over the arrangement's vertices — no linear programs — with their vertices and
recession rays; for $n_0 \ge 3$ from the region enumeration of :mod:`semialg.engine.regions` with exact LPs. The
cost is polynomial for fixed $n_0$ ($O(N^3)$ for $N$ lines in the plane) but deciding equivalence for
$n_2 = 1$ is coNP-hard when $n_0$ is part of the input (reduction from the $\infty\to1$ norm), so no
algorithm polynomial in $n_0$ is expected.

>>> net = Network.from_arrays([[[1, 1]], [[1], [2]], [[1, -2]]], [[0], [-1, -6], [0]])   # hidden H
>>> moved = Network.from_arrays([[[1, 1]], [[1], [2]], [[1, -2]]], [["1/2"], ["-3/2", -7], [0]])
>>> r = equivalent(net, moved); bool(r), r.verify(net, moved)
(True, True)
>>> combinatorial_type(net).regime
'hidden'
"""

from __future__ import annotations

import functools
import itertools
import math
import random as _random
from dataclasses import dataclass, field
from typing import ClassVar, Sequence

import numpy as np
import sympy
from flint import fmpq

from semialg.core.mechanism import Mechanism
from semialg.core.result import Latexable
from semialg.families.base import Family, register
from semialg.core.certificate import (Certificate, EquivalenceResult, PointCertificate, check_comparable,
                                      separating_point)
from semialg.errors import ArchitectureError, CertificateError
from semialg.core.exact import dot, fingerprint, integer_rows, normalise_row, nullspace, solve, to_fmpq
from semialg.core.network import Architecture, Network, relu
from semialg.engine.loci import Condition, Locus, LocusFamily, genericity
from semialg.geometry.polyhedron import decide
from semialg.geometry.semialgebraic import BasicSet, Union
from semialg.core.symmetry import GroupElement

__all__ = [
    "bottleneck_case", "RidgeView", "OuterView", "RidgeProfile", "ridge_profile", "RidgeCertificate",
    "ArrangementCertificate", "BottleneckType", "combinatorial_type", "equivalent", "BottleneckMove",
    "hidden_symmetries", "fibre_dimension", "fibre", "BottleneckFibre", "genericity_checks", "type_checks",
    "translate_hidden_hyperplane", "flip_kink", "trade_affine_block", "reflect", "replace_neuron",
]

_ZERO = fmpq(0)
_ONE = fmpq(1)
Vec = tuple[fmpq, ...]


def bottleneck_case(net: Network) -> str | None:
    """``"b"`` if ``net`` has two hidden layers and the first has width 1, ``"a"`` if the second has width 1
    (and the first does not), else ``None``. Case (b) wins when both have width 1: its 1-D calculus is
    complete and linear-time."""
    if net.depth != 3:
        return None
    n1, n2 = net.widths[1], net.widths[2]
    return "b" if n1 == 1 else "a" if n2 == 1 else None


def _require(net: Network, case: str) -> None:
    if bottleneck_case(net) != case:
        what = "(n0, 1, n2, n3)" if case == "b" else "(n0, n1, 1, n3)"
        raise ArchitectureError(f"expected a bottleneck network of case ({case}) with widths {what}, "
                                f"got {net.architecture}")


def _vadd(u: Sequence[fmpq], v: Sequence[fmpq], t: fmpq = _ONE) -> Vec:
    return tuple(x + t * y for x, y in zip(u, v))


def _scale(t: fmpq, u: Sequence[fmpq]) -> Vec:
    return tuple(t * x for x in u)


def _sign(x: fmpq) -> int:
    return (x > 0) - (x < 0)


# == case (b): n1 = 1 =====================================================================================

@dataclass(frozen=True)
class RidgeView:
    r"""Case (b) parameters $(w, b, v, e, c, d)$: $f(x) = \sum_j c_j\sigma(v_j\sigma(w\cdot x + b) + e_j) + d$."""

    w: Vec
    b: fmpq
    v: Vec
    e: Vec
    c: tuple[Vec, ...]
    d: Vec

    @classmethod
    def of(cls, net: Network) -> "RidgeView":
        _require(net, "b")
        (W1, W2, W3), (b1, b2, b3) = net.weights, net.biases
        n2 = len(W2)
        return cls(W1[0], b1[0], tuple(r[0] for r in W2), b2,
                   tuple(tuple(r[j] for r in W3) for j in range(n2)), b3)

    def network(self) -> Network:
        n2 = len(self.v)
        W3 = tuple(tuple(self.c[j][r] for j in range(n2)) for r in range(len(self.d)))
        return Network((( self.w,), tuple((x,) for x in self.v), W3), ((self.b,), self.e, self.d))

    def classes(self) -> tuple[str, ...]:
        """The class of each second-layer neuron on $t > 0$: ``A``, ``K+``, ``K-`` or ``Z``."""
        return tuple(_ridge_class(v, e) for v, e in zip(self.v, self.e))


def _ridge_class(v: fmpq, e: fmpq) -> str:
    """A: active on all of $t > 0$; K+/K-: switches on/off at $\\tau = -e/v > 0$; Z: dead on $t > 0$."""
    if v > 0:
        return "A" if e >= 0 else "K+"
    if v < 0:
        return "K-" if e > 0 else "Z"
    return "A" if e > 0 else "Z"


def _slope_at_zero(view: RidgeView) -> Vec:
    r"""$G'(0^+) = \sum_{j \in A \cup K^-} c_jv_j$."""
    out = (_ZERO,) * len(view.d)
    for cls, v, c in zip(view.classes(), view.v, view.c):
        if cls in ("A", "K-"):
            out = _vadd(out, c, v)
    return out


def _slope_at_infinity(view: RidgeView) -> Vec:
    r"""$G'(+\infty) = \sum_{v_j > 0} c_jv_j$."""
    out = (_ZERO,) * len(view.d)
    for v, c in zip(view.v, view.c):
        if v > 0:
            out = _vadd(out, c, v)
    return out


@dataclass(frozen=True)
class RidgeProfile(Latexable):
    r"""$f(x) = \varphi(u\cdot x)$: ``direction`` $u$ (``None`` when $f$ is constant), the breakpoints
    $(y_k, \Delta_k)$ of $\varphi$ with non-zero slope jumps, the slope as $y \to -\infty$, and $\varphi(0)$.

    Two case-(b) networks compute the same function iff their profiles are equal.
    """

    direction: Vec | None
    breakpoints: tuple[tuple[fmpq, Vec], ...]
    left_slope: Vec
    value_at_zero: Vec

    def __call__(self, y) -> Vec:
        """$\\varphi(y) = \\varphi(0) + sy + \\sum_k \\Delta_k(\\sigma(y - y_k) - \\sigma(-y_k))$, exactly."""
        y = fmpq(y)
        out = _vadd(self.value_at_zero, self.left_slope, y)
        for yk, jump in self.breakpoints:
            out = _vadd(out, jump, relu(y - yk) - relu(-yk))
        return out

    @property
    def is_constant(self) -> bool:
        return self.direction is None


def ridge_profile(net: Network) -> RidgeProfile:
    r"""The complete invariant of a case-(b) network: its direction and 1-D breakpoint profile.

    $F$ is constant for $z \le 0$, kinks at $z = 0$ with jump $G'(0^+)$ and at $\tau_j = -e_j/v_j > 0$ with
    jump $c_j|v_j|$; in $y = u\cdot x$ (so $z = s\mu y + b$) the breakpoints are $(z - b)/(s\mu)$ and every jump
    is multiplied by $\mu$. Coincident breakpoints are merged and zero jumps dropped. Cost:
    $O(n_2\log n_2 + n_0 + n_2n_3)$.

    >>> net = Network.from_arrays([[[2, 0]], [[1]], [[3]]], [[-2], [0], [0]])    # 3 s(s(2x - 2))
    >>> P = ridge_profile(net); P.direction, P.breakpoints
    ((1, 0), ((1, (6,)),))
    """
    view = RidgeView.of(net)
    zero_input = (_ZERO,) * len(view.w)
    key, mu, s = normalise_row(view.w)
    k = len(view.d)
    if s == 0:
        return RidgeProfile(None, (), (_ZERO,) * k, net(zero_input))
    jumps: dict = {}

    def add(z: fmpq, jump: Vec) -> None:
        y = (z - view.b) / (s * mu)
        fp = fingerprint((y,))
        old = jumps.get(fp, (y, (_ZERO,) * k))
        jumps[fp] = (y, _vadd(old[1], jump, mu))

    add(_ZERO, _slope_at_zero(view))
    for cls, v, e, c in zip(view.classes(), view.v, view.e, view.c):
        if cls in ("K+", "K-"):
            add(-e / v, _scale(abs(v), c))
    bps = tuple(sorted(((y, j) for y, j in jumps.values() if any(j)), key=lambda t: t[0]))
    left = (_ZERO,) * k if s > 0 else _scale(-mu, _slope_at_infinity(view))
    if not bps:
        return RidgeProfile(None, (), (_ZERO,) * k, net(zero_input))
    return RidgeProfile(key, bps, left, net(zero_input))


def _decisive(ys: Sequence[fmpq]) -> list[fmpq]:
    """Points on which two piecewise linear functions with breakpoints in ``ys`` agree only if equal:
    every breakpoint and one point beyond each end."""
    ys = sorted(set(ys))
    if not ys:
        return [_ZERO, _ONE]
    return [ys[0] - 1] + ys + [ys[-1] + 1]


def _line_kinks(view: RidgeView, p: int) -> list[fmpq]:
    """Every $y$ where $t \\mapsto f(t e_p)$ can bend, from the raw parameters: $z = 0$ and $z = -e_j/v_j$."""
    wp = view.w[p]
    if wp == 0:
        return []
    zs = [_ZERO] + [-e / v for v, e in zip(view.v, view.e) if v != 0]
    return [(z - view.b) / wp for z in zs]


def _line_max(values: Sequence[fmpq]) -> fmpq | None:
    """The supremum of a piecewise linear function of one variable from its values at :func:`_decisive`
    points, or ``None`` when it is unbounded (it increases beyond an end)."""
    if values[-1] > values[-2] or values[0] > values[1]:
        return None
    return max(values)


def _unit(n: int, p: int, t: fmpq = _ONE) -> Vec:
    return tuple(t if i == p else _ZERO for i in range(n))


def _first_nonzero(u: Sequence[fmpq]) -> int:
    return next(i for i, x in enumerate(u) if x != 0)


def _is_constant(net: Network, limit: int) -> bool:
    """Whether a case-(b) network is constant: by exact evaluation at the decisive points of its line, or by
    its profile when that would take more than ``limit`` neuron evaluations."""
    view = RidgeView.of(net)
    if not any(view.w):
        return True
    p = _first_nonzero(view.w)
    ys = _decisive(_line_kinks(view, p))
    if len(ys) * len(view.v) > limit:
        return ridge_profile(net).is_constant
    return len({fingerprint(net(_unit(len(view.w), p, y))) for y in ys}) == 1


@dataclass(frozen=True)
class RidgeCertificate(Certificate):
    r"""Both case-(b) networks are ridge functions $\varphi_i(u\cdot x)$ in the same ``direction`` $u$ with the
    same profile (or both constant when ``direction`` is ``None``).

    ``verify`` checks that each first-layer row is zero or parallel to $u$, then evaluates both networks
    exactly on the line $\mathbb{R}e_p$ ($u_p = 1$) at every candidate breakpoint recomputed from the raw
    parameters and one point beyond each end — two piecewise linear functions of one variable that agree
    there agree everywhere. This does not use the profile code but costs $O(n_2^2(n_0 + n_3))$; above
    ``EVALUATION_LIMIT`` evaluations it recomputes both profiles instead ($O(n_2\log n_2)$) and evaluates the
    networks at 64 of the candidate points.
    """

    SUPPORTS: ClassVar[frozenset] = frozenset({True})

    direction: Vec | None

    EVALUATION_LIMIT = 10 ** 7

    def verify(self, net1: Network, net2: Network) -> bool:
        views = (RidgeView.of(net1), RidgeView.of(net2))
        check_comparable(net1, net2)
        n0 = len(views[0].w)
        if self.direction is None:
            for i, net in enumerate((net1, net2), start=1):
                if not _is_constant(net, self.EVALUATION_LIMIT):
                    raise CertificateError(f"network {i} is not constant")
            if net1((_ZERO,) * n0) != net2((_ZERO,) * n0):
                raise CertificateError("the two constants differ")
            return True
        u = self.direction
        for i, view in enumerate(views, start=1):
            if any(view.w) and normalise_row(view.w)[0] != u:
                raise CertificateError(f"the first-layer row of network {i} is not parallel to {u}")
        p = _first_nonzero(u)
        ys = _decisive(_line_kinks(views[0], p) + _line_kinks(views[1], p))
        if len(ys) * (len(views[0].v) + len(views[1].v)) > self.EVALUATION_LIMIT:
            if ridge_profile(net1) != ridge_profile(net2):
                raise CertificateError("the recomputed profiles differ")
            ys = [ys[k * (len(ys) - 1) // 63] for k in range(64)]
        for y in ys:
            x = _unit(n0, p, y)
            if net1(x) != net2(x):
                raise CertificateError(f"the networks differ at {[str(t) for t in x]}")
        return True

    def describe(self) -> str:
        if self.direction is None:
            return "both networks are constant with the same value"
        return (f"both networks are ridge functions of u.x with u = ({', '.join(map(str, self.direction))}) "
                f"and the same one-dimensional breakpoint profile")


def _first_difference(P1: RidgeProfile, P2: RidgeProfile) -> fmpq:
    """A $y$ with $\\varphi_1(y) \\ne \\varphi_2(y)$, by one left-to-right pass over the merged breakpoints:
    $\\varphi_1 - \\varphi_2$ is tracked by its value and slope, so the pass costs $O(n\\log n)$."""
    jumps: dict = {}
    for sign, P in ((1, P1), (-1, P2)):
        for y, jump in P.breakpoints:
            fp = fingerprint((y,))
            old = jumps.get(fp, (y, (_ZERO,) * len(jump)))
            jumps[fp] = (y, _vadd(old[1], jump, fmpq(sign)))
    points = sorted(jumps.values(), key=lambda t: t[0])
    ys = _decisive([y for y, _ in points])
    y = ys[0]
    value = _vadd(P1(y), P2(y), fmpq(-1))
    slope = _vadd(P1.left_slope, P2.left_slope, fmpq(-1))
    for y_next, jump in points + [(ys[-1], None)]:
        if any(value):
            return y
        value = _vadd(value, slope, y_next - y)
        y = y_next
        if jump is not None:
            slope = _vadd(slope, jump)
    if any(value):
        return y
    raise CertificateError("internal error: the profiles agree everywhere")


def _ridge_point(net1: Network, net2: Network, P1: RidgeProfile, P2: RidgeProfile) -> PointCertificate:
    """A rational input separating two case-(b) networks with different profiles (constructed, not searched)."""
    n0 = net1.architecture.input_dim
    if P1.direction == P2.direction:
        if P1.direction is None:
            candidates = [(_ZERO,) * n0]
        else:
            candidates = [_unit(n0, _first_nonzero(P1.direction), _first_difference(P1, P2))]
    else:
        # One of them, say phi, is not constant: take y1, y2 with phi(y1) != phi(y2) and inputs x1, x2 with
        # u.x = y1, y2 but the same value of the other network (constant, or u'.x1 = u'.x2).
        P, Q = (P1, P2) if P1.direction is not None else (P2, P1)
        u = P.direction
        p = _first_nonzero(u)
        y1 = P.breakpoints[0][0] - 1
        flat = RidgeProfile(u, (), (_ZERO,) * len(P.left_slope), P(y1))
        y2 = _first_difference(P, flat)
        x1 = _unit(n0, p, y1)
        if Q.direction is None:
            x2 = _unit(n0, p, y2)
        else:
            x2 = _vadd(x1, solve([list(u), list(Q.direction)], [y2 - y1, _ZERO]))
        candidates = [x1, x2]
    return separating_point(net1, net2, candidates)


def _equivalent_b(net1: Network, net2: Network) -> EquivalenceResult:
    P1, P2 = ridge_profile(net1), ridge_profile(net2)
    if P1 == P2:
        return EquivalenceResult(True, RidgeCertificate(P1.direction), method="bottleneck (b): 1-D profile")
    return EquivalenceResult(False, _ridge_point(net1, net2, P1, P2), method="bottleneck (b): 1-D profile")


# == case (a): n2 = 1 =====================================================================================

@dataclass(frozen=True)
class OuterView:
    r"""Case (a): $f = c\,\sigma(h) + d$ with ``inner`` the shallow network $h$ of widths $(n_0, n_1, 1)$."""

    inner: Network
    c: Vec
    d: Vec

    @classmethod
    def of(cls, net: Network) -> "OuterView":
        _require(net, "a")
        (W1, W2, W3), (b1, b2, b3) = net.weights, net.biases
        return cls(Network((W1, W2), (b1, b2)), tuple(r[0] for r in W3), b3)

    @property
    def w(self) -> tuple[Vec, ...]:
        return self.inner.weights[0]

    @property
    def b(self) -> Vec:
        return self.inner.biases[0]

    @property
    def v(self) -> Vec:
        return self.inner.weights[1][0]

    @property
    def e(self) -> fmpq:
        return self.inner.biases[1][0]


Affine = tuple[Vec, fmpq]  # (linear part, constant)


def _evaluate(A: Affine, x: Sequence[fmpq]) -> fmpq:
    return dot(A[0], x) + A[1]


@dataclass(frozen=True)
class _Cell:
    """An open cell of a hyperplane arrangement: sign vector, interior point, and (in the plane) its vertices
    and extreme recession rays, so that $\\max_C \\ell$ of an affine $\\ell$ is read off without an LP."""

    signs: tuple[int, ...]
    point: Vec | None = None
    vertices: tuple[Vec, ...] = ()
    rays: tuple[Vec, ...] = ()


class _Arrangement:
    """The arrangement of the distinct first-layer hyperplanes of some case-(a) networks, with its cells.

    Inputs of dimension 1 are embedded in the plane; in the plane the cells come from :meth:`_sweep`,
    otherwise from :func:`semialg.engine.regions.regions` of a network with one neuron per hyperplane.
    """

    def __init__(self, nets: Sequence[Network], with_cells: bool = True):
        n0 = nets[0].architecture.input_dim
        self.input_dim = n0
        self.dim = max(n0, 2)
        index: dict = {}
        self.lines: list[Vec] = []
        for net in nets:
            for w, b in zip(net.weights[0], net.biases[0]):
                if any(w):
                    key = normalise_row(self._embed(w) + (b,))[0]
                    if fingerprint(key) not in index:
                        index[fingerprint(key)] = len(self.lines)
                        self.lines.append(key)
        self.index = index
        self.auxiliary = 0
        if self.dim == 2 and not self._has_vertex():
            # All lines parallel (or none): auxiliary lines across them give every cell a vertex.
            if not self.lines:
                self.lines.append((_ONE, _ZERO, _ZERO))
                self.auxiliary += 1
            a, b = self.lines[0][:2]
            self.lines.append(normalise_row((-b, a, _ZERO))[0])
            self.auxiliary += 1
        self.cells = (self._sweep() if self.dim == 2 else self._regions()) if with_cells else []

    def _embed(self, w: Vec) -> Vec:
        return tuple(w) + (_ZERO,) * (self.dim - len(w))

    def _has_vertex(self) -> bool:
        return any(l1[0] * l2[1] - l1[1] * l2[0] != 0 for l1, l2 in itertools.combinations(self.lines, 2))

    def value(self, k: int, x: Sequence[fmpq]) -> fmpq:
        line = self.lines[k]
        return dot(line[:-1], x) + line[-1]

    def neuron_data(self, net: Network) -> tuple[list[tuple[int, int, fmpq, Vec, fmpq]], fmpq]:
        """For $h$ = ``net``'s inner shallow part: (line, orientation, $v_i$, $w_i$, $b_i$) per neuron with
        $w_i \\ne 0$, and the constant $e + \\sum_{w_i = 0} v_i\\sigma(b_i)$."""
        W1, b1 = net.weights[0], net.biases[0]
        v, e = net.weights[1][0], net.biases[1][0]
        rows, const = [], e
        for w, b, vi in zip(W1, b1, v):
            if any(w):
                key, _, s = normalise_row(self._embed(w) + (b,))
                rows.append((self.index[fingerprint(key)], s, vi, self._embed(w), b))
            else:
                const += vi * relu(b)
        return rows, const

    def affine_maps(self, data, cells: Sequence[_Cell]) -> list[Affine]:
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
        if R.dtype == object or len(rows) * int(np.abs(R).max()) >= 2 ** 62:
            mask = mask.astype(object)
            R = R.astype(object)
        total = mask.astype(R.dtype) @ R
        return [(tuple(fmpq(int(x), den) for x in t[:-1]), fmpq(int(t[-1]), den) + const) for t in total]

    # -- cells ----------------------------------------------------------------------------------

    def inequalities(self, cell: _Cell) -> tuple[list[Vec], list[fmpq]]:
        G = [_scale(fmpq(s), line[:-1]) for s, line in zip(cell.signs, self.lines)]
        h = [s * line[-1] for s, line in zip(cell.signs, self.lines)]
        return G, h

    def range_sign(self, cell: _Cell, A: Affine) -> int:
        """$-1$ if $A \\le 0$ on the cell, $+1$ if $A \\ge 0$ there (and not $\\le 0$), $0$ if it takes both signs.

        From the cell's vertices and extreme rays when known ($\\max_C A$ is attained there), else two exact LPs.
        """
        if cell.vertices:
            vals = [_evaluate(A, v) for v in cell.vertices] + [dot(A[0], r) for r in cell.rays]
            if all(x <= 0 for x in vals):
                return -1
            return 1 if all(x >= 0 for x in vals) else 0
        G, h = self.inequalities(cell)
        pos = decide(G + [A[0]], h + [A[1]], self.dim)
        if not pos:
            return -1
        neg = decide(G + [_scale(fmpq(-1), A[0])], h + [-A[1]], self.dim)
        return 0 if neg else 1

    def point_where(self, cell: _Cell, strict: Sequence[Affine]) -> Vec | None:
        """An exact point of the cell where every affine map in ``strict`` is positive, or ``None``."""
        G, h = self.inequalities(cell)
        r = decide(G + [A[0] for A in strict], h + [A[1] for A in strict], self.dim)
        return r.point if r else None

    def interior_point(self, cell: _Cell) -> Vec:
        """A rational point of the open cell: the mean of its vertices plus the sum of its extreme rays (an
        interior point of a 2-D pointed polyhedron), checked exactly, else an exact LP."""
        if cell.point is not None:
            return cell.point
        if cell.vertices:
            n = fmpq(len(cell.vertices))
            x = tuple(sum((v[i] for v in cell.vertices), _ZERO) / n + sum((r[i] for r in cell.rays), 0)
                      for i in range(2))
            if all(_sign(self.value(k, x)) == s for k, s in enumerate(cell.signs)):
                return x
        return self.point_where(cell, ())

    def _sweep(self) -> list[_Cell]:
        """Cells of a line arrangement in the plane from its vertices: no linear programs.

        Around a vertex $v$ on the lines $T$ the $2|T|$ sectors are cells; a cell's sign on a line of $T$ is the
        sign at the bisector of its sector, on the other lines it is the sign at $v$. Every cell of an
        arrangement with two non-parallel lines has a vertex, so this finds all cells, each with all its
        vertices. Its extreme rays are the line directions $r$ it contains at infinity: the cells at infinity
        in direction $r$ are the gaps between the lines parallel to $r$. Exact integer arithmetic (vertices in
        homogeneous coordinates); cost $O(N^3)$ for $N$ lines.
        """
        lines, N = self.lines, len(self.lines)
        L, _ = integer_rows(lines, max_bits=19)  # |coef| < 2^19 keeps 6 |coef|^3 below 2^63
        Lp = [tuple(int(x) for x in row) for row in L]
        vertices: dict = {}
        for k, l in itertools.combinations(range(N), 2):
            (a1, b1, c1), (a2, b2, c2) = Lp[k], Lp[l]
            Z = a1 * b2 - a2 * b1
            if Z:
                X, Y = b1 * c2 - b2 * c1, a2 * c1 - a1 * c2
                g = math.gcd(X, Y, Z) * (1 if Z > 0 else -1)
                vertices.setdefault((X // g, Y // g, Z // g), set()).update((k, l))
        keys = list(vertices)
        H = np.array(keys, dtype=L.dtype).reshape(len(keys), 3)
        values = L @ H.T                                   # N x V: line j at vertex v, times Z_v > 0
        base_signs = (values > 0).astype(np.int8) - (values < 0).astype(np.int8)
        found: dict = {}
        for col, key in enumerate(keys):
            through = vertices[key]
            point = (fmpq(key[0], key[2]), fmpq(key[1], key[2]))
            dirs = sorted(((-Lp[k][1] * t, Lp[k][0] * t) for k in through for t in (1, -1)),
                          key=functools.cmp_to_key(_angle_order))
            for r1, r2 in zip(dirs, dirs[1:] + dirs[:1]):
                r = (r1[0] + r2[0], r1[1] + r2[1])
                signs = base_signs[:, col].copy()
                for k in through:
                    signs[k] = _sign_int(Lp[k][0] * r[0] + Lp[k][1] * r[1])
                found.setdefault(signs.tobytes(), (signs, [], []))[1].append(point)
        normals: dict = {}
        for k, line in enumerate(lines):
            normals.setdefault(fingerprint(line[:2]), []).append(k)
        for group in normals.values():
            a, b = Lp[group[0]][:2]
            offsets = sorted(group, key=lambda k: -lines[k][2])  # line k is positive where a.x > -c_k
            for r in ((-b, a), (b, -a)):
                along = L[:, 0] * r[0] + L[:, 1] * r[1]
                base = (along > 0).astype(np.int8) - (along < 0).astype(np.int8)
                for gap in range(len(offsets) + 1):
                    signs = base.copy()
                    for pos, k in enumerate(offsets):
                        signs[k] = 1 if pos < gap else -1
                    found[signs.tobytes()][2].append(r)
        return [_Cell(tuple(int(x) for x in signs), None, tuple(verts), tuple(rays))
                for signs, verts, rays in found.values()]

    def _regions(self) -> list[_Cell]:
        from semialg.engine import regions as pl
        line_net = Network((tuple(line[:-1] for line in self.lines), ((_ONE,) * len(self.lines),)),
                           (tuple(line[-1] for line in self.lines), (_ZERO,)))
        return [_Cell(tuple(r.pattern[0]), r.point) for r in pl.regions(line_net)]

    def face_count(self) -> int:
        """The number of cells of a line arrangement, $1 + N + \\sum_v (t_v - 1)$ ($t_v$ lines through vertex
        $v$), computed independently of the sweep; for $n_0 \\ge 3$ by region enumeration."""
        if self.dim != 2:
            return len(self._regions())
        through: dict = {}
        for k, l in itertools.combinations(range(len(self.lines)), 2):
            A = [list(self.lines[k][:2]), list(self.lines[l][:2])]
            if A[0][0] * A[1][1] - A[0][1] * A[1][0] != 0:
                v = solve(A, [-self.lines[k][2], -self.lines[l][2]])
                through.setdefault(fingerprint(v), set()).update((k, l))
        return 1 + len(self.lines) + sum(len(t) - 1 for t in through.values())

    def project(self, x: Vec) -> Vec:
        return x[:self.input_dim]


def _sign_int(x: int) -> int:
    return (x > 0) - (x < 0)


def _angle_order(p: Vec, q: Vec) -> int:
    """Counter-clockwise order of non-zero plane vectors, starting at the positive $x$-axis."""
    hp = 0 if (p[1] > 0 or (p[1] == 0 and p[0] > 0)) else 1
    hq = 0 if (q[1] > 0 or (q[1] == 0 and q[0] > 0)) else 1
    if hp != hq:
        return hp - hq
    cross = p[0] * q[1] - p[1] * q[0]
    return -_sign(cross)


def _proportional(A: Affine, B: Affine) -> fmpq | None:
    """$\\lambda$ with $B = \\lambda A$ as affine maps, or ``None``."""
    a = A[0] + (A[1],)
    b = B[0] + (B[1],)
    if not any(a):
        return None
    p = _first_nonzero(a)
    lam = b[p] / a[p]
    return lam if _scale(lam, a) == b else None


def _pieces(arr: _Arrangement, cell: _Cell, A: Affine, B: Affine) -> list[tuple[int, int]]:
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
    neg = lambda F: (_scale(fmpq(-1), F[0]), -F[1])  # noqa: E731
    return [(x, y) for x in (1, -1) for y in (1, -1)
            if arr.point_where(cell, [A if x > 0 else neg(A), B if y > 0 else neg(B)]) is not None]


def _piece_map(view: OuterView, A: Affine, on: int) -> tuple[tuple[Vec, ...], Vec]:
    """$c\\,[A > 0]\\,A + d$ as an affine map: (linear rows, offset)."""
    if on > 0:
        return tuple(_scale(c, A[0]) for c in view.c), tuple(c * A[1] + d for c, d in zip(view.c, view.d))
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
    auxiliary line), ``cells`` the sign vectors of all cells. ``verify`` re-checks independently: every
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
        arr = _Arrangement((net1, net2), with_cells=False)
        if not {fingerprint(k) for k in arr.lines[:len(arr.lines) - arr.auxiliary]} <= \
                {fingerprint(k) for k in self.lines}:
            raise CertificateError("a first-layer hyperplane is missing from the arrangement")
        arr.lines = list(self.lines)
        arr.index = {fingerprint(k): i for i, k in enumerate(self.lines)}
        if len(set(self.cells)) != len(self.cells) or len(self.cells) != arr.face_count():
            raise CertificateError(f"{len(self.cells)} cells listed, the arrangement has {arr.face_count()}")
        data = [arr.neuron_data(v.inner) for v in views]
        cells = [_Cell(signs) for signs in self.cells]  # no vertices: every range test below is an exact LP
        maps = [arr.affine_maps(d, cells) for d in data]
        for cell, A, B in zip(cells, *maps):
            point = arr.point_where(cell, ())
            if point is None:
                raise CertificateError(f"the cell with signs {cell.signs} is empty")
            ok, _ = _cell_verdict(arr, cell, views, A, B)
            if not ok:
                raise CertificateError(f"the networks differ on the cell containing {[str(t) for t in point]}")
        return True

    def describe(self) -> str:
        return (f"on each of the {len(self.cells)} cells of the joint arrangement of the {len(self.lines)} "
                f"first-layer hyperplanes, both networks compute the same piecewise affine map")


def _equivalent_a(net1: Network, net2: Network) -> EquivalenceResult:
    views = (OuterView.of(net1), OuterView.of(net2))
    method = "bottleneck (a): joint arrangement" + (" sweep" if net1.architecture.input_dim <= 2 else "")
    arr = _Arrangement((net1, net2))
    data = [arr.neuron_data(v.inner) for v in views]
    maps = [arr.affine_maps(d, arr.cells) for d in data]
    for cell, A, B in zip(arr.cells, *maps):
        ok, why = _cell_verdict(arr, cell, views, A, B)
        if not ok:
            x = _separating_point(arr, cell, why)
            x = arr.project(x)
            return EquivalenceResult(False, PointCertificate(x, (net1(x), net2(x))), method=method)
    cert = ArrangementCertificate(tuple(arr.lines), tuple(c.signs for c in arr.cells))
    return EquivalenceResult(True, cert, method=method)


def _separating_point(arr: _Arrangement, cell: _Cell, why) -> Vec:
    """A point of the piece where the two affine maps differ: inside the piece, off the hyperplane where the
    first differing output coordinate of the two maps agrees."""
    A, B, x, y, (L1, o1), (L2, o2) = why
    r = next(r for r in range(len(o1)) if (L1[r], o1[r]) != (L2[r], o2[r]))
    diff = (tuple(p - q for p, q in zip(L1[r], L2[r])), o1[r] - o2[r])
    side = []
    for s, F in ((x, A), (y, B)):
        if arr.range_sign(cell, F) == 0:
            side.append(F if s > 0 else (_scale(fmpq(-1), F[0]), -F[1]))
    for sgn in (1, -1):
        pt = arr.point_where(cell, side + [(_scale(fmpq(sgn), diff[0]), sgn * diff[1])])
        if pt is not None:
            return pt
    raise CertificateError("internal error: no separating point in a differing piece")


# == dispatch ===============================================================================================

def equivalent(net1: Network, net2: Network) -> EquivalenceResult:
    r"""Decide $f_{\theta_1} = f_{\theta_2}$ for two bottleneck networks of the same case, with a certificate.

    Case (b) ($n_1 = 1$, any $n_2$): profiles, $O(n_2\log n_2 + n_0 + n_2n_3)$; a :class:`RidgeCertificate`
    or a constructed :class:`~semialg.core.certificate.PointCertificate`.
    Case (a) ($n_2 = 1$, any $n_1$): the joint arrangement of the $N \le n_1 + n_1'$ first-layer hyperplanes,
    $O(N^3 + N\cdot\#\text{cells})$ exact operations in the plane; for $n_0 \ge 3$ region enumeration with
    exact LPs. Polynomial for fixed $n_0$; the problem is coNP-hard when $n_0$ is part of the input.

    >>> a = Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])
    >>> b = Network.from_arrays([[[1, 2]], [[1], [-1]], [[4, 3]]], [[-1], [1, 2], [-9]])     # kink flip
    >>> bool(equivalent(a, b))
    True
    """
    check_comparable(net1, net2)
    cases = bottleneck_case(net1), bottleneck_case(net2)
    if cases == ("b", "b"):
        return _equivalent_b(net1, net2)
    if cases == ("a", "a"):
        return _equivalent_a(net1, net2)
    raise ArchitectureError(f"bottleneck.equivalent needs two networks of the same bottleneck case, got "
                            f"{net1.architecture} and {net2.architecture}; use semialg.equivalent")


# == combinatorial types ======================================================================================

@dataclass(frozen=True)
class BottleneckType(Latexable):
    r"""The combinatorial type of a bottleneck parameter (open conditions, decided exactly).

    Case (b): ``classes[j]`` of second-layer neuron $j$ in {A, K+, K-, Z}; ``regime`` is ``"hidden"`` when the
    first-layer hyperplane $H$ is hidden by the second layer ($a = k^- = 0$), ``"visible"`` otherwise, and
    ``"constant"`` when $f$ is constant; ``reflective`` when $a = k^+ = 0 < k^-$.
    Case (a): ``classes[i]`` of first-layer neuron $i$ in {V, U-, U+, U+-, D} relative to $P = \{h > 0\}$
    (D: $w_i = 0$ or $v_i = 0$, a constant neuron); ``regime`` ``"PN"`` ($P, N \ne \emptyset$), ``"T"``
    ($N = \emptyset$) or ``"constant"`` ($c = 0$ or $P = \emptyset$).
    """

    case: str
    classes: tuple[str, ...]
    regime: str

    def count(self, cls: str) -> int:
        return sum(1 for c in self.classes if c == cls)

    @property
    def reflective(self) -> bool:
        return (self.case == "b" and self.regime != "constant" and self.count("A") == self.count("K+") == 0
                and self.count("K-") >= 1)

    def describe(self) -> str:
        counts = ", ".join(f"{c}: {self.count(c)}" for c in dict.fromkeys(sorted(self.classes)))
        layer = "second" if self.case == "b" else "first"
        return f"case ({self.case}), regime {self.regime}; {layer}-layer classes {counts}"


def _sup_on_line(arr: _Arrangement, view: OuterView, k: int) -> fmpq | None:
    """$\\sup_{H_k} h$ in the plane (``None`` if unbounded): on the line $h$ is piecewise linear with kinks
    where the other lines cross it, so its decisive points decide it exactly."""
    u, beta = arr.lines[k][:-1], arr.lines[k][-1]
    x0 = _scale(-beta / dot(u, u), u)
    d = (-u[1], u[0])
    ts = [-arr.value(j, x0) / dot(o[:-1], d) for j, o in enumerate(arr.lines) if dot(o[:-1], d) != 0]
    return _line_max([view.inner(arr.project(_vadd(x0, d, t)))[0] for t in _decisive(ts)])


def _visible(arr: _Arrangement, view: OuterView, k: int) -> bool:
    r"""Whether the hyperplane $H_k$ meets $P = \{h > 0\}$, i.e. $h > 0$ somewhere on $H_k$."""
    if arr.dim == 2:
        top = _sup_on_line(arr, view, k)
        return top is None or top > 0
    from semialg.engine import regions as pl
    u, beta = arr.lines[k][:-1], arr.lines[k][-1]
    x0 = _scale(-beta / dot(u, u), u)
    basis = nullspace([list(u)])
    W1, b1 = view.inner.weights[0], view.inner.biases[0]
    restricted = Network((tuple(tuple(dot(w, col) for col in basis) for w in W1), view.inner.weights[1]),
                         (tuple(dot(w, x0) + b for w, b in zip(W1, b1)), view.inner.biases[1]))
    for reg in pl.regions(restricted):
        G = [g for g, _ in reg.inequalities] + [reg.linear[0]]
        hh = [c for _, c in reg.inequalities] + [reg.offset[0]]
        if decide(G, hh, len(basis)):
            return True
    return False


def combinatorial_type(net: Network) -> BottleneckType:
    r"""The combinatorial type of a bottleneck parameter (see :class:`BottleneckType`).

    Case (b): $O(n_2)$ sign tests plus the profile. Case (a): the cells of the first layer's arrangement
    (sweep in the plane, exact LPs otherwise), one range test of $h$ per cell and neuron side, and a 1-D
    restriction per hyperplane for visibility.

    >>> combinatorial_type(Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])).classes
    ('A', 'K+')
    """
    case = bottleneck_case(net)
    if case == "b":
        view = RidgeView.of(net)
        classes = view.classes()
        if ridge_profile(net).is_constant:
            regime = "constant"
        else:
            regime = "hidden" if not any(c in ("A", "K-") for c in classes) else "visible"
        return BottleneckType("b", classes, regime)
    _require(net, "a")
    view = OuterView.of(net)
    arr = _Arrangement((net,))
    data = arr.neuron_data(view.inner)
    maps = arr.affine_maps(data, arr.cells)
    ranges = [arr.range_sign(cell, A) for cell, A in zip(arr.cells, maps)]
    if not any(view.c) or all(r < 0 for r in ranges):
        regime = "constant"
    elif all(arr.range_sign(cell, _negate(A)) < 0 for cell, A in zip(arr.cells, maps)):
        regime = "T"
    else:
        regime = "PN"
    rows = iter(data[0])
    classes = []
    for w, vi in zip(view.w, view.v):
        if not any(w):
            classes.append("D")
            continue
        k, s, *_ = next(rows)
        if vi == 0:
            classes.append("D")
        elif _visible(arr, view, k):
            classes.append("V")
        elif all(r < 0 for cell, r in zip(arr.cells, ranges) if s * cell.signs[k] > 0):
            classes.append("U-")
        elif all(r < 0 for cell, r in zip(arr.cells, ranges) if s * cell.signs[k] < 0):
            classes.append("U+")
        else:
            classes.append("U+-")
    return BottleneckType("a", tuple(classes), regime)


def _negate(A: Affine) -> Affine:
    return _scale(fmpq(-1), A[0]), -A[1]


# == moves: the symmetries beyond G ==========================================================================

def translate_hidden_hyperplane(net: Network, beta) -> Network:
    r"""Case (b), $H$ hidden: $b \mapsto b + \beta$, $e_j \mapsto e_j - v_j\beta$ (function-preserving while every
    $e'_j < 0$ stays a switch-on neuron, i.e. $\beta > -\tau_{\min}$)."""
    view = RidgeView.of(net)
    beta = to_fmpq(beta, where="beta")
    return RidgeView(view.w, view.b + beta, view.v, tuple(e - v * beta for v, e in zip(view.v, view.e)),
                     view.c, view.d).network()


def flip_kink(net: Network, j: int, into: int) -> Network:
    r"""Case (b): flip kink neuron $j$, $c\sigma(vt + e) = c\sigma(-vt - e) + c(vt + e)$, and absorb the affine
    term into the always-active neuron ``into`` ($c_i \mathrel{+}= c_jv_j/v_i$, $d$ compensates)."""
    view = RidgeView.of(net)
    classes = view.classes()
    if classes[j] not in ("K+", "K-") or classes[into] != "A" or view.v[into] == 0:
        raise ArchitectureError(f"flip_kink needs a kink neuron (got {classes[j]}) and an always-active neuron "
                                f"with v != 0 (got {classes[into]})")
    v, e, c = list(view.v), list(view.e), list(view.c)
    ci = _vadd(c[into], c[j], v[j] / v[into])
    d = _vadd(_vadd(view.d, c[j], e[j]), _vadd(ci, c[into], fmpq(-1)), -e[into])
    c[into] = ci
    v[j], e[j] = -v[j], -e[j]
    return RidgeView(view.w, view.b, tuple(v), tuple(e), tuple(c), d).network()


def trade_affine_block(net: Network, i: int, j: int, delta) -> Network:
    r"""Case (b): move slope $\delta$ between always-active neurons $i \ne j$ ($S_A$ fixed, $d$ compensates);
    with $i = j$ the $e \leftrightarrow d$ trade $e_i \mathrel{+}= \delta$, $d \mathrel{-}= c_i\delta$."""
    view = RidgeView.of(net)
    delta = to_fmpq(delta, where="delta")
    v, e, c, d = list(view.v), list(view.e), list(view.c), view.d
    if i == j:
        e[i] += delta
        d = _vadd(d, c[i], -delta)
    else:
        c[i] = _vadd(c[i], (_ONE,) * len(d), delta / v[i])
        c[j] = _vadd(c[j], (_ONE,) * len(d), -delta / v[j])
        d = _vadd(d, (_ONE,) * len(d), -delta * e[i] / v[i] + delta * e[j] / v[j])
    return RidgeView(view.w, view.b, tuple(v), tuple(e), tuple(c), d).network()


def reflect(net: Network) -> Network:
    r"""Case (b) with $a = k^+ = 0 < k^-$ ($F$ constant at both ends): $w' = -w$, $b' = \tau_{\max} - b$, the kinks
    reflected $\tau \mapsto \tau_{\max} - \tau$, the kink at $H$ carried by the neuron of $\tau_{\max}$, and
    $d' = F(-\infty) = G(0)$."""
    view = RidgeView.of(net)
    t = combinatorial_type(net)
    if not t.reflective:
        raise ArchitectureError(f"reflect needs a = k+ = 0 < k- (F constant at both ends), got {t.describe()}")
    tau = {j: -e / v for j, (v, e) in enumerate(zip(view.v, view.e)) if t.classes[j] == "K-"}
    jmax = max(tau, key=lambda j: tau[j])
    tmax = tau[jmax]
    v, e, c = list(view.v), list(view.e), list(view.c)
    g0 = _slope_at_zero(view)
    for j in tau:
        target = tmax - tau[j] if j != jmax else tmax
        e[j] = -v[j] * target
        if j == jmax:
            c[j] = _scale(1 / abs(v[j]), g0)
    d = view.d
    for j in tau:
        d = _vadd(d, view.c[j], view.e[j])
    return RidgeView(_scale(fmpq(-1), view.w), tmax - view.b, tuple(v), tuple(e), tuple(c), d).network()


def replace_neuron(net: Network, layer: int, i: int, incoming: Sequence, bias, outgoing: Sequence) -> Network:
    """A copy with neuron ``i`` (0-based) of hidden ``layer`` (1-based) given new incoming weights, bias and
    outgoing weights: the dead-neuron (Z) and hidden-neuron (U-) freedoms."""
    W = [list(r) for r in net.weights[layer - 1]]
    b = list(net.biases[layer - 1])
    Wn = [list(r) for r in net.weights[layer]]
    W[i] = list(incoming)
    b[i] = bias
    for r, x in zip(Wn, outgoing):
        r[i] = x
    return net.replace_layer(layer, W, b).replace_layer(layer + 1, Wn)


def _move(name: str, kind: str, size: int | None, relation: str, neurons: tuple, description: str,
          layer: int, freezes: bool = False) -> Mechanism:
    continuous = kind == "continuous"
    return Mechanism(name, continuous, size if continuous else 0, 1 if continuous else size, tuple(neurons),
                     description, layer, freezes, relation)


def hidden_symmetries(net: Network) -> tuple[Mechanism, ...]:
    r"""Every mechanism of the math note present at a bottleneck parameter, with what it adds.

    Case (b): dead neurons Z (continuous, $n_3 + 1$ each), the A-block trade ($a(n_3+1) - n_3$), kink flips
    absorbed by the A block ($2^k$ components), translation of a hidden $H$ (1), reflection ($\mathbb{Z}/2$).
    Case (a): U- freedom ($n_0 + 1$ each), the U+ $\leftrightarrow e$ trade, U$\pm$ neurons, and in regime T the
    $e \leftrightarrow d$ trade. Cost: that of :func:`combinatorial_type`.

    >>> [m.name for m in hidden_symmetries(Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]],
    ...                                                        [[-1], [1, -2], [0]]))]
    ['A-block trade', 'kink flips']
    """
    t = combinatorial_type(net)
    out = []
    idx = lambda cls: tuple(j for j, c in enumerate(t.classes) if c == cls)  # noqa: E731
    n0, n3 = net.architecture.input_dim, net.architecture.output_dim
    move = functools.partial(_move, layer=2 if t.case == "b" else 1)
    if t.case == "b":
        if t.regime == "constant":
            return (move("constant function", "continuous", None, "hidden",
                         tuple(range(len(t.classes))), "f is constant: every mechanism is hidden"),)
        Z, A = idx("Z"), idx("A")
        K = idx("K+") + idx("K-")
        if Z:
            out.append(move("dead neurons", "continuous", len(Z) * (n3 + 1), "dead on t > 0", Z,
                            "(v_j, e_j, c_j) free in {v < 0, e < 0} x Q^n3", freezes=True))
        if A:
            out.append(move("A-block trade", "continuous", len(A) * (n3 + 1) - n3, "compensated", A,
                            "only S_A = sum c_j v_j and K_A = sum c_j e_j + d are seen"))
            if K:
                out.append(move("kink flips", "discrete", 2 ** len(K), "compensated by the A block",
                                tuple(sorted(K)), "c s(vt+e) = c s(-vt-e) + c(vt+e)"))
        if t.regime == "hidden":
            out.append(move("hidden hyperplane translation", "continuous", 1, "hidden by layer 2", (),
                            "b' = b + beta, e'_j = e_j - v_j beta while every e'_j < 0"))
        if t.reflective:
            out.append(move("reflection", "discrete", 2, "F constant at both ends", tuple(sorted(K)),
                            "w' = -w, b' = tau_max - b, kinks reflected, d' = F(-inf)"))
        return tuple(out)
    if t.regime == "constant":
        return (move("constant function", "continuous", None, "hidden", tuple(range(len(t.classes))),
                     "f is constant (c = 0 or P empty): every mechanism is hidden"),)
    Um, Up, Upm = idx("U-"), idx("U+"), idx("U+-")
    if Um:
        out.append(move("hidden neurons (U-)", "continuous", len(Um) * (n0 + 1),
                        "hidden by the outer ReLU", Um, "dead on P: parameters free in an open set", freezes=True))
    if Up:
        out.append(move("U+ <-> e trade", "continuous", len(Up) * (n0 + 1) - n0, "compensated", Up,
                        "affine on P: any U+ neurons and e reproducing the same affine map on P"))
    if Upm:
        out.append(move("mixed hidden neurons (U+-)", "continuous", None, "hidden by the outer ReLU",
                        Upm, "P meets both sides of H_i but not H_i: one affine block per component"))
    if t.regime == "T":
        out.append(move("e <-> d trade", "continuous", 1, "compensated", (),
                        "N is empty: f = c h + d is shallow with rank-one output"))
    return tuple(out)


def fibre_dimension(net: Network) -> int:
    r"""The dimension of the fibre of a generic bottleneck parameter, from the formulas of the math note.

    Case (b): $(1 + n_2) + z(n_3+1) + [a(n_3+1) - n_3 \text{ if } a \ge 1] + [1 \text{ if } H \text{ hidden}]$.
    Case (a), $U^\pm = \emptyset$: $(n_1 + 1) + u(n_0+1) - [n_0 \text{ if } |U^+| \ge 1]$ with $u = |U^-| + |U^+|$;
    regime T: $n_1 + 2$. Raises :class:`ArchitectureError` for types the formulas do not cover (constant
    functions, U$\pm$ or constant neurons) and for parameters that are not generic (:func:`semialg.genericity`).
    Cost: that of :func:`semialg.genericity`.
    """
    t = _require_generic(net, "fibre_dimension")
    n0, n1, n2, n3 = net.widths
    if t.regime == "constant" or "D" in t.classes or "U+-" in t.classes:
        raise ArchitectureError(f"no closed-form fibre dimension for this type: {t.describe()}")
    if t.case == "b":
        a, z = t.count("A"), t.count("Z")
        return (1 + n2) + z * (n3 + 1) + (a * (n3 + 1) - n3 if a else 0) + (1 if t.regime == "hidden" else 0)
    if t.regime == "T":
        return n1 + 2
    u, up = t.count("U-") + t.count("U+"), t.count("U+")
    return (n1 + 1) + u * (n0 + 1) - (n0 if up else 0)


# == genericity ============================================================================================

def _condition(name: str, holds: bool | None, witness, detail: str) -> Condition:
    return Condition(name, holds, witness, None, detail, _recheck)


def _recheck(net: Network, c: Condition) -> bool:
    """Re-decide a bottleneck condition from scratch and compare with the claim."""
    fresh = {g.name: g for g in genericity_checks(net) + type_checks(net)}.get(c.name)
    if fresh is None or (fresh.holds, fresh.witness) != (c.holds, c.witness):
        raise CertificateError(f"condition {c.name!r} does not hold as claimed at this parameter")
    return True


def genericity_checks(net: Network, budget: int = 2 ** 20) -> list[Condition]:
    r"""The Zariski-closed bottleneck conditions beyond the layerwise ones (dead neurons, dependent rows).

    Case (b): $e_j \ne 0$ (a kink at $H$) and no non-empty $S$ with $\sum_{j \in S} c_jv_j = 0$, which contains
    the note's $G'(0^+) = \sum_{A \cup K^-} c_jv_j \ne 0$ and $\sum_{A \cup K^+} c_jv_j \ne 0$ (decided exactly by
    :func:`semialg.geometry.zero_sum.find_zero_sum_set`; ``holds`` is ``None`` if its budget runs out). Distinct
    breakpoints ($e_iv_j \ne e_jv_i$) and $v_j \ne 0$ are the layerwise dependent-row and dead-input loci.
    Case (a) adds nothing Zariski-closed; its conditions are open (:func:`type_checks`). Witnesses are 0-based.
    """
    if bottleneck_case(net) != "b":
        return []
    from semialg.geometry.zero_sum import find_zero_sum_set
    view = RidgeView.of(net)
    zero_e = [j for j, e in enumerate(view.e) if e == 0]
    out = [_condition("e_j != 0", not zero_e, tuple(zero_e[:1]) or None,
                        f"e_{zero_e[0]} = 0: a kink sits on the first-layer hyperplane" if zero_e
                        else "every second-layer bias e_j is non-zero")]
    decision = find_zero_sum_set([_scale(v, c) for v, c in zip(view.v, view.c)], budget)
    holds = {"none": True, "found": False, "undecided": None}[decision.status]
    detail = {"none": "no non-empty S has sum_S c_j v_j = 0",
              "found": f"sum of c_j v_j over S = {list(decision.witness or ())} vanishes",
              "undecided": "block-slope search undecided: " + "; ".join(decision.tried)}[decision.status]
    out.append(_condition("no vanishing block slope", holds, decision.witness, detail))
    return out


def type_checks(net: Network) -> list[Condition]:
    r"""The open (type) conditions under which the fibre formulas hold: $f$ not constant; in case (a) also no
    U$\pm$ neuron, no hidden hyperplane touching $\partial P$ without entering $P$ and no vertex of the
    arrangement on $\{h = 0\}$ (the last two decided exactly in the plane, reported unchecked for $n_0 \ge 3$).
    """
    t = combinatorial_type(net)
    out = [_condition("not constant", t.regime != "constant", None if t.regime != "constant" else (),
                        f"regime {t.regime}")]
    if t.case == "b":
        return out
    mixed = tuple(i for i, c in enumerate(t.classes) if c == "U+-")
    out.append(_condition("no U+- neuron", not mixed, mixed or None,
                            f"neurons {list(mixed)} are mixed hidden (U+-)" if mixed else "no mixed hidden neuron"))
    if net.architecture.input_dim > 2:
        out.append(_condition("boundary conditions", True, None,
                                "not checked for n0 >= 3 (tangencies and vertices on {h = 0})"))
        return out
    view = OuterView.of(net)
    arr = _Arrangement((net,), with_cells=False)
    h = lambda x: view.inner(arr.project(x))[0]  # noqa: E731
    touching = None
    for (k, s, *_), cls in zip(arr.neuron_data(view.inner)[0], [c for c, w in zip(t.classes, view.w) if any(w)]):
        if cls in ("U-", "U+") and _sup_on_line(arr, view, k) == 0:
            touching = k
            break
    out.append(_condition("no tangent hyperplane", touching is None, None if touching is None else (touching,),
                            "a hidden hyperplane touches the boundary of P" if touching is not None else
                            "no hidden hyperplane touches the boundary of P"))
    on_zero = None
    for k, l in itertools.combinations(range(len(arr.lines) - arr.auxiliary), 2):
        A = [list(arr.lines[k][:2]), list(arr.lines[l][:2])]
        if A[0][0] * A[1][1] - A[0][1] * A[1][0] != 0:
            v = solve(A, [-arr.lines[k][2], -arr.lines[l][2]])
            if h(v) == 0:
                on_zero = v
                break
    out.append(_condition("no vertex on {h = 0}", on_zero is None, on_zero,
                            f"the vertex {[str(x) for x in on_zero]} lies on h = 0" if on_zero is not None else
                            "no vertex of the arrangement lies on h = 0"))
    return out


def _require_generic(net: Network, what: str) -> BottleneckType:
    report = genericity(net)
    if not report:
        raise ArchitectureError(f"{what} needs a generic parameter; " + report.explain().splitlines()[0])
    failed = [c.detail for c in type_checks(net) if not c.holds]
    if failed:
        raise ArchitectureError(f"{what}: the type conditions fail: " + "; ".join(failed))
    return combinatorial_type(net)


# == fibres ===================================================================================================

def _Q(x: fmpq) -> sympy.Rational:
    return sympy.Rational(int(x.p), int(x.q))


@dataclass(frozen=True)
class _KinkPoint:
    """A breakpoint $z_0$ of $F$ (in $z = w\\cdot x + b$) with its slope jump and the class it must carry."""

    z: fmpq
    jump: Vec
    cls: str


class _SlotIndex:
    """Lazy index of the components: (branch, roles), one role per second-layer slot — a kink point with its
    class, ``"A"`` or ``"Z"``."""

    def __init__(self, n2: int, kinks: dict, allow_flips: bool, need_a: bool):
        self.n2, self.kinks, self.allow_flips, self.need_a = n2, kinks, allow_flips, need_a

    def _count(self, k: int) -> int:
        rest = self.n2 - k
        if self.need_a:
            return math.perm(self.n2, k) * 2 ** k * (2 ** rest - 1)
        return math.perm(self.n2, k)

    def __len__(self) -> int:
        return self.exact_size

    @property
    def exact_size(self) -> int:
        return sum(self._count(len(pts)) for pts in self.kinks.values())

    def __iter__(self):
        for branch, pts in self.kinks.items():
            k = len(pts)
            for slots in itertools.permutations(range(self.n2), k):
                flips = itertools.product((False, True), repeat=k) if self.allow_flips else [(False,) * k]
                for flip in flips:
                    free = [s for s in range(self.n2) if s not in slots]
                    fills = itertools.product("AZ", repeat=len(free)) if self.need_a else [("Z",) * len(free)]
                    for fill in fills:
                        if self.need_a and "A" not in fill:
                            continue
                        roles: list = [None] * self.n2
                        for p, (s, f) in enumerate(zip(slots, flip)):
                            roles[s] = (p, f)
                        for s, r in zip(free, fill):
                            roles[s] = r
                        yield branch, tuple(roles)


_OTHER = {"K+": "K-", "K-": "K+"}
_SIGNS = {"A": (1, 1), "K+": (1, -1), "K-": (-1, 1), "Z": (-1, -1)}


@dataclass(frozen=True, eq=False)
class BottleneckFibre(Union):
    r"""The fibre $\{\theta' : f_{\theta'} = f_\theta\}$ of a generic bottleneck parameter in its architecture.

    ``components()`` are the basic sets of $\theta'$ of generic type (one per branch, assignment of the
    kinks to slots, flip pattern and A/Z roles of the other slots); they cover an open dense part of the
    fibre and every one has dimension :attr:`dimension`. ``contains`` decides membership in the whole fibre
    exactly (by :func:`equivalent`); ``component_of`` names the component of a point of generic type.
    """

    network: Network | None = None

    @property
    def dimension(self) -> int:
        return fibre_dimension(self.network)

    def contains(self, point) -> bool:
        other = point if isinstance(point, Network) else Network.from_parameters(self.network.architecture, point)
        return bool(equivalent(self.network, other))

    def component_of(self, point):
        """The index of the listed component containing ``point``, or ``None``."""
        j = self.locate(point)
        return j if j is not None and self.build(j).contains(point) else None

    def sample(self, seed: int | None = None, index=None) -> Network:
        """A random member, solved from the equations of a random (or the given) component."""
        return self._sampler(seed, index)

    _sampler: object = field(default=None, repr=False)


def fibre(net: Network) -> BottleneckFibre:
    r"""The fibre of a generic case-(b) bottleneck parameter as an explicit semi-algebraic set.

    With $\lambda = w'_p/w_p$ and $\beta = b' - \lambda b$ ($z' = \lambda z + \beta$), a component is
    $w' \parallel w$, $\lambda > 0$ (or $< 0$ on the reflected branch), and per slot: a kink point $z_0$ of
    $F$ with jump $J$: $e' + v'(\lambda z_0 + \beta) = 0$, $\lambda c'|v'| = J$ ($|\lambda|$ when reflected),
    class signs of $(v', e')$; A slots $v', e' > 0$; Z slots $v', e' < 0$; then
    $\lambda\sum_{A'\cup K'^-}c'v' = G'(0^+)$ and $\sum_{A'\cup K'^-}c'e' + d' = G(0)$ when $H$ is visible,
    $\beta = 0$; $d' = d$ when $H$ is hidden ($\beta$ free); on the reflected branch $\beta = -\lambda\tau_{\max}$,
    the kink points are $0$ and the $\tau_j$, $j \ne j_{\max}$, and $d' = G(0)$.
    Number of components: $P(n_2, k)\cdot[2^k(2^{n_2-k} - 1) \text{ if } a \ge 1] \cdot [2 \text{ if reflective}]$.

    Case (a) with every first-layer neuron visible and $N \ne \emptyset$: $h' = \mu h$ everywhere (every kink of
    $h'$ is matched on $P$, so $h' - \mu h$ is affine and vanishes on $P$), hence the fibre is
    $\{(h', c/\mu, d) : h'/\mu \in \text{fibre of } h\}$ — the shallow fibre of $h$ (:func:`semialg.families.shallow.fibre`,
    $n_1!$ times the admissible flip sets) times $\mathbb{R}_{>0}$, with $1/\mu = c'_r/c_r$ substituted into its
    equations. Types with hidden neurons (U$\pm$) raise :class:`ArchitectureError` (their fibres need a
    condition quantified over the complement of $P$).
    Cost: $O(1)$ to build; each component $O(n_2n_3)$ polynomials.

    >>> F = fibre(Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]]))
    >>> F.num_components, F.dimension
    (4, 4)
    """
    t = _require_generic(net, "fibre")
    if t.case == "a":
        return _outer_fibre(net, t)
    view = RidgeView.of(net)
    n0, _, n2, n3 = net.widths
    a = t.count("A")
    g0, G0 = _slope_at_zero(view), view.d
    for e, c in zip(view.e, view.c):
        G0 = _vadd(G0, c, relu(e))  # G(0) = d + sum_j c_j s(e_j)
    kinks = {j: _KinkPoint(-view.e[j] / view.v[j], _scale(abs(view.v[j]), view.c[j]), t.classes[j])
             for j in range(n2) if t.classes[j] in ("K+", "K-")}
    branches = {"direct": tuple(kinks.values())}
    if t.reflective:
        jmax = max(kinks, key=lambda j: kinks[j].z)
        tmax = kinks[jmax].z
        branches["reflected"] = (_KinkPoint(_ZERO, g0, "K-"),) + tuple(
            _KinkPoint(p.z, p.jump, "K-") for j, p in kinks.items() if j != jmax)
    else:
        tmax = None
    V = net.variables()
    W1, B1, W2, B2, W3, B3 = (V.weights[0], V.biases[0], V.weights[1], V.biases[1], V.weights[2], V.biases[2])
    p = _first_nonzero(view.w)
    wp = view.w[p]
    lam = W1[0, p] / _Q(wp)
    beta = B1[0] - lam * _Q(view.b)

    def build(index) -> BasicSet:
        branch, roles = index
        pts = branches[branch]
        eqs = [W1[0, q] * _Q(wp) - W1[0, p] * _Q(view.w[q]) for q in range(n0) if q != p]
        strict = [(1 if branch == "direct" else -1) * W1[0, p] * _Q(wp)]
        active = []
        for s, role in enumerate(roles):
            v_, e_ = W2[s, 0], B2[s]
            if role in ("A", "Z"):
                cls = role
            else:
                pt, flipped = pts[role[0]], role[1]
                cls = _OTHER[pt.cls] if flipped else pt.cls
                eqs.append(sympy.expand(e_ + v_ * (lam * _Q(pt.z) + beta)))
                sv = _SIGNS[cls][0] * (1 if branch == "direct" else -1)
                eqs += [sympy.expand(sv * lam * W3[r, s] * v_ - _Q(pt.jump[r])) for r in range(n3)]
            sv, se = _SIGNS[cls]
            strict += [sv * v_, se * e_]
            if cls in ("A", "K-"):
                active.append(s)
        if branch == "reflected":
            eqs.append(sympy.expand(beta + lam * _Q(tmax)))
            eqs += [B3[r] - _Q(G0[r]) for r in range(n3)]
        elif t.regime == "hidden":
            eqs += [B3[r] - _Q(view.d[r]) for r in range(n3)]
        else:
            eqs.append(sympy.expand(beta))
            eqs += [sympy.expand(lam * sum(W3[r, s] * W2[s, 0] for s in active) - _Q(g0[r])) for r in range(n3)]
            eqs += [sympy.expand(sum(W3[r, s] * B2[s] for s in active) + B3[r] - _Q(G0[r])) for r in range(n3)]
        eqs = [e for e in eqs if e != 0]
        names = [r if r in ("A", "Z") else f"K{r[0] + 1}" + ("*" if r[1] else "") for r in roles]
        return BasicSet(V.flat, tuple(eqs), tuple(sympy.expand(x) for x in strict),
                        label=f"{branch}: {', '.join(names)}")

    def locate(point):
        other = point if isinstance(point, Network) else Network.from_parameters(net.architecture, point)
        ov = RidgeView.of(other)
        if ov.w[p] == 0:
            return None
        lam_, branch = ov.w[p] / wp, "direct" if ov.w[p] / wp > 0 else "reflected"
        if branch not in branches:
            return None
        beta_ = ov.b - lam_ * view.b
        where = {fingerprint((pt.z,)): i for i, pt in enumerate(branches[branch])}
        roles = []
        for v_, e_ in zip(ov.v, ov.e):
            cls = _ridge_class(v_, e_)
            if cls in ("A", "Z"):
                roles.append(cls)
                continue
            i = where.get(fingerprint((((-e_ / v_) - beta_) / lam_,)))
            if i is None:
                return None
            roles.append((i, cls != branches[branch][i].cls))
        return branch, tuple(roles)

    index_set = _SlotIndex(n2, branches, a >= 1, a >= 1)

    def sampler(seed, index):
        rng = _random.Random(seed)
        if index is None:
            index = next(itertools.islice(index_set, rng.randrange(len(index_set)), None))
        branch, roles = index
        pts = branches[branch]
        pos = lambda: fmpq(rng.randint(1, 9), rng.randint(1, 9))  # noqa: E731
        l_ = pos() * (1 if branch == "direct" else -1)
        if branch == "reflected":
            b_ = -l_ * tmax
        elif t.regime == "hidden":
            tmin = min(pt.z for pt in pts)
            b_ = l_ * tmin * fmpq(rng.randint(-9, 9), 10)
        else:
            b_ = _ZERO
        v, e, c = [None] * n2, [None] * n2, [None] * n2
        for s, role in enumerate(roles):
            if role in ("A", "Z"):
                sv, se = _SIGNS[role]
                v[s], e[s] = sv * pos(), se * pos()
                c[s] = tuple(fmpq(rng.randint(-9, 9), rng.randint(1, 9)) for _ in range(n3))
            else:
                pt, flipped = pts[role[0]], role[1]
                cls = _OTHER[pt.cls] if flipped else pt.cls
                v[s] = _SIGNS[cls][0] * pos()
                e[s] = -v[s] * (l_ * pt.z + b_)
                c[s] = _scale(1 / abs(l_ * v[s]), pt.jump)
        d = view.d if t.regime == "hidden" and branch == "direct" else G0
        if branch == "direct" and t.regime == "visible":
            A_slots = [s for s, r in enumerate(roles) if r == "A"]
            act = [s for s in range(n2) if _ridge_class(v[s], e[s]) in ("A", "K-")]
            if A_slots:
                last = A_slots[-1]
                rest = (_ZERO,) * n3
                for s in act:
                    if s != last:
                        rest = _vadd(rest, c[s], v[s])
                c[last] = _scale(1 / v[last], _vadd(_scale(1 / l_, g0), rest, fmpq(-1)))
            for s in act:
                d = _vadd(d, c[s], -e[s])
        elif branch == "reflected":
            d = G0
        w_ = _scale(l_, view.w)
        return RidgeView(w_, l_ * view.b + b_, tuple(v), tuple(e), tuple(c), d).network()

    return BottleneckFibre(V.flat, index_set, build, locate, description=f"fibre of a bottleneck {net.architecture} "
                           f"parameter ({t.describe()})", index_name=r"(\text{branch}, \text{roles})",
                           network=net, _sampler=sampler)



def _outer_fibre(net: Network, t: BottleneckType) -> BottleneckFibre:
    """Case (a), all neurons visible, $N \\ne \\emptyset$: the shallow fibre of $h$ scaled by $\\mu > 0$."""
    from semialg.families.shallow import fibre as shallow_fibre, flip_neurons
    if t.regime != "PN" or any(c != "V" for c in t.classes):
        raise ArchitectureError(f"explicit case-(a) fibres need every first-layer neuron visible and N non-empty; "
                                f"got {t.describe()} (use equivalent() for membership, fibre_dimension())")
    view = OuterView.of(net)
    inner = shallow_fibre(view.inner)
    V = net.variables()
    n1, n3 = net.widths[1], net.widths[3]
    r = _first_nonzero(view.c)
    cr = _Q(view.c[r])
    C, D = V.weights[2], V.biases[2]
    inv_mu = C[r, 0] / cr
    scale = {V.weights[1][0, i]: V.weights[1][0, i] * inv_mu for i in range(n1)}
    scale[V.biases[1][0]] = V.biases[1][0] * inv_mu

    def build(index) -> BasicSet:
        B = inner.build(index)
        eqs = [sympy.expand(sympy.sympify(p).xreplace(scale)) for p in B.equations]
        eqs += [C[s, 0] * cr - C[r, 0] * _Q(view.c[s]) for s in range(n3) if s != r]
        eqs += [D[s] - _Q(view.d[s]) for s in range(n3)]
        strict = tuple(B.strict) + (C[r, 0] * cr,)
        return BasicSet(V.flat, tuple(e for e in eqs if e != 0), strict, label=B.label)

    def rescaled(point):
        other = point if isinstance(point, Network) else Network.from_parameters(net.architecture, point)
        ov = OuterView.of(other)
        if ov.c[r] == 0:
            return None
        mu = view.c[r] / ov.c[r]
        return Network((ov.inner.weights[0], (_scale(1 / mu, ov.v),)), (ov.b, (ov.e / mu,)))

    def locate(point):
        h = rescaled(point)
        return None if h is None else inner.locate(h)

    def sampler(seed, index):
        rng = _random.Random(seed)
        if index is None:
            h = inner.sample(seed)
        else:
            perm, S = index
            scales = [fmpq(rng.randint(1, 9), rng.randint(1, 9)) for _ in range(n1)]
            h = GroupElement([perm], [scales]).act(flip_neurons(view.inner, S))
        mu = fmpq(rng.randint(1, 9), rng.randint(1, 9))
        return Network((h.weights[0], (_scale(mu, h.weights[1][0]),), tuple((x / mu,) for x in view.c)),
                       (h.biases[0], (h.biases[1][0] * mu,), view.d))

    return BottleneckFibre(V.flat, inner.index, build, locate,
                           description=f"fibre of a bottleneck {net.architecture} parameter ({t.describe()})",
                           index_name=inner.index_name, network=net, _sampler=sampler)


# == the family ===============================================================================================

BOTTLENECK_SCOPE = ("bottleneck networks: outside these loci and the type conditions the fibre has the "
                    "type's dimension (checked against the exact functional dimension)")


def _ridge_families(arch: Architecture) -> list[LocusFamily]:
    r"""Case (b) bottleneck loci: a second-layer bias $e_j = 0$ and a vanishing block slope
    $\sum_{j \in S} c_jv_j = 0$ (the note's $G'(0^+) \ne 0$ and slope-at-infinity conditions, for every $S$)."""
    V = arch.variables()
    n2, n3 = arch.widths[2], arch.widths[3]
    v = [V.weights[1][j, 0] for j in range(n2)]
    e = [V.biases[1][j] for j in range(n2)]
    c = [[V.weights[2][r, j] for r in range(n3)] for j in range(n2)]
    one = lambda: ((j,) for j in range(1, n2 + 1))  # noqa: E731
    return [
        LocusFamily("zero_bias", n2, one,
                    lambda ix: Locus("zero_bias", ix, (e[ix[0] - 1],), V.flat, 1,
                                     f"second-layer bias e_{ix[0]} = 0: a kink on the first-layer hyperplane"),
                    1, r"V(e_j)", r"j \in [n_2]", BOTTLENECK_SCOPE),
        LocusFamily("block_slope", 2 ** n2 - 1,
                    lambda: (S for size in range(1, n2 + 1) for S in itertools.combinations(range(1, n2 + 1), size)),
                    lambda S: Locus("block_slope", S, tuple(sympy.expand(sum(c[j - 1][r] * v[j - 1] for j in S))
                                                            for r in range(n3)), V.flat, None,
                                    f"sum of c_j v_j over S = {list(S)} vanishes"),
                    None, r"V\Big(\sum_{j\in S} c_j v_j\Big)", r"\emptyset \ne S \subseteq [n_2]",
                    BOTTLENECK_SCOPE),
    ]


class BottleneckFamily(Family):
    """Three-layer networks with a hidden layer of width 1: case (b) widths $(n_0, 1, n_2, n_3)$, case (a)
    widths $(n_0, n_1, 1, n_3)$."""

    name = "bottleneck"
    priority = 20

    def applies(self, net: Network) -> bool:
        return bottleneck_case(net) is not None

    def applies_to_architecture(self, arch: Architecture) -> bool:
        return arch.depth == 3 and 1 in arch.widths[1:3]

    def applies_to_pair(self, net1: Network, net2: Network) -> bool:
        return self.applies(net1) and bottleneck_case(net1) == bottleneck_case(net2)

    def equivalent(self, net1: Network, net2: Network, **options) -> EquivalenceResult:
        return equivalent(net1, net2)

    def fibre(self, net: Network) -> BottleneckFibre:
        return fibre(net)

    def fibre_dimension(self, net: Network) -> int:
        return fibre_dimension(net)

    def mechanisms(self, net: Network) -> tuple[Mechanism, ...]:
        return hidden_symmetries(net)

    def combinatorial_type(self, net: Network) -> BottleneckType:
        return combinatorial_type(net)

    def genericity_conditions(self, net: Network, budget: int) -> list[Condition]:
        return genericity_checks(net, budget)

    def genericity_scope(self, arch: Architecture) -> str:
        return BOTTLENECK_SCOPE

    def loci_families(self, arch: Architecture) -> list[LocusFamily]:
        return _ridge_families(arch) if arch.widths[1] == 1 else []


register(BottleneckFamily())
