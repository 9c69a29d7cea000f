"""Issue 17 item 4, case (a): parameters no member of whose fibre is generic ($C^* = \\{0\\}$, a slot beyond the
kink hyperplanes seen on $P$: a dead neuron, or one with $w = 0$) were refused; their fibre is now the union of
the reduced types with $r = n_0$ (:mod:`semialg.families.bottleneck.subspace_fibre`), inert and constant neurons
listed, the dimension decided by the one-spare-slot lemma.

Checked against independent computation: members by exact evaluation at random rational points (not by the code
under test), non-members by evaluation, the dimension against $D$ minus the region oracle's functional dimension at
members of the top components (there the fibre is, locally, the listed product), LaTeX by pdflatex."""

from __future__ import annotations

import random
import shutil
import subprocess

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.engine import regions as pl
from semialg.errors import ArchitectureError, UndecidedError
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.representative import generic_representative
from semialg.ui.latex import document

# 2-3-1-2: neuron 1 has v = 0, the other two visible; P-bar meets every half-plane (C* = {0})
DEAD = Network.from_arrays([[["2/3", 3], ["-1/3", 2], ["3/2", 1]], [["1/2", 0, "-1/3"]], [["-1/2"], [-1]]],
                           [["-3/2", -3, -1], [1], ["1/2", -3]])


def _same(a: Network, b: Network, rng: random.Random, n: int = 40) -> bool:
    return all(a(x) == b(x) for x in ([fmpq(rng.randint(-60, 60), rng.randint(1, 6)) for _ in range(a.widths[0])]
                                      for _ in range(n)))


def _spare(seed: int) -> Network | None:
    """A random 2- or 3-input regime-PN parameter with one neuron made dead ($v = 0$) or constant ($w = 0$)."""
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


def test_the_refused_parameter_has_its_fibre():
    net, rng = DEAD, random.Random(0)
    with pytest.raises(ArchitectureError, match="no member of its fibre is generic"):
        generic_representative(net)
    F = sa.fibre(net)
    D = net.architecture.num_parameters
    assert F.contains(net) and F.dimension == 6 == F.local_dimension()
    assert F.num_components == len(list(F.components())) == 18
    for seed in range(6):
        x = F.sample(seed)
        assert _same(net, x, rng) and F.contains(x)
    top = [j for j in F.index if all(r == ("D",) for r in j[3])]
    for j in top:
        x = F.sample(1, j)
        assert D - pl.functional_dimension(x).value == F.dimension == F.local_dimension(x)
    moved = Network(net.weights[:1] + (((fmpq(1, 2), fmpq(1, 7), fmpq(-1, 3)),),) + net.weights[2:], net.biases)
    assert not _same(net, moved, rng) and not F.contains(moved)
    assert "not described" in F.index_description or "k = 3" in F.index_description


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10 ** 5))
def test_spare_slot_fibres_agree_with_evaluation(seed):
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
    for s in range(3):
        x = F.sample(rng.randrange(10 ** 6))
        assert _same(net, x, rng) and F.contains(x)
        y = Network(x.weights, x.biases[:2] + (tuple(d + 1 for d in x.biases[2]),))
        assert not F.contains(y)
    if not isinstance(next(iter(F.index))[0], int):
        return                     # P disconnected: the separated fibre (tests/test_bottleneck_separated_fibre.py)
    try:
        dim = F.dimension
    except UndecidedError:         # two or more spare slots: the bounds of the module's proposition differ
        assert net.widths[1] - len(next(iter(F.index))[2]) >= 2
        return
    D = net.architecture.num_parameters
    j = next(j for j in F.index if all(r == ("D",) for r in j[3]))
    assert dim == D - pl.functional_dimension(F.sample(0, j)).value


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_latex_of_a_spare_slot_fibre_compiles(tmp_path):
    (tmp_path / "s.tex").write_text(document(sa.fibre(DEAD)))
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "s.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:]
