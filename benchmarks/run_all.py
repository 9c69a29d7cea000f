"""Run every benchmark, print each table as soon as it finishes, and write all rows to one JSON file.

Each benchmark compares semialg with the naive or peer method (pairwise matching, all 2x2 minors with sympy,
sympy ranks, the 2^N pattern test, the region oracle, an SMT encoding with z3) in the same run.

    python benchmarks/run_all.py                   # full sizes (under 10 minutes on 2 cores), benchmarks.json
    python benchmarks/run_all.py --quick           # smoke sizes (seconds)
    python benchmarks/run_all.py --only rank,smt   # a subset
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the benchmarks import their shared helpers from common.py
NAMES = ("startup", "reading", "genericity", "pl", "rank", "equivalence", "bottleneck", "bottleneck_local", "smt",
         "survey", "feasibility", "constant_lines")


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"bench_{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run(names=NAMES, quick: bool = False, show=None) -> dict:
    """Run the benchmarks in turn; ``show(text)`` receives each table as soon as its benchmark finishes."""
    out = {"python": sys.version.split()[0], "machine": platform.machine(), "quick": quick, "benchmarks": {}}
    for name in names:
        mod = load(name)
        t = time.perf_counter()
        rows = mod.run(**(mod.QUICK if quick else {}))
        bench = {"rows": rows, "table": mod.table(rows), "seconds": time.perf_counter() - t}
        out["benchmarks"][name] = bench
        if show is not None:
            show(f"\n== {name} ({bench['seconds']:.1f} s) ==\n{bench['table']}")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smoke sizes only")
    ap.add_argument("--only", help=f"comma-separated subset of {','.join(NAMES)}")
    ap.add_argument("--out", default="benchmarks.json")
    args = ap.parse_args()
    names = tuple(args.only.split(",")) if args.only else NAMES
    unknown = set(names) - set(NAMES)
    if unknown:
        ap.error(f"unknown benchmark(s) {sorted(unknown)}; choose from {NAMES}")
    result = run(names, args.quick, show=lambda text: print(text, flush=True))
    from semialg.ui.io import write_json
    write_json(result, args.out)
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
