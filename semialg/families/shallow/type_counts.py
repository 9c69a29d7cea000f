r"""Counting the types of a typed shallow fibre: per pattern (:func:`types_with_pattern`, the exponential generating
functions of :mod:`~semialg.families.shallow.type_geometry`), and the non-empty ones when the kink normals are in
general position.

:meth:`~semialg.families.shallow.type_geometry.TypeGeometry.count` sums, over the sets $M$ of mixed hyperplanes,
the number of $F$ with $\rho(F, M) \le p$ times the number of types with that pattern; with dependent normals
($N > m$) each $M$ costs a Gram kernel and exact subset sums, and $\sum_{\mu \le n - N}\binom{N}{\mu}$ of them
exceeded the budget (2-30-2 with two dead neurons: 190,051 patterns). But when the normals are in **general
position** — every $m$ of the $u_h$ linearly independent, as for float weights, and always for $m = 1$ (each
$u_h = (1)$) — every $M$ with $|M| \ge m + 1$ behaves alike:

* $\operatorname{rank}(u_h)_{h \in M} = m$, so the quotient $\mathbb{R}^m / \operatorname{span}(u_h)_{h\in M}$ is $0$
  and $\rho(F, M) = 0$ for all $2^{N - |M|}$ sets $F$;
* no $h \in M$ is rigid ($M \setminus h$ still holds $m$ independent normals, spanning $\mathbb{R}^m$), so no
  type of the pattern is stuck: the forced shares of the proposition are void.

So those $M$ contribute $\binom{N}{\mu}2^{N-\mu}\sum_p T(n, N, \mu, p)$ for $\mu = |M| > m$ ($T$ =
:func:`types_with_pattern`, $p = 0$ without tight sides), in closed form,
and only the $\sum_{\mu \le m}\binom{N}{\mu}$ sets of at most $m$ hyperplanes are visited. General position is
decided exactly: $m = 1$ always; $m = 2$ by hashing (the normals are normalised, so two are parallel iff equal);
$m \ge 3$ by the $\binom{N}{m}$ exact ranks when they fit the budget (otherwise not claimed: the patterns are
visited as before). Tested against the count visiting every pattern and against the enumeration of types.
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache

from flint import fmpq_mat

__all__ = ["general_position", "general_position_tail", "types_with_pattern"]


def general_position(G) -> bool:
    """Whether $N > m$ and every $m$ of the kink normals $u_h$ of the :class:`TypeGeometry` ``G`` are linearly
    independent (exact; ``False`` when the $\\binom{N}{m}$ ranks for $m \\ge 3$ exceed ``G.budget``).
    Cost: $O(N)$ for $m \\le 2$, else $\\binom{N}{m}$ ranks of $m \\times m$ matrices."""
    m, N = G.m, G.N
    if N <= m or m == 0:
        return False
    if m == 1:
        return True
    if m == 2:
        return len({tuple(u) for u in G.u}) == N     # normalised: first non-zero entry 1, parallel iff equal
    if math.comb(N, m) > G.budget:
        return False
    return all(fmpq_mat([list(G.u[h]) for h in S]).rank() == m for S in itertools.combinations(range(N), m))


def general_position_tail(G, live: bool = False) -> int:
    """The number of non-empty types whose set $M$ of mixed hyperplanes has more than $m$ elements, for normals in
    general position (:func:`general_position`): $\\sum_{\\mu > m}\\binom{N}{\\mu}2^{N-\\mu}\\sum_p T(n, N, \\mu, p)$.
    Cost: $O(n^2)$ calls of :func:`types_with_pattern`."""
    n, N, m = G.n, G.N, G.m
    total = 0
    for mu in range(m + 1, min(N, n - N) + 1):
        per = sum(types_with_pattern(n, N, mu, p, live=live) for p in range((n - N - mu) // 2 + 1))
        total += math.comb(N, mu) * 2 ** (N - mu) * per
    return total


@lru_cache(maxsize=None)
def _free_slot_series(n: int, live: bool = False) -> tuple[int, ...]:
    """$t![x^t]\\,e^{3x}\\exp(e^x - 1 - x)$ for $t \\le n$ — each free slot dead, constant with $b' > 0$ or
    constant with $b' \\le 0$ ($e^{3x}$), or in a phantom group of one orientation, of at least two slots — equal
    to $\\sum_s \\binom{t}{s} 2^{t-s}\\,\\mathrm{Bell}(s)$; with ``live``, without the three degenerate roles:
    $t![x^t]\\exp(e^x - 1 - x) = \\sum_s \\binom{t}{s} (-1)^{t-s}\\,\\mathrm{Bell}(s)$."""
    bell = [1]
    for t in range(n):  # Bell(t+1) = sum_s C(t, s) Bell(s)
        bell.append(sum(math.comb(t, s) * bell[s] for s in range(t + 1)))
    base = -1 if live else 2
    return tuple(sum(math.comb(t, s) * base ** (t - s) * bell[s] for s in range(t + 1)) for t in range(n + 1))


@lru_cache(maxsize=None)
def _surjections(q: int, n: int) -> tuple[int, ...]:
    """$t![x^t]\\,(e^x - 1)^q = q!\\,S(t, q)$ for $t \\le n$: the maps of $t$ slots onto $q$ hyperplanes, each taking
    at least one, by inclusion–exclusion $\\sum_l (-1)^{q-l}\\binom{q}{l} l^t$. Cost: $O(qn)$ integer operations."""
    powers, out = [1] * (q + 1), []
    signed = [(-1) ** (q - l) * math.comb(q, l) for l in range(q + 1)]
    for _ in range(n + 1):
        out.append(sum(c * x for c, x in zip(signed, powers)))
        powers = [x * l for l, x in enumerate(powers)]
    return tuple(out)


@lru_cache(maxsize=4096)       # the same few patterns recur for every M of a size
def types_with_pattern(n: int, N: int, mixed: int, p: int, tight: int = 0, balanced: bool = False,
                       live: bool = False) -> int:
    """The number of types of ``n`` slots with a given $(F, M, p)$, $|M|$ = ``mixed``, $N$ kink hyperplanes;
    with ``tight``, that many hyperplanes of $M$ have a prescribed side of at least two slots; with
    ``balanced``, every mixed group has at least two slots of each orientation; with ``live``, no slot dead or
    constant. Cost: $O(n(N + |M| + 2p))$ integer operations (:func:`_surjections`, cached).

    >>> types_with_pattern(2, 0, 0, 0), types_with_pattern(2, 0, 0, 1)   # (D|C+|C-)^2 and P+P+ ; P+P-
    (10, 1)
    >>> types_with_pattern(4, 0, 0, 1, balanced=True)    # P+P+P-P- and its orderings with the first slot +
    3
    >>> types_with_pattern(2, 0, 0, 0, live=True), types_with_pattern(3, 1, 0, 0, live=True)   # P+P+ ; K^3, K P+P+
    (1, 4)
    """
    big = tight + (2 * p if balanced else 0)
    plain = N + mixed + 2 * p - big
    if plain + 2 * big > n:
        return 0
    # (e^x-1)^plain (e^x-1-x)^big = sum_i C(big, i) (-x)^i (e^x-1)^(plain+big-i), times the free slots' series
    q, free = plain + big, _free_slot_series(n, live)
    total = 0
    for t in range(n + 1):
        g = sum(math.comb(big, i) * (-1) ** i * math.perm(t, i) * _surjections(q - i, n)[t - i]
                for i in range(min(big, t) + 1))
        total += math.comb(n, t) * g * free[n - t]
    return total // (2 ** p * math.factorial(p))
