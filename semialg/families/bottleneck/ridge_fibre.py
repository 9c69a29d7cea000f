r"""Case (b): the fibre of a generic ridge parameter as a union of basic semi-algebraic sets.

With $\lambda = w'_p/w_p$ and $\beta = b' - \lambda b$ ($z' = \lambda z + \beta$), a component is
$w' \parallel w$, $\lambda > 0$ (or $< 0$ on the reflected branch), and per slot: a kink point $z_0$ of
$F$ with jump $J$: $e' + v'(\lambda z_0 + \beta) = 0$, $\lambda c'|v'| = J$ ($|\lambda|$ when reflected),
class signs of $(v', e')$; A slots $v', e' > 0$; Z slots $v', e' < 0$; then
$\lambda\sum_{A'\cup K'^-}c'v' = G'(0^+)$ and $\sum_{A'\cup K'^-}c'e' + d' = G(0)$ when $H$ is visible,
$\beta = 0$; $d' = d$ when $H$ is hidden ($\beta$ free); on the reflected branch $\beta = -\lambda\tau_{\max}$,
the kink points are $0$ and the $\tau_j$, $j \ne j_{\max}$, and $d' = G(0)$.
Number of components: $P(n_2, k)\cdot[2^k(2^{n_2-k} - 1) \text{ if } a \ge 1] \cdot [2 \text{ if reflective}]$.

>>> from semialg.families.bottleneck.types import combinatorial_type
>>> net = Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])
>>> R = RidgeFibre(net, combinatorial_type(net)); len(R.index)
4
"""

from __future__ import annotations

import itertools
import math
import random as _random
from dataclasses import dataclass

from semialg.core.lazy import sympy  # imported on first use: start-up time
from flint import fmpq

from semialg.core.network import Network, relu
from semialg.families.bottleneck.types import BottleneckType
from semialg.core.exact import to_sympy
from semialg.families.bottleneck.views import (
    RidgeView, Vec, _OTHER, _SIGNS, _ZERO, _first_nonzero, _ridge_class, _scale, _slope_at_zero, _vadd)
from semialg.geometry.semialgebraic import BasicSet

__all__ = ["RidgeFibre"]


@dataclass(frozen=True)
class _KinkPoint:
    """A breakpoint $z_0$ of $F$ (in $z = w\\cdot x + b$) with its slope jump and the class it must carry."""

    z: fmpq
    jump: Vec
    cls: str


class _SlotIndex:
    """Lazy index of the components: (branch, roles), one role per second-layer slot — a kink point with its
    class, ``"A"`` or ``"Z"``."""

    def __init__(self, n2: int, kinks: dict, allow_flips: bool, need_a: bool):
        self.n2, self.kinks, self.allow_flips, self.need_a = n2, kinks, allow_flips, need_a

    def _count(self, k: int) -> int:
        rest = self.n2 - k
        if self.need_a:
            return math.perm(self.n2, k) * 2 ** k * (2 ** rest - 1)
        return math.perm(self.n2, k)

    def __len__(self) -> int:
        return self.exact_size

    @property
    def exact_size(self) -> int:
        return sum(self._count(len(pts)) for pts in self.kinks.values())

    def __iter__(self):
        for branch, pts in self.kinks.items():
            k = len(pts)
            for slots in itertools.permutations(range(self.n2), k):
                flips = itertools.product((False, True), repeat=k) if self.allow_flips else [(False,) * k]
                for flip in flips:
                    free = [s for s in range(self.n2) if s not in slots]
                    fills = itertools.product("AZ", repeat=len(free)) if self.need_a else [("Z",) * len(free)]
                    for fill in fills:
                        if self.need_a and "A" not in fill:
                            continue
                        roles: list = [None] * self.n2
                        for p, (s, f) in enumerate(zip(slots, flip, strict=True)):
                            roles[s] = (p, f)
                        for s, r in zip(free, fill, strict=True):
                            roles[s] = r
                        yield branch, tuple(roles)


def _role_class(pts, role) -> str:
    """The class a slot must have: its role ``A``/``Z``, or the (possibly flipped) class of its kink point."""
    if role in ("A", "Z"):
        return role
    pt, flipped = pts[role[0]], role[1]
    return _OTHER[pt.cls] if flipped else pt.cls


class RidgeFibre:
    """The components of the fibre of a generic case-(b) parameter: ``index``, ``build``, ``locate``,
    ``sample`` (see the module docstring for the equations)."""

    index_name = r"(\text{branch}, \text{roles})"
    index_description = ("branch direct (or reflected, when F is constant at both ends); each kink point of F "
                         "assigned to its own second-layer slot, flipped or not (flips only when a >= 1); every "
                         "other slot A (affine on t > 0) or Z (dead), at least one A when a >= 1")

    def __init__(self, net: Network, t: BottleneckType):
        self.net, self.t = net, t
        self.view = view = RidgeView.of(net)
        n2 = net.widths[2]
        self.g0 = _slope_at_zero(view)
        G0 = view.d
        for e, c in zip(view.e, view.c, strict=True):
            G0 = _vadd(G0, c, relu(e))  # G(0) = d + sum_j c_j s(e_j)
        self.G0 = G0
        kinks = {j: _KinkPoint(-view.e[j] / view.v[j], _scale(abs(view.v[j]), view.c[j]), t.classes[j])
                 for j in range(n2) if t.classes[j] in ("K+", "K-")}
        self.branches = {"direct": tuple(kinks.values())}
        self.tmax = None
        if t.reflective:
            jmax = max(kinks, key=lambda j: kinks[j].z)
            self.tmax = kinks[jmax].z
            self.branches["reflected"] = (_KinkPoint(_ZERO, self.g0, "K-"),) + tuple(
                _KinkPoint(p.z, p.jump, "K-") for j, p in kinks.items() if j != jmax)
        self.p = _first_nonzero(view.w)
        self.wp = view.w[self.p]
        a = t.count("A")
        self.index = _SlotIndex(n2, self.branches, a >= 1, a >= 1)

    # -- the basic sets -------------------------------------------------------------------------------------

    def build(self, index) -> BasicSet:
        """The basic set of component ``index`` = (branch, roles)."""
        branch, roles = index
        view, p, wp = self.view, self.p, self.wp
        n0, n3 = self.net.widths[0], self.net.widths[3]
        V = self.net.variables()
        W1, B1, W2, B2, W3 = V.weights[0], V.biases[0], V.weights[1], V.biases[1], V.weights[2]
        lam = W1[0, p] / to_sympy(wp)
        beta = B1[0] - lam * to_sympy(view.b)
        sgn = 1 if branch == "direct" else -1
        pts = self.branches[branch]
        eqs = [W1[0, q] * to_sympy(wp) - W1[0, p] * to_sympy(view.w[q]) for q in range(n0) if q != p]
        strict = [sgn * W1[0, p] * to_sympy(wp)]
        active = []
        for s, role in enumerate(roles):
            v_, e_ = W2[s, 0], B2[s]
            cls = _role_class(pts, role)
            if role not in ("A", "Z"):
                pt = pts[role[0]]
                eqs.append(sympy.expand(e_ + v_ * (lam * to_sympy(pt.z) + beta)))
                eqs += [sympy.expand(_SIGNS[cls][0] * sgn * lam * W3[r, s] * v_ - to_sympy(pt.jump[r])) for r in range(n3)]
            sv, se = _SIGNS[cls]
            strict += [sv * v_, se * e_]
            if cls in ("A", "K-"):
                active.append(s)
        eqs += self._outer_equations(branch, lam, beta, active, V)
        names = [r if r in ("A", "Z") else f"K{r[0] + 1}" + ("*" if r[1] else "") for r in roles]
        return BasicSet(V.flat, tuple(e for e in eqs if e != 0), tuple(sympy.expand(x) for x in strict),
                        label=f"{branch}: {', '.join(names)}")

    def _outer_equations(self, branch, lam, beta, active, V) -> list:
        """The equations of the hyperplane offset and of the output bias on ``branch``."""
        n3 = self.net.widths[3]
        W2, B2, W3, B3 = V.weights[1], V.biases[1], V.weights[2], V.biases[2]
        if branch == "reflected":
            return [sympy.expand(beta + lam * to_sympy(self.tmax))] + [B3[r] - to_sympy(self.G0[r]) for r in range(n3)]
        if self.t.regime == "hidden":
            return [B3[r] - to_sympy(self.view.d[r]) for r in range(n3)]
        return ([sympy.expand(beta)]
                + [sympy.expand(lam * sum(W3[r, s] * W2[s, 0] for s in active) - to_sympy(self.g0[r])) for r in range(n3)]
                + [sympy.expand(sum(W3[r, s] * B2[s] for s in active) + B3[r] - to_sympy(self.G0[r])) for r in range(n3)])

    # -- locating and sampling ------------------------------------------------------------------------------

    def locate(self, point):
        """The index of the only component that can contain ``point`` (a network or parameter vector)."""
        other = point if isinstance(point, Network) else Network.from_parameters(self.net.architecture, point)
        ov = RidgeView.of(other)
        if ov.w[self.p] == 0:
            return None
        lam_ = ov.w[self.p] / self.wp
        branch = "direct" if lam_ > 0 else "reflected"
        if branch not in self.branches:
            return None
        beta_ = ov.b - lam_ * self.view.b
        where = {(pt.z.p, pt.z.q): i for i, pt in enumerate(self.branches[branch])}
        roles = []
        for v_, e_ in zip(ov.v, ov.e, strict=True):
            cls = _ridge_class(v_, e_)
            if cls in ("A", "Z"):
                roles.append(cls)
                continue
            z = ((-e_ / v_) - beta_) / lam_
            i = where.get((z.p, z.q))
            if i is None:
                return None
            roles.append((i, cls != self.branches[branch][i].cls))
        return branch, tuple(roles)

    def sample(self, seed, index) -> Network:
        """An exact member of component ``index`` (random when ``None``), solved from its equations."""
        rng = _random.Random(seed)
        if index is None:
            index = next(itertools.islice(self.index, rng.randrange(len(self.index)), None))
        branch, roles = index
        pos = lambda: fmpq(rng.randint(1, 9), rng.randint(1, 9))  # noqa: E731
        l_ = pos() * (1 if branch == "direct" else -1)
        b_ = self._sample_offset(branch, l_, rng)
        n2, n3 = self.net.widths[2], self.net.widths[3]
        pts = self.branches[branch]
        v, e, c = [None] * n2, [None] * n2, [None] * n2
        for s, role in enumerate(roles):
            sv, se = _SIGNS[_role_class(pts, role)]
            v[s] = sv * pos()
            if role in ("A", "Z"):
                e[s] = se * pos()
                c[s] = tuple(fmpq(rng.randint(-9, 9), rng.randint(1, 9)) for _ in range(n3))
            else:
                pt = pts[role[0]]
                e[s] = -v[s] * (l_ * pt.z + b_)
                c[s] = _scale(1 / abs(l_ * v[s]), pt.jump)
        d = self._sample_output_bias(branch, roles, l_, v, e, c)
        return RidgeView(_scale(l_, self.view.w), l_ * self.view.b + b_, tuple(v), tuple(e), tuple(c), d).network()

    def _sample_offset(self, branch, l_, rng) -> fmpq:
        if branch == "reflected":
            return -l_ * self.tmax
        if self.t.regime == "hidden":
            tmin = min(pt.z for pt in self.branches[branch])
            return l_ * tmin * fmpq(rng.randint(-9, 9), 10)
        return _ZERO

    def _sample_output_bias(self, branch, roles, l_, v, e, c) -> Vec:
        """$d'$ (and the last A slot's $c'$, solved in place) so that the slope and value at $H$ match."""
        if branch == "reflected":
            return self.G0
        if self.t.regime == "hidden":
            return self.view.d
        n3 = self.net.widths[3]
        d = self.G0
        A_slots = [s for s, r in enumerate(roles) if r == "A"]
        act = [s for s in range(len(v)) if _ridge_class(v[s], e[s]) in ("A", "K-")]
        if A_slots:
            last = A_slots[-1]
            rest = (_ZERO,) * n3
            for s in act:
                if s != last:
                    rest = _vadd(rest, c[s], v[s])
            c[last] = _scale(1 / v[last], _vadd(_scale(1 / l_, self.g0), rest, fmpq(-1)))
        for s in act:
            d = _vadd(d, c[s], -e[s])
        return d
