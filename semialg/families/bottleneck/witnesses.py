r"""Symmetry witnesses for bottleneck equivalence: why two parameters compute the same function.

A :class:`BottleneckMoveCertificate` is a chain of moves from each parameter to a common normal form, up to
a final group element $g \in G$: ``verify`` replays every move — each checks its own precondition exactly
and raises :class:`~semialg.errors.CertificateError` when it does not hold — and checks
$g\cdot r_1 = r_2$ exactly. :meth:`~BottleneckMoveCertificate.mechanisms` names the mechanisms used (those of
:func:`~semialg.families.bottleneck.types.hidden_symmetries`).

Case (b): :func:`short_witness` — moves on sets of neurons (:mod:`~.move_sets`) for the neurons that differ, at
most 29 of them whatever $n_2$, reflections included. The full normal forms (:func:`normal_form_witness`, the
method before it, still the fallback for constant functions with zero or non-parallel rows), for non-constant $f$: the first-layer row scaled to $\pm u$ ($u$ normalised), a reflected
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
Case (a): :func:`~semialg.families.bottleneck.outer_symmetries.outer_witness` (0-factor flips, hidden-neuron moves,
the trade on $P$).

>>> a = Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])
>>> b = Network.from_arrays([[[1, 2]], [[1], [-1]], [[4, 3]]], [[-1], [1, 2], [-9]])     # kink flip
>>> cert = witness(a, b); cert.verify(a, b), cert.mechanisms()
(True, ['kink flips'])
"""

from __future__ import annotations

from flint import fmpq

from semialg.core.exact import fingerprint, normalise_row
from semialg.core.network import Network
from semialg.core.symmetry import GroupElement
from semialg.engine.orbit import orbit_element
from semialg.errors import CertificateError, ParameterError, UndecidedError
from semialg.families.bottleneck.moves import (
    _DEAD, AbsorbAtConstantInput, AbsorbConstant, ActBy, BottleneckMove, BottleneckMoveCertificate, ClearNeuron,
    DropNeuron, FlipKink, FlipKinkSet, InsertNeuron, MergeAffine, MergeKinks, MoveOntoKink, Reflect, ResetFirstLayer,
    ReviveNeuron, ShiftAffineBias, TranslateHidden, _always_active, _is_kink, _tau)
from semialg.families.bottleneck.move_sets import (AbsorbConstants, ClearNeurons, FlipKinks, InsertDeadNeurons,
                                                   MergeAffines, MergeKinkGroups)
from semialg.families.bottleneck.outer_moves import (DropHiddenNeuron, FlipInner, InsertHiddenNeuron,
                                                     MoveHiddenNeuron, TradeOnP)
from semialg.families.bottleneck.outer_symmetries import outer_witness
from semialg.families.bottleneck.ridge import ridge_profile
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import (RidgeView, _ONE, _ZERO, _slope_at_infinity, _slope_at_zero,
                                              bottleneck_case)

__all__ = ["BottleneckMove", "ActBy", "ClearNeuron", "AbsorbConstant", "MergeAffine", "ShiftAffineBias",
           "FlipKink", "MergeKinks", "TranslateHidden", "MoveOntoKink", "FlipKinkSet", "ReviveNeuron",
           "InsertNeuron", "DropNeuron", "AbsorbAtConstantInput", "ResetFirstLayer", "Reflect", "FlipInner",
           "MoveHiddenNeuron", "InsertHiddenNeuron", "DropHiddenNeuron", "TradeOnP", "BottleneckMoveCertificate",
           "FlipKinks", "MergeKinkGroups", "MergeAffines", "ClearNeurons", "AbsorbConstants", "InsertDeadNeurons",
           "witness",
           "short_witness", "normal_form_witness"]

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


def normal_form_witness(net1: Network, net2: Network) -> BottleneckMoveCertificate | None:
    """Moves relating two equivalent bottleneck parameters through their full normal forms (the method before
    :func:`short_witness`, its fallback) (case (b): the minimal
    forms when the normal forms are not in one $G$-orbit; constant functions: the constant form; case (a):
    :func:`~.outer_symmetries.outer_witness`, flips, hidden-neuron moves and the trade on $P$), or ``None`` (case (a)
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


# == case (b): short witnesses, neuron by neuron ===========================================================

def _neuron_key(v: fmpq, e: fmpq, c: tuple) -> tuple:
    """Neuron $(v, e, c)$ up to a positive scale $(\\alpha v, \\alpha e, c/\\alpha)$ (with the first-layer
    neuron fixed): two neurons are related by $G$ iff their keys are equal."""
    if v or e:
        a = abs(v) if v else abs(e)
        return fingerprint((v / a, e / a) + tuple(x * a for x in c))
    a = next((abs(x) for x in c if x), _ONE)
    return fingerprint((v, e) + tuple(x / a for x in c))


def _unmatched(r1: RidgeView, r2: RidgeView) -> tuple[list[int], list[int]]:
    """The neurons of each side left over by a maximal matching of equal keys (:func:`_neuron_key`)."""
    pools: dict = {}
    for j, key in enumerate(map(_neuron_key, r2.v, r2.e, r2.c)):
        pools.setdefault(key, []).append(j)
    left = []
    for j, key in enumerate(map(_neuron_key, r1.v, r1.e, r1.c)):
        if pools.get(key):
            pools[key].pop()
        else:
            left.append(j)
    return left, sorted(j for js in pools.values() for j in js)


def _key_matching(r1: Network, r2: Network) -> GroupElement | None:
    """The permutation and second-layer scales taking ``r1`` to ``r2`` (equal first layers), or ``None``."""
    v1, v2 = RidgeView.of(r1), RidgeView.of(r2)
    if len(v1.v) != len(v2.v) or (v1.w, v1.b, v1.d) != (v2.w, v2.b, v2.d):
        return None
    pools: dict = {}
    for j, key in enumerate(map(_neuron_key, v1.v, v1.e, v1.c)):
        pools.setdefault(key, []).append(j)
    perm, scales = [], []
    for key, v, e, c in zip(map(_neuron_key, v2.v, v2.e, v2.c), v2.v, v2.e, v2.c, strict=True):
        if not pools.get(key):
            return None
        p = pools[key].pop()
        q = next(((x, y) for x, y in ((v, v1.v[p]), (e, v1.e[p])) + tuple(zip(v1.c[p], c)) if x and y), (1, 1))
        perm.append(p)
        scales.append(fmpq(q[0]) / q[1])
    g = GroupElement([(0,), tuple(perm)], [(_ONE,), tuple(scales)])
    return g if g.act(r1) == r2 else None


def _reflection_cost(ch: _Chain) -> int | None:
    """The number $r$ of neurons :func:`_reflected` names before reflecting (0 when the side is reflective), or
    ``None`` when it cannot reflect ($\\tilde G$ has a non-zero slope at $+\\infty$)."""
    view = ch.view
    if any(_slope_at_infinity(view)):
        return None
    return 0 if combinatorial_type(ch.net).reflective else \
        sum(1 for c in view.classes() if c in ("A", "K+"))


def _reflected(ch: _Chain) -> None:
    r"""Reflect a side whose $\tilde G$ has zero slope at $+\infty$ ($F$ flat at both ends), first bringing it to
    $a = k^+ = 0$ when it is not: the constant neurons absorbed into $d$, the A block merged into one neuron
    and every K+ kink flipped into it (flipped together, :class:`~.moves.FlipKinkSet`, when there is no A block:
    their slopes cancel) — the merged neuron's slope is then the slope at $+\infty$, $0$ — and the neurons of
    classes A and K+, all with $c = 0$ now, cleared. At most six moves naming at most $2r + 1$ neurons, $r$ the
    number of neurons of classes A and K+."""
    view = ch.view
    if not combinatorial_type(ch.net).reflective:
        n = len(view.v)
        consts = tuple(j for j in range(n) if view.v[j] == 0 and view.e[j] > 0 and any(view.c[j]))
        if consts:
            ch.do(AbsorbConstants(consts))
        view = ch.view
        A = [j for j in range(n) if _always_active(view, j) and any(view.c[j])]
        plus = tuple(j for j in range(n) if view.v[j] > 0 > view.e[j] and any(view.c[j]))
        if A[1:]:
            ch.do(MergeAffines(A[0], tuple(A[1:])))
        if plus:
            ch.do(FlipKinks(plus, A[0]) if A else FlipKinkSet(plus))
        view = ch.view
        for label, S in (("A-block trade", A), ("dead neurons", [j for j, c in enumerate(view.classes())
                                                                  if c in ("A", "K+") and j not in A])):
            if S:
                ch.do(ClearNeurons(tuple(S), label))
    ch.do(Reflect())


def _align_first_layers(c1: _Chain, c2: _Chain) -> bool:
    """Same first-layer row and bias on both sides: a reflection when the rows point in opposite directions (of
    the side that needs fewer moves for it, :func:`_reflected`), the scale of side 1's first-layer neuron, then
    $H$ moved down on the side where it lies higher (there $\\tilde G$ is flat between: :class:`TranslateHidden`
    when every $e_j < 0$ stays so, else :class:`MoveOntoKink`). ``False`` when the rows are not parallel or no
    side can be reflected."""
    (k1, mu1, s1), (k2, mu2, s2) = normalise_row(c1.view.w), normalise_row(c2.view.w)
    if not s1 or k1 != k2:
        return False
    if s1 != s2:
        costs = [(r, side) for side, r in enumerate(map(_reflection_cost, (c1, c2))) if r is not None]
        if not costs:
            return False
        _reflected((c1, c2)[min(costs)[1]])
        (_, mu1, _), (_, mu2, _) = normalise_row(c1.view.w), normalise_row(c2.view.w)
    if mu1 != mu2:
        c1.do(ActBy(GroupElement([(0,), tuple(range(len(c1.view.v)))], [(mu2 / mu1,), (_ONE,) * len(c1.view.v)])))
    if c1.view.b != c2.view.b:
        ch, beta = (c1, c2.view.b - c1.view.b) if c1.view.b > c2.view.b else (c2, c1.view.b - c2.view.b)
        hidden = all(e < 0 and e - v * beta < 0 for v, e in zip(ch.view.v, ch.view.e, strict=True))
        ch.do(TranslateHidden(beta) if hidden else MoveOntoKink(beta))
    return True


def _host(ch: _Chain, left: list[int]) -> int | None:
    """An always-active neuron with $v > 0$ to absorb kink flips: a left-over one with output weights when
    there is one, else one with output weights, else any."""
    A = [j for j, (v, e) in enumerate(zip(ch.view.v, ch.view.e, strict=True)) if v > 0 and e >= 0]
    live, left = [j for j in A if any(ch.view.c[j])], set(left)
    return next((j for j in live if j in left), next(iter(live + A), None))


def _new_host(ch: _Chain, other: _Chain, left: list[int]) -> int:
    """An always-active host $(v, e) = (1, 0)$ with $c = 0$ made on a side without one: a neuron with $c = 0$
    revived (a left-over one first), else one inserted, the other side padded with $(-1, -1, 0)$."""
    spare = [j for j in left if not any(ch.view.c[j])] + [j for j, c in enumerate(ch.view.c) if not any(c)]
    if spare:
        ch.do(ReviveNeuron(spare[0], _ONE, _ZERO))
        return spare[0]
    ch.do(InsertNeuron(_ONE, _ZERO))
    other.do(InsertDeadNeurons(1))
    return len(ch.view.v) - 1


def _kinks_matched(c1: _Chain, c2: _Chain) -> None:
    """Per kink point $\\tau$, the left-over kinks of both sides flipped to one orientation (that of most of
    them, into an always-active host; one is made by :func:`_new_host` on a side without one when both
    orientations need a flip there) and merged into one, cleared when their jumps cancel: both sides then have
    the same left-over kink there, since the total jump at $\\tau$ is the same. Per side at most four moves
    (a new host, :class:`FlipKinks`, :class:`MergeKinkGroups`, :class:`ClearNeurons`) and one padding move of
    the other side."""
    left = _unmatched(c1.view, c2.view)
    at: dict = {}
    for side, (ch, js) in enumerate(zip((c1, c2), left, strict=True)):
        for j in js:
            if _is_kink(ch.view, j) and any(ch.view.c[j]):
                at.setdefault(_tau(ch.view, j), ([], []))[side].append(j)
    hosts = [_host(ch, js) for ch, js in zip((c1, c2), left, strict=True)]
    sign = lambda ch, j: 1 if ch.view.v[j] > 0 else -1  # noqa: E731

    def target(groups) -> int | None:
        # the orientation most left-over kinks there have (fewest flips) that needs no flip on a side without host
        signs = [[sign(ch, j) for j in js] for ch, js in zip((c1, c2), groups, strict=True)]
        order = (1, -1) if sum(signs[0] + signs[1]) >= 0 else (-1, 1)
        return next((t for t in order if all(h is not None or set(o) <= {t} for h, o in zip(hosts, signs))), None)

    for tau in sorted(at):
        if target(at[tau]) is None:
            for side, (ch, other) in enumerate(((c1, c2), (c2, c1))):
                if hosts[side] is None and at[tau][side]:
                    hosts[side] = _new_host(ch, other, left[side])
    targets = {tau: target(groups) for tau, groups in at.items()}
    for side, (ch, host) in enumerate(zip((c1, c2), hosts, strict=True)):
        groups = [pair[side] for pair in at.values() if pair[side]]
        flips = tuple(j for tau, pair in at.items() for j in pair[side] if sign(ch, j) != targets[tau])
        if flips:
            ch.do(FlipKinks(flips, host))
        merged = tuple(tuple(js) for js in groups if len(js) >= 2)
        if merged:
            ch.do(MergeKinkGroups(merged))
        cleared = tuple(j for js in groups for j in js[1:]) + tuple(js[0] for js in groups if not any(ch.view.c[js[0]]))
        if cleared:
            ch.do(ClearNeurons(cleared, "coincident kinks"))


def _live_affine(view: RidgeView, js: list[int]) -> bool:
    return any(view.v[j] > 0 and view.e[j] >= 0 and any(view.c[j]) for j in js)


def _rest_matched(ch: _Chain, left: list[int], trade: bool) -> None:
    """The left-over neurons of one side that are not kinks: dead ones (and those with $c = 0$) cleared,
    constant ones absorbed into $d$, the always-active ones merged into one with $e = 0$ (cleared when the
    merged slope vanishes). With ``trade`` (some left-over always-active neuron carries output weights) an
    always-active neuron with $c = 0$ is one side of that A-block trade, else a dead neuron. At most five
    moves."""
    consts, A, dead = [], [], {"A-block trade": [], "dead neurons": []}
    for j in left:
        v, e, c = ch.view.v[j], ch.view.e[j], ch.view.c[j]
        if (v, e) == _DEAD and not any(c):
            continue
        if v == 0 and e > 0 and any(c):
            consts.append(j)
        elif v > 0 and e >= 0 and any(c):
            A.append(j)
        elif (v <= 0 and e <= 0) or not any(c):
            dead["A-block trade" if trade and v > 0 and e >= 0 else "dead neurons"].append(j)
    if consts:
        ch.do(AbsorbConstants(tuple(consts)))
    for label, S in dead.items():
        if S:
            ch.do(ClearNeurons(tuple(S), label))
    if A[1:]:
        ch.do(MergeAffines(A[0], tuple(A[1:])))
    emptied = tuple(A[1:]) + ((A[0],) if A and not any(ch.view.c[A[0]]) else ())
    if emptied:
        ch.do(ClearNeurons(emptied, "A-block trade"))
    if A and any(ch.view.c[A[0]]) and ch.view.e[A[0]] != 0:
        ch.do(ShiftAffineBias(A[0]))


#: At most this many moves (:func:`short_witness`): eight to align the first layers (six of them reflecting one
#: side), one padding move, five per side for the kinks with one padding move of the other side, five per side
#: for the rest.
SHORT_MOVES = 29


def short_witness(net1: Network, net2: Network, max_moves: int | None = None) -> BottleneckMoveCertificate | None:
    r"""Moves for the neurons that differ only, for two equivalent case-(b) parameters with non-zero parallel
    first-layer rows, or ``None`` when this construction does not apply (then :func:`witness` uses the normal
    forms).

    Construction: (1) the first layers made equal (:func:`_align_first_layers`: when the rows point in
    opposite directions one side reflected — after its A block absorbed its K+ kinks when it is not reflective,
    :func:`_reflected` —, one group element, one move of $H$); then $f_1 = f_2$ means $G_1 = G_2$ on $t \ge 0$;
    the narrower side padded with neurons $(-1, -1, 0)$ (:class:`InsertDeadNeurons`). (2) The neurons of both
    sides matched by their keys up to $G$ (:func:`_neuron_key`); let $u$ be the number left over on both sides.
    (3) Per kink point, the left-over kinks flipped to one orientation into an always-active host (made from a
    neuron with $c = 0$, or inserted, on a side without one) and merged into one (:func:`_kinks_matched`).
    (4) The left-over neurons matched again; the others cleared, absorbed or merged into one always-active
    neuron with $e = 0$ (:func:`_rest_matched`). (5) A group element matches the ends (:func:`_key_matching`).
    Each step acts on a set of neurons at once (:mod:`~.move_sets`).

    *Length bound.* At most ``SHORT_MOVES`` $= 29$ moves, whatever $n_2$ and $u$: (1) at most eight
    (:func:`_reflected` six, the scale, the move of $H$) and one padding move, (3) at most four per side and one
    padding move of the other side, (4) at most five per side. Counting each move once per neuron it names (at
    least once), the *size* is at most $3u + 2r + 20 + |n_2 - n'_2|$, with $r$ the number of neurons of classes
    A and K+ of the reflected side when it was not reflective (else $0$): each left-over neuron is named at
    most three times (flip, merge, clear; or merge, clear; or absorb), (1) names at most $2r + 4$, a new host
    at most four (made, flipped into, merged, cleared or its bias traded) and one padding neuron, a host that
    was matched and its partner become left over (at most four neurons, three each). The ends agree because
    every step keeps $G_1 = G_2$ on $t \ge 0$ and the matched neurons: after (3) each kink point carries the
    same left-over jump on both sides (the total jump there and the matched jumps agree), after (4) the
    left-over always-active slope is the same (the slope at $+\infty$ agrees), so the left-over neurons are
    equal up to $G$ and $d_1 = d_2$. Cost: $O(n_2n_3 + \text{size})$ exact operations per move, so
    $O((n_2 + n'_2)n_3)$ to build and to verify (plus the $O(n_2\log n_2)$ profile of a reflection and the
    points between $0$ and $-\beta$ of a :class:`MoveOntoKink`) — linear in $n_2$ whatever the number of
    neurons that differ; ``None`` at once when ``SHORT_MOVES`` exceeds ``max_moves``.
    Measured (``benchmarks/bench_bottleneck_minimal_witness.py``, shared 2 cores): pairs 1-5 moves apart
    0.01 s at $n_2 = 256$, 0.02-0.08 s at 1024; pairs differing in every neuron: see the benchmark's tables.
    """
    if max_moves is not None and SHORT_MOVES > max_moves:
        return None
    c1, c2 = _Chain(net1), _Chain(net2)
    try:
        if not _align_first_layers(c1, c2):
            return None
        for ch, other in ((c1, c2), (c2, c1)):
            if len(ch.view.v) < len(other.view.v):       # already in their final form: (v, e, c) = (-1, -1, 0)
                ch.do(InsertDeadNeurons(len(other.view.v) - len(ch.view.v)))
        _kinks_matched(c1, c2)
        left = _unmatched(c1.view, c2.view)
        trade = _live_affine(c1.view, left[0]) or _live_affine(c2.view, left[1])
        for ch, js in zip((c1, c2), left, strict=True):
            _rest_matched(ch, js, trade)
    except CertificateError:
        return None
    g = _key_matching(c1.net, c2.net)
    return None if g is None else BottleneckMoveCertificate(tuple(c1.moves), tuple(c2.moves), g)


def witness(net1: Network, net2: Network) -> BottleneckMoveCertificate | None:
    """Moves relating two equivalent bottleneck parameters: in case (b) :func:`short_witness` (at most 29 moves
    on sets of neurons, naming at most $3u + 2r + 20 + |n_2 - n'_2|$ neurons), else — constant functions whose
    first-layer rows are zero or not parallel — :func:`normal_form_witness`; case (a):
    :func:`~.outer_moves.outer_witness`. ``None`` when no certificate is found (case (a) outside regime PN).
    Cost in case (b): $O((n_2 + n'_2)n_3)$ per move, $O(n_2^2n_3)$ in the fallback."""
    if bottleneck_case(net1) == "b" and bottleneck_case(net2) == "b":
        cert = short_witness(net1, net2)
        if cert is not None:
            return cert
    return normal_form_witness(net1, net2)
