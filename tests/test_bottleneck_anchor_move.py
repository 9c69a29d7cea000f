"""Issue 17 item 3, case (b): the move "H onto / off a kink" — the first-layer hyperplane H moved into the flat
region of the profile (an always-active neuron becoming the kink that makes H's breakpoint), or a hidden H put on
the first kink. Pairs related by it are checked by exact evaluation and the region oracle, independently of the
move certificate; the certificate must name the move, replay it, and reject forgeries."""

from __future__ import annotations

import dataclasses
import itertools
import random

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.engine import regions as pl
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.ridge_typed import TypedRidge

MOVE = "H onto / off a kink"
SIGNS = {"A": (1, 1), "K+": (1, -1), "K-": (-1, 1), "Z": (-1, -1)}

# docs/theory.md's 2-1-2-1 example, classes A, K+: H visible, its breakpoint made by the A neuron
VISIBLE = Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])
# the same function by hand: H moved one unit into the flat region (b + 1), the A neuron now a kink at t = 1
# (e = -1, its old value c*e = 1 moved into d), the K+ kink moved along (e = -2 - 1)
HIDDEN = Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[0], [-1, -3], [1]])


def _points(net: Network, seed: int, k: int = 12) -> list[list[fmpq]]:
    rng = random.Random(seed)
    return [[fmpq(rng.randint(-40, 40), rng.randint(1, 7)) for _ in range(net.widths[0])] for _ in range(k)]


def _same_function(a: Network, b: Network, seed: int = 0) -> bool:
    """Exact evaluation at random rational points and the region oracle (neither uses the witness)."""
    return all(a(x) == b(x) for x in _points(a, seed)) and bool(pl.equivalent(a, b))


def _anchor_moves(cert: bn.BottleneckMoveCertificate) -> list[tuple[int, int]]:
    return [(side, k) for side, moves in enumerate((cert.moves1, cert.moves2))
            for k, mv in enumerate(moves) if isinstance(mv, bn.MoveOntoKink)]


def _forged(cert: bn.BottleneckMoveCertificate, side: int, k: int, move) -> bn.BottleneckMoveCertificate:
    field = ("moves1", "moves2")[side]
    moves = list(getattr(cert, field))
    moves[k] = move
    return dataclasses.replace(cert, **{field: tuple(moves)})


def _check_named_and_forgeries(a: Network, b: Network) -> None:
    r = sa.equivalent(a, b)
    cert = r.certificate
    assert bool(r) and isinstance(cert, bn.BottleneckMoveCertificate)
    assert MOVE in cert.mechanisms() and cert.verify(a, b) and r.verify(a, b)
    assert MOVE in cert.describe()
    side, k = _anchor_moves(cert)[0]
    beta = (cert.moves1, cert.moves2)[side][k].beta
    for wrong in (beta + fmpq(1, 3), beta / 2, -beta, fmpq(0)):          # wrong amounts
        with pytest.raises(sa.CertificateError):
            _forged(cert, side, k, bn.MoveOntoKink(wrong)).verify(a, b)
    # the move replayed on a parameter where G is not flat between 0 and -beta
    with pytest.raises(sa.CertificateError):
        dataclasses.replace(cert, moves1=(bn.MoveOntoKink(fmpq(-1)),) + cert.moves1).verify(a, b)


def test_the_docs_example_and_its_hand_built_image():
    assert _same_function(VISIBLE, HIDDEN)
    assert bn.combinatorial_type(VISIBLE).regime == "visible" and bn.combinatorial_type(HIDDEN).regime == "hidden"
    _check_named_and_forgeries(VISIBLE, HIDDEN)
    _check_named_and_forgeries(HIDDEN, VISIBLE)


def test_the_move_checks_its_precondition():
    # VISIBLE's A neuron has e = 1: active on [-1, 0], so G is not flat there
    with pytest.raises(sa.CertificateError):
        bn.MoveOntoKink(fmpq(1)).apply(VISIBLE)
    flat = bn.ShiftAffineBias(0).apply(VISIBLE)                       # e = 0: G is flat on t <= 0
    for beta in (fmpq(1), fmpq(5, 2)):
        moved = bn.MoveOntoKink(beta).apply(flat)
        assert _same_function(VISIBLE, moved)
        assert bn.RidgeView.of(moved).classes() == ("K+", "K+")
    with pytest.raises(sa.CertificateError):                          # into the sloped part of G
        bn.MoveOntoKink(fmpq(-1, 2)).apply(flat)
    # H hidden, first kink at tau = 1: onto it (that neuron becomes always active), not beyond it
    onto = bn.MoveOntoKink(fmpq(-1)).apply(HIDDEN)
    assert _same_function(HIDDEN, onto) and bn.RidgeView.of(onto).classes() == ("A", "K+")
    assert bn.RidgeView.of(onto).e[0] == 0
    for beta in (fmpq(-3, 2), fmpq(-3)):
        with pytest.raises(sa.CertificateError):
            bn.MoveOntoKink(beta).apply(HIDDEN)
    # hand-checked: beyond the first kink the function really changes
    beyond = Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[fmpq(-3, 2)], [fmpq(1, 2), fmpq(-3, 2)], [1]])
    assert not _same_function(HIDDEN, beyond)


def _ridge_network(seed: int, classes, n3: int) -> Network:
    rng = random.Random(seed)
    q = lambda lo=1, hi=6: fmpq(rng.randint(lo, hi), rng.randint(1, 4))  # noqa: E731
    w = [q() * rng.choice((-1, 1)) for _ in range(2)]
    v = [SIGNS[c][0] * q() for c in classes]
    e = [SIGNS[c][1] * q() for c in classes]
    c = [[q() * rng.choice((-1, 1)) for _ in classes] for _ in range(n3)]
    return Network.from_arrays([[w], [[x] for x in v], c], [[q() * rng.choice((-1, 1))], e, [q(-3, 3)] * n3])


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 10 ** 6), st.sampled_from([("A", "K+"), ("A", "K+", "Z"), ("K+", "K+", "Z"), ("A", "A", "K-"),
                                                 ("K+", "Z"), ("A", "K+", "K-")]), st.integers(1, 2))
def test_typed_fibre_samples_of_the_other_anchor_carry_the_named_move(seed, classes, n3):
    net = _ridge_network(seed, classes, n3)
    if not (bool(sa.genericity(net)) and all(c.holds for c in bn.type_checks(net))):
        return        # e.g. an A block cancelling the K+ slopes at infinity: reflected members need more moves
    R = TypedRidge(net)
    top = R.types.dimension()
    own = R.locate(net)[1]
    checked = 0
    for k, index in enumerate(itertools.islice(R.index, 40)):
        if R.dimension_of(index) != top:
            continue
        x = R.sample(seed + k, index)
        assert all(net(p) == x(p) for p in _points(net, seed + k, 6))
        r = sa.equivalent(net, x)
        assert isinstance(r.certificate, bn.BottleneckMoveCertificate) and r.verify(net, x)
        # the move is named exactly when the anchors differ (H on a kink in one, off it in the other)
        assert (MOVE in r.certificate.mechanisms()) == (index[1] != own)
        if index[1] != own and checked < 2:
            assert bool(pl.equivalent(net, x))
            _check_named_and_forgeries(net, x)
            checked += 1
