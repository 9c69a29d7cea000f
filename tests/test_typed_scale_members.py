"""Components of typed shallow fibres at scale: membership and the check of every sample by the type's defining data
($K(\\theta') = K(\\theta)$ and the type of $\\theta'$, :meth:`_TypeEquations.member`) instead of every polynomial, and
the LaTeX of a component in index notation, cached. The two membership routes are compared on small fibres, both
ways (members drawn from every listed component, non-members from other components and perturbations); samples
are checked independently by :func:`semialg.equivalent` with a verified certificate and by exact evaluation."""

from __future__ import annotations

import itertools
import random
import time

from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.core.network import Network
from semialg.families.shallow.typed import TypedShallowFibre
from test_typed_fibre_scale import planted
from test_typed_search import _float_net


def _routes(F: TypedShallowFibre, roles):
    eqs = F.build.__self__
    return eqs.build(roles, by_type=True), eqs.build(roles, by_type=False)


def _perturbed(net: Network, rng: random.Random, j: int | None = None) -> Network:
    theta = list(net.parameters())
    j = rng.randrange(len(theta)) if j is None else j
    theta[j] += fmpq(rng.choice([-1, 1]), rng.randint(1, 4))
    return Network.from_parameters(net.architecture, theta)


def _agrees_on_evaluation(net: Network, other: Network, rng: random.Random, points: int = 4) -> bool:
    m = net.widths[0]
    return all(net(x) == other(x) for x in
               ([fmpq(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(m)] for _ in range(points)))


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10 ** 6), st.sampled_from([(2, 3, 1), (3, 3, 2), (1, 3, 2), (2, 4, 1)]))
def test_the_type_route_agrees_with_the_polynomials_both_ways(seed, arch):
    net = planted(seed, *arch)
    F = sa.fibre(net)
    if not isinstance(F, TypedShallowFibre):
        return
    rng = random.Random(seed)
    comps = list(itertools.islice(F.components(), 5))
    samples = [B.sample(seed=seed) for B in comps]
    points = samples + [_perturbed(s, rng) for s in samples] + [F.sample(seed=seed), net,
                                                               Network.random(net.widths, seed=seed)]
    for B in comps:
        fast, slow = _routes(F, B.index)
        for x in points:
            assert fast.contains(x) == slow.contains(x) == slow.contains_by_polynomials(x), (B.index, x)
            assert fast.contains(x.parameters()) == slow.contains(x)
    for B, s in zip(comps, samples):           # each sample lies in its own component and in no other listed one
        assert [C.index for C in comps if _routes(F, C.index)[0].contains(s)] == [B.index]


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10 ** 6), st.sampled_from([(2, 3, 1), (3, 4, 2), (1, 3, 2)]))
def test_samples_are_members_by_independent_checks(seed, arch):
    net = planted(seed, *arch)
    F = sa.fibre(net)
    if not isinstance(F, TypedShallowFibre):
        return
    rng = random.Random(seed)
    for B in itertools.islice(F.components(), 4):
        fast, slow = _routes(F, B.index)
        for C in (fast, slow):
            s = C.sample(seed=seed)
            r = sa.equivalent(net, s)
            assert r and r.certificate.verify(net, s)
            assert _agrees_on_evaluation(net, s, rng)
            assert slow.contains_by_polynomials(s) and F.locate(s) == B.index


def test_784_16_10_members_samples_and_latex_without_polynomials():
    """Before: sample() and contains() of one component evaluated every 2x2 minor (about 3 * 10^5 a slot) and
    did not finish in 15 s at 784-16-10 with two dead neurons, nor its LaTeX; now sample 0.4 s, LaTeX 0.01 s."""
    rng = random.Random(0)
    for dead, twins in ((2, 0),):
        net = _float_net(16, dead, twins)
        F = sa.fibre(net)
        comps = list(itertools.islice(F.components(), 2))
        start = time.perf_counter()
        for B in comps:
            s = B.sample(seed=1)
            assert B.contains(s) and F.contains(s) and F.locate(s) == B.index
            r = sa.equivalent(net, s)
            assert r and r.certificate.verify(net, s) and _agrees_on_evaluation(net, s, rng, 2)
            assert not B.contains(_perturbed(s, rng, -1))     # another output bias c'
            assert not comps[0].contains(s) if B is not comps[0] else True
        assert time.perf_counter() - start < 30
        tex = sa.to_latex(comps[0])
        assert "\\tau = (" in tex and "\\dim B_{\\tau} = " + str(comps[0].dimension) in tex
        assert sa.to_latex(comps[0]) is tex and "equations" not in vars(comps[0])
        assert "polynomials built on first access" in comps[0].describe()


def test_small_component_latex_is_the_expanded_one_and_cached():
    net = Network.from_arrays([[[1], [0]], [[1, 1]]], [[0, 0], [0]])
    F = sa.fibre(net)
    B = next(iter(F.components()))
    _, slow = _routes(F, B.index)
    tex = sa.to_latex(B)
    assert tex == sa.to_latex(slow) and sa.to_latex(B) is tex and "\\left\\{" in tex


def test_members_benchmark_smoke():
    """``benchmarks/bench_typed_components.py members`` at toy sizes: each sample checked inside ``run_members``."""
    from conftest import load_script
    bench = load_script("benchmarks", "bench_typed_components")
    rows = bench.run_members(**bench.QUICK_MEMBERS)
    assert [r["N"] for r in rows] == [3, 4] and all(r["sample"] is not None and r["latex"] is not None for r in rows)
    assert "poly: sample" in bench.members_table(rows)
