r"""Benchmark: the functional dimension of case-(a) bottlenecks with neurons hidden from $P = \{h > 0\}$ (float32
weights, ``bench_budgets.network``): ours (``sa.functional_dimension``: the activity patterns of the first layer on
$P$, :mod:`semialg.families.bottleneck.dimension`) against the engine's Jacobian over every region
(``method="batch"``, budget 60 s) and the floor (the exact rank of the Jacobian rows at the batch ours names, which
is what re-checking its lower bound costs; with every neuron seen, the visible-rank certificate's ``verify``).

    python benchmarks/bench_bottleneck_patterns.py
    python benchmarks/bench_bottleneck_patterns.py --quick

Measured (session 57, 2-core machine, one other process running; seconds):

    architecture         D  value  generic   method   ours s   peer s      peer  peer/ours  ours/floor
    2-20-1-2 s2         85     27       64 patterns     0.03     0.80        27      29.2x        1.3x
    2-40-1-2 s0        165    121      124 patterns     0.14     4.91       121      35.1x        0.6x
    2-80-1-2 s0        325    231      244 patterns     0.46    46.52       231     101.3x        0.3x
    2-80-1-2 s3        325    244      244  visible     0.00     1.12       244     232.5x        4.2x
    4-16-1-2 s2        101     84       84 patterns     1.07     5.29        84       4.9x        8.1x
    3-30-1-2 s0        155    124      124  visible     0.00     0.07       124      25.4x        4.6x
    2-160-1-2 s0       645    366      484 patterns     2.65    60.46 undecided      22.8x        0.3x

The patterns decide in about the time of the first layer's arrangement (2-160-1-2: 12,881 cells); the engine
enumerates every region of the network and ranks $(n_0 + 1)$ Jacobian rows per region. With every neuron seen the
visible-rank certificate answers at once.
"""

from __future__ import annotations

import semialg as sa
from bench_bottleneck_fdim import _peer
from bench_budgets import network
from common import main as bench_main, ratio, seconds, timed
from semialg.core.exact import rank
from semialg.engine.jacobian import parameter_jacobian

CASES = (((2, 20, 1, 2), 2), ((2, 40, 1, 2), 0), ((2, 80, 1, 2), 0), ((2, 80, 1, 2), 3), ((4, 16, 1, 2), 2),
         ((3, 30, 1, 2), 0), ((2, 160, 1, 2), 0))


def run(cases=CASES, cap: float | None = 60.0):
    """The rows; ``cap`` is the peer's budget in seconds (``None``: the peer is not run)."""
    rows = []
    for widths, seed in cases:
        net = network(widths, seed)
        ours, ours_s = timed(sa.functional_dimension, net)
        if ours.certificate is not None:        # every neuron seen: the visible-rank certificate's points
            _, floor_s = timed(ours.certificate.verify, net)
        else:
            floor, floor_s = timed(lambda: rank([row for x in ours.batch for row in parameter_jacobian(net, x)]))
            assert floor == ours.value
        peer, peer_s = _peer(net, cap) if cap is not None else (None, None)
        row = {"arch": "-".join(map(str, widths)) + f" s{seed}", "D": net.architecture.num_parameters,
               "value": ours.value, "generic": ours.upper_bound, "method": ours.method, "ours_s": ours_s,
               "peer": peer, "peer_s": peer_s, "floor_s": floor_s}
        print(table([row]).splitlines()[-1], flush=True)
        rows.append(row)
    return rows


QUICK = dict(cases=CASES[:1], cap=5.0)


def table(rows) -> str:
    out = [f"{'architecture':16s} {'D':>5s} {'value':>6s} {'generic':>8s} {'method':>8s} {'ours s':>8s} {'peer s':>8s} "
           f"{'peer':>9s} {'peer/ours':>10s} {'ours/floor':>11s}"]
    for r in rows:
        method = "visible" if "visible" in r["method"] else "patterns"
        out.append(f"{r['arch']:16s} {r['D']:5d} {r['value']:6d} {r['generic']:8d} {method:>8s} {r['ours_s']:8.2f} "
                   f"{seconds(r['peer_s'])} {str(r['peer']) if r['peer'] is not None else '-':>9s} "
                   f"{ratio(r['peer_s'], r['ours_s'])} {r['ours_s'] / r['floor_s']:10.1f}x")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "bottleneck_patterns")


if __name__ == "__main__":
    main()
