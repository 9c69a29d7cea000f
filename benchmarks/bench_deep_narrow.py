"""Benchmark: kink peeling on deep narrow networks, against the Jacobian route.

With few inputs, a neuron's kink points often miss the active side of a neuron below it (its weight from that
neuron is then seen at no kink point), and deep neurons' zero sets are hard to land on. Ours is
:func:`semialg.engine.kink_peeling.kink_peeling_certificate` (weights seen at no kink point pinned by the next
layer, step 5; landing by bisection when Newton steps fail); the peer is the Jacobian route,
``functional_dimension(net, method="batch")`` (the exact rank modulo a prime of sampled Jacobian rows), which
says which networks have full functional dimension $\\dim\\Omega - \\#\\text{hidden}$ ("full"), or is "undecided" within
``jacobian_budget`` seconds. A certificate is a sufficient condition: "certified" counts the networks it proves
(every one verified, and equal to the Jacobian's value where that decided), "pinned" those that needed step 5,
"beyond" those the Jacobian left undecided. Times are means per network (seconds; the Jacobian's over the
networks it decided).
Weights: ``Network.random(arch, seed)`` ("random", p/q with |p|, q <= 5) and float32 Gaussian weights scaled by
sqrt(2/fan-in) ("float32", read exactly).

    python benchmarks/bench_deep_narrow.py
    python benchmarks/bench_deep_narrow.py --quick

Each row is printed as it finishes; the table follows. Measured (session 70, 2-core machine shared with an audit):

    arch        weights  nets  full  certified  pinned  undecided  beyond  ours_s  jacobian_s  jac/ours
    3-6-6-2     random     40    28         26      10          0       0    0.14        0.07         0
    3-6-6-6-1   random     60    13         11       7          0       0    0.46        1.05         2
    4-16-16-2   float32    12     5          4       2          1       0    0.50       13.11        26
    8-32-32-2   float32     8     7          8       0          1       1    0.92        1.86         2
    3-8-8-8-2   float32    20     3          1       1          0       0    1.02        6.27         6

Where the Jacobian decided, kink peeling certified 26 of 28, 11 of 13, 4 of 5, 7 of 7 and 1 of 3 full networks,
and the one 8-32-32-2 network the Jacobian left undecided after 60 s. Session 69 (before kink points were
bisected within a neuron's sign, which fixes most weights its pins needed) certified 24, 9, 3, 7 and 1, and the
Jacobian route (before regions were found lazily) left 7 of the 12 4-16-16-2 networks undecided, against 1 now.
Before session 69 (no step 5, Newton landing only) kink peeling certified 6, 1, 0, 5 and 0 of them. With the walk
over pieces added later in session 70 (``KinkFinder.walk``), kink peeling alone certifies 26, 11, 5 (all five full
4-16-16-2 networks), 8 and 2 of the same networks (every certificate verified). Session 71, the 4-16-16-2 row
again: the Jacobian route decides all 12 (mean 12.9 s), the last one (seed 7, functional dimension 346) through
the affine relations of the flat bound (``unread_combinations``) after 51 regions; kink peeling certifies the 5
full ones in 0.65 s a network:

    4-16-16-2   float32    12     5          5       2          0       0    0.65       12.92        20
"""

from __future__ import annotations

from functools import partial

import numpy as np

import semialg as sa
from common import columns, main as bench_main, timed
from semialg.engine.functional_dimension import functional_dimension
from semialg.engine.kink_peeling import kink_peeling_certificate
from semialg.errors import UndecidedError


def float32_net(widths, seed):
    rng = np.random.default_rng(seed)
    Ws = [(rng.standard_normal((o, i)) * np.sqrt(2 / i)).astype(np.float32) for i, o in zip(widths, widths[1:])]
    bs = [(rng.standard_normal(o) * 0.1).astype(np.float32) for o in widths[1:]]
    return sa.Network.from_arrays(Ws, bs)


def run(families=(((3, 6, 6, 2), "random", 40), ((3, 6, 6, 6, 1), "random", 60), ((4, 16, 16, 2), "float32", 12),
                  ((8, 32, 32, 2), "float32", 8), ((3, 8, 8, 8, 2), "float32", 20)), jacobian_budget=60.0):
    rows = []
    for arch, kind, count in families:
        full = certified = pinned = undecided = beyond = 0
        ours = peer = 0.0
        for seed in range(count):
            net = sa.Network.random(arch, seed=seed) if kind == "random" else float32_net(arch, seed)
            bound = net.architecture.num_parameters - net.architecture.num_hidden
            cert, s = timed(kink_peeling_certificate, net)
            ours += s
            if cert is not None:
                assert cert.verify(net), (arch, kind, seed)
                certified += 1
                pinned += bool(cert.pins)
            try:
                fd, s = timed(functional_dimension, net, method="batch", budget=jacobian_budget, progress=False)
            except UndecidedError:
                undecided += 1
                beyond += cert is not None
                continue
            peer += s
            full += fd.value == bound
            assert cert is None or cert.dimension == fd.value, (arch, kind, seed)
        decided = count - undecided
        row = {"arch": "-".join(map(str, arch)), "weights": kind, "nets": count, "full": full,
               "certified": certified, "pinned": pinned, "undecided": undecided, "beyond": beyond,
               "ours_s": f"{ours / count:.2f}", "jacobian_s": f"{peer / max(1, decided):.2f}",
               "jac/ours": f"{peer / max(1, decided) / (ours / count):.0f}"}
        print(row, flush=True)
        rows.append(row)
    return rows


if __name__ == "__main__":
    bench_main(__doc__, run, partial(columns, width=10), {"families": (((3, 6, 6, 2), "random", 6), ((3, 6, 6, 6, 1), "random", 6))},
               "deep_narrow")
