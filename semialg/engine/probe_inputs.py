r"""Inputs chosen for the regions they lie in: where the Jacobian rows of :func:`~semialg.engine.jacobian.sampled_batch`
add what random inputs rarely reach (small regions, neurons of one sign at every random input). Floating point only
chooses inputs here; their activation patterns are decided exactly by the caller."""

from __future__ import annotations

import random
from typing import Sequence

import numpy as np
from flint import fmpq

from semialg.core.exact import interval_point
from semialg.core.network import Network

__all__ = ["flipping_inputs", "line_inputs", "rare_inputs"]

Vec = tuple[fmpq, ...]


def line_inputs(net: Network, lines: int, rng: random.Random, deadline: float,
                 bases: Sequence[Vec] = ()) -> list[Vec]:
    """One rational input inside every piece of ``lines`` random lines (until ``deadline``): the pieces are those
    of the network's exact restriction, so a line yields an input in every region it crosses. Every other line
    passes through one of ``bases`` (when given): a line through an input of a small region crosses the regions
    around it, which random lines rarely reach."""
    from semialg.engine.line import restrict
    d, out = net.architecture.input_dim, []
    for j in range(lines):
        scale = 4 ** rng.randint(0, 2)
        point = (rng.choice(bases) if bases and j % 2 == 0
                 else tuple(fmpq(rng.randint(-64 * scale, 64 * scale), 64) for _ in range(d)))
        direction = tuple(fmpq(rng.randint(-64, 64), 64) for _ in range(d))
        r = restrict(net, point, direction, deadline=deadline) if any(direction) else None
        if r is None:
            return out
        edges = (None, *r.breakpoints, None)
        out.extend(r.at(interval_point(lo, hi)) for lo, hi in zip(edges, edges[1:]))
    return out


def rare_inputs(net: Network, used: Sequence[Vec], rare: float = 0.25) -> list[Vec]:
    r"""The inputs of ``used`` where some hidden neuron has the sign it has at fewer than a fraction ``rare`` of
    them (float pre-activations: this only chooses inputs), e.g. where the second layer of a bottleneck network is
    active on a small set. Cost: one float forward pass of the inputs."""
    fl = net.float_layers()
    if not used or not all(np.isfinite(W).all() and np.isfinite(b).all() for W, b in fl):
        return []
    X = np.array([[float(t) for t in x] for x in used])
    picked = np.zeros(len(used), dtype=bool)
    for Z in net.float_preactivations(X)[:-1]:
        on = Z > 0
        share = on.mean(axis=0)
        picked |= (on & (share < rare)).any(axis=1) | (~on & (share > 1 - rare)).any(axis=1)
    return [used[i] for i in np.flatnonzero(picked)]


def flipping_inputs(net: Network, used: Sequence[Vec], rng: random.Random, steps: int = 60,
                     around: int = 3) -> list[Vec]:
    r"""Candidate inputs where a hidden neuron with one sign $s$ at every input of ``used`` has the other: from the
    input where $s z$ is least, Newton steps on the local affine piece of its pre-activation $z$ (a numeric
    descent, which only chooses inputs), then ``around`` inputs close by. Cost: $O(\mathrm{steps}\cdot\dim\Omega)$
    flops per such neuron."""
    fl = net.float_layers()
    if not used or not all(np.isfinite(W).all() and np.isfinite(b).all() for W, b in fl):
        return []
    X = np.array([[float(t) for t in x] for x in used])
    noise = np.random.default_rng(rng.randrange(2 ** 32))
    out = []
    for l, Z in enumerate(net.float_preactivations(X)[:-1]):
        for i in range(Z.shape[1]):
            s = 1 if (Z[:, i] > 0).all() else -1 if (Z[:, i] < 0).all() else 0
            if not s:
                continue
            x = X[int(np.argmin(s * Z[:, i]))].copy()
            for _ in range(steps):
                z, g = _preactivation_gradient(fl, x, l, i)
                if s * z < 0:
                    break
                gg = float(g @ g)
                x = (x + noise.standard_normal(len(x)) * (1 + np.abs(x).max()) if gg == 0
                     else x - (z + s * (0.1 * abs(z) + 0.1)) / gg * g)     # aim a little past z = 0
            else:
                continue
            size = 1e-3 * (1 + np.abs(x).max())
            for y in [x] + [x + noise.standard_normal(len(x)) * size for _ in range(around)]:
                out.append(tuple(fmpq(int(round(t * 2 ** 20)), 2 ** 20) for t in y))
    return out


def _preactivation_gradient(fl, x: np.ndarray, l: int, i: int) -> tuple[float, np.ndarray]:
    """The float pre-activation of neuron ``i`` of hidden layer ``l`` at ``x`` and its gradient in ``x``."""
    J, a = np.eye(len(x)), x
    for m, (W, b) in enumerate(fl[:l + 1]):
        z = W @ a + b
        if m == l:
            return float(z[i]), W[i] @ J
        on = z > 0
        J, a = (W @ J) * on[:, None], np.where(on, z, 0.0)
