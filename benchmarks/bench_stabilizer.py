"""Benchmark: the stabilizer in G of a deep parameter with float32 weights (784-256-256-10 and wider).

Ours (``semialg.families.deep.stabilizer``) closes each orbit with the generators already found, takes the
isolated (all-zero) neurons in closed form and splits pruned neurons (zero row and bias, non-zero outgoing column)
by their columns in the next layer's frame (``zero_neuron_key``; before, each search tried every matching of them:
6 pruned neurons at 784-256-256-10 took 172 s); the naive chain searches every candidate image of every base point
(run only while it needs at most ``naive_max`` searches); the floor is one pass over the weights that groups the
tied neurons (``tie_classes``).

    python benchmarks/bench_stabilizer.py            # 784-256-256-10, 784-1024-1024-10
    python benchmarks/bench_stabilizer.py --quick    # smoke sizes
"""

from __future__ import annotations

import math

import numpy as np

import semialg as sa
from common import main as bench_main, timed
from semialg.engine.orbit import orbit_element, tie_classes
from semialg.families.deep.stabilizer import free_components, stabilizer


def make_net(widths, zero: int = 0, twins: int = 0, seed: int = 0, pruned: int = 0) -> sa.Network:
    """Gaussian float32 weights; ``zero`` all-zero neurons in hidden layer 1, ``twins`` exact twin pairs in
    hidden layer 2 (same row, bias and outgoing column), ``pruned`` neurons of hidden layer 1 after them with zero
    row and bias but their random outgoing column (distinct columns: they are fixed, no torus)."""
    rng = np.random.default_rng(seed)
    Ws = [rng.standard_normal((widths[l + 1], widths[l])).astype(np.float32) for l in range(len(widths) - 1)]
    bs = [rng.standard_normal(widths[l + 1]).astype(np.float32) for l in range(len(widths) - 1)]
    for z in range(zero):
        Ws[0][z], bs[0][z], Ws[1][:, z] = 0, 0, 0
    for z in range(zero, zero + pruned):
        Ws[0][z], bs[0][z] = 0, 0
    for t in range(twins):
        a, b = -1 - 2 * t, -2 - 2 * t
        Ws[1][a], bs[1][a], Ws[2][:, a] = Ws[1][b], bs[1][b], Ws[2][:, b]
    return sa.Network.from_arrays(Ws, bs)


def naive_order(net: sa.Network) -> int:
    """$|\\Gamma|$ by one orbit search per base point and candidate image (no closure, no closed forms), and the
    torus as ours finds it."""
    free_components(net)
    order = 1
    for l, classes in enumerate(tie_classes(net), start=1):
        for C in classes:
            for k, i in enumerate(C[:-1]):
                fixed = {(j, a): a for j in range(1, l) for a in range(net.widths[j])}
                fixed.update(((l, b), b) for b in C[:k])
                order *= sum(orbit_element(net, net, fixed={**fixed, (l, i): w}) is not None for w in C[k:])
    return order


QUICK = {"cases": (((16, 8, 8, 3), 0, 0), ((16, 8, 8, 3), 3, 1, 4)), "naive_max": 50}
CASES = (((784, 256, 256, 10), 0, 0), ((784, 256, 256, 10), 8, 4), ((784, 256, 256, 10), 40, 0),
         ((784, 256, 256, 10), 0, 0, 6), ((784, 1024, 1024, 10), 0, 0))


def run(cases=CASES, naive_max: int = 60):
    rows = []
    for widths, zero, twins, *pruned in cases:
        pruned = pruned[0] if pruned else 0
        net = make_net(widths, zero, twins, pruned=pruned)
        S, ours = timed(stabilizer, net)
        assert S.order_of_finite_part == math.factorial(zero) * 2 ** twins and S.dimension == zero
        _, floor = timed(tie_classes, net)
        searches = sum(len(C) * (len(C) - 1) // 2 for layer in tie_classes(net) for C in layer)
        naive = None
        if searches <= naive_max:
            order, naive = timed(naive_order, net)
            assert order == S.order_of_finite_part
        rows.append({"arch": "-".join(map(str, widths)), "zero": zero, "twins": twins, "pruned": pruned,
                     "order": S.order_of_finite_part, "ours_s": ours, "naive_s": naive, "floor_s": floor})
        print(table(rows[-1:]), flush=True)
    return rows


def table(rows) -> str:
    out = [f"{'arch':>16} {'zero':>4} {'twins':>5} {'pruned':>6} {'ours s':>8} {'naive s':>8} {'naive/us':>8} {'floor s':>8} "
           f"{'us/floor':>8}"]
    for r in rows:
        naive = "-" if r["naive_s"] is None else f"{r['naive_s']:.3f}"
        ratio = "-" if r["naive_s"] is None else f"{r['naive_s'] / r['ours_s']:.1f}x"
        out.append(f"{r['arch']:>16} {r['zero']:>4} {r['twins']:>5} {r.get('pruned', 0):>6} {r['ours_s']:>8.3f} {naive:>8} {ratio:>8} "
                   f"{r['floor_s']:>8.3f} {r['ours_s'] / r['floor_s']:>7.1f}x")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "stabilizer")


if __name__ == "__main__":
    main()
