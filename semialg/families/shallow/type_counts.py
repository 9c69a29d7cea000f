r"""Counting the non-empty types of a typed shallow fibre whose kink normals are in general position.

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
:func:`~semialg.families.shallow.type_geometry.types_with_pattern`, $p = 0$ without tight sides), in closed form,
and only the $\sum_{\mu \le m}\binom{N}{\mu}$ sets of at most $m$ hyperplanes are visited. General position is
decided exactly: $m = 1$ always; $m = 2$ by hashing (the normals are normalised, so two are parallel iff equal);
$m \ge 3$ by the $\binom{N}{m}$ exact ranks when they fit the budget (otherwise not claimed: the patterns are
visited as before). Tested against the count visiting every pattern and against the enumeration of types.
"""

from __future__ import annotations

import itertools
import math

from flint import fmpq_mat

__all__ = ["general_position", "general_position_tail"]


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


def general_position_tail(G, types_with_pattern, live: bool = False) -> int:
    """The number of non-empty types whose set $M$ of mixed hyperplanes has more than $m$ elements, for normals in
    general position (:func:`general_position`): $\\sum_{\\mu > m}\\binom{N}{\\mu}2^{N-\\mu}\\sum_p T(n, N, \\mu, p)$.
    Cost: $O(n^2)$ calls of ``types_with_pattern``."""
    n, N, m = G.n, G.N, G.m
    total = 0
    for mu in range(m + 1, min(N, n - N) + 1):
        per = sum(types_with_pattern(n, N, mu, p, live=live) for p in range((n - N - mu) // 2 + 1))
        total += math.comb(N, mu) * 2 ** (N - mu) * per
    return total
