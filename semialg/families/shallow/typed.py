"""Fibres of non-generic shallow parameters: a union over the combinatorial types of $\\theta'$.

A type assigns each neuron slot a role: on a kink hyperplane of $K(\\theta)$ with an orientation, on a
"phantom" hyperplane whose kinks cancel, dead ($a' = 0$) or constant ($w' = 0$, $a' \\neq 0$). On each type the
fibre is a basic semi-algebraic set (minors, kink sums, linear part and constant equal to those of $K$;
orientations; $a' \\neq 0$ off the dead slots and phantom lines distinct, off the kink hyperplanes and with
$w' \\neq 0$), so the types are pairwise disjoint and every member lies in exactly one.
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass, field
from typing import Iterator

from semialg.core.lazy import sympy  # imported on first use: start-up time
from flint import fmpq

from semialg.core.exact import to_sympy
from semialg.core.network import Network
from semialg.core.symmetry import GroupElement
from semialg.errors import ParameterError, UndecidedError
from semialg.families.shallow.canonical import canonical_form
from semialg.families.shallow.component import FibreComponent
from semialg.families.shallow.type_bounds import bounded_dimension
from semialg.families.shallow.type_component import TypeComponent
from semialg.families.shallow.local import local_dimension
from semialg.families.shallow.type_geometry import TypeGeometry
from semialg.families.shallow.type_roles import role_error
from semialg.families.shallow.type_search import nonempty_classes, nonempty_types
from semialg.families.shallow.view import ShallowView
from semialg.geometry.semialgebraic import Union, not_all_zero, parallel_minors

__all__ = ["TypeIndex", "TypedShallowFibre", "typed_fibre", "same_function", "POLYNOMIAL_LIMIT"]

#: Parameters beyond which membership is decided by canonical forms instead of a component's polynomials.
POLYNOMIAL_LIMIT = 2000


def same_function(net: Network, point, K=None) -> bool:
    r"""Whether ``point`` (a network or its flat parameters) in the architecture of ``net`` computes $f_\theta$:
    $K(\theta') = K(\theta)$, the canonical form being a complete invariant (``K``: that of ``net``, when known).
    Membership in a fibre beyond :data:`POLYNOMIAL_LIMIT` parameters, where a component's polynomials number in
    the hundreds of thousands. Cost: $O(n(m + k))$ per canonical form.

    >>> same_function(Network.from_arrays([[[1]], [[1]]], [[0], [0]]), [2, 0, "1/2", 0])
    True
    """
    if isinstance(point, Network) and point.architecture != net.architecture:
        return False
    other = point if isinstance(point, Network) else Network.from_parameters(net.architecture, point)
    return canonical_form(other) == (canonical_form(net) if K is None else K)


class TypeIndex:
    """Lazy index of the combinatorial types of $\\theta'$: one role per neuron slot — ``("K", h, s)`` on kink
    hyperplane $h$ with orientation $s$, ``("P", g, s)`` on the $g$-th phantom hyperplane (free, kinks cancel;
    the first slot of a group has $s = +1$, groups numbered in order of appearance, at least two slots),
    ``("D",)`` zero output weights, ``("C+",)``/``("C-",)`` zero input weights with $b' > 0$ / $b' \\le 0$ —
    such that every kink hyperplane carries a slot. ``len`` counts them by enumeration."""

    def __init__(self, n: int, N: int):
        self.n, self.N = n, N

    def __iter__(self):
        """The types in lexicographic order of the roles (kink slots, then D, C+, C-, then phantom groups), depth
        first; a prefix is abandoned as soon as its uncovered hyperplanes and single-slot groups outnumber the slots
        left (they cannot all be completed), so every branch ends in a type: $O(n)$ steps per type, where the
        unpruned search met $(2N+3)^n$ dead ends before the first type of a wide fibre."""
        def extend(prefix: list, sizes: tuple, covered: frozenset):
            if len(prefix) == self.n:
                yield tuple(prefix)
                return
            for role, grown, now in self._children(len(prefix), sizes, covered):
                yield from extend(prefix + [role], grown, now)

        if self.N <= self.n:        # every kink hyperplane needs a slot
            yield from extend([], (), frozenset())

    def random(self, rng) -> tuple:
        """A random type, drawn role by role among the roles that can still be completed (every branch of the
        pruned search ends in a type, so no draw is rejected): $O(n(N + n))$ steps. Not uniform over the types.

        >>> roles = TypeIndex(3, 1).random(__import__("random").Random(0)); roles in TypeIndex(3, 1)
        True
        """
        prefix, sizes, covered = [], (), frozenset()
        while len(prefix) < self.n:
            options = list(self._children(len(prefix), sizes, covered))
            if not options:
                raise LookupError(f"no type: {self.N} kink hyperplanes need more than {self.n} slots")
            role, sizes, covered = rng.choice(options)
            prefix.append(role)
        return tuple(prefix)

    def _children(self, filled: int, sizes: tuple, covered: frozenset):
        """The roles of slot ``filled + 1`` after a prefix with phantom group sizes ``sizes`` and kink
        hyperplanes ``covered``, each with the sizes and cover it leaves, when the prefix can still be completed:
        its uncovered hyperplanes and single-slot groups do not outnumber the slots left."""
        groups = len(sizes)
        for role in ([("K", h, s) for h in range(self.N) for s in (1, -1)] + [("D",), ("C+",), ("C-",)]
                     + [("P", g, s) for g in range(groups) for s in (1, -1)] + [("P", groups, 1)]):
            grown, now = sizes, covered
            if role[0] == "K":
                now = covered | {role[1]}
            elif role[0] == "P":
                grown = sizes[:role[1]] + (sizes[role[1]] + 1,) + sizes[role[1] + 1:] if role[1] < groups \
                    else sizes + (1,)
            if self.N - len(now) + sum(1 for z in grown if z < 2) <= self.n - filled - 1:
                yield role, grown, now

    def __len__(self) -> int:
        return self.exact_size

    def __contains__(self, roles) -> bool:
        """Whether ``roles`` is one of the types (:func:`~semialg.families.shallow.type_roles.role_error`), $O(n)$."""
        return role_error(roles, self.n, self.N) is None

    @property
    def exact_size(self) -> int:
        """Exact count without enumeration: inclusion–exclusion over the uncovered kink hyperplanes, with
        phantom slots partitioned into blocks of size $\\ge 2$ (associated Stirling numbers), each non-first
        slot of a block oriented freely. Cost: $O(n^2 + nN)$ integer operations."""
        n, N = self.n, self.N
        blocks = [[0] * (n + 1) for _ in range(n + 1)]  # blocks[p][g]: partitions of p slots into g blocks >= 2
        blocks[0][0] = 1
        for p in range(2, n + 1):
            for g in range(1, p // 2 + 1):
                blocks[p][g] = g * blocks[p - 1][g] + (p - 1) * blocks[p - 2][g - 1]
        phantom = [sum(blocks[p][g] * 2 ** (p - g) for g in range(p + 1)) for p in range(n + 1)]
        total = 0
        for j in range(N + 1):
            free = sum(math.comb(n, p) * (2 * j + 3) ** (n - p) * phantom[p] for p in range(n + 1))
            total += (-1) ** (N - j) * math.comb(N, j) * free
        return total


@dataclass(frozen=True, eq=False)
class TypedShallowFibre(Union):
    """The fibre of a non-generic shallow parameter: the union over combinatorial types of $\\theta'$.

    ``contains`` locates the type of a point and tests that one component exactly, which decides membership
    in the whole fibre (each component lies in it and every member lies in the component of its own type and
    in no other: the components are pairwise disjoint, :meth:`component_of` names it).
    ``components()`` yields the non-empty type components only (emptiness decided exactly by a rank,
    :mod:`~semialg.families.shallow.type_geometry`), each a :class:`FibreComponent` with ``sample()`` and
    ``dimension``; ``num_components`` counts them exactly without enumerating the types;
    ``dimension`` is the maximum over them and ``local_dimension(theta)`` the dimension at a member.
    The :meth:`representative` typeset by :func:`~semialg.ui.latex.to_latex` is the component of $\\theta$.
    """

    network: Network | None = None
    geometry: TypeGeometry | None = field(default=None, repr=False)

    def representative(self) -> FibreComponent:
        return self.build(self.locate(self.network))

    def components(self) -> Iterator[FibreComponent]:
        """The non-empty components, lazily, in the order of the index (:func:`~semialg.families.shallow.type_search.
        nonempty_types`: the empty types are skipped by pattern, not visited one by one)."""
        for roles in nonempty_types(self.geometry):
            yield self.build(roles)

    def classes(self, budget: int = 10 ** 5) -> Iterator[FibreComponent]:
        """The non-empty components up to permutations of the neuron slots (elements of $G$), one per class: the
        components of the sorted types of :func:`~semialg.families.shallow.type_search.nonempty_classes` (at most
        ``budget`` choices of slots visited, then :class:`~semialg.errors.UndecidedError`)."""
        for roles in nonempty_classes(self.geometry, budget):
            yield self.build(roles)

    @property
    def num_components(self) -> int:
        """The exact number of non-empty components (:meth:`TypeGeometry.count`)."""
        return self.geometry.count()

    @property
    def dimension(self) -> int:
        """$\\max$ of $\\dim B_\\tau$ over the non-empty types, by upper bounds per pattern size with the type of
        $\\theta$ as a witness (:func:`~semialg.families.shallow.type_bounds.bounded_dimension`: the same value as
        :meth:`TypeGeometry.dimension`, tested, without visiting the patterns the bounds rule out)."""
        return bounded_dimension(self.geometry, self.locate(self.network))

    def contains(self, point) -> bool:
        """Whether ``point`` (a network or its flat parameters) lies in the fibre. The components are the types of
        the fibre (:func:`typed_fibre`), so beyond :data:`POLYNOMIAL_LIMIT` parameters, where the polynomials of a
        component number in the hundreds of thousands (every $2\\times 2$ minor of two rows), it is decided by the
        canonical forms, $K(\\theta') = K(\\theta)$ ($O(n(m + k))$); below, by the polynomials of the component of
        the point's type (the same answer: tested). A point whose roles are no type of the index (a phantom group of
        one slot, a kink hyperplane without slots, another architecture) is no member (:meth:`_TypeEquations.locate`:
        every member lies in the component of its own type)."""
        if self.network.architecture.num_parameters <= POLYNOMIAL_LIMIT:
            return not (isinstance(point, Network) and point.architecture != self.network.architecture) \
                and super().contains(point)
        return same_function(self.network, point, self.geometry.K)

    def component_of(self, point):
        """The index of the component containing ``point`` (the type of the point, when it lies in the fibre),
        or ``None``; the components are pairwise disjoint, so it is the only one."""
        return self.locate(point) if self.contains(point) else None

    def describe(self) -> str:
        try:
            count, dim = f"{self.num_components} non-empty", self.dimension
        except UndecidedError as err:      # a count or dimension whose subset-sum budget ran out
            count, dim = f"({err})", "undecided"
        return (f"{self.description}: {count} pairwise disjoint type components (a' != 0 off the dead slots) of "
                f"{self.index.exact_size} types; dimension {dim}")

    def local_dimension(self, theta: Network | None = None) -> int:
        """The dimension of the fibre at the member ``theta`` (default: the parameter the fibre was built
        from), proven by matching bounds (:func:`~semialg.families.shallow.local.local_dimension`)."""
        theta = self.network if theta is None else theta
        if not self.contains(theta):
            raise ParameterError("local_dimension: the parameter is not in the fibre")
        return local_dimension(self, theta)

    def sample(self, seed: int | None = None) -> Network:
        """A random member: a random group element applied to $\\theta$, dead neurons' inputs re-drawn."""
        rng = random.Random(seed)
        v = ShallowView.of(GroupElement.random(self.network.architecture, seed=rng.randrange(2 ** 32)).act(
            self.network))
        w, b = list(v.w), list(v.b)
        for i in range(v.n):
            if not any(v.a[i]):
                w[i] = tuple(fmpq(rng.randint(-9, 9), rng.randint(1, 9)) for _ in w[i])
                b[i] = fmpq(rng.randint(-9, 9), rng.randint(1, 9))
        return ShallowView(v.a, tuple(w), tuple(b), v.c).network()


class _TypeEquations:
    """The polynomial conditions of every combinatorial type of $\\theta'$ for one canonical form $K$.

    The conditions of a type are collected slot by slot (:meth:`_slot`) into the kink sums of each hyperplane,
    the linear part and the constant; :meth:`build` then equates them with $K$.
    """

    def __init__(self, net: Network):
        self.K = canonical_form(net)
        self.geometry = TypeGeometry(self.K, net.widths[1])
        self.V = net.variables()
        self.architecture = net.architecture
        self.m, _, self.k = net.widths
        self.keys = [key for key, _ in self.K.kinks]

    def row(self, i: int) -> list:
        W1, B1 = self.V.weights[0], self.V.biases[0]
        return [W1[i, j] for j in range(self.m)] + [B1[i]]

    def output(self, i: int) -> list:
        return [self.V.weights[1][r, i] for r in range(self.k)]

    def _parallel(self, r1: list, r2: list) -> list:
        """The $2\\times 2$ minors of two rows: they vanish iff the rows are parallel."""
        return list(parallel_minors(r1, r2))

    def _slot(self, i: int, role: tuple, acc: dict) -> None:
        """Add the conditions and contributions of slot ``i`` with ``role`` to the accumulator ``acc``."""
        a = self.output(i)
        if role[0] == "D":
            acc["eqs"] += a
            return
        acc["nonzero"].append(not_all_zero(a))   # a' != 0: otherwise the slot is (also) dead
        if role[0] in ("C+", "C-"):
            b = self.V.biases[0][i]
            acc["eqs"] += self.row(i)[:-1]
            if role[0] == "C+":
                acc["strict"].append(b)
                acc["const"] = [c + ar * b for c, ar in zip(acc["const"], a, strict=True)]
            else:
                acc["nonstrict"].append(-b)
            return
        kind, g, s = role
        row = self.row(i)
        ref = [to_sympy(x) for x in self.keys[g]] if kind == "K" else acc["first"].setdefault(g, row)
        if ref is not row:
            acc["eqs"] += self._parallel(row, ref)
            acc["strict"].append(s * sum(x * y for x, y in zip(row, ref, strict=True)))
        contrib = acc["sums"].setdefault((kind, g), [[0] * (self.m + 1) for _ in range(self.k)])
        for r in range(self.k):
            contrib[r] = [c + s * a[r] * x for c, x in zip(contrib[r], row, strict=True)]
        if s < 0:  # a sigma(-z) = a sigma(z) - a z: the negatively oriented slots carry the affine part
            acc["lin"] = [[c + a[r] * x for c, x in zip(acc["lin"][r], row[:-1], strict=True)]
                          for r in range(self.k)]
            acc["const"] = [c + ar * row[-1] for c, ar in zip(acc["const"], a, strict=True)]

    def _targets(self, kind: str, g: int) -> list:
        """$\\delta_h (u_h, \\beta_h)$ for a kink hyperplane, $0$ for a phantom one."""
        if kind == "P":
            return [[0] * (self.m + 1) for _ in range(self.k)]
        return [[to_sympy(d * x) for x in self.keys[g]] for d in self.K.kinks[g][1]]

    def build(self, roles, by_type: bool | None = None) -> TypeComponent:
        """The component of the type ``roles``: its polynomials (:meth:`conditions`) and dimension are computed on
        first access (:class:`~semialg.families.shallow.type_component.TypeComponent`), so listing is cheap. With
        ``by_type`` (default: beyond :data:`POLYNOMIAL_LIMIT` parameters) membership and the check of every sample
        are decided by :meth:`member` instead of the polynomials (the same answer: tested both ways)."""
        if by_type is None:
            by_type = self.architecture.num_parameters > POLYNOMIAL_LIMIT
        return TypeComponent(self.V.flat, label=_label(roles), index=roles, sampler=self.geometry.sample,
                             conditions=functools.partial(self.conditions, roles),
                             dimension_of=functools.partial(self.geometry.type_dimension, roles),
                             member=functools.partial(self.member, tuple(roles)) if by_type else None)

    def member(self, roles: tuple, point) -> bool:
        """Whether ``point`` lies in the component of the type ``roles``, by its defining data: $K(\\theta') = K$ and
        the type of $\\theta'$ is ``roles`` (:meth:`TypeGeometry.type_of`). Exact and equivalent to the polynomials
        of :meth:`conditions`: each component lies in the fibre, and every member of the fibre lies in the component
        of its own type and in no other. Cost: $O(n(m + k))$ (hashing normalised rows)."""
        if isinstance(point, Network):
            if point.architecture != self.architecture:
                return False
        else:
            point = Network.from_parameters(self.architecture, point)
        return self.geometry.type_of(point) == roles and canonical_form(point) == self.K

    def conditions(self, roles) -> tuple:
        """``(equations, strict, nonstrict, nonzero)`` of the component of the type ``roles``."""
        K, C = self.K, self.V.biases[1]
        acc = {"eqs": [], "strict": [], "nonstrict": [], "nonzero": [], "sums": {}, "first": {},
               "lin": [[0] * self.m for _ in range(self.k)], "const": [C[r] for r in range(self.k)]}
        for i, role in enumerate(roles):
            self._slot(i, role, acc)
        firsts = [acc["first"][g] for g in sorted(acc["first"])]
        for j, row in enumerate(firsts):   # a group is no constant line, no kink hyperplane and no other group
            acc["nonzero"].append(not_all_zero(row[:-1]))
            for other in [[to_sympy(x) for x in key] for key in self.keys] + firsts[j + 1:]:
                acc["nonzero"].append(not_all_zero(self._parallel(row, other)))
        for h in range(K.num_kinks):  # a kink hyperplane without slots leaves the equation 0 = delta_h key_h
            acc["sums"].setdefault(("K", h), [[0] * (self.m + 1) for _ in range(self.k)])
        eqs = acc["eqs"]
        for (kind, g), contrib in acc["sums"].items():
            eqs += [c - t for cr, tr in zip(contrib, self._targets(kind, g), strict=True)
                    for c, t in zip(cr, tr, strict=True)]
        eqs += [acc["lin"][r][j] - to_sympy(K.linear[r][j]) for r in range(self.k) for j in range(self.m)]
        eqs += [acc["const"][r] - to_sympy(K.constant[r]) for r in range(self.k)]
        eqs = tuple(dict.fromkeys(e for e in (sympy.expand(x) for x in eqs) if e != 0))
        strict = tuple(sympy.expand(x) for x in acc["strict"])
        return eqs, strict, tuple(acc["nonstrict"]), tuple(acc["nonzero"])

    def locate(self, point) -> tuple | None:
        """The type of a parameter: for each neuron its role (:meth:`TypeGeometry.type_of`); ``None`` when those
        roles are no type of the index (a phantom group of one slot, a kink hyperplane without slots): then the
        parameter is not in the fibre, whose members each lie in the component of their own type."""
        other = point if isinstance(point, Network) else Network.from_parameters(self.architecture, point)
        roles = self.geometry.type_of(other)
        return roles if role_error(roles, self.geometry.n, self.geometry.N) is None else None


def _label(roles) -> str:
    return ", ".join(r[0] + (f"{r[1] + 1}{'+' if r[2] > 0 else '-'}" if len(r) > 1 else "") for r in roles)


def typed_fibre(net: Network) -> TypedShallowFibre:
    """$\\rho^{-1}(f_\\theta)$ for any shallow $\\theta$: a union over the types of :class:`TypeIndex`.

    With $K(\\theta) = ((H_h, \\delta_h)_h, L, d)$, keys $(u_h, \\beta_h)$, rows $r'_i = (w'_i, b'_i)$, the component of
    a type is: $r'_i \\parallel (u_h, \\beta_h)$ ($2\\times2$ minors) with $s\\,r'_i\\cdot(u_h,\\beta_h) > 0$ on kink
    slots; $\\sum_{i \\to h} s_i a'_i r_i'^T = \\delta_h (u_h, \\beta_h)$; on a phantom group the rows are
    parallel to its first, oriented by $s_i$, and $\\sum s_i a'_i r_i'^T = 0$, its first row with $w' \\neq 0$ and parallel
    to no key and no other group's first row; $a'_i = 0$ on D slots and $a'_i \\neq 0$ on the others; $w'_i = 0$ and
    $b'_i > 0$ ($b'_i \\le 0$) on C+ (C-) slots; $\\sum_{s_i = -1} a'_i w_i'^T = L$ and
    $c' + \\sum_{s_i = -1} a'_i b'_i + \\sum_{C+} a'_i b'_i = d$. Each component lies in the fibre
    ($a\\sigma(-z) = a\\sigma(z) - az$ makes the kinks, linear part and constant those of $K$) and every member
    lies in the component of its own type only. Cost: $O(1)$ to build; the index has exponentially many types.
    """
    types = _TypeEquations(net)
    return TypedShallowFibre(types.V.flat, TypeIndex(net.widths[1], types.K.num_kinks), types.build, types.locate,
                             description=f"fibre of a non-generic shallow {net.architecture} parameter",
                             index_name=r"\text{types of } \theta'", network=net, geometry=types.geometry)
