"""Issue 17 item 4: the constant fibre's (N+) piece, $h' \\le 0$ everywhere with some $v' > 0$ or $e' > 0$, listed
by a quantifier-free formula (vertex and ray atoms of the arrangement, ``constant_fibre.nowhere_positive``).

The judge is the region oracle: $h' \\le 0$ everywhere iff $\\sigma(h')$ computes the zero function. Inner networks
are drawn with small entries, zero and parallel rows and rank-deficient first layers, and $e'$ is set to minus the
value of the rest of $h'$ at a point where hyperplanes meet (often the maximum: the tight case $\\max h' = 0$)."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Architecture, Network
from semialg.engine import regions as pl
from semialg.engine.functional_dimension import functional_dimension
from semialg.errors import UndecidedError
from semialg.core.exact import rank
from semialg.families.bottleneck.constant_fibre import ConstantFibre, nowhere_positive, nowhere_positive_along, \
    uniformly_negative
from semialg.families.bottleneck.fibre import fibre


def _nowhere_positive_by_regions(W, b, v, e) -> bool:
    n0, n1 = len(W[0]), len(W)
    lifted = Network.from_arrays([W, [v], [[1]]], [b, [e], [0]])
    zero = Network.from_arrays([[[0] * n0] * n1, [[0] * n1], [[0]]], [[0] * n1, [0], [0]])
    return bool(pl.equivalent(lifted, zero))


def _meeting_points(W, b):
    """Points where n0 of the hyperplanes and coordinate planes meet (the test's own Gaussian elimination)."""
    n0 = len(W[0])
    rows = [(list(map(Fraction, w)), -Fraction(c)) for w, c in zip(W, b)]
    rows += [([Fraction(int(i == q)) for q in range(n0)], Fraction(0)) for i in range(n0)]
    for pick in itertools.combinations(rows, n0):
        A = [list(r) + [c] for r, c in pick]
        ok = True
        for col in range(n0):
            piv = next((r for r in range(col, n0) if A[r][col] != 0), None)
            if piv is None:
                ok = False
                break
            A[col], A[piv] = A[piv], A[col]
            for r in range(n0):
                if r != col and A[r][col] != 0:
                    f = A[r][col] / A[col][col]
                    A[r] = [x - f * y for x, y in zip(A[r], A[col])]
        if ok:
            yield [A[i][n0] / A[i][i] for i in range(n0)]


def _rest(W, b, v, x) -> Fraction:
    return sum((vj * max(Fraction(0), sum(Fraction(a) * y for a, y in zip(w, x)) + bj)
                for w, bj, vj in zip(W, b, v)), Fraction(0))


@st.composite
def inner(draw):
    n0, n1 = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    small = st.integers(-2, 2)
    W = [[draw(small) for _ in range(n0)] for _ in range(n1)]
    for j in range(1, n1):                     # parallel rows, the degenerate arrangements
        if draw(st.booleans()) and draw(st.booleans()):
            W[j] = [draw(st.sampled_from([-2, -1, 1, 2])) * x for x in W[draw(st.integers(0, j - 1))]]
    b = [draw(small) for _ in range(n1)]
    v = [draw(st.integers(-3, 2)) for _ in range(n1)]
    points = list(itertools.islice(_meeting_points(W, b), 12))
    x = points[draw(st.integers(0, len(points) - 1))]
    e = -_rest(W, b, v, x) + draw(st.sampled_from([0, 0, 0, Fraction(-1, 3), Fraction(1, 5)]))
    return W, b, v, e


@settings(max_examples=120)
@given(inner())
def test_formula_agrees_with_the_region_oracle(case):
    W, b, v, e = case
    n0, n1 = len(W[0]), len(W)
    h = nowhere_positive(Architecture(n0, n1, 1, 1).variables())
    point = Network.from_arrays([W, [v], [[1]]], [b, [e], [0]])
    assert h.holds(point) == _nowhere_positive_by_regions(W, b, v, e), (W, b, v, e)


@settings(max_examples=120)
@given(inner())
def test_the_strict_formula_is_uniform_negativity(case):
    # where the rows span, the strict formula (every atom negative unless its delta or d vanishes) holds iff
    # h <= -eps (1 + |x|): the vertex-and-ray evaluation of uniformly_negative, an independent implementation;
    # both imply the region oracle's h <= 0
    W, b, v, e = case
    n0, n1 = len(W[0]), len(W)
    strict = nowhere_positive(Architecture(n0, n1, 1, 1).variables(), coordinate_planes=False, strict=True)
    point = Network.from_arrays([W, [v], [[1]]], [b, [e], [0]])
    if rank([[fmpq(x) for x in w] for w in W]) < n0:
        return
    negative = uniformly_negative(Network.from_arrays([W, [v]], [b, [e]]))
    assert strict.holds(point) == negative, (W, b, v, e)
    assert not negative or _nowhere_positive_by_regions(W, b, v, e)



@settings(max_examples=150)
@given(inner(), st.data())
def test_the_formula_along_a_line_is_the_composed_formula(case, data):
    # the line-restricted evaluation (atoms built from univariate entries) against the symbolic formula's
    # polynomials composed with the line (Formula.robust_along / holds_along): an independent route
    W, b, v, e = case
    n0, n1 = len(W[0]), len(W)
    point = Network.from_arrays([W, [v], [[1]]], [b, [e], [0]])
    D = point.architecture.num_parameters
    step = data.draw(st.one_of(st.none(), st.lists(st.sampled_from([0, 0, 0, 1, -1, 2, Fraction(1, 3)]),
                                                    min_size=D, max_size=D)))
    direction = [fmpq(0)] * D if step is None else [fmpq(Fraction(x).numerator, Fraction(x).denominator) for x in step]
    V = Architecture(n0, n1, 1, 1).variables()
    h = nowhere_positive(V, coordinate_planes=False)
    strict = nowhere_positive(V, coordinate_planes=False, strict=True)
    theta = point.parameters()
    assert nowhere_positive_along(point, step and direction, robust=True) == h.robust_along(theta, direction)
    assert nowhere_positive_along(point, step and direction) == h.holds_along(theta, direction)
    assert nowhere_positive_along(point, step and direction, strict=True) == strict.holds_along(theta, direction)

def test_atom_count_and_a_hand_example():
    """In 2-3-1: C(5, 2) = 10 vertex atoms and 2 C(5, 1) = 10 ray atoms (none vanishes identically)."""
    h = nowhere_positive(Architecture(2, 3, 1, 1).variables())
    assert h.atoms() == 20
    # sigma(x) - sigma(x + y) - sigma(x - y) - 1 <= 0: x <= max(0, x + y) + max(0, x - y) everywhere
    good = Network.from_arrays([[[1, 0], [1, 1], [1, -1]], [[1, -1, -1]], [[1]]], [[0, 0, 0], [-1], [0]])
    # sigma(x) - sigma(x + y) - 1 is 1 - 1 + ... unbounded along x -> +inf, y -> -inf
    bad = Network.from_arrays([[[1, 0], [1, 1], [0, 1]], [[1, -1, 0]], [[1]]], [[0, 0, 0], [-1], [0]])
    assert h.holds(good) and not h.holds(bad)
    assert _nowhere_positive_by_regions([[1, 0], [1, 1], [1, -1]], [0, 0, 0], [1, -1, -1], -1)
    assert not _nowhere_positive_by_regions([[1, 0], [1, 1], [0, 1]], [0, 0, 0], [1, -1, 0], -1)


def _constant_net(seed: int) -> Network:
    rng = random.Random(seed)
    widths = (rng.choice([1, 2]), rng.choice([2, 3]), 1, rng.choice([1, 2]))
    net = Network.random(widths, seed=seed, height=3)
    return Network(net.weights[:1] + ((tuple(-abs(x) for x in net.weights[1][0]),),) + net.weights[2:],
                   net.biases[:1] + ((-abs(net.biases[1][0]) - 1,),) + net.biases[2:])


def _computes(x: Network, d, rng) -> bool:
    pts = [[fmpq(rng.randint(-60, 60), rng.randint(1, 5)) for _ in range(x.widths[0])] for _ in range(16)]
    return all(tuple(x(p)) == tuple(d) for p in pts)


@settings(max_examples=8)
@given(st.integers(0, 10 ** 5))
def test_nonpositive_piece_samples_members_and_rejects_neighbours(seed):
    net = _constant_net(seed)
    F = fibre(net)
    rng = random.Random(seed)
    d = tuple(net.biases[2])
    B = F.build("nonpositive")
    outside = 0
    for s in range(3):
        x = F.sample(rng.randrange(10 ** 6), "nonpositive")
        assert _computes(x, d, rng) and bool(sa.equivalent(net, x))
        assert B.contains(x) and F.component_of(x) == "nonpositive"
        assert any(y > 0 for y in x.weights[1][0]) or x.biases[1][0] > 0
        for t in (fmpq(1, 2), fmpq(3), fmpq(20)):      # raising e': in the piece iff still equivalent
            up = Network(x.weights, (x.biases[0], (x.biases[1][0] + t,), x.biases[2]))
            inside = bool(pl.equivalent(net, up))
            assert B.contains(up) == inside == F.contains(up)
            outside += not inside
    assert outside


def test_the_rest_of_n_is_located_now():
    """The unlisted member of session 11 (h' = sigma(x) - 2 sigma(x) - 1 with a positive v') is in the piece; one
    with h' unbounded is not."""
    net = Network.from_arrays([[[1], [2]], [[-1, -1]], [[3]]], [[0, 1], [-1], [5]])
    F = ConstantFibre(net)
    member = Network.from_arrays([[[1], [1]], [[1, -2]], [[4]]], [[0, 0], [-1], [5]])
    outside = Network.from_arrays([[[1], [1]], [[2, -1]], [[4]]], [[0, 0], [-1], [5]])
    assert F.locate(member) == "nonpositive" and F.build("nonpositive").contains(member)
    assert F.locate(outside) is None and not F.build("nonpositive").contains(outside)
    positive_e = Network.from_arrays([[[1], [-1]], [[-2, -2]], [[4]]], [[0, 1], [1], [5]])   # max h' = -1
    assert F.locate(positive_e) == "nonpositive" and F.build("nonpositive").contains(positive_e)


@st.composite
def below_zero(draw):
    """An inner network with a positive v' and e' = -1/3 - (its largest value at the meeting points): nowhere
    positive, with a margin, whenever it is bounded above."""
    n0, n1 = draw(st.integers(1, 2)), draw(st.integers(2, 4))
    W = [[draw(st.sampled_from([-3, -2, -1, 1, 2, 3])) for _ in range(n0)] for _ in range(n1)]
    b = [Fraction(draw(st.integers(-6, 6)), 3) for _ in range(n1)]
    v = [draw(st.integers(1, 2))] + [draw(st.integers(-4, -1)) for _ in range(n1 - 1)]
    e = -max(_rest(W, b, v, x) for x in _meeting_points(W, b)) - Fraction(1, 3)
    return W, b, v, e


@settings(max_examples=40)
@given(below_zero())
def test_local_dimension_from_a_robust_formula_matches_the_oracle(case):
    """Where some v' or e' is positive and the formula holds robustly, every nearby inner network is nowhere
    positive: f moves only with d', so D - dim_fun (the region oracle) is the local dimension D - n3."""
    W, b, v, e = case
    n0, n1 = len(W[0]), len(W)
    if all(x <= 0 for x in v) and e <= 0 or not _nowhere_positive_by_regions(W, b, v, e):
        return
    net = Network.from_arrays([[[0] * n0] * n1, [[0] * n1], [[1]]], [[0] * n1, [-1], [1]])
    x = Network.from_arrays([W, [v], [[2]]], [b, [e], [1]])
    try:
        got = ConstantFibre(net).local_dimension(x)
    except UndecidedError:
        return
    assert got == len(x.parameters()) - functional_dimension(x).value == len(x.parameters()) - 1


def test_local_dimension_robust_and_tight_members():
    net = Network.from_arrays([[[1], [2]], [[-1, -1]], [[3]]], [[0, 1], [-1], [5]])
    F = ConstantFibre(net)
    robust = Network.from_arrays([[[1], [1]], [[1, -2]], [[4]]], [["1/2", "-1/2"], [-2], [5]])    # max h' = -1
    silent = Network.from_arrays([[[1], [1]], [[1, -2]], [[0]]], [["1/2", "-1/2"], [-2], [5]])
    for x in (robust, silent):
        assert F.local_dimension(x) == 8 == len(x.parameters()) - functional_dimension(x).value
    tight = Network.from_arrays([[[1], [1]], [[1, -2]], [[4]]], [[0, -1], [-1], [5]])           # max h' = 0
    # not robust at tight itself, but e' - t makes max h' = -t < 0 robustly: tight is in the closure of the
    # interior of (N), of dimension D - n3 = 8
    assert F.local_dimension(tight) == 8
    lowered = Network.from_arrays([[[1], [1]], [[1, -2]], [[4]]], [[0, -1], ["-1001/1000"], [5]])
    assert bool(pl.equivalent(lowered, net)) and F.local_dimension(lowered) == 8


@st.composite
def fenced(draw):
    """An inner network with positive v', twins and parallel rows, fenced by -M (s(x_q) + s(-x_q)) on every axis
    (M above the sum of v'_j |w'_j|_1 over v'_j > 0: the recession is negative in every direction) and e' = -1/3 -
    (its largest value at the meeting points): h' <= -eps (1 + |x|)."""
    n0, n1 = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    W = [[draw(st.integers(-2, 2)) for _ in range(n0)] for _ in range(n1)]
    b = [Fraction(draw(st.integers(-6, 6)), 3) for _ in range(n1)]
    v = [draw(st.integers(-2, 3)) for _ in range(n1)]
    if n1 > 1 and draw(st.booleans()):        # a twin of the first neuron
        s = draw(st.sampled_from([1, 2]))
        W[1], b[1] = [s * x for x in W[0]], s * b[0]
    M = 1 + sum(vj * sum(map(abs, w)) for w, vj in zip(W, v) if vj > 0)
    for q in range(n0):
        for sign in (1, -1):
            W.append([sign * int(i == q) for i in range(n0)])
            b.append(Fraction(0))
            v.append(-M)
    e = -max(_rest(W, b, v, x) for x in _meeting_points(W, b)) - Fraction(1, 3)
    return W, b, v, e


@settings(max_examples=30, deadline=None)
@given(fenced())
def test_uniformly_negative_members_have_the_full_dimension(case):
    """Uniformly negative h' (the fence), even with positive v', twins and rows on one hyperplane: every nearby
    inner network is nowhere positive, so the local dimension is D - n3 — decided, and equal to D - dim_fun of the
    region oracle; the oracle confirms h' <= 0."""
    W, b, v, e = case
    n0, n1 = len(W[0]), len(W)
    assert _nowhere_positive_by_regions(W, b, v, e)
    net = Network.from_arrays([[[0] * n0] * n1, [[0] * n1], [[1]]], [[0] * n1, [-1], [1]])
    x = Network.from_arrays([W, [v], [[2]]], [b, [e], [1]])
    got = ConstantFibre(net).local_dimension(x)
    assert got == len(x.parameters()) - functional_dimension(x).value == len(x.parameters()) - 1


@given(st.integers(0, 10 ** 6))
def test_restriction_to_a_line_agrees_with_composition(seed):
    # the coefficients of p(x + t d) from deg p + 1 values (divided differences) against flint's composition
    import flint
    from semialg.families.bottleneck.hidden_formula import _restricted
    rng = random.Random(seed)
    ctx = flint.fmpq_mpoly_ctx.get(("a", "b", "c"), "lex")
    tctx = flint.fmpq_mpoly_ctx.get(("t",), "lex")
    (t,) = tctx.gens()
    p = ctx.from_dict({tuple(rng.randint(0, 3) for _ in range(3)): fmpq(rng.randint(-5, 5), rng.randint(1, 3))
                       for _ in range(rng.randint(0, 6))})
    x, d = ([fmpq(rng.randint(-3, 3), rng.randint(1, 2)) for _ in range(3)] for _ in range(2))
    want = [fmpq(0)] * (max(p.total_degree(), 0) + 1)
    for (k,), c in p.compose(*[a + b * t for a, b in zip(x, d)], ctx=tctx).to_dict().items():
        want[k] = c
    assert _restricted(p, x, d) == want
