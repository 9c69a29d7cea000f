"""Benchmark: case-(b) short witnesses for pairs that differ in every neuron (issue 17 item 3), with moves on sets
of neurons (``semialg.families.bottleneck.move_sets``).

Pairs (built by ``tests/test_bottleneck_witness_sets.py``'s ``pair``: two realisations of one profile with m
breakpoints, flat at both ends, and a random group element): ``everywhere`` — the same branch, every kink of the
other orientation or split over two neurons; ``reflected`` — opposite branches, neither side reflective (K+ kinks
absorbed by always-active neurons: before, the full normal forms); ``hostless`` — no always-active neuron on
either side. Columns: the widths, the moves and their size (neurons named), build and verify seconds of ours;
naive: the full normal forms (``normal_form_witness``, O(n2^2 n3); up to n2 = 1024); floor: deciding by the
profiles and verifying the profile certificate (what a proven equivalence carried beyond n2 = 1024 for these
pairs before). Each table is printed as soon as it is complete.

Measured (shared 2 cores; m, kind: widths n2 / n2', moves, size; build s / verify s; naive build s / verify s
(moves); floor: profile decision s / profile-certificate verify s):
    1024   everywhere 1027 / 1289, 13, 1826:  0.22 / 0.07;  naive 8.4 / 1.5 (1938);  floor 0.05 / 4.8
    1024   reflected  1026 / 1540, 13, 2805:  0.42 / 0.11;  naive 24.9 / 3.0 (4397); floor 0.07 / 5.5
    1024   hostless   1025 / 1025,  9, 1031:  0.11 / 0.02;  naive 0.61 / 0.11 (12);  floor 0.02 / 3.3
    4096   everywhere 4099 / 6527, 13, 11396: 1.0 / 0.25;   floor 0.27 / 1.8
    4096   reflected  4099 / 7357, 11, 15587: 1.9 / 0.45;   floor 0.30 / 1.7
    4096   hostless   4098 / 4096,  8, 4103:  0.65 / 0.13;  floor 0.18 / 1.2
    16384  everywhere 16388 / 25947, 12, 45081: 3.9 / 1.2;  floor 1.0 / 6.8
    16384  reflected  16389 / 23411, 14, 41093: 5.7 / 2.3;  floor 0.96 / 6.2
    16384  hostless   16384 / 16384,  7, 16389: 3.3 / 0.92; floor 1.1 / 6.7
(the profile certificate's verification above 10^7 evaluations recomputes both profiles and evaluates 64
points: hence 1.2-1.8 s at 4096 against 3-5 s at 1024.) Before: a chain of at most 3u + 15 single moves of
O(n2 n3) each — O(n2^2) for u ~ n2 — and beyond n2 = 1024 the profile certificate only; the reflected pairs used
the normal forms (at m <= 6, 40 of 40 pairs, 34 moves on average; the hostless ones 24 of 40).

    python benchmarks/bench_bottleneck_witness_sets.py            # m = 1024, 4096, 16384
    python benchmarks/bench_bottleneck_witness_sets.py --quick    # smoke sizes
"""

from __future__ import annotations

import pathlib
import sys

from common import main as bench_main, timed
from semialg.families.bottleneck import witnesses as W
from semialg.families.bottleneck.ridge import equivalent_ridge

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
from test_bottleneck_witness_sets import pair  # noqa: E402  (the pair builder the tests check)


def _size(cert) -> int:
    """The moves counted once per neuron they name (at least once)."""
    def named(mv) -> int:
        return (len(getattr(mv, "S", ())) + sum(map(len, getattr(mv, "groups", ())))
                + sum(isinstance(getattr(mv, k, None), int) for k in ("i", "j", "into")))
    return sum(max(1, named(mv)) for mv in cert.moves1 + cert.moves2)


def run(sizes=(1024, 4096, 16384), kinds=("everywhere", "reflected", "hostless"), naive_limit=1024,
        print_tables=True):
    rows = []
    for m in sizes:
        table_rows = []
        for kind in kinds:
            a, b = pair(m + len(kind), kind, m)
            row = {"m": m, "kind": kind, "n2": a.widths[2], "n2_other": b.widths[2]}
            cert, row["build_s"] = timed(W.short_witness, a, b)
            row["moves"], row["size"] = len(cert.moves1) + len(cert.moves2), _size(cert)
            row["verify_s"] = timed(cert.verify, a, b)[1]
            r, row["floor_s"] = timed(equivalent_ridge, a, b)
            row["floor_verify_s"] = timed(r.verify, a, b)[1]
            if m <= naive_limit:
                old, row["naive_s"] = timed(W.normal_form_witness, a, b)
                row["naive_moves"] = None if old is None else len(old.moves1) + len(old.moves2)
                row["naive_verify_s"] = None if old is None else timed(old.verify, a, b)[1]
            table_rows.append(row)
        rows += table_rows
        if print_tables:
            print(table(table_rows), flush=True)
    return rows


QUICK = dict(sizes=(16, 64))


def table(rows) -> str:
    f = lambda x: f"{x:8.3f}" if isinstance(x, float) else f"{'-' if x is None else x:>8}"  # noqa: E731
    out = [f"{'m':>6s} {'kind':>10s} {'n2':>6s} {'n2 oth':>6s} {'moves':>5s} {'size':>6s} {'build s':>8s} "
           f"{'verify s':>8s} {'naive mv':>8s} {'naive s':>8s} {'naive vf':>8s} {'floor s':>8s} {'floor vf':>8s}"]
    for r in rows:
        out.append(f"{r['m']:6d} {r['kind']:>10s} {r['n2']:6d} {r['n2_other']:6d} {r['moves']:5d} {r['size']:6d} "
                   f"{f(r['build_s'])} {f(r['verify_s'])} {f(r.get('naive_moves'))} {f(r.get('naive_s'))} "
                   f"{f(r.get('naive_verify_s'))} {f(r['floor_s'])} {f(r['floor_verify_s'])}")
    return "\n".join(out)


def main():
    bench_main(__doc__, lambda **kw: run(**kw, print_tables=True), lambda rows: "", QUICK,
               "bottleneck_witness_sets")


if __name__ == "__main__":
    main()
