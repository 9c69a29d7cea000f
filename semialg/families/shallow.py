"""Shallow ReLU networks $f_\\theta(x) = \\sum_i a_i\\,\\sigma(w_i\\cdot x + b_i) + c$: complete classification.

Notation of ``shared/math/shallow.md``: architecture $(m, n, k)$, $w_i$ the rows of $W_1$, $b_i$ the
entries of $b_1$, $a_i$ the columns of $W_2$, $c = b_2$. Every live neuron is normalised without square
roots, $(w_i, b_i) = s_i\\mu_i(u_H, \\beta_H)$ with the first non-zero entry of $u_H$ equal to $1$, and
$\\kappa_i = \\mu_i a_i$. Then

$$f_\\theta(x) = \\sum_H \\delta_H\\,\\sigma(u_H\\cdot x + \\beta_H) + Lx + d,$$

with $\\delta_H = \\sum_{i \\in H}\\kappa_i$, $L = \\sum_{s_i=-1} a_i w_i^T$ and
$d = c + \\sum_{s_i=-1} a_i b_i + \\sum_{w_i=0} a_i\\sigma(b_i)$.

**Theorem** (complete classification). $f_\\theta = f_{\\theta'}$ iff $\\delta_H(\\theta) = \\delta_H(\\theta')$
for every hyperplane $H$, $L(\\theta) = L(\\theta')$ and $d(\\theta) = d(\\theta')$, for any widths $n, n'$.

>>> net = Network.from_arrays([[[1], [1]], [[1, -1]]], [[0, -1], [0]])        # clamp s(x) - s(x-1)
>>> other = Network.from_arrays([[[-1], [-1]], [[1, -1]]], [[0, 1], [1]])     # s(-x) - s(1-x) + 1
>>> r = equivalent(net, other)
>>> bool(r), r.certificate.verify(net, other)
(True, True)
>>> canonical_form(net) == canonical_form(other)
True
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import ClassVar, Iterator, Sequence

import sympy
from flint import fmpq, fmpq_mat

from semialg.core.mechanism import Mechanism
from semialg.core.result import Latexable
from semialg.engine.loci import SHALLOW_SCOPE, zero_factor_condition
from semialg.families.base import Family, register
from semialg.core.certificate import (Certificate, EquivalenceResult, OrbitCertificate, PointCertificate,
                                      check_comparable, separating_point)
from semialg.errors import ArchitectureError, CertificateError
from semialg.core.exact import dot, fingerprint, nullspace, normalise_row, rank, to_vector
from semialg.core.network import Network, relu
from semialg.geometry.semialgebraic import BasicSet, Union
from semialg.core.symmetry import GroupElement
from semialg.geometry.zero_sum import zero_sum_sets

__all__ = [
    "ShallowView", "CanonicalForm", "canonical_form", "equivalent", "EquivalenceResult",
    "OrbitCertificate", "MoveCertificate", "PointCertificate", "minimal_form", "stabilizer",
    "Stabilizer", "hidden_symmetries", "zero_sum_sets", "fibre", "ShallowFibre",
    "ClearDeadNeuron", "MergeTwins", "Rebalance", "ActBy", "distinguishing_point",
    "shallow_functional_dimension", "flip_neurons", "TypedShallowFibre",
]

_ZERO = fmpq(0)
Vec = tuple[fmpq, ...]
Key = tuple[fmpq, ...]


# -- the shallow view of a network --------------------------------------------------------------------

@dataclass(frozen=True)
class ShallowView:
    """The neurons $(a_i, w_i, b_i)$ and the output bias $c$ of a shallow network."""

    a: tuple[Vec, ...]
    w: tuple[Vec, ...]
    b: Vec
    c: Vec

    @classmethod
    def of(cls, net: Network) -> "ShallowView":
        if net.depth != 2:
            raise ArchitectureError(f"expected a shallow network (one hidden layer), got architecture "
                                    f"{net.architecture}")
        (W1, b1), (W2, b2) = net.layers()
        n = len(W1)
        return cls(tuple(tuple(W2[r][i] for r in range(len(W2))) for i in range(n)), W1, b1, b2)

    @property
    def n(self) -> int:
        return len(self.w)

    def network(self) -> Network:
        k = len(self.c)
        W2 = tuple(tuple(self.a[i][r] for i in range(self.n)) for r in range(k))
        return Network((tuple(self.w), W2), (tuple(self.b), tuple(self.c)))

    def is_live(self, i: int) -> bool:
        return any(self.a[i]) and any(self.w[i])


@dataclass(frozen=True)
class _Hyperplanes:
    """Per hyperplane: its key $(u_H, \\beta_H)$, kink and live neurons ``(i, sign, mu)``.

    The dictionaries are indexed by the :func:`~semialg.core.exact.fingerprint` of the key.
    """

    key: dict
    kinks: dict
    members: dict
    linear: tuple[Vec, ...]
    constant: Vec


def _vadd(u: Sequence[fmpq], v: Sequence[fmpq], t: fmpq = fmpq(1)) -> Vec:
    return tuple(x + t * y for x, y in zip(u, v))


def _hyperplanes(view: ShallowView) -> _Hyperplanes:
    """One pass over the neurons: $O(n(m+k))$ operations plus hashing of the normalised rows.

    ``kinks`` and ``members`` are keyed by the hyperplane key $(u_H, \\beta_H)$; the dictionaries are
    indexed internally by :func:`~semialg.core.exact.fingerprint`, which hashes ten times faster.
    """
    m, k = len(view.w[0]), len(view.c)
    kinks: dict = {}
    members: dict = {}
    keys: dict = {}
    negative: list[int] = []
    d = list(view.c)
    for i in range(view.n):
        a, w, b = view.a[i], view.w[i], view.b[i]
        if not any(a):
            continue
        if not any(w):
            d = [dr + ar * relu(b) for dr, ar in zip(d, a)]
            continue
        key, mu, sign = normalise_row(w + (b,))
        fp = fingerprint(key)
        key = keys.setdefault(fp, key)
        kappa = tuple(mu * x for x in a)
        kinks[fp] = _vadd(kinks[fp], kappa) if fp in kinks else kappa
        members.setdefault(fp, []).append((i, sign, mu))
        if sign < 0:
            negative.append(i)
    if negative:
        A = fmpq_mat(k, len(negative), [view.a[i][r] for r in range(k) for i in negative])
        Wn = fmpq_mat(len(negative), m + 1, [x for i in negative for x in view.w[i] + (view.b[i],)])
        P = A * Wn
        L = tuple(tuple(P[r, j] for j in range(m)) for r in range(k))
        d = [dr + P[r, m] for r, dr in enumerate(d)]
    else:
        L = tuple((_ZERO,) * m for _ in range(k))
    return _Hyperplanes(keys, kinks, members, L, tuple(d))


# -- canonical form -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CanonicalForm(Latexable):
    """The complete invariant $K(\\theta) = (\\{(u_H, \\beta_H, \\delta_H) : \\delta_H \\ne 0\\}, L, d)$.

    ``kinks`` is sorted by hyperplane key; two shallow networks realize the same function iff their
    canonical forms are equal (``==``, hashable).
    """

    kinks: tuple[tuple[Key, Vec], ...]
    linear: tuple[Vec, ...]
    constant: Vec

    @property
    def input_dim(self) -> int:
        return len(self.linear[0])

    @property
    def output_dim(self) -> int:
        return len(self.constant)

    @property
    def num_kinks(self) -> int:
        """$N = \\#\\{H : \\delta_H \\neq 0\\}$."""
        return len(self.kinks)

    def __call__(self, x: Sequence) -> Vec:
        """Evaluate $\\sum_H \\delta_H\\sigma(u_H\\cdot x+\\beta_H) + Lx + d$ exactly (independently of any network)."""
        x = to_vector(x, self.input_dim, where="x")
        y = [self.constant[r] + dot(self.linear[r], x) for r in range(self.output_dim)]
        for key, delta in self.kinks:
            z = relu(dot(key[:-1], x) + key[-1])
            if z:
                y = [yr + dr * z for yr, dr in zip(y, delta)]
        return tuple(y)

    def realization(self) -> Network:
        """A network realizing this function: one neuron per kink, an opposite pair per non-zero column of $L$."""
        m, k = self.input_dim, self.output_dim
        a, w, b = [], [], []
        for key, delta in self.kinks:
            a.append(delta), w.append(key[:-1]), b.append(key[-1])
        for j in range(m):
            col = tuple(self.linear[r][j] for r in range(k))
            if any(col):
                e = tuple(fmpq(int(t == j)) for t in range(m))
                a += [col, tuple(-x for x in col)]
                w += [e, tuple(-x for x in e)]
                b += [_ZERO, _ZERO]
        if not a:
            a, w, b = [(_ZERO,) * k], [(_ZERO,) * m], [_ZERO]
        return ShallowView(tuple(a), tuple(w), tuple(b), self.constant).network()


def canonical_form(net: Network) -> CanonicalForm:
    """The complete invariant $K(\\theta)$ of a shallow network.

    Cost: $O(n(m+k))$ exact operations and hashing, plus $O(N \\log N)$ comparisons to sort the kinks.

    >>> K = canonical_form(Network.from_arrays([[[2], [-1]], [[1, 3]]], [[-2, 1], [0]]))
    >>> K.kinks
    (((1, -1), (5,)),)
    >>> K.linear, K.constant
    (((-3,),), (3,))
    """
    hp = _hyperplanes(ShallowView.of(net))
    kinks = tuple(sorted((hp.key[fp], delta) for fp, delta in hp.kinks.items() if any(delta)))
    return CanonicalForm(kinks, hp.linear, hp.constant)


# -- certificates ---------------------------------------------------------------------------------------

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
        a, w, b = v.a[self.i], v.w[self.i], v.b[self.i]
        if any(a) and any(w):
            raise CertificateError(f"neuron {self.i} is not dead")
        c = v.c if any(w) else _vadd(v.c, a, relu(b))
        return _set_neuron(v, self.i, (_ZERO,) * len(a), (_ZERO,) * len(w), _ZERO, c)

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
        ki, mi, si = normalise_row(v.w[self.i] + (v.b[self.i],))
        kj, mj, sj = normalise_row(v.w[self.j] + (v.b[self.j],))
        if self.i == self.j or ki != kj or si != sj or si == 0:
            raise CertificateError(f"neurons {self.i} and {self.j} are not on the same oriented hyperplane")
        a, w, b = list(v.a), list(v.w), list(v.b)
        a[self.i] = _vadd(a[self.i], a[self.j], mj / mi)
        a[self.j], w[self.j], b[self.j] = (_ZERO,) * len(v.c), (_ZERO,) * len(w[0]), _ZERO
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
        total = [[_ZERO] * m for _ in range(k)]
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
                total[r] = [x + t[r] * uj for x, uj in zip(total[r], u)]
            c = _vadd(c, t, beta)
            kappa = {}
            for sign in (1, -1):
                i, mu = slots.get((key, sign), (None, None))
                kappa[sign] = tuple(mu * x for x in a[i]) if i is not None else (_ZERO,) * k
            new = {1: _vadd(kappa[1], t, fmpq(-1)), -1: _vadd(kappa[-1], t)}
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


def _clear_dead(net: Network, moves: list) -> Network:
    """Append a :class:`ClearDeadNeuron` for every dead, non-zero neuron and apply them."""
    v = ShallowView.of(net)
    for i in range(v.n):
        if (any(v.a[i]) and not any(v.w[i])) or (not any(v.a[i]) and (any(v.w[i]) or v.b[i])):
            moves.append(ClearDeadNeuron(i))
            net = moves[-1].apply(net)
    return net


def _reduction_moves(net: Network) -> tuple[list[Move], Network]:
    """Moves bringing a shallow network to its reduced form: scales 1, no dead neurons, no twins."""
    moves: list[Move] = []
    net = _clear_dead(net, moves)
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
    return moves, _clear_dead(net, moves)


def _negative_kinks(net: Network) -> dict:
    """$\\kappa^-_H = \\sum_{i \\in H, s_i = -1} \\kappa_i$ per hyperplane."""
    v = ShallowView.of(net)
    out = {}
    hp = _hyperplanes(v)
    for fp, mem in hp.members.items():
        key = hp.key[fp]
        for i, sign, mu in mem:
            if sign < 0:
                out[key] = _vadd(out.get(key, (_ZERO,) * len(v.c)), v.a[i], mu)
    return out


def _neuron_invariant(v: ShallowView, i: int) -> tuple[tuple, fmpq]:
    """A complete invariant of neuron $i$ under $\\mathbb{R}_{>0}$ and its scale $s_i$.

    Neurons $i, j$ have equal invariants iff $(w_j, b_j, a_j) = (\\lambda w_i, \\lambda b_i, a_i/\\lambda)$ for
    some $\\lambda > 0$, and then $\\lambda = s_j / s_i$. For $(w_i, b_i) \\neq 0$: the oriented row key and
    $\\kappa_i = \\mu_i a_i$, $s_i = \\mu_i$; otherwise the oriented key of $a_i$ and $s_i = 1/|a_i|$ (1 if $a_i = 0$).
    """
    key, mu, sign = normalise_row(v.w[i] + (v.b[i],))
    if sign:
        return (0, fingerprint(key), sign, fingerprint(tuple(mu * x for x in v.a[i]))), mu
    key, mu, sign = normalise_row(v.a[i])
    return (1, fingerprint(key), sign), (1 / mu if sign else fmpq(1))


def _orbit_element(v1: ShallowView, v2: ShallowView) -> GroupElement | None:
    """$g$ with $g\\cdot\\theta_1 = \\theta_2$ by matching per-neuron $G$-invariants, or ``None``. $O(n(m+k))$."""
    if v1.n != v2.n or v1.c != v2.c:
        return None
    pool: dict = {}
    for j in range(v1.n):
        inv, s = _neuron_invariant(v1, j)
        pool.setdefault(inv, []).append((j, s))
    perm, lam = [], []
    for i in range(v2.n):
        inv, s = _neuron_invariant(v2, i)
        if not pool.get(inv):
            return None
        j, s1 = pool[inv].pop()
        perm.append(j)
        lam.append(s / s1)
    return GroupElement([perm], [lam])


def distinguishing_point(net1: Network, net2: Network, K1: CanonicalForm | None = None,
                         K2: CanonicalForm | None = None) -> PointCertificate:
    """A rational $x$ with $f_1(x) \\neq f_2(x)$, constructed (not searched) from differing invariants.

    If a kink differs on $H$: $x_0 \\in H$ off every other hyperplane and $\\varepsilon$ small, one of
    $x_0, x_0 \\pm \\varepsilon u_H$ works (the second difference is $\\Delta\\delta_H\\,\\varepsilon|u_H|^2 \\neq 0$).
    Otherwise $f_1 - f_2$ is a non-zero affine map and $0$ or a unit vector works. Cost: $O(n(m+k))$ per
    candidate $x_0$; at most $n+1$ candidates are rejected.
    """
    K1 = K1 or canonical_form(net1)
    K2 = K2 or canonical_form(net2)
    if K1 == K2:
        raise CertificateError("the networks are equivalent: no distinguishing point exists")
    m = K1.input_dim
    d1, d2 = dict(K1.kinks), dict(K2.kinks)
    differing = sorted(key for key in set(d1) | set(d2) if d1.get(key) != d2.get(key))
    candidates: list[Vec] = []
    if differing:
        key = differing[0]
        u, beta = key[:-1], key[-1]
        planes = {**_hyperplanes(ShallowView.of(net1)).key, **_hyperplanes(ShallowView.of(net2)).key}
        planes.pop(fingerprint(key), None)
        others = list(planes.values())
        base = tuple(-beta * x / dot(u, u) for x in u)
        basis = nullspace([list(u)])
        x0 = None
        for t in range(m * len(others) + 1):  # each hyperplane kills at most m - 1 candidates
            cand = base
            for s, vec in enumerate(basis):
                cand = _vadd(cand, vec, fmpq(t + 1) ** (s + 1) if t else _ZERO)
            if all(dot(h[:-1], cand) + h[-1] != 0 for h in others):
                x0 = cand
                break
        eps = fmpq(1)
        for h in others:
            slope = abs(dot(h[:-1], u))
            if slope:
                eps = min(eps, abs(dot(h[:-1], x0) + h[-1]) / (2 * slope))
        candidates = [x0, _vadd(x0, u, eps), _vadd(x0, u, -eps)]
    else:
        candidates = [tuple(fmpq(0) for _ in range(m))] + \
            [tuple(fmpq(int(t == j)) for t in range(m)) for j in range(m)]
    return separating_point(net1, net2, candidates)


def _check_dims(net1: Network, net2: Network) -> None:
    for net in (net1, net2):
        ShallowView.of(net)
    check_comparable(net1, net2)


def equivalent(net1: Network, net2: Network) -> EquivalenceResult:
    """Decide $f_{\\theta_1} = f_{\\theta_2}$ for shallow networks of any widths, with a certificate.

    Equivalent: an :class:`OrbitCertificate` ($g\\cdot\\theta_1 = \\theta_2$) when the parameters lie in one
    $G$-orbit, otherwise a :class:`MoveCertificate` (dead neurons, twins, opposite pairs, 0-factor flips).
    Not equivalent: a :class:`PointCertificate`. Cost: $O(n(m+k)\\log n)$ exact operations (the move
    certificate adds $O(n^2(m+k))$ for its replayable chain when the networks are not in one orbit).

    >>> n1 = Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    >>> n2 = Network.from_arrays([[[-1, 0], [0, -1], [1, 1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    >>> r = equivalent(n1, n2); bool(r), r.certificate.mechanisms()
    (True, ['M3/M4 opposite pairs and 0-factor flips'])
    """
    _check_dims(net1, net2)
    # The orbit test is one normalisation pass and proves equivalence by itself; try it first.
    g = _orbit_element(ShallowView.of(net1), ShallowView.of(net2))
    if g is not None:
        return EquivalenceResult(True, OrbitCertificate(g))
    K1, K2 = canonical_form(net1), canonical_form(net2)
    if K1 != K2:
        return EquivalenceResult(False, distinguishing_point(net1, net2, K1, K2))
    moves1, r1 = _reduction_moves(net1)
    moves2, r2 = _reduction_moves(net2)
    neg1, neg2 = _negative_kinks(r1), _negative_kinks(r2)
    k = K1.output_dim
    zero = (_ZERO,) * k
    shifts = tuple((key, _vadd(neg2.get(key, zero), neg1.get(key, zero), fmpq(-1)))
                   for key in sorted(set(neg1) | set(neg2)))
    shifts = tuple(s for s in shifts if any(s[1]))
    if shifts:
        moves1.append(Rebalance(shifts))
        r1 = moves1[-1].apply(r1)
    _clear_dead(r1, moves1)
    cert = MoveCertificate(tuple(moves1), tuple(moves2))
    cert.verify(net1, net2)
    return EquivalenceResult(True, cert)


# -- functional dimension --------------------------------------------------------------------------------

def _span_basis(vectors: Sequence[Vec]) -> list[Vec]:
    """A basis of the span of ``vectors`` (the non-zero rows of their RREF)."""
    if not vectors:
        return []
    R, r = fmpq_mat(len(vectors), len(vectors[0]), [x for v in vectors for x in v]).rref()
    return [tuple(R[i, j] for j in range(R.ncols())) for i in range(r)]


def _intersection(U: list[Vec], V: list[Vec]) -> list[Vec]:
    r"""A spanning set of $\operatorname{span} U \cap \operatorname{span} V$ (bases given)."""
    if not U or not V:
        return []
    k = len(U[0])
    M = [[u[r] for u in U] + [-v[r] for v in V] for r in range(k)]
    return [tuple(sum((c * u[r] for c, u in zip(z, U)), _ZERO) for r in range(k)) for z in nullspace(M)]


def shallow_functional_dimension(net: Network) -> int:
    r"""The functional dimension of a shallow network in closed form.

    **Proposition.** Group the neurons with $w_i \ne 0$ by unoriented hyperplane $H = \{u_H\cdot x +
    \beta_H = 0\}$; let $A_H^{\pm}$ be the spans of the output vectors $a_i$ of the neurons of $H$ oriented
    $\pm$, $A_H = A_H^+ + A_H^-$, $r_H = \dim A_H$. Then
    $$\dim_{\mathrm{fun}} = \sum_H (k + m\,r_H) + \dim\Big(e_{m+1}\otimes\mathbb{R}^k + \sum_{H:\,A^\pm_H \text{ both used}}
    \big((u_H, \beta_H)\otimes\mathbb{R}^k + \mathbb{R}^{m+1}\otimes(A_H^+\cap A_H^-)\big)
    + \sum_{w_i = 0,\ b_i > 0}\mathbb{R}^{m+1}\otimes a_i\Big).$$
    *Proof sketch.* The derivatives of $f_\theta$ in $\theta$ are $\sigma(\pm\ell_H)e_o$ and
    $\mathbf 1[\pm\ell_H > 0](x, 1)\otimes a_i$; writing $\mathbf 1[-\ell > 0] = 1 - \mathbf 1[\ell > 0]$ and
    $\sigma(-\ell) = \sigma(\ell) - \ell$, the function space is $\bigoplus_H \mathbf 1_{H^+}\cdot(\text{affine})
    \oplus \text{affine}$, and the summands for distinct $H$ are independent. Per $H$ the span has
    dimension $k + (m+1)r_H - r_H$; the affine functions it contains are the second summand.
    For generic $\theta$ this is $n(m + k) + k = \dim\Omega - n$. Neurons with $w_i = 0 = b_i$ are
    non-smooth points and are counted with the neuron off, as :func:`semialg.engine.regions.functional_dimension` does.
    Cost: $O(n(m+k)\log n)$ for the grouping plus small ranks; $O(n(m+k))$ in the generic case.

    >>> shallow_functional_dimension(Network.from_arrays([[[1], [2]], [[1, 1]]], [[0, 0], [0]]))  # twins
    3
    """
    v = ShallowView.of(net)
    m, k = len(v.w[0]), len(v.c)
    groups: dict = {}
    affine: list[Vec] = []

    def outer(row: Vec, col: Vec) -> Vec:
        return tuple(x * y for x in row for y in col)

    unit = [tuple(fmpq(int(i == j)) for j in range(m + 1)) for i in range(m + 1)]
    out_unit = [tuple(fmpq(int(i == j)) for j in range(k)) for i in range(k)]
    affine.extend(outer(unit[m], e) for e in out_unit)
    for i in range(v.n):
        if not any(v.w[i]):
            if v.b[i] > 0 and any(v.a[i]):
                affine.extend(outer(e, v.a[i]) for e in unit)
            continue
        key, _, sign = normalise_row(v.w[i] + (v.b[i],))
        entry = groups.setdefault(fingerprint(key), (key, {1: [], -1: []}, set()))
        entry[2].add(sign)
        if any(v.a[i]):
            entry[1][sign].append(v.a[i])
    total = 0
    for key, sides, signs in groups.values():
        if len(signs) == 1 and len(sides[1]) + len(sides[-1]) <= 1:
            total += k + m * (len(sides[1]) + len(sides[-1]))  # the generic case: no Gaussian elimination
            continue
        pos, neg = _span_basis(sides[1]), _span_basis(sides[-1])
        total += k + m * len(_span_basis(pos + neg))
        if len(signs) == 2:
            affine.extend(outer(key, e) for e in out_unit)
            affine.extend(outer(e, a) for a in _intersection(pos, neg) for e in unit)
    return total + rank(affine)


# -- zero-sum sets, hidden symmetries, stabilizer -------------------------------------------------------

def hidden_symmetries(net: Network, limit: int = 20) -> list[Mechanism]:
    """Every mechanism beyond $G$ at a shallow $\\theta$: dead neurons, twins, opposite pairs, 0-factor sets.

    Cost: $O(n(m+k))$ for the first three; the 0-factor search is exact and exponential in the number of
    linearly dependent vectors $a_i w_i^T$ (at most ``limit``). Neuron indices are 0-based.
    """
    v = ShallowView.of(net)
    m, k = len(v.w[0]), len(v.c)
    out: list[Mechanism] = []
    for i in range(v.n):
        if not any(v.a[i]) and (any(v.w[i]) or v.b[i]):
            out.append(Mechanism("dead_output", True, m + 1, 1, (i,),
                                      f"a_{i + 1} = 0: (w_{i + 1}, b_{i + 1}) is free"))
        elif any(v.a[i]) and not any(v.w[i]):
            out.append(Mechanism("dead_input", True, k + 1, 1, (i,),
                                      f"w_{i + 1} = 0: (a_{i + 1}, b_{i + 1}) is free, c compensates"))
        elif not any(v.a[i]) and not any(v.w[i]) and not v.b[i]:
            out.append(Mechanism("zero_neuron", True, m + 1 + k, 1, (i,),
                                      f"neuron {i + 1} is zero: a_{i + 1} or (w_{i + 1}, b_{i + 1}) is free"))
    hp = _hyperplanes(v)
    opposite = []
    for key, mem in sorted((hp.key[fp], mem) for fp, mem in hp.members.items()):
        for sign in (1, -1):
            group = tuple(i for i, s, _ in mem if s == sign)
            if len(group) > 1:
                out.append(Mechanism("twins", True, (len(group) - 1) * k, 1, group,
                                          f"neurons {[i + 1 for i in group]} share an oriented hyperplane: "
                                          f"their kinks redistribute with fixed sum"))
        if {s for _, s, _ in mem} == {1, -1}:
            opposite.append((key, tuple(i for i, _, _ in mem)))
    if opposite:
        # Shifts t_H in R^k trade kink for affine part on each such hyperplane, subject to
        # sum_H t_H u_H^T = 0 (the linear part of f is fixed; the constants go into c): a k (h - rank U)
        # dimensional family. A single opposite pair alone frees nothing.
        group = tuple(i for _, g in opposite for i in g)
        free = k * (len(opposite) - rank([key[:-1] for key, _ in opposite]))
        out.append(Mechanism("opposite", True, free, 1, group,
                                  f"neurons {[i + 1 for i in group]} form opposite pairs on {len(opposite)} "
                                  f"hyperplane(s): kinks and affine parts trade along sum_H t_H u_H^T = 0 (M3), "
                                  f"a {free}-dimensional family"))
    live = [i for i in range(v.n) if v.is_live(i)]
    vecs = [tuple(ar * wj for ar in v.a[i] for wj in v.w[i]) for i in live]
    for S in zero_sum_sets(vecs, limit):
        neurons = tuple(live[s] for s in S)
        out.append(Mechanism("zero_factor", False, 0, 2, neurons,
                                  f"sum of a_i w_i^T over {[i + 1 for i in neurons]} is 0: flipping them "
                                  f"(c += sum a_i b_i) keeps f (M4)"))
    return out


@dataclass(frozen=True)
class Stabilizer(Latexable):
    """$\\mathrm{Stab}(\\theta) \\cong \\prod_C S_{|C|} \\times (S_z \\ltimes \\mathbb{R}_{>0}^z)$ (paper Theorem 2).

    ``classes``: neurons identical up to positive scaling (each class gives $S_{|C|}$, scales determined);
    ``zero_neurons``: the $z$ all-zero neurons (any permutation and any scales).
    """

    network: Network
    classes: tuple[tuple[int, ...], ...]
    zero_neurons: tuple[int, ...]
    scale_of: tuple[fmpq, ...] = field(repr=False)

    @property
    def dimension(self) -> int:
        return len(self.zero_neurons)

    @property
    def order_of_finite_part(self) -> int:
        """$\\prod_C |C|! \\cdot z!$: the order of the component group."""
        out = math.factorial(len(self.zero_neurons))
        for C in self.classes:
            out *= math.factorial(len(C))
        return out

    @property
    def is_trivial(self) -> bool:
        return self.order_of_finite_part == 1 and self.dimension == 0

    def contains(self, g: GroupElement) -> bool:
        """Whether $g\\cdot\\theta = \\theta$, exactly."""
        return g.act(self.network) == self.network

    def random_element(self, seed: int | None = None) -> GroupElement:
        """A random element: a random permutation within each class with the forced scales, random
        positive scales on the zero neurons."""
        import random as _random
        rng = _random.Random(seed)
        n = len(self.scale_of)
        perm, lam = list(range(n)), [fmpq(1)] * n
        for C in self.classes + ((self.zero_neurons,) if self.zero_neurons else ()):
            images = list(C)
            rng.shuffle(images)
            for i, j in zip(C, images):
                perm[i] = j
        for i in range(n):
            if i in self.zero_neurons:
                lam[i] = fmpq(rng.randint(1, 9), rng.randint(1, 9))
            else:
                lam[i] = self.scale_of[i] / self.scale_of[perm[i]]
        return GroupElement([perm], [lam])


def stabilizer(net: Network) -> Stabilizer:
    """The stabilizer of a shallow $\\theta$ in $G$. Cost: $O(n(m+k))$ plus hashing.

    $(\\pi, \\lambda)$ fixes $\\theta$ iff $(\\lambda_i w_{\\pi(i)}, \\lambda_i b_{\\pi(i)}, a_{\\pi(i)}/\\lambda_i) =
    (w_i, b_i, a_i)$ for all $i$.

    >>> S = stabilizer(Network.from_arrays([[[1], [2], [0]], [[2, 1, 0]]], [[1, 2, 0], [0]]))
    >>> S.classes, S.zero_neurons, S.order_of_finite_part
    (((0, 1),), (2,), 2)
    """
    v = ShallowView.of(net)
    groups: dict = {}
    scale_of = []
    zero = []
    for i in range(v.n):
        inv, mu = _neuron_invariant(v, i)
        scale_of.append(mu)
        if inv == (1, fingerprint((_ZERO,) * len(v.c)), 0):
            zero.append(i)
        else:
            groups.setdefault(inv, []).append(i)
    classes = tuple(sorted(tuple(g) for g in groups.values() if len(g) > 1))
    return Stabilizer(net, classes, tuple(zero), tuple(scale_of))


# -- minimal forms --------------------------------------------------------------------------------------

def minimal_form(net: Network, limit: int = 12, budget: int = 2 ** 20) -> Network:
    """A minimal-width network realizing $f_\\theta$, canonical: it depends only on $K(\\theta)$.

    Every kink hyperplane needs one neuron; the linear part must be absorbed as $L = -\\sum_{H\\in F}
    \\delta_H u_H^T + R$ by orienting the neurons of $F$ negatively, with a residual $R$ realized by extra
    neurons: one neuron per existing hyperplane $H_0$ absorbs any $-t\\,u_{H_0}^T$; a new opposite pair
    absorbs any rank-one $t v^T$. For $k = 1$ the width is $N$, $N+1$ or $N+2$ (Dereich–Kassing) and the
    result is minimal; for $k > 1$ it is minimal among these constructions (residual absorbed by one
    existing hyperplane when it has rank one, else by $\\operatorname{rank} R$ opposite pairs).
    (``shallow.md`` writes $L = \\sum_F \\delta_H u_H^T$; with $a\\sigma(-z) = a\\sigma(z) - az$ the sign is minus.)
    Choosing $F$ is a subset-sum problem: exhaustive for $N \\le$ ``limit``; beyond, exact meet in the middle
    (:func:`semialg.geometry.zero_sum.find_subset_with_sum`, $2^{\\lceil N/2\\rceil} \\le$ ``budget``) decides width $N$,
    then width $N + 1$ for each $H_0$ in the quotient by $\\{t u_{H_0}^T\\}$, else uses opposite pairs with
    $F = \\emptyset$ — still minimal for $k = 1$. Cost: $O(2^N)$ resp. $O(N 2^{N/2})$ exact vector additions.

    >>> net = Network.from_arrays([[[1], [1]], [[1, -1]]], [[0, -1], [0]])
    >>> minimal_form(net).widths
    (1, 2, 1)
    """
    K = canonical_form(net)
    N, m, k = K.num_kinks, K.input_dim, K.output_dim
    if N > limit:
        try:
            F, plan = _absorbing_set(K, budget)
        except ValueError as exc:
            raise ArchitectureError(f"minimal form of {N} kinks: {exc}") from None
    else:
        best = None
        for F in _subsets_by_size(N):
            extra = _residual_cost(_residual(K, F), K, F)
            if extra is not None and (best is None or extra[0] < best[0]):
                best = (extra[0], F, extra[1])
                if extra[0] == 0:
                    break
        _, F, plan = best
    a, w, b = [], [], []
    c = list(K.constant)
    for h, (key, delta) in enumerate(K.kinks):
        u, beta = key[:-1], key[-1]
        t = plan.get(("existing", h))
        if h in F:
            a.append(delta), w.append(tuple(-x for x in u)), b.append(-beta)
            c = [cr + dr * beta for cr, dr in zip(c, delta)]
        else:
            a.append(delta), w.append(u), b.append(beta)
        if t is not None:
            # split H into a positive neuron (delta - t) and a negative one (t): linear part -t u^T
            a[-1] = _vadd(delta, t, fmpq(-1)) if h not in F else delta
            a.append(t), w.append(tuple(-x for x in u)), b.append(-beta)
            c = [cr + tr * beta for cr, tr in zip(c, t)]
    for t, vvec in plan.get("pairs", []):
        a += [t, tuple(-x for x in t)]
        w += [vvec, tuple(-x for x in vvec)]
        b += [_ZERO, _ZERO]
    if not a:
        a, w, b = [(_ZERO,) * k], [(_ZERO,) * m], [_ZERO]
    out = ShallowView(tuple(a), tuple(w), tuple(b), tuple(c)).network()
    if canonical_form(out) != K:
        raise CertificateError("internal error: minimal form does not realize the function")
    return out


def _residual(K: CanonicalForm, F: Sequence[int]) -> list[list[fmpq]]:
    """$R = L + \\sum_{H \\in F}\\delta_H u_H^T$: the linear part left after orienting the neurons of $F$ negatively."""
    R = [list(r) for r in K.linear]
    for h in F:
        key, delta = K.kinks[h]
        for r in range(len(R)):
            R[r] = [x + delta[r] * uj for x, uj in zip(R[r], key[:-1])]
    return R


def _absorbing_set(K: CanonicalForm, budget: int) -> tuple[tuple[int, ...], dict]:
    """$F$ and the plan for the residual, by exact subset sums over the vectors $\\delta_H u_H^T$."""
    from semialg.geometry.zero_sum import find_subset_with_sum
    N, k = K.num_kinks, K.output_dim
    flat = lambda rows: tuple(x for r in rows for x in r)  # noqa: E731
    vecs = [flat([[d * uj for uj in key[:-1]] for d in delta]) for key, delta in K.kinks]
    target = tuple(-x for x in flat(K.linear))
    F = find_subset_with_sum(vecs, target, budget)
    if F is not None:
        return F, {}
    for h0, (key0, _) in enumerate(K.kinks):
        u = key0[:-1]
        j = next(j for j, x in enumerate(u) if x != 0)
        m = len(u)

        def proj(x: Sequence[fmpq]) -> tuple:
            # kills every t u_{H0}^T: subtract from each output row its coordinate j times u / u_j
            return tuple(x[r * m + i] - x[r * m + j] / u[j] * u[i] for r in range(k) for i in range(m))

        others = [h for h in range(N) if h != h0]
        S = find_subset_with_sum([proj(vecs[h]) for h in others], proj(target), budget)
        if S is not None:
            F = tuple(others[s] for s in S)
            R = _residual(K, F)
            return F, {("existing", h0): tuple(-R[r][j] / u[j] for r in range(k))}
    return (), _residual_cost(_residual(K, ()), K, ())[1]


def _subsets_by_size(N: int) -> Iterator[tuple[int, ...]]:
    for size in range(N + 1):
        yield from itertools.combinations(range(N), size)


def _residual_cost(R, K: CanonicalForm, F) -> tuple[int, dict] | None:
    """Cheapest way to realize the residual $R$: returns ``(extra neurons, plan)``.

    For $R = 0$: nothing. For rank-one $R = -t u_{H_0}^T$ with $H_0 \\notin F$: one extra neuron on $H_0$.
    Otherwise an opposite pair per rank-one term of a rank decomposition of $R$ (two neurons each).
    """
    k, m = len(R), len(R[0])
    if not any(x for r in R for x in r):
        return 0, {}
    if rank(R) == 1:
        for h, (key, _delta) in enumerate(K.kinks):
            if h in F:
                continue
            u = key[:-1]
            j = next(j for j in range(m) if u[j] != 0)
            t = tuple(-R[r][j] / u[j] for r in range(k))
            if all(R[r][jj] == -t[r] * u[jj] for r in range(k) for jj in range(m)):
                return 1, {("existing", h): t}
    pairs = []
    # R = sum_r e_r R[r]: rows give rank-one terms; use a row basis for minimal count.
    from semialg.core.exact import rref
    Rm, rk = rref(R)
    basis_rows = [tuple(Rm[i, j] for j in range(m)) for i in range(rk)]
    for row in basis_rows:
        piv = next(j for j in range(m) if row[j] != 0)
        t = tuple(R[r][piv] for r in range(k))
        pairs.append((t, row))
    return 2 * len(pairs), {"pairs": pairs}


# -- fibres ---------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class ShallowFibre(Union):
    """$\\rho^{-1}(f_\\theta)$ within the architecture of $\\theta$, as a lazy union of basic sets."""

    network: Network | None = None
    flip_sets: tuple[tuple[int, ...], ...] = ()
    generic_case: bool = True

    @property
    def dimension(self) -> int:
        """Dimension of the fibre (for the orbit case $\\dim G = n$)."""
        return self.network.architecture.num_hidden

    def sample(self, seed: int | None = None) -> Network:
        """A random member: a random flip set and a random group element applied to $\\theta$."""
        import random as _random
        rng = _random.Random(seed)
        S = rng.choice(self.flip_sets)
        base = flip_neurons(self.network, S)
        return GroupElement.random(base.architecture, seed=rng.randrange(2 ** 32)).act(base)


class _RoleIndex:
    """Lazy index of the combinatorial types of $\\theta'$: one role per neuron slot — ``("K", h, s)`` on kink
    hyperplane $h$ with orientation $s$, ``("P", g, s)`` on the $g$-th phantom hyperplane (free, kinks cancel;
    the first slot of a group has $s = +1$, groups numbered in order of appearance, at least two slots),
    ``("D",)`` zero output weights, ``("C+",)``/``("C-",)`` zero input weights with $b' > 0$ / $b' \\le 0$ —
    such that every kink hyperplane carries a slot. ``len`` counts them by enumeration."""

    def __init__(self, n: int, N: int):
        self.n, self.N = n, N

    def __iter__(self):
        base = [("K", h, s) for h in range(self.N) for s in (1, -1)] + [("D",), ("C+",), ("C-",)]

        def extend(prefix: list, groups: int):
            if len(prefix) == self.n:
                sizes = [sum(1 for r in prefix if r[0] == "P" and r[1] == g) for g in range(groups)]
                covered = {r[1] for r in prefix if r[0] == "K"}
                if len(covered) == self.N and all(z >= 2 for z in sizes):
                    yield tuple(prefix)
                return
            for role in base + [("P", g, s) for g in range(groups) for s in (1, -1)] + [("P", groups, 1)]:
                yield from extend(prefix + [role], groups + (role[0] == "P" and role[1] == groups))

        yield from extend([], 0)

    def __len__(self) -> int:
        return self.exact_size

    @property
    def exact_size(self) -> int:
        """Exact count without enumeration: inclusion–exclusion over the uncovered kink hyperplanes, with
        phantom slots partitioned into blocks of size $\\ge 2$ (associated Stirling numbers), each non-first
        slot of a block oriented freely. Cost: $O(n^2 + nN)$ integer operations."""
        n, N = self.n, self.N
        blocks = [[0] * (n + 1) for _ in range(n + 1)]  # blocks[p][g]: partitions of p slots into g blocks >= 2
        blocks[0][0] = 1
        for p in range(2, n + 1):
            for g in range(1, p // 2 + 1):
                blocks[p][g] = g * blocks[p - 1][g] + (p - 1) * blocks[p - 2][g - 1]
        phantom = [sum(blocks[p][g] * 2 ** (p - g) for g in range(p + 1)) for p in range(n + 1)]
        total = 0
        for j in range(N + 1):
            free = sum(math.comb(n, p) * (2 * j + 3) ** (n - p) * phantom[p] for p in range(n + 1))
            total += (-1) ** (N - j) * math.comb(N, j) * free
        return total


@dataclass(frozen=True, eq=False)
class TypedShallowFibre(Union):
    """The fibre of a non-generic shallow parameter: the union over combinatorial types of $\\theta'$.

    ``contains`` locates the type of a point and tests that one component exactly, which decides membership
    in the whole fibre (each component lies in it and every member lies in the component of its own type).
    ``dimension`` is the dimension of the component through $\\theta$, which is also the
    :meth:`representative` typeset by :func:`~semialg.ui.latex.to_latex`. ``num_components`` counts every type,
    including types whose basic set is empty.
    """

    network: Network | None = None

    def representative(self) -> BasicSet:
        return self.build(self.locate(self.network))

    @property
    def dimension(self) -> int:
        from semialg.core.exact import rank
        B = self.representative()
        sub = {s: sympy.Rational(int(x.p), int(x.q)) for s, x in zip(B.variables, self.network.parameters())}
        J = [[fmpq(int(r.p), int(r.q)) for r in (sympy.Rational(sympy.diff(p, s).xreplace(sub))
                                                    for s in B.variables)] for p in B.equations]
        return len(B.variables) - (rank(J) if J else 0)

    def sample(self, seed: int | None = None) -> Network:
        """A random member: a random group element applied to $\\theta$, dead neurons' inputs re-drawn."""
        import random as _random
        rng = _random.Random(seed)
        v = ShallowView.of(GroupElement.random(self.network.architecture, seed=rng.randrange(2 ** 32)).act(
            self.network))
        w, b = list(v.w), list(v.b)
        for i in range(v.n):
            if not any(v.a[i]):
                w[i] = tuple(fmpq(rng.randint(-9, 9), rng.randint(1, 9)) for _ in w[i])
                b[i] = fmpq(rng.randint(-9, 9), rng.randint(1, 9))
        return ShallowView(v.a, tuple(w), tuple(b), v.c).network()


def _typed_fibre(net: Network) -> TypedShallowFibre:
    """$\\rho^{-1}(f_\\theta)$ for any shallow $\\theta$: a union over the types of :class:`_RoleIndex`.

    With $K(\\theta) = ((H_h, \\delta_h)_h, L, d)$, keys $(u_h, \\beta_h)$, rows $r'_i = (w'_i, b'_i)$, the component of
    a type is: $r'_i \\parallel (u_h, \\beta_h)$ ($2\\times2$ minors) with $s\\,r'_i\\cdot(u_h,\\beta_h) > 0$ on kink
    slots; $\\sum_{i \\to h} s_i a'_i r_i'^T = \\delta_h (u_h, \\beta_h)$; on a phantom group the rows are
    parallel to its first, oriented by $s_i$, and $\\sum s_i a'_i r_i'^T = 0$; $a'_i = 0$ on D slots; $w'_i = 0$ and
    $b'_i > 0$ ($b'_i \\le 0$) on C+ (C-) slots; $\\sum_{s_i = -1} a'_i w_i'^T = L$ and
    $c' + \\sum_{s_i = -1} a'_i b'_i + \\sum_{C+} a'_i b'_i = d$. Each component lies in the fibre
    ($a\\sigma(-z) = a\\sigma(z) - az$ makes the kinks, linear part and constant those of $K$) and every member
    lies in the component of its own type. Cost: $O(1)$ to build; the index has exponentially many types.
    """
    K = canonical_form(net)
    V = net.variables()
    m, n, k = net.widths
    W1, B1, A, C = V.weights[0], V.biases[0], V.weights[1], V.biases[1]
    keys = [key for key, _ in K.kinks]
    where = {fingerprint(key): h for h, key in enumerate(keys)}

    def Q(x: fmpq) -> sympy.Rational:
        return sympy.Rational(int(x.p), int(x.q))

    def row(i: int) -> list:
        return [W1[i, j] for j in range(m)] + [B1[i]]

    def parallel(r1: list, r2: list) -> list:
        return [sympy.expand(r1[p] * r2[q] - r1[q] * r2[p]) for p, q in itertools.combinations(range(m + 1), 2)]

    def build(roles) -> BasicSet:
        eqs, strict, nonstrict = [], [], []
        kink_sums: dict = {}
        first: dict = {}
        lin = [[0] * m for _ in range(k)]
        const = [C[r] for r in range(k)]
        for i, role in enumerate(roles):
            a = [A[r, i] for r in range(k)]
            if role[0] == "D":
                eqs += a
                continue
            if role[0] in ("C+", "C-"):
                eqs += [W1[i, j] for j in range(m)]
                (strict if role[0] == "C+" else nonstrict).append(B1[i] if role[0] == "C+" else -B1[i])
                if role[0] == "C+":
                    const = [c + ar * B1[i] for c, ar in zip(const, a)]
                continue
            kind, g, s = role
            ref = [Q(x) for x in keys[g]] if kind == "K" else first.setdefault(g, row(i))
            if not (kind == "P" and ref is row(i)) and ref != row(i):
                eqs += parallel(row(i), ref)
                strict.append(sympy.expand(s * sum(x * y for x, y in zip(row(i), ref))))
            contrib = kink_sums.setdefault((kind, g), [[0] * (m + 1) for _ in range(k)])
            for r in range(k):
                contrib[r] = [c + s * a[r] * x for c, x in zip(contrib[r], row(i))]
            if s < 0:
                for r in range(k):
                    lin[r] = [c + a[r] * W1[i, j] for j, c in enumerate(lin[r])]
                const = [c + ar * B1[i] for c, ar in zip(const, a)]
        for h in range(K.num_kinks):  # a kink hyperplane without slots leaves the equation 0 = delta_h key_h
            kink_sums.setdefault(("K", h), [[0] * (m + 1) for _ in range(k)])
        for (kind, g), contrib in kink_sums.items():
            target = [[Q(d * x) for x in keys[g]] for d in K.kinks[g][1]] if kind == "K" else \
                [[0] * (m + 1) for _ in range(k)]
            eqs += [sympy.expand(c - t) for cr, tr in zip(contrib, target) for c, t in zip(cr, tr)]
        eqs += [sympy.expand(lin[r][j] - Q(K.linear[r][j])) for r in range(k) for j in range(m)]
        eqs += [sympy.expand(const[r] - Q(K.constant[r])) for r in range(k)]
        eqs = tuple(dict.fromkeys(e for e in (sympy.expand(x) for x in eqs) if e != 0))
        label = ", ".join(r[0] + (f"{r[1] + 1}{'+' if r[2] > 0 else '-'}" if len(r) > 1 else "") for r in roles)
        return BasicSet(V.flat, eqs, tuple(strict), tuple(nonstrict), label=label)

    def locate(point):
        other = point if isinstance(point, Network) else Network.from_parameters(net.architecture, point)
        ov = ShallowView.of(other)
        roles, phantoms = [], {}
        for i in range(ov.n):
            if not any(ov.a[i]):
                roles.append(("D",))
            elif not any(ov.w[i]):
                roles.append(("C+",) if ov.b[i] > 0 else ("C-",))
            else:
                key, _, s = normalise_row(ov.w[i] + (ov.b[i],))
                fp = fingerprint(key)
                if fp in where:
                    roles.append(("K", where[fp], s))
                else:
                    g, s0 = phantoms.setdefault(fp, (len(phantoms), s))
                    roles.append(("P", g, s * s0))
        return tuple(roles)

    return TypedShallowFibre(V.flat, _RoleIndex(n, K.num_kinks), build, locate,
                             description=f"fibre of a non-generic shallow {net.architecture} parameter",
                             index_name=r"\text{types of } \theta'", network=net)


def flip_neurons(net: Network, S: Sequence[int]) -> Network:
    """$\\theta_S$: $(w_i, b_i) \\mapsto -(w_i, b_i)$ for $i \\in S$ and $c \\mapsto c + \\sum_S a_i b_i$."""
    v = ShallowView.of(net)
    w, b, c = list(v.w), list(v.b), v.c
    for i in S:
        w[i] = tuple(-x for x in w[i])
        b[i] = -b[i]
        c = _vadd(c, v.a[i], v.b[i])
    return ShallowView(v.a, tuple(w), tuple(b), c).network()


class _PermFlipIndex:
    """The lazy index set $S_n \\times \\{\\text{admissible } S\\}$, of size $n! \\cdot \\#S$."""

    def __init__(self, n: int, flips):
        self.n, self.flips = n, flips

    def __len__(self) -> int:
        return self.exact_size

    @property
    def exact_size(self) -> int:
        return math.factorial(self.n) * len(self.flips)

    def __iter__(self):
        for S in self.flips:
            for p in itertools.permutations(range(self.n)):
                yield p, S


def fibre(net: Network, limit: int = 20) -> ShallowFibre:
    """The fibre of a shallow $\\theta$ in its own architecture, as an explicit semi-algebraic set.

    For distinct hyperplanes and no dead neuron:
    $\\rho^{-1}(f_\\theta) = \\bigsqcup_{S} G\\cdot\\theta_S$ over admissible flip sets $S$
    ($\\sum_{i \\in S} a_i w_i^T = 0$), with $n!\\cdot\\#S$ components, component $(\\pi, S)$ being
    $a'_i w_i'^T = \\tilde a_{\\pi(i)} \\tilde w_{\\pi(i)}^T$, $a'_i b'_i = \\tilde a_{\\pi(i)} \\tilde b_{\\pi(i)}$,
    the $2\\times 2$ minors of $(w'_i, b'_i), (\\tilde w_{\\pi(i)}, \\tilde b_{\\pi(i)})$ vanish,
    $(w'_i, b'_i)\\cdot(\\tilde w_{\\pi(i)}, \\tilde b_{\\pi(i)}) > 0$, $c' = c_S$.
    Every other parameter (dead or constant neurons, twins, opposite pairs) gets the union over combinatorial
    types of :func:`_typed_fibre`. Cost: $O(n(m+k))$ plus the exact 0-factor search (exponential in the
    dependent neurons, $\\le$ ``limit``).
    """
    v = ShallowView.of(net)
    syms = hidden_symmetries(net, limit)
    if any(s.name != "zero_factor" for s in syms):
        return _typed_fibre(net)
    flips = ((),) + tuple(s.neurons for s in syms if s.name == "zero_factor")
    V = net.variables()
    m, k, n = len(v.w[0]), len(v.c), v.n
    Wp, bp, Ap, cp = V.weights[0], V.biases[0], V.weights[1], V.biases[1]
    flipped = {S: ShallowView.of(flip_neurons(net, S)) for S in flips}

    def Q(x: fmpq) -> sympy.Rational:
        return sympy.Rational(int(x.p), int(x.q))

    def build(index) -> BasicSet:
        perm, S = index
        t = flipped[S]
        eqs, pos = [], []
        for i in range(n):
            j = perm[i]
            row_new = [Wp[i, col] for col in range(m)] + [bp[i]]
            row_old = [Q(x) for x in t.w[j] + (t.b[j],)]
            for r in range(k):
                for col in range(m):
                    eqs.append(Ap[r, i] * Wp[i, col] - Q(t.a[j][r] * t.w[j][col]))
                eqs.append(Ap[r, i] * bp[i] - Q(t.a[j][r] * t.b[j]))
            for p_, q_ in itertools.combinations(range(m + 1), 2):
                minor = row_new[p_] * row_old[q_] - row_new[q_] * row_old[p_]
                if minor != 0:
                    eqs.append(minor)
            pos.append(sum(x * y for x, y in zip(row_new, row_old)))
        eqs += [cp[r] - Q(t.c[r]) for r in range(k)]
        return BasicSet(V.flat, tuple(dict.fromkeys(eqs)), tuple(pos), label=f"pi={perm}, S={S}")

    keys = [normalise_row(v.w[i] + (v.b[i],)) for i in range(n)]
    slot = {key: i for i, (key, _, _) in enumerate(keys)}

    def locate(point):
        other = point if isinstance(point, Network) else Network.from_parameters(net.architecture, point)
        ov = ShallowView.of(other)
        perm, S = [], []
        for i in range(n):
            key, _, sign = normalise_row(ov.w[i] + (ov.b[i],))
            if key not in slot:
                return None
            j = slot[key]
            perm.append(j)
            if sign != keys[j][2]:
                S.append(j)
        S = tuple(sorted(S))
        if sorted(perm) != list(range(n)) or S not in flipped:
            return None
        return tuple(perm), S

    return ShallowFibre(V.flat, _PermFlipIndex(n, flips), build, locate,
                        description=f"fibre of a shallow {net.architecture} parameter",
                        index_name="(\\pi, S) \\in S_{%d} \\times \\mathcal{S}" % n,
                        network=net, flip_sets=flips)


class ShallowFamily(Family):
    """Networks with one hidden layer, widths $(m, n, k)$: the complete classification."""

    name = "shallow"
    priority = 10

    def applies(self, net: Network) -> bool:
        return net.depth == 2

    def applies_to_architecture(self, arch) -> bool:
        return arch.depth == 2

    def equivalent(self, net1: Network, net2: Network, **options) -> EquivalenceResult:
        return equivalent(net1, net2)

    def canonical_form(self, net: Network) -> CanonicalForm:
        return canonical_form(net)

    def fibre(self, net: Network) -> ShallowFibre:
        return fibre(net)

    def fibre_dimension(self, net: Network) -> int:
        return net.architecture.num_parameters - shallow_functional_dimension(net)

    def mechanisms(self, net: Network) -> tuple[Mechanism, ...]:
        return tuple(hidden_symmetries(net))

    def closed_form_dimension(self, net: Network) -> int:
        return shallow_functional_dimension(net)

    def genericity_conditions(self, net: Network, budget: int) -> list:
        return [zero_factor_condition(net, budget)]

    def genericity_scope(self, arch) -> str:
        return SHALLOW_SCOPE


register(ShallowFamily())
