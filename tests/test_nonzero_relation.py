"""The relation $p \\ne 0$ of a basic semi-algebraic set (issue 17, item 7: conditions $a' \\ne 0$ used to be
typeset as a sum of squares $> 0$).

Oracle: the old encoding. A vector $(p_1, \\dots, p_k) \\ne 0$ holds exactly where $p_1^2 + \\dots + p_k^2 > 0$, so
every set is rebuilt with its ``nonzero`` conditions as sums of squares in ``strict`` and membership must agree
at samples, at samples with one coordinate set to 0 (where the conditions $a' \\ne 0$ fail) and at perturbations.
LaTeX compiles with pdflatex and shows $\\ne 0$; JSON round-trips through sympy.
"""

import dataclasses
import itertools
import json
import random
import shutil
import subprocess

import pytest
import sympy
from flint import fmpq
from hypothesis import given, settings, strategies as st

from semialg import Network
from semialg.families import bottleneck as bn
from semialg.families.shallow import fibre as shallow_fibre
from semialg.families.shallow.typed import TypedShallowFibre
from semialg.geometry.semialgebraic import BasicSet, nonzero_entries
from semialg.ui.latex import document, to_latex

from test_shallow_typed_disjoint import planted
from test_bottleneck_line_typed import _planted as planted_line
from test_bottleneck_nongeneric_fibre import DEGENERATE

X = sympy.symbols("x0:3")


def old_encoding(B: BasicSet) -> BasicSet:
    """``B`` with every ``nonzero`` condition written as a sum of squares $> 0$ (the encoding before the relation)."""
    squares = tuple(sympy.expand(sum(sympy.sympify(p) ** 2 for p in nonzero_entries(t))) for t in B.nonzero)
    return dataclasses.replace(B, strict=tuple(B.strict) + squares, nonzero=())


polys = st.lists(st.integers(-2, 2), min_size=4, max_size=4).map(
    lambda c: c[0] * X[0] + c[1] * X[1] * X[2] + c[2] * X[2] ** 2 + c[3])
points = st.lists(st.integers(-2, 2), min_size=3, max_size=3)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(polys, st.lists(polys, min_size=1, max_size=3).map(tuple)), max_size=3), points)
def test_nonzero_is_the_sum_of_squares_encoding(nonzero, point):
    B = BasicSet(X, strict=(X[0] + 3,), nonzero=tuple(nonzero))
    assert B.contains(point) == old_encoding(B).contains(point)
    bad = B.violated(point)
    assert (bad is None) == all(any(sympy.sympify(p).subs(dict(zip(X, point, strict=True))) != 0
                                    for p in nonzero_entries(t)) for t in nonzero)


def _points(B, rng: random.Random) -> list:
    """Samples of ``B``, each with one coordinate set to 0 and with one coordinate moved."""
    out = []
    for seed in range(2):
        theta = list(B.sample(seed).parameters())
        out.append(theta)
        for i in rng.sample(range(len(theta)), min(6, len(theta))):
            out.append(theta[:i] + [fmpq(0)] + theta[i + 1:])
            out.append(theta[:i] + [theta[i] + fmpq(rng.choice([-1, 1]), rng.randint(1, 4))] + theta[i + 1:])
    return out


def _components(F, count: int) -> list:
    """The first ``count`` non-empty components of ``F``."""
    return list(itertools.islice(F.components(), count))


SEEN = set()     # membership answers met (both must occur: the points test the conditions)


def _check(F, rng: random.Random, count: int = 6) -> int:
    used = 0
    for B in _components(F, count):
        if not B.nonzero:
            continue
        used += 1
        old = old_encoding(B)
        for theta in _points(B, rng):
            assert B.contains(theta) == old.contains(theta), (B.label, theta)
            SEEN.add((B.contains(theta), B.violated(theta) and B.violated(theta)[0]))
    return used


def test_shallow_typed_components_keep_their_members():
    rng, used = random.Random(0), 0
    SEEN.clear()
    for seed in range(12):
        F = shallow_fibre(planted(seed, (1, 3, 1)))
        if isinstance(F, TypedShallowFibre):
            used += _check(F, rng)
    assert used >= 10 and (True, None) in SEEN and (False, "!=0") in SEEN


def test_bottleneck_typed_components_keep_their_members():
    rng, used = random.Random(1), 0
    SEEN.clear()
    nets = [planted_line(s, 2, 3) for s in range(8)] + [DEGENERATE[k] for k in ("dead output", "zero bias",
                                                                               "coincident kinks")]
    for net in nets:
        if net is not None:
            used += _check(bn.fibre(net), rng, 4)
    assert used >= 8 and (True, None) in SEEN and (False, "!=0") in SEEN


def test_json_round_trip_and_latex_of_the_relation():
    B = BasicSet(X, equations=(X[0] - X[1],), nonzero=(X[2], (X[0], X[1] - 1)))
    data = json.loads(json.dumps(B.to_json()))
    back = BasicSet(X, tuple(map(sympy.sympify, data["equations"])), nonzero=tuple(
        tuple(map(sympy.sympify, t)) if isinstance(t, list) else sympy.sympify(t) for t in data["nonzero"]))
    assert back == B
    tex = to_latex(B)
    assert tex.count("\\ne 0") == 2 and "^{2}" not in tex


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_typed_fibres_typeset_a_prime_ne_0_and_compile(tmp_path):
    F = next(F for F in (shallow_fibre(planted(s, (2, 3, 1))) for s in range(20)) if isinstance(F, TypedShallowFibre)
             and any(B.nonzero for B in F.components()))
    B = next(B for B in F.components() if B.nonzero)
    wide = BasicSet(X, nonzero=(tuple(sum(k * x for x in X) + k for k in range(1, 40)),))   # broken over lines
    tex = document(B, wide, digits=3)
    assert "\\ne 0" in tex
    (tmp_path / "n.tex").write_text(tex)
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "n.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:]
