"""Benchmark: proven bounds on a fibre's dimension at a parameter (``sa.local_dimension_bounds``), ours against
the region enumeration alone (the method before session 15) and the floor (the exact functional dimension,
which needs the same Jacobian rank).

Ours: the moves' rank, then Jacobian rows at random inputs (rank modulo a prime) — at a generic parameter they
reach $D - \\dim M$ and the bounds meet —, and only otherwise the rows at $d + 1$ points of every region, for at
most ``budget`` seconds. The region enumeration alone is exponential in $n_0$ and is cut at ``CAP`` seconds.

    python benchmarks/bench_local_dimension.py
    python benchmarks/bench_local_dimension.py --quick

Measured (session 17, shared 2-core machine; random parameters, seed 1; seconds):

    ==========  =====  ========  =====  ==========  =====
    arch            D  bounds     ours  regions     floor
    ==========  =====  ========  =====  ==========  =====
    2-8-8-1       105  (16, 21)   1.19  0.23        0.88
    3-6-1-2        35  (7, 7)     0.06  0.14        0.06
    6-10-1-3       87  (11, 11)   8.92  6.47        8.51
    8-12-12-2     290  (24, 24)   0.42  > 60        0.42
    20-32-32-5   1893  (64, 64)   2.58  > 60        2.39
    30-40-40-8   3208  (80, 80)  25.49  > 60       30.15
    ==========  =====  ========  =====  ==========  =====

The enumeration now keeps its cap: in 20 dimensions it used to run for minutes past it in 7 GB inside Qhull
(a cell's vertices; :func:`semialg.geometry.polyhedron.flip_neighbours` decides such cells' flips by exact LPs
now). Where random inputs cannot settle the bounds (2-8-8-1: a network whose bounds do not meet) the sampling,
with the inputs chosen for their regions, costs about a second before the enumeration.
"""

from __future__ import annotations

import time

import semialg as sa
from common import main as bench_main, timed
from semialg.core.exact import rank
from semialg.engine.regions import decisive_points, parameter_jacobian
from semialg.errors import UndecidedError

CAP = 60.0


def enumeration_only(net, cap: float):
    """The upper bound from every region's points (``None`` if ``cap`` seconds pass first)."""
    rows = []
    try:
        for pattern, points in decisive_points(net, deadline=time.monotonic() + cap):
            rows += [row for x in points if not any(0 in layer for layer in net.activation_pattern(x))
                     for row in parameter_jacobian(net, x, pattern)]
    except UndecidedError:
        return None
    return net.architecture.num_parameters - rank(rows)


def run(archs=((2, 8, 8, 1), (3, 6, 1, 2), (6, 10, 1, 3), (8, 12, 12, 2), (20, 32, 32, 5), (30, 40, 40, 8)),
        cap=CAP):
    rows = []
    for arch in archs:
        net = sa.Network.random(arch, seed=1)
        (lower, upper), ours = timed(sa.local_dimension_bounds, net)
        fd, floor = timed(sa.functional_dimension, net)
        naive_upper, naive = timed(enumeration_only, net, cap)
        assert naive_upper is None or upper <= naive_upper
        row = {"arch": "-".join(map(str, arch)), "D": net.architecture.num_parameters, "lower": lower,
               "upper": upper, "ours_s": ours, "enumeration_s": naive if naive_upper is not None else None,
               "floor_s": floor, "cap_s": cap}
        print(table([row]).splitlines()[-1], flush=True)
        rows.append(row)
    return rows


QUICK = dict(archs=((2, 4, 4, 1), (3, 4, 1, 2), (8, 8, 8, 2)), cap=20.0)


def table(rows) -> str:
    out = [f"{'architecture':14s} {'D':>6s} {'bounds':>12s} {'ours s':>8s} {'regions s':>10s} {'floor s':>8s} "
           f"{'regions/ours':>13s} {'ours/floor':>11s}"]
    for r in rows:
        reg = f"{r['enumeration_s']:.2f}" if r["enumeration_s"] is not None else f">{r['cap_s']:.0f}"
        ratio = f"{r['enumeration_s'] / r['ours_s']:.1f}x" if r["enumeration_s"] is not None else "-"
        out.append(f"{r['arch']:14s} {r['D']:6d} {str((r['lower'], r['upper'])):>12s} {r['ours_s']:8.2f} "
                   f"{reg:>10s} {r['floor_s']:8.2f} {ratio:>13s} {r['ours_s'] / r['floor_s']:10.1f}x")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "local_dimension")


if __name__ == "__main__":
    main()
