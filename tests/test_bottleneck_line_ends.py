"""Slots at the ends of N-intervals (zeros of the target): listed types of the slot pieces of all-parallel-row
bottleneck fibres, checked against the equivalence oracle, the exact functional dimension, the other components
and an independent computation of the contribution ranges."""

import itertools
import random

import pytest
from flint import fmpq

import semialg as sa
from conftest import line_net
from semialg.families.bottleneck.line_fibre import LineFibre
from semialg.families.bottleneck.line_slots import LABELS, LinePL, SlotCalculus

TARGETS = [([(0, -3)], 0, 1), ([(0, 2), (1, -4)], 0, -1), ([(0, 2), (2, 1)], -1, -1), ([(0, -1)], 0, 1),
           ([(0, 1), (1, -2)], 0, 0)]


def _target(breaks, left, at0) -> LinePL:
    return LinePL.of([(fmpq(x), fmpq(j)) for x, j in breaks], fmpq(left), fmpq(at0))


@pytest.mark.parametrize("breaks, left, at0", TARGETS)
def test_elimination_reproduces_the_ranges_of_the_slot_calculus(breaks, left, at0):
    # without slots at the ends, Fourier-Motzkin elimination over the group sums must give the ranges the slot
    # calculus derives by hand (interval arithmetic on the signs), closed ends included
    S = SlotCalculus(_target(breaks, left, at0), 4)
    for I in range(len(S.nints)):
        for k in range(5):
            for labels in itertools.combinations_with_replacement(LABELS, k):
                assert S._range(I, list(labels)) == S._contribution(I, list(labels)), (I, labels)


def test_two_slots_at_the_ends_of_a_bounded_n_interval():
    # T = |s| - 1 + s(s - 2): the N-interval [-1, 1] with slopes -1 and 1 at its ends. With one slot at each
    # end and nothing inside, g = 0 on [-1, 1]: the jumps are forced (1 and 1), two dimensions fewer than inside
    S = SlotCalculus(_target([(0, 2), (2, 1)], -1, -1), 2)
    (I,) = [I for I, (a, b, _, _) in enumerate(S.nints) if a is not None and b is not None]
    ends = (("a", (1, 1)), ("b", (-1, 1)))
    assert S._range(I, ends) is not None
    assert S._range(I, (("a", (1, -1)), ("b", (-1, 1)))) is None          # a negative jump at a: g > 0 after it
    assert S._range(I, (("a", (1, 1)),)) is None                           # one end alone cannot close [a, b]


def _at_zero(n0: int, rng: random.Random) -> sa.Network | None:
    """A random all-parallel parameter with a neuron moved onto a zero of h off its kinks (None if none)."""
    net = line_net(rng, n0, rng.choice([3, 4]))
    try:
        L = LineFibre(net)
    except sa.ArchitectureError:
        return None
    S = L.slots["A"].S
    zeros = [z for a, b, _, _ in S.nints for z in (a, b) if z is not None and z not in {x for x, _ in S.kinks}]
    if not zeros:
        return None
    z = rng.choice(zeros)
    W, b = [list(r) for r in net.weights[0]], list(net.biases[0])
    i = rng.randrange(len(b))
    lam = W[i][L.p] / L.u[L.p]
    b[i] = -lam * z                                     # its kink onto u.x = z (moves h: a new fibre)
    moved = sa.Network.from_arrays([W, [list(net.weights[1][0])], [list(net.weights[2][0])]],
                                   [b, list(net.biases[1]), list(net.biases[2])])
    try:
        LineFibre(moved)
    except sa.ArchitectureError:
        return None
    return moved


@pytest.mark.parametrize("n0", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_a_member_at_a_zero_of_h_is_listed(n0):
    # a neuron on a zero of h (an end of an N-interval) not needed there: theta, a member of its own fibre, lies
    # in a listed component, one with a slot at an end, which contains it
    rng, checked = random.Random(50 + n0), 0
    for _ in range(400):
        net = _at_zero(n0, rng)
        if net is None:
            continue
        F = sa.fibre(net)
        j = F.component_of(net)
        L = LineFibre(net)
        roles = L.locate(net)
        if roles is None or roles[0] != "A":
            continue
        assert j is not None and F.component(j).contains(net), net
        checked += any(role[0] == "Z" for role in j[1])
    assert checked >= 8
