"""Points on the hyperplanes of a case-(a) bottleneck given as moves of one coordinate
(:class:`~semialg.core.grid_point.MovedPoint`): :func:`~semialg.families.bottleneck.types.check_on_hyperplanes`
accepts them exactly when the written-out points lie on their hyperplanes with $h > 0$, decided here by evaluation
in Python fractions (independent of semialg), including $h = 0$ exactly and $h$ a hair above 0 (where the line
enclosure is uncertain and exact evaluation decides) and bases beyond the integer grid form; forged moves fail."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.core.grid_point import GridPoint, MovedPoint
from semialg.errors import CertificateError
from semialg.families.bottleneck.identifiability import _point, identifiability_proof
from semialg.families.bottleneck.types import check_on_hyperplanes
from semialg.families.bottleneck.views import OuterView


def _h(W, b, v, e, x) -> Fraction:
    return sum(vi * max(sum(wj * xj for wj, xj in zip(w, x)) + bi, 0) for w, bi, vi in zip(W, b, v)) + e


def _q(x: Fraction) -> fmpq:
    return fmpq(x.numerator, x.denominator)


@st.composite
def _moves(draw):
    """A case-(a) network and, per neuron k, a base point moved along a coordinate j with W_kj != 0 onto H_k; the
    output bias puts h at the first neuron's point at 0, a hair above 0, or clearly above (Fractions throughout)."""
    n0, n1 = draw(st.integers(1, 4)), draw(st.integers(2, 5))       # n1 = 1 is case (b)
    small = st.integers(-9, 9).map(lambda k: Fraction(k, 4))
    W = [[draw(small) for _ in range(n0)] for _ in range(n1)]
    if not all(any(w) for w in W):
        W = [w if any(w) else [Fraction(1)] + w[1:] for w in W]
    b, v = [draw(small) for _ in range(n1)], [draw(small.filter(bool)) for _ in range(n1)]
    big = draw(st.booleans())           # bases with numerators past 2^62: no grid form, exact evaluation
    den = (1 << 70) + 1 if big else 64
    bases = [[Fraction(draw(st.integers(-200, 200)), den) for _ in range(n0)] for _ in range(draw(st.integers(1, 2)))]
    moves = []
    for k, w in enumerate(W):
        y = bases[draw(st.integers(0, len(bases) - 1))]
        j = draw(st.sampled_from([j for j in range(n0) if w[j]]))
        z = sum(a * c for a, c in zip(w, y)) + b[k]
        moves.append((bases.index(y), j, y[j] - z / w[j]))
    first = bases[moves[0][0]][:]
    first[moves[0][1]] = moves[0][2]
    e = -_h(W, b, v, 0, first) + draw(st.sampled_from([Fraction(0), Fraction(1, 1 << 60), Fraction(1)]))
    return W, b, v, e, bases, moves


def _network(W, b, v, e) -> sa.Network:
    return sa.Network.from_arrays([[[_q(t) for t in w] for w in W], [[_q(t) for t in v]], [[fmpq(1)]]],
                                  [[_q(t) for t in b], [_q(e)], [fmpq(0)]])


@settings(max_examples=150, deadline=None)
@given(_moves(), st.booleans())
def test_moved_points_are_accepted_exactly_when_the_points_are_on_their_hyperplanes_inside(data, grid):
    W, b, v, e, bases, moves = data
    view = OuterView.of(_network(W, b, v, e))
    exact_bases = [tuple(_q(t) for t in y) for y in bases]
    if grid and all(y.denominator == 64 for y in bases[0]):    # a GridPoint base: its integer form is not trusted
        exact_bases[0] = GridPoint([int(t * 64) for t in bases[0]], 64)
    on = [MovedPoint(exact_bases[i], j, _q(t)) for i, j, t in moves]
    points = []
    for i, j, t in moves:
        x = bases[i][:]
        x[j] = t
        points.append(x)
    holds = all(_h(W, b, v, e, x) > 0 for x in points)
    for given_on in (on, [q.point() for q in on]):      # moved and written out: one verdict
        if holds:
            check_on_hyperplanes(view, given_on, _point)
        else:
            with pytest.raises(CertificateError, match="not on its hyperplane inside P"):
                check_on_hyperplanes(view, given_on, _point)
    off = [dataclasses.replace(on[0], value=on[0].value + fmpq(1, 1 << 40))] + on[1:]
    with pytest.raises(CertificateError):
        check_on_hyperplanes(view, off, _point)


def test_forged_moves_do_not_verify():
    net = sa.Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]])
    view, base = OuterView.of(net), (fmpq(2), fmpq(2))
    good = [MovedPoint(base, 0, fmpq(0)), MovedPoint(base, 1, fmpq(0))]
    check_on_hyperplanes(view, good, _point)
    forged = [[MovedPoint(base, 1, fmpq(0)), good[1]],                   # the other neuron's hyperplane
              [MovedPoint(base, True, fmpq(0)), good[1]],                # not an int
              [MovedPoint(base, np.int64(0), fmpq(0)), good[1]],
              [MovedPoint(base, 2, fmpq(0)), good[1]], [MovedPoint(base, -1, fmpq(0)), good[1]],
              [MovedPoint(base, 0, 0), good[1]], [MovedPoint(base, 0, Fraction(0)), good[1]],
              [MovedPoint((fmpq(2),), 0, fmpq(0)), good[1]],            # a base of the wrong length
              [MovedPoint((2, 2), 0, fmpq(0)), good[1]],                # a base of integers
              [MovedPoint(list(base), 0, fmpq(0)), good[1]],
              [MovedPoint((fmpq(1), fmpq(1)), 0, fmpq(0)), good[1]],    # h = 0 there
              good[:1]]
    for on in forged:
        with pytest.raises(CertificateError):
            check_on_hyperplanes(view, on, _point)


def test_the_proofs_give_moved_points_and_verify_them():
    """The proofs of identifiability and functional dimension carry the points found along coordinates as moves of
    one draw (here 62 of 64; the others written out) and verify; a proof with one value moved off fails."""
    from conftest import float32_network
    net = float32_network((24, 64, 1, 3), seed=0)
    proof = identifiability_proof(net, [])
    kinks = proof[0].evidence
    moved = [k for k, q in enumerate(kinks.on) if type(q) is MovedPoint]
    assert len(moved) == 62 and len({id(kinks.on[k].base) for k in moved}) == 1
    assert all(step.verify(net) for step in proof)
    for k in (moved[0], min(set(range(64)) - set(moved))):
        q = kinks.on[k]
        off = dataclasses.replace(q, value=q.value * 2) if k in moved else (q[0] * 2,) + q[1:]
        with pytest.raises(CertificateError, match=f"neuron {k + 1} is not on"):
            dataclasses.replace(kinks, on=kinks.on[:k] + (off,) + kinks.on[k + 1:]).verify(net)
    cert = sa.functional_dimension(net).certificate
    assert sum(type(q) is MovedPoint for q in cert.on) == 62 and cert.verify(net)


@pytest.mark.parametrize("shift, holds", [(0, False), (1, True)])
def test_a_float_sign_wrong_by_cancellation_is_decided_exactly(shift, holds):
    """h = relu(x_1) + relu(x_2) - (2^54 + 3 - shift)/3 at (0, (2^54 + 3)/3), moved from ((1/3, (2^54 + 3)/3)): in
    float64 the numerator rounds to 2^54 + 4 and h to 4 > 0, exactly h = shift/3. The line enclosure is uncertain
    there and exact evaluation decides."""
    top = (1 << 54) + 3
    net = sa.Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1]]], [[0, 0], [fmpq(shift - top, 3)], [0]])
    on = [MovedPoint(GridPoint([1, top], 3), 0, fmpq(0)), (fmpq(1 << 54), fmpq(0))]
    if holds:
        check_on_hyperplanes(OuterView.of(net), on, _point)
    else:
        with pytest.raises(CertificateError, match="neuron 1 is not on"):
            check_on_hyperplanes(OuterView.of(net), on, _point)
