r"""Rows kept on the line of a case-(a) bottleneck parameter whose live rows lie on one line: the equations of
the theorem *rows kept on the line* of :mod:`semialg.families.bottleneck.local` (stated and proved there), for its
upper bounds."""

from __future__ import annotations

import functools
import itertools

from flint import fmpq

from semialg.core.exact import normalise_row, sparse_vector
from semialg.core.network import Network
from semialg.engine.tangent import parameter_offsets
from semialg.families.bottleneck.constant_fibre import computes_constant
from semialg.families.bottleneck.kink_equations import SUBSET_LIMIT
from semialg.families.bottleneck.types import BottleneckType, combinatorial_type
from semialg.families.bottleneck.views import OuterView

__all__ = ["line_row_equations"]


def line_row_equations(net: Network, t: BottleneckType | None = None) -> list[list[fmpq]]:
    r"""Gradients at ``net`` of the minors $u_pw'_{k,q} - u_qw'_{k,p}$ ($q \ne p$, $p$ the first non-zero
    coordinate of $u$) for every neuron $k$ of *rows kept on the line* (:mod:`~semialg.families.bottleneck.local`):
    a non-constant case-(a) parameter with $n_0 \ge 2$ whose neurons with $v \ne 0$ have rows on one line
    $\mathbb{R}u$ or zero rows, $k$ on the line with no set of neurons at its point containing it of zero total jump
    $\sum v_j|\lambda_j|$ (or in the one opposite pair of the docstring).
    Near ``net`` these vanish on the fibre. Cost: $O(n_1D)$ plus $2^{m}$ sums for $m$ neurons on one point.

    >>> from semialg.core.network import Network
    >>> twins = Network.from_arrays([[[-2, -1, 1], [-3, -3/2, 3/2]], [[3, 1]], [[1]]], [[-2, -3], [-1], [0]])
    >>> len(line_row_equations(twins))    # h = 9 s(z) - 1 (z = -2x - y + z' - 2... ): two minors per twin
    4
    """
    view, n0, D = OuterView.of(net), net.widths[0], net.architecture.num_parameters
    live = [k for k, (w, v) in enumerate(zip(view.w, view.v, strict=True)) if v != 0 and any(w)]
    if n0 < 2 or not live or computes_constant(net, t or combinatorial_type(net)):
        return []
    u = normalise_row(view.w[live[0]])[0]
    p = next(q for q, x in enumerate(u) if x != 0)
    lam = {k: view.w[k][p] for k in live}
    if any(tuple(lam[k] * x for x in u) != tuple(view.w[k]) for k in live):
        return []
    jumps: dict = {}
    for k in live:
        jumps.setdefault(-view.b[k] / lam[k], {})[k] = view.v[k] * abs(lam[k])
    kept, cancelling = [], []
    for at_point in jumps.values():
        if len(at_point) > SUBSET_LIMIT:
            cancelling += list(at_point)        # not tested: counted as cancelling, never kept
            continue
        for k, a in at_point.items():
            others = [x for j, x in at_point.items() if j != k]
            zero_sum = any(sum(c, a) == 0 for m in range(len(others) + 1) for c in itertools.combinations(others, m))
            (cancelling if zero_sum else kept).append(k)
    if len(cancelling) == 2 and len(live) == len(view.v) and lam[cancelling[0]] * lam[cancelling[1]] < 0:
        kept += cancelling              # one opposite pair, nothing to cancel its affine part: it stays too
    (W_at, *_), _ = parameter_offsets(net.architecture)
    unit = functools.partial(sparse_vector, D)
    return [unit((W_at + k * n0 + q, u[p]), (W_at + k * n0 + p, -u[q])) for k in kept for q in range(n0) if q != p]
