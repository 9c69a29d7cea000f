r"""The dimension of a case-(a) bottleneck fibre at one of its points: the first-order bounds of
:mod:`semialg.engine.tangent`, with equations from the kinks that $P = \{h > 0\}$ shows and moves of the hidden
neurons.

For $f = c\,\sigma(h) + d$ with $h(x) = \sum_i v_i\sigma(w_i\cdot x + b_i) + e$ (Grigsby et al., *Functional
dimension of feedforward ReLU neural networks*, 2022, for the first-order view of fibres):

**Kink lines seen on $P$.** Let $L$ be a first-layer hyperplane of $\theta$ that meets $P$, $c \ne 0$, and $S_L$
the neurons on $L$ with $v_k \ne 0$, their rows $(w_k, b_k) = \pm\lambda_k\ell_L$ ($\lambda_k > 0$). If no
non-empty subset of $S_L$ has $\sum v_k\lambda_k = 0$, every member $\theta'$ near $\theta$ keeps each
$(w'_k, b'_k)$ on the line $\mathbb{R}\ell_L$ (the $n_0$ equations of a $2\times 2$ minor per coordinate).
*Proof.* Take $x_0 \in L \cap P$ on no other hyperplane of $\theta$ and a ball $B \ni x_0$ inside $P$ meeting no
other hyperplane. For $\theta'$ near $\theta$, $h' > 0$ and $c'_r \ne 0$ on $B$ (some $c_r \ne 0$), so
$c'_r h' + d'_r = c_r h + d_r$ there: $h'$ kinks on $B$ along $L$ only. The hyperplanes of $\theta'$ crossing $B$
are those of neurons of $L$, of neurons with $v = 0$ and of zero rows; the slope jump of the neurons on one such
hyperplane is $\sum v'_k\lambda'_k$, within any $\varepsilon$ of $\sum_{S_L} v_k\lambda_k$ over those from $S_L$
(the others have $v'_k\lambda'_k$ near $0$). A hyperplane other than $L$ must carry jump $0$, so no neuron of
$S_L$: all of them lie on $L$. $\square$ Twins and opposite pairs on a seen line are where this matters: the
first-order conditions see only their sum, and would let them part.

**Robustly hidden neurons** ($n_0 \le 2$). Let $S_k$ be the closed active half-space of a U$-$ neuron $k$ (its
active side misses $P$), or the closed inactive half-space of a U$+$ neuron (its inactive side misses $P$; it is
affine on $P$). (i) If $\sup_{S_k} h < 0$, translating the neuron keeps the function: its bias for U$-$, its bias
traded with $e$ ($\delta e = -v_k\delta b_k$) for U$+$. (ii) If moreover $h \le -\varepsilon(1 + |x|)$ on $S_k$ —
the homogenised $h$ is negative on the closed cone over $S_k$ — every small move of $(w_k, b_k, v_k)$ (U$-$), and
every small move of the rows of such U$+$ neurons keeping $\sum v_k w_k$ (the trades
$\delta w_{k,j} = v_{k_0}$, $\delta w_{k_0,j} = -v_k$), keeps the function. Both are decided cell by cell from
the vertices and rays of the arrangement. *Proof.* A translation by $\delta$ changes $h$ by at most
$|v_k\delta|$, a move of the row by at most $C\delta(1 + |x|)$, and only near $S_k$: within distance $O(\delta)$
of it, resp. on a cone-shaped neighbourhood of it. There $h$ stays below $-\varepsilon$, resp.
$-\varepsilon(1 + |x|)$ ($h$ is Lipschitz), so that neighbourhood misses $\bar P$: on $P$ U$-$ neurons stay off
and U$+$ neurons on (their affine part is kept), $h' = h$; off $P$, $h' \le 0$. So $\sigma(h') = \sigma(h)$.
$\square$ They compose with the moves of the first-order bounds, which keep $h$ (when $c \ne 0$) and every
hidden neuron's row: done after those and before the rescalings. At a generic parameter these are the fibre's $u(n_0 + 1) - n_0[U^+ \ne \emptyset]$ hidden directions
(Grigsby, Lindsey and Rolnick's hidden symmetries), proved here at the point itself.

Both are exact statements about neighbourhoods, so :func:`local_dimension_bounds` stays a pair of proven bounds;
they meet on twins and opposite pairs on seen lines and at robustly hidden neurons, where the plain first-order
bounds do not.

>>> from semialg.core.network import Network
>>> from semialg.engine import tangent
>>> twins = Network.from_arrays([[[1, 0], [2, 0], [0, 1]], [[1, 1, -1]], [[1]]], [[0, 0, 0], [1], [0]])
>>> tangent.local_dimension_bounds(twins), local_dimension_bounds(twins)
((5, 7), (5, 5))
"""

from __future__ import annotations

import itertools
import math

from flint import fmpq

from semialg.core.exact import dot, fingerprint, normalise_row
from semialg.core.network import Network
from semialg.engine.tangent import local_dimension_bounds as first_order_bounds, parameter_offsets
from semialg.families.bottleneck.arrangement import NetworkArrangement
from semialg.families.bottleneck.types import BottleneckType, combinatorial_type
from semialg.families.bottleneck.views import OuterView, bottleneck_case

__all__ = ["CELL_LIMIT", "hidden_neuron_moves", "local_dimension_bounds", "seen_kink_equations"]

_ZERO, _ONE = fmpq(0), fmpq(1)
_SUBSET_LIMIT = 16     # neurons on one line beyond which the zero-sum test is skipped (the bound stays valid)

#: The largest first-layer arrangement (by the bound on its number of cells) for which, with $n_0 \ge 3$,
#: :func:`local_dimension_bounds` classifies the neurons (exact LPs per cell) for its extra equations and moves.
CELL_LIMIT = 4096


def local_dimension_bounds(net: Network, budget: float | None = 60.0,
                           progress: bool | None = None) -> tuple[int, int]:
    r"""Proven bounds on the dimension at ``net`` of its fibre: those of
    :func:`semialg.engine.tangent.local_dimension_bounds` (``budget`` and ``progress`` as there), for a case-(a)
    bottleneck with the equations of :func:`seen_kink_equations` and the moves of :func:`hidden_neuron_moves`
    (module docstring; computed only when the bounds do not meet without them) when $n_0 \le 2$ or the first
    layer's arrangement is small (at most :data:`CELL_LIMIT` cells by the bound $\sum_{i \le n_0}\binom{N}{i}$
    for $N$ hyperplanes).

    Cost: that of the first-order bounds plus, for the extras, the arrangement of the first layer ($O(N^2)$ cells
    in the plane, exact LPs otherwise), $O(N^2)$ generator pairs per cell and hidden neuron, and $2^{|S_L|}$
    subset sums per line.

    >>> from semialg.core.network import Network
    >>> far = Network.from_arrays([[[1, 0], [0, 1], [0, -1], [-1, 0], [-1, 0]], [[1, -1, -1, -2, -1]], [[1]]],
    ...                           [[0, 0, 0, 0, -5], [1], [0]])
    >>> local_dimension_bounds(far)       # opposite pairs on x = 0, y = 0, sigma(-x - 5) hidden; first order: (6, 13)
    (9, 9)
    """
    n0, n1 = net.widths[0], net.widths[1]
    if bottleneck_case(net) != "a" or (n0 > 2 and sum(math.comb(n1, i) for i in range(n0 + 1)) > CELL_LIMIT):
        return first_order_bounds(net, budget=budget, progress=progress)

    def extras():
        t = combinatorial_type(net)
        return seen_kink_equations(net, t), hidden_neuron_moves(net, t)

    return first_order_bounds(net, extras, budget, progress)


def seen_kink_equations(net: Network, t: BottleneckType | None = None) -> list[list[fmpq]]:
    r"""Gradients at ``net`` of the minors $\ell_{L,p}(w'_k, b'_k)_q - \ell_{L,q}(w'_k, b'_k)_p$ ($q \ne p$, $p$ the
    first non-zero coordinate of $\ell_L$) for every neuron $k$ of every seen line $L$ whose non-empty subsets
    of neurons all have $\sum v_k\lambda_k \ne 0$: near ``net`` these vanish on the fibre (module docstring).
    Cost: $O(n_1 D)$ plus $2^{|S_L|}$ sums per line.

    >>> from semialg.core.network import Network
    >>> pair = Network.from_arrays([[[1, 0], [-1, 0], [0, 1]], [[1, 2, -1]], [[1]]], [[0, 0, 0], [1], [0]])
    >>> len(seen_kink_equations(pair))    # every neuron stays on its seen line (x = 0 twice): 2 minors each
    6
    """
    t = t or combinatorial_type(net)
    if not any(OuterView.of(net).c):
        return []
    n0, D = net.widths[0], net.architecture.num_parameters
    (W_at, *_), (b_at, *_) = parameter_offsets(net.architecture)
    v = net.weights[1][0]
    lines: dict = {}
    for k, (w, b) in enumerate(zip(net.weights[0], net.biases[0], strict=True)):
        if t.classes[k] == "V":
            key, scale, _ = normalise_row(tuple(w) + (b,))
            lines.setdefault(fingerprint(key), (key, []))[1].append((k, v[k] * scale))
    at = lambda k, q: W_at + k * n0 + q if q < n0 else b_at + k  # noqa: E731
    out = []
    for key, members in lines.values():
        jumps = [j for _, j in members]
        if len(jumps) > _SUBSET_LIMIT or any(sum(c, _ZERO) == 0 for m in range(1, len(jumps) + 1)
                                             for c in itertools.combinations(jumps, m)):
            continue
        p = next(q for q, x in enumerate(key) if x != 0)
        for k, _ in members:
            for q in range(n0 + 1):
                if q != p:
                    g = [_ZERO] * D
                    g[at(k, q)] += key[p]
                    g[at(k, p)] -= key[q]
                    out.append(g)
    return out


def hidden_neuron_moves(net: Network, t: BottleneckType | None = None) -> list[list[fmpq]]:
    r"""Directions of exact moves of the robustly hidden neurons of a case-(a) parameter with $n_0 \le 2$ (module
    docstring): the bias of a U$-$ neuron with $\sup_{S_k} h < 0$, and its incoming and output weights when
    $h \le -\varepsilon(1 + |x|)$ on $S_k$; the bias trade $\delta b_k = 1$, $\delta e = -v_k$ of such a U$+$
    neuron, and the weight trades $\delta w_{k,j} = v_{k_0}$, $\delta w_{k_0,j} = -v_k$ among the U$+$ neurons of
    the second kind. Empty for $n_0 \ge 3$.
    Cost: the arrangement of the first layer ($O(N^2)$ cells in the plane, $N + 1$ intervals on the line) and
    $O(N^2)$ generator pairs per cell and hidden neuron.

    >>> from semialg.core.network import Network
    >>> far = Network.from_arrays([[[1, 0], [0, 1], [0, -1], [-1, 0], [-1, 0]], [[1, -1, -1, -2, -1]], [[1]]],
    ...                           [[0, 0, 0, 0, -5], [1], [0]])
    >>> len(hidden_neuron_moves(far))     # h = 3x + 6 - |y| on x <= -5: w, b, v of sigma(-x - 5) move
    4
    """
    t = t or combinatorial_type(net)
    n0, D = net.widths[0], net.architecture.num_parameters
    if n0 > 2 or not any(c in ("U-", "U+") for c in t.classes):
        return []
    view = OuterView.of(net)
    cones = _cones(net, view) if n0 == 2 else _cones_on_the_line(view)
    (W_at, W2_at, _), (b_at, e_at, _) = parameter_offsets(net.architecture)
    v = view.v

    def unit(*entries) -> list[fmpq]:
        g = [_ZERO] * D
        for index, value in entries:
            g[index] += value
        return g

    out, plus = [], []
    for k, cls in enumerate(t.classes):
        if cls not in ("U-", "U+"):
            continue
        key, _, sign = normalise_row(tuple(net.weights[0][k]) + (net.biases[0][k],))
        side = tuple(sign * x for x in key) if cls == "U-" else tuple(-sign * x for x in key)
        level = min(_robustness(side, gens) for gens in cones)
        if level == 0:
            continue
        if cls == "U-":
            out.append(unit((b_at + k, _ONE)))
            if level == 2:
                out += [unit((W_at + k * n0 + j, _ONE)) for j in range(n0)] + [unit((W2_at + k, _ONE))]
        else:
            out.append(unit((b_at + k, _ONE), (e_at, -v[k])))
            if level == 2:
                plus.append(k)
    for k in plus[1:]:
        k0 = plus[0]
        out += [unit((W_at + k * n0 + j, v[k0]), (W_at + k0 * n0 + j, -v[k])) for j in range(n0)]
    return out


def _cones(net: Network, view: OuterView) -> list[list]:
    r"""Per cell of the first layer's arrangement in the plane: its generators $(x, 1)$ (vertices) and $(r, 0)$
    (extreme rays), each with its $t$ and the homogenised $\tilde h$ there."""
    arr = NetworkArrangement((net,))
    maps = arr.affine_maps(arr.neuron_data(view.inner), arr.cells)
    return [[(x + (_ONE,), _ONE, dot(lin, x) + const) for x in cell.vertices]
            + [(r + (_ZERO,), _ZERO, dot(lin, r)) for r in cell.rays]
            for cell, (lin, const) in zip(arr.cells, maps, strict=True)]


def _cones_on_the_line(view: OuterView) -> list[list]:
    r"""As :func:`_cones` for $n_0 = 1$: the intervals between consecutive kinks of the first layer (and the two
    rays beyond), $h$ affine on each closed one, read off exact values at two of its points."""
    h = lambda x: view.inner((x,))[0]  # noqa: E731
    kinks = sorted({-b / w[0] for w, b in zip(view.w, view.b, strict=True) if w[0] != 0})
    if not kinks:
        kinks = [_ZERO]                 # h is affine: split the line anywhere

    def cell(lo, hi, gens):
        p, q = (lo, lo + 1) if hi is None else ((hi - 1, hi) if lo is None else (lo, hi))
        slope = (h(q) - h(p)) / (q - p)
        const = h(p) - slope * p
        return [(g, g[1], slope * g[0] + const * g[1]) for g in gens]

    out = [cell(None, kinks[0], [(kinks[0], _ONE), (-_ONE, _ZERO)]),
           cell(kinks[-1], None, [(kinks[-1], _ONE), (_ONE, _ZERO)])]
    out += [cell(a, b, [(a, _ONE), (b, _ONE)]) for a, b in zip(kinks, kinks[1:])]
    return out


def _robustness(side, gens) -> int:
    r"""2 if the linear map $\tilde h$ is negative on the closed cone generated by ``gens`` (triples: generator
    $(x, t)$, its $t$, $\tilde h$ there) cut by $\mathrm{side}\cdot(x, t) \ge 0$, the origin excepted; else 1 if
    it is negative there for $t > 0$ and non-positive for $t = 0$ ($h$ has a negative supremum on the cell's
    part of the half-space); else 0. Read off the generators on that side and the points where pairs of them
    across the plane meet it: the extreme rays of the cut cone are among these, and all of them lie in it."""
    zs = [dot(side, g) for g, _, _ in gens]
    points = [(t, val) for z, (_, t, val) in zip(zs, gens, strict=True) if z >= 0]
    points += [(zi * tj - zj * ti, zi * vj - zj * vi) for zi, (_, ti, vi) in zip(zs, gens, strict=True) if zi > 0
               for zj, (_, tj, vj) in zip(zs, gens, strict=True) if zj < 0]
    if all(val < 0 for _, val in points):
        return 2
    return 1 if all(val < 0 if t > 0 else val <= 0 for t, val in points) else 0
