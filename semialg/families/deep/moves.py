"""Function-preserving moves on ReLU networks of any depth, each with an exact precondition.

Notation: hidden layer $l$ ($1 \\le l \\le L-1$) has neurons $i$ with incoming row
$r_{l,i} = (W_l[i,:], b_l[i])$ and outgoing column $c_{l,i} = W_{l+1}[:,i]$. The moves (Grigsby, Lindsey,
Rolnick, "Hidden symmetries of ReLU networks", ICML 2023; Petzka, Trimmel, Sminchisescu, "Notes on the
symmetries of 2-layer ReLU-networks", 2020, for the one-hidden-layer case):

- :class:`RemoveDead` — $c_{l,i} = 0$: the neuron contributes nothing and is removed;
- :class:`FoldConstant` — $W_l[i,:] = 0$: $\\sigma(b_l[i])$ is a constant, $b_{l+1} \\mathrel{+}= c_{l,i}\\sigma(b_l[i])$;
- :class:`MergeTwins` / :class:`SplitTwin` — $r_{l,j} = \\lambda r_{l,i}$, $\\lambda > 0$: since
  $\\sigma(\\lambda z) = \\lambda\\sigma(z)$, $c_{l,i} \\mathrel{+}= \\lambda c_{l,j}$ and $j$ is removed (and back);
- :class:`Flip` — $\\sum_{i \\in S} W_{l+1}[j,i]\\,W_l[i,:] = 0$ for every neuron $j$ of layer $l+1$: as
  $\\sigma(z) = \\sigma(-z) + z$, negating $r_{l,i}$ for $i \\in S$ changes $z_{l+1}$ by the constant
  $W_{l+1}[:,S]\\,b_l[S]$, which is added to $b_{l+1}$;
- :class:`TradeOpposite` — opposite pairs $r_{l,j} = -\\mu r_{l,i}$ ($\\mu > 0$) with shifts $Y_p$ such that
  $\\sum_p Y_p W_l[i_p,:] = 0$: as $\\sigma(z) - \\sigma(-z) = z$, $c_{l,i} \\mathrel{+}= Y_p$, $c_{l,j} \\mathrel{-}= Y_p/\\mu$
  change $z_{l+1}$ by the constant $\\sum_p Y_p b_l[i_p]$, taken off $b_{l+1}$;
- :class:`RemoveHidden` — $z_{l,i} \\le 0$ on the image of the earlier layers ($l \\ge 2$): the neuron is never
  active and is removed; decided exactly on the linear regions of layers $1, \\dots, l-1$;
- :class:`ActBy` — an element of $G$ (permutation and positive scaling per hidden layer).

A layer is never left empty: when every neuron of a layer is removed, one *zero neuron* (zero row, zero
column) stands in for it, which computes nothing. ``apply`` re-checks the precondition exactly and raises
:class:`~semialg.errors.CertificateError` when it fails. Cost of a move: $O(n_l(n_{l-1} + n_{l+1}))$.

>>> from semialg.core.network import Network
>>> net = Network.from_arrays([[[1], [2]], [[1, 1]]], [[0, 0], [0]])        # two positive twins
>>> MergeTwins(1, ((0, 1),)).apply(net)
Network(1-1-1: W1=[[1]]; b1=[0]; W2=[[3]]; b2=[0])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from flint import fmpq

from semialg.core.certificate import group_element
from semialg.core.exact import to_fmpq
from semialg.core.network import Network
from semialg.core.result import Latexable
from semialg.core.symmetry import GroupElement
from semialg.engine.neurons import (clear, columns, flip, flip_residual, image_regions, shift_twins,
                                    sign_somewhere, trade_opposite)
from semialg.errors import CertificateError, ParameterError

__all__ = ["DeepMove", "RemoveDead", "FoldConstant", "MergeTwins", "SplitTwin", "Flip", "TradeOpposite", "ActBy",
           "RemoveHidden",
           "never_active", "replay", "is_zero_layer"]

_ZERO = fmpq(0)
Vec = tuple[fmpq, ...]


def is_zero_layer(net: Network, layer: int) -> bool:
    """Whether hidden ``layer`` is the single zero neuron that stands in for an emptied layer."""
    W, b, C = net.weights[layer - 1], net.biases[layer - 1], net.weights[layer]
    return len(W) == 1 and not any(W[0]) and b[0] == 0 and not any(row[0] for row in C)


def _rebuild(net: Network, layer: int, rows: list[Vec], bias: list[fmpq], cols: list[Vec],
             next_bias: Sequence[fmpq]) -> Network:
    """``net`` with hidden ``layer`` given by its neurons' rows, biases and outgoing columns."""
    if not rows:  # the zero neuron keeps the layer non-empty
        rows, bias = [(_ZERO,) * len(net.weights[layer - 1][0])], [_ZERO]
        cols = [(_ZERO,) * len(net.weights[layer])]
    Ws, bs = list(net.weights), list(net.biases)
    Ws[layer - 1], bs[layer - 1] = tuple(rows), tuple(bias)
    Ws[layer] = tuple(zip(*cols, strict=True)) if cols else Ws[layer]
    bs[layer] = tuple(next_bias)
    return Network(tuple(Ws), tuple(bs))


def _keep(net: Network, layer: int, cols: list[Vec], drop: set[int], next_bias) -> Network:
    W, b = net.weights[layer - 1], net.biases[layer - 1]
    keep = [i for i in range(len(W)) if i not in drop]
    return _rebuild(net, layer, [W[i] for i in keep], [b[i] for i in keep], [cols[i] for i in keep], next_bias)


def _numbered(neurons: Sequence[int]) -> list[int]:
    """Neuron indices as the descriptions show them: numbered from 1, as the symbols $W_l[i, j]$ are."""
    return [i + 1 for i in neurons]


def _check_neurons(net: Network, layer: int, neurons: Sequence[int]) -> None:
    """``layer`` is a hidden layer of ``net`` and ``neurons`` distinct neurons of it (:class:`CertificateError`)."""
    if not 1 <= layer <= net.depth - 1:
        raise CertificateError(f"layer {layer} is not a hidden layer of a network of depth {net.depth}")
    n = len(net.weights[layer - 1])
    if not neurons or len(set(neurons)) != len(neurons) or any(not 0 <= i < n for i in neurons):
        raise CertificateError(f"the indices {list(neurons)} are not distinct neurons of hidden layer {layer} "
                               f"(width {n})")


class DeepMove(Latexable):
    """A function-preserving move; ``apply(net)`` checks the precondition exactly, then performs it."""

    mechanism = ""

    def apply(self, net: Network) -> Network:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def to_json(self) -> dict:
        raise NotImplementedError


@dataclass(frozen=True)
class _OnNeurons(DeepMove):
    """A move on a set of ``neurons`` of hidden ``layer``, written to JSON under the tag ``name``."""

    layer: int
    neurons: tuple[int, ...]
    name = ""

    def to_json(self) -> dict:
        return {"move": self.name, "layer": self.layer, "neurons": list(self.neurons)}


@dataclass(frozen=True)
class RemoveDead(_OnNeurons):
    """Remove the ``neurons`` of hidden ``layer`` whose outgoing columns are zero."""

    mechanism = "dead neuron"
    name = "remove_dead"

    def apply(self, net: Network) -> Network:
        _check_neurons(net, self.layer, self.neurons)
        cols = columns(net, self.layer)
        for i in self.neurons:
            if any(cols[i]):
                raise CertificateError(f"neuron {i + 1} of layer {self.layer} has a non-zero outgoing column")
        return _keep(net, self.layer, cols, set(self.neurons), net.biases[self.layer])

    def describe(self) -> str:
        return f"remove dead neuron(s) {_numbered(self.neurons)} of layer {self.layer}"


@dataclass(frozen=True)
class FoldConstant(_OnNeurons):
    """Fold the ``neurons`` of hidden ``layer`` with zero incoming weights into the next bias and remove them."""

    mechanism = "constant neuron"
    name = "fold_constant"

    def apply(self, net: Network) -> Network:
        _check_neurons(net, self.layer, self.neurons)
        for i in self.neurons:
            if any(net.weights[self.layer - 1][i]):
                raise CertificateError(f"neuron {i + 1} of layer {self.layer} has non-zero incoming weights")
        folded = clear(net, self.layer, self.neurons)
        return _keep(folded, self.layer, columns(folded, self.layer), set(self.neurons), folded.biases[self.layer])

    def describe(self) -> str:
        return f"fold constant neuron(s) {_numbered(self.neurons)} of layer {self.layer} into the next bias"


@dataclass(frozen=True)
class MergeTwins(DeepMove):
    """For each pair ``(i, j)``: $r_{l,j} = \\lambda r_{l,i}$ with $\\lambda > 0$; $c_{l,i} \\mathrel{+}= \\lambda c_{l,j}$, $j$ removed."""

    layer: int
    pairs: tuple[tuple[int, int], ...]
    mechanism = "positive twins"

    def apply(self, net: Network) -> Network:
        keepers, merged = {i for i, _ in self.pairs}, [j for _, j in self.pairs]
        _check_neurons(net, self.layer, merged)
        _check_neurons(net, self.layer, sorted(keepers))
        if keepers & set(merged):
            raise CertificateError(f"a neuron is both kept and merged in {list(self.pairs)}")
        shifted = shift_twins(net, self.layer, self.pairs)  # the merged neurons are left dead
        return _keep(shifted, self.layer, columns(shifted, self.layer), set(merged), net.biases[self.layer])

    def describe(self) -> str:
        return f"merge positive twins {[(i, j) for i, j in self.pairs]} of layer {self.layer}"

    def to_json(self) -> dict:
        return {"move": "merge_twins", "layer": self.layer, "pairs": [list(p) for p in self.pairs]}


@dataclass(frozen=True)
class SplitTwin(DeepMove):
    """Split neuron ``neuron`` into two positive twins: rows $r$ and $\\lambda r$, columns $t\\,c$ and $(1-t)c/\\lambda$.

    The inverse of :class:`MergeTwins`; it changes the width. The new twin is appended last.
    """

    layer: int
    neuron: int
    fraction: fmpq
    scale: fmpq = fmpq(1)
    mechanism = "positive twins"

    def apply(self, net: Network) -> Network:
        _check_neurons(net, self.layer, (self.neuron,))
        if to_fmpq(self.scale, "scale") <= 0:
            raise ParameterError(f"a twin needs a positive scale, not {self.scale}")
        W, b = list(net.weights[self.layer - 1]), list(net.biases[self.layer - 1])
        cols = columns(net, self.layer)
        i, t, lam = self.neuron, to_fmpq(self.fraction, "fraction"), to_fmpq(self.scale, "scale")
        W.append(tuple(lam * x for x in W[i]))
        b.append(lam * b[i])
        cols.append(tuple((1 - t) * x / lam for x in cols[i]))
        cols[i] = tuple(t * x for x in cols[i])
        return _rebuild(net, self.layer, W, b, cols, net.biases[self.layer])

    def describe(self) -> str:
        return f"split neuron {self.neuron + 1} of layer {self.layer} into positive twins ({self.fraction})"

    def to_json(self) -> dict:
        return {"move": "split_twin", "layer": self.layer, "neuron": self.neuron,
                "fraction": str(self.fraction), "scale": str(self.scale)}


@dataclass(frozen=True)
class Flip(_OnNeurons):
    """Negate the rows of the set ``neurons`` $= S$ of hidden ``layer`` under the 0-factor precondition.

    Precondition: $\\sum_{i \\in S} W_{l+1}[j,i]\\,W_l[i,:] = 0$ for every neuron $j$ of layer $l+1$. Effect:
    $r_{l,i} \\mapsto -r_{l,i}$ ($i \\in S$) and $b_{l+1} \\mathrel{+}= W_{l+1}[:,S]\\,b_l[S]$.
    Cost of the check: $O(|S|\\,n_{l+1} n_{l-1})$.
    """

    mechanism = "0-factor flip"
    name = "flip"

    def residual(self, net: Network) -> list[Vec]:
        """The rows $\\sum_{i \\in S} W_{l+1}[j,i]\\,W_l[i,:]$; the precondition is that all are zero."""
        return flip_residual(net, self.layer, self.neurons)

    def apply(self, net: Network) -> Network:
        _check_neurons(net, self.layer, self.neurons)
        return flip(net, self.layer, self.neurons)

    def describe(self) -> str:
        return f"0-factor flip of neuron(s) {_numbered(self.neurons)} of layer {self.layer}"


def never_active(net: Network, layer: int, neurons: Sequence[int] | None = None) -> tuple[int, ...]:
    """The ``neurons`` (default all) of hidden ``layer`` $\\ge 2$ with $z_{l,i} \\le 0$ on the whole image of layer $l-1$.

    On every linear region $R$ of layers $1, \\dots, l-1$ (open, covering $\\mathbb{R}^{n_0}$ up to a null set),
    $z_{l,i}$ is affine; the neuron is never active iff $\\{x \\in R : z_{l,i}(x) > 0\\}$ is empty for every $R$
    (then $z_{l,i} \\le 0$ on the closures, i.e. everywhere), each decided by an exact strict-feasibility test.
    Cost: region enumeration of the truncated network (exponential in the worst case) plus $O(R\\,n_l)$ LPs.
    """
    candidates = range(len(net.weights[layer - 1])) if neurons is None else neurons
    if layer < 2:
        return tuple(i for i in candidates if not any(net.weights[0][i]) and net.biases[0][i] <= 0)
    regs = image_regions(net, layer)
    return tuple(i for i in candidates if not any(sign_somewhere(R, i, 1) for R in regs))


@dataclass(frozen=True)
class RemoveHidden(_OnNeurons):
    """Remove the ``neurons`` of hidden ``layer`` that are never active on the image of the earlier layers."""

    mechanism = "hidden neuron"
    name = "remove_hidden"

    def apply(self, net: Network) -> Network:
        _check_neurons(net, self.layer, self.neurons)
        hidden = never_active(net, self.layer, self.neurons)
        if hidden != tuple(self.neurons):
            active = _numbered(sorted(set(self.neurons) - set(hidden)))
            raise CertificateError(f"neuron(s) {active} of layer {self.layer} "
                                   f"are active somewhere")
        return _keep(net, self.layer, columns(net, self.layer), set(self.neurons), net.biases[self.layer])

    def describe(self) -> str:
        return f"remove neuron(s) {_numbered(self.neurons)} of layer {self.layer}, never active on the previous image"


@dataclass(frozen=True)
class TradeOpposite(DeepMove):
    """Opposite ``pairs`` $(i, j)$ of hidden ``layer`` ($r_{l,j} = -\\mu r_{l,i}$, $\\mu > 0$) trade outgoing weights.

    With ``shifts`` $Y_p \\in \\mathbb{Q}^{n_{l+1}}$ satisfying $\\sum_p Y_p W_l[i_p,:] = 0$ (the precondition):
    $c_{l,i_p} \\mathrel{+}= Y_p$, $c_{l,j_p} \\mathrel{-}= Y_p/\\mu_p$, $b_{l+1} \\mathrel{-}= \\sum_p Y_p b_l[i_p]$.
    Cost of the check: $O(|P|\\,n_{l+1} n_{l-1})$.
    """

    layer: int
    pairs: tuple[tuple[int, int], ...]
    shifts: tuple[Vec, ...]
    mechanism = "opposite pairs"

    def apply(self, net: Network) -> Network:
        _check_neurons(net, self.layer, [x for p in self.pairs for x in p])
        return trade_opposite(net, self.layer, self.pairs, self.shifts)

    def describe(self) -> str:
        return f"trade outgoing weights between opposite pairs {[list(p) for p in self.pairs]} of layer {self.layer}"

    def to_json(self) -> dict:
        return {"move": "trade_opposite", "layer": self.layer, "pairs": [list(p) for p in self.pairs],
                "shifts": [[str(v) for v in y] for y in self.shifts]}


@dataclass(frozen=True)
class ActBy(DeepMove):
    """The action of a group element $g \\in G$ (permutations and positive scales per hidden layer)."""

    element: GroupElement
    mechanism = "group action"

    def apply(self, net: Network) -> Network:
        try:
            return group_element(self.element).act(net)
        except ParameterError as e:
            raise CertificateError(f"the group element does not act on {net.architecture}: {e}") from None

    def describe(self) -> str:
        return "act by a group element (permutation and positive scaling per hidden layer)"

    def to_json(self) -> dict:
        return {"move": "act", "element": self.element.to_json()}


def replay(net: Network, moves: Sequence[DeepMove]) -> Network:
    """Apply ``moves`` in order, each re-checking its precondition. Only this module's moves are replayed (exact
    types: an object of another class, or a subclass, could ``apply`` anything). Cost: the sum of the moves' costs."""
    for mv in moves:
        if type(mv) not in _MOVES:
            raise CertificateError(f"{type(mv).__name__} is not a move of the deep family")
        net = mv.apply(net)
    return net


_MOVES = frozenset({RemoveDead, FoldConstant, MergeTwins, SplitTwin, Flip, RemoveHidden, TradeOpposite, ActBy})
