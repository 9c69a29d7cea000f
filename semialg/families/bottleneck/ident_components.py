r"""Identifiability of case-(a) bottlenecks whose components of $P$ are separated by at most one hyperplane.

**Theorem.** Let $\theta$ have widths $(n_0, n_1, 1, n_3)$, $n_0 \ge 2$, $f = c\,\sigma(h) + d$ in regime PN, let a
face of $\partial P$ prove that every member has $\sigma(h') = \mu\sigma(h)$ with $\mu > 0$
(:func:`~.obstructions._standard_face`), let $C^* = \{0\}$ (no row $w \ne 0$ has $w\cdot x$ bounded above on
$\overline P$), and let every hyperplane that weakly separates the components of $P$ (each closure in one closed
side, not all in the same) be one and the same hyperplane $H$, or none exist. If the inner shallow network $h$
is identifiable, so is $\theta$. *Proof.* Let $\theta'$ be a member: $h' = \mu h$ on $P$. A hyperplane $L$ of
$\theta'$ or of $\theta$ either meets $P$, or misses it; then each component of $P$ lies on one side of $L$, not all
on one (else $\pm w_L \in C^*$), so $L = H$. $D = h' - \mu h$ is a shallow function; its jump across a hyperplane
is constant along it, and vanishes across every hyperplane meeting $P$ (where $D = 0$), so $D = J\sigma(z_H) + A$
with $A$ affine ($J = 0$ when there is no $H$). $P$ meets both sides of $H$ (open components in closed half-spaces
lie in the open ones): $D = 0$ on $P \cap \{z_H < 0\}$ gives $A = 0$, then on $P \cap \{z_H > 0\}$ $J = 0$. So
$h' = \mu h$, $h'/\mu$ realizes $h$ and is $g\cdot h$; with $c' = c/\mu$, $d' = d$, $\theta' = g'\cdot\theta$.
$\square$

With $P$ connected this is the theorem of :mod:`~.ident_determined`; it adds parameters whose $P$ falls apart
along one hyperplane, e.g. an opposite pair of U± neurons on it whose hyperplane touches $\overline P$, where the
shifts of :mod:`~.ident_shifts` have no room: $h = 2\sigma(2 - x) + 2\sigma(x - 2) - \sigma(2 - y)$. The
separating hyperplanes with the components of $P$ on the sides $\varepsilon$ form the cone $K_\varepsilon = \{(w,
b) : \varepsilon_Q(w\cdot p + b) \ge 0,\ \varepsilon_Qw\cdot r \ge 0\}$ over the vertices $p$ and rays $r$ of the
pieces of each component $Q$; the hypothesis is that every $K_\varepsilon$ ($\varepsilon$ not constant) lies in one
line, decided by exact double description. The evidence holds no data: ``verify`` decides everything afresh.

>>> net = Network.from_arrays([[[-1, 0], [1, 0], [0, -1]], [[2, 2, -1]], [[2]]], [[2, -2, 2], [0], [0]])
>>> SeparableComponents().verify(net)
True

Cost: the pieces of $\overline P$ and their components (:func:`~.obstructions._components`), the face, one double
description for $C^*$ and one per sign pattern of the components ($2^{m - 1} - 1$ for $m \le$
:data:`MAX_COMPONENTS` components) in $\mathbb{Q}^{n_0 + 1}$.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

from flint import fmpq

from semialg.core.exact import nullspace, rank
from semialg.core.network import Network
from semialg.errors import ArchitectureError
from semialg.families.bottleneck.hidden_region import hidden_cone, polyhedron
from semialg.families.bottleneck.ident_cache import hidden_region, pieces, standard_face
from semialg.families.bottleneck.ident_hypotheses import CaseATheorem, DecidedHypotheses, holds
from semialg.families.bottleneck.obstructions import _Clock, _components
from semialg.families.bottleneck.representative import _live
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import bottleneck_case

__all__ = ["SeparableComponents", "ComponentsTheorem", "separable", "MAX_COMPONENTS"]

#: The most components of $P$ whose sign patterns are enumerated.
MAX_COMPONENTS = 8

_ZERO, _ONE = fmpq(0), fmpq(1)


def _separating_line(pieces, clock=None) -> str | None:
    """Why the hyperplanes weakly separating the components do not all coincide (``None`` when they do); ``clock``
    (:class:`~.obstructions._Clock`) is checked before each sign pattern's cone."""
    comps = _components(pieces, clock)
    if len(comps) > MAX_COMPONENTS:
        return f"{len(comps)} > {MAX_COMPONENTS} components of P: the sign patterns are not enumerated"
    # each generator once (adjacent pieces share vertices): the same cones, far fewer rows to describe
    gens = [list(dict.fromkeys([tuple(p) + (_ONE,) for i in comp for p in pieces[i][0].vertices]
                               + [tuple(r) + (_ZERO,) for i in comp for r in pieces[i][0].rays])) for comp in comps]
    line = None
    for k, signs in enumerate(itertools.product((1, -1), repeat=len(comps) - 1)):
        if -1 not in signs:
            continue
        if clock is not None:
            clock.check(f"{k} of the {2 ** (len(comps) - 1)} sign patterns of the components of P")
        rows = [tuple(s * x for x in g) for s, rows in zip((1,) + signs, gens, strict=True) for g in rows]
        cone = polyhedron([row + (_ZERO,) for row in rows], lineality=nullspace(rows))
        for ray in cone.rays:          # a cone has the vertex 0; its rays and lineality span it
            line = line or ray
            if rank([line, ray]) > 1:
                return "two different hyperplanes separate the components of P"
    return None


def _failure(net: Network, deadline: float | None = None) -> str | None:
    """Why the hypotheses on $h$ fail (``None`` when they hold); past ``deadline`` an :class:`UndecidedError`."""
    if bottleneck_case(net) != "a" or net.widths[0] < 2:
        return f"not a case-(a) bottleneck with n0 >= 2: widths {net.widths}"
    t = combinatorial_type(net, budget=None if deadline is None else max(0.5, deadline - time.monotonic()))
    if t.regime != "PN":
        return f"regime {t.regime}, not PN"
    live, clock = _live(net), _Clock(None, deadline, "the components of P")
    try:
        if hidden_cone(hidden_region(live, clock)):
            return "some row is bounded above on the closure of P"
    except ArchitectureError:
        return "the first-layer rows are parallel"
    if standard_face(live, clock) is None:
        return "no face of the boundary of P fixes sigma(h') = mu sigma(h)"
    return _separating_line([(Q, A) for Q, A in pieces(live, clock)[0]], clock)


@dataclass(frozen=True)
class SeparableComponents(DecidedHypotheses):
    r"""The hypotheses of the module's theorem on $h$: regime PN, $n_0 \ge 2$, a face of $\partial P$ fixing
    $\sigma(h') = \mu\sigma(h)$, $C^* = \{0\}$, at most one hyperplane separating the components of $P$.
    ``verify(net)`` decides them afresh, exactly."""

    def failure(self, net: Network, deadline: float | None = None) -> str | None:
        return _failure(net, deadline)


@dataclass(frozen=True)
class ComponentsTheorem(CaseATheorem):
    """The module's theorem; its hypothesis on the architecture (case (a)) is re-checked."""


def separable(net: Network, deadline: float | None = None) -> bool:
    """Whether :class:`SeparableComponents` holds (``False`` when undecided before ``deadline``, a
    :func:`time.monotonic` value). Cost: that of the verification."""
    return holds(SeparableComponents(), net, deadline)
