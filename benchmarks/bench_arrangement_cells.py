r"""Benchmark: the linear regions of generic shallow networks with few inputs, read off the vertices of the
first layer's arrangement (:func:`semialg.geometry.simple_arrangement.simple_arrangement_cells`: exact $d \times d$
inverses, no LP) against the breadth-first search over cells by exact strict-feasibility tests that
:func:`semialg.regions` ran before (session 55), and the floor: one exact evaluation of the network at every
region's point (any exact list of the regions reads at least that much).

Weights are float32 $N(0, 1/n_0)$, biases $N(0, 0.01)$, read exactly. The search is stopped at ``cap`` seconds.

    python benchmarks/bench_arrangement_cells.py
    python benchmarks/bench_arrangement_cells.py --quick
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


def searched(net: sa.Network, cap: float) -> float | None:
    """The regions by the breadth-first search alone (the vertex reading switched off), or ``None`` past ``cap``."""
    saved = regions_module.simple_arrangement_cells
    regions_module.simple_arrangement_cells = lambda *args, **kw: None
    try:
        return timed(sa.regions, net, budget=cap)[1]
    except UndecidedError:
        return None
    finally:
        regions_module.simple_arrangement_cells = saved


def run(sizes=FULL["sizes"], cap=FULL["cap"]) -> list[dict]:
    rows = []
    for n0, n1 in sizes:
        net = network(n0, n1)
        found, ours = timed(sa.regions, net)
        _, floor = timed(net.evaluate, [r.point for r in found])
        naive = searched(net, cap)
        rows.append({"network": f"{n0}-{n1}-1", "regions": len(found), "floor_s": floor, "ours_s": ours,
                     "naive_s": naive, "cap": cap})
        print(line(rows[-1]), flush=True)
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
    bench_main(__doc__, run, summary, QUICK, "arrangement_cells")
