"""Budgets that stop the exact searches at the widths people train, and the cheap tests that replaced
per-row loops there. Oracles: the per-row definitions (``normalise_row`` of every row; ``any`` of every row)
and exact evaluation."""

from __future__ import annotations

import random
import time

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.core.exact import fingerprint, normalise_row
from semialg.errors import UndecidedError
from semialg.families.bottleneck.rank_bound import _share_a_hyperplane, visible_rank_certificate
from semialg.geometry.polyhedron import flip_neighbours
from conftest import float32_network


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_shared_hyperplanes_by_one_product_agree_with_normalising_every_row(seed):
    rng = random.Random(seed)
    n0, n1 = rng.randint(1, 4), rng.randint(2, 7)
    W = [[fmpq(rng.randint(-3, 3), rng.randint(1, 3)) for _ in range(n0)] for _ in range(n1)]
    b = [fmpq(rng.randint(-3, 3), rng.randint(1, 3)) for _ in range(n1)]
    for i in range(n1):
        if not any(W[i]):
            W[i][0] = fmpq(1)
    if rng.random() < 0.5:          # a planted multiple, of either sign
        i, j = rng.sample(range(n1), 2)
        lam = fmpq(rng.choice([-3, -1, 2, 5]), rng.randint(1, 4))
        W[j], b[j] = [lam * x for x in W[i]], lam * b[i]
    net = sa.Network.from_arrays([W, [[1] * n1], [[1]]], [b, [0], [0]])
    keys = {fingerprint(normalise_row(tuple(w) + (c,))[0]) for w, c in zip(W, b)}
    assert _share_a_hyperplane(net) == (len(keys) != n1)


def test_the_rank_certificate_keeps_its_deadline():
    """Past its deadline the search for the points gives up (at 784-4096-1-10 it ran for minutes inside
    ``functional_dimension(budget=2)``); then it finds them, and the certificate verifies."""
    net = sa.Network.random((3, 5, 1, 1), seed=4, height=3)
    assert visible_rank_certificate(net, deadline=time.monotonic() - 1) is None
    cert = visible_rank_certificate(net)
    assert cert is not None and cert.verify(net) and cert.dimension == 3 * 5 + 5 + 5 + 1 + 1 + 1 - 5 - 1


def test_flips_stop_at_the_deadline():
    G = [(fmpq(1), fmpq(0)), (fmpq(0), fmpq(1)), (fmpq(-1), fmpq(-1)), (fmpq(-1), fmpq(0))]
    h = (fmpq(0), fmpq(0), fmpq(1), fmpq(2))
    point = (fmpq(1, 4), fmpq(1, 4))
    with pytest.raises(UndecidedError, match="deadline"):
        flip_neighbours(G, h, point, [2, 3], deadline=time.monotonic() - 1)
    out = flip_neighbours(G, h, point, [2, 3], deadline=time.monotonic() + 600)
    assert out[3] is None and -out[2][0] - out[2][1] + 1 < 0


@pytest.mark.parametrize("widths", [(784, 256, 10), (784, 256, 256, 10)])
def test_region_enumeration_in_784_inputs_keeps_its_budget(widths):
    """Each flip of a cell is one exact LP in 784 dimensions (0.4 s): 256 of them ran for two minutes past a
    budget of 2 s. The bound is generous (a loaded machine); it fails for a flip loop that ignores the budget."""
    net = float32_network(widths)
    start = time.monotonic()
    with pytest.raises(UndecidedError, match="budget"):
        sa.regions(net, budget=1.0)
    assert time.monotonic() - start < 1.0 + 20


def test_bottleneck_theorems_are_not_tried_past_the_deadline():
    """Each case-(a) route costs about a second at 784-4096-1-10 and they ran on after ``identifiable``'s budget:
    past the deadline none is tried and ``checked`` says so; before it, the same network is proven identifiable."""
    from semialg.families.bottleneck.identifiability import identifiability_proof
    net = next(n for n in (sa.Network.random((2, 4, 1, 1), seed=s, height=3) for s in range(50))
               if identifiability_proof(n, []) is not None)
    checked: list = []
    assert identifiability_proof(net, checked, deadline=time.monotonic() - 1) is None
    assert any("budget was spent" in c for c in checked)
    steps = identifiability_proof(net, [], deadline=time.monotonic() + 600)
    assert steps is not None and all(s.verify(net) for s in steps)
