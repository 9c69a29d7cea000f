"""Issue 17 item 3, case (a): reflected pairs within regime PN (all first-layer rows parallel, $c' = -c/|\\mu|$)
carry a move certificate (:class:`ReflectPlateau`) that replays, and tampered certificates are refused.

Pairs are built from the test's own 1-D formulas along a direction $u$ ($s = u\\cdot x$): $h(s) = M - \\sum_k
\\alpha_k\\sigma(p_k - s)$ ($\\alpha_k > 0$: regime PN, top plateau $s \\ge \\max p$) with $M$ chosen so that $h$
vanishes at a chosen $z < \\max p$; the reflected member $h'(s) = M - \\sum_r \\gamma_r\\sigma(s - r)$ over the
breakpoints $r$ of $M - \\sigma(h)$ in $[z, \\max p)$ ($h' \\le 0$ on the plateau), $c' = -c$, $d' = d + cM$;
hidden neurons added inside $N$ and inside the plateau, random group elements on top. Every pair is checked
against the region oracle and exact evaluation before the certificate is asked for.
"""

from __future__ import annotations

import dataclasses
import random
from fractions import Fraction

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.core.symmetry import GroupElement
from semialg.engine import regions as pl
from semialg.errors import CertificateError
from semialg.families import bottleneck as bn

from conftest import group_elements

REFLECT = "reflection"
pos = st.fractions(min_value=Fraction(1, 3), max_value=3, max_denominator=3)


def _q(x) -> fmpq:
    x = Fraction(x)
    return fmpq(x.numerator, x.denominator)


def _net(neurons, e, c, d) -> Network:
    return Network.from_arrays([[list(w) for w, _, _ in neurons], [[v for _, _, v in neurons]], [[x] for x in c]],
                               [[b for _, b, _ in neurons], [e], list(d)])


def _neurons(net: Network) -> list:
    view = bn.OuterView.of(net)
    return [(tuple(w), b, v) for w, b, v in zip(view.w, view.b, view.v)]


def _same(a: Network, b: Network, seed: int = 0) -> bool:
    rng = random.Random(seed)
    xs = [[fmpq(rng.randint(-80, 80), rng.randint(1, 5)) for _ in range(a.widths[0])] for _ in range(24)]
    return all(a(x) == b(x) for x in xs)


def _slot(u, lam, p, v, orient):
    """$v\\sigma(o\\lambda(s - p))$ as a neuron ``(w, b, v)``."""
    return (tuple(_q(orient * lam * x) for x in u), _q(-orient * lam * p), _q(v))


@st.composite
def reflected_pairs(draw):
    n0 = draw(st.sampled_from((1, 2)))
    u = (1,) if n0 == 1 else draw(st.tuples(st.integers(-3, 3), st.integers(-3, 3)).filter(any))
    ps = sorted(draw(st.lists(st.integers(-6, 6), min_size=1, max_size=3, unique=True)))
    alphas = [draw(pos) for _ in ps]
    z = draw(st.sampled_from([Fraction(k, 2) for k in range(2 * ps[0] - 6, 2 * ps[-1]) if Fraction(k, 2) not in ps]))
    M = sum((a * max(p - z, 0) for a, p in zip(alphas, ps)), Fraction(0))
    first = []
    for a, p in zip(alphas, ps):                         # -alpha sigma(p - s) = v sigma(lam (p - s)), v = -alpha / lam
        lam = draw(pos)
        first.append(_slot(u, lam, p, -a / lam, -1))
    breaks = [z] + [p for p in ps if z < p < ps[-1]]
    gam = {z: sum((a for a, p in zip(alphas, ps) if p > z), Fraction(0))}
    gam.update({p: -a for a, p in zip(alphas, ps) if z < p < ps[-1]})
    second = []
    for r in breaks:
        lam = draw(pos)
        second.append(_slot(u, lam, r, -gam[r] / lam, 1))
    if draw(st.booleans()) or len(first) < 2:           # a hidden neuron inside N: active for s < z - gap
        lam = draw(pos)
        first.append(_slot(u, lam, z - draw(st.integers(1, 4)), -draw(pos), -1))
    if draw(st.booleans()) or len(second) < 2:          # a hidden neuron inside the plateau
        lam = draw(pos)
        second.append(_slot(u, lam, ps[-1] + draw(st.integers(0, 4)), -draw(pos), 1))
    n3 = draw(st.sampled_from((1, 2)))
    c = [draw(pos) * draw(st.sampled_from((1, -1))) for _ in range(n3)]
    d = [draw(st.fractions(-3, 3, max_denominator=2)) for _ in range(n3)]
    a = _net(first, _q(M), list(map(_q, c)), list(map(_q, d)))
    b = _net(second, _q(M), [-_q(x) for x in c], [_q(y + x * M) for x, y in zip(c, d)])
    b = draw(group_elements(b.architecture)).act(b)
    return a, b


def _replayed(cert, net):
    out = [net]
    for mv in cert.moves1:
        out.append(mv.apply(out[-1]))
    return out


@settings(max_examples=20, deadline=None)
@given(reflected_pairs())
def test_reflected_pairs_of_regime_pn_are_certified(pair):
    a, b = pair
    assert bn.combinatorial_type(a).regime == bn.combinatorial_type(b).regime == "PN"
    assert _same(a, b) and pl.equivalent(a, b), "the test built a pair that is not equivalent"
    for x, y in ((a, b), (b, a)):
        cert = bn.witness(x, y)
        assert cert is not None and cert.verify(x, y)
        assert set(cert.mechanisms()) - {"G"} == {REFLECT}, cert.mechanisms()
        assert all(_same(x, r) for r in _replayed(cert, x))
        res = sa.equivalent(x, y)
        assert res and res.verify(x, y) and isinstance(res.certificate, bn.BottleneckMoveCertificate)


def _audit_pair():
    a = Network.from_arrays([[[-1], [-1]], [[-1, -1]], [[1]]], [[1, 2], [2], [0]])
    b = Network.from_arrays([[[1], [1]], [[-2, 1]], [[-1]]], [["-1/2", -1], [2], [2]])
    return a, b


def test_the_audit_pair_is_certified_and_tampering_is_refused():
    a, b = _audit_pair()
    cert = bn.witness(a, b)
    assert cert.verify(a, b) and set(cert.mechanisms()) - {"G"} == {REFLECT}
    k, mv = next((k, mv) for k, mv in enumerate(cert.moves1) if isinstance(mv, bn.ReflectPlateau))
    ns = mv.neurons
    forged = [
        dataclasses.replace(mv, m=mv.m + fmpq(1, 3)),               # B = m fails on N
        dataclasses.replace(mv, m=mv.m - fmpq(1, 3)),               # h > m somewhere
        dataclasses.replace(mv, m=fmpq(-1)),
        dataclasses.replace(mv, e=mv.e + 1),
        dataclasses.replace(mv, neurons=(ns[0], (ns[1][0], ns[1][1] + 1, ns[1][2]))),    # a kink moved
        dataclasses.replace(mv, neurons=((ns[0][0], ns[0][1], ns[1][2]), (ns[1][0], ns[1][1], ns[0][2]))),  # swapped
        dataclasses.replace(mv, neurons=(ns[0], (ns[1][0], ns[1][1], ns[1][2] + 10))),   # h' > 0 on the plateau
        dataclasses.replace(mv, neurons=ns + (((fmpq(1),), fmpq(-3), fmpq(1)),)),         # the same
        dataclasses.replace(mv, neurons=(((fmpq(1), fmpq(0)), fmpq(0), fmpq(1)),)),       # a row of the wrong length
        dataclasses.replace(mv, neurons=()),
        bn.ReflectBounded(mv.m),                                     # h < 0 somewhere: not regime T
    ]
    for f in forged:
        moves = list(cert.moves1)
        moves[k] = f
        with pytest.raises(CertificateError):
            dataclasses.replace(cert, moves1=tuple(moves)).verify(a, b)
    # a non-equivalent partner: d not compensated, or c not reflected
    view = bn.OuterView.of(b)
    for other in (b.replace_layer(3, bias=[view.d[0] + 1]), b.replace_layer(3, weight=[[-view.c[0]]])):
        assert not _same(a, other)
        assert bn.witness(a, other) is None
        with pytest.raises(CertificateError):
            cert.verify(a, other)

    class Forged(bn.ReflectPlateau):
        def apply(self, net):
            return b
    with pytest.raises(CertificateError):                     # only the family's own move classes
        dataclasses.replace(cert, moves1=(Forged(mv.neurons, mv.e, mv.m),),
                            element=GroupElement.identity((2, 1))).verify(a, b)


def test_reflect_plateau_agrees_with_the_region_oracle():
    """Random replacement inner networks: the move replays iff the result computes the same function (the
    region oracle), for parameters with parallel rows (where reflections exist) and without."""
    rng = random.Random(5)
    a, b = _audit_pair()
    seen = {True: 0, False: 0}
    for _ in range(40):
        ns = [((fmpq(rng.choice((1, -1)) * rng.randint(1, 2)),), fmpq(rng.randint(-4, 4), 2),
               fmpq(rng.randint(-4, 4), 2)) for _ in range(2)]
        e, m = fmpq(rng.randint(0, 6), 2), fmpq(rng.randint(0, 6), 2)
        if rng.random() < 0.5:      # near the true member
            ns, e, m = list(_neurons(b)), fmpq(2), fmpq(2)
            j = rng.randrange(2)
            w, bb, v = ns[j]
            step = fmpq(rng.randint(-1, 1), 2)
            ns[j] = (w, bb + step, v) if rng.random() < 0.5 else (w, bb, v + step)
        mv = bn.ReflectPlateau(tuple(ns), e, m)
        try:
            moved = mv.apply(a)
        except CertificateError:
            moved = None
        view = bn.OuterView.of(a)
        cand = _net(ns, e, [-x for x in view.c], [d + c * m for c, d in zip(view.c, view.d)])
        same = bool(pl.equivalent(a, cand))
        assert (moved is not None) == same, (mv, same)
        seen[same] += 1
    assert seen[True] >= 3 and seen[False] >= 3, seen


def test_non_parallel_pn_pairs_with_reflected_c_are_not_certified_wrongly():
    """$c' = -c$ on a random PN parameter with non-parallel rows: not equivalent, no certificate."""
    for seed in range(30):
        net = Network.random((2, 3, 1, 1), seed=seed, height=3)
        if bn.combinatorial_type(net).regime != "PN":
            continue
        view = bn.OuterView.of(net)
        other = net.replace_layer(3, weight=[[-view.c[0]]])
        assert bn.witness(net, other) is None or _same(net, other)


def test_beyond_the_witness_limit_the_result_says_why(monkeypatch):
    from semialg.families.bottleneck import equivalence
    from semialg.families.bottleneck.outer import ArrangementCertificate
    a, b = _audit_pair()
    monkeypatch.setattr(equivalence, "WITNESS_LIMIT_A", 1)
    r = bn.equivalent(a, b)
    assert r and isinstance(r.certificate, ArrangementCertificate) and r.verify(a, b)
    assert "no move witness: n1 = 2 > WITNESS_LIMIT_A = 1" in r.method
