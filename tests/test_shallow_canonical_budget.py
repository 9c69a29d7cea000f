"""Shallow equivalence keeps its budget: when the replayable move chain would end past it, the equal canonical
forms (a complete invariant) are the certificate.

At 784-4096-10 with a dead neuron moved the chain took 110 s against a budget of 10 s (the canonical forms 3.5 s);
with the prediction the answer is "equivalent" in 9 s, certified by :class:`CanonicalFormCertificate`, whose
``verify`` recomputes both canonical forms (3.7 s). Here the prediction is forced by raising its constant, and the
certificate is checked against exact evaluation and against forged claims.
"""

from __future__ import annotations

import dataclasses
import random
import time

import pytest
from flint import fmpq

import semialg as sa
from semialg import Network
from semialg.core.certificate import EquivalenceResult
from semialg.errors import CertificateError
from semialg.families.shallow import canonical
from semialg.families.bottleneck.inner_moves import MoveOfH
from semialg.families.shallow.canonical import CanonicalFormCertificate, SameCanonicalForm


def _pair(seed: int):
    """A shallow network with a dead neuron (output weights 0) and the same with that neuron's row moved."""
    net = Network.random((3, 5, 2), seed=seed, height=3)
    W1, W2 = [list(map(list, W)) for W in net.weights]
    for r in W2:
        r[0] = 0
    a = Network.from_arrays([W1, W2], [list(net.biases[0]), list(net.biases[1])])
    W1b = [list(r) for r in W1]
    W1b[0] = [x + 1 for x in W1b[0]]
    return a, Network.from_arrays([W1b, W2], [list(net.biases[0]), list(net.biases[1])])


def _agree(a: Network, b: Network, seed: int = 0) -> bool:
    rng = random.Random(seed)
    return all(a(x) == b(x) for x in ([fmpq(rng.randint(-50, 50), rng.randint(1, 7)) for _ in range(3)]
                                      for _ in range(100)))


@pytest.mark.parametrize("seed", range(4))
def test_a_late_chain_is_replaced_by_the_canonical_forms(seed, monkeypatch):
    a, b = _pair(seed)
    assert _agree(a, b)
    assert type(canonical.equivalent(a, b, time.monotonic() + 60).certificate).__name__ == "MoveCertificate"
    monkeypatch.setattr(canonical, "MOVE_SECONDS_PER_WEIGHT", 10.0)       # every chain predicted late
    r = canonical.equivalent(a, b, time.monotonic() + 60)
    assert r.equivalent is True and isinstance(r.certificate, CanonicalFormCertificate) and r.verify(a, b)
    assert "past the budget" in r.method
    assert type(canonical.equivalent(a, b).certificate).__name__ == "MoveCertificate"    # no deadline: the chain
    r = sa.equivalent(a, b, budget=60)
    assert isinstance(r.certificate, CanonicalFormCertificate) and r.verify(a, b)


def test_the_canonical_form_certificate_refuses_different_functions():
    a, b = _pair(0)
    c = a.replace_layer(2, bias=[a.biases[1][0] + 1, a.biases[1][1]])
    assert not _agree(a, c)
    assert CanonicalFormCertificate().verify(a, b)
    with pytest.raises(CertificateError, match="canonical forms differ"):
        EquivalenceResult(True, CanonicalFormCertificate()).verify(a, c)
    with pytest.raises(CertificateError):
        EquivalenceResult(False, CanonicalFormCertificate()).verify(a, b)      # it supports "equivalent" only


def test_bottleneck_inner_network_past_the_budget_is_replaced_in_one_move(monkeypatch):
    # n0 = 3: the inner networks' moves are tried first; when their chain would end past the budget, the inner
    # network is replaced by the other's (same canonical form: recorded as the test compared them, replayed by
    # verify)
    net = Network.from_arrays([[[1, 0, 2], [0, 1, -1], [2, 1, 1], [1, 1, 1]], [[1, 2, -1, 0]], [[1], [2]]],
                              [[0, 1, -1, 2], [1], [0, 1]])
    moved = net.replace_layer(1, [[1, 0, 2], [0, 1, -1], [2, 1, 1], [3, -1, 2]])    # neuron 4 has v = 0
    assert _agree(net, moved)
    assert sa.equivalent(net, moved, budget=60).equivalent is True
    monkeypatch.setattr(canonical, "MOVE_SECONDS_PER_WEIGHT", 10.0)
    r = sa.equivalent(net, moved, budget=60)
    assert r.equivalent is True and r.verify(net, moved)
    cert = r.certificate
    assert any(isinstance(mv, MoveOfH) and isinstance(mv.move, SameCanonicalForm) for mv in cert.moves1 + cert.moves2)
    assert cert.mechanisms(net, moved) == ["constant neurons (D)"]
    # the same move to an inner network of another function is refused
    other = Network.from_arrays([[[1, 0, 2], [0, 1, -1], [2, 1, 1], [3, -1, 2]], [[1, 2, -1, 1]]], [[0, 1, -1, 2], [1]])
    forged = dataclasses.replace(cert, moves1=tuple(MoveOfH(SameCanonicalForm(other)) if isinstance(mv, MoveOfH)
                                                    else mv for mv in cert.moves1))
    with pytest.raises(CertificateError, match="canonical form"):
        forged.verify(net, moved)


def test_the_replacing_move_checks_the_canonical_forms():
    a, b = _pair(1)
    assert SameCanonicalForm(b).apply(a) == b
    c = a.replace_layer(2, bias=[a.biases[1][0] + 1, a.biases[1][1]])
    with pytest.raises(CertificateError, match="canonical form"):
        SameCanonicalForm(c).apply(a)
    wider = Network.from_arrays([list(map(list, a.weights[0])) + [[0, 0, 0]], [list(r) + [0] for r in a.weights[1]]],
                                [list(a.biases[0]) + [0], list(a.biases[1])])
    assert _agree(a, wider)
    with pytest.raises(CertificateError, match="width"):
        SameCanonicalForm(wider).apply(a)          # a move keeps the width: the certificate's ends are compared
