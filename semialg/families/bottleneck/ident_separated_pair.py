r"""Identifiability of case-(a) bottlenecks with one hidden neuron between two components of $P$ and one visible
hyperplane carrying two neurons (an opposite pair, or twins).

**Theorem.** Let $\theta$ have widths $(n_0, n_1, 1, n_3)$, $n_0 \ge 2$, $f = c\,\sigma(h) + d$ in regime PN, let a
face of $\partial P$ prove that every member has $\sigma(h') = \mu\sigma(h)$ with $\mu > 0$
(:func:`~.obstructions._standard_face`), let every first-layer neuron but one be visible, on $m = n_1 - 2$
hyperplanes $\{\ell_j = 0\}$ whose jumps $J_j$ are not 0, and the last one, $k$, of class U± ($H_k$ misses $P$,
which meets both sides of it); let $Q_1$, $Q_2$ be components of $P$ with $z_k < 0$ on $Q_1$ and $z_k > 0$ on
$Q_2$. On $\{\ell_j = 0\}$ ($\ell_j$ normalised: first coefficient $1$) the visible neurons have rows
$s_i\lambda_i\ell_j$ ($\lambda_i > 0$); let $J_j = \sum v_i\lambda_i$ and $N_j = \sum_{s_i < 0}v_i\lambda_i$, and for
$\varepsilon \in \{0, 1\}^m$ let $L_\varepsilon = \sum_j(N_j - \varepsilon_jJ_j)\,\mathrm{lin}(\ell_j)$, the linear
part by which one neuron per hyperplane oriented by $\varepsilon$ ($J_j\sigma(\pm\ell_j)$) differs from them
(:func:`residual`). Suppose that for every $\varepsilon$ (i) $L_\varepsilon \notin \{0, v_kw_k\}$; (ii) for both $u =
L_\varepsilon$ and $u = L_\varepsilon - v_kw_k$ no U+ neuron can carry $-u$ on $P$
(:class:`~.outer_fibre.CarriedRest`: $-u\cdot x$ unbounded above on $\overline P$ and, when bounded below, a cell's
recession direction refuting it); (iii) no
$\gamma$ makes both $L_\varepsilon\cdot x + \gamma$ and $(v_kw_k - L_\varepsilon)\cdot x + v_kb_k - \gamma$
weakly separate $\overline Q_1$ from $\overline Q_2$ ($\ge 0$ on one, $\le 0$ on the other). If the inner
shallow network $h$ is identifiable, so is $\theta$.

*Proof.* Let $\theta'$ be a member: $h' = \mu h$ on $P$; let $D = h' - \mu h$. Each visible hyperplane carries a
neuron of $\theta'$ (the jump $\mu J_j \ne 0$ is seen at its points in $P$ on no other hyperplane); any other
hyperplane meeting $P$ carries neurons whose jumps cancel, so they add up to an affine map. Call a neuron of
$\theta'$ *hidden* if $w' \ne 0$, $v' \ne 0$ and its hyperplane misses $P$: each component of $P$ lies on one
side of it. So $D = \sum_s a_s\sigma(z'_s) - \mu v_k\sigma(z_k) + A$ over at most two hidden neurons $s$, $A$
affine, and $D = 0$ on $Q_1$, $Q_2$ are identities of affine maps: with $T_i$ the hidden neurons on at $Q_i$,
$$\textstyle\sum_{T_1}a_sz'_s + A = 0, \qquad \sum_{T_2}a_sz'_s - \mu v_kz_k + A = 0.$$
Call $s$ X if it is on at $Q_1$ only, Y at $Q_2$ only, U+ at both, U− at neither; subtracting, $\sum_Y a_sz'_s -
\sum_X a_sz'_s = \mu v_kz_k \ne 0$, so there is an X or a Y neuron. If it is the only hidden neuron, $D = 0$
identically, as in :mod:`~.ident_separated` (an X neuron is $\mu v_k\sigma(-z_k)$ with $A = \mu v_kz_k$, a Y neuron
$\mu v_k\sigma(z_k)$ with $A = 0$, as $\sigma(y) - \sigma(-y) = y$): $h' = \mu h$ and $h'/\mu = g\cdot h$. Otherwise
there are two hidden neurons and one neuron on each visible hyperplane, oriented by some $\varepsilon$, so
$\mathrm{lin}\,A = \mu L_\varepsilon$. Then: an X or a Y neuron with a U− one, two X, or two Y give $A \in \{0,
\mu v_kz_k\}$, against (i); a Y and a U+ neuron $s$ give $A = -a_sz'_s$ and $D = a_s\sigma(-z'_s)$ with $-a_sw'_s
= \mu L_\varepsilon$, an X and a U+ neuron $s$ give $D = a_s\sigma(-z'_s)$ with $-a_sw'_s = \mu(L_\varepsilon -
v_kw_k)$: a neuron $z'_s \ge 0$ on $\overline P$ carrying $-u$, refuted by (ii); an X
neuron $s$ and a Y neuron $t$ give $-a_sz'_s = \mu(L_\varepsilon\cdot x + \gamma)$ ($= A$) and $a_tz'_t =
\mu(v_kz_k - L_\varepsilon\cdot x - \gamma)$, both weakly separating $\overline Q_1$ from $\overline Q_2$, against
(iii). So $\theta' = g'\cdot\theta$ ($c' = c/\mu$, $d' = d$). $\square$

The conditions are those the moves need: where (iii) fails, the pair merged onto one neuron with the freed neuron
and neuron $k$ moved onto the two separating hyperplanes (:mod:`~.ident_trades`) is a candidate witness. E.g. in
$2$-$4$-$1$-$1$ with $W = ((-2, 1), (4, -2), (-1, -1), (-1, 3))$, $b = (2, -4, 0, -1)$, $v = (-1, -3, 1, 1)$,
$e = -2$ it is a witness; with $W = ((-3,-2),(3,2),(-1,-1),(-1,3))$, $b = (3,-3,1,1)$, $v = (-2,-2,2,3)$, $e = 0$
the theorem applies. The evidence holds no data: ``verify`` decides everything afresh.

>>> net = Network.from_arrays([[[-3, -2], [3, 2], [-1, -1], [-1, 3]], [[-2, -2, 2, 3]], [[1]]],
...                           [[3, -3, 1, 1], [0], [-1]])
>>> SeparatedPair().verify(net)
True

Cost: the type, the pieces of $\overline P$ and their components, the face, and per $\varepsilon$ ($2^m$, $m \le$
:data:`MAX_HYPERPLANES`) $O(n_0(|R| + |V|))$ for the $|R|$ rays and $|V|$ vertices of the pieces and
at most two exact strict-feasibility decisions per cell.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

from flint import fmpq

from semialg.core.exact import dot, fingerprint, normalise_row
from semialg.core.network import Network
from semialg.errors import ArchitectureError, UndecidedError
from semialg.families.bottleneck.ident_cache import hidden_region, pieces, standard_face
from semialg.families.bottleneck.ident_hypotheses import CaseATheorem, DecidedHypotheses, holds
from semialg.families.bottleneck.obstructions import _Clock, _components
from semialg.families.bottleneck.outer_fibre import CarriedRest
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import OuterView, _ZERO, bottleneck_case

__all__ = ["SeparatedPair", "SeparatedPairTheorem", "separated_pair", "sides_of", "side", "joint_offsets",
           "hyperplanes", "residual", "MAX_HYPERPLANES"]

#: The most hyperplanes whose $2^m$ orientations are enumerated.
MAX_HYPERPLANES = 12


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


def residual(planes, eps) -> tuple:
    r"""$L_\varepsilon = \sum_j(N_j - \varepsilon_jJ_j)\,\mathrm{lin}(\ell_j)$ for ``planes`` from :func:`hyperplanes`."""
    return tuple(sum(((N - e * J) * x for (_, J, N), e, x in zip(planes, eps, col, strict=True)), _ZERO)
                 for col in zip(*(lin for lin, _, _ in planes), strict=True))

Interval = tuple[fmpq | None, fmpq | None]


def _range(u: tuple, polyhedra) -> Interval:
    r"""$(\inf, \sup)$ of $u\cdot x$ over a union of non-empty polyhedra, ``None`` where unbounded."""
    lo, hi = [], []
    for Q in polyhedra:
        free = any(dot(u, line) for line in Q.lineality)
        values = [dot(u, p) for p in Q.vertices]
        lo.append(None if free or any(dot(u, r) < 0 for r in Q.rays) else min(values))
        hi.append(None if free or any(dot(u, r) > 0 for r in Q.rays) else max(values))
    return (None if None in lo else min(lo)), (None if None in hi else max(hi))


def side(w: tuple, b: fmpq, Q) -> int:
    """The sign of $w\\cdot x + b$ on the full-dimensional polyhedron ``Q`` it does not cross (0 if it is 0 there)."""
    values = [dot(w, p) + b for p in Q.vertices] + [dot(w, r) for r in Q.rays]
    return next((1 if x > 0 else -1 for x in values if x), 0)


def sides_of(net: Network, k: int, clock=None) -> tuple[list, list]:
    r"""The components of $P$ (each a list of its closed pieces) with $z_k < 0$ and with $z_k > 0$, for a neuron
    $k$ whose hyperplane misses $P$. Cost: the pieces of $\overline P$ and their components (cached)."""
    p_pieces = pieces(net, clock)[0]
    view, out = OuterView.of(net), ([], [])
    for comp in _components(p_pieces):
        Qs = [p_pieces[i][0] for i in comp]
        s = side(view.w[k], view.b[k], Qs[0])
        if s:
            out[s > 0].append(Qs)
    return out


def _separating(u: tuple, Q1, Q2) -> list[Interval]:
    r"""The closed intervals of $t$ with $u\cdot x + t$ weakly separating $\overline Q_1$ and $\overline Q_2$: $t \in
    [-\inf_{Q_1}u, -\sup_{Q_2}u]$ ($\ge 0$ on $Q_1$) or $[-\inf_{Q_2}u, -\sup_{Q_1}u]$."""
    (lo1, hi1), (lo2, hi2) = _range(u, Q1), _range(u, Q2)
    return [(-lo, -hi) for lo, hi in ((lo1, hi2), (lo2, hi1)) if lo is not None and hi is not None and lo >= hi]


def joint_offsets(L: tuple, w: tuple, b: fmpq, v: fmpq, Q1, Q2) -> list[Interval]:
    r"""The intervals of $\gamma$ with both $L\cdot x + \gamma$ and $(vw + L)\cdot x + vb + \gamma$ weakly separating
    $\overline Q_1$ from $\overline Q_2$, neither constant (``[]`` when $L$ or $vw + L$ is 0). Cost: $O(n_0)$ per
    vertex and ray of the pieces of $Q_1$ and $Q_2$."""
    M = tuple(v * x + y for x, y in zip(w, L, strict=True))
    if not any(L) or not any(M):
        return []
    first, second = _separating(L, Q1, Q2), [(lo - v * b, hi - v * b) for lo, hi in _separating(M, Q1, Q2)]
    out = []
    for (a1, b1), (a2, b2) in itertools.product(first, second):
        lo, hi = max(a1, a2), min(b1, b2)
        if lo <= hi:
            out.append((lo, hi))
    return out


def _failure(net: Network, deadline: float | None = None) -> str | None:
    """Why the hypotheses on $h$ fail (``None`` when they hold); past ``deadline`` an :class:`UndecidedError`."""
    if bottleneck_case(net) != "a" or net.widths[0] < 2:
        return f"not a case-(a) bottleneck with n0 >= 2: widths {net.widths}"
    t = combinatorial_type(net, budget=None if deadline is None else max(0.5, deadline - time.monotonic()))
    if t.regime != "PN" or t.count("U+-") != 1 or t.count("V") != len(t.classes) - 1:
        return f"not regime PN with every first-layer neuron visible but one U+-: {t.regime}, {t.classes}"
    view, k = OuterView.of(net), t.classes.index("U+-")
    planes = hyperplanes(view, skip=k)
    if len(planes) != net.widths[1] - 2 or len(planes) > MAX_HYPERPLANES:
        return f"the visible rows lie on {len(planes)} hyperplanes, not n1 - 2 = {net.widths[1] - 2} (at most " \
               f"{MAX_HYPERPLANES})"
    if any(J == 0 for _, J, _ in planes):
        return "the jumps on a hyperplane cancel"
    clock = _Clock(None, deadline, "a hidden neuron beside a shared hyperplane")
    try:
        region = hidden_region(net, clock)
    except ArchitectureError:
        return "the first-layer rows are parallel"
    if standard_face(net, clock) is None:
        return "no face of the boundary of P fixes sigma(h') = mu sigma(h)"
    below, above = sides_of(net, k, clock)
    pairs = list(itertools.product(below, above))
    vw = tuple(view.v[k] * x for x in view.w[k])
    carried = CarriedRest(net, region.p_rays)
    for eps in itertools.product((0, 1), repeat=len(planes)):
        if deadline is not None and time.monotonic() > deadline:
            raise UndecidedError("a hidden neuron beside a shared hyperplane: the budget ran out among the "
                                 "orientations")
        L = residual(planes, eps)
        if not any(L) or L == vw:
            return f"orientation {eps}: the residual is 0 or v_k w_k, two neurons may share the hidden neuron's part"
        for u in (L, tuple(x - y for x, y in zip(L, vw, strict=True))):
            why = carried.failure(tuple(-x for x in u))
            if why is not None:
                return f"orientation {eps}: {why}"
        if all(joint_offsets(tuple(-x for x in L), view.w[k], view.b[k], view.v[k], Q1, Q2) for Q1, Q2 in pairs):
            return f"orientation {eps}: two hyperplanes between the components of P may carry the residual"
    return None


@dataclass(frozen=True)
class SeparatedPair(DecidedHypotheses):
    r"""The hypotheses of the module's theorem on $h$: regime PN, $n_0 \ge 2$, a face of $\partial P$ fixing
    $\sigma(h') = \mu\sigma(h)$, every first-layer neuron visible on $n_1 - 2$ hyperplanes but one of class U±,
    and (i)–(iii) for every orientation. ``verify(net)`` decides them afresh, exactly."""

    def failure(self, net: Network, deadline: float | None = None) -> str | None:
        return _failure(net, deadline)


@dataclass(frozen=True)
class SeparatedPairTheorem(CaseATheorem):
    """The module's theorem; its hypothesis on the architecture (case (a)) is re-checked."""


def separated_pair(net: Network, deadline: float | None = None) -> bool:
    """Whether :class:`SeparatedPair` holds (``False`` when undecided before ``deadline``, a :func:`time.monotonic`
    value). Cost: that of the verification."""
    return holds(SeparatedPair(), net, deadline)
