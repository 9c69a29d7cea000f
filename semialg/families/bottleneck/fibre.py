r"""Fibres of bottleneck parameters as explicit semi-algebraic sets, and their dimension.

Case (b), every parameter (:mod:`~semialg.families.bottleneck.ridge_typed`): a union over the types of
$\theta'$ (branch, anchor of $H$, a role per second-layer slot). Case (a) with every neuron visible and
$N \ne \emptyset$ (:mod:`~semialg.families.bottleneck.outer_fibre`): the shallow fibre of $h$ times
$\mathbb{R}_{>0}$.

>>> F = fibre(Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]]))
>>> F.num_components, F.dimension
(8, 4)
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator

from semialg.core.lazy import sympy  # imported on first use: start-up time

from semialg.core.exact import rank, to_fmpq
from semialg.core.network import Network
from semialg.errors import ArchitectureError, ParameterError, ShapeError, UndecidedError, check_budget
from semialg.engine.hyperplane_keys import rank_at_least_two
from semialg.engine.neurons import predicted_late
from semialg.families.bottleneck.constant_fibre import ConstantFibre, computes_constant
from semialg.families.bottleneck.equivalence import equivalent
from semialg.families.bottleneck.genericity import _require_generic
from semialg.families.bottleneck.representative import _is_generic, generic_representative
from semialg.families.bottleneck.hidden_fibre import ConditionedSet, HiddenFibre
from semialg.families.bottleneck.line_fibre import LineFibre
from semialg.families.bottleneck.local import local_dimension_bounds
from semialg.families.bottleneck.mechanisms import INNER_SECONDS_PER_WEIGHT
from semialg.families.bottleneck.nonnegative_fibre import NonnegativeFibre
from semialg.families.bottleneck.outer_fibre import OuterFibre, all_visible, free_slot_determined, inner_determined
from semialg.families.bottleneck.rank_bound import fibre_dimension_bound
from semialg.families.bottleneck.ridge_typed import TypedRidge
from semialg.families.bottleneck.ridge_types import RidgeTypes
from semialg.families.bottleneck.separated_fibre import (SeparatedFibre, mixed_representative, separated_applies,
                                                         separated_representative)
from semialg.families.bottleneck.subspace_fibre import SubspaceFibre, live_rank
from semialg.families.bottleneck.types import BottleneckType, combinatorial_type
from semialg.families.bottleneck.views import bottleneck_case
from semialg.geometry.semialgebraic import BasicSet, Union, as_substitution

__all__ = ["BottleneckFibre", "BottleneckComponent", "fibre", "fibre_dimension"]


@dataclass(frozen=True)
class BottleneckComponent(ConditionedSet):
    """One basic set of a fibre (possibly with one more exact ``condition``), with its ``index`` in the fibre and
    an exact ``sample()`` of its points."""

    index: object = field(default=None, compare=False)
    sampler: Callable = field(default=None, repr=False, compare=False)

    def sample(self, seed: int | None = None) -> Network:
        """An exact member of this component, solved from its equations (random for a given ``seed``)."""
        return self.sampler(seed, self.index)


def jacobian_corank(B: BasicSet, point) -> int:
    r"""$D - \operatorname{rank} J(x)$ for the equations of ``B`` at an exact point: the dimension of ``B`` near a
    point where the equations have locally constant rank (true on every component of a bottleneck fibre, whose
    equations are bilinear with non-vanishing factors fixed by the strict inequalities). Cost: one exact
    rank of a $r \times D$ matrix."""
    sub = as_substitution(B.variables, point)
    J = [[to_fmpq(sympy.diff(p, x).xreplace(sub)) for x in B.variables] for p in B.equations]
    return len(B.variables) - (rank(J) if J else 0)


@dataclass(frozen=True, eq=False)
class BottleneckFibre(Union):
    r"""The fibre $\{\theta' : f_{\theta'} = f_\theta\}$ of a bottleneck parameter in its architecture.

    ``components()`` yields non-empty basic sets, each a :class:`BottleneckComponent` with ``sample()``: in case
    (b) one per non-empty type of $\theta'$ (:mod:`~semialg.families.bottleneck.ridge_typed`), together the whole
    fibre, of varying dimension; in case (a) one per permutation and admissible flip set (or slot labelling),
    together every member of *simple type* (each neuron on a kink hyperplane of $h$ or hidden, with $v'_i \ne 0$,
    $w'_i \ne 0$), which includes every top-dimensional component; lower-dimensional pieces of other types
    ($v'_i = 0$ with any $w'_i$, constant neurons, two neurons on one hyperplane) are not listed, and need not
    lie in the closure of a listed component. :attr:`dimension` is the maximum over the non-empty components,
    ``num_components`` counts them exactly, without enumeration. ``contains`` decides membership in the whole fibre exactly (by
    :func:`equivalent`); ``component_of`` names the component of a point of generic type;
    :meth:`local_dimension` is the dimension of the fibre at a point of it.
    """

    network: Network | None = None
    top_dimension: int | Callable | None = None
    index_description: str = ""
    _sampler: object = field(default=None, repr=False)
    _local: Callable | None = field(default=None, repr=False)
    generic_representative: object = None
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def to_json(self) -> dict:
        out = super().to_json()
        out.pop("top_dimension", None)  # possibly the method that computes it
        try:
            out["dimension"] = self.dimension
        except UndecidedError as err:
            out["dimension"] = None
            out["dimension_undecided"] = str(err)
        return out

    @property
    def dimension(self) -> int:
        r"""The dimension of the fibre: the maximum over its non-empty components (computed on first use when the
        family gives a function: case (b) may need a subset-sum search). Where the description leaves members
        unlisted, a lower bound (the listed components, the local dimension at ``network``) that meets the rank
        bound of :func:`~semialg.families.bottleneck.rank_bound.fibre_dimension_bound` decides it."""
        if not callable(self.top_dimension):
            return self.top_dimension
        if "dimension" not in self._memo:
            try:
                self._memo["dimension"] = self.top_dimension()
            except UndecidedError as err:
                self._memo["dimension"] = _bounded(self.network, err)
        found = self._memo["dimension"]
        if isinstance(found, UndecidedError):
            raise found
        return found

    def build_component(self, j) -> BottleneckComponent:
        B = self.build(j)
        return BottleneckComponent(B.variables, B.equations, B.strict, B.nonstrict, B.label,
                                   getattr(B, "condition", None), j, self._sampler, nonzero=B.nonzero)

    def components(self, budget: float | None = None, progress: bool | None = None) -> Iterator[BottleneckComponent]:
        """The non-empty components one at a time (a generator: a fibre of millions of components is never held in
        memory; ``num_components`` counts them without it). Past ``budget`` seconds (``None``: no limit)
        :class:`~semialg.errors.UndecidedError` says how many were yielded; ``progress`` shows a tqdm bar
        (``None``: on a terminal, after 2 s)."""
        from tqdm.auto import tqdm
        deadline = None if budget is None else time.monotonic() + check_budget(budget, seconds=True)
        try:
            total = self.num_components
        except UndecidedError:
            total = None
        with tqdm(total=total, desc="fibre components", unit="component", delay=2, leave=False,
                  disable=None if progress is None else not progress) as bar:
            for k, j in enumerate(self.index):
                if deadline is not None and time.monotonic() >= deadline:
                    raise UndecidedError(f"components(): the budget of {budget:.3g} s was spent after yielding {k} "
                                         f"of {total if total is not None else 'uncounted'} components")
                yield self.build_component(j)
                bar.update()

    def component(self, j) -> BottleneckComponent:
        return self.build_component(j)

    def representative(self) -> BottleneckComponent:
        return self.build_component(next(iter(self.index)))

    def _point(self, point) -> Network:
        """``point`` as a network of this fibre's architecture (a flat parameter vector or a network)."""
        arch = self.network.architecture
        if isinstance(point, Network):
            if point.architecture != arch:
                raise ShapeError(f"the fibre lies in the parameter space of {arch}; got a network of "
                                 f"architecture {point.architecture}")
            return point
        return Network.from_parameters(arch, point)

    def contains(self, point) -> bool:
        """Whether ``point`` is in the fibre, decided by :func:`equivalent` (within its default budget);
        :class:`~semialg.errors.UndecidedError` when that is undecided, never a guess."""
        found = equivalent(self.network, self._point(point))
        if found.equivalent is None:
            raise UndecidedError(f"fibre membership undecided: {found.describe()}")
        return found.equivalent

    def component_of(self, point):
        """The index of the listed component containing ``point``, or ``None``."""
        point = self._point(point)
        j = self.locate(point)
        return j if j is not None and self.build(j).contains(point) else None

    def local_dimension(self, theta=None, undecided="raise") -> int:
        r"""The dimension of the fibre at ``theta`` (default: the parameter the fibre was built from): that of
        the component containing it, $D - \operatorname{rank}$ of the Jacobian of its equations at ``theta``, when
        it lies within the proven bounds (else a larger piece passes through ``theta``, and the bounds decide).
        Raises :class:`~semialg.errors.ParameterError` if ``theta`` is not in the fibre. When ``theta`` is in none
        of the listed components (a non-generic member of a fibre built from a generic representative), or the
        fibre proves it by bounds (case (b)) and they differ, the bounds of
        :func:`~semialg.families.bottleneck.local.local_dimension_bounds`, narrowed by the bounds the fibre's
        description proved, decide it when they meet; otherwise :class:`~semialg.errors.UndecidedError` names the
        bounds (its ``bounds``), or the value of ``undecided`` is returned if that is not ``"raise"``."""
        theta, j = (self.network if theta is None else theta), None
        if not self.contains(theta):
            raise ParameterError("local_dimension: the point is not in the fibre")
        known = None         # bounds proven by the fibre's own description
        if self._local is not None:
            try:
                return self._local(theta)
            except UndecidedError as err:
                why, known = str(err), err.bounds
        else:
            j = self.component_of(theta)
            why = ("local_dimension: the point is in the fibre but in no listed component" + (
                "; the listed components are those of the generic representative theta~, pieces of non-generic "
                "type are not described" if self.generic_representative is not None else ""))
        point = theta if isinstance(theta, Network) else Network.from_parameters(self.network.architecture, theta)
        lower, upper = local_dimension_bounds(point)
        if known is not None:
            lower, upper = max(lower, known[0]), min(upper, known[1])
        if j is not None:
            # the component's dimension at theta, unless the proven bounds show a larger piece passing through it
            value = jacobian_corank(self.build(j), theta)
            if lower <= value <= upper:
                return value
            why = (f"local_dimension: the listed component containing the point has dimension {value} there, "
                   f"outside the proven bounds: a larger piece passes through it")
        if lower == upper:
            return lower
        if undecided != "raise":
            return undecided
        try:     # the listed components' dimension bounds the fibre's only where nothing is left unlisted
            listed = f"; the listed components have dimension at most {self.dimension}"
        except UndecidedError:
            listed = ""
        raise UndecidedError(f"{why}; the local dimension is between {lower} and {upper} (with the rescalings, "
                             f"twin trades and exact moves of unused, constant and robustly hidden neurons; the "
                             f"kernel of the Jacobian at smooth inputs and of the seen kink lines' equations)"
                             f"{listed}", bounds=(lower, upper))

    def sample(self, seed: int | None = None, index=None) -> Network:
        """A random member, solved from the equations of a random (or the given) component."""
        return self._sampler(seed, index)

    def describe(self) -> str:
        try:
            count = f"{self.num_components} components"
        except UndecidedError as err:      # a count whose subset-sum budget ran out
            count = f"components ({err})"
        try:
            dim = self.dimension
        except UndecidedError as err:      # a subset-sum budget, or pieces not described
            dim = f"undecided: {err}"
        return f"{self.description}: {count} indexed by {self.index_description}; dimension {dim}"


def fibre(net: Network, budget: float | None = 60.0, progress: bool | None = None) -> BottleneckFibre:
    r"""The fibre of a generic bottleneck parameter as an explicit semi-algebraic set.

    Case (b), generic or not: the union over the types of $\theta'$ of
    :mod:`semialg.families.bottleneck.ridge_typed` (non-empty types only, counted exactly).
    Case (a) with every first-layer neuron visible and $N \ne \emptyset$: the shallow fibre of $h$ times
    $\mathbb{R}_{>0}$ (:mod:`semialg.families.bottleneck.outer_fibre`). Case (a), regime T ($h \ge 0$), any
    parameter: $h' = \mu h + t$ from the shallow fibre of $h$, $\mu < 0$ too when $h$ is bounded
    (:mod:`semialg.families.bottleneck.nonnegative_fibre`; members with $h' < 0$ on a plateau of $h$ by the
    slot calculus when all rows are parallel, raises when they are not ruled out otherwise). Case (a), regime PN, all first-layer rows
    parallel (always when $n_0 = 1$): the 1-D pieces of :mod:`semialg.families.bottleneck.line_fibre`, reflections
    included. Case (a), regime PN, live rows spanning $2 \le r < \min(n_0, n_1)$: reduced $r$-input fibres
    lifted, with inert, constant and phantom neurons off the span (:mod:`semialg.families.bottleneck.subspace_fibre`). Case (a) with hidden neurons (U−, U+;
    $n_0 \ge 2$, regime PN): a union over slot labellings
    (:mod:`semialg.families.bottleneck.hidden_fibre`); with mixed hidden neurons (U±, $P$ disconnected) and
    otherwise generic (dead neurons allowed): a union over slot labellings with activity patterns on the
    components of $P$ (:mod:`semialg.families.bottleneck.separated_fibre`), also for a U± parameter failing other
    conditions when the minimal form of $h$ padded with dead slots is such a parameter. Other case-(a)
    parameters that are not generic: the fibre of a generic $\tilde\theta$ with the same function (:mod:`semialg.families.bottleneck.representative`; it
    is the same set), with ``network`` $= \theta$ and ``generic_representative``; $\theta$ itself may lie in no
    listed component — unless $P$ is connected and $C^* = \{0\}$: then every member has $h' = \mu h$ and the
    fibre is the typed shallow fibre of $h$ times $\mathbb{R}_{>0}$
    (:mod:`semialg.families.bottleneck.outer_fibre`), with no search. When no member is generic and the theorem of
    the free slot applies (:func:`~semialg.families.bottleneck.outer_fibre.free_slot_determined`: one neuron beside
    the kinks of $h$, all seen on a connected $P$, and every way it could carry the rest refuted), the same. Else,
    with live rows spanning $\mathbb{R}^{n_0}$, the reduced types of :mod:`semialg.families.bottleneck.subspace_fibre` with $r = n_0$, inert and constant neurons
    listed, the widths with spare live neurons (shared hyperplanes, U±) named as not described; else, with $P$
    disconnected, the separated fibre of a member of simple type with mixed neurons
    (:func:`~semialg.families.bottleneck.separated_fibre.mixed_representative`; its dimension only bounded below
    when that member fails other conditions); else, in part, the members with $h' = \mu h$ (the typed shallow fibre
    of $h$ times $\mathbb{R}_{>0}$), the others named as not listed and the dimension bounded below, with the
    reason no member is generic. :class:`ArchitectureError` for the remaining types.
    ``budget`` (seconds, ``None``: unlimited) bounds the slow constructions, deciding the label classes of a
    hidden-neuron fibre and the search for a generic representative (both within one budget), and the $G$-orbit
    fibre of case (a) is not started when predicted to end past it: when it is spent,
    :class:`UndecidedError` says how many classes were decided, or what the search did; ``progress``
    shows a tqdm bar (``None``: on a terminal, after 2 s).
    Cost: $O(1)$ to build; each component $O(n_2n_3)$ polynomials; hidden-neuron fibres one exact LP or a few per
    label class, $2^{|V|}\binom{m+3}{3}$ classes for $m$ hidden neurons.
    """
    return _fibre(net, budget, progress, spare=True)


def _fibre(net: Network, budget: float | None, progress: bool | None, spare: bool) -> BottleneckFibre:
    """:func:`fibre`; ``spare``: fall back on :func:`_spare_slots` (not for its own reduced networks, which have
    the same spare slots)."""
    if bottleneck_case(net) == "a":
        started = time.monotonic()
        t = combinatorial_type(net, budget, progress)
        budget = None if budget is None else max(0.0, budget - (time.monotonic() - started))
        deadline = None if budget is None else time.monotonic() + budget
        if computes_constant(net, t):
            parts = ConstantFibre(net)
            dim = parts.dimension
        elif t.regime == "T":
            parts = NonnegativeFibre(net, t)
            dim = parts.top_dimension
        elif t.regime == "PN" and not rank_at_least_two(net.weights[0]):   # h(x) = g(u.x): the 1-D calculus, reflections too
            parts = LineFibre(net)
            dim = parts.dimension
        elif all_visible(net, t):
            late = INNER_SECONDS_PER_WEIGHT / 2 * net.widths[0] * net.widths[1]     # 784-4096-1-10: 0.4 s
            if budget is not None and predicted_late(time.monotonic() + budget, late):
                raise UndecidedError(f"fibre: the type was found, but the rest of the budget ({budget:.3g} s) would be "
                                     f"spent building the G-orbit fibre (about {late:.1f} s for {net.widths[1]} "
                                     "neurons)")
            parts = OuterFibre(net)
            dim = parts.dimension
        elif t.regime == "PN" and 2 <= live_rank(net) < min(net.widths[:2]):   # f(x) = F(Vx): reduced fibres
            parts = SubspaceFibre(net, fibre, None if budget is None else time.monotonic() + budget, progress)
            dim = parts.dimension
        elif separated_applies(net, t, deadline):   # U+- neurons, P disconnected (separated_fibre.py)
            parts = SeparatedFibre(net, t, None if deadline is None else max(0.0, deadline - time.monotonic()),
                                   progress)   # what the conditions left of the budget
            dim = parts.top_dimension
        else:
            sep = separated_representative(net) if "U+-" in t.classes else None
            if sep is not None:       # U+- and other degeneracies: the separated fibre of the minimal form of h
                F = fibre(sep, None if deadline is None else max(0.0, deadline - time.monotonic()), progress)
                return dataclasses.replace(F, network=net, description=f"{F.description}, built from theta~ = "
                                           f"{sep} (minimal form of h, dead slots) with the function of {net}")
            end = deadline   # one budget for every step below
            generic = _is_generic(net, end)
            # h' = mu h for every member (outer_fibre.py); in the plane the cells come from a fast sweep, but with
            # many neurons their pieces are many (2-80-1-2 with small integer weights: 10 s)
            if not generic and inner_determined(net, t, end):
                parts = OuterFibre(net)
                dim = parts.dimension
            elif not generic:  # the fibre of a generic theta~ with the same function (representative.py)
                try:
                    rep = generic_representative(net, deadline=end)
                except ArchitectureError as refusal:   # no generic member: spare slots, U+- members, h' = mu h
                    if free_slot_determined(net, t, end):
                        parts = OuterFibre(net)      # h' = mu h for every member (outer_fibre.py)
                    elif not spare:
                        raise
                    else:
                        parts = _spare_slots(net, t, end, progress)
                        if parts is None:
                            mixed = mixed_representative(net, end)
                            return (_mixed_fibre(net, mixed, end, progress, refusal) if mixed is not None
                                    else _scaled_inner_fibre(net, t, refusal))
                    dim = parts.dimension
                else:
                    F = fibre(rep.network, None if end is None else max(0.0, end - time.monotonic()), progress)
                    return dataclasses.replace(F, network=net, generic_representative=rep, description=(
                        f"{F.description}, built from the {'generic ' * rep.generic}representative theta~ = "
                        f"{rep.network} of the non-generic parameter theta = {net}, which may lie in no listed "
                        f"component"))
            else:
                parts = HiddenFibre(net, t, None if end is None else max(0.0, end - time.monotonic()), progress)
                dim = parts.dimension
    else:
        return _typed_ridge_fibre(net)
    return BottleneckFibre(net.variables().flat, parts.index, parts.build, parts.locate,
                           description=f"fibre of a bottleneck {net.architecture} parameter ({t.describe()})",
                           index_name=parts.index_name, network=net, top_dimension=dim,
                           index_description=parts.index_description,
                           _sampler=parts.sample, _local=getattr(parts, "local_dimension", None))


def _bounded(net: Network, err: UndecidedError) -> int | UndecidedError:
    """The dimension that ``err``'s proven lower bound, raised to the local dimension's lower bound at ``net``,
    shares with the rank bound; else ``err`` narrowed to both (returned, not raised)."""
    if err.bounds is None:
        return err
    lower = max(err.bounds[0], local_dimension_bounds(net)[0])
    bound = fibre_dimension_bound(net)
    upper = err.bounds[1] if bound is None else min(err.bounds[1], bound)
    if lower == upper:
        return lower
    return UndecidedError(f"{err}; the dimension is between {lower} and {upper} (the local dimension at theta; the "
                          f"rank of the Jacobian at every member)", bounds=(lower, upper))


def _spare_slots(net: Network, t, deadline: float | None, progress) -> SubspaceFibre | None:
    r"""Regime PN, live rows spanning $\mathbb{R}^{n_0}$, no generic member: the types of
    :mod:`~semialg.families.bottleneck.subspace_fibre` with $r = n_0$ (reduced members with inert and constant
    neurons), when one width of them is described; else ``None``."""
    if t.regime != "PN" or not 2 <= live_rank(net) == net.widths[0]:
        return None
    parts = SubspaceFibre(net, lambda red, budget, bar: _fibre(red, budget, bar, spare=False), deadline, progress)
    return parts if parts.fibres else None


def _no_generic_member(refusal: ArchitectureError) -> str:
    """What the representative search proved: "no member of the fibre is generic" with the reason, or that none
    was found (and why not)."""
    proven = str(refusal).partition("no member of its fibre is generic: ")[2]
    return (f"no member of the fibre is generic: {proven.split(';')[0]}" if proven
            else f"no generic member was found ({str(refusal).partition('fibre: ')[2] or refusal})")


def _mixed_fibre(net: Network, rep: Network, deadline: float | None, progress,
                 refusal: ArchitectureError) -> BottleneckFibre:
    r"""The fibre of a case-(a) parameter with no generic member from a member of simple type with mixed
    neurons (:func:`~semialg.families.bottleneck.separated_fibre.mixed_representative`): its separated fibre,
    whose dimension and local dimensions are proven only when that member passes every other genericity
    condition (else pieces of non-simple type may be larger: the dimension raises with the listed one as a lower
    bound, local dimensions come from :func:`~semialg.families.bottleneck.local.local_dimension_bounds`)."""
    parts = SeparatedFibre(rep, combinatorial_type(rep), None if deadline is None else
                           max(0.0, deadline - time.monotonic()), progress)

    def unproven(theta):
        raise UndecidedError("local_dimension: the fibre was built from a non-generic member, and pieces of "
                             "non-simple type may pass through the point")

    return BottleneckFibre(net.variables().flat, parts.index, parts.build, parts.locate,
                           description=f"fibre of a bottleneck {net.architecture} parameter "
                                       f"({combinatorial_type(net).describe()}), built from its member theta~ = "
                                       f"{rep} of simple type with mixed neurons ({_no_generic_member(refusal)})",
                           index_name=parts.index_name, network=net, top_dimension=parts.top_dimension,
                           index_description=parts.index_description, _sampler=parts.sample,
                           _local=None if parts.proven else unproven)


def _scaled_inner_fibre(net: Network, t: BottleneckType, refusal: ArchitectureError) -> BottleneckFibre:
    r"""The last description of a case-(a) fibre with no generic member, in part: its members with $h' = \mu h$,
    $\mu > 0$ — every such parameter is a member — are the typed shallow fibre of $h$ times $\mathbb{R}_{>0}$
    (:class:`~semialg.families.bottleneck.outer_fibre.OuterFibre`), listed; the members with $h' \ne \mu h$
    (some first-layer hyperplane missing $P$ with a kink of $h'$ on it, or $\sigma(h') = \mu\sigma(h)$ failing)
    are not described, so the dimension is only bounded below and local dimensions come from
    :func:`~semialg.families.bottleneck.local.local_dimension_bounds`. Re-raises ``refusal`` when the shallow fibre of $h$
    is not described either."""
    try:
        parts = OuterFibre(net)
    except (ArchitectureError, UndecidedError):
        raise refusal from None
    lower = parts.dimension

    def top():
        raise UndecidedError(f"the fibre's dimension is at least {lower} (the listed members, with h' = mu h); the "
                             f"members with h' != mu h are not described ({_no_generic_member(refusal)})",
                             bounds=(lower, net.architecture.num_parameters))

    def local(theta):
        raise UndecidedError("local_dimension: members with h' != mu h, not described, may pass through the point")

    return BottleneckFibre(net.variables().flat, parts.index, parts.build, parts.locate,
                           description=f"fibre of a bottleneck {net.architecture} parameter ({t.describe()}) that is "
                                       f"not generic, in part: its members with h' = mu h",
                           index_name=parts.index_name, network=net, top_dimension=top,
                           index_description=f"{parts.index_description}; not listed: the members with h' != mu h "
                                             f"(sa.equivalent decides membership)",
                           _sampler=parts.sample, _local=local)


def _typed_ridge_fibre(net: Network) -> BottleneckFibre:
    """Any case-(b) parameter: the union over the types of $\\theta'$ (:mod:`~.ridge_typed`)."""
    parts = TypedRidge(net)
    return BottleneckFibre(net.variables().flat, parts.index, parts.build, parts.locate,
                           description=f"fibre of a case-(b) {net.architecture} parameter, by types of theta'",
                           index_name=parts.index_name, network=net, top_dimension=parts.types.dimension,
                           index_description=parts.index_description, _sampler=parts.sample,
                           _local=parts.local_dimension)


def fibre_dimension(net: Network) -> int:
    r"""The dimension of the fibre of a generic bottleneck parameter, from the formulas of the math note.

    Case (b), every parameter: the largest dimension of a non-empty type of $\theta'$
    (:meth:`~semialg.families.bottleneck.ridge_types.RidgeTypes.dimension`; for generic parameters the note's
    $(1 + n_2) + z(n_3+1) + [a(n_3+1) - n_3 \text{ if } a \ge 1] + [1 \text{ if } H \text{ hidden}]$).
    Case (a), $U^\pm = \emptyset$: $(n_1 + 1) + u(n_0+1) - [n_0 \text{ if } |U^+| \ge 1]$ with $u = |U^-| + |U^+|$;
    constant $f$: $D - n_3$ (:mod:`~semialg.families.bottleneck.constant_fibre`);
    regime T: that of its explicit fibre (:mod:`~semialg.families.bottleneck.nonnegative_fibre`, $n_1 + 2$ for
    generic $h$); regime PN with all rows parallel: that of :mod:`~semialg.families.bottleneck.line_fibre` (the
    formulas would let hidden neurons turn, which a slab $P$ forbids). Raises :class:`ArchitectureError` for
    types the formulas do not cover (U$\pm$ or constant neurons) and for parameters that are not generic (:func:`semialg.genericity`).
    Cost: that of :func:`semialg.genericity`.
    """
    n0, n1, n2, n3 = net.widths
    if bottleneck_case(net) == "b":
        return RidgeTypes(net).dimension()
    t = combinatorial_type(net)
    if computes_constant(net, t):
        return ConstantFibre(net).dimension
    if t.regime == "T":
        return NonnegativeFibre(net, t).dimension
    if t.regime == "PN" and not rank_at_least_two(net.weights[0]):   # parallel rows: P is a slab, hidden rows cannot turn
        return LineFibre(net).dimension()
    if all_visible(net, t):
        return n1 + 1
    return _type_dimension(net, _require_generic(net, "fibre_dimension"))


def _type_dimension(net: Network, t: BottleneckType) -> int:
    """The note's dimension formula for a generic parameter of type ``t``."""
    n0, n1, n2, n3 = net.widths
    if t.regime == "constant" or "D" in t.classes or "U+-" in t.classes:
        raise ArchitectureError(f"no closed-form fibre dimension for this type: {t.describe()}")
    u, up = t.count("U-") + t.count("U+"), t.count("U+")
    return (n1 + 1) + u * (n0 + 1) - (n0 if up else 0)
