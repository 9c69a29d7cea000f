"""Covers of a bottleneck fibre near a point by parts with equations of their own: an unused neuron on a seen
line, or under a function of one direction, either keeps v' = 0 or stays on the line (hand-counted fibres, exact equivalence, and exact moves that must
each lie in one part)."""

from __future__ import annotations

import random

import pytest
from flint import fmpq

import semialg as sa
from semialg.core.exact import dot
from semialg.engine.regions import equivalent as pl_equivalent
from semialg.engine.tangent import parameter_offsets
from semialg.families.bottleneck.covers import kinked_zero_neurons, unused_line_cases, unused_neuron_cases, \
    zero_neuron_cases
from semialg.families.bottleneck.kink_equations import uncancelled_lines as _uncancelled_lines
from semialg.families.bottleneck.local import _pbar_lineality, local_dimension_bounds
from semialg.families.bottleneck.plateau import plateau_cases
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import OuterView

from test_bottleneck_local_bounds import GRID, _moved, _net, _nets_with
from test_bottleneck_plateau_corner import _fibre_directions


def _cases(net):
    return unused_neuron_cases(net, _uncancelled_lines(net, combinatorial_type(net), ("V",)))


def test_an_unused_twin_on_a_seen_line_counts_once():
    # h = -2 s(-x + y - 1) - s(-2x - 2y + 1) + 1, neuron 0 an unused twin of neuron 1 on the seen line: near theta
    # either v0' = 0 with its row free (3) or it shares the line's jump with neuron 1 (scale and v0: 2); with the
    # two scales and mu, 6 (by hand) — the first-order kernel adds both branches up to 7
    net = sa.Network.from_arrays([[[-1, 1], [-1, 1], [-2, -2]], [[0, -2, -1]], [[1]]], [[-1, -1, 1], [1], [0]])
    free = sa.Network.from_arrays([[[3, 1], [-1, 1], [-2, -2]], [[0, -2, -1]], [[1]]], [[5, -1, 1], [1], [0]])
    shared = sa.Network.from_arrays([[[-2, 2], [-1, 1], [-2, -2]], [[fmpq(-1, 2), -1, -1]], [[1]]],
                                    [[-2, -1, 1], [1], [0]])
    tilted = sa.Network.from_arrays([[[-1, 1], [-1, 1], [-2, -2]], [[fmpq(1, 100), -2, -1]], [[1]]],
                                    [[fmpq(-11, 10), -1, 1], [1], [0]])
    assert sa.equivalent(net, free) and sa.equivalent(net, shared) and not sa.equivalent(net, tilted)
    assert [len(part) for part in _cases(net)] == [1, 2]
    assert local_dimension_bounds(net) == (6, 6) and sa.fibre(net).local_dimension() == 6


def _one_twin_unused(rng: random.Random):
    net = _net(rng, rng.choice([3, 4]), "twin", rng.choice([1, 2, 2]))
    v = list(net.weights[1][0])
    v[rng.choice([0, 1])] = 0                    # one of the twins unused
    return net.replace_layer(2, [v])


@pytest.mark.parametrize("net", [net for net, _ in _nets_with(_cases, 10, 3, _one_twin_unused)])
def test_curves_in_the_fibre_stay_in_one_part(net):
    # a segment theta + t g in the fibre lies for infinitely many small t in one part, whose equations then hold
    # along it: g is in the kernel of that part's rows — for the exact moves of the bounds and the twin trade that
    # makes the unused twin used (in the second part only), each checked by the exact decision
    A, B = _cases(net)
    (W_at, v_at, _), _ = parameter_offsets(net.architecture)
    k = next(i for i, x in enumerate(net.weights[1][0]) if x == 0)
    j = 1 - k
    lam_k, lam_j = (next(x for x in net.weights[0][i] if x) for i in (k, j))
    trade = [fmpq(0)] * len(net.parameters())
    trade[v_at + k], trade[v_at + j] = fmpq(1), -lam_k / lam_j
    assert sa.equivalent(net, _moved(net, trade, fmpq(1, 10 ** 3)))
    assert any(dot(r, trade) for r in A) and not any(dot(r, trade) for r in B)
    for g in _fibre_directions(net) + [trade]:
        assert all(dot(r, g) == 0 for r in A) or all(dot(r, g) == 0 for r in B)


def test_an_unused_twin_of_a_hidden_neuron_counts_once():
    # h = 2 s(x - y - 1) - 2, P = {x - y > 2}, neuron 0 an unused twin of the U+ neuron 1 (its line misses P, so no
    # seen line): near theta either v0' = 0 with its row free (3), or its row on the line of u = (1, -1) (2: the
    # kink moves off P) with v0' free (1) — with neuron 1 (v1 w1 = 2 mu u: v1 and b1, e following) and mu (3), 6
    # either way, by hand; the first-order kernel adds both branches up to 7
    net = sa.Network.from_arrays([[[1, -1], [1, -1]], [[0, 2]], [[1], [-1]]], [[-1, -1], [-2], [0, 1]])
    free = sa.Network.from_arrays([[[3, 1], [1, -1]], [[0, 2]], [[1], [-1]]], [[5, -1], [-2], [0, 1]])
    on_line = sa.Network.from_arrays([[[2, -2], [1, -1]], [[fmpq(1, 10), fmpq(9, 5)]], [[1], [-1]]],
                                     [[-1, -1], [fmpq(-21, 10)], [0, 1]])
    tilted = sa.Network.from_arrays([[[1, fmpq(-99, 100)], [1, -1]], [[fmpq(1, 100), fmpq(199, 100)]], [[1], [-1]]],
                                    [[-1, -1], [fmpq(-199, 100)], [0, 1]])
    assert sa.equivalent(net, free) and sa.equivalent(net, on_line) and not sa.equivalent(net, tilted)
    assert pl_equivalent(net, on_line) and not pl_equivalent(net, tilted)
    assert [len(part) for part in unused_line_cases(net, combinatorial_type(net))] == [1, 1]
    assert local_dimension_bounds(net) == (6, 6)


def _under_a_line(rng: random.Random):
    """A 2-n1-1-2 or 3-n1-1-2 parameter whose neurons with v != 0 have rows on one line (or w = 0) and one unused
    neuron: a twin of one of them, on the line elsewhere, or off it."""
    n0, n1 = rng.choice([2, 2, 3]), rng.choice([2, 3])
    u = [rng.choice([-2, -1, 1, 2]) for _ in range(n0)]
    W = [[rng.choice([-2, -1, 1, 2]) * x for x in u] for _ in range(n1)]
    b = [fmpq(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(n1)]
    v = [rng.choice([-2, -1, 1, 2, 3]) for _ in range(n1)]
    k = rng.randrange(n1)
    kind = rng.choice(["twin", "line", "off"])
    if kind == "twin":
        j = (k + 1) % n1
        W[k], b[k] = [2 * x for x in W[j]], 2 * b[j]
    elif kind == "off":
        W[k] = [rng.randint(-2, 2) for _ in range(n0)]
    v[k] = 0
    return sa.Network.from_arrays([W, [v], [[1], [-1]]], [b, [rng.randint(-2, 2)], [0, 1]])


@pytest.mark.parametrize("net", [net for net, _ in _nets_with(
    lambda n: unused_line_cases(n, combinatorial_type(n)), 8, 5, _under_a_line)])
def test_unused_neuron_under_a_line_keeps_v_zero_or_its_row_on_the_line(net):
    # exact moves of the bounds each lie in one part; with the row tilted off the line and v' != 0 — a direction
    # the first-order kernel keeps — the parameter is no member (the exact decision and the region oracle)
    parts = unused_line_cases(net, combinatorial_type(net))
    for g in _fibre_directions(net):
        assert any(all(dot(r, g) == 0 for r in part) for part in parts)
    (W_at, v_at, _), _ = parameter_offsets(net.architecture)
    k, n0 = next(i for i, x in enumerate(net.weights[1][0]) if x == 0), net.widths[0]
    tilt = [fmpq(0)] * len(net.parameters())
    tilt[v_at + k], tilt[W_at + k * n0 + n0 - 1] = fmpq(1), fmpq(1, 7)
    assert all(dot(r, tilt) != 0 for r in parts[0]) and (len(parts) == 1 or any(dot(r, tilt) for r in parts[1]))
    moved = _moved(net, tilt, fmpq(1, 10 ** 3))
    assert not sa.equivalent(net, moved) and not pl_equivalent(net, moved)


def _zero_cases(net):
    t = combinatorial_type(net)
    every = sum(len(m) for _, m in _uncancelled_lines(net, t, ("V", "U-", "U+", "U+-"))) == sum(
        1 for c in t.classes if c != "D")
    return zero_neuron_cases(net, t.regime, _uncancelled_lines(net, t, ("V",)), every, lambda: _pbar_lineality(net))


def test_a_zero_neuron_keeps_its_row_at_zero_or_on_a_seen_line():
    # h = -s(3x + y - 2z + 1) + s(0) + s(-x - y - z - 6) + 2, both kinks seen, P connected, C* = {0}: the zero
    # neuron's row stays 0 (bias and v free: 2) or joins a seen line (scale and v: 2); mu and the two scales: 3.
    # By hand 5; the first-order kernel also counts the zero neuron's three row directions (8)
    net = sa.Network.from_arrays([[[3, 1, -2], [0, 0, 0], [-1, -1, -1]], [[-1, 1, 1]], [[1], [-1]]],
                                 [[1, 0, -6], [2], [0, 1]])
    eps = fmpq(1, 100)
    joined = sa.Network.from_arrays([[[3, 1, -2], [3 * eps, eps, -2 * eps], [-1, -1, -1]], [[-1 - eps, 1, 1]],
                                     [[1], [-1]]], [[1, eps, -6], [2], [0, 1]])
    tilted = sa.Network.from_arrays([[[3, 1, -2], [eps, 0, 0], [-1, -1, -1]], [[-1, 1, 1]], [[1], [-1]]],
                                    [[1, 0, -6], [2], [0, 1]])
    assert sa.equivalent(net, joined) and not sa.equivalent(net, tilted)
    assert [[len(part) for part in cover] for cover in _zero_cases(net)] == [[3, 3, 3]]
    assert local_dimension_bounds(net) == (5, 5) and sa.fibre(net).local_dimension() == 5


def _with_zero_neuron(rng: random.Random):
    net = _net(rng, rng.choice([3, 4]), rng.choice(["plain", "twin", "far"]), rng.choice([2, 2, 3]))
    W, b = [list(r) for r in net.weights[0]], list(net.biases[0])
    W[0], b[0] = [0] * len(W[0]), 0
    return sa.Network.from_arrays([W, net.weights[1], net.weights[2]], [b, net.biases[1], net.biases[2]])


@pytest.mark.parametrize("net", [net for net, _ in _nets_with(_zero_cases, 10, 4, _with_zero_neuron)])
def test_curves_through_a_zero_neuron_stay_in_one_part(net):
    # the exact moves of the bounds, and the zero neuron joining each seen line (its row that of a neuron there, the
    # jump taken from it), each checked by the exact decision, lie in the kernel of one part's rows
    (cover,) = _zero_cases(net)
    (W_at, v_at, _), (b_at, _, _) = parameter_offsets(net.architecture)
    n0, v = net.widths[0], net.weights[1][0]
    moves = _fibre_directions(net)
    for _, members in _uncancelled_lines(net, combinatorial_type(net), ("V",)):
        j = members[0]
        join = [fmpq(0)] * len(net.parameters())
        join[W_at:W_at + n0], join[b_at], join[v_at + j] = net.weights[0][j], net.biases[0][j], -v[0]
        assert sa.equivalent(net, _moved(net, join, fmpq(1, 10 ** 3)))
        moves.append(join)
    assert moves
    for g in moves:
        assert any(all(dot(r, g) == 0 for r in part) for part in cover)


def test_a_zero_neuron_beside_one_live_neuron():
    # h = 3 s(z + 1/2) + s(0) - 2, z = -x + 3y + 2w: P = {z > 1/6} is a half-space, so the zero neuron's row stays
    # on R(-1, 3, 2) (w' . l = 0 on P-bar's lineality); then h' = a s(z + beta) + v1 s(mu z + b1) + e' on the line,
    # with h'(1/6) = 0 and h' <= 0 below: neuron 0's scale, beta, a, neuron 1's mu, b1, v1 and e', less the one
    # equation: 6 by hand (the first-order kernel gave the zero neuron's row three free directions: 8)
    net = sa.Network.from_arrays([[[-1, 3, 2], [0, 0, 0]], [[3, 1]], [[1], [-1]]],
                                 [[fmpq(1, 2), 0], [-2], [0, 1]])
    eps = fmpq(1, 100)
    # the zero neuron on the line with its kink at P's boundary: slope 3 + eps on P, c scaled back
    c = [[r / (1 + eps / 3)] for r in (1, -1)]
    along = sa.Network.from_arrays([[[-1, 3, 2], [-eps, 3 * eps, 2 * eps]], [[3, 1]], c],
                                   [[fmpq(1, 2), -eps / 6], [-2], [0, 1]])
    tilted = sa.Network.from_arrays([[[-1, 3, 2], [eps, 0, 0]], [[3, 1]], [[1], [-1]]],
                                    [[fmpq(1, 2), 0], [-2], [0, 1]])
    assert sa.equivalent(net, along) and not sa.equivalent(net, tilted)
    assert [[len(part) for part in cover] for cover in _zero_cases(net)] == [[2]]
    assert local_dimension_bounds(net) == (6, 6)


def test_a_zero_neuron_where_h_is_nonnegative():
    # h = s(z - 1/2) - s(0) >= 0 (regime T), z = 2x - 2y - w; the zero neuron's row stays on R(2, -2, -1), and it
    # either leaves P's slope alone (active on z < t <= 1/2, or z > t with the slope shared) or, with h' > 0 on the
    # plateau z < 1/2, is affine there, active or not (plateau_cases' zero-neuron split). By hand 6: neuron 0's scale
    # and kink t0 <= 1/2, its v, the zero neuron's scale, kink and v, and e', less h'(1/2) = 0 (before: (6, 9))
    net = sa.Network.from_arrays([[[2, -2, -1], [0, 0, 0]], [[1, -1]], [[1], [-1]]], [[fmpq(-1, 2), 0], [0], [0, 1]])
    eps = fmpq(1, 100)
    below = sa.Network.from_arrays([[[2, -2, -1], [-2 * eps, 2 * eps, eps]], [[1, -1]], [[1], [-1]]],
                                   [[fmpq(-1, 2), 0], [0], [0, 1]])
    tilted = sa.Network.from_arrays([[[2, -2, -1], [eps, 0, 0]], [[1, -1]], [[1], [-1]]],
                                    [[fmpq(-1, 2), 0], [0], [0, 1]])
    assert sa.equivalent(net, below) and not sa.equivalent(net, tilted)
    assert combinatorial_type(net).regime == "T"
    assert local_dimension_bounds(net) == (6, 6)


def _zero_beside_unused(rng: random.Random):
    net = _with_zero_neuron(rng)
    v = list(net.weights[1][0])
    v[-1] = 0                                    # the last neuron unused
    return net.replace_layer(2, [v])


@pytest.mark.parametrize("net", [net for net, _ in _nets_with(_zero_cases, 8, 6, _zero_beside_unused)])
def test_a_zero_neuron_beside_an_unused_one_may_become_its_twin(net):
    # the zero neuron takes a small multiple of the unused neuron's row and bias, the unused neuron the opposite
    # output weight: the twins cancel (exact decision); that direction lies in the part of the unused neuron's line,
    # and every exact move of the bounds in some part
    (cover,) = _zero_cases(net)
    (W_at, v_at, _), (b_at, _, _) = parameter_offsets(net.architecture)
    n0, j, v0 = net.widths[0], len(net.biases[0]) - 1, net.weights[1][0][0]
    twin = [fmpq(0)] * len(net.parameters())
    twin[W_at:W_at + n0], twin[b_at], twin[v_at + j] = net.weights[0][j], net.biases[0][j], -v0
    assert sa.equivalent(net, _moved(net, twin, fmpq(1, 10 ** 3)))
    assert any(all(dot(r, twin) == 0 for r in part) for part in cover)
    for g in _fibre_directions(net):
        assert any(all(dot(r, g) == 0 for r in part) for part in cover)


def _zero_on_plateau(rng: random.Random):
    """A parameter with h >= 0 (live neurons with v > 0, e = 0) and a zero neuron, two outputs."""
    n0, live = rng.choice([1, 2, 3]), rng.choice([1, 2])
    W = [[rng.choice([-2, -1, 1, 2])] + [rng.randint(-2, 2) for _ in range(n0 - 1)] for _ in range(live)]
    b = [fmpq(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(live)]
    v = [rng.randint(1, 3) for _ in range(live)] + [rng.choice([-2, -1, 1, 2])]
    return sa.Network.from_arrays([W + [[0] * n0], [v], [[1], [-2]]], [b + [0], [0], [0, 1]])


def _plateau_parts(net):
    t = combinatorial_type(net)
    every = sum(len(m) for _, m in _uncancelled_lines(net, t, ("V", "U-", "U+", "U+-"))) == sum(
        1 for c in t.classes if c != "D")
    return plateau_cases(net, kinked_zero_neurons(net, every))


@pytest.mark.parametrize("net", [net for net, _ in _nets_with(_plateau_parts, 10, 5, _zero_on_plateau)])
def test_members_with_a_zero_neuron_leave_the_plateau_one_of_two_ways(net):
    # the cover's statement, by exact evaluation at grid points of the plateau {h = 0}: members with d' = d keep
    # h' <= 0 there (A); the others have h' > 0 and c' h' + d' = d there, a constant, whatever the zero neuron
    # does (B) — for the zero neuron made constant with e paying for it and e raised with d' = d - c e on top
    (_, v_at, _), (b_at, e_at, d_at) = parameter_offsets(net.architecture)
    D, k, vk = len(net.parameters()), len(net.biases[0]) - 1, net.weights[1][0][-1]
    constant = [fmpq(0)] * D
    constant[b_at + k], constant[e_at] = fmpq(1), -vk
    raised = list(constant)
    raised[e_at] += 1
    for r, row in enumerate(net.weights[2]):
        raised[d_at + r] = -row[0]
    plateau = [x for x in GRID[net.widths[0]] if OuterView.of(net).inner(x)[0] == 0]
    assert plateau and len(_plateau_parts(net)) == 2
    for g in (constant, raised):
        member = _moved(net, g, fmpq(1, 10 ** 3))
        assert sa.equivalent(net, member)
        view = OuterView.of(member)
        values = {view.inner(x)[0] for x in plateau}
        if list(view.d) == list(OuterView.of(net).d):
            assert all(y <= 0 for y in values)
        else:
            (y,) = values
            assert y > 0 and all(c * y + d == d0 for c, d, d0 in zip(view.c, view.d, OuterView.of(net).d))
    lower, upper = local_dimension_bounds(net)
    assert lower <= upper


def test_a_zero_neuron_beside_a_constant_neuron_of_the_other_sign():
    # h = 2 s(z + 3) + 2 s(0) - s(2), z = x - 3y: the zero neuron (v = 2) cannot cancel with the constant one
    # (v = -1, b = 2): near theta they would share a hyperplane only with v1 b1' + v2 b2 ~ 0, and b1 = 0 — so it is
    # kinked. By hand the fibre has dimension 9 near theta: rows lam w, mu w, kappa w (mu, kappa >= 0, the zero
    # neuron's kink t1 = -b1/mu <= -2), v0, b1, v1, b2, v2 and e <= 0 free, b0 solving h'(-2) = 0, c scaled by the
    # slope; sampled members of that family are checked exactly
    w = (1, -3, 0)
    net = sa.Network.from_arrays([[w, [0, 0, 0], [0, 0, 0]], [[2, 2, -1]], [[1], [-1]]], [[3, 0, 2], [0], [0, 1]])
    assert kinked_zero_neurons(net, True) == [1]
    assert local_dimension_bounds(net)[1] == 9
    rng = random.Random(9)
    for _ in range(4):
        small = lambda: fmpq(rng.randint(1, 9), 1000)  # noqa: E731
        lam, v0, v1, v2, b2 = 1 + small(), 2 + small(), 2 - small(), -1 + small(), 2 - small()
        mu, kappa, e = small(), small(), -small()
        b1 = 2 * mu + small()
        b0 = 2 * lam - (v1 * (b1 - 2 * mu) + v2 * (b2 - 2 * kappa) + e) / v0
        alpha = (v0 * lam + v1 * mu + v2 * kappa) / 2
        member = sa.Network.from_arrays([[[lam * x for x in w], [mu * x for x in w], [kappa * x for x in w]],
                                         [[v0, v1, v2]], [[1 / alpha], [-1 / alpha]]], [[b0, b1, b2], [e], [0, 1]])
        assert sa.equivalent(net, member)


def test_zero_neurons_beside_cancelling_constant_neurons_are_not_kinked():
    # v|b| = 2 and -2: the constant neurons can part as a phantom pair on a far hyperplane, which a zero neuron
    # may join
    net = sa.Network.from_arrays([[[1, 0], [0, 0], [0, 0], [0, 0]], [[1, 1, 1, -2]], [[1]]],
                                 [[0, 0, 2, 1], [-1], [0]])
    assert kinked_zero_neurons(net, True) == []
    assert kinked_zero_neurons(net.replace_layer(2, [[1, 1, 1, -3]]), True) == [1]
