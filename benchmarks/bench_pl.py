"""Benchmark: the piecewise-linear engine.

(a) region enumeration scaling with width for (2, n, 1) and (2, n, n, 1), against the naive method that
    tests every one of the 2^N activation patterns with the same exact LP (run while 2^N stays small);
(b) exact rank of the functional-dimension Jacobians: flint (modular-certified) against
    ``sympy.Matrix.rank`` on the same matrices (sympy only on the small ones);
(c) the exact functional dimension of a (2, 20, 20, 1) network.

    python benchmarks/bench_pl.py            # full run, prints a table and writes bench_pl.json
    python benchmarks/bench_pl.py --quick    # smoke sizes
"""

from __future__ import annotations

import itertools

import sympy

import semialg as sa
from common import main as bench_main, timed
from semialg.engine import regions as pl
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


def run(shallow_widths=(4, 8, 12, 16, 24), deep_widths=(3, 5, 8), naive_max=12, rank_sizes=(3, 5, 8),
        sympy_max=3, fd_arch=(2, 20, 20, 1)):
    rows = []
    for n in shallow_widths:
        net = sa.Network.random((2, n, 1), seed=n)
        R, t = timed(pl.count_regions, net)
        row = {"task": "regions", "arch": f"2-{n}-1", "regions": R, "semialg_s": t, "naive_s": None}
        if n <= naive_max:
            Rn, tn = timed(naive_region_count, net)
            assert Rn == R, (Rn, R)
            row["naive_s"] = tn
        rows.append(row)
    for n in deep_widths:
        net = sa.Network.random((2, n, n, 1), seed=n)
        R, t = timed(pl.count_regions, net)
        rows.append({"task": "regions", "arch": f"2-{n}-{n}-1", "regions": R, "semialg_s": t, "naive_s": None})
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
    net = sa.Network.random(fd_arch, seed=3)
    fd, t = timed(pl.functional_dimension, net)
    rows.append({"task": "functional dimension", "arch": "-".join(map(str, fd_arch)), "regions": fd.regions,
                 "semialg_s": t, "naive_s": None, "value": fd.value, "bound": fd.upper_bound})
    return rows


QUICK = dict(shallow_widths=(4, 6), deep_widths=(3,), rank_sizes=(2,), fd_arch=(2, 4, 4, 1))


def table(rows) -> str:
    out = [f"{'task':22s} {'architecture':26s} {'regions':>8s} {'semialg s':>10s} {'naive s':>10s} {'ratio':>8s}"]
    for r in rows:
        naive = r["naive_s"]
        ratio = f"{naive / r['semialg_s']:.1f}x" if naive else "-"
        out.append(f"{r['task']:22s} {r['arch']:26s} {str(r['regions'] or ''):>8s} {r['semialg_s']:10.3f} "
                   f"{(f'{naive:.3f}' if naive else '-'):>10s} {ratio:>8s}"
                   + (f"   dim_fun = {r['value']} (bound {r['bound']})" if "value" in r else ""))
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "pl")


if __name__ == "__main__":
    main()
