"""The theorem of one spare neuron (semialg.families.shallow.one_spare): width N + 1 over N kink hyperplanes with
one opposite pair, decided by the screen modulo a prime. Checked against the independent route of the engine
(the exact count of the fibre's components over combinatorial types) on small parameters: wherever the theorem
applies that route proves the parameter identifiable too, and wherever it finds a member outside the orbit the
theorem does not apply."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.engine.identifiability import IdentifiabilityResult, ProofStep, _shallow_proof
from semialg.errors import CertificateError
from semialg.families.shallow.one_spare import OneSpareScreened, OneSpareTheorem


def _with_pair(seed: int, m: int, n: int, k: int) -> sa.Network:
    rng = random.Random(seed)
    W = [[rng.randint(-3, 3) for _ in range(m)] for _ in range(n)]
    b = [rng.randint(-3, 3) for _ in range(n)]
    lam = rng.choice([1, 2, 3])
    W[-1], b[-1] = [-lam * x for x in W[0]], -lam * b[0]
    V = [[rng.choice([-3, -2, -1, 1, 2, 3]) for _ in range(n)] for _ in range(k)]
    return sa.Network.from_arrays([W, V], [b, [rng.randint(-2, 2) for _ in range(k)]])


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(2, 3), st.integers(4, 6), st.integers(2, 3))
def test_the_theorem_agrees_with_the_count_of_types(seed, m, n, k):
    net = _with_pair(seed, m, n, k)
    why = OneSpareScreened().failure(net)
    found = _shallow_proof(net, [])
    if why is None:
        assert isinstance(found, tuple) and isinstance(found[0], ProofStep)   # the count proves it too
    if found is not None and not isinstance(found[0], ProofStep):              # a member outside the orbit
        assert why is not None


def test_a_proof_needs_its_hypotheses():
    net = sa.Network.from_arrays([[[1, 0], [0, 1], [1, 1], [-2, -2]], [[1, 2, 3, 1], [2, -1, 1, 3]]],
                                 [[0, 1, -1, 2], [0, 0]])
    steps = (ProofStep("spare neuron on a kink hyperplane screened", "", OneSpareScreened()),
             ProofStep("theorem of one spare neuron (one hidden layer)", "", OneSpareTheorem()))
    assert IdentifiabilityResult("identifiable", steps).verify(net)
    two_pairs = sa.Network.from_arrays([[[1, 0], [0, 1], [-1, 0], [0, -1]], [[1, 2, 3, 1], [2, -1, 1, 3]]],
                                       [[0, 1, 0, -1], [0, 0]])
    with pytest.raises(CertificateError, match="opposite pair|width"):
        IdentifiabilityResult("identifiable", steps).verify(two_pairs)
    with pytest.raises(CertificateError):              # a step missing
        IdentifiabilityResult("identifiable", steps[:1]).verify(net)


@pytest.mark.slow
def test_an_opposite_pair_at_mnist_width_is_proven_identifiable():
    """784-1024-10 with an opposite pair: "unknown" before (the 1,024 hyperplane patterns of the count exceed its
    budget); the theorem proves it, and the proof verifies."""
    rng = np.random.default_rng(0)
    W1, b1 = rng.normal(size=(1024, 784)).astype(np.float32), rng.normal(size=1024).astype(np.float32)
    W2, b2 = rng.normal(size=(10, 1024)).astype(np.float32), rng.normal(size=10).astype(np.float32)
    W1[1], b1[1] = -2 * W1[0], -2 * b1[0]
    net = sa.Network.from_arrays([W1, W2], [b1, b2])
    r = sa.identifiable(net, budget=120)
    assert r.status == "identifiable" and r.proof[0].name == "spare neuron on a kink hyperplane screened"
    assert r.verify(net)
