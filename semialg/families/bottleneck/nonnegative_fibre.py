r"""Case (a), regime T: fibres of $f = c\,\sigma(h) + d$ when $h \ge 0$ everywhere, so that $f = c\,h + d$.

**Statement.** Let $h$ be non-constant, $h \ge 0$, $c \ne 0$, $m = \min h$ and $M = \sup h$. Then
$f_{\theta'} = f_\theta$ iff $c' = c/\mu$, $d' = d - (c/\mu)\,t$ and $\sigma(h') = \mu h + t$ for some $\mu \ne 0$, $t$
(component $r$ with $c_r \ne 0$ gives $\sigma(h') = \mu h + t$ with $\mu = c_r/c'_r$, $t = (d_r - d'_r)/c'_r$; the
other components follow since $h$ and $1$ are linearly independent). This needs $\mu h + t \ge 0$: $\mu > 0$ and
$t \ge -\mu m$, or $\mu < 0$ — only when $h$ is bounded above — and $t \ge |\mu| M$. Two kinds of members:

- (T') $h' \ge 0$: $h' = \mu h + t$, i.e. $(W'_1, b'_1, v'/\mu, (e' - t)/\mu)$ lies in the shallow fibre of $h$
  (:func:`semialg.families.shallow.fibre`, complete for every $h$), with $1/\mu = c'_r/c_r$ substituted, so every
  condition is polynomial in $\theta'$; $\mu h + t \ge 0$ becomes $c'_r(d_r - d'_r + c_r m) \ge 0$ ($\mu > 0$) or
  $c'_r(d_r - d'_r + c_r M) \ge 0$ ($\mu < 0$).
- (PN') $h' < 0$ on the open set $N'$: there $\mu h + t = 0$, so $h$ is constant on an open set at its minimum ($\mu
  > 0$; its maximum when $\mu < 0$), and $\sigma(h') = |\mu|\,g$ with $g = h - m$ (resp. $M - h$). If every
  first-layer neuron has $w_i \ne 0$, $v_i \ne 0$, the hyperplanes are distinct and each meets $\{g > 0\}$, then
  $h'$ carries one neuron on each of them with the kink of $|\mu| g$, so $h' - |\mu| g$ has no kink, is affine and
  vanishes on $\{g > 0\}$: $h' = |\mu| g \ge 0$, and (PN') is empty. In general $h' - |\mu| g$ has kinks only on
  hyperplanes inside $\{g = 0\}$ (a kink hyperplane meeting $\{g > 0\}$ carries the same jump all along it, and $h'
  = |\mu| g$ there), and is affine, hence $0$, without them. With one neuron more than kink hyperplanes (dead,
  constant, a twin) and none of these inside $\{g = 0\}$, it kinks on at most one hyperplane $L'$; when the kink
  hyperplanes are not all parallel, $\{g > 0\}$ meets both sides of $L'$ (an open half-space inside $\{g = 0\}$
  would cancel the jump of every kink hyperplane crossing it), so it is $0$ on each side. In any case (PN') needs a
  whole hyperplane inside the plateau $\{g = 0\}$, which
  :func:`~semialg.families.bottleneck.plateau.hyperplane_in_zero_set` decides exactly for every $n_0$ (each kink
  hyperplane of $h$ is parallel to it or meets it in a codimension-2 flat shared by at least three kink hyperplanes,
  so the candidates are finitely many, each checked by a canonical form).

Listed here: the (T') components, indexed by the sign of $\mu$ and a non-empty component of the shallow fibre of
$h$; they are the whole fibre when (PN') is empty by one of the criteria above. When the kink hyperplanes of $h$ are
parallel, $h$ is a ridge function $h(x) = \eta(u\cdot x)$ (its linear part is along $u$ since $h \ge 0$; always for
$n_0 = 1$ and for parallel rows; $\eta$ from the canonical form of $h$), and (PN') is the typed 1-D slot calculus with
target $g$ (:class:`~semialg.families.bottleneck.line_typed.TypedSlotPiece`, pieces ``Pmin`` for $\mu > 0$,
$d' = d + c\min h$, and ``Pmax`` for $\mu < 0$, $d' = d + c\sup h$): $h'/|\mu| = g$ on
$\hat P = \operatorname{int}\overline{\{g > 0\}}$, $\le 0$ on the plateau intervals — the setting of
:mod:`~semialg.families.bottleneck.line_typed` with $T = g$, whose derivation only uses that $\hat P$ is a non-empty
union of open slabs $\{u\cdot x \in \hat S\}$. A type gives each neuron a role: a slot on the line (on a kink of $g$
in $\hat P$, one or a cluster of several, or strictly inside a plateau interval with orientation, sign of $v'$ and
order), inert ($v' = 0$, any row), constant ($w' = 0$), or in a phantom group on one hyperplane off the line (jumps
cancelling, $v' \ne 0$, the groups' affine part $\alpha\,u\cdot x$ entering the 1-D conditions). Example:
$h = \sigma(x) + 2\sigma(x - 1)$, $h' = \sigma(x + 1) + 2\sigma(x - 1) - 1$. On the line a member is
$G = \text{slots} + \alpha s + E$ with $h' < 0$ somewhere (not $G = g$: slots at the ends of plateau intervals are
listed, but a type all of whose members have $G = g$ is a translation, in (T'): excluded, and the plateau members are
disjoint from (T')). Not listed (``contains`` decides them by
:func:`~semialg.families.bottleneck.equivalence.equivalent`): types feasible only with an
equality ($G = 0$ at a slot, a zero slope at infinity); the dimension is decided when the listed maximum reaches
:meth:`~semialg.families.bottleneck.line_slots.SlotCalculus.upper_bound` (every member), else undecided with both
bounds. Otherwise (kink hyperplanes not all parallel, a hyperplane
inside the plateau, and two neurons more than kink hyperplanes or one of these inside the plateau — non-generic: it
needs three kink hyperplanes through a codimension-2 flat) :class:`ArchitectureError`
names the plateau value, the hyperplane and the neurons. Dimension: the largest of the shallow fibre's plus 2
($\mu$, $t$; $n_1 + 2$ for generic $h$) and the plateau pieces'
(:meth:`~semialg.families.bottleneck.line_typed.TypedSlotPiece.max_dimension`); at a member $h' = |\mu| g$ on the boundary
$t = -\mu\,\mathrm{ext}$ the local dimension also counts the plateau component accumulating there.

>>> net = Network.from_arrays([[[1, 0], [0, 1], [1, 1]], [[1, 2, 1]], [[2], [3]]], [[0, 1, -1], [1], [1, 0]])
>>> F = NonnegativeFibre(net); F.signs, F.low, F.dimension, F.index.exact_size
((1,), 1, 5, 6)
"""

from __future__ import annotations

import itertools
import random as _random

from semialg.core.lazy import sympy  # imported on first use: start-up time
from flint import fmpq

from semialg.core.exact import fingerprint, normalise_row, to_sympy
from semialg.core.network import Network
from semialg.errors import ArchitectureError, ParameterError, UndecidedError
from semialg.families.bottleneck.arrangement import NetworkArrangement, extreme_values
from semialg.families.bottleneck.equivalence import equivalent
from semialg.families.bottleneck.line_closure import dimension_from_curves
from semialg.families.bottleneck.line_slots import LinePL, SlotCalculus
from semialg.families.bottleneck.line_typed import TypedSlotPiece
from semialg.families.bottleneck.plateau import hyperplane_in_zero_set, lies_in_zero_set
from semialg.families.bottleneck.slot_piece import split_outer
from semialg.families.bottleneck.types import BottleneckType, bottleneck_regime, combinatorial_type
from semialg.families.bottleneck.views import OuterView, _first_nonzero, _scale
from semialg.families.shallow import canonical_form, fibre as shallow_fibre
from semialg.geometry.semialgebraic import BasicSet, map_nonzero

__all__ = ["NonnegativeFibre"]

_TAGS = {"Pmin": 1, "Pmax": -1}      # the plateau pieces and their sign of mu
_ZERO = fmpq(0)


class _SignedIndex:
    """Lazy index: the allowed signs of $\\mu$ times the non-empty components of the shallow fibre of $h$, then the
    plateau pieces' labellings."""

    def __init__(self, signs: tuple[int, ...], inner, plateaus=()):
        self.signs, self.inner, self.plateaus = signs, inner, tuple(plateaus)

    @property
    def exact_size(self) -> int:
        return len(self.signs) * self.inner.num_components + sum(P.index.exact_size for P in self.plateaus)

    def __len__(self) -> int:
        return self.exact_size

    def __iter__(self):
        geometry = getattr(self.inner, "geometry", None)   # typed shallow fibres index empty types too
        for s in self.signs:
            for j in self.inner.index:
                if geometry is None or geometry.is_nonempty(j):
                    yield s, j
        for P in self.plateaus:
            yield from P.index


class NonnegativeFibre:
    """The components of the fibre of a case-(a) parameter of regime T (see the module docstring): ``index``,
    ``build``, ``locate``, ``sample``, ``local_dimension``, ``dimension``; raises :class:`ArchitectureError` when
    members with $h' < 0$ somewhere may exist and the kink hyperplanes of $h$ are not parallel."""

    index_name = r"(\operatorname{sign}\mu, j)"

    def __init__(self, net: Network, t: BottleneckType | None = None):
        t = combinatorial_type(net) if t is None else t
        if t.regime != "T":
            raise ArchitectureError(f"regime-T fibres need h >= 0 everywhere and c != 0; got {t.describe()}")
        self.net = net
        self.view = view = OuterView.of(net)
        self.arr = arr = NetworkArrangement((view.inner,))
        if not any(any(A[0]) for A in arr.affine_maps(arr.neuron_data(view.inner), arr.cells)):
            raise ArchitectureError("regime T with h constant: f is constant, its fibre is the constant fibre "
                                    "(constant_fibre.ConstantFibre, where semialg.fibre sends it)")
        self.low, self.high = extreme_values(view, arr)
        self.signs = (1,) if self.high is None else (1, -1)
        self.plateaus = {s: P for s in self.signs if (P := self._plateau_members(s)) is not None}
        self.inner = shallow_fibre(view.inner)
        self.index = _SignedIndex(self.signs, self.inner, self.plateaus.values())
        self.index_description = (
            "the sign of mu (mu > 0" + ("; mu < 0: h is bounded, a reflection" if self.high is not None else "")
            + ") and a component j of the shallow fibre of h (" + self.inner.index_name + "): h' = mu h + t with "
            "mu h + t >= 0 everywhere, c' = c/mu, d' = d - c t/mu" + "".join(
                f"; {P.tag} (h' < 0 on the plateau at the {'minimum' if P.sign > 0 else 'maximum'} of h, h a ridge "
                "function of u.x): a type per neuron: a slot on the line on a kink of the target g (several on "
                "one kink: a cluster) with its orientation or strictly inside a plateau interval with orientation, "
                "sign of v' and order (several on one point: a shared point), inert (v' = 0, any row), constant "
                "(w' = 0, sign of b') or in a phantom group on a hyperplane (orientation)"
                for P in self.plateaus.values())
            + ("; slots at the ends of plateau intervals too, h' < 0 somewhere; not listed: types feasible only "
               "with equalities"
               if self.plateaus else ""))
        V = net.variables()
        self.r = r = _first_nonzero(view.c)
        self.cr = to_sympy(view.c[r])
        inv_mu = V.weights[2][r, 0] / self.cr                        # 1/mu = c'_r / c_r
        self.sub = {V.weights[1][0, i]: V.weights[1][0, i] * inv_mu for i in range(net.widths[1])}
        e, cr_, dr_ = V.biases[1][0], V.weights[2][r, 0], V.biases[2][r]
        self.sub[e] = (e * cr_ - to_sympy(view.d[r]) + dr_) / self.cr   # (e' - t)/mu, t = (d_r - d'_r)/c'_r

    def dimension_bounds(self) -> tuple[int, int]:
        """The largest dimension of a listed component (the shallow fibre of $h$ plus 2, the plateau types) and an
        upper bound of the fibre's dimension (:meth:`~semialg.families.bottleneck.line_slots.SlotCalculus.
        upper_bound` on the plateau pieces, which covers their members of no listed type)."""
        base = self.inner.dimension + 2
        lower = [d for P in self.plateaus.values() if (d := P.max_dimension()) is not None]
        upper = [d for P in self.plateaus.values() if (d := P.upper_bound()) is not None]
        return max([base] + lower), max([base] + upper)

    @property
    def dimension(self) -> int:
        """The largest dimension of a non-empty component, when it reaches the upper bound of
        :meth:`dimension_bounds` (else :class:`UndecidedError` with both: unlisted plateau members, slots on the
        line feasible only with equalities, might be larger)."""
        lower, upper = self.dimension_bounds()
        if upper > lower:
            raise UndecidedError(f"the fibre's dimension is between {lower} (listed components) and {upper} (a bound "
                                 "covering plateau members of no listed type: types feasible only with "
                                 "equalities)")
        return lower

    def top_dimension(self) -> int:
        """:attr:`dimension`, as a function (evaluated on first use by the fibre)."""
        return self.dimension

    def _gap(self, s: int) -> OuterView:
        r"""$g = h - \min h$ ($s = 1$) or $\sup h - h$ ($s = -1$) as an outer view."""
        view = self.view
        v = view.v if s > 0 else _scale(fmpq(-1), view.v)
        e = view.e - self.low if s > 0 else self.high - view.e
        return OuterView(Network((view.inner.weights[0], (v,)), (view.inner.biases[0], (e,))), view.c, view.d)

    def _plateau_members(self, s: int) -> TypedSlotPiece | None:
        """The typed slot-calculus piece of the members with $h' < 0$ on the plateau ($\\operatorname{sign}\\mu = s$) when
        $h$ is a ridge function (all kink hyperplanes parallel); ``None`` when there are none by the criteria of
        the module docstring; raises otherwise."""
        g, arr = self._gap(s), self.arr
        maps = arr.affine_maps(arr.neuron_data(g.inner), arr.cells)
        if not any(not any(A[0]) and A[1] == 0 for A in maps):
            return None                                                 # {g = 0} has empty interior
        keys = [key for key, _ in canonical_form(g.inner).kinks]        # the kink hyperplanes of h (and g)
        if len({key[:-1] for key in keys}) == 1:                        # h(x) = eta(u.x)
            return self._slot_piece(s, keys[0][:-1])
        plane = hyperplane_in_zero_set(g.inner, keys)
        if plane is None:
            return None                                                 # no hyperplane fits inside {g = 0}
        view, genuine = self.view, {fingerprint(key): key for key in keys}
        on = [fingerprint(normalise_row(tuple(w) + (b,))[0]) if any(w) and v else None
              for w, b, v in zip(view.w, view.b, view.v, strict=True)]
        inside = {fp for fp, key in genuine.items() if lies_in_zero_set(g.inner, key)}
        hidden = [i for i, fp in enumerate(on) if fp in inside]
        spare = [i for i, fp in enumerate(on) if fp not in genuine or on.count(fp) > 1]
        if not inside and self.net.widths[1] - len(keys) <= 1:
            return None     # h' - |mu| g could kink on one hyperplane only (module docstring): h' = |mu| g
        where, value = ("minimum", self.low) if s > 0 else ("maximum", self.high)
        witness = self._plateau_witness() if s > 0 else None
        raise ArchitectureError(
            f"regime T: h attains its {where} {value} on an open set and the hyperplane "
            f"{{x : {_show(plane[:-1])} . x + {plane[-1]} = 0}} lies in that plateau; "
            + (f"the kink hyperplanes of neurons {[i + 1 for i in hidden]} lie in it too; " if hidden else "")
            + (f"neurons {[i + 1 for i in spare]} are dead, constant or share a kink hyperplane; " if spare else "")
            + f"the fibre may also have members with h' < 0 on that plateau (mu {'>' if s > 0 else '<'} 0), "
            "which are described only when the kink hyperplanes of h are parallel"
            + (f" (it does: {witness}, certified by sa.equivalent)" if witness else "")
            + "; sa.equivalent decides membership")

    def _slot_piece(self, s: int, u) -> TypedSlotPiece:
        r"""The plateau piece for $h(x) = \eta(u\cdot x)$: $\eta(s) = \sum_H \delta_H\sigma(s + \beta_H) + \alpha s + d$
        from the canonical form of $h$ (its linear part is $\alpha u$: $h \ge 0$ bounds it along $u^\perp$)."""
        K = canonical_form(self.view.inner)
        p = _first_nonzero(u)
        alpha, const = K.linear[0][p], K.constant[0]
        if any(x != alpha * y for x, y in zip(K.linear[0], u, strict=True)):
            raise ArchitectureError("regime T: h has parallel kink hyperplanes but a linear part off their normal")
        eta = LinePL.of([(-key[-1], delta[0]) for key, delta in K.kinks], alpha,
                        const + sum((delta[0] * max(key[-1], _ZERO) for key, delta in K.kinks), _ZERO))
        T = (LinePL.of(eta.breaks, eta.left, eta.at0 - self.low) if s > 0 else
             LinePL.of([(x, -j) for x, j in eta.breaks], -eta.left, self.high - eta.at0))
        return TypedSlotPiece("Pmin" if s > 0 else "Pmax", self.net, tuple(u), SlotCalculus(T, self.net.widths[1]),
                              s, self.low if s > 0 else self.high)

    def _plateau_witness(self) -> Network | None:
        """A member with $h' < 0$ on the plateau at $\\min h$, if moving one neuron's hyperplane into it finds
        one: $b_i \\mapsto b_i + \\delta$, $e \\mapsto e - v_i\\delta - \\min h$, $d \\mapsto d + c\\min h$, confirmed
        by :func:`~semialg.families.bottleneck.equivalence.equivalent` and of regime PN. A member has $h' = g$
        where $g > 0$: candidates failing that at the integer points of $[-2, 2]^{n_0}$ are skipped first."""
        net, m = self.net, self.low
        (W1, W2, W3), (b1, b2, b3) = net.weights, net.biases
        g = self._gap(1).inner
        probes = [p for p in itertools.product(range(-2, 3), repeat=net.widths[0]) if g(p)[0] > 0]
        for i, delta in itertools.product(range(len(b1)), (fmpq(1), fmpq(1, 2), fmpq(-1), fmpq(-1, 2))):
            b = tuple(x + delta if k == i else x for k, x in enumerate(b1))
            x = Network((W1, W2, W3), (b, (b2[0] - W2[0][i] * delta - m,),
                                       tuple(y + r[0] * m for r, y in zip(W3, b3, strict=True))))
            inner = Network((W1, W2), (b, (b2[0] - W2[0][i] * delta - m,)))
            if (all(inner(p) == g(p) for p in probes) and bottleneck_regime(x) == "PN"
                    and equivalent(net, x)):
                return x
        return None

    def build(self, index) -> BasicSet:
        """The shallow component ``j`` of $h$ with $h' \\mapsto (h' - t)/\\mu$, $c' \\parallel c$ with the sign of
        $\\mu$, $d' - d \\parallel c'$, and $\\mu h + t \\ge 0$."""
        if index[0] in _TAGS:
            return self.plateaus[_TAGS[index[0]]].build(index[1])
        s, j = index
        V, view, r, cr = self.net.variables(), self.view, self.r, self.cr
        C, D = V.weights[2], V.biases[2]
        B = self.inner.build(j)
        sub = lambda p: sympy.expand(sympy.sympify(p).xreplace(self.sub))  # noqa: E731
        eqs = [sub(p) for p in B.equations]
        eqs += [C[q, 0] * cr - C[r, 0] * to_sympy(view.c[q]) for q in range(len(view.c)) if q != r]
        eqs += [sympy.expand(C[r, 0] * (D[q] - to_sympy(view.d[q])) - C[q, 0] * (D[r] - to_sympy(view.d[r])))
                for q in range(len(view.d)) if q != r]
        ext = to_sympy(self.low if s > 0 else self.high)
        strict = tuple(sub(p) for p in B.strict) + (s * C[r, 0] * cr,)
        nonstrict = tuple(sub(p) for p in B.nonstrict) + (
            sympy.expand(C[r, 0] * (to_sympy(view.d[r]) - D[r] + cr * ext)),)
        return BasicSet(V.flat, tuple(e for e in eqs if e != 0), strict, nonstrict,
                        label=f"mu {'>' if s > 0 else '<'} 0, {B.label}", nonzero=map_nonzero(sub, B.nonzero))

    def _inner_of(self, point) -> tuple[int, Network] | None:
        """The sign of $\\mu$ and $(h' - t)/\\mu$ of a point (``None`` when $c'_r = 0$)."""
        other = point if isinstance(point, Network) else Network.from_parameters(self.net.architecture, point)
        ov, view, r = OuterView.of(other), self.view, self.r
        if ov.c[r] == 0:
            return None
        mu = view.c[r] / ov.c[r]
        t = (view.d[r] - ov.d[r]) / ov.c[r]
        return (1 if mu > 0 else -1), Network((ov.inner.weights[0], (_scale(1 / mu, ov.v),)),
                                              (ov.b, ((ov.e - t) / mu,)))

    def _plateau_point(self, point):
        """The plateau piece and the outer view of a point with $t = -\\mu\\,\\mathrm{ext}$ (on the boundary
        $\\mu h + t \\ge 0$ of the (T') members, where the plateau members live), else ``None``."""
        got = split_outer(self.net, self.view, self.r, point)
        if got is None:
            return None
        mu, t, ov = got
        s = 1 if mu > 0 else -1
        P = self.plateaus.get(s)
        if P is None or t != -mu * P.level:
            return None
        return P, ov

    def locate(self, point):
        on = self._plateau_point(point)
        if on is not None:
            P, ov = on
            labels = P.locate(ov)
            if labels is not None and P.build(labels).contains(point):
                return P.tag, labels
        got = self._inner_of(point)
        if got is None or got[0] not in self.signs:
            return None
        j = self.inner.locate(got[1])
        return None if j is None else (got[0], j)

    def local_dimension(self, point) -> int:
        """The dimension at a member: at a plateau member that of its type when nearby members share it
        (:meth:`~semialg.families.bottleneck.line_typed.TypedSlotPiece.local_dimension`, else
        :class:`UndecidedError` with bounds); for $h' = \\mu h + t$ that of the shallow fibre of $h$ at
        $(h' - t)/\\mu$ plus 2, and on the boundary $t = -\\mu\\,\\mathrm{ext}$ at least that of the plateau
        component accumulating there (one neuron on the line per breakpoint of $h'$, or a cluster on a kink of $g$
        that stays on it (:meth:`~semialg.families.bottleneck.line_typed.TypedSlotPiece._clusters_stay`): the
        breakpoints at the ends of plateau intervals move inside them; nearby plateau members keep $v' \\ne 0$ and
        distinct hyperplanes, so they have no inert, constant or grouped neuron). When $h'$ has other neurons
        (inert, constant or sharing a breakpoint) there, the curves of
        :func:`~semialg.families.bottleneck.line_closure.closure_lower_bound` into
        plateau types give the lower bound; :class:`UndecidedError` with bounds when it stays below the fibre's
        dimension bound, and at a plateau member of no listed type."""
        j = self.locate(point)
        on = self._plateau_point(point)
        if j is None or j[0] in _TAGS:
            if on is None:      # the (T') members are all listed
                raise ParameterError("local_dimension: the point is not in the fibre")
            P, ov = on
            return P.local_dimension(ov, None if j is None else j[1], self.dimension_bounds()[1])
        try:
            base = self.inner.local_dimension(self._inner_of(point)[1]) + 2
        except UndecidedError as err:      # bounds on the shallow fibre's dimension there: this one's are 2 more
            lower, upper = err.bounds or (0, self.dimension_bounds()[1] - 2)
            raise UndecidedError(f"the local dimension of the fibre of h at (h' - t)/mu lies between {lower} and "
                                 f"{upper}: at the member, {lower + 2} to " + (f"{upper + 2}" if on is None else
                                 "the plateau components' dimension"),
                                 bounds=(lower + 2, upper + 2 if on is None else self.dimension_bounds()[1])) from None
        if on is None:
            return base
        P, ov = on
        roles = P.locate(ov, closure=True)
        # a cluster on a kink of g counts only when its neurons stay on it (else they may part nearby)
        if roles is not None and P.stays(ov, roles) and P._clusters_stay(ov, roles):
            return max(base, P.dimension(roles))
        return dimension_from_curves(P, ov, base, self.dimension_bounds()[1], "a member h' = |mu| g on the plateau "
                                     "boundary whose neurons are not one per breakpoint")

    def sample(self, seed, index) -> Network:
        """A member of component ``index`` (random when ``None``): a member $h''$ of the shallow component,
        a random $\\mu$ of the sign, $t$ on the boundary $\\mu h + t \\ge 0$ or beyond it."""
        rng = _random.Random(seed)
        if index is None and self.plateaus and rng.random() < 0.5:
            part = rng.choice(list(self.plateaus.values())).index
            index = next(itertools.islice(part, rng.randrange(max(1, min(part.exact_size, 1000))), None), None)
        if index is not None and index[0] in _TAGS:
            return self.plateaus[_TAGS[index[0]]].sample(index[1], rng)
        pos = lambda: fmpq(rng.randint(1, 9), rng.randint(1, 9))  # noqa: E731
        if index is None:
            s, h = rng.choice(self.signs), self.inner.sample(seed)
        else:
            s, j = index
            h = self.inner.build(j).sample(seed)
        mu = s * pos()
        t = -mu * (self.low if s > 0 else self.high) + (0 if rng.random() < 0.3 else pos())
        view = self.view
        return Network((h.weights[0], (_scale(mu, h.weights[1][0]),), tuple((x / mu,) for x in view.c)),
                       (h.biases[0], (mu * h.biases[1][0] + t,), tuple(y - x * t / mu
                                                                      for x, y in zip(view.c, view.d, strict=True))))


def _show(v) -> str:
    return "(" + ", ".join(str(x) for x in v) + ")"
