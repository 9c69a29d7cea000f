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
:class:`~semialg.engine.jacobian.LocalRankCertificate`.

4. *Silent neurons.* Let $O$ be the hidden neurons off on every input by their signs or zero
   (:func:`~semialg.engine.neurons.off_masks`) and $S \supseteq O$ the *silent* ones
   (:func:`~semialg.engine.neurons.silent_masks`: off, or every non-zero outgoing weight reaches a silent
   neuron). The coordinates $C$ — the rows and biases of silent neurons, the outgoing weights of off ones — are
   flat directions (:mod:`~semialg.engine.flat_directions`), so a kernel direction minus its components on $C$
   is one too; subtract them before each layer. Off neurons output $0$ near every point (a zero neuron's
   pre-activation vanishes everywhere, and may at kink points and samples: it is off on both sides), so their
   columns drop out: a neuron's system needs rank $n_{l-1} - |O_{l-1}| + P$, the samples
   $n_{L-1} + 1 - |O_{L-1}|$; a silent neuron needs no kink point (its row is in $C$; a non-silent neuron has
   weight $0$ from a silent one, and its system fixes that entry too). The kernel is then spanned by $C$ and
   the rescaling fields of the neurons outside $S$, independent (from the first layer on, only a neuron's own
   field reaches its row outside $C$, which is not zero), so the functional dimension is
   $\dim\Omega - |C| - \#(\text{hidden} \setminus S)$ (not a local identifiability when $S \ne \emptyset$:
   a silent row is free).

5. *Weights seen at no kink point.* If a neuron $j$ of layer $l - 1 \ge 1$, not off, is active at none of the kink
   points of neuron $k$ of layer $l$ (as when $z_{l,k} > 0$ wherever $z_{l-1,j} > 0$), its columns in step 2
   vanish and the system fixes the row only up to the *free* entries $F_k$: for rank
   $n_{l-1} - |O_{l-1}| - |F_k| + P$ the solutions are $u = s\,\mathrm{row} + \sum_{j \in F_k} \varepsilon_{kj} e_j$.
   Gauged as in step 2, $\delta' W_l$ is then the matrix $\mathcal{E}$ of the free entries $E = \{(k, j)\}$ of
   layer $l$, and near a kink point $x_p$ of neuron $m$ of layer $l + 1$ (patterns below it constant)
   $\delta' z_{l+1,m}(x) = u \cdot (h_l(x), 1) + W_{l+1}[m,:] D_l \mathcal{E} h_{l-1}(x)$: step 2's equations
   gain, for each $(k, j) \in E$, the column $W_{l+1}[m, k]\,[z_{l,k}(x_p) > 0]$ times $(J'_p R)_{j,:}$ and
   $h_{l-1,j}(x_p)$, where $J'_p = D_{l-1} W_{l-1} \cdots D_1 W_1$ (at the output, step 3's rows of output
   $m$). The certificate's ``pins[l-1]`` names neurons of layer $l + 1$ (rows of the output) whose systems,
   coupled through $\varepsilon$, have rank modulo $p$ the sum of their own ranks plus $|E|$: their known
   kernel vectors (each row with $\mu = 1$, the free and off columns) all have $\varepsilon = 0$ and span the
   rational kernel, so $\varepsilon = 0$ and the peeling goes on as before.

This is a **sufficient** condition only: a neuron whose kinks are hidden (positive nowhere on the image of the
earlier layers, or switched off by the next layer everywhere it bends) yields no certificate, which proves
nothing.

>>> from semialg.core.network import Network
>>> net = Network.random((6, 4, 3, 2), seed=5)
>>> cert = kink_peeling_certificate(net)
>>> cert.dimension, cert.verify(net)
(44, True)
>>> kink_peeling_certificate(Network.random((3, 4, 4, 2), seed=1)) is None    # functional dimension 37 < 38
True
>>> layers = [[list(r) for r in W] for W in net.weights]
>>> layers[2] = [[0] + r[1:] for r in layers[2]]          # the first neuron of layer 2 reaches no output: silent
>>> cert = kink_peeling_certificate(Network.from_arrays(layers, [list(b) for b in net.biases]))
>>> cert.dimension, cert.silent                           # 51 parameters - 5 (its row) - 6 rescalings
(40, 1)
"""

from __future__ import annotations

import operator
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from flint import fmpq, fmpz, nmod_mat

from semialg.core.modular import BLAS_PRIME, matmul_mod, rank_mod_small
from semialg.core.network import Network
from semialg.core.result import Result
from semialg.engine.integer_preactivations import IntegerForms, Preactivations
from semialg.engine.jacobian import layers_mod
from semialg.engine.kink_search import (MAX_FREE, MAX_POINTS, MAX_WITNESSES, KinkFinder, Pins, first_aims,
                                        last_layer_samples, more_pins, more_samples, neuron_kinks, pin_bases)
from semialg.engine.neurons import off_masks, silent_masks
from semialg.core.certificate import refusing_malformed
from semialg.errors import CertificateError

__all__ = ["KinkPeelingCertificate", "kink_peeling_certificate", "MAX_POINTS", "PEEL_FIRST", "MAX_FREE",
           "MAX_WITNESSES"]

Vec = tuple[fmpq, ...]
_P, _Q = operator.attrgetter("p"), operator.attrgetter("q")
#: Above this many parameters ``functional_dimension`` and ``identifiable`` try kink peeling before the Jacobian's
#: rank: it answers or gives up in 0.05-0.25 s from a few hundred to a few thousand parameters (it stops at the first
#: neuron it cannot fix), where the Jacobian's rows take 0.4-28 s (``benchmarks/bench_local_identifiability.py``);
#: below, the Jacobian is as fast (3-8-8-1: 0.04 s).
PEEL_FIRST = 400


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
        self.off = off_masks(net)
        self.silent = silent_masks(net, self.off)
        self.zero = net.zero_neurons()
        self.nzero = int(sum(m.sum() for m in self.zero))      # pre-activations 0 everywhere, allowed to vanish
        self._W1R: dict[int, np.ndarray] = {}
        self._full: dict = {}
        self._live: np.ndarray | None = None

    def dimension(self) -> int:
        """$\\dim\\Omega - |C| - \\#(\\text{hidden} \\setminus S)$ (step 4 of the module docstring)."""
        widths, hidden = self.net.widths, len(self.silent)
        flat = 0
        for l in range(1, hidden + 1):
            reading = widths[l + 1] - (int(self.silent[l].sum()) if l < hidden else 0)
            flat += int(self.silent[l - 1].sum()) * (widths[l - 1] + 1) + int(self.off[l - 1].sum()) * reading
        return self.net.architecture.num_parameters - flat - sum(int((~S).sum()) for S in self.silent)

    def live(self, l: int) -> int:
        """How many neurons of hidden layer ``l`` are not off (the columns of the systems of layer $l + 1$)."""
        return self.net.widths[l] - int(self.off[l - 1].sum())

    def sample(self, pre: Preactivations, where: str) -> Preactivations:
        """Check that no hidden pre-activation but a zero neuron's vanishes at a sample; returns ``pre``."""
        if pre.zeros() > self.nzero:
            raise CertificateError(f"{where}: a hidden pre-activation vanishes at a sample")
        return pre

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

    def JR(self, signs, l: int, below: bool = False):
        """$J R_l = D_{l-1} W_{l-1} \\cdots D_1 W_1 R_l$ modulo $p$ for the patterns ``signs``; with ``below``, also
        $D_{l-2} W_{l-2} \\cdots D_1 W_1 R_l$ (the same $R_l$ one layer lower; $l \\ge 3$)."""
        M, low = self.W1R(l), None
        for i in range(1, l):
            M = M * (np.array(signs[i - 1]) > 0)[:, None]
            if i < l - 1:
                low = M
                M = matmul_mod(self.layers[i][0], M, self.p)
        return (M, low) if below else M

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
            raise CertificateError(f"neuron {k + 1} of layer {l} is {_short(pre.value(l - 1, k))}, not 0, at a kink "
                                   "point")
        if pre.zeros() > 1 + self.nzero:
            i, j = next((i, j) for i, layer in enumerate(signs[:-1]) for j in np.flatnonzero(layer == 0).tolist()
                        if (i, j) != (l - 1, k) and not self.zero[i][j])
            raise CertificateError(f"at a kink point of neuron {k + 1} of layer {l} neuron {j + 1} of layer {i + 1} "
                                   "vanishes too")
        if not self.c_nonzero(signs, l, k):
            raise CertificateError(f"at a kink point of neuron {k + 1} of layer {l} the output does not see the neuron "
                                   "(c = 0 modulo p)")
        return pre

    def system(self, l: int, k: int, data: list[Preactivations]) -> tuple[np.ndarray, bool, int]:
        """Step 2's matrix in $(u, \\mu_1..\\mu_P)$ at the kink points ``data`` (their exact pre-activations) of
        neuron ``k`` of layer $l \\ge 2$ (per point, the rows $((J_q R)^T, -\\mu_q e_q)$ and $((h, 1), 0)$), whether
        one point alone has full rank, and an upper bound on its rank; raises if $z_{l,k}$ is constant at one."""
        p, n = self.p, self.net.widths[l - 1]
        w = self.layers[l - 1][0][k]
        P = len(data)
        blocks, full, bound = [], False, 0
        for q, pre in enumerate(data):
            JR = self.JR(pre.signs, l)                      # n x m
            mu = w @ JR % p                                 # row_w^T J R
            if not mu.any():
                raise CertificateError(f"neuron {k + 1} of layer {l} is constant near a kink point (modulo p)")
            full = full or self.full_rank(pre.signs, l, JR)
            B = np.zeros((JR.shape[1] + 1, n + 1 + P), dtype=np.int64)
            B[:-1, :n] = JR.T
            B[:-1, n + 1 + q] = (-mu) % p
            B[-1, :n + 1] = self.h_mod(pre, l)
            blocks.append(B)
            # the block's rows (J_q R)^T [I | -w] have the rank of J_q R, at most the active neurons of every layer
            # below l; with the row (h, 1), one more
            bound += min(int(np.count_nonzero(np.asarray(sg) > 0)) for sg in pre.signs[:l - 1]) + 1
        return np.concatenate(blocks), full, bound

    def unseen(self, l: int, data: list[Preactivations]) -> tuple[int, ...]:
        """The neurons of layer $l - 1$ not off and active at none of the points ``data``: their columns of step 2's
        system vanish, so their weights into layer $l$ are free there (step 5)."""
        seen = self.off[l - 2].copy()
        for pre in data:
            seen |= np.asarray(pre.signs[l - 2]) > 0
        return tuple(np.flatnonzero(~seen).tolist())

    def neuron_rank(self, l: int, k: int, data: list[Preactivations]) -> tuple[int, ...] | None:
        """Step 2: the free set $F$ (:meth:`unseen`; ``()`` when the row is fixed up to scale) if the system at the
        kink points ``data`` has rank $n_{l-1} - |O_{l-1}| - |F| + P$ modulo $p$, else ``None``; raises if
        $z_{l,k}$ is constant at one."""
        if l == 1:     # J = I: (u - mu row) . (e_j, 0) = 0 and u . (x_p, 1) = 0 always have rank n_0 + 1
            if not self.live_rows()[k]:
                raise CertificateError(f"neuron {k + 1} of layer 1 has a zero weight row")
            return ()
        A, full, bound = self.system(l, k, data)
        # one point with rank J_p R = n suffices: its rows (J_p R, 0), (h, 1) have rank n + 1, so u = mu_p row, and
        # every other point gives (mu_p - mu_q) row_w^T J_q R = 0 with row_w^T J_q R != 0 (checked above)
        if full:
            return ()
        free = self.unseen(l, data)
        need = self.live(l - 1) - len(free) + len(data)
        return free if bound >= need and tall_rank(A, self.p, self.seed) == need else None

    def full_rank(self, signs, l: int, JR: np.ndarray) -> bool:
        """Whether $J R_l$ at the patterns ``signs`` of layers $< l$ has rank $n_{l-1} - |O_{l-1}|$ modulo $p$ (its
        rows of off neurons are $0$; cached per pattern). $J = D_{l-1} W_{l-1} \\cdots D_1 W_1$ has rank at most the
        number of active neurons of each layer below $l$: when one has fewer, no rank is taken (a rank of
        256 x 258 was 35 ms, once per sample)."""
        active = [np.asarray(sg) > 0 for sg in signs[:l - 1]]
        key = (l, b"".join(a.tobytes() for a in active))
        if key not in self._full:
            live = self.live(l - 1)
            self._full[key] = live <= JR.shape[1] and min(int(a.sum()) for a in active) >= live \
                and rank_mod_small(JR, self.p) == live
        return self._full[key]

    def sample_rows(self, data: list[Preactivations]) -> np.ndarray:
        """Step 3's matrix: per sample, the rows $((J_s R)^T, 0)$ and $(h_{L-1}(x_s), 1)$."""
        L, rows = self.net.depth, []
        for pre in data:
            JR = self.JR(pre.signs, L)
            rows.append(np.concatenate([JR.T, np.zeros((JR.shape[1], 1), dtype=np.int64)], axis=1))
            rows.append(self.h_mod(pre, L)[None, :])
        return np.concatenate(rows)

    def last_rank(self, data: list[Preactivations]) -> int:
        """Step 3: the rank modulo $p$ of :meth:`sample_rows` at the samples."""
        L = self.net.depth
        if any(self.full_rank(pre.signs, L, self.JR(pre.signs, L)) for pre in data):
            return self.live(L - 1) + 1     # with the row (h, 1): rank n_{L-1} - |O_{L-1}| + 1
        return tall_rank(self.sample_rows(data), self.p, self.seed) if data else 0

    def witness(self, l: int, m: int, data: list[Preactivations], E: list[tuple[int, int]]):
        """Step 5: ``(A, B, need)`` for neuron ``m`` of layer $l + 1$ at its kink points ``data`` (row ``m`` of the
        output at the samples when $l = L - 1$): its system $A$ (rank ``need``), and the columns $B$ of the free
        entries ``E`` $= [(k, j)]$ of layer $l$ — $W_{l+1}[m, k]\\,[z_{l,k} > 0]$ times the rows of $J' R$ and
        $h_{l-1}$ at neuron $j$ of layer $l - 1$."""
        lam, p = l + 1, self.p
        if lam == self.net.depth:
            A, need = self.sample_rows(data), self.live(l) + 1
        else:
            A, need = self.system(lam, m, data)[0], self.live(l) - len(self.unseen(lam, data)) + len(data)
        ks, js = (np.array(v, dtype=np.int64) for v in zip(*E))
        blocks = []
        for pre in data:
            JR, low = self.JR(pre.signs, lam, below=True)
            coef = self.layers[lam - 1][0][m][ks] * (np.asarray(pre.signs[l - 1])[ks] > 0) % p
            blocks.append(np.concatenate([low[js].T * coef % p, (self.h_mod(pre, l)[js] * coef % p)[None]]))
        return A, np.concatenate(blocks), need

    def pinned(self, E: list, witnesses: list) -> int:
        """Step 5: how many dimensions of the free entries ``E`` the coupled system of the ``witnesses``
        (:meth:`witness`) fixes: its rank modulo $p$ minus their ranks."""
        cols, rows = sum(A.shape[1] for A, _, _ in witnesses), sum(A.shape[0] for A, _, _ in witnesses)
        if rows * (cols + len(E)) > 2 ** 24:         # 128 MiB: a cap against forged pins
            raise CertificateError(f"the pins' coupled system would have {rows} x {cols + len(E)} entries, over 2^24")
        M = np.zeros((rows, cols + len(E)), dtype=np.int64)
        r = c = 0
        for A, B, _ in witnesses:
            M[r:r + len(A), c:c + A.shape[1]] = A
            M[r:r + len(A), cols:] = B
            r, c = r + len(A), c + A.shape[1]
        return tall_rank(M, self.p, self.seed) - sum(need for _, _, need in witnesses)


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


def _check_pins(ck: _Checker, l: int, E: list, chosen, data: list) -> None:
    """Step 5 in ``verify``: the neurons ``chosen`` of layer $l + 1$ (rows of the output), at their points ``data``,
    fix the free entries ``E`` of layer ``l``."""
    if not isinstance(chosen, (tuple, list)):
        raise CertificateError(f"the pins of layer {l} are not a list of neurons: {_short(chosen)}")
    if not E:
        if chosen:
            raise CertificateError(f"layer {l} has no free weight to pin")
        return
    if len(E) > MAX_FREE:
        raise CertificateError(f"layer {l} has more than {MAX_FREE} weights seen at no kink point")
    width, last = ck.net.widths[l + 1], l + 1 == ck.net.depth
    if not 0 < len(chosen) <= MAX_WITNESSES or any(type(m) is not int or not 0 <= m < width for m in chosen) or \
            len(set(chosen)) != len(chosen):
        raise CertificateError(f"the pins of layer {l} are not 1 to {MAX_WITNESSES} distinct neurons of layer {l + 1}")
    if not last and any(ck.silent[l][m] for m in chosen):
        raise CertificateError(f"a pin of layer {l} is a silent neuron of layer {l + 1}")
    got = ck.pinned(E, [ck.witness(l, m, data if last else data[m], E) for m in chosen])
    if got < len(E):
        raise CertificateError(f"the pins of layer {l} fix {got} of its {len(E)} weights seen at no kink point")


@dataclass(frozen=True)
class KinkPeelingCertificate(Result):
    r"""The functional dimension is $\dim\Omega - \#\text{hidden}$ (and $\theta$ is locally identifiable), by
    kink peeling (see the module docstring); with silent neurons, it is $\dim\Omega - |C| - \#(\text{hidden}
    \setminus S)$ (step 4) and nothing is said of identifiability.

    ``kinks[l-1][k]`` are rational kink points of neuron $k$ of layer $l$ (none for a silent neuron); ``samples``
    rational inputs with no hidden pre-activation zero but a zero neuron's (for the last layer); ``prime`` and
    ``seed`` fix the modular rank checks; ``pins[l-1]`` (``()``: none anywhere) the neurons of layer $l + 1$ (rows
    of the output) whose coupled systems fix the weights of layer $l$ seen at no kink point (step 5; at most
    :data:`MAX_FREE` of them and :data:`MAX_WITNESSES` pins a layer).
    ``verify(net)`` re-evaluates every point exactly, rebuilds every system modulo ``prime`` and checks every
    rank; it raises :class:`~semialg.errors.CertificateError` on any failure or malformed content (repeated
    points count once; at most :data:`MAX_POINTS` distinct points per neuron and samples). Cost of ``verify``:
    one exact forward pass per point plus, per neuron of layer $l \ge 2$, a rank modulo $p$ of
    $P(m + 1) \times (n_{l-1} + 1 + P)$, and per pinned layer one of the pins' systems side by side.
    """

    kinks: tuple
    samples: tuple
    dimension: int
    prime: int = BLAS_PRIME
    seed: int = 0
    pins: tuple = ()

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
        ck = _Checker(net, p, seed)
        claim = ck.dimension()
        if type(self.dimension) is not int or self.dimension != claim:
            arch = net.architecture
            raise CertificateError(f"the claimed dimension {_short(self.dimension)} is not " + (
                "dim Omega - #hidden" if claim == arch.num_parameters - arch.num_hidden else
                "dim Omega - |C| - #(hidden not silent)") + f" = {claim}")
        layers = []
        for l, per in enumerate(self.kinks, start=1):
            if not isinstance(per, (tuple, list)) or len(per) != widths[l]:
                raise CertificateError(f"layer {l} needs kink points for its {widths[l]} neurons")
            layers.append([_distinct(pts, n0, f"neuron {k + 1} of layer {l}") for k, pts in enumerate(per)])
        samples = _distinct(self.samples, n0, "samples")
        flat = [x for per in layers for pts in per for x in pts] + samples
        pre = iter(IntegerForms(net).preactivations(flat))
        data, free = [], []
        for l, per in enumerate(layers, start=1):
            data.append([])
            free.append([])
            for k, pts in enumerate(per):
                data[-1].append([])
                if ck.silent[l - 1][k]:
                    if pts:
                        raise CertificateError(f"neuron {k + 1} of layer {l} is silent: it takes no kink point")
                    continue
                if not pts:
                    raise CertificateError(f"neuron {k + 1} of layer {l} has no kink point")
                data[-1][-1] = [ck.kink(next(pre), l, k) for _ in pts]
                F = ck.neuron_rank(l, k, data[-1][k])
                if F is None:
                    raise CertificateError(f"the kink points of neuron {k + 1} of layer {l} do not fix its row up to "
                                           "scale (rank modulo p too small)")
                free[-1].extend((k, j) for j in F)
        data.append([ck.sample(next(pre), "samples") for _ in samples])
        got, need = ck.last_rank(data[-1]), ck.live(net.depth - 1) + 1
        if got < need:
            raise CertificateError(f"the samples span {got} < {need} dimensions for the last layer")
        pins = self.pins or ((),) * (net.depth - 1)
        if not isinstance(pins, (tuple, list)) or len(pins) != net.depth - 1:
            raise CertificateError(f"the pins need one entry for each of the {net.depth - 1} hidden layers")
        for l, (E, chosen) in enumerate(zip(free, pins, strict=True), start=1):
            _check_pins(ck, l, E, chosen, data[l])
        return True

    @property
    def silent(self) -> int:
        """How many hidden neurons are silent (they take no kink point)."""
        return sum(1 for per in self.kinks for pts in per if not pts)

    @property
    def proves_local_identifiability(self) -> bool:
        """Whether the certificate (once verified) proves local identifiability: no neuron is silent."""
        return self.silent == 0

    @property
    def num_points(self) -> int:
        return sum(len(pts) for per in self.kinks for pts in per)

    def describe(self) -> str:
        pins = sum(map(len, self.pins))
        pinned = (f"; weights seen at no kink point pinned by {pins} neuron{'s' if pins > 1 else ''} of the next "
                  "layer") if pins else ""
        if self.silent:
            return (f"kink peeling: {self.num_points} kink points fix the row of every hidden neuron but {self.silent} "
                    f"silent ones up to scale and {len(self.samples)} samples the last layer (ranks modulo "
                    f"{self.prime}{pinned}); no derivative reads the silent rows nor the outgoing weights of off "
                    f"neurons: functional dimension {self.dimension} (a sufficient condition)")
        return (f"kink peeling: {self.num_points} kink points fix every hidden neuron's row up to scale and "
                f"{len(self.samples)} samples the last layer (ranks modulo {self.prime}{pinned}): functional "
                f"dimension {self.dimension} = dim Omega - #hidden, near the parameter the fibre is the G-orbit "
                "(a sufficient condition)")

    def to_json(self) -> dict:
        pts = [[[[str(v) for v in x] for x in per_n] for per_n in per] for per in self.kinks]
        return {"type": "KinkPeelingCertificate", "dimension": self.dimension, "prime": self.prime,
                "seed": self.seed, "kinks": pts, "samples": [[str(v) for v in x] for x in self.samples],
                "pins": [list(c) for c in self.pins]}


def kink_peeling_certificate(net: Network, deadline: float | None = None, progress: bool | None = None,
                             seed: int = 0, why: list | None = None,
                             silent: bool = True) -> KinkPeelingCertificate | None:
    r"""A :class:`KinkPeelingCertificate` that the functional dimension of ``net`` is $\dim\Omega - \#\text{hidden}$,
    or, with silent neurons (``silent=False``: none allowed), $\dim\Omega - |C| - \#(\text{hidden} \setminus S)$;
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
    try:
        ck = _Checker(net, BLAS_PRIME, seed)
    except CertificateError as e:
        why.append(f"kink peeling: {e}")
        return None
    for l in range(1, net.depth):
        if not (net.weights[l - 1].nonzero_rows() | ck.silent[l - 1]).all():    # vectorised: no rows of rationals
            why.append(f"kink peeling: layer {l} has a neuron with a zero weight row (no kink)")
            return None
        if not silent and ck.silent[l - 1].any():
            first = int(np.argmax(ck.silent[l - 1])) + 1
            why.append(f"kink peeling: neuron {first} of layer {l} is silent (no derivative reads "
                       "its row)")
            return None
    fd = KinkFinder(net, seed, ck.nzero)
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
        pins = [Pins(ck, 1, [])]
        for l in range(1, net.depth):
            per, datas, E, pin = [], [], [], pins[-1]
            first = first_aims(fd, ck, l, late) if l > 1 else {}
            for k in range(net.widths[l]):
                if ck.silent[l - 1][k]:
                    per.append([])
                    datas.append([])
                    bar.update()
                    continue
                got = neuron_kinks(fd, ck, l, k, late, first.get(k))
                if got is None:
                    why.append("kink peeling: the budget ran out" if late() else
                               f"kink peeling: no set of visible kink points fixes neuron {k + 1} of layer {l}")
                    return None
                pts, data, free = got
                E.extend((k, j) for j in free)
                if len(E) > MAX_FREE:
                    why.append(f"kink peeling: more than {MAX_FREE} weights of layer {l} are seen at no kink point")
                    return None
                pin.offer(k, data)
                per.append(pts)
                datas.append(data)
                bar.update()
            if not pin.done:
                pin = more_pins(fd, ck, pin, per, datas, late)
            if not pin.done:
                return _unpinned(why, pin)
            kinks.append(tuple(map(tuple, per)))
            pins.append(Pins(ck, l, E))
        got = last_layer_samples(fd, ck, late, kinks[-1])
        if got is None:
            why.append("kink peeling: the budget ran out" if late() else
                       "kink peeling: the samples do not span the last layer's inputs")
            return None
        samples, data = got
        E = pins[-1].E
        for i in range(net.widths[-1]):
            pins[-1].offer(i, data)
        while not pins[-1].done and len(samples) < MAX_POINTS and not late():
            before = len(samples)
            more_samples(fd, samples, data, {k for k, _ in E}, pin_bases(fd, pins[-1]),
                         min(8, MAX_POINTS - len(samples)), late)
            if len(samples) == before:
                break
            pins[-1] = Pins(ck, net.depth - 1, E)
            for i in range(net.widths[-1]):
                pins[-1].offer(i, data)
        if not pins[-1].done:
            return _unpinned(why, pins[-1])
        bar.update()
    chosen = tuple(tuple(pin.chosen) for pin in pins[1:])
    return KinkPeelingCertificate(tuple(kinks), tuple(samples), ck.dimension(), BLAS_PRIME, seed,
                                  chosen if any(chosen) else ())


def _unpinned(why: list, pin: Pins) -> None:
    k, j = pin.E[0]
    why.append(f"kink peeling: {len(pin.E) - pin.rank} of the {len(pin.E)} weights of layer {pin.l} seen at no kink "
               f"point (such as neuron {k + 1}'s from neuron {j + 1} of layer {pin.l - 1}) are fixed by no kink point "
               f"of layer {pin.l + 1}" + (" nor sample" if pin.l + 1 == pin.ck.net.depth else ""))
