r"""Small caches shared by the case-(a) identifiability routes (proofs and witness finders ask the same questions
of one parameter several times): the :class:`~semialg.families.bottleneck.hidden_region.HiddenRegion` of a network
and the decided identifiability of an inner shallow network; the pieces of $\overline P$ and $\{h \le 0\}$
(:func:`~.obstructions._pieces`) and the face of $\partial P$ (:func:`~.obstructions._standard_face`), kept by
:mod:`~.obstructions` itself.

All are deterministic functions of the network (a region is the same whatever its clock; a decided
identifiability status does not depend on the budget), so a cached answer is the answer; an ``"unknown"`` status
is never cached (a larger budget may decide it). At most :data:`SIZE` networks are kept, oldest dropped first.
Cost: a dictionary lookup by the network's exact hash.

>>> from semialg.core.network import Network
>>> net = Network.random((2, 3, 1, 1), seed=9, height=3)
>>> hidden_region(net) is hidden_region(net)
True
"""

from __future__ import annotations

from semialg.core.network import Network
from semialg.families.bottleneck.hidden_region import HiddenRegion
from semialg.families.bottleneck.obstructions import _pieces, _standard_face

__all__ = ["hidden_region", "pieces", "standard_face", "inner_identifiable", "SIZE"]

#: How many networks each cache keeps.
SIZE = 16
_REGIONS: dict = {}
_INNER: dict = {}


def _keep(cache: dict, key, value):
    cache[key] = value
    while len(cache) > SIZE:
        del cache[next(iter(cache))]
    return value


def hidden_region(net: Network, clock=None) -> HiddenRegion:
    """``HiddenRegion(net, clock)``, built once per network (errors, e.g. the clock running out, are not cached)."""
    found = _REGIONS.get(net)
    return found if found is not None else _keep(_REGIONS, net, HiddenRegion(net, clock))


#: :func:`~.obstructions._pieces` and :func:`~.obstructions._standard_face` of a network, which keep their answers
pieces, standard_face = _pieces, _standard_face


def inner_identifiable(inner: Network, budget: float):
    """:func:`~semialg.engine.identifiability.identifiable` of ``inner`` within ``budget`` seconds, a decided answer
    (identifiable / not identifiable) computed once per network."""
    from semialg.engine.identifiability import identifiable
    found = _INNER.get(inner)
    if found is not None:
        return found
    result = identifiable(inner, budget=budget)
    return _keep(_INNER, inner, result) if result.status != "unknown" else result
