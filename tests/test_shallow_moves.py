"""The shallow moves (M1)-(M4), checked by exact evaluation and against independent constructions: a move
whose precondition holds keeps the function (and the canonical form, computed without the moves); trading
the whole kink of a 0-factor's hyperplanes across is its flip; the reduction leaves no dead neuron, no twin.
"""

from __future__ import annotations

import random
from unittest.mock import patch

import pytest
from flint import fmpq
from hypothesis import assume, given, settings, strategies as st

from semialg.core.exact import nullspace
from semialg.errors import CertificateError
from semialg.families.shallow import (ClearDeadNeuron, MergeTwins, Rebalance, ShallowView, canonical_form,
                                      flip_neurons)
from semialg.families.shallow.moves import reduction_moves

from test_shallow import agree_everywhere_probed


def _net(rng: random.Random, m: int, n: int, k: int, unit: bool = False) -> ShallowView:
    """Random neurons; with ``unit`` the first entry of every w_i is +-1 (scale 1: kink = output weight)."""
    q = lambda: fmpq(rng.randint(-4, 4), rng.randint(1, 3))  # noqa: E731
    w = [tuple([fmpq(rng.choice((1, -1)))] + [q() for _ in range(m - 1)]) if unit else tuple(q() for _ in range(m))
         for _ in range(n)]
    a = [tuple(q() or fmpq(1) for _ in range(k)) for _ in range(n)]
    return ShallowView(tuple(a), tuple(w), tuple(q() for _ in range(n)), tuple(q() for _ in range(k)))


@settings(max_examples=25)
@given(st.integers(0, 10 ** 6))
def test_merge_and_clear_keep_the_function_when_their_preconditions_hold(seed):
    rng = random.Random(seed)
    v = _net(rng, rng.randint(1, 3), 4, rng.randint(1, 2))
    lam = fmpq(rng.randint(1, 4), rng.randint(1, 3)) * rng.choice((1, -1))
    w, b, a = list(v.w), list(v.b), list(v.a)
    w[1], b[1] = tuple(lam * x for x in w[0]), lam * b[0]        # neuron 1 on neuron 0's line
    w[2] = (fmpq(0),) * len(w[2])                                 # neuron 2 constant
    a[3] = (fmpq(0),) * len(a[3])                                 # neuron 3 dead
    net = ShallowView(tuple(a), tuple(w), tuple(b), v.c).network()
    K = canonical_form(net)
    for i in (2, 3):
        moved = ClearDeadNeuron(i).apply(net)
        assert ShallowView.of(moved).w[i] == (0,) * len(w[0]) and not any(ShallowView.of(moved).a[i])
        assert canonical_form(moved) == K and agree_everywhere_probed(net, moved)
    if not any(w[0]) and not b[0] or lam < 0:  # constant neurons with biases of one sign are twins too
        with pytest.raises(CertificateError):
            MergeTwins(0, 1).apply(net)
    else:
        moved = MergeTwins(0, 1).apply(net)
        assert canonical_form(moved) == K and agree_everywhere_probed(net, moved)
        assert not any(ShallowView.of(moved).a[1]) and not any(ShallowView.of(moved).w[1])
    if any(w[0]):
        with pytest.raises(CertificateError):
            ClearDeadNeuron(0).apply(net)


def _negative_kinks(net) -> dict:
    """Per hyperplane, the sum of the output weights of its negatively oriented neurons (rows of scale 1 here,
    first entry -1: their kinks), brute force."""
    out: dict = {}
    for w, b, a in zip(net.weights[0], net.biases[0], zip(*net.weights[1]), strict=True):
        if w[0] < 0:
            key = tuple(x / w[0] for x in w + (b,))
            out[key] = tuple(x + y for x, y in zip(out.get(key, (fmpq(0),) * len(a)), a))
    return out


@settings(max_examples=25)
@given(st.integers(0, 10 ** 6))
def test_rebalance_along_a_relation_keeps_the_function_and_moves_exactly_t(seed):
    rng = random.Random(seed)
    m, n, k = rng.randint(1, 2), rng.randint(2, 4), rng.randint(1, 2)
    net = _net(rng, m, n, k, unit=True).network()
    rows = [w + (b,) for w, b in zip(net.weights[0], net.biases[0], strict=True)]
    hp = sorted({tuple(x / r[0] for x in r) for r in rows})  # the hyperplanes, normalised independently
    hp = list(dict.fromkeys(hp + [(fmpq(1),) + tuple(fmpq(rng.randint(-3, 3)) for _ in range(m)) for _ in range(2)]))
    relations = nullspace([list(col) for col in zip(*(h[:-1] for h in hp))])
    if not relations:
        return
    y = tuple(fmpq(rng.randint(-3, 3), rng.randint(1, 2)) for _ in range(k))
    shifts = tuple((h, tuple(z * x for x in y)) for h, z in zip(hp, relations[0], strict=True) if z)
    if len(set(rows)) < n:  # rows of scale 1: twins are equal rows, and the move wants one per orientation
        with pytest.raises(CertificateError):
            Rebalance(shifts).apply(net)
        return
    moved = Rebalance(shifts).apply(net)
    assert canonical_form(moved) == canonical_form(net) and agree_everywhere_probed(net, moved)
    assert moved.widths[1] <= n + 2 * len(shifts)
    before, after, t = _negative_kinks(net), _negative_kinks(moved), dict(shifts)
    zero = (fmpq(0),) * k
    assert all(after.get(h, zero) == tuple(x + y for x, y in zip(before.get(h, zero), t.get(h, zero))) for h in hp)
    broken = tuple((h, tuple(x + 1 for x in t)) if i == 0 else (h, t) for i, (h, t) in enumerate(shifts))
    with pytest.raises(CertificateError):
        Rebalance(broken).apply(net)


@settings(max_examples=20)
@given(st.integers(0, 10 ** 6))
def test_trading_a_zero_factors_whole_kinks_across_is_its_flip(seed):
    # rows w_i = s_i (1, ...) on distinct lines and sum_S a_i w_i = 0: t_H = s_i a_i moves neuron i's whole
    # kink to the other orientation, which is theta_S
    rng = random.Random(seed)
    m, k = rng.randint(1, 2), rng.randint(1, 2)
    v = _net(rng, m, m + 2, k, unit=True)
    y = v.a[0]
    coef = [fmpq(rng.choice((1, 2, -1, 3)), rng.randint(1, 2)) for _ in range(m + 1)]
    a = [tuple(c * x for x in y) for c in coef]
    last = [-sum((c * w[j] for c, w in zip(coef[:-1], v.w, strict=False)), fmpq(0)) / coef[-1] for j in range(m)]
    if last[0] == 0:
        return
    scale = abs(last[0])
    w = list(v.w[:m]) + [tuple(x / scale for x in last), v.w[m + 1]]
    a = a[:m] + [tuple(x * scale for x in a[m])] + [v.a[m + 1]]
    net = ShallowView(tuple(a), tuple(w), v.b, v.c).network()
    S = tuple(range(m + 1))
    keys = [tuple(x / w[i][0] for x in w[i] + (v.b[i],)) for i in range(m + 2)]
    if len(set(keys)) < len(keys):  # two neurons on one line: the kink would move onto the other one
        return
    shifts = tuple(sorted((keys[i], tuple(w[i][0] * x for x in a[i])) for i in S))
    assert Rebalance(shifts).apply(net) == flip_neurons(net, S)
    assert agree_everywhere_probed(net, flip_neurons(net, S))


@settings(max_examples=25)
@given(st.integers(0, 10 ** 6))
def test_reduction_leaves_no_dead_neuron_and_no_twins(seed):
    rng = random.Random(seed)
    v = _net(rng, rng.randint(1, 2), 5, rng.randint(1, 2))
    w, b, a = list(v.w), list(v.b), list(v.a)
    for _ in range(3):
        i, j = rng.sample(range(5), 2)
        kind = rng.choice(("twin", "dead", "constant"))
        if kind == "twin":
            lam = fmpq(rng.randint(1, 3), rng.randint(1, 2))
            w[j], b[j] = tuple(lam * x for x in w[i]), lam * b[i]
        elif kind == "dead":
            a[j] = (fmpq(0),) * len(a[j])
        else:
            w[j] = (fmpq(0),) * len(w[j])
    net = ShallowView(tuple(a), tuple(w), tuple(b), v.c).network()
    moves, red = reduction_moves(net)
    assert canonical_form(red) == canonical_form(net) and agree_everywhere_probed(net, red)
    r = ShallowView.of(red)
    live = [i for i in range(r.n) if any(r.a[i]) or any(r.w[i]) or r.b[i]]
    assert all(any(r.a[i]) and any(r.w[i]) for i in live)
    # no twins: no two rows are positive multiples of each other (the rows are not rescaled)
    rows = [r.w[i] + (r.b[i],) for i in live]
    assert not any(_positive_multiple(rows[p], rows[q]) for p in range(len(rows)) for q in range(p))


def _positive_multiple(r, s) -> bool:
    """Whether s = lam r for some lam > 0 (r non-zero)."""
    lead = next(t for t, x in enumerate(r) if x)
    lam = s[lead] / r[lead]
    return lam > 0 and all(lam * x == y for x, y in zip(r, s))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6), st.booleans())
def test_same_neurons_is_equality_up_to_the_group_action(seed, integer_forms):
    """same_neurons holds for g . theta (g random: order, positive scales) with a dead neuron and a constant one
    whose value the output bias gives back, and then the functions agree at probed points; one output weight
    changed or one neuron flipped breaks it. ``integer_forms``: dyadic weights read from float arrays, compared on
    their integer rows; otherwise rationals, compared by the rational pass (the integer rows withheld)."""
    import numpy as np
    from semialg.core.network import Network
    from semialg.core.symmetry import GroupElement
    from semialg.families.shallow.moves import same_neurons
    rng = random.Random(seed)
    m, k, n = rng.randint(1, 3), rng.randint(1, 2), 4
    q = (lambda: fmpq(rng.randint(-8, 8), 4)) if integer_forms else (lambda: fmpq(rng.randint(-4, 4), rng.randint(1, 3)))

    def build(W1, W2, b1, b2):
        if integer_forms:
            to = lambda M: np.array([[float(x) for x in r] for r in M])     # noqa: E731 -- dyadic: exact
            return Network.from_arrays([to(W1), to(W2)], [[float(x) for x in b1], [float(x) for x in b2]])
        return Network.from_arrays([W1, W2], [b1, b2])

    W1 = [[q() for _ in range(m)] for _ in range(n)]
    W2 = [[q() or fmpq(1) for _ in range(n)] for _ in range(k)]
    b1, b2 = [q() for _ in range(n)], [q() for _ in range(k)]
    net = build(W1, W2, b1, b2)
    perm = list(range(n))
    rng.shuffle(perm)
    scale = (lambda: fmpq(2) ** rng.randint(-2, 2)) if integer_forms else (lambda: fmpq(rng.randint(1, 5), rng.randint(1, 4)))
    moved = GroupElement([perm], [[scale() for _ in range(n)]]).act(Network.from_arrays([W1, W2], [b1, b2]))
    # a dead neuron (a = 0) and a constant one (w = 0, value a0 sigma(b0)) that the output bias gives back
    b0, a0 = fmpq(rng.randint(1, 3)), [fmpq(rng.randint(-2, 2)) for _ in range(k)]
    wider = build([list(r) for r in moved.weights[0].rows] + [[fmpq(1)] * m, [fmpq(0)] * m],
                  [list(r) + [fmpq(0), a0[t]] for t, r in enumerate(moved.weights[1].rows)],
                  list(moved.biases[0]) + [fmpq(7), b0], [x - a * b0 for x, a in zip(moved.biases[1], a0)])
    if not integer_forms:
        import semialg.families.shallow.moves as moves_module
        with patch.object(moves_module, "integer_neuron_rows", lambda net: None):
            _check_same_neurons(net, wider, W1, W2, b1, b2, rng, build)
        return
    _check_same_neurons(net, wider, W1, W2, b1, b2, rng, build)


def _check_same_neurons(net, wider, W1, W2, b1, b2, rng, build):
    from semialg.families.shallow.moves import same_neurons
    n = len(W1)
    assert same_neurons(net, wider) and same_neurons(wider, net)
    assert agree_everywhere_probed(net, wider)
    live = [t for t in range(n) if any(W1[t])]      # a_i != 0 always: these neurons shape the function
    if not live:
        return
    i = rng.choice(live)
    changed = [list(r) for r in W2]
    changed[0][i] += 1
    assert not same_neurons(net, build(W1, changed, b1, b2))
    flip = lambda xs: [-x if t == i else x for t, x in enumerate(xs)]  # noqa: E731
    assert not same_neurons(net, build([[-x for x in r] if t == i else r for t, r in enumerate(W1)], W2,
                                       flip(b1), b2))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_rebalance_shifts_on_integer_rows_are_those_of_the_rational_pass(seed):
    """The shifts read off primitive integer normals equal those of the rational pass (integer rows withheld); the
    Rebalance they make is checked, where the pairs are equivalent, by every shallow equivalence test."""
    import semialg.families.shallow.moves as moves_module
    from semialg.families.shallow.moves import rebalance_shifts
    rng = random.Random(seed)
    m, k = rng.randint(1, 2), rng.randint(1, 2)
    v1 = _net(rng, m, 4, k)
    # net2: some neurons flipped (a 0-factor need not hold: the shifts exist for any pair)
    S = [i for i in range(4) if rng.random() < 0.5]
    net1 = v1.network()
    net2 = flip_neurons(net1, S)
    fast = rebalance_shifts(net1, net2)
    with patch.object(moves_module, "integer_negative_kinks", lambda net: None):
        slow = rebalance_shifts(net1, net2)
        assert fast == slow
        assert rebalance_shifts(net1, net1) == ()


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10 ** 6), st.booleans())
def test_a_zero_factor_flip_is_named_as_one(seed, act):
    """Three neurons on lines summing to 0 with equal output weights (a 0-factor) beside random ones, flipped (and
    the result moved by a random group element): equivalent by a certificate whose net1 chain is the flip of exactly
    those neurons (``FlipZeroFactor``), which replays; flipping a set that is no 0-factor is refused."""
    from semialg.core.network import Network
    from semialg.core.symmetry import GroupElement
    from semialg.families.shallow import FlipZeroFactor, MoveCertificate, equivalent
    rng = random.Random(seed)
    k = rng.randint(1, 2)
    v = _net(rng, 2, 2, k)
    a = tuple(fmpq(rng.randint(1, 3)) for _ in range(k))
    u = [(fmpq(1), fmpq(0)), (fmpq(0), fmpq(1)), (fmpq(-1), fmpq(-1))]
    # a random neuron on one of these lines would be a twin after the flip (merged instead: a Rebalance then)
    assume(not any(w[0] * x[1] == w[1] * x[0] for w in v.w for x in u))
    W1 = list(v.w) + u
    b1 = list(v.b) + [fmpq(rng.randint(-2, 2)) for _ in range(3)]
    W2 = [[v.a[i][r] for i in range(2)] + [a[r]] * 3 for r in range(k)]
    net = Network.from_arrays([W1, W2], [b1, list(v.c)])
    other = flip_neurons(net, (2, 3, 4))
    if act:
        perm = list(range(5))
        rng.shuffle(perm)
        other = GroupElement([perm], [[fmpq(rng.randint(1, 4), rng.randint(1, 3)) for _ in range(5)]]).act(other)
    r = equivalent(net, other)
    assert r.status == "equivalent" and r.certificate.verify(net, other)
    assert agree_everywhere_probed(net, other)
    if isinstance(r.certificate, MoveCertificate):     # (a G-orbit when the flip is one: rows u and -u only)
        flips = [mv for mv in r.certificate.moves1 if isinstance(mv, FlipZeroFactor)]
        assert len(flips) == 1 and set(flips[0].S) == {2, 3, 4}
        assert "M4 0-factor flips" in r.certificate.mechanisms()
    with pytest.raises(CertificateError):
        FlipZeroFactor((2, 3)).apply(net)      # a_i w_i sum to a (1, 1) != 0


def test_a_long_flip_is_described_in_one_short_line():
    from semialg.families.shallow import FlipZeroFactor
    assert FlipZeroFactor(tuple(range(4096))).describe() == \
        "flip neurons 1, 2, 3, 4, 5, 6, 7, 8, ... (4096 neurons) (a 0-factor: their terms a_i w_i sum to 0)"
    assert FlipZeroFactor((4, 0)).describe() == "flip neurons 5, 1 (a 0-factor: their terms a_i w_i sum to 0)"


def test_a_rebalance_that_no_flip_realises_is_kept():
    """An opposite pair on each of three lines summing to 0, with kinks (3, 1) traded to (2, 2): the same function,
    and flipping every neuron there gives (1, 3), not (2, 2), so the certificate trades by a Rebalance."""
    from semialg.core.network import Network
    from semialg.families.shallow import MoveCertificate, Rebalance, equivalent
    rows = [[1, 0], [0, 1], [-1, -1]]

    def net(pos, neg):
        return Network.from_arrays([rows + [[-x for x in r] for r in rows], [[pos] * 3 + [neg] * 3]], [[0] * 6, [0]])

    n1, n2 = net(3, 1), net(2, 2)
    r = equivalent(n1, n2)
    assert r.status == "equivalent" and isinstance(r.certificate, MoveCertificate) and r.certificate.verify(n1, n2)
    assert any(isinstance(mv, Rebalance) for mv in r.certificate.moves1)
    assert agree_everywhere_probed(n1, n2)
