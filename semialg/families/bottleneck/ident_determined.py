r"""Identifiability of case-(a) bottlenecks whose inner network is determined: $h' = \mu h$ for every member.

**Theorem.** Let $\theta$ have widths $(n_0, n_1, 1, n_3)$, $n_0 \ge 2$, $f = c\,\sigma(h) + d$ in regime PN
($c \ne 0$, $P = \{h > 0\}$ and $N = \{h < 0\}$ non-empty), let a face of $\partial P$ prove that every member
has $\sigma(h') = \mu\sigma(h)$ (:func:`~.obstructions._standard_face`), let $P$ be connected and $C^* = \{0\}$ (no
row $w \ne 0$ has $w\cdot x$ bounded above on $\overline P$). If the inner shallow network $h$ is identifiable,
so is $\theta$ — for any widths: opposite pairs sharing a hyperplane included. *Proof.* By the theorem of
:mod:`~semialg.families.bottleneck.outer_fibre` (a determined inner network) every member has $h' = \mu h$ with
$\mu > 0$; so $h'/\mu$ (the first layer of $\theta'$ with $v'/\mu$, $e'/\mu$) realizes $h$ and is $g\cdot h$
for $g$ in the group of the shallow architecture; $c'\sigma(h') + d' = c\sigma(h) + d$ with $\sigma(h)$ not
constant gives $c' = c/\mu$, $d' = d$. So $\theta' = g'\cdot\theta$, $g'$ acting by $g$ on the first layer and by
$\mu$ on the bottleneck neuron. $\square$

This is the route for opposite pairs on a visible hyperplane when $\overline P$ is unbounded in every direction
against which a row could hide (:mod:`~.ident_witnesses` finds witnesses when the pair's $z$ is bounded on $P$
with the right sign of $v$). The evidence holds no data a forger could choose: ``verify`` recomputes the regime
(:func:`~semialg.families.bottleneck.types.combinatorial_type`) and
:func:`~semialg.families.bottleneck.outer_fibre.inner_determined` exactly.

>>> net = Network.from_arrays([[[1, 0], [-1, 0], [0, 1]], [[2, 1, 1]], [[1]]], [[0, 0, 0], [-1], [0]])
>>> InnerDetermined().verify(net)
True

Cost: the cells of the first layer's arrangement and one double description per pair of pieces of
$\overline P$ (:func:`~semialg.families.bottleneck.outer_fibre.inner_determined`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from semialg.core.network import Network
from semialg.errors import CertificateError, SemialgError
from semialg.families.bottleneck.ident_hypotheses import CaseATheorem
from semialg.families.bottleneck.outer_fibre import inner_determined
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import bottleneck_case

__all__ = ["InnerDetermined", "DeterminedTheorem", "determined"]


@dataclass(frozen=True)
class InnerDetermined:
    r"""The hypotheses of the module's theorem on $h$: regime PN, $n_0 \ge 2$, a face of $\partial P$ fixing
    $\sigma(h') = \mu\sigma(h)$, $P$ connected, $C^* = \{0\}$. ``verify(net)`` decides them afresh, exactly."""

    def verify(self, net: Network) -> bool:
        if bottleneck_case(net) != "a":
            raise CertificateError(f"not a case-(a) bottleneck network: widths {net.widths}")
        try:
            holds = inner_determined(net, combinatorial_type(net))
        except SemialgError as e:
            raise CertificateError(f"whether h' = mu h for every member is undecided: {e}") from None
        if not holds:
            raise CertificateError("no face of the boundary of P fixes sigma(h') = mu sigma(h), or P is not "
                                   "connected, or some row is bounded above on the closure of P")
        return True


@dataclass(frozen=True)
class DeterminedTheorem(CaseATheorem):
    """The module's theorem; its hypothesis on the architecture (case (a)) is re-checked."""


def determined(net: Network, deadline: float | None = None) -> bool:
    """Whether :class:`InnerDetermined` holds for ``net`` (``False`` when undecided before ``deadline``, a
    :func:`time.monotonic` value). Cost: that of the verification."""
    if bottleneck_case(net) != "a" or net.widths[0] < 2:
        return False
    try:
        t = combinatorial_type(net, budget=None if deadline is None else max(0.5, deadline - time.monotonic()))
        return t.regime == "PN" and inner_determined(net, t, deadline)
    except SemialgError:
        return False
