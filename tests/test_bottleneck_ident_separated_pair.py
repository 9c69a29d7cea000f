"""A hidden neuron between two components of P beside a hyperplane carrying two neurons
(semialg.families.bottleneck.ident_separated_pair, and the two-hyperplane trades of ident_trades).

The test builds, by its own arithmetic, the parameters the theorem's proof rules out — one neuron per visible
hyperplane, and two neurons on hyperplanes between the components carrying what is left, at a grid of positions and
all signs — and decides each by exact evaluation at rational points, then by the region oracle: where the theorem
proves the parameter identifiable none is equivalent. The witnesses found where it does not apply are checked by the
oracle and shown outside the orbit by counting distinct hyperplanes (a group element keeps them)."""

from __future__ import annotations

import itertools
import random

import pytest
from flint import fmpq

import semialg as sa
from semialg.engine.regions import equivalent as oracle
from semialg.errors import CertificateError
from semialg.families.bottleneck.ident_moves import PairTrade
from semialg.families.bottleneck.ident_separated_pair import SeparatedPair, _failure
from semialg.families.bottleneck.types import combinatorial_type


def _net(W, b, v, e, c=1, d=-1):
    return sa.Network.from_arrays([W, [v], [[c]]], [b, [e], [d]])


# the unknowns of session 38's scan of planted pairs: (W, b, v, e) with c = 1, d = -1 except where given
IDENTIFIABLE = _net([[-3, -2], [3, 2], [-1, -1], [-1, 3]], [3, -3, 1, 1], [-2, -2, 2, 3], 0)
WITNESSED = [_net([[3, -3], [-6, 6], [-1, -3], [-3, -2], [2, 1]], [0, 0, 2, -1, -1], [-3, -1, 1, -2, 3], -1, -2, 2),
             _net([[-2, 1], [4, -2], [-1, -1], [-1, 3]], [2, -4, 0, -1], [-1, -3, 1, 1], -2, 1, 2),
             _net([[3, 1], [-9, -3], [-3, -2], [-1, -1]], [1, -3, -2, 3], [-3, -9, 2, -1], 2, 1, -1),
             _net([[-1, 3], [3, -9], [1, 0], [1, 2]], [0, 0, 3, -2], [-1, -1, -1, 1], 1, 1, 1)]
GRID = [(fmpq(i, 2), fmpq(j, 2)) for i in range(-12, 13, 3) for j in range(-12, 13, 3)]


def _hyperplanes(net) -> int:
    """The number of distinct hyperplanes of the live first-layer neurons (w != 0, v != 0)."""
    keys = set()
    for w, b, v in zip(net.weights[0], net.biases[0], net.weights[1][0]):
        if v and any(w):
            p = next(x for x in w if x)
            keys.add(tuple(fmpq(x) / p for x in tuple(w) + (b,)))
    return len(keys)


def _planes(net, skip):
    """Per visible hyperplane (first coefficient of (w, b) made +-1): the form, the jump J and N."""
    out = {}
    for k, (w, b, v) in enumerate(zip(net.weights[0], net.biases[0], net.weights[1][0])):
        if k == skip:
            continue
        row = tuple(w) + (b,)
        p = next(x for x in row if x != 0)
        key, lam, neg = tuple(fmpq(x) / p for x in row), abs(p), p < 0
        J, N = out.get(key, (fmpq(0), fmpq(0)))
        out[key] = (J + v * lam, N + (v * lam if neg else 0))
    return [(key, J, N) for key, (J, N) in out.items()]


def _carriers(net, k):
    """Every parameter with one neuron per visible hyperplane and two neurons carrying the rest on hyperplanes with
    normals L and v_k w_k - L, at a grid of offsets and all signs, the constant matched at a point of P."""
    planes, n0 = _planes(net, k), net.widths[0]
    wk, bk, vk = net.weights[0][k], net.biases[0][k], net.weights[1][0][k]
    inside = next(x for x in itertools.product([fmpq(i, 8) for i in range(-48, 49)], repeat=2) if _h(net, x) > 0)
    for eps in itertools.product((0, 1), repeat=len(planes)):
        L = [sum(((N - e * J) * key[i] for (key, J, N), e in zip(planes, eps)), fmpq(0)) for i in range(n0 + 1)]
        M = [vk * x for x in tuple(wk) + (bk,)]
        rows = [[-x for x in key] if e else list(key) for (key, _, _), e in zip(planes, eps)]
        for gamma, s1, s2, a1, a2 in itertools.product([fmpq(g, 4) for g in range(-32, 33)], *[(1, -1)] * 4):
            first = [s1 * x for x in L[:n0]] + [s1 * (L[n0] + gamma)]
            second = [s2 * (m - x) for m, x in zip(M[:n0], L[:n0])] + [s2 * (M[n0] - L[n0] - gamma)]
            W = rows + [first, second]
            v = [J for _, J, _ in planes] + [a1, a2]
            other = sa.Network.from_arrays([[r[:n0] for r in W], [v], [list(c) for c in net.weights[2]]],
                                           [[r[n0] for r in W], [0], list(net.biases[2])])
            shift = _h(net, inside) - _h(other, inside)
            yield sa.Network.from_arrays([[r[:n0] for r in W], [v], [list(c) for c in net.weights[2]]],
                                         [[r[n0] for r in W], [shift], list(net.biases[2])])


def _h(net, x):
    z = [sum(a * t for a, t in zip(w, x)) + b for w, b in zip(net.weights[0], net.biases[0])]
    return sum(v * max(t, 0) for v, t in zip(net.weights[1][0], z)) + net.biases[1][0]


def _agrees_on_grid(net, other):
    return all(net(list(x)) == other(list(x)) for x in GRID)


def test_the_unknown_of_session_38_is_identifiable():
    r = sa.identifiable(IDENTIFIABLE, budget=30)
    assert r.status == "identifiable" and r.verify(IDENTIFIABLE)
    assert [s.name for s in r.proof] == ["hidden neuron beside a shared hyperplane", "inner network identifiable",
                                         "separated pair bottleneck theorem"]
    k = combinatorial_type(IDENTIFIABLE).classes.index("U+-")
    tried = 0
    for other in _carriers(IDENTIFIABLE, k):
        tried += 1
        assert not (_agrees_on_grid(IDENTIFIABLE, other) and oracle(IDENTIFIABLE, other))
    assert tried == 4 * 65 * 16


@pytest.mark.parametrize("net", WITNESSED)
def test_the_other_unknowns_have_two_hyperplane_witnesses(net):
    with pytest.raises(CertificateError, match="two hyperplanes between the components"):
        SeparatedPair().verify(net)
    r = sa.identifiable(net, budget=30)
    assert r.status == "not identifiable" and r.verify(net)
    k = combinatorial_type(net).classes.index("U+-")
    assert any(_agrees_on_grid(net, o) and oracle(net, o) for o in _carriers(net, k))   # the test's own witness
    label = r.move.data[1]
    assert isinstance(label.move, PairTrade) and label.move.also
    other = label.move.build(net)
    assert oracle(net, other) and sa.equivalent(net, other)
    # the pair's hyperplane now carries one neuron: one distinct hyperplane more than any member of the orbit has
    assert _hyperplanes(other) == _hyperplanes(net) + 1


def _planted(count, seed):
    """2-n1-1-1 parameters with an opposite pair planted and one U+- neuron: ``(net, failure)``."""
    rng, out, tries = random.Random(seed), [], 0
    while len(out) < count and tries < 20000:
        tries += 1
        n1 = rng.choice([4, 5])
        W = [[rng.randint(-3, 3) for _ in range(2)] for _ in range(n1)]
        b = [rng.randint(-3, 3) for _ in range(n1)]
        lam = rng.choice([1, 2, 3])
        W[1], b[1] = [-lam * x for x in W[0]], -lam * b[0]
        v = [rng.choice([-3, -2, -1, 1, 2, 3]) for _ in range(n1)]
        net = _net(W, b, v, rng.randint(-2, 2))
        try:
            why = _failure(net)
        except sa.SemialgError:
            continue
        if why is None or "between the components" in why:
            out.append((net, why))
    return out


@pytest.mark.parametrize("net, why", _planted(6, 3))
def test_planted_pairs_agree_with_the_theorem(net, why):
    if why is None:
        k = combinatorial_type(net).classes.index("U+-")
        for other in _carriers(net, k):
            assert not (_agrees_on_grid(net, other) and oracle(net, other))
        # every member has h' = mu h: the parameter is identifiable iff its inner network is
        inner = sa.Network(net.weights[:2], net.biases[:2])
        assert sa.identifiable(net, budget=30).status == sa.identifiable(inner, budget=30).status != "unknown"
        return
    r = sa.identifiable(net, budget=30)
    assert r.status != "identifiable"
    if r.status == "not identifiable":
        other = r.move.apply(net) if r.move.target is None else r.move.target
        assert r.verify(net) and oracle(net, other)


def test_a_forged_trade_is_refused():
    net = WITNESSED[1]
    move = sa.identifiable(net, budget=30).move.data[1].move
    assert move.apply(net) == move.build(net)
    k, (w, b, v) = move.also[0]
    with pytest.raises(CertificateError):       # the visible neuron 3 named as the hidden one
        PairTrade(move.kept, move.freed, (), move.kept_flipped, move.w, move.b, move.v, move.e,
                  ((2, (w, b, v)),)).apply(net)
    with pytest.raises(CertificateError, match="not pairs"):
        PairTrade(move.kept, move.freed, (), move.kept_flipped, move.w, move.b, move.v, move.e, (3,)).build(net)
    with pytest.raises(CertificateError, match="distinct"):       # the freed neuron moved twice
        PairTrade(move.kept, move.freed, (), move.kept_flipped, move.w, move.b, move.v, move.e,
                  ((move.freed, (w, b, v)),)).build(net)
