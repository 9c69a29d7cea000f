"""Several neurons on one kink of the target (a cluster, not of simple type): the local dimension of
all-parallel-row bottleneck fibres at such members, from the slot calculus with clusters."""

import random
from fractions import Fraction as Fr

import pytest

import semialg as sa
from conftest import line_net, within_bounds
from semialg.engine import tangent
from semialg.families.bottleneck.line_fibre import LineFibre
from semialg.families.bottleneck.line_slots import LinePL, SlotCalculus
from semialg.families.bottleneck.line_typed import TypedSlotPiece
from semialg.families.bottleneck.local import local_dimension_bounds
from flint import fmpq


def test_twins_on_a_seen_kink():
    # h = 1 - s(x) - s(2x) = 1 - 3 s(x): the kink at 0 lies in P = {x < 1/3} and carries both twins (jumps -1 and
    # -2, no sub-sum 0, so they stay on it). Near theta: mu, two scales and the split of the jump -3 mu (right of
    # the reference piece, right-facing slots add nothing to its slope): 4
    net = sa.Network.from_arrays([[[1], [2]], [[-1, -1]], [[1]]], [[0, 0], [1], [0]])
    assert sa.fibre(net).local_dimension() == 4
    lower, upper = local_dimension_bounds(net)
    assert lower <= 4 <= upper


def test_a_mixed_cluster_splits_its_jump_as_the_reference_slope_says():
    # h = s(-3x - 3/2) - 2 s(3x + 3/2) + 2 s(3x) + 1: the kink at -1/2 (jump -3) lies in P = {x < -1/3} and
    # carries a left-facing (jump 3) and a right-facing (-6) neuron; on the reference piece x < -1/2 only the
    # left-facing one acts, so its jump is the slope there: the split is fixed. With mu, three scales and the
    # hidden slot at 0 (place and jump, the slope at +infinity only bounded): 6
    net = sa.Network.from_arrays([[[-3], [3], [3]], [[1, -2, 2]], [[1]]], [[Fr(-3, 2), Fr(3, 2), 0], [1], [0]])
    assert sa.fibre(net).local_dimension() == 6
    assert tangent.local_dimension_bounds(net)[0] < 6 <= local_dimension_bounds(net)[1]


def test_a_cluster_whose_jumps_may_part_is_not_decided_by_its_type():
    # jumps 2, -2 and -3 on the kink: the first two cancel, so they may leave the kink's line as a phantom pair
    net = sa.Network.from_arrays([[[1], [1], [1]], [[2, -2, -3]], [[1]]], [[0, 0, 0], [1], [0]])
    L = LineFibre(net)
    mu, t, ov = L._split(net)
    roles = L.slots["A"].locate(ov)
    assert roles is not None and not L.slots["A"]._clusters_stay(ov, roles)


def test_cluster_decisions_count_the_split_of_the_jumps():
    T = LinePL.of([(fmpq(0), fmpq(-3))], fmpq(0), fmpq(1))          # 1 - 3 s(x): one kink, N-interval [1/3, oo)
    S = SlotCalculus(T, 3)
    single, twins = S.decide((1,), ((),)), S.decide(((1, 1),), ((),))
    assert twins.dim == single.dim + 1
    # both orientations: the left-facing jump would be the slope on the left, 0, which a slot cannot have
    assert S.decide(((-1, 1),), ((),)) is None
    T = LinePL.of([(fmpq(0), fmpq(-2))], fmpq(-1), fmpq(1))         # 1 - s - 2 s(s): slope -1 on the left
    S = SlotCalculus(T, 3)
    assert S.decide((1,), ((),)) is None and S.decide((-1,), ((),)) is None
    mixed = S.decide(((-1, 1),), ((),))         # J_- = 1 (the slope -1 on the left), J_+ = -3: one point
    assert mixed is not None and mixed.dim == 0 and S.decide(((-1, -1, 1),), ((),)).dim == 1


def test_a_kink_only_a_mixed_cluster_realises():
    # h = s(-x) - 3 s(x) + 1 = 1 - x - 2 s(x): both neurons on the kink at 0, facing apart; mu and two scales
    net = sa.Network.from_arrays([[[-1], [1]], [[1, -3]], [[1]]], [[0, 0], [1], [0]])
    lower, upper = local_dimension_bounds(net)
    assert sa.fibre(net).local_dimension() == 3 and lower <= 3 <= upper


def _clustered(rng: random.Random, n0: int) -> sa.Network:
    u = [rng.choice([-1, 1, 2]) for _ in range(n0)]
    n1 = rng.choice([2, 3, 4])
    scales = [rng.choice([-2, -1, 1, 3]) for _ in range(n1)]
    points = [Fr(rng.randint(-2, 2), rng.choice([1, 2])) for _ in range(n1)]
    points[1] = points[0]
    W = [[s * x for x in u] for s in scales]
    b = [-s * q for s, q in zip(scales, points)]
    v = [rng.choice([-2, -1, 1, 2, 3]) for _ in range(n1)]
    return sa.Network.from_arrays([W, [v], [[rng.choice([1, -2])]]], [b, [rng.randint(-2, 2)], [0]])


@pytest.mark.parametrize("n0", [1, 2])
def test_cluster_dimensions_lie_within_the_proven_bounds(n0):
    # the cluster type's dimension against the first-order bounds (an independent proof of both sides)
    rng, checked = random.Random(10 + n0), 0
    for _ in range(150):
        net = _clustered(rng, n0)
        try:
            L = LineFibre(net)
        except sa.ArchitectureError:
            continue
        mu, t, ov = L._split(net)
        if not (mu > 0 and t == 0):
            continue
        piece = L.slots["A"]
        roles = piece.locate(ov)
        on_kinks = [role[1] for role in roles or () if role[0] == "V"]
        if roles is None or len(set(on_kinks)) == len(on_kinks) or not piece._clusters_stay(ov, roles):
            continue
        checked += within_bounds(net, lambda: piece.local_dimension(ov, None, L.dimension_bounds()[1]))
    assert checked >= 8


def _has_cluster(roles) -> bool:
    kinks = [role[1] for role in roles if role[0] == "V"]
    return len(set(kinks)) < len(kinks)


def _check_cluster_types(net: sa.Network, keep=lambda roles: True) -> int:
    """Every listed cluster type of the slot pieces samples an exact member of the fibre of ``net`` (the
    equivalence oracle) that its basic set contains and that locates back to it (so no other type has it)."""
    L, checked = LineFibre(net), 0
    for tag, piece in L.slots.items():
        for _, roles in piece.index:
            if _has_cluster(roles) and keep(roles):
                member = piece.sample(roles, random.Random(checked))
                assert bool(sa.equivalent(member, net)), (net, roles)
                assert L.locate(member) == (tag, roles) and piece.build(roles).contains(member), (net, roles)
                checked += 1
    return checked


@pytest.mark.parametrize("n0", [1, 2])
def test_every_listed_cluster_type_samples_an_exact_member_of_its_own(n0):
    rng, nets, checked = random.Random(20 + n0), 0, 0
    while nets < 5:
        try:
            net = line_net(rng, n0, rng.choice([2, 3]))
            LineFibre(net)
        except sa.ArchitectureError:
            continue
        nets += 1
        checked += _check_cluster_types(net)
    assert checked >= 10


def test_a_mixed_cluster_with_a_mixed_phantom_group():
    # h = 1 - 3 s(x1) with two inert neurons, two inputs: a mixed phantom group off the line
    # gives alpha != 0, which the split of a mixed cluster on the kink must absorb (the free stratum of solve_with)
    net = sa.Network.from_arrays([[[1, 0], [2, 0], [1, 0], [1, 0]], [[-1, -1, 0, 0]], [[1]]],
                                 [[0, 0, 5, 7], [1], [0]])
    mixed = lambda roles: len({role[2] for role in roles if role[0] == "V"}) == 2 and \
        {role[2] for role in roles if role[0] == "P"} == {1, -1}             # noqa: E731
    assert _check_cluster_types(net, mixed) >= 6


def test_twins_on_a_kink_are_a_listed_component():
    # h = 1 - 3 s(x), both neurons on the kink at 0: a cluster type, listed, its dimension the local one
    net = sa.Network.from_arrays([[[1], [2]], [[-1, -1]], [[1]]], [[0, 0], [1], [0]])
    F = sa.fibre(net)
    j = F.component_of(net)
    assert j == ("A", (("V", 0, 1), ("V", 0, 1))) and F.component(j).contains(net)
    assert LineFibre(net).slots["A"].dimension(j[1]) == F.local_dimension() == 4


@pytest.mark.parametrize("breaks, left, at0, n1", [
    ([(0, -3)], 0, 1, 3),                         # one kink, one N-interval
    ([(0, -2)], -1, 1, 3),                        # one kink where only a mixed cluster meets the slope
    ([(0, 2), (1, -4)], 0, -1, 4),                # a bounded positive part: two kinks, two N-intervals
    ([(0, 2), (2, 1)], -1, -1, 4),                # |s| - 1 + s(s - 2): a bounded N-interval, a kink
])
def test_the_index_counts_what_it_yields(breaks, left, at0, n1):
    T = LinePL.of([(fmpq(x), fmpq(j)) for x, j in breaks], fmpq(left), fmpq(at0))
    net = sa.Network.from_arrays([[[1]] * n1, [[0] * n1], [[1]]], [[0] * n1, [1], [0]])
    piece = TypedSlotPiece("A", net, (fmpq(1),), SlotCalculus(T, n1), 1, fmpq(0))
    listed = list(piece.index)
    assert len(listed) == len(set(listed)) == piece.index.exact_size
    assert any(_has_cluster(roles) for _, roles in listed)
    assert piece.max_dimension() is not None


def test_an_inert_neuron_on_a_kink_may_only_join_its_cluster():
    # h = s(-3x - 3/2) - 2 s(3x + 3/2) + 2 s(3x) + 1 with an inert neuron on the line at the kink -1/2. Woken, it
    # must stay on the kink (elsewhere its kink would cross P alone) and join the cluster there, the right-facing
    # jumps trading. Without it: mu, 3 scales, the hidden slot at 0 (place, jump), the inert row (2): 8; with it:
    # mu, 4 scales, the right-facing split (the left-facing jump is the reference slope's), the hidden slot: 8
    net = sa.Network.from_arrays([[[1], [-3], [3], [3]], [[0, 1, -2, 2]], [[1]]],
                                 [[Fr(1, 2), Fr(-3, 2), Fr(3, 2), 0], [1], [0]])
    lower, upper = local_dimension_bounds(net)       # (7, 9) before the cover of the unused neuron on a seen kink
    assert (lower, upper) == (7, 8) and sa.fibre(net).local_dimension() == 8
    eps = Fr(1, 10 ** 6)
    woken = sa.Network.from_arrays([[[1], [-3], [3], [3]], [[eps, 1, (-6 - eps) / 3, 2]], [[1]]],
                                   [[Fr(1, 2), Fr(-3, 2), Fr(3, 2), 0], [1], [0]])
    assert sa.equivalent(woken, net)
    moved = sa.Network.from_arrays([[[1], [-3], [3], [3]], [[eps, 1, (-6 - eps) / 3, 2]], [[1]]],
                                   [[Fr(1, 2) + eps, Fr(-3, 2), Fr(3, 2), 0], [1], [0]])
    assert not sa.equivalent(moved, net)


def test_constant_neurons_whose_kinks_would_lie_far_out_stay_constant():
    # h = -2 + s(-2x) + 2 s(x + 1) + 3 s(-3/2) >= 0, zero on [-1, 0], with two constant neurons (v |b| = 9/2 and -2,
    # no subset summing to 0): woken, a kink would lie far out, where h > 0 on both sides, with no partner to
    # cancel it, so they stay constant; at this member of the plateau boundary the local dimension is that of the
    # plateau type with the two slots moved inside [-1, 0]: 8
    net = sa.Network.from_arrays([[[0], [0], [-2], [1]], [[3, -1, 1, 2]], [[1]]], [[Fr(-3, 2), 2, 0, 1], [0], [0]])
    lower, upper = local_dimension_bounds(net)
    assert sa.fibre(net).local_dimension() == 8 and lower <= 8 <= upper


@pytest.mark.parametrize("n0", [1, 2])
def test_local_dimensions_with_constant_neurons_lie_within_the_proven_bounds(n0):
    # h = s1 s(p - u.x) + s2 s(u.x - q) >= 0, zero on the slab p <= u.x <= q, plus constant neurons (w = 0, b != 0)
    # whose values e absorbs: a member of the plateau boundary of its own fibre
    rng, decided = random.Random(70 + n0), 0
    for _ in range(40):
        u = [rng.choice([-1, 1, 2]) for _ in range(n0)]
        p = Fr(rng.randint(-3, 0), rng.choice([1, 2]))
        q = p + Fr(rng.randint(1, 3), rng.choice([1, 2]))
        s1, s2 = (rng.choice([1, 2, 3]) for _ in range(2))
        consts = [(Fr(rng.choice([-2, -1, 1, 2, 3]), rng.choice([1, 2])), rng.choice([-2, -1, 1, 3]))
                  for _ in range(rng.choice([1, 2]))]
        W = [[-x for x in u], list(u)] + [[0] * n0 for _ in consts]
        b = [p, -q] + [c for c, _ in consts]
        v = [s1, s2] + [w for _, w in consts]
        e = -sum(w * max(c, 0) for c, w in consts)
        net = sa.Network.from_arrays([W, [v], [[rng.choice([1, -2])]]], [b, [e], [0]])
        decided += within_bounds(net, sa.fibre(net).local_dimension)
    assert decided >= 20
