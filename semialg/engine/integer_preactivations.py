r"""Exact pre-activations of single inputs as integer vectors over one denominator per layer, and their signs.

Kink peeling evaluates hundreds of inputs exactly, moves each along one coordinate by a rational step, and then
reads the signs, the zeros and the residues modulo a prime of the pre-activations, rarely a value. Kept as
``fmpq``, every pre-activation was a Python object and every sign two comparisons (784-256-256-10: 2 s of exact
forward passes and 0.7 s of signs in a certificate of 6 s). Here layer $l$ at an input is $Z_l / e_l$, $Z_l$ an
integer vector in 20-bit limbs (:class:`~semialg.core.limbs.Limbs`) and $e_l > 0$ an integer, so products are
float64 BLAS on limbs (exact: :mod:`semialg.core.limbs`), signs are those of the limbs and residues are taken limb
by limb; a value is made only when asked for.

An input is read as its *grid part* (its entries with numerators below $2^{40}$ and denominators below $2^{31}$,
the others set to 0) over a common denominator, evaluated for a batch of inputs in one product, plus its *wide*
entries (a coordinate moved by a rational step, whose denominator is the numerator of a slope), each added to the
first layer as $z_1 \mathrel{+}= x_j W_1[:, j]$. An input whose grid part has no ``int64`` form, or with more than
:data:`MAX_WIDE` wide entries, is evaluated by :meth:`~semialg.core.network.Network.preactivations` instead.

>>> from semialg.core.network import Network
>>> net = Network.from_arrays([[[1, -2], [3, 1]], [[1, 1]]], [[fmpq(1, 3), 0], [-1]])
>>> x = (fmpq(1, 2), fmpq(10 ** 30 + 1, 7 * 10 ** 20))               # a wide entry
>>> pre = IntegerForms(net).preactivations([x])[0]
>>> [pre.value(0, k) for k in range(2)] == list(net.preactivations(x)[0]), pre.signs[0].tolist()
(True, [-1, 1])
"""

from __future__ import annotations

import math
import operator
from typing import Sequence

import numpy as np
from flint import fmpq, fmpz

from semialg.core.grid_point import GridPoint, as_grid_points
from semialg.core.limbs import LIMB_BITS, Limbs
from semialg.core.network import Network

__all__ = ["IntegerForms", "Preactivations", "MAX_WIDE"]

#: inputs with more wide entries than this are evaluated as rationals (each wide entry is one rank-one update)
MAX_WIDE = 16
_P, _Q = operator.attrgetter("p"), operator.attrgetter("q")
_ZERO = fmpq(0)
_PMIN, _PMAX, _QMAX = fmpz(-2 ** 40), fmpz(2 ** 40), fmpz(2 ** 31)


def _wide(x: Sequence[fmpq]) -> list[int]:
    """The wide entries of ``x``: numerator of $2^{40}$ or more in magnitude, or denominator of $2^{31}$ or more
    (C-level passes when there is none)."""
    ps, qs = list(map(_P, x)), list(map(_Q, x))
    if max(qs) < _QMAX and _PMIN < min(ps) and max(ps) < _PMAX:
        return []
    return [j for j, (p, q) in enumerate(zip(ps, qs)) if q >= _QMAX or not _PMIN < p < _PMAX]


def _int(limbs: np.ndarray, k: int) -> int:
    """Entry ``k`` of a column of limbs (shape $(m, n, 1)$) as a Python integer."""
    return sum(int(limbs[a, k, 0]) << (LIMB_BITS * a) for a in range(len(limbs)))


def _stack(columns: list[np.ndarray]) -> Limbs:
    """Columns of limbs (shapes $(m_k, n, 1)$) side by side. A column padded with zero limbs above a negative top
    limb still has the right value but not the normalised form that signs are read from, so the result is
    normalised (by a product with 1)."""
    m = max(len(c) for c in columns)
    out = np.zeros((m, columns[0].shape[1], len(columns)), dtype=np.int64)
    for k, c in enumerate(columns):
        out[:len(c), :, k] = c[:, :, 0]
    return Limbs(out).scale_columns([1] * len(columns))


class Preactivations:
    r"""$z_l = Z_l / e_l$ at one input, for every layer $l$ (0-based here), with ``signs[l]`` (``int8``)."""

    __slots__ = ("Z", "e", "signs")

    def __init__(self, Z: list[np.ndarray], e: list[int], signs: list[np.ndarray]):
        self.Z, self.e, self.signs = Z, e, signs

    @classmethod
    def of_values(cls, zs: Sequence[Sequence[fmpq]]) -> "Preactivations":
        """From exact rational pre-activations (as :meth:`Network.preactivations` gives them)."""
        Z, e = [], []
        for z in zs:
            d = math.lcm(*(int(v.q) for v in z))
            Z.append(Limbs.of([[int(v.p) * (d // int(v.q))] for v in z]).limbs)
            e.append(d)
        return cls(Z, e, [Limbs(L).signs()[:, 0] for L in Z])

    def value(self, l: int, k: int) -> fmpq:
        """$z_{l,k}$ as a rational."""
        return fmpq(_int(self.Z[l], k), self.e[l])

    def zeros(self) -> int:
        """How many hidden pre-activations vanish."""
        return sum(int(np.count_nonzero(s == 0)) for s in self.signs[:-1])

    def relu_residues(self, l: int, p: int) -> np.ndarray | None:
        r"""$(\max(z_l, 0), 1)$ modulo $p$ (``int64``), or ``None`` when $p$ divides a denominator of $\max(z_l, 0)$.
        Limb by limb for $p < 2^{21}$ (the certificates' primes; Horner's rule keeps every partial product below
        $2^{42}$), then times the inverse of $e_l$; when $p$ divides $e_l$, from the reduced rationals."""
        Z, s = self.Z[l], self.signs[l]
        if self.e[l] % p == 0:
            h = [self.value(l, k) if s[k] > 0 else 0 for k in range(len(s))]
            if any(int(v.q) % p == 0 for v in h if v):
                return None
            return np.array([int(v.p) * pow(int(v.q), -1, p) % p if v else 0 for v in h] + [1], dtype=np.int64)
        if p >= 1 << 21:
            raise ValueError(f"residues limb by limb need a prime below 2^21, not {p}")
        r = np.zeros(len(s), dtype=np.int64)
        for a in range(len(Z) - 1, -1, -1):
            r = (r * ((1 << LIMB_BITS) % p) + Z[a, :, 0] % p) % p
        r = np.where(s > 0, r, 0) * pow(self.e[l] % p, -1, p) % p
        return np.append(r.astype(np.int64), 1)


class IntegerForms:
    """A network's layers for exact products of integer vectors: biases as integers over one denominator, the
    columns of $W_1$ as integers over $W_1$'s (kept once read)."""

    def __init__(self, net: Network):
        self.net = net
        self.bias: list[tuple[list[int], int] | None] = []
        for b in net.biases:
            beta = math.lcm(*(int(c.q) for c in b))
            self.bias.append(([int(c.p) * (beta // int(c.q)) for c in b], beta) if any(b) else None)
        self._cols: dict[int, tuple[list[int], int]] = {}

    def column(self, j: int) -> tuple[list[int], int]:
        """$W_1[:, j] = c / d$ as ``(c, d)``, from $W_1$'s integer form."""
        if j not in self._cols:
            W = self.net.weights[0]
            self._cols[j] = ([int(v) for v in W.numerators[:, j].tolist()], W.denominator)
        return self._cols[j]

    def _biased(self, l: int, Z: Limbs, e: list[int]) -> tuple[Limbs, list[int]]:
        """$Z/e + b_l$ over $\\mathrm{lcm}(e, \\beta)$ (column by column)."""
        if self.bias[l] is None:
            return Z, e
        B, beta = self.bias[l]
        L = [x * beta // math.gcd(x, beta) for x in e]
        if L != e:
            Z = Z.scale_columns([y // x for x, y in zip(e, L, strict=True)])
        return Z.add_outer(B, [y // beta for y in L]), L

    def _from(self, l: int, Z: Limbs, e: list[int]) -> list[tuple[Limbs, list[int]]]:
        """The pre-activations of layers $l, l+1, \\dots$ from those of layer $l$ (columns: inputs)."""
        out = [(Z, e)]
        for i in range(l + 1, self.net.depth):
            Z, d = self.net.weights[i].times_limbs(Z.relu())
            Z, e = self._biased(i, Z, [d * x for x in e])
            out.append((Z, e))
        return out

    def _moved(self, Z: Limbs, e: int, j: int, t: fmpq) -> tuple[Limbs, int]:
        """$Z/e + t\\,W_1[:, j]$ (one column) over $\\mathrm{lcm}(e, qd)$, $t = p/q$."""
        c, d = self.column(j)
        p, q = int(t.p), int(t.q)
        E = math.lcm(e, q * d)
        if E != e:
            Z = Z.scale_columns([E // e])
        return (Z.add_outer(c, [p * (E // (q * d))]) if p else Z), E

    def preactivations(self, points: Sequence[Sequence[fmpq]]) -> list[Preactivations]:
        """Exact pre-activations at each of ``points`` (tuples of ``fmpq`` of the input dimension; module docstring).
        Cost: one product of limbs per layer for the batch, $O(n_1)$ limb operations a wide entry."""
        out: list = [None] * len(points)
        where, parts, wide = [], [], {}         # the batch: the points' indices, grid parts and wide entries
        for i, x in enumerate(points):
            if type(x) is not GridPoint:        # a GridPoint has its integer form already
                big = _wide(x)
                if len(big) > MAX_WIDE:
                    continue
                if big:
                    wide[len(parts)] = [(j, x[j]) for j in big]
                    x = list(x)
                    for j in big:
                        x[j] = _ZERO
            where.append(i)
            parts.append(x)
        plain = [g for g, x in enumerate(parts) if type(x) is not GridPoint]
        for g, y in zip(plain, as_grid_points([parts[g] for g in plain]) if plain else (), strict=True):
            parts[g] = y
        keep = [g for g, x in enumerate(parts) if type(x) is GridPoint]     # else numerators beyond 2^62
        if keep:
            N = np.stack([parts[g].numerators for g in keep], axis=1)
            Z, d = self.net.weights[0].times_limbs(Limbs.of_array(N))
            Z, e = self._biased(0, Z, [d * parts[g].denominator for g in keep])
            if any(g in wide for g in keep):
                columns = []
                for c, g in enumerate(keep):
                    col = Z.limbs[:, :, c:c + 1]
                    for j, t in wide.get(g, ()):
                        moved, e[c] = self._moved(Limbs(col), e[c], j, t)
                        col = moved.limbs
                    columns.append(col)
                Z = _stack(columns)
            layers = self._from(0, Z, e)
            signs = [L.signs() for L, _ in layers]
            for c, g in enumerate(keep):
                out[where[g]] = Preactivations([L.limbs[:, :, c:c + 1] for L, _ in layers],
                                               [ee[c] for _, ee in layers], [s[:, c] for s in signs])
        for i, x in enumerate(points):
            if out[i] is None:
                out[i] = Preactivations.of_values(self.net.preactivations(x))
        return out

    def moved(self, pre: Preactivations, j: int, t: fmpq) -> Preactivations:
        """The pre-activations at the input of ``pre`` with coordinate ``j`` moved by ``t`` (one rank-one update
        of the first layer, then the layers above). Cost: $O(\\dim\\Omega)$ flops on limbs."""
        Z, e = self._moved(Limbs(pre.Z[0]), pre.e[0], j, t)
        layers = self._from(0, Z, [e])
        return Preactivations([L.limbs for L, _ in layers], [e[0] for _, e in layers],
                              [L.signs()[:, 0] for L, _ in layers])

    def slope(self, signs: Sequence[np.ndarray], l: int, k: int, j: int) -> fmpq:
        r"""$\partial z_{l,k} / \partial x_j$ on the piece of ``signs`` (layer $l$ 1-based):
        $(W_l D_{l-1} \cdots D_1 W_1)[k, j]$ exactly, by products of limbs."""
        c, d = self.column(j)
        if l == 1:
            return fmpq(c[k], d)
        V, den = Limbs.of([[v] for v in c]), d       # int64 entries: one vectorised split
        for i in range(1, l):
            V, di = self.net.weights[i].times_limbs(Limbs(np.where(signs[i - 1][None, :, None] > 0, V.limbs, 0)))
            den *= di
        return fmpq(_int(V.limbs, k), den)
