"""Issue 17 item 3, case (a): move certificates for the reflection of a bounded regime-T $h$, pairs in different
regimes (regime-T parameters and their members below a plateau), positive twins on one hyperplane, and the
listing of these mechanisms.

Pairs are built from the test's own formulas — ridge inner networks $h = e + \\sum_i v_i\\lambda_i\\sigma(s - p_i)$
with $s = u\\cdot x$ (non-decreasing: the plateau $\\{h = e\\}$ is the half-plane $s \\le \\min p$; clamps
$\\sigma(s - p) - \\sigma(s - p - \\delta)$ make $h$ bounded, $\\sup h = e + \\sum v\\lambda\\delta$), hidden neurons
put inside the plateau, random group elements — and checked against the region oracle (``pl.equivalent``) and
exact evaluation before the certificate is asked for: it must verify and name exactly the moves used. Tampered
certificates must raise :class:`CertificateError`.
"""

from __future__ import annotations

import dataclasses
import functools
import random
from fractions import Fraction

import pytest
from flint import fmpq
from hypothesis import assume, given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.core.symmetry import GroupElement
from semialg.engine import regions as pl
from semialg.errors import CertificateError
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.arrangement import NetworkArrangement, visible

from conftest import group_elements

PLATEAU, REFLECT, TRADE, TWINS = "plateau members", "reflection", "e <-> d trade", "positive twins"

small = st.fractions(min_value=Fraction(1, 4), max_value=3, max_denominator=4)
breaks = st.lists(st.integers(-8, 8), min_size=2, max_size=3, unique=True)


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
    xs = [[fmpq(rng.randint(-60, 60), rng.randint(1, 5)) for _ in range(a.widths[0])] for _ in range(16)]
    return all(a(x) == b(x) for x in xs)


def _certified(a: Network, b: Network, names: set) -> bn.BottleneckMoveCertificate:
    """The witness of an equivalent pair: verified, naming exactly ``names`` (besides G), and the flat API's
    certificate is a move certificate too."""
    assert _same(a, b) and pl.equivalent(a, b), "the test built a pair that is not equivalent"
    cert = bn.witness(a, b)
    assert cert is not None, "no move certificate for an equivalent pair"
    assert cert.verify(a, b)
    assert set(cert.mechanisms()) - {"G"} == names, (cert.mechanisms(), names)
    res = sa.equivalent(a, b)
    assert res and res.verify(a, b) and isinstance(res.certificate, bn.BottleneckMoveCertificate)
    return cert


@st.composite
def ridges(draw, bounded: bool):
    """A regime-T parameter with a ridge inner network along $u$ and the data of its plateaus."""
    u = draw(st.tuples(st.integers(-3, 3), st.integers(-3, 3)).filter(any))
    ps = draw(breaks)
    neurons, top = [], None
    for p in ps:
        lam, v = draw(small), draw(small)
        neurons.append(((lam * u[0], lam * u[1]), -lam * p, v))
        if bounded:
            delta = Fraction(1, 2)
            neurons.append(((lam * u[0], lam * u[1]), -lam * (p + delta), -v))
            top = (top or 0) + v * lam * delta
    e = draw(st.fractions(min_value=0, max_value=3, max_denominator=3))
    c = [draw(small) * draw(st.sampled_from((1, -1))), draw(st.fractions(-3, 3, max_denominator=2))]
    d = [draw(st.fractions(-3, 3, max_denominator=2)) for _ in range(2)]
    net = _net([(tuple(map(_q, w)), _q(b), _q(v)) for w, b, v in neurons], _q(e), list(map(_q, c)), list(map(_q, d)))
    low, high = min(ps), max(ps) + (Fraction(1, 2) if bounded else 0)
    return net, u, low, high, _q(e), None if top is None else _q(e + top)


def _inside(u, lam, q, a, below: bool):
    """A neuron $-a\\lambda\\sigma(\\pm(s - q))$ active only on $s < q$ (``below``) or $s > q$."""
    o = -1 if below else 1
    return ((_q(o * lam * u[0]), _q(o * lam * u[1])), _q(-o * lam * q), -_q(a))


@settings(max_examples=12, deadline=None)
@given(ridges(bounded=False), small, small, st.integers(1, 4), st.booleans(), st.data())
def test_members_below_the_plateau_are_certified_both_ways(r, lam, a, gap, move_lowest, data):
    """T against PN: $h' = h - \\min h$ off the plateau, $h' < 0$ on it (a hidden neuron inside, or the lowest
    kink moved into it with $e$ compensating)."""
    net, u, low, _, e, _ = r
    neurons = _neurons(net)
    if move_lowest:
        k = next(k for k, (w, b, v) in enumerate(neurons)                   # the kink at s = min p
                 if -b * (u[0] ** 2 + u[1] ** 2) == low * (w[0] * u[0] + w[1] * u[1]))
        w, b, v = neurons[k]
        shift = _q(gap) * (w[0] * u[0] + w[1] * u[1]) / (u[0] ** 2 + u[1] ** 2)      # lambda_k delta
        neurons[k] = (w, b + shift, v)
        e2 = -v * shift
    else:
        neurons.append(_inside(u, lam, low - gap, a, below=True))
        e2 = fmpq(0)
    member = bn.EnterPlateau(tuple(neurons), e2, e).apply(net)
    assert bn.combinatorial_type(member).regime == "PN"
    other = data.draw(group_elements(member.architecture)).act(member)
    _certified(net, other, {PLATEAU})
    _certified(other, net, {PLATEAU})


@settings(max_examples=10, deadline=None)
@given(ridges(bounded=True), st.fractions(0, 2, max_denominator=2), st.fractions(-2, 3, max_denominator=2),
       st.data())
def test_reflection_of_bounded_regime_t(r, extra, t, data):
    """T against T, $c' = -c/|\\mu|$: $0 \\le h \\le m$ reflected ($m \\ge \\sup h$), then $e \\leftrightarrow d$."""
    net, _, _, _, _, top = r
    m = top + _q(extra)
    assume(t >= -extra)
    moved = bn.ReflectBounded(m).apply(net)
    if t:
        moved = bn.TradeBiasOutput(_q(t)).apply(moved)
    other = data.draw(group_elements(moved.architecture)).act(moved)
    assert _same(net, other) and pl.equivalent(net, other)
    cert = bn.witness(net, other)
    assert cert is not None and cert.verify(net, other)
    names = set(cert.mechanisms()) - {"G"}
    assert REFLECT in names and names <= {REFLECT, TRADE}, names
    assert REFLECT in {m.name for m in bn.hidden_symmetries(net)}
    with pytest.raises(CertificateError):                    # m below sup h: h' = m - h < 0 somewhere
        bn.ReflectBounded(top - fmpq(1, 3)).apply(net)


@settings(max_examples=10, deadline=None)
@given(ridges(bounded=True), small, small, st.integers(1, 4), st.data())
def test_reflection_into_a_member_below_the_top_plateau(r, lam, a, gap, data):
    """T against PN with $c' = -c/|\\mu|$: reflected at $\\sup h$, then $h' < 0$ on $\\{h = \\sup h\\}$."""
    net, u, _, high, _, top = r
    reflected = bn.ReflectBounded(top).apply(net)
    neurons = _neurons(reflected) + [_inside(u, lam, high + gap, a, below=False)]
    member = bn.EnterPlateau(tuple(neurons), bn.OuterView.of(reflected).e, fmpq(0)).apply(reflected)
    other = data.draw(group_elements(member.architecture)).act(member)
    _certified(net, other, {REFLECT, PLATEAU})
    _certified(other, net, {REFLECT, PLATEAU})


@functools.lru_cache(maxsize=None)
def _pn(seed: int) -> Network | None:
    net = Network.random((2, 3, 1, 1), seed=seed, height=3)
    t = bn.combinatorial_type(net)
    return net if t.regime == "PN" and "V" in t.classes else None


PN_SEEDS = [s for s in range(60) if _pn(s) is not None][:12]


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(PN_SEEDS), small, st.fractions(-3, 3, max_denominator=3), st.booleans(), st.data())
def test_positive_twins_split_and_merged(seed, lam, v, both, data):
    """A visible neuron split into positive twins ($v_i\\sigma(\\ell) = (v_i - \\lambda v)\\sigma(\\ell) +
    v\\sigma(\\lambda\\ell)$), on one side or differently on both."""
    net = _pn(seed)
    i = data.draw(st.sampled_from([k for k, c in enumerate(bn.combinatorial_type(net).classes) if c == "V"]))
    vi = _neurons(net)[i][2]
    assume(v != 0 and _q(v) != vi / _q(lam))
    a = bn.SplitTwin(i, _q(lam), _q(v)).apply(net) if both else net
    b = bn.SplitTwin(i, _q(lam) + 1, _q(v)).apply(net)
    assert bn.combinatorial_type(b).classes[i] == "V"
    assert TWINS in {m.name for m in bn.hidden_symmetries(b)}
    b = data.draw(group_elements(b.architecture)).act(b)
    _certified(a, b, {TWINS})
    _certified(b, a, {TWINS})


def _plateau_pair():
    net = _net([((1, 0), 0, 1), ((1, 0), -1, 2)], 1, [3], [0])           # h = 1 + s(x) + 2 s(x - 1)
    member = bn.EnterPlateau((((1, 0), 1, 1), ((1, 0), -1, 2)), -1, 1).apply(net)
    return net, member, bn.witness(net, member)


def _forged(cert, k, mv, side=1):
    moves = list(cert.moves1 if side == 1 else cert.moves2)
    moves[k] = mv
    return dataclasses.replace(cert, **{f"moves{side}": tuple(moves)})


def test_tampered_plateau_and_reflection_moves_are_refused():
    net, member, cert = _plateau_pair()
    k, mv = next((k, mv) for k, mv in enumerate(cert.moves1) if isinstance(mv, bn.EnterPlateau))
    hidden = ((fmpq(-1), fmpq(0)), fmpq(-5), fmpq(-1))                    # active on x < -5: inside the plateau
    forgeries = [
        dataclasses.replace(mv, m=mv.m + fmpq(1, 3)),                       # h >= m fails
        dataclasses.replace(mv, m=mv.m - fmpq(1, 3)),                       # sigma(h') != h - m
        dataclasses.replace(mv, e=mv.e + 1),                                # e tampered
        dataclasses.replace(mv, neurons=mv.neurons[:1] + ((mv.neurons[1][0], mv.neurons[1][1] + 1,
                                                           mv.neurons[1][2]),)),   # a neuron moved on P
        dataclasses.replace(mv, neurons=mv.neurons + ((hidden[0], hidden[1], fmpq(1)),)),   # h' > 0 on the plateau
        dataclasses.replace(mv, neurons=tuple(_neurons(net)), e=fmpq(0)),   # h' >= 0: no member below
        dataclasses.replace(mv, neurons=(((fmpq(1),), fmpq(0), fmpq(1)),)),   # a row of the wrong length
        dataclasses.replace(mv, neurons=()),
    ]
    for forged in forgeries:
        with pytest.raises(CertificateError):
            _forged(cert, k, forged).verify(net, member)
    member2 = bn.EnterPlateau(mv.neurons + (hidden,), mv.e, mv.m).apply(net)
    assert pl.equivalent(net, member2) and bn.witness(net, member2).verify(net, member2)
    with pytest.raises(CertificateError):                    # the certificate of another member
        cert.verify(net, member2)

    bounded = _net([((1, 0), 0, 1), ((1, 0), -1, -1)], 1, [2], [1])       # h = 1 + s(x) - s(x - 1) in [1, 2]
    other = bn.TradeBiasOutput(1).apply(bn.ReflectBounded(2).apply(bounded))
    cert = bn.witness(bounded, other)
    assert cert.verify(bounded, other) and set(cert.mechanisms()) - {"G"} == {REFLECT, TRADE}
    k, mv = next((k, mv) for k, mv in enumerate(cert.moves1) if isinstance(mv, bn.ReflectBounded))
    for forged in (dataclasses.replace(mv, m=fmpq(3, 2)), dataclasses.replace(mv, m=fmpq(3)), bn.ReflectBounded(-1)):
        with pytest.raises(CertificateError):
            _forged(cert, k, forged).verify(bounded, other)
    with pytest.raises(CertificateError):                    # h unbounded above: no reflection at any m
        bn.ReflectBounded(100).apply(_plateau_pair()[0])
    with pytest.raises(CertificateError):                    # h < 0 somewhere (regime PN)
        bn.ReflectBounded(100).apply(member)

    class Forged(bn.ReflectBounded):
        def apply(self, net):
            return other
    with pytest.raises(CertificateError):                    # only the family's own move classes
        dataclasses.replace(cert, moves1=(Forged(fmpq(2)),), element=GroupElement.identity((2, 1))).verify(
            bounded, other)


def test_tampered_twin_moves_are_refused():
    net = _pn(PN_SEEDS[0])
    i = bn.combinatorial_type(net).classes.index("V")
    split = bn.SplitTwin(i, fmpq(2), fmpq(1)).apply(net)
    cert = bn.witness(net, split)
    assert cert.verify(net, split) and set(cert.mechanisms()) - {"G"} == {TWINS}
    side = 1 if cert.moves1 else 2
    moves = cert.moves1 or cert.moves2
    k, mv = next((k, mv) for k, mv in enumerate(moves) if isinstance(mv, bn.MergeTwins))
    other = next(j for j in range(4) if j not in (mv.i, mv.j))
    for forged in (dataclasses.replace(mv, j=other), dataclasses.replace(mv, j=mv.i), dataclasses.replace(mv, j=9),
                   dataclasses.replace(mv, i=-1), bn.SplitTwin(i, fmpq(2), fmpq(1))):
        with pytest.raises(CertificateError):
            _forged(cert, k, forged, side).verify(net, split)
    for lam in (0, -1):
        with pytest.raises(CertificateError):
            bn.SplitTwin(i, fmpq(lam), fmpq(1)).apply(net)
    w, b, _ = _neurons(net)[i]
    view = bn.OuterView.of(net)
    opposite = _net(_neurons(net) + [(tuple(-2 * x for x in w), -2 * b, fmpq(1))], view.e, view.c, view.d)
    with pytest.raises(CertificateError):                    # an opposite pair is not a pair of positive twins
        bn.MergeTwins(i, 3).apply(opposite)


def test_the_audit_reflected_pair_now_carries_moves():
    """The audit's reflected pair with all rows parallel in regime PN ($c' = -c$): once only the arrangement
    certificate proved it; now :class:`ReflectPlateau` relates them (``tests/test_outer_witness_reflect.py``)."""
    a = Network.from_arrays([[[-1], [-1]], [[-1, -1]], [[1]]], [[1, 2], [2], [0]])
    b = Network.from_arrays([[[1], [1]], [[-2, 1]], [[-1]]], [["-1/2", -1], [2], [2]])
    assert _same(a, b) and pl.equivalent(a, b)
    res = sa.equivalent(a, b)
    assert res and isinstance(res.certificate, bn.BottleneckMoveCertificate) and res.verify(a, b)
    assert set(res.certificate.mechanisms()) - {"G"} == {REFLECT}


def test_visible_lines_agree_with_the_line_by_line_test():
    """The classification reads visibility off the cells; it must agree with :func:`visible` (h on each line)."""
    checked = 0
    for seed in range(40):
        arch = (2, 5, 1, 1) if seed % 3 else (1, 4, 1, 1)
        net = Network.random(arch, seed=seed, height=3)
        if seed % 4 == 0:      # parallel rows and a shared hyperplane
            W = [list(r) for r in net.weights[0]]
            W[1] = [2 * x for x in W[0]]
            net = net.replace_layer(1, W)
        t = bn.combinatorial_type(net)
        view = bn.OuterView.of(net)
        arr = NetworkArrangement((net,))
        rows = iter(arr.neuron_data(view.inner)[0])
        for w, v, cls in zip(view.w, view.v, t.classes):
            if any(w):
                k = next(rows)[0]
                if v != 0:
                    assert (cls == "V") == visible(arr, view, k), (seed, t)
                    checked += 1
    assert checked > 100


def test_flips_absorbed_by_u_plus_neurons_are_listed():
    """Issue 17 (e): the mechanism TradeOnP realises, listed with its kind; discrete and not freezing, so
    :func:`~semialg.engine.conservation.mechanism_conservation` counts no law for it."""
    for seed in range(200):
        net = Network.random((2, 3, 1, 1), seed=seed, height=3)
        t = bn.combinatorial_type(net)
        if t.regime == "PN" and "U+" in t.classes and "V" in t.classes:
            break
    m = {m.name: m for m in bn.hidden_symmetries(net)}["flips absorbed by U+ neurons"]
    assert m.kind == "discrete" and not m.freezes and "compensated" in m.relation
    assert set(m.neurons) == {i for i, c in enumerate(t.classes) if c in ("V", "U+")}


@settings(max_examples=12, deadline=None)
@given(st.lists(st.fractions(-3, 3, max_denominator=3).filter(bool), min_size=6, max_size=6),
       st.fractions(-2, 2, max_denominator=3).filter(bool), st.fractions(-2, 0, max_denominator=2), st.data())
def test_opposite_pairs_traded(v, y, e, data):
    """Opposite pairs on the parallel lines $x = 0$, $x = 1$: $v_{i_p} \\mathrel{+}= Y_p$,
    $v_{j_p} \\mathrel{-}= Y_p$ with $Y_0 + Y_1 = 0$ ($\\sigma(z) - \\sigma(-z) = z$), $e$ compensating."""
    rows = [((1, 0), 0), ((-1, 0), 0), ((1, 0), -1), ((-1, 0), 1), ((0, 1), 0), ((1, 1), -2)]
    net = _net([(tuple(map(_q, w)), _q(b), _q(x)) for (w, b), x in zip(rows, v)], _q(e), [fmpq(2)], [fmpq(1)])
    assume(bn.combinatorial_type(net).regime == "PN")
    assume(_q(v[0]) + _q(y) != 0 and _q(v[1]) - _q(y) != 0 and _q(v[2]) - _q(y) != 0 and _q(v[3]) + _q(y) != 0)
    # not also the 0-factor flip of all four neurons (it swaps the weights within each pair)
    assume(not (_q(y) == _q(v[1]) - _q(v[0]) and -_q(y) == _q(v[3]) - _q(v[2])))
    assert "opposite pairs" in {m.name for m in bn.hidden_symmetries(net)}
    moved = bn.TradeOppositePairs(((0, 1), (2, 3)), (_q(y), -_q(y))).apply(net)
    # pairs of visible neurons (U+ neurons would make it the U+ <-> e trade as well)
    assume(all(bn.combinatorial_type(x).classes[:4] == ("V",) * 4 for x in (net, moved)))
    other = data.draw(group_elements(moved.architecture)).act(moved)
    _certified(net, other, {"opposite pairs"})
    with pytest.raises(CertificateError):                    # sum_p Y_p w_p != 0: h changes by an affine term
        bn.TradeOppositePairs(((0, 1),), (_q(y),)).apply(net)
    with pytest.raises(CertificateError):                    # (0, 2) are positive twins' lines, not opposite
        bn.TradeOppositePairs(((0, 2), (1, 3)), (_q(y), -_q(y))).apply(net)


def test_enter_plateau_refuses_a_negative_level():
    # h = s(x) - 1 >= -1, but sigma(h) != h + 1: the replacement h' = s(x) - s(-x - 1) changes f at x = 0
    net = Network.from_arrays([[[1], [0]], [[1, 0]], [[1]]], [[0, 0], [-1], [0]])
    mv = bn.EnterPlateau((((1,), 0, 1), ((-1,), -1, -1)), 0, -1)
    out = Network.from_arrays([[[1], [-1]], [[1, -1]], [[1]]], [[0, -1], [0], [-1]])
    assert net([fmpq(0)]) != out([fmpq(0)])
    with pytest.raises(CertificateError, match="negative"):
        mv.apply(net)
    cert = bn.BottleneckMoveCertificate((mv,), (), GroupElement.identity(out.architecture))
    with pytest.raises(CertificateError):
        cert.verify(net, out)
