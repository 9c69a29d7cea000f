"""Symbols created when read (``ParameterSymbols``) against the names built by hand in the order of
``Network.parameters``; and 0-factors ruled out by the modular certificate against brute force over subsets."""

from __future__ import annotations

import itertools
import random

import sympy
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.core.network import ParameterSymbols
from semialg.engine.neurons import zero_factors


def _names_by_hand(widths):
    out = []
    for l in range(1, len(widths)):
        out += [f"W{l}_{i}_{j}" for i in range(1, widths[l] + 1) for j in range(1, widths[l - 1] + 1)]
        out += [f"b{l}_{i}" for i in range(1, widths[l] + 1)]
    return out


@given(st.lists(st.integers(1, 5), min_size=2, max_size=5))
def test_symbols_are_the_parameters_in_order(widths):
    arch = sa.Architecture(*widths)
    V = arch.variables()
    S = V.flat
    names = _names_by_hand(widths)
    assert isinstance(S, ParameterSymbols) and len(S) == arch.num_parameters == len(names)
    assert [str(s) for s in S] == names == S.to_json()
    assert S == tuple(sympy.Symbol(n, real=True) for n in names) and S == arch.variables().flat
    assert S[-1] == sympy.Symbol(names[-1], real=True) and S[1:3] == tuple(S)[1:3]
    assert all(s.is_real for s in S[:3])
    net = sa.Network.random(arch, seed=len(widths))
    sub = V.substitution(net)
    assert [sub[s] for s in S] == [sympy.Rational(int(x.p), int(x.q)) for x in net.parameters()]
    # the matrices hold the same symbols, layer by layer
    for l, (W, b) in enumerate(zip(V.weights, V.biases), start=1):
        assert str(W[0, 0]) == f"W{l}_1_1" and str(b[b.rows - 1, 0]) == f"b{l}_{widths[l]}"


def test_a_wide_architecture_creates_no_symbol_until_read():
    S = sa.Architecture(784, 4096, 10).variables().flat
    assert len(S) == 3_256_330 and S.name(3_256_329) == "b2_10" and S.name(784) == "W1_2_1"
    assert repr(S) == "(W1_1_1, W1_1_2, W1_1_3, W1_1_4, W1_1_5, W1_1_6, ..., b2_10)"


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 3), st.integers(2, 7), st.integers(1, 2), st.booleans())
def test_zero_factors_against_brute_force(seed, m, n, k, plant):
    """Every subset checked by hand; ``plant`` makes the last neurons cancel (a 0-factor), so both the certified
    independent case and the exact search run."""
    rng = random.Random(seed)
    q = lambda: fmpq(rng.randint(-3, 3), rng.randint(1, 2))  # noqa: E731
    W = [[q() for _ in range(m)] for _ in range(n)]
    A = [[q() for _ in range(n)] for _ in range(k)]
    if plant and n >= 3:     # a_{n-1} w_{n-1}^T = -(a_{n-2} w_{n-2}^T + a_{n-3} w_{n-3}^T) when the w's are equal
        W[n - 1] = W[n - 2] = W[n - 3]
        for r in range(k):
            A[r][n - 1] = -(A[r][n - 2] + A[r][n - 3])
    net = sa.Network.from_arrays([W, A], [[q() for _ in range(n)], [q() for _ in range(k)]])
    live = [i for i in range(n) if any(W[i]) and any(A[r][i] for r in range(k))]
    expected = [S for size in range(1, n + 1) for S in itertools.combinations(live, size)
                if all(sum((A[r][i] * W[i][c] for i in S), fmpq(0)) == 0 for r in range(k) for c in range(m))]
    assert sorted(zero_factors(net, 1)) == sorted(expected)
