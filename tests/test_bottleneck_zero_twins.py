"""Zero neurons waking as twins of hidden neurons: the family keeps the function (exact evaluation and the exact
equivalence decision), the withdrawn bias lowering does not compose with it, and hand-counted local dimensions."""

import random

import pytest
from flint import fmpq

import semialg as sa
from semialg.core.network import Network
from semialg.engine.tangent import parameter_offsets
from semialg.families.bottleneck.local import _uncancelled_lines, local_dimension_bounds
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
