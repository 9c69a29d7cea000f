"""Case-(a) bottlenecks with parallel first-layer rows (``families/bottleneck/ident_line.py``): the line theorem,
tested against a brute-force search of 1-D parameters (exact re-check, sa.equivalent, the orbit search), the
explicit fibre of ``line_fibre.py`` (an independent construction), the engine's witnesses where a hypothesis fails,
and forged proofs."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import numpy as np
import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.engine.identifiability import IdentifiabilityResult, ProofStep, identifiable
from semialg.engine.orbit import orbit_element
from semialg.engine.regions import equivalent as oracle
from semialg.errors import CertificateError
from semialg.families.bottleneck.ident_determined import DeterminedTheorem
from semialg.families.bottleneck.ident_line import LineKinks, LineTheorem, line_failure
from semialg.families.bottleneck.identifiability import hidden_neuron_witnesses
from semialg.families.bottleneck.line_fibre import LineFibre


def _net(W, b, v, e, c, d) -> sa.Network:
    return sa.Network.from_arrays([W, [v], [[c]]], [b, [e], [d]])


#: Formerly "unknown" in the surveys (2-2-1-1 with parallel rows, 1-2-1-1, 1-3-1-1): a plateau with two
#: components of h <= 0, a kink alone in a bounded component of h <= 0, and kinks all in P.
LINE = [([[3, 3], [-2, -2]], [-3, -3], [-1, 2], 3, 3, -1),
        ([[3, -3], [2, -2]], [1, 1], [-3, 2], 2, 3, 2),
        ([[-2, 3], [2, -3]], [-2, -1], [-1, 2], 1, -1, 3),
        ([[0, 1], [0, -1]], [-1, -1], [2, -1], 2, -1, 2),
        ([[-1], [2]], [-3, 1], [-3, -2], 3, 2, 1),                  # plateau [-3, -1/2], h < 0 at both ends
        ([[3], [2]], [1, 2], [1, -1], 1, 2, 1),                      # the kink at -1/3 alone in N = (-1/2, 0)
        ([[-3], [1], [2]], [-2, -1, 3], [-1, 3, -1], 3, 1, 1),
        ([[1], [-2], [-3]], [-2, 3, -3], [-3, -3, 3], 2, 1, 1)]
#: A hypothesis fails and the engine finds a verified witness: a plateau with one component of h <= 0 (a
#: reflection, c' of the other sign); a kink in an unbounded component of h <= 0; a 0-factor (v_1 a_1 + v_2 a_2 = 0:
#: both neurons flipped).
FAILING = [(([[2], [2]], [2, 1], [-1, -3], 3, -1, -3), "plateau"),
           (([[2], [-3]], [-3, 3], [2, 3], -2, 1, 1), "not alone"),
           (([[-1], [1]], [1, 1], [-1, -1], 3, 1, 0), "0-factor")]


@pytest.mark.parametrize("params", LINE)
def test_parallel_rows_are_proven_and_the_proof_carries_over_the_orbit(params):
    net = _net(*params)
    r = identifiable(net, budget=20)
    assert r.status == "identifiable" and r.verify(net)
    assert [s.name for s in r.proof] == ["line kinks", "line bottleneck theorem"]
    g = sa.GroupElement.random(net.architecture, seed=4)
    moved = g.act(net)
    assert line_failure(moved) is None and orbit_element(net, moved) is not None


@pytest.mark.parametrize("params, why", FAILING)
def test_each_failing_hypothesis_has_a_verified_witness(params, why):
    net = _net(*params)
    assert why in line_failure(net)
    r = identifiable(net, budget=20)
    assert r.status == "not identifiable" and r.verify(net)
    assert oracle(net, r.witness) and orbit_element(net, r.witness) is None


def _lifted(params, u) -> sa.Network:
    """The 1-D parameter with its rows a_k replaced by a_k u."""
    W, b, v, e, c, d = params
    return _net([[a[0] * x for x in u] for a in W], b, v, e, c, d)


def test_the_reduction_to_one_input():
    """The 2-D parameter with rows a_k u is proven iff its 1-D parameter is; a 1-D witness lifts to a 2-D witness
    (exact evaluation and the region oracle), outside the orbit."""
    for params in LINE[4:6] + [p for p, _ in FAILING]:
        one, two = _net(*params), _lifted(params, (2, -1))
        assert (line_failure(one) is None) == (line_failure(two) is None)
    r = identifiable(_net(*FAILING[0][0]), budget=20)
    W = tuple((a[0] * 2, a[0] * -1) for a in r.witness.weights[0])
    lifted = sa.Network((W,) + r.witness.weights[1:], r.witness.biases)
    two = _lifted(FAILING[0][0], (2, -1))
    rng = random.Random(3)
    for _ in range(100):
        x = (fmpq(rng.randint(-99, 99), rng.randint(1, 7)), fmpq(rng.randint(-99, 99), rng.randint(1, 7)))
        assert two(x) == lifted(x)
    assert oracle(two, lifted) and orbit_element(two, lifted) is None


def _random(seed: int) -> sa.Network:
    rng = random.Random(seed)
    q = lambda: rng.choice([-3, -2, -1, 1, 2, 3])  # noqa: E731
    n0, n1 = rng.choice([1, 1, 2]), rng.choice([2, 3])
    u = [q() for _ in range(n0)]
    return _net([[a * x for x in u] for a in (q() for _ in range(n1))], [rng.randint(-3, 3) for _ in range(n1)],
                [q() for _ in range(n1)], q(), q(), q())


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_no_candidate_witness_and_no_fibre_member_leaves_the_orbit_when_the_theorem_applies(seed):
    """When the hypotheses hold: every candidate of the family's moves is either not equivalent (region oracle)
    or in the orbit, and so is every sampled member of every listed component of the explicit 1-D fibre."""
    net = _random(seed)
    if line_failure(net) is not None:
        return
    for _, other in hidden_neuron_witnesses(net):
        assert not oracle(net, other) or orbit_element(net, other) is not None
    fib = LineFibre(net)
    for k, index in enumerate(itertools.islice(iter(fib.index), 24)):
        member = fib.sample(k, index)
        assert oracle(net, member) and orbit_element(net, member) is not None


def _rational(x: float, den: int) -> fmpq:
    f = Fraction(x).limit_denominator(den)
    return fmpq(f.numerator, f.denominator)


def _brute(net: sa.Network) -> tuple[int, int]:
    """Every 1-D theta' of width 2 with rows a' in {-1, 0, 1} (positive rescaling), kinks at sixths in [-4, 4]
    and at those of theta, c' = +-c (the bottleneck's rescaling), sigma(h') = +-sigma(h) + t with t in {0, 1}
    (+) or {M, M + 1} (-), the output weights and bias solved by least squares where the target is positive and
    h' <= 0 required where it is 0: each float match is rebuilt exactly and kept if it agrees exactly at 121
    points and sa.equivalent proves it. Returns (members found, members outside the orbit)."""
    a = [float(w[0]) for w in net.weights[0]]
    b = [float(x) for x in net.biases[0]]
    v = np.array([float(x) for x in net.weights[1][0]])
    X = np.array(sorted({i / 7 for i in range(-70, 71)} | {i / 6 for i in range(-60, 61)}))
    h = np.maximum(np.outer(X, a) + b, 0) @ v + float(net.biases[1][0])
    sig = np.maximum(h, 0)
    places = sorted({i / 6 for i in range(-24, 25)} | {-y / x for x, y in zip(a, b)})
    choices = [(0, 1.0), (0, -1.0)] + [(o, s) for s in places for o in (1, -1)]
    targets = [(1, 0.0), (1, 1.0)]
    if h[0] <= h[1] and h[-1] <= h[-2]:
        targets += [(-1, sig.max()), (-1, sig.max() + 1)]
    cols = [np.full_like(X, max(s, 0.0)) if o == 0 else np.maximum(o * (X - s), 0) for o, s in choices]
    pts = [(fmpq(i, 5),) for i in range(-60, 61)]
    found = outside = 0
    for sign, t in targets:
        q = sign * sig + t
        pos = q > 1e-12
        for i, j in itertools.combinations_with_replacement(range(len(choices)), 2):
            Phi = np.stack([cols[i], cols[j], np.ones_like(X)], 1)
            sol = np.linalg.lstsq(Phi[pos], q[pos], rcond=None)[0]
            if np.max(np.abs(Phi[pos] @ sol - q[pos])) > 1e-7 or (~pos).any() and (Phi @ sol)[~pos].max() > 1e-7:
                continue
            exact = [_rational(x, 1000) for x in list(sol) + [t]]
            rows = [(fmpq(choices[k][0]),) for k in (i, j)]
            biases = [fmpq(int(choices[k][1])) if choices[k][0] == 0 else -choices[k][0] * _rational(choices[k][1], 6)
                      for k in (i, j)]
            c = sign * net.weights[2][0][0]
            other = sa.Network((tuple(rows), ((exact[0], exact[1]),), ((c,),)),
                               (tuple(biases), (exact[2],), (net.biases[2][0] - c * exact[3],)))
            if all(net(x) == other(x) for x in pts) and sa.equivalent(net, other):
                found += 1
                outside += orbit_element(net, other) is None
    return found, outside


def test_brute_force_finds_only_the_orbit_exactly_when_the_theorem_applies():
    """1-D parameters of width 2: the brute force finds members, none outside the orbit, for the proven ones, and
    one outside for the 0-factor (the brute force can fail)."""
    for params in LINE[4:6]:
        found, outside = _brute(_net(*params))
        assert found >= 1 and outside == 0
    assert _brute(_net(*FAILING[2][0]))[1] >= 1


def test_forged_line_proofs_are_refused():
    """The proof of a LINE parameter for each FAILING one and for a parameter with non-parallel rows; the steps of
    another theorem; a lenient subclass of the evidence."""
    net = _net(*LINE[0])
    proof = identifiable(net, budget=20).proof
    others = [_net(*p) for p, _ in FAILING] + [_net([[1, 0], [0, 1]], [0, 0], [1, 1], -1, 1, 0)]
    for other in others:
        with pytest.raises(CertificateError):
            IdentifiabilityResult("identifiable", proof).verify(other)
    with pytest.raises(CertificateError):
        IdentifiabilityResult("identifiable", (proof[0], ProofStep("line bottleneck theorem", "",
                                                                   DeterminedTheorem()))).verify(net)

    class Lenient(LineKinks):
        def verify(self, net):
            return True
    for other in others[:3]:
        forged = (ProofStep("line kinks", "", Lenient()), ProofStep("line bottleneck theorem", "", LineTheorem()))
        with pytest.raises(CertificateError):
            IdentifiabilityResult("identifiable", forged).verify(other)
    with pytest.raises(CertificateError):
        LineTheorem().verify(sa.Network.from_arrays([[[1]], [[1], [-1]], [[1, 2]]], [[0], [-1, 2], [0]]))
