"""Benchmark: a survey serially and on a local Dask cluster of two workers, cases sent one per task (the naive
way) and in chunks (what ``semialg.ui.survey.run`` does). CPU is counted over this process and every worker
process (psutil), once the workers have imported semialg; the records of every run must agree.

    python benchmarks/bench_survey.py
    python benchmarks/bench_survey.py --quick
"""

from __future__ import annotations

import time

import psutil

from common import main as bench_main
from semialg import Architecture
from semialg.ui import survey


def _cpu() -> float:
    me = psutil.Process()
    total = 0.0
    for p in [me] + me.children(recursive=True):
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def _measure(f):
    t, c = time.perf_counter(), _cpu()
    out = f()
    return out, time.perf_counter() - t, _cpu() - c


def _one_per_task(client, spec):
    futures = [client.submit(survey.analyse, c, pure=False) for c in spec.cases()]
    return [f.result() for f in futures]


def run(samples=(100, 300)):
    rows = []
    with survey.backend("local", workers=2) as client:
        client.run(__import__, "semialg.ui.survey")
        for n in samples:
            spec = survey.SurveySpec.of([Architecture(2, 3, 1), Architecture(2, 4, 1), Architecture(1, 3, 2)],
                                        samples=n, seed=0)
            chunked, tc, cc = _measure(lambda: survey.run(spec, client))
            serial, ts, cs = _measure(lambda: survey.run(spec, "serial"))
            time.sleep(1)  # let the scheduler forget the previous tasks before the next measurement
            naive, tn, cn = _measure(lambda: _one_per_task(client, spec))
            time.sleep(1)
            key = lambda records: sorted((r["key"], r["status"]) for r in records)  # noqa: E731
            assert key(serial) == key(naive) == key(chunked)
            rows.append({"cases": len(spec.cases()), "serial_s": ts, "serial_cpu": cs, "naive_s": tn,
                         "naive_cpu": cn, "chunked_s": tc, "chunked_cpu": cc})
    return rows


def table(rows) -> str:
    out = [f"{'cases':>6s} {'serial s':>9s} {'one-per-task s':>15s} {'chunked s':>10s} {'speed-up':>9s} "
           f"{'CPU one-per-task/serial':>24s} {'CPU chunked/serial':>19s}"]
    for r in rows:
        out.append(f"{r['cases']:6d} {r['serial_s']:9.2f} {r['naive_s']:15.2f} {r['chunked_s']:10.2f} "
                   f"{r['serial_s'] / r['chunked_s']:8.2f}x {r['naive_cpu'] / r['serial_cpu']:23.2f}x "
                   f"{r['chunked_cpu'] / r['serial_cpu']:18.2f}x")
    return "\n".join(out)


if __name__ == "__main__":
    bench_main(__doc__, run, table, {"samples": (20,)}, "survey")
