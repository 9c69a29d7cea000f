"""The lineality space and dual cone of a finitely generated cone, against cones built with a known answer.

A cone is planted as $S + K$: a subspace $S$ positively spanned by a simplex of its random basis
($s_1, \\dots, s_k, -\\sum s_i$) and extra random vectors of $S$, plus a pointed part $K$ of random vectors with
$c\\cdot p > 0$ for a random $c \\perp S$ — so its lineality space is $S$ exactly and its dual spans
$S^\\perp$. Independently of the code under test: ranks and sign checks.
"""

from __future__ import annotations

import random

import pytest
from flint import fmpq
from hypothesis import given, strategies as st

from semialg.core.exact import dot, nullspace, rank
from semialg.errors import ShapeError
from semialg.geometry.cone import dual_cone_spanning_rows, lineality_space


def _planted(seed: int, n: int, k: int, pointed: int):
    rng = random.Random(seed)
    vec = lambda: tuple(fmpq(rng.randint(-4, 4), rng.randint(1, 3)) for _ in range(n))  # noqa: E731
    S = []
    while len(S) < k:
        s = vec()
        if rank(S + [s]) > len(S):
            S.append(s)
    G = S + ([tuple(-sum(x) for x in zip(*S))] if S else [])
    for _ in range(rng.randint(0, 2) if S else 0):
        coefficients = [rng.randint(-2, 2) for _ in S]
        G.append(tuple(sum(a * s[j] for a, s in zip(coefficients, S)) for j in range(n)))
    perp = nullspace(S) if S else [tuple(fmpq(int(i == j)) for j in range(n)) for i in range(n)]
    coefficients = [rng.randint(-3, 3) for _ in perp]
    c = tuple(sum(a * u[j] for a, u in zip(coefficients, perp)) for j in range(n))
    while any(c) and len(G) < k + 1 + pointed + 2:
        p = vec()
        if dot(c, p) > 0:
            G.append(p)
    rng.shuffle(G)
    return [g for g in G if any(g)] or [tuple(fmpq(0) for _ in range(n))], S


@given(st.integers(0, 10 ** 6), st.integers(1, 5), st.data())
def test_lineality_and_dual_of_planted_cones(seed, n, data):
    k = data.draw(st.integers(0, n))
    G, S = _planted(seed, n, k, data.draw(st.integers(0, 6)))
    L = lineality_space(G)
    true = S if any(any(g) for g in G) else []
    assert len(L) == rank(L) == rank(true)                       # a basis, of the right dimension
    assert rank(L + true) == len(true)                           # ... and inside S
    rows = dual_cone_spanning_rows(G)
    assert all(dot(y, g) <= 0 for y in rows for g in G)          # in the dual cone
    assert len(rows) == rank(rows) == n - len(true)              # spanning it (it spans the complement of S)


def test_pointed_and_full_cones():
    assert lineality_space([(1, 0), (0, 1), (-1, -1)]) and rank(lineality_space([(1, 0), (0, 1), (-1, -1)])) == 2
    assert lineality_space([(1, 0), (1, 1)]) == []
    assert dual_cone_spanning_rows([(1, 0), (0, 1), (-1, -1)]) == []
    assert dual_cone_spanning_rows([(0, 0, 0)]) and len(dual_cone_spanning_rows([(0, 0, 0)])) == 3


def test_bad_input_is_named():
    with pytest.raises(ShapeError):
        lineality_space([(1, 0), (1,)])
