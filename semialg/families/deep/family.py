"""The any-depth family registered with :mod:`semialg.families.base`: it applies to every network, after the
faster specific families (one hidden layer, bottleneck), and replaces the bare region oracle as the fallback
for equivalence on the whole input space."""

from __future__ import annotations

from semialg.core.certificate import EquivalenceResult
from semialg.core.network import Network
from semialg.families.base import Family, register
from semialg.families.deep.equivalence import equivalent
from semialg.families.deep.normal_form import NormalForm, normal_form

__all__ = ["DeepFamily"]


class DeepFamily(Family):
    """ReLU networks of any depth: normal forms modulo $G$, moves, exact line refutation, budgeted oracle."""

    name = "deep"
    priority = 90

    def applies(self, net: Network) -> bool:
        return True

    def applies_to_architecture(self, arch) -> bool:
        return False  # no symbolic loci or genericity conditions beyond the per-layer ones

    def equivalent(self, net1: Network, net2: Network, **options) -> EquivalenceResult:
        return equivalent(net1, net2, **options)

    def canonical_form(self, net: Network) -> NormalForm:
        return normal_form(net)


register(DeepFamily())
