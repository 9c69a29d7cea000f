r"""Silent neurons waking in the shadow of silent neurons with $v \le 0$ (case (a)): a family of the fibre for the
lower bounds of :mod:`semialg.families.bottleneck.local`.

For $f = c\,\sigma(h) + d$, $h(x) = \sum_j v_j\sigma(\ell_j(x)) + e$, $\ell_j(x) = w_j\cdot x + b_j$,
$P = \{h > 0\}$, $c \ne 0$, let $A$ be the cone of affine maps non-positive on $\bar P$ and

* $J$ the *shades*: neurons adding nothing to $h$ ($v_j = 0$, or $w_j = 0 \ge b_j$) with $v_j \le 0$ and
  $\ell_j \in A$. By (iii) of :mod:`~semialg.families.bottleneck.local` each moves to any row
  $\ell'_j \in \ell_j + A$ with $v'_j < 0$ near $v_j$: it stays off on $P$ and only lowers $h$ elsewhere;
* $I$ the *shadowed*: neurons with $w_i = 0 \ge b_i$ and $v_i > 0$ (constant zero, or zero).

**Statement.** Let $\theta_1$ be a member near $\theta$ whose inner network differs from $\theta$'s by such moves of
the shades, moves lowering $h$ and a positive factor $\mu$ of $h$ (and $\ell_{1,i} = \ell_i$ for $i \in I$). Then
every $\theta_2$ equal to $\theta_1$ but for rows $\ell_{2,i} = \sum_J t_{ij}\ell_{1,j} + \beta_i$ ($i \in I$) with
$t_{ij} \ge 0$, $\sum_I v_{1,i}t_{ij} \le |v_{1,j}|$ and $\beta_i < 0$ is a member.
*Proof.* $\sigma$ is subadditive and positively homogeneous, so
$\sigma(\ell_{2,i}) \le \sum_J t_{ij}\sigma(\ell_{1,j})$, and $\ell_{2,i} < 0$ where every $\ell_{1,j} \le 0$. Put
$r = h_1 - \sum_J v_{1,j}\sigma(\ell_{1,j})$: the shades added nothing at $\theta$, so $r \le \mu h \le 0$ off $P$.
Where every $\ell_{1,j} \le 0$, $h_2 = h_1$. Elsewhere $x \notin \bar P$ ($\ell_{1,j} \le 0$ on $\bar P$) and
$h_2 \le r + \sum_J (v_{1,j} + \sum_I v_{1,i}t_{ij})\sigma(\ell_{1,j}) \le r \le 0$, as $h_1 \le 0$ there. So
$\sigma(h_2) = \sigma(h_1)$. $\square$ (Also with the shades left at $\theta$ when some $v_j < 0$.)

**Dimension.** Let $F$ be the family of such $\theta_1$ (a cone with apex $\theta$; no move of it touches the rows
$w_i$) and $k$ the rank of $(w_{1,j})_J$ at one of its points. The rows $w_{2,i} = \sum_J t_{ij}w_{1,j}$ add
$k$ free coordinates for each $i \in I$ wherever that rank is $k$, an open part of $F$ near $\theta$ (rank is lower
semicontinuous; $F$ is a cone), so the family of the $\theta_2$ has dimension $\dim F + k|I|$ at $\theta$, the rank
of $F$'s directions with $k$ unit directions of each $w_i$ (:func:`shadow_lower_bound`).

Under $h = \sigma(1 - 7z) - \sigma(0) + 2\sigma(-3)$ in 3-3-1-2 ($P = \{z < 1/7\}$) the zero neuron tilts to
$-\sigma(\alpha z + b)$, $\alpha > 0$, $\alpha/7 + b \le 0$, and the constant zero neuron wakes behind it,
$2\sigma(\alpha' z - 3)$ with $2\alpha' \le \alpha$: local dimension 9 (the profile's $\lambda$, $\kappa \ge 0$ and
rescaling of $\sigma(1 - 7z)$, the zero neuron's $(\alpha, b, v)$, the constant zero neuron's $(\alpha', b, v)$;
the upper bound), where the other moves give 8.

>>> from semialg.core.network import Network
>>> from semialg.engine.tangent import local_dimension_bounds as first_order
>>> from semialg.families.bottleneck.local import local_dimension_bounds
>>> net = Network.from_arrays([[[0, 0, 0], [0, 0, 0], [0, 0, -7]], [[-1, 2, 1]], [[1], [-1]]],
...                           [[0, -3, 1], [0], [0, 1]])
>>> first_order(net), local_dimension_bounds(net)
((6, 14), (9, 9))
"""

from __future__ import annotations

from flint import fmpq

from semialg.core.exact import dot, rank, row_basis, sparse_vector
from semialg.core.network import Network
from semialg.engine.tangent import move_directions, parameter_offsets
from semialg.families.bottleneck.cell_cones import cell_cones, cut_generators, ray_key
from semialg.families.bottleneck.views import OuterView
from semialg.geometry.cone import dual_cone_spanning_rows

__all__ = ["shades_and_shadowed", "shadow_directions", "shadow_lower_bound"]

_ONE = fmpq(1)


def shades_and_shadowed(net: Network) -> tuple[list[int], list[int], list[tuple]]:
    r"""``(J, I, A)`` of the module docstring: the shades $J$, the shadowed neurons $I$ and rows spanning the cone
    $A$ of affine maps $(w, b)$ non-positive on $\bar P$ (:func:`~semialg.geometry.cone.dual_cone_spanning_rows`
    of the generators of the cone over $\bar P$); ``([], [], [])`` when $c = 0$, $P$ is empty or the cells'
    generators are not enumerated. Cost: that of :func:`~semialg.families.bottleneck.cell_cones.cell_cones` and
    of the dual cone's rows.

    >>> from semialg.core.network import Network
    >>> net = Network.from_arrays([[[0], [0], [-7]], [[-1, 2, 1]], [[1]]], [[0, -3, 1], [0], [0]])
    >>> shades_and_shadowed(net)[:2]
    ([0], [1])
    """
    view = OuterView.of(net)
    if not any(view.c) or (cones := cell_cones(net)) is None:
        return [], [], []
    positive = [gens for gens in cones if any(val > 0 for _, _, val in gens)]
    pbar = list({ray_key(g): g for gens in positive for g in cut_generators(gens)}.values())
    if not pbar:
        return [], [], []
    rows = [tuple(w) + (b,) for w, b in zip(view.w, view.b, strict=True)]
    shadowed = [i for i, (w, b, v) in enumerate(zip(view.w, view.b, view.v, strict=True)) if not any(w) and b <= 0 < v]
    shades = [j for j, (w, b, v) in enumerate(zip(view.w, view.b, view.v, strict=True))
              if v <= 0 and (v == 0 or not any(w) and b <= 0) and all(dot(rows[j], g) <= 0 for g in pbar)]
    return shades, shadowed, dual_cone_spanning_rows(pbar)


def shadow_directions(net: Network) -> tuple[list[list[fmpq]], list[list[fmpq]], list[int], list[int]]:
    r"""``(shade_moves, wakings, J, I)``: the directions of (iii) of the shades (rows of $A$ on each row, and
    $\delta v_j = -1$), and for each shadowed neuron unit directions of $w_i$ spanning the rows $w_{1,j}$ of the point
    of $F$ where each shade $j$ with $w_j \ne 0$ keeps its row and the $q$-th with $w_j = 0$ takes the $q$-th row of
    $A$ with $w \ne 0$ (with $\delta b_i = -1$ for a zero neuron $i$, whose $\beta_i$ must turn negative). Empty
    when there is no shade or no shadowed neuron. Cost: that of :func:`shades_and_shadowed` and a row basis of
    $|J|$ rows of length $n_0$.

    >>> from semialg.core.network import Network
    >>> net = Network.from_arrays([[[0], [0], [-7]], [[-1, 2, 1]], [[1]]], [[0, -3, 1], [0], [0]])
    >>> moves, wakings, _, _ = shadow_directions(net)
    >>> [[i for i, x in enumerate(m) if x] for m in wakings]    # w_1 moves
    [[1]]
    """
    shades, shadowed, inside = shades_and_shadowed(net)
    if not shades or not shadowed:
        return [], [], [], []
    view, n0, D = OuterView.of(net), net.widths[0], net.architecture.num_parameters
    (W_at, v_at, _), (b_at, _, _) = parameter_offsets(net.architecture)
    tilted = [a[:n0] for a in inside if any(a[:n0])]
    sources, q = [], 0
    for j in shades:
        if any(view.w[j]):
            sources.append(tuple(view.w[j]))
        elif tilted:
            sources.append(tilted[q % len(tilted)])
            q += 1
    basis = row_basis(sources) if sources else []
    moves = [sparse_vector(D, *((W_at + j * n0 + p, x) for p, x in enumerate(a[:n0])), (b_at + j, a[n0]))
             for j in shades for a in inside] + [sparse_vector(D, (v_at + j, -_ONE)) for j in shades]
    wakings = [sparse_vector(D, *((W_at + i * n0 + p, x) for p, x in enumerate(u))) for i in shadowed for u in basis]
    wakings += [sparse_vector(D, (b_at + i, -_ONE)) for i in shadowed if view.b[i] == 0] if basis else []
    return moves, wakings, shades, shadowed


def shadow_lower_bound(net: Network, lowering: list[list[fmpq]], withdrawn: list[list[fmpq]]) -> int:
    r"""The lower bound of the module docstring: the rank of the moves of :mod:`semialg.engine.tangent` (less
    ``withdrawn``; they keep $h$ up to a positive factor) that move no row of a shade nor $w_i$ of a shadowed neuron,
    the moves of ``lowering`` (downhill translations and zero neurons waking as twins, which only lower $h$) that
    move no parameter of either, and :func:`shadow_directions`; 0 when there is no shade or no shadowed neuron.
    Cost: :func:`shadow_directions` and one exact rank of $O(D)$ vectors of length $D$.

    >>> from semialg.core.network import Network
    >>> from semialg.families.bottleneck.local import downhill_translations
    >>> net = Network.from_arrays([[[0], [0], [-7]], [[-1, 2, 1]], [[1]]], [[0, -3, 1], [0], [0]])
    >>> shadow_lower_bound(net, [], []), shadow_lower_bound(net, downhill_translations(net), [])   # h = s(1 - 7x)
    (8, 9)
    """
    moves, wakings, shades, shadowed = shadow_directions(net)
    if not wakings:
        return 0
    n0 = net.widths[0]
    (W_at, v_at, _), (b_at, _, _) = parameter_offsets(net.architecture)

    def row(m, j) -> list:
        return list(m[W_at + j * n0: W_at + (j + 1) * n0]) + [m[b_at + j]]

    def touches(m, j) -> bool:
        return any(row(m, j)) or bool(m[v_at + j])

    first = [m for m in move_directions(net) if m not in withdrawn and not any(any(row(m, j)) for j in shades)
             and not any(any(row(m, i)[:n0]) for i in shadowed)]
    first += [m for m in lowering if not any(touches(m, j) for j in shades + shadowed)]
    return rank(first + moves + wakings)
