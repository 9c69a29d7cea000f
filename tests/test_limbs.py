"""Exact integer matrices in 20-bit limbs multiplied by float64 BLAS (semialg.core.limbs), against Python's integers;
the batch evaluation built on them against the one-point evaluation, for small, huge and float32 weights."""

from __future__ import annotations

import math

import numpy as np
import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
import semialg.core.network
from conftest import float32_network
from semialg.core.limbs import LIMB_BITS, MAX_INNER, Limbs, integer_product
from semialg.core.rational_matrix import RationalMatrix, integer_columns

# integers of every size that matters: around the limb size, int64's edge, and far beyond it
BITS = st.sampled_from([0, 1, 19, 20, 21, 40, 52, 53, 61, 62, 63, 64, 100, 250])
INT = st.builds(lambda b, s, u: s * (u % (1 << b) if b else 0) + s * (1 << b) * (u % 2), BITS,
                st.sampled_from([-1, 1]), st.integers(0, 2 ** 260))
INT64 = st.integers(-(2 ** 62) + 1, 2 ** 62 - 1) | st.sampled_from([0, 1, -1, (1 << 20) - 1, -(1 << 20), 1 << 40])


@st.composite
def matrix(draw, ints, rows=None, cols=None):
    r = rows if rows is not None else draw(st.integers(1, 4))
    c = cols if cols is not None else draw(st.integers(1, 4))
    return [[draw(ints) for _ in range(c)] for _ in range(r)]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_limb_arithmetic_is_integer_arithmetic(data):
    Z = data.draw(matrix(INT))
    c, n = len(Z), len(Z[0])
    L = Limbs.of(Z)
    assert L.to_ints() == Z and L.shape == (c, n)
    assert (L.limbs[:-1] >= 0).all() and (L.limbs[:-1] < 1 << LIMB_BITS).all()
    assert (np.abs(L.limbs[-1]) <= 1 << LIMB_BITS).all()
    N = data.draw(matrix(INT64, cols=c))
    assert L.left_multiply(np.array(N, dtype=np.int64)).to_ints() == \
        [[sum(N[i][j] * Z[j][k] for j in range(c)) for k in range(n)] for i in range(len(N))]
    f, B = data.draw(st.lists(INT, min_size=n, max_size=n)), data.draw(st.lists(INT, min_size=c, max_size=c))
    assert L.scale_columns(f).to_ints() == [[Z[j][k] * f[k] for k in range(n)] for j in range(c)]
    assert L.add_outer(B, f).to_ints() == [[Z[j][k] + B[j] * f[k] for k in range(n)] for j in range(c)]
    assert L.signs().tolist() == [[(x > 0) - (x < 0) for x in row] for row in Z]
    assert L.relu().to_ints() == [[max(x, 0) for x in row] for row in Z]


def test_the_widest_exact_product_and_the_refusal_beyond_it():
    """$2^{13} - 1$ terms of $(2^{62} - 1)(2^{100} - 1)$: every float product of limbs is at its bound and exact;
    one more column is refused, and a RationalMatrix that wide multiplies through flint instead."""
    c = MAX_INNER
    N = np.full((2, c), 2 ** 62 - 1, dtype=np.int64)
    N[1] = -N[1]
    Z = Limbs.of([[2 ** 100 - 1]] * c)
    assert Z.left_multiply(N).to_ints() == [[c * (2 ** 62 - 1) * (2 ** 100 - 1)], [-c * (2 ** 62 - 1) * (2 ** 100 - 1)]]
    # limbs at -2^20 exactly, the largest magnitude two's complement gives a top limb, on both sides
    edge = np.full((1, c), -(2 ** 60), dtype=np.int64)
    assert Limbs.of([[-(2 ** 40)]] * c).left_multiply(edge).to_ints() == [[c * 2 ** 100]]
    assert Limbs.of_array(edge.T).left_multiply(edge).to_ints() == [[c * 2 ** 120]]
    with pytest.raises(ValueError):
        Limbs.of([[1]] * (c + 1)).left_multiply(np.ones((1, c + 1), dtype=np.int64))
    A = RationalMatrix.of([[fmpq(1, 3)] * (c + 1)])
    Y, d = A.times_limbs(Limbs.of([[2 ** 70]] * (c + 1)))
    assert Y.to_ints() == [[(c + 1) * 2 ** 70]] and d == 3


INT60 = st.integers(-(2 ** 60) + 1, 2 ** 60 - 1) | st.sampled_from([0, 1, -1, (1 << 19) - 1, 1 << 40, -(2 ** 60) + 1])


@settings(max_examples=200, deadline=None)
@given(st.data(), st.sampled_from([21, 24, 26]), st.integers(1, 5))
def test_products_of_wider_limbs_are_integer_products(data, bits, c):
    """N cut into limbs of 21 to 26 bits times Z (below 2^60) cut into limbs of 53 - bits - bit_length(c) bits,
    each float product placed at its bit offset: the integer product, and what wide_products predicts."""
    from semialg.core.limbs import split_limbs
    Z = data.draw(matrix(INT60, rows=c))
    N = data.draw(matrix(INT64, cols=c))
    L, limbs = Limbs.of(Z), split_limbs(np.array(N, dtype=np.int64), bits).astype(np.float64)
    assert L.left_multiply_limbs(limbs, bits).to_ints() == \
        [[sum(N[i][j] * Z[j][k] for j in range(c)) for k in range(len(Z[0]))] for i in range(len(N))]
    top = max(abs(x) for row in N for x in row).bit_length()
    assert L.wide_products(bits, top, c) >= len(limbs) * len(split_limbs(np.array(Z, dtype=np.int64),
                                                                          53 - bits - c.bit_length()))


def test_the_widest_product_of_wide_limbs_and_its_refusals():
    """MAX_INNER columns of 24-bit limbs at their bound against 16-bit limbs of Z at theirs; Z of four limbs and
    limbs too wide for the columns are refused."""
    from semialg.core.limbs import split_limbs
    c = MAX_INNER
    N = np.full((2, c), 2 ** 48 - 1, dtype=np.int64)
    N[1] = -N[1]
    Z = Limbs.of([[2 ** 60 - 1]] * c)
    product = Z.left_multiply_limbs(split_limbs(N, 24).astype(np.float64), 24).to_ints()
    assert product == [[c * (2 ** 48 - 1) * (2 ** 60 - 1)], [-c * (2 ** 48 - 1) * (2 ** 60 - 1)]]
    with pytest.raises(ValueError):
        Limbs.of([[2 ** 61]] * c).left_multiply_limbs(split_limbs(N, 24).astype(np.float64), 24)
    with pytest.raises(ValueError):
        Z.left_multiply_limbs(split_limbs(N, 40).astype(np.float64), 40)
    assert Limbs.of([[2 ** 61]] * c).wide_products(24, 48, c) is None


def test_a_float32_layer_multiplies_by_wide_limbs():
    """A 784-column float32 layer has integers of more than 40 bits: grid points go through two products of 24-bit
    limbs, and the result is the exact product."""
    rng = np.random.default_rng(5)
    W = (rng.choice([-1, 1], size=(6, 784)) * rng.uniform(0.5, 1, size=(6, 784))
         * np.exp2(rng.integers(-18, 1, size=(6, 784)))).astype(np.float32)
    A = RationalMatrix.of(W)
    Z = Limbs.of(rng.integers(-4096, 4097, size=(784, 3)).tolist())
    top = max(abs(x) for row in A.numerators.tolist() for x in row).bit_length()
    assert 40 < top <= 48 and Z.wide_products(24, top, 784) < Z.wide_products(20, top, 784)
    Y, d = A.times_limbs(Z)
    assert 24 in A._limbs
    N = A.numerators.tolist()
    assert [[fmpq(y, d) for y in row] for row in Y.to_ints()] == \
        [[fmpq(sum(N[i][j] * z[k] for j, z in enumerate(Z.to_ints())), d) for k in range(3)] for i in range(6)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([1, 2, 4, 64]), st.integers(1, 58)), min_size=1, max_size=5),
       st.integers(0, 10 ** 6))
def test_products_by_a_kept_limb_cut_are_exact(products, seed):
    """A layer multiplied again and again (columns of varying width and size) reuses the limb cut it keeps when a
    new cut would cost more than it saves: every product is the exact one, and a cut is added only when it pays
    for a wide product (many columns)."""
    rng = np.random.default_rng(seed)
    N = rng.integers(-(2 ** 43), 2 ** 43, size=(5, 784))      # 44 bits: 3 limbs of 20 bits or 2 of 24
    A = RationalMatrix.from_integers(N, 3)
    for columns, bits in products:
        Z = rng.integers(-(2 ** bits), 2 ** bits, size=(784, columns))
        kept = set(A._limbs or ()) - {"top"}
        Y, d = A.times_limbs(Limbs.of(Z.tolist()))
        assert d == A.denominator and Y.to_ints() == (np.array(A.numerators.tolist(), dtype=object)
                                                      @ np.array(Z.tolist(), dtype=object)).tolist()
        if kept and columns <= 4:
            assert set(A._limbs) - {"top"} == kept


NUMBER = st.one_of(st.builds(fmpq, st.integers(-6, 6), st.integers(1, 4)),
                   st.builds(fmpq, st.integers(-(2 ** 90), 2 ** 90), st.integers(1, 2 ** 70)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.data())
def test_batch_evaluation_with_huge_numbers_is_evaluation_one_by_one(hidden, data):
    widths = (2, *hidden, 2)
    Ws = [[[data.draw(NUMBER) for _ in range(a)] for _ in range(b)] for a, b in zip(widths, widths[1:])]
    bs = [[data.draw(NUMBER) for _ in range(b)] for b in widths[1:]]
    net = sa.Network.from_arrays(Ws, bs)
    X = data.draw(st.lists(st.lists(NUMBER, min_size=2, max_size=2), min_size=2, max_size=6))
    assert net.evaluate(X) == [net(x) for x in X]
    assert net.activation_patterns(X) == [net.activation_pattern(x) for x in X]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(NUMBER, min_size=3, max_size=3), min_size=1, max_size=5))
def test_integer_columns_are_the_vectors_over_their_least_common_denominators(vs):
    V, e = integer_columns(vs)
    assert e == [math.lcm(*(int(x.q) for x in v)) for v in vs]
    assert [[fmpq(V.to_ints()[j][k], e[k]) for j in range(3)] for k in range(len(vs))] == vs


@given(matrix(INT64))
def test_limbs_of_an_int64_array_are_its_entries(Z):
    L = Limbs.of_array(np.array(Z, dtype=np.int64))
    assert L.to_ints() == Z
    # normalised: lower limbs in [0, 2^20), the top one in [-2^20, 2^20), so signs() reads the top limb
    assert (L.limbs[:-1] >= 0).all() and (L.limbs[:-1] < 1 << LIMB_BITS).all()
    assert (L.limbs[-1] >= -(1 << LIMB_BITS)).all() and (L.limbs[-1] < 1 << LIMB_BITS).all()
    assert L.signs().tolist() == [[(x > 0) - (x < 0) for x in row] for row in Z]


@settings(max_examples=100, deadline=None)
@given(st.data(), st.booleans())
def test_integer_product_is_the_integer_product(data, big):
    A = data.draw(matrix(INT64))
    B = data.draw(matrix(INT if big else INT64, rows=len(A[0])))
    B_array = np.array(B, dtype=object if big else np.int64)
    want = [[sum(a * b for a, b in zip(row, col)) for col in zip(*B)] for row in A]
    assert integer_product(np.array(A, dtype=np.int64), B_array) == want


def test_an_integer_product_longer_than_one_exact_block():
    c = MAX_INNER + 10
    A = np.full((2, c), 2 ** 61 - 1, dtype=np.int64)
    A[1] = -A[1]
    B = np.full((c, 3), 2 ** 61 + 3, dtype=np.int64)
    B[:, 1] = np.arange(c)
    want = [[s * (2 ** 61 - 1) * col for col in (c * (2 ** 61 + 3), c * (c - 1) // 2, c * (2 ** 61 + 3))]
            for s in (1, -1)]
    assert integer_product(A, B) == want


def test_more_points_than_one_batch_evaluate_as_one_by_one(monkeypatch):
    monkeypatch.setattr(semialg.core.network, "BATCH", 3)
    net = sa.Network.from_arrays([[[1, "1/3"], [-2, 5]], [[1, -1]]], [["1/7", -1], ["2/5"]])
    X = [[fmpq(i, 5), fmpq(-i * i, 3 ** 40)] for i in range(-5, 6)]
    assert net.evaluate(X) == [net(x) for x in X]


def test_a_float32_network_at_784_inputs_evaluates_as_one_by_one():
    net = float32_network((784, 512, 1, 10), seed=3)
    rng = np.random.default_rng(0)
    X = [[fmpq(int(k), 64) for k in row] for row in rng.integers(-1024, 1024, size=(5, 784))]
    X.append([fmpq(int(k), 7 ** 20) for k in rng.integers(-(7 ** 20), 7 ** 20, size=784)])    # 57-bit denominators
    W, b = net.weights[0][0], net.biases[0][0]      # moved onto the first neuron's hyperplane along coordinate 0
    X.append([-(sum((w * x for w, x in zip(W[1:], X[0][1:])), fmpq(0)) + b) / W[0], *X[0][1:]])
    assert net.evaluate(X) == [net(x) for x in X]
    assert net.activation_patterns(X) == [net.activation_pattern(x) for x in X]


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 4), st.integers(1, 5), st.data())
def test_matvec_through_limbs_is_the_rational_product(r, c, data):
    """A dense vector times a matrix read from numbers goes through the limbs: against the sum of products."""
    A = [[data.draw(NUMBER) for _ in range(c)] for _ in range(r)]
    v = [data.draw(NUMBER) for _ in range(c)]
    M = RationalMatrix.of(A)
    assert M.matvec(v) == tuple(sum((a * x for a, x in zip(row, v)), fmpq(0)) for row in A)
