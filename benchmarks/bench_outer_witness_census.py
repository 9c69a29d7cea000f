"""Benchmark: how many equivalent case-(a) pairs of each kind carry a move certificate (issue 17 item 3), and the
witness build time per pair. Kinds: reflected pairs of regime PN (all rows parallel, c' = -c), regime-T pairs with
dead / constant neurons and an e <-> d trade, opposite pairs of visible neurons absorbed by a U+ neuron, regime-T
pairs with opposite pairs traded (random group elements on top; every pair checked by the region oracle and exact
evaluation first).
    python benchmarks/bench_outer_witness_census.py            # 20 pairs per kind, prints a table, writes JSON
    python benchmarks/bench_outer_witness_census.py --quick    # 3 pairs per kind
"""

from __future__ import annotations

import random

from flint import fmpq

from common import main as bench_main, timed
from semialg import Network
from semialg.core.symmetry import GroupElement
from semialg.engine import regions as pl
from semialg.families import bottleneck as bn


def q(rng, lo=-4, hi=4, den=3):
    return fmpq(rng.randint(lo, hi), rng.randint(1, den))


def pos(rng):
    return fmpq(rng.randint(1, 9), rng.randint(1, 3))


def net_of(neurons, e, c, d):
    return Network.from_arrays([[list(w) for w, _, _ in neurons], [[v for _, _, v in neurons]], [[x] for x in c]],
                               [[b for _, b, _ in neurons], [e], list(d)])


def neurons_of(net):
    v = bn.OuterView.of(net)
    return [(tuple(w), b, x) for w, b, x in zip(v.w, v.b, v.v)]


def same(a, b, rng):
    xs = [[fmpq(rng.randint(-80, 80), rng.randint(1, 5)) for _ in range(a.widths[0])] for _ in range(20)]
    return all(a(x) == b(x) for x in xs)


def reflected(rng):
    """All rows parallel, regime PN, c' = -c (the generator of tests/test_outer_witness_reflect.py)."""
    u = (rng.choice((1, -1)) * rng.randint(1, 3), rng.randint(-3, 3))
    ps = sorted(rng.sample(range(-6, 7), rng.randint(1, 3)))
    alphas = [pos(rng) for _ in ps]
    z = fmpq(rng.randint(2 * ps[0] - 6, 2 * ps[-1] - 1), 2)
    if z in ps:
        return None
    M = sum((a * max(p - z, 0) for a, p in zip(alphas, ps)), fmpq(0))
    slot = lambda lam, p, v, o: (tuple(o * lam * x for x in u), -o * lam * p, v)  # noqa: E731
    first = []
    for a, p in zip(alphas, ps):
        lam = pos(rng)
        first.append(slot(lam, p, -a / lam, -1))
    gam = {z: sum((a for a, p in zip(alphas, ps) if p > z), fmpq(0))}
    gam.update({p: -a for a, p in zip(alphas, ps) if z < p < ps[-1]})
    second = []
    for r in sorted(gam):
        lam = pos(rng)
        second.append(slot(lam, r, -gam[r] / lam, 1))
    first.append(slot(pos(rng), z - rng.randint(1, 4), -pos(rng), -1))
    second.append(slot(pos(rng), ps[-1] + rng.randint(0, 4), -pos(rng), 1))
    c, d = pos(rng) * rng.choice((1, -1)), q(rng)
    return net_of(first, M, [c], [d]), net_of(second, M, [-c], [d + c * M])


def regime_t_dead(rng):
    """Regime T (v > 0, e > 0) against a partner with dead / constant neurons inserted, e <-> d trade."""
    n1 = rng.randint(2, 4)
    ns = [((q(rng), q(rng)), q(rng), pos(rng)) for _ in range(n1)]
    e, c, d = pos(rng), pos(rng) * rng.choice((1, -1)), q(rng)
    a = net_of(ns, e, [c], [d])
    other, e2 = list(ns), e
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(3)
        if kind == 0:
            other.insert(rng.randrange(len(other) + 1), ((q(rng), q(rng)), q(rng), fmpq(0)))
        elif kind == 1:
            other.insert(rng.randrange(len(other) + 1), ((fmpq(0), fmpq(0)), -pos(rng), q(rng)))
        else:
            b, v = pos(rng), q(rng)
            other.insert(rng.randrange(len(other) + 1), ((fmpq(0), fmpq(0)), b, v))
            e2 -= v * b
    t = fmpq(rng.randint(0, 4), 2)
    return a, net_of(other, e2 + t, [c], [d - c * t])


def opposite_uplus(rng):
    """Regime PN with an opposite pair of visible neurons and a U+ neuron: the pair trades output weights by Y,
    the U+ neuron absorbs Y(w.x + b) on P."""
    for _ in range(50):
        net = Network.random((2, 4, 1, 1), seed=rng.randrange(10 ** 6), height=3)
        ns = neurons_of(net)
        w, b, _ = ns[0]
        ns[1] = (tuple(-2 * x for x in w), -2 * b, q(rng) or fmpq(1))
        a = net_of(ns, bn.OuterView.of(net).e, bn.OuterView.of(net).c, bn.OuterView.of(net).d)
        t = bn.combinatorial_type(a)
        if t.regime != "PN" or t.classes[:2] != ("V", "V") or "U+" not in t.classes:
            continue
        u = t.classes.index("U+")
        Y = q(rng) or fmpq(1)
        moved = list(ns)
        moved[0] = (w, b, ns[0][2] + Y)
        moved[1] = (ns[1][0], ns[1][1], ns[1][2] - Y / 2)
        wu, bu, vu = ns[u]
        moved[u] = (tuple(x - Y / vu * y for x, y in zip(wu, w)), bu - Y / vu * b, vu)
        other = net_of(moved, bn.OuterView.of(a).e, bn.OuterView.of(a).c, bn.OuterView.of(a).d)
        if pl.equivalent(a, other):
            return a, other
    return None


def regime_t_opposite(rng):
    """Regime T with opposite pairs on two parallel lines traded (Y_0 + Y_1 = 0) and an e <-> d trade."""
    rows = [((1, 0), 0), ((-1, 0), 0), ((1, 0), -1), ((-1, 0), 1), ((0, 1), 0)]
    a = net_of([(tuple(map(fmpq, w)), fmpq(b), pos(rng)) for w, b in rows], fmpq(1), [fmpq(2)], [fmpq(0)])
    y = q(rng) or fmpq(1)
    b = bn.TradeOppositePairs(((0, 1), (2, 3)), (y, -y)).apply(a)
    return a, bn.TradeBiasOutput(fmpq(rng.randint(0, 6), 2)).apply(b)


KINDS = {"PN reflected (parallel rows)": reflected, "T with dead/constant neurons": regime_t_dead,
         "PN opposite pair absorbed by U+": opposite_uplus, "T with opposite pairs": regime_t_opposite}


def run(count=20):
    rows = []
    for name, make in KINDS.items():
        rng = random.Random(1)
        built = certified = 0
        t_build = 0.0
        while built < count:
            pair = make(rng)
            if pair is None:
                continue
            a, b = pair
            b = GroupElement.random(b.architecture, seed=rng.randrange(1000), height=3).act(b)
            assert same(a, b, rng) and pl.equivalent(a, b), name
            built += 1
            cert, t = timed(bn.witness, a, b)
            t_build += t
            if cert is not None:
                assert cert.verify(a, b)
                certified += 1
        rows.append({"kind": name, "pairs": built, "certified": certified, "witness_s": t_build / built})
    return rows


def table(rows) -> str:
    return "\n".join([f"{'kind':34s} {'move certificates':>18s} {'witness s/pair':>15s}"] +
                     [f"{r['kind']:34s} {r['certified']:>11d} / {r['pairs']:<4d} {r['witness_s']:15.3f}" for r in rows])


def main():
    bench_main(__doc__, run, table, dict(count=3), "outer_witness_census")


if __name__ == "__main__":
    main()
