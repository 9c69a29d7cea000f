r"""A slot piece of a fibre with all first-layer rows parallel, as a union over types: neurons on the line, inert,
constant, or in phantom groups off the line.

Setting: $h(x) = g(u\cdot x)$, a target $T$ on the line and the members $\theta'$ with $c' = c/\mu$
($\operatorname{sign}\mu$ fixed), $d' = d + c\,\ell$ (the outer conditions of
:mod:`~semialg.families.bottleneck.slot_piece`) and, for $H = h'/|\mu|$, $H = T(u\cdot x)$ on
$\hat P = \{u\cdot x \in \hat S\}$, $\hat S = \operatorname{int}\overline{\{T > 0\}}$, and $H \le 0$ off it. Used for
the pieces A ($T = h$) and Cp ($T = \max\sigma(h) - \sigma(h)$) of :mod:`~semialg.families.bottleneck.line_fibre`
and the plateau pieces Pmin ($T = h - \min h$) and Pmax ($T = \sup h - h$) of
:mod:`~semialg.families.bottleneck.nonnegative_fibre`.

**Derivation.** Split the neurons of $\theta'$: *inert* ($v' = 0$, any row), *constant* ($w' = 0$:
$v'\sigma(b')$ joins the constant), *on the line* ($w' = \lambda u$, $\lambda \ne 0$, $v' \ne 0$: a slot of the
1-D calculus :mod:`~semialg.families.bottleneck.line_slots`) and *off the line* ($w' \nparallel u$, $v' \ne 0$).
The kink hyperplane $K$ of an off-line neuron is not parallel to the level sets of $u\cdot x$, so $u\cdot x$ takes
every value on $K$ and $K$ meets the open set $\hat P$, where $H = T(u\cdot x)$ is differentiable off finitely many
hyperplanes $\{u\cdot x = \text{const}\} \ne K$: the jumps of the neurons on $K$ cancel,
$\sum_{K_i = K} v'_i|\lambda_i| = 0$ (rows $\lambda_i r_K$). So off-line neurons come in *phantom groups* of at
least two neurons on one hyperplane, and in no other way. With the group's first row as reference and $s_i$ the
orientation, $v\sigma(\lambda z) = v|\lambda|\sigma(z) - [\lambda < 0]\,v|\lambda|z$ makes the group an affine
function $\sum_{s_i < 0} v'_i(w'_i\cdot x + b'_i) = \ell_g\cdot x + \kappa_g$, $\ell_g = \tau_g n_g$ along the
group's normal $n_g$. On an open slab of $\hat P$ a function of $u\cdot x$ plus $\ell\cdot x$
($\ell = \sum_g \ell_g$) is a function of $u\cdot x$ only if $\ell \parallel u$: the affine part cannot be absorbed
otherwise, and $\ell = \alpha u$ enters the 1-D conditions as a linear term,
$h'(x) = G(u\cdot x)$, $G = \sum_{\text{slots}} J\sigma(o(s - p)) + \alpha s + E$ with
$E = e' + \sum_g \kappa_g + \sum_{w'_i = 0,\, b'_i > 0} v'_ib'_i$. Conversely every such $\theta'$ is a member.

A *type* gives each neuron a role: ``("D",)`` inert, ``("C+",)``/``("C-",)`` constant with $b' > 0$ / $\le 0$,
``("P", g, s)`` in phantom group $g$ with orientation $s$ (the roles of the shallow typed fibre without kink
hyperplanes, :class:`~semialg.families.shallow.typed.TypeIndex`), or a slot label ``("V", k, o)`` /
``("H", I, rank, o, sign)`` (on the $k$-th kink of $T$ in $\hat P$, resp. strictly inside the $I$-th N-interval
on the point of that rank there, of :mod:`~semialg.families.bottleneck.line_slots`; slots of one rank share their
point, $p_i = p_j$, their jumps not summing to $0$): the slot $J\sigma(o(s - p))$ of a neuron
with row $\lambda u$, $o = \operatorname{sign}\lambda$, $p = -b'/\lambda$, $J = v'|\lambda|/|\mu|$, every condition
polynomial in $\theta'$ once multiplied by $c_r^2$ ($1/|\mu| = \operatorname{sign}\mu\; c'_r/c_r$). Several neurons
with ``("V", k, o)`` form a *cluster* on the $k$-th kink (the clusters of
:mod:`~semialg.families.bottleneck.line_slots`): one jump equation per kink, $\sum J_i = J_k$, and $v' \ne 0$ for
each. Its basic set: the slot conditions with $\alpha = \ell_p$ and $E$; $v' = 0$; $w' = 0$, $v' \ne 0$ and the sign
of $b'$; rows of a group parallel to its first, oriented, $v' \ne 0$, $\sum_{i \in g} s_iv'_i(w'_i, b'_i) = 0$, the
first row with $w' \ne 0$ and on no other group's or slot's hyperplane; $\ell \parallel u$. So the types are
pairwise disjoint: the location of a point (:meth:`TypedSlotPiece.locate`) reads its type off ($v' = 0$ inert,
$w' = 0$ constant, one group per hyperplane; the neurons on a kink's line are a cluster, their jumps summing to
$J_k \ne 0$, never a group).

**Proposition (dimension of a type).** With $n_\mathrm{on}$ slots, $n_D$ inert, $n_C$ constant, $G$ groups of
$n_P$ neurons, $p$ of them *mixed* (both orientations), $Y(k, m) = \dim\{(A, B) \in \mathbb{R}^{1\times p} \times
\mathbb{R}^{m \times p} : AB^T = 0\}$ (:func:`~semialg.families.shallow.type_geometry.dim_bilinear_fibre`) and
$b = 1 + n_\mathrm{on} + n_D(n_0 + 1) + 2n_C + G(n_0 - 1) + 2n_P - p(n_0 + 1)$, the dimension is the larger of
$b + Y(n_0) + d_0$ ($\ell = 0$, so $\alpha = 0$; $d_0$ the slot type's dimension, if feasible) and, for $p \ge 1$,
$b + Y_{a=1}(n_0 - 1) + p - 1 + d_\alpha$ ($\ell = \alpha u \ne 0$; $d_\alpha$ the slot type's dimension with
$\alpha$ free, the reference slope no longer coupling the N-intervals). *Proof.* A group is its first row
($n_0 + 1$), the other scales and the $v'$ less the cancellation; the mixed groups' $(\tau_g, n_g)$ are free
coordinates and $\ell = \sum \tau_gn_g$; $\{\ell = 0\}$ has dimension $Y(n_0)$ in them,
$\{\ell \parallel u, \ell \ne 0\}$ is $Y_{a=1}$ in the quotient by $u$ plus the $p$ components along $u$, and
$\alpha$ is a submersion there, so fixing it against the slot part costs one. The conditions $v' \ne 0$ are open
and hold generically on these strata except one: a mixed group with a one-neuron side has $\tau_g \ne 0$ (its
sides' totals $\mp\tau_g$ vanish only with that neuron), so on $\{\ell = 0\}$ only the rank-one part
$\tau \ne 0$ of $Y$ is left, empty for $p = 1$
(:func:`~semialg.families.shallow.type_geometry.allowed_ranks`). $\square$ A type is non-empty iff its slot type is
feasible with $\alpha = 0$ and ($p \ge 2$ or no mixed group has a one-neuron side), or with some $\alpha \ne 0$ and
$p \ge 1$ (one mixed group realises any $\alpha \ne 0$ with its rows on the line, two off it); a lone mixed pair
with $\alpha = 0$ is the affine map $v_1\lambda_1(n\cdot x + \beta)$, so $v' = 0$: an inert point.

>>> from semialg.families.bottleneck.line_fibre import line_profile
>>> net = Network.from_arrays([[[1, 0], [1, 0]], [[1, 1]], [[1]]], [[0, -1], [-1], [0]])  # h = s(x1) + s(x1 - 1) - 1
>>> u, h = line_profile(net)
>>> P = TypedSlotPiece("A", net, u, SlotCalculus(h, 2), 1, fmpq(0))
>>> P.max_dimension(), P.upper_bound(), P.dimension((("H", 0, 0, 1, 1), ("D",)))  # mu, a slot facing P, inert
(6, 6, 6)
"""

from __future__ import annotations

import itertools
import math
import random as _random
from fractions import Fraction

from flint import fmpq

from semialg.core.exact import normalise_row, rank, to_sympy
from semialg.core.lazy import sympy  # imported on first use: start-up time
from semialg.core.network import Network
from semialg.errors import ParameterError, UndecidedError
from semialg.families.bottleneck.line_closure import dimension_from_curves
from semialg.families.bottleneck.line_points import (arrangements, canonical_points, coincident, is_end, is_shared,
                                                     multinomial, point_labels, points_avoiding, points_of,
                                                     slot_labels, total_point_weight)
from semialg.families.bottleneck.line_members import solve_with
from semialg.families.bottleneck.line_slots import SlotCalculus
from semialg.families.bottleneck.off_line import (draw_groups, draw_inert, group_rows, off_line_base,
                                                  off_line_conditions, off_line_count, off_line_zero, strata_exist)
from semialg.families.bottleneck.slot_piece import outer_conditions
from semialg.families.bottleneck.views import OuterView, _first_nonzero, _scale
from semialg.families.shallow.type_geometry import Pattern, dim_bilinear_fibre
from semialg.families.shallow.typed import TypeIndex
from semialg.geometry.semialgebraic import BasicSet, not_all_zero, parallel_minors

__all__ = ["TypedSlotPiece"]

_ZERO, _ONE = fmpq(0), fmpq(1)
_ON = ("V", "H", "Z")


def _nonzero_alpha(decision) -> bool:
    """Whether the slot type with $\\alpha$ free (a :class:`~semialg.families.bottleneck.line_slots.Decision` or
    ``None``) has a point with $\\alpha \\ne 0$: $\\alpha$ ranges over ``need`` minus the sum of the ranges, an
    interval with interior unless that sum is a point."""
    if decision is None:
        return False
    return not decision.fixed or decision.need != sum((r[0] for r in decision.ranges), _ZERO)


class _Index:
    """Lazy index of the non-empty types of one piece: per feasible simple slot key (clusters included), the
    neurons on the line, their labels and order, and the off-line roles (:class:`TypeIndex` with no kink
    hyperplanes); then the types with shared points, per simple key every choice of allowed points in each
    N-interval (:meth:`~semialg.families.bottleneck.line_slots.SlotCalculus.point_options`). Neurons with one label
    (a cluster facing one way, a shared point's equal labels) are interchangeable, so the labels are spread over the
    neurons on the line in every distinct order once (:func:`arrangements`, counted by :func:`multinomial`); the
    shared types are counted as products over the N-intervals, without enumeration."""

    def __init__(self, tag: str, S: SlotCalculus, n1: int):
        self.tag, self.S, self.n1 = tag, S, n1
        # a member with g = sigma(T) belongs to the pieces B/C (h' = mu psi + t) or (T'), except in piece A
        self.flat_elsewhere = tag != "A"
        q = len(S.kinks)
        self.keys = []                     # (n_on, key, feasible with alpha = 0, feasible with some alpha != 0)
        for n_on in range(q, n1 + 1):
            for key in S.keys(n_on - q):
                if (flags := self.flags(key)) is not None:
                    self.keys.append((n_on, key) + flags)
        self._end_keys = None
        self._weights: dict = {}

    def flags(self, key) -> tuple | None:
        r"""Whether the type of ``key`` has points with $\alpha = 0$ and with $\alpha \ne 0$ (``None``: neither)."""
        S = self.S
        zero = S.decide(*key) is not None and not (self.flat_elsewhere and S.flat(*key))
        free = _nonzero_alpha(S.decide(*key, free=True)) and not (self.flat_elsewhere and S.flat(*key, free=True))
        return (zero, free) if zero or free else None

    @property
    def end_keys(self) -> list:
        """The keys with slots at ends of N-intervals (computed when first needed), as :attr:`keys`."""
        if self._end_keys is None:
            self._end_keys = [(n_on, (orient, hidden)) + flags for n_on, (orient, simple), _, _ in self.keys
                              for hidden in self.S.ends(simple) if (flags := self.flags((orient, hidden)))]
        return self._end_keys

    def _options(self, key, zero: bool, free: bool) -> tuple:
        r"""The shared points excluded per N-interval of a key with $\alpha = 0$ and with $\alpha$ free
        (``None`` where that stratum is empty)."""
        return (self.S.point_options(*key) if zero else None), (self.S.point_options(*key, free=True) if free else None)

    @property
    def exact_size(self) -> int:
        """Per simple key and choice of a contribution range per N-interval (its placements of slots at ends and
        inside, :meth:`~semialg.families.bottleneck.line_slots.SlotCalculus.placements`), the types counted as
        products of per-interval sums of :func:`_placement_weight` (less the flat ones, :attr:`flat_elsewhere`)."""
        S, total = self.S, Fraction(0)
        for n_on, (orient, hidden), _, _ in self.keys:
            r = self.n1 - n_on
            base = math.comb(self.n1, n_on) * multinomial(slot_labels(orient, hidden))
            need, mixed, _ = S._kink_part(orient)
            labels = [tuple(sorted(ms)) for ms in hidden]
            for ranges in itertools.product(*(S.placements(I, labs) for I, labs in enumerate(labels))):
                ranges = list(ranges)
                zero = S.settle(ranges, need, mixed) is not None
                free = _nonzero_alpha(S.settle(ranges, need, mixed, free=True))
                if not (zero or free):
                    continue
                # per N-interval the range of its contribution with alpha = 0 and with alpha free (None: empty)
                ys = [(S._coupled(I, ranges, need, not mixed) if zero else None, ranges[I] if free else None)
                      for I in range(len(ranges))]

                def product(use, flat=None):
                    return math.prod((self._weight(I, labels[I], rg, y, use, flat)
                                      for I, (rg, y) in enumerate(zip(ranges, ys, strict=True))), start=Fraction(1))
                wz, wf, wb = product((True, False)), product((False, True)), product((True, True))
                if self.flat_elsewhere:       # flat with alpha free => flat with alpha = 0 (a smaller range)
                    wz, wf, wb = wz - product((True, False), 0), wf - product((False, True), 1), \
                        wb - product((True, True), 0)
                total += base * (wb * off_line_count(r, True, True) + (wz - wb) * off_line_count(r, True, False)
                                 + (wf - wb) * off_line_count(r, False, True))
        assert total.denominator == 1
        return int(total)

    def _weight(self, I: int, labels, rg, ys, use, flat=None) -> Fraction:
        r"""The sum of :func:`_placement_weight` over the placements of the slots ``labels`` of N-interval ``I``
        with contribution range ``rg``, without the points that must cancel given the ranges ``ys`` of its
        contribution (with $\alpha = 0$, with $\alpha$ free; ``None``: that stratum is empty), for the strata in
        ``use``; with ``flat`` (0 or 1) only those flat in that stratum (:meth:`~semialg.families.bottleneck.
        line_slots.SlotCalculus.is_flat`)."""
        if any(u and y is None for u, y in zip(use, ys, strict=True)):
            return Fraction(0)
        key = (I, labels, rg, ys, use, flat)
        if key not in self._weights:
            out = Fraction(0)
            for ends, inner in self.S.placements(I, labels)[rg]:
                entries = canonical_points(inner + ends)
                if flat is not None and not self.S.is_flat(I, entries, ys[flat]):
                    continue
                forced = [y[0] if y[0] is not None and y[0] == y[1] else None
                          for u, y in zip(use, ys, strict=True) if u]
                bad = frozenset().union(*(self.S.cancelling(I, entries, y) for y in forced))
                if not any(e in bad for e in ends):
                    out += _placement_weight(ends, inner, bad)
            self._weights[key] = out
        return self._weights[key]

    def __len__(self) -> int:
        return self.exact_size

    def __iter__(self):
        for n_on, (orient, hidden), zero, free in self.keys:
            yield from self._types(n_on, orient, hidden, zero, free)
        for n_on, (orient, hidden), zero, free in self.keys + self.end_keys:
            Z, F = self._options((orient, hidden), zero, free)
            ends = any(map(is_end, _flat(hidden)))
            for points in itertools.product(*(points_avoiding(tuple(sorted(_inner(ms)))) for ms in hidden)):
                if not ends and all(not is_shared(e) for P in points for e in P):
                    continue                  # the simple types, listed first
                z, f = (bad is not None and not any(e in b for P, b in zip(points, bad, strict=True) for e in P)
                        for bad in (Z, F))
                if z or f:
                    full = tuple(P + tuple(e for e in ms if is_end(e)) for P, ms in zip(points, hidden, strict=True))
                    yield from self._types(n_on, orient, full, z, f)

    def _types(self, n_on: int, orient, hidden, zero: bool, free: bool):
        for on in itertools.combinations(range(self.n1), n_on):
            off = [i for i in range(self.n1) if i not in on]
            for off_roles in TypeIndex(len(off), 0):
                if not strata_exist(Pattern.of(off_roles, 0), zero, free):
                    continue
                for seqs in itertools.product(*(_orders(ms) for ms in hidden)):
                    for perm in arrangements(slot_labels(orient, seqs)):
                        roles = [None] * self.n1
                        for i, lab in zip(on, perm, strict=True):
                            roles[i] = lab
                        for i, role in zip(off, off_roles, strict=True):
                            roles[i] = role
                        yield self.tag, tuple(roles)


def _flat(hidden):
    return (e for ms in hidden for e in ms)


def _inner(entries) -> list:
    """The inner points among an N-interval's ``entries`` (not at its ends)."""
    return [e for e in entries if not is_end(e)]


def _orders(entries):
    """Every distinct order of an N-interval's inner points, its end points after them (their places are fixed)."""
    ends = tuple(e for e in entries if is_end(e))
    for seq in arrangements(_inner(entries)):
        yield seq + ends


def _placement_weight(ends, inner, bad) -> Fraction:
    r"""The types of one placement of an N-interval's slots relative to the orders of all labels: over the equal
    labels at each end, times :func:`~semialg.families.bottleneck.line_points.total_point_weight` of the inner
    slots without the ``bad`` shared points (the inner points in every order)."""
    same = math.prod(math.factorial(c) for e in ends for c in _counts(point_labels(e)))
    return total_point_weight(tuple(sorted(inner)), bad) / same


def _counts(labels) -> list:
    return [labels.count(lab) for lab in set(labels)]


class TypedSlotPiece:
    """The basic sets, locations, samples and dimensions of the types of one slot piece (see the module
    docstring); its ``index`` yields ``(tag, roles)``, one role per neuron."""

    def __init__(self, tag: str, net: Network, u, S: SlotCalculus, sign: int, level: fmpq):
        self.tag, self.net, self.u, self.S, self.sign, self.level = tag, net, u, S, sign, fmpq(level)
        self.view = OuterView.of(net)
        self.p = _first_nonzero(u)
        self.n0, self.n1 = net.widths[0], net.widths[1]
        self.r = _first_nonzero(self.view.c)
        self.index = _Index(tag, S, self.n1)

    # -- types and dimensions --------------------------------------------------------------------------------

    def _split(self, roles):
        """The slot key, the number of slots and the off-line :class:`Pattern` with the counts of constant
        and grouped neurons."""
        S = self.S
        labels = [lab for lab in roles if lab[0] in _ON]
        orient = tuple(_cluster([lab[2] for lab in labels if lab[0] == "V" and lab[1] == k])
                       for k in range(len(S.kinks)))
        hidden = tuple(canonical_points(points_of(labels, I)) for I in range(len(S.nints)))
        off = [role for role in roles if role[0] not in _ON]
        return (orient, hidden), len(labels), Pattern.of(off, 0), sum(1 for r in off if r[0] in ("C+", "C-")), \
            sum(1 for r in off if r[0] == "P")

    def _strata(self, key, n_on: int, n_d: int, n_c: int, groups: int, n_p: int, p: int,
                stuck: bool = False) -> dict:
        """The dimensions of the two strata of a type (``"zero"``: $\\ell = 0$; ``"free"``: $\\ell = \\alpha u \\ne 0$),
        only those that are non-empty; ``stuck``: a mixed group has a one-neuron side (so $\\tau_g \\ne 0$)."""
        n0 = self.n0
        b = 1 + n_on + off_line_base(n0, n_d, n_c, groups, n_p, p)
        out = {}
        flags = self.index.flags(key) or (False, False)
        Y = off_line_zero(n0, p, stuck)
        if flags[0] and Y is not None:
            out["zero"] = b + Y + self.S.decide(*key).dim
        if p >= 1 and flags[1]:
            out["free"] = b + dim_bilinear_fibre(p, 0, 1, n0 - 1, 1) + p - 1 + self.S.decide(*key, free=True).dim
        return out

    def _type_strata(self, roles) -> dict:
        key, n_on, P, n_c, n_p = self._split(roles)
        return self._strata(key, n_on, P.dead, n_c, P.groups, n_p, P.mixed_groups, P.lone_groups > 0)

    def dimension(self, roles) -> int:
        """The dimension of the component of a non-empty type (the proposition of the module)."""
        return max(self._type_strata(roles).values())

    def max_dimension(self) -> int | None:
        """The largest dimension of a non-empty type, ``None`` when there is none: per feasible slot key, every
        count of inert, constant and grouped neurons (the dimension depends on nothing else)."""
        best = None
        for n_on, key, _, _ in self.index.keys:
            r = self.n1 - n_on
            for n_p in [0] + list(range(2, r + 1)):
                for groups in range(1 if n_p else 0, n_p // 2 + 1):
                    for p in range(groups + 1):
                        # a mixed group without a one-neuron side has two neurons on each side
                        for stuck in [False] * (n_p >= 2 * groups + 2 * p) + [True] * (p >= 1):
                            for n_c in range(r - n_p + 1):
                                dims = self._strata(key, n_on, r - n_p - n_c, n_c, groups, n_p, p, stuck).values()
                                best = max([best, *dims], key=lambda x: -1 if x is None else x)
        return best

    def upper_bound(self) -> int | None:
        """An upper bound of the dimension of every member of the piece, listed or not
        (:meth:`~semialg.families.bottleneck.line_slots.SlotCalculus.upper_bound`), ``None`` when it is empty."""
        return SlotCalculus(self.S.T, self.n1).upper_bound(self.n0)

    # -- the basic sets ---------------------------------------------------------------------------------------

    def build(self, roles) -> BasicSet:
        S, V, n0, view = self.S, self.net.variables(), self.n0, self.view
        W1, B1, W2, B2 = V.weights[0], V.biases[0], V.weights[1], V.biases[1]
        zero = sympy.Integer(0)
        cr = to_sympy(view.c[self.r])
        K = cr ** 2
        eqs, strict = outer_conditions(self.net, view, self.r, self.sign, [x * self.level for x in view.c])
        Z = self.sign * V.weights[2][self.r, 0] * cr                    # K / |mu|
        R = lambda x: to_sympy(fmpq(x))  # noqa: E731
        row = lambda i: [W1[i, q] for q in range(n0)] + [B1[i]]  # noqa: E731
        # the off-line neurons: their conditions, and the affine part l.x + kappa of the groups
        more, strict2, nonstrict, nonzero, ell, extra, first = off_line_conditions(roles, V, n0)
        eqs, strict, E = eqs + more, strict + strict2, B2[0] + extra
        if n0 > 1:
            eqs += parallel_minors(ell, [R(x) for x in self.u])
        alpha = ell[self.p]
        # the slots on the line: the conditions of the 1-D calculus for G = slots + alpha s + E
        on = [i for i, role in enumerate(roles) if role[0] in _ON]
        for i0 in first.values():     # a group on a slot's hyperplane is no simple slot type (locate: none)
            nonzero += [not_all_zero(parallel_minors(row(i0), row(i))) for i in on]
        lam = {i: W1[i, self.p] for i in on}
        o = {i: roles[i][2] if roles[i][0] == "V" else roles[i][3] for i in on}
        KJ = {i: Z * W2[0, i] * o[i] * lam[i] for i in on}
        KJp = {i: -Z * o[i] * W2[0, i] * B1[i] for i in on}
        for i in on:
            lab = roles[i]
            if n0 > 1:
                eqs += parallel_minors(row(i)[:n0], [R(x) for x in self.u])
            strict.append(o[i] * lam[i])
            if lab[0] == "V":       # on the kink; a cluster's jumps sum to the kink's, each non-zero
                x, J = S.kinks[lab[1]]
                cluster = [j for j in on if roles[j][0] == "V" and roles[j][1] == lab[1]]
                eqs.append(B1[i] + R(x) * lam[i])
                if i == cluster[0]:
                    eqs.append(sum((KJ[j] for j in cluster), zero) - K * R(J))
                if len(cluster) > 1:
                    nonzero.append(W2[0, i])
            elif lab[0] == "Z":     # at an end of its N-interval, a zero of the target
                strict.append(lab[4] * W2[0, i])
                eqs.append(B1[i] + R(S.nints[lab[1]][lab[2]]) * lam[i])
            else:
                a, b, _, _ = S.nints[lab[1]]
                strict.append(lab[4] * W2[0, i])
                if a is not None:
                    strict.append(-o[i] * B1[i] - R(a) * o[i] * lam[i])
                if b is not None:
                    strict.append(R(b) * o[i] * lam[i] + o[i] * B1[i])
        order = sorted(on, key=lambda i: S.place(roles[i]))
        slopes = []
        for I, (a, b, sa, sb) in enumerate(S.nints):
            inside = [i for i in order if roles[i][0] == "H" and roles[i][1] == I]
            for i, j in zip(inside, inside[1:]):
                if roles[i][2] == roles[j][2]:          # one point: p_i = p_j, the jumps there not cancelling
                    eqs.append(B1[i] * lam[j] - B1[j] * lam[i])
                else:
                    strict.append(o[i] * o[j] * (B1[i] * lam[j] - B1[j] * lam[i]))     # p_i < p_j
            ends = [i for i in on if roles[i][0] == "Z" and roles[i][1] == I]
            for point in ([i for i in inside if roles[i][2] == rk] for rk in sorted({roles[i][2] for i in inside})):
                if len(point) > 1:
                    nonzero.append(sum((KJ[i] for i in point), zero))
            for point in ([i for i in ends if roles[i][2] == end] for end in (0, 1)):
                if len(point) > 1:
                    nonzero.append(sum((KJ[i] for i in point), zero))
            if a is not None and b is not None:
                eqs.append(sum((KJ[i] for i in inside + ends), zero) - K * R(sb - sa))
                eqs.append(sum((KJp[i] for i in inside + ends), zero) - K * R(b * sb - a * sa))
            elif a is None:       # slope of G at -infinity >= 0
                slopes.append(sum((W2[0, i] * lam[i] for i in on if o[i] < 0), zero) + alpha)
                nonstrict.append(slopes[-1])
            else:                 # slope of G at +infinity <= 0
                slopes.append(-sum((W2[0, i] * lam[i] for i in on if o[i] > 0), zero) - alpha)
                nonstrict.append(slopes[-1])
            for k in inside:       # G(p_k) <= 0, times o_k lambda_k > 0 (once per point)
                at = S.place(roles[k])
                if any(S.place(roles[j]) == at for j in inside[:inside.index(k)]):
                    continue
                act = [j for j in on if S.place(roles[j]) != at and (o[j] > 0) == (S.place(roles[j]) < at)]
                nonstrict.append(-o[k] * (sum((W2[0, j] * (lam[k] * B1[j] - lam[j] * B1[k]) for j in act), zero)
                                          + lam[k] * E - alpha * B1[k]))
        if self.index.flat_elsewhere and not any(role[0] == "H" for role in roles):
            nonzero.append(not_all_zero(slopes))        # h' < 0 somewhere: not g = sigma(T) (flat)
        ref = S.ref
        act = [i for i in on if (o[i] > 0) == (S.place(roles[i]) < (ref, 0))]
        eqs.append(sum((o[i] * KJ[i] for i in act), zero) + Z * alpha - K * R(S.T.slope(ref)))
        eqs.append(sum((o[i] * (R(ref) * KJ[i] - KJp[i]) for i in act), zero) + Z * (alpha * R(ref) + E)
                   - K * R(S.T(ref)))
        eqs = list(dict.fromkeys(e for e in map(sympy.expand, eqs) if e != 0))
        return BasicSet(V.flat, tuple(eqs), tuple(sympy.expand(x) for x in strict),
                        tuple(sympy.expand(x) for x in nonstrict), label=f"{self.tag}: {_label(roles)}",
                        nonzero=tuple(nonzero))

    def local_dimension(self, ov: OuterView, roles, upper: int) -> int:
        """The dimension of the fibre at a member with outer view ``ov`` and type ``roles`` of this piece
        (``None``: of no listed type): the type's dimension when every neuron is a slot on the line — possibly
        several on one kink of the target, a cluster whose neurons stay on it (:meth:`_clusters_stay`; its
        dimension from :meth:`~semialg.families.bottleneck.line_slots.SlotCalculus.decide`), none on a shared
        point (its slots part nearby) — or an inert
        neuron that stays inert nearby (:meth:`_stays_inert`: given $v' \\ne 0$ it would be a lone kink crossing
        $\\hat P$, so nearby members are of the same type, or of one with a constant neuron instead, no larger) or
        that can only join the cluster of the kink it lies on (:meth:`_kink_to_join`: the larger of the types with
        and without it); else ``upper`` when a curve from the member
        runs into a type of that dimension (:func:`~semialg.families.bottleneck.line_closure.closure_lower_bound`),
        or :class:`UndecidedError` with bounds (below: that search, the free rows of inert neurons, two parameters
        per constant neuron, one scale per other neuron and $\\mu$; above: ``upper``)."""
        if roles is None:
            roles = self.locate(ov)
        if roles is not None and (not self._clusters_stay(ov, roles) or coincident(roles)):
            roles = None        # neurons that may part nearby
        if roles is not None and all(role[0] in ("V", "H", "D") or role[0] in ("C+", "C-") and
                                     self._stays_constant(ov, i) for i, role in enumerate(roles)):
            wake = {i: self._kink_to_join(ov, i) for i, role in enumerate(roles)
                    if role[0] == "D" and not self._stays_inert(ov, i)}
            if all(wake.values()):      # the types near the member: each such neuron inert or in its kink's cluster
                dims = [max(strata.values()) for chosen in itertools.chain.from_iterable(
                        itertools.combinations(wake, m) for m in range(len(wake) + 1))
                        if (strata := self._type_strata(tuple(wake[i] if i in chosen else role
                                                              for i, role in enumerate(roles))))]
                if dims:
                    return max(dims)
        lower = 1 + sum(self.n0 + 1 if v == 0 else 2 if not any(w) else 1 for w, v in zip(ov.w, ov.v, strict=True))
        return dimension_from_curves(self, ov, lower, upper, "a member with neurons off the line, inert or constant "
                                     "that may wake, or slots sharing a point off the kinks")

    def _clusters_stay(self, ov: OuterView, roles) -> bool:
        r"""Whether the neurons of every cluster on a kink of the target (several neurons on its line) stay on it
        near the member: no non-empty set of them has jumps $v'|\lambda|$ summing to $0$ (the seen kink lines of
        :mod:`~semialg.families.bottleneck.local`: $\hat P$ meets the kink's line, where $\sigma(h')$ must kink)."""
        for k in range(len(self.S.kinks)):
            jumps = [ov.v[i] * abs(ov.w[i][self.p]) for i, role in enumerate(roles) if role[0] == "V" and role[1] == k]
            if len(jumps) > 1 and any(sum(c, _ZERO) == 0 for m in range(1, len(jumps) + 1)
                                      for c in itertools.combinations(jumps, m)):
                return False
        return True

    def _kink_to_join(self, ov: OuterView, i: int):
        r"""``("V", k, o)`` when the inert neuron ``i`` lies on the line at the $k$-th kink of the target, the only
        inert neuron there, and no neuron is a zero neuron ($w = 0$, $b = 0$): given $v' \ne 0$ nearby it can only
        join the kink's cluster (elsewhere its kink would cross $\hat P$ alone; off the line it would need a phantom
        partner on its hyperplane). ``None`` otherwise."""
        w, b = ov.w[i], ov.b[i]
        lam = w[self.p]
        if lam == 0 or rank([w, self.u]) == 2 or any(not any(wj) and bj == 0 for wj, bj in zip(ov.w, ov.b)):
            return None
        key = normalise_row(tuple(w) + (b,))[0]
        if any(ov.v[j] == 0 and j != i and any(ov.w[j]) and normalise_row(tuple(ov.w[j]) + (ov.b[j],))[0] == key
               for j in range(len(ov.w))):
            return None
        k = next((k for k, (x, _) in enumerate(self.S.kinks) if x == -b / lam), None)
        return None if k is None else ("V", k, 1 if lam > 0 else -1)

    def _stays_inert(self, ov: OuterView, i: int) -> bool:
        r"""Whether the inert neuron ``i`` of a member keeps $v' = 0$ (or becomes constant) nearby: its row is off
        the line on a hyperplane of its own, or on the line at a point of $\hat P$ off the kinks of $T$ where no
        other neuron is, or zero with $b \ne 0$, no other neuron with a zero row and $\hat P$ unbounded both ways.
        *Proof.* Given $v' \ne 0$, its kink — off the line, or near its point, or (zero row) far out on the line
        or off it — crosses $\hat P$ with no other kink to cancel it (a kink near it needs a neuron on the same
        hyperplane already, or a zero row, which gets the far one only with $b = 0$), unless $w' = 0$: a constant
        neuron, two parameters against the inert neuron's $n_0 + 1$."""
        w, b = ov.w[i], ov.b[i]
        others = [tuple(ov.w[j]) + (ov.b[j],) for j in range(len(ov.w)) if j != i]
        if not any(w):
            return b != 0 and all(a is not None and z is not None for a, z, _, _ in self.S.nints) and \
                all(any(row[:-1]) for row in others)
        key = normalise_row(tuple(w) + (b,))[0]
        if any(any(row[:-1]) and normalise_row(row)[0] == key for row in others):
            return False
        if rank([w, self.u]) == 2:
            return True
        q = -b / w[self.p]
        return q not in {x for x, _ in self.S.kinks} and \
            not any((a is None or a <= q) and (z is None or q <= z) for a, z, _, _ in self.S.nints)

    def _stays_constant(self, ov: OuterView, i: int) -> bool:
        r"""Whether the constant neuron ``i`` ($w = 0 \ne v$) of a member keeps $w' = 0$ nearby: $b \ne 0$, $\hat P$
        unbounded both ways, and no set of the neurons with a zero row containing it has $\sum v_j|b_j| = 0$.
        *Proof.* Given $w' \ne 0$ its kink lies at distance about $|b|/|w'|$, far out, so it crosses $\hat P$ (on
        the line at either infinite end; off it every hyperplane crosses the slabs), where the kinks on one
        hyperplane must cancel. Only neurons whose rows tend to $0$ have kinks that far; on one hyperplane their
        rows are $\lambda_j(n, \beta)$ with $|\lambda_j| = |b'_j|/|\beta|$, so the cancellation
        $\sum v'_j|\lambda_j| = 0$ tends to $\sum v_j|b_j| = 0$ over a set of them, which no set does. $\square$"""
        w, b, v = ov.w[i], ov.b[i], ov.v[i]
        if any(w) or v == 0 or b == 0 or any(a is None or z is None for a, z, _, _ in self.S.nints):
            return False
        zeros = [ov.v[j] * abs(ov.b[j]) for j in range(len(ov.w)) if j != i and not any(ov.w[j])]
        return all(sum(c, v * abs(b)) != 0 for m in range(len(zeros) + 1) for c in itertools.combinations(zeros, m))

    def stays(self, ov: OuterView, roles) -> bool:
        """Whether the neurons of ``roles`` off the slots keep their roles nearby (:meth:`_stays_inert`, ...)."""
        return all(role[0] in _ON or role[0] == "D" and self._stays_inert(ov, i) or
                   role[0] in ("C+", "C-") and self._stays_constant(ov, i) for i, role in enumerate(roles))

    # -- locating ---------------------------------------------------------------------------------------------

    def locate(self, ov: OuterView, closure: bool = False):
        """The type of the outer view ``ov`` of a point with $\\operatorname{sign}\\mu$ and $t$ of this piece
        (checked by the caller), or ``None`` when it is of no listed type (a lone neuron off the line, a type
        feasible only with equalities). Neurons on the line sharing a point with cancelling jumps count as a
        phantom group on that point; several on one kink of the target (their jumps sum to the kink's, not $0$)
        are a cluster, several strictly inside an N-interval a shared point, slots at an end of one are ``"Z"``
        (callers of a piece that excludes flat members check membership). With ``closure``: the one type whose
        component may have the point in its closure (a breakpoint at an end of an N-interval moved inside it)."""
        S, roles, lines = self.S, [], {}
        for i, (w, b, v) in enumerate(zip(ov.w, ov.b, ov.v, strict=True)):
            lam = w[self.p]
            if v == 0:
                roles.append(("D",))
            elif not any(w):
                roles.append(("C+",) if b > 0 else ("C-",))
            else:
                roles.append(None)
                lines.setdefault(normalise_row(tuple(w) + (b,))[0], []).append(i)
        groups, slots = {}, []
        kinks = {x: k for k, (x, _) in enumerate(S.kinks)}
        for key, members in lines.items():
            w, b = ov.w[members[0]], ov.b[members[0]]
            lam = w[self.p]
            online = lam != 0 and all(x == lam * y for x, y in zip(w, self.u, strict=True))
            if len(members) > 1 and (not online or sum((ov.v[i] * abs(ov.w[i][self.p]) for i in members),
                                                       _ZERO) == 0):
                for i in members:
                    roles[i] = ("P", len(groups), normalise_row(tuple(ov.w[i]) + (ov.b[i],))[2])
                groups[key] = len(groups)
                continue
            x = -b / lam if lam != 0 else None
            if len(members) > 1 and online and x in kinks:
                for i in members:
                    roles[i] = ["V", kinks[x], 1 if ov.w[i][self.p] > 0 else -1]
                    slots.append((x, i))
                continue
            if not online or len(members) > 1 and closure:
                return None
            if x in kinks:
                i = members[0]
                roles[i] = ["V", kinks[x], 1 if lam > 0 else -1]
                slots.append((x, i))
                continue
            at_end = [(I, (a, bb).index(x)) for I, (a, bb, _, _) in enumerate(S.nints) if x in (a, bb)]
            if at_end and not closure:      # at an end of an N-interval (a zero of the target)
                for i in members:
                    roles[i] = ["Z", *at_end[0], 1 if ov.w[i][self.p] > 0 else -1, 1 if ov.v[i] > 0 else -1]
                    slots.append((x, i))
                continue
            inside = [I for I, (a, bb, _, _) in enumerate(S.nints) if (a is None or x > a or closure and x == a)
                      and (bb is None or x < bb or closure and x == bb)]
            if len(inside) != 1:
                return None
            for i in members:       # one slot, or several sharing the point
                roles[i] = ["H", inside[0], None, 1 if ov.w[i][self.p] > 0 else -1, 1 if ov.v[i] > 0 else -1]
                slots.append((x, i))
        on_kinks = [roles[i][1] for _, i in slots if roles[i][0] == "V"]
        if sorted(set(on_kinks)) != list(range(len(S.kinks))):
            return None
        for I in range(len(S.nints)):
            places = sorted({x for x, i in slots if roles[i][0] == "H" and roles[i][1] == I})
            for x, i in slots:
                if roles[i][0] == "H" and roles[i][1] == I:
                    roles[i][2] = places.index(x)
        roles = _renumber(tuple(tuple(r) for r in roles))
        return roles if self._type_strata(roles) else None

    # -- members ------------------------------------------------------------------------------------------------

    def sample(self, roles, rng: _random.Random) -> Network:
        """A member of the type ``roles`` on its larger stratum: the slots solved by the 1-D calculus (with
        $\\alpha$ free on the stratum $\\ell = \\alpha u \\ne 0$), the mixed groups' $(\\tau_g, n_g)$ solving
        $\\sum_g \\tau_gn_g = \\ell$, random scales, rows and $|\\mu|$."""
        pos = lambda: fmpq(rng.randint(1, 9), rng.randint(1, 9))  # noqa: E731
        q = lambda: fmpq(rng.randint(-9, 9), rng.randint(1, 9))  # noqa: E731
        key, n_on, P, n_c, n_p = self._split(roles)
        strata = self._type_strata(roles)
        if not strata:
            raise ParameterError(f"the type {_label(roles)} is empty: it is no component of this fibre")
        free = strata.get("free", -1) > strata.get("zero", -1)
        for _ in range(self.DRAWS):     # a random draw hits alpha = 0, v' = 0 or equal groups with probability < 1
            x = self._draw(roles, key, free, P.lone_groups > 0, rng, pos, q)
            if x is not None:
                return x
        raise UndecidedError(f"no member of type {_label(roles)} drawn in {self.DRAWS} tries")

    DRAWS = 100

    def _draw(self, roles, key, free: bool, stuck: bool, rng, pos, q) -> Network | None:
        """One random draw of :meth:`sample`, ``None`` when it missed the type (an open condition failed)."""
        S, view, n0 = self.S, self.view, self.n0
        on = sorted((i for i, r in enumerate(roles) if r[0] in _ON), key=lambda i: S.place(roles[i]))
        seqs = [points_of(roles, I) for I in range(len(S.nints))]
        slots, eps, alpha = solve_with(S, key[0], seqs, rng, free)
        if free and alpha == 0:
            return None
        it, where = iter(slots), {}        # neuron -> its slot (x, o, J): slots in the order of solve_with
        for k, c in enumerate(key[0]):
            cluster = [next(it) for _ in (c if isinstance(c, tuple) else (c,))]
            for i in on:
                if roles[i][:2] == ("V", k):
                    where[i] = next(sl for sl in cluster if sl[1] == roles[i][2])
                    cluster.remove(where[i])
        for I, seq in enumerate(seqs):
            for rk, point in enumerate(seq):
                here = [next(it) for _ in point_labels(point)]
                if sum((J for _, _, J in here), _ZERO) == 0:      # a shared point's jumps cancelling: resample
                    return None
                mine = ("Z", I, "ab".index(point[0])) if is_end(point) else ("H", I, rk - (seq[0][0] == "a"))
                for i in (i for i in on if roles[i][:3] == mine):
                    where[i] = next(sl for sl in here if (sl[1], 1 if sl[2] > 0 else -1) == roles[i][3:])
                    here.remove(where[i])
        s = pos()
        rows, b1, v = [None] * self.n1, [None] * self.n1, [None] * self.n1
        for i in on:
            x, o, J = where[i]
            lam = o * pos()
            rows[i], b1[i], v[i] = _scale(lam, self.u), -lam * x, s * J / abs(lam)
        E = s * eps
        grows = group_rows(roles, [s * alpha * x for x in self.u], free or stuck, n0, q)
        if grows is None:
            return None
        lines, shift = draw_groups(roles, rows, b1, v, grows, pos, q)
        E -= shift
        lines += list({normalise_row(tuple(rows[i]) + (b1[i],))[0] for i in on})
        if len(set(lines)) < len(lines) or any(v[i] == 0 for i, r in enumerate(roles) if r[0] == "P"):
            return None
        E -= draw_inert(roles, rows, b1, v, n0, pos, q)
        mu = self.sign * s
        d = tuple(x + c * self.level for x, c in zip(view.d, view.c, strict=True))
        return Network((tuple(rows), (tuple(v),), tuple((c / mu,) for c in view.c)), (tuple(b1), (E,), d))


def _cluster(orientations: list):
    """The orientation of a kink's slot, or the sorted orientations of a cluster of them."""
    return orientations[0] if len(orientations) == 1 else tuple(sorted(orientations))


def _renumber(roles) -> tuple:
    """Groups numbered in order of first appearance, each first member with orientation $+1$ (the convention of
    :class:`~semialg.families.shallow.typed.TypeIndex`)."""
    new, out = {}, []
    for r in roles:
        if r[0] == "P":
            g, s0 = new.setdefault(r[1], (len(new), r[2]))
            r = ("P", g, r[2] * s0)
        out.append(r)
    return tuple(out)


def _label(roles) -> str:
    out = []
    for lab in roles:
        if lab[0] == "V":
            out.append(f"V{lab[1] + 1}{'+' if lab[2] > 0 else '-'}")
        elif lab[0] == "H":
            out.append(f"N{lab[1] + 1}.{lab[2] + 1}{'+' if lab[3] > 0 else '-'}{'+' if lab[4] > 0 else '-'}")
        elif lab[0] == "P":
            out.append(f"P{lab[1] + 1}{'+' if lab[2] > 0 else '-'}")
        else:
            out.append(lab[0])
    return " ".join(out)
