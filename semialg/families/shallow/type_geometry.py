"""Which combinatorial types of a shallow fibre are non-empty; their dimensions, exact members and counts.

A type (:class:`~semialg.families.shallow.typed.TypeIndex`) puts each neuron slot of $\\theta'$ on a kink
hyperplane $h$ of $K(\\theta) = ((u_h, \\beta_h, \\delta_h)_h, L, d)$ with an orientation, in a phantom group
(parallel rows whose kinks cancel), dead (D) or constant (C$\\pm$). In the coordinates
$\\kappa_i = \\mu_i a'_i$, $r'_i = s_i\\mu_i(u_h, \\beta_h)$ (or $s_i\\mu_i r_g$ in group $g$) its basic set
$B_\\tau$ is cut out by $\\sum_{i \\to h}\\kappa_i = \\delta_h$, $\\sum_{i \\in g}\\kappa_i = 0$, the constant
(solved by $c'$) and the linear part

$$\\sum_{h \\in M} t_h u_h^T + \\sum_{g \\text{ mixed}} t_g w_g^T = -R_F, \\qquad R_F = L + \\sum_{h \\in F}\\delta_h u_h^T,$$

where $F$ ($M$) are the kink hyperplanes whose slots are all negatively oriented (of both orientations),
$t$ is the kink carried by the negatively oriented slots, and a group is *mixed* when it has a negatively
oriented slot ($p$ of them).

**Proposition.** Let $r = \\operatorname{rank}(u_h)_{h\\in M}$, $m' = m - r$ and $\\rho$ the rank of $R_F$ modulo
$\\mathbb{R}^k \\otimes \\operatorname{span}(u_h)_{h \\in M}$. Then $B_\\tau \\neq \\emptyset$ iff $\\rho \\le p$, and

$$\\dim B_\\tau = d_0(m+1) + (n-d_0)(k+1) - kN + G(m-k) - kr - p(k+m') + \\dim Y_p(\\rho),$$

with $d_0$ dead slots, $G$ groups and $\\dim Y_p(\\rho) = \\max_{\\rho \\le a \\le \\min(k,p)} (a-\\rho)(k-a) + ap + m'(p-a)$,
the dimension of $\\{(A, B) \\in \\mathbb{R}^{k\\times p}\\times\\mathbb{R}^{m'\\times p} : AB^T = Q\\}$ for $Q$ of rank
$\\rho$ (stratify by $\\operatorname{rank} A = a$: column spaces containing that of $Q$, then $B$ linear).
*Proof.* The map $(\\mu, \\kappa, r_g, \\dots) \\mapsto \\theta'$ is a diffeomorphism onto $B_\\tau$; the kink sums
are independent affine conditions; $T = (t_h)$ solves the linear part modulo its kernel of dimension
$k(|M| - r)$ exactly when the quotient equation $\\sum_g t_g \\bar w_g^T = -\\bar R_F$ is solvable, which
needs $\\operatorname{rank} \\le p$; the $w_g$ keep $pr$ free coordinates in the span. $\\square$

**Counting.** The number of types with a given $(F, M, p)$ is
$n!\\,[x^n]\\,(e^x-1)^{N+|M|+2p}\\,e^{2x}\\exp(e^x-1)/(2^p p!)$ (exponential generating functions: a hyperplane
of $F$ or of the rest is a non-empty set of slots, one of $M$ has both orientations, $(e^x-1)^2$, a mixed
group contributes $(e^x-1)^2/2$, pure groups and free slots $e^{3x}\\exp(e^x-1-x)$). So the non-empty
types are counted exactly by summing over the $3^N$ hyperplane patterns, never over the types.

>>> from semialg.families.shallow.canonical import canonical_form
>>> net = Network.from_arrays([[[1, 0], [0, 0]], [[0, 1]]], [[0, 0], [0]])   # zero function, 2-2-1
>>> G = TypeGeometry(canonical_form(net), 2)
>>> G.dimension(), G.type_dimension((("D",), ("C-",)))
(6, 5)
"""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Sequence

from flint import fmpq

from semialg.core.exact import nullspace, rank, rref, solve, vadd
from semialg.core.network import Network
from semialg.errors import ParameterError, UndecidedError
from semialg.families.shallow.view import ZERO, ShallowView

__all__ = ["Pattern", "TypeGeometry", "dim_bilinear_fibre", "types_with_pattern"]


@dataclass(frozen=True)
class Pattern:
    """What the dimension and emptiness of a type depend on: $F$, $M$, uncovered kink hyperplanes, the
    numbers of dead slots, groups and mixed groups."""

    negative: frozenset
    mixed: frozenset
    uncovered: frozenset
    dead: int
    groups: int
    mixed_groups: int

    @classmethod
    def of(cls, roles: Sequence[tuple], N: int) -> "Pattern":
        signs: dict = {h: set() for h in range(N)}
        groups: dict = {}
        for role in roles:
            if role[0] == "K":
                signs[role[1]].add(role[2])
            elif role[0] == "P":
                groups.setdefault(role[1], set()).add(role[2])
        return cls(frozenset(h for h, s in signs.items() if s == {-1}),
                   frozenset(h for h, s in signs.items() if s == {1, -1}),
                   frozenset(h for h, s in signs.items() if not s),
                   sum(1 for r in roles if r[0] == "D"), len(groups),
                   sum(1 for s in groups.values() if -1 in s))


def dim_bilinear_fibre(p: int, rho: int, k: int, m: int, a: int | None = None) -> int | None:
    """$\\dim\\{(A, B) \\in \\mathbb{R}^{k\\times p}\\times\\mathbb{R}^{m\\times p} : AB^T = Q\\}$ for $Q$ of rank
    $\\rho$, or ``None`` when empty ($\\rho > p$); with ``a``, the dimension of its stratum $\\operatorname{rank} A = a$.

    >>> dim_bilinear_fibre(1, 0, 2, 2), dim_bilinear_fibre(1, 1, 2, 2), dim_bilinear_fibre(2, 1, 1, 1)
    (2, 1, 3)
    """
    if rho > p:
        return None
    ranks = range(rho, min(k, p) + 1) if a is None else [a]
    return max((a - rho) * (k - a) + a * p + m * (p - a) for a in ranks)


@lru_cache(maxsize=None)
def _free_slot_series(n: int) -> tuple[int, ...]:
    """$t![x^t]\\,e^{2x}\\exp(e^x - 1)$ for $t \\le n$: $\\sum_s \\binom{t}{s} 2^{t-s}\\,\\mathrm{Bell}(s)$."""
    bell = [1]
    for t in range(n):  # Bell(t+1) = sum_s C(t, s) Bell(s)
        bell.append(sum(math.comb(t, s) * bell[s] for s in range(t + 1)))
    return tuple(sum(math.comb(t, s) * 2 ** (t - s) * bell[s] for s in range(t + 1)) for t in range(n + 1))


@lru_cache(maxsize=None)
def _stirling2(n: int) -> tuple[tuple[int, ...], ...]:
    S = [[0] * (n + 1) for _ in range(n + 1)]
    S[0][0] = 1
    for i in range(1, n + 1):
        for j in range(1, i + 1):
            S[i][j] = j * S[i - 1][j] + S[i - 1][j - 1]
    return tuple(tuple(r) for r in S)


@lru_cache(maxsize=None)
def types_with_pattern(n: int, N: int, mixed: int, p: int) -> int:
    """The number of types of ``n`` slots with a given $(F, M, p)$, $|M|$ = ``mixed``, $N$ kink hyperplanes.

    >>> types_with_pattern(2, 0, 0, 0), types_with_pattern(2, 0, 0, 1)   # (D|C+|C-)^2 and P+P+ ; P+P-
    (10, 1)
    """
    j = N + mixed + 2 * p
    if j > n:
        return 0
    S, free = _stirling2(n), _free_slot_series(n)
    total = sum(math.comb(n, i) * math.factorial(j) * S[i][j] * free[n - i] for i in range(j, n + 1))
    return total // (2 ** p * math.factorial(p))


class TypeGeometry:
    """Emptiness, dimension, exact members and counts of the types of the fibre of $K$ in width $n$.

    ``budget`` bounds the number of hyperplane patterns $(F, M)$ visited by :meth:`dimension` and
    :meth:`count` (there are at most $3^N$); beyond it they raise
    :class:`~semialg.errors.UndecidedError` — counting the feasible $F$ is a counting subset-sum problem.
    """

    def __init__(self, K, n: int, budget: int = 3 ** 11):
        self.K, self.n, self.budget = K, n, budget
        self.m, self.k, self.N = K.input_dim, K.output_dim, K.num_kinks
        self.u = [key[:-1] for key, _ in K.kinks]

    # -- the linear-part condition -----------------------------------------------------------------------

    def residual(self, F) -> list[list[fmpq]]:
        """$R_F = L + \\sum_{h \\in F}\\delta_h u_h^T$ ($k \\times m$)."""
        R = [list(row) for row in self.K.linear]
        for h in F:
            delta = self.K.kinks[h][1]
            R = [[x + delta[r] * uj for x, uj in zip(R[r], self.u[h], strict=True)] for r in range(self.k)]
        return R

    def rho(self, F, M) -> int:
        """The rank of $R_F$ modulo $\\mathbb{R}^k \\otimes \\operatorname{span}(u_h)_{h \\in M}$."""
        U = [self.u[h] for h in sorted(M)]
        return rank(self.residual(F) + U) - rank(U)

    def type_dimension(self, roles, stratum: int | None = None) -> int | None:
        """$\\dim B_\\tau$ by the proposition of the module, ``None`` when $B_\\tau = \\emptyset$; with ``stratum``
        $= a$, the dimension of the part of $B_\\tau$ where the kinks $(t_g)$ of the mixed groups have rank $a$."""
        P = Pattern.of(roles, self.N)
        if P.uncovered:
            return None
        m, k, n = self.m, self.k, self.n
        r = rank([self.u[h] for h in sorted(P.mixed)])
        p = P.mixed_groups
        Y = dim_bilinear_fibre(p, self.rho(P.negative, P.mixed), k, m - r, stratum)
        if Y is None:
            return None
        return (P.dead * (m + 1) + (n - P.dead) * (k + 1) - k * self.N + P.groups * (m - k) - k * r
                - p * (k + m - r) + Y)

    def is_nonempty(self, roles) -> bool:
        return self.type_dimension(roles) is not None

    # -- maxima and counts over all types, by hyperplane pattern --------------------------------------------

    def _mixed_sets(self) -> Iterator[tuple[int, ...]]:
        """Every $M$ that fits: a mixed hyperplane takes two slots, so $|M| \\le n - N$. Raises
        :class:`~semialg.errors.UndecidedError` up front when the patterns would cost more than the budget."""
        sizes = range(min(self.N, self.n - self.N) + 1)
        cost = sum(math.comb(self.N, mu) * 2 ** ((self.N - mu + 1) // 2) for mu in sizes)
        if cost > 8 * self.budget:
            raise UndecidedError(f"the hyperplane patterns of {self.N} kinks in width {self.n} cost about {cost} "
                                 f"subset sums, more than the budget {8 * self.budget}")
        for size in sizes:
            yield from itertools.combinations(range(self.N), size)

    def _profile(self, M: tuple[int, ...]) -> "_RhoProfile":
        m, k = self.m, self.k
        U = [self.u[h] for h in M]
        if U:
            Ur, r = rref(U)
            pivots = [next(j for j in range(m) if Ur[i, j] != 0) for i in range(r)]
        else:
            Ur, r, pivots = None, 0, []
        free = [j for j in range(m) if j not in pivots]

        def project(row: Sequence[fmpq]) -> list:
            # coordinates of row modulo span U: reduce by the RREF rows, keep the non-pivot columns
            row = list(row)
            for i, piv in enumerate(pivots):
                coeff = row[piv]
                if coeff:
                    row = [x - coeff * Ur[i, j] for j, x in enumerate(row)]
            return [row[j] for j in free]

        rest = [h for h in range(self.N) if h not in M]
        flat = lambda rows: tuple(x for row in rows for x in row)  # noqa: E731
        vecs = [flat([[d * x for x in project(self.u[h])] for d in self.K.kinks[h][1]]) for h in rest]
        base = flat([project(row) for row in self.K.linear])
        return _RhoProfile(k, len(free), r, vecs, base, self.budget)

    def dimension(self) -> int:
        """$\\max_\\tau \\dim B_\\tau$ over the non-empty types.

        Per pattern the best type has the fewest slots on hyperplanes and groups ($N + |M| + 2p$) and every
        other slot dead (if $m \\ge k$) or constant: each such slot adds $\\max(m, k) + 1$; and
        $\\dim Y_p(\\rho)$ decreases with $\\rho$, so only the least attainable $\\rho$ matters.
        Cost: per $M$ (at most $\\sum_{\\mu \\le n - N}\\binom{N}{\\mu}$ of them) an exact meet-in-the-middle subset sum,
        $O(2^{(N-|M|)/2})$ vector additions; an exhaustive search only for $k, m' \\ge 2$ and $\\rho \\ge 1$.
        """
        m, k, n, N = self.m, self.k, self.n, self.N
        best = None
        for M in self._mixed_sets():
            prof = self._profile(M)
            r = prof.r
            for p in range((n - N - len(M)) // 2 + 1):
                rho = prof.least_rho(p)
                if rho is None:
                    continue
                extra = n - N - len(M) - 2 * p
                d = ((N + len(M)) * (k + 1) - k * N + p * (2 + r) - k * r
                     + dim_bilinear_fibre(p, rho, k, m - r) + extra * (max(m, k) + 1))
                best = d if best is None else max(best, d)
        return best

    def count(self) -> int:
        """The exact number of non-empty types: $\\sum_{M, p} \\#\\{F : \\rho(F, M) \\le p\\}$ times the number of types
        with that pattern. Cost as :meth:`dimension`, plus $O(n^2)$ integer operations per pattern."""
        n, N = self.n, self.N
        total = 0
        for M in self._mixed_sets():
            prof = self._profile(M)
            for p in range((n - N - len(M)) // 2 + 1):
                total += prof.count_at_most(p) * types_with_pattern(n, N, len(M), p)
        return total

    def count_all(self) -> int:
        """The number of types, empty or not (the sum over patterns without the rank test)."""
        n, N = self.n, self.N
        return sum(math.comb(N, mu) * 2 ** (N - mu) * types_with_pattern(n, N, mu, p)
                   for mu in range(N + 1) for p in range((n - N - mu) // 2 + 1) if N + mu <= n)

    # -- exact members ------------------------------------------------------------------------------------

    def sample(self, roles, seed: int | None = None) -> Network:
        """An exact member of $B_\\tau$ with random free coordinates (:class:`ParameterError` when empty).

        Construction: solve the linear-part condition (a particular $T$ plus a random kernel element, the
        quotient residual split into rank-one terms $t_g w_g^T$ over the mixed groups), split each kink
        $\\delta_h$ (each group's $0$) between its slots with the prescribed negatively oriented part, choose
        random scales $\\mu_i > 0$ and solve the constant for $c'$.
        """
        if self.type_dimension(roles) is None:
            raise ParameterError(f"the component of type ({', '.join(map(str, roles))}) is empty")
        rng = random.Random(seed)
        # a zero output weight on a kink, phantom or constant slot puts the sample in the D type as well (and
        # component_of names that one): redraw, unless the type forces it
        for _ in range(8):
            net = self._draw(roles, rng)
            if all(any(a) for a, role in zip(ShallowView.of(net).a, roles, strict=True) if role[0] != "D"):
                break
        return net

    def _draw(self, roles, rng: random.Random) -> Network:
        """One random member of the non-empty type ``roles`` (see :meth:`sample`)."""
        P = Pattern.of(roles, self.N)
        m, k = self.m, self.k

        def q() -> fmpq:
            return fmpq(rng.randint(-5, 5), rng.randint(1, 3))

        def pos() -> fmpq:
            return fmpq(rng.randint(1, 6), rng.randint(1, 3))

        negative_part, group_rows = self._solve_linear_part(P, roles, rng, q)
        a: list = [None] * len(roles)
        rows: list = [None] * len(roles)
        targets: dict = {}
        for i, role in enumerate(roles):
            if role[0] in ("K", "P"):
                targets.setdefault(role[:2], {1: [], -1: []})[role[2]].append(i)
        for (kind, g), sides in targets.items():
            t = negative_part[(kind, g)]
            total = self.K.kinks[g][1] if kind == "K" else (ZERO,) * k
            for side, share in ((-1, t), (1, vadd(total, t, fmpq(-1)))):
                slots = sides[side]
                for j, i in enumerate(slots):
                    kappa = share if j == len(slots) - 1 else tuple(q() for _ in range(k))
                    share = vadd(share, kappa, fmpq(-1))
                    mu = fmpq(1) if kind == "P" and i == min(s for v in sides.values() for s in v) else pos()
                    ref = self.K.kinks[g][0] if kind == "K" else group_rows[g]
                    rows[i] = tuple(side * mu * x for x in ref)
                    a[i] = tuple(x / mu for x in kappa)
        c = list(self.K.constant)
        for i, role in enumerate(roles):
            if role[0] == "D":
                a[i], rows[i] = (ZERO,) * k, tuple(q() for _ in range(m + 1))
            elif role[0] in ("C+", "C-"):
                b = pos() if role[0] == "C+" else -pos()
                a[i], rows[i] = tuple(q() for _ in range(k)), (ZERO,) * m + (b,)
            if role[0] == "C+" or (role[0] in ("K", "P") and role[2] < 0):
                c = [cr - ar * rows[i][-1] for cr, ar in zip(c, a[i], strict=True)]
        return ShallowView(tuple(a), tuple(r[:-1] for r in rows), tuple(r[-1] for r in rows), tuple(c)).network()

    def _solve_linear_part(self, P: Pattern, roles, rng, q) -> tuple[dict, dict]:
        """The negatively oriented kink $t$ of every hyperplane and group, and the rows $r_g$ of the groups."""
        m, k = self.m, self.k
        M = sorted(P.mixed)
        U = [self.u[h] for h in M]
        target = [[-x for x in row] for row in self.residual(P.negative)]
        # reduce the rows of -R_F modulo span U: E has zero entries in the pivot columns of rref(U)
        E = [list(row) for row in target]
        if U:
            Ur, r = rref(U)
            for i in range(r):
                piv = next(j for j in range(m) if Ur[i, j] != 0)
                for row in E:
                    coeff = row[piv]
                    for j in range(m):
                        row[j] -= coeff * Ur[i, j]
        T = []
        kernel = nullspace([[U[s][j] for s in range(len(M))] for j in range(m)]) if U else []
        for row, e in zip(target, E, strict=True):
            t = list(solve([[U[s][j] for s in range(len(M))] for j in range(m)],
                           [x - y for x, y in zip(row, e, strict=True)])) if U else []
            for z in kernel:
                # one coefficient per kernel vector: a fresh one per coordinate would leave the kernel
                coeff = q()
                t = [x + coeff * y for x, y in zip(t, z, strict=True)]
            T.append(t)
        B, rho = rref(E) if any(x for row in E for x in row) else (None, 0)
        terms = []
        for g in range(rho):
            piv = next(j for j in range(m) if B[g, j] != 0)
            terms.append((tuple(E[r][piv] for r in range(k)), tuple(B[g, j] for j in range(m))))
        negative_part: dict = {}
        for h in range(self.N):
            negative_part[("K", h)] = (self.K.kinks[h][1] if h in P.negative else
                                       tuple(T[r][M.index(h)] for r in range(k)) if h in P.mixed else (ZERO,) * k)
        group_rows: dict = {}
        signs: dict = {}
        for role in roles:
            if role[0] == "P":
                signs.setdefault(role[1], set()).add(role[2])
        for g in sorted(signs):
            if -1 in signs[g] and terms:
                t, w = terms.pop()
                negative_part[("P", g)] = t
            else:
                w = tuple(q() for _ in range(m))
                negative_part[("P", g)] = (ZERO,) * k
            b = q()
            group_rows[g] = tuple(w) + (b if b or any(w) else fmpq(1),)
        if terms:
            raise ParameterError("internal error: the linear part has rank above the mixed groups")
        return negative_part, group_rows


class _RhoProfile:
    """The ranks $\\rho(F) = \\operatorname{rank}(\\bar L + \\sum_{h \\in F}\\delta_h \\bar u_h^T)$ over the subsets $F$ of
    the non-mixed hyperplanes, in quotient coordinates ($k \\times m'$ matrices flattened)."""

    def __init__(self, k: int, mq: int, r: int, vecs: list, base: tuple, budget: int):
        self.k, self.mq, self.r, self.vecs, self.base, self.budget = k, mq, r, vecs, base, budget
        self._exhaustive = None
        self._zeros = None

    def _rank(self, flat: Sequence[fmpq]) -> int:
        return rank([flat[i * self.mq:(i + 1) * self.mq] for i in range(self.k)]) if self.mq else 0

    def _zero_sums(self) -> int:
        """$\\#\\{F : \\sum_F v_h = -\\bar L\\}$ by meet in the middle: $O(2^{|F|/2})$ exact vector additions."""
        half = len(self.vecs) // 2
        if 2 ** (len(self.vecs) - half) > self.budget:
            raise UndecidedError(f"subset sums over {len(self.vecs)} hyperplanes exceed the budget {self.budget}")
        if self._zeros is None:
            left = Counter(_subset_sums(self.vecs[:half], self.base))
            zero = (ZERO,) * len(self.base)
            self._zeros = sum(left[tuple(-x for x in s)] for s in _subset_sums(self.vecs[half:], zero))
        return self._zeros

    def _ranks(self) -> Counter:
        if self._exhaustive is None:
            if 2 ** len(self.vecs) > self.budget:
                raise UndecidedError(f"ranks of 2^{len(self.vecs)} residuals exceed the budget {self.budget} "
                                     f"(counting subsets of rank at most p is a counting subset-sum problem)")
            self._exhaustive = Counter(self._rank(s) for s in _subset_sums(self.vecs, self.base))
        return self._exhaustive

    def count_at_most(self, p: int) -> int:
        """$\\#\\{F : \\rho(F) \\le p\\}$."""
        if p >= min(self.k, self.mq):
            return 2 ** len(self.vecs)
        if p == 0:
            return self._zero_sums()
        return sum(c for rho, c in self._ranks().items() if rho <= p)

    def least_rho(self, p: int) -> int | None:
        """$\\min \\rho(F)$ over the $F$ with $\\rho(F) \\le p$, or ``None`` if there is none."""
        if self.count_at_most(0):
            return 0
        if p == 0:
            return None
        if min(self.k, self.mq) <= 1:
            return 1
        least = min(self._ranks())
        return least if least <= p else None


def _subset_sums(vecs: list, start: Sequence[fmpq]) -> list[tuple]:
    """Every subset sum of ``vecs`` plus ``start``, $2^{|vecs|}$ of them."""
    sums = [tuple(start)]
    for v in vecs:
        sums += [tuple(x + y for x, y in zip(s, v, strict=True)) for s in sums]
    return sums
