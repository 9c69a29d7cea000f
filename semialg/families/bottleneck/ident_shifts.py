r"""Candidate witnesses for case-(a) bottlenecks: the biases of hidden first-layer neurons shifted together, the
bottleneck bias compensating, so that $h$ is unchanged on every component of $P$.

A first-layer neuron $k$ whose hyperplane $H_k$ stays at distance from $\overline P$ ($|z_k| \ge a_k > 0$ on
$\overline P$, $z_k = w_k\cdot x + b_k$) has one sign on each piece of $\overline P$; shifting $b_k$ by $\delta_k$,
$|\delta_k| < a_k$, changes $h$ on a piece by $v_k\delta_k$ where $z_k > 0$ and by 0 where $z_k < 0$. *Lemma.* If
$\sum_k v_k\delta_k[z_k > 0 \text{ on } Q] = t$ for every piece $Q$ of $\overline P$ (a linear system in $(\delta,
t)$, one row per piece), then $h' = h + (\text{shifts}) - t$ equals $h$ on $P$, and $h' - h$ vanishes outside the
strips $\{|z_k| < |\delta_k|\}$, where it is at most $\sum_k|v_k\delta_k| + |t|$; so $\sigma(h') = \sigma(h)$ when
$h' \le 0$ on those strips — true for small $\delta$ when $h$ stays below a negative bound there, and decided
exactly by the engine for each candidate (the candidates are not trusted). An opposite pair on a hyperplane between
two components of $P$ (both neurons U±) is the typical case: $h = 2\sigma(z) + 4\sigma(-z) - \sigma(3x + y + 2) -
2$ with $z = 2x - 2y + 1$ keeps $\sigma(h)$ with $b_0 + \delta$, $b_1 + \delta$, $e - 2\delta$ for small $|\delta|$.
Kernel directions of U− neurons ($t = 0$) and U+ neurons ($t = v_k$) are the moves of
:func:`~semialg.families.bottleneck.identifiability.hidden_neuron_witnesses` with another validity condition.

>>> net = Network.from_arrays([[[2, -2], [-4, 4], [3, 1]], [[2, 2, -1]], [[-3]]], [[1, -2, 2], [-2], [3]])
>>> [label for label, _ in shift_witnesses(net)][:1]
['hidden neurons 1, 2 shifted together: b_1 - 1/4, b_2 - 1/4, e + 1/2']

Cost: the cells of the first layer's arrangement as polyhedra (:func:`~.obstructions._pieces`), one exact
nullspace of a (pieces x hidden neurons) matrix, $O(n_1n_0)$ per piece.
"""

from __future__ import annotations

from flint import fmpq

from semialg.core.exact import dot, nullspace
from semialg.core.network import Network
from semialg.errors import SemialgError
from semialg.families.bottleneck.ident_moves import MoveLabel, ShiftHiddenBiases
from semialg.families.bottleneck.ident_cache import pieces as closed_pieces
from semialg.families.bottleneck.obstructions import _Clock
from semialg.families.bottleneck.representative import _live
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import OuterView, bottleneck_case

__all__ = ["shift_witnesses"]

_ZERO = fmpq(0)


def _signed(x: fmpq) -> str:
    return f"+ {x}" if x >= 0 else f"- {-x}"


def _inside(Q) -> tuple[fmpq, ...]:
    """A point of the relative interior of the polyhedron ``Q``: the mean of its vertices plus the sum of its rays
    (relint of a Minkowski sum is the sum of the relints)."""
    n = len(Q.vertices)
    x = tuple(sum((v[i] for v in Q.vertices), _ZERO) / n for i in range(len(Q.vertices[0])))
    for r in Q.rays:
        x = tuple(a + b for a, b in zip(x, r, strict=True))
    return x


def shift_witnesses(net: Network, budget: float = 5.0) -> tuple[tuple[str, Network], ...]:
    """Candidates from the module's shifts (labelled), one per kernel direction of the system, sign and scale
    ($\\delta$ at half and a sixteenth of the distances $a_k$), for a case-(a) parameter in regime PN with
    $2 \\le n_0 \\le 4$, $n_1 \\le 16$ (each candidate may fail and costs the engine an exact equivalence);
    ``()`` when no hidden neuron stays at distance from $\\overline P$ or the type is not decided
    within ``budget`` seconds (and the pieces within as many more)."""
    if bottleneck_case(net) != "a" or not 2 <= net.widths[0] <= 4 or net.widths[1] > 16:
        return ()
    try:
        t = combinatorial_type(net, budget=budget)
        live = _live(net)
        if t.regime != "PN" or live is None:
            return ()
        clock = _Clock(budget, None, "candidate witnesses: the pieces of the closure of P")
        pieces = [Q for Q, _ in closed_pieces(live, clock)[0] if Q is not None and Q.vertices]
    except SemialgError:
        return ()
    view = OuterView.of(net)
    hidden = [k for k, cls in enumerate(t.classes) if cls in ("U+", "U-", "U+-")]
    signs, gaps = {k: [] for k in hidden}, {}
    for Q in pieces:
        x = _inside(Q)
        if not view.inner(x)[0] > 0:
            return ()
        for k in hidden:
            s = dot(view.w[k], x) + view.b[k]
            signs[k].append(s > 0)
            low = min(dot(view.w[k], p) + view.b[k] for p in Q.vertices) if s > 0 else \
                min(-dot(view.w[k], p) - view.b[k] for p in Q.vertices)
            gaps[k] = low if k not in gaps else min(gaps[k], low)
    movable = [k for k in hidden if gaps.get(k, _ZERO) > 0]
    if not movable or not pieces:
        return ()
    rows = [[view.v[k] if signs[k][q] else _ZERO for k in movable] + [fmpq(-1)] for q in range(len(pieces))]
    out = []
    for direction in nullspace(rows):
        delta, shift = direction[:-1], direction[-1]
        if not any(delta):
            continue
        scale = min(gaps[k] / (2 * abs(d)) for k, d in zip(movable, delta, strict=True) if d != 0)
        for s in (scale, -scale, scale / 8, -scale / 8):
            moving = [(k, s * d) for k, d in zip(movable, delta, strict=True) if d != 0]
            move = ShiftHiddenBiases(tuple(k for k, _ in moving), tuple(x for _, x in moving), -s * shift)
            label = ", ".join(f"b_{k + 1} {_signed(x)}" for k, x in moving)
            out.append((MoveLabel(f"hidden neurons {', '.join(str(k + 1) for k, _ in moving)} shifted together: "
                                  f"{label}, e {_signed(-s * shift)}", move), move.build(net)))
    return tuple(out)
