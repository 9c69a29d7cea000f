"""The mixin that gives every value object ``to_latex()`` and Jupyter's ``_repr_latex_``.

Typesetting itself lives in :mod:`semialg.ui.latex`; it is imported lazily so that the mathematical
modules never depend on the presentation layer.
"""

from __future__ import annotations


class Latexable:
    """Objects that :func:`semialg.ui.latex.to_latex` knows how to typeset."""

    __slots__ = ()

    def to_latex(self, **options) -> str:
        """LaTeX source for this object (math mode content, no surrounding ``$``)."""
        from semialg.ui.latex import to_latex
        return to_latex(self, **options)

    def _repr_latex_(self) -> str:
        return "$\\displaystyle " + self.to_latex() + "$"
