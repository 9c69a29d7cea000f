"""Benchmark: counting the components of an all-parallel-row fibre without enumerating them.

The slot pieces of a case-(a) parameter whose first-layer rows are all parallel (``line_fibre.py``) list one
component per type: spare neurons on kinks (clusters), inside N-intervals (alone or on shared points), at their ends,
inert, constant or in phantom groups. For $h = 1 - 3\\sigma(x)$ with $n_1$ neurons (one on the kink, the others
spare) ``num_components`` counts them per simple key and contribution range as products of per-interval sums
(ours); the naive count enumerates the types and tallies them; the floor is building the fibre and its dimension
(the simple keys only). Enumeration is run while it has at most ``enumerate_up_to`` types.

    python benchmarks/bench_line_counts.py            # n1 = 3..8
    python benchmarks/bench_line_counts.py --quick    # n1 = 3..5

Measured (shared 2-core machine; session 19: shared points and slots at the ends listed; before, with simple
types and clusters only, 470, 8,090, 181,562, 4,990,782, 158,618,644 and 5,638,471,178 components, counted in at
most 0.25 s):

    n1          components  floor s   ours s  naive s  naive/ours
     3                 806     0.24     0.06     0.05         0.9
     4              20,544     0.05     0.19     0.42         2.2
     5             711,782     0.10     0.46     5.56        12.1
     6          29,753,998     0.30     1.11        -           -
     7       1,405,837,456     0.46     2.52        -           -
     8      73,197,961,220     0.92     4.81        -           -
"""

from __future__ import annotations

import semialg as sa
from common import main as bench_main, timed


def parameter(n1: int) -> sa.Network:
    """$h = 1 - 3\\sigma(x)$ with $n_1 - 1$ inert neurons at the places $1, \\dots, n_1 - 1$."""
    return sa.Network.from_arrays([[[1]] * n1, [[-3] + [0] * (n1 - 1)], [[1]]],
                                  [[0] + list(range(1, n1)), [1], [0]])


def run(widths=(3, 4, 5, 6, 7, 8), enumerate_up_to=10 ** 6):
    rows = []
    for n1 in widths:
        net = parameter(n1)
        (F, _), floor = timed(lambda: (lambda F: (F, F.dimension))(sa.fibre(net)))
        count, ours = timed(lambda: F.num_components)
        naive = None
        if count <= enumerate_up_to:
            listed, naive = timed(lambda: sum(1 for _ in F.index))
            assert listed == count
        rows.append({"n1": n1, "components": count, "floor_s": floor, "ours_s": ours, "naive_s": naive,
                     "naive_over_ours": None if naive is None else naive / ours})
    return rows


def table(rows) -> str:
    out = [f"{'n1':>3s}  {'components':>18s}  {'floor s':>7s}  {'ours s':>7s}  {'naive s':>7s}  {'naive/ours':>10s}"]
    for r in rows:
        naive = "-" if r["naive_s"] is None else f"{r['naive_s']:.2f}"
        ratio = "-" if r["naive_over_ours"] is None else f"{r['naive_over_ours']:.1f}"
        out.append(f"{r['n1']:>3d}  {r['components']:>18,d}  {r['floor_s']:>7.2f}  {r['ours_s']:>7.2f}  {naive:>7s}  "
                   f"{ratio:>10s}")
    return "\n".join(out)


QUICK = dict(widths=(3, 4, 5))


def main():
    bench_main(__doc__, run, table, QUICK, "line_counts")


if __name__ == "__main__":
    main()
