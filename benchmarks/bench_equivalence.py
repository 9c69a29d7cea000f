"""Benchmark: exact shallow equivalence of m-n-k networks with float32-derived weights.

One network is a random G-image of the other (permutation and power-of-two scales, so the image is exact
in float32). For each width n it prints the time to convert both networks' weights to rationals, the time
of ``semialg.equivalent``, and the time of a naive pairwise O(n^2 m) neuron matching, with ratios; then a
one-ulp near miss (one output weight moved to the next float32): the time to refute it with a verified
point, against the load of both networks and against the rational canonical-form pass (semialg's previous
route: every weight a rational, every row normalised and hashed), which the integer kinks replace.

    python benchmarks/bench_equivalence.py            # n = 256, 1024, 4096 (naive up to 1024)
    python benchmarks/bench_equivalence.py --quick    # smoke sizes
"""

from __future__ import annotations

import time

import numpy as np

import semialg as sa
from common import main as bench_main
from semialg.families.shallow import ShallowView
from semialg.families.shallow.canonical import canonical_form


def make_pair(m: int, n: int, k: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    W1 = rng.normal(size=(n, m)).astype(np.float32)
    b1 = rng.normal(size=n).astype(np.float32)
    W2 = rng.normal(size=(k, n)).astype(np.float32)
    b2 = rng.normal(size=k).astype(np.float32)
    perm = rng.permutation(n)
    lam = (2.0 ** rng.integers(-3, 4, size=n)).astype(np.float32)
    return (W1, b1, W2, b2), (W1[perm] * lam[:, None], b1[perm] * lam, W2[:, perm] / lam[None, :], b2)


def naive_match(net1: sa.Network, net2: sa.Network) -> bool:
    """Pairwise matching: for each neuron of net1 scan net2 for a positively proportional row with the
    inversely scaled output weight. O(n^2 (m + k)) exact operations."""
    v1, v2 = ShallowView.of(net1), ShallowView.of(net2)
    used = [False] * v2.n
    for i in range(v1.n):
        r1 = v1.w[i] + (v1.b[i],)
        p = next(t for t, x in enumerate(r1) if x != 0)
        for j in range(v2.n):
            if used[j]:
                continue
            r2 = v2.w[j] + (v2.b[j],)
            lam = r2[p] / r1[p]
            if lam > 0 and all(y == lam * x for x, y in zip(r1, r2)) and \
                    all(y * lam == x for x, y in zip(v1.a[i], v2.a[j])):
                used[j] = True
                break
        else:
            return False
    return v1.c == v2.c


def run(widths=(256, 1024, 4096), m=784, k=10, naive_max=1024):
    rows = []
    for n in widths:
        a, b = make_pair(m, n, k)
        t = time.perf_counter()
        net1 = sa.Network.from_arrays([a[0], a[2]], [a[1], a[3]])
        net2 = sa.Network.from_arrays([b[0], b[2]], [b[1], b[3]])
        t_conv = time.perf_counter() - t
        t = time.perf_counter()
        r = sa.equivalent(net1, net2)
        t_eq = time.perf_counter() - t
        assert r and r.certificate.verify(net1, net2)
        t_naive = None
        if n <= naive_max:
            t = time.perf_counter()
            assert naive_match(net1, net2)
            t_naive = time.perf_counter() - t
        W2 = b[2].copy()
        W2[k // 2, n // 3] = np.nextafter(W2[k // 2, n // 3], np.float32(np.inf))
        miss = sa.Network.from_arrays([b[0], W2], [b[1], b[3]])
        t = time.perf_counter()
        r = sa.equivalent(net1, miss)
        t_miss = time.perf_counter() - t
        assert r.status == "not equivalent" and r.certificate.verify(net1, miss)
        t = time.perf_counter()
        assert canonical_form(net1) != canonical_form(miss)
        t_rational = time.perf_counter() - t
        rows.append({"m": m, "n": n, "k": k, "convert_s": t_conv, "equivalent_s": t_eq,
                     "equivalent_over_convert": t_eq / t_conv, "near_miss_s": t_miss,
                     "near_miss_over_convert": t_miss / t_conv, "rational_canonical_s": t_rational,
                     "naive_s": t_naive, "naive_over_equivalent": t_naive / t_eq if t_naive else None})
    return rows


QUICK = dict(widths=(64, 256), naive_max=256)


def table(rows) -> str:
    out = [f"{'architecture':>16} {'convert s':>10} {'equiv s':>9} {'equiv/conv':>10} {'naive s':>9} "
           f"{'naive/equiv':>11} {'near miss s':>11} {'miss/conv':>9} {'rational s':>10} {'rational/miss':>13}"]
    for r in rows:
        naive = f"{r['naive_s']:.2f}" if r["naive_s"] is not None else "-"
        ratio = f"{r['naive_over_equivalent']:.1f}x" if r["naive_over_equivalent"] else "-"
        out.append(f"{r['m']}-{r['n']}-{r['k']:>4} {r['convert_s']:>10.2f} {r['equivalent_s']:>9.2f} "
                   f"{r['equivalent_over_convert']:>10.1f} {naive:>9} {ratio:>11} {r['near_miss_s']:>11.3f} "
                   f"{r['near_miss_over_convert']:>9.1f} {r['rational_canonical_s']:>10.2f} "
                   f"{r['rational_canonical_s'] / r['near_miss_s']:>12.0f}x")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "equivalence")


if __name__ == "__main__":
    main()
