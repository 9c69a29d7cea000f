"""Basic sets and lazy unions: exact membership against direct evaluation."""

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, strategies as st

from semialg import BasicSet, Network, ParameterError, Union
from semialg.geometry.semialgebraic import as_substitution

x, y = sympy.symbols("x y")
fr = st.fractions(min_value=-4, max_value=4, max_denominator=5)


@given(fr, fr)
def test_basic_set_membership_is_the_sign_conditions(a, b):
    B = BasicSet((x, y), equations=(x * y - a * b,), strict=(x - a + 1,), nonstrict=(y - b,))
    assert B.contains((a, b))
    assert B.contains({x: a, y: b + 1}) == (a * (b + 1) == a * b)
    violated = B.violated((a - 1, b))
    assert violated is not None and violated[0] == ("=0" if b != 0 else ">0")


def test_union_lazy_counts_and_locate():
    built = []

    def build(k):
        built.append(k)
        return BasicSet((x, y), equations=(x - k, y))

    U = Union((x, y), range(10 ** 6), build, locate=lambda p: int(p[0]) if Fraction(p[0]).denominator == 1 else None)
    assert U.num_components == 10 ** 6 and built == []
    assert U.contains((7, 0)) and not U.contains((7, 1)) and not U.contains((Fraction(1, 2), 0))
    assert built == [7, 7]
    small = Union((x, y), range(3), build)
    assert small.contains((2, 0)) and not small.contains((5, 0))
    assert [B.equations[0] for B in small.components()] == [x, x - 1, x - 2]


def test_substitution_from_networks_and_bad_points():
    net = Network.from_arrays([[["1/2"]], [[3]]], [[0], [1]])
    sub = as_substitution(net.variables().flat, net)
    assert list(sub.values()) == [sympy.Rational(1, 2), 0, 3, 1]
    with pytest.raises(ParameterError):
        as_substitution((x, y), (1,))
    with pytest.raises(ParameterError):
        as_substitution((x,), (float("nan"),))


def test_astronomical_component_counts_are_exact():
    import math
    import semialg as sa
    net = sa.Network.random((30, 25, 2), seed=1)
    F = sa.fibre(net)
    assert F.num_components == math.factorial(25) * len(F.flip_sets)     # beyond a machine-sized len()
