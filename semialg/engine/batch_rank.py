r"""The exact rank of a network's parameter Jacobian on a batch of inputs, and the bound that usually decides it.

The rank on any batch is a lower bound on the functional dimension (:func:`~semialg.engine.functional_dimension.functional_dimension`).
A rank modulo a prime is a lower bound on the rational rank; :func:`batch_rank_upper_bound` is an upper bound read
off the activation patterns and the rescaling symmetries, so when the two meet no rational rank is taken.

>>> from semialg.core.network import Network
>>> net = Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 1], [0]])      # s(x) + s(1 - x)
>>> batch_functional_dimension(net, [(2,), (-3,), (3,), (-4,), (5,), ("1/2",)])   # 7 parameters, 2 rescalings
5
"""

from __future__ import annotations

import math
import time
from typing import Sequence

import numpy as np
from flint import fmpq, fmpq_mat

from semialg.core.exact import rank, to_fmpq, to_vector
from semialg.core.grid_point import as_grid_points
from semialg.core.modular import certified_rank, rank_mod, rank_mod_fits, rank_mod_seconds, residues
from semialg.core.network import Network
from semialg.core.symmetry import rescaling_ranks
from semialg.engine.jacobian import (balanced_layers, batch_jacobian, jacobian_gram_mod, jacobian_rank_mod,
                                     jacobians_mod, layers_mod, parameter_jacobian)
from semialg.errors import ParameterError, check_budget, check_deadline

__all__ = ["batch_functional_dimension", "batch_rank_upper_bound", "jacobian_rank", "jacobian_height"]

_INPUTS_AT_ONCE = 32  # inputs whose activation patterns are decided together, between looks at the clock
_BLOCK_ENTRIES = 2 ** 22    # residues in one block of rows of jacobian_rank: 32 MB


def batch_rank_upper_bound(net: Network, patterns: Sequence) -> int:
    r"""An upper bound on the rank of the parameter Jacobian rows $J$ of ``net`` at inputs with the activation
    ``patterns`` (no hidden pre-activation $0$):

    $$\operatorname{rank} J \le \min_{1 \le l \le L}\Big(\min\big(\textstyle\sum_x a_l(x),\ D_{\le l} - r_{<l}\big)
    + D_{>l} - \max(r_{>l}, c_l)\Big),$$

    $a_l(x)$ the neurons of layer $l$ active at $x$ with a non-zero outgoing weight ($a_L(x) = k$, the outputs), $D_{\le l}$ and $D_{>l}$ the
    parameters of layers $1..l$ and $l+1..L$, $r_{<l}$ and $r_{>l}$ the rescaling ranks
    (:func:`~semialg.core.symmetry.rescaling_ranks`) of the hidden layers before and after $l$, $c_l$ the neurons
    of layer $l < L$ with a non-zero outgoing weight ($c_L = 0$). Proof: row $(x, o)$ restricted to the parameters
    $J_{\le l}$ of layers $\le l$ is $\sum_i \partial f_o/\partial z_{l,i}(x)\,\nabla z_{l,i}(x)$, where the
    derivative vanishes for a neuron off at $x$ or without an outgoing weight, and the rescaling fields of the hidden layers before $l$, supported
    there, are independent vectors in the kernel of $J$ (no pre-activation vanishes identically). The rest: the
    fields of the layers after $l$ are in the kernel of $J_{>l}$; or, the fields $F_i$ of the $c_l$ neurons with
    an outgoing weight $(W_{l+1})_{r_ii} \ne 0$ are in the kernel of $J$ and invertible on those coordinates, so
    $J$ has the rank of its columns without them. The bound is reached by generic parameters at enough inputs; a
    narrow layer (a bottleneck) makes it the number of inputs where that layer is active plus the parameters
    after it, less its own rescalings. Cost: $O(|X|\sum_l n_l + L)$.

    >>> from semialg.core.network import Network
    >>> net = Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 1], [0]])      # s(x) + s(1 - x)
    >>> batch_rank_upper_bound(net, net.activation_patterns([(2,), (3,)]))     # both inputs: only s(x) on
    2
    """
    if any(0 in layer for pattern in patterns for layer in pattern):
        raise ParameterError("a hidden pre-activation is 0 in one of the patterns: the bound holds off the bent "
                             "hyperplanes only")
    widths, L = net.widths, net.depth
    sizes = [widths[l + 1] * (widths[l] + 1) for l in range(L)]
    r = rescaling_ranks(net)
    best = len(patterns) * widths[-1]
    for l in range(1, L + 1):
        if l == L:
            active, c = len(patterns) * widths[-1], 0
        else:
            live = net.weights[l].nonzero_columns()
            active = int(sum(np.sum((np.asarray(p[l - 1]) > 0) & live) for p in patterns))
            c = int(live.sum())
        before = min(active, sum(sizes[:l]) - sum(r[:l - 1]))
        best = min(best, before + sum(sizes[l:]) - max(sum(r[l:]), c))
    return best


def batch_functional_dimension(net: Network, X: Sequence, budget: float | None = None,
                               progress: bool | None = None) -> int:
    r"""The exact rank of the Jacobian of the outputs on the batch ``X`` with respect to all parameters.

    A lower bound on :func:`~semialg.engine.functional_dimension.functional_dimension`. Raises :class:`ParameterError` naming
    the first input where a hidden pre-activation is $0$ (the network need not be differentiable in $\theta$ there).
    The $m = |X|k$ rows $J$ are not formed first. :func:`batch_rank_upper_bound` $U$ bounds their rank from above;
    the rank modulo :data:`~semialg.core.modular.BLAS_PRIME` of their Gram matrix $JJ^T$ (built layer by layer) or,
    when $m > \dim\Omega$, of $U + 8$ random combinations of them
    (:func:`~semialg.engine.jacobian.jacobian_rank_mod`) bounds it from below: when the two meet, that is the rank.
    Otherwise the exact rank of the rational rows decides (flint's, on at most a few times $\dim\Omega$ rows: not
    :func:`jacobian_rank`, whose kernel has $\dim\Omega - $ rank columns of large height when the rows are fewer
    than the parameters — 600 rows of a 16-64-4 network: 170 s against 0.6 s). ``budget`` (seconds, ``None``: no
    limit) covers it all: when it is spent :class:`~semialg.errors.UndecidedError` says how many inputs were done
    and the bounds found (a rank that would end past it is not started, predicted by
    :func:`~semialg.core.modular.rank_mod_seconds`; the exact rational rank, needed only when the bounds do not
    meet, cannot be predicted and is started only before the deadline). ``progress`` shows a tqdm bar of the
    inputs (``None``: on a terminal, after 2 s).
    Cost: an activation pattern per input (:meth:`~semialg.core.network.Network.activation_patterns`: $O(\dim\Omega)$
    flops, exact products where a sign is uncertain), $O(m^2\sum_l n_l + |X|^2\sum_l n_{l-1})$ modular operations
    for $JJ^T$ and one rank of it, $O(m^3)$ (for $m > \dim\Omega$: $O(U m\dim\Omega)$ and a rank of
    $(U + 8) \times \dim\Omega$); only when the bounds do not meet, $O(m k\dim\Omega)$ for the rational rows and
    their exact rank. 784-256-10, 20 inputs: 44 s, 4.2 GB before the Gram matrix, 0.4 s, 0.1 GB now; 8-64-4, 256
    inputs: 9 s (the exact rank) before the upper bound, 0.1 s with it.

    >>> net = Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 1], [0]])      # s(x) + s(1 - x)
    >>> batch_functional_dimension(net, [(2,), (-3,), ("1/2",)])     # one row per input, independent
    3
    """
    budget = None if budget is None else check_budget(budget, "budget", seconds=True)
    deadline = None if budget is None else time.monotonic() + budget
    D, k = net.architecture.num_parameters, net.architecture.output_dim
    m = len(X) * k
    from tqdm.auto import tqdm
    patterns, inputs = [], []
    with tqdm(total=len(X), desc="batch functional dimension: inputs", unit="input", delay=2, leave=False,
              disable=None if progress is None else not progress) as bar:
        for start in range(0, len(X), _INPUTS_AT_ONCE):
            check_deadline(deadline, budget, f"{start} of {len(X)} inputs had their activation patterns decided")
            chunk = [to_vector(x, net.architecture.input_dim, where=f"X[{start + i}]")
                     for i, x in enumerate(X[start:start + _INPUTS_AT_ONCE])]
            for i, pattern in enumerate(net.activation_patterns(chunk), start):
                if any(0 in layer for layer in pattern):
                    raise ParameterError(f"X[{i}] lies on a bent hyperplane (a hidden pre-activation is 0)")
                patterns.append(pattern)
            inputs += chunk
            bar.update(len(chunk))
    upper = batch_rank_upper_bound(net, patterns)
    if not upper:
        return 0
    lower, done = 0, f"all {len(X)} activation patterns were decided"
    layers, xr = layers_mod(net), residues(inputs)
    if m <= D and layers is not None and xr is not None and rank_mod_fits(m, m)[0]:
        check_deadline(deadline, budget, done, seconds=rank_mod_seconds(m, m))
        lower = rank_mod(jacobian_gram_mod(layers, xr, patterns, k))
    elif m > D and rank_mod_fits(upper + 8, D)[0]:
        check_deadline(deadline, budget, done, seconds=rank_mod_seconds(upper + 8, D))
        lower = jacobian_rank_mod(net, inputs, upper)
    if lower == upper:
        return lower
    check_deadline(deadline, budget, f"{done}; the rank is at most {upper}"
                   + (f" and at least {lower} (modulo a prime)" if lower else ""))
    return rank(batch_jacobian(net, inputs))



def jacobian_rank(net: Network, X: Sequence, patterns: Sequence, at_most: int | None = None,
                  deadline: float | None = None, tick=None) -> int | None:
    r"""The exact rank of the parameter Jacobian rows of ``net`` at the inputs ``X`` with the activation ``patterns``
    (held fixed: the derivative of the polynomial the network is there), without eliminating the $|X|k$ rows
    exactly, or ``None`` when the proof fails (a prime divides a denominator or a minor: decide otherwise).

    :func:`~semialg.core.modular.certified_rank` of the rows (their residues from
    :func:`~semialg.engine.jacobian.jacobians_mod`, a block of inputs at a time): every entry is a product of at
    most one parameter of each layer and at most one input coordinate, so
    $\operatorname{lcm}(\text{denominators of } X) \prod_l \operatorname{lcm}(\text{denominators of } W_l, b_l)$
    clears the denominators and :func:`jacobian_height` at the largest coordinate bounds the entries. ``at_most``: a
    proven upper bound, enough when the rank modulo a prime reaches it; ``deadline`` (a :func:`time.monotonic`
    value: :class:`~semialg.errors.UndecidedError`) and ``tick(rows)`` as there. Cost: that of
    :func:`~semialg.core.modular.certified_rank` with a Jacobian of $|X|$ inputs modulo $p$ a pass; the passes grow
    with the height of the kernel, so it suits many more rows than parameters and a kernel of the network's
    symmetries (the rows of every region: 2 to 14 primes measured, 1.7 s against 3.5 s for exact elimination at a
    random 4-8-8-2 network), not fewer rows than parameters (600 rows of a 16-64-4 network: 170 s against 0.6 s for
    flint's rank: the kernel has 948 columns of large height).

    >>> net = Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 1], [0]])      # s(x) + s(1 - x)
    >>> jacobian_rank(net, [(2,), (-3,), (3,)], net.activation_patterns([(2,), (-3,), (3,)]))
    3
    """
    k, D = net.architecture.output_dim, net.architecture.num_parameters
    X = as_grid_points([to_vector(x, net.architecture.input_dim, where="x") for x in X])
    per = max(1, _BLOCK_ENTRIES // (k * D))

    denominator = math.lcm(1, *(int(v.q) for x in X for v in x)) * math.prod(
        math.lcm(*(int(M.numer_denom()[1]) for M in (net.W(l), net.b(l)))) for l in range(1, net.depth + 1))

    def residue_blocks(p: int):
        if denominator % p == 0:        # then no residues of some row (none are left out: the rows are numbered)
            return None
        layers = layers_mod(net, p)
        floats = balanced_layers(layers, p)
        return (jacobians_mod(layers, X[s:s + per], patterns[s:s + per], p, floats=floats).reshape(-1, D)
                for s in range(0, len(X), per))

    def exact_rows(indices: list[int]) -> list:
        return [parameter_jacobian(net, X[i // k], patterns[i // k])[i % k] for i in indices]

    radius = max([fmpq(1)] + [abs(v) for x in X for v in x])
    return certified_rank(residue_blocks, exact_rows, denominator, jacobian_height(net, radius), at_most, deadline,
                          tick)


def jacobian_height(net: Network, radius=1) -> int:
    r"""An integer bound on the absolute value of every entry of :func:`~semialg.engine.jacobian.parameter_jacobian`
    at every input of $[-r, r]^d$ ($r =$ ``radius``), whatever the activation pattern: entry $(i, j)$ of layer $l$
    is $\delta_{l,i} a_{l,j}$ or $\delta_{l,i}$, with $|a_{l+1}| \le |W_l| |a_l| + |b_l|$ from $|a_0| \le r$ and
    $|\delta_l| \le |W_{l+1}|^T |\delta_{l+1}|$ from $1$ at the outputs. Cost: one product of the absolute weights
    by a vector per layer and direction, exactly.

    >>> jacobian_height(Network.from_arrays([[[2]], [[3]]], [[1], [0]]))      # a s(wx + b): |a x| = 3 at x = 1
    3
    """
    absolute = [[fmpq_mat(M.nrows(), M.ncols(), [abs(x) for x in M.entries()]) for M in (net.W(l), net.b(l))]
                for l in range(1, net.depth + 1)]
    a = [fmpq_mat(net.architecture.input_dim, 1, [to_fmpq(radius, "radius")] * net.architecture.input_dim)]
    for W, b in absolute[:-1]:
        a.append(W * a[-1] + b)
    delta, height = fmpq_mat(net.architecture.output_dim, 1, [1] * net.architecture.output_dim), fmpq(0)
    for l in range(net.depth - 1, -1, -1):
        height = max([height] + [x * max([fmpq(1)] + a[l].entries()) for x in delta.entries()])
        if l:
            delta = absolute[l][0].transpose() * delta
    return int(height.ceil())
