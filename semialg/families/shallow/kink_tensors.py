r"""The linear part $L$ of a shallow canonical form $K = ((u_h, \beta_h, \delta_h)_h, L, d)$ against the tensors
$\delta_h \otimes u_h = \delta_h u_h^T$ of its kinks.

Orienting the neurons of a set $F$ of kink hyperplanes negatively leaves the linear part
$R_F = L + \sum_{h\in F}\delta_h u_h^T$ to be realized otherwise (Dereich, Kassing, *On the existence of optimal
shallow feedforward networks with ReLU activation*, 2023; Ramakrishnan, arXiv 2604.14037, Definition-Lemma 5), so
the minimal forms and the types of a fibre ask which subsets of the tensors sum to $-L$, modulo a span. Two exact
tools answer it without the flattened $km$-dimensional vectors:

* **Shares** (:meth:`KinkTensors.shares`). When the normals $u_h$ are linearly independent, $L = \sum_h \ell_h
  u_h^T + L_\perp$ with the rows of $L_\perp$ orthogonal to every $u_h$, and the shares $\ell_h \in \mathbb{Q}^k$
  are unique. Since the tensors of distinct $h$ lie in independent subspaces $\mathbb{Q}^k\otimes u_h$,
  $R_F = 0$ iff $L_\perp = 0$ and $\ell_h + [h\in F]\delta_h = 0$ for every $h$: one $N\times N$ integer solve
  decides every subset-sum question over them.
* **Gram matrices** (:meth:`KinkTensors.gram`) from the factors, $\langle\delta_h\otimes u_h, \delta_g\otimes
  u_g\rangle = (\delta_h\cdot\delta_g)(u_h\cdot u_g)$: $O(N^2(m + k))$ instead of $O(N^2km)$, for the subset sums
  of dependent normals (:func:`~semialg.geometry.zero_sum.find_subset_with_sum`).

>>> from semialg.core.network import Network
>>> from semialg.families.shallow.canonical import canonical_form
>>> net = Network.from_arrays([[[1, 0], [0, -1]], [[2, 3]]], [[0, 1], [0]])   # 2 relu(x) + 3 relu(1 - y)
>>> S = KinkTensors(canonical_form(net)).shares()
>>> S.inside, S.shares, S.absorbed      # 3 relu(1 - y) = 3 relu(y - 1) - 3(y - 1): its neuron is oriented negatively
(True, ((-3,), (0,)), (True, True))
>>> S.orientation()
(0,)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from flint import fmpq, fmpq_mat, fmpz, fmpz_mat

from semialg.core.exact import integer_rows

__all__ = ["KinkTensors", "LinearShares"]

_ZERO = fmpq(0)


@dataclass(frozen=True, eq=False)
class LinearShares:
    r"""$L = \sum_h \ell_h u_h^T + L_\perp$ for linearly independent normals.

    ``inside``: $L_\perp = 0$; ``shares``: the $\ell_h$; ``absorbed[h]``: $\ell_h \in \{0, -\delta_h\}$ (a
    neuron on $h$, oriented positively or negatively, absorbs its share); ``gram_perp``: $Q = L_\perp
    L_\perp^T$."""

    inside: bool
    shares: tuple[tuple[fmpq, ...], ...]
    absorbed: tuple[bool, ...]
    gram_perp: fmpq_mat

    def orientation(self) -> tuple[int, ...] | None:
        r"""The unique $F$ with $R_F = 0$ (the $h$ with $\ell_h = -\delta_h \ne 0$), or ``None`` when there is none.
        Cost: $O(N)$."""
        if not (self.inside and all(self.absorbed)):
            return None
        return tuple(h for h, ell in enumerate(self.shares) if any(ell))


class KinkTensors:
    """The tensors $\\delta_h \\otimes u_h$ of the kinks of a canonical form ``K`` and its linear part: shares and
    Gram matrices, each computed once."""

    def __init__(self, K):
        self.K = K
        self.m, self.k, self.N = K.input_dim, K.output_dim, K.num_kinks
        self.normals = [key[:-1] for key, _ in K.kinks]
        self._X = self._XXt = self._shares = None

    def shares(self) -> LinearShares | None:
        r"""The shares when the $N \ge 1$ normals are linearly independent, else ``None``.

        Cost: one $N \times N$ solve over $\mathbb{Z}$, once: with integer rows $Z_h = d_hu_h$ the shares are
        $\ell_h = d_hy_h$ for $ZZ^Ty = ZL^T$ (p-adic lifting in flint; 784-512-10: 0.3 s, where the same solve over
        $\mathbb{Q}$ with the normalised rows took 33 s)."""
        if self._shares is None:
            N, k = self.N, self.k
            self._shares = (None,)
            if N and N <= self.m:
                ints, dens = integer_rows(self.normals)
                Z = fmpz_mat([[int(x) for x in row] for row in ints])
                LZ, q = fmpq_mat([list(row) for row in self.K.linear]).numer_denom()   # L = LZ / q
                B = Z * LZ.transpose()
                try:
                    Y = (Z * Z.transpose()).solve(B)                                        # y = Y / q
                except ZeroDivisionError:                                                   # dependent normals
                    return None
                ell = tuple(tuple(Y[h, i] * dens[h] / q for i in range(k)) for h in range(N))
                inside = Y.transpose() * fmpq_mat(Z) == fmpq_mat(LZ)
                absorbed = tuple(not any(ell[h]) or all(ell[h][i] == -self.K.kinks[h][1][i] for i in range(k))
                                 for h in range(N))
                # Q = L_perp L_perp^T = (LZ LZ^T - Y^T B) / q^2
                Q = (fmpq_mat(LZ * LZ.transpose()) - Y.transpose() * fmpq_mat(B)) / q ** 2
                self._shares = (LinearShares(inside, ell, absorbed, Q),)
        return self._shares[0]

    def rows(self) -> fmpq_mat:
        """The normals $u_h$ and then the rows of $L$, as one matrix $X$ (built once)."""
        if self._X is None:
            self._X = fmpq_mat([list(u) for u in self.normals] + [list(row) for row in self.K.linear])
        return self._X

    def _integer_rows(self) -> tuple[fmpz_mat, fmpz_mat, list, fmpz]:
        r"""$Z$ with rows $d_hu_h$ (each normal scaled by its own denominator $d_h$) and then $q_LL$ (one common
        denominator $q_L$), $ZZ^T$, the $d_h$ and $q_L$. One denominator for all of $XX^T$ would have 16,627 bits at
        784-512-10, where the tensors themselves are dyadic: $\delta_h$ carries the scale of the normalised $u_h$."""
        if self._XXt is None:
            ints, dens = integer_rows(self.normals) if self.N else (np.zeros((0, self.m), dtype=np.int64), [])
            Lz, qL = fmpq_mat([list(row) for row in self.K.linear]).numer_denom() if self.m else (fmpz_mat(self.k, 0),
                                                                                                  fmpz(1))
            Z = fmpz_mat([[int(x) for x in row] for row in ints] + [[Lz[r, j] for j in range(self.m)]
                                                                     for r in range(self.k)])
            self._XXt = (Z, Z * Z.transpose(), dens, qL)
        return self._XXt

    def gram(self, rest: Sequence[int], Ur=None, pivots: Sequence[int] = ()) -> fmpq_mat:
        r"""The Gram matrix of the vectors $\delta_h \otimes \bar u_h$ ($h$ in ``rest``) and $\bar L$, where the bar
        reduces modulo the row space of ``Ur`` (an RREF with the given ``pivots``; none: no reduction), from the
        factors $\langle\delta_h\otimes\bar u_h, \delta_g\otimes\bar u_g\rangle = (\delta_h\cdot\delta_g)(\bar u_h\cdot
        \bar u_g)$. With the integer rows $Z$ of the normals and $L$ and the reduction $\bar Z = q_RZ - Z_PR_z$ by the
        RREF $R = R_z/q_R$ ($Z_P$ the pivot columns), $\bar Z\bar Z^T = q_R^2ZZ^T - q_RZR_z^TZ_P^T - q_RZ_PR_zZ^T +
        Z_PR_zR_z^TZ_P^T$. Cost: $ZZ^T$ once, $O((N + k)(N + k + m)|\text{pivots}|)$ integer operations per call,
        $O(N^2 k)$ for the products with $\delta$, instead of $O(N^2 k m)$ on the flattened vectors; 784-1024-10:
        1.3 s for all $N = 1023$ kinks."""
        k, n, N = self.k, len(rest), self.N
        Z, P, dens, qL = self._integer_rows()
        qR = fmpz(1)
        if pivots:
            Rz, qR = fmpq_mat([[Ur[g, j] for j in range(self.m)] for g in range(len(pivots))]).numer_denom()
            ZP = fmpz_mat([[Z[i, j] for j in pivots] for i in range(Z.nrows())])
            ZR = Z * Rz.transpose()
            P = (qR * qR * P - qR * (ZR * ZP.transpose() + ZP * ZR.transpose())
                 + ZP * (Rz * Rz.transpose()) * ZP.transpose())
        # delta_h (x) u_h = (delta_h / d_h) (x) Z_h: one denominator q_d for the rows delta_h / d_h
        Dz, qd = (fmpq_mat([[x / dens[h] for x in self.K.kinks[h][1]] for h in rest]) if n
                  else fmpq_mat(0, k)).numer_denom()
        dd, w, pz = (Dz * Dz.transpose()).entries(), P.ncols(), P.entries()
        G = fmpz_mat(n + 1, n + 1)
        qL2 = qL * qL
        for i, h in enumerate(rest):
            row = pz[h * w: h * w + w]
            for j in range(i, n):
                G[i, j] = G[j, i] = dd[i * n + j] * row[rest[j]] * qL2
            G[i, n] = G[n, i] = sum((Dz[i, r] * row[N + r] for r in range(k)), fmpz(0)) * qd * qL
        G[n, n] = sum((pz[(N + r) * w + N + r] for r in range(k)), fmpz(0)) * qd * qd
        return fmpq_mat(G) / (qd * qd * qL2 * qR * qR)
