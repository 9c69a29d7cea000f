"""``integer_rows``: rational rows as an exact integer array over cleared denominators, against the definition."""

import math

from flint import fmpq
from hypothesis import given, settings, strategies as st

from semialg.core.exact import integer_rows

_rationals = st.builds(lambda p, q: fmpq(p, q), st.integers(-2 ** 70, 2 ** 70),
                       st.sampled_from([1, 2, 3, 7, 2 ** 33, 10 ** 20]))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 4).flatmap(lambda c: st.lists(st.lists(_rationals | st.integers(-5, 5), min_size=c,
                                                             max_size=c), max_size=4)),
       st.booleans(), st.sampled_from([19, 30, 62]))
def test_rows_are_the_integers_over_the_least_denominators(rows, common, max_bits):
    A, dens = integer_rows(rows, common=common, max_bits=max_bits)
    assert A.shape == (len(rows), len(rows[0]) if rows else 0)
    lcms = [math.lcm(*(int(fmpq(x).q) for x in r)) for r in rows]
    assert dens == ([math.lcm(*lcms)] * len(rows) if common and rows else lcms)
    assert all(fmpq(int(A[i, j]), dens[i]) == fmpq(x) for i, r in enumerate(rows) for j, x in enumerate(r))
    fits = all(abs(int(v)) < 2 ** max_bits for v in A.ravel().tolist())
    assert (A.dtype == "int64") == fits or A.size == 0
