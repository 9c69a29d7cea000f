r"""The dimension of a case-(a) bottleneck fibre at one of its points: the first-order bounds of
:mod:`semialg.engine.tangent`, with equations from the kinks that $P = \{h > 0\}$ shows or keeps off it
(:mod:`~semialg.families.bottleneck.kink_equations`) and moves of the hidden neurons.

For $f = c\,\sigma(h) + d$ with $h(x) = \sum_i v_i\sigma(w_i\cdot x + b_i) + e$ (Grigsby et al., *Functional
dimension of feedforward ReLU neural networks*, 2022, for the first-order view of fibres):

**Robustly hidden neurons.** Let $S_k$ be the closed active half-space of a U$-$ neuron $k$ (its
active side misses $P$), or the closed inactive half-space of a U$+$ neuron (its inactive side misses $P$; it is
affine on $P$). (i) If $\sup_{S_k} h < 0$, translating the neuron keeps the function: its bias for U$-$, its bias
traded with $e$ ($\delta e = -v_k\delta b_k$) for U$+$. (ii) If moreover $h \le -\varepsilon(1 + |x|)$ on $S_k$ —
the homogenised $h$ is negative on the closed cone over $S_k$ — every small move of $(w_k, b_k, v_k)$ (U$-$), and
every small move of the rows of such U$+$ neurons keeping $\sum v_k w_k$ (the trades
$\delta w_{k,j} = v_{k_0}$, $\delta w_{k_0,j} = -v_k$), keeps the function. Both are decided cell by cell from
the vertices and rays of the arrangement. *Proof.* A translation by $\delta$ changes $h$ by at most
$|v_k\delta|$, a move of the row by at most $C\delta(1 + |x|)$, and only near $S_k$: within distance $O(\delta)$
of it, resp. on a cone-shaped neighbourhood of it. There $h$ stays below $-\varepsilon$, resp.
$-\varepsilon(1 + |x|)$ ($h$ is Lipschitz), so that neighbourhood misses $\bar P$: on $P$ U$-$ neurons stay off
and U$+$ neurons on (their affine part is kept), $h' = h$; off $P$, $h' \le 0$. So $\sigma(h') = \sigma(h)$.
$\square$ Modulo the common kernel $L_h$ of the rows with $v \ne 0$ the same holds, read with $|x|$ the distance
to $L_h$, for rows moving in $L_h^\perp$ ($h$ and those rows are invariant along $L_h$, on which $h$ would
otherwise vanish at infinity). They compose with the moves of the first-order bounds, which keep $h$ (when
$c \ne 0$) and every
hidden neuron's row: done after those and before the rescalings. At a generic parameter these are the fibre's
$u(n_0 + 1) - n_0[U^+ \ne \emptyset]$ hidden directions
(Grigsby, Lindsey and Rolnick's hidden symmetries), proved here at the point itself.

**Downhill translations.** A hidden neuron with $v_k > 0$ translates, for any amount $t \ge 0$, the way that
lowers $h$: a U$-$ neuron's bias down ($v_k\sigma(z - t) \le v_k\sigma(z)$), a U$+$ neuron's bias up with $e$ down by
$v_kt$ ($v_k(\sigma(z + t) - t) \le v_k\sigma(z)$, with equality where $z \ge 0$). On $P$ nothing changes (the U$-$
neuron stays off, the U$+$ neuron on), elsewhere $h$ only drops, so $\sigma(h') = \sigma(h)$; no margin is needed,
and every other move's conditions (upper bounds on $h$ off $P$) still hold. $\square$ Neurons on a hyperplane
bounding $P$ slide off it together whatever the signs of their $v_k$
(:func:`~semialg.families.bottleneck.plateau.plateau_slides`).

**Hidden translations.** Let $H$ be hidden neurons (U$-$, U$+$, U$\pm$) whose hyperplanes miss $\bar P$, each alone
on it or with others (of either orientation: twins part) on a hyperplane where $\sup h < 0$ and whose jumps do not
cancel, any two of them meeting (if at all) on a flat where $\sup h < 0$. Translating them by $t\,\delta b_k$ and $e$ by
$t\,\delta e$ changes $h$ on each cell $C$ of $\theta$, away from the moved hyperplanes, by $t\,\delta h_C$, $\delta
h_C = \sum_{k \in H\ \mathrm{active\ on}\ C} v_k\delta b_k + \delta e$. If $\delta h_C = 0$ on the cells meeting $P$
and $\delta h_C \le 0$ on the others where $\sup_C h \ge 0$, the function is kept for every small $t \ge 0$.
*Proof.* The moved hyperplanes stay at a positive distance from $\bar P$ (polyhedra), so on $P$ each cell keeps its
activities and $h' = h$. At any $x$ the change is $t(\delta e + \sum_H v_k\delta b_k\vartheta_k(x))$ with
$\vartheta_k(x) \in [0, 1]$ ($\sigma$ is monotone and 1-Lipschitz), $0$ or $1$ beyond distance $t|\delta b_k|$ from
$H_k$. So near a single moved hyperplane, away from the others, it lies between the changes on the cells on its two
sides (those on one side have the same moved neurons active); where one of these is positive, its cells have $\sup h
< 0$, so $h < 0$ with a margin near $x$ ($h$ is Lipschitz). Near a shared hyperplane or two crossing ones (a point
near two transversal hyperplanes is near their intersection) $\sup h < 0$ absorbs any change of order $t$, as it
does on the cells with $\sup h < 0$; elsewhere off $P$ the change is $t\,\delta h_C \le 0$. $\square$ This takes in
the translations of U$\pm$ neurons between the components of $P$, with $e$ keeping each component's constant.

**Silent neurons** ($c \ne 0$): $v_k = 0$ (unused), $w_k = 0$, $b_k < 0$ (constant zero) or $w_k = 0 = b_k$
(zero; for $n_0 \ge 2$ not beside one with $v$ of the other sign: they may part as cancelling twins, a family
not combining with these); they add nothing to $h$. (iii) If $v_k \le 0$ and $w_k\cdot x + b_k \le 0$ on
$\bar P$ — the row lies in the cone $A$ of rows non-positive on $\bar P$, the dual of the cone over it,
polyhedral, spanned by its lineality space and its extreme rays — every row of $(w_k, b_k) + A$ with
$v'_k \le 0$ near $v_k$ keeps the function: the neuron stays off on $P$ and only lowers $h$ elsewhere (no margin is
needed; its hyperplane may touch $\bar P$). $P$ is that of $f$ ($d$ is fixed), so this composes with the other
moves; $(w_k, b_k) + A$ is a cone with apex $\theta$ of dimension $\dim A$ ($n_0 + 1$ when the cone over $\bar P$
is pointed). For an unused neuron this counts only when $\dim A = n_0 + 1$: its row is free with $v'_k = 0$, a
family of dimension $n_0 + 1$ that does not combine with $v'_k < 0$ (then the row must stay in $A$) — a dead neuron
with $v_k = 0$ too; a constant zero neuron with $v_k < 0$ has $b'_k$ and $v'_k$ moving within $(w_k, b_k) + A$
already. (iv) If $w_k = 0$, $b_k < 0$ and $h_\infty < 0$ on a closed half-sphere $\{r : d\cdot r \ge 0\}$
($h_\infty$ the recession function of $h$), then $w'_k = \varepsilon d'$ for $d'$ in an open cone around $d$, any
$b'_k < 0$ and $v'_k$ near theirs keep it: the neuron is active only on $\{d'\cdot x > |b'_k|/\varepsilon\}$, far
away, where $h \le -\delta|x|$ outweighs $|v'_k|\varepsilon|x|$; so does a zero neuron with $b'_k < -c\varepsilon$,
$c$ large (active on $\{d'\cdot x > c\}$, where $h \le -\delta|x|$; an open cone of rows). The same holds
modulo the common kernel $L_h$ of the rows with $v \ne 0$ for $d \perp L_h$ ($h$ and the neuron's activity are
invariant along $L_h$: read $|x|$ as
the distance to $L_h$), which lets a dead neuron wake when $h$ is constant along a line. For a dead neuron with
$v_k = 0$ this counts only when $L_h = 0$: its row and bias are free with $v'_k = 0$ already ($n_0 + 1$), and
waking gives $\dim L_h^\perp + 2$, a family that does not combine with it. (v) If $h \ge \delta > 0$ everywhere,
$\sigma(h') = h'$ near $h$, so $e$ trades with the output biases ($\delta d_r = -c_r\,\delta e$). The moves of
(iii) and (iv) are one-sided ($v'_k \le 0$ for an unused neuron, $w'_k$ in a cone): the family they span is defined
on a cone with apex $\theta$, which still meets every neighbourhood of $\theta$ in a set of full dimension, so they
count for the lower bound like the others.

**Zero neurons waking beside a hidden hyperplane** ($c \ne 0$). Let $i$ be a zero neuron ($w_i = 0 = b_i$,
$v_i \ne 0$) and $k$ a neuron with $v_k \ne 0 \ne w_k$ whose hyperplane $H_k$ has $\tilde h < 0$ on the closed cone
over it modulo $L_h$ ($h \le -\varepsilon(1 + |x|)$ on $H_k$, $|x|$ the distance to $L_h$). Then the rows
$(w'_i, b'_i) = tu$, $u$ within $\delta$ of $\ell_k = (w_k, b_k)$ in $L_h^\perp \times \mathbb{R}$, $t \ge 0$
small, any $v'_i$ near $v_i$, and $\ell'_k = \ell_k - v'_itu/v_k$ keep the function: a cone with apex $\theta$ of
dimension $\dim L_h^\perp + 1$ in $i$'s row. *Proof.* $h' - h = v'_i\sigma(tu\cdot\hat x) + v_k\sigma(\ell'_k\cdot
\hat x) - v_k\sigma(\ell_k\cdot\hat x)$ ($\hat x = (x, 1)$) is $0$ where the three forms are all positive
(the slopes cancel) or all non-positive; elsewhere two of them, each within $O(\delta + t)$ of $\ell_k$, differ
in sign, so $\hat x$ lies in a conic neighbourhood of the cone over $H_k$, where $h \le -\varepsilon'(1 + |x|)$
for $\delta$ small (compactness), while $|h' - h| \le Ct(1 + |x|)$. $\square$ Changing $h$ only where it has such a
margin, it composes with the other moves, not with the zero neuron's other families: the larger is kept.

**Trades of agreeing neurons** ($c \ne 0$). The trades of :mod:`~semialg.families.bottleneck.affine_trades` need
the neurons of $T$ to agree (all active or all inactive) on $\bar P$, not to be active on all of it: if
$\tilde h < 0$ on the cone over $M = \bigcup_{j \ne k \in T}\{\ell_j \ge 0 \ge \ell_k\}$, $h' = h$ where all of
$T$ are active for both parameters (their affine parts agree) or inactive for both, and elsewhere $x$ is within
$O(t)(1 + |x|)$ of $M$, where $h \le -\varepsilon(1 + |x|)$. $\square$ So neurons kinked in a gap of $P$ trade
slopes and heights on the parts they share (:func:`agreeing_trades`).

**Constant neurons tilting along an opposite pair** ($c \ne 0$). Let $k, m$ have $v \ne 0$ and rows
$\lambda_k\ell$, $-\lambda_m\ell$ ($\lambda > 0$, $\ell = u\cdot x + \beta$) and $i$ be constant ($w_i = 0$,
$b_i > 0$, $v_i \ne 0$). Then $w'_i = tu$, $v'_k = v_k - tv_i/\lambda_k$, $v'_m = v_m + tv_i/\lambda_m$,
$e' = e + tv_i\beta$ keep the function for small $t > 0$ if $v_i < 0$ and $\ell$ is bounded below on $\bar P$,
or $v_i > 0$ and $h \le C - \delta|\ell|$ on $\{\ell \le 0\}$ (for $-\ell$: $t < 0$). *Proof.* The pair's new
weights add $-tv_i\ell$ everywhere, so $h' = h$ where $i$ stays on; where it turns off,
$\{tu\cdot x + b_i < 0\} \subset \{\ell < -b_i/t + |\beta|\}$, $h' - h = -v_i(tu\cdot x + b_i)$ has the sign of $v_i$
and size at most $|v_i|t(|\ell| + |\beta|)$: it only lowers $h$, off $\bar P$, or $h' \le C - (\delta -
|v_i|t)|\ell| + C' < 0$ there. $\square$ It composes as the far wakings do (:func:`constant_pair_tilts`).

**Rows kept on the line** ($n_0 \ge 2$, $f$ not constant). Let every neuron of $\theta$ with $v \ne 0$ have a row
$w = \lambda u$ on one line $\mathbb{R}u$ or $w = 0$, so that $h = g(u\cdot x)$, and let $k$ be a neuron with
$v_k \ne 0 \ne \lambda_k$ at the point $p_k = -b_k/\lambda_k$ such that no set of neurons at $p_k$ (with $v \ne 0$)
containing $k$ has $\sum v_j|\lambda_j| = 0$. Then every member near $\theta$ keeps $w'_k \parallel u$.
*Proof.* For a member $\theta'$, $\sigma(h') = (f_r - d'_r)/c'_r$ ($c'_r \ne 0$) is a non-constant function of
$u\cdot x$, so $U' = \{h' > 0\}$ is a non-empty union of slabs $\{u\cdot x \in S\}$, on which
$h'$ is a function of $u\cdot x$. A hyperplane $K$ whose normal is not parallel to $u$ meets $U'$ (it takes every
value of $u\cdot x$), so the jumps of the neurons of $\theta'$ on $K$ cancel: $\sum_K v'_j|\lambda'_j| = 0$
(rows $\lambda'_jn_K$, $|n_K| = 1$). Were there members $\theta' \to \theta$ with $w'_k \nparallel u$, the neurons
sharing $k$'s hyperplane in $\theta'$ converge to neurons of $\theta$ on $k$'s hyperplane $\{u\cdot x = p_k\}$ (a
row $w_j \ne 0$ off it, or on the line at another point, keeps its hyperplane away) or have $v'_j|\lambda'_j| \to 0$
($v_j = 0$ or $w_j = 0$); passing to a subsequence with one set of them, the limit of the cancelling sums is a
zero sum over a set of neurons at $p_k$ containing $k$. $\square$ The $n_0 - 1$ minors of $(w'_k, u)$ vanish on the
fibre near $\theta$; for $n_0 \ge 3$ this is the only equation keeping unseen kinks on the line. *The same holds
for an opposite pair* $i, j$ with cancelling jumps at one point when they are the only neurons in zero-sum sets and
every neuron has $v \ne 0$ and $w \ne 0$. *Proof.* By the argument above an off-line group near $\theta$ is the
pair itself, a phantom group of two opposite neurons, whose affine part $\tau n\cdot x$ has
$\tau = \pm v'_j|\lambda'_j| \ne 0$; on $U'$, $h'$ minus that affine part is a function of $u\cdot x$, so
$n \parallel u$: the pair is on the line after all. $\square$

All are exact statements about neighbourhoods, so :func:`local_dimension_bounds` stays a pair of proven bounds;
they meet on twins and opposite pairs on seen lines, at robustly hidden and silent neurons (unused ones touching
$\bar P$ too) and at constant neurons, where the plain first-order bounds do not.

>>> from semialg.core.network import Network
>>> from semialg.engine import tangent
>>> twins = Network.from_arrays([[[1, 0], [2, 0], [0, 1]], [[1, 1, -1]], [[1]]], [[0, 0, 0], [1], [0]])
>>> tangent.local_dimension_bounds(twins), local_dimension_bounds(twins)
((5, 7), (5, 5))
"""

from __future__ import annotations

import functools
import itertools
import math
import time

from flint import fmpq

from semialg.core.exact import dot, fingerprint, normalise_row, sparse_vector
from semialg.core.network import Network
from semialg.core.symmetry import rescaling_rank
from semialg.errors import ArchitectureError, UndecidedError
from semialg.engine.tangent import local_dimension_bounds as first_order_bounds, parameter_offsets
from semialg.families.bottleneck.affine_trades import affine_part_trades, agree_off_p, constant_neuron_tilts
from semialg.families.bottleneck.cell_cones import cell_cones, cut_generators, far_directions, live_rows_basis, \
    modulo_lineality, pbar_recession, ray_key, robustness
from semialg.families.bottleneck.constant_fibre import constant_function_moves
from semialg.families.bottleneck.dimension import local_dimension_cap
from semialg.families.bottleneck.kink_quotient import quotient_bounds
from semialg.families.bottleneck.local_constant import one_sided_trade_lower_bound, positive_constant_bounds, \
    positive_inner_bounds
from semialg.families.bottleneck.hidden_translations import hidden_translations
from semialg.families.bottleneck.local_folds import constant_folds, folded_lower_bound, unused_fold_lower_bound
from semialg.families.bottleneck.local_line_tilts import line_tilt_bounds
from semialg.families.bottleneck.local_lines import line_row_equations
from semialg.families.bottleneck.local_shadows import covered_lower_bound, leaning_lower_bound, shadow_lower_bound
from semialg.families.bottleneck.local_zero_pairs import parted_zero_lower_bound
from semialg.families.bottleneck.kink_equations import uncancelled_lines, seen_kink_equations, unseen_kink_equations, \
    unused_constant_cases
from semialg.families.bottleneck.recession import constant_function_bounds, dominated_row_equations
from semialg.families.bottleneck.rank_bound import rank_bounds
from semialg.families.bottleneck.covers import joint_cases, kinked_zero_neurons, unused_line_cases, \
    unused_neuron_cases, zero_neuron_cases
from semialg.families.bottleneck.obstructions import p_components, sign_pieces
from semialg.families.bottleneck.representative import live_network
from semialg.families.bottleneck.plateau import plateau_cases, plateau_slides
from semialg.geometry.cone import dual_cone_spanning_rows, lineality_space
from semialg.families.bottleneck.types import BottleneckType, combinatorial_type, type_before, witnessed_type
from semialg.families.bottleneck.views import OuterView, bottleneck_case
from semialg.families.bottleneck.zero_twins import zero_neuron_twins

__all__ = ["CELL_LIMIT", "agreeing_trades", "constant_pair_tilts", "downhill_translations", "hidden_neuron_moves",
           "hidden_translations", "line_row_equations", "local_dimension_bounds", "outer_bias_trade",
           "seen_kink_equations", "silent_neuron_moves", "unseen_kink_equations", "zero_neuron_partners"]

_ZERO, _ONE = fmpq(0), fmpq(1)

#: The largest first-layer arrangement (by the bound on its number of cells) for which, with $n_0 \ge 3$,
#: :func:`local_dimension_bounds` classifies the neurons (exact LPs per cell) for its extra equations and moves.
CELL_LIMIT = 4096

#: From this first-layer width on, when every neuron is seen, a proof that the fibre is the $G$-orbit is looked for
#: before the quotient by the seen kinks (784-4096-1-10: the proof 0.9 s, the quotient 33 s); below, the quotient
#: answers first (it also decides twins and other non-identifiable parameters, where the proof's attempts cost most).
ORBIT_FIRST_NEURONS = 1024


def _orbit_dimension(net: Network, deadline: float | None) -> int | None:
    r"""The dimension of the $G$-orbit of ``net`` (the rank of its rescalings,
    :func:`~semialg.core.symmetry.rescaling_rank`) when a theorem of the family proves the fibre to be that orbit
    before ``deadline`` (:func:`~semialg.families.bottleneck.identifiability.identifiability_proof`): then it is the
    fibre's dimension at ``net``; ``None`` otherwise. Cost: that of the proof (784-4096-1-10: about 1 s)."""
    from semialg.families.bottleneck.identifiability import identifiability_proof
    return rescaling_rank(net) if identifiability_proof(net, [], deadline) is not None else None


def local_dimension_bounds(net: Network, budget: float | None = 60.0,
                           progress: bool | None = None) -> tuple[int, int]:
    r"""Proven bounds on the dimension at ``net`` of its fibre: those of
    :func:`semialg.engine.tangent.local_dimension_bounds` (``budget`` and ``progress`` as there), for a case-(a)
    bottleneck with the equations of :func:`seen_kink_equations` and :func:`unseen_kink_equations` and the moves of
    :func:`hidden_neuron_moves`, :func:`silent_neuron_moves`, :func:`outer_bias_trade`, :func:`downhill_translations`,
    :func:`hidden_translations`, :func:`~semialg.families.bottleneck.plateau.plateau_slides`,
    :func:`~semialg.families.bottleneck.affine_trades.affine_part_trades`,
    :func:`~semialg.families.bottleneck.affine_trades.constant_neuron_tilts`,
    :func:`~semialg.families.bottleneck.zero_twins.zero_neuron_twins`, :func:`zero_neuron_partners`,
    :func:`agreeing_trades`, :func:`constant_pair_tilts`,
    :func:`~semialg.families.bottleneck.local_folds.constant_folds` and
    :func:`~semialg.families.bottleneck.constant_fibre.constant_function_moves` (or, when larger, the families of
    :func:`~semialg.families.bottleneck.local_folds.folded_lower_bound`,
    :func:`~semialg.families.bottleneck.local_folds.unused_fold_lower_bound` and
    :func:`~semialg.families.bottleneck.local_shadows.shadow_lower_bound`,
    :func:`~semialg.families.bottleneck.local_shadows.covered_lower_bound`,
    :func:`~semialg.families.bottleneck.local_shadows.leaning_lower_bound`), narrowed by
    :func:`~semialg.families.bottleneck.recession.constant_function_bounds`,
    :func:`~semialg.families.bottleneck.local_line_tilts.line_tilt_bounds` ($n_0 = 1$),
    :func:`~semialg.families.bottleneck.local_constant.positive_constant_bounds` and
    :func:`~semialg.families.bottleneck.local_constant.positive_inner_bounds` where they apply (and raised by
    :func:`~semialg.families.bottleneck.local_constant.one_sided_trade_lower_bound`), split by the two cases of
    :func:`~semialg.families.bottleneck.plateau.plateau_cases` at a plateau of $h$ at 0 and those of
    :func:`~semialg.families.bottleneck.covers.unused_neuron_cases`,
    :func:`~semialg.families.bottleneck.covers.unused_line_cases` and
    :func:`~semialg.families.bottleneck.kink_equations.unused_constant_cases` (module docstrings; computed only when the
    bounds do not meet without them) when $n_0 \le 2$ or the first layer's arrangement is small (at most
    :data:`CELL_LIMIT` cells by the bound $\sum_{i \le n_0}\binom{N}{i}$ for $N$ hyperplanes); beyond, the seen kinks'
    equations with the first-order bounds when every neuron is visible. Before either, for $n_0 \ge 3$ when witnesses
    show the type (:func:`~semialg.families.bottleneck.types.witnessed_type`: no cells needed), the bounds in the
    quotient by the seen kinks' equations (:func:`~semialg.families.bottleneck.kink_quotient.quotient_bounds`: Jacobian
    rows of about $2n_1$ columns instead of $D$, what makes 784-64-1-10 decidable); they answer when they meet, else
    narrow the others (and stand alone when the full rows would not fit in memory). Before the quotient, from
    :data:`ORBIT_FIRST_NEURONS` neurons on when every neuron is seen, the dimension of the $G$-orbit if a proof of
    identifiability is found (the fibre is then the orbit; 784-4096-1-10: 4,097 in about 2 s, the quotient takes 33 s).

    Cost: that of the first-order bounds plus, for the extras, the arrangement of the first layer ($O(N^2)$ cells
    in the plane, exact LPs otherwise), $O(N^2)$ generator pairs per cell and hidden neuron, and $2^{|S_L|}$
    subset sums per line.

    >>> from semialg.core.network import Network
    >>> far = Network.from_arrays([[[1, 0], [0, 1], [0, -1], [-1, 0], [-1, 0]], [[1, -1, -1, -2, -1]], [[1]]],
    ...                           [[0, 0, 0, 0, -5], [1], [0]])
    >>> local_dimension_bounds(far)       # opposite pairs on x = 0, y = 0, sigma(-x - 5) hidden; first order: (6, 13)
    (9, 9)
    """
    n0, n1 = net.widths[0], net.widths[1]
    if bottleneck_case(net) != "a":
        return first_order_bounds(net, budget=budget, progress=progress)
    started, quotient = time.monotonic(), None
    ends = None if budget is None else started + budget
    in_time = lambda: ends is None or time.monotonic() < ends      # noqa: E731 - the steps below only narrow
    t = witnessed_type(OuterView.of(net), deadline=ends) if n0 > 2 else None
    if t is not None and n1 >= ORBIT_FIRST_NEURONS and set(t.classes) == {"V"}:     # cheaper than the quotient
        orbit = _orbit_dimension(net, ends)
        if orbit is not None:
            return orbit, orbit
    if t is not None:        # no cells: the quotient by the seen kinks decides the generic case, twins included
        quotient = quotient_bounds(net, t, ends)
        if quotient is not None and quotient[0] == quotient[1]:
            return quotient
    if n0 > 2 and sum(math.comb(n1, i) for i in range(n0 + 1)) > CELL_LIMIT:
        # no cells: only when every neuron is visible (witnessed) the seen kinks' equations, which need none
        seen = None if t is None or "D" in t.classes else lambda: (seen_kink_equations(net, t), [], [], [])
        left = None if budget is None else max(0.0, budget - (time.monotonic() - started))
        try:
            lower, upper = first_order_bounds(net, seen, budget=left, progress=progress)
        except UndecidedError:      # the full Jacobian would not fit in memory: the quotient's bounds stand
            if quotient is None:
                raise
            return quotient
        return (lower, upper) if quotient is None else (max(lower, quotient[0]), min(upper, quotient[1]))

    def extras():
        if (t := type_before(net, ends)) is None:      # its cells past the budget: the first-order bounds stand
            return [], [], [], []
        equations = seen_kink_equations(net, t) + unseen_kink_equations(net, t) + line_row_equations(net, t) \
            + dominated_row_equations(net, t)
        if not in_time():       # each part is proven alone: the equations without moves, the moves without cases
            return equations, [], [], []
        seen = uncancelled_lines(net, t, ("V",))
        every = sum(len(m) for _, m in uncancelled_lines(net, t, ("V", "U-", "U+", "U+-"))) == t.classes.count("V") + \
            t.classes.count("U-") + t.classes.count("U+") + t.classes.count("U+-")
        woken: set = set()
        silent, partners, withdrawn = _silent_or_partners(net, silent_neuron_moves(net, woken), woken)
        twins, withdrawn_twins = zero_neuron_twins(net, hidden := uncancelled_lines(net, t, ("U-", "U+")), t, woken)
        withdrawn += withdrawn_twins
        every_twin, every_withdrawn = zero_neuron_twins(net, hidden, t)   # the folds' own family has no wakings
        lowering[:] = [downhill_translations(net, t) + every_twin, every_withdrawn]
        moves = (hidden_neuron_moves(net, t, deadline=ends) + silent + outer_bias_trade(net) + twins
                 + downhill_translations(net, t) + hidden_translations(net, t, ends) + plateau_slides(net)
                 + affine_part_trades(net, ends) + agreeing_trades(net, ends) + constant_neuron_tilts(net) + partners
                 + constant_pair_tilts(net) + constant_function_moves(net, t))
        tilted = {i for i in range(n1) for m in moves if any(m[W_at + i * n0: W_at + (i + 1) * n0])}
        moves += constant_folds(net, t, hidden, tilted)
        lines[:] = [hidden, moves, withdrawn]
        return equations, moves, [] if not in_time() else \
            joint_cases(plateau_cases(net, kinked_zero_neurons(net, every)), unused_neuron_cases(net, seen),
                        unused_line_cases(net, t), unused_constant_cases(net),
                        *zero_neuron_cases(net, t.regime, seen, every, lambda: _pbar_lineality(net))), withdrawn

    cap = local_dimension_cap(net, deadline=ends)      # D - dim_fun, from the patterns on P: cheap, so first
    left, lowering, lines = None if budget is None else max(0.0, budget - (time.monotonic() - started)), [], []
    (W_at, *_), _ = parameter_offsets(net.architecture)
    lower, upper = first_order_bounds(net, extras, left, progress)
    upper = upper if cap is None else min(upper, cap[1])
    if quotient is not None:
        lower, upper = max(lower, quotient[0]), min(upper, quotient[1])
    if lower < upper and lowering and in_time():    # families of their own: folds, shadows, covers, leaning
        lower = max(lower, folded_lower_bound(net, combinatorial_type(net), *lowering), shadow_lower_bound(
                        net, *lowering), covered_lower_bound(
                        net, lowering[0] + hidden_neuron_moves(net, least=2), lowering[1]), parted_zero_lower_bound(
                        net, lines[2], lambda: silent_neuron_moves(net, set(), apart=True)),
                    unused_fold_lower_bound(net, combinatorial_type(net), *lines), leaning_lower_bound(net, *lowering))
    t = combinatorial_type(net) if lower < upper and in_time() else None
    if t is not None:       # h >= 0 vanishing on an open set: e trades with d one way, with the moves of tangent
        lower = max(lower, one_sided_trade_lower_bound(net, t) or 0)
    for bound in (constant_function_bounds, line_tilt_bounds, positive_constant_bounds, positive_inner_bounds,
                  functools.partial(rank_bounds, deadline=ends)):
        found = bound(net, t) if lower < upper and t is not None and in_time() else None
        if found is not None:
            lower, upper = max(lower, found[0]), min(upper, found[1])
    return lower, upper


def _pbar_lineality(net: Network) -> list[tuple] | None:
    r"""A basis of the lineality space of the cone of recession directions of $\bar P$ when $P$ is connected;
    ``None`` otherwise, or when the cells' generators are not enumerated."""
    cones, live = cell_cones(net), live_network(net)
    if cones is None or live is None:
        return None
    try:      # one live neuron: h is monotone in one affine form, P a half-space
        if live.widths[1] > 1 and len(p_components(sign_pieces(live)[0])) != 1:
            return None
    except ArchitectureError:
        return None
    R = sorted(set().union(*(R for _, R in pbar_recession(cones, net.widths[0]))))
    return lineality_space(R) if R else []


def hidden_neuron_moves(net: Network, t: BottleneckType | None = None, least: int = 1,
                        deadline: float | None = None) -> list[list[fmpq]]:
    r"""Directions of exact moves of the robustly hidden neurons of a case-(a) parameter (module docstring; with
    ``least`` 2 only of those with $h \le -\varepsilon(1 + |x|)$ on $S_k$): the bias of a U$-$ neuron with $\sup_{S_k} h
    < 0$, and its incoming and output weights when $h \le -\varepsilon(1 + |x|)$ on $S_k$; the bias trade $\delta b_k =
    1$, $\delta e = -v_k$ of such a U$+$ neuron, and the weight trades $\delta w_{k,j} = v_{k_0}$, $\delta w_{k_0,j} =
    -v_k$ among the U$+$ neurons of the second kind. For $n_0 \ge 3$ the cells' vertices and extreme rays are enumerated
    ($\binom{N + 1}{r}$ candidate subsets per cell for rows of rank $r$; no moves when the total exceeds 20,000). Both
    are read modulo $L_h$, the common kernel of the rows with $v \ne 0$ (rays along it dropped: $h$ and those rows are
    invariant along it), and the rows move in $L_h^\perp$. Cost: the arrangement of the first layer ($O(N^2)$ cells in
    the plane, $N + 1$ intervals on the line, exact LPs otherwise), that enumeration, and $O(G^2)$ generator pairs per
    cell of $G$ generators and hidden neuron; past ``deadline`` the neurons left are skipped (each neuron's moves
    are proven alone, the weight trades among those taken).

    >>> from semialg.core.network import Network
    >>> far = Network.from_arrays([[[1, 0], [0, 1], [0, -1], [-1, 0], [-1, 0]], [[1, -1, -1, -2, -1]], [[1]]],
    ...                           [[0, 0, 0, 0, -5], [1], [0]])
    >>> len(hidden_neuron_moves(far))     # h = 3x + 6 - |y| on x <= -5: w, b, v of sigma(-x - 5) move
    4
    """
    t = t or combinatorial_type(net)
    n0, D = net.widths[0], net.architecture.num_parameters
    if not any(c in ("U-", "U+") for c in t.classes) or (cones := cell_cones(net)) is None:
        return []
    view = OuterView.of(net)
    (W_at, W2_at, _), (b_at, e_at, _) = parameter_offsets(net.architecture)
    v = view.v
    unit = _units(D)
    basis = live_rows_basis(view)        # a row in L_h^perp moves in it, its robustness read modulo L_h
    quotient = [modulo_lineality(gens, basis) for gens in cones]
    out, plus = [], []
    for k, cls in enumerate(t.classes):
        if cls not in ("U-", "U+") or deadline is not None and time.monotonic() > deadline:
            continue
        key, _, sign = normalise_row(tuple(net.weights[0][k]) + (net.biases[0][k],))
        side = tuple(sign * x for x in key) if cls == "U-" else tuple(-sign * x for x in key)
        level = min(robustness(side, gens) for gens in (quotient if v[k] != 0 else cones))
        if level < least:
            continue
        if cls == "U-":
            out.append(unit((b_at + k, _ONE)))
            if level == 2:
                out += [unit(*((W_at + k * n0 + j, x) for j, x in enumerate(q))) for q in basis]
                out += [unit((W2_at + k, _ONE))]
        else:
            out.append(unit((b_at + k, _ONE), (e_at, -v[k])))
            if level == 2:
                plus.append(k)
    for k in plus[1:]:
        k0 = plus[0]
        out += [unit(*((W_at + k * n0 + j, v[k0] * x) for j, x in enumerate(q)),
                     *((W_at + k0 * n0 + j, -v[k] * x) for j, x in enumerate(q))) for q in basis]
    return out


def silent_neuron_moves(net: Network, woken: set | None = None, apart: bool = False) -> list[list[fmpq]]:
    r"""One-sided moves of the *silent* first-layer neurons of a case-(a) parameter with $c \ne 0$
    — those adding nothing to $h$: unused ($v_k = 0$), constant zero ($w_k = 0$, $b_k < 0$) or zero ($w_k = 0$,
    $b_k = 0$, with no zero neuron of the other sign of $v$ to part from as cancelling twins when $n_0 \ge 2$) —
    each keeping the function for every small $t \ge 0$ (module docstring): for an unused neuron, or a constant
    zero or zero one with $v_k < 0$, whose row is non-positive on $\bar P$, rows spanning the cone of such rows and
    $-v_k$ (iii); the bias, output weight and independent row directions $d \perp L_h$ of a constant zero or
    (otherwise) zero neuron when $h_\infty < 0$ on the half-sphere of $d$ modulo $L_h$ (iv; the zero neuron's bias
    lowered, the indices of those zero neurons added to ``woken``: their other waking families do not combine
    with this one; ``apart``: the zero neurons of both signs kept apart, for
    :mod:`~semialg.families.bottleneck.local_zero_pairs`). Cost: that of :func:`hidden_neuron_moves`, at most $n_0 + 2$
    strict-feasibility decisions for the $|G|$ generators of the cone over $\bar P$
    (:func:`~semialg.geometry.cone.dual_cone_spanning_rows`), and one exact strict-feasibility
    decision in $\dim L_h^\perp$ unknowns with a row per recession generator for a constant zero neuron.

    >>> from semialg.core.network import Network
    >>> unused = Network.from_arrays([[[-1], [1]], [[1, 0]], [[1]]], [[0, 0], [-1], [0]])
    >>> len(silent_neuron_moves(unused))  # h = sigma(-x) - 1, P = {x < -1}: sigma(x) with v = 0 moves
    3
    """
    n0, D = net.widths[0], net.architecture.num_parameters
    view = OuterView.of(net)
    if not any(view.c) or (cones := cell_cones(net)) is None:
        return []
    (W_at, W2_at, _), (b_at, _, _) = parameter_offsets(net.architecture)
    unit = _units(D)
    positive = [gens for gens in cones if any(val > 0 for _, _, val in gens)]     # the cells meeting P
    pbar = list({ray_key(g): g for gens in positive for g in cut_generators(gens)}.values())
    out, far, inside = [], None, None
    for k, (w, b, v) in enumerate(zip(view.w, view.b, view.v, strict=True)):
        constant = not any(w) and b < 0
        # a zero neuron, unless it may part with one of the other sign as cancelling twins (a family it does not
        # combine with)
        zero = not any(w) and b == 0 and v != 0 and (n0 == 1 or apart or not any(
            not any(w2) and b2 == 0 and v2 * v < 0 for w2, b2, v2 in zip(view.w, view.b, view.v, strict=True)))
        if not (v == 0 or constant or zero):
            continue
        rows = []
        # an unused neuron's row is free with v' = 0 already (a dead one's too): v' < 0 adds a dimension only
        # when A is full
        if v <= 0 and pbar and all(dot(tuple(w) + (b,), g) <= 0 for g in pbar) and (
                len(inside := dual_cone_spanning_rows(pbar) if inside is None else inside) == n0 + 1 or v < 0):
            rows = [unit(*((W_at + k * n0 + j, x) for j, x in enumerate(a[:n0])), (b_at + k, a[n0])) for a in inside]
        if not rows and (constant or zero):
            far = far_directions(cones, view) if far is None else far
            # a dead unused neuron's row and bias are free already (v' = 0): waking adds a dimension only when the
            # directions it wakes along are open in R^n0, not only modulo L_h
            if v != 0 or len(far) == n0:
                rows = [unit(*((W_at + k * n0 + j, x) for j, x in enumerate(d))) for d in far]
                rows += [unit((b_at + k, -_ONE if zero else _ONE))] if rows else []
                if rows and zero and woken is not None:
                    woken.add(k)
        if rows:
            out += rows + [unit((W2_at + k, -_ONE if v == 0 else _ONE))]
    return out


def zero_neuron_partners(net: Network, taken: set) -> tuple[list[list[fmpq]], list[list[fmpq]]]:
    r"""``(moves, withdrawn)`` of the module docstring's *zero neurons waking beside a hidden hyperplane* ($c \ne 0$):
    for each zero neuron $i$ not in ``taken`` (moved otherwise; ``taken`` gains those used here) and the first
    neuron $k$ with $v_k \ne 0 \ne w_k$ and $\tilde h < 0$ on the cone over its hyperplane modulo $L_h$, the
    directions $\delta(w_i, b_i) = u$, $\delta(w_k, b_k) = -v_iu/v_k$ for $u$ in a basis of $L_h^\perp \times
    \mathbb{R}$, and the lowering $\delta b_i = -1$ of :mod:`semialg.engine.tangent` withdrawn. None when $n_0 \ge 2$
    and zero neurons of both signs of $v$ may part as cancelling twins. Cost: a pass over every cell's generators
    and their pairs per neuron $k$, $O(n_0D)$ per zero neuron.

    >>> from semialg.core.network import Network
    >>> net = Network.from_arrays([[[-3], [0], [2]], [[2, 2, 1]], [[1]]], [["-1/2", 0, "1/2"], [-1], [0]])
    >>> moves, withdrawn = zero_neuron_partners(net, set())   # s(-3x - 1/2)'s kink -1/6 is hidden: h(-1/6) < 0
    >>> [[i for i, x in enumerate(m) if x] for m in moves], [[i for i, x in enumerate(m) if x] for m in withdrawn]
    ([[0, 1], [3, 4]], [[4]])
    """
    view, n0 = OuterView.of(net), net.widths[0]
    zeros = [i for i, (w, b, v) in enumerate(zip(view.w, view.b, view.v, strict=True)) if not any(w) and b == 0 != v]
    if not any(view.c) or not zeros or (n0 >= 2 and len({view.v[i] > 0 for i in zeros}) == 2) \
            or (cones := cell_cones(net)) is None:
        return [], []
    basis = live_rows_basis(view)
    quotient = [modulo_lineality(gens, basis) for gens in cones]
    partner = next((k for k, (w, b, v) in enumerate(zip(view.w, view.b, view.v, strict=True)) if v != 0 and any(w)
                    and all(all(val < 0 for z, _, val in _cut_points(tuple(w) + (b,), g) if z == 0) for g in quotient)),
                   None)
    if partner is None:
        return [], []
    (W_at, _, _), (b_at, _, _) = parameter_offsets(net.architecture)
    unit, moves, withdrawn = _units(net.architecture.num_parameters), [], []
    for i in (i for i in zeros if i not in taken):
        taken.add(i)
        ratio = -view.v[i] / view.v[partner]
        moves += [unit(*((W_at + m * n0 + j, s * x) for m, s in ((i, _ONE), (partner, ratio)) for j, x in enumerate(q)))
                  for q in basis] + [unit((b_at + i, _ONE), (b_at + partner, ratio))]
        withdrawn.append(unit((b_at + i, -_ONE)))
    return moves, withdrawn


def agreeing_trades(net: Network, deadline: float | None = None) -> list[list[fmpq]]:
    r"""The trades of :mod:`~semialg.families.bottleneck.affine_trades` for pairs $\{k_0, k\}$ not necessarily active
    on all of $\bar P$ (module docstring, *trades of agreeing neurons*): for each $k$ with $w_k \ne 0$ the first
    $k_0 \ne k$ with $v_{k_0} \ne 0 \ne w_{k_0}$ and $\tilde h < 0$ on the cone over $\{\ell_{k_0} \ge 0 \ge \ell_k\}
    \cup \{\ell_k \ge 0 \ge \ell_{k_0}\}$, the directions $\delta v_k = 1$, $\delta(w_{k_0}, b_{k_0}) = -(w_k,
    b_k)/v_{k_0}$ and $\delta(w_k, b_k) = u$, $\delta(w_{k_0}, b_{k_0}) = -v_ku/v_{k_0}$ ($u$ the unit vectors).
    Cancelling twins ($v_{k_0}\ell_{k_0} + v_k\ell_k = 0$, $v_{k_0}v_k < 0$) trade with no condition: the family
    keeps $v'_{k_0}\ell'_{k_0} + v'_k\ell'_k = 0$, so they stay cancelling twins, computing $0$ (their row tilts).
    Past ``deadline`` no more $k$ are tried (each pair's trades are proven alone). Cost: $O(n_1^2)$ cuts of the
    $O(G^2)$ generator pairs of each cell with $G$ generators.

    Under $h = 2\sigma(-2x + 3/2) + 2\sigma(x - 3/4) - \sigma(-x + 1) - 1$, $P = (-\infty, 1/3) \cup (5/4, \infty)$,
    the first and last neurons are on only on the left part and trade its slope and height (both pairs, one span):

    >>> from semialg.core.network import Network
    >>> net = Network.from_arrays([[[-2], [1], [-1]], [[2, 2, -1]], [[1]]], [["3/2", "-3/4", 1], [-1], [0]])
    >>> len(agreeing_trades(net)), local_dimension_bounds(net)
    (6, (7, 7))
    """
    view, n0 = OuterView.of(net), net.widths[0]
    if not any(view.c) or (cones := cell_cones(net)) is None:
        return []
    rows = [tuple(w) + (b,) for w, b in zip(view.w, view.b, strict=True)]
    (W_at, v_at, _), (b_at, _, _) = parameter_offsets(net.architecture)
    unit, out = _units(net.architecture.num_parameters), []

    def row_at(k, vector, scale) -> list:      # the entries of (w_k, b_k) moved by scale * vector
        return [(W_at + k * n0 + j, scale * x) for j, x in enumerate(vector[:n0])] + [(b_at + k, scale * vector[n0])]

    for k in (k for k, w in enumerate(view.w) if any(w)):
        if deadline is not None and time.monotonic() > deadline:
            break
        k0 = next((j for j, w in enumerate(view.w) if j != k and view.v[j] != 0 and any(w) and (
            view.v[j] * view.v[k] < 0 and not any(view.v[j] * x + view.v[k] * y for x, y in zip(rows[j], rows[k]))
            or agree_off_p(cones, [rows[j], rows[k]], deadline))), None)
        if k0 is not None:
            out.append(unit((v_at + k, _ONE), *row_at(k0, rows[k], -1 / view.v[k0])))
            out += [unit(*row_at(k, u, _ONE), *row_at(k0, u, -view.v[k] / view.v[k0]))
                    for u in (tuple(_ONE if i == j else _ZERO for i in range(n0 + 1)) for j in range(n0 + 1))]
    return out


def constant_pair_tilts(net: Network) -> list[list[fmpq]]:
    r"""One-sided tilts of the constant neurons along an opposite pair's line (module docstring, *constant neurons
    tilting along an opposite pair*): for each constant neuron $i$ the first pair $k, m$ and side $\varsigma = \pm 1$
    that qualify, $\delta w_i = \varsigma u$, $\delta v_k = -\varsigma v_i/\lambda_k$, $\delta v_m = \varsigma
    v_i/\lambda_m$, $\delta e = \varsigma v_i\beta$ (the conditions read at the rays of the cells' cut cones, and
    at the recession directions of $\bar P$). Cost: a pass over every cell's generators and their pairs per
    constant neuron, pair and side.

    >>> from semialg.core.network import Network
    >>> net = Network.from_arrays([[[3], [1], [0], [-1]], [[2, 2, 3, -2]], [[1], [-1]]], [[0, -1, 1, 1], [1], [0, 1]])
    >>> [[i for i, x in enumerate(m) if x] for m in constant_pair_tilts(net)]   # 2 s(x - 1) - 2 s(1 - x) = 2x - 2
    [[2, 9, 11, 12]]
    """
    view, n0 = OuterView.of(net), net.widths[0]
    consts = [i for i, (w, b, v) in enumerate(zip(view.w, view.b, view.v, strict=True)) if not any(w) and b > 0 != v]
    if not any(view.c) or not consts or (cones := cell_cones(net)) is None:
        return []
    lines: dict = {}
    for k, w in enumerate(view.w):
        if any(w) and view.v[k] != 0:
            key, scale, sign = normalise_row(tuple(w) + (view.b[k],))
            lines.setdefault(fingerprint(key), []).append((k, key, scale, sign))
    pairs = [(a, b) for group in lines.values() for a in group for b in group if a[3] > 0 > b[3]]
    pbar = [g for gens in cones if any(val > 0 for _, _, val in gens) for g in cut_generators(gens) if g[-1] == 0]
    (W_at, v_at, _), (_, e_at, _) = parameter_offsets(net.architecture)
    unit, out = _units(net.architecture.num_parameters), []
    for i in consts:
        for ((k, key, lam_k, _), (m, _, lam_m, _)), side in itertools.product(pairs, (1, -1)):
            far = tuple(-side * x for x in key)       # the neuron turns off where far . (x, 1) is large
            if all(all(val < 0 if z > 0 else val <= 0 for z, t, val in _cut_points(far, gens) if t == 0)
                   for gens in cones) if view.v[i] > 0 else all(dot(far, g) <= 0 for g in pbar):
                s, v = fmpq(side), view.v[i]
                out.append(unit(*((W_at + i * n0 + j, s * x) for j, x in enumerate(key[:n0])),
                                (v_at + k, -s * v / lam_k), (v_at + m, s * v / lam_m), (e_at, s * v * key[n0])))
                break
    return out


def _silent_or_partners(net: Network, silent: list, woken: set) -> tuple[list, list, list]:
    r"""``silent`` and :func:`zero_neuron_partners`' moves and withdrawn ones, each zero neuron keeping the family with
    more row directions (they do not combine); ``woken`` (far away) are left out and gain every neuron moved."""
    n0, n1 = net.widths[0], net.widths[1]
    (W_at, *_), (b_at, *_) = parameter_offsets(net.architecture)

    def on_row(k, moves) -> list:
        return [m for m in moves if m[b_at + k] or any(m[W_at + k * n0: W_at + (k + 1) * n0])]

    partners, withdrawn = zero_neuron_partners(net, set(woken))
    partner_wins = {k for k in range(n1) if len(on_row(k, partners)) > len(on_row(k, silent))}
    silent_wins = {k for k in range(n1) if on_row(k, partners)} - partner_wins
    woken |= {k for k in range(n1) if on_row(k, silent)} | partner_wins
    return ([m for m in silent if not any(m in on_row(k, silent) for k in partner_wins)],
            [m for m in partners if not any(m in on_row(k, partners) for k in silent_wins)],
            [m for m in withdrawn if not any(m[b_at + k] for k in silent_wins)])


def _cut_points(row, gens) -> list[tuple]:
    r"""$(z, t, \tilde h)$ at the generators of a cell's cone cut by $\mathrm{row}\cdot(x, t) \ge 0$ (as ``level``)."""
    zs = [dot(row, g) for g, _, _ in gens]
    return [(z, t, val) for z, (_, t, val) in zip(zs, gens, strict=True) if z >= 0] + [
        (_ZERO, zi * tj - zj * ti, zi * vj - zj * vi) for zi, (_, ti, vi) in zip(zs, gens, strict=True) if zi > 0
        for zj, (_, tj, vj) in zip(zs, gens, strict=True) if zj < 0]


def downhill_translations(net: Network, t: BottleneckType | None = None) -> list[list[fmpq]]:
    r"""One-sided translations of the hidden neurons with $v_k > 0$ of a case-(a) parameter, each keeping the
    function for every $t \ge 0$ (module docstring, *downhill translations*): $\delta b_k = -1$ for a U$-$ neuron
    (its active side shrinks), $\delta b_k = 1$, $\delta e = -v_k$ for a U$+$ neuron (its active side grows, $h$
    unchanged where it was active). Any $n_0$. Cost: that of
    :func:`~semialg.families.bottleneck.types.combinatorial_type`.

    >>> from semialg.core.network import Network
    >>> net = Network.from_arrays([[[-1], [1], [1]], [[2, -2, 1]], [[1]]], [[0, -1, -3], [-1], [0]])
    >>> [[i for i, x in enumerate(g) if x] for g in downhill_translations(net)]   # s(-x) is U+, s(x - 3) U-
    [[3, 9], [5]]
    """
    t = t or combinatorial_type(net)
    D, v = net.architecture.num_parameters, net.weights[1][0]
    _, (b_at, e_at, _) = parameter_offsets(net.architecture)
    unit = _units(D)
    return [unit((b_at + k, -_ONE)) if cls == "U-" else unit((b_at + k, _ONE), (e_at, -v[k]))
            for k, cls in enumerate(t.classes) if cls in ("U-", "U+") and v[k] > 0]


def outer_bias_trade(net: Network) -> list[list[fmpq]]:
    r"""The trade $\delta e = 1$, $\delta d_r = -c_r$ of a case-(a) parameter whose $h$ is bounded below by a
    positive constant (then $\sigma(h') = h'$ for $h'$ near $h$), as a one-element list; else (or when the cells'
    generators are not enumerated, :func:`hidden_neuron_moves`) empty. Cost: that of :func:`hidden_neuron_moves`.

    >>> from semialg.core.network import Network
    >>> outer_bias_trade(Network.from_arrays([[[1], [-1]], [[1, 1]], [[2]]], [[0, 0], [1], [0]]))   # h = |x| + 1
    [[0, 0, 0, 0, 0, 0, 1, 0, -2]]
    """
    D, view, cones = net.architecture.num_parameters, OuterView.of(net), cell_cones(net)
    if cones is None or not all(val > 0 if s > 0 else val >= 0 for gens in cones for _, s, val in gens):
        return []
    _, (_, e_at, d_at) = parameter_offsets(net.architecture)
    return [_units(D)((e_at, _ONE), *((d_at + r, -c) for r, c in enumerate(view.c)))]


def _units(D: int):
    """:func:`~semialg.core.exact.sparse_vector` of length ``D``."""
    return functools.partial(sparse_vector, D)
