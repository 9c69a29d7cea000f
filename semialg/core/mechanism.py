"""Mechanisms: the ways, beyond the group $G$, in which different parameters realize the same function.

A :class:`Mechanism` is present at a parameter $\\theta$ (dead neurons, twins, 0-factor flips, hidden
hyperplane translations, ...). It is either *continuous* — it frees a family of parameters of some
``dimension`` — or *discrete* — it multiplies the number of fibre components by ``multiplicity``. It
*freezes* parameters when the gradient of the loss vanishes identically in them (a dead neuron's incoming
weights): each frozen coordinate is then a conserved quantity of gradient flow.

>>> m = Mechanism("zero_factor", continuous=False, dimension=0, multiplicity=2, neurons=(0, 1, 2),
...               description="sum of a_i w_i^T over S vanishes: flipping S keeps f")
>>> m.kind, m.freezes
('discrete', False)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from semialg.core.result import Result

__all__ = ["Mechanism", "zero_factor_mechanism"]


@dataclass(frozen=True)
class Mechanism(Result):
    """One mechanism beyond $G$ present at a parameter.

    ``name``: a stable identifier (``"dead_output"``, ``"twins"``, ``"zero_factor"``, ...);
    ``continuous``: whether it frees a continuous family; ``dimension``: the dimension of that family (0 for
    discrete mechanisms; ``None`` when no closed form is known); ``multiplicity``: the number of discrete
    choices it creates (1 for continuous ones; ``None`` when unknown); ``neurons``: the neurons involved
    (0-based, in ``layer``); ``freezes``: whether the parameters it frees have identically zero gradient;
    ``relation``: how the deeper layers act on it (``"hidden"``, ``"compensated"``, ``"dead"``, ...).
    """

    name: str
    continuous: bool
    dimension: int | None
    multiplicity: int | None = 1
    neurons: tuple[int, ...] = ()
    description: str = ""
    layer: int = 1
    freezes: bool = False
    relation: str = ""

    @property
    def kind(self) -> str:
        """``"continuous"`` or ``"discrete"``."""
        return "continuous" if self.continuous else "discrete"

    def describe(self) -> str:
        size = ("dimension " + ("?" if self.dimension is None else str(self.dimension)) if self.continuous else
                "components x" + ("?" if self.multiplicity is None else str(self.multiplicity)))
        rel = f", {self.relation}" if self.relation else ""
        return f"{self.name} ({self.kind}, {size}{rel}): {self.description}"


def zero_factor_mechanism(sets: Sequence[tuple[int, ...]], count: int | None, term: str, absorbed: str,
                          layer: int) -> Mechanism:
    """The 0-factor flips of ``layer`` as one discrete :class:`Mechanism`: the 0-factors ``sets`` (0-based, listed
    in the description), the multiplicity ``count`` of parameters distinct up to $G$ among the flips
    (:func:`~semialg.engine.orbit.flip_orbits`; ``None``: not counted), ``term`` the summand vanishing over each set,
    ``absorbed`` where the constant goes. Cost: $O(\\sum |S|)$.

    >>> m = zero_factor_mechanism([(0, 1, 2), (3, 4, 5), (0, 1, 2, 3, 4, 5)], 4, "a_i w_i^T", "c absorbs it", 1)
    >>> m.multiplicity, m.neurons, m.description.split("; ")[1]
    (4, (0, 1, 2, 3, 4, 5), '4 of the 4 flip sets (the empty one included) distinct up to G')
    """
    shown = ", ".join(str([i + 1 for i in S]) for S in sets[:8]) + (", ..." if len(sets) > 8 else "")
    distinct = (f"{count} of the {len(sets) + 1} flip sets (the empty one included) distinct up to G"
                if count is not None else f"{len(sets) + 1} flip sets, not counted up to G")
    return Mechanism("zero_factor", False, 0, count, tuple(sorted({i for S in sets for i in S})),
                     f"sum of {term} over S is 0 for S in {shown}: flipping S ({absorbed}) keeps f (M4); {distinct}",
                     layer)
