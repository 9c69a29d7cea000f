r"""Exact hyperplane arrangements: the open cells, the sign range of an affine function on a cell.

An arrangement is a list of normalised affine forms $\ell_k(x) = a_k\cdot x + c_k$ (rows $(a_k, c_k)$); a cell
is a non-empty open set $\{s_k\ell_k > 0\ \forall k\}$ given by its sign vector. In the plane the cells come
from an exact sweep over the vertices (:meth:`Arrangement.sweep`) — no linear programs — together with
their vertices and extreme recession rays, so that $\max_C \ell$ is read off without an LP; in higher
dimension the caller supplies the cells (e.g. from a region enumeration) and range questions are exact
LPs (:func:`semialg.geometry.polyhedron.decide`).

>>> A = Arrangement([(fmpq(1), fmpq(0), fmpq(0)), (fmpq(0), fmpq(1), fmpq(0))], dim=2)
>>> cells = A.sweep(); len(cells), A.face_count()
(4, 4)
>>> sorted(A.range_sign(c, ((fmpq(1), fmpq(1)), fmpq(0))) for c in cells)
[-1, 0, 0, 1]
"""

from __future__ import annotations

import functools
import itertools
import math
import time
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
from flint import fmpq

from semialg.core.exact import dot, fingerprint, integer_rows, nullspace
from semialg.core.limbs import Limbs
from semialg.errors import UndecidedError
from semialg.geometry.polyhedron import decide

__all__ = ["Cell", "Arrangement", "Affine", "evaluate", "negate"]

_ZERO = fmpq(0)
Vec = tuple[fmpq, ...]
Affine = tuple[Vec, fmpq]  # (linear part, constant)


def evaluate(A: Affine, x: Sequence[fmpq]) -> fmpq:
    """$A(x)$ for an affine map ``A = (linear part, constant)``."""
    return dot(A[0], x) + A[1]


def negate(A: Affine) -> Affine:
    """$-A$."""
    return tuple(-x for x in A[0]), -A[1]


def _sign(x) -> int:
    return (x > 0) - (x < 0)


@dataclass(frozen=True)
class Cell:
    """An open cell of a hyperplane arrangement: sign vector, interior point, and (in the plane, or when read off
    a simple arrangement's vertices) the vertices of its closure and recession directions among which are its
    extreme rays, so that $\\max_C \\ell$ of an affine $\\ell$ is read off without an LP."""

    signs: tuple[int, ...]
    point: Vec | None = None
    vertices: tuple[Vec, ...] = ()
    rays: tuple[Vec, ...] = ()


class Arrangement:
    """The arrangement of the hyperplanes ``lines`` (rows $(a_k, c_k)$ of length ``dim + 1``) in $\\mathbb{Q}^{dim}$.

    ``cells`` is set by the caller (or by :meth:`sweep` in the plane). The rows should be normalised and
    pairwise distinct (e.g. by :func:`semialg.core.exact.normalise_row`); the sweep needs integer-friendly
    rows of moderate size (coefficients are brought to a common denominator).
    """

    def __init__(self, lines: Sequence[Vec], dim: int):
        self.lines: list[Vec] = list(lines)
        self.dim = dim
        self.cells: list[Cell] = []

    def has_vertex(self) -> bool:
        """Whether two of the lines (in the plane) cross."""
        return any(l1[0] * l2[1] - l1[1] * l2[0] != 0 for l1, l2 in itertools.combinations(self.lines, 2))

    def value(self, k: int, x: Sequence[fmpq]) -> fmpq:
        """$\\ell_k(x)$."""
        line = self.lines[k]
        return dot(line[:-1], x) + line[-1]

    def inequalities(self, cell: Cell) -> tuple[list[Vec], list[fmpq]]:
        """The cell as $\\{x : Gx + h > 0\\}$: ``(G, h)``."""
        G = [tuple(s * x for x in line[:-1]) for s, line in zip(cell.signs, self.lines, strict=True)]
        h = [s * line[-1] for s, line in zip(cell.signs, self.lines, strict=True)]
        return G, h

    def range_sign(self, cell: Cell, A: Affine) -> int:
        """$-1$ if $A \\le 0$ on the cell, $+1$ if $A \\ge 0$ there (and not $\\le 0$), $0$ if it takes both signs.

        From the cell's vertices and extreme rays when known ($\\max_C A$ is attained there), else two exact LPs.
        """
        if cell.vertices:
            vals = [evaluate(A, v) for v in cell.vertices] + [dot(A[0], r) for r in cell.rays]
            if all(x <= 0 for x in vals):
                return -1
            return 1 if all(x >= 0 for x in vals) else 0
        G, h = self.inequalities(cell)
        if not decide(G + [A[0]], h + [A[1]], self.dim):
            return -1
        neg = negate(A)
        return 0 if decide(G + [neg[0]], h + [neg[1]], self.dim) else 1

    def point_where(self, cell: Cell, strict: Sequence[Affine]) -> Vec | None:
        """An exact point of the cell where every affine map in ``strict`` is positive, or ``None``."""
        G, h = self.inequalities(cell)
        r = decide(G + [A[0] for A in strict], h + [A[1] for A in strict], self.dim)
        return r.point if r else None

    def interior_point(self, cell: Cell) -> Vec:
        """A rational point of the open cell: the mean of its vertices plus the sum of its extreme rays (an
        interior point of a 2-D pointed polyhedron), checked exactly, else an exact LP."""
        if cell.point is not None:
            return cell.point
        if cell.vertices:
            n = fmpq(len(cell.vertices))
            x = tuple(sum((v[i] for v in cell.vertices), _ZERO) / n + sum((r[i] for r in cell.rays), 0)
                      for i in range(self.dim))
            if all(_sign(self.value(k, x)) == s for k, s in enumerate(cell.signs)):
                return x
        return self.point_where(cell, ())

    def positive_hyperplanes(self, maps: Sequence[Affine], ranges: Sequence[int] | None = None,
                             candidates: Iterable[int] | None = None,
                             deadline: float | None = None) -> dict[int, Vec]:
        r"""The hyperplanes $H_k$ (among ``candidates``, default all) on which $F > 0$ somewhere, for the continuous
        $F$ equal to ``maps[i]`` on the closure of ``cells[i]``, each with an exact point of $H_k$ on no other
        hyperplane where $F > 0$. ``cells`` must be all the cells; ``ranges[i]`` $= -1$ (as :meth:`range_sign`)
        marks a cell where $F \le 0$, whose facets need no LP.

        The cells of the arrangement restricted to $H_k$ are dense in $H_k$, and each is the relative interior of
        the common facet of the two cells whose signs differ exactly at $k$; $F > 0$ on an open subset of $H_k$
        if it is positive anywhere on it. So $H_k$ qualifies iff, for some such pair with neither cell off
        $\{F > 0\}$, $\{x \in H_k : s_j\ell_j(x) > 0\ (j \ne k),\ A_i(x) > 0\}$ is non-empty: one exact strict
        feasibility decision in $H_k$'s coordinates, tried in the order of a float estimate (the first usually
        succeeds). Past ``deadline`` (a :func:`time.monotonic` value): :class:`~semialg.errors.UndecidedError`.
        Cost: $O(|\text{cells}|\cdot N)$ per hyperplane to pair the cells, plus at most one LP per facet.

        >>> A = Arrangement([(fmpq(1), fmpq(0), fmpq(0), fmpq(0)), (fmpq(0), fmpq(1), fmpq(0), fmpq(0))], dim=3)
        >>> A.cells = [Cell((s, t), (fmpq(s), fmpq(t), fmpq(0))) for s in (1, -1) for t in (1, -1)]
        >>> F = [((fmpq(0), fmpq(0), fmpq(0)), fmpq(s) - 2) for s in (1, -1) for _ in (1, -1)]   # 1 - 2 = -1 or -3
        >>> sorted(A.positive_hyperplanes(F))
        []
        >>> sorted(A.positive_hyperplanes([((fmpq(0), fmpq(1), fmpq(0)), fmpq(0))] * 4))    # F = y: on x = 0 only
        [0]
        """
        signs = np.array([c.signs for c in self.cells], dtype=np.int8).reshape(len(self.cells), len(self.lines))
        index = {row.tobytes(): i for i, row in enumerate(signs)}
        off = np.zeros(len(self.cells), bool) if ranges is None else np.array(ranges) < 0
        found: dict[int, Vec] = {}
        for k in range(len(self.lines)) if candidates is None else candidates:
            signs[:, k] *= -1
            pairs = [(i, j) for i in np.flatnonzero((signs[:, k] < 0) & ~off)
                     if (j := index.get(signs[i].tobytes())) is not None and not off[j]]
            signs[:, k] *= -1
            a, c = self.lines[k][:-1], self.lines[k][-1]
            x0 = tuple(-c / dot(a, a) * t for t in a)
            basis = nullspace([list(a)])
            pairs.sort(key=lambda ij: -self._estimate(maps[ij[0]], self.cells[ij[0]].point, a, c))
            for i, _ in pairs:
                if deadline is not None and time.monotonic() > deadline:
                    raise UndecidedError(f"positive hyperplanes: the deadline passed at hyperplane {k + 1} of "
                                         f"{len(self.lines)} ({len(found)} found positive)")
                x = self._point_on_facet(self.cells[i], k, maps[i], x0, basis)
                if x is not None:
                    found[k] = x
                    break
        return found

    def _point_on_facet(self, cell: Cell, k: int, A: Affine, x0: Vec, basis: list[Vec]) -> Vec | None:
        r"""A point $x_0 + By$ of the facet $\overline{C} \cap H_k$'s relative interior with $A > 0$, or ``None``."""
        def restrict(lin: Vec, const: fmpq) -> tuple[Vec, fmpq]:
            return tuple(dot(lin, col) for col in basis), dot(lin, x0) + const
        rows = [restrict(tuple(s * t for t in line[:-1]), s * line[-1])
                for j, (s, line) in enumerate(zip(cell.signs, self.lines, strict=True)) if j != k]
        rows.append(restrict(*A))
        found = decide([g for g, _ in rows], [h for _, h in rows], len(basis))
        if not found:
            return None
        return tuple(t + sum((y * col[i] for y, col in zip(found.point, basis, strict=True)), _ZERO)
                     for i, t in enumerate(x0))

    @staticmethod
    def _estimate(A: Affine, point: Vec | None, a: Vec, c: fmpq) -> float:
        r"""$A$ at the orthogonal projection of ``point`` on $\{a\cdot x + c = 0\}$, in floats (only to order)."""
        if point is None:
            return 0.0
        p, u = np.array([float(t) for t in point]), np.array([float(t) for t in a])
        q = p - (p @ u + float(c)) / (u @ u) * u
        return float(np.array([float(t) for t in A[0]]) @ q + float(A[1]))

    def sweep(self) -> list[Cell]:
        """Cells of a line arrangement in the plane from its vertices: no linear programs.

        Around a vertex $v$ on the lines $T$ the $2|T|$ sectors are cells; a cell's sign on a line of $T$ is the
        sign at the bisector of its sector, on the other lines it is the sign at $v$. Every cell of an
        arrangement with two non-parallel lines has a vertex (the caller adds an auxiliary line otherwise), so
        this finds all cells, each with all its vertices. Its extreme rays are the line directions $r$ it
        contains at infinity: the cells at infinity in direction $r$ are the gaps between the lines parallel
        to $r$. Exact integer arithmetic (vertices in homogeneous coordinates); cost $O(N^3)$ for $N$ lines.
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
        if L.dtype == object:       # big integers: the signs of the exact product by BLAS on limbs
            at = Limbs.of(np.array(keys, dtype=object).reshape(len(keys), 3).T.tolist())
            signs_at = at.left_multiply_limbs(Limbs.of(L.tolist()).limbs.astype(np.float64)).signs()
        else:
            values = L @ np.array(keys, dtype=L.dtype).reshape(len(keys), 3).T
            signs_at = (values > 0).astype(np.int8) - (values < 0).astype(np.int8)
        base_signs = np.ascontiguousarray(signs_at.T)      # V x N: line j at vertex v (Z_v > 0)
        found: dict = {}
        for col, key in enumerate(keys):
            through = vertices[key]
            point = (fmpq(key[0], key[2]), fmpq(key[1], key[2]))
            if len(through) == 2:       # two lines: the four sectors are the four sign pairs, no angles needed
                k, l = through
                for a, b in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                    signs = base_signs[col].copy()
                    signs[k], signs[l] = a, b
                    found.setdefault(signs.tobytes(), (signs, [], []))[1].append(point)
                continue
            dirs = sorted(((-Lp[k][1] * t, Lp[k][0] * t) for k in through for t in (1, -1)),
                          key=functools.cmp_to_key(_angle_order))
            for r1, r2 in zip(dirs, dirs[1:] + dirs[:1], strict=True):
                r = (r1[0] + r2[0], r1[1] + r2[1])
                signs = base_signs[col].copy()
                for k in through:
                    signs[k] = _sign(Lp[k][0] * r[0] + Lp[k][1] * r[1])
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
        return [Cell(tuple(signs.tolist()), None, tuple(verts), tuple(rays)) for signs, verts, rays in found.values()]

    def vertices(self) -> dict:
        """The vertices of a line arrangement in the plane: fingerprint → (point, set of lines through it)."""
        through: dict = {}
        for k, l in itertools.combinations(range(len(self.lines)), 2):
            (a1, b1, c1), (a2, b2, c2) = self.lines[k], self.lines[l]
            Z = a1 * b2 - a2 * b1
            if Z != 0:      # Cramer's rule: a 2x2 solve without the general solver's overhead
                v = ((b1 * c2 - b2 * c1) / Z, (a2 * c1 - a1 * c2) / Z)
                through.setdefault(fingerprint(v), (v, set()))[1].update((k, l))
        return through

    def face_count(self) -> int:
        """The number of cells of a line arrangement in the plane, $1 + N + \\sum_v (t_v - 1)$ ($t_v$ lines
        through vertex $v$), computed independently of the sweep."""
        return 1 + len(self.lines) + sum(len(t) - 1 for _, t in self.vertices().values())


def _angle_order(p: Vec, q: Vec) -> int:
    """Counter-clockwise order of non-zero plane vectors, starting at the positive $x$-axis."""
    hp = 0 if (p[1] > 0 or (p[1] == 0 and p[0] > 0)) else 1
    hq = 0 if (q[1] > 0 or (q[1] == 0 and q[0] > 0)) else 1
    if hp != hq:
        return hp - hq
    cross = p[0] * q[1] - p[1] * q[0]
    return -_sign(cross)
