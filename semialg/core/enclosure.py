r"""Signs of a network's pre-activations decided by float64 BLAS with a rigorous error bound.

Exact evaluation of a batch of rational points reads every pre-activation as an integer (:mod:`semialg.core.limbs`);
most questions need only their signs, and a sign is certain as soon as a float64 value lies farther from zero than
its error can reach. The points are taken as integer numerators $P$ over a positive denominator $d$ per point (the
signs of $d\,z_l$ are those of $z_l$), and layer $l$ is evaluated in float64 as $\hat Z_l = \hat A_{l-1}\hat W_l^T +
d\,\hat b_l^T$, $\hat A_0 = \hat P$, $\hat A_l = \max(\hat Z_l, 0)$, with $\hat W_l, \hat b_l, \hat P, \hat d$ the
nearest floats. By the standard model of floating-point arithmetic (Higham, *Accuracy and Stability of Numerical
Algorithms*, 2nd ed., 2002, Sec. 3.1: a sum of $n$ products has error at most $\gamma_n = nu/(1 - nu)$ times the
sum of their absolute values, whatever the order of summation and with or without fused multiply-adds), each
entry satisfies

$$|\hat z - d z| \le e\,\|w\|_1 (1 + 2^{-20}) + c\,(\|\hat a\|_\infty\|\hat w\|_1 + d|\hat b|) + (n + 2)\,2^{-1074}
(1 + \|\hat a\|_\infty + d + e)(1 + \|\hat w\|_1 + |\hat b|), \qquad c = 2(n + 32)u,$$

where $n$ is the layer's fan-in, $u = 2^{-53}$, and $e$ bounds $\|\hat A_{l-1} - dA_{l-1}\|_\infty$ for the point
($e = 0$ before the first layer, then the largest bound of the previous layer: ReLU is 1-Lipschitz). The term in
$c$ covers the products and sums ($\gamma_{n+1}$), the rounding of every weight, bias, numerator and denominator to
float64 (at most $8u$ relative each, against $u$ for the nearest float), and the second-order terms; the last term
covers underflow (absolute error at most $2^{-1075}$ per product or rounded entry: a weight, a bias, or an input
given by its nearest floats with $d = 1$). The bound itself is computed in
floats and enlarged by $2^{-20}$ relative, far more than its own rounding. A sign is *certain* where
$|\hat z|$ exceeds the bound; an infinite or NaN value (weights beyond the float64 range) is never certain.
Uncertain signs are left to exact evaluation: the answers are exact, the floats only save work.

>>> import numpy as np
>>> W, b = np.array([[1.0, -1.0]]), np.array([0.5])
>>> [(s.tolist(), c.tolist()) for s, c in certified_signs([(W, b)], np.array([[3.0, 1.0], [1.0, 1.0]]),
...                                                      np.array([2.0, 1.0]))]
[([[1], [1]], [[True], [True]])]
>>> certified_signs([(W, np.array([0.0]))], np.array([[1.0, 1.0]]), np.array([1.0]))[0][1].tolist()
[[False]]
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["certified_signs", "certified_signs_on_lines"]

_U = 2.0 ** -53
_TINY = 2.0 ** -1074


def certified_signs(layers: Sequence[tuple[np.ndarray, np.ndarray]], numerators: np.ndarray,
                    denominators: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    r"""For each of ``layers`` (float64 ``(W, b)``, the nearest floats of the exact weights, in order from the
    input), the signs of the pre-activations at the points ``numerators[k] / denominators[k]`` as an ``int8``
    array of shape (points, width), and a boolean array saying where that sign is certain (the bound of the module
    docstring). ``numerators`` is float64 of shape (points, $n_0$) (the nearest floats of the integer numerators),
    ``denominators`` float64 and positive. Cost: one float64 product per layer, $O(N\dim\Omega)$ flops, and
    $O(N n_l)$ for the bounds.

    >>> s, c = certified_signs([(np.array([[2.0]]), np.array([-1.0]))], np.array([[1.0]]), np.array([3.0]))[0]
    >>> s.tolist(), c.tolist()        # 2 * (1/3) - 1 < 0
    ([[-1]], [[True]])
    """
    A = np.asarray(numerators, dtype=np.float64)
    return _propagate(layers, A, np.asarray(denominators, dtype=np.float64), np.zeros(A.shape[0]))


def _propagate(layers: Sequence[tuple[np.ndarray, np.ndarray]], A: np.ndarray, d: np.ndarray,
               e: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The signs and certainty of every layer from the float64 inputs ``A`` of the first of ``layers``, within
    ``e`` (per point) of $d$ times the exact ones."""
    out = []
    with np.errstate(over="ignore", invalid="ignore"):
        for W, b in layers:
            Z, bound = _layer(W, b, A, d, e)
            out.append((np.sign(Z).astype(np.int8), np.abs(Z) > bound))
            A = np.maximum(Z, 0.0)
            e = bound.max(axis=1) if bound.shape[1] else np.zeros(A.shape[0])
    return out


def _layer(W: np.ndarray, b: np.ndarray, A: np.ndarray, d: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""$\hat Z = \hat A\hat W^T + d\hat b^T$ and the bound of the module docstring on $|\hat Z - dZ|$."""
    n = A.shape[1]
    Z = A @ W.T + np.multiply.outer(d, b)
    norms = np.abs(W).sum(axis=1)
    a = np.abs(A).max(axis=1) if n else np.zeros(A.shape[0])
    bound = (np.multiply.outer(e, norms) + 2 * (n + 32) * _U * (np.multiply.outer(a, norms)
                                                                  + np.multiply.outer(d, np.abs(b))))
    return Z, bound * (1 + 2.0 ** -20) + (n + 2) * _TINY * np.multiply.outer(1 + a + d + e, 1 + norms + np.abs(b))


def certified_signs_on_lines(layers: Sequence[tuple[np.ndarray, np.ndarray]], numerators: np.ndarray,
                             denominator: float, coordinates: np.ndarray,
                             steps: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    r""":func:`certified_signs` at the points $x + t_k e_{j_k}$ that move one point $x$ = ``numerators`` / $d$ (one
    row, float64 of its integer numerators; ``denominator`` $d > 0$) along one coordinate $j_k$ = ``coordinates[k]``
    each, without a product per point: the first layer is $d\,z(x) + (d t_k) W_{:, j_k}$ from the single product
    $\hat Z_0 \approx d\,z(x)$ (bound $B_0$). ``steps[k]`` is the nearest float64 to $d t_k$ (within $u$ relative).
    With $\hat s = \hat t\hat W_{:,j}$, the first layer's error is at most
    $B_0 + 32u(|\hat s| + |\hat Z_0|) + 4\cdot 2^{-1074}(1 + |\hat t|)(1 + |\hat W_{:,j}|)$ (the step and the
    weight rounded, the product and the sum: under $20u|\hat s| + u(|\hat Z_0| + |\hat s|)$ with second-order terms;
    then enlarged by $2^{-20}$ relative); the other layers as in :func:`certified_signs`. Cost: one product for $x$ and
    $O(m\,n_1)$ flops for the first layer of $m$ points, then the other layers' products.

    >>> W1, b1, W2, b2 = np.array([[1.0, 0.0], [0.0, 1.0]]), np.zeros(2), np.array([[1.0, -1.0]]), np.array([0.0])
    >>> s, c = certified_signs_on_lines([(W1, b1), (W2, b2)], np.array([3.0, 1.0]), 2.0, np.array([0, 1]),
    ...                                 np.array([-4.0, -6.0]))[-1]      # (3/2, 1/2) + (-2, 0) and + (0, -3)
    >>> s.tolist(), c.tolist()            # h = -1/2 and 3/2
    ([[-1], [1]], [[True], [True]])
    """
    (W, b), rest = layers[0], layers[1:]
    x = np.asarray(numerators, dtype=np.float64)[None]
    d = np.array([float(denominator)])
    with np.errstate(over="ignore", invalid="ignore"):
        Z0, B0 = (M[0] for M in _layer(W, b, x, d, np.zeros(1)))
        columns = np.ascontiguousarray(W.T)            # W[:, j] as a row: gathered by rows, not strided
        largest = np.abs(columns).max(axis=1, initial=0.0)
        base = (B0 + 32 * _U * np.abs(Z0)) * (1 + 2.0 ** -20)
        out: list[list] = []
        for start in range(0, len(steps), _LINES):
            t = np.asarray(steps[start:start + _LINES], dtype=np.float64)
            js = coordinates[start:start + _LINES]
            S = columns[js] * t[:, None]
            Z = S + Z0
            bound = np.abs(S, out=S)                    # in place: a batch of a 784-4096 layer is 8 MB
            bound *= 32 * _U * (1 + 2.0 ** -20)
            bound += base
            bound += (4 * _TINY * (1 + np.abs(t)) * (1 + largest[js]))[:, None]      # |W_ij| <= max_i |W_ij|
            found = [(np.sign(Z).astype(np.int8), np.abs(Z) > bound)] + \
                _propagate(rest, np.maximum(Z, 0.0), np.full(len(t), d[0]), bound.max(axis=1))
            out = [prev + [now] for prev, now in zip(out, found, strict=True)] if out else [[f] for f in found]
    return [(np.concatenate([s for s, _ in layer]), np.concatenate([c for _, c in layer])) for layer in out] \
        if out else [(np.zeros((0, len(B)), dtype=np.int8), np.zeros((0, len(B)), dtype=bool)) for B, _ in layers]


_LINES = 256        # points of certified_signs_on_lines at a time: a 784-4096 layer takes 8 MB a point
