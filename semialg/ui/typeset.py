"""Page layout for LaTeX output: estimated widths of math-mode material, and names for fixed numbers.

TeX cannot break a display or a matrix; :mod:`semialg.ui.latex` uses these estimates to wrap matrices and
break long rows before TeX has to. The estimates err on the wide side (digits 5.2 pt, binary operators
with their spacing 11 pt, fractions by their wider part, sub- and superscripts at 72 %).

>>> width("x_{1} + 2") < width(r"\\frac{2109403}{16777216} x_{1} + 2") < LINE_WIDTH
True
"""

from __future__ import annotations

from flint import fmpq

__all__ = ["LINE_WIDTH", "MAX_COLS", "MAX_ROWS", "width", "brace_group", "Constants", "vector_lines"]

#: The usable width of a display in the standard article class (its text width is 345 pt).
LINE_WIDTH = 330.0
#: amsmath's default limit on matrix columns (MaxMatrixCols): wrapped blocks never exceed it.
MAX_COLS = 10
#: Rows of a matrix block, so that a block fits on a page.
MAX_ROWS = 30
_SYMBOL_WIDTH = {"sigma": 6, "theta": 5, "lambda": 6, "pi": 6, "mu": 6, "cdot": 6, "times": 12, "le": 12,
                 "ge": 12, "neq": 12, "ne": 12, "in": 10, "quad": 10, "qquad": 20, ",": 3, " ": 3.5, "!": -2,
                 "checkmark": 8, "cdots": 14, "ldots": 14, "vdots": 5, "bigcup": 14}
_STRUCTURAL = ("begin", "end", "left", "right", "big", "Big", "bigl", "bigr", "displaystyle", "mathrm",
               "mathbb", "mathcal", "operatorname", "allowbreak")


def brace_group(tex: str, i: int) -> tuple[str, int]:
    """The brace group starting at ``tex[i] == "{"`` and the index after it."""
    depth, j = 0, i
    while j < len(tex):
        depth += (tex[j] == "{") - (tex[j] == "}")
        j += 1
        if depth == 0:
            break
    return tex[i + 1:j - 1], j


def width(tex: str, frac: float = 1.0) -> float:
    """An estimate (in pt, erring on the wide side) of the width of math-mode ``tex`` in a display.

    ``frac`` scales the numerators and denominators of ``\\frac`` (1 in display style, 0.75 inside matrices,
    where fractions are set in text style). Cost: linear in ``len(tex)``.

    >>> width("x_{1} + 2") < width(r"\\frac{2109403}{16777216} x_{1} + 2") < LINE_WIDTH
    True
    """
    w, i = 0.0, 0
    while i < len(tex):
        ch = tex[i]
        if ch == "\\":
            j = i + 1
            while j < len(tex) and tex[j].isalpha():
                j += 1
            name = tex[i + 1:j] or tex[j:j + 1]
            j = max(j, i + 2)
            if name in ("frac", "dfrac", "tfrac"):
                a, j = brace_group(tex, j)
                b, j = brace_group(tex, j)
                scale = 0.75 if name == "tfrac" else frac
                w += max(width(a, frac), width(b, frac)) * scale + 2
            elif name == "text":
                a, j = brace_group(tex, j)
                w += 5.0 * len(a)
            elif name in ("begin", "end"):
                _, j = brace_group(tex, j)
            elif name not in _STRUCTURAL:
                w += _SYMBOL_WIDTH.get(name, 7)
            i = j
        elif ch in "_^":
            if tex[i + 1:i + 2] == "{":
                a, j = brace_group(tex, i + 1)
            else:
                a, j = tex[i + 1:i + 2], i + 2
            w += 0.72 * width(a, frac)
            i = j
        else:
            w += 11.0 if ch in "+-=<>" else 3.9 if ch in ",;()[]|" else 0 if ch in "{} &" else 5.2
            i += 1
    return w


class Constants:
    """Names $c_1, c_2, \\dots$ for the fixed numbers of a text about structure (each value named once)."""

    def __init__(self):
        self.values: dict[fmpq, int] = {}

    def name(self, q: fmpq) -> str:
        return f"c_{{{self.values.setdefault(q, len(self.values) + 1)}}}"


def vector_lines(entries: list[str], budget: float | None = None) -> list[str]:
    """The typeset ``entries`` as a vector $\\bigl(e_1,\\ \\dots,\\ e_k\\bigr)$ broken into lines of at most ``budget``
    pt by estimate (``None``: one line); later lines start with a quad.

    >>> vector_lines(["x", "y"])
    ['\\\\bigl(x,\\\\ y\\\\bigr)']
    """
    lines, line, used = [], "\\bigl(", 10.0
    for k, e in enumerate(entries):
        piece = e + (",\\ " if k + 1 < len(entries) else "\\bigr)")
        if budget is not None and line != "\\bigl(" and used + width(piece) > budget - 20:
            lines.append(line)
            line, used = "\\quad ", 10.0
        line, used = line + piece, used + width(piece)
    return lines + [line]
