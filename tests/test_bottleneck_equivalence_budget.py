"""The budget of case-(a) bottleneck equivalence (sa.equivalent(..., budget=...)): for n0 >= 3 the joint arrangement
of the first layers is a region enumeration with exact LPs (5-15-1-1 with a hidden neuron moved: 110 s before, while
``budget=20`` was ignored). Spent, the answer is "undecided" and says what was tried; with time, the same pair is
proven equivalent, and the claim is checked here by exact evaluation at random rational points."""

from __future__ import annotations

import random

import pytest
from flint import fmpq

import semialg as sa
from semialg.errors import CertificateError
from semialg.families import bottleneck as bn


def _moved_hidden_pair(n0: int, n1: int, height: int) -> tuple[sa.Network, sa.Network]:
    """A random n0-n1-1-1 parameter with a U− neuron, and the same with that neuron's output weight halved (it is
    silent on P = {h > 0}, and halving keeps h <= 0 off P only if the region oracle says so: checked below)."""
    for seed in range(200):
        net = sa.Network.random((n0, n1, 1, 1), seed=seed, height=height)
        classes = bn.combinatorial_type(net).classes
        if "U-" in classes:
            j = classes.index("U-")
            W = [[list(r) for r in M] for M in net.weights]
            W[1][0][j] = W[1][0][j] / 2
            return net, sa.Network.from_arrays(W, [list(b) for b in net.biases])
    raise LookupError


def _agree_at_points(a: sa.Network, b: sa.Network, n: int = 40) -> bool:
    rng = random.Random(0)
    return all(a(x) == b(x) for x in ([fmpq(rng.randint(-60, 60), rng.randint(1, 7)) for _ in range(a.widths[0])]
                                      for _ in range(n)))


def test_a_spent_budget_answers_undecided_saying_what_was_tried():
    a, b = _moved_hidden_pair(3, 6, 2)
    r = sa.equivalent(a, b, budget=0)
    assert r.status == "undecided" and not r
    text = r.explain()       # the flips' search is cheap and always runs; no step after it is started
    assert "G-orbit" in text and "no flips and group element relate them" in text
    assert "deadline" in text and "probe points" not in text
    with pytest.raises(CertificateError):
        r.verify(a, b)
    done = sa.equivalent(a, b, budget=60)
    assert done.status == "equivalent" and done.verify(a, b)
    assert done.equivalent == sa.engine.regions.equivalent(a, b).equivalent and _agree_at_points(a, b)


def test_a_witness_not_found_in_time_leaves_the_arrangement_proof():
    """The arrangement proof is complete; only the moves naming the symmetry are skipped once the budget is gone."""
    from semialg.families.bottleneck.outer_symmetries import outer_witness
    a, b = _moved_hidden_pair(3, 6, 2)
    assert outer_witness(a, b, deadline=0.0) is None
    cert = outer_witness(a, b)
    assert cert is not None and cert.verify(a, b)


def test_a_separated_pair_is_still_refuted_within_the_budget():
    a, b = _moved_hidden_pair(3, 6, 2)
    W = [[list(r) for r in M] for M in b.weights]
    W[2][0][0] += 1                               # the outer weight: f changes wherever h > 0
    c = sa.Network.from_arrays(W, [list(x) for x in b.biases])
    r = sa.equivalent(a, c, budget=30)
    assert r.status == "not equivalent" and r.verify(a, c)
    x = r.certificate.point
    assert a(x) != c(x)


def test_the_rows_of_a_wide_first_layer_keep_the_deadline():
    """Normalising 4,096 rows of 784 float32 weights took 7 s before the cells' deadline was looked at; each
    classification of ``identifiable(budget=30)`` at 784-4096-1-10 paid it again (82 s in all, now 36 s)."""
    import time

    from semialg.errors import UndecidedError
    from semialg.families.bottleneck.arrangement import NetworkArrangement

    a, _ = _moved_hidden_pair(3, 6, 2)
    with pytest.raises(UndecidedError, match="after 0 of 6 rows"):
        NetworkArrangement((a,), deadline=time.monotonic() - 1)
    # a spent deadline reads no row (784-4096: 3.2 million rationals, a second, paid after the type's witnesses)
    import numpy as np
    rng = np.random.default_rng(0)
    wide = sa.Network.from_arrays([rng.standard_normal((n, m)).astype(np.float32) for m, n in ((5, 40), (40, 1))],
                                  [np.zeros(n, dtype=np.float32) for n in (40, 1)])
    with pytest.raises(UndecidedError, match="after 0 of 40 rows"):
        NetworkArrangement((wide,), deadline=time.monotonic() - 1)
    assert wide.weights[0]._rows is None
    assert len(NetworkArrangement((a,), deadline=time.monotonic() + 60).cells) > 1


def test_a_moved_kink_is_probed_where_the_bottleneck_shows_it():
    """float32 8-24-1-3 networks, W1[0, 0] one ulp larger: the moved neuron is visible (its hyperplane meets
    P = {h > 0}), but for seed 1 not near the small random points the kink lines used to start from, and the pair
    was undecided at budget 60. Each kink line now starts where the output depends on the neuron: there h > 0
    (checked exactly), and the pairs are refuted at once; the separating points are checked by exact evaluation."""
    from conftest import float32_network
    from semialg.families.deep.equivalence import kink_lines
    from semialg.families.deep.normal_form import normal_form
    for seed in range(6):
        a, b = float32_network((8, 24, 1, 3), seed=seed), float32_network((8, 24, 1, 3), seed=seed, bump=0)
        lines = kink_lines(normal_form(a).network, normal_form(b).network)
        assert lines and all(a.preactivations(p)[1][0] > 0 for p, _, _ in lines)
        r = sa.equivalent(a, b, budget=20)
        assert r.status == "not equivalent" and r.verify(a, b)
        x = r.certificate.point
        assert a(x) != b(x)
