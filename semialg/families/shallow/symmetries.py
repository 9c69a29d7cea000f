"""Mechanisms beyond the group $G$ at a shallow parameter, and its stabilizer in $G$.

$G = S_n \\ltimes \\mathbb{R}_{>0}^n$ acts by $(w_i, b_i, a_i) \\mapsto (\\lambda_i w_{\\pi(i)}, \\lambda_i b_{\\pi(i)},
a_{\\pi(i)}/\\lambda_i)$. Beyond it: dead neurons, twins, opposite pairs and 0-factor sets (Ramakrishnan,
*A Complete Symmetry Classification of Shallow ReLU Networks*, arXiv 2604.14037, Definitions 4–5, Theorem 2).

>>> net = Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[1, 2, 3], [0]])
>>> [(m.name, m.neurons) for m in hidden_symmetries(net)]
[('zero_factor', (0, 1, 2))]
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Sequence

from flint import fmpq

from semialg.core.exact import dot, fingerprint, nullspace, rank
from semialg.core.mechanism import Mechanism, zero_factor_mechanism
from semialg.core.network import Network
from semialg.core.symmetry import GroupElement, StabilizerGroup
from semialg.engine.neurons import constant_neurons, dead_neurons, pair_relocations, phantom_pairs, zero_factors
from semialg.engine.orbit import flip_orbits
from semialg.geometry.zero_sum import ZERO_SUM_LIMIT, count_zero_sum_sets
from semialg.errors import UndecidedError, check_budget
from semialg.families.shallow.view import (ZERO, ShallowView, integer_neuron_invariants, integer_neuron_rows,
                                           neuron_invariant, neuron_lines)

__all__ = ["hidden_symmetries", "absorbed_flips", "moved_pairs", "MOVED_PAIR_CHOICES", "Stabilizer", "stabilizer",
           "orbit_element"]


def hidden_symmetries(net: Network, limit: int = ZERO_SUM_LIMIT, budget: float | None = None) -> list[Mechanism]:
    """Every mechanism beyond $G$ at a shallow $\\theta$: dead neurons, twins, opposite pairs, flips that the opposite
    pairs' trades absorb (:func:`absorbed_flips`), phantom pairs (an opposite pair whose output weights cancel:
    kinkless, its hyperplane translates), pair relocations (an opposite pair moving to a parallel
    hyperplane: :func:`~semialg.engine.neurons.pair_relocations`), 0-factor flips (one mechanism, its multiplicity
    the flipped parameters distinct up to $G$: :func:`~semialg.engine.orbit.flip_orbits`).

    Cost: $O(n(m+k))$ vectorised for the first three (dead and constant neurons from the integer forms, hyperplanes by
    :func:`~semialg.families.shallow.view.neuron_lines`; rational keys only of the hyperplanes shared by several
    neurons); then :func:`~semialg.engine.neurons.zero_factors`: a rank-one sketch ($n \\times n$ rank modulo a prime;
    784-4096-10: 6 s) settles generic weights, else an exact search exponential in half the size of each component
    of linearly dependent vectors $a_i w_i^T$ (at most ``limit``). A search predicted to end past ``budget`` seconds
    (``None``: no limit) is not started: :class:`~semialg.errors.UndecidedError` says so, its ``partial`` the
    mechanisms found before (one predicted under a second always runs). Neuron indices are 0-based.

    >>> [m.name for m in hidden_symmetries(Network.from_arrays([[[1], [2]], [[1, 1]]], [[0, 0], [0]]), budget=0)]
    ['twins']
    """
    v = ShallowView.of(net)
    deadline = None if budget is None else time.monotonic() + check_budget(budget, "the hidden symmetries budget",
                                                                           seconds=True)
    m, k = net.architecture.input_dim, len(v.c)
    out: list[Mechanism] = []
    dead, constant = set(dead_neurons(net, 1)), set(constant_neurons(net, 1))
    for i in sorted(dead | constant):
        if i in dead and (i not in constant or v.b[i]):
            out.append(Mechanism("dead_output", True, m + 1, 1, (i,),
                                      f"a_{i + 1} = 0: (w_{i + 1}, b_{i + 1}) is free"))
        elif i not in dead:
            # with b < 0 the neuron is off everywhere: every one of its parameters has zero gradient (frozen)
            out.append(Mechanism("dead_input", True, k + 1, 1, (i,),
                                 f"w_{i + 1} = 0: (a_{i + 1}, b_{i + 1}) is free, c compensates", freezes=v.b[i] < 0))
        else:
            out.append(Mechanism("zero_neuron", True, m + 1 + k, 1, (i,),
                                      f"neuron {i + 1} is zero: a_{i + 1} or (w_{i + 1}, b_{i + 1}) is free"))
    lines = neuron_lines(v)
    members: dict = {}
    for i, (h, sign) in enumerate(zip(lines.line, lines.sign, strict=True)):
        if h >= 0 and i not in dead:
            members.setdefault(h, []).append((i, sign))
    opposite = []
    for key, mem in sorted((lines.key(h), mem) for h, mem in members.items() if len(mem) > 1):
        for sign in (1, -1):
            group = tuple(i for i, s in mem if s == sign)
            if len(group) > 1:
                out.append(Mechanism("twins", True, (len(group) - 1) * k, 1, group,
                                          f"neurons {[i + 1 for i in group]} share an oriented hyperplane: "
                                          f"their kinks redistribute with fixed sum"))
        if {s for _, s in mem} == {1, -1}:
            opposite.append((key, tuple(i for i, _ in mem)))
    if opposite:
        # Shifts t_H in R^k trade kink for affine part on each such hyperplane, subject to
        # sum_H t_H u_H^T = 0 (the linear part of f is fixed; the constants go into c): a k (h - rank U)
        # dimensional family. A single opposite pair alone frees nothing, and is not listed (an audit: "opposite" of
        # dimension 0 at parameters proven identifiable).
        group = tuple(i for _, g in opposite for i in g)
        if free := k * (len(opposite) - rank([key[:-1] for key, _ in opposite])):
            out.append(Mechanism("opposite", True, free, 1, group,
                                 f"neurons {[i + 1 for i in group]} form opposite pairs on {len(opposite)} "
                                 f"hyperplane(s): kinks and affine parts trade along sum_H t_H u_H^T = 0 (M3), "
                                 f"a {free}-dimensional family"))
        off = [i for i in range(v.n) if i not in dead | constant and i not in group]
        total, zero = absorbed_flips(v, [key[:-1] for key, _ in opposite], off)
        if total is None or zero is None or total > zero:
            out.append(Mechanism("absorbed_flips", False, 0, None, tuple(sorted(off + list(group))),
                                 "sum over S of a_i w_i^T lies in R^k x span of the opposite pairs' normals: flipping "
                                 "S (neurons off the pairs' hyperplanes) changes f by an affine map that the pairs' "
                                 "trades (M3) and c absorb; " + (f"{total} such S, the empty one included, {zero} of "
                                 "them 0-factors" if total is not None and zero is not None else "not counted")))
        moves = moved_pairs(v, [(key[:-1], g) for key, g in opposite],
                            [(lines.key(h)[:-1], tuple(i for i, _ in mem)) for h, mem in sorted(members.items())
                             if all(i in off for i, _ in mem)], off)
        if moves is None or moves:
            out.append(Mechanism("moved_pair", False, 0, None,
                                 tuple(sorted(set(group) | {i for _, q in (moves or ()) for i in q})),
                                 "an opposite pair merges into one orientation (s(y) = s(-y) + y) and the freed neuron "
                                 "opens a pair on another kink's hyperplane, flips of neurons off the pairs absorbing "
                                 "the linear change with the pairs' trades; " +
                                 (f"{len(moves)} (pair, hyperplane) choice(s)" if moves else
                                  "whether one exists is not decided (too many choices or sets)")))
    if phantoms := phantom_pairs(net, 1):
        out.append(Mechanism("phantom_pair", True, len(phantoms), 1,
                             tuple(sorted({x for i, j, _ in phantoms for x in (i, j)})),
                             "opposite pairs whose output weights cancel compute a_i z (no kink): the pair's "
                             "hyperplane moves, c compensating (one dimension each)"))
    if moved := pair_relocations(net, 1):
        out.append(Mechanism("pair_relocation", False, 0, None, tuple(sorted({x for r in moved for x in r[:3]})),
                             "s(z) - s(-z) = z: an opposite pair's second neuron moves opposite to a neuron on a "
                             "parallel hyperplane, the linear parts agreeing up to a constant that c takes"))
    try:
        sets = zero_factors(net, 1, limit, deadline)
    except UndecidedError as err:
        raise UndecidedError(str(err), partial=tuple(out)) from err
    if sets and (count := flip_orbits(net, 1, sets)) != 1:
        out.append(zero_factor_mechanism(sets, count, "a_i w_i^T", "c += sum a_i b_i", 1))
    return out


def absorbed_flips(v: ShallowView, normals: Sequence[tuple], off: Sequence[int]) -> tuple[int | None, int | None]:
    r"""``(total, zero)``: how many sets $S$ of the neurons ``off`` (the empty one included) have $\sum_S a_iw_i^T$ in
    $\mathbb{R}^k \otimes U$, $U$ the span of the opposite pairs' ``normals`` — flipping $S$ changes $f$ by
    $-\sum_S a_iw_i^Tx$ (and a constant), which trades $a_i \to a_i - t_H$, $a_j \to a_j + t_H/\mu$ within the pair
    on each hyperplane $H$ absorb when $\sum_H t_H u_H^T$ equals it — and how many are 0-factors (the sum 0);
    ``None`` for a count that :func:`~semialg.geometry.zero_sum.count_zero_sum_sets` does not finish. Cost: one exact
    kernel of the normals and two zero-sum counts over $|{\rm off}|$ vectors.

    >>> v = ShallowView.of(Network.from_arrays([[[1], [-1], [2]], [[1, 1, 1]]], [[0, 0, 1], [0]]))
    >>> absorbed_flips(v, [(fmpq(1),)], [2])        # |x| + s(2x + 1): the pair takes the flip of neuron 2's slope
    (2, 1)
    """
    complement = nullspace([list(u) for u in normals])
    projected = [tuple(a * dot(v.w[i], p) for a in v.a[i] for p in complement) for i in off]
    terms = [tuple(a * x for a in v.a[i] for x in v.w[i]) for i in off]
    return (count_zero_sum_sets(projected), count_zero_sum_sets(terms)) if off else (1, 1)


#: At most this many (pair, hyperplane) choices are tried by :func:`moved_pairs`.
MOVED_PAIR_CHOICES = 64


def moved_pairs(v: ShallowView, pairs: Sequence[tuple[tuple, tuple[int, ...]]],
                kinks: Sequence[tuple[tuple, tuple[int, ...]]], off: Sequence[int]) -> tuple | None:
    r"""The moves of an opposite pair to another kink: the ``pairs`` (normal $u_p$, neurons on $H_p$) and the
    ``kinks`` off them (normal $u_q$, neurons). Writing the neurons on one side of $H_p$ in the other orientation
    ($\sigma(y) = \sigma(-y) + y$) leaves their linear part $T = \sum a_jw_j^T$ to be supplied, and frees a neuron
    that opens a pair on $H_q$, whose trade supplies any $t\,u_q^T$; flipping a set $S$ of the neurons ``off`` the
    pairs needs $\sum_S a_iw_i^T$ more. So the move exists iff for one side
    $T + \sum_S a_iw_i^T \in \mathbb{R}^k \otimes U'$, $U'$ spanned by $u_q$ and the other pairs' normals — a
    zero-sum set through $T$ modulo $U'$ (:func:`~semialg.geometry.zero_sum.count_zero_sum_sets` with and without
    it). The member has a pair on $H_q$ and a single neuron on $H_p$: outside $G$, which keeps the oriented
    hyperplanes. Returns the (pair index, kink neurons) that move, or ``None`` when a count does not finish or
    there are more than :data:`MOVED_PAIR_CHOICES` choices. Cost: two zero-sum counts over $|{\rm off}| + 1$
    vectors per pair, kink and side.

    >>> v = ShallowView.of(Network.from_arrays([[[-2, 1], [2, 0], [0, -2], [-1, 0]], [[-1, 2, -1, 2]]],
    ...                                        [[0, -2, -2, 1], [1]]))
    >>> moved_pairs(v, [((fmpq(1), fmpq(0)), (1, 3))], [((fmpq(-2), fmpq(1)), (0,)), ((fmpq(0), fmpq(1)), (2,))],
    ...             [0, 2])          # the pair on x = 1 moves to y = -1, neuron 1 (on y = 2x) flipped
    ((0, (2,)),)
    """
    if len(pairs) * len(kinks) > MOVED_PAIR_CHOICES:
        return None
    found = []
    for p, (_, neurons) in enumerate(pairs):
        rest = [u for k, (u, _) in enumerate(pairs) if k != p]
        sides = [[i for i in neurons if dot(v.w[i], pairs[p][0]) * s > 0] for s in (1, -1)]
        for u_q, on_q in kinks:
            complement = nullspace([list(u) for u in rest + [u_q]])
            if not complement:
                found.append((p, on_q))
                continue
            projected = [tuple(a * dot(v.w[i], c) for a in v.a[i] for c in complement) for i in off]
            base = count_zero_sum_sets(projected) if projected else 1
            for side in sides:
                target = tuple(sum((v.a[j][o] * dot(v.w[j], c) for j in side), ZERO)
                               for o in range(len(v.c)) for c in complement)
                through = count_zero_sum_sets(projected + [target])
                if base is None or through is None:
                    return None
                if through > base:
                    found.append((p, on_q))
                    break
    return tuple(found)


@dataclass(frozen=True)
class Stabilizer(StabilizerGroup):
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

    def describe(self) -> str:
        """In words, as the deep stabilizer says it (the repr would print the whole network); neurons 1-based."""
        if self.is_trivial:
            return "the stabilizer of the parameter in G is trivial"
        parts = [f"neurons {[i + 1 for i in C]} are one neuron up to positive scaling" for C in self.classes]
        if self.zero_neurons:
            parts.append(f"neurons {[i + 1 for i in self.zero_neurons]} are zero (any order, any scales)")
        return (f"the stabilizer of the parameter in G has a finite part of order {self.order_of_finite_part} "
                f"({'; '.join(parts)}) and dimension {self.dimension}")

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
            for i, j in zip(C, images, strict=True):
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
    lines = neuron_lines(v)
    m = net.architecture.input_dim
    groups: dict = {}
    scale_of = []
    zero = []
    for i in range(v.n):
        h, mu = lines.line[i], lines.scale[i]
        if h >= 0:  # the line's number stands for its key within one network
            inv = (0, h, lines.sign[i], fingerprint(tuple(mu * x for x in v.a[i])))
        else:
            inv, mu = neuron_invariant(ShallowView((v.a[i],), ((ZERO,) * m,), (v.b[i],), v.c), 0)
        scale_of.append(mu)
        if inv == (1, fingerprint((ZERO,) * len(v.c)), 0):
            zero.append(i)
        else:
            groups.setdefault(inv, []).append(i)
    classes = tuple(sorted(tuple(g) for g in groups.values() if len(g) > 1))
    return Stabilizer(net, classes, tuple(zero), tuple(scale_of))




def _integer_invariants(net: Network) -> tuple[list[tuple], list[fmpq]] | None:
    """:func:`~semialg.families.shallow.view.integer_neuron_invariants` of every neuron; ``None`` if some row
    $(w_i, b_i)$ is zero or the integer forms are not at hand."""
    rows = integer_neuron_rows(net)
    if rows is None or not rows[0].any(axis=1).all():
        return None
    return integer_neuron_invariants(rows, slice(None))


def network_orbit_element(net1: Network, net2: Network) -> GroupElement | None:
    """:func:`orbit_element` of two shallow networks: on the integer forms of the weights when both have them
    (no rational per weight: the rational invariants took 4 s at 784-4096-10), else on their views.
    $O(n(m + k))$ vectorised plus $O(nk)$ exact operations, or $O(n(m+k))$ exact operations.

    >>> net = Network.from_arrays([[[2], [-1]], [[1, 3]]], [[-2, 1], [0]])
    >>> network_orbit_element(net, GroupElement([[1, 0]], [[3, 1]]).act(net))
    GroupElement(pi1=[1, 0], lambda1=[3, 1])
    """
    if net1.biases[-1] != net2.biases[-1] or len(net1.weights[0]) != len(net2.weights[0]):
        return None
    inv1, inv2 = _integer_invariants(net1), _integer_invariants(net2)
    if inv1 is None or inv2 is None:
        return orbit_element(ShallowView.of(net1), ShallowView.of(net2))
    return _match(zip(*inv1, strict=True), zip(*inv2, strict=True))


def orbit_element(v1: ShallowView, v2: ShallowView) -> GroupElement | None:
    """$g$ with $g\\cdot\\theta_1 = \\theta_2$ by matching per-neuron $G$-invariants, or ``None``. $O(n(m+k))$."""
    if v1.n != v2.n or v1.c != v2.c:
        return None
    return _match((neuron_invariant(v1, j) for j in range(v1.n)),
                  (neuron_invariant(v2, i) for i in range(v2.n)))


def _match(inv1, inv2) -> GroupElement | None:
    """$(\\pi, \\lambda)$ giving each neuron $i$ of $\\theta_2$ an unused neuron $j = \\pi(i)$ of $\\theta_1$ with the same
    invariant, $\\lambda_i = s_i / s_j$, from the ``(invariant, scale)`` of every neuron; ``None`` if some
    invariant runs out. Cost: $O(n)$ dictionary operations."""
    pool: dict = {}
    for j, (key, s) in enumerate(inv1):
        pool.setdefault(key, []).append((j, s))
    perm, lam = [], []
    for key, s in inv2:
        if not pool.get(key):
            return None
        j, s1 = pool[key].pop()
        perm.append(j)
        lam.append(s / s1)
    return GroupElement([perm], [lam])

