r"""Benchmark: the 0-factor condition of inner networks with more neurons than inputs (the first two layers of
784-n-1-10 bottlenecks from float32 weights, $n > 784$): no non-empty $S$ with $\sum_{i \in S} v_iw_i = 0$.

Ours is :func:`semialg.geometry.zero_sum.find_zero_sum_set`: peeling by 2-adic valuations with joins of ties of two
(session 47), then the $0/1$ points of the kernel modulo a prime and Gordan's alternative for the vectors not
peeled. "peel only" is the same function with the peeling of session 46 (no joins), "no valuations" without the
peeling (sessions 42-45). The naive method is the first stage it had before session 42: the
exact kernel over $\mathbb{Q}$ of the $784 \times n$ matrix, in a child process stopped at ``cap`` seconds (seed 0
only). The floor is the rank modulo the same prime, which any decision needs.

    python benchmarks/bench_zero_factor_wide.py
    python benchmarks/bench_zero_factor_wide.py --quick

Measured (session 47, 2-core machine otherwise idle, seconds; the naive kernel stopped at 60 s; "peeled" counts
the vectors the proof names, so 0 for an undecided answer, which carries no proof; the 784-4096 rows with joins
only once every coordinate is read, the others with joins after each block of coordinates):

    inner     seed  deps  status     peeled   ours  floor ours/floor  peel only         no valuations     naive kernel
    784-800      0    16  none          800   0.31   0.47       0.7x  none        0.28s  none        0.71s          > 60
    784-800      1    16  none          800   0.45   0.36       1.2x  none        0.28s  none        0.72s             -
    784-800      2    16  none          800   0.33   0.37       0.9x  none        0.29s  none        0.73s             -
    784-1024     0   240  none         1024   0.41   0.49       0.8x  none        0.41s  none        5.16s          > 60
    784-1024     1   240  none         1024   0.42   0.56       0.7x  none        0.37s  none        4.76s             -
    784-1024     2   240  none         1024   0.40   0.45       0.9x  none        0.38s  none        4.95s             -
    784-2048     0  1264  none         2048   1.50   1.69       0.9x  none        1.92s  undecided   3.99s          > 60
    784-2048     1  1264  none         2048   1.30   1.01       1.3x  none        1.15s  undecided   3.16s             -
    784-2048     2  1264  none         2048   1.86   1.03       1.8x  none        1.84s  undecided   3.40s             -
    784-3072     0  2288  none         3072   4.12   1.79       2.3x  none        3.54s  undecided   5.15s          > 60
    784-3072     1  2288  none         3072   3.14   1.55       2.0x  none        2.69s  undecided   4.97s             -
    784-3072     2  2288  none         3072   3.15   1.55       2.0x  none        2.74s  undecided   4.94s             -
    784-4096     0  3312  none         4096   5.02   2.40       2.1x  none        5.14s  undecided   6.48s          > 60
    784-4096     1  3312  none         4096   6.53   2.12       3.1x  undecided  16.05s  undecided   6.54s             -
    784-4096     2  3312  none         4096   5.13   2.12       2.4x  none        7.59s  undecided   6.45s             -

"factored" (session 49) is the same decision, with the same proof, on the flip terms as
:func:`semialg.engine.neurons.flip_terms` gives them, an
:class:`~semialg.geometry.valuation_peeling.OuterProducts`: the valuations come from those of the two factors and a
vector is multiplied out only where a class is joined; it needs no rank, so it runs below the "floor". Measured
(session 49, same machine; the naive kernel stopped at 1 s):

    inner     seed  deps  status     peeled   ours  floor ours/floor factored  peel only         no valuations
    784-1024     0   240  none         1024   0.71   0.94       0.8x     0.09  none        0.65s  none        6.32s
    784-1024     1   240  none         1024   0.36   0.55       0.7x     0.07  none        0.38s  none        6.78s
    784-1024     2   240  none         1024   0.69   0.72       0.9x     0.09  none        0.41s  none        6.16s
    784-2048     0  1264  none         2048   1.93   2.08       0.9x     0.29  none        2.55s  undecided   4.41s
    784-2048     1  1264  none         2048   2.13   1.59       1.3x     0.29  none        1.82s  undecided   5.20s
    784-2048     2  1264  none         2048   1.74   1.43       1.2x     0.22  none        1.81s  undecided   4.13s
    784-4096     0  3312  none         4096   9.38   4.44       2.1x     1.51  none        7.77s  undecided   8.68s
    784-4096     1  3312  none         4096   5.71   2.50       2.3x     1.77  undecided  15.17s  undecided   8.54s
    784-4096     2  3312  none         4096   6.24   3.82       1.6x     1.45  none        7.53s  undecided   9.58s

Session 42 measured the modular stages alone: 784-800 and 784-1024 decided ("none"), 784-2048 and 784-4096
undecided. At $n \ge 2 \cdot 784$ the vectors no longer lie in a half-space (Wendel) and a $0/1$ point of a kernel
of dimension $n - 784$ is a subset-sum problem; the valuations decide it when a vector has a 2-adically smallest
entry of its own often enough, which held for every seed up to $n = 3072$ and for two of three at $n = 4096$; with
joins of ties of two (session 47) for every seed at $n = 4096$.
"""

from __future__ import annotations

import multiprocessing as mp
import time

import numpy as np

from common import main as bench_main, timed
from semialg.core.exact import PRIME, modular_rank, nullspace
from semialg.core.rational_matrix import RationalMatrix
from semialg.geometry.valuation_peeling import OuterProducts, Peeling, peeling
from semialg.geometry.zero_sum import find_zero_sum_set


def _weights(m: int, n: int, seed: int):
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((n, m)).astype(np.float32) / np.sqrt(m)
    v = rng.standard_normal(n).astype(np.float32) / np.sqrt(n)
    return W, v


def inner_vectors(m: int, n: int, seed: int = 0):
    """The flip terms $v_iw_i$ of the first two layers of a random m-n-1 bottleneck from float32 weights."""
    from fractions import Fraction

    from flint import fmpq
    W, v = _weights(m, n, seed)
    exact = lambda x: fmpq(*Fraction(float(x)).as_integer_ratio())    # noqa: E731
    return [tuple(exact(v[i]) * exact(x) for x in W[i]) for i in range(n)]


def inner_products(m: int, n: int, seed: int = 0) -> OuterProducts:
    """The same flip terms as :func:`inner_vectors`, factored: how ``flip_terms`` gives them to the search."""
    W, v = _weights(m, n, seed)
    return OuterProducts(RationalMatrix.of(v[:, None]), RationalMatrix.of(W))


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


def _with(vectors, stage):
    """``find_zero_sum_set`` with its valuation stage replaced (a stand-in for ``peeling``)."""
    import semialg.geometry.zero_sum as zs
    saved, zs.peeling = zs.peeling, stage
    try:
        return find_zero_sum_set(vectors)
    finally:
        zs.peeling = saved


def _peel_only(vectors):
    """``find_zero_sum_set`` as in session 46: peeling without joins."""
    return _with(vectors, lambda *args, **kw: peeling(*args, **kw, joins=False))


def _without_peeling(vectors):
    """``find_zero_sum_set`` as it was before the valuations (sessions 42-45): the peeling finds nothing."""
    return _with(vectors, lambda *args, **kw: Peeling((), ()))


def run(sizes=((784, 800), (784, 1024), (784, 2048), (784, 3072), (784, 4096)), seeds=(0, 1, 2), cap=60.0):
    rows = []
    print(f"{'inner':9s} {'seed':>4s} {'deps':>5s}  {'status':9s} {'peeled':>7s} {'ours':>6s} {'floor':>6s} "
          f"{'ours/floor':>10s} {'factored':>8s}  {'peel only':17s} {'no valuations':17s} {'naive kernel':>12s}", flush=True)
    for m, n in sizes:
        for seed in seeds:
            vectors = inner_vectors(m, n, seed)
            decision, ours = timed(find_zero_sum_set, vectors)
            factored, factored_s = timed(lambda: find_zero_sum_set(inner_products(m, n, seed)))
            assert (factored.status, factored.proof) == (decision.status, decision.proof)
            rank, floor = timed(modular_rank, vectors, PRIME)
            peel, peel_s = timed(_peel_only, vectors)
            old, before = timed(_without_peeling, vectors)
            naive = naive_seconds(m, n, seed, cap) if seed == 0 else None
            peeled = sum(len(c) for kind, c, _ in decision.proof if kind == "valuation")
            row = {"inner": f"{m}-{n}", "seed": seed, "dependencies": n - rank, "status": decision.status,
                   "peeled": peeled, "ours_s": ours, "factored_s": factored_s, "floor_s": floor, "peel_only_status": peel.status,
                   "peel_only_s": peel_s, "before_status": old.status, "before_s": before, "naive_s": naive,
                   "naive_cap_s": cap if seed == 0 else None}
            rows.append(row)
            naive_cell = "-" if seed else f"{naive:.2f}" if naive is not None else f"> {cap:.0f}"
            print(f"{row['inner']:9s} {seed:4d} {n - rank:5d}  {decision.status:9s} {peeled:7d} {ours:6.2f} "
                  f"{floor:6.2f} {ours / floor:9.1f}x {factored_s:8.2f}  {peel.status:9s} {peel_s:6.2f}s  {old.status:9s} "
                  f"{before:6.2f}s  {naive_cell:>12s}", flush=True)
    return rows


QUICK = dict(sizes=((60, 70), (60, 90)), seeds=(0,), cap=20.0)


def table(rows) -> str:
    return f"{len(rows)} sizes (each row printed as it finished)"


def main():
    bench_main(__doc__, run, table, QUICK, "zero_factor_wide")


if __name__ == "__main__":
    main()
