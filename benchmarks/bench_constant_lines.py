r"""Benchmark: the nowhere-positive test along a line, which decides a constant function's local dimension at a
member pushed towards the interior of $\{h' \le 0\}$ (:meth:`ConstantFibre.local_dimension
<semialg.families.bottleneck.constant_fibre.ConstantFibre.local_dimension>`), ours
(:func:`~semialg.families.bottleneck.constant_fibre.nowhere_positive_along`: the vertex and ray atoms built from
the line's univariate entries) against the peer method (the symbolic formula of
:func:`~semialg.families.bottleneck.constant_fibre.nowhere_positive`, built once, its polynomials restricted to
the line: :meth:`Formula.robust_along <semialg.families.bottleneck.hidden_formula.Formula.robust_along>` and
``holds_along``) and the floor (the same atoms at the point itself, constants instead of polynomials in $t$).
Both answer the same (asserted); seconds per line, over two lines (the floor: every atom at the point).

    python benchmarks/bench_constant_lines.py
    python benchmarks/bench_constant_lines.py --quick

Measured (session 24, shared 2-core machine; seconds):

    architecture  atoms  peer build  peer/line  ours/line  floor  peer/ours
    2-4-1-1          14        0.00      0.011      0.002  0.000       5.4x
    3-5-1-1          30        0.01      0.029      0.003  0.001      10.6x
    4-6-1-1          55        0.04      0.783      0.019  0.012      40.5x
    5-7-1-1          91        1.80     44.588      0.117  0.055     380.7x

(A 5-8-1-2 member: a minute per line for the peer, 80 ms ours.) The peer's
polynomials grow like $(n_0!)^2$ terms: Cramer's determinants multiplied out in all $D$ variables; ours has
degree at most $2n_0 + 2$ in one variable.
"""

from __future__ import annotations

import random

from flint import fmpq

from common import main as bench_main, timed
from semialg import Architecture, Network
from semialg.families.bottleneck.constant_fibre import nowhere_positive, nowhere_positive_along


def _member(n0: int, n1: int, rng: random.Random) -> Network:
    """A constant-function member: random rows, one positive neuron outweighed by a parallel negative one."""
    W = [[rng.randint(-3, 3) for _ in range(n0)] for _ in range(n1)]
    b = [rng.randint(-3, 3) for _ in range(n1)]
    v = [-rng.randint(1, 3) for _ in range(n1)]
    W[1], v[0] = [2 * x for x in W[0]], 1
    return Network.from_arrays([W, [v], [[1]]], [b, [-20], [0]])


def run(archs=((2, 4), (3, 5), (4, 6), (5, 7)), seed: int = 0):
    rng, rows = random.Random(seed), []
    for n0, n1 in archs:
        net = _member(n0, n1, rng)
        D = net.architecture.num_parameters
        lines = [[fmpq(rng.randint(-2, 2)) for _ in range(D)] for _ in range(2)]
        V = Architecture(n0, n1, 1, 1).variables()
        (formula, strict), build_s = timed(lambda: (nowhere_positive(V, coordinate_planes=False),
                                                    nowhere_positive(V, coordinate_planes=False, strict=True)))
        peer, peer_s = timed(lambda: [(formula.robust_along(net.parameters(), d),
                                       strict.holds_along(net.parameters(), d)) for d in lines])
        ours, ours_s = timed(lambda: [(nowhere_positive_along(net, d, robust=True),
                                       nowhere_positive_along(net, d, strict=True)) for d in lines])
        _, floor_s = timed(lambda: [nowhere_positive_along(net) for _ in lines])     # holds: every atom walked
        assert ours == peer, (n0, n1)
        row = {"arch": f"{n0}-{n1}-1-1", "atoms": formula.atoms(), "build_s": build_s, "peer_s": peer_s / 2,
               "ours_s": ours_s / 2, "floor_s": floor_s / 2}
        print(table([row]).splitlines()[-1], flush=True)
        rows.append(row)
    return rows


QUICK = dict(archs=((2, 3), (3, 4)))


def table(rows) -> str:
    out = [f"{'architecture':12s} {'atoms':>6s} {'peer build':>11s} {'peer/line':>10s} {'ours/line':>10s} "
           f"{'floor':>6s} {'peer/ours':>10s}"]
    for r in rows:
        out.append(f"{r['arch']:12s} {r['atoms']:6d} {r['build_s']:11.2f} {r['peer_s']:10.3f} {r['ours_s']:10.3f} "
                   f"{r['floor_s']:6.3f} {r['peer_s'] / r['ours_s']:9.1f}x")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "constant_lines")


if __name__ == "__main__":
    main()
