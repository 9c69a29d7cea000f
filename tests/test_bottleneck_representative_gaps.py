"""Representatives of non-generic case-(a) parameters (issue 17, item 4): ridge functions behind rows off the
common direction, hidden rows from the exact cone of directions bounded on P-bar, and the exact refusal when no
member of the fibre can have full first-layer rank.

Checked independently of the fibre code: exact evaluation at rational points, the region oracle
(``semialg.engine.regions.equivalent``), ``semialg.genericity`` and the type checks.
"""

from __future__ import annotations

import random

import pytest
from flint import fmpq

import semialg as sa
from semialg import Network
from semialg.core.exact import rank
from semialg.engine import regions as pl
from semialg.errors import UndecidedError
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.representative import generic_representative


def _make(rows, b1, v, e, c, d) -> Network:
    return Network.from_arrays([rows, [v], [[x] for x in c]], [b1, [e], d])


def _points(rng, n0, k=12):
    return [[fmpq(rng.randint(-40, 40), rng.randint(1, 7)) for _ in range(n0)] for _ in range(k)]


def _same_values(a: Network, b: Network, rng) -> bool:
    return all(a(p) == b(p) for p in _points(rng, a.architecture.input_dim))


def _generic(net: Network) -> bool:
    return bool(sa.genericity(net)) and all(c.holds for c in bn.type_checks(net))


RIDGES = {
    # h = s(x1) - 1 and a dead neuron with row (0, 1)
    "dead": _make([[1, 0], [0, 1]], [0, 0], [1, 0], -1, [1], [0]),
    # h = s(x1) + s(x1 - 2) - 3 (P = {x1 > 2}) and a cancelling pair on the line x1 + x2 = 1
    "cancelling": _make([[1, 0], [1, 0], [1, 1], [1, 1]], [0, -2, -1, -1], [1, 1, 2, -2], -3, [2, -1], [1, 0]),
    # n0 = 3, a bounded h of x1 - x3 (a bump) and dead neurons in two other directions
    "bump-3d": _make([[1, 0, -1], [1, 0, -1], [0, 1, 0], [1, 1, 1]], [1, -1, 2, 0], [1, -2, 0, 0], 0, [3], [0]),
}


@pytest.mark.parametrize("name", [pytest.param(n, marks=[pytest.mark.slow] if n == "bump-3d" else [])
                                  for n in sorted(RIDGES)])
def test_ridge_function_behind_rows_off_its_direction(name):
    net = RIDGES[name]
    rng = random.Random(7)
    assert rank(net.weights[0]) >= 2 and not _generic(net)
    F = sa.fibre(net)
    R = F.generic_representative
    assert R is not None and not R.generic and R.verify()
    rep = R.network
    # theta~: parallel rows, same function, by the region oracle and by exact evaluation
    assert rank(rep.weights[0]) == 1
    assert bool(pl.equivalent(rep, net)) and _same_values(rep, net, rng)
    assert F.network is net and "representative" in F.describe()
    assert F.contains(net)
    assert F.num_components > 0
    for j in list(F.index)[:: max(1, F.num_components // 5)][:5]:
        x = F.component(j).sample(seed=1)
        assert _same_values(x, net, rng) and bool(pl.equivalent(x, net))
        theta = list(x.parameters())
        for _ in range(3):       # perturbations: membership agrees with the region oracle
            q = rng.randrange(len(theta))
            y = list(theta)
            y[q] += fmpq(rng.choice((-1, 1)), rng.choice((1, 3, 50)))
            z = Network.from_parameters(net.architecture, y)
            assert F.contains(z) == bool(pl.equivalent(z, net))
    # moving the dead / off-direction neurons anywhere keeps the function (and membership)
    if name == "dead":
        moved = _make([[1, 0], [3, -5]], [0, 7], [1, 0], -1, [1], [0])
        assert F.contains(moved) and bool(pl.equivalent(moved, net))


# -- the rank obstruction (n0 >= 3) ------------------------------------------------------------------------------

#: n0 = 3, h = 1 - s(x1) - s(x2) - s(x1 + x2 - 3): P-bar is a cylinder along x3; the third neuron is hidden (U-)
RANK2 = _make([[1, 0, 0], [0, 1, 0], [1, 1, 0]], [0, 0, -3], [-1, -1, -1], 1, [2], [1])


def test_no_member_has_full_rank_when_rows_and_hidden_cone_span_too_little():
    net = RANK2
    rng = random.Random(3)
    assert rank(net.weights[0]) == 2 and not _generic(net)
    with pytest.raises(sa.ArchitectureError, match="no member of its fibre is generic.*dimension 2 < min"):
        generic_representative(net)
    F = sa.fibre(net)          # listed by the subspace fibre (reduced 2-input fibres, dead slots inert)
    assert F.contains(net)
    # the mathematics behind the refusal, by exact evaluation and the region oracle:
    # (1) the hidden neuron moves freely inside the cone {w1, w2 >= 0, w3 = 0} beyond P-bar ...
    inside = _make([[1, 0, 0], [0, 1, 0], [2, 1, 0]], [0, 0, -7], [-1, -1, -3], 1, [2], [1])
    assert _same_values(inside, net, rng) and bool(pl.equivalent(inside, net)) and F.contains(inside)
    # (2) ... but tilted out of the plane x3 = 0 its hyperplane enters P (P-bar contains the x3-axis): f changes,
    # at an exact point found by hand: x = (0, 0, +-1000) has h = 1 for theta and h < 0 for the tilted one
    for eps in ("1/100", "-1/7"):
        tilted = _make([[1, 0, 0], [0, 1, 0], [1, 1, eps]], [0, 0, -3], [-1, -1, -1], 1, [2], [1])
        x = [0, 0, 1000 if fmpq(eps) > 0 else -1000]
        assert tilted(x) != net(x) and not bool(pl.equivalent(tilted, net)) and not F.contains(tilted)
    # (3) a dead slot (v' = 0) takes any row and bias: n0 + 1 = 4 free parameters, as many as the U- slot's
    # dim C* + 2 = 4 (w1, w2, b, v); every member with three live neurons has rank 2 < 3
    for w in ([1, 2, 3], [0, -5, 1], [7, 0, -2]):
        dead = _make([[1, 0, 0], [0, 1, 0], w], [0, 0, rng.randint(-5, 5)], [-1, -1, 0], 1, [2], [1])
        assert _same_values(dead, net, rng) and bool(pl.equivalent(dead, net))
        assert rank(dead.weights[0]) == 3 and not _generic(dead)
        j = F.locate(dead)
        assert j is not None and F.build(j).contains(dead)


def test_rank_obstruction_needs_n1_above_the_span():
    # the same h with a fourth neuron available: still rank <= 2 for every member of live neurons (min(3, 4) = 3)
    rows, b1, v = [[1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1]], [0, 0, -3, 2], [-1, -1, -1, 0]
    net = _make(rows, b1, v, 1, [2], [1])
    with pytest.raises(sa.ArchitectureError, match="no member of its fibre is generic"):
        generic_representative(net)
    assert sa.fibre(net).contains(net)       # listed by the subspace fibre


# -- the curve of hidden rows (n0 >= 3) ---------------------------------------------------------------------------

#: n0 = 3, P = {s(x1) + s(x2) + s(x3) + s(-x1 - x2 - 2x3) < 1} bounded, so C* is everything
SIMPLEX = _make([[1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, -1, -2]], [0, 0, 0, 0], [-1, -1, -1, -1], 1, [1], [0])
#: n0 = 3, P-bar unbounded: h = 1 - s(x1) - s(x2) - s(x3), P-bar contains the octant {x <= 0}, C* = {w >= 0}
CORNER = _make([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0], [-1, -1, -1], 1, [1], [0])


def test_ridge_representative_three_inputs():       # the fast part of the slow bump-3d case above
    net = RIDGES["bump-3d"]
    R = generic_representative(net)
    assert not R.generic and R.verify() and rank(R.network.weights[0]) == 1
    assert _same_values(R.network, net, random.Random(2)) and bool(pl.equivalent(R.network, net))


def _with(base, w, b, u, e_shift=0, v0=None):
    """``base`` and one more neuron u s(w.x + b); e shifted, the output weight of neuron 0 replaced by ``v0``."""
    rows, b1, v = [list(r) for r in base.weights[0]], list(base.biases[0]), list(base.weights[1][0])
    if v0 is not None:
        v[0] = v0
    return _make(rows + [w], b1 + [b], v + [u], base.biases[1][0] + e_shift, [r[0] for r in base.weights[2]],
                 list(base.biases[2]))


@pytest.mark.parametrize("net, base", [
    (_with(SIMPLEX, [1, 2, -1], 1, 0), SIMPLEX),                   # a dead neuron
    (_with(SIMPLEX, [0, 0, 0], 2, -1, e_shift=2), SIMPLEX),        # a constant neuron -s(2) = -2, e compensates
    (_with(CORNER, [1, -3, 2], -1, 0), CORNER),                    # a dead neuron; C* = {w >= 0} (rays -e_i)
    (_with(CORNER, [2, 0, 0], 0, "-1/4", v0="-1/2"), CORNER),      # neuron 0 split: -s(x1)/2 - s(2x1)/4
], ids=["simplex-dead", "simplex-constant", "corner-dead", "corner-split"])
def test_three_inputs_get_a_generic_representative_from_the_curve(net, base):
    rng = random.Random(5)
    assert bool(pl.equivalent(net, base)) and _same_values(net, base, rng) and not _generic(net)
    R = generic_representative(net)
    assert R.generic and R.verify()
    rep = R.network
    assert _generic(rep) and bool(pl.equivalent(rep, net)) and _same_values(rep, net, rng)
    assert rank(rep.weights[0]) == 3


# -- a vertex of seen kink lines on the boundary of P -------------------------------------------------------------

#: from the benchmark (kind 'vertex on h=0'): e chosen so that the lines of neurons 1 and 2 meet on {h = 0}
VERTEX = Network.from_arrays([[[fmpq(-2, 3), 3], [-1, fmpq(3, 2)], [1, 3], [fmpq(-3, 2), fmpq(-3, 2)]],
                              [[1, -1, -3, fmpq(2, 3)]], [[2]]], [[1, 1, fmpq(-1, 3), 3], [fmpq(-38, 27)], [2]])


def test_vertex_of_seen_kink_lines_on_the_boundary_of_p_has_no_generic_member():
    net = VERTEX
    assert not _generic(net)
    with pytest.raises(sa.ArchitectureError, match="no member of its fibre is generic.*boundary of P"):
        generic_representative(net)
    # the fibre is listed in part: the members with h' = mu h; translating the U+ neuron (fourth) with e
    # compensating on P gives members with h' != mu h, in the fibre but in no listed component
    F = sa.fibre(net)
    assert "in part" in F.description and F.component_of(net) is not None
    with pytest.raises(UndecidedError, match="at least 5 .*vertex on"):
        F.top_dimension()          # the listed part alone
    # the translations below add a direction: the local dimension at theta (6) meets the rank bound
    assert F.dimension == 6 == sa.local_dimension_bounds(net)[0]
    for t in (fmpq(1, 10), fmpq(-1, 10), fmpq(5)):
        b1 = net.biases[0][:3] + (net.biases[0][3] + t,)
        moved = Network(net.weights, (b1, (net.biases[1][0] - net.weights[1][0][3] * t,), net.biases[2]))
        assert bool(pl.equivalent(moved, net)) and F.contains(moved) and F.component_of(moved) is None
    # independently: p lies on the lines of neurons 1 and 2, h(p) = 0, and h > 0 at points next to p (p in P-bar)
    W, b = net.weights[0], net.biases[0]
    p = [fmpq(7, 9), fmpq(-4, 27)]
    assert [sum(x * y for x, y in zip(W[i], p, strict=True)) + b[i] for i in (1, 2)] == [0, 0]
    inner = Network((W, net.weights[1]), (b, net.biases[1]))
    assert inner(p)[0] == 0
    steps = [fmpq(a, 1000) for a in (-1, 0, 1)]
    assert any(inner([p[0] + s, p[1] + t])[0] > 0 for s in steps for t in steps)
    # both lines carry kinks seen on P: f changes when either neuron is dropped (exact evaluation near p)
    for i in (1, 2):
        v = list(net.weights[1][0])
        v[i] = 0
        dropped = Network((W, (tuple(v),), net.weights[2]), (b, net.biases[1], net.biases[2]))
        assert not bool(pl.equivalent(dropped, net))


# -- cores from the kinks seen on P (unseen kinks dropped) --------------------------------------------------------

#: from the benchmark (kind '0-factor'): the third neuron's v w cancels the other two; the second neuron's kink
#: line misses P (P on its negative side in the canonical orientation), so a member may drop it
UNSEEN = Network.from_arrays([[[-1, -1], [-2, -3], [fmpq(-1, 3), fmpq(-5, 6)]], [[fmpq(-2, 3), fmpq(1, 2), -1]],
                              [[3]]], [[fmpq(1, 2), 3, fmpq(-1, 2)], [-1], [-1]])


def test_core_of_the_seen_kinks_frees_a_slot():
    net = UNSEEN
    v, W = net.weights[1][0], net.weights[0]
    assert not any(sum(v[i] * W[i][k] for i in range(3)) for k in range(2)) and not _generic(net)   # a 0-factor
    R = generic_representative(net)
    assert R.generic and R.verify() and "seen on P" in R.construction
    rep = R.network
    assert _generic(rep) and bool(pl.equivalent(rep, net)) and _same_values(rep, net, random.Random(4))
    F = sa.fibre(net)
    x = F.sample(seed=2)
    assert bool(pl.equivalent(x, net)) and _same_values(x, net, random.Random(6))
