"""The sampled lower bound of functional_dimension (semialg.engine.jacobian.sampled_batch): after the first rank the
later rows enter through random combinations, which must keep it a lower bound and, in practice, as strong.

The exact value is computed independently: the exact rank of the Jacobian rows at d + 1 points of every region.
"""

from __future__ import annotations

import numpy as np
import pytest
from flint import fmpq
from hypothesis import assume, given, settings, strategies as st

import semialg as sa
from semialg.core.exact import rank
from semialg.core.modular import BLAS_PRIME, residues
from semialg.engine.jacobian import blocks_rank_mod, jacobians_mod, layers_mod, sampled_batch
from semialg.engine.regions import decisive_points, parameter_jacobian
from semialg.errors import UndecidedError


def _exact_rank(net) -> int:
    rows = [row for pattern, points in decisive_points(net) for x in points
            if not any(0 in layer for layer in pattern) for row in parameter_jacobian(net, x, pattern)]
    return rank(rows)


@pytest.mark.parametrize("arch, seed", [((2, 3, 3, 1), 0), ((2, 4, 3, 2), 1), ((1, 3, 3, 3, 1), 2), ((2, 3, 2, 2), 3),
                                        ((3, 4, 4, 1), 4), ((2, 5, 1, 2), 5)])
def test_sampled_rank_is_a_lower_bound_and_the_value_exact(arch, seed):
    net = sa.Network.random(arch, seed=seed)
    exact = _exact_rank(net)
    fd = sa.functional_dimension(net)
    assert fd.value == exact
    used, _, blocks, reached, taken = sampled_batch(net, fd.upper_bound)
    assert blocks_rank_mod(blocks) <= exact and taken <= exact
    assert exact == fd.upper_bound or not reached


def test_the_random_combinations_are_used_and_lose_nothing():
    # parameters whose functional dimension is below the proven bound: the sampling runs past its first rank,
    # folding the later rows into random combinations; their rank with the first rows equals the rank of all the
    # sampled rows, stacked uncompressed (exact rows reduced modulo p)
    folded = 0
    for arch, seed in [((2, 3, 3, 1), s) for s in range(6)] + [((2, 4, 4, 2), s) for s in range(4)]:
        net = sa.Network.random(arch, seed=seed)
        fd = sa.functional_dimension(net)
        if fd.value == fd.upper_bound:
            continue
        used, _, blocks, _, _ = sampled_batch(net, fd.upper_bound)
        need = -(-fd.upper_bound // net.architecture.output_dim)
        folded += len(used) > need
        whole = [residues(parameter_jacobian(net, x)) for x in used]
        assert blocks_rank_mod(blocks) == blocks_rank_mod(whole) <= _exact_rank(net)
    assert folded >= 4


def test_a_line_yields_an_input_in_every_region_it_crosses():
    # one input: the line is the whole input space, so the pieces' inputs meet every region the (independent)
    # region enumeration finds, each once
    import random

    from semialg.engine.probe_inputs import line_inputs
    for seed in range(4):
        net = sa.Network.random((1, 4, 3, 1), seed=seed)
        regions = {pattern for pattern, _ in decisive_points(net)}
        X = line_inputs(net, 1, random.Random(seed), float("inf"))
        seen = [net.activation_pattern(x) for x in X]
        assert set(seen) == regions and len(seen) == len(regions)


def test_inputs_chosen_for_their_regions_reach_a_bound_random_inputs_miss():
    """12-16-16-3, seed 1: a second-layer neuron is off only on a small region (all first-layer neurons off),
    which none of the random inputs meets (rank 498 there); the bound 499 is reached with the chosen inputs. The
    rank is recomputed independently: flint's rank of the uncompressed modular rows at every input used."""
    from flint import nmod_mat

    from semialg.core.modular import BLAS_PRIME
    from semialg.engine.jacobian import jacobian_mod, layers_mod

    net = sa.Network.random((12, 16, 16, 3), seed=1)
    used, _, blocks, reached, _ = sampled_batch(net, 499)
    assert reached and blocks_rank_mod(blocks) == 499
    layers = layers_mod(net)
    M = [v for x in used for row in jacobian_mod(layers, x, net.activation_pattern(x)).tolist() for v in row]
    assert nmod_mat(len(M) // 531, 531, M, BLAS_PRIME).rank() == 499
    assert any(net.activation_pattern(x)[1][7] < 0 for x in used)       # the rare sign was met


@pytest.mark.parametrize("arch, seed", [((2, 4, 3, 2), 1), ((3, 4, 4, 1), 4), ((2, 5, 1, 2), 5)])
def test_kept_inputs_are_the_random_ones_the_predicate_accepts(arch, seed):
    """``keep`` chooses among the random inputs: with x_0 > 0 required, the random inputs (the first ones used,
    before the first rank) all have it; the chosen ones that may follow are not filtered, and the rank stays a lower bound on the exact value; with
    nothing kept, the inputs chosen for their regions alone."""
    net = sa.Network.random(arch, seed=seed)
    exact, bound = _exact_rank(net), sa.functional_dimension(net).upper_bound
    used, _, blocks, reached, taken = sampled_batch(net, bound, keep=lambda X: X[:, 0] > 0)
    assert blocks_rank_mod(blocks) <= exact and taken <= exact and (exact == bound or not reached)
    need = -(-bound // net.architecture.output_dim)     # random inputs before the first rank
    assert len(used) >= need and all(x[0] > 0 for x in used[:need])
    nothing = sampled_batch(net, bound, keep=lambda X: np.zeros(len(X), dtype=bool))   # no random input at all
    assert blocks_rank_mod(nothing.blocks) <= exact and (exact == bound or not nothing.reached)


def test_a_rank_beyond_memory_is_refused_at_once():
    """784-256-256-10: the rank certificate would need about 4.2 TiB; the answer is undecided with the proven
    upper bound, before any input is sampled (it once held 9.5 GB of rows and failed on a 3 GB allocation). The
    Jacobian route alone (``method="batch"``); ``"auto"`` decides it by kink peeling (tests/test_kink_peeling.py)."""
    net = sa.Network.random((784, 256, 256, 10), seed=0)
    with pytest.raises(UndecidedError, match=r"268810 x 269322 Jacobian rows \(4315\.\d GiB.*at most 268810"):
        sa.functional_dimension(net, method="batch", budget=600)
    assert sampled_batch(net, 268810) == ((), set(), [], False, 0)


def test_what_fits_is_decided_as_before(monkeypatch):
    import semialg.engine.functional_dimension as fdim
    net = sa.Network.random((2, 3, 3, 1), seed=0)
    value = sa.functional_dimension(net).value
    monkeypatch.setattr(fdim, "rank_mod_fits", lambda rows, cols: (False, 64 * rows * cols, 1000))
    with pytest.raises(UndecidedError, match="GiB free memory"):
        sa.functional_dimension(net)
    monkeypatch.undo()
    assert sa.functional_dimension(net).value == value



def test_a_rank_predicted_past_the_budget_is_not_begun(monkeypatch):
    """A rank is given up only between its blocks, so the first one is skipped when its predicted time (there is
    no earlier rank to go by) ends past the deadline: 100-64-10 with a budget of 3 s once took 70 s. With every rank
    predicted to take over 1000 s, the sampled batch computes none and proves nothing, and the region enumeration
    skips its early checks but still ends with the exact value; with the real prediction the batch proves it."""
    import time

    import semialg.core.modular as modular
    net = sa.Network.random((3, 4, 2), seed=0)
    value = sa.functional_dimension(net, method="batch", budget=60).value
    monkeypatch.setattr(modular, "RANK_MOD_SPEED", 1e-3)
    began = time.monotonic()
    inputs, _, _, reached, _ = sampled_batch(net, value, deadline=time.monotonic() + 30)
    assert not reached and inputs and time.monotonic() - began < 30
    assert sa.functional_dimension(net, method="batch", budget=60).value == value
    monkeypatch.undo()
    assert sampled_batch(net, value, deadline=time.monotonic() + 30).reached


def test_no_rank_is_begun_once_the_budget_is_spent(monkeypatch):
    """100-64-1-10 from float32 weights with a budget of 0.5 s: the sampling spends it before its first rank (about
    6,500 x 6,549, predicted at half a minute). The lower bound reported is then a rank already taken, never a new
    one begun past the deadline; this once ran 4 s past the budget. A rank that is quick is still taken, and a
    known one returned when it is not."""
    import time

    import semialg.engine.jacobian as jacobian
    from conftest import load_script
    net = load_script("benchmarks", "bench_bottleneck_fdim").float_bottleneck(100, 64, 10)
    begun = []
    real = jacobian.rank_mod
    monkeypatch.setattr(jacobian, "rank_mod", lambda M, **kw: begun.append(M.shape) or real(M, **kw))
    started = time.monotonic()
    with pytest.raises(UndecidedError, match="budget of 0.5 s was spent .* is at most 6484 .*no rank"):
        sa.functional_dimension(net, method="batch", budget=0.5)
    assert begun == [] and time.monotonic() - started < 3
    block = residues([[1, 2], [0, 1]])
    assert blocks_rank_mod([block], deadline=time.monotonic()) == 2          # quick: taken even so
    big = np.zeros((3000, 3000), dtype=np.int64)                               # predicted at 2.7 s
    assert blocks_rank_mod([big], deadline=time.monotonic(), known=1) == 1
    assert blocks_rank_mod([big], deadline=time.monotonic() + 60, known=1) == 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.integers(1, 3), st.integers(0, 2 ** 32))
def test_jacobian_rows_of_a_batch_are_the_residues_of_the_exact_jacobians(hidden, k, seed):
    """jacobians_mod against parameter_jacobian (rational rows, input by input): plain, as combinations of the
    outputs (``mix``), and along directions of first-layer rows (``first``)."""
    n0 = 3
    net = sa.Network.random((n0, *hidden, k), seed=seed % 10 ** 6)
    rng = np.random.default_rng(seed)
    X = [tuple(fmpq(int(a), int(q)) for a, q in zip(rng.integers(-64, 65, n0), rng.integers(1, 10, n0)))
         for _ in range(6)]
    X = [x for x, pattern in zip(X, net.activation_patterns(X)) if not any(0 in layer for layer in pattern)]
    assume(X)
    patterns = net.activation_patterns(X)
    layers = layers_mod(net)
    full = [residues(parameter_jacobian(net, x, pattern)) for x, pattern in zip(X, patterns)]
    rows = jacobians_mod(layers, X, patterns)
    assert [r.tolist() for r in rows] == [f.tolist() for f in full]
    mix = rng.integers(0, BLAS_PRIME, size=(len(X), 2, k))
    assert [r.tolist() for r in jacobians_mod(layers, X, patterns, mix=mix)] == \
        [(m @ f % BLAS_PRIME).tolist() for m, f in zip(mix, full)]
    n1 = hidden[0]
    neurons = rng.integers(0, n1, size=3)
    T = rng.integers(0, BLAS_PRIME, size=(3, n0 + 1))
    along = jacobians_mod(layers, X, patterns, first=(neurons, T))
    for f, a in zip(full, along):
        moved = [sum(f[:, i * n0 + q] * t[q] for q in range(n0)) + f[:, n1 * n0 + i] * t[n0]
                 for i, t in zip(neurons, T)]
        expected = np.concatenate([np.array(moved).T % BLAS_PRIME, f[:, n1 * (n0 + 1):]], axis=1)
        assert a.tolist() == expected.tolist()


def test_a_rank_running_past_the_deadline_is_given_up(monkeypatch):
    """A rank predicted to be quick can still run long (row exchanges: 128-32-1-10 with a budget of 10 s once took
    15 s in one rank): it is given up at the deadline, looked at between blocks, and the known lower bound returned;
    without a deadline, or with time to spare, the same rank is taken. The rank's clock is a fake one that advances a
    second each time it is read: the first block runs before the deadline, the second would start after it."""
    import time
    from types import SimpleNamespace

    import semialg.core.modular as modular
    import semialg.engine.jacobian as jacobian
    rng = np.random.default_rng(0)
    block = residues((rng.integers(0, 7, size=(60, 20)) @ rng.integers(0, 7, size=(20, 60))).tolist())
    monkeypatch.setattr(jacobian, "RANK_MOD_SPEED", 1e30)          # every rank predicted instant
    monkeypatch.setattr(modular, "_BLOCK", 4)                       # 15 blocks
    assert blocks_rank_mod([block]) == blocks_rank_mod([block], deadline=time.monotonic() + 600) == 20
    deadline = time.monotonic() + 600
    ticks = iter(range(10 ** 6))
    clock = SimpleNamespace(monotonic=lambda: deadline + jacobian.RANK_GRACE - 0.5 + next(ticks))
    monkeypatch.setattr(modular, "time", clock)
    assert blocks_rank_mod([block], deadline=deadline, known=3) == 3 and next(ticks) == 2
