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


# -- F2: bottleneck (a) arrangement certificates ---------------------------------------------------------------

def _relu_and_zero(n0):
    """relu(x_1) and 0 as (n0, 2, 1, 1) networks with the same first layer."""
    W1 = [[1] + [0] * (n0 - 1), [0] * (n0 - 1) + [1]]
    return (Network.from_arrays([W1, [[1, 0]], [[1]]], [[0, 0], [0], [0]]),
            Network.from_arrays([W1, [[0, 0]], [[1]]], [[0, 0], [0], [0]]))


@pytest.mark.parametrize("n0", [1, 2, 3])
def test_arrangement_cells_are_sign_vectors_of_plus_minus_one(n0):
    """F2: the half where the networks differ is left out, the other half listed twice (signs -1 and -2)."""
    from flint import fmpq

    from semialg.families.bottleneck.outer import ArrangementCertificate
    a, b = _relu_and_zero(n0)
    assert _differ(a, b, [[1] * n0])
    dim = max(n0, 2)
    if n0 == 1:
        lines, cells = ((fmpq(1), fmpq(0), fmpq(0)),), ((-1,), (-2,))
    else:
        l1 = tuple(fmpq(x) for x in [1] + [0] * (dim - 1) + [0])
        l2 = tuple(fmpq(x) for x in [0] * (dim - 1) + [1] + [0])
        lines, cells = (l1, l2), ((-1, 1), (-1, -1), (-2, 1), (-2, -1))
    for forged in (cells, tuple(c[:-1] + (0,) for c in cells), ((-1,) * len(lines), (10 ** 30,) * len(lines))):
        with pytest.raises(CertificateError):
            EquivalenceResult(True, ArrangementCertificate(lines, forged)).verify(a, b)
    with pytest.raises(CertificateError):  # a line listed twice pads the count of cells
        EquivalenceResult(True, ArrangementCertificate(lines + lines[:1], tuple(c + c[:1] for c in cells))).verify(a, b)


# -- F5: group elements altered after construction ---------------------------------------------------------------

@pytest.mark.parametrize("field, value", [("scales", lambda one: ((-one, one),)), ("permutations", lambda one: ((0, 0),))])
def test_orbit_certificates_recheck_the_group_element(field, value):
    import copy

    from flint import fmpq

    from semialg.core.certificate import OrbitCertificate
    from semialg.core.symmetry import GroupElement
    from semialg.families.deep.moves import ActBy
    net = Network.from_arrays([[[1], [2]], [[1, 1]]], [[0, -1], [0]])
    g = copy.copy(GroupElement.identity(net.architecture))
    object.__setattr__(g, field, value(fmpq(1)))
    other = Network(*_act_unchecked(net, g))
    assert _differ(net, other, [[-1], [1], [2]])
    with pytest.raises(CertificateError):
        EquivalenceResult(True, OrbitCertificate(g)).verify(net, other)
    with pytest.raises(CertificateError):
        EquivalenceResult(True, DeepMoveCertificate((ActBy(g),), ())).verify(net, other)


def _act_unchecked(net, g):
    """$g\\cdot\\theta$ of a one-hidden-layer network computed here, without GroupElement's checks."""
    (W1, b1), (W2, b2) = net.layers()
    p, s = g.permutations[0], g.scales[0]
    return ((tuple(tuple(s[i] * x for x in W1[p[i]]) for i in range(len(p))),
             tuple(tuple(r[p[i]] / s[i] for i in range(len(p))) for r in W2)),
            (tuple(s[i] * b1[p[i]] for i in range(len(p))), tuple(b2)))


# -- crashes: a malformed certificate is refused with CertificateError ----------------------------------------

@pytest.mark.parametrize("direction", [(), "zero"])
def test_ridge_certificate_with_a_degenerate_direction_is_refused(direction):
    from flint import fmpq

    from semialg.families.bottleneck.ridge import RidgeCertificate
    direction = (fmpq(0),) if direction == "zero" else direction
    a = Network.from_arrays([[[0]], [[1]], [[1]]], [[1], [0], [0]])   # the constant 1
    b = Network.from_arrays([[[0]], [[1]], [[1]]], [[2], [0], [0]])   # the constant 2
    assert _differ(a, b, [[0]])
    with pytest.raises(CertificateError):
        EquivalenceResult(True, RidgeCertificate(direction)).verify(a, b)


# -- F4: forged genericity reports -------------------------------------------------------------------------------

def _forge_zero_factor(report, name, witness):
    import dataclasses

    from semialg.geometry.zero_sum import ZeroSumDecision
    return dataclasses.replace(report, conditions=tuple(
        dataclasses.replace(c, holds=False, witness=witness, certificate=ZeroSumDecision("found", witness))
        if c.name == name else c for c in report.conditions))


@pytest.mark.parametrize("arrays, name", [
    (([[[1], [-2]], [[1, 1]]], [[0, 1], [0]]), "no zero factor"),
    (([[[1], [-2]], [[1, 1]], [[1]]], [[0, 1], [0], [0]]), "no zero factor of the first two layers"),
])
def test_a_forged_degenerate_genericity_report_is_refused(arrays, name):
    """F4: 'found' zero-sum witnesses with a repeated, negative or out-of-range index (0 + 0 - 1 ... sums
    pick a vector twice or alias another)."""
    from semialg.engine.loci import genericity
    net = Network.from_arrays(*arrays)
    g = genericity(net)
    a, w = [r[0] for r in net.weights[1]][0], net.weights[0]
    # independently: a_0 w_0 = 1, a_1 w_1 = -2, so no non-empty subset sums to zero and the network is generic
    assert {w[0][0], w[1][0]} == {1, -2} and a == 1 and g.status == "generic"
    for witness in ((0, 0, 1), (0, -1), (0, 5), ()):
        forged = _forge_zero_factor(g, name, witness)
        assert forged.status == "degenerate"
        with pytest.raises(CertificateError):
            forged.verify(net)
        with pytest.raises(CertificateError):
            next(c for c in forged.conditions if c.name == name).verify(net)


def test_dependent_rows_witness_must_name_two_rows():
    """F4: (1, 0, 0, 1) says 'row 0 = 1 * row 0'; negative indices alias other rows."""
    import dataclasses

    from flint import fmpq

    from semialg.engine.loci import genericity
    net = Network.from_arrays([[[1], [-2]], [[1, 1]]], [[0, 1], [0]])
    dep = next(c for c in genericity(net).conditions if c.name == "no dependent rows")
    assert dep.holds is True
    for witness in ((1, 0, 0, fmpq(1)), (1, -1, 1, fmpq(1)), (1, 0, -2, fmpq(1)), (0, 0, 1, fmpq(1))):
        with pytest.raises(CertificateError):
            dataclasses.replace(dep, holds=False, witness=witness).verify(net)


def test_a_condition_is_checked_by_the_fresh_checker_not_its_own():
    import dataclasses

    from semialg.engine.loci import genericity
    net = Network.from_arrays([[[1], [-2]], [[1, 1]]], [[0, 1], [0]])
    dead = next(c for c in genericity(net).conditions if c.name == "no dead neuron")
    with pytest.raises(CertificateError):
        dataclasses.replace(dead, holds=False, witness=(1, 0, "input"), check=lambda net, c: True).verify(net)


# -- API hazards ------------------------------------------------------------------------------------------------

def test_a_box_region_certificate_never_verifies_a_whole_space_claim():
    """f1 = relu(x) and f2 = relu(x) + relu(x - 5) agree on [-1, 1] only."""
    from semialg.engine.regions import equivalent
    from semialg.geometry.polyhedron import Polytope
    n1 = Network.from_arrays([[[1], [1]], [[1, 0]]], [[0, -5], [0]])
    n2 = Network.from_arrays([[[1], [1]], [[1, 1]]], [[0, -5], [0]])
    assert _differ(n1, n2, [[6]]) and not _differ(n1, n2, [[x] for x in (-1, 0, 1)])
    box = Polytope.box([-1], [1])
    r = equivalent(n1, n2, domain=box)
    assert r.equivalent is True and r.verify(n1, n2)
    with pytest.raises(CertificateError):
        r.certificate.verify(n1, n2)
    with pytest.raises(CertificateError):
        EquivalenceResult(True, r.certificate).verify(n1, n2)
    assert r.certificate.verify(n1, n2, domain=box)


def test_generic_representative_verify_raises_when_wrong():
    import dataclasses

    import semialg as sa
    dead = Network.from_arrays([[[1, 0], [0, 1], [-1, -2], [0, 0]], [[-1, -1, -1, 0]], [[1]]],
                               [[0, 0, 0, 0], [1], [0]])                 # non-generic: a generic theta~
    rep = sa.fibre(dead).generic_representative
    assert rep is not None and rep.verify() is True
    other = Network.from_arrays(*[[[list(map(lambda x: x + 1, r)) for r in W] for W in dead.weights],
                                  [list(b) for b in dead.biases]])
    assert _differ(rep.network, other, [[x, y] for x in range(-3, 4) for y in (-1, 2)])
    with pytest.raises(CertificateError):
        dataclasses.replace(rep, original=other).verify()


def test_move_subclasses_from_outside_the_family_are_refused():
    """A subclass defined outside semialg could override a move's checks (audit B follow-up)."""
    import dataclasses as dc
    from flint import fmpq
    from semialg.core.symmetry import GroupElement
    from semialg.families.bottleneck.moves import BottleneckMoveCertificate
    from semialg.families.bottleneck.witnesses import TranslateHidden
    from semialg.families.shallow.moves import ClearDeadNeuron, MoveCertificate

    @dc.dataclass(frozen=True)
    class Liar(TranslateHidden):
        def apply(self, net):
            return target

    a = Network.from_arrays([[[1, 1]], [[1], [2]], [[1, -2]]], [[0], [-1, -6], [0]])
    target = Network.from_arrays([[[1, 1]], [[1], [2]], [[1, -2]]], [[0], [-1, -6], [5]])
    cert = BottleneckMoveCertificate((Liar(fmpq(1)),), (), GroupElement.identity(a.architecture))
    with pytest.raises(CertificateError):
        cert.verify(a, target)

    @dc.dataclass(frozen=True)
    class ShallowLiar(ClearDeadNeuron):
        def apply(self, net):
            return shallow_target

    s = Network.from_arrays([[[1], [1]], [[1, 1]]], [[0, -1], [0]])
    shallow_target = Network.from_arrays([[[1], [1]], [[1, 2]]], [[0, -1], [0]])
    with pytest.raises(CertificateError):
        MoveCertificate((ShallowLiar(0),), ()).verify(s, shallow_target)


def test_certificates_are_checked_when_the_verifier_re_decides_nothing(monkeypatch):
    """The verifiers take the conditions and their checkers from ``cheap_genericity``, which does not start a
    searched step predicted to be slow (here: every one). The certificates must then carry the whole check:
    the true ones pass, forged ones are refused, and so is a complete proof with one step too many."""
    import dataclasses

    from flint import fmpq

    import semialg as sa
    from semialg.engine import neurons
    from semialg.engine.identifiability import ProofStep
    from semialg.engine.loci import RankOneSketch, cheap_genericity, genericity
    generic = Network.from_arrays([[[1], [-2]], [[1, 1]]], [[0, 1], [0]])  # a_i w_i = 1, -2: no zero sum
    degenerate = Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 1], [0]])  # 1 - 1 = 0: a 0-factor
    assert generic([fmpq(-1)]) != degenerate([fmpq(-1)])
    reports = {net: genericity(net) for net in (generic, degenerate)}
    proof = sa.identifiable(generic).proof
    monkeypatch.setattr(neurons, "CHEAP_SECONDS", -1.0)
    assert [c.holds for c in cheap_genericity(generic).conditions if c.name == "no zero factor"] == [None]
    assert reports[generic].verify(generic) and reports[degenerate].verify(degenerate)
    assert all(step.verify(generic) for step in proof)
    holds = next(c for c in reports[generic].conditions if c.name == "no zero factor")
    for certificate in (holds.certificate, RankOneSketch(0)):   # "no zero factor" claimed at a 0-factor
        forged = dataclasses.replace(reports[degenerate], conditions=tuple(
            dataclasses.replace(c, holds=True, witness=None, certificate=certificate, check=holds.check)
            if c.name == "no zero factor" else c for c in reports[degenerate].conditions))
        with pytest.raises(CertificateError):
            forged.verify(degenerate)
        with pytest.raises(CertificateError):
            ProofStep("no zero factor", "forged", next(c for c in forged.conditions
                                                       if c.name == "no zero factor")).verify(degenerate)
    found = next(c for c in reports[degenerate].conditions if c.name == "no zero factor")
    with pytest.raises(CertificateError):
        _forge_zero_factor(reports[generic], "no zero factor", found.witness).verify(generic)
    from semialg.engine.identifiability import _check_proof
    assert _check_proof(generic, proof)
    for extra in proof:     # each step once more
        with pytest.raises(CertificateError):
            _check_proof(generic, proof + (extra,))
