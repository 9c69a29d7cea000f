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
>>> len(cells), sorted(len(facets) for _, _, facets in cells)
(7, [2, 2, 2, 3, 3, 3, 3])
"""

from __future__ import annotations

import itertools
import math
import time
from typing import Sequence

from flint import fmpq, fmpq_mat

from semialg.core.exact import rank
from semialg.errors import UndecidedError

__all__ = ["simple_arrangement_cells", "MAX_VERTICES", "MAX_DIMENSION"]

Vec = tuple[fmpq, ...]

#: The most $d$-subsets of hyperplanes (vertex candidates) read; beyond, ``None`` (the caller's search decides).
MAX_VERTICES = 10 ** 6
#: The largest dimension read off vertices: each vertex is met by $2^d$ cells.
MAX_DIMENSION = 10


def simple_arrangement_cells(rows: Sequence[tuple[Vec, fmpq]], deadline: float | None = None
                             ) -> list[tuple[tuple[int, ...], Vec, list[int]]] | None:
    r"""Every cell of the arrangement of the distinct hyperplanes ``rows`` $= (g_j, h_j)$ (module docstring) as
    ``(signs, point, facets)``: the sign of $g_j\cdot x + h_j$ on the cell for every $j$, an exact point inside it,
    and the $j$ whose hyperplane carries a facet of it. ``None`` when the vertex reading does not apply: the normals
    do not span $\mathbb{R}^d$, a vertex lies on more than $d$ hyperplanes, $d >$ :data:`MAX_DIMENSION` or more
    than :data:`MAX_VERTICES` $d$-subsets. Past ``deadline`` (:func:`time.monotonic`)
    :class:`~semialg.errors.UndecidedError`.

    Cost: $\binom{n}{d}$ exact $d \times d$ inversions and $O(nd)$ products per vertex, $O(nd)$ more per cell (there
    are at least as many cells as vertices, so this is linear in the output up to those factors); no LP.
    """
    n = len(rows)
    d = len(rows[0][0]) if rows else 0
    if d == 0 or n < d or d > MAX_DIMENSION or math.comb(n, d) > MAX_VERTICES or rank([g for g, _ in rows]) < d:
        return None
    cells: dict[tuple[int, ...], Vec] = {}
    orthants = list(itertools.product((-1, 1), repeat=d))
    normals, offsets = fmpq_mat([list(g) for g, _ in rows]), [h for _, h in rows]
    for count, S in enumerate(itertools.combinations(range(n), d)):
        if count % 64 == 0 and deadline is not None and time.monotonic() > deadline:
            raise UndecidedError(f"arrangement cells: the deadline passed after {count} of {math.comb(n, d)} "
                                 f"vertex candidates ({len(cells)} cells)")
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
            if key in cells:
                continue
            u = inverse * fmpq_mat([[fmpq(s)] for s in sigma])
            # stop halfway to the first hyperplane v + t u meets, never farther than t = 1
            t = min([-x / y for x, y in zip(values, normals * u, strict=True) if x * y < 0] + [fmpq(2)]) / 2
            cells[key] = tuple(v + t * u)
    flips = lambda key, j: key[:j] + (-key[j],) + key[j + 1:]  # noqa: E731
    return [(key, point, [j for j in range(n) if flips(key, j) in cells]) for key, point in cells.items()]
