"""Conservation laws: symbolic check, the Lie-algebra count, and numeric gradient flow."""

import json

import numpy as np
import pytest
import sympy

from semialg import Architecture, Network
from semialg.ui.cli import main
from semialg.engine.conservation import (ConservedQuantity, conserved_quantities, count_conservation_laws,
                                  gradient_flow, is_conserved)


@pytest.mark.parametrize("arch", [(2, 3, 1), (1, 2, 2), (2, 2, 2, 1), (1, 1, 2, 1)])
def test_every_rescaling_quantity_is_conserved_and_perturbations_are_not(arch):
    net = Network.random(arch, seed=4)
    qs = conserved_quantities(net)
    assert len(qs) == Architecture(*arch).num_hidden
    for q in qs:
        assert is_conserved(q, net)
    w = net.variables().flat[0]
    bad = is_conserved(qs[0].expression + w, net)
    assert not bad and bad.remainder != 0


def test_generator_is_tangent_to_the_orbit():
    # Q is the moment map of its own generator: Q(g_t . theta) changes, f does not; the generator is X = (w, b, -a).
    net = Network.random((2, 2, 1), seed=1)
    q = conserved_quantities(net)[0]
    gen = dict(q.generator)
    theta = net.variables().substitution(net)
    from semialg.engine.regions import parameter_jacobian
    direction = [sympy.sympify(gen.get(v, 0)).xreplace(theta) for v in net.variables().flat]
    assert any(direction)
    for x in ([1, 2], [-3, 1], ["1/2", "-5"]):   # first-order invariance of f along the generator
        J = parameter_jacobian(net, x)[0]
        assert sum(sympy.Rational(int(j.p), int(j.q)) * d for j, d in zip(J, direction)) == 0


@pytest.mark.parametrize("arch", [(2, 1, 1), (2, 3, 1), (3, 2, 2), (1, 2, 1), (1, 3, 1)])
def test_count_equals_number_of_hidden_neurons_for_random_shallow(arch):
    c = count_conservation_laws(Network.random(arch, seed=2))
    assert c.laws == Architecture(*arch).num_hidden and c.gap == 0 and c.stabilized


def test_bottleneck_count_matches_the_math_note():
    c = count_conservation_laws(Network.random((1, 1, 2, 1), seed=1))
    assert c.laws == 3 and c.gap == 0 and c.stabilized
    # Here the first second-layer neuron is never active (class Z): its parameters are frozen, the rank of the
    # fields stays below D - 3 and the count is only an upper bound, which the result says.
    c = count_conservation_laws(Network.random((1, 1, 2, 1), seed=5))
    assert c.laws == 5 and not c.stabilized


def test_zero_output_weight_adds_no_law_over_the_whole_input_space():
    # a_2 = 0 freezes (w_2, b_2) only while a_2 stays 0; a_2 itself moves (its gradient s(w_2 x + b_2) is not
    # zero), so in a neighbourhood there is no extra law: the brackets recover the full rank.
    net = Network.from_arrays([[[1, 2], [3, -1]], [[1, 0]]], [[1, -1], [0]])
    alone = count_conservation_laws(net, max_depth=0)       # the generators miss 2 directions at theta, not near it
    assert (alone.rank_at_parameter, alone.lie_rank, alone.laws, alone.stabilized) == (5, 7, 2, False)
    c = count_conservation_laws(net)
    assert c.laws == 2 and c.gap == 0 and c.depth == 1


def test_gradient_flow_keeps_the_quantities_and_moves_others():
    net = Network.random((2, 3, 1), seed=7)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 2))
    Y = rng.normal(size=(20, 1))
    qs = conserved_quantities(net)
    w = net.variables().flat[0]
    probe = ConservedQuantity("probe", qs[0].expression + w, (), "none")
    flow = gradient_flow(net, X, Y, t_span=(0.0, 0.5), quantities=qs + [probe])
    assert all(flow.drift(q.name) < 1e-7 for q in qs)
    assert flow.drift("probe") > 1e-4


def test_cli_conserved(capsys, tmp_path):
    from semialg import save
    path = tmp_path / "n.json"
    save(Network.random((2, 2, 1), seed=0), path)
    assert main(["conserved", str(path), "--json", "--latex", str(tmp_path / "q.tex")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["laws"] == 2 and len(data["quantities"]) == 2
    assert "Q_{1,1}" in (tmp_path / "q.tex").read_text() or "Q_{1" in (tmp_path / "q.tex").read_text()


def test_cli_says_when_the_count_is_an_upper_bound(capsys, tmp_path):
    from semialg import save
    path = tmp_path / "zero.json"
    save(Network.from_arrays([[[0, 0]], [[0], [0]], [[0, 0]]], [[0], [0, 0], [0]]), path)
    assert main(["conserved", str(path)]) == 0
    assert capsys.readouterr().out.startswith("at most 3 independent local conservation law(s)")
    assert main(["conserved", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["laws"], data["stabilized"], data["budget_spent"], data["rank_at_parameter"]) == (3, False, False, 1)


def test_plot_of_a_gradient_flow(tmp_path):
    pytest.importorskip("matplotlib")
    from semialg.ui.plot import plot_gradient_flow, save_figure
    net = Network.random((2, 2, 1), seed=0)
    flow = gradient_flow(net, np.eye(2), [[1.0], [0.0]], t_span=(0, 0.1), num_times=5)
    fig = plot_gradient_flow(flow)
    assert len(fig.axes[0].lines) == 2
    save_figure(fig, tmp_path / "flow.png")
    assert (tmp_path / "flow.png").read_bytes()[:4] == b"\x89PNG"


def test_all_zero_parameters_are_counted_promptly_and_a_spent_budget_says_so():
    # at theta = 0 no rescaling gradient is non-zero, so the rank bound never ends the bracket iteration early
    zero = Network.from_arrays([[[0, 0]], [[0], [0]], [[0, 0]]], [[0], [0, 0], [0]])     # 2-1-2-1, D = 10
    c = count_conservation_laws(zero)
    # the fields have rank 1 at 0 and 7 near it (audit: D - 1 = 9 laws were claimed): at most 3, as generically
    assert (c.laws, c.lie_rank, c.rank_at_parameter, c.known, c.budget_spent) == (3, 7, 1, 0, False)
    assert not c.stabilized and "singular point" in c.describe()
    assert count_conservation_laws(Network.random((2, 1, 2, 1), seed=1)).laws == 3
    spent = count_conservation_laws(zero, budget=0)
    assert spent.budget_spent and not spent.stabilized and spent.laws >= c.laws
    assert "upper bound: the budget was spent" in spent.describe()


def test_a_neuron_off_everywhere_freezes_its_parameters():
    """Found by an audit: a neuron with zero incoming weights and a negative bias (shallow, and at depth) was a
    mechanism with no law, although each of its parameters is conserved (is_conserved, checked here one by one)
    and the count found them: its mechanism now freezes them, and the explicit laws reach the count."""
    from semialg.engine.conservation import is_conserved, mechanism_conservation

    for net, layer in ((Network.from_arrays([[[1, 2], [0, 0], [3, -1]], [[1, 2, -1]]], [[1, -2, 0], [0]]), 0),
                       (Network.from_arrays([[[1, 2], [2, -1]], [[0, 0], [1, 1]], [[1, -1]]],
                                            [[1, 0], [-3, 1], [0]]), 1)):
        report = mechanism_conservation(net)
        (move,) = [m for m in report.moves if m.name == "dead_input"]
        V = net.architecture.variables()
        W, b = V.weights, V.biases
        own = [W[layer][0 if layer else 1, j] for j in range(net.widths[layer])] + [b[layer][0 if layer else 1]]
        own += [W[layer + 1][r, 0 if layer else 1] for r in range(net.widths[layer + 2])]
        assert all(is_conserved(q, net) for q in own)
        assert move.laws == len(own) and report.proven and report.explicit == report.count.laws
