"""The functional dimension of case-(a) bottlenecks from the activity patterns of the first layer on P
(``families/bottleneck/dimension.py``): n0 rank B + rank [B | 1] + 2 n3 - 1. Oracle: the engine's Jacobian over every
region of the network (``method="batch"``), and the exact rank of the Jacobian rows at the batch the result names."""

from __future__ import annotations

import time

from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.core.exact import independent_rows, rank
from semialg.engine.functional_dimension import functional_dimension
from semialg.engine.jacobian import parameter_jacobian
from semialg.families.bottleneck import dimension
from semialg.families.bottleneck.dimension import METHOD, pattern_dimension

SMALL = st.integers(-2, 2)
OUTER = st.sampled_from([-2, -1, 1, 2] * 2 + [0])        # v = 0 or c = 0 now and then


@st.composite
def case_a(draw):
    """Small integer case-(a) parameters with the degenerate rows the theorem must handle: zero rows, constant
    neurons (w = 0), repeated and opposite rows, v = 0."""
    n0, n1, n3 = draw(st.integers(1, 3)), draw(st.integers(2, 4)), draw(st.integers(1, 2))
    W1 = []
    for _ in range(n1):
        kind = draw(st.sampled_from(["random"] * 4 + ["zero", "copy", "opposite"]))
        if kind == "zero" or not W1 and kind != "random":
            W1.append([0] * n0 + [draw(SMALL)])
        elif kind == "random":
            W1.append([draw(SMALL) for _ in range(n0 + 1)])
        else:
            row = draw(st.sampled_from(W1))
            W1.append([(1 if kind == "copy" else -1) * draw(st.integers(1, 2)) * x for x in row])
    v = [draw(OUTER) for _ in range(n1)]
    c = [draw(OUTER) for _ in range(n3)]
    return Network.from_arrays([[r[:-1] for r in W1], [v], [[x] for x in c]],
                               [[r[-1] for r in W1], [draw(SMALL)], [draw(SMALL) for _ in range(n3)]])


@settings(max_examples=120)      # a third have one-signed h or c = 0 (None, checked too)
@given(case_a())
def test_the_formula_is_the_rank_of_the_jacobian_over_every_region(net):
    found = pattern_dimension(net)
    if found is None:
        assert sa.functional_dimension(net).method != METHOD
        return
    assert found.value == functional_dimension(net, method="batch").value
    # the batch it names reaches the value (a lower bound by itself, computed by the engine's backpropagation)
    assert rank([row for x in found.batch for row in parameter_jacobian(net, x)]) == found.value
    assert found.method == METHOD and found.upper_bound >= found.value


def test_random_parameters_agree_and_most_are_decided():
    decided = 0
    for seed in range(40):
        for arch in ((2, 4, 1, 2), (3, 3, 1, 1), (1, 4, 1, 2)):
            net = Network.random(arch, seed=seed, height=2)
            found = pattern_dimension(net)
            if found is not None:
                decided += 1
                assert found.value == functional_dimension(net, method="batch").value, (arch, seed)
    assert decided >= 60


def test_a_dead_neuron_and_opposite_pairs_lower_the_dimension():
    # h = 1 - |x| - |y| - s(x - 5): P is the open square |x| + |y| < 1, the last neuron dead on it (U-)
    W1 = [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 0]]
    net = Network.from_arrays([W1, [[-1] * 5], [[1], [2]]], [[0, 0, 0, 0, -5], [1], [0, 0]])
    found = sa.functional_dimension(net)
    # the four quadrants' patterns have rank 3 with and without the constant column: 2 * 3 + 3 + 2 * 2 - 1
    assert found.method == METHOD and found.value == 12 == functional_dimension(net, method="batch").value
    assert found.regions == 4 and found.upper_bound == net.architecture.num_parameters - 6


def test_where_the_theorem_does_not_apply_the_engine_decides():
    negative = Network.from_arrays([[[1, 0], [0, 1]], [[-1, -1]], [[1]]], [[0, 0], [0], [0]])     # h <= 0
    silent = Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[0]]], [[0, 0], [-1], [0]])        # c = 0
    flat = Network.from_arrays([[[1, 0], [0, 1]], [[0, 0]], [[1]]], [[0, 0], [2], [0]])           # h = 2
    case_b = Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])
    for net in (negative, silent, flat, case_b):
        assert pattern_dimension(net) is None
        assert sa.functional_dimension(net).method != METHOD


def test_arrangements_with_too_many_cells_are_left_to_the_engine(monkeypatch):
    net = Network.from_arrays([[[1, 0], [0, 1], [1, 1]], [[1, 1, 1]], [[1]]], [[0, 0, -1], [-1], [0]])
    assert pattern_dimension(net) is not None
    monkeypatch.setattr(dimension, "MAX_PATTERN_CELLS", 6)      # 1 + 3 + 3 = 7 possible cells
    assert pattern_dimension(net) is None


def test_a_passed_deadline_gives_none_and_the_engine_reports_its_bounds():
    net = Network.random((3, 6, 1, 1), seed=3, height=2)
    assert pattern_dimension(net, deadline=time.monotonic() - 1) is None
    assert pattern_dimension(net).value == functional_dimension(net, method="batch").value


def test_independent_rows_are_a_basis_of_the_row_space():
    rows = [[1, 2, 0], [2, 4, 0], [0, 0, 3], [1, 2, 3], [0, 1, 0]]
    basis = independent_rows(rows)
    assert basis == [0, 2, 4] and rank([rows[i] for i in basis]) == rank(rows) == 3


def test_neurons_with_zero_output_weight_add_their_activations():
    """v_i = 0 != w_i: the Jacobian gains the column s(z_i) on P (d/dv_i), not the neuron's whole block."""
    hidden_weight = Network.from_arrays([[[1, 0], [0, 1], [1, 1]], [[1, 1, 0]], [[1]]], [[0, 0, 0], [-1], [0]])
    assert pattern_dimension(hidden_weight).value == 9 == functional_dimension(hidden_weight, method="batch").value
    checked = 0
    for seed in range(16):
        net = Network.random((2, 4, 1, 2), seed=seed, height=2)
        W, b = [[list(r) for r in layer] for layer in net.weights], [list(r) for r in net.biases]
        W[1][0][seed % 4] = 0      # one or two neurons silenced in the second layer
        W[1][0][(seed // 4) % 4] = 0
        net = Network.from_arrays(W, b)
        found = pattern_dimension(net)
        if found is not None:
            checked += 1
            assert found.value == functional_dimension(net, method="batch").value, seed
            assert rank([row for x in found.batch for row in parameter_jacobian(net, x)]) == found.value
    assert checked >= 8


def test_without_negative_values_d_and_e_trade():
    """h > 0 almost everywhere (regime T): the rows of d are those of e through c, one dimension less; a plateau of h
    at 0 gives the rows of d back."""
    positive = Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1], [2]]], [[0, 0], [1], [0, 0]])    # h >= 1
    plateau = Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1], [2]]], [[0, 0], [0], [0, 0]])     # 0 on x, y < 0
    for net, value in ((positive, 2 * 2 + 3 + 2 * 2 - 2), (plateau, 2 * 2 + 3 + 2 * 2 - 1)):
        found = pattern_dimension(net)
        assert found.value == value == functional_dimension(net, method="batch").value
        assert rank([row for x in found.batch for row in parameter_jacobian(net, x)]) == value


def test_the_local_dimension_is_at_most_D_minus_the_functional_dimension(monkeypatch):
    """The cap of local_dimension_bounds: the batch's inputs lie strictly inside regions of theta, so nearby
    parameters keep their patterns there and the fibre lies in a level set of rank dim_fun. Checked against the
    fibre's own local dimension where the explicit fibre gives it, and, with the first-order bounds made useless,
    the bounds still end at D - dim_fun (the engine's Jacobian)."""
    from semialg.families.bottleneck import local
    from semialg.families.bottleneck.dimension import local_dimension_cap
    checked = 0
    for seed in range(12):
        net = Network.random((2, 4, 1, 1), seed=seed, height=3)
        cap = local_dimension_cap(net)
        if cap is None:
            continue
        D = net.architecture.num_parameters
        assert cap == (0, D - functional_dimension(net, method="batch").value)
        try:
            assert sa.fibre(net, budget=30).local_dimension(net) <= cap[1]
        except (sa.ArchitectureError, sa.UndecidedError):
            pass
        monkeypatch.setattr(local, "first_order_bounds", lambda net, *a, **k: (0, net.architecture.num_parameters))
        for other in ("constant_function_bounds", "line_tilt_bounds", "positive_constant_bounds",
                      "positive_inner_bounds", "rank_bounds"):
            monkeypatch.setattr(local, other, lambda *a, **k: None)
        assert local.local_dimension_bounds(net)[1] <= cap[1]
        monkeypatch.undo()
        checked += 1
    assert checked >= 6
