"""LaTeX output: well-formed, only standard control sequences, compiles when pdflatex exists, and the typeset
polynomial systems are the computed ones (parsed back with sympy's LaTeX parser)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import sympy

import semialg as sa
from semialg.families import bottleneck as bn
from semialg.ui.latex import document, to_latex

# Control sequences of LaTeX, amsmath and amssymb that the output may use.
KNOWN = set("""documentclass usepackage allowdisplaybreaks begin end section frac text quad qquad left right
bigcup bigl bigr big Big cdot sigma theta lambda pi mu in ne neq le ge leq geq emptyset subseteq mathbb mathrm
sum times ltimes cong checkmark varphi equiv Delta alpha beta delta tau kappa ldots cdots dots infty
textbackslash textsuperscript dim displaystyle mathcal mathit mathbf operatorname""".split())

LATEX_COMMAND = re.compile(r"\\([A-Za-z]+)")


def corpus() -> list:
    shallow = sa.Network.random((2, 3, 1), seed=1)
    three = sa.Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    kink = sa.Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])
    outer = sa.Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]], [[2]]], [[0, 0, 0], [-1], [1]])
    g = sa.GroupElement.random(shallow.architecture, seed=2)
    objs = [shallow, g, sa.canonical_form(shallow), sa.fibre(three), sa.stabilizer(three), sa.genericity(three),
            sa.degeneracy_loci((2, 3, 1)), sa.degeneracy_loci((2, 1, 2, 1)), sa.equivalent(shallow, g.act(shallow)),
            sa.equivalent(three, shallow), sa.equivalent(kink, bn.flip_kink(kink, 1, into=0)),
            sa.fibre(kink), sa.fibre(outer), bn.ridge_profile(kink), bn.combinatorial_type(kink),
            *bn.hidden_symmetries(kink), *sa.conserved_quantities(shallow), sa.genericity(kink)]
    objs += list(sa.hidden_symmetries(three))
    return objs


@pytest.fixture(scope="module")
def tex() -> str:
    return document(*corpus(), title="semialg corpus")


def test_every_object_has_latex():
    for obj in corpus():
        s = to_latex(obj)
        assert s.strip() and obj._repr_latex_().startswith("$\\displaystyle")


def test_latex_is_well_formed_with_standard_commands_only(tex):
    body = tex.replace(r"\{", "").replace(r"\}", "")
    depth = 0
    for ch in body:
        depth += (ch == "{") - (ch == "}")
        assert depth >= 0
    assert depth == 0
    envs = []
    for kind, name in re.findall(r"\\(begin|end)\{(\w+\*?)\}", tex):
        if kind == "begin":
            envs.append(name)
        else:
            assert envs.pop() == name
    assert not envs
    unknown = set(LATEX_COMMAND.findall(tex)) - KNOWN
    assert not unknown, f"control sequences outside LaTeX/amsmath/amssymb: {sorted(unknown)}"


@pytest.mark.skipif(shutil.which("pdflatex") is None,
                    reason="pdflatex not installed (apt install texlive-latex-base texlive-latex-recommended)")
def test_corpus_compiles_with_pdflatex(tex, tmp_path):
    (tmp_path / "c.tex").write_text(tex)
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "c.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
    assert "Undefined control sequence" not in run.stdout


def _letters(k: int) -> str:
    """``a, b, ..., z, ba, bb, ...``: subscripts the LaTeX parser reads as one symbol."""
    out = ""
    while True:
        out = chr(ord("a") + k % 26) + out
        k //= 26
        if not k:
            return out


def _round_trip(B: sa.BasicSet) -> None:
    """Parse every row of the typeset system back and compare it with the computed polynomial."""
    from sympy.parsing.latex import parse_latex
    from semialg.ui.latex import _symbol_latex
    tex = to_latex(B)
    rows = re.search(r"\\begin\{aligned\}(.*)\\end\{aligned\}", tex, re.S).group(1).split(r" \\ ")
    placeholders = {}
    for k, s in enumerate(sorted(B.variables, key=lambda s: -len(_symbol_latex(s.name)))):
        placeholders[_symbol_latex(s.name)] = (f"z_{{{_letters(k)}}}", s)
    expected = [(p, "=") for p in B.equations] + [(p, ">") for p in B.strict] + [(p, r"\ge") for p in B.nonstrict]
    assert len(rows) == len(expected)
    for row, (poly, rel) in zip(rows, expected):
        lhs, rhs = row.split("&")
        assert rhs.strip().startswith(rel)
        back = {}
        for latex_name, (placeholder, sym) in placeholders.items():
            if latex_name in lhs:
                lhs = lhs.replace(latex_name, placeholder)
                back[sympy.Symbol(placeholder)] = sym
        # The parser reads "z (w)" as a function call and stumbles on juxtaposed powers: make the products
        # explicit; this changes no value.
        lhs = lhs.replace(r"\left(", "{").replace(r"\right)", "}")
        lhs = re.sub(r"\}\s+(?=(z_|\{))", r"} \\cdot ", lhs)
        parsed = parse_latex(lhs.strip(), backend="lark").xreplace(back)
        assert sympy.expand(parsed - poly) == 0, (row, poly)


def test_fibre_latex_round_trips_to_the_computed_polynomials():
    three = sa.Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    for F in (sa.fibre(three), sa.fibre(sa.Network.random((2, 2, 1), seed=4, height=9))):
        for B in list(F.components())[:4]:
            _round_trip(B)
    kink = sa.Network.from_arrays([[[1, 2]], [[1], ["-1/3"]], [[1, 2]]], [[-1], ["5/2", -2], [0]])
    for B in list(sa.fibre(kink).components()):
        _round_trip(B)
    outer = sa.Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]], [[2]]], [[0, 0, 0], [-1], [1]])
    _round_trip(sa.fibre(outer).representative())
