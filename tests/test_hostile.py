"""A hostile corpus generated at test time: forged certificates, hostile numbers, hostile files, hostile command
lines and interrupts. Every case must end in a clean, one-line refusal (or a refusal to verify)."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from flint import fmpq

import semialg as sa
from semialg import CertificateError, Network
from semialg.core.certificate import EquivalenceResult, OrbitCertificate, PointCertificate
from semialg.geometry.polyhedron import Polytope

from conftest import ROOT


# == forged certificates ===================================================================================

def _pairs():
    """(equivalent pair, non-equivalent pair) for every family: shallow, bottleneck (b), deep."""
    out = []
    for widths, seed in (((2, 3, 1), 1), ((2, 1, 2, 1), 2), ((2, 2, 2, 1), 3)):
        net = Network.random(widths, seed=seed)
        image = sa.GroupElement.random(net.architecture, seed=seed + 10).act(net)
        other = Network.random(widths, seed=seed + 20)
        out.append(((net, image), (net, other)))
    return out


@pytest.mark.parametrize("eq_pair, ne_pair", _pairs())
def test_genuine_results_verify_and_forgeries_do_not(eq_pair, ne_pair):
    yes, no = sa.equivalent(*eq_pair), sa.equivalent(*ne_pair)
    assert yes and not no and yes.verify(*eq_pair) and no.verify(*ne_pair)
    forgeries = [
        (EquivalenceResult(not yes.equivalent, yes.certificate, yes.method), eq_pair),   # flipped answers
        (EquivalenceResult(not no.equivalent, no.certificate, no.method), ne_pair),
        (EquivalenceResult(True, no.certificate, no.method), ne_pair),                    # swapped certificates
        (EquivalenceResult(False, yes.certificate, yes.method), ne_pair),
        (yes, ne_pair),                                                                   # another pair
        (no, eq_pair),
        (EquivalenceResult(True, "trust me"), eq_pair),                                   # not a certificate
        (EquivalenceResult("yes", yes.certificate), eq_pair),
    ]
    for forged, pair in forgeries:
        with pytest.raises(CertificateError):
            forged.verify(*pair)


def test_point_certificate_values_are_recomputed():
    n1, n2 = Network.random((2, 3, 1), seed=1), Network.random((2, 3, 1), seed=2)
    x = (fmpq(1), fmpq(-2))
    assert n1(x) != n2(x)
    assert PointCertificate(x, (n1(x), n2(x))).verify(n1, n2)
    fake = (tuple(v + 1 for v in n1(x)), n2(x))
    for cert in (PointCertificate(x, fake), PointCertificate(x, (n2(x), n1(x))), PointCertificate(x[:1], fake),
                 PointCertificate((1.5, 2), (n1([1.5, 2]), n2([1.5, 2])))):
        with pytest.raises(CertificateError):
            EquivalenceResult(False, cert).verify(n1, n2)


def test_a_box_certificate_never_supports_an_everywhere_claim():
    # s(x) and x agree on (0, 1) but not everywhere
    relu = Network.from_arrays([[[1]], [[1]]], [[0], [0]])
    ident = Network.from_arrays([[[1], [-1]], [[1, -1]]], [[0, 0], [0]])
    box = Polytope.box([0], [1])
    on_box = sa.equivalent(relu, ident, domain=box)
    assert on_box and on_box.verify(relu, ident) and not sa.equivalent(relu, ident)
    unbound = dataclasses.replace(on_box.certificate, subject=None)
    for forged in (EquivalenceResult(True, on_box.certificate, on_box.method),
                   EquivalenceResult(True, unbound, on_box.method),
                   EquivalenceResult(True, unbound, on_box.method, Polytope.box([-1], [1]))):
        with pytest.raises(CertificateError):
            forged.verify(relu, ident)
    # a separating point outside the domain does not refute equivalence on the domain
    x = (fmpq(-1),)
    with pytest.raises(CertificateError, match="outside the domain"):
        EquivalenceResult(False, PointCertificate(x, (relu(x), ident(x))), domain=box).verify(relu, ident)


def test_a_bound_certificate_refuses_another_pair_it_would_otherwise_prove():
    a, b = Network.random((2, 3, 1), seed=4), Network.random((2, 3, 1), seed=5)
    g = sa.GroupElement.random(a.architecture, seed=6)
    r = sa.equivalent(a, g.act(a))
    assert isinstance(r.certificate, OrbitCertificate) and r.certificate.subject is not None
    dataclasses.replace(r.certificate, subject=None).verify(b, g.act(b))  # the bare element proves (b, g.b) ...
    with pytest.raises(CertificateError, match="another pair"):
        r.verify(b, g.act(b))                                              # ... but this one is about (a, g.a)
    with pytest.raises(CertificateError, match="another pair"):
        r.certificate.verify(b, g.act(b))


def test_certificates_declare_their_answers_and_serialise():
    from semialg.core.certificate import Certificate
    from semialg.engine.regions import RegionCertificate
    from semialg.families.bottleneck import ArrangementCertificate, RidgeCertificate
    from semialg.families.shallow import MoveCertificate
    for cls in (OrbitCertificate, MoveCertificate, RidgeCertificate, ArrangementCertificate, RegionCertificate):
        assert issubclass(cls, Certificate) and cls.SUPPORTS == {True}
    assert PointCertificate.SUPPORTS == {False}
    for eq_pair, ne_pair in _pairs():
        for pair in (eq_pair, ne_pair):
            r = sa.equivalent(*pair)
            data = json.loads(json.dumps(r.to_json()))
            assert data["certificate"]["kind"] == type(r.certificate).__name__
            assert data["certificate"]["subject"]["first"] == sa.core.certificate.network_fingerprint(pair[0])
            assert r.certificate.describe() and r.certificate.to_latex()
    with pytest.raises(TypeError, match="SUPPORTS"):
        @dataclasses.dataclass(frozen=True)
        class Undeclared(Certificate):
            def verify(self, net1, net2):
                return True
