"""Certificates refuse look-alike classes: a move subclass defined outside the family (even with the family's
``__module__``) and a GroupElement subclass, either of which could ``apply``/``act`` anything (found by the
audit: both made ``verify`` accept non-equivalent networks)."""

from dataclasses import dataclass

import pytest
from flint import fmpq

import semialg as sa
from semialg import GroupElement, Network
from semialg.core.certificate import OrbitCertificate
from semialg.errors import CertificateError
from semialg.families.bottleneck.moves import ActBy as BottleneckActBy
from semialg.families.bottleneck.moves import BottleneckMoveCertificate
from semialg.families.bottleneck.outer_moves import TradeBiasOutput
from semialg.families.deep.moves import ActBy as DeepActBy
from semialg.families.deep.moves import replay
from semialg.families.shallow.moves import ActBy as ShallowActBy
from semialg.families.shallow.moves import ClearDeadNeuron, MoveCertificate

ABS = Network.from_arrays([[[1], [-1]], [[1, 1]], [[1]]], [[0, 0], [0], [0]])          # f = |x|
OTHER = Network.from_arrays([[[1], [-1]], [[1, 2]], [[1]]], [[0, 0], [0], [0]])
IDENTITY = GroupElement([(0, 1), (0,)], [(1, 1), (1,)])


def _forged(base, module):
    """A subclass of a family move that claims the family's module and skips every check."""
    @dataclass(frozen=True)
    class Forged(base):
        __module__ = module

        def apply(self, net):
            return OTHER
    return Forged


class Lying(GroupElement):
    def act(self, net):
        return OTHER


def test_the_pair_is_not_equivalent():
    assert not sa.equivalent(ABS, OTHER)      # so every certificate below must be refused


def test_bottleneck_move_lookalike_refused():
    Forged = _forged(TradeBiasOutput, "semialg.families.bottleneck.outer_moves")
    with pytest.raises(CertificateError):
        BottleneckMoveCertificate((Forged(fmpq(-5)),), (), IDENTITY).verify(ABS, OTHER)


def test_shallow_move_lookalike_refused():
    a = Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 0], [0]])
    b = Network.from_arrays([[[1], [-1]], [[1, 2]]], [[0, 0], [0]])
    Forged = _forged(ClearDeadNeuron, "semialg.families.shallow.moves")
    with pytest.raises(CertificateError):
        MoveCertificate((Forged(0),), ()).verify(a, b)


@pytest.mark.parametrize("make", [
    lambda g: BottleneckMoveCertificate((), (), g),
    lambda g: BottleneckMoveCertificate((BottleneckActBy(g),), (), IDENTITY),
    lambda g: OrbitCertificate(g),
])
def test_group_element_subclass_refused(make):
    with pytest.raises(CertificateError):
        make(Lying([(0, 1), (0,)], [(1, 1), (1,)])).verify(ABS, OTHER)


def test_group_element_subclass_refused_by_shallow_and_deep_moves():
    g = Lying([(0, 1)], [(1, 1)])
    net = Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 0], [0]])
    with pytest.raises(CertificateError):
        ShallowActBy(g).apply(net)
    with pytest.raises(CertificateError):
        replay(net, [DeepActBy(g)])


def test_genuine_classes_still_verify():
    g = GroupElement([(1, 0), (0,)], [(2, 3), (1,)])
    assert OrbitCertificate(g).verify(ABS, g.act(ABS))
    assert BottleneckMoveCertificate((BottleneckActBy(g),), (), IDENTITY).verify(ABS, g.act(ABS))


@pytest.mark.parametrize("budget", ["1", -1, float("nan"), float("inf"), True])
def test_fibre_budget_must_be_seconds(budget):
    """A malformed budget is a one-line ParameterError before any work (found by the audit: '1' raised a bare
    TypeError deep inside, -1 and nan were accepted)."""
    net = Network.random((2, 3, 1, 1), seed=0)
    with pytest.raises(sa.ParameterError, match="fibre budget"):
        sa.fibre(net, budget=budget)


def test_abstract_base_moves_are_not_moves():
    """The abstract base classes are the family's own but apply nothing: refused with CertificateError, not
    NotImplementedError (found by the audit)."""
    from semialg.families.bottleneck.moves import BottleneckMove
    from semialg.families.shallow.moves import Move
    with pytest.raises(CertificateError):
        BottleneckMoveCertificate((BottleneckMove(),), (), IDENTITY).verify(ABS, OTHER)
    a = Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 0], [0]])
    with pytest.raises(CertificateError):
        MoveCertificate((Move(),), ()).verify(a, a)


@pytest.mark.parametrize("label", ["reflection", 5, "G"])
def test_clearing_moves_name_only_reasons_they_can_have(label):
    """ClearNeuron/DropNeuron carry the builder's reason as a field: a forged label is refused, so mechanisms() of
    a verified certificate cannot name a mechanism never used (found by the audit)."""
    from semialg.families.bottleneck.moves import ClearNeuron, DropNeuron
    net = Network.from_arrays([[[1]], [[1], [-1]], [[1, 0]]], [[0], [0, -1], [0]])   # neuron 1: c = 0
    for move in (ClearNeuron(1, label), DropNeuron(1, label)):
        with pytest.raises(CertificateError):
            BottleneckMoveCertificate((move,), (), GroupElement([(0,), (0,)], [(1,), (1,)])).verify(net, net)
    assert ClearNeuron(1, "dead neurons").apply(net).biases[1][1] == -1
