"""Issue 17 item 4, case (a): parameters with no generic member whose $P$ is disconnected with $h$ minus its seen
kinks a different affine map on each component (or $C^* = \\{0\\}$ with spare slots) were refused by ``fibre``.
Now a member of simple type with mixed (U±) neurons is built from those maps (``mixed_representative``) and the
fibre is its separated fibre; when that member's hidden neurons share a hyperplane or meet at a vertex on
$\\{h = 0\\}$ the dimension is only bounded below (pieces of non-simple type are not described).

Checked against independent computation: members by exact evaluation at random rational points, non-members by
evaluation, every listed component's dimension against $D$ minus the region oracle's functional dimension at its
samples (a component lies in the fibre, so its tangent space lies in the kernel of the Jacobian), LaTeX by
pdflatex."""

from __future__ import annotations

import random
import shutil
import subprocess
from fractions import Fraction

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.families.bottleneck.rank_bound import fibre_dimension_bound
from semialg import Network
from semialg.engine.functional_dimension import functional_dimension
from semialg.errors import ArchitectureError, UndecidedError
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.fibre import jacobian_corank
from semialg.families.bottleneck.representative import generic_representative
from semialg.families.bottleneck.separated_fibre import mixed_representative, separated_applies, simple_member
from semialg.ui.latex import document

# 2-4-1-1: rows 0 and 1 an opposite pair on x1 + 2 x2 = 0, which misses P; the two components of P touch it at
# (0, 0) and (2, -1), so every separating neuron lies on that line: members share it
TOUCH = Network.from_arrays([[[1, 2], [-1, -2], [0, -1], [-2, 1]], [[2, 1, -2, -2]], [[1]]],
                            [[0, 0, -1, 0], [0], [0]])


def _pair(seed: int) -> Network:
    """A random 2-4-1-1 or 2-5-1-1 parameter whose rows 0 and 1 are an opposite pair on one line."""
    rng = random.Random(seed)
    n1 = rng.choice([4, 4, 5])
    W = [[rng.randint(-3, 3) for _ in range(2)] for _ in range(n1)]
    b = [Fraction(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(n1)]
    s = Fraction(rng.choice([1, 2, 3]), rng.choice([1, 2]))
    W[1], b[1] = [-s * x for x in W[0]], -s * b[0]
    v = [rng.choice([-2, -1, 1, 2, 3]) for _ in range(n1)]
    return Network.from_arrays([W, [v], [[1]]], [b, [rng.randint(-2, 2)], [0]])


def _same(a: Network, b: Network, rng: random.Random, n: int = 40) -> bool:
    return all(a(x) == b(x) for x in ([fmpq(rng.randint(-60, 60), rng.randint(1, 6)) for _ in range(a.widths[0])]
                                      for _ in range(n)))


def _check_members(net: Network, F, rng: random.Random, components: int = 12) -> int:
    """Samples of the first ``components`` components compute ``net``'s function and lie in their component,
    whose dimension is at most $D - \\dim_{\\rm fun}$ there (region oracle); the output bias moved is outside.
    Returns the largest component dimension seen."""
    D, top = net.architecture.num_parameters, 0
    for _, B in zip(range(components), F.components()):
        x = B.sample(rng.randrange(10 ** 6))
        assert _same(net, x, rng) and B.contains(x) and F.contains(x)
        d = jacobian_corank(B, x)
        assert d <= D - functional_dimension(x).value
        top = max(top, d)
        y = Network(x.weights, x.biases[:2] + (tuple(t + 1 for t in x.biases[2]),))
        assert not _same(net, y, rng) and not F.contains(y)
    return top


def test_members_sharing_a_separating_line():
    with pytest.raises(ArchitectureError, match="no member of its fibre is generic"):
        generic_representative(TOUCH)
    rep = mixed_representative(TOUCH)
    t = bn.combinatorial_type(rep)
    assert simple_member(rep, t) and not separated_applies(rep, t) and t.count("U+-") == 2
    assert _same(TOUCH, rep, random.Random(1))
    F = sa.fibre(TOUCH)
    assert "mixed neurons" in F.description and F.contains(TOUCH) and F.component_of(TOUCH) is not None
    assert F.num_components == len(list(F.components()))
    assert _check_members(TOUCH, F, random.Random(2), components=F.num_components) == 5
    with pytest.raises(UndecidedError, match="at least 5"):
        F.dimension
    with pytest.raises(UndecidedError, match="between 5 and 6"):
        F.local_dimension()
    assert "dimension undecided: the fibre's dimension is at least 5" in F.describe()


@pytest.mark.parametrize("seed, proven", [(8, True), (51, False), (85, False)])
def test_planted_opposite_pairs(seed, proven):
    """Seeds of :func:`_pair` refused before (no generic member): a member with mixed neurons that passes every
    other genericity condition proves the listed dimension (``proven``), one that does not only bounds it."""
    net = _pair(seed)
    with pytest.raises(ArchitectureError, match="no member of its fibre is generic"):
        generic_representative(net)
    F = sa.fibre(net)
    assert "mixed neurons" in F.description and F.contains(net)
    top = _check_members(net, F, random.Random(seed))
    if proven:
        assert F.dimension >= top
    else:
        with pytest.raises(UndecidedError, match=f"at least {top}"):
            F.top_dimension()      # the listed components alone; the rank bound at every member meets them
        assert F.dimension == fibre_dimension_bound(net) >= top


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 10 ** 5))
def test_mixed_fibres_agree_with_evaluation(seed):
    net = _pair(seed)
    try:
        F = sa.fibre(net, budget=30)
    except (ArchitectureError, UndecidedError):
        return
    if "mixed neurons" in F.description:
        _check_members(net, F, random.Random(seed), components=4)


def test_nothing_is_built_for_a_connected_p():
    """A single component of $P$: no mixed neuron can be hidden, no representative."""
    net = Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]], [[1]]], [[0, 0, 0], [-1], [0]])
    assert mixed_representative(net) is None


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_latex_compiles(tmp_path):
    (tmp_path / "s.tex").write_text(document(sa.fibre(TOUCH)))
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "s.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:]
