"""Case-(a) fibres whose first-layer rows span 2 <= r < min(n0, n1) dimensions (issue 17, item 4): members are
reduced r-input members lifted plus inert, constant and phantom neurons (subspace_fibre). Oracles independent of
the fibre code: ``semialg.equivalent``, exact evaluation at rational points and the exact functional dimension
(D - dim_fun bounds the local dimension of the fibre from above)."""

from __future__ import annotations

import functools
import random

import pytest
from flint import fmpq

import semialg as sa
from semialg import Network
from semialg.engine.functional_dimension import functional_dimension
from semialg.errors import UndecidedError
from semialg.families.bottleneck.fibre import fibre
from semialg.families.bottleneck.subspace_fibre import SubspaceFibre, live_rank
from semialg.families.bottleneck.hidden_labels import SlotIndex, forces_degenerate
from semialg.families.bottleneck.types import combinatorial_type


@functools.lru_cache(maxsize=None)
def _planted(seed: int, n0: int, n1: int):
    """Random (n0, n1, 1, 1) parameters whose live rows span 2 dimensions, regime PN, routed to the subspace fibre
    with a decided dimension; or ``None``."""
    rng = random.Random(seed)
    q = lambda: rng.randint(-3, 3)  # noqa: E731
    A = [[q() for _ in range(2)] for _ in range(n1)]
    B = [[q() for _ in range(n0)] for _ in range(2)]
    W = [[sum(A[i][t] * B[t][j] for t in range(2)) for j in range(n0)] for i in range(n1)]
    net = Network.from_arrays([W, [[q() for _ in range(n1)]], [[q() or 1]]], [[q() for _ in range(n1)], [q()], [0]])
    if live_rank(net) != 2 or combinatorial_type(net).regime != "PN":
        return None
    F = fibre(net)
    if not isinstance(getattr(F._sampler, "__self__", None), SubspaceFibre):
        return None
    try:
        F.dimension
    except UndecidedError:
        return None
    return net, F


_SEEDS = {(3, 3): (4, 5), (3, 4): (0, 3), (4, 3): (0, 4)}   # seeds with a decided dimension (found by a scan)


def _cases(n0: int, n1: int, count: int):
    return [s for s in _SEEDS[(n0, n1)] if _planted(s, n0, n1) is not None][:count]


def _agree(a: Network, b: Network, rng: random.Random, n: int = 12) -> bool:
    """Exact evaluation at random rational points."""
    n0 = a.architecture.input_dim
    for _ in range(n):
        x = [fmpq(rng.randint(-30, 30), rng.randint(1, 7)) for _ in range(n0)]
        if a(x) != b(x):
            return False
    return True


def _example():
    """Rows (1,0,0), (0,1,0), (-1,-1,0) (P a bounded region of the x1, x2 plane times the x3 axis) and a dead
    neuron off their span: r = 2 < 3 = min(n0, n1)."""
    return Network.from_arrays([[[1, 0, 0], [0, 1, 0], [-1, -1, 0], [0, 0, 1]], [[-1, -2, -1, 0]], [[1]]],
                               [[0, 0, 0, 2], [1], [0]])


@functools.lru_cache(maxsize=None)
def _example_fibre():
    return fibre(_example())


@pytest.mark.parametrize("n0,n1", [(3, 3), (3, 4), (4, 3)])
def test_samples_are_members_and_located(n0, n1):
    """Samples of random components compute f (equivalent and exact evaluation), lie in their basic set, are
    located in it and in no other sampled component (disjointness); every listed component is non-empty."""
    seeds = _cases(n0, n1, 2)
    assert seeds
    rng = random.Random(n0 * 10 + n1)
    for s in seeds:
        net, F = _planted(s, n0, n1)
        idx = list(F.index)
        assert len(idx) == F.num_components
        picked = rng.sample(idx, min(5, len(idx)))
        points = [(j, F.sample(rng.randrange(1000), j)) for j in picked]
        for j, x in points:
            assert bool(sa.equivalent(x, net)) and _agree(x, net, rng)
            assert F.build(j).contains(x) and F.locate(x) == j and F.contains(x)
            for i, _ in points:
                if i != j:
                    assert not F.build(i).contains(x)


@pytest.mark.parametrize("n0,n1", [(3, 4), (4, 3)])
def test_perturbations_leave_the_fibre(n0, n1):
    """A sample with one parameter of the first two layers moved (a row tilted off the span, a bias, an output
    weight) computes another function and is neither contained nor in its component; ``contains`` agrees with
    ``equivalent``."""
    rng = random.Random(7)
    for s in _cases(n0, n1, 2):
        net, F = _planted(s, n0, n1)
        j = rng.choice(list(F.index))
        x = F.sample(3, j)
        theta = list(x.parameters())
        moved = 0
        for k in rng.sample(range(n0 * n1 + 2 * n1 + 1), 6):
            y = list(theta)
            y[k] += fmpq(1, 3)
            y = Network.from_parameters(net.architecture, y)
            same = bool(sa.equivalent(y, net))
            assert F.contains(y) == same and (not same or _agree(y, net, rng))
            moved += not same
            if not same:
                assert not F.build(j).contains(y)
        assert moved >= 1


def test_hand_built_members():
    """Members built by hand: theta itself (its dead neuron inert), the dead neuron replaced by a constant one
    (e compensating), a reduced member lifted with rescaled rows and the dead row moved, and a phantom pair off
    the span replacing the dead neuron in a width-5 copy."""
    net = _example()
    F = _example_fibre()
    assert isinstance(F._sampler.__self__, SubspaceFibre)
    rng = random.Random(0)
    members = [net,
               Network.from_arrays([[[1, 0, 0], [0, 1, 0], [-1, -1, 0], [0, 0, 0]], [[-1, -2, -1, 5]], [[1]]],
                                   [[0, 0, 0, 2], [1 - 10], [0]]),
               Network.from_arrays([[[2, 0, 0], [0, 3, 0], [-1, -1, 0], [5, -1, 7]],
                                    [[fmpq(-1, 2), fmpq(-2, 3), -1, 0]], [[1]]], [[0, 0, 0, -4], [1], [0]])]
    for m in members:
        assert bool(sa.equivalent(m, net)) and _agree(m, net, rng)
        j = F.locate(m)
        assert F.contains(m) and j is not None and F.build(j).contains(m)


@pytest.mark.slow
def test_phantom_group_off_the_span():
    """n1 = 5: theta's three neurons in the span, two dead; a member with a phantom pair on a hyperplane off the
    span (jumps cancel, same orientation: no affine part), located in a type with a phantom group."""
    net = Network.from_arrays([[[1, 0, 0], [0, 1, 0], [-1, -1, 0], [0, 0, 1], [0, 0, 1]], [[-1, -2, -1, 0, 0]],
                               [[1]]], [[0, 0, 0, 2, 0], [1], [0]])
    F = fibre(net)
    pair = Network.from_arrays([[[1, 0, 0], [0, 1, 0], [-1, -1, 0], [1, 0, 3], [2, 0, 6]], [[-1, -2, -1, 2, -1]],
                                [[1]]], [[0, 0, 0, 1, 2], [1], [0]])
    assert bool(sa.equivalent(pair, net)) and _agree(pair, net, random.Random(2))
    j = F.locate(pair)
    assert j is not None and F.build(j).contains(pair) and any(r[0] == "P" for r in j[3])
    assert F.dimension == _example_fibre().dimension + 4       # one more neuron, inert: n0 + 1 more


@pytest.mark.parametrize("n0,n1", [(3, 3), (3, 4), (4, 3)])
def test_dimension_against_the_functional_dimension(n0, n1):
    """D - dim_fun at any member bounds the local dimension from above, so at a sample of a largest component it
    is at least F.dimension; at samples whose other neurons are inert and whose reduced part is all visible it
    equals the component's dimension (there the map is a submersion onto its image)."""
    rng = random.Random(n0 + n1)
    for s in _cases(n0, n1, 2):
        net, F = _planted(s, n0, n1)
        parts = F._sampler.__self__
        D = len(net.parameters())
        top = [j for j in F.index if parts.fibres[j[0]].dimension + (n1 - j[0]) * (n0 + 1) == F.dimension
               and all(r[0] == "D" for r in j[3])]
        assert top
        for j in rng.sample(top, min(2, len(top))):
            x = F.sample(rng.randrange(100), j)
            assert D - functional_dimension(x).value >= F.dimension


def test_example_dimension_is_exact():
    """The module's example: three visible neurons in the plane of x1, x2 and an inert one; the dimension 8 =
    (mu and three scales) + n0 + 1 equals D - dim_fun at theta and at samples, and the local dimension."""
    net = _example()
    F = _example_fibre()
    D = len(net.parameters())
    assert F.dimension == 8 == D - functional_dimension(net).value == F.local_dimension()
    for k in range(3):
        x = F.sample(k)
        assert D - functional_dimension(x).value >= F.local_dimension(x) if _inert_off(F, x) else True


def _inert_off(F, x) -> bool:
    try:
        F.local_dimension(x)
    except UndecidedError:
        return False
    return True


def test_refused_before_listed_now():
    """Rank-2 parameters with n0 = 3 were refused ('full first-layer rank' cannot hold for any member); the
    subspace fibre lists them, and every component's LaTeX renders."""
    F = _example_fibre()
    assert F.num_components > 0 and "on-space" in F.component(next(iter(F.index))).label
    assert F.to_latex()


def test_tilted_row_leaves_the_fibre():
    """A neuron of theta's span tilted off it puts a lone kink into P: not a member."""
    net = _example()
    F = _example_fibre()
    tilted = Network.from_arrays([[[1, 0, fmpq(1, 3)], [0, 1, 0], [-1, -1, 0], [0, 0, 1]], [[-1, -2, -1, 0]],
                                  [[1]]], [[0, 0, 0, 2], [1], [0]])
    assert not bool(sa.equivalent(tilted, net)) and not F.contains(tilted) and F.locate(tilted) is None


def test_dead_slots_of_any_row_are_listed():
    """The refusal's own example (representative tests, 'dead e3'): every row and bias of the dead neuron keeps
    f, also rows off the plane x3 = 0 (members of full rank); each such member is contained and located, in an
    inert type, and the dimension counts its n0 + 1 parameters."""
    net = Network.from_arrays([[[1, 0, 0], [0, 1, 0], [-1, -2, 0], [0, 0, 1]], [[-1, -1, -1, 0]], [[1]]],
                              [[0, 0, 0, 2], [1], [0]])
    F = fibre(net)
    rng = random.Random(5)
    W = [[list(w) for w in net.weights[0]], [list(net.weights[1][0])], [[1]]]
    B = [list(net.biases[0]), [net.biases[1][0]], [0]]
    for _ in range(3):
        W[0][3] = [fmpq(rng.randint(-9, 9)) for _ in range(3)]
        B[0][3] = fmpq(rng.randint(-9, 9))
        member = Network.from_arrays(W, B)
        assert bool(sa.equivalent(member, net)) and _agree(member, net, rng)
        j = F.locate(member)
        assert j is not None and j[3] == (("D",),) and F.build(j).contains(member)
    assert F.dimension >= 4 + 1 + 3 and F.dimension <= len(net.parameters()) - functional_dimension(net).value


def test_reduced_network_with_a_zero_row_is_described():
    """Regression: a reduced network padded with a zero row (a dead slot, w = 0) made the hidden region zip the
    neurons with non-zero rows against all neurons' classes (ValueError). Its width is described now; samples of
    the components of that width compute f and are located there (the reduced components with a dead slot, which
    are width-4 types with an inert neuron, are not listed twice)."""
    net = Network.from_arrays([[[1, 2, -3, 0], [0, -3, 6, 6], [0, 3, -6, -6], [-5, -8, 11, -4], [4, 6, -8, 4]],
                               [[0, -3, -2, 2, 3]], [[1]]], [[0, 3, 2, -2, -2], [-1], [0]])
    S = SubspaceFibre(net, fibre)        # what fibre(net) lists (its index, samples and locations are S's)
    assert 5 in S.fibres and 5 not in S.undescribed
    rng = random.Random(60)
    picked = [j for j in S.index if j[0] == 5]
    assert picked
    for j in rng.sample(picked, min(8, len(picked))):
        x = S.sample(rng.randrange(1000), j)
        assert bool(sa.equivalent(x, net)) and _agree(x, net, rng) and S.locate(x) == j


def _hits(F, x) -> list:
    return [j for j in F.index if F.build(j).contains(x)]


_SHARED = Network.from_arrays([[[0, 9, 9, -3], [0, 9, 9, -3], [0, -8, -10, 5], [0, 3, 3, -1]], [[1, -2, -1, -2]],
                               [[3]]], [[-3, 1, 3, -1], [1], [2]])


def test_a_constant_neuron_is_in_one_type_only():
    """Audit: w' = 0 with v' != 0 was both a constant neuron (role C+) and an on-space hidden neuron with a zero
    row of a wider reduced component; on-space neurons are live with non-zero rows (the theorem's split)."""
    net = Network.from_arrays([[[3, 0, 0], [3, 0, 0], [-6, -3, 1]], [[0, -1, 1]], [[-2]]], [[1, -2, -1], [-2], [3]])
    y = Network.from_arrays([[[0, 0, 0], [3, 0, 0], [-6, -3, 1]], [[1, -1, 1]], [[-2]]], [[2, -2, -1], [-4], [3]])
    assert _agree(y, net, random.Random(1)) and bool(sa.equivalent(net, y))
    F = fibre(net)
    assert _hits(F, y) == [F.locate(y)] and F.locate(y)[3] == (("C+",),)


def test_on_space_neurons_sharing_a_hyperplane_are_located():
    """Audit: theta has two on-space (hidden) neurons on one hyperplane whose jumps do not cancel; the reduced
    fibre lists it, and locate now reads it off (shared hyperplanes in R are on-space, not phantom groups)."""
    F = fibre(_SHARED)
    assert _hits(F, _SHARED) == [F.locate(_SHARED)] == [F.component_of(_SHARED)]


def test_a_pair_with_rows_in_the_span_is_not_a_phantom_group():
    """Audit: two neurons on one hyperplane in R with cancelling jumps were listed as a phantom group and as
    on-space neurons; phantom groups are off R (the theorem), so only the on-space type contains it."""
    y = Network.from_arrays([[["0", "4/3", "4/3", "-4/9"], ["0", "-5/7", "-25/28", "25/56"], [0, 1, 2, "-3/2"],
                              [0, 2, 4, -3]], [[-6, "-224/45", 1, "-1/2"]], [["27/4"]]],
                            [["4/27", "15/56", 1, 2], ["4/9"], [2]])
    assert _agree(y, _SHARED, random.Random(2)) and bool(sa.equivalent(_SHARED, y))
    F = fibre(_SHARED)
    hits = _hits(F, y)
    assert len(hits) <= 1 and (not hits or hits == [F.locate(y)]) and all(r[0] != "P" for j in hits for r in j[3])


def test_reduced_components_with_dead_or_constant_slots_are_not_listed():
    """Audit: reduced line fibres mark dead and constant slots ('D', 'C+', 'C-'); such components are width-(k-1)
    types with an inert or constant neuron and were listed twice. Samples of random components are located at
    their own index and lie in no other sampled component."""
    net = Network.from_arrays([[[0, 9, 9], ["1/2", "-9/2", -4], [1, -9, -8], [0, 3, 3]], [[1, -2, 1, -2]], [[-1]]],
                              [[-2, "-3/2", -3, 1], [3], [-1]])
    F = fibre(net)
    idx = list(F.index)
    assert not any(r in (("D",), ("C+",), ("C-",)) for j in idx for r in j[1][1])
    rng = random.Random(3)
    others = rng.sample(idx, min(60, len(idx)))
    for j in rng.sample(idx, min(8, len(idx))):
        x = F.sample(rng.randrange(1000), j)
        assert bool(sa.equivalent(x, net)) and _agree(x, net, rng) and F.locate(x) == j
        assert [i for i in set(others) | {j} if F.build(i).contains(x)] == [j]


def test_types_are_counted_without_enumerating_the_reduced_fibres():
    """The reduced fibre of width 4 is typed (twin rows), and 72 of its 156 non-empty types have a dead or constant
    slot; the closed-form count of the live ones (the shallow type count without the degenerate roles) gives the
    number of types the index enumerates."""
    net = Network.from_arrays([[[0, 9, 9], [0, 9, 9], [1, -9, -8], [0, 3, 3]], [[1, -2, 1, -2]], [[-1]]],
                              [[-2, 3, -3, 1], [3], [0]])
    F = fibre(net)
    S = F._sampler.__self__
    reduced = S.fibres[4]
    assert (reduced.index.exact_size, reduced.index.live_size) == (156, 84)
    assert reduced.index.live_size == sum(1 for j in reduced.index if all(r[0] in ("K", "P") for r in j))
    assert F.num_components == sum(1 for _ in F.index)


def test_the_budget_stops_the_checks_of_reduced_networks():
    """A planted 10-7-1-1 parameter (rank 6 < 10, a dead constant neuron, an unused one): the construction checks
    dozens of reduced networks computing F exactly (minutes while each check enumerated the joint arrangement, about
    3 s since the inner network's moves and refutation on lines decide them); a small budget ends it with an
    undecided answer saying what was done."""
    W = [[0] * 10, [-1, 2, -1, -1, -2, 3, -3, 2, -2, 2], [2, -1, 0, -2, 2, -3, -3, 1, 1, 0],
         [-3, -2, 2, 1, -1, 3, -1, 0, 2, 0], [-2, -3, 2, -3, 3, 0, -1, 3, -2, -2], [2, 1, -2, 2, 3, 0, -3, -2, 0, -1],
         [-2, -3, 3, 0, -1, -2, 0, 1, 3, -2]]
    net = Network.from_arrays([W, [[1, 0, 2, 2, -1, -2, 2]], [[1]]], [[-2, 0, 0, 2, 2, -1, 0], [1], [0]])
    with pytest.raises(UndecidedError, match="time budget was spent; done: "):
        fibre(net, budget=0.05)


def test_no_spare_slot_when_the_residual_fits_no_neuron():
    """g = s(3y1 - y2 + 1) - 2 s(-(3y1 - y2 + 1)/2) + 2 s(y1 - y2 + 3) + 2 = 2 s(y1 - y2 + 3) + 3y1 - y2 + 3 on the
    span of (3, -1, 0) and (1, -1, -2): one seen kink (q = 1), width 1 empty. A width-2 reduced member would put a
    second neuron either on the seen line (an affine part parallel to (1, -1)) or on a line of its own missing P,
    affine on it (active on all of P: P lies in no half-plane here); but g minus the kink neuron, either way round,
    is one affine function of gradient (3, -1) or (5, -3) on P — so width 2 is empty and the fibre's dimension is
    the width-3 part's 5, not the padded bound 6 (by hand; D - dim_fun at the member agrees)."""
    net = Network.from_arrays([[[3, -1, 0], ["-3/2", "1/2", 0], [1, -1, -2]], [[1, -2, 2]], [[1], [-2]]],
                              [[1, "-1/2", 3], [2], [0, 0]])
    F = sa.fibre(net)
    parts = SubspaceFibre(net, fibre)
    assert parts.q == 1 and {1, 2} <= parts.empty and parts._no_spare_slot()
    assert F.dimension == 5 == len(net.parameters()) - functional_dimension(net).value == F.local_dimension()


def test_hidden_neuron_reduced_fibres_are_counted_by_label_class():
    """Rows in the x1, x2 plane (P bounded) with far hidden neurons: the reduced fibres of widths 4 and 5 are
    hidden-neuron fibres (slot labellings); their live labellings are counted per label class, as many as the
    enumeration finds, and the fibre's count is the number of types its index lists."""
    net = Network.from_arrays([[[1, 0, 0], [0, 1, 0], [-1, -1, 0], [1, 1, 0], [2, 1, 0]], [[-1, -2, -1, -1, -1]],
                               [[1]]], [[0, 0, 0, -10, -20], [1], [0]])
    F = fibre(net)
    S = F._sampler.__self__
    slotted = [f.index for f in S.fibres.values() if isinstance(f.index, SlotIndex)]
    assert len(slotted) == 2
    for index in slotted:
        assert index.live_size == sum(1 for j in index if not forces_degenerate(j)) <= index.exact_size
    assert F.num_components == sum(1 for _ in F.index)


def test_on_space_neurons_cancelling_on_a_hyperplane_may_leave_the_span():
    """Neurons 1 and 4 of this member are positive twins whose jumps cancel (-3/16 * 4/3 + 3/4 * 1/3 = 0): the pair
    computes 0 and may tilt out of R together, a direction the reduced fibre does not see, so its local dimension
    (9) is only a lower bound here (an explicit 10-parameter family of members passes through it)."""
    W1 = [["1/2", "-1", "0"], ["1/2", "-1/2", "-1/2"], ["-1/2", "1/2", "1/2"], ["0", "1", "-1"], ["0", "-1", "1"]]
    net = Network.from_arrays([W1, [["-1", "0", "-3", "0", "1"]], [["1/2"], ["-2"]]], [["0"] * 5, ["2"], ["0", "-1/2"]])
    member = Network.from_arrays(
        [[[5, -10, 0], ["4/3", "-4/3", "-4/3"], ["-5/3", "5/3", "5/3"], [0, -5, 5], ["1/3", "-1/3", "-1/3"]],
         [["-1/20", "-3/16", "-9/20", "1/10", "3/4"]], [[1], [-4]]], [[0] * 5, [1], [0, "-1/2"]])
    tilted = Network.from_arrays(      # the pair on the hyperplane x1 + 2 x2 + 3 x3 + 1 = 0, off R
        [[[5, -10, 0], [1, 2, 3], ["-5/3", "5/3", "5/3"], [0, -5, 5], [2, 4, 6]],
         [["-1/20", 1, "-9/20", "1/10", "-1/2"]], [[1], [-4]]], [[0, 1, 0, 0, 2], [1], [0, "-1/2"]])
    rng = random.Random(0)
    for _ in range(100):
        x = [fmpq(rng.randint(-50, 50), rng.randint(1, 9)) for _ in range(3)]
        assert member(x) == net(x) == tilted(x)
    F = fibre(net, budget=30)
    assert F.contains(member) and F.contains(tilted)
    assert F.local_dimension(member, "undecided") in ("undecided", 10, 11)


def test_sampling_a_fibre_with_no_listed_component_says_so():
    W1 = [[-1, -1, -1], [1, 1, -1], [1, 1, -1], [0, 0, 0], [1, 1, 1]]
    net = Network.from_arrays([W1, [[-1, 1, -1, 1, -1]], [[-1]]], [[1, 1, -1, 1, -1], [1], [1]])
    F = fibre(net, budget=30)
    assert F.contains(net) and F.num_components == 0
    with pytest.raises(UndecidedError, match="no component of this fibre is listed"):
        F.sample(seed=0)
