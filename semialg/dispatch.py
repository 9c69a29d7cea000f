"""The public questions, each answered by the fastest architecture family that applies.

Families (:mod:`semialg.families.base`) are tried most specific first: one hidden layer (the canonical-form
algorithm, $O(n(m+k)\\log n)$), a width-1 bottleneck, then any depth. Equivalence on a bounded ``domain``, or
between networks that share no family, goes to the region-refinement oracle of
:mod:`semialg.engine.regions` (exponential in the worst case). Every answer carries a certificate that
``r.verify(net1, net2)`` re-checks exactly; a question that no family answers raises one
:class:`~semialg.errors.ArchitectureError` saying it is not defined for that network.

>>> from semialg.core.network import Network
>>> deep = Network.from_arrays([[[1]], [[1]], [[1]]], [[0], [0], [0]])        # s(s(x)) = s(x)
>>> shallow = Network.from_arrays([[[1]], [[1]]], [[0], [0]])
>>> r = equivalent(deep, shallow); bool(r)
True
"""

from __future__ import annotations

from semialg.core.certificate import EquivalenceResult, check_comparable
from semialg.core.network import Network
from semialg.errors import check_budget
from semialg.engine import regions, tangent
from semialg.families.base import NotDefined, ask, families_for, registered
from semialg.geometry.polyhedron import Polytope

__all__ = ["equivalent", "fibre", "fibre_dimension", "hidden_symmetries", "combinatorial_type", "canonical_form",
           "local_dimension_bounds", "stabilizer"]


def equivalent(net1: Network, net2: Network, domain: Polytope | None = None, **options) -> EquivalenceResult:
    """Decide $f_{\\theta_1} = f_{\\theta_2}$ (on ``domain``, default everywhere) with a certificate.

    Cost: that of the first family applying to both networks (shallow: $O(n(m+k)\\log n)$; bottleneck:
    :func:`semialg.families.bottleneck.equivalent`); otherwise that of :func:`semialg.engine.regions.equivalent`
    (one exact LP per candidate region of the common refinement). ``options`` (e.g. ``budget``) go to the
    family; ``budget=None`` lifts the limit of the families that have one (the deep family's region oracle then
    runs to its end). The certificate records the pair and domain it certifies.
    """
    if options.get("budget") is not None:
        options["budget"] = check_budget(options["budget"], seconds=True)
    check_comparable(net1, net2)
    if domain is None:
        for family in registered():
            if family.applies_to_pair(net1, net2):
                try:
                    return family.equivalent(net1, net2, **options).bind(net1, net2)
                except NotDefined:
                    continue
    return regions.equivalent(net1, net2, domain).bind(net1, net2)


def fibre(net: Network, budget: float | None = 60.0, progress: bool | None = None):
    """The fibre $\\{\\theta' : f_{\\theta'} = f_\\theta\\}$ in the architecture of ``net`` as an explicit
    semi-algebraic set (shallow: :func:`semialg.families.shallow.fibre`; bottleneck:
    :func:`semialg.families.bottleneck.fibre`). A construction that can run long (bottleneck fibres with hidden
    neurons) stops after ``budget`` seconds (``None``: no limit) with :class:`~semialg.errors.UndecidedError` saying
    what it did, and shows a tqdm bar if ``progress`` (``None``: on a terminal, after 2 s); the shallow family
    keeps the budget in its 0-factor search (no stage started when predicted to end past it: at 784-4096-10 the
    rank-one sketch, 6 s, gives way to the peeling of the first output's terms, 0.6 s) and ignores ``progress``; a budget that is not a finite number of seconds $\\ge 0$ is a
    :class:`~semialg.errors.ParameterError`. Cost: that of the family's construction."""
    if budget is not None:
        budget = check_budget(budget, "the fibre budget", seconds=True)
    return ask("fibre", net, lambda family: family.fibre(net, budget=budget, progress=progress))


def fibre_dimension(net: Network) -> int:
    """The dimension of the fibre of ``net`` (its family's closed form). Cost: that of the family."""
    return ask("fibre_dimension", net, lambda family: family.fibre_dimension(net))


def hidden_symmetries(net: Network, budget: float | None = 60.0, progress: bool | None = None) -> tuple:
    """Every :class:`~semialg.core.mechanism.Mechanism` beyond $G$ present at ``net``. ``budget`` and
    ``progress`` as for :func:`combinatorial_type`, which the bottleneck family needs first; the shallow family keeps
    the budget in its exact 0-factor search (:class:`~semialg.errors.UndecidedError` when predicted to end past it),
    and a deeper network is undecided when the image of its earlier layers is not searched in full (regions of more
    than 16 neurons or 4 inputs, or past the budget: the hidden weights and always-active neurons are unknown; the
    error's ``partial`` lists the mechanisms found, each present).
    Cost: that of the family (shallow: $O(n(m+k))$ plus the 0-factor search, 784-4096-10: about 7 s)."""
    if budget is not None:
        budget = check_budget(budget, "the hidden symmetries budget", seconds=True)
    return tuple(ask("hidden_symmetries", net,
                     lambda family: family.mechanisms(net, budget=budget, progress=progress)))


def combinatorial_type(net: Network, budget: float | None = 60.0, progress: bool | None = None):
    """The combinatorial type of ``net`` (bottleneck networks: the class of every neuron and the regime). A case-(a)
    bottleneck parameter that exact witnesses do not settle needs the cells of its first layer's arrangement: that
    enumeration stops after ``budget`` seconds (``None``: no limit) with :class:`~semialg.errors.UndecidedError`
    and shows a tqdm bar after 2 s if ``progress`` (``None``: on a terminal). Cost: that of the family
    (:func:`semialg.families.bottleneck.combinatorial_type`)."""
    if budget is not None:
        budget = check_budget(budget, "the combinatorial type budget", seconds=True)
    return ask("combinatorial_type", net,
               lambda family: family.combinatorial_type(net, budget=budget, progress=progress))


def stabilizer(net: Network, budget: int = 10 ** 5):
    r"""The stabilizer $\{g \in G : g\cdot\theta = \theta\}$ of ``net``: for one hidden layer the closed form of
    :func:`semialg.families.shallow.stabilizer` ($\prod_C S_{|C|} \times (S_z \ltimes \mathbb{R}_{>0}^z)$, $O(n(m+k))$),
    for any depth :func:`semialg.families.deep.stabilizer.stabilizer` (a finite group with generators and exact order
    times $\mathbb{R}_{>0}^d$; $O(\dim\Omega)$ when no hidden neurons tie, else one exact orbit search per tied
    neuron, each stopped after ``budget`` layer matchings with :class:`~semialg.errors.UndecidedError`).

    >>> from semialg.core.network import Network
    >>> stabilizer(Network.from_arrays([[[1], [1]], [[1, 1], [1, 1]], [[1, 1]]], [[0, 0], [0, 0], [0]])).order_of_finite_part
    4
    """
    budget = check_budget(budget, "the stabilizer budget")
    return ask("stabilizer", net, lambda family: family.stabilizer(net, budget=budget))


def canonical_form(net: Network):
    """A canonical representative of the function of ``net`` (shallow: kinks, linear part and constant)."""
    return ask("canonical_form", net, lambda family: family.canonical_form(net))


def local_dimension_bounds(net: Network, budget: float | None = 60.0, progress: bool | None = None) -> tuple[int, int]:
    r"""Proven bounds $(\text{lower}, \text{upper})$ on the dimension at ``net`` of the fibre of its function: the
    first family's that has them (bottleneck: :func:`semialg.families.bottleneck.local.local_dimension_bounds`,
    with the seen kink lines and the robustly hidden neurons), else the first-order bounds of
    :func:`semialg.engine.tangent.local_dimension_bounds`. Random inputs settle the generic case at once; the
    region enumeration that may follow stops after ``budget`` seconds (``None``: no limit), leaving the upper
    bound the rows found give, and shows a tqdm bar after 2 s if ``progress`` (``None``: on a terminal). Cost:
    that of the bounds used.

    >>> from semialg.core.network import Network
    >>> local_dimension_bounds(Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 0], [0]]))   # |x|: the value is 2
    (2, 3)
    """
    if budget is not None:
        budget = check_budget(budget, "the local dimension budget", seconds=True)
    for family in families_for(net):
        try:
            return family.local_dimension_bounds(net, budget=budget, progress=progress)
        except NotDefined:
            continue
    return tangent.local_dimension_bounds(net, budget=budget, progress=progress)
