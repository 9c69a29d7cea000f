"""Silent neurons waking behind silent neurons with v <= 0 (semialg.families.bottleneck.local_shadows).

Members of the stated family (shades moved anywhere in l_j + A with v'_j < 0, the shadowed rows any admissible
combination of theirs) are built independently of the module's directions and checked by the exact equivalence
decision and exact evaluation on a grid; the family's dimension is the rank of the exact Jacobian of that
parametrisation, compared with the rank of the module's directions; moves breaking the statement's inequalities
must change the function on the planted cases; the bounds are checked against a hand-counted fibre.
"""

from __future__ import annotations

import itertools
import random

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.core.exact import rank, sparse_vector
from semialg.engine.tangent import local_dimension_bounds as first_order_bounds, parameter_offsets
from semialg.families.bottleneck.local import local_dimension_bounds
from semialg.families.bottleneck.local_shadows import covered_neurons, shades_and_shadowed, shadow_directions, \
    shadow_lower_bound

GRID = {n0: [tuple(fmpq(p, 3) for p in point) for point in itertools.product(range(-90, 91, step), repeat=n0)]
        for n0, step in ((1, 5), (2, 11), (3, 30))}
_ZERO = fmpq(0)


def _planted(rng: random.Random, n0: int) -> Network:
    """An n0-n1-1-2 parameter with a shade (zero, constant zero or unused neuron with v <= 0) and a shadowed
    neuron (w = 0 >= b, v > 0) among neurons with small entries."""
    n1 = rng.randint(3, 5)
    W = [[rng.randint(-3, 3) for _ in range(n0)] for _ in range(n1)]
    b = [fmpq(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(n1)]
    v = [fmpq(rng.choice([-2, -1, 1, 2, 3])) for _ in range(n1)]
    shade = rng.choice(["zero", "constant", "unused"])
    if shade == "unused":
        v[1] = _ZERO
    else:
        W[1], b[1], v[1] = [0] * n0, fmpq(0 if shade == "zero" else -rng.randint(1, 3)), fmpq(-rng.randint(1, 2))
    W[2], b[2], v[2] = [0] * n0, fmpq(-rng.choice([0, 1, 3])), fmpq(rng.randint(1, 3))
    return Network.from_arrays([W, [v], [[1], [-1]]], [b, [rng.randint(-2, 1)], [0, 1]])


def _member(net: Network, rng: random.Random, scale: fmpq, violate: bool = False):
    """A member of the module docstring's family built from its statement: each shade's row moved by a random
    non-negative combination of the rows spanning A and its v lowered; each shadowed row a random admissible
    combination of the moved shade rows (``violate``: every t ten times too large); with the parametrisation's
    exact Jacobian (columns: the combination coefficients, the shades' v, the t's, the betas, the shadowed v's)."""
    shades, shadowed, inside = shades_and_shadowed(net)
    n0 = net.widths[0]
    W = [list(r) for r in net.weights[0]]
    b, v = list(net.biases[0]), list(net.weights[1][0])
    s = {(j, g): scale * fmpq(rng.randint(1, 9), 9) for j in shades for g in range(len(inside))}
    for j in shades:
        for g, a in enumerate(inside):
            W[j] = [x + s[j, g] * y for x, y in zip(W[j], a[:n0])]
            b[j] += s[j, g] * a[n0]
        v[j] -= scale * fmpq(rng.randint(1, 9), 9)
    t = {}
    for j in shades:        # sum_i v_i t_ij <= |v'_j|: split half of |v'_j| among the shadowed neurons
        for i in shadowed:
            t[i, j] = fmpq(rng.randint(1, 9), 9) * (-v[j]) / (2 * len(shadowed) * v[i]) * (10 if violate else 1)
    beta = {i: -scale * fmpq(rng.randint(1, 9), 9) for i in shadowed}
    for i in shadowed:
        W[i] = [sum((t[i, j] * W[j][p] for j in shades), _ZERO) for p in range(n0)]
        b[i] = sum((t[i, j] * b[j] for j in shades), _ZERO) + beta[i]
    member = Network.from_arrays([W, [v], [list(r) for r in net.weights[2]]],
                                 [b, list(net.biases[1]), list(net.biases[2])])
    D = net.architecture.num_parameters
    (W_at, v_at, _), (b_at, _, _) = parameter_offsets(net.architecture)

    def on_row(k, w, bias) -> list:
        return [(W_at + k * n0 + p, x) for p, x in enumerate(w)] + [(b_at + k, bias)]

    columns = [sparse_vector(D, *on_row(j, a[:n0], a[n0]),
                             *(e for i in shadowed for e in on_row(i, [t[i, j] * x for x in a[:n0]], t[i, j] * a[n0])))
               for j in shades for a in inside]
    columns += [sparse_vector(D, (v_at + j, fmpq(1))) for j in shades]
    columns += [sparse_vector(D, *on_row(i, W[j], b[j])) for i in shadowed for j in shades]
    columns += [sparse_vector(D, (b_at + i, fmpq(1))) for i in shadowed]
    columns += [sparse_vector(D, (v_at + i, fmpq(1))) for i in shadowed]
    return member, columns


def _cases(count: int, seed: int):
    rng, out = random.Random(seed), []
    while len(out) < count:
        net = _planted(rng, rng.choice([1, 2, 2, 3]))
        try:
            _, wakings, _, _ = shadow_directions(net)
        except Exception:       # noqa: BLE001 - a parameter the arrangement refuses: draw another
            continue
        if wakings:
            out.append(net)
    return out


def _dispensable_planted(rng: random.Random, n0: int) -> tuple[Network, int]:
    """``(net, j)``: h = g + v_j s(l_j) with g = e - K s(l_j + e/K) + (neurons with v < 0), so that P = {h > 0}
    lies in {l_j < 0} and h without neuron j (that is g) stays <= 0 off P: neuron j (index 0) is dispensable by
    construction; every neuron but the wall l_j + e/K is off at a point x0 where l_j + e/K < 0, so h(x0) = e > 0;
    a second row of A (l_j - 1) and a zero or shadowed neuron may join."""
    x0 = [rng.randint(-2, 2) for _ in range(n0)]          # in P: every neuron but the wall is off there
    e, K = fmpq(rng.randint(1, 3)), fmpq(rng.randint(1, 4))
    ell = [fmpq(rng.choice([-3, -2, -1, 1, 2, 3])) for _ in range(n0)]
    ell.append(-e / K - rng.randint(1, 2) - sum(w * x for w, x in zip(ell, x0)))
    W = [ell[:n0], ell[:n0]]
    b = [ell[n0], ell[n0] + e / K]
    v = [-fmpq(rng.randint(1, 3)), -K]
    for _ in range(rng.randint(0, 2)):
        W.append([fmpq(rng.randint(-3, 3)) for _ in range(n0)])
        b.append(-sum(w * x for w, x in zip(W[-1], x0)) - rng.randint(1, 3))
        v.append(-fmpq(rng.randint(1, 2)))
    extra = rng.choice(["second", "zero", "shadowed", "none"])
    if extra == "second":
        W.append(ell[:n0])
        b.append(ell[n0] - 1)
        v.append(-fmpq(rng.randint(1, 2)))
    elif extra != "none":
        W.append([0] * n0)
        b.append(fmpq(0 if extra == "zero" else -rng.randint(1, 2)))
        v.append(fmpq(-1 if extra == "zero" else rng.randint(1, 2)))
    return Network.from_arrays([W, [v], [[1], [-2]]], [b, [e], [0, 1]]), 0


def _dispensable_cases(count: int, seed: int):
    rng, out = random.Random(seed), []
    while len(out) < count:
        net, j = _dispensable_planted(rng, rng.choice([1, 2, 2, 3]))
        try:
            if j in shades_and_shadowed(net)[0]:
                out.append(net)
        except Exception:       # noqa: BLE001 - a parameter the arrangement refuses: draw another
            continue
    return out


@pytest.mark.parametrize("net", _cases(10, 3) + _dispensable_cases(8, 5))
def test_members_of_the_family_compute_the_function(net):
    rng = random.Random(7)
    for scale in (fmpq(1, 1000), fmpq(1, 10), fmpq(1)):
        member, _ = _member(net, rng, scale)
        assert all(member(x) == net(x) for x in GRID[net.widths[0]])
        assert sa.equivalent(net, member)


@pytest.mark.parametrize("net", _cases(10, 3) + _dispensable_cases(8, 5))
def test_the_family_has_the_claimed_dimension(net):
    # the rank of the parametrisation's Jacobian at a random member (generic) against the module's directions
    # (with the shadowed neurons' b and v, free in the family)
    moves, wakings, _, shadowed = shadow_directions(net)
    _, columns = _member(net, random.Random(11), fmpq(1, 10))
    D = net.architecture.num_parameters
    (_, v_at, _), (b_at, _, _) = parameter_offsets(net.architecture)
    units = [sparse_vector(D, (at + i, fmpq(1))) for i in shadowed for at in (b_at, v_at)]
    assert rank(columns) == rank(moves + wakings + units)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_members_random(seed):
    rng = random.Random(seed)
    net = _planted(rng, rng.choice([1, 2, 3]))
    try:
        _, wakings, _, _ = shadow_directions(net)
    except Exception:       # noqa: BLE001 - a parameter the arrangement refuses
        return
    if wakings:
        member, _ = _member(net, rng, fmpq(rng.randint(1, 50), 100))
        assert sa.equivalent(net, member)
        assert local_dimension_bounds(net, budget=20)[0] >= shadow_lower_bound(net, [], [])


def test_breaking_the_inequalities_changes_the_function():
    # the shadowed neuron outgrows its shade (v_i t > |v'_j|): off P, h turns positive far along the shade's row
    net = Network.from_arrays([[[0, 0, 0], [0, 0, 0], [0, 0, -7]], [[-1, 2, 1]], [[1], [-1]]],
                              [[0, -3, 1], [0], [0, 1]])
    rng = random.Random(1)
    member, _ = _member(net, rng, fmpq(1, 10), violate=True)
    assert not sa.equivalent(net, member)
    # a shadowed row not along the shade's: it wakes where h = 0 and nothing lowers it
    moved = Network.from_arrays([[[0, 0, "1/10"], [0, "1/50", "1/50"], [0, 0, -7]], [[-1, 2, 1]], [[1], [-1]]],
                                [["-1/20", -3, 1], [0], [0, 1]])
    assert not sa.equivalent(net, moved)
    # an unused neuron is a shade when its row is non-positive on the closure of P = {z < 1/7}, not otherwise
    def unused(row, bias) -> Network:
        return Network.from_arrays([[row, [0, 0, 0], [0, 0, -7]], [[0, 2, 1]], [[1], [-1]]],
                                   [[bias, -3, 1], [0], [0, 1]])
    assert shades_and_shadowed(unused([0, 0, 1], fmpq(-1, 7)))[:2] == ([0], [1])
    assert shades_and_shadowed(unused([0, 0, 1], fmpq(-1, 8)))[:2] == ([], [1])
    assert shades_and_shadowed(unused([0, 0, -1], 0))[:2] == ([], [1])


def test_hand_counted_fibre():
    # h = s(1 - 7z) - s(0) + 2 s(-3), P = {z < 1/7}: lambda, kappa >= 0 and the rescaling of s(1 - 7z); the zero
    # neuron's (alpha, b, v) with -s(alpha z + b) <= 0 on P; the constant zero neuron's (alpha', b, v) with
    # 2 alpha' <= alpha: 9, what the Jacobian allows too
    net = Network.from_arrays([[[0, 0, 0], [0, 0, 0], [0, 0, -7]], [[-1, 2, 1]], [[1], [-1]]],
                              [[0, -3, 1], [0], [0, 1]])
    assert first_order_bounds(net) == (6, 14)
    assert local_dimension_bounds(net) == (9, 9)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_a_planted_dispensable_neuron_is_a_shade(seed):
    rng = random.Random(seed)
    net, j = _dispensable_planted(rng, rng.choice([1, 2, 3]))
    try:
        shades = shades_and_shadowed(net)[0]
    except Exception:       # noqa: BLE001 - a parameter the arrangement refuses
        return
    assert j in shades
    member, _ = _member(net, rng, fmpq(rng.randint(1, 50), 100))
    assert all(member(x) == net(x) for x in GRID[net.widths[0]][::7])
    assert sa.equivalent(net, member)
    lower, upper = local_dimension_bounds(net, budget=20)
    assert shadow_lower_bound(net, [], []) <= lower <= upper


def test_a_needed_neuron_is_no_shade_and_moving_it_changes_the_function():
    # h = 2 - 4 s(x + 1/2) + 3 s(x) - 3 s(x): P = {x < 0}; without the last neuron h = -x > 0... for x > 0 it is
    # 2 - 4x - 2 + 3x = -x: dispensable; with M = 5 > K = 4 it is +x: needed, and lowering its bias wakes P
    for M, needed in ((3, False), (5, True)):
        net = Network.from_arrays([[[1], [1], [1]], [[-4, M, -M]], [[1], [-2]]], [["1/2", 0, 0], [2], [0, 1]])
        assert (2 in shades_and_shadowed(net)[0]) is not needed
        moved = Network.from_arrays([[[1], [1], [1]], [[-4, M, -M]], [[1], [-2]]],
                                    [["1/2", 0, "-1/10"], [2], [0, 1]])
        assert sa.equivalent(net, moved) is not needed


def test_hand_counted_fibre_with_a_dispensable_neuron():
    # h = -2 s(x) - 2 s(2x + 1) + 2 - s(0), P = {x < 0}: the output scale, the rescaling of s(2x + 1), and
    # -v' s(alpha x + beta) with alpha >= 0 >= beta, v' > 0 for s(x) and for the zero neuron: 8, the upper bound
    net = Network.from_arrays([[[1], [2], [0]], [[-2, -2, -1]], [[1], [2]]], [[0, 1, 0], [2], [0, 0]])
    rng = random.Random(0)
    for _ in range(6):
        mu, lam = fmpq(rng.randint(1, 9), 4), fmpq(rng.randint(1, 9), 4)
        rows = [(fmpq(rng.randint(0, 9), 4), -fmpq(rng.randint(0, 9), 4), -fmpq(rng.randint(1, 9), 4))
                for _ in range(2)]
        member = Network.from_arrays(
            [[[rows[0][0]], [2 * lam], [rows[1][0]]], [[rows[0][2], -2 / (lam * mu), rows[1][2]]],
             [[mu], [2 * mu]]], [[rows[0][1], lam, rows[1][1]], [2 / mu], [0, 0]])
        assert sa.equivalent(net, member)
    assert local_dimension_bounds(net) == (8, 8)


def test_a_dispensable_neuron_with_a_twin():
    # h = 2 - 4 s(x + 1/2) + 4 s(x) - 3 s(x), P = {x < 0}: the twin 4 s(x) may not grow, but both neurons move with
    # rows alpha x + beta (alpha >= 0 >= beta) as long as v_i alpha_i <= 4 (then h <= -4x + 4x off P): 6, with the
    # output scale and the wall's rescaling 8, the upper bound
    net = Network.from_arrays([[[1], [1], [1]], [[-4, 4, -3]], [[1], [-2]]], [["1/2", 0, 0], [2], [0, 1]])
    rng = random.Random(2)
    for _ in range(6):
        mu, lam = fmpq(rng.randint(1, 9), 4), fmpq(rng.randint(1, 9), 4)
        a_i, a_j = fmpq(rng.randint(2, 6), 4), fmpq(rng.randint(0, 9), 4)
        v_i, v_j = 4 / a_i - fmpq(rng.randint(0, 3), 4), -fmpq(rng.randint(1, 9), 4)
        member = Network.from_arrays([[[lam], [a_i], [a_j]], [[-4 / (lam * mu), v_i / mu, v_j / mu]], [[mu], [-2 * mu]]],
                                     [[lam / 2, -fmpq(rng.randint(0, 9), 4), -fmpq(rng.randint(0, 9), 4)], [2 / mu],
                                      [0, 1]])
        assert sa.equivalent(net, member)
    assert shades_and_shadowed(net)[0] == [2]
    assert local_dimension_bounds(net) == (8, 8)


def _covered_planted(rng: random.Random, n0: int, margin: bool = True):
    """``(net, u, (a, p, c, q, r))``: h = a s(-z - p) - c s(-z + q) + s(z - r), z = u.x, with -p < q < r, so that
    P = {z > r}, h = 0 on q < z < r and h = (c - a) z - ap - cq left of -p: the neuron -c s(-z + q) (index 1) is
    needed only there, where h <= -eps(1 + |z|) when c > a (``margin``), and is constant when c = a."""
    u = [rng.choice([-2, -1, 1, 2]) for _ in range(n0)]
    a, p = rng.randint(1, 2), rng.randint(1, 4)
    r = rng.randint(1 if p == 1 else 0, 3)          # an integer q with -p < q < r (p = 1, r = 0: none; seed 65536)
    c, q = a + (rng.randint(1, 2) if margin else 0), rng.randint(-p + 1, r - 1)
    scales = [fmpq(rng.randint(1, 3), rng.randint(1, 2)) for _ in range(3)]
    rows = [[-x for x in u] + [-p], [-x for x in u] + [q], u + [-r]]
    W = [[s * x for x in row[:n0]] for s, row in zip(scales, rows)]
    b = [s * row[n0] for s, row in zip(scales, rows)]
    v = [a / scales[0], -c / scales[1], 1 / scales[2]]
    return Network.from_arrays([W, [v], [[1], [3]]], [b, [0], [0, -1]]), u, (a, p, c, q, r)


def _covered_member(rng: random.Random, n0: int, u, params, t: fmpq) -> Network:
    """A member built from the statement: mu, the covered neuron on any row -alpha z + beta with beta <= alpha r
    (non-positive on z >= r) and any v' near -c, the far neuron a s(-z - p) moved anyhow by O(t) (its (ii)), the
    kink of s(z - r) moved left by t with e lowered by t (downhill), and its rescaling."""
    a, p, c, q, r = params
    mu, lam = 1 + t * rng.randint(-5, 5), 1 + t * rng.randint(-5, 5)
    alpha, beta = 1 + t * rng.randint(-5, 5), min(q + t * rng.randint(-5, 5), r * (1 + t * rng.randint(-5, 5)))
    alpha_far, p_far, a_far = 1 + t * rng.randint(-5, 5), p + t * rng.randint(-5, 5), a + t * rng.randint(-5, 5)
    shift = t * rng.randint(0, 5)
    W = [[-alpha_far * x for x in u], [-alpha * x for x in u], [lam * x for x in u]]
    b = [-alpha_far * p_far, beta, lam * (shift - r)]
    v = [a_far / alpha_far, -(c + t * rng.randint(-5, 5)) / alpha, 1 / lam]
    return Network.from_arrays([W, [[x / mu for x in v]], [[mu], [3 * mu]]], [b, [-shift / mu], [0, -1]])


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_a_planted_covered_neuron_moves_in_a(seed):
    rng = random.Random(seed)
    n0 = rng.choice([1, 1, 2])
    net, u, params = _covered_planted(rng, n0)
    assert covered_neurons(net) == [1]
    for t in (fmpq(1, 1000), fmpq(1, 50)):
        member = _covered_member(rng, n0, u, params, t)
        assert all(member(x) == net(x) for x in GRID[n0][::3])
        assert sa.equivalent(net, member)
    lower, upper = local_dimension_bounds(net, budget=20)
    assert lower <= upper
    if n0 == 1:         # the family: mu 1, s(z - r) 2, the far neuron 3, the covered one 3 (of 14 parameters)
        assert (lower, upper) == (9, 9)


def test_without_a_margin_the_neuron_is_not_covered():
    # c = a: h = -ap - cq is a constant left of -p, no margin growing with |z|; flattening the neuron's row makes
    # h grow linearly there: the function changes
    rng = random.Random(4)
    for _ in range(5):
        net, u, params = _covered_planted(rng, 1, margin=False)
        assert covered_neurons(net) == []
        (W, v, c), (b, e, d) = net.weights, net.biases
        tilted = Network.from_arrays([[W[0], [W[1][0] * fmpq(9, 10)], W[2]], v, c], [b, e, d])
        assert not sa.equivalent(net, tilted)


def test_only_robust_hidden_moves_join_the_covered_family():
    # h = 1 - s(x) + s(x - 5): on x >= 5, where s(x - 5) is on, h = -4, a margin that does not grow with |x|: its
    # translation (i) is a move, but not one the covered neurons' family may take (least=2); beside it, far's
    # s(-x - 5) has h <= -eps(1 + |x|) on its side (ii) and keeps its four moves
    from semialg.families.bottleneck.local import hidden_neuron_moves
    net = Network.from_arrays([[[1], [1]], [[-1, 1]], [[1], [2]]], [[0, -5], [1], [0, 0]])
    assert len(hidden_neuron_moves(net)) == 1 and hidden_neuron_moves(net, least=2) == []
    far = Network.from_arrays([[[1, 0], [0, 1], [0, -1], [-1, 0], [-1, 0]], [[1, -1, -1, -2, -1]], [[1]]],
                              [[0, 0, 0, 0, -5], [1], [0]])
    assert hidden_neuron_moves(far, least=2) == hidden_neuron_moves(far) and len(hidden_neuron_moves(far)) == 4
