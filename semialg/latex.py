"""LaTeX for every semialg object, ready to paste into a paper.

:func:`to_latex` returns math-mode content (no surrounding ``$``); :func:`document` wraps objects into a
standalone ``.tex`` file that compiles with ``pdflatex`` (amsmath, amssymb only). Rationals are typeset
as ``\\frac{p}{q}``. Modules register their result types with :func:`to_latex.register`.

>>> from semialg.network import Network
>>> print(to_latex(Network.from_arrays([[[1, "-1/2"]], [[3]]], [[0], [1]])))
W_{1} = \\begin{pmatrix} 1 & -\\frac{1}{2} \\end{pmatrix},\\ b_{1} = \\begin{pmatrix} 0 \\end{pmatrix},\\ W_{2} = \\begin{pmatrix} 3 \\end{pmatrix},\\ b_{2} = \\begin{pmatrix} 1 \\end{pmatrix}
"""

from __future__ import annotations

from functools import singledispatch
from typing import Iterable, Sequence

import sympy
from flint import fmpq

from .network import Architecture, Network
from .symmetry import GroupElement

__all__ = ["to_latex", "rational", "matrix", "vector", "expr", "document", "join_math"]


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


def join_math(parts: Iterable[str], sep: str = ",\\ ") -> str:
    return sep.join(parts)


@singledispatch
def to_latex(obj, **options) -> str:
    """LaTeX (math-mode content) for a semialg object, a sympy expression or a rational."""
    if isinstance(obj, (sympy.Basic, sympy.MatrixBase)):
        return expr(obj)
    if isinstance(obj, (fmpq, int)):
        return rational(obj)
    raise TypeError(f"no LaTeX form for {type(obj).__name__}")


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
