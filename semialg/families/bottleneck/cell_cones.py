r"""The cells of the first layer's arrangement of a case-(a) bottleneck parameter as homogenised cones: per cell
its generators $(x, 1)$ (vertices) and $(r, 0)$ (extreme rays) with the homogenised $\tilde h$ there, and the
sign tests on them that :mod:`~semialg.families.bottleneck.local` decides its moves by (a linear map negative on
a cell's part of a half-space, or of $\{\tilde h \ge 0\}$: checked at the generators of that cut cone)."""

from __future__ import annotations

import functools
import itertools
import math

from flint import fmpq

from semialg.core.exact import dot, fingerprint, normalise_row, nullspace, rank
from semialg.core.network import Network
from semialg.families.bottleneck.arrangement import NetworkArrangement, arrangement_of
from semialg.families.bottleneck.views import OuterView
from semialg.geometry.polyhedron import decide

__all__ = ["cell_cones", "cut_generators", "far_directions", "level", "live_rows_basis", "modulo_lineality",
           "pbar_recession", "ray_key", "robustness"]

_ZERO, _ONE = fmpq(0), fmpq(1)
#: candidate subsets (over all cells) beyond which cells' generators are not enumerated
_GENERATOR_WORK = 20000


@functools.lru_cache(maxsize=8)
def cell_cones(net: Network) -> list[list] | None:
    """:func:`_cones_on_the_line` on the line, else :func:`_cones` (``None`` when not enumerated)."""
    view = OuterView.of(net)
    return _cones_on_the_line(view) if net.widths[0] == 1 else _cones(net, view)


def _cones(net: Network, view: OuterView) -> list[list] | None:
    r"""Per cell of the first layer's arrangement ($n_0 \ge 2$): its generators $(x, 1)$ (vertices) and $(r, 0)$
    (extreme rays), each with its $t$ and the homogenised $\tilde h$ there. In the plane from the sweep; in higher
    dimension by :func:`_cell_generators`, and ``None`` when the enumeration would exceed ``_GENERATOR_WORK``
    candidate subsets."""
    arr = arrangement_of(net)
    n0 = arr.dim
    normals = [line[:-1] for line in arr.lines]
    lineality = nullspace(normals) if normals else [tuple(_ONE if i == j else _ZERO for j in range(n0))
                                                    for i in range(n0)]
    if n0 > 2 and math.comb(len(arr.lines) + 1, n0 - len(lineality)) * len(arr.cells) > _GENERATOR_WORK:
        return None
    maps = arr.affine_maps(arr.neuron_data(view.inner), arr.cells)
    out = []
    for cell, (lin, const) in zip(arr.cells, maps, strict=True):
        vertices, rays = (cell.vertices, cell.rays) if n0 == 2 else _cell_generators(arr, cell, lineality)
        out.append([(x + (_ONE,), _ONE, dot(lin, x) + const) for x in vertices]
                   + [(r + (_ZERO,), _ZERO, dot(lin, r)) for r in rays])
    return out


def _cell_generators(arr: NetworkArrangement, cell, lineality: list[tuple]) -> tuple[list, list]:
    r"""Vertices and rays generating the closure of a cell: $C = (C \cap L^\perp) + L$ for the lineality space
    $L$ of the arrangement (every row vanishes on it, a basis given), so the vertices and extreme rays of the
    pointed $C \cap L^\perp$ and $\pm$ a basis of $L$. Those are the extreme rays of the homogenisation
    $\{(x, t) : x \perp L,\ t \ge 0,\ s_k(a_k\cdot x + c_k t) \ge 0\}$, each spanning the kernel of $L$ and
    of $r = n_0 - \dim L$ independent rows among these and satisfying all of them, by enumeration of the
    $\binom{N + 1}{r}$ subsets."""
    n0 = arr.dim
    rows = [tuple(s * x for x in line) for s, line in zip(cell.signs, arr.lines, strict=True)]
    rows.append((_ZERO,) * n0 + (_ONE,))
    fixed = [tuple(ell) + (_ZERO,) for ell in lineality]
    found = {}
    for subset in itertools.combinations(rows, n0 - len(lineality)):
        kernel = nullspace(list(subset) + fixed)
        if len(kernel) != 1:
            continue
        y = kernel[0]
        values = [dot(r, y) for r in rows]
        if all(x <= 0 for x in values):
            y = tuple(-x for x in y)
        elif not all(x >= 0 for x in values):
            continue
        found.setdefault(ray_key(y), y)
    vertices = [tuple(x / y[-1] for x in y[:-1]) for y in found.values() if y[-1] != 0]
    rays = [y[:-1] for y in found.values() if y[-1] == 0]
    return vertices, rays + [tuple(ell) for ell in lineality] + [tuple(-x for x in ell) for ell in lineality]


def _cones_on_the_line(view: OuterView) -> list[list]:
    r"""As :func:`_cones` for $n_0 = 1$: the intervals between consecutive kinks of the first layer (and the two
    rays beyond), $h$ affine on each closed one, read off exact values at two of its points."""
    h = lambda x: view.inner((x,))[0]  # noqa: E731
    kinks = sorted({-b / w[0] for w, b in zip(view.w, view.b, strict=True) if w[0] != 0})
    if not kinks:
        kinks = [_ZERO]                 # h is affine: split the line anywhere

    def cell(lo, hi, gens):
        p, q = (lo, lo + 1) if hi is None else ((hi - 1, hi) if lo is None else (lo, hi))
        slope = (h(q) - h(p)) / (q - p)
        const = h(p) - slope * p
        return [(g, g[1], slope * g[0] + const * g[1]) for g in gens]

    out = [cell(None, kinks[0], [(kinks[0], _ONE), (-_ONE, _ZERO)]),
           cell(kinks[-1], None, [(kinks[-1], _ONE), (_ONE, _ZERO)])]
    out += [cell(a, b, [(a, _ONE), (b, _ONE)]) for a, b in zip(kinks, kinks[1:])]
    return out


def pbar_recession(cones: list[list], n0: int) -> list[tuple[list, set]]:
    r"""Per cell of ``cones`` meeting $P$: its generators and the recession directions of its part of $\bar P$ —
    the cell's rays with $\tilde h \ge 0$ and, for each pair of rays across $\tilde h = 0$, the positive
    combination on it ($h$ is affine on the cell, so these generate that part's recession cone)."""
    parts = []
    for gens in cones:
        if any(val > 0 for _, _, val in gens):
            rays = [(g[:n0], val) for g, s, val in gens if s == 0]
            parts.append((gens, {g for g, val in rays if val >= 0} | {
                tuple(abs(vj) * a + abs(vi) * b for a, b in zip(gi, gj, strict=True))
                for (gi, vi), (gj, vj) in itertools.combinations(rays, 2) if vi * vj < 0}))
    return parts


def robustness(side, gens) -> int:
    r"""2 if the linear map $\tilde h$ is negative on the closed cone generated by ``gens`` (triples: generator
    $(x, t)$, its $t$, $\tilde h$ there) cut by $\mathrm{side}\cdot(x, t) \ge 0$, the origin excepted; else 1 if
    it is negative there for $t > 0$ and non-positive for $t = 0$ ($h$ has a negative supremum on the cell's
    part of the half-space); else 0. Read off the generators on that side and the points where pairs of them
    across the plane meet it: the extreme rays of the cut cone are among these, and all of them lie in it."""
    return level([dot(side, g) for g, _, _ in gens], gens)


def level(zs, gens) -> int:
    r""":func:`robustness` for the half-space $z \ge 0$ given by its values ``zs`` at the generators."""
    points = [(t, val) for z, (_, t, val) in zip(zs, gens, strict=True) if z >= 0]
    points += [(zi * tj - zj * ti, zi * vj - zj * vi) for zi, (_, ti, vi) in zip(zs, gens, strict=True) if zi > 0
               for zj, (_, tj, vj) in zip(zs, gens, strict=True) if zj < 0]
    if all(val < 0 for _, val in points):
        return 2
    return 1 if all(val < 0 if t > 0 else val <= 0 for t, val in points) else 0


def cut_generators(gens) -> list[tuple]:
    r"""Generators of the cone over a cell's part of $\{\tilde h \ge 0\}$ (``gens`` as :func:`cell_cones` gives
    them): those with $\tilde h \ge 0$ and, for each pair across $\tilde h = 0$, the positive combination on it.
    For a cell meeting $P$ this is the cone over its part of $\bar P$ ($h$ is affine and not $0$ on the cell)."""
    out = [g for g, _, val in gens if val >= 0]
    out += [tuple(vi * b - vj * a for a, b in zip(gi, gj, strict=True))
            for gi, _, vi in gens if vi > 0 for gj, _, vj in gens if vj < 0]
    return out


def ray_key(g) -> tuple:
    """A hashable key of the ray through ``g``: its direction and orientation (positive multiples share it)."""
    key, _, sign = normalise_row(g)
    return fingerprint(tuple(sign * x for x in key))


def live_rows_basis(view: OuterView) -> list[tuple]:
    r"""A basis of $L_h^\perp$, the span of the rows of the neurons with $v \ne 0$ ($h$ is invariant along $L_h$)."""
    basis: list[tuple] = []
    for w, v in zip(view.w, view.v, strict=True):
        if v != 0 and rank(basis + [tuple(w)]) > len(basis):
            basis.append(tuple(w))
    return basis


def modulo_lineality(gens: list, basis: list[tuple]) -> list:
    r"""A cell's generators (:func:`cell_cones`) without its rays along $L_h$ (the common kernel of ``basis``): the
    cell modulo $L_h$, where $h$ and every row in $L_h^\perp$ are invariant."""
    n0 = len(basis[0]) if basis else 0
    return [(g, s, val) for g, s, val in gens if s != 0 or any(dot(q, g[:n0]) for q in basis)]


def far_directions(cones: list[list], view: OuterView) -> list[tuple]:
    r"""Linearly independent directions $d \perp L_h$ with $h_\infty < 0$ on the closed half-sphere
    $\{r : d\cdot r \ge 0\}$ of the quotient by $L_h$ (the common kernel of the rows of the neurons with $v \ne 0$,
    along which $h$ and the activity of a row $d \perp L_h$ are invariant), as many as $\dim L_h^\perp$, or
    ``[]`` if there are none. Those $d$ form an open cone: $d\cdot z < 0$ for every generator $z \notin L_h$ of
    the cones $\{r \in \mathrm{rec}\,C : h_\infty(r) \ge 0\}$ of the cells $C$ (:func:`cut_generators` of their
    rays), decided with a point $d_0$ exactly (:func:`~semialg.geometry.polyhedron.decide`), then $d_0 + 2^{-j}q$
    for a basis $q$ of $L_h^\perp$ and the first $j$ keeping all of them in it (checked exactly)."""
    basis = live_rows_basis(view)
    if not basis:
        return []
    Z = [z for gens in cones for z in (g[:len(view.w[0])] for g in cut_generators([x for x in gens if x[1] == 0]))
         if any(dot(q, z) for q in basis)]
    found = decide([tuple(-dot(q, z) for q in basis) for z in Z], (_ZERO,) * len(Z), len(basis))
    if not found:
        return []

    def direction(alpha) -> tuple:
        return tuple(sum((a * q[j] for a, q in zip(alpha, basis, strict=True)), _ZERO) for j in range(len(view.w[0])))

    def valid(alpha) -> bool:
        d = direction(alpha)
        return any(d) and all(dot(d, z) < 0 for z in Z)

    for j in range(64):
        step = fmpq(1, 2 ** j)
        tilted = [tuple(a + step * (i == m) for m, a in enumerate(found.point)) for i in range(len(basis))]
        if all(map(valid, tilted)) and rank([direction(t) for t in tilted]) == len(basis):
            return [direction(t) for t in tilted]
    return []
