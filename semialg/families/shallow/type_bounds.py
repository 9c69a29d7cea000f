r"""The dimension of a typed shallow fibre by upper bounds per pattern size, visiting few hyperplane patterns.

:meth:`~semialg.families.shallow.type_geometry.TypeGeometry.dimension` maximises over every pattern $(M, p)$ of mixed
kink hyperplanes and mixed phantom groups; for dependent normals ($N > m$) each $M$ costs a Gram kernel and exact
subset sums, so beyond a budget the answer was "undecided" before any pattern was looked at (2-40-2 with two dead
neurons: 38 hyperplanes, $2^{34}$ subset sums for $M = \emptyset$ alone).

**Proposition.** For $|M| = \mu$, $r = \operatorname{rank}(u_h)_{h \in M}$ ($r = 0$ iff $\mu = 0$, else $1 \le r \le
\min(\mu, m)$) and $p$ mixed groups, every non-empty type has dimension at most

$$U(\mu, p) = \max_r\ \bigl[(N + \mu)(k + 1) - kN + p(2 + r) - kr + e\,(\max(m, k) + 1) + \max_{a \le \min(k, p)}
\bigl(a(k - a) + ap + (m - r)(p - a)\bigr)\bigr], \qquad e = n - N - \mu - 2p \ge 0,$$

the bound of the module :mod:`~semialg.families.shallow.type_geometry` with $\rho = 0$ (the dimension of
$Y_p(\rho, a)$ decreases with $\rho$) and no slot spent on a doubled side. For $\mu = p = 0$ it is attained iff some
$F$ has $R_F = L + \sum_{h \in F}\delta_h u_h^T = 0$ (no hyperplane is mixed, so none is stuck): for instance the
negatively oriented hyperplanes of $\theta$ when $\theta$ has no mixed hyperplane and no mixed group. So the
dimension is the largest exact value over the sizes $(\mu, p)$ taken in decreasing order of $U$, stopping once it
reaches the next $U$; only the sizes visited pay for their patterns.

Cost: $O(n^2 \min(n, m))$ for the bounds; then the patterns of the sizes visited, as in
:meth:`~semialg.families.shallow.type_geometry.TypeGeometry.dimension` — none when $\theta$'s own pattern settles
the top size.

>>> from semialg.families.shallow.canonical import canonical_form
>>> from semialg.families.shallow.type_geometry import TypeGeometry
>>> net = Network.from_arrays([[[1], [2], [-1]], [[1, 1, 0]]], [[0, 1, 2], [0]])   # 1-3-1, a dead neuron: N > m
>>> G = TypeGeometry(canonical_form(net), 3)
>>> bounded_dimension(G, witness=G.type_of(net)) == G.dimension()
True
"""

from __future__ import annotations

import itertools
import math

from semialg.core.network import Network  # noqa: F401  (the doctest's namespace)
from semialg.errors import UndecidedError
from semialg.families.shallow.type_geometry import Pattern

__all__ = ["bounded_dimension", "size_bound"]


def size_bound(m: int, k: int, n: int, N: int, mu: int, p: int) -> int | None:
    """$U(\\mu, p)$ of the proposition of the module, ``None`` when the sizes do not fit ($N + \\mu + 2p > n$ or
    $\\mu > N$). Cost: $O(\\min(\\mu, m)\\,\\min(k, p))$.

    >>> size_bound(2, 2, 40, 38, 0, 0), size_bound(2, 2, 40, 38, 0, 1), size_bound(2, 2, 40, 38, 1, 0)
    (44, 42, 42)
    """
    extra = n - N - mu - 2 * p
    if extra < 0 or mu > N:
        return None
    ranks = [0] if mu == 0 else range(1, min(mu, m) + 1)
    return max((N + mu) * (k + 1) - k * N + p * (2 + r) - k * r + extra * (max(m, k) + 1)
               + max(a * (k - a) + a * p + (m - r) * (p - a) for a in range(min(k, p) + 1)) for r in ranks)


def bounded_dimension(geometry, witness: tuple | None = None) -> int:
    """$\\max_\\tau \\dim B_\\tau$ over the non-empty types of ``geometry`` (a
    :class:`~semialg.families.shallow.type_geometry.TypeGeometry`), by the proposition of the module; ``witness``: a
    non-empty type (e.g. that of $\\theta$), which settles $\\mu = p = 0$ when it has no mixed hyperplane or group.
    :class:`~semialg.errors.UndecidedError` when a size that must be visited exceeds the budget."""
    G = geometry
    m, k, n, N = G.m, G.k, G.n, G.N
    sizes = sorted(((U, mu, p) for mu in range(N + 1) for p in range(n // 2 + 1)
                    if (U := size_bound(m, k, n, N, mu, p)) is not None), reverse=True)
    best, visited = None, 0
    unit = 1 if G.tensors.shares() is not None else (N + 1) ** 2 // 64 or 1   # dependent normals: a Gram kernel each
    for U, mu, p in sizes:
        if best is not None and best >= U:
            break
        if mu == 0 and p == 0 and witness is not None:
            P = Pattern.of(witness, N)
            if not P.mixed and not P.mixed_groups:
                best = U if best is None else max(best, U)     # theta's F has R_F = 0: U is attained
                continue
        visited += math.comb(N, mu) * unit
        if visited > G.budget:
            raise UndecidedError(f"the dimension needs {visited} hyperplane patterns of {N} kinks in width {n}, "
                                 f"beyond the budget {G.budget}")
        for M in itertools.combinations(range(N), mu):
            d = _pattern_dimension(G, M, p)
            if d is not None:
                best = d if best is None else max(best, d)
    return best


def _pattern_dimension(G, M: tuple, p: int) -> int | None:
    """The largest dimension of a non-empty type with mixed hyperplanes ``M`` and ``p`` mixed groups (the body of
    :meth:`~semialg.families.shallow.type_geometry.TypeGeometry.dimension` for one pattern), ``None`` if none."""
    m, k, n, N = G.m, G.k, G.n, G.N
    prof = G._profile(M)
    r = prof.r
    extra = n - N - len(M) - 2 * p
    head = (N + len(M)) * (k + 1) - k * N + p * (2 + r) - k * r + extra * (max(m, k) + 1)
    out = None
    for Y, spent in G._options(prof, p, out, head):
        if spent <= extra:
            d = head + Y - spent * (max(m, k) - k)
            out = d if out is None else max(out, d)
    return out
