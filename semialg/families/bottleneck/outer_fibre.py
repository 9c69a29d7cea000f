r"""Case (a): fibres of $f = c\,\sigma(h) + d$ when every first-layer neuron is visible and $N \ne \emptyset$.

Then, unless a member reflects $h$ (excluded by :func:`no_reflected_member`), $h' = \mu h$ everywhere (every kink
of $h'$ is matched on $P$, so $h' - \mu h$ is affine and vanishes on $P$), hence the fibre is
$\{(h', c/\mu, d) : h'/\mu \in \text{fibre of } h\}$ — the shallow fibre of $h$
(:func:`semialg.families.shallow.fibre`) times $\mathbb{R}_{>0}$, with $1/\mu = c'_r/c_r$ substituted into its
equations.

**Theorem (a determined inner network).** Let $f_\theta$ have a face of $\partial P$ proving that every member has
$\sigma(h') = \mu\sigma(h)$, $\mu > 0$ (:func:`~.obstructions._standard_face`), let $P$ be connected and
$C^* = \{0\}$ (no row $w \ne 0$ has $w\cdot x$ bounded above on $\overline P$, :func:`~.hidden_region.hidden_cone`).
Then every member has $h' = \mu h$, for any widths, generic or not (dead, constant, twin neurons, opposite pairs,
0-factors). *Proof.* A first-layer neuron of a member with $w' \ne 0$ whose hyperplane misses $P$ is, $P$ being
connected, active on all of $P$ or on none of it; then $w'\cdot x + b'$ is $\ge 0$ or $\le 0$ on $\overline P$,
and $\mp w' \in C^* = \{0\}$, a contradiction. So every kink hyperplane of $h'$ — and of $h$, $\theta$ being a
member — meets $P$. The total jump of $h'$ across a hyperplane is the same all along it, and on $P$,
$h' = \mu h$; so $h' - \mu h$ has no kink anywhere, is affine, and vanishes on $P$. $\square$ The fibre is then
the shallow fibre of $h$ times $\mathbb{R}_{>0}$ as above (:func:`inner_determined`), described by the typed
shallow fibres when $h$ is not generic.

**Theorem (one free slot).** Let a face prove $\sigma(h') = \mu\sigma(h)$, $\mu > 0$, for every member, let $P$ be
connected, let every kink hyperplane of $h$ meet $P$ (the set $V$), so $h = \sum_{H \in V}\delta_H\sigma(\ell_H) +
A_0\cdot x + c_0$, and let $n_1 = |V| + 1$. Orient a member's neuron on $H$ by $\varepsilon_H = \pm 1$; its
remaining neurons must then carry $A(\varepsilon) = A_0 + \sum_{\varepsilon_H = -1} \delta_H u_H$ on $P$ ($\mu =
1$). Suppose that under every $\varepsilon$ either $A(\varepsilon) = 0$ and $C^* = \{0\}$, or $A(\varepsilon)\cdot
x$ is unbounded above on $\overline P$ and, when it is bounded below, an exact ray refutes it
(:func:`~.representative._refuted_orientations`: along it $h \le 0$ while the member's $h'$ grows for every
$\beta$). Then every member has $h' = \mu h$. *Proof.* A member puts a neuron on every $H \in V$ (its kinks on $P$
are those of $\mu h$), which leaves one neuron $k$. If $w'_k = 0$, or its hyperplane meets $P$ (then it is one of
$V$: a lone kink on $P$ is not cancelled), every kink hyperplane of $h'$ and of $h$ meets $P$, and $h' = \mu h$ as
above. Otherwise $k$ is active on all of the connected $P$ or on none. On none, $A(\varepsilon) = 0$ and $w'_k\cdot
x$ is bounded above on $\overline P$: $0 \ne w'_k \in C^*$, so $C^* \ne \{0\}$, excluded. On all of it, $v'_kw'_k =
\mu A(\varepsilon)$ with $w'_k\cdot x$ bounded below on $\overline P$: $v'_k = 0$ (a constant neuron: $h' = \mu h$
as before), or $v'_k < 0$ and $A(\varepsilon)\cdot x$ bounded above on $\overline P$, excluded, or $v'_k > 0$ and
$A(\varepsilon)\cdot x$ bounded below, refuted. $\square$ The excluded cases may have members with $h' \ne \mu h$ (a
U− neuron with $v' < 0$, a U+ neuron with $v' < 0$), so the theorem claims nothing there
(:func:`free_slot_determined`). The identifiability theorem of one spare neuron
(:mod:`~semialg.families.bottleneck.ident_spare`) reaches the same conclusion under narrower hypotheses (every neuron
visible, $A(\varepsilon) \ne 0$) and refutes the U+ neuron by a cell's recession direction instead of a ray.

>>> net = Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[2]]], [[0, 0], [-1], [1]])
>>> len(OuterFibre(net).index)
2
"""

from __future__ import annotations

import functools
import itertools
import random as _random

from semialg.core.lazy import sympy  # imported on first use: start-up time
from flint import fmpq

import numpy as np

from semialg.core.exact import dot, rank, to_sympy
from semialg.core.network import Network
from semialg.errors import ArchitectureError, UndecidedError
from semialg.engine.hyperplane_keys import oriented_rows, rank_at_least_two
from semialg.families.bottleneck.cell_cones import cell_cones
from semialg.families.bottleneck.hidden_region import HiddenRegion, hidden_cone
from semialg.families.bottleneck.ident_cache import hidden_region
from semialg.families.bottleneck.obstructions import (_Clock, _component_residuals, _components, _pieces,
                                                      _standard_face)
from semialg.families.bottleneck.plateau import restricted_to
from semialg.families.bottleneck.representative import _live, _refuted_orientations
from semialg.families.bottleneck.types import BottleneckType
from semialg.families.bottleneck.views import OuterView, _ONE, _ZERO, _first_nonzero, _scale
from semialg.families.shallow import canonical_form, fibre as shallow_fibre
from semialg.families.shallow.fibre import is_orbit_case
from semialg.geometry.polyhedron import decide
from semialg.geometry.semialgebraic import BasicSet, map_nonzero

__all__ = ["OuterFibre", "all_visible", "inner_determined", "free_slot_determined", "free_slot_failure",
           "CarriedRest", "MAX_ORIENTED", "no_reflected_member", "rising_direction", "varying_pair"]


def all_visible(net: Network, t: BottleneckType) -> bool:
    """Whether $N \\ne \\emptyset$ and every first-layer neuron is visible (its hyperplane meets $P$) on a
    hyperplane of its own, and no member reflects $h$ (:func:`no_reflected_member`): then $f$ has $n_1$ distinct
    kink hyperplanes on $P$, every $\\theta'$ of the fibre puts one neuron on each, and $h' = \\mu h$ — for any
    such $\\theta$, generic or not (0-factors included)."""
    if t.case != "a" or t.regime != "PN" or any(c != "V" for c in t.classes):
        return False
    view = OuterView.of(net)
    keys = {key for key, _ in oriented_rows(view.w, view.b)}       # not 4,096 rows normalised as rationals
    return len(keys) == len(view.w) and no_reflected_member(view)


def no_reflected_member(view: OuterView) -> bool:
    r"""Whether the members of a case-(a) fibre with every neuron visible on its own hyperplane all have
    $\sigma(h') = \mu\sigma(h)$: true when the rows $w_i$ span at least a plane and $h$ is unbounded above
    (:func:`rising_direction`) or not constant on any $H_k$ (:func:`varying_pair`, else exactly).

    *Lemma.* Let $c \ne 0$, $P, N \ne \emptyset$, every $H_i$ meet $P$, the $H_i$ be distinct and span at least a
    plane. A member has $c'_r\sigma(h') + d'_r = c_r\sigma(h) + d_r$, so $\sigma(h') = \alpha\sigma(h) + \beta$; if
    $\beta \ne 0$, then $\beta > 0$ (its value on $N$), and either $\alpha > 0$, or $\alpha < 0$ and $h \le
    \beta/|\alpha|$, $\sigma(h') = 0$ exactly on $\{h = \beta/|\alpha|\}$. Where $\sigma(h') > 0$ and $H_i$ meets it
    inside $P$, $h' = \alpha h + \beta$ kinks along $H_i$, so if every $H_i$ does, the $n_1$ neurons of $\theta'$
    lie one on each $H_i$; their constant jumps forbid $H_i$ to cross $N$ (where $h' = \beta$ is flat), and
    $\partial P$, where $h' = \beta + \alpha\sigma(h)$ kinks, lies in $\bigcup H_i$. Then a component of $N$ is a
    whole cell of the arrangement on whose facets $h = 0$, an affine function vanishing on one hyperplane only: a
    half-space that no other $H_i$ enters, so all $H_i$ are parallel — excluded. Hence some $H_k \cap P$ lies in
    $\{h = \beta/|\alpha|\}$, and by continuity along $H_k$ all of $H_k$ does: $h$ is constant on $H_k$ and bounded
    above. $\square$ (With parallel rows the 1-D calculus of :mod:`~.line_fibre` lists such reflections: $1 -
    \sigma(x)$ and $1 - \sigma(1 - x)$ have the same $\sigma(h)$ up to $\alpha = -1, \beta = 1$.)
    Cost: $O(sn_1n_0)$ flops for $s$ random directions and one exact test, else that of :func:`varying_pair` per
    neuron; a canonical form of $h$ on $H_k$ only when it finds no pair ($n_0 > 2$; for $n_0 = 2$ it is exact)."""
    if not rank_at_least_two(view.w):
        return False
    if rising_direction(view) is not None:
        return True
    h = view.inner
    for k, (w, b) in enumerate(zip(view.w, view.b, strict=True)):
        if varying_pair(view, k) is None:
            K = canonical_form(restricted_to(h, w + (b,)))
            if not K.kinks and not any(K.linear[0]):
                return False
    return True


def rising_direction(view: OuterView, draws: int = 256, seed: int = 0) -> tuple[fmpq, ...] | None:
    r"""An exact direction $r$ with $\sum_i v_i\sigma(w_i\cdot r) > 0$, so that $h(x + tr) \to \infty$ ($t \to \infty$)
    from every $x$; ``None`` if no random direction (chosen in floats, checked exactly) and no row $w_i$ is one.
    Cost: $O(\text{draws}\cdot n_1n_0)$ flops and $O(n_1n_0)$ exact operations per checked direction."""
    (W, _), (V, _) = view.inner.float_layers()
    rng = np.random.default_rng(seed)
    R = rng.integers(-64, 65, size=(draws, W.shape[1])) / 64
    r = tuple(fmpq(int(round(t * 64)), 64) for t in R[int(np.argmax(np.maximum(R @ W.T, 0) @ V[0]))])
    if _slope(view, r) > 0:
        return r
    return next((w for w, v in zip(view.w, view.v, strict=True) if v > 0 and _slope(view, w) > 0), None)


def _slope(view: OuterView, r) -> fmpq:
    """$\\sum_i v_i\\sigma(w_i\\cdot r)$, the growth of $h$ along $r$ far out (one exact product $Wr$)."""
    return sum((v * max(z, _ZERO) for z, v in zip(view.w.matvec(r), view.v, strict=True)), _ZERO)


def varying_pair(view: OuterView, k: int, base=()) -> tuple[tuple[fmpq, ...], tuple[fmpq, ...]] | None:
    r"""Two exact points of $H_k$ where $h$ differs, found on lines of $H_k$, each decided exactly: through the
    point $q$ of $H_k$ nearest $0$ and each point of ``base`` (points of $H_k$, e.g. the visibility witness), along
    $w_{k,a}e_j - w_{k,j}e_a \perp w_k$ ($a$ the first index with $w_{k,a} \ne 0$, each $j \ne a$), then along the
    projections on $w_k^\perp$ of the other rows (crossing the traces $H_i \cap H_k$ where $h|_{H_k}$ may kink).
    On a line $x + tu$, $h = e + \sum_i v_i\sigma(z_i + ts_i)$ ($z_i = w_i\cdot x + b_i$, $s_i = w_i\cdot u$) is
    piecewise linear in $t$ with breakpoints $-z_i/s_i$; it is constant iff its slope vanishes on every piece, and
    two points inside a piece of non-zero slope differ — found wherever on the line $h$ varies, however far from
    $x$. With $n_0 = 2$ the first line is $H_k$ itself, so ``None`` means exactly that $h$ is constant on $H_k$;
    for $n_0 > 2$, ``None`` means that $h$ is constant on every line tried (the basis lines through $q$ decide
    an affine $h|_{H_k}$; a line along $u_i$ sees the kink of $h|_{H_k}$ on $H_i \cap H_k$ unless it crosses it
    where other kinks cancel it). Cost: $O(n_1n_0 + n_1\log n_1)$ exact operations per line, at most
    $(1 + |\text{base}|)(n_0 + n_1 - 2)$ lines, stopping at the first that varies. Here $h = 1 - \sigma(x) -
    \sigma(y - 5)$ is 1 on $x = 0$ up to $y = 5$ and drops after:

    >>> view = OuterView.of(Network.from_arrays([[[1, 0], [0, 1]], [[-1, -1]], [[1]]], [[0, -5], [1], [0]]))
    >>> [(p, view.inner(p)[0]) for p in varying_pair(view, 0)]
    [((0, 6), 0), ((0, 7), -1)]
    """
    w, b, h = view.w[k], view.b[k], view.inner
    ww = dot(w, w)
    a = next(i for i, x in enumerate(w) if x != 0)
    points = (tuple(-b * x / ww for x in w),) + tuple(base)
    basis = (tuple(w[a] if l == j else -w[j] if l == a else _ZERO for l in range(len(w)))
             for j in range(len(w)) if j != a)
    traces = (tuple(y - dot(r, w) / ww * z for y, z in zip(r, w, strict=True))
              for i, r in enumerate(view.w) if i != k and rank([w, r]) == 2)
    for u in itertools.chain(basis, traces):
        for x in points:
            pair = _varying_on_line(view, x, u)
            if pair is not None and h(pair[0]) != h(pair[1]):
                return pair
    return None


def _varying_on_line(view: OuterView, x, u) -> tuple[tuple[fmpq, ...], tuple[fmpq, ...]] | None:
    r"""Two points $x + tu$ inside the first linear piece of $t \mapsto h(x + tu)$ with a non-zero slope, or
    ``None`` when $h$ is constant on the line: the slope, $\sum_{s_i < 0} v_is_i$ before the first breakpoint,
    grows by $v_i|s_i|$ at the breakpoint of neuron $i$. Cost: $O(n_1n_0 + n_1\log n_1)$."""
    jumps: dict[fmpq, fmpq] = {}
    slope = _ZERO
    for wi, bi, vi in zip(view.w, view.b, view.v, strict=True):
        s = dot(wi, u)
        if s != 0 and vi != 0:
            t = -(dot(wi, x) + bi) / s
            jumps[t] = jumps.get(t, _ZERO) + vi * abs(s)
            slope += vi * min(s, _ZERO)
    cuts = sorted(jumps)
    ends = [None] + cuts + [None]
    for lo, hi in zip(ends, ends[1:]):
        if slope != 0:
            t0 = (lo if lo is not None else (hi if hi is not None else _ZERO) - 3)
            t1 = hi if hi is not None else t0 + 3
            return tuple(tuple(y + t * z for y, z in zip(x, u, strict=True))
                         for t in ((2 * t0 + t1) / 3, (t0 + 2 * t1) / 3))
        if hi is not None:
            slope += jumps[hi]
    return None


def inner_determined(net: Network, t: BottleneckType, deadline: float | None = None) -> bool:
    """Whether the module's theorem applies: regime PN, $n_0 \\ge 2$, a face proving $\\sigma(h') = \\mu\\sigma(h)$,
    $P$ connected and $C^* = \\{0\\}$. Cost: the cells of the first layer's arrangement, one double description per
    pair of pieces of $\\overline P$; past ``deadline`` (:func:`time.monotonic`) :class:`UndecidedError`."""
    def failure(live: Network, region: HiddenRegion, clock: _Clock) -> str | None:
        if hidden_cone(region):
            return "a row is bounded above on P"
        if _standard_face(live, clock) is None:
            return _NO_FACE
        return None if len(_components(_pieces(live, clock)[0], clock)) == 1 else "P is not connected"

    return _on_the_cells(net, t, deadline, "from the cells of the first layer's arrangement", failure) is None


def free_slot_determined(net: Network, t: BottleneckType, deadline: float | None = None) -> bool:
    r"""Whether the theorem of the free slot (module docstring) applies (:func:`free_slot_failure` finds no
    failure): then every member has $h' = \mu h$. ``False`` proves nothing. Cost: that of :func:`free_slot_failure`.

    >>> from semialg.families.bottleneck.types import combinatorial_type
    >>> net = Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]], [[1]]], [[0, 0, 0], [-1], [0]])
    >>> free_slot_determined(net, combinatorial_type(net))     # three kinks seen on P, no free slot
    False
    """
    return free_slot_failure(net, t, deadline) is None


def free_slot_failure(net: Network, t: BottleneckType, deadline: float | None = None) -> str | None:
    r"""Why the theorem of the free slot (module docstring) does not apply to ``net`` of type ``t``, ``None`` when
    it does: regime PN, $n_0 \ge 2$, $P$ connected, every kink hyperplane of $h$ seen on $P$ and one neuron beside
    them, a face proving $\sigma(h') = \mu\sigma(h)$, and under each of the $2^{|V|}$ orientations of the seen kinks
    ($|V| \le$ :data:`MAX_ORIENTED`) the linear part $A$ left on $P$ zero with $C^* = \{0\}$, or unbounded above on
    $\overline P$ and, when bounded below, refuted as a U+ neuron's (:class:`CarriedRest`: a cell's recession
    direction, else :func:`~.representative._refuted_orientations`: a ray). Cost: the cells of the first layer's
    arrangement, $2^{|V|}$ exact vector sums and, per orientation whose $A$ is bounded below on $\overline P$, at
    most one exact strict-feasibility decision per cell, then two exact equivalence tests; past ``deadline``
    (:func:`time.monotonic`) :class:`UndecidedError`.

    >>> from semialg.families.bottleneck.types import combinatorial_type
    >>> net = Network.from_arrays([[[1, 0], [-1, 0], [0, 1]], [[-1, -1, -2]], [[1]]], [[0, 0, 0], [1], [0]])
    >>> free_slot_failure(net, combinatorial_type(net))      # P a strip: -s(2 - x) may carry x
    'orientation (1, 1): the rest (1, 0) is bounded above on P, a U+ neuron with v < 0 can carry it'
    """
    def failure(live: Network, region: HiddenRegion, clock: _Clock) -> str | None:
        residuals = _component_residuals(live, clock)
        if residuals is None or len(residuals[1]) != 1:
            return "P is not connected" if residuals is not None else "an unseen kink hyperplane of h splits P"
        V, [((A0, c0), _, _)] = residuals
        if len(canonical_form(OuterView.of(live).inner).kinks) != len(V):
            return "a kink hyperplane of h misses P"
        if net.widths[1] - len(V) != 1 or len(V) > MAX_ORIENTED:
            return f"n1 = {net.widths[1]} is not one more than the {len(V)} kink hyperplanes seen on P (at most " \
                   f"{MAX_ORIENTED})"
        if _standard_face(live, clock) is None:
            return _NO_FACE
        hidden, rest, pending = bool(hidden_cone(region)), CarriedRest(net, region.p_rays), []
        for eps in itertools.product((1, -1), repeat=len(V)):
            clock.check(f"orienting the {len(V)} kinks seen on P")
            A = tuple(a + sum((d * u[i] for e, (u, _, d) in zip(eps, V, strict=True) if e < 0), _ZERO)
                      for i, a in enumerate(A0))
            if not any(A):
                if hidden:
                    return f"orientation {eps}: the seen kinks compute h and a row is bounded above on P, a U- " \
                           f"neuron with v < 0 can be free"
                continue
            why = rest.failure(A)
            if why is not None:
                if not why.startswith(_UNREFUTED):
                    return f"orientation {eps}: {why}"
                pending.append((eps, A))
        if pending and _refuted_orientations(net, live, region, V, c0, pending, clock) is None:
            eps, A = pending[0]
            return f"orientation {eps}: {rest.failure(A)}, nor a ray"
        return None

    return _on_the_cells(net, t, deadline, "one free slot, its orientations refuted", failure)


#: The most kink hyperplanes whose $2^{|V|}$ orientations :func:`free_slot_failure` enumerates.
MAX_ORIENTED = 12

_NO_FACE = "no face of the boundary of P fixes sigma(h') = mu sigma(h)"
_UNREFUTED = "the rest is bounded below on P and no direction refutes"


class CarriedRest:
    r"""Whether a U+ neuron $v\sigma(z)$ can carry a linear part $A \ne 0$ on $P$ ($vw = A$, $z \ge 0$ on
    $\overline P$) for ``net`` (the extreme ``rays`` of $\overline P$ given): ``failure(A)`` says how (``None`` when it
    cannot). With $A$ bounded above on $\overline P$, $v < 0$ can: $h' = \mu h - \sigma(-z)$ differs from $\mu h$
    only where it is lower. With $A$ bounded below, $v > 0$, and $h' = g + \sigma(-A\cdot x - \beta)$ grows where
    $A\cdot x$ falls: refuted when some cell of the first layer's arrangement, where $h = a\cdot x + \beta$, has a
    recession direction $r$ with $A\cdot r < 0$ and $(a - A)\cdot r > 0$ (one exact strict-feasibility decision in
    the multipliers of the cell's rays; the cells' generators are found once, on first need)."""

    def __init__(self, net: Network, rays):
        self.net, self.rays, self._cones = net, list(rays), False

    def failure(self, A: tuple) -> str | None:
        if all(dot(A, r) <= 0 for r in self.rays):
            return f"the rest ({', '.join(map(str, A))}) is bounded above on P, a U+ neuron with v < 0 can carry it"
        if all(dot(A, r) >= 0 for r in self.rays):
            if self._cones is False:
                self._cones = cell_cones(self.net)
            if self._cones is None or not _escapes(tuple(-a for a in A), self._cones, self.net.widths[0]):
                return f"{_UNREFUTED} a U+ neuron with v > 0 carrying it"
        return None


def _escapes(L: tuple, cones: list[list], n0: int) -> bool:
    r"""Whether some cell has a recession direction $r$ with $L\cdot r > 0$ and $(a + L)\cdot r > 0$: one exact
    strict-feasibility decision in the multipliers of the cell's rays."""
    for gens in cones:
        rays = [(g[:n0], val) for g, s, val in gens if s == 0]
        if not rays:
            continue
        unit = [tuple(_ONE if i == j else _ZERO for j in range(len(rays))) for i in range(len(rays))]
        rows = unit + [tuple(dot(L, r) for r, _ in rays), tuple(val + dot(L, r) for r, val in rays)]
        if decide(rows, (_ZERO,) * len(rows), len(rays)).feasible:
            return True
    return False


def _on_the_cells(net: Network, t: BottleneckType, deadline: float | None, how: str, failure) -> str | None:
    """``failure(live, region, clock)`` for a case-(a) parameter of regime PN with $n_0 \\ge 2$ and $\\overline P$
    pointed (else the reason), ``live`` without its dead and constant neurons; past ``deadline``
    :class:`UndecidedError` naming the theorem by ``how``."""
    if t.case != "a" or t.regime != "PN" or net.widths[0] < 2:
        return "not a case-(a) parameter of regime PN with n0 >= 2"
    live, clock = _live(net), _Clock(None, deadline, "fibre: is h' = mu h for every member")
    try:
        try:
            region = hidden_region(live, clock)     # built once per network: the other theorems ask again
        except ArchitectureError:          # parallel rows: P-bar not pointed (the 1-D calculus)
            return "the first-layer rows are parallel"
        return failure(live, region, clock)
    except UndecidedError as err:
        raise UndecidedError(f"fibre: whether every member has h' = mu h ({how}) is undecided within the budget: "
                             f"{err}") from None


class _NonEmptyTypes:
    """The non-empty types of a typed shallow fibre, in its order, counted exactly without enumerating them."""

    def __init__(self, inner):
        self.inner = inner

    def __iter__(self):
        return (j for j in self.inner.index if self.inner.geometry.is_nonempty(j))

    @property
    def exact_size(self) -> int:
        return self.inner.num_components

    @property
    def live_size(self) -> int:
        """The non-empty types without dead or constant slots, counted the same way
        (:meth:`~semialg.families.shallow.type_geometry.TypeGeometry.count`)."""
        return self.inner.geometry.count(live=True)

    def __len__(self) -> int:
        return self.exact_size


class OuterFibre:
    """The components of the fibre of a case-(a) parameter with $h' = \\mu h$ for every member (:func:`all_visible`,
    :func:`inner_determined`): ``index``, ``build``, ``locate``, ``sample``, ``dimension`` (that of the shallow
    fibre of $h$ plus 1) and ``local_dimension``."""

    def __init__(self, net: Network):
        self.net = net
        self.view = view = OuterView.of(net)
        self.inner = shallow_fibre(view.inner)
        self.index = self.inner.index if is_orbit_case(view.inner) else _NonEmptyTypes(self.inner)
        self.index_name = self.inner.index_name
        what = ("a permutation of the first-layer neurons and an admissible flip set S (sum over S of v_i w_i = 0)"
                if is_orbit_case(view.inner) else f"a component ({self.index_name}) of the typed shallow fibre")
        self.index_description = f"{what} of the inner network h; c' = c/mu, d' = d"
        self.dimension = self.inner.dimension + 1
        self.r = _first_nonzero(view.c)

    @functools.cached_property
    def cr(self):
        return to_sympy(self.view.c[self.r])

    @functools.cached_property
    def scale(self) -> dict:
        """$v' \\mapsto v'/\\mu$, $e' \\mapsto e'/\\mu$ with $1/\\mu = c'_r/c_r$: built on first use (4,097 sympy
        products and sympy's import, half a second at 784-4096-1-10, that the fibre's dimension does not need)."""
        V = self.net.variables()
        inv_mu = V.weights[2][self.r, 0] / self.cr
        out = {V.weights[1][0, i]: V.weights[1][0, i] * inv_mu for i in range(self.net.widths[1])}
        out[V.biases[1][0]] = V.biases[1][0] * inv_mu
        return out

    def build(self, index) -> BasicSet:
        """The shallow component of $h$ with $h' \\mapsto h'/\\mu$, and $c' = c/\\mu$, $d' = d$."""
        V, view, r, cr = self.net.variables(), self.view, self.r, self.cr
        C, D = V.weights[2], V.biases[2]
        B = self.inner.build(index)
        eqs = [sympy.expand(sympy.sympify(p).xreplace(self.scale)) for p in B.equations]
        eqs += [C[s, 0] * cr - C[r, 0] * to_sympy(view.c[s]) for s in range(len(view.c)) if s != r]
        eqs += [D[s] - to_sympy(view.d[s]) for s in range(len(view.d))]
        scaled = lambda polys: tuple(sympy.expand(sympy.sympify(p).xreplace(self.scale)) for p in polys)  # noqa: E731
        return BasicSet(V.flat, tuple(e for e in eqs if e != 0), scaled(B.strict) + (C[r, 0] * cr,),
                        scaled(B.nonstrict), label=B.label, nonzero=map_nonzero(
                            lambda p: sympy.expand(sympy.sympify(p).xreplace(self.scale)), B.nonzero))

    def local_dimension(self, theta) -> int:
        """That of the shallow fibre of $h$ at $h'/\\mu$, plus 1 ($\\mu$): the fibre is that fibre times
        $\\mathbb{R}_{>0}$."""
        try:
            return self.inner.local_dimension(self._rescaled(theta)) + 1
        except UndecidedError as err:
            raise err.shifted(1, "the shallow fibre of h at h'/mu, times mu") from None

    def _rescaled(self, point) -> Network | None:
        """$h'/\\mu$ of a point, with $\\mu = c_r/c'_r$ (``None`` when $c'_r = 0$)."""
        other = point if isinstance(point, Network) else Network.from_parameters(self.net.architecture, point)
        ov = OuterView.of(other)
        if ov.c[self.r] == 0:
            return None
        mu = self.view.c[self.r] / ov.c[self.r]
        return Network((ov.inner.weights[0], (_scale(1 / mu, ov.v),)), (ov.b, (ov.e / mu,)))

    def locate(self, point):
        h = self._rescaled(point)
        return None if h is None else self.inner.locate(h)

    def sample(self, seed, index) -> Network:
        rng = _random.Random(seed)
        view = self.view
        h = self.inner.sample(seed) if index is None else self.inner.build(index).sample(rng.randrange(2 ** 32))
        mu = fmpq(rng.randint(1, 9), rng.randint(1, 9))
        return Network((h.weights[0], (_scale(mu, h.weights[1][0]),), tuple((x / mu,) for x in view.c)),
                       (h.biases[0], (h.biases[1][0] * mu,), view.d))
