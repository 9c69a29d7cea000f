r"""The mechanisms of a move chain in the vocabulary of :func:`~.types.hidden_symmetries`.

A certificate's moves are typed by what they do (``TradeOnP`` moves neurons missing $P$ and $e$), the listing of
:func:`~.types.hidden_symmetries` by the class of the neurons a mechanism moves (U+, U±, D, visible pairs): a
``TradeOnP`` over mixed neurons is the listing's "mixed hidden neurons (U+-)", a "hidden" neuron with $v = 0$ its
"constant neurons (D)", a rebalance of $h$ that flips one neuron into an opposite pair its "flips absorbed by
opposite pairs". Here the moves named by class register their :func:`~.moves.listing_names`: as the listing of
the network a move acts on names that mechanism — by the classes of :func:`~.types.combinatorial_type` of the
neurons it moves, before the move for those it removes or changes and after it for those it inserts; the package
imports this module, so :meth:`~.moves.BottleneckMoveCertificate.mechanisms` given its pair uses them. Names only:
nothing here is part of a certificate's proof.

>>> from semialg.families.bottleneck.outer_moves import MoveHiddenNeuron
>>> net = Network.from_arrays([[[1, 0], [0, 1]], [[1, 0]], [[1]]], [[0, 1], [0], [0]])
>>> mv = MoveHiddenNeuron(1, (0, 1), 2, 0)       # neuron 2 has v = 0: a constant neuron, not a U- one
>>> mv.mechanisms(), listing_names(mv, net)
(('hidden neurons (U-)',), ('constant neurons (D)',))
"""

from __future__ import annotations

from typing import Sequence

from semialg.core.exact import fingerprint, normalise_row
from semialg.core.network import Network
from semialg.engine.hyperplane_keys import keyed_rows
from semialg.errors import SemialgError
from semialg.families.bottleneck.ident_moves import (DoubleDeadNeuron, InnerNetworkMove, ReflectHiddenNeuron,
                                                     ShiftHiddenBiases)
from semialg.families.bottleneck.inner_moves import MoveOfH
from semialg.families.bottleneck.move_sets import ClearNeurons, InsertDeadNeurons
from semialg.families.bottleneck.moves import (ClearNeuron, DropNeuron, FlipKinkSet, InsertNeuron, ReviveNeuron,
                                               listing_names)
from semialg.families.bottleneck.outer_moves import (DropHiddenNeuron, FlipInner, InsertHiddenNeuron,
                                                     MoveHiddenNeuron, TradeOnP, _canon, _neurons, _view)
from semialg.families.bottleneck.outer_symmetries import MergeTwins as MergeOuterTwins, SplitTwin
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import RidgeView
from semialg.families.shallow.canonical import SameCanonicalForm
from semialg.families.shallow.moves import ClearDeadNeuron, FlipZeroFactor, MergeTwins, Rebalance

__all__: list[str] = []

#: The listing's name of the mechanism moving a neuron of each case-(a) class.
CLASS_NAMES = {"U-": "hidden neurons (U-)", "U+": "U+ <-> e trade", "U+-": "mixed hidden neurons (U+-)",
               "D": "constant neurons (D)"}
_CONSTANT, _FLIPS = CLASS_NAMES["D"], "zero-factor flips"


def _classes(net: Network) -> tuple[str, ...] | None:
    """The case-(a) classes of ``net``'s first-layer neurons, or ``None`` (an intermediate network of width 1, or
    one whose type is not decided)."""
    try:
        t = combinatorial_type(net)
    except SemialgError:
        return None
    return t.classes if t.case == "a" else None


def _class_names(classes: Sequence[str] | None, neurons: Sequence[int]) -> list[str]:
    return [CLASS_NAMES[classes[k]] for k in neurons if classes is not None and classes[k] in CLASS_NAMES]


@listing_names.register(MoveHiddenNeuron)
@listing_names.register(DropHiddenNeuron)
@listing_names.register(DoubleDeadNeuron)
@listing_names.register(ReflectHiddenNeuron)       # a U+ neuron's affine map on P kept by its reflection and e
def _(move, net):
    return tuple(_class_names(_classes(net), (move.i,))) or move.mechanisms()


@listing_names.register(ShiftHiddenBiases)
def _(move, net):
    return tuple(sorted(set(_class_names(_classes(net), move.neurons)))) or move.mechanisms()


@listing_names.register(InsertHiddenNeuron)
def _(move, net):
    after = move.apply(net)
    return tuple(_class_names(_classes(after), (after.widths[1] - 1,))) or move.mechanisms()


@listing_names.register(FlipInner)
def _(move, net):
    # a constant neuron's flip changes h by a constant (w = 0) or not at all (v = 0): the D freedom, not a 0-factor's
    constant = {i for i, (w, _, v) in enumerate(_neurons(net)) if not any(w) or v == 0}
    return (((_FLIPS,) if set(move.S) - constant else ()) + ((_CONSTANT,) if set(move.S) & constant else ()))


def _jump(net: Network, i: int, j: int):
    r"""The kink of an opposite pair, $v_i + \lambda v_j$ for $(w_j, b_j) = -\lambda(w_i, b_i)$, $\lambda > 0$."""
    (wi, bi, vi), (wj, bj, vj) = _neurons(net)[i], _neurons(net)[j]
    row_i, row_j = tuple(wi) + (bi,), tuple(wj) + (bj,)
    k = next(n for n, x in enumerate(row_i) if x)
    return vi - row_j[k] / row_i[k] * vj


@listing_names.register(TradeOnP)
def _(move, net):
    result, before = move.apply(net), _classes(net)
    after = _classes(result) if move.insert and not move.drop else None
    kept = len(_neurons(net)) - len(move.drop)
    # the neurons the trade re-places, by the class of those it removes (of those it adds when it removes none);
    # one removed and added back up to G has not moved
    back = {_canon(n) for n in _neurons(result)[kept:]}
    gone = [i for i in move.drop if _canon(_neurons(net)[i]) not in back]
    moved = set(_class_names(before, gone) if move.drop else
                _class_names(after, range(kept, kept + len(move.insert))))
    absorbing = moved & {CLASS_NAMES["U+"], CLASS_NAMES["U+-"]}
    names = set(moved)
    # a pair without a kink (v_i + lambda v_j = 0 for (w_j, b_j) = -lambda (w_i, b_i)) is the listing's phantom pair
    phantom = {tuple(p) for p in move.pairs if _jump(net, *p) == 0}
    names |= {"phantom pairs"} if phantom else set()
    pairs = [p for p in move.pairs if tuple(p) not in phantom]
    if pairs and not move.drop and CLASS_NAMES["U+"] in moved and before is not None and "U+" not in before:
        # no U+ neuron to absorb the pairs' affine change: one is made off P (the pair's freed neuron moved there)
        names = (names - absorbing) | {"pair trade" if move.flip else "opposite pair moved off P"}
    elif CLASS_NAMES["U+"] in absorbing:
        names |= {"flips absorbed by U+ neurons"} if move.flip else set()
        names |= {"opposite pairs absorbed by U+ neurons"} if pairs else set()
    elif not absorbing and move.flip:
        names.add("flips absorbed by opposite pairs" if pairs else _FLIPS)
    elif not absorbing and pairs:
        names.add("opposite pairs")
    return tuple(sorted(names)) or move.mechanisms()


def _twins(net: Network, i: int, j: int, v_i=None, v_j=None) -> tuple[str, ...]:
    """Twins $i$, $j$ (output weights ``v_i``, ``v_j``; default: those of ``net``) that are constant neurons
    ($w = 0$, or one has $v = 0$): a constant neuron merged or split off, the listing's D freedom."""
    view = _view(net)
    v_i, v_j = view.v[i] if v_i is None else v_i, view.v[j] if v_j is None else v_j
    return (_CONSTANT,) if not any(view.w[i]) or v_i == 0 or v_j == 0 else ("positive twins",)


@listing_names.register(MergeOuterTwins)
def _(move, net):
    return _twins(net, move.i, move.j)


@listing_names.register(SplitTwin)
def _(move, net):
    return _twins(net, move.i, move.i, _view(net).v[move.i] - move.lam * move.v, move.v)


def _orientations(net: Network, keyed: list, normals: dict, members: dict) -> dict:
    r"""Per hyperplane of the live first-layer neurons ($w \ne 0$, $v \ne 0$; rows ``keyed`` as by
    :func:`~semialg.engine.hyperplane_keys.keyed_rows`), its orientations and their output weights normalised,
    $v|\sigma|$; ``normals`` gets a row $w$ of each hyperplane, ``members`` its neurons."""
    out: dict = {}
    for i, ((key, sigma), (w, _, v)) in enumerate(zip(keyed, _neurons(net), strict=True)):
        if any(w) and v != 0:
            out.setdefault(key, {}).setdefault(1 if sigma > 0 else -1, []).append(v * abs(sigma))
            normals.setdefault(key, w)
            members.setdefault(key, []).append(i)
    return out


@listing_names.register(MoveOfH)
def _(move, net):
    mv = move.move
    if isinstance(mv, ClearDeadNeuron):
        return (_CONSTANT,)
    if isinstance(mv, MergeTwins):
        return _twins(net, mv.i, mv.j)
    if isinstance(mv, SameCanonicalForm):     # h replaced at once: named by what changes, as a chain would be
        after = move.apply(net)
        return _change_of_h(net, after) + _constant_change(net, after) or move.mechanisms()
    if not isinstance(mv, (Rebalance, FlipZeroFactor)):
        return move.mechanisms()
    return _change_of_h(net, move.apply(net)) or move.mechanisms()


def _constant_change(net: Network, after: Network) -> tuple[str, ...]:
    """The listing's name of constant neurons (D: $v = 0$ or $w = 0$) when ``after`` has others than ``net``."""
    def constant(n: Network) -> list:
        return sorted(fingerprint(w + (b, v)) for w, b, v in _neurons(n) if v == 0 or not any(w))
    return (_CONSTANT,) if constant(net) != constant(after) else ()


@listing_names.register(InnerNetworkMove)
def _(move, net):
    return _change_of_h(net, move.build(net)) or move.mechanisms()


def _change_of_h(net: Network, after: Network) -> tuple[str, ...]:
    r"""The listing's names of a change of the inner network that keeps it as a function, read off each hyperplane
    it changes: a pair without a kink (its jump $\sum v|\sigma|$ is 0) moved, a pair leaving one kink for another
    (relocated when the two are parallel), an orientation emptied or filled (a flip), output weights traded within
    a pair that stays one."""
    normals: dict = {}
    members: tuple[dict, dict] = ({}, {})
    old, new = (_orientations(n, keyed, normals, m)
                for n, keyed, m in zip((net, after), keyed_rows(net, after, 1), members, strict=True))
    changed = [k for k in old.keys() | new.keys() if old.get(k) != new.get(k)]
    phantom = {k for k in changed for side in (old.get(k, {}), new.get(k, {}))
               if len(side) == 2 and not sum(side[1] + side[-1])}
    kinked = [k for k in changed if k not in phantom]
    # a flip takes a hyperplane's neurons to the other orientation; a pair keeps or loses one side in a trade
    flips = any(len(old.get(k, {})) == len(new.get(k, {})) == 1 and set(old[k]) != set(new[k]) for k in kinked)
    pairs = any(len(old.get(k, {})) == 2 or len(new.get(k, {})) == 2 for k in kinked)
    left = [k for k in kinked if len(old.get(k, {})) == 2 > len(new.get(k, {}))]
    joined = [k for k in kinked if len(new.get(k, {})) == 2 > len(old.get(k, {}))]
    line = {k: normalise_row(tuple(normals[k]))[0] for k in left + joined}
    # a pair moved to a parallel hyperplane is relocated (the linear parts agree up to e); elsewhere it moved kinks
    parallel = any(line[a] == line[b] for a in left for b in joined)
    names: tuple[str, ...] = ()
    if phantom:
        # the listing's phantom pairs are visible ones; hidden ones move with their class
        moved = [i for k in phantom for i in members[0].get(k, ())]
        classes = _classes(net) if moved else None
        hidden = sorted(set(_class_names(classes, moved)))
        names = tuple(hidden) if hidden else ("phantom pairs",)
    if left and joined:
        names += ("pair relocations",) if parallel else ("opposite pair moved to another kink",)
    elif flips:
        names += ("flips absorbed by opposite pairs",) if pairs else (_FLIPS,)
    elif pairs and not phantom:     # a kinkless pair landing on another hyperplane makes or ends a pair there
        names += ("opposite pairs",)
    return names


# == case (b): the second-layer neurons, by their class on t > 0 and their output weights ==================

def _silent(net: Network, neurons) -> tuple[str, ...]:
    """Second-layer neurons contributing nothing: dead on $t > 0$ (Z) or with output weights $c_j = 0$."""
    view = RidgeView.of(net)
    classes = view.classes()
    return tuple(sorted({"dead neurons" if classes[j] == "Z" else "zero-output neurons" for j in neurons}))


@listing_names.register(ClearNeuron)
@listing_names.register(DropNeuron)
@listing_names.register(ReviveNeuron)
def _(move, net):
    return _silent(net, (move.j,))


@listing_names.register(ClearNeurons)
def _(move, net):
    return _silent(net, move.S) or move.mechanisms()


@listing_names.register(InsertNeuron)
@listing_names.register(InsertDeadNeurons)
def _(move, net):
    after = move.apply(net)
    return _silent(after, range(net.widths[2], after.widths[2]))


@listing_names.register(FlipKinkSet)
def _(move, net):
    # without an always-active neuron the flipped kinks' constant is absorbed by d alone
    return ("kink flips",) if "A" in RidgeView.of(net).classes() else ("kink flips absorbed by d",)
