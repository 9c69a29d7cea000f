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

**An unused neuron under a function of one direction.** Let $n_0 \ge 2$, $c \ne 0$, $f$ not constant, every
neuron with $v \ne 0$ have its row on one line $\mathbb{R}u$ or $w = 0$ (so $h = g(u\cdot x)$), $k$ the only neuron
with $v = 0$, with $w_k \ne 0$, no zero neuron, and no non-empty set of the neurons whose rows are non-zero
multiples $\pm\lambda_j(w_k, b_k)$ with $v_j \ne 0$ of zero total jump $\sum v_j\lambda_j$. Then the fibre near
$\theta$ is covered by its members with $v'_k = 0$ and those with $w'_k \parallel u$ (none near $\theta$ when
$w_k \nparallel u$). *Proof.* For a member $\theta'$, $\sigma(h') = (f_r - d'_r)/c'_r$ ($c'_r \ne 0$) is a non-constant
function of $u\cdot x$, so $U' = \{h' > 0\}$ is a non-empty union of open slabs on which $h'$ is a function of
$u\cdot x$. If $w'_k \nparallel u$, neuron $k$'s hyperplane $K$ meets $U'$, at points on no other hyperplane of
$\theta'$ not through $K$; there $h'$ kinks along $K$ by the total jump of the neurons on $K$, which must vanish.
For $\theta' \to \theta$ those neurons are $k$, neurons whose rows tend to multiples of $k$'s (the others' hyperplanes
stay away from $K$ on bounded sets, those of neurons with $w = 0 \ne b$ go far away) and — excluded — zero or other
unused neurons; passing to a subsequence with one set, the jumps tend to a sub-sum over $k$'s multiples with
$v \ne 0$, so that set is $\{k\}$ alone and its jump $v'_k|w'_k| = 0$. $\square$ The first-order kernel adds both:
$v'_k$ free with the row on the line and the row free with $v'_k = 0$ (:func:`unused_line_cases`).

**A zero neuron.** Let $\theta$ be in regime PN or T with $c \ne 0$ and $P$ connected, $k$ a zero neuron ($w_k = 0$,
$b_k = 0$, $v_k \ne 0$), every neuron with $v = 0$ with $(w, b) \ne 0$ (an *unused* one), the zero neurons with one
sign of $v$, no non-empty set of constant neurons ($w = 0 \ne b$) with $\sum v_j|b_j| = 0$, and no first-layer
hyperplane of $\theta$ whose neurons have a non-empty subset of zero total jump. Then the fibre near $\theta$ is
covered by its members with $(w'_k, b'_k)$ on the line $\mathbb{R}\ell_L$ of a seen hyperplane $L$, one part per
$L$, those with $(w'_k, b'_k)$ parallel to $(w'_j, b'_j)$, one part per line of an unused neuron $j$, and those with
$w'_k\cdot\ell = 0$ for $\ell$ in the lineality space of the cone of recession directions of $\bar P$. *Proof.* Let
$w'_k \ne 0$, with hyperplane $H' = \{n\cdot x + \beta = 0\}$, $|n| = 1$: a neuron $j$ on it has $(w'_j, b'_j) =
\pm|w'_j|(n, \beta)$ and jump $v'_j|w'_j|$ whatever its orientation. Take members $\theta' \to \theta$ with one set
$S$ of neurons on $H'$. If $S$ holds an unused neuron $j$ ($v'_j$ near $0$ may cancel any small jump), $H'$ is $j$'s
hyperplane: a part of its own. Otherwise the rows in $S$ near those of a hyperplane $L$ of $\theta$ come from one
$L$, with jumps tending to $\sum_{S \cap L} v_j\lambda_j \ne 0$ if $S \cap L \ne \emptyset$, while the jumps of the
neurons with $w = 0$ tend to $0$. A constant neuron in $S$ forces $\beta \ne 0$; then the jumps times $|\beta|$ are
$v'_j|b'_j|$ for the neurons with $w = 0$, those of the zero neurons tending to $0$, so the constant neurons in $S$
would have $\sum v_j|b_j| = 0$. Hence $S$ holds zero neurons only, of one sign of $v$: the total jump on $H'$ is not
$0$ (neuron $k$ is *kinked*, :func:`kinked_zero_neurons`). If $H'$ meets $P$, then at a point of $H' \cap P$ on no
other hyperplane $h' = \mu h$ kinks along $H'$, so $H'$ is a seen hyperplane of $\theta$. Otherwise the connected
$P$ lies on one side of $H'$: $s(w'_k\cdot x + b'_k) \ge 0$ on $\bar P$ for one sign $s$, so $s\,w'_k$ is
non-negative on the recession cone of $\bar P$ and orthogonal to its lineality space. $\square$ The minors of the
rows $(w'_k, b'_k)$, $(w'_j, b'_j)$ have at $\theta$ the gradients of those with $(w_j, b_j)$ fixed ($w_k = 0 =
b_k$), on neuron $k$'s columns alone (:mod:`semialg.engine.tangent`, *zero neurons*). A zero neuron has its bias and
output weight free and, with $C^* = \{0\}$ (the lineality space is everything), its row pinned at $0$ or on a seen
line — not the $n_0$ free directions the first-order kernel gives it.
"""

from __future__ import annotations

import functools
import itertools

from flint import fmpq

from semialg.core.exact import fingerprint, normalise_row, sparse_vector
from semialg.core.network import Network
from semialg.engine.tangent import parameter_offsets
from semialg.families.bottleneck.constant_fibre import computes_constant
from semialg.families.bottleneck.views import OuterView
from semialg.geometry.zero_sum import find_zero_sum_set

__all__ = ["joint_cases", "kinked_zero_neurons", "unused_line_cases", "unused_neuron_cases", "zero_neuron_cases"]

#: parts of the joint zero-neuron covers beyond which they are not used (each part costs one rank)
_PARTS = 64


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
    (_, v_at, _), _ = parameter_offsets(net.architecture)
    return [[sparse_vector(net.architecture.num_parameters, (v_at + k, fmpq(1)))], _on_line(net, k, key)]


def unused_line_cases(net: Network, t) -> list[list[list[fmpq]]]:
    r"""The parts of the module docstring's *unused neuron under a function of one direction* as gradients at
    ``net`` (of combinatorial type ``t``): $\delta v_k = 0$, and the minors $u_p\,\delta w_{k,q} - u_q\,\delta w_{k,p}$
    ($p$ the first non-zero coordinate of $u$) when $w_k \parallel u$; ``[]`` when its conditions fail.
    Cost: $O(n_1D)$ and the zero-sum decision over $k$'s multiples.

    >>> from semialg.families.bottleneck.types import combinatorial_type
    >>> net = Network.from_arrays([[[1, -1], [1, -1]], [[0, 2]], [[1]]], [[-1, -1], [-2], [0]])
    >>> [len(part) for part in unused_line_cases(net, combinatorial_type(net))]   # v' = 0, or w' on the line
    [1, 1]
    """
    view, n0 = OuterView.of(net), net.widths[0]
    unused = [j for j, v in enumerate(view.v) if v == 0]
    if n0 < 2 or not any(view.c) or len(unused) != 1 or not any(view.w[unused[0]]) \
            or any(not any(w) and b == 0 for w, b in zip(view.w, view.b, strict=True)) or computes_constant(net, t):
        return []
    (k,) = unused
    live = [j for j, (w, v) in enumerate(zip(view.w, view.v, strict=True)) if v != 0 and any(w)]
    lines = {fingerprint(normalise_row(view.w[j])[0]) for j in live}
    row = tuple(view.w[k]) + (view.b[k],)
    key, scale, _ = normalise_row(row)
    multiples = [view.v[j] * normalise_row(tuple(view.w[j]) + (view.b[j],))[1] / scale for j in live
                 if normalise_row(tuple(view.w[j]) + (view.b[j],))[0] == key]
    if len(lines) != 1 or find_zero_sum_set([(x,) for x in multiples]).status != "none":
        return []
    (_, v_at, _), _ = parameter_offsets(net.architecture)
    unit = functools.partial(sparse_vector, net.architecture.num_parameters)
    u = normalise_row(view.w[live[0]])[0]
    if normalise_row(view.w[k])[0] != u:
        return [[unit((v_at + k, fmpq(1)))]]
    (W_at, _, _), _ = parameter_offsets(net.architecture)
    p = next(q for q, x in enumerate(u) if x != 0)
    return [[unit((v_at + k, fmpq(1)))],
            [unit((W_at + k * n0 + q, u[p]), (W_at + k * n0 + p, -u[q])) for q in range(n0) if q != p]]


def _on_line(net: Network, k: int, key: tuple) -> list[list[fmpq]]:
    """Gradients of the minors keeping the row and bias of neuron ``k`` on the line of ``key``."""
    n0, D = net.widths[0], net.architecture.num_parameters
    (W_at, _, _), (b_at, _, _) = parameter_offsets(net.architecture)
    at = lambda q: W_at + k * n0 + q if q < n0 else b_at + k  # noqa: E731
    unit = functools.partial(sparse_vector, D)
    p = next(q for q, x in enumerate(key) if x != 0)
    return [unit((at(q), key[p]), (at(p), -key[q])) for q in range(n0 + 1) if q != p]


def zero_neuron_cases(net: Network, regime: str, seen_lines: list[tuple[tuple, list[int]]], lines_uncancelled: bool,
                      pbar_lineality) -> list[list[list[list[fmpq]]]]:
    r"""One cover per zero neuron (module docstring, *a zero neuron*) as gradients at ``net``: a part per seen line
    and per line of an unused neuron's row and bias (its minors), and one with $w'_k\cdot\ell = 0$ for $\ell$ in
    ``pbar_lineality()`` (a basis of the lineality space of the cone of recession directions of $\bar P$, ``None``
    when $P$ is not connected or the cells are not enumerated); ``seen_lines`` as for :func:`unused_neuron_cases`, ``lines_uncancelled`` whether no
    hyperplane of $\theta$ has a cancelling subset. ``[]`` when the conditions fail or the covers would have more
    than ``_PARTS`` parts together. Cost: $O(mn_1D)$ for $m$ zero neurons, and ``pbar_lineality``.

    >>> net = Network.from_arrays([[[1, 0], [0, 1], [0, 0]], [[1, 1, 2]], [[1]]], [[0, 0, 0], [-1], [0]])
    >>> seen = [(tuple(map(fmpq, (1, 0, 0))), [0]), (tuple(map(fmpq, (0, 1, 0))), [1])]   # h = s(x) + s(y) - 1
    >>> covers = zero_neuron_cases(net, "PN", seen, True, lambda: [(1, 0), (0, 1)])
    >>> [[len(part) for part in cover] for cover in covers]   # on x = 0, on y = 0, or w'_3 = 0
    [[2, 2, 2]]
    """
    view, zeros = OuterView.of(net), kinked_zero_neurons(net, lines_uncancelled, beside_unused=True)
    lines = {fingerprint(key): key for key, _ in seen_lines}
    lines |= {fingerprint(key): key for key in (normalise_row(tuple(w) + (b,))[0]
                                                for w, b, v in zip(view.w, view.b, view.v, strict=True) if v == 0)}
    if regime not in ("PN", "T") or not any(view.c) or not zeros or (len(lines) + 1) ** len(zeros) > _PARTS:
        return []
    lineality = pbar_lineality()
    if lineality is None:
        return []
    (W_at, _, _), _ = parameter_offsets(net.architecture)
    n0, unit = net.widths[0], functools.partial(sparse_vector, net.architecture.num_parameters)
    return [[_on_line(net, k, key) for key in lines.values()]
            + [[unit(*((W_at + k * n0 + j, x) for j, x in enumerate(ell))) for ell in lineality]]
            for k in zeros]


def kinked_zero_neurons(net: Network, lines_uncancelled: bool, beside_unused: bool = False) -> list[int]:
    r"""The zero neurons ($w_k = 0 = b_k$) of a case-(a) parameter when each is *kinked*: every neuron has
    $v \ne 0$ (``beside_unused``: every neuron with $v = 0$ has $(w, b) \ne 0$, and the neurons sharing a zero
    neuron's hyperplane without an unused one have a non-zero total jump), the zero neurons one sign of $v$, no non-empty set of constant neurons ($w = 0 \ne b$) has
    $\sum v_j|b_j| = 0$, and (``lines_uncancelled``) no first-layer hyperplane has neurons with a non-empty subset of
    zero total jump. Then near $\theta$ the neurons sharing a zero neuron's hyperplane in a member have a non-zero
    total jump (the proof in the module docstring); ``[]`` otherwise. Cost: $O(n_1n_0)$ and
    :func:`~semialg.geometry.zero_sum.find_zero_sum_set` on the constant neurons' $v_j|b_j|$.

    >>> net = Network.from_arrays([[[1, 0], [0, 0]], [[1, -1]], [[1]]], [[0, 0], [-1], [0]])
    >>> kinked_zero_neurons(net, True), kinked_zero_neurons(net.replace_layer(2, [[1, 0]]), True)
    ([1], [])
    """
    view = OuterView.of(net)
    zeros = [k for k, (w, b) in enumerate(zip(view.w, view.b, strict=True)) if not any(w) and b == 0]
    jumps = [(v * abs(b),) for w, b, v in zip(view.w, view.b, view.v, strict=True) if not any(w) and b != 0 != v]
    unused = [(w, b) for w, b, v in zip(view.w, view.b, view.v, strict=True) if v == 0]
    if (not lines_uncancelled or len({view.v[k] > 0 for k in zeros}) > 1 or find_zero_sum_set(jumps).status != "none"
            or (any(not any(w) and b == 0 for w, b in unused) if beside_unused else unused)):
        return []
    return zeros


def joint_cases(*partitions: list[list[list[fmpq]]]) -> list[list[list[fmpq]]]:
    """The common refinement of several covers (each a list of parts' equation lists; ``[]`` for none): one part
    per choice of a part of each, with their equations together.

    >>> joint_cases([[[1]], [[2]]], [], [[[3]], [[4]]])
    [[[1], [3]], [[1], [4]], [[2], [3]], [[2], [4]]]
    """
    return [[row for part in choice for row in part] for choice in itertools.product(*(p for p in partitions if p))]
