"""What every benchmark script shares: a timer and the command line (``--quick`` for smoke sizes, ``--out``
for the JSON rows)."""

from __future__ import annotations

import argparse
import json
import time


def timed(f, *args, **kw):
    """``(f(*args, **kw), seconds)``."""
    t = time.perf_counter()
    out = f(*args, **kw)
    return out, time.perf_counter() - t


def seconds(v: float | None, width: int = 8) -> str:
    """A time in a cell of ``width`` characters, ``-`` when it was not measured."""
    return f"{v:{width}.2f}" if v is not None else f"{'-':>{width}s}"


def ratio(v: float | None, w: float, width: int = 10) -> str:
    """``v / w`` as ``12.3x`` in a cell of ``width`` characters, ``-`` when ``v`` was not measured."""
    return f"{v / w:{width - 1}.1f}x" if v is not None else f"{'-':>{width}s}"


def columns(rows, width: int) -> str:
    """The rows (dicts with the same keys) as right-aligned columns of ``width`` characters, a header first."""
    cols = list(rows[0])
    lines = ["  ".join(f"{c:>{width}}" for c in cols)]
    lines += ["  ".join(f"{str(row[c]):>{width}}" for c in cols) for row in rows]
    return "\n".join(lines)


def main(doc: str, run, table, quick: dict, name: str) -> None:
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smoke sizes only")
    ap.add_argument("--out", default=f"bench_{name}.json", help="where to write the rows as JSON")
    args = ap.parse_args()
    rows = run(**(quick if args.quick else {}))
    print(table(rows))
    with open(args.out, "w") as f:
        json.dump(rows, f, indent=1)
