r"""Points of slots on the line: the labels of a slot type's neurons, points shared by several slots, and the
distinct orders of a multiset of labels or points, counted.

A hidden slot's label is $(o, \varsigma)$ (orientation, sign of the jump). Inside an N-interval of
:mod:`~semialg.families.bottleneck.line_slots` the slots stand on *points*: a point of one slot is its label, a
*shared point* of several is the sorted tuple of their labels (their places are equal, their jumps do not
cancel), and a point at an end $a$ or $b$ of the N-interval (a zero of the target) is ``("a", point)`` or
``("b", point)``. The role of a neuron on the line is ``("V", k, o)`` (on the $k$-th kink of the target),
``("H", I, rank, o, sign)`` (on the inner point of that rank in the $I$-th N-interval; the slots of a shared point
have one rank) or ``("Z", I, end, o, sign)`` (at its end $a$, ``end`` 0, or $b$, ``end`` 1).

>>> partitions_into_points([(1, 1), (1, 1), (-1, 1)])     # all on one point, ..., each on its own
((((-1, 1), (1, 1), (1, 1)),), ((-1, 1), ((1, 1), (1, 1))), ((1, 1), ((-1, 1), (1, 1))), ((-1, 1), (1, 1), (1, 1)))
>>> slot_labels((1,), [[(1, 1), ((-1, 1), (1, 1)), ("b", (1, -1))]])
[('V', 0, 1), ('H', 0, 0, 1, 1), ('H', 0, 1, -1, 1), ('H', 0, 1, 1, 1), ('Z', 0, 1, 1, -1)]
>>> end_choices(((1, 1), (1, 1)), True, False)         # none, both or one at a
(((), ((1, 1), (1, 1))), ((('a', ((1, 1), (1, 1))),), ()), ((('a', (1, 1)),), ((1, 1),)))
"""

from __future__ import annotations

import functools
import itertools
import math
from fractions import Fraction

__all__ = ["is_shared", "is_end", "end_choices", "coincident", "point_labels", "canonical_points",
           "partitions_into_points", "point_weight", "points_avoiding", "total_point_weight", "arrangements",
           "multinomial", "slot_labels", "points_of"]


def is_shared(entry) -> bool:
    """Whether an entry of an N-interval's key is a shared inner point (a tuple of labels)."""
    return isinstance(entry[0], tuple)


def is_end(entry) -> bool:
    """Whether an entry of an N-interval's key is a point at one of its ends, ``("a", point)`` or
    ``("b", point)``."""
    return isinstance(entry[0], str)


def point_labels(entry) -> tuple:
    """The labels of the slots on the point ``entry``."""
    if is_end(entry):
        return point_labels(entry[1])
    return entry if is_shared(entry) else (entry,)


def _point(labels):
    """The point of the slots with these labels: the label of one, the sorted tuple of several."""
    return labels[0] if len(labels) == 1 else tuple(sorted(labels))


def canonical_points(entries) -> tuple:
    """The points of an N-interval in a fixed order: single labels, shared points (sorted tuples), then the ends."""
    def key(e):
        return (2, e[0], repr(e[1])) if is_end(e) else (int(is_shared(e)), e)
    return tuple(sorted(((e[0], _point(point_labels(e))) if is_end(e) else _point(point_labels(e))
                         for e in entries), key=key))


@functools.lru_cache(maxsize=4096)
def end_choices(labels: tuple, at_a: bool, at_b: bool) -> tuple:
    """Every way to put some of the sorted ``labels`` at the end $a$ (``at_a``) and some at $b$ (``at_b``) of an
    N-interval: ``(ends, inner labels)`` with ``ends`` the end entries, the choice without ends first."""
    out = []
    for k in range(len(labels) + 1) if at_a else (0,):
        for A in sorted(set(itertools.combinations(labels, k))):
            rest = list(labels)
            for lab in A:
                rest.remove(lab)
            for m in range(len(rest) + 1) if at_b else (0,):
                for B in sorted(set(itertools.combinations(rest, m))):
                    inner = list(rest)
                    for lab in B:
                        inner.remove(lab)
                    ends = (("a", _point(A)),) * bool(A) + (("b", _point(B)),) * bool(B)
                    out.append((ends, tuple(inner)))
    return tuple(sorted(out, key=lambda c: (len(c[0]), repr(c))))


@functools.lru_cache(maxsize=4096)
def _partitions(labels: tuple) -> tuple:
    from sympy.utilities.iterables import multiset_partitions    # each distinct partition of a multiset once
    if not labels:
        return ((),)
    found = (canonical_points(p[0] if len(p) == 1 else tuple(p) for p in P) for P in multiset_partitions(list(labels)))
    return tuple(sorted(found, key=lambda h: (len(h), repr(h))))


def partitions_into_points(labels) -> tuple:
    """Every way to put a multiset of slot labels on distinct points, up to order: each partition of the multiset
    into sub-multisets once, a point of one slot its label, of several the sorted tuple of theirs. Cost: the
    number of set partitions (Bell numbers; cached per multiset)."""
    return _partitions(tuple(sorted(labels)))


@functools.lru_cache(maxsize=65536)
def point_weight(points: tuple) -> Fraction:
    """The distinct orders of the ``points`` over those of equal labels on each shared point: the number of types
    with these points relative to the orders of their labels (each neuron of a point may take any of its labels)."""
    same = math.prod(math.factorial(e.count(lab)) for e in points if is_shared(e) for lab in set(e))
    return Fraction(multinomial(list(points)), same)


@functools.lru_cache(maxsize=16384)
def points_avoiding(labels: tuple, bad: frozenset = frozenset()) -> tuple:
    """:func:`partitions_into_points` of the sorted ``labels`` with none of the shared points ``bad``."""
    return tuple(P for P in partitions_into_points(labels) if not any(e in bad for e in P))


@functools.lru_cache(maxsize=16384)
def total_point_weight(labels: tuple, bad: frozenset = frozenset()) -> Fraction:
    """:func:`point_weight` summed over :func:`points_avoiding`."""
    return sum((point_weight(P) for P in points_avoiding(labels, bad)), Fraction(0))


def arrangements(labels):
    """Every distinct order of a multiset once (:func:`multinomial` of them), labels in order of first
    appearance."""
    counts: dict = {}
    for lab in labels:
        counts[lab] = counts.get(lab, 0) + 1

    def rest(n: int):
        if n == 0:
            yield ()
            return
        for lab, c in counts.items():
            if c:
                counts[lab] -= 1
                for tail in rest(n - 1):
                    yield (lab,) + tail
                counts[lab] += 1
    yield from rest(len(labels))


def multinomial(labels) -> int:
    """The number of distinct orders of a multiset."""
    out = math.factorial(len(labels))
    for lab in set(labels):
        out //= math.factorial(labels.count(lab))
    return out


def slot_labels(orient, seqs) -> list:
    """The slot labels of a key's orientations per kink and a sequence of points per N-interval (a hidden label,
    a tuple of them for a shared point: one rank for all its slots, the ranks counting inner points only; an end
    entry)."""
    out = [("V", k, o) for k, c in enumerate(orient) for o in (c if isinstance(c, tuple) else (c,))]
    for I, seq in enumerate(seqs):
        inner = [e for e in seq if not is_end(e)]
        out += [("H", I, r, o, s) for r, e in enumerate(inner) for o, s in point_labels(e)]
        out += [("Z", I, "ab".index(e[0]), o, s) for e in seq if is_end(e) for o, s in point_labels(e)]
    return out


def points_of(labels, I: int) -> list:
    r"""The points of N-interval ``I`` in the order of the line: the end $a$, the inner points by rank (a hidden
    label $(o, \varsigma)$, or the sorted tuple of those of several slot labels sharing a rank), the end $b$."""
    ranks: dict = {}
    for lab in labels:
        if lab[0] in ("H", "Z") and lab[1] == I:
            where = lab[2] if lab[0] == "H" else (-1, math.inf)[lab[2]]
            ranks.setdefault(where, []).append((lab[3], lab[4]))
    return [("ab"[where > 0], _point(labs)) if where in (-1, math.inf) else _point(labs)
            for where, labs in sorted(ranks.items())]


def coincident(roles) -> bool:
    """Whether slots of ``roles`` share a point inside an N-interval or sit at one of its ends (a type of lower
    dimension than those with the slots apart and inside)."""
    places = [role[1:3] for role in roles if role[0] == "H"]
    return len(places) > len(set(places)) or any(role[0] == "Z" for role in roles)
