"""The connected components of P from the pieces of its closure, joined through shared vertices and faces (hashed),
and the label classes of the fibres over slot labellings, counted before any is formed. Oracles: the components by
the full test on every pair of pieces (a common point with h > 0, by one polyhedron each), written here; the count
of the classes the fibre actually decided."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import assume, given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.errors import UndecidedError
from semialg.families import bottleneck as bn
from semialg.families.bottleneck import hidden_fibre, obstructions, slot_labelling
from semialg.families.bottleneck.hidden_region import polyhedron

small = st.integers(-3, 3)


@st.composite
def case_a(draw, n0=2):
    n1 = draw(st.integers(2, 5))
    return Network.from_arrays([[[draw(small) for _ in range(n0)] for _ in range(n1)],
                                [[draw(small) for _ in range(n1)]], [[1]]],
                               [[draw(small) for _ in range(n1)], [draw(small)], [0]])


def _every_pair(pieces) -> set[frozenset]:
    parent = list(range(len(pieces)))

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i
    for (i, (Qi, Ai)), (j, (Qj, _)) in itertools.combinations(enumerate(pieces), 2):
        Q = polyhedron(Qi.rows + Qj.rows, lineality=Qi.lineality)
        if Q is not None and (any(sum(a * x for a, x in zip(Ai[0], v)) + Ai[1] > 0 for v in Q.vertices)
                              or any(sum(a * x for a, x in zip(Ai[0], r)) > 0 for r in Q.rays)):
            parent[root(j)] = root(i)
    groups: dict = {}
    for i in range(len(pieces)):
        groups.setdefault(root(i), set()).add(i)
    return {frozenset(g) for g in groups.values()}


def _agrees_with_every_pair(net):
    t = sa.combinatorial_type(net)
    assume(t.case == "a" and t.regime == "PN")
    pieces, _ = obstructions._pieces(net)
    assume(len(pieces) > 1)
    assert {frozenset(c) for c in obstructions._components(pieces)} == _every_pair(pieces)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([2, 3]).flatmap(case_a))
def test_components_through_shared_faces_are_those_of_every_pair(net):
    _agrees_with_every_pair(net)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 3).filter(bool), small, small), min_size=2, max_size=5),
       st.tuples(small, small).filter(any), small)
def test_components_of_a_first_layer_of_rank_one_are_those_of_every_pair(neurons, u, e):
    # every row a multiple of u: the cells are slabs with the lineality u-perp, the pieces too
    net = Network.from_arrays([[[k * u[0], k * u[1]] for k, _, _ in neurons], [[v for _, _, v in neurons]], [[1]]],
                              [[b for _, b, _ in neurons], [e], [0]])
    _agrees_with_every_pair(net)


def _hidden_net():
    for seed in range(300):
        net = Network.random((2, 4, 1, 1), seed=seed, height=3)
        t = bn.combinatorial_type(net)
        if t.regime == "PN" and {"U-", "U+"} & set(t.classes) and set(t.classes) <= {"V", "U-", "U+"}:
            return net, t
    raise AssertionError("no parameter with hidden neurons among the seeds")


def test_the_hidden_fibre_counts_the_classes_it_decides_and_refuses_too_many_before_its_region(monkeypatch):
    net, t = _hidden_net()
    F = hidden_fibre.HiddenFibre(net, t, budget=None, progress=False)
    assert F._total == len(F.decisions)
    monkeypatch.setattr(slot_labelling, "MAX_CLASSES", F._total - 1)
    monkeypatch.setattr(hidden_fibre, "hidden_region", lambda net: pytest.fail("the region was built"))
    with pytest.raises(UndecidedError, match=f"hidden fibre of 2-4-1-1: {F._total} label classes"):
        hidden_fibre.HiddenFibre(net, t, budget=None, progress=False)


def test_pieces_meeting_only_where_h_is_zero_stay_apart():
    # h = |x + y| - |x - y| = 2 sign(xy) min(|x|, |y|): P is the open first and third quadrants, two components
    # whose four pieces all share the vertex 0, where h = 0; the pieces of one quadrant share a ray instead
    net = Network.from_arrays([[[1, 1], [-1, -1], [1, -1], [-1, 1]], [[1, 1, -1, -1]], [[1]]],
                              [[0, 0, 0, 0], [0], [0]])
    pieces, _ = obstructions._pieces(net)
    assert len(pieces) == 4 and all(Q.vertices == ((0, 0),) for Q, _ in pieces)
    components = obstructions._components(pieces)
    assert len(components) == 2 and {frozenset(c) for c in components} == _every_pair(pieces)


@given(st.integers(0, 4), st.integers(0, 4), st.integers(0, 5))
def test_label_classes_are_counted_as_enumerated(visible, hidden, labels):
    # flip sets of the seen kinks times multisets of hidden labels, enumerated (no labels: one empty multiset)
    listed = sum(1 for _ in itertools.product(
        itertools.product((0, 1), repeat=visible), itertools.combinations_with_replacement(range(labels), hidden)))
    net = Network.random((2, 3, 1, 1), seed=0)
    assert slot_labelling.count_label_classes(net, visible, hidden, labels, "hidden") == listed
