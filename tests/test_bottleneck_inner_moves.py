"""Issue 17 item 3, case (a) regime T: pairs whose inner networks need the shallow family's moves (twins on one
side, an opposite pair on the other, with flips) carry a move certificate (:class:`MoveOfH` chains) instead of
the arrangement certificate (of 258 members of regime-T fibre components with an opposite pair, drawn as
below over 300 seeds, 249 before, 0 after).

Members are drawn from the regime-T fibre (``sa.fibre(net).sample``: $h' = \\mu h + t$ with $h'$ in the shallow
fibre of $h$) and checked by exact evaluation, not by the code under test; every move of the certificate is
replayed and must keep the function; forged moves are refused."""

from __future__ import annotations

import dataclasses
import itertools
import random

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.errors import CertificateError
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.inner_moves import MoveOfH, inner_witness
from semialg.families.bottleneck.moves import BottleneckMoveCertificate
from semialg.families.shallow.moves import MergeTwins, Move as ShallowMove

SURVEY = (Network.from_arrays([[[1], [2], [2], [1]], [[-2, "2/3", "3/2", 1]], [["-2/3"]]],
                              [[-1, 2, "1/3", 1], [2], [-1]]),
          Network.from_arrays([[["-3/2"], ["4/3"], [4], [-2]], [["-35/27", "-5/4", "10/9", "35/36"]], [["-4/5"]]],
                              [["-1/4", "-4/3", "2/3", -2], ["553/108"], ["7/15"]]))


def _same(a: Network, b: Network, rng: random.Random) -> bool:
    n0 = a.widths[0]
    return all(a(x) == b(x) for x in ([fmpq(rng.randint(-90, 90), rng.randint(1, 7)) for _ in range(n0)]
                                      for _ in range(40)))


def _replays(cert, a: Network, b: Network, rng: random.Random) -> bool:
    for start, moves in ((a, cert.moves1), (b, cert.moves2)):
        r = start
        for mv in moves:
            r = mv.apply(r)
            if not _same(start, r, rng):
                return False
    return True


def test_the_survey_pair_is_certified_by_moves_of_h():
    a, b = SURVEY
    rng = random.Random(0)
    assert _same(a, b, rng), "the survey pair is not equivalent"
    for x, y in ((a, b), (b, a)):
        res = sa.equivalent(x, y)
        cert = res.certificate
        assert res and isinstance(cert, BottleneckMoveCertificate) and cert.verify(x, y)
        assert any(isinstance(mv, MoveOfH) for mv in cert.moves1 + cert.moves2) and _replays(cert, x, y, rng)
        assert {"positive twins", "opposite pairs"} <= set(cert.mechanisms())


def _regime_t(seed: int):
    rng = random.Random(seed)
    net = Network.random((rng.choice([1, 2]), rng.choice([3, 4]), 1, 1), seed=seed, height=3)
    if rng.random() < 0.7:    # v >= 0 and e >= 0: h >= 0 (regime T unless constant)
        net = Network(net.weights[:1] + ((tuple(abs(x) for x in net.weights[1][0]),),) + net.weights[2:],
                      net.biases[:1] + ((abs(net.biases[1][0]),),) + net.biases[2:])
    if rng.random() < 0.6:    # neuron 1 a twin of neuron 0: members may carry an opposite pair there instead
        W, b = [list(r) for r in net.weights[0]], list(net.biases[0])
        W[1], b[1] = [2 * x for x in W[0]], 2 * b[0]
        net = Network((tuple(map(tuple, W)),) + net.weights[1:], (tuple(b),) + net.biases[1:])
    return net if bn.combinatorial_type(net).regime == "T" else None


def _opposite_pair(j) -> bool:
    """Whether the (T') component ``j`` = (sign of mu, shallow type) puts two neurons on one kink, both orientations."""
    kinks = [r for r in j[1] if isinstance(r, tuple) and r[:1] == ("K",)] if isinstance(j[1], tuple) else []
    return any((k[0], k[1], -k[2]) in kinks for k in kinks)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10 ** 5))
def test_regime_t_fibre_members_get_move_certificates(seed):
    net = _regime_t(seed)
    if net is None:
        return
    rng = random.Random(seed)
    F = sa.fibre(net)
    paired = [j for j in itertools.islice(F.index, 400) if _opposite_pair(j)]    # the members that need h's moves
    for j in rng.sample(paired, min(3, len(paired))) or [None]:
        x = F.sample(rng.randrange(10 ** 6), j)
        assert _same(net, x, rng)
        res = sa.equivalent(net, x)
        assert res and isinstance(res.certificate, BottleneckMoveCertificate) and res.certificate.verify(net, x)
        assert _replays(res.certificate, net, x, rng)


class _Skip(ShallowMove):
    """A look-alike move defined outside the shallow family: apply skips every check."""
    mechanism = "M2 twins"

    def apply(self, net):
        return net


def test_forged_moves_of_h_are_refused():
    a, b = SURVEY
    cert = inner_witness(a, b)
    k, mv = next((k, mv) for k, mv in enumerate(cert.moves1) if isinstance(mv, MoveOfH)
                 and isinstance(mv.move, MergeTwins))
    forged = [MoveOfH(MergeTwins(mv.move.i, (mv.move.j + 1) % 4)),         # not twins
              MoveOfH(dataclasses.replace(mv.move, j=9)),                     # no such neuron
              MoveOfH(_Skip()),                                               # not the shallow family's
              MoveOfH(bn.TradeBiasOutput(1))]                                 # a bottleneck move inside
    for f in forged:
        moves = list(cert.moves1)
        moves[k] = f
        with pytest.raises(CertificateError):
            dataclasses.replace(cert, moves1=tuple(moves)).verify(a, b)
    other = Network.from_arrays([[[1], [2], [2], [1]], [[-2, "2/3", "3/2", 2]], [["-2/3"]]],
                                [[-1, 2, "1/3", 1], [2], [-1]])
    assert not _same(a, other, random.Random(1)) and inner_witness(a, other) is None
    with pytest.raises(CertificateError):
        cert.verify(a, other)
