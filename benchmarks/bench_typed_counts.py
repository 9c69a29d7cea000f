r"""Benchmark: counting the components of a non-generic shallow fibre, and its dimension, at 784-n-10.

A dead neuron (its output column zero) makes the fibre a union over combinatorial types; their number and the
dimension are exact sums over hyperplane patterns of subset-sum counts (:mod:`semialg.families.shallow.residual_ranks`).
Ours: the kink normals are linearly independent ($N \le m$), so the counts factor over the hyperplanes
(``KinkTensors.shares``: one $N \times N$ solve). Gram: the same subset sums from the kernel of the Gram
matrix built from the factors $\delta_h$, $\bar u_h$ (the path for dependent normals). Naive: the kernel of the
flattened $km$-dimensional vectors, as in the first version of this change (before it, the counts were meet in
the middle over $2^{N/2}$ half-sums: undecided beyond the budget already at 784-64-10). Floor: one exact
evaluation of the network. Parameters: Gaussian float32 weights, the first `dead` output columns zeroed.

    python benchmarks/bench_typed_counts.py
    python benchmarks/bench_typed_counts.py --quick

Measured (session 37, 2-core machine; seconds; ``dead``: dead neurons):

    architecture   dead    N digits    dim   ours s   gram s  naive s  floor s  gram/ours  naive/ours  ours/floor
    784-16-10         1   15     15    800     0.03     0.69    38.87     0.01      22.9x     1284.0x        6.0x
    784-64-10         1   63     91    848     0.08     9.61        -     0.01     121.9x           -        5.7x
    784-256-10        1  255    510   1040     0.49        -        -     0.06          -           -        8.2x
    784-512-10        1  511   1169   1296     2.29        -        -     0.12          -           -       19.4x
    784-16-10         2   14     16   1584     0.04        -        -     0.00          -           -       10.7x
    784-64-10         2   62     92   1632     0.35        -        -     0.01          -           -       28.3x

Session 30 measured ours at 0.24 s (784-64-10) and 7.20 s (784-256-10): the $N \times N$ solve of the shares was
over $\mathbb{Q}$ with the normalised rows (784-512-10: 33 s of it); it is now over $\mathbb{Z}$ with integer rows
(0.3 s), and the pattern counts are cached.

With two dead neurons the patterns with a mixed group ($p = 1$) need the ranks $\rho(F) \le 1$, not only
$\rho(F) = 0$: ours takes them from the $k \times |\text{rest}|$ coefficient matrices
(:mod:`semialg.families.shallow.residual_coefficients`); the gram and naive paths rank the $2^{N}$ residuals
exhaustively and are undecided within the budget ("-"), as every path was before that change.

Before this change 784-16-10 took 22 s for the count and 25 s for the dimension (meet in the middle and the
kernel of the flattened vectors per pattern), 784-64-10 was undecided ($2^{32}$ half-sums beyond the budget) and
784-256-10 took 736 s for the count alone (the pattern counts by fmpq series, $O(n^3)$; now surjection
numbers). 784-4096-10 (dependent normals, $N > m$) is undecided within the budget: 4096 patterns, a Gram kernel
each.
"""

from __future__ import annotations

import numpy as np
from flint import fmpq

import semialg as sa
from common import main as bench_main, ratio, seconds, timed
from semialg.errors import UndecidedError
from semialg.families.shallow.type_geometry import TypeGeometry


def dead_neuron_network(n0: int, n1: int, n2: int, seed: int = 0, dead: int = 1) -> sa.Network:
    rng = np.random.default_rng(seed)
    W1, b1 = rng.normal(size=(n1, n0)).astype(np.float32), rng.normal(size=n1).astype(np.float32)
    W2, b2 = rng.normal(size=(n2, n1)).astype(np.float32), rng.normal(size=n2).astype(np.float32)
    W2[:, :dead] = 0
    return sa.Network.from_arrays([W1, W2], [b1, b2])


class _Flattened(TypeGeometry):
    """The kernel of the flattened vectors: no factored Gram matrix."""

    def __init__(self, K, n: int):
        super().__init__(K, n)
        self.tensors.gram = lambda *args: None


def counts(geometry: TypeGeometry) -> tuple[int, int]:
    return geometry.count(), geometry.dimension()


def run(shapes=((784, 16, 10, 1), (784, 64, 10, 1), (784, 256, 10, 1), (784, 512, 10, 1), (784, 16, 10, 2),
                (784, 64, 10, 2)),
        gram_max: int = 64, naive_max: int = 16):
    rows = []
    for n0, n1, n2, dead in shapes:
        net = dead_neuron_network(n0, n1, n2, dead=dead)
        _, floor_s = timed(net, [fmpq(j % 7 - 3, 4) for j in range(n0)])
        F = sa.fibre(net)
        K = F.geometry.K
        (count, dim), ours_s = timed(counts, TypeGeometry(K, n1))
        row = {"arch": f"{n0}-{n1}-{n2}", "dead": dead, "N": K.num_kinks, "digits": len(str(count)), "dim": dim,
               "ours_s": ours_s, "gram_s": None, "naive_s": None, "floor_s": floor_s}
        for key, cls, cap in (("gram_s", TypeGeometry, gram_max), ("naive_s", _Flattened, naive_max)):
            if n1 <= cap:
                G = cls(K, n1)
                G.tensors._shares = (None,)          # the normals treated as dependent: the subset-sum path
                try:
                    got, row[key] = timed(counts, G)
                except UndecidedError:    # two dead neurons: exhaustive residual ranks beyond the budget
                    continue
                assert got == (count, dim)
        rows.append(row)
        print(table(rows[-1:]), flush=True)
    return rows


QUICK = dict(shapes=((40, 8, 3, 1),), gram_max=8, naive_max=8)


def table(rows) -> str:
    out = [f"{'architecture':14s} {'dead':>4s} {'N':>4s} {'digits':>6s} {'dim':>6s} {'ours s':>8s} {'gram s':>8s} "
           f"{'naive s':>8s} {'floor s':>8s} {'gram/ours':>10s} {'naive/ours':>11s} {'ours/floor':>11s}"]
    for r in rows:
        out.append(f"{r['arch']:14s} {r['dead']:4d} {r['N']:4d} {r['digits']:6d} {r['dim']:6d} {seconds(r['ours_s'])} "
                   f"{seconds(r['gram_s'])} {seconds(r['naive_s'])} {seconds(r['floor_s'])} {ratio(r['gram_s'], r['ours_s'])} "
                   f"{ratio(r['naive_s'], r['ours_s']):>11s} {r['ours_s'] / r['floor_s']:10.1f}x")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "typed_counts")


if __name__ == "__main__":
    main()
