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
floats, checked exactly; where the float search misses a thin $H_k \cap P$, from the exact type and the regions of
the facets on $H_k$ of the first layer's cells: :func:`~semialg.families.bottleneck.arrangement.points_on_hyperplanes`) and the inner network is generic, so the classification theorem of one hidden layer
proves it identifiable: the proof is three steps that ``verify`` re-checks exactly, at any width.

>>> net = Network.from_arrays([[[1, 0], [0, 1], [1, 1]], [[1, 2, 1]], [[1], [2]]], [[0, 0, -1], [-1], [0, 1]])
>>> [step.name for step in identifiability_proof(net, [])]
['visible kinks', 'inner network identifiable', 'bottleneck theorem']

**Hidden neurons (witnesses).** Let neuron $k$ have $v_k > 0$ and $z_k = w_k\cdot x + b_k$. If it is U+
($z_k \ge 0$ on $P$), raise $b_k$ by $\delta > 0$ and lower $e$ by $v_k\delta$; if it is U− ($z_k \le 0$ on $P$),
lower $b_k$ by $\delta > 0$. Then $h' \le h$ everywhere and $h' = h$ on $P$: $\sigma$ is non-decreasing and
1-Lipschitz, so $0 \le \sigma(z + \delta) - \sigma(z) \le \delta$ with equality $\delta$ for $z \ge 0$, and
$h' - h = v_k(\sigma(z_k + \delta) - \sigma(z_k) - \delta) \le 0$ (U+), $h' - h = v_k(\sigma(z_k - \delta) -
\sigma(z_k)) \le 0$ (U−), both $= 0$ on $P$ — the sign of $v_k > 0$ is exactly what makes both differences
$\le 0$ (for $v_k < 0$ they are $\ge 0$ and $h'$ could become positive off $P$). Hence $\sigma(h') = \sigma(h)$
($h' = h$ on $P$, $h' \le h \le 0$ off $P$) and $f$ is unchanged, for every $\delta > 0$ ($\delta = 1$ here):
:func:`hidden_neuron_witnesses` lists these candidates for the U± classes decided exactly by
:func:`~semialg.families.bottleneck.types.combinatorial_type`; the engine proves each equivalent by a verified
certificate and checks it outside the orbit. Hidden neurons with $v_k < 0$ and opposite pairs sharing a
hyperplane have their own moves (:mod:`~semialg.families.bottleneck.ident_witnesses`), and so do hidden biases
shifted together with $e$ so that $h$ keeps its values on every component of $P$
(:mod:`~semialg.families.bottleneck.ident_shifts`, e.g. an opposite pair between two components).

**Determined inner networks, one separating neuron.** When every member has $h' = \mu h$ and $h$ is identifiable,
so is $\theta$: at any widths when a face of $\partial P$ fixes $\sigma(h') = \mu\sigma(h)$, $P$ is connected and
$C^* = \{0\}$ (:mod:`~semialg.families.bottleneck.ident_determined`: steps ``inner determined``, ``inner network
identifiable``, ``determined bottleneck theorem``; opposite pairs on a visible hyperplane included), and when such
a face exists and every first-layer neuron is visible on its own hyperplane but one U± neuron between components of
$P$ (:mod:`~semialg.families.bottleneck.ident_separated`: ``separating neuron``, ``inner network identifiable``,
``separated bottleneck theorem``; e.g. the U± parameter $W = ((1,0),(1,-2),(2,-2))$, $v = (-1,-2,2)$, $b =
(2,0,-1)$, $e = 2$ of full local Jacobian rank, when $h$ is identifiable), and when $C^* = \{0\}$ and at most one
hyperplane separates the components of $P$ (:mod:`~semialg.families.bottleneck.ident_components`). They are tried
when the visible kinks are not shown; before them, parallel rows (:mod:`~semialg.families.bottleneck.ident_line`).

**Case (b) theorem.** Widths $(n_0, 1, n_2, n_3)$, $f(x) = g(\sigma(w\cdot x + b))$ with the profile $g(s) =
\sum_j c_j\sigma(v_js + e_j) + d$ ($c_j \in \mathbb{R}^{n_3}$). Suppose (1) $w \ne 0$; (2) every neuron switches
at $\tau_j = -e_j/v_j > 0$ (on: $v_j > 0$; off: $v_j < 0$) with $c_j \ne 0$, the $\tau_j$ pairwise distinct; (3)
the slope at $0^+$, $\beta_0 = -\sum_{j \in \mathrm{Off}} |v_j|c_j$, is not 0; (4) the final slope $\sum_{v_j > 0}
v_jc_j$ is not 0; (5) with the slope jumps $\Delta_j = |v_j|c_j$ (the same formula for both orientations), Off is
the only subset $S$ with $\sum_S\Delta_j = \sum_{\mathrm{Off}}\Delta_j$. Then $\theta$ is identifiable. *Proof.*
Let $f_{\theta'} = f_\theta$. $f$ is not constant by (3), so $w' \ne 0$; $f$ is invariant under translations by
$w^\perp$ and $w'^\perp$, which span $\mathbb{R}^{n_0}$ unless $w' = \lambda w$, so $w' = \lambda w$ and $G(t) =
G'(\lambda t + \beta)$ for $G = g\circ\sigma$, $G' = g'\circ\sigma$, $t = w\cdot x + b$, $\beta = b' - \lambda b$.
$G'$ is constant on $u \le 0$; for $\lambda < 0$ that makes $G$ constant for large $t$, against (4); so $\lambda > 0$
and, scaling the first neuron by $1/\lambda$ (in $G$), $\lambda = 1$. $G$ has $n_2 + 1$ kinks with non-zero
jumps, at $0$ (by (3)) and at the distinct $\tau_j$ (by (2)). If $\beta < 0$, $G$ would be constant on $t \le
-\beta$, against (3); if $\beta > 0$, $G'$ would have $n_2 + 1$ kinks in $u > 0$, where it has at most the $n_2$
thresholds $\tau'_j$. So $\beta = 0$, $g' = g$ on $[0, \infty)$, and the $n_2$ kinks $\tau_j$ take one neuron of
$\theta'$ each: after a permutation $\tau'_j = \tau_j$ and $|v'_j|c'_j = \Delta_j$. The slope at $0^+$ is
$-\sum_{\mathrm{Off}'}\Delta_j = \beta_0$, so by (5) $\mathrm{Off}' = \mathrm{Off}$: each $(v'_j, e'_j) =
\mu_j(v_j, e_j)$ with $\mu_j > 0$, $c'_j = c_j/\mu_j$, and $g'(0) = g(0)$ gives $d' = d$: $\theta' \in
G\cdot\theta$. $\square$ Cost: $O(n_2n_3)$ for (1)–(4) and $O(2^{n_2}n_3)$ for (5) (all subset sums, up to
$n_2 \le$ :data:`MAX_SUBSET_NEURONS`).

>>> ridge = Network.from_arrays([[[1]], [[1], [-1]], [[1, 2]]], [[0], [-1, 2], [0]])
>>> [step.name for step in identifiability_proof(ridge, [])]
['ridge kinks', 'unique switching set', 'ridge theorem']
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from flint import fmpq

from semialg.core.exact import dot
from semialg.core.grid_point import GridPoint, MovedPoint
from semialg.core.network import Network
from semialg.errors import CertificateError, SemialgError
from semialg.engine import regions as pl
from semialg.engine.hyperplane_keys import oriented_rows, rank_at_least_two
from semialg.families.bottleneck.arrangement import points_on_hyperplanes
from semialg.families.bottleneck.ident_cache import inner_identifiable
from semialg.families.bottleneck.ident_hypotheses import CaseATheorem
from semialg.families.bottleneck.ident_components import ComponentsTheorem, SeparableComponents, separable
from semialg.families.bottleneck.ident_determined import DeterminedTheorem, InnerDetermined, determined
from semialg.families.bottleneck.ident_moves import DoubleDeadNeuron, InnerNetworkMove, MoveLabel, ShiftHiddenBiases
from semialg.families.bottleneck.ident_line import LineKinks, LineTheorem, line_failure
from semialg.families.bottleneck.ident_separated import SeparatedTheorem, SeparatingNeuron, separated
from semialg.families.bottleneck.ident_separated_pair import SeparatedPair, SeparatedPairTheorem, separated_pair
from semialg.families.bottleneck.ident_spare import SpareNeuron, SpareTheorem, spare
from semialg.families.bottleneck.ident_shifts import shift_witnesses
from semialg.families.bottleneck.ident_trades import trade_witnesses
from semialg.families.bottleneck.ident_witnesses import negative_witnesses
from semialg.families.bottleneck.outer_fibre import _slope, rising_direction, varying_pair
from semialg.families.bottleneck.types import (check_on_hyperplanes, combinatorial_type, coordinate_witnesses,
                                               visibility_witnesses)
from semialg.families.bottleneck.views import OuterView, RidgeView, _scale, bottleneck_case
from semialg.geometry.polyhedron import decide

__all__ = ["VisibleKinks", "InnerIdentifiable", "BottleneckTheorem", "visible_kinks", "identifiability_proof",
           "PROOF_STEPS", "RidgeKinks", "UniqueSwitchingSet", "RidgeTheorem", "ridge_proof", "RIDGE_STEPS", "PROOFS",
           "hidden_neuron_witnesses", "MAX_SUBSET_NEURONS", "DETERMINED_STEPS",
           "SEPARATED_STEPS", "LINE_STEPS", "COMPONENTS_STEPS", "SPARE_STEPS", "SEPARATED_PAIR_STEPS"]

#: The largest $n_2$ for which condition (5) of the case-(b) theorem is decided (it enumerates $2^{n_2}$ sums).
MAX_SUBSET_NEURONS = 16

Point = tuple[fmpq, ...]
_ONE, _ZERO = fmpq(1), fmpq(0)


@dataclass(frozen=True)
class VisibleKinks:
    r"""Exact evidence for the hypotheses of the theorem on $h$: ``inside`` ($h > 0$), ``outside`` ($h < 0$),
    ``on[k]`` on $H_k$ with $h > 0$ (a point, or a :class:`~semialg.core.grid_point.MovedPoint` of one found along
    a coordinate), and either ``rising`` (a direction along which $h$ grows without bound) or
    ``varying[k]``, two points of $H_k$ where $h$ differs. ``verify(net)`` re-checks every claim exactly, with
    the distinct hyperplanes and the rank of the rows (the points on hyperplanes by
    :func:`~semialg.families.bottleneck.types.check_on_hyperplanes`). Cost: $O(n_1^2n_0)$ exact operations."""

    inside: Point
    outside: Point
    on: tuple[Point | MovedPoint, ...]
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
        if type(self.on) is not tuple or len(self.on) != net.widths[1]:
            raise CertificateError(f"{len(self.on)} points on hyperplanes for {net.widths[1]} neurons")
        check_on_hyperplanes(view, self.on, _point)     # the signs of h in batches, the hyperplanes on integers
        if len(_lines(view.w, view.b)) != len(view.w):
            raise CertificateError("two neurons share a hyperplane")
        if not rank_at_least_two(view.w):
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
                raise CertificateError(f"the points for neuron {k + 1} do not show h varying on its hyperplane")
        return True


def _lines(W, b) -> set:
    r"""The lines $\mathbb{R}(w_k, b_k)$ of the rows, by their keys (:func:`~semialg.engine.hyperplane_keys.oriented_rows`,
    on the integer form: normalising 4,096 rows of 784 rationals took 3 s)."""
    return {key for key, _ in oriented_rows(W, b)}


def _point(x, n: int) -> Point:
    """``x`` if it is exactly a tuple of ``n`` exact ``fmpq`` (subclasses could answer arithmetic or iteration
    differently for the two uses of a point: found by the audit); a :class:`~semialg.core.grid_point.GridPoint` as
    the plain tuple of its entries, so that its integer form is not trusted."""
    if type(x) is GridPoint:
        x = tuple(x)
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
class BottleneckTheorem(CaseATheorem):
    """The module's theorem; its hypothesis on the architecture (case (a)) is re-checked."""


#: The complete proof: step name -> the kind of evidence it needs.
PROOF_STEPS = {"visible kinks": VisibleKinks, "inner network identifiable": InnerIdentifiable,
               "bottleneck theorem": BottleneckTheorem}


def visible_kinks(net: Network, deadline: float | None = None) -> VisibleKinks | None:
    r"""Exact evidence that $\theta$ satisfies the hypotheses of the theorem on $h$, or ``None`` when the points
    are not found or a hypothesis fails. Cost: that of
    :func:`~semialg.families.bottleneck.types.visibility_witnesses` and of
    :func:`~semialg.families.bottleneck.outer_fibre.rising_direction`, else per neuron that of
    :func:`~semialg.families.bottleneck.outer_fibre.varying_pair` on lines through the point of $H_k$ nearest 0 and
    through the visibility witness (exact on $H_k$ when $n_0 = 2$). ``None`` also once ``deadline`` (a
    :func:`time.monotonic` value) has passed during the witness search."""
    view = OuterView.of(net)
    seen = visibility_witnesses(view, deadline=deadline) if any(view.c) else None
    if seen is None and deadline is not None and time.monotonic() > deadline:
        return None
    moved = coordinate_witnesses(view)
    if seen is None or any(q is None for q in seen[2]):
        seen, moved = _exact_visibility(net, view), {}
    if seen is None or not rank_at_least_two(view.w):
        return None
    if len(_lines(view.w, view.b)) != len(view.w):
        return None
    inside, outside, on = seen
    compact = tuple(moved.get(k, q) for k, q in enumerate(on))
    rising = rising_direction(view)
    if rising is not None:
        return VisibleKinks(inside, outside, compact, rising=rising)
    pairs = tuple(varying_pair(view, k, (q,)) for k, q in enumerate(on))
    return None if None in pairs else VisibleKinks(inside, outside, compact, varying=pairs)


#: The widest first layer whose visibility points are found exactly when the float search misses one.
EXACT_VISIBILITY_NEURONS = 8
#: The seconds the exact type may take for them.
EXACT_VISIBILITY_SECONDS = 5.0


def _exact_visibility(net: Network, view: OuterView) -> tuple | None:
    r"""``(inside, outside, on)`` as in :func:`~semialg.families.bottleneck.types.visibility_witnesses`, from the
    exact type when the float search missed a thin $H_k \cap P$: in regime PN with every neuron of class V, a point
    of each $H_k$ inside $P$ and one of $\{h < 0\}$, each strictly inside a region (``None`` otherwise). Cost: the
    type (within :data:`EXACT_VISIBILITY_SECONDS`), the regions of $h$ with one strict-feasibility decision each,
    and :func:`~semialg.families.bottleneck.arrangement.points_on_hyperplanes`; only for $n_0 \le 4$ and $n_1 \le$ :data:`EXACT_VISIBILITY_NEURONS`."""
    if net.widths[0] > 4 or net.widths[1] > EXACT_VISIBILITY_NEURONS:
        return None
    try:
        t = combinatorial_type(net, budget=EXACT_VISIBILITY_SECONDS)
    except SemialgError:
        return None
    if t.regime != "PN" or any(c != "V" for c in t.classes):
        return None
    on = points_on_hyperplanes(view)
    outside = next((found.point for reg in pl.regions(view.inner)
                    for found in (decide([g for g, _ in reg.inequalities] + [_scale(-_ONE, reg.linear[0])],
                                         [c for _, c in reg.inequalities] + [-reg.offset[0]], net.widths[0]),)
                    if found), None)
    return None if None in on or outside is None else (on[0], outside, on)


def _spent(deadline: float | None, checked: list) -> bool:
    """Whether ``deadline`` has passed; then ``checked`` says which theorems were not tried (each route costs
    about a second at 784-4096-1-10, and they ran on after the budget of ``identifiable``)."""
    if deadline is None or time.monotonic() <= deadline:
        return False
    checked.append("case-(a) bottleneck theorems not (all) tried: the budget was spent")
    return True


def _hidden_neuron(net: Network, deadline: float | None) -> str | None:
    """Why no theorem can prove a case-(a) parameter identifiable when one of its neurons moves freely
    (:func:`_freely_hidden`), or ``None`` (also when the type is not found within a quarter of what remains)."""
    left = 20.0 if deadline is None else deadline - time.monotonic()
    try:
        t = combinatorial_type(net, budget=max(0.5, min(5.0, left / 4)))
    except SemialgError:
        return None
    free = _freely_hidden(t, OuterView.of(net))
    if not free:
        return None
    k = free[0]
    return (f"first-layer neuron {k + 1} is hidden (class {t.classes[k]}, v_{k + 1} "
            f"{'> 0' if OuterView.of(net).v[k] > 0 else '< 0'}), and its hidden-neuron move keeps f (a witness)")


def identifiability_proof(net: Network, checked: list, deadline: float | None = None) -> tuple | None:
    """The three steps proving that the fibre of ``net`` is its $G$-orbit by the module's case-(a) theorem (or
    case (b): :func:`ridge_proof`), or ``None`` (what failed is appended to ``checked``). Cost:
    :func:`visible_kinks` plus :func:`~semialg.engine.identifiability.identifiable` of the inner network (within
    what remains before ``deadline``, a :func:`time.monotonic` value)."""
    from semialg.engine.identifiability import ProofStep
    if bottleneck_case(net) == "b":
        return ridge_proof(net, checked)
    if bottleneck_case(net) != "a":
        return None
    if _spent(deadline, checked):
        return None
    why = line_failure(net)
    if why is None:
        return (ProofStep("line kinks", "f = c s(h) + d with h = g(u.x): every row a non-zero multiple a_k u, "
                          "each neuron a kink of its own inside P, g < 0 somewhere, no non-empty F with sum over "
                          "F of v_k a_k = 0, g unbounded above or maximal at one point only", LineKinks()),
                ProofStep("line bottleneck theorem", "then every member restricted to a line s with u.s = 1 is "
                          "in the orbit of the 1-D parameter: its rows are multiples of u and the fibre is the "
                          "G-orbit", LineTheorem()))
    checked.append(f"line bottleneck theorem not applied: {why}")
    if (hidden := _hidden_neuron(net, deadline)) is not None:
        checked.append(f"case-(a) bottleneck theorems not tried: {hidden}")
        return None
    kinks, route = visible_kinks(net, deadline), "visible"
    if kinks is None:
        checked.append("bottleneck theorem not applied: not every first-layer neuron was shown visible on a "
                       "hyperplane of its own, with the rows spanning a plane and h unbounded above or varying on "
                       "each hyperplane")
        if _spent(deadline, checked):
            return None
        route = "determined" if determined(net, deadline) else "separated" if separated(net, deadline) else \
            "components" if separable(net, deadline) else "spare" if spare(net, deadline) else \
            "separated pair" if separated_pair(net, deadline) else None
        if route is None:
            checked.append("determined, separated, components, spare-neuron and separated-pair bottleneck theorems "
                           "not applied: no face of the boundary of P fixing sigma(h') = mu sigma(h), or P not "
                           "connected or a row bounded above on P, and not every neuron visible on its own hyperplane "
                           "but one of class U+-, and two hyperplanes separating the components of P, and not every "
                           "kink of h seen on P with one neuron beside them and no other neuron able to carry the "
                           "rest, and not every neuron but one U+- visible on n1 - 2 hyperplanes with no hidden "
                           "neurons able to carry the rest")
            return None
    inner = OuterView.of(net).inner
    result = inner_identifiable(inner, 10.0 if deadline is None else max(0.0, deadline - time.monotonic()))
    if result.status != "identifiable":
        checked.append(f"bottleneck theorem not applied: the inner network h is {result.status}")
        return None
    found = ProofStep("inner network identifiable", "the first two layers, as a shallow network, are "
                      "identifiable: " + "; ".join(s.name for s in result.proof), InnerIdentifiable(result.proof))
    end = "then the fibre is the G-orbit: h' = mu g.h, c' = c/mu, d' = d"
    if route == "determined":
        return (ProofStep("inner determined", "f = c s(h) + d in regime PN, a face of the boundary of P fixing "
                          "sigma(h') = mu sigma(h), P connected, no row bounded above on P: every member has "
                          "h' = mu h", InnerDetermined()), found,
                ProofStep("determined bottleneck theorem", end, DeterminedTheorem()))
    if route == "components":
        return (ProofStep("separable components", "f = c s(h) + d in regime PN, a face of the boundary of P fixing "
                          "sigma(h') = mu sigma(h), no row bounded above on P, at most one hyperplane separating "
                          "the components of P: every member has h' = mu h", SeparableComponents()), found,
                ProofStep("components bottleneck theorem", end, ComponentsTheorem()))
    if route == "spare":
        return (ProofStep("one spare neuron", "f = c s(h) + d in regime PN, a face of the boundary of P fixing "
                          "sigma(h') = mu sigma(h), P connected, every kink hyperplane of h seen on P and n1 one "
                          "more than their number, and for every orientation of one neuron per hyperplane no other "
                          "neuron carrying the rest (the theorem of the free slot): every member has h' = mu h",
                          SpareNeuron()), found,
                ProofStep("spare bottleneck theorem", end, SpareTheorem()))
    if route == "separated pair":
        return (ProofStep("hidden neuron beside a shared hyperplane", "f = c s(h) + d in regime PN, a face of the "
                          "boundary of P fixing sigma(h') = mu sigma(h), every first-layer neuron visible on n1 - 2 "
                          "hyperplanes but one between two components of P, and for every orientation of one neuron "
                          "per visible hyperplane no hidden neurons carrying the residual: every member has "
                          "h' = mu h", SeparatedPair()), found,
                ProofStep("separated pair bottleneck theorem", end, SeparatedPairTheorem()))
    if route == "separated":
        return (ProofStep("separating neuron", "f = c s(h) + d in regime PN, a face of the boundary of P fixing "
                          "sigma(h') = mu sigma(h), every first-layer neuron visible on its own hyperplane but one "
                          "between two components of P: every member has h' = mu h", SeparatingNeuron()), found,
                ProofStep("separated bottleneck theorem", end, SeparatedTheorem()))
    return (ProofStep("visible kinks", "f = c s(h) + d with c != 0, P and N non-empty, every first-layer neuron "
                      "visible on a hyperplane of its own, rows spanning a plane, h unbounded above or varying on "
                      "every hyperplane: every member has h' = mu h", kinks), found,
            ProofStep("bottleneck theorem", end, BottleneckTheorem()))


# -- case (b): the profile's kinks and its switching-off set ----------------------------------------------------

def _off(view: RidgeView) -> tuple[int, ...]:
    return tuple(j for j, v in enumerate(view.v) if v < 0)


def _jumps(view: RidgeView) -> tuple[Point, ...]:
    r"""$\Delta_j = |v_j|c_j$, the slope jump of the profile at $\tau_j$ whether neuron $j$ switches on or off."""
    return tuple(tuple(abs(v) * x for x in c) for v, c in zip(view.v, view.c, strict=True))


def _sum(vectors, n: int) -> Point:
    out = (fmpq(0),) * n
    for u in vectors:
        out = tuple(x + y for x, y in zip(out, u, strict=True))
    return out


def _ridge_view(net: Network) -> RidgeView:
    if bottleneck_case(net) != "b":
        raise CertificateError(f"the ridge theorem is about case-(b) bottlenecks, not widths {net.widths}")
    return RidgeView.of(net)


def _off_tuple(off, view: RidgeView) -> tuple[int, ...]:
    if type(off) is not tuple or not all(type(j) is int for j in off) or off != _off(view):
        raise CertificateError("the switching-off set is not {j : v_j < 0} of this network")
    return off


@dataclass(frozen=True)
class RidgeKinks:
    r"""Conditions (1)–(4) of the case-(b) theorem: ``thresholds[j]`` $= \tau_j = -e_j/v_j$ and ``off`` the
    neurons switching off ($v_j < 0$). ``verify(net)`` re-checks both against the parameters and each condition
    exactly: $w \ne 0$; $v_j \ne 0$, $\tau_j > 0$, $c_j \ne 0$, the $\tau_j$ distinct; the slopes at $0^+$ and at
    $+\infty$ non-zero. Cost: $O(n_2(n_3 + \log n_2))$."""

    thresholds: tuple[fmpq, ...]
    off: tuple[int, ...]

    def verify(self, net: Network) -> bool:
        view = _ridge_view(net)
        taus, n3 = self.thresholds, len(view.d)
        if type(taus) is not tuple or len(taus) != len(view.v) or not all(type(t) is fmpq for t in taus):
            raise CertificateError(f"the thresholds must be a tuple of {len(view.v)} fmpq")
        off = _off_tuple(self.off, view)
        if not any(view.w):
            raise CertificateError("w = 0: the network computes a constant")
        for j, (v, e, c, tau) in enumerate(zip(view.v, view.e, view.c, taus, strict=True)):
            if v == 0 or tau != -e / v or not tau > 0 or not any(c):
                raise CertificateError(f"neuron {j + 1} does not switch at tau_{j + 1} = {tau} > 0 with c_{j + 1} != 0")
        ordered = sorted(taus)
        if any(s == t for s, t in zip(ordered, ordered[1:])):
            raise CertificateError("two neurons switch at the same point")
        jumps = _jumps(view)
        if not any(_sum((jumps[j] for j in off), n3)):
            raise CertificateError("the profile's slope at 0+ is 0: the kink of the first neuron is not seen")
        if not any(_sum((tuple(v * x for x in c) for v, c in zip(view.v, view.c, strict=True) if v > 0), n3)):
            raise CertificateError("the profile's final slope is 0: a reflection is not excluded")
        return True


def _subset_sums(jumps: tuple[Point, ...], n: int) -> dict:
    """How many subsets of ``jumps`` have each sum (exact, $O(2^{|jumps|}n)$)."""
    sums = {(fmpq(0),) * n: 1}
    for u in jumps:
        grown = dict(sums)
        for s, k in sums.items():
            t = tuple(x + y for x, y in zip(s, u, strict=True))
            grown[t] = grown.get(t, 0) + k
        sums = grown
    return sums


@dataclass(frozen=True)
class UniqueSwitchingSet:
    r"""Condition (5): ``off`` (the neurons with $v_j < 0$) is the only subset $S$ with $\sum_S\Delta_j =
    \sum_{\mathrm{Off}}\Delta_j$, $\Delta_j = |v_j|c_j$. ``verify(net)`` recounts all $2^{n_2}$ subset sums exactly
    ($n_2 \le$ :data:`MAX_SUBSET_NEURONS`). Cost: $O(2^{n_2}n_3)$."""

    off: tuple[int, ...]

    def verify(self, net: Network) -> bool:
        view = _ridge_view(net)
        off = _off_tuple(self.off, view)
        if len(view.v) > MAX_SUBSET_NEURONS:
            raise CertificateError(f"{len(view.v)} > {MAX_SUBSET_NEURONS} second-layer neurons: not enumerated")
        jumps, n3 = _jumps(view), len(view.d)
        if _subset_sums(jumps, n3).get(_sum((jumps[j] for j in off), n3), 0) != 1:
            raise CertificateError("another set of neurons has the same sum of slope jumps as the switching-off set")
        return True


@dataclass(frozen=True)
class RidgeTheorem:
    """The case-(b) theorem of the module; its hypothesis on the architecture is re-checked."""

    def verify(self, net: Network) -> bool:
        _ridge_view(net)
        return True


#: The case-(b) proof: step name -> the kind of evidence it needs.
RIDGE_STEPS = {"ridge kinks": RidgeKinks, "unique switching set": UniqueSwitchingSet, "ridge theorem": RidgeTheorem}
#: The case-(a) proof by a determined inner network (:mod:`~.ident_determined`).
DETERMINED_STEPS = {"inner determined": InnerDetermined, "inner network identifiable": InnerIdentifiable,
                    "determined bottleneck theorem": DeterminedTheorem}
#: The case-(a) proof with one hidden neuron between two components of $P$ (:mod:`~.ident_separated`).
SEPARATED_STEPS = {"separating neuron": SeparatingNeuron, "inner network identifiable": InnerIdentifiable,
                   "separated bottleneck theorem": SeparatedTheorem}
#: The case-(a) proof when every first-layer row is parallel (:mod:`~.ident_line`).
LINE_STEPS = {"line kinks": LineKinks, "line bottleneck theorem": LineTheorem}
#: The case-(a) proof when at most one hyperplane separates the components of $P$ (:mod:`~.ident_components`).
COMPONENTS_STEPS = {"separable components": SeparableComponents, "inner network identifiable": InnerIdentifiable,
                    "components bottleneck theorem": ComponentsTheorem}
#: The case-(a) proof with one neuron beside the kink hyperplanes of $h$, all seen (:mod:`~.ident_spare`).
SPARE_STEPS = {"one spare neuron": SpareNeuron, "inner network identifiable": InnerIdentifiable,
               "spare bottleneck theorem": SpareTheorem}
#: The case-(a) proof with one U± neuron and visible neurons on $n_1 - 2$ hyperplanes
#: (:mod:`~.ident_separated_pair`).
SEPARATED_PAIR_STEPS = {"hidden neuron beside a shared hyperplane": SeparatedPair,
                        "inner network identifiable": InnerIdentifiable,
                        "separated pair bottleneck theorem": SeparatedPairTheorem}
#: The family's theorems: name -> their steps.
PROOFS = {"bottleneck theorem": PROOF_STEPS, "ridge theorem": RIDGE_STEPS,
          "determined bottleneck theorem": DETERMINED_STEPS, "separated bottleneck theorem": SEPARATED_STEPS,
          "line bottleneck theorem": LINE_STEPS, "components bottleneck theorem": COMPONENTS_STEPS,
          "spare bottleneck theorem": SPARE_STEPS, "separated pair bottleneck theorem": SEPARATED_PAIR_STEPS}


def ridge_proof(net: Network, checked: list) -> tuple | None:
    r"""The three steps proving a case-(b) parameter identifiable by the module's theorem, or ``None`` (the
    failing condition appended to ``checked``). Cost: $O(2^{n_2}n_3)$ exact operations, $n_2 \le$
    :data:`MAX_SUBSET_NEURONS`."""
    from semialg.engine.identifiability import ProofStep
    view = RidgeView.of(net)
    kinks = RidgeKinks(tuple(-e / v if v != 0 else fmpq(0) for v, e in zip(view.v, view.e, strict=True)), _off(view))
    unique = UniqueSwitchingSet(_off(view))
    try:
        kinks.verify(net)
        unique.verify(net)
    except CertificateError as e:
        checked.append(f"ridge theorem not applied: {e}")
        return None
    return (ProofStep("ridge kinks", "w != 0; every second-layer neuron switches at its own tau_j > 0 with "
                      "c_j != 0; the profile's slopes at 0+ and at infinity are non-zero", kinks),
            ProofStep("unique switching set", "no other set of neurons has the switching-off set's sum of slope "
                      "jumps |v_j| c_j", unique),
            ProofStep("ridge theorem", "then every equivalent parameter has w' = w, b' = b up to scale, the same "
                      "kinks, the same switching-off set: the fibre is the G-orbit", RidgeTheorem()))


def _freely_hidden(t, view: OuterView) -> list[int]:
    r"""The first-layer neurons of a case-(a) parameter of type ``t`` whose hidden-neuron move keeps $h$ on
    $\overline P$ and lowers it elsewhere, so keeps $f$ whatever the rest: U+ with $v_k > 0$ raised
    ($\ell_k + 1$, $e - v_k$: equal where $\ell_k \ge 0$, which holds on $\overline P$, lower elsewhere), U− with
    $v_k > 0$ lowered ($\ell_k - 1$) and U− with $v_k < 0$ doubled (off on $\overline P$, lower where on).
    Cost: $O(n_1)$."""
    return [k for k, (cls, v) in enumerate(zip(t.classes, view.v, strict=True))
            if (cls == "U+" and v > 0) or (cls == "U-" and v != 0)]


def hidden_neuron_witnesses(net: Network, deadline: float | None = None) -> Sequence[tuple[str, Network]]:
    r"""Candidates from the module's hidden-neuron move: every U+ neuron with $v_k > 0$ raised ($b_k + 1$, $e -
    v_k$), every U− neuron with $v_k > 0$ lowered ($b_k - 1$) or with $v_k < 0$ doubled (:func:`_freely_hidden`:
    these keep $f$ whatever the rest), classes by
    :func:`~semialg.families.bottleneck.types.combinatorial_type` (exact; given a quarter of what remains before
    ``deadline``, between 0.5 and 5 s, so that the engine keeps time for local identifiability); then those of
    :func:`~semialg.families.bottleneck.ident_witnesses.negative_witnesses` (U+ neurons with $v_k < 0$,
    opposite pairs) and of :func:`~semialg.families.bottleneck.ident_shifts.shift_witnesses` (hidden biases shifted
    together), the inner network's own witness when $h$ is not identifiable, and the pair trades of
    :func:`~semialg.families.bottleneck.ident_trades.trade_witnesses`. Cost: that of the type, of the
    pieces of $\overline P$ for the latter two, and of :func:`~semialg.engine.identifiability.identifiable` on $h$,
    each group paid only when iteration reaches it (:class:`Candidates`). Each label is a
    :class:`~semialg.families.bottleneck.ident_moves.MoveLabel` carrying the move that builds its candidate."""
    if bottleneck_case(net) != "a":
        return ()
    left = 20.0 if deadline is None else deadline - time.monotonic()
    try:
        t = combinatorial_type(net, budget=max(0.5, min(5.0, left / 4)))
    except SemialgError:
        return ()
    view, out = OuterView.of(net), []
    for k in _freely_hidden(t, view):
        cls, v, n = t.classes[k], view.v[k], k + 1
        if cls == "U-" and v < 0:
            move, label = DoubleDeadNeuron(k), f"U- neuron {n} (v < 0) doubled: v_{n} * 2"
        else:
            move = ShiftHiddenBiases((k,), (_ONE if cls == "U+" else -_ONE,), -v if cls == "U+" else _ZERO)
            label = (f"U+ neuron {n} (v > 0) moved away from P: b_{n} + 1, e - v_{n}" if cls == "U+"
                     else f"U- neuron {n} (v > 0) moved away from P: b_{n} - 1")
        out.append((MoveLabel(label, move), move.build(net)))
    budget = max(0.5, min(5.0, left / 4))
    return Candidates((lambda: tuple(out), lambda: negative_witnesses(net, budget),
                       lambda: shift_witnesses(net, budget), lambda: _inner_witness(net, budget),
                       lambda: trade_witnesses(net, budget)))


class Candidates(Sequence):
    """The candidates of :func:`hidden_neuron_witnesses`, each group found only when iteration reaches it (the
    engine stops at the first proven witness, usually one of the first); indexing or ``len`` finds them all.
    The order, and so the witness reported, is that of the groups."""

    def __init__(self, groups):
        self._groups, self._found = list(groups), []

    def __iter__(self):
        k = 0
        while True:
            while k >= len(self._found) and self._groups:
                self._found.extend(self._groups.pop(0)())
            if k >= len(self._found):
                return
            yield self._found[k]
            k += 1

    def _all(self) -> list:
        for _ in self:
            pass
        return self._found

    def __len__(self) -> int:
        return len(self._all())

    def __getitem__(self, k):
        return self._all()[k]


def _inner_witness(net: Network, budget: float) -> tuple[tuple[str, Network], ...]:
    r"""The witness of the inner shallow network $h$ when it is not identifiable, with $c$, $d$ kept: it computes
    the same $h$, so the same $f$, and a member $h'' = \mu\,g\cdot h$ of the orbit would have $\mu = 1$ ($h \ne 0$ on
    $P$), so it lies outside the orbit (both re-checked by the engine)."""
    r = inner_identifiable(OuterView.of(net).inner, budget)
    if r.status != "not identifiable":
        return ()
    W = r.witness
    move = InnerNetworkMove(r.move)
    moved = Network(W.weights + net.weights[2:], W.biases + net.biases[2:])
    return ((MoveLabel(f"inner network h replaced by an equivalent one outside its orbit ({r.move.kind})", move),
             moved),)
