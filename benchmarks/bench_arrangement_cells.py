r"""Benchmark: the linear regions of generic shallow networks with few inputs, read off the vertices of the
first layer's arrangement (:func:`semialg.geometry.simple_arrangement.simple_arrangement_cells`: exact $d \times d$
inverses, no LP) against the breadth-first search over cells by exact strict-feasibility tests that
:func:`semialg.regions` ran before (session 55), and the floor: one exact evaluation of the network at every
region's point (any exact list of the regions reads at least that much).

Weights are float32 $N(0, 1/n_0)$, biases $N(0, 0.01)$, read exactly. The search is stopped at ``cap`` seconds.

    python benchmarks/bench_arrangement_cells.py
    python benchmarks/bench_arrangement_cells.py --quick

Measured (session 55, 2-core machine shared with a test run; seconds). The floor is the exact evaluation alone; the
vertex reading spends most of its time on the cells' interior points (one exact step length per cell):

     network   regions   floor s    ours s  ours/floor  search s  search/ours
      2-40-1       821      0.08      0.66        8.7x      2.71         4.1x
      3-16-1       697      0.06      0.27        4.5x      2.28         8.6x
      3-32-1      5489      0.69      5.37        7.8x     40.14         7.5x
      4-16-1      2517      0.37      1.68        4.5x     19.55        11.6x
      4-24-1     12951      2.22     12.78        5.8x      > 60            -
      5-20-1     21700      4.24     20.83        4.9x      > 60            -
    the search took 4.1x to 11.6x the vertex reading where it finished; 2 stopped at the cap
"""

from __future__ import annotations

import numpy as np

import semialg as sa
import semialg.engine.regions as regions_module
from common import main as bench_main, ratio, seconds, timed
from semialg.errors import UndecidedError

FULL = dict(sizes=((2, 40), (3, 16), (3, 32), (4, 16), (4, 24), (5, 20)), cap=60.0)
QUICK = dict(sizes=((2, 10), (3, 8)), cap=10.0)


def network(n0: int, n1: int, seed: int = 0) -> sa.Network:
    rng = np.random.default_rng(seed)
    W = [(rng.standard_normal((n1, n0)) / np.sqrt(n0)).astype(np.float32),
         (rng.standard_normal((1, n1)) / np.sqrt(n1)).astype(np.float32)]
    b = [(rng.standard_normal(n1) * 0.1).astype(np.float32), np.zeros(1, dtype=np.float32)]
    return sa.Network.from_arrays(W, b)


def searched(net: sa.Network, cap: float):
    """The regions by the breadth-first search alone (the vertex reading switched off) and its seconds, or
    ``(None, None)`` past ``cap``."""
    saved = regions_module.simple_arrangement_cells
    regions_module.simple_arrangement_cells = lambda *args, **kw: None
    try:
        return timed(sa.regions, net, budget=cap)
    except UndecidedError:
        return None, None
    finally:
        regions_module.simple_arrangement_cells = saved


def run(sizes=FULL["sizes"], cap=FULL["cap"], show=None) -> list[dict]:
    """Every size in turn; ``show(text)`` receives each row as it finishes. The two methods' regions (activation
    patterns and affine maps) are asserted equal where the search finished."""
    rows = []
    for n0, n1 in sizes:
        net = network(n0, n1)
        found, ours = timed(sa.regions, net)
        _, floor = timed(net.evaluate, [r.point for r in found])
        other, naive = searched(net, cap)
        if other is not None:
            assert [(r.pattern, r.linear, r.offset) for r in other] == [(r.pattern, r.linear, r.offset) for r in found]
        rows.append({"network": f"{n0}-{n1}-1", "regions": len(found), "floor_s": floor, "ours_s": ours,
                     "naive_s": naive, "cap": cap})
        if show is not None:
            show(line(rows[-1]))
    return rows


def header() -> str:
    return (f"{'network':>8}  {'regions':>8}  {'floor s':>8}  {'ours s':>8}  {'ours/floor':>10}  {'search s':>8}  "
            f"{'search/ours':>11}")


def line(r: dict) -> str:
    naive = seconds(r["naive_s"]) if r["naive_s"] is not None else f"{'> ' + str(int(r['cap'])):>8}"
    return (f"{r['network']:>8}  {r['regions']:>8}  {seconds(r['floor_s'])}  {seconds(r['ours_s'])}  "
            f"{ratio(r['ours_s'], r['floor_s'])}  {naive}  {ratio(r['naive_s'], r['ours_s'], 11)}")


def table(rows) -> str:
    return "\n".join([header()] + [line(r) for r in rows] + [summary(rows)])


def summary(rows) -> str:
    """The table is printed row by row as the sizes finish; at the end, the range of the speed-up."""
    done = [r["naive_s"] / r["ours_s"] for r in rows if r["naive_s"] is not None]
    return (f"the search took {min(done):.1f}x to {max(done):.1f}x the vertex reading where it finished; "
            f"{len(rows) - len(done)} stopped at the cap") if done else "the search finished nowhere"


if __name__ == "__main__":
    print(header(), flush=True)
    bench_main(__doc__, lambda **kw: run(show=lambda text: print(text, flush=True), **kw), summary, QUICK,
               "arrangement_cells")
