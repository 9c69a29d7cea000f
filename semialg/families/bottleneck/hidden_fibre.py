r"""Case (a), $n_0 \ge 2$: explicit fibres of generic parameters with hidden first-layer neurons (types U−, U+).

Let $\theta$ be generic of regime PN with visible neurons $V$ and $m \ge 1$ hidden ones, $f = c\,\sigma(h) + d$.
If $f_{\theta'} = f_\theta$ then $c' = c/\mu$, $d' = d$ and $\sigma(h') = \mu\sigma(h)$ for some $\mu > 0$ (a
negative $\mu$ or $h' > 0$ everywhere would need $\partial P$ to be straight lines crossed by no first-layer line,
i.e. all rows parallel, which is excluded). For $n_0 \ge 3$ the genericity checks ask the first-layer rows to have
rank $\min(n_0, n_1)$; when that is $n_1 < n_0$ every polyhedron of
:class:`~semialg.families.bottleneck.hidden_region.HiddenRegion` is a cylinder along the common kernel $L$ of
the rows, whose directions are rays both ways, so each hidden slot is forced to $w'_j \perp L$ (an implicit
equality of the LP), and everything below happens in the quotient by $L$. With $g = h'/\mu$ this is: $g = h$ on $P$ and $g \le 0$ on
$\overline N = \{h \le 0\}$. A member of *simple type* puts one neuron on each visible line $H_k$ (kink
$u_i|\lambda_i| = v_k$, $u_i = v'_i/\mu$, $\ell'_i = \lambda_i\ell_k$; flipped when $\lambda_i < 0$, a set $F$) and
every other neuron ("hidden slot") off $P$: $\kappa_j\ell'_j \le 0$ on $\overline P$ with $\kappa_j = +1$ (U−′,
dead on $P$) or $-1$ (U+′, affine on $P$). On $P$: $\sum_{U+'} u_j\ell'_j + \varepsilon = A + \sum_{k\in F}
v_k\ell_k$ as affine maps ($A$: the U+ neurons and $e$ of $\theta$; $\varepsilon = e'/\mu$). Off $P$:
$\Phi = H_0 + \sum_j u_j\sigma(\kappa_j\ell'_j) \le 0$ on $\overline N$, $H_0 = h_V + A$.

Components are indexed by the label of every slot: a visible line (flipped or not) or a hidden class with the
sign of $u_j$. Their off-$P$ condition is a list of polynomial inequalities when it is convex or has one concave
term alone: no $u_j < 0$ — $\Phi$ is convex on each polyhedron of $\overline N$, so
$H_0(p) + \sum_{j\in R}u_j\kappa_j\ell'_j(p) \le 0$ at its vertices $p$ for every $R$, likewise at its rays; no
$u_j > 0$ and $H_0 \le 0$ on $\overline N$ — nothing to check; no $u_j > 0$, one $u_k < 0$ —
$|u_k|\kappa_k\ell'_k \ge H_0$ on $\overline N \cap \{H_0 \ge 0\}$ (vertices and rays). Otherwise (negative slots
with positive ones, or several digging where $H_0 > 0$) it is a quantifier-free formula, a conjunction of
disjunctions of polynomial sign conditions at the vertices, the crossings of negative lines with edges and with
each other, and the rays (:mod:`~semialg.families.bottleneck.hidden_formula`).
Non-emptiness: in the normalised slice ($\mu = 1$, $|u_j| = 1$, visible slots fixed) every polynomial row is
linear, so an exact LP decides it (implicit equalities found with Gordan multipliers become equations); for the
other components that LP of their polynomial rows proves emptiness, sufficient LPs
(:meth:`HiddenFibre._sufficient`) prove non-emptiness, $\theta$ witnesses its own component, an exact LP with
the negative slots' hyperplanes pinned proves non-emptiness and a branching on their signs at points of
$\overline N$ proves emptiness with a certificate (:mod:`~semialg.families.bottleneck.hidden_branching`), a point of the
slice (random, or near the necessary LP's witness) with every inequality and formula atom non-zero (or vanishing
on the whole slice) proves an open piece (:meth:`HiddenFibre._search`), and anything else is reported undecided,
never listed. Labellings forcing a hidden slot to $w' = 0$ (a constant neuron) and pieces of the fibre that are
not of simple type (U±′ slots when $P$ is disconnected, $v'_j = 0$, shared lines) are lower-dimensional and not
listed; ``contains`` of the fibre still decides them exactly. Samples are of simple type (witnesses on a
non-simple locus are moved into the relative interior). The rows of a hidden multiset are built once for all
flip sets and composed with each slice by exact matrix products; deciding the classes takes a ``budget``.

>>> from semialg.families.bottleneck.types import combinatorial_type
>>> net = Network.random((2, 3, 1, 1), seed=9, height=3)
>>> Hf = HiddenFibre(net, combinatorial_type(net)); Hf.dimension, Hf.locate(net)
(8, (('V', 0, False), ('U+', 1), ('U-', -1)))
"""

from __future__ import annotations

import itertools
import random as _random
import time
from dataclasses import dataclass, field

from semialg.core.lazy import sympy  # imported on first use: start-up time
from flint import fmpq, fmpq_mat

from semialg.core.exact import dot, fingerprint, normalise_row, to_sympy
from semialg.core.network import Network
from semialg.errors import ArchitectureError, UndecidedError
from semialg.families.bottleneck.hidden_branching import ClassBrancher
from semialg.families.bottleneck.hidden_formula import negative_formula
from semialg.families.bottleneck.hidden_labels import KAPPA, Slice, SlotIndex, _Cached, _Row, _at, _weighted
from semialg.families.bottleneck.ident_cache import hidden_region
from semialg.families.bottleneck.outer import equivalent_outer
from semialg.families.bottleneck.types import BottleneckType
from semialg.families.bottleneck.slot_labelling import Decision, SlotLabelledFibre, count_label_classes, key_of
from semialg.families.bottleneck.views import _ZERO, _scale
from semialg.geometry.polyhedron import decide
from semialg.geometry.semialgebraic import BasicSet, as_substitution, nonzero_entries

__all__ = ["HiddenFibre", "ConditionedSet"]

LABELS = (("U+", -1), ("U+", 1), ("U-", -1), ("U-", 1))


@dataclass(frozen=True)
class ConditionedSet(BasicSet):
    """A basic set intersected with one more exact ``condition`` (an object with ``holds(point)``,
    ``describe()`` and ``to_latex()``), e.g. a quantifier-free formula; ``None`` means none."""

    condition: object = field(default=None, compare=False)

    def violated(self, point):
        bad = super().violated(point)
        if bad is None and self.condition is not None and not self.condition.holds(point):
            return "condition", self.condition.describe(), None
        return bad

    def interior(self, point, vanishing_ok=None) -> bool:
        """Whether ``point`` (a member) has a neighbourhood in a family of points that lies in the set: every
        inequality and every atom of ``condition`` is non-zero there or passes ``vanishing_ok`` (vanishes on the
        whole family; ``None``: none does)."""
        sub = as_substitution(self.variables, point)
        for q in self.strict + self.nonstrict:
            v = sympy.sympify(q).xreplace(sub)
            if v < 0 or v == 0 and not (vanishing_ok and vanishing_ok(q)):
                return False
        for t in self.nonzero:     # an open condition where it holds
            if all(sympy.sympify(q).xreplace(sub) == 0 for q in nonzero_entries(t)):
                return False
        return self.condition is None or self.condition.robust(sub, vanishing_ok)


def _label_text(lab) -> str:
    if lab[0] == "V":
        return f"V{lab[1] + 1}" + ("*" if lab[2] else "")
    return f"{lab[0]}({'+' if lab[1] > 0 else '-'})"


class HiddenFibre(SlotLabelledFibre):
    """The components of the fibre of a generic case-(a) parameter with hidden neurons: ``index``, ``build``,
    ``locate``, ``sample``, ``dimension`` and ``undecided`` (keys whose emptiness was not decided). Deciding the
    label classes stops with :class:`~semialg.errors.UndecidedError` (how many were decided) after ``budget``
    seconds (``None``: no limit); classes left undecided by the first pass get a 25 times deeper branching
    while the budget lasts (those it does not reach stay ``undecided``); ``progress``
    shows a tqdm bar (``None``: on a terminal, after 2 s)."""

    #: LPs per class for the branching of the first pass (hidden_branching.py); the deeper pass allows 25 times more
    BRANCH_LIMIT = 200

    def __init__(self, net: Network, t: BottleneckType, budget: float | None = None, progress: bool | None = None):
        if t.regime != "PN" or not set(t.classes) <= {"V", "U-", "U+"}:
            raise ArchitectureError(f"explicit hidden-neuron fibres need regime PN and classes V, U-, U+; "
                                    f"got {t.describe()}")
        self._total = count_label_classes(net, t.classes.count("V"), len(t.classes) - t.classes.count("V"),
                                          len(LABELS), "hidden")
        self._init_slots(net, t, hidden_region(net))
        view = self.view
        own = tuple(sorted((c, 1 if view.v[i] > 0 else -1) for i, c in enumerate(t.classes) if c != "V"))
        self.own_key = (frozenset(), own)
        self.decisions = {}
        self._formulas: dict = {}        # hidden slots (positions, labels) -> off-P formula (shared by the flip sets)
        self._memo: dict = {}            # hidden multiset -> its row systems (shared by the flip sets)
        self._vertex_memo: dict = {}     # (point, one, constant) -> {slot set: its row} (_vertex_rows)
        self._refuted: dict = {}         # hidden multiset -> Gordan multipliers of its failed sufficient LPs
        self._probe_values = None
        from tqdm.auto import tqdm
        # wide parameters with several hidden neurons take minutes: a bar on a terminal after 2 s, else silent
        self.branch_limit = self.BRANCH_LIMIT
        self.deadline = None if budget is None else time.monotonic() + budget
        self._budget = budget
        # grouped by hidden labels, which share one off-P formula (Formula keeps the tree of the last one used)
        for key in tqdm(self._label_classes(LABELS, hidden_first=True), total=self._total,
                        desc="hidden fibre: label classes", unit="class", delay=2, leave=False,
                        disable=None if progress is None else not progress):
            self._current = key
            self._spend()
            self.decisions[key] = self._decide(key)
        self._current = None
        self.decisions = {k: self.decisions[k] for k in self._label_classes(LABELS)}     # flip sets outermost
        for key in [k for k, d in self.decisions.items() if d.status == "undecided"]:
            try:        # what is left of the budget branches the undecided classes 25 times deeper
                self.decisions[key] = self._decide(key, 25 * self.branch_limit)
            except UndecidedError:    # spent: the classes not reached stay undecided (listed as such)
                break
        listed = [k for k, d in self.decisions.items() if d.status == "nonempty"]
        self.index = SlotIndex(len(t.classes), self.visible, listed)
        self.undecided = [k for k, d in self.decisions.items() if d.status == "undecided"]
        n1 = len(t.classes)
        self.deadline = None        # the budget bounds the construction, not the later use of the fibre
        self.dims = {k: self.decisions[k].dim + n1 + 1 for k in listed}
        self.dimension = max(self.dims.values())
        self.index_description = (
            "every first-layer slot labelled by the visible line it carries (* = flipped) or by a hidden class "
            "(U- dead on P, U+ affine on P) with the sign of its output weight; c' = c/mu, d' = d"
            + (f"; {sum(self.index._count(k) for k in self.undecided)} further labellings in "
               f"{len(self.undecided)} label classes are undecided (not listed)" if self.undecided else ""))

    def _spend(self) -> None:
        """:class:`UndecidedError` saying what was decided once the budget is spent (checked between LPs)."""
        if self.deadline is None or time.monotonic() < self.deadline:
            return
        done = [d.status for k, d in self.decisions.items() if k != self._current]
        counts = ", ".join(f"{done.count(s)} {s}" for s in ("nonempty", "empty", "constant", "undecided")
                           if done.count(s))
        raise UndecidedError(
            f"hidden fibre of {self.net.architecture} with {self.m} hidden neuron(s): the budget of {self._budget:.3g} "
            f"s was spent after deciding {len(done)} of {self._total} label classes ({counts or 'none yet'}); "
            f"pass a larger budget (or budget=None) for the whole fibre")

    # -- rows of the conditions -------------------------------------------------------------------------------

    def _e4(self, H) -> list:
        R = self.region
        rows = []
        for j, cls, _ in H:
            k = KAPPA[cls]
            rows += [_Row(_ZERO, ((j, _at(k, p)),), False, ("e4", j, p, 1)) for p in R.p_points]
            rows += [_Row(_ZERO, ((j, _at(k, r, 0)),), False, ("e4", j, r, 0)) for r in R.p_rays]
        return rows

    def _vertex_rows(self, pieces, subsets, skip_boundary: bool) -> list:
        """$-(H_0 + \\sum_{j\\in R}u_j\\kappa_j\\ell'_j) \\ge 0$ at the vertices and rays of ``pieces``. One row
        object per point and slot set, shared by every system that states it: exact multipliers refuting one
        system then refute the others that hold all their rows, without an LP (:meth:`_decide`)."""
        R, rows, seen = self.region, [], set()
        slots = set().union(*subsets)

        def at(x, c, one):
            known, coefs, out = self._vertex_memo.setdefault((x, one, c), {}), None, []
            for S in subsets:
                if S not in known:
                    if coefs is None:     # once per point, not once per subset
                        coefs = {h: (h[0], _weighted(h, x, one)) for h in slots}
                    known[S] = _Row(c, tuple(coefs[h] for h in S), True)
                out.append(known[S])
            return out

        for Q in pieces:
            for p in Q.vertices:
                if p in seen or (skip_boundary and R.h(p) == 0):
                    continue
                seen.add(p)
                rows += at(p, -R.H0(p), 1)
            for d in Q.rays:
                rows += at(d, -dot(Q.H0[0], d), 0)
        return rows

    def _rows(self, H) -> tuple[list, str]:
        r"""The polynomial rows of hidden slots ``H`` = [(slot, class, sign)] and how the off-$P$ condition is
        given: ``"basic"`` (in the rows) or ``"formula"`` (a quantifier-free formula,
        :mod:`~semialg.families.bottleneck.hidden_formula`)."""
        R = self.region
        pos = [h for h in H if h[2] > 0]
        neg = [h for h in H if h[2] < 0]
        rows = self._e4(H)
        if not neg:
            subsets = [S for n in range(len(pos) + 1) for S in itertools.combinations(pos, n)]
            return rows + self._vertex_rows(R.n_pieces, subsets, True), "basic"
        if not pos and not R.e_pieces:
            return rows, "basic"
        if not pos and len(neg) == 1:
            return rows + self._vertex_rows(R.e_pieces, [tuple(neg)], False), "basic"
        return rows, "formula"

    def _sufficient(self, H):
        r"""Row systems each of which implies the off-$P$ condition (all in the normalised slice,
        $y_j = \kappa_j\ell'_j$). With $H_0 \le 0$ on $\overline N$: pair some positive slots $p$ with distinct
        negative slots $n(p)$ and ask $H_0 + \sum_{p\in R}(y_p - [p \text{ paired}]\,y_{n(p)}) \le 0$ on
        $\overline N$ for every set $R$ of positive slots; at a point with active positive set $R$,
        $\Phi \le H_0 + \sum_R y_p - \sum_{n} \sigma(y_n) \le$ that. With no positive slot and $H_0 > 0$
        somewhere: one negative slot digging alone. Or, since $\sigma(y) \ge \lambda y$ for
        $\lambda \in [0, 1]$: $H_0 + \sum_{p\in R} y_p - \lambda\sum_n y_n \le 0$ on $\overline N$ for a few fixed
        $\lambda$ (Farkas: with $\lambda$ free per set this would be exact on each polyhedron, but bilinear).
        A generator: the first system that proves a class non-empty ends the search, and the later ones (dozens
        of pairings with three slots of each sign) are then never built."""
        R = self.region
        pos = [h for h in H if h[2] > 0]
        neg = [h for h in H if h[2] < 0]
        base = self._e4(H)
        if R.e_pieces:
            if not pos:
                yield from (base + self._vertex_rows(R.e_pieces, [(h,)], False) for h in neg)
            return
        for n_paired in range(min(len(pos), len(neg)), -1, -1):
            for P_ in itertools.combinations(pos, n_paired):
                for N_ in itertools.permutations(neg, n_paired):
                    partner = dict(zip(P_, N_, strict=True))
                    subsets = [S + tuple(partner[p] for p in S if p in partner)
                               for n in range(len(pos) + 1) for S in itertools.combinations(pos, n)]
                    yield base + self._vertex_rows(R.n_pieces, subsets, False)
        for lam in (fmpq(1, 2), fmpq(1, 4), fmpq(3, 4)):      # sigma(y) >= lam * y for every negative slot
            subsets = [S + tuple(n + (lam,) for n in neg)
                       for k in range(1, len(pos) + 1) for S in itertools.combinations(pos, k)]
            yield base + self._vertex_rows(R.n_pieces, [()] + subsets, False)

    # -- deciding emptiness -----------------------------------------------------------------------------------

    def _slice(self, key, H) -> Slice | None:
        """The normalised slice with the affine equations on $P$ imposed (``None`` if inconsistent)."""
        lin, _ = self.region.affine_on_p(key[0])
        st = self.stride
        sl = Slice(st * len(H))
        for q in range(st - 1):
            coefs = [_ZERO] * (st * len(H))
            for j, cls, s in H:
                if cls == "U+":
                    coefs[st * j + q] = fmpq(s)
            if not sl.restrict(*sl.affine(-lin[q], coefs)):
                return None
        return sl

    def _system(self, H, rows) -> tuple:
        """``rows`` as an exact coefficient matrix over the normalised parameters $z$ and their constants (built
        once per list of rows: the flip sets share them)."""
        signs, n = {j: s for j, _, s in H}, self.stride * len(H)
        coefs = [_ZERO] * (len(rows) * n)
        for i, row in enumerate(rows):
            self._add_coefs(coefs, i * n, row, signs, self.stride)
        return fmpq_mat(len(rows), n, coefs) if rows else None, [row.const for row in rows]

    def _systems(self, H) -> tuple:
        """Memoised per hidden multiset: (necessary rows, their system, mode, sufficient (rows, system) pairs, each
        built when first asked for)."""
        key = tuple(H)
        if key not in self._memo:
            rows, mode = self._rows(H)
            suff = _Cached((r, self._system(H, r)) for r in self._sufficient(H)) if mode == "formula" else ()
            self._memo[key] = rows, self._system(H, rows), mode, suff
        return self._memo[key]

    def _lp(self, sl: Slice, H, rows, iterate: bool, systems=(), trace: list | None = None,
            reuse: bool = False) -> Decision:
        """Strict feasibility of ``rows`` on the slice by an exact LP; with ``iterate``, rows that Gordan
        multipliers show to be tight on the whole set become equations (recorded in ``implicit``); ``trace``
        receives each stage of multipliers as ``[(row, multiplier)]`` (a certificate). ``systems``: the
        :meth:`_system` of the first rows, block by block (the system of the other rows is built here); with
        ``reuse`` their compositions with the slice are kept on it for the next LP on it (the branching)."""
        signs = {j: s for j, _, s in H}
        given = sum(len(consts) for _, consts in systems)
        rest = self._system(H, rows[given:])
        implicit = []
        while True:
            G, h, live = [], [], []
            parts = [sl.compose(system, reuse) for system in systems] + [sl.compose(rest)]
            for row, c, g in zip(rows, (c for p in parts for c in p[0]), (g for p in parts for g in p[1]),
                                 strict=True):
                if not any(g):
                    if c < 0:
                        if trace is not None:
                            trace.append([(row, fmpq(1))])
                        return Decision("empty")
                    continue
                G.append(g)
                h.append(c)
                live.append(row)
            r = decide(G, tuple(h), sl.dim)
            if r.feasible:
                st = self.stride
                if any(all(not any(sl.exprs[st * j + q][1]) and sl.exprs[st * j + q][0] == 0
                           for q in range(st - 1)) for j, _, _ in H):
                    return Decision("constant")   # a slot forced to w' = 0: a constant neuron, not simple
                return Decision("nonempty", z=sl.point(r.point), implicit=tuple(implicit), dim=sl.dim,
                                 span=sl.span())
            y = r.multipliers
            if trace is not None:
                trace.append([(row, a) for a, row in zip(y, live, strict=True) if a != 0])
            if not iterate or sum((a * b for a, b in zip(y, h, strict=True)), _ZERO) < 0:
                return Decision("empty")
            for a, row in zip(y, live, strict=True):
                if a != 0:
                    if not sl.restrict(*sl.affine(row.const, self._coefs(row, len(H), signs, self.stride))):
                        return Decision("empty")
                    implicit.append(row)

    def _refutes(self, sl: Slice, H, stage) -> bool:
        """Whether the non-negative multipliers ``stage`` = [(row, y)] (found on another slice of the same hidden
        multiset, or this one) prove exactly that the rows cannot all hold on ``sl`` as :meth:`_lp` asks (strictly,
        rows identically zero there non-strictly): Gordan, $\\sum y_i g_i = 0$ and $\\sum y_i c_i \\le 0$ over rows
        not zero on the slice, or one row zero there with $c < 0$. The slices of one multiset differ only in the
        constants of the equations on $P$, so a failure's multipliers often refute the other flip sets' system.
        Cost: one affine composition per multiplier (a few rows), against an LP over all of them."""
        signs, g_sum, c_sum = {j: s for j, _, s in H}, [_ZERO] * sl.dim, _ZERO
        for row, y in stage:
            c, g = sl.affine(row.const, self._coefs(row, len(H), signs, self.stride))
            if not any(g):     # the LP fails on such a row with c < 0 and drops it otherwise
                return c < 0
            c_sum += y * c
            g_sum = [a + y * b for a, b in zip(g_sum, g, strict=True)]
        return not any(g_sum) and c_sum <= 0

    @staticmethod
    def _coefs(row: _Row, m: int, signs, st: int) -> list:
        coefs = [_ZERO] * (st * m)
        HiddenFibre._add_coefs(coefs, 0, row, signs, st)
        return coefs

    @staticmethod
    def _add_coefs(out: list, offset: int, row: _Row, signs, st: int) -> None:
        """Add the coefficients of ``row`` over $z$ (``st`` per slot) into ``out`` from ``offset`` on."""
        for j, a in row.terms:
            f, k = signs[j] if row.with_u else 1, offset + st * j
            for q, x in enumerate(a):
                out[k + q] += f * x

    def _decide(self, key, branch_limit: int | None = None) -> Decision:
        H = [(j, cls, s) for j, (cls, s) in enumerate(key[1])]
        sl = self._slice(key, H)
        if sl is None:
            return Decision("empty")
        rows, system, mode, sufficient = self._systems(H)
        necessary = self._lp(sl, H, rows, True, [system], reuse=True)     # the branching composes it again
        if mode == "basic" or necessary.status != "nonempty":
            return necessary
        refuted = self._refuted.setdefault(tuple(H), [])     # (ids of its rows, [(row, multiplier)])
        for rows, system in sufficient:
            self._spend()
            ids = {id(row) for row in rows}     # rows are shared objects (_vertex_rows)
            if any(proof <= ids and self._refutes(sl, H, stage) for proof, stage in refuted):
                continue                        # multipliers of an earlier failure refute it here too: no LP
            trace: list = []
            d = self._lp(sl.copy(), H, rows, False, [system], trace)
            if d.status == "nonempty":
                return Decision("nonempty", d.z, necessary.implicit, d.dim, d.span, "sufficient")
            if trace:
                refuted.append((frozenset(id(row) for row, _ in trace[-1]), trace[-1]))
        if key == self.own_key:      # theta itself is a member
            hidden = sorted((((c, 1 if self.view.v[i] > 0 else -1), i) for i, c in enumerate(self.t.classes)
                             if c != "V"))
            z = [x for _, i in hidden for x in _scale(abs(self.view.v[i]), self.view.w[i] + (self.view.b[i],))]
            return Decision("nonempty", z, necessary.implicit, necessary.dim, sl.span(), "theta")
        self.decisions[key] = Decision("undecided", implicit=necessary.implicit)   # build() reads it
        member = self._interior_tester(key, sl)
        found = ClassBrancher(self, key, sl, branch_limit or self.branch_limit).decide(member)
        if found is not None and found[0] == "nonempty":
            return Decision("nonempty", found[1], necessary.implicit, sl.dim, sl.span(), "pinned")
        if found is not None:
            return Decision(found[0], implicit=necessary.implicit, how="branching", certificate=found[1])
        return self._search(sl, necessary, member) if branch_limit is None else self.decisions[key]

    def _interior_tester(self, key, sl: Slice):
        r"""Whether normalised parameters ``z`` of the slice are an interior member of the class's component:
        the cheap necessary tests first — the rows bounding the hidden slots on $\overline P$ (one exact
        matrix product), then $f_{\theta'} = f_\theta$ (:func:`~.outer.equivalent_outer`) — and only then the
        component's own exact membership and interior tests (every inequality strict and every atom of its
        formula non-zero, or vanishing on the whole slice); the component is built only for such a point."""
        index = tuple([("V", k, k in key[0]) for k in self.visible] + list(key[1]))
        H = [(j, cls, s) for j, (cls, s) in enumerate(key[1])]
        A, consts = self._systems(H)[1]
        in_interior = self._in_interior(index, sl)

        def interior_member(z) -> bool:
            if A is not None and any(c + v < 0 for c, v in zip(consts, (A * fmpq_mat(len(z), 1, z)).entries(),
                                                                strict=True)):
                return False
            x = self._network(index, z)
            if any(x(p) != v for p, v in self._probes()) or not equivalent_outer(self.net, x):
                return False
            return in_interior(x)

        return interior_member

    def _search(self, sl: Slice, necessary: Decision, interior_member, tries: int = 150) -> Decision:
        """Rational points of the slice, kept only if they are interior members: every inequality of the
        component strict and every atom of its formula non-zero there, so that a whole neighbourhood in the
        variety of its equations is in the component (non-empty, of the slice's dimension). Candidates: ``tries``
        random points of a box, then ``tries`` points near the witness of the necessary LP (strict on the rows
        that bound each hidden slot on $\\overline P$, which random points of the box almost never satisfy).
        Each candidate is tested by ``interior_member`` (:meth:`_interior_tester`). Cost:
        ``2 * tries`` matrix products, an equivalence test per candidate passing them, the component and its
        tests per one passing that."""
        rng = _random.Random(0)
        for _ in range(tries):
            self._spend()
            z = sl.point([fmpq(rng.randint(-40, 40), rng.randint(1, 6)) for _ in range(sl.dim)])
            if interior_member(z):
                return Decision("nonempty", z, necessary.implicit, sl.dim, sl.span(), "search")
        span = sl.span()
        for k in range(tries):
            self._spend()
            scale = fmpq(1, 4 ** (k % 5))
            step = [fmpq(rng.randint(-9, 9)) * scale for _ in span]
            z = [x + sum((a * v[i] for a, v in zip(step, span, strict=True)), _ZERO) for i, x in enumerate(necessary.z)]
            if interior_member(z):
                return Decision("nonempty", z, necessary.implicit, sl.dim, span, "near")
        return Decision("undecided", implicit=necessary.implicit)

    def _probes(self) -> list:
        """Points of $\\overline N$ (vertices of its pieces, and one step along each ray) with $f_\\theta$ there:
        a member agrees with $f_\\theta$ at each, a cheap necessary test before the exact equivalence test."""
        if self._probe_values is None:
            pts = {p: None for Q in self.region.n_pieces for p in Q.vertices}
            pts.update({tuple(a + b for a, b in zip(Q.vertices[0], d, strict=True)): None
                        for Q in self.region.n_pieces for d in Q.rays})
            self._probe_values = [(list(p), self.net(list(p))) for p in pts]
        return self._probe_values

    # -- the basic sets -------------------------------------------------------------------------------------

    def _build(self, index) -> ConditionedSet:
        R, n0 = self.region, self.n0
        V, eqs, strict, U, K = self._slot_conditions(index)
        W1, B1, B2 = V.weights[0], V.biases[0], V.biases[1]
        cr, W3 = to_sympy(self.view.c[self.r]), V.weights[2]
        H = [(i, lab[0], lab[1]) for i, lab in enumerate(index) if lab[0] != "V"]
        lin, const = R.affine_on_p(key_of(index)[0])
        S = [j for j, cls, _ in H if cls == "U+"]
        eqs += [sum((U(j) * W1[j, q] for j in S), sympy.Integer(0)) - K * to_sympy(lin[q]) for q in range(n0)]
        eqs.append(sum((U(j) * B1[j] for j in S), sympy.Integer(0)) + B2[0] * cr * W3[self.r, 0]
                   - K * to_sympy(const))

        def poly(row: _Row):
            ell = [sum((a[q] * W1[j, q] for q in range(n0)), a[n0] * B1[j]) for j, a in
                   ((j, tuple(to_sympy(x) for x in a)) for j, a in row.terms)]
            if not row.with_u:
                return sympy.expand(sum(ell, sympy.Integer(0)))
            return sympy.expand(K * to_sympy(row.const) + sum((U(j) * e for (j, _), e in
                                                               zip(row.terms, ell, strict=True)), sympy.Integer(0)))

        rows, mode = self._rows(H)
        where = self._slot_map(index)
        implicit = [_Row(row.const, tuple((where[j], a) for j, a in row.terms), row.with_u)
                    for row in self.decisions[key_of(index)].implicit]
        eqs += [poly(row) for row in implicit]
        nonstrict = list(dict.fromkeys(p for p in map(poly, rows) if not p.is_number))
        eqs = list(dict.fromkeys(e for e in map(sympy.expand, eqs) if e != 0))
        return ConditionedSet(V.flat, tuple(eqs), tuple(sympy.expand(x) for x in strict), tuple(nonstrict),
                              label=" ".join(_label_text(lab) for lab in index),
                              condition=self._condition(mode, H, U, K, W1, B1, V.flat))

    def _condition(self, mode, H, U, K, W1, B1, variables):
        """The off-$P$ formula of the hidden slots ``H``, built once per slot labelling: it depends on the slots'
        positions and labels only, not on the flip set (whose components differ in their equations)."""
        if mode == "basic":
            return None
        key = tuple(H)
        if key not in self._formulas:
            pos = [(j, c) for j, c, s in H if s > 0]
            neg = [(j, c) for j, c, s in H if s < 0]
            self._formulas[key] = negative_formula(self.region, pos, neg, U, K, W1, B1, variables,
                                                   check=self._spend)
        return self._formulas[key]

    # -- locating and sampling ----------------------------------------------------------------------------------

    def _off_line_label(self, w, b, v):
        """U- or U+ with the sign of ``v`` for a live row on no visible line, by its values on $\\overline P$;
        ``None`` for anything else (then the point is not of simple type)."""
        if v == 0 or not any(w):
            return None
        R = self.region
        vals = [dot(w, p) + b for p in R.p_points] + [dot(w, d) for d in R.p_rays]
        cls = "U-" if all(x <= 0 for x in vals) else "U+" if all(x >= 0 for x in vals) else None
        return None if cls is None else (cls, 1 if v > 0 else -1)

    @staticmethod
    def _output_weight(lab) -> fmpq:
        return fmpq(lab[1])

    @staticmethod
    def _hidden_slot_conditions(lab, u) -> tuple[list, list]:
        return [], [lab[1] * u]          # the sign of the output weight

    def _epsilon(self, index, z, rows, u) -> fmpq:
        """$\\varepsilon$ from the affine part of $h'$ on $P$: the U+ slots' biases and $\\varepsilon$ sum to its
        constant."""
        _, const = self.region.affine_on_p(key_of(index)[0])
        return const - sum((ui * row[-1] for ui, row, lab in zip(u, rows, index, strict=True) if lab[0] == "U+"),
                           _ZERO)

    def _simple_witness(self, index) -> list:
        r"""Normalised hidden parameters $z$ of a member of component ``index`` of simple type, preferably with no
        two neurons on one hyperplane. The witness of the label class may sit where a hidden slot has
        $w'_j = 0$, lies on a visible line or shares a hyperplane with another slot (an LP optimum on the
        boundary of a face of the slice): a member, but not of simple type (or not generic in its component).
        Every witness is a relative interior point of its component in the slice (strict on the live LP rows, or
        an interior member found by :meth:`_search`), and those points form proper algebraic subsets of the
        slice (slots forced to $w' = 0$ are excluded as "constant"), so $z + \varepsilon\,d$ for a seeded random
        direction $d$ of the slice and small $\varepsilon$ avoids them and stays in the component: tried for
        $\varepsilon = 2^{-k}$, each candidate re-checked exactly (its label and membership). Built once per
        label class. Cost: a few labels and exact membership tests per candidate."""
        key = key_of(index)
        if key in self._witness:
            return self._witness[key]
        d = self.decisions[key]
        if self._generic(index, self._network(index, d.z)):
            self._witness[key] = d.z
            return d.z
        fallback = None
        for z, x in self._nearby(index, d, tries=8, steps=48):
            if self._generic(index, x):
                self._witness[key] = z
                return z
            fallback = fallback or z
        if fallback is None:
            raise ArchitectureError(f"hidden fibre: no member of simple type found near the witness of component "
                                    f"{self.build(index).label}")
        self._witness[key] = fallback    # every member near the witness shares a hyperplane: still simple
        return fallback

    def _generic(self, index, x: Network) -> bool:
        """``x`` is of simple type with label ``index`` and no two of its neurons share a hyperplane."""
        if self.label_of(x) != index:
            return False
        keys = [fingerprint(normalise_row(w + (b,))[0]) for w, b in zip(x.weights[0], x.biases[0], strict=True)]
        return len(set(keys)) == len(keys)
