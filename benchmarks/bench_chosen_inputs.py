"""Benchmark: the sampled lower bound of ``sa.functional_dimension`` with inputs chosen for their regions (one
in every piece of random lines, and where a neuron takes the sign random inputs never gave it), against as many
random inputs (the method before session 17) and the exact functional dimension (the region enumeration,
where it finishes: the ceiling any lower bound can reach).

A parameter counts as *decided without enumeration* when the lower bound reaches the proven upper bound
(parameters minus rescalable neurons); below that bound only the enumeration can prove the value.

    python benchmarks/bench_chosen_inputs.py
    python benchmarks/bench_chosen_inputs.py --quick

Measured (session 17, shared 2-core machine; ``Network.random(arch, seed)``, seeds 0-9): ``known`` seeds whose
enumeration finished within the cap; ``gap_*`` the exact value minus the lower bound, summed over them (0: the
lower bound is the value); ``reached_*`` the seeds whose lower bound is the proven upper bound (decided without
enumeration); seconds summed over the seeds.

TABLE
"""

from __future__ import annotations

import random

import numpy as np
from flint import fmpq

import semialg as sa
from common import main as bench_main, timed
from semialg.core.modular import rank_mod
from semialg.engine.jacobian import blocks_rank_mod, jacobian_mod, layers_mod, sampled_batch
from semialg.engine.regions import _scaling_rank
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


def run(archs=((2, 8, 8, 1), (3, 6, 6, 2), (4, 8, 8, 2), (12, 16, 16, 3), (6, 10, 10, 10, 2)), seeds=10,
        cap: float = 30.0):
    rows = []
    for arch in archs:
        row = {"arch": "-".join(map(str, arch)), "seeds": seeds, "known": 0, "gap_random": 0, "gap_ours": 0,
               "reached_random": 0, "reached_ours": 0, "ours_s": 0.0, "exact_s": 0.0}
        for seed in range(seeds):
            net = sa.Network.random(arch, seed=seed)
            bound = net.architecture.num_parameters - _scaling_rank(net)
            (used, _, blocks, reached), took = timed(sampled_batch, net, bound)
            ours = blocks_rank_mod(blocks)
            before = random_rank(net, len(used))
            value, took_exact = timed(exact_value, net, cap)
            assert before <= bound and ours <= bound and (value is None or max(ours, before) <= value)
            row["reached_ours"] += ours == bound
            row["reached_random"] += before == bound
            row["ours_s"] += took
            if value is not None:
                row["known"] += 1
                row["gap_random"] += value - before
                row["gap_ours"] += value - ours
                row["exact_s"] += took_exact
        row["ours_s"], row["exact_s"] = round(row["ours_s"], 1), round(row["exact_s"], 1)
        rows.append(row)
        print(row, flush=True)
    return rows


def table(rows) -> str:
    cols = list(rows[0])
    lines = ["  ".join(f"{c:>14}" for c in cols)]
    lines += ["  ".join(f"{str(row[c]):>14}" for c in cols) for row in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    bench_main(__doc__, run, table, QUICK, "chosen_inputs")
