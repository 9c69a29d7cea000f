r"""Hyperplanes inside the plateau $\{g = 0\}$ of a shallow network $g \ge 0$, decided exactly for every $n_0 \ge 2$.

Used by case (a), regime T (:mod:`~semialg.families.bottleneck.nonnegative_fibre`): with $g = h - \min h$ (or
$\sup h - h$), members $\theta'$ with $h' < 0$ somewhere have $h' - |\mu| g$ with kinks only on hyperplanes inside
$\{g = 0\}$, so they need such a hyperplane $L$.

**Statement.** Let $g(x) = \sum_i v_i\sigma(w_i\cdot x + b_i) + e \ge 0$ on $\mathbb{R}^{n_0}$ with *genuine*
kink hyperplanes $H_1, \dots, H_N$ (non-zero gradient jump, the kinks of its canonical form) not all parallel,
and call a codimension-2 flat $F$ *$\ge 3$-concurrent* when at least three $H_k$ contain it. If a hyperplane
$L$ lies in $\{g = 0\}$, then every $H_k$ is parallel to $L$ (or equal) or meets it in a $\ge 3$-concurrent
flat. Proof: take a point $q$ of $F = H_k \cap L$ on no $H_j \not\supset F$. Near $q$, $g = \psi(y)$, $y = x - q$,
with $\psi$ positively homogeneous and linear on the sectors cut by the $H_j \supset F$; $\psi$ vanishes on $L - q$,
which spans the directions of $F$, so $\psi$ factors through the plane $\mathbb{R}^{n_0}/(F - q)$. If only
$H_k$ and at most one $H'$ contain $F$ ($L$ itself counted when it is a kink hyperplane): when $L$ crosses both,
its two rays lie inside opposite sectors, where $\psi \ge 0$ is linear and vanishes on an inner ray, hence
$\psi = 0$ there, and on the two other sectors $\psi$ is linear and zero on both (independent) boundary rays;
when $L = H'$, $\psi$ is a multiple of the normal coordinate of $L$ on each side, the same on both sectors of a
side by continuity across $H_k$. Either way $H_k$ has no kink at $q$, although its jump is the same all
along $H_k$. So, as $L$ meets some $H_k$, it contains a $\ge 3$-concurrent flat $F$, and:

- if every $H_k$ contains $F$, $g - g|_F$ is positively homogeneous around $F$ (its linear part vanishes along
  $F$: $g \ge 0$) and $L \supset F$; in the transversal plane a ray of $L$ on a kink line puts that line (the
  opposite ray is in $L$ too) in $\{g = 0\}$, and a ray inside a sector $S$ forces $\psi = 0$ on $S$ and on $-S$
  (a sector too, holding the opposite ray), so again the kink line through a boundary ray of $S$ is zero: the
  candidates are the $H_k$ themselves;
- otherwise pick $H_0 \not\supset F$: $L$ is the member of the pencil through $F$ parallel to $H_0$, or passes
  through a $\ge 3$-concurrent flat $F' \subset H_0$ too, and then $L$ is the hyperplane through $F$ and $F'$
  (rows: $\operatorname{span}(F) \cap \operatorname{span}(F')$, one-dimensional as $F' \ne F$).

Each candidate is checked exactly: $g$ restricted to $L$ is a shallow network in $n_0 - 1$ variables, $\equiv 0$
iff its canonical form is zero. For $n_0 = 2$ the flats are the vertices where three kink lines meet.
Cost: $O(N^3)$ exact ranks for the flats, $O(\Phi^2)$ candidates for $\Phi$ flats, each one canonical form of
$n_1$ neurons in $n_0 - 1$ variables.

>>> g = Network.from_arrays([[[1, 1, 0], [-1, 1, 0], [0, 1, 0]], [[1, 1, -2]]], [[0, 0, 0], [0]])
>>> hyperplane_in_zero_set(g)       # sigma(|x| - |y|) vanishes on the plane x = y
(1, -1, 0, 0)
>>> hyperplane_in_zero_set(g.replace_layer(2, [[1, 1, 2]])) is None
True
"""

from __future__ import annotations

import itertools

from flint import fmpq

from semialg.core.exact import dot, fingerprint, normalise_row, nullspace, rank
from semialg.core.network import Network
from semialg.families.shallow import canonical_form

__all__ = ["concurrent_flats", "hyperplane_in_zero_set", "lies_in_zero_set", "restricted_to"]

_ZERO = fmpq(0)


def restricted_to(g: Network, row) -> Network:
    r"""$g$ on the hyperplane $\{u\cdot x + \beta = 0\}$, ``row`` $= (u, \beta)$, as a shallow network of
    $s \in \mathbb{R}^{n_0 - 1}$ via $x = x_0 + Bs$ ($x_0$ the point of $L$ nearest $0$, $B$ a basis of
    $u^\perp$)."""
    u, beta = tuple(row[:-1]), row[-1]
    x0 = tuple(-beta * x / dot(u, u) for x in u)
    basis = nullspace([list(u)])
    W1, b1 = g.weights[0], g.biases[0]
    return Network((tuple(tuple(dot(w, col) for col in basis) for w in W1), g.weights[1]),
                   (tuple(dot(w, x0) + b for w, b in zip(W1, b1, strict=True)), g.biases[1]))


def lies_in_zero_set(g: Network, row) -> bool:
    """Whether $g \\equiv 0$ on the hyperplane ``row`` $= (u, \\beta)$: the canonical form of the restriction is
    zero. Cost: one canonical form of $n_1$ neurons in $n_0 - 1$ variables."""
    K = canonical_form(restricted_to(g, row))
    return not K.kinks and not any(K.linear[0]) and K.constant[0] == 0


def concurrent_flats(keys) -> list[tuple[int, ...]]:
    """The codimension-2 flats contained in at least three of the hyperplanes ``keys`` (rows $(u, \\beta)$,
    pairwise distinct), each as the sorted indices of the hyperplanes containing it. Cost: $O(N^3)$ ranks."""
    flats = set()
    for i, j in itertools.combinations(range(len(keys)), 2):
        if rank([keys[i][:-1], keys[j][:-1]]) == 2:
            on = tuple(k for k in range(len(keys)) if rank([keys[i], keys[j], keys[k]]) == 2)
            if len(on) >= 3:
                flats.add(on)
    return sorted(flats)


def _meet(a, b, c, d):
    """The row spanning $\\operatorname{span}(a, b) \\cap \\operatorname{span}(c, d)$ when that is a line with a
    non-zero normal, else ``None``."""
    kernel = nullspace([list(col) for col in zip(a, b, c, d, strict=True)])
    if len(kernel) != 1:
        return None
    lam, kap = kernel[0][:2]
    row = tuple(lam * x + kap * y for x, y in zip(a, b, strict=True))
    return row if any(row[:-1]) else None


def hyperplane_in_zero_set(g: Network, keys=None) -> tuple[fmpq, ...] | None:
    r"""A hyperplane $\{u\cdot x + \beta = 0\}$ inside $\{g = 0\}$ as its normalised row $(u, \beta)$, or
    ``None`` when there is none — decided exactly (see the module docstring) for a shallow $g \ge 0$ whose kink
    hyperplanes ``keys`` (default: those of its canonical form) are not all parallel."""
    keys = [tuple(key) for key, _ in canonical_form(g).kinks] if keys is None else [tuple(k) for k in keys]
    flats = concurrent_flats(keys)
    infinity = (_ZERO,) * (len(keys[0]) - 1) + (fmpq(1),)
    candidates = []
    for on in flats:
        a, b = next((keys[i], keys[j]) for i, j in itertools.combinations(on, 2)
                    if rank([keys[i][:-1], keys[j][:-1]]) == 2)
        if len(on) == len(keys):
            candidates = list(keys)          # every kink hyperplane through F: only the H_k themselves
            break
        k0 = next(k for k in range(len(keys)) if k not in on)
        candidates.append(_meet(a, b, keys[k0], infinity))
        for other in flats:
            if k0 in other:
                c, d = next((keys[i], keys[j]) for i, j in itertools.combinations(other, 2)
                            if rank([keys[i][:-1], keys[j][:-1]]) == 2)
                candidates.append(_meet(a, b, c, d))
    seen = set()
    for row in candidates:
        if row is None:
            continue
        row = normalise_row(row)[0]
        if fingerprint(row) not in seen:
            seen.add(fingerprint(row))
            if lies_in_zero_set(g, row):
                return row
    return None
