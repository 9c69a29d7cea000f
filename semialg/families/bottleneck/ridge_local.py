r"""Case (b): the local dimension of a fibre at a point, by branch and bound over the types whose closure may
contain it (:class:`~semialg.families.bottleneck.ridge_typed.TypedRidge` tests each candidate: relaxation and
adjacency).

The dimension of a type is separable up to non-positive terms — per slot a weight ($2 + n_3$ for Z and A,
$1 + n_3$ for C±, kinks and phantom members, $2$ for D), $-n_3$ per group, $+1$ per phantom group, $-n_3$ for the
slope equation when it is independent — so the heaviest completion of a partial assignment bounds every type
below it; the group and slope equations at the point involve only the slots with $x = c v \ne 0$.
"""

from __future__ import annotations

import itertools

from flint import fmpq

from semialg.errors import UndecidedError
from semialg.families.bottleneck.ridge_types import _groups, _renumbered, nonempty
from semialg.families.bottleneck.views import RidgeView, _ONE, _ZERO, _scale, _vadd

__all__ = ["closure_search"]


def closure_search(R, index, view: RidgeView, best: int, limit: int,
                   undecided: list) -> tuple[int, tuple | None]:
    r"""The largest dimension of a candidate type of ``R`` (a :class:`~.ridge_typed.TypedRidge`) adjacent to the
    point ``view`` of type ``index``, at least ``best``, by branch and bound, and a candidate attaining it
    (``None`` when none exceeds ``best``).

    Per branch (``R._candidate_roles``: the roles each slot's closed conditions allow, dominated ones dropped)
    the classes of identical slots take multisets of their roles, heaviest first (:func:`_multisets`;
    permuting identical slots fixes the point, so it maps an adjacent type to one of the same dimension). The
    classes whose slots carry $x = cv \ne 0$ come first: a group's sum at the point is final once no live class
    left can join it, the slope at $0^+$ once every live class is placed (the other slots add $0$), and an
    assignment where one misses its target ($\Delta_k/|\lambda|$, $0$ for a phantom group, $T/|\lambda|$) is
    cut there — those equations belong to the type, so its relaxation misses the point. Phantom labels of one
    line are interchangeable: only assignments naming them in order of first appearance are kept. A partial
    assignment is also cut when its bound — the base, $-n_3$ per needed breakpoint, the weights placed, the
    heaviest weight of each slot left, minus what the placed roles already subtract ($n_3$ for an A slot or a
    mixed group, $n_3 - 1$ per phantom group) — is at most the best adjacent dimension found; a complete
    non-empty candidate above it is tested (``R._touches``: relaxation and adjacency; an undecided test is
    appended to ``undecided``). Exact: every type cut has dimension at most the answer, or misses the point.
    For constant $f$ with $w' = 0$ (branches zero±) every type has one dimension and the slots that fit both
    roles add $0$ to the value equation, so one candidate decides. Cost: at most ``limit`` nodes of
    $O(n_2n_3)$ each (else :class:`~semialg.errors.UndecidedError` with the best found and the bound), plus one
    basic set and adjacency test per complete candidate tested; exponential in the worst case.
    """
    n0, n3 = R.net.widths[0], R.net.widths[3]
    weight = {"Z": 2 + n3, "A": 2 + n3, "D": 2}
    w = lambda roles: sum(weight.get(r, 1 + n3) for r in roles)  # noqa: E731
    twins: dict = {}
    for s, slot in enumerate(zip(view.v, view.e, view.c, strict=True)):
        twins.setdefault(slot, []).append(s)
    visited, seen, found = 0, set(), None
    for key, br, per in R._candidate_roles(index, view):
        if not all(per):
            continue                  # a slot fits no role: no candidate on this branch
        if not br.one_dimensional:
            cand = key + (tuple(r[0] for r in per),)
            if R.dimension_of(cand) > best and R._touches(cand, view):
                best, found = R.dimension_of(cand), cand
            continue
        absl = _ONE if key[0] == "constant" else br.sign * view.w[R.types.p]
        x = [_scale(v, c) for v, c in zip(view.v, view.c, strict=True)]
        live = sorted((m for m in twins.values() if any(x[m[0]])), key=lambda m: len(per[m[0]]))
        classes = live + sorted((m for m in twins.values() if not any(x[m[0]])), key=lambda m: len(per[m[0]]))
        rest = [0] * (len(classes) + 1)
        for i in reversed(range(len(classes))):
            rest[i] = rest[i + 1] + len(classes[i]) * max(w((r,)) for r in per[classes[i][0]])
        base = ((n0 + 1) if key[0] == "constant" else 1 + (key[1] == "free")) - n3 * len(br.ys)
        roles: list = [None] * len(per)

        last: dict = {}           # per group, the last live class with a role in it
        for i, m in enumerate(live):
            for r in per[m[0]]:
                if isinstance(r, tuple):
                    last[r[:2]] = i

        def equations_hold(i: int) -> bool:
            """With the first ``i`` classes placed: the sums of the groups no live class left can join (all of
            them and the slope once every live class is placed) equal their targets at the point, and the
            phantom labels appear in canonical order (labels of one line are interchangeable)."""
            sums = {("K", k): (_ZERO,) * n3 for k in range(len(br.ys))}
            slope, order = (_ZERO,) * n3, {}
            for s in (s for m in classes[:i] for s in m):
                r = roles[s]
                if isinstance(r, tuple) and r[0] == "P":
                    line, j = r[1] if isinstance(r[1], tuple) else (None, r[1])
                    if order.setdefault((line, j), sum(1 for q in order if q[0] == line)) != j:
                        return False
                if any(x[s]) and isinstance(r, tuple):
                    sums[r[:2]] = _vadd(sums.get(r[:2], (_ZERO,) * n3), x[s], fmpq(r[2]))
                if any(x[s]) and (r == "A" or (isinstance(r, tuple) and r[2] < 0)):
                    slope = _vadd(slope, x[s])
            done = i >= len(live)
            return (not done or slope == _scale(1 / absl, br.T)) and all(
                total == (_scale(1 / absl, br.jumps[g[1]]) if g[0] == "K" else (_ZERO,) * n3)
                for g, total in sums.items() if done or last.get(g, -1) < i)

        placed, iters = [0] * (len(classes) + 1), [None] * len(classes)

        def penalty(i: int) -> int:
            # what the classes placed already subtract: n3 for the slope equation, n3 - 1 per phantom group
            groups = _groups([roles[s] for m in classes[:i] for s in m])
            slope = any(roles[s] == "A" for m in classes[:i] for s in m) or \
                any(1 in sg and -1 in sg for sg in groups.values())
            return n3 * slope + (n3 - 1) * sum(1 for key in groups if key[0] == "P")

        def enter(i: int) -> bool:
            """Visit the node of the first ``i`` classes placed; whether to descend into it."""
            nonlocal best, visited, found
            visited += 1
            if visited > limit:
                raise UndecidedError(f"local dimension: the branch-and-bound search over the candidate types "
                                     f"spent its limit of {limit} nodes; the largest type decided adjacent has "
                                     f"dimension {best}, the upper bound is {R._upper_bound(index, view)}")
            if base + placed[i] + rest[i] - penalty(i) <= best or not equations_hold(i):
                return False
            if i < len(classes):
                iters[i] = _multisets(per[classes[i][0]], len(classes[i]), w)
                return True
            cand = key + (_renumbered(roles),)
            if cand not in seen and nonempty(br, cand[2]) and R.dimension_of(cand) > best:
                seen.add(cand)
                try:
                    if R._touches(cand, view):
                        best, found = R.dimension_of(cand), cand
                except UndecidedError as exc:
                    undecided.append((R.dimension_of(cand), exc))
            return False

        i = 0 if enter(0) else -1
        while i >= 0:
            combo = next(iters[i], None)
            if combo is None:
                i -= 1
                continue
            for s, r in zip(classes[i], combo, strict=True):
                roles[s] = r
            placed[i + 1] = placed[i] + w(combo)
            if enter(i + 1):
                i += 1
    return best, found


def _multisets(roles: list, k: int, w):
    """The multisets of ``k`` roles, lazily, by non-increasing total weight ``w`` (roles of one weight together:
    first the counts per weight, then the roles of each weight)."""
    levels: dict = {}
    for r in roles:
        levels.setdefault(w((r,)), []).append(r)
    weights = sorted(levels, reverse=True)

    def counts(i: int, left: int):
        if i == len(weights) - 1:
            yield (left,)
            return
        for n in range(left, -1, -1):
            yield from ((n,) + rest for rest in counts(i + 1, left - n))
    for ns in sorted(counts(0, k), key=lambda ns: -sum(n * x for n, x in zip(ns, weights, strict=True))):
        for parts in itertools.product(*(itertools.combinations_with_replacement(levels[x], n)
                                         for n, x in zip(ns, weights, strict=True))):
            yield tuple(r for part in parts for r in part)
