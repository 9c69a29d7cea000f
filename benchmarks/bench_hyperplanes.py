"""Benchmark: grouping the neurons of an m-n-k network with float32 weights by hyperplane.

``neuron_lines`` groups them on the integer forms (primitive rows and one sort, vectorised); the rational pass
normalises and hashes each row of rationals (the route before, and still the one for rows given as
rationals), and it needs the rows as rationals first, which is timed with it. The floor is reading the integer
forms (``integer_neuron_rows``). Then the questions built on the grouping, timed on a fresh network each:
``hyperplanes`` (which also builds every key as rationals), ``canonical_form``, ``stabilizer`` and the
closed-form functional dimension.

    python benchmarks/bench_hyperplanes.py            # n = 256, 1024, 4096
    python benchmarks/bench_hyperplanes.py --quick    # smoke sizes
"""

from __future__ import annotations

import numpy as np

import semialg as sa
from common import main as bench_main, timed
from semialg.families.shallow.view import ShallowView, hyperplanes, integer_neuron_rows, neuron_lines


def make_net(m: int, n: int, k: int, seed: int = 0) -> sa.Network:
    rng = np.random.default_rng(seed)
    return sa.Network.from_arrays([rng.normal(size=(n, m)).astype(np.float32),
                                   rng.normal(size=(k, n)).astype(np.float32)],
                                  [rng.normal(size=n).astype(np.float32), rng.normal(size=k).astype(np.float32)])


QUICK = {"widths": (16, 64), "m": 32, "k": 3}


def run(widths=(256, 1024, 4096), m=784, k=10):
    rows = []
    for n in widths:
        net = make_net(m, n, k)
        _, floor = timed(integer_neuron_rows, net)
        ours, t_ours = timed(neuron_lines, ShallowView.of(net))
        net = make_net(m, n, k)
        v = ShallowView.of(net)

        def rational():
            return neuron_lines(ShallowView(v.a, tuple(tuple(r) for r in v.w), v.b, v.c))
        theirs, t_rational = timed(rational)
        assert (ours.line, ours.sign, ours.scale) == (theirs.line, theirs.sign, theirs.scale)
        row = {"n": n, "lines_s": t_ours, "rational_s": t_rational, "floor_s": floor}
        for name, f in (("hyperplanes", lambda net: hyperplanes(ShallowView.of(net))),
                        ("canonical", sa.canonical_form), ("stabilizer", sa.stabilizer),
                        ("fun_dim", lambda net: sa.functional_dimension(net).value)):
            row[f"{name}_s"] = timed(f, make_net(m, n, k))[1]
        rows.append(row)
        print(table(rows[-1:]), flush=True)
    return rows


def table(rows) -> str:
    head = (f"{'n':>6} {'lines s':>8} {'rational s':>10} {'rational/us':>11} {'floor s':>8} {'us/floor':>8} "
            f"{'hyperpl s':>9} {'canonical s':>11} {'stabilizer s':>12} {'fun dim s':>9}")
    out = [head]
    for r in rows:
        out.append(f"{r['n']:>6} {r['lines_s']:>8.3f} {r['rational_s']:>10.3f} "
                   f"{r['rational_s'] / r['lines_s']:>10.1f}x "
                   f"{r['floor_s']:>8.3f} {r['lines_s'] / r['floor_s']:>7.1f}x {r['hyperplanes_s']:>9.3f} "
                   f"{r['canonical_s']:>11.3f} {r['stabilizer_s']:>12.3f} {r['fun_dim_s']:>9.3f}")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "hyperplanes")


if __name__ == "__main__":
    main()
