"""Every public result class honours the result contract: ``to_latex``, ``_repr_latex_``, ``describe`` and
``to_json`` (plain JSON), and certificates ``verify`` the answer they are attached to.

In the spirit of scikit-learn's ``check_estimator``: the test finds every subclass of
:class:`semialg.core.result.Result` in the package and builds instances through the public API, so a new
result class fails here until it has a builder in ``BUILDERS`` below.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from fractions import Fraction

import pytest

import semialg as sa
from semialg.core.result import Result, render_latex
from semialg.families.shallow.moves import MergeTwins as ShallowMergeTwins

ABSTRACT = {"Result", "SemialgebraicSet", "Move", "Certificate", "DeepMove", "BottleneckMove", "StabilizerGroup"}


def _result_classes() -> dict[str, type]:
    out = {}
    for info in pkgutil.walk_packages(sa.__path__, "semialg."):
        module = importlib.import_module(info.name)
        for name, cls in vars(module).items():
            if (inspect.isclass(cls) and cls.__module__ == module.__name__ and issubclass(cls, Result)
                    and not name.startswith("_") and name not in ABSTRACT and cls is not Result):
                out[name] = cls
    return out


# -- instances through the public API ---------------------------------------------------------------

def _shallow():
    return sa.Network.from_arrays([[[1, 2], [-1, 1], [2, -3]], [[1, -2, 1]]], [[1, 0, -1], [2]])


def _image(net, seed=3):
    return sa.GroupElement.random(net.architecture, seed=seed).act(net)


def _perturbed(net):
    W = [[list(r) for r in W] for W, _ in net.layers()]
    b = [list(v) for _, v in net.layers()]
    b[-1][0] += 1
    return sa.Network.from_arrays(W, b)


def _bottleneck_b():
    return sa.Network.from_arrays([[[1, 2]], [[1], [-1], [2]], [[1, 3, -1]]], [[-1], [1, -2, 3], [0]])


def _bottleneck_a():
    return sa.Network.random((2, 3, 1, 2), seed=2)


def _certificates():
    net = _shallow()
    out = [(sa.equivalent(net, _image(net)), net, _image(net)),
           (sa.equivalent(net, _perturbed(net)), net, _perturbed(net))]
    for b in (_bottleneck_b(), _bottleneck_a()):
        out.append((sa.equivalent(b, _image(b)), b, _image(b)))
    deep = sa.Network.from_arrays([[[1]], [[1]], [[1]]], [[0], [0], [0]])
    shallow = sa.Network.from_arrays([[[1]], [[1]]], [[0], [0]])
    out.append((sa.equivalent(deep, shallow), deep, shallow))
    return out


def _instances() -> dict[str, list]:
    """Instances of every result class, keyed by class name."""
    from semialg.families import shallow as sh
    net, b_net, a_net = _shallow(), _bottleneck_b(), _bottleneck_a()
    objs: list = [net, net.architecture, sa.GroupElement.random(net.architecture, seed=1),
                  sa.canonical_form(net), sa.stabilizer(net), sa.fibre(net), sa.functional_dimension(net),
                  sa.degeneracy_loci(net.architecture), sa.genericity(net), sa.fibre(b_net), sa.fibre(a_net),
                  sa.combinatorial_type(b_net), sa.count_conservation_laws(b_net), sa.mechanism_conservation(b_net),
                  sa.regions(net)[0],
                  sa.stabilizer(sa.Network.from_arrays([[[1], [1], [0]], [[1, 1, 0]], [[1]]], [[0, 0, 0], [0], [0]]))]
    objs += list(sa.hidden_symmetries(b_net)) + list(sa.hidden_symmetries(a_net))
    objs += sa.conserved_quantities(net.architecture)[:1]
    objs += [sa.is_conserved(sa.conserved_quantities(net.architecture)[0].expression, net)]
    Z = sa.degeneracy_loci(net.architecture)
    objs += [Z.families[0], next(iter(Z.components))]
    objs += list(sa.genericity(net).conditions) + list(sa.genericity(b_net).conditions)
    twin = sa.Network.from_arrays([[[1, 0], [2, 0], [0, 1]], [[1, 1, 1]]], [[1, 2, 0], [0]])
    objs += list(sa.hidden_symmetries(twin))
    r = sh.equivalent(twin, sa.minimal_form(twin))
    objs += [r, r.certificate] + list(r.certificate.moves1) + list(r.certificate.moves2)
    dead = sa.Network.from_arrays([[[1, 0], [0, 1], [1, 1]], [[1, 0, 2]]], [[1, 0, -1], [2]])
    objs += [sa.fibre(dead)] + list(sa.fibre(dead).components())[:1]     # a TypeComponent
    rebalanced = sa.Network.from_arrays([[[2, 0], [1, 0], [0, 1]], [[1, 1, 1]]], [[2, 1, 0], [0]])
    r2 = sh.equivalent(twin, rebalanced)
    objs += list(r2.certificate.moves1) + list(r2.certificate.moves2) if hasattr(r2.certificate, "moves1") else []
    objs += [sh.ClearDeadNeuron(1), sh.FlipZeroFactor((0, 1)), sh.Rebalance(()), sh.zero_factor_reduction(net)]
    from semialg.engine.regions import equivalent as oracle
    undecided = oracle(sa.Network.random((2, 4, 3, 1), seed=1), sa.Network.random((2, 4, 3, 1), seed=2),
                       deadline=0.0)
    objs += [undecided, undecided.certificate]
    flat = sa.Network.random((1, 1, 1), seed=0).variables().flat
    B = sa.BasicSet(flat, (flat[0] - 1,))
    objs += [B, sa.Union(B.variables, (0,), lambda j: B, description="one component")]
    degenerate = sa.Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    objs += [sa.fibre(degenerate), sa.genericity(degenerate)]
    objs += [c.certificate for c in sa.genericity(degenerate).conditions + sa.genericity(net).conditions
             if c.certificate is not None]
    wide = sa.Network.random((3, 2, 1), seed=0)
    objs += [c.certificate for c in sa.genericity(wide).conditions if c.certificate is not None]
    objs += list(sa.mechanism_conservation(b_net).moves)
    objs.append(sa.gradient_flow(sa.Network.random((1, 2, 1), seed=0), [[1], [-1]], [[0], [1]], num_times=3))
    from semialg.families import bottleneck as bn
    objs.append(bn.ridge_profile(b_net))
    objs += list(sa.fibre(b_net).components())[:1] + list(sa.fibre(a_net).components())[:1]
    hidden_a = sa.fibre(sa.Network.random((2, 3, 1, 1), seed=9, height=3))      # U+ and U- neurons
    objs += [hidden_a, hidden_a.build(next(iter(hidden_a.index)))] + list(hidden_a.components())[:1]
    dead_a = sa.Network.from_arrays([[[1, 0], [0, 1], [-1, -2], [0, 0]], [[-1, -1, -1, 0]], [[1]]],
                                    [[0, 0, 0, 0], [1], [0]])                 # non-generic: a generic theta~
    objs.append(sa.fibre(dead_a).generic_representative)
    objs += [bn.ClearNeuron(0), bn.AbsorbConstant(0), bn.MergeAffine(0, 1), bn.ShiftAffineBias(0), bn.FlipKink(1, 0),
             bn.MergeKinks(0, 1), bn.TranslateHidden(Fraction(1, 2)), bn.Reflect(), bn.FlipInner((0,)),
             bn.MoveOntoKink(Fraction(1)), bn.FlipKinkSet((0, 1)), bn.ReviveNeuron(0, Fraction(1), Fraction(0)),
             bn.InsertNeuron(Fraction(1), Fraction(0)), bn.DropNeuron(0),
             bn.AbsorbAtConstantInput(0), bn.ResetFirstLayer(), bn.RidgeCertificate(None),
             bn.FlipKinks((1,), 0), bn.MergeKinkGroups(((0, 1),)), bn.MergeAffines(0, (1,)), bn.ClearNeurons((0,)),
             bn.AbsorbConstants((0,)), bn.InsertDeadNeurons(1)]
    from semialg.core.certificate import EquivalenceResult
    from semialg.families.shallow.canonical import CanonicalFormCertificate, SameCanonicalForm
    objs += [CanonicalFormCertificate(), EquivalenceResult(True, CanonicalFormCertificate()),
             SameCanonicalForm(sa.Network.from_arrays([[[1]], [[1]]], [[0], [0]]))]
    const = sa.Network.from_arrays([[[0, 0]], [[1], [1]], [[1, 1]]], [[0], [2, -5], [0]])
    objs.append(bn.equivalent(const, const).certificate)
    hidden = sa.Network.from_arrays([[[-1, 0], [0, 1], [0, -1], [1, 0]], [[1, -1, -1, -2]], [[1]]],
                                    [[0, 0, 0, -5], [0], [0]])
    moved = bn.replace_neuron(hidden, 1, 3, [2, 1], -3, [-7])
    objs.append(bn.equivalent(hidden, moved).certificate)
    from semialg.families.bottleneck.outer import equivalent_outer
    objs.append(equivalent_outer(hidden, moved).certificate)
    objs += [bn.MoveHiddenNeuron(3, (2, 1), -3, -7), bn.InsertHiddenNeuron((2, 1), -3, -7), bn.DropHiddenNeuron(3),
             bn.TradeOnP((0,), (((-1, 0), 1, 1),), (), 0), bn.SilenceOuter(), bn.ReplaceInner((((1, 0), 0, 1),), 0),
             bn.TradeBiasOutput(1), bn.ReflectBounded(2), bn.EnterPlateau((((1, 0), 1, 1),), -1, 1),
             bn.MergeTwins(0, 1), bn.SplitTwin(0, 2, 1), bn.TradeOppositePairs(((0, 1), (2, 3)), (1, -1)),
             bn.ReflectPlateau((((1,), -1, 1),), 2, 2), bn.DropConstantNeuron(0), bn.MoveOfH(ShallowMergeTwins(0, 1))]
    from semialg.engine.witnesses import WitnessMove
    from semialg.families.bottleneck import ident_moves as im
    one = Fraction(1)
    objs += [im.ShiftHiddenBiases((0,), (one,), -one), im.DoubleDeadNeuron(1), im.ReflectHiddenNeuron(0, 2 * one),
             im.PairOffP(0, 1, "shift", one), im.PairTrade(0, 1, (2,), False, (one, 0 * one), one, -one, 0 * one),
             im.PairTrade(0, 1, (), True, (one, one), one, one, one, ((2, ((0 * one, one), -one, one)),)),
             im.InnerNetworkMove(WitnessMove("dead row", 1, (0,)))]
    for res, _, _ in _certificates():
        objs += [res, res.certificate]
    F = sa.fibre(net)
    objs += list(F.components())[:1]
    dead = sa.Network.from_arrays([[[1, 0], [0, 1]], [[1, 0]]], [[0, 0], [0]])
    ident = [sa.identifiable(net), sa.identifiable(dead), sa.identifiable(sa.Network.random((2, 2, 2, 1), seed=1))]
    objs += ident + [ident[1].move] + list(ident[0].proof) + [s.evidence for s in ident[2].proof]
    bent = sa.Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]])
    reps = [sa.shallow_representation(bent), sa.shallow_representation(net)]
    objs += reps + [reps[0].certificate]
    objs += _deep_instances()
    from semialg.engine.kink_peeling import kink_peeling_certificate
    objs.append(kink_peeling_certificate(sa.Network.random((6, 4, 3, 2), seed=5)))
    silent = sa.Network.from_arrays([[[-1], [-1]], [[-1, -1], [1, -1]], [[1, 3]]], [[-2, 3], [1, -1], [-1]])
    objs += list(sa.functional_dimension(silent).flat)      # FlatDirection: why it is below the rescaling bound
    from semialg.families.bottleneck.rank_bound import visible_rank_certificate
    objs.append(visible_rank_certificate(sa.Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1], [2]]],
                                                                [[0, 0], [-1], [0, 0]])))
    out: dict[str, list] = {}
    for o in objs:
        out.setdefault(type(o).__name__, []).append(o)
    return out


def _deep_instances() -> list:
    from semialg.engine import line
    from semialg.families.deep import moves
    flip = sa.Network.from_arrays([[[2, 0], [0, 1], [-1, -1]], [["1/2", 1, 1], [-1, -2, -2]], [[1, 1]]],
                                  [[1, "-1/2", 3], ["1/3", 2], [0]])
    split = moves.SplitTwin(1, 0, Fraction(1, 3)).apply(flip)
    r = sa.equivalent(flip, moves.Flip(1, (0, 1, 2, 3)).apply(split))
    dead = moves.RemoveDead(2, (0,))
    out_hidden = [moves.RemoveHidden(2, (1,)), moves.TradeOpposite(1, ((0, 1),), ((Fraction(1),),))]
    out = [r, r.certificate, *r.certificate.moves1, *r.certificate.moves2, dead, moves.FoldConstant(1, (0,)),
           moves.SplitTwin(1, 0, Fraction(1, 2)), sa.canonical_form(flip), line.restrict(flip, [0, 0], [1, 1]),
           line.compare_on_line(flip, split, [0, 0], [1, 2]), *out_hidden]
    deep = sa.Network.from_arrays([[[1]], [[1]], [[1]]], [[0], [0], [0]])
    out.append(sa.equivalent(deep, sa.Network.from_arrays([[[1]], [[1]]], [[0], [0]])).certificate.inner)
    return out


@pytest.fixture(scope="module")
def instances():
    return _instances()


def test_every_result_class_has_instances(instances):
    missing = sorted(set(_result_classes()) - set(instances))
    assert missing == [], f"result classes with no instance built through the public API: {missing}"


@pytest.mark.parametrize("name", sorted(_result_classes()))
def test_result_contract(name, instances):
    for obj in instances.get(name, ()):
        latex = obj.to_latex()
        assert isinstance(latex, str) and latex.strip()
        assert latex.count("{") == latex.count("}") or "\\{" in latex or "\\}" in latex
        rep = obj._repr_latex_()
        assert rep.startswith("$") and rep.endswith("$")
        words = obj.explain() if hasattr(obj, "explain") else obj.describe()
        assert isinstance(words, str) and words.strip()
        if render_latex.dispatch(type(obj)) is render_latex.dispatch(object):
            # no formatter: its LaTeX is the text of describe(), which must then be words, not a repr
            assert not words.startswith(name + "("), f"{name}: register a LaTeX formatter or write describe()"
        data = obj.to_json()
        assert isinstance(data, dict)
        json.dumps(data)


@pytest.mark.parametrize("k", range(5))
def test_certificates_verify_their_answers(k):
    res, n1, n2 = _certificates()[k]
    assert res.verify(n1, n2)
    # independent check of the answer: exact evaluation at rational points
    points = [[Fraction(i, 3) - 2, Fraction(j, 5) + 1][:n1.architecture.input_dim] for i in range(4) for j in range(3)]
    agree = all(n1(x) == n2(x) for x in points)
    assert agree or not res.equivalent
