"""Benchmark: case-(b) component counts and local dimensions past the old budgets (issue 17 items 5 and 6).

Counts: 2-1-n2-1 parameters with every second-layer neuron a K+ kink, jumps c|v| with c, v random rationals of
numerators and denominators up to 1000 (denominators up to 10^6), counted exactly by ``RidgeTypes.count`` (the
zero-sum subsets of the jumps: valuations, meet in the middle, range and residue pruning); naive: all 2^n2
subsets (not run; its size shown); floor: the profile (``ridge_profile``), which any method reads. Local
dimension: the degenerate parameters of ``tests/test_bottleneck_ridge_local_dimension.py`` (slots on role
boundaries, some repeated), 12 seeds per width, ``TypedRidge.local_dimension`` (moves, then branch and bound);
naive: the number of candidate types the previous enumeration had to list (the product over classes of
identical slots of the multisets of their roles; it refused above 2^16); floor: locating the point's own type
and its dimension. Each table is printed as soon as it is complete.

Measured (shared 2 cores; ours s, naive size, floor s):
    counts, height 1000: n2 = 60 0.09 s, 80 0.8 s, 100 0.14 s, 110 0.65 s, 130 7.9 s decided; 120 (4.7 s) and 140
      (8.4 s) undecided (2^18 partial sums per half); naive 2^n2 subsets; floor (the profile) 1-5 ms. Before the
      residue pruning: 80, 100 and 110 undecided (3.4, 2.9, 2.4 s), decided up to 75.
    local dimension, 12 seeds: n2 = 8: 12 decided (before 9) in 0.95 s, 16: 11 (3) 2.9 s, 24: 12 (0) 0.8 s,
      32: 11 (0) 1.8 s; naive up to 2^19, 2^50, 2^75, 2^106 candidate types; floor 0.03-0.06 s.

    python benchmarks/bench_ridge_counts.py            # the sizes above
    python benchmarks/bench_ridge_counts.py --quick    # smoke sizes
"""

from __future__ import annotations

import math
import pathlib
import random
import sys

from flint import fmpq

from common import main as bench_main, timed
from semialg import Network
from semialg.errors import UndecidedError
from semialg.families.bottleneck.ridge import ridge_profile
from semialg.families.bottleneck.ridge_typed import TypedRidge
from semialg.families.bottleneck.ridge_types import RidgeTypes
from semialg.families.bottleneck.views import RidgeView

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
from test_bottleneck_ridge_local_dimension import degenerate  # noqa: E402  (the generator the tests use)


def kinks(n2: int, height: int, seed: int) -> Network:
    rng = random.Random(seed)
    q = lambda: fmpq(rng.randint(1, height), rng.randint(1, height))  # noqa: E731
    v, e = [q() for _ in range(n2)], [-q() for _ in range(n2)]
    return Network.from_arrays([[[1, 2]], [[x] for x in v], [[q() * rng.choice((-1, 1)) for _ in range(n2)]]],
                               [[1], e, [0]])


def _count(net):
    try:
        return RidgeTypes(net).count()
    except UndecidedError:
        return None


def _local(net):
    try:
        return TypedRidge(net).local_dimension(net)
    except UndecidedError:
        return None


def _candidates(net) -> int:
    R = TypedRidge(net)
    view = RidgeView.of(net)
    twins: dict = {}
    for s, slot in enumerate(zip(view.v, view.e, view.c, strict=True)):
        twins.setdefault(slot, []).append(s)
    total = 0
    for _, _, per in R._candidate_roles(R.locate(net), view):
        total += math.prod(math.comb(len(m) + len(per[m[0]]) - 1, len(m)) for m in twins.values())
    return total


def run(count_sizes=(60, 80, 100, 110, 120, 130, 140), height=1000, local_sizes=(8, 16, 24, 32), seeds=12,
        print_tables=True):
    rows = []
    table_rows = []
    for n2 in count_sizes:
        net = kinks(n2, height, n2)
        count, t = timed(_count, net)
        table_rows.append({"table": "counts", "n2": n2, "decided": count is not None, "seconds": t,
                           "naive_log2": n2, "floor_s": timed(ridge_profile, net)[1]})
    rows += table_rows
    if print_tables:
        print(table(table_rows), flush=True)
    table_rows = []
    for n2 in local_sizes:
        nets = [degenerate(seed * 31 + n2, n2) for seed in range(seeds)]
        out = [timed(_local, net) for net in nets]
        table_rows.append({"table": "local dimension", "n2": n2, "decided": sum(d is not None for d, _ in out),
                           "seconds": sum(t for _, t in out), "naive_log2": max(math.log2(_candidates(n)) for n in nets),
                           "floor_s": sum(timed(lambda n: TypedRidge(n).locate(n), n)[1] for n in nets)})
    rows += table_rows
    if print_tables:
        print(table(table_rows), flush=True)
    return rows


QUICK = dict(count_sizes=(20, 40), local_sizes=(8,), seeds=3)


def table(rows) -> str:
    out = [f"{'table':>16s} {'n2':>5s} {'decided':>8s} {'ours s':>8s} {'naive log2':>10s} {'floor s':>8s}"]
    for r in rows:
        out.append(f"{r['table']:>16s} {r['n2']:5d} {str(r['decided']):>8s} {r['seconds']:8.2f} "
                   f"{r['naive_log2']:10.1f} {r['floor_s']:8.3f}")
    return "\n".join(out)


def main():
    bench_main(__doc__, lambda **kw: run(**kw, print_tables=True), lambda rows: "", QUICK, "ridge_counts")


if __name__ == "__main__":
    main()
