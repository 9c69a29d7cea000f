"""Hidden first-layer neurons whose move keeps the function whatever the rest (U+ with v > 0 raised, U- with v > 0
lowered, U- with v < 0 doubled): the candidates are equivalent, and `identifiable` reports them without trying the
theorems (which no such parameter can satisfy). Oracles: exact evaluation of h at random rational points (h' <= h,
equal where h > 0), the region oracle (`semialg.engine.regions.equivalent`), and the G-orbit search."""

from __future__ import annotations

from flint import fmpq
from hypothesis import assume, given, strategies as st

import semialg as sa
from semialg.engine.identifiability import identifiable
from semialg.engine.orbit import orbit_element
from semialg.engine.regions import equivalent as region_equivalent
from semialg.families.bottleneck.identifiability import _freely_hidden, hidden_neuron_witnesses, identifiability_proof
from semialg.families.bottleneck.ident_moves import ShiftHiddenBiases
from semialg.families.bottleneck.views import OuterView

small = st.integers(-3, 3)


@st.composite
def bottlenecks(draw, n0=2, max_n1=4):
    n1, n3 = draw(st.integers(2, max_n1)), draw(st.integers(1, 2))
    W = [[draw(small) for _ in range(n0)] for _ in range(n1)]
    return sa.Network.from_arrays([W, [[draw(small) for _ in range(n1)]], [[draw(st.integers(1, 3))] for _ in
                                                                              range(n3)]],
                                  [[draw(small) for _ in range(n1)], [draw(small)], [draw(small) for _ in range(n3)]])


def _free(net):
    t = sa.combinatorial_type(net)
    return t, (_freely_hidden(t, OuterView.of(net)) if t.case == "a" and t.regime == "PN" else [])


coordinate = st.fractions(min_value=-40, max_value=40, max_denominator=6)


@given(bottlenecks(), st.lists(st.tuples(coordinate, coordinate), min_size=30, max_size=30))
def test_the_free_moves_keep_h_on_p_and_lower_it_elsewhere(net, xs):
    t, free = _free(net)
    assume(free)
    h = OuterView.of(net).inner
    first = hidden_neuron_witnesses(net)
    for label, other in list(first)[:len(free)]:
        h2 = OuterView.of(other).inner
        for x in xs:
            a, b = h(x)[0], h2(x)[0]
            assert b <= a and (a <= 0 or a == b), label
        assert region_equivalent(net, other).equivalent is True


@given(bottlenecks(max_n1=3))
def test_identifiable_reports_a_free_hidden_neuron_without_the_theorems(net):
    t, free = _free(net)
    assume(free)
    r = identifiable(net, budget=30)
    assert r.status == "not identifiable" and r.verify(net)
    assert orbit_element(net, r.witness) is None and region_equivalent(net, r.witness).equivalent is True
    assert not any(step.startswith(("bottleneck theorem not applied", "determined, separated"))
                   for step in r.checked)


def test_a_u_minus_neuron_with_negative_weight_is_doubled():
    # h = 1 - s(x) - 2s(y) - s(-x - y) - s(x + 2y - 10): P a bounded triangle, the last neuron on only far from it
    net = sa.Network.from_arrays([[[1, 0], [0, 1], [-1, -1], [1, 2]], [[-1, -2, -1, -1]], [[1]]],
                                 [[0, 0, 0, -10], [1], [0]])
    t = sa.combinatorial_type(net)
    assert t.classes[3] == "U-" and _freely_hidden(t, OuterView.of(net)) == [3]
    label, other = hidden_neuron_witnesses(net)[0]
    assert label.startswith("U- neuron 4 (v < 0) doubled") and other.weights[1][0][3] == -2
    checked = []
    assert identifiability_proof(net, checked) is None
    assert checked[-1] == ("case-(a) bottleneck theorems not tried: first-layer neuron 4 is hidden (class U-, "
                           "v_4 < 0), and its hidden-neuron move keeps f (a witness)")
    r = identifiable(net, budget=30)
    assert r.status == "not identifiable"
    assert region_equivalent(net, r.witness).equivalent is True


def test_a_u_plus_neuron_with_negative_weight_is_not_free():
    # raising its row (b_1 + 1, e - v_1) raises h by up to |v_1| where it is off: here that reaches P's outside
    net = sa.Network.from_arrays([[[1, 3], [1, 2], [1, -2]], [[-2, 3, -3]], [[1]]], [[-1, -3, 3], [0], [0]])
    t = sa.combinatorial_type(net)
    assert t.classes[0] == "U+" and 0 not in _freely_hidden(t, OuterView.of(net))
    raised = ShiftHiddenBiases((0,), (fmpq(1),), fmpq(2)).build(net)
    assert region_equivalent(net, raised).equivalent is False
