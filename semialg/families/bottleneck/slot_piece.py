r"""The outer conditions of a slot piece of a case-(a) fibre: $c' = c/\mu$ and $d' = d + c\,\ell$.

A slot piece (:class:`~semialg.families.bottleneck.line_typed.TypedSlotPiece`) holds the $\theta'$ with
$c' = c/\mu$, $\operatorname{sign}\mu$ fixed, $d' = d + c\,\ell$ for a fixed *level* $\ell$ (that is $t = -\mu\ell$)
and $h'/|\mu|$ equal to a target on the line where it is positive: the pieces A ($\mu > 0$, $\ell = 0$) and Cp
($\mu < 0$, $\ell = \max\sigma(h)$) of :mod:`~semialg.families.bottleneck.line_fibre` and the plateau pieces Pmin
($\ell = \min h$) and Pmax ($\mu < 0$, $\ell = \sup h$) of :mod:`~semialg.families.bottleneck.nonnegative_fibre`.
These outer conditions are polynomial in $\theta'$ once multiplied by $c_r^2$ ($c_r \ne 0$ an entry of $c$:
$1/|\mu| = \operatorname{sign}\mu\; c'_r/c_r$); :func:`split_outer` reads $(\mu, t)$ back off a point.

Cost: $O(n_3)$ polynomials of degree 2; :func:`split_outer` $O(n_3)$ exact operations.

>>> from flint import fmpq
>>> net = Network.from_arrays([[[1], [1]], [[1, 2]], [[1], [2]]], [[0, -1], [0], [0, 1]])
>>> eqs, strict = outer_conditions(net, OuterView.of(net), 0, 1, [fmpq(3), fmpq(6)])   # mu > 0, level 3
>>> eqs, strict
([-2*W3_1_1 + W3_2_1, b3_1 - 3, b3_2 - 7], [W3_1_1])
>>> x = Network.from_arrays([[[1], [1]], [[1, 2]], [[2], [4]]], [[0, -1], [0], [-1, -1]])   # mu = 1/2, t = 1/2
>>> split_outer(net, OuterView.of(net), 0, x)[:2]
(1/2, 1/2)
"""

from __future__ import annotations

from semialg.core.exact import to_sympy
from semialg.core.network import Network
from semialg.families.bottleneck.views import OuterView

__all__ = ["outer_conditions", "split_outer"]


def outer_conditions(net: Network, view: OuterView, r: int, sign: int, shift) -> tuple[list, list]:
    """$c' = c/\\mu$ with $\\operatorname{sign}\\mu$ = ``sign`` and $d' = d + $ ``shift`` (``None``: $d' - d$
    parallel to $c$) as equations and strict inequalities; ``r`` indexes a non-zero entry of $c$."""
    V = net.variables()
    C, D = V.weights[2], V.biases[2]
    c = [to_sympy(x) for x in view.c]
    d = [to_sympy(x) for x in view.d]
    eqs = [C[s, 0] * c[r] - C[r, 0] * c[s] for s in range(len(c)) if s != r]
    if shift is None:
        eqs += [c[r] * (D[s] - d[s]) - c[s] * (D[r] - d[r]) for s in range(len(c)) if s != r]
    else:
        eqs += [D[s] - d[s] - to_sympy(x) for s, x in enumerate(shift)]
    return eqs, [sign * C[r, 0] * c[r]]


def split_outer(net: Network, view: OuterView, r: int, point):
    """$(\\mu, t)$ of a point and its outer view, or ``None`` when $c'$ is not $c/\\mu$ or $d' \\ne d - ct/\\mu$."""
    other = point if isinstance(point, Network) else Network.from_parameters(net.architecture, point)
    ov = OuterView.of(other)
    if ov.c[r] == 0:
        return None
    mu = view.c[r] / ov.c[r]
    if any(x != y / mu for x, y in zip(ov.c, view.c, strict=True)):
        return None
    t = (view.d[r] - ov.d[r]) / ov.c[r]
    if any(dd != d - c * t / mu for dd, d, c in zip(ov.d, view.d, view.c, strict=True)):
        return None
    return mu, t, ov
