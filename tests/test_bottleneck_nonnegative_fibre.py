"""Case (a), regime T (h >= 0 everywhere, f = c h + d): explicit fibres (issue 17, item 2) checked against
``sa.equivalent`` and exact evaluation: samples, located components, translations of e' and d' along c, rescalings,
reflections of bounded h, perturbations, and dimension = D - functional dimension."""

from __future__ import annotations

import itertools
import random

import pytest
from flint import fmpq
from hypothesis import HealthCheck, assume, given, settings, strategies as st

import semialg as sa
from semialg.errors import UndecidedError
from semialg import Network
from semialg.core.exact import rank
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.nonnegative_fibre import NonnegativeFibre


def _net(W1, b1, v, e, c, d) -> Network:
    return Network.from_arrays([W1, [v], [[x] for x in c]], [b1, [e], d])


def _moved(net: Network, mu, t) -> Network:
    r"""$(h' = \mu h + t,\ c' = c/\mu,\ d' = d - ct/\mu)$ built by hand: the same function iff $\mu h + t \ge 0$."""
    mu, t = fmpq(mu), fmpq(t)
    (W1, W2, W3), (b1, b2, b3) = net.weights, net.biases
    return Network((W1, (tuple(mu * x for x in W2[0]),), tuple((r[0] / mu,) for r in W3)),
                   (b1, (mu * b2[0] + t,), tuple(y - r[0] * t / mu for r, y in zip(W3, b3, strict=True))))


def _h(net: Network, x) -> fmpq:
    """The inner network at x (exact, independent of the fibre code)."""
    W1, b1 = net.weights[0], net.biases[0]
    v, e = net.weights[1][0], net.biases[1][0]
    return sum((vi * max(fmpq(0), sum((a * xi for a, xi in zip(w, x, strict=True)), fmpq(0)) + b)
                for vi, w, b in zip(v, W1, b1, strict=True)), e)


def _agree(F, net: Network, x: Network) -> bool:
    """Membership by the listed components, by the fibre and by the equivalence oracle all agree."""
    eq = bool(sa.equivalent(net, x))
    listed = F.component_of(x) is not None
    assert listed == eq == F.contains(x), (listed, eq)
    return eq


# -- examples ------------------------------------------------------------------------------------------------

GENERIC = _net([[1, 0], [0, 1], [1, 1]], [0, 1, -1], [1, 2, 1], 1, [2, 3], [1, 0])      # min h = 1 at a vertex
BOUNDED_1D = _net([[1], [1], [1], [1]], [0, -1, -3, -4], [1, -2, 2, -1], 2, [3], [1])     # 1 <= h <= 3, points
BOUNDED_2D = _net([[1, 0], [1, 0], [0, 1], [0, 1]], [0, -1, 0, -1], [1, -1, 1, -1], 1, [2], [1])  # 1 <= h <= 3
DEAD_HALF_LINE = _net([[1], [1]], [0, -1], [1, 2], 0, [1], [0])   # h = s(x) + 2 s(x - 1): h = 0 on x <= 0


def test_generic_regime_t_fibre():
    F = sa.fibre(GENERIC)
    D = GENERIC.architecture.num_parameters
    assert F.dimension == bn.fibre_dimension(GENERIC) == 3 + 2 == \
        D - sa.functional_dimension(GENERIC, method="batch").value
    assert F.num_components == 6 and len(list(F.components())) == 6   # S_3, no flips, mu > 0 only
    assert F.component_of(GENERIC) is not None and F.local_dimension() == 5
    for k, j in enumerate(F.index):
        x = F.component(j).sample(seed=k)
        assert F.component(j).violated(x) is None and bool(sa.equivalent(GENERIC, x))
        assert F.component_of(x) == j and F.local_dimension(x) == 5
    assert "\\mu" in F.index_name and F.to_latex() and F.to_json()["num_components"] == 6
    assert "regime T" in F.describe()


def test_translations_along_c_and_rescalings():
    F = sa.fibre(GENERIC)
    m = NonnegativeFibre(GENERIC).low
    assert m == 1 and min(_h(GENERIC, (fmpq(a, 2), fmpq(b, 2))) for a in range(-9, 9) for b in range(-9, 9)) >= m
    for mu in (1, fmpq(1, 3), 4):
        for delta in (fmpq(-1, 7), 0, fmpq(1, 5), 3):       # t = -mu m + delta: a member iff delta >= 0
            assert _agree(F, GENERIC, _moved(GENERIC, mu, -mu * m + delta)) == (delta >= 0)
    # e moved alone, d moved alone along c, or c' not parallel to c: not members
    assert not _agree(F, GENERIC, GENERIC.replace_layer(2, bias=[2]))
    assert not _agree(F, GENERIC, GENERIC.replace_layer(3, bias=[3, 3]))
    assert not _agree(F, GENERIC, GENERIC.replace_layer(3, [[2], [4]]))
    # no reflections: h is unbounded above
    assert not _agree(F, GENERIC, _moved(GENERIC, -1, 100))


@pytest.mark.parametrize("net", [BOUNDED_1D, BOUNDED_2D], ids=["n0=1", "n0=2"])
def test_reflections_of_bounded_h(net):
    F = sa.fibre(net)
    parts = NonnegativeFibre(net)
    assert parts.signs == (1, -1)
    M, m = parts.high, parts.low
    values = [_h(net, x) for x in itertools.product([fmpq(a, 4) for a in range(-12, 24)], repeat=net.widths[0])]
    assert max(values) <= M and min(values) >= m and M in values and m in values
    for mu in (-1, fmpq(-2, 3)):
        for delta in (fmpq(-1, 9), 0, 2):                  # t = |mu| M + delta: a member iff delta >= 0
            x = _moved(net, mu, -mu * M + delta)
            assert _agree(F, net, x) == (delta >= 0)
            if delta >= 0:
                assert F.component_of(x)[0] == -1
    reflected = [j for j in F.index if j[0] == -1]
    assert len(reflected) * 2 == F.num_components
    for k, j in enumerate(reflected[:4]):
        x = F.component(j).sample(seed=k)
        assert x.weights[2][0][0] * net.weights[2][0][0] < 0                  # c' = c/mu, mu < 0
        assert bool(sa.equivalent(net, x)) and F.component_of(x) == j
    D = net.architecture.num_parameters
    assert F.dimension == net.widths[1] + 2 == D - sa.functional_dimension(net, method="batch").value
    assert "reflection" in [m.name for m in bn.hidden_symmetries(net)]


def test_reflection_mechanism_only_for_bounded_h():
    names = [m.name for m in bn.hidden_symmetries(GENERIC)]
    assert "e <-> d trade" in names and "reflection" not in names


def test_plateau_members_beyond_translations_are_listed():
    # h = s(x) + 2 s(x - 1) vanishes on x <= 0 and its neuron at 0 is not seen on {h > 0}: it can move into the
    # plateau, giving members with h' < 0 somewhere that are not of the form mu h + t (the plateau piece Pmin).
    moved = _net([[1], [1]], [1, -1], [1, 2], -1, [1], [0])            # h' = s(x + 1) + 2 s(x - 1) - 1
    assert bool(sa.equivalent(DEAD_HALF_LINE, moved)) and _h(moved, (fmpq(-2),)) < 0
    F = sa.fibre(DEAD_HALF_LINE)
    assert _agree(F, DEAD_HALF_LINE, moved) and F.component_of(moved)[0] == "Pmin"
    assert F.component_of(DEAD_HALF_LINE)[0] == 1                      # theta itself: h' = h >= 0
    # seen from the regime-PN side: `moved` (N != empty) has members with h' >= 0 and d' != d (d' - d along c)
    assert bool(sa.equivalent(moved, _moved(DEAD_HALF_LINE, 2, 5)))
    assert _into_plateau(DEAD_HALF_LINE, 0, 1) == moved
    # the same h lifted above 0 keeps the plateau at its minimum: h' = mu (h - 5) on {h > 5}, <= 0 on the plateau
    lifted = DEAD_HALF_LINE.replace_layer(2, bias=[5])
    G = sa.fibre(lifted)
    x = _moved(moved, 1, 0).replace_layer(3, bias=[5])                 # d' = d + c min h
    assert _agree(G, lifted, x) and G.component_of(x)[0] == "Pmin"
    # a plateau at the maximum of a bounded h with its neurons hidden there: mu < 0 members (piece Pmax)
    step = _net([[1], [1]], [0, -1], [1, -1], 0, [1], [0])              # h = s(x) - s(x - 1) in [0, 1]
    H = sa.fibre(step)
    assert {j[0] for j in H.index} == {1, -1, "Pmin", "Pmax"}
    # rows not parallel, kink lines parallel (a neuron with v = 0 off their direction): h is still a ridge function,
    # its plateau members are listed, with rows off u too (typed pieces: here an inert neuron)
    dead_off = _net([[1, 0], [1, 0], [0, 1]], [0, -1, 0], [1, 2, 0], 0, [1], [0])
    F = sa.fibre(dead_off)
    x = _net([[1, 0], [1, 0], [1, 0]], [1, -1, -3], [1, 2, 1], -1, [1], [0])    # h' < 0 on x < -1, slot at 3
    assert not _agree(F, dead_off, x)
    x = _net([[1, 0], [1, 0], [0, 1]], [1, -1, 5], [1, 2, 0], -1, [1], [0])     # the example, dead neuron kept
    assert _agree(F, dead_off, x) and F.component_of(x)[1][2] == ("D",)     # a row off u (v' = 0): listed
    x = _net([[1, 0], [1, 0], [-1, 0]], [1, -1, -3], [1, 2, -1], -1, [1], [0])  # third slot in the plateau, v' < 0
    assert _agree(F, dead_off, x) and F.component_of(x)[0] == "Pmin"
    assert not _agree(F, dead_off, x.replace_layer(2, [[1, 2, 1]]))           # v' > 0 there: h' > 0 far left
    assert bn.fibre_dimension(dead_off) == F.dimension == 7 == F.local_dimension(x)


def test_constant_h_gets_the_constant_fibre():
    """h = 2 everywhere (regime T): refused by the regime-T fibre, described by the constant fibre of f = 2."""
    net = _net([[1, 0], [0, 1]], [0, 1], [0, 0], 2, [1], [0])
    assert bn.combinatorial_type(net).regime == "T"
    with pytest.raises(sa.ArchitectureError, match="constant"):
        NonnegativeFibre(net)
    F = sa.fibre(net)
    assert F.dimension == len(net.parameters()) - 1 and F.contains(net) and F.component_of(net)[0] == "K"


def test_zero_factor_flips_in_regime_t():
    net = _net([[1, 0], [0, 1], [-1, -1]], [0, 0, 0], [1, 1, 1], 1, [2], [1])   # h >= 1, min at the origin
    F = sa.fibre(net)
    assert F.num_components == 12 and F.dimension == 5
    flipped = [j for j in F.index if j[1][1]]
    x = F.component(flipped[0]).sample(seed=1)
    assert bool(sa.equivalent(net, x)) and F.component_of(x) == flipped[0]


# -- random regime-T parameters ------------------------------------------------------------------------------

@st.composite
def regime_t(draw):
    n0, n1, n3 = draw(st.integers(1, 3)), draw(st.integers(2, 3)), draw(st.integers(1, 2))
    ints = lambda lo, hi: st.integers(lo, hi)  # noqa: E731
    W1 = [[draw(ints(-3, 3)) for _ in range(n0)] for _ in range(n1)]
    b1 = [draw(ints(-3, 3)) for _ in range(n1)]
    positive = draw(st.booleans())
    v = [draw(ints(1, 3)) if positive else draw(ints(-3, 3)) for _ in range(n1)]
    e = draw(ints(-2, 12))
    c = [draw(ints(-3, 3)) for _ in range(n3)]
    assume(any(c))
    net = _net(W1, b1, v, e, c, [draw(ints(-3, 3)) for _ in range(n3)])
    assume(bn.combinatorial_type(net).regime == "T")
    return net


def _perturbed(x: Network, rng: random.Random) -> Network:
    p = list(x.parameters())
    i = rng.randrange(len(p))
    p[i] += fmpq(rng.choice([-1, 1]), rng.randint(1, 5))
    return Network.from_parameters(x.architecture, p)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(regime_t(), st.integers(0, 10 ** 6))
def test_random_regime_t_fibres(net, seed):
    try:
        F = sa.fibre(net)
    except sa.ArchitectureError as err:
        assert "plateau" in str(err) or "constant" in str(err)
        return
    rng = random.Random(seed)
    j0 = F.component_of(net)
    assert j0 is not None and F.component(j0).contains(net)
    try:
        assert F.local_dimension() == F.dimension or not sa.genericity(net)
    except UndecidedError:     # plateau members: theta with neurons sharing a plateau end, or a spare neuron (n0 >= 2)
        assert not sa.genericity(net) or net.widths[0] > 1
    indices = list(itertools.islice(F.index, 50))
    assert len(indices) == min(50, F.num_components)
    for k, j in enumerate(rng.sample(indices, min(3, len(indices)))):
        x = F.component(j).sample(seed=seed + k)
        assert F.component(j).violated(x) is None and bool(sa.equivalent(net, x))
        assert F.component_of(x) == j      # the typed shallow components are pairwise disjoint
        _agree(F, net, _perturbed(x, rng))
    try:
        parts = NonnegativeFibre(net)
    except sa.ArchitectureError as err:     # h constant (W1 = 0): the constant fibre, checked above
        assert "constant" in str(err)
        return
    mu = fmpq(rng.randint(1, 5), rng.randint(1, 5))
    for delta in (fmpq(-1, 3), 0, 1):
        assert _agree(F, net, _moved(net, mu, -mu * parts.low + delta)) == (delta >= 0)
        if parts.high is not None:
            assert _agree(F, net, _moved(net, -mu, mu * parts.high + delta)) == (delta >= 0)
    if sa.genericity(net) and all(c.holds for c in bn.type_checks(net)):   # e.g. not h = 0 on an open set
        D = net.architecture.num_parameters
        try:
            dim = F.dimension
        except UndecidedError:      # parallel rows, n0 >= 2: a plateau member may leave a neuron spare
            assert net.widths[0] > 1 and NonnegativeFibre(net).plateaus
            return
        assert dim == bn.fibre_dimension(net) == net.widths[1] + 2 == \
            D - sa.functional_dimension(net, method="batch").value


def _into_plateau(net: Network, i: int, delta) -> Network:
    """Neuron ``i`` moved by ``delta`` towards its inactive side, e compensating on its active side: in 1-D with
    a dead half-line this is a member with h' < 0 on the plateau (see above)."""
    b1 = list(net.biases[0])
    b1[i] += delta
    return net.replace_layer(1, bias=b1).replace_layer(2, bias=[net.biases[1][0] - net.weights[1][0][i] * delta])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3), st.integers(1, 3)),
                min_size=2, max_size=3), st.integers(0, 4))
def test_general_position_plateaus_add_no_members(rows, e):
    """n0 = 2, lines in general position, v > 0 (so h >= e, with h = e on the dead cell when it is non-empty):
    a line not seen on {h > min h} would lie in {h = min h}, and a line crossing it would have no kink there, so
    (PN') is empty and the listed components are the whole fibre -- also against neurons moved into the plateau."""
    W1 = [[a, b] for a, b, _, _ in rows]
    assume(all(a * d - b * c != 0 for (a, b), (c, d) in itertools.combinations(W1, 2)))
    assume(len(rows) < 3 or rank([list(r[:3]) for r in rows]) == 3)
    net = _net(W1, [r[2] for r in rows], [r[3] for r in rows], e, [1, -2], [0, 1])
    F = sa.fibre(net)
    assert F.dimension == len(rows) + 2
    for i in range(len(rows)):
        for delta in (-1, fmpq(1, 2)):
            _agree(F, net, _into_plateau(net, i, delta))


def test_dead_neuron_with_a_pointed_plateau_is_listed():
    """A dead neuron (v = 0) is a free slot, but with two crossing kink lines in general position no line fits in
    the plateau {h = e}, so a member's extra kink line would meet {h > e}: the listed components are the fibre."""
    net = _net([[1, 0], [0, 1], [1, 2]], [0, 0, 1], [1, 2, 0], 1, [2], [0])     # plateau: x, y < 0
    F = sa.fibre(net)
    assert F.dimension == bn.fibre_dimension(net) == 3 + 2 + 2     # the dead slot's row (w, b) is free
    rng = random.Random(0)
    for k, j in enumerate(itertools.islice(F.index, 0, None, 7)):
        x = F.component(j).sample(seed=k)
        assert bool(sa.equivalent(net, x))
        _agree(F, net, _perturbed(x, rng))
    for i in range(3):
        for delta in (-1, fmpq(1, 2)):
            _agree(F, net, _into_plateau(net, i, delta))
    # the dead slot made a negative neuron whose active side holds points of {h > 1}: not a member
    _agree(F, net, net.replace_layer(1, [[1, 0], [0, 1], [-1, -1]], [0, 0, -3]).replace_layer(2, [[1, 2, -1]]))
    # three kink lines through the origin and a dead neuron, but the plateau (x, y <= 0) holds no line: listed
    concurrent = _net([[1, 0], [0, 1], [1, 1], [1, -1]], [0, 0, 0, 2], [1, 2, 1, 0], 1, [2], [0])
    G = sa.fibre(concurrent)
    for i in range(4):
        for delta in (-1, fmpq(1, 2)):
            _agree(G, concurrent, _into_plateau(concurrent, i, delta))


def test_a_line_inside_the_plateau_is_refused():
    """h = s(x + y) + s(y - x) - 2 s(y) = s(|x| - |y|) vanishes on the double cone |x| <= |y|, which holds the
    line x = 0: with two spare (dead) neurons, h' = h + (2 s(x) - s(x - y) - s(x + y))/2 = h on {h > 0} and
    (|x| - |y|)/2 <= 0 on the cone is a member with h' < 0 there, not of slot type; the fibre refuses, naming a line."""
    net = _net([[1, 1], [-1, 1], [0, 1], [1, 0], [1, -1]], [0] * 5, [1, 1, -2, 0, 0], 0, [1], [0])
    member = _net([[1, 1], [-1, 1], [0, 1], [1, 0], [1, -1]], [0] * 5, [fmpq(1, 2), 1, -2, 1, fmpq(-1, 2)], 0,
                  [1], [0])
    assert bool(sa.equivalent(net, member)) and _h(member, (0, 1)) < 0
    assert all(max(_h(member, (fmpq(a, 3), fmpq(b, 3))), 0) == _h(net, (fmpq(a, 3), fmpq(b, 3)))
               for a in range(-6, 7) for b in range(-6, 7))
    with pytest.raises(sa.ArchitectureError, match="lies in that plateau"):
        sa.fibre(net)
