r"""Trades of the affine part on $P$ among the first-layer neurons active on all of it (case (a)).

For $f = c\,\sigma(h) + d$, $h(x) = \sum_i v_i\sigma(\ell_i(x)) + e$, $\ell_i(x) = w_i\cdot x + b_i$, let $T$ be a
set of neurons with $\ell_k > 0$ on $\bar P$ ($P = \{h > 0\}$ non-empty, $c \ne 0$) — U$+$ neurons, unused
neurons facing $P$, constant neurons with $b_k > 0$ — one of them with $v_{k_0} \ne 0$, and
$M = \bigcup_{j \ne k \in T}\{\ell_j \ge 0 \ge \ell_k\}$ the closed set where they do not all agree.

**Statement.** If the homogenised $\tilde h$ is negative on the closed cone over $M$ (the origin excepted), i.e.
$h \le -\varepsilon(1 + \|x\|)$ on $M$, then every parameter near $\theta$ that differs from it only in
$(v_k, w_k, b_k)_{k \in T}$ and keeps $\sum_{k \in T}v_k(w_k, b_k)$ computes $f$. This family is a manifold
through $\theta$ of codimension $n_0 + 1$ in those coordinates (the map is a submersion: its derivative in
$(w_{k_0}, b_{k_0})$ is $v_{k_0}$ times the identity), so its tangent space — the *trades* $\delta v_k = 1$,
$\delta(w_{k_0}, b_{k_0}) = -(w_k, b_k)/v_{k_0}$ and $\delta(w_k, b_k) = u$,
$\delta(w_{k_0}, b_{k_0}) = -v_ku/v_{k_0}$ — counts for the lower bound.
*Proof.* For $\theta'$ in the family within $t$ of $\theta$, $h' = h$ where every neuron of $T$ is active for both
(the affine parts agree) or inactive for both. Elsewhere some $\ell_k$ or $\ell'_k$ changes sign, so $x$ lies
within $O(t)(1 + \|x\|)$ of $M$, where $h \le -\varepsilon'(1 + \|x\|)$ by compactness of the cone's trace on the
sphere, while $|h' - h| \le Ct(1 + \|x\|)$: for small $t$, $h' < 0$ there and on $P$, which stays away from $M$,
$h' = h$. So $\sigma(h') = \sigma(h)$. $\square$ The family changes $h$ only where it is negative with a margin,
so it composes with the other moves of :mod:`~semialg.families.bottleneck.local`. It extends the weight trades of
the U$+$ neurons there (whose condition, $h \le -\varepsilon(1 + \|x\|)$ on each whole inactive half-space, is
stronger) to unused neurons gaining an output weight, and needs no margin where the neurons of $T$ agree (in one
dimension: beyond all their kinks). When all of $T$ fails the condition, pairs $\{k_0, k\}$ are tried.

*Affine pairs.* Two neurons on one hyperplane with opposite rows $s\lambda_k\ell$, $-s\lambda_m\ell$ and
$v_k\lambda_k = -v_m\lambda_m$ (unused ones included) compute $v_k\lambda_k\,s\,\ell$ everywhere, like a neuron
that is never inactive: they join $T$, raising $v_k\lambda_k$ with $v_{k_0}\ell_{k_0}$ giving up $s\,\ell$, when
$\tilde h < 0$ on the cone over $M \cup \bigcup_{k \in T}\{\ell_k \le 0\}$ (where they disagree with $T$).

*Constant neurons tilting far away* (:func:`constant_neuron_tilts`). Constant neurons with $b_k > 0$ disagree
with any tilt of theirs only far out, so the condition above fails at infinity; one-sided tilts need less. Let
$A$ be the constant neurons with $b_k > 0$ and $v_k \ne 0$, and $\Delta$ the open cone of directions
$d \perp L_h$ with $h_\infty < 0$ on the closed half-sphere $\{r : d\cdot r \ge 0\}$ of the quotient by $L_h$ (the
common kernel of the rows with $v \ne 0$; :func:`~semialg.families.bottleneck.cell_cones.far_directions`). Then
$w'_k = -t\alpha_kd_k$ ($k \in A$, $\alpha_k \ge 0$, $d_k \in \Delta$) with $\sum_A v_k\alpha_kd_k = 0$ keeps $f$
for small $t > 0$. *Proof.* Where every tilted neuron is still active, $h' - h = -t\sum_A v_k\alpha_kd_k\cdot x
= 0$. Elsewhere some $d_k\cdot x \ge b_k/(t\alpha_k)$, so the component $x_\perp$ of $x$ orthogonal to $L_h$ has
$|x_\perp| \ge b_k/(t\alpha_k|d_k|)$ and direction in the closed half-sphere of $d_k$, where (by compactness)
$h(x) = h(x_\perp) \le -\delta|x_\perp|$ once $|x_\perp|$ is large; and $|h' - h| \le t\sum_A|v_k|\alpha_k
|d_k\cdot x_\perp| \le Ct|x_\perp|$: $h' < 0$ and $h < 0$ there. $\square$ With $v$ of both signs in $A$ the
pairs $\delta w_p = v_qd$, $\delta w_q = -v_pd$ ($v_p > 0 > v_q$, $d \in \Delta$) generate a cone of such moves
whose span has dimension $(|A| - 1)\dim L_h^\perp$; they change $h$ only where $h \le -\delta|x_\perp|$, like
the silent neurons waking far away of :mod:`~semialg.families.bottleneck.local`, and compose as those do. Under
$h = \sigma(2) - 2\sigma(2x - 3/2) - \sigma(3) + 2$ in 1-3-1-2 ($P = (-\infty, 1)$) the two constant neurons tilt
together to the left, active on $P$ with cancelling slopes, off only far right where $h \approx -4x$: local
dimension 7, by hand.

>>> from semialg.core.network import Network
>>> net = Network.from_arrays([[[3], [2]], [[1, 0]], [[1]]], [[-1, -1/2], [-2], [0]])   # h = s(3x - 1) - 2
>>> len(affine_part_trades(net))      # the unused s(2x - 1/2) gains v, s(3x - 1) absorbs it on P = {x > 1}
3
"""

from __future__ import annotations

import functools
import itertools
import time

from flint import fmpq

from semialg.core.exact import dot, fingerprint, normalise_row, sparse_vector
from semialg.core.network import Network
from semialg.engine.tangent import parameter_offsets
from semialg.families.bottleneck.cell_cones import cell_cones, cut_generators, far_directions, level
from semialg.families.bottleneck.views import OuterView

__all__ = ["affine_part_trades", "agree_off_p", "constant_neuron_tilts"]

_ZERO, _ONE = fmpq(0), fmpq(1)


def affine_part_trades(net: Network, deadline: float | None = None) -> list[list[fmpq]]:
    r"""The trades of the module docstring for the largest set $T$ of neurons with $\ell_k > 0$ on $\bar P$ that
    satisfies its condition (all of them, else each pair with the first neuron of non-zero output weight), as
    flat parameter directions; ``[]`` when $c = 0$, $P$ is empty or the cells' generators are not enumerated
    (:func:`~semialg.families.bottleneck.cell_cones.cell_cones`). Past ``deadline`` (a ``time.monotonic()``
    value) no more pairs are tried: the trades of the pairs found (a smaller $T$) are returned. Cost: $O(|T|^2)$
    cuts of the $O(G^2)$ generator pairs of each cell with $G$ generators.
    """
    view = OuterView.of(net)
    cones = cell_cones(net) if any(view.c) else None
    if cones is None:
        return []
    pbar = [g for gens in cones if any(val > 0 for _, _, val in gens) for g in cut_generators(gens)]
    rows = [tuple(w) + (b,) for w, b in zip(view.w, view.b, strict=True)]
    facing = [k for k, row in enumerate(rows) if any(row) and pbar
              and all(dot(row, g) > 0 if g[-1] != 0 else dot(row, g) >= 0 for g in pbar)]
    anchors = [k for k in facing if view.v[k] != 0]
    if not anchors:
        return []
    k0 = anchors[0]
    if deadline is not None and time.monotonic() > deadline:
        return []
    if agree_off_p(cones, [rows[k] for k in facing], deadline):
        groups = [facing]
    else:
        groups = [[k0, k] for k in facing if k != k0 and agree_off_p(cones, [rows[k0], rows[k]], deadline)]
    members = sorted({k0}.union(*groups))
    n0 = net.widths[0]
    (W_at, v_at, _), (b_at, _, _) = parameter_offsets(net.architecture)
    unit = functools.partial(sparse_vector, net.architecture.num_parameters)

    def row_at(k, vector, scale):       # the entries of (w_k, b_k) moved by scale * vector
        return [(W_at + k * n0 + j, scale * x) for j, x in enumerate(vector[:n0])] + [(b_at + k, scale * vector[n0])]

    out = []
    for k in (k for k in members if k != k0):
        out.append(unit((v_at + k, _ONE), *row_at(k0, rows[k], -1 / view.v[k0])))
        out += [unit(*row_at(k, u, _ONE), *row_at(k0, u, -view.v[k] / view.v[k0]))
                for u in (_axis(j, n0 + 1) for j in range(n0 + 1))]
    pairs = [p for p in _affine_pairs(view) if not set(p[:2]) & set(members)]
    # an affine pair is active everywhere (its affine part is exact): it disagrees with T where one of T is off
    if pairs and all(level([-dot(rows[k], g) for g, _, _ in gens], gens) == 2 for gens in cones for k in members):
        for k, m, key, lam_k, lam_m, sign in pairs:
            out.append(unit((v_at + k, 1 / lam_k), (v_at + m, -1 / lam_m), *row_at(k0, key, -sign / view.v[k0])))
    return out


def constant_neuron_tilts(net: Network) -> list[list[fmpq]]:
    r"""The one-sided moves of the module docstring (*constant neurons tilting far away*) of a case-(a) parameter
    with $c \ne 0$: for the constant neurons with $b > 0$, $v \ne 0$, pairs $(p_0, q)$ and $(p, q_0)$ of opposite
    signs of $v$ and each direction $d$ of :func:`~semialg.families.bottleneck.cell_cones.far_directions`,
    $\delta w_p = v_qd$, $\delta w_q = -v_pd$; ``[]`` when there are none or the cells' generators are not
    enumerated. Cost: that of :func:`~semialg.families.bottleneck.cell_cones.far_directions`.

    >>> from semialg.core.network import Network
    >>> net = Network.from_arrays([[[0], [2], [0]], [[1, -2, -1]], [[1], [-1]]], [[2, "-3/2", 3], [2], [0, 1]])
    >>> constant_neuron_tilts(net)[0][:3]    # h = 1 - 2 s(2x - 3/2): both tilt left (d = 1), slopes cancelling
    [-3, 0, -3]
    """
    view = OuterView.of(net)
    active = [k for k, (w, b, v) in enumerate(zip(view.w, view.b, view.v, strict=True)) if not any(w) and b > 0 < v * v]
    up, down = [k for k in active if view.v[k] > 0], [k for k in active if view.v[k] < 0]
    if not any(view.c) or not up or not down or (cones := cell_cones(net)) is None:
        return []
    n0 = net.widths[0]
    (W_at, _, _), _ = parameter_offsets(net.architecture)
    unit = functools.partial(sparse_vector, net.architecture.num_parameters)
    return [unit(*((W_at + p * n0 + j, view.v[q] * x) for j, x in enumerate(d)),
                 *((W_at + q * n0 + j, -view.v[p] * x) for j, x in enumerate(d)))
            for p, q in [(up[0], q) for q in down] + [(p, down[0]) for p in up[1:]] for d in far_directions(cones, view)]


def _affine_pairs(view: OuterView) -> list[tuple]:
    r"""Disjoint pairs $(k, m, \ell, \lambda_k, \lambda_m)$ of neurons on one hyperplane with opposite rows
    $\pm\lambda\ell$ ($\ell$ normalised) and $v_k\lambda_k = -v_m\lambda_m$: together they compute
    $v_k\lambda_k(\sigma(\pm\ell) - \sigma(\mp\ell))$, affine; raising $v_k\lambda_k$ adds $\pm\ell$ everywhere."""
    seen: dict = {}
    for k, (w, b) in enumerate(zip(view.w, view.b, strict=True)):
        if any(w):
            key, scale, sign = normalise_row(tuple(w) + (b,))
            seen.setdefault(fingerprint(key), (key, []))[1].append((k, scale, sign))
    out = []
    for key, group in seen.values():
        free = list(group)
        while free:
            k, lam_k, s_k = free.pop(0)
            partner = next((x for x in free if x[2] == -s_k and view.v[k] * lam_k == -view.v[x[0]] * x[1]), None)
            if partner is not None:
                free.remove(partner)
                out.append((k, partner[0], key, lam_k, partner[1], s_k))
    return out


def _axis(j: int, n: int) -> tuple:
    return tuple(_ONE if i == j else _ZERO for i in range(n))


def agree_off_p(cones, rows, deadline: float | None = None) -> bool:
    r"""Whether $\tilde h < 0$ on the cone over every $\{\ell_j \ge 0 \ge \ell_k\}$ ($j \ne k$ among ``rows``)
    within every cell: the cell's generators cut by $\ell_j \ge 0$, then tested on $-\ell_k \ge 0$ (homogenised:
    for a constant row $(0, b)$, $b > 0$, the rays at infinity, where a tilted row turns off). ``False`` (no claim)
    once ``deadline`` has passed."""
    for gens in cones:
        if deadline is not None and time.monotonic() > deadline:
            return False
        for a, b in itertools.permutations(rows, 2):
            cut = _cut(gens, [dot(a, g) for g, _, _ in gens])
            if cut and level([-dot(b, g) for g, _, _ in cut], cut) < 2:
                return False
    return True


def _cut(gens, zs) -> list:
    """Generators (triples as :func:`~semialg.families.bottleneck.cell_cones.cell_cones` gives them) of a cell's
    cone cut by the half-space $z \\ge 0$ (values ``zs`` at the generators): those on its side and, per pair
    across it, the positive combination on $z = 0$."""
    out = [x for z, x in zip(zs, gens, strict=True) if z >= 0]
    for (zi, (gi, ti, vi)), (zj, (gj, tj, vj)) in itertools.product(zip(zs, gens), zip(zs, gens)):
        if zi > 0 > zj:
            out.append((tuple(zi * b - zj * a for a, b in zip(gi, gj, strict=True)), zi * tj - zj * ti,
                        zi * vj - zj * vi))
    return out
