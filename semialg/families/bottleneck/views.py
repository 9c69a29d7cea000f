r"""Bottleneck parameters seen through their structure: the two cases and their views.

Case (b), widths $(n_0, 1, n_2, n_3)$: :class:`RidgeView` $(w, b, v, e, c, d)$ with
$f(x) = \sum_j c_j\sigma(v_j\sigma(w\cdot x + b) + e_j) + d$. Case (a), widths $(n_0, n_1, 1, n_3)$:
:class:`OuterView` $f = c\,\sigma(h) + d$ with $h$ the inner shallow network of the first two layers.
Also the small exact vector helpers the bottleneck modules share.

>>> net = Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])
>>> bottleneck_case(net), RidgeView.of(net).classes()
('b', ('A', 'K+'))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from flint import fmpq

from semialg.core.exact import vadd as _vadd  # the name the bottleneck modules import it under
from semialg.core.network import Network
from semialg.errors import ArchitectureError

__all__ = ["bottleneck_case", "RidgeView", "OuterView"]

_ZERO = fmpq(0)
_ONE = fmpq(1)
Vec = tuple[fmpq, ...]


def bottleneck_case(net: Network) -> str | None:
    """``"b"`` if ``net`` has two hidden layers and the first has width 1, ``"a"`` if the second has width 1
    (and the first does not), else ``None``. Case (b) wins when both have width 1: its 1-D calculus is
    complete and linear-time."""
    if net.depth != 3:
        return None
    n1, n2 = net.widths[1], net.widths[2]
    return "b" if n1 == 1 else "a" if n2 == 1 else None


def _require(net: Network, case: str) -> None:
    if bottleneck_case(net) != case:
        what = "(n0, 1, n2, n3)" if case == "b" else "(n0, n1, 1, n3)"
        raise ArchitectureError(f"expected a bottleneck network of case ({case}) with widths {what}, "
                                f"got {net.architecture}")


def _scale(t: fmpq, u: Sequence[fmpq]) -> Vec:
    return tuple(t * x for x in u)


def _sign(x: fmpq) -> int:
    return (x > 0) - (x < 0)


@dataclass(frozen=True)
class RidgeView:
    r"""Case (b) parameters $(w, b, v, e, c, d)$: $f(x) = \sum_j c_j\sigma(v_j\sigma(w\cdot x + b) + e_j) + d$."""

    w: Vec
    b: fmpq
    v: Vec
    e: Vec
    c: tuple[Vec, ...]
    d: Vec

    @classmethod
    def of(cls, net: Network) -> "RidgeView":
        _require(net, "b")
        (W1, W2, W3), (b1, b2, b3) = net.weights, net.biases
        return cls(W1[0], b1[0], tuple(r[0] for r in W2), b2, tuple(zip(*W3, strict=True)), b3)

    def network(self) -> Network:
        n2 = len(self.v)
        W3 = tuple(tuple(self.c[j][r] for j in range(n2)) for r in range(len(self.d)))
        return Network((( self.w,), tuple((x,) for x in self.v), W3), ((self.b,), self.e, self.d))

    def classes(self) -> tuple[str, ...]:
        """The class of each second-layer neuron on $t > 0$: ``A``, ``K+``, ``K-`` or ``Z``."""
        return tuple(_ridge_class(v, e) for v, e in zip(self.v, self.e, strict=True))


def _ridge_class(v: fmpq, e: fmpq) -> str:
    """A: active on all of $t > 0$; K+/K-: switches on/off at $\\tau = -e/v > 0$; Z: dead on $t > 0$."""
    if v > 0:
        return "A" if e >= 0 else "K+"
    if v < 0:
        return "K-" if e > 0 else "Z"
    return "A" if e > 0 else "Z"


def _slope_at_zero(view: RidgeView) -> Vec:
    r"""$G'(0^+) = \sum_{j \in A \cup K^-} c_jv_j$."""
    out = (_ZERO,) * len(view.d)
    for cls, v, c in zip(view.classes(), view.v, view.c, strict=True):
        if cls in ("A", "K-"):
            out = _vadd(out, c, v)
    return out


def _slope_at_infinity(view: RidgeView) -> Vec:
    r"""$G'(+\infty) = \sum_{v_j > 0} c_jv_j$."""
    out = (_ZERO,) * len(view.d)
    for v, c in zip(view.v, view.c, strict=True):
        if v > 0:
            out = _vadd(out, c, v)
    return out

def _decisive(ys: Sequence[fmpq]) -> list[fmpq]:
    """Points on which two piecewise linear functions with breakpoints in ``ys`` agree only if equal:
    every breakpoint and one point beyond each end."""
    ys = sorted(set(ys))
    if not ys:
        return [_ZERO, _ONE]
    return [ys[0] - 1] + ys + [ys[-1] + 1]


def _line_max(values: Sequence[fmpq]) -> fmpq | None:
    """The supremum of a piecewise linear function of one variable from its values at :func:`_decisive`
    points, or ``None`` when it is unbounded (it increases beyond an end)."""
    if values[-1] > values[-2] or values[0] > values[1]:
        return None
    return max(values)


def _unit(n: int, p: int, t: fmpq = _ONE) -> Vec:
    return tuple(t if i == p else _ZERO for i in range(n))


def _first_nonzero(u: Sequence[fmpq]) -> int:
    return next(i for i, x in enumerate(u) if x != 0)


@dataclass(frozen=True)
class OuterView:
    r"""Case (a): $f = c\,\sigma(h) + d$ with ``inner`` the shallow network $h$ of widths $(n_0, n_1, 1)$."""

    inner: Network
    c: Vec
    d: Vec

    @classmethod
    def of(cls, net: Network) -> "OuterView":
        _require(net, "a")
        (W1, W2, W3), (b1, b2, b3) = net.weights, net.biases
        return cls(Network((W1, W2), (b1, b2)), tuple(r[0] for r in W3), b3)

    @property
    def w(self) -> tuple[Vec, ...]:
        return self.inner.weights[0]

    @property
    def b(self) -> Vec:
        return self.inner.biases[0]

    @property
    def v(self) -> Vec:
        return self.inner.weights[1][0]

    @property
    def e(self) -> fmpq:
        return self.inner.biases[1][0]

    def without_neuron(self, i: int, e: fmpq) -> Network:
        """The network with first-layer neuron ``i`` removed and $e$ the bias of the bottleneck neuron, the rows of
        $W_1$ kept in their integer form (dropping a neuron of a 4,096 x 784 layer as rational rows took 2 s).
        Cost: $O(n_1n_0)$ vectorised."""
        keep = [t for t in range(len(self.b)) if t != i]
        return Network((self.w.take_rows(keep), (tuple(self.v[t] for t in keep),), tuple((x,) for x in self.c)),
                       (tuple(self.b[t] for t in keep), (e,), self.d))




_OTHER = {"K+": "K-", "K-": "K+"}
_SIGNS = {"A": (1, 1), "K+": (1, -1), "K-": (-1, 1), "Z": (-1, -1)}
