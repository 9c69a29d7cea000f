"""The modular kernels of semialg.core.modular against independent exact computation (flint, Python integers)."""

import numpy as np
import pytest
from flint import fmpq, fmpz, nmod_mat
from hypothesis import given, settings, strategies as st

from semialg.core.exact import rank, to_matrix
from semialg.core.modular import (BLAS_PRIME, _balance, _inverse_mod, matmul_mod, rank_mod, rank_one_independent,
                                  residues, rows_pairwise_independent)

P = BLAS_PRIME
small_primes = st.sampled_from([2, 3, 7, 101, 65537, P])


@given(st.lists(st.tuples(st.integers(-2 ** 70, 2 ** 70), st.integers(1, 2 ** 70)), min_size=1, max_size=12),
       st.sampled_from([7, 101, P]))
def test_residues_are_numerator_times_inverse_denominator(pairs, p):
    rows = (tuple(fmpq(a, b) for a, b in pairs),)
    got = residues(rows, p)
    if any(int(x.q) % p == 0 for x in rows[0]):
        assert got is None
    else:
        assert got.tolist() == [[int(x.p) * pow(int(x.q), -1, p) % p for x in rows[0]]]


def test_residues_of_float32_weights_and_plain_numbers():
    W = np.random.default_rng(0).normal(size=(5, 7)).astype(np.float32)
    rows = to_matrix(W)
    assert residues(rows).tolist() == [[int(x.p) * pow(int(x.q), -1, P) % P for x in r] for r in rows]
    assert residues([[1, "1/2"]], 7).tolist() == [[1, 4]]


@given(st.lists(st.lists(st.one_of(st.just(0), st.just(fmpq(0)), st.just(fmpz(0)),
                                  st.builds(fmpq, st.integers(-2 ** 70, 2 ** 70), st.integers(1, 2 ** 70))),
                        min_size=3, max_size=3), min_size=1, max_size=6), st.sampled_from([2, 7, 101, P]))
def test_residues_of_sparse_rows_are_those_entry_by_entry(rows, p):
    """Zeros of every kind flint and Python give (the equations' rows are mostly zeros) read as 0."""
    got = residues(rows, p)
    if any(int(fmpq(x).q) % p == 0 for r in rows for x in r):
        assert got is None
    else:
        assert got.tolist() == [[int(fmpq(x).p) * pow(int(fmpq(x).q), -1, p) % p for x in r] for r in rows]


@pytest.mark.parametrize("zero", [None, "", 0.0, False, float("nan")])
def test_residues_refuse_or_read_what_to_matrix_does_beside_exact_zeros(zero):
    rows = [[fmpq(1, 2), zero, fmpq(0)]]
    try:
        expected = to_matrix(rows)
    except Exception as error:
        with pytest.raises(type(error)):
            residues(rows, 7)
    else:
        assert residues(rows, 7).tolist() == [[int(x.p) * pow(int(x.q), -1, 7) % 7 for x in expected[0]]]


@given(st.integers(1, 40), st.integers(1, 40), st.integers(0, 40), small_primes, st.integers(0, 2 ** 32))
def test_rank_mod_agrees_with_flint(r, c, k, p, seed):
    rng = np.random.default_rng(seed)
    k = min(k, r, c)
    M = (rng.integers(0, p, size=(r, k)) @ rng.integers(0, 3, size=(k, c))) % p  # rank at most k
    assert rank_mod(M, p) == nmod_mat(r, c, M.ravel().tolist(), p).rank()


@pytest.mark.parametrize("n,k", [(600, 600), (600, 590), (530, 100)])
def test_rank_mod_across_blocks(n, k):
    """Several blocks, with and without a singular leading block (the flint fallback)."""
    rng = np.random.default_rng(n + k)
    M = (rng.integers(0, P, size=(n, k)) @ rng.integers(0, P, size=(k, n + 5))) % P
    assert rank_mod(M) == rank_mod(M.T) == nmod_mat(n, n + 5, M.ravel().tolist(), P).rank()


@settings(max_examples=200, deadline=None)
@given(st.integers(8, 40), st.integers(8, 40), st.integers(1, 6), st.floats(0.0, 0.6), st.integers(0, 4),
       small_primes, st.integers(0, 2 ** 32))
def test_rank_mod_exchanging_rows_of_singular_blocks(r, c, low, share, dead, p, seed):
    """Blocks of 4 (so that small matrices take many): a share of the rows from a space of dimension ``low``
    (Jacobian rows where the network is locally constant), scattered, and ``dead`` zero columns in front, which no
    exchange of rows mends: the rank is flint's."""
    import semialg.core.modular as modular
    rng = np.random.default_rng(seed)
    M = rng.integers(0, p, size=(r, c))
    few = rng.random(r) < share
    M[few] = (rng.integers(0, p, size=(int(few.sum()), low)) @ rng.integers(0, p, size=(low, c))) % p
    M[:, :min(dead, c)] = 0
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(modular, "_BLOCK", 4)
        assert rank_mod(M, p) == nmod_mat(r, c, M.ravel().tolist(), p).rank()


@given(st.integers(1, 3), st.integers(1, 2100), st.integers(1, 3), st.integers(0, 2 ** 32))
def test_matmul_mod_is_exact(r, inner, c, seed):
    rng = np.random.default_rng(seed)
    A, B = rng.integers(-P, 2 * P, size=(r, inner)), rng.integers(0, P, size=(inner, c))
    expected = [[sum(int(A[i, t]) * int(B[t, j]) for t in range(inner)) % P for j in range(c)] for i in range(r)]
    assert matmul_mod(A, B).tolist() == expected


@given(st.lists(st.lists(st.integers(-3, 3), min_size=3, max_size=3), min_size=1, max_size=6))
def test_pairwise_independent_rows_proves_it(rows):
    if rows_pairwise_independent(rows):
        assert all(any(r) for r in rows)
        assert all(rank([r, s]) == 2 for i, r in enumerate(rows) for s in rows[i + 1:])


def test_pairwise_independent_rows_sees_proportional_rows():
    assert not rows_pairwise_independent([[1, 2, 3], [fmpq(-1, 2), -1, fmpq(-3, 2)]])
    assert not rows_pairwise_independent([[0, 0], [1, 1]])
    assert rows_pairwise_independent([[1, 2], [2, 4]], [1, 1])


@given(st.integers(1, 6), st.integers(1, 3), st.integers(1, 3), st.integers(0, 2 ** 32))
def test_rank_one_sketch_certifies_only_independence(n, k, m, seed):
    rng = np.random.default_rng(seed)
    a, w = rng.integers(-2, 3, size=(n, k)).tolist(), rng.integers(-2, 3, size=(n, m)).tolist()
    full = [[x * y for x in ai for y in wi] for ai, wi in zip(a, w, strict=True)]
    independent = rank(full) == n
    sketch = rank_one_independent(a, w, seed=seed)
    assert not sketch or independent
    if independent:  # a false negative has probability below 2n/p per seed
        assert any(rank_one_independent(a, w, seed=s) for s in range(3))


def test_rank_one_sketch_at_scale():
    """Independent rank-one matrices beyond one block of rank_mod, and a planted dependence."""
    rng = np.random.default_rng(1)
    n, k, m = 300, 2, 200
    a = rng.integers(1, 10, size=(n, k)).tolist()  # no zero a_i
    w = [[fmpq(int(v), 8) for v in row] for row in rng.integers(-99, 100, size=(n, m))]
    assert rank_one_independent(a, w)
    a[-1] = a[0]
    w[-1] = [2 * x for x in w[0]]
    assert not rank_one_independent(a, w)


@given(st.integers(1, 12), st.floats(0.3, 0.9), small_primes, st.integers(0, 2 ** 32))
def test_block_inverse_with_row_swaps(n, zeros, p, seed):
    """Sparse blocks need row swaps; a swapped-in row carries its identity entry past the pivot column."""
    rng = np.random.default_rng(seed)
    B = rng.integers(0, p, size=(n, n)) * (rng.random((n, n)) > zeros)
    inv = _inverse_mod(_balance(B.astype(np.float64), p), p)
    singular = nmod_mat(n, n, B.ravel().tolist(), p).det() == 0
    assert (inv is None) == singular
    if inv is not None:
        assert (B @ np.remainder(inv, p).astype(np.int64) % p).tolist() == np.eye(n, dtype=np.int64).tolist()
        assert np.abs(inv).max() <= p // 2 + 1    # balanced residues: sums of 1,024 products stay below 2^52


@pytest.mark.parametrize("n,c,zeros,seed", [(40, 45, 0.8, 0), (300, 320, 0.9, 1), (501, 531, 0.95, 2),
                                           (600, 300, 0.7, 3)])
def test_rank_mod_of_sparse_matrices(n, c, zeros, seed):
    """Jacobian-like sparsity: the ranks of several blocks agree with flint's (a wrong block inverse once gave
    full rank to a 501 x 531 Jacobian batch of rank 498)."""
    rng = np.random.default_rng(seed)
    M = rng.integers(0, P, size=(n, c)) * (rng.random((n, c)) > zeros)
    M[:, : c // 10] = 0                                  # dead columns, as for neurons off on every input
    M[n // 2:] = (M[: n - n // 2] * 3) % P               # half the rows dependent
    assert rank_mod(M) == nmod_mat(n, c, M.ravel().tolist(), P).rank()


def test_rank_mod_of_a_jacobian_batch():
    # the batch that exposed the wrong block inverse: modular Jacobian rows of a random 12-16-16-3 parameter at
    # the first 167 random inputs of functional_dimension (rank 498 modulo p; 501 was reported)
    import random

    import semialg as sa
    from semialg.engine.jacobian import jacobian_mod, layers_mod

    net = sa.Network.random((12, 16, 16, 3), seed=1)
    rng, layers, X = random.Random(0), layers_mod(net), []
    for _ in range(167):
        scale = 4 ** rng.randint(0, 2)
        X.append(tuple(fmpq(rng.randint(-64 * scale, 64 * scale), 64) for _ in range(12)))
    M = np.vstack([jacobian_mod(layers, x, net.activation_pattern(x)) for x in X])
    assert rank_mod(M) == nmod_mat(M.shape[0], M.shape[1], M.ravel().tolist(), P).rank() == 498


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 30), st.integers(1, 30), st.integers(0, 2 ** 32))
def test_rank_mod_with_a_deadline(r, c, seed):
    """Past its deadline a rank is given up (None); before it, it is the rank."""
    import time
    M = np.random.default_rng(seed).integers(0, 5, size=(r, c))
    assert rank_mod(M, 7, deadline=time.monotonic() - 1) is None
    assert rank_mod(M, 7, deadline=time.monotonic() + 600) == nmod_mat(r, c, M.ravel().tolist(), 7).rank()


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 30), st.integers(0, 30), st.integers(1, 60), st.sampled_from([BLAS_PRIME, 7, 3]),
       st.lists(st.integers(0, 60), max_size=4), st.integers(0, 2 ** 32 - 1))
def test_a_row_space_grown_block_by_block_has_the_rank_of_the_stack(cols, r, n, p, cuts, seed):
    """After each block, the rank of everything added equals flint's rank of the stacked rows modulo p, and the
    basis (reduced echelon on its pivots) spans them: stacking it on the rows adds no rank."""
    from semialg.core.modular import RowSpaceMod
    rng = np.random.default_rng(seed)
    r = min(r, cols)
    A = rng.integers(-5, 6, (n, r)) @ rng.integers(-5, 6, (r, cols)) + (rng.random((n, cols)) < 0.05)
    V = RowSpaceMod(cols, p)
    bounds = sorted({min(c, n) for c in cuts} | {0, n})
    for a, b in zip(bounds, bounds[1:]):
        got = V.add(A[a:b])
        stack = np.remainder(A[:b], p)
        assert got == V.rank == nmod_mat(b, cols, stack.ravel().tolist(), p).rank()
    B = np.remainder(V.basis, p).astype(np.int64)
    assert (B[:, V.pivots] == np.eye(V.rank, dtype=np.int64)).all()
    both = np.vstack([B, np.remainder(A, p)])
    assert nmod_mat(len(both), cols, both.ravel().tolist(), p).rank() == V.rank


def test_a_row_space_without_columns_or_rows_has_rank_zero():
    """Found by an audit: a space of zero columns raised on its first block."""
    from semialg.core.modular import RowSpaceMod
    V = RowSpaceMod(0, 7)
    assert V.add(np.zeros((3, 0), dtype=np.int64)) == 0 == V.rank
    W = RowSpaceMod(2, 7)
    assert W.add(np.zeros((0, 2), dtype=np.int64)) == 0 and W.add([[1, 2], [2, 4]]) == 1


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(1, 20), st.integers(0, 6), st.sampled_from([BLAS_PRIME, 7, 3]),
       st.integers(0, 2 ** 32 - 1))
def test_the_rows_that_raise_the_rank_are_the_greedy_ones(cols, n, r, p, seed):
    """add_independent returns what adding the rows one at a time finds (flint's rank of each prefix)."""
    from semialg.core.modular import RowSpaceMod
    rng = np.random.default_rng(seed)
    r = min(r, cols)
    A = rng.integers(-3, 4, (n, r)) @ rng.integers(-3, 4, (r, cols))
    cut = int(rng.integers(0, n + 1))
    V = RowSpaceMod(cols, p)
    got = V.add_independent(A[:cut]) + [cut + i for i in V.add_independent(A[cut:])]
    ranks = [0] + [nmod_mat(i, cols, np.remainder(A[:i], p).ravel().tolist(), p).rank() for i in range(1, n + 1)]
    assert got == [i for i in range(n) if ranks[i + 1] > ranks[i]] and V.rank == ranks[-1]


def _certified(rows, block, at_most=None, deadline=None):
    from semialg.core.modular import certified_rank, residues
    M = to_matrix(rows)
    den = 1
    for row in M:
        for x in row:
            den = den * int(x.q) // np.gcd(den, int(x.q))
    height = max([int(abs(x).ceil()) for row in M for x in row] + [0])

    def blocks(p):
        R = residues(M, p)
        return None if R is None else (R[s:s + block] for s in range(0, len(M), block))

    return certified_rank(blocks, lambda idx: [M[i] for i in idx], den, height, at_most, deadline)


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 9), st.integers(1, 14), st.integers(0, 5), st.integers(1, 6), st.booleans(),
       st.integers(0, 2 ** 32 - 1))
def test_a_certified_rank_is_the_exact_rank_or_none(cols, n, r, block, unlucky, seed):
    """Against flint's exact rank: a planted rank, rational entries, and (``unlucky``) a row that is a multiple of
    BLAS_PRIME away from the span, so that its rank modulo BLAS_PRIME is too small: the answer is then None, never
    that rank; when the rank modulo BLAS_PRIME is the exact one, the answer is it."""
    rng = np.random.default_rng(seed)
    r = min(r, cols)
    rs, cs = rng.integers(1, 9, n), rng.integers(1, 9, cols)   # rows and columns scaled: rational, the same rank
    A = [[fmpq(int(v), int(rs[i] * cs[j])) for j, v in enumerate(row)]
         for i, row in enumerate(rng.integers(-4, 5, (n, r)) @ rng.integers(-4, 5, (r, cols)))]
    if unlucky:
        A.append([a + BLAS_PRIME * int(j == 0) for j, a in enumerate(A[0])])
    exact = rank(A)
    modular = rank_mod(np.array([[int(x.p) * pow(int(x.q), -1, BLAS_PRIME) for x in row] for row in A]) % BLAS_PRIME)
    got = _certified(A, block)
    assert got == exact if modular == exact else got is None


def test_a_certified_rank_stops_at_a_known_bound_and_at_its_deadline():
    """Also rows of no columns (an audit: add_independent could not reshape them)."""
    import time

    from semialg.core.modular import certified_rank

    from semialg.errors import UndecidedError
    rows = [[1, 0, 0], [0, 1, 0], [1, 1, 0]]
    assert _certified(rows, 1, at_most=2) == 2 and _certified(rows, 1) == 2
    assert _certified([[0, 0]], 1) == 0 and _certified([[1, 2], [3, 4]], 2) == 2
    assert certified_rank(lambda p: [np.zeros((2, 0), dtype=np.int64)], lambda idx: [[] for _ in idx], 1, 0) == 0
    with pytest.raises(UndecidedError, match="deadline"):
        _certified(rows, 1, deadline=time.monotonic() - 1)
