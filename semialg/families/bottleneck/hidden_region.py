r"""Case (a) with hidden neurons: the closed regions $\overline P$, $\overline N$ of a parameter $\theta$ as convex
polygons with their vertices, rays and edges, and the map $H_0$.

For $f = c\,\sigma(h) + d$ with $n_0 = 2$, every cell $C$ of the arrangement of the first-layer lines of
$\theta$ carries one affine piece $A_C$ of $h$; $\overline P$ is the union of the polygons
$\overline C \cap \{A_C \ge 0\}$ and $\overline N = \{h \le 0\}$ the union of $\overline C \cap \{A_C \le 0\}$
(full-dimensional ones only). Each polygon is kept with its inequalities, its vertices and its extreme rays
(pointed: the first layer has two non-parallel rows), so that "an affine map is $\ge 0$ on the polygon" is a
finite list of conditions at vertices and rays. $H_0 = h_V + A$ is $h$ with its hidden neurons removed and the
U+ neurons replaced by their affine maps: the visible part plus the affine map $A$ of $h$ on $P$.

>>> R = HiddenRegion(Network.random((2, 3, 1, 1), seed=9, height=3))
>>> R.classes, R.p_points, len(R.n_pieces), R.e_pieces
(('V', 'U+', 'U-'), ((-14/17, -38/51),), 7, [])
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Sequence

from flint import fmpq

from semialg.core.exact import dot
from semialg.core.network import Network, relu
from semialg.errors import ArchitectureError
from semialg.families.bottleneck.arrangement import NetworkArrangement
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import OuterView, Vec, _ZERO, _scale, _vadd
from semialg.geometry.arrangement import Affine

__all__ = ["Polygon", "HiddenRegion", "polygon"]

Row = tuple[fmpq, fmpq, fmpq]  # a x + b y + c >= 0


@dataclass(frozen=True)
class Polygon:
    """A pointed polyhedron of the plane: ``rows`` ($a\\cdot x + c \\ge 0$), ``vertices``, extreme ``rays``, and
    the affine map ``H0`` of $H_0$ on it (its cell's piece)."""

    rows: tuple[Row, ...]
    vertices: tuple[Vec, ...]
    rays: tuple[Vec, ...]
    H0: Affine | None = None


def _direction(d: Vec) -> Vec:
    """``d`` scaled so that its first non-zero entry is $\\pm 1$ (positive scaling only: a direction key)."""
    s = next(abs(x) for x in d if x != 0)
    return tuple(x / s for x in d)


def _value(row: Row, x: Vec) -> fmpq:
    return row[0] * x[0] + row[1] * x[1] + row[2]


def polygon(rows: Sequence[Row], H0: Affine | None = None) -> Polygon | None:
    r"""Vertices and extreme rays of $\{x \in \mathbb{Q}^2 : \text{every row} \ge 0\}$, by brute force (every pair of
    rows; every direction of a row's line); ``None`` when it has no vertex (empty — the polyhedra here are
    pointed). Cost: $O(r^3)$ for $r$ rows.

    >>> one, zero = fmpq(1), fmpq(0)
    >>> Q = polygon([(one, zero, zero), (zero, one, zero)]); Q.vertices, sorted(Q.rays)
    (((0, 0),), [(0, 1), (1, 0)])
    """
    rows = tuple(rows)
    verts: dict = {}
    for r1, r2 in itertools.combinations(rows, 2):
        det = r1[0] * r2[1] - r2[0] * r1[1]
        if det == 0:
            continue
        x = ((r2[2] * r1[1] - r1[2] * r2[1]) / det, (r2[0] * r1[2] - r1[0] * r2[2]) / det)
        if all(_value(r, x) >= 0 for r in rows):
            verts[x] = None
    if not verts:
        return None
    rays: dict = {}
    for r in rows:
        for d in ((-r[1], r[0]), (r[1], -r[0])):
            if any(d) and all(q[0] * d[0] + q[1] * d[1] >= 0 for q in rows):
                rays[_direction(d)] = None
    return Polygon(rows, tuple(verts), tuple(rays), H0)


def _clip(Q: Polygon, A: Affine) -> Polygon | None:
    """$Q \\cap \\{A \\ge 0\\}$ when it is full-dimensional ($A > 0$ somewhere on $Q$), else ``None``."""
    if not (any(_affine(A, v) > 0 for v in Q.vertices) or any(dot(A[0], r) > 0 for r in Q.rays)):
        return None
    return polygon(Q.rows + (tuple(A[0]) + (A[1],),), Q.H0)


def _affine(A: Affine, x: Vec) -> fmpq:
    return dot(A[0], x) + A[1]


class HiddenRegion:
    r"""The fixed data of a case-(a) parameter $\theta$ with $n_0 = 2$ that the hidden-neuron fibre needs.

    ``p_points``/``p_rays`` generate the convex hull of $\overline P$ (an affine map is $\ge 0$ on $\overline P$
    iff it is $\ge 0$ at these points and its linear part at these rays); ``n_pieces`` are the polygons of
    $\overline N$ with $H_0$ on each; ``e_pieces`` the full-dimensional polygons of
    $\overline N \cap \{H_0 \ge 0\}$ (empty when $H_0 \le 0$ on $\overline N$). Cost: the plane sweep of the
    arrangement plus $O(r^3)$ per cell.
    """

    def __init__(self, net: Network):
        if net.architecture.input_dim != 2:
            raise ArchitectureError("explicit case-(a) fibres with hidden neurons need n0 = 2")
        self.net = net
        self.view = view = OuterView.of(net)
        self.classes = combinatorial_type(net).classes
        arr = NetworkArrangement((net,))
        if arr.auxiliary:
            raise ArchitectureError("explicit case-(a) fibres with hidden neurons need two non-parallel "
                                    "first-layer rows (otherwise f is a ridge function)")
        data = arr.neuron_data(view.inner)
        rows, _ = data
        maps = arr.affine_maps(data, arr.cells)
        self.p_points: dict = {}
        self.p_rays: dict = {}
        self.n_pieces: list[Polygon] = []
        for cell, A in zip(arr.cells, maps, strict=True):
            cell_rows = tuple(tuple(s * x for x in line) for s, line in zip(cell.signs, arr.lines, strict=True))
            lin, const = list(_scale(_ZERO, A[0])), self.view.e
            for (k, s, vi, w, b), cls in zip(rows, self.classes, strict=True):
                if cls == "U+" or (cls == "V" and cell.signs[k] * s > 0):
                    lin, const = list(_vadd(lin, w, vi)), const + vi * b
            H0 = (tuple(lin), const)
            sign = arr.range_sign(cell, A)
            if sign >= 0:
                Q = polygon(cell_rows + (tuple(A[0]) + (A[1],),))
                if Q is not None:
                    self.p_points.update(dict.fromkeys(Q.vertices))
                    self.p_rays.update(dict.fromkeys(Q.rays))
            if sign <= 0:
                Q = polygon(cell_rows + (tuple(-x for x in A[0]) + (-A[1],),), H0)
                if Q is not None:
                    self.n_pieces.append(Q)
        self.p_points, self.p_rays = tuple(self.p_points), tuple(self.p_rays)
        self.e_pieces = [E for E in (_clip(Q, Q.H0) for Q in self.n_pieces) if E is not None]

    def h(self, x: Vec) -> fmpq:
        return self.view.inner(x)[0]

    def H0(self, x: Vec) -> fmpq:
        """$H_0(x) = \\sum_V v_k\\sigma(\\ell_k(x)) + \\sum_{U^+} v_i\\ell_i(x) + e$, exactly."""
        out = self.view.e
        for w, b, v, cls in zip(self.view.w, self.view.b, self.view.v, self.classes, strict=True):
            if cls == "V":
                out += v * relu(dot(w, x) + b)
            elif cls == "U+":
                out += v * (dot(w, x) + b)
        return out

    def affine_on_p(self, flipped: Sequence[int] = ()) -> tuple[Vec, fmpq]:
        r"""$B = A + \sum_{k \in F} v_k\ell_k$ (linear part, constant): what the U+′ block and $\varepsilon$ of a
        member with the visible neurons $F$ flipped must reproduce on $P$."""
        lin, const = (_ZERO, _ZERO), self.view.e
        for i, (w, b, v, cls) in enumerate(zip(self.view.w, self.view.b, self.view.v, self.classes, strict=True)):
            if cls == "U+" or i in flipped:
                lin, const = _vadd(lin, w, v), const + v * b
        return lin, const


def edges(Q: Polygon) -> tuple[list[tuple[Vec, Vec]], list[tuple[Vec, Vec]]]:
    """The bounded edges $(a, b)$ and the unbounded edges $(a, r)$ (from vertex $a$ along ray $r$) of a polygon:
    two vertices on one row's line, or a vertex and a ray along it. Cost: $O(r(v + d))$."""
    bounded, unbounded = {}, {}
    for row in Q.rows:
        on = [v for v in Q.vertices if _value(row, v) == 0]
        along = [d for d in Q.rays if row[0] * d[0] + row[1] * d[1] == 0]
        if len(on) == 2:
            bounded[frozenset(on)] = tuple(on)
        elif len(on) == 1:
            for d in along:
                unbounded[(on[0], d)] = (on[0], d)
    return list(bounded.values()), list(unbounded.values())
