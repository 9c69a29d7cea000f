"""Generic representatives of planted non-generic case-(a) parameters (issue 17, items 2/4): the time budget
and deadline of the search, U+- neurons with a disconnected P, rank-deficient first layers for n0 = 3.

Every returned theta~ is re-checked independently of the search: ``semialg.equivalent``, exact evaluation at
rational points, ``semialg.genericity`` and the type checks; every refusal's stated reason by an exact check of
its own.
"""

from __future__ import annotations

import math
import random
import re
import time

import pytest
from flint import fmpq

import semialg as sa
from semialg import Network
from semialg.core.exact import rank
from semialg.errors import ArchitectureError, ParameterError, UndecidedError
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.views import OuterView
from semialg.families.shallow import canonical_form
from semialg.families.bottleneck.representative import generic_representative

# P a triangle, neuron 4 dead: the module docstring's example
DEAD = Network.from_arrays([[[1, 0], [0, 1], [-1, -2], [0, 0]], [[-1, -1, -1, 0]], [[1]]], [[0, 0, 0, 0], [1], [0]])


def test_budget_and_deadline_bound_the_search():
    with pytest.raises(UndecidedError, match="time budget was spent; done: nothing"):
        generic_representative(DEAD, budget=0)
    with pytest.raises(UndecidedError, match="time budget"):
        generic_representative(DEAD, deadline=time.monotonic() - 1)
    with pytest.raises(UndecidedError, match="time budget"):     # whichever comes first
        generic_representative(DEAD, budget=100.0, deadline=time.monotonic() - 1)
    R = generic_representative(DEAD, budget=None, deadline=None)
    assert R.verify() and sa.equivalent(R.network, DEAD)
    assert generic_representative(DEAD, budget=100.0, deadline=time.monotonic() + 100).network == R.network


@pytest.mark.parametrize("bad", [{"budget": -1}, {"budget": float("nan")}, {"deadline": float("inf")},
                                 {"deadline": "1"}, {"candidates": 0}])
def test_bad_limits_are_refused_in_one_line(bad):
    with pytest.raises(ParameterError, match="generic_representative"):
        generic_representative(DEAD, **bad)


def _h(net, x):
    return OuterView.of(net).inner(x)[0]


def _max_on_line(net, w, b):
    """max of h on the line {w.x + b = 0} (n0 = 2), exactly and independently: h restricted to the line
    x(t) = p + t d is piecewise linear with breakpoints where it crosses first-layer lines; ``None`` when
    unbounded above."""
    p = (-b / w[0], fmpq(0)) if w[0] != 0 else (fmpq(0), -b / w[1])
    d = (-w[1], w[0])
    ts = set()
    for wi, bi in zip(net.weights[0], net.biases[0], strict=True):
        s = wi[0] * d[0] + wi[1] * d[1]
        if s != 0:
            ts.add(-(wi[0] * p[0] + wi[1] * p[1] + bi) / s)
    ts = sorted(ts) or [fmpq(0)]
    at = lambda t: _h(net, [p[0] + t * d[0], p[1] + t * d[1]])   # noqa: E731
    if at(ts[0] - 1) > at(ts[0]) or at(ts[-1] + 1) > at(ts[-1]):
        return None
    return max(at(t) for t in ts)


def _mixed_refusal_holds(net, message):
    """The stated reason of the U+- refusal, checked independently: the two points lie in P and are separated by
    a first-layer line on which h <= 0 (so in different components of P), and h minus the kinks of h seen on P
    (a kink line that meets P: h > 0 at a point of it, found by the 1-D restriction) is affine near each point
    with the two stated, different maps."""
    nums = r"(-?\d+(?:/\d+)?)"
    m = re.search(rf"e\.g\. (.*) on the component through \({nums}, {nums}\), (.*) on the one through "
                  rf"\({nums}, {nums}\)\)", message)
    assert m, message
    maps = [m.group(1), m.group(4)]
    pts = [(fmpq(m.group(2)), fmpq(m.group(3))), (fmpq(m.group(5)), fmpq(m.group(6)))]
    assert maps[0] != maps[1] and all(_h(net, p) > 0 for p in pts)
    side = lambda w, b, p: w[0] * p[0] + w[1] * p[1] + b                  # noqa: E731
    assert any(side(w, b, pts[0]) * side(w, b, pts[1]) < 0 and (_max_on_line(net, w, b) or 1) <= 0
               for w, b in zip(net.weights[0], net.biases[0], strict=True) if any(w))
    K = canonical_form(OuterView.of(net).inner)
    seen = [(key, delta[0]) for key, delta in K.kinks if (_max_on_line(net, key[:2], key[2]) or 1) > 0]

    def residual(x):
        return _h(net, x) - sum(d * max(key[0] * x[0] + key[1] * x[1] + key[2], 0) for key, d in seen)

    for text, p in zip(maps, pts, strict=True):
        coef = {"x1": fmpq(0), "x2": fmpq(0), "": fmpq(0)}
        for term in text.split(" + "):
            value, _, var = term.partition("*")
            coef[var] += fmpq(value)
        eps = fmpq(1, 10 ** 6)
        for q in (p, (p[0] + eps, p[1]), (p[0], p[1] + eps), (p[0] - eps, p[1] - eps)):
            assert residual(q) == coef["x1"] * q[0] + coef["x2"] * q[1] + coef[""], (text, q)
    return True


# random parameters whose P is disconnected with a mixed neuron (U+-) and two different affine maps on the
# components of P after the seen kinks are removed (found among seeds 0..299)
MIXED = [((2, 4, 1, 1), 118), ((2, 4, 1, 1), 127), ((2, 4, 1, 1), 247), ((2, 5, 1, 1), 9), ((2, 5, 1, 1), 65),
         ((2, 5, 1, 1), 210)]


@pytest.mark.parametrize("arch, seed", MIXED)
def test_mixed_neurons_forced_by_the_function_are_refused_with_a_reason_that_holds(arch, seed):
    net = Network.random(arch, seed=seed, height=3)
    assert "U+-" in bn.combinatorial_type(net).classes
    with pytest.raises(ArchitectureError, match="no member of its fibre is generic: P has 2 connected") as err:
        generic_representative(net)
    assert _mixed_refusal_holds(net, str(err.value))
    F = sa.fibre(net)        # no generic member, but the fibre is explicit (separated_fibre.py)
    assert F.component_of(net) is not None


def _n0_3(rows, b1, v, e):
    return Network.from_arrays([rows, [v], [[1]]], [b1, [e], [0]])


# n0 = 3, every live row in the plane x3 = 0 (h a function of x1, x2; P-bar a triangular prism along x3): a dead
# neuron with row e3, a dependent fourth row, a second dead neuron (widths 4 and 5)
RANK = {
    "dead e3": _n0_3([[1, 0, 0], [0, 1, 0], [-1, -2, 0], [0, 0, 1]], [0, 0, 0, 2], [-1, -1, -1, 0], 1),
    "dependent": _n0_3([[1, 0, 0], [0, 1, 0], [-1, -2, 0], [1, 1, 0]], [0, 0, 0, -5], [-1, -1, -1, -1], 1),
    "two dead": _n0_3([[1, 0, 0], [0, 1, 0], [-1, -2, 0], [0, 0, 1], [1, 0, 1]], [0, 0, 0, 2, 1],
                      [-1, -1, -1, 0, 0], 1),
}


@pytest.mark.parametrize("name", sorted(RANK))
def test_rank_deficient_first_layers_are_refused_with_a_reason_that_holds(name):
    net = RANK[name]
    n1 = net.widths[1]
    with pytest.raises(ArchitectureError, match=r"of dimension 2 < min\(n0, n1\) = 3.*dead slots \(v' = 0, w' and "
                                                r"b' free: n0 \+ 1 = 4 each\)") as err:
        generic_representative(net)
    assert "no member of its fibre is generic" in str(err.value)
    # the stated reason, independently: f is invariant along x3 (so every visible row, and every row bounded
    # above on the prism P-bar, lies in the plane x3 = 0) ...
    rng = random.Random(3)
    for _ in range(20):
        x = [fmpq(rng.randint(-30, 30), rng.randint(1, 5)) for _ in range(3)]
        assert net(x) == net([x[0], x[1], x[2] + rng.randint(-50, 50)])
    # ... and a dead slot takes any row and bias (n0 + 1 free parameters), also rows off that plane: members of
    # full rank, not generic, which the simple pieces would miss
    if name == "dependent":
        return
    W = [[list(w) for w in net.weights[0]], [list(net.weights[1][0])], [[1]]]
    B = [list(net.biases[0]), [net.biases[1][0]], [0]]
    for _ in range(4):
        W[0][n1 - 1] = [fmpq(rng.randint(-9, 9)) for _ in range(3)]
        B[0][n1 - 1] = fmpq(rng.randint(-9, 9))
        member = Network.from_arrays(W, B)
        assert bool(sa.equivalent(member, net))
        assert not (bool(sa.genericity(member)) and all(c.holds for c in bn.type_checks(member)))
    assert rank([[fmpq(x) for x in w] for w in W[0]]) == 3 or W[0][n1 - 1][2] == 0


def test_a_refusal_whose_premise_fails_is_not_claimed():
    # h' = h + (2 s(x) - s(x - y) - s(x + y)) / 2 with h = s(x + y) + s(y - x) - 2 s(y) = s(|x| - |y|) (regime T):
    # theta (regime PN, h' <= 0 on the cone |x| <= |y|) has the regime-T member h, so not every member has
    # sigma(h') = mu sigma(h); the C* = {0} argument rests on that, so no exact refusal may be stated
    half = fmpq(1, 2)
    theta = Network.from_arrays([[[1, 1], [-1, 1], [0, 1], [1, 0], [1, -1]], [[half, 1, -2, 1, -half]], [[1]]],
                                [[0] * 5, [0], [0]])
    member = Network.from_arrays([[[1, 1], [-1, 1], [0, 1], [0, 0], [0, 0]], [[1, 1, -2, 0, 0]], [[1]]],
                                 [[0] * 5, [0], [0]])
    assert bool(sa.equivalent(theta, member))
    assert bn.combinatorial_type(theta).regime == "PN" and bn.combinatorial_type(member).regime == "T"
    with pytest.raises(ArchitectureError, match="not proven impossible") as err:
        generic_representative(theta)
    assert "no member of its fibre is generic" not in str(err.value)


# planted degeneracies (bench_representative's makers) that leave P disconnected with mixed neurons (U+-)
DISCONNECTED = [
    ([[['1/2', '-1'], ['-2/3', '-3/2'], ['7/18', '1/6']], [['-1/3', '1/3', '1']], [['-2/3']]],
     [['1/2', '1', '-1'], ['-1'], ['1']]),                                               # 0-factor
    ([[['1/2', '1'], ['3', '-3/2'], ['-5/2', '5/2']], [['-1', '1', '1']], [['-1/3']]],
     [['-1', '-1/2', '1'], ['-3/2'], ['-3']]),                                           # 0-factor
    ([[['3/2', '3/2'], ['-3/2', '1/2'], ['3/2', '-1/3'], ['0', '2']], [['1/2', '1/3', '1', '-1']], [['-1']]],
     [['-2/3', '-1', '-2', '-1/2'], ['-1'], ['-1']]),                                    # dependent row
    ([[['1/2', '3/2'], ['-1/2', '-2/3'], ['2/3', '1'], ['-3', '-1']], [['1', '-2/3', '-3', '3']], [['1/3']]],
     [['1', '-1/3', '3/2', '2/3'], ['155/378'], ['1']]),                                 # vertex on h = 0
    ([[['-1', '-1'], ['-2', '-3'], ['1/2', '3']], [['3', '-1', '-1']], [['3/2']]],
     [['-2/3', '1/2', '-1'], ['13/10'], ['-2']]),                                        # vertex on h = 0
]


def _ray_in_p(net, p, r):
    """Whether h > 0 on a whole ray {p + t r : t >= T} (exact: beyond every breakpoint h is affine in t)."""
    T = 1 + max([abs((sum(a * x for a, x in zip(w, p, strict=True)) + b) / sum(a * x for a, x in zip(w, r, strict=True)))
                 for w, b in zip(net.weights[0], net.biases[0], strict=True)
                 if sum(a * x for a, x in zip(w, r, strict=True)) != 0] + [fmpq(0)])
    at = lambda t: _h(net, [x + t * y for x, y in zip(p, r, strict=True)])      # noqa: E731
    return at(T) > 0 and at(T + 1) >= at(T)


def _positively_spanning(dirs):
    """Whether plane directions positively span R^2: no closed half-plane {n.x >= 0} (n among the directions
    turned by +-90 degrees, which suffice) holds all of them strictly on one side."""
    normals = [(-y, x) for x, y in dirs] + [(y, -x) for x, y in dirs]
    return len(dirs) >= 3 and not any(all(n[0] * x + n[1] * y >= 0 for x, y in dirs) for n in normals)


@pytest.mark.parametrize("k", range(len(DISCONNECTED)))
def test_planted_disconnected_parameters_get_a_representative_or_an_exact_refusal(k):
    W, B = DISCONNECTED[k]
    net = Network.from_arrays(*[[[[fmpq(x) for x in r] for r in L] if isinstance(L[0], list) else
                                 [fmpq(x) for x in L] for L in part] for part in (W, B)])
    assert "U+-" in bn.combinatorial_type(net).classes
    try:
        R = generic_representative(net)
    except ArchitectureError as err:
        message = str(err)
        assert "no member of its fibre is generic" in message, message       # never "none was found"
        if "connected components" in message:
            assert _mixed_refusal_holds(net, message)
        if "every half-plane" in message:   # P-bar meets every half-plane: rays of P positively span the plane
            starts = [p for p in ((fmpq(x), fmpq(y)) for x in range(-15, 16, 3) for y in range(-15, 16, 3))
                      if _h(net, p) > 0]
            dirs = [(fmpq(x), fmpq(y)) for x in range(-8, 9) for y in range(-8, 9) if math.gcd(x, y) == 1]
            assert _positively_spanning([r for r in dirs if any(_ray_in_p(net, p, r) for p in starts)])
        return
    assert bool(sa.equivalent(R.network, net)) and bool(sa.genericity(R.network))
    assert all(c.holds for c in bn.type_checks(R.network))


def test_the_fibre_passes_its_budget_to_the_search():
    with pytest.raises(UndecidedError, match="the time budget was spent"):
        sa.fibre(DEAD, budget=0)
    with pytest.raises(UndecidedError, match="generic_representative: the time budget was spent"):
        generic_representative(DEAD, deadline=time.monotonic())
    F = sa.fibre(DEAD, budget=None)
    assert F.generic_representative is not None and F.generic_representative.verify()


def test_one_free_slot_refuted_along_a_ray():
    # (3,5,1,1): a 0-factor planted among four visible neurons next to a U+ neuron; the only orientation without
    # 0-factor needs a U+ neuron sigma(A.x + beta), and far along a ray off P every beta makes h' > 0
    third, half = fmpq(1, 3), fmpq(1, 2)
    net = Network.from_arrays(
        [[[half, 1, 1], [1, 2 * third, -3 * half], [3, 2, -2], [-half, 3, 1], [fmpq(-5, 4), fmpq(1, 6), fmpq(9, 2)]],
         [[3 * half, -2, -2 * third, half, -1]], [[-3]]], [[1, -1, -1, -1, 1], [-2], [-2]])
    with pytest.raises(ArchitectureError, match="no member of its fibre is generic: one slot is free") as err:
        generic_representative(net)
    nums = r"(-?\d+(?:/\d+)?)"
    m = re.search(rf"p = \({nums}, {nums}, {nums}\), d = \({nums}, {nums}, {nums}\)", str(err.value))
    p, d = [fmpq(m.group(i)) for i in (1, 2, 3)], [fmpq(m.group(i)) for i in (4, 5, 6)]
    for t in (10, 100, 10 ** 4, 10 ** 6):          # off P along the ray: f = d there
        assert _h(net, [a + t * b for a, b in zip(p, d, strict=True)]) <= 0
