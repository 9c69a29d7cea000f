"""First-order bounds on a fibre's local dimension (semialg.engine.tangent), against fibres that decide it.

The shallow typed fibres decide the local dimension from their types (no use of these bounds), the bottleneck
fibres from their components; both must lie between the bounds. Hand-computed fibres fix exact values.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.engine.regions import functional_dimension
from semialg.engine.tangent import local_dimension_bounds
from semialg.errors import ArchitectureError, UndecidedError


def test_hand_computed_fibres():
    # 3 s(2x + 1): a w = 6, a b = 3, c = 0 near theta -- a curve
    assert local_dimension_bounds(Network.from_arrays([[[2]], [[3]]], [[1], [0]])) == (1, 1)
    # |x| = s(x) + s(-x): both kinks pinned at 0 (b = b' = 0, c = 0, a w = 1 = a'|w'|): dimension 2 < 3
    assert local_dimension_bounds(Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 0], [0]])) == (2, 3)
    # the zero network of widths 1-1-1: {c = 0, a = 0} and {c = 0, w = 0, b <= 0}, dimension 2; no input is
    # smooth (the neuron vanishes identically) and no neuron has a non-zero parameter
    assert local_dimension_bounds(Network.from_arrays([[[0]], [[0]]], [[0], [0]])) == (0, 4)


@pytest.mark.parametrize("widths, seed", [((2, 3, 2, 1), 0), ((2, 2, 2, 2), 1), ((1, 3, 3, 1), 2)])
def test_full_functional_dimension_pins_the_local_dimension(widths, seed):
    net = Network.random(widths, seed=seed, height=5)
    fd = functional_dimension(net)
    lower, upper = local_dimension_bounds(net)
    assert lower == fd.num_parameters - fd.upper_bound          # one rescaling per live hidden neuron
    # a random network has no neuron vanishing on a region: every region is smooth, the ranks agree
    assert upper == fd.num_parameters - fd.value
    if fd.value == fd.upper_bound:
        assert upper == lower


_entries = st.sampled_from([0, 0, 1, -1, 2, -2, "1/2"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 2), st.integers(1, 3), st.data())
def test_shallow_local_dimension_lies_between_the_bounds(n0, n1, data):
    W1 = [[data.draw(_entries) for _ in range(n0)] for _ in range(n1)]
    b1 = [data.draw(_entries) for _ in range(n1)]
    W2 = [[data.draw(_entries) for _ in range(n1)]]
    net = Network.from_arrays([W1, W2], [b1, [data.draw(_entries)]])
    try:
        value = sa.fibre(net).local_dimension()
    except UndecidedError:
        return
    lower, upper = local_dimension_bounds(net)
    assert lower <= value <= upper


def _planted(rng: random.Random) -> Network:
    """A case-(a) bottleneck parameter with a planted zero bias, zero row or output weight."""
    n0, n1 = rng.choice([1, 2, 2]), rng.choice([2, 3])
    q = lambda: rng.choice([0, 1, -1, 2, -2, "1/2", 3])  # noqa: E731
    W = [[[q() for _ in range(n0)] for _ in range(n1)], [[q() for _ in range(n1)]], [[q()]]]
    b = [[q() for _ in range(n1)], [q()], [q()]]
    i = rng.randrange(n1)
    kind = rng.choice("zbd")
    if kind == "z":
        b[0][i] = 0
    elif kind == "b":
        W[0][i] = [0] * n0
    else:
        W[1][0][i] = 0
    return Network.from_arrays(W, b)


@pytest.mark.parametrize("seed", range(12))
def test_bottleneck_local_dimension_lies_between_the_bounds(seed):
    net = _planted(random.Random(seed))
    try:
        F = sa.fibre(net, budget=20)
        value = F.local_dimension()
    except (ArchitectureError, UndecidedError) as err:
        if isinstance(err, UndecidedError) and "between" in str(err):
            lower, upper = local_dimension_bounds(net)
            assert f"between {lower} and" in str(err)
        return
    lower, upper = local_dimension_bounds(net)
    assert lower <= value <= upper
