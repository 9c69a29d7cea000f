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
  of dependent normals (:func:`~semialg.geometry.subset_sum.find_subset_with_sum`).
* **A screen modulo a prime** (:meth:`KinkTensors.screen`): the only $F$ that may give $R_F = 0$, and per $h_0$
  the only one that may give $R_F = t\,u_{h_0}^T$, for all $h_0$ from one inverse of the Gram matrix.

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
from flint import fmpq, fmpq_mat, fmpz, fmpz_mat, nmod_mat

from semialg.core.exact import integer_rows

__all__ = ["KinkTensors", "LinearShares", "SubsetScreen", "SCREEN_PRIMES"]

_ZERO = fmpq(0)
#: Primes below $2^{26}$ tried in turn by :meth:`KinkTensors.screen` (products of two residues and
#: sums of 1,024 of them stay below $2^{63}$ in ``int64``).
SCREEN_PRIMES = (67108859, 67108837, 67108819)


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


@dataclass(frozen=True)
class SubsetScreen:
    r"""What :meth:`KinkTensors.screen` leaves: ``orientation``, the only $F$ that may have $R_F = 0$ (``None``:
    none has); ``through``, pairs $(h_0, F)$, the only $F$ that may have $R_F = t\,u_{h_0}^T$ (an $h_0$ absent
    from both lists has none); ``undecided``, the $h_0$ the screen cannot decide. Each candidate is checked
    exactly by the caller."""

    orientation: tuple[int, ...] | None
    through: tuple[tuple[int, tuple[int, ...]], ...]
    undecided: tuple[int, ...]


class KinkTensors:
    """The tensors $\\delta_h \\otimes u_h$ of the kinks of a canonical form ``K`` and its linear part: shares and
    Gram matrices, each computed once."""

    def __init__(self, K):
        self.K = K
        self.m, self.k, self.N = K.input_dim, K.output_dim, K.num_kinks
        self.normals = [key[:-1] for key, _ in K.kinks]
        self._X = self._XXt = self._shares = self._modp = None

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

    def screen(self, one_more: bool = True) -> SubsetScreen | None:
        r"""Width $N$ and $N + 1$ of dependent normals screened modulo a prime: the only $F$ that can give $R_F = 0$,
        and per hyperplane $h_0$ the only $F \not\ni h_0$ that can give $R_F = t\,u_{h_0}^T$ (each to be checked
        exactly, in $O(Nkm)$). ``None`` when the screen does not apply (the tensors $v_h = \delta_h\otimes u_h$
        dependent, or a denominator divisible by every prime of :data:`SCREEN_PRIMES`).

        With $V = [v_h]$ (Gram matrix $G$ invertible modulo $p$, hence over $\mathbb{Q}$), a solution of $Vx = -L$
        solves $Gx = c$, so it is $x_0 = G^{-1}c$, whose reduction modulo $p$ must be 0/1. With $B = [e_r\otimes
        u_{h_0}]_r$ the solutions of $Vx + Bt = -L$ satisfy $\begin{pmatrix}G & C\\ C^T & E\end{pmatrix}
        \binom{x}{t} = \binom{c}{d}$, whose kernel contains $(e_{h_0}, -\delta_{h_0})$ ($v_{h_0} = B\delta_{h_0}$):
        $x = x_0 - G^{-1}Ct$ with $St = d - C^Tx_0$, $S = E - C^TG^{-1}C$. If $S$ has rank $k - 1$ modulo $p$, the
        system has rank $N + k - 1$ over $\mathbb{Q}$ too (it cannot have more), its rational solutions reduce to
        those modulo $p$, and these fix every $x_h$, $h \ne h_0$: a 0/1 pattern or nothing. Otherwise $h_0$ is left
        to the exact solve (``undecided``). Cost: $k + 1$ products and one inverse of $N \times N$ matrices modulo
        $p$, $O(N^2k^2)$ word operations and $N$ eliminations of size $k$; 784-1024-10: about 10 s, where the
        exact solve of $Gx = c$ alone took 120 s. ``one_more=False``: the orientation only (one inverse, 3 s there;
        ``through`` and ``undecided`` are then empty), and a later call reuses that inverse."""
        if self._modp is None:
            self._modp = (None,)
            if self.N:
                _, P, dens, qL = self._integer_rows()
                for p in SCREEN_PRIMES:
                    try:
                        self._modp = (_ModP(self.K, P, dens, qL, p),)
                        break
                    except ZeroDivisionError:
                        continue
        base = self._modp[0]
        if base is None:
            return None
        return SubsetScreen(base.orientation(), *(base.through() if one_more else ((), ())))


def _residues(M: nmod_mat) -> np.ndarray:
    return np.fromiter(map(int, M.entries()), dtype=np.int64, count=M.nrows() * M.ncols()).reshape(M.nrows(),
                                                                                                   M.ncols())


def _pattern(x: np.ndarray) -> tuple[int, ...] | None:
    """The support of a 0/1 vector of residues, ``None`` if some entry is neither."""
    return tuple(int(h) for h in np.flatnonzero(x == 1)) if np.all((x == 0) | (x == 1)) else None


class _ModP:
    """The normal equations of :meth:`KinkTensors.screen` modulo ``p``: $G^{-1}$ and $x_0$ at construction
    (``ZeroDivisionError`` when a denominator or $G$ is singular there, for every prime when the tensors are
    dependent), the bordered systems of every $h_0$ in :meth:`through`."""

    def __init__(self, K, P: fmpz_mat, dens: list, qL: fmpz, p: int):
        N, k = K.num_kinks, K.output_dim
        inv = lambda x: pow(int(x) % p, -1, p)  # noqa: E731 (ValueError when x = 0 mod p)
        try:
            dinv = np.array([inv(d) for d in dens], dtype=np.int64)
            qinv = inv(qL)
            delta = np.array([[int(x.p) % p * inv(x.q) % p for x in delta] for _, delta in K.kinks],
                             dtype=np.int64).reshape(N, k)
        except ValueError:
            raise ZeroDivisionError from None
        Pp = _residues(nmod_mat(P, p))
        self.p, self.N, self.k, self.delta = p, N, k, delta
        self.M = Pp[:N, :N] * dinv[:, None] % p * dinv[None, :] % p             # u_h . u_g
        self.Lu = Pp[N:, :N] * qinv % p * dinv[None, :] % p                       # L_r . u_g
        G = (delta @ delta.T) % p * self.M % p
        c = (-(delta.T * self.Lu).sum(axis=0)) % p
        self.Ginv = nmod_mat(N, N, G.ravel().tolist(), p).inv()                   # ZeroDivisionError: singular
        self.x0 = _residues(self.Ginv * nmod_mat(N, 1, c.tolist(), p)).ravel()

    def orientation(self) -> tuple[int, ...] | None:
        return _pattern(self.x0)

    def through(self) -> tuple[tuple, tuple]:
        p, N, k, M, x0 = self.p, self.N, self.k, self.M, self.x0
        phi = lambda s: self.delta[:, s, None] * M % p       # noqa: E731 (column s of C, for every h0)
        # G^{-1} C in int32 (residues < 2^26), C recomputed rather than kept: k + 1 matrices of N^2 words in memory
        Y = [_residues(self.Ginv * nmod_mat(N, N, phi(s).ravel().tolist(), p)).astype(np.int32) for s in range(k)]
        S = [[None] * k for _ in range(k)]
        rhs = []
        for r in range(k):
            C = phi(r)
            for s in range(k):
                S[r][s] = (np.diag(M) * (r == s) - (C * Y[s] % p).sum(axis=0)) % p
            rhs.append((-self.Lu[r] - (C * x0[:, None] % p).sum(axis=0)) % p)
        through, undecided = [], []
        for h0 in range(N):
            A, rank = nmod_mat(k, k + 1, [int(S[r][s][h0]) if s < k else int(rhs[r][h0])
                                          for r in range(k) for s in range(k + 1)], p).rref()
            pivots = [next(j for j in range(k + 1) if int(A[i, j])) for i in range(rank)]
            if len(pivots) != k - 1 or k in pivots:     # not the rank over Q: the exact solve decides
                undecided.append(h0)
                continue
            t = np.zeros(k, dtype=np.int64)
            for i, j in enumerate(pivots):
                t[j] = int(A[i, k])
            x = (x0 - sum(Y[s][:, h0].astype(np.int64) * t[s] % p for s in range(k))) % p
            x[h0] = 0
            F = _pattern(x)
            if F is not None:
                through.append((h0, F))
        return tuple(through), tuple(undecided)
