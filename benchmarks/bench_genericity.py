"""Benchmark: exact genericity checks against the naive symbolic method.

(a) m-n-k shallow networks with float32-derived weights: the dependent-rows condition of
    ``semialg.genericity`` (hashing of normalised rows) against evaluating every 2x2 minor of every pair of
    neuron rows with sympy, like for like, on the sizes where the naive method finishes (measured in the
    same run; extrapolated as n^2 m^2 beyond, and labelled so); the full genericity time (with the 0-factor
    condition) and its proven status are printed beside it;
(b) the 784-4096-10 case, with a proven answer.

Every row also shows the time to load the network exactly (``convert s``), genericity relative to it, and the
floor named in the issue: one n x n rank modulo a word-size prime with flint's ``nmod_mat`` (the 0-factor
certificate cannot avoid an n x n modular rank); ``semialg.core.modular.rank_mod`` (float64 BLAS) beats it.

    python benchmarks/bench_genericity.py               # full run (about two minutes)
    python benchmarks/bench_genericity.py --quick       # smoke sizes
"""

from __future__ import annotations

import itertools
import time

import numpy as np
import sympy

import semialg as sa
from common import main as bench_main, timed
from flint import nmod_mat
from semialg.core.modular import BLAS_PRIME
from semialg.engine.loci import _dependent_condition  # the dependent-rows stage alone, for a like-for-like ratio


def float32_network(m: int, n: int, k: int, seed: int = 0) -> sa.Network:
    rng = np.random.default_rng(seed)
    layers = [(rng.normal(size=(n, m)), rng.normal(size=n)), (rng.normal(size=(k, n)), rng.normal(size=k))]
    return sa.Network.from_arrays([W.astype(np.float32) for W, _ in layers],
                                  [b.astype(np.float32) for _, b in layers])


def naive_dependent_rows(net: sa.Network) -> bool:
    """True iff two neuron rows (w_i, b_i) are linearly dependent: every 2x2 minor of every pair, with sympy."""
    W, b = net.weights[0], net.biases[0]
    rows = [[sympy.Rational(int(x.p), int(x.q)) for x in r] + [sympy.Rational(int(c.p), int(c.q))]
            for r, c in zip(W, b)]
    for r1, r2 in itertools.combinations(rows, 2):
        M = sympy.Matrix([r1, r2])
        if all(M[:, [p, q]].det() == 0 for p, q in itertools.combinations(range(len(r1)), 2)):
            return True
    return False


def flint_rank_floor(n: int, seed: int = 0) -> float:
    """Seconds for flint's ``nmod_mat.rank`` of a random n x n matrix modulo a 21-bit prime (rank only: the
    matrix is built before the clock starts); asserts full rank, which holds with overwhelming probability."""
    p = BLAS_PRIME
    M = nmod_mat(n, n, np.random.default_rng(seed).integers(0, p, size=n * n).tolist(), p)
    r, t = timed(M.rank)
    assert r == n
    return t


def run(sizes=((10, 20, 1), (10, 80, 1), (784, 1000, 10)), naive_max=80,
        big=(784, 4096, 10)):
    rows = []
    for m, n, k in list(sizes) + ([big] if big else []):
        t0 = time.perf_counter()
        net = float32_network(m, n, k, seed=n)
        t1 = time.perf_counter()
        report = sa.genericity(net)
        t2 = time.perf_counter()
        _dependent_condition(net)
        t3 = time.perf_counter()
        row = {"arch": f"{m}-{n}-{k}", "status": report.status, "convert_s": t1 - t0, "genericity_s": t2 - t1,
               "semialg_s": t3 - t2, "naive_s": None, "floor_s": flint_rank_floor(n)}
        if n <= naive_max:
            t = time.perf_counter()
            dependent = naive_dependent_rows(net)
            row["naive_s"] = time.perf_counter() - t
            assert dependent == (report.conditions[1].holds is False)
        rows.append(row)
    return rows


QUICK = dict(sizes=((5, 10, 1), (5, 20, 1)), naive_max=20, big=None)


def table(rows) -> str:
    """The table; the naive cost grows like n^2 m^2, so its per-minor time is extrapolated (and recorded in
    the rows) for the sizes where it was not run."""
    per_minor = max((r["naive_s"] / (int(r["arch"].split("-")[1]) ** 2 * int(r["arch"].split("-")[0]) ** 2))
                    for r in rows if r["naive_s"])
    out = [f"{'architecture':14s} {'genericity':10s} {'convert s':>10s} {'all conds s':>11s} {'/convert':>9s} "
           f"{'floor s':>8s} {'/floor':>7s} {'dep. rows s':>11s} {'naive minors s':>20s} {'ratio':>10s}"]
    for r in rows:
        m, n, _ = map(int, r["arch"].split("-"))
        naive = r["naive_s"]
        label = f"{naive:.3f}" if naive else f"~{per_minor * n * n * m * m:.0f} (extrap.)"
        ratio = (naive or per_minor * n * n * m * m) / r["semialg_s"]
        out.append(f"{r['arch']:14s} {r['status']:10s} {r['convert_s']:10.3f} {r['genericity_s']:11.3f} "
                   f"{r['genericity_s'] / r['convert_s']:8.1f}x {r['floor_s']:8.3f} "
                   f"{r['genericity_s'] / r['floor_s']:6.2f}x {r['semialg_s']:11.4f} {label:>20s} {ratio:9.0f}x")
        r["naive_extrapolated_s"] = None if naive else per_minor * n * n * m * m
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "genericity")


if __name__ == "__main__":
    main()
