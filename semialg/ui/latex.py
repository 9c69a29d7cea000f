"""LaTeX for every semialg object, ready to paste into a paper.

:func:`to_latex` returns math-mode content (no surrounding ``$``); :func:`document` wraps objects into a
standalone ``.tex`` file that compiles with ``pdflatex`` (amsmath, amssymb only). Rationals are typeset
as ``\\frac{p}{q}``. Modules register their result types with :func:`to_latex.register`.

>>> from semialg.core.network import Network
>>> print(to_latex(Network.from_arrays([[[1, "-1/2"]], [[3]]], [[0], [1]])))
W_{1} = \\begin{pmatrix} 1 & -\\frac{1}{2} \\end{pmatrix},\\ b_{1} = \\begin{pmatrix} 0 \\end{pmatrix},\\ W_{2} = \\begin{pmatrix} 3 \\end{pmatrix},\\ b_{2} = \\begin{pmatrix} 1 \\end{pmatrix}
"""

from __future__ import annotations

import abc
import functools
import re
import sys
from functools import singledispatch
from typing import Iterable, Sequence

from semialg.errors import UndecidedError
from semialg.core.lazy import sympy  # imported on first use: start-up time
from flint import fmpq

from semialg.core.exact import decimal_str
from semialg.core.network import Architecture, Network
from semialg.core.result import latex_escape, render_latex
from semialg.core.symmetry import GroupElement
from semialg.ui.typeset import LINE_WIDTH, MAX_COLS, MAX_ROWS, Constants, brace_group as _group, vector_lines, width

__all__ = ["to_latex", "rational", "matrix", "vector", "expr", "document", "join_math", "text", "chunks", "width",
           "matrix_blocks", "broken_row", "poly_terms", "Constants", "Paragraph", "LINE_WIDTH"]


def rational(q, digits: int | None = None) -> str:
    """``\\frac{p}{q}`` for a non-integer rational, ``p`` for an integer, with a leading minus sign; with
    ``digits``, the decimal rounded to that many significant digits (``1.25 \\times 10^{-7}``)."""
    q = fmpq(q) if not isinstance(q, fmpq) else q
    if digits is not None:
        mantissa, _, exponent = decimal_str(q, digits).partition("e")
        return mantissa + (f" \\times 10^{{{int(exponent)}}}" if exponent else "")
    if q.q == 1:
        return str(q.p)
    sign = "-" if q < 0 else ""
    return f"{sign}\\frac{{{abs(q.p)}}}{{{q.q}}}"


def matrix(rows: Sequence[Sequence], env: str = "pmatrix", digits: int | None = None) -> str:
    """A matrix of rationals (or sympy expressions) as ``\\begin{pmatrix}...\\end{pmatrix}``."""
    body = " \\\\ ".join(" & ".join(_entry(x, digits) for x in r) for r in rows)
    return f"\\begin{{{env}}} {body} \\end{{{env}}}"


def vector(v: Sequence, column: bool = True, digits: int | None = None) -> str:
    """A column (default) or row vector."""
    return matrix([[x] for x in v] if column else [list(v)], digits=digits)


def _entry(x, digits: int | None = None) -> str:
    if isinstance(x, (sympy.Basic, sympy.MatrixBase)):
        return expr(x)
    return rational(x, digits)


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


# -- page layout: estimated widths, wrapped matrices, broken rows -----------------------------------------

def matrix_blocks(rows: Sequence[Sequence], digits: int | None = None, budget: float = LINE_WIDTH
                  ) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
    """A matrix cut into blocks that fit ``budget`` pt and amsmath's default column limit: a list of
    ((first row, last row), (first column, last column), pmatrix), 1-based and inclusive. Cost: $O(mn)$."""
    entries = [[_entry(x, digits) for x in r] for r in rows]
    cols = [max(width(e, 0.75) for e in col) + 10 for col in zip(*entries, strict=True)]
    spans, start, used = [], 0, 0.0
    for j, cw in enumerate(cols):
        if j > start and (used + cw > budget - 20 or j - start >= MAX_COLS):
            spans.append((start, j))
            start, used = j, 0.0
        used += cw
    spans.append((start, len(cols)))
    blocks = []
    for r0 in range(0, len(entries), MAX_ROWS):
        r1 = min(r0 + MAX_ROWS, len(entries))
        for c0, c1 in spans:
            body = " \\\\ ".join(" & ".join(r[c0:c1]) for r in entries[r0:r1])
            blocks.append(((r0 + 1, r1), (c0 + 1, c1), f"\\begin{{pmatrix}} {body} \\end{{pmatrix}}"))
    return blocks


def labelled_blocks(name: str, rows: Sequence[Sequence], digits: int | None = None) -> list[str]:
    """``name = (matrix)``, or one line per block ``name[rows, columns] = (block)`` when it must be wrapped."""
    blocks = matrix_blocks(rows, digits, LINE_WIDTH - width(name) - 50)
    if len(blocks) == 1:
        return [f"{name} = {blocks[0][2]}"]
    span = lambda a: str(a[0]) if a[0] == a[1] else f"{a[0]}{{:}}{a[1]}"  # noqa: E731
    return [f"{name}[{span(r)},\\,{span(c)}] = {m}" for r, c, m in blocks]


def poly_terms(p, digits: int | None = None, constants: Constants | None = None) -> list[str]:
    """The terms of a polynomial, each with its sign (``"+ 3 x"``, ``"- \\frac{1}{2}"``), coefficients exact,
    as decimals, or (with ``constants``) as named constants $c_k$ when they are not integers. Cost: linear in
    the number of terms (monomials are typeset once each)."""
    out = []
    for t in sympy.Add.make_args(sympy.sympify(p)):
        c, mono = t.as_coeff_Mul()
        c = fmpq(int(c.p), int(c.q)) if c.is_Rational else None
        if c is None:  # an irrational coefficient: let sympy typeset the whole term
            out.append("+ " + expr(t))
            continue
        mono_tex = "" if mono == 1 else _monomial(mono)
        mag = abs(c)
        num = constants.name(mag) if constants is not None and mag.q != 1 else rational(mag, digits)
        if digits is None and constants is None and mag.q != 1 and len(str(mag.q)) + len(str(mag.p)) > 30:
            num = "\\t" + num[1:]  # \tfrac: a long exact number in text size, so that it fits the line
        body = mono_tex if mag == 1 and mono_tex else (num + (" " + mono_tex if mono_tex else ""))
        out.append(("- " if c < 0 else "+ ") + body)
    return out


@functools.lru_cache(maxsize=2 ** 16)
def _monomial(m) -> str:
    return expr(m)


def broken_row(p, relation: str, digits: int | None = None, budget: float = LINE_WIDTH,
               constants: Constants | None = None) -> list[str]:
    """The lines of ``p relation`` (e.g. ``"= 0"``), each at most ``budget`` pt wide by estimate; the first
    line starts at the alignment point, later ones are indented by a quad."""
    lines, line, used = [], "", 0.0
    for k, term in enumerate(poly_terms(p, digits, constants)):
        piece = term[2:] if k == 0 and term.startswith("+") else term.replace("- ", "-", 1) if k == 0 else term
        w = width(piece)
        if line and used + w > budget - 20:
            lines.append(line)
            line, used = "\\quad ", 10.0
        line = f"{line} {piece}".strip() if line else piece
        used += w
    lines.append(f"{line or '0'} {relation}")
    return lines


def join_math(parts: Iterable[str], sep: str = ",\\ ") -> str:
    return sep.join(parts)


to_latex = render_latex


class _SympyObject(abc.ABC):
    """sympy expressions and matrices, recognised without importing sympy (there are none before it is)."""

    @classmethod
    def __subclasshook__(cls, C):
        sp = sys.modules.get("sympy")
        return True if sp is not None and issubclass(C, (sp.Basic, sp.MatrixBase)) else NotImplemented


@to_latex.register(_SympyObject)
def _(e, **options) -> str:
    return expr(e)


@to_latex.register(fmpq)
@to_latex.register(int)
def _(q, **options) -> str:
    return rational(q)


def _network_lines(net: Network, digits: int | None = None) -> list[str]:
    lines = []
    for l, (W, b) in enumerate(net.layers(), start=1):
        lines += labelled_blocks(f"W_{{{l}}}", W, digits)
        lines += (labelled_blocks(f"b_{{{l}}}", [[x] for x in b], digits) if len(b) <= MAX_ROWS else
                  labelled_blocks(f"b_{{{l}}}^{{\\top}}", [list(b)], digits))
    return lines


@to_latex.register
def _(net: Network, digits: int | None = None, **options) -> str:
    """One line when it fits; otherwise one line per (block of a wrapped) matrix, in ``gathered``."""
    lines = _network_lines(net, digits)
    one = join_math(lines)
    if width(one) <= LINE_WIDTH and all("[" not in line.split("=")[0] for line in lines):
        return one
    return "\\begin{gathered} " + " \\\\ ".join(lines) + " \\end{gathered}"


@to_latex.register
def _(arch: Architecture, **options) -> str:
    return "(" + ", ".join(map(str, arch.widths)) + ")"


@to_latex.register
def _(g: GroupElement, **options) -> str:
    parts = []
    for l, (p, s) in enumerate(zip(g.permutations, g.scales, strict=True), start=1):
        cycle = " & ".join(str(i + 1) for i in range(len(p))) + " \\\\ " + " & ".join(str(i + 1) for i in p)
        parts.append(f"\\pi_{{{l}}} = \\begin{{pmatrix}} {cycle} \\end{{pmatrix}},\\ "
                     f"\\lambda_{{{l}}} = {vector(s, column=False)}")
    return join_math(parts, ";\\quad ")


class Paragraph(str):
    """A piece of a document in text mode (a list, a paragraph), as opposed to display math."""


@singledispatch
def chunks(obj, **options) -> list[str]:
    """The pieces in which :func:`document` typesets ``obj``: display-math strings (one display each, so a
    page may break between them) or :class:`Paragraph` text. By default the object's LaTeX as one display,
    or, when that is too wide and holds no matrix, as a paragraph TeX can break (text and inline math)."""
    tex = to_latex(obj, **options)
    if width(tex) <= LINE_WIDTH or "\\begin{" in tex:
        return [tex]
    return [_paragraph(tex)]


_SPACES = re.compile(r"^(?:\\[ ,;!]|\\q?quad|\s)+|(?:\\[ ,;!]|\\q?quad|\s)+$")


def _paragraph(tex: str) -> Paragraph:
    """Math-mode ``tex`` as a ragged paragraph: ``\\text{...}`` becomes text, the rest inline math."""
    out, i = [], 0
    while True:
        j = tex.find("\\text{", i)
        math = _SPACES.sub("", tex[i:] if j < 0 else tex[i:j])   # no spacing command may end up before a $
        if math.strip(" ,:;"):
            out.append(f"${math}$")
        if j < 0:
            break
        words, i = _group(tex, j + 5)
        out.append(words)
    return Paragraph("{\\raggedright\\noindent " + " ".join(out) + "\\par}")


@chunks.register
def _(g: GroupElement, **options) -> list[str]:
    lines = []
    for l, (p, sc) in enumerate(zip(g.permutations, g.scales, strict=True), start=1):
        lines += labelled_blocks(f"\\pi_{{{l}}}", [[i + 1 for i in p]])
        lines += labelled_blocks(f"\\lambda_{{{l}}}", [list(sc)], options.get("digits"))
    return lines


@chunks.register
def _(s: str, **options) -> list[str]:
    return [s if isinstance(s, Paragraph) else Paragraph(s)]


@chunks.register
def _(net: Network, digits: int | None = None, constants: Constants | None = None, **options) -> list[str]:
    if constants is not None:  # the structure only; the values go to the appendix
        return [join_math(f"W_{{{l}}} \\in \\mathbb{{Q}}^{{{len(W)} \\times {len(W[0])}}},\\ b_{{{l}}} \\in "
                          f"\\mathbb{{Q}}^{{{len(b)}}}" for l, (W, b) in enumerate(net.layers(), start=1))]
    return _network_lines(net, digits)


def _display(chunk: str) -> str:
    if isinstance(chunk, Paragraph):
        return chunk
    inner = chunk if chunk.lstrip().startswith("\\begin{") or " \\\\ " not in chunk else \
        f"\\begin{{gathered}}\n{chunk}\n\\end{{gathered}}"
    return "\\begin{equation*}\n" + inner + "\n\\end{equation*}"


def _appendix(objs, digits: int | None, constants: Constants | None) -> str:
    """The exact values behind the decimals: inline math that TeX breaks at commas and operators."""
    parts = []
    for k, obj in enumerate(objs, start=1):
        if isinstance(obj, Network):
            entries = [f"{name} = {rational(x)}" for l, (W, b) in enumerate(obj.layers(), start=1)
                       for name, x in [(f"W^{{({l})}}_{{{i + 1},{j + 1}}}", v) for i, r in enumerate(W)
                                       for j, v in enumerate(r)] + [(f"b^{{({l})}}_{{{i + 1}}}", v)
                                                                    for i, v in enumerate(b)]]
            parts.append(f"\\noindent Network {k} ({text(str(obj.architecture))}): " +
                         ", ".join(f"${e}$" for e in entries) + ".")
        elif isinstance(obj, (BasicSet, Union)) and digits is not None:
            B = obj.representative() if isinstance(obj, Union) else obj
            rows, _ = _basic_rows(B, None, _DOCUMENT_ROWS)
            parts.append(f"\\noindent The conditions of object {k}, exactly: " + ", ".join(
                f"${' '.join(_vector_lines(p) if isinstance(p, tuple) else poly_terms(p)).lstrip('+ ')} {rel}$"
                for p, rel in _system(B)[:len(rows)]) + ".")
    if constants is not None and constants.values:
        parts.append("\\noindent Constants: " + ", ".join(f"$c_{{{k}}} = {rational(q)}$"
                                                       for q, k in constants.values.items()) + ".")
    if not parts:
        return ""
    why = (f"The numbers above are decimals rounded to {digits} significant digits; these are the exact values."
           if digits is not None else "The exact values of the fixed numbers named above.")
    return f"\\section*{{Exact values}}\n{why}\n\n{{\\raggedright\n" + "\n\n".join(parts) + "\n\n}"


#: Conditions of a semi-algebraic set typeset in a document (the rest are counted, not shown).
_DOCUMENT_ROWS = 60


def document(*objs, title: str | None = None, preamble: str = "", digits: int | None = None,
             max_rows: int | None = _DOCUMENT_ROWS, symbols: bool = False) -> str:
    """A standalone LaTeX document displaying each object (``str`` items are inserted as text).

    Long matrices are wrapped into blocks and long polynomials broken over lines, so that nothing runs into
    the margin; a semi-algebraic set shows its first ``max_rows`` conditions and counts the rest. With
    ``digits``, numbers are typeset as decimals rounded to that many significant digits and an appendix
    gives the exact values. With ``symbols``, a text about structure: networks as their shapes, fixed
    non-integer numbers in polynomial systems as constants $c_k$, their values in the appendix.
    Compiles with ``pdflatex`` (amsmath, amssymb).
    """
    body, constants = [], Constants() if symbols else None
    for obj in objs:
        opts = {"digits": digits, "max_rows": max_rows, "constants": constants}
        body += [_display(c) for c in chunks(obj, **opts)]
    if digits is not None or symbols:
        body.append(_appendix(objs, digits, constants))
    head = ["\\documentclass{article}", "\\usepackage{amsmath,amssymb}", "\\setcounter{MaxMatrixCols}{30}",
            preamble, "\\allowdisplaybreaks", "\\begin{document}"]
    if title:
        head.append(f"\\section*{{{title}}}")
    return "\n".join(h for h in head if h) + "\n" + "\n\n".join(b for b in body if b) + "\n\\end{document}\n"


# -- semi-algebraic sets and shallow results --------------------------------------------------------------

from semialg.geometry.semialgebraic import BasicSet, Union  # noqa: E402  (registration below needs the classes)
from semialg.ui.fibre_latex import expands, family_chunks  # noqa: E402  (shallow fibres in index notation)
from semialg.core.certificate import EquivalenceResult, OrbitCertificate  # noqa: E402
from semialg.core.mechanism import Mechanism  # noqa: E402
from semialg.families.shallow import CanonicalForm, MoveCertificate, ZeroFactorReduction  # noqa: E402
from semialg.ui import symmetry_latex  # noqa: E402,F401  (registers the stabilizers and move certificates)


def _system(B: BasicSet) -> list[tuple]:
    """The conditions of ``B`` as (polynomial, relation); a vector that must not vanish is a tuple."""
    return ([(p, "= 0") for p in B.equations] + [(p, "> 0") for p in B.strict] +
            [(p, "\\ge 0") for p in B.nonstrict] + [(t, "\\ne 0") for t in B.nonzero])


def _vector_lines(t: tuple, digits=None, budget=None, constants=None) -> list[str]:
    """$(p_1, \\dots, p_k)$ over lines of at most ``budget`` pt (``None``: one line)."""
    return vector_lines([" ".join(poly_terms(q, digits, constants)).lstrip("+ ") or "0" for q in t], budget)


def _basic_rows(B: BasicSet, digits: int | None = None, max_rows: int | None = None,
                constants: Constants | None = None) -> tuple[list[str], int]:
    """Aligned rows of the system (a long polynomial broken over several lines) and how many were left out."""
    system = _system(B)
    shown = system if max_rows is None else system[:max_rows]
    rows = []
    for p, rel in shown:
        if isinstance(p, tuple):        # a vector that must not vanish: (p_1, ..., p_k) != 0
            lines = _vector_lines(p, digits, LINE_WIDTH - 30, constants)
            if len(lines) == 1:
                rows.append(lines[0] + " &" + rel)
            else:
                lines[-1] += f" {rel}"
                rows.append(" \\\\ ".join("& " + line for line in lines))
            continue
        lines = broken_row(p, rel, digits, LINE_WIDTH - 30, constants)
        if len(lines) == 1 and digits is None and constants is None:
            rows.append(expr(p) + " &" + rel)   # sympy's own form, for what fits on one line
        else:
            rows.append(" \\\\ ".join("& " + line for line in lines))
    if getattr(B, "condition", None) is not None:   # a further exact condition (e.g. quantified) of the set
        rows.append("& " + B.condition.to_latex())
    return rows, len(system) - len(shown)


def _omitted(n: int) -> str:
    return f"&\\vdots \\quad \\text{{({n} more conditions of the same form)}}"


@to_latex.register
def _(B: BasicSet, digits: int | None = None, max_rows: int | None = None, **options) -> str:
    rows, more = _basic_rows(B, digits, max_rows)
    if not rows:
        return "\\mathbb{R}^{%d}" % len(B.variables)
    if more:
        rows.append(_omitted(more))
    return "\\left\\{\\begin{aligned} " + " \\\\ ".join(rows) + " \\end{aligned}\\right."


def _union_head(U: Union, rep: BasicSet) -> tuple[str, str]:
    label = _tex_label(rep.label) if width(_tex_label(rep.label)) <= 120 else "\\mathrm{rep}"
    try:
        count = U.num_components
    except UndecidedError:  # a shallow fibre whose non-empty components exceed the counting budget
        count = "undecided number of"
    return f"\\bigcup_{{{U.index_name}}} B_{{j}} \\quad ({count} \\text{{ components}})", label


@to_latex.register
def _(U: Union, **options) -> str:
    rep = U.representative()
    head, label = _union_head(U, rep)
    return f"{head}, \\qquad B_{{{label}}} = " + to_latex(rep, **options)


def _tex_label(label: str) -> str:
    return label.replace("pi=", "\\pi=").replace("S=", "S=").replace("_", "\\_") or "1"


@to_latex.register
def _(K: CanonicalForm, **options) -> str:
    return "f(x) = " + " + ".join(_canonical_terms(K))


@chunks.register
def _(K: CanonicalForm, **options) -> list[str]:
    """The terms packed into lines of the page width, aligned at the equals sign."""
    lines, line = [], []
    for t in _canonical_terms(K):
        if line and width(" + ".join(line + [t])) > LINE_WIDTH - 60:
            lines.append(" + ".join(line))
            line = []
        line.append(t)
    lines.append(" + ".join(line))
    body = " \\\\ &\\quad + ".join(lines)
    return [f"\\begin{{aligned}} f(x) ={{}} & {body} \\end{{aligned}}"]


def _canonical_terms(K: CanonicalForm) -> list[str]:
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
    return terms


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
        return "f_{\\theta_1} = f_{\\theta_2}:\\quad " + to_latex(r.certificate)
    return "f_{\\theta_1} = f_{\\theta_2}:\\ \\text{" + text(r.certificate.describe()) + "}"


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


def _count(n: int) -> str:
    """A count in LaTeX: exact up to 24 digits, else its order of magnitude (the exact count is in ``to_json``)."""
    return str(n) if n < 10 ** 24 else f"\\approx 2^{{{n.bit_length() - 1}}}"


@to_latex.register
def _(Z: DegeneracyLoci, **options) -> str:
    body = " \\\\ ".join(f"Z_{{\\mathrm{{{text(F.name)}}}}} &= {to_latex(F)}"
                           f" && ({_count(F.count)}\\text{{ components}})" for F in Z.families)
    return "\\begin{aligned} " + body + " \\end{aligned}"


def _mark(c) -> str:
    return "\\checkmark" if c.holds else ("\\times" if c.holds is False else "?")


@chunks.register
def _(Z: DegeneracyLoci, **options) -> list[str]:
    # F.count, not len(F): a family of 2^n - 1 zero-factor loci does not fit len() from n = 64 on
    return [f"Z_{{\\mathrm{{{text(F.name)}}}}} = {to_latex(F)} \\quad ({_count(F.count)}\\text{{ components}})"
            for F in Z.families]


@to_latex.register
def _(r: GenericityReport, **options) -> str:
    """One row per condition; a detail too long for the line is left to the document's list."""
    rows = []
    for c in r.conditions:
        row = f"\\text{{{text(c.name)}: {text(c.detail)}}}"
        rows.append(f"{_mark(c)} & " + (row if width(row) < LINE_WIDTH - 60 else f"\\text{{{text(c.name)}}}"))
    return f"\\text{{{r.status}}}: \\begin{{array}}{{ll}} " + " \\\\ ".join(rows) + " \\end{array}"


from semialg.families.bottleneck import (  # noqa: E402
    BottleneckFibre, BottleneckType, RidgeProfile)
from semialg.engine.conservation import ConservationCount, MechanismConservation  # noqa: E402


@to_latex.register
def _(F: BottleneckFibre, limit: int = 8, **options) -> str:
    """Every component (up to ``limit``), labelled by its index, with the index set and the exact count."""
    def known(value, unknown):  # a count or dimension whose budget ran out is typeset as such, not raised
        try:
            return value()
        except UndecidedError:
            return unknown

    count = known(lambda: F.num_components, None)
    dim = known(lambda: F.dimension, "\\text{undecided}")
    rows = []
    for k, j in enumerate(F.index):
        if k == limit:
            more = "more" if count is None else f"{count - limit} more"
            rows.append(f"&\\ldots && \\text{{({more} components of the same form)}}")
            break
        B = F.build(j)
        rows.append(f"B_{{{_tex_label(B.label)}}} &= {to_latex(B)}")
    size = "\\text{not counted}" if count is None else count
    head = f"\\bigcup_{{{F.index_name} \\in J}} B_{{j}},\\quad |J| = {size},\\ \\dim = {dim}"
    if F.index_description:
        head += f",\\quad J:\\ \\text{{{text(F.index_description)}}}"
    return head + " \\\\ \\begin{aligned} " + " \\\\ ".join(rows) + " \\end{aligned}"


@to_latex.register
def _(r: MechanismConservation, **options) -> str:
    rows = [f"\\text{{{text(m.name)}}} & \\text{{{text(m.kind)}}} & {m.laws} & \\text{{{text(m.reason)}}}"
            for m in r.moves]
    body = " \\\\ ".join(["\\text{mechanism} & \\text{kind} & \\text{laws} & \\text{why}"] + rows)
    return (f"\\begin{{array}}{{llrl}} {body} \\end{{array}} \\quad {r.explicit} \\text{{ explicit laws; }} "
            + to_latex(r.count))


@to_latex.register
def _(c: ConservationCount, **options) -> str:
    bound = "" if c.stabilized else "\\le "
    return (f"\\#\\text{{laws}} = {bound}D - \\operatorname{{rank}} \\mathrm{{Lie}} = {c.num_parameters} - "
            f"{c.lie_rank} = {c.laws}\\ ({c.known} \\text{{ from rescalings}})")


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


# -- document pieces of large results ---------------------------------------------------------------------

@chunks.register
def _(B: BasicSet, digits: int | None = None, max_rows: int | None = None, constants: Constants | None = None,
      **options) -> list[str]:
    rows, more = _basic_rows(B, digits, max_rows, constants)
    if not rows:
        return [to_latex(B)]
    head = [f"\\theta \\in \\mathbb{{R}}^{{{len(B.variables)}}} \\text{{ with the following "
            f"{len(rows) + more} conditions}}"]
    return head + [f"\\begin{{aligned}} {row} \\end{{aligned}}" for row in rows] + \
        ([Paragraph(f"\\noindent ({more} more conditions of the same form are not shown.)")] if more else [])


@chunks.register
def _(U: Union, **options) -> list[str]:
    indexed = family_chunks(U)   # a shallow fibre's family B_tau in index notation, then maybe the component of theta
    if not expands(U):
        return indexed
    rep = U.representative()
    head, label = _union_head(U, rep) if not indexed else ("", "\\tau_\\theta")
    pieces = chunks(rep, **options)
    return (indexed or [head]) + [f"B_{{{label}}} = \\{{" + pieces[0] + "\\}"] + pieces[1:]


@chunks.register
def _(r: GenericityReport, **options) -> list[str]:
    items = "\n".join(f"\\item[${_mark(c)}$] {text(c.name)}: {text(c.detail)}" for c in r.conditions)
    return [Paragraph(f"\\noindent Genericity: {text(r.status)}.\n\\begin{{itemize}}\n{items}\n\\end{{itemize}}")]


@chunks.register
def _(r: EquivalenceResult, **options) -> list[str]:
    if r.equivalent and isinstance(r.certificate, OrbitCertificate):
        return ["\\theta_2 = g\\cdot\\theta_1 \\text{ with}"] + chunks(r.certificate.element, **options)
    return chunks.dispatch(object)(r, **options)


from semialg.engine.identifiability import IdentifiabilityResult  # noqa: E402
from semialg.engine.hierarchy import BentKinkCertificate, ShallowRepresentation  # noqa: E402


@to_latex.register
def _(r: IdentifiabilityResult, **options) -> str:
    rows = ["\\text{" + text(r.describe()) + "}"]
    rows += ["\\quad\\text{proven: " + text(s.describe()) + "}" for s in r.proof]
    if r.move is not None:
        rows.append("\\quad\\text{witness: " + text(r.move.describe()) + "}")
    return "\\begin{array}{l}" + " \\\\ ".join(rows) + "\\end{array}"


@to_latex.register
def _(c: BentKinkCertificate, **options) -> str:
    u, p, q = vector(c.normal, column=False), vector(c.p, column=False), vector(c.q, column=False)
    return (f"H = \\{{x : {u}\\cdot x + {to_latex(c.offset)} = 0\\}},\\quad J_H({p}) = {matrix(c.jump_p)} "
            f"\\neq {matrix(c.jump_q)} = J_H({q})")


@to_latex.register
def _(r: ShallowRepresentation, **options) -> str:
    if r.status == "none":
        return "\\text{no one-hidden-layer network computes } f:\\quad " + to_latex(r.certificate)
    if r.status == "found":
        return "f = f_{\\theta'},\\quad \\theta' = " + to_latex(r.network)
    return "\\text{undecided: " + text("; ".join(r.tried)) + "}"
