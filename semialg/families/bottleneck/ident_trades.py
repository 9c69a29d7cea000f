r"""Candidate witnesses for case-(a) bottlenecks: an opposite pair merged onto one neuron, some visible neurons
flipped, and the freed neuron moved off $P$ to carry the linear part these changes leave on $P$.

Let $z_j = -\lambda z_i$ be an opposite pair, $c_H = v_i + \lambda v_j$ the kink it carries. On $P$ its two terms
are $c_H\sigma(z_i) - \lambda v_jz_i$, and flipping a neuron $k$ ($w_k, b_k \mapsto -w_k, -b_k$) changes
$v_k\sigma(z_k)$ by $-v_kz_k$ ($\sigma(y) = \sigma(-y) + y$). Keep the kink on neuron $i$ ($v'_i = c_H$, or
$(w_i, b_i)$ flipped too: $\epsilon = 1$), flip a set $F$ of the other neurons, and give neuron $j$ the row of the
linear part $L = \sum_{k \in F}v_kw_k + (\epsilon c_H - \lambda v_j)w_i$ that this leaves: $w'_j = \pm L$ with the
hyperplane beyond $\overline P$ (the bias from $\inf$ or $\sup$ of $L\cdot x$ over $\overline P$, exact at the
points and rays generating its hull, plus an offset), $v'_j = \mp 1$, and $e'$ matching $h$ at a point of $P$
(:func:`_inside`: every vertex of the hull may lie on $\{h = 0\}$).
*Lemma.* Then $h' = h$ on $P$: every kink of $h$ is kept with its jump, the linear parts agree by the choice of
$L$, and the constants by that of $e'$. Off $P$, $h' - h = v'_j\sigma(-z'_j)$ is $\le 0$ when $v'_j < 0$, i.e.
when $L\cdot x$ is bounded above on $\overline P$ ($w'_j = -L$): then $\sigma(h') = \sigma(h)$. With the other sign
it may or may not stay $\le 0$; a candidate positive at a vertex of $\{h \le 0\}$'s pieces is dropped (exactly:
$\sigma(h') \ne \sigma(h)$ there), the others are decided exactly by the engine, like every candidate here. With
$F = \emptyset$, $\epsilon = 0$ these are the pair moves of :mod:`~.ident_witnesses`.

**Two hyperplanes between the components.** With a hidden neuron $k$ of class U± ($z_k < 0$ on a component $Q_1$
of $P$, $> 0$ on $Q_2$) the freed neuron and neuron $k$ can carry $L$ together: neuron $j$ the map $L\cdot x +
\gamma$ on $Q_1$ and neuron $k$ the map $v_kz_k + L\cdot x + \gamma$ on $Q_2$, each from a hyperplane between
$Q_1$ and $Q_2$ ($\gamma$ from :func:`~.ident_separated_pair.joint_offsets`: the middle of each interval, else its
ends). Then $h' = h$ on $P$ again, and off $P$ the engine decides. These are the witnesses of the cases that the
theorem of :mod:`~.ident_separated_pair` leaves open, e.g. $W = ((-2, 1), (4, -2), (-1, -1), (-1, 3))$, $b = (2,
-4, 0, -1)$, $v = (-1, -3, 1, 1)$, $e = -2$: the pair merged onto one neuron, the freed one on $x - 2y = 1/2$ and
neuron 4 on $y = 3/2$ (one position of an interval).

>>> net = Network.from_arrays([[[3, 1], [-3, -1], [3, 2], [1, -2]], [[1, -2, 1, -2]], [[-1]]],
...                           [[3, -3, -1, -2], [1], [-2]])
>>> label, other = trade_witnesses(net)[0]
>>> label.split(", neuron 2")[0], other([0, 0]) == net([0, 0])
('opposite pair 1, 2 sharing a hyperplane, the kink carried by neuron 1, neurons 3 flipped', True)

Cost: the type and one :class:`~semialg.families.bottleneck.hidden_region.HiddenRegion`, then $O(2^{n_1 - 2})$
candidates per pair ($n_1 \le$ :data:`MAX_TRADE_NEURONS`), each $O(n_1n_0)$ per point tested.
"""

from __future__ import annotations

import dataclasses
import itertools

from flint import fmpq

from semialg.core.network import Network
from semialg.engine.neurons import hyperplane_pairs
from semialg.errors import SemialgError
from semialg.families.bottleneck.ident_cache import hidden_region
from semialg.families.bottleneck.ident_moves import MoveLabel, PairTrade
from semialg.families.bottleneck.ident_separated_pair import joint_offsets, side, sides_of
from semialg.families.bottleneck.ident_witnesses import z_range
from semialg.families.bottleneck.obstructions import _Clock
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import OuterView, bottleneck_case

__all__ = ["trade_witnesses", "MAX_TRADE_NEURONS"]

#: The largest $n_1$ whose flip sets are enumerated (each candidate may cost the engine an exact equivalence).
MAX_TRADE_NEURONS = 8
#: Offsets of the moved hyperplane beyond $\overline P$ tried when $v'_j > 0$ does not guarantee $h' \le h$: off
#: $P$, $h' - h = \sigma(-z'_j)$ is positive beyond the hyperplane only, where $h$ may have fallen far enough only
#: far out (a planted-pair scan's seed 3127 needs an offset above 3).
_OFFSETS = (fmpq(0), fmpq(3), fmpq(16), fmpq(256))


def _label(i: int, j: int, kept: int, F, flipped: bool) -> str:
    moved = f"neurons {', '.join(str(k + 1) for k in F)} flipped" if F else "no other neuron flipped"
    return (f"opposite pair {min(i, j) + 1}, {max(i, j) + 1} sharing a hyperplane, the kink carried by neuron "
            f"{kept + 1}{' (flipped)' if flipped else ''}, {moved}")


def _inside(region) -> tuple | None:
    r"""A point of $P$ among the generators of the hull of $\overline P$ (``region``'s points, each moved along
    each of its rays, pairwise midpoints), where every vertex may lie on $\{h = 0\}$; ``None`` if none is in $P$.
    Cost: $O(p(p + r))$ evaluations of $h$ for $p$ points and $r$ rays."""
    points = list(region.p_points)
    found = points + [tuple(a + b for a, b in zip(p, r, strict=True)) for p in points for r in region.p_rays] \
        + [tuple((a + b) / 2 for a, b in zip(p, q, strict=True)) for p, q in itertools.combinations(points, 2)]
    return next((x for x in found if region.h(x) > 0), None)


def trade_witnesses(net: Network, budget: float = 5.0) -> tuple[tuple[str, Network], ...]:
    """Candidates from the module's move (labelled, neurons numbered from 1), for a case-(a) parameter in regime
    PN with $2 \\le n_0 \\le 4$ and $n_1 \\le$ :data:`MAX_TRADE_NEURONS`; ``()`` otherwise or when the type and the
    hull are not found within ``budget`` seconds each."""
    if bottleneck_case(net) != "a" or not 2 <= net.widths[0] <= 4 or net.widths[1] > MAX_TRADE_NEURONS:
        return ()
    try:
        t = combinatorial_type(net, budget=budget)
        if t.regime != "PN":
            return ()
        clock = _Clock(budget, None, "candidate witnesses: the hull of the closure of P")
        region = hidden_region(net, clock)
        between = [(k, Q1, Q2) for k, cls in enumerate(t.classes) if cls == "U+-"
                   for Q1, Q2 in itertools.product(*sides_of(net, k, clock))]
    except SemialgError:
        return ()
    view, x0 = OuterView.of(net), _inside(region)
    off_p = [v for Q in region.n_pieces for v in Q.vertices]
    _, opposite = hyperplane_pairs(view.inner, 1)
    out = []

    def keep(label: str, move: PairTrade) -> None:
        try:
            e = view.e + view.inner(x0)[0] - OuterView.of(move.build(net)).inner(x0)[0]
            move = dataclasses.replace(move, e=e)
            moved = move.build(net)
        except SemialgError:
            return
        h2 = OuterView.of(moved).inner
        if not any(h2(p)[0] > 0 for p in off_p if not region.h(p) > 0):
            out.append((MoveLabel(label, move), moved))
    for i, j, lam in opposite:
        for kept, freed, mu in ((i, j, lam), (j, i, 1 / lam)):
            c_h = view.v[kept] + mu * view.v[freed]
            others = [k for k in range(len(view.w)) if k not in (i, j)]
            for flip, F in itertools.product((0, 1), itertools.chain.from_iterable(
                    itertools.combinations(others, r) for r in range(len(others) + 1))):
                if not F and not flip:
                    continue            # the pair moves of ident_witnesses
                L = tuple((flip * c_h - mu * view.v[freed]) * x for x in view.w[kept])
                for k in F:
                    L = tuple(x + view.v[k] * y for x, y in zip(L, view.w[k], strict=True))
                lo, hi = z_range(region, L, fmpq(0)) if any(L) else (None, None)
                n = freed + 1
                for sign, bound in ((-1, hi), (1, lo)):
                    for extra in (() if bound is None or x0 is None else _OFFSETS[:1] if sign < 0 else _OFFSETS):
                        w_j, b_j = tuple(sign * x for x in L), -sign * bound + extra
                        keep(f"{_label(i, j, kept, F, flip)}, neuron {n} moved off P carrying their linear part: "
                             f"w_{n} = ({', '.join(map(str, w_j))}), b_{n} = {b_j}",
                             PairTrade(kept, freed, F, bool(flip), w_j, b_j, fmpq(sign), view.e))
                for k, Q1, Q2 in between if x0 is not None else ():
                    if k in F or k in (i, j):
                        continue
                    for gamma in _offsets(joint_offsets(L, view.w[k], view.b[k], view.v[k], Q1, Q2)):
                        s1 = fmpq(side(L, gamma, Q1[0]))
                        M, beta = tuple(view.v[k] * x + y for x, y in zip(view.w[k], L, strict=True)), \
                            view.v[k] * view.b[k] + gamma
                        s2 = fmpq(side(M, beta, Q2[0]))
                        w_j, w_k = tuple(s1 * x for x in L), tuple(s2 * x for x in M)
                        keep(f"{_label(i, j, kept, F, flip)}, neurons {n} and {k + 1} moved between the components "
                             f"of P carrying their linear part and neuron {k + 1}'s: w_{n} = "
                             f"({', '.join(map(str, w_j))}), b_{n} = {s1 * gamma}",
                             PairTrade(kept, freed, F, bool(flip), w_j, s1 * gamma, s1, view.e,
                                       ((k, (w_k, s2 * beta, s2)),)))
    return tuple(out)


def _offsets(intervals) -> list[fmpq]:
    """The middle of each interval, then the ends (each once)."""
    return list(dict.fromkeys([(lo + hi) / 2 for lo, hi in intervals] + [x for pair in intervals for x in pair]))
