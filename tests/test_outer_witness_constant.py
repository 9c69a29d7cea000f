"""Issue 17 item 3, case (a): constant first-layer neurons ($w = 0$ or $v = 0$, class D) — in regime T, where only
the arrangement certificate related such pairs before, and in regime PN — carry a move certificate
(:class:`DropConstantNeuron`); ``hidden_symmetries`` lists them, counts the admissible 0-factor flip sets exactly
(against brute force over all subsets) and lists the plateau members.

Pairs are built by the test's own moves (a neuron with $v = 0$ and a random row, one with $w = 0$, $b \\le 0$, one
with $w = 0$, $b > 0$ and $e$ compensating, the $e \\leftrightarrow d$ trade of regime T, random group elements)
and checked against the region oracle and exact evaluation before the certificate is asked for.
"""

from __future__ import annotations

import dataclasses
import itertools
import random

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.core.symmetry import GroupElement
from semialg.engine import regions as pl
from semialg.errors import CertificateError
from semialg.families import bottleneck as bn

CONST, TRADE = "constant neurons (D)", "e <-> d trade"


def _q(rng, lo=-4, hi=4, den=3) -> fmpq:
    return fmpq(rng.randint(lo, hi), rng.randint(1, den))


def _pos(rng) -> fmpq:
    return fmpq(rng.randint(1, 9), rng.randint(1, 3))


def _net(neurons, e, c, d) -> Network:
    return Network.from_arrays([[list(w) for w, _, _ in neurons], [[v for _, _, v in neurons]], [[x] for x in c]],
                               [[b for _, b, _ in neurons], [e], list(d)])


def _neurons(net: Network) -> list:
    view = bn.OuterView.of(net)
    return [(tuple(w), b, v) for w, b, v in zip(view.w, view.b, view.v)]


def _same(a: Network, b: Network, rng: random.Random) -> bool:
    xs = [[fmpq(rng.randint(-80, 80), rng.randint(1, 5)) for _ in range(a.widths[0])] for _ in range(20)]
    return all(a(x) == b(x) for x in xs)


def _with_constants(neurons, e, rng, k):
    """``k`` constant neurons inserted at random places; returns the neurons and the compensated $e$."""
    out = list(neurons)
    for _ in range(k):
        kind = rng.randrange(3)
        if kind == 0:
            n = ((_q(rng), _q(rng)), _q(rng), fmpq(0))
        elif kind == 1:
            n = ((fmpq(0), fmpq(0)), -fmpq(rng.randint(0, 4)), _q(rng))
        else:
            b, v = _pos(rng), _q(rng)
            n, e = ((fmpq(0), fmpq(0)), b, v), e - v * b
        out.insert(rng.randrange(len(out) + 1), n)
    return out, e


def _regime_t_pair(rng):
    ns = [((_q(rng), _q(rng)), _q(rng), _pos(rng)) for _ in range(rng.randint(2, 3))]
    e, c, d = _pos(rng), [_pos(rng) * rng.choice((1, -1)), _q(rng)], [_q(rng), _q(rng)]
    a_ns, a_e = _with_constants(ns, e, rng, rng.randint(0, 1))
    b_ns, b_e = _with_constants(ns, e, rng, rng.randint(1, 3))
    t = fmpq(rng.randint(0, 4), 2)
    return _net(a_ns, a_e, c, d), _net(b_ns, b_e + t, c, [y - x * t for x, y in zip(c, d)])


def _pn_pair(rng):
    for _ in range(100):
        net = Network.random((2, 3, 1, 1), seed=rng.randrange(10 ** 6), height=3)
        t = bn.combinatorial_type(net)
        if t.regime == "PN" and "D" not in t.classes:
            view = bn.OuterView.of(net)
            b_ns, b_e = _with_constants(_neurons(net), view.e, rng, rng.randint(1, 2))
            return net, _net(b_ns, b_e, view.c, view.d)
    raise AssertionError("no PN parameter found")


def _check(a, b, rng, allowed):
    b = GroupElement.random(b.architecture, seed=rng.randrange(1000), height=3).act(b)
    assert _same(a, b, rng) and pl.equivalent(a, b), "the test built a pair that is not equivalent"
    for x, y in ((a, b), (b, a)):
        cert = bn.witness(x, y)
        assert cert is not None and cert.verify(x, y)
        names = set(cert.mechanisms()) - {"G"}
        assert CONST in names and names <= allowed, names
        r = x
        for mv in cert.moves1:
            r = mv.apply(r)
            assert _same(x, r, rng)
        res = sa.equivalent(x, y)
        assert res and res.verify(x, y) and isinstance(res.certificate, bn.BottleneckMoveCertificate)
    return b


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_regime_t_pairs_with_constant_neurons(seed):
    rng = random.Random(seed)
    a, b = _regime_t_pair(rng)
    assert bn.combinatorial_type(a).regime == "T"
    _check(a, b, rng, {CONST, TRADE})


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_regime_pn_pairs_with_constant_neurons(seed):
    rng = random.Random(seed)
    a, b = _pn_pair(rng)
    _check(a, b, rng, {CONST})


def test_tampered_constant_moves_are_refused():
    rng = random.Random(2)
    a, b = _regime_t_pair(rng)
    while not any(isinstance(mv, bn.DropConstantNeuron) for mv in bn.witness(a, b).moves2):
        a, b = _regime_t_pair(rng)
    cert = bn.witness(a, b)
    k, mv = next((k, mv) for k, mv in enumerate(cert.moves2) if isinstance(mv, bn.DropConstantNeuron))
    before = b
    for m in cert.moves2[:k]:
        before = m.apply(before)
    live = next(i for i, (w, _, v) in enumerate(_neurons(before)) if any(w) and v != 0)
    for forged in (dataclasses.replace(mv, i=live), dataclasses.replace(mv, i=-1),
                   dataclasses.replace(mv, i=len(_neurons(before)))):
        moves = list(cert.moves2)
        moves[k] = forged
        with pytest.raises(CertificateError):
            dataclasses.replace(cert, moves2=tuple(moves)).verify(a, b)
    with pytest.raises(CertificateError):                     # the moves of this pair, swapped sides
        dataclasses.replace(cert, moves1=cert.moves2, moves2=cert.moves1).verify(a, b)
    # a constant neuron inserted without compensating e: another function, no certificate, the old one refused
    view = bn.OuterView.of(b)
    wrong = _net(_neurons(b) + [((fmpq(0), fmpq(0)), fmpq(1), fmpq(1))], view.e, view.c, view.d)
    assert not _same(a, wrong, rng) and bn.witness(a, wrong) is None
    with pytest.raises(CertificateError):
        cert.verify(a, wrong)


def _brute_flip_sets(net: Network) -> int:
    view = bn.OuterView.of(net)
    live = [i for i, (w, v) in enumerate(zip(view.w, view.v)) if any(w) and v != 0]
    return sum(1 for r in range(len(live) + 1) for S in itertools.combinations(live, r)
               if all(sum((view.v[i] * view.w[i][j] for i in S), fmpq(0)) == 0 for j in range(len(view.w[0]))))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(0, 3))
def test_zero_factor_flip_sets_are_counted_exactly(seed, planted):
    """Random parameters with planted 0-factors ($v_1w_1 + v_2w_2 + v_3w_3 = 0$, opposite $vw$ pairs): the count
    in ``hidden_symmetries`` equals the brute-force count over all subsets, and every such set flips by
    :class:`FlipInner` into an equivalent parameter."""
    rng = random.Random(seed)
    ns = [((_q(rng), _q(rng)), _q(rng), _q(rng) or fmpq(1)) for _ in range(2)]
    if planted & 1:      # a third neuron closing a 0-factor with the first two
        w = tuple(-(ns[0][2] * x + ns[1][2] * y) for x, y in zip(ns[0][0], ns[1][0]))
        if any(w):
            ns.append((w, _q(rng), fmpq(1)))
    if planted & 2:      # an opposite (v w) pair
        w, v = (_q(rng) or fmpq(1), _q(rng)), _pos(rng)
        ns += [(w, _q(rng), v), (tuple(2 * x for x in w), _q(rng), -v / 2)]
    net = _net(ns, _q(rng), [fmpq(1)], [fmpq(0)])
    t = bn.combinatorial_type(net)
    if t.regime == "constant":
        return
    brute = _brute_flip_sets(net)
    flips = {m.name: m for m in bn.hidden_symmetries(net)}.get("zero-factor flips")
    if brute == 1:
        assert flips is None
        return
    assert flips is not None and flips.multiplicity == brute, (flips, brute)
    view = bn.OuterView.of(net)
    live = [i for i, (w, v) in enumerate(zip(view.w, view.v)) if any(w) and v != 0]
    for r in range(1, len(live) + 1):
        for S in itertools.combinations(live, r):
            try:
                moved = bn.FlipInner(S).apply(net)
            except CertificateError:
                continue
            assert _same(net, moved, rng)


def test_constant_neurons_and_plateau_members_are_listed():
    net = _net([((fmpq(1), fmpq(0)), fmpq(0), fmpq(1)), ((fmpq(0), fmpq(0)), fmpq(2), fmpq(3)),
                ((fmpq(1), fmpq(1)), fmpq(0), fmpq(0)), ((fmpq(0), fmpq(1)), fmpq(-1), fmpq(2))], fmpq(1),
               [fmpq(1)], [fmpq(0)])
    t = bn.combinatorial_type(net)
    names = {m.name: m for m in bn.hidden_symmetries(net)}
    assert t.classes.count("D") == 2 and set(names[CONST].neurons) == {1, 2}
    assert names[CONST].kind == "continuous" and not names[CONST].freezes
    # h = 1 + s(x) + 2 s(x - 1): regime T, plateau x <= 0 with members below it (tests/test_bottleneck_witness_regimes)
    plateau = _net([((fmpq(1), fmpq(0)), fmpq(0), fmpq(1)), ((fmpq(1), fmpq(0)), fmpq(-1), fmpq(2))], fmpq(1),
                   [fmpq(3)], [fmpq(0)])
    member = bn.EnterPlateau((((1, 0), 1, 1), ((1, 0), -1, 2)), -1, 1).apply(plateau)
    assert pl.equivalent(plateau, member)
    m = {m.name: m for m in bn.hidden_symmetries(plateau)}["plateau members"]
    assert m.kind == "discrete" and not m.freezes and m.multiplicity is None and "undecided" in m.description
    # h > 0 with no plateau (h = 1 + |x|-like, strictly convex at its minimum point): no plateau members
    vee = _net([((fmpq(1), fmpq(0)), fmpq(0), fmpq(1)), ((fmpq(-1), fmpq(0)), fmpq(0), fmpq(1))], fmpq(1),
               [fmpq(1)], [fmpq(0)])
    assert "plateau members" not in {m.name for m in bn.hidden_symmetries(vee)}
    # the reflected pair of regime PN: the reflection is listed (its count undecided here)
    a = Network.from_arrays([[[-1], [-1]], [[-1, -1]], [[1]]], [[1, 2], [2], [0]])
    assert "reflection" in {m.name for m in bn.hidden_symmetries(a)}
