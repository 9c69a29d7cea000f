"""Listing zero-sum sets (semialg.geometry.zero_sum.zero_sum_sets) by matroid components and meet in the middle,
against brute force over all subsets; wide bottleneck parameters whose inner network has more neurons than inputs
(every flip term in one dependent component) get their hidden symmetries and fibres at once."""

from __future__ import annotations

import itertools
import math
import random
from types import SimpleNamespace

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.errors import UndecidedError
from semialg.core import exact
from semialg.core.exact import PRIME
from semialg.geometry import subset_sum, zero_sum
from semialg.geometry.subset_sum import find_subset_with_sum
from semialg.geometry.zero_sum import DeadlinePassed, count_subsets_with_sum, count_zero_sum_sets, find_zero_sum_set, \
    zero_sum_sets


def _vectors(seed: int) -> list[tuple[fmpq, ...]]:
    """Small integer vectors with planted cancellations (a set and its negation, pairs, a sum)."""
    rng = random.Random(seed)
    dim, n = rng.randint(1, 3), rng.randint(1, 10)
    out = [tuple(fmpq(rng.randint(-2, 2)) for _ in range(dim)) for _ in range(n)]
    for _ in range(rng.randint(0, 2)):
        S = rng.sample(range(len(out)), rng.randint(1, min(3, len(out))))
        out.append(tuple(-sum((out[i][r] for i in S), fmpq(0)) for r in range(dim)))
    return out


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_the_listed_sets_are_all_zero_sum_sets(seed):
    vectors = _vectors(seed)
    brute = [S for size in range(1, len(vectors) + 1) for S in itertools.combinations(range(len(vectors)), size)
             if not any(sum((vectors[i][r] for i in S), fmpq(0)) for r in range(len(vectors[0])))]
    assert zero_sum_sets(vectors) == brute
    assert count_zero_sum_sets(vectors) == len(brute) + 1


def test_meeting_in_the_middle_stores_sums_in_the_span_not_in_the_ambient_dimension():
    """26 vectors $(-2)^i v$ in dimension 7,850 (the size of 0-factor vectors at 784-n-10): no zero-sum set (binary
    expansions are unique), the signs defeat Gordan's alternative and LLL finds no 0/1 relation, so the search meets
    in the middle. It held $2^{13}$ sums of 7,850 rationals and ran out of memory (5.7 GB, 45 s); the sums now live
    in the one coordinate that is injective on the span. Listing and counting take the same route."""
    rng = random.Random(1)
    base = [rng.randint(-5, 5) for _ in range(7850)]
    vectors = [tuple(fmpq((-2) ** i * x) for x in base) for i in range(26)]
    d = find_zero_sum_set(vectors)
    assert d.status == "none" and d.verify(vectors)
    assert zero_sum_sets(vectors, limit=26) == [] and count_zero_sum_sets(vectors, budget=2 ** 13) == 1
    planted = vectors + [tuple(-(a + b) for a, b in zip(vectors[3], vectors[5], strict=True))]
    assert count_subsets_with_sum(planted, (fmpq(0),) * 7850, budget=2 ** 14) == 2


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10 ** 6), st.sampled_from([2, 6, 2 ** 20]))
def test_a_subset_with_a_given_sum_is_found_exactly_when_one_exists(seed, budget):
    """``find_subset_with_sum`` (a 0/1 point of the solutions of the normal equations: kernel points, or meet in the
    middle over the Gram columns) against brute force over every subset, for reached and unreached targets; a tiny
    budget may give up but never answers wrongly; the Gram matrix given by the caller gives the same subset."""
    vectors = _vectors(seed)
    rng = random.Random(seed)
    dim = len(vectors[0])
    planted = rng.sample(range(len(vectors)), rng.randint(0, len(vectors)))
    for target in (tuple(sum((vectors[i][r] for i in planted), fmpq(0)) for r in range(dim)),
                   tuple(fmpq(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(dim))):
        exists = any(all(sum((vectors[i][r] for i in S), fmpq(0)) == target[r] for r in range(dim))
                     for size in range(len(vectors) + 1) for S in itertools.combinations(range(len(vectors)), size))
        try:
            got = find_subset_with_sum(vectors, target, budget)
        except UndecidedError:
            assert budget < 2 ** 20
            continue
        assert (got is not None) == exists
        if got is not None:
            assert list(got) == sorted(set(got))
            assert all(sum((vectors[i][r] for i in got), fmpq(0)) == target[r] for r in range(dim))
        ext = vectors + [tuple(-x for x in target)]
        gram = [[sum((u[r] * v[r] for r in range(dim)), fmpq(0)) for v in ext] for u in ext]
        assert find_subset_with_sum(vectors, target, budget, gram=gram) == got
        assert find_subset_with_sum(vectors, target, budget, deadline=math.inf) == got     # a deadline never met


def test_subset_sums_in_high_dimension_need_no_memory_of_that_dimension():
    """32 vectors in dimension 20,000 with a planted sum: once $2^{16}$ half-sums of 20,000 rationals each (tens of
    GB); the normal equations live in 32 coordinates. Repeated vectors leave a kernel: its 0/1 points are searched."""
    rng = random.Random(5)
    vectors = [tuple(fmpq(rng.randint(-9, 9)) for _ in range(20_000)) for _ in range(30)]
    vectors += [vectors[0], vectors[1]]
    S = [0, 3, 7, 30, 31]
    target = tuple(sum((vectors[i][r] for i in S), fmpq(0)) for r in range(20_000))
    got = find_subset_with_sum(vectors, target)
    assert got is not None and all(sum((vectors[i][r] for i in got), fmpq(0)) == target[r] for r in range(20_000))
    assert set(got) - {0, 1, 30, 31} == {3, 7}
    assert find_subset_with_sum(vectors, tuple(x + (r == 0) for r, x in enumerate(target))) is None


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10 ** 6), st.sampled_from([2, 4, 2 ** 12]))
def test_subsets_with_a_given_sum_are_counted_exactly(seed, budget):
    """``count_subsets_with_sum`` (kernel points, or meet in the middle per component, whichever is cheaper) against
    brute force over every subset, for targets that are reached (a planted subset sum) and that are not; with a
    tiny budget it may give up (``None``) but never miscounts; the Gram matrix gives the same count."""
    vectors = _vectors(seed)
    rng = random.Random(seed)
    dim = len(vectors[0])
    planted = rng.sample(range(len(vectors)), rng.randint(0, len(vectors)))
    for target in (tuple(sum((vectors[i][r] for i in planted), fmpq(0)) for r in range(dim)),
                   tuple(fmpq(rng.randint(-3, 3)) for _ in range(dim))):
        brute = sum(1 for size in range(len(vectors) + 1) for S in itertools.combinations(range(len(vectors)), size)
                    if all(sum((vectors[i][r] for i in S), fmpq(0)) == target[r] for r in range(dim)))
        got = count_subsets_with_sum(vectors, target, budget)
        assert got == brute or (got is None and budget < 2 ** 12)
        ext = vectors + [tuple(-x for x in target)]
        gram = [[sum((u[r] * v[r] for r in range(dim)), fmpq(0)) for v in ext] for u in ext]
        assert count_subsets_with_sum(vectors, target, 2 ** 12, gram=gram) == brute
    assert count_subsets_with_sum(vectors, (fmpq(0),) * dim) == count_zero_sum_sets(vectors)
    assert count_subsets_with_sum([(), ()], ()) == 4 == count_zero_sum_sets([(), ()])


def test_a_component_beyond_the_limit_is_undecided_unless_no_set_exists_modulo_p():
    """Twelve vectors in the plane without a zero-sum set (brute force): modulo p their kernel has no 0/1 point, so
    the list is empty although the component exceeds the limit; with a planted zero-sum set the component must be
    listed exactly, and beyond the limit that is refused."""
    rng = random.Random(0)
    vectors = [(fmpq(rng.randint(-9, 9)), fmpq(rng.randint(-9, 9))) for _ in range(12)]
    assert not any(not any(sum((vectors[i][r] for i in S), fmpq(0)) for r in range(2))
                   for size in range(1, 13) for S in itertools.combinations(range(12), size))
    assert zero_sum_sets(vectors, limit=10) == []
    planted = vectors + [tuple(-(a + b) for a, b in zip(vectors[0], vectors[1], strict=True))]
    with pytest.raises(UndecidedError, match="component of 13"):
        zero_sum_sets(planted, limit=10)


@pytest.mark.parametrize("n0, n1", [(10, 20), (8, 30)])
def test_wide_inner_networks_get_their_zero_factors(n0, n1):
    """n0-n1-1-2 with n1 > n0: the flip terms v_i w_i are n1 vectors in R^n0, one dependent component; listing its
    zero-sum sets took 2^n1 subset sums (16 s at n1 = 20, refused at 30), by meet in the middle 2^(n1/2). None is
    planted: the list is empty, as the independent decision of find_zero_sum_set says; the hidden symmetries and
    the fibre come within their budget."""
    rng = random.Random(n1)
    W = [[rng.randint(-9, 9) for _ in range(n0)] for _ in range(n1)]
    v = [rng.choice([-3, -2, -1, 1, 2, 5]) for _ in range(n1)]
    net = Network.from_arrays([W, [v], [[1], [2]]], [[rng.randint(-9, 9) for _ in range(n1)], [3], [0, 0]])
    terms = [tuple(fmpq(vi) * x for x in w) for w, vi in zip(W, v)]
    assert zero_sum_sets(terms) == [] and find_zero_sum_set(terms).status == "none"
    assert all(m.name != "zero-factor flips" for m in sa.hidden_symmetries(net, budget=5))
    assert sa.fibre(net, budget=5).num_components >= 1


@pytest.fixture
def clock(monkeypatch) -> SimpleNamespace:
    """One fake clock (``now``, moved by the test) for the subset-sum search and the half-sums it enumerates."""
    fake = SimpleNamespace(now=0.0)
    fake.monotonic = lambda: fake.now
    for module in (subset_sum, zero_sum):
        monkeypatch.setattr(module, "time", fake)
    return fake


def _never(what: str):
    def call(*args, **kwargs):
        raise AssertionError(f"{what} was started")
    return call


_SCALARS = [(fmpq(i + 1),) for i in range(12)]      # 1, ..., 12: a kernel of dimension 11 on all twelve


def test_a_kernel_the_budget_refuses_is_refused_before_its_rref(monkeypatch):
    """16-128-4 spent 100 s in the RREF of a kernel of dimension 64 that the budget then refused: the dimension and
    the support are read off any basis of the kernel, so the refusal comes first."""
    monkeypatch.setattr(subset_sum, "rref", _never("the RREF of a refused kernel"))
    with pytest.raises(UndecidedError, match="dimension 11 over 12 vectors exceeds the budget 2") as info:
        find_subset_with_sum(_SCALARS, (fmpq(5),), budget=2)
    assert not isinstance(info.value, DeadlinePassed)       # the budget, not the clock
    assert sum(_SCALARS[i][0] for i in find_subset_with_sum(_SCALARS, (fmpq(5),))) == 5


def _past_at_the_first_hash(clock, monkeypatch, module) -> list:
    """The clock moves from 0 to 2 (past a deadline of 1) when ``module`` hashes its first half-sum; the list of the
    half-sums it hashes."""
    hashed = []

    def fingerprint(key):
        hashed.append(key)
        clock.now = 2.0
        return exact.fingerprint(key)

    monkeypatch.setattr(module, "fingerprint", fingerprint)
    return hashed


def test_meeting_in_the_middle_stops_at_the_deadline(clock, monkeypatch):
    """A kernel of dimension 11 over 12 vectors is searched by meeting in the middle ($2^6$ half-sums, fewer than
    $2^{11}$ choices): the deadline passes while the half-sums are reduced modulo the prime, and no candidate is
    checked (at 4-32-2 the search ran 7.5 s past a budget of 2 s)."""
    assert sum(_SCALARS[i][0] for i in find_subset_with_sum(_SCALARS, (fmpq(77),))) == 77
    keys = zero_sum._keys

    def late_keys(vectors):
        clock.now = 2.0
        return keys(vectors)

    monkeypatch.setattr(zero_sum, "_keys", late_keys)
    with pytest.raises(DeadlinePassed, match="while meeting in the middle .after 0 candidates"):
        find_subset_with_sum(_SCALARS, (fmpq(77),), deadline=1.0)


def test_exact_half_sums_stop_at_the_deadline(clock, monkeypatch):
    """When the prime divides a denominator the half-sums are exact and hashed: the deadline passes once the first
    is hashed, and the next one is not built."""
    scalars = [(x / PRIME,) for x, in _SCALARS]
    assert find_subset_with_sum(scalars, (fmpq(100, PRIME),)) is None          # more than 1 + ... + 12 = 78
    hashed = _past_at_the_first_hash(clock, monkeypatch, zero_sum)
    with pytest.raises(DeadlinePassed, match="while meeting in the middle .after 1 of the 64 subset sums"):
        find_subset_with_sum(scalars, (fmpq(100, PRIME),), deadline=1.0)
    assert len(hashed) == 1


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_half_sums_modulo_the_prime_and_exact_find_the_same_subset(seed):
    """Scaling every vector and the target by $1/p$ keeps the subsets with the sum, and sends the search from the
    half-sums modulo $p$ to the exact ones: both find the same subset (the first of the same order)."""
    vectors = _vectors(seed)
    rng = random.Random(seed)
    planted = rng.sample(range(len(vectors)), rng.randint(0, len(vectors)))
    target = tuple(sum((vectors[i][r] for i in planted), fmpq(0)) for r in range(len(vectors[0])))
    scaled = [tuple(x / PRIME for x in v) for v in vectors]
    got = find_subset_with_sum(vectors, target)
    assert got is not None and find_subset_with_sum(scaled, tuple(x / PRIME for x in target)) == got


def test_the_choices_at_the_kernel_pivots_stop_at_the_deadline(clock, monkeypatch):
    """Ten unit vectors and two sums of them: a kernel of dimension 2 over 6 vectors, searched by its $2^2$ choices
    at the pivots; the target (1/2, 0, ...) is no 0/1 point, so all four are tried without a deadline, none once
    it passes during the kernel's RREF."""
    vectors = [tuple(fmpq(int(i == j)) for j in range(10)) for i in range(10)]
    vectors += [vectors[0][:1] + (fmpq(1),) + vectors[0][2:], (fmpq(0),) * 2 + (fmpq(1),) * 2 + (fmpq(0),) * 6]
    target = (fmpq(1, 2),) + (fmpq(0),) * 9
    assert find_subset_with_sum(vectors, target) is None

    def rref(M):
        clock.now = 2.0
        return exact.rref(M)

    monkeypatch.setattr(subset_sum, "rref", rref)
    with pytest.raises(DeadlinePassed, match="a kernel of dimension 2 over 6 of them: the deadline passed after 0 "
                                             "of the 2.2 0/1 choices"):
        find_subset_with_sum(vectors, target, deadline=1.0)


def test_an_rref_predicted_past_the_deadline_is_not_started(clock, monkeypatch):
    """Twelve vectors in dimension one: the normal equations are singular, solved by two RREFs that are not started
    when predicted to end past the deadline (here: predicted at 20,736 s each); a deadline already passed stops the
    search before the Gram matrix."""
    monkeypatch.setattr(subset_sum, "solve", _never("the solve of the normal equations"))
    monkeypatch.setattr(subset_sum, "RREF_SECONDS", 1.0)
    with pytest.raises(DeadlinePassed, match="two RREFs. .predicted 4.1e.04 s. would end past the deadline"):
        find_subset_with_sum(_SCALARS, (fmpq(5),), deadline=60.0)
    with pytest.raises(DeadlinePassed, match="over 12 vectors: the deadline passed before the Gram matrix"):
        find_subset_with_sum(_SCALARS, (fmpq(5),), deadline=-1.0)


def test_the_zero_sum_search_stops_meeting_in_the_middle_at_the_deadline(clock, monkeypatch):
    """Denominators divisible by the prime leave the stages modulo p out and, with LLL finding nothing, ten vectors
    in the plane without a zero-sum set are met in the middle: the deadline passes once the first half-sum is
    hashed, and the answer is ``"undecided"`` instead of ``"none"``."""
    monkeypatch.setattr(zero_sum, "_lll_witness", lambda vectors, comp: None)
    vectors = [tuple(fmpq(x, exact.PRIME) for x in v) for v in [(4, -8), (-1, 7), (6, 3), (0, 6), (2, 9), (-3, 7),
                                                                  (-5, 0), (-5, -6), (-1, 8), (-5, 0)]]
    assert find_zero_sum_set(vectors).status == "none"
    hashed = _past_at_the_first_hash(clock, monkeypatch, zero_sum)
    decision = find_zero_sum_set(vectors, deadline=1.0)
    assert decision.status == "undecided" and len(hashed) == 1
    assert decision.tried[-1] == "meet in the middle on a component of 10: the deadline passed after 1 of the 32 " \
                                 "subset sums of a half"
