"""Points rounded to the grid of 1/64 and moved onto a neuron's hyperplane, a block at a time
(`types._rounded_onto`): each lies exactly on its hyperplane, off the moved coordinate it is the rounded float
point, and its integer form agrees with its entries — for float32 layers (int64 halves), rational layers (row by
row) and points far enough out that the halves could overflow."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from flint import fmpq
from hypothesis import given, strategies as st

from semialg.core.grid_point import GridPoint
from semialg.core.rational_matrix import RationalMatrix
from semialg.families.bottleneck.types import _rounded, _rounded_onto


def _check(W: RationalMatrix, b, X, planes, points):
    for x, (_, k, bk, j), q in zip(X, planes, points):
        w = [Fraction(int(c.p), int(c.q)) for c in W.row(k)]
        entries = [Fraction(int(c.p), int(c.q)) for c in q]
        assert sum(wi * xi for wi, xi in zip(w, entries)) + Fraction(int(bk.p), int(bk.q)) == 0
        moved = [i for i, (e, v) in enumerate(zip(entries, x)) if e != Fraction(int(np.rint(v * 64)), 64)]
        assert len(moved) <= 1 and (not moved or w[moved[0]] != 0)
        if type(q) is GridPoint:
            assert [Fraction(int(n), q.denominator) for n in q.numerators] == entries


@given(st.integers(0, 10 ** 6), st.sampled_from(["float32", "rational", "far"]), st.integers(1, 12))
def test_points_lie_exactly_on_their_hyperplanes(seed, kind, n0):
    rng = np.random.default_rng(seed)
    if kind == "rational":
        W = RationalMatrix.of([[fmpq(int(a), int(c)) for a, c in zip(rng.integers(-9, 9, n0), rng.integers(1, 7, n0))]
                               for _ in range(6)])
    else:
        W = RationalMatrix.of(rng.standard_normal((6, n0)).astype(np.float32))
    b = [fmpq(int(v), 7) for v in rng.integers(-20, 20, 6)]
    F = W.to_float()
    X = rng.standard_normal((5, n0)) * (2.0 ** 40 if kind == "far" else 3.0)
    ks = rng.integers(0, 6, 5).tolist()
    planes = [(W, k, b[k], int(np.argmax(np.abs(F[k])))) for k in ks]
    points = _rounded_onto(X, planes)
    _check(W, b, X, planes, points)
    assert points[0] == _rounded(X[0], planes[0])
