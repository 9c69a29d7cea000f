"""Samples of the typed components of shallow fibres are members: in the basic set and the same function.

Regression for the types with several kink hyperplanes carrying slots of both orientations (parallel rows in
dimension 1): the kernel part of the linear-part solution must be a kernel element, so the negatively
oriented kinks keep the prescribed linear part. The function is checked independently of the library by
evaluating both networks with fractions at every kink of either, between them and beyond them.
"""

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from semialg import Network
from semialg.errors import CertificateError
from semialg.families.shallow import fibre
from semialg.families.shallow.component import FibreComponent
from semialg.families.shallow.typed import typed_fibre


def _arrays(net):
    """(W, b, a, c) of a shallow 1-n-1 network as fractions."""
    f = lambda x: Fraction(int(x.p), int(x.q))  # noqa: E731
    W = [f(r[0]) for r in net.weights[0]]
    b = [f(x) for x in net.biases[0]]
    a = [f(x) for x in net.weights[1][0]]
    return W, b, a, f(net.biases[1][0])


def _value(arrays, x):
    W, b, a, c = arrays
    return c + sum(ai * max(Fraction(0), wi * x + bi) for wi, bi, ai in zip(W, b, a, strict=True))


def _same_function(net1, net2) -> bool:
    """Two 1-D piecewise-linear functions agree iff they agree at every kink of either and one point beyond
    the outermost kinks on each side (both are affine between and beyond consecutive kinks)."""
    A1, A2 = _arrays(net1), _arrays(net2)
    kinks = sorted({-bi / wi for W, b, _, _ in (A1, A2) for wi, bi in zip(W, b, strict=True) if wi} | {Fraction(0)})
    points = kinks + [kinks[0] - 1, kinks[-1] + 1] + [(x + y) / 2 for x, y in itertools.pairwise(kinks)]
    return all(_value(A1, x) == _value(A2, x) for x in points)


AUDIT = Network.from_arrays([[[-2], [2], [1], [1]], [[3, 1, 0, 0]]], [["3/2", "3/2", 0, 0], [-3]])
MIXED = (("K", 0, 1), ("K", 0, -1), ("K", 1, 1), ("K", 1, -1))


@pytest.mark.parametrize("roles", sorted(set(itertools.permutations(MIXED))))
def test_two_mixed_parallel_hyperplanes(roles):
    C = typed_fibre(AUDIT).build(roles)
    for seed in range(6):
        S = C.sample(seed=seed)
        assert C.contains(S), (roles, seed, C.violated(S))
        assert _same_function(AUDIT, S), (roles, seed)


@st.composite
def parallel_networks(draw):
    """Shallow 1-D networks whose neurons share few kinks with both orientations."""
    n = draw(st.integers(3, 5))
    kinks = draw(st.lists(st.sampled_from([Fraction(-1), Fraction(0), Fraction(1, 2)]), min_size=n, max_size=n))
    W = draw(st.lists(st.sampled_from([-2, -1, 1, 2]), min_size=n, max_size=n))
    a = draw(st.lists(st.integers(-3, 3), min_size=n, max_size=n))
    c = draw(st.integers(-2, 2))
    return Network.from_arrays([[[w] for w in W], [a]], [[-w * t for w, t in zip(W, kinks, strict=True)], [c]])


@settings(max_examples=15, deadline=None)
@given(parallel_networks(), st.integers(0, 2 ** 16))
def test_component_samples_are_members(net, seed):
    F = fibre(net)
    for C in itertools.islice(F.components(), 40):
        S = C.sample(seed=seed)
        assert C.contains(S), (C.index, C.violated(S))
        assert _same_function(net, S), C.index


def test_sample_refuses_non_members():
    C = typed_fibre(AUDIT).build(MIXED)
    bad = FibreComponent(C.variables, C.equations, C.strict, C.nonstrict, index=C.index,
                         sampler=lambda j, seed: AUDIT)
    with pytest.raises(CertificateError):
        bad.sample(seed=0)


def test_samples_of_constant_slots_have_nonzero_output_weights():
    """A C- slot with a zero output weight is also a D slot, and the fibre then locates the sample in the D
    type (audit, session 7: 1 of 40 samples of this bottleneck component). Redrawn unless the type forces it."""
    import semialg as sa
    net = Network.from_arrays([[["-3/2"], ["-3/2"], ["-1/3"]], [[0, "-2/3", 3]], [["1/3"], ["-1/3"]]],
                              [[1, "1/2", "2/3"], [0], ["-2/3", -2]])
    F = sa.fibre(net)
    index = (1, (("K", 0, 1), ("C-",), ("K", 1, 1)))
    C = F.component(index)
    for seed in range(40):
        x = C.sample(seed)
        assert any(x.weights[1][0][1:2]) and F.component_of(x) == index
