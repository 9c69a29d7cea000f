"""Certificates of functional (in)equivalence shared by every analysis.

A certificate is a small value object whose ``verify(net1, net2)`` re-checks the claim independently and
exactly, raising :class:`~semialg.errors.CertificateError` when it does not hold; ``describe()`` says it in
words. :class:`EquivalenceResult` pairs the yes/no answer with its certificate.

>>> from semialg.core.network import Network
>>> n1 = Network.from_arrays([[[1]], [[1]]], [[0], [0]])
>>> n2 = Network.from_arrays([[[1]], [[2]]], [[0], [0]])
>>> PointCertificate((fmpq(1),), (n1([1]), n2([1]))).verify(n1, n2)
True
"""

from __future__ import annotations

from dataclasses import dataclass

from flint import fmpq

from semialg.core.result import Latexable
from semialg.errors import CertificateError, ShapeError
from semialg.core.network import Network
from semialg.core.symmetry import GroupElement

__all__ = ["PointCertificate", "OrbitCertificate", "Undecided", "EquivalenceResult", "check_comparable",
           "separating_point"]

Vec = tuple[fmpq, ...]


def check_comparable(net1: Network, net2: Network) -> None:
    """Raise :class:`ShapeError` unless the two networks have the same input and output dimensions."""
    a1, a2 = net1.architecture, net2.architecture
    if (a1.input_dim, a1.output_dim) != (a2.input_dim, a2.output_dim):
        raise ShapeError(f"cannot compare networks with input/output dimensions "
                         f"{a1.input_dim}/{a1.output_dim} and {a2.input_dim}/{a2.output_dim}")


@dataclass(frozen=True)
class PointCertificate(Latexable):
    """A rational input ``point`` where the two networks' outputs differ."""

    point: Vec
    values: tuple[Vec, Vec]

    def verify(self, net1: Network, net2: Network) -> bool:
        """Re-evaluate both networks exactly at ``point``; raise :class:`CertificateError` if they agree."""
        y1, y2 = net1(self.point), net2(self.point)
        if y1 == y2:
            raise CertificateError(f"the networks agree at {[str(x) for x in self.point]}")
        return True

    def describe(self) -> str:
        x = ", ".join(map(str, self.point))
        return (f"f1({x}) = ({', '.join(map(str, self.values[0]))}) but "
                f"f2({x}) = ({', '.join(map(str, self.values[1]))})")


def separating_point(net1: Network, net2: Network, candidates) -> PointCertificate:
    """The first of the constructed ``candidates`` where the outputs differ, as a certificate.

    The callers construct the candidates so that one must separate (raises :class:`CertificateError`
    otherwise, an internal error). Cost: two exact evaluations per candidate tried.
    """
    for x in candidates:
        y1, y2 = net1(x), net2(x)
        if y1 != y2:
            return PointCertificate(tuple(x), (y1, y2))
    raise CertificateError("internal error: the constructed points did not separate the networks")


@dataclass(frozen=True)
class OrbitCertificate(Latexable):
    """A group element $g \\in G$ with $g\\cdot\\theta_1 = \\theta_2$."""

    element: GroupElement

    def verify(self, net1: Network, net2: Network) -> bool:
        if self.element.act(net1) != net2:
            raise CertificateError("g . net1 != net2")
        return True

    def describe(self) -> str:
        return f"the parameters lie in one G-orbit; net2 = g . net1 with {self.element!r}"


@dataclass(frozen=True)
class Undecided(Latexable):
    """No answer within the budget: what was ``tried``, in words. It certifies nothing."""

    tried: tuple[str, ...]

    def verify(self, net1: Network, net2: Network) -> bool:
        """Always raises :class:`CertificateError`: an undecided result claims nothing that could be checked."""
        raise CertificateError("the question is undecided; there is no certificate to check")

    def describe(self) -> str:
        return "the budget was spent; tried: " + "; ".join(self.tried)

    def to_json(self) -> dict:
        return {"kind": "undecided", "tried": list(self.tried)}


@dataclass(frozen=True)
class EquivalenceResult(Latexable):
    """The answer to "$f_{\\theta_1} = f_{\\theta_2}$?", with its certificate.

    ``equivalent`` is ``True``, ``False`` or ``None`` (undecided within the budget; the certificate is then an
    :class:`Undecided` record of what was tried). ``r.status`` is ``"equivalent"``, ``"not equivalent"`` or
    ``"undecided"``; ``bool(r)`` is ``True`` only for a proven equivalence, so it is ``False`` when undecided.
    """

    equivalent: bool | None
    certificate: object
    method: str = "shallow canonical form"

    @property
    def status(self) -> str:
        return {True: "equivalent", False: "not equivalent", None: "undecided"}[self.equivalent]

    def __bool__(self) -> bool:
        return self.equivalent is True

    def verify(self, net1: Network, net2: Network) -> bool:
        """Re-check the certificate exactly (raises :class:`CertificateError` if it fails, or if undecided)."""
        return self.certificate.verify(net1, net2)

    def explain(self) -> str:
        """The answer and its reason in words; the first line is a one-sentence summary."""
        head = {True: "Equivalent: ", False: "Not equivalent: ", None: "Undecided: "}[self.equivalent]
        return head + self.certificate.describe() + "."
