r"""Candidate witnesses of non-identifiability for case-(a) bottlenecks: hidden neurons with $v_k < 0$ and
opposite pairs sharing a hyperplane, moved below $h$ off $P$.

Every move here is an instance of one lemma. *Lemma.* If $h' \le h$ everywhere and $h' = h$ on $P = \{h > 0\}$,
then $\sigma(h') = \sigma(h)$, so $\theta'$ (the same $c$, $d$) computes $f_\theta$. *Proof.* On $P$ both are
$h$; off $P$, $h' \le h \le 0$. $\square$ With $z_k = w_k\cdot x + b_k$ and $\inf$, $\sup$ taken over
$\overline P$ (exactly, at the points and rays generating its convex hull,
:class:`~semialg.families.bottleneck.hidden_region.HiddenRegion`):

- **U− neuron, $v_k < 0$** ($z_k \le 0$ on $P$): $v'_k = 2v_k$. Then $h' - h = v_k\sigma(z_k) \le 0$, zero on $P$
  (needing no hull, it is offered among the first candidates,
  :func:`~semialg.families.bottleneck.identifiability.hidden_neuron_witnesses`).
- **U+ neuron, $v_k < 0$, $\delta = \inf z_k / 2 > 0$** (the hyperplane stays off $\overline P$): $b'_k = b_k -
  \delta$, $e' = e + v_k\delta$. Then $h' - h = v_k(\sigma(z_k - \delta) - \sigma(z_k) + \delta) \le 0$, as
  $0 \le \sigma(z - \delta) - \sigma(z) + \delta \le \delta$, with equality 0 where $z_k \ge \delta$, on $P$.
  When $\inf z_k = 0$ but $\beta = \sup z_k + \text{offset}$ is finite, the neuron is reflected beyond $P$:
  $-v_k\sigma(\beta - z_k)$, $e' = e + v_k\beta$ (equal to $v_kz_k + e$ on $P$); off $P$, $h' - h =
  |v_k|(\sigma(-z_k) + \sigma(z_k - \beta)) \ge 0$, so these candidates (offsets as below) are decided exactly by
  the engine — e.g. $z_0 = 1 - x - 2y$, $v_0 = -2$ in $h = 3 - 2\sigma(z_0) - \sigma(2x + 2y - 1) - 3\sigma(x + 2y)$,
  where $P$ lies in the slab $-1 \le x + 2y \le 1$, becomes $2\sigma(x + 2y + 1)$ with $e' = -1$ (found first by a
  brute-force grid).
- **Opposite pair** (a shared hyperplane) $z_j = -\lambda z_i$ ($\lambda > 0$): $v_j\sigma(z_j) =
  \lambda v_j\sigma(z_i) + v_jz_j$, so neuron $i$ can carry the whole kink ($v'_i = v_i + \lambda v_j$) while
  neuron $j$ reproduces $v_jz_j$ on $P$ from a hyperplane off $P$. For $v_j < 0$ and $z_j$ bounded below on
  $P$, $\gamma = 1 - \inf z_j$: $b'_j = b_j + \gamma$, $e' = e - v_j\gamma$, and $h' - h = v_j\sigma(-z_j - \gamma)
  \le 0$. For $v_j > 0$ and $z_j$ bounded above, $\beta = 1 + \sup z_j$: $(w'_j, b'_j) = (-w_j, \beta - b_j)$,
  $v'_j = -v_j$, $e' = e + v_j\beta$, and $h' - h = -v_j\sigma(z_j - \beta) \le 0$ (from $\sigma(y) = \sigma(-y) +
  y$). Both vanish on $P$.

The other two sign combinations of a pair (shifted with $v_j > 0$, reflected with $v_j < 0$) keep $h' = h$ on
$P$ but raise it beyond the moved hyperplane; reflected, $\sigma(z_i) = 0$ there and $h' = \sum_{k \ne i, j}
v_k\sigma(z_k) + e'$ has lost the pair — valid iff that is $\le 0$ there, which the offsets $0, 3, 15, 63$ beyond
the least one may reach (e.g. $h = 9\sigma(u) - 6\sigma(-u) - 3\sigma(2x - 3y - 1) + 1$, $u = x + y + 1$ bounded
below on $P$: $3\sigma(2u + 1) + 3\sigma(u) - 3\sigma(2x - 3y - 1) - 2$ has the same $\sigma(h)$, found by a
brute-force grid search). The candidates are not trusted: the engine proves each
equivalent to $\theta$ by a verified exact certificate and checks it outside the orbit.

>>> net = Network.from_arrays([[[-1, -1], [1, 2], [-2, -2]], [[-1, -1, 1]], [[1]]], [[2, 0, 1], [-1], [0]])
>>> [label for label, _ in negative_witnesses(net)]
['U+ neuron 1 (v < 0) moved towards P: b_1 - 2, e + v_1 2']

Cost: that of :func:`~semialg.families.bottleneck.types.combinatorial_type` and of one
:class:`~semialg.families.bottleneck.hidden_region.HiddenRegion` (the cells of the first layer's arrangement),
then $O(n_1^2 + |\text{points}|n_0)$ per candidate.
"""

from __future__ import annotations

from dataclasses import dataclass

from flint import fmpq

from semialg.core.exact import dot, nullspace, rank
from semialg.core.network import Network
from semialg.engine.neurons import hyperplane_pairs
from semialg.errors import SemialgError
from semialg.families.bottleneck.hidden_region import HiddenRegion
from semialg.families.bottleneck.ident_cache import hidden_region
from semialg.families.bottleneck.ident_moves import (MoveLabel, PairOffP, ReflectHiddenNeuron,
                                                     ShiftHiddenBiases)
from semialg.families.bottleneck.line_fibre import line_profile
from semialg.families.bottleneck.obstructions import _Clock
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import OuterView, bottleneck_case

__all__ = ["negative_witnesses", "z_range", "p_hull", "RidgeHull"]

_ONE = fmpq(1)
#: Offsets tried beyond the least one when the sign of $v_j$ does not guarantee $h' \le h$ (then $h' = h$ on $P$
#: and $h' - h$ grows off $P$, but beyond the moved hyperplane $h'$ loses the pair's kink: exactly decided).
_OFFSETS = (fmpq(0), fmpq(3), fmpq(15), fmpq(63))


def z_range(region: "HiddenRegion | RidgeHull", w, b) -> tuple[fmpq | None, fmpq | None]:
    r"""$(\inf, \sup)$ of $z = w\cdot x + b$ over $\overline P$, ``None`` where unbounded: $z$ is bounded below iff
    $w\cdot r \ge 0$ at every ray of $\overline P$, and then its infimum is the least value at the points
    generating its convex hull. Cost: $O((|\text{points}| + |\text{rays}|)n_0)$."""
    values = [dot(w, p) + b for p in region.p_points]
    if not values:
        return None, None
    lo = min(values) if all(dot(w, r) >= 0 for r in region.p_rays) else None
    hi = max(values) if all(dot(w, r) <= 0 for r in region.p_rays) else None
    return lo, hi


@dataclass(frozen=True)
class RidgeHull:
    r"""Points and rays generating the convex hull of $\overline P$ when the first-layer rows are parallel (a ridge
    function $h(x) = g(u\cdot x)$, where :class:`~semialg.families.bottleneck.hidden_region.HiddenRegion` does not
    apply): the hull is $\{x : s_- \le u\cdot x \le s_+\}$ with $[s_-, s_+]$ the hull of $\{g > 0\}$ in
    $\mathbb{R}$, generated by the points $s_\pm e_p$ ($u_p = 1$), the ray $\pm e_p$ on an unbounded side and
    $\pm$ a basis of $u^\perp$."""

    p_points: tuple[tuple[fmpq, ...], ...]
    p_rays: tuple[tuple[fmpq, ...], ...]

    @classmethod
    def of(cls, net: Network) -> "RidgeHull":
        r"""The hull for ``net`` (rows parallel, not all zero). Cost: $O(n_1^2)$ for the sign of $g$ between its
        breakpoints and zeros (:meth:`~semialg.families.bottleneck.line_slots.LinePL.gaps`)."""
        u, g = line_profile(net)
        cands, tests = g.gaps()
        positive = [i for i, y in enumerate(tests) if g(y) > 0]
        if not positive:
            return cls((), ())
        n0, p = len(u), next(i for i, x in enumerate(u) if x != 0)
        e = tuple(_ONE if i == p else fmpq(0) for i in range(n0))
        lo = None if positive[0] == 0 else cands[positive[0] - 1]
        hi = None if positive[-1] == len(cands) else cands[positive[-1]]
        ends = [s for s in (lo, hi) if s is not None] or [tests[positive[0]]]
        rays = [r for side, r in ((lo, tuple(-x for x in e)), (hi, e)) if side is None]
        rays += [r for l in nullspace([list(u)]) for r in (tuple(l), tuple(-x for x in l))]
        return cls(tuple(tuple(s * x for x in e) for s in ends), tuple(rays))


def p_hull(net: Network, clock=None) -> "HiddenRegion | RidgeHull":
    r"""What generates the convex hull of $\overline P$ (``p_points``, ``p_rays``): the
    :class:`~semialg.families.bottleneck.hidden_region.HiddenRegion` of ``net`` when two first-layer rows are not
    parallel, else its :class:`RidgeHull` (also for $n_0 = 1$)."""
    if net.widths[0] >= 2 and rank([w for w in net.weights[0] if any(w)] or [[0] * net.widths[0]]) >= 2:
        return hidden_region(net, clock)
    return RidgeHull.of(net)


def negative_witnesses(net: Network, budget: float = 5.0) -> tuple[tuple[str, Network], ...]:
    r"""Candidates from the module's moves (labelled), for a case-(a) parameter in regime PN (the candidates that
    may fail only for $n_0 \le 4$, $n_1 \le 16$); ``()`` otherwise or when the type and the hull are not found
    within ``budget`` seconds each."""
    if bottleneck_case(net) != "a" or not any(any(w) for w in net.weights[0]):
        return ()
    try:
        clock = _Clock(budget, None, "candidate witnesses: the hull of the closure of P")
        t = combinatorial_type(net, budget=budget)
        if t.regime != "PN":
            return ()
        region = p_hull(net, clock)
    except SemialgError:
        return ()
    view = OuterView.of(net)
    W, b, v = list(view.w), list(view.b), list(view.v)
    out = []
    for k, cls in enumerate(t.classes):
        n = k + 1       # neurons are named from 1 in labels, as everywhere in the package's prose
        if v[k] >= 0:
            continue
        if cls == "U+":     # (U- neurons with v < 0 are doubled among the first candidates)
            lo, hi = z_range(region, W[k], b[k])
            if lo is not None and lo > 0:
                delta = lo / 2
                _add(out, net, f"U+ neuron {n} (v < 0) moved towards P: b_{n} - {delta}, e + v_{n} {delta}",
                     ShiftHiddenBiases((k,), (-delta,), v[k] * delta))
            elif hi is not None and _small(net):
                for extra in _OFFSETS:
                    beta = hi + extra
                    _add(out, net, f"U+ neuron {n} (v < 0) reflected beyond P: w_{n}, v_{n} negated, "
                         f"b_{n} = {beta - b[k]}", ReflectHiddenNeuron(k, beta))
    _, opposite = hyperplane_pairs(view.inner, 1)
    tried = _OFFSETS if _small(net) else ()   # each failing candidate costs the engine an exact equivalence
    for i, j, lam in opposite:
        for kept, moved in ((i, j), (j, i)):
            lo, hi = z_range(region, W[moved], b[moved])
            label = (f"opposite pair {min(i, j) + 1}, {max(i, j) + 1} sharing a hyperplane, the kink carried by "
                     f"neuron {kept + 1}, neuron {moved + 1}")
            if lo is not None:        # z'_j = z_j + gamma >= 1 on P
                for extra in (_OFFSETS[:1] if v[moved] < 0 else tried):
                    gamma = _ONE + extra - lo
                    _add(out, net, f"{label} shifted off P: b_{moved + 1} + {gamma}",
                         PairOffP(kept, moved, "shift", gamma))
            if hi is not None:        # z'_j = beta - z_j >= 1 on P
                m = moved + 1
                for extra in (_OFFSETS[:1] if v[moved] > 0 else tried):
                    beta = _ONE + extra + hi
                    _add(out, net, f"{label} reflected beyond P: w_{m}, v_{m} negated, b_{m} = {beta - b[moved]}",
                         PairOffP(kept, moved, "reflect", beta))
    return tuple(out)


def _add(out: list, net: Network, label: str, move) -> None:
    """The candidate the move builds, labelled (the label carries the move, which the engine replays)."""
    out.append((MoveLabel(label, move), move.build(net)))


def _small(net: Network) -> bool:
    """Whether candidates that may fail are worth their exact checks (a size guard, not a decision)."""
    return net.widths[0] <= 4 and net.widths[1] <= 16
