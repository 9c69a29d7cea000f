"""Benchmark: the sampled lower bound of ``sa.functional_dimension`` (Jacobian rows at random inputs, ranks
modulo a prime at doubling batch sizes), ours against the stacked rows of the method before session 16 and the
floor.

Ours folds the rows of every input after the first rank into ``bound - rank + 8`` random combinations, so each
later rank has about ``bound`` rows; the method before stacked all rows (up to 16 times as many) for every rank.
The floor is the first rank alone (``bound`` rows), which any method needs. Both methods see the same inputs and
must give the same rank; memory is that of the residue rows held at the last rank (8 bytes each).

    python benchmarks/bench_sampled_rank.py
    python benchmarks/bench_sampled_rank.py --quick

Measured (session 16, shared 2-core machine; ``Network.random(arch, seed=1)``; seconds, MB of residue rows):

    ==========  =====  =====  =====  ======  ======  =====  ===========  ==========  =====  ======
    arch            D  bound   rank  inputs    ours  before  floor  before/ours  ours/floor     MB  before
    ==========  =====  =====  =====  ======  ======  =====  ===========  ==========  =====  ======
    20-32-32-5   1893   1829   1829     366     3.4     2.9    3.1          0.9         1.1     26      26
    30-40-40-8   3208   3128   3128    1564    35.6    99.3   11.2          2.8         3.2     77     306
    ==========  =====  =====  =====  ======  ======  =====  ===========  ==========  =====  ======

At 20-32-32-5 the first rank reaches the bound (nothing to fold); at 30-40-40-8 four ranks are needed.
"""

from __future__ import annotations

import numpy as np

import semialg as sa
from common import columns, main as bench_main, timed
from semialg.core.modular import rank_mod, residues
from semialg.engine.jacobian import blocks_rank_mod, jacobian_mod, layers_mod, parameter_jacobian, sampled_batch
from semialg.core.symmetry import rescaling_ranks


def stacked(net, used, need):
    """The method before: all rows stacked, ranked at the same doublings; returns the last rank."""
    layers, blocks, r = layers_mod(net), [], 0
    for i, x in enumerate(used, start=1):
        p = net.activation_pattern(x)
        blocks.append(jacobian_mod(layers, x, p) if layers is not None else residues(parameter_jacobian(net, x, p)))
        if i % need == 0 and (i // need) & (i // need - 1) == 0:     # i = need * 2^j
            r = blocks_rank_mod(blocks)
    return blocks_rank_mod(blocks) if len(used) % need else r


def run(archs=((20, 32, 32, 5), (30, 40, 40, 8), (50, 64, 64, 10))):
    rows = []
    for arch in archs:
        net = sa.Network.random(arch, seed=1)
        D = net.architecture.num_parameters
        bound = D - sum(rescaling_ranks(net))
        k = net.architecture.output_dim
        need = -(-bound // k)
        (used, _, blocks, reached, _), ours = timed(sampled_batch, net, bound)
        r = blocks_rank_mod(blocks)
        before, before_s = timed(stacked, net, used, need)
        first = np.vstack([jacobian_mod(layers_mod(net), x, net.activation_pattern(x)) for x in used[:need]])
        _, floor = timed(rank_mod, first)
        ours_mb = sum(b.shape[0] for b in blocks) * D * 8 / 2 ** 20
        before_mb = len(used) * k * D * 8 / 2 ** 20
        assert before == r, (arch, before, r)
        row = {"arch": "-".join(map(str, arch)), "D": D, "bound": bound, "rank": r, "inputs": len(used),
               "ours_s": round(ours, 1), "before_s": round(before_s, 1), "floor_s": round(floor, 1),
               "before/ours": round(before_s / ours, 1), "ours/floor": round(ours / floor, 1),
               "ours_MB": round(ours_mb), "before_MB": round(before_mb)}
        rows.append(row)
        print(row, flush=True)
    return rows


def table(rows) -> str:
    return columns(rows, 11)


if __name__ == "__main__":
    bench_main(__doc__, run, table, {"archs": ((8, 12, 12, 2), (12, 16, 16, 3))}, "sampled_rank")
