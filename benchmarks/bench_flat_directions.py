"""Benchmark: the functional dimension of deep networks whose rank is below the rescaling bound, proven by flat
directions (:mod:`semialg.engine.flat_directions`), against the decisive batch without them and the floor.

Ours is ``functional_dimension(net, budget=B)``: sampled Jacobian rows until their rank modulo a prime reaches the
flat bound (directions no row reads: off, silent and always-on neurons, hidden weights, trades of twins and affine
blocks). The naive route is the same call with the flat bound replaced by the rescaling bound (what
``functional_dimension`` did before session 67): a deficient rank is then proven only by the exact rank of the rows
of every linear region. The floor is the flat bound read off the weights
(:func:`~semialg.engine.flat_directions.flat_bound` without the image search), the least ours does; "flat" is the
bound with the image search. Networks: float32 weights $N(0, 1/n_{\\rm in})$ and biases $N(0, 0.01)$ read exactly
(``benchmarks/bench_budgets.py``), as they are ("generic") and with the outgoing weights of neuron 4 of layer 2
set to 0 ("unused"); and ``Network.random`` 2-3-3-1 networks (small rationals, often with neurons on in every
region), and random 3-6-6-6-1 networks 11, 12 and 16, whose gap to the rescaling bound needs outgoing weights that
cancel where a neuron is on (:func:`~semialg.engine.flat_directions.cancelled_combinations`, session 72).

    python benchmarks/bench_flat_directions.py            # budget 120 s a call
    python benchmarks/bench_flat_directions.py --quick    # 2-3-3-1, 3-8-8-1 and 3-6-6-6-1 seed 12, budget 30 s

Each row is printed as it finishes; the table follows. Measured (session 67, 2-core machine, the test suite of a
landing running beside it; seconds; "[a, b]": undecided, the proven bounds when the budget of 120 s ran out):

          arch     weights           D   rescaling        flat        ours           s       naive     naive s  naive/ours     floor s  ours/floor
       3-8-8-1     generic         113          97          97          97        0.02          97        0.02         0.9        0.00        24.0
       3-8-8-1      unused         113          97          89          89        0.02          89        1.81       117.8        0.00        14.4
     4-16-16-2     generic         386         354         352         352        3.68  [352, 354]      120.56        32.7        0.00      3194.8
     4-16-16-2      unused         386         354         336         336        4.16  [335, 354]      120.46        29.0        0.01       623.4
     8-16-16-2     generic         450         418         418         418        2.80         418        2.75         1.0        0.00      2228.6
     8-16-16-2      unused         450         418         402         402        3.14  [402, 418]      120.62        38.4        0.01       287.1
       2-3-3-1  random seed 0          25          19          14          14        0.01          14        0.02         2.0        0.00         7.0
       2-3-3-1  random seed 11          25          19          14          14        0.03          14        0.05         1.6        0.00        97.5

Where the rank reaches the rescaling bound both routes are the same call (3-8-8-1, 8-16-16-2 generic). Below it the
naive route needs every region: done in 1.8 s at 3-8-8-1, not in 120 s at 4-16-16-2 and 8-16-16-2 (bounds
$[352, 354]$, $[335, 354]$, $[402, 418]$), where the flat bound is met in 3-4 s: at 4-16-16-2 two hidden weights
(image search of 16 first-layer neurons), the unused neuron's 16 weights and bias read off the weights. The floor
(the directions read off the weights) is milliseconds: the time is the sampled rows' and the image search's.

Session 72, the 3-6-6-6-1 rows (here "ours" runs after ``flat_bound`` has found the regions of the earlier
layers; from cold, 0.97, 0.42 and 0.43 s against 1.72, 1.73 and 1.46 s before, when every region was listed):

     arch        weights    D rescaling flat ours    s naive naive s naive/ours
3-6-6-6-1 random seed 11  115        97   78   78 0.67    78    1.35        2.0
3-6-6-6-1 random seed 12  115        97   93   93 0.19    93    1.45        7.6
3-6-6-6-1 random seed 16  115        97   91   91 0.19    91    1.20        6.4
"""

from __future__ import annotations

import time

import numpy as np

import semialg as sa
import semialg.engine.functional_dimension as fdim
from common import columns, main as bench_main
from bench_budgets import network
from semialg.core.symmetry import rescaling_ranks
from semialg.engine.flat_directions import flat_bound
from semialg.errors import UndecidedError


def unused(net: sa.Network) -> sa.Network:
    Ws = [np.array([[float(x) for x in r] for r in W]) for W in net.weights]
    Ws[2][:, 3] = 0
    return sa.Network.from_arrays(Ws, [[float(x) for x in b] for b in net.biases])


def answer(net, budget):
    start = time.perf_counter()
    try:
        value = fdim.functional_dimension(net, budget=budget).value
    except UndecidedError as err:
        value = err.bounds
    return value, time.perf_counter() - start


def naive(net, budget):
    saved = fdim.flat_bound
    fdim.flat_bound = lambda net, **kw: net.architecture.num_parameters - sum(rescaling_ranks(net))
    try:
        return answer(net, budget)
    finally:
        fdim.flat_bound = saved


def cases(archs, seeds, deep_seeds):
    for arch in archs:
        net = network(arch)
        yield "-".join(map(str, arch)), "generic", net
        yield "-".join(map(str, arch)), "unused", unused(net)
    for seed in seeds:
        yield "2-3-3-1", f"random seed {seed}", sa.Network.random((2, 3, 3, 1), seed=seed)
    for seed in deep_seeds:
        yield "3-6-6-6-1", f"random seed {seed}", sa.Network.random((3, 6, 6, 6, 1), seed=seed)


def run(archs=((3, 8, 8, 1), (4, 16, 16, 2), (8, 16, 16, 2)), seeds=(0, 11), deep_seeds=(11, 12, 16),
        budget=120.0):
    rows = []
    for arch, kind, net in cases(archs, seeds, deep_seeds):
        D = net.architecture.num_parameters
        start = time.perf_counter()
        flat_bound(net, image=False)
        floor = time.perf_counter() - start
        bound = flat_bound(net)
        ours, t_ours = answer(net, budget)
        theirs, t_theirs = naive(net, budget)
        if isinstance(ours, int) and isinstance(theirs, int):
            assert ours == theirs, (arch, kind, ours, theirs)      # both proven: they must agree
        row = {"arch": arch, "weights": kind, "D": D, "rescaling": D - sum(rescaling_ranks(net)),
               "flat": bound, "ours": _shown(ours), "s": f"{t_ours:.2f}", "naive": _shown(theirs), "naive s": f"{t_theirs:.2f}",
               "naive/ours": f"{t_theirs / t_ours:.1f}", "floor s": f"{floor:.2f}",
               "ours/floor": f"{t_ours / floor:.1f}" if floor else "-"}
        print(row, flush=True)
        rows.append(row)
    return rows


def _shown(value) -> str:
    return str(value) if isinstance(value, int) else f"[{value[0]}, {value[1]}]" if value else "undecided"


def table(rows) -> str:
    return columns(rows, 10)


if __name__ == "__main__":
    bench_main(__doc__, run, table, {"archs": ((3, 8, 8, 1),), "seeds": (0, 11), "deep_seeds": (12,), "budget": 30.0},
               "flat_directions")
