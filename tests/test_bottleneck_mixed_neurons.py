"""Mixed hidden neurons (U±) of case-(a) bottlenecks: ``hidden_symmetries`` lists them as a continuous mechanism
exactly when their activity patterns on the components of P and the constant 1 are dependent. Oracle: the exact
functional dimension (the Jacobian's rank). A move along such a dependency keeps h on P, so it is in the
Jacobian's kernel beyond G (the functional dimension drops); with independent patterns and no other mechanism
the functional dimension is full."""

from __future__ import annotations

import semialg as sa
from semialg import Network
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
