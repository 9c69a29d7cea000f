r"""The moves of bottleneck networks beyond $G$, as functions on parameters (each preserves the function
under its stated precondition).

Case (b): :func:`translate_hidden_hyperplane`, :func:`move_onto_kink`, :func:`flip_kink`,
:func:`trade_affine_block`, :func:`reflect`; both cases: :func:`replace_neuron` (dead and hidden neurons).
Texts number neurons from 1 (fields and arguments from 0). Also the base :class:`BottleneckMove` of the replayable
moves, the group action :class:`ActBy`, the certificate
:class:`BottleneckMoveCertificate` that replays them, those that change which neurons are used
(:class:`FlipKinkSet`, :class:`ReviveNeuron`, :class:`InsertNeuron`, :class:`DropNeuron` — the width changes —,
:class:`AbsorbAtConstantInput`, :class:`ResetFirstLayer`) and the case-(b) moves the witnesses of
:mod:`~semialg.families.bottleneck.witnesses` are made of (:class:`ClearNeuron`, :class:`AbsorbConstant`,
:class:`MergeAffine`, :class:`ShiftAffineBias`, :class:`FlipKink`, :class:`MergeKinks`, :class:`TranslateHidden`,
:class:`MoveOntoKink`, :class:`Reflect`); case (a)'s live in :mod:`~semialg.families.bottleneck.outer_moves`.

>>> net = Network.from_arrays([[[1, 1]], [[1], [2]], [[1, -2]]], [[0], [-1, -6], [0]])   # hidden H
>>> translate_hidden_hyperplane(net, "1/2").biases[:2]
((1/2,), (-3/2, -7))
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import ClassVar, Sequence

from flint import fmpq

from semialg.core.certificate import Certificate, check_neurons, defined_in, group_element
from semialg.core.exact import to_fmpq
from semialg.core.network import Network
from semialg.core.result import Latexable
from semialg.core.symmetry import GroupElement
from semialg.errors import ArchitectureError, CertificateError, ParameterError
from semialg.families.bottleneck.outer import equivalent_outer
from semialg.families.bottleneck.ridge import equivalent_ridge
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import (RidgeView, bottleneck_case, _ONE, _ZERO, _ridge_class, _scale,
                                              _slope_at_zero, _vadd)

__all__ = ["translate_hidden_hyperplane", "move_onto_kink", "flip_kink", "trade_affine_block", "reflect", "replace_neuron",
           "BottleneckMove", "FlipKinkSet", "ReviveNeuron", "InsertNeuron", "DropNeuron", "AbsorbAtConstantInput",
           "ResetFirstLayer", "ActBy", "BottleneckMoveCertificate", "listing_names", "chain_mechanisms", "ClearNeuron", "AbsorbConstant", "MergeAffine",
           "ShiftAffineBias", "FlipKink", "MergeKinks", "TranslateHidden", "MoveOntoKink", "Reflect"]


def translate_hidden_hyperplane(net: Network, beta, check: bool = True) -> Network:
    r"""Case (b), $H$ hidden: $b \mapsto b + \beta$, $e_j \mapsto e_j - v_j\beta$ (function-preserving while every
    $e'_j < 0$ stays a switch-on neuron, i.e. $\beta > -\tau_{\min}$). With ``check`` (default) the precondition —
    every $e_j < 0$ and every $e_j - v_j\beta < 0$ — is checked exactly (:class:`ArchitectureError` otherwise);
    ``check=False`` applies the map anyway (to show what goes wrong beyond it). Cost: $O(n_2)$."""
    view = RidgeView.of(net)
    beta = to_fmpq(beta, where="beta")
    if check and any(e >= 0 or e - v * beta >= 0 for v, e in zip(view.v, view.e, strict=True)):
        raise ArchitectureError(f"translate_hidden_hyperplane by {beta}: some second-layer neuron is active at "
                                f"t = 0 before or after the translation (H is not hidden throughout)")
    return RidgeView(view.w, view.b + beta, view.v, tuple(e - v * beta for v, e in zip(view.v, view.e, strict=True)),
                     view.c, view.d).network()


def _extended(view: RidgeView, s: fmpq) -> tuple[fmpq, ...]:
    r"""$\tilde G(s) = \sum_j c_j\sigma(v_js + e_j) + d$ at any real $s$ (the output for $\sigma(z) = s$ when $s \ge 0$)."""
    out = view.d
    for v, e, c in zip(view.v, view.e, view.c, strict=True):
        out = _vadd(out, c, max(v * s + e, _ZERO))
    return out


def move_onto_kink(net: Network, beta) -> Network:
    r"""Case (b): move the first-layer hyperplane $H$ by $\beta$ — $b \mapsto b + \beta$ and
    $e_j \mapsto e_j - v_j\beta$ for every neuron with $c_j \ne 0$ (the others contribute nothing and stay) — which
    preserves the function iff $\tilde G(s) = \sum_j c_j\sigma(v_js + e_j) + d$ is constant between $s = 0$ and
    $s = -\beta$: with $z = w\cdot x + b$, $f = \tilde G(\sigma(z))$ and $f' = \tilde G(\sigma(z + \beta) - \beta)$
    agree for $z \ge \max(0, -\beta)$, and elsewhere exactly when $\tilde G$ is flat there (every $z$ occurs when
    $w \ne 0$; with $w = 0$ flatness still suffices). This moves $H$ off a kink into the flat region of
    $\varphi$ (an always-active neuron with $e_j = 0$ becomes the kink making $H$'s breakpoint) or onto the first
    kink (the kink's neuron becomes always active); the hidden translation is the case where no neuron is active
    at either end. Checked exactly at $0$, $-\beta$ and every $\tau_j$ between; raises
    :class:`~semialg.errors.ArchitectureError` otherwise. Cost: $O(n_2^2n_3)$.

    >>> net = Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [0, -2], [0]])    # A at e = 0: H on a kink
    >>> moved = move_onto_kink(net, 1); moved.biases[:2], moved([3, 1]) == net([3, 1])
    (((0,), (-1, -3)), True)
    """
    view = RidgeView.of(net)
    beta = to_fmpq(beta, where="beta")
    lo, hi = min(_ZERO, -beta), max(_ZERO, -beta)
    points = {lo, hi} | {-e / v for v, e in zip(view.v, view.e, strict=True) if v != 0 and lo < -e / v < hi}
    if len({_extended(view, s) for s in points}) > 1:
        raise ArchitectureError(f"moving H by beta = {beta} changes the function: G is not constant between "
                                f"t = 0 and t = {-beta}")
    e = tuple(x - v * beta if any(c) else x for v, x, c in zip(view.v, view.e, view.c, strict=True))
    return RidgeView(view.w, view.b + beta, view.v, e, view.c, view.d).network()


def flip_kink(net: Network, j: int, into: int) -> Network:
    r"""Case (b): flip kink neuron $j$, $c\sigma(vt + e) = c\sigma(-vt - e) + c(vt + e)$, and absorb the affine
    term into the always-active neuron ``into`` ($c_i \mathrel{+}= c_jv_j/v_i$, $d$ compensates)."""
    view = RidgeView.of(net)
    kind, host = _ridge_class(view.v[j], view.e[j]), _ridge_class(view.v[into], view.e[into])  # O(1), not O(n2)
    if kind not in ("K+", "K-") or host != "A" or view.v[into] == 0:
        raise ArchitectureError(f"flip_kink needs a kink neuron (got {kind}) and an always-active neuron "
                                f"with v != 0 (got {host})")
    v, e, c = list(view.v), list(view.e), list(view.c)
    ci = _vadd(c[into], c[j], v[j] / v[into])
    d = _vadd(_vadd(view.d, c[j], e[j]), _vadd(ci, c[into], fmpq(-1)), -e[into])
    c[into] = ci
    v[j], e[j] = -v[j], -e[j]
    return RidgeView(view.w, view.b, tuple(v), tuple(e), tuple(c), d).network()


def trade_affine_block(net: Network, i: int, j: int, delta, check: bool = True) -> Network:
    r"""Case (b): move slope $\delta$ between always-active neurons $i \ne j$ ($S_A$ fixed, $d$ compensates);
    with $i = j$ the $e \leftrightarrow d$ trade $e_i \mathrel{+}= \delta$, $d \mathrel{-}= c_i\delta$. The neurons
    must be always active on $t \ge 0$ ($v > 0$, $e \ge 0$; for the trade also $e_i + \delta \ge 0$), checked
    exactly unless ``check=False`` (:class:`ArchitectureError`; $v_i = 0$ is refused either way). Cost: $O(n_3)$."""
    view = RidgeView.of(net)
    delta = to_fmpq(delta, where="delta")
    v, e, c, d = list(view.v), list(view.e), list(view.c), view.d
    if not all(isinstance(k, int) and 0 <= k < len(v) for k in (i, j)):
        raise ParameterError(f"trade_affine_block: neurons {i}, {j} must be indices in 0..{len(v) - 1}")
    if v[i] == 0 or v[j] == 0:
        raise ArchitectureError(f"trade_affine_block: neuron {i if v[i] == 0 else j} has v = 0 (no slope to trade)")
    if check and any(v[k] <= 0 or e[k] < 0 for k in (i, j)) or check and i == j and e[i] + delta < 0:
        raise ArchitectureError(f"trade_affine_block: neurons {i + 1} and {j + 1} must stay always active on t >= 0 "
                                f"(v > 0, e >= 0)")
    if i == j:
        e[i] += delta
        d = _vadd(d, c[i], -delta)
    else:
        c[i] = _vadd(c[i], (_ONE,) * len(d), delta / v[i])
        c[j] = _vadd(c[j], (_ONE,) * len(d), -delta / v[j])
        d = _vadd(d, (_ONE,) * len(d), -delta * e[i] / v[i] + delta * e[j] / v[j])
    return RidgeView(view.w, view.b, tuple(v), tuple(e), tuple(c), d).network()


def reflect(net: Network) -> Network:
    r"""Case (b) with $a = k^+ = 0 < k^-$ ($F$ constant at both ends): $w' = -w$, $b' = \tau_{\max} - b$, the kinks
    reflected $\tau \mapsto \tau_{\max} - \tau$, the kink at $H$ carried by the neuron of $\tau_{\max}$, and
    $d' = F(-\infty) = G(0)$."""
    view = RidgeView.of(net)
    t = combinatorial_type(net)
    if not t.reflective:
        raise ArchitectureError(f"reflect needs a = k+ = 0 < k- (F constant at both ends), got {t.describe()}")
    tau = {j: -e / v for j, (v, e) in enumerate(zip(view.v, view.e, strict=True)) if t.classes[j] == "K-"}
    jmax = max(tau, key=lambda j: tau[j])
    tmax = tau[jmax]
    v, e, c = list(view.v), list(view.e), list(view.c)
    g0 = _slope_at_zero(view)
    for j in tau:
        target = tmax - tau[j] if j != jmax else tmax
        e[j] = -v[j] * target
        if j == jmax:
            c[j] = _scale(1 / abs(v[j]), g0)
    d = view.d
    for j in tau:
        d = _vadd(d, view.c[j], view.e[j])
    return RidgeView(_scale(fmpq(-1), view.w), tmax - view.b, tuple(v), tuple(e), tuple(c), d).network()


def replace_neuron(net: Network, layer: int, i: int, incoming: Sequence, bias, outgoing: Sequence,
                   check: bool = True) -> Network:
    """A copy with neuron ``i`` (0-based) of hidden ``layer`` (1-based) given new incoming weights, bias and
    outgoing weights: the dead-neuron (Z) and hidden-neuron (U-) freedoms. With ``check`` (default) the copy must
    compute the same function, decided exactly (the ridge profiles in case (b), the joint arrangement in case
    (a); :class:`ArchitectureError` naming a separating input otherwise); ``check=False`` skips it. Cost: that of
    the decision."""
    W = [list(r) for r in net.weights[layer - 1]]
    b = list(net.biases[layer - 1])
    Wn = [list(r) for r in net.weights[layer]]
    W[i] = list(incoming)
    b[i] = bias
    for r, x in zip(Wn, outgoing, strict=True):
        r[i] = x
    out = net.replace_layer(layer, W, b).replace_layer(layer + 1, Wn)
    if check:
        r = (equivalent_ridge if bottleneck_case(net) == "b" else equivalent_outer)(net, out)
        if not r:
            raise ArchitectureError(f"replace_neuron: neuron {i + 1} of layer {layer} cannot move there: the function "
                                    f"changes at x = {[str(t) for t in r.certificate.point]}")
    return out


# == replayable move objects (the certificates of witnesses.py replay them) =====================

class BottleneckMove(Latexable):
    """A function-preserving move on case-(b) parameters; ``apply`` checks its precondition exactly."""

    mechanism: ClassVar[str] = ""

    def apply(self, net: Network) -> Network:
        raise NotImplementedError

    def _fail(self, why: str):
        raise CertificateError(f"{type(self).__name__}: {why}")

    def inserted(self) -> int:
        """The number of second-layer neurons ``apply`` appends (``verify`` bounds the total before replaying)."""
        return 0

    def mechanisms(self) -> tuple[str, ...]:
        """The mechanisms this move uses (one, but for a trade absorbing two kinds of affine change)."""
        return (self.mechanism,)


def _nums(neurons) -> list:
    """Neuron indices as the texts number them, from 1."""
    return [k + 1 if isinstance(k, int) else k for k in neurons]


def _with(view: RidgeView, **changes) -> Network:
    fields = dict(w=view.w, b=view.b, v=view.v, e=view.e, c=view.c, d=view.d)
    fields.update(changes)
    return RidgeView(**fields).network()


def _replace(seq, j, value) -> tuple:
    out = list(seq)
    out[j] = value
    return tuple(out)


@dataclass(frozen=True)
class FlipKinkSet(BottleneckMove):
    r"""Flip every neuron of ``S`` ($c\sigma(vt + e) = c\sigma(-vt - e) + c(vt + e)$) when their affine terms
    have zero total slope, $\sum_{j \in S} c_jv_j = 0$ (checked exactly): $d \mathrel{+}= \sum_S c_je_j$. The kink
    flips of a parameter without an A block (K+ kinks whose slopes cancel, or K− kinks with $G'(0^+) = 0$)."""

    S: tuple[int, ...]
    mechanism: ClassVar[str] = "kink flips"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        check_neurons(self.S, len(view.v))
        S = self.S
        if not S:
            self._fail(f"S = {_nums(S)} is not a non-empty set of second-layer neurons")
        slope, d = (_ZERO,) * len(view.d), view.d
        for j in S:
            slope, d = _vadd(slope, view.c[j], view.v[j]), _vadd(d, view.c[j], view.e[j])
        if any(slope):
            self._fail(f"the flipped affine terms of S = {_nums(S)} have non-zero slope")
        v = tuple(-x if j in S else x for j, x in enumerate(view.v))
        e = tuple(-x if j in S else x for j, x in enumerate(view.e))
        return _with(view, v=v, e=e, d=d)

    def describe(self) -> str:
        return f"kink neurons {_nums(self.S)} flipped together (their affine terms cancel, d absorbs the constant)"


@dataclass(frozen=True)
class ReviveNeuron(BottleneckMove):
    """Neuron ``j`` with $c_j = 0$ (it contributes nothing) given $(v_j, e_j) = $ ``(v, e)``."""

    j: int
    v: fmpq
    e: fmpq
    mechanism: ClassVar[str] = "dead neurons"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        check_neurons((self.j,), len(view.v))
        if any(view.c[self.j]):
            self._fail(f"neuron {self.j + 1} has non-zero output weights")
        return _with(view, v=_replace(view.v, self.j, fmpq(self.v)), e=_replace(view.e, self.j, fmpq(self.e)))

    def describe(self) -> str:
        return f"neuron {self.j + 1} (output weights 0) given v = {self.v}, e = {self.e}"


@dataclass(frozen=True)
class InsertNeuron(BottleneckMove):
    """A second-layer neuron $(v, e, c) = ($``v``, ``e``$, 0)$ appended (width $n_2 + 1$): it contributes nothing."""

    v: fmpq
    e: fmpq
    mechanism: ClassVar[str] = "dead neurons"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        return _with(view, v=view.v + (fmpq(self.v),), e=view.e + (fmpq(self.e),),
                     c=view.c + ((_ZERO,) * len(view.d),))

    def inserted(self) -> int:
        return 1

    def describe(self) -> str:
        return f"a neuron with output weights 0 inserted (v = {self.v}, e = {self.e})"


#: Why a neuron is cleared or dropped (the witness builder's label, named by ``mechanisms()``); anything else is
#: refused, so a certificate cannot name a mechanism that no move of this kind can be.
CLEARING_LABELS = frozenset({"dead neurons", "A-block trade", "coincident kinks", "constant function"})


def _check_label(move: "BottleneckMove") -> None:
    if type(move.mechanism) is not str or move.mechanism not in CLEARING_LABELS:
        move._fail(f"{move.mechanism!r} is not a reason to clear a neuron (one of {sorted(CLEARING_LABELS)})")


@dataclass(frozen=True)
class DropNeuron(BottleneckMove):
    """Second-layer neuron ``j`` with $c_j = 0$ removed (width $n_2 - 1 \\ge 1$)."""

    j: int
    mechanism: str = "dead neurons"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        _check_label(self)
        check_neurons((self.j,), len(view.v))
        j = self.j
        if len(view.v) == 1 or any(view.c[j]):
            self._fail(f"neuron {j + 1} has non-zero output weights or is the only one")
        cut = lambda seq: seq[:j] + seq[j + 1:]  # noqa: E731
        return _with(view, v=cut(view.v), e=cut(view.e), c=cut(view.c))

    def describe(self) -> str:
        return f"neuron {self.j + 1} (output weights 0) removed"


@dataclass(frozen=True)
class AbsorbAtConstantInput(BottleneckMove):
    """First-layer row $w = 0$: neuron ``j`` is the constant $c_j\\sigma(v_j\\sigma(b) + e_j)$; add it to $d$,
    $c_j = 0$."""

    j: int
    mechanism: ClassVar[str] = "constant function"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        if any(view.w) or not 0 <= self.j < len(view.v):
            self._fail(f"the first-layer row is not zero (or there is no neuron {self.j + 1})")
        value = max(view.v[self.j] * max(view.b, _ZERO) + view.e[self.j], _ZERO)
        return _with(view, c=_replace(view.c, self.j, (_ZERO,) * len(view.d)), d=_vadd(view.d, view.c[self.j], value))

    def describe(self) -> str:
        return f"neuron {self.j + 1} is constant (w = 0): absorbed into d"


@dataclass(frozen=True)
class ResetFirstLayer(BottleneckMove):
    """Every $c_j = 0$ ($f = d$): the first-layer neuron is seen by nothing; $w = 0$, $b = 0$."""

    mechanism: ClassVar[str] = "constant function"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        if any(any(c) for c in view.c):
            self._fail("some second-layer neuron has non-zero output weights")
        return _with(view, w=(_ZERO,) * len(view.w), b=_ZERO)

    def describe(self) -> str:
        return "every output weight is zero: first layer set to w = 0, b = 0"


@dataclass(frozen=True)
class ActBy(BottleneckMove):
    """The action of a group element $g \\in G$."""

    element: GroupElement
    mechanism: ClassVar[str] = "G"

    def apply(self, net: Network) -> Network:
        return group_element(self.element).act(net)

    def describe(self) -> str:
        return f"act by {self.element!r}"


@functools.singledispatch
def listing_names(move: BottleneckMove, net: Network) -> tuple[str, ...]:
    r"""The mechanisms ``move`` uses on ``net``, as :func:`~.types.hidden_symmetries` of ``net`` names them (of the
    network it makes, for neurons it inserts): by the classes of the neurons it moves, where the move's type
    names the mechanism otherwise (e.g. ``TradeOnP`` over mixed neurons is the listing's "mixed hidden neurons
    (U+-)"). This default is the move's own :meth:`~BottleneckMove.mechanisms`; the moves named by class register
    theirs in :mod:`~.move_names`. Names only: nothing here is part of a certificate's proof."""
    return move.mechanisms()


def chain_mechanisms(net: Network, moves: Sequence[BottleneckMove]) -> set[str]:
    """The names (:func:`listing_names`) of ``moves`` replayed from ``net``, in order. Cost: one replay and that
    of the names, a :func:`~.types.combinatorial_type` or two per move named by class."""
    names: set[str] = set()
    for mv in moves:
        after = mv.apply(net)       # checked first: a forged move raises CertificateError before it is named
        names.update(listing_names(mv, net))
        net = after
    return names


def _constant_neurons(net: Network) -> bool:
    """Whether a case-(a) network has a constant first-layer neuron ($w_i = 0$ or $v_i = 0$)."""
    return net.depth == 3 and net.widths[2] == 1 and any(
        not any(w) or v == 0 for w, v in zip(net.weights[0], net.weights[1][0], strict=True))


@dataclass(frozen=True)
class BottleneckMoveCertificate(Certificate):
    """``net1 -moves1-> r1``, ``net2 -moves2-> r2`` and ``element . r1 = r2``; every move checks its precondition."""

    SUPPORTS: ClassVar[frozenset] = frozenset({True})

    moves1: tuple[BottleneckMove, ...]
    moves2: tuple[BottleneckMove, ...]
    element: GroupElement

    def verify(self, net1: Network, net2: Network) -> bool:
        # the family's own classes only: a subclass defined elsewhere could override apply's checks
        if not all(isinstance(mv, BottleneckMove) and type(mv) is not BottleneckMove and defined_in(type(mv), "semialg.families.bottleneck")
                   for mv in self.moves1 + self.moves2):
            raise CertificateError("a bottleneck move certificate holds bottleneck moves and a group element")
        group_element(self.element)
        # no witness needs more inserted neurons than both widths and one per move: a forged count would make the
        # replay allocate without bound
        room = net1.widths[2] + net2.widths[2] + len(self.moves1) + len(self.moves2)
        if sum(mv.inserted() for mv in self.moves1 + self.moves2) > room:
            raise CertificateError(f"the moves insert more than {room} neurons (n2 + n2' + the number of moves), "
                                   "which no certificate needs")
        r1, r2 = net1, net2
        for mv in self.moves1:
            r1 = mv.apply(r1)
        for mv in self.moves2:
            r2 = mv.apply(r2)
        if self.element.act(r1) != r2:
            raise CertificateError("the normal forms are not related by the group element")
        return True

    def mechanisms(self, net1: Network | None = None, net2: Network | None = None) -> list[str]:
        """The mechanisms used, by name (``"G"`` for the group action): by the moves' types, or, given the pair
        the certificate is about, as :func:`~.types.hidden_symmetries` names them on the networks the moves act
        on (:func:`chain_mechanisms`; one replay and a combinatorial type per move) — constant neurons only when an
        end has one. Raises :class:`~semialg.errors.CertificateError` when a move does not apply (the certificate
        is about another pair)."""
        if (net1 is None) != (net2 is None):
            raise ParameterError("mechanisms: give both networks the certificate is about, or neither")
        if net1 is not None:
            names = chain_mechanisms(net1, self.moves1) | chain_mechanisms(net2, self.moves2)
            if not (_constant_neurons(net1) or _constant_neurons(net2)):
                # made and removed by the moves themselves (a rebalance's emptied slot): scaffolding, no mechanism
                names.discard("constant neurons (D)")
        else:
            names = {name for mv in self.moves1 + self.moves2 for name in mv.mechanisms()}
        if not self.element.is_identity:
            names.add("G")
        return sorted(names)

    def describe(self) -> str:
        return ("moves to a common normal form using " + ", ".join(self.mechanisms()) + "; net1: " +
                ("; ".join(mv.describe() for mv in self.moves1) or "none") + "; net2: " +
                ("; ".join(mv.describe() for mv in self.moves2) or "none"))


# == the moves of the case-(b) normal forms and short witnesses ========================================

_DEAD = (-_ONE, -_ONE)


@dataclass(frozen=True)
class ClearNeuron(BottleneckMove):
    """Second-layer neuron ``j`` contributes nothing on $t \\ge 0$ ($v_j \\le 0$ and $e_j \\le 0$, or $c_j = 0$):
    replace it by $(v, e, c) = (-1, -1, 0)$."""

    j: int
    mechanism: str = "dead neurons"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        _check_label(self)
        check_neurons((self.j,), len(view.v))
        v, e, c = view.v[self.j], view.e[self.j], view.c[self.j]
        if not ((v <= 0 and e <= 0) or not any(c)):
            self._fail(f"neuron {self.j + 1} is active on t > 0 with non-zero output weights")
        return _with(view, v=_replace(view.v, self.j, _DEAD[0]), e=_replace(view.e, self.j, _DEAD[1]),
                     c=_replace(view.c, self.j, (_ZERO,) * len(view.d)))

    def describe(self) -> str:
        return f"neuron {self.j + 1} is dead on t >= 0: replaced by (v, e, c) = (-1, -1, 0)"


@dataclass(frozen=True)
class AbsorbConstant(BottleneckMove):
    """Neuron ``j`` with $v_j = 0$ is the constant $c_j\\sigma(e_j)$: add it to $d$ and clear the neuron."""

    j: int
    mechanism: ClassVar[str] = "A-block trade"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        check_neurons((self.j,), len(view.v))
        if view.v[self.j] != 0:
            self._fail(f"neuron {self.j + 1} has v != 0")
        d = _vadd(view.d, view.c[self.j], max(view.e[self.j], _ZERO))
        return ClearNeuron(self.j).apply(_with(view, c=_replace(view.c, self.j, (_ZERO,) * len(view.d)), d=d))

    def describe(self) -> str:
        return f"neuron {self.j + 1} is constant on t >= 0: absorbed into d"


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
            self._fail(f"neurons {i + 1}, {j + 1} are not two distinct always-active neurons")
        ci = _vadd(view.c[i], view.c[j], view.v[j] / view.v[i])
        d = _vadd(view.d, view.c[j], view.e[j] - view.v[j] * view.e[i] / view.v[i])
        return _with(view, c=_replace(_replace(view.c, i, ci), j, (_ZERO,) * len(view.d)), d=d)

    def describe(self) -> str:
        return f"the affine contribution of neuron {self.j + 1} moved into neuron {self.i + 1} (d compensates)"


@dataclass(frozen=True)
class ShiftAffineBias(BottleneckMove):
    """Always-active neuron ``i``: $e_i \\mapsto 0$, $d \\mathrel{+}= c_ie_i$ (the $e \\leftrightarrow d$ trade)."""

    i: int
    mechanism: ClassVar[str] = "A-block trade"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        check_neurons((self.i,), len(view.v))
        if not _always_active(view, self.i):
            self._fail(f"neuron {self.i + 1} is not always active")
        return _with(view, e=_replace(view.e, self.i, _ZERO), d=_vadd(view.d, view.c[self.i], view.e[self.i]))

    def describe(self) -> str:
        return f"bias of the always-active neuron {self.i + 1} traded into d"


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
        return f"kink neuron {self.j + 1} flipped, the affine term absorbed by neuron {self.into + 1}"


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
            self._fail(f"neurons {i + 1}, {j + 1} are not two kinks at the same point with the same orientation")
        ci = _vadd(view.c[i], view.c[j], view.v[j] / view.v[i])
        return _with(view, c=_replace(_replace(view.c, i, ci), j, (_ZERO,) * len(view.d)))

    def describe(self) -> str:
        return f"kink neurons {self.i + 1} and {self.j + 1} at the same point merged"


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
