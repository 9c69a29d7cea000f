"""Function-preserving moves on shallow parameters and the certificate that replays them.

The moves (Ramakrishnan, *A Complete Symmetry Classification of Shallow ReLU Networks*, arXiv 2604.14037;
Grigsby, Lindsey, Rolnick, *Hidden symmetries of ReLU networks*, ICML 2023) rest on three identities:
(I1) $a\\sigma(w\\cdot x+b) = (a/\\lambda)\\sigma(\\lambda w\\cdot x+\\lambda b)$ for $\\lambda > 0$;
(I2) $\\sigma(z) - \\sigma(-z) = z$; (I3) $a_i\\sigma(z) + a_j\\sigma(\\lambda z) = (a_i + \\lambda a_j)\\sigma(z)$.
(M0) the group action, (M1) dead neurons, (M2) twins, (M3) opposite pairs, (M4) 0-factor flips.
Every move checks its own precondition exactly when applied.

>>> net = Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[1, 2, 3], [0]])
>>> flipped = flip_neurons(net, (0, 1, 2))
>>> flipped.biases[1], all(net(x) == flipped(x) for x in ([0, 0], [1, -5], [-2, 7]))
((6,), True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Sequence

from flint import fmpq

from semialg.core.exact import normalise_row
from semialg.core.network import Network, relu
from semialg.core.certificate import Certificate, check_neurons
from semialg.core.result import Latexable
from semialg.core.symmetry import GroupElement
from semialg.errors import CertificateError
from semialg.families.shallow.view import ZERO, Key, ShallowView, Vec, hyperplanes, vadd

__all__ = ["Move", "ActBy", "ClearDeadNeuron", "MergeTwins", "Rebalance", "MoveCertificate", "flip_neurons",
           "reduction_moves", "clear_dead", "negative_kinks"]


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
        return self.element.act(net)

    def describe(self) -> str:
        return f"act by {self.element!r}"


@dataclass(frozen=True)
class ClearDeadNeuron(Move):
    """(M1) neuron ``i`` with $a_i = 0$ or $w_i = 0$ is replaced by the zero neuron, $c \\mathrel{+}= a_i\\sigma(b_i)$."""

    i: int
    mechanism = "M1 dead neuron"

    def apply(self, net: Network) -> Network:
        v = ShallowView.of(net)
        check_neurons((self.i,), v.n)
        a, w, b = v.a[self.i], v.w[self.i], v.b[self.i]
        if any(a) and any(w):
            raise CertificateError(f"neuron {self.i} is not dead")
        c = v.c if any(w) else vadd(v.c, a, relu(b))
        return _set_neuron(v, self.i, (ZERO,) * len(a), (ZERO,) * len(w), ZERO, c)

    def describe(self) -> str:
        return f"clear dead neuron {self.i + 1}"


@dataclass(frozen=True)
class MergeTwins(Move):
    """(M2, identity (I3)) $(w_j, b_j) = \\lambda(w_i, b_i)$, $\\lambda > 0$: $a_i \\mathrel{+}= \\lambda a_j$, neuron $j$ cleared."""

    i: int
    j: int
    mechanism = "M2 twins"

    def apply(self, net: Network) -> Network:
        v = ShallowView.of(net)
        check_neurons((self.i, self.j), v.n)
        ki, mi, si = normalise_row(v.w[self.i] + (v.b[self.i],))
        kj, mj, sj = normalise_row(v.w[self.j] + (v.b[self.j],))
        if ki != kj or si != sj or si == 0:
            raise CertificateError(f"neurons {self.i} and {self.j} are not on the same oriented hyperplane")
        a, w, b = list(v.a), list(v.w), list(v.b)
        a[self.i] = vadd(a[self.i], a[self.j], mj / mi)
        a[self.j], w[self.j], b[self.j] = (ZERO,) * len(v.c), (ZERO,) * len(w[0]), ZERO
        return ShallowView(tuple(a), tuple(w), tuple(b), v.c).network()

    def describe(self) -> str:
        return f"merge twin neuron {self.j + 1} into neuron {self.i + 1}"


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
        m, k = len(v.w[0]), len(v.c)
        total = [[ZERO] * m for _ in range(k)]
        c = v.c
        a, w, b = list(v.a), list(v.w), list(v.b)
        slots: dict = {}
        for i in range(v.n):
            if v.is_live(i):
                key, mu, sign = normalise_row(w[i] + (b[i],))
                if (key, sign) in slots:
                    raise CertificateError(f"hyperplane {key} has several neurons of orientation {sign}")
                slots[(key, sign)] = (i, mu)
        for key, t in self.shifts:
            u, beta = key[:-1], key[-1]
            for r in range(k):
                total[r] = [x + t[r] * uj for x, uj in zip(total[r], u, strict=True)]
            c = vadd(c, t, beta)
            kappa = {}
            for sign in (1, -1):
                i, mu = slots.get((key, sign), (None, None))
                kappa[sign] = tuple(mu * x for x in a[i]) if i is not None else (ZERO,) * k
            new = {1: vadd(kappa[1], t, fmpq(-1)), -1: vadd(kappa[-1], t)}
            for sign in (1, -1):
                if (key, sign) in slots:
                    i, mu = slots[(key, sign)]
                    a[i] = tuple(x / mu for x in new[sign])
            for sign in (1, -1):
                if any(new[sign]) and (key, sign) not in slots:
                    # reuse the emptied neuron of the other orientation (a 0-factor flip) when possible
                    other = slots.get((key, -sign))
                    if other is not None and not any(new[-sign]):
                        i = other[0]
                        a[i], w[i], b[i] = new[sign], tuple(sign * x for x in u), sign * beta
                    else:
                        a.append(new[sign]), w.append(tuple(sign * x for x in u)), b.append(sign * beta)
        if any(x for r in total for x in r):
            raise CertificateError("the shifts do not satisfy sum_H t_H u_H^T = 0")
        return ShallowView(tuple(a), tuple(w), tuple(b), c).network()

    def describe(self) -> str:
        return f"rebalance opposite pairs on {len(self.shifts)} hyperplane(s)"


def _set_neuron(v: ShallowView, i: int, a: Vec, w: Vec, b: fmpq, c: Vec) -> Network:
    A, Wr, B = list(v.a), list(v.w), list(v.b)
    A[i], Wr[i], B[i] = a, w, b
    return ShallowView(tuple(A), tuple(Wr), tuple(B), c).network()


def _nonzero_neurons(net: Network) -> list:
    v = ShallowView.of(net)
    return sorted((v.w[i], v.b[i], v.a[i]) for i in range(v.n) if any(v.a[i]) or any(v.w[i]) or v.b[i])


@dataclass(frozen=True)
class MoveCertificate(Certificate):
    """Chains of moves: ``net1 -moves1-> R1 -rebalance-> R``, ``net2 -moves2-> R`` (up to zero neurons and order).

    ``verify`` replays every move, each of which checks its own precondition exactly, and compares the
    end points neuron by neuron.
    """

    SUPPORTS: ClassVar[frozenset] = frozenset({True})

    moves1: tuple[Move, ...]
    moves2: tuple[Move, ...]

    def verify(self, net1: Network, net2: Network) -> bool:
        if not all(isinstance(mv, Move) for mv in self.moves1 + self.moves2):
            raise CertificateError("a shallow move certificate holds shallow moves")
        r1, r2 = net1, net2
        for mv in self.moves1:
            r1 = mv.apply(r1)
        for mv in self.moves2:
            r2 = mv.apply(r2)
        if _nonzero_neurons(r1) != _nonzero_neurons(r2) or r1.biases[1] != r2.biases[1]:
            raise CertificateError("the reduced networks differ")
        return True

    def mechanisms(self) -> list[str]:
        return sorted({mv.mechanism for mv in self.moves1 + self.moves2})

    def describe(self) -> str:
        mech = ", ".join(self.mechanisms()) or "none"
        return ("the parameters are not in one G-orbit; the moves relating them use " + mech + "\nnet1: " +
                "; ".join(mv.describe() for mv in self.moves1) + "\nnet2: " +
                "; ".join(mv.describe() for mv in self.moves2))


def clear_dead(net: Network, moves: list) -> Network:
    """Append a :class:`ClearDeadNeuron` for every dead, non-zero neuron and apply them."""
    v = ShallowView.of(net)
    for i in range(v.n):
        if (any(v.a[i]) and not any(v.w[i])) or (not any(v.a[i]) and (any(v.w[i]) or v.b[i])):
            moves.append(ClearDeadNeuron(i))
            net = moves[-1].apply(net)
    return net


def reduction_moves(net: Network) -> tuple[list[Move], Network]:
    """Moves bringing a shallow network to its reduced form: scales 1, no dead neurons, no twins."""
    moves: list[Move] = []
    net = clear_dead(net, moves)
    v = ShallowView.of(net)
    scales = [(1 / normalise_row(v.w[i] + (v.b[i],))[1]) if v.is_live(i) else fmpq(1) for i in range(v.n)]
    g = GroupElement([range(v.n)], [scales])
    if not g.is_identity:
        moves.append(ActBy(g))
        net = g.act(net)
    first: dict = {}
    for i in range(v.n):
        if v.is_live(i):
            key, _, sign = normalise_row(v.w[i] + (v.b[i],))
            if (key, sign) in first:
                moves.append(MergeTwins(first[(key, sign)], i))
                net = moves[-1].apply(net)
            else:
                first[(key, sign)] = i
    return moves, clear_dead(net, moves)


def negative_kinks(net: Network) -> dict:
    """$\\kappa^-_H = \\sum_{i \\in H, s_i = -1} \\kappa_i$ per hyperplane."""
    v = ShallowView.of(net)
    out = {}
    hp = hyperplanes(v)
    for fp, mem in hp.members.items():
        key = hp.key[fp]
        for i, sign, mu in mem:
            if sign < 0:
                out[key] = vadd(out.get(key, (ZERO,) * len(v.c)), v.a[i], mu)
    return out




def flip_neurons(net: Network, S: Sequence[int]) -> Network:
    """$\\theta_S$: $(w_i, b_i) \\mapsto -(w_i, b_i)$ for $i \\in S$ and $c \\mapsto c + \\sum_S a_i b_i$."""
    v = ShallowView.of(net)
    w, b, c = list(v.w), list(v.b), v.c
    for i in S:
        w[i] = tuple(-x for x in w[i])
        b[i] = -b[i]
        c = vadd(c, v.a[i], v.b[i])
    return ShallowView(v.a, tuple(w), tuple(b), c).network()

