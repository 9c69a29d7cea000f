"""The complete invariant of a shallow network and the equivalence test built on it.

**Theorem** (complete classification; Ramakrishnan, *A Complete Symmetry Classification of Shallow ReLU
Networks*, arXiv 2604.14037, Theorems 3–4). With the hyperplanes of :mod:`.view`,
$$f_\\theta(x) = \\sum_H \\delta_H\\,\\sigma(u_H\\cdot x + \\beta_H) + Lx + d,$$
and $f_\\theta = f_{\\theta'}$ iff $\\delta_H(\\theta) = \\delta_H(\\theta')$ for every hyperplane $H$,
$L(\\theta) = L(\\theta')$ and $d(\\theta) = d(\\theta')$, for any widths $n, n'$ ($\\sigma(u_H\\cdot x+\\beta_H)$ has a
gradient jump $u_H$ exactly on $H$, so such functions for distinct $H$ are independent modulo affine maps).

>>> net = Network.from_arrays([[[1], [1]], [[1, -1]]], [[0, -1], [0]])        # clamp s(x) - s(x-1)
>>> other = Network.from_arrays([[[-1], [-1]], [[1, -1]]], [[0, 1], [1]])     # s(-x) - s(1-x) + 1
>>> r = equivalent(net, other)
>>> bool(r), r.certificate.verify(net, other)
(True, True)
>>> canonical_form(net) == canonical_form(other)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Sequence

import numpy as np
from flint import fmpq

from semialg.core.certificate import (Certificate, EquivalenceResult, OrbitCertificate, PointCertificate,
                                      check_comparable, separating_point)
from semialg.core.exact import dot, fingerprint, nullspace, to_vector, vadd
from semialg.core.network import Network, relu
from semialg.core.result import Latexable
from semialg.engine.neurons import predicted_late
from semialg.errors import CertificateError
from semialg.families.shallow.moves import (Move, MoveCertificate, clear_dead, rebalance_shifts, rebalancing,
                                             reduction_moves)
from semialg.families.shallow.symmetries import network_orbit_element
from semialg.families.shallow.view import (ZERO, IntegerCanonicalForm, Key, ShallowView, Vec, hyperplanes,
                                            integer_canonical_form, integer_kinks, same_kinks)

__all__ = ["CanonicalForm", "canonical_form", "distinguishing_point", "equivalent", "CanonicalFormCertificate",
           "MOVE_SECONDS_PER_WEIGHT", "same_canonical_form", "SameCanonicalForm"]


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
                y = [yr + dr * z for yr, dr in zip(y, delta, strict=True)]
        return tuple(y)

    def realization(self) -> Network:
        """A network realizing this function: one neuron per kink, an opposite pair per non-zero column of $L$."""
        m, k = self.input_dim, self.output_dim
        a, w, b = [], [], []
        for key, delta in self.kinks:
            a.append(delta), w.append(key[:-1]), b.append(key[-1])
        cols = [(tuple(self.linear[r][j] for r in range(k)), tuple(fmpq(int(t == j)) for t in range(m)))
                for j in range(m)]
        return ShallowView.of_neurons(a, w, b, self.constant, m, [(t, e) for t, e in cols if any(t)]).network()


def canonical_form(net: Network) -> CanonicalForm:
    """The complete invariant $K(\\theta)$ of a shallow network.

    Cost: $O(n(m+k))$ exact operations and hashing, plus $O(N \\log N)$ comparisons to sort the kinks.

    >>> K = canonical_form(Network.from_arrays([[[2], [-1]], [[1, 3]]], [[-2, 1], [0]]))
    >>> K.kinks
    (((1, -1), (5,)),)
    >>> K.linear, K.constant
    (((-3,),), (3,))
    """
    hp = hyperplanes(ShallowView.of(net))
    kinks = tuple(sorted((hp.key(h), delta) for h, delta in hp.kinks.items() if any(delta)))
    return CanonicalForm(kinks, hp.linear, hp.constant)




def same_canonical_form(net1: Network, net2: Network) -> bool:
    """``canonical_form(net1) == canonical_form(net2)`` — by the classification theorem, whether the two shallow
    networks realize the same function — compared on the integer forms of the weights when both have them
    (:func:`~semialg.families.shallow.view.integer_canonical_form`: 0.3 s per network at 784-4096-10, where the
    rational keys take 3.5 s), else on the fingerprints of the hyperplanes' keys
    (:meth:`~semialg.families.shallow.view.Hyperplanes.fingerprint`). Cost: $O(n(m+k))$ vectorised on integer
    forms, plus sorting the rows.

    >>> same_canonical_form(Network.from_arrays([[[2], [-1]], [[1, 3]]], [[-2, 1], [0]]),
    ...                     Network.from_arrays([[[1], [-1]], [[2, 3]]], [[-1, 1], [0]]))
    True
    """
    return _same_canonical_form(net1, net2, _integer_forms(net1, net2))


def _integer_forms(net1: Network, net2: Network,
                   kinks: tuple | None = None) -> tuple[IntegerCanonicalForm, IntegerCanonicalForm] | None:
    """Both :func:`~semialg.families.shallow.view.integer_canonical_form`, or ``None`` (``kinks``: both
    :func:`~semialg.families.shallow.view.integer_kinks`, when already computed)."""
    k1, k2 = kinks or (None, None)
    F1 = integer_canonical_form(net1, k1)
    F2 = integer_canonical_form(net2, k2) if F1 is not None else None
    return None if F2 is None else (F1, F2)


def _same_canonical_form(net1: Network, net2: Network, forms) -> bool:
    if forms is not None:
        return forms[0] == forms[1]
    return hyperplanes(ShallowView.of(net1)).fingerprint() == hyperplanes(ShallowView.of(net2)).fingerprint()


def distinguishing_point(net1: Network, net2: Network, K1: CanonicalForm | None = None,
                         K2: CanonicalForm | None = None) -> PointCertificate:
    """A rational $x$ with $f_1(x) \\neq f_2(x)$, constructed (not searched) from differing invariants.

    If a kink differs on $H = \\{u\\cdot x + \\beta = 0\\}$ ($u_j = 1$ at its first non-zero entry $j$): $x_0 \\in H$
    off every other hyperplane that carries a kink (where $f_1$, $f_2$ are not affine) and $\\varepsilon$ small,
    one of $x_0, x_0 \\pm \\varepsilon e_j$ works (the second difference is $\\Delta\\delta_H\\,\\varepsilon \\neq 0$).
    The first $x_0$ tried is $-\\beta e_j$, of the height of $\\beta$ and with $O(1)$ work per hyperplane.
    Otherwise $f_1 - f_2$ is a non-zero affine map and $0$ or a unit vector works. Kinks are compared by
    :func:`~semialg.core.exact.fingerprint`. Cost: $O(n)$ per candidate $x_0$ plus two exact evaluations;
    when $-\\beta e_j$ lies on another kink hyperplane, $O(nm)$ per candidate and at most $nm$ are rejected.
    """
    K1 = K1 or canonical_form(net1)
    K2 = K2 or canonical_form(net2)
    if K1 == K2:
        raise CertificateError("the networks are equivalent: no distinguishing point exists")
    m = K1.input_dim
    d1 = {fingerprint(key): (key, delta) for key, delta in K1.kinks}
    d2 = {fingerprint(key): (key, delta) for key, delta in K2.kinks}
    differing = sorted((d1.get(fp) or d2[fp])[0] for fp in d1.keys() | d2.keys()
                       if d1.get(fp, (None, None))[1] != d2.get(fp, (None, None))[1])
    candidates: list[Vec] = []
    if differing:
        key = differing[0]
        u, beta = key[:-1], key[-1]
        j = next(i for i, x in enumerate(u) if x)
        # f1 and f2 are affine across hyperplanes without a kink, so only kinked ones must be avoided.
        skip = fingerprint(key)
        others = [k for fp, (k, _) in {**d1, **d2}.items() if fp != skip]
        base = tuple(-beta / u[j] if i == j else ZERO for i in range(m))
        x0 = base if all(h[j] * base[j] + h[-1] != 0 for h in others) else None
        basis = nullspace([list(u)]) if x0 is None else []
        for t in range(1, m * len(others) + 1):  # each hyperplane kills at most m - 1 candidates
            if x0 is not None:
                break
            cand = base
            for s, vec in enumerate(basis):
                cand = vadd(cand, vec, fmpq(t + 1) ** (s + 1))
            if all(dot(h[:-1], cand) + h[-1] != 0 for h in others):
                x0 = cand
        eps = fmpq(1)
        for h in others:
            if h[j]:
                eps = min(eps, abs(dot(h[:-1], x0) + h[-1]) / (2 * abs(h[j])))
        e = tuple(fmpq(int(i == j)) for i in range(m))
        candidates = [x0, vadd(x0, e, eps), vadd(x0, e, -eps)]
    else:
        candidates = [tuple(fmpq(0) for _ in range(m))] + \
            [tuple(fmpq(int(t == j)) for t in range(m)) for j in range(m)]
    return separating_point(net1, net2, candidates)


def _kink_refutation(net1: Network, net2: Network, k1: dict, k2: dict) -> PointCertificate | None:
    """The construction of :func:`distinguishing_point` on differing integer kinks
    (:func:`~semialg.families.shallow.view.integer_kinks`), when $-(\\beta_H/u_{H,j}) e_j$ avoids the other kinked
    hyperplanes; else ``None``.

    Only the columns $j$ and $\\beta$ of the other hyperplanes are read and the candidates have one non-zero
    coordinate, so the exact evaluations touch one column of $W_1$: $O(nm)$ vectorised work in all, no rational per
    weight. The answer is a :class:`PointCertificate` checked by exact evaluation, never a conclusion drawn from the
    kinks alone.
    """
    differing = [fp for fp in k1.keys() | k2.keys() if k1.get(fp, (None, None))[1] != k2.get(fp, (None, None))[1]]
    if not differing:
        return None
    fp = min(differing)
    P = (k1.get(fp) or k2[fp])[0]
    j = int(np.flatnonzero(P[:-1])[0])
    x0 = fmpq(-int(P[-1]), int(P[j]))
    values, slopes = [], []
    for other, (Q, _) in {**k1, **k2}.items():
        if other != fp:
            slopes.append(int(Q[j]))
            values.append(slopes[-1] * x0 + int(Q[-1]))  # a positive multiple of h(x0 e_j)
    if any(v == 0 for v in values):
        return None
    eps = min([fmpq(1)] + [abs(v) / (2 * abs(a)) for v, a in zip(values, slopes, strict=True) if a])
    m = len(P) - 1
    candidates = [tuple(t if i == j else ZERO for i in range(m)) for t in (x0, x0 + eps, x0 - eps)]
    try:
        return separating_point(net1, net2, candidates)
    except CertificateError:
        return None


def _affine_refutation(net1: Network, net2: Network, F1, F2) -> PointCertificate | None:
    """For integer canonical forms with equal kinks, $f_1 - f_2 = (L_1 - L_2)x + d_1 - d_2$: $0$ separates when the
    constants differ, else $e_j$ for a column $j$ where the linear parts differ; ``None`` when the forms agree.
    Two exact evaluations at a point with at most one non-zero coordinate."""
    m = len(F1.linear[0])
    if F1.constant != F2.constant:
        return separating_point(net1, net2, [(ZERO,) * m])
    j = next((j for j in range(m) if any(a[j] != b[j] for a, b in zip(F1.linear, F2.linear, strict=True))), None)
    if j is None:
        return None
    return separating_point(net1, net2, [tuple(fmpq(int(i == j)) for i in range(m))])


def _check_dims(net1: Network, net2: Network) -> None:
    for net in (net1, net2):
        ShallowView.of(net)
    check_comparable(net1, net2)


#: Seconds per weight $n(m + k)$ of the replayable move chain (:func:`equivalent`), twice those measured with a dead
#: neuron moved: 0.11 s at 784-256-10, 0.42 s at 784-1024-10, 1.6 s at 784-4096-10 beyond the canonical forms.
MOVE_SECONDS_PER_WEIGHT = 1e-6


@dataclass(frozen=True)
class CanonicalFormCertificate(Certificate):
    """The two networks have the same canonical form (:func:`canonical_form`), a complete invariant of the function
    (the classification theorem: equal canonical forms iff equal functions); ``verify`` recomputes both. Issued by
    :func:`equivalent` when the replayable move chain would end past the deadline. Cost of ``verify``: two
    canonical forms, $O(n(m+k)\\log n)$."""

    SUPPORTS: ClassVar[frozenset] = frozenset({True})

    def verify(self, net1: Network, net2: Network) -> bool:
        _check_dims(net1, net2)
        if not same_canonical_form(net1, net2):
            raise CertificateError("the canonical forms differ")
        return True

    def describe(self) -> str:
        return "the canonical forms, a complete invariant of the function, agree (no move chain was built)"


@dataclass(frozen=True)
class SameCanonicalForm(Move):
    r"""The network replaced by ``target`` when their canonical forms agree (:func:`same_canonical_form`): by the
    classification theorem the function is kept. One step where the chain of (M0)–(M4) would end past a budget
    (:func:`equivalent` certifies such pairs by :class:`CanonicalFormCertificate`); the bottleneck family replays
    it on its inner network. Cost of ``apply``: two canonical forms, $O(n(m+k)\log n)$.

    >>> a = Network.from_arrays([[[1], [1]], [[1, -1]]], [[0, -1], [0]])
    >>> SameCanonicalForm(Network.from_arrays([[[-1], [-1]], [[1, -1]]], [[0, 1], [1]])).apply(a).biases
    ((0, 1), (1,))
    """

    target: Network
    mechanism = "same canonical form"

    def apply(self, net: Network) -> Network:
        _check_dims(net, self.target)
        if net.architecture != self.target.architecture or not same_canonical_form(net, self.target):
            raise CertificateError("the network and the target of the move differ in width or in canonical form")
        return self.target

    def describe(self) -> str:
        return "replace the network by one of the same canonical form (the classification theorem)"


def equivalent(net1: Network, net2: Network, deadline: float | None = None) -> EquivalenceResult:
    """Decide $f_{\\theta_1} = f_{\\theta_2}$ for shallow networks of any widths, with a certificate.

    Equivalent: an :class:`OrbitCertificate` ($g\\cdot\\theta_1 = \\theta_2$) when the parameters lie in one
    $G$-orbit, otherwise a :class:`MoveCertificate` (dead neurons, twins, opposite pairs, 0-factor flips) — or,
    when that chain is predicted (:data:`MOVE_SECONDS_PER_WEIGHT`) to end past ``deadline`` (a
    :func:`time.monotonic` value; ``None``: never), a :class:`CanonicalFormCertificate`.
    Not equivalent: a :class:`PointCertificate`. Cost: $O(n(m+k)\\log n)$ exact operations (the move
    certificate adds $O(n^2(m+k))$ for its replayable chain when the networks are not in one orbit).

    >>> n1 = Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    >>> n2 = Network.from_arrays([[[-1, 0], [0, -1], [1, 1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    >>> r = equivalent(n1, n2); bool(r), r.certificate.describe().splitlines()[1]
    (True, 'net1: flip neurons 1, 2, 3 (a 0-factor: their terms a_i w_i sum to 0)')
    """
    _check_dims(net1, net2)
    # Differences found on the integer forms refute at large sizes without a rational per weight: the kinks first,
    # then (after the orbit test, one normalisation pass that proves equivalence by itself) the affine parts.
    kinks = integer_kinks(net1), integer_kinks(net2)
    kinks = None if kinks[0] is None or kinks[1] is None else kinks
    equal_kinks = kinks is not None and same_kinks(*kinks)
    point = _kink_refutation(net1, net2, *kinks) if kinks is not None and not equal_kinks else None
    if point is not None:
        return EquivalenceResult(False, point)
    g = network_orbit_element(net1, net2)
    if g is not None:
        return EquivalenceResult(True, OrbitCertificate(g))
    forms = _integer_forms(net1, net2, kinks) if kinks is not None else None
    point = _affine_refutation(net1, net2, *forms) if equal_kinks and forms is not None else None
    if point is not None:
        return EquivalenceResult(False, point)
    if not _same_canonical_form(net1, net2, forms):
        return EquivalenceResult(False, distinguishing_point(net1, net2))
    n, m, k = max(net1.widths[1], net2.widths[1]), net1.widths[0], net1.widths[2]
    if predicted_late(deadline, MOVE_SECONDS_PER_WEIGHT * n * (m + k)):
        return EquivalenceResult(True, CanonicalFormCertificate(),
                                 method="shallow canonical form (the move chain would end past the budget)")
    moves1, r1 = reduction_moves(net1)
    moves2, _ = reduction_moves(net2)
    shifts = rebalance_shifts(net1, net2)   # kinks are kept by every reduction move; the inputs have integer forms
    trials = rebalancing(r1, shifts) or [None]
    for k, move in enumerate(trials):      # a 0-factor flip names the symmetry best; the general trade always works
        chain = moves1 + ([move] if move is not None else [])
        try:
            clear_dead(move.apply(r1) if move is not None else r1, chain)
            cert = MoveCertificate(tuple(chain), tuple(moves2))
            cert.verify(net1, net2)
        except CertificateError:
            if k == len(trials) - 1:
                raise
            continue
        return EquivalenceResult(True, cert)

