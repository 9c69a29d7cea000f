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

**The plateau at 0, two ways out** (:func:`plateau_cases`). Let $\theta$ be a case-(a) bottleneck parameter,
$f = c\,\sigma(h) + d$ with $c \ne 0$, no zero neuron ($w_i = 0 = b_i$; but see below), and $h \equiv 0$ on a
full-dimensional cell $C$ of its first layer's arrangement (a *plateau cell*). Then the fibre near $\theta$ is
covered by (A) its members with $d' = d$ and (B) those with $c'_r h'_C + d'_r = d_r$ for every $r$ and every
plateau cell $C$, where $h'_C(x) = \sum_{i \in A_C} v'_i(w'_i\cdot x + b'_i) + e'$ over the neurons $A_C$ active on $C$
(an affine function of $x$ whose coefficients are polynomials in $\theta'$). *Proof.* Take $y$ inside a plateau
cell. For $\theta'$ near $\theta$ no neuron changes activity near $y$ (none has $w_i\cdot y + b_i = 0$), and
$c'\sigma(h'(x)) + d' = f(x) = d$ near $y$. If $h'(y) \le 0$ this is $d' = d$. Else $\sigma(h'(y)) > 0$ and
$c' \ne 0$ give $d' \ne d$, so at every point $x$ of every plateau cell $c'\sigma(h'(x)) = d - d' \ne 0$:
$h'(x) > 0$ and $c'h'(x) + d' = d$, i.e. $h'_C \equiv h'$ near $x$ satisfies it. $\square$ Each case is a set
of polynomial equations through $\theta$, so their gradients bound the dimension of its part of the fibre
(:func:`semialg.engine.tangent.local_dimension_bounds`, ``cases``), and the larger of the two bounds holds: at
the corner where raising $e$ (with $d' = d - c\,\delta e$) and sliding a bounding neuron into the plateau (its
bias traded with $e$) both keep $f$, the first-order bound sees both directions at once. *Zero neurons.* If
every zero neuron is *kinked* — in every member near $\theta$ the neurons sharing its hyperplane have a non-zero
total jump (the conditions of :func:`~semialg.families.bottleneck.covers.kinked_zero_neurons`) — the same holds
with $h'_C$ summed over $A_C \cup S$ for the set $S$ of zero neurons active near $y$: in (B) $h'$ is constant on
every plateau cell, so no zero neuron's hyperplane meets one, and near $y$ each zero neuron is affine, active or
not. $\square$ The bound leaves the zero neurons' own parameters free (:mod:`semialg.engine.tangent`, *zero
neurons*): without their columns these gradients are those over $A_C$ whatever $S$, so one part (B) serves.

**Slides off $P$** (:func:`plateau_slides`). Let $L = \{\ell = 0\}$ be a first-layer hyperplane of a case-(a)
parameter with $P = \{h > 0\} \subset \{\ell > 0\}$, its neurons with $v_k \ne 0$ of rows $\epsilon_k\lambda_k\ell$
($\lambda_k > 0$) and total jump $J = \sum_k v_k\lambda_k > 0$. Move each by $ts_k$ off $P$, row
$\epsilon_k\lambda_k(\ell + ts_k)$, with $e' = e - t\sum_{\epsilon_k = 1}v_k\lambda_ks_k$. For $s$ near
$(1, \dots, 1)$ and small $t > 0$ this keeps $\sigma(h)$, whatever the signs of the $v_k$. *Proof.* On
$\{\ell \ge 0\}$ the neurons with $\epsilon_k = 1$ stay on (their gain is what $e$ loses) and the others off:
$h' = h$. Below, $h' - h = \Delta(\ell)$, piecewise linear, $J\ell$ down to the first moved kink (every neuron
facing $P$ on, every other off: each trades its slope there) and the constant $-t\sum_k v_k\lambda_ks_k$ beyond
the last; for $s = (1, \dots, 1)$ it is $\max(J\ell, -Jt) < 0$, so for $s$ near it too, at the finitely many
breakpoints and beyond. As $h \le 0$ off $P$, $h' \le 0$ there, and $\sigma(h') = \sigma(h)$. $\square$ The family
lowers $h$ off $P$ and keeps it on $P$, like the downhill translations of
:mod:`~semialg.families.bottleneck.local`, so it composes with the other moves there; its amounts range over an
open cone, so its directions $\delta b_k = \epsilon_k$ (with $\delta e = -v_k$ when $\epsilon_k = 1$, amounts
$ts_k\lambda_k$) all count for the lower bound, although a neuron with $v_k < 0$ alone may not slide.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence

from flint import fmpq, fmpq_mat

from semialg.core.exact import dot, fingerprint, normalise_row, nullspace, rank, sparse_vector
from semialg.core.network import Network
from semialg.engine.tangent import parameter_offsets
from semialg.families.bottleneck.arrangement import NetworkArrangement, arrangement_of
from semialg.families.bottleneck.cell_cones import cell_cones
from semialg.families.bottleneck.views import OuterView
from semialg.families.shallow import canonical_form

__all__ = ["concurrent_flats", "hyperplane_in_zero_set", "lies_in_zero_set", "plateau_cases", "plateau_slides",
           "restricted_to"]

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


def plateau_cases(net: Network, kinked: Sequence[int] = ()) -> list[list[list[fmpq]]]:
    r"""The cases of the module docstring's *plateau at 0* as gradients at ``net`` of their equations: (A)
    $\delta d_r = 0$ for every $r$; (B) per plateau cell $C$ the gradients $\sum_{A_C}(w_{i,q}\,\delta v_i +
    v_i\,\delta w_{i,q})$ of the $x_q$-coefficients of $h'_C$ (those of $c'_r h'_C$ are $c_r$ times them: $h_C =
    0$) and $c_r(\sum_{A_C}(b_i\,\delta v_i + v_i\,\delta b_i) + \delta e) + \delta d_r$ of the constant terms,
    the same when the zero neurons are ``kinked`` (their kinks cannot cancel near ``net``:
    :func:`~semialg.families.bottleneck.covers.kinked_zero_neurons`). ``[]`` when $c = 0$, another zero neuron
    exists or no cell is a plateau cell. Cost: the arrangement of the first layer and $O(n_1(n_0 + n_3))$ per
    plateau cell.

    >>> h0 = Network.from_arrays([[[0], [-1]], [[2, 1]], [[1]]], [[-3/2, -1], [0], [0]])   # h = s(-x - 1)
    >>> [len(rows) for rows in plateau_cases(h0)]           # (A) d' = d; (B) on x > -1: slope and constant
    [1, 2]
    """
    view = OuterView.of(net)
    zeros = [k for k, (w, b) in enumerate(zip(view.w, view.b, strict=True)) if not any(w) and b == 0]
    if not any(view.c) or not set(zeros) <= set(kinked):
        return []
    arr = arrangement_of(net)
    maps = arr.affine_maps(arr.neuron_data(view.inner), arr.cells)
    plateaus = [cell for cell, (lin, const) in zip(arr.cells, maps, strict=True) if not any(lin) and const == 0]
    if not plateaus:
        return []
    arch, n0 = net.architecture, net.widths[0]
    (W_at, v_at, _), (b_at, e_at, d_at) = parameter_offsets(arch)
    unit = functools.partial(sparse_vector, arch.num_parameters)
    outputs = range(len(view.c))
    stay = [unit((d_at + r, fmpq(1))) for r in outputs]

    def rows(active):
        return [unit(*((v_at + i, view.w[i][q]) for i in active), *((W_at + i * n0 + q, view.v[i]) for i in active))
                for q in range(n0)] + \
            [unit(*((v_at + i, c * view.b[i]) for i in active), *((b_at + i, c * view.v[i]) for i in active),
                  (e_at, c), (d_at + r, fmpq(1))) for r, c in zip(outputs, view.c)]

    # cells with the same active neurons give the same rows (the line's auxiliary cuts, for n0 = 1); zero neurons
    # active there would add entries in their own columns, which the bound leaves free (module docstring)
    return [stay, [row for active in sorted({tuple(i for i, (w, b) in enumerate(zip(view.w, view.b, strict=True))
                                                   if _active(arr, cell, w, b)) for cell in plateaus})
                   for row in rows(active)]]


def plateau_slides(net: Network) -> list[list[fmpq]]:
    r"""The directions of the module docstring's *slides off* $P$: $\delta b_k = \epsilon_k$, with
    $\delta e = -v_k$ when $\epsilon_k = 1$ (neuron $k$ faces $P$), for every neuron with $v_k \ne 0$ on a
    hyperplane with all of $P$ on one side and positive total jump; ``[]`` when $P$ is empty or the cells'
    generators are not enumerated (:func:`~semialg.families.bottleneck.cell_cones.cell_cones`). Only combinations
    weighting the neurons of a hyperplane by about $\lambda_k$ (nearly equal shifts of $\ell$) are moves: together
    the directions span the family's tangent cone. Any $n_0$. Cost: that of the cells' generators, one sum of
    generators per cell meeting $P$ and one exact product of the lines by those sums.

    >>> twins = Network.from_arrays([[[-2, 3], [-3, 9/2]], [[-1, 2]], [[1]]], [[0, 0], [0], [0]])   # h = 2s(z)
    >>> [[i for i, x in enumerate(g) if x] for g in plateau_slides(twins)]    # both slide into z < 0, e trading
    [[4, 8], [5, 8]]
    """
    view = OuterView.of(net)
    parts = [gens for gens in cell_cones(net) or () if any(val > 0 for _, _, val in gens)]
    lines: dict = {}
    for k, (w, b, v) in enumerate(zip(view.w, view.b, view.v, strict=True)):
        if v != 0 and any(w):
            key, scale, sign = normalise_row(tuple(w) + (b,))
            lines.setdefault(fingerprint(key), (key, []))[1].append((k, scale, sign))
    _, (b_at, e_at, _) = parameter_offsets(net.architecture)
    unit, out = functools.partial(sparse_vector, net.architecture.num_parameters), []
    # sum_g key.g over a part's generators is key.(sum_g g): one sum per part, then one product for every line
    sums = [[sum(xs, _ZERO) for xs in zip(*(g for g, _, _ in gens), strict=True)] for gens in parts]
    values = (fmpq_mat([list(key) for key, _ in lines.values()]) * fmpq_mat(sums).transpose()).tolist() \
        if parts and lines else []
    for (key, members), row in zip(lines.values(), values, strict=True) if values else ():
        sides = {x > 0 for x in row}
        if len(sides) == 1 and sum(view.v[k] * scale for k, scale, _ in members) > 0:
            positive = sides.pop()          # P lies where the key is positive
            out += [unit((b_at + k, fmpq(1)), (e_at, -view.v[k])) if (sign > 0) == positive else
                    unit((b_at + k, fmpq(-1))) for k, _, sign in members]
    return out


def _active(arr: NetworkArrangement, cell, w, b) -> bool:
    """Whether the neuron with row ``(w, b)`` is active on the open ``cell`` (a constant neuron when $b > 0$)."""
    if not any(w):
        return b > 0
    key, _, s = normalise_row(tuple(w) + (_ZERO,) * (arr.dim - len(w)) + (b,))
    return cell.signs[arr.index[fingerprint(key)]] * s > 0
