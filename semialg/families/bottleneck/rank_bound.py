r"""An upper bound on the dimension of a case-(a) bottleneck fibre at every one of its members, from the rank of
the Jacobian that the function forces on every member.

**Theorem.** Let $\theta$ have widths $(n_0, n_1, 1, n_3)$, $D$ parameters, $f = c\,\sigma(h) + d$ with $c \ne 0$ in
regime PN, and let every member have $\sigma(h') = \mu\sigma(h)$ with $\mu > 0$ (a face of $\partial P$ proves it:
:func:`~.obstructions._standard_face`). Let $m$ be the number of kink hyperplanes $H = \{\ell_H = 0\}$ of $h$ seen
on $P$ (jump $\delta_H$), $C_1, \dots, C_p$ the components of $P$, and $R = h - \sum_H\delta_H\sigma(\ell_H)$, affine
on each component: $R = r_i = (\lambda_i, \kappa_i)$ on $C_i$. Let $Y \subseteq \mathbb{R}^p$ be the span of the
rows of $\Lambda = (\lambda_1 \cdots \lambda_p)$ ($n_0 \times p$), $\mathbf 1 = (1, \dots, 1)$, and
$\rho = \dim Y + [\kappa \notin Y + \mathbb{R}\mathbf 1]$ when $\mathbf 1 \notin Y$; when $\mathbf 1 \in Y$,
$\rho = \dim Y - [\exists F \subseteq \{H\},\ y:\ \Lambda y = \sum_{H \in F}\delta_Hu_H,\ \mathbf 1\cdot y = -1]
+ [\kappa \notin Y]$ ($u_H$ the normal of $\ell_H$). Then every member $\theta'$ has

$$\dim_{\theta'}F \le D - (2n_3 - 1) - m(n_0 + 1) - \max(1, (n_0 + 1)\rho),$$

so the fibre's dimension is at most that.

*Proof.* Near $\theta'$, for finitely many inputs $X$ off the hyperplanes of $\theta'$ and off $\{h = 0\}$, the map
$\vartheta \mapsto f_\vartheta(X)$ is one of finitely many polynomial maps (zero neurons $w' = 0 = b'$ choose a side
per input); the fibre lies in the union of their level sets, each of dimension at most $D - \operatorname{rank}$
of its differential at $\theta'$ (implicit function theorem). Every such differential has the columns below, as
functions of $x$: $\partial/\partial d'_r = e_r$; $\partial/\partial c'_r = h'\mathbb 1_Pe_r$; and $c' \otimes s$
for $s$ in the span $S$ of $\mathbb 1_P$ ($\partial/\partial e'$) and of the blocks $v'_j\mathbb 1[z'_j > 0](x, 1)$ on
$P$ ($\partial/\partial(w'_j, b'_j)$). The constants are independent of functions vanishing on $N \ne \emptyset$,
and $h'\mathbb 1_P \in S$, so the rank is at least $2n_3 - 1 + \dim S$. Each seen $H$ carries neurons of $\theta'$
(their jump is $\mu\delta_H \ne 0$), whose block $\mathbb 1[\pm\ell_H > 0](x, 1)$ has a jump along $H \cap P$; these
$m$ blocks span $B$ with $B \cap A_P = 0$, $A_P$ the functions affine on each $C_i$, so $\dim S \ge m(n_0 + 1) +
\dim(S \cap A_P)$. $S \cap A_P$ holds $\mathbb 1_P$ and $\mathbb R^{n_0 + 1} \otimes \mathbb 1_T$ for every hidden
neuron of $\theta'$ with $v' \ne 0$ ($T$: the components where it is active), and $\mathbb R^{n_0 + 1} \otimes
\mathbf 1$ for a seen hyperplane with neurons of both orientations, a constant active neuron, or a cancelling pair
crossing $P$; call $V$ the span of these $\mathbb 1_T$. On $P$, $h' = \mu h$ gives $\mu R = \sum_{H \in F}\mu\delta_H
\ell_H + (\text{hidden terms}) + \text{const}$, $F$ the seen hyperplanes whose neuron is flipped ($v'\sigma(-\lambda
\ell) = v'\lambda\sigma(\ell) - v'\lambda\ell$) — with $F$ and the multiples of $\ell_H$ arbitrary when
$\mathbf 1 \in V$. So the rows of the matrix $(r_i - \sum_F\delta_H\ell_H)_i - \kappa_0\mathbf 1$ lie in $V$ for some
$\kappa_0$, and $\dim V \ge \rho$: the first $n_0$ rows $\lambda^{(t)} - a_t\mathbf 1$ ($a = \sum_F\delta_Hu_H$) span
at least $\dim Y - 1$ dimensions, exactly $\dim Y - 1$ iff $\mathbf 1 \in Y$ and $a = \Lambda y$ with $\mathbf 1
\cdot y = -1$ (write $\mathbf 1 = \gamma\Lambda$: the rows are $(I + a\gamma)\Lambda$), and the constants add
one unless $\kappa \in Y + \mathbb R\mathbf 1$. Hence $\dim(S \cap A_P) \ge \max(1, (n_0 + 1)\rho)$. $\square$

At a generic parameter (every neuron seen on a hyperplane of its own, $R$ constant) the bound is $n_1 + 1$, the
orbit's dimension; a U+ neuron adds $n_0 + 1$ parameters and, unless a flip absorbs its affine part, $n_0$ to the
rank: the bound is then the generic fibre's $n_1 + 2$. With two U± neurons the components' affine parts span more.

>>> net = Network.from_arrays([[[2, 0], [-1, -2], [-2, 0]], [[1, -1, 1]], [[1]]], [[2, 0, -2], [-2], [0]])
>>> fibre_dimension_bound(net)
5

**The functional dimension at a parameter whose neurons are all seen.** At $\theta$ itself the same columns bound
the rank of the Jacobian without any hypothesis on other members: when every first-layer neuron is seen on a
hyperplane of its own ($w_k \ne 0 \ne v_k$, a point of $H_k$ with $h > 0$, distinct hyperplanes) and $h$ takes
both signs, $\operatorname{rank}J(\theta) \ge 2n_3 + n_1(n_0 + 1) = D - n_1 - 1$, and the $n_1 + 1$ rescalings
give the reverse inequality: the functional dimension is $D - n_1 - 1$, certified by $n_1 + 2$ exact points
(:class:`VisibleRankCertificate`, :func:`visible_rank_certificate`). ``functional_dimension`` asks for it first
(:func:`~.dimension.case_a_dimension`; kink peeling fails here, the bottleneck neuron's kinks lying on the curved
$\{h = 0\}$): at 100-64-1-10 in 0.1 s, where the sampled Jacobian ran for more than five minutes.

>>> visible_rank_certificate(Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]])).dimension
8

Cost: the cells of the first layer's arrangement and the components of $P$ (:func:`~.obstructions._pieces`), a
face of $\partial P$, exact ranks of $n_0 \times p$ matrices, and $2 \cdot 2^{m/2}$ subset sums when
$\mathbf 1 \in Y$ (no reduction of $\rho$ is claimed, a weaker bound, for $m > 32$).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from flint import fmpq

from semialg.core.certificate import refusing_malformed
from semialg.core.exact import dot, nullspace, rank, to_fmpq
from semialg.core.grid_point import MovedPoint
from semialg.core.network import Network
from semialg.core.result import Result
from semialg.engine.neurons import hyperplane_pairs
from semialg.errors import CertificateError, SemialgError
from semialg.families.bottleneck.ident_cache import standard_face
from semialg.families.bottleneck.obstructions import _Clock, _component_residuals
from semialg.families.bottleneck.representative import _live
from semialg.families.bottleneck.types import (bottleneck_regime, check_on_hyperplanes, coordinate_witnesses,
                                               visibility_witnesses)
from semialg.families.bottleneck.views import OuterView, bottleneck_case

__all__ = ["fibre_dimension_bound", "rank_bounds", "hidden_rank", "VisibleRankCertificate", "visible_rank_certificate", "MAX_SUBSET_HYPERPLANES", "MAX_COMPONENTS"]

#: The most seen hyperplanes whose flips are searched (meet in the middle) for the one lower rank.
MAX_SUBSET_HYPERPLANES = 32

#: The most components of $P$ for which the spans of their indicator vectors are searched.
MAX_COMPONENTS = 4

_ZERO, _ONE = fmpq(0), fmpq(1)


def fibre_dimension_bound(net: Network, budget: float | None = 5.0, deadline: float | None = None) -> int | None:
    r"""The module's bound on the fibre's dimension at every member, or ``None`` when its hypotheses are not shown
    (case (b), another regime, $c = 0$, no face of $\partial P$ found, or ``budget`` seconds spent or ``deadline``
    (:func:`time.monotonic`) passed, whichever comes first)."""
    if bottleneck_case(net) != "a" or not any(row[0] for row in net.weights[2].rows):
        return None
    try:
        clock = _Clock(budget, deadline, "the rank bound on the fibre's dimension")
        if bottleneck_regime(net, budget) != "PN":
            return None
        live = _live(net)
        if live is None or standard_face(live, clock) is None:
            return None
        found = _component_residuals(live, clock)
    except SemialgError:
        return None
    if found is None:
        return None
    seen, components = found
    n0, n3 = net.widths[0], net.widths[3]
    return (net.architecture.num_parameters - (2 * n3 - 1) - len(seen) * (n0 + 1)
            - hidden_rank([r for r, _, _ in components], seen, n0))


def rank_bounds(net: Network, t=None, deadline: float | None = None) -> tuple[int, int] | None:
    """``(0, bound)`` with the module's bound, for the local dimension at any member (``None`` without it, within
    five seconds and before ``deadline``)."""
    bound = fibre_dimension_bound(net, deadline=deadline)
    return None if bound is None else (0, bound)


def hidden_rank(residuals, seen, n0: int) -> int:
    r"""A lower bound on $\dim(S \cap A_P)$ at every member: the least $(n_0 + 1)\dim V + [\mathbf 1 \notin V]$ over
    the spans $V$ of indicator vectors of sets of components and the flips $F$ with the rows $\lambda^{(t)} +
    a_t\mathbf 1$ ($a = \sum_F\delta_Hu_H$) in $V$ and $\kappa \in V + \mathbb R\mathbf 1$ — exactly for at most
    :data:`MAX_COMPONENTS` components ($V$ of $k$ indicator vectors, $k = 0, 1, \dots$: with $\mathbf 1 \notin V$ each
    row fixes its $a_t$, and $a$ must be a sum of flips), else $\max(1, (n_0 + 1)\rho)$. ``residuals`` are the
    maps $r_i$ as ``(linear, constant)``, ``seen`` the kinks ``(u, beta, delta)``."""
    p = len(residuals)
    lam = [tuple(r[0][t] for r in residuals) for t in range(n0)]
    kappa = tuple(r[1] for r in residuals)
    if p > MAX_COMPONENTS:
        return max(1, (n0 + 1) * _rho(lam, kappa, seen, n0))
    ones = (_ONE,) * p
    indicators = [tuple(fmpq(int(b)) for b in bits) for bits in itertools.product((0, 1), repeat=p) if any(bits)]
    for k in range(p + 1):
        best = None
        for T in itertools.combinations(indicators, k):
            T = list(T)
            if k and rank(T) < k:
                continue
            if k and rank(T + [ones]) == k:
                if all(rank(T + [row]) == k for row in lam + [kappa]):
                    return (n0 + 1) * k
            elif best is None and rank(T + [ones, kappa]) == k + 1 and _flipped_into(T, lam, seen):
                best = (n0 + 1) * k + 1
        if best is not None:
            return best
    raise AssertionError("unreachable: the singletons span every row")


def _flipped_into(T, lam, seen) -> bool:
    r"""Whether the rows $\lambda^{(t)} + a_t\mathbf 1$ all lie in the span of ``T`` (which misses $\mathbf 1$, so
    each fixes its $a_t$) with $a$ a sum of flips $\sum_F\delta_Hu_H$."""
    ones = (_ONE,) * len(lam[0])
    a = []
    for row in lam:
        x = [v for v in nullspace(_columns(T + [ones, row])) if v[-1] != 0]
        if not x:
            return False
        a.append(x[0][-2] / x[0][-1])
    vectors = [tuple(d * x for x in u) for u, _, d in seen]
    return _subset_sum(vectors, tuple(a))


def _rho(lam, kappa, seen, n0: int) -> int:
    r"""$\rho$ of the theorem (for many components)."""
    ones = (_ONE,) * len(kappa)
    dim_y = rank(lam)
    if rank(lam + [ones]) > dim_y:
        return dim_y + (rank(lam + [ones, kappa]) > dim_y + 1)
    cols = list(zip(*lam, strict=True))
    C = nullspace([[x - y for x, y in zip(col, cols[0], strict=True)] for col in cols[1:]] or [[_ZERO] * n0])
    # the a = Lambda y with 1.y = -1 are -lambda_1 + span{lambda_i - lambda_1} = {a : Ca = -C lambda_1}
    lowers = not C or _subset_sum([tuple(d * dot(c, u) for c in C) for u, _, d in seen],
                                  tuple(-dot(c, cols[0]) for c in C))
    return dim_y - lowers + (rank(lam + [kappa]) > dim_y)


def _columns(rows):
    return [list(col) for col in zip(*rows, strict=True)]


def _subset_sum(vectors, target) -> bool:
    """Whether some subset of ``vectors`` sums to ``target`` (met in the middle; ``True``, the weaker answer,
    beyond :data:`MAX_SUBSET_HYPERPLANES` vectors)."""
    if len(vectors) > MAX_SUBSET_HYPERPLANES:
        return True
    half = len(vectors) // 2
    left = set(_sums(vectors[:half], len(target)))
    return any(tuple(x - y for x, y in zip(target, s, strict=True)) in left for s in _sums(vectors[half:], len(target)))


def _sums(vectors, k: int):
    """The sums of every subset of ``vectors`` (each of length ``k``), with repetitions."""
    for n in range(len(vectors) + 1):
        for S in itertools.combinations(vectors, n):
            yield tuple(sum((v[j] for v in S), _ZERO) for j in range(k))


@dataclass(frozen=True)
class VisibleRankCertificate(Result):
    r"""The functional dimension of a case-(a) bottleneck parameter is $D - n_1 - 1$ (``dimension``): ``inside``
    ($h > 0$), ``outside`` ($h < 0$) and ``on[k]`` on $H_k$ with $h > 0$ (a point, or a
    :class:`~semialg.core.grid_point.MovedPoint` of one found along a coordinate) show every neuron seen on a
    hyperplane of its own (the module's theorem at $\theta$). ``verify(net)`` re-checks every claim exactly and
    raises :class:`~semialg.errors.CertificateError` on any failure. Cost of ``verify``: that of
    :func:`~semialg.families.bottleneck.types.check_on_hyperplanes` and $O(n_1n_0)$ for the distinct hyperplanes."""

    inside: tuple
    outside: tuple
    on: tuple
    dimension: int

    @property
    def num_points(self) -> int:
        return len(self.on) + 2

    def points(self) -> list[tuple]:
        """``inside``, ``outside`` and the points of ``on``, each written out as a tuple. Cost: $O(n_1n_0)$."""
        return [self.inside, self.outside, *(q.point() if type(q) is MovedPoint else q for q in self.on)]

    def verify(self, net: Network) -> bool:
        return refusing_malformed("visible-rank certificate", lambda: self._verify(net))

    def _verify(self, net: Network) -> bool:
        if not isinstance(net, Network) or bottleneck_case(net) != "a":
            raise CertificateError("the visible-rank certificate is about case-(a) bottleneck networks")
        arch, view, n0 = net.architecture, OuterView.of(net), net.widths[0]
        if type(self.dimension) is not int or self.dimension != arch.num_parameters - arch.num_hidden:
            raise CertificateError(f"the claimed dimension {str(self.dimension)[:40]} is not D - n1 - 1 = "
                                   f"{arch.num_parameters - arch.num_hidden}")
        if not any(view.c):
            raise CertificateError("c = 0: the network computes a constant")
        if not isinstance(self.on, tuple) or len(self.on) != net.widths[1]:
            raise CertificateError(f"the certificate needs a point on the hyperplane of each of {net.widths[1]} neurons")
        ends = [_point(x, n0) for x in (self.inside, self.outside)]
        inside, outside = [y[0] for y in view.inner.output_signs(ends)]
        if not inside > 0 > outside:
            raise CertificateError("the points do not show h > 0 and h < 0")
        check_on_hyperplanes(view, self.on, _point)
        if _share_a_hyperplane(net):
            raise CertificateError("two neurons share a hyperplane")
        return True

    def describe(self) -> str:
        return (f"functional dimension {self.dimension} = D - n1 - 1: {self.num_points} exact points show every "
                f"first-layer neuron seen on a hyperplane of its own and h of both signs (rank bound at theta)")

    def to_json(self) -> dict:
        pts = lambda x: [str(t) for t in x]  # noqa: E731
        inside, outside, *on = self.points()
        return {"type": "VisibleRankCertificate", "dimension": self.dimension, "inside": pts(inside),
                "outside": pts(outside), "on": [pts(q) for q in on]}


def _point(x, n: int) -> tuple:
    if not isinstance(x, (tuple, list)) or len(x) != n:
        raise CertificateError(f"a point of the certificate is not a vector of length {n}")
    return tuple(to_fmpq(t) for t in x)


def _share_a_hyperplane(net: Network) -> bool:
    """Whether two first-layer neurons (rows non-zero) have proportional rows $(w, b)$: one exact product
    (:func:`~semialg.engine.neurons.hyperplane_pairs`) instead of normalising every row (784-4096: 10 s)."""
    return any(hyperplane_pairs(net, 1))


def visible_rank_certificate(net: Network, deadline: float | None = None) -> VisibleRankCertificate | None:
    r"""A :class:`VisibleRankCertificate` for ``net``, or ``None`` when it is not case (a), $c = 0$, a neuron has
    $w_k = 0$ or $v_k = 0$, two share a hyperplane, or the points are not found (floats, checked exactly) before
    ``deadline`` (:func:`time.monotonic`; ``None``: no limit). Cost: that of
    :func:`~semialg.families.bottleneck.types.visibility_witnesses` (random inputs, one projection per neuron)."""
    if bottleneck_case(net) != "a":
        return None
    view = OuterView.of(net)
    # nonzero_rows reads the integer matrix: iterating 4,096 rows of 784 rationals builds them (4 s)
    if not any(view.c) or 0 in view.v or not all(view.w.nonzero_rows()):
        return None
    if _share_a_hyperplane(net):
        return None
    seen = visibility_witnesses(view, deadline=deadline)
    if seen is None or any(q is None for q in seen[2]):
        return None
    moved, arch = coordinate_witnesses(view), net.architecture
    return VisibleRankCertificate(seen[0], seen[1], tuple(moved.get(k, q) for k, q in enumerate(seen[2])),
                                  arch.num_parameters - arch.num_hidden)
