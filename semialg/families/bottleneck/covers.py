r"""Finite covers of a case-(a) bottleneck fibre near a point by parts with equations of their own: each part's
gradients bound its dimension, and the fibre's is the largest (the ``cases`` of
:func:`semialg.engine.tangent.local_dimension_bounds`).

**An unused neuron on a seen line.** Let $c \ne 0$ and $k$ be the only neuron of $\theta$ with $v_k = 0$, with
$w_k \ne 0$ and no zero neuron ($w = 0 = b$) beside it, its row on a first-layer hyperplane $L$ that meets $P$ and
whose neurons with $v \ne 0$ have no non-empty subset of zero total jump $\sum v_j\lambda_j$. Then the fibre near
$\theta$ is covered by its members with $v'_k = 0$ and those with $(w'_k, b'_k)$ on the line $\mathbb{R}\ell_L$.
*Proof.* As for the seen kink equations of :mod:`~semialg.families.bottleneck.local`: take a ball $B \subset P$
around a point of $L$ on no other hyperplane of $\theta$. For $\theta'$ near $\theta$, $h' = \mu h$ on $B$, which
kinks along $L$ only, and the neurons of $L$ with $v \ne 0$ stay on $L$. Neuron $k$'s hyperplane stays near $L$
on $B$; no other neuron can share it there (the other rows are near rows of hyperplanes missing $B$, constant
neurons' hyperplanes are far away), so with $v'_k \ne 0$ it carries the jump $v'_k\lambda'_k \ne 0$, and is $L$.
$\square$ A twin with $v = 0$ then counts once: as a free row with $v' = 0$ ($n_0 + 1$) or as a twin on $L$
($2$), not as both, which the first-order kernel adds up.
"""

from __future__ import annotations

import functools
import itertools

from flint import fmpq

from semialg.core.exact import fingerprint, normalise_row, sparse_vector
from semialg.core.network import Network
from semialg.engine.tangent import parameter_offsets
from semialg.families.bottleneck.views import OuterView

__all__ = ["joint_cases", "unused_neuron_cases"]


def unused_neuron_cases(net: Network, seen_lines: list[tuple[tuple, list[int]]]) -> list[list[list[fmpq]]]:
    r"""The two parts of the module docstring as gradients at ``net``: $\delta v_k = 0$, and the minors
    $\ell_{L,p}(w'_k, b'_k)_q - \ell_{L,q}(w'_k, b'_k)_p$ ($p$ the first non-zero coordinate of $\ell_L$);
    ``seen_lines`` the seen lines without cancelling subsets and their neurons
    (:func:`~semialg.families.bottleneck.local.seen_kink_equations`' lines). ``[]`` when its conditions fail.
    Cost: $O(n_1 D)$.

    >>> net = Network.from_arrays([[[-1, 1], [-1, 1], [-2, -2]], [[0, -2, -1]], [[1]]], [[-1, -1, 1], [1], [0]])
    >>> line = tuple(map(fmpq, (1, -1, 1)))                    # -x + y - 1 = 0, seen, with neuron 1 on it
    >>> [len(rows) for rows in unused_neuron_cases(net, [(line, [1])])]    # v' = 0, or a twin on the line
    [1, 2]
    """
    view = OuterView.of(net)
    unused = [k for k, v in enumerate(view.v) if v == 0]
    if not any(view.c) or len(unused) != 1 or any(not any(w) and b == 0 for w, b in zip(view.w, view.b, strict=True)):
        return []
    (k,) = unused
    row = tuple(view.w[k]) + (view.b[k],)
    if not any(view.w[k]):
        return []
    key = normalise_row(row)[0]
    if fingerprint(key) not in {fingerprint(line) for line, _ in seen_lines}:
        return []
    n0, D = net.widths[0], net.architecture.num_parameters
    (W_at, v_at, _), (b_at, _, _) = parameter_offsets(net.architecture)
    at = lambda q: W_at + k * n0 + q if q < n0 else b_at + k  # noqa: E731
    unit = functools.partial(sparse_vector, D)
    p = next(q for q, x in enumerate(key) if x != 0)
    minors = [unit((at(q), key[p]), (at(p), -key[q])) for q in range(n0 + 1) if q != p]
    return [[unit((v_at + k, fmpq(1)))], minors]


def joint_cases(*partitions: list[list[list[fmpq]]]) -> list[list[list[fmpq]]]:
    """The common refinement of several covers (each a list of parts' equation lists; ``[]`` for none): one part
    per choice of a part of each, with their equations together.

    >>> joint_cases([[[1]], [[2]]], [], [[[3]], [[4]]])
    [[[1], [3]], [[1], [4]], [[2], [3]], [[2], [4]]]
    """
    return [[row for part in choice for row in part] for choice in itertools.product(*(p for p in partitions if p))]
