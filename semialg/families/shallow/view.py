"""The shallow view of a network: neurons $(a_i, w_i, b_i)$, output bias $c$, and its hyperplanes.

Every live neuron ($a_i \\neq 0$, $w_i \\neq 0$) is normalised without square roots,
$(w_i, b_i) = s_i\\mu_i(u_H, \\beta_H)$ with the first non-zero entry of $u_H$ equal to $1$, $\\mu_i > 0$,
$s_i = \\pm 1$, and $\\kappa_i = \\mu_i a_i$ (its kink). One pass over the neurons groups them by unoriented
hyperplane $H$ and accumulates the kinks $\\delta_H = \\sum_{i \\in H}\\kappa_i$, the linear part
$L = \\sum_{s_i = -1} a_i w_i^T$ and the constant $d = c + \\sum_{s_i=-1} a_i b_i + \\sum_{w_i = 0} a_i\\sigma(b_i)$.

>>> v = ShallowView.of(Network.from_arrays([[[2], [-1]], [[1, 3]]], [[-2, 1], [0]]))
>>> hp = hyperplanes(v)
>>> [hp.key[fp] for fp in hp.kinks], hp.linear, hp.constant
([(1, -1)], ((-3,),), (3,))
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from flint import fmpq, fmpq_mat

from semialg.core.exact import fingerprint, normalise_row, vadd
from semialg.core.network import Network, relu
from semialg.core.rational_matrix import RationalMatrix
from semialg.errors import ArchitectureError

__all__ = ["ShallowView", "Hyperplanes", "hyperplanes", "integer_kinks", "integer_neuron_rows", "primitive_rows",
           "neuron_invariant", "ZERO", "Vec",
           "Key"]

ZERO = fmpq(0)
Vec = tuple[fmpq, ...]
Key = tuple[fmpq, ...]


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

    @classmethod
    def of_neurons(cls, a: Sequence[Vec], w: Sequence[Vec], b: Sequence[fmpq], c: Sequence[fmpq], m: int,
                   linear: Sequence[tuple[Vec, Vec]] = ()) -> "ShallowView":
        """The neurons $(a_i, w_i, b_i)$ and output bias $c$ on $\\mathbb{R}^m$, then for each $(t, v)$ of ``linear``
        the opposite pair $(t, v, 0), (-t, -v, 0)$, which computes $x \\mapsto t\\,v^Tx$ ($\\sigma(z) - \\sigma(-z) = z$);
        no neuron at all gives one zero neuron (a hidden layer is never empty)."""
        a, w, b = list(a), list(w), list(b)
        for t, v in linear:
            a += [tuple(t), tuple(-x for x in t)]
            w += [tuple(v), tuple(-x for x in v)]
            b += [ZERO, ZERO]
        if not a:
            a, w, b = [(ZERO,) * len(c)], [(ZERO,) * m], [ZERO]
        return cls(tuple(a), tuple(w), tuple(b), tuple(c))

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
class Hyperplanes:
    """Per hyperplane: its key $(u_H, \\beta_H)$, kink and live neurons ``(i, sign, mu)``.

    The dictionaries are indexed by the :func:`~semialg.core.exact.fingerprint` of the key.
    """

    key: dict
    kinks: dict
    members: dict
    linear: tuple[Vec, ...]
    constant: Vec


def hyperplanes(view: ShallowView) -> Hyperplanes:
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
            d = [dr + ar * relu(b) for dr, ar in zip(d, a, strict=True)]
            continue
        key, mu, sign = normalise_row(w + (b,))
        fp = fingerprint(key)
        key = keys.setdefault(fp, key)
        kappa = tuple(mu * x for x in a)
        kinks[fp] = vadd(kinks[fp], kappa) if fp in kinks else kappa
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
        L = tuple((ZERO,) * m for _ in range(k))
    return Hyperplanes(keys, kinks, members, L, tuple(d))




def integer_neuron_rows(net: Network) -> tuple[np.ndarray, int, np.ndarray, int] | None:
    """$(R, L, N_2, d_2)$ with $R_i = L\\,(w_i, b_i)$ an ``int64`` row for every hidden neuron and
    $W_2 = N_2 / d_2$, from the integer forms of the weights; ``None`` when they are not ``int64`` (or $W_1$
    was given row by row and is large: its integer form would cost as much as the rational route) or the
    scaled rows would overflow. Cost: $O(n(m + k))$ vectorised."""
    (W1, b1), (W2, _) = net.layers()
    if not W1.has_integer_form and W1.shape[0] * W1.shape[1] > 20000:
        return None
    mats = (W1, RationalMatrix.of([[x] for x in b1]), W2)
    if any(M.numerators.dtype == object for M in mats):
        return None
    (N1, d1), (Nb, db), (N2, d2) = ((M.numerators, M.denominator) for M in mats)
    L = math.lcm(d1, db)
    f1, fb = L // d1, L // db
    top1 = max(int(N1.max(initial=0)), -int(N1.min(initial=0)))
    topb = max(int(Nb.max(initial=0)), -int(Nb.min(initial=0)))
    if max(f1, fb, top1 * f1, topb * fb) >= 2 ** 62:
        return None
    return np.concatenate([N1 * f1, Nb * fb], axis=1), L, N2, d2


def primitive_rows(R: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For non-zero integer rows: the rows divided by the gcd of their entries (signs kept), the index of
    the first non-zero entry and its absolute value in $R$. $O(\\text{entries})$ vectorised."""
    lead = (R != 0).argmax(axis=1)
    first = np.abs(R[np.arange(len(R)), lead])
    P = R // np.gcd.reduce(R, axis=1)[:, None] if len(R) else R
    return P, lead, first


def integer_kinks(net: Network) -> dict[bytes, tuple[np.ndarray, tuple[fmpq, ...]]] | None:
    """The non-zero kinks $\\delta_H$ of a shallow network from the integer forms of its weights, vectorised.

    Each hyperplane is named by its primitive integer normal $P_H = (u_H, \\beta_H)$ scaled to coprime
    integers with a positive first non-zero entry (canonical, so the same bytes in every network of the same
    input dimension). Returns ``{P_H.tobytes(): (P_H, delta_H)}`` over the hyperplanes with
    $\\delta_H \\neq 0$, or ``None`` when :func:`integer_neuron_rows` has no answer. Cost: $O(nm)$
    vectorised, a sort of the $n$ rows, and $O(nk)$ exact operations for the kinks.

    >>> net = Network.from_arrays([[[2], [-1]], [[1, 3]]], [[-2, 1], [0]])
    >>> [(P.tolist(), d) for P, d in integer_kinks(net).values()]
    [([1, -1], (5,))]
    """
    rows = integer_neuron_rows(net)
    if rows is None:
        return None
    R, L, N2, d2 = rows
    live = np.flatnonzero(R[:, :-1].any(axis=1) & N2.any(axis=0))
    P, lead, mu = primitive_rows(R[live])  # mu = L mu_i, mu_i = |first non-zero entry of (w_i, b_i)|
    P *= np.sign(P[np.arange(len(live)), lead])[:, None]
    keys, group = np.unique(P, axis=0, return_inverse=True)
    group = group.reshape(-1)
    k = N2.shape[0]
    sums = [[0] * k for _ in range(len(keys))]
    A = N2[:, live].T.tolist()
    for t, (h, scale) in enumerate(zip(group.tolist(), mu.tolist(), strict=True)):
        acc = sums[h]
        for r, a in enumerate(A[t]):
            acc[r] += scale * a  # kappa_i = mu_i a_i = (L mu_i) N2[:, i] / (L d2)
    out = {}
    for h, acc in enumerate(sums):
        if any(acc):
            out[keys[h].tobytes()] = (keys[h], tuple(fmpq(v, L * d2) for v in acc))
    return out


def neuron_invariant(v: ShallowView, i: int) -> tuple[tuple, fmpq]:
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

