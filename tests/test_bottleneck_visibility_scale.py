"""The visibility witnesses of a case-(a) parameter at the widths people train: candidates are the projections of
the points inside P nearest to each hyperplane, and each is moved onto its hyperplane along one coordinate (small
denominators keep the exact check cheap). At 784-4096-1-10 the search took 136 s and now 46 s; with it the functional
dimension is proven there (3,215,380, in 41 s), where it was undecided at any budget under about 3 minutes."""

from __future__ import annotations

import time

import numpy as np
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.core.exact import dot
from semialg.core.rational_matrix import RationalMatrix
from semialg.families.bottleneck.types import _HIGH, _NEAR, _nearest_inside, _rounded, visibility_witnesses
from semialg.families.bottleneck.views import OuterView
from conftest import float32_network

SMALL = st.integers(-40, 40).map(lambda k: fmpq(k, 8))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6).flatmap(lambda n: st.tuples(st.lists(SMALL, min_size=n, max_size=n),
                                                      st.lists(st.floats(-20, 20), min_size=n, max_size=n),
                                                      st.integers(0, n - 1))), SMALL)
def test_a_rounded_point_lies_on_its_hyperplane_and_moves_one_coordinate(data, b):
    w, x, j = data
    if not any(w):
        return
    rows = RationalMatrix.from_rows([tuple(-t for t in w), tuple(w)])   # the rationals, and the integer form
    for W in (rows, RationalMatrix.from_integers(rows.numerators, rows.denominator)):
        q = _rounded(np.array(x), (W, 1, b, j))
        grid = [fmpq(int(round(t * 64)), 64) for t in x]
        assert dot(w, q) + b == 0
        moved = [i for i in range(len(w)) if q[i] != grid[i]]
        assert len(moved) <= 1 and all(w[i] != 0 for i in moved)
        if w[j] != 0:
            assert moved in ([], [j])


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 40), st.integers(1, 9), st.integers(0, 10 ** 6))
def test_the_candidates_are_the_nearest_points_inside_and_the_highest(points, neurons, seed):
    rng = np.random.default_rng(seed)
    Z, v = rng.standard_normal((points, neurons)), rng.standard_normal(neurons)
    rows = _nearest_inside(Z, v)
    values = np.maximum(Z, 0.0) @ v
    far = np.where((values > 0)[:, None], np.abs(Z), np.inf)      # points outside P are never near
    high = set(np.argsort(-values)[:_HIGH].tolist())
    m = min(_NEAR, points)
    for k in range(neurons):
        near, rest = rows[:m, k].tolist(), set(rows[m:, k].tolist())
        assert rest == high and len(set(near)) == m
        others = sorted(set(range(points)) - set(near))
        if others:
            assert max(far[near, k]) <= min(far[others, k])


def test_witnesses_of_a_float32_network_hold_exactly():
    net = float32_network((24, 96, 1, 3), seed=3)
    view = OuterView.of(net)
    inside, outside, on = visibility_witnesses(view, deadline=time.monotonic() + 120)
    h = view.inner
    assert h(inside)[0] > 0 > h(outside)[0]
    for k, q in enumerate(on):
        w, b = view.w.row(k), view.b[k]
        assert dot(w, q) + b == 0 and h(q)[0] > 0


def test_the_functional_dimension_of_784_1024_1_10_is_proven():      # 6 s
    net = float32_network((784, 1024, 1, 10))
    arch = net.architecture
    r = sa.functional_dimension(net, budget=120)
    assert r.value == r.upper_bound == arch.num_parameters - arch.num_hidden
    assert r.certificate.verify(net)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-2, 2), st.sampled_from([fmpq(0), fmpq(1), fmpq(-1, 3), fmpq(5, 2)])),
                min_size=1, max_size=6), st.integers(1, 4), st.data())
def test_rank_at_least_two_is_the_exact_rank_at_least_two(rows, n, data):
    """Rows built as multiples of a few directions (zero rows, parallel and opposite rows, and independent ones):
    the keys of their lines say rank >= 2 exactly when the exact rank does, for all rows and for a subset."""
    from semialg.core.exact import rank
    from semialg.engine.hyperplane_keys import rank_at_least_two
    directions = [tuple(fmpq((i * 7 + j * 3) % 5 - 2 + (i == j)) for j in range(n)) for i in range(3)]
    W = [tuple(scale * x for x in directions[d % 3]) for d, scale in rows]
    among = data.draw(st.lists(st.booleans(), min_size=len(W), max_size=len(W)))
    kept = [w for w, keep in zip(W, among) if keep]
    for M in (RationalMatrix.from_rows(W), RationalMatrix.of(W)):
        assert rank_at_least_two(M) == (rank(W) >= 2)
        assert rank_at_least_two(M, among) == (bool(kept) and rank(kept) >= 2)
