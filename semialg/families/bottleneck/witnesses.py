r"""Symmetry witnesses for bottleneck equivalence: why two parameters compute the same function.

A :class:`BottleneckMoveCertificate` is a chain of moves from each parameter to a common normal form, up to
a final group element $g \in G$: ``verify`` replays every move — each checks its own precondition exactly
and raises :class:`~semialg.errors.CertificateError` when it does not hold — and checks
$g\cdot r_1 = r_2$ exactly. :meth:`~BottleneckMoveCertificate.mechanisms` names the mechanisms used (those of
:func:`~semialg.families.bottleneck.types.hidden_symmetries`).

Case (b) normal form (non-constant $f$): the first-layer row scaled to $\pm u$ ($u$ normalised), a reflected
branch reflected back, dead and zero-output neurons replaced by $(v, e, c) = (-1, -1, 0)$, constant neurons
absorbed into $d$, the A block merged into one neuron with $e = 0$ and every kink flipped into K+ through it,
coincident kinks merged, a hidden hyperplane translated to $\tau_{\min} = 1$, every $|v_j| = 1$. Two
equivalent generic parameters have normal forms in one $G$-orbit (after moving $H$ off a kink of the A block
in one of them). Otherwise — non-generic coincidences (an A block cancelling the K+ slopes, zero block slopes,
dead neurons, zero biases, coincident kinks), $H$ on a kink made by K− kinks alone, parameters of different
widths — both sides go to their *minimal form* (:func:`_minimal_form`): one K+ kink per breakpoint of the
profile, reached by named moves that may change the width (:class:`InsertNeuron`, :class:`DropNeuron`: a
neuron with $c = 0$ contributes nothing); the minimal forms of equivalent non-constant parameters are equal
up to a permutation. Constant functions reduce to $w = 0$, $b = 0$, one dead neuron and $d = f$
(:func:`_constant_form`). Both normal forms make the moves of what the two parameters share (the same dead
neuron cleared, the same A-block bias traded): :func:`_pruned` removes each mechanism both chains use when the
ends still match without it, so :meth:`~BottleneckMoveCertificate.mechanisms` names only what relates the two.
Case (a): :func:`~semialg.families.bottleneck.outer_moves.outer_witness` (0-factor flips, hidden-neuron moves,
the trade on $P$).

>>> a = Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])
>>> b = Network.from_arrays([[[1, 2]], [[1], [-1]], [[4, 3]]], [[-1], [1, 2], [-9]])     # kink flip
>>> cert = witness(a, b); cert.verify(a, b), cert.mechanisms()
(True, ['kink flips'])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from flint import fmpq

from semialg.core.certificate import check_neurons
from semialg.core.exact import normalise_row
from semialg.core.network import Network
from semialg.core.symmetry import GroupElement
from semialg.engine.orbit import orbit_element
from semialg.errors import ArchitectureError, CertificateError, ParameterError, UndecidedError
from semialg.families.bottleneck.moves import (AbsorbAtConstantInput, ActBy, BottleneckMove, BottleneckMoveCertificate,
                                               DropNeuron, FlipKinkSet, InsertNeuron, ResetFirstLayer, ReviveNeuron,
                                               _replace, _with, flip_kink, move_onto_kink, reflect,
                                               translate_hidden_hyperplane)
from semialg.families.bottleneck.outer_moves import (DropHiddenNeuron, FlipInner, InsertHiddenNeuron,
                                                     MoveHiddenNeuron, TradeOnP, outer_witness)
from semialg.families.bottleneck.ridge import ridge_profile
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import (RidgeView, _ONE, _ZERO, _slope_at_infinity,
                                              _slope_at_zero, _vadd, bottleneck_case)

__all__ = ["BottleneckMove", "ActBy", "ClearNeuron", "AbsorbConstant", "MergeAffine", "ShiftAffineBias",
           "FlipKink", "MergeKinks", "TranslateHidden", "MoveOntoKink", "FlipKinkSet", "ReviveNeuron",
           "InsertNeuron", "DropNeuron", "AbsorbAtConstantInput", "ResetFirstLayer", "Reflect", "FlipInner",
           "MoveHiddenNeuron", "InsertHiddenNeuron", "DropHiddenNeuron", "TradeOnP", "BottleneckMoveCertificate",
           "witness"]

_DEAD = (-_ONE, -_ONE)


@dataclass(frozen=True)
class ClearNeuron(BottleneckMove):
    """Second-layer neuron ``j`` contributes nothing on $t \\ge 0$ ($v_j \\le 0$ and $e_j \\le 0$, or $c_j = 0$):
    replace it by $(v, e, c) = (-1, -1, 0)$."""

    j: int
    mechanism: str = "dead neurons"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        check_neurons((self.j,), len(view.v))
        v, e, c = view.v[self.j], view.e[self.j], view.c[self.j]
        if not ((v <= 0 and e <= 0) or not any(c)):
            self._fail(f"neuron {self.j} is active on t > 0 with non-zero output weights")
        return _with(view, v=_replace(view.v, self.j, _DEAD[0]), e=_replace(view.e, self.j, _DEAD[1]),
                     c=_replace(view.c, self.j, (_ZERO,) * len(view.d)))

    def describe(self) -> str:
        return f"neuron {self.j} is dead on t >= 0: replaced by (v, e, c) = (-1, -1, 0)"


@dataclass(frozen=True)
class AbsorbConstant(BottleneckMove):
    """Neuron ``j`` with $v_j = 0$ is the constant $c_j\\sigma(e_j)$: add it to $d$ and clear the neuron."""

    j: int
    mechanism: ClassVar[str] = "A-block trade"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        check_neurons((self.j,), len(view.v))
        if view.v[self.j] != 0:
            self._fail(f"neuron {self.j} has v != 0")
        d = _vadd(view.d, view.c[self.j], max(view.e[self.j], _ZERO))
        return ClearNeuron(self.j).apply(_with(view, c=_replace(view.c, self.j, (_ZERO,) * len(view.d)), d=d))

    def describe(self) -> str:
        return f"neuron {self.j} is constant on t >= 0: absorbed into d"


def _always_active(view: RidgeView, j: int) -> bool:
    return view.v[j] > 0 and view.e[j] >= 0


@dataclass(frozen=True)
class MergeAffine(BottleneckMove):
    """Always-active neurons ``i`` and ``j`` ($v > 0$, $e \\ge 0$: affine on $t \\ge 0$): move $c_j$'s contribution
    into $c_i$ ($c_i \\mathrel{+}= c_jv_j/v_i$, $d$ compensates, $c_j = 0$)."""

    i: int
    j: int
    mechanism: ClassVar[str] = "A-block trade"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        check_neurons((self.i, self.j), len(view.v))
        i, j = self.i, self.j
        if not (_always_active(view, i) and _always_active(view, j)):
            self._fail(f"neurons {i}, {j} are not two distinct always-active neurons")
        ci = _vadd(view.c[i], view.c[j], view.v[j] / view.v[i])
        d = _vadd(view.d, view.c[j], view.e[j] - view.v[j] * view.e[i] / view.v[i])
        return _with(view, c=_replace(_replace(view.c, i, ci), j, (_ZERO,) * len(view.d)), d=d)

    def describe(self) -> str:
        return f"the affine contribution of neuron {self.j} moved into neuron {self.i} (d compensates)"


@dataclass(frozen=True)
class ShiftAffineBias(BottleneckMove):
    """Always-active neuron ``i``: $e_i \\mapsto 0$, $d \\mathrel{+}= c_ie_i$ (the $e \\leftrightarrow d$ trade)."""

    i: int
    mechanism: ClassVar[str] = "A-block trade"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        check_neurons((self.i,), len(view.v))
        if not _always_active(view, self.i):
            self._fail(f"neuron {self.i} is not always active")
        return _with(view, e=_replace(view.e, self.i, _ZERO), d=_vadd(view.d, view.c[self.i], view.e[self.i]))

    def describe(self) -> str:
        return f"bias of the always-active neuron {self.i} traded into d"


@dataclass(frozen=True)
class FlipKink(BottleneckMove):
    """Flip kink neuron ``j`` and absorb the affine term into the always-active neuron ``into``."""

    j: int
    into: int
    mechanism: ClassVar[str] = "kink flips"

    def apply(self, net: Network) -> Network:
        try:
            check_neurons((self.j, self.into), len(RidgeView.of(net).v))
            return flip_kink(net, self.j, self.into)
        except ArchitectureError as exc:
            self._fail(str(exc))

    def describe(self) -> str:
        return f"kink neuron {self.j} flipped, the affine term absorbed by neuron {self.into}"


def _tau(view: RidgeView, j: int) -> fmpq:
    return -view.e[j] / view.v[j]


def _is_kink(view: RidgeView, j: int) -> bool:
    v, e = view.v[j], view.e[j]
    return (v > 0 and e < 0) or (v < 0 and e > 0)


@dataclass(frozen=True)
class MergeKinks(BottleneckMove):
    """Kink neurons ``i``, ``j`` with the same $\\tau$ and orientation: $c_i \\mathrel{+}= c_j|v_j|/|v_i|$, $c_j = 0$."""

    i: int
    j: int
    mechanism: ClassVar[str] = "coincident kinks"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        check_neurons((self.i, self.j), len(view.v))
        i, j = self.i, self.j
        if not (_is_kink(view, i) and _is_kink(view, j)) or (view.v[i] > 0) != (view.v[j] > 0) \
                or _tau(view, i) != _tau(view, j):
            self._fail(f"neurons {i}, {j} are not two kinks at the same point with the same orientation")
        ci = _vadd(view.c[i], view.c[j], view.v[j] / view.v[i])
        return _with(view, c=_replace(_replace(view.c, i, ci), j, (_ZERO,) * len(view.d)))

    def describe(self) -> str:
        return f"kink neurons {self.i} and {self.j} at the same point merged"


@dataclass(frozen=True)
class TranslateHidden(BottleneckMove):
    """$H$ hidden: $b \\mapsto b + \\beta$, $e_j \\mapsto e_j - v_j\\beta$; valid when every $e_j < 0$ and every
    $e_j - v_j\\beta < 0$ (no neuron is active at $t = 0$ before or after, so both networks equal $d$ wherever
    either first-layer neuron is off, and agree where both are on)."""

    beta: fmpq
    mechanism: ClassVar[str] = "hidden hyperplane translation"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        if any(e >= 0 or e - v * self.beta >= 0 for v, e in zip(view.v, view.e, strict=True)):
            self._fail("some second-layer neuron is active at t = 0 before or after the translation")
        return translate_hidden_hyperplane(net, self.beta)

    def describe(self) -> str:
        return f"hidden first-layer hyperplane translated by beta = {self.beta}"


@dataclass(frozen=True)
class MoveOntoKink(BottleneckMove):
    """$H$ moved by $\\beta$ onto or off a kink (:func:`~.moves.move_onto_kink`): $b \\mapsto b + \\beta$,
    $e_j \\mapsto e_j - v_j\\beta$ where $c_j \\ne 0$; valid iff $\\tilde G$ is constant between $t = 0$ and
    $t = -\\beta$ (checked exactly). With $H$ visible and an always-active neuron it moves $H$ into the flat
    region, that neuron becoming the kink that makes the breakpoint; with $H$ hidden it puts $H$ on the first
    kink, whose neuron becomes always active."""

    beta: fmpq
    mechanism: ClassVar[str] = "H onto / off a kink"

    def apply(self, net: Network) -> Network:
        try:
            return move_onto_kink(net, self.beta)
        except ArchitectureError as exc:
            self._fail(str(exc))

    def describe(self) -> str:
        return f"first-layer hyperplane H moved by beta = {self.beta} onto / off a kink (G flat in between)"


@dataclass(frozen=True)
class Reflect(BottleneckMove):
    """$F$ constant at both ends ($a = k^+ = 0 < k^-$): the reflection of :func:`~.moves.reflect`."""

    mechanism: ClassVar[str] = "reflection"

    def apply(self, net: Network) -> Network:
        try:
            return reflect(net)
        except ArchitectureError as exc:
            self._fail(str(exc))

    def describe(self) -> str:
        return "reflected: w' = -w, b' = tau_max - b, kinks reflected, d' = F(-inf)"


# == case (b) normal form ==================================================================================

class _Chain:
    """A network and the moves applied to it so far."""

    def __init__(self, net: Network):
        self.net, self.moves, self._view = net, [], None

    def do(self, move: BottleneckMove) -> None:
        self.net = move.apply(self.net)
        self.moves.append(move)
        self._view = None

    @property
    def view(self) -> RidgeView:
        # read once per state: the reductions look at every neuron, a fresh view each time cost O(n2^2 n3)
        if self._view is None:
            self._view = RidgeView.of(self.net)
        return self._view


def _scale_first_layer(ch: _Chain) -> None:
    view = ch.view
    _, mu, _ = normalise_row(view.w)
    if mu != 1:
        ch.do(ActBy(GroupElement([(0,), tuple(range(len(view.v)))], [(1 / mu,), (_ONE,) * len(view.v)])))


def _clear(ch: _Chain) -> None:
    """Constant neurons into $d$; dead and zero-output neurons to $(-1, -1, 0)$."""
    for j in range(len(ch.view.v)):
        v, e, c = ch.view.v[j], ch.view.e[j], ch.view.c[j]
        if v == 0 and e > 0:
            ch.do(AbsorbConstant(j))
        elif ((v <= 0 and e <= 0) or not any(c)) and ((v, e) != _DEAD or any(c)):
            # a neuron emptied by an A-block merge is part of that trade, not a dead neuron
            ch.do(ClearNeuron(j, "A-block trade" if _always_active(ch.view, j) else "dead neurons"))


def _affine_block(ch: _Chain, flip: int = -1) -> None:
    """Merge the A block into its first neuron, flip every K- kink (K+ for ``flip = 1``) through it, trade its
    bias into $d$."""
    A = [j for j in range(len(ch.view.v)) if _always_active(ch.view, j)]
    if not A:
        return
    i0 = A[0]
    for j in A[1:]:
        ch.do(MergeAffine(i0, j))
    for j in range(len(ch.view.v)):
        if flip * ch.view.v[j] > 0 and flip * ch.view.e[j] < 0:
            ch.do(FlipKink(j, i0))
    if ch.view.e[i0] != 0:
        ch.do(ShiftAffineBias(i0))


def _merge_kinks(ch: _Chain) -> None:
    first: dict = {}
    for j in range(len(ch.view.v)):
        view = ch.view
        if _is_kink(view, j):
            key = (_tau(view, j), view.v[j] > 0)
            if key in first:
                ch.do(MergeKinks(first[key], j))
            else:
                first[key] = j


def _translate(ch: _Chain) -> None:
    view = ch.view
    if all(e < 0 for e in view.e):
        taus = [_tau(view, j) for j in range(len(view.v)) if view.v[j] > 0]
        if taus and min(taus) != 1:
            ch.do(TranslateHidden(1 - min(taus)))


def _unit_scales(ch: _Chain) -> None:
    view = ch.view
    scales = tuple(1 / abs(v) if v != 0 else _ONE for v in view.v)
    if any(s != 1 for s in scales):
        ch.do(ActBy(GroupElement([(0,), tuple(range(len(view.v)))], [(_ONE,), scales])))


def _normal_form(net: Network) -> _Chain:
    ch = _Chain(net)
    _scale_first_layer(ch)
    if ch.view.w[next(i for i, x in enumerate(ch.view.w) if x != 0)] < 0 and combinatorial_type(ch.net).reflective:
        ch.do(Reflect())
        _scale_first_layer(ch)
    _clear(ch)
    _affine_block(ch)
    _clear(ch)
    _merge_kinks(ch)
    _clear(ch)
    _translate(ch)
    _clear(ch)
    _unit_scales(ch)
    return ch


def _off_the_kink(ch: _Chain) -> bool:
    """A normal form with $H$ on a kink (an always-active neuron $(v, e) = (1, 0)$ making the first breakpoint)
    moved one unit off it into the flat region: that neuron becomes a kink at $\\tau = 1$ — the hidden normal
    form. ``False`` (the chain unchanged) when there is no such neuron or $\\tilde G$ is not flat on $[-1, 0]$."""
    view = ch.view
    if not any(v == 1 and e == 0 and any(c) for v, e, c in zip(view.v, view.e, view.c, strict=True)):
        return False
    try:
        ch.do(MoveOntoKink(_ONE))
    except CertificateError:
        return False
    return True


def _minimal_form(net: Network) -> _Chain:
    r"""The minimal hidden form of a non-constant case-(b) parameter, by named moves: the direct branch (reflected
    back when $F$ is flat at both ends: the K+ kinks flipped into the A block, or together when there is none,
    make the type reflective), constants absorbed, the A block merged with $e = 0$, every K− kink flipped into it
    (a neuron with $c = 0$ revived, or inserted, as the A neuron $(1, 0)$ when there is none; flipped together
    when $G'(0^+) = 0$), coincident kinks merged, $H$ moved off its kink to $\tau_{\min} = 1$, the neurons with
    $c = 0$ removed and every $v_j = 1$: one K+ kink per breakpoint of the profile, so two equivalent
    parameters (of any widths) reach forms equal up to a permutation."""
    ch = _Chain(net)
    _scale_first_layer(ch)
    if ch.view.w[next(i for i, x in enumerate(ch.view.w) if x != 0)] < 0 and not any(_slope_at_infinity(ch.view)):
        _clear(ch)
        _affine_block(ch, flip=1)
        _clear(ch)
        plus = tuple(j for j, c in enumerate(ch.view.classes()) if c == "K+")
        if plus:
            ch.do(FlipKinkSet(plus))
        ch.do(Reflect())
        _scale_first_layer(ch)
    _clear(ch)
    minus = [j for j, c in enumerate(ch.view.classes()) if c == "K-"]
    if minus and not any(c == "A" for c in ch.view.classes()):
        if not any(_slope_at_zero(ch.view)):
            ch.do(FlipKinkSet(tuple(minus)))
        else:
            spare = next((j for j, c in enumerate(ch.view.c) if not any(c)), None)
            ch.do(InsertNeuron(_ONE, _ZERO) if spare is None else ReviveNeuron(spare, _ONE, _ZERO))
    _affine_block(ch)
    _clear(ch)
    _merge_kinks(ch)
    _clear(ch)
    view = ch.view
    taus = [_tau(view, j) if view.e[j] else _ZERO for j in range(len(view.v)) if view.v[j] > 0 and any(view.c[j])]
    if taus and min(taus) != 1:
        ch.do(MoveOntoKink(1 - min(taus)))
    for j in reversed(range(len(ch.view.v))):
        if not any(ch.view.c[j]) and len(ch.view.v) > 1:
            ch.do(DropNeuron(j))
    _unit_scales(ch)
    return ch


def _constant_form(net: Network) -> _Chain:
    r"""A constant case-(b) parameter reduced by named moves to $w = 0$, $b = 0$, one neuron $(-1, -1, 0)$ and
    $d = f$: with $w = 0$ every neuron is absorbed into $d$; otherwise $G$ is constant on $t \ge 0$, so after
    the A block is merged and the K− kinks flipped into it (or together: $G'(0^+) = 0$) the K+ kinks at each
    point cancel when merged and the A block's slope vanishes."""
    ch = _Chain(net)
    if any(ch.view.w):
        _clear(ch)
        _affine_block(ch)
        minus = tuple(j for j, c in enumerate(ch.view.classes()) if c == "K-" and any(ch.view.c[j]))
        if minus and not any(c == "A" for c in ch.view.classes()):
            ch.do(FlipKinkSet(minus))
        _clear(ch)
        _merge_kinks(ch)
        _clear(ch)
    else:
        for j in range(len(ch.view.v)):
            if any(ch.view.c[j]):
                ch.do(AbsorbAtConstantInput(j))
    ch.do(ResetFirstLayer())
    _clear(ch)
    for j in reversed(range(1, len(ch.view.v))):
        ch.do(DropNeuron(j, "constant function"))
    return ch


def _matching(r1: Network, r2: Network) -> GroupElement | None:
    """The permutation of the second layer taking ``r1`` to ``r2`` (``None`` if the neuron multisets differ)."""
    v1, v2 = RidgeView.of(r1), RidgeView.of(r2)
    if len(v1.v) != len(v2.v):
        return None  # G preserves widths; a width change needs neuron insertion/removal moves, not modelled here
    rows1 = [(v1.v[j], v1.e[j], v1.c[j]) for j in range(len(v1.v))]
    rows2 = [(v2.v[j], v2.e[j], v2.c[j]) for j in range(len(v2.v))]
    order1 = sorted(range(len(rows1)), key=lambda j: repr(rows1[j]))
    order2 = sorted(range(len(rows2)), key=lambda j: repr(rows2[j]))
    perm = [0] * len(rows1)
    for a, b in zip(order1, order2, strict=True):
        perm[b] = a
    g = GroupElement([(0,), tuple(perm)], [(_ONE,), (_ONE,) * len(perm)])
    return g if g.act(r1) == r2 else None


def witness(net1: Network, net2: Network) -> BottleneckMoveCertificate | None:
    """Moves relating two equivalent bottleneck parameters through their normal forms (case (b): the minimal
    forms when the normal forms are not in one $G$-orbit; constant functions: the constant form; case (a):
    :func:`~.outer_moves.outer_witness`, flips, hidden-neuron moves and the trade on $P$), or ``None`` (case (a)
    outside regime PN or with two neurons on one visible hyperplane). Cost: $O(n_2^2 n_3)$ exact operations in
    case (b); in case (a) $O(n_1n_0)$ without hidden moves, else one arrangement per move."""
    if bottleneck_case(net1) == "a":
        return outer_witness(net1, net2)
    if bottleneck_case(net1) != "b":
        return None
    if ridge_profile(net1).is_constant:
        try:
            c1, c2 = _constant_form(net1), _constant_form(net2)
        except CertificateError:
            return None       # a move the reduction expected is not valid: the profile certificate stands
        g = _matching(c1.net, c2.net)
        return None if g is None else BottleneckMoveCertificate(tuple(c1.moves), tuple(c2.moves), g)
    c1, c2 = _normal_form(net1), _normal_form(net2)
    g = _matching(c1.net, c2.net)
    for ch in (c1, c2):
        # H on a kink in one normal form and hidden in the other: the same function, H moved off the kink
        if g is None and _off_the_kink(ch):
            g = _matching(c1.net, c2.net)
    if g is None:
        # non-generic coincidences, H on a kink made by K- kinks alone, different widths: the minimal forms
        try:
            c1, c2 = _minimal_form(net1), _minimal_form(net2)
        except CertificateError:
            return None       # a move the reduction expected is not valid: the profile certificate stands
        g = _matching(c1.net, c2.net)
    if g is None:
        return None
    return _pruned(BottleneckMoveCertificate(tuple(c1.moves), tuple(c2.moves), g), net1, net2)


def _rematched(moves1: tuple, moves2: tuple, net1: Network, net2: Network) -> BottleneckMoveCertificate | None:
    """The certificate of these chains — without the moves that no longer apply (a neuron left for a removed
    move to empty is not cleared) — with the group element relating their ends, if one exists."""
    ends, kept = [], []
    for net, moves in ((net1, moves1), (net2, moves2)):
        out = []
        for mv in moves:
            try:
                net = mv.apply(net)
            except (CertificateError, ParameterError, IndexError, ZeroDivisionError):
                continue
            out.append(mv)
        ends.append(net)
        kept.append(tuple(out))
    try:
        g = orbit_element(*ends, budget=64)
    except UndecidedError:
        return None
    return BottleneckMoveCertificate(*kept, g) if g is not None and g.act(ends[0]) == ends[1] else None


def _pruned(cert: BottleneckMoveCertificate, net1: Network, net2: Network) -> BottleneckMoveCertificate:
    r"""``cert`` without the moves of each mechanism it can do without: both normal forms make the moves of
    the neurons the two parameters share (the same dead neuron cleared, the same A-block bias traded on both
    sides), which relate nothing. For each mechanism both chains use, in turn, its moves are removed from both
    chains (a mechanism one side alone uses is a difference between the two) and the ends re-matched by a group element (:func:`~semialg.engine.orbit.orbit_element`); the shorter chains
    are kept when they replay. First, when both chains translate a hidden $H$ (to $\tau_{\min} = 1$), one
    translation by the difference on one side is tried: it may need no other move (the dead neurons cleared
    only so that the longer translations keep them off). Cost: one replay and one orbit search per mechanism."""
    t1 = [k for k, mv in enumerate(cert.moves1) if isinstance(mv, TranslateHidden)]
    t2 = [k for k, mv in enumerate(cert.moves2) if isinstance(mv, TranslateHidden)]
    if len(t1) == len(t2) == 1:
        beta = cert.moves1[t1[0]].beta - cert.moves2[t2[0]].beta
        one = lambda ms, k, b: ms[:k] + ((TranslateHidden(b),) if b else ()) + ms[k + 1:]  # noqa: E731
        for m1, m2 in ((one(cert.moves1, t1[0], beta), one(cert.moves2, t2[0], _ZERO)),
                       (one(cert.moves1, t1[0], _ZERO), one(cert.moves2, t2[0], -beta))):
            trial = _rematched(m1, m2, net1, net2)
            if trial is not None:
                cert = trial
                break
    for name in sorted({mv.mechanism for mv in cert.moves1} & {mv.mechanism for mv in cert.moves2} - {"G"}):
        trial = _rematched(tuple(mv for mv in cert.moves1 if mv.mechanism != name),
                           tuple(mv for mv in cert.moves2 if mv.mechanism != name), net1, net2)
        if trial is not None:
            cert = trial
    return cert
