"""Case (a), regime T (h >= 0, f = c h + d): members with h' < 0 on a plateau of h (issue 17, item 2), listed by
the slot calculus when all first-layer rows are parallel (pieces Pmin, Pmax). Oracles independent of the fibre
code: ``sa.equivalent``, the region oracle's exact functional dimension (at the parameter and at the members:
near a member of locally constant rank the fibre is a manifold of dimension D - rank) and exact evaluation."""

from __future__ import annotations

import random

from flint import fmpq
from hypothesis import HealthCheck, assume, given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.engine.functional_dimension import functional_dimension
from semialg.errors import UndecidedError
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.nonnegative_fibre import NonnegativeFibre


def _net(W1, b1, v, e, c, d) -> Network:
    return Network.from_arrays([W1, [v], [[x] for x in c]], [b1, [e], d])


def _h(net: Network, x) -> fmpq:
    """The inner network at x, exactly (independent of the fibre code)."""
    W1, b1 = net.weights[0], net.biases[0]
    v, e = net.weights[1][0], net.biases[1][0]
    return sum((vi * max(fmpq(0), sum((a * xi for a, xi in zip(w, x, strict=True)), fmpq(0)) + b)
                for vi, w, b in zip(v, W1, b1, strict=True)), e)


def _agree(F, net: Network, x: Network) -> bool:
    """Membership by the listed components, by the fibre and by the equivalence oracle all agree."""
    eq = bool(sa.equivalent(net, x))
    listed = F.component_of(x) is not None
    assert listed == eq == F.contains(x), (x, listed, eq)
    return eq


def _check_local_dimension(F, j, x: Network) -> None:
    """At a sample of a plateau type: a simple type of slots on the line only has local dimension D - fdim(x);
    another type (a cluster of neurons on one kink: the evaluation map's rank drops there) is decided only when
    nearby members share it, and then D - fdim(x) bounds it from above (a level set of the evaluation map near x
    lies in a manifold of dimension D - rank)."""
    bound = x.architecture.num_parameters - functional_dimension(x, method="batch").value
    try:
        local = F.local_dimension(x)
    except UndecidedError:
        assert any(role[0] not in ("V", "H") for role in j[1])    # inert, constant or grouped neurons
        return
    kinks = [role[1] for role in j[1] if role[0] == "V"]
    simple = all(role[0] in ("V", "H") for role in j[1]) and len(set(kinks)) == len(kinks)
    assert local == bound if simple else local <= bound


def _moved_neuron(net: Network, i: int, to, ref) -> Network:
    """Neuron ``i``'s breakpoint moved to ``to`` on the line, e compensating its change at the point ``ref``: with
    ``ref`` where h > min h, a member when the breakpoint stays inside the plateau it bounds, not one when it
    enters {h > min h} (a kink appears where h has none)."""
    (W1, W2, W3), (b1, b2, b3) = net.weights, net.biases
    lam, v = W1[i][0], W2[0][i]
    bias = tuple(-lam * fmpq(to) if k == i else b for k, b in enumerate(b1))
    shift = v * (max(fmpq(0), lam * ref + b1[i]) - max(fmpq(0), lam * ref + bias[i]))
    return Network((W1, W2, W3), (bias, (b2[0] + shift,), b3))


DEAD_HALF_LINE = _net([[1], [1]], [0, -1], [1, 2], 0, [1], [0])   # h = s(x) + 2 s(x - 1): h = 0 on x <= 0
TENT = _net([[1], [1], [1]], [0, -1, -2], [1, -2, 1], 0, [1], [0])  # h = 0 off (0, 2): two half-line plateaus
STEP = _net([[1], [1]], [0, -1], [1, -1], 0, [1], [0])            # h = s(x) - s(x - 1): plateaus at 0 and 1


def test_the_example_of_the_notes_is_recognised():
    """h = s(x) + 2 s(x - 1) and h' = s(x + 1) + 2 s(x - 1) - 1 give the same sigma(h')."""
    moved = _net([[1], [1]], [1, -1], [1, 2], -1, [1], [0])
    assert _h(moved, (fmpq(-2),)) < 0 and all(max(_h(moved, (fmpq(k, 4),)), 0) == _h(DEAD_HALF_LINE, (fmpq(k, 4),))
                                              for k in range(-20, 20))
    F = sa.fibre(DEAD_HALF_LINE)
    j = F.component_of(moved)
    assert j is not None and j[0] == "Pmin" and F.component(j).contains(moved)
    D = DEAD_HALF_LINE.architecture.num_parameters
    assert F.dimension == 4 == D - functional_dimension(DEAD_HALF_LINE, method="batch").value
    assert F.local_dimension() == F.local_dimension(moved) == 4 == \
        D - functional_dimension(moved, method="batch").value
    assert "Pmin" in F.describe() and F.to_json()["dimension"] == 4 and F.component(j).to_latex()
    # theta's boundary neuron slides along the plateau (a member) and into {h > 0} (not one)
    for to in (fmpq(-1, 3), -5, fmpq(1, 2), 2):
        assert _agree(F, DEAD_HALF_LINE, _moved_neuron(DEAD_HALF_LINE, 0, to, fmpq(1, 2))) == (to < 0)


def test_plateau_components_sample_and_locate():
    rng = random.Random(3)
    for net in (DEAD_HALF_LINE, TENT, STEP):
        F = sa.fibre(net)
        plateau = [j for j in F.index if j[0] in ("Pmin", "Pmax")]
        assert plateau and F.num_components == len(list(F.index))
        for k, j in enumerate(rng.sample(plateau, min(6, len(plateau)))):
            x = F.component(j).sample(seed=k)
            assert F.component(j).violated(x) is None and bool(sa.equivalent(net, x))
            assert F.component_of(x) == j
            _check_local_dimension(F, j, x)
            assert any(_h(x, (fmpq(s, 2),)) < 0 for s in range(-40, 40))    # h' < 0 somewhere
            p = list(x.parameters())
            p[rng.randrange(len(p))] += fmpq(rng.choice((-1, 1)), rng.randint(2, 9))
            _agree(F, net, Network.from_parameters(x.architecture, p))


def test_plateau_members_may_exceed_the_dimension_at_theta():
    """STEP is not generic: its fibre has a 5-dimensional plateau piece (kink slot flipped, a hidden slot
    sigma(p - x) with jump in (0, 1]) although D - fdim(theta) = 4; theta itself is a point of dimension 4."""
    F = sa.fibre(STEP)
    D = STEP.architecture.num_parameters
    assert D - functional_dimension(STEP, method="batch").value == F.local_dimension() == 4 and F.dimension == 5
    for J, p in ((fmpq(1, 2), -1), (1, fmpq(-1, 3))):     # h' = -s(1 - x) + 1 + J s(p - x)
        x = _net([[-1], [-1]], [1, p], [-1, J], 1, [1], [0])
        assert _agree(F, STEP, x) and F.local_dimension(x) == 5 == D - functional_dimension(x, method="batch").value
    assert not _agree(F, STEP, _net([[-1], [-1]], [1, -1], [-1, 2], 1, [1], [0]))   # slope at -inf < 0


def test_local_dimension_on_the_boundary():
    """theta = TENT has t = -mu min h: Pmin members accumulate at it (its boundary neurons moved into the
    plateaus), so its local dimension is that of their component, 7 = D - fdim, not the 5 of h' = mu h + t."""
    F = sa.fibre(TENT)
    D = TENT.architecture.num_parameters
    assert F.local_dimension() == 7 == D - functional_dimension(TENT, method="batch").value == F.dimension
    for k in (1, 3, 6):
        x = _moved_neuron(_moved_neuron(TENT, 0, -fmpq(1, 10 ** k), 1), 2, 2 + fmpq(1, 10 ** k), 1)
        assert _agree(F, TENT, x) and F.component_of(x)[0] == "Pmin" and F.local_dimension(x) == 7
    lifted = TENT.replace_layer(2, bias=[1])          # min h = 1: theta is inside the (T') members
    assert sa.fibre(lifted).local_dimension() == 5


def test_parallel_rows_in_two_inputs():
    """Rows parallel to u = (1, 2): the plateau pieces are listed. Every plateau member needs both neurons on u
    (a kink slot and a hidden one), so none can leave u and the dimension is decided: D - fdim. With a third
    neuron one is spare (v' = 0 with any w': 3 dimensions), listed by the typed pieces: the dimension is decided
    (7, reached by the slot-calculus bound), below D - fdim(theta) = 8 at this non-generic theta."""
    net = _net([[1, 2], [1, 2]], [0, -1], [1, 2], 0, [1], [0])
    F = sa.fibre(net)
    D = net.architecture.num_parameters
    plateau = [j for j in F.index if j[0] == "Pmin"]
    assert plateau
    for k, j in enumerate(plateau[:3]):
        x = F.component(j).sample(seed=k)
        assert bool(sa.equivalent(net, x)) and F.component_of(x) == j
    moved = _net([[1, 2], [1, 2]], [1, -1], [1, 2], -1, [1], [0])
    assert _agree(F, net, moved) and F.component_of(moved)[0] == "Pmin"
    assert F.dimension == bn.fibre_dimension(net) == D - functional_dimension(net, method="batch").value == 4
    assert F.local_dimension(moved) == D - functional_dimension(moved, method="batch").value
    spare = _net([[1, 2], [1, 2], [1, 2]], [0, -1, 0], [1, 2, 0], 0, [1], [0])
    G = sa.fibre(spare)
    E = spare.architecture.num_parameters
    assert G.dimension == 7 == G.to_json()["dimension"] < E - functional_dimension(spare, method="batch").value
    x = _net([[1, 2], [1, 2], [3, -1]], [1, -1, 7], [1, 2, 0], -1, [1], [0])      # the spare neuron off u
    assert _agree(G, spare, x) and G.component_of(x) == ("Pmin", (("H", 0, 0, 1, 1), ("V", 0, 1), ("D",)))
    assert G.local_dimension(x) == 7 == E - functional_dimension(x, method="batch").value


@st.composite
def one_input_regime_t(draw):
    """A (1, n1, 1, n3) parameter of regime T whose minimum (or maximum) is attained on an interval."""
    n1, n3 = draw(st.integers(2, 4)), draw(st.integers(1, 2))
    W1 = [[draw(st.sampled_from((-2, -1, 1, 2)))] for _ in range(n1)]
    b1 = [draw(st.integers(-4, 4)) for _ in range(n1)]
    v = [draw(st.sampled_from((-2, -1, 1, 2, 3))) for _ in range(n1)]
    c = [draw(st.sampled_from((-1, 2))) for _ in range(n3)]
    net = _net(W1, b1, v, draw(st.integers(-3, 3)), c, [draw(st.integers(-2, 2)) for _ in range(n3)])
    assume(bn.combinatorial_type(net).regime == "T")
    try:
        parts = NonnegativeFibre(net)
    except sa.ArchitectureError:          # h constant
        assume(False)
    assume(parts.plateaus)
    lift = draw(st.sampled_from((0, 0, 1)))     # min h = 0 (theta on the boundary of the (T') members) or 1
    return net.replace_layer(2, bias=[net.biases[1][0] - parts.low + lift])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(one_input_regime_t(), st.integers(0, 10 ** 6))
def test_random_one_input_plateaus(net, seed):
    rng = random.Random(seed)
    F = sa.fibre(net)
    D = net.architecture.num_parameters
    generic = bool(sa.genericity(net)) and all(c.holds for c in bn.type_checks(net))
    if generic:
        assert F.dimension == D - functional_dimension(net, method="batch").value
    assert F.component_of(net) is not None
    plateau = [j for j in F.index if j[0] in ("Pmin", "Pmax")]
    for k, j in enumerate(rng.sample(plateau, min(2, len(plateau)))):
        x = F.component(j).sample(seed=seed + k)
        assert F.component(j).violated(x) is None and bool(sa.equivalent(net, x)) and F.component_of(x) == j
        _check_local_dimension(F, j, x)
        p = list(x.parameters())
        p[rng.randrange(len(p))] += fmpq(rng.choice((-1, 1)), rng.randint(2, 30))
        _agree(F, net, Network.from_parameters(x.architecture, p))
    low = NonnegativeFibre(net).low
    ref = next(fmpq(k, 2) for k in range(-40, 40) if _h(net, (fmpq(k, 2),)) > low)
    for i in range(net.widths[1]):            # theta's neurons moved along the line
        for to in (-5, fmpq(-1, 2), fmpq(1, 3), 3):
            x = _moved_neuron(net, i, to, ref)
            if generic:
                _agree(F, net, x)
            else:       # e.g. twins: a moved twin may sit at an end of a plateau interval (not listed)
                assert F.component_of(x) is None or bool(sa.equivalent(net, x))
