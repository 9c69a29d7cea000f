r"""Benchmark: the local dimension of a bottleneck fibre at a non-generic parameter, ours
(``semialg.families.bottleneck.local.local_dimension_bounds``: first-order bounds with the exact moves of
silent, constant and hidden neurons and the equations of kinks kept off $P$) against the first-order bounds alone
(``semialg.engine.tangent.local_dimension_bounds``, the peer method: the moves' rank and the Jacobian's kernel)
and the floor (one exact functional dimension, which needs the same Jacobian rank).

The parameters are planted n0-n1-1-n3 networks with a dead constant neuron of positive output weight
($w = 0$, $b < 0$, $v > 0$: it may wake far away, or must keep $w' = 0$) and an unused neuron ($v = 0$); for
$n_1 < n_0$ the rows do not span the input space, so the cells of the arrangement have lines. "gap" is upper
minus lower (0: decided).

    python benchmarks/bench_bottleneck_local.py
    python benchmarks/bench_bottleneck_local.py --quick
    python benchmarks/bench_bottleneck_local.py --survey     # 800 planted n0-n1-1-2 parameters, seeds 1-4

The survey (:func:`survey`, session 33; the earlier sessions' survey script was not kept) plants dead, unused,
zero, constant and twin neurons in random n0-n1-1-2 parameters ($n_0 \le 4$, $n_1 \le 4$) and counts the
parameters whose bounds do not meet. Measured (session 33, load about 6.5 on the shared 2-core machine): 152
undecided of 800 (79 s) before :mod:`semialg.families.bottleneck.local_constant`, 61 after (89-93 s), no
decided value changed and no new bound outside the old ones. Session 35 (dominated neurons on the boundary of
their family, :func:`~semialg.families.bottleneck.recession.dominated_family_dimension`): 54, 7 more decided,
again none changed; with :mod:`semialg.families.bottleneck.local_line_tilts` 50; with unused neurons among the
dominating ones 49; with dependent dominating rows (an exact LP for the coefficients) 48. Session 36 (an unused
neuron under a function of one direction, :func:`~semialg.families.bottleneck.covers.unused_line_cases`): 47, 36 s;
with constant neurons pinned beside holders, acting alone on a cell, held down by several holders
(:func:`~semialg.families.bottleneck.kink_equations.unseen_kink_equations`) and folding together
(:func:`~semialg.families.bottleneck.local_folds.folded_lower_bound`): 40, 35 s, no decided value changed; with
zero neurons of both signs kept apart (:mod:`~semialg.families.bottleneck.local_zero_pairs`): 39. Session 52
(dispensable shades and covered neurons, :mod:`~semialg.families.bottleneck.local_shadows`): 35, 22.7 s; against
session 51's main, cases 2:13, 2:55, 2:79 and 3:167 decided and 2:76 raised (8 to 9), no decided value changed, no
bound looser. Session 53 (constant neurons leaning on an active neuron,
:func:`~semialg.families.bottleneck.local_shadows.leaning_lower_bound`): 33; 2:132 and 3:92 decided, 3:132 raised
(10 to 11), no decided value changed, no bound looser; with dispensable shades moving beside the leaning neuron 32
(2:76 decided).

Measured (session 23, shared 2-core machine; seed 5; seconds):

    architecture      D  first-order  gap      ours  gap  first s  ours s  floor s  ours/first
    4-6-1-1          39     (12, 16)    4  (12, 12)    0     0.49    0.23     0.12        0.5x
    6-5-1-2          45     (13, 19)    6  (13, 13)    0     0.20    0.20     0.13        1.0x
    8-6-1-1          63     (16, 24)    8  (16, 16)    0     0.23    0.52     0.28        2.3x
    10-7-1-1         87     (19, 29)   10  (19, 19)    0     0.52    0.88     0.38        1.7x
    12-9-1-1        129     (23, 35)   12  (23, 23)    0     1.84    4.18     2.80        2.3x
    14-10-1-1       163     (26, 40)   14  (26, 26)    0     4.60   12.03     6.37        2.6x

Session 21 decided the first three; 10-7-1-1 stayed at the first-order pair until session 23: the dead neuron's
row is pinned by the lineality space of a cone of recession directions, which was found by enumerating kernels of
generator subsets (more than 20,000 here, so no equation was claimed) and is now found by Gordan's alternative
(:mod:`semialg.geometry.cone`, at most $n_0 + 1$ exact LP decisions). 12-9-1-1 then took 54 s, 47 of them in
Qhull listing cells' vertices in $\mathbb{R}^{12}$ to decide a few flips each; Qhull is now asked only when the
bound on the vertices is small per flip (:func:`~semialg.geometry.polyhedron.flip_neighbours`): 4.2 s. The time
goes to the cells of the arrangement (exact region enumeration, one LP per flip) and the first-order ranks.
"""

from __future__ import annotations

import random
import sys

from flint import fmpq

import semialg as sa
from common import main as bench_main, timed
from semialg.engine import tangent
from semialg.families.bottleneck.local import local_dimension_bounds


def planted(arch, rng: random.Random) -> sa.Network:
    """A random n0-n1-1-n3 parameter with a dead constant neuron (v = 1) and an unused one (v = 0)."""
    n0, n1, _, n3 = arch
    W = [[rng.randint(-3, 3) for _ in range(n0)] for _ in range(n1)]
    b = [rng.randint(-3, 3) for _ in range(n1)]
    v = [rng.choice([-2, -1, 1, 2]) for _ in range(n1)]
    W[0], b[0], v[0], v[1] = [0] * n0, -2, 1, 0
    return sa.Network.from_arrays([W, [v], [[1]] * n3], [b, [1], [0] * n3])


def survey_network(rng: random.Random) -> sa.Network:
    """One planted n0-n1-1-2 parameter of the survey ($n_0 \\le 4$): random rows, then one to three neurons made
    dead (hyperplane far off), unused ($v = 0$), zero ($w = 0 = b$), constant ($w = 0 \\ne b$) or a twin of another."""
    n0, n1 = rng.choice([1, 1, 2, 2, 3, 4]), rng.randint(2, 4)
    W = [[rng.randint(-3, 3) for _ in range(n0)] for _ in range(n1)]
    b = [fmpq(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(n1)]
    v = [fmpq(rng.choice([-2, -1, 1, 2, 3])) for _ in range(n1)]
    for i in rng.sample(range(n1), rng.randint(1, min(3, n1))):
        kind = rng.choice(["dead", "unused", "zero", "constant", "constant", "twin"])
        if kind == "dead":
            b[i] = fmpq(-rng.randint(4, 9))
        elif kind == "unused":
            v[i] = fmpq(0)
        elif kind == "twin":
            j = rng.randrange(n1)
            mu = fmpq(rng.randint(1, 3), rng.choice([1, 2]))
            W[i], b[i] = [mu * x for x in W[j]], mu * b[j]
        else:
            W[i] = [0] * n0
            b[i] = fmpq(0) if kind == "zero" else fmpq(rng.choice([-3, -2, -1, 1, 2, 3]), rng.choice([1, 2]))
    return sa.Network.from_arrays([W, [v], [[1], [-1]]], [b, [rng.randint(-2, 2)], [0, 1]])


def survey(seeds=(1, 2, 3, 4), count: int = 200, budget: float = 20.0) -> dict:
    """``{"seed:k": ((lower, upper), seconds)}`` over ``count`` planted parameters per seed."""
    out = {}
    for seed in seeds:
        rng = random.Random(seed)
        for k in range(count):
            net = survey_network(rng)
            out[f"{seed}:{k}"] = timed(local_dimension_bounds, net, budget)
    return out


def run(archs=((4, 6, 1, 1), (6, 5, 1, 2), (8, 6, 1, 1), (10, 7, 1, 1), (12, 9, 1, 1), (14, 10, 1, 1)),
        seed: int = 5):
    rng, rows = random.Random(seed), []
    for arch in archs:
        net = planted(arch, rng)
        first, first_s = timed(tangent.local_dimension_bounds, net)
        ours, ours_s = timed(local_dimension_bounds, net)
        _, floor_s = timed(sa.functional_dimension, net)
        assert first[0] <= ours[0] <= ours[1] <= first[1]
        row = {"arch": "-".join(map(str, arch)), "D": net.architecture.num_parameters, "first": first,
               "ours": ours, "first_s": first_s, "ours_s": ours_s, "floor_s": floor_s}
        print(table([row]).splitlines()[-1], flush=True)
        rows.append(row)
    return rows


QUICK = dict(archs=((3, 3, 1, 1), (4, 3, 1, 1)))


def table(rows) -> str:
    out = [f"{'architecture':14s} {'D':>4s} {'first-order':>12s} {'gap':>4s} {'ours':>9s} {'gap':>4s} "
           f"{'first s':>8s} {'ours s':>7s} {'floor s':>8s} {'ours/first':>11s}"]
    for r in rows:
        (a, b), (c, d) = r["first"], r["ours"]
        out.append(f"{r['arch']:14s} {r['D']:4d} {str((a, b)):>12s} {b - a:4d} {str((c, d)):>9s} {d - c:4d} "
                   f"{r['first_s']:8.2f} {r['ours_s']:7.2f} {r['floor_s']:8.2f} "
                   f"{r['ours_s'] / r['first_s']:10.1f}x")
    return "\n".join(out)


def main():
    if "--survey" in sys.argv:
        found = survey()
        undecided = sorted(k for k, ((lower, upper), _) in found.items() if lower < upper)
        print(f"{len(undecided)} undecided of {len(found)} in {sum(s for _, s in found.values()):.1f} s:",
              " ".join(undecided))
        return
    bench_main(__doc__, run, table, QUICK, "bottleneck_local")


if __name__ == "__main__":
    main()
