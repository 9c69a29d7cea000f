"""Benchmark: start-up time of the command line against a bare ``import numpy`` (the floor) and an eager import
of sympy, cvxpy and scipy (what every call used to pay), each the best of several fresh interpreters, measured
in the same run. Asserts that ``--help`` and ``--version`` import none of sympy, cvxpy, scipy or matplotlib.

    python benchmarks/bench_startup.py            # best of 3
    python benchmarks/bench_startup.py --quick    # best of 2
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from common import main as bench_main

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("sympy", "cvxpy", "scipy", "matplotlib")
CASES = {
    "import numpy (floor)": "import numpy",
    "semialg --version": "import sys; sys.argv = ['semialg', '--version']; from semialg.ui.cli import main; main()",
    "semialg --help": "import sys; sys.argv = ['semialg', '--help']; from semialg.ui.cli import main; main()",
    "import semialg": "import semialg",
    "import sympy, cvxpy, scipy (peer)": "import numpy, sympy, cvxpy, scipy.optimize",
}


def best_of(code: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - t)
    return best


def heavy_modules(code: str) -> list[str]:
    probe = (f"import sys\ntry:\n    exec({code!r})\nexcept SystemExit:\n    pass\n"
             f"print('loaded:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return [m for m in out.stdout.rsplit("loaded:", 1)[1].strip().split(",") if m]


def run(repeat: int = 3):
    for case in ("semialg --version", "semialg --help"):
        assert heavy_modules(CASES[case]) == [], (case, heavy_modules(CASES[case]))
    return [{"case": name, "seconds": best_of(code, repeat)} for name, code in CASES.items()]


QUICK = dict(repeat=2)


def table(rows) -> str:
    floor = rows[0]["seconds"]
    out = [f"{'case':36s} {'best s':>8s} {'/ numpy':>8s}"]
    out += [f"{r['case']:36s} {r['seconds']:8.3f} {r['seconds'] / floor:7.1f}x" for r in rows]
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "startup")


if __name__ == "__main__":
    main()
