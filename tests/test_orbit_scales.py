"""The orbit search's scales (semialg.engine.orbit): with random group elements applied to parameters with zero
rows, zero biases and zero columns planted — scales fixed from the outputs only, and components of hidden neurons
reached from no input, output or bias (their first scale free) — the search finds an element mapping one to the
other, checked by applying it; a parameter and the image of a different one are told apart."""

from __future__ import annotations

import random

from hypothesis import given, settings, strategies as st

from semialg import Network
from semialg.core.symmetry import GroupElement
from semialg.engine.orbit import orbit_element


def _planted(seed: int) -> Network:
    rng = random.Random(seed)
    widths = [rng.randint(1, 3)] + [rng.randint(1, 4) for _ in range(rng.randint(1, 3))] + [rng.randint(1, 2)]
    W = [[[rng.choice([-2, -1, 0, 1, 3]) for _ in range(widths[l])] for _ in range(widths[l + 1])]
         for l in range(len(widths) - 1)]
    b = [[rng.choice([-1, 0, 2]) for _ in range(widths[l + 1])] for l in range(len(widths) - 1)]
    for l in range(len(widths) - 2):                 # zero rows (and biases) and zero columns, at random
        for i in range(widths[l + 1]):
            if rng.random() < 0.3:
                W[l][i], b[l][i] = [0] * widths[l], 0
            if rng.random() < 0.2:
                for row in W[l + 1]:
                    row[i] = 0
    return Network.from_arrays(W, b)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(0, 10 ** 6))
def test_the_search_finds_an_element_of_the_orbit(seed, g_seed):
    net = _planted(seed)
    image = GroupElement.random(net.architecture, seed=g_seed).act(net)
    found = orbit_element(net, image)
    assert found is not None and found.act(net) == image


def test_a_component_reached_from_nothing():
    """Hidden neuron 1 of layer 1 has a zero row and bias and feeds only neuron 1 of layer 2, which has no other
    input, no bias and no output: the two scales are tied by one entry and by nothing else."""
    net = Network.from_arrays([[[1], [0]], [[2, 0], [0, 3]], [[1, 0]]], [[1, 0], [0, 0], [0]])
    g = GroupElement([(1, 0), (1, 0)], [[2, 5], [3, 7]])
    assert orbit_element(net, g.act(net)).act(net) == g.act(net)
    other = Network.from_arrays([[[1], [0]], [[2, 0], [0, -3]], [[1, 0]]], [[1, 0], [0, 0], [0]])
    assert orbit_element(net, other) is None      # the sign of the tying entry differs: no positive scales
