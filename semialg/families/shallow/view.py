"""The shallow view of a network: neurons $(a_i, w_i, b_i)$, output bias $c$, and its hyperplanes.

Every live neuron ($a_i \\neq 0$, $w_i \\neq 0$) is normalised without square roots,
$(w_i, b_i) = s_i\\mu_i(u_H, \\beta_H)$ with the first non-zero entry of $u_H$ equal to $1$, $\\mu_i > 0$,
$s_i = \\pm 1$, and $\\kappa_i = \\mu_i a_i$ (its kink). One pass over the neurons groups them by unoriented
hyperplane $H$ and accumulates the kinks $\\delta_H = \\sum_{i \\in H}\\kappa_i$, the linear part
$L = \\sum_{s_i = -1} a_i w_i^T$ and the constant $d = c + \\sum_{s_i=-1} a_i b_i + \\sum_{w_i = 0} a_i\\sigma(b_i)$.

>>> v = ShallowView.of(Network.from_arrays([[[2], [-1]], [[1, 3]]], [[-2, 1], [0]]))
>>> hp = hyperplanes(v)
>>> [hp.key(h) for h in hp.kinks], hp.linear, hp.constant
([(1, -1)], ((-3,),), (3,))
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Sequence

import numpy as np
from flint import fmpq, fmpq_mat, fmpz

from semialg.core.exact import fingerprint, normalise_row, primitive_rows, vadd
from semialg.core.limbs import integer_product
from semialg.core.network import Network, relu
from semialg.core.rational_matrix import RationalMatrix
from semialg.errors import ArchitectureError

__all__ = ["ShallowView", "NeuronLines", "neuron_lines", "Hyperplanes", "hyperplanes", "integer_kinks",
           "IntegerCanonicalForm", "integer_canonical_form", "same_kinks", "integer_negative_kinks", "integer_neuron_invariants",
           "integer_neuron_rows", "neuron_invariant", "ZERO", "Vec", "Key"]

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
    #: the network read, whose integer forms :func:`neuron_lines` uses instead of rational rows
    source: Network | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, net: Network) -> "ShallowView":
        if net.depth != 2:
            raise ArchitectureError(f"expected a shallow network (one hidden layer), got architecture "
                                    f"{net.architecture}")
        (W1, b1), (W2, b2) = net.layers()
        n = len(W1)
        return cls(tuple(tuple(W2[r][i] for r in range(len(W2))) for i in range(n)), W1, b1, b2, net)

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
class NeuronLines:
    r"""The neurons with $w_i \neq 0$ on their unoriented hyperplanes: $(w_i, b_i) = s_i\mu_i(u_H, \beta_H)$.

    ``line[i]`` numbers the hyperplane of neuron $i$ in order of first occurrence ($-1$ when $w_i = 0$),
    ``sign[i]`` $= s_i$ and ``scale[i]`` $= \mu_i$ ($0$ and $0$ when $w_i = 0$); :meth:`key` is
    $(u_H, \beta_H)$ with first non-zero entry $1$, as :func:`~semialg.core.exact.normalise_row` gives it.
    """

    line: tuple[int, ...]
    sign: tuple[int, ...]
    scale: tuple[fmpq, ...]
    #: the keys as rational tuples (rational pass) or as the primitive integer rows and their first non-zero entries
    #: (integer pass: key = row / entry; reduced to lowest terms only by :meth:`fingerprints`, 0.3 s at 4,096 x 785)
    keys_of: tuple[Key, ...] | tuple[np.ndarray, np.ndarray] = field(repr=False)
    #: $(R, L, N_2, d_2)$ of :func:`integer_neuron_rows` when the integer pass ran
    integer: tuple | None = field(default=None, repr=False, compare=False)
    #: the keys' fingerprints, when the rational pass hashed them
    prints: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def count(self) -> int:
        """The number of hyperplanes."""
        return len(self.keys_of) if self.integer is None else len(self.keys_of[0])

    def key(self, h: int) -> Key:
        r"""$(u_H, \beta_H)$ of hyperplane ``h``. Cost: $O(m)$."""
        if self.integer is None:
            return self.keys_of[h]
        num, lead = self.keys_of
        den = fmpz(int(lead[h, 0]))
        return tuple(fmpq(x, den) for x in num[h].tolist())

    def fingerprints(self) -> list[tuple]:
        r"""Every key as :func:`~semialg.core.exact.fingerprint` gives it (equal iff the keys are equal, whichever
        pass made them), in the order of the hyperplanes: cheap to hash, where a key of rationals costs about
        6 µs per entry. Cost: $O(\#H\,m)$ integers, read off the arrays by the integer pass.

        >>> lines = neuron_lines(ShallowView.of(Network.from_arrays([[[2], [-1]], [[1, 3]]], [[-2, 1], [0]])))
        >>> lines.fingerprints() == [fingerprint(lines.key(0))]
        True
        """
        if self.prints is not None:
            return list(self.prints)
        if self.integer is None:
            return [fingerprint(key) for key in self.keys_of]
        P, lead = self.keys_of
        g = np.gcd(P, lead)
        num, den = P // g, lead // g
        flat = np.stack([num, den], axis=2).reshape(len(num), 2 * num.shape[1]).tolist()
        return [tuple(row) for row in flat]

    def keys(self) -> list[Key]:
        r"""Every key, in the order of the hyperplanes. Cost: $O(\#H\,m)$ rational constructions."""
        if self.integer is None:
            return list(self.keys_of)
        num, lead = self.keys_of
        width = num.shape[1]
        flat = list(map(fmpq, num.ravel().tolist(), np.broadcast_to(lead, num.shape).ravel().tolist()))
        return [tuple(flat[h * width:(h + 1) * width]) for h in range(len(num))]


def neuron_lines(view: ShallowView) -> NeuronLines:
    r"""Group the neurons by unoriented hyperplane, the one normalisation of neuron rows of shallow networks.

    From the integer forms of the weights when the view was read from a network that has them
    (:func:`integer_neuron_rows`): primitive rows, a sort of the rows, and the keys' reduced numerators and
    denominators, all vectorised with no rational per weight. Otherwise row by row with
    :func:`~semialg.core.exact.normalise_row`, hashing by :func:`~semialg.core.exact.fingerprint`.
    Cost: $O(n(m+1)\log n)$ either way.

    >>> lines = neuron_lines(ShallowView.of(Network.from_arrays([[[2], [-1], [0]], [[1, 3, 1]]], [[-2, 1, 1], [0]])))
    >>> lines.line, lines.sign, lines.scale, lines.key(0)
    ((0, 0, -1), (1, -1, 0), (2, 1, 0), (1, -1))
    """
    rows = integer_neuron_rows(view.source) if view.source is not None else None
    if rows is not None:
        return _integer_lines(rows)
    line, sign, scale, keys, index = [], [], [], [], {}
    for i in range(view.n):
        key, mu, s = normalise_row(view.w[i] + (view.b[i],)) if any(view.w[i]) else ((), ZERO, 0)
        if s == 0:
            line.append(-1), sign.append(0), scale.append(ZERO)
            continue
        h = index.setdefault(fingerprint(key), len(keys))
        if h == len(keys):
            keys.append(key)
        line.append(h), sign.append(s), scale.append(mu)
    return NeuronLines(tuple(line), tuple(sign), tuple(scale), tuple(keys), prints=tuple(index))


def _oriented_primitive_rows(R: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For non-zero integer rows: the primitive rows with a positive first non-zero entry (the same for every
    row on one unoriented line, :func:`~semialg.core.exact.primitive_rows`), the signs taken off and the absolute
    first non-zero entries of $R$."""
    P, g, sign, j = primitive_rows(R)
    return P, sign, g * P[np.arange(len(P)), j]


def _lines_of(P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The number of each row's line among the rows $P$ (primitive, oriented: equal rows iff equal lines), numbered
    by first occurrence as the rational pass numbers them, and the first row of each line. Rows are hashed by their
    bytes: sorting them (``np.unique`` on rows) took 0.1 s at 4,096 x 785. Cost: $O(\text{entries})$."""
    index: dict = {}
    group = np.fromiter((index.setdefault(p.tobytes(), len(index)) for p in P), dtype=np.intp, count=len(P))
    return group, np.unique(group, return_index=True)[1]


def _integer_lines(rows: tuple) -> NeuronLines:
    R, L, _, _ = rows
    n = R.shape[0]
    live = np.flatnonzero(R[:, :-1].any(axis=1))
    P, sign, first = (a[live] for a in rows.oriented)
    group, at = _lines_of(P)
    keys = P[at]
    lead = keys[np.arange(len(keys)), (keys != 0).argmax(axis=1)][:, None]
    line, sign_of, scale = [-1] * n, [0] * n, [ZERO] * n
    for i, h, s, mu in zip(live.tolist(), group.tolist(), sign.tolist(), first.tolist(), strict=True):
        line[i], sign_of[i], scale[i] = h, s, fmpq(mu, L)
    return NeuronLines(tuple(line), tuple(sign_of), tuple(scale), (keys, lead), rows)


@dataclass(frozen=True)
class Hyperplanes:
    """Per hyperplane of :func:`neuron_lines` with a live neuron: its kink $\\delta_H$ and live neurons
    ``(i, sign, mu)``, the dictionaries indexed by the hyperplane's number; its key $(u_H, \\beta_H)$ by
    :meth:`key` (built when asked: the keys of 4,096 hyperplanes in 784 dimensions are 3 million rationals)."""

    kinks: dict
    members: dict
    linear: tuple[Vec, ...]
    constant: Vec
    lines: NeuronLines = field(compare=False, repr=False)

    def key(self, h: int) -> Key:
        r"""$(u_H, \beta_H)$ of hyperplane ``h``. Cost: $O(m)$."""
        return self.lines.key(h)

    def fingerprint(self) -> tuple:
        r"""A hashable stand-in for the sorted non-zero kinks $(u_H, \beta_H, \delta_H)$, the linear part and the
        constant: equal for two networks iff their canonical forms are (keys by
        :meth:`NeuronLines.fingerprints`, no rational per weight on integer forms). Cost: $O(\#H(m + k))$ plus
        a sort of $\#H$ integer tuples."""
        prints = self.lines.fingerprints()
        return tuple(sorted((prints[h], d) for h, d in self.kinks.items() if any(d))), self.linear, self.constant


def hyperplanes(view: ShallowView) -> Hyperplanes:
    r"""One pass over the neurons after :func:`neuron_lines`: $O(n(m+k))$ operations.

    The linear part $L = \sum_{s_i = -1} a_i w_i^T$ is one flint product, of the integer forms when
    :func:`neuron_lines` used them.
    """
    lines = neuron_lines(view)
    k = len(view.c)
    kinks: dict = {}
    members: dict = {}
    negative: list[int] = []
    d = list(view.c)
    for i, (h, sign, mu) in enumerate(zip(lines.line, lines.sign, lines.scale, strict=True)):
        a = view.a[i]
        if not any(a):
            continue
        if h < 0:
            d = [dr + ar * relu(view.b[i]) for dr, ar in zip(d, a, strict=True)]
            continue
        kappa = tuple(mu * x for x in a)
        kinks[h] = vadd(kinks[h], kappa) if h in kinks else kappa
        members.setdefault(h, []).append((i, sign, mu))
        if sign < 0:
            negative.append(i)
    m = lines.integer[0].shape[1] - 1 if lines.integer is not None else len(view.w[0])
    if negative:
        P = _negative_part(view, lines, negative)
        L = tuple(tuple(P[r, j] for j in range(m)) for r in range(k))
        d = [dr + P[r, m] for r, dr in enumerate(d)]
    else:
        L = tuple((ZERO,) * m for _ in range(k))
    return Hyperplanes(kinks, members, L, tuple(d), lines)


def _negative_part(view: ShallowView, lines: NeuronLines, negative: list[int]) -> fmpq_mat:
    r"""$\sum_{i \in \text{negative}} a_i (w_i, b_i)^T$ as a $k \times (m + 1)$ ``fmpq_mat``: one exact product of
    integer matrices $N_2 R / (d_2 L)$ in limbs when the integer forms are at hand, of rational ones otherwise."""
    k = len(view.c)
    if lines.integer is not None:
        return _integer_part(lines.integer, negative)
    A = fmpq_mat(k, len(negative), [view.a[i][r] for r in range(k) for i in negative])
    Wn = fmpq_mat(len(negative), len(view.w[0]) + 1, [x for i in negative for x in view.w[i] + (view.b[i],)])
    return A * Wn


def _integer_part(rows: tuple, chosen) -> fmpq_mat:
    r"""$\sum_{i \in \text{chosen}} a_i (w_i, b_i)^T = N_2 R / (d_2 L)$ restricted to the chosen neurons, one exact
    integer product in limbs (:func:`~semialg.core.limbs.integer_product`)."""
    R, L, N2, d2 = rows
    return fmpq_mat(integer_product(N2[:, chosen], R[chosen])) / (L * d2)


def integer_neuron_rows(net: Network) -> tuple[np.ndarray, int, np.ndarray, int] | None:
    """$(R, L, N_2, d_2)$ with $R_i = L\\,(w_i, b_i)$ an ``int64`` row for every hidden neuron and
    $W_2 = N_2 / d_2$, from the integer forms of the weights; ``None`` when they are not ``int64`` (or $W_1$
    was given row by row and is large: its integer form would cost as much as the rational route) or the
    scaled rows would overflow. Kept with the network (read-only arrays). Cost: $O(n(m + k))$ vectorised, once."""
    return net.derived("shallow integer rows", _integer_neuron_rows)


class IntegerRows(tuple):
    """$(R, L, N_2, d_2)$ of :func:`integer_neuron_rows`, with the oriented primitive rows of $R$ (zero rows
    included) computed once for the lines, the kinks and the neuron invariants of one network."""

    @cached_property
    def oriented(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:func:`_oriented_primitive_rows` of every row of $R$ (zeros for zero rows). Cost: $O(n(m + 1))$, once."""
        return _oriented_primitive_rows(self[0])


def _integer_neuron_rows(net: Network) -> IntegerRows | None:
    (W1, b1), (W2, _) = net.layers()
    if not W1.has_integer_form and W1.shape[0] * W1.shape[1] > 20000:
        return None
    mats = (W1, RationalMatrix.of([[x] for x in b1]), W2)
    if not all(M.denominator_within() for M in mats) or any(M.numerators.dtype == object for M in mats):
        return None     # first the denominators: an integer form over a huge one is itself huge
    (N1, d1), (Nb, db), (N2, d2) = ((M.numerators, M.denominator) for M in mats)
    L = math.lcm(d1, db)
    f1, fb = L // d1, L // db
    top1 = max(int(N1.max(initial=0)), -int(N1.min(initial=0)))
    topb = max(int(Nb.max(initial=0)), -int(Nb.min(initial=0)))
    if max(f1, fb, top1 * f1, topb * fb) >= 2 ** 62:
        return None
    R = np.concatenate([N1 * f1, Nb * fb], axis=1)
    R.flags.writeable = False
    return IntegerRows((R, L, N2, d2))


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
    return None if rows is None else _integer_kinks(rows)


def _integer_kinks(rows: tuple, negative: bool = False) -> dict[bytes, tuple[np.ndarray, tuple[fmpq, ...]]]:
    r"""The kinks of :func:`integer_kinks` from the rows; with ``negative``, the negative kinks
    $\kappa^-_H = \sum_{i \in H,\, s_i = -1} \kappa_i$ instead."""
    R, L, N2, d2 = rows
    live = R[:, :-1].any(axis=1) & N2.any(axis=0)
    if negative:
        live &= _orientations(R) < 0
    live = np.flatnonzero(live)
    P, _, mu = (a[live] for a in rows.oriented)  # mu = L mu_i, mu_i = |first non-zero entry of (w_i, b_i)|
    group, at = _lines_of(P)
    keys = P[at]
    k = N2.shape[0]
    sums = [[0] * k for _ in range(len(keys))]
    A = N2[:, live].T.tolist()
    for t, (h, scale) in enumerate(zip(group.tolist(), mu.tolist(), strict=True)):
        acc = sums[h]
        for r, a in enumerate(A[t]):
            acc[r] += scale * a  # kappa_i = mu_i a_i = (L mu_i) N2[:, i] / (L d2)
    out, den = {}, fmpz(L * d2)
    for h, acc in enumerate(sums):
        if any(acc):
            out[keys[h].tobytes()] = (keys[h], tuple(fmpq(v, den) for v in acc))
    return out


@dataclass(frozen=True, eq=False)
class IntegerCanonicalForm:
    r"""The canonical form $K(\theta)$ read off the integer forms of the weights (:func:`integer_canonical_form`):
    ``kinks`` as :func:`integer_kinks` gives them, the linear part $L$ and the constant $d$. ``==`` is equality of
    the canonical forms (the primitive normals are canonical), with no rational per weight."""

    kinks: dict
    linear: tuple[Vec, ...]
    constant: Vec

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IntegerCanonicalForm):
            return NotImplemented
        return self.linear == other.linear and self.constant == other.constant and same_kinks(self.kinks, other.kinks)

    __hash__ = None     # type: ignore[assignment]  (the kinks are a dictionary)


def same_kinks(k1: dict, k2: dict) -> bool:
    r"""Whether two dictionaries of :func:`integer_kinks` name the same kinks. Cost: $O(\#H\,k)$."""
    return k1.keys() == k2.keys() and all(delta == k2[name][1] for name, (_, delta) in k1.items())


def integer_canonical_form(net: Network, kinks: dict | None = None) -> IntegerCanonicalForm | None:
    r"""The canonical form of a shallow network from the integer forms of its weights, or ``None`` when
    :func:`integer_neuron_rows` has no answer: the kinks by :func:`integer_kinks`, and
    $(L, d - c) = \sum_{s_i = -1} a_i(w_i, b_i)^T + \sum_{w_i = 0,\, b_i > 0} a_i(0, b_i)^T$ as one exact product of
    integer matrices (``kinks``: those of :func:`integer_kinks`, when already computed). At 784-4096-10 this takes
    0.3 s where the rational keys take 3.5 s. Cost: $O(n(m + k))$ vectorised, a sort of the $n$ rows, and
    $O(k(m + 1))$ rationals.

    >>> F = integer_canonical_form(Network.from_arrays([[[2], [-1]], [[1, 3]]], [[-2, 1], [0]]))
    >>> F.linear, F.constant
    (((-3,),), (3,))
    >>> F == integer_canonical_form(Network.from_arrays([[[1], [-1]], [[2, 3]]], [[-1, 1], [0]]))
    True
    """
    rows = integer_neuron_rows(net)
    if rows is None:
        return None
    R = rows[0]
    m = R.shape[1] - 1
    live = R[:, :-1].any(axis=1)
    negative = live & (_orientations(R) < 0)
    part = _integer_part(rows, np.flatnonzero(negative | (~live & (R[:, -1] > 0))))
    c = net.biases[-1]
    linear = tuple(tuple(part[r, j] for j in range(m)) for r in range(len(c)))
    return IntegerCanonicalForm(_integer_kinks(rows) if kinks is None else kinks, linear,
                                tuple(cr + part[r, m] for r, cr in enumerate(c)))


def _orientations(R: np.ndarray) -> np.ndarray:
    """$s_i$: the sign of the first non-zero entry of $w_i$ in the integer rows $L(w_i, b_i)$ (0 when $w_i = 0$)."""
    return np.sign(R[np.arange(len(R)), (R[:, :-1] != 0).argmax(axis=1)])


def integer_negative_kinks(net: Network) -> dict[bytes, tuple[np.ndarray, tuple[fmpq, ...]]] | None:
    r"""The non-zero negative kinks $\kappa^-_H = \sum_{i \in H,\, s_i = -1} \mu_i a_i$ of a shallow network,
    keyed as by :func:`integer_kinks` (``None`` without integer forms). Cost: that of :func:`integer_kinks`.

    >>> net = Network.from_arrays([[[2], [-1]], [[1, 3]]], [[-2, 1], [0]])
    >>> [(P.tolist(), d) for P, d in integer_negative_kinks(net).values()]
    [([1, -1], (3,))]
    """
    rows = integer_neuron_rows(net)
    return None if rows is None else _integer_kinks(rows, negative=True)


def integer_neuron_invariants(rows: tuple, which) -> tuple[list[tuple], list[fmpq]]:
    r"""For the neurons ``which`` (an index of the rows, each with $(w_i, b_i) \neq 0$) of the integer rows of
    :func:`integer_neuron_rows`: the invariants of :func:`neuron_invariant` in integer form — the primitive
    row's bytes, its sign and $\kappa_i = \mu_i a_i$ in lowest terms (integer numerators, one denominator), equal
    for two neurons iff one is a positive rescaling of the other — and the scales $\mu_i$. Cost:
    $O(|which|\,(m + k))$ vectorised plus $O(|which|\,k)$ integer operations."""
    _, L, N2, d2 = rows
    P, sign, mu = (a[which] for a in rows.oriented)
    mus, signs, D = mu.tolist(), sign.tolist(), L * d2
    keys = []
    for t, col in enumerate(N2[:, which].T.tolist()):
        kappa = [mus[t] * a for a in col]       # kappa_i = kappa / D: in lowest terms, integers compare it
        g = math.gcd(D, *kappa)
        keys.append((P[t].tobytes(), signs[t], tuple(x // g for x in kappa), D // g))
    return keys, [fmpq(v, L) for v in mus]


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

