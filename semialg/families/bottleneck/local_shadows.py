r"""Silent neurons waking in the shadow of silent neurons with $v \le 0$, and neurons off on $\bar P$ moving where
$h$ does not need them (case (a)): families of the fibre for the lower bounds of
:mod:`semialg.families.bottleneck.local`.

For $f = c\,\sigma(h) + d$, $h(x) = \sum_j v_j\sigma(\ell_j(x)) + e$, $\ell_j(x) = w_j\cdot x + b_j$,
$P = \{h > 0\}$, $c \ne 0$, let $A$ be the cone of affine maps non-positive on $\bar P$ and

* $J$ the *shades*: neurons with $v_j \le 0$ and $\ell_j \in A$ that $h$ does not need off $P$: with
  $r_0 = h - \sum_J v_j\sigma(\ell_j)$, $r_0 \le 0$ off $P$. Neurons adding nothing to $h$ ($v_j = 0$, or
  $w_j = 0 \ge b_j$) always qualify (then $r_0 = h$); so may *dispensable* ones, $v_j < 0 \ne w_j$, whose
  removal leaves $h \le 0$ off $P$. Each moves to any row $\ell'_j \in A$ with $v'_j \le 0$ (for those adding
  nothing, (iii) of :mod:`~semialg.families.bottleneck.local`): it stays off on $P$, and off $P$
  $h' \le r_0 \le 0$;
* $I$ the *shadowed*: neurons with $w_i = 0 \ge b_i$ and $v_i > 0$ (constant zero, or zero).

**Statement.** Let $\theta_1$ be near $\theta$, its inner network differing from $\theta$'s by such moves of the
shades, moves of the other neurons keeping $h$, or lowering it and keeping it on $P$, with the shades' parameters
kept, and a positive factor $\mu$ of $h$ (the output weights $c/\mu$; $\ell_{1,i} = \ell_i$ for $i \in I$). Then
$\theta_1$ is a member, and so is every $\theta_2$ equal to $\theta_1$ but for rows
$\ell_{2,i} = \sum_J t_{ij}\ell_{1,j} + \beta_i$ ($i \in I$) with $t_{ij} \ge 0$,
$\sum_I v_{1,i}t_{ij} \le |v_{1,j}|$ and $\beta_i < 0$.
*Proof.* $\sigma$ is subadditive and positively homogeneous, so
$\sigma(\ell_{2,i}) \le \sum_J t_{ij}\sigma(\ell_{1,j})$, and $\ell_{2,i} < 0$ where every $\ell_{1,j} \le 0$. Put
$r = h_1 - \sum_J v_{1,j}\sigma(\ell_{1,j})$: it does not depend on the shades' parameters, so $r \le \mu r_0 \le 0$
off $P$, and $r = \mu r_0 = \mu h$ on $\bar P$. Where every $\ell_{1,j} \le 0$ — on $\bar P$ among others —
$h_2 = h_1 = r$.
Elsewhere $x \notin \bar P$ and
$h_2 \le r + \sum_J (v_{1,j} + \sum_I v_{1,i}t_{ij})\sigma(\ell_{1,j}) \le r \le 0$. So
$\sigma(h_2) = \sigma(\mu h)$, and the same holds for $\theta_1$ ($t = 0$, no shadowed neuron). $\square$
(Also with the shades left at $\theta$ when some $v_j < 0$.) The condition $r_0 \le 0$ off $P$ is decided cell by
cell: a neuron of $J$ is off on every cell meeting $P$ (its row is non-positive on an open part of the cell), where
$r_0 = h$; on the others $r_0$ is affine, non-positive at the vertices and non-increasing along the rays.
Removing neurons with $v < 0$ raises $h$, so the sets $J$ that qualify are closed under subsets: the dispensable
neurons are added one at a time while the condition holds.

Under $h = -2\sigma(x) - 2\sigma(2x + 1) + 2 - \sigma(0)$ in 1-3-1-2 ($P = \{x < 0\}$) the neuron $\sigma(x)$ is
dispensable ($h$ without it is $-4x$ for $x > 0$): it moves to any $-v'\sigma(\alpha x + \beta)$, $\alpha \ge 0 \ge
\beta$, beside the zero neuron's $(\alpha', \beta', v')$ — local dimension 8 with the output scale and the rescaling of
$\sigma(2x + 1)$, where the moves that compose with all others give 6.

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

**Covered neurons.** A neuron with $v_k < 0$ and $\ell_k \in A$ may be needed off $P$, but only where $h$ has a
margin. Let $K$ be such neurons ($w_k \ne 0$), $h_{-K} = h - \sum_K v_k\sigma(\ell_k)$, and suppose
$h \le -\varepsilon(1 + |x|)$ on the closure of $\{x \notin P : h_{-K}(x) > 0\}$ ($|x|$ the distance to $L_h$, the
common kernel of the rows with $v \ne 0$, to which the rows of $A$ are orthogonal). Then the rows
$\ell'_k \in \ell_k + A$ and $v'_k$ near $v_k$ ($k \in K$) keep the function, composed with the moves of
:mod:`semialg.engine.tangent` that keep $h_{-K}$ up to the factor $\mu$, moves lowering $h$ and keeping it on $P$
that leave $K$ alone, and the moves of hidden neurons (ii) of :mod:`~semialg.families.bottleneck.local` (those
with $h \le -\varepsilon(1 + |x|)$ near their $S_j$, changing $h$ only there). *Proof.* On $\bar P$ every
$\ell'_k \le 0$ and nothing changes. Off $P$, a point where $h \le -\varepsilon'(1 + |x|)$ (a margin of (ii) or of
$K$) sees changes of at most $C\delta(1 + |x|)$ from every move ($\sigma$ is 1-Lipschitz, the rows move in
$L_h^\perp$) or lowerings, so $h' < 0$ there for small moves. Elsewhere $h_{-K} \le 0$, and only the moves keeping
or lowering $h_{-K}$ act, so $h' \le \mu h_{-K} + \sum_K v'_k\sigma(\ell'_k) \le 0$. $\square$ The margin is read
cell by cell as for (ii), on the cells missing $P$ where $h_{-K}$ is positive somewhere (there $\{h_{-K} \ge 0\}$
is the closure of $\{h_{-K} > 0\}$); $K$ grows one neuron at a time while it holds ($h_{-K}$ rises with $K$).
Under $h = 2\sigma(-2x - 8) - 2\sigma(-3x + 1) + \sigma(x - 1)$ in 1-3-1-2 ($P = (1, \infty)$, $h = 2x - 18$ left of
$-4$) the neuron $-2\sigma(-3x + 1)$ is needed only where $x < -4$ and moves in $A$ with its $v$: local dimension 9
(with $\mu$, the translation and rescaling of $\sigma(x - 1)$ and the three parameters of $\sigma(-2x - 8)$ (ii)),
where the other families give 7 (survey case 2:13).

**Constant neurons leaning on an active neuron.** Let $k$ be a constant neuron ($w_k = 0$, $b_k > 0$, $v_k \ne 0$)
and $j$ a used neuron with $w_j \ne 0$ and $\ell_j \ge 0$ on $\bar P$, and suppose $v_k > 0$, or
$h_{-k} = h - v_k\sigma(\ell_k) \le 0$ on $\{\ell_j \le 0\}$. Let $\theta_1$ be near $\theta$, differing from it by
moves keeping $h$ up to the factor $\mu$ or lowering it and keeping it on $P$, that keep $k$ constant, $v_kb_k$
(up to $\mu$) or raise it, and $j$'s row up to a positive factor or raise $b_j$ — the moves of
:mod:`semialg.engine.tangent` moving neither row nor $v_k$ (but for $\mu$), the rescalings of $j$ and $k$, the trade
$\delta v_k = 1$, $\delta e = -b_k$, lowering moves leaving $k$ alone and moving $j$ by $\delta b_j > 0$ only, the
shades adding nothing moving in $A$ (as above) and $\delta v_i = -1$ for the other neurons with $\ell_i \in A$ — and
the dispensable shades moving in $A$ too when $v_k > 0$ or $h_{-k}$ without them,
$r_{0,-k} = r_0 - v_k\sigma(\ell_k)$, is $\le 0$ on $\{\ell_j \le 0\}$ (their $v$ kept but for $\mu$). Then
so is, for every $t \ge 0$, $\theta_2$ with $(w_{2,k}, b_{2,k}) = (w_{1,k}, b_{1,k}) + t(w_{1,j}, b_{1,j})$ and
$v_{2,j} = v_{1,j} - tv_{1,k}$ (*leaning*).
*Proof.* $\theta_1$ keeps the hypotheses: $\ell_{1,j} \ge \lambda\ell_j$ ($\lambda > 0$), $h_1 \le \mu h$ with
equality on $\bar P$, and $h_{1,-k} \le \mu h_{-k}$. Where $\ell_{1,j} \ge 0$ — on $\bar P$ among others — both
neurons are on for both parameters, and $h_2 - h_1 = v_{1,k}t\ell_{1,j} - tv_{1,k}\ell_{1,j} = 0$. Where
$\ell_{1,j} < 0$ (off $P$) neuron $j$ is off, and $h_2 = h_{1,-k} + v_{1,k}\sigma(b_{1,k} + t\ell_{1,j})$ with
$0 \le \sigma(b_{1,k} + t\ell_{1,j}) \le b_{1,k}$: so $h_2 \le h_1 \le 0$ if $v_k > 0$, and
$h_2 \le h_{1,-k} \le \mu h_{-k} \le 0$ if $v_k < 0$; with dispensable shades moved,
$h_{1,-k} = r - v_{1,k}b_{1,k} + \sum_J v_{1,j}\sigma(\ell_{1,j}) \le \mu r_{0,-k} \le 0$ instead ($r$ as above). $\square$
The condition is read cell by cell (the cells on
the side $\ell_j \le 0$, where $h_{-k}$ is affine: at their vertices, its slope along their rays). Under
$h = 2\sigma(x_1 - x_2 - x_3 - 9) - \sigma(1) - 2 - 2\sigma(0)$ in 3-3-1-2 ($P = \{x_1 - x_2 - x_3 > 21/2\}$,
$h_{-k} = -2$ where $x_1 - x_2 - x_3 \le 9$) the constant neuron leans on the other: local dimension 9 (with $\mu$,
the rescaling, translation and leaning of $\sigma(x_1 - x_2 - x_3 - 9)$, the rescaling and trade of $\sigma(1)$ and
the zero neuron's row in $A$ with its $v$), where the other families give 8 (survey case 3:92).

>>> from semialg.core.network import Network
>>> from semialg.engine.tangent import local_dimension_bounds as first_order
>>> from semialg.families.bottleneck.local import local_dimension_bounds
>>> net = Network.from_arrays([[[0, 0, 0], [0, 0, 0], [0, 0, -7]], [[-1, 2, 1]], [[1], [-1]]],
...                           [[0, -3, 1], [0], [0, 1]])
>>> first_order(net), local_dimension_bounds(net)
((6, 14), (9, 9))
>>> net = Network.from_arrays([[[1], [2], [0]], [[-2, -2, -1]], [[1], [2]]], [[0, 1, 0], [2], [0, 0]])
>>> shades_and_shadowed(net)[0], local_dimension_bounds(net)        # sigma(x) dispensable beside the zero neuron
([0, 2], (8, 8))
"""

from __future__ import annotations

from typing import Sequence

from flint import fmpq

from semialg.core.exact import dot, rank, row_basis, sparse_vector
from semialg.core.network import Network
from semialg.engine.tangent import move_directions, parameter_offsets
from semialg.families.bottleneck.cell_cones import cell_cones, cut_generators, level, live_rows_basis, \
    modulo_lineality, ray_key
from semialg.families.bottleneck.views import OuterView
from semialg.geometry.cone import dual_cone_spanning_rows

__all__ = ["covered_lower_bound", "covered_neurons", "leaning_lower_bound", "leaning_pairs", "shades_and_shadowed",
           "shadow_directions", "shadow_lower_bound"]

_ZERO, _ONE = fmpq(0), fmpq(1)


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
    view, (cones, pbar) = OuterView.of(net), _cells_and_pbar(net)
    if not pbar:
        return [], [], []
    rows = [tuple(w) + (b,) for w, b in zip(view.w, view.b, strict=True)]
    shadowed = [i for i, (w, b, v) in enumerate(zip(view.w, view.b, view.v, strict=True)) if not any(w) and b <= 0 < v]
    in_a = [j for j in _rows_in_a(net) if view.v[j] <= 0]
    shades = [j for j in in_a if view.v[j] == 0 or not any(view.w[j]) and view.b[j] <= 0]
    off = [gens for gens in cones if not any(val > 0 for _, _, val in gens)]      # the cells missing P
    for j in in_a:          # dispensable: a larger J only raises r_0, so one at a time while r_0 <= 0 off P
        if j not in shades and _unneeded(off, rows, view.v, shades + [j]):
            shades.append(j)
    return sorted(shades), shadowed, dual_cone_spanning_rows(pbar)


def _cells_and_pbar(net: Network) -> tuple[list[list] | None, list[tuple]]:
    r"""The cells' generators (:func:`~semialg.families.bottleneck.cell_cones.cell_cones`) and the generators of the
    cone over $\bar P$; ``(None, [])`` when $c = 0$ or the cells are not enumerated."""
    if not any(OuterView.of(net).c) or (cones := cell_cones(net)) is None:
        return None, []
    positive = [gens for gens in cones if any(val > 0 for _, _, val in gens)]
    return cones, list({ray_key(g): g for gens in positive for g in cut_generators(gens)}.values())


def _rows_in_a(net: Network) -> list[int]:
    r"""The neurons whose rows lie in $A$ (non-positive on $\bar P$); none when $P$ is empty or not computed."""
    _, pbar = _cells_and_pbar(net)
    view = OuterView.of(net)
    return [j for j, (w, b) in enumerate(zip(view.w, view.b, strict=True))
            if pbar and all(dot(tuple(w) + (b,), g) <= 0 for g in pbar)]


def _dispensable(view: OuterView, shades: list[int]) -> list[int]:
    r"""The shades that add something to $h$: $v_j < 0$, $w_j \ne 0$."""
    return [j for j in shades if view.v[j] < 0 and any(view.w[j])]


def _unneeded(off: list[list], rows: list[tuple], v, J: list[int]) -> bool:
    r"""Whether $r_0 = h - \sum_J v_j\sigma(\ell_j) \le 0$ on the cells ``off`` (the cells missing $P$, as
    generators): at each vertex, and its slope along each ray ($\sigma$ of the homogenised $\ell_j$ is $\ell_j$'s
    value or slope where $j$ is on, 0 where it is off)."""
    return all(val - sum((v[j] * max(dot(rows[j], g), _ZERO) for j in J), _ZERO) <= 0
               for gens in off for g, _, val in gens)


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
    view, n0, D = OuterView.of(net), net.widths[0], net.architecture.num_parameters
    if not shades or not shadowed and not _dispensable(view, shades):
        return [], [], [], []
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
    ``withdrawn``; they keep $h$ up to a positive factor) that move no row of a shade nor $w_i$ of a shadowed neuron
    nor the $v$ of a dispensable shade (but for $\mu$), the moves of ``lowering`` (downhill translations and zero
    neurons waking as twins, which only lower $h$) that move no parameter of either, $\delta v_k = -1$ for the other
    neurons $k$ with $\ell_k \in A$ (off on $\bar P$, they only lower $h$ so), and :func:`shadow_directions`; 0 when
    there is no shade, or neither a shadowed neuron nor a dispensable shade.
    Cost: :func:`shadow_directions` and one exact rank of $O(D)$ vectors of length $D$.

    >>> from semialg.core.network import Network
    >>> from semialg.families.bottleneck.local import downhill_translations
    >>> net = Network.from_arrays([[[0], [0], [-7]], [[-1, 2, 1]], [[1]]], [[0, -3, 1], [0], [0]])
    >>> shadow_lower_bound(net, [], []), shadow_lower_bound(net, downhill_translations(net), [])   # h = s(1 - 7x)
    (8, 9)
    """
    moves, wakings, shades, shadowed = shadow_directions(net)
    if not moves:
        return 0
    return rank(_moves_keeping(net, lowering, withdrawn, shades, shadowed, _dispensable(OuterView.of(net), shades))
                + moves + wakings)


def covered_neurons(net: Network) -> list[int]:
    r"""The covered neurons $K$ of the module docstring, added one at a time (in order) while the margin holds:
    $v_k < 0$, $w_k \ne 0$, $\ell_k \in A$, and $\tilde h < 0$ on the cone over each cell's part of
    $\{h_{-K} \ge 0\}$ off $P$ modulo $L_h$ (:func:`~semialg.families.bottleneck.cell_cones.level` 2 on the cells
    missing $P$ where $h_{-K}$ is positive somewhere; elsewhere $h_{-K} \le 0$). Empty when $c = 0$, $P$ is empty
    or the cells are not enumerated. Cost: per candidate, $O(G^2)$ generator pairs for each of the cells' $G$
    generators.

    >>> from semialg.core.network import Network
    >>> net = Network.from_arrays([[[-2], [-3], [1]], [[2, -2, 1]], [[1], [2]]], [[-8, 1, -1], [0], [0, 0]])
    >>> covered_neurons(net)        # -2 s(-3x + 1) covers 2 s(-2x - 8) where h = 2x - 18, P = (1, oo)
    [1]
    """
    view, (cones, pbar) = OuterView.of(net), _cells_and_pbar(net)
    if not pbar:
        return []
    basis = live_rows_basis(view)
    off = [modulo_lineality(gens, basis) for gens in cones if not any(val > 0 for _, _, val in gens)]
    rows = [tuple(w) + (b,) for w, b in zip(view.w, view.b, strict=True)]
    covered: list[int] = []
    for k in _rows_in_a(net):
        if view.v[k] < 0 and any(view.w[k]) and all(
                not any(z > 0 for z in zs) or level(zs, gens) == 2
                for gens in off for zs in [_left_by(gens, rows, view.v, covered + [k])]):
            covered.append(k)
    return covered


def _left_by(gens: list, rows: list[tuple], v, K: list[int]) -> list:
    r"""$\tilde h_{-K} = \tilde h - \sum_K v_k\sigma(\tilde\ell_k)$ at a cell's generators (linear on its cone:
    $\sigma(\tilde\ell_k)$ is $\tilde\ell_k$ where $k$ is on, 0 where it is off)."""
    return [val - sum((v[k] * max(dot(rows[k], g), _ZERO) for k in K), _ZERO) for g, _, val in gens]


def covered_lower_bound(net: Network, lowering: list[list[fmpq]], withdrawn: list[list[fmpq]]) -> int:
    r"""The lower bound of the module docstring's covered neurons $K$ (:func:`covered_neurons`): the rank of the
    moves of :mod:`semialg.engine.tangent` (less ``withdrawn``) that move no row of $K$ nor its $v$ (but for
    $\mu$), the moves of ``lowering`` (moves lowering $h$ and keeping it on $P$, and robust moves of hidden neurons,
    changing $h$ only where $h \le -\varepsilon(1 + |x|)$) that move no parameter of $K$, $\delta v_i = -1$ for the
    other neurons with $\ell_i \in A$, and rows of $A$ and $\delta v_k$ on each $k \in K$; 0 when $K$ is empty.
    Cost: that of :func:`covered_neurons` and one exact rank of $O(D)$ vectors of length $D$.

    >>> from semialg.core.network import Network
    >>> net = Network.from_arrays([[[-2], [-3], [1]], [[2, -2, 1]], [[1], [2]]], [[-8, 1, -1], [0], [0, 0]])
    >>> covered_lower_bound(net, [], [])      # mu, two rescalings, v of s(-2x - 8) lowered, s(-3x + 1) in A with v
    7
    """
    K = covered_neurons(net)
    if not K:
        return 0
    _, pbar = _cells_and_pbar(net)
    n0, D = net.widths[0], net.architecture.num_parameters
    (W_at, v_at, _), (b_at, _, _) = parameter_offsets(net.architecture)
    moves = [sparse_vector(D, *((W_at + k * n0 + p, x) for p, x in enumerate(a[:n0])), (b_at + k, a[n0]))
             for k in K for a in dual_cone_spanning_rows(pbar)] + [sparse_vector(D, (v_at + k, _ONE)) for k in K]
    return rank(_moves_keeping(net, lowering, withdrawn, K, [], K) + moves)


def leaning_pairs(net: Network, without: Sequence[int] = ()) -> list[tuple[int, int]]:
    r"""The pairs $(k, j)$ of the module docstring's constant neurons leaning on an active neuron: $k$ constant with
    $b_k > 0$ and $v_k \ne 0$, $j$ used with $w_j \ne 0$ and $\ell_j \ge 0$ on $\bar P$, and $v_k > 0$ or
    $h_{-k} \le 0$ (without the neurons ``without`` too) on the cells where $\ell_j \le 0$ (at their vertices,
    non-increasing along their rays). Empty when
    $c = 0$, $P$ is empty or the cells are not enumerated. Cost: $O(n_1^2)$ pairs, each $O(G)$ for the cells' $G$
    generators.

    >>> from semialg.core.network import Network
    >>> net = Network.from_arrays([[[0, 0, 0], [0, 0, 0], [1, -1, -1]], [[-2, -1, 2]], [[1], [-1]]],
    ...                           [[0, 1, -9], [-2], [0, 1]])
    >>> leaning_pairs(net)      # sigma(1) leans on sigma(x1 - x2 - x3 - 9), h without it being -2 where that is off
    [(1, 2)]
    """
    view, (cones, pbar) = OuterView.of(net), _cells_and_pbar(net)
    if not pbar:
        return []
    rows = [tuple(w) + (b,) for w, b in zip(view.w, view.b, strict=True)]
    active = [j for j, row in enumerate(rows) if view.v[j] and any(view.w[j]) and all(dot(row, g) >= 0 for g in pbar)]

    def unneeded_off(k: int, j: int) -> bool:
        for gens in cones:
            side = [dot(rows[j], g) for g, _, _ in gens]
            if any(z > 0 for z in side) and any(z < 0 for z in side):
                return False        # not a cell of an arrangement with j's hyperplane: not decided here
            if not any(z > 0 for z in side) and any(z > 0 for z in _left_by(gens, rows, view.v, [k, *without])):
                return False
        return True

    return [(k, j) for k in range(len(rows)) if not any(view.w[k]) and view.b[k] > 0 and view.v[k]
            for j in active if view.v[k] > 0 or unneeded_off(k, j)]


def leaning_lower_bound(net: Network, lowering: list[list[fmpq]], withdrawn: list[list[fmpq]]) -> int:
    r"""The lower bound of the module docstring's constant neurons leaning on an active neuron, the largest over
    :func:`leaning_pairs` $(k, j)$: the rank of the moves $\theta_1$ is made of there (those of
    :mod:`semialg.engine.tangent` less ``withdrawn``, of ``lowering``; the dispensable shades' where the pair leans
    without them, :func:`leaning_pairs` ``without`` them), with the leaning
    $\delta(w_k, b_k) = (w_j, b_j)$, $\delta v_j = -v_k$; 0 when there is no pair. Cost: that of
    :func:`leaning_pairs` and :func:`shades_and_shadowed`, and one exact rank of $O(D)$ vectors of length $D$ per
    pair.

    >>> from semialg.core.network import Network
    >>> from semialg.families.bottleneck.local import downhill_translations
    >>> net = Network.from_arrays([[[0, 0, 0], [0, 0, 0], [1, -1, -1]], [[-2, -1, 2]], [[1], [-1]]],
    ...                           [[0, 1, -9], [-2], [0, 1]])
    >>> leaning_lower_bound(net, [], []), leaning_lower_bound(net, downhill_translations(net), [])
    (8, 9)
    """
    pairs = leaning_pairs(net)
    if not pairs:
        return 0
    view, n0, D = OuterView.of(net), net.widths[0], net.architecture.num_parameters
    (W_at, v_at, _), (b_at, e_at, _) = parameter_offsets(net.architecture)
    shades, _, inside = shades_and_shadowed(net)
    quiet = [i for i in shades if not view.v[i] or not any(view.w[i]) and view.b[i] <= 0]     # adding nothing
    dispensable = _dispensable(view, shades)
    wide = set(leaning_pairs(net, dispensable)) if dispensable else set()

    def row(i: int, values) -> list[tuple]:
        return [(W_at + i * n0 + p, x) for p, x in enumerate(values[:n0])] + [(b_at + i, values[n0])]

    def at(i: int) -> list[int]:
        return [W_at + i * n0 + p for p in range(n0)] + [b_at + i, v_at + i]

    def moving(J: list[int]) -> list[list[fmpq]]:       # the shades of J anywhere in A with v lowered
        return [sparse_vector(D, *row(i, a)) for i in J for a in inside] + [sparse_vector(D, (v_at + i, -_ONE))
                                                                          for i in J]

    best = 0
    for k, j in pairs:
        movers, kept = (shades, dispensable) if (k, j) in wide else (quiet, [])
        rows = {i: tuple(view.w[i]) + (view.b[i],) for i in (j, k)}
        own = [sparse_vector(D, *row(i, rows[i]), (v_at + i, -view.v[i])) for i in (j, k)]
        own.append(sparse_vector(D, (v_at + k, _ONE), (e_at, -view.b[k])))      # raising v_k b_k
        raising = [m for m in lowering if not any(m[q] for i in [k] + movers for q in at(i))
                   and not any(m[q] for q in at(j)[:n0]) and m[b_at + j] > 0]
        lean = sparse_vector(D, *row(k, rows[j]), (v_at + j, -view.v[k]))
        best = max(best, rank(_moves_keeping(net, lowering, withdrawn, [j, k] + movers, [], [k] + kept) + own
                              + raising + moving(movers) + [lean]))
    return best


def _moves_keeping(net: Network, lowering: list[list[fmpq]], withdrawn: list[list[fmpq]], J: list[int],
                   I: list[int], scaled: list[int]) -> list[list[fmpq]]:
    r"""The moves a family of this module composes with: those of :mod:`semialg.engine.tangent` (less
    ``withdrawn``) that move no row of $J$, no $w_i$ of $I$ and no $v$ of ``scaled`` but by the factor $\mu$ (the
    rescaling of $h$, the one move touching $c$: a move trading such a neuron's $v$ with a twin's keeps $h$, not
    what the family needs), those of ``lowering`` that move no parameter of $J$ or $I$, and $\delta v_i = -1$ for
    the other neurons with $\ell_i \in A$ (off on $\bar P$, lowering $v_i$ only lowers $h$, keeping it on $P$)."""
    n0, D = net.widths[0], net.architecture.num_parameters
    (W_at, v_at, c_at), (b_at, _, _) = parameter_offsets(net.architecture)

    def row(m, j) -> list:
        return list(m[W_at + j * n0: W_at + (j + 1) * n0]) + [m[b_at + j]]

    def touches(m, j) -> bool:
        return any(row(m, j)) or bool(m[v_at + j])

    out = [m for m in move_directions(net) if m not in withdrawn and not any(any(row(m, j)) for j in J)
           and not any(any(row(m, i)[:n0]) for i in I) and (any(m[c_at:]) or not any(m[v_at + j] for j in scaled))]
    out += [m for m in lowering if not any(touches(m, j) for j in J + I)]
    return out + [sparse_vector(D, (v_at + i, -_ONE)) for i in _rows_in_a(net) if i not in J + I]
