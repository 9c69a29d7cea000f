"""The index of types of a typed shallow fibre, enumerated with pruning.

A prefix of roles is abandoned once its uncovered kink hyperplanes and single-slot phantom groups outnumber the slots
left. Before, the depth-first search checked coverage only at full length: for 784-64-10 with a dead neuron (63 kink
hyperplanes, 64 slots) it met $(2N + 3)^n$ dead ends before the first type, so ``F.index`` and ``components()`` never
yielded. The order and the set are unchanged: checked against the product of all roles filtered by the rules of
:func:`~semialg.families.shallow.type_roles.role_error`, in lexicographic order of the search.
"""

from __future__ import annotations

import itertools
import time

import pytest

from semialg.families.shallow.type_roles import role_error
from semialg.families.shallow.typed import TypeIndex


def _unpruned(n: int, N: int):
    """The search of the index without pruning (the definition): every sequence of roles in the search's order,
    phantom groups opened in order of appearance, kept when it is a type."""
    base = [("K", h, s) for h in range(N) for s in (1, -1)] + [("D",), ("C+",), ("C-",)]

    def extend(prefix: list, groups: int):
        if len(prefix) == n:
            if role_error(tuple(prefix), n, N) is None:
                yield tuple(prefix)
            return
        for role in base + [("P", g, s) for g in range(groups) for s in (1, -1)] + [("P", groups, 1)]:
            yield from extend(prefix + [role], groups + (role[0] == "P" and role[1] == groups))

    yield from extend([], 0)


@pytest.mark.parametrize("n, N", [(n, N) for n in range(5) for N in range(n + 1)] + [(5, 3), (5, 5)])
def test_the_pruned_search_lists_the_same_types_in_the_same_order(n, N):
    index = TypeIndex(n, N)
    assert list(index) == list(_unpruned(n, N))
    assert len(list(index)) == index.exact_size


def test_the_first_types_of_a_wide_fibre_come_at_once():
    """784-64-10 with a dead neuron: 63 kink hyperplanes over 64 slots."""
    start = time.perf_counter()
    first = list(itertools.islice(TypeIndex(64, 63), 2000))
    assert time.perf_counter() - start < 5
    assert len(first) == 2000 and all(role_error(t, 64, 63) is None for t in first)
    assert first[0] == (("K", 0, 1), ("K", 0, 1)) + tuple(("K", h, 1) for h in range(1, 63))


@pytest.mark.parametrize("n, N", [(1, 0), (2, 1), (3, 1), (3, 2), (4, 2)])
def test_random_types_are_types_and_reach_every_type(n, N):
    """Drawn role by role among the completable roles: every draw is a type of the unpruned definition, and with
    enough draws every type is drawn (no branch of the pruned search is unreachable)."""
    import random

    every = set(_unpruned(n, N))
    rng = random.Random(n * 10 + N)
    drawn = {TypeIndex(n, N).random(rng) for _ in range(60 * len(every))}
    assert drawn == every


def test_a_random_type_of_a_wide_fibre_comes_at_once_and_no_type_raises():
    import random

    t = TypeIndex(64, 63).random(random.Random(1))
    assert role_error(t, 64, 63) is None
    with pytest.raises(LookupError, match="need more than"):
        TypeIndex(2, 3).random(random.Random(0))
