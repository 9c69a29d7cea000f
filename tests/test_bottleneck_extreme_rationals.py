"""Case-(a) bottlenecks whose first-layer weights are scaled by 10^30 or 1/7^40: the float searches for witnesses
must not round such points into int64 (they crashed with OverflowError / AttributeError). Oracle: scaling the
input by s > 0 (W1 -> s W1) changes neither the combinatorial type nor the functional dimension, nor
identifiability."""

from __future__ import annotations

import warnings

import pytest
from flint import fmpq

import semialg as sa
from semialg.core.grid_point import GridPoint

SCALES = [fmpq(10 ** 30), fmpq(1, 7 ** 40)]
CASES = [((2, 3, 1, 1), 3), ((1, 2, 1, 1), 5), ((3, 2, 1, 1), 14)]


def _scaled(net, s):
    return net.replace_layer(1, weight=[[x * s for x in row] for row in net.weights[0]])


@pytest.mark.parametrize("arch, seed", CASES)
@pytest.mark.parametrize("s", SCALES, ids=["1e30", "7^-40"])
def test_input_scaling_keeps_type_dimension_and_identifiability(arch, seed, s):
    base = sa.Network.random(arch, seed=seed, height=3)
    net = _scaled(base, s)
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # no numpy overflow in a cast either
        assert sa.combinatorial_type(net, budget=30).classes == sa.combinatorial_type(base, budget=30).classes
        assert sa.functional_dimension(net, budget=30).value == sa.functional_dimension(base, method="batch").value
        assert sa.identifiable(net, budget=30).status == sa.identifiable(base, budget=30).status
        sa.hidden_symmetries(net, budget=30)
        sa.genericity(net)


def test_an_entry_with_a_huge_denominator_leaves_the_integer_form():
    moved = GridPoint([0, 0], 1).with_entry(0, fmpq(1, 10 ** 30))
    assert type(moved) is tuple and moved == (fmpq(1, 10 ** 30), fmpq(0))
