r"""Identifiability of case-(a) bottlenecks with one spare neuron: every first-layer neuron visible, on one
hyperplane fewer than there are neurons (an opposite pair or twins sharing one).

**Theorem.** Let $\theta$ have widths $(n_0, n_1, 1, n_3)$, $n_0 \ge 2$, $f = c\,\sigma(h) + d$ in regime PN, let a
face of $\partial P$ prove that every member has $\sigma(h') = \mu\sigma(h)$ with $\mu > 0$
(:func:`~.obstructions._standard_face`), let $P$ be connected and every first-layer neuron visible, the rows on
exactly $m = n_1 - 1$ hyperplanes $\{\ell_j = 0\}$ ($\ell_j$ normalised: first coefficient $1$). On $\ell_j = 0$ the
neurons have rows $s_i\lambda_i\ell_j$ ($\lambda_i > 0$); let $J_j = \sum v_i\lambda_i \ne 0$ (the jump of $h$) and
$N_j = \sum_{s_i < 0}v_i\lambda_i$. For $\varepsilon \in \{0, 1\}^m$ let $L_\varepsilon = \sum_j(N_j -
\varepsilon_jJ_j)\,\mathrm{lin}(\ell_j)$, the linear part by which $h$ differs from one neuron per hyperplane
oriented by $\varepsilon$ ($J_j\sigma(\pm\ell_j)$). Suppose that for every $\varepsilon$ (i) $L_\varepsilon \ne 0$,
(ii) $L_\varepsilon\cdot x$ is not bounded below on $\overline P$, and (iii) it is not bounded above there, or some
cell of the first layer's arrangement, where $h = a\cdot x + \beta$, has a recession direction $r$ with
$L_\varepsilon\cdot r > 0$ and $(a + L_\varepsilon)\cdot r > 0$. If the inner shallow network $h$ is identifiable,
so is $\theta$.

*Proof.* Let $\theta'$ be a member: $h' = \mu h$ on $P$. Each $\{\ell_j = 0\}$ meets $P$, where $h'$ kinks along
it by $\mu J_j \ne 0$: at least one neuron of $\theta'$ lies on it. Any other hyperplane of $\theta'$ meeting $P$
carries neurons with $v' \ne 0$ whose jumps cancel — two of them, one too many. So either every neuron of $\theta'$
lies on the $\{\ell_j = 0\}$, and $D = h' - \mu h$, a shallow function whose jumps vanish across every hyperplane
meeting $P$ (they are constant along it), is affine and $0$ on $P$: $h' = \mu h$, $h'/\mu = g\cdot h$ — or one
neuron lies on each, oriented by some $\varepsilon$, and the spare one $v'_f\sigma(z_f)$ has $w'_f = 0$, $v'_f = 0$
or its hyperplane off $P$. Then $D' = h' - v'_f\sigma(z_f) - \mu h$ is affine with linear part $\mu L_\varepsilon$,
and $v'_f\sigma(z_f) = -D'$ on $P$. If $f$ is constant or off on $P$, $L_\varepsilon = 0$, against (i). Otherwise
$z_f \ge 0$ on $P$, $v'_fz_f = -D'$: for $v'_f < 0$, $D' \ge 0$ on $\overline P$, against (ii); for $v'_f > 0$,
$D' \le 0$ on $\overline P$ and $h' = \mu h + D' + \sigma(-D') = \mu h + \sigma(D')$; along $x_0 + tr$ in the cell
of (iii), $D'$ and $\mu h + D'$ grow without bound, so those points leave $\overline P$ and have $h' > 0$, against
$\sigma(h') = \mu\sigma(h) = 0$ there. So $\theta' = g'\cdot\theta$ ($c' = c/\mu$, $d' = d$). $\square$

The first part of the proof (every member has $h' = \mu h$) is the theorem of the free slot of
:mod:`~semialg.families.bottleneck.outer_fibre` for fibres, which also admits dead neurons and $L_\varepsilon = 0$
with $C^* = \{0\}$, and refutes (iii) by a ray. The conditions are also necessary for the spare neuron: (i) fails — a free neuron; (ii) fails — $z_f =
D'/|v'_f|$ shifted to be positive on $P$ is a U$+$ neuron with $h' = \mu h - \sigma(-D') \le \mu h$. The
evidence holds no data: ``verify`` decides everything afresh.

>>> net = Network.from_arrays([[[2, -3], [-2, 3], [-1, -2], [-1, 2]], [[-2, 1, 1, -2]], [[1]]],
...                           [[1, -1, 2, -3], [-1], [-2]])          # an opposite pair on 2x - 3y + 1 = 0
>>> SpareNeuron().verify(net)
True

Cost: the pieces of $\overline P$, the face and the convex hull of $\overline P$
(:class:`~.hidden_region.HiddenRegion`), the cells' generators, and per $\varepsilon$ ($2^m$, $m \le$
:data:`MAX_HYPERPLANES`) $O(n_0|R|)$ for the $|R|$ rays of $\overline P$ and at most one exact strict-feasibility
decision per cell.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

from flint import fmpq

from semialg.core.exact import dot, fingerprint, normalise_row
from semialg.core.network import Network
from semialg.errors import ArchitectureError, UndecidedError
from semialg.families.bottleneck.cell_cones import cell_cones
from semialg.families.bottleneck.ident_cache import hidden_region, pieces, standard_face
from semialg.families.bottleneck.ident_hypotheses import CaseATheorem, DecidedHypotheses, holds
from semialg.families.bottleneck.obstructions import _Clock, _components
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import OuterView, bottleneck_case
from semialg.geometry.polyhedron import decide

__all__ = ["SpareNeuron", "SpareTheorem", "spare", "MAX_HYPERPLANES", "hyperplanes", "residual", "SpareResidual"]

#: The most hyperplanes whose $2^m$ orientations are enumerated.
MAX_HYPERPLANES = 12

_ZERO, _ONE = fmpq(0), fmpq(1)


def hyperplanes(view: OuterView, skip: int | None = None) -> list[tuple[tuple, fmpq, fmpq]]:
    r"""``(lin(l_j), J_j, N_j)`` per hyperplane of the first layer (module docstring), neuron ``skip`` left out."""
    found: dict = {}
    for k, (w, b, v) in enumerate(zip(view.w, view.b, view.v, strict=True)):
        if k == skip:
            continue
        key, lam, sign = normalise_row(tuple(w) + (b,))
        entry = found.setdefault(fingerprint(key), [key, _ZERO, _ZERO])
        entry[1] += v * lam
        if sign < 0:
            entry[2] += v * lam
    return [(tuple(key[:-1]), J, N) for key, J, N in found.values()]


def _escapes(L: tuple, cones: list[list], n0: int) -> bool:
    r"""Whether some cell has a recession direction $r$ with $L\cdot r > 0$ and $(a + L)\cdot r > 0$ (condition
    (iii)): one exact strict-feasibility decision in the multipliers of the cell's rays."""
    for gens in cones:
        rays = [(g[:n0], val) for g, s, val in gens if s == 0]
        if not rays:
            continue
        unit = [tuple(_ONE if i == j else _ZERO for j in range(len(rays))) for i in range(len(rays))]
        rows = unit + [tuple(dot(L, r) for r, _ in rays), tuple(val + dot(L, r) for r, val in rays)]
        if decide(rows, (_ZERO,) * len(rows), len(rays)).feasible:
            return True
    return False


def _failure(net: Network, deadline: float | None = None) -> str | None:
    """Why the hypotheses on $h$ fail (``None`` when they hold); past ``deadline`` an :class:`UndecidedError`."""
    if bottleneck_case(net) != "a" or net.widths[0] < 2:
        return f"not a case-(a) bottleneck with n0 >= 2: widths {net.widths}"
    t = combinatorial_type(net, budget=None if deadline is None else max(0.5, deadline - time.monotonic()))
    if t.regime != "PN" or any(c != "V" for c in t.classes):
        return "not regime PN with every first-layer neuron visible"
    view = OuterView.of(net)
    planes = hyperplanes(view)
    if len(planes) != net.widths[1] - 1 or len(planes) > MAX_HYPERPLANES:
        return f"the rows lie on {len(planes)} hyperplanes, not n1 - 1 = {net.widths[1] - 1} (at most " \
               f"{MAX_HYPERPLANES})"
    if any(J == 0 for _, J, _ in planes):
        return "the jumps on a hyperplane cancel"
    clock = _Clock(None, deadline, "one spare neuron")
    try:
        region = hidden_region(net, clock)
    except ArchitectureError:
        return "the first-layer rows are parallel"
    if standard_face(net, clock) is None:
        return "no face of the boundary of P fixes sigma(h') = mu sigma(h)"
    if len(_components(pieces(net, clock)[0])) != 1:
        return "P is not connected"
    carried = SpareResidual(net, region.p_rays)
    for eps in itertools.product((0, 1), repeat=len(planes)):
        if deadline is not None and time.monotonic() > deadline:
            raise UndecidedError("one spare neuron: the budget ran out among the orientations")
        L = residual(planes, eps)
        if not any(L):
            return f"orientation {eps}: one neuron per hyperplane computes h, a neuron is free"
        why = carried.failure(L)
        if why is not None:
            return f"orientation {eps}: {why}"
    return None


def residual(planes, eps) -> tuple:
    r"""$L_\varepsilon = \sum_j(N_j - \varepsilon_jJ_j)\,\mathrm{lin}(\ell_j)$ for ``planes`` from :func:`hyperplanes`."""
    return tuple(sum(((N - e * J) * x for (_, J, N), e, x in zip(planes, eps, col, strict=True)), _ZERO)
                 for col in zip(*(lin for lin, _, _ in planes), strict=True))


class SpareResidual:
    r"""Conditions (ii) and (iii) of the module's theorem for a residual $L \ne 0$ of ``net`` (the rays of
    $\overline P$ given): ``failure(L)`` says how a U+ neuron $a\sigma(z)$, $-a\,w = \mu L$, might carry it
    (``None`` when none can). The cells' generators are found once, on first need."""

    def __init__(self, net: Network, rays):
        self.net, self.rays, self._cones = net, list(rays), False

    def failure(self, L: tuple) -> str | None:
        if all(dot(L, r) >= 0 for r in self.rays):
            return "the residual is bounded below on P, a U+ neuron can carry it"
        if all(dot(L, r) <= 0 for r in self.rays):
            if self._cones is False:
                self._cones = cell_cones(self.net)
            if self._cones is None or not _escapes(L, self._cones, self.net.widths[0]):
                return "the residual is bounded above on P and no direction refutes a U+ neuron with v > 0 " \
                       "carrying it"
        return None


@dataclass(frozen=True)
class SpareNeuron(DecidedHypotheses):
    r"""The hypotheses of the module's theorem on $h$: regime PN, $n_0 \ge 2$, a face of $\partial P$ fixing
    $\sigma(h') = \mu\sigma(h)$, $P$ connected, every neuron visible on $n_1 - 1$ hyperplanes, and (i)–(iii) for
    every orientation. ``verify(net)`` decides them afresh, exactly."""

    def failure(self, net: Network, deadline: float | None = None) -> str | None:
        return _failure(net, deadline)


@dataclass(frozen=True)
class SpareTheorem(CaseATheorem):
    """The module's theorem; its hypothesis on the architecture (case (a)) is re-checked."""


def spare(net: Network, deadline: float | None = None) -> bool:
    """Whether :class:`SpareNeuron` holds (``False`` when undecided before ``deadline``, a :func:`time.monotonic`
    value). Cost: that of the verification."""
    return holds(SpareNeuron(), net, deadline)
