"""Mechanisms of bottleneck parameters that ``hidden_symmetries`` missed (found by an audit against
``identifiable``'s witnesses): phantom pairs (an opposite pair whose kinks cancel computes an affine function, so its
hyperplane or kink point moves with the next bias compensating) and, in case (b) without an A block, kink flips
whose slopes c_j v_j sum to zero (absorbed by d). Oracles: exact evaluation of the moved parameters at rational
points, ``equivalent``, and a brute-force search over flip sets."""

from __future__ import annotations

import itertools
import random

from flint import fmpq

import semialg as sa
from semialg import Network
from semialg.families import bottleneck as bn


def _same_function(a: Network, b: Network, seed: int = 0) -> bool:
    rng = random.Random(seed)
    points = [[fmpq(rng.randint(-400, 400), rng.randint(1, 9)) for _ in range(a.widths[0])] for _ in range(200)]
    return all(a(x) == b(x) for x in points)


def _names(net):
    return {m.name: m for m in bn.hidden_symmetries(net)}


def test_a_phantom_pair_of_case_a_moves_its_hyperplane():
    # s(x - 1) - s(1 - x) = x - 1: h = x + s(y), and the pair's hyperplane x = 1 can move anywhere
    net = Network.from_arrays([[[1, 0], [-1, 0], [0, 1]], [[1, -1, 1]], [[1]]], [[-1, 1, 0], [1], [0]])
    for beta in (fmpq(1, 3), fmpq(-5, 2), fmpq(7)):
        moved = Network.from_arrays([[[1, 0], [-1, 0], [0, 1]], [[1, -1, 1]], [[1]]],
                                    [[-1 + beta, 1 - beta, 0], [1 - beta], [0]])
        assert _same_function(net, moved) and bool(sa.equivalent(net, moved))
    found = _names(net)["phantom pairs"]
    assert found.continuous and found.dimension == 1 and found.neurons == (0, 1)
    assert sa.local_dimension_bounds(net)[0] >= net.widths[1] + 1 + 1       # beyond the G-orbit


def test_a_phantom_pair_of_case_b_moves_its_kink_point():
    # s(1 - t) - s(t - 1) = 1 - t with t = s(x): the kink point 1 can move, d compensating
    net = Network.from_arrays([[[1]], [[-1], [1]], [[1, -1]]], [[0], [1, -1], [0]])
    for a in (fmpq(1, 2), fmpq(3), fmpq(-2)):
        moved = Network.from_arrays([[[1]], [[-1], [1]], [[1, -1]]], [[0], [a, -a], [1 - a]])
        assert _same_function(net, moved) and bool(sa.equivalent(net, moved))
    found = _names(net)["phantom pairs"]
    assert found.continuous and found.dimension == 1 and found.layer == 2


def test_pairs_whose_kinks_do_not_cancel_are_not_phantom():
    kinked = Network.from_arrays([[[1, 0], [-1, 0], [0, 1]], [[1, 2, 1]], [[1]]], [[-1, 1, 0], [1], [0]])
    assert "phantom pairs" not in _names(kinked)
    assert "phantom pairs" not in _names(Network.from_arrays([[[1]], [[-1], [1]], [[1, 1]]], [[0], [1, -1], [0]]))


def test_case_b_kink_flips_with_cancelling_slopes_are_absorbed_by_d():
    # s(1 - t) + s(t - 3) = s(t - 1) + s(3 - t) - 2: c_j v_j = -1, 1
    net = Network.from_arrays([[[1]], [[-1], [1]], [[1, 1]]], [[0], [1, -3], [0]])
    flipped = Network.from_arrays([[[1]], [[1], [-1]], [[1, 1]]], [[0], [-1, 3], [-2]])
    assert _same_function(net, flipped) and bool(sa.equivalent(net, flipped))
    found = _names(net)["kink flips absorbed by d"]
    assert not found.continuous and found.multiplicity == 2


def _flip_sets(net):
    """Brute force: the flip sets S of kink neurons with sum c_j v_j = 0, and for each the flipped parameter with d
    compensating (c s(z) = c s(-z) + c z)."""
    W1, W2, W3 = [[list(r) for r in layer] for layer in net.weights]
    b1, b2, b3 = [list(b) for b in net.biases]
    kinks = [j for j, (v, e) in enumerate(zip((r[0] for r in W2), b2)) if v * e < 0]
    out = []
    for size in range(1, len(kinks) + 1):
        for S in itertools.combinations(kinks, size):
            if any(sum((W3[q][j] * W2[j][0] for j in S), fmpq(0)) for q in range(len(W3))):
                continue
            V, E, D = [list(r) for r in W2], list(b2), list(b3)
            for j in S:
                for q in range(len(W3)):
                    D[q] += W3[q][j] * b2[j]
                V[j], E[j] = [-V[j][0]], -E[j]
            out.append((S, Network.from_arrays([W1, V, W3], [b1, E, D])))
    return out


def test_flip_sets_against_brute_force():
    listed = absent = 0
    for seed in range(120):
        rng = random.Random(seed)
        n2 = rng.randint(2, 4)
        v = [rng.choice([-2, -1, 1, 2]) for _ in range(n2)]
        e = [-x * rng.randint(1, 3) for x in v]               # every neuron a kink on t > 0 (no A block)
        c = [[rng.choice([-2, -1, 1, 2]) for _ in range(n2)]]
        net = Network.from_arrays([[[1, -1]], [[x] for x in v], c], [[0], e, [0]])
        sets = _flip_sets(net)
        names = _names(net)
        if sets:
            listed += 1
            assert names["kink flips absorbed by d"].multiplicity == len(sets) + 1, seed
            for _, flipped in sets[:2]:
                assert _same_function(net, flipped, seed)
        else:
            absent += 1
            assert "kink flips absorbed by d" not in names, seed
    assert listed >= 20 and absent >= 20


def test_pair_relocations_are_listed_where_an_opposite_pair_has_a_parallel_neuron():
    # neurons 0 and 1 are opposite on x = 1, neuron 2 lies on the parallel x = -9/2 (n0 = 1: every row is parallel)
    net = Network.from_arrays([[["-2/3"], [1], ["-1/3"]], [["-1/3", -2, 1]], [[2]]], [["2/3", -1, "-3/2"], ["1/3"],
                                                                                   ["-2/3"]])
    found = _names(net)["pair relocations"]
    assert not found.continuous and found.neurons == (0, 1, 2)
    # the move: neuron 1 opposite to neuron 2 instead, the outer bias compensating (the witness move replays it)
    from semialg.engine.witnesses import WitnessMove
    moved = WitnessMove("pair relocation", 1, (0, 1, 2), (fmpq(3, 2), fmpq(1, 2))).apply(net)
    assert moved != net and _same_function(net, moved) and bool(sa.equivalent(net, moved))
    two_d = Network.from_arrays([[[1, 0], [-1, 0], [0, 1]], [[1, 2, 1]], [[1]]], [[-1, 1, 0], [1], [0]])
    assert "pair relocations" not in _names(two_d)                 # no neuron parallel to the pair
