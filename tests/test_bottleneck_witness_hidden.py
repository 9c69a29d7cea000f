"""Issue 17 item 3, case (a): move certificates for equivalent pairs with hidden first-layer neurons (U−, U+)
and of different widths.

Equivalent pairs are built by independent random moves — hidden neurons moved, inserted or dropped at random
places accepted only when the region oracle ``pl.equivalent`` proves the function unchanged, U+ neurons traded
with $e$, visible flips absorbed by a U+ neuron, random group elements — and the certificate must verify, name
exactly the mechanisms of the moves used, and every network of its replay must compute the same function
(exact evaluation at rational points). Forged certificates must raise :class:`CertificateError`.
"""

from __future__ import annotations

import dataclasses
import functools
import random

import pytest
from flint import fmpq

import semialg as sa
from semialg import Network
from semialg.core.symmetry import GroupElement
from semialg.engine import regions as pl
from semialg.errors import CertificateError
from semialg.families import bottleneck as bn

HIDDEN, TRADE, FLIPS = "hidden neurons (U-)", "U+ <-> e trade", "flips absorbed by U+ neurons"


@functools.lru_cache(maxsize=None)
def _base(seed: int, n1: int) -> Network | None:
    """A random case-(a) parameter of regime PN with a hidden neuron and every neuron V, U− or U+."""
    net = Network.random((2, n1, 1, 1), seed=seed, height=3)
    t = bn.combinatorial_type(net)
    if t.regime != "PN" or not set(t.classes) <= {"V", "U-", "U+"} or not {"U-", "U+"} & set(t.classes):
        return None
    return net


def _bases(count: int, n1: int) -> list[Network]:
    return [net for s in range(300) if (net := _base(s, n1)) is not None][:count]


def _points(n0: int, rng: random.Random, k: int = 12) -> list:
    return [[fmpq(rng.randint(-40, 40), rng.randint(1, 6)) for _ in range(n0)] for _ in range(k)]


def _same(a: Network, b: Network, rng: random.Random) -> bool:
    return all(a(x) == b(x) for x in _points(a.widths[0], rng))


def _q(rng: random.Random, lo: int = -4, hi: int = 4) -> fmpq:
    return fmpq(rng.randint(lo, hi), rng.randint(1, 3))


def _neurons(net: Network) -> list:
    v = bn.OuterView.of(net)
    return [(list(w), b, x) for w, b, x in zip(v.w, v.b, v.v)]


def _build(net: Network, neurons: list, e=None) -> Network:
    (_, _, W3), (_, b2, b3) = net.weights, net.biases
    return Network.from_arrays([[w for w, _, _ in neurons], [[x for _, _, x in neurons]], [list(r) for r in W3]],
                               [[b for _, b, _ in neurons], [b2[0] if e is None else e], list(b3)])


def _admissible(net: Network, candidates) -> Network | None:
    """The first candidate the region oracle proves equivalent to ``net`` (and that differs from it)."""
    for other in candidates:
        if other != net and bool(pl.equivalent(net, other)):
            return other
    return None


def _classes(net):
    return bn.combinatorial_type(net).classes


def move_hidden(net: Network, rng: random.Random) -> Network | None:
    neurons = _neurons(net)
    idx = [i for i, c in enumerate(_classes(net)) if c == "U-"]
    if not idx:
        return None
    i = rng.choice(idx)

    def cands():
        for _ in range(8):
            w, b, v = neurons[i]
            moved = list(neurons)
            moved[i] = ([x + _q(rng, -2, 2) / 2 for x in w], b - fmpq(rng.randint(0, 6), 2),
                        v * fmpq(rng.randint(1, 4), rng.randint(1, 4)))
            yield _build(net, moved)
    return _admissible(net, cands())


def insert_hidden(net: Network, rng: random.Random) -> Network | None:
    neurons = _neurons(net)

    def cands():
        for _ in range(8):
            new = ([_q(rng) for _ in range(2)], -fmpq(rng.randint(1, 40)), _q(rng, -3, 3) or fmpq(-1))
            yield _build(net, neurons + [new])
    return _admissible(net, cands())


def drop_hidden(net: Network, rng: random.Random) -> Network | None:
    neurons = _neurons(net)
    idx = [i for i, c in enumerate(_classes(net)) if c == "U-"]
    rng.shuffle(idx)
    return _admissible(net, (_build(net, neurons[:i] + neurons[i + 1:]) for i in idx if len(neurons) > 1))


def trade(net: Network, rng: random.Random) -> Network | None:
    """A U+ neuron's bias raised by $t$, $e$ lowered by $vt$: the same affine map on P."""
    neurons, e = _neurons(net), bn.OuterView.of(net).e
    idx = [i for i, c in enumerate(_classes(net)) if c == "U+"]
    if not idx:
        return None
    i = rng.choice(idx)

    def cands():
        for t in (fmpq(1, 2), fmpq(rng.randint(1, 5)), fmpq(rng.randint(5, 30))):
            moved = list(neurons)
            w, b, v = neurons[i]
            moved[i] = (w, b + t, v)
            yield _build(net, moved, e - v * t)
    return _admissible(net, cands())


def flip_absorbed(net: Network, rng: random.Random) -> Network | None:
    """A visible neuron $k$ flipped, $v_k\\ell_k$ added to a U+ neuron $j$ (plus $t$, $e$ compensating)."""
    neurons, e, cls = _neurons(net), bn.OuterView.of(net).e, _classes(net)
    vis = [i for i, c in enumerate(cls) if c == "V"]
    ups = [i for i, c in enumerate(cls) if c == "U+"]
    if not vis or not ups:
        return None
    k, j = rng.choice(vis), rng.choice(ups)
    (wk, bk, vk), (wj, bj, vj) = neurons[k], neurons[j]
    r = vk / vj

    def cands():
        for t in (fmpq(0), fmpq(1), fmpq(5), fmpq(40)):
            moved = list(neurons)
            moved[k] = ([-x for x in wk], -bk, vk)
            moved[j] = ([x + r * y for x, y in zip(wj, wk)], bj + r * bk + t, vj)
            yield _build(net, moved, e - vj * t)
    return _admissible(net, cands())


MOVES = {HIDDEN: (move_hidden, insert_hidden, drop_hidden), TRADE: (trade,), FLIPS: (flip_absorbed,)}


def _replayed(cert, net: Network) -> list[Network]:
    out = [net]
    for mv in cert.moves1:
        out.append(mv.apply(out[-1]))
    return out


def _check_pair(a: Network, b: Network, names: set, rng: random.Random) -> bn.BottleneckMoveCertificate:
    cert = bn.witness(a, b)
    assert cert is not None, "no move certificate for an equivalent pair"
    assert cert.verify(a, b)
    assert set(cert.mechanisms()) - {"G"} == names, (cert.mechanisms(), names)
    for r in _replayed(cert, a):
        assert _same(a, r, rng), "a replayed intermediate network computes another function"
    res = sa.equivalent(a, b)
    assert res and res.verify(a, b) and isinstance(res.certificate, bn.BottleneckMoveCertificate)
    return cert


def _single(kind: str, bases: list[Network]) -> int:
    rng = random.Random(len(kind))
    done = 0
    for net in bases:
        for make in MOVES[kind]:
            other = make(net, rng)
            if other is None:
                continue
            g = GroupElement.random(other.architecture, seed=rng.randrange(1000), height=3)
            _check_pair(net, g.act(other), {kind}, rng)
            done += 1
    return done


@pytest.mark.parametrize("kind", [HIDDEN, TRADE, FLIPS])
def test_single_moves_are_named_and_replayed(kind):
    assert _single(kind, _bases(12, 3) + _bases(4, 4)) >= 4


@pytest.mark.slow
@pytest.mark.parametrize("kind", [HIDDEN, TRADE, FLIPS])
def test_single_moves_are_named_and_replayed_many(kind):
    assert _single(kind, _bases(60, 3) + _bases(30, 4) + _bases(10, 5)) >= 30


def _chains(bases: list[Network], seed: int) -> int:
    rng = random.Random(seed)
    done = 0
    for net in bases:
        other, names = net, set()
        for _ in range(3):
            kind = rng.choice(list(MOVES))
            nxt = rng.choice(MOVES[kind])(other, rng)
            if nxt is not None:
                other, names = nxt, names | {kind}
        if not names:
            continue
        g = GroupElement.random(other.architecture, seed=rng.randrange(1000), height=3)
        cert = bn.witness(net, g.act(other))
        assert cert is not None and cert.verify(net, g.act(other))
        # a hidden neuron moved onto w = 0 is a constant neuron (class D), named as such
        allowed = names | {HIDDEN, TRADE, "constant neurons (D)"}
        assert set(cert.mechanisms()) - {"G"} <= allowed, (cert.mechanisms(), names)
        for r in _replayed(cert, net):
            assert _same(net, r, rng)
        done += 1
    return done


def test_chains_of_moves_with_width_changes():
    assert _chains(_bases(12, 3), 7) >= 6


@pytest.mark.slow
def test_chains_of_moves_with_width_changes_many():
    assert _chains(_bases(60, 3) + _bases(30, 4), 8) >= 50


def _hidden_pair():
    for net in _bases(40, 3):
        other = move_hidden(net, random.Random(1))
        if other is not None:
            cert = bn.witness(net, other)
            if any(isinstance(mv, bn.MoveHiddenNeuron) for mv in cert.moves1):
                return net, other, cert
    raise AssertionError("no hidden move found")


def _forged(cert, k, mv):
    moves = list(cert.moves1)
    moves[k] = mv
    return dataclasses.replace(cert, moves1=tuple(moves))


def test_forged_hidden_moves_are_refused():
    net, other, cert = _hidden_pair()
    k, mv = next((k, mv) for k, mv in enumerate(cert.moves1) if isinstance(mv, bn.MoveHiddenNeuron))
    before = _replayed(cert, net)[k]
    cls = _classes(before)
    vis = next(i for i, c in enumerate(cls) if c == "V")
    w, b, v = _neurons(before)[vis]
    n = len(cls)
    forgeries = [
        dataclasses.replace(mv, w=tuple(fmpq(x) for x in w), b=b, v=fmpq(1)),      # the new neuron meets P
        dataclasses.replace(mv, v=fmpq(10 ** 6)),                                   # h' > 0 off P
        dataclasses.replace(mv, i=vis),                                             # a visible neuron moved
        dataclasses.replace(mv, i=-1), dataclasses.replace(mv, i=n),
        dataclasses.replace(mv, w=(fmpq(1),)),                                      # a row of the wrong length
        bn.DropHiddenNeuron(vis), bn.DropHiddenNeuron(-1),
        bn.InsertHiddenNeuron(tuple(fmpq(x) for x in w), b, fmpq(1)),
        bn.TradeOnP((), (), (), bn.OuterView.of(before).e + 1),                     # e tampered
        bn.TradeOnP((vis, vis), (), (), fmpq(0)), bn.TradeOnP((n,), (), (), fmpq(0)),
        bn.TradeOnP((), (), (next(i for i, c in enumerate(cls) if c == "U-"),), fmpq(0)),  # flip of a hidden one
    ]
    for forged in forgeries:
        with pytest.raises(CertificateError):
            _forged(cert, k, forged).verify(net, other)


def test_forged_trade_and_foreign_moves_are_refused():
    rng = random.Random(3)
    for net in _bases(40, 3):
        other = trade(net, rng)
        if other is None:
            continue
        cert = bn.witness(net, other)
        k, mv = next((k, mv) for k, mv in enumerate(cert.moves1) if isinstance(mv, bn.TradeOnP))
        for forged in (dataclasses.replace(mv, e=mv.e + fmpq(1, 7)),
                       dataclasses.replace(mv, drop=mv.drop + mv.drop[:1]),
                       dataclasses.replace(mv, insert=((((1, 0, 0),), 0, 1),)),
                       dataclasses.replace(mv, insert=tuple((w, b + 1, v) for w, b, v in mv.insert))):
            with pytest.raises(CertificateError):
                _forged(cert, k, forged).verify(net, other)

        from semialg.families.shallow.moves import ClearDeadNeuron
        with pytest.raises(CertificateError):      # a certificate accepts only its family's moves
            dataclasses.replace(cert, moves1=(ClearDeadNeuron(0),)).verify(net, other)
        return
    raise AssertionError("no U+ trade found")


def test_every_move_keeps_the_function_exactly():
    """Each kind of move applied alone, with random admissible data, agrees with the region oracle: a move that
    replays computes the same function; a candidate the oracle rejects does not replay."""
    rng = random.Random(11)
    seen = {True: 0, False: 0}
    for net in _bases(12, 3):
        cls = _classes(net)
        for i, c in enumerate(cls):
            if c != "U-":
                continue
            for _ in range(3):
                mv = bn.MoveHiddenNeuron(i, (_q(rng), _q(rng)), _q(rng, -8, 2), _q(rng))
                try:
                    moved = mv.apply(net)
                except CertificateError:
                    moved = None
                cand = bn.replace_neuron(net, 1, i, mv.w, mv.b, [mv.v], check=False)
                same = bool(pl.equivalent(net, cand))
                dead = _classes(cand)[i] in ("U-",) or mv.v == 0
                assert (moved is not None) == (same and dead), (mv, same, dead)
                seen[moved is not None] += 1
    assert seen[True] >= 2 and seen[False] >= 2, seen


# -- constant functions and regime T ------------------------------------------------------------------------

def _random_a(rng: random.Random, n1: int, v_sign: int, e, c) -> Network:
    W1 = [[_q(rng) for _ in range(2)] for _ in range(n1)]
    v = [v_sign * fmpq(rng.randint(1, 4), rng.randint(1, 3)) for _ in range(n1)]
    return Network.from_arrays([W1, [v], [[x] for x in c]], [[_q(rng) for _ in range(n1)], [e], [fmpq(2), fmpq(-1)]])


def test_constant_pairs_and_regime_t_trades():
    """Constant f: $c = 0$ or $h \\le 0$ everywhere (all $v < 0$, $e < 0$), any widths; regime T ($v > 0$,
    $e > 0$, so $h \\ge 0$): $e \\mapsto e + t$, $d \\mapsto d - ct$ with $h + t \\ge 0$."""
    rng = random.Random(4)
    for k in range(8):
        zero = [fmpq(0), fmpq(0)]
        a = _random_a(rng, rng.randint(2, 3), rng.choice((1, -1)), _q(rng), zero)
        b = _random_a(rng, rng.randint(2, 4), -1, -fmpq(rng.randint(1, 5)), [_q(rng), _q(rng)])
        assert _same(a, b, rng) and pl.equivalent(a, b)
        cert = bn.witness(a, b)
        assert cert is not None and cert.verify(a, b) and set(cert.mechanisms()) - {"G"} == {"constant function"}
        with pytest.raises(CertificateError):       # h > 0 somewhere: the outer neuron is not silent
            bn.SilenceOuter().apply(_random_a(rng, 2, 1, fmpq(1), [fmpq(1), fmpq(1)]))
        with pytest.raises(CertificateError):       # c != 0: the inner network matters
            bn.ReplaceInner((((1, 0), 0, 1),), 0).apply(b)
        e, c = fmpq(rng.randint(1, 6)), [_q(rng) or fmpq(1), _q(rng)]
        a = _random_a(rng, 3, 1, e, c)
        t = fmpq(rng.randint(-2 * int(e), 8), 2)
        moved = a.replace_layer(2, bias=[e + t]).replace_layer(3, bias=[d - x * t for x, d in zip(c, a.biases[2])])
        b = GroupElement.random(a.architecture, seed=k, height=3).act(moved)
        if t < -e or not pl.equivalent(a, b):
            continue
        cert = bn.witness(a, b)
        assert cert is not None and cert.verify(a, b)
        assert set(cert.mechanisms()) - {"G"} == ({"e <-> d trade"} if t else set()), cert.mechanisms()
        for r in _replayed(cert, a):
            assert _same(a, r, rng)
        with pytest.raises(CertificateError):       # h + t < 0 somewhere
            bn.TradeBiasOutput(-e - 10 ** 6).apply(a)
