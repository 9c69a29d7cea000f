"""The one normalisation of integer neuron rows (``core.exact.primitive_rows``) against its definition in Python
fractions, and the keys built on it (hyperplane keys, orbit keys) against proportionality of the rows."""

import math
from fractions import Fraction

import numpy as np
from flint import fmpq
from hypothesis import given, settings, strategies as st

from semialg.core.exact import normalise_row, primitive_rows
from semialg.core.rational_matrix import RationalMatrix
from semialg.engine.hyperplane_keys import oriented_rows
from semialg.engine.orbit import _integer_keys

entries = st.integers(-(2 ** 40), 2 ** 40)
# small entries make zero rows, proportional rows and shared gcds frequent
matrices = st.integers(1, 5).flatmap(lambda c: st.lists(
    st.one_of(st.lists(st.integers(-3, 3), min_size=c, max_size=c), st.lists(entries, min_size=c, max_size=c)),
    min_size=1, max_size=8))


@settings(max_examples=200, deadline=None)
@given(matrices)
def test_rows_are_sign_times_gcd_times_a_primitive_row(rows):
    N = np.array(rows, dtype=np.int64)
    P, g, s, j = primitive_rows(N)
    for a, row in enumerate(rows):
        if not any(row):
            assert (int(g[a]), int(s[a]), int(j[a])) == (0, 0, 0) and not P[a].any()
            continue
        first = next(c for c, x in enumerate(row) if x)
        assert int(j[a]) == first and int(s[a]) == (1 if row[first] > 0 else -1)
        assert int(g[a]) == math.gcd(*row)
        assert [int(s[a]) * int(g[a]) * int(p) for p in P[a]] == row
        assert math.gcd(*map(int, P[a])) == 1 and int(P[a][first]) > 0
        key, scale, sign = normalise_row([fmpq(x) for x in row])
        assert sign == s[a] and scale == int(g[a]) * int(P[a][first])
        assert key == tuple(fmpq(int(p), int(P[a][first])) for p in P[a])


@settings(max_examples=150, deadline=None)
@given(matrices, st.data())
def test_keys_are_equal_exactly_for_proportional_rows(rows, data):
    """Rows and biases, with scaled copies appended; keys compared with proportionality decided in fractions."""
    c = len(rows[0])
    biases = data.draw(st.lists(st.integers(-3, 3), min_size=len(rows), max_size=len(rows)))
    for _ in range(data.draw(st.integers(0, 4))):
        a = data.draw(st.integers(0, len(rows) - 1))
        t = data.draw(st.sampled_from([1, 2, 3, -1, -2]))
        if max(map(abs, rows[a]), default=0) * 3 < 2 ** 62:
            rows, biases = rows + [[t * x for x in rows[a]]], biases + [t * biases[a]]
    d = data.draw(st.sampled_from([1, 2, 6]))
    W = RationalMatrix.from_integers(np.array(rows, dtype=np.int64).reshape(-1, c), d)
    b = [fmpq(x, d) for x in biases]
    full = [[Fraction(x, d) for x in r] + [Fraction(y, d)] for r, y in zip(rows, biases, strict=True)]
    line_keys = oriented_rows(W, b)
    orbit_keys = _integer_keys(W, b, lambda i: None)
    assert W.primitive_rows() is not None

    def multiple(p, q):
        """The t with p = t q when there is one (q non-zero)."""
        k = next(i for i, x in enumerate(q) if x)
        t = p[k] / q[k]
        return t if all(x == t * y for x, y in zip(p, q, strict=True)) else None

    for a in range(len(rows)):
        for e in range(len(rows)):
            if not any(rows[a]) or not any(rows[e]):
                continue
            t = multiple(full[a], full[e])
            assert (line_keys[a][0] == line_keys[e][0]) == (t is not None and t != 0)
            if t:
                assert Fraction(int(line_keys[a][1].p), int(line_keys[a][1].q)) == \
                    t * Fraction(int(line_keys[e][1].p), int(line_keys[e][1].q))
            assert (orbit_keys[a][0] == orbit_keys[e][0]) == (t is not None and t > 0)
            if t is not None and t > 0:
                assert orbit_keys[a][1] / orbit_keys[e][1] == fmpq(t.numerator, t.denominator)


def test_the_normalisation_is_kept_and_needs_the_integer_form():
    W = RationalMatrix.from_integers(np.array([[2, -4], [0, 0]]), 3)
    assert W.primitive_rows() is W.primitive_rows()
    assert RationalMatrix.of([[fmpq(1, 3), 2]]).primitive_rows() is None          # rows only: no integer form
    big = RationalMatrix.from_integers(np.array([[2 ** 70, 1]], dtype=object), 1)
    assert big.primitive_rows() is None                                           # beyond int64
