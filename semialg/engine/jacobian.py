r"""The Jacobian of a network's output in its parameters: exact rows at an input (backpropagation in
rationals), over batches, their rank modulo a prime at random inputs, and a labelled numeric twin.

On a linear region the network is a polynomial in its parameters, so the rows at an input off every bent
hyperplane are derivatives of that polynomial. :func:`~semialg.engine.functional_dimension.functional_dimension` and the
local dimension bounds of :mod:`semialg.engine.tangent` take ranks of these rows.

>>> from semialg.core.network import Network
>>> parameter_jacobian(Network.from_arrays([[[2]], [[3]]], [[1], [0]]), [1])     # 3 s(2x + 1): d/d(w, b, a, c)
[(3, 3, 3, 1)]
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from typing import Callable, NamedTuple, Sequence

import numpy as np
from flint import fmpq, fmpq_mat

from semialg.core.exact import to_vector
from semialg.core.grid_point import GridPoint, grid_points
from semialg.core.modular import (BLAS_PRIME, RANK_MOD_SPEED, balanced, matmul_balanced, matmul_mod, rank_mod,
                                  rank_mod_fits, rank_mod_seconds, residues)
from semialg.core.network import Network
from semialg.core.result import Result
from semialg.engine.probe_inputs import flipping_inputs, line_inputs, rare_inputs
from semialg.errors import CertificateError, ParameterError, UndecidedError, check_budget, check_deadline

Vec = tuple[fmpq, ...]
Pattern = tuple[tuple[int, ...], ...]

_ZERO = fmpq(0)
_MIX_ROWS = 2048    # rows collected before they are folded into the random combinations (one BLAS product)
#: Seconds a rank modulo p may run past a deadline (one predicted to end later is not begun).
RANK_GRACE = 0.1
_ROWS = 1 << 22     # entries of the modular Jacobian rows computed together (32 MB)

__all__ = ["parameter_jacobian", "jacobian_mod", "jacobians_mod", "layers_mod", "batch_jacobian", "jacobian_gram_mod",
           "sampled_batch", "SampledBatch", "sampled_rank_reaches", "blocks_rank_mod", "jacobian_rank_mod", "numeric_jacobian",
           "PATIENCE", "estimate_functional_dimension", "SVD_ENTRIES", "LocalRankCertificate"]


def parameter_jacobian(net: Network, x, pattern: Pattern | None = None) -> list[Vec]:
    """The Jacobian $\\partial f_\\theta(x) / \\partial\\theta$: one row per output, columns in the order of
    :meth:`Network.parameters`.

    ``pattern`` fixes the activation pattern (default: the pattern at ``x``, neurons at $0$ counted off),
    so the result is the derivative of the polynomial map that ``net`` equals on that region. Exact
    backpropagation; cost $O(k \\dim\\Omega)$.

    >>> net = Network.from_arrays([[[2]], [[3]]], [[1], [0]])           # 3 s(2x + 1)
    >>> parameter_jacobian(net, [1])                                     # d/d(w, b, a, c)
    [(3, 3, 3, 1)]
    """
    x = to_vector(x, net.architecture.input_dim, where="x")
    if pattern is None:
        pattern = net.activation_pattern(x)
    acts = [fmpq_mat(len(x), 1, list(x))]
    for l, (W, b) in enumerate(net._mats[:-1]):
        z = W * acts[-1] + b
        acts.append(fmpq_mat(z.nrows(), 1, [z[i, 0] if pattern[l][i] > 0 else _ZERO for i in range(z.nrows())]))
    k = net.architecture.output_dim
    delta = fmpq_mat(k, k, [fmpq(int(i == j)) for i in range(k) for j in range(k)])  # column o: output o
    blocks = []
    for l in range(net.depth - 1, -1, -1):
        a = acts[l]
        # d f_o / d W_l[i, j] = delta[i, o] a[j];  d f_o / d b_l[i] = delta[i, o]
        blocks.append([[delta[i, o] * a[j, 0] for i in range(delta.nrows()) for j in range(a.nrows())]
                       + [delta[i, o] for i in range(delta.nrows())] for o in range(k)])
        if l:
            back = net._mats[l][0].transpose() * delta
            delta = fmpq_mat(back.nrows(), k, [back[i, o] if pattern[l - 1][i] > 0 else _ZERO
                                               for i in range(back.nrows()) for o in range(k)])
    blocks.reverse()
    return [tuple(v for block in blocks for v in block[o]) for o in range(k)]


def layers_mod(net: Network, p: int = BLAS_PRIME) -> list[tuple[np.ndarray, np.ndarray]] | None:
    r"""Every layer's $(W_l, b_l)$ as residues modulo $p$ (``int64``), or ``None`` when $p$ divides a denominator.
    Cost: $O(\dim\Omega)$."""
    out = []
    for W, b in zip(net.weights, net.biases, strict=True):
        Wr, br = residues(W, p), residues([b], p)
        if Wr is None or br is None:
            return None
        out.append((Wr, br[0]))
    return out


def jacobian_mod(layers: list[tuple[np.ndarray, np.ndarray]], x, pattern: Pattern,
                 p: int = BLAS_PRIME, first: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray | None:
    r"""The rows of :func:`parameter_jacobian` modulo $p$ (``int64``, $k \times \dim\Omega$) from the residues of
    :func:`layers_mod`, for an activation ``pattern`` decided exactly; ``None`` when $p$ divides a denominator of
    ``x``: :func:`jacobians_mod` at one input. With ``first`` $= (i, T)$ the first layer's $n_1(n_0 + 1)$
    columns give way to $m$ derivatives along directions of single rows: column $j$ moves row $i_j$ of
    $(W_1 \mid b_1)$ along $T_j$ (residues, $m \times (n_0 + 1)$), $\delta_{i_j}\,T_j\cdot(x, 1)$ — the Jacobian
    times a basis of a subspace of the parameters, as when rows are kept on their lines
    (:mod:`~semialg.families.bottleneck.kink_quotient`). Cost: $O(k\dim\Omega)$ vectorised; with ``first`` the
    first layer's $O(kn_1n_0)$ becomes $O(km + mn_0)$.

    >>> net = Network.from_arrays([[[2]], [[3]]], [[1], [0]])           # 3 s(2x + 1): d/d(w, b, a, c) at x = 1
    >>> jacobian_mod(layers_mod(net), [1], net.activation_pattern([1])).tolist()
    [[3, 3, 3, 1]]
    >>> along = (np.array([0]), np.array([[2, 1]]))                     # the row (w, b) scaled: 3 s(2x + 1) again
    >>> jacobian_mod(layers_mod(net), [1], net.activation_pattern([1]), first=along).tolist()
    [[9, 3, 1]]
    """
    rows = jacobians_mod(layers, [x], [pattern], p, first)
    return None if rows is None else rows[0]


def jacobians_mod(layers: list[tuple[np.ndarray, np.ndarray]], X: Sequence, patterns: Sequence[Pattern],
                  p: int = BLAS_PRIME, first: tuple[np.ndarray, np.ndarray] | None = None,
                  floats: tuple | None = None, mix: np.ndarray | None = None) -> np.ndarray | None:
    r""":func:`jacobian_mod` at every input of ``X`` (with its exact ``patterns``) as one $N \times k \times w$
    array: the backpropagation of :func:`_factors` for all inputs at once, each layer one exact product modulo
    $p$ (:func:`~semialg.core.modular.matmul_balanced`, float64 BLAS) instead of a product of ``int64`` arrays per
    input (784-4096-1-10 with ``first``: about 1 ms an input in batches of 32, against 5.7 ms one by one); ``None``
    when $p$ divides a denominator of an input. ``floats``: the :func:`balanced_layers` of ``layers`` and
    ``first``, made once by a caller that calls again. ``mix`` ($N \times m \times k$ integers): instead, the $m$
    combinations $\text{mix}_x J_x$ of each input's rows, backpropagated from the start (784-4096-1-10, one
    combination of 10 outputs: a tenth of the work). Memory: $O(Nkw)$ (callers bound their batches by
    :data:`_ROWS` entries). Cost: $O(N\dim\Omega + Nk\sum_l n_ln_{l+1})$ in BLAS plus the $Nkw$ entries.

    >>> net = Network.from_arrays([[[2]], [[3]]], [[1], [0]])
    >>> jacobians_mod(layers_mod(net), [[1], [-1]], [((1,),), ((-1,),)]).tolist()    # off at x = -1: only c
    [[[3, 3, 3, 1]], [[0, 0, 0, 1]]]
    """
    Xr = residues(X if all(type(x) is GridPoint for x in X) else [list(x) for x in X], p)
    if Xr is None:
        return None
    Ws, directions = floats if floats is not None else balanced_layers(layers, p, first)
    n, k = len(Xr), layers[-1][0].shape[0]
    m = k if mix is None else mix.shape[1]
    masks = [np.array([pattern[l] for pattern in patterns]).reshape(n, -1) > 0 for l in range(len(layers) - 1)]
    blocks = []
    for l, A, E in _factors([(W, b) for W, (_, b) in zip(Ws, layers, strict=True)], Xr, masks,
                            lambda A, B: matmul_balanced(balanced(A, p), B, p), lambda Y: Y % p,
                            None if mix is None else mix.reshape(n * m, k) % p):
        if l == 0 and first is not None:
            rows, T = first
            along = (matmul_balanced(balanced(Xr, p), directions, p) + T[:, -1]) % p
            blocks.append(E[:, rows] * np.repeat(along, m, axis=0) % p)
            continue
        A = np.repeat(A, m, axis=0)
        blocks.append(np.concatenate([(E[:, :, None] * A[:, None, :]).reshape(n * m, -1) % p, E], axis=1))
    return np.concatenate(blocks[::-1], axis=1).reshape(n, m, -1)


def balanced_layers(layers: list[tuple[np.ndarray, np.ndarray]], p: int = BLAS_PRIME,
                    first: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[list, np.ndarray | None]:
    """The weights of :func:`layers_mod` as :func:`~semialg.core.modular.balanced` residues, and the directions
    of ``first`` (transposed, without their last column): what :func:`jacobians_mod` multiplies by. Cost:
    $O(\\dim\\Omega)$ vectorised."""
    return [balanced(W, p) for W, _ in layers], None if first is None else balanced(first[1][:, :-1].T, p)


def blocks_rank_mod(blocks: list, deadline: float | None = None, known: int = 0) -> int:
    r"""The rank modulo :data:`~semialg.core.modular.BLAS_PRIME` of stacked residue blocks (0 if there are none or one
    is missing: a denominator divisible by $p$ makes the modular bound useless, never wrong). When the rank is predicted
    to end more than a tenth of a second past ``deadline`` (a :func:`time.monotonic` value; $rc\min(r, c)$ multiply-adds
    at :data:`~semialg.core.modular.RANK_MOD_SPEED`) it is not taken, and when it is still running a tenth of a second
    past it, it is given up; then ``known`` (a lower bound found before, such as :attr:`SampledBatch.rank`) is returned.
    Cost: one rank modulo $p$ of the stacked matrix (BLAS), or $O(1)$.

    >>> from semialg.core.modular import residues
    >>> blocks_rank_mod([residues([[1, 2]]), residues([[2, 4]]), residues([[0, 1]])])
    2
    >>> blocks_rank_mod([residues([[1, 2]])], deadline=0.0, known=1)      # a deadline long passed
    1
    """
    if not blocks or any(b is None for b in blocks):
        return 0
    late = math.inf if deadline is None else deadline + RANK_GRACE
    rows, cols = sum(b.shape[0] for b in blocks), blocks[0].shape[1]
    if time.monotonic() + rows * cols * min(rows, cols) / RANK_MOD_SPEED > late:
        return known
    found = rank_mod(np.vstack(blocks), deadline=late)
    return known if found is None else found


def sampled_rank_reaches(net: Network, bound: int, extra_rows=(), deadline: float | None = None) -> bool:
    r"""Whether the Jacobian rows of ``net`` at random rational inputs off every bent hyperplane, together with
    ``extra_rows``, have rank at least ``bound`` modulo :data:`~semialg.core.modular.BLAS_PRIME` — a proof that
    their exact rank is (a rank modulo $p$ never exceeds the rational one). ``False`` says nothing. Stops at
    ``deadline`` (a :func:`time.monotonic` value). Cost: that of the sampled batch of
    :func:`~semialg.engine.functional_dimension.functional_dimension`.

    >>> sampled_rank_reaches(Network.from_arrays([[[2]], [[3]]], [[1], [0]]), 3)       # a s(wx + b) + c
    True
    """
    if bound <= 0:
        return True
    extra = residues(extra_rows) if len(extra_rows) else None
    if len(extra_rows) and extra is None:
        return False
    return sampled_batch(net, bound, extra=extra, deadline=deadline).reached


#: the chosen inputs of :func:`sampled_batch` get this many times the random ones' time
PATIENCE = 8
#: ... and at least this many seconds: a window of a few hundredths of a second would make the answer depend on
#: the machine's load
MIN_PATIENCE = 1.0


class SampledBatch(NamedTuple):
    """What :func:`sampled_batch` found: the ``inputs``, their activation ``patterns``, residue ``blocks`` whose
    row space lies in that of the inputs' Jacobian rows, whether the ``bound`` was ``reached``, and the largest
    ``rank`` taken (0 if none was): a lower bound on the rank of the inputs' Jacobian rows that costs nothing once
    a deadline has passed."""

    inputs: tuple[Vec, ...]
    patterns: set
    blocks: list
    reached: bool
    rank: int


_CHUNK = 32      # random inputs of sampled_batch whose patterns are decided together


def sampled_batch(net: Network, bound: int, seed: int = 0, extra: np.ndarray | None = None,
                  deadline: float | None = None,
                  first: tuple[np.ndarray, np.ndarray] | None = None,
                  per_input: int | None = None,
                  keep: Callable[[np.ndarray], np.ndarray] | None = None,
                  gain: float | None = None, zero_off: bool = False) -> SampledBatch:
    r"""Jacobian rows (modulo :data:`~semialg.core.modular.BLAS_PRIME`) at rational inputs off every bent
    hyperplane. The rank on any batch is a lower bound on the functional dimension, so reaching the proven upper
    bound decides it without enumerating regions.

    *Random inputs* first: the rank is checked at $2^i\lceil\mathrm{bound}/k\rceil$ inputs, $i \le 4$, and this
    stops early when the recent growth of the rank cannot close the gap in the doublings left. Small regions
    (a second-layer neuron active on a small set only) are rarely hit by random inputs, so, short of the bound,
    *inputs chosen for their regions* follow, for at most :data:`PATIENCE` times the time the random ones took,
    or :data:`MIN_PATIENCE` seconds if longer (the region enumeration they spare costs far more; rounds stop when
    the rank stops growing): inputs
    where a hidden neuron has the sign it never had at the random inputs (first round only: a numeric descent
    on its pre-activation chooses them, their patterns are then decided exactly), one in every piece of
    $8, 16, 32, 64$ random lines (the exact breakpoints of :func:`~semialg.engine.line.restrict`: a line meets
    small regions as often as large ones it passes), every other one through an input where a neuron has its
    rare sign (:func:`~semialg.engine.probe_inputs.rare_inputs`, or the descent's), and as many random inputs again, round after round until
    the rank stops growing. Everything stops at ``deadline`` (also before a rank predicted to end past it: the
    first by its size, :func:`~semialg.core.modular.rank_mod_seconds`, later ones by the previous one's time). The
    rows are computed modulo $p$ (:func:`jacobian_mod`; exactly, then reduced,
    when $p$ divides a denominator). After the first rank $r$ the rows of each further input enter only through
    $g = \mathrm{bound} - r + 8$ random combinations of all of them, $SJ$ ($S$ random modulo $p$, accumulated
    input by input): its row space lies in theirs, so every rank stays a lower bound, and it equals theirs with
    high probability (the gap is at most $g - 8$); memory and each later rank stay those of the first,
    $O(\mathrm{bound}\cdot\dim\Omega)$. ``extra`` (a residue block) joins every rank. Returns the inputs, their
    patterns, residue blocks spanning a subspace of the rows' (for further lower bounds) and whether the bound
    was reached, with the largest rank taken (:class:`SampledBatch`); nothing is sampled when the first rank would
    not fit in memory (:func:`rank_mod_fits`).
    With ``first`` the rows are those of :func:`jacobian_mod` along its directions (a subspace of the parameters;
    no rows when $p$ divides a denominator of the weights): the ranks are theirs, memory
    $O(\mathrm{bound}\cdot c)$ for their $c$ columns. ``per_input`` (default $k$) sizes the batches, the rank an
    input adds: the random inputs start at $2^i\lceil\mathrm{bound}/\text{per\_input}\rceil$, and each input's
    $k$ rows enter as ``per_input`` random combinations of them (a subspace: the ranks stay lower bounds).
    ``gain`` (default ``per_input``) is the rank an input is expected to add, when known better: the first rank is
    taken at $\lceil\mathrm{bound}/\text{gain}\rceil$ inputs.
    ``keep`` (float inputs, one a row -> a boolean mask) chooses among the random inputs, e.g. those where the rows
    carry more than the output layer's; candidates are drawn until :data:`_CHUNK` are kept, at most 16 times as many.
    ``zero_off`` counts zero neurons (:meth:`~semialg.core.network.Network.zero_neurons`) off where they vanish, as
    every region does (the rows of the functional dimension); by default an input where any hidden pre-activation
    vanishes is skipped, as $\theta \mapsto f_\theta(x)$ need not be differentiable there (bounds on a fibre's
    dimension need that).
    Cost: at most $32\lceil\mathrm{bound}/k\rceil$ random inputs, at most :data:`PATIENCE` times
    their time (or :data:`MIN_PATIENCE` seconds) for the chosen ones; per input an exact activation pattern (the
    random ones :data:`_CHUNK` at a time:
    :meth:`~semialg.core.network.Network.activation_patterns`), a modular Jacobian of $O(k\dim\Omega)$ and its
    compression $O(g\,k\dim\Omega)$; at most nine modular ranks of about $\mathrm{bound} \times \dim\Omega$.

    >>> sampled_batch(Network.from_arrays([[[2]], [[3]]], [[1], [0]]), 3).reached     # a s(wx + b) + c: rank 3
    True
    """
    D = net.architecture.num_parameters
    width = D if first is None else D - net.widths[1] * (net.widths[0] + 1) + len(first[0])
    if not rank_mod_fits(bound + 8, width)[0]:
        return SampledBatch((), set(), [], False, 0)     # the first rank would not fit in memory
    rng, mixer = random.Random(seed), np.random.default_rng(seed)
    d, k = net.architecture.input_dim, net.architecture.output_dim
    need = math.ceil(bound / (gain or per_input or k))
    mods, used, patterns, ranks, took = ([] if extra is None else [extra]), [], set(), [], 0.0
    mixed, pending = None, []       # after the first rank: g random combinations of the later rows, and rows to add
    layers = layers_mod(net)
    floats = None if layers is None else balanced_layers(layers, BLAS_PRIME, first)
    bent = net.bent if zero_off else (lambda pattern: any(0 in layer for layer in pattern))
    # rows of step inputs at a time: _ROWS entries (784-4096-1-10 in the quotient: 51 inputs; all D columns: one)
    m, step = min(per_input or k, k), max(1, _ROWS // (k * width))
    began = time.monotonic()

    def mix() -> None:
        nonlocal mixed, pending
        if pending:
            mixed, pending = _fold(mixed, pending, mixer), []

    def prepared(inputs: list[tuple[Vec, Pattern]]) -> list[tuple[Vec, Pattern, np.ndarray | None]]:
        """At most ``step`` inputs with their rows (``None`` on a bent hyperplane, or without residues), computed
        together (:func:`jacobians_mod`) and reduced to ``per_input`` random combinations."""
        part = [i for i, (_, pattern) in enumerate(inputs) if not bent(pattern)]
        # per_input random combinations of the input's k rows: their span holds what it adds, and the first rank is
        # taken on per_input rows an input, not k (784-4096-1-10: 4,116 rows, not 20,580)
        combos = mixer.integers(0, BLAS_PRIME, size=(len(part), m, k)) if m < k and part else None
        if layers is None:      # p divides a denominator of the weights: exact rows, then their residues
            block = [None if first else residues(parameter_jacobian(net, *inputs[i])) for i in part]
            if combos is not None:
                block = [None if r is None else matmul_mod(c, r) for c, r in zip(combos, block, strict=True)]
        elif part:
            block = jacobians_mod(layers, [inputs[i][0] for i in part], [inputs[i][1] for i in part],
                                  first=first, floats=floats, mix=combos)
            block = [None] * len(part) if block is None else list(block)
        rows = dict(zip(part, block, strict=True)) if part else {}
        return [(x, pattern, rows.get(i)) for i, (x, pattern) in enumerate(inputs)]

    def add(x: Vec, pattern: Pattern, rows: np.ndarray | None) -> None:
        if bent(pattern):
            return
        if mixed is None:
            mods.append(rows)
        elif rows is not None:
            pending.append(rows)
            if len(pending) * k >= _MIX_ROWS:
                mix()
        used.append(x)
        patterns.add(pattern)

    def rank_now() -> bool | None:
        """Whether the bound is reached; ``None``: no time for another rank."""
        nonlocal mixed, took
        # skip a rank predicted past the deadline: the first by its size, later ones by the last one's time
        if deadline is not None:
            rows = sum(len(b) for b in mods if b is not None) + (0 if mixed is None else len(mixed))
            if time.monotonic() + (4 * took if took else rank_mod_seconds(rows, width)) > deadline:
                return None
        started = time.monotonic()
        if mixed is not None:
            mix()
        if (found := blocks_rank_mod(mods + ([] if mixed is None else [mixed]), deadline, -1)) < 0:
            return None         # given up at the deadline: its prediction missed the row exchanges
        ranks.append(found)
        took = time.monotonic() - started
        if mixed is None and ranks[-1] < bound and all(b is not None for b in mods):
            mixed = np.zeros((bound - ranks[-1] + 8, width), dtype=np.int64)
        return ranks[-1] >= bound

    def result(reached: bool):
        if mixed is not None:
            mix()
        return SampledBatch(tuple(used), patterns, mods + ([] if mixed is None else [mixed]), reached,
                            max(ranks, default=0))

    def draw() -> Vec:
        scale = 4 ** rng.randint(0, 2)  # regions near the origin and farther out
        return tuple(fmpq(rng.randint(-64 * scale, 64 * scale), 64) for _ in range(d))

    sieve = np.random.default_rng(seed + 1)

    def kept() -> list[tuple[Vec, tuple]]:
        # candidates drawn as integer arrays (the draws of draw(), vectorised), rationals made of the kept ones only
        X: list[Vec] = []
        for _ in range(16):
            scale = 4 ** sieve.integers(0, 3, size=(_CHUNK, 1))
            N = sieve.integers(-64 * scale, 64 * scale + 1, size=(_CHUNK, d))
            X += grid_points(N[keep(N / 64)], 64)
            if len(X) >= _CHUNK:
                break
        return list(zip(X, net.activation_patterns(X), strict=True))[::-1]

    ahead: list = []            # the next random inputs with their patterns, _CHUNK at a time
    ready: list = []            # the next of them with their rows, at most step
    for _ in range(32 * need):  # inputs on a bent hyperplane are skipped; a dead neuron skips all
        if deadline is not None and time.monotonic() > deadline:
            return result(False)
        if not ready and not ahead and keep is not None:
            ahead = kept()
        elif not ready and not ahead:
            X = [draw() for _ in range(_CHUNK)]
            ahead = list(zip(X, net.activation_patterns(X), strict=True))[::-1]
        if not ready and not ahead:
            break
        if not ready:
            ready = prepared([ahead.pop() for _ in range(min(step, len(ahead)))])[::-1]
        add(*ready.pop())
        if len(used) == need << len(ranks):
            reached = rank_now()
            if reached is None or reached:
                return result(bool(reached))
            recent = [b - a for a, b in zip(ranks, ranks[1:], strict=False)][-2:]  # gains of the last two doublings
            growth = max(recent[-1], recent[0] / 2) if recent else bound
            if growth * (5 - len(ranks)) < bound - ranks[-1]:
                break
    end = time.monotonic() + max(PATIENCE * (time.monotonic() - began), MIN_PATIENCE)
    end = end if deadline is None else min(end, deadline)
    before = ranks[-1] if ranks else -1
    for round_, lines in enumerate((8, 16, 32, 64)):
        flipped = flipping_inputs(net, used, rng) if round_ == 0 else []
        if round_ == 0:
            bases = flipped + rare_inputs(net, used)
        chosen = flipped + line_inputs(net, lines, rng, end, bases)
        chosen += [tuple(fmpq(rng.randint(-64 * 4 ** (j % 3), 64 * 4 ** (j % 3)), 64) for _ in range(d))
                   for j in range(len(chosen))]
        for start in range(0, len(chosen), _CHUNK):
            if time.monotonic() > end:
                break
            X = chosen[start:start + _CHUNK]
            pairs = list(zip(X, net.activation_patterns(X), strict=True))
            for item in (item for s in range(0, len(pairs), step) for item in prepared(pairs[s:s + step])):
                add(*item)
        reached = rank_now()
        if reached is None or reached:
            return result(bool(reached))
        if ranks[-1] <= before or time.monotonic() > end:
            break
        before = ranks[-1]
    return result(False)


def _fold(mixed: np.ndarray, pending: list, mixer: np.random.Generator) -> np.ndarray:
    """``mixed`` plus random combinations (modulo :data:`~semialg.core.modular.BLAS_PRIME`) of the rows of
    ``pending``: their row space lies in that of ``mixed`` and ``pending`` together. Cost: one BLAS product."""
    block = np.vstack(pending)
    S = mixer.integers(0, BLAS_PRIME, size=(mixed.shape[0], block.shape[0]))
    return (mixed + matmul_mod(S, block)) % BLAS_PRIME


def jacobian_rank_mod(net: Network, X: Sequence, bound: int, seed: int = 0) -> int:
    r"""A lower bound on the exact rank of the Jacobian rows of ``net`` at the inputs ``X``: the rank modulo
    :data:`~semialg.core.modular.BLAS_PRIME` of $\mathrm{bound} + 8$ random combinations of them (seeded), equal
    to their rank when that is at most ``bound`` except with probability about $8/p$. So a value $\ge$ ``bound``
    proves the exact rank is. :class:`ParameterError` names the first input on a bent hyperplane. 0 when $p$
    divides a denominator (no bound). Cost: per input an exact pattern and $O(k\dim\Omega)$ modular rows
    (:func:`jacobians_mod`, :data:`_ROWS` entries at a time),
    $O(\mathrm{bound}\cdot|X|k\dim\Omega)$ for the combinations and one rank of
    $(\mathrm{bound} + 8) \times \dim\Omega$; memory $O(\mathrm{bound}\cdot\dim\Omega)$.

    >>> jacobian_rank_mod(Network.from_arrays([[[2]], [[3]]], [[1], [0]]), [(1,), (2,), (-1,)], 4)  # 3 s(2x + 1)
    3
    """
    layers, k, D = layers_mod(net), net.architecture.output_dim, net.architecture.num_parameters
    X = list(X)
    patterns = net.activation_patterns(X)
    for n, pattern in enumerate(patterns):
        if any(0 in layer for layer in pattern):
            raise ParameterError(f"X[{n}] lies on a bent hyperplane (a hidden pre-activation is 0)")
    mixer = np.random.default_rng(seed)
    mixed = np.zeros((bound + 8, D), dtype=np.int64)
    pending: list = []
    floats = None if layers is None else balanced_layers(layers)
    step = max(1, _ROWS // (k * D))
    for start in range(0, len(X), step):
        if layers is None:
            block = [residues(parameter_jacobian(net, x, pattern))
                     for x, pattern in zip(X[start:start + step], patterns[start:start + step], strict=True)]
        else:
            block = jacobians_mod(layers, X[start:start + step], patterns[start:start + step], floats=floats)
        if block is None or any(rows is None for rows in block):
            return 0
        pending.extend(block)
        if len(pending) * k >= _MIX_ROWS:
            mixed, pending = _fold(mixed, pending, mixer), []
    return rank_mod(_fold(mixed, pending, mixer) if pending else mixed)


def _mod(Y: np.ndarray) -> np.ndarray:
    return Y % BLAS_PRIME


def _same(Y: np.ndarray) -> np.ndarray:
    return Y


def _factors(layers, X: np.ndarray, masks=None, mul=np.matmul, fix=_same, start: np.ndarray | None = None):
    r"""For every layer $l$, last first: $(l, A, E)$ with $A$ ($N \times n_{l-1}$) the activations at the inputs
    ``X`` entering layer $l$ and $E$ ($Nk \times n_l$, row $(x, o)$, $x$ major) the derivatives of output $o$ in
    layer $l$'s pre-activations at $x$: the Jacobian row $(x, o)$ restricted to $(W_l, b_l)$ is
    $E_{(x,o)} \otimes (A_x, 1)$. ``masks`` (per hidden layer, $N \times n_l$ booleans) are the activation
    patterns, decided exactly; ``None``: the signs of the float pre-activations. ``mul``/``fix``: the matrix
    product and the reduction (floats, or residues modulo $p$: :func:`matmul_mod`, :func:`_mod`). ``start``
    ($Nm \times k$): $m$ combinations of the outputs per input instead of the $k$ outputs, row $(x, j)$ of $E$
    then the derivatives of $\sum_o \text{start}_{(x,j),o}\,f_o$.
    Cost: $O(N\sum_l n_l n_{l-1} + Nk\sum_l n_l n_{l+1})$."""
    acts, ons = [X], []
    for l, (W, b) in enumerate(layers[:-1]):
        z = fix(mul(acts[-1], W.T) + b)
        ons.append(z > 0 if masks is None else masks[l])
        acts.append(np.where(ons[-1], z, 0))
    k = len(layers[-1][1])
    E = np.tile(np.eye(k, dtype=X.dtype), (len(X), 1)) if start is None else start
    m = len(E) // len(X)
    for l in range(len(layers) - 1, -1, -1):
        yield l, acts[l], E
        if l:
            E = np.where(np.repeat(ons[l - 1], m, axis=0), fix(mul(E, layers[l][0])), 0)


def _gram(factors, k: int, mul=np.matmul, fix=_same) -> np.ndarray:
    r"""$JJ^T$ from :func:`_factors`: the inner product of Jacobian rows $(x, o), (x', o')$ is
    $\sum_l (E_{(x,o)}\cdot E_{(x',o')})(A_x\cdot A_{x'} + 1)$, so $JJ^T = \sum_l E_lE_l^T \circ
    ((A_lA_l^T + 1)\otimes 1_{k\times k})$ without the $Nk \times \dim\Omega$ matrix $J$.
    Cost: $O((Nk)^2\sum_l n_l + N^2\sum_l n_{l-1})$."""
    G = None
    for _, A, E in factors:
        inner = fix(mul(A, A.T) + 1)
        term = fix(fix(mul(E, E.T)) * np.repeat(np.repeat(inner, k, axis=0), k, axis=1))
        G = term if G is None else fix(G + term)
    return G


def jacobian_gram_mod(layers, X: np.ndarray, patterns: Sequence[Pattern], k: int) -> np.ndarray:
    r"""The Gram matrix $JJ^T$ modulo :data:`~semialg.core.modular.BLAS_PRIME` of the Jacobian rows at the inputs
    ``X`` (residues) with their exact activation ``patterns``, from :func:`layers_mod`, without forming $J$ (its
    rank is a lower bound on the rank of $J$). Cost: $O((|X|k)^2\sum_l n_l + |X|^2\sum_l n_{l-1})$ modular
    operations.

    >>> net = Network.from_arrays([[[2]], [[3]]], [[1], [0]])      # rows (3, 3, 3, 1) and (6, 3, 5, 1) at 1 and 2
    >>> X = np.array([[1], [2]])
    >>> jacobian_gram_mod(layers_mod(net), X, net.activation_patterns([(1,), (2,)]), 1).tolist()
    [[28, 43], [43, 71]]
    """
    masks = [np.array([p[l] for p in patterns]) > 0 for l in range(len(layers) - 1)]
    return _gram(_factors(layers, X, masks, matmul_mod, _mod), k, matmul_mod, _mod)


def _rows(factors, k: int) -> np.ndarray:
    """The float Jacobian rows from :func:`_factors`, columns in the order of :meth:`Network.parameters`."""
    blocks = {}
    for l, A, E in factors:
        Ak = np.repeat(A, k, axis=0)
        blocks[l] = np.concatenate([(E[:, :, None] * Ak[:, None, :]).reshape(len(E), -1), E], axis=1)
    return np.concatenate([blocks[l] for l in sorted(blocks)], axis=1)


def batch_jacobian(net: Network, X: Sequence) -> list[Vec]:
    """The rows of :func:`parameter_jacobian` at every input of ``X``, in order; :class:`ParameterError` names the
    first input where a hidden pre-activation is $0$ ($\\theta \\mapsto f_\\theta(x)$ need not be differentiable
    there). Cost: $O(|X| k \\dim\\Omega)$."""
    rows = []
    for n, x in enumerate(X):
        pattern = net.activation_pattern(x)
        if any(0 in layer for layer in pattern):
            raise ParameterError(f"X[{n}] lies on a bent hyperplane (a hidden pre-activation is 0)")
        rows.extend(parameter_jacobian(net, x, pattern))
    return rows


def numeric_jacobian(layers: Sequence[tuple[np.ndarray, np.ndarray]], x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Float output and parameter Jacobian at ``x`` for float layers $(W_l, b_l)$: a numeric helper only.

    The float twin of :func:`parameter_jacobian` (same column order), for gradient flows and estimates. Cost:
    $O(k\\dim\\Omega)$."""
    acts, pats = [np.asarray(x, dtype=float)], []
    for W, b in layers[:-1]:
        z = W @ acts[-1] + b
        pats.append(z > 0)
        acts.append(np.where(pats[-1], z, 0.0))
    W, b = layers[-1]
    y = W @ acts[-1] + b
    delta = np.eye(len(b))
    blocks = []
    for l in range(len(layers) - 1, -1, -1):
        blocks.append(np.concatenate([np.einsum("io,j->oij", delta, acts[l]).reshape(delta.shape[1], -1),
                                      delta.T], axis=1))
        if l:
            delta = (layers[l][0].T @ delta) * pats[l - 1][:, None]
    return y, np.concatenate(blocks[::-1], axis=1)


def estimate_functional_dimension(net: Network, num_points: int = 200, seed: int | None = None,
                                  tol: float | None = None, budget: float | None = None,
                                  progress: bool | None = None) -> int:
    r"""Numeric estimate (as in the literature): the numerical rank of a float Jacobian on Gaussian inputs.

    Not a decision: a random batch can miss regions (so it under-counts) and a tolerance can misjudge
    small singular values either way. Use :func:`~semialg.engine.functional_dimension.functional_dimension` for the exact value.
    The $m = Nk$ rows $J$ at the $N$ = ``num_points`` inputs count the singular values above ``tol`` (default
    $s_{\max}\max(m, \dim\Omega)\,\varepsilon$): by an SVD of $J$ while it has at most :data:`SVD_ENTRIES` entries
    (small networks: the literature's computation), otherwise from the eigenvalues of the smaller Gram matrix,
    $JJ^T$ built layer by layer without $J$ (:func:`_gram`) or $J^TJ$ accumulated over blocks of inputs. A Gram
    matrix resolves singular values only down to about $s_{\max}\sqrt{m'\varepsilon}$ ($m'$ its size), so a
    smaller ``tol`` is raised to that there. ``budget`` (seconds, ``None``: no limit): when it is spent
    :class:`~semialg.errors.UndecidedError` says how far the computation got (no estimate is guessed; an
    eigenvalue computation predicted to end past it is not started); ``progress`` shows a tqdm bar of the inputs
    (``None``: on a terminal, after 2 s).
    Cost: $O(m^2\sum_l n_l + m^3)$ flops when $m \le \dim\Omega$ (784-256-10, 200 inputs: 356 s and 9.4 GB for
    the SVD of $J$ before, 3-5 s and 0.2 GB now), $O(m\dim\Omega^2 + \dim\Omega^3)$ otherwise; memory
    $O(\min(m, \dim\Omega)^2)$.

    >>> estimate_functional_dimension(Network.random((3, 4, 2), seed=0), seed=0)     # 26 parameters, 4 rescalings
    22
    """
    budget = None if budget is None else check_budget(budget, "budget", seconds=True)
    deadline = None if budget is None else time.monotonic() + budget
    rng = np.random.default_rng(seed)
    D, k = net.architecture.num_parameters, net.architecture.output_dim
    X = rng.standard_normal((num_points, net.architecture.input_dim))
    layers = net.float_layers()
    for l, (W, b) in enumerate(layers, start=1):
        if not (np.isfinite(W).all() and np.isfinite(b).all()):
            raise ParameterError(f"estimate_functional_dimension: layer {l} has a parameter beyond the float64 "
                                 f"range; use functional_dimension (exact)")
    m = num_points * k
    size = min(m, D)
    if m * D > SVD_ENTRIES and not rank_mod_fits(size, size)[0]:
        raise UndecidedError(f"estimate_functional_dimension: a {size} x {size} Gram matrix of the Jacobian rows "
                             f"would not fit in memory")
    from tqdm.auto import tqdm
    bar = tqdm(total=num_points, desc="functional dimension estimate: inputs", unit="input", delay=2, leave=False,
               disable=None if progress is None else not progress)
    with bar:
        if m * D <= SVD_ENTRIES or m > D:
            # blocks of inputs whose rows fill about SVD_ENTRIES floats
            step = max(1, SVD_ENTRIES // (k * D))
            G, J = np.zeros((D, D)) if m * D > SVD_ENTRIES else None, []
            for start in range(0, num_points, step):
                check_deadline(deadline, budget, f"the Jacobian rows at {start} of {num_points} inputs were formed")
                rows = _rows(_factors(layers, X[start:start + step]), k)
                if G is None:
                    J.append(rows)
                else:
                    G += rows.T @ rows
                bar.update(len(rows) // k)
        else:
            check_deadline(deadline, budget, "nothing was computed", seconds=_gram_seconds(m, layers))
            G = _gram(_factors(layers, X), k)
            bar.update(num_points)
    if G is None:
        J = np.vstack(J) if J else np.zeros((0, D))
        s = np.linalg.svd(J, compute_uv=False)  # numeric estimate only
        if tol is None:
            tol = s.max(initial=0.0) * max(J.shape) * np.finfo(float).eps
        return int((s > tol).sum())
    check_deadline(deadline, budget, f"the {len(G)} x {len(G)} Gram matrix of the Jacobian rows at all {num_points} inputs "
           f"was formed; its eigenvalues were not computed", seconds=len(G) ** 3 / EIGH_SPEED)
    lam = np.linalg.eigvalsh(G)     # numeric estimate only
    top = max(lam.max(initial=0.0), 0.0)
    floor = top * len(G) * np.finfo(float).eps
    cut = floor if tol is None else max(tol * tol, floor)
    return int((lam > cut).sum())


#: Jacobians of at most this many entries are estimated by their SVD, larger ones through a Gram matrix
SVD_ENTRIES = 2 ** 22
#: Flops per second to predict :func:`numpy.linalg.eigvalsh` with, $n^3$ flops for $n \times n$ (measured on 2
#: cores: 2000 x 2000 in 2.6 s)
EIGH_SPEED = 3e9


def _gram_seconds(m: int, layers) -> float:
    """Predicted seconds of :func:`_gram` for ``m`` rows (its products, at :data:`EIGH_SPEED` flops)."""
    return m * m * sum(len(b) + W.shape[1] for W, b in layers) / EIGH_SPEED


@dataclass(frozen=True)
class LocalRankCertificate(Result):
    """Local identifiability: at the rational inputs ``points`` no hidden pre-activation vanishes and the
    exact Jacobian of $\\theta \\mapsto (f_\\theta(x))_{x}$ has rank $\\dim\\Omega - \\#\\text{hidden}$.

    ``verify(net)`` re-evaluates every pattern exactly, rebuilds the Jacobian modulo a prime, checks that every
    hidden neuron has a non-zero parameter (so the rescaling fields bound the rank by
    $\\dim\\Omega - \\#\\text{hidden}$) and that the rank modulo the prime of ``seed``-random combinations of the
    rows (a lower bound on their rational rank, :func:`~semialg.engine.jacobian.jacobian_rank_mod`) reaches
    that bound."""

    points: tuple[tuple[fmpq, ...], ...]
    rank: int
    seed: int = 0

    def verify(self, net: Network) -> bool:
        arch = net.architecture
        target = arch.num_parameters - arch.num_hidden
        for l in range(1, net.depth):
            W, b, after = net.weights[l - 1], net.biases[l - 1], net.weights[l]
            if any(not any(W[i]) and not b[i] and not any(r[i] for r in after) for i in range(net.widths[l])):
                raise CertificateError(f"hidden layer {l} has a zero neuron: the rank bound does not apply")
        try:
            got = jacobian_rank_mod(net, self.points, target, self.seed)
        except ParameterError as e:
            raise CertificateError(f"a certificate point: {e}") from None
        if got < target or self.rank != target:
            raise CertificateError(f"the Jacobian has rank {got}, not dim Omega - #hidden = {target}")
        return True

    def describe(self) -> str:
        return (f"the exact Jacobian at {len(self.points)} inputs (no hidden pre-activation zero) has rank "
                f"{self.rank} = dim Omega - #hidden (reached modulo a prime, the rescalings bound it above): "
                "near the parameter the fibre is the G-orbit")
