"""The plateau of h at 0: the two cases that cover the fibre there (an upper bound per case) and the slides of the
neurons bounding P into it (a lower bound), against exact equivalence and hand-counted fibres."""

from __future__ import annotations

import random
from fractions import Fraction as Fr

import pytest
from flint import fmpq

import semialg as sa
from semialg.core.exact import dot, fingerprint, normalise_row, sparse_vector
from semialg.engine.tangent import parameter_offsets
from semialg.families.bottleneck.local import (downhill_translations, local_dimension_bounds, outer_bias_trade,
                                              silent_neuron_moves)
from semialg.families.bottleneck.plateau import plateau_cases, plateau_slides

from test_bottleneck_local_bounds import _moved, _net


def _parameters(net, **changes):
    """``net`` with some parameters replaced (names: w, b, v, e, c, d as flat lists or scalars)."""
    arrays = {"w": [list(r) for r in net.weights[0]], "b": list(net.biases[0]), "v": list(net.weights[1][0]),
              "e": net.biases[1][0], "c": [r[0] for r in net.weights[2]], "d": list(net.biases[2])}
    arrays |= changes
    return sa.Network.from_arrays([arrays["w"], [arrays["v"]], [[x] for x in arrays["c"]]],
                                  [arrays["b"], [arrays["e"]], arrays["d"]])


def test_a_dead_constant_neuron_at_the_plateau_corner():
    # h = sigma(-x - 1) (neuron 0 dead and constant, v = 2): near theta the fibre is the union of two 5-dimensional
    # families — neuron 1 slid into the plateau with e down (d' = d), and e raised with d' = d - c e (h' > 0
    # everywhere) — on (b0, v0, the scale of neuron 1, c, the amount); they do not combine, and w0 stays 0
    net = sa.Network.from_arrays([[[0], [-1]], [[2, 1]], [[1]]], [[Fr(-3, 2), -1], [0], [0]])
    s = fmpq(1, 7)
    slid = _parameters(net, b=[Fr(-3, 2), -1 + s], e=-s)
    raised = _parameters(net, e=s, d=[-s])
    both = _parameters(net, b=[Fr(-3, 2), -1 + s], e=0, d=[-s])
    assert sa.equivalent(net, slid) and sa.equivalent(net, raised) and not sa.equivalent(net, both)
    for direction in (plateau_slides(net) + downhill_translations(net)):
        assert sa.equivalent(net, _moved(net, direction, s))
    A, B = plateau_cases(net)
    assert local_dimension_bounds(net) == (5, 5) and sa.fibre(net).local_dimension() == 5
    # the two families' directions: each in the kernel of its own case's rows and not of the other's
    up = [b - a for a, b in zip(net.parameters(), raised.parameters())]
    down = [b - a for a, b in zip(net.parameters(), slid.parameters())]
    assert all(dot(r, up) == 0 for r in B) and any(dot(r, up) for r in A)
    assert all(dot(r, down) == 0 for r in A) and any(dot(r, down) for r in B)


def test_twins_bounding_p_slide_off_it_together():
    # h = -s(z) + 2 s(3z/2) = 2 s(z), z = -2x + 3y, P = {z > 0}: the twins slide into z < 0 by shifts s1, s2 of z
    # with s1 <= 3 s2 (e' = s1 - 3 s2 <= 0, for these scales), so the fibre has dimension 6 there: two scales, v1,
    # mu and the shifts (by hand); the v < 0 twin alone cannot slide
    net = sa.Network.from_arrays([[[-2, 3], [-3, Fr(9, 2)]], [[-1, 2]], [[1], [-2]]], [[0, 0], [0], [0, 0]])
    rng = random.Random(3)
    for _ in range(6):
        l1, l2, mu = (fmpq(rng.randint(1, 9), rng.randint(1, 9)) for _ in range(3))
        v1 = -fmpq(rng.randint(1, 9), rng.randint(1, 9))
        v2 = (2 * mu - v1 * l1) / l2
        s2 = fmpq(rng.randint(1, 9), rng.randint(1, 9))
        s1 = v2 * l2 / (-v1 * l1) * s2 * fmpq(rng.randint(0, 9), 9)       # far out h' = e' <= 0
        member = _parameters(net, w=[[-2 * l1, 3 * l1], [-2 * l2, 3 * l2]], b=[l1 * s1, l2 * s2], v=[v1, v2],
                             e=-(v1 * l1 * s1 + v2 * l2 * s2), c=[1 / mu, -2 / mu])
        assert sa.equivalent(net, member)
    lone = plateau_slides(net)[0]
    assert not sa.equivalent(net, _moved(net, lone, fmpq(1, 100)))
    assert sa.equivalent(net, _moved(net, [x + 3 * y / 2 for x, y in zip(*plateau_slides(net))], fmpq(1, 100)))
    assert local_dimension_bounds(net) == (6, 6) and sa.fibre(net).local_dimension() == 6


def _nets_with_slides(count: int, seed: int):
    rng, out = random.Random(seed), []
    while len(out) < count:
        net = _net(rng, rng.choice([2, 3, 4]), rng.choice(["twin", "opposite", "plain"]), rng.choice([1, 2, 2, 3]))
        if any(net.weights[2][0]) and plateau_slides(net):
            out.append(net)
    return out


@pytest.mark.parametrize("net", _nets_with_slides(12, 4))
def test_slides_keep_the_function_with_equal_shifts(net):
    # the neurons of one hyperplane moved by equal shifts of its normalised row (weights lambda_k on the unit
    # directions), small and large, and slightly unequal ones, by the exact equivalence decision
    _, (b_at, *_) = parameter_offsets(net.architecture)
    lines: dict = {}
    for g in plateau_slides(net):
        k = next(i for i, x in enumerate(g) if x) - b_at
        key, scale, _ = normalise_row(tuple(net.weights[0][k]) + (net.biases[0][k],))
        lines.setdefault(fingerprint(key), []).append((scale, g))
    for members in lines.values():
        for t, tilt in ((fmpq(1, 10 ** 3), 0), (fmpq(3), 0), (fmpq(1, 10 ** 3), fmpq(1, 10))):
            combo = [sum((scale * (1 + tilt * j) * g[i] for j, (scale, g) in enumerate(members)), fmpq(0))
                     for i in range(len(members[0][1]))]
            assert sa.equivalent(net, _moved(net, combo, t))


def _fibre_directions(net):
    """Directions of one-sided families through ``net`` in its fibre, each checked exactly at a small amount."""
    out = []
    for g in downhill_translations(net) + silent_neuron_moves(net) + outer_bias_trade(net):
        if sa.equivalent(net, _moved(net, g, fmpq(1, 10 ** 4))):
            out.append(g)
    _, (_, e_at, d_at) = parameter_offsets(net.architecture)
    raised = sparse_vector(len(net.parameters()), (e_at, fmpq(1)), *((d_at + r, -row[0])
                                                                     for r, row in enumerate(net.weights[2])))
    if sa.equivalent(net, _moved(net, raised, fmpq(1, 10 ** 4))):
        out.append(raised)
    return out


@pytest.mark.parametrize("net", [n for n in _nets_with_slides(40, 5) if plateau_cases(n)][:12])
def test_curves_in_the_fibre_stay_in_one_case(net):
    # a segment theta + t g in the fibre for small t > 0 lies, for infinitely many t, in one of the two parts, whose
    # equations then hold along it: g is in the kernel of that case's rows (the lemma, tested on exact moves)
    A, B = plateau_cases(net)
    directions = _fibre_directions(net)
    assert directions
    for g in directions:
        assert all(dot(r, g) == 0 for r in A) or all(dot(r, g) == 0 for r in B)
