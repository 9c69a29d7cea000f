"""The rank bound on case-(a) bottleneck fibre dimensions (``families/bottleneck/rank_bound.py``): its rank of the
hidden part against a brute force over every flip set and span of component indicators, the bound against the
exact Jacobian rank at members (``sa.functional_dimension``, the engine's sampled batch, independent of the
bound) and against fibre dimensions decided by the fibres' own descriptions, and the dimensions it now decides."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from conftest import load_script
from semialg.errors import UndecidedError
from semialg.families.bottleneck.rank_bound import _rho, fibre_dimension_bound, hidden_rank

#: Parameters whose fibre dimension the descriptions left undecided (hidden U+ / U± neurons beside a vertex on
#: {h = 0}, or hidden neurons sharing a hyperplane): (W, b, v, e, c), d = 0, with the dimension now decided.
UNDECIDED = [([[2, 0], [-1, -2], [-2, 0]], [2, 0, -2], [1, -1, 1], -2, 1, 5),
             ([[2, -1], [0, 1], [3, -3]], [2, 0, 1], [-1, 1, 3], 0, 1, 4),
             ([[-3, 1], [1, 3], [-2, 2], [1, -2], [1, 1], [3, -3]], [-3, -3, 3, -1, 2, 3], [-3, -3, -2, 2, -1, 2],
              2, 1, 8),
             ([[3, 3], [1, -1], [1, 2], [-2, -1]], [-2, 1, -1, 1], [3, -3, -3, 3], 0, -1, 6),
             ([[0, 2], [-1, -2], [1, 3], [-1, -2], [-2, -2], [3, 0]], [-2, -1, 2, 2, 3, -2], [-3, 3, 1, 2, -3, -2],
              -2, -1, 8),
             # a constant neuron beside four seen kinks: the reduced fibres leave width 5 undescribed
             ([[0, 0], [-3, 2], [-1, 0], [2, -2], [-1, -2]], [-2, -1, 1, -1, 3], [-3, -3, 3, -2, -1], 1, -1, 9)]


def _net(W, b, v, e, c) -> sa.Network:
    return sa.Network.from_arrays([W, [v], [[c]]], [b, [e], [0]])


def _rank(rows) -> int:
    """Rank over Q by plain Gaussian elimination on fractions (not flint)."""
    M = [[Fraction(int(x.p), int(x.q)) if isinstance(x, fmpq) else Fraction(x) for x in row] for row in rows]
    r = 0
    for col in range(len(M[0]) if M else 0):
        pivot = next((i for i in range(r, len(M)) if M[i][col] != 0), None)
        if pivot is None:
            continue
        M[r], M[pivot] = M[pivot], M[r]
        for i in range(len(M)):
            if i != r and M[i][col] != 0:
                f = M[i][col] / M[r][col]
                M[i] = [a - f * b for a, b in zip(M[i], M[r])]
        r += 1
    return r


def _brute_hidden_rank(residuals, seen, n0: int) -> int:
    """The least (n0 + 1) dim V + [1 not in V] over every flip set F and every span V of indicator vectors of
    components with each row lambda^(t) + a_t 1 in V (a the flips' sum) and kappa in V + R 1."""
    p = len(residuals)
    ones = [1] * p
    indicators = [list(bits) for bits in itertools.product((0, 1), repeat=p) if any(bits)]
    best = None
    for size in range(len(seen) + 1):
        for F in itertools.combinations(seen, size):
            a = [sum((d * u[t] for u, _, d in F), 0) for t in range(n0)]
            rows = [[r[0][t] + a[t] for r in residuals] for t in range(n0)]
            kappa = [r[1] for r in residuals]
            for k in range(p + 1):
                for T in itertools.combinations(indicators, k):
                    dim = _rank(list(T)) if T else 0
                    if any(_rank(list(T) + [row]) > dim for row in rows):
                        continue
                    if _rank(list(T) + [ones, kappa]) > _rank(list(T) + [ones]):
                        continue
                    value = (n0 + 1) * dim + (_rank(list(T) + [ones]) > dim)
                    best = value if best is None else min(best, value)
    return best


def test_hidden_rank_by_hand():
    """Two components with R = -x + 2y - 4 and 3x + 2y: flipping the seen neuron (x + 2y, jump -1) makes the
    linear parts -2x and 2x, still not a multiple of one indicator: V is all of R^2, 2 (n0 + 1) = 6. One component:
    R constant needs nothing but the constant (1); R = x with no seen kink needs the block (3); a flip absorbing it
    (jump -1 on x) brings it back to 1."""
    q = lambda *xs: tuple(fmpq(x) for x in xs)  # noqa: E731
    assert hidden_rank([(q(-1, 2), fmpq(-4)), (q(3, 2), fmpq(0))], [(q(1, 2), fmpq(0), fmpq(-1))], 2) == 6
    assert hidden_rank([(q(0, 0), fmpq(3))], [], 2) == 1
    assert hidden_rank([(q(1, 0), fmpq(3))], [], 2) == 3
    assert hidden_rank([(q(1, 0), fmpq(3))], [(q(1, 0), fmpq(5), fmpq(1))], 2) == 3
    assert hidden_rank([(q(1, 0), fmpq(3))], [(q(1, 0), fmpq(5), fmpq(-1))], 2) == 1


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_hidden_rank_against_brute_force(data):
    n0 = data.draw(st.integers(1, 2))
    p = data.draw(st.integers(1, 3))
    small = st.integers(-2, 2)
    seen = [(tuple(fmpq(data.draw(small)) for _ in range(n0)), fmpq(0), fmpq(data.draw(st.sampled_from([-2, -1, 1, 2]))))
            for _ in range(data.draw(st.integers(0, 3)))]
    lam = [tuple(fmpq(data.draw(small)) for _ in range(n0)) for _ in range(p)]
    if seen and data.draw(st.booleans()):      # a flip set that absorbs a common linear part
        F = data.draw(st.lists(st.sampled_from(range(len(seen))), unique=True))
        common = tuple(-sum((seen[i][2] * seen[i][0][t] for i in F), fmpq(0)) for t in range(n0))
        lam = [tuple(c + x * data.draw(st.integers(0, 1)) for c, x in zip(common, row)) for row in lam]
    residuals = [(row, fmpq(data.draw(small))) for row in lam]
    exact = _brute_hidden_rank(residuals, seen, n0)
    assert hidden_rank(residuals, seen, n0) == exact
    # the bound used beyond MAX_COMPONENTS components is weaker, never stronger
    lam_rows = [tuple(row[t] for row in lam) for t in range(n0)]
    assert max(1, (n0 + 1) * _rho(lam_rows, tuple(r[1] for r in residuals), seen, n0)) <= exact


def _random(seed: int) -> sa.Network:
    rng = random.Random(seed)
    n0, n1 = rng.choice([2, 2, 3]), rng.choice([3, 4, 5])
    W = [[rng.randint(-3, 3) for _ in range(n0)] for _ in range(n1)]
    b = [rng.randint(-3, 3) for _ in range(n1)]
    v = [rng.choice([-3, -2, -1, 1, 2, 3]) for _ in range(n1)]
    n3 = rng.choice([1, 1, 2])
    return sa.Network.from_arrays([W, [v], [[rng.choice([-1, 1])] for _ in range(n3)]],
                                  [b, [rng.randint(-3, 3)], [0] * n3])


def _exact_rank(net: sa.Network) -> int | None:
    fd = sa.functional_dimension(net)
    return fd.value if fd.value == fd.upper_bound else None


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_bound_holds_at_members_and_above_decided_dimensions(seed):
    """D - rank J(theta') <= bound at theta and at sampled members (the theorem's inequality, with the engine's
    exact rank); the bound is at least the dimension a fibre's description decides and the local lower bound."""
    net = _random(seed)
    bound = fibre_dimension_bound(net)
    if bound is None:
        return
    D = net.architecture.num_parameters
    rank = _exact_rank(net)
    assert rank is None or D - rank <= bound
    assert sa.local_dimension_bounds(net)[0] <= bound
    F = sa.fibre(net, budget=10)
    top = F.top_dimension
    try:
        decided = top() if callable(top) else top
    except UndecidedError:
        decided = None
    assert decided is None or decided <= bound
    for k in range(2):
        member = F.sample(seed=k)
        assert sa.equivalent(net, member)
        rank = _exact_rank(member)
        assert rank is None or D - rank <= bound


@pytest.mark.parametrize("params", UNDECIDED)
def test_undecided_dimensions_are_decided_by_the_bound(params):
    """The description alone leaves the dimension undecided; the rank bound meets the lower bound. At theta the
    engine's exact Jacobian rank, where it is exact, stays within the bound."""
    *args, dim = params
    net = _net(*args)
    F = sa.fibre(net, budget=20)
    with pytest.raises(UndecidedError):
        F.top_dimension()
    assert fibre_dimension_bound(net) == dim == F.dimension
    rank = _exact_rank(net)
    assert rank is None or net.architecture.num_parameters - rank <= dim
    assert F.to_json()["dimension"] == dim


def test_no_bound_outside_the_hypotheses():
    """Case (b), regime T (h >= 0) and c = 0 have no bound."""
    ridge = sa.Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])
    nonnegative = _net([[1, 0], [0, 1]], [0, 0], [1, 1], 1, 1)
    silent = _net([[1, 0], [0, 1]], [0, 0], [1, -1], 0, 0)
    assert fibre_dimension_bound(ridge) is None
    assert fibre_dimension_bound(nonnegative) is None
    assert fibre_dimension_bound(silent) is None


# -- the functional dimension at a parameter whose neurons are all seen ----------------------------------------

def _float_bottleneck(n0: int, n1: int, n3: int) -> sa.Network:
    """The benchmark's random float32 bottleneck (one generator for both)."""
    return load_script("benchmarks", "bench_bottleneck_fdim").float_bottleneck(n0, n1, n3)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_visible_rank_certificate_agrees_with_the_jacobian(seed):
    """Where the certificate is found its dimension D - n1 - 1 is the rank of the Jacobian computed by the engine
    (sampled batch and regions, method="batch", independent of the family)."""
    from semialg.engine.functional_dimension import functional_dimension
    from semialg.families.bottleneck.rank_bound import visible_rank_certificate
    net = _random(seed)
    cert = visible_rank_certificate(net)
    if cert is None:
        return
    assert cert.verify(net)
    assert cert.dimension == functional_dimension(net, method="batch").value


def test_forged_visible_rank_certificates_are_refused():
    import dataclasses
    from semialg.errors import CertificateError
    from semialg.families.bottleneck.rank_bound import visible_rank_certificate
    net = sa.Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]])
    cert = visible_rank_certificate(net)
    assert cert.verify(net) and cert.dimension == 11 - 3
    forged = [dataclasses.replace(cert, dimension=9), dataclasses.replace(cert, inside=cert.outside),
              dataclasses.replace(cert, on=cert.on[:1]), dataclasses.replace(cert, on=(cert.on[0], cert.on[0])),
              dataclasses.replace(cert, on=(cert.on[0], ("a", "b"))), dataclasses.replace(cert, dimension="8")]
    for bad in forged:
        with pytest.raises(CertificateError):
            bad.verify(net)
    twins = sa.Network.from_arrays([[[1, 0], [2, 0]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]])
    assert visible_rank_certificate(twins) is None
    with pytest.raises(CertificateError):
        dataclasses.replace(cert, on=cert.on).verify(twins)
    with pytest.raises(CertificateError):
        cert.verify(sa.Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]]))


def test_functional_dimension_at_scale_uses_the_certificate():
    """100-64-1-10 from float32 weights (6,549 parameters, above PEEL_FIRST): kink peeling cannot fix the bottleneck
    neuron, whose kinks lie on the curved {h = 0}; the family's certificate gives D - 65, verified."""
    net = _float_bottleneck(100, 64, 10)
    fd = sa.functional_dimension(net)
    assert fd.method == "bottleneck: visible kinks" and fd.value == fd.upper_bound == 6549 - 65
    assert fd.certificate.verify(net) and fd.certificate.num_points == 66
