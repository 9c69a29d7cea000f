"""Mixed hidden neurons (U±) of case-(a) bottlenecks: ``hidden_symmetries`` lists them as a continuous mechanism
exactly when their activity patterns on the components of P and the constant 1 are dependent. Oracle: the exact
functional dimension (the Jacobian's rank). A move along such a dependency keeps h on P, so it is in the
Jacobian's kernel beyond G (the functional dimension drops); with independent patterns and no other mechanism
the functional dimension is full."""

from __future__ import annotations

import random
import re
from fractions import Fraction

import semialg as sa
from semialg import Network
from semialg.engine import regions
from semialg.families import bottleneck as bn

MIXED = "mixed hidden neurons (U+-)"


def _mixed_parameters():
    for arch in ((2, 3, 1, 1), (2, 4, 1, 1), (2, 5, 1, 1), (3, 4, 1, 1)):
        for seed in range(300):
            net = Network.random(arch, seed=seed, height=3)
            t = bn.combinatorial_type(net)
            if t.case == "a" and t.regime == "PN" and "U+-" in t.classes:
                yield net


def test_mixed_neurons_are_a_mechanism_exactly_when_the_functional_dimension_drops():
    listed = unlisted = 0
    for net in _mixed_parameters():
        names = [m.name for m in bn.hidden_symmetries(net)]
        full = net.architecture.num_parameters - net.widths[1] - 1       # D - dim G
        drops = sa.functional_dimension(net, method="batch").value < full
        if MIXED in names:
            listed += 1
            assert drops, net
        elif names == []:
            unlisted += 1
            assert not drops, net
    assert listed >= 10 and unlisted >= 20


def test_an_opposite_pair_between_two_components_moves_and_a_single_separating_neuron_does_not():
    # z = 2x - 2y + 1 separates the two components of P; the pair 2 s(z) + 4 s(-z) shifts with e
    pair = Network.from_arrays([[[2, -2], [-4, 4], [3, 1]], [[2, 2, -1]], [[-3]]], [[1, -2, 2], [-2], [3]])
    assert bn.combinatorial_type(pair).classes.count("U+-") == 2
    assert MIXED in [m.name for m in bn.hidden_symmetries(pair)]
    single = next(net for net in _mixed_parameters() if net.widths[1] == 3 and
                  bn.combinatorial_type(net).classes.count("U+-") == 1 and not bn.hidden_symmetries(net))
    assert sa.identifiable(single).status == "identifiable"


_SHIFT = re.compile(r"b_(\d+) ([+-]) ([0-9/]+)")


def _replayed(net: Network, text: str) -> Network:
    """The member a "realised: ..." description names, built here from its text (the biases and e moved)."""
    moves = text.split("realised: ")[1].split(" (h kept")[0]
    W = [[[Fraction(int(x.p), int(x.q)) for x in r] for r in M] for M in net.weights]
    b = [[Fraction(int(x.p), int(x.q)) for x in v] for v in net.biases]
    for k, sign, x in _SHIFT.findall(moves):
        b[0][int(k) - 1] += (1 if sign == "+" else -1) * Fraction(x)
    sign, x = re.search(r"e ([+-]) ([0-9/]+)", moves).groups()
    b[1][0] += (1 if sign == "+" else -1) * Fraction(x)
    return Network.from_arrays([[[str(x) for x in r] for r in M] for M in W], [[str(x) for x in v] for v in b])


def _rows_up_to_scale(net: Network) -> set:
    rows = set()
    for w, b in zip(net.weights[0], net.biases[0], strict=True):
        r = [Fraction(int(x.p), int(x.q)) for x in (*w, b)]
        s = next(abs(x) for x in r if x)
        rows.add(tuple(x / s for x in r))
    return rows


def test_a_realised_mixed_mechanism_names_a_member_outside_the_orbit():
    """Where the mixed neurons' mechanism says "realised", the member its text names (rebuilt here) computes f —
    exact evaluation at random rational points and the region oracle — and its first-layer rows differ from the
    parameter's up to positive scaling (so it is outside the G-orbit); such parameters are not identifiable. The
    others say that it is not decided (2-6-1-1 seed 101: the only one among 3,600 random parameters of six architectures). The opposite pair between
    two components of P is realised."""
    rng = random.Random(0)
    realised = open_ = 0
    pair = Network.from_arrays([[[2, -2], [-4, 4], [3, 1]], [[2, 2, -1]], [[-3]]], [[1, -2, 2], [-2], [3]])
    for net in [pair, Network.random((2, 6, 1, 1), seed=101, height=2), *_mixed_parameters()]:
        mixed = [m for m in bn.hidden_symmetries(net) if m.name == MIXED]
        if not mixed:
            continue
        text = mixed[0].description
        if "realised: " not in text:
            assert "not decided" in text or "no member realises it" in text
            open_ += 1
            continue
        realised += 1
        moved = _replayed(net, text)
        for _ in range(60):
            x = [Fraction(rng.randint(-400, 400), rng.randint(1, 40)) for _ in range(net.widths[0])]
            assert net(x) == moved(x), (net, x)
        assert regions.equivalent(net, moved).equivalent is True
        assert _rows_up_to_scale(moved) != _rows_up_to_scale(net)
        assert sa.identifiable(net).status == "not identifiable"
    assert realised >= 10 and open_ >= 1, (realised, open_)


def test_a_shift_that_changes_f_does_not_realise_the_mechanism(monkeypatch):
    """A candidate is trusted only after the exact check of its move: a forged first candidate (neuron 1 alone
    shifted by 5, e kept: h changes on P) is skipped, and the next, valid, one is named."""
    from flint import fmpq

    from semialg.families.bottleneck import realisation
    from semialg.families.bottleneck.ident_moves import MoveLabel, ShiftHiddenBiases

    pair = Network.from_arrays([[[2, -2], [-4, 4], [3, 1]], [[2, 2, -1]], [[-3]]], [[1, -2, 2], [-2], [3]])
    forged = ShiftHiddenBiases((0,), (fmpq(5),), fmpq(0))
    assert pair([Fraction(1), Fraction(1)]) != forged.build(pair)([Fraction(1), Fraction(1)])
    honest = realisation.shift_witnesses
    monkeypatch.setattr(realisation, "shift_witnesses", lambda net, budget: (
        (MoveLabel("forged", forged), forged.build(net)), *honest(net, budget)))
    text = next(m.description for m in bn.hidden_symmetries(pair) if m.name == MIXED)
    assert "realised: " in text and "b_1 + 5" not in text
    moved = _replayed(pair, text)
    assert all(pair(x) == moved(x) for x in ([Fraction(i, 3), Fraction(j, 2)] for i in range(-9, 9) for j in (-5, 7)))
