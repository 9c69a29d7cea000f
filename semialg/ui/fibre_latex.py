r"""The LaTeX of a large shallow fibre in index notation: the family $B_{\pi,S}$ with its conditions per neuron,
where the expanded form would list every polynomial of a component — $n(k + 1)(m + 1) + k$ of them, 138,000 for a
784-16-10 parameter (7 MB of LaTeX, five minutes), 35 million at 784-4096-10. Fibres whose components have at most
:data:`EXPAND_LIMIT` polynomials keep the expanded form of :mod:`semialg.ui.latex`.

>>> from semialg.families.shallow import fibre
>>> tex = to_latex(fibre(Network.random((64, 40, 10), seed=0)))
>>> tex.startswith("\\bigcup_{(\\pi, S) \\in S_{40} \\times \\mathcal{S}} B_{\\pi,S}"), len(tex) < 3000
(True, True)

The fibre of a non-generic parameter is a union over combinatorial types $\tau$ of $\theta'$
(:mod:`~semialg.families.shallow.typed`): its LaTeX states $B_\tau$ for every type, with the index set and the
count of the non-empty components, and, for a small fibre, the component of $\theta$ polynomial by polynomial.
"""

from __future__ import annotations

from semialg.core.network import Network
from semialg.core.result import render_latex as to_latex
from semialg.errors import UndecidedError
from semialg.families.shallow.fibre import ShallowFibre
from semialg.families.shallow.type_component import TypeComponent
from semialg.families.shallow.typed import TypedShallowFibre
from semialg.geometry.semialgebraic import BasicSet, Union

__all__ = ["EXPAND_LIMIT", "family_rows", "typed_family_rows", "family_chunks", "component_rows"]

#: Components with more polynomials than this are typeset in index notation.
EXPAND_LIMIT = 5000
_SHOWN_FLIPS = 8


def _size(F: ShallowFibre | TypedShallowFibre) -> int:
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


def typed_family_rows(F: TypedShallowFibre) -> tuple[str, list[str]]:
    r"""The head $\bigcup_{\tau \in \mathcal T} B_\tau$ and the rows: the index set $\mathcal T$ of types (slot roles
    $K_h^\pm$, $P_g^\pm$, $D$, $C^\pm$), the count of non-empty components, the type of $\theta$, then the
    conditions defining $B_\tau$ (:func:`~semialg.families.shallow.typed.typed_fibre`), in terms of the canonical form
    $K(\theta)$. Cost: the exact count (:meth:`TypedShallowFibre.num_components`) and locating $\theta$, $O(n)$ rows."""
    m, n, k = F.network.widths
    N = F.index.N
    try:
        count = F.num_components
        count = f"{count} \\text{{ non-empty components}}" if count < 10 ** 24 else \
            f"\\text{{about }} 10^{{{len(str(count)) - 1}}} \\text{{ non-empty components}}"
    except UndecidedError:     # the subset-sum budget of the count ran out
        count = "\\text{an undecided number of non-empty components}"
    types = F.index.exact_size
    types = str(types) if types < 10 ** 24 else f"\\text{{about }} 10^{{{len(str(types)) - 1}}}"
    hs = f"h = 1, \\dots, {N}" if N > 1 else "h = 1"
    head = "\\bigcup_{\\tau \\in \\mathcal{T}} B_{\\tau}"
    rows = [f"{count} \\text{{ among }} |\\mathcal{{T}}| = {types} \\text{{ types}}",
            f"\\tau\\colon \\{{1, \\dots, {n}\\}} \\to \\{{K_h^{{\\pm}}, P_g^{{\\pm}}, D, C^{{+}}, C^{{-}}\\}}"
            + (f" \\text{{ taking every }} K_h \\ ({hs})," if N else ","),
            "\\text{each phantom group } P_g \\text{ of at least two slots, numbered in order,}",
            f"\\text{{its first slot }} P_g^{{+}};\\quad \\text{{the type of }} \\theta\\colon "
            f"\\tau_\\theta = {_role_counts(F.locate(F.network))},"]
    return head, rows + _conditions(F.network.architecture.num_parameters, n, m, k, N)


def _conditions(num_parameters: int, n: int, m: int, k: int, N: int) -> list[str]:
    """The rows defining $B_\\tau$ for any type $\\tau$, in terms of the canonical form."""
    return [f"B_{{\\tau}} = \\{{\\theta' \\in \\mathbb{{R}}^{{{num_parameters}}} : "
            f"\\text{{for }} i = 1, \\dots, {n}:",
            "a'_i = 0 \\ (\\tau(i) = D),\\quad a'_i \\ne 0 \\text{ otherwise},",
            "w'_i = 0,\\ b'_i > 0 \\ (C^{+}),\\quad w'_i = 0,\\ b'_i \\le 0 \\ (C^{-}),",
            "\\operatorname{rank}\\begin{pmatrix} w'^{T}_i & b'_i \\\\ u^{T}_h & \\beta_h \\end{pmatrix} = 1,\\ "
            "s \\langle (w'_i, b'_i), (u_h, \\beta_h) \\rangle > 0 \\ (\\tau(i) = K_h^{s}),",
            "\\operatorname{rank}\\begin{pmatrix} w'^{T}_i & b'_i \\\\ r'^{T}_g \\end{pmatrix} = 1,\\ "
            "s \\langle (w'_i, b'_i), r'_g \\rangle > 0 \\ (\\tau(i) = P_g^{s}),",
            "r'_g = (w'_j, b'_j) \\text{ for the first slot } j \\text{ of } P_g\\colon w'_j \\ne 0,",
            "r'_g \\nparallel (u_h, \\beta_h),\\quad r'_g \\nparallel r'_{g'} \\ (g' \\ne g),",
            "\\textstyle\\sum_{\\tau(i) = K_h^{s}} s\\, a'_i (w'^{T}_i, b'_i) = \\delta_h (u^{T}_h, \\beta_h),\\quad "
            "\\textstyle\\sum_{\\tau(i) = P_g^{s}} s\\, a'_i (w'^{T}_i, b'_i) = 0,",
            "\\textstyle\\sum_{\\tau(i) \\in \\{K_h^{-}, P_g^{-}\\}} a'_i w'^{T}_i = L,\\quad c' + "
            "\\textstyle\\sum_{\\tau(i) \\in \\{K_h^{-}, P_g^{-}\\}} a'_i b'_i + \\textstyle\\sum_{\\tau(i) = C^{+}} "
            "a'_i b'_i = d \\},",
            f"\\text{{where }} a'_i \\in \\mathbb{{R}}^{{{k}}} \\text{{ is column }} i \\text{{ of }} W'^{{(2)}},\\ "
            f"w'_i \\in \\mathbb{{R}}^{{{m}}} \\text{{ row }} i \\text{{ of }} W'^{{(1)}},",
            "b'_i = b'^{(1)}_i,\\ c' = b'^{(2)}, \\text{ and }"
            f"f_\\theta(x) = \\textstyle\\sum_{{h=1}}^{{{N}}} \\delta_h \\sigma(u_h \\cdot x + \\beta_h) + Lx + d",
            "\\text{is the canonical form of } \\theta \\ (\\text{the first non-zero entry of } (u_h, \\beta_h) "
            "\\text{ is } 1)."]


def _role_name(r) -> str:
    return "D" if r[0] == "D" else f"C^{{{r[0][1]}}}" if r[0][0] == "C" else \
        f"{r[0]}_{{{r[1] + 1}}}^{{{'+' if r[2] > 0 else '-'}}}"


def component_rows(B: TypeComponent) -> list[str]:
    r"""The rows of one component $B_\tau$ of a typed fibre in index notation: its type $\tau$ in full (twelve roles a
    row), its dimension, then the conditions of $B_\tau$ in terms of the canonical form $K(\theta)$, without building
    a polynomial. Cost: $O(n)$ rows, plus the dimension (one rank proposition)."""
    G = B.geometry
    names = [_role_name(r) for r in B.index]
    chunks = [", ".join(names[j:j + 12]) for j in range(0, len(names), 12)] or [""]
    n = len(names)
    rows = [("\\tau = (" if j == 0 else "") + c + (")," if j == len(chunks) - 1 else ",") for j, c in enumerate(chunks)]
    dim = B.dimension
    rows.append(f"\\dim B_{{\\tau}} = {dim}," if dim is not None else "B_{\\tau} = \\emptyset,")
    return rows + _conditions(len(B.variables), n, G.m, G.k, G.N)


def _component_size(B: TypeComponent) -> int:
    """An upper bound on the polynomials of the component (every slot: $(k+1)(m+1) + \\binom{m+1}{2}$)."""
    G = B.geometry
    return len(B.index) * ((G.k + 1) * (G.m + 1) + G.m * (G.m + 1) // 2) + G.k * (G.m + 1)


@to_latex.register
def _(B: TypeComponent, **options) -> str:
    """Cached on the component (per options): a large component in index notation (:func:`component_rows`), a
    small one (at most :data:`EXPAND_LIMIT` polynomials) polynomial by polynomial as any basic set."""
    memo = B.__dict__.setdefault("_latex", {})
    key = repr(sorted(options.items()))
    if key not in memo:
        if B.geometry is None or _component_size(B) <= EXPAND_LIMIT:
            memo[key] = to_latex.dispatch(BasicSet)(B, **options)
        else:
            memo[key] = "\\begin{aligned} " + " \\\\ ".join(f"& {r}" for r in component_rows(B)) + " \\end{aligned}"
    return memo[key]


def _role_counts(roles) -> str:
    """The type of $\\theta$: the roles in order when they fit a row, else how many slots take each role."""
    names = [_role_name(r) for r in roles]
    if len(", ".join(names)) <= 72:       # a row of the page (12 two-digit roles overflowed it by 77 pt)
        return "(" + ", ".join(names) + ")"
    kinds = {}
    for r in roles:
        key = "D" if r[0] == "D" else f"C^{{{r[0][1]}}}" if r[0][0] == "C" else f"{r[0]}^{{{'+' if r[2] > 0 else '-'}}}"
        kinds[key] = kinds.get(key, 0) + 1
    return ",\\ ".join(f"{c} \\times {name}" for name, c in kinds.items())


def _wanted(F) -> bool:
    if isinstance(F, TypedShallowFibre):
        return isinstance(F.network, Network)
    return isinstance(F, ShallowFibre) and isinstance(F.network, Network) and F.flip_sets and _size(F) > EXPAND_LIMIT


def _rows(F) -> tuple[str, list[str]]:
    return typed_family_rows(F) if isinstance(F, TypedShallowFibre) else family_rows(F)


def expands(F) -> bool:
    """Whether the LaTeX of a union also lists one component polynomial by polynomial: any union but a shallow
    fibre past :data:`EXPAND_LIMIT` polynomials per component."""
    return not _wanted(F) or isinstance(F, TypedShallowFibre) and _size(F) <= EXPAND_LIMIT


@to_latex.register
def _(F: ShallowFibre, **options) -> str:
    if not _wanted(F):
        return to_latex.dispatch(Union)(F, **options)
    head, rows = _rows(F)
    tex = head + ",\\qquad \\begin{aligned} " + " \\\\ ".join(f"& {r}" for r in rows) + " \\end{aligned}"
    if not expands(F):
        return tex
    return tex + ",\\qquad \\text{the component of } \\theta\\colon B_{\\tau_\\theta} = " + \
        to_latex(F.representative(), **options)


@to_latex.register
def _(F: TypedShallowFibre, **options) -> str:
    return to_latex.dispatch(ShallowFibre)(F, **options)


def family_chunks(U: Union) -> list[str]:
    """The pieces in which :func:`~semialg.ui.latex.document` typesets a shallow fibre in index notation (one display
    per row), or ``[]`` for any other union; :func:`expands` says whether one component follows, expanded."""
    if not _wanted(U):
        return []
    head, rows = _rows(U)
    return [head] + [f"\\begin{{aligned}} & {r} \\end{{aligned}}" for r in rows]
