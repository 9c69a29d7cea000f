"""Bottleneck characterisation (issue 17): the inner 0-factor locus, degenerate corners, fibre dimensions and
components — every statement checked against the region oracle and exact evaluation."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.core.exact import rank
from semialg.core.network import Architecture
from semialg.engine import regions as pl
from semialg.engine.functional_dimension import functional_dimension
from semialg.errors import UndecidedError
from semialg.engine.loci import degeneracy_loci
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.fibre import jacobian_corank
from semialg.families.bottleneck.outer_fibre import all_visible

THREE = Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]], [[2]]], [[0, 0, 0], [-1], [1]])


def _flip_inner(net: Network, S) -> Network:
    """Flip the first-layer neurons in ``S`` and move $e$ by $\\sum_S v_ib_i$: $h$ changes by the affine map
    $\\sum_S v_i(w_i\\cdot x + b_i)$ only (independent of the code under test)."""
    W1 = [list(r) for r in net.weights[0]]
    b1 = list(net.biases[0])
    v = net.weights[1][0]
    e = net.biases[1][0]
    for i in S:
        W1[i] = [-x for x in W1[i]]
        b1[i] = -b1[i]
        e += v[i] * net.biases[0][i]
    return net.replace_layer(1, W1, b1).replace_layer(2, bias=[e])


def _zero_factor_sets(net: Network) -> list[tuple[int, ...]]:
    """Brute force: every non-empty $S$ with $\\sum_{i\\in S} v_iw_i = 0$."""
    W1, v = net.weights[0], net.weights[1][0]
    n1, n0 = len(W1), len(W1[0])
    return [S for k in range(1, n1 + 1) for S in itertools.combinations(range(n1), k)
            if all(sum((v[i] * W1[i][j] for i in S), fmpq(0)) == 0 for j in range(n0))]


def _generic(net: Network) -> bool:
    return bool(sa.genericity(net)) and all(c.holds for c in bn.type_checks(net))


# -- item 1: the inner 0-factor locus of case (a) --------------------------------------------------------------

def test_inner_zero_factor_locus_is_listed_and_decided():
    Z = degeneracy_loci(Architecture(2, 3, 1, 1))
    F = Z.family("inner_zero_factor")
    assert len(F) == 7
    locus = F.member((1, 2, 3))
    assert locus.contains(THREE) and Z.contains(THREE)
    assert not F.member((1, 2)).contains(THREE)
    report = sa.genericity(THREE)
    assert report.status == "degenerate" and report.verify(THREE)
    failed = report.failed[0]
    assert failed.witness == (0, 1, 2)
    # the witness is a real symmetry: flipping S and moving e keeps the function (region oracle) ...
    flipped = _flip_inner(THREE, failed.witness)
    assert flipped != THREE and bool(pl.equivalent(THREE, flipped))
    # ... and the fibre has twice the generic number of components
    assert sa.fibre(THREE).num_components == 2 * math.factorial(3)
    assert "inner_zero_factor" in Z.to_latex().replace("\\_", "_")


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(2, 3), st.integers(1, 2))
def test_generic_case_a_parameters_have_the_generic_fibre(seed, n1, n3):
    # entries in {-1, 1} make 0-factors, dependent rows and hidden neurons frequent
    net = Network.random((2, n1, 1, n3), seed=seed, height=1, nonzero=True)
    zero_sets = _zero_factor_sets(net)
    report = sa.genericity(net)
    if zero_sets:
        assert report.status == "degenerate"
    if not _generic(net):
        return
    D = net.architecture.num_parameters
    try:
        dim = bn.fibre_dimension(net)
    except (sa.ArchitectureError, UndecidedError) as err:   # e.g. seed 3812: regime T, plateau at min h with
        assert "regime T" in str(err)      # an unseen neuron (refused, or parallel rows: dimension undecided)
        return
    assert dim == D - functional_dimension(net).value
    t = bn.combinatorial_type(net)
    if t.regime == "PN" and set(t.classes) == {"V"} and rank(net.weights[0]) == 2:
        F = bn.fibre(net)    # parallel rows: explicit fibres not described yet (ArchitectureError, fibre.py)
        assert F.num_components == math.factorial(n1)          # the G-orbit times R_{>0}: no flips
        assert F.component_of(net) is not None


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(2, 3))
def test_all_visible_fibres_count_the_flip_sets(seed, n1):
    net = Network.random((2, n1, 1, 1), seed=seed, height=1, nonzero=True)
    t = bn.combinatorial_type(net)
    try:
        F = bn.fibre(net)
    except sa.ArchitectureError:
        return
    if set(t.classes) != {"V"} or t.regime == "T" or not all_visible(net, t) or rank(net.weights[0]) < 2:
        # hidden neurons / regime T / two neurons on one line (a generic representative, or no generic member:
        # tests/test_bottleneck_no_generic_member.py) / parallel rows: their own test files
        return
    assert t.regime == "PN"
    assert F.num_components == math.factorial(n1) * (1 + len(_zero_factor_sets(net)))
    D = net.architecture.num_parameters
    assert F.dimension == F.local_dimension() == n1 + 1 == D - functional_dimension(net).value
    for k, index in enumerate(itertools.islice(F.index, 3)):
        x = F.component(index).sample(seed=k)
        assert F.component(index).violated(x) is None and bool(pl.equivalent(net, x))
        assert F.local_dimension(x) == F.dimension


# -- item 9: degenerate corners --------------------------------------------------------------------------------

def _zeroed(arch, seed, layers) -> Network:
    net = Network.random(arch, seed=seed, height=2)
    for l in layers:
        net = net.replace_layer(l, [[0] * len(r) for r in net.weights[l - 1]], [0] * len(net.biases[l - 1]))
    return net


@pytest.mark.parametrize("arch", [(3, 2, 1, 1), (2, 2, 1, 1), (1, 3, 1, 2), (2, 1, 2, 1), (3, 1, 2, 2), (1, 1, 1, 1)])
def test_degenerate_corners_are_decided(arch):
    for layers in [(1,), (2,), (3,), (1, 2), (1, 3), (2, 3), (1, 2, 3)]:
        a, b = _zeroed(arch, 0, layers), _zeroed(arch, 7, layers)
        for x, y in ((a, b), (a, a), (a, Network.random(arch, seed=3))):
            r = sa.equivalent(x, y)
            assert r.verify(x, y) and bool(r) == bool(pl.equivalent(x, y))
        bn.combinatorial_type(a), bn.hidden_symmetries(a), sa.genericity(a).verify(a), bn.type_checks(a)


def test_all_zero_first_layers_compute_constants():
    a, b = _zeroed((3, 2, 1, 1), 0, (1,)), _zeroed((3, 2, 1, 1), 1, (1,))
    r = bn.equivalent(a, b)
    assert r.verify(a, b)
    assert bool(r) == (a([0, 0, 0]) == b([0, 0, 0]))
    assert bn.combinatorial_type(a).classes == ("D", "D")


# -- items 5 and 6: dimension, local dimension, non-empty components ---------------------------------------

SIGNS = {"A": (1, 1), "K+": (1, -1), "K-": (-1, 1), "Z": (-1, -1)}


def ridge_network(seed: int, n0: int, classes, n3: int = 1) -> Network:
    rng = random.Random(seed)
    q = lambda lo=1, hi=6: fmpq(rng.randint(lo, hi), rng.randint(1, 4))  # noqa: E731
    w = [q() * rng.choice((-1, 1)) for _ in range(n0)]
    b = q() * rng.choice((-1, 1))
    v = [SIGNS[c][0] * q() for c in classes]
    e = [SIGNS[c][1] * q() for c in classes]
    c = [[q() * rng.choice((-1, 1)) for _ in classes] for _ in range(n3)]
    d = [q(-3, 3) for _ in range(n3)]
    return Network.from_arrays([[w], [[x] for x in v], c], [[b], e, d])


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10 ** 6), st.lists(st.sampled_from(["A", "K+", "K-", "Z"]), min_size=1, max_size=3))
def test_every_listed_component_is_non_empty_with_the_fibre_dimension(seed, classes):
    net = ridge_network(seed, 2, classes)
    if not _generic(net):
        return
    F = bn.fibre(net)
    D = net.architecture.num_parameters
    assert F.dimension == D - functional_dimension(net).value == F.local_dimension()
    indices = list(itertools.islice(F.index, 65))
    assert len(indices) == min(65, F.num_components)
    certified = 0
    for k, index in enumerate(indices):
        C = F.component(index)
        x = C.sample(seed=k)
        assert C.violated(x) is None and F.component_of(x) == index
        if jacobian_corank(C, x) < F.dimension:
            continue          # lower types (top types with H moved onto / off a kink: the move MoveOntoKink)
        assert F.local_dimension(x) == F.dimension
        certified += 1
        if certified <= 3:
            assert bool(pl.equivalent(net, x))
            r = bn.equivalent(net, x)
            assert isinstance(r.certificate, bn.BottleneckMoveCertificate) and r.verify(net, x)


# -- item 3: symmetry witnesses ---------------------------------------------------------------------------------

MECHANISM_OF = {"flip": "kink flips", "translate": "hidden hyperplane translation", "reflect": "reflection",
                "dead": "dead neurons", "trade": "A-block trade"}


def _named_moves(net: Network) -> list[tuple[str, Network]]:
    """Images of ``net`` under each move that applies to its type, with the mechanism each must be named by."""
    t = bn.combinatorial_type(net)
    out = [("G", sa.GroupElement.random(net.architecture, seed=3).act(net))]
    A = [j for j, c in enumerate(t.classes) if c == "A"]
    K = [j for j, c in enumerate(t.classes) if c in ("K+", "K-")]
    Z = [j for j, c in enumerate(t.classes) if c == "Z"]
    if A and K:
        out.append(("flip", bn.flip_kink(net, K[0], into=A[0])))
    if A:
        out.append(("trade", bn.trade_affine_block(net, A[0], A[0], fmpq(1, 3))))
    if Z:
        out.append(("dead", bn.replace_neuron(net, 2, Z[0], [-2], -5, [fmpq(7, 3)] * net.architecture.output_dim)))
    if t.regime == "hidden":
        e, v = net.biases[1], [r[0] for r in net.weights[1]]
        tau_min = min(-e[j] / v[j] for j in K)
        out.append(("translate", bn.translate_hidden_hyperplane(net, -tau_min / 2)))
    if t.reflective:
        out.append(("reflect", bn.reflect(net)))
    return out


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 2), st.lists(st.sampled_from(["A", "K+", "K-", "Z"]), min_size=1,
                                                              max_size=3), st.integers(1, 2))
def test_equivalences_carry_replayable_moves(seed, n0, classes, n3):
    net = ridge_network(seed, n0, classes, n3)
    if not _generic(net):
        return
    allowed = {m.name for m in bn.hidden_symmetries(net)} | {"G", "A-block trade"}
    for kind, image in _named_moves(net):
        r = bn.equivalent(net, image)
        assert bool(r) and bool(pl.equivalent(net, image))
        cert = r.certificate
        assert isinstance(cert, bn.BottleneckMoveCertificate) and r.verify(net, image)
        assert set(cert.mechanisms()) <= allowed
        if kind in ("flip", "translate", "reflect"):
            assert MECHANISM_OF[kind] in cert.mechanisms()
        broken = Network.from_parameters(image.architecture,
                                         [x + (1 if k == 0 else 0) for k, x in enumerate(image.parameters())])
        with pytest.raises(sa.CertificateError):
            cert.verify(net, broken)


def test_moves_check_their_preconditions():
    net = Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])        # classes A, K+
    for move in (bn.ClearNeuron(0), bn.AbsorbConstant(0), bn.MergeAffine(0, 1), bn.ShiftAffineBias(1),
                 bn.FlipKink(0, 1), bn.MergeKinks(0, 1), bn.TranslateHidden(fmpq(1)), bn.Reflect()):
        with pytest.raises(sa.CertificateError):
            move.apply(net)
    for move in (bn.ShiftAffineBias(0), bn.FlipKink(1, 0)):
        assert bool(pl.equivalent(net, move.apply(net)))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(2, 3), st.integers(1, 2))
def test_case_a_equivalences_carry_flips_and_group_elements(seed, n1, n3):
    net = Network.random((2, n1, 1, n3), seed=seed, height=1, nonzero=True)
    images = [sa.GroupElement.random(net.architecture, seed=seed).act(net)]
    images += [_flip_inner(net, S) for S in _zero_factor_sets(net)]
    for image in images:
        r = bn.equivalent(net, image)
        assert bool(r) and r.verify(net, image) and bool(pl.equivalent(net, image))
        if isinstance(r.certificate, bn.BottleneckMoveCertificate):
            assert set(r.certificate.mechanisms()) <= {"G", "zero-factor flips"}
    from semialg.families.bottleneck.outer_fibre import all_visible
    if not all_visible(net, bn.combinatorial_type(net)):   # every neuron visible on a hyperplane of its own
        return
    for image in images:         # then the flips and the group element always explain the equivalence
        assert isinstance(bn.equivalent(net, image).certificate, bn.BottleneckMoveCertificate)


def test_zero_factor_flip_is_named_and_replayed():
    flipped = _flip_inner(THREE, (0, 1, 2))
    r = bn.equivalent(THREE, flipped)
    assert r.verify(THREE, flipped) and "zero-factor flips" in r.certificate.mechanisms()
    assert "zero-factor flips" in {m.name for m in bn.hidden_symmetries(THREE)}
    with pytest.raises(sa.CertificateError):
        bn.FlipInner((0, 1)).apply(THREE)


# -- item 7: LaTeX of every component; item 8: is_conserved at a zero neuron -------------------------------------

def test_fibre_latex_lists_every_component_with_its_index_set():
    net = Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])
    F = bn.fibre(net)
    tex = F.to_latex()
    assert tex.count("B_{") == F.num_components + 1 and "|J| = 8" in tex
    for index in F.index:
        assert F.build(index).label in tex
    big = ridge_network(1, 2, ["A", "A", "K+", "K-"])
    if _generic(big):
        assert "more components" in bn.fibre(big).to_latex(limit=3)


def test_is_conserved_at_a_zero_neuron_follows_nearby_parameters():
    import sympy
    from semialg.engine.conservation import is_conserved
    zero_in = Network.from_arrays([[[1, 2], [0, 0]], [[1, 3]]], [[0, 0], [0]])     # neuron 2: w = 0, b = 0
    zero_out = Network.from_arrays([[[1, 2], [1, 1]], [[1, 0]]], [[0, 0], [0]])    # neuron 2: a = 0
    V = zero_in.architecture.variables()
    W, b, A = V.weights[0], V.biases[0], V.weights[1]
    incoming = W[1, 0] ** 2 + W[1, 1] ** 2 + b[1] ** 2
    for net in (zero_in, zero_out):
        assert not is_conserved(incoming, net)                    # nearby parameters break it, consistently
        assert is_conserved(incoming - A[0, 1] ** 2, net)          # the rescaling law holds
    # independent check: near zero_in, with b_2 = 1/2 the neuron is active and grad Q . grad f != 0
    near = Network.from_arrays([[[1, 2], [0, 0]], [[1, 3]]], [[0, "1/2"], [0]])
    assert not is_conserved(incoming, near)
    with pytest.raises(sa.ParameterError):
        is_conserved(sympy.Symbol("x") ** 2, zero_in)


def test_membership_is_never_guessed(monkeypatch):
    """An undecided equivalence makes ``contains`` raise, not answer False."""
    from semialg.core.certificate import EquivalenceResult, Undecided
    from semialg.errors import UndecidedError
    import importlib
    fibre_module = importlib.import_module("semialg.families.bottleneck.fibre")
    net = Network.random((2, 3, 1, 1), seed=9, height=3)
    F = fibre_module.fibre(net)
    assert F.contains(net)
    monkeypatch.setattr(fibre_module, "equivalent",
                        lambda a, b: EquivalenceResult(None, Undecided(("the budget was spent",)), method="test"))
    with pytest.raises(UndecidedError, match="membership undecided"):
        F.contains(net)
