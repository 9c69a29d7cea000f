"""Benchmark: regime T of case (a) for n0 = 3 — how random plateaus are decided (hyperplanes inside {g = 0}).

Random small-integer (3, n1, 1, 1) parameters (rows in [-1, 1]^3, biases mostly 0, else +-1, mostly positive
second-layer weights; e shifted so that min h = 0 or 1) of regime T whose {g = 0} (g = h - min h, or sup h - h)
has interior. Each plateau is classified by :mod:`semialg.families.bottleneck.plateau`: kink planes all parallel
(slot calculus), no codimension-2 flat shared by three kink planes (no hyperplane fits: the old sufficient test),
or the exact candidate search (a hyperplane found or not). Then ``sa.fibre`` is built (timed): listed or refused.

    python benchmarks/bench_plateau.py             # 200 plateau parameters
    python benchmarks/bench_plateau.py --quick     # 20

Measured (shared 2-core machine, loaded): see the table printed; numbers quoted in docs/theory.md.
"""

from __future__ import annotations

import random
from collections import Counter

import semialg as sa
from common import main as bench_main, timed
from semialg import Network
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.nonnegative_fibre import NonnegativeFibre
from semialg.families.bottleneck.plateau import concurrent_flats, hyperplane_in_zero_set
from semialg.families.shallow import canonical_form


def plateau_parameter(rng: random.Random, n0: int = 3) -> Network | None:
    """A random regime-T parameter with min h = 0 or 1, or ``None`` (not regime T, h constant)."""
    n1 = rng.randint(3, 5)
    W1 = [[rng.randint(-1, 1) for _ in range(n0)] for _ in range(n1)]
    b1 = [rng.choice((0, 0, 0, 1, -1)) for _ in range(n1)]
    v = [rng.choice((1, 1, 2, 3, -1)) for _ in range(n1)]
    net = Network.from_arrays([W1, [v], [[1]]], [b1, [20], [0]])
    if bn.combinatorial_type(net).regime != "T":
        return None
    try:
        low = NonnegativeFibre(net).low
    except sa.ArchitectureError:
        return None
    return net.replace_layer(2, bias=[20 - low + rng.choice((0, 0, 1))])


def classify(net: Network) -> list[str]:
    """One word per sign of mu whose plateau has interior: parallel, no-flat, found, none."""
    parts = NonnegativeFibre.__new__(NonnegativeFibre)      # only the extreme values and the gap networks
    from semialg.families.bottleneck.arrangement import NetworkArrangement, extreme_values
    from semialg.families.bottleneck.views import OuterView
    parts.view = OuterView.of(net)
    parts.arr = NetworkArrangement((parts.view.inner,))
    parts.low, parts.high = extreme_values(parts.view, parts.arr)
    out = []
    for s in ((1,) if parts.high is None else (1, -1)):
        g = parts._gap(s)
        arr = parts.arr
        if not any(not any(A[0]) and A[1] == 0 for A in arr.affine_maps(arr.neuron_data(g.inner), arr.cells)):
            continue
        keys = [key for key, _ in canonical_form(g.inner).kinks]
        if len({key[:-1] for key in keys}) == 1:
            out.append("parallel")
        elif not concurrent_flats(keys):
            out.append("no-flat")
        else:
            out.append("found" if hyperplane_in_zero_set(g.inner, keys) is not None else "none")
    return out


def run(count=200, scan=20000, seed=0):
    rng = random.Random(seed)
    rows = []
    for _ in range(scan):
        net = plateau_parameter(rng)
        if net is None:
            continue
        kinds = classify(net)
        if not kinds:
            continue
        try:
            F, build_s = timed(sa.fibre, net)
            outcome = f"listed ({F.num_components} components)"
        except sa.ArchitectureError as err:
            build_s, outcome = None, "refused" if "lies in that plateau" in str(err) else f"error: {err}"
        rows.append({"net": str(net.parameters()), "kinds": kinds, "outcome": outcome, "build_s": build_s})
        if len(rows) == count:
            break
    return rows


def table(rows) -> str:
    kinds = Counter(k for r in rows for k in r["kinds"])
    exact = [r for r in rows if set(r["kinds"]) & {"found", "none"}]
    listed = [r for r in rows if r["outcome"].startswith("listed")]
    refused = [r for r in rows if r["outcome"] == "refused"]
    times = sorted(r["build_s"] for r in listed)
    out = [f"{len(rows)} random n0 = 3 regime-T parameters with a plateau; plateaus by kind: {dict(kinds)}",
           f"needed the exact candidate search: {len(exact)} "
           f"(a hyperplane found in {sum('found' in r['kinds'] for r in exact)})",
           f"listed: {len(listed)}, refused: {len(refused)}, other: {len(rows) - len(listed) - len(refused)}",
           f"of the exact-search ones: listed {sum(r in listed for r in exact)}, "
           f"refused {sum(r in refused for r in exact)}"]
    if times:
        out.append(f"build time of listed fibres: median {times[len(times) // 2]:.3f} s, max {times[-1]:.3f} s")
    return "\n".join(out)


QUICK = dict(count=20)


def main():
    bench_main(__doc__, run, table, QUICK, "plateau")


if __name__ == "__main__":
    main()
