r"""Identifiability of case-(a) bottleneck parameters: when the fibre is exactly the $G$-orbit.

**Theorem.** Let $\theta$ have widths $(n_0, n_1, 1, n_3)$, $f = c\,\sigma(h) + d$ with $c \ne 0$,
$P = \{h > 0\}$ and $N = \{h < 0\}$ non-empty, every first-layer neuron visible ($H_k$ meets $P$, $v_k \ne 0$)
on a hyperplane of its own, the rows $w_k$ spanning at least a plane, and $h$ unbounded above or not constant on
any $H_k$. If the inner shallow network $h$ (the first two layers) is identifiable, so is $\theta$. *Proof.* By
:func:`~semialg.families.bottleneck.outer_fibre.no_reflected_member` every member has
$\sigma(h') = \mu\sigma(h)$, and then $h' = \mu h$ (:mod:`~semialg.families.bottleneck.outer_fibre`: the $n_1$
kinks on $P$ take all $n_1$ neurons of $\theta'$, so $h' - \mu h$ has no kink and vanishes on $P$). So $h'/\mu$
realizes $h$ and equals $g\cdot h$ for some $g$ in the group of the shallow architecture; $c'\sigma(h') + d' =
c\sigma(h) + d$ with $\sigma(h)$ non-constant gives $c' = c/\mu$, $d' = d$. That is $\theta' = g'\cdot\theta$,
$g'$ acting by $g$ on the first layer and by $\mu$ on the bottleneck neuron. $\square$

For a random parameter whose first-layer neurons all meet $P$ the hypotheses are shown by exact points (found in
floats, checked exactly) and the inner network is generic, so the classification theorem of one hidden layer
proves it identifiable: the proof is three steps that ``verify`` re-checks exactly, at any width.

>>> net = Network.from_arrays([[[1, 0], [0, 1], [1, 1]], [[1, 2, 1]], [[1], [2]]], [[0, 0, -1], [-1], [0, 1]])
>>> [step.name for step in identifiability_proof(net, [])]
['visible kinks', 'inner network identifiable', 'bottleneck theorem']
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flint import fmpq

from semialg.core.exact import dot, fingerprint, normalise_row, rank
from semialg.core.network import Network
from semialg.errors import CertificateError
from semialg.families.bottleneck.outer_fibre import _slope, rising_direction, varying_pair
from semialg.families.bottleneck.types import visibility_witnesses
from semialg.families.bottleneck.views import OuterView, bottleneck_case

__all__ = ["VisibleKinks", "InnerIdentifiable", "BottleneckTheorem", "visible_kinks", "identifiability_proof",
           "PROOF_STEPS"]

Point = tuple[fmpq, ...]


@dataclass(frozen=True)
class VisibleKinks:
    r"""Exact evidence for the hypotheses of the theorem on $h$: ``inside`` ($h > 0$), ``outside`` ($h < 0$),
    ``on[k]`` on $H_k$ with $h > 0$, and either ``rising`` (a direction along which $h$ grows without bound) or
    ``varying[k]``, two points of $H_k$ where $h$ differs. ``verify(net)`` re-checks every claim exactly, with
    the distinct hyperplanes and the rank of the rows. Cost: $O(n_1^2n_0)$ exact operations."""

    inside: Point
    outside: Point
    on: tuple[Point, ...]
    rising: Point | None = None
    varying: tuple[tuple[Point, Point], ...] | None = None

    def verify(self, net: Network) -> bool:
        if bottleneck_case(net) != "a":
            raise CertificateError(f"not a case-(a) bottleneck network: widths {net.widths}")
        view = OuterView.of(net)
        h = lambda x: view.inner(_point(x, net.widths[0]))[0]  # noqa: E731
        if not any(view.c):
            raise CertificateError("c = 0: the network computes a constant")
        if not h(self.inside) > 0 > h(self.outside):
            raise CertificateError("the points do not show h > 0 and h < 0")
        if len(self.on) != net.widths[1]:
            raise CertificateError(f"{len(self.on)} points on hyperplanes for {net.widths[1]} neurons")
        for k, (w, b, v, q) in enumerate(zip(view.w, view.b, view.v, self.on, strict=True)):
            if not any(w) or v == 0:
                raise CertificateError(f"neuron {k} has w = 0 or v = 0: not a kink")
            if dot(w, _point(q, len(w))) + b != 0 or not h(q) > 0:
                raise CertificateError(f"the point for neuron {k} is not on its hyperplane inside P")
        if len({fingerprint(normalise_row(w + (b,))[0]) for w, b in zip(view.w, view.b, strict=True)}) != len(view.w):
            raise CertificateError("two neurons share a hyperplane")
        if rank(view.w) < 2:
            raise CertificateError("the rows are parallel: the 1-D calculus has reflections")
        if self.rising is not None:
            if not _slope(view, _point(self.rising, net.widths[0])) > 0:
                raise CertificateError("h does not grow along the given direction")
            return True
        if self.varying is None or len(self.varying) != len(view.w):
            raise CertificateError("neither a rising direction nor two points on every hyperplane")
        for k, (w, b, pair) in enumerate(zip(view.w, view.b, self.varying, strict=True)):
            p, q = (_point(x, len(w)) for x in pair)
            if dot(w, p) + b != 0 or dot(w, q) + b != 0 or h(p) == h(q):
                raise CertificateError(f"the points for neuron {k} do not show h varying on its hyperplane")
        return True


def _point(x, n: int) -> Point:
    """``x`` if it is exactly a tuple of ``n`` exact ``fmpq`` (subclasses could answer arithmetic or iteration
    differently for the two uses of a point: found by the audit)."""
    if type(x) is not tuple or len(x) != n or not all(type(t) is fmpq for t in x):
        raise CertificateError(f"a point must be a tuple of {n} fmpq")
    return x


@dataclass(frozen=True)
class InnerIdentifiable:
    """A proof (:class:`~semialg.engine.identifiability.ProofStep` s) that the first two layers, as a shallow
    network, are identifiable; ``verify(net)`` re-checks it on that network."""

    proof: tuple

    def verify(self, net: Network) -> bool:
        from semialg.engine.identifiability import IdentifiabilityResult
        if bottleneck_case(net) != "a":
            raise CertificateError(f"not a case-(a) bottleneck network: widths {net.widths}")
        return IdentifiabilityResult("identifiable", self.proof).verify(OuterView.of(net).inner)


@dataclass(frozen=True)
class BottleneckTheorem:
    """The module's theorem; its hypothesis on the architecture (case (a)) is re-checked."""

    def verify(self, net: Network) -> bool:
        if bottleneck_case(net) != "a":
            raise CertificateError(f"the theorem is about case-(a) bottlenecks, not widths {net.widths}")
        return True


#: The complete proof: step name -> the kind of evidence it needs.
PROOF_STEPS = {"visible kinks": VisibleKinks, "inner network identifiable": InnerIdentifiable,
               "bottleneck theorem": BottleneckTheorem}


def visible_kinks(net: Network) -> VisibleKinks | None:
    r"""Exact evidence that $\theta$ satisfies the hypotheses of the theorem on $h$, or ``None`` when the points
    are not found or a hypothesis fails. Cost: that of
    :func:`~semialg.families.bottleneck.types.visibility_witnesses` and of
    :func:`~semialg.families.bottleneck.outer_fibre.rising_direction`, else per neuron that of
    :func:`~semialg.families.bottleneck.outer_fibre.varying_pair` on lines through the point of $H_k$ nearest 0 and
    through the visibility witness (exact on $H_k$ when $n_0 = 2$)."""
    view = OuterView.of(net)
    seen = visibility_witnesses(view) if any(view.c) else None
    if seen is None or any(q is None for q in seen[2]) or rank(view.w) < 2:
        return None
    if len({fingerprint(normalise_row(w + (b,))[0]) for w, b in zip(view.w, view.b, strict=True)}) != len(view.w):
        return None
    rising = rising_direction(view)
    if rising is not None:
        return VisibleKinks(*seen, rising=rising)
    pairs = tuple(varying_pair(view, k, (q,)) for k, q in enumerate(seen[2]))
    return None if None in pairs else VisibleKinks(*seen, varying=pairs)


def identifiability_proof(net: Network, checked: list, deadline: float | None = None) -> tuple | None:
    """The three steps proving that the fibre of ``net`` is its $G$-orbit by the module's theorem, or ``None``
    (what failed is appended to ``checked``). Cost: :func:`visible_kinks` plus
    :func:`~semialg.engine.identifiability.identifiable` of the inner network (within what remains before
    ``deadline``, a :func:`time.monotonic` value)."""
    from semialg.engine.identifiability import ProofStep, identifiable
    if bottleneck_case(net) != "a":
        return None
    kinks = visible_kinks(net)
    if kinks is None:
        checked.append("bottleneck theorem not applied: not every first-layer neuron was shown visible on a "
                       "hyperplane of its own, with the rows spanning a plane and h unbounded above or varying on "
                       "each hyperplane")
        return None
    inner = OuterView.of(net).inner
    result = identifiable(inner, budget=10.0 if deadline is None else max(0.0, deadline - time.monotonic()))
    if result.status != "identifiable":
        checked.append(f"bottleneck theorem not applied: the inner network h is {result.status}")
        return None
    return (ProofStep("visible kinks", "f = c s(h) + d with c != 0, P and N non-empty, every first-layer neuron "
                      "visible on a hyperplane of its own, rows spanning a plane, h unbounded above or varying on "
                      "every hyperplane: every member has h' = mu h", kinks),
            ProofStep("inner network identifiable", "the first two layers, as a shallow network, are "
                      "identifiable: " + "; ".join(s.name for s in result.proof), InnerIdentifiable(result.proof)),
            ProofStep("bottleneck theorem", "then the fibre is the G-orbit: h' = mu g.h, c' = c/mu, d' = d",
                      BottleneckTheorem()))
