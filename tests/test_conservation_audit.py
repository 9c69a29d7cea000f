"""Findings of an audit of the conservation laws, against oracles written here: the Lie algebra's rank at a singular
point (hand-written fields), one-line refusals of what is not a polynomial in the parameters, and a failing
quantity's witness point inside the region of its pattern (the derivative of f along grad Q there, exactly)."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

import semialg as sa
from semialg import Network


def test_at_zero_the_count_is_that_of_the_fields_near_it():
    """1-1-1 at theta = 0: the fields a d_b + b d_a, a d_w + w d_a and d_c (written here) vanish but for d_c, yet
    have rank 3 at any nearby point: at most 4 - 3 = 1 law (w^2 + b^2 - a^2), not the 3 that D minus the rank at 0
    gave."""
    zero = Network.from_arrays([[[0]], [[0]]], [[0], [0]])
    w, b, a = Fraction(1, 1000), Fraction(2, 1000), Fraction(3, 1000)
    fields = [[0, a, b, 0], [a, 0, w, 0], [0, 0, 0, 1]]         # coordinates (w, b, a, c)
    assert sympy.Matrix([[sympy.Rational(str(x)) for x in row] for row in fields]).rank() == 3
    c = sa.count_conservation_laws(zero)
    assert (c.laws, c.rank_at_parameter, c.stabilized) == (4 - 3, 1, False)
    V = zero.architecture.variables()
    assert sa.is_conserved(V.weights[0][0, 0] ** 2 + V.biases[0][0] ** 2 - V.weights[1][0, 0] ** 2, zero)


@pytest.mark.parametrize("quantity", ["sin(W1_1_1)", "exp(b1_1)", "sqrt(W1_1_1)", "1/W1_1_1", "Abs(b1_1)",
                                      "sign(W1_1_2)", "Heaviside(b1_2)", "floor(W1_1_1)", "Eq(W1_1_1, 1)", "nan",
                                      "oo", True, None, [1, 2], "W1_1_1 +* 2", "z + W1_1_1", 1.5j])
def test_what_is_not_a_polynomial_in_the_parameters_is_refused_in_one_line(quantity):
    net = sa.Network.random((2, 2, 1), seed=0)
    with pytest.raises(sa.ParameterError) as info:
        sa.is_conserved(quantity, net)
    assert "\n" not in str(info.value)


def test_parameters_are_taken_by_their_names():
    net = sa.Network.random((2, 2, 1), seed=0)
    V = net.architecture.variables()
    exact = V.weights[0][0, 0] ** 2 + V.weights[0][0, 1] ** 2 + V.biases[0][0] - V.weights[1][0, 0] ** 2
    for given in (str(exact), exact.subs({v: sympy.Symbol(str(v)) for v in exact.free_symbols})):
        assert sa.is_conserved(given, net).conserved == sa.is_conserved(exact, net).conserved


def test_a_failing_quantity_names_a_point_of_its_region_where_it_moves():
    """1-2-1 and Q = w_2 (found by the audit: the point x = -2 lay outside the pattern's region x < -3). The point
    has the pattern's signs, and there d/dt f(theta + t grad Q) is not 0 (f is quadratic in t on the region: the
    three-point rule is exact)."""
    net = Network.from_arrays([[[1], [-1]], [[2, 3]]], [[1, -3], [0]])
    V = net.architecture.variables()
    r = sa.is_conserved(V.weights[0][1, 0], net)
    assert not r.conserved and r.point is not None
    signs = net.activation_pattern(r.point)
    assert all(s == p for layer, pl in zip(signs, r.pattern) for s, p in zip(layer, pl) if p)

    def f(t):
        moved = Network.from_arrays([[[1], [-1 + t]], [[2, 3]]], [[1, -3], [0]])
        return Fraction(str(moved(r.point)[0]))

    h = Fraction(1, 10 ** 6)
    assert (-3 * f(0) + 4 * f(h) - f(2 * h)) / (2 * h) != 0
