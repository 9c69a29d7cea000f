"""Visibility points from the exact type when the float search misses a thin H_k ∩ P
(semialg.families.bottleneck.arrangement.points_on_hyperplanes and the fallback of visible_kinks).

points_on_hyperplanes is compared with an independent computation: h restricted to the line H_k is piecewise linear
with breakpoints where the other hyperplanes cross it, so H_k meets P iff h > 0 at a breakpoint or h grows towards
an end. The two 3-5-1-1 parameters below were "unknown" because the float search found no point of some H_k inside
P; the theorem now proves them identifiable, and their functional dimension is the orbit's codimension."""

from __future__ import annotations

import random

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.engine.functional_dimension import functional_dimension
from semialg.families.bottleneck.arrangement import points_on_hyperplanes
from semialg.families.bottleneck.types import visibility_witnesses
from semialg.families.bottleneck.views import OuterView

MISSED = [sa.Network.from_arrays([[[3, 2, 2], [3, 0, 2], [0, -3, -1], [-2, 1, -1], [-2, -1, 2]], [[3, 3, -2, -1, -3]],
                                  [[1]]], [[1, 2, 2, -3, 1], [-3], [0]]),
          sa.Network.from_arrays([[[3, 1, 2], [-2, 1, -1], [-1, -3, -1], [3, 1, 3], [2, 2, 2]], [[-1, 1, -2, -3, 2]],
                                  [[1]]], [[-2, 2, -1, 0, -2], [-3], [0]])]


def _meets_p_on_the_line(view, k) -> bool:
    """Whether h > 0 somewhere on H_k (n0 = 2), from h at the breakpoints of its restriction and the end slopes."""
    (a, b), c = view.w[k], view.b[k]
    x0 = (-c * a / (a * a + b * b), -c * b / (a * a + b * b))
    d = (-b, a)
    point = lambda t: (x0[0] + t * d[0], x0[1] + t * d[1])  # noqa: E731
    ts = sorted({-(w[0] * x0[0] + w[1] * x0[1] + bb) / (w[0] * d[0] + w[1] * d[1])
                 for j, (w, bb) in enumerate(zip(view.w, view.b)) if j != k and w[0] * d[0] + w[1] * d[1] != 0})
    ts = ts or [fmpq(0)]
    h = lambda t: view.inner(point(t))[0]  # noqa: E731
    lo, hi = ts[0], ts[-1]
    return any(h(t) > 0 for t in ts) or h(hi + 1) > h(hi) or h(lo - 1) > h(lo)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(2, 5))
def test_points_on_hyperplanes_agree_with_the_line_restriction(seed, n1):
    _check_points(seed, 2, n1, 3, _meets_p_on_the_line)


def _check_points(seed: int, n0: int, n1: int, height: int, meets) -> None:
    """For a random inner network with integer weights in [-height, height]: a point of H_k exactly when
    ``meets(view, k)``, each on H_k with h > 0 and on no other hyperplane crossing H_k; none for w_k = 0."""
    rng = random.Random(seed)
    q = lambda: fmpq(rng.randint(-height, height))  # noqa: E731
    net = sa.Network.from_arrays([[[q() for _ in range(n0)] for _ in range(n1)], [[q() for _ in range(n1)]], [[1]]],
                                 [[q() for _ in range(n1)], [q()], [0]])
    view = OuterView.of(net)
    for k, ((w, b), x) in enumerate(zip(zip(view.w, view.b), points_on_hyperplanes(view))):
        if not any(w):
            assert x is None
            continue
        assert (x is not None) == meets(view, k)
        if x is not None:
            assert sum(a * t for a, t in zip(w, x)) + b == 0 and view.inner(x)[0] > 0
            assert all(sum(a * t for a, t in zip(w2, x)) + b2 != 0 for w2, b2 in zip(view.w, view.b)
                       if any(w2) and _other(w, b, w2, b2))


@pytest.mark.parametrize("net", MISSED)
def test_a_missed_visibility_point_is_found_exactly(net):
    seen = visibility_witnesses(OuterView.of(net))
    assert seen is None or None in seen[2]          # the float search misses: the fallback is what is tested
    r = sa.identifiable(net, budget=10)
    assert r.status == "identifiable" and r.verify(net)
    assert [s.name for s in r.proof] == ["visible kinks", "inner network identifiable", "bottleneck theorem"]
    # identifiable: the fibre near theta is the orbit, of dimension n1 + 1 (the scalings)
    D = sum(len(row) for W in net.weights for row in W) + sum(len(b) for b in net.biases)
    assert functional_dimension(net) == D - net.widths[1] - 1


def test_the_witness_search_keeps_its_deadline():
    """The exact check of the points on the hyperplanes is $O(n_1^2 n_0)$ products of integers (784-4096-1-10:
    minutes, while ``identifiable(budget=60)`` waited). Past its deadline the search gives up (``None``) before
    each batch; before it, the same call finds every witness, each checked here by exact evaluation."""
    import time

    import numpy as np
    from semialg.families.bottleneck.identifiability import visible_kinks

    rng = np.random.default_rng(0)
    net = sa.Network.from_arrays([rng.standard_normal((40, 12)).astype(np.float32),
                                  rng.standard_normal((1, 40)).astype(np.float32), [[1]]],
                                 [rng.standard_normal(40).astype(np.float32), [0.1], [0]])
    view = OuterView.of(net)
    assert visibility_witnesses(view, deadline=time.monotonic() - 1) is None
    assert visible_kinks(net, deadline=time.monotonic() - 1) is None
    inside, outside, on = visibility_witnesses(view, deadline=time.monotonic() + 600)
    assert view.inner(inside)[0] > 0 > view.inner(outside)[0]
    for (w, b), q in zip(zip(view.w, view.b), on):
        assert q is not None and sum(x * y for x, y in zip(w, q)) + b == 0 and view.inner(q)[0] > 0
    # found once, kept: the same witnesses for an equal network, even past the deadline (the spent calls above
    # were not kept)
    again = OuterView.of(sa.Network(net.weights, net.biases))
    assert again.inner is not view.inner
    assert visibility_witnesses(again, deadline=time.monotonic() - 1) == (inside, outside, on)


def _meets_p_by_restriction(view, k) -> bool:
    """Whether h > 0 somewhere on H_k, from the regions of h restricted to H_k (coordinates x0 + By): one exact
    LP per region of the restricted network, independent of the first layer's cells."""
    from semialg.core.exact import nullspace
    from semialg.engine import regions as pl
    from semialg.geometry.polyhedron import decide

    u, beta = view.w[k], view.b[k]
    uu = sum(t * t for t in u)
    x0 = [-beta * t / uu for t in u]
    basis = nullspace([list(u)])
    dot = lambda a, b: sum((s * t for s, t in zip(a, b)), fmpq(0))  # noqa: E731
    restricted = sa.Network.from_arrays([[[dot(w, col) for col in basis] for w in view.w], [list(view.v)]],
                                        [[dot(w, x0) + b for w, b in zip(view.w, view.b)], [view.e]])
    return any(decide([g for g, _ in r.inequalities] + [r.linear[0]], [c for _, c in r.inequalities] + [r.offset[0]],
                      len(basis)) for r in pl.regions(restricted))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(3, 4), st.integers(2, 6))
def test_points_on_hyperplanes_in_space_agree_with_the_restricted_regions(seed, n0, n1):
    """In dimension 3 and 4 the points come from the facets of the first layer's cells; the oracle enumerates the
    regions of h restricted to each hyperplane. Small integer weights make parallel, repeated and concurrent
    hyperplanes and zero rows common."""
    _check_points(seed, n0, n1, 2, _meets_p_by_restriction)


def _other(w, b, w2, b2) -> bool:
    """Whether the hyperplane (w2, b2) is not (w, b) itself: the rows are not proportional."""
    from semialg.core.exact import rank
    return rank([list(w) + [b], list(w2) + [b2]]) == 2


def test_the_type_in_space_keeps_its_budget():
    """For n0 >= 3 the sign of h per cell and the visibility of each hyperplane are exact LPs: past the budget the
    type is undecided, naming what was done; with time it is found, and agrees with visibility by restriction."""
    from semialg.errors import UndecidedError
    from semialg.families import bottleneck as bn
    from semialg.families.bottleneck import arrangement as ba
    from semialg.families.bottleneck.types import _arranged_type

    net = sa.Network.random((4, 7, 1, 1), seed=58, height=3)     # classes V, U+ and U-
    view = OuterView.of(net)
    with pytest.raises(UndecidedError, match="deadline passed"):
        _arranged_type(ba.NetworkArrangement((net,)), view, deadline=0.0)
    t = _arranged_type(ba.NetworkArrangement((net,)), view)
    assert t == bn.combinatorial_type(net) and {"V", "U-", "U+"} <= set(t.classes)
    for k, c in enumerate(t.classes):
        if c != "D":
            assert (c == "V") == _meets_p_by_restriction(view, k)


@pytest.mark.parametrize("moves", [True, False])
def test_a_search_cut_by_its_deadline_resumes_where_it_stopped(monkeypatch, moves):
    """With a clock that advances one second per reading, each call gets through a few steps before its deadline
    (2 s later) and answers ``None``; the calls go on where the last stopped, and once done they give the
    witnesses of an uncut search (checked by exact evaluation). Without the moves along coordinates (which find
    every point here at once) the projections are ranked and checked over many calls."""
    import itertools
    import types as pytypes

    import numpy as np
    from semialg.families.bottleneck import types

    rng = np.random.default_rng(3)
    net = sa.Network.from_arrays([rng.standard_normal((30, 5)).astype(np.float32),
                                  rng.standard_normal((1, 30)).astype(np.float32), [[1]]],
                                 [rng.standard_normal(30).astype(np.float32), [0.5], [0]])
    view = OuterView.of(net)
    if not moves:
        monkeypatch.setattr(types._VisibilitySearch, "_coordinate_moves", lambda self, Z, planes: {})
    monkeypatch.setattr(types, "_SEARCHES", {})
    whole = visibility_witnesses(view)
    assert whole is not None
    monkeypatch.setattr(types, "_SEARCHES", {})
    ticks = itertools.count()
    monkeypatch.setattr(types, "time", pytypes.SimpleNamespace(monotonic=lambda: float(next(ticks))))
    answers = []
    for _ in range(200):
        answers.append(visibility_witnesses(view, deadline=types.time.monotonic() + 2))
        if answers[-1] is not None:
            break
    assert answers[-1] == whole and (moves or (answers[0] is None and len(answers) > 3))
    inside, outside, on = whole
    assert view.inner(inside)[0] > 0 > view.inner(outside)[0]
    for (w, b), q in zip(zip(view.w, view.b), on):
        assert q is not None and sum(x * y for x, y in zip(w, q)) + b == 0 and view.inner(q)[0] > 0


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(3, 4), st.integers(2, 7), st.sampled_from([-1.0, 0.5, 2.0]))
def test_witnessed_types_are_the_exact_types(seed, n0, n1, e):
    """Random float32 case-(a) parameters, some with hidden neurons (e < 0): whenever the witnesses give a type
    (points reached along a coordinate, or projections) it is the type read off the cells of the first layer's
    arrangement (exact LPs), and every witness is exact: on its hyperplane with h > 0, h(inside) > 0 > h(outside)."""
    import numpy as np

    from semialg.families.bottleneck.arrangement import NetworkArrangement
    from semialg.families.bottleneck.types import _arranged_type, witnessed_type

    rng = np.random.default_rng(seed)
    net = sa.Network.from_arrays([rng.standard_normal((n1, n0)).astype(np.float32),
                                  rng.standard_normal((1, n1)).astype(np.float32), [[1]]],
                                 [rng.standard_normal(n1).astype(np.float32), [e], [0]])
    view = OuterView.of(net)
    t = witnessed_type(view)
    if t is None:
        return
    assert t == _arranged_type(NetworkArrangement((net,)), view)
    seen = visibility_witnesses(view)
    if seen is None or t.regime != "PN":
        return
    inside, outside, on = seen
    assert view.inner(inside)[0] > 0 > view.inner(outside)[0]
    for (w, b), q in zip(zip(view.w, view.b), on):
        assert q is None or (sum(x * y for x, y in zip(w, q)) + b == 0 and view.inner(q)[0] > 0)
