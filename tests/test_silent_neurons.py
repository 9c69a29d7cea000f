"""Silent neurons (:func:`semialg.engine.neurons.silent_masks`, the ``silent_neuron`` mechanism of deep
``hidden_symmetries``): a neuron whose non-zero outgoing weights all reach neurons off on every input by their
signs (or silent ones) has a free row. Oracle: exact evaluation of the network with that row and bias replaced by
random rationals, at rational inputs, compared with the original (not the code under test)."""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.engine.neurons import off_masks, silent_masks
from conftest import exact_value


@st.composite
def networks(draw):
    widths = draw(st.sampled_from([(1, 2, 2, 1), (2, 3, 2, 1), (2, 2, 2, 2, 1), (1, 3, 3, 2)]))
    entry = st.integers(-2, 2)
    Ws = [[[draw(entry) for _ in range(a)] for _ in range(b)] for a, b in zip(widths[:-1], widths[1:])]
    bs = [[draw(entry) for _ in range(b)] for b in widths[1:]]
    return Ws, bs


@settings(max_examples=200, deadline=None)
@given(networks(), st.integers(0, 10 ** 6))
def test_the_row_of_a_silent_neuron_is_free(arrays, seed):
    Ws, bs = arrays
    net = Network.from_arrays(Ws, bs)
    Ws = [[[Fraction(x) for x in r] for r in W] for W in Ws]
    bs = [[Fraction(x) for x in b] for b in bs]
    rng = random.Random(seed)
    points = [[Fraction(rng.randint(-40, 40), rng.randint(1, 5)) for _ in range(net.widths[0])] for _ in range(60)]
    listed = [(m.layer, i) for m in sa.hidden_symmetries(net, budget=None) if m.name == "silent_neuron"
              for i in m.neurons]
    silent = silent_masks(net, off_masks(net))
    for l, i in listed:
        assert silent[l - 1][i]
        moved = [[list(r) for r in W] for W in Ws]
        moved_b = [list(b) for b in bs]
        moved[l - 1][i] = [Fraction(rng.randint(-9, 9), rng.randint(1, 4)) for _ in moved[l - 1][i]]
        moved_b[l - 1][i] = Fraction(rng.randint(-9, 9), rng.randint(1, 4))
        assert all(exact_value(moved, moved_b, x) == exact_value(Ws, bs, x) for x in points), (l, i)


def test_a_neuron_reaching_only_an_off_neuron_is_listed():
    net = Network.from_arrays([[[1], [-1]], [[1, 0], [-1, -1]], [[1, 1]]], [[0, 0], [1, -1], [0]])
    names = [(m.name, m.layer, m.neurons) for m in sa.hidden_symmetries(net)]
    assert ("silent_neuron", 1, (1,)) in names and ("off_neuron", 2, (1,)) in names
