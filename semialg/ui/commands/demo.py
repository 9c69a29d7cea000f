"""``semialg demo``: a tour of semialg on built-in examples, one section per capability."""

from __future__ import annotations

from typing import Callable

from semialg.core.network import Architecture, Network
from semialg.core.symmetry import GroupElement
from semialg.dispatch import equivalent, fibre
from semialg.engine.loci import degeneracy_loci, genericity
from semialg.engine.functional_dimension import functional_dimension
from semialg.engine.regions import regions
from semialg.families import bottleneck
from semialg.ui.commands import Outcome, command
from semialg.ui.deep import deep_demo
from semialg.ui.io import network_to_json

__all__ = ["DEMO_SECTIONS"]


@command("demo", "a tour of semialg on built-in examples (no files needed)")
def _demo(args) -> Outcome:
    lines, data, objs = [], {}, []
    arch = Architecture(2, 3, 1)
    net = Network.random(arch, seed=2024)
    g = GroupElement.random(arch, seed=7)
    image = g.act(net)
    pts = [[1, 2], ["-1/3", 5], [0, 0], ["7/2", "-9/4"]]
    agree = all(net(x) == image(x) for x in pts)
    lines += [f"A random exact network of architecture {arch} ({arch.num_parameters} parameters):",
              f"  {net!r}",
              f"A random element g of G = S_3 x R_{{>0}}^3: {g!r}",
              f"g acts: {image!r}",
              f"f and f∘g agree exactly at {len(pts)} rational points: {agree}"]
    data["group_action"] = {"network": network_to_json(net), "g": g.to_json(), "agree": agree}
    objs += ["A random network and its image under a group element:", net, g, image]
    for extra in DEMO_SECTIONS:
        text, payload, latex = extra()
        lines.append(text)
        data.update(payload)
        objs += latex
    return Outcome(0, "\n".join(lines), data, objs, title="semialg demo")


def _demo_shallow() -> tuple[str, dict, list]:
    clamp = Network.from_arrays([[[1], [1]], [[1, -1]]], [[0, -1], [0]])
    clamp2 = Network.from_arrays([[[-1], [-1]], [[1, -1]]], [[0, 1], [1]])
    r = equivalent(clamp, clamp2)
    three = Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    flipped = Network.from_arrays([[[-1, 0], [0, -1], [1, 1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    r3 = equivalent(three, flipped)
    F = fibre(three)
    text = "\n".join([
        "Clamp: s(x) - s(x-1) = s(-x) - s(1-x) + 1 (s = ReLU): " + r.explain().splitlines()[0],
        "Three lines w = (1,0), (0,1), (-1,-1), a = (1,1,1): flipping all three is a 0-factor move: "
        + r3.explain().splitlines()[0],
        f"  its fibre has {F.num_components} components = 3! permutations x {len(F.flip_sets)} flip sets "
        f"{[list(S) for S in F.flip_sets]}; a sample member: {F.sample(seed=1)!r}"])
    return text, {"clamp_equivalent": bool(r), "three_lines_components": F.num_components}, \
        ["The clamp and its reflection:", r, "The three-lines fibre:", F]


def _demo_loci() -> tuple[str, dict, list]:
    three = Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    Z = degeneracy_loci(three.architecture)
    report = genericity(three)
    fd = functional_dimension(three)
    deep = Network.random((2, 3, 3, 1), seed=1)
    fd_deep = functional_dimension(deep)
    n_regions = len(regions(deep))
    text = "\n".join([
        f"Degeneracy loci of {Z.architecture}: {len(Z)} components ({', '.join(f'{len(f)} {f.name}' for f in Z.families)})",
        f"The three-lines parameter has every breakpoint distinct and no zero weight, yet: {report.explain().splitlines()[0]}",
        f"  its functional dimension is still the generic {fd.value} = #params - #hidden (0-factors do not lower it)",
        f"A random 2-3-3-1 network: {n_regions} exact linear regions, functional dimension {fd_deep.value} "
        f"(bound {fd_deep.upper_bound})"])
    return text, {"three_lines_generic": report.status, "three_lines_dim": fd.value, "deep_regions": n_regions,
                  "deep_dim": fd_deep.value}, ["Degeneracy loci of the architecture (2, 3, 1):", Z,
                                               "Genericity of the three-lines parameter:", report]


def _demo_bottleneck() -> tuple[str, dict, list]:
    hidden = Network.from_arrays([[[1, 1]], [[1], [2]], [[1, -2]]], [[0], [-1, -6], [0]])
    moved = bottleneck.translate_hidden_hyperplane(hidden, "1/2")
    too_far = bottleneck.translate_hidden_hyperplane(hidden, -2, check=False)
    r1, r2 = equivalent(hidden, moved), equivalent(hidden, too_far)
    kink = Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])
    flipped = bottleneck.flip_kink(kink, 1, into=0)
    r3 = equivalent(kink, flipped)
    F1, F2 = fibre(hidden), fibre(kink)
    text = "\n".join([
        "Bottleneck (2,1,2,1), first-layer hyperplane hidden by the second layer: translating it by 1/2 "
        "(b += 1/2, e_j -= v_j/2): " + r1.explain().splitlines()[0],
        "  translating by -2 makes it visible: " + r2.explain().splitlines()[0],
        f"  fibre: dimension {F1.dimension}, {F1.num_components} components",
        "Kink flip absorbed by the always-active neuron: " + r3.explain().splitlines()[0],
        f"  fibre: dimension {F2.dimension}, {F2.num_components} components (2 slots x 2 flips)"])
    return text, {"hidden_translation": bool(r1), "hidden_too_far": bool(r2), "kink_flip": bool(r3),
                  "hidden_fibre_dimension": F1.dimension, "kink_fibre_components": F2.num_components}, \
        ["A hidden hyperplane translated:", r1, "Its fibre:", F1, "A kink flip absorbed:", r3, "Its fibre:", F2]


#: Further demo sections, registered by later capabilities: callables returning (text, json, latex objects).
DEMO_SECTIONS: list[Callable[[], tuple[str, dict, list]]] = [_demo_shallow, _demo_loci, _demo_bottleneck, deep_demo]
