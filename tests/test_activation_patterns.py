"""Exact activation patterns of a batch of inputs (one flint product per layer) against the one-input routine, and
the sampled Jacobian batch that draws its random inputs through them."""

from __future__ import annotations

from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.engine.jacobian import sampled_batch

from conftest import onto_first_hyperplane

POINT = st.lists(st.builds(fmpq, st.integers(-6, 6), st.integers(1, 4)), min_size=3, max_size=3)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=3), st.integers(0, 10 ** 6),
       st.lists(POINT, min_size=0, max_size=9), st.booleans())
def test_batch_patterns_are_the_patterns_one_by_one(hidden, seed, X, on_a_kink):
    net = sa.Network.random((3, *hidden, 2), seed=seed, height=3)
    on = onto_first_hyperplane(net, X[0]) if on_a_kink and X else None
    if on is not None:             # a point where a first-layer neuron is exactly 0
        X = [on] + X[1:]
    assert net.activation_patterns(X) == [net.activation_pattern(x) for x in X]
    assert net.evaluate(X) == [net(x) for x in X]


def test_the_sampled_batch_still_reaches_the_functional_dimension():
    """Generic one-hidden-layer networks have functional dimension $D - n_1$ (the rescalings are the only
    continuous symmetries): the random inputs, drawn a chunk at a time, reach it."""
    for widths, seed in (((3, 6, 2), 0), ((4, 8, 3), 1), ((2, 5, 1), 2)):
        net = sa.Network.random(widths, seed=seed, height=3)
        bound = net.architecture.num_parameters - widths[1]
        batch = sampled_batch(net, bound)
        assert batch.reached and batch.rank == bound
        assert [net.activation_pattern(x) for x in batch.inputs] == net.activation_patterns(batch.inputs)
