"""Random exact probes before the search for moves (``families.deep.equivalence.random_probe``): a point it returns
separates the networks by evaluation in Python fractions (independent of semialg), ``None`` means they agree at every
probe; a case-(a) bottleneck and its copy with one weight one ulp larger are told apart by a probe, with a certificate
that verifies."""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.families.deep.equivalence import _random_point, random_probe
from conftest import architectures, float32_network, networks


def _f(net: sa.Network, x) -> list[Fraction]:
    a = [Fraction(int(t.p), int(t.q)) for t in x]
    for l, (W, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        z = [sum((Fraction(int(w.p), int(w.q)) * t for w, t in zip(row, a)), Fraction(0)) + Fraction(int(c.p), int(c.q))
             for row, c in zip(W, b, strict=True)]
        a = z if l == net.depth - 1 else [max(t, Fraction(0)) for t in z]
    return a


@settings(max_examples=60, deadline=None)
@given(st.data(), st.integers(0, 3))
def test_a_probe_point_separates_and_none_means_agreement_at_every_probe(data, seed):
    arch = data.draw(architectures())
    A, B = data.draw(networks(arch)), data.draw(networks(arch))
    B = data.draw(st.sampled_from([A, B]))
    x = random_probe(A, B, 6, seed)
    rng = random.Random(seed)
    probes = [_random_point(arch.input_dim, rng) for _ in range(6)]
    differ = [p for p in probes if _f(A, p) != _f(B, p)]
    assert x == (differ[0] if differ else None)


def test_one_ulp_apart_bottlenecks_are_separated_by_a_probe():
    a, b = float32_network((48, 64, 1, 3)), float32_network((48, 64, 1, 3), bump=0)
    r = sa.equivalent(a, b)
    assert r.equivalent is False and "random probe" in r.method and r.verify(a, b)
    x = r.certificate.point
    assert _f(a, x) != _f(b, x)
