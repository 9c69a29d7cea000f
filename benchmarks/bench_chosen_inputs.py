"""Benchmark: the sampled lower bound of ``sa.functional_dimension`` with inputs chosen for their regions (one
in every piece of random lines, and where a neuron takes the sign random inputs never gave it), against the
method before session 17 (random inputs only), as many random inputs as ours used, and the exact functional
dimension (the region enumeration, where it finishes: the ceiling any lower bound can reach).

A parameter counts as *decided without enumeration* when the lower bound reaches the proven upper bound
(parameters minus rescalable neurons); below that bound only the enumeration can prove the value.

    python benchmarks/bench_chosen_inputs.py
    python benchmarks/bench_chosen_inputs.py --quick

Measured (session 17, shared 2-core machine; ``Network.random(arch, seed)``, seeds 0-9): ``known`` seeds whose
value is proven within the cap (the enumeration, or the bound reached); ``gap_*`` the value minus the lower
bound, summed over them (0: the lower bound is the value) for the method before (random inputs only, stopping
when the rank's growth stalls), as many random inputs as ours used, and ours; ``reached_*`` the seeds whose
lower bound is the proven upper bound (decided without enumeration); seconds summed over the seeds.

    ============  =====  =====  ==========  ==========  ========  ==============  ==============  ============  ========  ======  =======
    arch          seeds  known  gap_before  gap_random  gap_ours  reached_before  reached_random  reached_ours  before_s  ours_s  exact_s
    ============  =====  =====  ==========  ==========  ========  ==============  ==============  ============  ========  ======  =======
    2-8-8-1          10     10          41          30        15               0               0             0       1.4     2.9      6.4
    3-6-6-2          10     10          32          18        10               4               4             4       0.5     0.8      5.3
    4-8-8-2          10     10          42          26        21               5               5             5       1.2     1.9     51.2
    12-16-16-3       10     10          13           1         0               7               9            10      14.3    16.3     16.7
    6-10-10-10-2     10      2           2           0         0               1               2             2       9.0    18.4      3.2
    ============  =====  =====  ==========  ==========  ========  ==============  ==============  ============  ========  ======  =======

Session 27 (the chosen inputs get ``PATIENCE`` = 8 times the random ones' time instead of 2, and every other line
passes through an input where a neuron has its rare sign; machine under load, so the times are inflated):

    ============  =====  =====  ==========  ==========  ========  ==============  ==============  ============  ========  ======  =======
    arch          seeds  known  gap_before  gap_random  gap_ours  reached_before  reached_random  reached_ours  before_s  ours_s  exact_s
    ============  =====  =====  ==========  ==========  ========  ==============  ==============  ============  ========  ======  =======
    2-8-8-1          10     10          41          18        11               0               0             0       3.2     7.7     16.8
    3-6-6-2          10     10          32           9         6               4               4             4       1.1     2.8     13.7
    4-8-8-2          10      8          33          16         4               5               5             7       2.4     6.4     13.0
    12-16-16-3       10      9          12           0         0               7               9             9      17.5    20.3     11.9
    6-10-10-10-2     10      1           0           0         0               1               2             1       7.4    30.6      1.2
    ============  =====  =====  ==========  ==========  ========  ==============  ==============  ============  ========  ======  =======

The gaps of the small networks drop (4-8-8-2: 21 to 4, two more seeds decided without enumeration) at 2.5-2.7 times
the time of the method before; at 6-10-10-10-2 the chosen inputs now cost about 2 s more per seed there, for no
gain. The motive is the bottleneck networks, whose positive region P (h > 0) is often small: at 6-16-1-1 the rank now
reaches the bound that decides the local dimension, where 65 s of region enumeration were needed
(``benchmarks/bench_bottleneck_wide.py``).

Session 17: ours took at most three times the time of the method before (the chosen inputs get twice the random ones'
time) and closes half to all of its gap; at 12-16-16-3 every seed is decided without enumeration, three more
than before (seed 1: a second-layer neuron is off only where every first-layer neuron is, which no random
input met). At 6-10-10-10-2 the enumeration rarely finishes; the lower bounds summed over the ten seeds were
2629 before and 2731 ours, of at most 2820. Equally many random inputs (ours used 1,000-4,000 at the larger
sizes) come close there, but not on the small networks, where lines meet the small regions. With a floor of
0.25 s for the chosen inputs the small networks' gaps were 7, 5 and 14, but every tiny network in the test
suite paid it. Results vary a little between runs: the chosen inputs have a time budget.
"""

from __future__ import annotations

import random

import numpy as np
from flint import fmpq

import semialg as sa
from common import columns, main as bench_main, timed
from semialg.core.modular import rank_mod
from semialg.engine import jacobian
from semialg.engine.jacobian import blocks_rank_mod, jacobian_mod, layers_mod, sampled_batch
from semialg.core.symmetry import rescaling_ranks
from semialg.errors import UndecidedError

QUICK = {"archs": ((2, 4, 4, 1), (3, 4, 4, 2)), "seeds": 3, "cap": 10.0}


def random_rank(net, n: int, seed: int = 0) -> int:
    """The rank modulo p of the Jacobian rows at ``n`` random inputs drawn as sampled_batch draws them."""
    rng, layers, d, rows = random.Random(seed), layers_mod(net), net.architecture.input_dim, []
    while len(rows) < n:
        scale = 4 ** rng.randint(0, 2)
        x = tuple(fmpq(rng.randint(-64 * scale, 64 * scale), 64) for _ in range(d))
        pattern = net.activation_pattern(x)
        if not any(0 in layer for layer in pattern):
            rows.append(jacobian_mod(layers, x, pattern))
    return rank_mod(np.vstack(rows))


def exact_value(net, cap: float):
    """The functional dimension by region enumeration, ``None`` past ``cap`` seconds."""
    try:
        return sa.functional_dimension(net, budget=cap).value
    except UndecidedError:
        return None


def random_only(net, bound):
    """The method before session 17: random inputs only (nothing chosen after them)."""
    saved = jacobian.line_inputs, jacobian.flipping_inputs
    jacobian.line_inputs = jacobian.flipping_inputs = lambda *args: []
    try:
        return sampled_batch(net, bound)
    finally:
        jacobian.line_inputs, jacobian.flipping_inputs = saved


def run(archs=((2, 8, 8, 1), (3, 6, 6, 2), (4, 8, 8, 2), (12, 16, 16, 3), (6, 10, 10, 10, 2)), seeds=10,
        cap: float = 20.0):
    rows = []
    for arch in archs:
        row = {"arch": "-".join(map(str, arch)), "seeds": seeds, "known": 0, "gap_before": 0, "gap_random": 0,
               "gap_ours": 0, "reached_before": 0, "reached_random": 0, "reached_ours": 0, "before_s": 0.0,
               "ours_s": 0.0, "exact_s": 0.0}
        for seed in range(seeds):
            net = sa.Network.random(arch, seed=seed)
            bound = net.architecture.num_parameters - sum(rescaling_ranks(net))
            (_, _, blocks0, _, _), took0 = timed(random_only, net, bound)
            (used, _, blocks, _, _), took = timed(sampled_batch, net, bound)
            before, ours = blocks_rank_mod(blocks0), blocks_rank_mod(blocks)
            same_count = random_rank(net, len(used))
            value, took_exact = timed(exact_value, net, cap)
            assert max(before, same_count, ours) <= (bound if value is None else value)
            for name, r in (("before", before), ("random", same_count), ("ours", ours)):
                row[f"reached_{name}"] += r == bound
                row[f"gap_{name}"] += 0 if value is None else value - r
            row["before_s"] += took0
            row["ours_s"] += took
            if value is not None:
                row["known"] += 1
                row["exact_s"] += took_exact
        for key in ("before_s", "ours_s", "exact_s"):
            row[key] = round(row[key], 1)
        rows.append(row)
        print(row, flush=True)
    return rows


def table(rows) -> str:
    return columns(rows, 14)


if __name__ == "__main__":
    bench_main(__doc__, run, table, QUICK, "chosen_inputs")
