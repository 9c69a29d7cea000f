"""Benchmark: exact strict feasibility of $Gx + h > 0$ on the systems the float LP cannot certify.

The systems are harvested from a real fibre: every system that ``semialg.geometry.polyhedron.decide`` hands to its
exact path while building the 2-4-1-1 U+ fibre of ``tests/test_bottleneck_uplus_rays.py`` (first pass of its label
classes; 60-400 rows in 4 variables, two rows nearly opposite, feasible only near $|x| = 10^7$). On each: the exact
simplex on all rows (the path before session 12, the naive method), the constraint generation around it (ours:
a subsystem of $2d + 2$ rows grown by the rows its point violates most), and the float LP alone (the floor: HiGHS,
no certificate, and on these systems often wrong). Both exact answers must agree and verify. Measured on the
shared 2-core machine (session 12; 425 systems, seconds summed per row count):

    =======  =======  ======  =========  ==========  ============  =====================
    rows     systems  ours s  simplex s  float LP s  simplex/ours  float LP answer wrong
    =======  =======  ======  =========  ==========  ============  =====================
    0-29         155    0.10       0.07        0.78          0.8x                      0
    30-59         35    0.09       0.17        0.06          1.8x                      0
    60-119        60    0.29       2.01        0.12          7.0x                     24
    120-239      105    1.10      23.11        0.32         21.0x                    105
    >=240         70    2.19      61.19        0.20         28.0x                     70
    =======  =======  ======  =========  ==========  ============  =====================

The fibre's first pass: 7.4 s before, 1.5 s after.

Session 14: the simplex prices by Dantzig's rule on scaled columns (Bland's after 50 degenerate pivots), and a
second fibre is harvested, a random 2-5-1-1 one with three hidden neurons (seed 126), whose well-conditioned
subsystems made Bland's rule pivot about ten times more (19,082 against 1,736 pivots on 302 of its systems).
Seconds summed per row count; "Bland s" is the same constraint generation under Bland's rule (the path before):

    ============  =======  =======  ======  =======  =========  ==========  ==========
    fibre         rows     systems  ours s  Bland s  simplex s  Bland/ours  ours/float
    ============  =======  =======  ======  =======  =========  ==========  ==========
    2-4-1-1 U+    0-59         193    0.10     0.12       0.07        1.2x        0.7x
    2-4-1-1 U+    60-239       165    0.78     0.83       1.29        1.1x        2.5x
    2-4-1-1 U+    >=240        132    3.12     4.29       6.10        1.4x        8.4x
    2-5-1-1 s126  0-59         130    0.14     0.17       0.10        1.3x        1.0x
    2-5-1-1 s126  60-239       180    1.04     2.98       1.28        2.9x        3.3x
    2-5-1-1 s126  >=240        125    3.08    17.10       4.35        5.6x        9.3x
    ============  =======  =======  ======  =======  =========  ==========  ==========

Whole hidden-neuron fibres (CPU seconds, the same machine): 2-5-1-1 seed 126 47.5 -> 13.4, seed 119 24.3 -> 17.4,
seed 387 148.7 -> 48.9 (1380, 1080 and 960 components, unchanged).

    python benchmarks/bench_feasibility.py
    python benchmarks/bench_feasibility.py --quick
"""

from __future__ import annotations

import numpy as np

from common import main as bench_main, timed
from semialg import Network
from semialg.errors import UndecidedError
from semialg.geometry import polyhedron

ROWS = [[1, 2], [-2, -1], [-2, -1], [1, 2]]     # tests/test_bottleneck_uplus_rays.py


def harvest(limit: int, net: Network) -> list:
    """The systems of the fibre of ``net`` (its first pass) that reach the exact path (at most ``limit``)."""
    from semialg.families.bottleneck.fibre import fibre

    seen, original = [], polyhedron._by_row_generation

    class Enough(Exception):
        pass

    def record(G, h):
        if len(seen) == limit:
            raise Enough
        seen.append((G, h))
        return original(G, h)
    polyhedron._by_row_generation = record
    try:
        fibre(net, budget=8)
    except (Enough, UndecidedError):   # enough systems, or the budget ended the run first
        pass
    finally:
        polyhedron._by_row_generation = original
    return seen


#: the fibres harvested: the U+ fibre of the tests (ill-conditioned rows) and a random 2-5-1-1 one with three
#: hidden neurons (seed 126: well-conditioned rows, but Bland's rule pivots many times more)
FIBRES = {
    "2-4-1-1 U+": lambda: Network.from_arrays([ROWS, [[1, -1, "1/3", "1/2"]], [[-3]]],
                                              [[-1, -3, "-3/2", -2], [-2], ["-2/3"]]),
    "2-5-1-1 s126": lambda: Network.random((2, 5, 1, 1), seed=126, height=3),
}


def run(limit=500, bins=(0, 30, 60, 120, 240, 10 ** 6)):
    rows = []
    for name, make in FIBRES.items():
        rows += _bins(name, harvest(limit, make()), bins)
        print(table(rows[-len(bins) + 1:]), flush=True)
    return rows


def _bins(name: str, systems: list, bins) -> list:
    by_bin: dict = {}
    for G, h in systems:
        ours, t_ours = timed(polyhedron._by_row_generation, G, h)
        naive, t_naive = timed(polyhedron._by_simplex, G, h)
        rule, polyhedron._DEGENERATE_PIVOTS = polyhedron._DEGENERATE_PIVOTS, -1     # Bland's rule throughout
        try:
            bland, t_bland = timed(polyhedron._by_row_generation, G, h)
        finally:
            polyhedron._DEGENERATE_PIVOTS = rule
        assert ours.feasible == naive.feasible == bland.feasible
        assert ours._check(G, h) and naive._check(G, h) and bland._check(G, h)
        Gf, hf = np.array(G, dtype=float), np.array(h, dtype=float)
        norms = np.maximum(np.abs(np.c_[Gf, hf]).max(axis=1), 1e-300)
        floor, t_floor = timed(polyhedron._solve_lp, Gf / norms[:, None], hf / norms)
        float_wrong = floor is not None and (floor[0] > 0) != ours.feasible
        b = next(i for i in range(len(bins) - 1) if bins[i] <= len(G) < bins[i + 1])
        row = by_bin.setdefault(b, {"fibre": name,
                                    "rows": f"{bins[b]}-{bins[b + 1] - 1}" if b < len(bins) - 2 else f">={bins[b]}",
                                    "systems": 0, "feasible": 0, "ours_s": 0.0, "naive_s": 0.0, "floor_s": 0.0,
                                    "bland_s": 0.0, "float_wrong": 0})
        row["systems"] += 1
        row["feasible"] += ours.feasible
        row["ours_s"] += t_ours
        row["naive_s"] += t_naive
        row["floor_s"] += t_floor
        row["bland_s"] += t_bland
        row["float_wrong"] += float_wrong
    return [by_bin[b] for b in sorted(by_bin)]


QUICK = dict(limit=12)


def table(rows) -> str:
    out = [f"{'fibre':>13s} {'rows':>9s} {'systems':>8s} {'feasible':>9s} {'ours s':>8s} {'Bland s':>8s} {'simplex s':>10s} "
           f"{'float LP s':>11s} {'Bland/ours':>11s} {'simplex/ours':>13s} {'ours/float':>11s} {'float wrong':>12s}"]
    for r in rows:
        out.append(f"{r['fibre']:>13s} {r['rows']:>9s} {r['systems']:8d} {r['feasible']:9d} {r['ours_s']:8.3f} {r['bland_s']:8.3f} "
                   f"{r['naive_s']:10.3f} {r['floor_s']:11.3f} {r['bland_s'] / max(r['ours_s'], 1e-9):10.1f}x "
                   f"{r['naive_s'] / max(r['ours_s'], 1e-9):12.1f}x "
                   f"{r['ours_s'] / max(r['floor_s'], 1e-9):10.1f}x {r['float_wrong']:12d}")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "feasibility")


if __name__ == "__main__":
    main()
