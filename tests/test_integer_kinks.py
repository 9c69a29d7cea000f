"""The vectorised kinks on integer forms against the rational hyperplane pass, and the refutation built on
them against exact evaluation (every refutation is a point where the two networks differ, re-evaluated)."""

import numpy as np
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.families.shallow.canonical import _affine_refutation, _integer_forms, _kink_refutation, canonical_form
from semialg.families.shallow.view import integer_kinks


def float_net(seed, m, n, k, dtype=np.float32, coarse=False):
    rng = np.random.default_rng(seed)
    draw = (lambda *s: rng.integers(-2, 3, size=s).astype(dtype)) if coarse else \
        (lambda *s: rng.normal(size=s).astype(dtype))
    return [draw(n, m), draw(n), draw(k, n), draw(k)]


def net_of(p):
    return sa.Network.from_arrays([p[0], p[2]], [p[1], p[3]])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 4), st.integers(1, 7), st.integers(1, 3), st.booleans())
def test_integer_kinks_equal_the_canonical_kinks(seed, m, n, k, coarse):
    net = net_of(float_net(seed, m, n, k, coarse=coarse))  # coarse: twins, opposite rows and dead neurons
    fast = integer_kinks(net)
    assert fast is not None
    as_keys = sorted((tuple(fmpq(int(v), int(P[np.flatnonzero(P)[0]])) for v in P.tolist()), delta)
                     for P, delta in fast.values())
    assert as_keys == sorted(canonical_form(net).kinks)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 4), st.integers(1, 7), st.integers(1, 3), st.booleans(),
       st.integers(0, 3))
def test_refutation_points_separate(seed, m, n, k, coarse, which):
    p = float_net(seed, m, n, k, coarse=coarse)
    q = [A.copy() for A in p]
    rng = np.random.default_rng(seed + 1)
    A = q[which]
    idx = tuple(rng.integers(0, s) for s in A.shape)
    A[idx] = np.nextafter(A[idx], np.float32(np.inf))     # one ulp
    n1, n2 = net_of(p), net_of(q)
    k1, k2 = integer_kinks(n1), integer_kinks(n2)
    cert = _kink_refutation(n1, n2, k1, k2) if k1 is not None and k2 is not None else None
    if cert is not None:
        assert cert.verify(n1, n2)
        assert n1(cert.point) != n2(cert.point)
    r = sa.equivalent(n1, n2)
    assert r.certificate.verify(n1, n2)
    # the classification theorem: equivalent iff the canonical forms agree (computed by the rational pass)
    assert (r.status == "equivalent") == (canonical_form(n1) == canonical_form(n2))
    if not coarse:  # all neurons live and in general position: any one-ulp change changes the function
        assert r.status == "not equivalent"


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 4), st.integers(1, 7), st.integers(1, 3))
def test_no_refutation_for_a_g_image(seed, m, n, k):
    p = float_net(seed, m, n, k)
    rng = np.random.default_rng(seed)
    perm = rng.permutation(n)
    lam = (2.0 ** rng.integers(-3, 4, size=n)).astype(np.float32)
    q = [p[0][perm] * lam[:, None], p[1][perm] * lam, p[2][:, perm] / lam[None, :], p[3]]
    n1, n2 = net_of(p), net_of(q)
    assert _kink_refutation(n1, n2, integer_kinks(n1), integer_kinks(n2)) is None
    assert sa.equivalent(n1, n2).status == "equivalent"


def test_large_near_miss_is_refuted_on_one_column():
    p = float_net(0, 300, 500, 3)
    q = [A.copy() for A in p]
    q[2][1, 7] = np.nextafter(q[2][1, 7], np.float32(np.inf))
    n1, n2 = net_of(p), net_of(q)
    r = sa.equivalent(n1, n2)
    assert r.status == "not equivalent" and r.certificate.verify(n1, n2)
    assert sum(1 for x in r.certificate.point if x) == 1


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 4), st.integers(1, 7), st.integers(1, 3), st.integers(-3, 3))
def test_network_orbit_element_maps_one_network_onto_the_other(seed, m, n, k, e):
    from semialg.families.shallow.symmetries import network_orbit_element
    n1 = net_of(float_net(seed, m, n, k))
    rng = np.random.default_rng(seed)
    perm = rng.permutation(n).tolist()
    lam = [fmpq(2) ** int(t) * fmpq(3) ** e for t in rng.integers(-3, 4, size=n)]  # not only powers of two
    (W1, b1), (W2, b2) = n1.layers()
    n2 = sa.Network.from_arrays([[[lam[i] * x for x in W1[perm[i]]] for i in range(n)],
                                 [[W2[r][perm[i]] / lam[i] for i in range(n)] for r in range(k)]],
                                [[lam[i] * b1[perm[i]] for i in range(n)], b2])
    g = network_orbit_element(n1, n2)
    assert g is not None
    # the integer path of the action and the entry-by-entry one (weights given as rows) agree
    by_rows = sa.Network(tuple(tuple(W.rows) for W in n1.weights), n1.biases)
    assert g.act(n1) == n2 and g.act(by_rows) == n2
    x = tuple(fmpq(j + 1, 3) for j in range(m))
    assert n1(x) == n2(x)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 4), st.integers(1, 7), st.integers(1, 3), st.booleans())
def test_the_integer_canonical_form_is_the_canonical_form(seed, m, n, k, coarse):
    from semialg.families.shallow.view import integer_canonical_form
    p = float_net(seed, m, n, k, coarse=coarse)  # coarse: dead, constant and opposite neurons
    # and always a constant neuron (w = 0): its bias, positive or not, enters the constant through sigma(b)
    p = [np.vstack([p[0], np.zeros((1, m), np.float32)]), np.append(p[1], np.float32(seed % 5 - 2)),
         np.hstack([p[2], np.ones((k, 1), np.float32)]), p[3]]
    net = net_of(p)
    F, K = integer_canonical_form(net), canonical_form(net)
    assert F is not None and (F.linear, F.constant) == (K.linear, K.constant)
    # the classification theorem, against evaluation: f(x) = sum_H delta_H s(u_H x + beta_H) + L x + d
    x = tuple(fmpq(3 * j - 2, j + 2) for j in range(m))
    value = [sum(a * x[j] for j, a in enumerate(row)) + d for row, d in zip(F.linear, F.constant)]
    for P, delta in F.kinks.values():
        z = sum(fmpq(int(P[j])) * x[j] for j in range(m)) + int(P[-1])
        lead = int(P[np.flatnonzero(P)[0]])
        value = [v + dr * max(z / lead, fmpq(0)) for v, dr in zip(value, delta)]
    assert tuple(value) == net(x)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 4), st.integers(1, 6), st.integers(1, 3), st.integers(0, 2))
def test_networks_differing_only_in_their_affine_part_are_refuted(seed, m, n, k, change):
    """An opposite pair (w, 0, a), (-w, 0, -a) adds no kink and a w^T x to the linear part: changing a, or the output
    bias, changes only the affine part, which the integer forms refute at 0 or a unit vector."""
    p = float_net(seed, m, n, k)
    rng = np.random.default_rng(seed)
    w = rng.integers(-3, 4, size=m).astype(np.float32)
    w[0] = 1
    a = rng.integers(1, 4, size=k).astype(np.float32)
    second = a if change == 2 else a + 1
    W1, b1 = np.vstack([p[0], w, -w]), np.concatenate([p[1], [0, 0]])
    n1 = sa.Network.from_arrays([W1, np.hstack([p[2], a[:, None], -a[:, None]])], [b1, p[3]])
    n2 = sa.Network.from_arrays([W1, np.hstack([p[2], second[:, None], -second[:, None]])],
                                [b1, p[3] + (change == 2)])
    point = _affine_refutation(n1, n2, *_integer_forms(n1, n2))
    assert point is not None and point.verify(n1, n2)
    assert n1(point.point) != n2(point.point)
    assert sum(1 for x in point.point if x) <= 1
    assert sa.equivalent(n1, n2).status == "not equivalent"
