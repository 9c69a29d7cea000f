"""Covers of a bottleneck fibre near a point by parts with equations of their own: an unused neuron on a seen
line either keeps v' = 0 or stays on the line (hand-counted fibres, exact equivalence, and exact moves that must
each lie in one part)."""

from __future__ import annotations

import random

import pytest
from flint import fmpq

import semialg as sa
from semialg.core.exact import dot
from semialg.engine.tangent import parameter_offsets
from semialg.families.bottleneck.covers import unused_neuron_cases, zero_neuron_cases
from semialg.families.bottleneck.local import _pbar_lineality, _uncancelled_lines, local_dimension_bounds
from semialg.families.bottleneck.types import combinatorial_type

from test_bottleneck_local_bounds import _moved, _net, _nets_with
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
