r"""Case (b), $n_1 = 1$: the fibre of any ridge parameter — generic or not — as a union over the types of
:mod:`~semialg.families.bottleneck.ridge_types`, each a basic semi-algebraic set.

With $\lambda = w'_p$ ($u_p = 1$), $|\lambda| = s\lambda$ on a branch of sign $s$, and per slot $(v', e', c')$:
$w' = \lambda u$, $s\lambda > 0$; anchor ``H``: $b' + \lambda y_1 = 0$, ``free``: $b' + \lambda y_1 > 0$; the sign
conditions of each role and $\sum_r c'^2_r > 0$ off D slots ($c' = 0$ on them); a kink at breakpoint $k$:
$e' + v'(\lambda y_k + b') = 0$; a phantom member: the same $\tau = -e'/v'$ as its group's first; per breakpoint
$|\lambda|\sum s_jc'_jv'_j = \Delta_k$, per phantom group $\sum s_jc'_jv'_j = 0$; the slope at $0^+$:
$|\lambda|\sum_{A\cup K^-}c'_jv'_j = T$; the value at $0$: $d' + \sum_{A\cup K^-\cup C^+}c'_je'_j = \varphi_{\rm flat}$.
Constant $f = K$: ``constant`` drops $\lambda$ ($\sum w'^2 > 0$, $b'$ free) and takes $\lambda = 1$ in these
equations; ``zero-``: $w' = 0$, $b' \le 0$, $d' + \sum_{\rm on} c'e' = K$ (on: $e' > 0$, off: $e' \le 0$);
``zero+``: $w' = 0$, $b' > 0$, $d' + \sum_{\rm on} c'(v'b' + e') = K$ (on: $v'b' + e' > 0$).
Every member of a type lies in the fibre ($G'$ and $\varphi$ agree in value and slope at $0$ and in every
jump, and $\varphi$ is flat on $z \le 0$) and every member of the fibre lies in the type :meth:`locate` gives it.

>>> net = Network.from_arrays([[[1, 2]], [[1], [0]], [[1, 3]]], [[-1], [1, -2], [0]])   # a dead neuron
>>> R = TypedRidge(net); R.types.count(), R.types.dimension()
(22, 6)
>>> x = R.sample(0, None); R.build(R.locate(x)).contains(x) and x([1, 1]) == net([1, 1])
True
"""

from __future__ import annotations

import itertools
import random as _random

from semialg.core.lazy import sympy  # imported on first use: start-up time
from flint import fmpq

from semialg.core.exact import fingerprint, nullspace, to_fmpq, to_sympy
from semialg.core.network import Network
from semialg.errors import UndecidedError
from semialg.families.bottleneck.ridge_types import (RidgeBranch, RidgeTypes, _closed_roles, _dominant, _groups,
                                                     _groups_of_slots, _phantom_labels, _zero_splits,
                                                     nonempty, type_dimension)
from semialg.families.bottleneck.ridge_local import closure_search
from semialg.families.bottleneck.views import RidgeView, Vec, _ONE, _ZERO, _scale, _vadd
from semialg.geometry.polyhedron import strictly_feasible
from semialg.geometry.semialgebraic import BasicSet, as_substitution, not_all_zero

__all__ = ["TypedRidge"]

_SIGNS = {"A": ((1, ">"), (1, ">=")), "Z": ((-1, ">"), (-1, ">=")), "C+": ((0, "="), (1, ">")),
          "C-": ((0, "="), (-1, ">="))}


def _label(name: str, anchor, roles) -> str:
    def one(r):
        if not isinstance(r, tuple):
            return r
        return f"{r[0]}{r[1] + 1}{'+' if r[2] > 0 else '-'}"
    head = name + (f" ({anchor})" if anchor else "")
    return f"{head}: {', '.join(one(r) for r in roles)}"


class TypedRidge:
    """The fibre of a case-(b) parameter by types: ``index`` (the non-empty types), ``build``, ``locate``,
    ``sample``, ``dimension_of``."""

    index_name = r"(\text{branch}, \text{anchor}, \text{roles})"
    index_description = ("branch direct / reflected (lambda > 0 / < 0; constant f: w' != 0, or w' = 0 with "
                         "b' <= 0 / b' > 0); anchor H (the first breakpoint on the first-layer hyperplane) or free; "
                         "per second-layer slot a role D (c' = 0), C+/C- (v' = 0), Z, A, K_k+- (a kink at "
                         "breakpoint k) or P_g+- (a kink of phantom group g, at least two, jumps cancelling); "
                         "every breakpoint served; only non-empty types")

    def __init__(self, net: Network):
        self.net = net
        self.types = self.index = RidgeTypes(net)
        self.V = net.variables()

    # -- the basic sets -------------------------------------------------------------------------------------

    def _vars(self):
        V = self.V
        return V.weights[0], V.biases[0][0], V.weights[1], V.biases[1], V.weights[2], V.biases[2]

    def build(self, index) -> BasicSet:
        """The basic set of the type ``index`` = (branch, anchor, roles)."""
        name, anchor, roles = index
        br = self.types.branches[(name, anchor)]
        W1, b1, W2, B2, W3, B3 = self._vars()
        n0, n3 = self.net.widths[0], self.net.widths[3]
        eqs, strict, nonstrict, nonzero = [], [], [], []
        if not br.one_dimensional:
            eqs += [W1[0, q] for q in range(n0)]
            (strict if name == "zero+" else nonstrict).append(b1 if name == "zero+" else -b1)
            t0 = b1 if name == "zero+" else 0
            value = [B3[r] for r in range(n3)]
            for s, role in enumerate(roles):
                arg = W2[s, 0] * t0 + B2[s]
                if role == "on":
                    strict.append(arg)
                    value = [value[r] + W3[r, s] * arg for r in range(n3)]
                else:
                    nonstrict.append(-arg)
            eqs += [value[r] - to_sympy(br.flat[r]) for r in range(n3)]
            return self._basic(eqs, strict, nonstrict, index)
        if name == "constant":
            lam, absl = 1, 1
            nonzero.append(not_all_zero([W1[0, q] for q in range(n0)]))
        else:
            u, p = self.types.direction, self.types.p
            lam = W1[0, p]
            absl = br.sign * lam
            eqs += [W1[0, q] - lam * to_sympy(u[q]) for q in range(n0) if q != p]
            strict.append(absl)
            z1 = b1 + lam * to_sympy(br.first)
            (eqs if anchor == "H" else strict).append(z1)
        firsts: dict = {}
        sums: dict = {("K", k): [0] * n3 for k in range(len(br.ys))}  # an unserved breakpoint: 0 = jump
        slope = [0] * n3
        value = [B3[r] for r in range(n3)]
        for s, role in enumerate(roles):
            v, e = W2[s, 0], B2[s]
            c = [W3[r, s] for r in range(n3)]
            if role == "D":
                eqs += c
                continue
            nonzero.append(not_all_zero(c))
            if role in _SIGNS:
                for (sign, kind), poly in zip(_SIGNS[role], (v, e), strict=True):
                    {"=": eqs, ">": strict, ">=": nonstrict}[kind].append(sign * poly if sign else poly)
            else:
                kind, g, sg = role
                strict += [sg * v, -sg * e]
                if kind == "K":
                    eqs.append(e + v * (lam * to_sympy(br.ys[g]) + b1))
                else:
                    f = firsts.setdefault(g, s)
                    if f != s:
                        eqs.append(e * W2[f, 0] - B2[f] * v)
                    else:  # a phantom point is no breakpoint and no other group's point: the types stay disjoint
                        nonzero += [not_all_zero([e + v * (lam * to_sympy(y) + b1)]) for y in br.ys]
                        nonzero += [not_all_zero([e * W2[h, 0] - B2[h] * v]) for h in firsts.values() if h != s]
                acc = sums.setdefault((kind, g), [0] * n3)
                for r in range(n3):
                    acc[r] += sg * c[r] * v
            if role == "A" or (isinstance(role, tuple) and role[2] < 0):
                slope = [slope[r] + c[r] * v for r in range(n3)]
            if role in ("A", "C+") or (isinstance(role, tuple) and role[2] < 0):
                value = [value[r] + c[r] * e for r in range(n3)]
        for (kind, g), acc in sums.items():
            target = br.jumps[g] if kind == "K" else (_ZERO,) * n3
            eqs += [absl * acc[r] - to_sympy(target[r]) for r in range(n3)]
        eqs += [absl * slope[r] - to_sympy(br.T[r]) for r in range(n3)]
        eqs += [value[r] - to_sympy(br.flat[r]) for r in range(n3)]
        return self._basic(eqs, strict, nonstrict, index, nonzero)

    def _basic(self, eqs, strict, nonstrict, index, nonzero=()) -> BasicSet:
        ex = lambda ps: tuple(dict.fromkeys(q for q in (sympy.expand(p) for p in ps) if q != 0))  # noqa: E731
        return BasicSet(self.V.flat, ex(eqs), ex(strict), ex(nonstrict), label=_label(*index),
                        nonzero=tuple(dict.fromkeys(nonzero)))

    def dimension_of(self, index) -> int:
        name, anchor, roles = index
        return type_dimension(self.types.branches[(name, anchor)], roles, self.net.widths[0], self.net.widths[3])

    # -- locating -------------------------------------------------------------------------------------------

    def locate(self, point):
        """The type of ``point`` (a network or parameter vector), or ``None`` when it is in no branch (then it
        is not in the fibre)."""
        other = point if isinstance(point, Network) else Network.from_parameters(self.net.architecture, point)
        ov = RidgeView.of(other)
        T = self.types
        if T.direction is None:
            if not any(ov.w):
                name = "zero+" if ov.b > 0 else "zero-"
                t0 = ov.b if ov.b > 0 else _ZERO
                return name, None, tuple("on" if v * t0 + e > 0 else "off" for v, e in zip(ov.v, ov.e, strict=True))
            return "constant", None, self._roles(T.branches[("constant", None)], ov, fmpq(1), ov.b)
        lam = ov.w[T.p]
        if lam == 0 or any(x != lam * y for x, y in zip(ov.w, T.direction, strict=True)):
            return None
        name = "direct" if lam > 0 else "reflected"
        br = T.branches.get((name, "H"))
        if br is None:
            return None
        z1 = ov.b + lam * br.first
        if z1 < 0:
            return None
        anchor = "H" if z1 == 0 else "free"
        return name, anchor, self._roles(T.branches[(name, anchor)], ov, lam, ov.b)

    def _roles(self, br: RidgeBranch, ov: RidgeView, lam: fmpq, b: fmpq) -> tuple:
        where = {fingerprint((lam * y + b,)): k for k, y in enumerate(br.ys)}
        phantoms: dict = {}
        roles = []
        for v, e, c in zip(ov.v, ov.e, ov.c, strict=True):
            if not any(c):
                roles.append("D")
            elif v == 0:
                roles.append("C+" if e > 0 else "C-")
            elif v > 0 and e >= 0:
                roles.append("A")
            elif v < 0 and e <= 0:
                roles.append("Z")
            else:
                key = fingerprint((-e / v,))
                sg = 1 if v > 0 else -1
                if key in where:
                    roles.append(("K", where[key], sg))
                else:
                    roles.append(("P", phantoms.setdefault(key, len(phantoms)), sg))
        return tuple(roles)

    # -- local dimension ------------------------------------------------------------------------------------

    def local_dimension(self, theta: Network, limit: int = 2 ** 16) -> int:
        r"""The dimension of the fibre at its member ``theta``: $\max \dim C_\tau$ over the types $\tau$ whose
        closure contains ``theta`` (each type has constant rank, so it has its dimension near every point of its
        closure). The candidates are the non-empty types whose relaxation (strict inequalities made weak,
        $c' \ne 0$ dropped) contains ``theta``; :meth:`adjacent` decides exactly which of them have points
        arbitrarily close to it. First the types reached by explicit moves (a D slot with $v' \le 0$, $e' \le 0$
        or a C− slot becomes Z, a D slot with $v' = 0 < e'$ becomes C+, two or more A-able slots all A, kinks
        whose jumps cancel slid off as a phantom group, :func:`_zero_splits`) are tested: when one of them
        reaches the upper bound of :meth:`_upper_bound` no candidate is enumerated. Otherwise the roles outside
        the equations that another role of the slot dominates are dropped (:func:`_dominant`), identical slots
        take multisets of roles, and a branch-and-bound search (:func:`~.ridge_local.closure_search`) finds the
        largest adjacent candidate (undecided when an adjacency test above it is). Cost: $O(n_2m)$ when the bound is reached,
        else at most ``limit`` nodes of the search, one basic set and one adjacency test per complete candidate
        above the best found (beyond ``limit``: :class:`~semialg.errors.UndecidedError` naming the best found
        and the bound)."""
        name, anchor, roles = index = self.locate(theta)
        view = RidgeView.of(theta)
        moved = []
        for role, v, e in zip(roles, view.v, view.e, strict=True):
            free = role in ("D", "C-") and v <= 0 and e <= 0
            moved.append("Z" if free else "C+" if role == "D" and v == 0 and e > 0 else role)
        can_a = [s for s, (r, v, e) in enumerate(zip(roles, view.v, view.e, strict=True))
                 if r == "A" or (r in ("D", "C+") and v >= 0 and e >= 0)]
        variants = [tuple(moved)]
        if name not in ("zero-", "zero+") and len(can_a) >= 2:
            variants.append(tuple("A" if s in can_a else r for s, r in enumerate(moved)))
        best = self.dimension_of(index)
        br = self.types.branches[(name, anchor)]
        for cand in ((name, anchor, roles) for m in variants for roles in _zero_splits(m, view)):
            # checked like any candidate: all A is not adjacent when the slopes c'v' -> 0 cannot cancel
            if self.dimension_of(cand) > best and nonempty(br, cand[2]) and self._touches(cand, view):
                best = self.dimension_of(cand)
        if best >= self._upper_bound(index, view):
            return best               # attained by a type reached by moves: nothing to enumerate
        undecided: list = []    # (dimension, why) of the candidates whose adjacency is undecided
        best = closure_search(self, index, view, best, limit, undecided)[0]
        above = [(d, why) for d, why in undecided if d > best]
        if above:
            raise UndecidedError(f"{max(above, key=lambda t: t[0])[1]}; the largest type decided adjacent has "
                                 f"dimension {best}")
        return best

    def _touches(self, index, view: RidgeView) -> bool:
        return _relaxed_contains(self.build(index), view.network()) and self.adjacent(index, view)

    def adjacent(self, index, view: RidgeView) -> bool:
        """Whether ``view`` (in the relaxation of the type ``index``) lies in its closure (:meth:`_curve`)."""
        return self._curve(index, view) is not None

    def approach(self, index, theta: Network, t) -> Network:
        r"""A member of the type ``index`` at distance $O(t)$ from ``theta`` (in the closure of the type: see
        :meth:`_curve`), for a small rational $t > 0$ — the curve of the adjacency proof: $x_j(t) = x^*_j +
        \sum_i t^{2i}k_{i,j} + t^{2L+2}\kappa_j$, $v'_j = v_j$ where it is non-zero, else $s_j\mu_jt^{2i}$ (the
        round $i$ that settled the slot) or $s_jt$ ($c_j = 0$), $c'_j = x_j/v'_j$, kinks on their (for a free
        anchor: shifted by $t$) positions, a phantom group at its point or $t$ beyond it, zero coordinates that a
        strict sign needs moved by $\pm t$, $d'$ from the value at $0$. Whether the result is in the type is
        checked by the caller (``build(index).contains``): it is for every small enough $t$."""
        view = RidgeView.of(theta)
        curve = self._curve(index, view)
        if curve is None:
            raise ValueError("the point is not in the closure of this type")
        name, anchor, roles = index
        br = self.types.branches[(name, anchor)]
        t = to_fmpq(t, "t")
        if t <= 0:
            raise ValueError(f"t = {t} must be positive")
        n3 = len(view.d)
        small = (t,) * n3
        if not br.one_dimensional:
            b = view.b if name != "zero+" or view.b > 0 else t
            t0 = b if name == "zero+" else _ZERO
            e = [ei + t if r == "on" and v * t0 + ei <= 0 else ei for r, v, ei in zip(roles, view.v, view.e, strict=True)]
            c = [ci if any(ci) else small for ci in view.c]
            d = br.flat
            for r, v, ei, ci in zip(roles, view.v, e, c, strict=True):
                if r == "on":
                    d = _vadd(d, ci, -(v * t0 + ei))
            return RidgeView(view.w, b, view.v, tuple(e), tuple(c), d).network()
        E, rounds, settled, kappa = curve
        lam = _ONE if name == "constant" else view.w[self.types.p]
        w = view.w if name != "constant" or any(view.w) else tuple(t if i == 0 else x for i, x in enumerate(view.w))
        b = view.b + (t if anchor == "free" and view.b + lam * br.first == 0 else _ZERO)
        x = {s: _scale(view.v[s], view.c[s]) for s in E}
        for i, k in enumerate(rounds + [kappa], start=1):
            for s in E:
                x[s] = _vadd(x[s], k[s], t ** (2 * i))
        taus: dict = {}
        v, e, c = list(view.v), list(view.e), [ci if any(ci) else small for ci in view.c]
        for s, role in enumerate(roles):
            if role == "D":
                c[s] = (_ZERO,) * n3
                continue
            if role in ("C+", "C-"):
                e[s] = e[s] + t if role == "C+" and e[s] == 0 else e[s]
                continue
            if role == "Z":
                v[s] = v[s] if v[s] < 0 else -t
                continue
            sg = 1 if role == "A" else role[2]
            if view.v[s] == 0:
                v[s] = sg * (settled[s] * t ** (2 * settled.get(("round", s), 1)) if s in settled else t)
            c[s] = _scale(1 / v[s], x[s])
            if role == "A":
                continue
            kind, g, _ = role
            if kind == "K":
                tau = lam * br.ys[g] + b
            else:
                if g not in taus:
                    live = [-view.e[q] / view.v[q] for q, r in enumerate(roles) if r[:2] == ("P", g) and view.v[q]]
                    tau0 = live[0] if live else _ZERO
                    taken = {lam * y + b for y in br.ys} | set(taus.values())
                    taus[g] = tau0 if tau0 > 0 and tau0 not in taken else tau0 + t * (len(taus) + 1)
                    while taus[g] in taken:
                        taus[g] += t / 7
                tau = taus[g]
            e[s] = -v[s] * tau
        d = br.flat
        for s, role in enumerate(roles):
            if role in ("A", "C+") or (isinstance(role, tuple) and role[2] < 0):
                d = _vadd(d, c[s], -e[s])
        return RidgeView(w, b, tuple(v), tuple(e), tuple(c), d).network()

    def _curve(self, index, view: RidgeView):
        r"""Whether the point ``view`` — which satisfies the relaxation of the type ``index`` — lies in the
        closure of that type, decided exactly.

        Up to the group action ($\lambda' = \lambda$) only the products $x_j = c'_jv'_j$ of the A, kink and
        phantom slots are constrained near the point, by the homogeneous linear system $L$ of the group and
        slope equations (the point solves them): every other condition is an equation the point satisfies and
        a free coordinate keeps ($e'$ of a kink follows $v'$ and its position, phantom positions, $b'$ of a free
        anchor and $d'$ move freely), or a strict inequality a small move of a free coordinate makes true.
        So the point is adjacent iff some curve $x(t) \to x^*$ in $x^* + \ker L$ has $x_j(t) \ne 0$ where
        $c_j = 0$ (possible iff coordinate $j$ is not identically zero on $\ker L$: then $c'_j$ and $v'_j$
        small) and, where $v_j = 0 \ne c_j$ (the slot needs $v'_j = s_j\varepsilon$, so $x_j = v'_jc'_j$
        points along $s_jc_j$), $x_j(t)$ with leading term a positive multiple of $s_jc_j$. Curves
        $x^* + \sum_i t^ik_i$ settle these slots in rounds: each round takes the largest set of unsettled slots
        that one $k \in \ker L$ moves along their directions (the others still unmoved or along theirs) — the
        maximal support of a polyhedral cone, by exact strict feasibility and Gordan multipliers. The types of
        constant $f$ with $w' = 0$ have no equations besides the value one ($d'$): always adjacent. Cost:
        $O(n_2)$ rounds of exact LPs in $O(n_2n_3)$ variables."""
        name, anchor, roles = index
        if not self.types.branches[(name, anchor)].one_dimensional:
            return ()
        E = [s for s, r in enumerate(roles) if r == "A" or isinstance(r, tuple)]
        n3 = len(view.d)
        if not E:
            return E, [], {}, {}
        pos = {s: i for i, s in enumerate(E)}
        sign = {s: (1 if roles[s] == "A" else roles[s][2]) for s in E}
        rows = []
        for slots in _groups_of_slots(roles).values():
            rows.append([fmpq(sign[s]) if s in slots else _ZERO for s in E])
        rows.append([_ONE if sign[s] < 0 or roles[s] == "A" else _ZERO for s in E])
        kernel = nullspace(rows) if rows else [tuple(_ONE if i == k else _ZERO for i in range(len(E)))
                                                  for k in range(len(E))]
        for key, slots in _groups_of_slots(roles).items():
            if key[0] != "P":
                continue
            live = [(view.v[s], view.e[s]) for s in slots if view.v[s] != 0 or view.e[s] != 0]
            if any(e1 * v2 != e2 * v1 for (v1, e1), (v2, e2) in itertools.combinations(live, 2)):
                return None       # the members of a phantom group share one point, at every point of the type
            if live and all(v == 0 for v, _ in live):
                raise UndecidedError("local dimension: a phantom group whose members tend to v' = 0 with e' != 0 "
                                     "(its point going to infinity) is not decided")
            if any(v == 0 for v, _ in live):
                return None       # v' -> 0 at a finite common point forces e' -> 0
        if any(not any(view.c[s]) and all(b[pos[s]] == 0 for b in kernel) for s in E):
            return None           # x_j = 0 on the whole type near the point, but c'_j != 0, v'_j != 0 needed
        unsettled = [s for s in E if view.v[s] == 0 and any(view.c[s])]
        rounds, settled = [], {}
        while unsettled:
            moved, mu, kappas = _maximal_support(kernel, [pos[s] for s in unsettled],
                                                 [_scale(fmpq(sign[s]), view.c[s]) for s in unsettled])
            if not moved:
                return None
            rounds.append({s: tuple(kp[pos[s]] for kp in kappas) for s in E})
            for k in moved:
                settled[unsettled[k]] = mu[k]
                settled[("round", unsettled[k])] = len(rounds)
            unsettled = [s for k, s in enumerate(unsettled) if k not in moved]
        # a generic kernel element last: every coordinate not identically zero on the kernel becomes non-zero
        generic = [sum((fmpq(3 ** i + i) * vec[q] for i, vec in enumerate(kernel)), _ZERO) for q in range(len(E))]
        kappa = {s: tuple(generic[pos[s]] * fmpq(r + 1) for r in range(n3)) for s in E}
        return E, rounds, settled, kappa

    def _candidate_roles(self, index, view: RidgeView) -> list:
        """``[(branch key, branch, per-slot roles)]``: the branches whose closure may contain the point (its own,
        and ``free`` beside ``H``; for constant $f$ with $w' = 0$ also ``constant`` and ``zero+`` at $b' = 0$) and
        per slot the roles whose closed sign conditions (and kink position) it satisfies, the dominated roles
        outside the equations dropped (:func:`_dominant`)."""
        name, anchor, _ = index
        T = self.types
        keys = [(name, anchor)]
        if anchor == "H":
            keys.append((name, "free"))
        if name in ("zero-", "zero+"):
            keys.append(("constant", None))
            if view.b == 0:
                keys.append(("zero+", None))
        out = []
        for key in keys:
            br = T.branches[key]
            if not br.one_dimensional:
                t0 = view.b if key[0] == "zero+" else _ZERO
                per = [[r for r, ok in (("on", v * t0 + e >= 0), ("off", v * t0 + e <= 0)) if ok]
                       for v, e in zip(view.v, view.e, strict=True)]
            else:
                lam = fmpq(1) if key[0] == "constant" else view.w[T.p]
                per = [_dominant(_closed_roles(br, lam, view.b, v, e, c, labels), self.net.widths[3])
                       for v, e, c, labels in zip(view.v, view.e, view.c, _phantom_labels(view), strict=True)]
            out.append((key, br, per))
        return out

    def _upper_bound(self, index, view: RidgeView) -> int:
        r"""An upper bound on the dimension of every candidate type: per branch the base, plus per slot the
        largest weight of its roles ($2 + n_3$ for Z and A, $1 + n_3$ for C±, kinks and phantom members, $2$ for
        D), minus $n_3$ per needed breakpoint (a phantom group adds $1 - n_3 \le 0$, the slope term
        $-n_3[\ldots] \le 0$). Cost: $O(n_2 m)$."""
        n0, n3 = self.net.widths[0], self.net.widths[3]
        weight = {"Z": 2 + n3, "A": 2 + n3, "D": 2}
        bound = 0
        for key, br, per in self._candidate_roles(index, view):
            if not all(per):
                continue                  # a slot fits no role: no candidate on this branch
            if not br.one_dimensional:
                bound = max(bound, 1 + len(per) * (n3 + 2))
                continue
            base = (n0 + 1) if key[0] == "constant" else 1 + (key[1] == "free")
            bound = max(bound, base - n3 * len(br.ys) + sum(max(weight.get(r, 1 + n3) for r in roles)
                                                              for roles in per))
        return bound

    # -- sampling -------------------------------------------------------------------------------------------

    def sample(self, seed, index) -> Network:
        """An exact member of the type ``index`` (a random type of the top dimension when ``None``), built by the
        constructive proof of :func:`~semialg.families.bottleneck.ridge_types.nonempty`: choose the free
        vectors at random, solve the dependent ones, retry the (finitely many) choices that make a
        $c'_jv'_j$ vanish."""
        rng = _random.Random(seed)
        if index is None:
            index = self.types.top_type(rng)
        name, anchor, roles = index
        br = self.types.branches[(name, anchor)]
        for _ in range(1000):
            out = self._try_sample(rng, br, name, anchor, roles)
            if out is not None and self.build(index).contains(out):
                return out
        raise AssertionError(f"internal error: no member found for the type {_label(*index)}")

    def _try_sample(self, rng, br: RidgeBranch, name, anchor, roles) -> Network | None:
        n0, n3 = self.net.widths[0], self.net.widths[3]
        pos = lambda: fmpq(rng.randint(1, 9), rng.randint(1, 9))  # noqa: E731
        vec = lambda: tuple(fmpq(rng.randint(-9, 9), rng.randint(1, 9)) for _ in range(n3))  # noqa: E731
        nonpos = lambda: -pos() if rng.random() < 0.8 else _ZERO  # noqa: E731
        if not br.one_dimensional:
            b = pos() if name == "zero+" else nonpos()
            t0 = b if name == "zero+" else _ZERO
            v = [fmpq(rng.randint(-9, 9), rng.randint(1, 9)) for _ in roles]
            e = [-vi * t0 + (pos() if r == "on" else nonpos()) for vi, r in zip(v, roles, strict=True)]
            c = [vec() for _ in roles]
            d = br.flat
            for vi, ei, ci, r in zip(v, e, c, roles, strict=True):
                if r == "on":
                    d = _vadd(d, ci, -(vi * t0 + ei))
            return RidgeView((_ZERO,) * n0, b, tuple(v), tuple(e), tuple(c), d).network()
        if name == "constant":
            w = vec_n(rng, n0)
            if not any(w):
                return None
            lam, b = fmpq(1), fmpq(rng.randint(-9, 9), rng.randint(1, 9))
        else:
            lam = br.sign * pos()
            w = _scale(lam, self.types.direction)
            b = -lam * br.first + (pos() if anchor == "free" else _ZERO)
        absl = abs(lam)
        ys = self._member_jumps(rng, br, roles, absl, vec)
        if ys is None:
            return None
        y, x_a = ys
        taus = {}
        v, e, c = [], [], []
        a_parts = iter(x_a)
        for role in roles:
            r = pos()
            if role == "D":
                v.append(fmpq(rng.randint(-9, 9), rng.randint(1, 9)))
                e.append(fmpq(rng.randint(-9, 9), rng.randint(1, 9)))
                c.append((_ZERO,) * n3)
            elif role in ("C+", "C-"):
                v.append(_ZERO)
                e.append(pos() if role == "C+" else nonpos())
                c.append(vec())
            elif role == "Z":
                v.append(-r)
                e.append(nonpos())
                c.append(vec())
            elif role == "A":
                v.append(r)
                e.append(-nonpos())
                c.append(_scale(1 / r, next(a_parts)))
            else:
                kind, g, sg = role
                if kind == "P" and g not in taus:  # a phantom point apart from every breakpoint and other group
                    taken = {lam * y + b for y in br.ys} | set(taus.values())
                    tries = (pos() for _ in range(20))
                    taus[g] = next((t for t in tries if t not in taken), max(taken, default=_ZERO) + pos())
                tau = lam * br.ys[g] + b if kind == "K" else taus[g]
                v.append(sg * r)
                e.append(-sg * r * tau)
                c.append(_scale(1 / r, y.pop(0)))   # c'|v'| = y, the jump this kink makes
        d = br.flat
        for ei, ci in zip(e, c, strict=True):
            if ei > 0:
                d = _vadd(d, ci, -ei)
        return RidgeView(w, b, tuple(v), tuple(e), tuple(c), d).network()

    def _member_jumps(self, rng, br: RidgeBranch, roles, absl: fmpq, vec):
        """The jumps $y_j = c'_j|v'_j|$ of the kink slots (in slot order) and the $x_j = c'_jv'_j$ of the A
        slots, all non-zero, solving the group and slope equations — or ``None`` (retry)."""
        n3 = self.net.widths[3]
        groups = _groups(roles)
        target = {key: (_scale(1 / absl, br.jumps[key[1]]) if key[0] == "K" else (_ZERO,) * n3) for key in groups}
        minus = {}
        mixed = [key for key, s in groups.items() if 1 in s and -1 in s]
        n_a = sum(1 for r in roles if r == "A")
        fixed = _scale(1 / absl, br.T)
        for key, s in groups.items():
            if key not in mixed and -1 in s:
                minus[key] = target[key]
                fixed = _vadd(fixed, target[key])
        for i, key in enumerate(mixed):
            if n_a == 0 and i == len(mixed) - 1:
                rest = fixed
                for other in mixed[:-1]:
                    rest = _vadd(rest, minus[other])
                minus[key] = _scale(fmpq(-1), rest)
            else:
                minus[key] = vec()
        parts: dict = {}
        for key, s in groups.items():
            plus = _vadd(target[key], minus.get(key, (_ZERO,) * n3), fmpq(-1))
            parts[key] = {1: _split(plus, s.count(1), vec), -1: _split(minus.get(key), s.count(-1), vec)}
        total_minus = _scale(1 / absl, br.T)
        for key in groups:
            if -1 in groups[key]:
                total_minus = _vadd(total_minus, minus[key])
        x_a = _split(total_minus, n_a, vec)
        ys = []
        for role in roles:
            if isinstance(role, tuple):
                ys.append(parts[role[:2]][role[2]].pop(0))
        if any(not any(t) for t in ys + x_a):
            return None
        return ys, x_a


def _maximal_support(kernel: list, coords: list[int], directions: list) -> tuple[set[int], list, list]:
    r"""The largest set $S$ of indices $k$ such that some $\kappa^{(1)}, \dots, \kappa^{(n)}$ in the span of
    ``kernel`` (one per output coordinate) have $\kappa^{(r)}_{p_k} = \mu_k\,\mathrm{dir}_k^{(r)}$ at every
    ``coords[k]`` $= p_k$ with $\mu \ge 0$ and $\mu_k > 0$ exactly on $S$ (the supports of such $\mu$ are
    closed under union). Starting from all indices: strict feasibility of $\mu_S > 0$ with $\mu = 0$ off
    $S$; when infeasible, Gordan multipliers $y \ge 0$ show $\mu_i = 0$ wherever $y_i > 0$, which leave $S$."""
    n, K, m = len(directions[0]), len(kernel), len(coords)
    nv = m + n * K                       # mu, then the kernel coefficients of each output coordinate
    eqs = []
    for k, (p, direction) in enumerate(zip(coords, directions, strict=True)):
        for r in range(n):
            row = [_ZERO] * nv
            row[k] = -direction[r]
            for b, vec in enumerate(kernel):
                row[m + r * K + b] = vec[p]
            eqs.append(row)
    S = set(range(m))
    while S:
        fixed = eqs + [[_ONE if i == k else _ZERO for i in range(nv)] for k in range(m) if k not in S]
        basis = nullspace(fixed)
        if not basis:
            return set(), [], []
        order = sorted(S)
        G = [[vec[k] for vec in basis] for k in order]
        res = strictly_feasible(G, [_ZERO] * len(order))
        if res.feasible:
            z = [sum((a * vec[i] for a, vec in zip(res.point, basis, strict=True)), _ZERO) for i in range(nv)]
            width = len(kernel[0])
            kappas = [tuple(sum((z[m + r * K + b] * kernel[b][q] for b in range(K)), _ZERO) for q in range(width))
                      for r in range(n)]
            return S, z[:m], kappas
        S -= {k for k, y in zip(order, res.multipliers, strict=True) if y > 0}
    return S, [], []


def _relaxed_contains(B: BasicSet, point) -> bool:
    """Whether ``point`` satisfies the equations of ``B`` and its inequalities made weak."""
    sub = as_substitution(B.variables, point)
    val = lambda p: sympy.sympify(p).xreplace(sub)  # noqa: E731
    return (all(val(p) == 0 for p in B.equations) and all(val(p) >= 0 for p in B.strict)
            and all(val(p) >= 0 for p in B.nonstrict))


def vec_n(rng, n: int) -> Vec:
    return tuple(fmpq(rng.randint(-9, 9), rng.randint(1, 9)) for _ in range(n))


def _split(total: Vec | None, k: int, vec) -> list:
    """``k`` vectors summing to ``total``: random but the last (``[]`` when ``k = 0``)."""
    if k == 0:
        return []
    parts = [vec() for _ in range(k - 1)]
    last = total
    for q in parts:
        last = _vadd(last, q, fmpq(-1))
    return parts + [last]
