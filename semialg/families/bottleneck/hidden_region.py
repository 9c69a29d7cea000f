r"""Case (a) with hidden neurons: the closed regions $\overline P$, $\overline N$ of a parameter $\theta$ as pointed
polyhedra with their exact vertices and extreme rays, and the map $H_0$.

For $f = c\,\sigma(h) + d$ with $n_0 \ge 2$, every cell $C$ of the arrangement of the first-layer hyperplanes of
$\theta$ carries one affine piece $A_C$ of $h$; $\overline P$ is the union of the polyhedra
$\overline C \cap \{A_C \ge 0\}$ and $\overline N = \{h \le 0\}$ the union of $\overline C \cap \{A_C \le 0\}$
(full-dimensional ones only). Each polyhedron is kept with its inequalities, its vertices and its extreme rays, so
that "an affine map is $\ge 0$ on the polyhedron" is a finite list of conditions at vertices and rays. When the
first-layer rows span a subspace $W$ of rank $r < n_0$, every polyhedron is $Q_0 + L$ with $L = W^\perp$ its
lineality space: vertices and extreme rays are those of the pointed $Q_0 = Q \cap W$, and $\pm$ a basis of $L$
are added as rays (the quotient by $L$). $H_0 = h_V + A$ is $h$ with its hidden neurons removed and the U+
neurons replaced by their affine maps: the visible part plus the affine map $A$ of $h$ on $P$.

Vertices and rays come from the cells of a simple arrangement
(:func:`~semialg.geometry.simple_arrangement.simple_arrangement_cells`) and one step of the double description per
cut (:func:`_cut`), else from an exact brute-force double description (:func:`polyhedron`): every choice of
$r$ rows (vertices) or $r - 1$ rows (rays) solved by Cramer's rule over $\mathbb{Q}$; the same Cramer formulas
(:func:`det`, :func:`cramer`, :func:`kernel_direction`) work over polynomial rings, which the off-$P$ formula of
:mod:`~semialg.families.bottleneck.hidden_formula` uses.

>>> R = HiddenRegion(Network.random((2, 3, 1, 1), seed=9, height=3))
>>> R.classes, R.p_points, len(R.n_pieces), R.e_pieces
(('V', 'U+', 'U-'), ((-14/17, -38/51),), 7, [])
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from flint import fmpq, fmpq_mat, fmpz

from semialg.core.exact import dot, nullspace, rank
from semialg.core.network import Network, relu
from semialg.errors import ArchitectureError
from semialg.families.bottleneck.arrangement import NetworkArrangement, arrangement_of
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import OuterView, Vec, _ZERO, _scale, _vadd
from semialg.geometry.arrangement import Affine

__all__ = ["Polyhedron", "HiddenRegion", "closed_cells", "cut_cells", "polyhedron", "det", "cramer",
           "kernel_direction", "maximal_minors", "boundary_points", "hidden_cone"]

Row = tuple[fmpq, ...]  # (a_1, ..., a_n, c): a . x + c >= 0


def det(M):
    """The determinant of a square matrix (list of rows), exact over any commutative ring: by flint for rationals
    ($O(n^3)$), by Laplace expansion otherwise (sympy polynomials; $O(n!)$, $n = n_0$ small there)."""
    if not M:
        return 1
    if _rational(M):
        return fmpq_mat(len(M), len(M), [x for row in M for x in row]).det()
    if len(M) == 1:
        return M[0][0]
    out = 0
    for j, a in enumerate(M[0]):
        if a != 0:
            term = a * det([row[:j] + row[j + 1:] for row in M[1:]])
            out = out + term if j % 2 == 0 else out - term
    return out


def _rational(M) -> bool:
    return all(isinstance(x, (fmpq, fmpz, int)) for row in M for x in row)


def cramer(M, rhs) -> tuple[tuple, object]:
    r"""$(\hat x, \delta)$ with $\delta = \det M$ and $M\hat x = \delta\,\mathrm{rhs}$ (Cramer: $x = \hat x/\delta$
    when $\delta \ne 0$). Exact over any commutative ring.

    >>> cramer([[fmpq(2), fmpq(0)], [fmpq(0), fmpq(1)]], [fmpq(1), fmpq(3)])
    ((1, 6), 2)
    """
    M = [list(row) for row in M]
    n = len(M)
    if _rational(M) and _rational([rhs]):
        A = fmpq_mat(n, n, [x for row in M for x in row])
        delta = A.det()
        if delta != 0:          # one solve instead of n + 1 determinants
            return tuple(delta * t for t in A.solve(fmpq_mat(n, 1, list(rhs))).entries()), delta
    minors = maximal_minors([row + [b] for row, b in zip(M, rhs, strict=True)])
    # x^_i: column i replaced by rhs, i.e. rhs moved from the last place to place i (n - 1 - i transpositions)
    return tuple(m if (n - 1 - i) % 2 == 0 else -m for i, m in enumerate(minors[:n])), minors[n]


def maximal_minors(A) -> list:
    r"""$\det A_{\hat c}$ ($A$ without column $c$) for every column $c$ of an $m \times (m + 1)$ matrix $A$ (list of
    rows), exact over any commutative ring. When the rows with a non-rational entry (e.g. polynomial) come first,
    $k$ of them, by the generalised Laplace expansion along them,
    $\det A_C = \sum_{S} (-1)^{k(k+1)/2 + \sum_{p \in S} p}\,\det A_{\le k, S}\,\det A_{> k, C \setminus S}$
    ($S$ the $k$-subsets of the columns $C$, $p$ their 1-based places in $C$): the $\binom{m+1}{k}$ minors of the
    top rows once each (Laplace, $k$ small) and the $\binom{m+1}{m-k}$ rational minors of the others by flint,
    instead of $m + 1$ expansions that repeat them. Otherwise by :func:`det` per column.

    >>> maximal_minors([[fmpq(1), fmpq(2), fmpq(3)], [fmpq(0), fmpq(1), fmpq(1)]])
    [-1, 1, 1]
    """
    m = len(A)
    cols = range(m + 1)
    k = next((i for i, row in enumerate(A) if _rational([row])), m)
    if k == 0 or not _rational(A[k:]):
        return [det([row[:c] + row[c + 1:] for row in A]) for c in cols]
    top, bottom = A[:k], A[k:]
    high = {S: det([[row[j] for j in S] for row in top]) for S in itertools.combinations(cols, k)}
    low = {T: fmpq_mat(m - k, m - k, [row[j] for row in bottom for j in T]).det()
           for T in itertools.combinations(cols, m - k)}
    out = []
    for c in cols:
        C = [j for j in cols if j != c]
        total = 0
        for places in itertools.combinations(range(m), k):
            T = tuple(C[p] for p in range(m) if p not in places)
            if low[T] == 0:
                continue
            term = high[tuple(C[p] for p in places)] * low[T]
            total = total + term if (k * (k + 1) // 2 + sum(places) + k) % 2 == 0 else total - term
        out.append(total)
    return out


def kernel_direction(M) -> tuple:
    r"""For $n - 1$ rows in $n$ variables: the generalised cross product $d$ ($d_i = (-1)^i\det M_{\hat i}$), with
    $Md = 0$, non-zero iff the rows are independent. Exact over any commutative ring.

    >>> kernel_direction([[fmpq(1), fmpq(2)]])
    (2, -1)
    """
    minors = maximal_minors([list(row) for row in M])
    return tuple(m if i % 2 == 0 else -m for i, m in enumerate(minors))


def _cross(M) -> tuple[fmpq, ...]:
    """:func:`kernel_direction` of rational rows, each minor by flint (the generic version checks every entry's
    type and converts it, per minor: most of the time of a double description)."""
    n = len(M) + 1
    minors = (fmpq_mat(n - 1, n - 1, [x for row in M for x in (*row[:i], *row[i + 1:])]).det() for i in range(n))
    return tuple(m if i % 2 == 0 else -m for i, m in enumerate(minors))


@dataclass(frozen=True)
class Polyhedron:
    """A polyhedron $\\{x : a\\cdot x + c \\ge 0 \\text{ for every row}\\}$ of $\\mathbb{Q}^n$: ``rows``, ``vertices``
    and extreme ``rays`` of its pointed part $Q \\cap L^\\perp$ plus $\\pm$ the ``lineality`` basis $L$ (empty when
    pointed), and the affine map ``H0`` of $H_0$ on it (its cell's piece)."""

    rows: tuple[Row, ...]
    vertices: tuple[Vec, ...]
    rays: tuple[Vec, ...]
    H0: Affine | None = None
    lineality: tuple[Vec, ...] = ()

    @property
    def facets(self) -> tuple[Row, ...]:
        """The distinct rows that define facets: the vertices and rays on the row span a face of dimension
        $n - 1$ (the others are implied; a face's affine hull is cut out by facet rows)."""
        out: dict = {}
        n = len(self.rows[0]) - 1
        for row in self.rows:
            on = [v for v in self.vertices if _value(row, v) == 0]
            span = [_vadd(v, on[0], fmpq(-1)) for v in on[1:]] + [d for d in self.rays if dot(row[:-1], d) == 0]
            if on and (rank(span) if span else 0) == n - 1:
                out.setdefault(_direction(row), row)
        return tuple(out.values())


def _direction(d: Sequence[fmpq]) -> Vec:
    """``d`` scaled so that its first non-zero entry is $\\pm 1$ (positive scaling only: a direction key)."""
    s = next(abs(x) for x in d if x != 0)
    return tuple(x / s for x in d)


def _value(row: Row, x: Vec) -> fmpq:
    return dot(row[:-1], x) + row[-1]


def polyhedron(rows: Sequence[Row], H0: Affine | None = None, lineality: Sequence[Vec] = ()) -> Polyhedron | None:
    r"""Vertices and extreme rays of $Q = \{x \in \mathbb{Q}^n : \text{every row} \ge 0\}$, every row orthogonal to
    the ``lineality`` basis $L$ (the rows have rank $n - |L|$, so $Q \cap L^\perp$ is pointed): every choice of
    $r = n - |L|$ rows with $L$ independent gives a candidate vertex, of $r - 1$ rows a candidate ray
    $\pm$:func:`kernel_direction`, kept when it lies in $Q$ (in its recession cone). ``None`` when $Q$ is empty.
    For a cone (every constant 0) each such choice gives the origin: one rank instead of $\binom{m}{r}$ solves.
    Cost: $O(\binom{m}{r}\, n!)$ exact operations for $m$ rows ($O(\binom{m}{r - 1}\, n!)$ for a cone).

    >>> one, zero = fmpq(1), fmpq(0)
    >>> Q = polyhedron([(one, zero, zero), (zero, one, zero)]); Q.vertices, sorted(Q.rays)
    (((0, 0),), [(0, 1), (1, 0)])
    """
    rows = tuple(rows)
    n = len(rows[0]) - 1
    fixed = [list(l) for l in lineality]
    r = n - len(fixed)
    verts: dict = {}
    if all(row[-1] == 0 for row in rows):      # a cone: every non-singular choice gives the origin
        if rank([list(row[:-1]) for row in rows] + fixed) == n:
            verts[(_ZERO,) * n] = None
    else:
        lin = [x for l in fixed for x in l]
        for chosen in itertools.combinations(rows, r):
            M = fmpq_mat(n, n, [x for row in chosen for x in row[:-1]] + lin)
            if M.det() != 0:
                x = tuple(M.solve(fmpq_mat(n, 1, [-row[-1] for row in chosen] + [_ZERO] * len(fixed))).entries())
                if all(_value(row, x) >= 0 for row in rows):
                    verts[x] = None
    if not verts:
        return None
    rays: dict = {}
    for chosen in itertools.combinations(rows, r - 1):
        d = _cross([row[:-1] for row in chosen] + fixed)
        for sgn in (-1, 1):
            if any(d) and all(sgn * dot(row[:-1], d) >= 0 for row in rows):
                rays[_direction(_scale(fmpq(sgn), d))] = None
    for l in lineality:
        for sgn in (1, -1):
            rays[_direction(_scale(fmpq(sgn), l))] = None
    return Polyhedron(rows, tuple(verts), tuple(rays), H0, tuple(tuple(l) for l in lineality))


def _sign_range(Q: Polyhedron, A: Affine) -> int:
    """$-1$ if $A \\le 0$ on $Q$, $+1$ if $A \\ge 0$ there (and not $\\le 0$), $0$ if it takes both signs."""
    vals = [dot(A[0], v) + A[1] for v in Q.vertices] + [dot(A[0], d) for d in Q.rays]
    if all(x <= 0 for x in vals):
        return -1
    return 1 if all(x >= 0 for x in vals) else 0


def _cut(Q: Polyhedron, A: Affine, H0: Affine | None = None) -> Polyhedron | None:
    r"""$Q \cap \{A \ge 0\}$ (``None`` when empty). For a pointed $Q$ one step of the double description
    (Motzkin et al. 1953; Fukuda and Prodon 1996): the vertices and extreme rays on the side $A \ge 0$, and where
    $A$ changes sign along an edge (two vertices, a vertex and a ray) a new vertex, along a 2-face of the recession
    cone (two rays) a new ray. Edges and 2-faces are told by the rank of their common active rows ($n - 1$,
    $n - 2$). Else :func:`polyhedron` on the rows. Cost: $O(k^2)$ rank tests for $k$ vertices and rays."""
    row = tuple(A[0]) + (A[1],)
    if Q.lineality:
        return polyhedron(Q.rows + (row,), H0, Q.lineality)
    n = len(A[0])
    # every row at every vertex and ray, A's row last: one flint product (hashing and dots of rationals cost more)
    M = fmpq_mat([list(q[:-1]) for q in Q.rows + (row,)])
    k, ends = len(Q.vertices), [q[-1] for q in Q.rows + (row,)]
    at = (M * fmpq_mat(n, k + len(Q.rays), [x for i in range(n) for x in
                                            [v[i] for v in Q.vertices] + [r[i] for r in Q.rays]])).tolist()
    vals = [at[-1][j] + row[-1] for j in range(k)]
    slopes = at[-1][k:]
    # the active rows of each generator, compared without sums; signs as integers (the pairs loop on them)
    rows = [(at[i], -ends[i]) for i in range(len(Q.rows))]
    on_v = [frozenset(i for i, (a, e) in enumerate(rows) if a[j] == e) for j in range(k)]
    on_r = [frozenset(i for i, (a, _) in enumerate(rows) if not a[j]) for j in range(k, len(at[0]))]
    sv, sr = [(x > 0) - (x < 0) for x in vals], [(y > 0) - (y < 0) for y in slopes]

    def face(common: frozenset, dim: int) -> bool:
        return len(common) >= n - dim and rank([list(Q.rows[i][:-1]) for i in common]) == n - dim

    # each new vertex (ray) is inside an edge (2-face) crossing {A = 0}: distinct from the others, no hashing
    verts = [v for v, x in zip(Q.vertices, vals, strict=True) if x >= 0]
    rays = [r for r, y in zip(Q.rays, slopes, strict=True) if y >= 0]
    for i, j in itertools.combinations(range(len(Q.vertices)), 2):
        if sv[i] * sv[j] < 0 and face(on_v[i] & on_v[j], 1):
            x, y = vals[i], vals[j]
            verts.append(tuple((x * q - y * p) / (x - y) for p, q in zip(Q.vertices[i], Q.vertices[j], strict=True)))
    for i, v in enumerate(Q.vertices):
        for j, r in enumerate(Q.rays):
            if sv[i] * sr[j] < 0 and face(on_v[i] & on_r[j], 1):
                t = -vals[i] / slopes[j]
                verts.append(tuple(p + t * q for p, q in zip(v, r, strict=True)))
    for i, j in itertools.combinations(range(len(Q.rays)), 2):
        if sr[i] * sr[j] < 0 and face(on_r[i] & on_r[j], 2):
            x, y = slopes[i], slopes[j]
            rays.append(_direction(tuple(abs(y) * p + abs(x) * q for p, q in zip(Q.rays[i], Q.rays[j], strict=True))))
    return Polyhedron(Q.rows + (row,), tuple(verts), tuple(rays), H0) if verts else None


def _clip(Q: Polyhedron, A: Affine) -> Polyhedron | None:
    """$Q \\cap \\{A \\ge 0\\}$ when it is full-dimensional ($A > 0$ somewhere on $Q$), else ``None``."""
    if not (any(dot(A[0], v) + A[1] > 0 for v in Q.vertices) or any(dot(A[0], r) > 0 for r in Q.rays)):
        return None
    return _cut(Q, A, Q.H0)


def _cells(net: Network, arr: NetworkArrangement, clock=None) -> tuple[list, list]:
    """The closed cells of the first-layer arrangement of ``net`` as polyhedra, with $h$ on each (affine); ``clock``
    (``check(done)``, :class:`~.obstructions._Clock`) is checked per cell. Cells read off a simple arrangement's
    vertices (:func:`~semialg.geometry.simple_arrangement.simple_arrangement_cells`) come with their vertices and
    extreme rays (a vertex of the closure has $n_0$ independent active rows, a ray $n_0 - 1$): no
    :func:`polyhedron`."""
    view = OuterView.of(net)
    W = [w for w in net.weights[0] if any(w)]
    lineality = tuple(nullspace(W)) if W and rank(W) < net.architecture.input_dim else ()
    data = arr.neuron_data(view.inner)
    maps = arr.affine_maps(data, arr.cells)
    out = []
    for k, (cell, facets) in enumerate(zip(arr.cells, facet_lines(arr.cells), strict=True)):
        if clock is not None:
            clock.check(f"{k} of the {len(arr.cells)} cells of the first layer's arrangement as polyhedra")
        rows = tuple(tuple(cell.signs[i] * x for x in arr.lines[i]) for i in facets)
        if cell.vertices and arr.dim >= 3:      # read off a simple arrangement's vertices: extreme, and all of them
            out.append(Polyhedron(rows, cell.vertices, tuple(_direction(r) for r in cell.rays)))   # one per line
        else:
            out.append(polyhedron(rows, lineality=lineality))
    return out, maps


#: What is computed once per network for the regions of case (a) — the cuts of the cells (:func:`cut_cells`), the
#: pieces of $P$ and the face of its boundary (:mod:`~.obstructions`) — for the last networks asked, least recent
#: first: the identifiability routes, the fibres and the refusals ask them of one network several times (4-16-1-2:
#: three times 1.9 s). Each is a function of the network alone; a computation stopped by its clock is not kept.
_MEMO: dict = {}
_MEMO_SIZE = 32


def _remembered(kind: str, net: Network, compute):
    key = (kind, net)
    if key not in _MEMO:
        _MEMO[key] = compute()
        while len(_MEMO) > _MEMO_SIZE:
            del _MEMO[next(iter(_MEMO))]
    return _MEMO[key]


def cut_cells(net: Network, clock=None) -> list[tuple[Polyhedron | None, Polyhedron | None, Polyhedron | None,
                                                     Affine]]:
    r"""For each cell $C$ of the first layer's arrangement (in the order of :func:`arrangement_of`'s cells): its
    closure as a polyhedron (:func:`closed_cells`), $\overline C \cap \{A_C \ge 0\}$ when $A_C > 0$ somewhere on
    $C$, and $\overline C \cap \{A_C \le 0\}$ when $A_C < 0$ somewhere or $A_C = 0$ (else ``None``), with $h$'s
    affine map $A_C$ — the pieces of $\overline P$ and of $\overline N$, computed once per network
    (:class:`HiddenRegion` and :func:`~.obstructions._pieces` share them). ``clock`` is checked per cell. Cost:
    :func:`_cells` and one :func:`_cut` per piece."""
    return _remembered("cells", net, lambda: _cut_cells(net, clock))


def closed_cells(net: Network, clock=None) -> tuple[list, list]:
    """:func:`_cells` of the first layer's arrangement of ``net`` (:func:`arrangement_of`), computed once per
    network: the type conditions, the cut cells and the closure test all read them."""
    return _remembered("closed cells", net,
                       lambda: _cells(net, arrangement_of(net, None if clock is None else clock.end), clock))


def _cut_cells(net: Network, clock) -> list:
    cells, maps = closed_cells(net, clock)
    out = []
    for k, (Qc, A) in enumerate(zip(cells, maps, strict=True)):
        if clock is not None:
            clock.check(f"the pieces of the closures of P and N in {k} of the {len(cells)} cells")
        sign = None if Qc is None else _sign_range(Qc, A)
        out.append((Qc, _cut(Qc, A) if sign is not None and sign >= 0 else None,
                    _cut(Qc, (tuple(-x for x in A[0]), -A[1])) if sign is not None and sign <= 0 else None, A))
    return out


def facet_lines(cells: Sequence) -> list[tuple[int, ...]]:
    r"""For each cell of a hyperplane arrangement (all its cells given): the hyperplanes $H_k$ that carry a facet
    of its closure, i.e. those whose sign flip is again a cell. The points with the cell's signs off $k$ form a
    convex set that $H_k$ cuts into the two cells, so they share a facet; conversely, crossing a facet changes
    one sign. A full-dimensional polyhedron is the intersection of its facet half-spaces, so the other rows are
    implied: a cell of 4-10-1-1 has about 6 facets among 10 rows, and :func:`polyhedron` tries
    $\binom{6}{4}$ choices instead of $\binom{10}{4}$. Cost: $O(Nm)$ for $N$ cells and $m$ hyperplanes.

    >>> from semialg.geometry.arrangement import Cell
    >>> facet_lines([Cell((1, 1)), Cell((1, -1)), Cell((-1, 1))])      # two lines, one cell missing
    [(0, 1), (1,), (0,)]
    """
    if not cells:
        return []
    S = np.array([cell.signs for cell in cells], dtype=np.int64)
    N, m = S.shape
    # each sign row hashed (modulo 2^64) with random weights: flipping sign k moves the hash by -2 s_k r_k; a
    # candidate neighbour is then checked exactly, and rows sharing a hash fall back to comparing the rows
    r = np.random.default_rng(0).integers(1, 2 ** 63, size=m, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    Su = S.astype(np.uint64)
    h = (Su * r).sum(axis=1, dtype=np.uint64)
    order = np.argsort(h, kind="stable")
    hs = h[order]
    if len(np.unique(hs)) < N:
        present = {cell.signs for cell in cells}
        return [tuple(k for k in range(m) if cell.signs[:k] + (-cell.signs[k],) + cell.signs[k + 1:] in present)
                for cell in cells]
    flipped = h[:, None] - np.uint64(2) * Su * r[None, :]
    at = np.minimum(np.searchsorted(hs, flipped), N - 1)
    I, K = np.nonzero(hs[at] == flipped)
    J = order[at[I, K]]
    differ = S[J] != S[I]
    ok = (differ.sum(axis=1) == (S[I, K] != 0)) & (differ[np.arange(len(I)), K] | (S[I, K] == 0))
    out: list[list[int]] = [[] for _ in range(N)]
    for i, k in zip(I[ok].tolist(), K[ok].tolist(), strict=True):
        out[i].append(k)
    return [tuple(ks) for ks in out]


def boundary_points(net: Network, clock=None) -> tuple[int | None, Vec | None]:
    r"""For a case-(a) parameter with $n_0 \ge 2$: the first hidden hyperplane $H_k$ (line index) touching
    $\partial P$ without entering $P$ ($\sup_{H_k} h = 0$), and the first vertex of the arrangement (a point of a
    minimal flat when the rows have rank $< n_0$) on $\{h = 0\}$, or ``None``. Both are read off the vertices and
    rays of the closed cells: $H_k \cap \overline C$ is a face of $\overline C$, generated by the vertices and rays
    on it, and $h$ is affine there. Cost: one :func:`polyhedron` per cell; ``clock`` (optional,
    :class:`~.obstructions._Clock`) bounds both."""
    arr = arrangement_of(net, None if clock is None else clock.end)
    if not arr.lines:                       # an all-zero first layer: no hyperplane, no vertex
        return None, None
    cells, maps = closed_cells(net, clock)
    view = OuterView.of(net)
    classes = [c for c, w in zip(combinatorial_type(net).classes, view.w, strict=True) if any(w)]
    on_zero = None
    for n, (Q, A) in enumerate(zip(cells, maps, strict=True)):
        if clock is not None and not n % 64:
            clock.check(f"a vertex on {{h = 0}} among {n} of the {len(cells)} cells")
        if (on_zero := next((v for v in Q.vertices if dot(A[0], v) + A[1] == 0), None)) is not None:
            break
    touching = None
    for (k, *_), cls in zip(arr.neuron_data(view.inner)[0], classes, strict=True):
        if cls not in ("U-", "U+"):
            continue
        if clock is not None:
            clock.check(f"the hidden hyperplanes touching the boundary of P, at line {k + 1}")
        line, best, unbounded = arr.lines[k], None, False
        for Q, A in zip(cells, maps, strict=True):
            vals = [dot(A[0], v) + A[1] for v in Q.vertices if _value(line, v) == 0]
            if vals:                      # a non-empty face of a pointed polyhedron has a vertex
                unbounded |= any(dot(line[:-1], d) == 0 and dot(A[0], d) > 0 for d in Q.rays)
                best = max(vals) if best is None else max(best, *vals)
        if not unbounded and best == 0:
            touching = k
            break
    return touching, on_zero


class HiddenRegion:
    r"""The fixed data of a case-(a) parameter $\theta$ with $n_0 \ge 2$ that the hidden-neuron fibre needs.

    ``p_points``/``p_rays`` generate the convex hull of $\overline P$ (an affine map is $\ge 0$ on $\overline P$
    iff it is $\ge 0$ at these points and its linear part at these rays); ``n_pieces`` are the polyhedra of
    $\overline N$ with $H_0$ on each; ``e_pieces`` the full-dimensional polyhedra of
    $\overline N \cap \{H_0 \ge 0\}$ (empty when $H_0 \le 0$ on $\overline N$). Cost: the cells of the
    arrangement (plane sweep, or region enumeration for $n_0 \ge 3$) plus one :func:`polyhedron` per cell;
    ``clock`` (:class:`~.obstructions._Clock`, optional) bounds the time of both.
    """

    def __init__(self, net: Network, clock=None):
        n0 = net.architecture.input_dim
        if n0 < 2:
            raise ArchitectureError("explicit case-(a) fibres with hidden neurons need n0 >= 2")
        self.net, self.n0 = net, n0
        self.view = view = OuterView.of(net)
        self.classes = combinatorial_type(net).classes
        arr = arrangement_of(net, None if clock is None else clock.end)
        if arr.auxiliary or rank([w for w in net.weights[0] if any(w)] or [[0] * n0]) < 2:
            raise ArchitectureError("explicit case-(a) fibres with hidden neurons need two non-parallel "
                                    "first-layer rows (otherwise f is a ridge function)")
        rows, _ = arr.neuron_data(view.inner)
        live_classes = [c for w, c in zip(view.w, self.classes, strict=True) if any(w)]   # rows skips w = 0
        pieces = cut_cells(net, clock)
        self.lineality = pieces[0][0].lineality
        self.p_points: dict = {}
        self.p_rays: dict = {}
        self.n_pieces: list[Polyhedron] = []
        for cell, (_, p, n, _) in zip(arr.cells, pieces, strict=True):
            if p is not None:
                self.p_points.update(dict.fromkeys(p.vertices))
                self.p_rays.update(dict.fromkeys(p.rays))
            if n is not None:
                lin, const = (_ZERO,) * n0, self.view.e
                for (k, s, vi, w, b), cls in zip(rows, live_classes, strict=True):
                    if cls == "U+" or (cls == "V" and cell.signs[k] * s > 0):
                        lin, const = _vadd(lin, w, vi), const + vi * b
                self.n_pieces.append(dataclasses.replace(n, H0=(lin, const)))
        self.p_points, self.p_rays = tuple(self.p_points), tuple(self.p_rays)
        self.e_pieces = [E for E in (_clip(Q, Q.H0) for Q in self.n_pieces) if E is not None]

    def h(self, x: Vec) -> fmpq:
        return self.view.inner(x)[0]

    @functools.cached_property
    def n_vertex_signs(self) -> tuple[tuple[int, ...], ...]:
        """The sign of $h$ at each vertex of each piece of $\\overline N$, in the order of ``n_pieces``: one batch
        (:meth:`~semialg.core.network.Network.output_signs`), where the fibre's rows asked one exact evaluation per
        vertex and label class (4-16-1-2: 60,000 evaluations, 55 s)."""
        points = [v for Q in self.n_pieces for v in Q.vertices]
        signs = iter([s for s, in self.view.inner.output_signs(points)] if points else [])
        return tuple(tuple(next(signs) for _ in Q.vertices) for Q in self.n_pieces)

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
        lin, const = (_ZERO,) * self.n0, self.view.e
        for i, (w, b, v, cls) in enumerate(zip(self.view.w, self.view.b, self.view.v, self.classes, strict=True)):
            if cls == "U+" or i in flipped:
                lin, const = _vadd(lin, w, v), const + v * b
        return lin, const


def hidden_cone(region: HiddenRegion) -> list[Vec]:
    r"""Generators of the cone $C^* = \{w : w\cdot r \le 0 \text{ for every extreme ray } r \text{ of }
    \overline P\}$ of rows $w$ with $w\cdot x$ bounded above on $\overline P$ — the rows of every neuron that
    can be hidden dead on $P$ (U−; $-C^*$ for U+): its extreme rays and $\pm$ a basis of its lineality space
    $\operatorname{span}(\text{rays})^\perp$, by exact double description (:func:`polyhedron`) of the dual of a
    subset $R'$ of the rays, grown by the rays some generator of that dual violates until none does: then every
    generator is in $C^*$, and $C^* \subseteq C^*(R')$ as $R' \subseteq R$, so the two are equal. Empty iff
    $C^* = \{0\}$. Cost: per round one double description of $O(\binom{|R'|}{n_0 - 1})$ candidates and $O(|R|)$
    products per generator; $R'$ starts as a basis of the rays' span (the cells' rays are mostly not extreme:
    4-12-1-2 with small integer weights has 228 of them, $\binom{228}{3}$ candidates at once).

    >>> one, zero = fmpq(1), fmpq(0)
    >>> sorted(_dual_rays([(one, zero), (zero, one), (one, one)]))      # the non-positive quadrant
    [(-1, 0), (0, -1)]
    """
    n0 = region.n0
    if not region.p_rays:
        return [tuple(fmpq(s * (j == i)) for j in range(n0)) for i in range(n0) for s in (1, -1)]
    return _dual_rays(region.p_rays)


def _dual_rays(rays: Sequence[Vec]) -> list[Vec]:
    r"""The extreme rays and $\pm$ a lineality basis of $\{w : w\cdot r \le 0\}$ (:func:`hidden_cone`)."""
    chosen: list[Vec] = []
    for r in rays:      # a basis of the rays' span: the dual of any R' containing it has the right lineality
        if rank(chosen + [r]) > len(chosen):
            chosen.append(r)
    while True:
        Q = polyhedron([tuple(-x for x in r) + (_ZERO,) for r in chosen], lineality=nullspace(chosen))
        gens = list(Q.rays) if Q is not None else []
        violated = {max(rays, key=lambda r: dot(y, r)): None for y in gens}     # the most violated ray of each
        violated = [r for r in violated if any(dot(y, r) > 0 for y in gens)]
        if not violated:
            return gens
        chosen += violated
