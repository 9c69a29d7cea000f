"""Exact pre-activations on integers (semialg.engine.integer_preactivations) against the rational evaluation
``Network.preactivations``, exact slopes against products of rational matrices, residues against the rationals;
and the shortcuts of kink peeling's rank checks against the ranks they avoid."""

from __future__ import annotations

import numpy as np
import pytest
from flint import fmpq, fmpq_mat
from hypothesis import HealthCheck, given, settings, strategies as st

import semialg as sa
from semialg.core.grid_point import grid_points
from semialg.core.modular import BLAS_PRIME, rank_mod_small
from semialg.engine.integer_preactivations import MAX_WIDE, IntegerForms, Preactivations
from semialg.engine.kink_peeling import _Checker, kink_peeling_certificate, tall_rank

ARCHS = [(3, 4, 2), (4, 3, 3, 2), (5, 4, 3, 3, 1)]


def _float32(widths, seed):
    rng = np.random.default_rng(seed)
    Ws = [(rng.standard_normal((b, a)) / np.sqrt(a)).astype(np.float32) for a, b in zip(widths, widths[1:])]
    bs = [(rng.standard_normal(b) * 0.1).astype(np.float32) for b in widths[1:]]
    return sa.Network.from_arrays(Ws, bs)


def _network(widths, seed, kind):
    return _float32(widths, seed) if kind == "float32" else sa.Network.random(widths, seed=seed, height=kind)


def _point(rng, n0, wide: int, big: int):
    """A point of the grid 1/2^14, ``wide`` of its coordinates moved by rationals with ``big``-bit denominators."""
    x = list(grid_points(rng.integers(-2 ** 15, 2 ** 15, size=(1, n0)), 2 ** 14)[0])
    for j in rng.choice(n0, size=min(wide, n0), replace=False).tolist():
        q = int(rng.integers(1, 2 ** 30)) * (1 << big) + 1
        x[j] += fmpq(int(rng.integers(-2 ** 40, 2 ** 40)) * (1 << big), q)
    return tuple(x)


def _agree(net, pre: Preactivations, x):
    zs = net.preactivations(x)
    assert len(pre.signs) == len(zs)
    for l, z in enumerate(zs):
        assert [pre.value(l, k) for k in range(len(z))] == list(z)
        assert pre.signs[l].tolist() == [(v > 0) - (v < 0) for v in z]
    assert pre.zeros() == sum(1 for z in zs[:-1] for v in z if v == 0)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10 ** 6), st.sampled_from(ARCHS), st.sampled_from([1, 3, "float32"]),
       st.lists(st.tuples(st.integers(0, MAX_WIDE + 3), st.sampled_from([0, 40, 100])), min_size=1, max_size=5))
def test_batch_values_and_signs_are_the_rational_ones(seed, widths, kind, shapes):
    """Grid points, points with wide entries, and more wide entries than MAX_WIDE (evaluated as rationals), mixed."""
    net = _network(widths, seed, kind)
    rng = np.random.default_rng(seed)
    points = [_point(rng, widths[0], wide, big) for wide, big in shapes]
    points.append(grid_points(rng.integers(-9, 9, size=(1, widths[0])), 4)[0])
    for pre, x in zip(IntegerForms(net).preactivations(points), points, strict=True):
        _agree(net, pre, x)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10 ** 6), st.sampled_from(ARCHS), st.sampled_from([1, 3, "float32"]))
def test_moves_and_slopes_are_exact(seed, widths, kind):
    net = _network(widths, seed, kind)
    forms = IntegerForms(net)
    rng = np.random.default_rng(seed)
    x = _point(rng, widths[0], 1, 60)
    pre = forms.preactivations([x])[0]
    for _ in range(3):                                  # moves compose: a point moved in several coordinates
        j = int(rng.integers(widths[0]))
        t = fmpq(int(rng.integers(-10 ** 12, 10 ** 12)), int(rng.integers(1, 10 ** 15)))
        x = x[:j] + (x[j] + t,) + x[j + 1:]
        pre = forms.moved(pre, j, t)
        _agree(net, pre, x)
    for l in range(1, net.depth):                        # (W_l D_{l-1} ... D_1 W_1)[k, j] by rational matrices
        J = net.W(1)
        for i in range(2, l + 1):
            D = fmpq_mat(widths[i - 1], widths[i - 1], [int(pre.signs[i - 2][r] > 0) if r == c else 0
                                                        for r in range(widths[i - 1]) for c in range(widths[i - 1])])
            J = net.W(i) * D * J
        for k in range(widths[l]):
            for j in range(widths[0]):
                assert forms.slope(pre.signs, l, k, j) == J[k, j]


def test_residues_of_the_positive_part():
    net = sa.Network.random((3, 5, 2), seed=4, height=3)
    p = 1031
    rng = np.random.default_rng(0)
    x = _point(rng, 3, 1, 50)
    pre = IntegerForms(net).preactivations([x])[0]
    h = [max(v, fmpq(0)) for v in net.preactivations(x)[0]]
    assert pre.relu_residues(0, p).tolist() == [int(v.p) * pow(int(v.q), -1, p) % p for v in h] + [1]
    # p in the denominator: of a positive activation (no residues), or only of the common denominator
    for shift, has in ((fmpq(1, p), True), (fmpq(p - 1, p), True), (fmpq(0), False)):
        y = (x[0] + shift,) + x[1:]
        z = net.preactivations(y)[0]
        got = IntegerForms(net).preactivations([y])[0].relu_residues(0, p)
        if any(v > 0 and int(v.q) % p == 0 for v in z):
            assert got is None and has
        else:
            assert got.tolist() == [int(v.p) * pow(int(v.q), -1, p) % p if v > 0 else 0 for v in z] + [1]
    w = sa.Network.from_arrays([[[1, 1], [1, -1]], [[1, 1]]], [[fmpq(1, p), fmpq(-1, p)], [0]])
    pre = IntegerForms(w).preactivations([(fmpq(2), fmpq(-5, p))])[0]    # e divisible by p, z_1 = (1 - 3/p, 2 + 4/p)
    assert pre.e[0] % p == 0 and pre.relu_residues(0, p) is None
    pre = IntegerForms(w).preactivations([(fmpq(-2), fmpq(-1, p))])[0]   # z_1 = (-2 - 2/p, -2), both off
    assert pre.e[0] % p == 0 and pre.relu_residues(0, p).tolist() == [0, 0, 1]


@pytest.mark.parametrize("widths", [(30, 12, 12, 4), (30, 12, 12, 12, 3)])
def test_rank_shortcuts_give_the_ranks(widths):
    """The active-count bound of ``full_rank``, the free weights of ``neuron_rank`` and the compressed rank of
    ``last_rank`` against the ranks they replace, at a certificate's samples and kink points."""
    net = _float32(widths, 0)
    cert = kink_peeling_certificate(net)
    assert cert is not None and cert.verify(net)
    ck = _Checker(net, BLAS_PRIME, 0)
    forms = IntegerForms(net)
    points = [x for per in cert.kinks for pts in per for x in pts] + list(cert.samples)
    pres = forms.preactivations(points)
    for l in range(2, net.depth + 1):
        for pre in pres:
            JR = ck.JR(pre.signs, l)
            assert ck.full_rank(pre.signs, l, JR) == (rank_mod_small(JR, BLAS_PRIME) == widths[l - 1])
    for l in range(2, net.depth):                     # every prefix of a neuron's kink points, against the rank
        for k, pts in enumerate(cert.kinks[l - 1]):
            data = forms.preactivations(list(pts))
            for P in range(1, len(pts) + 1):
                n = widths[l - 1]
                blocks = []
                for q, (pre, x) in enumerate(zip(data[:P], pts[:P])):
                    JR = ck.JR(pre.signs, l)
                    h = [max(v, fmpq(0)) for v in net.preactivations(x)[l - 2]] + [fmpq(1)]
                    B = np.zeros((JR.shape[1] + 1, n + 1 + P), dtype=np.int64)
                    B[:-1, :n], B[:-1, n + 1 + q] = JR.T, (-(ck.layers[l - 1][0][k] @ JR)) % BLAS_PRIME
                    B[-1, :n + 1] = [int(v.p) * pow(int(v.q), -1, BLAS_PRIME) % BLAS_PRIME for v in h]
                    blocks.append(B)
                # the free weights: from the neurons of layer l - 1 active at none of the points (exactly; these
                # networks have no neuron off by its signs)
                acts = [net.preactivations(x)[l - 2] for x in pts[:P]]
                free = tuple(j for j in range(n) if all(z[j] <= 0 for z in acts))
                rank = rank_mod_small(np.concatenate(blocks), BLAS_PRIME)
                assert ck.neuron_rank(l, k, data[:P]) == (free if rank == n - len(free) + P else None)
    L = net.depth
    data = [pre for pre in pres if pre.zeros() == 0 and not ck.full_rank(pre.signs, L, ck.JR(pre.signs, L))]
    for chosen in (data * 3, data[:1] * 3):        # more rows than twice the columns: compressed, full or not
        rows = []
        for pre, x in zip(chosen, [points[pres.index(pre)] for pre in chosen], strict=True):
            JR = ck.JR(pre.signs, L)
            h = [max(v, fmpq(0)) for v in net.preactivations(x)[L - 2]] + [fmpq(1)]
            rows.append(np.concatenate([JR.T, np.zeros((JR.shape[1], 1), dtype=np.int64)], axis=1))
            rows.append(np.array([[int(v.p) * pow(int(v.q), -1, BLAS_PRIME) % BLAS_PRIME for v in h]]))
        M = np.concatenate(rows)
        assert M.shape[0] > 2 * M.shape[1]
        assert ck.last_rank(chosen) == rank_mod_small(M, BLAS_PRIME)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 12), st.integers(0, 12), st.sampled_from([1031, BLAS_PRIME]))
def test_tall_rank_is_the_rank(seed, c, rank, p):
    """Products of random factors (rank at most ``rank``), with repeated and zero rows, more than twice as many
    rows as columns: the rank through a random compression against the rank of the whole matrix."""
    rng = np.random.default_rng(seed)
    r = int(rng.integers(2 * c + 1, 6 * c + 3))
    M = rng.integers(0, p, size=(r, rank)) @ rng.integers(0, p, size=(rank, c)) % p if rank else np.zeros((r, c), int)
    M[rng.integers(r)] = M[0]
    M[rng.integers(r)] = 0
    assert tall_rank(M, p, seed) == rank_mod_small(M, p)
