r"""Candidate witnesses for case-(a) bottlenecks: the biases of hidden first-layer neurons shifted together, the
bottleneck bias compensating, so that $h$ is unchanged on every component of $P$.

A hidden first-layer neuron $k$ ($H_k$ misses $P$, $z_k = w_k\cdot x + b_k$) has one sign on each piece of
$\overline P$; shifting $b_k$ by $\delta_k$ keeps these signs when $\delta_k$ is smaller than the distance (in
$|z_k|$) of the pieces it moves towards: the pieces where $z_k < 0$ bound $\delta_k > 0$ and those where $z_k > 0$
bound $\delta_k < 0$, so $H_k$ may touch $\overline P$ and still move away from it. The shift changes $h$ on a piece
by $v_k\delta_k$ where $z_k > 0$ and by 0 where $z_k < 0$. *Lemma.* If
$\sum_k v_k\delta_k[z_k > 0 \text{ on } Q] = t$ for every piece $Q$ of $\overline P$ (a linear system in $(\delta,
t)$, one row per piece), then $h' = h + (\text{shifts}) - t$ equals $h$ on $P$, and $h' - h$ vanishes outside the
strips between $H_k$ and its shifted copy, where it is at most $\sum_k|v_k\delta_k| + |t|$; so $\sigma(h') = \sigma(h)$ when
$h' \le 0$ on those strips — true for small $\delta$ when $h$ stays below a negative bound there, and decided
exactly by the engine for each candidate (the candidates are not trusted). An opposite pair on a hyperplane between
two components of $P$ (both neurons U±) is the typical case: $h = 2\sigma(z) + 4\sigma(-z) - \sigma(3x + y + 2) -
2$ with $z = 2x - 2y + 1$ keeps $\sigma(h)$ with $b_0 + \delta$, $b_1 + \delta$, $e - 2\delta$ for small $|\delta|$.
Kernel directions of U− neurons ($t = 0$) and U+ neurons ($t = v_k$) are the moves of
:func:`~semialg.families.bottleneck.identifiability.hidden_neuron_witnesses` with another validity condition.

>>> net = Network.from_arrays([[[2, -2], [-4, 4], [3, 1]], [[2, 2, -1]], [[-3]]], [[1, -2, 2], [-2], [3]])
>>> [label for label, _ in shift_witnesses(net)][:1]
['hidden neurons 1, 2 shifted together: b_1 - 1/2, b_2 - 1/2, e + 1']

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


def _room(room: list, d: fmpq) -> fmpq | None:
    """How far $b_k$ may move per unit of ``d`` (``None``: no bound): ``room = [positive, negative]`` are the
    distances of the pieces where $z_k > 0$ and $z_k < 0$ from $H_k$ (``None`` when there are none)."""
    bound = room[1] if d > 0 else room[0]
    return None if bound is None else bound / abs(d)


def shift_witnesses(net: Network, budget: float = 5.0) -> tuple[tuple[str, Network], ...]:
    r"""Candidates from the module's shifts (labelled), one per kernel direction of the system, sign and scale
    ($\delta$ at half and a sixteenth of the room the pieces leave on the side each hyperplane moves towards), for
    a case-(a) parameter in regime PN with $2 \le n_0 \le 4$, $n_1 \le 16$ (each candidate may fail and costs the
    engine an exact equivalence); ``()`` when no hidden neuron can move or the type is not decided within
    ``budget`` seconds (and the pieces within as many more)."""
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
    signs, room = {k: [] for k in hidden}, {k: [None, None] for k in hidden}
    for Q in pieces:
        x = _inside(Q)
        if not view.inner(x)[0] > 0:
            return ()
        for k in hidden:
            positive = dot(view.w[k], x) + view.b[k] > 0
            signs[k].append(positive)
            low = min(abs(dot(view.w[k], p) + view.b[k]) for p in Q.vertices)
            # a shift towards the pieces where z_k < 0 (delta_k > 0) is bounded by their distance, and vice versa
            side = room[k][0 if positive else 1]
            room[k][0 if positive else 1] = low if side is None else min(side, low)
    if not pieces:
        return ()
    movable = [k for k in hidden if any(r is None or r > 0 for r in room[k])]
    if not movable:
        return ()
    rows = [[view.v[k] if signs[k][q] else _ZERO for k in movable] + [fmpq(-1)] for q in range(len(pieces))]
    out = []
    for direction in nullspace(rows):
        delta, shift = direction[:-1], direction[-1]
        if not any(delta):
            continue
        for sign in (1, -1):
            bounds = [_room(room[k], sign * d) for k, d in zip(movable, delta, strict=True) if d != 0]
            if any(r is not None and r <= 0 for r in bounds):
                continue
            scale = min((r for r in bounds if r is not None), default=fmpq(2))
            for s in (sign * scale / 2, sign * scale / 16):
                moving = [(k, s * d) for k, d in zip(movable, delta, strict=True) if d != 0]
                move = ShiftHiddenBiases(tuple(k for k, _ in moving), tuple(x for _, x in moving), -s * shift)
                label = ", ".join(f"b_{k + 1} {_signed(x)}" for k, x in moving)
                out.append((MoveLabel(f"hidden neurons {', '.join(str(k + 1) for k, _ in moving)} shifted "
                                      f"together: {label}, e {_signed(-s * shift)}", move), move.build(net)))
    return tuple(out)
