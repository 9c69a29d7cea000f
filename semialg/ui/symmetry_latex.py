r"""The LaTeX of stabilizers: $\mathrm{Stab}(\theta)$ as a product of symmetric groups and a torus (one hidden
layer, the paper's Theorem 2) or as a finite group of stated order times a torus (any depth).

>>> from semialg.core.network import Network
>>> from semialg.families.deep.stabilizer import stabilizer
>>> to_latex(stabilizer(Network.from_arrays([[[1], [1]], [[1, 1]], [[1]]], [[0, 0], [0], [0]])))
'\\mathrm{Stab}(\\theta) \\cong \\Gamma,\\ |\\Gamma| = 2'
"""

from __future__ import annotations

from semialg.core.result import render_latex as to_latex
from semialg.families.deep.stabilizer import DeepStabilizer
from semialg.families.shallow import Stabilizer

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
