import random
from fractions import Fraction

import numpy as np
import pytest
from flint import fmpq
from hypothesis import given, strategies as st

from semialg.errors import ParameterError, ShapeError
from semialg.core.exact import (modular_rank, normalise_row, nullspace, rank, solve, to_fmpq, to_matrix,
                           to_vector)

from conftest import rationals


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_float_conversion_is_the_stored_dyadic(x):
    q = to_fmpq(x)
    assert Fraction(int(q.p), int(q.q)) == Fraction(x)


@given(st.floats(width=32, allow_nan=False, allow_infinity=False))
def test_float32_arrays_convert_exactly(x):
    arr = np.array([x], dtype=np.float32)
    assert to_vector(arr)[0] == to_fmpq(float(arr[0]))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), True, None, "1/0", "abc", [1]])
def test_bad_scalars_are_refused(bad):
    with pytest.raises(ParameterError):
        to_fmpq(bad)


def test_error_names_the_entry():
    with pytest.raises(ParameterError, match=r"W1\[1,0\]"):
        to_matrix(np.array([[1.0, 2.0], [np.nan, 0.0]]), where="W1")
    with pytest.raises(ParameterError, match=r"b2\[2\]"):
        to_vector([1, 2, float("inf")], where="b2")
    with pytest.raises(ShapeError, match="ragged"):
        to_matrix([[1, 2], [3]])
    with pytest.raises(ParameterError, match="object"):
        to_matrix(np.array([[1, None]], dtype=object))


def test_strings_and_sympy():
    import sympy
    assert to_fmpq(" -3/6 ") == fmpq(-1, 2)
    assert to_fmpq("1e-3") == fmpq(1, 1000)
    assert to_fmpq(sympy.Rational(2, 7)) == fmpq(2, 7)
    assert to_fmpq(Fraction(5, 3)) == fmpq(5, 3)


def _random_low_rank(rng, r, c, k):
    A = [[Fraction(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(k)] for _ in range(r)]
    B = [[Fraction(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(c)] for _ in range(k)]
    return [[sum(A[i][t] * B[t][j] for t in range(k)) for j in range(c)] for i in range(r)]


@given(st.integers(0, 10**6), st.integers(1, 7), st.integers(1, 7), st.integers(0, 7))
def test_rank_against_sympy_and_nullspace(seed, r, c, k):
    rng = random.Random(seed)
    M = _random_low_rank(rng, r, c, min(k, r, c))
    import sympy
    expected = sympy.Matrix(M).rank()
    assert rank(M) == expected
    assert modular_rank(M) <= expected
    N = nullspace(M)
    assert len(N) == c - expected
    for v in N:
        assert all(sum(fmpq(M[i][j].numerator, M[i][j].denominator) * v[j] for j in range(c)) == 0
                   for i in range(r))


@given(st.lists(st.lists(rationals, min_size=3, max_size=3), min_size=1, max_size=4),
       st.lists(rationals, min_size=3, max_size=3))
def test_solve_finds_a_solution_when_one_exists(A, x):
    b = [sum(a * v for a, v in zip(row, x)) for row in A]
    sol = solve(A, b)
    assert sol is not None
    assert all(sum(to_fmpq(a) * s for a, s in zip(row, sol)) == to_fmpq(bi) for row, bi in zip(A, b))


def test_solve_inconsistent():
    assert solve([[1, 0], [1, 0]], [1, 2]) is None


@given(st.lists(rationals, min_size=1, max_size=5), st.fractions(min_value=Fraction(-9), max_value=9)
       .filter(lambda t: t != 0))
def test_normalise_row_is_a_projective_invariant(row, t):
    row = [to_fmpq(x) for x in row]
    key, scale, sign = normalise_row(row)
    if all(x == 0 for x in row):
        assert (scale, sign) == (0, 0)
        return
    assert [sign * scale * k for k in key] == row
    assert next(k for k in key if k != 0) == 1
    key2, scale2, sign2 = normalise_row([to_fmpq(t) * x for x in row])
    assert key2 == key and sign2 == sign * (1 if t > 0 else -1)
    assert scale2 == abs(to_fmpq(t)) * scale
