"""Benchmark: the functional dimension of deep networks by regions found lazily, against every region first.

``functional_dimension(net, method="batch")`` needs regions only until the rank modulo a prime of their Jacobian
rows reaches the proven upper bound (parameters minus rescalings and flat directions). Ours finds the regions
lazily (a cell of the second layer's arrangement is searched for only when its region is asked for, one region of
each cell of the first layer first) and grows an echelon basis of the rows block by block
(:class:`semialg.core.modular.RowSpaceMod`). The peer is what the regions cost when all are found first
(``regions(net)``, the enumeration alone: a floor for any method that lists every region before a rank). Times are
seconds per network; "used" is the number of regions the functional dimension asked for, "regions" all of them.
Weights: float32 Gaussian scaled by sqrt(2/fan-in) ("float32", read exactly) and ``Network.random`` ("random").

    python benchmarks/bench_lazy_regions.py
    python benchmarks/bench_lazy_regions.py --quick

Each row is printed as it finishes; the table follows. Measured (session 70, 2-core machine):

        arch   weights  seed   fd  bound  used  regions  ours_s  all_s  all/ours
    4-16-16-2  float32     0  336    354   901    33874    11.6   45.3       3.9
    4-16-16-2  float32     1  354    354  4021    39149    25.8   50.1       1.9
    4-16-16-2  float32     3  353    354  1401    23004    13.6   34.2       2.5
      3-8-8-2   random     0  105    106   249      520     0.2    0.3       1.1
    3-8-8-8-1   random     0  149    161   553     1613     2.9    1.1       0.4

Where the value is found among the first few percent of the regions, ours takes a fraction of listing them all;
on small networks the sampled batch and the flat bound that come first (3-8-8-8-1: most of its 2.9 s) cost more
than the regions. Before session 70 (regions found eagerly, the rank re-taken at doubling sizes, and the cells'
points drifting out to 1e16, where Qhull's facets could no longer be certified and each flip fell back to an
exact simplex) the float32 4-16-16-2 seeds 0 and 1 took 80 s and 246 s.
"""

from __future__ import annotations

import numpy as np

import semialg as sa
from common import columns, main as bench_main, timed
from semialg.engine.functional_dimension import functional_dimension
from semialg.engine.regions import regions


def float32_net(widths, seed):
    rng = np.random.default_rng(seed)
    Ws = [(rng.standard_normal((o, i)) * np.sqrt(2 / i)).astype(np.float32) for i, o in zip(widths, widths[1:])]
    bs = [(rng.standard_normal(o) * 0.1).astype(np.float32) for o in widths[1:]]
    return sa.Network.from_arrays(Ws, bs)


def run(cases=(((4, 16, 16, 2), "float32", 0), ((4, 16, 16, 2), "float32", 1), ((4, 16, 16, 2), "float32", 3),
               ((3, 8, 8, 2), "random", 0), ((3, 8, 8, 8, 1), "random", 0))):
    rows = []
    for arch, kind, seed in cases:
        net = float32_net(arch, seed) if kind == "float32" else sa.Network.random(arch, seed=seed)
        fd, ours = timed(functional_dimension, net, method="batch", progress=False)
        found, peer = timed(regions, net)
        row = {"arch": "-".join(map(str, arch)), "weights": kind, "seed": seed, "fd": fd.value,
               "bound": fd.upper_bound, "used": fd.regions, "regions": len(found), "ours_s": f"{ours:.1f}",
               "all_s": f"{peer:.1f}", "all/ours": f"{peer / ours:.1f}"}
        print(row, flush=True)
        rows.append(row)
    return rows


if __name__ == "__main__":
    bench_main(__doc__, run, lambda rows: columns(rows, 8), {"cases": (((3, 6, 6, 1), "random", 0),)},
               "lazy_regions")
