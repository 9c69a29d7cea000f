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
from semialg.geometry.arrangement import Arrangement, Cell
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
    for signs, point, *_ in cells:       # each point is strictly inside the cell it is given for
        values = [sum((a * b for a, b in zip(g, point)), h) for g, h in rows]
        assert tuple((v > 0) - (v < 0) for v in values) == signs
    trivial = [((fmpq(0),) * d, fmpq(1))]          # a base row that holds everywhere: the search route
    searched = {signs: sorted(g + (h,) for g, h in ineq[1:])
                for signs, _, ineq in _arrangement_cells(trivial, (fmpq(0),) * d, rows)}
    read = {signs: sorted(tuple(signs[j] * x for x in rows[j][0]) + (signs[j] * rows[j][1],) for j in facets)
            for signs, _, facets, *_ in cells}
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


@given(arrangements, st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3),
                                        st.integers(-3, 3), st.integers(-3, 3)), min_size=1, max_size=3))
def test_vertices_and_rays_decide_the_range_of_an_affine_map_as_the_lps_do(rows, maps):
    if len(rows) < 2 or len(rows) < len(rows[0][0]):
        return
    d = len(rows[0][0])
    cells = simple_arrangement_cells(rows, faces=True)
    if cells is None:
        return
    arr = Arrangement([g + (h,) for g, h in rows], d)
    for signs, point, _, vertices, rays in cells:
        assert vertices        # an essential arrangement's cells are pointed
        for v in vertices:      # in the closure, and a vertex: d independent rows vanish there
            values = [sum((a * b for a, b in zip(g, v)), h) for g, h in rows]
            assert all(s * x >= 0 for s, x in zip(signs, values))
            assert fmpq_mat([list(g) for (g, _), x in zip(rows, values) if x == 0]).rank() == d
        for r in rays:          # in the recession cone, on a line where d - 1 independent rows vanish
            slopes = [sum((a * b for a, b in zip(g, r)), fmpq(0)) for g, _ in rows]
            assert all(s * y >= 0 for s, y in zip(signs, slopes))
            assert fmpq_mat([list(g) for (g, _), y in zip(rows, slopes) if y == 0]).rank() == d - 1
        for m in maps:
            A = (tuple(fmpq(x) for x in m[:d]), fmpq(m[-1]))
            read = arr.range_sign(Cell(signs, point, vertices, rays), A)
            assert read == arr.range_sign(Cell(signs, point), A)      # two exact LPs


@pytest.mark.parametrize("seed", range(6))
def test_the_cells_polyhedra_are_those_of_the_double_description(seed):
    from semialg.core.network import Network
    from semialg.families.bottleneck.arrangement import NetworkArrangement
    from semialg.families.bottleneck.hidden_region import _cells, _direction, facet_lines, polyhedron
    net = Network.random((3, 5 + seed % 3, 1, 1), seed=seed)
    arr = NetworkArrangement((net,))
    assert all(cell.vertices for cell in arr.cells)          # read off the vertices
    read, _ = _cells(net, arr)
    for cell, facets, Q in zip(arr.cells, facet_lines(arr.cells), read, strict=True):
        rows = tuple(tuple(cell.signs[i] * x for x in arr.lines[i]) for i in facets)
        R = polyhedron(rows)                                    # every choice of rows, from scratch
        assert set(Q.vertices) == set(R.vertices) and set(Q.rays) == set(R.rays)
        assert {_direction(r) for r in Q.rays} == set(Q.rays)


@pytest.mark.parametrize("seed", range(8))
def test_a_cut_by_one_step_of_the_double_description_is_the_polyhedron_of_its_rows(seed):
    import random
    from semialg.core.network import Network
    from semialg.families.bottleneck.arrangement import NetworkArrangement
    from semialg.families.bottleneck.hidden_region import _cells, _cut, polyhedron
    net = Network.random((3 + seed % 2, 6, 1, 1), seed=seed, height=2)
    arr = NetworkArrangement((net,))
    read, maps = _cells(net, arr)
    rng = random.Random(seed)
    for Q, A in zip(read, maps, strict=True):
        for B in (A, (tuple(-x for x in A[0]), -A[1]),
                  (tuple(fmpq(rng.randint(-3, 3)) for _ in A[0]), fmpq(rng.randint(-3, 3)))):
            cut, scratch = _cut(Q, B), polyhedron(Q.rows + (tuple(B[0]) + (B[1],),))
            assert (cut is None) == (scratch is None)
            if cut is not None:
                assert set(cut.vertices) == set(scratch.vertices) and set(cut.rays) == set(scratch.rays)
                assert len(set(cut.vertices)) == len(cut.vertices) and len(set(cut.rays)) == len(cut.rays)
