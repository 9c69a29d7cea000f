r"""Peeling by $p$-adic valuations: vectors that lie in no zero-sum set, certified one coordinate at a time.

The $p$-adic valuation $\nu_p$ is ultrametric: if one term of a finite sum of rationals has a valuation strictly
below that of every other term, the sum has that valuation and is not zero. So if, in coordinate $j$, the vector
$v_i$ has the unique smallest $\nu_p(v_{kj})$ among the vectors $k$ of a set $R$ (and $v_{ij} \ne 0$), no zero-sum
subset of $R$ contains $i$. Peeling such an $i$ off $R$ and repeating proves, for every vector peeled, that it lies
in no zero-sum set at all (induction on the order: a zero-sum set avoids everything peeled before, so it lies in
the $R$ of that step). When every vector is peeled there is no zero-sum set.

Ties of two serve too. If exactly two vectors $a, b$ share the smallest valuation $m$ in coordinate $j$, a zero-sum
set holding one of them holds the other: the terms of valuation $m$ are $p^m$ times $p$-adic units, and one unit
alone is not $0$ modulo $p$. So $a$ and $b$ are *joined* into a class with the vector $a + b$, and the peeling goes
on with classes: every zero-sum set is a union of classes, a class with the unique smallest valuation in some
coordinate lies in no zero-sum set, and a class whose vector is $0$ is a zero-sum set.

Weights read from float32 files are dyadic with mantissas of random parity, so their 2-adic valuations spread like
geometric variables: the smallest of many is often unique, and the terms $v_iw_i \in \mathbb{Q}^{n_0}$ of a bottleneck
network's first two layers (dependent, positively spanning, far beyond any exact search) peel completely up to about
five times as many terms as coordinates: 784-1024-1-10 to 784-4096-1-10 on each seed measured (4,096 terms: about
a second, from the valuations of the factors of :class:`OuterProducts`; without the joins three seeds of six stop
after about half of them;
``benchmarks/bench_zero_factor_wide.py``). Other primes serve integer data. A certificate names, for each step,
the vectors, the coordinate and the prime, and :func:`check_peeling` replays it exactly.

>>> from flint import fmpq
>>> vectors = [(fmpq(1), fmpq(2)), (fmpq(2), fmpq(4)), (fmpq(4), fmpq(3))]
>>> peeling(vectors).steps     # (index, coordinate, prime): nu_2 is unique smallest for v_0 in 0, v_2 in 1; then v_1
((0, 0, 2), (2, 1, 2), (1, 0, 2))
>>> check_peeling(vectors, peeling(vectors).steps)
(0, 2, 1)
>>> tied = [(fmpq(1),), (fmpq(3),), (fmpq(2),)]
>>> peeling(tied).steps            # v_0, v_1 tie at nu_2 = 0: joined (vector 4); then v_2 (nu_2 = 1 < 2), {v_0, v_1}
((0, 1, 0, 2), (2, 0, 2), (0, 0, 2))
>>> check_peeling(tied, peeling(tied).steps)
(2, 0, 1)
"""

from __future__ import annotations

import math
import time
from typing import Callable, NamedTuple, Sequence

import numpy as np
from flint import fmpq, fmpz

from semialg.core.rational_matrix import RationalMatrix
from semialg.errors import CertificateError

__all__ = ["Peeling", "peeling", "check_peeling", "valuation", "valuation_table", "OuterProducts"]

_INFINITE = np.iinfo(np.int64).max      # the valuation of 0
_CHUNK = 128                            # coordinates whose valuations are read at a time
_ZERO = fmpq(0)
_ZERO_STAND_IN = 1 << 40


def valuation(x: fmpq, p: int) -> int:
    r"""$\nu_p(x)$, the exponent of $p$ in the rational $x$ (numerator minus denominator); the largest ``int64``
    for $x = 0$. Cost: $O(\nu_p)$ divisions, one bit operation for $p = 2$.

    >>> valuation(fmpq(12, 5), 2), valuation(fmpq(5, 12), 3), valuation(fmpq(0), 7)
    (2, -1, 9223372036854775807)
    """
    x = x if type(x) is fmpq else fmpq(x)
    a, b = int(x.p), int(x.q)
    if not a:
        return int(_INFINITE)
    if p == 2:
        return (a & -a).bit_length() - (b & -b).bit_length()
    v = 0
    while not a % p:
        a, v = a // p, v + 1
    while not b % p:
        b, v = b // p, v - 1
    return v


def _valuations(values: Sequence, p: int, scale: int = 1) -> np.ndarray:
    """$\nu_p(x / \text{scale})$ of rationals or Python integers $x$, as an ``int64`` array."""
    shift = valuation(fmpq(scale), p) if scale != 1 else 0
    if p != 2:
        out = np.fromiter((valuation(x, p) for x in values), dtype=np.int64, count=len(values))
    else:
        found = []
        for x in values:                            # valuation() inlined: this loop is the peeling's cost
            if type(x) is int:
                a, b = x, 1
            else:
                x = x if type(x) is fmpq else fmpq(x)
                a, b = int(x.p), int(x.q)
            found.append((a & -a).bit_length() - (b & -b).bit_length() if a else _INFINITE)
        out = np.array(found, dtype=np.int64)
    return np.where(out == _INFINITE, out, out - shift) if shift else out


#: ``p`` -> the ``n x D`` table of $\nu_p$ of the vectors' entries (a new array), or ``None`` for a prime it does not
#: serve: the valuations computed from a factored form of the vectors (:meth:`OuterProducts.valuations`).
Valuations = Callable[[int], "np.ndarray | None"]


def _int_valuations(N: np.ndarray, p: int) -> np.ndarray:
    """$\\nu_p$ of an ``int64`` array, the largest ``int64`` where it is 0."""
    out = np.full(N.shape, _INFINITE, dtype=np.int64)
    nz = N != 0
    if p == 2:      # the lowest set bit is a power of two below 2^63: exact in float64
        out[nz] = np.log2((N[nz] & -N[nz]).astype(np.float64)).astype(np.int64)
        return out
    v, m, live = np.zeros(int(nz.sum()), dtype=np.int64), N[nz], np.ones(int(nz.sum()), dtype=bool)
    while live.any():
        live &= m % p == 0
        m = np.where(live, m // p, m)
        v += live
    out[nz] = v
    return out


def valuation_table(M: RationalMatrix, p: int) -> np.ndarray:
    r"""$\nu_p$ of every entry of ``M`` (the largest ``int64`` for 0), as an ``int64`` array: vectorised from the
    ``int64`` integer form $N/d$ ($\nu_p(N_{ij}) - \nu_p(d)$) or from exact floats $m\,2^t$, else entry by entry
    (:func:`valuation`). Cost: $O(rc)$ array operations ($O(rc \log_p)$ for $p > 2$).

    >>> valuation_table(RationalMatrix.of([["12/5", "0"], ["-3", "1/8"]]), 2).tolist()
    [[2, 9223372036854775807], [0, -3]]
    """
    if M.floats is not None:                    # m 2^t with m an odd-or-even integer below 2^53
        F = M.floats
        m, e = np.frexp(F)
        N = (m * 2.0 ** 53).astype(np.int64)
        out = _int_valuations(N, p)
        if p == 2:
            out = np.where(F != 0, out + e.astype(np.int64) - 53, _INFINITE)
        return out
    N = M.numerators
    if N.dtype != np.int64:
        return np.array([[valuation(x, p) for x in row] for row in M.rows], dtype=np.int64).reshape(M.shape)
    out = _int_valuations(N, p)
    return np.where(N != 0, out - valuation(fmpq(M.denominator), p), _INFINITE)


class OuterProducts(Sequence):
    r"""The vectors $v_i = a_i \otimes w_i$ (the matrix $a_i w_i^T$ row by row) of the rows $a_i$, $w_i$ of two
    rational matrices with $n$ rows each, read lazily: a vector is multiplied out when it is first read, and its
    $p$-adic valuations come from those of the factors, $\nu_p(a_{ir} w_{ix}) = \nu_p(a_{ir}) + \nu_p(w_{ix})$
    (:meth:`valuations`, which :func:`peeling` and :func:`check_peeling` use). A peeling that rules out every
    vector reads only the classes it joins: the flip terms of a layer of 4,096 neurons on 784 inputs are 3.2
    million products, 2 s to multiply out and about 200 MB to hold.

    >>> v = OuterProducts(RationalMatrix.of([[2], [0]]), RationalMatrix.of([[1, 4], [6, 1]]))
    >>> len(v), v[0], v[1]
    (2, (2, 8), (0, 0))
    >>> v.valuations(2).tolist(), v.zero_vectors()
    ([[1, 3], [9223372036854775807, 9223372036854775807]], [1])
    """

    def __init__(self, a: RationalMatrix, w: RationalMatrix):
        if a.shape[0] != w.shape[0]:
            raise ValueError(f"the factors have {a.shape[0]} and {w.shape[0]} rows")
        self.a, self.w = a, w
        self._read: dict[int, tuple[fmpq, ...]] = {}
        self._scale: tuple[int, tuple] | None = None

    def __len__(self) -> int:
        return self.a.shape[0]

    @property
    def scale(self) -> int:
        """The common factor $s$ of :meth:`scaled`: the product of the denominators of the factors whose ``int64``
        integer form was at hand when first asked (fixed from then on, as the forms may appear later)."""
        return self._scaling()[0]

    def scaled(self, i: int) -> list:
        r"""$s\,v_i$ for $s$ = :attr:`scale`: Python integers when both factors have an ``int64`` integer form at
        hand (adding two takes a tenth of the time of rationals), else rationals. Cost: $O(km)$.

        >>> v = OuterProducts(RationalMatrix.from_integers(np.array([[1]]), 2),
        ...                   RationalMatrix.from_integers(np.array([[3, 1]]), 3))      # (1/2) (1, 1/3)
        >>> v.scale, v.scaled(0), v[0]
        (6, [3, 1], (1/2, 1/6))
        """
        a, w = (N[i].tolist() if N is not None else list(M.row(i))
                for M, N in zip((self.a, self.w), self._scaling()[1], strict=True))
        return [x * y for x in a for y in w]

    def _scaling(self) -> tuple[int, tuple]:
        if self._scale is None:
            forms = tuple(M.numerators if M.has_integer_form and M.numerators.dtype == np.int64 else None
                          for M in (self.a, self.w))
            self._scale = (math.prod(M.denominator for M, N in zip((self.a, self.w), forms, strict=True)
                                     if N is not None), forms)
        return self._scale

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(len(self))[i]]
        i = range(len(self))[i]
        if i not in self._read:
            w = self.w.row(i)
            self._read[i] = tuple(x * y for x in self.a.row(i) for y in w)
        return self._read[i]

    def leading(self, rows: int) -> "OuterProducts":
        r"""The vectors $a_{i,<r} \otimes w_i$ of the first ``rows`` entries of each $a_i$: the first $r m$
        coordinates of the vectors, unchanged. A zero-sum set of the vectors is one of these, so a peeling of these
        rules the same vectors out of every zero-sum set (and replays on the vectors: :func:`check_peeling`).
        Cost: $O(nr)$.

        >>> v = OuterProducts(RationalMatrix.of([[1, 2]]), RationalMatrix.of([[3, 5]]))
        >>> v[0], v.leading(1)[0]
        ((3, 5, 6, 10), (3, 5))
        """
        return self if rows >= self.a.shape[1] else OuterProducts(self.a.T.take_rows(range(rows)).T, self.w)

    @property
    def dim(self) -> int:
        """The dimension $km$ of the vectors."""
        return self.a.shape[1] * self.w.shape[1]

    def zero_vectors(self) -> list[int]:
        """The indices of the zero vectors (a zero factor), from the factors. Cost: $O(n(k + m))$."""
        return np.flatnonzero(~self.a.nonzero_rows() | ~self.w.nonzero_rows()).tolist()

    def valuations(self, p: int) -> np.ndarray:
        """The $n \\times km$ table of $\\nu_p$ of the vectors' entries (a new array; the largest ``int64`` for 0).
        Cost: $O(n(k + m))$ valuations and $O(nkm)$ array operations."""
        # a zero factor's valuation stands in as 2^40: finite valuations are far smaller (numbers of 2^38 bits)
        a, w = (np.minimum(valuation_table(M, p), _ZERO_STAND_IN) for M in (self.a, self.w))
        out = (a[:, :, None] + w[:, None, :]).reshape(a.shape[0], -1)
        out[out > _ZERO_STAND_IN // 2] = _INFINITE
        return out


class _Classes:
    """The classes of vectors joined so far, named by their smallest member: which are left, their vectors, and
    the valuations of those left in the coordinates read (one ``n x D`` table a prime; rows of classes not left
    hold the valuation of 0, so a column's minimum is over the classes left)."""

    def __init__(self, vectors: Sequence[Sequence[fmpq]], valuations: Valuations | None = None):
        self.vectors = vectors
        self.valuations = vectors.valuations if valuations is None and isinstance(vectors, OuterProducts) \
            else valuations
        self.given: set[int] = set()                            # primes whose table came from ``valuations``
        self.n, self.dim = len(vectors), len(vectors[0]) if vectors else 0
        self.left = np.ones(self.n, dtype=bool)
        self.owner = list(range(self.n))                        # vector -> its class
        self.members = {i: [i] for i in range(self.n)}
        self.sums: dict[int, list] = {}                         # vectors of classes of two or more, scaled
        self.scale = vectors.scale if isinstance(vectors, OuterProducts) else 1
        self.table: dict[int, np.ndarray] = {}
        self.read: dict[int, np.ndarray] = {}

    def vector(self, c: int) -> Sequence:
        """The vector of class ``c`` times :attr:`scale` (added as Python integers when the factors allow)."""
        if c in self.sums:
            return self.sums[c]
        return self.vectors.scaled(c) if isinstance(self.vectors, OuterProducts) else self.vectors[c]

    def column(self, j: int, p: int) -> np.ndarray:
        if p not in self.table:
            given = self.valuations(p) if self.valuations is not None else None
            if given is None:
                self.table[p] = np.full((self.n, self.dim), _INFINITE, dtype=np.int64)
            else:
                if given.shape != (self.n, self.dim):
                    raise ValueError(f"valuations of shape {given.shape} for {self.n} vectors in dimension {self.dim}")
                given[~self.left] = _INFINITE
                self.table[p] = given
                self.given.add(p)
            self.read[p] = np.zeros(self.dim, dtype=bool)
        if not self.read[p][j]:     # given valuations stand for the vectors, not for the classes joined since
            rows = np.flatnonzero(self.left) if p not in self.given else [c for c in self.sums if self.left[c]]
            self.table[p][rows, j] = _valuations([self.vector(c)[j] for c in rows], p, self.scale)
            self.read[p][j] = True
        return self.table[p][:, j]

    def smallest(self, j: int, p: int) -> np.ndarray:
        """The classes left with the smallest $\\nu_p$ in coordinate ``j`` (none if it is 0 in all of them)."""
        col = self.column(j, p)
        m = col.min()
        return np.flatnonzero(col == m) if m < _INFINITE else col[:0]

    def peel(self, c: int) -> list[int]:
        """Set the class ``c`` aside; its members."""
        self.left[c] = False
        for t in self.table.values():
            t[c] = _INFINITE
        return sorted(self.members[c])

    def join(self, a: int, b: int) -> bool:
        """Join the classes ``a`` and ``b``; whether the joined vector is 0."""
        a, b = min(a, b), max(a, b)
        s = [x + y for x, y in zip(self.vector(a), self.vector(b), strict=True)]
        self.peel(b)
        self.sums[a] = s
        self.sums.pop(b, None)
        for i in self.members[b]:
            self.owner[i] = a
        self.members[a] += self.members.pop(b)
        for p, t in self.table.items():
            cols = np.flatnonzero(self.read[p])
            t[a, cols] = _valuations([s[j] for j in cols], p, self.scale)
        return not any(s)


class Peeling(NamedTuple):
    """What :func:`peeling` found: its ``steps`` (a peel ``(i, j, p)``: the class of vector $i$ has the unique
    smallest $\\nu_p$ in coordinate $j$; a join ``(i, k, j, p)``: the classes of $i$ and $k$ are the only two with
    the smallest), the vectors ``peeled``, in order, and a ``zero_sum`` set found as a class whose vector is 0
    (``None`` if none was)."""

    steps: tuple[tuple[int, ...], ...]
    peeled: tuple[int, ...]
    zero_sum: tuple[int, ...] | None = None


def peeling(vectors: Sequence[Sequence[fmpq]], primes: Sequence[int] = (2, 3),
            deadline: float | None = None, joins: bool = True, valuations: Valuations | None = None) -> Peeling:
    r"""The longest peeling found greedily, with joins unless ``joins`` is false (module docstring). Every vector
    peeled lies in no zero-sum set; all of them peeled proves there is none. Coordinates are read ``128`` at a
    time, the primes in turn; after each block, every coordinate read is scanned for a unique smallest valuation (a
    peel) until none is left, and after the last block, where none is, for two (a join: $O(D)$ work, wasted where
    peeling alone goes on); rounds over the primes repeat while they peel or join. Stops when nothing is left, a
    joined class sums to zero, nothing more peels or joins, or at ``deadline`` (a ``time.monotonic()`` value,
    checked between blocks and between the scans' passes). ``valuations`` (optional, :data:`Valuations`; by default an :class:`OuterProducts`'
    own): the vectors' valuations, computed from a factored form; they must be those of ``vectors``, which are
    then read only where classes are joined.

    Cost: $O(nD)$ valuations for $n$ vectors in $\mathbb{Q}^D$ and each prime (read once; array operations with
    ``valuations``), $O(nD)$ table operations a scan, $O(D)$ additions and valuations a join; memory an
    $n \times D$ table of integers a prime (784-4096-1-10: 25 MB).

    >>> from flint import fmpq
    >>> peeling([(fmpq(1),), (fmpq(2),), (fmpq(-1),)])     # v_0, v_2 tie at nu_2 = 0: joined, their sum is 0
    Peeling(steps=((0, 2, 0, 2),), peeled=(), zero_sum=(0, 2))
    """
    C = _Classes(vectors, valuations)
    steps: list[tuple[int, ...]] = []
    peeled: list[int] = []

    def done(zero_sum=None) -> Peeling:
        return Peeling(tuple(steps), tuple(peeled), zero_sum)

    def scan(p: int, join: bool) -> bool | tuple[int, ...]:
        """Peel, and with ``join`` join where nothing peels, in the coordinates read until nothing more does; the
        zero-sum set, if one is joined."""
        moved = False
        while C.left.any() and not late():
            moved |= _peel_unique_minima(C, p, steps, peeled, late)
            if not join or not C.left.any() or late():
                break
            cols = np.flatnonzero(C.read[p])        # a pass is O(nD)
            T = C.table[p][:, cols]
            low = T.min(axis=0)
            pairs = cols[np.where(low < _INFINITE, (T == low).sum(axis=0), 0) == 2]
            if not len(pairs):
                break
            for j in pairs.tolist():
                while len(who := C.smallest(j, p)) == 2:
                    moved = True
                    steps.append((int(who[0]), int(who[1]), j, p))
                    if C.join(int(who[0]), int(who[1])):
                        return tuple(sorted(C.members[int(who[0])]))
        return moved

    def late() -> bool:
        return deadline is not None and time.monotonic() > deadline

    moved = True
    while moved and C.n and C.dim:
        moved = False
        for p in primes:
            if not C.left.any() or late():
                return done()
            C.column(0, p)
            chunk = C.dim if p in C.given else _CHUNK               # given valuations are read at once
            for start in range(0, C.dim, chunk):
                if not C.left.any() or late():
                    return done()
                for j in range(start, min(start + chunk, C.dim)):
                    C.column(j, p)
                out = scan(p, joins and start + chunk >= C.dim)     # joins once every coordinate is read
                if isinstance(out, tuple):
                    return done(out)
                moved |= out
    return done()


_WINDOW = 16        # sorted positions a pointer of _peel_unique_minima looks ahead at a time


def _peel_unique_minima(C: _Classes, p: int, steps: list, peeled: list, late: Callable[[], bool]) -> bool:
    r"""Peel, round after round, every class left with the unique smallest $\nu_p$ in some coordinate read, until
    none has; whether any was peeled. A class unique among those left at the start of a round stays unique as the
    others of the round are peeled, so a round peels them all, in increasing order, each named with the first such
    coordinate. Each coordinate's classes are sorted once by valuation (``int16`` radix sort when the valuations
    span less than $2^{15}$); a round moves two pointers per coordinate, to its first two classes left. Stops
    between rounds once ``late()``. Cost: one sort of the $n \times D$ table read, $O(D)$ array operations a round
    and $O(nD)$ pointer moves in all (784-4096: 0.2 s, against 1.6 s for a scan of the table per peel batch)."""
    cols = np.flatnonzero(C.read[p])
    T = C.table[p][:, cols]
    low, n = T.min(axis=0), T.shape[0]
    if not len(cols) or (low == _INFINITE).all():
        return False
    high = int(T.max(initial=int(low.min()), where=T < _INFINITE))
    span = high + 1 - int(low.min())
    K = np.full((n + 1, len(cols)), span, dtype=np.int16 if span < 2 ** 15 else np.int64)
    np.subtract(np.minimum(T, high + 1), int(low.min()), out=K[:n], casting="unsafe")    # 0 stands last, as span
    order = np.full((n + _WINDOW, len(cols)), n)
    order[:n] = np.argsort(K[:n], axis=0, kind="stable")
    left = np.append(C.left, True)                          # the padding row n counts as left, with valuation 0
    at = np.arange(len(cols))

    def first_left(ptr: np.ndarray) -> np.ndarray:
        moving = np.flatnonzero(~left[order[ptr, at]])
        while moving.size:
            window = left[order[ptr[moving, None] + np.arange(_WINDOW), moving[:, None]]]
            hit = window.any(axis=1)
            ptr[moving] += np.where(hit, window.argmax(axis=1), _WINDOW)
            moving = moving[~hit]
        return ptr

    first, second = np.zeros(len(cols), dtype=np.int64), np.ones(len(cols), dtype=np.int64)
    moved = False
    while not late():
        first = first_left(first)
        second = first_left(np.minimum(np.maximum(second, first + 1), n))
        rows = order[first, at]
        unique = (K[rows, at] < K[order[second, at], at]) & (K[rows, at] < span)
        if not unique.any():
            break
        found, where = np.unique(rows[unique], return_index=True)
        for c, j in zip(found.tolist(), cols[unique][where].tolist(), strict=True):
            steps.append((c, j, p))
            peeled.extend(C.peel(c))
        left[found] = False
        moved = True
    return moved


def check_peeling(vectors: Sequence[Sequence[fmpq]], steps, valuations: Valuations | None = None) -> tuple[int, ...]:
    r"""Replay a :func:`peeling` exactly and return the vectors it peels, in order (a class's members in increasing
    order); :class:`CertificateError` naming the first step that fails. ``valuations`` as for :func:`peeling`
    (the checker computes them itself from the factors, never takes them from a certificate). Cost: that of
    replaying it, $O(n)$ valuations per coordinate and prime the steps use, $O(D)$ a join.

    >>> from flint import fmpq
    >>> check_peeling([(fmpq(2),), (fmpq(2),)], ((0, 0, 2),))
    Traceback (most recent call last):
    ...
    semialg.errors.CertificateError: peeling step 0: nu_2 of vector 0 in coordinate 0 is not below every class left
    """
    n = len(vectors)
    dim = len(vectors[0]) if n else 0
    if not isinstance(steps, tuple) or not all(isinstance(s, tuple) and len(s) in (3, 4) and
                                               all(type(x) is int for x in s) for s in steps):
        raise CertificateError("a peeling is a tuple of (vector, coordinate, prime) or (vector, vector, coordinate, "
                               "prime) integer tuples")
    if not all(0 <= i < n for s in steps for i in s[:-2]) or not all(0 <= s[-2] < dim for s in steps):
        raise CertificateError(f"a peeling names vectors in 0..{n - 1} and coordinates in 0..{dim - 1}")
    if not all(1 < s[-1] < 2 ** 16 and fmpz(s[-1]).is_prime() for s in steps):
        raise CertificateError("a peeling's primes are primes below 2^16")
    if isinstance(vectors, OuterProducts) and valuations is None and steps:     # the coordinates the steps name
        vectors = vectors.leading(max(s[-2] for s in steps) // vectors.w.shape[1] + 1)
    C = _Classes(vectors, valuations)
    out: list[int] = []
    for t, s in enumerate(steps):
        *named, j, p = s
        classes = sorted({C.owner[i] for i in named})
        if len(classes) != len(named) or not all(C.left[c] for c in classes):
            raise CertificateError(f"peeling step {t}: vector(s) {named} are not in distinct classes left")
        if C.smallest(j, p).tolist() != classes:
            what = f"vector {named[0]}" if len(named) == 1 else f"the classes of vectors {named[0]} and {named[1]}"
            raise CertificateError(f"peeling step {t}: nu_{p} of {what} in coordinate {j} is not below every "
                                   f"class left")
        if len(named) == 1:
            out.extend(C.peel(classes[0]))
        else:
            C.join(*classes)
    return tuple(out)
