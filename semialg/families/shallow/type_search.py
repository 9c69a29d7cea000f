r"""The non-empty types of a shallow fibre, enumerated directly in the order of the index of types.

The index (:class:`~semialg.families.shallow.typed.TypeIndex`) lists the types depth first, slot by slot; at large
widths with a few defects almost all of them are empty (784-16-10 with two dead neurons: not one non-empty type among
the first thousands, 8 ms each to decide). This search walks the same tree but abandons a prefix of roles as soon as
no completion of it is a non-empty type, and decides the leaves per pattern
(:class:`~semialg.families.shallow.type_geometry.Pattern`, cached), so every branch it follows ends in a non-empty
type and the order is that of the index.

**Proposition** (when a prefix has a non-empty completion). Let the normals $u_h$ be linearly independent, $L =
\sum_h \ell_h u_h^T + L_\perp$ and $Q = L_\perp L_\perp^T$ (:mod:`~semialg.families.shallow.residual_coefficients`).
By the proposition of :mod:`~semialg.families.shallow.type_geometry`, a type with mixed hyperplanes $M$, negative
ones $F$ and $p$ mixed groups is non-empty iff either $p = 0$, $\rho = 0$ and no rigid $h \in M$ has a single slot on
the side whose forced share $-\ell_h$ vanishes ($\ell_h = 0$: negative side; $\ell_h = -\delta_h$: positive side);
or $p \ge 1$, $\rho \le p$, and not ($p = 1$, $M = \emptyset$, $\rho = 0$ and the group has a single-slot side) —
where $\rho = \operatorname{rank}[\,c_h\ (h \notin M) \mid Q\,]$, $c_h = \ell_h + [h \in F]\delta_h$. Call $h$
*agreeable* when its slots so far all have the sign that makes $c_h = 0$ ($+$ for $\ell_h = 0$, $-$ for $\ell_h =
-\delta_h$). Completing an agreeable $h$ with that sign costs the fewest slots and adds no column, so it is never
worse than another choice; every other $h$ either keeps a fixed column (or, uncovered, one of two) or joins $M$ at the
price of one more slot. A prefix with $\ell$ slots left therefore has a non-empty completion iff, after the slots the
uncovered hyperplanes and unfinished groups need, the remaining slots pay for (i) the non-agreeable hyperplanes
joining $M$ (with the stuck sides doubled) when $Q = 0$ and no group is mixed yet, or (ii) the choices of the
non-agreeable hyperplanes whose columns with those of $Q$ span at most $p$ dimensions, plus the cheapest $p$ mixed
groups (an open group of one slot turns mixed for free, another for one slot, a new one for two), balanced when
$p = 1$, $M = \emptyset$ and $\rho = 0$. Condition (ii) is decided by a dynamic programme over the spans (each span
kept once with its least cost, as in :class:`~semialg.families.shallow.residual_coefficients.ResidualCoefficients`).

For dependent normals the prefix is abandoned only when the uncovered hyperplanes and unfinished groups outnumber the
slots left (the index's own rule); the leaves are still decided exactly, per pattern.

Cost: per child of a visited node $O(1)$ bookkeeping plus the programme over the non-agreeable hyperplanes (few on
the branches that survive: each costs a slot or a dimension of $\rho$); a leaf $O(n + N)$ plus, once per pattern,
:meth:`~semialg.families.shallow.type_geometry.TypeGeometry.type_dimension`.

>>> from semialg.families.shallow.canonical import canonical_form
>>> from semialg.families.shallow.type_geometry import TypeGeometry
>>> G = TypeGeometry(canonical_form(Network.from_arrays([[[1]], [[1]]], [[0], [0]])), 2)   # relu(x), width 2
>>> types = list(nonempty_types(G)); len(types), types[0], types[-1]   # K+K- is empty: its - slot would carry 0
(7, (('K', 0, 1), ('K', 0, 1)), (('C-',), ('K', 0, 1)))
"""

from __future__ import annotations

from typing import Iterator

from flint import fmpq_mat

from semialg.core.network import Network  # noqa: F401  (the doctest's namespace)
from semialg.errors import UndecidedError
from semialg.families.shallow.residual_coefficients import extend_span
from semialg.families.shallow.type_geometry import Pattern

__all__ = ["nonempty_classes", "nonempty_types"]

_ZERO, _AGREE, _NON, _BOTH = 0, 1, 2, 3


class _Prefix:
    """The state of a prefix of roles: slots per side of each hyperplane and group, and the slots the uncovered
    hyperplanes and unfinished groups still need (``need``), kept up to date role by role."""

    def __init__(self, geometry):
        N = geometry.N
        self.sides = [[0, 0] for _ in range(N)]          # [+ slots, - slots] per hyperplane
        self.groups: list[list[int]] = []                 # [+ slots, - slots] per phantom group
        self.need = N                                     # every uncovered hyperplane needs a slot
        self.left = geometry.n

    def _need(self, h: int) -> int:
        return 0 if any(self.sides[h]) else 1

    def push(self, role: tuple) -> None:
        self.left -= 1
        if role[0] == "K":
            h = role[1]
            self.need -= self._need(h)
            self.sides[h][role[2] < 0] += 1
        elif role[0] == "P":
            if role[1] == len(self.groups):
                self.groups.append([0, 0])
                self.need += 1                            # a group needs a second slot
            elif sum(self.groups[role[1]]) == 1:
                self.need -= 1
            self.groups[role[1]][role[2] < 0] += 1

    def pop(self, role: tuple) -> None:
        self.left += 1
        if role[0] == "K":
            h = role[1]
            self.sides[h][role[2] < 0] -= 1
            self.need += self._need(h)
        elif role[0] == "P":
            g = role[1]
            self.groups[g][role[2] < 0] -= 1
            if not any(self.groups[g]):
                self.groups.pop()
                self.need -= 1
            elif sum(self.groups[g]) == 1:
                self.need += 1


class _Oracle:
    """Whether a prefix has a non-empty completion (the proposition of the module), independent normals only."""

    def __init__(self, geometry, ell: list, Q: fmpq_mat):
        self.G, self.k = geometry, geometry.k
        self.ell = ell
        self.cols = []      # (column when all slots are +, column when all are -)
        self.cls = []       # _ZERO: l_h = 0, _AGREE: l_h = -delta_h (agreeable on the negative side), else _NON
        for h, l in enumerate(ell):
            delta = geometry.K.kinks[h][1]
            plus, minus = tuple(l), tuple(x + d for x, d in zip(l, delta, strict=True))
            self.cols.append((plus, minus))
            self.cls.append(_ZERO if not any(plus) else _AGREE if not any(minus) else _NON)
        start: tuple = ()
        for j in range(Q.ncols()):
            start = extend_span(start, [Q[i, j] for i in range(Q.nrows())])
        self.start = start

    def feasible(self, P: _Prefix) -> bool:
        spare = P.left - P.need
        if spare < 0:
            return False
        # safe: the slots doubling the stuck sides of M (condition (i)); agreeable: the least slots an agreeable
        # hyperplane needs to leave rho = 0 or M empty (2: none can)
        items, mixed_any, safe, agreeable = [], False, 0, 2
        for h, (cp, cn) in enumerate(P.sides):
            c = self.cls[h]
            if cp and cn:
                mixed_any = True
                safe += max(0, 2 - cn) if c == _ZERO else max(0, 2 - cp) if c == _AGREE else 0
            elif c == _ZERO and not cn or c == _AGREE and not cp:
                agreeable = min(agreeable, 0 if not cp + cn else 1)   # flipped when uncovered, else put in M
                continue                          # agreeable: completed on its own side, no column
            elif cp or cn:
                col = self.cols[h][0 if cp else 1]
                stuck = max(0, 2 - cn) if c == _ZERO else max(0, 2 - cp) if c == _AGREE else 0
                items.append(((col,), 1, 1 + stuck))
            else:                                 # uncovered, l_h neither 0 nor -delta_h: either column, or M
                items.append((self.cols[h], 1, 1))
        p0 = sum(1 for g in P.groups if g[1])
        if not p0 and not self.start and safe + sum(c for _, _, c in items) <= spare:
            return True                           # condition (i): p = 0, rho = 0
        return self._mixed(P, items, mixed_any, spare, p0, agreeable)

    def _mixed(self, P: _Prefix, items: list, mixed_any: bool, spare: int, p0: int, agreeable: int) -> bool:
        """Condition (ii): some $p \\ge 1$ with $\\rho \\le p$ within the spare slots."""
        upgrades = sorted(0 if sum(g) == 1 else 1 for g in P.groups if not g[1])

        def groups_cost(p: int) -> int | None:
            extra = max(0, p - p0)
            cost = sum(upgrades[:extra]) + 2 * max(0, extra - len(upgrades))
            return cost if cost <= spare else None

        top = max((p for p in range(p0, p0 + len(upgrades) + spare // 2 + 1) if groups_cost(p) is not None),
                  default=0)
        if top < 1:
            return False
        q = min(self.k, top)
        # states: (span, M used) -> least slots; a span of dimension > q cannot be rescued by more groups
        states = {(self.start, mixed_any): 0} if len(self.start) <= q else {}
        for cols, to_m, _ in items:
            grown: dict = {}
            for (W, used), cost in states.items():
                options = [(extend_span(W, c), used, cost) for c in cols] + [(W, True, cost + to_m)]
                for key_W, key_used, c in options:
                    if len(key_W) <= q and c <= spare and grown.get((key_W, key_used), spare + 1) > c:
                        grown[(key_W, key_used)] = c
            states = grown
            if not states:
                return False
        balance = self._balance_cost(P, p0)
        for (W, used), cost in states.items():
            p = max(1, p0, len(W))
            g = groups_cost(p)
            if g is None or cost + g > spare:
                continue
            if p == 1 and not W and not used:
                # rho = 0 and M empty need a balanced group; or a second group, an agreeable hyperplane flipped (free
                # when uncovered: rho = 1) or put in M
                two = groups_cost(2)
                if not ((balance is not None and cost + balance <= spare) or (two is not None and cost + two <= spare)
                        or (agreeable < 2 and cost + g + agreeable <= spare)):
                    continue
            return True
        return False

    @staticmethod
    def _balance_cost(P: _Prefix, p0: int) -> int | None:
        """Slots making exactly one mixed group with two slots on each side (beyond the unfinished groups' need)."""
        if p0 > 1:
            return None
        if p0 == 1:
            cp, cn = next(g for g in P.groups if g[1])
            return max(0, 2 - cp) + max(0, 2 - cn)
        costs = [max(0, 2 - cp) + 2 - (sum((cp, cn)) == 1) for cp, cn in P.groups]
        return min(costs + [4])


def _fit(geometry):
    """$(\\ell_h)_h$ and $Q$ when the normals are linearly independent (``None`` otherwise)."""
    if geometry.N == 0:
        L = fmpq_mat([list(row) for row in geometry.K.linear]) if geometry.m else fmpq_mat(geometry.k, 0)
        return [], L * L.transpose()
    fit = geometry.tensors.shares()
    return None if fit is None else (fit.shares, fit.gram_perp)


def nonempty_types(geometry) -> Iterator[tuple]:
    """The non-empty types of ``geometry`` (a :class:`~semialg.families.shallow.type_geometry.TypeGeometry`) in the
    order of :class:`~semialg.families.shallow.typed.TypeIndex`: the same sequence as filtering the index by
    :meth:`~semialg.families.shallow.type_geometry.TypeGeometry.is_nonempty` (tested), without visiting the empty
    ones when the normals are linearly independent (the proposition of the module)."""
    N = geometry.N
    fit = _fit(geometry)
    oracle = None if fit is None else _Oracle(geometry, *fit)
    P = _Prefix(geometry)
    plain = [("K", h, s) for h in range(N) for s in (1, -1)] + [("D",), ("C+",), ("C-",)]
    verdicts: dict = {}
    roles: list = []

    def alive() -> bool:
        if P.left < P.need:
            return False
        return oracle is None or oracle.feasible(P)

    def leaf() -> bool:
        pattern = Pattern.of(roles, N)
        if pattern not in verdicts:
            verdicts[pattern] = geometry.is_nonempty(tuple(roles))
        return verdicts[pattern]

    def walk() -> Iterator[tuple]:
        if not P.left:
            if leaf():
                yield tuple(roles)
            return
        groups = len(P.groups)
        for role in plain + [("P", g, s) for g in range(groups) for s in (1, -1)] + [("P", groups, 1)]:
            P.push(role)
            roles.append(role)
            if alive():
                yield from walk()
            roles.pop()
            P.pop(role)

    if alive():
        yield from walk()


def nonempty_classes(geometry, budget: int = 10 ** 5) -> Iterator[tuple]:
    r"""The non-empty types of ``geometry`` up to permutations of the neuron slots, each class once, by its sorted
    representative: the kink slots hyperplane by hyperplane, positively oriented first, then D, C+, C-, then the
    phantom groups by decreasing size, each with at least as many positively as negatively oriented slots (a
    group's orientation is relative to its first slot, so $(c_+, c_-)$ and $(c_-, c_+)$ are one class).

    A permutation of the slots is an element of $G$, so it maps the component of a type onto that of the permuted
    type: the classes are the components up to $G$. The walk chooses the slots of each hyperplane in turn and
    abandons a choice when the slots left cannot cover the hyperplanes still bare, or (independent normals) when
    no completion at all is non-empty (the proposition of the module); the leaves are decided per pattern.
    Cost: at most ``budget`` choices visited, then :class:`~semialg.errors.UndecidedError`; a leaf $O(n + N)$ plus,
    once per pattern, :meth:`~semialg.families.shallow.type_geometry.TypeGeometry.type_dimension`.

    >>> from semialg.families.shallow.canonical import canonical_form
    >>> from semialg.families.shallow.type_geometry import TypeGeometry
    >>> G = TypeGeometry(canonical_form(Network.from_arrays([[[1]], [[1]]], [[0], [0]])), 2)   # relu(x), width 2
    >>> list(nonempty_classes(G))     # the 7 types of nonempty_types, up to swapping the two slots
    [(('K', 0, 1), ('C-',)), (('K', 0, 1), ('C+',)), (('K', 0, 1), ('D',)), (('K', 0, 1), ('K', 0, 1))]
    """
    N = geometry.N
    fit = _fit(geometry)
    oracle = None if fit is None else _Oracle(geometry, *fit)
    P = _Prefix(geometry)
    roles: list = []
    verdicts: dict = {}
    visited = [0]

    def put(role: tuple, times: int) -> None:
        for _ in range(times):
            P.push(role)
            roles.append(role)

    def take(role: tuple, times: int) -> None:
        for _ in range(times):
            roles.pop()
            P.pop(role)

    def alive() -> bool:
        visited[0] += 1
        if visited[0] > budget:
            raise UndecidedError(f"more than {budget} choices of slots visited while listing the classes of types")
        return P.left >= P.need and (oracle is None or oracle.feasible(P))

    def hyperplanes(h: int) -> Iterator[tuple]:
        if h == N:
            yield from loose(0)
            return
        for plus in range(P.left + 1):
            for minus in range(P.left - plus + 1):
                if plus + minus:
                    put(("K", h, 1), plus)
                    put(("K", h, -1), minus)
                    if alive():
                        yield from hyperplanes(h + 1)
                    take(("K", h, -1), minus)
                    take(("K", h, 1), plus)

    def loose(j: int) -> Iterator[tuple]:
        if j == 3:
            yield from groups(P.left)
            return
        role = (("D",), ("C+",), ("C-",))[j]
        for times in range(P.left + 1):
            put(role, times)
            if alive():
                yield from loose(j + 1)
            take(role, times)

    def groups(bound: int) -> Iterator[tuple]:
        if not P.left:
            pattern = Pattern.of(roles, N)
            if pattern not in verdicts:
                verdicts[pattern] = geometry.is_nonempty(tuple(roles))
            if verdicts[pattern]:
                yield tuple(roles)
            return
        g = len(P.groups)
        for size in range(min(bound, P.left), 1, -1):
            for minus in range(size // 2 + 1):
                put(("P", g, 1), size - minus)
                put(("P", g, -1), minus)
                if alive():
                    yield from groups(size)
                take(("P", g, -1), minus)
                take(("P", g, 1), size - minus)

    if alive():
        yield from hyperplanes(0)
