r"""The residual ranks of a shallow fibre's types when the kink normals are linearly independent.

A type with negatively oriented kink hyperplanes $F$ and mixed ones $M$ needs $\rho(F) = \operatorname{rank}(R_F
\bmod \mathbb{R}^k\otimes\operatorname{span}(u_h)_{h\in M}) \le p$, $R_F = L + \sum_{h\in F}\delta_h u_h^T$
(:mod:`~semialg.families.shallow.type_geometry`). For dependent normals counting those $F$ is a counting
subset-sum problem over $k m$-dimensional vectors (:mod:`~semialg.families.shallow.residual_ranks`); for
independent ones it lives in $\mathbb{R}^k$:

**Proposition.** Let $u_1, \dots, u_N$ be linearly independent, $L = \sum_h \ell_h u_h^T + L_\perp$ with the rows of
$L_\perp$ orthogonal to every $u_h$ (so $\ell = (UU^T)^{-1}UL^T$), $M \subseteq [N]$ and $F$ a subset of the rest
$[N]\setminus M$. Then $\rho(F) = \operatorname{rank}\,[\,C_F \mid Q\,]$ with the $k \times |\text{rest}|$ coefficient
matrix $C_F = (\ell_h + [h \in F]\,\delta_h)_{h \notin M}$ and $Q = L_\perp L_\perp^T = LL^T - \ell^T UU^T\ell$.
*Proof.* Modulo $\mathbb{R}^k\otimes\operatorname{span}(u_h)_{h\in M}$ the terms of $h \in M$ vanish, so
$\bar R_F = \sum_{h\notin M}(\ell_h + [h\in F]\delta_h)\bar u_h^T + \Lambda\bar B^T = [C_F \mid \Lambda]\,[\bar U \mid
\bar B]^T$, where $L_\perp = \Lambda B^T$ with the columns of $B$ a basis of the row space of $L_\perp$. That space
is orthogonal to $\operatorname{span}(u_h)$, so the $u_h$ and the columns of $B$ are linearly independent, and so
are their images modulo $\operatorname{span}(u_h)_{h\in M}$ (a subspace of $\operatorname{span}(u_h)$). A factor
with linearly independent columns preserves rank: $\rho(F) = \operatorname{rank}[C_F \mid \Lambda]$, and
$\operatorname{col}\Lambda = \operatorname{col}L_\perp = \operatorname{col}L_\perp L_\perp^T$. $\square$

So $\#\{F : \rho(F) \le p\}$ counts the ways of choosing one vector of each pair $(\ell_h, \ell_h + \delta_h)$ whose
span together with the columns of $Q$ has dimension at most $p$: a dynamic programme over those spans, one
hyperplane at a time, each span kept once with the number of partial choices reaching it. The spans are spanned by
$\operatorname{col}Q$ and at most $p$ chosen vectors, so there are at most $\sum_{j \le p}\binom{2|\text{rest}|}{j}$
of them ($1 + 2|\text{rest}|$ for $p = 1$, the case of two dead neurons), each a $k$-dimensional reduced echelon
basis: $O(|\text{rest}|\cdot\#\text{spans}\cdot pk)$ exact operations instead of $2^{|\text{rest}|}$ ranks of
$k \times m'$ residuals.

>>> one, two = fmpq(1), fmpq(2)
>>> C = ResidualCoefficients([((0, 0), (one, 0)), ((0, 0), (0, one)), ((0, 0), (two, 0))], [[0, 0], [0, 0]], 100)
>>> C.ranks_up_to(1)        # F = {} has rank 0; {0}, {1}, {2} and {0, 2} have rank 1
Counter({1: 4, 0: 1})
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from flint import fmpq

from semialg.errors import UndecidedError

__all__ = ["ResidualCoefficients", "extend_span"]

Basis = tuple[tuple[fmpq, ...], ...]


def extend_span(basis: Basis, v: Sequence[fmpq]) -> Basis:
    """The reduced echelon basis of $\\operatorname{span}(\\text{basis}) + \\mathbb{R}v$ (``basis`` reduced echelon
    rows sorted by pivot, so equal spans get equal bases). Cost: $O(\\dim \\cdot k)$."""
    v = list(v)
    for row in basis:
        j = next(i for i, x in enumerate(row) if x)
        if c := v[j]:
            v = [x - c * y for x, y in zip(v, row, strict=True)]
    j = next((i for i, x in enumerate(v) if x), None)
    if j is None:
        return basis
    v = tuple(x / v[j] for x in v)
    rows = [tuple(x - r[j] * y for x, y in zip(r, v, strict=True)) if r[j] else r for r in basis] + [v]
    return tuple(sorted(rows, key=lambda r: next(i for i, x in enumerate(r) if x)))


class ResidualCoefficients:
    """The ranks of $[C_F \\mid Q]$ over the subsets $F$ (see the proposition of the module): ``pairs`` holds
    $(\\ell_h, \\ell_h + \\delta_h)$ per hyperplane of the rest, ``fixed`` the columns of $Q$ (any vectors spanning
    its column space), ``budget`` bounds the spans visited (beyond it :class:`~semialg.errors.UndecidedError`)."""

    def __init__(self, pairs: Sequence[tuple[Sequence[fmpq], Sequence[fmpq]]], fixed: Sequence[Sequence[fmpq]],
                 budget: int):
        self.pairs = [tuple(tuple(fmpq(x) for x in v) for v in pair) for pair in pairs]
        self.budget = budget
        self.start: Basis = ()
        for v in fixed:
            self.start = extend_span(self.start, [fmpq(x) for x in v])
        self._done: tuple[int, Counter] | None = None

    def ranks_up_to(self, p: int) -> Counter:
        """$\\{\\rho: \\#\\{F : \\rho(F) = \\rho\\}\\}$ for every $\\rho \\le p$ (the dynamic programme of the module,
        run once for the largest $p$ asked)."""
        if self._done is None or self._done[0] < p:
            spans, work = ({self.start: 1} if len(self.start) <= p else {}), 0
            for pair in self.pairs:
                grown: dict = {}
                for W, c in spans.items():
                    for v in pair:
                        V = extend_span(W, v)
                        if len(V) <= p:
                            grown[V] = grown.get(V, 0) + c
                spans, work = grown, work + len(grown)
                if work > self.budget:
                    raise UndecidedError(f"the spans of {len(self.pairs)} residual coefficients of rank at most {p} "
                                         f"exceed the budget {self.budget}")
            out = Counter()
            for W, c in spans.items():
                out[len(W)] += c
            self._done = (p, out)
        return Counter({rho: c for rho, c in self._done[1].items() if rho <= p})
