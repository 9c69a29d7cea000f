"""Regression tests from the independent audit of the bottleneck fibres (exact evaluation as the oracle)."""

import pytest
from flint import fmpq

import semialg as sa
from semialg.core.network import Network
from semialg.errors import ArchitectureError, ShapeError


def same_function_on_a_grid(n1, n2, lo=-12, hi=12, den=4):
    return all(n1([fmpq(t, den)]) == n2([fmpq(t, den)]) for t in range(lo * den, hi * den + 1))


def test_parallel_rows_case_a_fibre_lists_its_reflections():
    net = Network.from_arrays([[[-1], [-1]], [[-1, -1]], [[1]]], [[1, 2], [2], [0]])
    reflected = Network.from_arrays([[[1], [1]], [[-2, 1]], [[-1]]], [["-1/2", -1], [2], [2]])  # c' = -c
    assert same_function_on_a_grid(net, reflected)   # kinks at 1, 2 and 5/2 all lie inside the grid
    assert sa.equivalent(net, reflected)
    F = sa.fibre(net)                                # once refused: it listed only mu > 0 members
    j = F.component_of(reflected)
    assert j is not None and j[0] in ("C", "Cp") and F.contains(reflected)
    wide = Network.from_arrays([[[-1, 0], [-1, 0]], [[-1, -1]], [[1]]], [[1, 2], [2], [0]])
    Fw = sa.fibre(wide)
    wide_reflected = Network.from_arrays([[[1, 0], [1, 0]], [[-2, 1]], [[-1]]], [["-1/2", -1], [2], [2]])
    assert Fw.component_of(wide_reflected) is not None
    # rows off the common direction are listed since line_typed: both neurons must sit on the two kinks of h
    # in P (scales) and mu, and the upper bound of the unlisted members is the same
    assert Fw.dimension == 3 and "undecided" not in Fw.describe()


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


def test_phantom_groups_avoid_breakpoints_so_listed_types_are_disjoint():
    # the audit's example: a phantom group at a breakpoint also lay in the type where those kinks serve it
    net = Network.from_arrays([[[1, -1]], [[-2], [1], [-1]], [[1, "-1/2", "-1/2"]]], [[-1], ["1/2", "1/2", -1], [1]])
    F = sa.fibre(net)
    checked = 0
    for C in F.components():
        if not any(isinstance(r, tuple) and r[0] == "P" for r in C.index[2]):
            continue
        for seed in range(60):
            x = C.sample(seed)
            x1 = (fmpq(seed, 7), fmpq(-3, 5))
            assert x(x1) == net(x1)                      # a member, by exact evaluation
            assert F.component_of(x) == C.index         # and located in its own type only
            checked += 1
    assert checked
