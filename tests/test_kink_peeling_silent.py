"""Kink peeling with silent neurons (semialg.engine.kink_peeling, step 4): the value against the exact rank of the
Jacobian rows of every region, forged certificates refused, and no local identifiability claimed from them."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings, strategies as st

import semialg as sa
from conftest import float32_network
from semialg.core.exact import rank
from semialg.engine import functional_dimension as fdim
from semialg.engine import identifiability as ident
from semialg.engine.flat_directions import flat_bound
from semialg.engine.jacobian import parameter_jacobian
from semialg.engine.kink_peeling import kink_peeling_certificate
from semialg.engine.regions import decisive_points
from semialg.errors import CertificateError

KINDS = ("unused", "off", "zero", "pruned")


def plant(net: sa.Network, kind: str, l: int, i: int) -> sa.Network:
    """``net`` with neuron ``i`` of hidden layer ``l`` made silent: its outgoing weights 0 ("unused"), off by its
    signs (incoming weights negated to be <= 0, bias -1; layer >= 2), zero (incoming weights and bias 0), or
    both zero and unused ("pruned")."""
    Ws = [[list(r) for r in W] for W in net.weights]
    bs = [list(b) for b in net.biases]
    if kind in ("unused", "pruned"):
        for r in Ws[l]:
            r[i] = 0
    if kind in ("zero", "pruned"):
        Ws[l - 1][i], bs[l - 1][i] = [0] * len(Ws[l - 1][i]), 0
    if kind == "off":
        Ws[l - 1][i], bs[l - 1][i] = [-abs(v) for v in Ws[l - 1][i]], -1
    return sa.Network.from_arrays(Ws, bs)


def exact_rank(net: sa.Network) -> int:
    """The functional dimension from its definition: the exact rank of the Jacobian rows at the decisive points
    of every region."""
    return rank([row for pattern, points in decisive_points(net) for x in points
                 for row in parameter_jacobian(net, x, pattern)])


BASE = sa.Network.random((5, 6, 4, 3), seed=2)      # kink peeling certifies each kind planted below
SILENT = plant(sa.Network.random((6, 4, 3, 2), seed=5), "unused", 2, 0)


@pytest.fixture(scope="module")
def cert():
    c = kink_peeling_certificate(SILENT)
    assert c is not None and c.silent == 1
    return c


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10 ** 6), st.sampled_from([(5, 4, 4, 2), (4, 5, 4, 2), (6, 5, 4, 3)]),
       st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 3)), min_size=1, max_size=2))
def test_a_certificate_with_silent_neurons_is_the_exact_rank(seed, widths, plants):
    net = sa.Network.random(widths, seed=seed)
    for j, (kind, i) in enumerate(plants):
        net = plant(net, kind, 2 if kind == "off" else 1 + j % 2, i)
    c = kink_peeling_certificate(net)
    if c is not None:
        assert c.verify(net)
        assert c.dimension == exact_rank(net)
        assert (c.dimension < widths_bound(net)) == (c.silent > 0)


def widths_bound(net: sa.Network) -> int:
    return net.architecture.num_parameters - net.architecture.num_hidden


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("l", [1, 2])
def test_each_kind_of_silent_neuron_is_certified(kind, l):
    if kind == "off" and l == 1:
        pytest.skip("a first-layer neuron is off by its signs only when it is zero")
    net = plant(BASE, kind, l, 1)
    c = kink_peeling_certificate(net)
    assert c is not None and c.verify(net) and c.silent == 1
    assert c.dimension == exact_rank(net) < widths_bound(net)
    assert c.dimension == flat_bound(net, image=False)


@pytest.mark.parametrize("kind", KINDS)
def test_a_float32_network_with_a_silent_neuron_is_certified_at_the_flat_bound(kind):
    """The sizes where the regions are out of reach: the certificate (a lower bound) meets the flat bound (an
    upper bound)."""
    net = plant(float32_network((32, 64, 64, 4)), kind, 2, 3)
    c = kink_peeling_certificate(net)
    assert c is not None and c.verify(net)
    assert c.dimension == flat_bound(net, image=False) < widths_bound(net)
    fd = sa.functional_dimension(net, budget=30)        # 6,532 parameters: kink peeling first
    assert fd.value == c.dimension and fd.method == "visible kinks and silent neurons"
    assert "silent" in fd.certificate.describe()


def test_forged_certificates_are_refused(cert):
    D = SILENT.architecture.num_parameters
    with pytest.raises(CertificateError, match="not dim Omega - |C|"):
        dataclasses.replace(cert, dimension=D - SILENT.architecture.num_hidden).verify(SILENT)
    point = cert.kinks[1][1][0]
    kinks = [list(per) for per in cert.kinks]
    kinks[1][0] = (point,)
    with pytest.raises(CertificateError, match="is silent"):
        dataclasses.replace(cert, kinks=tuple(map(tuple, kinks))).verify(SILENT)
    with pytest.raises(CertificateError, match="vanishes at a sample"):
        dataclasses.replace(cert, samples=cert.samples + (point,)).verify(SILENT)
    full = kink_peeling_certificate(sa.Network.random((6, 4, 3, 2), seed=5))
    with pytest.raises(CertificateError, match="claimed dimension"):
        full.verify(SILENT)


def test_a_zero_neuron_may_vanish_at_samples_and_kink_points_but_nothing_else():
    net = plant(BASE, "zero", 2, 1)
    c = kink_peeling_certificate(net)
    assert c is not None and c.verify(net)
    zeros = [sum(1 for layer in net.preactivations(x)[:-1] for v in layer if v == 0) for x in c.samples]
    assert zeros and set(zeros) == {1}                       # the zero neuron, exactly computed
    point = c.kinks[0][0][0]                                 # two vanish there: the zero neuron and the kink
    with pytest.raises(CertificateError, match="vanishes at a sample"):
        dataclasses.replace(c, samples=c.samples + (point,)).verify(net)


def test_no_local_identifiability_from_silent_neurons(cert, monkeypatch):
    step = ident.ProofStep("local identifiability", "kink peeling", cert)
    with pytest.raises(CertificateError, match="silent neurons"):
        step.verify(SILENT)
    why: list = []
    assert kink_peeling_certificate(SILENT, why=why, silent=False) is None
    assert "neuron 1 of layer 2 is silent" in why[0]             # numbered from 1, as every message
    monkeypatch.setattr(ident, "PEEL_FIRST", 10)
    monkeypatch.setattr(fdim, "PEEL_FIRST", 10)
    assert sa.identifiable(SILENT, budget=20).locally_identifiable is not True
    fd = sa.functional_dimension(SILENT)
    assert fd.method == "visible kinks and silent neurons" and fd.value == cert.dimension == exact_rank(SILENT)


@pytest.mark.parametrize("l", [1, 2])
def test_zero_neurons_do_not_bend_the_sampled_rows(l, monkeypatch):
    """A zero neuron vanishes at every input, and every region counts it off: the sampled rows are taken there (they
    were refused everywhere, and the value needed every region)."""
    net = plant(BASE, "zero", l, 1)
    expected = exact_rank(net)

    def no_regions(*args, **kwargs):
        raise AssertionError("regions enumerated")
    monkeypatch.setattr(fdim, "decisive_points", no_regions)
    fd = fdim.functional_dimension(net, method="batch")
    assert fd.value == expected and "sampled batch" in fd.method
    assert all(not net.bent(p) for p in net.activation_patterns(fd.batch))
    assert any(0 in layer for p in net.activation_patterns(fd.batch) for layer in p)


def test_a_positive_weight_from_a_zero_neuron_keeps_a_neuron_off():
    """Found by an independent audit: a zero neuron outputs 0, so a neuron whose only positive input is from it
    (and whose bias is negative) is off by its signs, hence silent, and its rows are quotiented out."""
    from semialg.engine.neurons import off_neurons
    net = sa.Network.from_arrays([[[0, 0], [1, 2], [-1, 1], [2, -1]], [[2, -1, -1, -2], [1, 2, -1, 1], [-1, 1, 2, 1]],
                                  [[1, -2, 1]]], [[0, 1, -1, 2], [-1, 1, -2], [0]])
    assert off_neurons(net) == [(), (0,)]
    assert flat_bound(net, image=False) == exact_rank(net) == 15


def test_a_dimension_that_is_not_an_int_is_refused(cert):
    for forged in (float(cert.dimension), str(cert.dimension)):
        with pytest.raises(CertificateError, match="claimed dimension"):
            dataclasses.replace(cert, dimension=forged).verify(SILENT)
