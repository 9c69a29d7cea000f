"""Forged certificates from an independent audit (session 7): each must be refused with a CertificateError. Every
forgery below is checked to concern two networks that compute different functions (exact evaluation at
rational points), so acceptance would be a false proof."""

import pytest

from semialg import Network
from semialg.core.certificate import EquivalenceResult
from semialg.engine.witnesses import WitnessMove
from semialg.errors import CertificateError
from semialg.families.deep.equivalence import DeepMoveCertificate
from semialg.families.deep.moves import Flip
from semialg.families.deep.normal_form import NormalForm


def _differ(n1, n2, points):
    return any(n1(p) != n2(p) for p in points)


_PAIRS = [  # (net, a network computing another function), shallow, bottleneck (b), (a), deep
    (([[[1]], [[1]]], [[0], [0]]), ([[[1]], [[2]]], [[0], [0]])),
    (([[[1]], [[1]], [[1]]], [[0], [0], [0]]), ([[[1]], [[1]], [[3]]], [[0], [0], [0]])),
    (([[[1], [2]], [[1, 1]], [[1]]], [[0, 0], [0], [0]]), ([[[5], [2]], [[1, 1]], [[3]]], [[0, 0], [0], [7]])),
    (([[[1], [2], [1]], [[1, 1, 1], [0, 1, 0]], [[1, 1]]], [[0, 0, 1], [0, 1], [0]]),
     ([[[1], [2], [1]], [[1, 1, 1], [0, 1, 0]], [[1, 1]]], [[0, 0, 1], [0, 1], [5]])),
]


@pytest.mark.parametrize("pair", _PAIRS)
def test_deep_moves_replay_only_the_deep_familys_moves(pair):
    """F3: a WitnessMove carrying its target (or any object with an apply method) is not a deep move."""
    a, b = Network.from_arrays(*pair[0]), Network.from_arrays(*pair[1])
    assert _differ(a, b, [[-2], [1], [3]])
    for move in (WitnessMove("family fibre", 1, (), target=b), WitnessMove("narrower network", 1, (), target=b)):
        with pytest.raises(CertificateError):
            EquivalenceResult(True, DeepMoveCertificate((move,), ())).verify(a, b)
        with pytest.raises(CertificateError):
            NormalForm(b, (move,)).verify(a)

    class Forged(Flip):  # a subclass could apply anything
        def apply(self, net):
            return b
    with pytest.raises(CertificateError):
        EquivalenceResult(True, DeepMoveCertificate((Forged(1, (0,)),), ())).verify(a, b)


def test_witness_moves_check_their_image_preconditions():
    """F3: 'hidden weight' and 'always active' moves re-check their precondition on the regions; a carried
    target is never returned unchecked."""
    a = Network.from_arrays([[[1], [2], [1]], [[1, 1, 1], [0, 1, 0]], [[1, 1]]], [[0, 0, 1], [0, 1], [0]])
    b = Network.from_arrays([[[1], [2], [1]], [[1, 1, 1], [0, 1, 0]], [[1, 1]]], [[0, 0, 1], [0, 1], [5]])
    hidden = Network.from_arrays([[[1], [2], [1]], [[1, 1, 1], [-1, 1, 0]], [[1, 1]]], [[0, 0, 1], [0, 1], [0]])
    assert _differ(a, hidden, [[1]])
    with pytest.raises(CertificateError):
        WitnessMove("hidden weight", 2, (1, 0)).apply(a)
    negative = Network.from_arrays([[[1], [2], [1]], [[1, 1, 1], [0, 1, 0]], [[1, 1]]], [[0, 0, 1], [0, -1], [0]])
    with pytest.raises(CertificateError):       # z_{2,1} = relu(2x) - 1 < 0 near 0
        WitnessMove("always active", 2, (1,)).apply(negative)
    moved = WitnessMove("always active", 2, (1,)).apply(a)  # z_{2,1} = relu(2x) + 1 >= 0: genuine
    assert not _differ(a, moved, [[x] for x in range(-4, 5)])
    with pytest.raises(CertificateError):
        WitnessMove("family fibre", 1, (), target=b).apply(a)
