r"""Benchmark: case-(a) bottleneck questions at widths where the first layer's arrangement is out of reach
(n0-n1-1-1, $n_0 \ge 6$): the local dimension of the fibre at a parameter with twins, and equivalence.

*Local dimension*: ours (``semialg.families.bottleneck.local.local_dimension_bounds``: the type read off exact
witnesses, the sampled Jacobian rows in the quotient by the seen kinks' equations) against the first-order bounds alone
(``semialg.engine.tangent.local_dimension_bounds`` without extras: sampled rows, then the region enumeration until
its budget of 30 s) and the floor (the sampled Jacobian batch alone). "gap" is upper minus lower (0: decided).

*Equivalence*: ours (``sa.equivalent``: the shallow moves of the inner network when $h_2 = \mu h_1$, else a
separating input on lines) against the general method for any depth (``semialg.families.deep.equivalent``, budget
30 s: normal forms, moves, refutation on lines, the region oracle) and the floor (exact evaluation of both networks
at 64 rational inputs). Pairs: the twins' output weights traded and a random group element applied (equivalent), and
one bias moved by 1/1000 (not equivalent).

    python benchmarks/bench_bottleneck_wide.py
    python benchmarks/bench_bottleneck_wide.py --quick

Measured (session 28, 2-core machine otherwise idle; seed 1; seconds):

    architecture       D  first-order  gap      ours  gap  first s  ours s  floor s  first/ours  ours/floor
    6-16-1-1         131     (18, 24)    6  (18, 18)    0    31.38    0.01     0.09     3459.6x        0.1x
    8-24-1-1         243     (26, 34)    8  (26, 26)    0    30.01    0.01     0.31     2490.5x        0.0x
    10-40-1-1        483     (42, 52)   10  (42, 42)    0    30.01    0.23     0.60      131.4x        0.4x
    16-64-1-1       1155     (66, 82)   16  (66, 66)    0    30.19    0.11     9.17      266.9x        0.0x

    architecture      pair   ours       deep  ours s  deep s  floor s  deep/ours  ours/floor
    6-16-1-1        traded   True       True    0.01    0.00     0.00       0.1x        3.2x
    6-16-1-1         moved  False      False    0.00    0.00     0.01       0.5x        0.8x
    8-24-1-1        traded   True       True    0.02    0.00     0.00       0.1x        3.7x
    8-24-1-1         moved  False      False    0.01    0.00     0.01       0.5x        1.0x
    10-40-1-1       traded   True       True    0.02    0.00     0.01       0.1x        3.6x
    10-40-1-1        moved  False      False    0.01    0.00     0.01       0.4x        1.6x
    16-64-1-1       traded   True       True    0.06    0.00     0.01       0.1x        4.8x
    16-64-1-1        moved  False      False    0.02    0.01     0.01       0.4x        1.8x

Session 27 measured ours at 0.68-28.9 s (the seen kinks' equations with the full sampled batch, the floor column);
since session 28 ours computes in the quotient by the seen kinks (``semialg.families.bottleneck.kink_quotient``:
Jacobian rows of $2n_1 + 3$ columns instead of $D$), so the full batch is no floor for it any more (ratios below 1).
Before session 27 ours equalled the first-order column with upper bound $D$ at 8-24-1-1 and beyond, and
``sa.equivalent`` on these pairs ran for more than ten minutes (the joint arrangement); session 27 measured 0.03-0.2 s
(before the orbit search hashed its rows as integers and floats were converted once per network). The general method
for any depth decides the pairs faster still (its normal forms merge the twins at once); ours names the bottleneck
moves (twins traded inside $h$).
"""

from __future__ import annotations

import random

from flint import fmpq

import semialg as sa
from common import main as bench_main, timed
from semialg.core.symmetry import GroupElement
from semialg.engine import tangent
from semialg.engine.jacobian import sampled_batch
from semialg.errors import UndecidedError
from semialg.families.bottleneck.local import local_dimension_bounds
from semialg.families.deep.equivalence import equivalent as deep_equivalent


def planted(n0: int, n1: int, seed: int) -> sa.Network:
    """Random small integer entries; neuron 1 is twice neuron 0 with the same output weight (jumps add up)."""
    rng = random.Random(seed)
    W = [[rng.randint(-3, 3) for _ in range(n0)] for _ in range(n1)]
    b = [fmpq(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(n1)]
    v = [rng.choice([-2, -1, 1, 2, 3]) for _ in range(n1)]
    W[1], b[1], v[1] = [2 * x for x in W[0]], 2 * b[0], v[0]
    return sa.Network.from_arrays([W, [v], [[1]]], [b, [rng.randint(-2, 2)], [0]])


def pairs(net: sa.Network, seed: int) -> list[tuple[str, sa.Network]]:
    v = list(net.weights[1][0])
    v[0], v[1] = v[0] + 2, v[1] - 1
    traded = sa.Network.from_arrays([net.weights[0], [v], net.weights[2]], net.biases)
    b = list(net.biases[0])
    b[2] += fmpq(1, 1000)
    return [("traded", GroupElement.random(net.architecture, seed=seed).act(traded)),
            ("moved", sa.Network.from_arrays(net.weights, [b] + list(net.biases[1:])))]


def _answer(f, *args, **kw):
    try:
        return timed(f, *args, **kw)
    except UndecidedError:
        return "undecided", None


def run(shapes=((6, 16), (8, 24), (10, 40), (16, 64)), seed: int = 1, cap: float = 30.0):
    rows = []
    for n0, n1 in shapes:
        net = planted(n0, n1, seed + n0 * n1)
        D = net.architecture.num_parameters
        first, first_s = timed(tangent.local_dimension_bounds, net, budget=cap)
        ours, ours_s = timed(local_dimension_bounds, net, budget=cap)
        _, floor_s = timed(sampled_batch, net, D - n1 - 2)
        row = {"table": "local", "arch": f"{n0}-{n1}-1-1", "D": D, "first": first, "ours": ours,
               "peer_s": first_s, "ours_s": ours_s, "floor_s": floor_s}
        print(table([row]).splitlines()[-1], flush=True)
        rows.append(row)
        for kind, other in pairs(net, seed):
            ours, ours_s = timed(sa.equivalent, net, other)
            assert ours.verify(net, other)
            peer, peer_s = _answer(deep_equivalent, net, other, budget=cap)
            rng = random.Random(seed)
            points = [[fmpq(rng.randint(-99, 99), rng.randint(1, 9)) for _ in range(n0)] for _ in range(64)]
            _, floor_s = timed(lambda: [(net(x), other(x)) for x in points])
            row = {"table": "equivalence", "arch": f"{n0}-{n1}-1-1", "pair": kind, "ours": bool(ours),
                   "peer": peer if isinstance(peer, str) else bool(peer), "peer_s": peer_s if peer_s else cap,
                   "ours_s": ours_s, "floor_s": floor_s}
            print(table([row]).splitlines()[-1], flush=True)
            rows.append(row)
    return rows


QUICK = dict(shapes=((6, 16),), cap=5.0)


def table(rows) -> str:
    out = []
    local = [r for r in rows if r["table"] == "local"]
    if local:
        out.append(f"{'architecture':14s} {'D':>5s} {'first-order':>12s} {'gap':>4s} {'ours':>9s} {'gap':>4s} "
                   f"{'first s':>8s} {'ours s':>7s} {'floor s':>8s} {'first/ours':>11s} {'ours/floor':>11s}")
        for r in local:
            (a, b), (c, d) = r["first"], r["ours"]
            out.append(f"{r['arch']:14s} {r['D']:5d} {str((a, b)):>12s} {b - a:4d} {str((c, d)):>9s} {d - c:4d} "
                       f"{r['peer_s']:8.2f} {r['ours_s']:7.2f} {r['floor_s']:8.2f} "
                       f"{r['peer_s'] / r['ours_s']:10.1f}x {r['ours_s'] / r['floor_s']:10.1f}x")
    pair = [r for r in rows if r["table"] == "equivalence"]
    if pair:
        out.append(f"{'architecture':14s} {'pair':>7s} {'ours':>6s} {'deep':>10s} {'ours s':>7s} {'deep s':>7s} "
                   f"{'floor s':>8s} {'deep/ours':>10s} {'ours/floor':>11s}")
        for r in pair:
            out.append(f"{r['arch']:14s} {r['pair']:>7s} {str(r['ours']):>6s} {str(r['peer']):>10s} "
                       f"{r['ours_s']:7.2f} {r['peer_s']:7.2f} {r['floor_s']:8.2f} "
                       f"{r['peer_s'] / r['ours_s']:9.1f}x {r['ours_s'] / r['floor_s']:10.1f}x")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "bottleneck_wide")


if __name__ == "__main__":
    main()
