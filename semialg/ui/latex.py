"""LaTeX for every semialg object, ready to paste into a paper.

:func:`to_latex` returns math-mode content (no surrounding ``$``); :func:`document` wraps objects into a
standalone ``.tex`` file that compiles with ``pdflatex`` (amsmath, amssymb only). Rationals are typeset
as ``\\frac{p}{q}``. Modules register their result types with :func:`to_latex.register`.

>>> from semialg.core.network import Network
>>> print(to_latex(Network.from_arrays([[[1, "-1/2"]], [[3]]], [[0], [1]])))
W_{1} = \\begin{pmatrix} 1 & -\\frac{1}{2} \\end{pmatrix},\\ b_{1} = \\begin{pmatrix} 0 \\end{pmatrix},\\ W_{2} = \\begin{pmatrix} 3 \\end{pmatrix},\\ b_{2} = \\begin{pmatrix} 1 \\end{pmatrix}
"""

from __future__ import annotations

from typing import Iterable, Sequence

import sympy
from flint import fmpq

from semialg.core.network import Architecture, Network
from semialg.core.result import latex_escape, render_latex
from semialg.core.symmetry import GroupElement

__all__ = ["to_latex", "rational", "matrix", "vector", "expr", "document", "join_math", "text"]


def rational(q) -> str:
    """``\\frac{p}{q}`` for a non-integer rational, ``p`` for an integer, with a leading minus sign."""
    q = fmpq(q) if not isinstance(q, fmpq) else q
    if q.q == 1:
        return str(q.p)
    sign = "-" if q < 0 else ""
    return f"{sign}\\frac{{{abs(q.p)}}}{{{q.q}}}"


def matrix(rows: Sequence[Sequence], env: str = "pmatrix") -> str:
    """A matrix of rationals (or sympy expressions) as ``\\begin{pmatrix}...\\end{pmatrix}``."""
    body = " \\\\ ".join(" & ".join(_entry(x) for x in r) for r in rows)
    return f"\\begin{{{env}}} {body} \\end{{{env}}}"


def vector(v: Sequence, column: bool = True) -> str:
    """A column (default) or row vector."""
    return matrix([[x] for x in v] if column else [list(v)])


def _entry(x) -> str:
    if isinstance(x, (sympy.Basic, sympy.MatrixBase)):
        return expr(x)
    return rational(x)


def expr(e) -> str:
    """A sympy expression, with parameter symbols ``W1_2_3`` typeset as $W^{(1)}_{2,3}$."""
    e = sympy.sympify(e)
    names = {s: _symbol_latex(s.name) for s in e.free_symbols if isinstance(s, sympy.Symbol)}
    return sympy.latex(e, symbol_names=names)


def _symbol_latex(name: str) -> str:
    parts = name.split("_")
    head = parts[0]
    if len(parts) > 1 and head[:1].isalpha() and head[1:].isdigit():
        return f"{head[0]}^{{({head[1:]})}}_{{{','.join(parts[1:])}}}"
    if len(parts) > 1:
        return f"{head}_{{{','.join(parts[1:])}}}"
    return name


text = latex_escape


def join_math(parts: Iterable[str], sep: str = ",\\ ") -> str:
    return sep.join(parts)


to_latex = render_latex


@to_latex.register(sympy.Basic)
@to_latex.register(sympy.MatrixBase)
def _(e, **options) -> str:
    return expr(e)


@to_latex.register(fmpq)
@to_latex.register(int)
def _(q, **options) -> str:
    return rational(q)


@to_latex.register
def _(net: Network, **options) -> str:
    parts = []
    for l, (W, b) in enumerate(net.layers(), start=1):
        parts.append(f"W_{{{l}}} = {matrix(W)}")
        parts.append(f"b_{{{l}}} = {vector(b)}")
    return join_math(parts)


@to_latex.register
def _(arch: Architecture, **options) -> str:
    return "(" + ", ".join(map(str, arch.widths)) + ")"


@to_latex.register
def _(g: GroupElement, **options) -> str:
    parts = []
    for l, (p, s) in enumerate(zip(g.permutations, g.scales), start=1):
        cycle = " & ".join(str(i + 1) for i in range(len(p))) + " \\\\ " + " & ".join(str(i + 1) for i in p)
        parts.append(f"\\pi_{{{l}}} = \\begin{{pmatrix}} {cycle} \\end{{pmatrix}},\\ "
                     f"\\lambda_{{{l}}} = {vector(s, column=False)}")
    return join_math(parts, ";\\quad ")


def document(*objs, title: str | None = None, preamble: str = "") -> str:
    """A standalone LaTeX document displaying each object (``str`` items are inserted as text)."""
    body = []
    for obj in objs:
        if isinstance(obj, str):
            body.append(obj)
        else:
            body.append("\\begin{equation*}\n\\begin{gathered}\n" + to_latex(obj) +
                        "\n\\end{gathered}\n\\end{equation*}")
    head = ["\\documentclass{article}", "\\usepackage{amsmath,amssymb}", preamble,
            "\\allowdisplaybreaks", "\\begin{document}"]
    if title:
        head.append(f"\\section*{{{title}}}")
    return "\n".join(h for h in head if h) + "\n" + "\n\n".join(body) + "\n\\end{document}\n"


# -- semi-algebraic sets and shallow results --------------------------------------------------------------

from semialg.geometry.semialgebraic import BasicSet, Union  # noqa: E402  (registration below needs the classes)
from semialg.core.certificate import EquivalenceResult, OrbitCertificate  # noqa: E402
from semialg.core.mechanism import Mechanism  # noqa: E402
from semialg.families.shallow import CanonicalForm, MoveCertificate, Stabilizer, ZeroFactorReduction  # noqa: E402


@to_latex.register
def _(B: BasicSet, **options) -> str:
    rows = [expr(p) + " &= 0" for p in B.equations]
    rows += [expr(p) + " &> 0" for p in B.strict]
    rows += [expr(p) + " &\\ge 0" for p in B.nonstrict]
    if not rows:
        return "\\mathbb{R}^{%d}" % len(B.variables)
    return "\\left\\{\\begin{aligned} " + " \\\\ ".join(rows) + " \\end{aligned}\\right."


@to_latex.register
def _(U: Union, **options) -> str:
    rep = U.representative()
    return (f"\\bigcup_{{{U.index_name}}} B_{{j}} \\quad ({U.num_components} \\text{{ components}}),"
            f" \\qquad B_{{{_tex_label(rep.label)}}} = " + to_latex(rep))


def _tex_label(label: str) -> str:
    return label.replace("pi=", "\\pi=").replace("S=", "S=").replace("_", "\\_") or "1"


@to_latex.register
def _(K: CanonicalForm, **options) -> str:
    terms = []
    for key, delta in K.kinks:
        u, beta = key[:-1], key[-1]
        lin = " + ".join(f"{rational(c)} x_{{{j + 1}}}" if c != 1 else f"x_{{{j + 1}}}"
                         for j, c in enumerate(u) if c != 0).replace("+ -", "- ")
        if beta != 0:
            lin += (" + " if beta > 0 else " - ") + rational(abs(beta))
        terms.append(f"{vector(delta)}\\,\\sigma({lin})")
    terms.append(f"{matrix(K.linear)} x")
    terms.append(vector(K.constant))
    return "f(x) = " + " + ".join(terms)


@to_latex.register
def _(R: ZeroFactorReduction, **options) -> str:
    v = R.reduced
    (W1, b1), (W2, _) = v.layers()
    terms = []
    for i, (w, b) in enumerate(zip(W1, b1, strict=True)):
        lin = " + ".join(f"{rational(c)} x_{{{j + 1}}}" if c != 1 else f"x_{{{j + 1}}}"
                         for j, c in enumerate(w) if c != 0).replace("+ -", "- ").replace("-1 x", "-x")
        if b != 0:
            lin += (" + " if b > 0 else " - ") + rational(abs(b))
        if lin:
            terms.append(f"{vector([row[i] for row in W2])}\\,\\sigma({lin})")
    theta = " + ".join(terms) or "0"
    return (f"f_\\theta(x) = \\underbrace{{{theta}}}_{{f_{{\\theta^*}}(x),\\ \\text{{no 0-factor}}}} + "
            f"{matrix(R.linear)} x + {vector(R.constant)}")


@to_latex.register
def _(r: EquivalenceResult, **options) -> str:
    if r.equivalent is None:
        return "\\text{undecided: " + text(r.certificate.describe()) + "}"
    if not r.equivalent:
        c = r.certificate
        return (f"f_{{\\theta_1}} \\neq f_{{\\theta_2}}:\\quad f_{{\\theta_1}}({vector(c.point, column=False)}) = "
                f"{vector(c.values[0])} \\neq {vector(c.values[1])} = f_{{\\theta_2}}({vector(c.point, column=False)})")
    if isinstance(r.certificate, OrbitCertificate):
        return "\\theta_2 = g\\cdot\\theta_1,\\quad " + to_latex(r.certificate.element)
    if isinstance(r.certificate, MoveCertificate):
        return ("f_{\\theta_1} = f_{\\theta_2}\\ \\text{via " +
                ", ".join(r.certificate.mechanisms()).replace("M3/M4", "M3--M4") + "}")
    return "f_{\\theta_1} = f_{\\theta_2}:\\ \\text{" + text(r.certificate.describe()) + "}"


@to_latex.register
def _(S: Stabilizer, **options) -> str:
    parts = [f"S_{{{len(C)}}}" for C in S.classes]
    if S.zero_neurons:
        z = len(S.zero_neurons)
        parts.append(f"(S_{{{z}}} \\ltimes \\mathbb{{R}}_{{>0}}^{{{z}}})")
    return "\\mathrm{Stab}(\\theta) \\cong " + (" \\times ".join(parts) if parts else "\\{e\\}")


@to_latex.register
def _(m: Mechanism, **options) -> str:
    if m.continuous:
        size = "" if m.dimension is None else f",\\ \\dim = {m.dimension}"
    else:
        size = "" if m.multiplicity is None else f",\\ \\times {m.multiplicity}"
    rel = f", {text(m.relation)}" if m.relation else ""
    return f"\\text{{{text(m.name)} ({m.kind}{rel})}}{size}"


from semialg.engine.loci import DegeneracyLoci, GenericityReport, Locus, LocusFamily  # noqa: E402


@to_latex.register
def _(locus: Locus, **options) -> str:
    return f"V\\big({join_math(expr(p) for p in locus.polynomials)}\\big)"


@to_latex.register
def _(F: LocusFamily, **options) -> str:
    return f"\\bigcup_{{{F.index_set}}} {F.latex_template}"


@to_latex.register
def _(Z: DegeneracyLoci, **options) -> str:
    body = " \\\\ ".join(f"Z_{{\\mathrm{{{text(F.name)}}}}} &= {to_latex(F)}"
                           f" && ({len(F)}\\text{{ components}})" for F in Z.families)
    return "\\begin{aligned} " + body + " \\end{aligned}"


@to_latex.register
def _(r: GenericityReport, **options) -> str:
    rows = []
    for c in r.conditions:
        mark = "\\checkmark" if c.holds else ("\\times" if c.holds is False else "?")
        rows.append(f"{mark} & \\text{{{text(c.name)}: {text(c.detail)}}}")
    return f"\\text{{{r.status}}}: \\begin{{array}}{{ll}} " + " \\\\ ".join(rows) + " \\end{array}"


from semialg.families.bottleneck import BottleneckType, RidgeProfile  # noqa: E402


@to_latex.register
def _(t: BottleneckType, **options) -> str:
    counts = ",\\ ".join(f"|{text(c)}| = {t.count(c)}" for c in dict.fromkeys(sorted(t.classes)))
    return f"\\text{{case ({t.case}), regime {text(t.regime)}}}:\\ {counts}"


@to_latex.register
def _(P: RidgeProfile, **options) -> str:
    if P.direction is None:
        return f"f \\equiv {vector(P.value_at_zero)}"
    terms = [vector(P.value_at_zero)]
    if any(P.left_slope):
        terms.append(f"{vector(P.left_slope)}\\,y")
    for y, jump in P.breakpoints:
        shift = "" if y == 0 else (f" - {rational(y)}" if y > 0 else f" + {rational(-y)}")
        terms.append(f"{vector(jump)}\\,(\\sigma(y{shift}) - \\sigma({rational(-y)}))")
    u = " + ".join(f"{rational(c)}x_{{{j + 1}}}" if c != 1 else f"x_{{{j + 1}}}"
                   for j, c in enumerate(P.direction) if c != 0).replace("+ -", "- ")
    return f"f(x) = \\varphi({u}),\\quad \\varphi(y) = " + " + ".join(terms)


from semialg.engine.conservation import ConservedQuantity  # noqa: E402


@to_latex.register
def _(q: ConservedQuantity, **options) -> str:
    name = q.name.split("_")
    label = f"Q_{{{','.join(name[1:])}}}" if len(name) > 1 else text(q.name)
    return f"{label} = {expr(q.expression)}"
