"""Neurons off on every input by the signs of their weights, at any depth (``off_neuron``, ``unseen_layer``).

A neuron of layer $l \\ge 2$ with $b < 0$ and no positive weight from a neuron of layer $l - 1$ that is on somewhere
sees inputs $\\ge 0$, so its pre-activation is at most $b < 0$: its row, bias and column have zero gradient, and a
layer all off hides every earlier one. The oracle is exact evaluation in Fractions written here: every coordinate a
freezing mechanism names, moved by $\\pm 10^{-6}$, keeps $f$ at rational inputs.
"""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.engine.conservation import mechanism_conservation
from semialg.engine.neurons import off_neurons


def _evaluate(Ws, bs, x) -> list[Fraction]:
    a = list(x)
    for l, (W, b) in enumerate(zip(Ws, bs)):
        z = [sum((w * t for w, t in zip(row, a)), bi) for row, bi in zip(W, b)]
        a = z if l == len(Ws) - 1 else [max(t, Fraction(0)) for t in z]
    return a


def _planted(widths, seed: int, whole: bool):
    """Random small integer weights; in a random hidden layer $l \\ge 2$ some neurons (all when ``whole``) made off:
    $b < 0$ and no positive weight from the neurons of layer $l - 1$ that are not planted off."""
    rng = random.Random(seed)
    Ws = [[[Fraction(rng.randint(-3, 3)) for _ in range(a)] for _ in range(b)] for a, b in zip(widths, widths[1:])]
    bs = [[Fraction(rng.randint(-3, 3)) for _ in range(b)] for b in widths[1:]]
    off_before: set = set()
    planted = {}
    for l in range(2, len(widths) - 1):
        chosen = set(range(widths[l])) if whole and l == len(widths) - 2 else \
            {i for i in range(widths[l]) if rng.random() < 0.4}
        for i in chosen:
            bs[l - 1][i] = Fraction(-rng.randint(1, 3))
            Ws[l - 1][i] = [w if j in off_before else -abs(w) for j, w in enumerate(Ws[l - 1][i])]
        planted[l] = chosen
        off_before = chosen
    return Ws, bs, planted


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 2), st.lists(st.integers(2, 3), min_size=2, max_size=3), st.integers(1, 2), st.booleans(),
       st.integers(0, 2**20))
def test_every_coordinate_an_off_neuron_freezes_keeps_f(n0, hidden, k, whole, seed):
    widths = [n0, *hidden, k]
    Ws, bs, planted = _planted(widths, seed, whole)
    net = Network.from_arrays(Ws, bs)
    found = off_neurons(net)
    assert all(planted[l] <= set(found[l - 1]) for l in planted)
    frozen: set = set()
    for m in sa.hidden_symmetries(net):
        if m.freezes:
            l = m.layer
            for i in m.neurons:
                frozen |= {("W", l - 1, i, j) for j in range(widths[l - 1])} | {("b", l - 1, i)}
                frozen |= {("W", l, r, i) for r in range(widths[l + 1])}
    if whole:       # the last hidden layer is all off: every parameter but the output bias is frozen
        assert len(frozen) == sum(a * b + b for a, b in zip(widths, widths[1:])) - k
    rng = random.Random(seed + 1)
    points = [[Fraction(rng.randint(-100, 100), 10) for _ in range(n0)] for _ in range(20)]
    values = [_evaluate(Ws, bs, x) for x in points]
    for key in sorted(frozen):
        for eps in (Fraction(1, 10**6), Fraction(-1, 10**6)):
            W2 = [[list(r) for r in W] for W in Ws]
            b2 = [list(b) for b in bs]
            if key[0] == "W":
                W2[key[1]][key[2]][key[3]] += eps
            else:
                b2[key[1]][key[2]] += eps
            assert [_evaluate(W2, b2, x) for x in points] == values, key
    r = mechanism_conservation(net, budget=1)     # a bound is enough: the laws may not exceed it
    assert r.explicit <= r.count.laws


def test_a_layer_all_off_makes_the_laws_reach_the_count():
    """1-2-2-1 with layer 2 off on every input: $f = b_3$, every other parameter frozen (12 laws, the Lie count)."""
    net = Network.from_arrays([[[1], [-1]], [[-1, -1], [-2, -1]], [[1, 2]]], [[0, 0], [-1, -1], [0]])
    names = {m.name: m for m in sa.hidden_symmetries(net)}
    assert names["off_neuron"].neurons == (0, 1) and names["unseen_layer"].layer == 1
    r = mechanism_conservation(net)
    assert r.explicit == r.count.laws == 12 and r.proven


def test_a_positive_weight_from_a_live_neuron_is_not_off():
    """$z = h_1 - 1$ is positive where $h_1 > 1$: not off, nothing frozen there."""
    net = Network.from_arrays([[[1], [-1]], [[1, -1], [-2, -1]], [[1, 2]]], [[0, 0], [-1, -1], [0]])
    assert off_neurons(net) == [(), (1,)]
    assert not any(m.name == "unseen_layer" for m in sa.hidden_symmetries(net))
