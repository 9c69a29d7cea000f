"""Heavy optional-at-start-up modules, imported on first use.

``from semialg.core.lazy import sympy`` gives a stand-in whose first attribute access imports sympy (about
0.4-0.7 s, more than numpy and flint together), so that ``import semialg`` and ``semialg --help`` do not pay
for it; every later access is a dictionary look-up in :data:`sys.modules`.

>>> from semialg.core.lazy import sympy
>>> sympy.Rational(1, 2) + sympy.Rational(1, 3)
5/6
"""

from __future__ import annotations

import importlib

__all__ = ["LazyModule", "sympy"]


class LazyModule:
    """A module imported when one of its attributes is first read."""

    __slots__ = ("_name",)

    def __init__(self, name: str):
        object.__setattr__(self, "_name", name)

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self._name), attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


sympy = LazyModule("sympy")
