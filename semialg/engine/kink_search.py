r"""Finding the kink points and samples of a kink-peeling certificate
(:mod:`~semialg.engine.kink_peeling`): aim in floats (guidance only), land exactly.

From a base input of a small pool, a neuron's zero set is aimed at along the Jacobian of the current piece, pushing
up the neurons of the previous layer not yet active at its kink points; the point is rounded to a dyadic grid and
moved exactly onto the zero set by Newton steps along one coordinate (each an exact forward pass on integers,
:class:`~semialg.engine.integer_preactivations.IntegerForms`; crossings are rational), else by bisection towards
a point of the opposite sign. When a neuron's points fall short of its rank, more are bisected between two points
where a neuron of the previous layer has a chosen sign (off for one active at every point so far, on for one whose
weight is seen at none), found by :meth:`KinkFinder.seek`, :meth:`KinkFinder.into` and, in thin regions, a walk
over the pieces guided by float LPs (:meth:`KinkFinder.walk`). Weights still seen at no kink point are pinned by
the next layer (:class:`Pins`, step 5 of the certificate). Every decision is the checker's (``ck``, the modular
data of :mod:`~semialg.engine.kink_peeling`: its ``kink``, ``neuron_rank``, ``last_rank``, ``witness``,
``pinned``, ``off``, ``silent`` and ``live``), never a float.
"""

from __future__ import annotations

import numpy as np
from flint import fmpq

from semialg.core.grid_point import grid_points
from semialg.core.network import Network
from semialg.engine.integer_preactivations import IntegerForms, Preactivations
from semialg.errors import CertificateError
from semialg.geometry.polyhedron import max_margin

__all__ = ["KinkFinder", "first_aims", "neuron_kinks", "more_kinks", "last_layer_samples", "more_samples", "Pins",
           "more_pins", "pin_bases", "MAX_POINTS", "MAX_FREE", "MAX_WITNESSES"]

Vec = tuple[fmpq, ...]
#: At most this many distinct kink points per neuron, and samples, are read by ``verify`` (a cap against forgeries).
MAX_POINTS = 64
#: At most this many weights of a layer seen at no kink point (step 5), and witnesses pinning them, in a certificate:
#: a cap against forgeries (the coupled system has their number of columns).
MAX_FREE, MAX_WITNESSES = 64, 16
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
        self.rng, self.seed = np.random.default_rng(seed), seed
        self.pool: list[tuple[Vec, Preactivations]] = []     # (x, exact pre-activations), no hidden zero
        self._pinv: dict = {}
        self._sought: set = set()

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

    def exact(self, x: np.ndarray) -> tuple[Vec, Preactivations] | None:
        """``x`` rounded to the grid with its exact pre-activations, unless one vanishes (but the ``zeros``)."""
        xr = _rational(x)
        pre = self.forms.preactivations([xr])[0]
        return None if pre.zeros() > self.zeros else (xr, pre)

    def add_pool(self, x: np.ndarray) -> int | None:
        got = self.exact(x)
        if got is None:
            return None
        self.pool.append(got)
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
        return self.add_pool(self._random(1, self.rng)[0])

    def _random(self, count: int, rng: np.random.Generator) -> np.ndarray:
        """``count`` random float inputs at the scales of the pool's."""
        W1, b1 = self.F[0]
        reach = (float(np.median(np.abs(b1))) + 1.0) / (float(np.median(np.abs(W1))) + 1e-9)
        x = rng.standard_normal((count, W1.shape[1])) * reach * 2.0 ** rng.integers(-2, 5, (count, 1))
        return x / max(1.0, np.sqrt(W1.shape[1]) / 4)

    def seek(self, l: int, k: int, sign: int, count: int = 2048,
             where: tuple[int, int] | None = None) -> tuple[Vec, Preactivations] | None:
        """A new pool point where $z_{l,k}$ has the sign ``sign`` (and, with ``where`` $= (j, s)$, neuron $j$ of
        layer $l - 1$ the sign $s$; both checked exactly), among ``count`` random inputs sorted by their float
        margin (guidance only), once per neuron, sign and ``where``; or ``None``. Cost: a float forward pass of
        ``count`` inputs and at most 4 exact ones. Without ``where`` the points tried join the pool."""
        if (l, k, sign, where) in self._sought:
            return None
        self._sought.add((l, k, sign, where))
        stream = [self.seed, l, k, sign + 1] + ([] if where is None else [where[0] + 1, where[1] + 1])
        X = self._random(count, np.random.default_rng(stream))      # the pool's stream untouched
        with np.errstate(all="ignore"):
            a, zs = X.T, []
            for W, b in self.F[:l]:
                zs.append(W @ a + b[:, None])
                a = np.maximum(zs[-1], 0)
            margin = sign * zs[-1][k]
            if where is not None:       # both margins, each relative to its spread
                other = where[1] * zs[-2][where[0]]
                margin = np.minimum(margin / (np.abs(margin).mean() + 1e-300), other / (np.abs(other).mean() + 1e-300))
        targets = [(l, k, sign)] + ([] if where is None else [(l - 1, where[0], where[1])])
        for i in np.argsort(-margin)[:8 if where is not None else 4]:
            x = X[i] if margin[i] > 0 else self.into(X[i], targets) if where is not None else None
            if x is None or (got := self.exact(x)) is None:
                continue
            if where is None:
                self.pool.append(got)
            if all(got[1].signs[a - 1][b] == c for a, b, c in targets):
                return got
        return None

    def into(self, x: np.ndarray, targets: list[tuple[int, int, int]], rounds: int = 8) -> np.ndarray | None:
        """A float input near ``x`` where every neuron $(l, k)$ of ``targets`` has its sign (float guidance only):
        least-norm steps through the gradients of the current piece (re-linearised each round), else
        :meth:`walk`; or ``None``."""
        with np.errstate(all="ignore"):
            start = x
            for _ in range(rounds):
                pre = self.float_pre(x)
                vals = np.array([s * pre[l - 1][k] for l, k, s in targets])
                if (vals > 0).all():
                    return x
                signs = [np.sign(z).astype(int) for z in pre[:-1]]
                G = np.array([s * self.jac(signs, l)[k] for l, k, s in targets])
                scale = np.abs(vals).max() + 1e-9
                goal = np.where(vals < 0.1 * scale, 0.1 * scale - vals, 0.0)
                x = x + G.T @ (_inverse(G @ G.T) @ goal)
                if not np.isfinite(x).all():
                    break
            return self.walk(start, targets)

    def walk(self, x: np.ndarray, targets: list[tuple[int, int, int]], rounds: int = 32) -> np.ndarray | None:
        """A float input where every neuron of ``targets`` has its sign, by a walk over the pieces from the one of
        ``x``: on a piece (the targets' own signs imposed) the pre-activations are affine, and a float LP
        (:func:`~semialg.geometry.polyhedron.max_margin`) maximises the least margin of the targets and of the
        piece's inequalities; short of a positive one, the piece inequality with the largest multiplier is flipped
        (to a piece not seen yet). Only the targets' layers and those below are read. Cost: at most ``rounds``
        LPs in $n_0 + 1$ variables over the hidden neurons below the deepest target."""
        L = max(l for l, _, _ in targets)
        signs = [np.where(z > 0, 1, -1) for z in self.float_pre(x)[:L - 1]]
        for l, k, s in targets:
            if l < L:
                signs[l - 1][k] = s
        aimed = {(l, k) for l, k, _ in targets}
        d, seen = len(x), set()
        box = 1e4 * (1 + np.abs(x).max())
        for _ in range(rounds):
            seen.add(b"".join(sg.tobytes() for sg in signs))
            J, c, rows, offsets, who = self.F[0][0], self.F[0][1], [], [], []
            for l in range(1, L + 1):
                if l > 1:
                    on = signs[l - 2] > 0
                    J, c = self.F[l - 1][0] @ (J * on[:, None]), self.F[l - 1][0] @ (c * on) + self.F[l - 1][1]
                for l2, k, s in targets:
                    if l2 == l:
                        rows.append(s * J[k])
                        offsets.append(s * c[k])
                        who.append(None)
                if l < L:
                    keep = [i for i in range(len(c)) if (l, i) not in aimed]
                    rows.extend(signs[l - 1][keep, None] * J[keep])
                    offsets.extend(signs[l - 1][keep] * c[keep])
                    who.extend((l, i) for i in keep)
            G = np.vstack([np.array(rows), np.eye(d), -np.eye(d)])
            h = np.concatenate([offsets, np.full(2 * d, box)])
            norms = np.linalg.norm(G, axis=1)
            norms[norms == 0] = 1.0
            with np.errstate(all="ignore"):
                solved = max_margin(G / norms[:, None], h / norms)
            if solved is None or not np.isfinite(solved[1]).all():
                return None
            t, y, multipliers = solved
            if t > 0:
                return y
            if multipliers is None:
                return None
            for i in np.argsort(-np.asarray(multipliers[:len(who)], dtype=float)).tolist():
                if who[i] is None or not multipliers[i] > 0:
                    continue
                l, k = who[i]
                nxt = [sg.copy() for sg in signs]
                nxt[l - 1][k] *= -1
                if b"".join(sg.tobytes() for sg in nxt) not in seen:
                    signs = nxt
                    break
            else:
                return None
        return None

    def aim(self, base: int, l: int, k: int | None, want: set, rounds: int = 6,
            off: frozenset = frozenset()) -> np.ndarray | None:
        """A float input near ``pool[base]`` on the zero set of $z_{l,k}$ (``k=None``: anywhere) with the neurons
        ``want`` of layer $l-1$ switched on and ``off`` switched off: move $z_{l-1}$ by least-norm steps through the
        Jacobian of the current piece (a few rounds, re-linearised); without either, the shortest step on the
        piece."""
        with np.errstate(all="ignore"):
            return self._aim(base, l, k, want, rounds, off)

    def _aim(self, base: int, l: int, k: int | None, want: set, rounds: int, off: frozenset) -> np.ndarray | None:
        xf = np.array([float(v) for v in self.pool[base][0]])
        for _ in range(rounds):
            pre = self.float_pre(xf)
            signs = [np.sign(z).astype(int) for z in pre[:-1]]
            y0 = pre[l - 2]
            if k is not None and not want and not off:
                w, b = self.F[l - 1][0][k], self.F[l - 1][1][k]
                g = w @ (self.jac(signs, l - 1) * (y0 > 0)[:, None])
                return xf - (w @ np.maximum(y0, 0) + b) * g / (g @ g) if g @ g else None
            y = y0.copy()
            margin = float(np.median(np.abs(y0))) + 1e-9
            if want:
                on = np.fromiter(want, np.int64, len(want))
                y[on] = np.where(margin > y[on], margin, y[on])        # max(y, margin), NaN as Python's max
            if off:
                down = np.fromiter(off, np.int64, len(off))
                y[down] = np.where(-margin < y[down], -margin, y[down])
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

    def aim_exactly(self, base: int, l: int, k: int, want: set,
                    off: frozenset = frozenset()) -> tuple[Vec, Preactivations] | None:
        """:meth:`aim`, rounded to the grid and evaluated exactly: ``(x, pre)`` or ``None``."""
        xf = self.aim(base, l, k, want, off=off)
        if xf is None or not np.isfinite(xf).all():
            return None
        x = _rational(xf)
        return x, self.forms.preactivations([x])[0]

    def opposite(self, x: Vec, pre: Preactivations, l: int, k: int,
                 origin: tuple[Vec, Preactivations] | None) -> tuple[Vec, Preactivations] | None:
        """A point where $z_{l,k}$ has the sign opposite to its sign at ``x``: the ``origin`` of an aim at its zero
        set, the aim pushed as far again beyond ``x``, a random pool point, or one sought (:meth:`seek`); ``None``:
        none of them."""
        s = int(pre.signs[l - 1][k])
        if not s:
            return None
        if origin is not None:
            beyond = tuple(2 * v - o for v, o in zip(x, origin[0], strict=True))
            for y, q in (origin, (beyond, self.forms.preactivations([beyond])[0])):
                if q.signs[l - 1][k] == -s:
                    return y, q
        opposite = [b for b, (_, q) in enumerate(self.pool) if q.signs[l - 1][k] == -s]
        return self.pool[opposite[int(self.rng.integers(len(opposite)))]] if opposite else self.seek(l, k, -s)

    def bisect(self, a: tuple[Vec, Preactivations], b: tuple[Vec, Preactivations] | None, l: int, k: int,
               steps: int = 64) -> tuple[Vec, Preactivations] | None:
        """An exact zero of $z_{l,k}$ on the segment from ``a`` to ``b`` (where it has opposite signs): halve it on
        dyadic parameters until the layers below $l$ have one pattern, without zeros, at both ends — each of their
        pre-activations is then affine on the segment, inductively, so the pattern is constant and $z_{l,k}$
        affine on it — and interpolate. Cost: at most ``steps`` exact forward passes."""
        if b is None or a[1].signs[l - 1][k] * b[1].signs[l - 1][k] >= 0:
            return None
        (xa, lo_pre), (xb, hi_pre) = a, b
        d = [q - v for v, q in zip(xa, xb, strict=True)]

        def at(t: fmpq) -> tuple[Vec, Preactivations]:
            x = tuple(v + t * dv for v, dv in zip(xa, d))
            return x, self.forms.preactivations([x])[0]

        lo, hi = fmpq(0), fmpq(1)
        for _ in range(steps):
            if all((lo_pre.signs[i] == hi_pre.signs[i]).all() and lo_pre.signs[i].all() for i in range(l - 1)):
                za, zb = lo_pre.value(l - 1, k), hi_pre.value(l - 1, k)
                got = at(lo + (hi - lo) * za / (za - zb))
                return got if got[1].signs[l - 1][k] == 0 else None
            mid = (lo + hi) / 2
            x, pre = at(mid)
            s = pre.signs[l - 1][k]
            if s == 0:
                return x, pre
            if s == lo_pre.signs[l - 1][k]:
                lo, lo_pre = mid, pre
            else:
                hi, hi_pre = mid, pre
        return None

    def beside(self, x: Vec, l: int, k: int) -> tuple[Vec, Preactivations] | None:
        """A point of the pool just off the kink point ``x`` of neuron ``k`` of layer ``l``, on the side where it is
        active (steps $2^{-e}$ along its float gradient, checked exactly), or ``None``."""
        pre = self.forms.preactivations([x])[0]
        g = self.jac(pre.signs, l)[k]
        if not (g @ g > 0 and np.isfinite(g).all()):
            return None
        step = _rational(g / np.abs(g).max())
        for e in range(4, 44, 4):
            y = tuple(v + fmpq(1, 2 ** e) * s for v, s in zip(x, step, strict=True))
            q = self.forms.preactivations([y])[0]
            if q.signs[l - 1][k] > 0 and q.zeros() <= self.zeros:
                self.pool.append((y, q))
                return y, q
        return None

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


def neuron_kinks(fd: KinkFinder, ck, l: int, k: int, late, first=None):
    """``(points, pre-activations, free)``: kink points of neuron ``k`` of layer ``l`` whose system has full rank
    but for the ``free`` weights from neurons of layer $l - 1$ active at none of them (step 5 of
    :mod:`~semialg.engine.kink_peeling`; ``()`` unless 16 attempts leave some), or ``None``; ``first`` is a
    precomputed first attempt ``(base, x, pre)``. Cost: at most 16 attempts, each a float aim, a few exact Newton
    steps ($O(\\dim\\Omega)$ on integers) and a rank modulo $p$ of the neuron's system."""
    net = fd.net
    pts, data, best = [], [], None
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
            pick = sorted(uncovered) or list(range(net.widths[l - 1]))
            want = uncovered if uncovered and attempt % 2 == 0 else \
                set() if attempt % 2 == 0 else {pick[int(fd.rng.integers(len(pick)))]}
            # from the base with most of the wanted neurons on (one wanted: a random base where it is on)
            among = np.array(sorted(want or uncovered), dtype=np.int64)
            counts = [_on(fd.pool[b][1], l - 1, among) for b in fresh]
            hits = [b for b, c in zip(fresh, counts) if c]
            if not uncovered:
                base = fresh[int(fd.rng.integers(len(fresh)))]
            elif len(want) == 1 and hits:
                base = hits[int(fd.rng.integers(len(hits)))]
            else:
                base = fresh[counts.index(max(counts))]
            used.add(base)
            got = fd.aim_exactly(base, l, k, want)
            x, pre = got if got is not None else fd.pool[base]
        free = _add_kink(fd, ck, l, k, x, pre, pts, data, fd.pool[base])
        if free is False:
            continue
        if l > 1:
            uncovered -= set(np.flatnonzero(pre.signs[l - 2] > 0).tolist())
        if free is not None:
            best = (list(pts), list(data), free)
            if not free:
                return best
    rng = np.random.default_rng([fd.seed, l, k])
    for _ in range(_MAX_ATTEMPTS if l > 1 and (best is None or best[2]) else 0):
        # Short of rank: neurons of layer l - 1 active at every kink point have affine functions on their pieces, and
        # a relation among them (as soon as more than n_0 in layer 1) stays in the system's kernel until a point
        # has one off. Free weights: a point with their neuron on. Both by bisection, within that neuron's sign.
        if best is None:
            js, s = np.flatnonzero(np.logical_and.reduce([pre.signs[l - 2] > 0 for pre in data])).tolist() \
                if data else [], -1
        else:
            js, s = list(best[2]), 1
        if late() or not js or (ends := _across(fd, l, k, js, s, rng)) is None:
            break
        landed = fd.bisect(*ends, l, k)
        free = False if landed is None else _add_kink(fd, ck, l, k, *landed, pts, data)
        if free is not False and free is not None:
            best = (list(pts), list(data), free)
            if not free:
                break
    return best


def _across(fd: KinkFinder, l: int, k: int, js: list[int], s: int, rng: np.random.Generator):
    """Two points where one of the neurons ``js`` of layer $l - 1$ has the sign ``s`` and $z_{l,k}$ opposite
    signs (pool points, else sought, not kept), to bisect between for a kink point with that sign; or ``None``. For
    $l = 2$ the segment stays in the neuron's half-space. Draws from ``rng``, so that the pool and its stream are as
    without it. Cost: at most two :meth:`KinkFinder.seek` per neuron of ``js``."""
    for j in rng.permutation(js).tolist():
        ends = []
        for sign in (1, -1):
            hits = [b for b, (_, pre) in enumerate(fd.pool)
                    if pre.signs[l - 2][j] == s and pre.signs[l - 1][k] == sign]
            got = fd.pool[hits[int(rng.integers(len(hits)))]] if hits else fd.seek(l, k, sign, where=(j, s))
            if got is None:
                break
            ends.append(got)
        else:
            return ends
    return None


def _add_kink(fd: KinkFinder, ck, l: int, k: int, x: Vec, pre: Preactivations, pts: list, data: list,
              origin: tuple[Vec, Preactivations] | None = None):
    """Land ``x`` (aimed from ``origin``) on the zero set of neuron ``k`` of layer ``l`` (Newton steps, else
    bisection towards a point of the opposite sign, :meth:`KinkFinder.opposite`) and append it to ``pts`` and
    ``data`` if it is a new kink point whose system keeps its rank: ``False`` if not, else the free set of
    ``neuron_rank`` (``None``: rank not reached yet)."""
    landed = fd.land(x, pre, l, k)
    if landed is None and l > 1:
        landed = fd.bisect((x, pre), fd.opposite(x, pre, l, k, origin), l, k)
    if landed is None or landed[0] in pts:
        return False
    try:
        item = ck.kink(landed[1], l, k)
    except CertificateError:
        return False
    pts.append(landed[0])
    data.append(item)
    try:
        return ck.neuron_rank(l, k, data)
    except CertificateError:
        pts.pop()
        data.pop()
        return False


def more_kinks(fd: KinkFinder, ck, l: int, k: int, want: set, pts: list, data: list, bases: list[int]) -> bool:
    """One more kink point of neuron ``k`` of layer ``l`` appended to its ``pts`` and ``data`` (aimed from a random
    one of the pool's ``bases`` with the neurons ``want`` of layer $l - 1$ on), if one lands and its system keeps
    the rank it had (step 5: for the free weights of layer $l - 1$). Cost: one float aim, a few exact Newton steps
    and a rank modulo $p$."""
    if len(pts) >= MAX_POINTS or not bases:
        return False
    base = bases[int(fd.rng.integers(len(bases)))]
    got = fd.aim_exactly(base, l, k, want)
    if got is None:
        return False
    free = _add_kink(fd, ck, l, k, *got, pts, data, fd.pool[base])
    if free is None:
        pts.pop()
        data.pop()
    return free is not None and free is not False


def _on(pre: Preactivations, l: int, among: np.ndarray) -> int:
    """How many of the neurons ``among`` of layer ``l`` are active at the input of ``pre``."""
    return int(np.count_nonzero(pre.signs[l - 1][among] > 0))


def last_layer_samples(fd: KinkFinder, ck, late, kinks=()) -> tuple[list[Vec], list[Preactivations]] | None:
    """``(samples, pre-activations)``: inputs without a vanishing hidden pre-activation (but zero neurons') whose
    rows span the last layer's $n_{L-1} + 1 - |O_{L-1}|$ live inputs: pool points, then points just off the
    ``kinks`` of the neurons of layer $L-1$ not yet active at any of them (:meth:`KinkFinder.beside`), or aimed to
    switch them on; the rank modulo $p$ is taken once they cover that
    layer, then at doubling sizes. Cost: at most :data:`MAX_POINTS` exact forward passes and $O(\\log)$ ranks
    modulo $p$."""
    L = fd.net.depth
    need = ck.live(L - 1) + 1
    samples, data, uncovered, check, tried = [], [], _can_be_on(ck, L - 1), 1, set()
    for attempt in range(MAX_POINTS):
        if late():
            return None
        item = None
        near = [k for k in sorted(uncovered) if k < len(kinks) and kinks[k] and k not in tried]
        if uncovered and attempt % 2 == 1 and near:
            tried.add(near[0])
            item = fd.beside(kinks[near[0]][0], L - 1, near[0])
        if item is None and uncovered and attempt % 2 == 1 and L > 1:
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
                return samples, data
            check = 2 * len(data)
    return (samples, data) if ck.last_rank(data) >= need else None


def more_samples(fd: KinkFinder, samples: list[Vec], data: list[Preactivations], want: set, bases: list[int],
                 count: int, late) -> None:
    """Up to ``count`` more samples appended to ``samples`` and ``data``: points aimed from a random one of the
    pool's ``bases`` to switch on the neurons ``want`` of layer $L - 1$, alternately random pool points (for the
    free weights of step 5). Cost: ``count`` float aims and exact forward passes."""
    for attempt in range(count):
        if late():
            return
        got = None
        if attempt % 2 == 0 and fd.net.depth > 2 and bases:
            xf = fd.aim(bases[int(fd.rng.integers(len(bases)))], fd.net.depth, None, want)
            if xf is not None and np.isfinite(xf).all():
                got = fd.add_pool(xf)
        if got is None:
            got = fd.grow_pool()
        if got is not None and fd.pool[got][0] not in samples:
            samples.append(fd.pool[got][0])
            data.append(fd.pool[got][1])


class Pins:
    """Step 5 while searching: the witnesses of the free entries ``E`` of layer ``l``, chosen greedily from the
    neurons of layer $l + 1$ (the output's rows): one joins if the coupled system then fixes more of ``E``."""

    def __init__(self, ck, l: int, E: list):
        self.ck, self.l, self.E = ck, l, E
        self.items: list = []
        self.chosen: list[int] = []
        self.rank = 0

    @property
    def done(self) -> bool:
        return self.rank == len(self.E)

    def offer(self, m: int, data: list[Preactivations]) -> None:
        if self.done or len(self.chosen) >= MAX_WITNESSES:
            return
        item = self.ck.witness(self.l, m, data, self.E)
        if not item[1].any():
            return
        try:
            r = self.ck.pinned(self.E, self.items + [item])
        except CertificateError:        # the coupled system over its size cap
            return
        if r > self.rank:
            self.items.append(item)
            self.chosen.append(m)
            self.rank = r


def more_pins(fd: KinkFinder, ck, pin: Pins, pts: list, data: list, late) -> Pins:
    """Step 5 when the kink points of layer $l + 1$ (``pin.l = l``) do not pin the free weights of layer $l$: a
    round at a time, one more kink point for each neuron reading them (at most 32), aimed with their neurons of
    layer $l$ on from pool points where a neuron of layer $l - 1$ they read is on, until they pin (at most 4
    rounds). Cost: at most 128 attempts of :func:`more_kinks` and a coupled rank per neuron a round."""
    l, ks = pin.l + 1, sorted({k for k, _ in pin.E})
    readers = [m for m in range(ck.net.widths[l]) if data[m] and ck.layers[l - 1][0][m][ks].any()][:32]
    for _ in range(4):
        for _ in range(4):
            fd.grow_pool()
        bases = pin_bases(fd, pin)
        if not any([more_kinks(fd, ck, l, m, set(ks), pts[m], data[m], bases) for m in readers if not late()]):
            break
        pin = Pins(ck, pin.l, pin.E)
        for m in range(ck.net.widths[l]):
            if data[m]:
                pin.offer(m, data[m])
        if pin.done:
            break
    return pin


def pin_bases(fd: KinkFinder, pin: Pins) -> list[int]:
    """The pool points where a neuron of layer $l - 1$ that a free weight of layer $l$ (``pin.l``) reads is on."""
    js = np.array(sorted({j for _, j in pin.E}), dtype=np.int64)
    return [b for b, (_, pre) in enumerate(fd.pool) if (pre.signs[pin.l - 2][js] > 0).any()]
