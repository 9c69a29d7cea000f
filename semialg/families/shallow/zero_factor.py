"""0-factors of a shallow parameter: their rank, and the reduction to a parameter without them.

A *0-factor* of $\\theta$ (Ramakrishnan, *A Complete Symmetry Classification of Shallow ReLU Networks*,
arXiv 2604.14037, Definition 4) is a non-empty set $S$ of live neurons with $\\sum_{i \\in S} a_i w_i^T = 0$;
flipping it, $(w_i, b_i) \\mapsto -(w_i, b_i)$ on $S$ and $c \\mapsto c + \\sum_S a_i b_i$, keeps the function.
Every 0-factor is a disjoint union of minimal ones (if $S' \\subset S$ are 0-factors, so is $S \\setminus S'$).

The **0-factor reduction** (Definition–Lemma 5 there): every function $f_\\theta$ is
$f_{\\theta^*} + (x \\mapsto Ax + e)$ with $\\theta^*$ a minimal parameter (one neuron per kink hyperplane, no dead
neuron, no twin) *without 0-factors*, and $Ax + e$ the affine part contributed by the flips that orient it.
Canonical choice: the neuron of $H$ has row $s_H(u_H, \\beta_H)$ and output weight $\\delta_H$ with $s_H$ the sign
of the first non-zero entry of $\\delta_H$. Then every $a_i w_i^T = s_H\\delta_H u_H^T$ is lexicographically
positive, so no non-empty sum of them vanishes — $\\theta^*$ has no 0-factor — and, since
$\\delta\\sigma(-z) = \\delta\\sigma(z) - \\delta z$, $A = L + \\sum_{s_H = -1}\\delta_H u_H^T$ and
$e = d + \\sum_{s_H = -1}\\delta_H\\beta_H$ (the canonical form $K(\\theta) = ((u_H, \\beta_H, \\delta_H)_H, L, d)$).

>>> clamp = Network.from_arrays([[[1], [1]], [[1, -1]]], [[0, -1], [0]])      # s(x) - s(x - 1)
>>> zero_factor_rank(clamp)
1
>>> R = zero_factor_reduction(clamp)
>>> R.reduced.weights, R.linear, R.constant          # s(x) - s(1 - x) + (1 - x)
((((-1,), (1,)), ((-1, 1),)), ((-1,),), (1,))
>>> zero_factor_rank(R.reduced)
0
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Sequence

from flint import fmpq

from semialg.core.exact import dot, rank, to_vector
from semialg.core.network import Network
from semialg.core.result import Latexable
from semialg.engine import neurons
from semialg.geometry.zero_sum import ZERO_SUM_LIMIT
from semialg.errors import check_budget
from semialg.families.shallow.canonical import canonical_form
from semialg.families.shallow.view import ZERO, ShallowView, Vec

__all__ = ["zero_factors", "zero_factor_rank", "ZeroFactorReduction", "zero_factor_reduction"]


def zero_factors(net: Network, limit: int = ZERO_SUM_LIMIT, budget: float | None = None) -> list[tuple[int, ...]]:
    """Every 0-factor of $\\theta$ (0-based neuron indices, live neurons only).

    Cost: first the rank-one sketch (an $n \\times n$ rank modulo a prime, $O(n^2(m + k + n))$; 784-4096-10: 6 s), which
    proves that there is none for generic weights; else one exact kernel of the vectors $\\operatorname{vec}(a_i w_i^T)$
    plus an exhaustive search, meet in the middle, over each component of its support (at most ``limit`` vectors
    each; :class:`~semialg.errors.UndecidedError` beyond — deciding whether a 0-factor exists contains subset sum).
    A stage predicted to end past ``budget`` seconds (``None``: no limit) is not started:
    :class:`~semialg.errors.UndecidedError` (stages predicted under a second always run, so small networks get their
    answer with any budget).

    >>> zero_factors(Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]]), budget=0)
    [(0, 1, 2)]
    """
    ShallowView.of(net)
    deadline = None if budget is None else time.monotonic() + check_budget(budget, "the 0-factor budget", seconds=True)
    return neurons.zero_factors(net, 1, limit, deadline)


def zero_factor_rank(net: Network, limit: int = ZERO_SUM_LIMIT, budget: float | None = None) -> int:
    """The 0-factor rank of $\\theta$: the dimension of the span of the indicator vectors $\\mathbf 1_S$ of its
    0-factors — the number of independent 0-factor flips ($0$ iff $\\theta$ has no 0-factor). When the 0-factors
    are the unions of $r$ disjoint minimal ones, the rank is $r$ and there are $2^r$ flip sets (with $\\emptyset$).

    Cost: that of :func:`zero_factors` (which keeps ``budget``) plus one exact rank.

    >>> zero_factor_rank(Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]]))
    1
    """
    n = net.widths[1]
    rows = [[fmpq(int(i in S)) for i in range(n)] for S in zero_factors(net, limit, budget)]
    return rank(rows) if rows else 0


@dataclass(frozen=True)
class ZeroFactorReduction(Latexable):
    """$f_\\theta(x) = f_{\\theta^*}(x) + Ax + e$ with $\\theta^*$ minimal and without 0-factors.

    ``reduced`` is $\\theta^*$ (width $N$, output bias $0$; a single zero neuron when $N = 0$), ``linear`` $= A$,
    ``constant`` $= e$, ``orientations`` the signs $s_H$ (per kink hyperplane, in the order of the canonical form),
    ``zero_factor_rank`` that of $\\theta$.
    """

    reduced: Network
    linear: tuple[Vec, ...]
    constant: Vec
    orientations: tuple[int, ...]
    zero_factor_rank: int

    def __call__(self, x: Sequence) -> Vec:
        """$f_{\\theta^*}(x) + Ax + e$, exactly."""
        x = to_vector(x, self.reduced.architecture.input_dim, where="x")
        y = self.reduced(x)
        return tuple(yr + dot(row, x) + er for yr, row, er in zip(y, self.linear, self.constant, strict=True))

    @property
    def flipped(self) -> tuple[int, ...]:
        """The kink hyperplanes whose neuron is oriented negatively (the flips contributing to $A$, $e$)."""
        return tuple(h for h, s in enumerate(self.orientations) if s < 0)

    def describe(self) -> str:
        return (f"0-factor reduction: a minimal parameter of width {self.reduced.widths[1]} without 0-factors "
                f"plus an affine map (flips on {len(self.flipped)} hyperplane(s)); the original parameter has "
                f"0-factor rank {self.zero_factor_rank}")


def zero_factor_reduction(net: Network, limit: int = ZERO_SUM_LIMIT) -> ZeroFactorReduction:
    """The 0-factor reduction of $\\theta$ (module docstring): canonical, it depends only on $f_\\theta$ except
    for the recorded rank. Cost: $O(n(m+k)\\log n)$ for the canonical form, plus :func:`zero_factor_rank`.
    """
    K = canonical_form(net)
    m, k = K.input_dim, K.output_dim
    A = [list(row) for row in K.linear]
    e = list(K.constant)
    a, w, b, signs = [], [], [], []
    for key, delta in K.kinks:
        s = 1 if next(x for x in delta if x != 0) > 0 else -1
        signs.append(s)
        a.append(delta), w.append(tuple(s * x for x in key[:-1])), b.append(s * key[-1])
        if s < 0:
            A = [[x + delta[r] * uj for x, uj in zip(A[r], key[:-1], strict=True)] for r in range(k)]
            e = [er + dr * key[-1] for er, dr in zip(e, delta, strict=True)]
    reduced = ShallowView.of_neurons(a, w, b, (ZERO,) * k, m).network()
    return ZeroFactorReduction(reduced, tuple(tuple(r) for r in A), tuple(e), tuple(signs),
                               zero_factor_rank(net, limit))
