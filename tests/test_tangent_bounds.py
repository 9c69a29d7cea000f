"""First-order bounds on a fibre's local dimension (semialg.engine.tangent), against fibres that decide it.

The shallow typed fibres decide the local dimension from their types (no use of these bounds), the bottleneck
fibres from their components; both must lie between the bounds. Hand-computed fibres fix exact values.
"""

from __future__ import annotations

import itertools
import random

import pytest
from flint import fmpq
from hypothesis import HealthCheck, given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.core.exact import rank
from semialg.engine.functional_dimension import functional_dimension
from semialg.engine.regions import decisive_batch, parameter_jacobian
from semialg.engine import tangent
from semialg.engine.tangent import linear_moves, local_dimension_bounds
from semialg.errors import ArchitectureError, UndecidedError
from semialg.families.bottleneck.local import local_dimension_bounds as bottleneck_bounds


def test_hand_computed_fibres():
    # 3 s(2x + 1): a w = 6, a b = 3, c = 0 near theta -- a curve
    assert local_dimension_bounds(Network.from_arrays([[[2]], [[3]]], [[1], [0]])) == (1, 1)
    # |x| = s(x) + s(-x): both kinks pinned at 0 (b = b' = 0, c = 0, a w = 1 = a'|w'|): dimension 2 < 3
    assert local_dimension_bounds(Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 0], [0]])) == (2, 3)
    # the zero network of widths 1-1-1: {c = 0, a = 0} and {c = 0, w = 0, b <= 0}, dimension 2 (the unused
    # neuron's w and b); no input is smooth (the neuron vanishes identically)
    assert local_dimension_bounds(Network.from_arrays([[[0]], [[0]]], [[0], [0]])) == (2, 4)
    # h = 1/3 constant (second-layer weights 0) in 2-4-1-1: each first-layer neuron is unused (w, b free: 12),
    # and e', c' are free with d' = d + c e - c' e' (2): 14 of 19, which the Jacobian bound meets
    const = Network.from_arrays([[[1, 2], [-1, 1], [3, -1], [0, 1]], [[0, 0, 0, 0]], [[2]]],
                                [[1, -1, 0, 2], ["1/3"], [1]])
    assert local_dimension_bounds(const) == (14, 14)
    assert sa.fibre(const).local_dimension() == 14
    # x = s(x) - s(-x): the affine line translates (b, b' = t, -t; c = -t) besides the two rescalings; the fibre
    # {w b' = w' b, a|w| = a'|w'|, a w = 1, orientations opposite} has dimension 7 - 4 = 3
    identity = Network.from_arrays([[[1], [-1]], [[1, -1]]], [[0, 0], [0]])
    assert local_dimension_bounds(identity) == (3, 3)
    assert sa.fibre(identity).local_dimension() == 3


def test_an_affine_line_of_a_deep_layer_translates():
    # second hidden layer: s(y1 + y2) - s(-y1 - y2) = y1 + y2, then the output bias compensates
    net = Network.from_arrays([[[1], [2]], [[1, 1], [-1, -1]], [[3, -3]]], [[0, 1], [0, 0], [1]])
    theta = net.parameters()
    translations = [v for v in linear_moves(net) if v[8] != 0]     # b of the second layer's first neuron
    assert len(translations) == 1
    xs = [[fmpq(p, 3)] for p in range(-12, 13)]
    for t in (fmpq(1, 2), fmpq(-5)):      # exact for every amount: the identity holds globally
        moved = Network.from_parameters(net.architecture, [a + t * b for a, b in zip(theta, translations[0])])
        assert all(moved(x) == net(x) for x in xs)


@pytest.mark.parametrize("widths, seed", [((2, 3, 2, 1), 0), ((2, 2, 2, 2), 1), ((1, 3, 3, 1), 2)])
def test_full_functional_dimension_pins_the_local_dimension(widths, seed):
    net = Network.random(widths, seed=seed, height=5)
    fd = functional_dimension(net)
    lower, upper = local_dimension_bounds(net)
    assert lower == fd.num_parameters - fd.upper_bound          # one rescaling per hidden neuron, no other move
    # a random network has no neuron vanishing on a region: every region is smooth, the ranks agree
    assert upper == fd.num_parameters - fd.value
    if fd.value == fd.upper_bound:
        assert upper == lower


_entries = st.sampled_from([0, 0, 1, -1, 2, -2, "1/2"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 2), st.integers(1, 3), st.data())
def test_shallow_local_dimension_lies_between_the_bounds(n0, n1, data):
    W1 = [[data.draw(_entries) for _ in range(n0)] for _ in range(n1)]
    b1 = [data.draw(_entries) for _ in range(n1)]
    W2 = [[data.draw(_entries) for _ in range(n1)]]
    net = Network.from_arrays([W1, W2], [b1, [data.draw(_entries)]])
    try:
        value = sa.fibre(net).local_dimension()
    except UndecidedError:
        return
    lower, upper = local_dimension_bounds(net)
    assert lower <= value <= upper


def _planted(rng: random.Random) -> Network:
    """A case-(a) bottleneck parameter with a planted zero bias, zero row or output weight."""
    n0, n1 = rng.choice([1, 2, 2]), rng.choice([2, 3])
    q = lambda: rng.choice([0, 1, -1, 2, -2, "1/2", 3])  # noqa: E731
    W = [[[q() for _ in range(n0)] for _ in range(n1)], [[q() for _ in range(n1)]], [[q()]]]
    b = [[q() for _ in range(n1)], [q()], [q()]]
    i = rng.randrange(n1)
    kind = rng.choice("zbd")
    if kind == "z":
        b[0][i] = 0
    elif kind == "b":
        W[0][i] = [0] * n0
    else:
        W[1][0][i] = 0
    return Network.from_arrays(W, b)


@pytest.mark.parametrize("seed", range(12))
def test_bottleneck_local_dimension_lies_between_the_bounds(seed):
    net = _planted(random.Random(seed))
    try:
        F = sa.fibre(net, budget=20)
        value = F.local_dimension()
    except (ArchitectureError, UndecidedError) as err:
        if isinstance(err, UndecidedError) and "between" in str(err):
            lower, upper = bottleneck_bounds(net)      # narrowed by the fibre's own bounds, never widened
            assert lower <= err.bounds[0] < err.bounds[1] <= upper
            assert "between {} and {}".format(*err.bounds) in str(err)
        return
    lower, upper = local_dimension_bounds(net)
    assert lower <= value <= upper
    assert bottleneck_bounds(net)[0] <= value <= bottleneck_bounds(net)[1]


_moves_entries = st.sampled_from([0, 0, 0, 1, -1, 2, "1/2", -3])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([(1, 2, 1), (2, 2, 1), (1, 2, 2, 1), (2, 1, 2, 2), (1, 2, 1, 2, 1)]), st.data())
def test_each_linear_move_keeps_the_function_exactly(widths, data):
    # independent check: exact evaluation of theta + t v at rational inputs, kinks included
    Ws = [[[data.draw(_moves_entries) for _ in range(widths[l])] for _ in range(widths[l + 1])]
          for l in range(len(widths) - 1)]
    bs = [[data.draw(_moves_entries) for _ in range(widths[l + 1])] for l in range(len(widths) - 1)]
    net = Network.from_arrays(Ws, bs)
    theta = net.parameters()
    xs = [[fmpq(p, 4) for p in point] for point in itertools.product(range(-9, 10, 3), repeat=widths[0])]
    for v in linear_moves(net):
        for t in (fmpq(1, 1000), fmpq(-1, 997)):
            moved = Network.from_parameters(net.architecture, [a + t * b for a, b in zip(theta, v)])
            assert all(moved(x) == net(x) for x in xs)


@pytest.mark.parametrize("widths, seed", [((2, 3, 2, 1), 3), ((1, 3, 3, 1), 4), ((3, 4, 1, 2), 5), ((2, 2, 2, 2), 6)])
def test_random_inputs_and_the_region_enumeration_agree(widths, seed):
    # the upper bound from every region's points (independent path: the decisive batch) against the answer,
    # which random inputs may settle first
    net = Network.random(widths, seed=seed, height=4)
    rows = [row for x, pattern in decisive_batch(net) if not any(0 in layer for layer in net.activation_pattern(x))
            for row in parameter_jacobian(net, x, pattern)]
    lower, upper = local_dimension_bounds(net, budget=None)
    assert upper == net.architecture.num_parameters - rank(rows)
    assert sa.local_dimension_bounds(net, budget=None)[1] <= upper


def test_a_spent_budget_still_gives_proven_bounds():
    # budget 0: no random input and no region is looked at; the bounds are the moves and the trivial upper one
    net = Network.random((4, 6, 6, 2), seed=1, height=4)
    lower, upper = local_dimension_bounds(net, budget=None)
    assert local_dimension_bounds(net, budget=0) == (lower, net.architecture.num_parameters)
    assert sa.local_dimension_bounds(net, budget=0)[0] == lower
    with pytest.raises(sa.ParameterError, match="budget"):
        sa.local_dimension_bounds(net, budget=-1)


def test_a_spent_budget_skips_the_extras():
    # the extra equations and moves are more work: once the budget is spent they are not asked for
    net = Network.from_arrays([[[1], [2], [0]], [[1, -1, 2]], [[1]]], [[0, 0, -1], [1], [0]])   # twins, a dead neuron
    asked = []

    def extras():
        asked.append(True)
        return [], [], [], []
    assert local_dimension_bounds(net, extras, budget=0) == local_dimension_bounds(net, budget=0) and not asked
    local_dimension_bounds(net, extras, budget=None)
    assert asked


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([(2, 3, 1), (3, 4, 4, 2), (1, 2, 2, 2, 3), (4, 5, 3, 1)]), st.integers(0, 10 ** 6), st.data())
def test_the_modular_jacobian_is_the_exact_one_reduced(widths, seed, data):
    # independent path: exact backpropagation in rationals, then reduction modulo p
    from semialg.core.modular import residues
    from semialg.engine.jacobian import jacobian_mod, layers_mod
    net = Network.random(widths, seed=seed, height=5)
    x = [fmpq(data.draw(st.integers(-50, 50)), data.draw(st.sampled_from([1, 3, 64]))) for _ in range(widths[0])]
    pattern = net.activation_pattern(x)
    assert (jacobian_mod(layers_mod(net), x, pattern) == residues(parameter_jacobian(net, x, pattern))).all()


def _with_zero_neuron(rng, widths):
    """A random parameter whose neuron ``z`` of the first hidden layer has zero incoming weights and bias."""
    net = Network.random(widths, seed=rng.randrange(10 ** 6), height=3)
    W, B = [list(map(list, W)) for W in net.weights], [list(b) for b in net.biases]
    z = rng.randrange(widths[1])
    W[0][z], B[0][z] = [0] * widths[0], 0
    return Network.from_arrays(W, B), z


def test_zero_neurons_leave_their_parameters_free_and_the_rest_bounded():
    """A zero neuron (w = 0, b = 0) vanishes identically, so no input is smooth and the upper bound was D. It is
    now D minus the rank of the network without it. Hand-computed: 1-2-1 with 3 s(2x + 1) and a zero neuron of
    output weight 5 has the fibre {w' = 0, b' <= 0} x {v' free} x (the curve of the first neuron) near theta,
    dimension 3 (a w' != 0 would put a new kink into f; twins of the first neuron form a 2-dimensional piece)."""
    net = Network.from_arrays([[[2], [0]], [[3, 5]]], [[1, 0], [0]])
    assert local_dimension_bounds(net) == (3, 4)
    assert sa.fibre(net).local_dimension() == 3
    # the zero neuron's one-sided move points down: theta + t d keeps f for t > 0, not for t < 0
    (d,) = [d for d in tangent.move_directions(net) if d[3] != 0]

    def moved(t):
        return Network.from_parameters(net.architecture, [a + t * b for a, b in zip(net.parameters(), d)])
    assert sa.equivalent(net, moved(fmpq(1, 4))) and not sa.equivalent(net, moved(fmpq(-1, 4)))
    # the one-sided move keeps f exactly (independent evaluation with Fractions at the kink and beyond)
    lowered = Network.from_arrays([[[2], [0]], [[3, 7]]], [[1, "-1/4"], [0]])
    xs = [[fmpq(p, 4)] for p in range(-12, 13)]
    assert all(lowered(x) == net(x) for x in xs)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10 ** 6))
def test_zero_neuron_bounds_contain_the_fibres_local_dimension(seed):
    rng = random.Random(seed)
    widths = rng.choice([(1, 3, 1), (2, 3, 1), (2, 4, 1), (3, 3, 1), (1, 4, 2)])   # shallow: types decide
    net, _ = _with_zero_neuron(rng, widths)
    lower, upper = local_dimension_bounds(net)
    assert upper < net.architecture.num_parameters     # some input is smooth for the network without the neuron
    try:
        local = sa.fibre(net, budget=20).local_dimension()
    except (UndecidedError, ArchitectureError):
        return
    assert lower <= local <= upper


def test_bounds_beyond_memory_are_refused_at_once():
    # 784-256-256-10: exact ranks of 7850 x 269322 rationals (the moves alone crashed FLINT's allocator)
    with pytest.raises(UndecidedError, match=r"7850 x 269322 rationals would need 126\.\d GiB"):
        local_dimension_bounds(Network.random((784, 256, 256, 10), seed=0))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([(2, 3, 1), (3, 4, 1), (2, 4, 1, 2)]), st.integers(0, 10 ** 6), st.data())
def test_a_cancelling_zero_pair_parts_as_twins(widths, seed, data):
    """Two zero neurons of the first layer with output weights u_i > 0 > u_j: moving their rows and biases
    together, (w_j, b_j) = (w_i, b_i) u_i / (-u_j), keeps the function at any amount (exact evaluation at rational
    points, kinks included), and so does every move direction combined with random amounts, the output weights
    moved first and the pair's ratio read from them."""
    rng = random.Random(seed)
    net = Network.random(widths, seed=seed, height=3)
    W, B = [list(map(list, W)) for W in net.weights], [list(b) for b in net.biases]
    i, j = rng.sample(range(widths[1]), 2)
    for k, u in ((i, data.draw(st.sampled_from([1, 2, "1/2"]))), (j, data.draw(st.sampled_from([-1, -3, "-2/3"])))):
        W[0][k], B[0][k], W[1][0][k] = [0] * widths[0], 0, u
    net = Network.from_arrays(W, B)
    D, n0 = net.architecture.num_parameters, widths[0]
    (W_at, W2_at, *_), (b_at, *_) = tangent.parameter_offsets(net.architecture)
    pair = [d for d in tangent.move_directions(net) if any(d[W_at + i * n0 + q] for q in range(n0)) or d[b_at + i]]
    assert len(pair) == n0 + 1                  # the pair's own directions, instead of two lowered biases
    xs = [[fmpq(p, 3) for p in point] for point in itertools.product(range(-7, 8, 2), repeat=n0)]
    u = net.weights[1][0]
    assert all(d[W_at + j * n0 + q] == d[W_at + i * n0 + q] * u[i] / -u[j] for d in pair for q in range(n0))
    assert all(d[b_at + j] == d[b_at + i] * u[i] / -u[j] for d in pair)
    theta = list(net.parameters())
    amounts = [fmpq(data.draw(st.integers(-9, 9).filter(bool)), 7) for _ in pair]
    for k, du in ((i, fmpq(1, 5)), (j, fmpq(-2, 7))):    # output weights first (a constant neuron's trade)
        theta[W2_at + k] += du
    ratio = theta[W2_at + i] / -theta[W2_at + j]
    for a, d in zip(amounts, pair):
        for q in range(n0 + 1):
            at_i, at_j = (W_at + i * n0 + q, W_at + j * n0 + q) if q < n0 else (b_at + i, b_at + j)
            theta[at_i] += a * d[at_i]
            theta[at_j] += a * d[at_i] * ratio
    moved = Network.from_parameters(net.architecture, theta)
    assert any(moved.weights[0][i]) and all(moved(x) == net(x) for x in xs)


def test_a_cancelling_zero_pair_in_the_plane_by_hand():
    """h = s(0) - 2 s(0) + 3 s(x - 3y + 2) + 1 (two zero neurons): near theta the third neuron keeps its
    hyperplane and its jump (1: its scale), and the zero neurons either stay zero or dead (b' <= 0, v' free: 2 each)
    or part as twins with cancelling jumps, (w_2, b_2) = (w_1, b_1) v_1 / (-v_2) with v_1, v_2 free (3 + 2 = 5):
    6 in all; e' follows. The first-order moves now reach it, where the types gave 5."""
    inner = Network.from_arrays([[[0, 0], [0, 0], [1, -3]], [[1, -2, 3]]], [[0, 0, 2], [1]])
    assert local_dimension_bounds(inner)[0] == 6 and sa.fibre(inner).local_dimension() == 6
    # the bottleneck with that h (h >= 1 > 0, so f = c h + d): two more, mu and t of h' = mu h + t
    net = Network.from_arrays([[[0, 0], [0, 0], [1, -3]], [[1, -2, 3]], [[1], [-2]]], [[0, 0, 2], [1], [0, 0]])
    assert bottleneck_bounds(net)[0] == 8 and sa.fibre(net).local_dimension() == 8


def test_the_sampled_rows_bound_the_dimension_when_no_region_is_enumerated(monkeypatch):
    """6-16-1-1 with twins (neuron 1 = 2 x neuron 0, one sign of output weight): its fibre has dimension n1 + 2 = 18
    at theta (rescalings, mu, the twin trade; the seen kinks pin the rest: the bottleneck bounds meet there). With
    the region enumeration spent at once, the first-order upper bound is D minus the sampled rows' modular rank, not
    D: at least 18, and far below D = 131 (24 once the sampled rows reach the Jacobian's rank; the twins' common
    hyperplane may tilt at first order)."""
    rng = random.Random(616)
    W = [[rng.randint(-3, 3) for _ in range(6)] for _ in range(16)]
    b = [fmpq(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(16)]
    v = [rng.choice([-2, -1, 1, 2, 3]) for _ in range(16)]
    W[1], b[1], v[1] = [2 * x for x in W[0]], 2 * b[0], v[0]
    net = Network.from_arrays([W, [v], [[1]]], [b, [rng.randint(-2, 2)], [0]])
    assert bottleneck_bounds(net) == (18, 18)

    def spent(*args, **kwargs):
        raise UndecidedError("the budget is spent")
        yield

    monkeypatch.setattr(tangent, "decisive_points", spent)
    lower, upper = local_dimension_bounds(net)
    assert lower == 18 and 18 <= upper < net.architecture.num_parameters // 2


def test_extras_found_past_the_deadline_are_not_ranked(monkeypatch):
    """The extra equations and moves are asked for only before the deadline, but may take past it; their exact
    ranks with the enumerated rows (which no deadline cuts) are then not taken: the bounds of the sampled rows
    stand. Here the extras take the whole budget; with the old rule their rows were ranked a second time."""
    import time

    far = Network.from_arrays([[[1, 0], [0, 1], [0, -1], [-1, 0], [-1, 0]], [[1, -1, -1, -2, -1]], [[1]]],
                              [[0, 0, 0, 0, -5], [1], [0]])
    calls, real = [], tangent._bounds_with
    monkeypatch.setattr(tangent, "_bounds_with", lambda *a: calls.append(1) or real(*a))
    lower, upper = tangent.local_dimension_bounds(far, lambda: time.sleep(1.0) or ([], [], [], []), budget=0.5)
    assert calls == [1] and lower <= 9 <= upper          # 9: the hand-counted value of the local module
