"""The roles of a combinatorial type of a shallow fibre, checked against the index of types.

A type of width $n$ over $N$ kink hyperplanes (:class:`~semialg.families.shallow.typed.TypeIndex`) gives each of the
$n$ slots one role: ``("K", h, s)`` with $0 \\le h < N$ and $s = \\pm 1$, ``("P", g, s)`` with the phantom groups
numbered in order of appearance, the first slot of each oriented $+1$ and every group of at least two slots,
``("D",)``, ``("C+",)`` or ``("C-",)``; and every kink hyperplane carries a slot. A tuple breaking one of these
rules is no type: its "dimension" would be a number for a set that is not a component of the fibre.

>>> role_error((("K", 0, 1), ("D",)), 2, 1) is None
True
>>> role_error((("K", 0, 1), ("P", 0, 1)), 2, 1)
'phantom group 0 has a single slot'
"""

from __future__ import annotations

from typing import Sequence

__all__ = ["role_error"]

_PLAIN = (("D",), ("C+",), ("C-",))


def role_error(roles: Sequence, n: int, N: int) -> str | None:
    """Why ``roles`` is not a type of width ``n`` over ``N`` kink hyperplanes (one line), or ``None`` when it is.
    Cost: $O(n + N)$."""
    if not isinstance(roles, (tuple, list)) or len(roles) != n:
        return f"expected a tuple of {n} roles, got {roles!r}"[:200]
    sizes: list[int] = []
    covered = set()
    for i, role in enumerate(roles):
        if role in _PLAIN:
            continue
        if (not isinstance(role, tuple) or len(role) != 3 or role[0] not in ("K", "P") or type(role[1]) is not int
                or role[1] < 0 or role[2] not in (1, -1)):
            return f"slot {i}: unknown role {role!r}"[:200]
        kind, g, s = role
        if kind == "K":
            if g >= N:
                return f"slot {i}: kink hyperplane {g}, but there are {N}"
            covered.add(g)
        elif g > len(sizes):
            return f"slot {i}: phantom group {g} before group {len(sizes)} (groups are numbered in order of appearance)"
        elif g == len(sizes):
            if s != 1:
                return f"slot {i}: the first slot of phantom group {g} must be oriented +1"
            sizes.append(1)
        else:
            sizes[g] += 1
    if len(covered) < N:
        return f"kink hyperplane {min(set(range(N)) - covered)} carries no slot"
    lone = [g for g, size in enumerate(sizes) if size < 2]
    return f"phantom group {lone[0]} has a single slot" if lone else None
