"""The cells of a simple arrangement read off its vertices, against the breadth-first search over cells by exact
strict-feasibility tests (the LP route of :mod:`semialg.engine.regions`), exact evaluation of every point's signs,
brute-force simplicity, and Zaslavsky's count $\\sum_{k \\le d}\\binom{n}{k}$ in general position."""

from __future__ import annotations

import itertools
import math
import time

import pytest
from flint import fmpq, fmpq_mat
from hypothesis import given, strategies as st

from semialg.core.exact import normalise_row
from semialg.engine.regions import _arrangement_cells
from semialg.errors import UndecidedError
from semialg.geometry.simple_arrangement import simple_arrangement_cells


def _distinct(rows):
    seen, out = set(), []
    for g, h in rows:
        if any(g):
            key = normalise_row(g + (h,))[0]
            if key not in seen:
                seen.add(key)
                out.append((key[:-1], key[-1]))
    return out


arrangements = st.integers(2, 4).flatmap(lambda d: st.lists(
    st.tuples(st.tuples(*[st.integers(-3, 3).map(fmpq) for _ in range(d)]), st.integers(-3, 3).map(fmpq)),
    min_size=d, max_size=7)).map(_distinct)


def _simple_by_brute_force(rows) -> bool:
    d = len(rows[0][0])
    if fmpq_mat([list(g) for g, _ in rows]).rank() < d:
        return False
    for S in itertools.combinations(range(len(rows)), d):
        G = fmpq_mat([list(rows[i][0]) for i in S])
        if G.det() != 0:
            v = G.solve(fmpq_mat([[-rows[i][1]] for i in S])).entries()
            if sum(sum((a * b for a, b in zip(g, v)), h) == 0 for g, h in rows) > d:
                return False
    return True


@given(arrangements)
def test_the_cells_are_those_of_the_search_by_feasibility(rows):
    if len(rows) < 2 or len(rows) < len(rows[0][0]):
        return
    d = len(rows[0][0])
    cells = simple_arrangement_cells(rows)
    assert (cells is not None) == _simple_by_brute_force(rows)
    if cells is None:
        return
    for signs, point, _ in cells:       # each point is strictly inside the cell it is given for
        values = [sum((a * b for a, b in zip(g, point)), h) for g, h in rows]
        assert tuple((v > 0) - (v < 0) for v in values) == signs
    trivial = [((fmpq(0),) * d, fmpq(1))]          # a base row that holds everywhere: the search route
    searched = {signs: sorted(g + (h,) for g, h in ineq[1:])
                for signs, _, ineq in _arrangement_cells(trivial, (fmpq(0),) * d, rows)}
    read = {signs: sorted(tuple(signs[j] * x for x in rows[j][0]) + (signs[j] * rows[j][1],) for j in facets)
            for signs, _, facets in cells}
    assert read == searched


@pytest.mark.parametrize("n, d", [(5, 2), (6, 3), (7, 4)])
def test_general_position_has_zaslavskys_count(n, d):
    import random
    rng = random.Random(n * d)
    rows = [(tuple(fmpq(rng.randint(-10 ** 6, 10 ** 6), rng.randint(1, 999)) for _ in range(d)),
             fmpq(rng.randint(-10 ** 6, 10 ** 6), 7)) for _ in range(n)]
    cells = simple_arrangement_cells(rows)
    assert len(cells) == sum(math.comb(n, k) for k in range(d + 1))


def test_not_read_when_not_simple_or_not_essential():
    one, zero = fmpq(1), fmpq(0)
    three_lines_through_0 = [((one, zero), zero), ((zero, one), zero), ((one, one), zero)]
    assert simple_arrangement_cells(three_lines_through_0) is None
    parallel = [((one, zero), zero), ((one, zero), -one)]
    assert simple_arrangement_cells(parallel) is None


def test_the_deadline_stops_the_reading():
    rows = [(tuple(fmpq(i ** k + 1) for k in range(3)), fmpq(i)) for i in range(12)]
    with pytest.raises(UndecidedError, match="deadline"):
        simple_arrangement_cells(rows, deadline=time.monotonic() - 1)
