"""Issue 17 item 3, case (b): short move certificates — moves only for the neurons that differ.

Pairs are built by hand by k independent function-preserving moves on distinct second-layer neurons (a kink flip
absorbed by an always-active neuron, an A-block bias or slope trade, a dead neuron moved, a kink's jump split
with a dead neuron at the same point, a hidden first-layer hyperplane translated, a neuron with output weight 0 added) and a random
group element;
the function is checked unchanged by exact evaluation and the region oracle, not by the code under test. The
certificate must verify, name only the mechanisms of the moves used (besides G), and have at most
$3u + 15 + |n_2 - n'_2|$ moves (the bound of ``short_witness``), where $u \\le 2|T|$ for the set $T$ of neurons the moves
touched (untouched neurons stay equal up to G). Tampered certificates are refused."""

from __future__ import annotations

import dataclasses
import random

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

from semialg import Network
from semialg.core.symmetry import GroupElement
from semialg.engine import regions as pl
from semialg.errors import CertificateError
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.witnesses import normal_form_witness, short_witness

SIGNS = {"A": (1, 1), "K+": (1, -1), "K-": (-1, 1), "Z": (-1, -1)}
NAMES = {"kink flip": {"kink flips"}, "bias trade": {"A-block trade"}, "slope trade": {"A-block trade"},
         "dead moved": {"dead neurons"}, "kink split": {"coincident kinks", "dead neurons"},
         "hidden translation": {"hidden hyperplane translation"}, "neuron added": {"dead neurons"}}


def _q(rng, lo=1, hi=6) -> fmpq:
    return fmpq(rng.randint(lo, hi), rng.randint(1, 4))


def _net(w, b, v, e, c, d) -> Network:
    return Network.from_arrays([[w], [[x] for x in v], [list(r) for r in zip(*c)]], [[b], e, d])


def moved_pair(seed: int, n2: int, moves: list[str], n3: int = 1):
    """``(net, other, touched)``: ``other`` is ``net`` after ``moves`` (independent, on distinct neurons) and a
    random group element; ``touched`` the second-layer neurons the moves changed."""
    rng = random.Random(seed)
    hidden = moves == ["hidden translation"]
    n_a = 0 if hidden else 1 + moves.count("bias trade") + 2 * moves.count("slope trade")
    n_z = 1 + moves.count("dead moved") + moves.count("kink split")
    n_k = max(n2 - n_a - n_z, moves.count("kink flip") + moves.count("kink split"), 1)
    classes = ["A"] * n_a + [("K+" if hidden else rng.choice(("K+", "K-"))) for _ in range(n_k)] + ["Z"] * n_z
    v = [SIGNS[k][0] * _q(rng) for k in classes]
    taus = rng.sample(range(1, 40 * len(classes)), len(classes))
    e = [-x * fmpq(t, 7) if k in ("K+", "K-") else SIGNS[k][1] * _q(rng) for k, x, t in zip(classes, v, taus)]
    c = [[_q(rng) * rng.choice((-1, 1)) for _ in range(n3)] for _ in classes]
    w, b, d = [_q(rng) * rng.choice((-1, 1)), _q(rng)], _q(rng) * rng.choice((-1, 1)), [_q(rng) for _ in range(n3)]
    v2, e2, c2, d2, b2 = list(v), list(e), [list(x) for x in c], list(d), b
    kinks = [j for j, k in enumerate(classes) if k in ("K+", "K-")]
    rng.shuffle(kinks)
    a_free, z_free = list(range(n_a)), list(range(len(classes) - n_z, len(classes)))
    touched = set()
    for move in moves:
        if move == "kink flip":
            j, i = kinks.pop(), 0
            r = v2[j] / v2[i]
            c2[i] = [x + y * r for x, y in zip(c2[i], c2[j])]
            d2 = [x + y * e2[j] - y * r * e2[i] for x, y in zip(d2, c2[j])]
            v2[j], e2[j] = -v2[j], -e2[j]
            touched |= {i, j}
        elif move == "bias trade":
            i, delta = a_free.pop(), _q(rng)
            e2[i] += delta
            d2 = [x - y * delta for x, y in zip(d2, c2[i])]
            touched.add(i)
        elif move == "slope trade":
            i, j, delta = a_free.pop(), a_free.pop(), _q(rng)
            c2[i] = [x + delta / v2[i] for x in c2[i]]
            c2[j] = [x - delta / v2[j] for x in c2[j]]
            d2 = [x - delta * e2[i] / v2[i] + delta * e2[j] / v2[j] for x in d2]
            touched |= {i, j}
        elif move == "dead moved":
            j = z_free.pop()
            v2[j], e2[j], c2[j] = -_q(rng), -_q(rng), [_q(rng, -4, 4) for _ in range(n3)]
            touched.add(j)
        elif move == "kink split":
            j, z = kinks.pop(), z_free.pop()
            alpha = fmpq(rng.randint(1, 3), 4)
            v2[z] = (1 if v2[j] > 0 else -1) * _q(rng)
            e2[z] = v2[z] * e2[j] / v2[j]
            c2[z] = [alpha * x * v2[j] / v2[z] for x in c2[j]]
            c2[j] = [(1 - alpha) * x for x in c2[j]]
            touched |= {j, z}
        elif move == "neuron added":              # a neuron with output weight 0: the width changes
            v2, e2, c2 = v2 + [_q(rng) * rng.choice((-1, 1))], e2 + [_q(rng, -3, 3)], c2 + [[fmpq(0)] * n3]
            touched.add(len(v2) - 1)
        else:                                     # every neuron switches on beyond t = 0: H moves freely
            tau = min(-x / y for x, y in zip(e, v) if y > 0)
            beta = -tau * fmpq(rng.randint(1, 3), 4)          # every e_j - v_j beta stays < 0
            b2, e2 = b + beta, [x - y * beta for x, y in zip(e2, v2)]
    other = _net(w, b2, v2, e2, c2, d2)
    other = GroupElement.random(other.architecture, seed=rng.randrange(10 ** 6), height=3).act(other)
    return _net(w, b, v, e, c, d), other, touched


def _points(rng, k: int = 8):
    return [[fmpq(rng.randint(-40, 40), rng.randint(1, 5)) for _ in range(2)] for _ in range(k)]


MOVES = ("kink flip", "bias trade", "slope trade", "dead moved", "kink split", "neuron added")


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10 ** 6), n2=st.integers(2, 10), n3=st.integers(1, 2),
       moves=st.lists(st.sampled_from(MOVES), min_size=1, max_size=3))
def test_short_witness_of_moved_pairs(seed, n2, n3, moves):
    net, other, touched = moved_pair(seed, n2, moves, n3)
    rng = random.Random(seed)
    assert all(net(x) == other(x) for x in _points(rng)), "the builder is wrong"
    cert = short_witness(net, other)
    assert cert is not None and cert.verify(net, other)
    assert set(cert.mechanisms()) - {"G"} <= set().union(*(NAMES[m] for m in moves)), (cert.mechanisms(), moves)
    added = moves.count("neuron added")           # u <= 2|T|, plus one padding neuron per added neuron
    assert len(cert.moves1) + len(cert.moves2) <= 3 * 2 * len(touched) + 15 + added
    assert bn.witness(net, other) == cert


@pytest.mark.parametrize("move", sorted(NAMES))
def test_one_move_is_named_exactly(move):
    for seed in range(4):
        net, other, touched = moved_pair(seed, 7, [move])
        assert pl.equivalent(net, other), "the builder is wrong"
        cert = short_witness(net, other)
        assert cert is not None and cert.verify(net, other)
        used = set(cert.mechanisms()) - {"G"}
        assert used and used <= NAMES[move]
        assert len(cert.moves1) + len(cert.moves2) <= 6 * len(touched) + 16


def test_wide_pairs_get_few_moves_and_the_old_chains_many():
    net, other, touched = moved_pair(3, 300, ["kink flip", "dead moved", "bias trade"])
    cert = short_witness(net, other)
    assert cert.verify(net, other) and len(cert.moves1) + len(cert.moves2) <= 6 * len(touched) + 15
    old = normal_form_witness(net, other)
    assert old.verify(net, other) and len(old.moves1) + len(old.moves2) > 100


def test_tampered_short_certificates_are_refused():
    for seed in range(6):
        net, other, _ = moved_pair(seed, 8, [MOVES[seed % len(MOVES)], "dead moved"])
        cert = short_witness(net, other)
        g = cert.element
        bad = GroupElement(g.permutations, [g.scales[0], (g.scales[1][0] * 2,) + g.scales[1][1:]])
        with pytest.raises(CertificateError):
            dataclasses.replace(cert, element=bad).verify(net, other)
        side = "moves1" if len(cert.moves1) >= len(cert.moves2) else "moves2"
        moves = getattr(cert, side)
        for k in range(len(moves)):        # every move changes the parameter: none can be left out
            with pytest.raises(CertificateError):
                dataclasses.replace(cert, **{side: moves[:k] + moves[k + 1:]}).verify(net, other)
        with pytest.raises(CertificateError):
            dataclasses.replace(cert, moves1=cert.moves1 + (bn.TranslateHidden(fmpq(1, 3)),)).verify(net, other)


def test_beyond_the_old_witness_limit(monkeypatch):
    """Above n2 = 1024 a proven equivalence carries the short witness while its bound fits the work budget,
    else the profile certificate."""
    from semialg.families.bottleneck import equivalence as eq
    net, other, touched = moved_pair(11, eq.WITNESS_LIMIT + 76, ["kink flip", "dead moved"])
    r = bn.equivalent(net, other)
    assert isinstance(r.certificate, bn.BottleneckMoveCertificate) and r.verify(net, other)
    assert len(r.certificate.moves1) + len(r.certificate.moves2) <= 6 * len(touched) + 15
    monkeypatch.setattr(eq, "SHORT_WITNESS_WORK", (eq.WITNESS_LIMIT + 76) * 16)
    r = bn.equivalent(net, other)
    assert isinstance(r.certificate, bn.RidgeCertificate) and r.verify(net, other)
