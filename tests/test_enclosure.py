"""Certified float64 signs (`semialg.core.enclosure`) against exact rational evaluation: a sign said to be certain
is the exact sign, at points on and a hair off hyperplanes, with weights that are not floats, beyond the float64
range or below it; and the batch routines built on them (`activation_patterns`, `output_signs`) give exactly the
signs of `preactivations`."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from flint import fmpq
from hypothesis import given, strategies as st

import semialg as sa
from semialg.core.enclosure import certified_signs
from semialg.core.grid_point import GridPoint

from conftest import networks, onto_first_hyperplane


def _exact_preactivations(Ws, bs, x):
    """Every layer's pre-activations at ``x`` with Python fractions: independent of semialg's evaluation."""
    out, a = [], [Fraction(v) for v in x]
    for l, (W, b) in enumerate(zip(Ws, bs)):
        z = [sum((Fraction(w) * v for w, v in zip(row, a)), Fraction(0)) + Fraction(c) for row, c in zip(W, b)]
        out.append(z)
        a = [max(v, Fraction(0)) for v in z]
    return out


def _float(v) -> float:
    """The nearest float64, infinite beyond the range."""
    try:
        return float(Fraction(v))
    except OverflowError:
        return float("inf") if v > 0 else float("-inf")


def _sign(v) -> int:
    return (v > 0) - (v < 0)


def _check(Ws, bs, points):
    """Every certain sign of :func:`certified_signs` is the exact sign; returns how many were certain."""
    grid = [GridPoint([int(Fraction(v) * d) for v in x], d)
            for x in points for d in [int(np.lcm.reduce([Fraction(v).denominator for v in x]))]]
    layers = [(np.array([[_float(w) for w in row] for row in W], dtype=np.float64).reshape(len(W), -1),
               np.array([_float(c) for c in b])) for W, b in zip(Ws, bs)]
    found = certified_signs(layers, np.stack([g.numerators for g in grid]).astype(np.float64),
                            np.array([float(g.denominator) for g in grid]))
    certain = 0
    for k, x in enumerate(points):
        exact = _exact_preactivations(Ws, bs, x)
        for (signs, sure), z in zip(found, exact):
            for i, v in enumerate(z):
                if sure[k, i]:
                    certain += 1
                    assert signs[k, i] == _sign(v), (k, i, v)
    return certain


fractions = st.fractions(min_value=-3, max_value=3, max_denominator=9)


@given(st.lists(st.lists(fractions, min_size=3, max_size=3), min_size=1, max_size=4),
       st.lists(fractions, min_size=3, max_size=3), st.integers(30, 90), st.sampled_from([-1, 0, 1]))
def test_a_certain_sign_is_the_exact_sign_a_hair_from_a_hyperplane(W, x, k, side):
    """The bias is chosen so that the first neuron's pre-activation is exactly ``side * 2^-k`` (0 included): floats
    round it away, and the enclosure must then say "uncertain", never a wrong sign."""
    b = [side * Fraction(1, 2 ** k) - sum(w * v for w, v in zip(W[0], x))]
    b += [Fraction(1, 3)] * (len(W) - 1)
    _check([W], [b], [x])


@given(networks(min_depth=2, max_depth=4, max_width=5, max_io=3),
       st.lists(st.lists(fractions, min_size=3, max_size=3), min_size=1, max_size=6))
def test_certain_signs_of_random_networks_are_exact(net, X):
    X = [x[:net.widths[0]] + [Fraction(0)] * (net.widths[0] - 3) for x in X]
    Ws = [[[Fraction(int(w.p), int(w.q)) for w in row] for row in W.rows] for W in net.weights]
    bs = [[Fraction(int(c.p), int(c.q)) for c in b] for b in net.biases]
    _check(Ws, bs, X)


def test_exact_zeros_deep_in_the_network_are_never_certain():
    """Layer 2 cancels exactly at every point (two equal neurons with opposite output weights plus a zero bias):
    its float value is a rounding residue, and it must not be certified."""
    third = Fraction(1, 3)
    Ws = [[[third, Fraction(1, 7)], [third, Fraction(1, 7)]], [[Fraction(1, 11), -Fraction(1, 11)]]]
    bs = [[Fraction(1, 13), Fraction(1, 13)], [0]]
    rng = np.random.default_rng(0)
    X = [[Fraction(int(v), 97) for v in rng.integers(-500, 500, 2)] for _ in range(200)]
    _check(Ws, bs, X)
    net = sa.Network.from_arrays(Ws, bs)
    assert net.output_signs(X) == [(0,)] * len(X)


def test_weights_beyond_and_below_the_float_range():
    """Entries of $2^{\\pm 1100}$ (infinite or zero as floats): never a wrong certain sign, and the batch routines
    fall back on exact products."""
    big, tiny = Fraction(2) ** 1100, Fraction(1, 2 ** 1100)
    Ws = [[[big, 1], [tiny, -1], [1, 1]], [[1, -1, tiny]]]
    bs = [[0, tiny, -tiny], [-1]]
    X = [[Fraction(a, 5), Fraction(b, 3)] for a in range(-3, 4) for b in (-2, 0, 2)]
    assert _check(Ws, bs, X) > 0
    net = sa.Network.from_arrays(Ws, bs)
    exact = [net.preactivations(x) for x in X]
    assert net.activation_patterns(X) == [tuple(tuple(map(_sign, z)) for z in zs[:-1]) for zs in exact]
    assert net.output_signs(X) == [tuple(map(_sign, zs[-1])) for zs in exact]


@given(networks(min_depth=2, max_depth=4, max_width=6, max_io=3), st.integers(0, 10 ** 6), st.booleans())
def test_batch_signs_are_the_exact_signs(net, seed, huge):
    """`activation_patterns` and `output_signs` of a batch (grid points, plain points, points on a first-layer
    hyperplane) are the signs of the exact pre-activations."""
    rng = np.random.default_rng(seed)
    n0 = net.widths[0]
    X = [tuple(fmpq(int(v), 4) for v in rng.integers(-9, 9, n0)) for _ in range(5)]
    X += [tuple(fmpq(int(v), 2 ** 70 if huge else 3) for v in rng.integers(-9, 9, n0))]
    on = onto_first_hyperplane(net, X[0])
    X += [on] if on is not None else []
    exact = [net.preactivations(x) for x in X]
    assert net.activation_patterns(X) == [tuple(tuple(map(_sign, z)) for z in zs[:-1]) for zs in exact]
    assert net.output_signs(X) == [tuple(map(_sign, zs[-1])) for zs in exact]


def test_float32_networks_are_decided_by_the_floats():
    """On a float32 network at random grid points every sign is certain (the exact products are not needed):
    the enclosure is tight enough to do its work."""
    rng = np.random.default_rng(1)
    Ws = [rng.standard_normal((64, 32)).astype(np.float32), rng.standard_normal((1, 64)).astype(np.float32)]
    bs = [rng.standard_normal(64).astype(np.float32), np.zeros(1, dtype=np.float32)]
    N = rng.integers(-400, 400, (50, 32))
    found = certified_signs([(W.astype(np.float64), b.astype(np.float64)) for W, b in zip(Ws, bs)],
                            N.astype(np.float64), np.full(50, 64.0))
    assert all(sure.all() for _, sure in found)
    exact = [_exact_preactivations([W.tolist() for W in Ws], [b.tolist() for b in bs],
                                   [Fraction(int(v), 64) for v in row]) for row in N]
    for (signs, _), l in zip(found, range(2)):
        assert signs.tolist() == [[_sign(v) for v in zs[l]] for zs in exact]


def test_errors_of_a_wide_layer_carry_into_the_next():
    """Two neurons with rows $r$ and $3r$ of fan-in 400, cancelling heavily ($|z| \\ll \\sum |w||x|$), and a
    second layer $3\\sigma(z_1) - \\sigma(z_2) = 0$ exactly: its float value is the first layer's rounding error,
    which only the carried bound (not the second layer's own) covers."""
    rng = np.random.default_rng(3)
    certain_somewhere = False
    for _ in range(20):
        r = [Fraction(int(v), 3) for v in rng.integers(-1000, 1000, 400)]
        x = [Fraction(int(v), 7) for v in rng.integers(-1000, 1000, 400)]
        b = Fraction(1, 1000) - sum(w * v for w, v in zip(r, x))
        Ws, bs = [[r, [3 * w for w in r]], [[3, -1]]], [[b, 3 * b], [0]]
        _check(Ws, bs, [x])
        certain_somewhere |= _check([Ws[0]], [bs[0]], [x]) == 2
    assert certain_somewhere


def test_subnormal_rounding_is_covered():
    """$w = \\frac{2}{3}2^{-1060}$ rounds to a subnormal float with relative error $2^{-16}$, far beyond the bound
    for normal floats: at $x = 3$, $z = wx - 2^{-1059} = 0$ while the floats give one unit of $2^{-1074}$."""
    w, b = Fraction(2, 3) / 2 ** 1060, -Fraction(1, 2 ** 1059)
    assert _float(w) * 3 + _float(b) != 0
    _check([[[w]]], [[b]], [[Fraction(3)]])


def test_inputs_below_the_float_range_are_covered():
    """An input of $2^{-1080}$ has no integer form and rounds to the float 0; times a weight $2^{1000}$ it is the
    $2^{-80}$ that a bias cancels exactly: the sign is 0, which only the bound's underflow term keeps uncertain."""
    net = sa.Network.from_arrays([[[2 ** 1000]], [[1]]], [[-fmpq(1, 2 ** 80)], [0]])
    x = (fmpq(1, 2 ** 1080),)
    assert net.activation_patterns([x, x, (fmpq(1),)]) == [((0,),), ((0,),), ((1,),)]


def test_float32_inputs_without_an_integer_form():
    """Float32 data (denominators up to $2^{149}$: no ``int64`` form) enter by their floats, exactly as given."""
    rng = np.random.default_rng(5)
    net = sa.Network.from_arrays([rng.standard_normal((8, 6)).astype(np.float32),
                                  rng.standard_normal((2, 8)).astype(np.float32)],
                                 [rng.standard_normal(8).astype(np.float32), np.zeros(2, dtype=np.float32)])
    X = (rng.standard_normal((20, 6)) * 10.0 ** rng.integers(-30, 30, (20, 1))).astype(np.float32).tolist()
    exact = [net.preactivations(x) for x in X]
    assert net.activation_patterns(X) == [tuple(tuple(map(_sign, z)) for z in zs[:-1]) for zs in exact]
    assert net.output_signs(X) == [tuple(map(_sign, zs[-1])) for zs in exact]


def _check_lines(Ws, bs, x, moves):
    """Every certain sign of :func:`certified_signs_on_lines` at ``x + t e_j`` for ``(j, t)`` in ``moves`` is the
    exact sign there; returns how many were certain."""
    from semialg.core.enclosure import certified_signs_on_lines
    d = int(np.lcm.reduce([Fraction(v).denominator for v in x]))
    layers = [(np.array([[_float(w) for w in row] for row in W], dtype=np.float64).reshape(len(W), -1),
               np.array([_float(c) for c in b])) for W, b in zip(Ws, bs)]
    found = certified_signs_on_lines(layers, np.array([float(Fraction(v) * d) for v in x]), d,
                                     np.array([j for j, _ in moves], dtype=np.intp),
                                     np.array([_float(d * Fraction(t)) for _, t in moves]))
    certain = 0
    for k, (j, t) in enumerate(moves):
        y = [Fraction(v) + (Fraction(t) if i == j else 0) for i, v in enumerate(x)]
        for (signs, sure), z in zip(found, _exact_preactivations(Ws, bs, y), strict=True):
            for i, v in enumerate(z):
                if sure[k, i]:
                    certain += 1
                    assert signs[k, i] == _sign(v), (k, i, v)
    return certain


@given(networks(min_depth=2, max_depth=4, max_width=5, max_io=3), st.lists(fractions, min_size=3, max_size=3),
       st.lists(st.tuples(st.integers(0, 2), fractions, st.sampled_from([None, -1, 0, 1]), st.integers(0, 60)),
                min_size=1, max_size=6))
def test_certain_signs_on_lines_are_exact(net, x, moves):
    """Moves of one point along one coordinate each, some of them onto a first-layer hyperplane ($z_k = 0$
    exactly, as the visibility witnesses are placed) or a hair $\\pm 2^{-e}$ beside it: a sign said to be certain is
    the exact sign."""
    n0 = net.widths[0]
    x = x[:n0] + [Fraction(0)] * (n0 - len(x[:n0]))
    Ws = [[[Fraction(int(w.p), int(w.q)) for w in row] for row in W.rows] for W in net.weights]
    bs = [[Fraction(int(c.p), int(c.q)) for c in b] for b in net.biases]
    lines = []
    for j, t, side, e in moves:
        j %= n0
        if side is not None:        # onto (or beside) the hyperplane of the first neuron with w_j != 0
            z = _exact_preactivations(Ws[:1], bs[:1], x)[0]
            k = next((k for k, row in enumerate(Ws[0]) if row[j]), None)
            t = t if k is None else (side * Fraction(1, 2 ** e) - z[k]) / Ws[0][k][j]
        lines.append((j, t))
    _check_lines(Ws, bs, x, lines)


def test_points_moved_onto_hyperplanes_of_a_float32_network_are_decided_by_the_floats():
    """A float32 64-32-1 network, one grid point moved along one coordinate onto each hidden neuron's hyperplane
    (as the visibility witnesses of a bottleneck are): every output sign is certain and exact, and the zero
    pre-activation of the neuron moved onto is never said certain."""
    rng = np.random.default_rng(2)
    W1, b1 = rng.standard_normal((32, 64)).astype(np.float32), rng.standard_normal(32).astype(np.float32)
    W2 = rng.standard_normal((1, 32)).astype(np.float32)
    Ws = [[[Fraction(float(w)) for w in row] for row in W] for W in (W1, W2)]
    bs = [[Fraction(float(c)) for c in b1], [Fraction(1)]]
    x = [Fraction(int(v), 64) for v in rng.integers(-64, 64, 64)]
    z = _exact_preactivations(Ws[:1], bs[:1], x)[0]
    moves = [(int(np.argmax(np.abs(W1[k]))), -z[k] / Ws[0][k][int(np.argmax(np.abs(W1[k])))]) for k in range(32)]
    assert _check_lines(Ws, bs, x, moves) >= 32 * 31 + 32
    from semialg.core.enclosure import certified_signs_on_lines
    layers = [(W1.astype(np.float64), b1.astype(np.float64)), (W2.astype(np.float64), np.array([1.0]))]
    found = certified_signs_on_lines(layers, np.array([float(v * 64) for v in x]), 64,
                                     np.array([j for j, _ in moves]), np.array([float(64 * t) for _, t in moves]))
    assert not found[0][1][np.arange(32), np.arange(32)].any() and found[1][1].all()


def test_no_lines():
    from semialg.core.enclosure import certified_signs_on_lines
    layers = [(np.ones((2, 3)), np.zeros(2)), (np.ones((1, 2)), np.zeros(1))]
    found = certified_signs_on_lines(layers, np.zeros(3), 1, np.zeros(0, dtype=np.intp), np.zeros(0))
    assert [(s.shape, c.shape) for s, c in found] == [((0, 2), (0, 2)), ((0, 1), (0, 1))]


def test_exact_zeros_after_a_move_are_never_certain():
    """$h = 3\\sigma(z_1) - \\sigma(z_2)$ with row 2 three times row 1 is 0 everywhere. Moved far (steps up to
    $10^6$) from 0 with biases $10^{-3}$, its float value is the rounding of the steps' products (which the base
    point's bound does not cover); not moved, from a point where $z$ cancels heavily over 400 inputs, it is the base
    product's error (which the steps' terms do not cover). Neither may be certified."""
    rng = np.random.default_rng(4)
    for _ in range(10):
        r = [Fraction(int(v), 3) for v in rng.integers(-1000, 1000, 400)]
        x = [Fraction(int(v), 7) for v in rng.integers(-1000, 1000, 400)]
        b = Fraction(1, 1000) - sum(w * v for w, v in zip(r, x))
        Ws, bs = [[r, [3 * w for w in r]], [[3, -1]]], [[b, 3 * b], [0]]
        far = [(j, Fraction(int(rng.integers(1, 10 ** 6)), 7) * int(rng.choice([-1, 1]))) for j in range(8)]
        _check_lines(Ws, [[Fraction(1, 1000), Fraction(3, 1000)], [0]], [Fraction(0)] * 400, far)
        _check_lines(Ws, bs, x, [(j, Fraction(0)) for j in range(4)])
