"""The depth hierarchy: shallow representations verified by the region oracle and exact evaluation; bent-kink
certificates checked against one-sided gradients computed independently by exact finite differences."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st
from flint import fmpq

import semialg as sa
from semialg.engine.hierarchy import BentKinkCertificate, line_kinks, shallow_representation
from semialg.engine.regions import equivalent as oracle
from semialg.errors import CertificateError

from conftest import architectures, networks

EPS, DELTA = fmpq(1, 10 ** 7), fmpq(1, 10 ** 12)


def _gradient(net, x, o=0):
    """Exact finite-difference gradient of output ``o`` at ``x`` (f is affine on a ball of radius >> DELTA)."""
    base = net(x)[o]
    return tuple((net(tuple(v + DELTA if i == j else v for i, v in enumerate(x)))[o] - base) / DELTA
                 for j in range(len(x)))


def _jump_by_differences(net, p, u):
    plus = _gradient(net, tuple(a + EPS * b for a, b in zip(p, u)))
    minus = _gradient(net, tuple(a - EPS * b for a, b in zip(p, u)))
    return tuple(a - b for a, b in zip(plus, minus))


def test_the_bent_kink_of_the_example():
    f = sa.Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]])
    r = shallow_representation(f)
    assert r.status == "none" and not r and r.verify(f)
    c = r.certificate
    assert _jump_by_differences(f, c.p, c.normal) == c.jump_p[0]
    assert _jump_by_differences(f, c.q, c.normal) == c.jump_q[0]
    assert c.jump_p != c.jump_q
    # the book example: kink at (1/2, 1/2), none at (2, -1) on the same line x1 + x2 = 1
    hand = BentKinkCertificate((fmpq(1), fmpq(1)), fmpq(-1), (fmpq(1, 2), fmpq(1, 2)), (fmpq(2), fmpq(-1)),
                               ((fmpq(1), fmpq(1)),), ((fmpq(0), fmpq(0)),))
    assert hand.verify(f)


def test_forged_certificates_fail():
    f = sa.Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]])
    shallow_f = sa.Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]]], [[0, 0], [-1]])
    cert = shallow_representation(f).certificate
    with pytest.raises(CertificateError):
        cert.verify(shallow_f)
    off = BentKinkCertificate(cert.normal, cert.offset + 1, cert.p, cert.q, cert.jump_p, cert.jump_q)
    with pytest.raises(CertificateError):
        off.verify(f)


@settings(max_examples=15)
@given(st.data())
def test_networks_that_are_shallow_in_disguise_are_found(data):
    """With $W_2 \\ge 0$ and $b_2 \\ge 0$ the second layer is always active, so f is shallow."""
    arch = data.draw(architectures(min_depth=3, max_depth=3, max_width=3, max_io=2))
    net = data.draw(networks(arch))
    W = [[list(r) for r in M] for M in net.weights]
    b = [list(v) for v in net.biases]
    W[1] = [[abs(x) for x in r] for r in W[1]]
    b[1] = [abs(x) for x in b[1]]
    net = sa.Network.from_arrays(W, b)
    r = shallow_representation(net, budget=30)
    assert r.status == "found", r.explain()
    assert r.network.depth == 2 and r.verify(net)
    assert bool(oracle(net, r.network))
    for x in ([Fraction(i, 3)] * net.architecture.input_dim for i in range(-9, 10, 4)):
        assert net(x) == r.network(x)


@settings(max_examples=20)
@given(st.data())
def test_answers_on_random_deep_networks_recheck(data):
    arch = data.draw(architectures(min_depth=3, max_depth=4, max_width=3, max_io=2))
    net = data.draw(networks(arch))
    r = shallow_representation(net, budget=20)
    if r.status == "none":
        assert r.verify(net)
        c = r.certificate
        assert _jump_by_differences(net, c.p, c.normal) == c.jump_p[0]
        assert _jump_by_differences(net, c.q, c.normal) == c.jump_q[0]
    elif r.status == "found":
        assert bool(oracle(net, r.network)) and r.verify(net)
    if arch.input_dim == 1:
        assert r.status == "found"           # continuous piecewise-linear functions of one variable are shallow


@settings(max_examples=20)
@given(st.data())
def test_line_kinks_are_where_the_restriction_bends(data):
    net = data.draw(networks(max_depth=4, max_width=3, max_io=2))
    m = net.architecture.input_dim
    p = [fmpq(1, 3)] * m
    d = [fmpq(j + 2, 5) for j in range(m)]
    kinks = line_kinks(net, p, d)
    assert kinks == sorted(set(kinks))

    def f(t):
        return net([a + t * b for a, b in zip(p, d)])

    def slope(t, h):
        return tuple((y1 - y0) / h for y0, y1 in zip(f(t), f(t + h)))

    h = fmpq(1, 10 ** 9)
    for t in kinks:
        assert slope(t - h, h) != slope(t, h)
    ts = [min(kinks, default=fmpq(0)) - 1] + list(kinks) + [max(kinks, default=fmpq(0)) + 1]
    for a, c in zip(ts, ts[1:]):                        # affine between consecutive kinks
        mid = (a + c) / 2
        assert tuple(2 * y for y in f(mid)) == tuple(y0 + y1 for y0, y1 in zip(f(a), f(c)))


def test_shallow_input_is_found_and_undecided_says_so():
    net = sa.Network.random((2, 3, 1), seed=0)
    r = shallow_representation(net)
    assert r.status == "found" and r.verify(net)
    deep = sa.Network.random((2, 3, 3, 1), seed=5)
    assert shallow_representation(deep, budget=0).status == "undecided"
    with pytest.raises(CertificateError):
        shallow_representation(deep, budget=0).verify(deep)


def test_cli_shallow(capsys, tmp_path):
    import json
    from semialg.ui.cli import main
    bent = sa.Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]])
    disguised = sa.Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1]]], [[0, 0], [1], [0]])
    sa.save(bent, tmp_path / "b.json")
    sa.save(disguised, tmp_path / "d.json")
    assert main(["shallow", str(tmp_path / "b.json")]) == 1
    assert capsys.readouterr().out.startswith("None")
    assert main(["shallow", str(tmp_path / "d.json"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "found" and data["network"]["widths"][0] == 2 and len(data["network"]["widths"]) == 3


# -- forged shallow representations (audit F8, F9) ------------------------------------------------------

def test_none_needs_a_bent_kink_certificate():
    """s(s(x) + s(x - 1)) = s(x) + s(x - 1) is shallow; a "none" carrying any other object must not verify."""
    f = sa.Network.from_arrays([[[1], [1]], [[1, 1]], [[1]]], [[0, -1], [0], [0]])
    for x in range(-3, 4):
        assert f([x])[0] == max(x, 0) + max(x - 1, 0)
    forged = sa.ShallowRepresentation("none", certificate=sa.genericity(f))
    with pytest.raises(CertificateError):
        forged.verify(f)


def test_found_needs_equivalence_everywhere():
    """s(s(x1) + s(x2) - 1) and |x1| + |x2| - 1 agree on [2, 3]^2 but differ at the origin (0 vs -1):
    an equivalence certified on the box must not make "found" verify."""
    h = sa.Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]])
    s = sa.Network.from_arrays([[[1, 0], [-1, 0], [0, 1], [0, -1]], [[1, -1, 1, -1]]], [[0, 0, 0, 0], [-1]])
    assert h([0, 0]) != s([0, 0])
    on_box = sa.equivalent(h, s, domain=sa.Polytope.box([2, 2], [3, 3]))
    assert on_box.equivalent is True
    with pytest.raises(CertificateError):
        sa.ShallowRepresentation("found", s, on_box).verify(h)
