"""The functional dimension over architectures: exact values against #params - #hidden.

For shallow architectures the exact value equals the generic bound for random parameters (closed form and
decisive batch agree); for deeper ones random parameters can fall short, and the table shows by how much.

    python examples/functional_dimension_table.py
"""

from __future__ import annotations

import semialg as sa
from semialg.engine.functional_dimension import functional_dimension

ARCHITECTURES = [(1, 2, 1), (2, 3, 1), (3, 4, 2), (2, 2, 2, 1), (2, 3, 3, 1), (3, 3, 2, 1)]


def main(seeds=range(3)) -> list[dict]:
    rows = []
    for widths in ARCHITECTURES:
        arch = sa.Architecture(*widths)
        values = [functional_dimension(sa.Network.random(arch, seed=s), method="batch").value for s in seeds]
        bound = arch.num_parameters - arch.num_hidden
        assert all(v <= bound for v in values)
        if arch.is_shallow:
            assert values == [bound] * len(values)
        rows.append({"architecture": str(arch), "parameters": arch.num_parameters, "bound": bound,
                     "values": values})
    return rows


if __name__ == "__main__":
    print(f"{'architecture':14s} {'#params':>8s} {'#params-#hidden':>16s}  exact values (3 random parameters)")
    for r in main():
        print(f"{r['architecture']:14s} {r['parameters']:8d} {r['bound']:16d}  {r['values']}")
