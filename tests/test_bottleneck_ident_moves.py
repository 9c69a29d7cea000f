"""The case-(a) identifiability witnesses as named, replayable moves (``families/bottleneck/ident_moves.py``):
each finder's candidate is what its move builds, ``apply`` re-checks the precondition exactly (so mutated moves and
networks are refused), the engine's ``"family move"`` replays it in ``verify``, the move's certificate names it,
and every text numbers neurons from 1. Oracles: ``sa.equivalent`` with a verified certificate, the region oracle,
exact evaluation and the orbit search."""

from __future__ import annotations

import dataclasses
import random

import pytest
from flint import fmpq

import semialg as sa
from semialg.engine.identifiability import IdentifiabilityResult, identifiable
from semialg.engine.orbit import orbit_element
from semialg.engine.regions import equivalent as oracle
from semialg.engine.witnesses import WitnessMove
from semialg.errors import CertificateError
from semialg.families.bottleneck import ident_cache
from semialg.families.bottleneck.ident_moves import (DoubleDeadNeuron, InnerNetworkMove, MoveLabel, PairOffP,
                                                     PairTrade, ReflectHiddenNeuron, ShiftHiddenBiases)
from semialg.families.bottleneck.identifiability import hidden_neuron_witnesses
from semialg.families.bottleneck.moves import FlipKink, MergeKinks
from semialg.families.bottleneck.outer_moves import MoveHiddenNeuron, TradeOnP


def _net(W, b, v, e, c, d) -> sa.Network:
    return sa.Network.from_arrays([W, [v], [[c]]], [b, [e], [d]])


#: One parameter per move kind, with the move its witness is built by (examples of the module docstrings and
#: docs/theory.md).
CASES = {
    DoubleDeadNeuron: _net([[-1, -2], [-1, 0], [1, -1]], [2, 1, -2], [-2, -2, 2], -1, 1, 0),
    ShiftHiddenBiases: _net([[2, -2], [-4, 4], [3, 1]], [1, -2, 2], [2, 2, -1], -2, -3, 3),
    PairTrade: _net([[3, 1], [-3, -1], [3, 2], [1, -2]], [3, -3, -1, -2], [1, -2, 1, -2], 1, -1, -2),
    PairOffP: _net([[1, 1], [-1, -1], [2, -3]], [1, -1, -1], [9, -6, -3], 1, 1, 0),
    ReflectHiddenNeuron: _net([[-1, -2], [2, 2], [1, 2]], [1, -1, 0], [-2, -1, -3], 3, 1, 0),
    InnerNetworkMove: _net([[1, 0], [-2, 0], [0, -1], [-2, 2]], [2, -4, 1, 1], [1, -2, 2, 1], -2, -1, 0),
}


def _witnesses(net, kind):
    return [(label, other) for label, other in hidden_neuron_witnesses(net) if type(label.move) is kind]


@pytest.mark.parametrize("kind", list(CASES), ids=lambda k: k.__name__)
def test_every_witness_kind_is_a_replayed_move(kind):
    """The finder offers a candidate built by a move of this kind; ``apply`` (exact precondition) gives exactly
    that candidate; and for the first that is a true witness: equivalent by a verified certificate of
    ``sa.equivalent`` and the region oracle, outside the orbit, the move's own certificate verifies and names it."""
    net = CASES[kind]
    found = _witnesses(net, kind)
    assert found, f"no {kind.__name__} candidate"
    proven = 0
    for label, other in found:
        assert isinstance(label, MoveLabel) and label.move.build(net) == other
        try:
            replayed = label.move.apply(net)
        except CertificateError:
            assert not oracle(net, other)      # a refused candidate is not function-preserving
            continue
        assert replayed == other
        r = sa.equivalent(net, other)
        assert r and r.certificate.verify(net, other) and oracle(net, other)
        # the equivalence certificate says why too: a move beyond the group, named
        assert set(r.certificate.mechanisms()) - {"G"}
        cert = label.move.certificate(net)
        assert cert.verify(net, other) and label.move.mechanism in cert.mechanisms()
        proven += orbit_element(net, other) is None
    assert proven


def test_the_engine_reports_and_replays_a_family_move():
    """``sa.identifiable`` reports a ``"family move"`` whose ``verify`` replays the move (precondition and result)
    besides the equivalence certificate; a forged witness, a mutated move and a look-alike move class are refused."""
    net = CASES[ShiftHiddenBiases]
    r = identifiable(net, budget=20)
    assert r.status == "not identifiable" and r.move.kind == "family move" and r.move.target is None
    assert r.verify(net) and r.move.apply(net) == r.witness
    assert "neurons 1, 2" in r.move.describe() and "b_1 - 1/2" in r.move.describe()
    move = r.move.data[1].move
    # the witness of another move: the replay does not lead to it
    other = dataclasses.replace(move, deltas=tuple(d / 2 for d in move.deltas), t=move.t / 2).build(net)
    assert sa.equivalent(net, other)        # still a valid witness, but not the one this move builds
    with pytest.raises(CertificateError):
        dataclasses.replace(r, witness=other).verify(net)
    # a mutated move whose result changes sigma(h): the exact precondition fails
    big = dataclasses.replace(move, deltas=tuple(100 * d for d in move.deltas), t=100 * move.t)
    assert not oracle(net, big.build(net))
    forged = WitnessMove("family fibre", 0, (), ("bottleneck", MoveLabel("forged", big)), big.build(net))
    assert forged.kind == "family move"
    with pytest.raises(CertificateError):
        IdentifiabilityResult("not identifiable", witness=big.build(net), move=forged).verify(net)

    class LookAlike:                  # defined outside the families: its apply could skip any check
        def apply(self, n):
            return big.build(n)

        def describe(self):
            return "look-alike"
    fake = WitnessMove("family move", 0, (), ("bottleneck", MoveLabel("x", LookAlike())))
    with pytest.raises(CertificateError):
        fake.apply(net)


def test_preconditions_are_checked_exactly():
    """Each move refuses a network where its precondition fails, whatever the finder said."""
    net = CASES[DoubleDeadNeuron]
    DoubleDeadNeuron(1).apply(net)
    with pytest.raises(CertificateError):
        DoubleDeadNeuron(0).apply(net)            # neuron 1 is visible
    pair = CASES[PairOffP]
    with pytest.raises(CertificateError, match="neurons 1, 3 are not an opposite pair"):
        PairOffP(0, 2, "shift", fmpq(1)).build(pair)
    with pytest.raises(CertificateError):
        PairOffP(0, 1, "turn", fmpq(1)).build(pair)
    with pytest.raises(CertificateError):
        ReflectHiddenNeuron(0, fmpq(0)).apply(pair)   # a visible neuron reflected changes h on P
    with pytest.raises(CertificateError):
        ShiftHiddenBiases((0,), (fmpq(1), fmpq(2)), fmpq(0)).build(net)
    trade = CASES[PairTrade]
    (label, other), = _witnesses(trade, PairTrade)[:1]
    wrong = dataclasses.replace(label.move, e=label.move.e + 1)
    with pytest.raises(CertificateError, match="h changes on P"):
        wrong.apply(trade)
    with pytest.raises(CertificateError):
        dataclasses.replace(label.move, flipped=(label.move.freed,)).build(trade)
    with pytest.raises(CertificateError):
        InnerNetworkMove("dead row").build(trade)


def test_texts_number_neurons_from_one():
    """describe() of the moves of moves.py, outer_moves.py, ident_moves.py and of engine witness moves name the
    neurons from 1 (fields are indices from 0)."""
    assert DoubleDeadNeuron(1).describe() == "U- neuron 2 (dead on the closure of P) doubled: v_2 * 2"
    assert FlipKink(0, 2).describe() == "kink neuron 1 flipped, the affine term absorbed by neuron 3"
    assert MergeKinks(1, 2).describe().startswith("kink neurons 2 and 3")
    assert MoveHiddenNeuron(3, (fmpq(1), fmpq(0)), fmpq(-5), fmpq(1)).describe().startswith(
        "hidden first-layer neuron 4 moved")
    assert TradeOnP((2,), (), (0,), fmpq(1)).describe().startswith("visible neurons [1] flipped, hidden neurons [3]")
    assert PairOffP(2, 0, "shift", fmpq(1)).describe().startswith(
        "opposite pair 1, 3 sharing a hyperplane, the kink carried by neuron 3, neuron 1 shifted")
    text = WitnessMove("dead row", 1, (2,)).describe()
    assert "neurons [3]" in text and "0-based" not in text
    assert WitnessMove("twin shift", 1, (0, 4), (fmpq(2),)).describe().startswith(
        "hidden layer 1, neurons [1, 5]: positive twins (row 5 = 2 row 1)")
    assert "(my label)" in WitnessMove("family fibre", 0, (), ("shallow", "my label")).describe()
    with pytest.raises(CertificateError, match=r"neurons \[3, 3\]"):
        WitnessMove("twin shift", 1, (2, 2), (fmpq(1),)).apply(CASES[PairTrade])


def test_cached_routes_give_the_same_statuses():
    """The caches of ident_cache (HiddenRegion, decided inner identifiability) change no answer: random 2-4-1-1
    parameters (a forced opposite pair in every other one) get the same status cold and warm."""
    rng, S = random.Random(5), [-3, -2, -1, 1, 2, 3]
    for k in range(6):
        W = [[rng.choice(S) for _ in range(2)] for _ in range(4)]
        b = [rng.randint(-3, 3) for _ in range(4)]
        if k % 2 == 0:
            W[1], b[1] = [-x for x in W[0]], -b[0]
        net = _net(W, b, [rng.choice(S) for _ in range(4)], rng.randint(-3, 3), rng.choice(S), 0)
        ident_cache._REGIONS.clear()
        ident_cache._INNER.clear()
        cold = identifiable(net, budget=20)
        warm = identifiable(net, budget=20)
        assert cold.status == warm.status
        if cold.status == "not identifiable":
            assert warm.verify(net)
