"""Benchmark: move certificates of bottleneck equivalence (issue 17 item 3) against the certificates they replace.

(b) n1 = 1: a pair differing by one kink flip absorbed by the A block, and one by a dead neuron moved (a random
    group element on top), as n2 grows to 1024 (``WITNESS_LIMIT``): the profile decision and its verification
    against building and verifying the move certificate.
(a) n2 = 1, n0 = 2: a pair differing by one hidden (U-) neuron moved (the math notes' example, then random widths
    with an inserted hidden neuron): the arrangement decision and verification against the move certificate.

    python benchmarks/bench_bottleneck_witness.py            # full run, prints a table, writes JSON
    python benchmarks/bench_bottleneck_witness.py --quick    # smoke sizes
"""

from __future__ import annotations

import random

from flint import fmpq

import semialg as sa
from common import main as bench_main, timed
from semialg.families.bottleneck.outer import equivalent_outer
from semialg.families.bottleneck.ridge import equivalent_ridge
from semialg.families.bottleneck.witnesses import witness


def _q(rng: random.Random) -> fmpq:
    return fmpq(rng.randint(1, 6), rng.randint(1, 4))


def ridge_pair(n2: int, kind: str, seed: int) -> tuple[sa.Network, sa.Network]:
    """A case-(b) network (A neuron, distinct kinks, one dead neuron) and a partner by one move."""
    rng = random.Random(seed)
    classes = ["A"] + [rng.choice(("K+", "K-")) for _ in range(n2 - 2)] + ["Z"]
    sign = {"A": (1, 1), "K+": (1, -1), "K-": (-1, 1), "Z": (-1, -1)}
    v = [sign[k][0] * _q(rng) for k in classes]
    e = [sign[k][1] * (abs(x) * fmpq(j, 3) if 0 < j < n2 - 1 else _q(rng)) for j, (k, x) in enumerate(zip(classes, v))]
    c = [_q(rng) * rng.choice((-1, 1)) for _ in classes]
    w, b, d = [_q(rng), -_q(rng)], _q(rng), _q(rng)
    v2, e2, c2, d2 = list(v), list(e), list(c), d
    if kind == "kink flip":
        c2[0] = c[0] + c[1] * v[1] / v[0]
        d2 = d + c[1] * e[1] - c[1] * v[1] / v[0] * e[0]
        v2[1], e2[1] = -v[1], -e[1]
    else:
        v2[-1], e2[-1], c2[-1] = -fmpq(2), -fmpq(3), fmpq(5)
    net = lambda v, e, c, d: sa.Network.from_arrays([[w], [[x] for x in v], [c]], [[b], e, [d]])  # noqa: E731
    other = net(v2, e2, c2, d2)
    return net(v, e, c, d), sa.GroupElement.random(other.architecture, seed=seed).act(other)


def outer_pair(n1: int, seed: int) -> tuple[sa.Network, sa.Network]:
    """The math notes' 2-4-1-1 example (neuron 4 hidden) widened by n1 - 4 visible neurons far away, and the same
    network with the hidden neuron moved and one more hidden neuron inserted."""
    rng = random.Random(seed)
    W = [[-1, 0], [0, 1], [0, -1]] + [[rng.choice((-1, 1)) * _q(rng), _q(rng)] for _ in range(n1 - 4)]
    b = [0, 0, 0] + [fmpq(-100) for _ in range(n1 - 4)]
    v = [1, -1, -1] + [-_q(rng) for _ in range(n1 - 4)]
    a = sa.Network.from_arrays([W + [[1, 0]], [v + [-2]], [[1]]], [b + [-5], [0], [0]])
    o = sa.Network.from_arrays([W + [[2, 1], [3, 1]], [v + [-7, -1]], [[1]]], [b + [-3, -9], [0], [0]])
    return a, o


def _row(case, arch, pair, decide, net, other):
    r, td = timed(decide, net, other)
    _, tdv = timed(r.verify, net, other)
    cert, tw = timed(witness, net, other)
    _, twv = timed(cert.verify, net, other)
    return {"case": case, "arch": arch, "pair": pair, "decide_s": td, "decide_verify_s": tdv, "witness_s": tw,
            "witness_verify_s": twv, "moves": len(cert.moves1) + len(cert.moves2), "mechanisms": cert.mechanisms()}


def run(ridge_widths=(64, 256, 1024), outer_widths=(4, 8, 12)):
    rows = []
    for n2 in ridge_widths:
        for kind in ("kink flip", "dead neuron"):
            net, other = ridge_pair(n2, kind, seed=n2)
            rows.append(_row("(b)", f"2-1-{n2}-1", kind, equivalent_ridge, net, other))
    for n1 in outer_widths:
        net, other = outer_pair(n1, seed=n1)
        rows.append(_row("(a)", f"2-{n1}-1-1", "hidden moved", equivalent_outer, net, other))
    return rows


QUICK = dict(ridge_widths=(64, 256), outer_widths=(4, 8))


def table(rows) -> str:
    out = [f"{'case':5s} {'architecture':13s} {'pair':12s} {'decide s':>9s} {'+verify':>8s} {'witness s':>10s} "
           f"{'+verify':>8s} {'moves':>6s}  mechanisms"]
    for r in rows:
        out.append(f"{r['case']:5s} {r['arch']:13s} {r['pair']:12s} {r['decide_s']:9.3f} {r['decide_verify_s']:8.3f} "
                   f"{r['witness_s']:10.3f} {r['witness_verify_s']:8.3f} {r['moves']:6d}  {', '.join(r['mechanisms'])}")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "bottleneck_witness")


if __name__ == "__main__":
    main()
