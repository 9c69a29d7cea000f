"""The rank modulo a prime of sparse rational rows (the moves of the kink quotient at 784-4096-1-10: 4,097 rows of
about 3 entries, whose dense rational rank took 32 s), against flint's exact rank of the dense matrix."""

from __future__ import annotations

from flint import fmpq
from hypothesis import given, settings, strategies as st

from semialg.core.exact import rank, sparse_modular_rank

ENTRY = st.one_of(st.just(fmpq(0)), st.builds(fmpq, st.integers(-4, 4), st.integers(1, 5)))


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 8), st.integers(1, 8), st.data())
def test_the_sparse_rank_is_the_exact_rank(r, c, data):
    M = [[data.draw(ENTRY) for _ in range(c)] for _ in range(r)]
    if data.draw(st.booleans()) and r > 1:            # a dependent row: a combination of two others
        a, b = data.draw(st.integers(0, r - 1)), data.draw(st.integers(0, r - 1))
        t = data.draw(ENTRY)
        M.append([x + t * y for x, y in zip(M[a], M[b])])
    rows = [{j: x for j, x in enumerate(row) if x != 0} for row in M]
    assert sparse_modular_rank(rows) == rank(M)


def test_a_denominator_divisible_by_the_prime_is_refused():
    assert sparse_modular_rank([{0: fmpq(1, 7)}], p=7) is None
    assert sparse_modular_rank([{0: fmpq(1, 7)}, {0: fmpq(2, 3)}], p=11) == 1


def test_near_diagonal_rows_at_scale():
    n = 4096
    rows = [{i: fmpq(i + 1), i + 1: fmpq(-1)} for i in range(n)] + [{i: fmpq(1) for i in range(0, n + 1, 7)}]
    assert sparse_modular_rank(rows) == n + 1


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 8), st.integers(1, 8), st.data(), st.sampled_from([None, 7, 1152921504606846883]))
def test_each_insert_says_whether_the_rank_grows(r, c, data, p):
    """The exact echelon (p = None) and the modular one: a row is kept exactly when the rank of the rows so far
    grows (over Q; modulo p, the rank of the residues, recomputed densely by flint)."""
    from flint import nmod_mat

    from semialg.core.exact import SparseEchelon
    M = [[data.draw(ENTRY) for _ in range(c)] for _ in range(r)]
    for _ in range(data.draw(st.integers(0, 2))):    # dependent rows: combinations of two others
        a, b, t = data.draw(st.integers(0, r - 1)), data.draw(st.integers(0, r - 1)), data.draw(ENTRY)
        M.append([x + t * y for x, y in zip(M[a], M[b])])
    if p is not None and any(int(x.q) % p == 0 for row in M for x in row):
        return
    echelon = SparseEchelon(p)

    def dense_rank(rows):
        if p is None:
            return rank(rows)
        return nmod_mat(len(rows), c, [int(x.p) * pow(int(x.q), -1, p) % p for row in rows for x in row], p).rank()

    for k, row in enumerate(M):
        kept = echelon.insert({j: x for j, x in enumerate(row) if x != 0})
        assert kept == (dense_rank(M[:k + 1]) > dense_rank(M[:k]) if k else dense_rank(M[:1]) > 0)
    assert echelon.rank == dense_rank(M)
