"""Benchmark: the piecewise-linear engine.

(a) region enumeration scaling with width for (2, n, 1) and (2, n, n, 1), against the naive method that
    tests every one of the 2^N activation patterns with the same exact LP (run while 2^N stays small);
(b) exact rank of the functional-dimension Jacobians: flint (modular-certified) against
    ``sympy.Matrix.rank`` on the same matrices (sympy only on the small ones);
(c) the exact functional dimension of deeper networks, against the numeric estimate of the literature (a float
    SVD of a Jacobian on random inputs, which certifies nothing).

Region rows also show the cost per region and the floor of any LP-based enumeration: one float LP (scipy's
HiGHS) per region, timed on the arrangement's system and multiplied by the number of regions.

    python benchmarks/bench_pl.py            # full run, prints a table and writes bench_pl.json
    python benchmarks/bench_pl.py --quick    # smoke sizes
"""

from __future__ import annotations

import itertools
import time

import numpy as np

import sympy

import semialg as sa
from common import main as bench_main, timed
from semialg.engine import regions as pl
from semialg.engine.functional_dimension import functional_dimension
from semialg.core.exact import rank
from semialg.geometry.polyhedron import decide


def naive_region_count(net: sa.Network) -> int:
    """Test all 2^N sign patterns of a one-hidden-layer network with one exact LP each."""
    W, b = net.weights[0], net.biases[0]
    count = 0
    for signs in itertools.product((1, -1), repeat=len(W)):
        G = [tuple(s * v for v in w) for s, w in zip(signs, W)]
        h = [s * c for s, c in zip(signs, b)]
        count += bool(decide(G, h, len(W[0])))
    return count


def lp_floor(net: sa.Network, repeat: int = 3) -> float:
    """Seconds for one float LP (max t s.t. Gx + h >= t, t <= 1, scipy HiGHS) on all first-layer hyperplanes:
    what one LP per region costs at least."""
    from scipy.optimize import linprog

    G = np.array([[float(v) for v in r] for r in net.weights[0]])
    h = np.array([float(v) for v in net.biases[0]])
    A = np.c_[-G, np.ones(len(h))]
    c = np.r_[np.zeros(G.shape[1]), -1.0]
    bounds = [(None, None)] * G.shape[1] + [(None, 1.0)]
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        linprog(c, A_ub=A, b_ub=h, bounds=bounds, method="highs")
        best = min(best, time.perf_counter() - t)
    return best


def region_row(widths, naive_max: int) -> dict:
    net = sa.Network.random(widths, seed=widths[1])
    R, t = timed(pl.count_regions, net)
    row = {"task": "regions", "arch": "-".join(map(str, widths)), "regions": R, "semialg_s": t, "naive_s": None,
           "floor_s": R * lp_floor(net)}
    if len(widths) == 3 and widths[1] <= naive_max:
        Rn, tn = timed(naive_region_count, net)
        assert Rn == R, (Rn, R)
        row["naive_s"] = tn
    return row


def run(shallow_widths=(4, 8, 12, 16, 32, 64), deep_widths=(3, 5, 8, 16), naive_max=12, rank_sizes=(3, 5, 8),
        sympy_max=3, fd_arch=((2, 20, 20, 1), (3, 10, 10, 1), (4, 16, 16, 1))):
    pl.count_regions(sa.Network.random((2, 3, 1), seed=0))  # warm-up: imports (Qhull) stay out of the timings
    rows = [region_row((2, n, 1), naive_max) for n in shallow_widths]
    rows += [region_row((2, n, n, 1), naive_max) for n in deep_widths]
    for n in rank_sizes:
        net = sa.Network.random((2, n, n, 1), seed=n)
        J = [row for x, p in pl.decisive_batch(net) for row in pl.parameter_jacobian(net, x, p)]
        r, t = timed(rank, J)
        row = {"task": "jacobian rank", "arch": f"2-{n}-{n}-1 ({len(J)}x{len(J[0])})", "regions": None,
               "semialg_s": t, "naive_s": None, "rank": r}
        if n <= sympy_max:
            M = sympy.Matrix([[sympy.Rational(int(v.p), int(v.q)) for v in rw] for rw in J])
            rs, ts = timed(M.rank)
            assert rs == r
            row["naive_s"] = ts
        rows.append(row)
    if fd_arch and isinstance(fd_arch[0], int):
        fd_arch = (fd_arch,)
    for arch in fd_arch:
        net = sa.Network.random(arch, seed=3)
        fd, t = timed(functional_dimension, net)
        est, te = timed(pl.estimate_functional_dimension, net, seed=0)
        assert fd.value <= fd.upper_bound
        rows.append({"task": "functional dimension", "arch": "-".join(map(str, arch)), "regions": fd.regions,
                     "semialg_s": t, "naive_s": te, "value": fd.value, "bound": fd.upper_bound, "estimate": est,
                     "method": fd.method})
    return rows


QUICK = dict(shallow_widths=(4, 6), deep_widths=(3,), rank_sizes=(2,), fd_arch=((2, 4, 4, 1),))


def table(rows) -> str:
    """Regions: ours, the 2^N test (naive) and one float LP per region (floor); functional dimension: ours and
    the numeric estimate (peer, uncertified)."""
    out = [f"{'task':22s} {'architecture':26s} {'regions':>8s} {'semialg s':>10s} {'ms/region':>9s} "
           f"{'naive s':>10s} {'ratio':>8s} {'floor s':>8s} {'/floor':>7s}"]
    per_region = {}
    for r in rows:
        naive = r["naive_s"]
        ratio = f"{naive / r['semialg_s']:.1f}x" if naive else "-"
        ms = f"{1000 * r['semialg_s'] / r['regions']:.2f}" if r.get("regions") and r["task"] == "regions" else "-"
        if r["task"] == "regions":
            per_region[r["arch"]] = r["semialg_s"] / r["regions"]
        floor = r.get("floor_s")
        vs_floor = f"{r['semialg_s'] / floor:.2f}x" if floor else "-"
        extra = ""
        if "value" in r:
            extra = f"   dim_fun = {r['value']} (bound {r['bound']}, {r['method']}; numeric estimate {r['estimate']})"
        out.append(f"{r['task']:22s} {r['arch']:26s} {str(r['regions'] or ''):>8s} {r['semialg_s']:10.3f} "
                   f"{ms:>9s} {(f'{naive:.3f}' if naive else '-'):>10s} {ratio:>8s} "
                   f"{(f'{floor:.3f}' if floor else '-'):>8s} {vs_floor:>7s}" + extra)
    if "2-16-1" in per_region and "2-32-1" in per_region:
        out.append(f"cost per region 2-32-1 / 2-16-1: {per_region['2-32-1'] / per_region['2-16-1']:.2f}x")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "pl")


if __name__ == "__main__":
    main()
