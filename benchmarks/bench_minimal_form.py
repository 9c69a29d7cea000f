r"""Benchmark: the minimal form of a float32 784-n-10 network past the exhaustive limit.

Ours (``semialg.minimal_form``): the shares of the linear part along independent normals, or, for dependent normals
($n > 784$), the screen modulo a prime (:meth:`~semialg.families.shallow.kink_tensors.KinkTensors.screen`) with its
candidates checked exactly. Peer: for independent normals, exact subset sums with the Gram matrix of the flattened
$7{,}840$-dimensional tensors ($O(N^2km)$); for dependent normals, the route of session 38 that the screen replaced
(the normal equations of the tensors solved exactly, Gram matrix from the factors; width $N$ only, so it is a lower
bound on that route's time when the width is $N + 1$). Naive: meet in the middle over the flattened tensors, the
method before session 38 ($2^{N/2}$ sums of $7{,}840$ rationals). Floor: the canonical form, which every method needs
first. Every answer is checked: the widths agree and the minimal form realizes the function (the canonical forms are
equal). "+pair": neuron 1 is $-2$ times neuron 0, an opposite pair merged into one kink (width $N + 1$).

    python benchmarks/bench_minimal_form.py
    python benchmarks/bench_minimal_form.py --quick

Measured (session 39, 2-core machine; seconds):

    architecture         N   width    ours    peer   naive   floor  peer/ours  naive/ours  ours/floor
    784-16-10           16      16    0.05    0.07    2.11    0.01       1.3x       41.0x        4.1x
    784-32-10           32      32    0.07    0.14       -    0.02       2.1x           -        4.5x
    784-256-10         256     256    0.65    1.90       -    0.10       2.9x           -        6.6x
    784-512-10         512     512    1.55       -       -    0.18          -           -        8.4x
    784-1024-10       1024    1024    6.22    9.16       -    0.43       1.5x           -       14.3x
    784-1024-10+pair  1023    1024   15.14  238.88       -    0.37      15.8x           -       40.7x

Session 38's route took 12.7 s at 784-1024-10 and, with the merged pair, refused after 133 s (width $N + 1$ needs
one more exact solve per hyperplane). The naive method at 784-32-10 held $2^{16}$ sums of 7,840 rationals and was
killed for want of memory; at 784-256-10 it refused ($2^{128}$ half-sums).
"""

from __future__ import annotations

import numpy as np
from flint import fmpq

import semialg as sa
from common import main as bench_main, ratio, seconds, timed
from semialg.core.exact import fingerprint
from semialg.families.shallow.kink_tensors import KinkTensors
from semialg.geometry.subset_sum import find_subset_with_sum


def float_network(n0: int, n1: int, n2: int, seed: int = 0, pair: bool = False) -> sa.Network:
    """Random float32 weights; with ``pair`` neuron 1 is $-2$ times neuron 0 (an opposite pair merged into one kink)."""
    rng = np.random.default_rng(seed)
    W1, b1 = rng.normal(size=(n1, n0)).astype(np.float32), rng.normal(size=n1).astype(np.float32)
    W2, b2 = rng.normal(size=(n2, n1)).astype(np.float32), rng.normal(size=n2).astype(np.float32)
    if pair:
        W1[1], b1[1] = -2 * W1[0], -2 * b1[0]
    return sa.Network.from_arrays([W1, W2], [b1, b2])


def exact_route(K) -> tuple[int, ...] | None:
    """The route of session 38 for dependent normals, width $N$: the normal equations of the tensors solved
    exactly, with their Gram matrix from the factors."""
    vecs, target = flattened(K)
    return find_subset_with_sum(vecs, target, 2 ** 20, gram=KinkTensors(K).gram(range(K.num_kinks)))


def flattened(K) -> tuple[list, tuple]:
    """The tensors $\\delta_h \\otimes u_h$ and $-L$, flattened."""
    vecs = [tuple(d * x for d in delta for x in key[:-1]) for key, delta in K.kinks]
    return vecs, tuple(-x for row in K.linear for x in row)


def naive(K) -> tuple[int, ...] | None:
    """Meet in the middle over the flattened tensors: every half-sum stored in full."""
    vecs, target = flattened(K)
    half, table = len(vecs) // 2, {}
    for S, t in _half_sums(vecs, range(half), len(target)):
        table.setdefault(fingerprint(tuple(a - b for a, b in zip(target, t))), S)
    for S, t in _half_sums(vecs, range(half, len(vecs)), len(target)):
        A = table.get(fingerprint(t))
        if A is not None:
            return tuple(sorted(A + S))
    return None


def _half_sums(vecs, indices, dim: int) -> list:
    sums = [((), (fmpq(0),) * dim)]
    for i in indices:
        sums += [(S + (i,), tuple(a + b for a, b in zip(t, vecs[i]))) for S, t in sums]
    return sums


def run(shapes=((784, 16, 10), (784, 32, 10), (784, 256, 10), (784, 512, 10), (784, 1024, 10),
                (784, 1024, 10, True)), peer_max: int = 256, naive_max: int = 16):
    rows = []
    for n0, n1, n2, *pair in shapes:
        net = float_network(n0, n1, n2, pair=bool(pair))
        K, floor_s = timed(sa.canonical_form, net)
        mf, ours_s = timed(sa.minimal_form, net)
        assert sa.canonical_form(mf) == K
        N = K.num_kinks
        row = {"arch": f"{n0}-{n1}-{n2}" + ("+pair" if pair else ""), "N": N, "width": mf.widths[1],
               "ours_s": ours_s, "peer_s": None, "naive_s": None, "floor_s": floor_s}
        if N <= peer_max:
            F, row["peer_s"] = timed(lambda: find_subset_with_sum(*flattened(K)))
            assert (F is not None) == (mf.widths[1] == N)
        elif N > n0:      # dependent normals: the exact route the screen replaces (width N only)
            F, row["peer_s"] = timed(exact_route, K)
            assert (F is not None) == (mf.widths[1] == N)
        if N <= naive_max:
            F, row["naive_s"] = timed(naive, K)
            assert (F is not None) == (mf.widths[1] == N)
        rows.append(row)
        print(table(rows[-1:]), flush=True)
    return rows


QUICK = dict(shapes=((30, 14, 3), (12, 20, 2), (6, 14, 3, True)), peer_max=10, naive_max=14)


def table(rows) -> str:
    out = [f"{'architecture':17s} {'N':>4s} {'width':>7s} {'ours':>7s} {'peer':>7s} {'naive':>7s} {'floor':>7s} "
           f"{'peer/ours':>10s} {'naive/ours':>11s} {'ours/floor':>11s}"]
    for r in rows:
        out.append(f"{r['arch']:17s} {r['N']:4d} {r['width']:7d} {seconds(r['ours_s'], 7)} {seconds(r['peer_s'], 7)} "
                   f"{seconds(r['naive_s'], 7)} {seconds(r['floor_s'], 7)} {ratio(r['peer_s'], r['ours_s'])} "
                   f"{ratio(r['naive_s'], r['ours_s']):>11s} {r['ours_s'] / r['floor_s']:10.1f}x")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "minimal_form")


if __name__ == "__main__":
    main()
