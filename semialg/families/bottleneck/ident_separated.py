r"""Identifiability of case-(a) bottlenecks with one hidden first-layer neuron between two components of $P$.

**Theorem.** Let $\theta$ have widths $(n_0, n_1, 1, n_3)$, $n_0 \ge 2$, $f = c\,\sigma(h) + d$ in regime PN, let
a face of $\partial P$ prove that every member has $\sigma(h') = \mu\sigma(h)$ with $\mu > 0$
(:func:`~.obstructions._standard_face`), let every first-layer neuron but one be visible ($H_i$ meets $P$) on a
hyperplane of its own, and the last one, $k$, be of class U± ($H_k$ misses $P$, which meets both sides of it).
If the inner shallow network $h$ is identifiable, so is $\theta$. *Proof.* Let $\theta'$ be a member: $h' = \mu h$ on
$P$. Across a visible $H_i$ the jump of $h'$ is that of $\mu h$, not 0 (seen at points of $H_i \cap P$ on no other
hyperplane), so $\theta'$ has a neuron on each of the $n_1 - 1$ visible hyperplanes: at most one neuron $s$ is
left. $D = h' - \mu h$ is a shallow function vanishing on $P$; its jump across a hyperplane is constant along it, so
it has none across a hyperplane meeting $P$, and $D = a\sigma(z'_s) - \mu v_k\sigma(z_k) + A$ with $A$ affine,
$a = 0$ unless $H'_s$ misses $P$. On each component of $P$, $z'_s$ and $z_k$ have one sign each, and $D = 0$
there is an identity of affine maps: with signs $(+,+)$ $az'_s - \mu v_kz_k + A = 0$, $(+,-)$ $az'_s + A = 0$,
$(-,+)$ $-\mu v_kz_k + A = 0$, $(-,-)$ $A = 0$. Both signs of $z_k$ occur; $(-,+)$ with $(-,-)$, or $(+,+)$ with
$(+,-)$, would give $\mu v_kz_k \equiv 0$; so the signs are $\{(+,+), (-,-)\}$ ($A = 0$, $az'_s = \mu v_kz_k$,
$z'_s$ a positive multiple of $z_k$) or $\{(+,-), (-,+)\}$ ($A = \mu v_kz_k$, $az'_s = -\mu v_kz_k$, $z'_s$ a
positive multiple of $-z_k$). In both $D = 0$ identically ($\sigma(y) - \sigma(-y) = y$). So $h' = \mu h$, $h'/\mu$
realizes $h$ and is $g\cdot h$; with $c' = c/\mu$, $d' = d$ ($\sigma(h)$ is not constant), $\theta' =
g'\cdot\theta$. $\square$ For several hidden neurons the same identities form the linear system of
:mod:`~.ident_shifts`, whose kernel gives witnesses.

The evidence holds no data: ``verify`` recomputes the exact type
(:func:`~semialg.families.bottleneck.types.combinatorial_type`), the distinct visible hyperplanes and the face.

>>> net = Network.from_arrays([[[-2, 2], [-3, -3], [1, 3]], [[1, -2, -1]], [[-2]]], [[-1, -2, 3], [2], [-1]])
>>> SeparatingNeuron().verify(net)
True

Cost: the type (the cells of the first layer's arrangement) and one double description per pair of pieces of
$\overline P$ and $\{h \le 0\}$ until a face is found.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from semialg.core.exact import fingerprint, normalise_row
from semialg.core.network import Network
from semialg.families.bottleneck.ident_cache import standard_face
from semialg.families.bottleneck.ident_hypotheses import CaseATheorem, DecidedHypotheses, holds
from semialg.families.bottleneck.obstructions import _Clock
from semialg.families.bottleneck.representative import _live
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import OuterView, bottleneck_case

__all__ = ["SeparatingNeuron", "SeparatedTheorem", "separated"]


def _failure(net: Network, deadline: float | None = None) -> str | None:
    """Why the hypotheses on $h$ fail (``None`` when they hold); past ``deadline`` an :class:`UndecidedError`."""
    if bottleneck_case(net) != "a" or net.widths[0] < 2:
        return f"not a case-(a) bottleneck with n0 >= 2: widths {net.widths}"
    t = combinatorial_type(net, budget=None if deadline is None else max(0.5, deadline - time.monotonic()))
    if t.regime != "PN":
        return f"regime {t.regime}, not PN"
    if t.count("U+-") != 1 or t.count("V") != len(t.classes) - 1:
        return f"the classes {t.classes} are not all V but one U+-"
    view = OuterView.of(net)
    keys = [fingerprint(normalise_row(w + (b,))[0])
            for w, b, cls in zip(view.w, view.b, t.classes, strict=True) if cls == "V"]
    if len(set(keys)) != len(keys):
        return "two visible neurons share a hyperplane"
    if standard_face(_live(net), _Clock(None, deadline, "a face of the boundary of P")) is None:
        return "no face of the boundary of P fixes sigma(h') = mu sigma(h)"
    return None


@dataclass(frozen=True)
class SeparatingNeuron(DecidedHypotheses):
    r"""The hypotheses of the module's theorem on $h$: regime PN, $n_0 \ge 2$, every first-layer neuron visible on
    a hyperplane of its own but one of class U±, a face of $\partial P$ fixing $\sigma(h') = \mu\sigma(h)$.
    ``verify(net)`` decides them afresh, exactly."""

    def failure(self, net: Network, deadline: float | None = None) -> str | None:
        return _failure(net, deadline)


@dataclass(frozen=True)
class SeparatedTheorem(CaseATheorem):
    """The module's theorem; its hypothesis on the architecture (case (a)) is re-checked."""


def separated(net: Network, deadline: float | None = None) -> bool:
    """Whether :class:`SeparatingNeuron` holds (``False`` when undecided before ``deadline``, a
    :func:`time.monotonic` value). Cost: that of the verification."""
    return holds(SeparatingNeuron(), net, deadline)
