r"""The moves of bottleneck networks beyond $G$, as functions on parameters (each preserves the function
under its stated precondition).

Case (b): :func:`translate_hidden_hyperplane`, :func:`flip_kink`, :func:`trade_affine_block`,
:func:`reflect`; both cases: :func:`replace_neuron` (dead and hidden neurons).

>>> net = Network.from_arrays([[[1, 1]], [[1], [2]], [[1, -2]]], [[0], [-1, -6], [0]])   # hidden H
>>> translate_hidden_hyperplane(net, "1/2").biases[:2]
((1/2,), (-3/2, -7))
"""

from __future__ import annotations

from typing import Sequence

from flint import fmpq

from semialg.core.exact import to_fmpq
from semialg.core.network import Network
from semialg.errors import ArchitectureError
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import RidgeView, _ONE, _scale, _slope_at_zero, _vadd

__all__ = ["translate_hidden_hyperplane", "flip_kink", "trade_affine_block", "reflect", "replace_neuron"]


def translate_hidden_hyperplane(net: Network, beta) -> Network:
    r"""Case (b), $H$ hidden: $b \mapsto b + \beta$, $e_j \mapsto e_j - v_j\beta$ (function-preserving while every
    $e'_j < 0$ stays a switch-on neuron, i.e. $\beta > -\tau_{\min}$)."""
    view = RidgeView.of(net)
    beta = to_fmpq(beta, where="beta")
    return RidgeView(view.w, view.b + beta, view.v, tuple(e - v * beta for v, e in zip(view.v, view.e, strict=True)),
                     view.c, view.d).network()


def flip_kink(net: Network, j: int, into: int) -> Network:
    r"""Case (b): flip kink neuron $j$, $c\sigma(vt + e) = c\sigma(-vt - e) + c(vt + e)$, and absorb the affine
    term into the always-active neuron ``into`` ($c_i \mathrel{+}= c_jv_j/v_i$, $d$ compensates)."""
    view = RidgeView.of(net)
    classes = view.classes()
    if classes[j] not in ("K+", "K-") or classes[into] != "A" or view.v[into] == 0:
        raise ArchitectureError(f"flip_kink needs a kink neuron (got {classes[j]}) and an always-active neuron "
                                f"with v != 0 (got {classes[into]})")
    v, e, c = list(view.v), list(view.e), list(view.c)
    ci = _vadd(c[into], c[j], v[j] / v[into])
    d = _vadd(_vadd(view.d, c[j], e[j]), _vadd(ci, c[into], fmpq(-1)), -e[into])
    c[into] = ci
    v[j], e[j] = -v[j], -e[j]
    return RidgeView(view.w, view.b, tuple(v), tuple(e), tuple(c), d).network()


def trade_affine_block(net: Network, i: int, j: int, delta) -> Network:
    r"""Case (b): move slope $\delta$ between always-active neurons $i \ne j$ ($S_A$ fixed, $d$ compensates);
    with $i = j$ the $e \leftrightarrow d$ trade $e_i \mathrel{+}= \delta$, $d \mathrel{-}= c_i\delta$."""
    view = RidgeView.of(net)
    delta = to_fmpq(delta, where="delta")
    v, e, c, d = list(view.v), list(view.e), list(view.c), view.d
    if i == j:
        e[i] += delta
        d = _vadd(d, c[i], -delta)
    else:
        c[i] = _vadd(c[i], (_ONE,) * len(d), delta / v[i])
        c[j] = _vadd(c[j], (_ONE,) * len(d), -delta / v[j])
        d = _vadd(d, (_ONE,) * len(d), -delta * e[i] / v[i] + delta * e[j] / v[j])
    return RidgeView(view.w, view.b, tuple(v), tuple(e), tuple(c), d).network()


def reflect(net: Network) -> Network:
    r"""Case (b) with $a = k^+ = 0 < k^-$ ($F$ constant at both ends): $w' = -w$, $b' = \tau_{\max} - b$, the kinks
    reflected $\tau \mapsto \tau_{\max} - \tau$, the kink at $H$ carried by the neuron of $\tau_{\max}$, and
    $d' = F(-\infty) = G(0)$."""
    view = RidgeView.of(net)
    t = combinatorial_type(net)
    if not t.reflective:
        raise ArchitectureError(f"reflect needs a = k+ = 0 < k- (F constant at both ends), got {t.describe()}")
    tau = {j: -e / v for j, (v, e) in enumerate(zip(view.v, view.e, strict=True)) if t.classes[j] == "K-"}
    jmax = max(tau, key=lambda j: tau[j])
    tmax = tau[jmax]
    v, e, c = list(view.v), list(view.e), list(view.c)
    g0 = _slope_at_zero(view)
    for j in tau:
        target = tmax - tau[j] if j != jmax else tmax
        e[j] = -v[j] * target
        if j == jmax:
            c[j] = _scale(1 / abs(v[j]), g0)
    d = view.d
    for j in tau:
        d = _vadd(d, view.c[j], view.e[j])
    return RidgeView(_scale(fmpq(-1), view.w), tmax - view.b, tuple(v), tuple(e), tuple(c), d).network()


def replace_neuron(net: Network, layer: int, i: int, incoming: Sequence, bias, outgoing: Sequence) -> Network:
    """A copy with neuron ``i`` (0-based) of hidden ``layer`` (1-based) given new incoming weights, bias and
    outgoing weights: the dead-neuron (Z) and hidden-neuron (U-) freedoms."""
    W = [list(r) for r in net.weights[layer - 1]]
    b = list(net.biases[layer - 1])
    Wn = [list(r) for r in net.weights[layer]]
    W[i] = list(incoming)
    b[i] = bias
    for r, x in zip(Wn, outgoing, strict=True):
        r[i] = x
    return net.replace_layer(layer, W, b).replace_layer(layer + 1, Wn)

