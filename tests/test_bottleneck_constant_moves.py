"""Moves of constant functions ($c \\ne 0$, $h \\le 0$ everywhere): every output weight free, and $e$ free when
$\\sup h < 0$ — checked against the exact equivalence decision, and a hand-counted local dimension."""

import random

import pytest
from flint import fmpq

import semialg as sa
from semialg.core.network import Network
from semialg.families.bottleneck.constant_fibre import constant_function_moves
from semialg.families.bottleneck.recession import nonpositive_family_dimension
from semialg.families.bottleneck.local import local_dimension_bounds
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import OuterView


def _constant(rng):
    """A 2-n1-1-2 parameter with h <= 0 everywhere: negative neurons, some flat, e at most minus the largest
    positive part, sometimes exactly (sup h = 0)."""
    n1 = rng.choice([2, 3])
    W = [[rng.randint(-2, 2), rng.randint(-2, 2)] if rng.random() < 0.6 else [0, 0] for _ in range(n1)]
    b = [fmpq(rng.randint(-3, 3)) for _ in range(n1)]
    v = [fmpq(-rng.randint(1, 3)) if any(w) else fmpq(rng.randint(-2, 2)) for w in W]
    flat = sum((vi * max(bi, 0) for w, bi, vi in zip(W, b, v) if not any(w)), fmpq(0))
    e = -flat - rng.choice([0, 0, fmpq(1, 2), 1])
    return Network.from_arrays([W, [v], [[1], [-2]]], [b, [e], [0, 1]])


def _moved(net, index, amount):
    p = list(net.parameters())
    p[index] += amount
    return Network.from_parameters(net.architecture, p)


@pytest.mark.parametrize("seed", range(30))
def test_output_weights_are_free_and_e_exactly_when_h_has_a_margin(seed):
    net = _constant(random.Random(seed))
    t = combinatorial_type(net)
    assert t.regime == "constant"
    moves = constant_function_moves(net, t)
    e_at = net.architecture.num_parameters - 5          # ... e, c_1, c_2, d_1, d_2
    for g in moves:
        (i,) = [k for k, x in enumerate(g) if x]
        for amount in (fmpq(1, 1000), fmpq(-1, 1000)) if i == e_at else (fmpq(7), fmpq(-1, 3)):
            assert sa.equivalent(net, _moved(net, i, amount))
    if not any(g[e_at] for g in moves):     # sup h = 0: any raise of e makes h positive somewhere
        assert not sa.equivalent(net, _moved(net, e_at, fmpq(1, 1000)))


def test_two_positive_flat_neurons_keep_their_rows():
    # h = s(-1) + s(0) - 1 = -1 in 1-2-1-2: both v > 0, so a tilted row would make h grow without bound; the rows
    # stay 0 and b_1, b_2, v_1, v_2, e (h stays < 0) and c_1, c_2 move freely: 7 of 11
    net = Network.from_arrays([[[0], [0]], [[1, 1]], [[1], [-1]]], [[-1, 0], [-1], [0, 1]])
    assert local_dimension_bounds(net) == (7, 7)
    assert sa.fibre(net).local_dimension() == 7


def _flat_positive(rng):
    """An n0-n1-1-2 constant parameter (n0 = 2, 3) whose neurons with v > 0 are flat (some dead): h <= 0."""
    n0, n1 = rng.choice([2, 3]), rng.choice([2, 3, 4])
    v = [fmpq(rng.choice([-2, -1, 0, 1, 3])) for _ in range(n1)]
    W = [[rng.randint(-2, 2) for _ in range(n0)] if x <= 0 and rng.random() < 0.7 else [0] * n0 for x in v]
    b = [fmpq(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(n1)]
    positive = sum((x * max(y, 0) for x, y in zip(v, b) if x > 0), fmpq(0))
    negative = sum((x * max(y, 0) for x, y, w in zip(v, b, W) if x < 0 and not any(w)), fmpq(0))
    # h <= 0 either way; the flat negative neurons' part outweighs the positive one in the second
    e = -positive - rng.choice([0, 1, negative])
    return Network.from_arrays([W, [v], [[1], [-2]]], [b, [e], [0, 1]])


def _family_member(net, rng):
    """A random member of the family of nonpositive_family_dimension, built by its recipe: the neurons with
    v <= 0 move freely with v'' < 0, each flat positive one keeps w = 0 or tilts into the cone of their rows
    (w''_p = sum mu_pn w''_n, mu small), and e'' leaves the slack the tilts need."""
    W, b = net.weights[0], net.biases[0]
    v, small = list(net.weights[1][0]), lambda: fmpq(rng.randint(-5, 5), 50)   # noqa: E731
    W2 = [[x + small() for x in w] for w in W]
    b2 = [x + small() for x in b]
    v2 = [x + small() if x > 0 else -abs(x + small()) - fmpq(1, 50) for x in v]
    negative = [k for k, x in enumerate(v) if x <= 0]
    mu = {}
    for p, x in enumerate(v):
        if x > 0:
            W2[p] = [fmpq(0)] * len(W2[p])
            if negative and rng.random() < 0.7:
                mu[p] = {k: fmpq(rng.randint(1, 9), 1000) for k in rng.sample(negative, rng.randint(1, len(negative)))}
    M = {k: sum((v2[p] * m.get(k, 0) for p, m in mu.items()), fmpq(0)) for k in negative}
    while any(M[k] > -v2[k] for k in negative):      # M_n <= |v''_n|: halve every mu
        mu = {p: {k: x / 2 for k, x in m.items()} for p, m in mu.items()}
        M = {k: x / 2 for k, x in M.items()}
    for p, m in mu.items():
        W2[p] = [sum((x * W2[k][j] for k, x in m.items()), fmpq(0)) for j in range(len(W2[p]))]
    flat = sum((x * max(y, 0) for x, y in zip(v2, b2) if x > 0), fmpq(0))
    need = sum((M[k] * max(-b2[k], 0) for k in negative), fmpq(0))
    e2 = -flat - need - fmpq(rng.randint(1, 3), 4)
    c2 = [[fmpq(rng.randint(1, 9), 4)], [fmpq(-rng.randint(1, 9), 3)]]
    return Network.from_arrays([W2, [v2], c2], [b2, [e2], list(net.biases[2])])


@pytest.mark.parametrize("seed", range(40))
def test_the_nonpositive_family_lies_in_the_fibre(seed):
    rng = random.Random(seed)
    net = _flat_positive(rng)
    t = combinatorial_type(net)
    view = OuterView.of(net)
    if sum((v * max(b, 0) for b, v in zip(view.b, view.v) if v > 0), view.e) > 0:
        # the rows of v <= 0 keep a positive dependence (tests/test_bottleneck_recession.py builds those members)
        lower, upper = local_dimension_bounds(net)
        assert nonpositive_family_dimension(net, t) <= lower <= upper
        return
    for _ in range(3):
        assert sa.equivalent(net, _family_member(net, rng))
    # the family's dimension meets the recession bound (rows of v > 0 in the span of the others'): decided
    assert local_dimension_bounds(net) == (nonpositive_family_dimension(net, t),) * 2


def test_a_dead_neuron_waking_behind_a_negative_one():
    # h = -2 s(-2x + 2y + 3z - 1) + 2 s(-2) - 1 in 3-2-1-2: the negative neuron moves freely (5), the dead one
    # keeps w = 0 or wakes along the other's row (b, v and lambda: 3), e and c (3): 11 of 15, which the kinks kept
    # off (its row in the span of the negative one's: 2 equations) and d' = d bound from above
    net = Network.from_arrays([[[-2, 2, 3], [0, 0, 0]], [[-2, 2]], [[1], [-1]]], [[-1, -2], [-1], [0, 1]])
    assert local_dimension_bounds(net) == (11, 11)
    assert sa.fibre(net).local_dimension() == 11


def test_flat_neurons_outweighed_by_active_negative_ones_keep_their_rows():
    # h = s(2) - 2 s(2) + 2 = 0 in 1-2-1-2: a tilted row turns its neuron off far away on one side — the negative
    # one leaves h = s(...) + 2 > 0 there, the positive one grows on the other side — so both rows stay 0: b, v
    # (4), e (h <= 0 or h a positive constant, the (K) piece) and c (2) vary, d follows: local dimension 7 of 11
    net = Network.from_arrays([[[0], [0]], [[1, -2]], [[1], [-1]]], [[2, 2], [2], [0, 1]])
    assert nonpositive_family_dimension(net, combinatorial_type(net)) == 7     # its rows of rank 0
    assert local_dimension_bounds(net) == (7, 7)
