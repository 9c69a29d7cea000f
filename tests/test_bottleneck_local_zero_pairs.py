"""Zero neurons of both signs of v kept apart (semialg.families.bottleneck.local_zero_pairs): each moves by its own
silent family, a lower bound of its own. Oracles: the exact equivalence decision and the region oracle on members
built from positive combinations of the directions, and the first-order upper bound."""

from __future__ import annotations

import random

import pytest
from flint import fmpq

import semialg as sa
from semialg.engine.regions import equivalent as oracle
from semialg.engine.tangent import local_dimension_bounds as first_order, parameter_offsets
from semialg.families.bottleneck.local import local_dimension_bounds, silent_neuron_moves
from semialg.families.bottleneck.local_zero_pairs import parted_zero_lower_bound
from semialg.families.bottleneck.views import bottleneck_case


def _net(rng: random.Random):
    """A 2-n1-1-2 parameter: two or three random neurons, then zero neurons with v = -a and v = +b."""
    live = rng.choice([2, 3])
    W = [[rng.randint(-3, 3) for _ in range(2)] for _ in range(live)] + [[0, 0], [0, 0]]
    b = [fmpq(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(live)] + [0, 0]
    v = [rng.choice([-2, -1, 1, 2]) for _ in range(live)] + [-rng.randint(1, 2), rng.randint(1, 2)]
    net = sa.Network.from_arrays([W, [v], [[1], [-1]]], [b, [rng.randint(-2, 2)], [0, 1]])
    return net if bottleneck_case(net) == "a" else None


def _cases(count: int, seed: int):
    rng, out = random.Random(seed), []
    while len(out) < count:
        net = _net(rng)
        if net is not None and parted_zero_lower_bound(net, [], lambda: silent_neuron_moves(net, set(), apart=True)) > first_order(net)[0]:
            out.append(net)
    return out


@pytest.mark.parametrize("net", _cases(6, 1))
def test_zero_neurons_apart_move_by_their_own_families(net):
    # a positive combination of the zero neurons' silent directions at a small amount is a member (the waking
    # neuron's bias far enough below its row); the bound is never above the first-order upper bound
    n0, n1 = net.widths[0], net.widths[1]
    (W_at, _, _), (b_at, _, _) = parameter_offsets(net.architecture)
    zeros = (n1 - 2, n1 - 1)
    dirs = [m for m in silent_neuron_moves(net, set(), apart=True)
            if any(any(m[W_at + k * n0:W_at + (k + 1) * n0]) or m[b_at + k] for k in zeros)]
    assert {k for m in dirs for k in zeros if any(m[W_at + k * n0:W_at + (k + 1) * n0]) or m[b_at + k]} == set(zeros)
    rng = random.Random(n1)
    # the neuron with v > 0 wakes far away: w' = t d, b' < -C t with C large (its bias direction weighted 10^4)
    weight = [fmpq(10 ** 4) if not any(m[W_at + k * n0:W_at + (k + 1) * n0]) and m[b_at + k] and
              net.weights[1][0][k] > 0 else fmpq(rng.randint(1, 5)) for m in dirs for k in zeros[1:]]
    for t in (fmpq(1, 1000), fmpq(1, 10 ** 6)):
        step = [sum((a * m[i] for a, m in zip(weight, dirs)), fmpq(0)) * t for i in range(len(dirs[0]))]
        moved = sa.Network.from_parameters(net.architecture, [x + d for x, d in zip(net.parameters(), step)])
        assert sa.equivalent(net, moved) and oracle(net, moved)
    lower, upper = local_dimension_bounds(net)
    assert parted_zero_lower_bound(net, [], lambda: silent_neuron_moves(net, set(), apart=True)) <= upper and lower <= upper


def test_zero_neurons_apart_hand_counted():
    # h = -2 s(-2x + y + 2) - 2 s(-x + 2y) + 1 with zero neurons of v = -2 and v = 2: apart, the first wakes with a
    # row in the cone of rows non-positive on P-bar (and v' <= 0), the second far where h_oo < 0; with the two seen
    # kinks (a scale each), e and mu: 11 of 20, where the pair parting as cancelling twins gives 10
    net = sa.Network.from_arrays([[[-2, 1], [0, 0], [-1, 2], [0, 0]], [[-2, -2, -2, 2]], [[1], [-1]]],
                                 [[2, 0, 0, 0], [1], [0, 1]])
    assert local_dimension_bounds(net) == (11, 11)
