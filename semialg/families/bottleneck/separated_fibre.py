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
:func:`separated_representative` (the minimal form of $h$ padded with dead slots) when that one applies. One with
no generic member at all gets the fibre of :func:`mixed_representative`, a member of simple type built from $h$
minus its seen kinks on each component; the theorem needs of the parameter only that it be of simple type
(:func:`simple_member`), but when that member fails other conditions too (hidden neurons on one hyperplane,
forced through points where components of $P$ touch; a vertex on $\{h = 0\}$; a 0-factor) pieces of non-simple
type are not bounded, so the dimension is then only bounded below.

Cost: $2^{|V|}\binom{m + 2^{K+1}}{m}$ label classes for $m$ hidden slots, one exact LP each (rows: $2^{m}$ per
vertex and ray of $\overline N$), formula classes a search of at most ``2 * tries`` points.

>>> from semialg.families.bottleneck.types import combinatorial_type
>>> net = Network.random((2, 3, 1, 1), seed=13, height=3)
>>> S = SeparatedFibre(net, combinatorial_type(net)); S.parts, S.locate(net), S.dimension
(2, (('H', (0, 1), 1), ('V', 1, False), ('V', 2, False)), 4)
"""

from __future__ import annotations

import dataclasses
import itertools
import random as _random
import time
from dataclasses import dataclass

from flint import fmpq

from semialg.core.exact import dot, fingerprint, normalise_row, nullspace, to_sympy
from semialg.core.lazy import sympy
from semialg.core.network import Network
from semialg.engine.loci import genericity
from semialg.errors import ArchitectureError, UndecidedError
from semialg.families.bottleneck.genericity import CLOSED_TYPE_CONDITIONS, FIBRE_NEEDS_NOT, type_checks
from semialg.families.bottleneck.hidden_fibre import ConditionedSet
from semialg.families.bottleneck.hidden_formula import negative_formula
from semialg.families.bottleneck.hidden_labels import DEGENERATE, Slice, SlotIndex
from semialg.families.bottleneck.hidden_region import HiddenRegion
from semialg.families.bottleneck.ident_cache import hidden_region
from semialg.families.bottleneck.obstructions import (_Clock, _component_residuals, _components, _pieces,
                                                     _standard_face)
from semialg.families.bottleneck.outer import equivalent_outer
from semialg.families.bottleneck.representative import _live
from semialg.families.bottleneck.types import BottleneckType, combinatorial_type
from semialg.families.bottleneck.slot_labelling import Decision, SlotLabelledFibre, count_label_classes, key_of
from semialg.families.bottleneck.views import OuterView, _ZERO, _scale
from semialg.families.shallow import minimal_form
from semialg.geometry.polyhedron import decide

__all__ = ["SeparatedFibre", "mixed_representative", "separated_applies", "separated_representative", "simple_member"]

DEAD = DEGENERATE[0]    # a dead slot: v' = 0, w' and b' free


def separated_applies(net: Network, t: BottleneckType, deadline: float | None = None) -> bool:
    """Whether ``net`` (case (a), $n_0 \\ge 2$) has a U± neuron and passes every other genericity and type
    condition the explicit fibre needs — up to dead neurons ($v_i = 0$, any row): then its live part must. Past
    ``deadline`` (a :func:`time.monotonic` value) in the type conditions' cells: :class:`UndecidedError`."""
    if "D" in t.classes:
        live = _live(net)
        dead = [i for i, c in enumerate(t.classes) if c == "D"]
        return (all(net.weights[1][0][i] == 0 for i in dead) and live is not None
                and separated_applies(live, combinatorial_type(live), deadline))
    if t.regime != "PN" or "U+-" not in t.classes or not set(t.classes) <= {"V", "U-", "U+", "U+-"}:
        return False
    typed = set(CLOSED_TYPE_CONDITIONS) | {"closed type conditions"}
    if any(c.holds is not True and c.name not in typed for c in genericity(net).conditions):
        return False
    clock = None if deadline is None else _Clock(None, deadline, "separated fibre: the type conditions")
    return all(c.holds or c.name in FIBRE_NEEDS_NOT or c.name == "no U+- neuron" for c in type_checks(net, clock))


def separated_representative(net: Network) -> Network | None:
    r"""A parameter $\tilde\theta$ of the same architecture with $f_{\tilde\theta} = f_\theta$ to which the
    separated fibre applies, for a $\theta$ that fails other conditions too (two neurons on one line, dead or
    constant neurons): the shallow minimal form of $h$ (canonical; the same $h$) padded with dead neurons
    ($v = 0$), kept when it passes :func:`separated_applies` and $f$ is kept (decided exactly); else ``None``.
    The fibre depends only on $f$, so it is the fibre of $\theta$. Cost: the minimal form (a subset-sum search
    over the kinks of $h$), one equivalence test and the genericity checks."""
    try:
        h = minimal_form(OuterView.of(net).inner)
    except UndecidedError:
        return None
    return _kept(net, list(zip(h.weights[0], h.biases[0], h.weights[1][0])), h.biases[1][0])


def _kept(net: Network, neurons: list, e: fmpq, simple: bool = False) -> Network | None:
    r"""The network with first-layer neurons ``neurons`` $(w_i, b_i, v_i)$, bias $e$ of $h$, the outer layer of
    ``net`` and dead slots ($v = 0$) up to $n_1$, when it has the function of ``net`` (decided exactly) and
    :func:`separated_applies` (``simple``: or :func:`simple_member`); else ``None``."""
    n0, n1 = net.architecture.input_dim, net.widths[1]
    if len(neurons) > n1:
        return None
    pads = [(tuple(fmpq(1) if q == 0 else fmpq(j + q + 2) for q in range(n0)), _ZERO, _ZERO)
            for j in range(n1 - len(neurons))]
    W, b, v = zip(*(neurons + pads))
    rep = Network((tuple(tuple(w) for w in W), (tuple(v),), net.weights[2]), (tuple(b), (e,), net.biases[2]))
    t = combinatorial_type(rep)
    if not (separated_applies(rep, t) or simple and simple_member(rep, t)) or not equivalent_outer(rep, net):
        return None
    return rep


def simple_member(net: Network, t: BottleneckType) -> bool:
    r"""Whether ``net`` is of *simple type* with a U± neuron, what the theorem of the module docstring needs of
    the parameter its fibre is built from: regime PN, every first-layer neuron visible (V) on a kink
    hyperplane of its own, hidden (U−, U+, U±) or a dead slot ($v_i = 0$) — hidden neurons may share a
    hyperplane and arrangement vertices may lie on $\{h = 0\}$, which :func:`separated_applies` excludes.
    Cost: the combinatorial type and $n_1$ row normalisations."""
    if t.regime != "PN" or "U+-" not in t.classes or not set(t.classes) <= {"V", "U-", "U+", "U+-", "D"}:
        return False
    view = OuterView.of(net)
    if any(c == "D" and v != 0 for c, v in zip(t.classes, view.v, strict=True)):
        return False
    lines = [fingerprint(normalise_row(w + (b,))[0]) for w, b, c in zip(view.w, view.b, t.classes, strict=True)
             if c == "V"]
    return len(set(lines)) == len(lines)


def mixed_representative(net: Network, deadline: float | None = None, checks: int = 16) -> Network | None:
    r"""A member $\tilde\theta$ of simple type with mixed (U±) neurons (:func:`simple_member`), built from what
    the function forces when $P$ is disconnected, for parameters with no generic member (e.g. $h$ minus its
    seen kinks a different affine map $R_K$ on each component $K$ of $P$); ``None`` when none is found.

    Construction: one neuron on each seen kink hyperplane $\ell_H$ (a flip set $F$: $\delta_H\sigma(-\ell_H)$
    carries $\delta_H\sigma(\ell_H) - \delta_H\ell_H$), so the hidden slots and the bias $e$ must carry
    $R'_K = R_K + \sum_{H \in F}\delta_H\ell_H$ on each $K$. A neuron $s\,\sigma(s(R'_K - e))$, $s = \pm1$,
    carries $R'_K - e$ on $K$ and nothing on the other components when $s(R'_K - e) \ge 0$ on $\overline K$ and
    $\le 0$ on every other $\overline{K'}$: an interval of $e$, read off the vertices and rays of the
    $\overline K$ (a constant $R'_K$ needs $e = R'_K$ and no neuron). Every flip set, sign choice and common
    $e$ (the middle of the intersected intervals) is a candidate; the first of at most ``checks`` that keeps
    $f$ (decided exactly by :func:`~semialg.families.bottleneck.outer.equivalent_outer`: off $P$ the new neurons
    may make $h' > 0$) and is of simple type is returned. The fibre depends only on $f$.
    Cost: the components of $P$, $2^{|V|}$ flip sets ($|V| \le 8$ seen kinks) times $3^K$ sign choices of
    exact affine evaluations, at most ``checks`` exact equivalence tests; :class:`UndecidedError` once the
    ``deadline`` (:func:`time.monotonic`) has passed.

    >>> net = Network.from_arrays([[[1, 2], [-1, -2], [0, -1], [-2, 1]], [[2, 1, -2, -2]], [[1]]],
    ...                           [[0, 0, -1, 0], [0], [0]])       # an opposite pair: no member is generic
    >>> rep = mixed_representative(net); combinatorial_type(rep).classes
    ('V', 'V', 'U+-', 'U+-')
    """
    live, clock = _live(net), _Clock(None, deadline)
    found = _component_residuals(live, clock) if live is not None and net.architecture.input_dim >= 2 else None
    if found is None or len(found[1]) < 2 or len(found[0]) > 8:
        return None
    V, parts = found
    for flips in itertools.product((False, True), repeat=len(V)):
        residuals = []
        for (a, c), _, _ in parts:
            for (u, beta, d), flipped in zip(V, flips, strict=True):
                if flipped:
                    a, c = tuple(x + d * y for x, y in zip(a, u, strict=True)), c + d * beta
            residuals.append((a, c))
        visible = [(tuple(-x for x in u), -beta, d) if flipped else (u, beta, d)
                   for (u, beta, d), flipped in zip(V, flips, strict=True)]
        for choice in itertools.product(*(_carriers(R, k, parts) for k, R in enumerate(residuals))):
            clock.check(f"building members with mixed neurons ({checks} exact checks left)")
            e = _common_point(choice)
            if e is None:
                continue
            mixed = [(tuple(s * x for x in a), s * (c - e), fmpq(s))
                     for (a, c), (s, _, _) in zip(residuals, choice, strict=True) if s]
            if len(V) + len(mixed) > net.widths[1]:
                continue
            rep = _kept(net, visible + mixed, e, simple=True)
            if rep is not None:
                return rep
            checks -= 1
            if checks <= 0:
                return None
    return None


def _carriers(R, k: int, parts) -> list[tuple[int, fmpq | None, fmpq | None]]:
    r"""The ways to carry the affine $R = (a, c)$ on component ``k`` only: ``(s, lo, hi)`` for a neuron
    $s\,\sigma(s(R - e))$ with $e \in [lo, hi]$ (``None``: unbounded), or ``(0, c, c)`` for no neuron when $R$ is
    constant."""
    a, c = R
    if not any(a):
        return [(0, c, c)]
    out = []
    for s in (1, -1):
        lo, hi = None, None      # bounds of s * e
        for j, (_, _, (pts, rays)) in enumerate(parts):
            slopes = [s * dot(a, r) for r in rays]
            vals = [s * (dot(a, p) + c) for p in pts]
            if j == k:
                if any(x < 0 for x in slopes):
                    break
                hi = min(vals) if hi is None else min(hi, *vals)
            else:
                if any(x > 0 for x in slopes):
                    break
                lo = max(vals) if lo is None else max(lo, *vals)
        else:
            if lo is None or hi is None or lo <= hi:
                out.append((1, lo, hi) if s > 0 else (-1, None if hi is None else -hi, None if lo is None else -lo))
    return out


def _common_point(choice) -> fmpq | None:
    """A point in the middle of the intersection of the intervals ``(s, lo, hi)`` (``None``: empty)."""
    los = [lo for _, lo, _ in choice if lo is not None]
    his = [hi for _, _, hi in choice if hi is not None]
    lo, hi = (max(los) if los else None), (min(his) if his else None)
    if lo is not None and hi is not None:
        return (lo + hi) / 2 if lo <= hi else None
    return lo + 1 if lo is not None else hi - 1 if hi is not None else fmpq(1)


@dataclass(frozen=True)
class _Row:
    r"""$c + \sum_j [s_j]\,a_j\cdot z_j + \text{eps}\cdot\varepsilon \ge 0$ in the normalised slice (``with_u``:
    each term times the sign $s_j$ of $u_j$, i.e. $u_j a_j\cdot(w'_j, b'_j)$; without, one slot only)."""

    const: fmpq
    terms: tuple
    eps: fmpq = _ZERO
    with_u: bool = True


def _text(lab) -> str:
    if lab[0] == "V":
        return f"V{lab[1] + 1}" + ("*" if lab[2] else "")
    if lab == DEAD:
        return "D"
    _, pat, s = lab
    name = "U-" if not any(pat) else "U+" if all(pat) else "S" + "".join(map(str, pat))
    return f"{name}({'+' if s > 0 else '-'})"


class SeparatedFibre(SlotLabelledFibre):
    """The components of the fibre of a case-(a) parameter with U± neurons (module docstring): ``index``,
    ``build``, ``locate``, ``sample``, ``dimension``/``top_dimension`` and ``undecided`` (label classes whose
    emptiness was not decided, by name). Deciding the classes stops with :class:`UndecidedError` after
    ``budget`` seconds (``None``: no limit); ``progress`` shows a tqdm bar (``None``: on a terminal, after 2 s)."""

    def __init__(self, net: Network, t: BottleneckType, budget: float | None = None,
                 progress: bool | None = None, tries: int = 60):
        live, started = _live(net), time.monotonic()
        # one budget for the whole construction: the pieces of P and their components too (4-16-1-2: minutes)
        clock = _Clock(None, None if budget is None else started + budget, "separated fibre")
        self.proven = separated_applies(net, t, clock.end)
        if not (self.proven or simple_member(net, t)):
            raise ArchitectureError(f"separated fibres need regime PN, a U+- neuron and every neuron visible on a "
                                    f"kink hyperplane of its own, hidden or dead; got {t.describe()}")
        if _standard_face(live, clock) is None:
            raise ArchitectureError("separated fibre: no face of the boundary of P proves sigma(h') = mu sigma(h) "
                                    "with mu > 0 for every member; not described (sa.equivalent decides membership)")
        self._init_slots(net, t, hidden_region(net, clock))
        self.tries, view = tries, self.view
        p_pieces, _ = _pieces(live, clock)
        self.comps = []
        for comp in _components(p_pieces, clock):
            pts = tuple(dict.fromkeys(v for i in comp for v in p_pieces[i][0].vertices))
            rays = tuple(dict.fromkeys(d for i in comp for d in p_pieces[i][0].rays))
            Q = p_pieces[comp[0]][0]     # a point inside: the mean of its vertices plus the sum of its rays
            inner = tuple(sum(xs, _ZERO) / len(Q.vertices) + sum((d[q] for d in Q.rays), _ZERO)
                          for q, xs in enumerate(zip(*Q.vertices, strict=True)))
            self.comps.append((pts, rays, inner))
        self.parts = K = len(self.comps)    # connected components of P
        self._targets, self._kernels = {}, {}
        own = sorted((DEAD if t.classes[i] == "D" else ("H", self._pattern(view.w[i], view.b[i]),
                                                           1 if view.v[i] > 0 else -1), i)
                     for i in range(len(t.classes)) if t.classes[i] != "V")
        self.own_key = (frozenset(), tuple(lab for lab, _ in own))
        self.own_z = [x for lab, i in own for x in (view.w[i] + (view.b[i],) if lab == DEAD else
                                                    _scale(abs(view.v[i]), view.w[i] + (view.b[i],)))] + [view.e]
        labels = [("H", p, s) for p in itertools.product((0, 1), repeat=K) for s in (-1, 1)] + [DEAD]
        self._total = count_label_classes(net, len(self.visible), self.m, len(labels), "separated")
        keys = self._label_classes(labels)
        self.decisions: dict = {}
        self.deadline = clock.end
        self._budget = budget
        from tqdm.auto import tqdm
        for key in tqdm(keys, total=self._total, desc="separated fibre: label classes", unit="class", delay=2,
                        leave=False, disable=None if progress is None else not progress):
            self._spend()
            self.decisions[key] = self._decide(key)
        self.deadline = None        # the budget bounds the construction, not the later use of the fibre
        listed = [k for k, d in self.decisions.items() if d.status == "nonempty"]
        n1 = len(t.classes)
        self.index = SlotIndex(n1, self.visible, listed)
        self.undecided = [k for k, d in self.decisions.items() if d.status == "undecided"]
        self.dims = {k: self._dim(k, self.decisions[k].dim) for k in listed}
        best = max(self.dims.values())
        bigger = [k for k in self.undecided if self._dim(k, self.decisions[k].dim) > best]
        self.dimension = best if not bigger and self.proven else None
        self.top_dimension = (self._undecided_dimension if bigger else best if self.proven
                              else self._unproven_dimension)
        self.index_description = (
            "every first-layer slot labelled by the seen kink line it carries (* = flipped), a pattern of activity on "
            f"the {K} components of P (U- dead on all, U+ active on all, S<pattern> separating) with the sign of "
            "its output weight, or D (dead slot, v' = 0); c' = c/mu, d' = d"
            + (f"; undecided (not listed): label classes {', '.join(self.class_text(k) for k in self.undecided)}"
               if self.undecided else ""))

    def _undecided_dimension(self) -> int:
        raise UndecidedError(f"separated fibre: the undecided label classes "
                             f"{', '.join(self.class_text(k) for k in self.undecided)} could be larger than every "
                             f"listed component",
                             bounds=(max(self.dims.values()), self.net.architecture.num_parameters))

    def _unproven_dimension(self) -> int:
        raise UndecidedError(f"the fibre's dimension is at least {max(self.dims.values())} (the listed components, "
                             f"members of simple type); it was built from a member whose hidden neurons share a "
                             f"hyperplane or meet at a vertex on {{h = 0}}, and members of other types (several "
                             f"neurons on a seen kink hyperplane, constant neurons, cancelling kinks crossing P) are "
                             f"not described and may form larger pieces",
                             bounds=(max(self.dims.values()), self.net.architecture.num_parameters))

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
        """$B_k(F)$ as $(w, b)$ coefficients (length $n_0 + 1$), computed once per flip set and component."""
        found = self._targets.get((F, k))
        if found is None:
            found = self._targets[F, k] = self._affine_target(F, k)
        return found

    def _consistent(self, F, H) -> bool:
        r"""Whether the equations (iv) of the class can hold. They are $\sum_j M_{kj} z_{j,q} + [q = n_0]\,\varepsilon =
        B_k(F)_q$ for every component $k$ and coordinate $q$, one $K \times m$ matrix $M$ of the labels
        ($\pm 1$ where slot $j$ is active on $k$); a linear system is consistent iff its right-hand side is
        orthogonal to the left kernel: of $M$ for $q < n_0$, of $[M \mid 1]$ for $q = n_0$. The kernels are kept per
        label tuple (4-16-1-2: 294,912 classes, almost all inconsistent, one slice each before)."""
        labels = tuple(lab for _, lab in H)
        kernels = self._kernels.get(labels)
        if kernels is None:
            M = [[fmpq(lab[2]) if lab != DEAD and lab[1][k] else _ZERO for lab in labels] for k in range(self.parts)]
            kernels = self._kernels[labels] = (nullspace([list(col) for col in zip(*M)]) if labels else
                                               [tuple(fmpq(int(i == k)) for i in range(self.parts))
                                                for k in range(self.parts)],
                                               nullspace([list(col) for col in zip(*M)] + [[fmpq(1)] * self.parts]))
        targets = [self._target(F, k) for k in range(self.parts)]
        return all(not sum((y * T[q] for y, T in zip(Y, targets, strict=True)), _ZERO)
                   for q in range(self.stride) for Y in kernels[q == self.stride - 1])

    def _affine_target(self, F, k) -> tuple:
        r"""$e$ plus $v_i\ell_i$ for the hidden neurons active on component $k$ and the flipped ones: from the
        target of $F$ without its last neuron (kept), one vector sum per flip set."""
        view = self.view
        if F:
            i = max(F)
            out = self._target(F - {i}, k)
            return out if i in self._active(k) else tuple(x + view.v[i] * y for x, y in
                                                          zip(out, view.w[i] + (view.b[i],), strict=True))
        out = [_ZERO] * self.n0 + [view.e]
        for i in self._active(k):
            out = [x + view.v[i] * y for x, y in zip(out, view.w[i] + (view.b[i],), strict=True)]
        return tuple(out)

    def _active(self, k) -> frozenset:
        """The hidden neurons active on component $k$."""
        if (None, k) not in self._targets:
            view, inner = self.view, self.comps[k][2]
            self._targets[None, k] = frozenset(i for i, cls in enumerate(self.t.classes)
                                               if cls != "V" and dot(view.w[i], inner) + view.b[i] > 0)
        return self._targets[None, k]

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
        for Q, signs in zip(self._pieces(key[0]), self.region.n_vertex_signs, strict=True):
            for v, sign in zip(Q.vertices, signs, strict=True):
                if sign != 0:
                    c = -(dot(Q.H0[0], v) + Q.H0[1])
                    off += [_Row(c, tuple((j, tuple(-x for x in v) + (-one,)) for j in S), -one) for S in subsets]
            for d in Q.rays:
                c = -dot(Q.H0[0], d)
                off += [_Row(c, tuple((j, tuple(-x for x in d) + (_ZERO,)) for j in S)) for S in subsets]
        return miss, strict, off, exact

    def _coefs(self, row: _Row, signs, n: int) -> list:
        coefs = [_ZERO] * n
        for j, a in row.terms:
            for q in range(self.stride):
                coefs[self.stride * j + q] += (signs[j] if row.with_u else 1) * a[q]
        coefs[-1] += row.eps
        return coefs

    # -- deciding ---------------------------------------------------------------------------------------------

    def _slice(self, key, H) -> Slice | None:
        """The normalised slice with the equations (iv) imposed (``None`` if inconsistent)."""
        st, n = self.stride, self.stride * len(H) + 1
        if not self._consistent(key[0], H):
            return None
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

    def _lp(self, sl: Slice, H, rows, n) -> Decision:
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
                        return Decision("empty")
                    continue
                G.append(tuple(g))
                h.append(c)
                live.append((row, a))
            res = decide(G, tuple(h), sl.dim)
            if res.feasible:
                st = self.stride
                if any(lab != DEAD and all(not any(sl.exprs[st * j + q][1]) and sl.exprs[st * j + q][0] == 0
                                           for q in range(st - 1)) for j, lab in H):
                    return Decision("constant")
                return Decision("nonempty", sl.point(res.point), tuple(implicit), sl.dim, sl.span())
            y = res.multipliers
            if sum((a * b for a, b in zip(y, h, strict=True)), _ZERO) < 0:
                return Decision("empty")
            for a, (row, cf) in zip(y, live, strict=True):
                if a != 0:
                    if not sl.restrict(*sl.affine(row.const, cf)):
                        return Decision("empty")
                    implicit.append(row)

    def _decide(self, key) -> Decision:
        H = list(enumerate(key[1]))
        sl = self._slice(key, H)
        if sl is None:
            return Decision("empty")
        n = self.stride * len(H) + 1
        miss, strict, off, exact = self._rows(key, H)
        d = self._lp(sl, H, miss + strict + (off if exact else []), n)
        if exact or d.status != "nonempty":
            return d
        self.decisions[key] = Decision("undecided", implicit=d.implicit, dim=d.dim)   # build() reads it
        index = self._index_of(key)
        member = self._interior_tester(index, sl)
        if key == self.own_key and member(self.own_z):
            return Decision("nonempty", self.own_z, d.implicit, d.dim, sl.span(), "theta")
        rng, span = _random.Random(0), sl.span()
        for k in range(2 * self.tries):
            self._spend()
            if k < self.tries:
                z = sl.point([fmpq(rng.randint(-40, 40), rng.randint(1, 6)) for _ in range(sl.dim)])
            else:
                step = [fmpq(rng.randint(-9, 9), 4 ** (k % 5)) for _ in span]
                z = [x + sum((a * v[i] for a, v in zip(step, span, strict=True)), _ZERO) for i, x in enumerate(d.z)]
            if member(z):
                return Decision("nonempty", z, d.implicit, d.dim, span, "search")
        return Decision("undecided", implicit=d.implicit, dim=d.dim)

    def _interior_tester(self, index, sl: Slice):
        r"""Whether normalised parameters ``z`` are an interior member of the class (module docstring): the
        exact equivalence test first, then the component's membership and interior tests (every inequality
        and formula atom non-zero, or vanishing on the whole slice)."""
        in_interior = self._in_interior(index, sl)

        def interior_member(z) -> bool:
            x = self._network(index, z)
            return equivalent_outer(self.net, x) and in_interior(x)

        return interior_member

    # -- the sets ---------------------------------------------------------------------------------------------

    def _index_of(self, key) -> tuple:
        return tuple([("V", k, k in key[0]) for k in self.visible] + list(key[1]))

    def _build(self, index) -> ConditionedSet:
        view, n0 = self.view, self.n0
        V, eqs, strict, U, K = self._slot_conditions(index)
        W1, B1 = V.weights[0], V.biases[0]
        E = V.biases[1][0] * to_sympy(view.c[self.r]) * V.weights[2][self.r, 0]     # c_r^2 epsilon
        coef = lambda i, q: W1[i, q] if q < n0 else B1[i]  # noqa: E731
        key = key_of(index)
        where = self._slot_map(index)
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
            condition = negative_formula(pieces, pos, neg, U, K, W1, B1, V.flat, shift=E, check=self._spend)
        eqs = list(dict.fromkeys(e for e in map(sympy.expand, eqs) if e != 0))
        nonstrict = list(dict.fromkeys(p for p in nonstrict if not p.is_number))
        return ConditionedSet(V.flat, tuple(eqs), tuple(sympy.expand(x) for x in strict), tuple(nonstrict),
                              label=" ".join(_text(lab) for lab in index), condition=condition)

    # -- locating and sampling --------------------------------------------------------------------------------

    def _off_line_label(self, w, b, v):
        """D for a slot with $v' = 0$; for a live row on no visible line its pattern on the components of $P$ with
        the sign of ``v`` (``None`` when it has none: then the point has no labelling of this fibre)."""
        if v == 0:
            return DEAD
        pat = self._pattern(w, b) if any(w) else None
        return None if pat is None else ("H", pat, 1 if v > 0 else -1)

    @staticmethod
    def _output_weight(lab) -> fmpq:
        return fmpq(0) if lab == DEAD else fmpq(lab[2])

    @staticmethod
    def _hidden_slot_conditions(lab, u) -> tuple[list, list]:
        return ([u], []) if lab == DEAD else ([], [lab[2] * u])     # a dead slot: v' = 0; else the sign of v'

    @staticmethod
    def _epsilon(index, z, rows, u) -> fmpq:
        return z[-1]      # the normalised parameters end with epsilon

    def _simple_witness(self, index) -> list:
        """The class witness, or a point near it (along a seeded direction of the slice, halving the step) of the
        same labelling, in the component, with no two slots on one hyperplane; re-checked exactly."""
        key = key_of(index)
        if key in self._witness:
            return self._witness[key]
        d = self.decisions[key]
        best = d.z if self.label_of(self._network(index, d.z)) == index else None
        for z, _ in self._nearby(index, d, 6 if not self._distinct(index, d.z) or best is None else 0, 40):
            best = best or z
            if self._distinct(index, z):
                self._witness[key] = z
                return z
        if best is None:
            raise ArchitectureError(f"separated fibre: no member found near the witness of "
                                    f"{self.build(index).label}")
        self._witness[key] = best
        return best

    def _distinct(self, index, z) -> bool:
        x = self._network(index, z)
        keys = [fingerprint(normalise_row(w + (b,))[0]) for w, b, lab in
                zip(x.weights[0], x.biases[0], index, strict=True) if lab != DEAD and any(w)]
        return len(set(keys)) == len(keys) == sum(lab != DEAD for lab in index)


class _Region:
    """A view of a :class:`HiddenRegion` with other pieces of $\\overline N$ (what the formula reads)."""

    def __init__(self, region: HiddenRegion, pieces: list):
        self.n0, self.n_pieces, self.h = region.n0, pieces, region.h
