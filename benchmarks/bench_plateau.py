"""Benchmark: regime T of case (a) for n0 = 3 — how random plateaus are decided (hyperplanes inside {g = 0}).

Random small-integer (3, n1, 1, 1) parameters (rows in [-1, 1]^3, biases mostly 0, else +-1, second-layer weights
mostly positive, or mixed; e shifted so that min h = 0 or 1) of regime T whose {g = 0} (g = h - min h, or sup h -
h) has interior. Each plateau is classified (``*``: refused by the earlier sufficient test: a spare or hidden
neuron) by :mod:`semialg.families.bottleneck.plateau`: kink planes all parallel (slot calculus), no codimension-2
flat shared by three kink planes (no hyperplane fits: the old sufficient test), or the exact candidate search (a
hyperplane found or not). Then ``sa.fibre`` is built (timed): listed or refused.

    python benchmarks/bench_plateau.py             # 200 plateau parameters
    python benchmarks/bench_plateau.py --quick     # 20

Measured (shared 2-core machine, loaded; ``*``: refused by the earlier sufficient test, listed now):

    weights   plateaus  no flat  parallel  exact search (found)  listed  refused  build median / max  search max
    positive       200      170         6       24 (0; 2*)          200        0   0.10 s / 0.33 s       0.4 ms
    mixed          200      175         9       16 (0; 1*)          200        0   0.06 s / 0.29 s       2.8 ms

Planted hyperplanes (tests/test_bottleneck_plateau_hyperplanes.py): found by the search in under 1 ms, refused by
``sa.fibre`` in 0.2-0.8 s.
"""

from __future__ import annotations

import random
import time
from collections import Counter

import semialg as sa
from common import main as bench_main, timed
from semialg import Network
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.nonnegative_fibre import NonnegativeFibre
from semialg.families.bottleneck.plateau import concurrent_flats, hyperplane_in_zero_set, lies_in_zero_set
from semialg.families.shallow import canonical_form


#: second-layer weights: mostly positive (plateaus are dead cells) or mixed (plateaus between opposite kinks)
WEIGHTS = {"positive": (1, 1, 2, 3, -1), "mixed": (1, -1, 2, -2)}


def plateau_parameter(rng: random.Random, n0: int = 3, weights=WEIGHTS["positive"]) -> Network | None:
    """A random regime-T parameter with min h = 0 or 1, or ``None`` (not regime T, h constant)."""
    n1 = rng.randint(3, 5)
    W1 = [[rng.randint(-1, 1) for _ in range(n0)] for _ in range(n1)]
    b1 = [rng.choice((0, 0, 0, 1, -1)) for _ in range(n1)]
    v = [rng.choice(weights) for _ in range(n1)]
    net = Network.from_arrays([W1, [v], [[1]]], [b1, [20], [0]])
    if bn.combinatorial_type(net).regime != "T":
        return None
    try:
        low = NonnegativeFibre(net).low
    except sa.ArchitectureError:
        return None
    return net.replace_layer(2, bias=[20 - low + rng.choice((0, 0, 1))])


def classify(net: Network) -> tuple[list[str], float]:
    """One word per sign of mu whose plateau has interior (parallel, no-flat, found, none) and the seconds spent in
    the exact candidate search."""
    parts = NonnegativeFibre.__new__(NonnegativeFibre)      # only the extreme values and the gap networks
    from semialg.families.bottleneck.arrangement import NetworkArrangement, extreme_values
    from semialg.families.bottleneck.views import OuterView
    parts.view = OuterView.of(net)
    parts.arr = NetworkArrangement((parts.view.inner,))
    parts.low, parts.high = extreme_values(parts.view, parts.arr)
    out, search_s = [], 0.0
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
            row, sec = timed(hyperplane_in_zero_set, g.inner, keys)
            search_s += sec
            # the earlier sufficient test listed these only with every neuron alone on a visible kink plane
            before = len(keys) == net.widths[1] and not any(lies_in_zero_set(g.inner, key) for key in keys)
            out.append(("found" if row is not None else "none") + ("" if before else "*"))
    return out, search_s


def run(count=200, scan=20000, seed=0, modes=("positive", "mixed")):
    rows = []
    for k, mode in enumerate(modes):
        rows += _run(count, scan, seed + k, mode)
    return rows


def _run(count, scan, seed, mode):
    rng = random.Random(seed)
    rows = []
    for _ in range(scan):
        net = plateau_parameter(rng, weights=WEIGHTS[mode])
        if net is None:
            continue
        kinds, search_s = classify(net)
        if not kinds:
            continue
        start = time.perf_counter()
        try:
            F = sa.fibre(net)
            outcome = f"listed ({F.num_components} components)"
        except sa.ArchitectureError as err:
            outcome = "refused" if "lies in that plateau" in str(err) else f"error: {err}"
        build_s = time.perf_counter() - start
        rows.append({"mode": mode, "net": str(net.parameters()), "kinds": kinds, "outcome": outcome,
                     "build_s": build_s, "search_s": search_s})
        if len(rows) == count:
            break
    return rows


def table(rows) -> str:
    return "\n\n".join(f"second-layer weights {mode}:\n" + _table([r for r in rows if r["mode"] == mode])
                       for mode in dict.fromkeys(r["mode"] for r in rows))


def _table(rows) -> str:
    kinds = Counter(k for r in rows for k in r["kinds"])
    exact = [r for r in rows if any(k.startswith(("found", "none")) for k in r["kinds"])]
    listed = [r for r in rows if r["outcome"].startswith("listed")]
    refused = [r for r in rows if r["outcome"] == "refused"]
    times = sorted(r["build_s"] for r in listed)
    slow = sorted(r["build_s"] for r in refused)
    out = [f"{len(rows)} random n0 = 3 regime-T parameters with a plateau; plateaus by kind: {dict(kinds)}",
           f"needed the exact candidate search: {len(exact)} "
           f"(a hyperplane found in {sum(any(k.startswith('found') for k in r['kinds']) for r in exact)}; "
           f"refused before, * = a spare or hidden neuron: {sum(any('*' in k for k in r['kinds']) for r in exact)})",
           f"listed: {len(listed)}, refused: {len(refused)}, other: {len(rows) - len(listed) - len(refused)}",
           f"of the exact-search ones: listed {sum(r in listed for r in exact)}, "
           f"refused {sum(r in refused for r in exact)}"]
    if times:
        out.append(f"build time of listed fibres: median {times[len(times) // 2]:.3f} s, max {times[-1]:.3f} s")
    if slow:
        out.append(f"time to refuse: median {slow[len(slow) // 2]:.3f} s, max {slow[-1]:.3f} s")
    searches = sorted(r["search_s"] for r in exact)
    if searches:
        out.append(f"exact search time: median {searches[len(searches) // 2]:.4f} s, max {searches[-1]:.4f} s")
    return "\n".join(out)


QUICK = dict(count=20)


def main():
    bench_main(__doc__, run, table, QUICK, "plateau")


if __name__ == "__main__":
    main()
