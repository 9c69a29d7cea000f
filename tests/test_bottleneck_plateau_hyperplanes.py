"""Case (a), regime T: is there a hyperplane inside the plateau {g = 0} (g = h - min h, or sup h - h)?
Decided exactly for every n0 >= 2 (``semialg.families.bottleneck.plateau``). Oracles independent of that code:
exact evaluation of h at rational points of a named hyperplane, ``sa.equivalent`` on samples, perturbations and
neurons moved into the plateau, planted hyperplanes, and for n0 = 2 the older vertex-pair search (every line
through two arrangement vertices, or through one parallel to a kink line, checked at its crossings)."""

from __future__ import annotations

import itertools
import random
import re
from fractions import Fraction

import pytest
from flint import fmpq
from hypothesis import HealthCheck, assume, given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.arrangement import NetworkArrangement, extreme_values
from semialg.families.bottleneck.plateau import concurrent_flats, hyperplane_in_zero_set
from semialg.families.bottleneck.views import OuterView
from semialg.families.shallow import canonical_form


def _net(W1, b1, v, e, c=(1,), d=(0,)) -> Network:
    return Network.from_arrays([W1, [v], [[x] for x in c]], [b1, [e], list(d)])


def _h(net: Network, x) -> fmpq:
    """The inner network at x (exact, independent of the code under test)."""
    W1, b1 = net.weights[0], net.biases[0]
    v, e = net.weights[1][0], net.biases[1][0]
    return sum((vi * max(fmpq(0), sum((a * xi for a, xi in zip(w, x, strict=True)), fmpq(0)) + b)
                for vi, w, b in zip(v, W1, b1, strict=True)), e)


def _points_on(row, k: int = 2):
    """Rational points of {u.x + beta = 0} on a grid: free coordinates in [-k, k] (halves), x_p solved."""
    u, beta = [fmpq(x) for x in row[:-1]], fmpq(row[-1])
    p = next(i for i, x in enumerate(u) if x != 0)
    free = [i for i in range(len(u)) if i != p]
    for vals in itertools.product([fmpq(a, 2) for a in range(-2 * k, 2 * k + 1)], repeat=len(free)):
        x = [fmpq(0)] * len(u)
        for i, val in zip(free, vals, strict=True):
            x[i] = val
        x[p] = -(beta + sum((u[i] * x[i] for i in free), fmpq(0))) / u[p]
        yield x


def _refusal(net: Network):
    """The plateau value and the hyperplane named by the refusal of ``sa.fibre``."""
    with pytest.raises(sa.ArchitectureError, match="lies in that plateau") as err:
        sa.fibre(net)
    msg = str(err.value)
    value = Fraction(re.search(r"attains its (?:minimum|maximum) (\S+) on", msg).group(1))
    m = re.search(r"the hyperplane \{x : \(([^)]*)\) \. x \+ (\S+) = 0\}", msg)
    row = [Fraction(x) for x in m.group(1).split(",")] + [Fraction(m.group(2))]
    return fmpq(value.numerator, value.denominator), [fmpq(x.numerator, x.denominator) for x in row]


def _check_refusal(net: Network) -> None:
    """The named hyperplane really lies in the plateau: h equals the named extreme value on a grid of it."""
    value, row = _refusal(net)
    assert all(_h(net, x) == value for x in _points_on(row))


def _agree(F, net: Network, x: Network) -> bool:
    eq = bool(sa.equivalent(net, x))
    assert (F.component_of(x) is not None) == eq == F.contains(x), (x, eq)
    return eq


def _into_plateau(net: Network, i: int, delta) -> Network:
    """Neuron ``i`` moved by ``delta`` towards its inactive side, e compensating on its active side."""
    b1 = list(net.biases[0])
    b1[i] += delta
    return net.replace_layer(1, bias=b1).replace_layer(2, bias=[net.biases[1][0] - net.weights[1][0][i] * delta])


def _gaps(net: Network):
    """g = h - min h and, for bounded h, sup h - h (as shallow networks), without the fibre code."""
    view = OuterView.of(net)
    low, high = extreme_values(view, NetworkArrangement((view.inner,)))
    (W1, v), (b1, e) = (net.weights[0], net.weights[1][0]), (net.biases[0], net.biases[1][0])
    out = [Network((W1, (v,)), (b1, (e - low,)))]
    if high is not None:
        out.append(Network((W1, (tuple(-x for x in v),)), (b1, (high - e,))))
    return out


# -- planted hyperplanes --------------------------------------------------------------------------------------

ABS = [[1, 1, 0], [-1, 1, 0], [0, 1, 0]], [0, 0, 0], [1, 1, -2]      # s(|x| - |y|): 0 on |x| <= |y|


def test_two_variable_h_embedded_in_three_inputs():
    """h = s(|x| - |y + z|) (every kink plane through the line x = 0 = y + z) with a dead neuron: the planes
    x = +-(y + z) lie in {h = 0}; the search finds one, fibre refuses naming it, and the named plane checks."""
    net = _net([[1, 1, 1], [-1, 1, 1], [0, 1, 1], [1, 2, 3]], [0, 0, 0, 5], [1, 1, -2, 0], 0)
    g = _gaps(net)[0]
    row = hyperplane_in_zero_set(g)
    assert row is not None and row[:-1] in ((1, 1, 1), (1, -1, -1)) and row[-1] == 0
    assert all(_h(net, x) == 0 for x in _points_on(row))
    _check_refusal(net)
    # without the dead neuron the kink planes x = +-(y + z) of neurons 1, 2 still lie in the plateau: refused
    lean = _net([[1, 1, 1], [-1, 1, 1], [0, 1, 1]], [0, 0, 0], [1, 1, -2], 0)
    with pytest.raises(sa.ArchitectureError, match=r"neurons \[1, 2\] lie in it too"):
        sa.fibre(lean)


def test_a_plane_through_two_concurrent_flats():
    """s(|x| - |y|) + s(|x| - |z|) vanishes on x = 0, not a kink plane: it passes through the two lines where
    three kink planes meet. Also with the second triple shifted (x = 0 through parallel flats) and with a parallel
    family (x = +-5 parallel to the plane). With two dead neurons the fibre refuses; with one, h' - g could kink on
    one plane only and is 0, so the listed components are the fibre; with none as well."""
    W, b, v = ABS
    dead = ([[0, 1, 1], [1, 2, 0]], [0, 7], [0, 0])
    nets = {"both": (W + [[1, 0, 1], [-1, 0, 1], [0, 0, 1]], b + [0, 0, 0], v + [1, 1, -2]),
            "shifted": (W + [[1, 1, 0], [-1, 1, 0], [0, 1, 0]], b + [-4, -4, -4], v + [1, 1, -2]),
            "walls": (W + [[1, 0, 0], [-1, 0, 0]], b + [-5, -5], v + [1, 1])}
    rng = random.Random(2)
    for name, (W1, b1, v1) in nets.items():
        for spare in (2, 1, 0):
            net = _net(W1 + dead[0][:spare], b1 + dead[1][:spare], v1 + dead[2][:spare], 0)
            g = _gaps(net)[0]
            assert concurrent_flats([k for k, _ in canonical_form(g).kinks])
            assert hyperplane_in_zero_set(g) == (1, 0, 0, 0)
            if spare == 2:
                _check_refusal(net)
                continue
            if name != "both":
                continue
            F = sa.fibre(net)
            assert F.component_of(net) is not None
            for i in rng.sample(range(net.widths[1]), 3):
                _agree(F, net, _into_plateau(net, i, rng.choice((-1, fmpq(1, 2)))))
            if spare:      # the dead neuron put on the plane x = 0 with a weight: not a member
                _agree(F, net, net.replace_layer(1, [list(r) for r in net.weights[0][:-1]] + [[1, 0, 0]],
                                                 list(net.biases[0][:-1]) + [0])
                       .replace_layer(2, [list(net.weights[1][0][:-1]) + [-1]]))


def test_concurrent_planes_without_a_plane_in_the_plateau_are_listed():
    """Three kink planes through the z-axis, but {h = min h} is a wedge (s(x) + s(y) + s(x + y)) or a wedge cut
    by a half-space (s(|x| - |y|) + s(z)): no plane fits, so a spare neuron cannot hide there and the listed
    components are the whole fibre (the old sufficient test refused these)."""
    wedge = _net([[1, 0, 0], [0, 1, 0], [1, 1, 0], [1, 2, 3]], [0, 0, 0, 7], [1, 2, 1, 0], 1, (2,), (1,))
    W, b, v = ABS
    cut = _net(W + [[0, 0, 1], [0, 0, 0]], b + [0, 3], v + [1, 1], 0)
    rng = random.Random(5)
    for net in (wedge, cut):
        assert all(hyperplane_in_zero_set(g) is None for g in _gaps(net))
        F = sa.fibre(net)
        for k, j in enumerate(rng.sample(list(itertools.islice(F.index, 40)), 3)):
            x = F.component(j).sample(seed=k)
            assert bool(sa.equivalent(net, x))
            p = list(x.parameters())
            p[rng.randrange(len(p))] += fmpq(rng.choice((-1, 1)), rng.randint(2, 5))
            _agree(F, net, Network.from_parameters(x.architecture, p))
        for i in range(net.widths[1]):
            for delta in (-1, fmpq(1, 2), 2):
                _agree(F, net, _into_plateau(net, i, delta))


# -- n0 = 2: against the vertex-pair search ---------------------------------------------------------------------

def _vertex_pair_line(g: Network):
    """Whether a line lies in {g = 0}: every line through two vertices of the kink-line arrangement, through one
    vertex parallel to a kink line, and every kink line, checked exactly at its crossings and beyond them."""
    keys = [k for k, _ in canonical_form(g).kinks]
    vertices = set()
    for a, b in itertools.combinations(keys, 2):
        det = a[0] * b[1] - a[1] * b[0]
        if det != 0:
            vertices.add(((-a[2] * b[1] + b[2] * a[1]) / det, (-a[0] * b[2] + b[0] * a[2]) / det))
    cands = [((-k[2] / k[0], fmpq(0)) if k[0] != 0 else (fmpq(0), -k[2] / k[1]), (-k[1], k[0])) for k in keys]
    cands += [(q, (r[0] - q[0], r[1] - q[1])) for q, r in itertools.combinations(sorted(vertices), 2)]
    cands += [(q, (-k[1], k[0])) for q in vertices for k in keys]
    for q, d in cands:
        ts = sorted({-(k[0] * q[0] + k[1] * q[1] + k[2]) / (k[0] * d[0] + k[1] * d[1]) for k in keys
                     if k[0] * d[0] + k[1] * d[1] != 0})
        if ts and all(_h(g, (q[0] + t * d[0], q[1] + t * d[1])) == 0 for t in ts + [ts[0] - 1, ts[-1] + 1]):
            return True
    return False


@st.composite
def plateau_parameters(draw, n0: int):
    """A small-integer (n0, n1, 1, 1) parameter of regime T, rich in concurrent kink hyperplanes (biases mostly 0,
    rows in {-1, 0, 1}^n0), whose h = min h (or sup h) on an open set."""
    n1 = draw(st.integers(3, 5))
    W1 = [[draw(st.integers(-1, 1)) for _ in range(n0)] for _ in range(n1)]
    b1 = [draw(st.sampled_from((0, 0, 0, 1, -1))) for _ in range(n1)]
    v = [draw(st.sampled_from((1, 1, 2, -1, -2))) for _ in range(n1)]
    net = _net(W1, b1, v, 20)
    assume(bn.combinatorial_type(net).regime == "T")
    try:
        gaps = _gaps(net)
    except sa.ArchitectureError:
        assume(False)
    assume(len({tuple(k[:-1]) for k, _ in canonical_form(gaps[0]).kinks}) > 1)        # not a ridge function
    plateau = [g for g in gaps if any(_h(g, x) == 0 and all(_h(g, y) == 0 for y in _around(x))
                                      for x in itertools.product(range(-3, 4), repeat=n0))]
    assume(plateau)
    low = 20 - gaps[0].biases[1][0]
    return net.replace_layer(2, bias=[20 - low + draw(st.sampled_from((0, 0, 1)))])


def _around(x):
    """The corners of a small cube around x: g = 0 at x and there is the strategy's (heuristic) filter for a plateau
    with interior; a parameter without one only makes a weaker example."""
    return [tuple(fmpq(a) + fmpq(s, 4) for a, s in zip(x, signs, strict=True))
            for signs in itertools.product((-1, 1), repeat=len(x))]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(plateau_parameters(2), st.lists(st.integers(-2, 2), min_size=6, max_size=6))
def test_two_inputs_agree_with_the_vertex_pair_search(net, A):
    """Also lifted to three inputs, g(Ax) with A of rank 2: a plane lies in its plateau iff a line lies in g's."""
    A = [A[:3], A[3:]]
    for g in _gaps(net):
        row = hyperplane_in_zero_set(g)
        assert (row is not None) == _vertex_pair_line(g)
        if row is not None:
            assert all(_h(g, x) == 0 for x in _points_on(row, 3))
        if A[0][0] * A[1][1] - A[0][1] * A[1][0] != 0:
            W = [[w[0] * A[0][j] + w[1] * A[1][j] for j in range(3)] for w in g.weights[0]]
            lifted = Network((W, g.weights[1]), g.biases)
            plane = hyperplane_in_zero_set(lifted)
            assert (plane is not None) == (row is not None)
            if plane is not None:
                assert all(_h(lifted, x) == 0 for x in _points_on(plane, 1))


# -- n0 = 3: random plateaus ------------------------------------------------------------------------------------

@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(plateau_parameters(3), st.integers(0, 10 ** 6))
def test_random_three_input_plateaus(net, seed):
    """Listed: samples, perturbations and neurons moved into the plateau agree with sa.equivalent. Refused: the
    named hyperplane lies in the plateau (exact evaluation on a grid of it)."""
    rng = random.Random(seed)
    try:
        F = sa.fibre(net)
    except sa.ArchitectureError as err:
        assert "lies in that plateau" in str(err)
        _check_refusal(net)
        return
    assert F.component_of(net) is not None
    for k, j in enumerate(rng.sample(list(itertools.islice(F.index, 30)), 2)):
        x = F.component(j).sample(seed=seed + k)
        assert bool(sa.equivalent(net, x))
        p = list(x.parameters())
        p[rng.randrange(len(p))] += fmpq(rng.choice((-1, 1)), rng.randint(2, 9))
        _agree(F, net, Network.from_parameters(x.architecture, p))
    for i in range(net.widths[1]):
        _agree(F, net, _into_plateau(net, i, rng.choice((-1, fmpq(1, 2), 2))))


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(plateau_parameters(2), st.lists(st.integers(-2, 2), min_size=6, max_size=6))
def test_two_inputs_agree_with_the_vertex_pair_search_many(net, A):
    test_two_inputs_agree_with_the_vertex_pair_search.hypothesis.inner_test(net, A)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(plateau_parameters(3), st.integers(0, 10 ** 6))
def test_random_three_input_plateaus_many(net, seed):
    test_random_three_input_plateaus.hypothesis.inner_test(net, seed)
