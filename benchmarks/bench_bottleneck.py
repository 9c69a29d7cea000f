"""Benchmark: exact equivalence of three-layer bottleneck networks against the region-enumeration oracle.

(b) n1 = 1: the 1-D breakpoint profile, for a random network and a random G-image of it, as the
    second-layer width n2 grows to 10^5; the oracle ``pl.equivalent`` in the same run while it is feasible.
(a) n2 = 1, n0 = 2: the joint-arrangement sweep against ``pl.equivalent`` as n1 grows, on a G-image (equivalent,
    not recognised as such by any shortcut: the sweep runs in full) and on a near miss (first weight moved by 1/97).

    python benchmarks/bench_bottleneck.py            # full run, prints a table and writes bench_bottleneck.json
    python benchmarks/bench_bottleneck.py --quick    # smoke sizes
"""

from __future__ import annotations

import random

from flint import fmpq

import semialg as sa
from common import main as bench_main, timed
from semialg.engine import regions as pl
from semialg.families import bottleneck


def ridge_network(n0: int, n2: int, seed: int) -> sa.Network:
    """A random case-(b) network with entries p/q, |p|, q <= 99 (no zero entries)."""
    rng = random.Random(seed)
    q = lambda: fmpq(rng.choice([-1, 1]) * rng.randint(1, 99), rng.randint(1, 99))  # noqa: E731
    return sa.Network(((tuple(q() for _ in range(n0)),), tuple((q(),) for _ in range(n2)),
                       (tuple(q() for _ in range(n2)),)), ((q(),), tuple(q() for _ in range(n2)), (q(),)))


def near_miss(net: sa.Network) -> sa.Network:
    theta = list(net.parameters())
    theta[0] += fmpq(1, 97)                     # tilts the first hyperplane
    return sa.Network.from_parameters(net.architecture, theta)


def _row(case, arch, pair, r, t, oracle):
    row = {"case": case, "arch": arch, "pair": pair, "equivalent": bool(r), "semialg_s": t, "oracle_s": None}
    if oracle is not None:
        o, to = oracle
        assert bool(o) == bool(r), (arch, pair)
        row["oracle_s"] = to
    return row


def run(ridge_widths=(10, 30, 1000, 10 ** 4, 10 ** 5), ridge_oracle_max=30, outer_widths=(5, 10, 20, 30)):
    rows = []
    for n2 in ridge_widths:
        net = ridge_network(2, n2, seed=n2)
        image = sa.GroupElement.random(net.architecture, seed=1).act(net)
        for pair, other in (("G-image", image), ("near miss", near_miss(image))):
            r, t = timed(bottleneck.equivalent, net, other)
            r.verify(net, other)
            oracle = timed(pl.equivalent, net, other) if n2 <= ridge_oracle_max else None
            rows.append(_row("(b)", f"2-1-{n2}-1", pair, r, t, oracle))
    for n1 in outer_widths:
        net = sa.Network.random((2, n1, 1, 1), seed=n1)
        image = sa.GroupElement.random(net.architecture, seed=1).act(net)
        for pair, other in (("G-image", image), ("near miss", near_miss(image))):
            r, t = timed(bottleneck.equivalent, net, other)
            rows.append(_row("(a)", f"2-{n1}-1-1", pair, r, t, timed(pl.equivalent, net, other)))
    return rows


QUICK = dict(ridge_widths=(10, 1000), outer_widths=(5, 10))


def table(rows) -> str:
    out = [f"{'case':5s} {'architecture':14s} {'pair':10s} {'equiv':>6s} {'semialg s':>10s} {'oracle s':>10s} "
           f"{'ratio':>8s}"]
    for r in rows:
        o = r["oracle_s"]
        ratio = f"{o / r['semialg_s']:.0f}x" if o else "-"
        out.append(f"{r['case']:5s} {r['arch']:14s} {r['pair']:10s} {str(r['equivalent']):>6s} "
                   f"{r['semialg_s']:10.4f} {(f'{o:.3f}' if o else '-'):>10s} {ratio:>8s}")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "bottleneck")


if __name__ == "__main__":
    main()
