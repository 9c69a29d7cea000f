"""Case-(a) bottleneck equivalence without the joint arrangement: the shallow moves of the inner network when
$h_2 = \\mu h_1$ (any regime), and a separating input found on lines before the region enumeration ($n_0 \\ge 3$).

Verdicts are checked against the arrangement decision (:func:`equivalent_outer`, an independent computation) on
small networks, against exact evaluation at random rational inputs on wide ones; every certificate is replayed.
"""

from __future__ import annotations

import random

from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.core.symmetry import GroupElement
from semialg.families.bottleneck.outer import equivalent_outer


def _with_twins(seed: int, n0: int, n1: int) -> Network:
    """An n0-n1-1-1 parameter whose neurons 0 and 1 are twins (row of 1 twice that of 0) with output weights of
    one sign, and whose last neuron is unused (v = 0)."""
    rng = random.Random(seed)
    W = [[rng.randint(-3, 3) for _ in range(n0)] for _ in range(n1)]
    b = [fmpq(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(n1)]
    v = [rng.choice([-2, -1, 1, 2, 3]) for _ in range(n1)]
    W[1], b[1], v[1], v[-1] = [2 * x for x in W[0]], 2 * b[0], v[0], 0
    return Network.from_arrays([W, [v], [[rng.choice([1, 2])]]], [b, [rng.randint(-2, 2)], [0]])


def _inner_moved(net: Network, seed: int) -> Network:
    r"""``net`` after moves keeping $h$: the twins' output weights traded ($v_0\sigma(z) + v_1\sigma(2z)$ kept), the
    unused neuron's row and bias redrawn, then a random group element (which scales the bottleneck neuron too)."""
    rng = random.Random(seed)
    W, b, v = [list(r) for r in net.weights[0]], list(net.biases[0]), list(net.weights[1][0])
    y = fmpq(rng.randint(1, 5), rng.randint(1, 3)) * rng.choice([-1, 1])
    v[0], v[1] = v[0] + 2 * y, v[1] - y
    W[-1], b[-1] = [rng.randint(-3, 3) for _ in W[-1]], rng.randint(-3, 3)
    moved = Network.from_arrays([W, [v], net.weights[2]], [b, list(net.biases[1]), net.biases[2]])
    return GroupElement.random(net.architecture, seed=seed).act(moved)


def _agree(a: Network, b: Network, rng: random.Random, count: int = 60) -> bool:
    n0 = a.widths[0]
    return all(a(x) == b(x) for x in ([fmpq(rng.randint(-200, 200), rng.randint(1, 20)) for _ in range(n0)]
                                      for _ in range(count)))


def _perturbed(net: Network, seed: int) -> Network:
    """One random parameter of the first two layers moved by a small amount."""
    rng = random.Random(seed)
    theta = list(net.parameters())
    first_two = net.widths[1] * (net.widths[0] + 1) + net.widths[1] + 1
    theta[rng.randrange(first_two)] += fmpq(rng.choice([-1, 1]), rng.choice([7, 100, 1000]))
    return Network.from_parameters(net.architecture, theta)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10 ** 6), st.sampled_from([(3, 4), (3, 5), (4, 4)]))
def test_small_verdicts_agree_with_the_arrangement(seed, shape):
    """Moved (equivalent by construction) and perturbed parameters: the verdict equals the joint arrangement's and
    the certificate replays."""
    net = _with_twins(seed, *shape)
    for other in (_inner_moved(net, seed), _perturbed(net, seed)):
        r = sa.equivalent(net, other)
        assert bool(r) == bool(equivalent_outer(net, other))
        assert r.verify(net, other)


def test_an_inner_move_pair_names_its_mechanisms():
    net = _with_twins(3, 3, 5)
    other = _inner_moved(net, 3)
    r = sa.equivalent(net, other)
    assert r and "inner network" in r.method and r.verify(net, other)
    assert {"positive twins", "constant neurons (D)"} <= set(r.certificate.mechanisms())


def test_wide_networks_are_decided_without_the_arrangement(monkeypatch):
    """8-24-1-1 and 10-40-1-1: the joint arrangement (made to fail here) is not needed, either way; verdicts checked
    by exact evaluation (agreement at random inputs for the equivalent pair, the certificate's point otherwise)."""
    from semialg.families.bottleneck import equivalence

    def no_arrangement(*args):
        raise AssertionError("the joint arrangement is not needed")

    monkeypatch.setattr(equivalence, "equivalent_outer", no_arrangement)
    rng = random.Random(0)
    for n0, n1 in ((8, 24), (10, 40)):
        net = _with_twins(n0 + n1, n0, n1)
        other = _inner_moved(net, n1)
        r = sa.equivalent(net, other)
        assert r and r.verify(net, other) and _agree(net, other, rng)
        for k in range(3):
            moved = _perturbed(net, k)
            r = sa.equivalent(net, moved)
            assert not r and r.verify(net, moved)
            x = r.certificate.point
            assert net(x) != moved(x)


def test_a_forged_inner_certificate_is_refused():
    """The certificate of one pair does not verify another pair (a perturbed end point)."""
    net = _with_twins(5, 3, 5)
    other = _inner_moved(net, 5)
    cert = sa.equivalent(net, other).certificate
    moved = _perturbed(other, 1)
    try:
        ok = cert.verify(net, moved)
    except sa.CertificateError:
        ok = False
    assert not ok
