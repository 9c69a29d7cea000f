"""Identifiability of a given parameter: is the fibre $\\{\\theta' : f_{\\theta'} = f_\\theta\\}$ exactly $G\\cdot\\theta$?

Grillo and Montúfar ("Most ReLU networks admit identifiable parameters") prove that every architecture with
input and hidden widths $\\ge 2$ has an open set of identifiable parameters; Phuong and Lampert ("Functional
vs. parametric equivalence of ReLU networks", ICLR 2020) construct identifiable parameters for non-increasing
widths. For a *given* parameter :func:`identifiable` answers with exactly one of three statuses:

- ``"not identifiable"`` — a **witness** $\\theta'$ in the same architecture, obtained from $\\theta$ by one
  function-preserving :class:`WitnessMove` whose exact precondition is re-checked, and outside $G\\cdot\\theta$
  by the exhaustive exact orbit search of :func:`semialg.engine.orbit.orbit_element`. The moves (valid at any
  depth, each a short computation with $\\sigma(z) = \\sigma(-z) + z$ and $\\sigma(\\lambda z) = \\lambda\\sigma(z)$):
  a dead neuron's row reassigned; a constant neuron's bias refolded into the next bias; one of two positive
  twins emptied into the other; a 0-factor flip (Grigsby, Lindsey, Rolnick, "Hidden symmetries of ReLU
  networks", ICML 2023); output weights traded along opposite pairs whose rows are linearly dependent; a
  "phantom" opposite pair (computing a linear function) translated; an opposite pair's second neuron relocated
  to a parallel hyperplane; a weight hidden where the neuron is off, or the bias of an always-active neuron
  (both decided on the regions of the earlier layers); for one hidden layer, a narrower network (the
  family's minimal form) padded with zero neurons. A family's explicit fibre
  (:meth:`~semialg.families.base.Family.fibre`) supplies further candidates (its ``sample``), and so do its own
  moves (:meth:`~semialg.families.base.Family.identifiability_witnesses`, e.g. hidden first-layer neurons of
  case-(a) bottlenecks): each proven equivalent by a verified exact certificate, then checked against the orbit.
- ``"identifiable"`` — a **proof**: a list of conditions, each re-checkable exactly, that together imply
  identifiability by a theorem. Proven today, for one hidden layer: outside every degeneracy locus (no dead
  neuron, pairwise independent rows $(w_i, b_i)$, no 0-factor set) the fibre is $G\\cdot\\theta$ — the
  classification theorem of shallow networks (:mod:`semialg.engine.loci`); and for a non-generic parameter
  without dead, constant or twin neurons whose opposite pairs carry kinks and have independent weight rows,
  when the non-empty components of the family's fibre (the union over combinatorial types, counted exactly
  without listing them) are exactly the permutations of the type of $\\theta$ ($G$ preserves types and
  permutes them; within the type of $\\theta$ the kinks and the pairs fix every neuron up to scale) — otherwise
  a member of a type that is no permutation of it (one per class of types up to $G$, listed in order) is a
  witness; and a family's own theorem (:meth:`~semialg.families.base.Family.identifiability_proof`:
  case-(a) bottlenecks whose first-layer neurons are all visible, or whose inner network is determined ($h' =
  \\mu h$ for every member), and whose inner network is identifiable; case-(b) bottlenecks whose profile has
  $n_2 + 1$ kinks and a unique switching-off set; a family may offer several theorems, and a proof must be
  exactly the steps of one of them).
- ``"unknown"`` — what was checked. For deeper networks the strongest statement proven is **local
  identifiability**: if the exact Jacobian of $\\theta \\mapsto (f_\\theta(x))_{x \\in X}$ at finitely many
  inputs $X$ where no hidden pre-activation vanishes has rank $\\dim\\Omega - \\#\\text{hidden}$, then by the
  constant rank theorem (the rank cannot exceed that bound and is lower semicontinuous) some neighbourhood
  $U$ of $\\theta$ has fibre $\\cap\\, U = G\\cdot\\theta \\cap U$ (Bona-Pellissier, Bachoc and Malgouyres,
  "Parameter identifiability of a deep feedforward ReLU neural network", 2023, for the local statement).
  Large networks are certified instead by kink peeling (:mod:`semialg.engine.kink_peeling`): the kernel of that
  Jacobian is shown to be the rescaling fields neuron by neuron, from points where one neuron bends.

A deficient rank is *not* a proof of non-identifiability: $|x| = \\sigma(x) + \\sigma(-x)$ in the
architecture 1-2-1 has functional dimension $4 < 7 - 2$, yet its fibre is its $G$-orbit (the classification
theorem: the only kink, at 0, and the linear part force both neurons).

>>> from semialg.core.network import Network
>>> identifiable(Network.random((2, 3, 1), seed=0)).status
'identifiable'
>>> r = identifiable(Network.from_arrays([[[1, 0], [0, 1]], [[1, 0]]], [[0, 0], [0]]))   # dead neuron
>>> r.status, r.move.kind, r.verify(Network.from_arrays([[[1, 0], [0, 1]], [[1, 0]]], [[0, 0], [0]]))
('not identifiable', 'dead row', True)
"""

from __future__ import annotations

import itertools
import math
import random as _random
import time
from collections import Counter
from dataclasses import dataclass, field

from flint import fmpq

from semialg.core.exact import nullspace
from semialg.core.modular import rank_mod_fits, rank_mod_seconds
from semialg.core.network import Network
from semialg.core.result import Result
from semialg.errors import check_budget
from semialg.engine.loci import SHALLOW_SCOPE, Condition, GenericityReport, UndecidedError, cheap_genericity, \
    genericity
from semialg.engine.orbit import orbit_element
from semialg.engine.hierarchy import _equivalent as exact_equivalence
from semialg.engine.jacobian import LocalRankCertificate, jacobian_rank_mod, sampled_batch
from semialg.engine.kink_peeling import PEEL_FIRST, KinkPeelingCertificate, kink_peeling_certificate
from semialg.engine.regions import smooth_inputs
from semialg.engine.neurons import column, hyperplane_pairs, predicted_late
from semialg.engine.witnesses import WitnessMove, image_moves, witness_moves
from semialg.errors import CertificateError, SemialgError
from semialg.families.base import NotDefined, families_for, registered

__all__ = ["identifiable", "IdentifiabilityResult", "WitnessMove", "ProofStep", "LocalRankCertificate",
           "witness_moves", "image_moves"]

_ZERO, _ONE = fmpq(0), fmpq(1)
STATUSES = ("identifiable", "not identifiable", "unknown")
#: Seconds ``verify`` spends proving a witness equivalent (family closed form, else the region oracle); for a
#: witness its replayed move proves equivalent, the seconds spent confirming it independently.
VERIFY_BUDGET, REPLAYED_BUDGET = 60.0, 2.0


# -- proofs -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProofStep(Result):
    """One condition that holds at the parameter, with the evidence ``verify(net)`` re-checks exactly."""

    name: str
    statement: str
    evidence: object = field(default=None, repr=False)

    def verify(self, net: Network) -> bool:
        """Re-check the evidence, which must be of the kind the step's name calls for (any other object with a
        ``verify`` proves nothing); a genericity condition is re-checked by a fresh condition's checker."""
        if not self.is_condition():
            verified = self.evidence.verify(net)
            if type(self.evidence) is KinkPeelingCertificate and not self.evidence.proves_local_identifiability:
                raise CertificateError(f"step {self.name!r}: the kink-peeling certificate has silent neurons (their "
                                       "rows are free: no local identifiability)")
            return verified
        fresh = {c.name: c for c in cheap_genericity(net).conditions}.get(self.name)
        if fresh is None:
            raise CertificateError(f"step {self.name!r} is not a genericity condition of this network")
        if fresh.holds is False or fresh.check is None:
            raise CertificateError(f"the condition {self.name!r} cannot be re-checked as holding")
        return fresh.check(net, self.evidence)

    def is_condition(self) -> bool:
        """Whether the step is a genericity condition (evidence: a :class:`Condition` of the step's name, claimed
        to hold); raises :class:`CertificateError` for evidence of a kind the step's name does not call for."""
        kinds = _EVIDENCE.get(self.name) or _family_evidence().get(self.name, Condition)
        kinds = kinds if isinstance(kinds, tuple) else (kinds,)
        if type(self.evidence) not in kinds:
            raise CertificateError(f"step {self.name!r} needs a {' or a '.join(k.__name__ for k in kinds)}, not a "
                                   f"{type(self.evidence).__name__}")
        if type(self.evidence) is not Condition:
            return False
        if self.evidence.name != self.name or self.evidence.holds is not True:
            raise CertificateError(f"step {self.name!r} is not a genericity condition holding at this network")
        return True

    def describe(self) -> str:
        return f"{self.name}: {self.statement}"

    def to_json(self) -> dict:
        return {"type": "ProofStep", "name": self.name, "statement": self.statement}


@dataclass(frozen=True)
class _Theorem:
    """A theorem's hypothesis on the architecture, re-checked by ``verify``."""

    depth: int

    def verify(self, net: Network) -> bool:
        if net.depth != self.depth:
            raise CertificateError(f"the theorem is about depth {self.depth}, the network has depth {net.depth}")
        return True


@dataclass(frozen=True)
class IdentifiabilityResult(Result):
    """Whether the fibre of a parameter is its $G$-orbit.

    ``status`` is ``"identifiable"`` (``proof`` lists the conditions that imply it), ``"not identifiable"``
    (``witness`` is an equivalent network outside the orbit, reached by ``move``) or ``"unknown"`` (``proof``
    lists what does hold, e.g. local identifiability; ``checked`` what was tried). ``bool(r)`` is true only
    for a proven ``"identifiable"``. ``verify(net)`` re-checks that the proof steps are exactly one complete
    proof for this network (see :func:`_check_proof`) and each step, or the witness (the move's precondition,
    equivalence by a verified exact certificate, and the exhaustive orbit search).
    """

    status: str
    proof: tuple[ProofStep, ...] = ()
    witness: Network | None = field(default=None, repr=False)
    move: WitnessMove | None = None
    checked: tuple[str, ...] = ()
    locally_identifiable: bool | None = None

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")

    def __bool__(self) -> bool:
        return self.status == "identifiable"

    def verify(self, net: Network) -> bool:
        """Re-check the answer exactly; raise :class:`CertificateError` when it does not hold (or is unknown)."""
        if self.status == "not identifiable":
            if not isinstance(self.witness, Network) or self.witness.widths != net.widths:
                raise CertificateError("the witness is missing or has another architecture")
            if not isinstance(self.move, WitnessMove):
                raise CertificateError("the witness carries no move")
            replayed = self.move.target is None
            if replayed and self.move.apply(net) != self.witness:
                raise CertificateError("the move does not lead from the network to the witness")
            # f_witness = f_net exactly and everywhere: by the replayed move (its precondition re-checked exactly,
            # the function kept by its theorem), confirmed by a verified independent decision when one is found in
            # REPLAYED_BUDGET (a 4-16-16-2 hidden weight: undecided after 60 s) and by exact values at random inputs
            same = exact_equivalence(net, self.witness, time.monotonic() + (REPLAYED_BUDGET if replayed else
                                                                            VERIFY_BUDGET))
            if same.equivalent is True and same.domain is None:
                same.verify(net, self.witness)
            elif not replayed or same.equivalent is False:
                raise CertificateError(f"the witness is not proven equivalent to the network ({same.status})")
            elif (x := _differing_input(net, self.witness)) is not None:
                raise CertificateError(f"the witness and the network differ at {[str(v) for v in x]}")
            if orbit_element(net, self.witness) is not None:
                raise CertificateError("the witness lies in the G-orbit of the network")
            return True
        if self.status == "unknown":
            for step in self.proof:
                step.verify(net)
            raise CertificateError("identifiability is unknown; only the listed partial conditions were proven")
        return _check_proof(net, self.proof)

    def explain(self) -> str:
        head = {"identifiable": "Identifiable: the fibre is exactly the G-orbit.",
                "not identifiable": "Not identifiable: an equivalent parameter lies outside the G-orbit.",
                "unknown": "Unknown: neither a proof nor a witness was found."}[self.status]
        lines = [head]
        if self.move is not None:
            lines.append(f"  witness by {self.move.kind}: {self.move.describe()}")
        lines += [f"  [proven] {s.describe()}" for s in self.proof]
        lines += [f"  [checked] {c}" for c in self.checked]
        return "\n".join(lines)

    def describe(self) -> str:
        head = self.explain().splitlines()[0]
        if self.status == "not identifiable" and self.move is not None:
            return f"{head} Witness by {self.move.kind}: {self.move.describe()}"
        local = " Locally identifiable (proven): near the parameter the fibre is the G-orbit."
        return head + (local if self.status == "unknown" and self.locally_identifiable else "")

    def to_json(self) -> dict:
        return {"type": "IdentifiabilityResult", "status": self.status,
                "proof": [s.to_json() for s in self.proof],
                "witness": None if self.witness is None else {
                    "widths": list(self.witness.widths),
                    "weights": [[[str(x) for x in r] for r in W] for W in self.witness.weights],
                    "biases": [[str(x) for x in b] for b in self.witness.biases]},
                "move": None if self.move is None else {"kind": self.move.kind, "layer": self.move.layer,
                                                        "neurons": list(self.move.neurons)},
                "checked": list(self.checked), "locally_identifiable": self.locally_identifiable}


#: The two complete proofs of identifiability for one hidden layer (besides the genericity conditions of
#: the first, which :func:`semialg.engine.loci.genericity` lists afresh for the network).
_STRUCTURAL_PROOF = ("shallow structure", "components in the orbit", "classification theorem")


def _check_proof(net: Network, proof: tuple) -> bool:
    """Whether ``proof`` is exactly one complete proof of identifiability for ``net``, every step re-checked:
    either every condition of a fresh :func:`genericity` (shallow scope) plus the classification theorem, or
    the structural steps of :func:`_shallow_proof`, or exactly the steps of one theorem of a family (at any depth);
    without a hidden layer the one step saying so (an affine map determines its parameters). Local
    identifiability never proves identifiability."""
    if not proof or not all(type(step) is ProofStep for step in proof):   # a subclass could override verify
        raise CertificateError("no proof")
    if net.depth == 1:     # f = Wx + b determines (W, b): the one step names that, for this depth
        if [step.name for step in proof] != ["no hidden layer"]:
            raise CertificateError("without a hidden layer the proof is the single step 'no hidden layer'")
        return proof[0].verify(net)
    names = sorted(step.name for step in proof)
    if "local identifiability" in names:
        raise CertificateError("local identifiability does not prove identifiability")
    for family in families_for(net):
        if any(names == sorted(steps) for steps in family.identifiability_steps.values()):
            return all(step.verify(net) for step in proof)
    if net.depth != 2:
        raise CertificateError(f"the steps are not the proof of a theorem for depth {net.depth}: one hidden layer, "
                               f"or a family's ({', '.join(f.name for f in families_for(net))})")
    if names == sorted(_STRUCTURAL_PROOF):
        return all(step.verify(net) for step in proof)
    # the generic route: the classification theorem and exactly the fresh genericity conditions, all holding,
    # shallow scope; the conditions' certificates are re-checked once, by the report
    conditions = [step.evidence for step in proof if step.is_condition()]
    theorems = [step for step in proof if type(step.evidence) is not Condition]
    if [step.name for step in theorems] != ["classification theorem"]:
        raise CertificateError("the steps are not a complete proof: the classification theorem and the genericity "
                               "conditions, nothing else")
    theorems[0].verify(net)
    report = GenericityReport(net.architecture, tuple(conditions), SHALLOW_SCOPE)
    report.verify(net)
    if report.status != "generic":
        raise CertificateError(f"the genericity conditions do not all hold ({report.status})")
    return True


# -- the decision -------------------------------------------------------------------------------------

def _outside_orbit(net: Network, other: Network, checked: list) -> bool:
    try:
        return orbit_element(net, other) is None
    except UndecidedError as e:
        checked.append(f"orbit search undecided: {e}")
        return False


def _fibre_members(fib, samples: int, max_components: int):
    """Candidate members of a family's fibre: one per listed non-empty component when the fibre lists them
    (few enough), else random members."""
    components = getattr(fib, "components", None)
    if components is not None and getattr(fib, "num_components", max_components + 1) <= max_components:
        for j, B in enumerate(components()):
            yield j, B.sample(seed=j)
        return
    for seed in range(samples):
        yield seed, fib.sample(seed=seed)


def _family_witness(net: Network, checked: list, deadline: float, samples: int = 4,
                    max_components: int = 64) -> tuple[Network, WitnessMove] | None:
    """A member of a family's explicit fibre outside the orbit: every listed component of the fibre is sampled
    (when there are at most ``max_components``), or random members when the fibre is known to be bigger. The fibre
    is built within what remains before ``deadline`` (at least a second)."""
    for family in families_for(net):
        try:
            fib = family.fibre(net, budget=max(1.0, deadline - time.monotonic()))
            dim = family.fibre_dimension(net)
        except NotDefined:
            continue
        except Exception as e:  # noqa: BLE001 - a family may refuse this parameter's type
            checked.append(f"{family.name} fibre: {type(e).__name__}: {e}")
            continue
        if getattr(fib, "components", None) is None and dim <= net.architecture.num_hidden:
            return None
        try:
            for label, other in _fibre_members(fib, samples, max_components):
                if _outside_orbit(net, other, checked):
                    return other, WitnessMove("family fibre", 0, (), (family.name, label), other)
        except Exception as e:  # noqa: BLE001 - sampling is only a source of candidates
            checked.append(f"{family.name} fibre sample failed: {type(e).__name__}: {e}")
        checked.append(f"{family.name} family: the sampled fibre members lie in the G-orbit")
        return None
    return None


def _family_move_witness(net: Network, checked: list, deadline: float) -> tuple[Network, WitnessMove] | None:
    """The first of the families' own candidates (:meth:`~semialg.families.base.Family.identifiability_witnesses`)
    proven equivalent to ``net`` by a verified exact certificate and outside its $G$-orbit (the same checks as
    ``verify``; at least 10 s each for the equivalence, even past ``deadline``)."""
    for family in families_for(net):
        for label, other in family.identifiability_witnesses(net, deadline):
            if type(other) is not Network or other.widths != net.widths:
                continue
            try:
                same = exact_equivalence(net, other, max(deadline, time.monotonic() + 10.0))
                proven = same.equivalent is True and same.domain is None and same.verify(net, other)
            except SemialgError as e:
                checked.append(f"{family.name} move ({label}): equivalence not proven: {e}")
                continue
            if not proven:
                checked.append(f"{family.name} move ({label}): not proven equivalent")
            elif _outside_orbit(net, other, checked):
                return other, WitnessMove("family fibre", 0, (), (family.name, label), other)
            else:
                checked.append(f"{family.name} move ({label}) stays in the G-orbit")
    return None


@dataclass(frozen=True)
class _ShallowStructure:
    """One hidden layer: no dead or constant neuron, no positive twins, every opposite pair carries a kink
    and the weight rows of the opposite pairs are linearly independent (so, by the classification theorem,
    the parameters of the combinatorial type of $\\theta$ realizing $f_\\theta$ form the orbit $G\\cdot\\theta$)."""

    def verify(self, net: Network) -> bool:
        if net.depth != 2:
            raise CertificateError("the statement is about one hidden layer")
        for i in range(net.widths[1]):
            if not any(column(net, 1, i)) or not any(net.weights[0][i]):
                raise CertificateError(f"neuron {i + 1} is dead or constant")
        twins, opposite = hyperplane_pairs(net, 1)
        if twins:
            raise CertificateError(f"neurons {twins[0][:2]} are positive twins")
        for i, j, mu in opposite:
            if not any(x + mu * y for x, y in zip(column(net, 1, i), column(net, 1, j), strict=True)):
                raise CertificateError(f"the opposite pair {i}, {j} carries no kink")
        if opposite and nullspace([[net.weights[0][i][q] for i, _, _ in opposite] for q in range(net.widths[0])]):
            raise CertificateError("the weight rows of the opposite pairs are linearly dependent")
        return True


@dataclass(frozen=True)
class _TypesInOrbit:
    """The non-empty components of the family's fibre (the union over combinatorial types), counted exactly, are as
    many as the types obtained by permuting the neuron slots of the type of $\\theta$; a permutation is in $G$ and
    maps the component of $\\theta$'s type onto that of the permuted type, so these are all the components and
    every member has the type of $\\theta$ up to $G$. The evidence holds no data: ``verify`` counts afresh."""

    def verify(self, net: Network) -> bool:
        fib = _typed_fibre(net)
        if fib is None:
            raise CertificateError("the parameter has no fibre over combinatorial types")
        try:
            count = fib.num_components
        except UndecidedError as e:
            raise CertificateError(f"the non-empty components could not be counted: {e}") from None
        if count != _permutations(fib.locate(net)):
            raise CertificateError(f"the fibre has {count} non-empty components, not only the permutations of the "
                                   "type of the parameter")
        return True


def _permutations(roles: tuple) -> int:
    """The number of types obtained by permuting the slots of a type without phantom groups (a multinomial)."""
    if any(role[0] == "P" for role in roles):
        raise CertificateError("the type of the parameter has a phantom group")
    count = math.factorial(len(roles))
    for times in Counter(roles).values():
        count //= math.factorial(times)
    return count


def _family_evidence() -> dict:
    """The kinds of evidence of the families' own proof steps (:attr:`~semialg.families.base.Family.
    identifiability_steps`)."""
    return {name: kind for family in registered() for steps in family.identifiability_steps.values()
            for name, kind in steps.items()}


#: The kind of evidence each named proof step needs (else a family's, else a genericity :class:`Condition`).
_EVIDENCE = {"shallow structure": _ShallowStructure, "components in the orbit": _TypesInOrbit,
             "classification theorem": _Theorem, "no hidden layer": _Theorem,
             "local identifiability": (LocalRankCertificate, KinkPeelingCertificate)}


def _typed_fibre(net: Network):
    """The family fibre of ``net`` listed by classes of combinatorial types (``classes``), or None."""
    for family in families_for(net):
        try:
            fib = family.fibre(net)
        except NotDefined:
            continue
        except SemialgError:
            return None
        return fib if hasattr(fib, "classes") else None
    return None


def _shallow_proof(net: Network, checked: list):
    """One hidden layer without a move witness: a member of a type that is no permutation of the type of
    ``net`` (outside the orbit: $G$ preserves types), or a proof of identifiability by counting the types."""
    try:
        _ShallowStructure().verify(net)
    except CertificateError as e:
        checked.append(f"shallow types not compared: {e}")
        return None
    fib = _typed_fibre(net)
    if fib is None:
        checked.append("shallow types not compared (no fibre over combinatorial types)")
        return None
    own = Counter(fib.locate(net))
    try:
        count = fib.num_components
        if count == _permutations(tuple(own.elements())):
            return (ProofStep("shallow structure", _ShallowStructure.__doc__.split(" (so")[0].strip(),
                              _ShallowStructure()),
                    ProofStep("components in the orbit", f"the fibre's {count} non-empty components (counted "
                              "exactly) are the permutations of the type of the parameter", _TypesInOrbit()),
                    ProofStep("classification theorem", "within that type the parameters realizing f are the "
                              "G-orbit (kinks per hyperplane, the independent opposite pairs fix the linear part)",
                              _Theorem(2)))
        for j, B in enumerate(fib.classes()):
            if Counter(B.index) != own:
                member = B.sample(seed=j)
                return member, WitnessMove("family fibre", 0, (), ("shallow", B.label), member)
    except UndecidedError as e:
        checked.append(f"shallow types not compared: {e}")
    return None


def _narrower_witness(net: Network, checked: list, deadline: float) -> tuple[Network, WitnessMove] | None:
    """A one-hidden-layer network of smaller width computing $f_\\theta$ (the family's minimal form, within what
    remains before ``deadline``, at least a second), padded with zero neurons to the width of ``net``: a parameter
    with zero neurons, so outside the orbit of a parameter without them."""
    for family in families_for(net):
        try:
            small = family.minimal_width_network(net, seconds=max(1.0, deadline - time.monotonic()))
        except NotDefined:
            continue
        except SemialgError as e:
            checked.append(f"{family.name} minimal width: {e}")
            continue
        n, extra = net.widths[1], net.widths[1] - small.widths[1]
        if small.depth != 2 or extra <= 0:
            checked.append(f"{family.name}: width {n} is the minimal width found")
            return None
        (W1, b1), (W2, b2) = small.layers()
        m = small.widths[0]
        padded = Network.from_arrays([list(W1) + [[_ZERO] * m] * extra, [list(r) + [_ZERO] * extra for r in W2]],
                                     [list(b1) + [_ZERO] * extra, list(b2)])
        if _outside_orbit(net, padded, checked):
            return padded, WitnessMove("narrower network", 1, (), (family.name, small.widths[1]), padded)
    return None


def _local_rank(net: Network, deadline: float, checked: list, seed: int = 0,
                progress: bool = False) -> LocalRankCertificate | None:
    """Rational inputs with no vanishing hidden pre-activation whose Jacobian reaches $\\dim\\Omega - n$: the
    sampled batch of :func:`~semialg.engine.jacobian.sampled_batch` (random inputs, then inputs chosen for their
    regions), and for small networks $d + 1$ inputs in every region (random inputs miss small regions)."""
    from tqdm.auto import tqdm
    arch = net.architecture
    target = arch.num_parameters - arch.num_hidden
    with tqdm(total=1, desc="local identifiability: Jacobian rank", delay=2, leave=False,
              disable=None if progress is None else not progress) as bar:
        batch = sampled_batch(net, target, seed=seed, deadline=deadline)
        points, reached = batch.inputs, batch.reached
        if not reached and _small(net) and time.monotonic() < deadline and (more := smooth_inputs(net, deadline)):
            points = tuple(points) + more
            reached = jacobian_rank_mod(net, points, target, seed) >= target
        bar.update()
    if reached:
        return LocalRankCertificate(tuple(points), target, seed)
    checked.append(f"the Jacobian rank modulo p did not reach dim Omega - #hidden = {target} at {len(points)} "
                   "inputs before the budget or the patience ran out (not a proof either way)")
    return None


def _local_certificate(net: Network, deadline: float, checked: list, progress) -> object | None:
    """Local identifiability: kink peeling (first for more than :data:`PEEL_FIRST` parameters, with the whole
    budget when the Jacobian's rank would not fit in memory) and the Jacobian's rank modulo a prime (skipped,
    and said, when it would not fit or is predicted to run past ``deadline``)."""
    D = net.architecture.num_parameters
    bound = D - net.architecture.num_hidden
    fits, need, free = rank_mod_fits(bound + 8, D)
    predicted = rank_mod_seconds(bound, D)
    why: list[str] = []

    def peel():
        cert = kink_peeling_certificate(net, deadline, progress, why=why, silent=False)
        if cert is None:
            checked.append("; ".join(why) + " (kink peeling is a sufficient condition only)")
        return cert

    if D > PEEL_FIRST or not fits:
        cert = peel()
        if cert is not None:
            return cert
    if not fits:
        checked.append(f"the Jacobian's rank not tried: {D} parameters (its rank modulo a prime would need "
                       f"{need / 2 ** 30:.1f} GiB, {free / 2 ** 30:.1f} GiB free)")
        return None
    if time.monotonic() + predicted > deadline:
        checked.append(f"the Jacobian's rank not tried: predicted {predicted:.3g} s, past the budget")
    else:
        cert = _local_rank(net, deadline, checked, progress=progress)
        if cert is not None:
            return cert
    return peel() if D <= PEEL_FIRST and time.monotonic() < deadline else None


def _small(net: Network) -> bool:
    """Whether the regions of ``net`` are cheap enough to enumerate here (a size guard, not a decision)."""
    return sum(net.widths[1:-1]) <= 16 and net.widths[0] <= 4


def _differing_input(a: Network, b: Network, count: int = 16):
    """The first of ``count`` random rational inputs where ``a`` and ``b`` differ (exact values), or ``None``."""
    X = list(itertools.islice(_random_inputs(a, _random.Random(0)), count))
    return next((x for x, y, z in zip(X, a.evaluate(X), b.evaluate(X), strict=True) if y != z), None)


def _random_inputs(net: Network, rng: _random.Random):
    """Random rational inputs at growing scales (to reach the unbounded regions far out)."""
    scale = 1
    while True:
        yield tuple(fmpq(rng.randint(-100 * scale, 100 * scale), rng.randint(1, 20)) for _ in range(net.widths[0]))
        if rng.random() < 0.02:
            scale = scale * 4 if scale < 2 ** 20 else 1


def identifiable(net: Network, budget: float = 10.0, zero_sum_budget: int = 2 ** 20,
                 progress: bool = False) -> IdentifiabilityResult:
    """Decide whether the fibre of ``net`` is exactly its $G$-orbit: a proof, a witness, or ``"unknown"``.

    Order: (1) the witness moves of :func:`witness_moves` and, at depth $> 2$, :func:`image_moves` (each checked against
    the orbit, exactly); (2) one hidden layer: the genericity conditions of :func:`semialg.engine.loci.genericity`,
    which by the classification theorem prove identifiability when all hold; at depth $> 2$ a family's theorems
    (:meth:`~semialg.families.base.Family.identifiability_proof`) and its own moves (candidates proven equivalent by a
    verified exact certificate, then checked against the orbit); (3) for one hidden layer the types of the fibre
    (counted; a member of another class of types), a narrower network, and a family's explicit fibre when its dimension
    exceeds $\\dim G$ (sampled members checked against the orbit; minutes on wide layers) — the last two only while
    ``budget`` seconds have not passed; (4) local identifiability, within ``budget`` seconds
    (:func:`_local_certificate`): by kink peeling (:func:`~semialg.engine.kink_peeling.kink_peeling_certificate`, first
    for more than :data:`PEEL_FIRST` parameters, alone when the Jacobian would not fit in memory) or by the Jacobian's
    rank modulo a prime at rational inputs (a lower bound on the exact rank; skipped when predicted to run past the
    budget). Cost: $O(\\dim\\Omega\\log n)$ for (1) without ties plus the 0-factor search (``zero_sum_budget``); (4)
    that of :func:`~semialg.engine.jacobian.sampled_batch` with bound $\\dim\\Omega - n$, memory $O((\\dim\\Omega)^2)$
    words; kink peeling $O(H\\dim\\Omega)$ exact operations for $H$ hidden neurons plus one small rank per neuron
    (784-256-256-10 in seconds). ``zero_sum_budget``: $2^{20}$ half-sums met modulo a prime take about half a second.

    Every step keeps ``budget``: the 0-factor searches of (1) and (2) are not started when predicted to end past it
    (:func:`~semialg.engine.neurons.predicted_late`) and stop at it, the later steps are skipped once it is spent,
    and what was not done is said in ``checked`` — a cut search never counts as an absence of witnesses nor as a
    genericity condition holding. A family's theorems (``identifiability_proof``) run their own stages within the
    deadline (a 784-4096-1-10 bottleneck: about 10 s past a budget of 2 s).
    """
    budget = check_budget(budget, seconds=True)
    zero_sum_budget = check_budget(zero_sum_budget, "zero_sum_budget")
    deadline = time.monotonic() + budget
    if net.depth == 1:
        return IdentifiabilityResult("identifiable", (ProofStep(
            "no hidden layer", "f = Wx + b determines W and b: the fibre is the point itself (G is trivial)",
            _Theorem(1)),), locally_identifiable=True)
    checked, skipped, cut = [], [], []      # what was done; searches cut by the budget: 0-factor, then the image
    for move in witness_moves(net, zero_sum_budget, deadline, skipped):
        other = move.apply(net)
        if _outside_orbit(net, other, checked):
            return IdentifiabilityResult("not identifiable", witness=other, move=move,
                                         checked=tuple(checked + skipped), locally_identifiable=None)
        checked.append(f"{move.kind} at layer {move.layer} stays in the G-orbit")
    # A 0-factor search cut by the budget proves no absence: the claim names only the moves searched in full.
    checked += skipped
    checked.append("no witness among dead, constant, twin, opposite-pair, phantom" +
                   (" and 0-factor moves" if not skipped else " moves (0-factor moves: see above)"))
    for move in image_moves(net, deadline=deadline, skipped=cut):
        other = move.apply(net)
        if _outside_orbit(net, other, checked):
            return IdentifiabilityResult("not identifiable", witness=other, move=move, checked=tuple(checked))
    if net.depth > 2:
        checked += cut or ["no hidden weight and no always-active neuron on the image of the earlier layers "
                           "(exact, on their regions)"]
    proof: list[ProofStep] = []
    if net.depth > 2:
        for family in families_for(net):
            if time.monotonic() > deadline:
                checked.append(f"{family.name} identifiability theorems not tried: the budget was spent")
                continue
            steps = family.identifiability_proof(net, checked, deadline)
            if steps:
                return IdentifiabilityResult("identifiable", tuple(steps), checked=tuple(checked),
                                             locally_identifiable=True)
        found = _family_move_witness(net, checked, deadline) if time.monotonic() < deadline else None
        if found is None and time.monotonic() > deadline:
            checked.append("the families' own moves not all tried: the budget was spent")
        if found is not None:
            return IdentifiabilityResult("not identifiable", witness=found[0], move=found[1], checked=tuple(checked))
    if net.depth == 2:
        report = genericity(net, zero_sum_budget, deadline)
        if report.status == "generic" and report.scope == SHALLOW_SCOPE:
            steps = [ProofStep(c.name, c.detail, c) for c in report.conditions]
            steps.append(ProofStep("classification theorem", "one hidden layer: outside every degeneracy locus "
                                   "the fibre is the G-orbit", _Theorem(2)))
            return IdentifiabilityResult("identifiable", tuple(steps), checked=tuple(checked),
                                         locally_identifiable=True)
        checked.append(f"shallow genericity: {report.status} (" + "; ".join(
            c.detail for c in report.conditions if c.holds is not True) + ")")
    # One hidden layer of width n: the fibre over types, the minimal form and the fibre's members start with n x n
    # exact work (the rank-one sketch of the 0-factors, a Gram matrix), and take minutes beyond it on a wide layer;
    # predicted cheap, the types are compared even past the budget (as the cheap decisions are).
    n = net.widths[1]
    wide = net.depth == 2 and predicted_late(deadline, rank_mod_seconds(n, n))
    late = f"the budget was spent{f' or would be by {n} x {n} exact work' if net.depth == 2 else ''}"
    if wide:
        checked.append(f"shallow types not compared: {late}")
    elif net.depth == 2:
        shallow = _shallow_proof(net, checked)
        if isinstance(shallow, tuple) and shallow and isinstance(shallow[0], ProofStep):
            return IdentifiabilityResult("identifiable", shallow, checked=tuple(checked))
        if shallow is not None:
            return IdentifiabilityResult("not identifiable", witness=shallow[0], move=shallow[1],
                                         checked=tuple(checked))
        for family in families_for(net):
            steps = family.identifiability_proof(net, checked, deadline) if time.monotonic() < deadline else None
            if steps:
                return IdentifiabilityResult("identifiable", tuple(steps), checked=tuple(checked),
                                             locally_identifiable=True)
    found = None
    if wide or time.monotonic() > deadline:     # both searches can take minutes on wide layers (exact spans, patterns)
        checked.append(f"narrower networks and family fibre members not searched: {late}")
    else:
        found = (_narrower_witness(net, checked, deadline) if net.depth == 2 else None) or _family_witness(net, checked, deadline)
    if found is not None:
        other, move = found
        return IdentifiabilityResult("not identifiable", witness=other, move=move, checked=tuple(checked))
    cert = _local_certificate(net, deadline, checked, progress)
    if cert is not None:
        proof.append(ProofStep("local identifiability", cert.describe(), cert))
        checked.append("global identifiability at depth > 2: no exactly checkable sufficient condition is "
                       "implemented (the seed theorem gives an open set, not a test)")
    return IdentifiabilityResult("unknown", tuple(proof), checked=tuple(checked),
                                 locally_identifiable=True if cert is not None else None)
