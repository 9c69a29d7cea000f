r"""The ranks of the residual linear parts of a shallow fibre's types over the subsets of kink hyperplanes.

For a pattern $M$ of mixed kink hyperplanes (:mod:`~semialg.families.shallow.type_geometry`), a type whose
negatively oriented hyperplanes are $F$ is non-empty only if $\rho(F) = \operatorname{rank}(\bar L + \sum_{h \in F}
\delta_h \bar u_h^T)$, the rank modulo $\mathbb{R}^k \otimes \operatorname{span}(u_h)_{h \in M}$, is small. Counting the
$F$ with $\rho(F) = 0$ is counting the subsets of the vectors $v_h = \delta_h \otimes \bar u_h$ summing to $-\bar L$:
a subset-sum problem, which :func:`~semialg.geometry.zero_sum.count_subsets_with_sum` solves from the kernel of
the vectors (a linearly independent family has at most one such subset, found by one kernel), and by meet in the
middle only on the dependent components. The kernel comes from the Gram matrix, which the factors $\delta_h$,
$\bar u_h$ give in $O((N + k)^2 m)$ operations: at 784-64-10 the $k m$-dimensional vectors are never built.
The ranks $\rho(F) \le p$ for $p \ge 1$ come from the $k \times |\text{rest}|$ coefficient matrices when the
normals are linearly independent (:mod:`~semialg.families.shallow.residual_coefficients`), and exhaustively,
within the budget, otherwise.

>>> P = ResidualProfile(1, 1, 0, [(fmpq(1),), (fmpq(1),), (fmpq(-2),)], (fmpq(1),), 2 ** 10)
>>> P.count_at_most(0)     # the subsets summing to -1: {0, 2} and {1, 2}
2
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from typing import Callable, Sequence

from flint import fmpq, fmpq_mat

from semialg.core.exact import rank
from semialg.errors import UndecidedError
from semialg.geometry.zero_sum import count_subsets_with_sum

__all__ = ["ResidualProfile", "LazyVectors"]

ZERO = fmpq(0)


class LazyVectors(Sequence):
    """A sequence of ``length`` vectors, the ``t``-th built by ``make(t)`` on first access (then kept): the
    flattened $k \\times m'$ vectors are needed only when a dependent component is searched."""

    def __init__(self, length: int, make: Callable[[int], tuple]):
        self._length, self._make, self._built = length, make, {}

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, t):
        if isinstance(t, slice):
            return [self[i] for i in range(*t.indices(self._length))]
        if not -self._length <= t < self._length:
            raise IndexError(t)
        t %= self._length
        if t not in self._built:
            self._built[t] = self._make(t)
        return self._built[t]


class ResidualProfile:
    """The ranks $\\rho(F) = \\operatorname{rank}(\\bar L + \\sum_{h \\in F}\\delta_h \\bar u_h^T)$ over the subsets $F$ of
    the non-mixed hyperplanes, in quotient coordinates ($k \\times m'$ matrices flattened); ``rigid`` lists per
    rigid $h \\in M$ the subset-sum data $(L v_h, \\delta_h, (\\delta_{h'} u_{h'}\\cdot v_h)_{h'})$ of its forced share."""

    def __init__(self, k: int, mq: int, r: int, vecs: Sequence, base: tuple | Callable, budget: int,
                 rigid: list | Callable = (), gram: Callable | None = None, zeros: int | None = None,
                 stuck: dict | None = None, coefficients: Callable | None = None):
        # base and rigid may be given as functions building them (on first use); gram: the Gram matrix of
        # vecs + [base] on demand (any matrix with their kernel), or None; zeros and stuck: the counts when the
        # caller knows them (independent normals, KinkTensors.shares); coefficients: a function building the
        # ResidualCoefficients whose ranks replace the exhaustive ones (independent normals)
        self.k, self.mq, self.r, self.vecs, self.budget = k, mq, r, vecs, budget
        self._coefficients = coefficients
        self._base, self._rigid = base, rigid
        self._gram_of = gram
        self._gram = None
        self._exhaustive = None
        self._zeros = zeros
        self._stuck = stuck

    @property
    def base(self) -> tuple:
        if callable(self._base):
            self._base = self._base()
        return self._base

    @property
    def rigid(self) -> list:
        if callable(self._rigid):
            self._rigid = self._rigid()
        return list(self._rigid)

    def _rank(self, flat: Sequence[fmpq]) -> int:
        return rank([flat[i * self.mq:(i + 1) * self.mq] for i in range(self.k)]) if self.mq else 0

    def _zero_count(self, vecs: Sequence, base: tuple, gram=None) -> int:
        """$\\#\\{F : \\text{base} + \\sum_F v_h = 0\\}$ (:func:`~semialg.geometry.zero_sum.count_subsets_with_sum`;
        ``gram``: the Gram matrix of ``vecs + [base]``)."""
        count = count_subsets_with_sum(vecs, _Negated(base), self.budget, gram=gram)
        if count is None:
            raise UndecidedError(f"subset sums over {len(vecs)} hyperplanes exceed the budget {self.budget}")
        return count

    def gram(self) -> fmpq_mat | None:
        """The Gram matrix of ``vecs + [base]`` (built once), or ``None`` when the caller gave no way to build it."""
        if self._gram is None and self._gram_of is not None:
            self._gram = self._gram_of()
        return self._gram

    def _zero_sums(self) -> int:
        """$\\#\\{F : \\sum_F v_h = -\\bar L\\}$."""
        if self._zeros is None:
            self._zeros = self._zero_count(self.vecs, self.base, self.gram())
        return self._zeros

    def _augmented_count(self, H: tuple, choice: tuple) -> int:
        """The zero-sum count of the vectors extended by the forced-share coordinates of the rigid hyperplanes
        ``H`` (share $0$ or $\\delta_h$ by ``choice``); the Gram matrix of the extension is that of the vectors plus
        $EE^T$ for the few extra coordinates $E$, and the extended vectors are built only if searched."""
        n = len(self.vecs)
        extra = [tuple(x for _, _, ext in H for x in ext[i]) for i in range(n)]
        extra.append(tuple(x + (dx if on else ZERO) for (Lv, delta, _), on in zip(H, choice, strict=True)
                           for x, dx in zip(Lv, delta, strict=True)))
        G = self.gram()
        if G is not None:
            E = fmpq_mat(extra)
            G = G + E * E.transpose()
        vecs = LazyVectors(n, lambda i: tuple(self.vecs[i]) + extra[i])
        return self._zero_count(vecs, tuple(self.base) + extra[n], G)

    def stuck_counts(self) -> dict[int, int]:
        """$\\{j: \\#\\{F : \\rho(F) = 0$, exactly $j$ rigid $h$ with forced share $0$ or $\\delta_h\\}\\}$, by
        inclusion–exclusion: for every set $H$ of rigid hyperplanes and choice of $0$ or $\\delta_h$ on each, one
        exact zero-sum count of the augmented vectors. Cost: $3^{\\#\\text{rigid}}$ exact subset-sum counts."""
        if self._stuck is None:
            zero = self._zero_sums()
            R = len(self.rigid)
            if not zero or not R:
                self._stuck = {0: zero}
                return self._stuck
            if 3 ** R > self.budget:
                raise UndecidedError(f"forced shares of {R} rigid hyperplanes exceed the budget {self.budget}")
            at_least = [zero] + [0] * R       # S_i: sum over |H| = i of #{F : every h in H stuck}
            for size in range(1, R + 1):
                for H in itertools.combinations(self.rigid, size):
                    for choice in itertools.product((False, True), repeat=size):
                        at_least[size] += self._augmented_count(H, choice)
            exact = {j: sum((-1) ** (i - j) * math.comb(i, j) * at_least[i] for i in range(j, R + 1))
                     for j in range(R + 1)}
            self._stuck = {j: c for j, c in exact.items() if c}
        return self._stuck

    def _ranks(self) -> Counter:
        if self._exhaustive is None:
            # every residual is a k x m' matrix held at once: their entries count too (784-16-10, two dead neurons:
            # 2^14 residuals of 7840 entries took 99 s and 5 GB before this check)
            if 2 ** len(self.vecs) > self.budget or 2 ** len(self.vecs) * self.k * self.mq > 64 * self.budget:
                raise UndecidedError(f"ranks of 2^{len(self.vecs)} residuals of {self.k} x {self.mq} entries exceed "
                                     f"the budget {self.budget} (counting subsets of rank at most p is a counting "
                                     f"subset-sum problem)")
            self._exhaustive = Counter(self._rank(s) for s in _subset_sums(self.vecs, self.base))
        return self._exhaustive

    def _ranks_up_to(self, p: int) -> Counter:
        """$\\{\\rho: \\#\\{F : \\rho(F) = \\rho\\}\\}$ for $\\rho \\le p$: by the coefficient matrices when the caller
        gave them (:class:`~semialg.families.shallow.residual_coefficients.ResidualCoefficients`), else exhaustively."""
        if self._coefficients is not None:
            if callable(self._coefficients):
                self._coefficients = self._coefficients()
            return self._coefficients.ranks_up_to(p)
        return Counter({rho: c for rho, c in self._ranks().items() if rho <= p})

    def count_at_most(self, p: int) -> int:
        """$\\#\\{F : \\rho(F) \\le p\\}$."""
        if p >= min(self.k, self.mq):
            return 2 ** len(self.vecs)
        if p == 0:
            return self._zero_sums()
        return sum(self._ranks_up_to(p).values())

    def least_rho(self, p: int) -> int | None:
        """$\\min \\rho(F)$ over the $F$ with $\\rho(F) \\le p$, or ``None`` if there is none."""
        if self.count_at_most(0):
            return 0
        if p == 0:
            return None
        if min(self.k, self.mq) <= 1:
            return 1
        return min(self._ranks_up_to(p), default=None)


class _Negated(Sequence):
    """$-v$ entry by entry on access: the target $-\\text{base}$ is read only when a component is searched."""

    def __init__(self, v: Sequence[fmpq]):
        self._v = v

    def __len__(self) -> int:
        return len(self._v)

    def __getitem__(self, i):
        return -self._v[i]


def _subset_sums(vecs: list, start: Sequence[fmpq]) -> list[tuple]:
    """Every subset sum of ``vecs`` plus ``start``, $2^{|vecs|}$ of them."""
    sums = [tuple(start)]
    for v in vecs:
        sums += [tuple(x + y for x, y in zip(s, v, strict=True)) for s in sums]
    return sums
