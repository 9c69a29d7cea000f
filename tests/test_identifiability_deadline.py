"""The seconds budget of identifiable and shallow_representation at real sizes: a step cut by the deadline says so and
never yields a decided answer it did not prove; small exact networks keep their decided answers."""

import json
import time

import numpy as np
import pytest
from flint import fmpq

import semialg as sa
from semialg.engine import neurons
from semialg.engine.hierarchy import kink_normal, one_sided_linear_parts
from semialg.engine.identifiability import identifiable
from semialg.engine.loci import genericity
from semialg.engine.witnesses import witness_moves
from semialg.errors import UndecidedError
from semialg.geometry.zero_sum import find_zero_sum_set
from conftest import float32_network


DEAD = sa.Network.from_arrays([[[1, 0], [0, 1], [1, 1]], [[1, 2, 0]]], [[0, 0, 1], [0]])   # neuron 2: no output
ZERO_FACTOR = sa.Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 1, 2], [0]])


@pytest.mark.parametrize("budget", [0, 5])
def test_dead_neuron_is_not_identifiable_with_a_verified_witness(budget):
    r = sa.identifiable(DEAD, budget=budget)
    assert r.status == "not identifiable" and r.move.kind == "dead row" and r.move.neurons == (2,)
    assert r.verify(DEAD)
    # independent of the search: the witness computes the same function and differs from the network
    assert r.witness != DEAD
    for x in [(fmpq(3), fmpq(-2)), (fmpq(-1, 3), fmpq(5)), (fmpq(7), fmpq(7, 2))]:
        assert r.witness(x) == DEAD(x)


@pytest.mark.parametrize("budget", [0, 10])
def test_zero_factor_flip_at_any_budget(budget):
    r = sa.identifiable(ZERO_FACTOR, budget=budget)
    assert r.status == "not identifiable" and r.verify(ZERO_FACTOR)


@pytest.mark.parametrize("seed", range(4))
def test_random_shallow_network_is_identifiable_with_a_verified_proof(seed):
    net = sa.Network.random((3, 5, 2), seed=seed)
    for budget in (0, 10):   # the cheap decisions run even with the budget spent
        r = sa.identifiable(net, budget=budget)
        assert r.status == "identifiable" and r.verify(net)


def test_a_spent_deadline_names_the_zero_factor_moves_it_did_not_search(monkeypatch):
    monkeypatch.setattr(neurons, "CHEAP_SECONDS", 0.0)     # every step is "expensive": a spent deadline skips it
    skipped = []
    moves = list(witness_moves(ZERO_FACTOR, deadline=time.monotonic() - 1, skipped=skipped))
    assert not any(m.kind == "flip" for m in moves)
    assert skipped and "0-factor moves at layer 1" in skipped[0]
    r = sa.identifiable(ZERO_FACTOR, budget=0)
    assert r.status == "unknown"
    assert not any("and 0-factor moves" in c for c in r.checked)
    assert any(c.startswith("0-factor moves at layer 1") for c in r.checked)
    report = genericity(sa.Network.random((3, 5, 2), seed=0), deadline=time.monotonic() - 1)
    assert report.status == "undecided" and not report   # never "generic" from a skipped sketch
    assert sa.identifiable(sa.Network.random((3, 5, 2), seed=0), budget=0).status == "unknown"


def test_zero_sum_search_stops_at_its_deadline():
    vectors = [(fmpq(1), fmpq(0)), (fmpq(0), fmpq(1)), (fmpq(1), fmpq(1)), (fmpq(2), fmpq(3))]
    late = find_zero_sum_set(vectors, deadline=time.monotonic() - 1)
    assert late.status == "undecided" and any("deadline" in t for t in late.tried)
    assert find_zero_sum_set(vectors).status == "none"


def test_medium_float_network_with_budget_zero_is_quick_and_sound():
    net = float32_network((100, 200, 10))
    t = time.monotonic()
    r = sa.identifiable(net, budget=0)
    assert time.monotonic() - t < 10
    assert r.status == "unknown" or r.verify(net)
    deep = float32_network((100, 200, 1, 10))
    t = time.monotonic()
    r = sa.identifiable(deep, budget=0)
    assert time.monotonic() - t < 10
    assert r.status == "unknown" or r.verify(deep)
    s = sa.shallow_representation(deep, budget=0)
    assert s.status == "undecided"
    t = time.monotonic()
    s = sa.shallow_representation(deep, budget=0.5)
    assert time.monotonic() - t < 5
    assert s.status == "undecided" or s.verify(deep)


def test_one_sided_linear_parts_match_the_function_on_each_side():
    """The parts read off at a kink point are the slopes of f along a direction into each side (exact
    difference quotients at a step too small to reach another kink)."""
    rng = np.random.default_rng(1)
    for seed in range(3):
        net = sa.Network.random((3, 4, 3, 2), seed=seed)
        w, b = net.weights[0][0], net.biases[0][0]
        x = [fmpq(int(v), 7) for v in rng.integers(-20, 20, 3)]
        x[0] = -(b + w[1] * x[1] + w[2] * x[2]) / w[0]             # on the hyperplane of neuron 0 of layer 1
        u = kink_normal(net, x)
        parts = one_sided_linear_parts(net, x, u) if u is not None else None
        if parts is None:
            continue
        v = [fmpq(int(c), 3) for c in rng.integers(-9, 9, 3)]
        side = sum(a * c for a, c in zip(u, v))
        if side == 0:
            continue
        eps = fmpq(1, 10 ** 9)
        fx, fy = net(x), net([a + eps * c for a, c in zip(x, v)])
        A = parts[0] if side > 0 else parts[1]
        assert tuple((q - p) / eps for p, q in zip(fx, fy)) == tuple(sum(a * c for a, c in zip(r, v)) for r in A)


@pytest.mark.slow
@pytest.mark.parametrize("widths, margin", [((784, 4096, 1, 10), 12), ((784, 4096, 10), 6)])
def test_identifiable_keeps_its_budget_at_784_4096(widths, margin):
    """The bottleneck's integer matrices and first visibility ranking cannot be interrupted (3.6 s at budget 2):
    its margin is wider."""
    net = float32_network(widths)
    t = time.monotonic()
    r = sa.identifiable(net, budget=2)
    assert time.monotonic() - t < 2 + margin
    assert r.status == "unknown" or r.verify(net)


@pytest.mark.slow
@pytest.mark.parametrize("widths", [(784, 4096, 10), (784, 4096, 1, 10)])
def test_float32_networks_at_784_4096_are_proven_identifiable(widths):
    """He-initialised float32 weights read exactly: the 0-factor condition by peeling (of the first output's terms in
    the shallow case, where the rank-one sketch takes 6 s), the bottleneck's visibility witnesses along coordinates;
    the proofs verify. Both were "unknown" within a budget of 2 s before session 64."""
    net = float32_network(widths)
    r = sa.identifiable(net, budget=30)
    assert r.status == "identifiable" and r.verify(net)


@pytest.mark.slow
def test_shallow_representation_keeps_its_budget_at_784_4096_1_10():
    net = float32_network((784, 4096, 1, 10))
    t = time.monotonic()
    r = sa.shallow_representation(net, budget=2)
    assert time.monotonic() - t < 2 + 6
    assert r.status == "undecided" or r.verify(net)


def test_the_family_fibre_searched_for_a_witness_gets_what_remains_of_the_budget(monkeypatch):
    from semialg.families.bottleneck import BottleneckFamily
    asked = []

    def spy(self, net, **options):
        asked.append((options.get("budget"), time.monotonic()))
        raise UndecidedError("spied")
    monkeypatch.setattr(BottleneckFamily, "fibre", spy)
    started = time.monotonic()
    r = identifiable(float32_network((2, 20, 1, 2), seed=5), budget=20)
    assert r.status == "unknown" and any("bottleneck fibre: UndecidedError: spied" in c for c in r.checked)
    (budget, at), = asked
    assert 1.0 <= budget <= 20 - (at - started) + 1.0


def test_the_minimal_form_searched_for_a_narrower_witness_gets_what_remains_of_the_budget(monkeypatch):
    from semialg.engine.identifiability import _narrower_witness
    from semialg.families.shallow.family import ShallowFamily
    asked = []
    real = ShallowFamily.minimal_width_network

    def spy(self, net, seconds=None):
        asked.append(seconds)
        return real(self, net, seconds)
    monkeypatch.setattr(ShallowFamily, "minimal_width_network", spy)
    net = sa.Network.from_arrays([[[1], [-2], [-2]], [[-2, -1, -1]]], [[2, -4, 0], [0]])
    assert _narrower_witness(net, [], time.monotonic() + 7) is not None
    assert _narrower_witness(net, [], time.monotonic() - 7) is not None     # a second at least
    assert 6 <= asked[0] <= 7 and asked[1] == 1.0


def test_the_regions_of_local_identifiability_keep_the_deadline(monkeypatch):
    """Found by an audit: for a 4-8-8-2 parameter of deficient Jacobian rank, the regions of every input were
    enumerated without the deadline (``identifiable(budget=2)``: 10 s). The enumeration now gets it: here it stops
    at once, as a spent deadline makes it, and the answer is "unknown", not an error."""
    from semialg.engine import regions

    asked = []

    def stopped(net, domain=None, deadline=None):
        asked.append(deadline)
        raise UndecidedError("the deadline passed after 0 regions")
        yield

    monkeypatch.setattr(regions, "decisive_points", stopped)
    data = json.loads(_AUDIT_4_8_8_2)
    net = sa.Network.from_arrays(data["W"], data["b"])
    r = sa.identifiable(net, budget=30)
    assert r.status == "unknown" and asked and all(d is not None for d in asked)


_AUDIT_4_8_8_2 = (
    '{"W": [[["-2", "-1", "-4/5", "3/4"], ["-3/2", "-5/2", "3/5", "-1"], ["4", "2/3", "3", "4/3"], ["5/3"'
    ', "5/4", "1/5", "0"], ["-1/2", "-5/2", "-5/4", "2"], ["-2", "0", "1", "-4/5"], ["5/3", "2", "-3", "0'
    '"], ["2", "4/3", "1/2", "1"]], [["-2", "-4", "-4/5", "5", "1/2", "-4/3", "-4/5", "-5"], ["1/3", "0",'
    ' "-3/2", "-2", "1/5", "5/2", "-1", "0"], ["2/3", "1", "-1/2", "-5", "3/5", "-1/4", "1/2", "0"], ["-1'
    '", "0", "-3/4", "1/4", "-5", "2", "5", "5/4"], ["-1/2", "-3/5", "-4/3", "-1", "3/5", "1", "1", "0"],'
    ' ["1", "-4/5", "2/5", "1", "0", "-5/4", "5", "1/4"], ["0", "-2", "0", "-2/3", "3/2", "-1/5", "-5/3",'
    ' "-1/2"], ["1", "-4/5", "-2", "4", "4/5", "0", "5/2", "-2"]], [["-3/4", "-4/3", "-2/5", "-3/5", "-3/'
    '2", "1/4", "-2/3", "-1/4"], ["-5/3", "0", "-1/5", "-2/3", "2", "2", "-5/4", "-1/5"]]], "b": [["-5", '
    '"-1", "1/4", "-4/5", "-2", "-1/3", "1/5", "1"], ["-5/2", "1", "-2", "-1", "-3/5", "0", "1", "-5/4"],'
    ' ["0", "1/4"]]}'
)
