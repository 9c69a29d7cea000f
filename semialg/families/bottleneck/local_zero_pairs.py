r"""Zero neurons of both signs of $v$ kept apart: a family of its own for the lower bounds of
:mod:`semialg.families.bottleneck.local`.

For a case-(a) parameter with $c \ne 0$ and $n_0 \ge 2$, zero neurons ($w = 0 = b$, $v \ne 0$) of opposite signs
of $v$ may part as cancelling twins ($v_i\sigma(\ell) + v_j\sigma(\ell/\mu) = 0$, the pair's moves in
:mod:`semialg.engine.tangent`); that family does not combine with the silent moves of each zero neuron alone
(:func:`~semialg.families.bottleneck.local.silent_neuron_moves`: one with $v < 0$ lowering $h$ off $P$ with a row
in the cone of rows non-positive on $\overline P$, one with $v > 0$ waking far where $h_\infty < 0$), which
:mod:`~semialg.families.bottleneck.local` therefore leaves out. Kept apart, each zero neuron moves by its own silent
family: those are proved for one zero neuron whatever the others do as long as they only lower $h$ off $P$ or act
where $h \le -\varepsilon(1 + |x|)$, and they compose with the moves of :mod:`semialg.engine.tangent` that move no
parameter of a zero neuron but its output weight (they keep $h$ up to a positive factor). So the rank of those
moves and of the silent moves of every zero neuron is a lower bound of its own, taken when larger.

>>> from semialg.core.network import Network
>>> from semialg.families.bottleneck.local import silent_neuron_moves
>>> net = Network.from_arrays([[[-2, 1], [0, 0], [-1, 2], [0, 0]], [[-2, -2, -2, 2]], [[1], [-1]]],
...                           [[2, 0, 0, 0], [1], [0, 1]])
>>> parted_zero_lower_bound(net, [], lambda: silent_neuron_moves(net, set(), apart=True))   # pair parting: 10
11
"""

from __future__ import annotations

from flint import fmpq

from semialg.core.exact import rank
from semialg.core.network import Network
from semialg.engine.tangent import move_directions, parameter_offsets
from semialg.families.bottleneck.views import OuterView

__all__ = ["parted_zero_lower_bound"]


def parted_zero_lower_bound(net: Network, withdrawn: list[list[fmpq]], silent_apart) -> int:
    r"""The lower bound of the module docstring: the rank of the moves of :mod:`semialg.engine.tangent` (less
    ``withdrawn``) that move no row or bias of a zero neuron, and of every zero neuron's silent moves
    (``silent_apart()``: :func:`~semialg.families.bottleneck.local.silent_neuron_moves` with ``apart``); 0 unless
    $n_0 \ge 2$, $c \ne 0$ and zero neurons of both signs of $v$. Cost: one exact rank of $O(D)$ vectors of
    length $D$ and :func:`~semialg.families.bottleneck.local.silent_neuron_moves`."""
    view, n0 = OuterView.of(net), net.widths[0]
    zeros = [k for k, (w, b, v) in enumerate(zip(view.w, view.b, view.v, strict=True)) if not any(w) and b == 0 != v]
    if n0 < 2 or not any(view.c) or len({view.v[k] > 0 for k in zeros}) < 2:
        return 0
    (W_at, _, _), (b_at, _, _) = parameter_offsets(net.architecture)
    first = [m for m in move_directions(net) if m not in withdrawn
             and not any(any(m[W_at + k * n0:W_at + (k + 1) * n0]) or m[b_at + k] for k in zeros)]
    moves = first + silent_apart()
    return rank(moves) if moves else 0
