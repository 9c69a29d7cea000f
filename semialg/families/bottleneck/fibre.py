r"""Fibres of bottleneck parameters as explicit semi-algebraic sets, and their dimension.

Case (b) (:mod:`~semialg.families.bottleneck.ridge_fibre`): a union over branches, kink placements, flips and
A/Z roles. Case (a) with every neuron visible and $N \ne \emptyset$
(:mod:`~semialg.families.bottleneck.outer_fibre`): the shallow fibre of $h$ times $\mathbb{R}_{>0}$.

>>> F = fibre(Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]]))
>>> F.num_components, F.dimension
(4, 4)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from semialg.core.network import Network
from semialg.errors import ArchitectureError
from semialg.families.bottleneck.equivalence import equivalent
from semialg.families.bottleneck.genericity import _require_generic
from semialg.families.bottleneck.outer_fibre import OuterFibre
from semialg.families.bottleneck.ridge_fibre import RidgeFibre
from semialg.geometry.semialgebraic import Union

__all__ = ["BottleneckFibre", "fibre", "fibre_dimension"]


@dataclass(frozen=True, eq=False)
class BottleneckFibre(Union):
    r"""The fibre $\{\theta' : f_{\theta'} = f_\theta\}$ of a generic bottleneck parameter in its architecture.

    ``components()`` are the basic sets of $\theta'$ of generic type (one per branch, assignment of the
    kinks to slots, flip pattern and A/Z roles of the other slots); they cover an open dense part of the
    fibre and every one has dimension :attr:`dimension`. ``contains`` decides membership in the whole fibre
    exactly (by :func:`equivalent`); ``component_of`` names the component of a point of generic type.
    """

    network: Network | None = None

    @property
    def dimension(self) -> int:
        return fibre_dimension(self.network)

    def contains(self, point) -> bool:
        other = point if isinstance(point, Network) else Network.from_parameters(self.network.architecture, point)
        return bool(equivalent(self.network, other))

    def component_of(self, point):
        """The index of the listed component containing ``point``, or ``None``."""
        j = self.locate(point)
        return j if j is not None and self.build(j).contains(point) else None

    def sample(self, seed: int | None = None, index=None) -> Network:
        """A random member, solved from the equations of a random (or the given) component."""
        return self._sampler(seed, index)

    _sampler: object = field(default=None, repr=False)


def fibre(net: Network) -> BottleneckFibre:
    r"""The fibre of a generic bottleneck parameter as an explicit semi-algebraic set.

    Case (b): see :mod:`semialg.families.bottleneck.ridge_fibre`; number of components
    $P(n_2, k)\cdot[2^k(2^{n_2-k} - 1) \text{ if } a \ge 1] \cdot [2 \text{ if reflective}]$.
    Case (a) with every first-layer neuron visible and $N \ne \emptyset$: the shallow fibre of $h$ times
    $\mathbb{R}_{>0}$ (:mod:`semialg.families.bottleneck.outer_fibre`). Types with hidden neurons (U$\pm$)
    raise :class:`ArchitectureError`.
    Cost: $O(1)$ to build; each component $O(n_2n_3)$ polynomials.
    """
    t = _require_generic(net, "fibre")
    if t.case == "a":
        if t.regime != "PN" or any(c != "V" for c in t.classes):
            raise ArchitectureError(f"explicit case-(a) fibres need every first-layer neuron visible and N "
                                    f"non-empty; got {t.describe()} (use equivalent() for membership, "
                                    f"fibre_dimension())")
        parts = OuterFibre(net)
    else:
        parts = RidgeFibre(net, t)
    return BottleneckFibre(net.variables().flat, parts.index, parts.build, parts.locate,
                           description=f"fibre of a bottleneck {net.architecture} parameter ({t.describe()})",
                           index_name=parts.index_name, network=net, _sampler=parts.sample)


def fibre_dimension(net: Network) -> int:
    r"""The dimension of the fibre of a generic bottleneck parameter, from the formulas of the math note.

    Case (b): $(1 + n_2) + z(n_3+1) + [a(n_3+1) - n_3 \text{ if } a \ge 1] + [1 \text{ if } H \text{ hidden}]$.
    Case (a), $U^\pm = \emptyset$: $(n_1 + 1) + u(n_0+1) - [n_0 \text{ if } |U^+| \ge 1]$ with $u = |U^-| + |U^+|$;
    regime T: $n_1 + 2$. Raises :class:`ArchitectureError` for types the formulas do not cover (constant
    functions, U$\pm$ or constant neurons) and for parameters that are not generic (:func:`semialg.genericity`).
    Cost: that of :func:`semialg.genericity`.
    """
    t = _require_generic(net, "fibre_dimension")
    n0, n1, n2, n3 = net.widths
    if t.regime == "constant" or "D" in t.classes or "U+-" in t.classes:
        raise ArchitectureError(f"no closed-form fibre dimension for this type: {t.describe()}")
    if t.case == "b":
        a, z = t.count("A"), t.count("Z")
        return (1 + n2) + z * (n3 + 1) + (a * (n3 + 1) - n3 if a else 0) + (1 if t.regime == "hidden" else 0)
    if t.regime == "T":
        return n1 + 2
    u, up = t.count("U-") + t.count("U+"), t.count("U+")
    return (n1 + 1) + u * (n0 + 1) - (n0 if up else 0)
