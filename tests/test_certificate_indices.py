"""Forged move certificates: a move must never alias a neuron through a negative or repeated index, and any
failure of a replay is a CertificateError (found by an independent audit; each case below verified for a pair
of networks computing different functions)."""

import pytest

import semialg as sa
from semialg import Network
from semialg.core.symmetry import GroupElement
from semialg.errors import CertificateError
from semialg.families.bottleneck.witnesses import (BottleneckMoveCertificate, ClearNeuron, FlipInner,
                                                   MergeAffine, MergeKinks)
from semialg.families.shallow.moves import ClearDeadNeuron, MergeTwins, MoveCertificate


def _differ(n1, n2, points):
    return any(n1(p) != n2(p) for p in points)


@pytest.mark.parametrize("move, w2, b2", [
    (MergeAffine(-1, 0), [[[1]], [[1]], [[0]]], [[0], [0], [0]]),
    (MergeKinks(-1, 0), [[[1]], [[1]], [[0]]], [[0], [-1], [0]]),
])
def test_case_b_moves_refuse_aliased_indices(move, w2, b2):
    n1 = Network.from_arrays([[[1]], [[1]], [[1]]], [[0], b2[1], [0]])
    n2 = Network.from_arrays(w2, b2)
    assert _differ(n1, n2, [[1], [2], [3]])
    cert = BottleneckMoveCertificate((move,), (), GroupElement.identity((1, 1)))
    with pytest.raises(CertificateError):
        cert.verify(n1, n2)


@pytest.mark.parametrize("S, net1, net2", [
    ((0, -1), ([[[1], [-1]], [[1, 1]], [[1]]], [[0, 0], [0], [0]]),
     ([[[-1], [-1]], [[1, 1]], [[1]]], [[0, 0], [0], [0]])),
    ((1, 1), ([[[1], [0]], [[1, 1]], [[1]]], [[0, 1], [2], [0]]),
     ([[[1], [0]], [[1, 1]], [[1]]], [[0, -1], [2], [0]])),
])
def test_flip_inner_refuses_negative_and_repeated_indices(S, net1, net2):
    n1, n2 = Network.from_arrays(*net1), Network.from_arrays(*net2)
    assert _differ(n1, n2, [[-1], [0], [1]])
    cert = BottleneckMoveCertificate((FlipInner(S),), (), GroupElement.identity((2, 1)))
    with pytest.raises(CertificateError):
        cert.verify(n1, n2)


def test_shallow_moves_refuse_aliased_indices():
    n1 = Network.from_arrays([[[1], [2]], [[1, 1]]], [[0, 0], [0]])
    for move in (MergeTwins(-1, 1), MergeTwins(1, 1), ClearDeadNeuron(-1), ClearDeadNeuron(7)):
        with pytest.raises(CertificateError):
            MoveCertificate((move,), ()).verify(n1, n1)


def test_replay_failures_are_certificate_errors():
    n = Network.from_arrays([[[1]], [[1], [1]], [[1, 1]]], [[0], [0, -1], [0]])
    for cert in (BottleneckMoveCertificate((ClearNeuron(5),), (), GroupElement.identity((1, 2))),
                 BottleneckMoveCertificate(("not a move",), (), GroupElement.identity((1, 2))),
                 BottleneckMoveCertificate((), (), "not a group element"),
                 MoveCertificate((object(),), ())):
        with pytest.raises(CertificateError):
            cert.verify(n, n)


def test_fingerprint_of_integers_beyond_the_decimal_conversion_limit():
    big = Network.from_arrays([[[10 ** 4300]], [[1]], [[1]]], [[0], [0], [0]])
    other = Network.from_arrays([[[10 ** 4300 + 1]], [[1]], [[1]]], [[0], [0], [0]])
    r = sa.equivalent(big, big)
    assert r.equivalent and r.verify(big, big)
    with pytest.raises(CertificateError):
        r.certificate.verify(big, other)


def _equal_on_grid(n1, n2):
    from fractions import Fraction
    pts = [[Fraction(k, 4)] for k in range(-40, 41)]
    return all(n1(p) == n2(p) for p in pts)


def test_hidden_symmetries_at_non_generic_case_b_parameters():
    # (audit) an A neuron with c = 0 does not stop layer 2 from hiding H: translating H keeps f
    net = Network.from_arrays([[[1]], [[1], [1]], [[1, 0]]], [[0], [-1, 0], [0]])
    moved = Network.from_arrays([[[1]], [[1], [1]], [[1, 0]]], [["1/2"], ["-3/2", 0], [0]])
    assert _equal_on_grid(net, moved)
    names = [m.name for m in sa.hidden_symmetries(net)]
    assert "hidden hyperplane translation" in names and "zero-output neurons" in names
    # coincident kinks: only the sum of c_j v_j is seen
    a = Network.from_arrays([[[1]], [[1], [2]], [[1, 1]]], [[0], [-1, -2], [0]])
    b = Network.from_arrays([[[1]], [[1], [2]], [[2, "1/2"]]], [[0], [-1, -2], [0]])
    assert _equal_on_grid(a, b)
    assert "coincident kinks" in [m.name for m in sa.hidden_symmetries(a)]


def test_pairs_in_one_orbit_get_the_group_element_alone():
    # (audit) mechanisms() named normal-form moves for pairs related by G only
    for seed in range(6):
        for widths in ((2, 1, 3, 2), (2, 3, 1, 1)):
            net = Network.random(widths, seed=seed)
            g = GroupElement.random(net.architecture, seed=seed + 1)
            other = g.act(net)
            r = sa.equivalent(net, other)
            assert r.equivalent and r.verify(net, other)
            assert r.certificate.mechanisms() in (["G"], [])
