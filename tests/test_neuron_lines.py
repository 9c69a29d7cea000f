"""The grouping of shallow neurons by hyperplane, on integer forms and on rational rows, against the definition
(proportional rows, checked pair by pair), and the results built on it against brute force."""

import itertools

import numpy as np
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.core.exact import fingerprint
from semialg.families.shallow.view import ShallowView, hyperplanes, neuron_lines


def coarse_net(seed, m, n, k, rational=False):
    """Entries in {-2..2} (twins, opposite rows, dead neurons and zero outputs are frequent), as float32 arrays
    (integer forms at hand) or as rationals scaled by random fractions (rows given as rationals)."""
    rng = np.random.default_rng(seed)
    draw = lambda *s: rng.integers(-2, 3, size=s)  # noqa: E731
    W1, b1, W2, b2 = draw(n, m), draw(n), draw(k, n), draw(k)
    for _ in range(n // 2):  # copies and negated copies with the same output weights: twins and opposite pairs
        i, j, s = rng.integers(0, n), rng.integers(0, n), rng.choice([1, -1])
        W1[i], b1[i], W2[:, i] = s * W1[j], s * b1[j], W2[:, j]
    if not rational:
        return sa.Network.from_arrays([W1.astype(np.float32), W2.astype(np.float32)],
                                      [b1.astype(np.float32), b2.astype(np.float32)])
    s = [fmpq(int(rng.integers(1, 5)), int(rng.integers(1, 5))) for _ in range(n)]
    W = [[s[i] * int(x) for x in W1[i]] for i in range(n)]
    b = [s[i] * int(b1[i]) for i in range(n)]
    A = [[int(x) / s[i] for i, x in enumerate(r)] for r in W2.tolist()]
    return sa.Network.from_arrays([W, A], [b, b2.tolist()])


def without_source(v):
    return ShallowView(v.a, tuple(tuple(r) for r in v.w), v.b, v.c)


def proportional(r, s):
    """Whether two non-zero rows span one line (all 2x2 minors vanish)."""
    return all(r[p] * s[q] == r[q] * s[p] for p, q in itertools.combinations(range(len(r)), 2))


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 4), st.integers(1, 9), st.integers(1, 3), st.booleans())
def test_lines_are_the_lines_of_the_rows(seed, m, n, k, rational):
    net = coarse_net(seed, m, n, k, rational)
    v = ShallowView.of(net)
    fast, slow = neuron_lines(v), neuron_lines(without_source(v))
    assert fast.integer is not None  # small or integer-form weights: the vectorised pass
    assert slow.integer is None
    assert (fast.line, fast.sign, fast.scale) == (slow.line, slow.sign, slow.scale)
    assert fast.keys() == slow.keys() == [fast.key(h) for h in range(fast.count)]
    assert fast.fingerprints() == slow.fingerprints() == [fingerprint(key) for key in slow.keys()]
    rows = [tuple(v.w[i]) + (v.b[i],) for i in range(v.n)]
    for i, row in enumerate(rows):
        h = fast.line[i]
        assert (h < 0) == (not any(v.w[i]))
        if h >= 0:
            key = fast.key(h)
            assert next(x for x in key if x) == 1
            assert tuple(fast.sign[i] * fast.scale[i] * x for x in key) == row
            assert fast.scale[i] > 0
    for i, j in itertools.combinations(range(v.n), 2):
        if fast.line[i] >= 0 and fast.line[j] >= 0:
            assert (fast.line[i] == fast.line[j]) == proportional(rows[i], rows[j])
    # numbered by first occurrence
    seen = [h for h in fast.line if h >= 0]
    assert sorted(set(seen), key=seen.index) == list(range(fast.count))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 4), st.integers(1, 9), st.integers(1, 3))
def test_hyperplanes_agree_on_both_passes_and_with_evaluation(seed, m, n, k):
    net = coarse_net(seed, m, n, k)
    v = ShallowView.of(net)
    fast, slow = hyperplanes(v), hyperplanes(without_source(v))
    assert fast == slow and all(fast.key(h) == slow.key(h) for h in fast.kinks)
    assert fast.fingerprint() == slow.fingerprint()
    # f(x) = sum_H delta_H s(u_H x + beta_H) + L x + d, evaluated exactly at rational points
    rng = np.random.default_rng(seed)
    for _ in range(5):
        x = [fmpq(int(rng.integers(-9, 10)), int(rng.integers(1, 4))) for _ in range(m)]
        y = [fast.constant[r] + sum(fast.linear[r][j] * x[j] for j in range(m)) for r in range(k)]
        for h, delta in fast.kinks.items():
            key = fast.key(h)
            z = sum(key[j] * x[j] for j in range(m)) + key[m]
            if z > 0:
                y = [y[r] + delta[r] * z for r in range(k)]
        assert tuple(y) == net(x)


def brute_stabilizer_classes(net):
    """Neurons i ~ j iff (w_j, b_j, a_j) = (l w_i, l b_i, a_i / l) for some l > 0, found from the first
    non-zero entry; zero neurons apart."""
    v = ShallowView.of(net)
    full = [tuple(v.w[i]) + (v.b[i],) + tuple(v.a[i]) for i in range(v.n)]
    m1 = len(v.w[0]) + 1

    def related(i, j):
        p, q = full[i], full[j]
        nz = [t for t in range(m1) if p[t]]
        if not nz:
            if any(q[:m1]):
                return False
            nz_a = [t for t in range(m1, len(p)) if p[t]]
            if not nz_a:
                return not any(q)
            lam = p[nz_a[0]] / q[nz_a[0]] if q[nz_a[0]] else None
        else:
            lam = q[nz[0]] / p[nz[0]]
        if lam is None or lam <= 0:
            return False
        return all(q[t] == lam * p[t] for t in range(m1)) and all(q[t] * lam == p[t] for t in range(m1, len(p)))

    zero = tuple(i for i in range(v.n) if not any(full[i]))
    classes = set()
    for i in range(v.n):
        if i in zero:
            continue
        C = tuple(j for j in range(v.n) if j not in zero and related(i, j))
        if len(C) > 1:
            classes.add(C)
    return tuple(sorted(classes)), zero


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 3), st.integers(1, 8), st.integers(1, 2), st.booleans())
def test_stabilizer_classes_by_brute_force(seed, m, n, k, rational):
    net = coarse_net(seed, m, n, k, rational)
    S = sa.stabilizer(net)
    assert (S.classes, S.zero_neurons) == brute_stabilizer_classes(net)
    g = S.random_element(seed)
    assert g.act(net) == net
