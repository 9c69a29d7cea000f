"""Benchmark: the exact rank of the Jacobian rows of every linear region, proven by a kernel checked modulo
primes, against exact elimination of the rows.

When the rank modulo a prime of the rows stays below the proven upper bound until the last region,
``functional_dimension`` needs the exact rank of all rows: (d + 1)k rows a region. Ours
(:func:`semialg.engine.functional_dimension.rank_on_regions`) takes the rows at 0, e_1, ..., e_d with each
region's pattern held fixed, selects those independent modulo a prime, puts them in exact reduced echelon form and
checks that its kernel annihilates every row modulo enough primes for the Chinese remainder theorem to make it
exact (:func:`semialg.core.modular.certified_rank`). The peer is the exact rank of the rows at the regions' points,
:data:`EXACT_CHUNK` inputs at a time on top of a reduced basis (what ``functional_dimension`` did before; stopped
after ``--budget`` seconds, default 300: ">"). The floor is the first of our passes alone: the rank modulo a prime,
a lower bound that proves nothing above it. Listing the regions (the same for all three) is left out; "primes"
counts the passes after the first.

    python benchmarks/bench_certified_rank.py
    python benchmarks/bench_certified_rank.py --quick

Each row is printed as it finishes; the table follows. Measured (session 71, 2-core machine):

         arch  weights  seed  regions  rank  exact  primes  list_s  ours_s  exact_s  floor_s  exact/ours  ours/floor
      3-8-8-2   random     0      520   105    105       2     0.4     0.2      0.6      0.2         2.8         1.4
    3-8-8-8-1   random     0     1613   149    149       3     1.2     0.6      2.2      0.5         3.6         1.3
    4-16-16-2  float32     7    32122   346      -      14    44.8    47.8   >300.8      6.6       >6.3         7.2
    4-16-16-2  float32     0    33874   336      -       7    39.3    37.4   >300.7     10.1       >8.0         3.7

Exact elimination of the float32 networks' 321,220 and 338,740 rows did not end within 5 minutes (their rows at
vertices of the regions have large entries, and the reduced basis grows); ours proves the rank in less time than
listing the regions took, 4-7 times the floor (one more pass of residues and a product by the kernel per prime,
14 primes for the 273-bit bound of seed 7). The functional dimension of seed 7 is now found without listing every
region: the flat bound sees the affine relations among the neurons active where a neuron of layer 2 is on
(:func:`semialg.engine.flat_directions.unread_combinations`), 346, reached after 51 regions in 5.5 s.
"""

from __future__ import annotations

import time

import semialg as sa
from bench_lazy_regions import float32_net
from common import columns, main as bench_main, timed
from semialg.engine.functional_dimension import _exact_rank, rank_on_regions
from semialg.engine.regions import decisive_points
from semialg.errors import UndecidedError


def run(cases=(((3, 8, 8, 2), "random", 0), ((3, 8, 8, 8, 1), "random", 0), ((4, 16, 16, 2), "float32", 7),
               ((4, 16, 16, 2), "float32", 0)), budget: float = 300.0):
    rows = []
    for arch, kind, seed in cases:
        net = float32_net(arch, seed) if kind == "float32" else sa.Network.random(arch, seed=seed)
        found, listing = timed(lambda: list(decisive_points(net)))
        patterns = [pattern for pattern, _ in found]
        passes = []
        ours_rank, ours = timed(rank_on_regions, net, patterns, tick=lambda r: passes.append(r))
        floor_rank, floor = timed(rank_on_regions, net, patterns, at_most=0)
        inputs = [(x, pattern) for pattern, points in found for x in points]
        t = time.perf_counter()
        try:
            exact = _exact_rank(net, inputs, net.architecture.num_parameters, time.monotonic() + budget)
        except UndecidedError:
            exact = None
        peer = time.perf_counter() - t
        per_pass = len(inputs) * net.architecture.output_dim
        row = {"arch": "-".join(map(str, arch)), "weights": kind, "seed": seed, "regions": len(patterns),
               "rank": ours_rank, "exact": "-" if exact is None else exact, "primes": sum(passes) // per_pass - 1,
               "list_s": f"{listing:.1f}", "ours_s": f"{ours:.1f}", "exact_s": f"{'>' if exact is None else ''}"
               f"{peer:.1f}", "floor_s": f"{floor:.1f}", "exact/ours": f"{'>' if exact is None else ''}"
               f"{peer / ours:.1f}", "ours/floor": f"{ours / floor:.1f}"}
        print(row, flush=True)
        rows.append(row)
    return rows


if __name__ == "__main__":
    bench_main(__doc__, run, lambda rows: columns(rows, 9), {"cases": (((3, 6, 6, 1), "random", 0),)},
               "certified_rank")
