r"""Case (a), regime PN, first-layer rows spanning a subspace of dimension $2 \le r < \min(n_0, n_1)$, or
$r = n_0$ for the parameters no member of whose fibre is generic (spare slots): the fibre as a union over types,
from the fibres of the reduced $r$-input network.

**Setting.** Let $R \subset \mathbb{R}^{n_0}$ be the span of the rows of $\theta$'s live neurons ($v_i \ne 0$,
$w_i \ne 0$), $r = \dim R$, and $V$ its basis in reduced row echelon form (pivot columns $\pi_1 < \dots < \pi_r$,
$V_{\cdot\pi} = I_r$), so that a row $w \in R$ is $w = w_\pi V$. Then $h(x) = g(Vx)$ and
$f_\theta(x) = F(Vx)$ with $F = f_{\theta_R}$ for the *reduced* parameter $\theta_R$ of widths $r$-$m$-1-$n_3$
(rows $(w_i)_\pi$ of the $m$ live neurons, constant neurons absorbed in $e$). Invariance of $f$ along
$L = \ker V$ is the mechanism of the rank-deficient (non-generic) strata of Grigsby, Lindsey, Meyerhoff and
Wu, *Functional dimension of feedforward ReLU neural networks* (2022), and of the fibres of
Gegenfurtner, Grillo and Montúfar (bottleneck networks): every parameter moving neurons along $L$'s complement
without changing $F$ stays in the fibre. For $r = n_0$ ($L = 0$, $V = I$) every neuron with $w' \ne 0 \ne v'$ is
on-space: the types are the reduced ones with inert and constant neurons, no phantom groups — the description
:func:`~semialg.families.bottleneck.fibre.fibre` falls back on when no member is generic
(:mod:`~semialg.families.bottleneck.obstructions`) and the theorem of
:mod:`~semialg.families.bottleneck.outer_fibre` ($P$ connected, $C^* = \{0\}$: $h' = \mu h$) does not apply.

**Theorem.** Let $f_\theta$ be non-constant. Split the neurons of any $\theta'$ into *inert* ($v' = 0$),
*constant* ($w' = 0 \ne v'$), *on-space* ($0 \ne w' \in R$, $v' \ne 0$) and *off-space* ($w' \notin R$,
$v' \ne 0$). Then $f_{\theta'} = f_\theta$ iff (i) the off-space neurons form *phantom groups*: on each of their
hyperplanes the jumps cancel, $\sum v'_i|\lambda_i| = 0$ (rows $\lambda_i n$); (ii) the groups' affine part
$\ell\cdot x + \kappa$ ($\ell = \sum_{s_i < 0} v'_iw'_i$, the identity $\sigma(z) = \sigma(-z) + z$) has
$\ell = \beta V \in R$; (iii) the reduced network of the $k$ on-space neurons (rows $w'_\pi$), with the linear
term $\beta\cdot y$ and the bias $E = e' + \kappa + \sum_{\text{constant}} v'\sigma(b')$, computes $F$.
*Proof.* Choose $c'_s \ne 0$ ($f$ is not constant); $\sigma(h') = (f_s - d'_s)/c'_s$ is $L$-invariant, and so is
$U = \{h' > 0\} \ne \emptyset$. An off-space hyperplane $K$ ($w' \notin R = L^\perp$) meets $U$: with $x \in U$,
$k \in L$, $w'\cdot k \ne 0$, the line $x + tk \subset U$ crosses $K$. The non-differentiability of $f$ lies on
finitely many hyperplanes with normals in $R$ (those of $\theta$ and the pieces of $\{h = 0\}$), none equal to
$K$, and so do the on-space kinks; at a generic point of $K \cap U$, $h' = \sigma(h')$ is differentiable, so the
total jump on $K$ vanishes: (i). Then $h' = H_{\mathrm{on}}(Vx) + \ell\cdot x + E$; on $U$ both $h'$ and
$H_{\mathrm{on}}\circ V$ are $L$-invariant, so $\ell\cdot k = 0$ for $k \in L$: (ii). Then $h' = H(Vx)$ with $H$
the reduced network plus $\beta\cdot y$, and $V$ is onto: (iii). The converse is the same computation. $\square$

**What is listed.** The types with $\ell = 0$ (every type without mixed groups, and mixed groups on the stratum
$\ell = 0$ of :mod:`~semialg.families.bottleneck.line_typed`, whose off-line terms are reused): an
ordered choice of $k$ on-space neurons carrying a listed component of the fibre $F_k$ of a width-$k$ reduced
network computing $F$ (found among the live reduced network, the minimal form of $g$ and the cores of
:mod:`~semialg.families.bottleneck.representative`, padded with zero neurons, each checked exactly by
:func:`~semialg.families.bottleneck.equivalence.equivalent`, and described by the $r$-input machinery) with every
reduced neuron live with a non-zero row ($v' \ne 0$, $w' \ne 0$: a component forcing a dead or constant slot is a
width-$(k-1)$ type with an inert or constant neuron), and a role per other neuron: inert, constant (sign of $b'$)
or in a phantom group (orientation; rows off $R$, as the theorem has it — on-space neurons sharing a hyperplane
belong to the reduced fibre), the groups' hyperplanes distinct from each other and from the on-space ones (so the
types are disjoint: :meth:`SubspaceFibre.locate` reads the type off). **Not listed** (``contains`` still decides them by
:func:`~semialg.families.bottleneck.equivalence.equivalent`): types with $\ell \ne 0$ (the on-space part then
computes $F$ up to a linear term, which the $r$-input fibres do not list), widths $k$ for which no reduced
realisation was found or whose reduced fibre is refused (named in :attr:`SubspaceFibre.undescribed`), and the
pieces the reduced fibres do not list.

**Lemma (seen kinks).** Let $q$ be the number of kink hyperplanes $K$ of $g$ seen on the reduced
$P = \{g > 0\}$ (jump $J_K \ne 0$ there), and let $g < 0$ at a point $x$ of one of them (found by exact
evaluation). If a width-$k$ reduced parameter $(h', c', d')$ computes $F$, then (a) $d' = d$, $c' = c/\mu$ and
$h' = \mu g$ on $P$ for some $\mu > 0$; (b) $k \ge q$, and for $k = q$, up to $G$,
$h' = \sum_K J_K\sigma(o_K\ell_K) + E$ with orientations $o_K = \pm 1$ and $E$ fixed by $h' = g$ at a point of
$\overline P$ — so width $q$ is empty when none of these $2^q$ candidates computes $F$; (c)
$\dim F_k \le 1 + q + (k - q)(r + 2)$. *Proof.* The total jump of $h'$ across a hyperplane is the same all along
it (a sum over its neurons). On $P \cap K$, $\sigma(h')$ has the kink of $\sigma(g)$: $h' > 0$ there and the
total jump of $h'$ on $K$ is not $0$. Near $x$, $F = d$; were $h' > 0$ on a neighbourhood of a point of $K$ near $x$,
$F = c'h' + d'$ would have a kink there; so $h' \le 0$ on an open set near $x$ and $d' = d$; on $P$,
$c'\sigma(h') = cg \ne 0$ gives (a). Each seen $K$ carries a neuron, so $k \ge q$; for $k = q$ exactly one, of row
$\lambda_K o_K n_K$ with $v'\lambda_K = \mu J_K$; $G$ scales $\mu$ and the $\lambda_K$ to 1, and $h' - g$, affine
on $P$ and $0$ there, fixes $E$: (b). (c): $\mu$, one scale per seen hyperplane (its neuron's $v'$ is then fixed
by the jump and the other neurons on $K$), $r + 2$ per other neuron; $e'$, $c'$, $d'$ are fixed by (a). $\square$

**Lemma (one spare slot).** Under the premise of the seen-kinks lemma, if moreover $C^* = \{0\}$ for the
reduced $\overline P$ (no row $w \ne 0$ has $w\cdot y$ bounded above on it, :func:`~.hidden_region.hidden_cone`),
then $d_{q+1} \le q + 3$. *Proof.* Take a member of width $q + 1$ with every neuron live; by (a) $h' = \mu g$ on
$P$ and each seen $K$ carries a neuron. Either (i) one seen $K$ carries two: $\mu$, one scale for each other seen
hyperplane, and on $K$ two scales and two output weights with their total jump fixed — $q + 3$ parameters, $e'$
fixed; or (ii) the extra neuron $N$ has a hyperplane $K_N$ of its own, which then misses $P$ (its kink is not
cancelled there, and $h' = \mu g$ has none): $N$ is affine on each component $P_j$ of $P$, active on all of $P$
or on none of it only if $\mp w'_N \in C^*$, so it is inactive on some $P_j$, where $e' = \mu g - \sum_K(\dots)$ is
fixed, and on the components where it is active $v'_N w'_N$ and $v'_N b'_N$ are fixed by $h' = \mu g$: one more
parameter, $q + 2$ in all. $\square$ With $d_q = q + 1$ (lemma (b)), a width $q + 1$ adds at most $2 \le n_0 + 1$:
for $n_1 = q + 1$ the dimension is $d_q + n_0 + 1$.

**Lemma (no spare slot).** Under the premise of the seen-kinks lemma, with width $q$ empty and $C^* = \{0\}$,
let $\psi_o = g - \sum_K J_K\sigma(o_K\ell_K)$ for the orientations $o$ of the seen kinks. If for every $o$ the
affine pieces of $\psi_o$ on the cells meeting $P$ are three or more, or two non-constant ones, or one non-constant
one whose gradient is parallel to no seen normal, then no width-$(q + 1)$ reduced network computes $F$.
*Proof.* A member with a neuron that is not live is one of width $q$ (an inert or constant neuron adds at most a
constant), so take every neuron live; by (a) $h' = \mu g$ on $P$ and each seen $K$ carries a neuron. Either a seen
$K_0$ carries two: of one orientation they act as one neuron, so $h' = \mu(\sum_K J_K\sigma(o_K\ell_K)) + E$ and
$\mu\psi_o$ is the constant $E$ on $P$; of opposite ones, $a\sigma(\ell) + b\sigma(-\ell) = (a + b)\sigma(\ell)
- b\ell$, so $\mu\psi_o = -b\ell_{K_0} + E$ there, one piece parallel to a seen normal. Or the extra neuron $N$
has a hyperplane of its own, missing $P$ (one-spare-slot lemma), so on each component of $P$ it is active
throughout or not at all: $\mu\psi_o$ is $E$ on the components where it is off and $E + v_N\ell_N$ where it is
on — not on all of them, as $P$ would lie in the half-space $\{\ell_N > 0\}$ ($C^* \ne \{0\}$). Each case leaves
at most two pieces, one of them constant, or a single one parallel to a seen normal. $\square$ It is decided in
the reduced plane ($r = 2$) from the cells' vertices and rays.

**Proposition (dimension).** Let $q$ be the number of kink hyperplanes of $g$ seen on the reduced $P$ (each needs
an on-space neuron, so $k \ge q$) and $d_k = \dim F_k$. The fibre has dimension
$\max_{q \le k \le n_1} d_k + (n_1 - k)(n_0 + 1)$. *Proof.* $\ge$: $F_k$ with every other neuron inert.
$\le$: per type, the off-space part has dimension at most $n_0 + 1$ per neuron (inert $n_0 + 1$, constant $2$, a
group of $m$ neurons $n_0 + 2m - 1 \le m(n_0 + 1)$), and the on-space part, given it, lies in the width-$k$ fibre
with the fixed linear term $\beta$. For $\beta = 0$ that is $F_k$. For $\beta \ne 0$ there are at least two mixed
groups with $\tau_g \ne 0$ (one group has $\ell \parallel n_g \notin R$): they save $2(n_0 - 1)$ against inert
neurons and $\ell \in R$ fixes the last normal modulo $R$ ($n_0 - r$ conditions); and
$(\text{member}, \beta, b, \lambda_1, \lambda_2) \mapsto$ member plus $\sigma(\lambda_1(\beta\cdot y + b))/\lambda_1 -
\sigma(-\lambda_2(\beta\cdot y + b))/\lambda_2$ embeds the width-$k$ members with linear terms into $F_{k+2}$ with 3
more parameters, so the type is at most $d_{k+2} - 3 + (n_1 - k)(n_0 + 1) - 2(n_0 - 1) - (n_0 - r) \le
d_{k+2} + (n_1 - k - 2)(n_0 + 1)$. $\square$ A width $k$ without a described $F_k$ is bounded by padding with
inert reduced neurons, $d_k \le d_{k'} - (k' - k)(r + 1)$ for a described $k' > k$, or under the lemmas'
premises by their bounds; :meth:`SubspaceFibre.
dimension` is decided when the bounds meet, else :class:`~semialg.errors.UndecidedError` gives both.

Cost: one reduced fibre per width $k \in [q, n_1]$ (its own cost, within ``budget``); a component
$O(n_1^2n_0^2)$ polynomials plus those of the reduced component; locating a point $O(n_1 n_0)$ plus the reduced
location.

>>> net = Network.from_arrays([[[1, 0, 0], [0, 1, 0], [-1, -1, 0], [0, 0, 1]], [[-1, -2, -1, 0]], [[1]]],
...                           [[0, 0, 0, 2], [1], [0]])     # r = 2 < 3; neuron 4 dead, its row off the span
>>> from semialg.families.bottleneck.fibre import fibre
>>> F = fibre(net); F.dimension, F.contains(F.sample(1))
(8, True)
"""

from __future__ import annotations

import functools
import itertools
import math
import random as _random
import time

from flint import fmpq

from semialg.core.exact import dot, fingerprint, normalise_row, nullspace, rank, rref
from semialg.core.lazy import sympy  # imported on first use: start-up time
from semialg.core.network import Network, relu
from semialg.errors import ArchitectureError, UndecidedError
from semialg.families.bottleneck.arrangement import NetworkArrangement
from semialg.families.bottleneck.equivalence import equivalent
from semialg.families.bottleneck.hidden_fibre import ConditionedSet
from semialg.families.bottleneck.hidden_labels import DEGENERATE, forces_degenerate
from semialg.families.bottleneck.hidden_region import HiddenRegion, hidden_cone
from semialg.families.bottleneck.line_typed import _renumber
from semialg.families.bottleneck.off_line import (draw_groups, draw_inert, group_rows, off_line_conditions,
                                                  off_line_count, strata_exist)
from semialg.families.bottleneck.obstructions import _Clock, _visible_kinks
from semialg.families.bottleneck.representative import _cores, _neurons
from semialg.families.bottleneck.views import OuterView, _ZERO
from semialg.families.shallow import canonical_form, minimal_form
from semialg.families.shallow.type_geometry import Pattern
from semialg.families.shallow.typed import TypeIndex
from semialg.geometry.semialgebraic import as_substitution, map_nonzero, not_all_zero, parallel_minors
from semialg.geometry.zero_sum import find_zero_sum_set

__all__ = ["SubspaceFibre", "live_rank"]

_ONE = fmpq(1)


def live_rank(net: Network) -> int:
    """$\\dim R$: the rank of the rows of the live first-layer neurons ($v_i \\ne 0$, $w_i \\ne 0$)."""
    rows = [w for w, v in zip(OuterView.of(net).w, OuterView.of(net).v, strict=True) if v != 0 and any(w)]
    return rank(rows) if rows else 0


class _Lifted:
    """A condition of a reduced component, read on $\\theta'$ through its reduced network (``reduce``)."""

    def __init__(self, cond, reduce, variables):
        self.cond, self.reduce, self.variables = cond, reduce, variables

    def holds(self, point) -> bool:
        return self.cond.holds(self.reduce(point).parameters())

    def robust(self, sub, vanishing_ok=lambda p: False) -> bool:
        """Conservative: atoms vanishing at the reduced point count as not robust."""
        red = self.reduce(tuple(sub[x] for x in self.variables))
        return self.cond.robust(as_substitution(red.variables().flat, red.parameters()))

    def describe(self) -> str:
        return f"{self.cond.describe()}, of the reduced network (rows w'_i restricted to the pivot coordinates)"

    def to_latex(self) -> str:
        return self.cond.to_latex() + r"\ \text{(reduced network: rows } w'_{i,\pi}\text{)}"


_INERT = DEGENERATE      # the roles off the reduced network without phantom groups: inert, constant


class _Index:
    """Lazy index ``(k, j, on, roles)``: a width, a component of $F_k$, the on-space neurons (increasing; reduced
    neuron $s$ is neuron ``on[s]``) and the roles of the others (:class:`TypeIndex` without kink hyperplanes,
    stratum $\\ell = 0$)."""

    def __init__(self, fibres: dict, n1: int, phantoms: bool = True):
        self.fibres, self.n1, self.phantoms = fibres, n1, phantoms

    def _live(self, k: int):
        """The components of $F_k$ with every reduced neuron live, lazily (a reduced component forcing a dead
        ($v' = 0$) or constant ($w' = 0$) reduced neuron is the width-$(k-1)$ type with that neuron inert or
        constant)."""
        return (j for j in self.fibres[k].index if not forces_degenerate(j))

    @functools.cached_property
    def exact_size(self) -> int:
        """The number of types: the reduced fibres' live components are counted by their index's ``live_size``
        (without enumeration: the typed shallow fibres, the orbits of :mod:`.outer_fibre`, the label classes of
        hidden-neuron fibres), else by enumeration."""
        return sum(self._live_count(k) * math.comb(self.n1, k) * self._roles_count(self.n1 - k) for k in self.fibres)

    def _live_count(self, k: int) -> int:
        size = getattr(self.fibres[k].index, "live_size", None)
        return size if size is not None else sum(1 for _ in self._live(k))

    def _roles_count(self, m: int) -> int:
        return off_line_count(m, True, False) if self.phantoms else 3 ** m

    def _off_roles(self, m: int):
        """The roles of ``m`` neurons off the reduced network: inert, constant, and (rows off $R$) phantom groups."""
        if not self.phantoms:        # r = n_0: no row is off R
            yield from itertools.product(_INERT, repeat=m)
            return
        for roles in TypeIndex(m, 0):
            if strata_exist(Pattern.of(roles, 0), True, False):
                yield roles

    def __len__(self) -> int:
        return self.exact_size

    def __iter__(self):
        for k in self.fibres:
            for j in self._live(k):
                for on in itertools.combinations(range(self.n1), k):
                    for roles in self._off_roles(self.n1 - k):
                        yield k, j, on, roles


def _cancelling(ov: OuterView, neurons) -> bool:
    r"""Whether two or more of ``neurons`` share a hyperplane on which some of their jumps cancel: a non-empty
    $S$ with $\sum_{i \in S} v_i\lambda_i = 0$ for the rows $\pm\lambda_i n$, $\lambda_i > 0$, of one normalised row
    $n$ (:func:`~semialg.geometry.zero_sum.find_zero_sum_set`; undecided counts as cancelling)."""
    jumps: dict = {}
    for i in neurons:
        key, scale, _ = normalise_row(tuple(ov.w[i]) + (ov.b[i],))
        jumps.setdefault(key, []).append((ov.v[i] * scale,))
    return any(len(group) > 1 and find_zero_sum_set(group).status != "none" for group in jumps.values())


class SubspaceFibre:
    """The components of the fibre of a case-(a) regime-PN parameter whose live rows span $R$, $2 \\le \\dim R <
    \\min(n_0, n_1)$ (module docstring): ``index``, ``build``, ``locate``, ``sample``, ``dimension`` (a function),
    ``local_dimension``, and ``undescribed`` (width $k$ -> why its members are not listed). ``fibre_of`` is the
    fibre function applied to the reduced networks (passed in: it is the dispatcher that calls this)."""

    index_name = r"(k, \text{reduced component}, \text{on-space neurons}, \text{off-space roles})"

    def __init__(self, net: Network, fibre_of, deadline: float | None = None, progress: bool | None = None):
        self.net, self.view = net, OuterView.of(net)
        self.n0, self.n1 = net.widths[0], net.widths[1]
        neurons, e = _neurons(self.view.inner)
        R, r = rref([w for w, _, _ in neurons])
        if not (2 <= r < min(self.n0, self.n1) or r == self.n0 >= 2):
            raise ArchitectureError(f"the subspace fibre needs live rows spanning 2 <= r < min(n0, n1) or r = n0; "
                                    f"r = {r}")
        self.r = r
        self.basis = [tuple(R[i, j] for j in range(self.n0)) for i in range(r)]
        self.pivots = [next(j for j, x in enumerate(row) if x != 0) for row in self.basis]
        self.live = self._reduced([(tuple(w[p] for p in self.pivots), b, v) for w, b, v in neurons], e)
        self.q = len(_visible_kinks(self.live))
        self.fibres, self.undescribed, self.empty = {}, {}, set()
        self.unhidden = False             # C* = {0} for the reduced P-bar (set by _cores): the one-spare-slot lemma
        self.negative = self._meets_negative()
        cores = self._cores(deadline)
        for k in range(max(self.q, 1), self.n1 + 1):
            core = next((c for c in cores if len(c[0]) <= k), None)
            if core is None and self.negative and (k == self.q or k == self.q + 1 and self.q in self.empty
                                                   and self._no_spare_slot()):
                self.empty.add(k)          # the seen-kinks and no-spare-slot lemmas of the module docstring
                continue
            if core is None:
                self.undescribed[k] = "no reduced network of this width computing F was found"
                continue
            red = self._reduced(core[0] + [((_ZERO,) * r, _ZERO, _ZERO)] * (k - len(core[0])), core[1])
            try:
                F = fibre_of(red, None if deadline is None else max(0.0, deadline - time.monotonic()), progress)
                F.dimension
            except (ArchitectureError, UndecidedError) as err:
                self.undescribed[k] = f"its reduced fibre is not described ({str(err)[:300]})"
                continue
            self.fibres[k] = F
        self.index = _Index(self.fibres, self.n1, phantoms=r < self.n0)
        widths = ", ".join(f"k = {k}: {why}" for k, why in self.undescribed.items())
        phantom = (" or in a phantom group (orientation) with total slope 0. Not listed: types whose phantom "
                   "groups have a non-zero total slope (in R)," if r < self.n0 else ". Not listed:")
        self.index_description = (
            f"a width k (on-space neurons, rows in the {r}-dimensional span R of theta's rows), a component of the "
            f"fibre of a width-k reduced {r}-input network computing F, the on-space neurons, and per other neuron "
            f"a role: inert (v' = 0), constant (w' = 0, sign of b'){phantom} the pieces the reduced fibres do not "
            f"list" + (f", and widths {widths}" if widths else ""))

    # -- the reduced networks ------------------------------------------------------------------------------------

    def _reduced(self, neurons, e, view: OuterView | None = None) -> Network:
        """The reduced network of ``neurons`` (reduced rows) and bias ``e``, with the outer layer of ``view``
        (default $\\theta$'s)."""
        view = self.view if view is None else view
        return Network((tuple(a for a, _, _ in neurons), (tuple(v for _, _, v in neurons),),
                        tuple((c,) for c in view.c)), (tuple(b for _, b, _ in neurons), (e,), view.d))

    def _lift(self, a) -> tuple:
        return tuple(sum((x * row[j] for x, row in zip(a, self.basis, strict=True)), _ZERO) for j in range(self.n0))

    def _cores(self, deadline) -> list:
        """Reduced neurons and bias computing $F$, narrowest first: the live reduced network, the minimal form of
        $g$ and the cores of :mod:`~semialg.families.bottleneck.representative`, each checked exactly (lifted
        and padded with zero neurons, against $\\theta$)."""
        red = OuterView.of(self.live).inner
        out = [_neurons(red), _neurons(minimal_form(red))]
        try:
            region = HiddenRegion(self.live)
            self.unhidden = not hidden_cone(region)
            out += [(n, e) for _, n, e in _cores(self.live, region, _Clock(None, deadline))]
            out += self._seen_cores(region.p_points[0])
        except ArchitectureError:      # P-bar not pointed in the reduced space: the first two only
            pass
        keep, clock = [], _Clock(None, deadline, "fibre")
        for i, (neurons, e) in enumerate(sorted(out, key=lambda c: len(c[0]))):
            clock.check(f"{i} of {len(out)} reduced networks computing F checked exactly (the subspace fibre)")
            if len(neurons) <= self.n1 and equivalent(self._padded(neurons, e), self.net):
                keep.append((neurons, e))
        return keep

    def _seen_kinks(self) -> list:
        """The kinks $(\\text{key}, J)$ of $g$ (canonical form) on the hyperplanes seen on the reduced $P$."""
        seen = {fingerprint(normalise_row(tuple(w) + (b,))[0]) for w, b in _visible_kinks(self.live)}
        return [(key, delta[0]) for key, delta in canonical_form(OuterView.of(self.live).inner).kinks
                if fingerprint(normalise_row(key)[0]) in seen]

    def _seen_cores(self, p) -> list:
        """The $2^q$ orientations $o$ of the seen kinks alone, $\\sum_i J_i\\sigma(o_i\\ell_i) + E$ with $E$ matching
        $g$ at the point ``p`` of $\\overline P$ (the candidates of the seen-kinks lemma)."""
        g, out = OuterView.of(self.live).inner, []
        kinks = self._seen_kinks()
        for o in itertools.product((1, -1), repeat=len(kinks)):
            neurons = [(tuple(s * x for x in key[:-1]), s * key[-1], J) for s, (key, J) in zip(o, kinks, strict=True)]
            out.append((neurons, g(p)[0] - sum((J * relu(dot(w, p) + b) for w, b, J in neurons), _ZERO)))
        return out

    def _no_spare_slot(self) -> bool:
        r"""The no-spare-slot lemma of the module docstring (reduced plane only, $r = 2$): for every orientation
        $o$ of the seen kinks, the affine pieces of $\psi_o = g - \sum_K J_K\sigma(o_K\ell_K)$ on the cells of
        $g$'s arrangement meeting $P$ (read off their vertices and rays) are three or more, or two non-constant
        ones, or one non-constant one whose gradient is parallel to no seen normal while $C^* = \{0\}$."""
        if self.r != 2 or not self.unhidden or len(kinks := self._seen_kinks()) > 10:
            return False
        g = OuterView.of(self.live).inner
        arr = NetworkArrangement((self.live,))
        data = arr.neuron_data(g)
        meets = [any(dot(lin, x) + const > 0 for x in cell.vertices) or any(dot(lin, d) > 0 for d in cell.rays)
                 for cell, (lin, const) in zip(arr.cells, arr.affine_maps(data, arr.cells), strict=True)]
        normals = [normalise_row(key[:-1])[0] for key, _ in kinks]
        for o in itertools.product((1, -1), repeat=len(kinks)):
            rows, const = data
            rows = rows + [(arr.index[fingerprint(key)], s, -J, tuple(s * x for x in key[:-1]), s * key[-1])
                           for s, (key, J) in zip(o, kinks, strict=True)]
            pieces = {(lin, c) for (lin, c), m in zip(arr.affine_maps((rows, const), arr.cells), meets, strict=True)
                      if m}
            moving = [lin for lin, _ in pieces if any(lin)]
            if len(pieces) == 1 and (not moving or normalise_row(moving[0])[0] in normals):
                return False        # the seen kinks alone, or with a hidden neuron; or a pair on a seen hyperplane
            if len(pieces) == 2 and len(moving) < 2:
                return False        # a neuron active on some components of P
        return True

    def _meets_negative(self) -> bool:
        """Whether a point with $g < 0$ on a seen kink hyperplane was found (exact evaluation at points
        $x_0 \\pm t d$ along its directions, $t = 1, 10, \\dots, 10^4$): the premise of the seen-kinks lemma."""
        g = OuterView.of(self.live).inner
        for key, _ in self._seen_kinks():
            w, b = key[:-1], key[-1]
            x0 = tuple(-b * x / dot(w, w) for x in w)
            for d in nullspace([list(w)]):
                for t in (1, 10, 100, 1000, 10000):
                    for sgn in (1, -1):
                        if g(tuple(x + sgn * t * y for x, y in zip(x0, d, strict=True)))[0] < 0:
                            return True
        return False

    def _padded(self, neurons, e) -> Network:
        """Reduced neurons lifted to $\\theta$'s architecture, padded with zero neurons."""
        zero = ((_ZERO,) * self.n0, _ZERO, _ZERO)
        lifted = [(self._lift(a), b, v) for a, b, v in neurons] + [zero] * (self.n1 - len(neurons))
        view = self.view
        return Network((tuple(w for w, _, _ in lifted), (tuple(v for _, _, v in lifted),),
                        tuple((c,) for c in view.c)), (tuple(b for _, b, _ in lifted), (e,), view.d))

    # -- the basic sets ------------------------------------------------------------------------------------------

    def build(self, index) -> ConditionedSet:
        k, j, on, off_roles = index
        V, n0, n1 = self.net.variables(), self.n0, self.n1
        W1, B1, W2, B2 = V.weights[0], V.biases[0], V.weights[1], V.biases[1]
        roles = self._roles(on, off_roles)
        eqs, strict, nonstrict, nonzero, ell, extra, first = off_line_conditions(roles, V, n0)
        eqs += ell                                           # the listed stratum: total slope 0
        B = self.fibres[k].build_component(j)
        red = self.fibres[k].network.variables()
        sub = {red.biases[1][0]: B2[0] + extra}
        for s, i in enumerate(on):
            sub[red.biases[0][s]], sub[red.weights[1][0, s]] = B1[i], W2[0, i]
            for t, p in enumerate(self.pivots):
                sub[red.weights[0][s, t]] = W1[i, p]
        for a in range(len(self.view.c)):
            sub[red.weights[2][a, 0]], sub[red.biases[2][a]] = V.weights[2][a, 0], V.biases[2][a]
        lift = lambda polys: [sympy.expand(sympy.sympify(p).xreplace(sub)) for p in polys]  # noqa: E731
        eqs += lift(B.equations)
        strict += lift(B.strict)
        nonstrict += lift(B.nonstrict)
        nonzero += map_nonzero(lambda p: sympy.expand(sympy.sympify(p).xreplace(sub)), B.nonzero)
        row = lambda i: [W1[i, c] for c in range(n0)] + [B1[i]]  # noqa: E731
        residual = lambda i: [W1[i, c] - sum((W1[i, p] * self.basis[t][c] for t, p in enumerate(  # noqa: E731
            self.pivots)), sympy.Integer(0)) for c in range(n0) if c not in self.pivots]    # w' - w'_pi V
        for i in on:                                         # the row in R
            eqs += residual(i)
        for i0 in first.values():     # a phantom group is off R (the theorem) and on no on-space hyperplane
            nonzero += [not_all_zero(residual(i0))] + [not_all_zero(parallel_minors(row(i0), row(i))) for i in on]
        for i in on:                  # on-space neurons are live with a non-zero row (else inert or constant)
            nonzero += [W2[0, i], not_all_zero([W1[i, p] for p in self.pivots])]
        cond = None if B.condition is None else _Lifted(B.condition, lambda p: self.reduce(p, index), V.flat)
        eqs = list(dict.fromkeys(e for e in map(sympy.expand, eqs) if e != 0))
        return ConditionedSet(V.flat, tuple(eqs), tuple(map(sympy.expand, strict)),
                              tuple(map(sympy.expand, nonstrict)),
                              label=f"k = {k} on-space ({B.label}); " + " ".join(
                                  f"{i + 1}:{''.join(map(str, roles[i]))}" for i in range(n1) if i not in on),
                              condition=cond, nonzero=tuple(nonzero))

    def _roles(self, on, off_roles) -> tuple:
        roles, it = [("O", s) for s in range(self.n1)], iter(off_roles)
        for i in range(self.n1):
            if i not in on:
                roles[i] = next(it)
        return tuple(roles)

    # -- locating ------------------------------------------------------------------------------------------------

    def _point(self, point) -> Network:
        return point if isinstance(point, Network) else Network.from_parameters(self.net.architecture, point)

    def _in_space(self, w) -> bool:
        return all(x == y for x, y in zip(w, self._lift(tuple(w[p] for p in self.pivots)), strict=True))

    def _split(self, ov: OuterView):
        """The on-space neurons and the off-space roles of a point (groups renumbered), or ``None`` when it is of
        no listed type (a lone off-space neuron, off-space neurons on one hyperplane whose jumps do not cancel)."""
        roles, lines = [None] * self.n1, {}
        for i, (w, b, v) in enumerate(zip(ov.w, ov.b, ov.v, strict=True)):
            if v == 0:
                roles[i] = ("D",)
            elif not any(w):
                roles[i] = ("C+",) if b > 0 else ("C-",)
            else:
                lines.setdefault(normalise_row(tuple(w) + (b,))[0], []).append(i)
        on, g = [], 0
        for members in lines.values():
            if self._in_space(ov.w[members[0]]):      # on-space, shared hyperplanes too: the reduced fibre decides
                on += members
            elif len(members) > 1:
                norm = [normalise_row(tuple(ov.w[i]) + (ov.b[i],)) for i in members]
                if sum((ov.v[i] * nr[1] for i, nr in zip(members, norm, strict=True)), _ZERO) != 0:
                    return None
                for i, nr in zip(members, norm, strict=True):
                    roles[i] = ("P", g, nr[2])
                g += 1
            else:
                return None
        on = tuple(sorted(on))
        return on, _renumber(tuple(r for i, r in enumerate(roles) if i not in on))

    def reduce(self, point, index) -> Network | None:
        """The reduced network of the on-space neurons of ``point`` for the type ``index`` (bias $E$)."""
        k, _, on, off_roles = index
        ov = OuterView.of(self._point(point))
        roles = self._roles(on, off_roles)
        E = ov.e + sum((ov.v[i] * ov.b[i] for i, r in enumerate(roles) if r[0] == "C+" or r[0] == "P" and r[2] < 0),
                       _ZERO)
        return self._reduced([(tuple(ov.w[i][p] for p in self.pivots), ov.b[i], ov.v[i]) for i in on], E, ov)

    def locate(self, point):
        ov = OuterView.of(self._point(point))
        split = self._split(ov)
        if split is None or len(split[0]) not in self.fibres:
            return None
        on, off_roles = split
        if not strata_exist(Pattern.of(off_roles, 0), True, False):
            return None
        j = self.fibres[len(on)].locate(self.reduce(point, (len(on), None, on, off_roles)))
        return None if j is None else (len(on), j, on, off_roles)

    # -- members -------------------------------------------------------------------------------------------------

    DRAWS = 100

    def sample(self, seed, index) -> Network:
        """A member of the type ``index`` (random when ``None``): a reduced member lifted, the phantom groups with
        total slope 0, random inert and constant neurons, $e'$ compensating."""
        rng = _random.Random(seed)
        if index is None:
            listed = list(itertools.islice(iter(self.index), 10 ** 4))
            if not listed:
                raise UndecidedError("no component of this fibre is listed: widths "
                                     f"{sorted(self.undescribed)} of on-space neurons are not described")
            index = rng.choice(listed)
        k, j, on, off_roles = index
        pos = lambda: fmpq(rng.randint(1, 9), rng.randint(1, 9))  # noqa: E731
        q = lambda: fmpq(rng.randint(-9, 9), rng.randint(1, 9))  # noqa: E731
        roles = self._roles(on, off_roles)
        stuck = Pattern.of(off_roles, 0).lone_groups > 0
        for _ in range(self.DRAWS):    # a draw hits v' = 0 or a shared hyperplane with probability < 1
            red = OuterView.of(self.fibres[k].sample(rng.randrange(2 ** 32), j))
            rows, b1, v = [None] * self.n1, [None] * self.n1, [None] * self.n1
            for s, i in enumerate(on):
                rows[i], b1[i], v[i] = self._lift(red.w[s]), red.b[s], red.v[s]
            grows = group_rows(roles, [_ZERO] * self.n0, stuck, self.n0, q)
            if grows is None:
                continue
            lines, shift = draw_groups(roles, rows, b1, v, grows, pos, q)
            lines += list({normalise_row(tuple(rows[i]) + (b1[i],))[0] for i in on})
            if len(set(lines)) < len(lines) or any(v[i] == 0 for i, r in enumerate(roles) if r[0] == "P"):
                continue
            shift += draw_inert(roles, rows, b1, v, self.n0, pos, q)
            return Network((tuple(rows), (tuple(v),), tuple((c,) for c in red.c)),
                           (tuple(b1), (red.e - shift,), red.d))
        raise UndecidedError(f"no member of type {index} drawn in {self.DRAWS} tries")

    # -- dimensions ----------------------------------------------------------------------------------------------

    def dimension_bounds(self) -> tuple[int | None, int | None]:
        """The largest dimension of a listed component and the upper bound of the module's proposition (``None``
        when a width has neither a described reduced fibre at or above it nor the seen-kinks bound)."""
        n0, n1, q = self.n0, self.n1, self.q
        lower = max((F.dimension + (n1 - k) * (n0 + 1) for k, F in self.fibres.items()), default=None)
        bounds, above = [], None
        for k in range(n1, max(q, 1) - 1, -1):
            if k in self.empty:
                continue
            if k in self.fibres:
                above = (self.fibres[k].dimension, k)
            caps = [] if above is None else [above[0] - (above[1] - k) * (self.r + 1)]
            if k not in self.fibres and self.negative:
                caps.append(1 + q + (k - q) * (self.r + 2) if k > q + 1 or not self.unhidden else q + 3)
            if not caps:
                return lower, None
            bounds.append(min(caps) + (n1 - k) * (n0 + 1))
        return lower, max(bounds, default=None)

    def dimension(self) -> int:
        lower, upper = self.dimension_bounds()
        if lower is None or upper != lower:
            low = "0 (no component is listed)" if lower is None else f"{lower} (listed components)"
            high = (f"{upper} (the module's proposition)" if upper is not None else
                    f"{self.net.architecture.num_parameters} (the parameter count)")
            raise UndecidedError(f"the fibre's dimension is between {low} and {high}: widths "
                                 f"{sorted(self.undescribed)} of on-space neurons are not described",
                                 bounds=(lower or 0, self.net.architecture.num_parameters if upper is None else upper))
        return lower

    def local_dimension(self, theta) -> int:
        r"""The dimension at a member whose other neurons are all inert: that of its reduced fibre plus $n_0 + 1$
        per inert neuron ($F_k$ times their free rows lies in the fibre) — exact when their rows are off $R$ on
        hyperplanes of their own (nearby members keep them inert) and no on-space neurons cancel their jumps on a
        shared hyperplane (such a group may tilt out of $R$ together, e.g. $a\sigma(z) - (a/\lambda)\sigma(\lambda z)
        = 0$), or when it reaches :meth:`dimension`; else
        :class:`UndecidedError`."""
        j = self.locate(theta)
        if j is not None and self.build(j).contains(theta):
            k, _, on, off_roles = j
            ov = OuterView.of(self._point(theta))
            off = [i for i in range(self.n1) if i not in on]
            keys = [normalise_row(tuple(ov.w[i]) + (ov.b[i],))[0] for i in off]
            if all(r[0] == "D" for r in off_roles):
                # on-space neurons whose jumps cancel on a shared hyperplane can leave R together (a phantom
                # group), which the reduced fibre does not see: then its dimension is only a lower bound
                own = (len(set(keys)) == len(keys) and not any(self._in_space(ov.w[i]) for i in off)
                       and not _cancelling(ov, on))
                extra, top = len(off) * (self.n0 + 1), self.dimension_bounds()[1]
                try:
                    local = self.fibres[k].local_dimension(self.reduce(theta, j)) + extra
                except UndecidedError as err:
                    why = "the reduced fibre, times the inert neurons' rows"
                    if own or err.bounds is None:
                        raise err.shifted(extra, why) from None
                    # only F_k times the free rows is known to lie in the fibre: a lower bound
                    raise UndecidedError(f"{why}: {err}", bounds=None if top is None else
                                         (err.bounds[0] + extra, top)) from None
                if own or local == top:
                    return local
        raise UndecidedError("the local dimension is decided only at members whose neurons off the reduced network "
                             "are inert, with rows off R on hyperplanes of their own, and whose on-space neurons "
                             "have no cancelling jumps on a shared hyperplane (or of the fibre's dimension)")

