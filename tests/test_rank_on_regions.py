"""The rank of the Jacobian rows of every linear region, proven by a kernel checked modulo primes, against the
exact rank of the rows at d + 1 points of every region (flint), and the height bound against the entries."""

import random

from flint import fmpq
from hypothesis import given, settings, strategies as st

from semialg.core.exact import rank
from semialg.core.network import Network
from semialg.engine.batch_rank import jacobian_height
from semialg.engine.functional_dimension import functional_dimension, rank_on_regions
from semialg.engine.jacobian import parameter_jacobian
from semialg.engine.regions import decisive_points

ARCHS = [(1, 3, 3, 1), (2, 3, 2, 1), (2, 2, 3, 2), (3, 2, 2, 1), (2, 3, 1), (2, 2, 2, 2, 1)]


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(ARCHS), st.integers(0, 10 ** 6), st.booleans())
def test_the_rank_on_every_region_is_the_exact_rank_of_the_rows_at_its_points(arch, seed, dead):
    net = Network.random(arch, seed=seed, height=4, nonzero=not dead)
    regions = list(decisive_points(net))
    exact = rank([row for pattern, points in regions for x in points for row in parameter_jacobian(net, x, pattern)])
    assert rank_on_regions(net, [pattern for pattern, _ in regions]) == exact
    assert functional_dimension(net, method="batch").value == exact


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(ARCHS), st.integers(0, 10 ** 6))
def test_the_height_bounds_every_entry_on_the_cube_whatever_the_pattern(arch, seed):
    net = Network.random(arch, seed=seed, height=7)
    rng = random.Random(seed)
    height = jacobian_height(net)
    for _ in range(5):
        x = [fmpq(rng.randint(-8, 8), 8) for _ in range(arch[0])]
        pattern = tuple(tuple(rng.choice((-1, 0, 1)) for _ in range(n)) for n in arch[1:-1])
        assert all(abs(v) <= height for row in parameter_jacobian(net, x, pattern) for v in row)
    ones = Network.from_arrays([[[1, 1], [1, 1]], [[1, 1]]], [[1, 1], [0]])
    assert jacobian_height(ones) == 3 == max(abs(v) for v in parameter_jacobian(ones, [1, 1])[0])


def test_patterns_as_lists_and_a_rational_radius():
    """Found by an audit: patterns written as lists (unhashable) and a Fraction radius were refused."""
    from fractions import Fraction
    net = Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 1], [0]])
    assert rank_on_regions(net, [[[1, 1]], [[1, -1]], ((1, 1),)]) == rank_on_regions(net, [((1, 1),), ((1, -1),)])
    assert jacobian_height(net, Fraction(7, 2)) == jacobian_height(net, "7/2") >= 4
