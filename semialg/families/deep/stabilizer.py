r"""The stabilizer in $G$ of a parameter of any depth.

$g = (\pi_l, \lambda_l)_l$ fixes $\theta$ iff $\lambda_l[i]\,W_l[\pi_l(i), \pi_{l-1}(j)] / \lambda_{l-1}[j] =
W_l[i, j]$ and $\lambda_l[i]\,b_l[\pi_l(i)] = b_l[i]$ for every entry. The elements with every $\pi_l$ the identity
form the torus $T \cong \mathbb{R}_{>0}^d$: each non-zero entry $W_l[i,j]$ equates $\lambda_l[i]$ and
$\lambda_{l-1}[j]$, a non-zero bias or an edge to an input or output neuron sets the scale to 1, so $d$ is the
number of connected components of hidden neurons (joined by non-zero weights) that touch no input, output or
non-zero bias. $T$ is the identity component and $\mathrm{Stab}(\theta) / T$ is the finite group $\Gamma$ of the
permutation parts $(\pi_l)_l$ of its elements. Its order is $|\Gamma| = \prod_t |\Gamma_t \cdot b_t|$ along a base
$b_1, b_2, \dots$ (the tied neurons, layer by layer; $\Gamma_t$ fixes $b_1, \dots, b_{t-1}$ and every earlier
layer), each orbit found by the exhaustive exact search of :func:`semialg.engine.orbit.orbit_element` with the
earlier points fixed (Schreier–Sims: the base is processed from its end, so the generators found for later points
close most of each orbit before it is searched).

Zero neurons (zero row and bias) enter the equations only through their outgoing columns, with a free scale each:
an isolated one (zero column too) is exchangeable with every other and gives a closed-form factor
$S_z \ltimes \mathbb{R}_{>0}^z$ per layer; one with a non-zero column can go to $j$ only when its column is a
positive multiple of $j$'s read in the next layer's frame. They come last in the base of their layer, so the
elements searched there fix the rest of the layer, and are split by
:func:`~semialg.engine.orbit.zero_neuron_key` (per class of the next layer, the multiset of entries divided by the
row's scale, up to one positive factor; an invariant of those elements): distinct keys need no search. Inside each
search they are matched after the next layer (see :mod:`semialg.engine.orbit`). For one hidden layer
:func:`semialg.families.shallow.stabilizer` gives the same group in the closed form of the paper's Theorem 2.

>>> net = Network.from_arrays([[[1, 0], [1, 0], [0, 1]], [[1, 1, 2]], [[1]]], [[1, 1, 0], [0], [0]])
>>> S = stabilizer(net)                              # neurons 1 and 2 of layer 1 are exact twins
>>> S.order_of_finite_part, S.dimension, S.is_trivial
(2, 0, False)
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from flint import fmpq

from semialg.core.network import Network
from semialg.core.symmetry import GroupElement, StabilizerGroup
from semialg.engine.orbit import frame_keys, orbit_element, zero_neuron_key

__all__ = ["DeepStabilizer", "stabilizer"]


@dataclass(frozen=True)
class DeepStabilizer(StabilizerGroup):
    r"""$\mathrm{Stab}(\theta) \cong \Gamma \ltimes \mathbb{R}_{>0}^d$ for $\theta$ of any depth.

    ``generators``: elements of $\mathrm{Stab}(\theta)$ whose permutation parts generate $\Gamma$;
    ``orbits``: ``(l, i, orbit)`` for every base point $i$ of hidden layer $l$ with a non-trivial orbit (neurons
    numbered from 0); ``free_components``: the hidden neurons ``(l, i)`` of each component of the torus (one free
    scale each).
    """

    network: Network
    generators: tuple[GroupElement, ...]
    order_of_finite_part: int
    orbits: tuple[tuple[int, int, tuple[int, ...]], ...]
    free_components: tuple[tuple[tuple[int, int], ...], ...]

    @property
    def dimension(self) -> int:
        """$d = \\dim \\mathrm{Stab}(\\theta)$."""
        return len(self.free_components)

    def random_element(self, seed: int | None = None) -> GroupElement:
        """A random product of the generators times a random element of the torus (positive scales $p/q$,
        $1 \\le p, q \\le 9$, one per free component)."""
        rng = random.Random(seed)
        widths = self.network.architecture.hidden_widths
        lam = [[fmpq(1)] * n for n in widths]
        for comp in self.free_components:
            s = fmpq(rng.randint(1, 9), rng.randint(1, 9))
            for l, i in comp:
                lam[l - 1][i] = s
        g = GroupElement([range(n) for n in widths], lam)
        for _ in range(2 * len(self.generators)):
            g = g * rng.choice(self.generators)
        return g

    def describe(self) -> str:
        if self.is_trivial:
            return "the stabilizer of the parameter in G is trivial"
        moved = "; ".join(f"layer {l}: neuron {i + 1} has orbit {[j + 1 for j in orb]}" for l, i, orb in self.orbits)
        text = f"the stabilizer of the parameter in G has a finite part of order {self.order_of_finite_part}"
        if moved:
            text += f" ({moved})"
        text += f" and dimension {self.dimension}"
        if self.dimension:
            text += (" (one free scale per component of hidden neurons joined by non-zero weights and touching no "
                     "input, output or non-zero bias)")
        return text

def free_components(net: Network) -> tuple[tuple[tuple[int, int], ...], ...]:
    r"""The components of the torus of $\mathrm{Stab}(\theta)$: hidden neurons ``(l, i)`` joined by non-zero
    weights, in components that touch no input, output or non-zero bias. Cost: $O(\dim\Omega)$."""
    L = net.depth
    parent = {(l, i): (l, i) for l in range(1, L) for i in range(net.widths[l])}

    def root(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    anchored = set()
    for l in range(1, L):
        for i, (row, b) in enumerate(zip(net.weights[l - 1], net.biases[l - 1], strict=True)):
            if b or (l == 1 and any(row)):
                anchored.add((l, i))
            if l > 1:
                for j, x in enumerate(row):
                    if x:
                        parent[root((l, i))] = root((l - 1, j))
    for row in net.weights[L - 1] if L > 1 else ():     # without a hidden layer the last reads the inputs
        anchored.update((L - 1, j) for j, x in enumerate(row) if x)
    anchored = {root(x) for x in anchored}
    comps: dict = {}
    for x in parent:
        if root(x) not in anchored:
            comps.setdefault(root(x), []).append(x)
    return tuple(sorted(tuple(sorted(c)) for c in comps.values()))


def stabilizer(net: Network, budget: int = 10 ** 5) -> DeepStabilizer:
    r"""The stabilizer of $\theta$ (any depth) in $G$: the finite group $\Gamma$ of its permutation parts, with
    generators and exact order, and its identity component $\mathbb{R}_{>0}^d$ (see the module docstring).

    Cost: $O(\dim\Omega)$ exact operations plus hashing when no hidden layer has two non-zero neurons whose rows
    are positive multiples of each other in the frame of the fixed earlier layers, nor two zero neurons (zero row
    and bias) with equal :func:`~semialg.engine.orbit.zero_neuron_key` (the generic case, pruned neurons with
    random columns included: $\Gamma$ is then a product of symmetric groups on the isolated neurons); otherwise
    one exact orbit search per base point and candidate image not yet reached, each $O(\dim\Omega)$ times the
    matchings it tries: one per layer when the ties resolve in the next layer (zero neurons always do when the
    rows their columns meet have known scales), the product of the tie factorials at worst. Raises
    :class:`~semialg.errors.UndecidedError` when one search needs more than ``budget`` matchings.

    >>> net = Network.from_arrays([[[1], [0], [0]], [[1, 0, 0]]], [[0, 0, 0], [0]])
    >>> S = stabilizer(net)                          # two zero neurons: S_2 and two free scales
    >>> S.order_of_finite_part, S.dimension
    (2, 2)
    """
    widths, keys, cache = net.widths, frame_keys(net), {}
    classes = [_classes(layer) for layer in keys]
    isolated = [[i for i in range(widths[l]) if _isolated(net, l, i)] for l in range(1, net.depth)]
    generators = [g for l, z in enumerate(isolated, start=1) if len(z) > 1 for g in _symmetric_group(widths, l, z)]
    orbits = [(l, i, tuple(z[k:])) for l, z in enumerate(isolated, start=1) for k, i in enumerate(z[:-1])]
    order = math.prod(math.factorial(len(z)) for z in isolated)
    # per layer: the isolated neurons first (fixed in every search below), then the other tied neurons, then the
    # zero neurons (zero row and bias) split by zero_neuron_key, with the rest of their layer fixed
    base, class_of, settled = [], {}, {}
    for l, layer in enumerate(classes, start=1):
        zero = [i for i in range(widths[l]) if not net.biases[l - 1][i] and not any(net.weights[l - 1][i])
                and i not in isolated[l - 1]]
        split: dict = {}
        if zero:
            leads = [ld for _, ld in keys[l - 1]] if l + 1 < net.depth else None
            for i, k in zero_neuron_key(net, l, zero, leads).items():
                split.setdefault(k, []).append(i)
        settled[l] = [C[0] for C in split.values() if len(C) == 1]
        for C in [C for C in layer if C[0] not in zero and C[0] not in isolated[l - 1]] + list(split.values()):
            class_of.update(((l, i), C) for i in C)
            base.extend((l, i) for i in C[:-1])
    found = []
    for t in reversed(range(len(base))):
        l, i = base[t]
        fixed = {(k, a): a for k in range(1, l) for a in range(widths[k])}
        fixed.update(((l, a), a) for a in isolated[l - 1])
        fixed.update((b, b[1]) for b in base[:t] if b[0] == l)
        if not net.biases[l - 1][i] and not any(net.weights[l - 1][i]):
            fixed.update(((l, a), a) for a in settled[l])   # every g searched here fixes them (zero_neuron_key)
        orbit = _closure({i}, l, generators)
        for w in class_of[l, i]:
            if w in orbit or (l, w) in fixed:
                continue
            g = orbit_element(net, net, budget, {**fixed, (l, i): w}, cache)
            if g is not None:
                generators.append(g)
                orbit = _closure(orbit, l, generators)
        if len(orbit) > 1:
            found.append((l, i, tuple(sorted(orbit))))
            order *= len(orbit)
    orbits = sorted(orbits + found)
    return DeepStabilizer(net, tuple(generators), order, tuple(orbits), free_components(net))


def _classes(keys: list) -> list[tuple[int, ...]]:
    """The neurons of equal keys, as :func:`~semialg.engine.orbit.tie_classes` groups them."""
    out: dict = {}
    for a, (k, _) in enumerate(keys):
        out.setdefault(k, []).append(a)
    return [tuple(c) for c in out.values()]


def _isolated(net: Network, l: int, i: int) -> bool:
    """Whether neuron ``i`` of hidden layer ``l`` has no non-zero weight or bias: any permutation of such neurons,
    with any scales, fixes $\\theta$."""
    return not (net.biases[l - 1][i] or any(net.weights[l - 1][i]) or any(row[i] for row in net.weights[l]))


def _symmetric_group(widths: tuple[int, ...], l: int, z: list[int]) -> list[GroupElement]:
    """A transposition and a cycle of the neurons ``z`` of hidden layer ``l``: generators of $S_{|z|}$."""
    out = []
    for images in ({z[0]: z[1], z[1]: z[0]}, {a: z[(k + 1) % len(z)] for k, a in enumerate(z)}):
        perms = [list(range(n)) for n in widths[1:-1]]
        for a, b in images.items():
            perms[l - 1][a] = b
        out.append(GroupElement(perms, [[1] * n for n in widths[1:-1]]))
    return out[:1] if len(z) == 2 else out

def _closure(orbit: set[int], layer: int, generators: list[GroupElement]) -> set[int]:
    """The closure of ``orbit`` under the permutations of hidden layer ``layer`` of ``generators``."""
    todo, out = list(orbit), set(orbit)
    while todo:
        x = todo.pop()
        for g in generators:
            y = g.permutations[layer - 1][x]
            if y not in out:
                out.add(y)
                todo.append(y)
    return out

