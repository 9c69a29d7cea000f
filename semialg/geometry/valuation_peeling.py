r"""Peeling by $p$-adic valuations: vectors that lie in no zero-sum set, certified one coordinate at a time.

The $p$-adic valuation $\nu_p$ is ultrametric: if one term of a finite sum of rationals has a valuation strictly
below that of every other term, the sum has that valuation and is not zero. So if, in coordinate $j$, the vector
$v_i$ has the unique smallest $\nu_p(v_{kj})$ among the vectors $k$ of a set $R$ (and $v_{ij} \ne 0$), no zero-sum
subset of $R$ contains $i$. Peeling such an $i$ off $R$ and repeating proves, for every vector peeled, that it lies
in no zero-sum set at all (induction on the order: a zero-sum set avoids everything peeled before, so it lies in
the $R$ of that step). When every vector is peeled there is no zero-sum set.

Weights read from float32 files are dyadic with mantissas of random parity, so their 2-adic valuations spread like
geometric variables: the smallest of many is often unique, and the terms $v_iw_i \in \mathbb{Q}^{n_0}$ of a bottleneck
network's first two layers (dependent, positively spanning, far beyond any exact search) peel completely up to about
four times as many terms as coordinates: 784-1024-1-10 and 784-3072-1-10 on each of six seeds measured (3,072
terms: about three seconds), 784-4096-1-10 on three of six (the others stop after about half;
``benchmarks/bench_zero_factor_wide.py``). Other primes serve
integer data; a certificate names the coordinate and the prime of each step, and :func:`check_peeling` re-checks it
exactly.

>>> from flint import fmpq
>>> vectors = [(fmpq(1), fmpq(2)), (fmpq(2), fmpq(4)), (fmpq(4), fmpq(3))]
>>> peeling(vectors)                   # (index, coordinate, prime): v_0 first, as nu_2(1) < nu_2(2), nu_2(4)
((0, 0, 2), (1, 0, 2), (2, 0, 2))
>>> check_peeling(vectors, peeling(vectors))
(0, 1, 2)
"""

from __future__ import annotations

import time
from typing import Sequence

import numpy as np
from flint import fmpq, fmpz

from semialg.errors import CertificateError

__all__ = ["peeling", "check_peeling", "valuation"]

_INFINITE = np.iinfo(np.int64).max      # the valuation of 0
_CHUNK = 128                            # coordinates whose valuations are read at a time


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


def _column(vectors: Sequence[Sequence[fmpq]], j: int, p: int) -> np.ndarray:
    if p != 2:
        return np.fromiter((valuation(v[j], p) for v in vectors), dtype=np.int64, count=len(vectors))
    out = []
    for v in vectors:                           # valuation() inlined: this loop is the peeling's cost
        x = v[j] if type(v[j]) is fmpq else fmpq(v[j])
        a, b = int(x.p), int(x.q)
        out.append((a & -a).bit_length() - (b & -b).bit_length() if a else _INFINITE)
    return np.array(out, dtype=np.int64)


def peeling(vectors: Sequence[Sequence[fmpq]], primes: Sequence[int] = (2, 3),
            deadline: float | None = None) -> tuple[tuple[int, int, int], ...]:
    r"""The longest peeling found greedily: steps ``(i, j, p)``, each $v_i$ with the unique smallest $\nu_p$ in
    coordinate $j$ among the vectors not yet peeled (module docstring). Every vector named lies in no zero-sum set;
    all of them named proves there is none. Coordinates are read ``128`` at a time, the primes in turn, until
    nothing is left or nothing more peels; ``deadline`` (a ``time.monotonic()`` value) is checked between them.

    Cost: $O(nD)$ valuations for $n$ vectors in $\mathbb{Q}^D$ and each prime, at most (fewer when the first
    coordinates peel everything: 1.3 s for 784 coordinates of 4,096 vectors), sorting each coordinate, and
    $O(n + D)$ steps of a work list.

    >>> from flint import fmpq
    >>> peeling([(fmpq(1),), (fmpq(-1),)])                  # a zero-sum pair: nothing peels
    ()
    """
    n = len(vectors)
    dim = len(vectors[0]) if n else 0
    alive = np.ones(n, dtype=bool)
    steps: list[tuple[int, int, int]] = []
    heads: dict[int, list[int]] = {}          # vector -> columns to examine again once it is peeled
    columns: list[tuple[int, int, np.ndarray, np.ndarray]] = []     # (j, p, order by valuation, sorted valuations)
    cursor: list[int] = []

    def examine(c: int) -> None:
        work = [c]
        while work:
            c = work.pop()
            j, p, order, vals = columns[c]
            k = cursor[c]
            while k < n and not alive[order[k]]:
                k += 1
            cursor[c] = k
            if k == n or vals[k] == _INFINITE:
                continue
            nxt = k + 1
            while nxt < n and not alive[order[nxt]]:
                nxt += 1
            i = int(order[k])
            if nxt == n or vals[k] < vals[nxt]:
                alive[i] = False
                steps.append((i, j, p))
                work.extend(heads.pop(i, ()))
                work.append(c)
            else:                       # unique once either of the two smallest is peeled elsewhere
                heads.setdefault(i, []).append(c)
                heads.setdefault(int(order[nxt]), []).append(c)

    for p in primes:
        for start in range(0, dim, _CHUNK):
            if not alive.any() or (deadline is not None and time.monotonic() > deadline):
                return tuple(steps)
            for j in range(start, min(start + _CHUNK, dim)):
                col = _column(vectors, j, p)
                order = np.argsort(col, kind="stable")
                columns.append((j, p, order, col[order]))
                cursor.append(0)
                examine(len(columns) - 1)
    return tuple(steps)


def check_peeling(vectors: Sequence[Sequence[fmpq]], steps) -> tuple[int, ...]:
    r"""Re-check a :func:`peeling` exactly and return the vectors it peels, in order; :class:`CertificateError`
    naming the first step that fails. Cost: $O(n)$ valuations per coordinate and prime the steps use.

    >>> from flint import fmpq
    >>> check_peeling([(fmpq(2),), (fmpq(2),)], ((0, 0, 2),))
    Traceback (most recent call last):
    ...
    semialg.errors.CertificateError: peeling step 0: nu_2 of vector 0 in coordinate 0 is not below every vector left
    """
    n = len(vectors)
    dim = len(vectors[0]) if n else 0
    if not isinstance(steps, tuple) or not all(isinstance(s, tuple) and len(s) == 3 and
                                               all(type(x) is int for x in s) for s in steps):
        raise CertificateError("a peeling is a tuple of (vector, coordinate, prime) integer triples")
    order = tuple(i for i, _, _ in steps)
    if len(set(order)) != len(order) or not all(0 <= i < n for i in order) or \
            not all(0 <= j < dim for _, j, _ in steps):
        raise CertificateError(f"a peeling names distinct vectors in 0..{n - 1} and coordinates in 0..{dim - 1}")
    if not all(1 < p < 2 ** 16 and fmpz(p).is_prime() for _, _, p in steps):
        raise CertificateError("a peeling's primes are primes below 2^16")
    position = np.full(n, len(steps))
    position[list(order)] = np.arange(len(steps))
    by_position = np.argsort(position, kind="stable")  # the peeled vectors in order, then the others
    uses: dict[tuple[int, int], list[int]] = {}
    for t, (_, j, p) in enumerate(steps):
        uses.setdefault((j, p), []).append(t)
    for (j, p), ts in sorted(uses.items()):
        vals = _column(vectors, j, p)[by_position]
        later = np.append(np.minimum.accumulate(vals[::-1])[::-1][1:], _INFINITE)     # min over positions > t
        for t in ts:
            if not vals[t] < later[t]:
                raise CertificateError(f"peeling step {t}: nu_{p} of vector {order[t]} in coordinate {j} is not "
                                       f"below every vector left")
    return order
