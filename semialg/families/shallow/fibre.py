"""The fibre $\\rho^{-1}(f_\\theta)$ of a shallow parameter in its own architecture.

For distinct hyperplanes and no dead neuron it is a disjoint union of $G$-orbits of 0-factor flips
(Ramakrishnan, *A Complete Symmetry Classification of Shallow ReLU Networks*, arXiv 2604.14037, Theorem 1 and
Lemmas 10–11); every other parameter gets the union over combinatorial types of :mod:`.typed`.

>>> F = fibre(Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[1, 2, 3], [0]]))
>>> F.num_components, F.flip_sets
(12, ((), (0, 1, 2)))
"""

from __future__ import annotations

import functools
import itertools
import math
import random
from dataclasses import dataclass

from flint import fmpq

from semialg.core.exact import fingerprint, normalise_row, to_sympy
from semialg.core.network import Network
from semialg.core.symmetry import GroupElement
from semialg.engine import neurons
from semialg.errors import ParameterError
from semialg.families.shallow.component import FibreComponent
from semialg.families.shallow.moves import flip_neurons
from semialg.families.shallow.typed import POLYNOMIAL_LIMIT, same_function, typed_fibre
from semialg.families.shallow.view import ShallowView
from semialg.families.shallow.zero_factor import zero_factors
from semialg.geometry.semialgebraic import Union
from semialg.geometry.zero_sum import ZERO_SUM_LIMIT

__all__ = ["ShallowFibre", "fibre", "is_orbit_case"]


@dataclass(frozen=True, eq=False)
class ShallowFibre(Union):
    """$\\rho^{-1}(f_\\theta)$ within the architecture of $\\theta$, as a lazy union of basic sets."""

    network: Network | None = None
    flip_sets: tuple[tuple[int, ...], ...] = ()

    def contains(self, point) -> bool:
        """Whether ``point`` (a network or its flat parameters) lies in the fibre: by the polynomials of the component
        it would lie in, or beyond :data:`~semialg.families.shallow.typed.POLYNOMIAL_LIMIT` parameters by canonical
        forms (:func:`~semialg.families.shallow.typed.same_function`; the sympy polynomials of one 784-64-10
        component took 114 s)."""
        if self.network is not None and self.network.architecture.num_parameters > POLYNOMIAL_LIMIT:
            return same_function(self.network, point)
        return super().contains(point)

    @property
    def dimension(self) -> int:
        """Dimension of the fibre: every component is an orbit chart $\\cong \\mathbb{R}_{>0}^n$, so $n$."""
        return self.network.architecture.num_hidden

    def local_dimension(self, theta: Network | None = None) -> int:
        """The dimension of the fibre at a member ``theta`` (default: the parameter it was built from): $n$,
        since the components are disjoint open orbit charts of dimension $n$."""
        if theta is not None and not self.contains(theta):
            raise ParameterError("local_dimension: the parameter is not in the fibre")
        return self.network.architecture.num_hidden


    def sample(self, seed: int | None = None) -> Network:
        """A random member: a random flip set and a random group element applied to $\\theta$."""
        rng = random.Random(seed)
        S = rng.choice(self.flip_sets)
        base = flip_neurons(self.network, S)
        return GroupElement.random(base.architecture, seed=rng.randrange(2 ** 32)).act(base)


def is_orbit_case(net: Network) -> bool:
    """Whether every neuron is live and no two share an (unoriented) hyperplane: then the fibre is a disjoint
    union of $G$-orbits, of dimension $n$. Cost: $O(n(m+k))$ plus the pairs of rows on one hyperplane."""
    ShallowView.of(net)
    return not (neurons.dead_neurons(net, 1) or neurons.constant_neurons(net, 1)
                or any(neurons.hyperplane_pairs(net, 1)))


def _orbit_member(net: Network, index, seed: int | None = None) -> Network:
    """An exact member of component $(\\pi, S)$: $(\\pi, \\lambda)\\cdot\\theta_S$ with random scales $\\lambda$."""
    perm, S = index
    rng = random.Random(seed)
    scales = [fmpq(rng.randint(1, 9), rng.randint(1, 9)) for _ in perm]
    return GroupElement([perm], [scales]).act(flip_neurons(net, S))


class _PermFlipIndex:
    """The lazy index set $S_n \\times \\{\\text{admissible } S\\}$, of size $n! \\cdot \\#S$."""

    def __init__(self, n: int, flips):
        self.n, self.flips = n, flips

    def __len__(self) -> int:
        return self.exact_size

    @property
    def exact_size(self) -> int:
        return math.factorial(self.n) * len(self.flips)

    @property
    def live_size(self) -> int:
        """The components without dead or constant neurons: all of them (the orbit of a generic parameter)."""
        return self.exact_size

    def __iter__(self):
        for S in self.flips:
            for p in itertools.permutations(range(self.n)):
                yield p, S


def fibre(net: Network, limit: int = ZERO_SUM_LIMIT, budget: float | None = None) -> ShallowFibre:
    """The fibre of a shallow $\\theta$ in its own architecture, as an explicit semi-algebraic set.

    For distinct hyperplanes and no dead neuron:
    $\\rho^{-1}(f_\\theta) = \\bigsqcup_{S} G\\cdot\\theta_S$ over admissible flip sets $S$
    ($\\sum_{i \\in S} a_i w_i^T = 0$), with $n!\\cdot\\#S$ components, component $(\\pi, S)$ being
    $a'_i w_i'^T = \\tilde a_{\\pi(i)} \\tilde w_{\\pi(i)}^T$, $a'_i b'_i = \\tilde a_{\\pi(i)} \\tilde b_{\\pi(i)}$,
    the $2\\times 2$ minors of $(w'_i, b'_i), (\\tilde w_{\\pi(i)}, \\tilde b_{\\pi(i)})$ with a pivot column (a
    non-zero entry of the latter: $m$ of them, not $\\binom{m+1}{2}$) vanish,
    $(w'_i, b'_i)\\cdot(\\tilde w_{\\pi(i)}, \\tilde b_{\\pi(i)}) > 0$, $c' = c_S$.
    Every other parameter (dead or constant neurons, twins, opposite pairs) gets the union over combinatorial
    types of :func:`typed_fibre`. Cost: $O(n(m+k))$ plus the exact 0-factor search of :func:`zero_factors`: a rank-one
    sketch ($n \\times n$ rank modulo a prime; 784-256-10: 0.3 s, 784-4096-10: 6 s) settles generic weights, else an
    exact search exponential in half of each component of dependent neurons (at most ``limit`` each). A search
    predicted to end past ``budget`` seconds (``None``: no limit) is not started:
    :class:`~semialg.errors.UndecidedError` says so (a search predicted under a second always runs). The components,
    and the index that :meth:`~ShallowFibre.contains` locates members with, are built on first use.

    >>> fibre(Network.from_arrays([[[1], [1]], [[1, -1]]], [[0, -1], [0]]), budget=0).flip_sets
    ((), (0, 1))
    """
    v = ShallowView.of(net)
    if not is_orbit_case(net):
        return typed_fibre(net)
    flips = ((),) + tuple(zero_factors(net, limit, budget))
    V = net.variables()
    m, k, n = net.widths[0], len(v.c), v.n      # not len(v.w[0]): that builds every row (784-4096: 1.3 s)
    flipped = {S: ShallowView.of(flip_neurons(net, S)) for S in flips}

    def build(index) -> FibreComponent:
        perm, S = index
        Wp, bp, Ap, cp = V.weights[0], V.biases[0], V.weights[1], V.biases[1]     # built on first use
        t = flipped[S]
        eqs, pos = [], []
        for i in range(n):
            j = perm[i]
            row_new = [Wp[i, col] for col in range(m)] + [bp[i]]
            row_old = [to_sympy(x) for x in t.w[j] + (t.b[j],)]
            for r in range(k):
                for col in range(m):
                    eqs.append(Ap[r, i] * Wp[i, col] - to_sympy(t.a[j][r] * t.w[j][col]))
                eqs.append(Ap[r, i] * bp[i] - to_sympy(t.a[j][r] * t.b[j]))
            p_ = next(q for q, x in enumerate(row_old) if x != 0)   # parallel iff the minors with a pivot vanish
            eqs += [row_new[p_] * row_old[q_] - row_new[q_] * row_old[p_] for q_ in range(m + 1) if q_ != p_]
            pos.append(sum(x * y for x, y in zip(row_new, row_old, strict=True)))
        eqs += [cp[r] - to_sympy(t.c[r]) for r in range(k)]
        return FibreComponent(V.flat, tuple(dict.fromkeys(eqs)), tuple(pos), label=f"pi={perm}, S={S}",
                              index=index, dimension=n, sampler=lambda j, seed: _orbit_member(net, j, seed))

    @functools.cache
    def index() -> tuple[list, dict]:
        # the normalised rows and fingerprint -> neurons (exact keys compared on lookup); 3.5 s at 784-4096-10, so
        # only once a member is located
        keys = [normalise_row(v.w[i] + (v.b[i],)) for i in range(n)]
        slot: dict = {}
        for i, (key, _, _) in enumerate(keys):
            slot.setdefault(fingerprint(key), []).append(i)
        return keys, slot

    def locate(point):
        keys, slot = index()
        other = point if isinstance(point, Network) else Network.from_parameters(net.architecture, point)
        ov = ShallowView.of(other)
        perm, S = [], []
        for i in range(n):
            key, _, sign = normalise_row(ov.w[i] + (ov.b[i],))
            j = next((j for j in slot.get(fingerprint(key), ()) if keys[j][0] == key), None)
            if j is None:
                return None
            perm.append(j)
            if sign != keys[j][2]:
                S.append(j)
        S = tuple(sorted(S))
        if sorted(perm) != list(range(n)) or S not in flipped:
            return None
        return tuple(perm), S

    return ShallowFibre(V.flat, _PermFlipIndex(n, flips), build, locate,
                        description=f"fibre of a shallow {net.architecture} parameter",
                        index_name="(\\pi, S) \\in S_{%d} \\times \\mathcal{S}" % n,
                        network=net, flip_sets=flips)


