"""The hyperplanes of the first layer whose neurons cannot cancel (kink_equations.uncancelled_neurons), found on
the integer form of the layer, against the rows normalised one rational at a time; and the residues of the kink
quotient's directions read off the layer's residues, against those of the rows themselves."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from flint import fmpq

from semialg import Network
from semialg.core.exact import normalise_row
from semialg.core.modular import BLAS_PRIME, residues
from semialg.families.bottleneck.kink_equations import SUBSET_LIMIT, uncancelled_lines, uncancelled_neurons
from semialg.families.bottleneck.kink_quotient import _direction_residues
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import OuterView, _unit

CLASSES = [("V",), ("U-", "U+"), ("V", "U-", "U+", "U+-")]


def _planted(seed: int, scale=1) -> Network:
    """An n0-n1-1-2 parameter whose first layer repeats lines (same and opposite orientations, scaled) and plants
    subsets with sum v_k lambda_k = 0; every entry of the first layer times ``scale`` (1: weights read from floats,
    in an int64 integer form; 2^70 / 3: rationals beyond it)."""
    rng = random.Random(seed)
    n0, n1 = rng.randint(1, 3), rng.randint(2, 7)
    rows = [[fmpq(rng.randint(-3, 3)) for _ in range(n0 + 1)] for _ in range(n1)]
    v = [fmpq(rng.choice([-2, -1, 1, 2, 3])) for _ in range(n1)]
    for k in range(1, n1):
        if rng.random() < 0.5:
            j, s = rng.randrange(k), fmpq(rng.choice([-3, -2, -1, 1, 2]), rng.choice([1, 2]))
            rows[k] = [s * x for x in rows[j]]
            if rng.random() < 0.5:           # v_j |s_j| + v_k |s_k| = 0 for the pair
                v[k] = -v[j] / abs(s)
    W = [[x * scale for x in row[:-1]] for row in rows]
    if scale == 1:          # dyadic entries: read from floats, the layer has its int64 integer form
        W = np.array([[float(x) for x in row] for row in W])
    b = [row[-1] * scale for row in rows]
    return Network.from_arrays([W, [v], [[1], [-2]]], [b, [fmpq(rng.randint(-2, 2))], [0, 1]])


def _by_rationals(net: Network, classes) -> list[list[int]]:
    """The lines and their neurons by normalise_row, one row at a time: the definition."""
    t, lines = combinatorial_type(net), {}
    for k, (w, b) in enumerate(zip(net.weights[0], net.biases[0])):
        if t.classes[k] in classes:
            key, scale, _ = normalise_row(tuple(w) + (b,))
            lines.setdefault(key, []).append((k, net.weights[1][0][k] * scale))
    return [[k for k, _ in members] for members in lines.values()
            if len(members) <= SUBSET_LIMIT and not any(sum(c, fmpq(0)) == 0 for m in range(1, len(members) + 1)
                                                         for c in itertools.combinations([x for _, x in members], m))]


@pytest.mark.parametrize("seed", range(60))
def test_uncancelled_neurons_are_those_of_the_normalised_rows(seed):
    for scale in (1, fmpq(2 ** 70, 3)):
        net = _planted(seed, scale)
        assert net.weights[0].has_integer_form == (scale == 1)
        t = combinatorial_type(net)
        for classes in CLASSES:
            found = uncancelled_neurons(net, t, classes)
            assert found == _by_rationals(net, classes)
            assert uncancelled_lines(net, t, classes) == [
                (normalise_row(tuple(net.weights[0][m[0]]) + (net.biases[0][m[0]],))[0], m) for m in found]


def test_a_cancelling_pair_is_left_out():
    # rows (1, 0 | 1) and (-2, 0 | -2) on one line, lambda = 1 and 2: v = (2, -1) cancels, v = (2, 1) does not
    for v, expected in (([2, -1, 1], [[2]]), ([2, 1, 1], [[0, 1], [2]])):
        net = Network.from_arrays([[[1, 0], [-2, 0], [0, 1]], [v], [[1]]], [[1, -2, 0], [5], [0]])
        t = combinatorial_type(net)
        classes = tuple(set(t.classes))
        assert uncancelled_neurons(net, t, classes) == expected == _by_rationals(net, classes)


@pytest.mark.parametrize("seed", range(20))
def test_the_directions_residues_are_those_of_their_rows(seed):
    rng = random.Random(seed)
    net = _planted(seed)
    if rng.random() < 0.3:    # a denominator divisible by the prime, in a row that may not be pinned
        W = [list(row) for row in net.weights[0]]
        W[-1][0] = fmpq(1, BLAS_PRIME)
        net = Network.from_arrays([W, *net.weights[1:]], list(net.biases))
    view, n0 = OuterView.of(net), net.widths[0]
    pinned = {k for k in range(net.widths[1]) if rng.random() < 0.5}
    order = [(i, None if i in pinned else q) for i in range(net.widths[1])
             for q in (range(1) if i in pinned else range(n0 + 1))]
    directions = [(i, tuple(view.w[i]) + (view.b[i],)) if q is None else (i, _unit(n0 + 1, q)) for i, q in order]
    got, expected = _direction_residues(view, order), residues([d for _, d in directions])
    assert (got is None and expected is None) or got.tolist() == expected.tolist()
