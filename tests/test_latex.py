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
from semialg.families.shallow import flip_neurons
from semialg.ui.latex import document, to_latex

# Control sequences of LaTeX, amsmath and amssymb that the output may use.
KNOWN = set("""documentclass usepackage allowdisplaybreaks begin end section frac text quad qquad left right
bigcup bigl bigr big Big cdot sigma theta lambda pi mu in ne neq le ge leq geq emptyset subseteq mathbb mathrm
sum times ltimes cong checkmark varphi equiv Delta alpha beta delta tau kappa ldots cdots dots infty
textbackslash textsuperscript dim displaystyle mathcal mathit mathbf operatorname setcounter noindent item tfrac
vdots top raggedright par tilde langle rangle notin textstyle sim to""".split())

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
            sa.equivalent(three, flip_neurons(three, (0, 1, 2))),      # a MoveCertificate
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
    log = (tmp_path / "c.log").read_text(errors="replace")
    assert max(map(float, re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)), default=0) <= 20


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
    expected = [(p, "=") for p in B.equations] + [(p, ">") for p in B.strict] + [(p, r"\ge") for p in B.nonstrict] \
        + [(p, r"\ne") for p in B.nonzero]
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
        if isinstance(poly, tuple):      # a vector != 0: (p_1,\ ..., p_k)
            entries = lhs.strip().removeprefix(r"\bigl(").removesuffix(r"\bigr)").split(r",\ ")
            assert len(entries) == len(poly)
            for e, p in zip(entries, poly, strict=True):
                assert sympy.expand(parse_latex(e.strip(), backend="lark").xreplace(back) - p) == 0, (row, p)
            continue
        parsed = parse_latex(lhs.strip(), backend="lark").xreplace(back)
        assert sympy.expand(parsed - poly) == 0, (row, poly)


def test_fibre_latex_round_trips_to_the_computed_polynomials():
    three = sa.Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    for F, k in ((sa.fibre(three), 2), (sa.fibre(sa.Network.random((2, 2, 1), seed=4, height=9)), 1)):
        for B in list(F.components())[:k]:      # sympy's LaTeX parser is slow: about 1-2 s a component
            _round_trip(B)
    kink = sa.Network.from_arrays([[[1, 2]], [[1], ["-1/3"]], [[1, 2]]], [[-1], ["5/2", -2], [0]])
    for B in list(sa.fibre(kink).components())[:4]:      # 4 of the 22 components
        _round_trip(B)
    outer = sa.Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]], [[2]]], [[0, 0, 0], [-1], [1]])
    _round_trip(sa.fibre(outer).representative())


# -- LaTeX a paper can use: wrapped matrices, broken rows, decimals with the exact values in an appendix --------

def _trained_digits_network(hidden=12):
    """A scikit-learn MLP trained on the 8x8 digits: 64-12-10, float64 weights read exactly."""
    pytest.importorskip("sklearn")
    import warnings
    from sklearn.datasets import load_digits
    from sklearn.neural_network import MLPClassifier
    d = load_digits()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MLPClassifier(hidden_layer_sizes=(hidden,), max_iter=60, random_state=0).fit(d.data / 16, d.target)
    return sa.from_sklearn(model)


def _compile(tex: str, tmp_path, name="d") -> list[float]:
    """Compile with pdflatex; the widths (pt) of every overfull hbox in the log."""
    (tmp_path / f"{name}.tex").write_text(tex)
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:]
    log = (tmp_path / f"{name}.log").read_text(errors="replace")
    return [float(x) for x in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]


needs_pdflatex = pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")


@needs_pdflatex
def test_trained_64_12_10_fibre_and_genericity_compile_without_overfull_boxes(tmp_path):
    net = _trained_digits_network()
    assert net.widths == (64, 12, 10)
    F, g = sa.fibre(net), sa.genericity(net)
    assert max(_compile(document(net, F, title="fibre"), tmp_path, "f"), default=0) <= 20
    assert max(_compile(document(net, g, title="genericity", digits=4), tmp_path, "g"), default=0) <= 20


@pytest.mark.slow
@needs_pdflatex
def test_trained_fibre_with_decimals_compiles_without_overfull_boxes(tmp_path):
    net = _trained_digits_network()
    F = sa.fibre(net)
    assert max(_compile(document(net, F, digits=3), tmp_path), default=0) <= 20
    assert max(_compile(document(net, F, symbols=True), tmp_path, "s"), default=0) <= 20


def test_wrapped_blocks_reassemble_the_matrix_and_respect_amsmath_limits():
    from semialg.ui.latex import matrix_blocks, MAX_COLS, MAX_ROWS
    net = sa.Network.random((40, 35, 3), seed=5, height=10 ** 6)
    W = net.weights[0]
    blocks = matrix_blocks(W)
    cells = {}
    for (r0, r1), (c0, c1), tex in blocks:
        assert c1 - c0 + 1 <= MAX_COLS and r1 - r0 + 1 <= MAX_ROWS
        body = tex.removeprefix(r"\begin{pmatrix} ").removesuffix(r" \end{pmatrix}")
        for i, row in enumerate(body.split(r" \\ ")):
            for j, entry in enumerate(row.split(" & ")):
                cells[(r0 + i - 1, c0 + j - 1)] = entry
    assert cells == {(i, j): sa.to_latex(x) for i, r in enumerate(W) for j, x in enumerate(r)}


def test_decimals_with_exact_values_in_the_appendix():
    from flint import fmpq
    net = sa.Network.random((3, 4, 2), seed=3, height=10 ** 9)
    tex = document(net, digits=3)
    main, appendix = tex.split(r"\section*{Exact values}")
    assert r"\frac" not in main
    exact = dict(re.findall(r"\$(W\^\{\(\d\)\}_\{\d+,\d+\}|b\^\{\(\d\)\}_\{\d+\}) = (-?\\frac\{\d+\}\{\d+\}|-?\d+)\$",
                            appendix))
    assert len(exact) == net.architecture.num_parameters

    def value(t):
        m = re.fullmatch(r"(-?)\\frac\{(\d+)\}\{(\d+)\}", t)
        return fmpq(int(m[2]), int(m[3])) * (-1 if m[1] else 1) if m else fmpq(int(t))
    for l, (W, b) in enumerate(net.layers(), start=1):
        for i, r in enumerate(W):
            for j, x in enumerate(r):
                assert value(exact[f"W^{{({l})}}_{{{i + 1},{j + 1}}}"]) == x
        for i, x in enumerate(b):
            assert value(exact[f"b^{{({l})}}_{{{i + 1}}}"]) == x


def test_long_polynomials_are_broken_into_lines_that_keep_every_term():
    from semialg.ui.latex import LINE_WIDTH, broken_row, poly_terms, width
    x = sympy.symbols("W1_1_1:60", real=True)
    p = sum(sympy.Rational(k * 7919 + 1, 2 ** 40) * v for k, v in enumerate(x)) - sympy.Rational(1, 3)
    lines = broken_row(p, "= 0")
    assert len(lines) > 3 and all(width(line) <= LINE_WIDTH for line in lines)
    joined = "".join(line.replace(r"\quad", "") for line in lines).replace(" ", "")
    assert all(t.lstrip("+ ").replace(" ", "") in joined for t in poly_terms(p))
    assert joined.count("W^") == len(x) and joined.endswith("=0")


def test_symbols_for_fixed_numbers_with_values_in_the_appendix():
    net = sa.Network.from_arrays([[["1/3", "2/7"], ["-5/11", 1]], [["3/2", "-1/3"]]], [["1/5", 0], [0]])
    tex = document(net, sa.fibre(net), symbols=True)
    main, appendix = tex.split(r"\section*{Exact values}")
    assert r"\frac" not in main and r"W_{1} \in \mathbb{Q}^{2 \times 2}" in main and "c_{1}" in main
    values = dict(re.findall(r"\$c_\{(\d+)\} = (-?\\frac\{\d+\}\{\d+\}|-?\d+)\$", appendix))
    used = set(re.findall(r"c_\{(\d+)\}", main))
    assert used == set(values) and len(values) >= 3
    assert len(set(values.values())) == len(values)        # each value named once
    # substituting the constants back gives the computed polynomials of the representative
    from semialg.ui.latex import Constants, poly_terms
    c = Constants()
    rep = sa.fibre(net).representative()
    for p in rep.equations:
        terms = " ".join(poly_terms(p, constants=c))
        for k, q in ((k, q) for q, k in c.values.items()):
            terms = terms.replace(f"c_{{{k}}}", sa.to_latex(q))
        assert terms.replace(" ", "") == " ".join(poly_terms(p)).replace(" ", "").replace(r"\tfrac", r"\frac")


def test_a_large_shallow_fibre_is_typeset_in_index_notation(tmp_path):
    """64-40-10: a component has 26,010 polynomials; the family is typeset with its conditions per neuron, and the
    count of components, 40! times the flip sets (one, generically), as a product."""
    F = sa.fibre(sa.Network.random((64, 40, 10), seed=0))
    s = to_latex(F)
    assert len(s) < 3000 and "40! \\cdot 1 \\text{ components}" in s     # 40! * (one flip set): 48 digits
    assert "B_{\\pi,S} = \\{\\theta' \\in \\mathbb{R}^{3010}" in s
    assert not set(LATEX_COMMAND.findall(s)) - KNOWN
    small = sa.fibre(sa.Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]]))
    assert "\\pi(i)" not in to_latex(small)      # small fibres keep every polynomial
    if shutil.which("pdflatex") is None:
        return
    (tmp_path / "f.tex").write_text(document(F, title="a large fibre"))
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "f.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
    log = (tmp_path / "f.log").read_text(errors="replace")
    assert max(map(float, re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)), default=0) <= 20
