"""Hidden symmetries: equal functions from parameters that no symmetry of G relates.

1. The clamp  s(x) - s(x-1) = s(-x) - s(1-x) + 1  (s = ReLU): an opposite pair, move M3.
2. Three lines  w = (1,0), (0,1), (-1,-1),  a = (1,1,1): the 0-factor  sum a_i w_i^T = 0  lets all three
   neurons flip at once (move M4); the fibre is the union of two G-orbits, 3! x 2 = 12 components.

Each claim is checked by an independent computation (the region-refinement oracle, exact evaluation).

    python examples/hidden_symmetries.py
"""

from __future__ import annotations

import semialg as sa
from semialg.engine import regions as pl
from semialg.core.certificate import OrbitCertificate


def main() -> dict:
    clamp = sa.Network.from_arrays([[[1], [1]], [[1, -1]]], [[0, -1], [0]])
    reflected = sa.Network.from_arrays([[[-1], [-1]], [[1, -1]]], [[0, 1], [1]])
    r = sa.equivalent(clamp, reflected)
    assert r and r.verify(clamp, reflected) and pl.equivalent(clamp, reflected)
    kinds = {h.name for h in sa.hidden_symmetries(sa.Network.from_arrays(
        [[[1], [1], [-1]], [[1, -1, 1]]], [[0, -1, 0], [0]]))}
    # a lone opposite pair's trade (M3) frees nothing by itself: it shows in the flips it absorbs and relocations
    assert {"absorbed_flips", "pair_relocation"} <= kinds and "opposite" not in kinds

    three = sa.Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    flipped = sa.Network.from_arrays([[[-1, 0], [0, -1], [1, 1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    r3 = sa.equivalent(three, flipped)
    assert r3 and pl.equivalent(three, flipped)
    assert not isinstance(r3.certificate, OrbitCertificate)      # not one G-orbit: a hidden symmetry
    F = sa.fibre(three)
    assert F.num_components == 12 and F.contains(flipped)
    for seed in range(5):
        assert sa.equivalent(F.sample(seed=seed), three)
    return {"clamp": r.explain().splitlines()[0], "three_lines": r3.explain().splitlines()[0],
            "components": F.num_components, "latex": F.to_latex()}


if __name__ == "__main__":
    out = main()
    print("clamp:", out["clamp"])
    print("three lines:", out["three_lines"])
    print(f"fibre of the three-lines parameter: {out['components']} components; one of them in LaTeX:")
    print(out["latex"][:400], "...")
