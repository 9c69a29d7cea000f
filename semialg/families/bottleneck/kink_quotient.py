r"""Local dimensions of wide case-(a) bottleneck parameters in the quotient by their seen kinks.

For a case-(a) parameter $\theta$ every neuron $k$ on a seen line without cancelling subsets keeps its row
$(w'_k, b'_k)$ on the line $\mathbb{R}\theta_k$, $\theta_k = (w_k, b_k)$, near $\theta$ in the fibre
(:mod:`~semialg.families.bottleneck.kink_equations`, *kink lines seen on* $P$): $n_0$ independent equations
$E_k$ on the block of neuron $k$, with kernel $\mathbb{R}\theta_k$. Let $K$ be the block-diagonal basis of
$\ker E$ ($\theta_k$ on those blocks, the identity elsewhere) and $J$ the Jacobian rows at inputs where $\theta$
is smooth in its parameters. Then $\operatorname{rank}[E; J] = \operatorname{rank} E + \operatorname{rank} JK$
(the rows of $J$ count modulo those of $E$ exactly as $J$ acts on $\ker E$), so

$$\dim_\theta F \le D - \operatorname{rank}[E; J] = C - \operatorname{rank} JK, \qquad C = D - n_0|E|,$$

and every move $m$ of the fibre lies in $\ker E$: $m = K\tilde m$, $\operatorname{rank} M = \operatorname{rank}
\tilde M$. $JK$ is the Jacobian with each such block replaced by the derivative along $\theta_k$ (the
neuron's scaling): $C$ columns instead of $D$ — at 784-64-1-10, 178 of 50,325 — so the sampled rows of
:func:`~semialg.engine.jacobian.sampled_batch` (projected input by input) reach the bound where the full
Jacobian would need gigabytes.

>>> from semialg.families.bottleneck.types import combinatorial_type
>>> net = Network.from_arrays([[[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], [[1, 1, -1, 2]], [[1], [2]]],
...                           [[0, 0, 0, -1], [-1], [0, 0]])
>>> quotient_bounds(net, combinatorial_type(net))     # the rescalings of the four neurons and mu
(5, 5)
"""

from __future__ import annotations

import numpy as np
from flint import fmpq

from semialg.core.exact import rank, sparse_modular_rank
from semialg.core.modular import residues
from semialg.core.network import Network
from semialg.engine.jacobian import blocks_rank_mod, sampled_batch
from semialg.engine.tangent import move_entries, parameter_offsets
from semialg.families.bottleneck.kink_equations import uncancelled_neurons
from semialg.families.bottleneck.types import BottleneckType, _one_signed
from semialg.families.bottleneck.views import OuterView, _ONE, _ZERO, _unit

__all__ = ["quotient_bounds"]


def quotient_bounds(net: Network, t: BottleneckType, deadline: float | None = None) -> tuple[int, int] | None:
    r"""Proven bounds $(\operatorname{rank}\tilde M, C - \operatorname{rank} JK)$ on the dimension at ``net`` of
    the fibre of its function (module docstring), from the moves of :func:`~semialg.engine.tangent.move_entries`
    (with the trade $\delta e = 1$, $\delta d = -c$ when the weights alone give $h > 0$) and Jacobian rows at
    sampled inputs until ``deadline`` (:func:`time.monotonic`); ``None`` when the quotient
    does not apply: $c = 0$, no seen line without cancelling subsets, or a zero neuron ($w = 0 = b$: the
    Jacobian is not defined at any input). $\operatorname{rank}\tilde M$ is taken modulo a prime, on sparse rows
    (:func:`~semialg.core.exact.sparse_modular_rank`, a lower bound on the rank over $\mathbb{Q}$). Cost:
    $O(n_1(n_0 + n_3))$ for the moves and their rank (a few entries per move), and :func:`~semialg.engine.jacobian.sampled_batch` with $C$ columns: per input an exact
    activation pattern ($O(n_1n_0)$) and the modular rows $JK$ (:func:`~semialg.engine.jacobian.jacobian_mod` along
    $K$, $O(n_3C + n_1n_0)$); at most nine modular ranks of about $C \times C$."""
    view = OuterView.of(net)
    if not any(view.c) or any(not live and b == 0 for live, b in zip(view.w.nonzero_rows(), view.b, strict=True)):
        return None
    pinned = [k for members in uncancelled_neurons(net, t, ("V",)) for k in members]
    if not pinned:
        return None
    n0, n1, D = net.widths[0], net.widths[1], net.architecture.num_parameters
    # K's columns on the first layer: theta_k for a pinned neuron (q None), the n0 + 1 unit vectors for the others
    pinned_at = set(pinned)
    order = [(i, None if i in pinned_at else q)
             for i in range(n1) for q in (range(1) if i in pinned_at else range(n0 + 1))]
    T = _direction_residues(view, order)
    trade = []
    if getattr(_one_signed(view), "regime", None) == "T":     # h >= e' > 0: sigma(h') = h' near net
        _, b_at = parameter_offsets(net.architecture)
        trade = [[(b_at[1], _ONE)] + [(b_at[2] + r, -c) for r, c in enumerate(view.c)]]
    moves = _reduced_moves(move_entries(net, frozenset((0, i) for i in pinned_at)) + trade, view, order, n0, n1, D)
    if moves is None or T is None:
        return None
    moves += _pinned_rescalings(view, order)
    C = len(order) + D - n1 * (n0 + 1)
    lower = sparse_modular_rank(moves)      # a lower bound on the rank: what the lower bound on dim needs
    if lower is None:
        lower = rank([[row.get(j, _ZERO) for j in range(C)] for row in moves]) if moves else 0
    # batch sizes only: the outputs' rows of one input differ by c_j times one row through h and by the c, d
    # columns, soon spanned, so an input adds about one to the rank, not n3, and one random combination of its rows
    # carries it; about 1 kept input in 18 has h <= 0 and adds almost nothing: the first rank is taken at bound / 0.9
    # inputs, where it mostly reaches the bound (784-4096-1-10: at 2,058 inputs it could not, and three ranks were taken)
    first = (np.array([i for i, _ in order]), T)
    batch = sampled_batch(net, C - lower, deadline=deadline, first=first, per_input=1, keep=_positive(net), gain=0.9)
    return (lower, lower) if batch.reached else (lower, C - blocks_rank_mod(batch.blocks, deadline, batch.rank))


def _direction(view: OuterView, i: int, q: int | None) -> tuple:
    """The direction $(i, q)$ of :func:`quotient_bounds`' ``order``: $(w_i, b_i)$ if $q$ is ``None``, else $e_q$."""
    return view.w.row(i) + (view.b[i],) if q is None else _unit(view.w.shape[1] + 1, q)


def _direction_residues(view: OuterView, order: list) -> np.ndarray | None:
    r"""The residues of the directions (:func:`_direction`) in ``order``, as $(i, q)$: a pinned neuron's row
    $(w_i, b_i)$ ($q$ ``None``) is read off the residues of the whole layer (integer form: 0.05 s at 784-4096,
    against 1.5 s from 3.2 million rationals), the others are unit vectors $e_q$; ``None`` when $p$ divides a
    denominator of those rows."""
    Wr, br = residues(view.w), residues([view.b])
    if Wr is None or br is None:
        return residues([_direction(view, i, q) for i, q in order])
    T = np.zeros((len(order), Wr.shape[1] + 1), dtype=np.int64)
    pinned = [(j, i) for j, (i, q) in enumerate(order) if q is None]
    units = [(j, q) for j, (_, q) in enumerate(order) if q is not None]
    if pinned:
        J, I = map(list, zip(*pinned))
        T[J] = np.concatenate([Wr, br.T], axis=1)[I]
    if units:
        J, Q = map(list, zip(*units))
        T[J, Q] = 1
    return T


def _positive(net: Network):
    r"""Which sampled inputs to keep: those with $h(x) > 0$ in floats, and one candidate in 32 whatever its $h$.
    Where $h < 0$ the function is locally constant and an input adds no row through the first two layers
    (784-4096-1-10: 30-43% of random inputs have $h > 0$); a few such inputs are still needed, as only they tell the
    bias of $h$ from the output bias. ``None`` when the weights overflow floats."""
    if not all(np.isfinite(W).all() and np.isfinite(b).all() for W, b in net.float_layers()):
        return None
    return lambda X: (net.float_preactivations(X, 2)[1][:, 0] > 0) | (np.arange(len(X)) % 32 == 0)


def _pinned_rescalings(view: OuterView, order: list) -> list[dict[int, fmpq]]:
    r"""The rescaling field of each pinned neuron $k$ reduced as :func:`_reduced_moves` would: 1 on its column
    ($\alpha = 1$ along $\theta_k$), $-v_k$ on its output weight's. Written here, not read back from its
    $n_0 + 2$ entries (784-4096-1-10: 3.2 million rationals of the first layer, 2.7 s)."""
    return [{j: _ONE} | ({len(order) + i: -view.v[i]} if view.v[i] else {}) for j, (i, q) in enumerate(order)
            if q is None]


def _reduced_moves(moves: list, view: OuterView, order: list, n0: int, n1: int,
                   D: int) -> list[dict[int, fmpq]] | None:
    r"""The ``moves`` $m$ (sparse entries) as $\tilde m$ with $K\tilde m = m$, in the columns of
    :func:`~semialg.engine.jacobian.jacobian_mod` with ``first`` the directions of ``order``
    (:func:`_direction`): on a pinned row the factor $\alpha$ with $m_k = \alpha\theta_k$, on the others their
    coordinates, then the later layers' parameters; each a ``{column: value}`` dict (a move touches a few neurons:
    dense rows of 784-4096-1-10 took 33 million rationals); ``None`` if a move is not of that form (no move of
    :func:`~semialg.engine.tangent.move_entries` leaves $\ker E$, and then the quotient is not used)."""
    column, pinned = {}, {}
    for j, (i, q) in enumerate(order):
        if q is None:
            pinned[i] = j
        else:
            column[(i, q)] = j
    end, m = n1 * (n0 + 1), len(order)
    out = []
    for entries in moves:
        vector, along = {}, {}
        for index, x in entries:
            if index >= end:
                vector[m + index - end] = vector.get(m + index - end, _ZERO) + x
                continue
            i, q = divmod(index, n0) if index < n1 * n0 else (index - n1 * n0, n0)
            if (i, q) in column:
                vector[column[(i, q)]] = vector.get(column[(i, q)], _ZERO) + x
            else:
                along.setdefault(i, [_ZERO] * (n0 + 1))[q] += x
        for i, delta in along.items():
            d = _direction(view, i, None)
            p = next(q for q, x in enumerate(d) if x != 0)
            alpha = delta[p] / d[p]
            if any(u != alpha * x for u, x in zip(delta, d, strict=True)):
                return None
            vector[pinned[i]] = alpha
        out.append({j: x for j, x in vector.items() if x != 0})
    return out
