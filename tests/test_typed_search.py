"""The non-empty types of a typed shallow fibre, enumerated directly (:mod:`semialg.families.shallow.type_search`).

Checked against the definition: the index of all types filtered by the rank proposition type by type, in the same
order; against the closed-form count; and the search's test of a prefix against brute force (some type extending the
prefix is non-empty) on every prefix of every type, so it is exact there and not merely safe. At 784-16-10 and
784-64-10 with dead neurons and twins, where the index met thousands of empty types before the first non-empty one
(0 in 30 s), the first thousand come in under a second and each is a member-bearing component.
"""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.families.shallow.type_search import _Oracle, _Prefix, _fit, nonempty_classes, nonempty_types
from semialg.families.shallow.typed import TypedShallowFibre, TypeIndex
from test_typed_fibre_scale import planted


def _geometry(net: Network):
    F = sa.fibre(net)
    return F.geometry if isinstance(F, TypedShallowFibre) else None


def _class_of(t: tuple, N: int) -> tuple:
    """The sorted representative of the permutations of the type ``t``: plain roles in the index's order, then the
    phantom groups as (positive, negative) slot counts with the larger side positive, by decreasing size."""
    groups: dict = {}
    for r in t:
        if r[0] == "P":
            groups.setdefault(r[1], [0, 0])[r[2] < 0] += 1
    sides = sorted(((max(c), min(c)) for c in groups.values()), key=lambda c: (-sum(c), c[1]))
    plain = sorted((r for r in t if r[0] != "P"), key=lambda r: _order(N)([r]))
    return tuple(plain) + tuple(r for g, (cp, cn) in enumerate(sides) for r in [("P", g, 1)] * cp + [("P", g, -1)] * cn)


def _check(G) -> None:
    old = [t for t in TypeIndex(G.n, G.N) if G.is_nonempty(t)]
    assert list(nonempty_types(G)) == old
    assert len(old) == G.count()
    classes = list(nonempty_classes(G))
    assert len(classes) == len(set(classes)) and set(classes) == {_class_of(t, G.N) for t in old}
    fit = _fit(G)
    if fit is None:
        return
    oracle, alive, seen = _Oracle(G, *fit), {t[:j] for t in old for j in range(len(t) + 1)}, set()
    for t in TypeIndex(G.n, G.N):
        for j in range(len(t) + 1):
            if t[:j] not in seen:
                seen.add(t[:j])
                P = _Prefix(G)
                for role in t[:j]:
                    P.push(role)
                assert oracle.feasible(P) == (t[:j] in alive), t[:j]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6), st.sampled_from([(1, 3, 1), (2, 3, 2), (3, 4, 1), (2, 4, 3), (1, 4, 2), (3, 3, 3)]))
def test_the_search_lists_the_non_empty_types_of_the_index_in_its_order(seed, arch):
    G = _geometry(planted(seed, *arch))
    if G is not None:
        _check(G)


@pytest.mark.parametrize("net", [
    Network.from_arrays([[[-2], [0], [0]], [[-2, -2, -1], [-1, -1, 2]]], [[-2, -4, 2], [1, 2]]),   # found by the
    Network.from_arrays([[[1, 0], [0, 1]], [[0, 0]]], [[0, 0], [0]]),                            # check: P+P-K0+
    Network.from_arrays([[[1], [-1], [2]], [[1, 1, 0]]], [[0, 0, 1], [0]]),                      # opposite pair
    Network.from_arrays([[[1], [1], [1], [1]], [[1, -1, 2, -2]]], [[0, 0, 0, 0], [0]]),          # kinks cancel
])
def test_the_search_on_fibres_with_balanced_groups_and_cancelling_kinks(net):
    """A mixed group alone with $\\rho = 0$ needs two slots a side, unless an uncovered hyperplane takes the other
    orientation ($\\rho = 1$): the first net's type (P+, P-, K+) is of that kind."""
    _check(_geometry(net))


def _float_net(n: int, dead: int = 0, twins: int = 0) -> Network:
    rng = np.random.default_rng(0)
    W1, b1 = rng.normal(size=(n, 784)).astype(np.float32), rng.normal(size=n).astype(np.float32)
    W2, b2 = rng.normal(size=(10, n)).astype(np.float32), rng.normal(size=10).astype(np.float32)
    W2[:, :dead] = 0
    for t in range(twins):
        i = dead + 2 * t
        W1[i + 1], b1[i + 1] = 2 * W1[i], 2 * b1[i]
    return Network.from_arrays([W1, W2], [b1, b2])


@pytest.mark.parametrize("n, dead, twins", [(16, 2, 0), (16, 0, 2), (64, 3, 0)])
def test_the_first_components_at_784_n_10_come_at_once(n, dead, twins):
    """Before: the index walked empty types at 8 ms each (none of the first 3744 at 784-16-10 with two dead neurons
    was non-empty) and built each component's polynomials eagerly (minutes each)."""
    net = _float_net(n, dead, twins)
    F = sa.fibre(net)
    start = time.perf_counter()
    comps = list(itertools.islice(F.components(), 300))
    assert time.perf_counter() - start < 20 and len(comps) == 300
    G = F.geometry
    for B in comps[::97]:
        assert G.is_nonempty(B.index) and B.dimension == G.type_dimension(B.index)
        member = G.sample(B.index, seed=1)
        assert G.type_of(member) == B.index and sa.canonical_form(member) == G.K
    assert [B.index for B in comps] == sorted((B.index for B in comps), key=_order(G.N))


def _order(N: int):
    """The index's order of roles: kink slots, D, C+, C-, then phantom groups."""
    rank = {("K", h, s): 2 * h + (s < 0) for h in range(N) for s in (1, -1)}
    rank.update({("D",): 2 * N, ("C+",): 2 * N + 1, ("C-",): 2 * N + 2})
    return lambda t: [rank.get(r, 2 * N + 3 + 2 * r[1] + (r[2] < 0) if r[0] == "P" else 0) for r in t]


def test_components_benchmark_smoke():
    """``benchmarks/bench_typed_components.py`` at toy sizes: each listed type was checked non-empty and a member of
    the last one drawn inside ``run``."""
    from conftest import load_script
    rows = load_script("benchmarks", "bench_typed_components").run(**{**load_script(
        "benchmarks", "bench_typed_components").QUICK, "cap": 5.0})
    assert [r["N"] for r in rows] == [3, 4] and all(r["ours_10"] is not None for r in rows)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_the_shares_split_the_linear_part_orthogonally(seed):
    """With independent normals, $L = \\sum_h \\ell_h u_h^T + L_\\perp$ with $L_\\perp u_h = 0$ for every $h$ and
    $Q = L_\\perp L_\\perp^T$: checked entry by entry against the canonical form (the shares come from an integer
    Gram solve). A phantom pair $\\sigma(z) - \\sigma(-z) = z$ puts a row of $L$ outside the span of the normals."""
    import random
    from fractions import Fraction
    from semialg.core.exact import dot
    rng = random.Random(seed)
    m, k = rng.randint(2, 4), rng.randint(1, 2)
    n = rng.randint(3, m + 2)
    q = lambda: Fraction(rng.randint(-9, 9), rng.randint(1, 4))  # noqa: E731
    W = [[q() for _ in range(m)] for _ in range(n)]
    b = [q() for _ in range(n)]
    V = [[rng.choice([-2, -1, 1, 3]) for _ in range(n)] for _ in range(k)]
    if rng.random() < 0.5:           # a phantom pair: a linear function along a row that is no kink normal
        W[1], b[1] = [-x for x in W[0]], -b[0]
        for r in range(k):
            V[r][1] = -V[r][0]
    G = _geometry(Network.from_arrays([W, V], [b, [0] * k]))
    fit = None if G is None else _fit(G)
    if fit is None or not G.N:
        return
    ell, Q = fit
    L = [list(row) for row in G.K.linear]
    perp = [[L[r][j] - sum(ell[h][r] * G.u[h][j] for h in range(G.N)) for j in range(G.m)] for r in range(G.k)]
    assert all(dot(perp[r], G.u[h]) == 0 for r in range(G.k) for h in range(G.N))
    assert all(Q[r, s] == dot(perp[r], perp[s]) for r in range(G.k) for s in range(G.k))
