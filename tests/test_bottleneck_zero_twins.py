"""Zero neurons waking as twins of hidden neurons: the family keeps the function (exact evaluation and the exact
equivalence decision), the withdrawn bias lowering does not compose with it, and hand-counted local dimensions."""

import random

import pytest
from flint import fmpq

import semialg as sa
from semialg.core.network import Network
from semialg.engine.tangent import parameter_offsets
from semialg.families.bottleneck.kink_equations import uncancelled_lines as _uncancelled_lines
from semialg.families.bottleneck.local import local_dimension_bounds, silent_neuron_moves
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.zero_twins import zero_neuron_twins

GRID = [fmpq(i, 4) for i in range(-48, 49)]


def _moved(net, *steps):
    p = list(net.parameters())
    for direction, amount in steps:
        p = [a + amount * d for a, d in zip(p, direction)]
    return Network.from_parameters(net.architecture, p)


def _twins(net):
    t = combinatorial_type(net)
    return zero_neuron_twins(net, _uncancelled_lines(net, t, ("U-", "U+")), t)


def _planted(rng):
    """A 1-n1-1-1 parameter with a zero neuron of v > 0 beside random neurons (some hidden)."""
    n1 = rng.choice([2, 3, 4])
    W = [[rng.choice([-2, -1, 1, 2, 3])] for _ in range(n1)]
    b = [fmpq(rng.randint(-8, 8), rng.choice([1, 2])) for _ in range(n1)]
    v = [rng.choice([-2, -1, 1, 2]) for _ in range(n1)]
    W[-1], b[-1], v[-1] = [0], 0, rng.choice([1, 2, fmpq(1, 3)])
    return Network.from_arrays([W, [v], [[rng.choice([1, -2])]]], [b, [rng.randint(-3, 2)], [1]])


def _cases(count, seed=0):
    rng, out = random.Random(seed), []
    while len(out) < count:
        net = _planted(rng)
        if _twins(net)[0]:
            out.append(net)
    return out


@pytest.mark.parametrize("net", _cases(24))
def test_the_twin_family_keeps_the_function(net):
    moves, withdrawn = _twins(net)
    _, (b_at, _, _) = parameter_offsets(net.architecture)
    k = net.widths[1] - 1                   # the planted zero neuron
    lowering = [fmpq(-1) if i == b_at + k else fmpq(0) for i in range(net.architecture.num_parameters)]
    # U+: the twin and its raised bias (traded with e); U-: the twin and the zero neuron's own lowering
    twin, bias = (moves[0], moves[1]) if withdrawn else (moves[0], lowering)
    for s, beta in [(fmpq(1, 100), fmpq(1, 50)), (fmpq(1, 7), fmpq(1, 1000)), (fmpq(1, 1000), fmpq(1, 9))]:
        moved = _moved(net, (twin, s), (bias, beta))
        assert all(moved([x]) == net([x]) for x in GRID)
        assert sa.equivalent(net, moved)


@pytest.mark.parametrize("net", [n for n in _cases(24) if _twins(n)[1]][:8])
def test_the_withdrawn_lowering_breaks_the_function_beside_a_raised_twin(net):
    moves, (lowering,) = _twins(net)
    moved = _moved(net, (moves[0], fmpq(1, 10)), (lowering, fmpq(1, 100)))
    assert not sa.equivalent(net, moved)


def test_a_zero_neuron_beside_an_affine_neuron_has_the_dimension_counted_by_hand():
    # sigma(s(x) + s(0) - 1) = sigma(x - 1): a second neuron with w > 0, v > 0 and its kink below 1 keeps the
    # function once neuron 0 and e absorb its slope and offset on x > 1 (an open set: 9 - 3 equations = 6)
    net = Network.from_arrays([[[1], [0]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]])
    assert local_dimension_bounds(net) == (6, 6)
    assert sa.fibre(net).local_dimension() == 6


def test_a_zero_neuron_beside_a_dead_side_neuron():
    # h = s(x) - s(-x - 5) - 1: the second neuron is U- (off on P = {x > 1}); the zero neuron (v = 2) becomes its
    # twin lowered: rows s(-1, -5) - (0, beta), and only lowers h
    net = Network.from_arrays([[[1], [-1], [0]], [[1, -1, 2]], [[1]]], [[0, -5, 0], [-1], [0]])
    moves, withdrawn = _twins(net)
    assert len(moves) == 1 and not withdrawn
    lowered = _moved(net, (moves[0], fmpq(1, 10)))
    lowered = Network.from_parameters(net.architecture, [x - (fmpq(1, 20) if i == 5 else 0)
                                                         for i, x in enumerate(lowered.parameters())])
    assert all(lowered([x]) == net([x]) for x in GRID) and sa.equivalent(net, lowered)


def _with_zero_neuron(rng):
    """A 1- or 2-input parameter with a zero neuron of either sign of v beside random neurons."""
    n0, n1 = rng.choice([1, 2]), rng.choice([2, 3, 4])
    W = [[rng.choice([-2, -1, 1, 2]) for _ in range(n0)] for _ in range(n1)]
    b = [fmpq(rng.randint(-6, 6), rng.choice([1, 2])) for _ in range(n1)]
    v = [rng.choice([-2, -1, 1, 2]) for _ in range(n1)]
    W[-1], b[-1], v[-1] = [0] * n0, 0, rng.choice([-1, 2, fmpq(1, 3)])
    return Network.from_arrays([W, [v], [[1], [-2]]], [b, [rng.randint(-3, 2)], [0, 1]])


def _woken_cases(count, seed=0):
    rng, out = random.Random(seed), []
    while len(out) < count:
        net = _with_zero_neuron(rng)
        woken: set = set()
        moves = silent_neuron_moves(net, woken)
        if woken:
            out.append((net, moves))
    return out


@pytest.mark.parametrize("net, moves", _woken_cases(16))
def test_a_zero_neuron_wakes_far_away(net, moves):
    # the family: row eps d' along the far directions found (and small tilts among them), bias -c eps, c large,
    # so the neuron is active only far out where h <= -delta |x|; checked by the exact equivalence decision
    n0, k = net.widths[0], net.widths[1] - 1
    (W_at, _, _), _ = parameter_offsets(net.architecture)
    rows = [m[W_at + k * n0:W_at + (k + 1) * n0] for m in moves if any(m[W_at + k * n0:W_at + (k + 1) * n0])]
    assert rows
    rng = random.Random(1)
    for d in rows:
        for _ in range(2):
            # tilts within the span of the directions found (modulo L_h: rows orthogonal to it)
            coefs = [fmpq(rng.randint(-3, 3), 100) for _ in rows]
            tilt = [x + sum((a * r[j] for a, r in zip(coefs, rows)), fmpq(0)) for j, x in enumerate(d)]
            eps = fmpq(1, 10 ** 6)
            p = list(net.parameters())
            for j, x in enumerate(tilt):
                p[W_at + k * n0 + j] = eps * x
            p[W_at + n0 * net.widths[1] + k] = -eps * 10 ** 4        # b' = -c eps, c = 10^4
            assert sa.equivalent(net, Network.from_parameters(net.architecture, p))


def test_a_zero_neuron_waking_left_of_p():
    # h = s(2x) + 3 s(0) + s(3) - 2 s(1 - 2x) + 1, P = (-1/2, inf), h = 4x + 2 -> -inf on the left: the zero neuron
    # (v = 3) wakes there as a hidden neuron (row and bias: 2, v: 1); the seen neurons (2: their rescalings), the
    # bottleneck rescaling (1) and the active constant neuron's bias and v traded with e (2): 8 of 17 (its row is
    # pinned: a tilt adds slope on P, which no other neuron active on all of P can take back)
    net = Network.from_arrays([[[2], [0], [0], [-2]], [[1, 3, 1, -2]], [[1], [-1]]], [[0, 0, 3, 1], [1], [0, 1]])
    assert local_dimension_bounds(net) == (8, 8)
    assert sa.fibre(net).local_dimension() == 8
