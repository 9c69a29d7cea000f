r"""Identifiability of case-(a) bottlenecks with one spare neuron: one neuron more than the kink hyperplanes of
$h$, all seen on $P$ (an opposite pair or twins sharing one, or a dead neuron).

**Theorem.** Let $\theta$ have widths $(n_0, n_1, 1, n_3)$, $n_0 \ge 2$, and let the theorem of the free slot
(:mod:`~semialg.families.bottleneck.outer_fibre`, :func:`~.outer_fibre.free_slot_failure`) apply: regime PN, a face
of $\partial P$ proving $\sigma(h') = \mu\sigma(h)$, $P$ connected, every kink hyperplane of $h$ seen on $P$ and
$n_1$ one more than their number, and under every orientation of one neuron per hyperplane the linear part left on
$P$ carried by no other neuron. If the inner shallow network $h$ is identifiable, so is $\theta$. *Proof.* Every
member has $h' = \mu h$ (that theorem), so $h'/\mu = g\cdot h$ for $g$ in the group of the shallow architecture, and
$c' = c/\mu$, $d' = d$ ($\sigma(h)$ is not constant): $\theta' = g'\cdot\theta$. $\square$

The orientations that fail say how: a linear part bounded above on $\overline P$ is carried by a U+ neuron with
$v < 0$, one that vanishes (with a row bounded above on $\overline P$) leaves a U− neuron free, and one bounded below
that neither a cell's recession direction nor a ray refutes may be carried by a U+ neuron with $v > 0$. The
evidence holds no data: ``verify`` decides everything afresh.

>>> net = Network.from_arrays([[[2, -3], [-2, 3], [-1, -2], [-1, 2]], [[-2, 1, 1, -2]], [[1]]],
...                           [[1, -1, 2, -3], [-1], [-2]])          # an opposite pair on 2x - 3y + 1 = 0
>>> SpareNeuron().verify(net)
True

Cost: that of :func:`~.outer_fibre.free_slot_failure`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from semialg.core.network import Network
from semialg.families.bottleneck.ident_hypotheses import CaseATheorem, DecidedHypotheses, holds
from semialg.families.bottleneck.outer_fibre import free_slot_failure
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import bottleneck_case

__all__ = ["SpareNeuron", "SpareTheorem", "spare"]


def _failure(net: Network, deadline: float | None = None) -> str | None:
    """Why the hypotheses on $h$ fail (``None`` when they hold); past ``deadline`` an :class:`UndecidedError`."""
    if bottleneck_case(net) != "a" or net.widths[0] < 2:
        return f"not a case-(a) bottleneck with n0 >= 2: widths {net.widths}"
    t = combinatorial_type(net, budget=None if deadline is None else max(0.5, deadline - time.monotonic()))
    return free_slot_failure(net, t, deadline)


@dataclass(frozen=True)
class SpareNeuron(DecidedHypotheses):
    r"""The hypotheses of the module's theorem on $h$ (the theorem of the free slot,
    :func:`~.outer_fibre.free_slot_failure`). ``verify(net)`` decides them afresh, exactly."""

    def failure(self, net: Network, deadline: float | None = None) -> str | None:
        return _failure(net, deadline)


@dataclass(frozen=True)
class SpareTheorem(CaseATheorem):
    """The module's theorem; its hypothesis on the architecture (case (a)) is re-checked."""


def spare(net: Network, deadline: float | None = None) -> bool:
    """Whether :class:`SpareNeuron` holds (``False`` when undecided before ``deadline``, a :func:`time.monotonic`
    value). Cost: that of the verification."""
    return holds(SpareNeuron(), net, deadline)
