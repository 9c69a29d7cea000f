"""Hidden weights and always-active neurons at depth (``hidden_weight``, ``always_active``), the mechanisms that need
the image of the earlier layers. An audit asked ``identifiable`` and ``hidden_symmetries`` of 3,229 random small
deep networks: ``identifiable`` proved each not identifiable by one of these moves while the listing was empty.

The oracle is exact evaluation in Fractions written here: each listed weight lowered (by 1 and by 1/3), each listed
bias raised with the next bias compensating, keeps $f$ at 400 rational inputs and two far ones.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.errors import UndecidedError
from semialg.families.deep.family import DeepFamily, layer_mechanisms
from conftest import exact_value

FOUND = [([[[-1], [-1]], [[-1, -1], [1, -1]], [[1, 3]]], [[-2, 3], [1, -1], [-1]]),          # hidden weights
         ([[[-1], [-1]], [[-1, -1], [3, -2]], [[-2, -2]]], [[3, 2], [3, 3], [-2]]),          # always active
         ([[[-1], [-1]], [[-2, 2], [-2, 0]], [[1, 2]]], [[3, -1], [-1, 2], [-2]])]


POINTS = [Fraction(k, 7) for k in range(-200, 201)] + [Fraction(10 ** 6), Fraction(-10 ** 6)]


def _moved_members(net: Network):
    """Each listed move applied (two amounts), as (name, weights, biases)."""
    Ws = [[[Fraction(str(x)) for x in r] for r in W] for W in net.weights]
    bs = [[Fraction(str(x)) for x in b] for b in net.biases]
    for m in sa.hidden_symmetries(net):
        l = m.layer
        for t in (Fraction(1), Fraction(1, 3)):
            if m.name == "hidden_weight":
                pairs = [tuple(int(n) - 1 for n in p.strip("()").split(", "))
                         for p in m.description.split("in [")[1].split("]")[0].split("), ") if p]
                for i, j in pairs:
                    W2 = [[list(r) for r in W] for W in Ws]
                    W2[l - 1][i][j] -= t
                    yield m.name, W2, bs
            elif m.name == "always_active":
                for i in m.neurons:
                    b2 = [list(b) for b in bs]
                    b2[l - 1][i] += t
                    b2[l] = [x - t * Ws[l][r][i] for r, x in enumerate(b2[l])]
                    yield m.name, Ws, b2


def test_the_audit_networks_list_their_moves_and_the_moves_keep_f():
    for W, b in FOUND:
        net = Network.from_arrays(W, b)
        assert str(sa.identifiable(net).status) == "not identifiable"
        Ws = [[[Fraction(x) for x in r] for r in M] for M in W]
        bs = [[Fraction(x) for x in v] for v in b]
        moved = list(_moved_members(net))
        assert moved, (W, b)
        for name, W2, b2 in moved:
            assert all(exact_value(W2, b2, [x]) == exact_value(Ws, bs, [x]) for x in POINTS), name


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=13, max_size=13))
def test_listed_image_moves_keep_f_and_an_identifiability_witness_is_listed(ints):
    it = iter(ints)
    W = [[[next(it) or -1] for _ in range(2)], [[next(it) for _ in range(2)] for _ in range(2)],
         [[next(it) for _ in range(2)]]]
    b = [[next(it) for _ in range(2)], [next(it) for _ in range(2)], [next(it)]]
    net = Network.from_arrays(W, b)
    Ws = [[[Fraction(x) for x in r] for r in M] for M in W]
    bs = [[Fraction(x) for x in v] for v in b]
    for name, W2, b2 in _moved_members(net):
        assert all(exact_value(W2, b2, [x]) == exact_value(Ws, bs, [x]) for x in POINTS), name
    r = sa.identifiable(net, budget=5)
    kind = r.describe()
    if "Witness by hidden weight" in kind or "Witness by always active" in kind:
        names = {m.name for m in sa.hidden_symmetries(net)}
        assert names & {"hidden_weight", "always_active", "off_neuron", "dead_input", "dead_output",
                        "zero_neuron"}, (W, b, kind)


def test_larger_networks_are_not_searched_and_the_budget_is_kept():
    """Beyond 16 neurons before the layer (or 4 inputs) the regions are not enumerated: the answer says so
    (undecided; an empty list would claim that no weight is hidden), and the same past the budget. The mechanisms
    that freeze parameters (the conservation laws need no more) are still given."""
    net = Network.random((2, 17, 3, 1), seed=random.Random(3).randint(0, 99))
    with pytest.raises(UndecidedError, match="not searched: more than 16 neurons"):
        sa.hidden_symmetries(net)
    small = Network.random((2, 3, 3, 1), seed=1)     # a hidden weight (test_identifiability)
    with pytest.raises(UndecidedError, match="budget"):
        sa.hidden_symmetries(small, budget=1e-9)
    assert "hidden_weight" in [m.name for m in sa.hidden_symmetries(small)]
    assert [m.name for m in DeepFamily().mechanisms(net, frozen_only=True)] == \
        [m.name for m in layer_mechanisms(net)]
    r = sa.mechanism_conservation(net, budget=1)     # no longer stopped by the unsearched image
    assert r.explicit <= r.count.laws


def test_an_unsearched_image_keeps_the_mechanisms_found():
    """The undecided answer's ``partial`` lists what was found: a neuron of layer 2 with a zero outgoing column is
    dead, and its row is free (checked by exact evaluation of the network with that row changed)."""
    net = Network.random((2, 17, 3, 1), seed=5)
    Ws = [[[Fraction(str(x)) for x in r] for r in W] for W in net.weights]
    bs = [[Fraction(str(x)) for x in b] for b in net.biases]
    Ws[2][0][1] = Fraction(0)
    dead = Network.from_arrays(Ws, bs)
    with pytest.raises(UndecidedError, match="not searched") as err:
        sa.hidden_symmetries(dead)
    assert [(m.name, m.layer, m.neurons) for m in err.value.partial] == [("dead_output", 2, (1,))]
    moved = [[list(r) for r in W] for W in Ws]
    moved[1][1] = [Fraction(7, 3)] * 17

    rng = random.Random(0)
    for _ in range(50):
        x = (Fraction(rng.randint(-99, 99), 7), Fraction(rng.randint(-99, 99), 11))
        assert exact_value(moved, bs, x) == exact_value(Ws, bs, x)
    small = Network.random((2, 3, 3, 1), seed=1)
    with pytest.raises(UndecidedError, match="budget") as err:
        sa.hidden_symmetries(small, budget=1e-9)
    assert all(m in sa.hidden_symmetries(small) for m in err.value.partial)
