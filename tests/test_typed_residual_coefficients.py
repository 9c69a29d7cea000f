"""Residual ranks of typed shallow fibres by coefficient matrices (independent kink normals).

With linearly independent normals $u_h$, $\\operatorname{rank}(R_F \\bmod M) = \\operatorname{rank}[C_F \\mid Q]$
for the $k \\times |\\text{rest}|$ coefficient matrix $C_F = (\\ell_h + [h \\in F]\\delta_h)$ and
$Q = L_\\perp L_\\perp^T$ (:mod:`semialg.families.shallow.residual_coefficients`), so two or more defects
(patterns with mixed groups, $p \\ge 1$) no longer need $2^{|\\text{rest}|}$ ranks of $k \\times m'$ residuals:
784-16-10 and 784-64-10 with two dead neurons are counted. Checked against the definition ($\\rho(F)$ by an exact
rank of $R_F$ modulo the span, for every $M$ and $F$), the exhaustive ranks, and the enumeration of every type.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter

import numpy as np
import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.core.exact import rank
from semialg.errors import UndecidedError
from semialg.families.shallow.residual_coefficients import ResidualCoefficients
from semialg.families.shallow.type_geometry import TypeGeometry
from semialg.families.shallow.typed import TypedShallowFibre


def defective(seed: int, m: int, n: int, k: int, defects: int) -> Network:
    """Random integer rows with ``defects`` planted defects: dead and constant neurons, twins, opposite pairs, pairs
    whose kinks cancel, and opposite pairs computing a linear function (a linear part outside the span of the kink
    normals: $Q \neq 0$)."""
    rng = random.Random(seed)
    W1 = [[fmpq(rng.randint(-3, 3)) for _ in range(m)] for _ in range(n)]
    b1 = [fmpq(rng.randint(-3, 3)) for _ in range(n)]
    W2 = [[fmpq(rng.choice([-2, -1, 1, 2])) for _ in range(n)] for _ in range(k)]
    for _ in range(defects):
        i, j = rng.sample(range(n), 2)
        kind = rng.choice(["dead", "dead", "constant", "twin", "opposite", "cancel", "affine"])
        if kind == "dead":
            for r in W2:
                r[i] = fmpq(0)
        elif kind == "constant":
            W1[i] = [fmpq(0)] * m
        else:
            lam = fmpq(rng.choice([1, 2])) * (-1 if kind in ("opposite", "affine") else 1)
            W1[i], b1[i] = [lam * x for x in W1[j]], lam * b1[j]
            if kind in ("cancel", "affine"):     # a_i sigma(lam z) + a_j sigma(z) = 0, resp. = a_j z
                for r in W2:
                    r[i] = (1 if kind == "affine" else -1) * r[j] / lam
    return Network.from_arrays([W1, W2], [b1, [fmpq(rng.randint(-2, 2)) for _ in range(k)]])


def _geometry(net: Network) -> TypeGeometry | None:
    F = sa.fibre(net)
    return F.geometry if isinstance(F, TypedShallowFibre) else None


def _subsets(items):
    return itertools.chain.from_iterable(itertools.combinations(items, size) for size in range(len(items) + 1))


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 10 ** 6), st.sampled_from([(5, 4, 2), (4, 3, 2), (6, 5, 3), (3, 3, 1)]), st.integers(1, 4))
def test_the_rank_of_the_residual_is_the_rank_of_its_coefficients(seed, arch, defects):
    """The proposition, for every $M$ and every $F$ of the rest: the exact rank of $R_F$ modulo
    $\\mathbb{R}^k \\otimes \\operatorname{span}(u_h)_{h\\in M}$ (:meth:`TypeGeometry.rho`, from the definition) equals
    that of $[C_F \\mid Q]$; and the profiles count $\\#\\{F : \\rho(F) \\le p\\}$ and the least $\\rho$ as the
    exhaustive ranks (the shortcut switched off) and the brute force do."""
    G = _geometry(defective(seed, *arch, defects))
    if G is None or G.tensors.shares() is None:
        return
    ell, Q = G.tensors.shares().shares, G.tensors.shares().gram_perp
    plain = TypeGeometry(G.K, G.n)
    plain.tensors._shares = (None,)
    k = G.k
    for M in _subsets(range(G.N)):
        rest = [h for h in range(G.N) if h not in M]
        brute = Counter()
        for F in _subsets(rest):
            cols = [[ell[h][i] + (G.K.kinks[h][1][i] if h in F else 0) for h in rest] for i in range(k)]
            coefficient_rank = rank([row + [Q[i, j] for j in range(k)] for i, row in enumerate(cols)])
            assert G.rho(F, M) == coefficient_rank, (M, F)
            brute[coefficient_rank] += 1
        fast, slow = G._profile(M), plain._profile(M)
        for p in range(k + 1):
            expected = sum(c for rho, c in brute.items() if rho <= p)
            assert fast.count_at_most(p) == slow.count_at_most(p) == expected, (M, p)
            least = min((rho for rho in brute if rho <= p), default=None)
            assert fast.least_rho(p) == slow.least_rho(p) == least, (M, p)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_choices_of_low_rank_are_counted_exactly(seed):
    """The dynamic programme over spans against every choice of one vector per pair, for configurations with planted
    collinear and coplanar vectors, zero options and a fixed block; a tiny budget gives up but never miscounts."""
    rng = random.Random(seed)
    k, n = rng.randint(1, 4), rng.randint(0, 7)
    base = [tuple(fmpq(rng.randint(-2, 2)) for _ in range(k)) for _ in range(3)]

    def vector():
        kind = rng.random()
        if kind < 0.2:
            return (fmpq(0),) * k
        if kind < 0.6:       # in the span of the first two base vectors: low ranks are common
            a, b = fmpq(rng.randint(-2, 2)), fmpq(rng.randint(-2, 2))
            return tuple(a * x + b * y for x, y in zip(base[0], base[1]))
        return tuple(fmpq(rng.randint(-2, 2)) for _ in range(k))

    pairs = [(vector(), vector()) for _ in range(n)]
    fixed = [vector() for _ in range(rng.randint(0, 2))]
    brute = Counter()
    for choice in itertools.product((0, 1), repeat=n):
        cols = [pairs[h][c] for h, c in enumerate(choice)] + fixed
        brute[rank([[v[i] for v in cols] for i in range(k)]) if cols else 0] += 1
    for p in range(k + 1):
        expected = Counter({rho: c for rho, c in brute.items() if rho <= p})
        assert ResidualCoefficients(pairs, fixed, 10 ** 6).ranks_up_to(p) == expected
        try:
            assert ResidualCoefficients(pairs, fixed, 3).ranks_up_to(p) == expected
        except UndecidedError:
            pass
    C = ResidualCoefficients(pairs, fixed, 10 ** 6)
    assert C.ranks_up_to(k) == brute and C.ranks_up_to(1) == Counter({r: c for r, c in brute.items() if r <= 1})


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6), st.sampled_from([(4, 4, 2), (5, 4, 1), (3, 4, 2)]))
def test_several_defects_are_counted_as_the_enumeration_of_types(seed, arch):
    """Two to four defects in width 4 (mixed groups, $p \\ge 1$, with and without mixed hyperplanes): the closed-form
    count and dimension against every type of the index, emptiness and dimension type by type."""
    net = defective(seed, *arch, random.Random(seed).randint(2, 4))
    G = _geometry(net)
    if G is None:
        return
    F = sa.fibre(net)
    dims = [d for t in F.index if (d := G.type_dimension(t)) is not None]
    assert (G.count(), G.dimension()) == (len(dims), max(dims))
    live = sum(1 for t in F.index if not any(r[0] in ("D", "C+", "C-") for r in t) and G.is_nonempty(t))
    assert G.count(live=True) == live


def _dead_net(shape, dead: int) -> Network:
    rng = np.random.default_rng(0)
    m, n, k = shape
    W1, b1 = rng.normal(size=(n, m)).astype(np.float32), rng.normal(size=n).astype(np.float32)
    W2, b2 = rng.normal(size=(k, n)).astype(np.float32), rng.normal(size=k).astype(np.float32)
    W2[:, :dead] = 0
    return Network.from_arrays([W1, W2], [b1, b2])


@pytest.mark.parametrize("n", [16, 64])
def test_two_dead_neurons_at_784_n_10_are_counted(n):
    """Was undecided (784-16-10: $2^{14}$ residuals of $10 \\times 784$ entries beyond the budget; before the budget
    counted entries, 99 s and 5 GB). The $N = n - 2$ kinks $\\delta_h$ are in general position in $\\mathbb{R}^{10}$ and
    $L = -\\sum_{s_h = -1}\\delta_h u_h^T$, so the one mixed group ($M = \\emptyset$, $p = 1$) admits exactly the
    $1 + N$ sets $F$ within one hyperplane of the negatively oriented ones; the count is the sum of the patterns'
    counts."""
    net = _dead_net((784, n, 10), 2)
    F = sa.fibre(net)
    G = F.geometry
    N = G.N
    assert N == n - 2 and G.tensors.shares() is not None
    prof = G._profile(())
    assert prof.count_at_most(0) == 1 and prof.count_at_most(1) == 1 + N and prof.least_rho(1) == 0
    count = F.num_components
    assert F.index.exact_size > count > 0 and F.dimension >= F.local_dimension() >= 2 * 785 + N
    plain = TypeGeometry(G.K, G.n)
    plain.tensors._shares = (None,)    # the exhaustive ranks: still bounded by their entries
    with pytest.raises(UndecidedError, match="residuals of 10 x 784 entries"):
        plain.count()
