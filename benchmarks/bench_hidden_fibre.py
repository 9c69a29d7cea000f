"""Benchmark: explicit case-(a) fibres with hidden first-layer neurons (U-, U+) for n0 = 2, 3, 4.

For the first generic parameters with hidden neurons among ``Network.random(arch, seed, height=3)`` (regime PN,
classes V/U-/U+, genericity and the type checks hold): the time to build the fibre (every label class decided
by exact LPs, sufficient LPs or a seeded search), the number of listed components and of undecided label
classes, the dimension (checked against D minus the exact functional dimension, outside the timing), and the
time to build one component carrying the off-P formula (negative and positive hidden slots), if any.

    python benchmarks/bench_hidden_fibre.py            # (3,3,1,1), (3,4,1,1), (4,3,1,1), (2,4,1,1)
    python benchmarks/bench_hidden_fibre.py --quick    # smoke sizes
"""

from __future__ import annotations

import itertools

import semialg as sa
from common import main as bench_main, timed
from semialg.engine import regions as pl
from semialg.families import bottleneck as bn


def generic_seeds(arch, count: int, scan: int = 400) -> list[int]:
    out = []
    for seed in range(scan):
        net = sa.Network.random(arch, seed=seed, height=3)
        t = bn.combinatorial_type(net)
        if t.regime != "PN" or set(t.classes) == {"V"} or not set(t.classes) <= {"V", "U-", "U+"}:
            continue
        if sa.genericity(net) and all(c.holds for c in bn.type_checks(net)):
            out.append(seed)
            if len(out) == count:
                break
    return out


def run(archs=((3, 3, 1, 1), (3, 4, 1, 1), (4, 3, 1, 1), (2, 4, 1, 1)), per_arch=4):
    rows = []
    for arch in archs:
        for seed in generic_seeds(arch, per_arch):
            net = sa.Network.random(arch, seed=seed, height=3)
            F, build_s = timed(sa.fibre, net)
            parts = F._sampler.__self__
            assert F.dimension == net.architecture.num_parameters - pl.functional_dimension(net).value
            formula = next((i for i in itertools.islice(F.index, 0, 400)
                            if parts._rows([(j, c, s) for j, (c, s) in
                                            enumerate(sorted(l for l in i if l[0] != "V"))])[1] == "formula"), None)
            row = {"arch": "-".join(map(str, arch)), "seed": seed, "classes": " ".join(bn.combinatorial_type(net).classes),
                   "build_s": build_s, "components": F.num_components, "undecided_classes": len(parts.undecided),
                   "dimension": F.dimension, "formula_component_s": None, "formula_atoms": None}
            if formula is not None:
                C, row["formula_component_s"] = timed(F.component, formula)
                row["formula_atoms"] = C.condition.atoms()
            rows.append(row)
    return rows


QUICK = dict(archs=((3, 3, 1, 1),), per_arch=1)


def table(rows) -> str:
    out = [f"{'arch':9s} {'seed':>4s} {'classes':18s} {'build s':>8s} {'components':>10s} {'undecided':>9s} "
           f"{'dim':>4s} {'formula comp. s':>15s} {'atoms':>6s}"]
    for r in rows:
        fs = f"{r['formula_component_s']:.2f}" if r["formula_component_s"] is not None else "-"
        out.append(f"{r['arch']:9s} {r['seed']:4d} {r['classes']:18s} {r['build_s']:8.2f} {r['components']:10d} "
                   f"{r['undecided_classes']:9d} {r['dimension']:4d} {fs:>15s} {r['formula_atoms'] or '-':>6}")
    return "\n".join(out)


def main():
    bench_main(__doc__, run, table, QUICK, "hidden_fibre")


if __name__ == "__main__":
    main()
