r"""Zero neurons waking as twins of hidden neurons (case (a)): a family of the fibre whose two one-sided
directions replace the lowering of the zero neuron's bias.

For $f = c\,\sigma(h) + d$, $h(x) = \sum_i v_i\sigma(z_i(x)) + e$, $z_i = w_i\cdot x + b_i$, $P = \{h > 0\}$,
$c \ne 0$: let $k$ be a zero neuron ($w_k = 0$, $b_k = 0$) with $v_k > 0$, and $j$ a U$+$ or U$-$ neuron whose
first-layer hyperplane $L$ has no non-empty set of its neurons of zero total jump $\sum v_i\lambda_i$ (so every
member near $\theta$ keeps $P$ on $j$'s side, the *kinks kept off* $P$ of :mod:`~semialg.families.bottleneck.local`).

**Statement.** For $s, \beta \ge 0$ small, putting $(w'_k, b'_k) = s(w_j, b_j) \mp (0, \beta)$ and
$v'_j = v_j - sv_k$ keeps the function — for U$+$ with the bias raised and $e' = e - v_k\beta$, for U$-$ with the
bias lowered. *Proof.* With $z = z_j$, $h' - h = v_k\sigma(sz + \beta) - sv_k\sigma(z) - v_k\beta$ (U$+$), which
is $0$ for $z \ge 0$, $sv_kz \le 0$ for $-\beta/s \le z \le 0$ and $-v_k\beta \le 0$ below; or
$v_k(\sigma(sz - \beta) - s\sigma(z)) \le 0$, $0$ for $z \le 0$ (U$-$). So $h' = h$ on $\bar P$ (on $j$'s active,
resp. inactive, side) and $h' \le h$ elsewhere: $\sigma(h') = \sigma(h)$, with no margin needed. $\square$ Done
after every other move of :mod:`~semialg.families.bottleneck.local`, from $j$'s moved row: those keep $f$, hence
$P$, and $P$ on $j$'s side; and $h$ only drops off $P$, so their conditions (upper bounds on $h$ there) still hold.
The family is linear in $(s, \beta)$ on a quadrant with apex $\theta$: its directions $\delta(w_k, b_k) = (w_j, b_j)$,
$\delta v_j = -v_k$ and $\delta b_k = 1$, $\delta e = -v_k$ (U$+$) or $\delta b_k = -1$ (U$-$) count for the lower
bound — but for U$+$ not with the lowering $\delta b_k = -1$ of the zero neuron's bias among the moves of
:mod:`semialg.engine.tangent`, which fails for $s > 0$ (it puts $-v_k\beta$ on $P$): that one is withdrawn. Near
$\theta$ the fibre contains both half-lines $b'_k < 0$ (dead) and $b'_k > 0$ (traded with $e$), but as a broken
line: one dimension, now counted by $\delta b_k = 1$ and the twin direction as the second.

>>> from semialg.core.network import Network
>>> net = Network.from_arrays([[[1], [0]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]])    # sigma(s(x) - 1): s(x) U+
>>> moves, withdrawn = zero_neuron_twins(net, [((1, 0), [0])])   # x = 0, neuron 0 alone on it: (w_1, v_0), (b_1, e)
>>> [[i for i, x in enumerate(m) if x] for m in moves], [[i for i, x in enumerate(m) if x] for m in withdrawn]
([[1, 4], [3, 6]], [[3]])
"""

from __future__ import annotations

import functools

from flint import fmpq

from semialg.core.exact import sparse_vector
from semialg.core.network import Network
from semialg.engine.tangent import parameter_offsets
from semialg.families.bottleneck.types import BottleneckType, combinatorial_type
from semialg.families.bottleneck.views import OuterView

__all__ = ["zero_neuron_twins"]

_ONE = fmpq(1)


def zero_neuron_twins(net: Network, hidden_lines: list[tuple[tuple, list[int]]], t: BottleneckType | None = None,
                      woken: set = frozenset()) -> tuple[list[list[fmpq]], list[list[fmpq]]]:
    r"""``(moves, withdrawn)`` of the module docstring for a case-(a) parameter with $c \ne 0$: for every zero
    neuron $k$ with $v_k > 0$ the twin direction towards one U$-$ neuron (preferred: nothing to withdraw) or U$+$
    neuron $j$ on a hyperplane without cancelling subsets, with the bias direction of that side, and for U$+$ the
    lowering $\delta b_k = -1$ to withdraw from the moves of :mod:`semialg.engine.tangent`. None when a zero
    neuron has $v < 0$ and $n_0 \ge 2$ (then zero neurons part as cancelling pairs there). ``hidden_lines``: the
    hyperplanes of the U$+$ and U$-$ neurons without cancelling subsets (normalised rows) with their neurons, as
    :func:`~semialg.families.bottleneck.local.unseen_kink_equations` finds them; ``woken``: zero neurons that wake
    far away instead (:func:`~semialg.families.bottleneck.local.silent_neuron_moves`), left out.
    Cost: $O(n_1D)$, and :func:`~semialg.families.bottleneck.types.combinatorial_type` when ``t`` is ``None``.
    """
    view = OuterView.of(net)
    zeros = [k for k, (w, b) in enumerate(zip(view.w, view.b, strict=True)) if not any(w) and b == 0]
    if not any(view.c) or not any(view.v[k] > 0 for k in zeros) \
            or (net.widths[0] >= 2 and any(view.v[k] < 0 for k in zeros)):
        return [], []
    t = t or combinatorial_type(net)
    hidden = sorted((t.classes[j] == "U+", j) for _, members in hidden_lines for j in members
                    if t.classes[j] in ("U-", "U+"))
    if not hidden:
        return [], []
    upper, j = hidden[0]
    n0, D = net.widths[0], net.architecture.num_parameters
    (W_at, v_at, _), (b_at, e_at, _) = parameter_offsets(net.architecture)
    unit = functools.partial(sparse_vector, D)
    moves, withdrawn = [], []
    for k in (k for k in zeros if view.v[k] > 0 and k not in woken):
        row = [(W_at + k * n0 + q, x) for q, x in enumerate(view.w[j])] + [(b_at + k, view.b[j])]
        moves.append(unit(*row, (v_at + j, -view.v[k])))
        if upper:
            moves.append(unit((b_at + k, _ONE), (e_at, -view.v[k])))
            withdrawn.append(unit((b_at + k, -_ONE)))
    return moves, withdrawn
