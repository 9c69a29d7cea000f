"""Grid points keep their integer form, and every routine that reads it (batched evaluation, activation patterns,
residues modulo p, Jacobian rows) answers as for the same points given as plain tuples of rationals."""

import copy
import math
import pickle

import numpy as np
import pytest
from flint import fmpq
from hypothesis import given, strategies as st

from semialg import Network
from semialg.core.exact import to_vector
from semialg.core.grid_point import GridPoint, as_grid_points, grid_points
from semialg.core.modular import residues
from semialg.core.rational_matrix import integer_columns, rational_columns, row_residues
from semialg.engine.jacobian import jacobians_mod, layers_mod

from conftest import networks

WIDE = 2 ** 62
entries = st.one_of(st.integers(-300, 300), st.integers(-2 ** 40, 2 ** 40), st.sampled_from([WIDE - 1, 1 - WIDE]))


def plain(point):
    return tuple(fmpq(x) for x in point)


def agrees(point):
    """The entries of a grid point are its numerators over its denominator."""
    return type(point) is GridPoint and list(point) == [fmpq(t, point.denominator) for t in point.numerators.tolist()]


@given(st.lists(st.lists(entries, min_size=3, max_size=3), min_size=1, max_size=6), st.integers(1, 2 ** 20))
def test_grid_points_are_the_rows_over_the_denominator(rows, denominator):
    points = grid_points(np.array(rows), denominator)
    assert points == [tuple(fmpq(t, denominator) for t in row) for row in rows]
    assert all(type(x) is fmpq for point in points for x in point)
    assert all(agrees(point) and point.denominator == denominator for point in points)


def test_rows_beyond_the_integer_form_are_plain_tuples():
    low, wide = grid_points(np.array([[1, 2], [WIDE, 0], [0, -WIDE]]), 3)[0], grid_points(np.array([[WIDE, 0]]), 3)[0]
    assert agrees(low) and type(wide) is tuple and wide == (fmpq(WIDE, 3), fmpq(0))
    assert [type(x) for x in grid_points(np.array([[1, 2], [WIDE, 0], [0, -WIDE]]), 3)] == [GridPoint, tuple, tuple]


@given(st.lists(st.integers(-2 ** 40, 2 ** 40), min_size=1, max_size=5), st.integers(1, 2 ** 12), st.data())
def test_an_entry_replaced_keeps_the_integer_form(row, denominator, data):
    point = grid_points(np.array([row]), denominator)[0]
    j = data.draw(st.integers(0, len(row) - 1))
    value = fmpq(data.draw(st.integers(-2 ** 50, 2 ** 50)), data.draw(st.integers(1, 2 ** 30)))
    moved = point.with_entry(j, value)
    assert moved == tuple(value if i == j else x for i, x in enumerate(point))
    assert point == tuple(fmpq(t, denominator) for t in row)          # unchanged
    assert agrees(moved) or (type(moved) is tuple and max(map(abs, row + [value.p])) * value.q * denominator >= WIDE)


def test_a_grid_point_is_immutable_and_copies_as_itself():
    x = GridPoint([3, -5], 4)
    with pytest.raises(AttributeError):
        x.denominator = 1
    with pytest.raises(ValueError):
        x.numerators[0] = 7
    for y in (copy.deepcopy(x), pickle.loads(pickle.dumps(x))):
        assert agrees(y) and y == x and y.denominator == 4 and hash(y) == hash(x)
    assert to_vector(x, 2) is x
    with pytest.raises(Exception, match="length|expected"):
        to_vector(x, 3)


@given(networks(max_width=3), st.data())
def test_evaluation_at_grid_points_is_that_at_their_rationals(net, data):
    n = net.architecture.input_dim
    rows = data.draw(st.lists(st.lists(st.integers(-200, 200), min_size=n, max_size=n), min_size=2, max_size=6))
    X = grid_points(np.array(rows), data.draw(st.sampled_from([1, 7, 64])))
    j, value = data.draw(st.integers(0, n - 1)), fmpq(data.draw(st.integers(-99, 99)), data.draw(st.integers(1, 99)))
    X[0] = X[0].with_entry(j, value)
    plain_X = [plain(x) for x in X]
    assert net.evaluate(X) == net.evaluate(plain_X) == [net(x) for x in plain_X]
    assert net.activation_patterns(X) == [net.activation_pattern(x) for x in plain_X]
    Z, e = integer_columns(X)
    assert rational_columns(Z, e) == plain_X
    for p in (2, 3, 7, 2097143):
        expected = row_residues(plain_X, p)
        got = residues(X, p)
        assert (got is None) == (expected is None) or (got is None and any(x.denominator % p == 0 for x in X))
        if got is not None:
            assert got.tolist() == expected.tolist()
    layers = layers_mod(net)
    if layers is not None:
        patterns = net.activation_patterns(plain_X)
        rows_of = lambda points: jacobians_mod(layers, points, patterns)  # noqa: E731
        assert (rows_of(X) is None and rows_of(plain_X) is None) or rows_of(X).tolist() == rows_of(plain_X).tolist()


def test_a_float32_layer_evaluates_alike_at_grid_points():
    rng = np.random.default_rng(3)
    net = Network.from_arrays([rng.standard_normal((16, 24)).astype(np.float32),
                               rng.standard_normal((3, 16)).astype(np.float32)],
                              [rng.standard_normal(16).astype(np.float32), np.zeros(3, dtype=np.float32)])
    X = grid_points(rng.integers(-64, 65, size=(40, 24)), 64)
    X[5] = X[5].with_entry(2, fmpq(-12345, 987654321))
    assert net.evaluate(X) == net.evaluate([plain(x) for x in X])


def test_certificates_read_a_grid_point_by_its_entries():
    """The identifiability certificates do not trust an integer form: a grid point whose numerators were changed
    behind its back is read as the plain tuple of its entries."""
    from semialg.families.bottleneck.identifiability import _point
    x = GridPoint([1, 2], 4)
    object.__setattr__(x, "numerators", np.array([5, 5]))
    y = _point(x, 2)
    assert type(y) is tuple and y == (fmpq(1, 4), fmpq(1, 2))


big = st.one_of(st.integers(-300, 300), st.integers(-2 ** 70, 2 ** 70), st.sampled_from([-2 ** 63, 2 ** 63 - 1, 2 ** 62]))


@given(st.lists(st.lists(st.tuples(big, st.one_of(st.integers(1, 64), st.integers(1, 2 ** 66))), min_size=2,
                         max_size=2), min_size=1, max_size=5))
def test_points_become_grid_points_over_their_least_common_denominator(rows):
    points = [tuple(fmpq(p, q) for p, q in row) for row in rows]
    converted = as_grid_points(points)
    assert converted == points
    for x, point in zip(converted, points):
        lcm = math.lcm(*(int(t.q) for t in point))
        fits = lcm < WIDE and all(abs(int(t.p)) * (lcm // int(t.q)) < WIDE for t in point)
        assert type(x) is (GridPoint if fits else tuple)
        assert not fits or (agrees(x) and x.denominator == lcm)


def test_inputs_at_the_ends_of_int64_are_evaluated():
    # -2^63 once wrapped in an absolute value of int64 and hung the splitting into limbs
    net = Network.from_arrays([np.array([[1], [-1]]), np.array([[1, 2]])], [np.zeros(2, dtype=np.int64), [0]])
    X = [[-2 ** 63], [2 ** 63 - 1], [2 ** 62], [fmpq(-2 ** 63, 3)], [1]]
    assert net.evaluate(X) == [(fmpq(2 * abs(fmpq(x[0]))) if fmpq(x[0]) < 0 else fmpq(x[0]),) for x in X]
