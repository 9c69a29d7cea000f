r"""Benchmark: the combinatorial type of case-(a) bottlenecks $n_0$-$n_1$-1-1 with $n_0 \ge 3$ and a hidden
first-layer neuron, where no float witness settles it and the first layer's cells must (exact LPs).

Ours: which hyperplanes $H_k$ meet $P = \{h > 0\}$ from the facets of the cells already enumerated
(:meth:`semialg.geometry.arrangement.Arrangement.positive_hyperplanes`: one LP per facet between two cells meeting
$\overline P$, the first usually positive), plus the sign of $h$ per cell. The naive method is the one semialg had
before (session 42): for each $H_k$ enumerate the regions of $h$ restricted to $H_k$, one strict-feasibility LP each.
The floor is the enumeration of the first layer's cells, which both need.

    python benchmarks/bench_visibility.py
    python benchmarks/bench_visibility.py --quick

Measured (session 43, 2-core machine, seconds; "ours" is the whole type once the cells are known, the sign of $h$
on every cell included; the naive column is visibility alone):

    net        seed  cells   floor    ours   naive  ours/floor  naive/ours
    3-10-1-1      7    175    0.09    0.05    0.20        0.5x        4.1x
    4-10-1-1     12    385    0.21    0.14    0.73        0.7x        5.1x
    4-13-1-1      2   1091    0.69    0.49    1.98        0.7x        4.1x
    5-15-1-1      7   4942    4.61    2.79   19.73        0.6x        7.1x
"""

from __future__ import annotations

from common import main as bench_main, timed
from semialg import Network
from semialg.core.exact import nullspace
from semialg.engine import regions as pl
from semialg.families.bottleneck import combinatorial_type
from semialg.families.bottleneck.arrangement import NetworkArrangement
from semialg.families.bottleneck.types import _arranged_type
from semialg.families.bottleneck.views import OuterView
from semialg.geometry.polyhedron import decide


def hidden_case(n0: int, n1: int, height: int = 3) -> tuple[int, Network]:
    """The first seed whose random $n_0$-$n_1$-1-1 parameter has a neuron of class U− or U+ (so the type needs
    the cells)."""
    for seed in range(1000):
        net = Network.random((n0, n1, 1, 1), seed=seed, height=height)
        if {"U-", "U+"} & set(combinatorial_type(net).classes):
            return seed, net
    raise LookupError(f"no {n0}-{n1}-1-1 parameter with a hidden neuron among 1000 seeds")


def naive_visible(view: OuterView) -> set[int]:
    """The hyperplanes meeting $P$, each from the regions of $h$ restricted to it (the method before)."""
    out = set()
    for k, (u, beta) in enumerate(zip(view.w, view.b)):
        if not any(u):
            continue
        uu = sum(t * t for t in u)
        x0 = [-beta * t / uu for t in u]
        basis = nullspace([list(u)])
        dot = lambda a, b: sum(s * t for s, t in zip(a, b))  # noqa: E731
        restricted = Network.from_arrays([[[dot(w, col) for col in basis] for w in view.w], [list(view.v)]],
                                         [[dot(w, x0) + b for w, b in zip(view.w, view.b)], [view.e]])
        if any(decide([g for g, _ in r.inequalities] + [r.linear[0]], [c for _, c in r.inequalities]
                      + [r.offset[0]], len(basis)) for r in pl.regions(restricted)):
            out.add(k)
    return out


def run(sizes=((3, 10), (4, 10), (4, 13), (5, 15)), show=print):
    rows = []
    show(f"{'net':10s} {'seed':>4s} {'cells':>6s} {'floor':>7s} {'ours':>7s} {'naive':>7s} {'ours/floor':>11s} "
         f"{'naive/ours':>11s}")
    for n0, n1 in sizes:
        seed, net = hidden_case(n0, n1)
        view = OuterView.of(net)
        arr, floor = timed(NetworkArrangement, (net,))
        kind, ours = timed(_arranged_type, arr, view)
        seen, naive = timed(naive_visible, view)
        assert seen == {k for k, c in enumerate(kind.classes) if c == "V"}, (n0, n1, seed)
        row = {"net": f"{n0}-{n1}-1-1", "seed": seed, "cells": len(arr.cells), "floor_s": floor, "ours_s": ours,
               "naive_s": naive}
        rows.append(row)
        show(f"{row['net']:10s} {seed:4d} {len(arr.cells):6d} {floor:7.2f} {ours:7.2f} {naive:7.2f} "
             f"{ours / floor:10.1f}x {naive / ours:10.1f}x")
    return rows


QUICK = dict(sizes=((3, 6),))


def table(rows) -> str:
    return f"{len(rows)} sizes (each row printed as it finished)"


def main():
    bench_main(__doc__, run, table, QUICK, "visibility")


if __name__ == "__main__":
    main()
