r"""Case (a), constant functions: the fibre of $f = c\,\sigma(h) + d \equiv d$ ($c = 0$, or $h \le 0$ everywhere).

**Statement.** For $\theta'$ of widths $n_0$-$n_1$-1-$n_3$, $f_{\theta'} = c'\sigma(h') + d' \equiv d$ iff

- (S) $c' = 0$ and $d' = d$ (any inner network), or
- (N) $c' \ne 0$, $d' = d$ and $h' \le 0$ on $\mathbb{R}^{n_0}$, or
- (K) $c' \ne 0$, $h' \equiv \kappa > 0$ and $d' = d - \kappa c'$

(a component $c'_r \ne 0$ forces $\sigma(h')$ constant, $0$ or $\kappa > 0$). **Dimension** $D - n_3$: the subset
(N$_-$) $= \{c' \ne 0,\ d' = d,\ v' \le 0,\ e' \le 0\}$ of (N) ($h' \le e' \le 0$) has non-empty interior in the
affine space $\{d' = d\}$; (S) and (N) lie in it; (K) has dimension at most that of $\{h' \text{ constant}\} + n_3
< D - n_3$, as $h'$ constant has empty interior among inner networks (raising $v'_i$ of a neuron with $w'_i \ne 0$
adds a kink). Listed: (S) and (N$_-$), both basic and non-empty. **Not listed** (``contains`` decides them by
:func:`~semialg.families.bottleneck.equivalence.equivalent`): the rest of (N) — $h' \le 0$ everywhere although
some $v'_i > 0$ or $e' > 0$, a condition on the arrangement of $n_1$ free hyperplanes (at its vertices and
along the rays of its cells) for which no explicit description is built — and (K). The local dimension is $D -
n_3$ at every member with $d' = d$, $v' \le 0$, $e' \le 0$ (the closure of the interior of (N$_-$)), $D - 2n_3$ at
a silent member whose $h'$ is non-constant and positive somewhere; elsewhere it is undecided. Cost: $O(n_1 n_0 +
n_3)$ polynomials per component, membership one evaluation.

>>> net = Network.from_arrays([[[1, 0], [0, 1]], [[-1, -2]], [[3]]], [[0, 1], [-1], [2]])   # h <= -1
>>> F = ConstantFibre(net); F.dimension, F.index, F.local_dimension(net)
(10, ('silent', 'negative'), 10)
"""

from __future__ import annotations

import random as _random

from flint import fmpq

from semialg.core.exact import to_sympy
from semialg.core.network import Network
from semialg.errors import ParameterError, UndecidedError
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import OuterView, _ZERO
from semialg.families.shallow import canonical_form
from semialg.geometry.semialgebraic import BasicSet

LABELS = {"silent": "silent: c' = 0, d' = d, any inner network",
          "negative": "negative: c' nonzero, d' = d, every v' and e' nonpositive, so h' is nowhere positive"}


class ConstantFibre:
    """The listed pieces of the fibre of a constant case-(a) function (module docstring): ``index``, ``build``,
    ``locate``, ``sample``, ``dimension``, ``local_dimension``."""

    index_name = r"\text{piece}"
    index = tuple(LABELS)
    index_description = ("silent (c' = 0, d' = d, any inner network) or negative (c' nonzero, d' = d, every v' and e' "
                         "nonpositive). Not listed: members with c' nonzero and h' nowhere positive although some v' "
                         "or e' is positive, and members with h' a positive constant kappa (d' = d - kappa c')")

    def __init__(self, net: Network):
        self.net, self.view = net, OuterView.of(net)
        self.d = self.view.d
        self.n3 = net.widths[3]
        self.dimension = len(net.parameters()) - self.n3

    def build(self, index) -> BasicSet:
        V = self.net.variables()
        C, Dv = V.weights[2], V.biases[2]
        eqs = tuple(Dv[q] - to_sympy(x) for q, x in enumerate(self.d))
        cs = tuple(C[q, 0] for q in range(self.n3))
        if index == "silent":
            return BasicSet(V.flat, cs + eqs, label=LABELS[index])
        if index == "negative":
            v, e = V.weights[1], V.biases[1]
            return BasicSet(V.flat, eqs, (), tuple(-v[0, i] for i in range(v.shape[1])) + (-e[0],),
                            label=LABELS[index], nonzero=(cs,))
        raise ParameterError(f"no listed piece {index!r} (one of {self.index})")

    def locate(self, point):
        ov = OuterView.of(point)
        if ov.d != self.d:
            return None
        if not any(ov.c):
            return "silent"
        return "negative" if all(x <= 0 for x in ov.v) and ov.e <= 0 else None

    def local_dimension(self, point) -> int:
        r"""$D - n_3$ at a member with $d' = d$, $v' \le 0$, $e' \le 0$ (the closure of the interior of
        (N$_-$)); $D - 2n_3$ at a silent member whose $h'$ is not constant and positive somewhere (no member with
        $c' \ne 0$ is near: (N) needs $h'' \le 0$, (K) a constant $h''$, and both are closed conditions $h'$
        fails); else :class:`UndecidedError`. Cost: one arrangement of $h'$ and its canonical form."""
        ov = OuterView.of(point)
        if ov.d == self.d and all(x <= 0 for x in ov.v) and ov.e <= 0:
            return self.dimension
        K = canonical_form(ov.inner)
        if not any(ov.c) and (K.kinks or any(map(any, K.linear))) and _positive_somewhere(point):
            return self.dimension - self.n3
        raise UndecidedError(f"local dimension of a constant function's fibre at a member with c' != 0 and some "
                             f"v' > 0 or e' > 0, or with h' constant: at most {self.dimension}, not decided")

    def sample(self, seed, index) -> Network:
        """A member of piece ``index`` (random when ``None``): random rows and biases, $c' = 0$ (silent) or
        $v' \\le 0$, $e' \\le 0$ and $c' \\ne 0$ (negative), $d' = d$."""
        rng = _random.Random(seed)
        index = rng.choice(self.index) if index is None else index
        q = lambda lo=-9: fmpq(rng.randint(lo, 9), rng.randint(1, 9))  # noqa: E731
        n0, n1 = self.net.widths[:2]
        W = tuple(tuple(q() for _ in range(n0)) for _ in range(n1))
        b = tuple(q() for _ in range(n1))
        if index == "silent":
            v, e, c = tuple(q() for _ in range(n1)), q(), (_ZERO,) * self.n3
        else:
            v, e = tuple(-q(0) for _ in range(n1)), -q(0)
            c = tuple(q() for _ in range(self.n3))
            if not any(c):
                c = (fmpq(1),) + c[1:]
        return Network((W, (v,), tuple((x,) for x in c)), (b, (e,), self.d))


def _positive_somewhere(point: Network) -> bool:
    """Whether $h' > 0$ somewhere (exactly: the regime of ``point`` with its outer weights set to 1)."""
    (W1, W2, W3), (b1, b2, b3) = point.weights, point.biases
    lifted = Network((W1, W2, tuple((fmpq(1),) for _ in W3)), (b1, b2, b3))
    return combinatorial_type(lifted).regime != "constant"
