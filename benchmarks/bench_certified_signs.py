r"""Benchmark: activation patterns and output signs of a batch of rational points, at the sizes people train.

Ours: :meth:`semialg.Network.activation_patterns` and :meth:`~semialg.Network.output_signs` — float64 values with
a rigorous error bound (:func:`semialg.core.enclosure.certified_signs`), exact products only for the points with an
uncertain sign. The naive method is the one semialg had before (session 50): the signs of the exact integer
pre-activations, float64 BLAS on 20/24-bit limbs (:mod:`semialg.core.limbs`). The floor is the plain float64
forward pass (:meth:`~semialg.Network.float_preactivations`), which decides nothing. Both answers are compared
entry by entry; "uncertain" counts the points that went to the exact products. Weights are float32 read exactly
(as a trained checkpoint is), the points those of the $\frac{1}{64}$ grid that sampled inputs use.

    python benchmarks/bench_certified_signs.py
    python benchmarks/bench_certified_signs.py --quick

Measured (session 51, 2-core machine, load about 1; seconds for 256 points; every sign certain, so no exact
product was needed; ours includes turning the signs into the tuples the callers read):

    network            call                    ours   naive   floor  uncertain  ours/floor  naive/ours
    784-4096-10        activation_patterns     0.18    0.44    0.06          0        3.1x        2.4x
    784-4096-10        output_signs            0.17    1.14    0.06          0        2.9x        6.8x
    784-256-256-10     activation_patterns     0.06    0.21    0.06          0        1.1x        3.3x
    784-256-256-10     output_signs            0.05    0.20    0.06          0        1.0x        3.7x
    784-4096-1-10      activation_patterns     0.21    0.52    0.08          0        2.7x        2.5x
    784-4096-1-10      output_signs            0.16    0.43    0.08          0        2.1x        2.7x
"""

from __future__ import annotations

import numpy as np

from bench_budgets import network
from common import main as bench_main, ratio, seconds, timed
from semialg.core.grid_point import grid_points

FULL = dict(archs=((784, 4096, 10), (784, 256, 256, 10), (784, 4096, 1, 10)), points=256)
QUICK = dict(archs=((32, 64, 4), (16, 64, 1, 4)), points=64)


def _exact_signs(net, X, layers):
    """The naive method: the signs of the exact integer pre-activations of the first ``layers`` layers."""
    found = [Z.signs().T.tolist() for _, (Z, _) in zip(range(layers), net._integer_preactivations(X))]
    return [tuple(tuple(layer[k]) for layer in found) for k in range(len(X))]


def run(archs=FULL["archs"], points: int = FULL["points"], show=print) -> list[dict]:
    rows = []
    show(header())
    for widths in archs:
        net = network(widths)
        X = grid_points(np.random.default_rng(0).integers(-128, 129, (points, widths[0])), 64)
        F = np.array([[float(t) for t in x] for x in X])
        _, floor = timed(net.float_preactivations, F)
        for call, ours_f, naive_f, uncertain in (
                ("activation_patterns", net.activation_patterns, lambda A: _exact_signs(net, A, net.depth - 1),
                 lambda: sum(p is None for p in net._certified_signs(X, net.depth - 1))),
                ("output_signs", net.output_signs, lambda A: [p[-1] for p in _exact_signs(net, A, net.depth)],
                 lambda: sum(p is None for p in net._certified_signs(X, net.depth, net.depth - 1)))):
            ours, ours_s = timed(ours_f, X)
            naive, naive_s = timed(naive_f, X)
            assert ours == naive, f"{widths} {call}: the certified signs differ from the exact ones"
            row = {"network": "-".join(map(str, widths)), "call": call, "ours_s": ours_s, "naive_s": naive_s,
                   "floor_s": floor, "uncertain": uncertain()}
            rows.append(row)
            show(line(row))
    return rows


def header() -> str:
    return (f"{'network':18s} {'call':20s} {'ours':>7s} {'naive':>7s} {'floor':>7s} {'uncertain':>10s} "
            f"{'ours/floor':>11s} {'naive/ours':>11s}")


def line(r: dict) -> str:
    return (f"{r['network']:18s} {r['call']:20s} {seconds(r['ours_s'], 7)} {seconds(r['naive_s'], 7)} "
            f"{seconds(r['floor_s'], 7)} {r['uncertain']:10d} {ratio(r['ours_s'], r['floor_s'], 11)} "
            f"{ratio(r['naive_s'], r['ours_s'], 11)}")


def summary(rows) -> str:
    """The rows are printed as they finish; at the end, what the comparison found."""
    return (f"certified signs equal to the exact ones in all {len(rows)} rows; "
            f"{sum(r['uncertain'] for r in rows)} points needed exact products")


if __name__ == "__main__":
    bench_main(__doc__, lambda **kw: run(**kw), summary, QUICK, "certified_signs")
