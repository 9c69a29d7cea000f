"""The count of conservation laws without the Lie algebra: one hidden layer of separated neurons
(``separated_neurons``: every neuron with non-zero input and output weights, hyperplanes pairwise distinct) has one
law per neuron, and any network whose functional dimension is $D$ minus the rank of the rescalings has exactly the
rescalings. Tested against the bracket iteration itself (the shortcuts switched off), and the condition against its
definition in Python fractions (independent of semialg)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings, strategies as st

import semialg.engine.conservation as conservation
from semialg import Network
from semialg.engine.conservation import count_conservation_laws, separated_neurons

ENTRY = st.sampled_from([-2, -1, 0, 0, 1, Fraction(1, 2), 3])


@st.composite
def _shallow(draw):
    n0, n1, k = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 2))
    W = [[draw(ENTRY) for _ in range(n0)] for _ in range(n1)]
    b = [draw(ENTRY) for _ in range(n1)]
    if draw(st.booleans()) and n1 > 1:          # a second neuron on the first one's hyperplane
        t = draw(st.sampled_from([-2, Fraction(1, 2), 3]))
        W[1], b[1] = [t * x for x in W[0]], t * b[0]
    A = [[draw(ENTRY) for _ in range(n1)] for _ in range(k)]
    return W, b, A, [draw(ENTRY) for _ in range(k)]


def _separated(W, b, A) -> bool:
    rows = [list(w) + [c] for w, c in zip(W, b)]
    if not all(any(w) for w in W) or not all(any(A[o][i] for o in range(len(A))) for i in range(len(W))):
        return False
    for i in range(len(rows)):
        for j in range(i):      # proportional: every 2x2 minor vanishes
            if all(rows[i][p] * rows[j][q] == rows[i][q] * rows[j][p] for p in range(len(rows[i])) for q in range(p)):
                return False
    return True


def _net(W, b, A, c) -> Network:
    q = lambda x: str(Fraction(x))  # noqa: E731
    return Network.from_arrays([[[q(x) for x in w] for w in W], [[q(x) for x in a] for a in A]],
                               [[q(x) for x in b], [q(x) for x in c]])


@settings(max_examples=25, deadline=None)
@given(_shallow())
def test_separated_neurons_count_as_the_bracket_iteration_does(data):
    W, b, A, c = data
    net = _net(W, b, A, c)
    assert separated_neurons(net) == _separated(W, b, A)
    if not separated_neurons(net):
        return
    fast = count_conservation_laws(net)
    saved = conservation.separated_neurons
    conservation.separated_neurons = lambda net: False
    try:
        slow = count_conservation_laws(net, budget=None)
    finally:
        conservation.separated_neurons = saved
    assert (fast.laws, fast.lie_rank, fast.known, fast.stabilized) == \
        (slow.laws, slow.lie_rank, slow.known, slow.stabilized) == (len(W), net.architecture.num_parameters - len(W),
                                                                    len(W), True)


def _by_brackets(net: Network):
    saved = conservation.separated_neurons, conservation._dimension_reaches
    conservation.separated_neurons, conservation._dimension_reaches = (lambda net: False), (lambda *args: False)
    try:
        return count_conservation_laws(net, budget=None)
    finally:
        conservation.separated_neurons, conservation._dimension_reaches = saved


@settings(max_examples=12, deadline=None)
@given(st.sampled_from([(2, 2, 1, 1), (1, 2, 2, 1), (2, 1, 2, 1), (1, 1, 1, 1), (2, 3, 1)]), st.integers(0, 10 ** 4),
       st.sampled_from([1, 3]))
def test_a_full_functional_dimension_counts_as_the_bracket_iteration_does(arch, seed, height):
    net = Network.random(arch, seed=seed, height=height)
    fast, slow = count_conservation_laws(net), _by_brackets(net)
    if fast.depth == 0 and fast.stabilized:       # answered by a shortcut (or the brackets stopped at once)
        assert (fast.laws, fast.lie_rank, fast.known) == (slow.laws, slow.lie_rank, slow.known) and slow.stabilized
    else:
        assert fast == slow


def test_two_hidden_layers_are_not_counted_by_the_theorem():
    assert not separated_neurons(Network.random((2, 2, 2, 1), seed=0))
