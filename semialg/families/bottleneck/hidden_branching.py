r"""Deciding a label class of a hidden-neuron fibre with negative and positive hidden slots exactly: pinned
negative hyperplanes (non-empty) and a branching on the signs of the negative slots at points of $\overline N$
(empty, with a certificate).

Notation of :mod:`~semialg.families.bottleneck.hidden_fibre`: in the normalised slice of a label class the hidden
slot $j$ carries $y_j = \kappa_j\ell'_j$ with output weight $u_j = \pm 1$, and the off-$P$ condition is
$\Phi = H_0 + \sum_{u_p > 0}\sigma(y_p) - \sum_{u_n < 0}\sigma(y_n) \le 0$ on $\overline N$; its rows
$\kappa_j\ell'_j \le 0$ on $\overline P$ and the affine equations on $P$ are linear.

**Pinned hyperplanes** (a sufficient condition, exact). Fix the hyperplane $\{y_n = 0\}$ of every negative slot
(its scale stays free): on each cell of a polyhedron $Q$ of $\overline N$ cut by these fixed hyperplanes
$\Phi$ is convex, and affine in the remaining unknowns for every set $S$ of positive slots, so $\Phi \le 0$ on
$\overline N$ is the finite list of linear rows $H_0(x) + \sum_{p\in S}y_p(x) - \sum_{n : y_n(x) > 0}y_n(x) \le 0$
at the vertices $x$ of the cells (points where $n_0$ independent hyperplanes among the facets of $Q$ and the
fixed ones meet, inside $Q$; a superset does no harm) and the same with linear parts along their rays. One exact
LP; a point of it is a member; a member at which every inequality and formula atom of the component is non-zero
(:meth:`HiddenFibre._interior_member`) proves the class open in its slice.

**Branching** (necessary conditions, exact). For $x \in \overline N$ and $T = \{n : y_n(x) \ge 0\}$,
$\Phi(x) \ge H_0(x) + \sum_{p \in S}y_p(x) - \sum_{n\in T}y_n(x)$ for every $S$, so on the branch "$y_n(x) \ge 0$
exactly for $n \in T$" every member satisfies these linear rows (likewise the recession function along a ray
of $\overline N$). Starting from the rows of the class, the branching picks the vertex or ray of the pieces of
$\overline N$ where the current LP witness violates $\Phi \le 0$ most and splits into the $2^{|\mathrm{neg}|}$
sign patterns there. A leaf whose LP is infeasible (Farkas/Gordan multipliers, implicit equalities made
equations) or forces a hidden slot to $w' = 0$ (not of simple type) is closed; when every leaf is closed the
class has no member of simple type: :class:`EmptyClassCertificate`, which :meth:`~EmptyClassCertificate.verify`
re-checks from $\theta$ alone (every point in $\overline N$ or $\overline P$ by evaluation, every ray by the
breakpoints of $h$ along it, every row recomputed, every stage of multipliers by exact linear algebra). A leaf
whose witness satisfies $\Phi \le 0$ at every vertex and ray of the pieces hands its negative hyperplanes to the
pinned LP. Cost: at most ``limit`` LPs of the class's rows plus $2^{|\mathrm{pos}|}$ rows per point, each
candidate point set $O(\binom{f + |\mathrm{neg}|}{n_0})$ Cramer solutions per polyhedron with $f$ facets.

>>> leaf = ("leaf", "empty", ())
>>> cert = EmptyClassCertificate((frozenset(), (("U+", -1), ("U-", 1))), ("split", (fmpq(0), fmpq(-1)), 1,
...                              {(): leaf, (0,): ("leaf", "constant", ())}))
>>> cert.status, cert.leaves()
('constant', 2)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from flint import fmpq

from semialg.core.exact import dot
from semialg.core.network import Network, relu
from semialg.errors import CertificateError, SemialgError
from semialg.families.bottleneck.hidden_labels import KAPPA, Slice, _Row, _at, _weighted
from semialg.families.bottleneck.hidden_region import _value, cramer, kernel_direction
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import OuterView, _ZERO

__all__ = ["ClassBrancher", "EmptyClassCertificate"]


def _subsets(xs) -> list:
    return [S for k in range(len(xs) + 1) for S in itertools.combinations(xs, k)]


class ClassBrancher:
    """Pinned LPs and the branching for one label class ``key`` of the hidden fibre ``fibre`` (a
    :class:`~semialg.families.bottleneck.hidden_fibre.HiddenFibre`), on its slice ``sl`` (implicit equalities of
    its rows imposed). :meth:`decide` returns ``("nonempty", z)``, ``("empty" | "constant", certificate)`` or
    ``None`` (undecided within ``limit`` LPs)."""

    MAX_DEPTH = 300     # a deeper branch is undecided: one recursion level per branching, a margin to 1000

    def __init__(self, fibre, key, sl: Slice, limit: int = 200):
        self.F, self.key, self.sl, self.limit = fibre, key, sl, limit
        self.H = [(j, cls, s) for j, (cls, s) in enumerate(key[1])]
        self.pos = [h for h in self.H if h[2] > 0]
        self.neg = [h for h in self.H if h[2] < 0]
        self.st = fibre.stride
        self.region = fibre.region
        self.base, self.base_system = fibre._systems(self.H)[:2]
        self.lps = 0

    # -- the off-P function at a point -------------------------------------------------------------------

    def _y(self, z, h, x, one=1) -> fmpq:
        j = h[0] * self.st
        return KAPPA[h[1]] * (dot(z[j: j + self.st - 1], x) + one * z[j + self.st - 1])

    def _phi(self, z, kind, x, Q) -> fmpq:
        """$\\Phi(x)$ (``kind = "pt"``) or its recession function along the ray ``x`` of the piece ``Q``."""
        one = 1 if kind == "pt" else 0
        H0 = self.region.H0(x) if one else dot(Q.H0[0], x)
        return H0 + sum((h[2] * relu(self._y(z, h, x, one)) for h in self.H), _ZERO)

    def _negative_rows(self, z) -> dict:
        """$y_n$ as an affine row (linear part, constant) for each negative slot with $w'_n \\ne 0$."""
        out = {}
        for h in self.neg:
            j, k = h[0] * self.st, KAPPA[h[1]]
            if any(z[j: j + self.st - 1]):
                out[h] = tuple(k * a for a in z[j: j + self.st])
        return out

    def candidates(self, planes) -> list:
        """``(kind, x, Q)``: the vertices off $\\partial P$ and rays of every piece $Q$ of $\\overline N$ and the
        points (directions) of $Q$ where $n_0$ ($n_0 - 1$) independent hyperplanes among its facets and
        ``planes`` (at least one of them) meet: every vertex and ray of the cells of $Q$ cut by ``planes``."""
        R, out = self.region, []
        if not hasattr(R, "_facets"):      # per piece, once: its facets, its vertices off the boundary and rays
            R._facets = [Q.facets for Q in R.n_pieces]
            R._corners = [[("pt", v, Q) for v in Q.vertices if R.h(v) != 0] + [("ray", d, Q) for d in Q.rays]
                          for Q in R.n_pieces]
        planes = list(planes)
        for Q, facets, corners in zip(R.n_pieces, R._facets, R._corners, strict=True):
            fixed = [list(l) for l in Q.lineality]
            r = R.n0 - len(fixed)
            out += corners
            if not planes:
                continue
            rows = list(facets) + planes
            for chosen in itertools.combinations(range(len(rows)), r):
                if chosen[-1] < len(facets):
                    continue
                xhat, delta = cramer([list(rows[i][:-1]) for i in chosen] + fixed,
                                     [-rows[i][-1] for i in chosen] + [_ZERO] * len(fixed))
                if delta != 0:
                    x = tuple(t / delta for t in xhat)
                    if all(_value(row, x) >= 0 for row in Q.rows) and R.h(x) != 0:
                        out.append(("pt", x, Q))
            for chosen in itertools.combinations(range(len(rows)), r - 1):
                if chosen and chosen[-1] < len(facets) or not chosen:
                    continue
                d = kernel_direction([list(rows[i][:-1]) for i in chosen] + fixed)
                for dd in (d, tuple(-x for x in d)) if any(d) else ():
                    if all(dot(row[:-1], dd) >= 0 for row in Q.rows):
                        out.append(("ray", dd, Q))
        return out

    def _branch_rows(self, kind, x, Q, T) -> list:
        """The sign rows of the branch $T$ at ``x`` and the rows $\\Phi_{S,T}(x) \\le 0$ for every $S$."""
        one = 1 if kind == "pt" else 0
        base = Q.vertices[0] if kind == "ray" else None
        c = -self.region.H0(x) if one else -dot(Q.H0[0], x)
        names = tuple(h[0] for h in T)
        rows = [_Row(_ZERO, ((h[0], _at(-KAPPA[h[1]] if h in T else KAPPA[h[1]], x, one)),), False,
                     ("sign", x, one, base, h[0], 1 if h in T else -1)) for h in self.neg]
        for S in _subsets(self.pos):
            rows.append(_Row(c, tuple((h[0], _weighted(h, x, one)) for h in tuple(S) + tuple(T)), True,
                             ("phi", x, one, base, tuple(h[0] for h in S), names)))
        return rows

    # -- deciding ---------------------------------------------------------------------------------------------

    def pinned(self, z0):
        """The exact LP with the hyperplanes of the negative slots of ``z0`` fixed: a member ``z`` or ``None``."""
        planes = self._negative_rows(z0)
        if len(planes) < len(self.neg):
            return None
        sl, n = self.sl.copy(), self.st * len(self.H)
        for h, a in planes.items():
            k = KAPPA[h[1]]
            for p, q in itertools.combinations(range(self.st), 2):   # k*(w', b') parallel to a
                coefs = [_ZERO] * n
                coefs[self.st * h[0] + q] += a[p] * k
                coefs[self.st * h[0] + p] -= a[q] * k
                if not sl.restrict(*sl.affine(_ZERO, coefs)):
                    return None
        rows = []
        for kind, x, Q in self.candidates(planes.values()):
            one = 1 if kind == "pt" else 0
            T = tuple(h for h, a in planes.items() if dot(a[:-1], x) + one * a[-1] > 0)
            rows += self._branch_rows(kind, x, Q, T)[len(self.neg):]
        self.lps += 1
        d = self.F._lp(sl, self.H, self.base + rows, True, [self.base_system])
        return d.z if d.status == "nonempty" else None

    def decide(self, interior_member):
        """Branch (depth first) until a pinned LP gives a member accepted by ``interior_member`` (returned as
        ``("nonempty", z)``), every leaf is closed (``("empty" | "constant", certificate)``), or ``limit`` LPs are
        spent or a branch is deeper than ``MAX_DEPTH`` (``None``: undecided, never Python's recursion limit)."""
        points = self.candidates(())

        def member(z):
            found = self.pinned(z)
            if found is None:
                return None
            if interior_member(found):
                return found
            span = self.sl.span()
            for k in range(1, 6):          # a nearby interior member: the pinned one may sit on a boundary
                step = [fmpq(((7 * k + 3 * i) % 11) - 5, 4 ** k) for i in range(len(span))]
                moved = [x + sum((a * v[i] for a, v in zip(step, span, strict=True)), _ZERO)
                         for i, x in enumerate(found)]
                if interior_member(moved):
                    return moved
            return None

        def node(extra, depth=0):
            if self.lps >= self.limit or depth > self.MAX_DEPTH:
                raise StopIteration
            self.F._spend()
            self.lps += 1
            trace: list = []
            d = self.F._lp(self.sl.copy(), self.H, self.base + extra, True, [self.base_system], trace, reuse=True)
            if d.status != "nonempty":
                return ("leaf", d.status, tuple(tuple((row.tag, a) for row, a in stage) for stage in trace))
            value, where = max(((self._phi(d.z, *c), c) for c in points), key=lambda vc: vc[0],
                               default=(_ZERO, None))
            if value <= 0:
                z = member(d.z)
                if z is not None:
                    return ("member", z)
                # the witness may still violate Phi <= 0 where its negative hyperplanes cut the pieces
                value, where = max(((self._phi(d.z, *c), c) for c in self.candidates(
                    self._negative_rows(d.z).values())), key=lambda vc: vc[0], default=(_ZERO, None))
                if value <= 0:
                    return ("open",)
            kind, x, Q = where
            children, is_open = {}, False
            for T in _subsets(self.neg):
                child = node(extra + self._branch_rows(kind, x, Q, T), depth + 1)
                if child[0] == "member":
                    return child
                is_open |= child[0] == "open"
                children[tuple(h[0] for h in T)] = child
            return ("open",) if is_open else ("split", x, 1 if kind == "pt" else 0, children)

        try:
            tree = node([])
        except StopIteration:
            return None
        if tree[0] == "open":
            return None
        if tree[0] == "member":
            return "nonempty", tree[1]
        cert = EmptyClassCertificate(self.key, tree, tuple(self.region.p_points))
        return cert.status, cert


@dataclass(frozen=True)
class EmptyClassCertificate:
    r"""A proof that the label class ``key`` of a hidden-neuron fibre of $\theta$ has no member of simple type.

    ``tree``: ``("split", x, one, {T: subtree})`` branches on the sign pattern of the negative slots at the point
    (``one = 1``) or ray (``one = 0``) ``x``, one subtree per set $T$ of slots with $y_n(x) \ge 0$; a leaf
    ``("leaf", status, stages)`` lists stages of multipliers over tagged rows (``e4``: $\kappa_j\ell'_j \le 0$ at a
    point or ray of $\overline P$; ``sign``/``phi``: the rows of a branch on its path): each stage's combination
    is constant on the equations known so far (the affine equations on $P$ and the rows earlier stages showed to
    be tight), negative (``empty``) or zero (its rows become equations); a ``constant`` leaf ends with equations
    that force some $w'_j = 0$.
    """

    key: tuple
    tree: tuple
    bases: tuple = ()    # points of P-bar from which its rays are checked

    @property
    def status(self) -> str:
        """``"empty"`` when every leaf is infeasible, else ``"constant"`` (some leaf only forces $w'_j = 0$)."""
        def leaves(t):
            return [t[1]] if t[0] == "leaf" else [s for c in t[3].values() for s in leaves(c)]
        return "empty" if all(s == "empty" for s in leaves(self.tree)) else "constant"

    def leaves(self) -> int:
        def count(t):
            return 1 if t[0] == "leaf" else sum(count(c) for c in t[3].values())
        return count(self.tree)

    def describe(self) -> str:
        return (f"label class {self.key} has no member of simple type: {self.leaves()} branch(es) on the signs of "
                f"the negative slots, each closed by exact multipliers ({self.status})")

    def to_json(self) -> dict:
        return {"type": "EmptyClassCertificate", "statement": self.describe(), "leaves": self.leaves()}

    def verify(self, net: Network) -> bool:
        """Re-check every branch and every stage from ``net`` alone (exact); :class:`CertificateError` if one fails
        or the certificate is malformed (a key that is not a label class of ``net``, rows or points of the wrong
        shape)."""
        try:
            check = _Checker(net, self.key)
            check.p_points = [p for p in self.bases if check.h(p) >= 0]
            check.tree(self.tree, {})
        except (TypeError, ValueError, IndexError, KeyError, AttributeError, ZeroDivisionError, SemialgError) as exc:
            if isinstance(exc, CertificateError):
                raise
            raise CertificateError(f"the empty-class certificate is malformed: {exc}") from None
        return True


class _Checker:
    """The independent re-check of an :class:`EmptyClassCertificate`: rows recomputed from their tags."""

    def __init__(self, net: Network, key):
        self.net, self.view = net, OuterView.of(net)
        self.classes = combinatorial_type(net).classes
        self.n0 = net.architecture.input_dim
        self.st = self.n0 + 1
        self.F, hidden = key
        visible = [i for i, cls in enumerate(self.classes) if cls == "V"]
        # a made-up label would make the equations on P inconsistent and so "prove" any class empty
        if not isinstance(self.F, frozenset) or not self.F <= set(visible):
            raise CertificateError(f"the flip set {self.F} is not a set of visible neurons")
        if not isinstance(hidden, tuple) or len(hidden) > len(self.classes) - len(visible) or any(
                not isinstance(label, tuple) or len(label) != 2 or label[0] not in KAPPA or label[1] not in (1, -1)
                for label in hidden):
            raise CertificateError(f"the hidden slots {hidden} are not a label of a hidden-neuron fibre of {net.architecture}")
        self.slots = [(j, cls, s) for j, (cls, s) in enumerate(hidden)]
        self.neg = [j for j, _, s in self.slots if s < 0]
        self.p_points: list = []

    def h(self, x) -> fmpq:
        return self.view.inner(x)[0]

    def H0(self, x) -> fmpq:
        out = self.view.e
        for w, b, v, cls in zip(self.view.w, self.view.b, self.view.v, self.classes, strict=True):
            t = dot(w, x) + b
            out += v * (relu(t) if cls == "V" else t if cls == "U+" else _ZERO)
        return out

    def _ray(self, x0, d, sign: int) -> bool:
        """$\\mathrm{sign}\\cdot h(x_0 + td) \\ge 0$ for every $t \\ge 0$: at 0, at the kinks of $h$ on the ray,
        and its slope beyond them."""
        ts = [-(dot(w, x0) + b) / dot(w, d) for w, b in zip(self.view.w, self.view.b, strict=True)
              if dot(w, d) != 0]
        ts = sorted({t for t in ts if t > 0})
        last = (ts[-1] if ts else _ZERO) + 1
        at = lambda t: sign * self.h(tuple(a + t * c for a, c in zip(x0, d, strict=True)))  # noqa: E731
        return all(at(t) >= 0 for t in [_ZERO, *ts, last]) and at(last + 1) >= at(last)

    def _recession(self, x0, d) -> fmpq:
        ts = [-(dot(w, x0) + b) / dot(w, d) for w, b in zip(self.view.w, self.view.b, strict=True)
              if dot(w, d) != 0]
        far = max([_ZERO, *ts]) + 1
        pt = lambda t: tuple(a + t * c for a, c in zip(x0, d, strict=True))  # noqa: E731
        return self.H0(pt(far + 1)) - self.H0(pt(far))

    def _slots(self, js, sign: int | None) -> tuple:
        """``js`` as distinct slot indices (of the sign ``sign`` when given): a row's slot set is a *set* —
        a repeated slot would multiply its term, a slot of the other sign flip it."""
        js = tuple(js)
        if len(set(js)) != len(js) or any(type(j) is not int or not 0 <= j < len(self.slots) or
                                           (sign is not None and (self.slots[j][2] > 0) != (sign > 0)) for j in js):
            raise CertificateError(f"a row over the slots {js}: not distinct "
                                   f"{'' if sign is None else 'positive ' if sign > 0 else 'negative '}slots")
        return js

    def row(self, tag, path) -> tuple:
        """(coefficients over z, constant) of the row ``tag`` ($\\ge 0$), after checking that it holds for every
        member on the branch ``path`` (point -> T)."""
        coefs = [_ZERO] * (self.st * len(self.slots))

        def add(j, x, one, factor):
            for q in range(self.n0):
                coefs[self.st * j + q] += factor * x[q]
            coefs[self.st * j + self.n0] += factor * one

        kind = tag[0]
        if kind == "e4":
            _, j, x, one = tag
            (j,) = self._slots((j,), None)
            if one:
                ok = self.h(x) >= 0
            else:
                ok = any(self._ray(p, x, 1) for p in self.p_points)
            if not ok:
                raise CertificateError(f"the point or ray {x} is not in P-bar")
            add(j, x, one, -KAPPA[self.slots[j][1]])
            return coefs, _ZERO
        _, x, one, base = tag[:4]
        T = path.get((x, one))
        if T is None:
            raise CertificateError(f"a row at {x} on a branch that does not split there")
        if kind == "sign":
            (j,), sgn = self._slots((tag[4],), -1), tag[5]
            if (j in T) != (sgn > 0):
                raise CertificateError("a sign row that is not the branch's")
            add(j, x, one, sgn * KAPPA[self.slots[j][1]])
            return coefs, _ZERO
        S, TT = self._slots(tag[4], 1), self._slots(tag[5], -1)
        if TT != T:
            raise CertificateError("a row whose digging set is not the branch's")
        if one:
            if self.h(x) > 0:
                raise CertificateError(f"the point {x} is not in N-bar")
            H0 = self.H0(x)
        else:
            if base is None or not self._ray(base, x, -1):
                raise CertificateError(f"the ray {x} is not in N-bar")
            H0 = self._recession(base, x)
        for j in tuple(S) + tuple(TT):
            _, cls, s = self.slots[j]
            add(j, x, one, -s * KAPPA[cls])
        return coefs, -H0

    def equations(self) -> list:
        """The affine equations on $P$: $\\sum_{U+'} u_j w'_j = \\sum_{U+} v_iw_i + \\sum_{k\\in F} v_kw_k$."""
        lin = [_ZERO] * self.n0
        for i, (w, v, cls) in enumerate(zip(self.view.w, self.view.v, self.classes, strict=True)):
            if cls == "U+" or i in self.F:
                lin = [a + v * b for a, b in zip(lin, w, strict=True)]
        out = []
        for q in range(self.n0):
            coefs = [_ZERO] * (self.st * len(self.slots))
            for j, cls, s in self.slots:
                if cls == "U+":
                    coefs[self.st * j + q] = fmpq(s)
            out.append((coefs, -lin[q]))
        return out

    def tree(self, t, path) -> None:
        if t[0] == "split":
            _, x, one, children = t
            if (x, one) in path or set(children) != {tuple(n for n in self.neg if n in T)
                                                      for T in _subsets(self.neg)}:
                raise CertificateError(f"the branch at {x} does not cover every sign pattern")
            for T, child in children.items():
                self.tree(child, {**path, (x, one): tuple(T)})
            return
        _, status, stages = t
        sl = Slice(self.st * len(self.slots))
        for coefs, c in self.equations():
            if not sl.restrict(*sl.affine(c, coefs)):
                return                                 # the equations alone are inconsistent
        for stage in stages:
            rows = [(self.row(tag, path), a) for tag, a in stage]
            if any(a < 0 for _, a in rows) or not rows:
                raise CertificateError("multipliers must be non-negative")
            coefs = [sum((a * r[0][i] for r, a in rows), _ZERO) for i in range(len(sl.exprs))]
            value, g = sl.affine(sum((a * r[1] for r, a in rows), _ZERO), coefs)
            if any(g):
                raise CertificateError("a combination of rows that is not constant on the equations")
            if value < 0:
                return                                 # infeasible
            if value > 0:
                raise CertificateError("a combination of rows that is positive")
            for (r, a) in rows:
                if a != 0 and not sl.restrict(*sl.affine(r[1], r[0])):
                    return                             # the tight rows are inconsistent with the equations
        if status == "constant" and any(all(not any(sl.exprs[self.st * j + q][1]) and sl.exprs[self.st * j + q][0] == 0
                                            for q in range(self.n0)) for j, _, _ in self.slots):
            return
        raise CertificateError(f"a leaf ({status}) whose stages do not close it")
