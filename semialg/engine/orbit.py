"""Exact membership in a $G$-orbit: is $\\theta_2 = g\\cdot\\theta_1$ for some $g \\in G$?

$g = (\\pi_l, \\lambda_l)_l$ acts by $W'_l[i,j] = \\lambda_l[i]\\,W_l[\\pi_l(i), \\pi_{l-1}(j)] / \\lambda_{l-1}[j]$ and
$b'_l[i] = \\lambda_l[i]\\,b_l[\\pi_l(i)]$ (input and output neurons have $\\lambda = 1$, $\\pi = \\mathrm{id}$).
:func:`orbit_element` searches the permutations layer by layer: neuron $i$ of $\\theta_2$ can only be matched
to a neuron of $\\theta_1$ whose incoming row, read in the frame already fixed for the previous layer, is a
positive multiple of its own (entries in the columns of neurons whose scale is not yet determined — zero
rows — are compared by sign only). Ties (positive twins) are branched over. Zero neurons (zero row and bias)
are not matched in their own layer: their columns count as their numbers of positive and negative entries in the
next layer's keys, and once that layer is matched, a zero neuron $j$ of $\\theta_2$ goes to one of
$\\theta_1$ whose column in the next layer's frame is a positive multiple of its own (its only equations, see
:func:`_resolve`; one bijection per class of equal columns, branching only over entries in rows of unknown
scale). For fixed permutations the scales solve a multiplicative system
$\\lambda_l[i] = r\\,\\lambda_{l-1}[j]$, one equation per non-zero entry, which is solved exactly by propagation
along a spanning forest and checked on every entry.
The answer is exact: a :class:`~semialg.core.symmetry.GroupElement` $g$ with $g\\cdot\\theta_1 = \\theta_2$
(re-checked), or ``None`` after an exhaustive search; the search raises
:class:`~semialg.engine.loci.UndecidedError` when more than ``budget`` matchings would be needed.

Cost: $O(\\dim\\Omega \\log n)$ when no layer has two non-zero neurons with positively proportional rows (the
generic case: one matching per layer; zero neurons whose columns meet rows of known scale included); otherwise
up to the product of the factorials of the tie sizes.

>>> from semialg.core.network import Network
>>> from semialg.core.symmetry import GroupElement
>>> net = Network.random((2, 3, 3, 1), seed=0)
>>> g = GroupElement.random(net.architecture, seed=1)
>>> orbit_element(net, g.act(net)).act(net) == g.act(net)
True
>>> orbit_element(net, net.replace_layer(3, bias=[7])) is None
True
"""

from __future__ import annotations

import collections
import itertools
import time
from typing import Sequence

import numpy as np
from flint import fmpq

from semialg.core.exact import fingerprint
from semialg.core.network import Network
from semialg.core.rational_matrix import RationalMatrix
from semialg.core.symmetry import GroupElement
from semialg.engine.loci import UndecidedError
from semialg.engine.hyperplane_keys import oriented_rows
from semialg.engine.neurons import flip

__all__ = ["frame_keys", "orbit_element", "same_orbit", "tie_classes", "zero_neuron_key", "flip_orbits",
           "FLIP_ORBIT_LIMIT"]

_ONE = fmpq(1)
_ZERO = fmpq(0)


def _sign(x: fmpq) -> int:
    return (x > 0) - (x < 0)


def _key(row: list, free: list[bool]) -> tuple[tuple, fmpq | None]:
    """A positive-scaling invariant of ``row`` (entries in ``free`` columns by sign) and its scale, if any."""
    known = [x for x, f in zip(row, free, strict=True) if not f]
    lead = next((abs(x) for x in known if x), None)
    norm = fingerprint([x / lead for x in known] if lead else known)     # hashed as integers: long rows
    return (norm, tuple(_sign(x) for x, f in zip(row, free, strict=True) if f)), lead


def _scales(net1: Network, net2: Network, perms: list[tuple[int, ...]]) -> GroupElement | None:
    r"""The positive scales with the given permutations, solved exactly; ``None`` when there are none.

    Each equation $\lambda_l[i]\,x = \lambda_{l-1}[j]\,y$ (an entry $y$ of $\theta_2$, $x$ its image in
    $\theta_1$) fixes one scale from the other: sweeps over the layers fix every scale reachable from the
    inputs, the outputs or the biases along non-zero entries (a spanning forest, at most one equation read per
    scale and sweep), a component reached from none of them from its first scale set to 1; then $g\cdot\theta_1 = \theta_2$ is checked exactly, which checks every
    equation at once (integer matrices). Cost: $O(\dim\Omega)$ per sweep, one sweep per layer at most in practice."""
    widths, L = net1.widths, net1.depth
    perm_of = [tuple(range(widths[0]))] + list(perms) + [tuple(range(widths[L]))]
    lam: list[list] = [[_ONE] * widths[0]] + [[None] * widths[l] for l in range(1, L)] + [[_ONE] * widths[L]]

    def incoming(l: int, i: int):
        """lambda_l[i] from the bias or an incoming entry whose other end is fixed."""
        pi = perm_of[l][i]
        b1, b2 = net1.biases[l - 1][pi], net2.biases[l - 1][i]
        if b1 and b2:
            return b2 / b1
        W1, W2 = net1.weights[l - 1][pi], net2.weights[l - 1][i]     # only now: rows of fmpq cost seconds at scale
        for j, y in enumerate(W2):
            x = W1[perm_of[l - 1][j]]
            if y and x and lam[l - 1][j] is not None:
                return y * lam[l - 1][j] / x
        return None

    def outgoing(l: int, i: int):
        """lambda_l[i] from an outgoing entry whose other end is fixed."""
        pi = perm_of[l][i]
        for k in range(widths[l + 1]):
            x, y = net1.weights[l][perm_of[l + 1][k]][pi], net2.weights[l][k][i]
            if y and x and lam[l + 1][k] is not None:
                return lam[l + 1][k] * x / y
        return None

    while True:
        changed = True
        while changed:
            changed = False
            for l in range(1, L):
                for i in range(widths[l]):
                    if lam[l][i] is None and (found := incoming(l, i) or outgoing(l, i)) is not None:
                        lam[l][i], changed = found, True
        # a component reached from no input, output or bias: its first scale is free (1), the others follow
        root = next(((l, i) for l in range(1, L) for i in range(widths[l]) if lam[l][i] is None), None)
        if root is None:
            break
        lam[root[0]][root[1]] = _ONE
    if any(x <= 0 for row in lam for x in row):
        return None
    g = GroupElement(perms, lam[1:L])
    return g if g.act(net1) == net2 else None


def orbit_element(net1: Network, net2: Network, budget: int = 10 ** 5,
                  fixed: dict[tuple[int, int], int] | None = None, cache: dict | None = None,
                  deadline: float | None = None) -> GroupElement | None:
    """A $g \\in G$ with $g\\cdot\\theta_1 = \\theta_2$, or ``None`` when there is none (exhaustive and exact).

    ``fixed`` maps ``(l, i)`` to $a$: only elements with $\\pi_l(i) = a$ are searched (neuron $i$ of hidden layer
    $l$ of $\\theta_2$ comes from neuron $a$ of $\\theta_1$; layers and neurons numbered from 1 and 0). Raises
    :class:`~semialg.engine.loci.UndecidedError` when more than ``budget`` layer matchings would have to be
    tried. ``cache``: a dict kept between calls with the same ``net2`` (the layer keys of $\\theta_2$ are computed
    once per frame; with ``net1 is net2`` those of $\\theta_1$ in the identity frame are the same). ``deadline``
    (a :func:`time.monotonic` time): past it, checked once per row keyed and per matching, the search raises
    :class:`~semialg.engine.loci.UndecidedError` too (a first layer of 4,096 rows of 784 float32 weights takes
    seconds to key). See the module docstring for the algorithm and its cost.
    """
    if net1.widths != net2.widths:
        return None
    L, widths = net1.depth, net1.widths
    fixed = fixed or {}
    cache = {} if cache is None else cache
    tried = [0]

    def count():
        tried[0] += 1
        if tried[0] > budget:
            raise UndecidedError(f"the orbit search needs more than {budget} matchings (many tied neurons)")
        on_time()

    def on_time(row: int | None = None):
        if deadline is not None and time.monotonic() > deadline:
            where = "" if row is None else f" (keying row {row + 1})"
            raise UndecidedError(f"the orbit search: the deadline passed{where}")

    def search(l: int, perms: list, lams: list, pending: tuple[list, list]):
        prev_perm = perms[-1] if perms else tuple(range(widths[0]))
        prev_lam = lams[-1] if lams else [_ONE] * widths[0]
        if l == L:
            if not perms:
                return _scales(net1, net2, [])
            perm, lam = tuple(range(widths[L])), [_ONE] * widths[L]
            for resolved in _resolve(net1.weights[L - 1], net2.weights[L - 1], perm, lam, pending, count):
                found = _scales(net1, net2, perms[:-1] + [_filled(prev_perm, resolved)])
                if found is not None:
                    return found
            return None
        src, dst = pending
        cols = [j for j in range(widths[l - 1]) if prev_perm[j] is not None]
        free = [prev_lam[j] is None for j in cols] + [False]
        W1, b1, W2, b2 = net1.weights[l - 1], net1.biases[l - 1], net2.weights[l - 1], net2.biases[l - 1]
        # the input layer's frame is the identity: rows keyed on the integer forms when both have them (no
        # rational per weight); keys of the two kinds are never compared (the kind is part of the frame)
        integer = l == 1 and _int64(W1) and _int64(W2)
        frame = (l, tuple(free), tuple(src), integer)
        keys2 = cache.get(frame)
        if keys2 is None and integer:
            keys2 = cache[frame] = _integer_keys(W2, b2, on_time)
        elif keys2 is None:
            keys2 = []
            for i, row in enumerate(W2):     # the row once, not once per entry (a RationalMatrix row is a lookup)
                on_time(i)
                keys2.append(_deferred_key([row[j] for j in cols] + [b2[i]], free, [row[j] for j in src]))
            cache[frame] = keys2
        classes2: dict = {}
        for i, (k, _) in enumerate(keys2):
            classes2.setdefault(k, []).append(i)
        if net1 is net2 and dst == src and all(prev_perm[j] == j and prev_lam[j] in (None, _ONE) for j in cols):
            keys1 = keys2                    # theta with itself in the identity frame
        elif integer:
            keys1 = _integer_keys(W1, b1, on_time)
        else:
            keys1 = []
            identity = all(prev_perm[j] == j and prev_lam[j] in (None, _ONE) for j in cols)
            for a, row in enumerate(W1):
                on_time(a)
                known = ([row[j] for j in cols] if identity
                         else [row[prev_perm[j]] / (prev_lam[j] or _ONE) for j in cols])
                keys1.append(_deferred_key(known + [b1[a]], free, [row[c] for c in dst]))
                if keys1[-1][0] not in classes2:     # a row of theta_1 that theta_2 lacks: no matching at all
                    return None
        classes1: dict = {}
        for a, (k, _) in enumerate(keys1):
            classes1.setdefault(k, []).append(a)
        if {k: len(v) for k, v in classes1.items()} != {k: len(v) for k, v in classes2.items()}:
            return None
        zero2 = [i for i in range(widths[l]) if not b2[i] and not _nonzero_row(W2, i)]
        zero1 = {a for a in range(widths[l]) if not b1[a] and not _nonzero_row(W1, a)}
        forced = {i: fixed[l, i] for i in range(widths[l]) if (l, i) in fixed}
        if len(set(forced.values())) < len(forced):
            return None
        perm: list = [None] * widths[l]
        groups = []
        for k, members in classes2.items():
            here = {i: a for i, a in forced.items() if i in members}
            if not set(here.values()) <= set(classes1[k]):
                return None
            for i, a in here.items():
                perm[i] = a
            if members[0] in zero2:          # zero rows and biases: matched after the next layer (deferred)
                continue
            groups.append(([i for i in members if i not in here], [a for a in classes1[k] if a not in here.values()]))
        z_src = [i for i in zero2 if i not in forced]
        z_dst = [a for a in sorted(zero1) if a not in forced.values()]
        for choice in _matchings([images for _, images in groups]):
            count()
            for (members, _), images in zip(groups, choice, strict=True):
                for i, a in zip(members, images, strict=True):
                    perm[i] = a
            lam = [None if keys2[i][1] is None else keys2[i][1] / keys1[perm[i]][1] for i in range(widths[l])]
            for resolved in _resolve(W1, W2, perm, lam, pending, count):
                done = perms[:-1] + [_filled(prev_perm, resolved)] if perms else []
                found = search(l + 1, done + [list(perm)], lams + [lam], (z_src, z_dst))
                if found is not None:
                    return found
        return None

    return search(1, [], [], ([], []))


def _int64(W) -> bool:
    return isinstance(W, RationalMatrix) and W.has_integer_form and W.numerators.dtype == np.int64


def _nonzero_row(W, i: int) -> bool:
    """Whether row ``i`` of ``W`` has a non-zero entry; read off the integer form when there is one."""
    return bool(W.numerators[i].any()) if _int64(W) else any(W[i])


def _integer_keys(W: RationalMatrix, b, on_time) -> list[tuple]:
    r"""The ``(key, lead)`` of each row of ``(W | b)`` in the identity frame from the ``int64`` integer form
    $W = N/d$ (:meth:`~semialg.core.rational_matrix.RationalMatrix.primitive_rows`): a non-zero row
    $N_a = s_ag_aP_a$ is a positive multiple of another exactly when both have the same $P_a$, the same sign $s_a$
    and the same $b_a d/g_a$, and the multiple is the ratio of the leads $g_a/d$. Zero rows take :func:`_key` (a key
    of another shape: never equal). Cost: $O(rc)$ vectorised, then $O(r)$ rationals."""
    (P, g, s, _), d = W.primitive_rows(), W.denominator
    out = []
    for a, (ga, sa) in enumerate(zip(g.tolist(), s.tolist(), strict=True)):
        on_time(a)
        if ga == 0:
            out.append(_key([_ZERO] * P.shape[1] + [b[a]], [False] * (P.shape[1] + 1)))
        else:
            out.append((("row", P[a].tobytes(), sa, b[a] * d / ga), fmpq(ga, d)))
    return out


def _filled(perm, resolved: dict) -> tuple:
    return tuple(resolved.get(i, p) for i, p in enumerate(perm))


def _deferred_key(row: list, free: list[bool], deferred: list):
    """:func:`_key` of ``row`` and the numbers of positive and negative entries among ``deferred`` (the entries
    in the columns of zero neurons of the previous layer not matched yet: invariant under any matching and any
    positive scaling of them)."""
    key, lead = _key(row, free)
    if not deferred:
        return key, lead
    signs = [_sign(x) for x in deferred]
    return key + (signs.count(1), signs.count(-1)), lead


def _resolve(W1, W2, perm, lam, pending: tuple[list, list], count):
    r"""The matchings of the deferred zero neurons ``pending`` = (neurons of $\theta_2$, images in $\theta_1$) of
    the previous layer once this layer's permutation ``perm`` and scales ``lam`` are chosen: as dicts.

    A zero neuron $j$ (zero row and bias) enters the equations only through its outgoing column:
    $W_2[i, j] = \lambda[i]\,W_1[\pi(i), \pi(j)] / \lambda_j$ with $\lambda_j > 0$ free. So $\pi(j)$ must have the
    same key: the column $(\lambda[i] W_1[\pi(i), c])_i$ normalised by a positive scale over the rows with known
    $\lambda[i]$, by sign elsewhere. A class of equal keys with no non-zero entry on rows of unknown scale imposes
    nothing else, so any bijection within it extends exactly when one does: one is taken. Other classes are
    branched over (exhaustively)."""
    src, dst = pending
    if not src:
        yield {}
        return
    rows = [i for i in range(len(perm)) if perm[i] is not None]

    def col_key(values):
        known = [x for i, x in zip(rows, values, strict=True) if lam[i] is not None]
        lead = next((abs(x) for x in known if x), None)
        loose = tuple(_sign(x) for i, x in zip(rows, values, strict=True) if lam[i] is None)
        return (tuple(x / lead for x in known) if lead else tuple(known)), loose

    k2 = {j: col_key([W2[i][j] for i in rows]) for j in src}
    k1 = {c: col_key([lam[i] * W1[perm[i]][c] if lam[i] is not None else W1[perm[i]][c] for i in rows])
          for c in dst}
    c1: dict = {}
    c2: dict = {}
    for c, k in k1.items():
        c1.setdefault(k, []).append(c)
    for j, k in k2.items():
        c2.setdefault(k, []).append(j)
    if {k: len(v) for k, v in c1.items()} != {k: len(v) for k, v in c2.items()}:
        return
    out, loose = {}, []
    for k, members in c2.items():
        if any(k[1]):
            loose.append((members, c1[k]))
        else:
            out.update(zip(members, c1[k], strict=True))
    for choice in _matchings([images for _, images in loose]):
        if loose:
            count()
        for (members, _), images in zip(loose, choice, strict=True):
            out.update(zip(members, images, strict=True))
        yield dict(out)


def tie_classes(net: Network) -> tuple[tuple[tuple[int, ...], ...], ...]:
    """Per hidden layer, the neurons that an element of $G$ fixing every earlier layer pointwise may permute:
    the classes of :func:`orbit_element`'s matching of $\\theta$ with itself in the identity frame (rows equal up
    to a positive scale, entries in the columns of zero rows compared by sign), each sorted, in order of first
    member. Cost: $O(\\dim\\Omega)$ exact operations plus hashing.

    >>> tie_classes(Network.from_arrays([[[1], [2], [-1]], [[1, 1, 1]]], [[1, 2, 0], [0]]))
    (((0, 1), (2,)),)
    """
    out = []
    for keys in frame_keys(net):
        classes: dict = {}
        for a, (k, _) in enumerate(keys):
            classes.setdefault(k, []).append(a)
        out.append(tuple(tuple(c) for c in classes.values()))
    return tuple(out)


def frame_keys(net: Network) -> list[list[tuple]]:
    """Per hidden layer, the ``(key, lead)`` of each neuron in the identity frame, as :func:`tie_classes` uses
    them (``lead`` is ``None`` for a row without a non-zero entry outside the columns of such rows and the bias)."""
    out = []
    free = [False] * (net.widths[0] + 1)
    for l in range(1, net.depth):
        keys = [_key(list(w) + [b], free) for w, b in zip(net.weights[l - 1], net.biases[l - 1], strict=True)]
        out.append(keys)
        free = [lead is None for _, lead in keys] + [False]
    return out


def zero_neuron_key(net: Network, l: int, zero: list[int], leads: list | None) -> dict:
    r"""Keys of the zero neurons ``zero`` (zero row and bias) of hidden layer ``l``, equal for $i$ and $\pi_l(i)$
    under every $g$ fixing $\theta$ that fixes the earlier layers and the other neurons of layer ``l`` pointwise.

    ``leads``: the leads of :func:`frame_keys` of layer ``l`` (``None`` for the last hidden layer). Such a $g$
    maps each row $k$ of layer $l+1$ to one with the same key, the columns of ``zero`` read by their numbers of
    positive and negative entries, and then $\lambda_{l+1}[k] = \mathrm{lead}(k)/\mathrm{lead}(\pi(k))$; the column
    of $i$ is $\lambda_{l+1}$ times the permuted column of $\pi(i)$ over $\lambda_i > 0$. So per class $C$ of
    layer $l+1$ the multiset $\{W[k, i]/\mathrm{lead}(k) : k \in C\}$, all scaled by one positive number (by sign
    in classes without a lead), is invariant. The output layer is fixed: there the column itself, up to a
    positive scale. Cost: $O(\dim\Omega)$ for the layer."""
    W, b = net.weights[l], net.biases[l]
    if leads is None:
        classes = [[k] for k in range(len(W))]
        lead = [_ONE] * len(W)
    else:
        zs = set(zero)
        cols = [j for j in range(len(leads)) if j not in zs]
        free = [leads[j] is None for j in cols] + [False]
        keys = [_deferred_key([W[k][j] for j in cols] + [b[k]], free, [W[k][j] for j in zero]) for k in range(len(W))]
        groups: dict = {}
        for k, (key, _) in enumerate(keys):
            groups.setdefault(key, []).append(k)
        classes, lead = list(groups.values()), [ld for _, ld in keys]
    out = {}
    for i in zero:
        parts = [sorted(W[k][i] / lead[k] for k in C) if lead[C[0]] is not None
                 else sorted(_sign(W[k][i]) for k in C) for C in classes]
        scale = next((abs(x) for C, part in zip(classes, parts, strict=True) if lead[C[0]] is not None
                      for x in part if x), _ONE)
        out[i] = tuple(tuple(x / scale for x in part) if lead[C[0]] is not None else tuple(part)
                       for C, part in zip(classes, parts, strict=True))
    return out


def _matchings(classes: list):
    """The product of the permutations of each class, lazily and without recursion (an odometer over the
    classes with ties): ``itertools.product`` would first store every permutation of every class (a class of
    12 tied neurons: $12! \\approx 4.8\\cdot10^8$ tuples) before the budget could stop the search."""
    current = [tuple(c) for c in classes]
    ties = [k for k, c in enumerate(classes) if len(c) > 1]
    iters = {k: itertools.permutations(classes[k]) for k in ties}
    for k in ties:
        next(iters[k])
    while True:
        yield tuple(current)
        for k in reversed(ties):
            step = next(iters[k], None)
            if step is not None:
                current[k] = step
                break
            iters[k] = itertools.permutations(classes[k])
            current[k] = next(iters[k])
        else:
            return


def same_orbit(net1: Network, net2: Network, budget: int = 10 ** 5) -> bool:
    """Whether $\\theta_2 \\in G\\cdot\\theta_1$ (exact; see :func:`orbit_element`)."""
    return orbit_element(net1, net2, budget) is not None


#: 0-factor flip sets beyond which :func:`flip_orbits` does not count (up to $s^2/2$ orbit searches for $s$ sets)
FLIP_ORBIT_LIMIT = 32


def flip_orbits(net: Network, l: int, sets: Sequence[Sequence[int]], limit: int = FLIP_ORBIT_LIMIT) -> int | None:
    r"""Into how many $G$-orbits the parameters $\theta_S$ fall, $S$ the empty set or one of the 0-factors ``sets`` of
    layer ``l`` (:func:`~semialg.engine.neurons.flip`; each $\theta_S$ realises $f_\theta$): the factor by which the
    0-factor flips multiply the components of the fibre beyond those of the orbit. Flips are not independent choices
    (two disjoint 0-factors give four parameters, not eight) and some are group elements (a balanced opposite pair,
    $a_iw_i + a_jw_j = 0$ on one hyperplane: its flip swaps the pair). ``None`` beyond ``limit`` sets, or when an
    orbit search is undecided. Cost: in layer 1 one pass over its rows
    (:func:`~semialg.engine.hyperplane_keys.oriented_rows`: the multiset of oriented lines is invariant, so only
    parameters sharing it are compared), then :func:`orbit_element` within each class (784-1024-10: 1.2 s a search);
    elsewhere up to $(s + 1)^2/2$ searches.

    >>> abs_pair = Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 0], [0]])       # |x|: the flip swaps the pair
    >>> two = Network.from_arrays([[[1, 0], [0, 1], [-1, -1], [2, 1], [1, 3], [-3, -4]], [[1] * 6]], [[1] * 6, [0]])
    >>> flip_orbits(abs_pair, 1, [(0, 1)]), flip_orbits(two, 1, [(0, 1, 2), (3, 4, 5), (0, 1, 2, 3, 4, 5)])
    (1, 4)
    """
    if len(sets) > limit:
        return None
    groups: dict = {}
    if l == 1:      # no group acts on the inputs: the oriented lines of layer 1 are invariants, one pass for all
        rows = oriented_rows(net.weights[0], net.biases[0])
        base = collections.Counter((key, (s > 0) - (s < 0)) for key, s in rows)
        for S in ((), *sets):
            moved = base.copy()
            for i in S:
                key, s = rows[i]
                moved[(key, (s > 0) - (s < 0))] -= 1
                moved[(key, (s < 0) - (s > 0))] += 1
            groups.setdefault(frozenset((k, c) for k, c in moved.items() if c), []).append(S)
    else:
        groups[None] = [(), *sets]
    count = 0
    for group in groups.values():       # parameters with other invariants are in other orbits: no search
        found: list[Network] = []
        for S in group:
            other = flip(net, l, S) if S else net
            try:
                if all(orbit_element(seen, other) is None for seen in found):
                    found.append(other)
            except UndecidedError:
                return None
        count += len(found)
    return count
