r"""Benchmark: the functional dimension of case-(a) bottlenecks at the sizes people train (n0-n1-1-10 from float32
weights): ours (``sa.functional_dimension``: the family's visible-rank certificate, $n_1 + 2$ exact points, where kink
peeling cannot fix the bottleneck neuron) against the engine's Jacobian (``method="batch"``: sampled rows, then
regions, with a budget) and the floor (exact evaluation of the network at the certificate's $n_1 + 2$ points in one
batch, which is what ``verify`` costs).

    python benchmarks/bench_bottleneck_fdim.py
    python benchmarks/bench_bottleneck_fdim.py --quick

Measured (session 52, 2-core machine otherwise idle; seed 0; seconds; peer budget 60 s):

    architecture           D     value    ours s  verify s   peer s      peer  peer/ours  ours/floor
    100-64-1-10         6549      6484      0.09      0.01    60.02 undecided     693.6x        2.0x
    784-256-1-10      201237    200980      0.89      0.34        -         -          -        1.0x
    784-1024-1-10     804885    803860      3.55      1.41        -         -          -        0.6x

Session 41 measured ours at 0.14, 2.64 and 14.42 s (verify 0.03, 0.99, 5.82 s). Since session 51 the signs of $h$
at the certificate's points are certified float signs (exact evaluation only where a sign is uncertain): at 784
inputs ours takes about the floor's exact evaluation at those points or less, and ``verify`` less than half of it.
Session 40 (before the batch search below): 0.20 s, 4.30 s, 45.07 s; verify 0.04 s, 1.19 s, 9.71 s. Before session
40 ``functional_dimension`` of 100-64-1-10 ran the sampled Jacobian for more than five minutes (kink peeling
refuses: the bottleneck neuron's kinks lie on the curved $\{h = 0\}$); the exact evaluations behind the
certificate went 3-7 times faster with the integer product of
:meth:`~semialg.core.rational_matrix.RationalMatrix.matvec` (784-256-1-10: 15.5 s before). In session 41 the points on
the $n_1$ hyperplanes are ranked from one float product and checked in one batch, and
:meth:`~semialg.core.network.Network.evaluate` keeps the batch as integer columns through every layer (rationals at
the output only). The peer is not run beyond 10,000 parameters (its rows would not be computed in the
budget).
"""

from __future__ import annotations

import time

import numpy as np

import semialg as sa
from common import main as bench_main, timed
from semialg.errors import UndecidedError


def float_bottleneck(n0: int, n1: int, n3: int, seed: int = 0) -> sa.Network:
    """A random n0-n1-1-n3 network from float32 weights (He-like scales)."""
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((n1, n0)).astype(np.float32) / np.sqrt(n0)
    b1 = rng.standard_normal(n1).astype(np.float32) * 0.1
    W2 = rng.standard_normal((1, n1)).astype(np.float32) / np.sqrt(n1)
    W3 = rng.standard_normal((n3, 1)).astype(np.float32)
    return sa.Network.from_arrays([W1, W2, W3], [b1, np.float32([0.1]), np.zeros(n3, np.float32)])


def _peer(net: sa.Network, cap: float):
    """The engine's answer (its value, or "undecided") and the seconds it took, overrun of its budget included."""
    started = time.perf_counter()
    try:
        answer = sa.functional_dimension(net, method="batch", budget=cap).value
    except UndecidedError:
        answer = "undecided"
    return answer, time.perf_counter() - started


def run(shapes=((100, 64, 10), (784, 256, 10), (784, 1024, 10)), seed: int = 0, cap: float | None = 60.0):
    """The rows; ``cap`` is the peer's budget in seconds (``None``: the peer is not run)."""
    rows = []
    for n0, n1, n3 in shapes:
        net = float_bottleneck(n0, n1, n3, seed)
        D = net.architecture.num_parameters
        ours, ours_s = timed(sa.functional_dimension, net)
        _, verify_s = timed(ours.certificate.verify, net)
        cert = ours.certificate
        _, floor_s = timed(net.evaluate, cert.points())
        peer, peer_s = _peer(net, cap) if cap is not None and D <= 10_000 else (None, None)
        row = {"arch": f"{n0}-{n1}-1-{n3}", "D": D, "value": ours.value, "ours_s": ours_s, "verify_s": verify_s,
               "peer": peer, "peer_s": peer_s,
               "floor_s": floor_s}
        print(table([row]).splitlines()[-1], flush=True)
        rows.append(row)
    return rows


QUICK = dict(shapes=((100, 64, 10),), cap=5.0)


def table(rows) -> str:
    out = [f"{'architecture':16s} {'D':>7s} {'value':>9s} {'ours s':>9s} {'verify s':>9s} {'peer s':>8s} "
           f"{'peer':>9s} {'peer/ours':>10s} {'ours/floor':>11s}"]
    for r in rows:
        peer_s = f"{r['peer_s']:8.2f}" if r["peer_s"] is not None else f"{'-':>8s}"
        ratio = f"{r['peer_s'] / r['ours_s']:9.1f}x" if r["peer_s"] is not None else f"{'-':>10s}"
        out.append(f"{r['arch']:16s} {r['D']:7d} {r['value']:9d} {r['ours_s']:9.2f} {r['verify_s']:9.2f} {peer_s} "
                   f"{str(r['peer']) if r['peer'] is not None else '-':>9s} {ratio} "
                   f"{r['ours_s'] / r['floor_s']:10.1f}x")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "bottleneck_fdim")


if __name__ == "__main__":
    main()
