"""The generic shallow fibre is the G-orbit: n! components, each a copy of R_{>0}^n.

A random exact (2, 4, 1) parameter is generic (certified), so its fibre is G . theta with 4! = 24 components;
random members are equivalent to it, and random perturbations are not (with a distinguishing rational
input). Also the seed statement of the theory: a parameter can satisfy the usual genericity assumptions
(distinct breakpoints, no zero weight) and still have a fibre larger than its orbit.

    python examples/generic_fibre.py
"""

from __future__ import annotations

import math

import semialg as sa


def main() -> dict:
    net = sa.Network.random((2, 4, 1), seed=11, height=20)
    report = sa.genericity(net)
    assert report and report.verify(net)
    F = sa.fibre(net)
    assert F.num_components == math.factorial(4) and F.dimension == 4
    for seed in range(5):
        member = F.sample(seed=seed)
        assert F.contains(member) and sa.equivalent(member, net)
    perturbed = net.replace_layer(2, bias=[net.biases[1][0] + sa.to_fmpq("1/1000")])
    r = sa.equivalent(net, perturbed)
    assert not r and r.verify(net, perturbed) and not F.contains(perturbed)

    # Seed statement: distinct hyperplanes, no zero weight, yet a hidden symmetry (a 0-factor).
    three = sa.Network.from_arrays([[[1, 2], [3, -1], [-4, -1]], [[1, 1, 1]]], [[1, 2, 3], [0]])
    usual = all(x != 0 for x in three.parameters()[:6]) and sa.genericity(three).conditions[1].holds
    fibre3 = sa.fibre(three)
    assert usual and fibre3.num_components == 2 * math.factorial(3)
    return {"components": F.num_components, "seed_statement_components": fibre3.num_components}


if __name__ == "__main__":
    out = main()
    print(f"generic (2,4,1) parameter: fibre = G-orbit with {out['components']} components")
    print(f"usual assumptions hold but the fibre has {out['seed_statement_components']} components "
          "(two G-orbits: a 0-factor flip)")
