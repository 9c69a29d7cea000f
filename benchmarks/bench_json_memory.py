"""Benchmark: time and peak memory of reading a network JSON, by the shape of its content.

JSON parsing makes a Python object per number (and per list or object), so the peak memory of ``semialg.load``
on a ``.json`` file is a multiple of the file size that depends on what the file holds. This measures, each in
a fresh process (peak resident set size from ``getrusage``, minus that of ``import semialg``), files of a given
size made of

* ``ints``: a 1 x n weight row of ``1`` (2 bytes per number);
* ``decimals``: ``0.1`` entries (4 bytes per number, each read exactly as 1/10);
* ``fractions``: ``"1/3"`` strings;
* ``rows of 0.1``: a column of ``[0.1]`` rows (a list and a number per 6 bytes; refused after parsing);
* ``empty rows``: ``[]`` rows (hostile: a list object per 3 bytes; refused after parsing);
* ``objects``: a top-level list of ``{}`` (hostile);

so that ``MAX_JSON_BYTES`` (``semialg.ui.io``) can be set to what a machine can afford, and it reports the
worst ratio found. Nothing here decides anything; the numbers go in docs/formats.md.

    python benchmarks/bench_json_memory.py              # 6 MB files, then the worst shape at the limit
    python benchmarks/bench_json_memory.py --quick      # 1 MB files
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

PRE = '{"format": "semialg.network/1", "layers": [{"weight": ['
POST = '], "bias": [0]}]}'
SHAPES = {
    "ints": lambda n: PRE + "[" + ",".join(["1"] * (n // 2)) + "]" + POST,
    "decimals": lambda n: PRE + "[" + ",".join(["0.1"] * (n // 4)) + "]" + POST,
    "fractions": lambda n: PRE + "[" + ",".join(['"1/3"'] * (n // 6)) + "]" + POST,
    "rows of 0.1": lambda n: PRE + ",".join(["[0.1]"] * (n // 6)) + POST,
    "empty rows": lambda n: PRE + ",".join(["[]"] * (n // 3)) + POST,
    "objects": lambda n: "[" + ",".join(["{}"] * (n // 3)) + "]",
}

_CHILD = """
import resource, sys, time
import semialg as sa
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
try:
    sa.load(sys.argv[1])
    outcome = "read"
except sa.ParameterError as e:
    outcome = "refused: " + str(e)[len(sys.argv[1]) + 2:][:60]
print(time.perf_counter() - t, base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, outcome)
"""


def measure(text: str) -> tuple[float, float, str]:
    """(seconds, peak MB above the import, outcome) of ``semialg.load`` on ``text`` in a fresh process."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "n.json")
        with open(path, "w") as fh:
            fh.write(text)
        out = subprocess.run([sys.executable, "-c", _CHILD, path], capture_output=True, text=True, check=True)
    seconds, base, peak, outcome = out.stdout.split(" ", 3)
    return float(seconds), (int(peak) - int(base)) / 1024, outcome.strip()


def main(quick: bool = False) -> None:
    from semialg.ui.io import MAX_JSON_BYTES
    size = 10 ** 6 if quick else 6 * 10 ** 6
    worst, worst_ratio = None, 0.0
    print(f"{'shape':12} {'MB':>6} {'seconds':>8} {'peak MB':>8} {'ratio':>6}  outcome")
    for name, make in SHAPES.items():
        text = make(size)
        seconds, peak, outcome = measure(text)
        ratio = peak / (len(text) / 1e6)
        print(f"{name:12} {len(text) / 1e6:6.1f} {seconds:8.2f} {peak:8.0f} {ratio:6.1f}  {outcome}")
        if ratio > worst_ratio:
            worst, worst_ratio = name, ratio
    if not quick:
        text = SHAPES[worst](MAX_JSON_BYTES - 100)
        seconds, peak, outcome = measure(text)
        print(f"{worst:12} {len(text) / 1e6:6.1f} {seconds:8.2f} {peak:8.0f} {peak / (len(text) / 1e6):6.1f}  "
              f"{outcome}  (at the limit MAX_JSON_BYTES)")
    start = time.perf_counter()
    seconds, peak, outcome = measure(SHAPES["ints"](MAX_JSON_BYTES + 10))
    print(f"just over the limit: {outcome} in {seconds:.3f} s ({time.perf_counter() - start:.1f} s with start-up)")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
