"""The :class:`Family` protocol and the registry of architecture families.

An architecture family (one hidden layer; a width-1 bottleneck; any depth) knows the closed forms of its
class of networks: a fast equivalence test, explicit fibres, mechanisms beyond $G$, extra genericity
conditions and degeneracy loci. Families register themselves with :func:`register` when their module is
imported (``import semialg`` imports all built-in ones); the engines (:mod:`semialg.engine`) and the
dispatch (:mod:`semialg.dispatch`) ask :func:`families_for` and never import a family.

A question a family does not answer raises :class:`NotDefined` from its method, and the dispatch moves on
to the next family that applies; when none answers, the user sees one :class:`~semialg.errors.ArchitectureError`
saying the question is not defined for that network.

Adding a family is one module (or folder) with a :class:`Family` subclass and a call to :func:`register`.

>>> [f.name for f in families_for(Network.random((2, 3, 1), seed=0))][:1]
['shallow']
"""

from __future__ import annotations

from typing import Callable, Iterator

from semialg.core.network import Architecture, Network
from semialg.errors import ArchitectureError

__all__ = ["Family", "NotDefined", "register", "families_for", "ask", "registered"]


class NotDefined(ArchitectureError):
    """A question that a family does not answer for a given network."""


class Family:
    """Base class of architecture families: every question defaults to :class:`NotDefined`.

    ``name`` identifies the family; ``priority`` orders the families that apply (lower first: the most
    specific and fastest methods come first).
    """

    name: str = "family"
    priority: int = 100

    def applies(self, net: Network) -> bool:
        """Whether ``net`` belongs to this family."""
        return False

    def applies_to_pair(self, net1: Network, net2: Network) -> bool:
        """Whether this family's equivalence test applies to the pair (default: it applies to both)."""
        return self.applies(net1) and self.applies(net2)

    def _undefined(self, question: str, net: Network | Architecture):
        raise NotDefined(f"{question} is not defined for {self.name} networks like {net}")

    def equivalent(self, net1: Network, net2: Network, **options):
        """An :class:`~semialg.core.certificate.EquivalenceResult` for a pair to which the family applies."""
        self._undefined("equivalent", net1)

    def canonical_form(self, net: Network):
        """A canonical representative of the class of ``net`` under the family's moves."""
        self._undefined("canonical_form", net)

    def stabilizer(self, net: Network, **options):
        """The stabilizer of ``net`` in $G$ (``options``: e.g. ``budget``)."""
        self._undefined("stabilizer", net)

    def fibre(self, net: Network, **options):
        """The fibre of ``net`` as an explicit semi-algebraic set (``options``: e.g. ``budget``, ``progress``)."""
        self._undefined("fibre", net)

    def fibre_dimension(self, net: Network) -> int:
        """The dimension of the fibre of ``net``."""
        self._undefined("fibre_dimension", net)

    def local_dimension_bounds(self, net: Network, **options) -> tuple[int, int]:
        """Proven bounds on the dimension at ``net`` of its fibre, sharper than the first-order ones of
        :func:`semialg.engine.tangent.local_dimension_bounds` (which answer where no family does; ``options``:
        ``budget``, ``progress`` as there)."""
        self._undefined("local_dimension_bounds", net)

    def mechanisms(self, net: Network, **options) -> tuple:
        """The :class:`~semialg.core.mechanism.Mechanism` s beyond $G$ present at ``net`` (``options``:
        ``budget``, ``progress``; a family whose answer is fast ignores them; ``frozen_only``: the mechanisms that
        freeze parameters are enough, a family may leave out searches that find only others)."""
        self._undefined("hidden_symmetries", net)

    def minimal_width_network(self, net: Network, seconds: float | None = None) -> Network:
        """A network of the family computing the function of ``net`` with as few hidden neurons as the family
        can construct (one hidden layer: the minimal form), within ``seconds`` (``None``: the family's default)."""
        self._undefined("minimal_width_network", net)

    def combinatorial_type(self, net: Network, **options):
        """The combinatorial type of ``net`` (what its fibre depends on; ``options``: ``budget``, ``progress``)."""
        self._undefined("combinatorial_type", net)

    def genericity_conditions(self, net: Network, budget: int) -> list:
        """Family-specific genericity conditions (:class:`~semialg.engine.loci.Condition`), beyond the
        per-layer ones every architecture has."""
        return []

    def loci_families(self, arch: Architecture) -> list:
        """Family-specific degeneracy loci (:class:`~semialg.engine.loci.LocusFamily`) of ``arch``."""
        return []

    def applies_to_architecture(self, arch: Architecture) -> bool:
        """Whether networks of ``arch`` belong to this family (used for symbolic questions such as loci)."""
        return False

    def genericity_scope(self, arch: Architecture) -> str | None:
        """What genericity implies for ``arch`` (a sentence), or ``None`` to leave it to another family."""
        return None

    #: The complete proofs of identifiability by the family's theorems (:meth:`identifiability_proof`): theorem
    #: name -> {step name -> the class of the evidence its ``verify(net)`` re-checks}; empty when it has none.
    #: A proof must consist of exactly the steps of one theorem; step names are unique across all theorems.
    identifiability_steps: dict = {}

    def identifiability_proof(self, net: Network, checked: list, deadline: float | None = None) -> tuple | None:
        """The steps (named as one theorem of :attr:`identifiability_steps`) proving that the fibre of ``net`` is
        its $G$-orbit, or ``None``, appending what failed to ``checked``; stop by ``deadline``
        (:func:`time.monotonic`)."""
        return None

    def identifiability_witnesses(self, net: Network, deadline: float | None = None) -> tuple:
        """Candidate witnesses of non-identifiability from the family's own function-preserving moves: pairs
        ``(label, network)``. The engine trusts none of them: each is proven equivalent to ``net`` by a verified
        exact certificate and shown outside the $G$-orbit before it is reported."""
        return ()

    def closed_form_dimension(self, net: Network, deadline: float | None = None):
        """The functional dimension of ``net`` by a closed formula — an ``int``, or a
        :class:`~semialg.engine.functional_dimension.FunctionalDimension` with the inputs on which the Jacobian has that rank — or
        ``None`` when the family has none for it (also when ``deadline``, a :func:`time.monotonic` value, passes
        first)."""
        return None

    def __repr__(self) -> str:
        return f"<family {self.name}>"


_REGISTRY: list[Family] = []


def register(family: Family) -> Family:
    """Add ``family`` to the registry (idempotent by name) and return it."""
    _REGISTRY[:] = [f for f in _REGISTRY if f.name != family.name]
    _REGISTRY.append(family)
    _REGISTRY.sort(key=lambda f: f.priority)
    return family


def registered() -> tuple[Family, ...]:
    """Every registered family, most specific first."""
    return tuple(_REGISTRY)


def families_for(net: Network | Architecture) -> Iterator[Family]:
    """The registered families that apply to ``net`` (or to networks of an architecture), most specific first."""
    if isinstance(net, Architecture):
        return (f for f in _REGISTRY if f.applies_to_architecture(net))
    return (f for f in _REGISTRY if f.applies(net))


def ask(question: str, net: Network, call: Callable[[Family], object]):
    """``call(family)`` for the first family applying to ``net`` that answers; :class:`ArchitectureError`
    ("``question`` is not defined for ...") when none does."""
    for family in families_for(net):
        try:
            return call(family)
        except NotDefined:
            continue
    raise ArchitectureError(f"{question} is not defined for networks of architecture {net.architecture}")
