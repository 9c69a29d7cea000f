r"""Benchmark: building the fibre of a shallow parameter at the widths people train (784-n-10).

Ours (``semialg.fibre``: symbols created when read, the 0-factors ruled out by a modular certificate of the flip
terms' independence, ``rank_one_independent``) against the construction before session 29 (every symbol and both
symbol matrices built at once, and the flip terms' exact kernel, ``zero_sum_sets(flip_terms(net, 1))``; capped at
``naive_max`` neurons) and the floor (one exact evaluation of the network: every parameter read once). Parameters: random integer
rows (Gaussian times 64) — generic, so the fibre is $n!$ orbit charts and the naive kernel finds no 0-factor either.

    python benchmarks/bench_fibre_scale.py
    python benchmarks/bench_fibre_scale.py --quick

Measured (session 29, 2-core machine shared with an audit; seconds):

    architecture           D   ours s  naive s  floor s  naive/ours  ours/floor
    784-256-10        203530     0.56     6.79     0.08       12.1x        7.2x
    784-1024-10       814090     2.18    24.92     0.21       11.4x       10.2x
    784-4096-10      3256330    10.22        -     0.60           -       17.0x

Before, ``sa.fibre`` of a 784-4096-10 parameter ran past its 60 s budget (stopped at 120 s; 290 s under a
profiler, which showed the naive column's two
costs: 3.3 million sympy symbols at about 10 microseconds each with two 3.2-million-entry symbol matrices, and 32
million exact products for the flip terms). Of the 10 s left, 6 s are the modular certificate (a $4096 \times 4096$
rank modulo a prime) and 3 s the rows' normal forms. A component's equations are built in full only when it is
read: ``F.to_latex()`` of a fibre whose components exceed 5,000 polynomials typesets the family in index notation
(:mod:`semialg.ui.fibre_latex`; at 784-16-10 the expanded form took 326 s and 7.3 MB, this 0.00 s and 1 kB).
"""

from __future__ import annotations

import numpy as np
from flint import fmpq

import semialg as sa
from common import main as bench_main, timed
from semialg.core.network import _layer_variables
from semialg.engine.neurons import flip_terms
from semialg.geometry.zero_sum import zero_sum_sets


def arrays(n0: int, n1: int, n3: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    return ([np.round(rng.normal(size=(n1, n0)) * 64).astype(np.int64),
             rng.choice([-3, -2, -1, 1, 2, 3], size=(n3, n1)).astype(np.int64)],
            [rng.integers(-64, 65, size=n1), rng.integers(-3, 4, size=n3)])


def naive(net: sa.Network):
    """The construction's two costs before: every symbol and symbol matrix, and the exact flip-term kernel."""
    for l, (r, c) in enumerate(net.architecture.layer_shapes(), start=1):
        _layer_variables(l, r, c)
    return zero_sum_sets(flip_terms(net, 1))


def run(shapes=((784, 256, 10), (784, 1024, 10), (784, 4096, 10)), naive_max: int = 1024):
    rows = []
    for n0, n1, n3 in shapes:
        Ws, bs = arrays(n0, n1, n3)
        net = sa.Network.from_arrays(Ws, bs)
        _, floor_s = timed(net, [fmpq(j % 7 - 3, 4) for j in range(n0)])
        _layer_variables.cache_clear()
        F, ours_s = timed(sa.fibre, net)
        row = {"arch": f"{n0}-{n1}-{n3}", "D": net.architecture.num_parameters, "ours_s": ours_s,
               "naive_s": None, "floor_s": floor_s}
        if n1 <= naive_max:
            _layer_variables.cache_clear()
            flips, row["naive_s"] = timed(naive, net)
            assert tuple(flips) == F.flip_sets[1:]      # both find the same 0-factors (none, generically)
        rows.append(row)
        print(table(rows[-1:]), flush=True)
    return rows


QUICK = dict(shapes=((32, 16, 2),), naive_max=16)


def table(rows) -> str:
    out = [f"{'architecture':14s} {'D':>9s} {'ours s':>8s} {'naive s':>8s} {'floor s':>8s} {'naive/ours':>11s} "
           f"{'ours/floor':>11s}"]
    for r in rows:
        naive_s = f"{r['naive_s']:8.2f}" if r["naive_s"] is not None else f"{'-':>8s}"
        ratio = f"{r['naive_s'] / r['ours_s']:10.1f}x" if r["naive_s"] is not None else f"{'-':>11s}"
        out.append(f"{r['arch']:14s} {r['D']:9d} {r['ours_s']:8.2f} {naive_s} {r['floor_s']:8.2f} {ratio} "
                   f"{r['ours_s'] / r['floor_s']:10.1f}x")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "fibre_scale")


if __name__ == "__main__":
    main()
