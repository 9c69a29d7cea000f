"""Benchmark: exact rank of functional-dimension Jacobians, five ways, on the same matrices.

``semialg.core.exact.rank`` (conversion to flint plus flint's exact rational rank), flint's rank alone on a prebuilt
``fmpq_mat``, the modular rank ``semialg.core.exact.modular_rank`` (a lower bound used for early stopping), sympy's
``DomainMatrix`` over QQ, and ``sympy.Matrix.rank`` (only while it stays fast). All exact answers must agree.
Wide first layers (``W1 784-256``: 256 rows, 784 columns) show why ``rank`` eliminates the transpose of a wide
matrix: flint's rank on the matrix as given is the naive column.

    python benchmarks/bench_rank.py
    python benchmarks/bench_rank.py --quick
"""

from __future__ import annotations

import random

import sympy
from flint import fmpq, fmpq_mat
from sympy.polys.matrices import DomainMatrix

import semialg as sa
from common import main as bench_main, timed
from semialg.engine import regions as pl
from semialg.core.exact import modular_rank, rank


def jacobian(n: int):
    net = sa.Network.random((2, n, n, 1), seed=n)
    return [row for x, p in pl.decisive_batch(net) for row in pl.parameter_jacobian(net, x, p)]


def first_layer(n0: int, n1: int):
    """A wide first layer as people train it: integer weights of a few bits (``Network.random`` scaled)."""
    rng = random.Random(n0 * n1)
    return [[fmpq(rng.randint(-200, 200)) for _ in range(n0)] for _ in range(n1)]


def run(sizes=(3, 5, 8, 12), sympy_max=3, domain_max=12, wide=((784, 64), (784, 256)), wide_domain_max=64):
    rows = []
    cases = [(f"2-{n}-{n}-1", jacobian(n), n <= domain_max, n <= sympy_max) for n in sizes]
    cases += [(f"W1 {n0}-{n1}", first_layer(n0, n1), n1 <= wide_domain_max, False) for n0, n1 in wide]
    for arch, J, domain, plain in cases:
        r, t = timed(rank, J)
        row = {"arch": arch, "shape": f"{len(J)}x{len(J[0])}", "rank": r, "semialg_s": t}
        M = fmpq_mat(len(J), len(J[0]), [x for rw in J for x in rw])
        rr, row["flint_rref_s"] = timed(M.rank)
        rm, row["modular_s"] = timed(modular_rank, J)
        assert rr == r and rm <= r
        row["domain_s"] = row["sympy_s"] = None
        if domain:
            S = [[sympy.Rational(int(v.p), int(v.q)) for v in rw] for rw in J]
            D = DomainMatrix.from_list_sympy(len(S), len(S[0]), S).convert_to(sympy.QQ)
            rd, row["domain_s"] = timed(D.rank)
            assert rd == r
            if plain:
                rs, row["sympy_s"] = timed(sympy.Matrix(S).rank)
                assert rs == r
        rows.append(row)
    return rows


QUICK = dict(sizes=(2, 3), sympy_max=2, domain_max=3, wide=((50, 20),))


def table(rows) -> str:
    out = [f"{'architecture':13s} {'matrix':>10s} {'rank':>5s} {'semialg s':>10s} {'flint rref s':>13s} "
           f"{'modular s':>10s} {'DomainMatrix s':>15s} {'Matrix.rank s':>14s} {'vs Domain':>10s}"]
    for r in rows:
        fmt = lambda v: f"{v:.4f}" if v is not None else "-"  # noqa: E731
        ratio = f"{r['domain_s'] / r['semialg_s']:.0f}x" if r["domain_s"] else "-"
        out.append(f"{r['arch']:13s} {r['shape']:>10s} {r['rank']:5d} {r['semialg_s']:10.4f} "
                   f"{r['flint_rref_s']:13.4f} {r['modular_s']:10.4f} {fmt(r['domain_s']):>15s} "
                   f"{fmt(r['sympy_s']):>14s} {ratio:>10s}")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "rank")


if __name__ == "__main__":
    main()
