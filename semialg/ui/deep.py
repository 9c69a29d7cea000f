"""Deep networks on the command line: ``semialg canonical`` of a deep network and the deep section of
``semialg demo`` (a G-image certified, a near miss refuted, a deep 0-factor flip)."""

from __future__ import annotations

from semialg.core.exact import to_fmpq
from semialg.core.network import Network
from semialg.core.symmetry import GroupElement
from semialg.dispatch import canonical_form, equivalent
from semialg.families.deep.moves import Flip

__all__ = ["deep_demo", "deep_canonical"]


def deep_demo() -> tuple[str, dict, list]:
    net = Network.random((4, 16, 16, 16, 3), seed=18)
    image = GroupElement.random(net.architecture, seed=19).act(net)
    near = image.replace_layer(3, bias=[image.biases[2][0] + to_fmpq("1e-12"), *image.biases[2][1:]])
    r1, r2 = equivalent(net, image), equivalent(net, near)
    flip = Network.from_arrays([[[2, 0], [0, 1], [-1, -1]], [["1/2", 1, 1], [-1, -2, -2]], [[1, -3]]],
                               [[1, "-1/2", 3], ["1/3", 2], [0]])
    r3 = equivalent(flip, Flip(1, (0, 1, 2)).apply(flip))
    text = "\n".join([
        f"Deep {net.architecture} network vs a permuted, rescaled copy: {r1.explain().splitlines()[0]}",
        f"  ... vs the copy with one bias moved by 10^-12 ({r2.method}): {r2.explain().splitlines()[0][:100]}...",
        "2-3-2-1: flipping three first-layer neurons whose next-layer weights are proportional to their linear "
        "relation is a deep 0-factor move: " + r3.explain().splitlines()[0]])
    return text, {"deep_image": r1.status, "deep_near_miss": r2.status, "deep_flip": r3.status}, \
        ["A deep network and its G-image:", r1, "A deep 0-factor flip:", r3]


def deep_canonical(net: Network) -> tuple[str, dict, list]:
    """Text, JSON and LaTeX objects for the normal form modulo $G$ of a deep network."""
    N = canonical_form(net)
    return N.describe() + f"\n{N.network!r}", N.to_json(), [N.network]
