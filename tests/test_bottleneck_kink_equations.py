"""Constant neurons holding h down (semialg.families.bottleneck.kink_equations): with e > 0, the one active
constant neuron with v < 0 keeps w' = 0 when a direction turning every other neuron off lies in the cone of the
recession directions of P-bar — checked with the exact equivalence decision on every tilt of its row, and by
hand-counted local dimensions; a dead constant neuron with v > 0 beside such holders keeps w' = 0 when the
recession cone of P-bar is full-dimensional, and so does a holder the others cannot replace; active constant neurons of one sign of v keep their slopes cancelling
on a cell where only they act, so each row stays orthogonal to P-bar's recession directions. An unused constant neuron keeps v' = 0 or its far kink off P."""

from __future__ import annotations

import itertools
import random

import pytest
from flint import fmpq

import semialg as sa
from semialg.core.exact import rank
from semialg.core.network import Network
from semialg.engine.regions import equivalent as pl_equivalent
from semialg.engine.tangent import parameter_offsets
from semialg.families.bottleneck.kink_equations import _holding_neuron, unseen_kink_equations, unused_constant_cases
from semialg.families.bottleneck.local import local_dimension_bounds
from semialg.families.bottleneck.views import OuterView, bottleneck_case

from test_bottleneck_plateau_corner import _fibre_directions

OUT = ([[1], [-1]], [0, 1])


def _net(W, b, v, e) -> Network:
    return Network.from_arrays([W, [v], OUT[0]], [b, [e], OUT[1]])


def _holding(rng):
    """An n0-n1-1-2 parameter with e > 0 and one active constant neuron with v < 0 (the last), or ``None``."""
    n0, n1 = rng.choice([1, 2, 3]), rng.choice([2, 3, 4])
    W = [[rng.randint(-3, 3) for _ in range(n0)] for _ in range(n1 - 1)] + [[0] * n0]
    b = [fmpq(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(n1 - 1)] + [fmpq(rng.randint(1, 3))]
    v = [fmpq(rng.choice([-2, -1, 1, 2, 3])) for _ in range(n1 - 1)] + [fmpq(-rng.randint(1, 3))]
    net = _net(W, b, v, fmpq(rng.randint(1, 3)))
    if bottleneck_case(net) != "a" or _holding_neuron(OuterView.of(net)) != n1 - 1:
        return None
    return net


def _pinned(count, seed):
    """Parameters whose holding neuron's row is pinned by unseen_kink_equations (all its coordinates)."""
    rng, out = random.Random(seed), []
    while len(out) < count:
        net = _holding(rng)
        if net is None:
            continue
        n0, n1 = net.widths[0], net.widths[1]
        (W_at, _, _), _ = parameter_offsets(net.architecture)
        coords = {i for g in unseen_kink_equations(net) for i, x in enumerate(g) if x}
        if set(range(W_at + (n1 - 1) * n0, W_at + n1 * n0)) <= coords:
            out.append(net)
    return out


@pytest.mark.parametrize("net", _pinned(10, 1))
def test_every_tilt_of_a_holding_neuron_leaves_the_fibre(net):
    n0, n1 = net.widths[0], net.widths[1]
    rng = random.Random(n0 * 10 + n1)
    view = OuterView.of(net)
    for _ in range(4):
        z = [fmpq(rng.randint(-3, 3), 1000) for _ in range(n0)]
        if not any(z):
            continue
        W = [list(w) for w in view.w]
        W[-1] = z
        assert not sa.equivalent(net, _net(W, list(view.b), list(view.v), view.e))


def test_hand_counted_local_dimensions():
    # h = 3 s(2x + 2) - s(2) + 1, P = (-5/6, oo): the constant neuron stays flat (a tilt turns it off far left,
    # where h'' -> e'' = 1, or puts a kink on P); h'' = mu h on P: 2 equations on w, b, v (4), b_2, v_2, e, mu
    # (4): 6, with c' = c / mu and d' = d: 5 of 11
    assert local_dimension_bounds(_net([[2], [0]], [2, 2], [3, -1], 1)) == (5, 5)
    # h = s(2x + 2z + 3) - 2 in 3-2-1-2: the same with w_1 parallel to (1, 0, 1): 3 + 1 equations on 9: 5 of 15
    assert local_dimension_bounds(_net([[2, 0, 2], [0, 0, 0]], [3, 3], [1, -1], 1)) == (5, 5)
    # h = -2 s(-x) + s(2 - 3x) - 3 (P = (-oo, -1), two U+ neurons): 2 equations on 10: 8 of 14
    assert local_dimension_bounds(_net([[-1], [0], [-3]], [0, 2, 2], [-2, -2, 1], 1)) == (8, 8)


def _with_constants(rng, constants, e_range=(-2, 3)):
    """An n0-n1-1-2 parameter (n0 <= 2): constant neurons with the ``(b, v)`` of ``constants`` first, then one or
    two random ones; ``None`` unless case (a)."""
    n0, m = rng.choice([1, 1, 2]), len(constants)
    n1 = m + rng.choice([1, 2])
    W = [[0] * n0] * m + [[rng.randint(-3, 3) for _ in range(n0)] for _ in range(n1 - m)]
    b = [fmpq(b) for b, _ in constants] + [fmpq(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(n1 - m)]
    v = [fmpq(v) for _, v in constants] + [fmpq(rng.choice([-2, -1, 1, 2])) for _ in range(n1 - m)]
    net = _net(W, b, v, fmpq(rng.randint(*e_range)))
    return net if bottleneck_case(net) == "a" else None


def _pinned(net) -> list[int]:
    """The neurons whose whole row unseen_kink_equations pins (equations of rank n0 on its columns)."""
    n0, eqs = net.widths[0], unseen_kink_equations(net)
    (W_at, _, _), _ = parameter_offsets(net.architecture)
    return [k for k in range(net.widths[1]) if eqs and rank([g[W_at + k * n0:W_at + (k + 1) * n0] for g in eqs]) == n0]


def _sample(make, keep, count, seed):
    rng, out = random.Random(seed), []
    while len(out) < count:
        net = make(rng)
        if net is not None and keep(net):
            out.append(net)
    return out


def _positive_constants(rng, sign, b_sign=1):
    return [(b_sign * fmpq(rng.randint(1, 3), rng.choice([1, 2])), sign * rng.randint(1, 3))
            for _ in range(rng.choice([2, 2, 3]))]


RAISED = _sample(lambda rng: _with_constants(rng, [(-rng.randint(1, 3), rng.randint(1, 3))]
                                             + _positive_constants(rng, -1)[:rng.choice([1, 2])]),
                 lambda net: 0 in _pinned(net) and all(v > 0 for w, v in zip(OuterView.of(net).w, OuterView.of(net).v)
                                                       if any(w)), 8, 3)
BALANCED = _sample(lambda rng: _with_constants(rng, _positive_constants(rng, rng.choice([-1, 1]))),
                   lambda net: 0 in _pinned(net), 8, 4)
HELD = _sample(lambda rng: _with_constants(rng, _positive_constants(rng, -1), (1, 4)),
               lambda net: len([k for k in _pinned(net) if not any(OuterView.of(net).w[k])]) == 1, 8, 6)


def _tilts_leave_the_fibre(net, k, partner):
    """Tilts of neuron ``k``'s row, alone and with ``partner``'s tilted to cancel its slope (what the first-order
    kernel allows), are no members (the exact decision and the region oracle); the exact moves of the bounds keep
    ``k``'s row at 0."""
    n0, view = net.widths[0], OuterView.of(net)
    rng = random.Random(n0 * 10 + net.widths[1])
    for _ in range(4):
        z = [fmpq(rng.randint(-3, 3), 1000) for _ in range(n0)]
        if not any(z):
            continue
        W = [list(w) for w in view.w]
        W[k] = z
        alone = _net(W, list(view.b), list(view.v), view.e)
        W[partner] = [-x * view.v[k] / view.v[partner] for x in z]
        cancelled = _net(W, list(view.b), list(view.v), view.e)
        for other in (alone, cancelled):
            assert not sa.equivalent(net, other) and not pl_equivalent(net, other)
    (W_at, _, _), _ = parameter_offsets(net.architecture)
    for g in _fibre_directions(net):
        assert not any(g[W_at + k * n0:W_at + (k + 1) * n0])


@pytest.mark.parametrize("net", RAISED)
def test_a_dead_constant_neuron_beside_holders_stays_flat(net):
    # a dead constant neuron with v > 0 beside active holders: its row is pinned, a holder cannot cancel its growth
    _tilts_leave_the_fibre(net, 0, 1)


@pytest.mark.parametrize("net", BALANCED)
def test_constant_neurons_acting_alone_on_a_cell_stay_flat(net):
    # active constant neurons of one sign of v on a cell where only they act: their slopes must cancel there
    _tilts_leave_the_fibre(net, 0, 1)


@pytest.mark.parametrize("net", HELD)
def test_a_holder_the_others_cannot_replace_stays_flat(net):
    # of several holders the pinned one: tilted alone or against another holder, the parameter leaves the fibre
    view = OuterView.of(net)
    k = next(k for k in _pinned(net) if not any(view.w[k]))
    _tilts_leave_the_fibre(net, k, next(j for j, w in enumerate(view.w) if not any(w) and j != k))


def test_a_dead_constant_neuron_beside_a_holder_hand_counted():
    # h = 3 s(-2x - 2) - 5 in 1-3-1-2 (the dead s(0x - 1) with v = 3, the holder -2 s(0x + 3), e = 1), P = (-oo, -11/6):
    # the dead neuron's b and v (2), the holder's b and v (2) with e, the U+ neuron's w, b, v with one equation on
    # its slope and e one on the constant (2), mu (1): 7 of 14. A tilt of the dead neuron to the right raises h far
    # right, to the left puts a kink on P; the holder's to the right turns it off far right, where h' -> e' = 1
    assert local_dimension_bounds(_net([[0], [0], [-2]], [-1, 3, -2], [3, -2, 3], 1)) == (7, 7)


def test_constant_neurons_acting_alone_hand_counted():
    # h = 2.5 + s(3x + 3/2) - 2 s(-x - 5) in 1-4-1-2 (constants 2 s(2) + s(1/2), e = -2), P = (-25/4, oo): the two
    # seen kinks keep their points (a scale each), the constants' b and v with e and one equation (4), mu: 7 of 16
    assert local_dimension_bounds(_net([[0], [3], [-1], [0]], [2, fmpq(3, 2), -5, fmpq(1, 2)], [2, 1, -2, 1],
                                       -2)) == (7, 7)


def test_several_holders_hand_counted():
    # h = 2 s(2x - 1/2) - 11/2 in 1-3-1-2 (holders -s(1/2) and -2 s(3), e = 1), P = (13/8, oo): far left without the
    # second holder h' -> 1 - 1/2 > 0, so it stays flat; the first may tilt (the second holds h at -5 without it).
    # w, b, v of the three neurons, e and mu (11) less the slope and the constant on P and w_2 = 0: 8 of 14
    assert local_dimension_bounds(_net([[0], [0], [2]], [fmpq(1, 2), 3, fmpq(-1, 2)], [-1, -2, 2], 1)) == (8, 8)


def test_an_audited_holding_neuron():
    # counted by an independent audit (session 25): h = s(-y) in 2-3-1-2 with e = 3 held down by the constant
    # neuron; the unused neuron's line crosses P, so v' = 0 with its row and bias free (3); the neuron at y = 0
    # (its scale, b, v) and the constant one (b, v) with e and one equation: 5; c and d fixed: 8. A tilt of the
    # constant neuron turns it off along (0, 1), where h'' -> 3, or puts a kink on P
    assert local_dimension_bounds(_net([[1, -1], [0, 0], [0, -1]], [2, 1, 0], [0, -3, 1], 3)) == (8, 8)


def test_an_unused_constant_neuron_keeps_v_at_zero_or_its_kink_off_p():
    # h = -2 s(z + 3) + 1, z = -2x + y - w, P = {z < -5/2}; neuron 0 unused (w = 0, b = -1), neuron 2 constant
    # (b = -2, v = -2). By hand: neuron 1 (seen kink at z = -3: its scale and v), e and mu, less e' = mu and the
    # jump -2 mu: 2; neuron 2 wakes only along +u (active far right, off P): its scale, b and v, 3; neuron 0 either
    # keeps v' = 0 with its row and bias free (4) or, with v' != 0, wakes like neuron 2 (3): 2 + 3 + 4 = 9 —
    # the first-order kernel adds both of neuron 0's branches (10)
    u = [-2, 1, -1]
    net = _net([[0, 0, 0], u, [0, 0, 0]], [-1, 3, -2], [0, -2, -2], 1)
    eps = fmpq(1, 100)
    free = _net([[eps, -eps, 2 * eps], u, [0, 0, 0]], [-1 + eps, 3, -2], [0, -2, -2], 1)
    along = _net([[eps * x for x in u], u, [0, 0, 0]], [-1, 3, -2], [eps, -2, -2], 1)
    tilted = _net([[eps, 0, 0], u, [0, 0, 0]], [-1, 3, -2], [eps, -2, -2], 1)
    assert sa.equivalent(net, free) and sa.equivalent(net, along) and not sa.equivalent(net, tilted)
    assert [len(part) for part in unused_constant_cases(net)] == [1, 2]
    assert local_dimension_bounds(net) == (9, 9)


def _unused_constant(rng):
    n0, n1 = rng.choice([1, 2, 3]), rng.choice([2, 3, 4])
    W = [[rng.randint(-3, 3) for _ in range(n0)] for _ in range(n1 - 1)] + [[0] * n0]
    b = [fmpq(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(n1 - 1)] + [rng.choice([-2, -1, 1, 2])]
    v = [rng.choice([-2, -1, 1, 2]) for _ in range(n1 - 1)] + [0]
    net = _net(W, b, v, rng.randint(-2, 2))
    return net if bottleneck_case(net) == "a" and unused_constant_cases(net) else None


def _unused_constants(count, seed):
    rng, out = random.Random(seed), []
    while len(out) < count:
        net = _unused_constant(rng)
        if net is not None:
            out.append(net)
    return out


@pytest.mark.parametrize("net", _unused_constants(10, 4))
def test_an_unused_constant_neuron_waking_stays_in_one_part(net):
    # the unused constant neuron gains an output weight (e paying for it when it is active) with its row tilted
    # along each signed unit vector or not at all: every member found (exact decision at two amounts) has its
    # direction in the kernel of one part's rows
    (W_at, v_at, _), (_, e_at, _) = parameter_offsets(net.architecture)
    n0, k, D = net.widths[0], len(net.biases[0]) - 1, len(net.parameters())
    parts = unused_constant_cases(net)
    found = 0
    for sign, d in itertools.product((-1, 1), [None] + [(j, s) for j in range(n0) for s in (-1, 1)]):
        g = [fmpq(0)] * D
        g[v_at + k], g[e_at] = fmpq(sign), -sign * max(net.biases[0][k], 0)
        if d is not None:
            g[W_at + k * n0 + d[0]] = fmpq(d[1])
        moved = [Network.from_parameters(net.architecture, [a + t * d for a, d in zip(net.parameters(), g)])
                 for t in (fmpq(1, 10 ** 3), fmpq(1, 10 ** 4))]
        if all(sa.equivalent(net, m) for m in moved):
            found += 1
            assert any(all(sum(r[i] * g[i] for i in range(D)) == 0 for r in part) for part in parts)
    assert found
