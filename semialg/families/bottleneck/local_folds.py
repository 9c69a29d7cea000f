r"""Constant neurons folding into a neuron active on $P$ (case (a)): a one-parameter family of the fibre that tilts
a constant neuron along another neuron's row, for the lower bounds of :mod:`semialg.families.bottleneck.local`.

For $f = c\,\sigma(h) + d$, $h(x) = \sum_j v_j\sigma(\ell_j(x)) + e$, $\ell_j(x) = w_j\cdot x + b_j$,
$P = \{h > 0\}$, $c \ne 0$: let $i$ be a constant neuron ($w_i = 0$, $b_i > 0$, $v_i \ne 0$: it adds $v_ib_i$) and
$k$ a neuron active on $P$ ($P \subset \{\ell_k \ge 0\}$, a U$+$ neuron), $Z = \{\ell_k \le 0\}$.

**Statement.** For $a \ge 0$ put $\ell'_i = b_i + a\ell_k$ (so $w'_i = aw_k$, $b'_i = b_i + ab_k$) and
$v'_k = v_k - av_i$, all else kept. Then $h' = h$ on $\{\ell_k \ge 0\} \supset P$ and $h' - h = -v_iG_a(\ell_k)$
on $Z$ with $0 \le G_a(z) = \min(a|z|, b_i) \le b_i$. So $\theta'$ computes $f$ (i) always if $v_i > 0$ ($h$ only
drops off $P$), (ii) if $v_i < 0$ and $h - v_ib_i \le 0$ on $Z$ — what the other neurons and $e$ add there is
non-positive. *Proof.* With $z = \ell_k(x)$, $h' - h = v_i(\sigma(b_i + az) - b_i) - av_i\sigma(z)
= -v_iG_a(z)$, $G_a(z) = b_i + a\sigma(z) - \sigma(b_i + az)$: $0$ for $z \ge 0$, $a|z|$ for
$-b_i/a \le z < 0$ and $b_i$ below. In (ii) $h' \le h + |v_i|b_i \le 0$ on $Z$; in both $h' = h$ on $P$ and
$h' \le 0$ off it ($h \le 0$ there), so $\sigma(h') = \sigma(h)$. $\square$ For every $a \ge 0$, not only small:
the family is a half-line with apex $\theta$, direction $\delta w_i = w_k$, $\delta b_i = b_k$, $\delta v_k = -v_i$.
*Together* (ii'): constant neurons $i \in S$ with $v_i < 0$ fold into $k$ each by its own $a_i \ge 0$ ($v'_k = v_k -
\sum_S a_iv_i$) if $h - \sum_S v_ib_i \le 0$ on $Z$: $h' - h = -\sum_S v_iG_{a_i}(\ell_k)$, $0$ where $\ell_k \ge 0$
and at most $\sum_S|v_i|b_i$ on $Z$ — an orthant of dimension $|S|$, where (ii) gives a half-line per neuron, not
combining.

**Tilts** (iii). Let moreover $v_i < 0 < v_k$ and $m$ be an affine map with $h - v_ib_i \le 0$ on $\{m < 0\}$
(so $m \ge 0$ on $P$, where $h - v_ib_i > 0$). For $a \ge 0$ put $\ell'_i = b_i + am$ and $\ell'_k = \ell_k + \beta m$,
$\beta = a|v_i|/v_k$: this keeps $f$. *Proof.* Where $m \ge 0$, $\ell'_i > 0$ and the affine parts cancel
($v_k\beta m + v_iam = 0$), so $h' - h = v_k(\sigma(\ell_k + \beta m) - \sigma(\ell_k) - \beta m) \le 0$ ($\sigma$ is
1-Lipschitz and non-decreasing), $= 0$ where $\ell_k \ge 0$, on $P$ in particular. Where $m < 0$, $k$'s term only
drops ($v_k > 0$) and $i$'s rises by at most $|v_i|b_i$: $h' \le h - v_ib_i \le 0$. $\square$ If $m_1$, $m_2$
qualify so does $m_1 + m_2$ ($\{m_1 + m_2 < 0\} \subset \{m_1 < 0\} \cup \{m_2 < 0\}$), and $m + s$ for $s \ge 0$:
the qualifying maps form a convex cone, and the parameters $\sum_j a_jm_j$, $a_j \ge 0$, one family, with directions
$\delta(w_i, b_i) = m_j$, $\delta(w_k, b_k) = (|v_i|/v_k)m_j$. Its member $m = \ell_k$ is the fold up to $k$'s
rescaling; (ii)'s condition is that $m = \ell_k$ qualifies with $\le$ on $\{\ell_k \le 0\}$.

*Composing* (i): it only lowers $h$ off $P$, like the downhill translations of
:mod:`~semialg.families.bottleneck.local`, so it is done after every other move, from the moved $\theta_1$: those
keep $f$, hence $P$, and (for $k$ on a first-layer hyperplane without cancelling subsets, the *kinks kept off*
$P$ there) $P$ on $k$'s side; it needs $w_i = 0 < b_i$ at $\theta_1$, so $i$ is tilted by no other move.
(ii) and (iii) need $h_1 - v_{1,i}b_{1,i} \le 0$ where $k$ is off (resp. $m < 0$) at $\theta_1$, with no margin, so
they compose with fewer moves (:func:`folded_lower_bound`), done before them: those of
:mod:`semialg.engine.tangent` that keep $h$ up to the factor $\mu$ of the second layer and $k$'s row up to its
rescaling — the trades of $i$ with $e$ one-sided, the way that lowers $h - v_ib_i$ ($\delta b_i \le 0$,
$\delta v_i \ge 0$: a quadrant, whose span counts) —, and moves that only lower $h$ and at most raise $b_k$ ($k$'s
inactive side shrinks): the downhill translations and the zero neurons waking as twins
(:mod:`~semialg.families.bottleneck.zero_twins`). That span with the fold's or the tilts' directions is a lower
bound of its own, taken when it is larger.

**Unused folds** (iv). Let $i$ be unused ($v_i = 0$) with $\ell_i = \mu\ell_k + \beta$, $\mu, \beta \ge 0$ (an
unused constant neuron, $\mu = 0 < \beta = b_i$, or an unused twin of $k$ kinked on $k$'s inactive side), $k$ as
above. For $\mu', \beta', a \ge 0$ put $\ell'_i = \mu'\ell_k + \beta'$, $v'_i = a$, $v'_k = v_k - a\mu'$,
$e' = e - a\beta'$: this keeps $f$. *Proof.* $h' - h = a(\sigma(\mu'\ell_k + \beta') - \mu'\sigma(\ell_k) - \beta')$,
$0$ where $\ell_k \ge 0$ and $\le 0$ everywhere ($\sigma$ is subadditive and positively homogeneous, $\beta' \ge 0$).
$\square$ The family has the three coordinates $(\mu', \beta', a)$ of $i$ ($w_k \ne 0$), where the unused neuron's
free row has $n_0 + 1$: more for $n_0 = 1$. It only lowers $h$ off $P$ and composes as (ii) does, with the moves
that move no parameter of $i$ (:func:`unused_fold_lower_bound`). Under $h = \sigma(-x) - 2\sigma(-2x - 2)$ plus the
unused $\sigma(-2x)$ and $3\sigma(-3)$ in 1-4-1-2 ($P = (-4/3, 0)$) the unused twin of $\sigma(-x)$ slides right
and gains $v'_i > 0$: local dimension 10 by hand (the profile's 17 parameters, four equations for $h'$ on $P$, one
free $\lambda$, $d$ fixed, the kinks at $0$ moving right one-sidedly, $3\sigma(-3)$ waking left), the upper bound,
where the other moves give 9; under $h = \sigma(-3x - 1) + 3\sigma(-3x + 3/2) - 2\sigma(3/2) - 1$ plus the
unused $\sigma(2)$ in 1-4-1-2, the constant tilts to $\sigma(2 - \alpha x)$ with $v'_i > 0$: $(8, 10) \to 9$.

Under $h = 2\sigma(x - 3y + 3) - \sigma(2) + 2\sigma(0)$ in 3-3-1-2 ($P = \{x - 3y > -2\}$, a zero neuron) the
constant neuron folds into the U$+$ one: $h - v_ib_i = 2\sigma(x - 3y + 3) \le 0$ where it is off. Local dimension
9, by hand (every row on $(1, -3, 0)$; the profile has 11 parameters, two equations on $P$, and inequalities off
it that hold on an open set: the tilt of the constant neuron needs $e' < 0$), where the other moves give 8. Under
$h = \sigma(x - 7) - 2\sigma(x + 2y - 1) - \sigma(2) - 2$ in 2-3-1-2 the constant neuron and $\sigma(x - 7)$ tilt
along $m = 1$, $x - 7$ (the fold) and $-y$ ($h + 2 < 0$ where $y > 0$).

>>> from semialg.core.network import Network
>>> net = Network.from_arrays([[[1], [0]], [[2, -1]], [[1]]], [[3, 2], [0], [0]])   # h = 2 s(x + 3) - 2
>>> folds_below(net, 1, 0), [i for i, x in enumerate(fold_direction(net, 1, 0)) if x]   # w_1, b_1, v_0
(True, [1, 3, 4])
"""

from __future__ import annotations

import itertools

from flint import fmpq

from semialg.core.exact import dot, rank, sparse_vector
from semialg.core.network import Network
from semialg.engine.tangent import move_directions, parameter_offsets
from semialg.families.bottleneck.cell_cones import cell_cones, cut_generators
from semialg.families.bottleneck.types import BottleneckType
from semialg.families.bottleneck.views import OuterView
from semialg.geometry.cone import dual_cone_spanning_rows

__all__ = ["constant_folds", "fold_direction", "folded_lower_bound", "folds_below", "tilt_directions",
           "unused_fold_lower_bound", "unused_folds"]

_ZERO, _ONE = fmpq(0), fmpq(1)
#: pairs (constant neuron, active neuron) tried by :func:`folded_lower_bound`, one rank each
_PAIRS = 16


def fold_direction(net: Network, i: int, k: int) -> list[fmpq]:
    r"""The fold's direction (module docstring) of constant neuron $i$ into neuron $k$: $\delta w_i = w_k$,
    $\delta b_i = b_k$, $\delta v_k = -v_i$, as a flat parameter vector. Cost: $O(D)$.

    >>> from semialg.core.network import Network
    >>> fold_direction(Network.from_arrays([[[1], [0]], [[1, 2]], [[1]]], [[0, 1], [-3], [0]]), 1, 0)
    [0, 1, 0, 0, -2, 0, 0, 0, 0]
    """
    view, n0 = OuterView.of(net), net.widths[0]
    (W_at, v_at, _), (b_at, _, _) = parameter_offsets(net.architecture)
    return sparse_vector(net.architecture.num_parameters, *((W_at + i * n0 + j, x) for j, x in enumerate(view.w[k])),
                         (b_at + i, view.b[k]), (v_at + k, -view.v[i]))


def constant_folds(net: Network, t: BottleneckType, hidden_lines: list[tuple[tuple, list[int]]],
                   tilted: set | frozenset = frozenset()) -> list[list[fmpq]]:
    r"""The folds (i) of the module docstring for a case-(a) parameter with $c \ne 0$: for every constant neuron
    $i$ with $v_i > 0$ not in ``tilted`` (rows moved by other moves), the fold into the first U$+$ neuron $k$
    with $v_k \ne 0$ of ``hidden_lines`` (hyperplanes of the hidden neurons without cancelling subsets,
    normalised rows with their neurons, as :func:`~semialg.families.bottleneck.kink_equations.uncancelled_lines`
    finds them: $P$ stays on $k$'s active side at every member near $\theta$). Cost: $O(n_1D)$.

    >>> from semialg.core.network import Network
    >>> from semialg.families.bottleneck.types import combinatorial_type
    >>> net = Network.from_arrays([[[1], [0]], [[1, 2]], [[1]]], [[0, 1], [-3], [0]])   # h = s(x) + 2 s(1) - 3
    >>> [[i for i, x in enumerate(m) if x] for m in constant_folds(net, combinatorial_type(net), [((1, 0), [0])])]
    [[1, 4]]
    """
    view = OuterView.of(net)
    active = [k for _, members in hidden_lines for k in members if t.classes[k] == "U+" and view.v[k] != 0]
    if not any(view.c) or not active:
        return []
    return [fold_direction(net, i, active[0]) for i, (w, b, v) in enumerate(zip(view.w, view.b, view.v, strict=True))
            if not any(w) and b > 0 and v > 0 and i not in tilted]


def folds_below(net: Network, i: int | tuple[int, ...], k: int) -> bool:
    r"""Whether $h - v_ib_i \le 0$ on $Z = \{\ell_k \le 0\}$, the condition of fold (ii) (for a tuple ``i`` of
    neurons folding together, (ii'): $h - \sum v_ib_i \le 0$): on each cell, where $h$ is
    affine, at the generators of its cone cut by $-\ell_k \ge 0$ (the vertices $t > 0$ and rays $t = 0$ of its part
    of $Z$). ``False`` when the cells' generators are not enumerated. Cost: $O(G^2)$ per cell of $G$ generators.

    >>> from semialg.core.network import Network
    >>> net = Network.from_arrays([[[1], [0]], [[2, -1]], [[1]]], [[3, 2], [0], [0]])   # h = 2 s(x + 3) - 2
    >>> folds_below(net, 1, 0), folds_below(net.replace_layer(2, None, [1]), 1, 0)     # e = 1: h - v_1 b_1 = 1
    (True, False)
    """
    view, cones = OuterView.of(net), cell_cones(net)
    if cones is None:
        return False
    side = tuple(-x for x in view.w[k]) + (-view.b[k],)
    shift = sum((view.v[j] * view.b[j] for j in (i if isinstance(i, tuple) else (i,))), _ZERO)
    return all(val - shift * g[-1] <= 0 for g, val in _cut(cones, lambda g, val: dot(side, g)))


def _cut(cones: list[list], z, strict: bool = False) -> list[tuple]:
    r"""Generators $(g, \tilde h(g))$ of the cones over the cells' parts of $\{z \ge 0\}$, $z(g, \tilde h)$ linear
    on each cell: those with $z \ge 0$ and, for each pair across $z = 0$, the positive combination on it. A cell
    whose part is empty (no generator with $t > 0$; ``strict``: none with $z > 0$, the closure of the cell's part
    of $\{z > 0\}$) adds none: its rays are no directions of the set."""
    out = []
    for gens in cones:
        zs = [z(g, val) for g, _, val in gens]
        here = [(g, val) for zi, (g, _, val) in zip(zs, gens, strict=True) if zi >= 0]
        here += [(tuple(zi * b - zj * a for a, b in zip(gi, gj, strict=True)), zi * vj - zj * vi)
                 for zi, (gi, _, vi) in zip(zs, gens, strict=True) if zi > 0
                 for zj, (gj, _, vj) in zip(zs, gens, strict=True) if zj < 0]
        out += here if (any(zi > 0 for zi in zs) if strict else any(g[-1] > 0 for g, _ in here)) else []
    return out


def tilt_directions(net: Network, i: int, k: int) -> list[list[fmpq]]:
    r"""Directions of the tilts (iii) of the module docstring of constant neuron $i$ ($v_i < 0$) and neuron $k$
    ($v_k > 0$, active on $P$): for each candidate affine $m$ — the fold's $\ell_k$, the constant $1$, rows spanning
    the cone of affine maps non-negative on $\bar P$ (:func:`~semialg.geometry.cone.dual_cone_spanning_rows`), and
    $\pm$ the neurons' rows and the coordinates — raised by the least constant $s \ge 0$ that puts
    $\{h - v_ib_i > 0\}$ inside $\{m \ge 0\}$, read at the generators of its closure in each cell (none when one
    of its recession directions has $m < 0$): $\delta(w_i, b_i) = m$, $\delta(w_k, b_k) = (|v_i|/v_k)\,m$. ``[]``
    when the cells' generators are not enumerated. Cost: $O(n_1 + n_0)$ candidates, each read at the $O(G^2)$ cut
    generators of every cell of $G$ generators.

    >>> from semialg.core.network import Network
    >>> net = Network.from_arrays([[[1, 2], [0, 0], [1, 0]], [[-2, -1, 1]], [[1]]], [[-1, 2, -7], [-2], [0]])
    >>> from semialg.core.exact import rank
    >>> rank(tilt_directions(net, 1, 2))      # h = s(x - 7) - 2 s(x + 2y - 1) - 4: m = 1, x - 7 and -y
    3
    """
    view, n0, cones = OuterView.of(net), net.widths[0], cell_cones(net)
    if cones is None:
        return []
    pbar = [g for gens in cones if any(val > 0 for _, _, val in gens) for g in cut_generators(gens)]
    shift = view.v[i] * view.b[i]
    cut = [g for g, _ in _cut(cones, lambda g, val: val - shift * g[-1], strict=True)]
    unit = [tuple(_ONE if q == j else _ZERO for q in range(n0 + 1)) for j in range(n0 + 1)]
    candidates = [tuple(view.w[k]) + (view.b[k],), unit[n0]]
    candidates += [tuple(-x for x in y) for y in (dual_cone_spanning_rows(pbar) if pbar else [])]
    candidates += [tuple(s * x for x in r) for r in [tuple(w) + (b,) for w, b in zip(view.w, view.b, strict=True)
                                                     if any(w)] + unit[:n0] for s in (1, -1)]
    (W_at, _, _), (b_at, _, _) = parameter_offsets(net.architecture)
    out, scale = [], -view.v[i] / view.v[k]
    for m in candidates:
        values = [(dot(m, g), g[-1]) for g in cut]
        if any(t == 0 and z < 0 for z, t in values):
            continue
        s = max([_ZERO] + [-z / t for z, t in values if t > 0])
        m = m[:n0] + (m[n0] + s,)
        out.append(sparse_vector(net.architecture.num_parameters,
                                 *((W_at + i * n0 + j, x) for j, x in enumerate(m[:n0])), (b_at + i, m[n0]),
                                 *((W_at + k * n0 + j, scale * x) for j, x in enumerate(m[:n0])),
                                 (b_at + k, scale * m[n0])))
    return out


def folded_lower_bound(net: Network, t: BottleneckType, lowering: list[list[fmpq]],
                       withdrawn: list[list[fmpq]]) -> int:
    r"""The lower bound of the folds (ii) and tilts (iii) (module docstring): the largest, over pairs of a constant
    neuron $i$ with $v_i < 0$ and a U$+$ neuron $k$ with $v_k \ne 0$, rank of the moves of
    :mod:`semialg.engine.tangent` (less ``withdrawn``) that keep $k$'s row up to its rescaling, the moves of
    ``lowering`` (downhill translations and zero neurons waking as twins, which only lower $h$) that keep $k$'s
    row up to a raised bias and move no parameter of $i$, and the directions of :func:`tilt_directions` for
    $v_k > 0$ (the cone of tilts holds the fold), the fold's if :func:`folds_below` for $v_k < 0$ — and for all the
    constant neurons with $v < 0$ folding into $k$ together (ii') when they do; 0 when there
    is no such pair or $c = 0$. Cost: one exact rank of $O(D)$ vectors and :func:`tilt_directions` per pair, at
    most ``_PAIRS`` pairs.
    """
    view, n0 = OuterView.of(net), net.widths[0]
    consts = [i for i, (w, b, v) in enumerate(zip(view.w, view.b, view.v, strict=True)) if not any(w) and b > 0 > v]
    active = [k for k, cls in enumerate(t.classes) if cls == "U+" and view.v[k] != 0]
    if not any(view.c) or not consts or not active:
        return 0
    (W_at, v_at, _), (b_at, _, _) = parameter_offsets(net.architecture)
    first = [m for m in move_directions(net) if m not in withdrawn]

    def row(m, j) -> list:
        return list(m[W_at + j * n0: W_at + (j + 1) * n0]) + [m[b_at + j]]

    def rescales(m, k) -> bool:      # k's row moved by a multiple of itself (or not at all)
        r, own = row(m, k), list(view.w[k]) + [view.b[k]]
        return rank([r, own]) <= 1

    def raises(m, k) -> bool:        # k's row kept, or its bias raised
        r = row(m, k)
        return not any(r[:n0]) and r[n0] >= 0

    def best_with(S, k, family) -> int:
        moves = [m for m in first if rescales(m, k)]
        moves += [m for m in lowering if raises(m, k) and not any(any(row(m, i)) or m[v_at + i] for i in S)]
        return rank(moves + family)

    best = 0
    for i, k in itertools.islice(((i, k) for i in consts for k in active), _PAIRS):
        # for v_k > 0 the tilts hold the fold up to k's rescaling (m = l_k + s, s >= 0, and m = 1): one family
        family = tilt_directions(net, i, k) if view.v[k] > 0 else [fold_direction(net, i, k)] * folds_below(net, i, k)
        if family:
            best = max(best, best_with((i,), k, family))
    for k in active[:_PAIRS] if len(consts) > 1 else ():     # (ii'): all of them folding together
        if folds_below(net, tuple(consts), k):
            best = max(best, best_with(consts, k, [fold_direction(net, i, k) for i in consts]))
    return best


def unused_folds(net: Network, t: BottleneckType, hidden_lines: list[tuple[tuple, list[int]]]) -> list[tuple]:
    r"""``(i, k, mu, beta)`` for the unused neurons $i$ ($v_i = 0$) with $\ell_i = \mu\ell_k + \beta$,
    $\mu, \beta \ge 0$ for a U$+$ neuron $k$ with $v_k \ne 0$ of ``hidden_lines`` (as :func:`constant_folds`), the
    first such $k$: the unused folds (iv) of the module docstring. Cost: $O(n_1^2n_0)$.

    >>> from semialg.core.network import Network
    >>> from semialg.families.bottleneck.types import combinatorial_type
    >>> net = Network.from_arrays([[[-2], [-1], [0]], [[0, 1, 0]], [[1]]], [[0, 0, 2], [0], [0]])   # h = s(-x)
    >>> unused_folds(net, combinatorial_type(net), [((-1, 0), [1])])     # s(-2x) = 2 s(-x), s(2) = 2
    [(0, 1, 2, 0), (2, 1, 0, 2)]
    """
    view = OuterView.of(net)
    active = [k for _, members in hidden_lines for k in members if t.classes[k] == "U+" and view.v[k] != 0]
    out = []
    for i, (w, b, v) in enumerate(zip(view.w, view.b, view.v, strict=True)):
        for k in active if v == 0 and any(view.c) else []:
            p = next(p for p, x in enumerate(view.w[k]) if x)
            mu = view.w[i][p] / view.w[k][p]
            if mu >= 0 and all(x == mu * y for x, y in zip(w, view.w[k], strict=True)) and b - mu * view.b[k] >= 0 \
                    and (mu != 0 or b != 0):
                out.append((i, k, mu, b - mu * view.b[k]))
                break
    return out


def unused_fold_lower_bound(net: Network, t: BottleneckType, hidden_lines: list[tuple[tuple, list[int]]],
                            moves: list[list[fmpq]], withdrawn: list[list[fmpq]]) -> int:
    r"""The lower bound of the unused folds (iv) (module docstring): the rank of the moves of
    :mod:`semialg.engine.tangent` (less ``withdrawn``) and ``moves`` (directions of the other moves of
    :mod:`~semialg.families.bottleneck.local`, which compose with them) that move no parameter of a folding unused
    neuron $i$, and for each pair of :func:`unused_folds` the directions $\delta(w_i, b_i) = \ell_k$,
    $\delta b_i = 1$ and $\delta v_i = 1$, $\delta v_k = -\mu$, $\delta e = -\beta$; 0 when there is no pair. The
    folds are done last, like (i): the others keep $f$, hence $P$ on $k$'s side ($k$ on a line of
    ``hidden_lines``). Cost: :func:`unused_folds` and one exact rank of $O(D)$ vectors.

    >>> from semialg.core.network import Network
    >>> from semialg.families.bottleneck.types import combinatorial_type
    >>> net = Network.from_arrays([[[-2], [-1], [-2], [0]], [[0, 1, -2, 3]], [[1], [-1]]],
    ...                           [[0, 0, -2, -3], [0], [0, 1]])     # the unused s(-2x) slides right with v > 0
    >>> unused_fold_lower_bound(net, combinatorial_type(net), [((-1, 0), [1])], [], [])
    8
    """
    pairs = unused_folds(net, t, hidden_lines)
    if not pairs:
        return 0
    view, n0, D = OuterView.of(net), net.widths[0], net.architecture.num_parameters
    (W_at, v_at, _), (b_at, e_at, _) = parameter_offsets(net.architecture)
    folding = {i for i, *_ in pairs}

    def free_of(m, i) -> bool:
        return not any(m[W_at + i * n0: W_at + (i + 1) * n0]) and not m[b_at + i] and not m[v_at + i]

    kept = [m for m in [m for m in move_directions(net) if m not in withdrawn] + moves
            if all(free_of(m, i) for i in folding)]
    for i, k, mu, beta in pairs:
        kept += [sparse_vector(D, *((W_at + i * n0 + j, x) for j, x in enumerate(view.w[k])), (b_at + i, view.b[k])),
                 sparse_vector(D, (b_at + i, _ONE)),
                 sparse_vector(D, (v_at + i, _ONE), (v_at + k, -mu), (e_at, -beta))]
    return rank(kept)
