"""Rational matrices stored as one integer matrix over a common denominator.

A weight matrix read from float arrays is a matrix of dyadic rationals: every entry is $m\\,2^{e}$ with an
integer $m$. Stored as one ``fmpq`` per entry it costs about five times the float64 size of the weights and
a Python object per entry; stored as $N / 2^K$ with an ``int64`` matrix $N$ it costs the float64 size and
is read by a few vectorised numpy passes. :class:`RationalMatrix` holds either form and derives the other
on demand: the integer form $(N, d)$ for vectorised exact work (residues modulo a prime, zero tests, float
rounding), the rows of ``fmpq`` for everything written row by row.

>>> M = RationalMatrix.of(np.array([[0.5, -3.0], [0.0, 0.125]], dtype=np.float32))
>>> M.denominator, M.numerators.tolist()
(8, [[4, -24], [0, 1]])
>>> M[0], len(M), M.shape
((1/2, -3), 2, (2, 2))
>>> M == ((fmpq(1, 2), -3), (0, fmpq(1, 8)))
True
"""

from __future__ import annotations

import itertools
import math
import operator
from typing import Iterator, Sequence

import numpy as np
from flint import fmpq, fmpq_mat, fmpz, fmpz_mat

from semialg.core.exact import integer_rows, primitive_rows, to_matrix
from semialg.core.grid_point import GridPoint, as_grid_points
from semialg.core.limbs import MAX_INNER, Limbs, split_limbs
from semialg.errors import ParameterError, ShapeError

__all__ = ["RationalMatrix", "integer_columns", "rational_columns", "row_residues"]

_LIMB_CHOICES = (20, 24)     # bits of the limbs of an int64 form in exact products (Limbs.left_multiply_limbs)
#: Cutting an int64 form into limbs costs, per limb, about as much as this many float products of its limbs by one
#: column (784-4096: 40-140 ns an entry against about 1 ns): a limb split kept is used again for a few columns.
_SPLIT_COST = 32

_INT64_BITS = 62  # numerators below 2^62 in magnitude: sums of two stay below 2^63
_HASH_PRIME = 2147483647  # 2^31 - 1: residues times residues stay below 2^62
_HASH_SAMPLE = 4096  # entries a hash reads (at most twice as many)
_CHUNK_ENTRIES = 1 << 16  # rows are split into chunks of about this many entries: temporaries stay small


class RationalMatrix(Sequence):
    """An immutable $r \\times c$ rational matrix $A = N / d$ with integer $N$ and $d \\ge 1$, $\\gcd(N, d) = 1$.

    Behaves as the tuple of its rows (tuples of ``fmpq``): indexing, iteration, ``len``, equality with nested
    sequences of the same ``fmpq`` (or ``int``) entries — convert other numbers with :meth:`of` first. Build one with :meth:`of`. The integer form is an ``int64`` array
    when every numerator is below $2^{62}$ in magnitude, else an ``object`` array of Python integers; exact
    either way. Memory: 8 bytes per entry in the ``int64`` form (the float64 size), plus the rows once
    something asks for them.
    """

    __slots__ = ("_rows", "_num", "_den", "_float", "_shape", "_fmpq_mat", "_fmpz_mat", "_small_den", "_limbs",
                 "_hash", "_primitive")

    def __init__(self, rows=None, numerators: np.ndarray | None = None, denominator: int | None = None,
                 shape: tuple[int, int] | None = None, floats: np.ndarray | None = None):
        # Private: use :meth:`of`. Given: the rows, or (numerators, denominator), or float64 ``floats`` whose
        # values are the entries exactly (floats too spread in magnitude for an int64 integer form).
        self._rows = rows
        self._num = numerators
        self._den = denominator
        self._float = floats
        self._fmpq_mat = None
        self._fmpz_mat = None
        self._small_den = None
        self._limbs = None
        self._hash = None
        self._primitive = None
        if shape is None:
            shape = numerators.shape if numerators is not None else floats.shape if floats is not None else \
                (len(rows), len(rows[0]) if rows else 0)
        self._shape = (int(shape[0]), int(shape[1]))
        for A in (self._num, self._float):
            if A is not None:
                A.flags.writeable = False

    # -- construction -----------------------------------------------------------------------------

    @classmethod
    def of(cls, M, where: str | None = None) -> "RationalMatrix":
        """The exact rational matrix of ``M``: a float/int numpy array, nested sequences of anything
        :func:`~semialg.core.exact.to_fmpq` reads, an ``fmpq_mat``/``fmpz_mat`` or a :class:`RationalMatrix`.

        Float arrays (float16/32/64) are split into mantissas and exponents by numpy and shifted to the
        common denominator $2^K$ without any Python object per entry: $O(rc)$ vectorised operations. Other
        inputs go through :func:`~semialg.core.exact.to_matrix` ($O(rc)$ conversions). NaN, infinities and
        bad entries raise :class:`~semialg.errors.ParameterError` naming ``where`` and the entry.

        >>> RationalMatrix.of([[1, "1/3"]]).numerators.tolist(), RationalMatrix.of([[1, "1/3"]]).denominator
        ([[3, 1]], 3)
        """
        if isinstance(M, RationalMatrix):
            return M
        if isinstance(M, np.ndarray) and M.ndim == 2 and M.dtype.kind == "f" and M.dtype.itemsize <= 8:
            if not np.isfinite(M).all():
                i, j = np.argwhere(~np.isfinite(M))[0]
                raise ParameterError(f"not a finite number at {where or ''}[{i},{j}]: {M[i, j]!r}")
            dyadic = _dyadic(M)
            if dyadic is not None:
                return cls(None, *dyadic, shape=M.shape)
            return cls(None, shape=M.shape, floats=np.array(M, dtype=np.float64))
        if isinstance(M, np.ndarray) and M.ndim == 2 and M.dtype.kind in "iu" and M.dtype.itemsize <= 8:
            N = M.astype(object if M.dtype == np.uint64 else np.int64)
            return cls(None, _compact(N), 1)
        rows = to_matrix(M, where=where)
        if isinstance(M, np.ndarray) and M.ndim == 2:
            return cls(rows, shape=M.shape)
        return cls(rows)

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[fmpq]]) -> "RationalMatrix":
        """The matrix with these rows of ``fmpq`` (taken as they are, not converted: use :meth:`of` for other
        entries). Cost: $O(rc)$ tuple copies.

        >>> RationalMatrix.from_rows([(fmpq(1), fmpq(2))]).shape
        (1, 2)
        """
        return cls(tuple(r if isinstance(r, tuple) else tuple(r) for r in rows))

    @classmethod
    def from_integers(cls, numerators: np.ndarray, denominator: int) -> "RationalMatrix":
        """$N / d$ for an integer array $N$ (``int64`` or ``object``) and an integer $d \\ge 1$, reduced.

        >>> RationalMatrix.from_integers(np.array([[2, 4]]), 6)[0]
        (1/3, 2/3)
        """
        d = int(denominator)
        if d < 1:
            raise ParameterError(f"the denominator must be a positive integer, not {denominator}")
        N = np.asarray(numerators)
        if N.ndim != 2:
            raise ShapeError(f"expected a matrix of numerators, got shape {N.shape}")
        if N.dtype.kind not in "iuO":
            raise ParameterError(f"numerators must be integers, not {N.dtype}")
        N = _compact(N if N.dtype != np.uint64 else N.astype(object))  # int64 only below 2^62: np.gcd is safe
        if N.dtype == object:
            g = math.gcd(d, *(int(v) for v in N.ravel().tolist()))
        else:
            g = math.gcd(d, int(np.gcd.reduce(N.ravel()))) if N.size else d
        if g > 1:
            # g exceeds int64 only when every numerator is 0 (g = d then): numpy cannot divide by it
            N = N // g if N.dtype == object or g < 2 ** 63 else np.zeros_like(N)
        return cls(None, _compact(N), d // g)

    # -- the two forms ------------------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, int]:
        return self._shape

    @property
    def rows(self) -> tuple[tuple[fmpq, ...], ...]:
        """The rows as tuples of ``fmpq`` (built once on first use: $O(rc)$ rational constructions)."""
        if self._rows is None and self._num is not None:
            d = fmpz(self._den)
            self._rows = tuple(tuple(fmpq(v, d) for v in r) for r in self._num.tolist())
        elif self._rows is None:
            self._rows = tuple(tuple(fmpq(*x.as_integer_ratio()) for x in r) for r in self._float.tolist())
        return self._rows

    def row(self, i: int) -> tuple[fmpq, ...]:
        """Row ``i`` as a tuple of ``fmpq``, without building the others when they are not at hand (a few rows of a
        784-4096 layer: microseconds, where :attr:`rows` takes 2 s). Cost: $O(c)$.

        >>> RationalMatrix.of([["1/2", 3], [0, "-1/4"]]).row(1)
        (0, -1/4)
        """
        if self._rows is not None:
            return self._rows[i]
        if self._num is not None:
            d = fmpz(self._den)
            return tuple(fmpq(v, d) for v in self._num[i].tolist())
        return tuple(fmpq(*x.as_integer_ratio()) for x in self._float[i].tolist())

    def entry(self, i: int, j: int) -> fmpq:
        """The entry in row ``i`` and column ``j`` as an ``fmpq``, without building its row when the integer form is
        at hand. Cost: $O(1)$, $O(c)$ without it.

        >>> RationalMatrix.of([["1/2", 3], [0, "-1/4"]]).entry(1, 1)
        -1/4
        """
        if self._rows is None and self._num is not None:
            return fmpq(int(self._num[i, j]), self._den)
        return self.row(i)[j]

    def take_rows(self, index: Sequence[int]) -> "RationalMatrix":
        r"""The rows ``index``, in that order: on the integer form or the exact floats when at hand, so that dropping
        a neuron of a 4,096 x 784 layer builds no rational (its rows took 2 s). Cost: $O(|index|\,c)$.

        >>> RationalMatrix.of([[1, 2], [3, "1/2"]]).take_rows([1]).rows
        ((3, 1/2),)
        """
        idx = np.asarray(index, dtype=np.intp).reshape(-1)
        if self._num is not None:       # reduced again: the rows kept may share a smaller denominator
            return RationalMatrix.from_integers(self._num[idx], self._den)
        if self._float is not None:
            return RationalMatrix(None, floats=self._float[idx], shape=(len(idx), self._shape[1]))
        return RationalMatrix(tuple(self._rows[i] for i in idx.tolist()), shape=(len(idx), self._shape[1]))

    def scaled_row(self, i: int) -> tuple[list, int]:
        """``(s * row i, s)`` exactly: the row's Python integers over the common denominator $s = d$ when the
        ``int64`` integer form is at hand, else its rationals and $s = 1$. An exact test on one row of a 784-4096
        layer then needs no rationals of $W$ (784 of them: 0.3 ms). Cost: $O(c)$.

        >>> RationalMatrix.from_integers(np.array([[1, 6], [3, -2]]), 4).scaled_row(1)
        ([3, -2], 4)
        """
        if self._num is not None and self._num.dtype == np.int64:
            return self._num[i].tolist(), self._den
        return list(self.row(i)), 1

    def primitive_rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
        r""":func:`~semialg.core.exact.primitive_rows` $(P, g, s, j)$ of the ``int64`` integer form $N$ (row $a$ of the
        matrix is $s_ag_aP_a/d$), computed once and kept: several tests of one call key the same layer's rows.
        ``None`` unless that form is at hand. Cost: $O(rc)$ vectorised, once.

        >>> RationalMatrix.from_integers(np.array([[2, -4], [0, 0]]), 3).primitive_rows()[0].tolist()
        [[1, -2], [0, 0]]
        """
        if self._primitive is None and self._num is not None and self._num.dtype == np.int64:
            self._primitive = primitive_rows(self._num)
        return self._primitive

    @property
    def has_integer_form(self) -> bool:
        """Whether the integer form is already at hand (no per-entry work to get it)."""
        return self._num is not None

    def denominator_within(self, bits: int = _INT64_BITS) -> bool:
        r"""Whether the least common denominator $d$ of the entries is below $2^{\text{bits}}$, decided without
        building the integer form: the lcm of the entries' denominators, stopped as soon as it passes the bound
        (distinct large denominators: after a few entries, where the integer form would hold $rc$ integers of
        $\log d$ bits each — 20,000 distinct 7-digit denominators make $d$ 140,000 digits). Cost: $O(rc)$ at most.

        >>> M = RationalMatrix.of([["1/3", "1/4"]]); M.denominator_within(4), M.denominator_within(3)   # d = 12
        (True, False)
        """
        bound = 1 << bits
        if self._num is not None:
            return self._den < bound
        if bits == _INT64_BITS and self._small_den is not None:
            return self._small_den
        within = self._denominator_below(bound)
        if bits == _INT64_BITS:
            self._small_den = within
        return within

    def _denominator_below(self, bound: int) -> bool:
        """:meth:`denominator_within` without the integer form at hand."""
        if self._float is not None:     # exact floats M 2^t: d = 2^K, K the largest -(t + trailing zeros of M)
            m, e = np.frexp(self._float[self._float != 0])
            M = (m * 2.0 ** 53).astype(np.int64)
            low = np.log2((M & -M).astype(np.float64)).astype(np.int64)   # powers of two below 2^54: exact
            return not M.size or 1 << max(0, int((53 - e.astype(np.int64) - low).max())) < bound
        d = 1
        for row in self.rows:
            for x in row:
                q = int(x.q) if isinstance(x, fmpq) else 1      # rows may hold int entries
                if d % q:
                    d = d * q // math.gcd(d, q)
                    if d >= bound:
                        return False
        return True

    def _integer_form(self) -> None:
        if self._num is None:
            N, (d, *_) = integer_rows(self.rows, common=True, max_bits=_INT64_BITS) if self._shape[0] \
                else (np.zeros(self._shape, dtype=np.int64), [1])
            self._num, self._den = _compact(N.reshape(self._shape)), int(d)
            self._num.flags.writeable = False

    @property
    def floats(self) -> np.ndarray | None:
        """The entries as float64 values that are exactly the entries, when the matrix was read from floats
        too spread in magnitude for an ``int64`` integer form; else ``None``."""
        return self._float

    @property
    def numerators(self) -> np.ndarray:
        """$N$ (read-only ``int64`` array, or ``object`` array beyond $2^{62}$)."""
        self._integer_form()
        return self._num

    @property
    def denominator(self) -> int:
        """$d$, the least common denominator of the entries."""
        self._integer_form()
        return self._den

    # -- derived views ---------------------------------------------------------------------------------

    def to_fmpq_mat(self) -> fmpq_mat:
        """The matrix as a flint ``fmpq_mat`` (built once, $O(rc)$; do not modify it)."""
        if self._fmpq_mat is None:
            r, c = self._shape
            if self._num is not None and self._num.dtype != object:
                Z = fmpq_mat(self._integer_mat()[0])
                self._fmpq_mat = Z / self._den if self._den != 1 else Z
            else:
                self._fmpq_mat = fmpq_mat(r, c, [x for row in self.rows for x in row])
        return self._fmpq_mat

    def _integer_mat(self) -> tuple[fmpz_mat, int]:
        """$(N, d)$ with $A = N/d$, $N$ a flint ``fmpz_mat`` (built once; do not modify it): from the integer form,
        or for a matrix kept as exact floats from their binary expansions ($d$ a power of two)."""
        if self._fmpz_mat is None:
            r, c = self._shape
            if self._num is None and self._float is not None:
                m, e = np.frexp(self._float)
                mant = (m * 2.0 ** 53).astype(np.int64)        # exact: 53 significant bits
                shift = e.astype(np.int64) - 53
                k = max(0, int(-shift[mant != 0].min())) if mant.any() else 0
                entries = [a << (t + k) if a else 0 for a, t in zip(mant.ravel().tolist(), shift.ravel().tolist())]
                self._fmpz_mat = (fmpz_mat(r, c, entries), 1 << k)
            else:
                self._fmpz_mat = (fmpz_mat(r, c, self.numerators.ravel().tolist()), self.denominator)
        return self._fmpz_mat

    def matvec(self, v: Sequence[fmpq]) -> tuple[fmpq, ...]:
        """$Av$ exactly. A sparse $v$ (at most one in eight entries non-zero) is applied to the integer form
        column by column: $O(r s)$ rational operations for $s$ non-zeros, without building the
        ``fmpq_mat``; otherwise one product ($O(rc)$): of integers, $N(ev)/(de)$ with $e$ the common denominator
        of $v$, for a matrix read from numbers (:meth:`times_limbs`: float64 products of limbs for an ``int64``
        form, without building flint's 3.2 million integers of a 784-4096 layer, 1.2 s), else of rationals.

        >>> RationalMatrix.of([[1, 2], [3, "1/2"]]).matvec([fmpq(0), fmpq(2)])
        (4, 1)
        """
        if len(v) != self._shape[1]:
            raise ShapeError(f"cannot apply a {self._shape[0]}x{self._shape[1]} matrix to a vector of length "
                             f"{len(v)}")
        support = [j for j, x in enumerate(v) if x]
        if 8 * len(support) <= self._shape[1] and self._num is not None and self._num.dtype != object:
            xs = [v[j] for j in support]
            zero = fmpq(0)
            return tuple(sum((c * x for c, x in zip(row, xs)), zero) / self._den
                         for row in self._num[:, support].tolist())
        if self._num is None and self._float is None and not self.denominator_within():
            # flint's rational product clears the denominators: rc integers of log d bits
            xs = [x if isinstance(x, fmpq) else fmpq(x) for x in v]
            return tuple(_balanced_sum([c * x for c, x in zip(row, xs) if x]) for row in self.rows)
        if self._num is not None or self._float is not None:
            Z, (e,) = integer_columns([v])
            Y, d = self.times_limbs(Z)
            return rational_columns(Y, [d * e])[0]
        return tuple((self.to_fmpq_mat() * fmpq_mat(self._shape[1], 1, list(v))).entries())

    def matvecs(self, vs: Sequence[Sequence[fmpq]]) -> list[tuple[fmpq, ...]]:
        r"""$[Av \text{ for } v \in vs]$ exactly: for a matrix read from numbers one integer product $NV$, each
        column of $V$ a vector scaled by its own common denominator (:meth:`times_limbs`); else :meth:`matvec`
        per vector.

        >>> RationalMatrix.of([[1, 2], [3, 0.5]]).matvecs([[fmpq(0), fmpq(2)], [fmpq(1, 3), fmpq(1)]])
        [(4, 1), (7/3, 3/2)]
        """
        if len(vs) < 2 or (self._num is None and self._float is None):
            return [self.matvec(v) for v in vs]
        c = self._shape[1]
        if any(len(v) != c for v in vs):
            raise ShapeError(f"cannot apply a {self._shape[0]}x{c} matrix to vectors of lengths "
                             f"{sorted({len(v) for v in vs})}")
        Z, e = integer_columns(vs)
        Y, d = self.times_limbs(Z)
        return rational_columns(Y, [d * x for x in e])

    def times_limbs(self, Z: Limbs) -> tuple[Limbs, int]:
        r"""$(NZ, d)$ with $A = N/d$, for an integer matrix $Z$ in limbs: float64 products of limbs when $N$ is an
        ``int64`` form with fewer than $2^{13}$ columns (:meth:`~semialg.core.limbs.Limbs.left_multiply_limbs`),
        else flint's integer product. Exact either way. The limbs of $N$ are cut at 20 or 24 bits, whichever takes
        fewer products (a float32 layer of 784 columns has 47-bit integers: three limbs of 20 bits, two of 24; then
        $Z$ is cut at 19 bits), and kept; the cut already kept is used again unless a new one saves more products
        than cutting costs (:data:`_SPLIT_COST`). Cost: $O(m\,rcn)$ flops for $m$ pairs of limbs (784-4096, points of the
        $\frac{1}{64}$ grid: 2 float products instead of 3), or flint's $O(rcn)$ multiplications of integers.

        >>> RationalMatrix.of([[1, "1/2"]]).times_limbs(Limbs.of([[1, 0], [2, 3]]))[0].to_ints(), 2
        ([[4, 3]], 2)
        """
        if self._float is None:
            self._integer_form()
        if self._num is not None and self._num.dtype != object and 0 < self._shape[1] <= MAX_INNER:
            if self._limbs is None:
                self._limbs = {"top": int(np.abs(self._num).max(initial=0)).bit_length()}
            top = self._limbs["top"]
            costs = {bits: n * Z.shape[1] + (0 if bits in self._limbs else _SPLIT_COST * -(-max(top, 1) // bits))
                     for bits in _LIMB_CHOICES if (n := Z.wide_products(bits, top, self._shape[1])) is not None}
            bits = min((cost, bits) for bits, cost in costs.items())[1]
            if bits not in self._limbs:
                self._limbs[bits] = split_limbs(self._num, bits).astype(np.float64)
            return Z.left_multiply_limbs(self._limbs[bits], bits), self._den
        N, d = self._integer_mat()
        return Limbs.of((N * fmpz_mat(Z.to_ints())).tolist()), d

    def to_float(self) -> np.ndarray:
        """The float64 matrix nearest entry by entry (for numeric helpers, never decisions)."""
        if self._float is not None:
            return self._float
        if self._num is not None and self._num.dtype != object:
            return np.ldexp(self._num.astype(np.float64), -(self._den.bit_length() - 1)) \
                if self._den & (self._den - 1) == 0 else self._num.astype(np.float64) / self._den
        return np.array([[float(x) for x in r] for r in self.rows], dtype=np.float64).reshape(self._shape)

    def nonzero(self) -> np.ndarray:
        """Boolean matrix: which entries are non-zero. $O(rc)$, vectorised in the integer form or the floats.

        >>> RationalMatrix.of([[0, "1/2"], [3, 0]]).nonzero().tolist()
        [[False, True], [True, False]]
        """
        A = self._num if self._num is not None else self._float
        if A is not None:
            return np.asarray(A != 0, dtype=bool)
        return np.array([[x != 0 for x in r] for r in self._rows], dtype=bool).reshape(self._shape)

    def nonzero_rows(self) -> np.ndarray:
        """Boolean array: which rows have a non-zero entry. $O(rc)$ vectorised in the integer form."""
        return self.nonzero().any(axis=1)

    def positive(self) -> np.ndarray:
        """Boolean matrix: which entries are positive, exactly (the signs of the integer form or of exact floats)."""
        A = self._num if self._num is not None else self._float
        if A is not None:
            return np.asarray(A > 0, dtype=bool)
        return np.array([[x > 0 for x in r] for r in self._rows], dtype=bool).reshape(self._shape)

    def nonzero_columns(self) -> np.ndarray:
        """Boolean array: which columns have a non-zero entry."""
        return self.nonzero().any(axis=0)

    @property
    def T(self) -> "RationalMatrix":
        """The transpose."""
        if self._num is not None:
            return RationalMatrix(None, self._num.T, self._den)
        if self._float is not None:
            return RationalMatrix(None, floats=self._float.T)
        return RationalMatrix(tuple(zip(*self._rows, strict=True)), shape=self._shape[::-1]) if self._shape[0] \
            else RationalMatrix((), shape=self._shape[::-1])

    # -- the sequence of rows ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._shape[0]

    def __getitem__(self, i):
        return self.rows[i]

    def __iter__(self) -> Iterator[tuple[fmpq, ...]]:
        return iter(self.rows)

    def __add__(self, other) -> tuple:
        return self.rows + tuple(other)  # as a tuple of rows would

    def __radd__(self, other) -> tuple:
        return tuple(other) + self.rows

    def __eq__(self, other) -> bool:
        if isinstance(other, RationalMatrix):
            if self._shape != other._shape:
                return False
            if self._num is not None and other._num is not None:  # both canonical integer forms
                return self._den == other._den and bool(np.array_equal(self._num, other._num))
            if self._float is not None and other._float is not None:  # both exact floats
                return bool(np.array_equal(self._float, other._float))
            return self.rows == other.rows
        if isinstance(other, Sequence) and not isinstance(other, (str, bytes)):
            return len(other) == self._shape[0] and all(tuple(a) == b for a, b in zip(other, self.rows, strict=True))
        return NotImplemented

    def residues(self, p: int, at: np.ndarray | None = None):
        """The residues modulo the odd prime $p$ of the entries (``int64`` in $[0, p)$), from the integer form at hand
        ($N \\bmod p$ times one inverse) or from the floats ($x = M 2^E$ with $|M| < 2^{53}$: $(M \\bmod p)(2^E
        \\bmod p)$, one table entry per exponent); with ``at``, of the entries at those flat (row-major) positions
        only, as a vector. ``None`` when $p$ divides the denominator; ``NotImplemented`` when neither form is at hand
        (:func:`semialg.core.modular.residues` then reads the rows). Cost: $O(\\text{entries})$ vectorised, for
        $p < 2^{31}$."""
        if self._num is not None:
            d = self._den % p
            if d == 0:
                return None
            N = self._num if at is None else self._num[np.divmod(at, self._shape[1])]
            R = np.remainder(N, p) if N.dtype != object else np.array([int(v) % p for v in N.ravel().tolist()],
                                                                       dtype=np.int64).reshape(N.shape)
            return R.astype(np.int64) * pow(d, -1, p) % p
        if self._float is None or p == 2:
            return NotImplemented
        m, e = np.frexp(self._float if at is None else self._float[np.divmod(at, self._shape[1])])
        M = np.ldexp(m, 53).astype(np.int64)
        E = e.astype(np.int64) - 53
        lo = int(E.min()) if E.size else 0
        table = np.array([pow(2, k, p) for k in range(lo, int(E.max()) + 1 if E.size else lo + 1)], dtype=np.int64)
        return np.remainder(M, p) * table[E - lo] % p

    def __hash__(self) -> int:
        if self._hash is None:      # the caches keyed by networks hash a 784-4096 layer again and again (0.1 s each)
            self._hash = self._value_hash()
        return self._hash

    def _value_hash(self) -> int:
        # The values of a fixed sample of entries (the same positions for every matrix of one shape), whichever form
        # holds them: all 3 million residues of a 784-4096 layer took 0.1 s a matrix, and equal hashes only send the
        # caches keyed by networks to ==, which is exact. Each value as its residue modulo a prime, or as its
        # numerator and denominator when the prime divides that.
        if self._num is None and self._float is None and self.denominator_within():
            self._integer_form()
        r, c = self._shape
        if not r * c:
            return hash(self._shape)
        at = np.arange(0, r * c, max(1, r * c // _HASH_SAMPLE))
        R = self.residues(_HASH_PRIME, at)
        if R is None or R is NotImplemented:
            values = tuple(_hash_value(self.entry(*divmod(int(k), c))) for k in at)
        else:
            values = tuple(R.tolist())
        return hash((self._shape, values))

    def __repr__(self) -> str:
        if self._shape[0] * self._shape[1] <= 400:  # small: shown as the tuple of rows it stands for
            return repr(self.rows)
        return f"RationalMatrix({self._shape[0]}x{self._shape[1]}, denominator {self.denominator})"

    def to_json(self) -> list[list[str]]:
        """The rows as lists of exact ``"p/q"`` strings (the JSON form of every matrix in semialg)."""
        return [[str(x) for x in r] for r in self.rows]

    def __reduce__(self):
        return RationalMatrix.from_integers, (self.numerators, self.denominator)


def _hash_value(x) -> int | tuple[int, int]:
    """An entry as :meth:`RationalMatrix._value_hash` reads it: its residue modulo the prime, else $(p, q)$."""
    p, q = _pq(x)
    return p % _HASH_PRIME * pow(q, -1, _HASH_PRIME) % _HASH_PRIME if q % _HASH_PRIME else (p, q)


def _pq(x) -> tuple[int, int]:
    """Numerator and denominator in lowest terms of an entry (``fmpq`` or integer)."""
    x = x if isinstance(x, fmpq) else fmpq(x)
    return int(x.p), int(x.q)


def _balanced_sum(terms: list) -> fmpq:
    """The exact sum of rationals added in pairs, so that partial sums with growing denominators stay few:
    20,000 distinct 7-digit denominators, 0.07 s (0.6 s one after another, 1.1 s and 450 MB as a flint product)."""
    while len(terms) > 1:
        terms = [terms[i] + terms[i + 1] if i + 1 < len(terms) else terms[i] for i in range(0, len(terms), 2)]
    return terms[0] if terms else fmpq(0)


#: the types of entries read as 0 without :func:`~semialg.core.exact.to_matrix`
_ZERO_TYPES = {fmpq, fmpz, int}


def row_residues(rows, p: int) -> np.ndarray | None:
    """The residues modulo $p$ of rows of ``fmpq`` (or of anything :func:`~semialg.core.exact.to_matrix` reads),
    entry by entry: one pass finds the non-zero entries, one more moves their numerators and denominators into
    numpy, with one modular inverse per distinct denominator (a table by exponent when all are powers of two);
    ``None`` when $p$ divides some denominator. Cost: $O(\\text{entries})$, the attribute reads only for the non-zero
    ones (the sparse rows of equations: 17 million entries with 8,000 non-zero, 6 s read whole, 1.2 s so).
    Used by :func:`semialg.core.modular.residues` beyond the integer form.

    >>> row_residues([[fmpq(1, 2), -1, 0]], 7).tolist()
    [[4, 6, 0]]
    """
    r, c = len(rows), len(rows[0]) if len(rows) else 0
    flat = itertools.chain.from_iterable
    nonzero = np.fromiter(map(bool, flat(rows)), bool, r * c)
    if not set(map(type, itertools.compress(flat(rows), ~nonzero))) <= _ZERO_TYPES:
        return row_residues(to_matrix(rows, where="rows"), p)     # a zero that is not a number: refused there
    count = int(nonzero.sum())
    try:
        parts, reduced = [], False
        for name in ("p", "q"):  # two C-level passes (measured faster than one pass yielding pairs)
            get = operator.attrgetter(name)
            try:
                parts.append(np.fromiter(map(get, itertools.compress(flat(rows), nonzero)), np.int64, count))
            except OverflowError:  # beyond 64 bits: reduce in Python
                parts.append(np.fromiter((int(get(x)) % p for x in itertools.compress(flat(rows), nonzero)),
                                         np.int64, count))
                reduced = True
    except AttributeError:  # not flint rationals yet
        return row_residues(to_matrix(rows, where="rows"), p)
    num, den = parts
    if not reduced and den.size and ((den & (den - 1)) == 0).all():  # powers of two (floats read exactly)
        if p == 2:
            if (den > 1).any():
                return None
            inv = np.ones(count, dtype=np.int64)
        else:
            inv = np.array([pow(2, -e, p) for e in range(64)], dtype=np.int64)[np.frexp(den.astype(float))[1] - 1]
    else:
        dens = np.unique(den % p)
        if dens.size and dens[0] == 0:
            return None
        inv = np.array([pow(int(q), -1, p) for q in dens], dtype=np.int64)[np.searchsorted(dens, den % p)]
    out = np.zeros(r * c, dtype=np.int64)
    out[nonzero] = num % p * inv % p
    return out.reshape(r, c)


def _compact(N: np.ndarray) -> np.ndarray:
    """``int64`` when every entry is below $2^{62}$ in magnitude, else ``object``: one canonical form per matrix,
    so equal matrices compare and hash alike, and sums of two entries never wrap."""
    bound = 2 ** _INT64_BITS
    if N.dtype == object:
        if all(-bound < int(v) < bound for v in N.ravel().tolist()):
            return N.astype(np.int64)
        return N
    N = N.astype(np.int64, copy=False)
    if N.size and (int(N.max()) >= bound or int(N.min()) <= -bound):  # comparisons: abs(-2**63) wraps
        return N.astype(object)
    return N


def _dyadic(A: np.ndarray) -> tuple[np.ndarray, int] | None:
    """$(N, 2^K)$ with $A = N / 2^K$ exactly and $K$ least, for a finite float array; ``None`` when some
    numerator would reach $2^{62}$ (entries spread over more than about 60 binades).

    Each entry is $M 2^{E}$ with $|M| < 2^{53}$ from ``frexp``; removing the trailing zero bits of $M$ gives
    the least exponent, and $K = \\max(0, -\\min E)$ over non-zero entries. Row chunks keep temporaries at
    a few times the size of one chunk.
    """
    r, c = A.shape
    step = max(1, _CHUNK_ENTRIES // max(c, 1))
    N = np.empty((r, c), dtype=np.int64)   # first the odd mantissas, then shifted in place
    E = np.empty((r, c), dtype=np.int16)   # their exponents: |E| < 1100
    K, top = 0, -(1 << 30)
    for s in range(0, r, step):
        m, e = np.frexp(A[s:s + step].astype(np.float64))
        M = np.ldexp(m, 53).astype(np.int64)  # exact: |m| < 1 has at most 53 significant bits
        del m
        nz = M != 0
        tz = np.zeros(M.shape, dtype=np.int64)
        tz[nz] = np.frexp((M & -M)[nz].astype(np.float64))[1] - 1  # lowest set bit, a power of two: exact
        M >>= tz
        Ec = np.where(nz, e - 53 + tz, 0)
        if nz.any():
            K = max(K, -int(Ec[nz].min()))
            top = max(top, int(e[nz].max()))
        N[s:s + step], E[s:s + step] = M, Ec
    if top + K > _INT64_BITS:
        return None
    for s in range(0, r, step):
        N[s:s + step] <<= E[s:s + step].astype(np.int64) + K
    return N, 1 << K


def integer_columns(vs: Sequence[Sequence]) -> tuple[Limbs, list[int]]:
    r"""Vectors of rationals as the columns $V_k / e_k$ of one integer matrix (in limbs), $e_k$ the least common
    denominator of vector $k$, or the denominator of a :class:`~semialg.core.grid_point.GridPoint` (for
    :meth:`RationalMatrix.times_limbs`). :class:`~semialg.core.grid_point.GridPoint`\ s give their numerators as
    they are (784-4096-1-10: 4,096 points in 0.03 s, against 2.8 s from their rationals one by one); other vectors
    become grid points first (:func:`~semialg.core.grid_point.as_grid_points`, vectorised: 0.4 s there); when some
    numerator reaches $2^{62}$, every entry is formed as a Python integer. Cost: $O(cn)$ integer operations.

    >>> V, e = integer_columns([[fmpq(1, 2), 1], [0, fmpq(2, 3)]])
    >>> V.to_ints(), e
    ([[1, 0], [2, 2]], [2, 3])
    """
    xs = list(vs)
    if xs and len(xs[0]):
        if not all(type(v) is GridPoint for v in xs):
            try:
                xs = as_grid_points(xs)
            except AttributeError:          # entries that are not fmpq yet
                xs = as_grid_points([[x if isinstance(x, fmpq) else fmpq(x) for x in v] for v in xs])
        if all(type(v) is GridPoint for v in xs):
            return Limbs.of_array(np.stack([v.numerators for v in xs], axis=1)), [v.denominator for v in xs]
    xs = [[x if isinstance(x, fmpq) else fmpq(x) for x in v] for v in xs]
    ps = [[int(x.p) for x in v] for v in xs]
    qs = [[int(x.q) for x in v] for v in xs]
    es = [math.lcm(*set(q)) for q in qs]
    rows = len(xs[0]) if xs else 0
    return Limbs.of([[p[j] * (e // q[j]) for p, q, e in zip(ps, qs, es)] for j in range(rows)]), es


def rational_columns(V: Limbs, e: Sequence[int]) -> list[tuple[fmpq, ...]]:
    r"""The columns $V_k / e_k$ of an integer matrix (in limbs) over their denominators, as vectors of rationals
    (inverse of :func:`integer_columns`). Cost: $O(rn)$ rational constructions.

    >>> rational_columns(Limbs.of([[1, 0], [2, 2]]), [2, 3])
    [(1/2, 1), (0, 2/3)]
    """
    columns = list(zip(*V.to_ints())) if V.shape[0] else [()] * len(e)
    return [tuple(fmpq(x, d) for x in column) for column, d in zip(columns, map(fmpz, e), strict=True)]


