"""The 0-factor flips as one mechanism whose multiplicity counts the flipped parameters distinct up to G.

Before, every 0-factor set was its own mechanism with multiplicity 2: two disjoint 0-factors claimed eight
components per orbit component where there are four, and the flip of a balanced opposite pair (|x| = s(x) + s(-x))
— a permutation — was listed as a mechanism beyond G. Oracles, written here: the zero-sum subsets of the live
neurons by brute force, each flip replayed with Fractions and checked by exact evaluation, and the G-orbit of a
shallow parameter read off its multiset of neurons scaled to a first entry of absolute value 1."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

from hypothesis import given, strategies as st

import semialg as sa
from semialg import Network

small = st.fractions(min_value=-3, max_value=3, max_denominator=3)
nonzero = small.filter(bool)


def _q(x) -> Fraction:
    return Fraction(int(x.p), int(x.q))


def _shallow(W, b, A, c) -> Network:
    return Network.from_arrays([[[str(x) for x in r] for r in W], [[str(A[i][r]) for i in range(len(W))]
                                                                  for r in range(len(c))]],
                               [[str(x) for x in b], [str(x) for x in c]])


@st.composite
def planted(draw):
    """A shallow 2-n-k parameter built from blocks: generic neurons, 0-factor triples (a common output vector and
    rows summing to zero), balanced opposite pairs (a 0-factor whose flip is a permutation), unbalanced ones and
    parallel rows with other biases (not 0-factors)."""
    k = draw(st.integers(1, 2))
    W, b, A = [], [], []
    for kind in draw(st.lists(st.sampled_from(["generic", "triple", "balanced", "unbalanced", "parallel"]),
                              min_size=1, max_size=3)):
        w = [draw(nonzero), draw(small)]
        a = [draw(nonzero) for _ in range(k)]
        lam = draw(st.sampled_from([Fraction(1), Fraction(2), Fraction(1, 3)]))
        if kind == "generic":
            W.append(w), b.append(draw(small)), A.append(a)
        elif kind == "triple":
            u = [draw(small), draw(nonzero)]
            W += [w, u, [-x - y for x, y in zip(w, u)]]
            b += [draw(small) for _ in range(3)]
            A += [a, a, a]
        else:
            beta = draw(small)
            W += [w, [-lam * x for x in w]]
            b += [beta, -lam * beta if kind != "parallel" else -lam * beta + 1]
            A += [a, [x / lam for x in a] if kind != "unbalanced" else [2 * x / lam for x in a]]
    c = [draw(small) for _ in range(k)]
    return W, b, A, c


def _flipped(W, b, A, c, S):
    W2 = [[-x for x in W[i]] if i in S else list(W[i]) for i in range(len(W))]
    b2 = [-b[i] if i in S else b[i] for i in range(len(b))]
    c2 = [c[r] + sum(A[i][r] * b[i] for i in S) for r in range(len(c))]
    return W2, b2, c2


def _orbit_key(W, b, A, c):
    keys = []
    for w, bi, a in zip(W, b, A):
        row = list(w) + [bi]
        s = abs(next((x for x in row if x), Fraction(1)))
        keys.append((tuple(x / s for x in row), tuple(x * s for x in a)) if any(row) else ("zero", a))
    return tuple(c), tuple(sorted(keys))


@given(planted())
def test_the_multiplicity_counts_the_flips_distinct_up_to_g(parts):
    W, b, A, c = parts
    net = _shallow(W, b, A, c)
    live = [i for i in range(len(W)) if any(W[i]) and any(A[i])]
    sets = [S for r in range(1, len(live) + 1) for S in itertools.combinations(live, r)
            if all(sum(A[i][o] * W[i][j] for i in S) == 0 for o in range(len(c)) for j in range(2))]
    rng = random.Random(len(W))
    xs = [[Fraction(rng.randint(-30, 30), rng.randint(1, 6)) for _ in range(2)] for _ in range(12)]
    orbits = {_orbit_key(W, b, A, c)}
    for S in sets:
        W2, b2, c2 = _flipped(W, b, A, c, S)
        assert all(net(x) == _shallow(W2, b2, A, c2)(x) for x in xs)       # the oracle's flips keep f
        orbits.add(_orbit_key(W2, b2, A, c2))
    listed = [m for m in sa.hidden_symmetries(net) if m.name == "zero_factor"]
    if len(orbits) == 1:
        assert listed == [], (parts, listed)
    else:
        (m,) = listed
        assert m.multiplicity == len(orbits) and not m.continuous, (parts, m)
        assert set(m.neurons) == {i for S in sets for i in S}


def test_disjoint_zero_factors_multiply_and_a_balanced_pair_is_a_permutation():
    two = Network.from_arrays([[[1, 0], [0, 1], [-1, -1], [2, 1], [1, 3], [-3, -4]], [[1] * 6]], [[1] * 6, [0]])
    (m,) = [m for m in sa.hidden_symmetries(two) if m.name == "zero_factor"]
    assert m.multiplicity == 4 == sa.fibre(two).num_components // 720
    absolute = Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 0], [0]])
    assert [m.name for m in sa.hidden_symmetries(absolute) if m.name == "zero_factor"] == []


def test_deep_layers_count_their_flips_up_to_g():
    """2-6-2-1: two 0-factor triples in layer 1 (rows on six distinct lines, so the four flip sets give four
    orientation patterns: four orbits), and a balanced opposite pair in layer 1 of a 2-2-2-1 (a permutation)."""
    rows = [[1, 0], [0, 1], [-1, -1], [2, 1], [1, 3], [-3, -4]]
    W2 = [[1, 1, 1, 2, 2, 2], [3, 3, 3, -1, -1, -1]]
    net = Network.from_arrays([rows, W2, [[1, -1]]], [[1, 2, 3, 1, 2, -1], [1, 1], [0]])
    (m,) = [m for m in sa.hidden_symmetries(net) if m.name == "zero_factor"]
    assert (m.multiplicity, m.layer, m.neurons) == (4, 1, (0, 1, 2, 3, 4, 5))
    pair = Network.from_arrays([[[1, 2], [-2, -4]], [[2, 1], [4, 2]], [[1, 1]]], [[1, -2], [0, 1], [0]])
    assert [m for m in sa.hidden_symmetries(pair) if m.name == "zero_factor"] == []
    swapped = Network.from_arrays([[[-1, -2], [2, 4]], [[2, 1], [4, 2]], [[1, 1]]], [[-1, 2], [0, 1], [0]])
    rng = random.Random(0)
    for _ in range(30):
        x = [Fraction(rng.randint(-20, 20), rng.randint(1, 5)) for _ in range(2)]
        assert pair(x) == swapped(x)
