r"""The functional dimension of a network of any depth: the rank of the Jacobian in the parameters of its values
at finitely many inputs, maximised over the inputs (Grigsby, Lindsey, Meyerhoff and Wu, *Functional dimension
of feedforward ReLU neural networks*, 2022), decided exactly.

On a linear region the network is a polynomial in its parameters whose Jacobian is affine in the input, so
$d + 1$ affinely independent points of every region span every row
(:func:`~semialg.engine.regions.decisive_points`); the rank is bounded above by $\dim\Omega$ minus the hidden
neurons (their rescaling fields), and lower by the directions no row reads
(:func:`~semialg.engine.flat_directions.flat_bound`), and from below by the rank modulo a prime of any rows
(:func:`~semialg.engine.jacobian.sampled_batch`): the value is proven as soon as the bounds meet.

>>> functional_dimension(Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 0], [0]])).value     # |x|: 4 < 7 - 2
4
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from flint import fmpq

from semialg.core.exact import row_basis
from semialg.core.grid_point import GridPoint
from semialg.core.modular import RowSpaceMod, rank_mod_fits
from semialg.core.network import Network
from semialg.core.result import Latexable
from semialg.core.symmetry import rescaling_ranks
from semialg.engine.batch_rank import jacobian_rank
from semialg.engine.flat_directions import flat_bound
from semialg.engine.jacobian import (RANK_GRACE, Pattern, balanced_layers, jacobians_mod, layers_mod,
                                     parameter_jacobian, sampled_batch)
from semialg.engine.kink_peeling import PEEL_FIRST, kink_peeling_certificate
from semialg.engine.regions import check_domain, decisive_points
from semialg.errors import ArchitectureError, UndecidedError, check_budget
from semialg.families.base import families_for
from semialg.geometry.polyhedron import Polytope

__all__ = ["functional_dimension", "FunctionalDimension", "rank_on_regions"]

#: Inputs whose Jacobian rows join the exact rank at once, on top of the basis of the rows before: memory stays
#: that of a chunk and the basis (every row of the 33,874 regions of a float32 4-16-16-2 network at once: 24 GB).
EXACT_CHUNK = 256


Vec = tuple[fmpq, ...]


@dataclass(frozen=True)
class FunctionalDimension(Latexable):
    """The exact functional dimension with its evidence.

    ``value`` is the rank of the Jacobian on ``batch``; ``upper_bound`` $= \\dim\\Omega - $ (number of hidden
    neurons with a non-zero parameter) is proven by the rescaling symmetries. ``regions`` counts the linear
    regions used; ``nonsmooth`` counts those where some hidden pre-activation vanishes identically (there
    the one-sided derivative with that neuron off is used: a convention. Grigsby et al. take only parametrically
    smooth inputs, which leave such a region out when the neuron is read there, and the two can differ:
    $\\sigma(2 - x), \\sigma(x)$, then $\\sigma(2h_2)$ and output $-a - 1$ gives 4 here, 3 at the smooth inputs
    alone; ``nonsmooth`` $= 0$ means they agree). ``method`` is "decisive batch", "sampled batch"
    (random inputs reached the upper bound), either "and flat directions" (the rank reached the upper bound of
    :func:`~semialg.engine.flat_directions.flat_bound`, proven by directions no row reads), "visible kinks"
    (``certificate``, a :class:`~semialg.engine.kink_peeling.KinkPeelingCertificate`, proves the upper bound is
    reached; "and silent neurons": the bound lowered by the rows of silent neurons and the outgoing weights of off
    ones), a family
    name (a closed form), or a family name with "visible kinks" (``certificate`` from the family's theory, e.g.
    :class:`~semialg.families.bottleneck.rank_bound.VisibleRankCertificate`), or "affine map" (no hidden layer:
    $\\dim\\Omega$). ``flat`` holds the :class:`~semialg.engine.flat_directions.FlatDirection` values that lowered
    the bound, each saying why no Jacobian row reads it (as many as ``deficit`` when the method ends "and flat
    directions"; :meth:`explain` lists them).
    """

    value: int
    upper_bound: int
    num_parameters: int
    regions: int
    nonsmooth: int = 0
    batch: tuple[Vec, ...] = field(default=(), repr=False)
    method: str = "decisive batch"
    certificate: object = field(default=None, repr=False)
    flat: tuple = field(default=(), repr=False)

    def __int__(self) -> int:
        return self.value

    def describe(self) -> str:
        used = (f"{self.certificate.num_points} kink points" if self.certificate is not None
                else f"{self.regions} region{'s' if self.regions != 1 else ''} used")
        why = ""
        if self.flat:
            counts = Counter(d.kind for d in self.flat)
            why = "; " + ", ".join(f"{k} {_KINDS[kind][k > 1]}" for kind, k in counts.items()) + (
                " lower the bound" if len(self.flat) == self.deficit else f" explain {len(self.flat)} of the "
                                                                          f"{self.deficit} below it")
        return (f"functional dimension {self.value} (upper bound {self.upper_bound} of {self.num_parameters} "
                f"parameters; {self.method}, {used}{why})")

    def explain(self) -> str:
        """:meth:`describe`, then each flat direction that lowers the bound and why no Jacobian row reads it."""
        return "\n".join([self.describe()] + [f"  - {d.describe()}" for d in self.flat])

    def to_json(self) -> dict:
        return super().to_json() | {"flat": [d.to_json() for d in self.flat]}

    def __eq__(self, other) -> bool:
        if isinstance(other, int):
            return self.value == other
        return NotImplemented if not isinstance(other, FunctionalDimension) else self.value == other.value

    __hash__ = None

    @property
    def deficit(self) -> int:
        """How far below the generic value $\\dim\\Omega - \\#\\text{hidden}$ the dimension is."""
        return self.upper_bound - self.value


_KINDS = {"hidden weight": ("hidden weight", "hidden weights"),
          "off neuron": ("weight of an off neuron", "weights of off neurons"),
          "silent neuron": ("parameter of a silent neuron", "parameters of silent neurons"),
          "affine relation": ("affine relation where a neuron is on", "affine relations where a neuron is on"),
          "cancelling weights": ("combination of outgoing weights that cancels", "combinations of outgoing weights "
                                                                                 "that cancel"),
          "always active": ("trade of an always-active neuron", "trades of always-active neurons"),
          "tangent move": ("tangent move", "tangent moves")}


def functional_dimension(net: Network, domain: Polytope | None = None, method: str = "auto",
                         budget: float | None = None, progress: bool | None = None) -> FunctionalDimension:
    """The exact functional dimension $\\dim_{\\mathrm{fun}}(\\theta) = \\max_Z \\operatorname{rank} J_\\theta E_Z$.

    ``method="batch"`` evaluates the Jacobian on a :func:`decisive_batch` and takes its exact rank,
    enumerating regions lazily and stopping once the rank modulo a prime of the rows so far (their residues computed
    by :func:`~semialg.engine.jacobian.jacobians_mod` and added to a :class:`~semialg.core.modular.RowSpaceMod`
    every few regions; a lower bound on the exact rank) reaches the proven upper bound
    $\\dim\\Omega - \\#\\{\\text{hidden neurons with a non-zero parameter}\\}$;
    ``method="shallow"`` (whole input space) uses the closed form of the architecture family
    (:mod:`semialg.families.base`: one hidden layer, and case-(a) bottlenecks from the activity patterns of the first
    layer on $P = \\{h > 0\\}$, :mod:`semialg.families.bottleneck.dimension`, within ``budget``); ``"auto"`` picks
    the latter when one applies.
    After ``budget`` seconds (``None``: no limit) :class:`~semialg.errors.UndecidedError` gives the proven bounds
    (the rank modulo $p$ of the rows so far, and the upper bound) and the number of regions done; ``progress``
    shows a tqdm bar of the regions (``None``: on a terminal, after 2 s). Before any region the rows at sampled
    inputs (:func:`~semialg.engine.jacobian.sampled_batch`: random ones, then ones chosen for their regions)
    decide the value when their rank modulo $p$ reaches the bound, lowered by the directions that no Jacobian row
    reads (:func:`~semialg.engine.flat_directions.flat_bound`: first those read off the weights, $O(\\dim\\Omega)$
    — neurons off or silent, trades of twins, constant neurons and first-layer lines —, then, short of it at depth
    $\\ge 3$, hidden weights, neurons on in every region, affine relations where a neuron is on and outgoing
    weights that cancel where one is, from the regions of the earlier layers). When the
    rank of about
    $\\mathrm{bound} \\times \\dim\\Omega$ rows would not fit in memory
    (:func:`~semialg.core.modular.rank_mod_fits`; 784-256-256-10: 4.2 TiB), and with ``"auto"`` first for more
    than :data:`PEEL_FIRST` parameters, kink peeling
    (:func:`~semialg.engine.kink_peeling.kink_peeling_certificate`, a sufficient condition) may prove the
    upper bound reached (method "visible kinks"; with silent neurons, the bound they lower: "visible kinks and
    silent neurons"); otherwise such a network is undecided. Cost: region enumeration plus $O(R(d+1)k)$ Jacobian
    rows of length $\\dim\\Omega$ modulo $p$ and their rank (a float32 4-16-16-2 network of functional dimension
    336 < 354: 901 regions in 12 s, against 1,024 in 80 s before the regions were found lazily and the rank grown
    block by block, ``benchmarks/bench_deep_narrow.py``). When every region is needed, their rows' exact rank is
    proven by a kernel checked modulo primes (:func:`rank_on_regions`; exact elimination only should that fail):
    the 321,220 rows of the 32,122 regions of another such network in 48 s, where exact elimination had not ended
    after 5 minutes (``benchmarks/bench_certified_rank.py``).

    >>> functional_dimension(Network.from_arrays([[[2]], [[3]]], [[1], [0]])).value    # a s(wx+b) + c
    3
    """
    if method not in ("auto", "batch", "shallow"):
        raise ValueError(f"method must be 'auto', 'batch' or 'shallow', not {method!r}")
    domain = check_domain(domain)
    D = net.architecture.num_parameters
    if net.depth == 1:      # an affine map x -> Wx + b: it determines W and b, on any open set
        return FunctionalDimension(D, D, D, 1, method="affine map")
    bound = D - sum(rescaling_ranks(net))
    deadline = None if budget is None else time.monotonic() + check_budget(budget, seconds=True)
    if method == "shallow" or (method == "auto" and domain is None):
        for family in families_for(net):
            value = family.closed_form_dimension(net, deadline)
            if isinstance(value, FunctionalDimension):
                return value
            if value is not None:
                return FunctionalDimension(value, bound, D, 0, method=family.name)
        if method == "shallow":
            raise ArchitectureError(f"no closed-form functional dimension for {net.architecture}")
    fits, need, free = rank_mod_fits(bound, D)
    why: list[str] = []
    if method == "auto" and domain is None and (not fits or D > PEEL_FIRST) and net.depth > 1:
        cert = kink_peeling_certificate(net, deadline, progress, why=why)
        if cert is not None:
            return FunctionalDimension(cert.dimension, bound, D, 0, certificate=cert, method="visible kinks" + (
                " and silent neurons" if cert.silent else ""))
    if not fits:
        raise UndecidedError(f"functional_dimension of a {net.architecture} network: a proof needs the rank modulo a "
                             f"prime of about {bound} x {D} Jacobian rows ({need / 2 ** 30:.1f} GiB, "
                             f"{free / 2 ** 30:.1f} GiB free memory); it is at most {bound} (parameters minus "
                             f"rescalable hidden neurons)" + (f"; {why[0]}" if why else ""))
    # the sampled rows aim at the flat bound without the image search (dead, silent, twin neurons: O(D)) ...
    explained: list = []    # the flat directions that lower the bound, with why
    flat = flat_bound(net, image=False, explained=explained) if bound > 0 else bound
    batch = sampled_batch(net, flat, deadline=deadline, zero_off=True) if domain is None and flat > 0 else None
    if batch is not None and batch.reached:
        return FunctionalDimension(flat, bound, D, len(batch.patterns), 0, batch.inputs, method="sampled batch" +
                                   ("" if flat == bound else " and flat directions"), flat=tuple(explained))
    if net.depth > 2 and bound > 0:     # ... then hidden weights and neurons on everywhere lower it more
        deeper: list = []
        if (lowered := flat_bound(net, deadline=deadline, explained=deeper)) < flat:
            flat, explained = lowered, deeper
    # The sampled rows stay in the modular lower bound (every batch is one), so fewer regions are needed.
    sampled = () if batch is None else batch.inputs
    known = 0 if batch is None else batch.rank
    if batch is not None and known >= flat:
        return FunctionalDimension(flat, bound, D, len(batch.patterns), 0, sampled,
                                   method="sampled batch and flat directions", flat=tuple(explained))
    how = "decisive batch" if flat == bound else "decisive batch and flat directions"
    used, patterns, value, inputs = list(sampled), [], 0, []
    lm = layers_mod(net)       # None: p divides a denominator, and only the exact rank at the end decides
    floats = None if lm is None else balanced_layers(lm)
    # The rows' residues join an echelon basis a block at a time: its rank is a lower bound (a block whose
    # residues do not exist, p dividing a denominator, is left out: fewer rows, still a lower bound) and reaching
    # the proven upper bound decides the value early. Each block costs its own rows only, so the checks are frequent.
    space, pending = RowSpaceMod(D), [] if batch is None else list(batch.blocks)

    def add_pending(until: float | None) -> int:
        nonlocal pending
        new = [b for b in pending if b is not None]
        if new and (until is None or time.monotonic() + space.seconds(sum(map(len, new))) < until):
            space.add(np.vstack(new))
            pending = []
        return max(known, space.rank)

    step = max(8, D // (4 * net.architecture.output_dim))      # inputs between two ranks
    next_check = 1
    from tqdm.auto import tqdm
    with tqdm(desc="functional dimension: regions", unit="region", delay=2, leave=False,
              disable=None if progress is None else not progress) as bar:
        try:
            for pattern, points in decisive_points(net, domain, deadline=deadline):
                patterns.append(pattern)
                bar.update()
                used.extend(points)
                inputs.extend((x, pattern) for x in points)
                J = None if lm is None else jacobians_mod(lm, points, [pattern] * len(points), floats=floats)
                pending.append(None if J is None else J.reshape(-1, D))
                if len(inputs) >= next_check:   # elimination cannot be interrupted: not begun past the deadline
                    known = add_pending(deadline)
                    if known >= flat:
                        value = flat
                        break
                    next_check = len(inputs) + step
            else:       # every region: the exact rank of their rows
                bar.reset(total=None)
                bar.set_description("functional dimension: rows of every region checked")
                bar.unit = "row"
                value = rank_on_regions(net, patterns, flat, deadline, bar.update)
                if value is None:
                    value = _exact_rank(net, inputs, flat, deadline)
                how = "decisive batch"
        except UndecidedError:
            # the budget is spent: a new rank only if it is quick (a large one could take minutes)
            lower = add_pending(time.monotonic() + RANK_GRACE)
            if lower < flat:       # else the bounds met: the value is proven all the same
                why = "parameters minus rescalable hidden neurons" + (" and flat directions" if flat < bound else "")
                bounds = (f"between {lower} (rank modulo a prime of their Jacobian rows) and {flat} ({why})" if lower
                          else f"at most {flat} ({why}; no rank of their Jacobian rows fitted in the budget)")
                raise UndecidedError(
                    f"functional_dimension: the budget of {budget:.3g} s was spent after {len(sampled)} sampled "
                    f"inputs and {len(patterns)} regions; the functional dimension is {bounds}",
                    bounds=(lower, flat)) from None
            value = flat
    nonsmooth = sum(1 for p in patterns if any(0 in layer for layer in p))
    return FunctionalDimension(value, bound, D, len(patterns), nonsmooth, tuple(used), how, flat=tuple(explained))


def rank_on_regions(net: Network, patterns: Sequence[Pattern], at_most: int | None = None,
                    deadline: float | None = None, tick=None) -> int | None:
    r"""The exact rank of the Jacobian rows on the regions of the activation ``patterns``, or ``None`` when the
    proof of :func:`~semialg.engine.batch_rank.jacobian_rank` fails (then compute it otherwise).

    With the pattern held fixed the network is a polynomial in $(\theta, x)$ whose Jacobian in $\theta$ is affine in
    $x$, so its rows at $0, e_1, \dots, e_d$ span what its rows at $d + 1$ affinely independent points of the region
    span, with small entries (no vertex coordinates). ``at_most``: a proven upper bound, reached by the rank modulo
    a prime; ``deadline`` and ``tick(rows)`` as there. Cost: that of
    :func:`~semialg.engine.batch_rank.jacobian_rank` on $(d + 1)k$ rows a pattern.

    >>> net = Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 0], [0]])                    # |x|
    >>> rank_on_regions(net, [((1, 0),), ((0, 1),)])
    4
    """
    d = net.architecture.input_dim
    corners = [GridPoint([int(i == j) for j in range(d)], 1) for i in range(-1, d)]
    patterns = list(dict.fromkeys(tuple(map(tuple, q)) for q in patterns))
    return jacobian_rank(net, corners * len(patterns), [q for q in patterns for _ in corners], at_most, deadline,
                         tick)


def _exact_rank(net: Network, inputs: list, flat: int, deadline: float | None) -> int:
    """The exact rank of the Jacobian rows at ``inputs`` (``(x, pattern)`` pairs), :data:`EXACT_CHUNK` inputs at a
    time on top of a reduced basis of the rows before; it stops at ``flat`` (an upper bound), and raises
    :class:`~semialg.errors.UndecidedError` when ``deadline`` (a :func:`time.monotonic` value) has passed before a
    chunk. Cost: one exact reduced echelon form of at most $k \\cdot$ ``EXACT_CHUNK`` $+$ ``flat`` rows of
    length $\\dim\\Omega$ per chunk."""
    basis: list = []
    for start in range(0, len(inputs), EXACT_CHUNK):
        if deadline is not None and time.monotonic() > deadline:
            raise UndecidedError(f"the exact rank passed the deadline after {start} of {len(inputs)} inputs")
        basis = row_basis(basis + [row for x, pattern in inputs[start:start + EXACT_CHUNK]
                                   for row in parameter_jacobian(net, x, pattern)])
        if len(basis) >= flat:
            break
    return len(basis)
