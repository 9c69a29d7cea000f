"""Kink peeling (semialg.engine.kink_peeling): its value against the exact Jacobian rank of a decisive batch,
forged certificates refused, hidden neurons give no certificate, and the public questions use it."""

from __future__ import annotations

import dataclasses
import time
from fractions import Fraction

import numpy as np
import pytest
from flint import fmpq
from hypothesis import HealthCheck, given, settings, strategies as st

import semialg as sa
from semialg.engine import identifiability as ident
from semialg.engine import functional_dimension as fdim
from semialg.engine.kink_peeling import MAX_POINTS, KinkPeelingCertificate, kink_peeling_certificate
from semialg.errors import CertificateError

NET = sa.Network.random((6, 4, 3, 2), seed=5)


@pytest.fixture(scope="module")
def cert():
    c = kink_peeling_certificate(NET)
    assert c is not None
    return c


def _with_point(cert, l, k, points):
    kinks = [list(map(list, per)) for per in cert.kinks]
    kinks[l - 1][k] = points
    return dataclasses.replace(cert, kinks=tuple(tuple(per) for per in kinks))


def test_value_and_verify(cert):
    arch = NET.architecture
    assert cert.dimension == arch.num_parameters - arch.num_hidden
    assert cert.verify(NET)
    assert fdim.functional_dimension(NET, method="batch").value == cert.dimension   # independent: exact rank
    for l, per in enumerate(cert.kinks, start=1):     # independent exact check of every kink point
        for k, pts in enumerate(per):
            for x in pts:
                zs = NET.preactivations(x)
                assert zs[l - 1][k] == 0
                assert sum(1 for layer in zs[:-1] for v in layer if v == 0) == 1


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10 ** 6), st.sampled_from([(5, 3, 3, 1), (6, 4, 3, 2), (4, 3, 4, 2), (3, 2, 2, 2, 1)]),
       st.sampled_from([1, 2, 5]), st.booleans())
def test_certificate_value_is_the_exact_rank(seed, widths, height, nonzero):
    """Degenerate parameters too (height 1, zero entries): a certificate is never issued below full rank."""
    net = sa.Network.random(widths, seed=seed, height=height, nonzero=nonzero)
    c = kink_peeling_certificate(net)
    if c is not None:
        assert c.verify(net)
        assert fdim.functional_dimension(net, method="batch").value == c.dimension


def test_forged_points_are_refused(cert):
    x = cert.kinks[1][0][0]
    off = (x[0] + 1,) + x[1:]                                     # not on the kink
    cases = [_with_point(cert, 2, 0, [off]),
             _with_point(cert, 2, 1, [x]),                          # a kink point of another neuron
             _with_point(cert, 1, 0, []),                           # no point
             dataclasses.replace(cert, samples=(cert.kinks[0][0][0],)),   # a sample on a kink
             dataclasses.replace(cert, dimension=cert.dimension + 1),
             dataclasses.replace(cert, prime=1000003 * 3),
             dataclasses.replace(cert, samples=cert.samples[:1])]
    for forged in cases:
        with pytest.raises(CertificateError):
            forged.verify(NET)


def test_two_vanishing_neurons_and_invisible_kinks_are_refused():
    # two first-layer neurons with the same hyperplane: every kink point of one is a zero of the other
    net = sa.Network.from_arrays([[[1, 2], [2, 4], [1, -1]], [[1, 1, 1], [1, -2, 3]], [[1, 1]]],
                                 [[1, 2, 0], [-1, 1], [0]])
    assert kink_peeling_certificate(net) is None
    good = sa.Network.from_arrays([[[1, 2], [3, 4], [1, -1]], [[1, 1, 1], [1, -2, 3]], [[1, 1]]],
                                  [[1, 2, 0], [-1, 1], [0]])
    c = kink_peeling_certificate(good)
    if c is not None:
        x = c.kinks[0][0][0]
        with pytest.raises(CertificateError, match="vanishes too"):
            c.verify(net.replace_layer(1, weight=[[1, 2], [2, 4], [1, -1]], bias=[1, 2, 0]))
        with pytest.raises(CertificateError):      # c = 0: the next layer's column of the neuron is zero
            c.verify(good.replace_layer(2, weight=[[0, 1, 1], [0, -2, 3]]))
        assert x


def test_junk_is_refused_in_one_line(cert):
    x = cert.kinks[0][0][0]
    junk = [None, 3, "abc", ((1, 2),), [[["a"] * 6]], [[[x]] * 4], (([1.5] * 6,),) * 4]
    forged = [dataclasses.replace(cert, kinks=j) for j in junk]
    forged += [_with_point(cert, 1, 0, [x[:-1]]), _with_point(cert, 1, 0, [tuple([0.5] * 6)]),
               _with_point(cert, 1, 0, None), dataclasses.replace(cert, samples=None),
               dataclasses.replace(cert, prime="p"), dataclasses.replace(cert, seed=-1),
               dataclasses.replace(cert, dimension=None)]
    for f in forged:
        with pytest.raises(CertificateError) as e:
            f.verify(NET)
        assert "\n" not in str(e.value)
    for net in (sa.Network.random((6, 2), seed=0), sa.Network.random((6, 4, 4, 2), seed=0),
                sa.Network.random((5, 4, 3, 2), seed=0)):
        with pytest.raises(CertificateError):
            cert.verify(net)
    huge = fmpq(10 ** 4000 + 1, 3)
    with pytest.raises(CertificateError) as e:
        _with_point(cert, 2, 0, [(huge,) + x[1:]]).verify(NET)
    assert len(str(e.value)) < 400


def test_duplicates_count_once_and_are_capped(cert):
    pts = list(cert.kinks[1][0])
    assert _with_point(cert, 2, 0, pts * 10 ** 5).verify(NET)       # linear, not quadratic
    assert _with_point(cert, 2, 0, [tuple(x) for x in pts * 10 ** 4]).verify(NET)
    fractions = [tuple(Fraction(int(v.p), int(v.q)) for v in x) for x in pts]
    assert _with_point(cert, 2, 0, fractions).verify(NET)
    many = [tuple([fmpq(i)] + list(pts[0][1:])) for i in range(MAX_POINTS + 1)]
    with pytest.raises(CertificateError, match="more than"):
        _with_point(cert, 2, 0, many).verify(NET)


def test_hidden_neurons_get_no_certificate():
    dead = sa.Network.from_arrays([[[1, 0], [0, 1], [1, 1]], [[1, 1, 1], [1, -1, 2]], [[1, 1]]],
                                  [[0, 0, -10 ** 6], [1, 0], [0]])       # neuron 2 never active near anything
    assert kink_peeling_certificate(dead) is None
    zero = sa.Network.from_arrays([[[1, 0], [0, 0], [1, 1]], [[1, 1, 1], [1, -1, 2]], [[1, 1]]],
                                  [[0, 1, 0], [1, 0], [0]])              # a zero weight row: constant neuron
    as_float32 = sa.Network.from_arrays(*zip(*((W.astype(np.float32), b.astype(np.float32)) for W, b in zero.float_layers())))
    for net in (zero, as_float32):
        why = []                                                     # rationals, and an int64 integer form
        assert kink_peeling_certificate(net, why=why) is None and "layer 1 has a neuron with a zero weight row" in why[0]
    # a neuron of layer 2 switched off by the last layer: its column of W3 is zero, so c = 0 at every kink
    hidden = sa.Network.from_arrays([[[1, 0], [0, 1], [1, 1]], [[1, 1, 1], [1, -1, 2]], [[1, 0]]],
                                    [[0, 0, 1], [1, 0], [0]])
    assert kink_peeling_certificate(hidden) is None
    assert fdim.functional_dimension(hidden, method="batch").value < hidden.architecture.num_parameters - 5


def test_identifiable_and_functional_dimension_use_it(monkeypatch):
    net = sa.Network.random((6, 4, 3, 2), seed=5)
    monkeypatch.setattr(ident, "PEEL_FIRST", 10)
    monkeypatch.setattr(fdim, "PEEL_FIRST", 10)
    r = sa.identifiable(net, budget=20)
    assert r.locally_identifiable is True
    steps = [s for s in r.proof if s.name == "local identifiability"]
    assert steps and type(steps[0].evidence) is KinkPeelingCertificate
    assert steps[0].verify(net)
    fd = sa.functional_dimension(net)
    assert fd.method == "visible kinks" and fd.value == fd.upper_bound and fd.certificate.verify(net)
    assert fd.value == fdim.functional_dimension(net, method="batch").value


def test_identifiable_describes_the_witness():
    dead = sa.Network.from_arrays([[[1, 0], [0, 1]], [[1, 0]]], [[0, 0], [0]])
    r = sa.identifiable(dead)
    assert r.status == "not identifiable" and r.move.describe() in r.describe()


def test_memory_route_is_peeling(monkeypatch):
    net = sa.Network.random((6, 4, 3, 2), seed=5)
    deficient = sa.Network.random((3, 4, 4, 2), seed=1)      # functional dimension 37 < 38: no certificate
    assert fdim.functional_dimension(deficient, method="batch").value == 37
    monkeypatch.setattr(ident, "rank_mod_fits", lambda r, c: (False, 1 << 50, 1 << 30))
    monkeypatch.setattr(fdim, "rank_mod_fits", lambda r, c: (False, 1 << 50, 1 << 30))
    r = sa.identifiable(net, budget=20)
    assert r.locally_identifiable is True and type(r.proof[-1].evidence) is KinkPeelingCertificate
    assert sa.functional_dimension(net).method == "visible kinks"
    checked: list = []
    assert ident._local_certificate(deficient, time.monotonic() + 5, checked, False) is None
    assert any("Jacobian's rank not tried" in c for c in checked) and any("kink peeling" in c for c in checked)


@pytest.mark.slow
def test_large_network_is_certified():
    import numpy as np
    rng = np.random.default_rng(0)
    widths = (100, 64, 64, 10)
    Ws = [(rng.standard_normal((o, i)) / np.sqrt(i)).astype(np.float32).astype(np.float64)
          for i, o in zip(widths, widths[1:])]
    bs = [(rng.standard_normal(o) * 0.1).astype(np.float32).astype(np.float64) for o in widths[1:]]
    net = sa.Network.from_arrays(Ws, bs)
    c = kink_peeling_certificate(net)
    assert c is not None and c.verify(net)
    r = sa.identifiable(net, budget=60)
    assert r.locally_identifiable is True
