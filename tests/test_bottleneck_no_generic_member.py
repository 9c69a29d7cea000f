"""Issue 17 item 4, case (a): parameters no member of whose fibre is generic (the representative search refuses
exactly: a dead neuron, one with $w = 0$, an opposite pair on a seen kink line, ...) were refused by ``fibre``.
Now: when $P$ is connected and $C^* = \\{0\\}$ every member has $h' = \\mu h$ (theorem of
:mod:`semialg.families.bottleneck.outer_fibre`), so the fibre is the typed shallow fibre of $h$ times
$\\mathbb{R}_{>0}$; otherwise, with live rows spanning $\\mathbb{R}^{n_0}$, the reduced types with $r = n_0$
(:mod:`semialg.families.bottleneck.subspace_fibre`: inert and constant neurons listed, the one-spare-slot lemma).

Checked against independent computation: members by exact evaluation at random rational points (not by the code
under test), non-members by evaluation, the dimension against $D$ minus the region oracle's functional dimension
at members where the fibre's local dimension is its dimension, LaTeX by pdflatex."""

from __future__ import annotations

import importlib
import random
import shutil
import subprocess

import pytest
from flint import fmpq
from hypothesis import example, given, settings, strategies as st

import semialg as sa
from semialg.engine import tangent
from semialg import Network
from semialg.engine.functional_dimension import functional_dimension
from semialg.errors import ArchitectureError, UndecidedError
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.fibre import jacobian_corank
from semialg.families.bottleneck.outer_fibre import inner_determined
from semialg.families.bottleneck.representative import generic_representative
from semialg.families.bottleneck.views import OuterView
from semialg.families.shallow import fibre as shallow_fibre
from semialg.ui.latex import document

# 2-3-1-2: neuron 1 has v = 0, the other two visible; P-bar meets every half-plane (C* = {0}), P connected
DEAD = Network.from_arrays([[["2/3", 3], ["-1/3", 2], ["3/2", 1]], [["1/2", 0, "-1/3"]], [["-1/2"], [-1]]],
                           [["-3/2", -3, -1], [1], ["1/2", -3]])
# 2-4-1-1: rows 1 and 3 an opposite pair on one seen kink line (row 3 = -2 row 1), whose affine part is needed
PAIR = Network.from_arrays([[[2, 2], ["1/3", -3], ["3/2", -1], ["-2/3", 6]], [[3, 2, -2, "-2/3"]], [[-1]]],
                           [[1, "-2/3", 2, "4/3"], ["3/2"], [1]])


def _same(a: Network, b: Network, rng: random.Random, n: int = 40) -> bool:
    return all(a(x) == b(x) for x in ([fmpq(rng.randint(-60, 60), rng.randint(1, 6)) for _ in range(a.widths[0])]
                                      for _ in range(n)))


def _spare(seed: int) -> Network:
    """A random 2- or 3-input parameter with one neuron made dead ($v = 0$) or constant ($w = 0$)."""
    rng = random.Random(seed)
    n0 = rng.choice([2, 2, 3])
    net = Network.random((n0, rng.choice([3, 4]), 1, rng.choice([1, 2])), seed=seed, height=3)
    W, b, v = [list(r) for r in net.weights[0]], list(net.biases[0]), list(net.weights[1][0])
    i = rng.randrange(len(W))
    if rng.random() < 0.5:
        v[i] = fmpq(0)
    else:
        W[i] = [fmpq(0)] * n0
    return Network((tuple(map(tuple, W)), (tuple(v),)) + net.weights[2:], (tuple(b),) + net.biases[1:])


def _top_member(F):
    """A member of a component where the fibre's local dimension is its dimension (``None`` if none is drawn)."""
    for B in F.components():
        x = B.sample(0)
        if F.local_dimension(x) == F.dimension:
            return x
    return None


@pytest.mark.parametrize("net, oracle", [(DEAD, True), (PAIR, False)], ids=["dead", "pair"])
def test_inner_determined_fibres(net, oracle):
    """``oracle``: whether $D - \\dim_{\\rm fun}$ at a top member is the dimension. Not for the pair: shifting its
    two hyperplanes apart, with $e$ compensating, is invisible to first order ($v_1 db_1 = v_3 db_3 = -de$ cancels
    on both sides of the line) but splits the kink at second order — 6 against the fibre's 5."""
    rng = random.Random(0)
    with pytest.raises(ArchitectureError, match="no member of its fibre is generic"):
        generic_representative(net)
    assert inner_determined(net, bn.combinatorial_type(net))
    F = sa.fibre(net)
    h = OuterView.of(net).inner
    assert F.contains(net) and F.dimension == shallow_fibre(h).dimension + 1
    assert F.num_components == len(list(F.components())) == shallow_fibre(h).num_components
    for seed in range(6):
        x = F.sample(seed)
        assert _same(net, x, rng) and F.contains(x)
    top = _top_member(F)
    D = net.architecture.num_parameters
    assert top is not None and (D - functional_dimension(top).value == F.dimension) == oracle
    v = list(net.weights[1][0])
    v[1] += 1
    moved = Network(net.weights[:1] + ((tuple(v),),) + net.weights[2:], net.biases)
    assert not _same(net, moved, rng) and not F.contains(moved)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10 ** 5))
@example(12884)         # hidden first-layer neurons, no spare slot (the test assumed one)
def test_fibres_without_generic_members_agree_with_evaluation(seed):
    net = _spare(seed)
    if bn.combinatorial_type(net).regime != "PN":
        return
    try:
        generic_representative(net)
        return                     # described through a generic representative, not here
    except ArchitectureError as err:
        if "no member of its fibre is generic" not in str(err):
            return
    try:
        F = sa.fibre(net)
    except ArchitectureError as err:      # no width described (the seen hyperplanes alone do not compute f)
        assert "no member of its fibre is generic" in str(err)
        return
    rng = random.Random(seed)
    assert F.contains(net)
    for _ in range(3):
        x = F.sample(rng.randrange(10 ** 6))
        assert _same(net, x, rng) and F.contains(x)
        y = Network(x.weights, x.biases[:2] + (tuple(d + 1 for d in x.biases[2]),))
        assert not F.contains(y)
    try:
        dim = F.dimension
    except UndecidedError:         # spare slots: the bounds of the proposition differ
        assert not inner_determined(net, bn.combinatorial_type(net))
        return
    D = net.architecture.num_parameters
    spare = None if inner_determined(net, bn.combinatorial_type(net)) else \
        next((j for j in F.index if all(r == ("D",) for r in j[3])), None)
    if spare is None and not inner_determined(net, bn.combinatorial_type(net)):
        # a fibre of hidden first-layer neurons (U+-), not of spare slots (seed 12884): the first-order count
        # need not meet there, only bound the local dimension, which the bounds at its member bracket
        top = _top_member(F)
        lower, upper = sa.local_dimension_bounds(top)
        assert top is not None and lower <= F.local_dimension(top) == dim
        assert dim <= min(upper, D - functional_dimension(top).value)
        return
    top = _top_member(F) if spare is None else F.sample(0, spare)
    assert top is not None and dim == D - functional_dimension(top).value


def test_rank_deficient_parameters_with_a_spare_neuron():
    """Seeds of :func:`_spare` of widths 3-3-1-n3 whose live rows span a plane ($r = 2 < n_0$: the ordinary
    subspace fibre, its dimension decided by the seen-kinks bound): the dimension agrees with the region oracle
    at a member with the spare neuron inert."""
    for seed in (229, 230, 252):
        net = _spare(seed)
        assert not inner_determined(net, bn.combinatorial_type(net))
        F = sa.fibre(net)
        j = next(j for j in F.index if all(r == ("D",) for r in j[3]))
        x = F.sample(0, j)
        assert _same(net, x, random.Random(seed)) and F.contains(net)
        assert F.dimension == net.architecture.num_parameters - functional_dimension(x).value
        assert F.local_dimension(x) == F.dimension


def test_spare_slot_types_with_full_rank():
    """Seed 579 of :func:`_spare` (2-4-1-2, one of 4 among 2,000 seeds): no generic member and $C^* \\ne \\{0\\}$, so
    the fibre is the union of the reduced types with $r = n_0$ (inert and constant neurons; ``_spare_slots``);
    members by evaluation, the dimension undecided between the listed components and the proposition's bound,
    the width with four live neurons named as not described."""
    net = _spare(579)
    fibre_module = importlib.import_module("semialg.families.bottleneck.fibre")
    assert not inner_determined(net, bn.combinatorial_type(net))
    assert fibre_module._spare_slots(net, bn.combinatorial_type(net), None, False) is not None
    F = sa.fibre(net)
    rng = random.Random(579)
    assert F.contains(net) and "k = 4" in F.index_description
    for s in range(4):
        x = F.sample(rng.randrange(10 ** 6))
        assert _same(net, x, rng) and F.contains(x)
    with pytest.raises(UndecidedError, match="between 7 .* and 8"):
        F.dimension


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
@pytest.mark.parametrize("net", [DEAD, _spare(579)], ids=["inner-determined", "spare"])
def test_latex_compiles(net, tmp_path):
    (tmp_path / "s.tex").write_text(document(sa.fibre(net)))
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "s.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:]


# 2-4-1-1 parameters (random opposite pairs on a seen kink line) refused by every other description: one free
# slot beside the seen kinks (a U+ neuron carrying the rest is refuted along a ray; since session 41 the theorem of
# the free slot lists this fibre completely), C* = {0} with P disconnected, and seen kink lines meeting on the
# boundary of P
IN_PART = {
    "free slot": Network.from_arrays([[[-3, 2], [3, -2], [2, -2], [-1, -3]], [[3, -1, 1, -2]], [[1]]],
                                     [["-3/2", "3/2", 2, -1], [2], [0]]),
    "C* = {0}": Network.from_arrays([[[-1, -2], [1, 2], [1, -3], [3, 1]], [[3, 1, 2, -1]], [[1]]],
                                    [[1, -1, 1, "-3/2"], [-2], [0]]),
    "vertex": Network.from_arrays([[[-2, 1], [1, "-1/2"], [3, -3], [-1, -3]], [[2, 3, -2, 2]], [[1]]],
                                  [[0, 0, 3, "-3/2"], [0], [0]]),
}


@pytest.mark.parametrize("name", sorted(IN_PART))
def test_members_with_a_scaled_inner_network_are_listed_in_part(name):
    """The last resort: every parameter with $h' = \\mu h$, $\\mu > 0$, is a member, and these are listed (the typed
    shallow fibre of $h$ times $\\mathbb{R}_{>0}$); the dimension is bounded below by theirs. Checked: samples of
    every component compute $f$ (exact evaluation) with $h' = \\mu h$ at random points ($\\mu = c_1/c'_1$), their
    component's dimension is at most $D - \\dim_{\\rm fun}$ there (region oracle); moved output biases are not."""
    net = IN_PART[name]
    with pytest.raises(ArchitectureError, match="no member of its fibre is generic"):
        generic_representative(net)
    F = sa.fibre(net)
    # the theorem of the free slot (outer_fibre.free_slot_determined) proves the listing complete there
    assert ("in part" in F.description) == (name != "free slot")
    assert F.contains(net) and F.component_of(net) is not None
    rng, D, h, top = random.Random(7), net.architecture.num_parameters, OuterView.of(net).inner, 0
    for B in F.components():
        x = B.sample(rng.randrange(10 ** 6))
        assert _same(net, x, rng) and F.contains(x) and B.contains(x)
        mu = OuterView.of(net).c[0] / OuterView.of(x).c[0]
        hx = OuterView.of(x).inner
        assert all(hx(p)[0] == mu * h(p)[0] for p in ([fmpq(rng.randint(-50, 50), rng.randint(1, 4)) for _ in
                                                       range(2)] for _ in range(20)))
        d = jacobian_corank(B, x)
        assert d <= D - functional_dimension(x).value
        top = max(top, d)
        y = Network(x.weights, x.biases[:2] + (tuple(t + 1 for t in x.biases[2]),))
        assert not _same(net, y, rng) and not F.contains(y)
    if name == "free slot":
        assert F.dimension == top
    else:
        with pytest.raises(UndecidedError, match=f"at least {top} "):
            F.dimension
    try:     # decided where the bounds meet (the seen kink lines keep opposite pairs together), else named
        value = F.local_dimension()
    except UndecidedError as err:
        assert "between" in str(err)
    else:    # theta lies in a listed component: at least its dimension there, at most the first-order bound
        assert jacobian_corank(F.build(F.component_of(net)), net) <= value <= tangent.local_dimension_bounds(net)[1]
