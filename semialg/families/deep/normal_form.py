"""A normal form of ReLU networks of any depth modulo the group $G$ and the reducing moves.

Two steps (Phuong and Lampert, "Functional vs. parametric equivalence of ReLU networks", ICLR 2020, for the
role of $G$; Grigsby, Lindsey, Rolnick, ICML 2023, for the moves):

1. **Reduction** to a fixpoint by the moves of :mod:`semialg.families.deep.moves`: fold constant neurons
   ($W_l[i,:] = 0$) into the next bias, merge positive twins, remove dead neurons ($c_{l,i} = 0$). Each is
   recorded with its exact precondition.
2. **Normalisation** layer by layer, $l = 1, \\dots, L-1$: divide each row $r_{l,i}$ by the absolute value
   $s$ of its first non-zero entry and multiply the column $c_{l,i}$ by $s$ (this rescales layer $l+1$'s rows,
   so layer $l$ is finished before layer $l+1$ is read); then sort the neurons of layer $l$ by
   (orientation, normalised row) and permute the columns alike. After twin merging no two neurons of a layer
   have the same orientation and normalised row, so the order is strict: no ties are left to break.

The result is $N(\\theta) = g\\cdot\\rho(\\theta)$ for the reduced parameter $\\rho(\\theta)$ and the $g \\in G$ read
off the normalisation. If $N(\\theta_1) = N(\\theta_2)$ the networks are equivalent, with the replayable
certificate "moves of $\\theta_1$, then $g_1$; moves of $\\theta_2$, then $g_2$; equal end points". Different
normal forms prove nothing by themselves: other moves (0-factor flips, neurons hidden on the image of the
previous layer) relate networks whose normal forms differ.

Cost: $O(\\dim\\Omega)$ exact operations for the reduction when it finds nothing (each move found costs
$O(n_l(n_{l-1} + n_{l+1}))$) plus $O(\\dim\\Omega)$ for the normalisation and $O(n_l \\log n_l)$ row comparisons
per layer for the sort: $O(D \\log n)$ for $D$ parameters and width $n$.

>>> from semialg.core.network import Network
>>> from semialg.core.symmetry import GroupElement
>>> net = Network.random((2, 3, 3, 1), seed=4)
>>> image = GroupElement.random(net.architecture, seed=5).act(net)
>>> normal_form(net).network == normal_form(image).network
True
"""

from __future__ import annotations

from dataclasses import dataclass

from flint import fmpq

from semialg.core.exact import normalise_row
from semialg.core.network import Network
from semialg.core.result import Latexable
from semialg.core.symmetry import GroupElement
from semialg.engine.neurons import constant_neurons, dead_neurons, twin_pairs
from semialg.errors import CertificateError
from semialg.families.deep.moves import (ActBy, DeepMove, FoldConstant, MergeTwins, RemoveDead, RemoveHidden,
                                         is_zero_layer, never_active, replay)

__all__ = ["NormalForm", "normal_form", "reduce", "normalise", "small_for_regions"]

_ONE = fmpq(1)


def _constant_neurons(net: Network, layer: int) -> tuple[int, ...]:
    return () if is_zero_layer(net, layer) else constant_neurons(net, layer)


def _dead_neurons(net: Network, layer: int) -> tuple[int, ...]:
    return () if is_zero_layer(net, layer) else dead_neurons(net, layer)


def small_for_regions(net: Network, max_neurons: int = 16, max_input: int = 4) -> bool:
    """Whether the image of every hidden layer is cheap to decide by region enumeration (a size guard)."""
    return net.architecture.input_dim <= max_input and sum(net.widths[1:-2]) <= max_neurons


def _hidden_neurons(net: Network, layer: int) -> tuple[int, ...]:
    if layer < 2 or is_zero_layer(net, layer):
        return ()
    return never_active(net, layer)


def reduce(net: Network, image: bool = False) -> tuple[tuple[DeepMove, ...], Network]:
    """Apply constant folding, twin merging and dead-neuron removal, layer by layer, until none applies.

    With ``image`` also remove neurons never active on the image of the earlier layers
    (:class:`~semialg.families.deep.moves.RemoveHidden`, decided on linear regions: exponential; use on small
    networks, see :func:`small_for_regions`). Returns the moves (in order) and the reduced network. Removing a neuron of layer $l+1$ can make a neuron of
    layer $l$ dead and merging can cancel a column, hence the repeated sweeps (at most one per removed neuron,
    in practice one or two). Cost per sweep: $O(\\dim\\Omega)$ plus one sort per layer.

    >>> net = Network.from_arrays([[[1], [0], [2]], [[1, 5, 1]]], [[0, 3, 0], [0]])
    >>> moves, red = reduce(net)
    >>> [m.mechanism for m in moves], red
    (['constant neuron', 'positive twins'], Network(1-1-1: W1=[[1]]; b1=[0]; W2=[[3]]; b2=[15]))
    """
    moves: list[DeepMove] = []
    changed = True
    while changed:
        changed = False
        for layer in range(1, net.depth):
            steps = ((_constant_neurons, FoldConstant), (twin_pairs, MergeTwins), (_dead_neurons, RemoveDead))
            for found, make in steps + (((_hidden_neurons, RemoveHidden),) if image else ()):
                what = found(net, layer)
                if what:
                    moves.append(make(layer, what))
                    net = moves[-1].apply(net)
                    changed = True
    return tuple(moves), net


def normalise(net: Network) -> tuple[GroupElement, Network]:
    """The $g \\in G$ that normalises and sorts a reduced network, and $g\\cdot\\theta$ (computed directly).

    Raises :class:`~semialg.errors.CertificateError` if two neurons of a layer tie (the network was not
    reduced). Cost: $O(\\dim\\Omega)$ plus one sort per hidden layer.
    """
    Ws, bs = list(net.weights), list(net.biases)
    perms, scales = [], []
    for layer in range(1, net.depth):
        W, b = Ws[layer - 1], bs[layer - 1]
        keys = [normalise_row(w + (c,)) for w, c in zip(W, b, strict=True)]
        order = sorted(range(len(W)), key=lambda i: (keys[i][2], keys[i][0]))
        for prev, i in zip(order, order[1:], strict=False):
            if keys[prev][2] == keys[i][2] and keys[prev][0] == keys[i][0]:
                raise CertificateError(f"neurons {prev + 1} and {i + 1} of layer {layer} tie: reduce the network first")
        s = [keys[i][1] if keys[i][2] else _ONE for i in order]
        rows = [keys[i][0] if keys[i][2] >= 0 else tuple(-x for x in keys[i][0]) for i in order]
        Ws[layer - 1] = tuple(r[:-1] for r in rows)
        bs[layer - 1] = tuple(r[-1] for r in rows)
        Ws[layer] = tuple(tuple(row[i] * si for i, si in zip(order, s, strict=True)) for row in Ws[layer])
        perms.append(order)
        scales.append([1 / x for x in s])
    return GroupElement(perms, scales), Network(tuple(Ws), tuple(bs))


@dataclass(frozen=True)
class NormalForm(Latexable):
    """The normal form ``network`` of a network and the ``moves`` (the last an :class:`ActBy`) that lead to it.

    Two networks with equal normal forms (``==`` compares ``network``) are equivalent.
    """

    network: Network
    moves: tuple[DeepMove, ...]

    def __eq__(self, other) -> bool:
        return isinstance(other, NormalForm) and self.network == other.network

    def __hash__(self) -> int:
        return hash(self.network)

    @property
    def reductions(self) -> tuple[DeepMove, ...]:
        """The moves other than the final group action."""
        return tuple(m for m in self.moves if not isinstance(m, ActBy))

    def verify(self, net: Network) -> bool:
        """Replay the moves on ``net`` (each re-checks its precondition) and compare with ``network``."""
        if replay(net, self.moves) != self.network:
            raise CertificateError("replaying the moves does not give the normal form")
        return True

    def describe(self) -> str:
        red = self.reductions
        head = f"normal form modulo G of architecture {self.network.architecture}"
        if not red:
            return head + " (no reduction applied)"
        return head + " after " + "; ".join(m.describe() for m in red)

    def to_json(self) -> dict:
        from semialg.core.exact import fmpq_str
        return {"kind": "deep normal form",
                "widths": list(self.network.widths),
                "layers": [{"weight": [[fmpq_str(x) for x in r] for r in W], "bias": [fmpq_str(x) for x in b]}
                           for W, b in self.network.layers()],
                "moves": [m.to_json() for m in self.moves]}


def normal_form(net: Network, image: bool = False) -> NormalForm:
    """The normal form of ``net`` modulo $G$ after the reducing moves, with the moves that reach it.

    Cost: $O(D \\log n)$ for $D$ parameters and maximal width $n$ (see the module docstring); with ``image``
    (neurons never active on the image of the earlier layers removed too) add region enumerations.

    >>> net = Network.from_arrays([[[2, 0], [0, -3]], [[1, 1]]], [[2, 0], [0]])
    >>> normal_form(net).network
    Network(2-2-1: W1=[[0, -1], [1, 0]]; b1=[0, 1]; W2=[[3, 2]]; b2=[0])
    """
    moves, red = reduce(net, image)
    g, out = normalise(red)
    return NormalForm(out, moves + (ActBy(g),))
