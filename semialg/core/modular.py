"""Exact linear algebra modulo a word-size prime through float64 BLAS.

Ranks modulo a prime are lower bounds on ranks over $\\mathbb{Q}$ and therefore one-sided certificates of
independence (a full rank modulo $p$ proves full rational rank). Every product here is exact: values are kept
*balanced* residues and sums are chunked so that float64 represents every partial sum exactly.

>>> rank_mod(np.array([[1, 2], [2, 4]]), 7)
1
>>> rows_pairwise_independent([[1, 2], [3, 4]])
True
"""

from __future__ import annotations

import math
import os
import time
from typing import Callable, Iterable, Sequence

import numpy as np
from flint import fmpq, fmpz, nmod_mat

from semialg.core.exact import as_fmpq_mat
from semialg.core.grid_point import GridPoint
from semialg.core.rational_matrix import RationalMatrix, row_residues
from semialg.errors import ShapeError, UndecidedError

__all__ = ["BLAS_PRIME", "residues", "matmul_mod", "rank_mod", "rank_mod_small", "rank_mod_fits", "rank_mod_seconds",
           "RowSpaceMod", "certified_rank", "rows_pairwise_independent", "rank_one_independent"]

#: The largest prime below $2^{21}$. :func:`matmul_mod`, :func:`rank_mod` and :func:`rank_one_independent`
#: compute with it in float64 BLAS: every value is kept an integer of absolute value below $p$ (a *balanced*
#: residue), so a product of two is below $2^{42}$ and a sum of $2^{10}$ such products, plus one more value,
#: below $2^{52}$. Every partial sum is then an integer that float64 represents exactly, whatever the
#: summation order or fused multiply-adds of the BLAS.
BLAS_PRIME = 2097143

_CHUNK = 1024  # inner-dimension chunk that keeps sums of products of balanced residues below 2^52
_BLOCK = 256   # block size of rank_mod (measured at n = 4096: 128 is about 1.3x slower)
_EXCHANGES = 4  # exchanges of rows that do not raise the rank of a singular leading block before rank_mod gives up


def residues(rows, p: int = BLAS_PRIME) -> np.ndarray | None:
    """The residues $x \\bmod p$ (numerator times the inverse of the denominator) of a rational matrix.

    ``rows`` is a :class:`~semialg.core.rational_matrix.RationalMatrix` or anything
    :func:`~semialg.core.exact.to_matrix` reads. Returns an ``int64`` array with entries in $[0, p)$, or
    ``None`` when $p$ divides some denominator. In the integer form $N/d$ (float weights read exactly) this is
    $N \\bmod p$ times one inverse: a few vectorised passes. Otherwise one pass moves numerators and
    denominators into numpy, with one modular inverse per distinct denominator (a table by exponent when
    all are powers of two). Rows that are all :class:`~semialg.core.grid_point.GridPoint`\\ s give their numerators
    times the inverse of their denominator (``None`` when $p$ divides one). Cost: $O(\\text{entries})$.

    >>> residues([[fmpq(1, 2), -1]], 7).tolist()
    [[4, 6]]
    """
    if isinstance(rows, RationalMatrix):
        fast = rows.residues(p)
        if fast is not NotImplemented:
            return fast
        rows = rows.rows
    if isinstance(rows, (list, tuple)) and rows and all(type(x) is GridPoint for x in rows):
        d = np.array([x.denominator % p for x in rows], dtype=np.int64)
        if not d.all():
            return None
        inverses = {int(q): pow(int(q), -1, p) for q in np.unique(d)}
        inverse = np.array([inverses[q] for q in d.tolist()], dtype=np.int64)
        return np.stack([x.numerators for x in rows]) % p * inverse[:, None] % p
    return row_residues(rows, p)


def _balance(X: np.ndarray, p: int) -> np.ndarray:
    """Replace the float64 integers $|X| < 2^{52}$ in place by congruent ones of absolute value below $p$.

    $q = \\mathrm{rint}(\\mathrm{fl}(X \\cdot \\mathrm{fl}(1/p)))$ is within $1/2 + 2^{-19}$ of $X/p$, so
    $|X - qp| < p$, and $qp$ and the difference are integers below $2^{53}$: exact. Much faster than
    ``np.remainder`` (measured 0.07 s against 0.46 s on $4096^2$ entries).
    """
    q = X * (1.0 / p)
    np.rint(q, out=q)
    q *= p
    X -= q
    return X


def _matmul_balanced(A: np.ndarray, B: np.ndarray, p: int) -> np.ndarray:
    """$AB$ modulo $p$ as balanced residues, for float64 matrices of balanced residues."""
    out = None
    for s in range(0, A.shape[1], _CHUNK):
        part = A[:, s:s + _CHUNK] @ B[s:s + _CHUNK]
        out = part if out is None else _balance(out + part, p)
    return _balance(out, p) if out is not None else np.zeros((A.shape[0], B.shape[1]))


def _check_prime(p: int) -> None:
    if not 2 <= p <= BLAS_PRIME:
        raise ValueError(f"the modulus must be at most {BLAS_PRIME} for exact float64 products, not {p}")


def matmul_mod(A, B, p: int = BLAS_PRIME) -> np.ndarray:
    """$AB \\bmod p$ for integer matrices and a prime $p \\le$ :data:`BLAS_PRIME`, exactly, through float64 BLAS.

    Returns an ``int64`` array with entries in $[0, p)$. Cost: $\\lceil c / 1024\\rceil$ BLAS products for an inner
    dimension $c$, plus $O(rc)$ vectorised reductions.

    >>> matmul_mod(np.array([[3, 4]]), np.array([[5], [6]]), 7).tolist()
    [[4]]
    """
    return matmul_balanced(balanced(A, p), balanced(B, p), p)


def balanced(A, p: int = BLAS_PRIME) -> np.ndarray:
    """An integer matrix as float64 balanced residues modulo $p \\le$ :data:`BLAS_PRIME` (absolute values below
    $p$), what :func:`matmul_balanced` multiplies: made once for a matrix multiplied again and again (a 784-4096
    layer takes 30 ms, its product with 32 inputs 4 ms). Cost: $O(rc)$ vectorised.

    >>> balanced(np.array([[3, 6, -1]]), 7).tolist()
    [[3.0, -1.0, -1.0]]
    """
    _check_prime(p)
    return _balance(np.remainder(np.asarray(A, dtype=np.int64), p).astype(np.float64), p)


def matmul_balanced(A: np.ndarray, B: np.ndarray, p: int = BLAS_PRIME) -> np.ndarray:
    """$AB \\bmod p$ (``int64`` in $[0, p)$) for matrices given as :func:`balanced` residues modulo $p$, exactly.
    Cost: that of :func:`matmul_mod` without the conversions."""
    return np.remainder(_matmul_balanced(A, B, p), p).astype(np.int64)


def _inverse_mod(B: np.ndarray, p: int) -> np.ndarray | None:
    """The inverse modulo $p$ of a small square matrix of balanced residues, as balanced residues (flint's
    ``nmod_mat.inv``: 256 x 256 in 55 ms with the conversions, against 110 ms of Gauss–Jordan by numpy rows), or
    ``None`` when it is singular modulo $p$."""
    b = B.shape[0]
    T = np.remainder(B, p).astype(np.int64)
    try:
        inv = nmod_mat(b, b, T.ravel().tolist(), p).inv()
    except ZeroDivisionError:
        return None
    return _balance(np.array([int(x) for x in inv.entries()], dtype=np.float64).reshape(b, b), p)


#: multiply-adds a second of flint's ``nmod_mat.rank`` (measured at 2000 x 2000 on the 2-core machine: 2.7 s), the
#: fallback of :func:`rank_mod` when a block stays singular
_FLINT_RANK_SPEED = 2.5e9


def rank_mod(M, p: int = BLAS_PRIME, deadline: float | None = None) -> int | None:
    """The rank modulo a prime $p \\le$ :data:`BLAS_PRIME` of an integer matrix, exactly; ``None`` when ``deadline``
    (a :func:`time.monotonic` value) passes, looked at before each block and each exchange, or would pass during the
    fallback below.

    Blocked elimination on float64 balanced residues: each step inverts the leading $256 \\times 256$ block
    of the current Schur complement (flint's ``nmod_mat.inv``) and updates the rest in place with exact BLAS products.
    When a leading block is singular modulo $p$, its rows that depend on the others there
    (:func:`_dependent_rows`) change places with rows not tried yet, from the bottom, and are put aside at the
    bottom; rows that repeat a few directions (Jacobian rows at inputs where a network is locally constant) so
    wait for the end instead of stopping the elimination. When no row is left to try, or :data:`_EXCHANGES`
    exchanges in a row do not raise the block's rank, the rank of the remaining Schur complement (the rest of the answer) comes from flint's
    ``nmod_mat`` (a row exchange changes no rank: the answer is exact whatever the order). Cost: $O(rc\\min(r, c))$
    in BLAS; measured at $n = 4096$ in ``benchmarks/bench_genericity.py`` against flint's ``nmod_mat.rank``, and
    with one row in five from a 10-dimensional space 4x faster than without the exchanges (4,843 x 8,213, the
    Jacobian rows of a 784-4096-1-10 parameter).

    >>> rank_mod(np.array([[1, 2], [2, 4]]), 7), rank_mod(np.array([[1, 2], [2, 5]]), 7)
    (1, 2)
    """
    _check_prime(p)
    A = np.remainder(np.asarray(M, dtype=np.int64), p).astype(np.float64)
    if A.shape[0] > A.shape[1]:
        A = np.ascontiguousarray(A.T)
    _balance(A, p)
    n, k, end = A.shape[0], 0, A.shape[0]      # the rows from end on were tried, or put aside
    late = (lambda: False) if deadline is None else (lambda: time.monotonic() > deadline)
    while k < n:
        if late():      # exchanges can make a rank many times its BLAS prediction
            return None
        b = min(_BLOCK, n - k)
        inv = _inverse_mod(A[k:k + b, k:k + b], p)
        best, idle = -1, 0
        while inv is None and k + b < end and idle < _EXCHANGES:
            if late():
                return None
            dependent = [k + i for i in _dependent_rows(A[k:k + b, k:k + b], p)]
            # a block whose rank no exchange raises: its columns, not its rows, are short of rank
            best, idle = max(best, b - len(dependent)), (idle + 1 if b - len(dependent) <= best else 0)
            swap = min(len(dependent), end - (k + b))
            tried = list(range(end - swap, end))
            A[dependent[:swap] + tried] = A[tried + dependent[:swap]]
            end -= swap
            inv = _inverse_mod(A[k:k + b, k:k + b], p)
        if inv is None:
            rest = np.remainder(A[k:, k:], p).astype(np.int64)
            # flint's elimination cannot be interrupted: not begun when predicted to end past the deadline
            if deadline is not None and time.monotonic() + rest.size * min(rest.shape) / _FLINT_RANK_SPEED > deadline:
                return None
            return k + nmod_mat(rest.shape[0], rest.shape[1], rest.ravel().tolist(), p).rank()
        C = _matmul_balanced(A[k + b:, k:k + b], inv, p)
        trailing = A[k + b:, k + b:]
        trailing -= C @ A[k:k + b, k + b:]  # b <= _CHUNK terms: exact
        _balance(trailing, p)
        k += b
        end = max(end, k)
    return n


def _dependent_rows(B: np.ndarray, p: int) -> list[int]:
    """The rows of a square matrix of balanced residues that depend modulo $p$ on the rows above them: the
    columns without a pivot in the reduced echelon form of $B^T$ (flint's ``nmod_mat.rref``). Cost: $O(b^3)$."""
    T = np.remainder(B.T, p).astype(np.int64)
    R, r = nmod_mat(T.shape[0], T.shape[1], T.ravel().tolist(), p).rref()
    E = np.array([int(x) for x in R.entries()], dtype=np.int64).reshape(T.shape)[:r]
    pivots = set(np.argmax(E != 0, axis=1).tolist())
    return [i for i in range(B.shape[0]) if i not in pivots]


def rank_mod_small(M, p: int = BLAS_PRIME, limit: int = 2 ** 20) -> int:
    """The rank modulo a prime $p$ of an integer matrix: flint's ``nmod_mat`` (C elimination) up to ``limit``
    entries, where it is faster than the blocked BLAS elimination of :func:`rank_mod` (measured 2 ms against
    80 ms at 131 x 130), else :func:`rank_mod`. Cost: $O(rc\\min(r, c))$.

    >>> rank_mod_small(np.array([[1, 2], [2, 4]]), 7)
    1
    """
    A = np.remainder(np.asarray(M, dtype=np.int64), p)
    if A.size > limit or p > 2 ** 62:
        return rank_mod(A, p)
    if not A.size:
        return 0
    return nmod_mat(A.shape[0], A.shape[1], A.ravel().tolist(), p).rank()


def rank_mod_fits(rows: int, cols: int) -> tuple[bool, int, int | None]:
    r"""Whether :func:`rank_mod` of a ``rows`` $\times$ ``cols`` matrix, with the residue blocks it is stacked from,
    fits in half the memory available now, and the bytes needed and available (``None`` where the system does
    not say: then it fits). Eight 8-byte copies of every entry are counted: the blocks, their stack,
    :func:`rank_mod`'s integer and float copies and its trailing blocks (measured: 8.2 GB at
    $11146 \times 11402$). Cost: $O(1)$.

    >>> rank_mod_fits(10, 10)[:2]
    (True, 6400)
    """
    need = 64 * rows * cols
    try:
        available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return True, need, None
    return need <= available // 2, need, available


#: Multiply-adds per second of :func:`rank_mod` to predict with (measured on 2 cores: 3.3e9 at 1000 x 2000,
#: 1.1e10 at 2000 x 4000, 1.8e10 at 3000 x 6000, 2.8e10 at 5000 x 10000; BLAS gains with size).
RANK_MOD_SPEED = 1e10


def rank_mod_seconds(rows: int, cols: int) -> float:
    r"""The predicted seconds of :func:`rank_mod` on a ``rows`` $\times$ ``cols`` matrix: half a second plus
    $rc\min(r, c)$ multiply-adds at :data:`RANK_MOD_SPEED` (within a factor 3 of the measured times from
    $500 \times 500$ to $5000 \times 10000$, above them from $2000$ rows on). Cost: $O(1)$.

    >>> rank_mod_seconds(5000, 10000)
    25.5
    """
    return 0.5 + rows * cols * min(rows, cols) / RANK_MOD_SPEED


class RowSpaceMod:
    r"""The row space modulo a prime $p \le$ :data:`BLAS_PRIME` of integer rows added block by block, kept as a
    reduced echelon basis $B$ (pivot columns $B[:, \pi] = I$): the rank of everything added so far, without
    eliminating the old rows again (a rank at doubling sizes re-eliminates each row $\log$ times, and a matrix
    with more columns than rank makes :func:`rank_mod` exchange rows block after block).

    :meth:`add` reduces a block $N$ by the basis, $N - N[:, \pi] B$ (exact BLAS products of balanced residues),
    brings what remains (zero on $\pi$) to reduced echelon form with flint's ``nmod_mat.rref`` and clears its new
    pivot columns in $B$. Cost of a block of $n$ rows: $O(n r c)$ in BLAS and $O(n (c - r) s)$ in flint for rank
    $r$ before and $s$ gained, $c$ columns.

    >>> V = RowSpaceMod(3, 7)
    >>> V.add(np.array([[1, 2, 3], [2, 4, 6]])), V.add(np.array([[3, 6, 9], [0, 0, 1]])), V.rank
    (1, 2, 2)
    """

    def __init__(self, cols: int, p: int = BLAS_PRIME):
        _check_prime(p)
        self.cols, self.p = cols, p
        self.basis = np.zeros((0, cols))
        self.pivots: list[int] = []

    @property
    def rank(self) -> int:
        return len(self.pivots)

    def seconds(self, rows: int) -> float:
        """The predicted seconds of :meth:`add` for a block of ``rows`` rows (as :func:`rank_mod_seconds`, with
        flint's elimination counted at :data:`_FLINT_RANK_SPEED`). Cost: $O(1)$."""
        r, free = self.rank, self.cols - self.rank
        return rows * r * self.cols / RANK_MOD_SPEED + rows * free * min(rows, free) / _FLINT_RANK_SPEED

    def add(self, M) -> int:
        """Add the rows of the integer matrix ``M`` ($n \times c$); returns the rank of all rows added."""
        p, piv = self.p, self.pivots
        N, free, R = self._reduced(M)
        if R is None:
            return self.rank
        E, s = nmod_mat(R.shape[0], R.shape[1], R.ravel().tolist(), p).rref()
        E = np.array([int(x) for x in E.entries()], dtype=np.int64).reshape(R.shape)[:s]
        new = np.zeros((s, self.cols))
        new[:, free] = E
        _balance(new, p)
        fresh = free[np.argmax(E != 0, axis=1)].tolist()
        if piv:
            self.basis = _balance(self.basis - _matmul_balanced(self.basis[:, fresh], new, p), p)
        self.basis = np.vstack([self.basis, new])
        self.pivots = piv + fresh
        return self.rank

    def add_independent(self, M) -> list[int]:
        """Add the rows of ``M``; returns the indices of those that raised the rank, one after the other (the
        pivot columns modulo $p$ of the transpose of what remains of ``M`` after reduction by the basis). Cost: that
        of :meth:`add` and one more elimination when the rank rises.

        >>> V = RowSpaceMod(2, 7)
        >>> V.add_independent(np.array([[1, 2], [2, 4], [0, 1]])), V.add_independent(np.array([[1, 1]]))
        ([0, 2], [])
        """
        if not self.cols:       # rows of no columns are all zero (and reshape could not count them)
            return []
        M = np.asarray(M, dtype=np.int64).reshape(-1, self.cols)
        _, _, R = self._reduced(M)
        if R is None:
            return []
        E, s = nmod_mat(R.shape[1], R.shape[0], R.T.ravel().tolist(), self.p).rref()
        rows = [next(j for j in range(R.shape[0]) if int(E[i, j])) for i in range(s)]
        self.add(M[rows])
        return rows

    def _reduced(self, M) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """``M``'s rows reduced by the basis (balanced), the free columns, and the rows' residues on them (``None``
        when all are zero: nothing new)."""
        p, piv = self.p, self.pivots
        M = np.asarray(M, dtype=np.int64)
        free = np.setdiff1d(np.arange(self.cols), piv)
        if not M.size:          # no rows, or no columns (then nothing is ever independent)
            return M, free, None
        N = balanced(M.reshape(-1, self.cols), p)
        if piv and len(N):
            N = _balance(N - _matmul_balanced(N[:, piv], self.basis, p), p)
        R = np.remainder(N[:, free], p).astype(np.int64)
        return N, free, R if R.any() else None


def rows_pairwise_independent(W: Sequence[Sequence[fmpq]], b: Sequence[fmpq] | None = None,
                               p: int = BLAS_PRIME) -> bool:
    """A one-sided certificate that the rows of $[W \\mid b]$ are non-zero and pairwise linearly independent.

    Reduces every row modulo $p$ and scales it so that its first non-zero residue is $1$. If no row is zero
    modulo $p$ and the scaled rows are distinct, the rational rows are pairwise independent: from
    $r_j = (u/v)\\, r_i$ in lowest terms, $p \\mid u$ or $p \\mid v$ would make a row vanish modulo $p$, and
    otherwise the two scaled rows coincide. ``False`` proves nothing (dependent rows, or $p$ divides a
    denominator or a ratio); decide exactly with :func:`normalise_row` then.
    Cost: :func:`residues` plus $O(nm)$ vectorised operations and a sort of the $n$ rows.

    >>> rows_pairwise_independent([[1, 2], [2, 4]]), rows_pairwise_independent([[1, 2], [2, 4]], [0, 1])
    (False, True)
    """
    R = residues(W, p)
    if R is None:
        return False
    if b is not None:
        rb = residues((tuple(b),), p)
        if rb is None:
            return False
        R = np.concatenate([R, rb.T], axis=1)
    n = R.shape[0]
    nonzero = R != 0
    if not nonzero.any(axis=1).all():
        return False
    lead = R[np.arange(n), nonzero.argmax(axis=1)]
    inv = np.array([pow(int(v), -1, p) for v in lead], dtype=np.int64)
    keys = np.ascontiguousarray(R * inv[:, None] % p)
    return np.unique(keys.view(np.dtype((np.void, keys.itemsize * keys.shape[1]))).ravel()).size == n


def rank_one_independent(a: Sequence[Sequence[fmpq]], w: Sequence[Sequence[fmpq]], seed: int = 0) -> bool:
    """A one-sided certificate that the $n$ rank-one matrices $a_i w_i^T$ are linearly independent over $\\mathbb{Q}$.

    Pairs each with $T = n$ random rank-one test matrices $r_t s_t^T$ modulo :data:`BLAS_PRIME` $p$:
    $\\langle a_i w_i^T, r_t s_t^T\\rangle = (a_i\\cdot r_t)(w_i\\cdot s_t)$. If this $n\\times T$ matrix has rank
    $n$ modulo $p$, the $a_i w_i^T$ are independent (a rank modulo $p$ never exceeds the rational rank, and a
    linear image never has larger rank). ``False`` proves nothing; it happens when they are dependent or,
    with probability at most $2n/p$ by Schwartz–Zippel (the determinant has degree $2n$ in the test
    vectors), by bad luck — try another ``seed``. Returns ``False`` if a denominator is divisible by $p$.
    Cost: residues of the entries, two exact BLAS products ($O(n^2(k + m))$) and one $n\\times n$
    :func:`rank_mod`, instead of the $O(n^2 km)$ of the full $n \\times km$ matrix.

    >>> rank_one_independent([[1], [1], [1]], [[1, 0], [0, 1], [-1, -1]])
    False
    >>> rank_one_independent([[1], [2]], [[1, 0], [0, 1]])
    True
    """
    p = BLAS_PRIME
    n = len(a)
    if n == 0:
        return True
    if len(w) != n:
        raise ShapeError(f"got {n} output vectors a_i but {len(w)} input vectors w_i")
    columns = [M.shape[1] if hasattr(M, "shape") else len(M[0]) for M in (a, w)]
    if n > columns[0] * columns[1]:     # more matrices than the dimension of their space (784-4096-1: 9 s saved)
        return False
    A, W = residues(a, p), residues(w, p)
    if A is None or W is None:
        return False
    rng = np.random.default_rng(seed)
    R = rng.integers(0, p, size=(A.shape[1], n))
    S = rng.integers(0, p, size=(W.shape[1], n))
    sketch = _matmul_balanced(_balance(A.astype(np.float64), p), _balance(R.astype(np.float64), p), p)
    sketch *= _matmul_balanced(_balance(W.astype(np.float64), p), _balance(S.astype(np.float64), p), p)
    return rank_mod(_balance(sketch, p), p) == n  # the products above are below 2^42: exact




def certified_rank(residue_blocks: Callable[[int], Iterable[np.ndarray] | None],
                   exact_rows: Callable[[list[int]], Sequence[Sequence]], denominator: int, height: int,
                   at_most: int | None = None, deadline: float | None = None,
                   tick: Callable[[int], None] | None = None) -> int | None:
    r"""The exact rank over $\mathbb{Q}$ of rational rows $r_1, \dots, r_N \in \mathbb{Q}^c$ known by their residues
    modulo primes, proven by a kernel checked by Chinese remaindering: no exact elimination of the $N$ rows.

    ``residue_blocks(p)`` yields the residues (``int64``) of all rows modulo a prime $p \le$ :data:`BLAS_PRIME`,
    always in the same order, a block of rows at a time (or returns ``None`` when $p$ divides a denominator);
    ``exact_rows(indices)`` gives the rows at the 0-based ``indices`` exactly; every $L r_i$ is integral for
    $L =$ ``denominator``, and ``height`` $H$ bounds the absolute value of every entry. The rows independent
    modulo $p_0 =$ :data:`BLAS_PRIME` are independent over $\mathbb{Q}$: $s$ of them, a lower bound (and the rank
    when it reaches ``at_most``, an upper bound the caller knows). With their exact reduced echelon form $R$
    (pivot columns $\pi$, free columns $\varphi$, $Z = \delta R_\varphi$ integral), the rows span every $r_i$ exactly
    when the integer vectors $N_i = L(\delta r_{i,\varphi} - r_{i,\pi} Z)$ vanish; $|N_{ij}| \le
    LH(\delta + \max_j \sum_k |Z_{kj}|) = B$, so $N_i \equiv 0$ modulo primes of product above $2B$ proves the rank
    $s$. Returns ``None`` when some $N_i$ is not zero ($p_0$ divided a minor: the rank is larger). Raises
    :class:`~semialg.errors.UndecidedError` when ``deadline`` (a :func:`time.monotonic` value) has passed, checked
    between blocks; ``tick(rows)`` after every block.

    Cost: $1 + \lceil \log_2 (2B) / 20\rceil$ passes over the residues, the first into a :class:`RowSpaceMod`, the
    others one product by $Z$ each ($O(Ncs)$ in BLAS), and one exact reduced echelon form of $s \times c$ (the
    321,220 rows of the 32,122 regions of a float32 4-16-16-2 network: rank 346 in 48 s, 14 primes; their exact
    rank did not end in 5 minutes; ``benchmarks/bench_certified_rank.py``).

    >>> rows = [[1, 2, 3], [2, 4, 6], [1, 0, 1]]
    >>> certified_rank(lambda p: [residues(rows, p)], lambda idx: [rows[i] for i in idx], 1, 6)
    2
    """
    blocks = residue_blocks(BLAS_PRIME)
    space = None
    chosen: list[int] = []
    start = 0
    for block in blocks or ():
        _past(deadline, f"the rank modulo a prime of {start} rows")
        if space is None:
            space = RowSpaceMod(block.shape[1])
        chosen.extend(start + i for i in space.add_independent(block))
        start += len(block)
        if tick is not None:
            tick(len(block))
    if blocks is None or space is None or (at_most is not None and len(chosen) >= at_most):
        return None if blocks is None else len(chosen)
    cols = space.cols
    R, s = as_fmpq_mat(exact_rows(chosen), cols).rref() if chosen else (None, 0)
    if s < len(chosen):     # independent modulo p_0 but not over Q: impossible, unless exact_rows is wrong
        return None
    pivots = [next(j for j in range(cols) if R[i, j] != 0) for i in range(s)]
    free = np.setdiff1d(np.arange(cols), pivots)
    # column j of the kernel, scaled to integers by its own denominator: far smaller than by the lcm of all
    delta = [math.lcm(1, *(int(R[i, j].q) for i in range(s))) for j in free]
    Z = [[int(R[i, j] * delta[c]) for c, j in enumerate(free)] for i in range(s)]
    B = denominator * height * max((delta[c] + sum(abs(Z[i][c]) for i in range(s)) for c in range(len(free))),
                                   default=0)
    product, p = 1, BLAS_PRIME + 1
    while product <= 2 * B:
        p -= 1
        while not fmpz(p).is_prime():
            p -= 1
        if denominator % p == 0 or (blocks := residue_blocks(p)) is None:
            continue
        Zp = balanced(np.array([[z % p for z in row] for row in Z], dtype=np.int64).reshape(s, len(free)), p)
        deltas = balanced(np.array([[d % p for d in delta]], dtype=np.int64), p)
        done = 0
        for block in blocks:
            _past(deadline, f"the check of a kernel modulo {p} after {done} rows")
            b = balanced(block, p)
            if _balance(b[:, free] * deltas - _matmul_balanced(b[:, pivots], Zp, p), p).any():
                return None
            done += len(block)
            if tick is not None:
                tick(len(block))
        product *= p
    return s


def _past(deadline: float | None, doing: str) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise UndecidedError(f"the deadline passed during {doing}")
