r"""Members of the slot types of the 1-D calculus (:mod:`~semialg.families.bottleneck.line_slots`): jumps and
places of slots that meet a type's conditions, exactly.

Each N-interval gets a contribution to the reference slope inside its range (the ranges summing to what the kinks
leave, :func:`_choose`; a cluster of both orientations on a kink takes a share of it), its jumps split by sign
(:func:`_split`), and its inner points are placed around the point their moment asks for, closer and closer until
$g < 0$ at each (:func:`_place`; the limit is strictly negative, so a power of $1/2$ of the data's height works);
slots at the ends of an N-interval take sums of their groups from a point of the group conditions
(:func:`_place_ends`, by :func:`~semialg.geometry.elimination.point`).

>>> from semialg.families.bottleneck.line_slots import LinePL, SlotCalculus
>>> S = SlotCalculus(LinePL.of([(fmpq(0), fmpq(2))], fmpq(0), fmpq(-1)), 2)     # T(s) = 2 sigma(s) - 1
>>> slots, eps = solve(S, (), [[(1, 1), (-1, -1)]], _random.Random(0))     # in the N-interval s <= 1/2
>>> slots, eps                                   # g = 2 s(s + 1) - s(-s) - 3: T on s > 1/2, < 0 below
([(-1, 1, 2), (0, -1, -1)], -3)
"""

from __future__ import annotations

import itertools
import random as _random

from flint import fmpq

from semialg.core.exact import interval_point
from semialg.core.network import relu
from semialg.families.bottleneck.line_points import canonical_points, is_end, is_shared, point_labels
from semialg.families.bottleneck.line_slots import Decision, _cluster_reaches, _is_point, _sum
from semialg.geometry.elimination import point

__all__ = ["solve", "solve_with"]

_ZERO, _ONE = fmpq(0), fmpq(1)


def solve(S, orient, seqs, rng: _random.Random) -> tuple[list, fmpq]:
    """A member of the type with the given order: slots $(p, o, J)$ in the order kinks (a cluster's slots in
    the order of its sorted orientations), then each N-interval's sequence, and $\\varepsilon$."""
    slots, eps, _ = solve_with(S, orient, seqs, rng, free=False)
    return slots, eps

def solve_with(S, orient, seqs, rng: _random.Random, free: bool) -> tuple[list, fmpq, fmpq]:
    """:func:`solve` for $g + \\alpha s$: with ``free`` every range takes an inner point, each cluster of both
    orientations a random share of the reference slope it can take, and $\\alpha$ closes the reference slope,
    else $\\alpha = 0$. Returns the slots, $\\varepsilon$ and $\\alpha$."""
    hidden = tuple(canonical_points(s) for s in seqs)
    d = S.decide(orient, hidden, free)
    # with shared points, random values: a point's jumps may cancel at a few values of the ranges
    jitter = rng if any(is_shared(e) or is_end(e) for s in seqs for e in s) else None
    mixed = [(x, J, o) for (x, J), o in zip(S.kinks, orient, strict=True) if isinstance(o, tuple) and
             len(set(o)) > 1]
    if free:
        values = [_inner(r, jitter) for r in d.ranges]
        shares = [_share(S, c, rng) for c in mixed]
        alpha = d.need - sum(values, _ZERO) - sum(shares, _ZERO)
    elif mixed:
        (values, shares), alpha = _close(S, d, mixed, rng, jitter), _ZERO
    else:
        values, shares, alpha = _choose(d.ranges, d.need, jitter), [], _ZERO
    share = dict(zip((x for x, _, _ in mixed), shares, strict=True))
    slots = []
    for (x, J), o in zip(S.kinks, orient, strict=True):
        slots += _cluster(S, x, J, o if isinstance(o, tuple) else (o,), share.get(x), rng)
    for I, (seq, val) in enumerate(zip(seqs, values, strict=True)):
        slots += _place(S, I, seq, val, jitter)
    ref = S.ref
    eps = S.T(ref) - alpha * ref - sum((J * relu(o * (ref - p)) for p, o, J in slots), _ZERO)
    return slots, eps, alpha

def _share(S, cluster, rng: _random.Random) -> fmpq:
    """A random contribution to the reference slope that the ``cluster`` $(x, J, o)$ of both orientations can
    take: at most two values are excluded (:func:`_cluster_reaches`), so three consecutive candidates do."""
    value = fmpq(rng.randint(-9, 9), rng.randint(1, 9))
    while not _cluster_reaches(*cluster, value, S.ref):
        value += 1
    return value

def _close(S, d: Decision, mixed, rng: _random.Random, jitter=None) -> tuple[list, list]:
    """Values of the ranges of ``d`` and shares of the ``mixed`` clusters, each one the cluster can take,
    summing to ``d.need``. The last cluster closes the sum; when its share is excluded, the first cluster's
    share, else a range that is not a point (one exists unless :meth:`decide` checked the forced share), moves
    through six candidates: each of the two clusters concerned excludes at most two of them."""
    values = [_inner(r, jitter) for r in d.ranges]
    shares = [_share(S, c, rng) for c in mixed[:-1]]
    free = [i for i, r in enumerate(d.ranges) if not _is_point(r)]
    base = list(values), list(shares)
    for j in range(6):
        if j and len(mixed) > 1:
            shares[0] = base[1][0] + j
        elif j and free:
            v, hi = base[0][free[0]], d.ranges[free[0]][1]
            values[free[0]] = v + j if hi is None else v + (hi - v) * fmpq(j, j + 1)    # inside (v, hi)
        last = d.need - sum(values, _ZERO) - sum(shares, _ZERO)
        if all(_cluster_reaches(*c, s, S.ref) for c, s in zip(mixed, shares + [last], strict=True)):
            return values, shares + [last]
    raise RuntimeError("no split of the clusters found")      # unreachable: see above

def _cluster(S, x, J, cluster, share, rng: _random.Random) -> list:
    """The slots $(x, o, J_i)$ of a kink's ``cluster`` (sorted orientations) with non-zero jumps summing to $J$:
    for both orientations the ones facing the reference point, $o^*$, sum to $o^*$ ``share``."""
    if len(set(cluster)) == 1:
        parts = {cluster[0]: _nonzero_split(J, len(cluster), rng)}
    else:
        ostar = 1 if x < S.ref else -1
        facing = ostar * share
        parts = {ostar: _nonzero_split(facing, cluster.count(ostar), rng),
                 -ostar: _nonzero_split(J - facing, cluster.count(-ostar), rng)}
    its = {o: iter(js) for o, js in parts.items()}
    return [(x, o, next(its[o])) for o in cluster]

def _place(S, I: int, seq, val, jitter: _random.Random | None = None) -> list:
    """Jumps and positions for N-interval ``I`` with contribution ``val``: its points (``seq``, in order)
    clustered around one point, the jumps of each side split at random with a ``jitter``."""
    a, b, sa, sb = S.nints[I]
    if not seq:
        return []
    if any(map(is_end, seq)):
        return _place_ends(S, I, seq, val, jitter)
    ostar = 1 if S.left_of_ref(I) else -1
    flat = [(lab, k) for k, e in enumerate(seq) for lab in point_labels(e)]        # (label, its point)
    inA = [o == ostar for (o, _), _ in flat]
    sA = [s for ((o, s), _), x in zip(flat, inA, strict=True) if x]
    sB = [s for ((o, s), _), x in zip(flat, inA, strict=True) if not x]
    yA = ostar * val
    if S._bounded(I):
        yB = sb - sa - yA
    else:
        room = (sb if a is None else -sa) - yA          # the sum of all jumps stays below the cap
        share = fmpq(1, 2) if jitter is None else fmpq(jitter.randint(1, 9), 10)
        yB = _ZERO if not sB else min(room, _ZERO) - (1 if jitter is None else 1 / share) \
            if any(s < 0 for s in sB) else room * share
    JA, JB = iter(_split(sA, yA, jitter)), iter(_split(sB, yB, jitter))
    J = [next(JA) if x else next(JB) for x in inA]
    k = len(seq)
    if S._bounded(I):
        centre = (b * sb - a * sa) / (sb - sa)
        c = sum((j * i for (_, i), j in zip(flat, J, strict=True)), _ZERO) / (sb - sa)
    else:
        centre = b - 1 if a is None else a + 1
        c = fmpq(k - 1, 2)
    # The limit t -> 0 is strictly negative, so some t = 2^-n works; the margin is a rational of the data's
    # height, so n grows with the bits of the data (weights of 1e-125 need n > 400).
    bits = max(x.height_bits() for x in [centre, c, val, *J, *(y for y in (a, b, sa, sb) if y is not None)])
    t = _ONE
    for _ in range(64 + 4 * bits):
        ps = [centre + t * (i - c) for _, i in flat]
        if (a is None or ps[0] > a) and (b is None or ps[-1] < b) and \
                all(_local(S, I, ps, J, q) < 0 for q in ps):
            return [(p, o, j) for p, ((o, _), _), j in zip(ps, flat, J, strict=True)]
        t /= 2
    raise RuntimeError("no cluster found")      # unreachable: see above

def _place_ends(S, I: int, seq, val, jitter) -> list:
    """:func:`_place` with slots at the ends of N-interval ``I``: the sums of the six groups of :meth:`_groups`
    a point of their conditions with contribution ``val`` (:func:`~semialg.geometry.elimination.point`), each
    split over its slots; the ends at $a$, $b$, the inner points clustered around the place their moment
    asks for."""
    a, b, sa, sb = S.nints[I]
    ostar = 1 if S.left_of_ref(I) else -1
    groups = S._groups(I, seq)
    rows = S._group_rows(I, groups, (1, 0, 1, 0, 1, 0), ((1, 0, 1, 0, 1, 0), ostar * val))
    sums = point(rows, 7, lambda lo, hi, clo, chi: _inner((lo, hi, clo, chi), jitter))
    where = [("a" if is_end(e) and e[0] == "a" else "b" if is_end(e) else None, lab) for e in seq
             for lab in point_labels(e)]
    parts = {}
    for k, (w, facing) in enumerate(itertools.product(("a", None, "b"), (True, False))):
        mine = [i for i, (x, (o, _)) in enumerate(where) if x == w and (o == ostar) == facing]
        for i, J in zip(mine, _split([where[i][1][1] for i in mine], sums[k], jitter), strict=True):
            parts[i] = J
    J = [parts[i] for i in range(len(where))]
    point_of = [k for k, e in enumerate(seq) for _ in point_labels(e)]
    inner = sorted({k for k, (w, _) in zip(point_of, where, strict=True) if w is None})
    T_in = sum((j for j, (w, _) in zip(J, where, strict=True) if w is None), _ZERO)
    if a is not None and b is not None and inner:
        moment = b * sb - a * sa - sum((j * (a if w == "a" else b) for j, (w, _) in zip(J, where, strict=True)
                                        if w is not None), _ZERO)
        centre = moment / T_in
        c = sum((j * inner.index(k) for j, k, (w, _) in zip(J, point_of, where, strict=True) if w is None),
                _ZERO) / T_in
    else:
        centre, c = (b - 1 if a is None else a + 1), fmpq(len(inner) - 1, 2)
    bits = max(x.height_bits() for x in [centre, c, val, *J, *(y for y in (a, b, sa, sb) if y is not None)])
    t = _ONE
    for _ in range(64 + 4 * bits):
        ps = [a if w == "a" else b if w == "b" else centre + t * (inner.index(k) - c)
              for k, (w, _) in zip(point_of, where, strict=True)]
        mid = [p for p, (w, _) in zip(ps, where, strict=True) if w is None]
        if all((a is None or p > a) and (b is None or p < b) and _local(S, I, ps, J, p) < 0 for p in mid):
            return [(p, o, j) for p, (_, (o, _)), j in zip(ps, where, J, strict=True)]
        t /= 2
    raise RuntimeError("no cluster found")      # unreachable: see _group_range

def _local(S, I: int, ps, J, s) -> fmpq:
    """$g(s)$ on N-interval ``I`` from its slots (the part of $g$ equal to $T$ continued from $\\hat P$)."""
    a, b, sa, sb = S.nints[I]
    if a is None:
        return sb * (s - b) + sum((j * relu(p - s) for p, j in zip(ps, J, strict=True)), _ZERO)
    return sa * (s - a) + sum((j * relu(s - p) for p, j in zip(ps, J, strict=True)), _ZERO)


def _inner(r, jitter: _random.Random | None = None) -> fmpq:
    """A point of the range ``r``: its value when it is a point, else inside it, random with a ``jitter``."""
    if _is_point(r):
        return r[0]
    if jitter is None:
        return interval_point(r[0], r[1])
    step = fmpq(jitter.randint(1, 9), jitter.randint(1, 9))
    if r[0] is None or r[1] is None:
        return (step if r[1] is None else -step) + (_ZERO if r[0] is None and r[1] is None else
                                                     r[0] if r[1] is None else r[1])
    return r[0] + (r[1] - r[0]) * fmpq(jitter.randint(1, 9), 10)


def _choose(ranges, need, jitter: _random.Random | None = None) -> list:
    """A value inside each range (points fixed) with the given sum (random ones with a ``jitter``)."""
    total = _sum(ranges)
    if need in (total[0], total[1]):
        side = 0 if need == total[0] else 1
        return [r[side] for r in ranges]
    vals = [_inner(r, jitter) for r in ranges]
    free = [i for i, r in enumerate(ranges) if not _is_point(r)]
    delta = need - sum(vals, _ZERO)
    if delta == 0 or not free:
        return vals
    side = 1 if delta > 0 else 0
    unbounded = [i for i in free if ranges[i][side] is None]
    if unbounded:
        vals[unbounded[0]] += delta
        return vals
    room = sum((abs(ranges[i][side] - vals[i]) for i in free), _ZERO)
    frac = abs(delta) / room              # < 1 because need lies strictly inside the Minkowski sum
    for i in free:
        vals[i] += frac * (ranges[i][side] - vals[i])
    return vals


def _nonzero_split(total: fmpq, k: int, rng: _random.Random) -> list:
    """``k`` non-zero rationals summing to ``total`` ($\\ne 0$ when ``k`` is 1), random but the last."""
    parts = [fmpq(rng.choice((-1, 1)) * rng.randint(1, 9), rng.randint(1, 9)) for _ in range(k - 1)]
    if k > 1 and sum(parts, _ZERO) == total:      # doubling the first part makes the last one -parts[0] != 0
        parts[0] *= 2
    return parts + [total - sum(parts, _ZERO)]


def _split(signs, total, jitter: _random.Random | None = None) -> list:
    """Values with the given signs summing to ``total`` (which must be in their range): equal shares, or random
    ones with a ``jitter``."""
    weights = [_ONE if jitter is None else 1 + fmpq(jitter.randint(0, 9), jitter.randint(1, 9)) for _ in signs]
    neg = [i for i, s in enumerate(signs) if s < 0]
    pos = [i for i, s in enumerate(signs) if s > 0]
    if not pos or not neg:
        return [total * w / sum(weights, _ZERO) for w in weights]
    out = [_ZERO] * len(signs)
    for i in neg:
        out[i] = -(abs(total) + 1) * weights[i]       # weights >= 1: the negative ones sum to <= -(|total| + 1)
    rest = total - sum(out, _ZERO)
    for i in pos:
        out[i] = rest * weights[i] / sum((weights[j] for j in pos), _ZERO)
    return out
