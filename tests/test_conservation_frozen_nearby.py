"""Every coordinate a mechanism claims frozen is conserved in the sense of Marcotte, Gribonval and Peyré: for data
on which no pre-activation vanishes at $\\theta$ (or only where it vanishes on an open set, which semialg does not
exclude), its gradient is zero at every parameter near $\\theta$ — checked by
moving it at random parameters within $10^{-6}$ of $\\theta$ and evaluating exactly, on random small parameters with
entries in $\\{-2, \\dots, 2\\}$ (dead, hidden and tied neurons are frequent)."""

import random

from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.engine.conservation import _neuron_indices

ARCHS = [(1, 2, 1), (2, 3, 1), (2, 3, 2), (1, 3, 1, 1), (2, 3, 1, 1), (2, 2, 1, 2), (1, 1, 3, 1), (2, 1, 3, 2),
         (1, 2, 2, 1), (2, 2, 2, 1)]


def frozen_coordinates(net: sa.Network) -> list[int]:
    return sorted({k for m in sa.hidden_symmetries(net, budget=10) if m.freezes for i in m.neurons
                   for ks in _neuron_indices(net.architecture, m.layer, i) for k in ks})


def off_the_thin_zero_sets(net: sa.Network, rng: random.Random, tries: int) -> list[list[fmpq]]:
    """Those of ``tries`` random rational inputs where every hidden pre-activation is non-zero or vanishes on a
    neighbourhood (also at four nearby points in random directions): data on a boundary are left out, data where a
    pre-activation vanishes on an open set (a tie, e.g. $h = 0$ on a region) are kept — nothing may be claimed frozen
    that they unfreeze."""
    def zeros(x):
        return [z == 0 for layer in net.preactivations(x)[:-1] for z in layer]
    out = []
    for _ in range(tries):
        x = [fmpq(rng.randint(-60, 60), rng.randint(1, 6)) for _ in range(net.architecture.input_dim)]
        here = zeros(x)
        nearby = [zeros([c + fmpq(rng.randint(-9, 9), 10 ** 5) for c in x]) for _ in range(4)]
        if all(not z or all(other[k] for other in nearby) for k, z in enumerate(here)):
            out.append(x)
    return out


def assert_frozen_near(net: sa.Network, rng: random.Random) -> None:
    arch, theta = net.architecture, list(net.parameters())
    frozen = frozen_coordinates(net)
    data = off_the_thin_zero_sets(net, rng, 12)
    for _ in range(3):
        near = [x + fmpq(rng.randint(-10, 10), 10 ** 7) for x in theta]
        base = sa.Network.from_parameters(arch, near)
        for k in frozen:
            for step in (fmpq(1, 10 ** 9), fmpq(-1, 10 ** 9)):
                moved = sa.Network.from_parameters(arch, near[:k] + [near[k] + step] + near[k + 1:])
                assert all(moved(x) == base(x) for x in data), (net, k)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(ARCHS), st.integers(0, 10 ** 6))
def test_frozen_coordinates_stay_frozen_near_the_parameter(widths, seed):
    rng = random.Random(seed)
    arch = sa.Architecture(*widths)
    assert_frozen_near(sa.Network.from_parameters(arch, [fmpq(rng.choice([-2, -1, 0, 0, 1, 2]))
                                                         for _ in range(arch.num_parameters)]), rng)


# Hidden (U-) neurons active where h = 0 on an open set, found among 4,000 random parameters (2 of them): neurons
# 2 and 4 of the first cancel (v = 1, -1 on one row) on x < -2, where h = 0; the third's neuron 3 is active on x > 0,
# where h = 0 too. A nearby parameter makes h > 0 there, so their output weights move: not frozen.
TIED = [sa.Network.from_arrays([[[-2], [-1], [1], [-1]], [[0, 1, 2, -1]], [[1]]], [[-2, -2, 1, -2], [0], [0]]),
        sa.Network.from_arrays([[[-1], [-2], [1], [-1]], [[-2, 2, -2, 0]], [[-2]]], [[1, -2, 0, 1], [2], [1]])]


def test_hidden_neurons_tied_to_h_equal_zero_are_not_frozen():
    for seed, net in enumerate(TIED):
        assert_frozen_near(net, random.Random(seed))
    # the first: with v_2 + v_4 > 0 nearby, h > 0 at x = -3 and moving v_2 moves f there
    net = TIED[0]
    near = net.replace_layer(2, weight=[[0, 1, 2, fmpq(-999, 1000)]])
    moved = near.replace_layer(2, weight=[[0, fmpq(1001, 1000), 2, fmpq(-999, 1000)]])
    assert net.preactivations([-3])[1] == (0,) and moved([-3]) != near([-3])
