"""Benchmark: exact equivalence by canonical forms against an SMT encoding of "exists x: f1(x) != f2(x)" (z3).

Small shallow m-n-1 networks with rational weights: a random G-image (equivalent: z3 must prove the negation
unsatisfiable) and a near miss (one weight moved by 1/97: z3 finds a counterexample). ReLU is encoded as
``If(z > 0, z, 0)`` over the reals. z3 is the optional ``smt`` extra; without it the z3 column is empty.

    python benchmarks/bench_smt.py            # 3-n-1 for n = 4, 12, 24, 48 (z3 needs ~30 s at n = 48)
    python benchmarks/bench_smt.py --quick
"""

from __future__ import annotations

import time
from fractions import Fraction

from flint import fmpq

import semialg as sa
from common import main as bench_main


def z3_equivalent(net1: sa.Network, net2: sa.Network, timeout_ms: int = 600_000) -> bool | None:
    """Ask z3 for an input where the outputs differ; True (unsat), False (sat) or None (unknown/timeout)."""
    import z3

    def val(q: fmpq):
        return z3.RealVal(str(Fraction(int(q.p), int(q.q))))

    xs = [z3.Real(f"x{j}") for j in range(net1.architecture.input_dim)]

    def outputs(net):
        a = xs
        for l, (W, b) in enumerate(net.layers()):
            z = [z3.Sum([val(w) * x for w, x in zip(row, a)]) + val(c) for row, c in zip(W, b)]
            a = z if l == net.depth - 1 else [z3.If(t > 0, t, 0) for t in z]
        return a

    s = z3.Solver()
    s.set("timeout", timeout_ms)
    s.add(z3.Or([o1 != o2 for o1, o2 in zip(outputs(net1), outputs(net2))]))
    answer = s.check()
    return True if answer == z3.unsat else False if answer == z3.sat else None


def near_miss(net: sa.Network) -> sa.Network:
    theta = list(net.parameters())
    theta[0] += fmpq(1, 97)
    return sa.Network.from_parameters(net.architecture, theta)


def run(widths=(4, 12, 24, 48), m=3):
    try:
        import z3  # noqa: F401
        have_z3 = True
    except ImportError:
        have_z3 = False
    rows = []
    for n in widths:
        net = sa.Network.random((m, n, 1), seed=n, height=9)
        image = sa.GroupElement.random(net.architecture, seed=n).act(net)
        for pair, other in (("G-image", image), ("near miss", near_miss(image))):
            t = time.perf_counter()
            r = sa.equivalent(net, other)
            t_sa = time.perf_counter() - t
            row = {"arch": f"{m}-{n}-1", "pair": pair, "equivalent": bool(r), "semialg_s": t_sa, "z3_s": None,
                   "z3_answer": None}
            if have_z3:
                t = time.perf_counter()
                answer = z3_equivalent(net, other)
                row["z3_s"], row["z3_answer"] = time.perf_counter() - t, answer
                assert answer is None or answer == bool(r)
            rows.append(row)
    return rows


QUICK = dict(widths=(2, 4))


def table(rows) -> str:
    out = [f"{'architecture':12s} {'pair':10s} {'equiv':>6s} {'semialg s':>10s} {'z3 s':>10s} {'ratio':>9s}"]
    for r in rows:
        z = r["z3_s"]
        ratio = f"{z / r['semialg_s']:.0f}x" if z else "-"
        note = "" if r["z3_answer"] is not None or z is None else " (z3 unknown)"
        out.append(f"{r['arch']:12s} {r['pair']:10s} {str(r['equivalent']):>6s} {r['semialg_s']:10.4f} "
                   f"{(f'{z:.3f}' if z else '-'):>10s} {ratio:>9s}{note}")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "smt")


if __name__ == "__main__":
    main()
