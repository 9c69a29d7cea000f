"""Benchmark: reading float weights exactly, time and memory, against the floor and the per-entry route.

For each network (float32 or float64 weights, as trained models store them) it measures, best of three
(of nine below a million weights):

* floor: one numpy pass splitting every float into an integer mantissa and an exponent (``frexp``, scale,
  cast to ``int64``) — what any exact reader must at least do;
* ours: ``semialg.Network.from_arrays`` (the integer form of :class:`semialg.core.rational_matrix.RationalMatrix`);
* naive: one ``fmpq`` per entry from ``float.as_integer_ratio`` (semialg's previous reader);
* the same from an ``.npz`` file with ``semialg.load`` against ``numpy.load`` plus the floor;

and the memory held by the network after reading (and the peak while reading), by ``tracemalloc``, against
the float64 size of the weights. Correctness is asserted inside the run: sampled entries equal the per-entry
conversion, and the residues of the integer form equal those of the per-entry rationals.

    python benchmarks/bench_reading.py            # 784-4096-10 and 784-256-256-10 (about a minute)
    python benchmarks/bench_reading.py --quick    # smoke sizes
"""

from __future__ import annotations

import os
import tempfile
import time
import tracemalloc

import numpy as np
from flint import fmpq

import semialg as sa
from common import main as bench_main
from semialg.core.modular import residues


def arrays(widths, dtype, seed=0):
    rng = np.random.default_rng(seed)
    Ws = [rng.normal(size=(o, i)).astype(dtype) for i, o in zip(widths, widths[1:])]
    bs = [rng.normal(size=o).astype(dtype) for o in widths[1:]]
    return Ws, bs


def floor(Ws, bs):
    """Split every float into integer mantissa and exponent with numpy."""
    for A in Ws + bs:
        m, e = np.frexp(A.astype(np.float64))
        np.ldexp(m, 53).astype(np.int64)


def naive(Ws, bs):
    """One fmpq per entry (the per-entry route)."""
    return [tuple(tuple(fmpq(*x.as_integer_ratio()) for x in r) for r in W.astype(np.float64).tolist())
            for W in Ws], [tuple(fmpq(*x.as_integer_ratio()) for x in b.astype(np.float64).tolist()) for b in bs]


def best(f, *args, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = f(*args)
        times.append(time.perf_counter() - t)
        del out
    return min(times)


def memory(f, *args):
    """(bytes held by the result, peak bytes while computing it), by tracemalloc."""
    tracemalloc.start()
    out = f(*args)
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del out
    return held, peak


def check(net, Ws, bs, seed=1):
    rng = np.random.default_rng(seed)
    for l, (W, b) in enumerate(zip(Ws, bs, strict=True)):
        M = net.weights[l]
        for i, j in zip(rng.integers(0, W.shape[0], 50), rng.integers(0, W.shape[1], 50), strict=True):
            x = fmpq(*float(W[i, j]).as_integer_ratio())
            assert fmpq(int(M.numerators[i, j]), M.denominator) == x
        assert net.biases[l] == tuple(fmpq(*float(v).as_integer_ratio()) for v in b.tolist())
    last = net.weights[-1]
    assert (residues(last) == residues(naive([np.asarray(Ws[-1])], [])[0][0])).all()


def run(cases=(((784, 4096, 10), "float32"), ((784, 256, 256, 10), "float32"), ((784, 4096, 10), "float64")),
        naive_max=4 * 10 ** 6):
    rows = []
    for widths, dtype in cases:
        Ws, bs = arrays(widths, np.dtype(dtype))
        entries = sum(A.size for A in Ws + bs)
        net = sa.Network.from_arrays(Ws, bs)
        check(net, Ws, bs)
        repeat = 3 if entries > 10 ** 6 else 9  # millisecond timings need more tries on a shared machine
        t_floor = best(floor, Ws, bs, repeat=repeat)
        t_ours = best(sa.Network.from_arrays, Ws, bs, repeat=repeat)
        held, peak = memory(sa.Network.from_arrays, Ws, bs)
        t_naive = best(naive, Ws, bs, repeat=1) if entries <= naive_max else None
        naive_held = memory(naive, Ws, bs)[0] if entries <= naive_max else None
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "net.npz")
            np.savez(path, **{f"{k}.weight": W for k, W in enumerate(Ws)}, **{f"{k}.bias": b for k, b in enumerate(bs)})
            t_file = best(sa.load, path)
            t_file_floor = best(lambda p: floor(*((lambda z: ([z[f"{k}.weight"] for k in range(len(Ws))],
                                                              [z[f"{k}.bias"] for k in range(len(bs))]))(np.load(p)))),
                                path)
        f64 = 8 * entries
        rows.append({"arch": "-".join(map(str, widths)), "dtype": dtype, "entries": entries,
                     "floor_s": t_floor, "ours_s": t_ours, "naive_s": t_naive,
                     "file_s": t_file, "file_floor_s": t_file_floor,
                     "held_MB": held / 1e6, "peak_MB": peak / 1e6, "float64_MB": f64 / 1e6,
                     "naive_held_MB": None if naive_held is None else naive_held / 1e6})
    return rows


QUICK = dict(cases=(((20, 30, 3), "float32"), ((5, 8, 8, 2), "float64")))


def table(rows) -> str:
    out = [f"{'architecture':16s} {'dtype':7s} {'floor s':>8s} {'ours s':>7s} {'/floor':>7s} {'naive s':>8s} "
           f"{'naive/ours':>10s} {'.npz s':>7s} {'/floor':>7s} {'held MB':>8s} {'/f64':>5s} {'peak MB':>8s} "
           f"{'/f64':>5s} {'naive MB':>9s} {'/f64':>5s}"]
    for r in rows:
        f64 = r["float64_MB"]
        nv = f"{r['naive_s']:8.2f} {r['naive_s'] / r['ours_s']:9.0f}x" if r["naive_s"] else f"{'-':>8s} {'-':>10s}"
        nm = f"{r['naive_held_MB']:9.1f} {r['naive_held_MB'] / f64:4.1f}x" if r["naive_held_MB"] else \
            f"{'-':>9s} {'-':>5s}"
        out.append(f"{r['arch']:16s} {r['dtype']:7s} {r['floor_s']:8.3f} {r['ours_s']:7.3f} "
                   f"{r['ours_s'] / r['floor_s']:6.1f}x {nv} {r['file_s']:7.3f} "
                   f"{r['file_s'] / r['file_floor_s']:6.1f}x {r['held_MB']:8.1f} {r['held_MB'] / f64:4.1f}x "
                   f"{r['peak_MB']:8.1f} {r['peak_MB'] / f64:4.1f}x {nm}")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "reading")


if __name__ == "__main__":
    main()
