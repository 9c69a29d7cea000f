r"""The LaTeX of a large shallow fibre in index notation: the family $B_{\pi,S}$ with its conditions per neuron,
where the expanded form would list every polynomial of a component — $n(k + 1)(m + 1) + k$ of them, 138,000 for a
784-16-10 parameter (7 MB of LaTeX, five minutes), 35 million at 784-4096-10. Fibres whose components have at most
:data:`EXPAND_LIMIT` polynomials keep the expanded form of :mod:`semialg.ui.latex`.

>>> from semialg.families.shallow import fibre
>>> tex = to_latex(fibre(Network.random((64, 40, 10), seed=0)))
>>> tex.startswith("\\bigcup_{(\\pi, S) \\in S_{40} \\times \\mathcal{S}} B_{\\pi,S}"), len(tex) < 3000
(True, True)
"""

from __future__ import annotations

from semialg.core.network import Network
from semialg.core.result import render_latex as to_latex
from semialg.families.shallow.fibre import ShallowFibre
from semialg.geometry.semialgebraic import Union

__all__ = ["EXPAND_LIMIT", "family_rows", "family_chunks"]

#: Components with more polynomials than this are typeset in index notation.
EXPAND_LIMIT = 5000
_SHOWN_FLIPS = 8


def _size(F: ShallowFibre) -> int:
    m, n, k = F.network.widths
    return n * (k + 1) * (m + 1) + k


def family_rows(F: ShallowFibre) -> tuple[str, list[str]]:
    """The head $\\bigcup_{(\\pi,S)} B_{\\pi,S}$ and the rows: the count and the flip sets, then the conditions
    defining $B_{\\pi,S}$, each row short enough for a page (a count beyond 24 digits is written $n!\\cdot|\\mathcal S|$)."""
    m, n, k = F.network.widths
    sets = [("\\emptyset" if not S else "\\{" + ", ".join(str(i + 1) for i in S) + "\\}") for S in F.flip_sets]
    shown = ", ".join(sets[:_SHOWN_FLIPS]) + (", \\dots" if len(sets) > _SHOWN_FLIPS else "")
    count = F.num_components
    count = str(count) if count < 10 ** 24 else f"{n}! \\cdot {len(sets)}"
    head = f"\\bigcup_{{(\\pi, S) \\in S_{{{n}}} \\times \\mathcal{{S}}}} B_{{\\pi,S}}"
    rows = [f"{count} \\text{{ components}},\\quad \\mathcal{{S}} = \\{{{shown}\\}},",
            f"B_{{\\pi,S}} = \\{{\\theta' \\in \\mathbb{{R}}^{{{F.network.architecture.num_parameters}}} : "
            f"\\text{{for }} i = 1, \\dots, {n}:",
            "a'_i\\, w'^{T}_i = \\tilde a_{\\pi(i)}\\, \\tilde w^{T}_{\\pi(i)},\\quad "
            "a'_i\\, b'_i = \\tilde a_{\\pi(i)}\\, \\tilde b_{\\pi(i)},",
            "\\operatorname{rank}\\begin{pmatrix} w'_i & b'_i \\\\ \\tilde w_{\\pi(i)} & \\tilde b_{\\pi(i)} "
            "\\end{pmatrix} = 1,\\quad \\langle (w'_i, b'_i), (\\tilde w_{\\pi(i)}, \\tilde b_{\\pi(i)}) \\rangle > 0,"
            "\\quad c' = c_S \\},",
            f"\\text{{where }} a_i \\in \\mathbb{{Q}}^{{{k}}} \\text{{ is column }} i \\text{{ of }} W_2 \\text{{ and }} "
            f"w_i \\in \\mathbb{{Q}}^{{{m}}} \\text{{ row }} i \\text{{ of }} W_1,",
            "\\tilde\\theta = \\theta_S \\text{ is } \\theta \\text{ with the neurons of } S \\text{ flipped: } "
            "\\tilde a = a,",
            "(\\tilde w_j, \\tilde b_j) = -(w_j, b_j) \\ (j \\in S),\\quad (\\tilde w_j, \\tilde b_j) = (w_j, b_j) "
            "\\ (j \\notin S),",
            "c_S = c + \\textstyle\\sum_{j \\in S} a_j b_j \\quad (S \\text{ a 0-factor: } "
            "\\textstyle\\sum_{j \\in S} a_j w_j^{T} = 0)."]
    return head, rows


def _wanted(F: ShallowFibre) -> bool:
    return isinstance(F.network, Network) and F.flip_sets and _size(F) > EXPAND_LIMIT


@to_latex.register
def _(F: ShallowFibre, **options) -> str:
    if not _wanted(F):
        return to_latex.dispatch(Union)(F, **options)
    head, rows = family_rows(F)
    return head + ",\\qquad \\begin{aligned} " + " \\\\ ".join(f"& {r}" for r in rows) + " \\end{aligned}"


def family_chunks(U: Union) -> list[str] | None:
    """The pieces in which :func:`~semialg.ui.latex.document` typesets a large shallow fibre (one display per row),
    or ``None`` for any other union (typeset expanded)."""
    if not isinstance(U, ShallowFibre) or not _wanted(U):
        return None
    head, rows = family_rows(U)
    return [head] + [f"\\begin{{aligned}} & {r} \\end{{aligned}}" for r in rows]
