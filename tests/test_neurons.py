"""The neuron relations and width-keeping moves of :mod:`semialg.engine.neurons`, tested against brute force:
proportional rows found by comparing every pair of rows entry by entry, and moves checked by exact evaluation
at rational points (a move whose precondition holds keeps the function; one whose precondition fails raises).
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

from semialg.core.network import Architecture, Network
from semialg.engine import neurons
from semialg.errors import CertificateError

from conftest import networks, points

small = st.sampled_from([Fraction(x) for x in (-2, -1, 0, 1, 2)] + [Fraction(1, 2), Fraction(-3, 2)])


def _factor(a, b):
    """The $c \\ne 0$ with $b = c\\,a$, or ``None`` (brute force, entry by entry)."""
    k = next((t for t, x in enumerate(a) if x), None)
    if k is None:
        return None
    c = b[k] / a[k]
    return c if c and all(y == c * x for x, y in zip(a, b, strict=True)) else None


def _planted(net: Network, l: int, i: int, j: int, c, weights_only: bool = False) -> Network:
    """``net`` with row ``j`` of hidden layer ``l`` replaced by ``c`` times row ``i`` (the bias kept if
    ``weights_only``)."""
    W = [list(r) for r in net.weights[l - 1]]
    b = list(net.biases[l - 1])
    W[j] = [c * x for x in W[i]]
    if not weights_only:
        b[j] = c * b[i]
    return net.replace_layer(l, W, b)


def _same_function(n1: Network, n2: Network, xs) -> bool:
    return all(n1(x) == n2(x) for x in xs)


@settings(max_examples=40)
@given(st.data())
def test_hyperplane_and_twin_pairs_are_the_proportional_rows(data):
    net = data.draw(networks(entries=small, max_depth=3, max_width=4))
    l = data.draw(st.integers(1, net.depth - 1))
    n = net.widths[l]
    if n >= 2 and data.draw(st.booleans()):
        i, j = data.draw(st.permutations(range(n)))[:2]
        net = _planted(net, l, i, j, data.draw(st.sampled_from([fmpq(2), fmpq(-1, 3), fmpq(1)])))
    rows = neurons.rows(net, l)

    def positive(k, j):
        c = _factor(rows[k], rows[j])
        return c is not None and c > 0
    twins, opposite, first_twin = [], [], []
    for j in range(n):
        for i in range(j):
            c = _factor(rows[i], rows[j])
            if c is None:
                continue
            if any(rows[i][:-1]):
                (twins if c > 0 else opposite).append((i, j, abs(c)))
            if c > 0 and not any(positive(k, j) for k in range(i)):
                first_twin.append((i, j))
    assert neurons.hyperplane_pairs(net, l) == (twins, opposite)
    assert neurons.twin_pairs(net, l) == tuple(sorted(first_twin))


@settings(max_examples=40)
@given(st.data())
def test_flip_keeps_the_function_exactly_when_the_residual_vanishes(data):
    net = data.draw(networks(entries=small, max_depth=3, max_width=3))
    l = data.draw(st.integers(1, net.depth - 1))
    n = net.widths[l]
    S = tuple(sorted(data.draw(st.sets(st.integers(0, n - 1), min_size=1))))
    if len(S) >= 2 and data.draw(st.booleans()):
        # W_l[j] = -lam W_l[i] and c_j = c_i / lam: c_i W_i + c_j W_j = 0, a 0-factor pair
        i, j, lam = S[0], S[1], fmpq(2)
        net = _planted(net, l, i, j, -lam, weights_only=True)
        C = [list(r) for r in net.weights[l]]
        for r in C:
            r[j] = r[i] / lam
        net = net.replace_layer(l + 1, C)
        S = (i, j)
    residual = [[sum((net.weights[l][o][i] * net.weights[l - 1][i][k] for i in S), fmpq(0)) for k in range(net.widths[l - 1])]
                for o in range(net.widths[l + 1])]
    assert neurons.flip_residual(net, l, S) == [tuple(r) for r in residual]
    xs = data.draw(points(net.architecture.input_dim, 4))
    if any(any(r) for r in residual):
        with pytest.raises(CertificateError):
            neurons.flip(net, l, S)
        return
    moved = neurons.flip(net, l, S)
    assert _same_function(net, moved, xs)
    assert all(tuple(moved.weights[l - 1][i]) == tuple(-x for x in net.weights[l - 1][i]) for i in S)


@settings(max_examples=30)
@given(st.data())
def test_twin_shift_keeps_the_function_and_leaves_the_twin_dead(data):
    net = data.draw(networks(entries=small, max_depth=3, max_width=3))
    l = data.draw(st.integers(1, net.depth - 1))
    if net.widths[l] < 2:
        return
    i, j = data.draw(st.permutations(range(net.widths[l])))[:2]
    c = data.draw(st.sampled_from([fmpq(3), fmpq(1, 2), fmpq(-1)]))
    net = _planted(net, l, i, j, c)
    xs = data.draw(points(net.architecture.input_dim, 4))
    if c < 0 or not any(net.weights[l - 1][i]) and not net.biases[l - 1][i]:
        with pytest.raises(CertificateError):
            neurons.shift_twins(net, l, ((i, j),))
        return
    moved = neurons.shift_twins(net, l, ((i, j),))
    assert _same_function(net, moved, xs) and j in neurons.dead_neurons(moved, l)


@settings(max_examples=30)
@given(st.data())
def test_opposite_trade_keeps_the_function_when_the_shifts_are_a_relation(data):
    # two opposite pairs (0, 1), (2, 3) on parallel hyperplanes: W_2 = kappa W_0, so Y, -Y/kappa is a relation
    arch = (data.draw(st.integers(1, 2)), 4, data.draw(st.integers(1, 2)))
    net = data.draw(networks(entries=small, arch=Architecture(*arch)))
    mu, nu, kappa = fmpq(2), fmpq(1, 3), fmpq(-3)
    net = _planted(net, 1, 0, 2, kappa, weights_only=True)
    net = _planted(_planted(net, 1, 0, 1, -mu), 1, 2, 3, -nu)
    y = tuple(fmpq(v.numerator, v.denominator) for v in data.draw(st.lists(small, min_size=arch[2], max_size=arch[2])))
    related = data.draw(st.booleans())
    shifts = (y, tuple(-v / kappa for v in y) if related else y)
    xs = data.draw(points(arch[0], 4))
    if not any(net.weights[0][0]) or not any(y) and not related:
        return  # a zero row is no hyperplane; zero shifts are trivially a relation
    if not related:
        with pytest.raises(CertificateError):
            neurons.trade_opposite(net, 1, ((0, 1), (2, 3)), shifts)
        return
    moved = neurons.trade_opposite(net, 1, ((0, 1), (2, 3)), shifts)
    assert _same_function(net, moved, xs)


@settings(max_examples=15)
@given(st.data())
def test_a_neuron_positive_at_a_point_is_positive_somewhere_on_a_region(data):
    net = data.draw(networks(entries=small, arch=Architecture(2, 2, 2, 1)))
    regs = neurons.image_regions(net, 2)
    for x in data.draw(points(2, 3)):
        z = net.preactivations(x)[1]
        for i, v in enumerate(z):
            if v:
                assert any(neurons.sign_somewhere(R, i, 1 if v > 0 else -1) for R in regs)


@settings(max_examples=15)
@given(st.data())
def test_sign_somewhere_agrees_with_the_exact_feasibility_test(data):
    # the region's own point decides first; the answer must be the LP's on every region, neuron and sign
    from semialg.geometry.polyhedron import decide
    net = data.draw(networks(entries=small, arch=Architecture(2, 2, 2, 1)))
    for R in neurons.image_regions(net, 2):
        G, h = [g for g, _ in R.inequalities], [c for _, c in R.inequalities]
        for i in range(2):
            for sign in (1, -1):
                a, c = tuple(sign * x for x in R.linear[i]), sign * R.offset[i]
                assert neurons.sign_somewhere(R, i, sign) == bool(decide(G + [a], h + [c], 2)) == \
                    neurons.sign_somewhere(R, i, sign)       # asked again: the kept answer


def test_image_regions_are_computed_once_per_network_and_layer():
    net = Network.random((2, 3, 3, 1), seed=3)
    assert neurons.image_regions(net, 2) is neurons.image_regions(net, 2)
    assert neurons.image_regions(net, 2) == neurons.image_regions(Network.random((2, 3, 3, 1), seed=3), 2)


@settings(max_examples=20)
@given(st.data())
def test_negation_changes_the_last_hidden_layer_by_minus_the_residual(data):
    # theta_S for any S: f changes by -sum_{i in S} c_i W_l[i, :] h_{l-1}(x), h_{l-1} the input of layer l
    net = data.draw(networks(entries=small, max_depth=3, max_width=3))
    l = net.depth - 1
    S = tuple(sorted(data.draw(st.sets(st.integers(0, net.widths[l] - 1)))))
    moved = neurons.negate(net, l, S)
    for x in data.draw(points(net.architecture.input_dim, 3)):
        zs = net.preactivations(x)
        h = [fmpq(v.numerator, v.denominator) for v in x] if l == 1 else [max(v, fmpq(0)) for v in zs[l - 2]]
        change = [sum((net.weights[l][o][i] * net.weights[l - 1][i][k] * h[k] for i in S
                       for k in range(len(h))), fmpq(0)) for o in range(net.widths[-1])]
        assert moved(x) == tuple(y - d for y, d in zip(net(x), change, strict=True))
    assert neurons.negate(moved, l, S) == net
    # the same on the integer forms of the weights (negated there, no rational row built) as on rational rows
    from semialg.core.rational_matrix import RationalMatrix
    integer = Network(tuple(RationalMatrix.from_integers(W.numerators, W.denominator) for W in net.weights), net.biases)
    rows = Network(tuple(RationalMatrix.from_rows(W.rows) for W in net.weights), net.biases)
    assert integer.weights[l - 1].has_integer_form and not rows.weights[l - 1].has_integer_form
    assert neurons.negate(integer, l, S) == moved == neurons.negate(rows, l, S)
    assert neurons.clear(integer, l, ()) == neurons.clear(rows, l, ()) == net


@settings(max_examples=20)
@given(st.data())
def test_clearing_dead_and_constant_neurons_keeps_the_function(data):
    net = data.draw(networks(entries=small, max_depth=3, max_width=3))
    l = data.draw(st.integers(1, net.depth - 1))
    i = data.draw(st.integers(0, net.widths[l] - 1))
    kind = data.draw(st.sampled_from(["dead", "constant", "neither"]))
    if kind == "dead":
        net = net.replace_layer(l + 1, [[0 if t == i else x for t, x in enumerate(r)] for r in net.weights[l]])
    elif kind == "constant":
        net = net.replace_layer(l, [[0] * net.widths[l - 1] if t == i else r for t, r in enumerate(net.weights[l - 1])])
    xs = data.draw(points(net.architecture.input_dim, 4))
    if i not in neurons.dead_neurons(net, l) + neurons.constant_neurons(net, l):
        with pytest.raises(CertificateError):
            neurons.clear(net, l, (i,))
        return
    moved = neurons.clear(net, l, (i,))
    assert _same_function(net, moved, xs)
    assert not any(neurons.row(moved, l, i)) and not any(neurons.column(moved, l, i))


@settings(max_examples=20)
@given(st.data())
def test_zero_factors_are_the_live_sets_with_vanishing_flip_residual(data):
    # brute force over every subset of the live neurons; a planted 0-factor pair makes some of them exist
    net = data.draw(networks(entries=small, max_depth=3, max_width=4))
    l = data.draw(st.integers(1, net.depth - 1))
    if net.widths[l] >= 2 and data.draw(st.booleans()):
        net = _planted(net, l, 0, 1, fmpq(-2), weights_only=True)
        net = net.replace_layer(l + 1, [[r[0] / 2 if t == 1 else x for t, x in enumerate(r)] for r in net.weights[l]])
    live = [i for i in range(net.widths[l]) if any(net.weights[l - 1][i]) and any(r[i] for r in net.weights[l])]
    expected = [S for size in range(1, len(live) + 1) for S in itertools.combinations(live, size)
                if not any(any(r) for r in neurons.flip_residual(net, l, S))]
    assert sorted(neurons.zero_factors(net, l)) == sorted(expected)
    S = tuple(data.draw(st.sets(st.integers(0, net.widths[l] - 1), min_size=1)))
    total = [sum(col, fmpq(0)) for col in zip(*neurons.flip_terms(net, l, S), strict=True)]
    assert total == [x for r in neurons.flip_residual(net, l, S) for x in r]


def test_the_sketch_is_predicted_free_when_the_flip_terms_outnumber_their_space():
    """More flip terms than n_{l+1} n_{l-1}: the rank-one sketch answers at once (they are dependent), so its
    predicted time is 0 and a spent budget does not stop the 0-factor search before it; otherwise the prediction
    is that of an n_l x n_l rank modulo p."""
    from semialg.core.modular import rank_mod_seconds
    from semialg.engine.neurons import rank_one_sketch, rank_one_sketch_seconds
    rng = np.random.default_rng(0)
    many = Network.from_arrays([rng.integers(-3, 4, size=(600, 2)), rng.integers(-3, 4, size=(1, 600))],
                               [np.zeros(600, dtype=np.int64), [0]])
    few = Network.from_arrays([rng.integers(-3, 4, size=(600, 40)), rng.integers(-3, 4, size=(30, 600))],
                              [np.zeros(600, dtype=np.int64), np.zeros(30, dtype=np.int64)])
    assert rank_one_sketch_seconds(many, 1) == 0.0 and rank_one_sketch(many, 1) is False
    assert rank_one_sketch_seconds(few, 1) == rank_mod_seconds(600, 600) > 0
