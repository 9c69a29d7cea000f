r"""The cells of a simple hyperplane arrangement, read off its vertices without a linear programme.

Let $H_j = \{x : g_j\cdot x + h_j = 0\}$, $j < n$, be distinct hyperplanes of $\mathbb{R}^d$ whose normals span
$\mathbb{R}^d$ (the arrangement is *essential*). Then no cell contains a line, so the closure of every cell has a
vertex, a point where hyperplanes with $d$ independent normals meet. Call the arrangement *simple* when exactly
$d$ hyperplanes pass through each vertex. Near a vertex $v$ on the hyperplanes $S$ the map
$x \mapsto G_S(x - v)$ is a bijection, so the cells whose closures contain $v$ are exactly the $2^d$ sign vectors
that agree with the signs at $v$ off $S$; the cell with signs $\sigma_S$ on $S$ contains $v + \varepsilon u$ with
$G_Su = \sigma_S$ for every $\varepsilon > 0$ below the first parameter where $v + \varepsilon u$ meets another
hyperplane. Two cells whose sign vectors differ in the place $j$ alone share a facet on $H_j$ (the segment between
their points crosses $H_j$ and no other hyperplane), so the facets are the one-place flips that are cells again.
This is the vertex enumeration of the arrangement (Edelsbrunner, *Algorithms in Combinatorial Geometry*, 1987,
ch. 7), done with exact rational linear algebra.

>>> from flint import fmpq
>>> one, zero = fmpq(1), fmpq(0)
>>> cells = simple_arrangement_cells([((one, zero), zero), ((zero, one), zero), ((one, one), -one)])
>>> len(cells), sorted(len(facets) for _, _, facets, *_ in cells)
(7, [2, 2, 2, 3, 3, 3, 3])
"""

from __future__ import annotations

import itertools
import math
import time
from typing import Sequence

from flint import fmpq, fmpq_mat

from semialg.core.exact import normalise_row, rank
from semialg.errors import UndecidedError

__all__ = ["simple_arrangement_cells", "MAX_VERTICES", "MAX_DIMENSION"]

Vec = tuple[fmpq, ...]

#: The most $d$-subsets of hyperplanes (vertex candidates) read; beyond, ``None`` (the caller's search decides).
MAX_VERTICES = 10 ** 6
#: The largest dimension read off vertices: each vertex is met by $2^d$ cells.
MAX_DIMENSION = 10


def simple_arrangement_cells(rows: Sequence[tuple[Vec, fmpq]], deadline: float | None = None,
                             faces: bool = False) -> list[tuple] | None:
    r"""Every cell of the arrangement of the distinct hyperplanes ``rows`` $= (g_j, h_j)$ (module docstring) as
    ``(signs, point, facets, vertices, rays)``: the sign of $g_j\cdot x + h_j$ on the cell for every $j$, an exact
    point inside it, the $j$ whose hyperplane carries a facet of it, and with ``faces`` (else ``()``) the vertices
    of its closure and directions $r \ne 0$ of its recession cone among which are its extreme rays: then
    $\sup_C \ell = \max_{\text{vertices}} \ell$ unless $\ell$ grows along a ray (no LP). A ray of the cone is
    extreme when $d - 1$ independent rows vanish on it, so the rays are read like the vertices, from the lines
    $\{g_j\cdot r = 0,\ j \in T\}$, $|T| = d - 1$, and the cells whose signs agree with $r$'s off $T$.
    ``None`` when the vertex reading does not apply: the normals do not span $\mathbb{R}^d$, a vertex lies on
    more than $d$ hyperplanes, $d >$ :data:`MAX_DIMENSION` or more than :data:`MAX_VERTICES` $d$-subsets. Past
    ``deadline`` (:func:`time.monotonic`) :class:`~semialg.errors.UndecidedError`.

    Cost: $\binom{n}{d}$ exact $d \times d$ inversions and $O(nd)$ products per vertex, $O(nd)$ more per cell (there
    are at least as many cells as vertices, so this is linear in the output up to those factors); with ``faces``
    also $\binom{n}{d-1}$ rays of $d$ determinants each and $2^d$ incidences per vertex and ray; no LP.
    """
    n = len(rows)
    d = len(rows[0][0]) if rows else 0
    if d == 0 or n < d or d > MAX_DIMENSION or math.comb(n, d) > MAX_VERTICES or rank([g for g, _ in rows]) < d:
        return None
    cells: dict[tuple[int, ...], Vec] = {}
    incident: dict[tuple[int, ...], list] = {}
    orthants = list(itertools.product((-1, 1), repeat=d))
    normals, offsets = fmpq_mat([list(g) for g, _ in rows]), [h for _, h in rows]
    for count, S in enumerate(itertools.combinations(range(n), d)):
        _check(deadline, count, f"{count} of {math.comb(n, d)} vertex candidates ({len(cells)} cells)")
        G = fmpq_mat([list(rows[i][0]) for i in S])
        if G.det() == 0:
            continue
        inverse = G.inv()
        v = inverse * fmpq_mat([[-rows[i][1]] for i in S])
        values = [x + h for x, h in zip(normals * v, offsets, strict=True)]
        if sum(1 for x in values if x == 0) != d:
            return None     # more than d hyperplanes through v: the cells near v are not the 2^d orthants
        signs = [(x > 0) - (x < 0) for x in values]
        for sigma in orthants:
            for i, s in zip(S, sigma, strict=True):
                signs[i] = s
            key = tuple(signs)
            if faces:
                incident.setdefault(key, []).append(tuple(v))
            if key in cells:
                continue
            u = inverse * fmpq_mat([[fmpq(s)] for s in sigma])
            # stop halfway to the first hyperplane v + t u meets, never farther than t = 1
            t = min([-x / y for x, y in zip(values, normals * u, strict=True) if x * y < 0] + [fmpq(2)]) / 2
            cells[key] = tuple(v + t * u)
    rays = _rays(rows, cells, deadline) if faces else {}
    flips = lambda key, j: key[:j] + (-key[j],) + key[j + 1:]  # noqa: E731
    return [(key, point, [j for j in range(n) if flips(key, j) in cells], tuple(incident.get(key, ())),
             tuple(rays.get(key, ()))) for key, point in cells.items()]


def _rays(rows, cells: dict, deadline: float | None) -> dict[tuple[int, ...], list[Vec]]:
    r"""For every cell, the directions $\pm r$ of the lines where $d - 1$ independent rows vanish that lie in its
    recession cone (its signs agree with $r$'s wherever $g_j\cdot r \ne 0$)."""
    n, d = len(rows), len(rows[0][0])
    out: dict[tuple[int, ...], list[Vec]] = {}
    seen: set = set()
    for count, T in enumerate(itertools.combinations(range(n), d - 1)):
        _check(deadline, count, f"{count} of {math.comb(n, d - 1)} ray candidates")
        G = [list(rows[i][0]) for i in T]
        # the kernel of the (d-1) x d rows: signed maximal minors (zero exactly when the rows are dependent)
        r = tuple(fmpq((-1) ** k) * (fmpq_mat([row[:k] + row[k + 1:] for row in G]).det() if d > 1 else fmpq(1))
                  for k in range(d))
        if not any(r):
            continue
        key = normalise_row(r)[0]
        if key in seen:         # more than d - 1 rows vanish on this line
            continue
        seen.add(key)
        slopes = [sum((a * b for a, b in zip(g, r)), fmpq(0)) for g, _ in rows]
        zero = [j for j, y in enumerate(slopes) if y == 0]
        for s0, direction in ((1, r), (-1, tuple(-x for x in r))):
            signs = tuple(s0 * ((y > 0) - (y < 0)) for y in slopes)
            if 2 ** len(zero) > len(cells):     # many rows vanish on r: scan the cells instead
                found = [c for c in cells if all(a == b for a, b in zip(c, signs, strict=True) if b)]
            else:
                found = []
                for sigma in itertools.product((-1, 1), repeat=len(zero)):
                    key = list(signs)
                    for j, s in zip(zero, sigma, strict=True):
                        key[j] = s
                    if tuple(key) in cells:
                        found.append(tuple(key))
            for c in found:
                out.setdefault(c, []).append(direction)
    return out


def _check(deadline: float | None, count: int, done: str) -> None:
    if count % 64 == 0 and deadline is not None and time.monotonic() > deadline:
        raise UndecidedError(f"arrangement cells: the deadline passed after {done}")
