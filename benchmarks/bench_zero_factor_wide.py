r"""Benchmark: the 0-factor condition of inner networks with more neurons than inputs (the first two layers of
784-n-1-10 bottlenecks from float32 weights, $n > 784$): no non-empty $S$ with $\sum_{i \in S} v_iw_i = 0$.

Ours is :func:`semialg.geometry.zero_sum.find_zero_sum_set`: the $0/1$ points of the kernel modulo a prime, then
Gordan's alternative. The naive method is the first stage it had before (session 42): the exact kernel over
$\mathbb{Q}$ of the $784 \times n$ matrix, from which the components, LPs and LLL went on; it runs in a child process
stopped at ``cap`` seconds. The floor is the rank modulo the same prime of that matrix, which any decision needs.

    python benchmarks/bench_zero_factor_wide.py
    python benchmarks/bench_zero_factor_wide.py --quick

Measured (session 42, 2-core machine shared with another job, seconds; the naive kernel stopped at 120 s):

    inner      deps  status      ours  floor  ours/floor  naive kernel  naive/ours
    784-800      16  none        0.99   0.62        1.6x         > 120      > 121x
    784-1024    240  none       10.14   0.90       11.3x         > 120       > 12x
    784-2048   1264  undecided  10.73   3.78        2.8x         > 120       > 11x
    784-4096   3312  undecided  19.77   4.19        4.7x         > 120        > 6x

Before, ``sa.genericity`` of the 784-800-1-10 and 784-4096-1-10 bottlenecks did not answer within 10 minutes
(5 GB at 784-4096). At $n \ge 2 \cdot 784$ the vectors no longer lie in a half-space (Wendel) and a $0/1$ point of a
kernel of dimension $n - 784$ is a subset-sum problem: "undecided", saying so, is the honest answer there.
"""

from __future__ import annotations

import multiprocessing as mp
import time

import numpy as np

from common import main as bench_main, timed
from semialg.core.exact import PRIME, modular_rank, nullspace
from semialg.geometry.zero_sum import find_zero_sum_set


def inner_vectors(m: int, n: int, seed: int = 0):
    """The flip terms $v_iw_i$ of the first two layers of a random m-n-1 bottleneck from float32 weights."""
    from fractions import Fraction

    from flint import fmpq
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((n, m)).astype(np.float32) / np.sqrt(m)
    v = rng.standard_normal(n).astype(np.float32) / np.sqrt(n)
    exact = lambda x: fmpq(*Fraction(float(x)).as_integer_ratio())    # noqa: E731
    return [tuple(exact(v[i]) * exact(x) for x in W[i]) for i in range(n)]


def _naive(m: int, n: int, seed: int, out) -> None:
    vectors = inner_vectors(m, n, seed)
    start = time.perf_counter()
    nullspace([[vectors[i][r] for i in range(n)] for r in range(m)])
    out.send(time.perf_counter() - start)


def naive_seconds(m: int, n: int, seed: int, cap: float) -> float | None:
    """Seconds of the exact kernel (timed in a child process, from its matrix on), or ``None`` when the child is
    stopped ``cap`` seconds after it started."""
    ctx = mp.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_naive, args=(m, n, seed, send))
    child.start()
    child.join(cap)
    if child.is_alive():
        child.kill()
        child.join()
        return None
    return receive.recv() if receive.poll() else None


def run(sizes=((784, 800), (784, 1024), (784, 2048), (784, 4096)), cap=120.0):
    rows = []
    print(f"{'inner':9s} {'deps':>5s}  {'status':9s} {'ours':>6s} {'floor':>6s} {'ours/floor':>11s} "
          f"{'naive kernel':>13s} {'naive/ours':>11s}", flush=True)
    for m, n in sizes:
        vectors = inner_vectors(m, n)
        decision, ours = timed(find_zero_sum_set, vectors)
        rank, floor = timed(modular_rank, vectors, PRIME)
        naive = naive_seconds(m, n, 0, cap)
        row = {"inner": f"{m}-{n}", "dependencies": n - rank, "status": decision.status, "ours_s": ours,
               "floor_s": floor, "naive_s": naive, "naive_cap_s": cap}
        rows.append(row)
        naive_cell = f"{naive:13.2f}" if naive is not None else f"{'> ' + format(cap, '.0f'):>13s}"
        ratio_cell = f"{(naive if naive is not None else cap) / ours:10.0f}x"
        print(f"{row['inner']:9s} {n - rank:5d}  {decision.status:9s} {ours:6.2f} {floor:6.2f} {ours / floor:10.1f}x "
              f"{naive_cell} {('> ' if naive is None else '') + ratio_cell.strip():>11s}", flush=True)
    return rows


QUICK = dict(sizes=((60, 70), (60, 90)), cap=20.0)


def table(rows) -> str:
    return f"{len(rows)} sizes (each row printed as it finished)"


def main():
    bench_main(__doc__, run, table, QUICK, "zero_factor_wide")


if __name__ == "__main__":
    main()
