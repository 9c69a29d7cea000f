r"""Case (b), $n_1 = 1$: ridge functions, their 1-D breakpoint profiles, and exact equivalence.

$f(x) = F(w\cdot x + b)$ with $F(z) = G(\sigma(z))$, $G(t) = \sum_j c_j\sigma(v_jt + e_j) + d$. Writing
$w = s\mu u$ (first non-zero entry of $u$ equal to $1$, $\mu > 0$), $f(x) = \varphi(u\cdot x)$ for a
one-dimensional piecewise linear profile $\varphi$ whose breakpoints, slope jumps, left slope and value at $0$
are a complete invariant (:func:`ridge_profile`). Equivalence is exact in $O(n_2\log n_2 + n_0 + n_2n_3)$.

>>> a = Network.from_arrays([[[1, 2]], [[1]], [[1]]], [[0], [0], [0]])
>>> b = Network.from_arrays([[[2, 4]], [[1]], [["1/2"]]], [[0], [0], [0]])
>>> r = equivalent_ridge(a, b); bool(r), r.verify(a, b)
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from flint import fmpq

from semialg.core.certificate import (Certificate, EquivalenceResult, PointCertificate, check_comparable,
                                      separating_point)
from semialg.core.exact import fingerprint, normalise_row, solve
from semialg.core.network import Network, relu
from semialg.core.result import Latexable
from semialg.errors import CertificateError
from semialg.families.bottleneck.views import (
    RidgeView, Vec, _ZERO, _decisive, _first_nonzero, _scale, _slope_at_infinity, _slope_at_zero, _unit, _vadd)

__all__ = ["RidgeProfile", "ridge_profile", "RidgeCertificate", "equivalent_ridge"]


@dataclass(frozen=True)
class RidgeProfile(Latexable):
    r"""$f(x) = \varphi(u\cdot x)$: ``direction`` $u$ (``None`` when $f$ is constant), the breakpoints
    $(y_k, \Delta_k)$ of $\varphi$ with non-zero slope jumps, the slope as $y \to -\infty$, and $\varphi(0)$.

    Two case-(b) networks compute the same function iff their profiles are equal.
    """

    direction: Vec | None
    breakpoints: tuple[tuple[fmpq, Vec], ...]
    left_slope: Vec
    value_at_zero: Vec

    def __call__(self, y) -> Vec:
        """$\\varphi(y) = \\varphi(0) + sy + \\sum_k \\Delta_k(\\sigma(y - y_k) - \\sigma(-y_k))$, exactly."""
        y = fmpq(y)
        out = _vadd(self.value_at_zero, self.left_slope, y)
        for yk, jump in self.breakpoints:
            out = _vadd(out, jump, relu(y - yk) - relu(-yk))
        return out

    @property
    def is_constant(self) -> bool:
        return self.direction is None


def ridge_profile(net: Network) -> RidgeProfile:
    r"""The complete invariant of a case-(b) network: its direction and 1-D breakpoint profile.

    $F$ is constant for $z \le 0$, kinks at $z = 0$ with jump $G'(0^+)$ and at $\tau_j = -e_j/v_j > 0$ with
    jump $c_j|v_j|$; in $y = u\cdot x$ (so $z = s\mu y + b$) the breakpoints are $(z - b)/(s\mu)$ and every jump
    is multiplied by $\mu$. Coincident breakpoints are merged and zero jumps dropped. Cost:
    $O(n_2\log n_2 + n_0 + n_2n_3)$.

    >>> net = Network.from_arrays([[[2, 0]], [[1]], [[3]]], [[-2], [0], [0]])    # 3 s(s(2x - 2))
    >>> P = ridge_profile(net); P.direction, P.breakpoints
    ((1, 0), ((1, (6,)),))
    """
    view = RidgeView.of(net)
    zero_input = (_ZERO,) * len(view.w)
    key, mu, s = normalise_row(view.w)
    k = len(view.d)
    if s == 0:
        return RidgeProfile(None, (), (_ZERO,) * k, net(zero_input))
    jumps: dict = {}

    def add(z: fmpq, jump: Vec) -> None:
        y = (z - view.b) / (s * mu)
        fp = fingerprint((y,))
        old = jumps.get(fp, (y, (_ZERO,) * k))
        jumps[fp] = (y, _vadd(old[1], jump, mu))

    add(_ZERO, _slope_at_zero(view))
    for cls, v, e, c in zip(view.classes(), view.v, view.e, view.c, strict=True):
        if cls in ("K+", "K-"):
            add(-e / v, _scale(abs(v), c))
    bps = tuple(sorted(((y, j) for y, j in jumps.values() if any(j)), key=lambda t: t[0]))
    left = (_ZERO,) * k if s > 0 else _scale(-mu, _slope_at_infinity(view))
    if not bps:
        return RidgeProfile(None, (), (_ZERO,) * k, net(zero_input))
    return RidgeProfile(key, bps, left, net(zero_input))


def _line_kinks(view: RidgeView, p: int) -> list[fmpq]:
    """Every $y$ where $t \\mapsto f(t e_p)$ can bend, from the raw parameters: $z = 0$ and $z = -e_j/v_j$."""
    wp = view.w[p]
    if wp == 0:
        return []
    zs = [_ZERO] + [-e / v for v, e in zip(view.v, view.e, strict=True) if v != 0]
    return [(z - view.b) / wp for z in zs]


def _is_constant(net: Network, limit: int) -> bool:
    """Whether a case-(b) network is constant: by exact evaluation at the decisive points of its line, or by
    its profile when that would take more than ``limit`` neuron evaluations."""
    view = RidgeView.of(net)
    if not any(view.w):
        return True
    p = _first_nonzero(view.w)
    ys = _decisive(_line_kinks(view, p))
    if len(ys) * len(view.v) > limit:
        return ridge_profile(net).is_constant
    return len({fingerprint(net(_unit(len(view.w), p, y))) for y in ys}) == 1


@dataclass(frozen=True)
class RidgeCertificate(Certificate):
    r"""Both case-(b) networks are ridge functions $\varphi_i(u\cdot x)$ in the same ``direction`` $u$ with the
    same profile (or both constant when ``direction`` is ``None``).

    ``verify`` checks that each first-layer row is zero or parallel to $u$, then evaluates both networks
    exactly on the line $\mathbb{R}e_p$ ($u_p = 1$) at every candidate breakpoint recomputed from the raw
    parameters and one point beyond each end — two piecewise linear functions of one variable that agree
    there agree everywhere. This does not use the profile code but costs $O(n_2^2(n_0 + n_3))$; above
    ``EVALUATION_LIMIT`` evaluations it recomputes both profiles instead ($O(n_2\log n_2)$) and evaluates the
    networks at 64 of the candidate points.
    """

    SUPPORTS: ClassVar[frozenset] = frozenset({True})

    direction: Vec | None

    EVALUATION_LIMIT = 10 ** 7

    def verify(self, net1: Network, net2: Network) -> bool:
        views = (RidgeView.of(net1), RidgeView.of(net2))
        check_comparable(net1, net2)
        n0 = len(views[0].w)
        if self.direction is None:
            for i, net in enumerate((net1, net2), start=1):
                if not _is_constant(net, self.EVALUATION_LIMIT):
                    raise CertificateError(f"network {i} is not constant")
            if net1((_ZERO,) * n0) != net2((_ZERO,) * n0):
                raise CertificateError("the two constants differ")
            return True
        u = self.direction
        if not isinstance(u, tuple) or len(u) != n0 or not all(isinstance(x, fmpq) for x in u) or not any(u) \
                or normalise_row(u)[0] != u:
            raise CertificateError(f"the direction {u!r} is not a normalised non-zero vector of Q^{n0}")
        for i, view in enumerate(views, start=1):
            if any(view.w) and normalise_row(view.w)[0] != u:
                raise CertificateError(f"the first-layer row of network {i} is not parallel to {u}")
        p = _first_nonzero(u)
        ys = _decisive(_line_kinks(views[0], p) + _line_kinks(views[1], p))
        if len(ys) * (len(views[0].v) + len(views[1].v)) > self.EVALUATION_LIMIT:
            if ridge_profile(net1) != ridge_profile(net2):
                raise CertificateError("the recomputed profiles differ")
            ys = [ys[k * (len(ys) - 1) // 63] for k in range(64)]
        for y in ys:
            x = _unit(n0, p, y)
            if net1(x) != net2(x):
                raise CertificateError(f"the networks differ at {[str(t) for t in x]}")
        return True

    def describe(self) -> str:
        if self.direction is None:
            return "both networks are constant with the same value"
        return (f"both networks are ridge functions of u.x with u = ({', '.join(map(str, self.direction))}) "
                f"and the same one-dimensional breakpoint profile")


def _first_difference(P1: RidgeProfile, P2: RidgeProfile) -> fmpq:
    """A $y$ with $\\varphi_1(y) \\ne \\varphi_2(y)$, by one left-to-right pass over the merged breakpoints:
    $\\varphi_1 - \\varphi_2$ is tracked by its value and slope, so the pass costs $O(n\\log n)$."""
    jumps: dict = {}
    for sign, P in ((1, P1), (-1, P2)):
        for y, jump in P.breakpoints:
            fp = fingerprint((y,))
            old = jumps.get(fp, (y, (_ZERO,) * len(jump)))
            jumps[fp] = (y, _vadd(old[1], jump, fmpq(sign)))
    points = sorted(jumps.values(), key=lambda t: t[0])
    ys = _decisive([y for y, _ in points])
    y = ys[0]
    value = _vadd(P1(y), P2(y), fmpq(-1))
    slope = _vadd(P1.left_slope, P2.left_slope, fmpq(-1))
    for y_next, jump in points + [(ys[-1], None)]:
        if any(value):
            return y
        value = _vadd(value, slope, y_next - y)
        y = y_next
        if jump is not None:
            slope = _vadd(slope, jump)
    if any(value):
        return y
    raise CertificateError("internal error: the profiles agree everywhere")


def _ridge_point(net1: Network, net2: Network, P1: RidgeProfile, P2: RidgeProfile) -> PointCertificate:
    """A rational input separating two case-(b) networks with different profiles (constructed, not searched)."""
    n0 = net1.architecture.input_dim
    if P1.direction == P2.direction:
        if P1.direction is None:
            candidates = [(_ZERO,) * n0]
        else:
            candidates = [_unit(n0, _first_nonzero(P1.direction), _first_difference(P1, P2))]
    else:
        # One of them, say phi, is not constant: take y1, y2 with phi(y1) != phi(y2) and inputs x1, x2 with
        # u.x = y1, y2 but the same value of the other network (constant, or u'.x1 = u'.x2).
        P, Q = (P1, P2) if P1.direction is not None else (P2, P1)
        u = P.direction
        p = _first_nonzero(u)
        y1 = P.breakpoints[0][0] - 1
        flat = RidgeProfile(u, (), (_ZERO,) * len(P.left_slope), P(y1))
        y2 = _first_difference(P, flat)
        x1 = _unit(n0, p, y1)
        if Q.direction is None:
            x2 = _unit(n0, p, y2)
        else:
            x2 = _vadd(x1, solve([list(u), list(Q.direction)], [y2 - y1, _ZERO]))
        candidates = [x1, x2]
    return separating_point(net1, net2, candidates)


def equivalent_ridge(net1: Network, net2: Network) -> EquivalenceResult:
    P1, P2 = ridge_profile(net1), ridge_profile(net2)
    if P1 == P2:
        return EquivalenceResult(True, RidgeCertificate(P1.direction), method="bottleneck (b): 1-D profile")
    return EquivalenceResult(False, _ridge_point(net1, net2, P1, P2), method="bottleneck (b): 1-D profile")

