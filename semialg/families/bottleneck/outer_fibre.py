r"""Case (a): fibres of $f = c\,\sigma(h) + d$ when every first-layer neuron is visible and $N \ne \emptyset$.

Then $h' = \mu h$ everywhere (every kink of $h'$ is matched on $P$, so $h' - \mu h$ is affine and vanishes on
$P$), hence the fibre is $\{(h', c/\mu, d) : h'/\mu \in \text{fibre of } h\}$ — the shallow fibre of $h$
(:func:`semialg.families.shallow.fibre`) times $\mathbb{R}_{>0}$, with $1/\mu = c'_r/c_r$ substituted into its
equations.

>>> net = Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[2]]], [[0, 0], [-1], [1]])
>>> len(OuterFibre(net).index)
2
"""

from __future__ import annotations

import random as _random

from semialg.core.lazy import sympy  # imported on first use: start-up time
from flint import fmpq

from semialg.core.exact import fingerprint, normalise_row, to_sympy
from semialg.core.network import Network
from semialg.core.symmetry import GroupElement
from semialg.families.bottleneck.types import BottleneckType
from semialg.families.bottleneck.views import OuterView, _first_nonzero, _scale
from semialg.families.shallow import fibre as shallow_fibre, flip_neurons
from semialg.geometry.semialgebraic import BasicSet, map_nonzero

__all__ = ["OuterFibre", "all_visible"]


def all_visible(net: Network, t: BottleneckType) -> bool:
    """Whether $N \\ne \\emptyset$ and every first-layer neuron is visible (its hyperplane meets $P$) on a
    hyperplane of its own: then $f$ has $n_1$ distinct kink hyperplanes on $P$, every $\\theta'$ of the fibre
    puts one neuron on each, and $h' = \\mu h$ — for any such $\\theta$, generic or not (0-factors included)."""
    if t.case != "a" or t.regime != "PN" or any(c != "V" for c in t.classes):
        return False
    view = OuterView.of(net)
    keys = {fingerprint(normalise_row(w + (b,))[0]) for w, b in zip(view.w, view.b, strict=True)}
    return len(keys) == len(view.w)


class OuterFibre:
    """The components of the fibre of a case-(a) parameter whose neurons are all visible, $N \\ne \\emptyset$:
    ``index``, ``build``, ``locate``, ``sample``."""

    def __init__(self, net: Network):
        self.net = net
        self.view = view = OuterView.of(net)
        self.inner = shallow_fibre(view.inner)
        self.index, self.index_name = self.inner.index, self.inner.index_name
        self.index_description = ("a permutation of the first-layer neurons and an admissible flip set S "
                                  "(sum over S of v_i w_i = 0) of the inner network h; c' = c/mu, d' = d")
        V = net.variables()
        self.r = r = _first_nonzero(view.c)
        self.cr = to_sympy(view.c[r])
        inv_mu = V.weights[2][r, 0] / self.cr
        self.scale = {V.weights[1][0, i]: V.weights[1][0, i] * inv_mu for i in range(net.widths[1])}
        self.scale[V.biases[1][0]] = V.biases[1][0] * inv_mu

    def build(self, index) -> BasicSet:
        """The shallow component of $h$ with $h' \\mapsto h'/\\mu$, and $c' = c/\\mu$, $d' = d$."""
        V, view, r, cr = self.net.variables(), self.view, self.r, self.cr
        C, D = V.weights[2], V.biases[2]
        B = self.inner.build(index)
        eqs = [sympy.expand(sympy.sympify(p).xreplace(self.scale)) for p in B.equations]
        eqs += [C[s, 0] * cr - C[r, 0] * to_sympy(view.c[s]) for s in range(len(view.c)) if s != r]
        eqs += [D[s] - to_sympy(view.d[s]) for s in range(len(view.d))]
        strict = tuple(B.strict) + (C[r, 0] * cr,)
        return BasicSet(V.flat, tuple(e for e in eqs if e != 0), strict, label=B.label, nonzero=map_nonzero(
            lambda p: sympy.expand(sympy.sympify(p).xreplace(self.scale)), B.nonzero))

    def _rescaled(self, point) -> Network | None:
        """$h'/\\mu$ of a point, with $\\mu = c_r/c'_r$ (``None`` when $c'_r = 0$)."""
        other = point if isinstance(point, Network) else Network.from_parameters(self.net.architecture, point)
        ov = OuterView.of(other)
        if ov.c[self.r] == 0:
            return None
        mu = self.view.c[self.r] / ov.c[self.r]
        return Network((ov.inner.weights[0], (_scale(1 / mu, ov.v),)), (ov.b, (ov.e / mu,)))

    def locate(self, point):
        h = self._rescaled(point)
        return None if h is None else self.inner.locate(h)

    def sample(self, seed, index) -> Network:
        rng = _random.Random(seed)
        view = self.view
        if index is None:
            h = self.inner.sample(seed)
        else:
            perm, S = index
            scales = [fmpq(rng.randint(1, 9), rng.randint(1, 9)) for _ in range(self.net.widths[1])]
            h = GroupElement([perm], [scales]).act(flip_neurons(view.inner, S))
        mu = fmpq(rng.randint(1, 9), rng.randint(1, 9))
        return Network((h.weights[0], (_scale(mu, h.weights[1][0]),), tuple((x / mu,) for x in view.c)),
                       (h.biases[0], (h.biases[1][0] * mu,), view.d))
