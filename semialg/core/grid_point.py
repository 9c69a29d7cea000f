r"""Points of $\frac{1}{d}\mathbb{Z}^n$: tuples of rationals that keep the integers they were made from.

semialg draws its random inputs on a grid and evaluates them exactly in batches, as columns of one integer matrix
(:meth:`~semialg.core.network.Network.evaluate`, the residues of :func:`~semialg.core.modular.residues`). A
:class:`GridPoint` is the tuple of ``fmpq`` every routine accepts, and it carries its integer form $N/d$, so a batch
of them skips converting 784 rationals a point back into integers (at 784-4096-1-10 this conversion took 2–4 s of
:func:`~semialg.identifiable` and of the local dimension bounds).

>>> x = grid_points(np.array([[2, -64]]), 64)[0]
>>> x, x.numerators.tolist(), x.denominator
((1/32, -1), [2, -64], 64)
>>> y = x.with_entry(1, fmpq(1, 3))                  # the common denominator grows to lcm(64, 3)
>>> y, y.numerators.tolist(), y.denominator
((1/32, 1/3), [6, 64], 192)
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from flint import fmpq

__all__ = ["GridPoint", "MovedPoint", "grid_points", "as_grid_points"]

_INT64_BITS = 62     # numerators are kept below 2^62 in magnitude: sums of two never wrap
_TABLE = 1 << 14     # grid values fmpq(t, d), |t| <= _TABLE, are made once per denominator


class GridPoint(tuple):
    r"""A point $N/d$ of $\mathbb{Q}^n$: the tuple of its ``fmpq`` entries, with ``numerators`` $N$ (a read-only
    ``int64`` array, magnitudes below $2^{62}$) and the positive integer ``denominator`` $d$. The entries are made
    from $N$ and $d$, so the two forms agree; $d$ is a common denominator, not necessarily the least. It compares,
    hashes and reads as the plain tuple of its entries. Cost: $O(n)$ to make.

    >>> GridPoint([1, -3], 2) == (fmpq(1, 2), fmpq(-3, 2))
    True
    """

    numerators: np.ndarray
    denominator: int

    def __new__(cls, numerators: Sequence[int], denominator: int) -> "GridPoint":
        return grid_points(np.asarray(numerators, dtype=np.int64)[None], denominator)[0]

    def __setattr__(self, name, value):
        raise AttributeError("a GridPoint is immutable")

    def __reduce__(self):
        return GridPoint, (self.numerators.tolist(), self.denominator)

    def with_entry(self, j: int, value: fmpq) -> tuple[fmpq, ...]:
        r"""This point with entry ``j`` replaced by the rational ``value``: a :class:`GridPoint` over the least
        common multiple of $d$ and ``value``'s denominator, or a plain tuple when its numerators would reach
        $2^{62}$. Cost: $O(n)$ vectorised.

        >>> GridPoint([1, 1], 4).with_entry(0, fmpq(5, 6)).denominator
        12
        """
        value = value if isinstance(value, fmpq) else fmpq(value)
        q = int(value.q)
        D = math.lcm(self.denominator, q)
        entries = list(self)
        entries[j] = value
        N = self.numerators
        top = max(-int(N.min()), int(N.max()), 1) if N.size else 1      # the factor alone must fit int64 too
        if max(top * (D // self.denominator), abs(int(value.p)) * (D // q)) >= 1 << _INT64_BITS:
            return tuple(entries)
        N = N * (D // self.denominator)
        N[j] = int(value.p) * (D // q)
        return _point(entries, _read_only(N), D)


@dataclass(frozen=True)
class MovedPoint:
    r"""The point ``base`` with its entry ``coordinate`` replaced by ``value``: $x + (t - x_j)e_j$. Certificates give
    points found along coordinates so, many sharing one ``base``: a verifier reads each base once and then two
    numbers a point, not $n$ rationals (4,096 points of 784 coordinates: 3.2 million). Cost: :meth:`point` $O(n)$.

    >>> MovedPoint((fmpq(1), fmpq(2)), 1, fmpq(1, 3)).point()
    (1, 1/3)
    """

    base: tuple[fmpq, ...]
    coordinate: int
    value: fmpq

    def point(self) -> tuple[fmpq, ...]:
        """The point as a plain tuple of its entries."""
        x = list(self.base)
        x[self.coordinate] = self.value
        return tuple(x)


def _point(entries: list, numerators: np.ndarray, denominator: int) -> GridPoint:
    x = tuple.__new__(GridPoint, entries)
    object.__setattr__(x, "numerators", numerators)
    object.__setattr__(x, "denominator", denominator)
    return x


def _read_only(N: np.ndarray) -> np.ndarray:
    N.flags.writeable = False
    return N


@functools.lru_cache(maxsize=4)
def _table(denominator: int) -> np.ndarray:
    """``fmpq(t, denominator)`` for $|t| \\le$ :data:`_TABLE`, as an object array indexed by $t +$ :data:`_TABLE`."""
    return np.array([fmpq(t, denominator) for t in range(-_TABLE, _TABLE + 1)], dtype=object)


def grid_points(N: np.ndarray, denominator: int) -> list[GridPoint]:
    r"""The rows of the integer array ``N`` over ``denominator``, as :class:`GridPoint`\ s (a row with an entry of
    $2^{62}$ or more in magnitude as a plain tuple). Each distinct value is made once (the 3.6 million rationals of
    4,600 inputs of 784 coordinates took 1.7 s made one by one): small values from a table kept per denominator,
    others from a dictionary. Cost: $O(\text{entries})$ array lookups and $O(\text{distinct values})$ rationals.

    >>> grid_points(np.array([[2, -64], [2, 3]]), 64)
    [(1/32, -1), (1/32, 3/64)]
    """
    N = np.array(N, dtype=np.int64)          # a copy: the points' numerators must not change under them
    if N.ndim != 2 or int(denominator) < 1:
        raise ValueError(f"grid_points takes a 2-D integer array and a positive denominator, not shape {N.shape} "
                         f"and {denominator}")
    denominator = int(denominator)
    if N.size and max(-int(N.min()), int(N.max())) <= _TABLE:
        entries = _table(denominator)[N + _TABLE].tolist()
    else:
        values = {t: fmpq(t, denominator) for t in np.unique(N).tolist()}
        entries = [[values[t] for t in row] for row in N.tolist()]
    _read_only(N)
    bound = 1 << _INT64_BITS
    wide = ((N >= bound) | (N <= -bound)).any(axis=1).tolist()
    return [tuple(row) if w else _point(row, numerators, denominator)
            for row, numerators, w in zip(entries, N, wide, strict=True)]


def as_grid_points(points: Sequence[Sequence[fmpq]]) -> list[tuple[fmpq, ...]]:
    r"""Points of ``fmpq`` (all of one length) as :class:`GridPoint`\ s over their least common denominators, with
    the given entries; a point whose numerators would reach $2^{62}$ stays a plain tuple. Numerators and
    denominators are read in two C-level passes into ``int64`` arrays (4,096 points of 784 coordinates: 0.4 s,
    against 2.7 s an entry at a time), the denominator of a point is its largest when that is a multiple of the
    others (points of a grid, moved in one coordinate), else their lcm. Cost: $O(\text{entries})$ vectorised, and
    $O(n)$ integer operations for a point with numerators or denominators beyond $2^{63}$.

    >>> [(x.numerators.tolist(), x.denominator) for x in as_grid_points([(fmpq(1, 2), fmpq(1, 3)), (fmpq(3),) * 2])]
    [([3, 2], 6), ([3, 3], 1)]
    """
    points = [tuple(v) for v in points]
    r, n = len(points), len(points[0]) if points else 0
    if not r or not n:
        return [_point(list(v), np.zeros(n, dtype=np.int64), 1) for v in points]
    try:
        P, Q = (np.fromiter(map(operator.attrgetter(name), itertools.chain.from_iterable(points)), np.int64, r * n)
                .reshape(r, n) for name in ("p", "q"))
    except OverflowError:
        return [x for v in points for x in as_grid_points([v])] if r > 1 else [_one_by_one(points[0])]
    e = Q.max(axis=1)
    lcm = (e[:, None] % Q == 0).all(axis=1)
    for i in np.flatnonzero(~lcm).tolist():
        e[i] = min(math.lcm(*set(Q[i].tolist())), 1 << _INT64_BITS)
    F = e[:, None] // Q
    fits = (np.abs(P.astype(np.float64)) * F < 2.0 ** (_INT64_BITS - 1)).all(axis=1) & (e < 1 << _INT64_BITS)
    N = _read_only(P * F)
    return [_point(list(v), N[i], int(e[i])) if fits[i] else _one_by_one(v) for i, v in enumerate(points)]


def _one_by_one(v: tuple) -> tuple[fmpq, ...]:
    """:func:`as_grid_points` of one point in Python integers: a :class:`GridPoint` when its numerators stay
    below $2^{62}$, else ``v`` itself."""
    e = math.lcm(*{int(x.q) for x in v})
    N = [int(x.p) * (e // int(x.q)) for x in v]
    if e >= 1 << _INT64_BITS or any(abs(t) >= 1 << _INT64_BITS for t in N):
        return v
    return _point(list(v), _read_only(np.array(N, dtype=np.int64)), e)
