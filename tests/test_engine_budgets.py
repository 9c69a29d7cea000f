"""Budgets, progress and scale of conserved_quantities, estimate_functional_dimension and
batch_functional_dimension. Oracles: the computations they replaced (a running sympy sum per quantity; the SVD
of the stacked float Jacobian; the exact rational rank of the stacked exact Jacobian rows)."""

from __future__ import annotations

import json
import pickle
import time

import numpy as np
import pytest
import sympy
from hypothesis import given, strategies as st

import semialg as sa
import semialg.engine.jacobian as jacobian
from semialg.core.exact import rank
from semialg.engine.conservation import _parameter_index, conserved_quantities, is_conserved
from semialg.engine.batch_rank import batch_functional_dimension
from semialg.engine.jacobian import batch_jacobian, estimate_functional_dimension, numeric_jacobian
from semialg.errors import ParameterError, UndecidedError
from conftest import float32_network
from conftest import architectures, networks, points


def _svd_estimate(net, num_points, seed):
    """The estimate as it was computed before: the SVD of the stacked float Jacobian."""
    X = np.random.default_rng(seed).standard_normal((num_points, net.architecture.input_dim))
    J = np.vstack([numeric_jacobian(net.float_layers(), x)[1] for x in X])
    s = np.linalg.svd(J, compute_uv=False)
    return int((s > s.max(initial=0.0) * max(J.shape) * np.finfo(float).eps).sum())


# -- conserved quantities --------------------------------------------------------------------------------------

@given(architectures(max_depth=4, max_width=4))
def test_lazy_quantities_equal_the_running_sums_they_replaced(arch):
    net = sa.Network.random(arch, seed=arch.num_parameters)
    V, qs = arch.variables(), conserved_quantities(net)
    sub = V.substitution(net)
    expected = []
    for l in range(1, arch.depth):
        W, b, Wn = V.weights[l - 1], V.biases[l - 1], V.weights[l]
        for i in range(arch.widths[l]):
            incoming, outgoing = list(W.row(i)) + [b[i]], list(Wn.col(i))
            expected.append((f"Q_{l}_{i + 1}", sum(v ** 2 for v in incoming) - sum(v ** 2 for v in outgoing),
                             tuple((v, v) for v in incoming) + tuple((v, -v) for v in outgoing)))
    assert [q.name for q in qs] == [name for name, _, _ in expected]
    for q, (_, Q, gen) in zip(qs, expected):
        assert q(net) == Q.xreplace(sub)              # read off the parameters, before any symbol is built
        assert q.expression == Q and q.generator == gen
        assert pickle.loads(pickle.dumps(q)) == q


@given(architectures(max_depth=4, max_width=4))
def test_parameter_index_inverts_the_parameter_order(arch):
    flat = arch.variables().flat
    assert [_parameter_index(arch, v) for v in flat] == list(range(len(flat)))
    W, c = flat[0].name, arch.layer_shapes()[0][1]
    for name in (W.replace("W1", "W01"), f"W1_1_{c + 1}", f"W{arch.depth + 1}_1_1", "b1_0", "x1"):
        assert _parameter_index(arch, sympy.Symbol(name, real=True)) is None
    assert _parameter_index(arch, sympy.Symbol(W)) is None        # no real assumption: another symbol


def test_is_conserved_still_refuses_foreign_symbols_and_stops_on_a_spent_budget():
    net = sa.Network.random((2, 2, 1), seed=0)
    with pytest.raises(ParameterError, match="not parameters"):
        is_conserved(sympy.Symbol("W3_1_1") ** 2, net)        # 2-2-1 has two layers
    with pytest.raises(UndecidedError, match="budget"):
        is_conserved(conserved_quantities(net)[0], net, budget=0)


def test_cli_conserved_gives_templates_beyond_the_member_limit(capsys, tmp_path, monkeypatch):
    from semialg.ui.cli import main
    from semialg.ui.commands import parameter
    path = tmp_path / "n.json"
    sa.save(sa.Network.random((2, 2, 1), seed=0), path)
    monkeypatch.setattr(parameter, "MEMBER_LIMIT", 0)
    assert main(["conserved", str(path), "--json"]) == 0
    quantities = json.loads(capsys.readouterr().out)["quantities"]
    assert [q["expression"] for q in quantities] == ["sum_j W1_1_j**2 + b1_1**2 - sum_m W2_m_1**2",
                                                     "sum_j W1_2_j**2 + b1_2**2 - sum_m W2_m_2**2"]


# -- the numeric estimate --------------------------------------------------------------------------------------

@given(networks(max_depth=3, max_width=4), st.integers(1, 12), st.integers(0, 2 ** 16))
def test_estimate_agrees_with_the_svd_it_replaced_on_both_paths(net, num_points, seed):
    old = _svd_estimate(net, num_points, seed)
    assert estimate_functional_dimension(net, num_points, seed) == old
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(jacobian, "SVD_ENTRIES", 0)      # the Gram matrices: J J^T or J^T J, whichever is smaller
        assert estimate_functional_dimension(net, num_points, seed, progress=False) == old


def test_estimate_stops_at_a_spent_budget():
    net = sa.Network.random((3, 4, 2), seed=0)
    with pytest.raises(UndecidedError, match="budget"):
        estimate_functional_dimension(net, seed=0, budget=0)
    with pytest.raises(ParameterError, match="budget"):
        estimate_functional_dimension(net, seed=0, budget=-1)


def test_estimate_stops_within_its_budget_at_scale():
    """784-256-10 with 800 inputs: an 8000 x 8000 Gram matrix and its eigenvalues, predicted past 2 s."""
    net = float32_network((784, 256, 10))
    started = time.monotonic()
    with pytest.raises(UndecidedError, match="budget"):
        estimate_functional_dimension(net, num_points=800, seed=0, budget=2)
    assert time.monotonic() - started < 2 + 3


# -- the exact batch rank --------------------------------------------------------------------------------------

@given(networks(max_depth=3, max_width=4, max_io=2), st.data())
def test_batch_rank_equals_the_exact_rank_of_the_rows(net, data):
    X = data.draw(points(net.architecture.input_dim, data.draw(st.integers(0, 12))))
    if data.draw(st.booleans()) and X:
        X = X + X[:2]           # repeated inputs: the modular Gram matrix is short, the exact rank decides
    try:
        rows = batch_jacobian(net, X)
    except ParameterError:
        with pytest.raises(ParameterError, match="bent hyperplane"):
            batch_functional_dimension(net, X)
        return
    assert batch_functional_dimension(net, X) == (rank(rows) if rows else 0)


def test_batch_rank_stops_at_a_spent_budget():
    net = sa.Network.random((2, 3, 1), seed=1)
    with pytest.raises(UndecidedError, match="budget"):
        batch_functional_dimension(net, [(1, 2), (3, -1)], budget=0)


def test_batch_rank_stops_within_its_budget_at_scale():
    net = float32_network((784, 256, 10))
    X = np.random.default_rng(0).standard_normal((400, 784)).astype(np.float32).tolist()
    started = time.monotonic()
    with pytest.raises(UndecidedError, match="budget"):
        batch_functional_dimension(net, X, budget=0.5)
    assert time.monotonic() - started < 0.5 + 2


@pytest.mark.slow
def test_training_sizes_answer_in_seconds():
    """Before: conserved_quantities 465 s, the estimate 356 s and 9.4 GB, 20 batch inputs 44 s (784-256-10)."""
    net = float32_network((784, 256, 10))
    started = time.monotonic()
    qs = conserved_quantities(net)
    assert len(qs) == 256 and time.monotonic() - started < 1
    theta = net.parameters()
    assert qs[3](net) == sympy.Rational(str(sum(theta[k] ** 2 for k in range(3 * 784, 4 * 784))
                                            + theta[256 * 784 + 3] ** 2
                                            - sum(theta[256 * 785 + m * 256 + 3] ** 2 for m in range(10))))
    assert estimate_functional_dimension(net, seed=0, budget=60) == 2000
    X = np.random.default_rng(1).standard_normal((200, 784)).astype(np.float32).tolist()
    assert batch_functional_dimension(net, X, budget=60) == 2000
    assert time.monotonic() - started < 60


def test_a_spent_budget_whose_bounds_meet_still_answers(monkeypatch):
    """Found by an audit: when the regions stopped at the deadline, the functional dimension was "undecided"
    with a message reading "between 114 ... and 114". Every region is yielded, then the deadline: the rank
    modulo p of their rows reaches the bound, so the value is proven (compared with the exact rank of the rows)."""
    from semialg.engine import regions
    from semialg.engine import functional_dimension as fdim

    net = sa.Network.random((2, 3, 2, 1), seed=0)
    found = list(regions.decisive_points(net))
    rows = [row for pattern, xs in found for x in xs for row in regions.parameter_jacobian(net, x, pattern)]

    spent = []

    def stopping(net, domain=None, deadline=None):
        yield from found
        spent.append(True)
        raise UndecidedError("the deadline passed")

    monkeypatch.setattr(fdim, "decisive_points", stopping)
    monkeypatch.setattr(fdim, "sampled_batch", lambda *a, **k: None)
    # no rank inside the loop (predicted past the deadline), one quick rank once the budget is spent
    monkeypatch.setattr(fdim.RowSpaceMod, "seconds", lambda self, rows: 0.0 if spent else 1e9)
    fd = fdim.functional_dimension(net, budget=60)
    assert fd.value == rank(rows) == net.architecture.num_parameters - net.architecture.num_hidden


def test_the_exact_rank_after_every_region_is_taken_a_chunk_at_a_time(monkeypatch):
    """When the modular rank never reaches the upper bound, every region's rows go into the exact rank, now a few
    inputs at a time on top of a basis (all at once, a float32 4-16-16-2 network's rows took 24 GB). In 3-4-4-2,
    seed 1, the functional dimension is 37 below the bound 38: chunks of 2 inputs give the rank of all rows."""
    from semialg.engine import functional_dimension as fdim
    from semialg.engine import regions

    net = sa.Network.random((3, 4, 4, 2), seed=1)
    rows = [row for pattern, xs in regions.decisive_points(net) for x in xs
            for row in regions.parameter_jacobian(net, x, pattern)]
    monkeypatch.setattr(fdim, "EXACT_CHUNK", 2)
    # no sampled rows, and the generic bound: the modular rank of the regions' rows stays below it
    monkeypatch.setattr(fdim, "sampled_batch", lambda *a, **k: None)
    monkeypatch.setattr(fdim, "flat_bound", lambda *a, **k: 38)
    fd = fdim.functional_dimension(net, method="batch")
    assert fd.value == rank(rows) == 37 and fd.method == "decisive batch"
