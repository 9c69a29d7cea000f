r"""The shape shared by the case-(a) identifiability theorems: evidence holding no data, whose ``verify`` decides
the hypotheses afresh (:class:`DecidedHypotheses`, a subclass supplying ``failure``), the theorem's own step, which
re-checks the architecture (:class:`CaseATheorem`), and the test choosing the route (:func:`holds`). Evidence
without data leaves a forger nothing to choose; ``verify`` raises :class:`~semialg.errors.CertificateError` with
the reason a hypothesis fails.

>>> from semialg.core.network import Network
>>> from semialg.families.bottleneck.ident_spare import SpareNeuron
>>> net = Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]])
>>> holds(SpareNeuron(), net), CaseATheorem().verify(net)
(False, True)
"""

from __future__ import annotations

from dataclasses import dataclass

from semialg.core.network import Network
from semialg.errors import CertificateError, SemialgError
from semialg.families.bottleneck.views import bottleneck_case

__all__ = ["DecidedHypotheses", "CaseATheorem", "holds"]


@dataclass(frozen=True)
class DecidedHypotheses:
    """Evidence with no data for the hypotheses of a theorem: ``failure(net, deadline)`` says why they fail
    (``None`` when they hold; past ``deadline``, a :func:`time.monotonic` value, an
    :class:`~semialg.errors.UndecidedError`), ``verify(net)`` decides them afresh, exactly."""

    def failure(self, net: Network, deadline: float | None = None) -> str | None:
        raise NotImplementedError

    def verify(self, net: Network) -> bool:
        try:
            why = self.failure(net)
        except SemialgError as e:
            raise CertificateError(f"the hypotheses are undecided: {e}") from None
        if why is not None:
            raise CertificateError(why)
        return True


@dataclass(frozen=True)
class CaseATheorem:
    """A theorem about case-(a) bottlenecks; ``verify`` re-checks that the network is one."""

    def verify(self, net: Network) -> bool:
        if bottleneck_case(net) != "a":
            raise CertificateError(f"the theorem is about case-(a) bottlenecks, not widths {net.widths}")
        return True


def holds(hypotheses: DecidedHypotheses, net: Network, deadline: float | None = None) -> bool:
    """Whether ``hypotheses`` hold at ``net`` (``False`` when undecided before ``deadline``). Cost: that of its
    ``failure``."""
    try:
        return hypotheses.failure(net, deadline) is None
    except SemialgError:
        return False
