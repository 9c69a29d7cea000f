"""Write docs/api.md from the docstrings of semialg's public API (standard library only).

    python docs/build_api.py        # not needed to use the package
"""

from __future__ import annotations

import inspect
from pathlib import Path

import semialg


def render() -> str:
    out = ["# API reference", "", "Generated from the docstrings by `docs/build_api.py`.", ""]
    for name in sorted(semialg.__all__):
        obj = getattr(semialg, name)
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        try:
            sig = str(inspect.signature(obj))
        except (TypeError, ValueError):
            sig = ""
        out += [f"## `{name}{sig}`", "", f"*{obj.__module__}*", "", inspect.getdoc(obj) or "", ""]
    return "\n".join(out)


if __name__ == "__main__":
    from semialg.ui.io import write_text
    write_text(Path(__file__).with_name("api.md"), render())
