"""Benchmark: short case-(b) move certificates (issue 17 items 3 and 6) against the previous normal-form chains.

Pairs: a random case-(b) parameter of width n2 (A neurons, distinct K+/K- kinks, dead neurons) and the same
parameter after k independent function-preserving moves on distinct neurons — a kink flip absorbed by an A
neuron, an A-block bias or slope trade, a dead neuron moved, a kink split onto a dead neuron — and a random group
element. Per (n2, k): the number of moves and the build / verify times of the witness (ours) and of the previous
method (both sides to their full normal forms, then pruning; up to n2 = 2048), their ratios, and the profile
decision with its certificate's verification (what a proven equivalence carried beyond n2 = 1024 before). Each
table is printed as soon as it is complete.

Measured (shared 2 cores; moves ours / before; build s ours / before; verify s ours / before / profile certificate):
    n2 = 16:   k = 1: 3 / 13;  k = 5: 21 / 46     0.001 / 0.01         0.001 / 0.002 / 0.001
    n2 = 256:  k = 1: 3 / 14;  k = 5: 17 / 258    0.01 / 0.14-0.25     0.002 / 0.03 / 0.16
    n2 = 1024: k = 1: 2 / 14;  k = 5: 17 / 1108   0.02-0.08 / 2.1-3.0  0.02 / 0.45 / 3.6   (k = 5)
    n2 = 2048: k = 1: 3 / 14;  k = 5: 21 / 2149   0.12-0.19 / 11-14    0.06 / 4.0 / 12.6   (k = 5)
    n2 = 4096: k = 1: 3;       k = 5: 20          0.23-0.40            0.14 / - / 1.2 (profiles and 64 points)
Before, beyond n2 = 1024 a proven equivalence carried only the profile certificate.

    python benchmarks/bench_bottleneck_minimal_witness.py            # n2 = 16, 256, 1024, 2048, 4096
    python benchmarks/bench_bottleneck_minimal_witness.py --quick    # smoke sizes
"""

from __future__ import annotations

import random

from flint import fmpq

import semialg as sa
from common import main as bench_main, timed
from semialg.families.bottleneck import witnesses as W
from semialg.families.bottleneck.ridge import equivalent_ridge


def _q(rng: random.Random, lo: int = 1, hi: int = 6) -> fmpq:
    return fmpq(rng.randint(lo, hi), rng.randint(1, 4))


MOVES = ("kink flip", "bias trade", "slope trade", "dead moved", "kink split")


def moved_pair(n2: int, k: int, seed: int):
    """``(net, other, touched)``: ``other`` is ``net`` after ``k`` independent moves and a group element;
    ``touched`` is the number of second-layer neurons the moves changed."""
    rng = random.Random(seed)
    n_a, n_z = 2 + k, 1 + k
    classes = ["A"] * n_a + [rng.choice(("K+", "K-")) for _ in range(n2 - n_a - n_z)] + ["Z"] * n_z
    sign = {"A": (1, 1), "K+": (1, -1), "K-": (-1, 1), "Z": (-1, -1)}
    v = [sign[c][0] * _q(rng) for c in classes]
    taus = rng.sample(range(1, 20 * n2), n2)
    e = [-x * fmpq(t, 7) if c in ("K+", "K-") else sign[c][1] * _q(rng) for c, x, t in zip(classes, v, taus)]
    c = [_q(rng) * rng.choice((-1, 1)) for _ in classes]
    w, b, d = [_q(rng), -_q(rng)], _q(rng), _q(rng)
    v2, e2, c2, d2 = list(v), list(e), list(c), d
    kinks = [j for j, x in enumerate(classes) if x in ("K+", "K-")]
    rng.shuffle(kinks)
    a_free, z_free = list(range(n_a)), list(range(n2 - n_z, n2))
    touched = set()
    for m in range(k):
        move = MOVES[(seed + m) % len(MOVES)]
        if move == "kink flip":
            j, i = kinks.pop(), a_free[0]              # every flip absorbed by the first A neuron
            c2[i] += c2[j] * v2[j] / v2[i]
            d2 += c2[j] * e2[j] - c2[j] * v2[j] / v2[i] * e2[i]
            v2[j], e2[j] = -v2[j], -e2[j]
            touched |= {i, j}
        elif move == "bias trade":
            i = a_free.pop()
            delta = _q(rng)
            e2[i] += delta
            d2 -= c2[i] * delta
            touched.add(i)
        elif move == "slope trade":
            i, j = a_free.pop(), a_free.pop()
            delta = _q(rng)
            c2[i] += delta / v2[i]
            c2[j] -= delta / v2[j]
            d2 += -delta * e2[i] / v2[i] + delta * e2[j] / v2[j]
            touched |= {i, j}
        elif move == "dead moved":
            j = z_free.pop()
            v2[j], e2[j], c2[j] = -_q(rng), -_q(rng), _q(rng, -4, 4)
            touched.add(j)
        else:                                            # a kink's jump split with a dead neuron at the same point
            j, z = kinks.pop(), z_free.pop()
            alpha = fmpq(rng.randint(1, 3), 4)
            s = 1 if v2[j] > 0 else -1
            v2[z] = s * _q(rng)
            e2[z] = v2[z] * e2[j] / v2[j]
            c2[z] = alpha * c2[j] * v2[j] / v2[z]
            c2[j] *= 1 - alpha
            touched |= {j, z}
    net = lambda v, e, c, d: sa.Network.from_arrays([[w], [[x] for x in v], [c]], [[b], e, [d]])  # noqa: E731
    other = net(v2, e2, c2, d2)
    return net(v, e, c, d), sa.GroupElement.random(other.architecture, seed=seed).act(other), len(touched)


def _measure(build, net, other):
    cert, tb = timed(build, net, other)
    if cert is None:
        return None, tb, 0.0
    ok, tv = timed(cert.verify, net, other)
    assert ok
    return len(cert.moves1) + len(cert.moves2), tb, tv


def run(widths=(16, 256, 1024, 2048, 4096), ks=(1, 2, 5), old_limit=2048, print_tables=True):
    rows = []
    for n2 in widths:
        table_rows = []
        for k in ks:
            net, other, touched = moved_pair(n2, k, seed=1000 * n2 + k)
            row = {"n2": n2, "k": k, "touched": touched}
            row["moves"], row["build_s"], row["verify_s"] = _measure(W.witness, net, other)
            r, row["profile_s"] = timed(equivalent_ridge, net, other)
            row["profile_verify_s"] = timed(r.verify, net, other)[1]
            if n2 <= old_limit:
                row["old_moves"], row["old_build_s"], row["old_verify_s"] = _measure(W.normal_form_witness, net, other)
            table_rows.append(row)
        rows += table_rows
        if print_tables:
            print(table(table_rows), flush=True)
    return rows


QUICK = dict(widths=(16, 64), ks=(1, 2))


def _ratio(a, b) -> str:
    return f"{a / b:8.1f}" if a and b else f"{'-':>8s}"


def table(rows) -> str:
    out = [f"{'n2':>5s} {'k':>2s} {'touched':>7s} {'moves':>6s} {'old':>6s} {'build s':>8s} {'old s':>8s} "
           f"{'ratio':>8s} {'verify s':>9s} {'old s':>8s} {'ratio':>8s} {'profile s':>9s} {'+verify':>8s}"]
    for r in rows:
        out.append(f"{r['n2']:5d} {r['k']:2d} {r['touched']:7d} {r['moves']:6d} {r.get('old_moves', 0):6d} "
                   f"{r['build_s']:8.3f} {r.get('old_build_s', 0):8.3f} {_ratio(r.get('old_build_s'), r['build_s'])} "
                   f"{r['verify_s']:9.3f} {r.get('old_verify_s', 0):8.3f} "
                   f"{_ratio(r.get('old_verify_s'), r['verify_s'])} {r['profile_s']:9.3f} {r['profile_verify_s']:8.3f}")
    return "\n".join(out)


def main():
    bench_main(__doc__, lambda **kw: run(**kw, print_tables=True), lambda rows: "", QUICK,
               "bottleneck_minimal_witness")


if __name__ == "__main__":
    main()
