r"""Fourier–Motzkin elimination with equations, strict and non-strict inequalities, exact over $\mathbb{Q}$: the
projection of a small polyhedron onto one coordinate, and a point of it.

A *row* ``(c, r, kind)`` is $c\cdot x < r$ (``kind`` ``"<"``), $c\cdot x \le r$ (``"<="``) or $c\cdot x = r$
(``"="``). A variable is eliminated by substitution from an equation that has it, else by pairing every
inequality with $c_j > 0$ with every one with $c_j < 0$ (their positive combination without $x_j$, strict when
either is): the result holds exactly on the projection of the set (Fourier–Motzkin; with strict rows as in
Schrijver, *Theory of Linear and Integer Programming*, §12.2). Rows are kept scaled and only the tightest of each
direction. Cost: doubly exponential in the number of inequality-eliminated variables in the worst case, so meant
for a handful of them.

>>> rows = [((1, -1), 0, "<"), ((-1, 0), 0, "<="), ((0, 1), 1, "<=")]      # 0 <= x < y <= 1
>>> project(rows, 2, 0), project(rows, 2, 1)
((0, 1, True, False), (0, 1, False, True))
>>> project(rows + [((1, 1), 1, "=")], 2, 0)                               # and x + y = 1
(0, 1/2, True, False)
>>> point(rows, 2, lambda lo, hi, clo, chi: lo if clo else hi if chi else (lo + hi) / 2)
[0, 1]
"""

from __future__ import annotations

from flint import fmpq

__all__ = ["project", "point"]

_ZERO = fmpq(0)


def _scaled(c, r, kind) -> tuple | None:
    """The row with its first non-zero coefficient $\\pm 1$ (an equation: $+1$); ``None`` for a row without
    variables that holds; ``False`` for one that fails."""
    c, r = tuple(x if type(x) is fmpq else fmpq(x) for x in c), fmpq(r)
    lead = next((x for x in c if x != 0), None)
    if lead is None:
        holds = r == 0 if kind == "=" else r > 0 if kind == "<" else r >= 0
        return None if holds else False
    f = 1 / (lead if kind == "=" else abs(lead))
    return tuple(x * f for x in c), r * f, kind


def _reduce(rows) -> list | None:
    """Scaled rows, one per direction and kind (the tightest; a strict one wins a tie), ``None`` when a row
    without variables fails or two equations of one direction disagree."""
    best: dict = {}
    for row in rows:
        row = _scaled(*row)
        if row is False:
            return None
        if row is None:
            continue
        c, r, kind = row
        key = (tuple((x.p, x.q) for x in c), kind == "=")      # fmpq hashes through Python: slow
        old = best.get(key)
        if kind == "=":
            if old is not None and old[1] != r:
                return None
            best[key] = row
        elif old is None or r < old[1] or r == old[1] and kind == "<":
            best[key] = row
    return list(best.values())


def _eliminate(rows: list, j: int) -> list | None:
    eq = next((row for row in rows if row[2] == "=" and row[0][j] != 0), None)
    if eq is not None:               # substitute x_j from the equation
        ce, re, _ = eq
        out = []
        for row in rows:
            c, r, kind = row
            if row is not eq:
                f = c[j] / ce[j]
                out.append((tuple(x - f * y for x, y in zip(c, ce, strict=True)), r - f * re, kind) if f else row)
        return _reduce(out)
    keep = [row for row in rows if row[0][j] == 0]
    up = [row for row in rows if row[0][j] > 0]
    down = [row for row in rows if row[0][j] < 0]
    for cu, ru, ku in up:
        for cd, rd, kd in down:
            a, b = -cd[j], cu[j]
            keep.append((tuple(a * x + b * y for x, y in zip(cu, cd, strict=True)), a * ru + b * rd,
                         "<" if "<" in (ku, kd) else "<="))
    return _reduce(keep)


def project(rows, n: int, k: int):
    """The projection onto $x_k$ of $\\{x \\in \\mathbb{Q}^n : \\text{rows}\\}$ as ``(lo, hi, lo closed, hi
    closed)`` (``None`` for an infinite end), or ``None`` when the set is empty."""
    rows = _reduce(rows)
    for j in range(n):
        if rows is None:
            return None
        if j != k:
            rows = _eliminate(rows, j)
    if rows is None:
        return None
    lo = hi = None
    clo = chi = False
    for c, r, kind in rows:
        a = c[k]                   # +-1 after scaling (+1 for an equation)
        v = r / a
        if kind == "=":
            rows_lo, rows_hi = (v, True), (v, True)
        else:
            rows_lo, rows_hi = ((v, kind == "<="), None) if a < 0 else (None, (v, kind == "<="))
        if rows_hi is not None and (hi is None or rows_hi[0] < hi or rows_hi[0] == hi and not rows_hi[1]):
            hi, chi = rows_hi
        if rows_lo is not None and (lo is None or rows_lo[0] > lo or rows_lo[0] == lo and not rows_lo[1]):
            lo, clo = rows_lo
    if lo is not None and hi is not None and (lo > hi or lo == hi and not (clo and chi)):
        return None
    return lo, hi, clo, chi


def point(rows, n: int, pick) -> list | None:
    """A point of $\\{x \\in \\mathbb{Q}^n : \\text{rows}\\}$, ``None`` when it is empty: each coordinate in turn
    chosen by ``pick(lo, hi, lo closed, hi closed)`` inside the projection of what is left (which is never empty
    once the set is not; a single value is taken as it is), the rows then restricted to it."""
    rows = list(rows)
    out = []
    for k in range(n):
        interval = project(rows, n, k)
        if interval is None:
            return None
        lo, hi, clo, chi = interval
        v = lo if lo is not None and lo == hi else fmpq(pick(lo, hi, clo, chi))
        out.append(v)
        rows.append((tuple(int(j == k) for j in range(n)), v, "="))
    return out
