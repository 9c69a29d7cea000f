r"""Benchmark: the minimal form of a float32 784-n-10 network past the exhaustive limit.

Ours (``semialg.minimal_form``): the shares of the linear part along independent normals, or, for dependent normals
($n > 784$), exact subset sums in $n$ coordinates with the Gram matrix of the tensors $\delta_h \otimes u_h$ from
the factors (:mod:`semialg.families.shallow.kink_tensors`). Peer: the same subset sums with the Gram matrix of the
flattened $7{,}840$-dimensional tensors ($O(N^2km)$). Naive: meet in the middle over the flattened tensors, the
method before session 38 ($2^{N/2}$ sums of $7{,}840$ rationals). Floor: the canonical form, which every method needs
first. Every answer is checked: the widths agree and the minimal form realizes the function (the canonical forms are
equal).

    python benchmarks/bench_minimal_form.py
    python benchmarks/bench_minimal_form.py --quick

Measured (session 38, shared 2-core machine; seconds):

    architecture    N   width    ours    peer   naive   floor  peer/ours  naive/ours  ours/floor
    784-16-10      16      16    0.07    0.12    3.22    0.02       1.6x       44.1x        4.4x
    784-32-10      32      32    0.09    0.20       -    0.02       2.1x           -        4.7x
    784-256-10    256     256    1.07    2.56       -    0.13       2.4x           -        8.0x
    784-512-10    512     512    2.15       -       -    0.24          -           -        8.8x
    784-1024-10  1024    1024   12.71       -       -    0.63          -           -       20.1x

flint multiplies the flattened $N \times 7{,}840$ matrix fast, so the peer is only 2-2.5 times slower; at 784-1024-10
(dependent normals) ours spends 5 s on the Gram matrix from the factors and the rest on the $1{,}023 \times 1{,}023$
integer solve and its $0/1$ check. The naive method at 784-32-10 held $2^{16}$ sums of 7,840 rationals and was killed for want of memory; at 784-256-10
it refused ($2^{128}$ half-sums).
"""

from __future__ import annotations

import numpy as np
from flint import fmpq

import semialg as sa
from common import main as bench_main, ratio, seconds, timed
from semialg.core.exact import fingerprint
from semialg.geometry.zero_sum import find_subset_with_sum


def float_network(n0: int, n1: int, n2: int, seed: int = 0) -> sa.Network:
    rng = np.random.default_rng(seed)
    W1, b1 = rng.normal(size=(n1, n0)).astype(np.float32), rng.normal(size=n1).astype(np.float32)
    W2, b2 = rng.normal(size=(n2, n1)).astype(np.float32), rng.normal(size=n2).astype(np.float32)
    return sa.Network.from_arrays([W1, W2], [b1, b2])


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


def run(shapes=((784, 16, 10), (784, 32, 10), (784, 256, 10), (784, 512, 10), (784, 1024, 10)),
        peer_max: int = 256, naive_max: int = 16):
    rows = []
    for n0, n1, n2 in shapes:
        net = float_network(n0, n1, n2)
        K, floor_s = timed(sa.canonical_form, net)
        mf, ours_s = timed(sa.minimal_form, net)
        assert sa.canonical_form(mf) == K
        N = K.num_kinks
        row = {"arch": f"{n0}-{n1}-{n2}", "N": N, "width": mf.widths[1], "ours_s": ours_s, "peer_s": None,
               "naive_s": None, "floor_s": floor_s}
        if N <= peer_max:
            F, row["peer_s"] = timed(lambda: find_subset_with_sum(*flattened(K)))
            assert F is not None and (len(F) == 0) == (N == 0) and mf.widths[1] == N
        if N <= naive_max:
            F, row["naive_s"] = timed(naive, K)
            assert F is not None and mf.widths[1] == N
        rows.append(row)
        print(table(rows[-1:]), flush=True)
    return rows


QUICK = dict(shapes=((30, 14, 3), (12, 20, 2)), peer_max=20, naive_max=14)


def table(rows) -> str:
    out = [f"{'architecture':12s} {'N':>4s} {'width':>7s} {'ours':>7s} {'peer':>7s} {'naive':>7s} {'floor':>7s} "
           f"{'peer/ours':>10s} {'naive/ours':>11s} {'ours/floor':>11s}"]
    for r in rows:
        out.append(f"{r['arch']:12s} {r['N']:4d} {r['width']:7d} {seconds(r['ours_s'], 7)} {seconds(r['peer_s'], 7)} "
                   f"{seconds(r['naive_s'], 7)} {seconds(r['floor_s'], 7)} {ratio(r['peer_s'], r['ours_s'])} "
                   f"{ratio(r['naive_s'], r['ours_s']):>11s} {r['ours_s'] / r['floor_s']:10.1f}x")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "minimal_form")


if __name__ == "__main__":
    main()
