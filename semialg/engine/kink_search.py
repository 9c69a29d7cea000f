r"""Finding the kink points and samples of a kink-peeling certificate
(:mod:`~semialg.engine.kink_peeling`): aim in floats (guidance only), land exactly.

From a base input of a small pool, a neuron's zero set is aimed at along the Jacobian of the current piece, pushing
up the neurons of the previous layer not yet active at its kink points; the point is rounded to a dyadic grid and
moved exactly onto the zero set by Newton steps along one coordinate (each an exact forward pass on integers,
:class:`~semialg.engine.integer_preactivations.IntegerForms`; crossings are rational). Every decision is the
checker's (``ck``, the modular data of :mod:`~semialg.engine.kink_peeling`: its ``kink``, ``neuron_rank``,
``last_rank``, ``off``, ``silent`` and ``live``), never a float.
"""

from __future__ import annotations

import numpy as np
from flint import fmpq

from semialg.core.grid_point import grid_points
from semialg.core.network import Network
from semialg.engine.integer_preactivations import IntegerForms, Preactivations
from semialg.errors import CertificateError

__all__ = ["KinkFinder", "first_aims", "neuron_kinks", "last_layer_samples", "MAX_POINTS"]

Vec = tuple[fmpq, ...]
#: At most this many distinct kink points per neuron, and samples, are read by ``verify`` (a cap against forgeries).
MAX_POINTS = 64
_MAX_ATTEMPTS = 16      # kink searches per neuron before giving up
_ROUND = 2 ** 14        # aimed points are rounded to this dyadic grid


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


class KinkFinder:
    """Float aiming (guidance only) and exact landing on kink points, from a pool of base inputs (``pool``: exact
    points with no vanishing hidden pre-activation but the ``zeros`` that vanish everywhere)."""

    def __init__(self, net: Network, seed: int, zeros: int = 0):
        self.net, self.zeros = net, zeros          # zeros: how many pre-activations vanish everywhere
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
        if pre.zeros() > self.zeros:
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
                return (x, pre) if pre.zeros() == 1 + self.zeros else None
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


def _can_be_on(ck, l: int) -> set[int]:
    """The neurons of hidden layer ``l`` that are not off (the ones worth switching on)."""
    return set(np.flatnonzero(~ck.off[l - 1]).tolist())


def first_aims(fd: KinkFinder, ck, l: int, late) -> dict:
    """The first attempt of :func:`neuron_kinks` for every neuron of layer ``l`` but the silent ones, aimed from
    the base point with the most active neurons of layer $l-1$ and evaluated exactly in one batch:
    ``{k: (base, x, pre)}``. Cost: one float aim ($O(\\dim\\Omega)$ a round) per neuron, one exact batch."""
    base = max(range(len(fd.pool)), key=lambda b: (int(np.count_nonzero(fd.pool[b][1].signs[l - 2] > 0)), -b))
    want = _can_be_on(ck, l - 1)
    aimed = {}
    for k in np.flatnonzero(~ck.silent[l - 1]).tolist():
        if late():
            break
        xf = fd.aim(base, l, k, want)
        if xf is not None and np.isfinite(xf).all():
            aimed[k] = _rational(xf)
    pre = fd.forms.preactivations(list(aimed.values()))
    return {k: (base, x, z) for (k, x), z in zip(aimed.items(), pre, strict=True)}


def neuron_kinks(fd: KinkFinder, ck, l: int, k: int, late, first=None) -> list[Vec] | None:
    """Kink points of neuron ``k`` of layer ``l`` whose system has full rank, or ``None``; ``first`` is a
    precomputed first attempt ``(base, x, pre)``. Cost: at most 16 attempts, each a float aim, a few exact Newton
    steps ($O(\\dim\\Omega)$ on integers) and a rank modulo $p$ of the neuron's system."""
    net = fd.net
    pts, data = [], []
    uncovered = _can_be_on(ck, l - 1) if l > 1 else set()
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


def last_layer_samples(fd: KinkFinder, ck, late) -> list[Vec] | None:
    """Inputs without a vanishing hidden pre-activation (but zero neurons') whose rows span the last layer's
    $n_{L-1} + 1 - |O_{L-1}|$ live inputs: pool points, then points aimed to switch on the neurons of layer $L-1$
    not yet active at any of them; the rank modulo $p$ is taken once they cover that layer, then at doubling
    sizes. Cost: at most :data:`MAX_POINTS` exact forward passes and $O(\\log)$ ranks modulo $p$."""
    L = fd.net.depth
    need = ck.live(L - 1) + 1
    samples, data, uncovered, check = [], [], _can_be_on(ck, L - 1), 1
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
