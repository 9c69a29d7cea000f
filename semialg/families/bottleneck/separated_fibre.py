r"""Case (a), $n_0 \ge 2$: explicit fibres of parameters with mixed hidden neurons (type U±) — $P$ disconnected.

Let $\theta$ be of regime PN, $f = c\,\sigma(h) + d$, with a U± neuron: its hyperplane misses
$P = \{h > 0\}$ but $P$ lies on both sides of it, so $P$ has connected components $P_1, \dots, P_K$, $K \ge 2$.
Such parameters fill an open set; :mod:`~semialg.families.bottleneck.hidden_fibre` needs one affine block on all
of $P$ and does not apply. Assume $\theta$ passes every genericity and type condition except "no U± neuron"
(and those the explicit fibre does not need; dead neurons $v_i = 0$ are allowed, as dead slots, when the live part
passes), and that a face of $\partial P$ proves that every member has
$\sigma(h') = \mu\sigma(h)$, $\mu > 0$, $c' = c/\mu$, $d' = d$
(:func:`~semialg.families.bottleneck.obstructions._standard_face`; else :class:`ArchitectureError`).
With $g = h'/\mu$ the fibre is $\{g = h \text{ on } P,\ g \le 0 \text{ on } \overline N = \{h \le 0\}\}$.

**Slot labels.** A member is of *simple type* when each seen kink hyperplane $H_k$ of $h$ (the visible neurons
of $\theta$) carries exactly one of its neurons (kink $u_i|\lambda_i| = v_k$, $u_i = v'_i/\mu$,
$\ell'_i = \lambda_i\ell_k$, flipped when $\lambda_i < 0$: a set $F$) and every other neuron ("hidden slot",
$u_j \ne 0$) has a hyperplane that misses $P$: on each component $P_k$ it is dead ($\ell'_j \le 0$ on
$\overline{P_k}$) or active ($\ell'_j \ge 0$ there), a *pattern* $a_j \in \{0, 1\}^K$ — all 0: U−′, all 1: U+′,
otherwise *separating* (its hyperplane runs through $N$ between components) — or it is a *dead slot*
($v'_j = 0$, $w'_j, b'_j$ free). A component of the fibre is named by a label per slot: a visible line (flipped
or not), a pattern with the sign of $u_j$, or "dead"; a *label class* is a flip set and a multiset of hidden
labels, its components differ by a permutation of the slots.

**Theorem.** A parameter $\theta'$ whose slots carry such labels is in the fibre iff (i) $c' = c/\mu$ with
$\mu > 0$, $d' = d$; (ii) the kink equations of the visible slots; (iii) $\kappa_{jk}\ell'_j \le 0$ at every vertex
and (linear part) every extreme ray of $\overline{P_k}$ for every hidden slot $j$ and component $k$
($\kappa_{jk} = +1$ if $a_{jk} = 0$, else $-1$), strictly at one interior point $p_k$ of $P_k$; (iv) on every
component, as affine maps, $\sum_{j: a_{jk} = 1}u_j\ell'_j + \varepsilon = B_k(F) := e + \sum_{i \text{ hidden},
\,\ell_i > 0 \text{ on } P_k} v_i\ell_i + \sum_{k' \in F} v_{k'}\ell_{k'}$ ($\varepsilon = e'/\mu$; the sums over
the neurons of $\theta$); (v) $\Phi = H_Q(F) + \varepsilon + \sum_j u_j\sigma(\ell'_j) \le 0$ on every closed piece
$Q$ of $\overline N$ (a cell of $\theta$'s arrangement cut by $h \le 0$), with $H_Q(F) = \sum_{V}v_k\sigma(\ell_k)
- \sum_{k\in F}v_k\ell_k$, affine on $Q$. *Proof.* On $P_k$ a visible slot gives $v_k\sigma(\ell_k)$, minus
$v_k\ell_k$ when flipped ($\sigma(-t) = \sigma(t) - t$); by (iii) a hidden slot gives $u_j\ell'_j$ or $0$ on all of
$P_k$ (an affine map $\le 0$ on the closed hull of an open set is $< 0$ inside it unless it is $0$, which the
strict row at $p_k$ excludes); so $g = h$ on $P_k$ iff (iv), an identity of affine maps on an open set.
Off $P$, $g = \Phi$ on each $Q$, so $g \le 0$ on $\overline N$ iff (v); then $\sigma(g) = \sigma(h)$. Conversely a
member of simple type has (i) by the standard face, (ii)–(iv) as shown, and (v). $\square$ The strict rows make
the labels of a point unique, so distinct components are disjoint (a slot's label is read off the point:
its line and orientation, its signs at the $p_k$, the sign of $v'_j$).

**Deciding a label class.** In the normalised slice ($\mu = 1$, $|u_j| = 1$, slot scalings 1) the unknowns
$z = (w'_j, b'_j)_j$ and $\varepsilon$ enter (iii) and (iv) linearly, and with no hidden slot of $u_j < 0$ (v) is
convex in $x$: $H_Q + \varepsilon + \sum_{j \in S}u_j\ell'_j \le 0$ at the vertices of $Q$ off $\partial P$ (there
$g = h = 0$ already) and along its rays, for every set $S$ of slots — linear rows, and an exact LP decides the
class, its implicit equalities (Gordan multipliers) and its dimension (:mod:`~semialg.geometry.polyhedron`).
With slots of $u_j < 0$, (v) is the quantifier-free formula of :mod:`~semialg.families.bottleneck.hidden_formula`
(every slot written as $u_j\sigma(y_j)$, $y_j = \ell'_j$, and $\varepsilon$ as a variable constant); the LP of
(iii), (iv) proves emptiness; non-emptiness is proved by a point of the slice at which every inequality and every
atom of the formula is non-zero or vanishes on the whole slice (an *interior member*: then a neighbourhood in
the slice lies in the class, whose dimension is that of the slice) — $\theta$ for its own class, else points
found by a seeded search; classes left are reported **undecided by name** and not listed, and when an undecided
class could be larger than every listed one the fibre's ``dimension`` raises :class:`UndecidedError`.
Dimension of a class: the slice's plus $n_1 + 1$ ($\mu$ and a scaling per live slot) minus one per dead slot.
Classes forcing a hidden slot to $w'_j = 0$ are constant neurons (not of simple type) and not listed. Not
listed either (``contains`` still decides them exactly by :func:`equivalent`): constant neurons, several neurons on
one seen kink hyperplane, and neurons whose hyperplanes cross $P$ with cancelling kinks.

A parameter failing other conditions too (two neurons on one line, dead or constant neurons) gets the fibre of
:func:`separated_representative` (the minimal form of $h$ padded with dead slots) when that one applies.

Cost: $2^{|V|}\binom{m + 2^{K+1}}{m}$ label classes for $m$ hidden slots, one exact LP each (rows: $2^{m}$ per
vertex and ray of $\overline N$), formula classes a search of at most ``2 * tries`` points.

>>> from semialg.families.bottleneck.types import combinatorial_type
>>> net = Network.random((2, 3, 1, 1), seed=13, height=3)
>>> S = SeparatedFibre(net, combinatorial_type(net)); S.parts, S.locate(net), S.dimension
(2, (('H', (1, 0), 1), ('V', 1, False), ('V', 2, False)), 4)
"""

from __future__ import annotations

import dataclasses
import itertools
import random as _random
import time
from dataclasses import dataclass

from flint import fmpq

from semialg.core.exact import dot, fingerprint, normalise_row, to_sympy
from semialg.core.lazy import sympy
from semialg.core.network import Network
from semialg.engine.loci import genericity
from semialg.errors import ArchitectureError, UndecidedError
from semialg.families.bottleneck.genericity import CLOSED_TYPE_CONDITIONS, FIBRE_NEEDS_NOT, type_checks
from semialg.families.bottleneck.hidden_fibre import ConditionedSet
from semialg.families.bottleneck.hidden_formula import negative_formula
from semialg.families.bottleneck.hidden_labels import Slice, SlotIndex
from semialg.families.bottleneck.hidden_region import HiddenRegion
from semialg.families.bottleneck.obstructions import _Clock, _components, _pieces, _standard_face
from semialg.families.bottleneck.outer import equivalent_outer
from semialg.families.bottleneck.representative import _live
from semialg.families.bottleneck.types import BottleneckType, combinatorial_type
from semialg.families.bottleneck.views import OuterView, _ZERO, _first_nonzero, _scale
from semialg.families.shallow import minimal_form
from semialg.geometry.polyhedron import decide
from semialg.geometry.semialgebraic import parallel_minors

__all__ = ["SeparatedFibre", "separated_applies", "separated_representative"]

DEAD = ("D",)           # a dead slot: v' = 0, w' and b' free


def separated_applies(net: Network, t: BottleneckType) -> bool:
    """Whether ``net`` (case (a), $n_0 \\ge 2$) has a U± neuron and passes every other genericity and type
    condition the explicit fibre needs — up to dead neurons ($v_i = 0$, any row): then its live part must."""
    if "D" in t.classes:
        live = _live(net)
        dead = [i for i, c in enumerate(t.classes) if c == "D"]
        return (all(net.weights[1][0][i] == 0 for i in dead) and live is not None
                and separated_applies(live, combinatorial_type(live)))
    if t.regime != "PN" or "U+-" not in t.classes or not set(t.classes) <= {"V", "U-", "U+", "U+-"}:
        return False
    typed = set(CLOSED_TYPE_CONDITIONS) | {"closed type conditions"}
    if any(c.holds is not True and c.name not in typed for c in genericity(net).conditions):
        return False
    return all(c.holds or c.name in FIBRE_NEEDS_NOT or c.name == "no U+- neuron" for c in type_checks(net))


def separated_representative(net: Network) -> Network | None:
    r"""A parameter $\tilde\theta$ of the same architecture with $f_{\tilde\theta} = f_\theta$ to which the
    separated fibre applies, for a $\theta$ that fails other conditions too (two neurons on one line, dead or
    constant neurons): the shallow minimal form of $h$ (canonical; the same $h$) padded with dead neurons
    ($v = 0$), kept when it passes :func:`separated_applies` and $f$ is kept (decided exactly); else ``None``.
    The fibre depends only on $f$, so it is the fibre of $\theta$. Cost: the minimal form (a subset-sum search
    over the kinks of $h$), one equivalence test and the genericity checks."""
    view, n1 = OuterView.of(net), net.widths[1]
    try:
        h = minimal_form(view.inner)
    except UndecidedError:
        return None
    k, n0 = h.widths[1], net.architecture.input_dim
    if k > n1:
        return None
    pads = [tuple(fmpq(1) if q == 0 else fmpq(j + q + 2) for q in range(n0)) for j in range(n1 - k)]
    rep = Network((h.weights[0] + tuple(pads), (h.weights[1][0] + (_ZERO,) * len(pads),), net.weights[2]),
                  (h.biases[0] + (_ZERO,) * len(pads), h.biases[1], net.biases[2]))
    if not separated_applies(rep, combinatorial_type(rep)) or not equivalent_outer(rep, net):
        return None
    return rep


@dataclass(frozen=True)
class _Row:
    r"""$c + \sum_j [s_j]\,a_j\cdot z_j + \text{eps}\cdot\varepsilon \ge 0$ in the normalised slice (``with_u``:
    each term times the sign $s_j$ of $u_j$, i.e. $u_j a_j\cdot(w'_j, b'_j)$; without, one slot only)."""

    const: fmpq
    terms: tuple
    eps: fmpq = _ZERO
    with_u: bool = True


@dataclass
class _Decision:
    status: str                 # "nonempty", "empty", "constant" (a slot forced to w' = 0) or "undecided"
    z: list | None = None       # normalised parameters: (w'_j, b'_j) per slot in key order, then epsilon
    implicit: tuple = ()        # rows tight on the whole class
    dim: int | None = None      # dimension of the slice (an upper bound when undecided)
    span: tuple = ()
    how: str = "lp"             # "lp", "theta", "search"


def _text(lab) -> str:
    if lab[0] == "V":
        return f"V{lab[1] + 1}" + ("*" if lab[2] else "")
    if lab == DEAD:
        return "D"
    _, pat, s = lab
    name = "U-" if not any(pat) else "U+" if all(pat) else "S" + "".join(map(str, pat))
    return f"{name}({'+' if s > 0 else '-'})"


def _key_of(index) -> tuple:
    return (frozenset(lab[1] for lab in index if lab[0] == "V" and lab[2]),
            tuple(sorted(lab for lab in index if lab[0] != "V")))


class SeparatedFibre:
    """The components of the fibre of a case-(a) parameter with U± neurons (module docstring): ``index``,
    ``build``, ``locate``, ``sample``, ``dimension``/``top_dimension`` and ``undecided`` (label classes whose
    emptiness was not decided, by name). Deciding the classes stops with :class:`UndecidedError` after
    ``budget`` seconds (``None``: no limit); ``progress`` shows a tqdm bar (``None``: on a terminal, after 2 s)."""

    index_name = r"(\text{slot labels})"

    def __init__(self, net: Network, t: BottleneckType, budget: float | None = None,
                 progress: bool | None = None, tries: int = 60):
        if not separated_applies(net, t):
            raise ArchitectureError(f"separated fibres need regime PN, a U+- neuron and every other genericity "
                                    f"and type condition; got {t.describe()}")
        live = _live(net)
        if _standard_face(live, _Clock(None, None)) is None:
            raise ArchitectureError("separated fibre: no face of the boundary of P proves sigma(h') = mu sigma(h) "
                                    "with mu > 0 for every member; not described (sa.equivalent decides membership)")
        self.net, self.t, self.tries = net, t, tries
        self.region = R = HiddenRegion(net)
        self.view = view = R.view
        self.n0, self.st, self.r = R.n0, R.n0 + 1, _first_nonzero(view.c)
        p_pieces, _ = _pieces(live)
        self.comps = []
        for comp in _components(p_pieces):
            pts = tuple(dict.fromkeys(v for i in comp for v in p_pieces[i][0].vertices))
            rays = tuple(dict.fromkeys(d for i in comp for d in p_pieces[i][0].rays))
            Q = p_pieces[comp[0]][0]     # a point inside: the mean of its vertices plus the sum of its rays
            inner = tuple(sum(xs, _ZERO) / len(Q.vertices) + sum((d[q] for d in Q.rays), _ZERO)
                          for q, xs in enumerate(zip(*Q.vertices, strict=True)))
            self.comps.append((pts, rays, inner))
        self.parts = K = len(self.comps)    # connected components of P
        self.visible = tuple(i for i, c in enumerate(t.classes) if c == "V")
        self.m = len(t.classes) - len(self.visible)
        self.vkeys = {}
        for k in self.visible:
            key, _, s = normalise_row(view.w[k] + (view.b[k],))
            self.vkeys[fingerprint(key)] = (k, s)
        own = sorted((DEAD if t.classes[i] == "D" else ("H", self._pattern(view.w[i], view.b[i]),
                                                           1 if view.v[i] > 0 else -1), i)
                     for i in range(len(t.classes)) if t.classes[i] != "V")
        self.own_key = (frozenset(), tuple(lab for lab, _ in own))
        self.own_z = [x for lab, i in own for x in (view.w[i] + (view.b[i],) if lab == DEAD else
                                                    _scale(abs(view.v[i]), view.w[i] + (view.b[i],)))] + [view.e]
        labels = [("H", p, s) for p in itertools.product((0, 1), repeat=K) for s in (-1, 1)] + [DEAD]
        keys = [(frozenset(F), tuple(sorted(hidden)))
                for F in itertools.chain.from_iterable(itertools.combinations(self.visible, n)
                                                       for n in range(len(self.visible) + 1))
                for hidden in itertools.combinations_with_replacement(labels, self.m)]
        self._built: dict = {}
        self._witness: dict = {}
        self.decisions: dict = {}
        self.deadline = None if budget is None else time.monotonic() + budget
        self._budget, self._total = budget, len(keys)
        from tqdm.auto import tqdm
        for key in tqdm(keys, desc="separated fibre: label classes", unit="class", delay=2, leave=False,
                        disable=None if progress is None else not progress):
            self._spend()
            self.decisions[key] = self._decide(key)
        listed = [k for k, d in self.decisions.items() if d.status == "nonempty"]
        n1 = len(t.classes)
        self.index = SlotIndex(n1, self.visible, listed)
        self.undecided = [k for k, d in self.decisions.items() if d.status == "undecided"]
        self.dims = {k: self._dim(k, self.decisions[k].dim) for k in listed}
        best = max(self.dims.values())
        bigger = [k for k in self.undecided if self._dim(k, self.decisions[k].dim) > best]
        self.dimension = best if not bigger else None
        self.top_dimension = best if not bigger else self._undecided_dimension
        self.index_description = (
            "every first-layer slot labelled by the seen kink line it carries (* = flipped), a pattern of activity on "
            f"the {K} components of P (U- dead on all, U+ active on all, S<pattern> separating) with the sign of "
            "its output weight, or D (dead slot, v' = 0); c' = c/mu, d' = d"
            + (f"; undecided (not listed): label classes {', '.join(self.class_text(k) for k in self.undecided)}"
               if self.undecided else ""))

    def _undecided_dimension(self) -> int:
        raise UndecidedError(f"separated fibre: the undecided label classes "
                             f"{', '.join(self.class_text(k) for k in self.undecided)} could be larger than every "
                             f"listed component")

    def class_text(self, key) -> str:
        F, hidden = key
        return "[" + " ".join([f"V{k + 1}" + ("*" if k in F else "") for k in self.visible]
                              + [_text(lab) for lab in hidden]) + "]"

    def _dim(self, key, slice_dim: int) -> int:
        return slice_dim + len(self.t.classes) + 1 - sum(lab == DEAD for lab in key[1])

    def _spend(self) -> None:
        if self.deadline is not None and time.monotonic() >= self.deadline:
            done = [d.status for d in self.decisions.values()]
            raise UndecidedError(
                f"separated fibre of {self.net.architecture}: the budget of {self._budget:.3g} s was spent after "
                f"deciding {len(done)} of {self._total} label classes ({done.count('nonempty')} non-empty); pass "
                f"a larger budget (or budget=None) for the whole fibre")

    def _pattern(self, w, b) -> tuple | None:
        """The activity pattern of the hyperplane $(w, b)$ on the components, or ``None`` if it meets one
        (some $\\overline{P_k}$ on both sides, or the interior point on it)."""
        out = []
        for pts, rays, inner in self.comps:
            vals = [dot(w, p) + b for p in pts] + [dot(w, d) for d in rays]
            at = dot(w, inner) + b
            if at < 0 and all(x <= 0 for x in vals):
                out.append(0)
            elif at > 0 and all(x >= 0 for x in vals):
                out.append(1)
            else:
                return None
        return tuple(out)

    # -- the affine data -------------------------------------------------------------------------------------

    def _target(self, F, k) -> tuple:
        """$B_k(F)$ as $(w, b)$ coefficients (length $n_0 + 1$)."""
        view, inner = self.view, self.comps[k][2]
        out = [_ZERO] * self.n0 + [view.e]
        for i, (w, b, v, cls) in enumerate(zip(view.w, view.b, view.v, self.t.classes, strict=True)):
            if (cls != "V" and dot(w, inner) + b > 0) or i in F:
                out = [x + v * y for x, y in zip(out, w + (b,), strict=True)]
        return tuple(out)

    def _pieces(self, F) -> list:
        """The pieces $Q$ of $\\overline N$ with $H_Q(F)$ in place of the hidden-fibre's $H_0$."""
        lin, const = self.region.affine_on_p(F)
        return [dataclasses.replace(Q, H0=(tuple(a - b for a, b in zip(Q.H0[0], lin, strict=True)),
                                           Q.H0[1] - const)) for Q in self.region.n_pieces]

    def _rows(self, key, H) -> tuple[list, list, list, bool]:
        """(rows of (iii), its strict rows at the interior points, rows of the convex off-$P$ condition, whether
        they are exact: no slot with $u_j < 0$)."""
        one = fmpq(1)
        miss, strict = [], []
        for j, lab in H:
            if lab == DEAD:
                continue
            for (pts, rays, inner), a in zip(self.comps, lab[1], strict=True):
                kap = 1 if a == 0 else -1
                miss += [_Row(_ZERO, ((j, tuple(-kap * x for x in p) + (fmpq(-kap),)),), with_u=False) for p in pts]
                miss += [_Row(_ZERO, ((j, tuple(-kap * x for x in d) + (_ZERO,)),), with_u=False) for d in rays]
                strict.append(_Row(_ZERO, ((j, tuple(-kap * x for x in inner) + (fmpq(-kap),)),), with_u=False))
        pos = [j for j, lab in H if lab != DEAD and lab[2] > 0]
        exact = all(lab == DEAD or lab[2] > 0 for _, lab in H)
        subsets = [S for n in range(len(pos) + 1) for S in itertools.combinations(pos, n)]
        off = []
        for Q in self._pieces(key[0]):
            for v in Q.vertices:
                if self.region.h(v) != 0:
                    c = -(dot(Q.H0[0], v) + Q.H0[1])
                    off += [_Row(c, tuple((j, tuple(-x for x in v) + (-one,)) for j in S), -one) for S in subsets]
            for d in Q.rays:
                c = -dot(Q.H0[0], d)
                off += [_Row(c, tuple((j, tuple(-x for x in d) + (_ZERO,)) for j in S)) for S in subsets]
        return miss, strict, off, exact

    def _coefs(self, row: _Row, signs, n: int) -> list:
        coefs = [_ZERO] * n
        for j, a in row.terms:
            for q in range(self.st):
                coefs[self.st * j + q] += (signs[j] if row.with_u else 1) * a[q]
        coefs[-1] += row.eps
        return coefs

    # -- deciding ---------------------------------------------------------------------------------------------

    def _slice(self, key, H) -> Slice | None:
        """The normalised slice with the equations (iv) imposed (``None`` if inconsistent)."""
        st, n = self.st, self.st * len(H) + 1
        sl = Slice(n)
        for k in range(len(self.comps)):
            target = self._target(key[0], k)
            for q in range(st):
                coefs = [_ZERO] * n
                for j, lab in H:
                    if lab != DEAD and lab[1][k]:
                        coefs[st * j + q] = fmpq(lab[2])
                if q == st - 1:
                    coefs[-1] = fmpq(1)
                if not sl.restrict(*sl.affine(-target[q], coefs)):
                    return None
        return sl

    def _lp(self, sl: Slice, H, rows, n) -> _Decision:
        """Strict feasibility of ``rows`` on the slice (exact LP); rows that Gordan multipliers show tight on the
        whole set become equations of ``sl`` (recorded in ``implicit``)."""
        signs = {j: (lab[2] if lab != DEAD else 1) for j, lab in H}
        coefs = [self._coefs(row, signs, n) for row in rows]
        implicit = []
        while True:
            G, h, live = [], [], []
            for row, a in zip(rows, coefs, strict=True):
                c, g = sl.affine(row.const, a)
                if not any(g):
                    if c < 0:
                        return _Decision("empty")
                    continue
                G.append(tuple(g))
                h.append(c)
                live.append((row, a))
            res = decide(G, tuple(h), sl.dim)
            if res.feasible:
                st = self.st
                if any(lab != DEAD and all(not any(sl.exprs[st * j + q][1]) and sl.exprs[st * j + q][0] == 0
                                           for q in range(st - 1)) for j, lab in H):
                    return _Decision("constant")
                return _Decision("nonempty", sl.point(res.point), tuple(implicit), sl.dim, sl.span())
            y = res.multipliers
            if sum((a * b for a, b in zip(y, h, strict=True)), _ZERO) < 0:
                return _Decision("empty")
            for a, (row, cf) in zip(y, live, strict=True):
                if a != 0:
                    if not sl.restrict(*sl.affine(row.const, cf)):
                        return _Decision("empty")
                    implicit.append(row)

    def _decide(self, key) -> _Decision:
        H = list(enumerate(key[1]))
        sl = self._slice(key, H)
        if sl is None:
            return _Decision("empty")
        n = self.st * len(H) + 1
        miss, strict, off, exact = self._rows(key, H)
        d = self._lp(sl, H, miss + strict + (off if exact else []), n)
        if exact or d.status != "nonempty":
            return d
        self.decisions[key] = _Decision("undecided", implicit=d.implicit, dim=d.dim)   # build() reads it
        index = self._index_of(key)
        member = self._interior_tester(index, sl)
        if key == self.own_key and member(self.own_z):
            return _Decision("nonempty", self.own_z, d.implicit, d.dim, sl.span(), "theta")
        rng, span = _random.Random(0), sl.span()
        for k in range(2 * self.tries):
            self._spend()
            if k < self.tries:
                z = sl.point([fmpq(rng.randint(-40, 40), rng.randint(1, 6)) for _ in range(sl.dim)])
            else:
                step = [fmpq(rng.randint(-9, 9), 4 ** (k % 5)) for _ in span]
                z = [x + sum((a * v[i] for a, v in zip(step, span, strict=True)), _ZERO) for i, x in enumerate(d.z)]
            if member(z):
                return _Decision("nonempty", z, d.implicit, d.dim, span, "search")
        return _Decision("undecided", implicit=d.implicit, dim=d.dim)

    def _interior_tester(self, index, sl: Slice):
        r"""Whether normalised parameters ``z`` are an interior member of the class (module docstring): the
        exact equivalence test first, then the component's membership and interior tests (every inequality
        and formula atom non-zero, or vanishing on the whole slice)."""
        check = None

        def interior_member(z) -> bool:
            nonlocal check
            x = self._network(index, z)
            if not equivalent_outer(self.net, x):
                return False
            if check is None:
                B = self.build(index)
                t = sympy.symbols(f"t0:{sl.dim}")
                family = dict(zip(B.variables, self._network(index, sl.point(t)).parameters(), strict=True))
                check = B, lambda p: sympy.expand(sympy.sympify(p).xreplace(family)) == 0
            return check[0].contains(x) and check[0].interior(x, check[1])

        return interior_member

    # -- the sets ---------------------------------------------------------------------------------------------

    def _index_of(self, key) -> tuple:
        return tuple([("V", k, k in key[0]) for k in self.visible] + list(key[1]))

    def _slot_map(self, index) -> dict:
        """Key position of each hidden label occurrence -> its slot in ``index``."""
        slots: dict = {}
        for i, lab in enumerate(index):
            if lab[0] != "V":
                slots.setdefault(lab, []).append(i)
        seen: dict = {}
        out = {}
        for j, lab in enumerate(_key_of(index)[1]):
            out[j] = slots[lab][seen.get(lab, 0)]
            seen[lab] = seen.get(lab, 0) + 1
        return out

    def build(self, index) -> ConditionedSet:
        """The set of component ``index`` (the theorem's conditions (i)–(v)); built once."""
        if index not in self._built:
            self._built[index] = self._build(index)
        return self._built[index]

    def _build(self, index) -> ConditionedSet:
        view, n0, r = self.view, self.n0, self.r
        V = self.net.variables()
        W1, B1, W2, B2, W3, B3 = V.weights[0], V.biases[0], V.weights[1], V.biases[1], V.weights[2], V.biases[2]
        cr = to_sympy(view.c[r])
        K = cr ** 2
        U = lambda i: W2[0, i] * cr * W3[r, 0]  # noqa: E731  (c_r^2 u_i)
        E = B2[0] * cr * W3[r, 0]                # c_r^2 epsilon
        coef = lambda i, q: W1[i, q] if q < n0 else B1[i]  # noqa: E731
        eqs = [W3[s, 0] * cr - W3[r, 0] * to_sympy(view.c[s]) for s in range(len(view.c)) if s != r]
        eqs += [B3[s] - to_sympy(view.d[s]) for s in range(len(view.d))]
        strict = [W3[r, 0] * cr]
        key = _key_of(index)
        where = self._slot_map(index)
        for i, lab in enumerate(index):
            if lab[0] == "V":
                k, sgn = lab[1], (-1 if lab[2] else 1)
                wk = view.w[k]
                p = _first_nonzero(wk)
                eqs += parallel_minors(tuple(W1[i, q] for q in range(n0)) + (B1[i],),
                                       tuple(to_sympy(x) for x in wk + (view.b[k],)))
                strict.append(sgn * W1[i, p] * to_sympy(wk[p]))
                eqs.append(U(i) * sgn * W1[i, p] - K * to_sympy(view.v[k] * wk[p]))
            elif lab == DEAD:
                eqs.append(W2[0, i])
            else:
                strict.append(lab[2] * W2[0, i])
        for k in range(len(self.comps)):
            target = self._target(key[0], k)
            active = [where[j] for j, lab in enumerate(key[1]) if lab != DEAD and lab[1][k]]
            for q in range(n0 + 1):
                eqs.append(sum((U(i) * coef(i, q) for i in active), sympy.Integer(0)) + (E if q == n0 else 0)
                           - K * to_sympy(target[q]))

        def poly(row: _Row):
            ell = [sum((to_sympy(a[q]) * coef(where[j], q) for q in range(n0 + 1)), sympy.Integer(0))
                   for j, a in row.terms]
            if not row.with_u:
                return sympy.expand(sum(ell, sympy.Integer(0)))
            return sympy.expand(K * to_sympy(row.const) + to_sympy(row.eps) * E
                                + sum((U(where[j]) * e for (j, _), e in zip(row.terms, ell, strict=True)),
                                      sympy.Integer(0)))

        H = list(enumerate(key[1]))
        miss, strict_rows, off, exact = self._rows(key, H)
        nonstrict = [poly(row) for row in miss + (off if exact else [])]
        strict += [poly(row) for row in strict_rows]
        eqs += [poly(row) for row in self.decisions[key].implicit]
        condition = None
        if not exact:
            pieces = _Region(self.region, self._pieces(key[0]))
            pos = [(where[j], "U-") for j, lab in H if lab != DEAD and lab[2] > 0]
            neg = [(where[j], "U-") for j, lab in H if lab != DEAD and lab[2] < 0]
            condition = negative_formula(pieces, pos, neg, U, K, W1, B1, V.flat, shift=E)
        eqs = list(dict.fromkeys(e for e in map(sympy.expand, eqs) if e != 0))
        nonstrict = list(dict.fromkeys(p for p in nonstrict if not p.is_number))
        return ConditionedSet(V.flat, tuple(eqs), tuple(sympy.expand(x) for x in strict), tuple(nonstrict),
                              label=" ".join(_text(lab) for lab in index), condition=condition)

    # -- locating and sampling --------------------------------------------------------------------------------

    def label_of(self, point):
        """The slot labelling of ``point`` if it is of simple type or has dead slots (listed or not), else
        ``None``."""
        other = point if isinstance(point, Network) else Network.from_parameters(self.net.architecture, point)
        ov = OuterView.of(other)
        if ov.c[self.r] * self.view.c[self.r] <= 0:
            return None
        labels, seen = [], set()
        for w, b, v in zip(ov.w, ov.b, ov.v, strict=True):
            if v == 0:
                labels.append(DEAD)
                continue
            if not any(w):
                return None
            key, _, s = normalise_row(w + (b,))
            hit = self.vkeys.get(fingerprint(key))
            if hit is not None:
                if hit[0] in seen:
                    return None
                seen.add(hit[0])
                labels.append(("V", hit[0], s != hit[1]))
                continue
            pat = self._pattern(w, b)
            if pat is None:
                return None
            labels.append(("H", pat, 1 if v > 0 else -1))
        return tuple(labels) if len(seen) == len(self.visible) else None

    def locate(self, point):
        """The index of the only listed component that can contain ``point``, or ``None``."""
        index = self.label_of(point)
        return index if index is not None and self.decisions[_key_of(index)].status == "nonempty" else None

    def sample(self, seed, index) -> Network:
        r"""An exact member of component ``index`` (random when ``None``) with that labelling: the witness of its
        class (moved off shared hyperplanes and $w' = 0$ when possible), then random slot scalings and $\mu$."""
        rng = _random.Random(seed)
        if index is None:
            index = self.index.unrank(rng.randrange(self.index.exact_size))
        pos = lambda: fmpq(rng.randint(1, 9), rng.randint(1, 9))  # noqa: E731
        return self._network(index, self._simple_witness(index), [pos() for _ in index], pos())

    def _simple_witness(self, index) -> list:
        """The class witness, or a point near it (along a seeded direction of the slice, halving the step) of the
        same labelling, in the component, with no two slots on one hyperplane; re-checked exactly."""
        key = _key_of(index)
        if key in self._witness:
            return self._witness[key]
        d, B, rng = self.decisions[key], self.build(index), _random.Random(0)
        best = d.z if self.label_of(self._network(index, d.z)) == index else None
        for _ in range(6 if not self._distinct(index, d.z) or best is None else 0):
            direction = [fmpq(rng.randint(-9, 9)) for _ in d.span]
            step = [sum((a * v[i] for a, v in zip(direction, d.span, strict=True)), _ZERO) for i in range(len(d.z))]
            for k in range(40):
                z = [x + y / 2 ** k for x, y in zip(d.z, step, strict=True)]
                x = self._network(index, z)
                if self.label_of(x) == index and B.contains(x):
                    best = best or z
                    if self._distinct(index, z):
                        self._witness[key] = z
                        return z
        if best is None:
            raise ArchitectureError(f"separated fibre: no member found near the witness of {B.label}")
        self._witness[key] = best
        return best

    def _distinct(self, index, z) -> bool:
        x = self._network(index, z)
        keys = [fingerprint(normalise_row(w + (b,))[0]) for w, b, lab in
                zip(x.weights[0], x.biases[0], index, strict=True) if lab != DEAD and any(w)]
        return len(set(keys)) == len(keys) == sum(lab != DEAD for lab in index)

    def _network(self, index, z, alpha=None, mu=fmpq(1)) -> Network:
        """The member with normalised parameters ``z`` (key order, then $\\varepsilon$), slot scalings ``alpha``
        and $\\mu$."""
        view, st = self.view, self.st
        where = {i: j for j, i in self._slot_map(index).items()}
        rows, u = [], []
        for i, lab in enumerate(index):
            if lab[0] == "V":
                rows.append(_scale(fmpq(-1 if lab[2] else 1), view.w[lab[1]] + (view.b[lab[1]],)))
                u.append(view.v[lab[1]])
            else:
                rows.append(tuple(z[st * where[i]: st * (where[i] + 1)]))
                u.append(fmpq(0) if lab == DEAD else fmpq(lab[2]))
        alpha = alpha or [fmpq(1)] * len(index)
        alpha = [a if lab != DEAD else fmpq(1) for a, lab in zip(alpha, index, strict=True)]
        W1 = tuple(_scale(a, row[:-1]) for a, row in zip(alpha, rows, strict=True))
        b1 = tuple(a * row[-1] for a, row in zip(alpha, rows, strict=True))
        v = tuple(mu * ui / a for ui, a in zip(u, alpha, strict=True))
        return Network((W1, (v,), tuple((c / mu,) for c in view.c)), (b1, (mu * z[-1],), view.d))


class _Region:
    """A view of a :class:`HiddenRegion` with other pieces of $\\overline N$ (what the formula reads)."""

    def __init__(self, region: HiddenRegion, pieces: list):
        self.n0, self.n_pieces, self.h = region.n0, pieces, region.h
