"""The shortcuts that make shallow equivalence certificates cheap at 784-4096-10 (the move chain took 110 s, the
decision by canonical forms 8.5 s), each against its definition computed independently:

- the canonical forms compared on fingerprints of the keys (:func:`same_canonical_form`) is equality of the
  canonical forms, and then the functions agree at rational points;
- the negative kinks $\\kappa^-_H$ are kept by the reduction moves, so the rebalance is computed on the inputs
  (integer forms) — checked against $\\kappa^-_H$ summed neuron by neuron from :func:`normalise_row`;
- the orbit test on integer forms answers as the one on rational rows;
- clearing dead neurons on integer forms gives the network the rational rows give.
"""

import numpy as np
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.core.exact import normalise_row, vadd
from semialg.core.symmetry import GroupElement
from semialg.engine import neurons
from semialg.families.shallow.canonical import canonical_form, equivalent, same_canonical_form
from semialg.families.shallow.moves import MoveCertificate, rebalance_shifts, reduction_moves
from semialg.families.shallow.symmetries import network_orbit_element, orbit_element
from semialg.families.shallow.view import ShallowView
from tests.test_neuron_lines import coarse_net


def rational_copy(net: sa.Network) -> sa.Network:
    """The same parameter with its weights given row by row (no integer form at hand)."""
    return sa.Network(tuple(tuple(tuple(r) for r in W) for W in net.weights), net.biases)


def brute_negative_kinks(net: sa.Network) -> dict:
    """$\\kappa^-_H = \\sum_{i \\in H, s_i = -1} \\mu_i a_i$ from the definition, one neuron at a time."""
    v, out = ShallowView.of(net), {}
    for i in range(v.n):
        key, mu, sign = normalise_row(v.w[i] + (v.b[i],))
        if any(v.w[i]) and sign < 0 and any(v.a[i]):
            out[key] = vadd(out.get(key, (fmpq(0),) * len(v.c)), v.a[i], mu)
    return {key: t for key, t in out.items() if any(t)}


def kinks_only(net: sa.Network) -> tuple[sa.Network, sa.Network]:
    """Every row turned to its positive orientation and constant neurons silenced (no linear part, constant $c$),
    and the same with the output weights doubled: the same hyperplanes, linear part and constant, kinks doubled."""
    W1, b1 = [list(r) for r in net.weights[0]], list(net.biases[0])
    W2 = [list(r) for r in net.weights[1]]
    for i, row in enumerate(W1):
        lead = next((x for x in row + [b1[i]] if x), 0)
        if not any(row):
            for r in W2:
                r[i] = 0
        elif lead < 0:
            W1[i], b1[i] = [-x for x in row], -b1[i]
    c = list(net.biases[1])
    return (sa.Network.from_arrays([W1, W2], [b1, c]),
            sa.Network.from_arrays([W1, [[2 * x for x in r] for r in W2]], [b1, c]))


def agree_at_points(a: sa.Network, b: sa.Network, seed: int, m: int) -> bool:
    rng = np.random.default_rng(seed)
    return all(a(x) == b(x) for x in ([fmpq(int(rng.integers(-40, 41)), int(rng.integers(1, 6))) for _ in range(m)]
                                      for _ in range(60)))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 3), st.integers(1, 7), st.integers(1, 2), st.booleans())
def test_fingerprints_compare_the_canonical_forms(seed, m, n, k, rational):
    a = coarse_net(seed, m, n, k, rational)
    g = GroupElement.random(a.architecture, seed=seed)
    for a, b in [(a, b) for b in (g.act(a), coarse_net(seed + 1, m, n, k, rational), rational_copy(a),
                                  a.replace_layer(2, bias=[x + 1 for x in a.biases[1]]))] + [kinks_only(a)]:
        same = same_canonical_form(a, b)
        assert same == (canonical_form(a) == canonical_form(b))
        if same:
            assert agree_at_points(a, b, seed, m)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 3), st.integers(1, 8), st.integers(1, 2), st.booleans())
def test_reduction_keeps_the_negative_kinks(seed, m, n, k, rational):
    a, b = coarse_net(seed, m, n, k, rational), coarse_net(seed + 7, m, n, k, rational)
    _, r = reduction_moves(a)
    assert brute_negative_kinks(r) == brute_negative_kinks(a)
    ka, kb = brute_negative_kinks(a), brute_negative_kinks(b)
    zero = (fmpq(0),) * k
    expected = sorted((key, vadd(kb.get(key, zero), ka.get(key, zero), fmpq(-1))) for key in ka.keys() | kb.keys())
    assert list(rebalance_shifts(a, b)) == [(key, t) for key, t in expected if any(t)]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 3), st.integers(1, 7), st.integers(1, 2))
def test_equivalent_networks_get_a_replayable_chain(seed, m, n, k):
    a = coarse_net(seed, m, n, k)
    _, reduced = reduction_moves(a)         # twins merged, dead neurons cleared: the same function, another orbit
    flipped = neurons.negate(reduced, 1, [i for i in range(n) if not any(reduced.weights[1][r][i] for r in range(k))])
    for b in (reduced, flipped):
        assert agree_at_points(a, b, seed, m)
        r = equivalent(a, b)
        assert r.equivalent is True and r.verify(a, b)
        if network_orbit_element(a, b) is None:
            assert isinstance(r.certificate, MoveCertificate)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 3), st.integers(1, 7), st.integers(1, 2))
def test_the_integer_orbit_test_answers_as_the_rational_one(seed, m, n, k):
    a = coarse_net(seed, m, n, k)
    g = GroupElement.random(a.architecture, seed=seed)
    for b in (g.act(a), coarse_net(seed + 3, m, n, k), a.replace_layer(1, bias=[x + 1 for x in a.biases[0]])):
        found = network_orbit_element(a, b)
        assert (found is None) == (orbit_element(ShallowView.of(a), ShallowView.of(b)) is None)
        if found is not None:
            assert found.act(a) == b


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 3), st.integers(2, 7), st.integers(1, 2))
def test_clearing_on_integer_forms_is_clearing_on_rows(seed, m, n, k):
    a = coarse_net(seed, m, n, k)
    S = [i for i in range(n) if i in neurons.dead_neurons(a, 1) or i in neurons.constant_neurons(a, 1)]
    fast, slow = neurons.clear(a, 1, S), neurons.clear(rational_copy(a), 1, S)
    assert fast == slow and fast.weights[0].has_integer_form
    assert agree_at_points(a, fast, seed, m)
