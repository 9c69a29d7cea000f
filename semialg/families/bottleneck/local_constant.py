r"""The local dimension of a case-(a) bottleneck fibre at a parameter whose inner network is a positive constant.

Let $f = c\,\sigma(h) + d$ with $c \ne 0$ and $h \equiv \kappa > 0$ (regime T, $h$ constant: every neuron is
constant, unused, dead or cancelled by others), so $f \equiv c\kappa + d$.

**Theorem.** Near $\theta$ the fibre is $\{(W', b', v', e', c', d') : h' \text{ constant}, d' = f - c'h'(0)\}$, and
its dimension at $\theta$ is $\dim_{h - \kappa} Z + 1 + n_3$, $Z$ the shallow fibre of the zero function in
$n_0$-$n_1$-$1$ (the inner architecture). *Proof.* A member $\theta'$ near $\theta$ has $c'_r \ne 0$ for an output
$r$ with $c_r \ne 0$, so $\sigma(h') = (f_r - d'_r)/c'_r$ is a constant $\kappa'$; $h'(0)$ is near $\kappa > 0$, so
$\kappa' = \sigma(h'(0)) = h'(0) > 0$ and $h' \equiv \kappa'$ wherever $h' > 0$, i.e. everywhere ($h'$ is continuous
and takes only the values $\kappa'$ or $\le 0$, and $\mathbb{R}^{n_0}$ is connected). Conversely any $\theta'$ near
$\theta$ with $h'$ constant and $d' = f - c'h'(0)$ is a member. The map $h' \mapsto (h' - h'(0), h'(0))$ (only $e'$
changes) is a homeomorphism of the inner networks with $h'$ constant near $h$ onto $Z \times (\kappa - \epsilon,
\kappa + \epsilon)$ near $(h - \kappa, \kappa)$, and $c'$ is free: the fibre is locally homeomorphic to $Z \times
\mathbb{R} \times \mathbb{R}^{n_3}$. $\square$

**Positive inner networks.** If $c \ne 0$, $h \ge \delta > 0$ everywhere and $h$ is not constant, the fibre near
$\theta$ is locally homeomorphic to $Z_h \times (0, \infty) \times \mathbb{R}$, $Z_h$ the shallow fibre of $h$: its
dimension is $\dim_h Z_h + 2$. *Proof.* For a member $\theta'$ near $\theta$, $c'_r\sigma(h') = c_rh + d_r - d'_r$
for every $r$; with $c_r \ne 0$ (so $c'_r \ne 0$), $\sigma(h') = \mu h + \beta$, $\mu = c_r/c'_r$ near 1 and
$\beta = \sigma(h'(0)) - \mu h(0)$ near 0 ($h'(0)$ is near $h(0)$); so $\sigma(h') \ge \mu\delta + \beta > 0$
everywhere, $h' = \mu h + \beta$, and as $h$ is not constant every $c'_r = c_r/\mu$, $d'_r = d_r - \beta c_r/\mu$.
Conversely every such $\theta'$ is a member. The map $(g, \mu, \beta) \mapsto$ ($g$'s output weights and bias
times $\mu$, $\beta$ added to the bias, $c/\mu$, $d - \beta c/\mu$) from $Z_h \times (0, \infty) \times
\mathbb{R}$ is continuous and injective with a continuous inverse ($\mu, \beta$ read off $h'$ at two points where
$h$ differs). $\square$ Whether $h \ge \delta > 0$ is read at the vertices and rays of the first layer's cells.

**One-sided outer trade** (regime T: $h \ge 0$ everywhere, $c \ne 0$). For $t \ge 0$, $e' = e + t$,
$d' = d - tc$ keep $f$: $h + t \ge t \ge 0$, so $c\,\sigma(h + t) + d - tc = c\,h + d$. It composes with the moves
of :mod:`semialg.engine.tangent` (:func:`~semialg.engine.tangent.move_directions`: rescalings, free rows of
unused neurons, trades of constant neurons with $e$, twin trades, translations of affine lines, zero neurons
lowered or parting as cancelling twins), each of which keeps $h$ up to the positive factor by which $c$ shrinks
and keeps $d$: at such a member $h_1 = \mu h \ge 0$, and the trade applies there with $c_1$. So the rank of those
moves and the trade's direction is a lower bound (the family is defined on a half-space in $t$, which meets every
neighbourhood of $\theta$ in a set of full dimension). $\square$ The trade of
:func:`~semialg.families.bottleneck.local.outer_bias_trade` needs $h \ge \delta > 0$ (both signs of $t$, composing
with every move); where $h$ vanishes on an open set only this side is left.

So both bounds of the shallow local dimension of $Z$ (:meth:`semialg.families.shallow.fibre`'s
``local_dimension``, exact or its bounds when undecided) carry over, shifted by $1 + n_3$. The first-order
bounds miss this where the neurons' rows are pinned at 0 only by $h$ staying constant (an upper bound), or where
constant neurons of both signs of $v$ move $b'$ and $v'$ with $e'$ and $c'$ (a family the moves do not span).

>>> from semialg.core.network import Network
>>> net = Network.from_arrays([[[0], [0]], [[1, 1]], [[1], [-1]]], [[-1, -7], [1], [0, 1]])    # h = 1
>>> from semialg.families.bottleneck.types import combinatorial_type
>>> positive_constant_bounds(net, combinatorial_type(net))     # b, v of each neuron, e, c: d follows
(7, 7)
"""

from __future__ import annotations

from flint import fmpq

from semialg.core.exact import rank, sparse_vector
from semialg.core.network import Network
from semialg.engine.tangent import move_directions, parameter_offsets
from semialg.errors import UndecidedError
from semialg.families.bottleneck.cell_cones import cell_cones
from semialg.families.bottleneck.types import BottleneckType
from semialg.families.bottleneck.views import OuterView
from semialg.families.shallow import canonical_form, fibre as shallow_fibre

__all__ = ["one_sided_trade_lower_bound", "positive_constant_bounds", "positive_inner_bounds", "zero_fibre_bounds"]


def zero_fibre_bounds(inner: Network, kappa) -> tuple[int | None, int | None]:
    r"""Bounds ``(lower, upper)`` (``None`` where unknown) on the local dimension of the shallow fibre $Z$ of the
    zero function at the shallow network ``inner`` (widths $(n_0, n_1, 1)$, computing the constant ``kappa``) with
    its output bias lowered by ``kappa``. Cost: one shallow local dimension.

    >>> inner = Network.from_arrays([[[0], [0]], [[1, 1]]], [[-1, -7], [1]])     # 1: b, v of each neuron
    >>> zero_fibre_bounds(inner, 1)
    (4, 4)
    """
    n0, n1 = inner.widths[0], inner.widths[1]
    lowered = Network(inner.weights, (inner.biases[0], (inner.biases[1][0] - kappa,)))
    zero = Network.from_arrays([[[0] * n0] * n1, [[0] * n1]], [[0] * n1, [0]])
    try:
        value = shallow_fibre(zero).local_dimension(lowered)
        return value, value
    except UndecidedError as err:
        return (None, None) if err.bounds is None else tuple(err.bounds)


def positive_constant_bounds(net: Network, t: BottleneckType) -> tuple[int, int] | None:
    r"""Proven bounds on the local dimension at ``net`` of its fibre when $c \ne 0$ and $h$ is a positive constant
    $\kappa$ (module docstring: $\dim_{h - \kappa} Z + 1 + n_3$); ``None`` otherwise or when the shallow bounds are
    unknown. Cost: the canonical form of $h$ and one shallow local dimension.
    """
    view = OuterView.of(net)
    if t.regime != "T" or not any(view.c):
        return None
    K = canonical_form(view.inner)
    if K.kinks or any(map(any, K.linear)) or K.constant[0] <= 0:
        return None
    lower, upper = zero_fibre_bounds(view.inner, K.constant[0])
    if lower is None or upper is None:
        return None
    return lower + 1 + net.widths[3], upper + 1 + net.widths[3]


def positive_inner_bounds(net: Network, t: BottleneckType) -> tuple[int, int] | None:
    r"""Proven bounds on the local dimension at ``net`` of its fibre when $c \ne 0$, $h \ge \delta > 0$ everywhere
    and $h$ is not constant (module docstring, *positive inner networks*: the shallow fibre of $h$ at the inner
    network, plus 2); ``None`` otherwise, when the cells are not enumerated or the shallow bounds are unknown.
    Cost: the cells of the first layer and one shallow local dimension.

    >>> from semialg.families.bottleneck.types import combinatorial_type
    >>> net = Network.from_arrays([[[-1], [0]], [[2, 0]], [[1], [-2]]], [[1, 0], [1], [0, 1]])   # h = 2 s(1 - x) + 1
    >>> positive_inner_bounds(net, combinatorial_type(net))     # the neuron's scale, the unused row, mu and beta
    (5, 5)
    """
    view = OuterView.of(net)
    if t.regime != "T" or not any(view.c) or (cones := cell_cones(net)) is None or not all(
            val > 0 if s > 0 else val >= 0 for gens in cones for _, s, val in gens):
        return None
    K = canonical_form(view.inner)
    if not K.kinks and not any(map(any, K.linear)):
        return None
    try:
        value = shallow_fibre(view.inner).local_dimension(view.inner)
        lower, upper = value, value
    except UndecidedError as err:
        if err.bounds is None:
            return None
        lower, upper = err.bounds
    return lower + 2, upper + 2


def one_sided_trade_lower_bound(net: Network, t: BottleneckType) -> int | None:
    r"""The rank of the moves of :func:`~semialg.engine.tangent.move_directions` with the one-sided trade
    $\delta e = 1$, $\delta d = -c$ (module docstring), a lower bound on the local dimension at ``net`` of its fibre
    when $h \ge 0$ everywhere (regime T) and $c \ne 0$; ``None`` otherwise. Cost: one exact rank of $O(n_1)$ rows.

    >>> from semialg.families.bottleneck.types import combinatorial_type
    >>> net = Network.from_arrays([[[0, 3], [1, 3]], [[1, 2]], [[1], [-1]]], [["1/2", -7], [0], [0, 1]])
    >>> one_sided_trade_lower_bound(net, combinatorial_type(net))   # h = 0 where both neurons are off
    4
    """
    view = OuterView.of(net)
    if t.regime != "T" or not any(view.c):
        return None
    _, (_, e_at, d_at) = parameter_offsets(net.architecture)
    trade = sparse_vector(net.architecture.num_parameters, (e_at, fmpq(1)),
                          *((d_at + r, -c) for r, c in enumerate(view.c)))
    return rank(move_directions(net) + [trade])
