"""Regression tests from the independent audit of the bottleneck fibres (exact evaluation as the oracle)."""

import pytest
from flint import fmpq

import semialg as sa
from semialg.core.network import Network
from semialg.errors import ArchitectureError, ShapeError


def same_function_on_a_grid(n1, n2, lo=-12, hi=12, den=4):
    return all(n1([fmpq(t, den)]) == n2([fmpq(t, den)]) for t in range(lo * den, hi * den + 1))


def test_parallel_rows_case_a_fibre_is_refused_not_listed_without_its_reflections():
    net = Network.from_arrays([[[-1], [-1]], [[-1, -1]], [[1]]], [[1, 2], [2], [0]])
    reflected = Network.from_arrays([[[1], [1]], [[-2, 1]], [[-1]]], [["-1/2", -1], [2], [2]])  # c' = -c
    assert same_function_on_a_grid(net, reflected)   # kinks at 1, 2 and 5/2 all lie inside the grid
    assert sa.equivalent(net, reflected)
    with pytest.raises(ArchitectureError, match="non-parallel"):
        sa.fibre(net)
    wide = Network.from_arrays([[[-1, 0], [-1, 0]], [[-1, -1]], [[1]]], [[1, 2], [2], [0]])
    with pytest.raises(ArchitectureError, match="non-parallel"):
        sa.fibre(wide)


def test_fibre_membership_refuses_another_architecture():
    net = Network.from_arrays([[[1, -1]], [[-2], [1], [-1]], [[1, "-1/2", "-1/2"]]], [[-1], ["1/2", "1/2", -1], [1]])
    F = sa.fibre(net)
    (W1, b1), (W2, b2), (W3, b3) = net.layers()
    wider = Network.from_arrays([W1, list(W2) + [(fmpq(0),)], [list(W3[0]) + [fmpq(0)]]],
                                [b1, list(b2) + [fmpq(0)], b3])  # one more neuron, dead: the same function
    assert sa.equivalent(net, wider)
    with pytest.raises(ShapeError, match="architecture"):
        F.contains(wider)
    with pytest.raises(ShapeError, match="architecture"):
        F.component_of(wider)
    assert F.contains(net)
