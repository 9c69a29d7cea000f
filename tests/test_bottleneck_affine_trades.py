"""Trades of the affine part on P among the neurons active on all of it, and of affine opposite pairs: exact
moves, checked by the exact equivalence decision; the local dimensions they decide, hand-counted."""

from __future__ import annotations

import random

import pytest
from flint import fmpq

import semialg as sa
from semialg.families.bottleneck.affine_trades import affine_part_trades, constant_neuron_tilts
from semialg.families.bottleneck.local import local_dimension_bounds

from test_bottleneck_local_bounds import _moved, _net, _nets_with


def _with_an_unused_neuron(rng: random.Random):
    net = _net(rng, rng.choice([2, 3, 4]), rng.choice(["twin", "opposite", "far", "plain"]),
               rng.choice([1, 1, 2, 2, 3]))
    v = list(net.weights[1][0])
    if rng.random() < 0.5:                  # an unused neuron, often facing P
        v[rng.randrange(len(v))] = 0
    return net.replace_layer(2, [v])


@pytest.mark.parametrize("net", [n for n, _ in _nets_with(affine_part_trades, 16, 7, _with_an_unused_neuron)])
def test_every_trade_keeps_the_function(net):
    # each direction is a line inside the family (the sum of v_k (w_k, b_k) is kept exactly along it): small
    # amounts keep the function, by the exact decision
    for g in affine_part_trades(net):
        for t in (fmpq(1, 10 ** 3), fmpq(-1, 10 ** 3)):
            assert sa.equivalent(net, _moved(net, g, t)), g


def test_an_unused_neuron_facing_p_gains_weight():
    # h = s(3x - 1) - 2 + 0 s(2x - 1/2), P = {x > 1}: near theta the unused neuron takes any small v, its row
    # free (3), neuron 1 absorbing v (2x - 1/2) on P (its row moves by -v (2, -1/2)), its scale with c (2) and
    # the kink at x = 1 fixed: e follows. D = 9, dimension 6 = 9 - 3 (by hand: slope, kink, d)
    net = sa.Network.from_arrays([[[3], [2]], [[1, 0]], [[1]]], [[-1, "-1/2"], [-2], [0]])
    member = sa.Network.from_arrays([[["14/5"], [2]], [[1, "1/10"]], [[1]]], [["-19/20", "-1/2"], [-2], [0]])
    assert sa.equivalent(net, member)
    assert local_dimension_bounds(net) == (6, 6) and sa.fibre(net).local_dimension() == 6


def test_an_affine_pair_trades_with_a_neuron_whose_inactive_side_is_negative():
    # h = s(x) - s(-x) - 1 = x - 1 (P = {x > 1}) with an unused opposite pair at x = 3: together they may compute
    # tau (x - 3), which s(x) gives up on P; where s(x) is off, h <= -1 - |x| absorbs it. Not so when h is
    # constant where s(x) is off: h = s(x) - 1 and the pair, -tau (x - 3) raises h far left
    pair = ([[1], [-1], [1], [-2]], [0, 0, -3, 6])
    net = sa.Network.from_arrays([pair[0], [[1, -1, 0, 0]], [[1]]], [pair[1], [-1], [0]])
    tau = fmpq(1, 10)
    traded = sa.Network.from_arrays([[[1 - tau], [-1], [1], [-2]], [[1, -1, tau, -tau / 2]], [[1]]],
                                    [[3 * tau, 0, -3, 6], [-1], [0]])
    assert sa.equivalent(net, traded)
    assert any(g[8:12] == [0, 0, 1, fmpq(-1, 2)] for g in affine_part_trades(net))
    flat = sa.Network.from_arrays([pair[0], [[1, 0, 0, 0]], [[1]]], [pair[1], [-1], [0]])
    assert not any(any(g[10:12]) for g in affine_part_trades(flat))
    assert not sa.equivalent(flat, sa.Network.from_arrays([[[1 + tau], [-1], [1], [-2]], [[1, 0, -tau, tau / 2]],
                                                           [[1]]], [[-3 * tau, 0, -3, 6], [-1], [0]]))


def _with_constant_pairs(rng: random.Random):
    """A planted parameter with two or three constant neurons (w = 0, b > 0) of both signs of v."""
    net = _net(rng, rng.choice([2, 3]), rng.choice(["far", "plain", "twin"]), rng.choice([1, 1, 2]))
    W, b = [list(w) for w in net.weights[0]], list(net.biases[0])
    v, n0 = list(net.weights[1][0]), net.widths[0]
    for s in [1, -1] + ([rng.choice([1, -1])] if rng.random() < 0.4 else []):
        W.append([0] * n0)
        b.append(fmpq(rng.randint(1, 3)))
        v.append(s * rng.randint(1, 3))
    return sa.Network.from_arrays([W, [v], [[1], [-1]]], [b, list(net.biases[1]), [0, 1]])


def _far_grid(n0: int) -> list[tuple]:
    """Rational points out to 10^6 along every signed axis and diagonal, and near the origin."""
    import itertools
    dirs = [d for d in itertools.product((-1, 0, 1), repeat=n0) if any(d)]
    return [tuple(fmpq(s * x) for x in d) for d in dirs for s in (fmpq(1, 3), 2, 7, 10 ** 3, 10 ** 6)]


@pytest.mark.parametrize("net", [n for n, _ in _nets_with(constant_neuron_tilts, 12, 3, _with_constant_pairs)])
def test_constant_neurons_tilting_far_away_keep_the_function(net):
    # one-sided: each move and a positive combination of all of them for small t > 0 (exact decision and exact
    # evaluation far out); the opposite tilt of a pair would turn its neurons off where h is not negative
    moves = constant_neuron_tilts(net)
    rng = random.Random(len(moves))
    amounts = [fmpq(rng.randint(1, 5)) for _ in moves]
    combined = [sum((a * g[i] for a, g in zip(amounts, moves)), fmpq(0)) for i in range(len(moves[0]))]
    for g in moves + [combined]:
        moved = _moved(net, g, fmpq(1, 10 ** 4))
        assert sa.equivalent(net, moved)
        assert all(moved(x) == net(x) for x in _far_grid(net.widths[0]))


def test_two_constant_neurons_tilting_together():
    # h = s(2) - 2 s(2x - 3/2) - s(3) + 2 = 1 - 2 s(2x - 3/2), P = (-oo, 1), the kink at 3/4 seen: 3 equations
    # (position, slope, constant) on its neuron's w, b, v, the constants' b, v, e and the scale mu (9): 6; plus
    # the two constant neurons tilting left with cancelling slopes (w_3 = -v_1 w_1 / v_3, w_1 < 0): 7 of 14
    # (c' = c / mu, d' = d). Tilted right their kinks fall on P at different points (v_1 b_1 + v_3 b_3 != 0)
    net = sa.Network.from_arrays([[[0], [2], [0]], [[1, -2, -1]], [[1], [-1]]], [[2, "-3/2", 3], [2], [0, 1]])
    assert local_dimension_bounds(net) == (7, 7)
    (g,) = constant_neuron_tilts(net)
    assert sa.equivalent(net, _moved(net, g, fmpq(1, 10 ** 4)))
    assert not sa.equivalent(net, _moved(net, g, fmpq(-1, 10 ** 4)))
