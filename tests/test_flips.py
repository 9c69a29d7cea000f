"""The certified flip oracle of region enumeration against the exact simplex, and the enumeration budget."""

import pytest
from flint import fmpq
from hypothesis import given, strategies as st

import semialg as sa
from semialg.errors import UndecidedError
from semialg.engine.regions import count_regions
from semialg.geometry.polyhedron import decide, flip_neighbours

small = st.integers(-4, 4)


@given(st.integers(2, 3), st.lists(st.lists(small, min_size=3, max_size=3), min_size=1, max_size=9),
       st.lists(st.integers(1, 5), min_size=9, max_size=9), st.lists(small, min_size=3, max_size=3))
def test_flips_agree_with_the_exact_simplex(d, rows, margins, x0):
    """Build a cell around x0 (each row positive there), flip each row, compare with an exact decision."""
    x0 = tuple(fmpq(v) for v in x0[:d])
    G = [tuple(fmpq(v) for v in r[:d]) for r in rows if any(r[:d])]
    if not G:
        return
    h = tuple(fmpq(m) - sum((g * x for g, x in zip(r, x0)), fmpq(0)) for r, m in zip(G, margins))
    got = flip_neighbours(G, h, x0, range(len(G)))
    for j in range(len(G)):
        flipped_G = [tuple(-v for v in g) if i == j else g for i, g in enumerate(G)]
        flipped_h = tuple(-c if i == j else c for i, c in enumerate(h))
        assert (got[j] is not None) == bool(decide(flipped_G, flipped_h, d, method="exact"))
        if got[j] is not None:
            assert all(sum((a * b for a, b in zip(g, got[j])), fmpq(0)) + c > 0
                       for g, c in zip(flipped_G, flipped_h))


def test_region_budget_is_reported():
    net = sa.Network.random((2, 40, 1), seed=1)
    with pytest.raises(UndecidedError, match="budget"):
        count_regions(net, budget=0.0)
    assert count_regions(sa.Network.random((2, 6, 1), seed=1), budget=60) == \
        count_regions(sa.Network.random((2, 6, 1), seed=1))


def test_vertex_bound_is_mcmullens():
    from semialg.geometry.polyhedron import _vertex_bound
    assert [_vertex_bound(m, 2) for m in (3, 7)] == [3, 7]              # polygons
    assert [_vertex_bound(m, 3) for m in (4, 6, 10)] == [4, 8, 16]     # 2m - 4: simple 3-polytopes
    assert _vertex_bound(6, 4) == 9                                     # the dual of the cyclic polytope C(6, 4)


def test_high_dimensional_flips_are_decided_by_lps_and_agree_with_the_simplex():
    """In 20 dimensions the vertex bound is astronomical: no Qhull call (which once ran for minutes in 7 GB);
    each flip is an exact LP, checked here against the exact simplex."""
    import random
    rng = random.Random(3)
    d, x0 = 20, tuple(fmpq(rng.randint(-3, 3)) for _ in range(20))
    G = [tuple(fmpq(rng.randint(-4, 4)) for _ in range(d)) for _ in range(30)]
    h = tuple(fmpq(rng.randint(1, 6)) - sum((g * x for g, x in zip(r, x0)), fmpq(0)) for r in G)
    got = flip_neighbours(G, h, x0, range(len(G)))
    for j in range(len(G)):
        flipped_G = [tuple(-v for v in g) if i == j else g for i, g in enumerate(G)]
        flipped_h = tuple(-c if i == j else c for i, c in enumerate(h))
        assert (got[j] is not None) == bool(decide(flipped_G, flipped_h, d, method="exact"))


def test_a_region_budget_in_twenty_dimensions_is_kept():
    with pytest.raises(UndecidedError, match="budget"):
        count_regions(sa.Network.random((20, 32, 1), seed=1), budget=2)


def test_few_flips_in_ten_dimensions_count_every_region():
    """Eight hyperplanes with independent normals in R^10 cut it into all 2^8 sign patterns; the enumeration asks
    about one new hyperplane per cell there, decided by LPs alone (Qhull would list each cell's box vertices)."""
    from semialg.core.exact import rank
    from semialg.engine.regions import regions
    net = sa.Network.random((10, 8, 1), seed=2, height=3)
    assert rank([list(w) for w in net.weights[0]]) == 8
    assert sum(1 for _ in regions(net)) == 2 ** 8


def test_a_flip_across_an_unbounded_facet_lands_near_its_bounded_vertices():
    """The quadrant x, y > 0 with the redundant x + y + 1 > 0: its facet x = 0 runs from the vertex (0, 0) to the
    box Qhull closes the cell with (10^4 times the scale). The point returned for a flip must stay at the scale
    of the vertex: a centroid with the box vertices at full weight put it about 10^4 away, and region by region
    such points drifted outwards to 10^16, where Qhull lost its precision."""
    one, zero = fmpq(1), fmpq(0)
    G = [(one, zero), (zero, one), (one, one)]
    got = flip_neighbours(G, (zero, zero, one), (one, one), [0, 1, 2])
    assert got[2] is None
    for j in (0, 1):
        assert all(abs(v) <= 2 for v in got[j]), got[j]
        assert sum(g * v for g, v in zip(G[j], got[j])) < 0 < sum(g * v for g, v in zip(G[1 - j], got[j]))


@pytest.mark.parametrize("arch, seed", [((3, 6, 6, 1), 0), ((2, 8, 8, 1), 0), ((3, 8, 8, 1), 1), ((4, 3, 6, 1), 1),
                                        ((3, 2, 6, 6, 1), 11)])
def test_the_points_of_deep_regions_stay_at_the_scale_of_the_arrangement(arch, seed):
    """Every region of a deep network has one exact point inside (checked against its pattern by exact
    evaluation), and none is far out: before the flips weighted the box lightly these reached 10^12-10^16, and
    with a first layer narrower than the input (cells holding lines, facets with every vertex on the box) 10^13
    until such flips were placed near the cell's point by an LP."""
    from semialg.engine.regions import regions
    net = sa.Network.random(arch, seed=seed)
    found = regions(net)
    assert len({r.pattern for r in found}) == len(found)
    assert [r.pattern for r in found] == [tuple(map(tuple, net.activation_pattern(r.point))) for r in found]
    assert max(abs(v) for r in found for v in r.point) < 10 ** 6


def test_regions_are_found_lazily(monkeypatch):
    """The first regions of a deep network cost a few cells of the second layer's arrangement, not all of them:
    the functional dimension stops at its bound after a fraction of the regions (4-16-16-2: 901 of about 14,000)."""
    import itertools
    from semialg.engine import regions
    net = sa.Network.random((3, 8, 8, 1), seed=1)
    total = len(regions.regions(net))
    calls = []
    real = regions.flip_neighbours
    monkeypatch.setattr(regions, "flip_neighbours", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = list(itertools.islice(regions.decisive_points(net), 5))
    assert len(first) == 5 and len(calls) <= 5 < total
