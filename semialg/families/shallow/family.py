"""The shallow family (one hidden layer) registered with :mod:`semialg.families.base`."""

from __future__ import annotations

import time

from semialg.core.certificate import EquivalenceResult
from semialg.core.mechanism import Mechanism
from semialg.core.network import Network
from semialg.engine.loci import SHALLOW_SCOPE, zero_factor_condition
from semialg.families.base import Family, register
from semialg.families.shallow.canonical import CanonicalForm, canonical_form, equivalent
from semialg.families.shallow.dimension import shallow_functional_dimension
from semialg.families.shallow.fibre import ShallowFibre, fibre, is_orbit_case
from semialg.families.shallow.minimal import minimal_form
from semialg.families.shallow.one_spare import STEPS as ONE_SPARE_STEPS, one_spare_proof
from semialg.families.shallow.symmetries import Stabilizer, hidden_symmetries, stabilizer

__all__ = ["ShallowFamily"]


class ShallowFamily(Family):
    """Networks with one hidden layer, widths $(m, n, k)$: the complete classification."""

    name = "shallow"
    priority = 10
    identifiability_steps = {"theorem of one spare neuron (one hidden layer)": ONE_SPARE_STEPS}

    def identifiability_proof(self, net: Network, checked: list, deadline: float | None = None) -> tuple | None:
        """The theorem of :mod:`~semialg.families.shallow.one_spare` (width $N + 1$ over $N$ kink hyperplanes,
        screened modulo a prime), when the count of types has not decided."""
        from semialg.engine.identifiability import ProofStep
        steps = one_spare_proof(net, checked, deadline)
        return None if steps is None else tuple(ProofStep(*step) for step in steps)

    def applies(self, net: Network) -> bool:
        return net.depth == 2

    def applies_to_architecture(self, arch) -> bool:
        return arch.depth == 2

    def equivalent(self, net1: Network, net2: Network, budget: float | None = None, **options) -> EquivalenceResult:
        return equivalent(net1, net2, None if budget is None else time.monotonic() + budget)

    def canonical_form(self, net: Network) -> CanonicalForm:
        return canonical_form(net)

    def stabilizer(self, net: Network, **options) -> Stabilizer:
        return stabilizer(net)     # closed form: no budget needed

    def fibre(self, net: Network, budget: float | None = None, **options) -> ShallowFibre:
        return fibre(net, budget=budget)      # built lazily; the budget is for the 0-factor search

    def fibre_dimension(self, net: Network) -> int:
        """The dimension of the fibre: the maximum over its non-empty components (not $D - \\dim_{\\rm fun}$,
        which is only a first-order count). In the orbit case it is $n$ without searching the 0-factors."""
        return net.widths[1] if is_orbit_case(net) else fibre(net).dimension

    def minimal_width_network(self, net: Network, seconds: float | None = None) -> Network:
        return minimal_form(net) if seconds is None else minimal_form(net, seconds=seconds)

    def mechanisms(self, net: Network, budget: float | None = None, **options) -> tuple[Mechanism, ...]:
        return tuple(hidden_symmetries(net, budget=budget))

    def closed_form_dimension(self, net: Network, deadline: float | None = None) -> int:
        return shallow_functional_dimension(net)

    def genericity_conditions(self, net: Network, budget: int) -> list:
        return [zero_factor_condition(net, budget)]

    def genericity_scope(self, arch) -> str:
        return SHALLOW_SCOPE


register(ShallowFamily())
