"""Positive constant inner networks and the one-sided trade of e with d (semialg.families.bottleneck.local_constant).

Members are built from the statements (h' any constant near h's value with c' free and d' following; e raised by
t >= 0 with d lowered by t c at a rescaled parameter) and checked by the exact equivalence decision and by exact
evaluation on a grid; members that break a statement (a constant neuron tilted, the trade the other way) must change
the function. The bounds are checked against a hand count (h a sum of dead constant neurons with v > 0: every row
is pinned at 0, so 2 n1 + 1 + n3), and against the first-order bounds of semialg.engine.tangent (the moves' rank,
the exact Jacobian's kernel) and the survey's bounds.
"""

from __future__ import annotations

import itertools
import random

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.engine import tangent
from semialg.families.bottleneck.local import local_dimension_bounds
from semialg.families.bottleneck.local_constant import one_sided_trade_lower_bound, positive_constant_bounds, \
    positive_inner_bounds
from semialg.families.bottleneck.types import combinatorial_type

GRID = {n0: [tuple(fmpq(p, 2) for p in point) for point in itertools.product(range(-40, 41, step), repeat=n0)]
        for n0, step in ((1, 3), (2, 11), (3, 27))}


def _h(net: Network, x) -> fmpq:
    W, b, v, e = net.weights[0], net.biases[0], net.weights[1][0], net.biases[1][0]
    return e + sum((vi * max(fmpq(0), sum((a * xi for a, xi in zip(w, x, strict=True)), fmpq(0)) + bi)
                    for w, bi, vi in zip(W, b, v, strict=True)), fmpq(0))


def _constant_net(rng: random.Random) -> Network:
    """An n0-n1-1-2 parameter whose h is a positive constant: constant, dead, zero and unused neurons."""
    n0, n1 = rng.choice([1, 2, 3]), rng.randint(2, 4)
    W, b, v = [], [], []
    for _ in range(n1):
        kind = rng.choice(["constant", "constant", "zero", "unused"])
        W.append([rng.randint(-3, 3) for _ in range(n0)] if kind == "unused" else [0] * n0)
        b.append(fmpq(0) if kind == "zero" else fmpq(rng.choice([-3, -1, 1, 2]), rng.choice([1, 2])))
        v.append(fmpq(0) if kind == "unused" else fmpq(rng.choice([-2, -1, 1, 3])))
    inner = sum((vi * max(fmpq(0), bi) for bi, vi in zip(b, v, strict=True)), fmpq(0))
    e = -inner + fmpq(rng.randint(1, 4), 2)
    return Network.from_arrays([W, [v], [[1], [-2]]], [b, [e], [rng.randint(-2, 2), 1]])


def _constant_member(net: Network, rng: random.Random, scale: fmpq) -> Network:
    """A member by the statement: rows kept at 0 (or v' = 0), b', v', e', c' moved by up to ``scale``, d' following."""
    n1 = net.widths[1]
    W = [list(r) for r in net.weights[0]]
    b, v = list(net.biases[0]), list(net.weights[1][0])

    def nudge():
        return scale * fmpq(rng.randint(-9, 9), 9)

    for i in range(n1):
        if v[i] == 0:
            W[i] = [x + nudge() for x in W[i]]
        else:
            v[i] += nudge()
        b[i] += nudge()
    e = net.biases[1][0] + nudge()
    kappa = e + sum((vi * max(fmpq(0), bi) for bi, vi in zip(b, v, strict=True)), fmpq(0))
    c = [row[0] + nudge() for row in net.weights[2]]
    f = [net.weights[2][r][0] * _h(net, [0] * net.widths[0]) + net.biases[2][r] for r in range(2)]
    d = [f[r] - c[r] * kappa for r in range(2)]
    return Network.from_arrays([W, [v], [[x] for x in c]], [b, [e], d])


CONSTANT = [_constant_net(random.Random(seed)) for seed in range(8)]


@pytest.mark.parametrize("net", CONSTANT)
def test_positive_constant_members_keep_the_function(net):
    rng = random.Random(str(net.parameters()))
    assert all(_h(net, x) == _h(net, [0] * net.widths[0]) > 0 for x in GRID[net.widths[0]][::7])
    for scale in (fmpq(1, 100), fmpq(1, 10)):
        member = _constant_member(net, rng, scale)
        assert all(member(x) == net(x) for x in GRID[net.widths[0]])
        assert sa.equivalent(net, member)


def test_a_constant_neuron_tilted_changes_the_function():
    # h = 3 s(1) - 2 s(-1) + 1 = 4: tilting s(1) (v > 0) makes h grow on one side, tilting s(-1) wakes it far away
    net = Network.from_arrays([[[0], [0]], [[3, -2]], [[1], [-2]]], [[1, -1], [1], [0, 1]])
    assert positive_constant_bounds(net, combinatorial_type(net)) == (7, 7)
    for row in ([[fmpq(1, 100)], [0]], [[0], [fmpq(1, 100)]]):
        moved = net.replace_layer(1, row, net.biases[0])
        assert not sa.equivalent(net, moved)
        assert any(moved(x) != net(x) for x in GRID[1] + [(fmpq(-1000),), (fmpq(1000),)])


def _dead_positive(rng: random.Random) -> Network:
    n0, n1 = rng.choice([1, 2, 3]), rng.randint(2, 4)
    b = [fmpq(-rng.randint(1, 4), rng.choice([1, 2])) for _ in range(n1)]
    v = [fmpq(rng.randint(1, 3)) for _ in range(n1)]
    return Network.from_arrays([[[0] * n0] * n1, [v], [[1], [-1]]], [b, [rng.randint(1, 3)], [0, 1]])


@pytest.mark.parametrize("seed", range(6))
def test_dead_positive_constants_hand_counted(seed):
    # h = e + sum v_i s(b_i), b_i < 0 < v_i: a member's h' is a constant sum of convex terms v'_i s(l'_i), each
    # then affine and bounded below, so constant: every row stays 0; b', v', e', c' free: 2 n1 + 1 + n3
    net = _dead_positive(random.Random(seed))
    t = combinatorial_type(net)
    expected = 2 * net.widths[1] + 1 + 2
    assert positive_constant_bounds(net, t) == (expected, expected)
    assert local_dimension_bounds(net) == (expected, expected)
    lower, upper = tangent.local_dimension_bounds(net)
    assert lower <= expected <= upper


@pytest.mark.parametrize("net", CONSTANT)
def test_positive_constant_bounds_within_first_order_bounds(net):
    found = positive_constant_bounds(net, combinatorial_type(net))
    assert found is not None
    lower, upper = tangent.local_dimension_bounds(net)
    assert lower <= found[0] <= found[1] <= upper
    ours = local_dimension_bounds(net)
    assert ours[0] >= found[0] and ours[1] <= found[1] and ours[0] <= ours[1]


def test_positive_constant_needs_a_positive_constant():
    for net in (Network.from_arrays([[[1], [0]], [[1, 1]], [[1], [-1]]], [[0, -1], [1], [0, 1]]),    # h = s(x) + 1
                Network.from_arrays([[[0], [0]], [[1, 1]], [[1], [-1]]], [[-1, -7], [-1], [0, 1]])):  # h = -1
        assert positive_constant_bounds(net, combinatorial_type(net)) is None


def _nonnegative(rng: random.Random) -> Network:
    """An n0-n1-1-2 parameter with h >= 0 vanishing on an open set: neurons with v > 0, e = 0, a kink somewhere."""
    n0, n1 = rng.choice([1, 2, 2, 3]), rng.randint(2, 3)
    W = [[rng.randint(-3, 3) for _ in range(n0)] for _ in range(n1)]
    W[0][0] = rng.choice([-2, -1, 1, 3])
    b = [fmpq(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(n1)]
    v = [fmpq(rng.randint(1, 3)) for _ in range(n1)]
    return Network.from_arrays([W, [v], [[1], [-2]]], [b, [0], [rng.randint(-2, 2), 1]])


def _traded(net: Network, mu: fmpq, t: fmpq) -> Network:
    """h scaled by mu (v, e times mu, c over mu), then e raised by t and d lowered by t c."""
    v = [mu * x for x in net.weights[1][0]]
    c = [row[0] / mu for row in net.weights[2]]
    e = mu * net.biases[1][0] + t
    d = [net.biases[2][r] - t * c[r] for r in range(2)]
    return Network.from_arrays([net.weights[0], [v], [[x] for x in c]], [net.biases[0], [e], d])


@given(st.integers(0, 10 ** 6), st.sampled_from([fmpq(1, 2), fmpq(1), fmpq(3)]),
       st.sampled_from([fmpq(1, 50), fmpq(1, 3), fmpq(4)]))
@settings(max_examples=12, deadline=None, derandomize=True)
def test_one_sided_trade_keeps_the_function_and_fails_the_other_way(seed, mu, t):
    net = _nonnegative(random.Random(seed))
    assert all(_h(net, x) >= 0 for x in GRID[net.widths[0]][::5])
    assert all(_traded(net, mu, t)(x) == net(x) for x in GRID[net.widths[0]])
    assert sa.equivalent(net, _traded(net, mu, t))
    zero_somewhere = [x for x in GRID[net.widths[0]] if _h(net, x) == 0]
    if zero_somewhere:      # h = 0 there: lowering e lowers f's first output only where h > t
        other = _traded(net, mu, -t)
        assert not sa.equivalent(net, other)


@pytest.mark.parametrize("seed", range(8))
def test_one_sided_trade_lower_bound_within_the_first_order_bounds(seed):
    net = _nonnegative(random.Random(seed))
    t = combinatorial_type(net)
    assert t.regime == "T"
    found = one_sided_trade_lower_bound(net, t)
    lower, upper = tangent.local_dimension_bounds(net)
    assert lower <= found <= upper
    ours = local_dimension_bounds(net)
    assert found <= ours[0] <= ours[1] <= upper


def test_one_sided_trade_hand_counted():
    # h = s(3y + 1/2) + 2 s(x + 3y - 7) in 2-2-1-2: sigma(h') = mu h + beta, beta >= 0 (h = 0 on an open set):
    # the two hyperplanes fixed up to their scales (2), mu (1), beta (1): 4, the Jacobian's kernel
    net = Network.from_arrays([[[0, 3], [1, 3]], [[1, 2]], [[1], [-1]]], [["1/2", -7], [0], [0, 1]])
    assert tangent.local_dimension_bounds(net) == (3, 4)
    assert local_dimension_bounds(net) == (4, 4)


def _positive(rng: random.Random) -> Network:
    """An n0-n1-1-2 parameter with h >= e > 0: neurons with v > 0 (and one unused), e > 0."""
    n0, n1 = rng.choice([1, 2, 2]), rng.randint(2, 3)
    W = [[rng.choice([-3, -2, -1, 1, 2]) for _ in range(n0)] for _ in range(n1)]
    b = [fmpq(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(n1)]
    v = [fmpq(rng.randint(1, 3)) for _ in range(n1)]
    v[-1] = fmpq(0)
    return Network.from_arrays([W, [v], [[1], [-2]]], [b, [fmpq(rng.randint(1, 4), 2)], [rng.randint(-2, 2), 1]])


def _positive_member(net: Network, mu: fmpq, beta: fmpq, lam: fmpq, tilt: fmpq) -> Network:
    """h' = mu h + beta: used neurons rescaled by lam (v over lam), the unused row tilted, c / mu, d - beta c / mu."""
    W = [[x * (lam if v else 1) + (0 if v else tilt) for x in w] for w, v in zip(net.weights[0], net.weights[1][0],
                                                                              strict=True)]
    b = [x * (lam if v else 1) for x, v in zip(net.biases[0], net.weights[1][0], strict=True)]
    v = [mu * x / lam for x in net.weights[1][0]]
    c = [row[0] / mu for row in net.weights[2]]
    d = [net.biases[2][r] - beta * c[r] for r in range(2)]
    return Network.from_arrays([W, [v], [[x] for x in c]], [b, [mu * net.biases[1][0] + beta], d])


@pytest.mark.parametrize("seed", range(6))
def test_positive_inner_members_and_bounds(seed):
    net = _positive(random.Random(seed))
    t = combinatorial_type(net)
    found = positive_inner_bounds(net, t)
    assert found is not None and t.regime == "T"
    for mu, beta, lam, tilt in ((fmpq(1, 2), fmpq(1, 5), fmpq(2), fmpq(1, 3)), (fmpq(3), fmpq(-1, 10), fmpq(1, 3), 0)):
        member = _positive_member(net, mu, beta, lam, tilt)
        assert all(member(x) == net(x) for x in GRID[net.widths[0]])
        assert sa.equivalent(net, member)
    lower, upper = tangent.local_dimension_bounds(net)
    assert lower <= found[0] <= found[1] <= upper
    ours = local_dimension_bounds(net)
    assert ours[0] >= found[0] and ours[1] <= found[1]


def test_positive_inner_hand_counted():
    # h = 2 s(x) + s(y - 1) + 3 s(x + y) + 1 in 2-3-1-2: a generic shallow h (three visible, independent
    # hyperplanes), its fibre the three rescalings; with mu and beta: 5 (the Jacobian allows more)
    net = Network.from_arrays([[[1, 0], [0, 1], [1, 1]], [[2, 1, 3]], [[1], [-2]]], [[0, -1, 0], [1], [0, 1]])
    assert positive_inner_bounds(net, combinatorial_type(net)) == (5, 5)
    lower, upper = tangent.local_dimension_bounds(net)
    assert lower <= 5 <= upper
    # an output weight changed alone is no member: h' is not mu h + beta
    moved = Network.from_arrays([[[1, 0], [0, 1], [1, 1]], [[2, 1, fmpq(1, 100)]], [[1], [-2]]],
                                [[0, -1, 0], [1], [0, 1]])
    assert not sa.equivalent(net, moved)
    assert positive_inner_bounds(Network.from_arrays([[[1], [-1]], [[1, 1]], [[1], [-1]]], [[0, 0], [0], [0, 1]]),
                                 combinatorial_type(Network.from_arrays([[[1], [-1]], [[1, 1]], [[1], [-1]]],
                                                                        [[0, 0], [0], [0, 1]]))) is None   # h = |x|
