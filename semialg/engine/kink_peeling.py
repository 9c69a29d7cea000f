r"""Full functional dimension and local identifiability of deep ReLU networks by *kink peeling*.

The functional dimension (Grigsby, Lindsey, Meyerhoff, Wu, "Functional dimension of feedforward ReLU neural
networks", 2022; Grigsby, Lindsey, Rolnick, "Hidden symmetries of ReLU networks", ICML 2023) is the rank of the
Jacobian of $\theta \mapsto (f_\theta(x))_x$ over inputs in open linear regions; the rescalings bound it by
$\dim\Omega - \#\text{hidden}$. The Jacobian route needs a
$(\dim\Omega - \#\text{hidden}) \times \dim\Omega$ matrix (4 TiB at 784-256-256-10); kink peeling proves that the
bound is reached from a few linear systems per neuron, following the argument of Bona-Pellissier, Bachoc and
Malgouyres ("Parameter identifiability of a deep feedforward ReLU neural network", 2023).

**Theorem (implemented).** Let $\delta$ be a parameter direction with $\partial_\theta f_\theta(x)\cdot\delta = 0$
for every $x$ in open regions near the certificate's points; write $z_{l,k}$ for the pre-activation of hidden neuron
$k$ of layer $l$, $\mathrm{row}_{l,k} = (W_l[k,:], b_l[k])$, $h_l$ the activations.

1. *Kink point* of $(l,k)$: a rational $x_p$ with $z_{l,k}(x_p) = 0$, every other hidden pre-activation non-zero
   at $x_p$, $c = W_L D_{L-1} W_{L-1} \cdots D_{l+1} W_{l+1}[:,k] \neq 0$ (patterns at $x_p$) and $z_{l,k}$ not
   constant near $x_p$. Near $(x_p, \theta)$ the two patterns give polynomial maps $F_\pm$ in $(x, \theta)$ with
   $F_+ - F_- = c(\theta)\, z_{l,k}(x; \theta)$ (the later layers are affine in $h_l$ with matrix
   $W_L D_{L-1} \cdots W_{l+1}$). Both sides $\{z_{l,k} \gtrless 0\}$ meet every ball around $x_p$ in open sets
   inside open regions, where $\partial F_\pm \cdot \delta = 0$; these are polynomials in $x$, so they vanish
   identically and $\delta(c\, z_{l,k}) = 0$: $\delta z_{l,k} = \mu_p z_{l,k}$ as affine functions of $x$ near $x_p$.
2. *Peeling.* Suppose every row of the layers before $l$ satisfies $\delta\,\mathrm{row} = s\,\mathrm{row}$. The
   rescaling fields ($\delta\,\mathrm{row}_{i} = \mathrm{row}_i$, $\delta\,\mathrm{col}_i = -\mathrm{col}_i$) lie in
   the kernel, so subtracting them leaves a kernel direction $\delta'$ with $\delta' h_{l-1} = 0$, hence
   $\delta' z_{l,k}(x) = u \cdot (h_{l-1}(x), 1)$ with $u = \delta'\mathrm{row}_{l,k}$, and $h_{l-1}(x) =
   h_{l-1}(x_p) + J_p (x - x_p)$ near $x_p$ with $J_p = D_{l-1} W_{l-1} \cdots D_1 W_1$. So
   $(u - \mu_p \mathrm{row}) \cdot (J_p r, 0) = 0$ for every $r$ and $u\cdot(h_{l-1}(x_p), 1) = 0$
   (as $z_{l,k}(x_p) = 0$). Any subset of these linear equations is sound; we take $J_p R$ for an
   $n_0 \times m$ matrix $R$ of integers drawn from ``seed`` ($m = \min(n_0, n_{l-1}) + 2$). If the system in
   $(u, \mu_1, \dots, \mu_P)$ over the neuron's kink points has rank $n_{l-1} + P$ modulo the prime (a lower
   bound on the rational rank), its rational solutions are the multiples of $(\mathrm{row}, 1, \dots, 1)$, so
   $u = s\,\mathrm{row}_{l,k}$. For $l = 1$ ($J_p = I$) one kink point always suffices: $u_w = \mu w$ and
   $u_b = -u_w\cdot x_p = \mu b$.
3. *Last layer.* With every hidden row gauged to $0$, $\delta(W_L, b_L)$ is orthogonal to $(h_{L-1}(x), 1)$ for
   $x$ near the ``samples`` (no hidden pre-activation zero), hence to $(h_{L-1}(x_s), 1)$ and $(J_s r, 0)$; if
   these reach dimension $n_{L-1} + 1$ modulo the prime, $\delta(W_L, b_L) = 0$.

Hence the kernel lies in the span of the rescaling fields, which has dimension $\#\text{hidden}$ (every row is
non-zero: $z_{l,k}$ is not constant), so the functional dimension is exactly $\dim\Omega - \#\text{hidden}$;
some finite batch of inputs near the points reaches that rank, and local identifiability (the fibre near
$\theta$ is the $G$-orbit) follows by the constant rank theorem as for
:class:`~semialg.engine.jacobian.LocalRankCertificate`. This is a **sufficient** condition only: a
neuron whose kinks are hidden (dead, or switched off by the next layer everywhere it bends) yields no
certificate, which proves nothing.

>>> from semialg.core.network import Network
>>> net = Network.random((6, 4, 3, 2), seed=5)
>>> cert = kink_peeling_certificate(net)
>>> cert.dimension, cert.verify(net)
(44, True)
>>> kink_peeling_certificate(Network.random((3, 4, 4, 2), seed=1)) is None    # functional dimension 37 < 38
True
"""

from __future__ import annotations

import operator
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from flint import fmpq, fmpz, nmod_mat

from semialg.core.grid_point import grid_points
from semialg.core.modular import BLAS_PRIME, matmul_mod, rank_mod_small
from semialg.core.network import Network
from semialg.core.result import Result
from semialg.engine.integer_preactivations import IntegerForms, Preactivations
from semialg.engine.jacobian import layers_mod
from semialg.core.certificate import refusing_malformed
from semialg.errors import CertificateError

__all__ = ["KinkPeelingCertificate", "kink_peeling_certificate", "MAX_POINTS"]

Vec = tuple[fmpq, ...]
_P, _Q = operator.attrgetter("p"), operator.attrgetter("q")
#: At most this many distinct kink points per neuron, and samples, are read by ``verify`` (a cap against forgeries).
MAX_POINTS = 64
_MAX_ATTEMPTS = 16      # kink searches per neuron before giving up
_ROUND = 2 ** 14        # aimed points are rounded to this dyadic grid


def _short(x, n: int = 40) -> str:
    s = str(x).replace("\n", " ")
    return s if len(s) <= n else s[:n] + "..."


def _point(x, n0: int, where: str) -> Vec:
    if not isinstance(x, (tuple, list)) or len(x) != n0:
        raise CertificateError(f"{where}: not a point with {n0} coordinates: {_short(x)}")
    if set(map(type, x)) <= {fmpq}:         # one C-level pass for the usual case
        return tuple(x)
    out = []
    for v in x:
        if isinstance(v, fmpq):
            out.append(v)
        elif isinstance(v, (int, fmpz)) and not isinstance(v, bool):
            out.append(fmpq(v))
        elif isinstance(v, Fraction):
            out.append(fmpq(v.numerator, v.denominator))
        else:
            raise CertificateError(f"{where}: the coordinate {_short(v)} is not a rational number")
    return tuple(out)


def _distinct(points, n0: int, where: str) -> list[Vec]:
    if not isinstance(points, (tuple, list)):
        raise CertificateError(f"{where}: not a list of points: {_short(points)}")
    ids: set = set()
    raw: set = set()
    out: list[Vec] = []
    for x in points:
        if id(x) in ids:            # the same object repeated: one lookup
            continue
        ids.add(id(x))
        pt = _point(x, n0, where)
        # hashing fmpq is slow (tens of microseconds), their text too (2 ms a point of 784); their integers are not
        key = (tuple(map(_P, pt)), tuple(map(_Q, pt)))
        if key in raw:
            continue
        raw.add(key)
        out.append(pt)
        if len(out) > MAX_POINTS:
            raise CertificateError(f"{where}: more than {MAX_POINTS} distinct points")
    return out


class _Checker:
    """The modular data of one network: residues of the layers and the random direction matrices $R_l$."""

    def __init__(self, net: Network, p: int, seed: int):
        self.net, self.p, self.seed = net, p, seed
        lm = layers_mod(net, p)
        if lm is None:
            raise CertificateError(f"the prime {p} divides a denominator of the parameters")
        self.layers = lm
        self._W1R: dict[int, np.ndarray] = {}
        self._full: dict = {}
        self._live: np.ndarray | None = None

    def live_rows(self) -> np.ndarray:
        """Which rows of $W_1$ are non-zero (vectorised once: reading a row made every row's rationals, 0.4 s at
        784-256)."""
        if self._live is None:
            self._live = self.net.weights[0].nonzero_rows()
        return self._live

    def W1R(self, l: int) -> np.ndarray:
        """$W_1 R_l$ modulo $p$, $R_l$ an $n_0 \\times m$ integer matrix from ``seed`` (for layers $l \\ge 2$)."""
        if l not in self._W1R:
            n0, n = self.net.widths[0], self.net.widths[l - 1]
            R = np.random.default_rng([self.seed, l]).integers(0, self.p, size=(n0, min(n0, n) + 2))
            self._W1R[l] = matmul_mod(self.layers[0][0], R, self.p)
        return self._W1R[l]

    def JR(self, signs, l: int) -> np.ndarray:
        """$J R_l = D_{l-1} W_{l-1} \\cdots D_1 W_1 R_l$ modulo $p$ for the patterns ``signs``."""
        M = self.W1R(l)
        for i in range(1, l):
            M = M * (np.array(signs[i - 1]) > 0)[:, None]
            if i < l - 1:
                M = matmul_mod(self.layers[i][0], M, self.p)
        return M

    def c_nonzero(self, signs, l: int, k: int) -> bool:
        """Whether $c = W_L D_{L-1}\\cdots D_{l+1} W_{l+1}[:,k] \\ne 0$ modulo $p$ (then also over $\\mathbb{Q}$)."""
        v = self.layers[l][0][:, k].copy()
        for i in range(l + 1, self.net.depth):
            v = np.where(np.array(signs[i - 1]) > 0, v, 0)
            v = self.layers[i][0] @ v % self.p
        return bool(v.any())

    def h_mod(self, pre: Preactivations, l: int) -> np.ndarray:
        """$(h_{l-1}, 1)$ modulo $p$ from exact pre-activations."""
        r = pre.relu_residues(l - 2, self.p)
        if r is None:
            raise CertificateError(f"the prime {self.p} divides a denominator of an activation")
        return r

    def kink(self, pre: Preactivations, l: int, k: int) -> Preactivations:
        """Check that the input of the exact pre-activations ``pre`` is a kink point of neuron ``k`` of layer
        ``l``; returns ``pre``."""
        signs = pre.signs
        if signs[l - 1][k] != 0:
            raise CertificateError(f"neuron {k} of layer {l} is {_short(pre.value(l - 1, k))}, not 0, at a kink point")
        if pre.zeros() > 1:
            i, j = next((i, j) for i, layer in enumerate(signs[:-1]) for j in np.flatnonzero(layer == 0).tolist()
                        if (i, j) != (l - 1, k))
            raise CertificateError(f"at a kink point of neuron {k} of layer {l} neuron {j} of layer {i + 1} "
                                   "vanishes too")
        if not self.c_nonzero(signs, l, k):
            raise CertificateError(f"at a kink point of neuron {k} of layer {l} the output does not see the neuron "
                                   "(c = 0 modulo p)")
        return pre

    def neuron_rank(self, l: int, k: int, data: list[Preactivations]) -> bool:
        """Step 2: whether the system in $(u, \\mu_1..\\mu_P)$ at the kink points ``data`` (their exact
        pre-activations) has rank $n_{l-1} + P$ modulo $p$; raises if $z_{l,k}$ is constant at one."""
        p, n = self.p, self.net.widths[l - 1]
        w = self.layers[l - 1][0][k]
        if l == 1:     # J = I: (u - mu row) . (e_j, 0) = 0 and u . (x_p, 1) = 0 always have rank n_0 + 1
            if not self.live_rows()[k]:
                raise CertificateError(f"neuron {k} of layer 1 has a zero weight row")
            return True
        P = len(data)
        blocks, full, bound = [], False, 0
        for q, pre in enumerate(data):
            JR = self.JR(pre.signs, l)                      # n x m
            mu = w @ JR % p                                 # row_w^T J R
            if not mu.any():
                raise CertificateError(f"neuron {k} of layer {l} is constant near a kink point (modulo p)")
            full = full or self.full_rank(pre.signs, l, JR)
            B = np.zeros((JR.shape[1] + 1, n + 1 + P), dtype=np.int64)
            B[:-1, :n] = JR.T
            B[:-1, n + 1 + q] = (-mu) % p
            B[-1, :n + 1] = self.h_mod(pre, l)
            blocks.append(B)
            # the block's rows (J_q R)^T [I | -w] have the rank of J_q R, at most the active neurons of every layer
            # below l; with the row (h, 1), one more
            bound += min(int(np.count_nonzero(np.asarray(sg) > 0)) for sg in pre.signs[:l - 1]) + 1
        # one point with rank J_p R = n suffices: its rows (J_p R, 0), (h, 1) have rank n + 1, so u = mu_p row, and
        # every other point gives (mu_p - mu_q) row_w^T J_q R = 0 with row_w^T J_q R != 0 (checked above)
        return full or (bound >= n + P and tall_rank(np.concatenate(blocks), p, self.seed) == n + P)

    def full_rank(self, signs, l: int, JR: np.ndarray) -> bool:
        """Whether $J R_l$ at the patterns ``signs`` of layers $< l$ has rank $n_{l-1}$ modulo $p$ (cached per pattern).
        $J = D_{l-1} W_{l-1} \\cdots D_1 W_1$ has rank at most the number of active neurons of each layer below $l$:
        when one has fewer than $n_{l-1}$, no rank is taken (a rank of 256 x 258 was 35 ms, once per sample)."""
        active = [np.asarray(sg) > 0 for sg in signs[:l - 1]]
        key = (l, b"".join(a.tobytes() for a in active))
        if key not in self._full:
            self._full[key] = JR.shape[0] <= JR.shape[1] and min(int(a.sum()) for a in active) >= JR.shape[0] \
                and rank_mod_small(JR, self.p) == JR.shape[0]
        return self._full[key]

    def last_rank(self, data: list[Preactivations]) -> int:
        """Step 3: the rank modulo $p$ of the rows $(J_s R, 0)^T$ and $(h_{L-1}(x_s), 1)$ at the samples."""
        L = self.net.depth
        rows = []
        for pre in data:
            JR = self.JR(pre.signs, L)
            if self.full_rank(pre.signs, L, JR):    # with the row (h, 1): rank n_{L-1} + 1
                return JR.shape[0] + 1
            rows.append(np.concatenate([JR.T, np.zeros((JR.shape[1], 1), dtype=np.int64)], axis=1))
            rows.append(self.h_mod(pre, L)[None, :])
        return tall_rank(np.concatenate(rows), self.p, self.seed) if rows else 0


def tall_rank(M: np.ndarray, p: int, seed: int = 0) -> int:
    r"""The rank modulo $p$ of an integer matrix $M$ ($r \times c$), exactly; with $r > 2c$ through a random
    $c \times r$ matrix $G$: $\ker M \subseteq \ker GM$, so for a basis $K$ ($c \times d$) of $\ker GM$,
    $\ker M = K \ker(MK)$ and $\mathrm{rank}\,M = c - d + \mathrm{rank}\,MK$, whatever $G$ is. Two products and
    ranks of $c \times c$ and $r \times d$ instead of one of $r \times c$ (a neuron's system at 784-256-256-256-10,
    about 1,300 x 262: 0.16 s; the samples' at 784-256-256-10, 1,813 x 257: 0.2 s).

    >>> tall_rank(np.array([[1, 2], [2, 4], [3, 6], [1, 2], [0, 0]]), 7)
    1
    """
    r, c = M.shape
    if r <= 2 * c:
        return rank_mod_small(M, p)
    G = np.random.default_rng([seed, r, c]).integers(0, p, size=(c, r))
    X, d = nmod_mat(c, c, matmul_mod(G, M, p).ravel().tolist(), p).nullspace()
    if not d:
        return c
    K = np.array([[int(X[i, j]) for j in range(d)] for i in range(c)], dtype=np.int64)     # not all c^2 entries
    return c - d + rank_mod_small(matmul_mod(M, K, p), p)


def _sample(pre: Preactivations, where: str) -> Preactivations:
    if pre.zeros():
        raise CertificateError(f"{where}: a hidden pre-activation vanishes at a sample")
    return pre


@dataclass(frozen=True)
class KinkPeelingCertificate(Result):
    r"""The functional dimension is $\dim\Omega - \#\text{hidden}$ (and $\theta$ is locally identifiable), by
    kink peeling (see the module docstring).

    ``kinks[l-1][k]`` are rational kink points of neuron $k$ of layer $l$; ``samples`` rational inputs with no
    hidden pre-activation zero (for the last layer); ``prime`` and ``seed`` fix the modular rank checks.
    ``verify(net)`` re-evaluates every point exactly, rebuilds every system modulo ``prime`` and checks every
    rank; it raises :class:`~semialg.errors.CertificateError` on any failure or malformed content (repeated
    points count once; at most :data:`MAX_POINTS` distinct points per neuron and samples). Cost of ``verify``:
    one exact forward pass per point plus, per neuron of layer $l \ge 2$, a rank modulo $p$ of
    $P(m + 1) \times (n_{l-1} + 1 + P)$.
    """

    kinks: tuple
    samples: tuple
    dimension: int
    prime: int = BLAS_PRIME
    seed: int = 0

    def verify(self, net: Network) -> bool:
        return refusing_malformed("kink-peeling certificate", lambda: self._verify(net))

    def _verify(self, net: Network) -> bool:
        if not isinstance(net, Network) or net.depth < 2:
            raise CertificateError("kink peeling needs a network with a hidden layer")
        p, seed = self.prime, self.seed
        if type(p) is not int or not 2 ** 10 < p <= BLAS_PRIME or not fmpz(p).is_prime():
            raise CertificateError(f"the modulus {_short(p)} is not a prime in (2^10, {BLAS_PRIME}]")
        if type(seed) is not int or not 0 <= seed < 2 ** 63:
            raise CertificateError(f"the seed {_short(seed)} is not a non-negative 63-bit integer")
        widths, n0 = net.widths, net.widths[0]
        if not isinstance(self.kinks, (tuple, list)) or len(self.kinks) != net.depth - 1:
            raise CertificateError(f"the certificate needs kink points for {net.depth - 1} hidden layers")
        arch = net.architecture
        if self.dimension != arch.num_parameters - arch.num_hidden:
            raise CertificateError(f"the claimed dimension {_short(self.dimension)} is not dim Omega - #hidden = "
                                   f"{arch.num_parameters - arch.num_hidden}")
        layers = []
        for l, per in enumerate(self.kinks, start=1):
            if not isinstance(per, (tuple, list)) or len(per) != widths[l]:
                raise CertificateError(f"layer {l} needs kink points for its {widths[l]} neurons")
            layers.append([_distinct(pts, n0, f"neuron {k} of layer {l}") for k, pts in enumerate(per)])
        samples = _distinct(self.samples, n0, "samples")
        ck = _Checker(net, p, seed)
        flat = [x for per in layers for pts in per for x in pts] + samples
        pre = iter(IntegerForms(net).preactivations(flat))
        for l, per in enumerate(layers, start=1):
            for k, pts in enumerate(per):
                if not pts:
                    raise CertificateError(f"neuron {k} of layer {l} has no kink point")
                if not ck.neuron_rank(l, k, [ck.kink(next(pre), l, k) for _ in pts]):
                    raise CertificateError(f"the kink points of neuron {k} of layer {l} do not fix its row up to scale "
                                           "(rank modulo p too small)")
        got = ck.last_rank([_sample(next(pre), "samples") for _ in samples])
        if got < widths[-2] + 1:
            raise CertificateError(f"the samples span {got} < {widths[-2] + 1} dimensions for the last layer")
        return True

    @property
    def num_points(self) -> int:
        return sum(len(pts) for per in self.kinks for pts in per)

    def describe(self) -> str:
        return (f"kink peeling: {self.num_points} kink points fix every hidden neuron's row up to scale and "
                f"{len(self.samples)} samples the last layer (ranks modulo {self.prime}): functional dimension "
                f"{self.dimension} = dim Omega - #hidden, near the parameter the fibre is the G-orbit "
                "(a sufficient condition)")

    def to_json(self) -> dict:
        pts = [[[[str(v) for v in x] for x in per_n] for per_n in per] for per in self.kinks]
        return {"type": "KinkPeelingCertificate", "dimension": self.dimension, "prime": self.prime,
                "seed": self.seed, "kinks": pts, "samples": [[str(v) for v in x] for x in self.samples]}


# -- finding kink points ----------------------------------------------------------------------------------

def _inverse(G: np.ndarray) -> np.ndarray:
    """A regularised inverse of a symmetric positive semidefinite matrix (float guidance only; LAPACK's SVD
    was measured 100 times slower than this solve on a loaded machine)."""
    eps = 1e-10 * (float(np.trace(G)) / max(1, len(G)) + 1e-300)
    return np.linalg.inv(G + eps * np.eye(len(G)))


def _rational(v: np.ndarray) -> Vec:
    """The point of the grid $2^{-14}\\mathbb{Z}^n$ nearest to ``v``: a :class:`GridPoint` (its integer form is
    then read without a pass over its rationals) unless its numerators reach $2^{62}$."""
    q = np.rint(np.asarray(v, dtype=float) * _ROUND)
    if np.abs(q).max(initial=0) < 2.0 ** 62:
        return grid_points(q.astype(np.int64)[None], _ROUND)[0]
    return tuple(fmpq(int(t), _ROUND) for t in q)


class _Finder:
    """Float aiming (guidance only) and exact landing on kink points."""

    def __init__(self, net: Network, seed: int):
        self.net = net
        self.forms = IntegerForms(net)
        self.F = [(np.asarray(W, dtype=float), np.asarray(b, dtype=float)) for W, b in net.float_layers()]
        self.rng = np.random.default_rng(seed)
        self.pool: list[tuple[Vec, Preactivations]] = []     # (x, exact pre-activations), no hidden zero
        self._pinv: dict = {}

    def float_pre(self, x: np.ndarray) -> list[np.ndarray]:
        out, a = [], x
        for W, b in self.F:
            out.append(W @ a + b)
            a = np.maximum(out[-1], 0)
        return out

    def jac(self, signs, l: int) -> np.ndarray:
        """Float $\\partial z_l / \\partial x$ on the piece of ``signs``."""
        J = self.F[0][0]
        for i in range(1, l):
            J = self.F[i][0] @ (J * (np.array(signs[i - 1]) > 0)[:, None])
        return J

    def add_pool(self, x: np.ndarray) -> int | None:
        xr = _rational(x)
        pre = self.forms.preactivations([xr])[0]
        if pre.zeros():
            return None
        self.pool.append((xr, pre))
        return len(self.pool) - 1

    def grow_pool(self) -> int | None:
        """A new base point: first one with the first layer all active (when $n_1 \\le n_0$), then random ones."""
        W1, b1 = self.F[0]
        scale = float(np.median(np.abs(b1))) + 1.0
        if not self.pool and W1.shape[0] <= W1.shape[1] and np.isfinite(W1).all():
            target = scale * (1 + self.rng.random(W1.shape[0]))
            x = W1.T @ (_inverse(W1 @ W1.T) @ (target - b1))
            if np.isfinite(x).all():
                got = self.add_pool(x)
                if got is not None:
                    return got
        reach = (float(np.median(np.abs(b1))) + 1.0) / (float(np.median(np.abs(W1))) + 1e-9)
        x = self.rng.standard_normal(W1.shape[1]) * reach * 2.0 ** int(self.rng.integers(-2, 5))
        return self.add_pool(x / max(1.0, np.sqrt(W1.shape[1]) / 4))

    def aim(self, base: int, l: int, k: int | None, want: set, rounds: int = 6) -> np.ndarray | None:
        """A float input near ``pool[base]`` on the zero set of $z_{l,k}$ (``k=None``: anywhere) with the neurons
        ``want`` of layer $l-1$ switched on: move $z_{l-1}$ by least-norm steps through the Jacobian of the current
        piece, only upwards (a few rounds, re-linearised); without ``want``, the shortest step on the piece."""
        with np.errstate(all="ignore"):
            return self._aim(base, l, k, want, rounds)

    def _aim(self, base: int, l: int, k: int | None, want: set, rounds: int) -> np.ndarray | None:
        xf = np.array([float(v) for v in self.pool[base][0]])
        for _ in range(rounds):
            pre = self.float_pre(xf)
            signs = [np.sign(z).astype(int) for z in pre[:-1]]
            y0 = pre[l - 2]
            if k is not None and not want:
                w, b = self.F[l - 1][0][k], self.F[l - 1][1][k]
                g = w @ (self.jac(signs, l - 1) * (y0 > 0)[:, None])
                return xf - (w @ np.maximum(y0, 0) + b) * g / (g @ g) if g @ g else None
            y = y0.copy()
            margin = float(np.median(np.abs(y0))) + 1e-9
            if want:
                on = np.fromiter(want, np.int64, len(want))
                y[on] = np.where(margin > y[on], margin, y[on])        # max(y, margin), NaN as Python's max
            if k is not None:
                w, b = self.F[l - 1][0][k], self.F[l - 1][1][k]
                z = w @ np.maximum(y, 0) + b
                u = np.where(y > 0, np.maximum(0.0, -np.sign(z) * w), 0.0)
                if not (w @ u):
                    return None
                y = y + (-z / (w @ u)) * u
            dy = y - y0
            if not np.abs(dy).max() > 1e-9 * margin:
                break
            key = (l, b"".join((sg > 0).tobytes() for sg in signs[:l - 2]))
            if key not in self._pinv:     # the least-norm step J^T (J J^T)^+ dy, regularised
                if len(self._pinv) > 64:
                    self._pinv.clear()
                J = self.jac(signs, l - 1)
                self._pinv[key] = (J, _inverse(J @ J.T))
            J, G = self._pinv[key]
            xf = xf + J.T @ (G @ dy)
            if not np.isfinite(xf).all():
                return None
        return xf

    def land(self, x: Vec, pre: Preactivations, l: int, k: int, steps: int = 4):
        """Exact Newton steps along one coordinate until $z_{l,k} = 0$ exactly; ``(x, pre)`` or ``None``. A step
        moves the first layer by a multiple of a column of $W_1$ and evaluates the layers above on integers
        (:class:`~semialg.engine.integer_preactivations.IntegerForms`)."""
        for _ in range(steps):
            signs = pre.signs
            if signs[l - 1][k] == 0:
                return (x, pre) if pre.zeros() == 1 else None
            g = self.F[l - 1][0][k] @ (self.jac(signs, l - 1) * (np.array(signs[l - 2]) > 0)[:, None]) \
                if l > 1 else self.F[0][0][k]
            for j in np.argsort(-np.abs(g))[:3]:
                slope = self.forms.slope(signs, l, k, int(j))
                if slope != 0:
                    break
            else:
                return None
            t = -pre.value(l - 1, k) / slope
            j = int(j)
            x = x[:j] + (x[j] + t,) + x[j + 1:]
            pre = self.forms.moved(pre, j, t)
        return None


def kink_peeling_certificate(net: Network, deadline: float | None = None, progress: bool | None = None,
                             seed: int = 0, why: list | None = None) -> KinkPeelingCertificate | None:
    r"""A :class:`KinkPeelingCertificate` that the functional dimension of ``net`` is $\dim\Omega - \#\text{hidden}$,
    or ``None`` (nothing is proven either way; the reason is appended to ``why``).

    Layer by layer, for each neuron: from a base input of a small pool (the first with layer 1 all active), aim in
    floats at the neuron's zero set along the Jacobian of the current piece, pushing up only the neurons of the
    previous layer not yet covered; land exactly by Newton steps along one coordinate (each an exact forward
    pass; crossings are rational); check the point exactly and add it until the neuron's modular system has full
    rank (at most a few attempts). ``deadline`` is a :func:`time.monotonic` value; ``progress`` shows a tqdm bar of
    the neurons (``None``: on a terminal after 2 s). Cost: $O(a\,H\,\dim\Omega)$ exact operations for $H$ hidden
    neurons and $a$ attempts each (typically one or two), plus a rank modulo $p$ of
    $P(m + 1) \times (n_{l-1} + P + 1)$ per neuron, $m \le n_0 + 2$; measured 784-256-256-10 in
    ``benchmarks/bench_local_identifiability.py``.
    """
    from tqdm.auto import tqdm
    why = [] if why is None else why
    if net.depth < 2:
        why.append("kink peeling: no hidden layer")
        return None
    for l in range(1, net.depth):
        if not net.weights[l - 1].nonzero_rows().all():        # vectorised: no rows of rationals (784-4096: 2 s)
            why.append(f"kink peeling: layer {l} has a neuron with a zero weight row (no kink)")
            return None
    try:
        ck = _Checker(net, BLAS_PRIME, seed)
    except CertificateError as e:
        why.append(f"kink peeling: {e}")
        return None
    fd = _Finder(net, seed)
    if not all(np.isfinite(W).all() and np.isfinite(b).all() for W, b in fd.F):
        why.append("kink peeling: parameters beyond the float range (no guidance)")
        return None
    late = (lambda: False) if deadline is None else (lambda: time.monotonic() > deadline)
    kinks: list = []
    with tqdm(total=net.architecture.num_hidden + 1, desc="kink peeling", delay=2, leave=False,
              disable=None if progress is None else not progress) as bar:
        for _ in range(20):
            if len(fd.pool) >= 2 or late():
                break
            fd.grow_pool()
        if not fd.pool:
            why.append("kink peeling: no input without a vanishing hidden pre-activation was found")
            return None
        for l in range(1, net.depth):
            per = []
            first = _first_aims(fd, l, late) if l > 1 else {}
            for k in range(net.widths[l]):
                pts = _neuron(fd, ck, l, k, late, first.get(k))
                if pts is None:
                    why.append("kink peeling: the budget ran out" if late() else
                               f"kink peeling: no set of visible kink points fixes neuron {k} of layer {l}")
                    return None
                per.append(tuple(pts))
                bar.update()
            kinks.append(tuple(per))
        samples = _samples(fd, ck, late)
        if samples is None:
            why.append("kink peeling: the budget ran out" if late() else
                       "kink peeling: the samples do not span the last layer's inputs")
            return None
        bar.update()
    arch = net.architecture
    return KinkPeelingCertificate(tuple(kinks), tuple(samples), arch.num_parameters - arch.num_hidden, BLAS_PRIME, seed)


def _first_aims(fd: _Finder, l: int, late) -> dict:
    """The first attempt of :func:`_neuron` for every neuron of layer ``l``, aimed from the base point with the
    most active neurons of layer $l-1$ and evaluated exactly in one batch: ``{k: (base, x, pre)}``."""
    base = max(range(len(fd.pool)), key=lambda b: (int(np.count_nonzero(fd.pool[b][1].signs[l - 2] > 0)), -b))
    want = set(range(fd.net.widths[l - 1]))
    aimed = {}
    for k in range(fd.net.widths[l]):
        if late():
            break
        xf = fd.aim(base, l, k, want)
        if xf is not None and np.isfinite(xf).all():
            aimed[k] = _rational(xf)
    pre = fd.forms.preactivations(list(aimed.values()))
    return {k: (base, x, z) for (k, x), z in zip(aimed.items(), pre, strict=True)}


def _neuron(fd: _Finder, ck: _Checker, l: int, k: int, late, first=None) -> list[Vec] | None:
    """Kink points of neuron ``k`` of layer ``l`` whose system has full rank, or ``None``; ``first`` is a
    precomputed first attempt ``(base, x, pre)``."""
    net = fd.net
    pts, data = [], []
    uncovered = set(range(net.widths[l - 1])) if l > 1 else set()
    used: set[int] = set()
    for attempt in range(_MAX_ATTEMPTS):
        if late():
            return None
        if len(used) >= len(fd.pool) - 1 and len(fd.pool) < 2 * _MAX_ATTEMPTS:
            fd.grow_pool()
        if l == 1:
            base = attempt % len(fd.pool)
            x, pre = fd.pool[base]
        elif attempt == 0 and first is not None:
            base, x, pre = first
            used.add(base)
        else:
            fresh = [b for b in range(len(fd.pool)) if b not in used] or list(range(len(fd.pool)))
            among = np.array(sorted(uncovered), dtype=np.int64)
            base = max(fresh, key=lambda b: (_on(fd.pool[b][1], l - 1, among), -b)) \
                if uncovered else fresh[int(fd.rng.integers(len(fresh)))]
            used.add(base)
            pick = sorted(uncovered) or list(range(net.widths[l - 1]))
            want = uncovered if uncovered and attempt % 2 == 0 else \
                set() if attempt % 2 == 0 else {pick[int(fd.rng.integers(len(pick)))]}
            xf = fd.aim(base, l, k, want)
            if xf is None or not np.isfinite(xf).all():
                continue
            x = _rational(xf)
            pre = fd.forms.preactivations([x])[0]
        landed = fd.land(x, pre, l, k)
        if landed is None:
            continue
        x, pre = landed
        if x in pts:
            continue
        try:
            item = ck.kink(pre, l, k)
        except CertificateError:
            continue
        pts.append(x)
        data.append(item)
        if l > 1:
            uncovered -= set(np.flatnonzero(pre.signs[l - 2] > 0).tolist())
        try:
            if ck.neuron_rank(l, k, data):
                return pts
        except CertificateError:
            pts.pop()
            data.pop()
    return None


def _on(pre: Preactivations, l: int, among: np.ndarray) -> int:
    """How many of the neurons ``among`` of layer ``l`` are active at the input of ``pre``."""
    return int(np.count_nonzero(pre.signs[l - 1][among] > 0))


def _samples(fd: _Finder, ck: _Checker, late) -> list[Vec] | None:
    """Inputs without a vanishing hidden pre-activation whose rows span the last layer's $n_{L-1} + 1$ inputs:
    pool points, then points aimed to switch on the neurons of layer $L-1$ not yet active at any of them; the
    rank modulo $p$ is taken once they cover that layer, then at doubling sizes."""
    net, L = fd.net, fd.net.depth
    need = net.widths[-2] + 1
    samples, data, uncovered, check = [], [], set(range(net.widths[-2])), 1
    for attempt in range(MAX_POINTS):
        if late():
            return None
        item = None
        if uncovered and attempt % 2 == 1 and L > 1:
            among = np.array(sorted(uncovered), dtype=np.int64)
            base = max(range(len(fd.pool)), key=lambda b: _on(fd.pool[b][1], L - 1, among))
            xf = fd.aim(base, L, None, uncovered) if L > 2 else None
            if xf is not None and np.isfinite(xf).all():
                got = fd.add_pool(xf)
                item = None if got is None else fd.pool[got]
        if item is None:
            while attempt >= len(fd.pool) and fd.grow_pool() is None and not late():
                pass
            item = fd.pool[min(attempt, len(fd.pool) - 1)]
        x, pre = item
        if x in samples:
            continue
        samples.append(x)
        data.append(pre)
        uncovered -= set(np.flatnonzero(pre.signs[L - 2] > 0).tolist())
        if not uncovered and len(data) >= check:
            if ck.last_rank(data) >= need:
                return samples
            check = 2 * len(data)
    return samples if ck.last_rank(data) >= need else None
