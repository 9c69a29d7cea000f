"""Certificates of functional (in)equivalence shared by every analysis, bound to the answers they support.

A certificate is a small value object whose ``verify(net1, net2)`` re-checks the claim independently and
exactly, raising :class:`~semialg.errors.CertificateError` when it does not hold; ``describe()`` says it in
words, ``to_json()`` gives it as plain JSON, ``to_latex()`` typesets it. Every certificate class derives from
:class:`Certificate` and declares the answers it can support (``SUPPORTS``): a separating point refutes
equivalence and nothing else; orbit, move, ridge, arrangement and region certificates prove equivalence and
nothing else. A certificate may record its :class:`Subject` (fingerprints of the pair and of the domain);
then it verifies for that pair only.

:class:`EquivalenceResult` pairs the yes/no answer with its certificate; its ``verify`` checks that the
certificate's kind supports the answer, that it speaks about the claim's domain and pair, and re-checks it.

>>> from semialg.core.network import Network
>>> n1 = Network.from_arrays([[[1]], [[1]]], [[0], [0]])
>>> n2 = Network.from_arrays([[[1]], [[2]]], [[0], [0]])
>>> PointCertificate((fmpq(1),), (n1([1]), n2([1]))).verify(n1, n2)
True
>>> forged = EquivalenceResult(True, PointCertificate((fmpq(1),), (n1([1]), n2([1]))))
>>> forged.verify(n1, n2)
Traceback (most recent call last):
...
semialg.errors.CertificateError: a PointCertificate supports only 'not equivalent', not 'equivalent'
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import sys
from dataclasses import dataclass, field
from typing import ClassVar

from flint import fmpq

from semialg.core.result import Latexable, jsonable
from semialg.errors import CertificateError, ParameterError, ShapeError


def refusing_malformed(what: str, verify) -> bool:
    """``verify()``, with any failure other than :class:`~semialg.errors.CertificateError` (malformed content of any
    kind in a certificate read from a file) refused as one :class:`~semialg.errors.CertificateError` naming ``what``.

    >>> refusing_malformed("example certificate", lambda: 1 / 0)
    Traceback (most recent call last):
    ...
    semialg.errors.CertificateError: malformed example certificate: ZeroDivisionError: division by zero
    """
    try:
        return verify()
    except CertificateError:
        raise
    except Exception as e:  # noqa: BLE001 - malformed content of any kind is a refusal, in one line
        text = str(e).replace("\n", " ")
        raise CertificateError(f"malformed {what}: {type(e).__name__}: "
                               f"{text if len(text) <= 80 else text[:80] + '...'}") from None
from semialg.core.network import Network
from semialg.core.symmetry import GroupElement

__all__ = ["Certificate", "Subject", "PointCertificate", "OrbitCertificate", "Undecided", "EquivalenceResult",
           "check_comparable", "separating_point", "network_fingerprint", "domain_fingerprint"]

Vec = tuple[fmpq, ...]

#: The two answers, as the words certificates and results use for them.
ANSWERS = {True: "equivalent", False: "not equivalent"}


def group_element(element) -> GroupElement:
    """``element`` if it is a :class:`GroupElement` itself — not a subclass, whose ``act`` could return anything —
    with its fields re-checked (:meth:`GroupElement.check`); :class:`CertificateError` otherwise. Every verifier
    acts through this."""
    if type(element) is not GroupElement:
        raise CertificateError(f"{type(element).__name__} is not a group element (subclasses are refused)")
    try:
        return element.check()
    except ParameterError as exc:
        raise CertificateError(f"the group element is malformed: {exc}") from None


def defined_in(cls: type, package: str) -> bool:
    """Whether ``cls`` is a class of ``package`` itself: its module is a module of the package and names it.
    A class defined elsewhere is refused even when it sets ``__module__`` to the package's (the module does not
    hold it), so a certificate cannot carry a look-alike move whose ``apply`` skips the precondition."""
    module = sys.modules.get(cls.__module__)
    return cls.__module__.startswith(package + ".") and module is not None and \
        getattr(module, cls.__qualname__, None) is cls


def check_comparable(net1: Network, net2: Network) -> None:
    """Raise :class:`ShapeError` unless the two networks have the same input and output dimensions (and
    :class:`ParameterError` if either is not a network)."""
    for i, net in enumerate((net1, net2), start=1):
        if not isinstance(net, Network):
            raise ParameterError(f"network {i} must be a Network, not {type(net).__name__}")
    a1, a2 = net1.architecture, net2.architecture
    if (a1.input_dim, a1.output_dim) != (a2.input_dim, a2.output_dim):
        raise ShapeError(f"cannot compare networks with input/output dimensions "
                         f"{a1.input_dim}/{a1.output_dim} and {a2.input_dim}/{a2.output_dim}")


# -- what a certificate is about ------------------------------------------------------------------------

def _digest(parts) -> str:
    h = hashlib.sha256()
    for p in parts:
        # hex for Python ints: decimal str() refuses integers beyond 4300 digits
        h.update(p if isinstance(p, bytes) else (format(p, "x") if isinstance(p, int) else str(p)).encode())
        h.update(b";")
    return h.hexdigest()[:32]


def network_fingerprint(net: Network) -> str:
    """A 128-bit hex digest of the widths and the exact parameters of ``net`` (equal networks, equal digests).

    Cost: $O(\\dim\\Omega)$; each weight matrix is hashed as its integer form $N / d$ (a canonical form:
    $d$ least, ``int64`` exactly when every entry fits), as raw little-endian bytes: about 0.05 s for
    784-4096-10. A matrix whose least common denominator reaches $2^{62}$ is hashed entry by entry ($p/q$ in
    lowest terms, also canonical): its integer form could be $rc$ times as long as the matrix (20,000 distinct
    7-digit denominators: 3 GB).

    >>> a = Network.from_arrays([[[1]], [[2]]], [[0], [0]])
    >>> network_fingerprint(a) == network_fingerprint(Network.from_arrays([[["2/2"]], [[2]]], [[0], [0]]))
    True
    """
    parts: list = [net.widths]
    for W, b in net.layers():
        if W.denominator_within():
            N = W.numerators
            parts += [W.denominator, N.astype("<i8").tobytes() if N.dtype != object
                      else ",".join(format(x, "x") for x in N.ravel().tolist())]
        else:
            parts += ["entries", ",".join(f"{int(y.p):x}/{int(y.q):x}" for y in (fmpq(x) for row in W.rows
                                                                                   for x in row))]
        parts.append(",".join(map(str, b)))
    return _digest(parts)


def domain_fingerprint(domain) -> str | None:
    """The digest of a :class:`~semialg.geometry.polyhedron.Polytope`'s inequalities; ``None`` (everywhere)
    stays ``None``."""
    if domain is None:
        return None
    return _digest((domain.dim, *(x for g, c in domain.inequalities for x in (*g, c))))


@dataclass(frozen=True)
class Subject:
    """What a certificate certifies: fingerprints of the first and second network and of the domain."""

    first: str
    second: str
    domain: str | None = None

    @classmethod
    def of(cls, net1: Network, net2: Network, domain=None) -> "Subject":
        return cls(network_fingerprint(net1), network_fingerprint(net2), domain_fingerprint(domain))


# A replay of a forged certificate may fail with any of these; verify() turns them into CertificateError.
_REPLAY_ERRORS = (ParameterError, IndexError, KeyError, TypeError, ValueError, ArithmeticError, AttributeError,
                  StopIteration)


def check_neurons(neurons, n: int, what: str = "neurons") -> tuple[int, ...]:
    """``neurons`` as a tuple of distinct indices in ``range(n)``, or :class:`CertificateError`: a move of a
    certificate must never alias a neuron through a negative or repeated index.

    >>> check_neurons([2, 0], 3)
    (2, 0)
    """
    out = tuple(neurons)
    if (any(not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < n for i in out)
            or len(set(out)) != len(out)):
        raise CertificateError(f"{what} {list(out)} are not distinct indices in 0..{n - 1}")
    return out


# -- the certificate contract ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Certificate(Latexable):
    """Base of every certificate. Subclasses set ``SUPPORTS`` (the answers, ``True`` = equivalent, that
    they can prove) and implement ``verify(net1, net2)`` and ``describe()``.

    ``subject`` (keyword-only, optional) records the pair (and domain) the certificate was issued for; a
    bound certificate refuses to verify for any other pair. Every subclass's ``verify`` is wrapped so that
    this check runs first: a subclass cannot forget it.
    """

    SUPPORTS: ClassVar[frozenset] = frozenset()

    subject: Subject | None = field(default=None, kw_only=True, compare=False, repr=False)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.SUPPORTS or not cls.SUPPORTS <= {True, False}:
            raise TypeError(f"{cls.__name__} must declare SUPPORTS, a non-empty subset of {{True, False}}")
        own = cls.__dict__.get("verify")
        if own is not None and not getattr(own, "_checks_subject", False):
            @functools.wraps(own)
            def verify(self, net1: Network, net2: Network, **claim) -> bool:
                self.check_subject(net1, net2)
                try:
                    return own(self, net1, net2, **claim)
                except _REPLAY_ERRORS as err:
                    # a forged or corrupted certificate may fail anywhere in its replay: one kind of refusal
                    raise CertificateError(f"{cls.__name__} does not replay on this pair: "
                                           f"{type(err).__name__}: {err}") from None
            verify._checks_subject = True
            cls.verify = verify

    def verify(self, net1: Network, net2: Network) -> bool:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def supports(self, answer: bool) -> bool:
        """Whether this kind of certificate can support ``answer`` (True: equivalent)."""
        return answer in self.SUPPORTS

    def bind(self, net1: Network, net2: Network, domain=None) -> "Certificate":
        """This certificate recording that it certifies ``(net1, net2)`` on ``domain``."""
        return dataclasses.replace(self, subject=Subject.of(net1, net2, domain))

    def check_subject(self, net1: Network, net2: Network) -> None:
        """Raise :class:`CertificateError` if this certificate was issued for another pair."""
        s = self.subject
        if s is not None and (s.first, s.second) != (network_fingerprint(net1), network_fingerprint(net2)):
            raise CertificateError(f"this {type(self).__name__} was issued for another pair of networks")

    def to_json(self) -> dict:
        """The certificate as plain JSON: its type and data, the answers it supports and its subject."""
        return {**super().to_json(), "supports": [ANSWERS[a] for a in sorted(self.SUPPORTS)],
                "subject": None if self.subject is None else dataclasses.asdict(self.subject)}


@dataclass(frozen=True)
class PointCertificate(Certificate):
    """A rational input ``point`` where the two networks' outputs differ (``values``, recomputed by ``verify``)."""

    SUPPORTS: ClassVar[frozenset] = frozenset({False})

    point: Vec
    values: tuple[Vec, Vec]

    def verify(self, net1: Network, net2: Network) -> bool:
        """Re-evaluate both networks exactly at ``point``; raise :class:`CertificateError` if they agree or
        if the recorded values are not the true ones."""
        if len(self.point) != net1.architecture.input_dim or not all(isinstance(x, fmpq) for x in self.point):
            raise CertificateError(f"the point must be {net1.architecture.input_dim} exact rationals")
        y1, y2 = net1(self.point), net2(self.point)
        if y1 == y2:
            raise CertificateError(f"the networks agree at {[str(x) for x in self.point]}")
        if (tuple(y1), tuple(y2)) != (tuple(self.values[0]), tuple(self.values[1])):
            raise CertificateError(f"the recorded values at {[str(x) for x in self.point]} are not the outputs")
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
class OrbitCertificate(Certificate):
    """A group element $g \\in G$ with $g\\cdot\\theta_1 = \\theta_2$."""

    SUPPORTS: ClassVar[frozenset] = frozenset({True})

    element: GroupElement

    def verify(self, net1: Network, net2: Network) -> bool:
        group_element(self.element)   # itself, fields re-checked: they may have been altered or subclassed
        if tuple(self.element.hidden_widths) != tuple(net1.architecture.hidden_widths) or \
                net1.architecture != net2.architecture:
            raise CertificateError("the group element does not act on these architectures")
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
    """The answer to "$f_{\\theta_1} = f_{\\theta_2}$ on ``domain``?" (``None``: everywhere), with its
    certificate.

    ``equivalent`` is ``True``, ``False`` or ``None`` (undecided within the budget; the certificate is then an
    :class:`Undecided` record of what was tried). ``r.status`` is ``"equivalent"``, ``"not equivalent"`` or
    ``"undecided"``; ``bool(r)`` is ``True`` only for a proven equivalence, so it is ``False`` when undecided.
    """

    equivalent: bool | None
    certificate: Certificate | Undecided
    method: str = "shallow canonical form"
    domain: object = None

    @property
    def status(self) -> str:
        return {True: "equivalent", False: "not equivalent", None: "undecided"}[self.equivalent]

    def __bool__(self) -> bool:
        return self.equivalent is True

    def bind(self, net1: Network, net2: Network) -> "EquivalenceResult":
        """This result with its certificate recording the pair and domain it certifies."""
        if not isinstance(self.certificate, Certificate):
            return self
        return dataclasses.replace(self, certificate=self.certificate.bind(net1, net2, self.domain))

    def verify(self, net1: Network, net2: Network) -> bool:
        """Check that the certificate supports this answer, about this pair and this domain, and re-check it
        exactly (raises :class:`CertificateError` if anything fails).

        A separating point must lie in the domain; a certificate of equivalence must be about exactly the
        claimed domain (one over a box never proves equivalence everywhere).
        """
        cert, answer = self.certificate, self.equivalent
        if answer is None:
            raise CertificateError("the question is undecided; there is no certificate to check")
        if not isinstance(answer, bool):
            raise CertificateError(f"the answer must be True or False, not {answer!r}")
        if not isinstance(cert, Certificate):
            raise CertificateError(f"{type(cert).__name__} is not a certificate")
        if not cert.supports(answer):
            raise CertificateError(f"a {type(cert).__name__} supports only "
                                   f"{' or '.join(repr(ANSWERS[a]) for a in sorted(cert.SUPPORTS))}, "
                                   f"not {ANSWERS[answer]!r}")
        if cert.subject is not None and cert.subject.domain != domain_fingerprint(self.domain):
            raise CertificateError(f"this {type(cert).__name__} was issued for another domain")
        if answer:
            # Universal certificates carry the domain they cover (``None``: everywhere), which must be the claim's.
            if domain_fingerprint(getattr(cert, "domain", None)) != domain_fingerprint(self.domain):
                raise CertificateError(f"the {type(cert).__name__} covers "
                                       f"{_where(getattr(cert, 'domain', None))}, the claim is about "
                                       f"{_where(self.domain)}")
        elif self.domain is not None and not self.domain.contains(cert.point):
            raise CertificateError("the separating point lies outside the domain of the claim")
        if answer and self.domain is not None:  # only a certificate over this very domain got here
            return cert.verify(net1, net2, domain=self.domain)
        return cert.verify(net1, net2)

    def explain(self) -> str:
        """The answer and its reason in words; the first line is a one-sentence summary."""
        head = {True: "Equivalent: ", False: "Not equivalent: ", None: "Undecided: "}.get(self.equivalent, "")
        return head + self.certificate.describe() + "."

    def describe(self) -> str:
        return self.explain()

    def to_json(self) -> dict:
        return {"equivalent": self.equivalent, "status": self.status, "method": self.method,
                "domain": None if self.domain is None else jsonable(self.domain.inequalities),
                "certificate": self.certificate.to_json()}


def _where(domain) -> str:
    return "the whole input space" if domain is None else "a bounded domain"
