"""Functional equivalence for any two ReLU networks, and fibres (the equivalence classes): dispatch to the
fastest exact method that applies.

Two shallow networks go to the canonical-form algorithm of :mod:`semialg.families.shallow` ($O(n(m+k)\\log n)$); two
bottleneck networks of the same case to :mod:`semialg.families.bottleneck`; everything else to the region-refinement
oracle of :mod:`semialg.engine.regions` (exponential in the worst case). Each answer carries a certificate that
``r.verify(net1, net2)`` re-checks exactly.

>>> from semialg.core.network import Network
>>> deep = Network.from_arrays([[[1]], [[1]], [[1]]], [[0], [0], [0]])        # s(s(x)) = s(x)
>>> shallow = Network.from_arrays([[[1]], [[1]]], [[0], [0]])
>>> r = equivalent(deep, shallow); bool(r), r.method
(True, 'region refinement')
"""

from __future__ import annotations

from semialg.families import bottleneck; from semialg.engine import regions as pl; from semialg.families import shallow
from semialg.core.certificate import EquivalenceResult
from semialg.core.network import Network
from semialg.geometry.polyhedron import Polytope

__all__ = ["equivalent", "fibre"]


def equivalent(net1: Network, net2: Network, domain: Polytope | None = None) -> EquivalenceResult:
    """Decide $f_{\\theta_1} = f_{\\theta_2}$ (on ``domain``, default everywhere) with a certificate.

    Cost: $O(n(m+k)\\log n)$ for two shallow networks on the whole space; for bottleneck networks that of
    :func:`semialg.families.bottleneck.equivalent`; otherwise that of :func:`semialg.engine.regions.equivalent` (one exact LP per
    candidate region of the common refinement).
    """
    if domain is None and net1.depth == 2 and net2.depth == 2:
        return shallow.equivalent(net1, net2)
    case = bottleneck.bottleneck_case(net1)
    if domain is None and case is not None and case == bottleneck.bottleneck_case(net2):
        return bottleneck.equivalent(net1, net2)
    return pl.equivalent(net1, net2, domain)


def fibre(net: Network):
    """The fibre $\\{\\theta' : f_{\\theta'} = f_\\theta\\}$ in the architecture of ``net`` as an explicit
    semi-algebraic set: :func:`semialg.families.shallow.fibre` for one hidden layer, :func:`semialg.families.bottleneck.fibre`
    for a width-1 first hidden layer. Raises :class:`~semialg.errors.ArchitectureError` otherwise.
    """
    if net.depth == 2:
        return shallow.fibre(net)
    if bottleneck.bottleneck_case(net) is not None:
        return bottleneck.fibre(net)
    from semialg.errors import ArchitectureError
    raise ArchitectureError(f"explicit fibres exist for shallow and bottleneck networks, not {net.architecture}")
