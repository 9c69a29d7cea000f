r"""The 1-D slot calculus: every $g = \sum_i J_i\sigma(o_i(s - p_i)) + \varepsilon$ of $n$ slots with
$g = T$ on $\hat P$ and $g \le 0$ off it, for a piecewise linear target $T$ on the line.

$\hat P$ is the interior of the closure of $\{T > 0\}$; its complement is a finite union of closed
*N-intervals* $[a, b]$ (possibly unbounded), and $T$ has finitely many *kinks* inside $\hat P$. A slot of
*simple type* sits on a kink (one slot per kink, any orientation $o$, jump $J$ equal to the kink's) or strictly
inside an N-interval (orientation $o$, sign $\varsigma$ of $J$). With $s_a < 0$ the slope of $T$ just left of
$a$ and $s_b > 0$ just right of $b$, the conditions are: on a bounded N-interval $\sum J_j = s_b - s_a$ and
$\sum J_jp_j = bs_b - as_a$ (then $g - T$ vanishes on both sides); $g = T$ on one reference piece of $\hat P$
(slope and value); $g(p_j) \le 0$ at the slots of each N-interval and the slope of $g$ at an infinite end of an
N-interval of the right sign. Everything is linear in $(J_j, J_jp_j, \varepsilon)$ once the *type* (places,
orientations, signs, order inside each N-interval) is fixed.

Non-emptiness of a type is decided exactly by 1-D reasoning: the order inside an N-interval does not matter
(slots clustered around one point realise any jumps), and the set of jumps is a product of per-interval
polyhedra coupled by one equation (the slope on the reference piece), each interval contributing an open
interval (closed at an end where the slope of $g$ at an infinite end of an N-interval reaches $0$) or a point
(:meth:`SlotCalculus.decide`).

**Clusters.** Several slots on one kink $(x_k, J_k)$ — a *cluster* of $c_k \ge 2$, jumps $J_i \ne 0$ summing to
$J_k$ — are listed too (:meth:`SlotCalculus.keys`: per kink a multiset of orientations). *Dimension.* The places
are fixed, the jumps have one equation: $c_k - 1$ more than one slot. With one orientation the cluster is
$J_k\sigma(o(s - x_k))$ on the line, a single slot's term, so everything else is as for that slot. With both, on
each side of $x_k$ the slope of $g$ depends on the split: the reference slope sees $o^*S^*$, $S^*$ the sum of the
jumps facing $o^* = \pm 1$ (those active at the reference point), which ranges over all reals except $0$ when one
slot faces $o^*$ and $J_k$ when one faces away (a jump would vanish), and the other jumps adjust freely. So the
reference-slope equation is met by the split, always when something else in it is free (it costs one dimension),
else when the forced value is not excluded.

**Shared points.** Several slots on one point strictly inside an N-interval, their jumps not cancelling (else they
are a phantom group), are listed too (a key's point is then the sorted tuple of their labels,
:mod:`~semialg.families.bottleneck.line_points`). On the line nothing changes but the places: each shared point has
one, so a type has one dimension less per slot beyond the first on a point; the contributions to the reference
slope are those of the same labels apart, and clustering the points around one as before shows the type non-empty
unless a point's jump sum is forced to $0$ (:meth:`SlotCalculus._cancelling`).

**Ends.** Slots may also sit at an end $a$ or $b$ of an N-interval, a zero of $T$ (an end point ``("a", point)``).
The equations are those of inner slots ($\sum J = s_b - s_a$ and the moment, on a bounded interval), $g(a) = 0$
holds by continuity, and $g \le 0$ inside asks $T_a + s_a < 0$ and $s_b - T_b > 0$ of the sums $T_a, T_b$ at the
ends when something is inside (then the inner points, clustered around the place their moment asks for, keep
$g < 0$), else $T_a = -s_a$, $T_b = s_b$ ($g = 0$ on $[a, b]$). Over the sums of the six groups (end $a$, inside,
end $b$) x (facing the reference point or not) these are linear, so the range of the contribution is computed by
Fourier–Motzkin elimination (:meth:`SlotCalculus._group_range`, which reproduces the hand-made ranges without
ends), a place less per end slot. A member with $g = 0$ on every N-interval ("flat": $g = \sigma(T)$) belongs to
another piece except for $A$ (:meth:`SlotCalculus.flat`). Not listed: slots with $J = 0$ (inert), types feasible only
with an equality ($g = 0$ at an inner slot, a zero slope at an infinite end with something inside).

>>> T = LinePL.of([(fmpq(0), fmpq(2))], fmpq(0), fmpq(-1))            # T(s) = 2 sigma(s) - 1
>>> S = SlotCalculus(T, 2); S.kinks, S.nints
((), ((None, 1/2, None, 2),))
>>> S.decide((), (((1, 1), (-1, -1)),)).dim       # one slot active on P with J > 0, one left-active, J < 0
3
>>> S.decide((), (((1, 1), (1, 1)),)).dim          # two right-active slots: zero slope at -infinity
3
>>> S.decide((), (((-1, 1), (-1, 1)),)) is None     # no slot active on P: g would be constant there
True
>>> S = SlotCalculus(LinePL.of([(fmpq(0), fmpq(-2))], fmpq(-1), fmpq(1)), 2)     # T(s) = 1 - s - 2 sigma(s)
>>> [(o, S.decide(o, h).dim) for o, h in S.keys() if isinstance(o[0], tuple) and S.decide(o, h)]  # clusters
[(((-1, 1),), 0)]
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from flint import fmpq

from semialg.core.exact import solve
from semialg.core.network import relu
from semialg.families.bottleneck.line_points import canonical_points, end_choices, is_end, is_shared, point_labels
from semialg.geometry.elimination import project

__all__ = ["LinePL", "SlotCalculus", "Decision", "LABELS"]

_ZERO, _ONE = fmpq(0), fmpq(1)
LABELS = ((1, 1), (1, -1), (-1, 1), (-1, -1))        # (orientation o, sign of the jump) of a hidden slot


@dataclass(frozen=True)
class LinePL:
    """A piecewise linear function on the line: sorted ``breaks`` $(x, \\Delta)$ with non-zero slope jumps,
    the slope ``left`` at $-\\infty$ and the value ``at0`` at $0$."""

    breaks: tuple[tuple[fmpq, fmpq], ...]
    left: fmpq
    at0: fmpq

    @classmethod
    def of(cls, breaks, left, at0) -> "LinePL":
        """Merge coincident breakpoints and drop zero jumps."""
        merged: dict = {}
        for x, j in breaks:
            merged[x] = merged.get(x, _ZERO) + j
        return cls(tuple(sorted((x, j) for x, j in merged.items() if j != 0)), fmpq(left), fmpq(at0))

    def __call__(self, s) -> fmpq:
        return self.at0 + self.left * s + sum((j * (relu(s - x) - relu(-x)) for x, j in self.breaks), _ZERO)

    def slope(self, s) -> fmpq:
        """The slope just right of ``s``."""
        return self.left + sum((j for x, j in self.breaks if x <= s), _ZERO)

    @property
    def right(self) -> fmpq:
        return self.slope(self.breaks[-1][0]) if self.breaks else self.left

    def gaps(self) -> tuple[list, list]:
        """The breakpoints and zeros, sorted, and a test point inside each of the open gaps they leave."""
        xs = [x for x, _ in self.breaks]
        ends = [None] + xs + [None]
        zeros = set()
        for lo, hi in zip(ends, ends[1:]):
            probe = (_ZERO if hi is None else hi - 1) if lo is None else lo if hi is None else (lo + hi) / 2
            sl = self.slope(probe if lo is None else lo)
            if sl != 0:
                z = probe - self(probe) / sl
                if (lo is None or z > lo) and (hi is None or z < hi):
                    zeros.add(z)
        cands = sorted(set(xs) | zeros)
        if not cands:
            return [], [_ZERO]
        tests = [cands[0] - 1] + [(a + b) / 2 for a, b in zip(cands, cands[1:])] + [cands[-1] + 1]
        return cands, tests

    def positive_part(self) -> "LinePL":
        """$\\sigma(T)$."""
        cands, tests = self.gaps()
        slopes = [self.slope(y) if self(y) > 0 else _ZERO for y in tests]
        return LinePL.of([(x, b - a) for x, a, b in zip(cands, slopes, slopes[1:])], slopes[0], relu(self.at0))

    def maximum(self) -> fmpq | None:
        """$\\max T$, or ``None`` when $T$ is unbounded above."""
        if self.left < 0 or self.right > 0:
            return None
        return max([self(x) for x, _ in self.breaks] + [self.at0])


@dataclass
class Decision:
    """A feasible type: the interval ``ranges`` of each N-interval's contribution to the reference slope,
    the value ``need`` they must sum to (with a free linear term $\\alpha s$: ``need`` $- \\alpha$) and the
    dimension ``dim`` of the type in $(p, J)$-space (with $\\alpha$ free: in $(p, J, \\alpha)$-space);
    ``fixed`` when the sum of the ranges is a single point."""

    ranges: list
    need: fmpq
    dim: int
    fixed: bool = False


def _rng(signs) -> tuple:
    """The range of $\\sum J_j$ over slots with these signs as (lo, hi, lo closed, hi closed), ``None`` for an
    infinite end (a point when there are no slots)."""
    if not signs:
        return (_ZERO, _ZERO, True, True)
    if all(s > 0 for s in signs):
        return (_ZERO, None, False, False)
    if all(s < 0 for s in signs):
        return (None, _ZERO, False, False)
    return (None, None, False, False)


def _meet(r1, r2):
    """Intersection of two intervals; ``None`` when empty."""
    def end(x, y, cx, cy, pick):
        if x is None or y is None:
            return (y, cy) if x is None else (x, cx)
        if x == y:
            return x, cx and cy
        return (x, cx) if pick(x, y) == x else (y, cy)
    lo, clo = end(r1[0], r2[0], r1[2], r2[2], max)
    hi, chi = end(r1[1], r2[1], r1[3], r2[3], min)
    if lo is not None and hi is not None and (lo > hi or lo == hi and not (clo and chi)):
        return None
    return lo, hi, clo, chi


def _cluster_reaches(x, J, cluster, value, ref) -> bool:
    r"""Whether a cluster of slots with orientations ``cluster`` (both present) on the kink $(x, J)$ contributes
    ``value`` to the reference slope for some non-zero jumps summing to $J$: $o^*S^*$ for the sum $S^*$ of the
    jumps facing $o^* = \pm 1$ (those active at the reference point), any real except $0$ when one slot faces
    $o^*$ and except $J$ when one faces away."""
    ostar = 1 if x < ref else -1
    total = ostar * value
    return not (cluster.count(ostar) == 1 and total == 0 or cluster.count(-ostar) == 1 and total == J)


def _is_point(r) -> bool:
    return r[0] is not None and r[0] == r[1]


def _shift(c, r, sign=1):
    """$c + \\text{sign}\\cdot r$ for an interval ``r``."""
    lo, hi, clo, chi = r if sign > 0 else (None if r[1] is None else -r[1], None if r[0] is None else -r[0],
                                           r[3], r[2])
    return (None if lo is None else c + lo, None if hi is None else c + hi, clo, chi)


def _sum(ranges):
    """The Minkowski sum of intervals."""
    lo = None if any(r[0] is None for r in ranges) else sum((r[0] for r in ranges), _ZERO)
    hi = None if any(r[1] is None for r in ranges) else sum((r[1] for r in ranges), _ZERO)
    return lo, hi, all(r[2] for r in ranges), all(r[3] for r in ranges)


class SlotCalculus:
    """Kinks, N-intervals and the reference piece of a target $T$, and the types of $n$ slots (see the module
    docstring). ``nints`` are $(a, b, s_a, s_b)$ with ``None`` for an infinite end (and its slope)."""

    def __init__(self, T: LinePL, n: int):
        self.T, self.n = T, n
        cands, tests = T.gaps()
        pos = [T(y) > 0 for y in tests]
        if not any(pos) or all(pos):
            raise ValueError("the target needs both a positive part and a non-positive part")
        kinks, nints = [], []
        brk = dict(T.breaks)
        for i, x in enumerate(cands):
            if pos[i] and pos[i + 1] and x in brk:
                kinks.append((x, brk[x]))
        i = 0
        while i < len(pos):
            if pos[i]:
                i += 1
                continue
            j = i
            while j + 1 < len(pos) and not pos[j + 1]:
                j += 1
            a = cands[i - 1] if i > 0 else None
            b = cands[j] if j < len(cands) else None
            nints.append((a, b, None if a is None else T.slope(tests[i - 1]),
                          None if b is None else T.slope(tests[j + 1])))
            i = j + 1
        self.kinks, self.nints = tuple(kinks), tuple(nints)
        self.ref = tests[pos.index(True)]
        self.m = n - len(kinks)
        self._decisions: dict = {}
        self._ranges: dict = {}
        self._placements: dict = {}
        self._bad: dict = {}

    # -- where things are relative to each other ---------------------------------------------------------------

    def left_of_ref(self, I: int) -> bool:
        b = self.nints[I][1]
        return b is not None and b <= self.ref

    def place(self, label) -> tuple:
        """A sort key of a slot label, ``("V", k, o)``, ``("H", I, rank, o, sign)`` or ``("Z", I, end, o, sign)``,
        in the order of the line."""
        if label[0] == "V":
            return self.kinks[label[1]][0], 0
        a, b, _, _ = self.nints[label[1]]
        if label[0] == "Z":
            return (a, b)[label[2]], 0
        return (b - 1 if a is None else a + 1 if b is None else (a + b) / 2), label[2]

    # -- types -------------------------------------------------------------------------------------------------

    def keys(self, m: int | None = None):
        """Every key of ``m`` slots beyond one per kink (default $n$ minus the kinks): per kink an orientation, or
        the sorted orientations of a *cluster* of several slots on it, and a sorted multiset of hidden labels per
        N-interval (their shared points: :meth:`point_options`). Keys with fewer extra slots on the kinks come first
        (the simple keys first of all)."""
        m = self.m if m is None else m
        if m < 0:
            return
        for extra in range(m + 1):
            for sizes in _compositions(extra, len(self.kinks)):
                for orient in itertools.product(*(_orientations(z + 1) for z in sizes)):
                    for hsizes in _compositions(m - extra, len(self.nints)):
                        for combo in itertools.product(*(itertools.combinations_with_replacement(LABELS, z)
                                                         for z in hsizes)):
                            yield orient, combo

    def decide(self, orient, hidden, free: bool = False) -> Decision | None:
        """The type's :class:`Decision`, or ``None`` when it has no point with every inequality strict. With
        ``free``: the type of $g + \\alpha s$ with $\\alpha$ free (the reference slope no longer couples the
        N-intervals: non-empty iff each N-interval's range is). An entry of ``orient`` may be a tuple: a *cluster*
        of slots on one kink, its jumps non-zero and summing to the kink's — one orientation contributes as a
        single slot, both let the split of the jumps take any value in the reference slope but the excluded ones
        (the module docstring)."""
        key = (orient, hidden, free)
        if key not in self._decisions:
            self._decisions[key] = self._decide(orient, hidden, free)
        return self._decisions[key]

    def _kink_part(self, orient) -> tuple:
        """The reference slope left for the N-intervals by the kinks' slots of ``orient``, the clusters of both
        orientations (which take any share of it but at most two values) and their extra dimension."""
        need, mixed, dim = self.T.slope(self.ref), [], 0
        for (x, J), o in zip(self.kinks, orient, strict=True):
            cluster = o if isinstance(o, tuple) else (o,)
            dim += len(cluster) - 1             # a cluster's jumps, whose sum is the kink's
            if len(set(cluster)) > 1:
                mixed.append((x, J, cluster))
            elif (cluster[0] > 0) == (x < self.ref):
                need -= cluster[0] * J
        return need, mixed, dim

    def interval_range(self, I: int, entries):
        """The range of N-interval ``I``'s contribution to the reference slope with its slots ``entries``."""
        if not any(map(is_end, entries)):
            return self._contribution(I, [lab for e in entries for lab in point_labels(e)])
        return self._range(I, entries)

    def _decide(self, orient, hidden, free: bool = False) -> Decision | None:
        need, mixed, dim = self._kink_part(orient)
        ranges = []
        for I, entries in enumerate(hidden):
            r = self.interval_range(I, entries)
            if r is None:
                return None
            ranges.append(r)
            # a jump per slot and a place per inner point, less the two equations of a bounded N-interval
            dim += sum(len(point_labels(e)) + (not is_end(e)) for e in entries) - (2 if self._bounded(I) else 0)
        for I, entries in enumerate(hidden):
            if any(is_shared(e) or is_end(e) for e in entries):
                bad = self.cancelling(I, entries, self._forced(I, ranges, need, not free and not mixed))
                if any(e in bad for e in entries):
                    return None
        return self.settle(ranges, need, mixed, dim, free)

    def settle(self, ranges, need, mixed, dim: int = 0, free: bool = False) -> Decision | None:
        """The :class:`Decision` of N-interval contributions in ``ranges`` meeting the reference slope ``need``
        left by the kinks (``mixed``: their clusters of both orientations; :meth:`_kink_part`), ``None`` when they
        cannot; ``dim`` the dimension before the reference slope's equation."""
        ref = self.ref
        total = _sum(ranges + [(None, None, False, False)] * bool(mixed))
        if mixed and not free and len(mixed) == 1 and _is_point(_sum(ranges)) and \
                not _cluster_reaches(*mixed[0], need - _sum(ranges)[0], ref):
            return None
        if free:
            return Decision(ranges, need, dim, _is_point(total))
        if _meet(total, (need, need, True, True)) is None:
            return None
        if _is_point(total):
            drop = 0
        elif need in (total[0], total[1]):      # at a closed end: every interval at its end (a zero slope at
            drop = sum(1 for r in ranges if not _is_point(r))                           # an infinite end)
        else:
            drop = 1
        return Decision(ranges, need, dim - drop, _is_point(total))

    def point_options(self, orient, hidden, free: bool = False) -> list | None:
        r"""Per N-interval, the shared points its slots of the simple key ``(orient, hidden)`` may not form (their
        jumps would cancel: :meth:`_cancelling`; with ``free``: for $g + \alpha s$), ``None`` when the simple type
        is empty. A type with shared points is non-empty iff its simple key is and it has none of these."""
        d = self.decide(orient, hidden, free)
        if d is None:
            return None
        coupled = not free and not any(isinstance(o, tuple) and len(set(o)) > 1 for o in orient)
        return [self.cancelling(I, entries, self._forced(I, d.ranges, d.need, coupled))
                for I, entries in enumerate(hidden)]

    def _forced(self, I: int, ranges, need, coupled: bool) -> fmpq | None:
        """N-interval ``I``'s contribution $y$ to the reference slope when it takes one value only: its range a
        point or (``coupled``: the reference slope binds the intervals) a point once the others are subtracted from
        ``need``; else ``None``."""
        y = self._coupled(I, ranges, need, coupled)
        return y[0] if y is not None and _is_point(y) else None

    def cancelling(self, I: int, entries, y: fmpq | None) -> frozenset:
        """:meth:`_cancelling`, remembered."""
        key = (I, entries, y)
        if key not in self._bad:
            self._bad[key] = self._cancelling(I, entries, y)
        return self._bad[key]

    def _cancelling(self, I: int, entries, y: fmpq | None) -> frozenset:
        r"""The points of the slots ``entries`` of N-interval ``I`` (the inner ones given as single labels: any
        partition of them into points) whose jumps sum to $0$ at every point of the type (a phantom group then,
        another type), ``y`` the interval's contribution when forced (:meth:`_forced`). Group the slots by place
        (end $a$, inside, end $b$) and side ($A$ facing the reference point, $B$ not; :meth:`_groups`): the sum of
        a point's jumps changes with a small trade between two slots of one group, one on the point and one not,
        so only a point holding whole groups can be forced — inside: all inner slots of $A$, of $B$, or both; at
        an end: all of it. The type's conditions on the group sums are open but for the equations $\sum S =
        s_b - s_a$ (bounded), $\Sigma_A = o^*y$ (``y`` forced) and, with nothing inside a bounded interval,
        $T_a = -s_a$, $T_b = s_b$ (:meth:`_group_range`; the slope at an infinite end is never tight unless these
        force it), so a point's sum is forced iff it is a combination of these, and then to that combination of
        their values."""
        groups = self._groups(I, entries)
        a, b, sa, sb = self.nints[I]
        ostar = 1 if self.left_of_ref(I) else -1
        inside = bool(groups[2] or groups[3])
        eqs = [((1, 0, 1, 0, 1, 0), ostar * y)] if y is not None else []
        if self._bounded(I):
            eqs.append(((1,) * 6, sb - sa))
            if not inside:
                eqs += [((1, 1, 0, 0, 0, 0), -sa), ((0, 0, 0, 0, 1, 1), sb)]
        inner = [lab for e in entries if not is_end(e) for lab in point_labels(e)]
        A = tuple(sorted(lab for lab in inner if lab[0] == ostar))
        B = tuple(sorted(lab for lab in inner if lab[0] != ostar))
        candidates = [(e, (1, 1, 0, 0, 0, 0) if e[0] == "a" else (0, 0, 0, 0, 1, 1)) for e in entries
                      if is_end(e) and len(point_labels(e)) > 1]
        candidates += [(P, v) for P, v in ((A, (0, 0, 1, 0, 0, 0)), (B, (0, 0, 0, 1, 0, 0)),
                                          (tuple(sorted(A + B)), (0, 0, 1, 1, 0, 0))) if len(P) > 1]
        live = [k for k in range(6) if groups[k]]
        bad = []
        for pt, v in candidates:
            lam = solve([[e[0][k] for e in eqs] for k in live], [v[k] for k in live]) if eqs else None
            if lam is not None and sum((x * e[1] for x, e in zip(lam, eqs, strict=True)), _ZERO) == 0:
                bad.append(pt)
        return frozenset(bad)

    def _groups(self, I: int, entries) -> tuple:
        """The signs that the jumps of the slots of ``entries`` take in each of the six groups (end $a$, inside,
        end $b$) x (facing the reference point, not): all the conditions of :meth:`_group_range` see of them."""
        ostar = 1 if self.left_of_ref(I) else -1
        parts = {"a": [], None: [], "b": []}
        for e in entries:
            parts[e[0] if is_end(e) else None] += point_labels(e)
        return tuple(tuple(sorted({s for o, s in parts[w] if (o == ostar) == facing}))
                     for w in ("a", None, "b") for facing in (True, False))

    def _range(self, I: int, entries):
        r""":meth:`_contribution` for an N-interval with slots at its ends: the range of $o^*\Sigma_A$ over the
        conditions of :meth:`_group_range`."""
        ostar = 1 if self.left_of_ref(I) else -1
        r = self._group_range(I, self._groups(I, entries), (1, 0, 1, 0, 1, 0))
        return r if r is None or ostar > 0 else _shift(_ZERO, r, -1)

    def _group_range(self, I: int, groups, target, fix=None):
        r"""The range of ``target`` $\cdot S$ over the sums $S$ of the six ``groups`` of :meth:`_groups` of the
        types of N-interval $[a, b]$ (``fix``: with ``fix[0]`` $\cdot S$ = ``fix[1]``), ``None`` when they have no
        point, by Fourier–Motzkin elimination (:func:`~semialg.geometry.elimination.project`). The conditions: each
        sum of the sign of its jumps (open; $0$ when empty); on a bounded interval $\sum S = s_b - s_a$ and, with
        slots inside, $T_a < -s_a$ and $T_b < s_b$ ($T$ the sums at the ends: $g$ goes down from $a$ and up to $b$;
        clustered around one point the inner slots then keep $g < 0$ between), without them $T_a = -s_a$,
        $T_b = s_b$ ($g = 0$ on $[a, b]$); on an unbounded one the slope of $g$ at its infinite end of the right
        sign ($\sum S \le$ the cap) and, with slots inside, the same strict condition at its finite end."""
        key = (I, groups, target, fix)
        if key not in self._ranges:
            self._ranges[key] = project(self._group_rows(I, groups, target, fix), 7, 6)
        return self._ranges[key]

    def _group_rows(self, I: int, groups, target, fix=None) -> list:
        """The rows of :meth:`_group_range` in the six sums and the value of ``target`` (a seventh variable)."""
        a, b, sa, sb = self.nints[I]
        unit = [tuple(int(j == k) for j in range(7)) for k in range(7)]
        rows = []
        for k, signs in enumerate(groups):
            if not signs:
                rows.append((unit[k], 0, "="))
            elif all(x > 0 for x in signs):
                rows.append((tuple(-x for x in unit[k]), 0, "<"))
            elif all(x < 0 for x in signs):
                rows.append((unit[k], 0, "<"))
        total, Ta, Tb = (1,) * 6 + (0,), (1, 1, 0, 0, 0, 0, 0), (0, 0, 0, 0, 1, 1, 0)
        inside = bool(groups[2] or groups[3])
        if a is not None and b is not None:
            rows += [(total, sb - sa, "="), (Ta, -sa, "<" if inside else "="), (Tb, sb, "<" if inside else "=")]
        else:
            rows.append((total, sb if a is None else -sa, "<="))
            if inside:
                rows.append((Tb, sb, "<") if a is None else (Ta, -sa, "<"))
        rows.append((tuple(target) + (-1,), 0, "="))
        if fix is not None:
            rows.append((tuple(fix[0]) + (0,), fix[1], "="))
        return rows

    def flat(self, orient, hidden, free: bool = False) -> bool:
        r"""Whether every point of the type has $g = 0$ on every N-interval (then $g = \sigma(T)$): nothing inside
        any N-interval, and the slope at each infinite end forced to $0$ (:meth:`is_flat`)."""
        need, mixed, _ = self._kink_part(orient)
        d = self.decide(orient, hidden, free)
        return d is not None and all(self.is_flat(I, entries, self._coupled(I, d.ranges, need, not free and not mixed))
                                     for I, entries in enumerate(hidden))

    def is_flat(self, I: int, entries, y) -> bool:
        """Whether $g = 0$ on N-interval ``I`` at every point with its slots ``entries`` and contribution in the
        range ``y``: no slot inside it, and it is bounded ($g$ vanishes at both ends and is linear between) or the
        sum of its jumps is forced to the cap (the slope at its infinite end forced to $0$; by
        :func:`~semialg.geometry.elimination.project`)."""
        if any(not is_end(e) for e in entries):
            return False
        if self._bounded(I):
            return True
        a, b, sa, sb = self.nints[I]
        cap = sb if a is None else -sa
        ostar = 1 if self.left_of_ref(I) else -1
        rows = self._group_rows(I, self._groups(I, entries), (1,) * 6)
        lo, hi, clo, chi = y if ostar > 0 else _shift(_ZERO, y, -1)           # the range of Sigma_A
        if lo is not None:
            rows.append(((-1, 0, -1, 0, -1, 0, 0), -lo, "<=" if clo else "<"))
        if hi is not None:
            rows.append(((1, 0, 1, 0, 1, 0, 0), hi, "<=" if chi else "<"))
        return project(rows, 7, 6) == (cap, cap, True, True)

    def _coupled(self, I: int, ranges, need, coupled: bool):
        """The range of N-interval ``I``'s contribution once the others' are subtracted from ``need`` (``coupled``),
        else its own."""
        return ranges[I] if not coupled else _meet(ranges[I], _shift(need, _sum(ranges[:I] + ranges[I + 1:]), -1))

    def placements(self, I: int, labels: tuple) -> dict:
        """The ways to put the slots with the sorted ``labels`` of N-interval ``I`` at its finite ends and inside
        (:func:`~semialg.families.bottleneck.line_points.end_choices`, none at an end included), grouped by the
        range of the interval's contribution: ``{range: [(ends, inner labels)]}``, empty ranges left out."""
        key = (I, labels)
        if key not in self._placements:
            a, b, _, _ = self.nints[I]
            out: dict = {}
            for ends, inner in end_choices(labels, a is not None, b is not None):
                r = self.interval_range(I, canonical_points(inner + ends))
                if r is not None:
                    out.setdefault(r, []).append((ends, inner))
            self._placements[key] = out
        return self._placements[key]

    def ends(self, hidden):
        """The keys with slots at the ends of the N-intervals from the simple ``hidden`` labels: per N-interval
        every choice of :func:`~semialg.families.bottleneck.line_points.end_choices`, the inner slots single,
        but the choice without ends everywhere."""
        choices = [end_choices(tuple(sorted(ms)), a is not None, b is not None)
                   for ms, (a, b, _, _) in zip(hidden, self.nints, strict=True)]
        for pick in itertools.product(*choices):
            if any(ends for ends, _ in pick):
                yield tuple(canonical_points(inner + ends) for ends, inner in pick)

    def _bounded(self, I: int) -> bool:
        a, b, _, _ = self.nints[I]
        return a is not None and b is not None

    def _contribution(self, I: int, labels):
        """The range of N-interval ``I``'s term in the reference slope: $o^*\\sum_{o_j = o^*} J_j$ with
        $o^* = +1$ left of the reference piece, $-1$ right of it."""
        a, b, sa, sb = self.nints[I]
        ostar = 1 if self.left_of_ref(I) else -1
        A = [s for o, s in labels if o == ostar]
        B = [s for o, s in labels if o != ostar]
        if self._bounded(I):
            r = _meet(_rng(A), _shift(sb - sa, _rng(B), -1))
        else:
            cap = sb if a is None else -sa      # sum of all jumps < cap (slope at the infinite end)
            r = _rng(A) if any(s < 0 for s in B) else _meet(_rng(A), (None, cap, False, not B))
        if r is None:
            return None
        return r if ostar > 0 else _shift(_ZERO, r, -1)

    def dimension(self, orient, hidden) -> int:
        """Dimension of a feasible type in parameter space: $(p, J)$ plus one scale per slot plus $\\mu$."""
        return self.decide(orient, hidden).dim + self.n + 1

    def upper_bound(self, n0: int) -> int | None:
        """An upper bound of the dimension of the whole piece (every member, of simple type or not) for $n$
        neurons with $n_0$ inputs, ``None`` when the piece is empty (fewer than one neuron per kink and per
        bounded N-interval).

        *Proof.* Give each neuron its parameters: inert ($v' = 0$) $n_0 + 1$, constant 2, a phantom group of $s$
        neurons $n_0 + 2s - 1 \\le s(n_0 + 1)$, a neuron on the line $\\le 3$ ($\\lambda, p, J$), $\\le 2$ at a
        fixed point: at most $c = \\max(n_0 + 1, 3)$ each; $\\mu$ adds 1 and $e'$ is fixed by the value of $h'$
        at the reference point. Each kink of $T$ needs a cluster of $c_k \\ge 1$ neurons on the line at it:
        $2c_k - 1$ parameters after its jump sum. Each bounded N-interval needs $k \\ge 1$ on the line in
        $[a, b]$ whose jumps and moments satisfy two independent equations: $\\le 3k - 2 \\le kc - (c - 1)$. So
        $U = 1 + q + \\beta + (n - q - \\beta)c$ ($q$ kinks, $\\beta$ bounded N-intervals). The reference slope is
        one more equation unless nothing it involves is free: a *source* of freedom (a slot on the line on the
        $\\hat P$-facing side of an unbounded N-interval, slots of both orientations at one point, both sides
        present in a bounded N-interval, a mixed phantom group with $\\alpha \\ne 0$) costs at least $c - 3$
        against $U$, so those members have dimension $\\le U - c + 2$; without a source every N-interval's
        contribution is forced: one side only (0 or all of $s_b - s_a$) or two slots at the ends $a, b$ (jumps
        $-s_a$, $s_b$: contribution $-s_a$ or $s_b$ by which faces $\\hat P$, costing $c - 1$), the kinks
        oriented, and the forced sum must equal the reference slope. $\\square$ Cost: $2^q 4^\\beta$ sums.
        """
        q = len(self.kinks)
        bounded = [I for I in range(len(self.nints)) if self._bounded(I)]
        spare = self.n - q - len(bounded)
        if spare < 0:
            return None
        c = max(n0 + 1, 3)
        cap = 1 + q + len(bounded) + spare * c
        best = cap - c + 2 if spare > 0 else None
        options = []
        for I in bounded:
            _, _, sa, sb = self.nints[I]
            ostar = 1 if self.left_of_ref(I) else -1
            options.append(((_ZERO, 0), (ostar * (sb - sa), 0), (-ostar * sa, 1), (ostar * sb, 1)))
        for orient in itertools.product((1, -1), repeat=q):
            need = self.T.slope(self.ref) - sum((o * J for (x, J), o in zip(self.kinks, orient, strict=True)
                                                 if (o > 0) == (x < self.ref)), _ZERO)
            for choice in itertools.product(*options):
                pairs = sum(k for _, k in choice)
                if pairs <= spare and sum((c for c, _ in choice), _ZERO) == need:
                    value = cap - pairs * (c - 1)
                    best = value if best is None else max(best, value)
        return best

def _compositions(m: int, r: int):
    if r == 0:
        if m == 0:
            yield ()
        return
    for first in range(m + 1):
        for rest in _compositions(m - first, r - 1):
            yield (first,) + rest


def _orientations(size: int):
    """The orientations of ``size`` slots on one kink: one orientation, or a cluster's sorted tuple of them."""
    if size == 1:
        yield from (1, -1)
        return
    for plus in range(size, -1, -1):
        yield (-1,) * (size - plus) + (1,) * plus
