"""Peeling by p-adic valuations (semialg.geometry.valuation_peeling): every vector it peels lies in no zero-sum set,
against brute force over every subset; its certificates re-check and forgeries are refused; the 0-factor condition
of a bottleneck network wider than its input, far beyond the exact stages, is decided by it."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from conftest import float32_network
from semialg.engine.neurons import flip_terms
from semialg.errors import CertificateError
from semialg.geometry.valuation_peeling import check_peeling, peeling, valuation
from semialg.geometry.zero_sum import ZeroSumDecision, find_zero_sum_set, zero_sum_sets

# 2- and 3-adic valuations from -2 to 3, signs, and zeros: ties and unique minima both occur
ENTRY = st.one_of(st.just(fmpq(0)),
                  st.builds(lambda s, a, b, u: fmpq(s * u * 2 ** max(a, 0) * 3 ** max(b, 0),
                                                    2 ** max(-a, 0) * 3 ** max(-b, 0)),
                            st.sampled_from([-1, 1]), st.integers(-2, 3), st.integers(-2, 3),
                            st.sampled_from([1, 5, 7])))


def _zero_sum_sets(vectors) -> list[frozenset[int]]:
    dim = len(vectors[0])
    return [frozenset(S) for size in range(1, len(vectors) + 1)
            for S in itertools.combinations(range(len(vectors)), size) if not any(sum((vectors[k][r] for k in S), fmpq(0)) for r in range(dim))]


def _in_zero_sum_sets(vectors) -> set[int]:
    return {i for S in _zero_sum_sets(vectors) for i in S}


@st.composite
def vectors_with_planted_sums(draw):
    dim, n = draw(st.integers(1, 3)), draw(st.integers(1, 8))
    out = [tuple(draw(ENTRY) for _ in range(dim)) for _ in range(n)]
    for _ in range(draw(st.integers(0, 2))):         # the negated sum of some of them: a zero-sum set
        S = draw(st.lists(st.integers(0, len(out) - 1), min_size=1, max_size=3, unique=True))
        out.append(tuple(-sum((out[i][r] for i in S), fmpq(0)) for r in range(dim)))
    return out


@settings(max_examples=300, deadline=None)
@given(vectors_with_planted_sums())
def test_peeled_vectors_lie_in_no_zero_sum_set(vectors):
    found = peeling(vectors)
    peeled = check_peeling(vectors, found.steps)
    assert peeled == found.peeled
    assert not set(peeled) & _in_zero_sum_sets(vectors)
    if found.zero_sum is not None:
        assert not any(sum((vectors[i][r] for i in found.zero_sum), fmpq(0)) for r in range(len(vectors[0])))


@settings(max_examples=300, deadline=None)
@given(vectors_with_planted_sums())
def test_each_step_is_a_unique_smallest_valuation_or_a_tie_of_two_among_the_classes_left(vectors):
    """The definition, step by step, with classes and their sums kept here and valuations computed from the
    fractions' factorizations; at the end every zero-sum set (brute force) is a union of classes left."""
    def nu(x, p):
        if x == 0:
            return None
        a, b, v = abs(int(x.p)), int(x.q), 0
        while a % p == 0:
            a, v = a // p, v + 1
        while b % p == 0:
            b, v = b // p, v - 1
        return v

    classes = [frozenset([i]) for i in range(len(vectors))]
    found = peeling(vectors)
    for *named, j, p in found.steps:
        mine = {next(c for c in classes if i in c) for i in named}
        assert len(mine) == len(named)
        vals = {c: nu(sum((vectors[k][j] for k in c), fmpq(0)), p) for c in classes}
        least = min(v for v in vals.values() if v is not None)
        assert {c for c, v in vals.items() if v == least} == mine
        assert valuation(sum((vectors[k][j] for k in next(iter(mine))), fmpq(0)), p) == least
        classes = [c for c in classes if c not in mine] + ([] if len(named) == 1 else [frozenset().union(*mine)])
    left = frozenset().union(*classes)
    for S in _zero_sum_sets(vectors):
        assert S <= left and all(c <= S or not c & S for c in classes)


@settings(max_examples=200, deadline=None)
@given(vectors_with_planted_sums())
def test_the_decision_with_peeling_agrees_with_brute_force(vectors):
    d = find_zero_sum_set(vectors)
    assert (d.status == "found") == bool(_in_zero_sum_sets(vectors))
    assert d.status != "undecided" and d.verify(vectors)
    assert {i for S in zero_sum_sets(vectors) for i in S} == _in_zero_sum_sets(vectors)


def test_forged_peelings_are_refused():
    vectors = [(fmpq(1), fmpq(3)), (fmpq(2), fmpq(5)), (fmpq(4), fmpq(6)), (fmpq(-8), fmpq(10))]
    steps = peeling(vectors).steps
    assert steps == ((0, 0, 2), (1, 0, 2), (2, 0, 2), (3, 0, 2)) and check_peeling(vectors, steps) == (0, 1, 2, 3)
    forged = [
        ((1, 0, 2), (0, 0, 2)),                         # nu_2(2) = 1 is not below nu_2(1) = 0
        ((0, 1, 2),),                                   # nu_2(3) = nu_2(5) = 0: a tie
        ((0, 0, 2), (1, 0, 2), (2, 0, 3), (3, 0, 2)),   # nu_3(4) = nu_3(-8) = 0: a tie
        ((0, 0, 4),),                                   # 4 is not a prime
        ((0, 0, 2), (0, 0, 2)),                         # a vector twice
        ((9, 0, 2),),                                   # no such vector
        ((0, 5, 2),),                                   # no such coordinate
        [(0, 0, 2)],                                    # not a tuple
        ((0, 0, 2.0),),                                 # not integers
    ]
    for f in forged:
        with pytest.raises(CertificateError):
            check_peeling(vectors, f)


def test_forged_joins_are_refused():
    """1, 3 tie at nu_2 = 0 below 2: joined (vector 4, nu_2 = 2), then 2 and the class peel; 1, 3, 5 is a tie of
    three, which is no join."""
    vectors = [(fmpq(1),), (fmpq(3),), (fmpq(2),)]
    assert check_peeling(vectors, ((0, 1, 0, 2), (2, 0, 2), (1, 0, 2))) == (2, 0, 1)
    forged = [
        ((0, 2, 0, 2),),                                # nu_2: 0, 1: not the two smallest
        ((0, 0, 0, 2),),                                # one vector twice
        ((0, 1, 0, 2), (0, 1, 0, 2)),                   # one class twice
        ((0, 1, 0, 2), (0, 0, 2)),                      # nu_2(4) = 2 is not below nu_2(2) = 1
        ((0, 1, 0, 3),),                                # nu_3: 0, 1, 0: a tie, but of vectors 0 and 2
    ]
    for f in forged:
        with pytest.raises(CertificateError):
            check_peeling(vectors, f)
    with pytest.raises(CertificateError):
        check_peeling(vectors + [(fmpq(5),)], ((0, 1, 0, 2),))


def test_a_peeling_naming_a_vector_of_a_zero_sum_set_does_not_verify():
    vectors = [(fmpq(1),), (fmpq(-1),), (fmpq(4),)]
    d = find_zero_sum_set(vectors)
    assert d.status == "found" and d.witness == (0, 1) and d.verify(vectors)
    forged = ZeroSumDecision("none", proof=(("valuation", (0, 1, 2), ((0, 0, 2), (1, 0, 2), (2, 0, 2))),))
    with pytest.raises(CertificateError):
        forged.verify(vectors)
    for malformed in ((("valuation", (2,)),), [("valuation", (2,), ((2, 0, 3),))], ("valuation",)):
        with pytest.raises(CertificateError):       # not a tuple of (kind, component, data) triples
            ZeroSumDecision("none", proof=malformed).verify(vectors)
    partial = ZeroSumDecision("none", proof=(("valuation", (2,), ((2, 0, 3),)),))   # nu_3: 0, 0, 0: no
    with pytest.raises(CertificateError):
        partial.verify(vectors)
    honest = find_zero_sum_set([(fmpq(1),), (fmpq(2),), (fmpq(4),)])
    assert honest.status == "none" and [k for k, _, _ in honest.proof] == ["valuation"]
    with pytest.raises(CertificateError):            # the same proof claims a different order of the vectors
        dataclasses.replace(honest, proof=(("valuation", (2, 1, 0), honest.proof[0][2]),)).verify(
            [(fmpq(1),), (fmpq(2),), (fmpq(4),)])


def test_a_partial_peeling_leaves_the_rest_to_the_other_stages():
    """Vectors 0-2 peel (2-adic valuations -3 < -2 < -1 below the others); 3-5 are a zero-sum set (joined: 3, 5 tie
    at nu_2 = 0, then 8, -8 at nu_2 = 3); 5, 7, -11 tie by three in both coordinates, for 2 and 3, and the stages
    modulo p or Gordan's alternative refute them."""
    peel = [(fmpq(1, 8), fmpq(0)), (fmpq(1, 4), fmpq(0)), (fmpq(1, 2), fmpq(0))]
    odd = [(fmpq(3), fmpq(1)), (fmpq(5), fmpq(1)), (fmpq(-8), fmpq(-2))]
    d = find_zero_sum_set(peel + odd)
    assert d.status == "found" and d.witness == (3, 4, 5) and d.verify(peel + odd)
    vectors = peel + [(fmpq(5), fmpq(1)), (fmpq(7), fmpq(1)), (fmpq(-11), fmpq(1))]    # ties of three for 2 and 3
    assert not _in_zero_sum_sets(vectors)
    d = find_zero_sum_set(vectors)
    assert d.status == "none" and d.verify(vectors) and d.proof[0][0] == "valuation"
    assert d.proof[0][1] == (0, 1, 2) and {k for k, _, _ in d.proof[1:]} <= {"modular", "gordan"} and d.proof[1:]


def test_dependent_flip_terms_beyond_the_exact_stages_are_decided():
    r"""The 384 terms $v_iw_i \in \mathbb{Q}^{96}$ of a float32 96-384-1-3 bottleneck: 288 dependencies, more than the
    exact stages take; peeled completely. With the negated sum of three appended, that set is found."""
    V = flip_terms(float32_network((96, 384, 1, 3), seed=1), 1)
    d = find_zero_sum_set(V)
    assert d.status == "none" and [k for k, _, _ in d.proof] == ["valuation"] and d.verify(V)
    planted = list(V) + [tuple(-(a + b + c) for a, b, c in zip(V[5], V[17], V[40], strict=True))]
    found = find_zero_sum_set(planted)
    assert found.status == "found" and found.witness == (5, 17, 40, 384) and found.verify(planted)


def test_the_inner_zero_factor_of_784_1024_1_10_is_peeled():
    """A 784-1024-1-10 bottleneck from float32 weights: 1,024 flip terms in dimension 784 (more than the exact
    stages take). The peeling proves that no 0-factor exists, and the identifiability proof goes through."""
    net = float32_network((784, 1024, 1, 10), seed=0)
    V = flip_terms(net, 1)
    d = find_zero_sum_set(V)
    assert d.status == "none" and [k for k, _, _ in d.proof] == ["valuation"] and d.verify(V)
    r = sa.identifiable(net, budget=60)
    assert r.status == "identifiable" and r.verify(net)


def test_joins_decide_flip_terms_where_peeling_alone_stops():
    """64-352-1-3 from float32 weights, seed 0: peeling alone rules out 125 of the 352 terms, with joins all of
    them; the certificate replays. A planted zero-sum set of three is found."""
    V = flip_terms(float32_network((64, 352, 1, 3), seed=0), 1)
    alone = peeling(V, joins=False)
    assert len(alone.peeled) < len(V) and check_peeling(V, alone.steps) == alone.peeled
    d = find_zero_sum_set(V)
    assert d.status == "none" and [k for k, _, _ in d.proof] == ["valuation"] and d.verify(V)
    assert any(len(step) == 4 for step in d.proof[0][2])
    planted = list(V) + [tuple(-(a + b + c) for a, b, c in zip(V[5], V[17], V[40], strict=True))]
    found = find_zero_sum_set(planted)
    assert found.status == "found" and found.witness == (5, 17, 40, 352) and found.verify(planted)


# -- valuations from a factored form ---------------------------------------------------------------------------

def _matrix(draw, r, c, form):
    import numpy as np

    from semialg.core.rational_matrix import RationalMatrix
    if form == "floats":    # 2^-600 and 2^600 side by side: no int64 integer form, the exact floats are kept
        F = [[draw(st.sampled_from([0.0, 1.0, -3.0, 0.75, 5 * 2.0 ** -600, -2.0 ** 600, 3 * 2.0 ** 9]))
              for _ in range(c)] for _ in range(r)]
        F[0][0] = 2.0 ** -600
        F[-1][-1] = 2.0 ** 600
        M = RationalMatrix.of(np.array(F))
        assert M.floats is not None
        return M
    rows = [[draw(ENTRY) for _ in range(c)] for _ in range(r)]
    if form == "object":    # 3^60: the integer form holds Python integers
        rows[0][0] = fmpq(3 ** 60)
    M = RationalMatrix.from_rows([tuple(row) for row in rows])
    assert (M.numerators.dtype == object) == (form == "object")
    return M


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(1, 4), st.integers(1, 4), st.sampled_from(["int64", "object", "floats"]))
def test_valuation_table_is_the_valuation_of_every_entry(data, r, c, form):
    from semialg.geometry.valuation_peeling import valuation_table
    M = _matrix(data.draw, r, c, form)
    for p in (2, 3, 5):
        assert valuation_table(M, p).tolist() == [[valuation(x, p) for x in row] for row in M.rows]


@st.composite
def factors(draw):
    from semialg.core.rational_matrix import RationalMatrix
    n, k, m = draw(st.integers(1, 7)), draw(st.integers(1, 2)), draw(st.integers(1, 3))
    out = [RationalMatrix.from_rows([tuple(draw(ENTRY) for _ in range(c)) for _ in range(n)]) for c in (k, m)]
    # with the integer forms at hand the classes joined are added as scaled integers, else as rationals
    return tuple(RationalMatrix.from_integers(M.numerators, M.denominator) if draw(st.booleans()) else M
                 for M in out)


@settings(max_examples=300, deadline=None)
@given(factors())
def test_outer_products_and_the_peelings_they_serve_are_those_of_the_vectors(aw):
    """The vectors a_i (x) w_i read lazily, their zero vectors and their valuations (from the factors) are those of
    the vectors multiplied out; the peeling is the peeling of the vectors, and so is the replay of every peeling
    and of each of its forgeries (a step dropped, two steps exchanged, a prime changed); the zero-sum decision is
    the same and verifies on the lazy vectors; the zero-sum sets listed are those of the vectors, and all of them
    (by brute force)."""
    from semialg.geometry.valuation_peeling import OuterProducts
    a, w = aw
    V = [tuple(x * y for x in a[i] for y in w[i]) for i in range(len(w))]
    lazy = OuterProducts(a, w)
    assert lazy.valuations(3).tolist() == [[valuation(x, 3) for x in v] for v in V]
    assert [lazy[i] for i in reversed(range(len(V)))] == V[::-1] and list(lazy) == V and lazy[-1] == V[-1]
    assert OuterProducts(a, w).zero_vectors() == [i for i, v in enumerate(V) if not any(v)]
    for p in (2, 3, 5):
        assert OuterProducts(a, w).valuations(p).tolist() == [[valuation(x, p) for x in v] for v in V]
    decision = find_zero_sum_set(OuterProducts(a, w))
    assert (decision.status, decision.witness) == (find_zero_sum_set(V).status, find_zero_sum_set(V).witness)
    listed = zero_sum_sets(OuterProducts(a, w))
    assert listed == zero_sum_sets(V) and sorted(map(frozenset, listed), key=sorted) == sorted(_zero_sum_sets(V), key=sorted)
    assert decision.verify(OuterProducts(a, w)) and decision.verify(V)
    if not any(any(v) for v in V):
        return
    found = peeling(OuterProducts(a, w))
    assert found == peeling(V)
    steps = found.steps
    variants = [steps] + [steps[:i] + steps[i + 1:] for i in range(len(steps))] + \
        [steps[:i] + (steps[i + 1], steps[i]) + steps[i + 2:] for i in range(len(steps) - 1)] + \
        [steps[:i] + (steps[i][:-1] + (5 - steps[i][-1] + 2 * (steps[i][-1] == 5),),) + steps[i + 1:]
         for i in range(len(steps))]

    def replay(steps, vectors):
        try:
            return check_peeling(vectors, steps)
        except CertificateError as e:
            return str(e)
    for forged in variants:
        assert replay(forged, OuterProducts(a, w)) == replay(forged, V)


def test_valuations_of_the_wrong_shape_are_refused():
    import numpy as np
    V = [(fmpq(1), fmpq(2)), (fmpq(3), fmpq(4))]
    with pytest.raises(ValueError, match="shape"):
        peeling(V, valuations=lambda p: np.zeros((1, 2), dtype=np.int64))


@settings(max_examples=300, deadline=None)
@given(vectors_with_planted_sums())
def test_given_valuations_serve_the_vectors_and_the_classes_joined_are_read_afresh(vectors):
    """With the vectors' valuations given, the peeling is the peeling without them: the classes joined (whose
    vectors are sums) are read from their sums, in every coordinate and prime read after the join."""
    import numpy as np

    def val(p):
        return np.array([[valuation(x, p) for x in v] for v in vectors], dtype=np.int64)
    found = peeling(vectors, valuations=val)
    assert found == peeling(vectors)
    assert check_peeling(vectors, found.steps, val) == check_peeling(vectors, found.steps)


def test_a_deadline_stops_the_scans_too(monkeypatch):
    """The deadline is looked at between the passes of a scan, not only between blocks of coordinates (a pass is
    O(nD): the scans of the last block ran seconds past ``identifiable``'s budget at 784-4096-1-10). A clock that
    passes the deadline right after the first block is read: nothing is peeled (before, the first block's scan
    peeled on); without the deadline everything peels."""
    import random

    from semialg.geometry import valuation_peeling

    rng = random.Random(0)
    vectors = [tuple(fmpq(rng.choice([1, 3, 5, 7]) * rng.choice([-1, 1]), 2 ** rng.randint(0, 12)) for _ in range(3))
               for _ in range(6)]
    assert len(peeling(vectors).peeled) == 6
    ticks = iter([0.0])
    monkeypatch.setattr(valuation_peeling.time, "monotonic", lambda: next(ticks, 10.0))
    assert peeling(vectors, deadline=5.0).steps == ()


def test_integer_forms_appearing_during_a_peeling_leave_its_sums_exact():
    """Flip terms -2, -3, 5 (1/1, 3/2, -5/2 times -2) from matrices read without integer forms: the valuations
    build the forms during the peeling, and the classes joined must still be added in one scale (they were added
    as 2 (-3/2 + 5/2) scaled by 2, and 0 peeled: a vector of the zero-sum set {0, 1, 2})."""
    from semialg.core.rational_matrix import RationalMatrix
    from semialg.geometry.valuation_peeling import OuterProducts
    a = RationalMatrix.from_rows([(fmpq(1),), (fmpq(3, 2),), (fmpq(-5, 2),)])
    w = RationalMatrix.from_rows([(fmpq(-2),)] * 3)
    assert not a.has_integer_form and not w.has_integer_form
    found = peeling(OuterProducts(a, w))
    assert found.zero_sum == (0, 1, 2) and found.peeled == ()


def test_the_stages_after_the_peeling_start_only_when_predicted_to_end_in_time(monkeypatch):
    """Three equal vectors tie at every valuation: nothing peels, and only the stages after the peeling (kernel
    modulo p, Gordan) decide that no subset sums to 0. Predicted past the deadline they are not started: undecided,
    saying so (``find_zero_sum_set``), or :class:`UndecidedError` (``zero_sum_sets``); with time, the answer."""
    import time

    from semialg.errors import UndecidedError
    from semialg.geometry import zero_sum

    vectors = [(fmpq(1), fmpq(3))] * 3
    assert find_zero_sum_set(vectors, deadline=time.monotonic() + 60).status == "none"
    assert zero_sum_sets(vectors, deadline=time.monotonic() + 60) == []
    monkeypatch.setattr(zero_sum, "AFTER_PEELING_ENTRY_SECONDS", 100.0)      # 600 s predicted
    d = find_zero_sum_set(vectors, deadline=time.monotonic() + 60)
    assert d.status == "undecided" and "after the peeling" in d.tried[-1] and "0 of 3" in d.tried[-2]
    assert find_zero_sum_set(vectors).status == "none"
    with pytest.raises(UndecidedError, match="after the peeling"):
        zero_sum_sets(vectors, deadline=time.monotonic() + 60)
    assert zero_sum_sets(vectors) == []


@pytest.mark.parametrize("plant", [False, True])
def test_the_zero_factor_condition_is_decided_by_peeling_when_the_sketch_would_be_late(monkeypatch, plant):
    """A float32 48-96-3 layer (96 <= 3 * 48: the rank-one sketch's case) with the sketch predicted past the budget:
    the 0-factor search peels the terms of the first output by their valuations and proves that no 0-factor exists;
    its certificate replays on the full terms a_i w_i^T; `zero_factors` lists none so. With a planted 0-factor (two
    neurons made one and a third cancelling them) the search finds it, and the condition fails with that witness."""
    import time

    from semialg.core.network import Network
    from semialg.engine import neurons
    from semialg.engine.loci import genericity

    net = float32_network((48, 96, 3), seed=1)
    if plant:
        W1, A = [list(r) for r in net.weights[0].rows], [list(r) for r in net.weights[1].rows]
        W1[2] = W1[1] = W1[0]
        for r in A:
            r[2] = -(r[0] + r[1])
        net = Network.from_arrays([W1, A], [net.biases[0], net.biases[1]])
    monkeypatch.setattr(neurons, "rank_one_sketch_seconds", lambda *args: 10.0 ** 9)
    assert neurons.zero_factors(net, 1, deadline=time.monotonic() + 60) == ([(0, 1, 2)] if plant else [])
    report = genericity(net, deadline=time.monotonic() + 60)
    (cond,) = [c for c in report.conditions if c.name == "no zero factor"]
    assert cond.holds is (not plant) and report.verify(net)
    if plant:
        assert tuple(cond.witness) == (0, 1, 2)
    else:
        assert cond.certificate.proof[0][0] == "valuation" and "first output" in cond.certificate.tried[0]
        assert max(step[-2] for step in cond.certificate.proof[0][2]) < 48       # coordinates of the first output
