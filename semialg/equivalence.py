"""Functional equivalence for any two ReLU networks: dispatch to the fastest exact method that applies.

Two shallow networks go to the canonical-form algorithm of :mod:`semialg.shallow` ($O(n(m+k)\\log n)$);
everything else goes to the region-refinement oracle of :mod:`semialg.pl` (exponential in the worst
case). Each answer carries a certificate that ``r.verify(net1, net2)`` re-checks exactly.

>>> from semialg.network import Network
>>> deep = Network.from_arrays([[[1]], [[1]], [[1]]], [[0], [0], [0]])        # s(s(x)) = s(x)
>>> shallow = Network.from_arrays([[[1]], [[1]]], [[0], [0]])
>>> r = equivalent(deep, shallow); bool(r), r.method
(True, 'region refinement')
"""

from __future__ import annotations

from . import pl, shallow
from .certificate import EquivalenceResult
from .network import Network
from .polyhedron import Polytope

__all__ = ["equivalent"]


def equivalent(net1: Network, net2: Network, domain: Polytope | None = None) -> EquivalenceResult:
    """Decide $f_{\\theta_1} = f_{\\theta_2}$ (on ``domain``, default everywhere) with a certificate.

    Cost: $O(n(m+k)\\log n)$ for two shallow networks on the whole space; otherwise that of
    :func:`semialg.pl.equivalent` (one exact LP per candidate region of the common refinement).
    """
    if domain is None and net1.depth == 2 and net2.depth == 2:
        return shallow.equivalent(net1, net2)
    return pl.equivalent(net1, net2, domain)
