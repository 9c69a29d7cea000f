"""Benchmark: representatives of random non-generic case-(a) parameters (issue 17, item 4).

For each architecture and each kind of degeneracy — a dead neuron ($v = 0$), a constant neuron ($w = 0$), a
neuron split in two on one line, a cancelling pair, a zero first-layer bias, $e = 0$, a 0-factor, a dependent
row (a sum of two rows), a hidden hyperplane tangent to $\\overline P$, an arrangement vertex on $\\{h = 0\\}$ —
the degeneracy is planted into generic parameters ``Network.random(arch, seed, height=3)`` of regime PN (the
first ``seeds`` of them, and the first with a hidden neuron: architecture tagged ``h``). Those
that are still generic, or that ``fibre`` sends elsewhere (regime T, all neurons visible, parallel rows,
constant $f$), are counted apart; for the others ``generic_representative`` is timed and its answer recorded:
a generic $\\tilde\\theta$, a ridge representative (parallel rows), or the refusal with its reason. Every
representative is re-checked (``verify``: exact equivalence, exact genericity).

Also every random parameter ``Network.random(arch, seed, height=3)``, seeds 0..299, of regime PN with a mixed
neuron (U±; $P$ disconnected) for (2,3), (2,4), (2,5), (3,4): kind "U+- (random)".

    python benchmarks/bench_representative.py            # (2,3), (2,4), (3,3), (3,4) x 10 kinds x 8 seeds
    python benchmarks/bench_representative.py --quick    # smoke sizes
"""

from __future__ import annotations

import collections
import itertools
import random
import time

from flint import fmpq

import semialg as sa
from common import main as bench_main, timed
from semialg.core.exact import dot, rank, solve
from semialg.errors import ArchitectureError
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.hidden_region import HiddenRegion
from semialg.families.bottleneck.outer_fibre import all_visible
from semialg.families.bottleneck.representative import _is_generic, generic_representative
from semialg.families.bottleneck.views import OuterView


def _parts(net):
    (W1, W2, W3), (b1, b2, b3) = net.weights, net.biases
    return [list(w) for w in W1], list(b1), list(W2[0]), b2[0], [r[0] for r in W3], list(b3)


def _make(rows, b1, v, e, c, d):
    return sa.Network.from_arrays([rows, [v], [[x] for x in c]], [b1, [e], d])


def _q(rng, k=3):
    return fmpq(rng.randint(-k, k), rng.randint(1, 2))


def _row(rng, n0):
    while True:
        w = [fmpq(rng.randint(-3, 3)) for _ in range(n0)]
        if any(w):
            return w


def dead(net, rng):
    rows, b1, v, e, c, d = _parts(net)
    return _make(rows + [_row(rng, len(rows[0]))], b1 + [_q(rng)], v + [0], e, c, d)


def constant(net, rng):
    rows, b1, v, e, c, d = _parts(net)
    b, u = fmpq(rng.randint(1, 3)), fmpq(rng.choice((-2, -1, 1, 2)))
    return _make(rows + [[0] * len(rows[0])], b1 + [b], v + [u], e - u * b, c, d)


def split(net, rng):
    rows, b1, v, e, c, d = _parts(net)
    lam, s = fmpq(rng.randint(2, 3)), fmpq(1, rng.randint(2, 4))
    return _make(rows + [[x * lam for x in rows[0]]], b1 + [b1[0] * lam],
                 [v[0] * s] + v[1:] + [v[0] * (1 - s) / lam], e, c, d)


def cancelling(net, rng):
    rows, b1, v, e, c, d = _parts(net)
    rows, b1, v = rows[:-1], b1[:-1], v[:-1]
    w, b, u = _row(rng, len(rows[0])), _q(rng), fmpq(rng.choice((-2, 1, 3)))
    return _make(rows + [w, w], b1 + [b, b], v + [u, -u], e, c, d)


def zero_bias(net, rng):
    rows, b1, v, e, c, d = _parts(net)
    b1[rng.randrange(len(b1))] = 0
    return _make(rows, b1, v, e, c, d)


def zero_e(net, rng):
    rows, b1, v, e, c, d = _parts(net)
    return _make(rows, b1, v, 0, c, d)


def zero_factor(net, rng):
    rows, b1, v, e, c, d = _parts(net)
    u = fmpq(rng.choice((-1, 1)))
    w = [-(v[0] * a + v[1] * b) / u for a, b in zip(rows[0], rows[1], strict=True)]
    return _make(rows + [w], b1 + [_q(rng)], v + [u], e, c, d) if any(w) else None


def dependent(net, rng):
    rows, b1, v, e, c, d = _parts(net)
    w = [a + b for a, b in zip(rows[0], rows[1], strict=True)]
    return _make(rows + [w], b1 + [_q(rng)], v + [fmpq(rng.choice((-2, -1, 1, 2)))], e, c, d) if any(w) else None


def tangent(net, rng):
    rows, b1, v, e, c, d = _parts(net)
    try:
        R = HiddenRegion(net)
    except ArchitectureError:
        return None
    for _ in range(20):
        w = _row(rng, len(rows[0]))
        if all(dot(w, r) <= 0 for r in R.p_rays) and R.p_points:
            return _make(rows + [w], b1 + [-max(dot(w, p) for p in R.p_points)], v + [-1], e, c, d)
    return None


def vertex_on_zero(net, rng):
    rows, b1, v, e, c, d = _parts(net)
    n0 = len(rows[0])
    for _ in range(20):
        idx = rng.sample(range(len(rows)), n0)
        A = [rows[i] for i in idx]
        if rank(A) < n0:
            continue
        p = solve(A, [-b1[i] for i in idx])
        return _make(rows, b1, v, e - OuterView.of(net).inner(p)[0], c, d)
    return None


#: kind -> (maker, how many neurons it adds)
KINDS = {"dead": (dead, 1), "constant": (constant, 1), "split": (split, 1), "cancelling": (cancelling, 1),
         "zero bias": (zero_bias, 0), "zero e": (zero_e, 0), "0-factor": (zero_factor, 1),
         "dependent row": (dependent, 1), "tangent": (tangent, 1), "vertex on h=0": (vertex_on_zero, 0)}


def _bases(arch, count, hidden, scan=400):
    out = []
    for seed in range(scan):
        net = sa.Network.random(arch, seed=seed, height=3)
        t = bn.combinatorial_type(net)
        if t.regime == "PN" and (not hidden or {"U-", "U+"} & set(t.classes)) and _is_generic(net):
            out.append(net)
            if len(out) == count:
                break
    return out


def _reason(msg: str) -> str:
    if "not proven impossible" in msg:
        return "not proven: no face of the boundary of P certifies sigma(h') = mu sigma(h) (" + \
            _reason(msg.split("the argument (")[1].split(") assumes")[0] + " no member of its fibre is generic") + ")"
    if "connected components" in msg:
        return "P disconnected, h minus its seen kinks differs between components: U+- forced (exact)"
    for key, name in (("'full first-layer rank'", "no member has full first-layer rank (exact)"),
                      ("boundary of P", "a vertex of seen kink lines on the boundary of P (exact)"),
                      ("contain a 0-factor", "every orientation of the seen kinks forces a 0-factor (exact)"),
                      ("meets every half-", "no neuron can be hidden: C* = {0} (exact)"),
                      ("constant", "f constant"), ("not pointed", "polyhedra not pointed")):
        if key in msg:
            return name
    if "none was generic" in msg:
        tail = msg.split("none was generic")[1]
        return "budget spent, every candidate non-generic" + (f" (first: {tail.split(';')[1].split(':')[1].strip()[:60]})"
                                                              if tail.count(";") else "")
    return msg[:90]


def _attempt(net, row):
    start = time.perf_counter()
    try:
        R, row["seconds"] = timed(generic_representative, net)
        assert R.verify()
        row["status"] = "representative" if R.generic else "ridge representative"
        row["tried"] = R.tried
    except ArchitectureError as err:
        row["seconds"] = time.perf_counter() - start
        row["status"] = ("not proven" if "not proven" in str(err) else "none found" if "was found" in str(err)
                         else "refused")
        row["reason"] = _reason(str(err))


def run(archs=((2, 3, 1, 1), (2, 4, 1, 1), (3, 3, 1, 1), (3, 4, 1, 1)), seeds=8, hidden=(False, True),
        mixed=((2, 3, 1, 1), (2, 4, 1, 1), (2, 5, 1, 1), (3, 4, 1, 1)), mixed_seeds=300):
    rows = []
    for arch in mixed:                    # random parameters with a mixed neuron (U+-): P is disconnected
        for seed in range(mixed_seeds):
            net = sa.Network.random(arch, seed=seed, height=3)
            t = bn.combinatorial_type(net)
            if t.regime == "PN" and "U+-" in t.classes:
                row = {"arch": "-".join(map(str, arch)), "kind": "U+- (random)", "seed": seed}
                _attempt(net, row)
                rows.append(row)
    for arch, with_hidden in itertools.product(archs, hidden):
        n0, n1 = arch[:2]
        bases = {k: _bases((n0, n1 - k, 1, 1), seeds, with_hidden) for k in (0, 1)}
        for kind, (maker, added) in KINDS.items():
            for s, base in enumerate(bases[added]):
                net = maker(base, random.Random(1000 * s + len(kind)))
                row = {"arch": "-".join(map(str, arch)) + ("h" if with_hidden else ""), "kind": kind, "seed": s}
                if net is None:
                    row["status"] = "not planted"
                elif _is_generic(net):
                    row["status"] = "still generic"
                else:
                    t = bn.combinatorial_type(net)
                    if t.regime != "PN" or rank(net.weights[0]) < 2 or all_visible(net, t):
                        row["status"] = f"other branch ({'regime ' + t.regime if t.regime != 'PN' else 'rows parallel' if rank(net.weights[0]) < 2 else 'all visible'})"
                    else:
                        _attempt(net, row)
                rows.append(row)
    return rows


QUICK = dict(archs=((2, 3, 1, 1),), seeds=2, hidden=(True,), mixed=((2, 4, 1, 1),), mixed_seeds=40)


def table(rows) -> str:
    out = []
    count = collections.Counter((r["arch"], r["status"]) for r in rows)
    out.append("status by architecture:")
    for (arch, status), k in sorted(count.items()):
        out.append(f"  {arch:9s} {status:40s} {k:4d}")
    by_kind = collections.Counter((r["kind"], r["status"]) for r in rows)
    out.append("status by kind:")
    for (kind, status), k in sorted(by_kind.items()):
        out.append(f"  {kind:14s} {status:40s} {k:4d}")
    times = sorted(r["seconds"] for r in rows if "seconds" in r)     # every call that answered
    if times:
        out.append(f"time per call: n = {len(times)}, median {times[len(times) // 2]:.2f} s, "
                   f"max {times[-1]:.2f} s, mean {sum(times) / len(times):.2f} s")
    tried = [r["tried"] for r in rows if "tried" in r]
    if tried:
        out.append(f"candidates tried until success: max {max(tried)}, mean {sum(tried) / len(tried):.1f}")
    reasons = collections.Counter(r["reason"] for r in rows if "reason" in r)
    out.append("refusals:")
    for reason, k in reasons.most_common():
        out.append(f"  {k:4d}  {reason}")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "representative")


if __name__ == "__main__":
    main()
