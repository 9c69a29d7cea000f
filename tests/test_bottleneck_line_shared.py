"""Several slots on one point strictly inside an N-interval (a shared point, not of simple type): listed types of
the slot pieces of all-parallel-row bottleneck fibres, checked against the equivalence oracle, the exact
functional dimension and the other components."""

import random

import pytest
from flint import fmpq

import semialg as sa
from conftest import check_listed_line_types, line_net
from semialg.engine.functional_dimension import functional_dimension
from semialg.families.bottleneck.line_fibre import LineFibre
from semialg.families.bottleneck.line_points import coincident
from semialg.families.bottleneck.line_slots import LinePL, SlotCalculus
from semialg.families.bottleneck.line_typed import TypedSlotPiece
from semialg.families.bottleneck.local import local_dimension_bounds


def test_a_shared_point_whose_jumps_must_cancel_is_no_type():
    # T = 1 - s(x): slope 0 on the reference piece left of the kink 0, the N-interval [1, oo). Two left-facing
    # slots there carry the whole reference slope less the kink's: 0 when the kink's slot faces right, so on one
    # point their jumps cancel (a phantom pair, another type); apart they are a type
    S = SlotCalculus(LinePL.of([(fmpq(0), fmpq(-1))], fmpq(0), fmpq(1)), 3)
    shared, apart = ((((-1, -1), (-1, 1)),),), (((-1, -1), (-1, 1)),)
    assert S.decide((1,), shared) is None and S.decide((1,), apart) is not None
    # facing left, the kink's slot leaves them the slope -1 to carry: their sum is 1, the point a type of
    # one dimension less (one place for two slots)
    assert S.decide((-1,), shared).dim == S.decide((-1,), apart).dim - 1


def test_two_slots_on_one_point_of_an_n_interval_are_a_listed_component():
    # h = 1 - 2 s(x) + s(x - 2) + s(x - 2): the kink 0 in P = {x < 1/2}; both other neurons at 2, inside the
    # N-interval [1/2, oo), their jumps adding up (1 + 1)
    net = sa.Network.from_arrays([[[1], [1], [1]], [[-2, 1, 1]], [[1]]], [[0, -2, -2], [1], [0]])
    F = sa.fibre(net)
    j = F.component_of(net)
    assert j is not None and coincident(j[1]) and F.component(j).contains(net)
    L = LineFibre(net)
    type_dim = L.slots["A"].dimension(j[1])
    # nearby, the two slots part: the local dimension exceeds the type's, within the first-order bounds
    lower, upper = local_dimension_bounds(net)
    value = F.local_dimension()
    assert type_dim < value and lower <= value <= upper
    assert net.architecture.num_parameters - functional_dimension(net).value >= value


def _shared(roles) -> bool:
    return coincident(roles) and not any(role[0] == "Z" for role in roles)


def _at_ends(roles) -> bool:
    return any(role[0] == "Z" for role in roles)


@pytest.mark.parametrize("n0", [1, pytest.param(2, marks=pytest.mark.slow)])
@pytest.mark.parametrize("keep", [_shared, _at_ends])
def test_every_listed_coincident_type_samples_an_exact_member_of_its_own(n0, keep):
    # shared points inside N-intervals, and slots at their ends
    rng, nets, checked = random.Random(30 + n0), 0, 0
    while nets < 4:
        try:
            net = line_net(rng, n0, 3)
            LineFibre(net)
        except sa.ArchitectureError:
            continue
        nets += 1
        checked += check_listed_line_types(net, rng, keep, per_piece=12)
    assert checked >= 10


@pytest.mark.parametrize("keep", [_shared, _at_ends])
def test_coincident_types_of_the_plateau_pieces(keep):
    # h = s(x) - s(x - 1) in [0, 1]: the plateau pieces Pmin and Pmax list shared points in their plateau intervals
    # and slots at their ends, always with h' < 0 somewhere: the members h' = mu h + t (g = sigma(T) on the
    # plateaus, "flat") are the components (T') only
    net = sa.Network.from_arrays([[[1], [1], [1]], [[1, -1, 0]], [[1]]], [[0, -1, 0], [0], [0]])
    F = sa.fibre(net)
    parts = F._sampler.__self__
    rng, checked = random.Random(5), 0
    for P in parts.plateaus.values():
        mine = [roles for _, roles in P.index if keep(roles)]
        for k, roles in enumerate(rng.sample(mine, min(8, len(mine)))):
            member = P.sample(roles, random.Random(k))
            assert bool(sa.equivalent(member, net)) and F.component_of(member) == (P.tag, roles)
            W, b, v, e = member.weights[0], member.biases[0], member.weights[1][0], member.biases[1][0]
            h = lambda x: sum(v[i] * max(W[i][0] * x + b[i], 0) for i in range(3)) + e  # noqa: E731
            assert any(h(fmpq(x, 4)) < 0 for x in range(-200, 201)), (roles, member)
            checked += 1
    assert checked >= 8
    assert F.component_of(net)[0] in (1, -1)        # theta itself: h' = h, a translation


@pytest.mark.parametrize("breaks, left, at0, n1", [
    ([(0, -3)], 0, 1, 3),                         # one kink, one N-interval
    ([(0, 2), (1, -4)], 0, -1, 4),                # a bounded positive part: two kinks, two N-intervals
    ([(0, 2), (2, 1)], -1, -1, 4),                # |s| - 1 + s(s - 2): a bounded N-interval, a kink
])
@pytest.mark.parametrize("tag", ["A", "Cp"])           # Cp leaves its flat types (g = sigma(T)) to piece C
def test_the_index_counts_the_coincident_types_it_yields(breaks, left, at0, n1, tag):
    T = LinePL.of([(fmpq(x), fmpq(j)) for x, j in breaks], fmpq(left), fmpq(at0))
    net = sa.Network.from_arrays([[[1]] * n1, [[0] * n1], [[1]]], [[0] * n1, [1], [0]])
    piece = TypedSlotPiece(tag, net, (fmpq(1),), SlotCalculus(T, n1), 1, fmpq(0))
    listed = list(piece.index)
    assert len(listed) == len(set(listed)) == piece.index.exact_size
    assert any(coincident(roles) for _, roles in listed)
    simple = [roles for _, roles in listed if not coincident(roles)]
    assert listed[:len(simple)] == [(tag, roles) for roles in simple]         # the simple types first
    flat = [r for _, r in listed if not any(role[0] == "H" for role in r) and piece.S.flat(*piece._split(r)[0])]
    assert tag == "A" or flat == []


@pytest.mark.parametrize("n0", [1, 2])
def test_every_member_with_a_shared_point_is_listed(n0):
    # random parameters with two neurons on one point: where that point lies inside an N-interval of h (their
    # jumps not cancelling), the parameter, a member of its own fibre, lies in a listed shared type
    rng, checked = random.Random(40 + n0), 0
    for _ in range(300):
        net = line_net(rng, n0, rng.choice([3, 4]))
        (W, b), v = (net.weights[0], net.biases[0]), net.weights[1][0]
        if b[0] * W[1][0] != b[1] * W[0][0] or v[0] * abs(W[0][0]) + v[1] * abs(W[1][0]) == 0:
            continue
        try:
            L = LineFibre(net)
        except sa.ArchitectureError:
            continue
        mu, t, ov = L._split(net)
        p = -ov.b[0] / ov.w[0][L.p]        # the place of neurons 0 and 1 on the line (as the fibre reads it)
        if not any((a is None or p > a) and (z is None or p < z) for a, z, _, _ in L.slots["A"].S.nints):
            continue
        if sum(1 for i in range(len(ov.b)) if ov.w[i][L.p] and -ov.b[i] / ov.w[i][L.p] == p) != 2:
            continue
        j = L.locate(net)
        assert j is not None and coincident(j[1]) and L.build(j).contains(net), net
        checked += 1
    assert checked >= 8
