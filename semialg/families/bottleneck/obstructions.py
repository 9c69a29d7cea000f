r"""Case (a): what the function $f = c\,\sigma(h) + d$ forces on *every* member of its fibre — the exact refusals
of :func:`~semialg.families.bottleneck.representative.generic_representative`, and the data its first cores come
from (the seen kinks, their orientations, $h$ minus its seen kinks on each component of $P$).

Exact refusals, each a proof that *no member of the fibre is generic* (the function
forces it; the error says which): (i) $C^* = \{0\}$ and $n_1$ exceeds the number of kink hyperplanes seen on
$P$ (no neuron can be hidden); (ii) $n_0$ seen kink hyperplanes meet on $\partial P$ (every member has a vertex on
$\{h' = 0\}$); (iii) for $n_0 \ge 3$, the seen kink rows and $C^*$ span less than $\rho$ (every row of a member
with live neurons on hyperplanes of their own is visible or hidden, so lies in that span); (iv) every orientation
of the seen kinks forces a 0-factor (:func:`_orientations`; the passing orientations give the first cores);
(v) **mixed neurons forced**: $h - \sum_{\text{seen}}\delta_H\sigma(\ell_H)$ is affine on each connected component
$K$ of $P$ (unseen kink hyperplanes miss $P$), $= R_K$ (:func:`_component_residuals`); in a generic member every
neuron is visible (one per seen kink hyperplane, flipped or not) or hidden (U− or U+, no U±), so there it equals
$(\sum_{U^+}v'_j\ell'_j + e')/\mu - \sum_{\text{flipped}}\delta_H\ell_H$ on every $K$ — one map; so $R_K \ne R_{K'}$
for two components forces a U± (or dead, constant, shared) neuron in every member. Each refusal assumes that
every member has $\sigma(h') = \mu\sigma(h)$, $\mu > 0$; :func:`_standard_face` proves it from a face of
$\partial P$ (else the error says "not proven impossible" and why). When the $R_K$ agree, their common value is
the $A_0$ of the oriented cores, so the theorem of :mod:`~semialg.families.bottleneck.representative`
(success of the curve) covers disconnected $P$ too.

Cost: the cells of the first-layer arrangement, one :func:`~semialg.families.bottleneck.hidden_region.polyhedron`
per pair of pieces of $\overline P$ (components) and of $\overline P$, $\overline N$ (the boundary face), $4^{|V|}$
exact vector sums for $|V|$ seen kinks, $\binom{|V|}{n_0}$ small solves.

>>> net = Network.random((2, 4, 1, 1), seed=118, height=3)      # P has two components, a U+- neuron
>>> V, parts = _component_residuals(net, _Clock(None, None)); len(V), len(parts), parts[0][0] != parts[1][0]
(3, 2, True)
"""

from __future__ import annotations

import itertools
import math
import numbers
import time

from flint import fmpq, fmpq_mat

from semialg.core.exact import dot, fingerprint, normalise_row, rank, solve
from semialg.core.network import Network
from semialg.errors import ArchitectureError, ParameterError, UndecidedError, check_budget
from semialg.families.bottleneck.hidden_region import (Polyhedron, _remembered, _sign_range, _value, closed_cells,
                                                       cut_cells, polyhedron)
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import OuterView, Vec, _ZERO
from semialg.families.shallow import canonical_form

__all__: list[str] = []


class _Clock:
    """The time limit of one search (``task``, named in the message): ``budget`` seconds from now and an absolute
    ``deadline`` (:func:`time.monotonic`), whichever comes first (``None``: no limit); :meth:`check` raises
    :class:`UndecidedError` saying what was done once it has passed."""

    def __init__(self, budget: float | None, deadline: float | None, task: str = "generic_representative"):
        self.task = task
        if budget is not None:
            check_budget(budget, "generic_representative: budget", seconds=True)
        if deadline is not None and (isinstance(deadline, bool) or not isinstance(deadline, numbers.Real)
                                     or not math.isfinite(deadline)):
            raise ParameterError(f"generic_representative: deadline must be a finite time.monotonic() value, "
                                 f"not {str(deadline)[:40]}")
        ends = [t for t in (None if budget is None else time.monotonic() + budget, deadline) if t is not None]
        self.end = min(ends) if ends else None
        self.done = "nothing"

    def check(self, done: str | None = None) -> None:
        if done is not None:
            self.done = done
        if self.end is not None and time.monotonic() >= self.end:
            raise UndecidedError(f"{self.task}: the time budget was spent; done: {self.done}; "
                                 f"pass a larger budget (or budget=None) to search on")



def _visible_kinks(live: Network) -> list[tuple[Vec, fmpq]]:
    r"""The hyperplanes $(w, b)$ of $\theta$'s visible neurons that carry a kink of $h$ (canonical form of the
    shallow $h$): every member puts a neuron on each (its kink is seen on $P$), and the other visible lines of
    $\theta$ (cancelling groups) are not needed."""
    kinks = {fingerprint(normalise_row(key)[0]) for key, _ in canonical_form(OuterView.of(live).inner).kinks}
    view, t = OuterView.of(live), combinatorial_type(live)
    out = {}
    for w, b, c in zip(view.w, view.b, t.classes, strict=True):
        key = fingerprint(normalise_row(w + (b,))[0])
        if c == "V" and key in kinks:
            out.setdefault(key, (w, b))
    return list(out.values())


def _in_closure_of_p(live: Network, p: Vec) -> bool:
    r"""Whether $p \in \overline P$: some closed cell of the arrangement contains $p$ and its affine piece of $h$ is
    positive somewhere on it (then near $p$ too, by convexity, as $h(p) = 0$)."""
    cells, maps = closed_cells(live)
    return any(Q is not None and all(_value(row, p) >= 0 for row in Q.rows) and _sign_range(Q, A) >= 0
               for Q, A in zip(cells, maps, strict=True))


def _pieces(live: Network, clock: _Clock | None = None) -> tuple[list[tuple[Polyhedron, tuple]],
                                                                 list[tuple[Polyhedron, tuple]]]:
    r"""The closed pieces of $\overline P$ ($\overline C \cap \{A_C \ge 0\}$, full-dimensional) with $h$'s affine map
    $A_C$ on each, and the full-dimensional pieces of $\{h \le 0\}$ ($\overline C \cap \{A_C \le 0\}$ with $A_C < 0$
    somewhere, or $\overline C$ when $A_C = 0$) with theirs, from :func:`~.hidden_region.cut_cells` (computed once
    per network); ``clock`` bounds the time of the cells."""
    pieces = cut_cells(live, clock)
    return [(p, A) for _, p, _, A in pieces if p is not None], [(n, A) for _, _, n, A in pieces if n is not None]


def _key(v: Vec) -> tuple:
    """``v`` as pairs (numerator, denominator): equal vectors, equal keys, hashed ten times faster than ``v``."""
    return tuple((x.numerator, x.denominator) for x in v)


def _components(p_pieces, clock: _Clock | None = None) -> list[list[int]]:
    r"""The connected components of the open set $P = \{h > 0\}$ as lists of indices of its closed pieces (those of
    :func:`_pieces`: one per cell $C$ of the first-layer arrangement, $\overline C \cap \{A_C \ge 0\}$, the cut row
    last). Two pieces are joined when $h > 0$ at a common point: a small ball around it lies in $P$ and meets both.
    These joins suffice through the facets of the arrangement: a path in $P$ between two pieces can be moved off the
    faces of codimension 2 (removing them leaves an open connected set connected), so it passes from cell to cell
    through the inside of common facets, at points with $h > 0$; and two cells with a common facet on $H$ have the
    same closed face $\overline C \cap H$, on which $A_C = h$ agree, so their pieces have the same face
    $\overline C \cap H \cap \{h \ge 0\}$ — the same extreme vertices and rays, found by hashing. So pieces are
    joined through the vertices they share where $h > 0$ and through the faces on the arrangement's hyperplanes they
    share where $h > 0$ somewhere (at a vertex or along a ray), and nothing else is joined.
    Cost: $O(m(V + R))$ exact dot products for $m$ rows, $V$ vertices and $R$ rays per piece, hashed; ``clock``
    checked every 64 pieces.

    >>> net = Network.from_arrays([[[1, 1], [-1, -1], [1, -1], [-1, 1]], [[1, 1, -1, -1]], [[1]]],
    ...                           [[0, 0, 0, 0], [0], [0]])   # h > 0 on two opposite quadrants
    >>> sorted(len(c) for c in _components(_pieces(net)[0]))
    [2, 2]
    """
    parent = list(range(len(p_pieces)))

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    def join(i, j):
        parent[root(i)] = root(j)

    done = f"joining the {len(p_pieces)} pieces of the closure of P into components"
    at: dict = {}
    for i, (Q, A) in enumerate(p_pieces):
        if clock is not None and not i % 64:
            clock.check(done)
        # every row and A at every vertex and ray: one exact product; points keyed by numerators and denominators
        # (hashing an fmpq goes through Fraction: 3 us, ten times a pair of integers)
        rows, k, n = Q.rows[:-1], len(Q.vertices), len(A[0])
        M = fmpq_mat([list(row[:-1]) for row in rows] + [list(A[0])])
        gens = Q.vertices + Q.rays
        vals = (M * fmpq_mat(n, len(gens), [g[q] for q in range(n) for g in gens])).tolist()
        keys = [_key(g) for g in gens]
        positive = {j for j, x in enumerate(vals[-1]) if (x + A[1] if j < k else x) > 0}   # h > 0 there, or rising
        for j in positive:
            if j < k:
                join(i, at.setdefault(keys[j], i))
        for row, at_row in zip(rows, vals[:-1], strict=True):
            on = [j for j, x in enumerate(at_row) if (x + row[-1] if j < k else x) == 0]
            if on and on[0] < k and positive.intersection(on):
                face = (_key(max(row, tuple(-x for x in row))), frozenset(keys[j] for j in on if j < k),
                        frozenset(keys[j] for j in on if j >= k))
                join(i, at.setdefault(face, i))
    out: dict = {}
    for i in range(len(p_pieces)):
        out.setdefault(root(i), []).append(i)
    return list(out.values())


def _standard_face(live: Network, clock: _Clock) -> Vec | None:
    """:func:`_boundary_face` of ``live``, computed once per network."""
    return _remembered("face", live, lambda: _boundary_face(live, clock))


def _boundary_face(live: Network, clock: _Clock) -> Vec | None:
    r"""A vertex of a face $F$ of $\partial P$ (of dimension $n_0 - 1$, between a piece of $\overline P$ with map $A$ and
    one of $\{h \le 0\}$) whose hyperplane $H = \{A = 0\}$ has a point $q$ where $\sigma(h)$ is affine nearby and
    $h(q) < \sup h$: $h(q) < 0$, or $q$ inside a plateau $h = 0$, or inside a cell $C$ that $H$ crosses with $A_C$
    positive and not constant on $H \cap \overline C$; ``None`` when there is none.

    Such a face proves that every member $\theta'$ has $\sigma(h') = \mu\sigma(h)$ with $\mu > 0$ and $d' = d$:
    $f_{\theta'} = f_\theta$ means $\sigma(h) = \sigma(h')/\lambda + \tau$, and for $\tau \ne 0$ (the only other
    members: $h' > 0$ everywhere, or $\lambda < 0$ with $h \le \tau$) $\sigma(h)$ is $a g + b$ ($a \ne 0$) for a shallow
    network $g$ on $U = \{h < \sup h\}$ ($\mathbb{R}^{n_0}$ when $h$ is unbounded). The kink of $\sigma(h)$ across $F$
    (gradient jump $\nabla A \ne 0$) makes $H$ a kink hyperplane of $g$, with one jump all along $H$; but near $q$,
    $\sigma(h)$ is affine, so $g$ has no kink there (distinct hyperplanes through $q$ cannot cancel). Every exact
    refusal of this module needs it. Cost: one :func:`polyhedron` per pair of pieces and per piece or cell met
    (stops at the first face)."""
    p_pieces, n_pieces = _pieces(live, clock)
    cells, maps = zip(*[(Qc, A) for Qc, _, _, A in cut_cells(live, clock)])
    n0, tested = live.architecture.input_dim, set()
    for (Q, A), (Qn, _) in itertools.product(p_pieces, n_pieces):
        clock.check("looking for a face of the boundary of P whose hyperplane meets a point where sigma(h) is "
                    "affine")
        key = fingerprint(normalise_row(tuple(A[0]) + (A[1],))[0])
        F = None if key in tested else polyhedron(Q.rows + Qn.rows, lineality=Q.lineality)
        if F is None:
            continue
        span = [tuple(a - b for a, b in zip(v, F.vertices[0], strict=True)) for v in F.vertices[1:]] + list(F.rays)
        if (rank(span) if span else 0) != n0 - 1:
            continue
        tested.add(key)
        row = tuple(A[0]) + (A[1],)
        on_h = (row, tuple(-x for x in row))
        for Q2, A2 in n_pieces:        # h < 0 at a point of H, or H through the inside of a plateau h = 0
            if not (any(A2[0]) or A2[1]):
                if _sign_range(Q2, A) == 0:
                    return F.vertices[0]
                continue
            G = polyhedron(Q2.rows + on_h, lineality=Q2.lineality)
            if G is not None and (any(dot(A2[0], v) + A2[1] < 0 for v in G.vertices)
                                  or any(dot(A2[0], r) < 0 for r in G.rays)):
                return F.vertices[0]
        for Qc, Ac in zip(cells, maps, strict=True):
            if Qc is None or _sign_range(Qc, A) != 0:
                continue
            G = polyhedron(Qc.rows + on_h, lineality=Qc.lineality)
            vals = [dot(Ac[0], v) + Ac[1] for v in G.vertices]
            slopes = [dot(Ac[0], r) for r in G.rays]
            if any(x > 0 for x in vals + slopes) and (len(set(vals)) > 1 or any(slopes)):
                return F.vertices[0]
    return None


def _component_residuals(live: Network, clock: _Clock):
    r"""The kinks seen on $P$ and, per connected component $K$ of $P$ (:func:`_components`), the affine map
    $R_K = h - \sum_{H \text{ seen}}\delta_H\sigma(u_H\cdot x + \beta_H)$ on $K$ (linear part, constant), from the
    canonical form $h = \sum_H\delta_H\sigma(u_H\cdot x + \beta_H) + Lx + c$: the unseen kink hyperplanes miss $P$, so
    each adds $\delta_H\ell_H$ on the components on its positive side. Returns ``(V, [(R_K, p_K, hull), ...])``,
    with a point $p_K$ inside $K$ and ``hull`` the vertices and rays of the pieces of $\overline K$, or ``None``
    when an unseen kink hyperplane has a component on both sides (no claim is made)."""
    K = canonical_form(OuterView.of(live).inner)
    seen = {fingerprint(normalise_row(w + (b,))[0]) for w, b in _visible_kinks(live)}
    V = [(tuple(key[:-1]), key[-1], delta[0]) for key, delta in K.kinks if fingerprint(normalise_row(key)[0]) in seen]
    unseen = [(tuple(key[:-1]), key[-1], delta[0]) for key, delta in K.kinks
              if fingerprint(normalise_row(key)[0]) not in seen]
    p_pieces, _ = _pieces(live, clock)
    out = []
    for comp in _components(p_pieces, clock):
        clock.check("computing h minus its seen kinks on each component of P")
        pts = [v for i in comp for v in p_pieces[i][0].vertices]
        rays = [r for i in comp for r in p_pieces[i][0].rays]
        A0, c0 = list(K.linear[0]), K.constant[0]
        for u, beta, d in unseen:
            vals = [dot(u, p) + beta for p in pts] + [dot(u, r) for r in rays]
            if all(x >= 0 for x in vals):
                A0, c0 = [a + d * x for a, x in zip(A0, u, strict=True)], c0 + d * beta
            elif not all(x <= 0 for x in vals):
                return None
        Q = p_pieces[comp[0]][0]           # a point inside: positive weights on every vertex and ray
        inner = tuple(sum(xs, _ZERO) / len(Q.vertices) for xs in zip(*Q.vertices, strict=True))
        out.append(((tuple(A0), c0), tuple(x + sum((r[i] for r in Q.rays), _ZERO) for i, x in enumerate(inner)),
                    (pts, rays)))
    return V, out


def _orientations(net: Network, V, residual, cone: list[Vec], rays, clock: _Clock):
    r"""The orientations of the seen kinks that pass the necessary conditions for a member without 0-factor, with
    the data to build its core; ``None`` when no claim is made (more than 10 seen kinks).

    ``residual`` $= (A_0, c_0)$ is the common map of :func:`_component_residuals`:
    $h = \sum_{H \in V}\delta_H\sigma(\ell_H) + A_0\cdot x + c_0$ on $P$, $V$ the seen kinks. A
    member orients its neuron on $H \in V$ by $\varepsilon_H = \pm1$ ($v'w' = \varepsilon_H\delta_Hu_H$, up to
    $\mu$), so its U+ neurons carry $A(\varepsilon) = A_0 + \sum_{\varepsilon_H = -1}\delta_Hu_H$ on $P$. It has a
    0-factor if some non-empty $S \subseteq V$ has $\sum_S \varepsilon_H\delta_Hu_H = 0$, or $A(\varepsilon) \ne
    0$ and some $S \subseteq V$ (empty too) has $\sum_S \varepsilon_H\delta_Hu_H + A(\varepsilon) = 0$ ($S$ with
    the whole U+ block); and $A(\varepsilon) \ne 0$ needs a free slot and $A(\varepsilon) \in
    \operatorname{span} C^* = C^* - C^*$ (each U+ neuron carries $v'w'$ with $w'\cdot x$ bounded below on
    $\overline P$, so $v'w' \in C^* \cup -C^*$), with a single free slot even $A(\varepsilon) \in C^* \cup -C^*$
    ($A\cdot r \le 0$ on every extreme ray $r$ of $\overline P$ (``rays``), or $\ge 0$ on every one). If every
    $\varepsilon$ fails, no member is generic. Cost: $4^{|V|}$ exact vector sums."""
    A0, c0 = residual
    if len(V) > 10:
        return None
    free, span = net.widths[1] - len(V), (rank(cone) if cone else 0)
    passing = []
    for eps in itertools.product((1, -1), repeat=len(V)):
        clock.check(f"orienting the {len(V)} kinks seen on P ({len(passing)} orientation(s) passed so far)")
        vecs = [tuple(e * d * x for x in u) for e, (u, _, d) in zip(eps, V, strict=True)]
        A = tuple(a + sum((d * u[i] for e, (u, _, d) in zip(eps, V, strict=True) if e < 0), _ZERO)
                  for i, a in enumerate(A0))
        if any(A) and (free < 1 or rank(cone + [A]) > span or free == 1 and not (
                all(dot(A, r) <= 0 for r in rays) or all(dot(A, r) >= 0 for r in rays))):
            continue
        sums, bad = {tuple(_ZERO for _ in A0)}, False
        for g in vecs:
            new = {tuple(a + b for a, b in zip(t, g, strict=True)) for t in sums}
            bad = any(not any(t) for t in new)
            if bad:
                break
            sums |= new
        if not bad and not (any(A) and any(not any(a + b for a, b in zip(t, A, strict=True)) for t in sums)):
            passing.append((eps, A))
    return V, c0, passing


def _refuse(live: Network, clock: _Clock, message: str) -> None:
    r"""Raise the exact refusal ``message`` ("... no member of its fibre is generic: <why>") when a face of
    $\partial P$ proves that every member has $\sigma(h') = \mu\sigma(h)$, $\mu > 0$ (:func:`_standard_face`),
    on which every refusal's argument rests; else raise saying that the refusal is not proven and why."""
    if _standard_face(live, clock) is not None:
        raise ArchitectureError(message)
    head, _, why = message.partition(" and no member of its fibre is generic: ")
    raise ArchitectureError(
        f"{head} and no generic representative was found; not proven impossible: the argument ({why.split(';')[0]}) "
        f"assumes sigma(h') = mu sigma(h) with mu > 0 for every member, but no face of the boundary of P lies on a "
        f"hyperplane through a point where sigma(h) is affine nearby and h < sup h, so members with mu < 0 or h' > 0 "
        f"everywhere (sigma(h) a shallow network there) are not excluded; sa.equivalent decides membership")


def _affine_str(a: Vec, c: fmpq) -> str:
    return " + ".join([f"{x}*x{i + 1}" for i, x in enumerate(a) if x != 0] + [str(c)])


def _intrinsic_obstruction(net: Network, live: Network, cone: list[Vec], failed: str, clock: _Clock) -> None:
    r"""Raise when the function itself forces every member to be non-generic, decided exactly:

    * an **arrangement vertex on** $\{h = 0\}$: $n_0$ visible kink hyperplanes (:func:`_visible_kinks`) meet in a
      point $p \in \overline P$ with $h(p) = 0$; every member has neurons on them, so $p$ is a vertex of its
      arrangement, and $h'(p) = \mu h(p) = 0$ by continuity from $P$;
    * **nothing can be hidden**: $C^* = \{0\}$ and $n_1$ exceeds the number of seen kink hyperplanes;
    * for $n_0 \ge 3$, **rank**: in a member whose neurons are live on hyperplanes of their own, every neuron is
      visible (on a kink hyperplane) or hidden (U−: row in $C^*$, U+: in $-C^*$; U± is not generic), so every row
      lies in $S = \operatorname{span}(\text{visible kink rows}) + \operatorname{span} C^*$; if
      $\dim S < \min(n_0, n_1)$ none is generic. (Then a hidden slot has $\dim C^* + 2 \le \dim S + 2$ degrees
      of freedom and a dead slot ($v' = 0$, any $w'$, $b'$) $n_0 + 1$: pieces of non-simple type are as large as
      the simple ones or larger.)
    """
    n0, n1 = net.architecture.input_dim, net.widths[1]
    kinks = _visible_kinks(live)
    inner = OuterView.of(live).inner
    for chosen in itertools.combinations(kinks, n0):
        clock.check(f"looking for arrangement vertices on {{h = 0}} among {len(kinks)} seen kink hyperplanes")
        A = [list(w) for w, _ in chosen]
        if rank(A) == n0:
            p = tuple(solve(A, [-b for _, b in chosen]))
            if inner(p)[0] == 0 and _in_closure_of_p(live, p):
                _refuse(live, clock,
                    f"fibre: the parameter is not generic ({failed}) and no member of its fibre is generic: the "
                    f"kink hyperplanes of h through ({', '.join(map(str, p))}) are seen on P, so every member has "
                    f"neurons on them, and this vertex lies on the boundary of P, where every member has h' = 0 "
                    f"(a vertex on {{h = 0}}); such fibres are not described; sa.equivalent decides membership")
    if not cone and n1 > len(kinks):
        _refuse(live, clock,
            f"fibre: the parameter is not generic ({failed}) and no member of its fibre is generic: P-bar meets "
            f"every half-{'plane' if n0 == 2 else 'space'} (C* = {{0}}), so no neuron can be hidden (U- or U+), and "
            f"the {n1 - len(kinks)} slot(s) beyond the {len(kinks)} kink hyperplanes seen on P can only be dead, "
            f"constant, U+- or share a hyperplane; such fibres are not described; sa.equivalent decides membership")
    if n0 < 3:
        return
    rows = [w for w, _ in kinks] + cone
    d = rank(rows) if rows else 0
    if d < min(n0, n1):
        _refuse(live, clock,
            f"fibre: the parameter is not generic ({failed}) and no member of its fibre is generic: every row of a "
            f"member whose neurons are live on hyperplanes of their own lies in the span of the kink rows seen on "
            f"P and of the rows w with w.x bounded above on P-bar (a hidden hyperplane tilted out of it enters P), "
            f"of dimension {d} < min(n0, n1) = {min(n0, n1)}, so every such member fails 'full first-layer rank'; "
            f"not described (every type of the fibre): the simple pieces (each slot on a seen kink hyperplane or "
            f"hidden with its row in that span, at most {d} + 2 degrees of freedom per hidden slot; the hidden-neuron "
            f"fibre builds them at full rank only, where nothing outgrows them) and the pieces that here are as "
            f"large or larger: dead slots (v' = 0, w' and b' free: n0 + 1 = {n0 + 1} each), constant slots (w' = 0), "
            f"two slots on one hyperplane, mixed (U+-) slots; the simple pieces alone would miss top-dimensional "
            f"parts; sa.equivalent decides membership")



def forced(net: Network, live: Network, cone: list[Vec], rays, failed: str, clock: _Clock):
    r"""Raise the exact refusal when the function forces every member to be non-generic (the module docstring:
    (i)–(v)); else return the seen kinks, $c_0$ and the orientations that pass (:func:`_orientations`), or
    ``None`` when no claim is made about them. ``live`` is $\theta$ without dead and constant neurons, ``cone``
    the generators of $C^*$, ``rays`` the extreme rays of $\overline P$, ``failed`` the conditions $\theta$ fails
    (for the messages)."""
    _intrinsic_obstruction(net, live, cone, failed, clock)
    residuals = _component_residuals(live, clock)
    if residuals is None:
        return None
    V, parts = residuals
    if len({R for R, _, _ in parts}) > 1:
        (R1, p1, _), (R2, p2, _) = next((a, b) for a, b in itertools.combinations(parts, 2) if a[0] != b[0])
        _refuse(live, clock,
                f"fibre: the parameter is not generic ({failed}) and no member of its fibre is generic: P has "
                f"{len(parts)} connected components, and h minus its {len(V)} kink(s) seen on P is affine on each "
                f"but not the same map (e.g. {_affine_str(*R1)} on the component through "
                f"({', '.join(map(str, p1))}), {_affine_str(*R2)} on the one through ({', '.join(map(str, p2))})), "
                f"while in a member without U+- neurons it is one map on all of P (U+ neurons and e, minus the "
                f"flipped seen kinks); so every member has a mixed neuron (U+-), a neuron shared by two of them, or "
                f"a dead or constant one; such fibres are not described; sa.equivalent decides membership")
    oriented = _orientations(net, V, parts[0][0], cone, rays, clock)
    if oriented is not None and not oriented[2]:
        _refuse(live, clock,
                f"fibre: the parameter is not generic ({failed}) and no member of its fibre is generic: under each "
                f"of the 2^{len(V)} orientations of the neurons on the {len(V)} kink hyperplanes seen on P, the "
                f"seen kinks, or they with the U+ neurons that must carry the remaining linear part on P, contain "
                f"a 0-factor (or that part cannot be carried: no free slot, off span C*, or with one free slot "
                f"neither bounded above nor below on P-bar); such fibres are not described; sa.equivalent "
                f"decides membership")
    return oriented


#: Public names of the pieces of $\overline P$ and $\{h \le 0\}$ and of $P$'s components, for other modules.
sign_pieces, p_components = _pieces, _components
