"""Exact rational arithmetic and linear algebra on python-flint.

This is the one place in semialg where numbers are converted and matrices are reduced;
every other module calls these functions.

Conversions are exact: a float is the dyadic rational it stores (``0.1`` is
$3602879701896397/2^{55}$), a string ``"p/q"`` or decimal ``"0.1"`` is the rational it spells.

>>> to_fmpq("-1/2"), to_fmpq(0.5), to_fmpq("0.1")
(-1/2, 1/2, 1/10)
>>> rank([[1, 2], [2, 4]])
1
>>> normalise_row([0, -2, 4])
((0, 1, -2), 2, -1)
"""

from __future__ import annotations

import contextlib
import math
import numbers
import re
import sys
import threading
from fractions import Fraction
from typing import Iterable, Sequence

import numpy as np
from flint import fmpq, fmpq_mat, fmpz, fmpz_mat, nmod_mat

from semialg.core.grid_point import GridPoint
from semialg.core.lazy import sympy  # imported on first use: start-up time
from semialg.errors import ParameterError, ShapeError

__all__ = [
    "to_fmpq", "to_sympy", "to_fraction", "to_vector", "to_matrix", "as_fmpq_mat", "rank", "modular_rank",
    "nullspace", "solve", "rref", "sparse_modular_rank", "SparseEchelon", "row_basis", "normalise_row", "primitive_rows", "fingerprint", "dot", "sparse_vector", "vadd", "fmpq_str", "decimal_str", "PRIME",
    "integer_rows", "parse_rational", "interval_point", "MAX_DIGITS", "MAX_EXPONENT",
    "int_str", "count_str", "printable_ints", "nearest_float", "float_array",
]

#: A 60-bit prime for modular rank certificates.
PRIME = 1152921504606846883

_ZERO = fmpq(0)


def _where(where: str | None) -> str:
    return f" at {where}" if where else ""


#: Bounds on numbers written as text (:func:`parse_rational`): digits of a numeral (below Python's own limit
#: of 4300 for ``int(str)``) and the magnitude of a decimal exponent; beyond them a number is refused at once
#: instead of building a gigantic integer (``"1e999999999"`` would take hours and gigabytes).
MAX_DIGITS = 4000
MAX_EXPONENT = 5000

_RATIO = re.compile(r"([+-]?[0-9]+)/([0-9]+)")
_DECIMAL = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?")


def parse_rational(text: str, where: str | None = None) -> fmpq:
    """The rational spelled by ``text``: ``"p/q"`` or a decimal ``"-1.25e-3"``, ASCII digits only.

    At most ``MAX_DIGITS`` digits per integer and exponents up to ``MAX_EXPONENT`` in magnitude; anything
    else (``"1_000"``, Arabic-Indic digits, ``"inf"``, ``"1e999999999"``) raises :class:`ParameterError`
    naming ``where``. Cost: $O(d^2)$ for $d$ digits, bounded by the limits.

    >>> parse_rational("-1.25e-3"), parse_rational(" 2/6 ")
    (-1/800, 1/3)
    >>> parse_rational("1e999999999", where="W1[0,0]")
    Traceback (most recent call last):
    ...
    semialg.errors.ParameterError: exponent out of range (at most 5000 in magnitude) at W1[0,0]: '1e999999999'
    """
    s = text.strip()
    shown = repr(s if len(s) <= 40 else s[:20] + "..." + s[-10:])
    if len(s) > 2 * MAX_DIGITS + 16:
        raise ParameterError(f"number with {len(s)} characters (at most {MAX_DIGITS} digits){_where(where)}: {shown}")
    m = _RATIO.fullmatch(s)
    if m is not None:
        p, q = m.groups()
        if max(len(p.lstrip("+-")), len(q)) > MAX_DIGITS:  # digits: the sign does not count
            raise ParameterError(f"integer with more than {MAX_DIGITS} digits{_where(where)}: {shown}")
        if int(q) == 0:
            raise ParameterError(f"zero denominator{_where(where)}: {shown}")
        return fmpq(int(p), int(q))
    m = _DECIMAL.fullmatch(s)
    if m is None or not (m.group(2) or m.group(3)):
        raise ParameterError(f"not a rational number{_where(where)}: {text!r}" if len(text) <= 40 else
                             f"not a rational number{_where(where)}: {shown}")
    sign, whole, frac, exp = m.group(1), m.group(2), m.group(3) or "", m.group(4)
    if len(whole) + len(frac) > MAX_DIGITS:
        raise ParameterError(f"number with more than {MAX_DIGITS} digits{_where(where)}: {shown}")
    e = 0
    if exp is not None:
        e = int(exp) if len(exp) <= 12 else MAX_EXPONENT + 1
        if abs(e) > MAX_EXPONENT:
            raise ParameterError(f"exponent out of range (at most {MAX_EXPONENT} in magnitude){_where(where)}: "
                                 f"{shown}")
    mantissa = int(sign + (whole + frac or "0"))
    e -= len(frac)
    return fmpq(mantissa * 10 ** e) if e >= 0 else fmpq(mantissa, 10 ** -e)


def to_fmpq(x, where: str | None = None) -> fmpq:
    """Convert ``x`` exactly to a flint rational.

    Accepts ``int``, ``Fraction``, ``fmpq``/``fmpz``, ``float`` and numpy scalars (exactly, as the dyadic
    rational stored), strings ``"p/q"``, ``"3"``, ``"0.25"``, ``"1e-3"`` and sympy rationals.
    Raises :class:`ParameterError` naming ``where`` for NaN, infinities, booleans and anything else.
    Cost: $O(1)$ big-integer operations.

    >>> to_fmpq(3), to_fmpq("2/6"), to_fmpq(np.float32(0.75))
    (3, 1/3, 3/4)
    >>> to_fmpq(float("nan"), where="W1[0,1]")
    Traceback (most recent call last):
    ...
    semialg.errors.ParameterError: not a finite number at W1[0,1]: nan
    """
    if isinstance(x, fmpq):
        return x
    if isinstance(x, (bool, np.bool_)):
        raise ParameterError(f"expected a number, got a boolean{_where(where)}: {x!r}")
    if isinstance(x, (int, np.integer, fmpz)):
        return fmpq(int(x))
    if isinstance(x, np.floating) and x.dtype.itemsize > 8:  # long double: exact, never through a float
        if not np.isfinite(x):
            raise ParameterError(f"not a finite number{_where(where)}: {x!r}")
        return fmpq(*(int(v) for v in x.as_integer_ratio()))
    if isinstance(x, (float, np.floating)):
        x = float(x)
        if x != x or x in (float("inf"), float("-inf")):
            raise ParameterError(f"not a finite number{_where(where)}: {x!r}")
        return fmpq(*x.as_integer_ratio())
    if isinstance(x, Fraction):
        return fmpq(x.numerator, x.denominator)
    if isinstance(x, str):
        return parse_rational(x, where)
    if isinstance(x, numbers.Rational):
        return fmpq(int(x.numerator), int(x.denominator))
    p, q = getattr(x, "p", None), getattr(x, "q", None)  # sympy Rational / Integer
    if isinstance(p, int) and isinstance(q, int):
        return fmpq(p, q)
    raise ParameterError(f"expected a rational number{_where(where)}, got {type(x).__name__}: {x!r}")


def to_sympy(x):
    """The exact sympy ``Rational`` of a rational (the inverse of :func:`to_fmpq` on sympy rationals).

    >>> to_sympy(fmpq(-3, 4))
    -3/4
    """
    x = x if isinstance(x, fmpq) else to_fmpq(x)
    return sympy.Rational(int(x.p), int(x.q))


def nearest_float(x) -> float:
    """The float64 nearest to the rational ``x``, $\\pm\\infty$ beyond the float64 range (as IEEE rounding overflows),
    for numeric helpers that only choose points (``float(fmpq)`` raises ``OverflowError`` there).

    >>> nearest_float(fmpq(1, 3)), nearest_float(-fmpz(10) ** 400)
    (0.3333333333333333, -inf)
    """
    try:
        return float(x)
    except OverflowError:
        return float("inf") if x > 0 else float("-inf")


def float_array(rows) -> np.ndarray:
    """The rows of rationals as a float64 array of their :func:`nearest_float` values (numpy's own conversion,
    unless an entry is beyond the float64 range)."""
    try:
        return np.array(rows, dtype=np.float64)
    except OverflowError:
        return np.array([[nearest_float(x) for x in r] for r in rows], dtype=np.float64)


def to_fraction(x: fmpq) -> Fraction:
    """The :class:`fractions.Fraction` equal to a flint rational."""
    return Fraction(int(x.p), int(x.q))


def fmpq_str(x: fmpq) -> str:
    """``"p/q"`` or ``"p"``: the exchange format for one rational in JSON and on the command line."""
    return str(x)


#: Integers of more bits than this may exceed Python's default limit of 4300 digits for ``str(int)``.
_STR_BITS = 14_000
_PRINTABLE = threading.Lock()
_printable_depth = [0, 0]  # [open blocks, the limit to restore]


def int_str(n: int) -> str:
    """The exact decimal digits of any integer: Python's ``str`` refuses more than 4300 digits by default, flint's
    conversion has no limit (and is subquadratic). Cost: $O(M(d)\\log d)$ for $d$ digits.

    >>> int_str(-12), len(int_str(10 ** 5000))
    ('-12', 5001)
    """
    return str(n) if n.bit_length() <= _STR_BITS else str(fmpz(n))


def count_str(n: int) -> str:
    """A count for people: exact up to 24 digits, else ``"about 2^k"`` (``2^k <= n < 2^(k+1)``).

    >>> count_str(12), count_str(2 ** 100 - 1)
    ('12', 'about 2^99')
    """
    return str(n) if n < 10 ** 24 else f"about 2^{n.bit_length() - 1}"


@contextlib.contextmanager
def printable_ints():
    """Within this block Python prints integers of any length (for third-party printers such as sympy's LaTeX).

    The default limit guards ``int(str)`` against hostile input; semialg bounds the numbers it parses itself
    (``MAX_DIGITS``). Nested and concurrent blocks restore the limit when the last one ends.
    """
    with _PRINTABLE:
        if not _printable_depth[0]:
            _printable_depth[1] = sys.get_int_max_str_digits()
            sys.set_int_max_str_digits(0)
        _printable_depth[0] += 1
    try:
        yield
    finally:
        with _PRINTABLE:
            _printable_depth[0] -= 1
            if not _printable_depth[0]:
                sys.set_int_max_str_digits(_printable_depth[1])


def decimal_str(x, digits: int = 6) -> str:
    """$x$ rounded correctly (half to even) to ``digits`` significant digits, for display beside the exact value:
    the leading digits only, by one division of flint integers, $O(M(b))$ for $b$ bits (``Decimal`` of a
    million-digit numerator is quadratic: minutes).

    >>> decimal_str(fmpq(2, 3)), decimal_str(fmpq(-9, 2)), decimal_str(fmpq(10**9, 7), 3), decimal_str(fmpq(1438, 1000))
    ('0.666667', '-4.5', '1.43e+8', '1.438')
    """
    from decimal import Decimal
    x = to_fmpq(x)
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 1:
        raise ParameterError(f"digits must be a positive integer, not {digits!r}")
    if x == 0:
        return "0"
    N, e = _leading_digits(abs(x.p), x.q, digits)    # an exact Decimal of them: the format only picks the notation
    text = f"{Decimal((int(x.p < 0), tuple(map(int, int_str(N))), e - digits + 1)):.{digits}g}"
    mantissa, _, exponent = text.partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + (f"e{int(exponent):+d}" if exponent else "")


def _leading_digits(p: fmpz, q: fmpz, digits: int) -> tuple[int, int]:
    """``(N, e)``: $10^{d-1} \\le N < 10^d$, $N \\cdot 10^{e-d+1}$ is $p/q > 0$ rounded half to even to $d$ digits."""
    e = math.floor((int(p.bit_length()) - int(q.bit_length())) * math.log10(2))  # within 0.61 of log10: fixed below
    low, high = fmpz(10) ** (digits - 1), fmpz(10) ** digits
    while True:
        shift = digits - 1 - e
        num, den = (p * fmpz(10) ** shift, q) if shift >= 0 else (p, q * fmpz(10) ** -shift)
        N, r = divmod(num, den)
        if N >= high:
            e += 1
        elif N < low:
            e -= 1
        else:
            break
    if 2 * r > den or (2 * r == den and N % 2):
        N += 1
        if N == high:  # 9.99...5 rounds up to 10.0: one digit more, so one decade up
            N, e = low, e + 1
    return int(N), e


def _convert(values, where: str | None) -> tuple[fmpq, ...]:
    """Convert a flat sequence, naming the first bad entry as ``where[i]``."""
    if isinstance(values, np.ndarray):
        if values.dtype == object:
            raise ParameterError(f"object arrays are not accepted{_where(where)}")
        if values.dtype.kind == "f":
            bad = np.flatnonzero(~np.isfinite(values))
            if bad.size:
                raise ParameterError(f"not a finite number at {where or ''}[{bad[0]}]: {values[bad[0]]!r}")
            if values.dtype.itemsize > 8:  # long double keeps more bits than float64: read each exactly
                return tuple(to_fmpq(x) for x in values)
            return tuple(fmpq(*x.as_integer_ratio()) for x in values.astype(np.float64).tolist())
        if values.dtype.kind in "iu":
            return tuple(fmpq(x) for x in values.tolist())
        if values.dtype.kind == "b":
            raise ParameterError(f"expected numbers{_where(where)}, got a boolean array")
        values = values.tolist()
    if type(values) is GridPoint:       # its integer form goes along (batches of them skip reading the rationals)
        return values
    if isinstance(values, (tuple, list)) and all(type(x) is fmpq for x in values):   # points built by semialg
        return tuple(values)
    out = []
    for i, x in enumerate(values):
        try:
            out.append(to_fmpq(x))
        except ParameterError:
            to_fmpq(x, f"{where or ''}[{i}]")  # raises again, now naming the entry
            raise
    return tuple(out)


def to_vector(v, n: int | None = None, where: str | None = None) -> tuple[fmpq, ...]:
    """Convert a 1-D sequence or array exactly to a tuple of rationals, checking its length ``n``.

    >>> to_vector([1, "x"], where="b1")
    Traceback (most recent call last):
    ...
    semialg.errors.ParameterError: not a rational number at b1[1]: 'x'

    """
    if isinstance(v, np.ndarray):
        if v.ndim != 1:
            raise ShapeError(f"expected a vector{_where(where)}, got shape {v.shape}")
    elif isinstance(v, (str, bytes)) or not isinstance(v, Iterable):
        raise ShapeError(f"expected a vector{_where(where)}, got {type(v).__name__}")
    out = _convert(v, where)
    if n is not None and len(out) != n:
        raise ShapeError(f"expected length {n}{_where(where)}, got {len(out)}")
    return out


def to_matrix(M, shape: tuple[int, int] | None = None,
              where: str | None = None) -> tuple[tuple[fmpq, ...], ...]:
    """Convert a 2-D nested sequence or array exactly to a tuple of rows of rationals.

    >>> to_matrix([[1, "1/2"]], shape=(1, 2))
    ((1, 1/2),)
    >>> to_matrix([[1, 2], [3]], where="W1")
    Traceback (most recent call last):
    ...
    semialg.errors.ShapeError: ragged rows at W1: row 1 has 1 entries, row 0 has 2
    """
    if isinstance(M, np.ndarray):
        if M.ndim != 2:
            raise ShapeError(f"expected a matrix{_where(where)}, got shape {M.shape}")
        if M.dtype.kind == "f" and not np.isfinite(M).all():
            i, j = np.argwhere(~np.isfinite(M))[0]
            raise ParameterError(f"not a finite number at {where or ''}[{i},{j}]: {M[i, j]!r}")
        flat = _convert(M.reshape(-1), where)
        c = M.shape[1]
        out = tuple(flat[i * c:(i + 1) * c] for i in range(M.shape[0]))
    else:
        if isinstance(M, (fmpq_mat, fmpz_mat)):
            M = M.tolist()
        if isinstance(M, (str, bytes)) or not isinstance(M, Iterable):
            raise ShapeError(f"expected a matrix{_where(where)}, got {type(M).__name__}")
        rows = []
        for i, row in enumerate(M):
            rows.append(to_vector(row, where=f"{where or ''}[{i}]"))
            if len(rows[i]) != len(rows[0]):
                raise ShapeError(f"ragged rows{_where(where)}: row {i} has {len(rows[i])} entries, "
                                 f"row 0 has {len(rows[0])}")
        out = tuple(rows)
    if shape is not None:
        got = (len(out), len(out[0]) if out else shape[1])
        if got != tuple(shape):
            raise ShapeError(f"expected shape {tuple(shape)}{_where(where)}, got {got}")
    return out


def as_fmpq_mat(M, ncols: int | None = None) -> fmpq_mat:
    """An :class:`fmpq_mat` from rows of rationals (or an existing ``fmpq_mat``, returned as is).

    ``ncols`` is needed only when ``M`` has no rows.
    """
    if isinstance(M, fmpq_mat):
        return M
    rows = [list(r) for r in M]
    c = len(rows[0]) if rows else (ncols or 0)
    return fmpq_mat(len(rows), c, [to_fmpq(x) for r in rows for x in r])


def modular_rank(M, p: int = PRIME) -> int:
    """The rank modulo the prime ``p`` of the rational matrix ``M``: a lower bound on its rational rank.

    Rows are scaled by the common denominator first, which does not change the rank over $\\mathbb{Q}$;
    the rank modulo $p$ of an integer matrix can only drop, never rise. Cost: $O(rc\\min(r,c))$ word operations.
    """
    A = as_fmpq_mat(M)
    if A.nrows() == 0 or A.ncols() == 0:
        return 0
    Z, _ = A.numer_denom()
    return nmod_mat(Z, p).rank()


class SparseEchelon:
    r"""Sparse rows, each a ``{column: value}`` dict, in echelon form over $\mathbb{Q}$ (``p=None``) or modulo the
    prime ``p``: each kept row has a pivot, its least column, which no row kept before it has as pivot. :meth:`insert` reduces a new row by the pivots of its columns in increasing order and keeps it if
    something is left. Cost of an insert: $O(\text{nnz}\cdot\text{fill})$ — rows with barely overlapping supports
    (a neuron's rescaling gradient, a move of a few neurons) cost their size.

    >>> e = SparseEchelon()
    >>> [e.insert(r) for r in ({0: 1, 2: fmpq(1, 2)}, {0: 2, 2: 1}, {1: 3})], e.rank
    ([True, False, True], 2)
    """

    def __init__(self, p: int | None = None):
        self.p = p
        self.pivots: dict[int, tuple[dict, object]] = {}    # pivot column -> (its row, 1 / its value there)

    @property
    def rank(self) -> int:
        r"""The number of rows kept: the rank of the rows inserted (modulo ``p``: a lower bound on it over
        $\mathbb{Q}$)."""
        return len(self.pivots)

    def insert(self, row: dict) -> bool:
        """Keep ``row`` if it is independent of the rows kept; say whether it was. Modulo $p$,
        ``ZeroDivisionError`` when $p$ divides a denominator."""
        p = self.p
        if p is None:
            r = {j: x if type(x) is fmpq else fmpq(x) for j, x in row.items() if x}
        else:
            r = {}
            for j, x in row.items():
                x = fmpq(x)
                if int(x.q) % p == 0:
                    raise ZeroDivisionError(f"{p} divides the denominator of {x}")
                v = int(x.p) * pow(int(x.q), -1, p) % p
                if v:
                    r[j] = v
        while r:
            j = min(r)
            if j not in self.pivots:     # kept as it is: rows with disjoint supports are never scaled
                self.pivots[j] = (r, 1 / r[j] if p is None else pow(r[j], -1, p))
                return True
            piv, inv = self.pivots[j]
            f = r[j] * inv if p is None else r[j] * inv % p
            for k, v in piv.items():
                w = r.get(k, 0) - f * v
                if p is not None:
                    w %= p
                if w:
                    r[k] = w
                else:
                    r.pop(k, None)
        return False


def sparse_modular_rank(rows: Iterable[dict], p: int = PRIME) -> int | None:
    r"""The rank modulo the prime ``p`` of a sparse rational matrix, each row a ``{column: value}`` dict: a lower
    bound on its rank over $\mathbb{Q}$ (a row's denominators are units mod $p$, and the rank of the numerators can
    only drop). ``None`` when an entry's denominator is divisible by ``p``. Gaussian elimination on the rows as
    dicts (:class:`SparseEchelon`). Cost: $O(\sum_r \text{nnz}_r \cdot \text{fill})$; near-diagonal rows (a move
    per neuron: 4,097 rows of about 3 entries at 784-4096-1-10) in milliseconds, where the dense rational rank took
    32 s.

    >>> sparse_modular_rank([{0: fmpq(1), 2: fmpq(1, 2)}, {0: fmpq(2), 2: fmpq(1)}, {1: fmpq(3)}])
    2
    """
    echelon = SparseEchelon(p)
    try:
        for row in rows:
            echelon.insert(row)
    except ZeroDivisionError:
        return None
    return echelon.rank


def rank(M) -> int:
    """Exact rank over $\\mathbb{Q}$ (flint's fraction-free elimination), of the transpose when the matrix is
    wide.

    Measured (``benchmarks/bench_rank.py``): on a $690 \\times 205$ Jacobian flint's rational rank takes
    0.05 s, less than reducing the matrix modulo a prime from Python (0.15 s), so no modular shortcut is
    taken here; :func:`modular_rank` remains the cheap lower bound for early stopping. Flint's elimination is
    slow on wide matrices: a random integer $256 \\times 784$ matrix takes 15 s, its transpose 0.02 s.
    Cost: $O(rc\\min(r,c))$ operations on growing integers.

    >>> rank([[1, 2, 3], [2, 4, 6], [0, 0, 1]])
    2
    """
    A = as_fmpq_mat(M)
    if min(A.nrows(), A.ncols()) == 0:
        return 0
    return (A.transpose() if A.nrows() < A.ncols() else A).rank()


def rref(M) -> tuple[fmpq_mat, int]:
    """Reduced row echelon form over $\\mathbb{Q}$ and the rank: ``(R, rank)``."""
    return as_fmpq_mat(M).rref()


def row_basis(M) -> list[tuple[fmpq, ...]]:
    """The canonical basis of the row space of ``M``: the non-zero rows of its RREF. Cost: one RREF.

    >>> row_basis([[2, 4], [1, 2]])
    [(1, 2)]
    """
    R, r = rref(M)
    return [tuple(R[i, j] for j in range(R.ncols())) for i in range(r)]


def independent_rows(M) -> list[int]:
    """The indices of rows of ``M`` (rational, or an ``fmpz_mat``) forming a basis of its row space (the first
    independent ones): the pivot columns of ``M``'s transpose reduced modulo :data:`PRIME` — rows independent
    modulo a prime are independent over $\\mathbb{Q}$ — kept when they are as many as the exact rank; else (the
    prime divides a minor) the rows are taken one by one exactly (:class:`SparseEchelon`). Cost: one modular RREF
    of the transpose and one exact rank of the tall side (flint's elimination is slow on wide matrices).

    >>> independent_rows([[1, 1, 0], [2, 2, 0], [0, 1, 1], [1, 2, 1]])
    [0, 2]
    """
    Z = M if isinstance(M, fmpz_mat) else as_fmpq_mat(M).numer_denom()[0]
    if Z.nrows() == 0 or Z.ncols() == 0:
        return []
    R, r = nmod_mat(Z.transpose(), PRIME).rref()
    pivots = [next(j for j in range(R.ncols()) if int(R[i, j])) for i in range(r)]
    if r == (Z.transpose() if Z.nrows() < Z.ncols() else Z).rank():
        return pivots
    echelon = SparseEchelon()
    return [i for i in range(Z.nrows()) if echelon.insert({j: Z[i, j] for j in range(Z.ncols()) if Z[i, j]})]


def nullspace(M) -> list[tuple[fmpq, ...]]:
    """A basis of the right kernel $\\{x : Mx = 0\\}$ over $\\mathbb{Q}$, as integer vectors.

    >>> nullspace([[1, 2, 3], [2, 4, 6]])
    [(2, -1, 0), (3, 0, -1)]
    """
    A = as_fmpq_mat(M)
    n = A.ncols()
    if A.nrows() == 0:
        return [tuple(fmpq(int(i == j)) for j in range(n)) for i in range(n)]
    Z, _ = A.numer_denom()
    X, k = Z.nullspace()
    return [tuple(fmpq(int(X[i, j])) for i in range(n)) for j in range(k)]


def solve(A, b) -> tuple[fmpq, ...] | None:
    """A particular solution of $Ax = b$ over $\\mathbb{Q}$, or ``None`` if the system is inconsistent.

    Cost: one RREF of the augmented matrix.

    >>> solve([[1, 1], [2, 2]], [1, 2])
    (1, 0)
    >>> solve([[1, 1], [2, 2]], [1, 3]) is None
    True
    """
    A = as_fmpq_mat(A)
    r, c = A.nrows(), A.ncols()
    b = to_vector(b, r)
    aug = fmpq_mat(r, c + 1, [A[i, j] if j < c else b[i] for i in range(r) for j in range(c + 1)])
    R, rk = aug.rref()
    x = [_ZERO] * c
    for i in range(rk):
        lead = next(j for j in range(c + 1) if R[i, j] != 0)
        if lead == c:
            return None
        x[lead] = R[i, c]
    return tuple(x)


def dot(u: Sequence[fmpq], v: Sequence[fmpq]) -> fmpq:
    """Exact inner product."""
    s = _ZERO
    for a, b in zip(u, v, strict=True):
        s += a * b
    return s


def sparse_vector(n: int, *entries) -> list[fmpq]:
    """The vector of length ``n`` with the given ``(index, value)`` entries added up, zero elsewhere (a direction in
    a flat parameter space). Cost: $O(n)$.

    >>> sparse_vector(4, (1, fmpq(2)), (3, fmpq(-1)), (1, fmpq(1)))
    [0, 3, 0, -1]
    """
    out = [_ZERO] * n
    for index, value in entries:
        out[index] += value
    return out


def vadd(u: Sequence[fmpq], v: Sequence[fmpq], t: fmpq = fmpq(1)) -> tuple[fmpq, ...]:
    """$u + t\\,v$, exactly. Cost: $O(\\dim u)$.

    >>> vadd([fmpq(1), fmpq(2)], [fmpq(3), fmpq(-1)], fmpq(1, 2))
    (5/2, 3/2)
    """
    return tuple(x + t * y for x, y in zip(u, v, strict=True))


def normalise_row(row: Sequence[fmpq]) -> tuple[tuple[fmpq, ...], fmpq, int]:
    """The normalisation of a neuron row without square roots: ``(key, scale, sign)``.

    ``row = sign * scale * key`` where ``scale > 0`` is the absolute value of the first non-zero entry,
    ``sign = ±1`` its sign, and ``key`` (first non-zero entry $+1$) depends only on the line
    $\\mathbb{R}\\,\\mathrm{row}$. Two rows are positively (negatively) proportional iff they have the
    same key and the same (opposite) signs. A zero row gives ``(row, 0, 0)``. Cost: $O(\\mathrm{len})$.

    >>> normalise_row([fmpq(3), -6, 0])
    ((1, -2, 0), 3, 1)
    """
    for x in row:
        if x != 0:
            scale = abs(fmpq(x))
            sign = 1 if x > 0 else -1
            inv = fmpq(sign) / scale
            return tuple(y * inv for y in row), scale, sign
    return tuple(row), _ZERO, 0


def primitive_rows(N: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r""":func:`normalise_row` of every row of an ``int64`` matrix at once, without a rational:
    $N_a = s_a g_a P_a$ with $P_a$ primitive (coprime entries, the first non-zero one positive), $g_a > 0$ the gcd
    of the row and $s_a = \pm 1$ the sign of its first non-zero entry, in column $j_a$; a zero row has $P_a = 0$,
    $g_a = s_a = j_a = 0$. Two rows are positively (negatively) proportional iff they have the same $P_a$ and the
    same (opposite) signs; $g_aP_{a j_a}$ is the ``scale`` of :func:`normalise_row` times the common denominator.
    Returns $(P, g, s, j)$. Cost: $O(\text{entries})$ vectorised.

    >>> P, g, s, j = primitive_rows(np.array([[0, -2, 4], [3, 6, 0], [0, 0, 0]]))
    >>> P.tolist(), g.tolist(), s.tolist(), j.tolist()
    ([[0, 1, -2], [1, 2, 0], [0, 0, 0]], [2, 3, 0], [-1, 1, 0], [1, 0, 0])
    """
    j = (N != 0).argmax(axis=1) if N.shape[1] else np.zeros(len(N), dtype=np.intp)
    g = np.gcd.reduce(N, axis=1) if N.shape[1] else np.zeros(len(N), dtype=N.dtype)
    s = np.sign(N[np.arange(len(N)), j]) if N.shape[1] else g
    return N // np.where(g == 0, 1, g * s)[:, None], g, s, j


def fingerprint(key: Sequence[fmpq]) -> tuple:
    """A hashable stand-in for a tuple of rationals, equal iff the tuples are equal.

    Hashing ``fmpq`` goes through Python's rational hash (about 6 µs each); the numerators and
    denominators as ``fmpz`` hash ten times faster. Use it for dictionary keys of long rows.
    """
    out = [None] * (2 * len(key))
    out[::2], out[1::2] = [x.p for x in key], [x.q for x in key]   # a quarter faster than one generator
    return tuple(out)


def integer_rows(rows: Sequence[Sequence[fmpq]], common: bool = False,
                 max_bits: int = 30) -> tuple[np.ndarray, list[int]]:
    """Rational rows as an exact integer array and the denominators that were cleared.

    Each row is multiplied by the lcm of its own denominators (``common=False``, which keeps every sign) or
    all rows by one lcm (``common=True``). The array is ``int64`` when every entry is below ``2**max_bits``
    in absolute value, so that callers doing a bounded number of products stay below $2^{63}$, and an
    ``object`` array of Python integers otherwise: exact either way. Cost: $O(\\text{entries})$.

    >>> A, den = integer_rows([[fmpq(1, 2), fmpq(1, 3)], [fmpq(2), fmpq(-1, 4)]])
    >>> A.tolist(), den
    ([[3, 2], [8, -1]], [6, 4])
    """
    rows = [[x if type(x) is fmpq else fmpq(x) for x in r] for r in rows]
    width = len(rows[0]) if rows else 0
    if common and rows and width:
        # flint clears the common denominator in C: twice as fast as lcm and products entry by entry in Python
        Z, q = fmpq_mat(len(rows), width, [x for r in rows for x in r]).numer_denom()
        flat = list(map(int, Z.entries()))
        try:
            out = np.fromiter(flat, dtype=np.int64, count=len(flat))
            big = bool(out.max() >= 2 ** max_bits or out.min() <= -2 ** max_bits)
        except OverflowError:
            big = True
        if big:
            out = np.array(flat, dtype=object)
        return out.reshape(len(rows), width), [int(q)] * len(rows)
    if common:
        q = fmpz(1)
        for r in rows:
            for x in r:
                q = q.lcm(x.q)
        dens = [q] * len(rows)
    else:
        dens = []
        for r in rows:
            q = fmpz(1)
            for x in r:
                q = q.lcm(x.q)
            dens.append(q)
    ints = [[int(x.p * (d // x.q)) for x in r] for r, d in zip(rows, dens, strict=True)]
    big = max((abs(v) for r in ints for v in r), default=0) >= 2 ** max_bits
    out = np.array(ints, dtype=object if big else np.int64).reshape(len(rows), width)
    return out, [int(d) for d in dens]


def interval_point(lo: fmpq | None, hi: fmpq | None) -> fmpq:
    r"""A rational strictly inside the interval $(lo, hi)$ of $\mathbb{Q}$ (``None``: unbounded on that side).
    Cost: $O(1)$.

    >>> interval_point(None, fmpq(3)), interval_point(fmpq(1), fmpq(2))
    (2, 3/2)
    """
    if lo is None and hi is None:
        return fmpq(0)
    if lo is None:
        return hi - 1
    if hi is None:
        return lo + 1
    return (lo + hi) / 2
