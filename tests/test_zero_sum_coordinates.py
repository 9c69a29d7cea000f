"""The coordinates meeting in the middle hashes (semialg.geometry.zero_sum._in_few_coordinates): as many as the rank
of the vectors, also when that is below both their number and their length (Gram columns), and injective on their
span. Oracle: exact combinations in all coordinates."""

from __future__ import annotations

from flint import fmpq
from hypothesis import given, strategies as st

from semialg.core.exact import rank
from semialg.geometry.zero_sum import _in_few_coordinates

entries = st.integers(-4, 4)


@given(st.integers(1, 4), st.integers(2, 7), st.integers(2, 9), st.data())
def test_few_coordinates_keep_every_relation(r, D, n, data):
    basis = [[fmpq(data.draw(entries)) for _ in range(D)] for _ in range(r)]
    vectors = [tuple(sum((fmpq(data.draw(entries)) * b[j] for b in basis), fmpq(0)) for j in range(D))
               for _ in range(n)]
    low, dim = _in_few_coordinates(vectors, range(n))
    assert dim == rank([list(v) for v in vectors]) and all(len(low[i]) == dim for i in range(n))
    for _ in range(20):
        c = [data.draw(st.integers(-1, 1)) for _ in range(n)]
        full = [sum((ci * v[j] for ci, v in zip(c, vectors)), fmpq(0)) for j in range(D)]
        reduced = [sum((ci * low[i][j] for i, ci in enumerate(c)), fmpq(0)) for j in range(dim)]
        assert (not any(full)) == (not any(reduced))
