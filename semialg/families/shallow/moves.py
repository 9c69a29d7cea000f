"""Function-preserving moves on shallow parameters and the certificate that replays them.

The moves (Ramakrishnan, *A Complete Symmetry Classification of Shallow ReLU Networks*, arXiv 2604.14037;
Grigsby, Lindsey, Rolnick, *Hidden symmetries of ReLU networks*, ICML 2023) rest on three identities:
(I1) $a\\sigma(w\\cdot x+b) = (a/\\lambda)\\sigma(\\lambda w\\cdot x+\\lambda b)$ for $\\lambda > 0$;
(I2) $\\sigma(z) - \\sigma(-z) = z$; (I3) $a_i\\sigma(z) + a_j\\sigma(\\lambda z) = (a_i + \\lambda a_j)\\sigma(z)$.
(M0) the group action, (M1) dead neurons, (M2) twins, (M3) opposite pairs, (M4) 0-factor flips.
Every move checks its own precondition exactly when applied; the arithmetic of (M1)–(M4) is that of any hidden
layer (:mod:`semialg.engine.neurons`, layer 1 here).

>>> net = Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[1, 2, 3], [0]])
>>> flipped = flip_neurons(net, (0, 1, 2))
>>> flipped.biases[1], all(net(x) == flipped(x) for x in ([0, 0], [1, -5], [-2, 7]))
((6,), True)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import ClassVar, Sequence

import numpy as np
from flint import fmpq

from semialg.core.exact import fingerprint, vadd
from semialg.core.network import Network, relu
from semialg.core.certificate import Certificate, check_neurons, defined_in, group_element
from semialg.core.result import Latexable
from semialg.core.symmetry import GroupElement
from semialg.engine import neurons
from semialg.errors import CertificateError
from semialg.families.shallow.view import (ZERO, Key, NeuronLines, ShallowView, Vec, integer_negative_kinks,
                                           integer_neuron_invariants, integer_neuron_rows, neuron_lines)

__all__ = ["Move", "ActBy", "ClearDeadNeuron", "MergeTwins", "FlipZeroFactor", "Rebalance", "MoveCertificate", "flip_neurons",
           "reduction_moves", "clear_dead", "rebalance_shifts", "rebalancing", "same_neurons"]


class Move(Latexable):
    """A function-preserving move on shallow parameters; ``apply`` checks its precondition exactly."""

    mechanism = ""

    def apply(self, net: Network) -> Network:
        raise NotImplementedError


@dataclass(frozen=True)
class ActBy(Move):
    """(M0) the action of a group element (identity (I1) and reordering)."""

    element: GroupElement
    mechanism = "M0 group action"

    def apply(self, net: Network) -> Network:
        return group_element(self.element).act(net)

    def describe(self) -> str:
        return f"act by {self.element!r}"


@dataclass(frozen=True)
class ClearDeadNeuron(Move):
    """(M1) neuron ``i`` with $a_i = 0$ or $w_i = 0$ is replaced by the zero neuron, $c \\mathrel{+}= a_i\\sigma(b_i)$."""

    i: int
    mechanism = "M1 dead neuron"

    def apply(self, net: Network) -> Network:
        _check(net, (self.i,))
        return neurons.clear(net, 1, (self.i,))

    def describe(self) -> str:
        return f"clear dead neuron {self.i + 1}"


@dataclass(frozen=True)
class MergeTwins(Move):
    """(M2, identity (I3)) $(w_j, b_j) = \\lambda(w_i, b_i)$, $\\lambda > 0$: $a_i \\mathrel{+}= \\lambda a_j$, neuron $j$ cleared."""

    i: int
    j: int
    mechanism = "M2 twins"

    def apply(self, net: Network) -> Network:
        _check(net, (self.i, self.j))
        return neurons.clear(neurons.shift_twins(net, 1, ((self.i, self.j),)), 1, (self.j,))

    def describe(self) -> str:
        return f"merge twin neuron {self.j + 1} into neuron {self.i + 1}"


@dataclass(frozen=True)
class FlipZeroFactor(Move):
    r"""(M4, identity (I2)) the 0-factor flip of the neurons ``S``: $(w_i, b_i) \mapsto -(w_i, b_i)$ and
    $c \mathrel{+}= \sum_{i \in S} a_ib_i$, valid iff $\sum_{i \in S} a_iw_i^T = 0$ (checked exactly). The special
    case of :class:`Rebalance` that moves the whole kink of each hyperplane of ``S`` to the other orientation.

    >>> net = Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[1, 2, 3], [0]])
    >>> FlipZeroFactor((0, 1, 2)).apply(net).biases
    ((-1, -2, -3), (6,))
    """

    S: tuple[int, ...]
    mechanism = "M4 0-factor flips"

    def apply(self, net: Network) -> Network:
        _check(net, self.S)
        return neurons.flip(net, 1, self.S)

    def describe(self) -> str:
        shown = ", ".join(str(i + 1) for i in self.S[:8]) + (f", ... ({len(self.S)} neurons)" if len(self.S) > 8 else "")
        return f"flip neurons {shown} (a 0-factor: their terms a_i w_i sum to 0)"


@dataclass(frozen=True)
class Rebalance(Move):
    """(M3/M4, identity (I2)) trade affine parts of opposite neurons along a linear relation.

    For hyperplanes $H$ with shifts $t_H$ satisfying $\\sum_H t_H u_H^T = 0$: move $t_H$ of kink from the
    positively to the negatively oriented neuron on $H$ (created if absent) and put
    $c \\mathrel{+}= \\sum_H t_H \\beta_H$. A 0-factor flip of a set $S$ is the special case that empties one side.
    """

    shifts: tuple[tuple[Key, Vec], ...]
    mechanism = "M3/M4 opposite pairs and 0-factor flips"

    def apply(self, net: Network) -> Network:
        v = ShallowView.of(net)
        lines = neuron_lines(v)
        fps, slots = lines.fingerprints(), {}
        for i, (h, sign, mu) in enumerate(zip(lines.line, lines.sign, lines.scale, strict=True)):
            if v.is_live(i):
                if (fps[h], sign) in slots:
                    raise CertificateError(f"hyperplane {lines.key(h)} has several neurons of orientation {sign}")
                slots[(fps[h], sign)] = (i, mu)
        # an orientation of H without a live neuron gets a dead one, row +-(u_H, beta_H), to trade with
        added, shifted = [], [fingerprint(key) for key, _ in self.shifts]
        for (key, _), fp in zip(self.shifts, shifted, strict=True):
            for sign in (1, -1):
                if (fp, sign) not in slots:
                    slots[(fp, sign)] = (v.n + len(added), fmpq(1))
                    added.append((key, sign))
        wide = ShallowView(v.a + ((ZERO,) * len(v.c),) * len(added),
                           v.w + tuple(tuple(s * x for x in key[:-1]) for key, s in added),
                           v.b + tuple(s * key[-1] for key, s in added), v.c).network()
        # t_H of kink from the positive neuron (i, mu_i) to the negative one (j, mu_j): Y = -t_H / mu_i
        pos, neg = [slots[(fp, 1)] for fp in shifted], [slots[(fp, -1)] for fp in shifted]
        v = ShallowView.of(neurons.trade_opposite(
            wide, 1, [(i, j) for (i, _), (j, _) in zip(pos, neg, strict=True)],
            [tuple(-x / mu for x in t) for (_, mu), (_, t) in zip(pos, self.shifts, strict=True)],
            [mj / mi for (_, mi), (_, mj) in zip(pos, neg, strict=True)]))
        n = v.n - len(added)
        a, w, b, keep = list(v.a), list(v.w), list(v.b), list(range(n))
        for j, (key, sign) in enumerate(added, start=n):
            i = slots[(fingerprint(key), -sign)][0]
            if any(a[j]) and i < n and not any(a[i]):
                a[i], w[i], b[i] = a[j], w[j], b[j]  # the other orientation emptied: a 0-factor flip of i
            elif any(a[j]):
                keep.append(j)
        return ShallowView(*(tuple(x[i] for i in keep) for x in (a, w, b)), v.c).network()

    def describe(self) -> str:
        return f"rebalance opposite pairs on {len(self.shifts)} hyperplane(s)"


def _check(net: Network, S: Sequence[int]) -> None:
    """``net`` is shallow and ``S`` names distinct neurons of it (:class:`CertificateError`)."""
    check_neurons(S, ShallowView.of(net).n)


def same_neurons(net1: Network, net2: Network) -> bool:
    r"""Whether two shallow networks are equal up to the group action (identity (I1): order and positive scaling of
    neurons), dead neurons and constant ones: the neurons with $a_i \neq 0$, $w_i \neq 0$ agree as multisets of
    (oriented hyperplane, $s_i$, $\kappa_i = \mu_i a_i$) — which fixes $a_i\sigma(w_i\cdot x + b_i)$ — and the
    constants $c + \sum_{w_i = 0} a_i\sigma(b_i)$ agree. Enough for equal functions, and read off the integer forms
    of the weights by :func:`~.view.neuron_lines` (no rational per weight). Cost: $O(n(m+k)\log n)$.

    >>> a = Network.from_arrays([[[1], [2]], [[2, 0]]], [[1, 5], [0]])
    >>> same_neurons(a, Network.from_arrays([[[0], [2]], [[1, 1]]], [[0, 2], [0]]))     # scaled by 2; 0 and sigma(0)
    True
    """
    rows1 = integer_neuron_rows(net1)
    rows2 = integer_neuron_rows(net2) if rows1 is not None else None
    if rows2 is None:
        return _neuron_classes(net1) == _neuron_classes(net2)
    return _integer_neuron_classes(net1, rows1) == _integer_neuron_classes(net2, rows2)


def _integer_neuron_classes(net: Network, rows: tuple) -> tuple[Counter, Vec]:
    """:func:`_neuron_classes` on the integer rows (:func:`~.view.integer_neuron_invariants`)."""
    R, L, N2, d2 = rows
    w, a = R[:, :-1].any(axis=1), N2.any(axis=0)
    d = net.biases[1]
    for i in np.flatnonzero(~w & a & (R[:, -1] > 0)).tolist():
        d = vadd(d, [fmpq(int(x), d2) for x in N2[:, i]], fmpq(int(R[i, -1]), L))
    return Counter(integer_neuron_invariants(rows, np.flatnonzero(w & a))[0]), d


def _neuron_classes(net: Network) -> tuple[Counter, Vec]:
    v = ShallowView.of(net)
    lines = neuron_lines(v)
    fps, live, d = lines.fingerprints(), Counter(), v.c
    for i, (h, sign, mu) in enumerate(zip(lines.line, lines.sign, lines.scale, strict=True)):
        a = v.a[i]
        if not any(a):
            continue
        if h < 0:
            d = vadd(d, a, relu(v.b[i]))
        else:
            live[(fps[h], sign, fingerprint(tuple(mu * x for x in a)))] += 1
    return live, d


@dataclass(frozen=True)
class MoveCertificate(Certificate):
    """Chains of moves: ``net1 -moves1-> R1 -rebalance-> R``, ``net2 -moves2-> R'`` with $R$, $R'$ equal up to the
    group action (M0, identity (I1): order and positive scaling of neurons) and zero neurons.

    ``verify`` replays every move, each of which checks its own precondition exactly, and compares the end
    points by :func:`same_neurons`. Cost: the moves' replays and two passes of :func:`~.view.neuron_lines`.
    """

    SUPPORTS: ClassVar[frozenset] = frozenset({True})

    moves1: tuple[Move, ...]
    moves2: tuple[Move, ...]

    def verify(self, net1: Network, net2: Network) -> bool:
        # the family's own classes only: a subclass defined elsewhere could override apply's checks
        if not all(isinstance(mv, Move) and type(mv) is not Move and defined_in(type(mv), "semialg.families.shallow")
                   for mv in self.moves1 + self.moves2):
            raise CertificateError("a shallow move certificate holds shallow moves")
        r1, r2 = net1, net2
        for mv in self.moves1:
            r1 = mv.apply(r1)
        for mv in self.moves2:
            r2 = mv.apply(r2)
        if not same_neurons(r1, r2):
            raise CertificateError("the reduced networks differ (beyond order and positive scaling of neurons)")
        return True

    def mechanisms(self) -> list[str]:
        return sorted({mv.mechanism for mv in self.moves1 + self.moves2})

    def describe(self) -> str:
        mech = ", ".join(self.mechanisms()) or "none"
        return ("the parameters are not in one G-orbit; the moves relating them use " + mech + "\nnet1: " +
                ("; ".join(mv.describe() for mv in self.moves1) or "none") + "\nnet2: " +
                ("; ".join(mv.describe() for mv in self.moves2) or "none") +
                "\nthe ends agree up to the order and positive scaling of their neurons (M0)")


def clear_dead(net: Network, moves: list) -> Network:
    """Append a :class:`ClearDeadNeuron` for every dead or constant neuron that is not zero yet and apply them."""
    for i in sorted(set(neurons.dead_neurons(net, 1)) | set(neurons.constant_neurons(net, 1))):
        if any(neurons.row(net, 1, i)) or any(neurons.column(net, 1, i)):
            moves.append(ClearDeadNeuron(i))
            net = moves[-1].apply(net)
    return net


def reduction_moves(net: Network) -> tuple[list[Move], Network]:
    """Moves bringing a shallow network to a reduced form: no dead or constant neurons, no twins. Its neurons are
    not rescaled: two reduced forms of one function are compared up to that (:func:`same_neurons`), where
    normalising the scales rebuilt every weight as a rational (5 s at 784-4096-10)."""
    moves: list[Move] = []
    net = clear_dead(net, moves)
    for i, j in sorted(neurons.twin_pairs(net, 1), key=lambda p: p[1]):  # live: the others are zero now
        moves.append(MergeTwins(i, j))
        net = moves[-1].apply(net)
    return moves, clear_dead(net, moves)


def rebalancing(net: Network, shifts: tuple[tuple[Key, Vec], ...]) -> list[Move]:
    """The moves that may realise the shifts of :func:`rebalance_shifts` on ``net``, the most telling first: the 0-factor
    flip of every live neuron on a shifted hyperplane (it does when each such hyperplane carries neurons of one
    orientation only and its shift is its whole kink), then the general :class:`Rebalance`. Cost: one
    :func:`~.view.neuron_lines` of ``net``."""
    if not shifts:
        return []
    v = ShallowView.of(net)
    lines = neuron_lines(v)
    shifted, prints = {fingerprint(key) for key, _ in shifts}, lines.fingerprints()
    S = tuple(i for i, h in enumerate(lines.line) if h >= 0 and prints[h] in shifted and any(v.a[i]))
    return ([FlipZeroFactor(S)] if S else []) + [Rebalance(shifts)]


def rebalance_shifts(net1: Network, net2: Network) -> tuple[tuple[Key, Vec], ...]:
    r"""The shifts $t_H = \kappa^-_H(\theta_2) - \kappa^-_H(\theta_1)$ of the negative kinks
    $\kappa^-_H = \sum_{i \in H,\, s_i = -1} \kappa_i$, over the hyperplanes where they differ, sorted by key: the
    :class:`Rebalance` taking the negative kinks of ``net1`` to those of ``net2``. Hyperplanes are matched by the
    fingerprints of their keys (hashing the keys' rationals took 7 s at 784-1024-10). Cost: $O(n(m+k))$.

    >>> n1 = Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 0], [0]])
    >>> rebalance_shifts(n1, Network.from_arrays([[[1], [1]], [[1, 1]]], [[0, 0], [0]]))
    (((1, 0), (-1,)),)
    """
    zero = (ZERO,) * len(net1.biases[1])
    i1, i2 = integer_negative_kinks(net1), integer_negative_kinks(net2)
    if i1 is not None and i2 is not None:   # keyed by primitive normals: no row of either network as rationals
        shifts = []
        for name in i1.keys() | i2.keys():
            (P, t1), (Q, t2) = i1.get(name, (None, zero)), i2.get(name, (None, zero))
            t = vadd(t2, t1, fmpq(-1))
            if any(t):
                P = P if P is not None else Q
                lead = int(P[np.flatnonzero(P)[0]])
                shifts.append((tuple(fmpq(int(x), lead) for x in P.tolist()), t))
        return tuple(sorted(shifts))
    (l1, k1), (l2, k2) = _negative_kinks(net1), _negative_kinks(net2)
    shifts = []
    for fp in k1.keys() | k2.keys():
        (h1, t1), (h2, t2) = k1.get(fp, (None, zero)), k2.get(fp, (None, zero))
        t = vadd(t2, t1, fmpq(-1))
        if any(t):
            shifts.append((l1.key(h1) if h1 is not None else l2.key(h2), t))
    return tuple(sorted(shifts))


def _negative_kinks(net: Network) -> tuple[NeuronLines, dict]:
    """The hyperplanes of ``net`` and ``{fingerprint: (hyperplane, kappa^-_H)}`` over those with a negative neuron."""
    v = ShallowView.of(net)
    lines = neuron_lines(v)
    fps, out = lines.fingerprints(), {}
    for i, (h, sign, mu) in enumerate(zip(lines.line, lines.sign, lines.scale, strict=True)):
        if sign < 0 and any(v.a[i]):
            _, acc = out.get(fps[h], (h, (ZERO,) * len(v.c)))
            out[fps[h]] = (h, vadd(acc, v.a[i], mu))
    return lines, out



def flip_neurons(net: Network, S: Sequence[int]) -> Network:
    """$\\theta_S$: $(w_i, b_i) \\mapsto -(w_i, b_i)$ for $i \\in S$ and $c \\mapsto c + \\sum_S a_i b_i$, for any $S$
    (:func:`semialg.engine.neurons.negate`): the function changes by $-\\sum_S a_i w_i^T x$, so it is kept iff $S$
    is a 0-factor."""
    ShallowView.of(net)
    return neurons.negate(net, 1, S)

