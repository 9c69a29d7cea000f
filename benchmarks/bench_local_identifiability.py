"""Benchmark: local identifiability / full functional dimension of deep networks by kink peeling, against the
Jacobian route and the floor.

Ours is :func:`semialg.engine.kink_peeling.kink_peeling_certificate` (and its ``verify``); the Jacobian route is
``functional_dimension(net, method="batch")`` (the exact rank modulo a prime of sampled Jacobian rows, what
``sa.identifiable`` used alone before), run within ``--jacobian-budget`` seconds and only when its rank fits in
memory and predicted to finish within it ("~N?": the predicted seconds, skipped). The floor is one exact forward
pass (``net.preactivations``) per kink point and sample, timed at 10 of the kink points: what checking the points
one by one needs (``verify`` evaluates them in batches, so it can beat the floor).
Weights: ``Network.random(arch, seed=0)`` ("random", p/q with |p|, q <= 5) and float32 Gaussian weights scaled by
1/sqrt(fan-in) ("float32", read exactly); "pruned": the float32 network with every 16th hidden neuron of each layer
pruned (incoming weights, bias and outgoing weights 0: silent, so its functional dimension is below
$\\dim\\Omega - \\#\\text{hidden}$, and only the kink peeling of silent neurons, step 4, certifies it).

    python benchmarks/bench_local_identifiability.py
    python benchmarks/bench_local_identifiability.py --quick

Each row is printed as it finishes; the table follows. Measured (session 68, 2-core machine, nothing else running;
seconds; jacobian: "mem": its rank would need that memory, "~N?": predicted N s, skipped; where it ran, its value
equals ours):

    arch            weights         D      dim  points   ours  verify  floor  ours/floor   jacobian  jac/ours
    50-32-32-5      random       2853     2789      68   0.06    0.01   0.04         1.6       5.03        82
    50-32-32-5      float32      2853     2789      68   0.05    0.01   0.05         1.0       7.18       147
    50-32-32-5      pruned       2853     2555      67   0.08    0.02   0.05         1.4       7.63        98
    100-64-64-10    random      11274    11146     135   0.10    0.03   0.11         0.9      ~141?         -
    100-64-64-10    float32     11274    11146     135   0.10    0.04   0.18         0.6      ~141?         -
    100-64-64-10    pruned      11274    10210     125   0.09    0.03   0.14         0.7      ~141?         -
    784-64-64-10    random      55050    54922     133   0.18    0.09   0.10         1.9   mem 180G         -
    784-64-64-10    float32     55050    54922     132   0.14    0.11   0.27         0.5   mem 180G         -
    784-64-64-10    pruned      55050    51250     127   0.12    0.10   0.26         0.5   mem 180G         -
    784-256-256-10  random     269322   268810     519   0.94    0.43   0.74         1.3  mem 4315G         -
    784-256-256-10  float32    269322   268810     517   0.95    0.71   2.41         0.4  mem 4315G         -
    784-256-256-10  pruned     269322   248170     485   1.01    0.65   4.14         0.2  mem 4315G         -

The pruned networks (every 16th hidden neuron: 34 of 512 at 784-256-256-10) are certified as fast as the others, at
$D - |C| - \\#(\\text{hidden} \\setminus S)$ ($269{,}322 - 20{,}672 - 480$); before session 68 kink peeling refused
them (a zero weight row) and only the Jacobian route, where it fits, decided them. (Session 33 measured
784-256-256-10 in 10.5 s, verify 4-6 s; the integer pre-activations of session 51 and this machine account for the
difference.)
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


def pruned(net: sa.Network, every: int = 16) -> sa.Network:
    Ws = [np.array([[float(x) for x in r] for r in W]) for W in net.weights]
    bs = [np.array([float(x) for x in b]) for b in net.biases]
    for l in range(1, net.depth):
        cut = np.arange(0, net.widths[l], every)
        Ws[l - 1][cut, :], bs[l - 1][cut], Ws[l][:, cut] = 0, 0, 0
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
        for kind in ("random", "float32", "pruned"):
            net = sa.Network.random(arch, seed=0) if kind == "random" else float32_net(arch)
            net = pruned(net) if kind == "pruned" else net
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
