"""The any-depth family registered with :mod:`semialg.families.base`: it applies to every network, after the
faster specific families (one hidden layer, bottleneck), and replaces the bare region oracle as the fallback
for equivalence on the whole input space."""

from __future__ import annotations

import time

import numpy as np

from semialg.core.certificate import EquivalenceResult
from semialg.core.mechanism import Mechanism, zero_factor_mechanism
from semialg.core.network import Network
from semialg.errors import UndecidedError
from semialg.families.base import Family, register
from semialg.families.deep.equivalence import equivalent
from semialg.families.deep.moves import is_zero_layer
from semialg.engine.neurons import (off_masks, off_neurons, pair_relocations, phantom_pairs, silent_masks, twin_pairs,
                                    zero_factors)
from semialg.engine.orbit import flip_orbits
from semialg.engine.witnesses import image_moves
from semialg.geometry.zero_sum import ZERO_SUM_LIMIT
from semialg.families.deep.normal_form import NormalForm, _constant_neurons, _dead_neurons, normal_form
from semialg.families.deep.stabilizer import DeepStabilizer, stabilizer

__all__ = ["DeepFamily", "layer_mechanisms", "image_mechanisms"]


class DeepFamily(Family):
    """ReLU networks of any depth: normal forms modulo $G$, moves, exact line refutation, budgeted oracle."""

    name = "deep"
    priority = 90

    def applies(self, net: Network) -> bool:
        return True

    def applies_to_architecture(self, arch) -> bool:
        return False  # no symbolic loci or genericity conditions beyond the per-layer ones

    def equivalent(self, net1: Network, net2: Network, **options) -> EquivalenceResult:
        return equivalent(net1, net2, **options)

    def canonical_form(self, net: Network) -> NormalForm:
        return normal_form(net)

    def stabilizer(self, net: Network, budget: int = 10 ** 5, **options) -> DeepStabilizer:
        return stabilizer(net, budget)

    def mechanisms(self, net: Network, limit: int = ZERO_SUM_LIMIT, budget: float | None = None,
                   frozen_only: bool = False, **options) -> tuple[Mechanism, ...]:
        """:func:`layer_mechanisms` and :func:`image_mechanisms`; :class:`~semialg.errors.UndecidedError` when the
        image of the earlier layers was not searched in full (more than 16 neurons before a layer or more than 4
        inputs, or past ``budget``): an empty answer would claim that none is there. The error's ``partial`` holds
        the mechanisms found (each present; the unsearched image may hide more). With ``frozen_only`` the layer
        mechanisms alone (the image mechanisms freeze nothing)."""
        layer = layer_mechanisms(net, limit)
        if frozen_only:
            return layer
        notes: list[str] = []
        image = image_mechanisms(net, budget, notes)
        if notes:
            found = ", ".join(sorted({m.name for m in layer + image})) or "none"
            raise UndecidedError(f"hidden_symmetries: {'; '.join(notes)} (found so far: {found})",
                                 partial=layer + image)
        return layer + image


def layer_mechanisms(net: Network, limit: int = ZERO_SUM_LIMIT) -> tuple[Mechanism, ...]:
    r"""The mechanisms beyond $G$ that every hidden layer $l$ of ``net`` shows by itself: dead neurons (zero
    outgoing column: the incoming row is free), silent neurons (every non-zero outgoing weight reaches a neuron off
    on every input by its signs, or a silent one: the row is free, :func:`~semialg.engine.neurons.silent_masks`),
    constant neurons (zero incoming weights: $\sigma(b)$ is a constant
    the next bias absorbs), positive twins (their outgoing columns redistribute with fixed sum), phantom pairs and
    pair relocations (:func:`~semialg.engine.neurons.phantom_pairs`, :func:`~semialg.engine.neurons.pair_relocations`)
    and 0-factor flips
    ($S$ with $\sum_{i \in S} W_{l+1}[:, i]\, W_l[i, :] = 0$: flipping $S$ changes only the next bias).
    Neurons off on every input by the signs of their weights (:func:`~semialg.engine.neurons.off_neurons`) freeze
    their row, bias and column; a layer all off hides every earlier layer, whose parameters then freeze too.
    Neurons hidden only on the image of earlier layers are not listed (that needs the regions of those layers).

    Cost: $O(D \log n)$ for the first three; the 0-factor search is exact and exponential in the number of
    linearly dependent outer products of a layer (at most ``limit``). Neuron indices are 0-based.
    """
    out, off, offs = [], off_neurons(net), off_masks(net)
    silent = silent_masks(net, offs)
    for l in range(1, net.depth):
        if is_zero_layer(net, l):
            continue
        before, after = net.widths[l - 1], net.widths[l + 1]
        dead, constant = set(_dead_neurons(net, l)), set(_constant_neurons(net, l))
        for i in sorted(dead - constant):
            out.append(Mechanism("dead_output", True, before + 1, 1, (i,),
                                 f"column {i + 1} of W_{l + 1} is zero: row {i + 1} of (W_{l} | b_{l}) is free", l))
        for i in sorted(constant - dead):
            out.append(Mechanism("dead_input", True, after + 1, 1, (i,),      # b < 0: off everywhere, frozen
                                 f"row {i + 1} of W_{l} is zero: sigma(b) is constant, b_{l + 1} compensates", l,
                                 freezes=net.biases[l - 1][i] < 0))
        if signed := tuple(sorted(set(off[l - 1]) - constant)):
            out.append(Mechanism("off_neuron", True, before + after, 1, signed,
                                 f"neurons {[i + 1 for i in signed]} of layer {l}: b < 0 and no positive weight from a "
                                 f"neuron of layer {l - 1} that is on somewhere (its outputs are >= 0): off on every "
                                 "input; the row stays in that cone, the column is free", l, freezes=True))
        for i in np.flatnonzero(silent[l - 1] & ~offs[l - 1]).tolist():
            if i not in dead | constant:
                out.append(Mechanism("silent_neuron", True, before + 1, 1, (i,),
                                     f"neuron {i + 1} of layer {l} reaches only neurons off on every input (by their "
                                     f"signs, or silent themselves): row {i + 1} of (W_{l} | b_{l}) is free", l))
        for i in sorted(dead & constant):
            out.append(Mechanism("zero_neuron", True, before + 1 + after, 1, (i,),
                                 f"neuron {i + 1} of layer {l} is zero: its row or its column is free", l))
        groups: dict[int, set] = {}
        for i, j in twin_pairs(net, l):
            if i not in dead and j not in dead:
                groups.setdefault(i, {i}).add(j)
        for group in sorted(tuple(sorted(g)) for g in groups.values()):
            out.append(Mechanism("twins", True, (len(group) - 1) * after, 1, group,
                                 f"neurons {[i + 1 for i in group]} of layer {l} are positive multiples: their "
                                 f"outgoing columns redistribute with fixed sum", l))
        if phantoms := phantom_pairs(net, l):
            out.append(Mechanism("phantom_pair", True, len(phantoms), 1,
                                 tuple(sorted({x for i, j, _ in phantoms for x in (i, j)})),
                                 f"opposite pairs of layer {l} whose columns cancel compute c_i z (no kink): the "
                                 f"pair's hyperplane moves, b_{l + 1} compensating (one dimension each)", l))
        if moved := pair_relocations(net, l):
            out.append(Mechanism("pair_relocation", False, 0, None, tuple(sorted({x for r in moved for x in r[:3]})),
                                 f"s(z) - s(-z) = z: an opposite pair's second neuron of layer {l} moves opposite to a "
                                 f"neuron on a parallel hyperplane, b_{l + 1} taking the constant", l))
        sets = zero_factors(net, l, limit)
        if sets and (count := flip_orbits(net, l, sets)) != 1:
            out.append(zero_factor_mechanism(sets, count, f"W_{l + 1}[:, i] W_{l}[i, :]", f"b_{l + 1} absorbs the "
                                             "constant", l))
    if hiding := next((l for l in range(2, net.depth) if len(off[l - 1]) == net.widths[l]), None):
        out += [Mechanism("unseen_layer", True, None, 1, tuple(range(net.widths[l])),
                          f"layer {hiding} is off on every input: f does not depend on layer {l}, whose parameters "
                          "have zero gradient", l, freezes=True) for l in range(1, hiding)]
    return tuple(out)


def image_mechanisms(net: Network, budget: float | None = None, skipped: list | None = None) -> tuple[Mechanism, ...]:
    r"""The mechanisms that need the image of the earlier layers (Grigsby, Lindsey, Rolnick, *Hidden symmetries of
    ReLU networks*, ICML 2023), from :func:`~semialg.engine.witnesses.image_moves`: weights $W_l[i, j]$ with
    $z_{l,i} \le 0$ wherever $h_{l-1,j} > 0$ (``hidden_weight``: each can be lowered, one dimension) and neurons
    with $z_{l,i} \ge 0$ on the whole image (``always_active``: $\sigma(z) = z$ there, the bias rises and
    $b_{l+1}$ compensates, one dimension each). Neurons off on every input, and their columns, are left to
    :func:`layer_mechanisms`. No law is claimed (the inequalities may hold with equality on an open set).

    Cost: region enumeration of layers $1..l-1$ and $O(R\,n_l)$ exact LPs, only for at most 16 neurons before
    layer $l$ and at most 4 inputs; the search stops after ``budget`` seconds (``None``: no limit), listing what
    it found by then and saying in ``skipped`` what it did not search (beyond those sizes too).

    >>> net = Network.from_arrays([[[-1], [-1]], [[-1, 3], [1, 3]], [[1, 3]]], [[1, 3], [-2, 1], [1]])
    >>> [(m.name, m.layer, m.neurons) for m in image_mechanisms(net)]
    [('always_active', 2, (1,))]
    """
    deadline = None if budget is None else time.monotonic() + budget
    off = off_neurons(net)
    found: dict = {}
    for move in image_moves(net, deadline=deadline, skipped=skipped):
        l, (i, *j) = move.layer, move.neurons
        if i not in off[l - 1] and not set(j) & set(off[l - 2]) and not set(j) & set(_constant_neurons(net, l - 1)):
            found.setdefault((l, move.kind), []).append(move.neurons)
    out = []
    for (l, kind), items in sorted(found.items()):
        if kind == "always active":
            neurons = tuple(i for (i,) in items)
            out.append(Mechanism("always_active", True, len(neurons), 1, neurons,
                                 f"neurons {[i + 1 for i in neurons]} of layer {l} are never negative on the image of "
                                 f"the earlier layers: sigma(z) = z there, so each bias rises and b_{l + 1} "
                                 "compensates (one dimension each)", l, relation="compensated"))
        else:
            out.append(Mechanism("hidden_weight", True, len(items), 1, tuple(sorted({i for i, _ in items})),
                                 f"weights W_{l}[i, j] for (i, j) in {[(i + 1, j + 1) for i, j in items]}: neuron i "
                                 f"of layer {l} is never active where neuron j of layer {l - 1} is, so the weight "
                                 "can be lowered (one dimension each)", l, relation="hidden"))
    return tuple(out)


register(DeepFamily())
