r"""Case (b), $n_1 = 1$: the combinatorial types of $\theta'$ in the fibre of any ridge parameter.

$f_{\theta'}(x) = G'(\sigma(w'\cdot x + b'))$, $G'(t) = \sum_j c'_j\sigma(v'_jt + e'_j) + d'$. If $f_\theta$ is not
constant its profile $\varphi$ (:func:`~semialg.families.bottleneck.ridge.ridge_profile`) has breakpoints
$y_1 < \dots < y_m$ with jumps $\Delta_k \ne 0$, and $f_{\theta'} = f_\theta$ iff $w' = \lambda u$ and
$G'(t) = \varphi((t - b')/\lambda)$ on $t \ge 0$ with every breakpoint $z_k = \lambda y_k + b' \ge 0$ and
$\varphi$ flat on the side $z \le 0$ (branch *direct* $\lambda > 0$ needs $\varphi$ flat on the left, *reflected*
$\lambda < 0$ on the right). The first breakpoint in $z$-order is either *at* $H$ ($z = 0$, anchor ``H``: the
slope of $G'$ at $0^+$ makes its jump) or beyond it (anchor ``free``: every breakpoint is a kink of $G'$).

A type assigns every second-layer slot a role on $t \ge 0$: ``D`` ($c' = 0$), ``C+``/``C-`` ($v' = 0$, $e' > 0$ /
$e' \le 0$), ``Z`` ($v' < 0$, $e' \le 0$), ``A`` ($v' > 0$, $e' \ge 0$), ``("K", k, s)`` a kink at breakpoint $k$
(class K+ for $s = 1$: $v' > 0 > e'$, K− for $s = -1$: $v' < 0 < e'$) or ``("P", g, s)`` a kink in the $g$-th
*phantom* group (a point $\tau > 0$ where at least two kinks cancel). Writing $x_j = c'_jv'_j$, a type is
non-empty iff its linear system — per group $\sum s_jx_j = $ jump (or $0$), and the slope at $0^+$
$\sum_{A\cup K^-}x_j = T$ — has a solution with every $x_j \ne 0$; with $R$ the sum of the jumps of the
breakpoints served by K− kinks only and $M$ the groups with kinks of both classes this is (:func:`nonempty`):
$|A| \ge 2$; or $|A| = 1$ and ($M \ne \emptyset$ or $T + R \ne 0$); or $|A| = 0$ and ($M = \emptyset$, $T + R = 0$;
or $|M| \ge 2$; or $M = \{G\}$ with ($n^-_G \ge 2$ or $T + R \ne 0$) and ($n^+_G \ge 2$ or $T + R + t_G \ne 0$)).
Constant $f$: ``constant`` ($w' \ne 0$, $G'$ constant on $t \ge 0$, the same roles without breakpoints) and
``zero-``/``zero+`` ($w' = 0$, $b' \le 0$ / $b' > 0$: each slot ``on`` or ``off`` at $t = \sigma(b')$).

>>> net = Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])
>>> T = RidgeTypes(net); T.count(), T.dimension()
(8, 4)
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass

from flint import fmpq, fmpq_series

from semialg.core.exact import fingerprint, normalise_row
from semialg.core.network import Network
from semialg.errors import UndecidedError
from semialg.families.bottleneck.ridge import ridge_profile
from semialg.families.bottleneck.views import RidgeView, Vec, _ZERO, _first_nonzero, _vadd

__all__ = ["RidgeBranch", "RidgeTypes", "nonempty", "type_dimension"]

FREE_ROLES = ("A", "Z", "D", "C+", "C-")   # A first: types with two A slots are never empty


@dataclass(frozen=True)
class RidgeBranch:
    """One family of types: ``name`` (direct, reflected, constant, zero-, zero+), ``anchor`` (``H``, ``free``
    or ``None``), the breakpoints that need kinks (``ys`` in $z$-order, with ``jumps``), ``first`` (the $y$ of
    the first breakpoint in $z$-order), the slope target ``T`` at $0^+$, the ``flat`` value of $f$ on
    $z \\le 0$ and the ``sign`` of $\\lambda$."""

    name: str
    anchor: str | None
    ys: tuple[fmpq, ...]
    jumps: tuple[Vec, ...]
    first: fmpq | None
    T: Vec
    flat: Vec
    sign: int

    @property
    def one_dimensional(self) -> bool:
        return self.name not in ("zero-", "zero+")


def _groups(roles) -> dict:
    """``{("K", k) or ("P", g): [signs of its members]}``."""
    out: dict = {}
    for r in roles:
        if isinstance(r, tuple):
            out.setdefault(r[:2], []).append(r[2])
    return out


def nonempty(branch: RidgeBranch, roles) -> bool:
    """Whether the type ``roles`` of ``branch`` has a member (exact; the criterion of the module docstring).
    Cost: $O(n_2 n_3)$."""
    if not branch.one_dimensional:
        return True
    groups = _groups(roles)
    if any(len(groups.get(("K", k), ())) == 0 for k in range(len(branch.ys))):
        return False
    if any(key[0] == "P" and len(s) < 2 for key, s in groups.items()):
        return False
    n_a = sum(1 for r in roles if r == "A")
    TR = branch.T
    for (kind, k), signs in groups.items():
        if kind == "K" and all(s < 0 for s in signs):
            TR = _vadd(TR, branch.jumps[k])
    mixed = [(key, signs) for key, signs in groups.items() if 1 in signs and -1 in signs]
    if n_a >= 2:
        return True
    if n_a == 1:
        return bool(mixed) or any(TR)
    if not mixed:
        return not any(TR)
    if len(mixed) >= 2:
        return True
    (kind, k), signs = mixed[0]
    t = branch.jumps[k] if kind == "K" else (_ZERO,) * len(TR)
    n_minus, n_plus = signs.count(-1), signs.count(1)
    return (n_minus >= 2 or any(TR)) and (n_plus >= 2 or any(_vadd(TR, t)))


def type_dimension(branch: RidgeBranch, roles, n0: int, n3: int) -> int:
    r"""The dimension of the (non-empty) type: $1$ for $\lambda$ ($n_0$ for $w' \ne 0$ when $f$ is constant) and
    $[\text{anchor free}]$ for $b'$, then $2$ per D slot, $1 + n_3$ per C or kink slot, $2 + n_3$ per Z or A slot,
    $1$ per phantom position, $-n_3$ per group equation and $-n_3$ for the slope at $0^+$ when it is independent
    of the group equations ($|A| \ge 1$ or $M \ne \emptyset$); $d'$ is solved from the value at $0$. The
    equations have constant rank on the type (their $c'$-Jacobian is $v'$ times the identity), so this is
    the dimension at each of its points."""
    if not branch.one_dimensional:
        return 1 + len(roles) * (n3 + 2)
    base = (n0 + 1) if branch.name == "constant" else 1 + (branch.anchor == "free")
    slot = {"D": 2, "C+": 1 + n3, "C-": 1 + n3, "Z": 2 + n3, "A": 2 + n3}
    dim = base + sum(slot.get(r, 1 + n3) if not isinstance(r, tuple) else 1 + n3 for r in roles)
    groups = _groups(roles)
    dim += sum(1 for key in groups if key[0] == "P") - n3 * len(groups)
    mixed = any(1 in s and -1 in s for s in groups.values())
    if "A" in roles or mixed:
        dim -= n3
    return dim


class RidgeTypes:
    """The branches of a case-(b) parameter and the lazy set of its non-empty types.

    Iterating yields ``(branch name, anchor, roles)`` for every non-empty type; :meth:`count` counts them
    exactly without enumerating them, :meth:`dimension` is the largest type dimension. ``4 * budget`` bounds the
    number of partial subset sums of the jumps kept per half while counting, after the jumps that no zero sum
    contains are set aside and the sums that cannot vanish (by range or residue) are dropped (exceeded:
    :class:`UndecidedError`, the genuinely exponential case).
    """

    def __init__(self, net: Network, budget: int = 2 ** 16):
        self.net, self.budget = net, budget
        self.n0, _, self.n2, self.n3 = net.widths
        self.profile = P = ridge_profile(net)
        k = self.n3
        zero = (_ZERO,) * k
        if P.is_constant:
            self.direction, self.p = None, None
            K = P.value_at_zero
            self.branches = {("constant", None): RidgeBranch("constant", None, (), (), None, zero, K, 0),
                             ("zero-", None): RidgeBranch("zero-", None, (), (), None, zero, K, 0),
                             ("zero+", None): RidgeBranch("zero+", None, (), (), None, zero, K, 0)}
            return
        self.direction, self.p = P.direction, _first_nonzero(P.direction)
        bps = list(P.breakpoints)
        right = P.left_slope
        for _, jump in bps:
            right = _vadd(right, jump)
        self.branches = {}
        for name, sign, order, slope in (("direct", 1, bps, P.left_slope),
                                         ("reflected", -1, bps[::-1], right)):
            if any(slope):
                continue
            flat = P(order[0][0])
            y0, j0 = order[0]
            self.branches[(name, "H")] = RidgeBranch(name, "H", tuple(y for y, _ in order[1:]),
                                                     tuple(j for _, j in order[1:]), y0, j0, flat, sign)
            self.branches[(name, "free")] = RidgeBranch(name, "free", tuple(y for y, _ in order),
                                                        tuple(j for _, j in order), y0, zero, flat, sign)

    def __repr__(self) -> str:
        names = ", ".join(f"{n} ({a})" if a else n for n, a in self.branches)
        return f"the non-empty types of theta' on the branches {names}"

    # -- enumeration ------------------------------------------------------------------------------------------

    def roles(self, branch: RidgeBranch):
        """Every role assignment of ``branch`` (empty types included), lazily."""
        n = self.n2
        if not branch.one_dimensional:
            yield from _product(("on", "off"), n)
            return
        m = len(branch.ys)
        base = list(FREE_ROLES) + [("K", k, s) for k in range(m) for s in (1, -1)]

        def extend(prefix: list, covered: frozenset, sizes: tuple):
            # prune: the slots left must serve every uncovered breakpoint and complete every one-kink phantom
            if n - len(prefix) < m - len(covered) + sizes.count(1):
                return
            if len(prefix) == n:
                yield tuple(prefix)
                return
            for role in base + [("P", g, s) for g in range(len(sizes) + 1) for s in (1, -1)]:
                if isinstance(role, tuple) and role[0] == "P":
                    g = role[1]
                    grown = sizes[:g] + (sizes[g] + 1,) + sizes[g + 1:] if g < len(sizes) else sizes + (1,)
                    yield from extend(prefix + [role], covered, grown)
                elif isinstance(role, tuple):
                    yield from extend(prefix + [role], covered | {role[1]}, sizes)
                else:
                    yield from extend(prefix + [role], covered, sizes)

        yield from extend([], frozenset(), ())

    def __iter__(self):
        for (name, anchor), branch in self.branches.items():
            if self._branch_count(branch) == 0:
                continue                      # else the search below may visit exponentially many empty types
            for roles in self.roles(branch):
                if nonempty(branch, roles):
                    yield name, anchor, roles

    def __len__(self) -> int:
        return self.exact_size

    @property
    def exact_size(self) -> int:
        return self.count()

    # -- counting without enumeration -----------------------------------------------------------------------

    def _zero_sums(self, branch: RidgeBranch) -> list[int]:
        """``Z[s]``: the number of $S$ of ``s`` needed breakpoints with $T + \\sum_S \\Delta = 0$."""
        return self._subset_sums(branch)[0]

    def zero_sum_witness(self, branch: RidgeBranch) -> tuple[int, ...] | None:
        """One $S$ with $T + \\sum_S \\Delta = 0$, or ``None``: ``None`` at once when in some coordinate $T$ plus
        every negative (positive) jump stays positive (negative); else the counting search, and when its budget
        is exceeded a search for existence only with four times the budget per half."""
        for r, t in enumerate(branch.T):
            low = t + sum((min(d[r], _ZERO) for d in branch.jumps), _ZERO)
            high = t + sum((max(d[r], _ZERO) for d in branch.jumps), _ZERO)
            if low > 0 or high < 0:
                return None
        try:
            return self._subset_sums(branch)[1]
        except UndecidedError:
            return self._witness_search(branch, 4 * self.budget)

    def _witness_search(self, branch: RidgeBranch, budget: int) -> tuple[int, ...] | None:
        """Meet in the middle for existence: the distinct sums $T + \\sum_{S_1}\\Delta$ of the first half against
        $-\\sum_{S_2}\\Delta$ of the second (at most ``budget`` each, else :class:`UndecidedError`)."""
        half = len(branch.jumps) // 2
        sides = []
        for jumps, start, offset, sign in ((branch.jumps[:half], branch.T, 0, 1),
                                           (branch.jumps[half:], (_ZERO,) * self.n3, half, -1)):
            sums = {fingerprint(start): (start, ())}
            for k, jump in enumerate(jumps, start=offset):
                for total, w in list(sums.values()):
                    s2 = _vadd(total, jump, fmpq(sign))
                    sums.setdefault(fingerprint(s2), (s2, w + (k,)))
                if len(sums) > budget:
                    raise UndecidedError(f"whether T plus a subset sum of the {len(branch.jumps)} jumps vanishes: "
                                         f"more than {budget} distinct sums of half of them")
            sides.append(sums)
        for key, (_, w) in sides[0].items():
            if key in sides[1]:
                return w + sides[1][key][1]
        return None

    @functools.lru_cache(maxsize=None)  # noqa: B019 - one instance per fibre, a handful of branches
    def _subset_sums(self, branch: RidgeBranch) -> tuple[list[int], tuple[int, ...] | None]:
        """The counts by size and one witness of the $S$ with $T + \\sum_S \\Delta = 0$, exactly. The jumps that no
        such $S$ contains are set aside by valuations (:func:`_valuation_survivors`); the others, scaled per
        coordinate to integers by the least common denominator, meet in the middle: each half's partial sums by
        dynamic programming (:meth:`_half_sums`), keeping only those that the rest of the half and the other
        half can still bring to $0$ — by range, and by residue: the jumps still to come are multiples of their
        gcd $g$, so a partial sum of the first half must be $\\equiv 0 \\bmod g$ (the rest of it and all of the
        second half), one of the second half $\\equiv -\\ell \\bmod g$ (the rest of it) for some sum $\\ell$ of the
        first. The jumps are ordered by decreasing denominator and the halves are contiguous, so the jumps
        sharing a rare prime power in their denominators come first and together: once they are placed only the
        partial sums where that prime power cancels survive (the $p$-adic digit of the sum). Pseudo-polynomial
        for jumps on a coarse grid, $O(2^{m/2})$ sums at most; counts by size packed into one integer (base
        $2^{m+1}$) with a witness mask; matching sums multiply their packed counts (a product of polynomials).
        At most ``4 * budget`` sums per half, else :class:`UndecidedError`."""
        m, n3 = len(branch.ys), self.n3
        keep = _valuation_survivors(branch.T, branch.jumps)
        if keep is None:
            return [0] * (m + 1), None
        scale = [math.lcm(*([branch.T[r].q] + [branch.jumps[k][r].q for k in keep])) for r in range(n3)]
        ints = {k: tuple(int(x * s) for x, s in zip(branch.jumps[k], scale, strict=True)) for k in keep}
        T = tuple(int(x * s) for x, s in zip(branch.T, scale, strict=True))
        order = sorted(keep, key=lambda k: (-math.prod(x.q for x in branch.jumps[k]),
                                            -max(abs(x) for x in ints[k])))
        halves = order[:len(order) // 2], order[len(order) // 2:]
        span = [_span([ints[k] for k in h], n3) for h in halves]
        B = m + 1
        right_gcd = _gcds([ints[k] for k in halves[1]], n3)
        left = self._half_sums(halves[0], ints, T, span[1], B, lambda g, _: (0,) * n3, right_gcd)
        residues: dict = {}

        def allowed(g: tuple, total: tuple) -> tuple:
            # the residues mod g of the sums -l of the first half (g = 0: exactly)
            if g not in residues:
                residues[g] = {tuple(-x % q if q else -x for x, q in zip(lt, g, strict=True)) for lt in left}
            return residues[g]
        right = self._half_sums(halves[1], ints, (0,) * n3, tuple(
            (t + lo, t + hi) for t, (lo, hi) in zip(T, span[0], strict=True)), B, allowed, (0,) * n3)
        packed, witness = 0, None
        for total, (cl, ml) in left.items():
            match = right.get(tuple(-x for x in total))
            if match is not None:
                packed += cl * match[0]
                witness = ml | match[1] if witness is None else witness
        counts = [(packed >> (B * j)) & ((1 << B) - 1) for j in range(m + 1)]
        return counts, None if witness is None else tuple(k for k in range(m) if witness >> k & 1)

    def _half_sums(self, half: list[int], ints: dict, start: tuple, outside: tuple, B: int, allowed,
                   beyond: tuple) -> dict:
        """``{partial sum: (packed counts by size, witness mask)}`` of ``start`` plus the subsets of ``half``,
        every sum dropped that the jumps still to come in ``half`` and the range ``outside`` (per coordinate)
        cannot bring to $0$, or whose residue modulo $g$ — the gcd of the jumps still to come and ``beyond``
        (per coordinate) — is not ``allowed(g, sum)`` (a tuple: the only residue; or a set of them)."""
        from tqdm.auto import tqdm
        n3, limit = len(start), 4 * self.budget
        rest = [_span([ints[k] for k in half[i:]], n3) for i in range(len(half) + 1)]
        gcds = [tuple(math.gcd(a, b) for a, b in zip(_gcds([ints[k] for k in half[i:]], n3), beyond, strict=True))
                for i in range(len(half) + 1)]
        states = {start: (1, 0)}
        with tqdm(total=len(half), desc="subset sums", unit="jump", disable=None, leave=False) as bar:
            for i, k in enumerate(half):
                bounds = [(lo + a, hi + b) for (lo, hi), (a, b) in zip(rest[i + 1], outside, strict=True)]
                g = gcds[i + 1]
                jump, bit, new = ints[k], 1 << k, {}
                for total, (counts, mask) in states.items():
                    for s2, c2, w2 in ((total, counts, mask),
                                       (tuple(a + b for a, b in zip(total, jump)), counts << B, mask | bit)):
                        if any(x + lo > 0 or x + hi < 0 for x, (lo, hi) in zip(s2, bounds)):
                            continue
                        ok = allowed(g, s2)
                        res = tuple(x % q if q else x for x, q in zip(s2, g))
                        if res != ok if type(ok) is tuple else res not in ok:
                            continue
                        old = new.get(s2)
                        new[s2] = (c2, w2) if old is None else (old[0] + c2, old[1])
                states = new
                bar.update()
                if len(states) > limit:
                    raise UndecidedError(f"counting the fibre's components: more than {limit} partial subset sums "
                                         f"of {len(half)} jumps can still vanish (after {i + 1} of them)")
        return states

    def _branch_count(self, branch: RidgeBranch) -> int:
        r"""Exponential generating functions in the slot count: $E = e^{4x}\exp(2(e^x - 1 - x))$ (D, C±, Z slots
        and one-class phantom groups), $u = e^x - 1$ (the kinks of one class at a breakpoint), $u^2$ (a group with
        both classes), split by $n^\pm = 1$ ($x$) or $\ge 2$ ($w = u - x$) where the criterion needs it."""
        n = self.n2
        if not branch.one_dimensional:
            return 2 ** n
        m = len(branch.ys)
        Zs = self._zero_sums(branch)
        with _Series(n) as S:
            return self._series_count(S, n, m, Zs)

    @staticmethod
    def _series_count(S: "_Series", n: int, m: int, Zs: list[int]) -> int:
        Z, ZS = sum(Zs), sum(s * z for s, z in enumerate(Zs))
        N = m * 2 ** (m - 1) if m else 0
        a1, a2 = m * Z - ZS, ZS
        x, u = S.x(), S.expm1(1)
        w = S.sub(u, x)
        E = S.mul(S.exp_lin(4), S.exp(S.scale(S.sub(u, x), 2)))
        u2 = S.mul(u, u)
        full = S.mul(S.pow(S.add(S.scale(u, 2), u2), m), S.exp(u2))
        um = S.pow(u, m)
        two_u = S.scale(u, 2)
        a_ge2 = S.mul(S.sub(w, S.zero()), S.mul(E, full))
        a_eq1 = S.mul(x, S.mul(E, S.sub(full, S.scale(um, Z))))
        one_bp = S.zero() if m == 0 else S.mul(S.pow(u, m - 1), S.add(
            S.add(S.scale(S.mul(x, x), N - a1 - a2), S.scale(S.mul(x, w), N - a1)),
            S.add(S.scale(S.mul(w, x), N - a2), S.scale(S.mul(w, w), N))))
        one_ph = S.mul(um, S.add(S.scale(S.mul(w, w), 2 ** m),
                                 S.scale(S.add(S.mul(x, x), S.scale(S.mul(x, w), 2)), 2 ** m - Z)))
        m_one_total = S.add(S.mul(S.pow(two_u, m), u2),
                            S.scale(S.mul(u2, S.pow(two_u, m - 1)), m) if m else S.zero())
        m_ge2 = S.sub(S.sub(full, S.pow(two_u, m)), m_one_total)
        a_eq0 = S.mul(E, S.add(S.add(S.scale(um, Z), one_bp), S.add(one_ph, m_ge2)))
        total = S.add(S.add(a_ge2, a_eq1), a_eq0)
        return int(total[n] * math.factorial(n))

    def count(self) -> int:
        """The exact number of non-empty types. Cost: $O(n_2^2)$ series operations per branch plus the subset
        sums of the jumps (at most ``budget``)."""
        return sum(self._branch_count(b) for b in self.branches.values())

    # -- dimension -------------------------------------------------------------------------------------------

    def branch_dimension(self, branch: RidgeBranch) -> int | None:
        r"""The largest dimension of a non-empty type of ``branch`` (``None`` if it has none): with $m'$ needed
        breakpoints, $U = m' + (n_2 - m')(2 + n_3)$ (one K kink per breakpoint, every other slot Z) when some
        $S$ has $T + \sum_S\Delta = 0$, else $U - n_3$ (one A slot) when $n_2 > m'$ — each slot gives at most
        $2 + n_3$, a breakpoint's first kink $1$, and the slope equation costs $n_3$ unless $|A| = 0 = |M|$,
        which needs $T + R = 0$."""
        n, n3 = self.n2, self.n3
        if not branch.one_dimensional:
            return 1 + n * (n3 + 2)
        m = len(branch.ys)
        if n < m:
            return None
        base = (self.n0 + 1) if branch.name == "constant" else 1 + (branch.anchor == "free")
        U = base + m + (n - m) * (2 + n3)
        if self._has_zero_sum(branch):
            return U
        return U - n3 if n > m else None

    def _has_zero_sum(self, branch: RidgeBranch) -> bool:
        return not any(branch.T) or self.zero_sum_witness(branch) is not None

    def top_type(self, rng) -> tuple:
        """A random type of the largest dimension (see :meth:`branch_dimension`): one kink per breakpoint, K− on
        a zero-sum $S$ (or all K+ and one A slot when there is none), every other slot Z, slots shuffled."""
        best = max((b for b in self.branches.values() if self.branch_dimension(b) is not None),
                   key=self.branch_dimension)
        if not best.one_dimensional:
            return best.name, best.anchor, ("off",) * self.n2
        S = set(self.zero_sum_witness(best) or ()) if self._has_zero_sum(best) else None
        roles = [("K", k, -1 if S and k in S else 1) for k in range(len(best.ys))]
        roles += ["A"] if S is None else []
        roles += ["Z"] * (self.n2 - len(roles))
        rng.shuffle(roles)
        return best.name, best.anchor, tuple(roles)

    def dimension(self) -> int:
        """The dimension of the fibre: the maximum over the branches."""
        return max(d for d in (self.branch_dimension(b) for b in self.branches.values()) if d is not None)


def _span(vectors: list, n: int) -> tuple[tuple[int, int], ...]:
    """Per coordinate, the least and the largest sum of a subset of ``vectors``."""
    return tuple((sum(min(v[r], 0) for v in vectors), sum(max(v[r], 0) for v in vectors)) for r in range(n))


def _gcds(vectors: list, n: int) -> tuple[int, ...]:
    """Per coordinate, the gcd of the integer ``vectors`` ($0$ when there are none)."""
    return tuple(math.gcd(*(v[r] for v in vectors)) for r in range(n))


def _valuation(x: fmpq, p: int) -> int:
    num, den, v = x.p, x.q, 0
    while num % p == 0:
        num, v = num // p, v + 1
    while den % p == 0:
        den, v = den // p, v - 1
    return v


def _valuation_survivors(T: Vec, jumps, factor_limit: int = 2 ** 96) -> list[int] | None:
    r"""The indices of the jumps that some $S$ with $T + \sum_S \Delta = 0$ may contain, or ``None`` when there
    is no such $S$. A term whose $p$-adic valuation in some coordinate is the unique minimum among $T$ and the
    jumps still in play makes every sum containing it non-zero: such a jump is set aside ($T$ itself: no $S$),
    repeated until stable, for the primes of the denominators below ``factor_limit`` (larger ones are not
    factored: fewer jumps set aside, the answer unchanged). Cost: one factorisation per distinct
    denominator, $O(m n_3)$ valuations per prime and round."""
    from flint import fmpz
    keep = list(range(len(jumps)))
    dens = {x.q for x in T if x != 0} | {x.q for jump in jumps for x in jump if x != 0}
    primes = sorted({int(p) for d in dens if 1 < d < factor_limit for p, _ in fmpz(d).factor()})
    changed = True
    while changed:
        changed = False
        for r in range(len(T)):
            for p in primes:
                terms = [(_valuation(jumps[k][r], p), k) for k in keep if jumps[k][r] != 0]
                if T[r] != 0:
                    terms.append((_valuation(T[r], p), None))
                if not terms:
                    continue
                least = min(v for v, _ in terms)
                at = [k for v, k in terms if v == least]
                if len(at) == 1:
                    if at[0] is None:
                        return None
                    keep.remove(at[0])
                    changed = True
        if any(T[r] != 0 and all(jumps[k][r] == 0 for k in keep) for r in range(len(T))):
            return None
    return keep


def _phantom_labels(view: RidgeView) -> list[list]:
    """Per slot the phantom groups it may belong to in a relaxation: members of a group satisfy
    $e'_sv'_f = e'_fv'_s$ with its first $f$, so lie on one line through $0$ in the $(v', e')$ plane — at most
    $\\lfloor k/2\\rfloor$ groups on a line with $k$ slots (any group anywhere when a slot has $v' = e' = 0$)."""
    lines = [fingerprint(normalise_row((v, e))[0]) if v or e else None for v, e in zip(view.v, view.e, strict=True)]
    if None in lines:
        return [list(range(len(lines) // 2))] * len(lines)
    sizes: dict = {}
    for key in lines:
        sizes[key] = sizes.get(key, 0) + 1
    return [[(key, j) for j in range(sizes[key] // 2)] for key in lines]


def _closed_roles(br: RidgeBranch, lam: fmpq, b: fmpq, v: fmpq, e: fmpq, c: Vec, labels: list) -> list:
    """The roles whose closed sign conditions (and kink position) a slot $(v', e', c')$ satisfies, phantom groups
    among ``labels``."""
    out = ["D"] if not any(c) else []
    out += [r for r, ok in (("C+", v == 0 and e >= 0), ("C-", v == 0 and e <= 0), ("Z", v <= 0 and e <= 0),
                            ("A", v >= 0 and e >= 0)) if ok]
    for sg in (1, -1):
        if sg * v >= 0 and sg * e <= 0:
            out += [("K", k, sg) for k, y in enumerate(br.ys) if e + v * (lam * y + b) == 0]
            out += [("P", g, sg) for g in labels]
    return out


def _dominant(roles: list, n3: int) -> list:
    r"""``roles`` with only the best of the roles outside the equations (D, C±, Z): these slots enter no group
    or slope equation, nonemptiness and adjacency do not depend on which of them a slot takes (each is
    approached alone: $v' < 0$, $e'$ or $c'$ moved by $\pm t$), nor the value equation (two of them fit a slot
    only where $c'e' = 0$), while the dimension adds $2 + n_3$ (Z), $1 + n_3$ (C±) or $2$ (D): a type with
    another of them is dominated by the same type with the best one."""
    weight = {"Z": 2 + n3, "C+": 1 + n3, "C-": 1 + n3, "D": 2}
    free = [r for r in roles if r in weight]
    return [r for r in roles if r not in weight] + ([max(free, key=weight.get)] if free else [])


def _zero_splits(roles: tuple, view: RidgeView, largest: int = 10):
    """``roles`` and every type reached from it by sliding a set of at least two kinks of one group whose jumps
    cancel off their point as a new phantom group (the rest of a breakpoint's group still serves it, the rest
    of a phantom group is empty or again at least two): $e'_j \\mapsto e'_j - v'_j\\varepsilon$ on the set keeps
    every equation, $d'$ absorbing the value at $0$. Groups of more than ``largest`` kinks are not split."""
    yield roles
    groups = _groups_of_slots(roles)
    fresh = 1 + max((r[1] for r in roles if isinstance(r, tuple) and r[0] == "P"), default=-1)
    for key, slots in groups.items():
        if len(slots) > largest:
            continue
        for size in range(2, len(slots) + 1):
            for subset in itertools.combinations(slots, size):
                rest = len(slots) - size
                if (key[0] == "K" and rest == 0) or (key[0] == "P" and rest == 1):
                    continue
                total = (_ZERO,) * len(view.d)
                for s in subset:
                    total = _vadd(total, view.c[s], roles[s][2] * view.v[s])
                if not any(total):
                    new = list(roles)
                    for s in subset:
                        new[s] = ("P", fresh, roles[s][2])
                    yield _renumbered(new)


def _groups_of_slots(roles) -> dict:
    out: dict = {}
    for s, r in enumerate(roles):
        if isinstance(r, tuple):
            out.setdefault(r[:2], []).append(s)
    return out


def _renumbered(roles: list) -> tuple:
    """Phantom groups renumbered in order of first appearance."""
    ids: dict = {}
    return tuple(("P", ids.setdefault(r[1], len(ids)), r[2]) if isinstance(r, tuple) and r[0] == "P" else r
                 for r in roles)


def _product(items, n: int):
    if n == 0:
        yield ()
        return
    for head in items:
        for tail in _product(items, n - 1):
            yield (head,) + tail


class _Series:
    """Truncated power series with exact rational coefficients, degree $\\le n$: flint's ``fmpq_series`` (fast
    truncated products, powers and exponentials), its global precision cap set to $n + 1$ while the context
    is open."""

    def __init__(self, n: int):
        self.n = n

    def __enter__(self) -> "_Series":
        import flint
        self._cap, flint.ctx.cap = flint.ctx.cap, self.n + 1
        return self

    def __exit__(self, *exc) -> None:
        import flint
        flint.ctx.cap = self._cap

    def _series(self, coeffs) -> fmpq_series:
        return fmpq_series(coeffs, prec=self.n + 1)

    def zero(self) -> fmpq_series:
        return self._series([0])

    def x(self) -> fmpq_series:
        return self._series([0, 1])

    def add(self, a, b) -> fmpq_series:
        return a + b

    def sub(self, a, b) -> fmpq_series:
        return a - b

    def scale(self, a, t) -> fmpq_series:
        return a * fmpq(t)

    def mul(self, a, b) -> fmpq_series:
        return a * b

    def pow(self, a, k: int) -> fmpq_series:
        return a ** k if k else self._series([1])

    def exp_lin(self, k: int) -> fmpq_series:
        """$e^{kx}$."""
        return self._series([fmpq(k ** i, math.factorial(i)) for i in range(self.n + 1)])

    def expm1(self, k: int) -> fmpq_series:
        """$e^{kx} - 1$."""
        return self.exp_lin(k) - 1

    def exp(self, g) -> fmpq_series:
        """$\\exp(g)$ for $g(0) = 0$."""
        return g.exp()
