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
from semialg.families.bottleneck.covers import unused_neuron_cases
from semialg.families.bottleneck.local import _uncancelled_lines, local_dimension_bounds
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
