r"""Constant case-(a) functions on a line: when the fibre has full dimension $D - n_3$ at $\theta$.

Let $n_0 = 1$, $c \ne 0$ and $h \le 0$ everywhere (regime constant), so that $f \equiv d$. Every member near
$\theta$ has $d' = d$ (:mod:`~semialg.families.bottleneck.recession`), so the local dimension is at most
$D - n_3$, and it is $D - n_3$ exactly when $\theta$ lies in the closure of the interior of the set
$\mathcal N = \{\theta' : h' \le 0\}$ (with $d' = d$, $c'$ free): near such interior points every parameter but
$d$ moves freely.

**Interior points.** Let every first-layer weight $w'_i$ be non-zero, $h' < 0$ at every kink $-b'_i/w'_i$ (and at
$0$), and at each end of the line either no neuron active or the outward slope negative: at $+\infty$
$\sum_{w'_i > 0}v'_iw'_i < 0$, at $-\infty$ $\sum_{w'_i < 0}v'_iw'_i > 0$. Then $\theta'$ is interior to
$\mathcal N$: near $\theta'$ the signs of the $w'$ (so the active sets at the ends), the kinks' values and the end
slopes keep their strict signs, and a piecewise-linear function negative at its kinks with such ends is negative
everywhere. $\square$

**The tilt** (:func:`line_tilt`). For signs $s_i$, ratios $r_i > 0$ and orders $j_i \ge 0$ of the flat neurons
($w_i = 0$) let $\theta_\epsilon$ have $w'_i = s_ir_i\epsilon^{1 + j_i}$ for them, every $v'_i = v_i - \epsilon$ and
$e' = e - \epsilon$ (the other parameters kept): $\theta_\epsilon \to \theta$. Every quantity above is a Laurent
polynomial in $\epsilon$ — kinks of the flat neurons lie at $-b_i/(s_ir_i\epsilon^{1 + j_i})$ — so, evaluated at
$x = X/\epsilon^K$ ($K$ the largest $1 + j_i$) and multiplied by $\epsilon^K > 0$ (which keeps every sign, $\sigma$
being positively homogeneous), a polynomial: its sign for all small $\epsilon > 0$ is that of its lowest non-zero
coefficient. When every condition holds in that sense,
$\theta_\epsilon$ is interior for all small $\epsilon$, and the local dimension is $D - n_3$. Lowering every $v$
and $e$ only lowers $h$ and makes each end slope with an active neuron strictly negative; the flat neurons are what
the signs and ratios are searched for (a positive one tilted towards an end where others fall, a pair tilted
together with the negative one dominating, a dead positive one tilted an order less than an unused one that
falls where it wakes).

>>> from semialg.core.network import Network
>>> from semialg.families.bottleneck.types import combinatorial_type
>>> net = Network.from_arrays([[[0], [-3], [-1]], [[1, -2, 1]], [[1], [-1]]], [[0, -3, -1], [0], [0, 1]])
>>> line_tilt(net, combinatorial_type(net)) is not None        # a zero neuron of v = 1 tilted towards -infinity
True
"""

from __future__ import annotations

import itertools

from flint import fmpq, fmpq_poly

from semialg.core.network import Network
from semialg.families.bottleneck.views import OuterView

__all__ = ["RATIOS", "line_tilt", "tilted_network", "line_tilt_bounds"]

#: The ratios $r_i$ tried for each flat neuron (with both signs and orders $\epsilon$, $\epsilon^2$): $12^k$ tilts
#: for $k$ flat neurons.
RATIOS = (fmpq(1), fmpq(1, 4), fmpq(4))
#: The most polynomial evaluations ($12^k n_1^2$) :func:`line_tilt` spends before answering ``None``.
_MAX_WORK = 10 ** 6


def _sign(p: fmpq_poly) -> int:
    """The sign of the polynomial ``p`` of $\\epsilon$ for all small $\\epsilon > 0$."""
    coeffs = p.coeffs()
    low = next((x for x in coeffs if x != 0), fmpq(0))
    return (low > 0) - (low < 0)


def _interior(w, b, v, e) -> bool:
    """Whether the tilted inner network (weights, output weights and bias polynomials in $\\epsilon$, the flat
    neurons' weights $s r\\epsilon^{1 + j}$) is interior for all small $\\epsilon$."""
    signs = [_sign(x) for x in w]
    if 0 in signs:
        return False
    for side in (1, -1):
        active = [i for i, s in enumerate(signs) if s == side]
        if active and _sign(sum((v[i] * w[i] for i in active), fmpq_poly([0]))) != -side:
            return False
    # epsilon^K h at x = X / epsilon^K: sum_i v_i sigma(w_i X + b_i epsilon^K) + e epsilon^K, K the top order
    K = max(1, *(wi.degree() for wi in w))
    scale = fmpq_poly([0] * K + [1])
    for X in [_kink(wi, bi, K) for wi, bi in zip(w, b, strict=True)] or [fmpq_poly([0])]:
        total = e * scale
        for wi, bi, vi in zip(w, b, v):
            z = wi * X + bi * scale
            if _sign(z) > 0:
                total += vi * z
        if _sign(total) >= 0:
            return False
    return True


def _kink(wi: fmpq_poly, bi: fmpq, K: int) -> fmpq_poly:
    r"""$X = \epsilon^K x$ at the kink $x = -b_i/w_i$, ``w`` a monomial $c\,\epsilon^d$, $d \le K$."""
    d = wi.degree()
    return fmpq_poly([0] * (K - d) + [-bi / wi[d]])


def line_tilt(net: Network, t) -> tuple[tuple[int, fmpq, int], ...] | None:
    r"""Signs, ratios and orders $(s_i, r_i, j_i)$ of the flat neurons (in neuron order) for which the tilt $\theta_\epsilon$
    of the module docstring is interior to $\{h' \le 0\}$ for all small $\epsilon > 0$, at a case-(a) parameter
    with $n_0 = 1$, $c \ne 0$ and $h \le 0$ everywhere (regime constant); ``None`` when none of the tried tilts
    (:data:`RATIOS`, orders 0 and 1) is, or the conditions fail. Then the fibre's local dimension at ``net`` is
    $D - n_3$. Cost: $O(n_1^2)$ polynomial operations per tilt, at most $12^k$ tilts for $k$ flat neurons (at most
    $10^6$ operations in all).

    >>> from semialg.core.network import Network
    >>> from semialg.families.bottleneck.types import combinatorial_type
    >>> net = Network.from_arrays([[[0], [0]], [[-1, 1]], [[1], [-1]]], [[3/2, 1/2], [0], [0, 1]])     # h = -1
    >>> line_tilt(net, combinatorial_type(net))   # both rows tilted towards +oo: slope -2 eps^2 there
    ((1, 1, 0), (1, 1, 0))
    """
    view = OuterView.of(net)
    if net.widths[0] != 1 or t.regime != "constant" or not any(view.c):
        return None
    w0 = [row[0] for row in view.w]
    flat = [i for i, x in enumerate(w0) if x == 0]
    choices = [(s, r, j) for j in (0, 1) for s in (1, -1) for r in RATIOS]
    if len(choices) ** len(flat) * len(w0) ** 2 > _MAX_WORK:
        return None
    v = [fmpq_poly([x, -1]) for x in view.v]
    e = fmpq_poly([view.e, -1])
    for tilt in itertools.product(choices, repeat=len(flat)):
        w = [fmpq_poly([x]) for x in w0]
        for i, (s, r, j) in zip(flat, tilt, strict=True):
            w[i] = fmpq_poly([0] * (1 + j) + [s * r])
        if _interior(w, view.b, v, e):
            return tilt
    return None


def tilted_network(net: Network, tilt, eps: fmpq) -> Network:
    r"""$\theta_\epsilon$ of the module docstring for ``tilt`` from :func:`line_tilt` (flat neurons' rows
    $s_ir_i\epsilon^{1 + j_i}$, every $v$ and $e$ lowered by $\epsilon$, the rest kept). Cost: $O(D)$.

    >>> net = Network.from_arrays([[[0], [1]], [[1, -1]], [[1]]], [[0, 0], [0], [0]])
    >>> tilted_network(net, ((-1, fmpq(1), 0),), fmpq(1, 10)).weights[0]
    ((-1/10,), (1,))
    """
    tilts, W = iter(tilt), []
    for (w,) in net.weights[0]:
        if w == 0:
            s, r, j = next(tilts)
            w = s * r * eps ** (1 + j)
        W.append([w])
    return Network.from_arrays([W, [[v - eps for v in net.weights[1][0]]], *net.weights[2:]],
                               [net.biases[0], [net.biases[1][0] - eps], *net.biases[2:]])


def line_tilt_bounds(net: Network, t) -> tuple[int, int] | None:
    r"""$(D - n_3, D - n_3)$, the local dimension of the fibre at ``net``, when :func:`line_tilt` finds a tilt;
    ``None`` otherwise. Cost: that of :func:`line_tilt`.

    >>> from semialg.core.network import Network
    >>> from semialg.families.bottleneck.types import combinatorial_type
    >>> net = Network.from_arrays([[[0], [0]], [[-1, 1]], [[1], [-1]]], [[3/2, 1/2], [0], [0, 1]])
    >>> line_tilt_bounds(net, combinatorial_type(net))                       # 11 parameters, d fixed
    (9, 9)
    """
    if line_tilt(net, t) is None:
        return None
    full = net.architecture.num_parameters - net.widths[-1]
    return full, full
