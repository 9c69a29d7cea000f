r"""The LaTeX of stabilizers: $\mathrm{Stab}(\theta)$ as a product of symmetric groups and a torus (one hidden
layer, the paper's Theorem 2) or as a finite group of stated order times a torus (any depth); and of the move
certificates relating two parameters, one move per line.

>>> from semialg.core.network import Network
>>> from semialg.families.deep.stabilizer import stabilizer
>>> to_latex(stabilizer(Network.from_arrays([[[1], [1]], [[1, 1]], [[1]]], [[0, 0], [0], [0]])))
'\\mathrm{Stab}(\\theta) \\cong \\Gamma,\\ |\\Gamma| = 2'
"""

from __future__ import annotations

from semialg.core.result import latex_escape as text, render_latex as to_latex
from semialg.families.bottleneck import BottleneckMoveCertificate
from semialg.families.deep.stabilizer import DeepStabilizer
from semialg.families.shallow import MoveCertificate, Stabilizer

__all__: list[str] = []


def _torus(d: int) -> str:
    return f"\\mathbb{{R}}_{{>0}}^{{{d}}}"


@to_latex.register
def _(S: Stabilizer, **options) -> str:
    parts = [f"S_{{{len(C)}}}" for C in S.classes]
    if S.zero_neurons:
        z = len(S.zero_neurons)
        parts.append(f"(S_{{{z}}} \\ltimes {_torus(z)})")
    return "\\mathrm{Stab}(\\theta) \\cong " + (" \\times ".join(parts) if parts else "\\{e\\}")


@to_latex.register
def _(S: DeepStabilizer, **options) -> str:
    if S.is_trivial:
        return "\\mathrm{Stab}(\\theta) = \\{e\\}"
    if S.order_of_finite_part == 1:
        return f"\\mathrm{{Stab}}(\\theta) \\cong {_torus(S.dimension)}"
    group = "\\Gamma" if not S.dimension else f"\\Gamma \\ltimes {_torus(S.dimension)}"
    return f"\\mathrm{{Stab}}(\\theta) \\cong {group},\\ |\\Gamma| = {S.order_of_finite_part}"


def _chain(moves, limit: int) -> str:
    """The moves of a certificate, one per line of an ``aligned`` block, the first ``limit`` of them."""
    shown = [f"\\text{{{text(mv.describe())}}}" for mv in moves[:limit]]
    if len(moves) > limit:
        shown.append(f"\\text{{and {len(moves) - limit} more moves}}")
    return " \\\\ &\\quad ".join(shown) or "\\text{(no move)}"


@to_latex.register
def _(c: BottleneckMoveCertificate, limit: int = 8, **options) -> str:
    return (f"\\begin{{aligned}} \\theta_1 &: {_chain(c.moves1, limit)} \\\\ \\theta_2 &: {_chain(c.moves2, limit)} "
            f"\\\\ &g\\cdot r_1 = r_2,\\ \\text{{mechanisms: {text(', '.join(c.mechanisms()))}}} \\end{{aligned}}")


@to_latex.register
def _(c: MoveCertificate, limit: int = 8, **options) -> str:
    mechanisms = ", ".join(c.mechanisms()).replace("M3/M4", "M3--M4") or "none"
    return (f"\\begin{{aligned}} \\theta_1 &\\to r_1: {_chain(c.moves1, limit)} \\\\ "
            f"\\theta_2 &\\to r_2: {_chain(c.moves2, limit)} \\\\ &r_1 \\sim_G r_2\\ \\text{{(equal up to the order and "
            f"positive scaling of neurons)}} \\\\ &\\text{{mechanisms: {text(mechanisms)}}} \\end{{aligned}}")
