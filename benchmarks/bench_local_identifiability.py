"""Benchmark: local identifiability / full functional dimension of deep networks by kink peeling, against the
Jacobian route and the floor.

Ours is :func:`semialg.engine.kink_peeling.kink_peeling_certificate` (and its ``verify``); the Jacobian route is
``functional_dimension(net, method="batch")`` (the exact rank modulo a prime of sampled Jacobian rows, what
``sa.identifiable`` used alone before), run within ``--jacobian-budget`` seconds and only when its rank fits in
memory and predicted to finish within it ("~N?": the predicted seconds, skipped). The floor is one exact forward
pass (``net.preactivations``) per kink point and sample, timed at 10 of the kink points: what checking the points
one by one needs (``verify`` evaluates them in batches, so it can beat the floor).
Weights: ``Network.random(arch, seed=0)`` ("random", p/q with |p|, q <= 5) and float32 Gaussian weights scaled by
1/sqrt(fan-in) ("float32", read exactly).

    python benchmarks/bench_local_identifiability.py
    python benchmarks/bench_local_identifiability.py --quick

Each row is printed as it finishes; the table follows. Measured (session 33, shared 2-core machine; seconds;
jacobian: "mem": its rank would need that memory, "~N?": predicted N s, skipped):

    arch            weights         D     dim  points   ours  verify  floor  ours/floor  jacobian  jac/ours
    50-32-32-5      random       2853    2789      68   0.58    0.08   0.05        10.8     14.00        24
    50-32-32-5      float32      2853    2789      68   0.19    0.11   0.07         2.9       >60      >300
    100-64-64-10    random      11274   11146     135   0.32    0.17   0.13         2.4     ~934?         -
    100-64-64-10    float32     11274   11146     135   0.54    0.28   0.19         2.9     ~934?         -
    784-64-64-10    random      55050   54922     133   0.98    0.63   0.57         1.7  mem 180G         -
    784-64-64-10    float32     55050   54922     132   1.43    0.68   0.94         1.5  mem 180G         -
    784-256-256-10  random     269322  268810     519  10.51    3.95   8.72         1.2 mem 4315G         -
    784-256-256-10  float32    269322  268810     517  10.77    6.06  10.34         1.0 mem 4315G         -
"""

from __future__ import annotations

import time

import numpy as np

import semialg as sa
from common import columns, main as bench_main, timed
from semialg.core.modular import rank_mod_fits, rank_mod_seconds
from semialg.engine.kink_peeling import kink_peeling_certificate
from semialg.engine.functional_dimension import functional_dimension
from semialg.errors import UndecidedError


def float32_net(widths, seed=0):
    rng = np.random.default_rng(seed)
    Ws = [(rng.standard_normal((o, i)) / np.sqrt(i)).astype(np.float32).astype(np.float64)
          for i, o in zip(widths, widths[1:])]
    bs = [(rng.standard_normal(o) * 0.1).astype(np.float32).astype(np.float64) for o in widths[1:]]
    return sa.Network.from_arrays(Ws, bs)


def jacobian_route(net, budget):
    D = net.architecture.num_parameters
    bound = D - net.architecture.num_hidden
    fits, need, _ = rank_mod_fits(bound + 8, D)
    if not fits:
        return f"mem {need / 2 ** 30:.0f}G", None
    predicted = rank_mod_seconds(bound, D)     # its last rank is not interruptible: skip what cannot finish
    if predicted > budget:
        return f"~{predicted:.0f}?", None
    try:
        fd, s = timed(functional_dimension, net, method="batch", budget=budget)
    except UndecidedError:
        return f">{budget:g}", None
    return f"{s:.2f}", fd.value


def run(archs=((50, 32, 32, 5), (100, 64, 64, 10), (784, 64, 64, 10), (784, 256, 256, 10)),
        jacobian_budget=60.0):
    rows = []
    for arch in archs:
        for kind in ("random", "float32"):
            net = sa.Network.random(arch, seed=0) if kind == "random" else float32_net(arch)
            D = net.architecture.num_parameters
            cert, ours = timed(kink_peeling_certificate, net)
            _, verify = timed(cert.verify, net) if cert is not None else (None, float("nan"))
            points = (cert.num_points + len(cert.samples)) if cert is not None else 0
            some = [x for per in cert.kinks for pts in per for x in pts][::max(1, points // 10)][:10] if cert else []
            t = time.perf_counter()
            for x in some:
                net.preactivations(x)
            floor = (time.perf_counter() - t) / max(1, len(some)) * points
            jac, value = jacobian_route(net, jacobian_budget)
            if value is not None and cert is not None:
                assert value == cert.dimension, (value, cert.dimension)
            row = {"arch": "-".join(map(str, arch)), "weights": kind, "D": D,
                   "dim": cert.dimension if cert is not None else "none", "points": points,
                   "ours": f"{ours:.2f}", "verify": f"{verify:.2f}", "floor": f"{floor:.2f}",
                   "ours/floor": f"{ours / floor:.1f}" if floor else "-", "jacobian": jac,
                   "jac/ours": f"{float(jac) / ours:.0f}" if jac[0].isdigit() else "-"}
            print(row, flush=True)
            rows.append(row)
    return rows


def table(rows) -> str:
    return columns(rows, 10)


if __name__ == "__main__":
    bench_main(__doc__, run, table, {"archs": ((20, 16, 16, 3), (50, 32, 32, 5)), "jacobian_budget": 30.0},
               "local_identifiability")
