"""Which combinatorial types of a shallow fibre are non-empty; their dimensions, exact members and counts.

A type (:class:`~semialg.families.shallow.typed.TypeIndex`) puts each neuron slot of $\\theta'$ on a kink
hyperplane $h$ of $K(\\theta) = ((u_h, \\beta_h, \\delta_h)_h, L, d)$ with an orientation, in a phantom group
(parallel rows whose kinks cancel), dead (D) or constant (C$\\pm$). The types are pairwise disjoint: a slot
that is not dead has $a'_i \\neq 0$, and a phantom group has $w'_g \\neq 0$, a line that is no kink hyperplane
and no other group's (otherwise the point is of another type). In the coordinates
$\\kappa_i = \\mu_i a'_i \\neq 0$, $r'_i = s_i\\mu_i(u_h, \\beta_h)$ (or $s_i\\mu_i r_g$ in group $g$) its basic set
$B_\\tau$ is cut out by $\\sum_{i \\to h}\\kappa_i = \\delta_h$, $\\sum_{i \\in g}\\kappa_i = 0$, the constant
(solved by $c'$) and the linear part

$$\\sum_{h \\in M} t_h u_h^T + \\sum_{g \\text{ mixed}} t_g w_g^T = -R_F, \\qquad R_F = L + \\sum_{h \\in F}\\delta_h u_h^T,$$

where $F$ ($M$) are the kink hyperplanes whose slots are all negatively oriented (of both orientations),
$t$ is the kink carried by the negatively oriented slots, and a group is *mixed* when it has a negatively
oriented slot ($p$ of them). A side (the slots of one orientation on $h \\in M$ or in a mixed group) with a
single slot needs a non-zero share: $t_h \\neq 0$, $t_h \\neq \\delta_h$, $t_g \\neq 0$.

**Proposition.** Let $r = \\operatorname{rank}(u_h)_{h\\in M}$, $m' = m - r$, $\\rho$ the rank of $R_F$ modulo
$\\mathbb{R}^k \\otimes \\operatorname{span}(u_h)_{h \\in M}$ and $A = (t_g)$ the kinks of the mixed groups. Call
$h \\in M$ *rigid* when $u_h \\notin \\operatorname{span}(u_{h'})_{h' \\in M \\setminus h}$; for $\\rho = 0$ and $A = 0$ its
share is forced, $t_h = -R_F v_h$ with $u_{h'}\\cdot v_h = [h' = h]$ on $M$. The type is *stuck* when a mixed group has
a single-slot side, or $\\rho = 0$ and a rigid $h$ has a single-slot side whose forced share is $0$ (negative
side) or $\\delta_h$ (positive side). The ranks $a = \\operatorname{rank} A$ its members can have are
$\\rho \\le a \\le \\min(k, p)$, except $a = 0$ when stuck and $a = p \\ge 1$ when $r = \\rho = 0$ (then $A$ is
injective, so $w_g = 0$). $B_\\tau \\neq \\emptyset$ iff some rank is left, and

$$\\dim B_\\tau = d_0(m+1) + (n-d_0)(k+1) - kN + G(m-k) - kr - p(k+m') + \\max_a \\dim Y_p(\\rho, a),$$

with $d_0$ dead slots, $G$ groups and $\\dim Y_p(\\rho, a) = (a-\\rho)(k-a) + ap + m'(p-a)$ the dimension of the
rank-$a$ part of $\\{(A, B) \\in \\mathbb{R}^{k\\times p}\\times\\mathbb{R}^{m'\\times p} : AB^T = Q\\}$ for $Q$ of rank
$\\rho$ (column spaces containing that of $Q$, then $A$, then $B$ affine).
*Proof.* The map $(\\mu, \\kappa, r_g, \\dots) \\mapsto \\theta'$ is a diffeomorphism onto $B_\\tau$; the kink sums
are independent affine conditions; $T = (t_h)$ solves the linear part modulo its kernel of dimension
$k(|M| - r)$ exactly when the quotient equation $\\sum_g t_g \\bar w_g^T = -\\bar R_F$ is solvable, which
needs $\\operatorname{rank} \\le p$; the $w_g$ keep $pr$ free coordinates in the span. The conditions $\\neq$ are
open; each rank-$a$ part is irreducible, and on it they hold generically unless forced: a share of a non-rigid
$h$ moves with the kernel, one of a rigid $h$ by $A$ times the span coordinates of the $w_g$ (so only at
$A = 0$ is it forced), $t_g \\neq 0$ fails identically only at $a = 0$, $w_g$ (for $r = 0$: the columns of $B$)
only at $a = p$, $\\rho = 0$ ($B = 0$); the lines of the groups move with their free offsets $b_g$. $\\square$

**Counting** (:func:`~semialg.families.shallow.type_counts.types_with_pattern`). The number of types with a given
$(F, M, p)$ is
$n!\\,[x^n]\\,(e^x-1)^{N+|M|+2p}\\,e^{2x}\\exp(e^x-1)/(2^p p!)$ (exponential generating functions: a hyperplane
of $F$ or of the rest is a non-empty set of slots, one of $M$ has both orientations, $(e^x-1)^2$, a mixed
group contributes $(e^x-1)^2/2$, pure groups and free slots $e^{3x}\\exp(e^x-1-x)$); a side of at least two
slots is $e^x - 1 - x$. So the non-empty types are counted exactly by summing over the $3^N$ hyperplane
patterns, never over the types. A stuck type is empty only for $p \\le 1$ ($p = 1$: $M = \\emptyset$, $\\rho = 0$,
the group needs two slots on each side; $p = 0$: $\\rho = 0$ and each rigid $h$ with a forced share $0$ or
$\\delta_h$ needs two slots on that side, counted by inclusion–exclusion over exact subset sums).

>>> from semialg.families.shallow.canonical import canonical_form
>>> net = Network.from_arrays([[[1, 0], [0, 0]], [[0, 1]]], [[0, 0], [0]])   # zero function, 2-2-1
>>> G = TypeGeometry(canonical_form(net), 2)
>>> G.dimension(), G.type_dimension((("D",), ("C-",)))
(6, 5)
>>> G = TypeGeometry(canonical_form(Network.from_arrays([[[1]], [[1]]], [[0], [0]])), 3)   # relu(x), width 3
>>> G.type_dimension((("K", 0, 1), ("K", 0, -1), ("D",))), G.type_dimension((("K", 0, 1), ("D",), ("D",)))
(None, 5)
"""

from __future__ import annotations

import functools
import itertools
import math
import random
from collections import Counter
from dataclasses import dataclass
from typing import Iterator, Sequence

from flint import fmpq, fmpq_mat

from semialg.core.exact import dot, fingerprint, normalise_row, nullspace, rank, rref, solve, vadd
from semialg.core.network import Network
from semialg.errors import ParameterError, UndecidedError
from semialg.families.shallow.kink_tensors import KinkTensors
from semialg.families.shallow.residual_coefficients import ResidualCoefficients
from semialg.families.shallow.residual_ranks import LazyVectors, ResidualProfile
from semialg.families.shallow.type_counts import general_position, general_position_tail, types_with_pattern
from semialg.families.shallow.type_roles import role_error
from semialg.families.shallow.view import ZERO, ShallowView

__all__ = ["Pattern", "TypeGeometry", "allowed_ranks", "dim_bilinear_fibre"]


@dataclass(frozen=True)
class Pattern:
    """What the dimension and emptiness of a type depend on: $F$, $M$, uncovered kink hyperplanes, the
    numbers of dead slots, groups and mixed groups, the single-slot sides ``(h, s)`` of the hyperplanes of
    $M$ and the number of mixed groups with a single-slot side."""

    negative: frozenset
    mixed: frozenset
    uncovered: frozenset
    dead: int
    groups: int
    mixed_groups: int
    lone: frozenset = frozenset()
    lone_groups: int = 0

    @classmethod
    def of(cls, roles: Sequence[tuple], N: int) -> "Pattern":
        sides: dict = {h: Counter() for h in range(N)}
        groups: dict = {}
        for role in roles:
            if role[0] == "K":
                sides[role[1]][role[2]] += 1
            elif role[0] == "P":
                groups.setdefault(role[1], Counter())[role[2]] += 1
        signs = {h: set(c) for h, c in sides.items()}
        mixed = frozenset(h for h, s in signs.items() if s == {1, -1})
        return cls(frozenset(h for h, s in signs.items() if s == {-1}), mixed,
                   frozenset(h for h, s in signs.items() if not s),
                   sum(1 for r in roles if r[0] == "D"), len(groups),
                   sum(1 for c in groups.values() if c[-1]),
                   frozenset((h, s) for h in mixed for s in (1, -1) if sides[h][s] == 1),
                   sum(1 for c in groups.values() if c[-1] and 1 in (c[1], c[-1])))


def allowed_ranks(p: int, rho: int, k: int, r: int, stuck: bool) -> list[int]:
    """The ranks $a$ of the kinks $A = (t_g)$ of the $p$ mixed groups that members of a type can have (see the
    proposition of the module): $\\rho \\le a \\le \\min(k, p)$, not $0$ when ``stuck``, not $p \\ge 1$ when
    $r = \\rho = 0$.

    >>> allowed_ranks(1, 0, 1, 0, True), allowed_ranks(1, 0, 1, 0, False), allowed_ranks(2, 0, 2, 1, True)
    ([], [0], [1, 2])
    """
    low = max(rho, 1 if stuck else 0)
    return [a for a in range(low, min(k, p) + 1) if not (a == p >= 1 and r == 0 and rho == 0)]


def dim_bilinear_fibre(p: int, rho: int, k: int, m: int, a: int | None = None,
                       ranks: Sequence[int] | None = None) -> int | None:
    """$\\dim\\{(A, B) \\in \\mathbb{R}^{k\\times p}\\times\\mathbb{R}^{m\\times p} : AB^T = Q\\}$ for $Q$ of rank
    $\\rho$, or ``None`` when empty ($\\rho > p$); with ``a``, the dimension of its stratum $\\operatorname{rank} A = a$;
    with ``ranks``, the largest dimension of those strata (``None`` for none).

    >>> dim_bilinear_fibre(1, 0, 2, 2), dim_bilinear_fibre(1, 1, 2, 2), dim_bilinear_fibre(2, 1, 1, 1)
    (2, 1, 3)
    >>> dim_bilinear_fibre(1, 0, 1, 2, ranks=[1]), dim_bilinear_fibre(1, 0, 1, 2, ranks=[])
    (1, None)
    """
    if rho > p:
        return None
    if ranks is None:
        ranks = range(rho, min(k, p) + 1) if a is None else [a]
    return max(((a - rho) * (k - a) + a * p + m * (p - a) for a in ranks), default=None)


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
        self._dual_cache: dict = {}
        self.tensors = KinkTensors(K)

    @functools.cached_property
    def where(self) -> dict:
        """The number of each kink hyperplane by the :func:`~semialg.core.exact.fingerprint` of its key: built when a
        point is first located (3.4 s at 784-4096-10, where the fibre itself is built in a few)."""
        return {fingerprint(key): h for h, (key, _) in enumerate(self.K.kinks)}

    # -- the type of a point --------------------------------------------------------------------------------

    def type_of(self, net: Network) -> tuple:
        """The roles of the neurons of ``net``: dead ($a = 0$), constant ($w = 0$), on a kink hyperplane of
        $K$ with its orientation, or in a phantom group (numbered in order of appearance, oriented relative
        to its first neuron). Every member of the fibre lies in the component of this type and in no other.
        Cost: $O(n(m+k))$."""
        v = ShallowView.of(net)
        roles, phantoms = [], {}
        for i in range(v.n):
            if not any(v.a[i]):
                roles.append(("D",))
            elif not any(v.w[i]):
                roles.append(("C+",) if v.b[i] > 0 else ("C-",))
            else:
                key, _, s = normalise_row(v.w[i] + (v.b[i],))
                fp = fingerprint(key)
                if fp in self.where:
                    roles.append(("K", self.where[fp], s))
                else:
                    g, s0 = phantoms.setdefault(fp, (len(phantoms), s))
                    roles.append(("P", g, s * s0))
        return tuple(roles)

    # -- the linear-part condition -----------------------------------------------------------------------

    def residual(self, F) -> list[list[fmpq]]:
        """$R_F = L + \\sum_{h \\in F}\\delta_h u_h^T$ ($k \\times m$; one exact product $D_F^T U_F$, kept for the
        last few $F$: sampling and the emptiness test of one type ask for the same $F$ several times)."""
        key = tuple(sorted(F))
        cache = self.__dict__.setdefault("_residuals", {})
        if key not in cache:
            R = fmpq_mat([list(row) for row in self.K.linear]) if self.k and self.m else None
            if key and R is not None:
                D = fmpq_mat([[self.K.kinks[h][1][r] for h in key] for r in range(self.k)])
                R += D * fmpq_mat([list(self.u[h]) for h in key])
            if len(cache) > 64:
                cache.clear()
            cache[key] = [[R[r, j] for j in range(self.m)] for r in range(self.k)] if R is not None else \
                [[] for _ in range(self.k)]
        return [list(row) for row in cache[key]]

    def rho(self, F, M) -> int:
        """The rank of $R_F$ modulo $\\mathbb{R}^k \\otimes \\operatorname{span}(u_h)_{h \\in M}$."""
        U = [self.u[h] for h in sorted(M)]
        return rank(self.residual(F) + U) - rank(U)

    def duals(self, M) -> dict:
        """$\\{h: v_h\\}$ over the rigid $h \\in M$ ($u_h$ not in the span of the other $u_{h'}$, $h' \\in M$):
        $u_{h'}\\cdot v_h = [h' = h]$ on $M$."""
        M = tuple(sorted(M))
        if M not in self._dual_cache:
            U = [self.u[h] for h in M]
            sols = {h: solve(U, [fmpq(int(i == j)) for i in range(len(M))]) for j, h in enumerate(M)}
            self._dual_cache[M] = {h: v for h, v in sols.items() if v is not None}
        return self._dual_cache[M]

    def forced_shares(self, F, M) -> dict:
        """$\\{h: -R_F v_h\\}$ over the rigid $h \\in M$: the negatively oriented share $t_h$ when $\\rho = 0$ and
        the mixed groups carry no kink ($A = 0$)."""
        R = self.residual(F)
        return {h: tuple(-dot(row, v) for row in R) for h, v in self.duals(M).items()}

    def _stuck(self, P: Pattern, rho: int) -> bool:
        """Whether ``a = 0`` is excluded: a mixed group, or (when $\\rho = 0$) a rigid hyperplane of $M$, has a
        single-slot side whose share would be $0$."""
        if P.lone_groups:
            return True
        if rho or not P.lone:
            return False
        for h, t in self.forced_shares(P.negative, P.mixed).items():
            if ((h, -1) in P.lone and not any(t)) or ((h, 1) in P.lone and tuple(t) == tuple(self.K.kinks[h][1])):
                return True
        return False

    def ranks(self, roles) -> tuple[list[int], int, int]:
        """The allowed ranks of the kinks of the mixed groups (:func:`allowed_ranks`), $\\rho$ and $r$ of the
        type ``roles``; :class:`ParameterError` when ``roles`` is no type of the index (:func:`role_error`)."""
        if (why := role_error(roles, self.n, self.N)) is not None:
            raise ParameterError(f"not a type of width {self.n} over {self.N} kink hyperplanes: {why}")
        P = Pattern.of(roles, self.N)
        r = rank([self.u[h] for h in sorted(P.mixed)])
        rho = self.rho(P.negative, P.mixed)
        return allowed_ranks(P.mixed_groups, rho, self.k, r, self._stuck(P, rho)), rho, r

    def type_dimension(self, roles, stratum: int | None = None) -> int | None:
        """$\\dim B_\\tau$ by the proposition of the module, ``None`` when $B_\\tau = \\emptyset$; with ``stratum``
        $= a$, the dimension of the part of $B_\\tau$ where the kinks $(t_g)$ of the mixed groups have rank $a$."""
        ranks, rho, r = self.ranks(roles)
        if stratum is not None:
            ranks = [a for a in ranks if a == stratum]
        P = Pattern.of(roles, self.N)
        m, k, n, p = self.m, self.k, self.n, P.mixed_groups
        Y = dim_bilinear_fibre(p, rho, k, m - r, ranks=ranks)
        if Y is None:
            return None
        return (P.dead * (m + 1) + (n - P.dead) * (k + 1) - k * self.N + P.groups * (m - k) - k * r
                - p * (k + m - r) + Y)

    def is_nonempty(self, roles) -> bool:
        return self.type_dimension(roles) is not None

    # -- maxima and counts over all types, by hyperplane pattern --------------------------------------------

    def _mixed_sets(self, largest: int | None = None) -> Iterator[tuple[int, ...]]:
        """Every $M$ that fits (of at most ``largest`` hyperplanes): a mixed hyperplane takes two slots, so
        $|M| \\le n - N$. Raises
        :class:`~semialg.errors.UndecidedError` up front when they would cost more than the budget: $O(N)$ each
        for linearly independent normals (:meth:`~semialg.families.shallow.kink_tensors.KinkTensors.shares`), else
        a Gram kernel each ($(N + 1)^2/64$ units) and subset sums within the budget (:class:`ResidualProfile`)."""
        sizes = range(min(self.N, self.n - self.N, self.N if largest is None else largest) + 1)
        patterns = sum(math.comb(self.N, mu) for mu in sizes)
        cost = patterns if self.tensors.shares() is not None else patterns * (self.N + 1) ** 2 // 64   # a kernel each
        if cost > self.budget:
            raise UndecidedError(f"the {patterns} hyperplane patterns of {self.N} kinks in width {self.n} exceed the "
                                 f"budget {self.budget}" + ("" if self.tensors.shares() is not None else
                                                            " (dependent normals: a Gram kernel each)"))
        for size in sizes:
            yield from itertools.combinations(range(self.N), size)

    def _profile(self, M: tuple[int, ...]) -> ResidualProfile:
        m, k, fit = self.m, self.k, self.tensors.shares()

        @functools.cache
        def reduction() -> tuple:
            # the RREF of the normals of M and its pivots: only subset sums over projected vectors need it
            Ur, r = rref([self.u[h] for h in M]) if M else (None, 0)
            return Ur, [next(j for j in range(m) if Ur[i, j] != 0) for i in range(r)]

        def project(row: Sequence[fmpq]) -> list:
            # coordinates of row modulo span U: reduce by the RREF rows, keep the non-pivot columns
            Ur, pivots = reduction()
            row = list(row)
            for i, piv in enumerate(pivots):
                coeff = row[piv]
                if coeff:
                    row = [x - coeff * Ur[i, j] for j, x in enumerate(row)]
            return [x for j, x in enumerate(row) if j not in pivots]

        rest = [h for h in range(self.N) if h not in M]
        flat = lambda rows: tuple(x for row in rows for x in row)  # noqa: E731
        vecs = LazyVectors(len(rest), lambda t: flat([[d * x for x in project(self.u[rest[t]])]
                                                      for d in self.K.kinks[rest[t]][1]]))

        def rigid() -> list:
            # the forced share of a rigid h is -(L v_h + sum_F delta_h' (u_h'.v_h)): its subset-sum coordinates
            out = []
            for h, v in self.duals(M).items():
                Xv = self.tensors.rows() * fmpq_mat([[x] for x in v])     # u_g . v_h, then the rows of L times v_h
                out.append((tuple(Xv[self.N + i, 0] for i in range(k)), self.K.kinks[h][1],
                            [tuple(d * Xv[g, 0] for d in self.K.kinks[g][1]) for g in rest]))
            return out

        zeros = stuck = coefficients = None
        if fit is not None:   # independent normals (rank |M|): the counts factor over the hyperplanes
            ell, ok = fit.shares, fit.absorbed
            zeros = int(fit.inside and all(ok[h] for h in rest))
            stuck = {sum(ok[h] for h in M) if zeros else 0: zeros}
            coefficients = lambda: ResidualCoefficients(  # noqa: E731
                [(ell[h], vadd(ell[h], self.K.kinks[h][1])) for h in rest], fit.gram_perp.tolist(), self.budget)
        r = len(M) if fit is not None else len(reduction()[1])
        return ResidualProfile(k, m - r, r, vecs, lambda: flat([project(row) for row in self.K.linear]),
                               self.budget, rigid, gram=lambda: self.tensors.gram(rest, *reduction()), zeros=zeros,
                               stuck=stuck, coefficients=coefficients)

    def _options(self, prof: ResidualProfile, p: int, best: int | None, head: int) -> Iterator[tuple[int, int]]:
        """$(\\dim Y, s)$ over the ways of making a type of pattern $(M, p)$ non-empty, $s$ the slots it puts
        on sides beyond the minimal $N + |M| + 2p$ (the proposition: only $\\rho = 0$ has exclusions)."""
        k, mq, r = self.k, self.m - prof.r, prof.r
        if not prof.count_at_most(0):
            rho = prof.least_rho(p)
            if rho is not None:
                yield dim_bilinear_fibre(p, rho, k, mq), 0
            return
        stuck = dim_bilinear_fibre(p, 0, k, mq, ranks=allowed_ranks(p, 0, k, r, True))
        if stuck is not None:
            yield stuck, 0
        free = dim_bilinear_fibre(p, 0, k, mq, ranks=allowed_ranks(p, 0, k, r, False))
        if free is not None:       # two slots on each side of every mixed group, two on each stuck side
            yield free, 2 * p + min(j for j, c in prof.stuck_counts().items() if c)
        # p = 1, r = 0: a rank-one residual leaves a = 1 (dimension 1, dominated in every other case)
        if p == 1 and r == 0 and (best is None or head + 1 > best) and prof.count_at_most(1) > prof.count_at_most(0):
            yield 1, 0

    def dimension(self) -> int:
        """$\\max_\\tau \\dim B_\\tau$ over the non-empty types.

        Per pattern the best type has the fewest slots on hyperplanes and groups ($N + |M| + 2p$, plus the
        sides that must not be single, :meth:`_options`) and every other slot dead (if $m \\ge k$) or
        constant: each such slot adds $\\max(m, k) + 1$, a slot on a side $k + 1$; and $\\dim Y_p(\\rho)$
        decreases with $\\rho$, so only the least attainable $\\rho$ matters (and $\\rho = 1$ for $p = 1$, $r = 0$).
        Cost: per $M$ (at most $\\sum_{\\mu \\le n - N}\\binom{N}{\\mu}$ of them) an exact meet-in-the-middle subset sum,
        $O(2^{(N-|M|)/2})$ vector additions, $3^{\\#\\text{rigid}}$ of them when $\\rho = 0$ is attained; for
        $k, m' \\ge 2$ and $\\rho \\ge 1$ the spans of the coefficient matrices when the normals are independent
        (:mod:`~semialg.families.shallow.residual_coefficients`), else an exhaustive search.
        """
        m, k, n, N = self.m, self.k, self.n, self.N
        best = None
        for M in self._mixed_sets():
            prof = self._profile(M)
            r = prof.r
            for p in range((n - N - len(M)) // 2 + 1):
                extra = n - N - len(M) - 2 * p
                head = ((N + len(M)) * (k + 1) - k * N + p * (2 + r) - k * r + extra * (max(m, k) + 1))
                for Y, spent in self._options(prof, p, best, head):
                    if spent <= extra:
                        d = head + Y - spent * (max(m, k) - k)
                        best = d if best is None else max(best, d)
        return best

    def count(self, live: bool = False) -> int:
        """The exact number of non-empty types: per pattern $(M, p)$, $\\#\\{F : \\rho(F, M) \\le p\\}$ times the number
        of types with that pattern, less the stuck ones of the proposition ($p \\le 1$, $\\rho = 0$); with ``live``,
        of those without dead or constant slots (whether a type is empty depends on its pattern alone).
        Cost as :meth:`dimension`, plus $O(n^2)$ rational operations per pattern; with the normals in general
        position only the $M$ of at most $m$ hyperplanes are visited (:mod:`~semialg.families.shallow.type_counts`).
        Kept once computed."""
        memo = self.__dict__.setdefault("_counts", {})
        if live not in memo:
            tail = general_position(self) and self.uniform_tail
            memo[live] = self._count(live, self.m if tail else None) + \
                (general_position_tail(self, live) if tail else 0)
        return memo[live]

    #: whether :meth:`count` uses the closed form for the $M$ of more than $m$ hyperplanes in general position
    uniform_tail = True

    def _count(self, live: bool, largest: int | None) -> int:
        n, N = self.n, self.N
        total = 0
        for M in self._mixed_sets(largest):
            prof = self._profile(M)
            for p in range((n - N - len(M)) // 2 + 1):
                if p == 0:
                    total += sum(c * types_with_pattern(n, N, len(M), 0, tight=j, live=live)
                                 for j, c in prof.stuck_counts().items())
                elif p == 1 and not M:
                    zero = prof.count_at_most(0)
                    total += ((prof.count_at_most(1) - zero) * types_with_pattern(n, N, 0, 1, live=live)
                              + zero * types_with_pattern(n, N, 0, 1, balanced=True, live=live))
                else:
                    total += prof.count_at_most(p) * types_with_pattern(n, N, len(M), p, live=live)
        return total

    def count_all(self) -> int:
        """The number of types, empty or not (the sum over patterns without the rank test)."""
        n, N = self.n, self.N
        return sum(math.comb(N, mu) * 2 ** (N - mu) * types_with_pattern(n, N, mu, p)
                   for mu in range(N + 1) for p in range((n - N - mu) // 2 + 1) if N + mu <= n)

    # -- exact members ------------------------------------------------------------------------------------

    #: draws :meth:`sample` makes before it gives up (a draw fails only on a random coincidence)
    DRAWS = 64

    def sample(self, roles, seed: int | None = None) -> Network:
        """An exact member of $B_\\tau$ with random free coordinates (:class:`ParameterError` when empty).

        Construction: choose the rank $a$ of the mixed groups' kinks of largest dimension among the allowed
        ones, solve the linear-part condition (the quotient residual split into $p$ rank-one terms
        $t_g w_g^T$ of rank $a$, random span coordinates of the $w_g$, a particular $T$ plus a random kernel
        element), split each kink $\\delta_h$ (each group's $0$) into non-zero parts between its slots with the
        prescribed negatively oriented part, choose random scales $\\mu_i > 0$ and solve the constant for $c'$.
        A draw whose type (:meth:`type_of`) is not ``roles`` — a random coincidence such as a zero share — is
        drawn again. Cost: $O(n(m+k) + (m+k)^3)$ exact operations per draw.
        """
        ranks, rho, r = self.ranks(roles)
        if not ranks:
            raise ParameterError(f"the component of type ({', '.join(map(str, roles))}) is empty")
        p = Pattern.of(roles, self.N).mixed_groups
        a = max(ranks, key=lambda a: dim_bilinear_fibre(p, rho, self.k, self.m - r, a))
        rng = random.Random(seed)
        for _ in range(self.DRAWS):
            net = self._draw(roles, a, rng)
            if net is not None and self.type_of(net) == tuple(roles):
                return net
        raise ParameterError(f"internal error: {self.DRAWS} draws of type ({', '.join(map(str, roles))}) "
                             f"missed it")

    def _draw(self, roles, a: int, rng: random.Random) -> Network | None:
        """One random member of the non-empty type ``roles`` with mixed-group kinks of rank ``a`` (see
        :meth:`sample`), ``None`` on a degenerate random choice."""
        P = Pattern.of(roles, self.N)
        m, k = self.m, self.k

        def q() -> fmpq:
            return fmpq(rng.randint(-5, 5), rng.randint(1, 3))

        def pos() -> fmpq:
            return fmpq(rng.randint(1, 6), rng.randint(1, 3))

        solved = self._solve_linear_part(P, roles, a, rng, q)
        if solved is None:
            return None
        negative_part, group_rows = solved
        a_out: list = [None] * len(roles)
        rows: list = [None] * len(roles)
        targets: dict = {}
        for i, role in enumerate(roles):
            if role[0] in ("K", "P"):
                targets.setdefault(role[:2], {1: [], -1: []})[role[2]].append(i)
        for (kind, g), sides in targets.items():
            t = negative_part[(kind, g)]
            total = self.K.kinks[g][1] if kind == "K" else (ZERO,) * k
            first = min(s for v in sides.values() for s in v)
            for side, share in ((-1, t), (1, vadd(total, t, fmpq(-1)))):
                slots = sides[side]
                for j, i in enumerate(slots):
                    kappa = share if j == len(slots) - 1 else tuple(q() for _ in range(k))
                    share = vadd(share, kappa, fmpq(-1))
                    mu = fmpq(1) if kind == "P" and i == first else pos()
                    ref = self.K.kinks[g][0] if kind == "K" else group_rows[g]
                    rows[i] = tuple(side * mu * x for x in ref)
                    a_out[i] = tuple(x / mu for x in kappa)
        c = list(self.K.constant)
        for i, role in enumerate(roles):
            if role[0] == "D":
                a_out[i], rows[i] = (ZERO,) * k, tuple(q() for _ in range(m + 1))
            elif role[0] in ("C+", "C-"):
                b = pos() if role[0] == "C+" else -pos()
                a_out[i], rows[i] = tuple(q() for _ in range(k)), (ZERO,) * m + (b,)
            if role[0] == "C+" or (role[0] in ("K", "P") and role[2] < 0):
                c = [cr - ar * rows[i][-1] for cr, ar in zip(c, a_out[i], strict=True)]
        return ShallowView(tuple(a_out), tuple(r[:-1] for r in rows), tuple(r[-1] for r in rows),
                           tuple(c)).network()

    def _solve_linear_part(self, P: Pattern, roles, a: int, rng, q) -> tuple[dict, dict] | None:
        """The negatively oriented kink $t$ of every hyperplane and group, and the rows $r_g$ of the groups, with
        the kinks of the mixed groups of rank ``a`` (``None`` on a degenerate random choice)."""
        m, k = self.m, self.k
        M = sorted(P.mixed)
        U = [self.u[h] for h in M]
        target = [[-x for x in row] for row in self.residual(P.negative)]
        # reduce the rows of -R_F modulo span U: E has zero entries in the pivot columns of rref(U)
        E = [list(row) for row in target]
        pivots: list = []
        if U:
            Ur, r = rref(U)
            for i in range(r):
                piv = next(j for j in range(m) if Ur[i, j] != 0)
                pivots.append(piv)
                for row in E:
                    coeff = row[piv]
                    for j in range(m):
                        row[j] -= coeff * Ur[i, j]
        signs: dict = {}
        for role in roles:
            if role[0] == "P":
                signs.setdefault(role[1], set()).add(role[2])
        mixed = [g for g in sorted(signs) if -1 in signs[g]]
        columns = _rank_one_terms(E, len(mixed), a, [j for j in range(m) if j not in pivots], rng, q)
        if columns is None:
            return None
        negative_part: dict = {}
        group_rows: dict = {}
        kinks: list = []
        for g in sorted(signs):
            t, w = columns[mixed.index(g)] if g in mixed else ((ZERO,) * k, tuple(q() for _ in range(m)))
            if g in mixed:   # random span coordinates: the kernel of the quotient map
                for u in U:
                    w = vadd(w, u, q())
                kinks.append((t, w))
            negative_part[("P", g)] = t
            group_rows[g] = tuple(w) + (q(),)
        # T U = -R_F - sum_g t_g w_g^T: the right-hand side lies in R^k (x) span U by construction
        T = []
        cols = [[U[s][j] for s in range(len(M))] for j in range(m)]
        kernel = nullspace(cols) if U else []
        for r_, row in enumerate(target):
            rhs = [x - sum((t[r_] * w[j] for t, w in kinks), ZERO) for j, x in enumerate(row)]
            sol = solve(cols, rhs) if U else ()
            if sol is None:
                raise ParameterError("internal error: the linear part is not solvable on the span")
            t = list(sol)
            for z in kernel:
                # one coefficient per kernel vector: a fresh one per coordinate would leave the kernel
                coeff = q()
                t = [x + coeff * y for x, y in zip(t, z, strict=True)]
            T.append(t)
        for h in range(self.N):
            negative_part[("K", h)] = (self.K.kinks[h][1] if h in P.negative else
                                       tuple(T[r][M.index(h)] for r in range(k)) if h in P.mixed else (ZERO,) * k)
        return negative_part, group_rows


def _rank_one_terms(E, p: int, a: int, free: list, rng, q) -> list | None:
    """$p$ pairs $(t_g, w_g)$ with $\\sum_g t_g w_g^T = E$, $\\operatorname{rank}(t_g) = a \\ge \\operatorname{rank} E$,
    the $w_g$ zero outside the columns ``free``: a rank decomposition of $E$ padded with new directions and
    combinations, mixed by a random invertible $G$ ($A \\mapsto AG$, $B \\mapsto BG^{-T}$), plus a random
    element of $\\ker A \\otimes \\mathbb{R}^{m'}$ ($B^T \\mapsto B^T + n z^T$). ``None`` on a degenerate draw."""
    k, m = len(E), len(E[0]) if E else 0
    if any(x for row in E for x in row):
        B, rho = rref(E)
    else:
        B, rho = None, 0
    if p == 0:
        return [] if rho == 0 else None
    A0, W0 = [], []
    for g in range(rho):
        piv = next(j for j in range(m) if B[g, j] != 0)
        A0.append(tuple(E[r][piv] for r in range(k)))
        W0.append(tuple(B[g, j] for j in range(m)))
    while len(A0) < a:
        t = tuple(q() for _ in range(k))
        if rank(A0 + [t]) > len(A0):
            A0.append(t)
            W0.append((ZERO,) * m)
    while len(A0) < p:
        A0.append(tuple(sum((q() * x[r] for x in A0[:a]), ZERO) for r in range(k)))
        W0.append((ZERO,) * m)
    G = fmpq_mat(p, p, [q() for _ in range(p * p)])
    if G.det() == 0:
        return None
    Gi = G.inv()
    A = [tuple(sum((A0[i][r] * G[i, g] for i in range(p)), ZERO) for r in range(k)) for g in range(p)]
    W = [[sum((W0[i][j] * Gi[g, i] for i in range(p)), ZERO) for j in range(m)] for g in range(p)]
    for n_ in nullspace([[A[g][r] for g in range(p)] for r in range(k)]):
        z = [q() if j in free else ZERO for j in range(m)]
        W = [[x + n_[g] * z[j] for j, x in enumerate(W[g])] for g in range(p)]
    return [(A[g], tuple(W[g])) for g in range(p)]
