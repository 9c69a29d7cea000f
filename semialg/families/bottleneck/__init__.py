r"""Three-layer bottleneck networks: a hidden layer of width one.

$f(x) = A_3\sigma(A_2\sigma(A_1x + b_1) + b_2) + b_3$ with widths $(n_0, n_1, n_2, n_3)$ and $n_1 = 1$
(case (b)) or $n_2 = 1$ (case (a)) — Gegenfurtner, Grillo, Montúfar, *The Symmetries of Three-Layer ReLU
Networks*.

Modules, by topic: :mod:`~.views` (the two cases and their parameter views), :mod:`~.ridge` (case (b):
1-D profiles and equivalence), :mod:`~.arrangement` and :mod:`~.outer` (case (a): the joint arrangement
and equivalence), :mod:`~.types` (combinatorial types, mechanisms; :mod:`~.realisation` settles the first-order
ones), :mod:`~.moves` (the moves beyond $G$), :mod:`~.genericity` (loci and type conditions), :mod:`~.fibre`
(explicit fibres and their dimension), :mod:`~.identifiability` (when the fibre is the orbit).

>>> net = Network.from_arrays([[[1, 1]], [[1], [2]], [[1, -2]]], [[0], [-1, -6], [0]])   # hidden H
>>> moved = Network.from_arrays([[[1, 1]], [[1], [2]], [[1, -2]]], [["1/2"], ["-3/2", -7], [0]])
>>> r = equivalent(net, moved); bool(r), r.verify(net, moved)
(True, True)
>>> combinatorial_type(net).regime
'hidden'
"""

from __future__ import annotations

from semialg.core.certificate import EquivalenceResult
from semialg.core.mechanism import Mechanism
from semialg.core.network import Architecture, Network
from semialg.engine.loci import Condition, LocusFamily
from semialg.families.base import Family, register
from semialg.families.bottleneck.arrangement import NetworkArrangement as _Arrangement  # noqa: F401  (tests)
from semialg.families.bottleneck.dimension import case_a_dimension
from semialg.families.bottleneck.equivalence import equivalent
from semialg.families.bottleneck.fibre import BottleneckFibre, fibre, fibre_dimension
from semialg.families.bottleneck.genericity import BOTTLENECK_SCOPE, genericity_checks, loci_families, type_checks
from semialg.families.bottleneck.identifiability import PROOFS, hidden_neuron_witnesses, identifiability_proof
from semialg.families.bottleneck.local import local_dimension_bounds
from semialg.families.bottleneck.moves import (
    flip_kink, move_onto_kink, reflect, replace_neuron, trade_affine_block, translate_hidden_hyperplane)
from semialg.families.bottleneck.outer import ArrangementCertificate
from semialg.families.bottleneck.rank_bound import VisibleRankCertificate  # noqa: F401
from semialg.families.bottleneck.ridge import RidgeCertificate, RidgeProfile, ridge_profile
from semialg.families.bottleneck.realisation import hidden_symmetries
from semialg.families.bottleneck.types import BottleneckType, bottleneck_regime, combinatorial_type
from semialg.families.bottleneck.views import OuterView, RidgeView, bottleneck_case
from semialg.families.bottleneck.witnesses import (
    AbsorbConstant, ActBy, BottleneckMove, BottleneckMoveCertificate, ClearNeuron, FlipKink, MergeAffine, MergeKinks,
    FlipInner, MoveOntoKink, Reflect, ShiftAffineBias, TranslateHidden, FlipKinkSet, ReviveNeuron, InsertNeuron,
    DropNeuron, AbsorbAtConstantInput, ResetFirstLayer, MoveHiddenNeuron, InsertHiddenNeuron, DropHiddenNeuron,
    TradeOnP, witness)
from semialg.families.bottleneck.inner_moves import MoveOfH
from semialg.families.bottleneck import move_names  # noqa: F401  (registers the names of moves by class)
from semialg.families.bottleneck.move_sets import (AbsorbConstants, ClearNeurons, FlipKinks, InsertDeadNeurons,
                                                   MergeAffines, MergeKinkGroups)
from semialg.families.bottleneck.outer_moves import DropConstantNeuron, ReplaceInner, SilenceOuter, TradeBiasOutput
from semialg.families.bottleneck.outer_symmetries import (EnterPlateau, MergeTwins, ReflectBounded, ReflectPlateau,
                                                         SplitTwin, TradeOppositePairs)

__all__ = [
    "bottleneck_case", "RidgeView", "OuterView", "RidgeProfile", "ridge_profile", "RidgeCertificate",
    "ArrangementCertificate", "BottleneckType", "bottleneck_regime", "combinatorial_type", "equivalent",
    "hidden_symmetries", "fibre_dimension", "fibre", "BottleneckFibre", "genericity_checks", "type_checks",
    "local_dimension_bounds",
    "translate_hidden_hyperplane", "flip_kink", "trade_affine_block", "reflect", "replace_neuron",
    "BottleneckFamily", "BottleneckMove", "BottleneckMoveCertificate", "witness", "ActBy", "ClearNeuron",
    "AbsorbConstant", "MergeAffine", "ShiftAffineBias", "FlipKink", "MergeKinks", "TranslateHidden", "Reflect",
    "FlipInner", "MoveOntoKink", "move_onto_kink", "FlipKinkSet", "ReviveNeuron", "InsertNeuron", "DropNeuron",
    "AbsorbAtConstantInput", "ResetFirstLayer", "MoveHiddenNeuron", "InsertHiddenNeuron", "DropHiddenNeuron",
    "TradeOnP", "SilenceOuter", "ReplaceInner", "TradeBiasOutput", "ReflectBounded", "EnterPlateau", "MergeTwins",
    "SplitTwin", "TradeOppositePairs", "ReflectPlateau", "FlipKinks", "MergeKinkGroups", "MergeAffines",
    "ClearNeurons", "AbsorbConstants", "InsertDeadNeurons", "DropConstantNeuron", "MoveOfH",
]


class BottleneckFamily(Family):
    """Three-layer networks with a hidden layer of width 1: case (b) widths $(n_0, 1, n_2, n_3)$, case (a)
    widths $(n_0, n_1, 1, n_3)$."""

    name = "bottleneck"
    priority = 20

    def applies(self, net: Network) -> bool:
        return bottleneck_case(net) is not None

    def applies_to_architecture(self, arch: Architecture) -> bool:
        return arch.depth == 3 and 1 in arch.widths[1:3]

    def applies_to_pair(self, net1: Network, net2: Network) -> bool:
        return self.applies(net1) and bottleneck_case(net1) == bottleneck_case(net2)

    def equivalent(self, net1: Network, net2: Network, budget: float | None = 60.0, **options) -> EquivalenceResult:
        return equivalent(net1, net2, budget)

    def fibre(self, net: Network, **options) -> BottleneckFibre:
        return fibre(net, **options)

    def fibre_dimension(self, net: Network) -> int:
        return fibre_dimension(net)

    def local_dimension_bounds(self, net: Network, **options) -> tuple[int, int]:
        return local_dimension_bounds(net, **options)

    def mechanisms(self, net: Network, frozen_only: bool = False, **options) -> tuple[Mechanism, ...]:
        return hidden_symmetries(net, **options)

    def combinatorial_type(self, net: Network, **options) -> BottleneckType:
        return combinatorial_type(net, **options)

    def genericity_conditions(self, net: Network, budget: int) -> list[Condition]:
        return genericity_checks(net, budget)

    def genericity_scope(self, arch: Architecture) -> str:
        return BOTTLENECK_SCOPE

    def loci_families(self, arch: Architecture) -> list[LocusFamily]:
        return loci_families(arch)

    identifiability_steps = PROOFS

    def identifiability_proof(self, net: Network, checked: list, deadline: float | None = None) -> tuple | None:
        return identifiability_proof(net, checked, deadline)

    def closed_form_dimension(self, net: Network, deadline: float | None = None):
        return case_a_dimension(net, deadline)

    def identifiability_witnesses(self, net: Network, deadline: float | None = None) -> tuple:
        return hidden_neuron_witnesses(net, deadline)


register(BottleneckFamily())
