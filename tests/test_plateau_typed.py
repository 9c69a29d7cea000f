"""Case (a), regime T: plateau members with first-layer rows off the common direction u (issue 17, item 4). When h
is a ridge function h = eta(u.x) with a plateau at its minimum (maximum), the members with h' < 0 there are the
typed slot pieces Pmin / Pmax: neurons on the line, inert (v' = 0, any row), constant (w' = 0) or in phantom groups
on hyperplanes off u whose kinks cancel. Members are built here by hand and checked against oracles independent of
the fibre code: ``sa.equivalent``, exact evaluation at rational points by a formula written out here, the region
oracle's functional dimension, and exact Jacobian ranks of the components' equations at their samples."""

from __future__ import annotations

import random

import pytest
from flint import fmpq

import semialg as sa
from semialg import Network
from semialg.engine.functional_dimension import functional_dimension
from semialg.families.bottleneck.fibre import jacobian_corank

_ZERO = fmpq(0)
U2, U3 = (1, 2), (1, -1, 2)


def _net(W1, b1, v, e, c, d) -> Network:
    return Network.from_arrays([W1, [v], [[x] for x in c]], [b1, [e], d])


def _neg(row):
    return tuple(-x for x in row)


def _relu(y: fmpq) -> fmpq:
    return y if y > 0 else _ZERO


def _h(net: Network, x) -> fmpq:
    """The inner network h(x), written out (independent of the network and fibre code)."""
    (v,), (e,) = net.weights[1], net.biases[1]
    return sum((vi * _relu(sum((a * xi for a, xi in zip(w, x, strict=True)), _ZERO) + b)
                for vi, w, b in zip(v, net.weights[0], net.biases[0], strict=True)), e)


def _f(net: Network, x) -> tuple:
    """f(x) = c sigma(h(x)) + d."""
    return tuple(r[0] * _relu(_h(net, x)) + d for r, d in zip(net.weights[2], net.biases[2], strict=True))


def _points(n0: int, rng: random.Random, u, nets=()) -> list:
    """Random rational points near the origin, points along u through the plateau, its end and the kinks, and
    points on both sides of every kink hyperplane of ``nets``, far out along it (a tilted kink may cross
    {g > 0} in a thin wedge far away only)."""
    pts = [tuple(fmpq(rng.randint(-60, 60), rng.randint(1, 7)) for _ in range(n0)) for _ in range(40)]
    for net in nets:
        for w, b in zip(net.weights[0], net.biases[0], strict=True):
            norm = sum((a * a for a in w), _ZERO)
            for _ in range(6 if norm else 0):
                p = [fmpq(rng.randint(-5000, 5000), rng.randint(1, 3)) for _ in range(n0)]
                off = (sum((a * x for a, x in zip(w, p, strict=True)), _ZERO) + b) / norm
                for delta in (fmpq(-1, 3), fmpq(1, 3)):
                    pts.append(tuple(x - (off - delta) * a for x, a in zip(p, w, strict=True)))
    norm = sum(x * x for x in u)
    for k in range(-24, 25):
        s = fmpq(k, 4)                                  # u.x = s, plus a random offset orthogonal to u
        off = [fmpq(rng.randint(-9, 9)) for _ in range(n0)]
        shift = sum((a * b for a, b in zip(off, u, strict=True)), _ZERO) / norm
        pts.append(tuple(s * a / norm + o - shift * a for a, o in zip(u, off, strict=True)))
    return pts


def _same_function(net: Network, x: Network, u, seed: int = 0) -> bool:
    rng = random.Random(seed)
    return all(_f(net, p) == _f(x, p) for p in _points(net.widths[0], rng, u, (net, x)))


# -- the parameters: h = sigma(s) + 2 sigma(s - 1), s = u.x, min h = 0 on s <= 0, with dead neurons on u -------------

THETA2 = _net([U2] * 4, [0, -1, 0, 0], [1, 2, 0, 0], 0, [2, -1], [1, 3])
THETA3 = _net([U3, (2, -2, 4), U3, U3], [0, -2, 0, 0], [1, 1, 0, 0], 0, [1], [0])
THETA2_6 = _net([U2] * 6, [0, -1, 0, 0, 0, 0], [1, 2, 0, 0, 0, 0], 0, [1], [0])
THETA3_6 = _net([U3] * 6, [0, -1, 0, 0, 0, 0], [1, 2, 0, 0, 0, 0], 0, [1], [0])
# h = sigma(t) - sigma(t - 1) in [0, 1], t = x1 + x2: plateaus at the minimum (t <= 0) and the maximum (t >= 1)
STEP2 = _net([(1, 1)] * 3, [0, -1, 0], [1, -1, 0], 0, [2], [1])


def _members():
    """(name, theta, member, roles the member must show): every member has h' < 0 somewhere. For Pmin (mu > 0,
    d' = d + c min h): h'/mu = g on {g > 0}, <= 0 on the plateau; the first two neurons are the kink slot at
    s = 1 and a slot inside the plateau (h' = sigma(s + 1) + 2 sigma(s - 1) - 1), or, with a linear term 2s from
    phantom groups, 2 sigma(1 - s) + sigma(s + 1) + 2s - 3."""
    out = []
    for n0, u, theta, theta6 in ((2, U2, THETA2, THETA2_6), (3, U3, THETA3, THETA3_6)):
        a, b = ((1, 0), (-1, 5)) if n0 == 2 else ((1, 0, 0), (0, 1, 1))     # off u
        zero = (0,) * n0
        g1 = (1, -1) if n0 == 2 else (1, 1, 0)
        out += [
            (f"n0={n0} inert", theta, _net([u, u, a, b], [1, -1, 7, -2], [1, 2, 0, 0], -1, *_outer(theta, 1)),
             {"D"}),
            (f"n0={n0} inert, mu = 1/2", theta,
             _net([u, u, b, a], [1, -1, 3, 3], ["1/2", 1, 0, 0], "-1/2", *_outer(theta, fmpq(1, 2))), {"D"}),
            (f"n0={n0} constant", theta, _net([u, u, zero, zero], [1, -1, 2, -1], [1, 2, 3, 5], -7,
                                              *_outer(theta, 1)), {"C+", "C-"}),
            (f"n0={n0} constant b' = 0 and inert", theta, _net([u, u, zero, a], [1, -1, 0, 4], [1, 2, -3, 0], -1,
                                                                *_outer(theta, 1)), {"C-", "D"}),
            (f"n0={n0} pure phantom group", theta,
             _net([u, u, g1, tuple(2 * x for x in g1)], [1, -1, 2, 4], [1, 2, 2, -1], -1, *_outer(theta, 1)),
             {"P"}),
            (f"n0={n0} mixed group on the line (alpha = 2)", theta,
             _net([_neg(u), u, u, _neg(u)], [1, 1, -5, 5], [2, 1, 2, -2], 7, *_outer(theta, 1)), {"P"}),
            (f"n0={n0} two mixed groups, alpha = 0", theta6,
             _net([u, u, g1, _neg(g1), g1, _neg(g1)], [1, -1, 2, -2, -3, 3], [1, 2, 1, -1, -1, 1], -6,
                  *_outer(theta6, 1)), {"P"}),
        ]
    # two mixed groups off u whose affine parts add up to 2 u.x (+ const): alpha = 2
    out.append(("n0=2 two mixed groups off u, alpha = 2", THETA2_6,
                _net([_neg(U2), U2, (1, 0), (-1, 0), (0, 1), (0, -1)], [1, 1, 1, -1, -1, 1], [2, 1, 2, -2, 4, -4],
                     -1, *_outer(THETA2_6, 1)), {"P"}))
    out.append(("n0=3 two mixed groups off u, alpha = 2", THETA3_6,
                _net([_neg(U3), U3, (1, 0, 0), (-1, 0, 0), (0, -1, 2), (0, 1, -2)], [1, 1, 1, -1, 1, -1],
                     [2, 1, 2, -2, 2, -2], -7, *_outer(THETA3_6, 1)), {"P"}))
    # Pmax (mu = -1, c' = -c, d' = d + c sup h): h' = 1 - sigma(t) + (a slot inside t >= 1) <= 0 there
    out.append(("n0=2 Pmax inert", STEP2, _net([(1, 1), (1, 1), (1, -3)], [0, -2, 5], [-1, -1, 0], 1, [-2], [3]),
                {"D"}))
    out.append(("n0=2 Pmax constant", STEP2, _net([(1, 1), (1, 1), (0, 0)], [0, -2, 3], [-1, -1, 2], -5, [-2], [3]),
                {"C+"}))
    out.append(("n0=2 Pmin of a bounded h, inert", STEP2,
                _net([(1, 1), (1, 1), (2, -1)], [1, -1, 4], [1, -1, 0], -1, [2], [1]), {"D"}))
    return out


def _outer(theta: Network, mu) -> tuple:
    """c' = c/mu, d' = d (min h = 0)."""
    return [r[0] / fmpq(mu) for r in theta.weights[2]], list(theta.biases[2])


MEMBERS = _members()


@pytest.mark.parametrize("name, theta, x, kinds", MEMBERS, ids=[m[0] for m in MEMBERS])
def test_hand_built_members_are_listed(name, theta, x, kinds):
    u = U2 if theta.widths[0] == 2 else U3
    assert bool(sa.equivalent(theta, x)) and _same_function(theta, x, u)
    lo = min(_h(x, p) for p in _points(theta.widths[0], random.Random(1), u))
    assert lo < 0                                                      # h' < 0 somewhere: no (T') member
    F = sa.fibre(theta)
    assert F.contains(x)
    j = F.component_of(x)
    assert j is not None and j[0] in ("Pmin", "Pmax") and kinds <= {role[0] for role in j[1]}
    assert F.component(j).contains(x) and F.component(j).violated(x) is None
    assert (j[0] == "Pmax") == (x.weights[2][0][0] * theta.weights[2][0][0] < 0)


def _breakings(x: Network, j) -> list[tuple[str, Network]]:
    """Moves that must leave the fibre: an inert neuron switched on (a lone kink off u crossing {g > 0}), a
    constant neuron tilted, a group member's weight doubled (its kinks no longer cancel), a group row tilted."""
    W1, W2, W3 = x.weights
    out = []
    for i, role in enumerate(j[1]):
        rows, v = [list(r) for r in W1], list(W2[0])
        if role[0] == "D" and any(a * c != b * d for a, b, c, d in _pairs(W1[i])):
            v[i] = fmpq(1)
            out.append(("inert switched on", Network((W1, (tuple(v),), W3), x.biases)))
        elif role[0] in ("C+", "C-"):
            rows[i][-1] += 1
            out.append(("constant tilted", Network((tuple(map(tuple, rows)), W2, W3), x.biases)))
        elif role[0] == "P":
            v[i] *= 2
            out.append(("group weight doubled", Network((W1, (tuple(v),), W3), x.biases)))
            rows[i][0] += fmpq(1, 3)
            out.append(("group row tilted", Network((tuple(map(tuple, rows)), W2, W3), x.biases)))
    return out


def _pairs(w):
    """(w_0, w_q, u_0, u_q) for the test 'w not parallel to u' of both our directions (u_0 = 1)."""
    u = U2 if len(w) == 2 else U3
    return [(w[0], w[q], u[0], u[q]) for q in range(1, len(w))]


@pytest.mark.parametrize("name, theta, x, kinds", MEMBERS, ids=[m[0] for m in MEMBERS])
def test_perturbed_members_leave_the_fibre(name, theta, x, kinds):
    F = sa.fibre(theta)
    j = F.component_of(x)
    moves = _breakings(x, j)
    assert moves
    u = U2 if theta.widths[0] == 2 else U3
    for what, y in moves:
        assert not bool(sa.equivalent(theta, y)), what
        assert not _same_function(theta, y, u), what
        assert not F.contains(y) and F.component_of(y) is None, what
    rng = random.Random(len(name))
    for _ in range(3):                     # a random coordinate moved: listed iff a member
        p = list(x.parameters())
        p[rng.randrange(len(p))] += fmpq(rng.choice((-1, 1)), rng.randint(2, 30))
        y = Network.from_parameters(x.architecture, p)
        eq = bool(sa.equivalent(theta, y))
        assert (F.component_of(y) is not None) == eq == F.contains(y) == _same_function(theta, y, u)


# -- small fibres, enumerated -------------------------------------------------------------------------------------------

SMALL = {
    "n0=2": _net([U2, U2, (2, 4)], [0, -1, 0], [1, 2, 0], 0, [1], [0]),
    "n0=3": _net([U3, (2, -2, 4), U3], [0, -2, 0], [1, 1, 0], 0, [1], [0]),
}


def _small_members(theta: Network) -> list[Network]:
    """Hand-built members of the small fibres: the slots sigma(s + 1) + 2 sigma(s - 1) - 1 and a third neuron
    inert off u, constant (b' > 0, b' < 0) or inert on u."""
    u = U2 if theta.widths[0] == 2 else U3
    off, zero = ((3, -1) if len(u) == 2 else (0, 1, 1)), (0,) * len(u)
    return [_net([u, u, off], [1, -1, 7], [1, 2, 0], -1, [1], [0]),
            _net([u, u, zero], [1, -1, 2], [1, 2, 3], -7, [1], [0]),
            _net([u, u, zero], [1, -1, -2], [1, 2, 3], -1, [1], [0]),
            _net([u, u, u], [1, -1, 5], [1, 2, 0], -1, [1], [0])]


@pytest.mark.parametrize("key", ["n0=2", pytest.param("n0=3", marks=pytest.mark.slow)])
def test_small_fibres_enumerated(key):
    """Every listed component is non-empty (its sample satisfies it and is in the fibre), lies in no other
    component (pairwise disjoint), is counted by ``num_components``; the fibre's dimension is the largest
    component dimension, and each plateau type's dimension is the corank of its equations' Jacobian at its
    sample and at most D - fdim there. Off-line members (a row off u with v' = 0) are among them."""
    theta = SMALL[key]
    u = U2 if theta.widths[0] == 2 else U3
    F = sa.fibre(theta)
    parts = F._sampler.__self__
    D = theta.architecture.num_parameters
    index = list(F.index)
    assert len(index) == len(set(index)) == F.num_components
    comps = [F.component(j) for j in index]
    dims = []
    rng = random.Random(7)
    for k, (j, C) in enumerate(zip(index, comps, strict=True)):
        x = C.sample(seed=k)
        assert C.violated(x) is None
        assert F.component_of(x) == j
        if k % 2 == 0:                       # pairwise disjoint (every other sample, to stay fast)
            assert [i for i, B in enumerate(comps) if B.contains(x)] == [k]
        if k % 6 == 0:
            assert bool(sa.equivalent(theta, x)) and _same_function(theta, x, u, k)
        corank = jacobian_corank(F.build(j), x)
        if j[0] in ("Pmin", "Pmax"):
            dim = parts.plateaus[1 if j[0] == "Pmin" else -1].dimension(j[1])
            assert corank == dim
            if k % 10 == 0:
                assert D - functional_dimension(x, method="batch").value >= dim
        else:
            dim = corank
        dims.append(dim)
    assert F.dimension == max(dims)
    for x in _small_members(theta):          # hand-built: in exactly one component
        assert bool(sa.equivalent(theta, x)) and _same_function(theta, x, u)
        assert [j for j, B in zip(index, comps, strict=True) if B.contains(x)] == [F.component_of(x)]
    kinds = {role[0] for j in index if j[0] == "Pmin" for role in j[1]}
    assert {"D", "C+", "C-", "V", "H"} <= kinds
    x = rng.choice([C.sample(seed=3) for j, C in zip(index, comps, strict=True) if ("D",) in j[1]])
    assert any(a * c != b * d for w in x.weights[0] for a, b, c, d in _pairs(w))     # a row off u, listed


def test_pmin_and_pmax_of_a_bounded_h_are_disjoint_and_counted():
    """STEP2 (h in [0, 1], both plateaus): components of both signs of mu and of (T'), each sample in exactly
    its own component (a random subset of the 400 checked against all)."""
    F = sa.fibre(STEP2)
    index = list(F.index)
    assert len(index) == len(set(index)) == F.num_components
    tags = {j[0] for j in index}
    assert {"Pmin", "Pmax", 1, -1} <= tags
    rng = random.Random(2)
    comps = [F.component(j) for j in index]
    for k in rng.sample(range(len(index)), 25):
        x = comps[k].sample(seed=k)
        assert [i for i, B in enumerate(comps) if B.contains(x)] == [k]
        assert bool(sa.equivalent(STEP2, x)) and _same_function(STEP2, x, (1, 1), k)


RIDGES = (((1, 1), (0, -1), (1, 2)), ((1, 1, 1), (0, -1, -3), (1, 2, 1)),
          ((1, 1, 1, 1), (0, -1, -2, -4), (1, 1, -1, 2)), ((-1, 1), (0, -1), (1, 1)))


@pytest.mark.parametrize("u", [(1,), U2, U3], ids=["n0=1", "n0=2", "n0=3"])
def test_dimension_against_the_functional_dimension(u, method="batch"):
    """h = sum_i v_i sigma(r_i u.x + b_i) + 1, a plateau at min h = 1. For generic theta (only n0 = 1: parallel
    rows fail the full-rank condition for n0 >= 2) the dimension is D - fdim(theta). For every n0 it is the
    largest listed dimension, and a sample x of a top plateau type is a member with Jacobian corank equal to it
    and at most D - fdim(x) (the level set of the evaluation map near x lies in a manifold of dimension
    D - rank): with a spare neuron off u (n1 = 4, n0 = 3) it exceeds D - fdim(theta)."""
    generic = 0
    for rows, b1, v in RIDGES:
        theta = _net([tuple(r * x for x in u) for r in rows], b1, v, 1, [1, 2], [0, 1])
        F = sa.fibre(theta)
        parts = F._sampler.__self__
        D = theta.architecture.num_parameters
        dim = F.dimension
        if bool(sa.genericity(theta)):
            assert len(u) == 1 and dim == D - functional_dimension(theta, method="batch").value
            generic += 1
        dims = {j: parts.plateaus[1 if j[0] == "Pmin" else -1].dimension(j[1])
                for j in F.index if j[0] in ("Pmin", "Pmax")}
        assert dims and max(dims.values()) <= dim
        tops = [j for j, d in dims.items() if d == dim]
        if not tops:
            assert dim == parts.inner.dimension + 2
            continue
        x = F.component(tops[-1]).sample(seed=1)
        assert bool(sa.equivalent(theta, x)) and _same_function(theta, x, u)
        assert jacobian_corank(F.build(tops[-1]), x) == dim <= D - functional_dimension(x, method="batch").value
    assert generic >= 2 if len(u) == 1 else generic == 0


def test_off_line_members_are_counted_in_the_component_count():
    """The counts of the small fibres, by role kind: the types with a neuron off the line are listed."""
    for theta in SMALL.values():
        index = list(sa.fibre(theta).index)
        off = [j for j in index if j[0] in ("Pmin", "Pmax") and any(r[0] not in ("V", "H") for r in j[1])]
        on = [j for j in index if j[0] in ("Pmin", "Pmax") and all(r[0] in ("V", "H") for r in j[1])]
        assert off and on and len(index) > len(on) + len(off)      # plus the (T') components


@pytest.mark.slow
def test_hand_built_members_lie_in_exactly_one_component():
    """The width-4 hand-built members against every component of their fibres (2354 each)."""
    for theta in (THETA2, THETA3, STEP2):
        F = sa.fibre(theta)
        comps = [(j, F.component(j)) for j in F.index]
        for _, th, x, _ in MEMBERS:
            if th is theta:
                assert [j for j, B in comps if B.contains(x)] == [F.component_of(x)]
