"""The contract every public result object honours: LaTeX, Jupyter rendering, words and JSON.

:class:`Result` (alias :class:`Latexable`) gives ``to_latex()``, ``_repr_latex_()``, ``describe()`` and
``to_json()``. Typesetting is the business of the presentation layer: :mod:`semialg.ui.latex` registers one
formatter per class with :func:`render_latex` (a :func:`functools.singledispatch` function that lives here so
that the mathematical layers never import the presentation layer); a class without a registered formatter is
typeset as the text of its ``describe()``, so rendering never fails.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Answer(Result):
...     value: int
...     def describe(self) -> str:
...         return f"the answer is {self.value}"
>>> Answer(42).to_json()
{'type': 'Answer', 'value': 42}
>>> Answer(42).to_latex()
'\\\\text{the answer is 42}'
"""

from __future__ import annotations

import dataclasses
import enum
import html
from fractions import Fraction
from functools import singledispatch

from semialg.core.exact import int_str, printable_ints
from semialg.errors import ParameterError

__all__ = ["Result", "Latexable", "render_latex", "jsonable", "latex_escape"]

_TEXT_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "_": r"\_", "^": r"\^{}",
                 "#": r"\#", "%": r"\%", "&": r"\&", "$": r"\$", "~": r"\~{}"}


def latex_escape(s: str) -> str:
    """Plain text escaped for ``\\text{...}``."""
    return "".join(_TEXT_ESCAPES.get(ch, ch) for ch in s)


@singledispatch
def render_latex(obj, **options) -> str:
    """LaTeX (math-mode content, no surrounding ``$``) of ``obj``; formatters register per class."""
    if isinstance(obj, Result):
        return "\\text{" + latex_escape(obj.describe()) + "}"
    raise ParameterError(f"no LaTeX form for an object of type {type(obj).__name__}")


def jsonable(x):
    """``x`` as plain JSON data: rationals as exact ``"p/q"`` strings, results through their ``to_json``.

    Cost: linear in the size of ``x``.
    """
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, int):  # beyond what json.dumps prints: the exact decimal string
        return x if x.bit_length() <= 14_000 else int_str(x)
    if hasattr(x, "to_json") and not isinstance(x, type):
        return x.to_json()
    if isinstance(x, enum.Enum):
        return x.value
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, frozenset, set)):
        items = sorted(x, key=repr) if isinstance(x, (set, frozenset)) else x
        return [jsonable(v) for v in items]
    if isinstance(x, float):
        return x
    if hasattr(x, "p") and hasattr(x, "q") or isinstance(x, Fraction):
        return str(x)
    return str(x)


class Result:
    """Mixin for value objects: ``to_latex``, ``_repr_latex_``, ``describe`` and ``to_json``.

    Subclasses are (usually frozen) dataclasses; they override ``describe`` with a sentence and may
    override ``to_json`` when the field-by-field default is not what a machine wants.
    """

    __slots__ = ()

    def to_latex(self, **options) -> str:
        """LaTeX source for this object (math-mode content, no surrounding ``$``); exact numbers of any length."""
        with printable_ints():
            return render_latex(self, **options)

    def _repr_latex_(self) -> str | None:
        """Jupyter: the LaTeX of a small object; ``None`` for a large one (its summary is the HTML)."""
        return None if _large(self) else "$\\displaystyle " + self.to_latex() + "$"

    def _repr_html_(self) -> str | None:
        """Jupyter: ``None`` for a small object (rendered as LaTeX); a short summary for a large one."""
        if not _large(self):
            return None
        return (f"<div><b>{html.escape(type(self).__name__)}</b>: {html.escape(_summary(self))}<br><small>too "
                f"large to typeset here; write it with <code>semialg.document(obj)</code> to a .tex file, or "
                f"use <code>obj.to_json()</code></small></div>")

    def _repr_pretty_(self, p, cycle) -> None:
        """IPython's plain text: the repr, or a one-line summary for a large object."""
        p.text(f"<{type(self).__name__}: {_summary(self)}>" if _large(self) else repr(self))

    def describe(self) -> str:
        """This object in words (one line)."""
        with printable_ints():
            return repr(self)

    def to_json(self) -> dict:
        """Plain JSON data (exact rationals as strings): the type name and every field."""
        out = {"type": type(self).__name__}
        if dataclasses.is_dataclass(self):
            for f in dataclasses.fields(self):
                if f.repr:
                    out[f.name] = jsonable(getattr(self, f.name))
        return out


Latexable = Result

#: Objects whose repr is longer than this, or elides entries (``, ...``: a large network's, whose full repr is not
#: built), are shown in notebooks as a short summary, not typeset.
DISPLAY_LIMIT = 5000


def _large(obj) -> bool:
    with printable_ints():
        text = repr(obj)
    return len(text) > DISPLAY_LIMIT or ", ..." in text


def _summary(obj) -> str:
    text = " ".join(obj.describe().split())
    return text if len(text) <= 300 else text[:300] + " …"
