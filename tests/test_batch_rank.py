"""The upper bound on a batch Jacobian's rank (activation counts, rescaling ranks) and the rescaling ranks
themselves. Oracles: the exact rational rank of the Jacobian rows from backpropagation in rationals
(``batch_jacobian``), and rescaling fields written out from their definition."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from flint import fmpq
from hypothesis import assume, given, strategies as st

import semialg.engine.batch_rank as batch_rank
from semialg.core.exact import rank
from semialg.core.network import Architecture, Network
from semialg.core.symmetry import rescaling_ranks
from semialg.engine.batch_rank import batch_functional_dimension, batch_rank_upper_bound
from semialg.engine.jacobian import batch_jacobian
from semialg.errors import ParameterError
from conftest import networks, points

# many zeros: dead, unused and zero neurons, rows without a bias
sparse = st.sampled_from([-2, -1, 0, 0, 0, 1, 2, Fraction(1, 2), Fraction(-3, 2)])


def _rows_or_none(net, X):
    try:
        return batch_jacobian(net, X)
    except ParameterError:
        return None


def _rescaling_fields(net):
    """The fields $(w_i, b_i, -a_i)$ of every hidden neuron, as flat vectors in the order of ``parameters()``."""
    W_at, b_at, at = [], [], 0
    for l in range(net.depth):
        W_at.append(at)
        at += net.widths[l + 1] * net.widths[l]
        b_at.append(at)
        at += net.widths[l + 1]
    fields = []
    for l in range(net.depth - 1):
        n_in, n, n_out = net.widths[l], net.widths[l + 1], net.widths[l + 2]
        for i in range(n):
            F = [fmpq(0)] * at
            for j in range(n_in):
                F[W_at[l] + i * n_in + j] = net.weights[l][i][j]
            F[b_at[l] + i] = net.biases[l][i]
            for r in range(n_out):
                F[W_at[l + 1] + r * n + i] = -net.weights[l + 1][r][i]
            fields.append(F)
    return fields


@given(st.one_of(networks(max_depth=4, max_width=3, max_io=2), networks(entries=sparse, max_depth=4, max_width=3,
                                                                        max_io=2)), st.data())
def test_the_upper_bound_holds_for_the_exact_rank(net, data):
    X = data.draw(points(net.architecture.input_dim, data.draw(st.integers(1, 14))))
    rows = _rows_or_none(net, X)
    assume(rows is not None)
    assert rank(rows) <= batch_rank_upper_bound(net, net.activation_patterns(X))


@given(networks(entries=sparse, max_depth=4, max_width=3, max_io=2), st.data())
def test_rescaling_fields_are_independent_kernel_vectors_off_every_bent_hyperplane(net, data):
    x = data.draw(points(net.architecture.input_dim))
    rows = _rows_or_none(net, [x])
    assume(rows is not None)
    fields = _rescaling_fields(net)
    assert all(sum(a * b for a, b in zip(row, F)) == 0 for row in rows for F in fields)
    nonzero = [F for F in fields if any(F)]
    assert rank(nonzero) == len(nonzero) == sum(rescaling_ranks(net))


def _decided_without_the_rational_rank(monkeypatch, net, X):
    expected = rank(batch_jacobian(net, X))

    def refused(*args):
        raise AssertionError("the rational rank was taken")
    monkeypatch.setattr(batch_rank, "rank", refused)
    return expected, batch_functional_dimension(net, X)


@pytest.mark.parametrize("widths, n", [((2, 5, 3), 40), ((3, 4, 2), 30), ((4, 6, 3), 40)])
def test_generic_networks_at_many_inputs_need_no_rational_rank(monkeypatch, widths, n):
    net = Network.random(Architecture(*widths), seed=3)
    rng = random.Random(n)
    X = [[Fraction(rng.randint(-999, 999), 97) for _ in range(widths[0])] for _ in range(n)]
    expected, found = _decided_without_the_rational_rank(monkeypatch, net, X)
    assert found == expected


@pytest.mark.parametrize("on", [1, 3, 5, 31])
def test_a_bottleneck_counts_the_inputs_where_it_is_on(monkeypatch, on):
    # h = s(x1) + s(x2) - 1 is on where s(x1) + s(x2) > 1
    net = Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[2], [-1], [3]]], [[0, 0], [-1], [1, 0, 2]])
    grid = [(Fraction(i, 3), Fraction(j, 2)) for i in range(-3, 6) for j in range(-3, 5) if i != 0 and j != 0]
    ons = [x for x in grid if max(x[0], 0) + max(x[1], 0) > 1]
    X = random.Random(on).sample(ons, on) + [x for x in grid if max(x[0], 0) + max(x[1], 0) < 1]
    expected, found = _decided_without_the_rational_rank(monkeypatch, net, X)
    # before the bottleneck: one gradient per input where it is on, at most 6 + 3 parameters less 2 rescalings;
    # after it: 6 parameters less the bottleneck's rescaling
    assert found == expected == batch_rank_upper_bound(net, net.activation_patterns(X)) == min(on, 7) + 5


def test_a_neuron_without_outgoing_weights_adds_no_gradient(monkeypatch):
    # the bottleneck of the test above beside a second neuron s(x1 - x2) with output weight 0: its own output
    # weight still has a derivative, s(x1 - x2), its rescaling has none after its layer
    net = Network.from_arrays([[[1, 0], [0, 1]], [[1, 1], [1, -1]], [[2, 0]]], [[0, 0], [-1, 0], [1]])
    X = [(Fraction(5, 3), Fraction(3, 2)), (Fraction(4, 3), Fraction(-1, 2)), (Fraction(-2, 3), Fraction(5, 2)),
         (Fraction(1, 3), Fraction(-1, 2)), (Fraction(2, 3), Fraction(-3, 2)), (Fraction(-1, 3), Fraction(1, 2))]
    expected, found = _decided_without_the_rational_rank(monkeypatch, net, X)
    assert found == expected == batch_rank_upper_bound(net, net.activation_patterns(X)) == 3 + 2


def test_the_upper_bound_refuses_a_bent_pattern():
    net = Network.from_arrays([[[1]], [[1]]], [[0], [0]])
    with pytest.raises(ParameterError, match="pre-activation"):
        batch_rank_upper_bound(net, net.activation_patterns([(0,)]))


@given(st.one_of(networks(max_depth=4, max_width=3, max_io=2), networks(entries=sparse, max_depth=4, max_width=3,
                                                                        max_io=2)), st.data())
def test_the_rank_proven_modulo_primes_is_the_exact_rank(net, data):
    """jacobian_rank (a kernel checked by Chinese remaindering) against flint's rank of the rational rows, at inputs
    of any size, with and without the upper bound."""
    X = data.draw(points(net.architecture.input_dim, data.draw(st.integers(1, 10))))
    X = X + [[v * data.draw(st.sampled_from([1, 7, Fraction(1, 9)])) for v in x] for x in X[:3]]
    rows = _rows_or_none(net, X)
    assume(rows is not None)
    patterns = net.activation_patterns(X)
    assert batch_rank.jacobian_rank(net, X, patterns) == rank(rows)
    upper = batch_rank_upper_bound(net, patterns)
    assert batch_rank.jacobian_rank(net, X, patterns, at_most=upper) == rank(rows)
