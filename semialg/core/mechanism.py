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

from semialg.core.result import Result

__all__ = ["Mechanism"]


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
