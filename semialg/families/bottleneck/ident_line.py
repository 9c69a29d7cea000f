r"""Identifiability of case-(a) bottlenecks whose first-layer rows are all parallel (always when $n_0 = 1$).

Write $w_k = a_ku$ ($u \ne 0$ fixed, $a_k \ne 0$), so that $h(x) = g(u\cdot x)$ with the 1-D profile $g(s) =
\sum_k v_k\sigma(a_ks + b_k) + e$, whose kinks sit at $s_k = -b_k/a_k$; $P = \{g > 0\}$ on the line.

**Theorem.** Let $\theta$ have widths $(n_0, n_1, 1, n_3)$ and suppose (1) every first-layer row is non-zero and
parallel to one $u$; (2) $c \ne 0$, every $v_k \ne 0$, the $s_k$ pairwise distinct, no $g(s_k) = 0$, and each
$s_k$ with $g(s_k) < 0$ the only kink of a bounded component of $\{g \le 0\}$ ($g > 0$ at the kinks, or towards the
ends, next to it); (3) $g < 0$ somewhere; (4) no non-empty set $F$ of neurons has $\sum_F v_ka_k = 0$; (5) $g$ is
unbounded above, or attains its maximum at one point only, or $\{g \le 0\}$ has at least two components. Then
$\theta$ is identifiable.

*Proof.* First $n_0 = 1$. Let $K$ kinks lie in $P$ and $G$ in $N$ (one in each bounded component of $\{g \le
0\}$; every such component $[\alpha, \beta]$ holds one, as the lines of $h$ at $\alpha^-$ and $\beta^+$ vanish at
different points), $n_1 = K + G$, and let $E$ components of $\{g \le 0\}$ be unbounded ($G + E \ge 1$ by (3)).
$\sigma(h)$ has $K + 2G + E$ breakpoints: the kinks in $P$ and the points of $\partial P$ ($h$ is affine and not
zero near them). Let $f_{\theta'} = f_\theta$; as $\sigma(h)$ is not constant, $c' = c/\mu$ and $\sigma(h') =
\mu\sigma(h) + t$ ($\mu \ne 0$). *$\mu > 0$, $t > 0$:* $h' = \mu\sigma(h) + t$ would have $K + 2G + E > n_1$ kinks.
*$\mu > 0$, $t < 0$:* impossible where $\sigma(h) = 0$. *$\mu < 0$:* $\sigma(h') = t - |\mu|\sigma(h) \ge 0$ needs
$M = \max g < \infty$, $t \ge |\mu|M$; for $t > |\mu|M$ as for $t > 0$. For $t = |\mu|M$, $h' = |\mu|(M -
\sigma(h))$ off $Z = \{g = M\}$: if $Z$ is a point, everywhere (continuity), $K + 2G + E$ kinks again; otherwise
$g$ is constant on $Z$, which has one or two kinks of $h$ at its ends and, when bounded, forces a kink of $h'$ in
$Z$ (the lines of $M - g$ at its two ends vanish at different points): at least $K - 1 + 2G + E > n_1$ kinks, as
$G + E \ge 2$ by (5). *$\mu > 0$, $t = 0$:* $h' = \mu h$ on $P$ and $h' \le 0$ off it: each kink in $P$ takes a
neuron of $\theta'$, and each bounded component of $\{g \le 0\}$ one more, joining the two lines of $\mu h$ at its
ends — at their intersection, with their jump, where $\theta$ has its neuron. So every neuron of $\theta'$ sits at
an $s_k$ with $v'_k|a'_k| = \mu v_k|a_k|$; $h' - \mu h$ has no kink, so it is affine, zero on $P$, zero. A neuron
with $a'_k$ of the sign of $a_k$ is a positive multiple of neuron $k$; the set $F$ of the others contributes
$\mu\sum_F v_k(\sigma(z_k) - z_k)$, so $\mu s\sum_Fv_ka_k$ is constant and $F = \emptyset$ by (4): $\theta' =
g\cdot\theta$ ($e' = \mu e$, $c' = c/\mu$, $d' = d$). For $n_0 \ge 2$ let $\theta_u$ be the case $n_0 = 1$ with
rows $a_k$ (the same hypotheses hold). For any $s$ with $u\cdot s = 1$, restricting $\theta'$ to the line
$\mathbb{R}s$ gives a parameter of widths $(1, n_1, 1, n_3)$ with rows $w'_k\cdot s$ computing $f_\theta(ts) =
f_{\theta_u}(t)$: by the first part it is in $G\cdot\theta_u$, so $w'_k\cdot s \ne 0$. Were $w'_k$ not a multiple
of $u$, some $s$ would have $u\cdot s = 1$, $w'_k\cdot s = 0$. So $w'_k = a'_ku$, the restriction does not depend
on $s$, and $\theta' = g\cdot\theta$ for the same $g$. $\square$

The conditions are necessary in part: a set $F$ as in (4) is a 0-factor (flipping its neurons changes $h$ by a
constant that $e$ absorbs), and a plateau at the maximum allows the reflections $\sigma(h') = |\mu|(M -
\sigma(h))$ of :mod:`~semialg.families.bottleneck.line_fibre` (piece Cp). The evidence holds no data: ``verify``
recomputes every condition from the parameter, exactly.

>>> net = Network.from_arrays([[[3, 3], [-2, -2]], [[-1, 2]], [[3]]], [[-3, -3], [3], [-1]])
>>> LineKinks().verify(net)
True

Cost: $O(n_1(n_0 + n_1))$ exact operations for (1)–(3) and (5), $O(2^{n_1})$ for (4) (all subset sums, $n_1 \le$
:data:`MAX_LINE_NEURONS`).
"""

from __future__ import annotations

from dataclasses import dataclass

from flint import fmpq

from semialg.core.network import Network, relu
from semialg.engine.hyperplane_keys import rank_at_least_two
from semialg.errors import CertificateError
from semialg.families.bottleneck.ident_hypotheses import CaseATheorem
from semialg.families.bottleneck.views import OuterView, bottleneck_case

__all__ = ["LineKinks", "LineTheorem", "line_failure", "MAX_LINE_NEURONS"]

#: The largest $n_1$ for which condition (4) is decided (it enumerates $2^{n_1}$ subset sums).
MAX_LINE_NEURONS = 16

_ZERO = fmpq(0)


def _coefficients(view: OuterView) -> tuple[fmpq, ...] | None:
    """$a_k$ with $w_k = a_ku$, $u$ the first non-zero row; ``None`` when a row is zero or not parallel to it
    (decided first by the rows' keys: the rows of a 784-4096 layer as rationals took 1.5 s)."""
    if not len(view.w) or not view.w.nonzero_rows().all() or rank_at_least_two(view.w):
        return None
    u = view.w.row(0)
    p = next(i for i, x in enumerate(u) if x != 0)
    coeffs = tuple(w[p] / u[p] for w in view.w)
    if any(a == 0 or tuple(a * x for x in u) != w for a, w in zip(coeffs, view.w, strict=True)):
        return None
    return coeffs


def _profile(a, view: OuterView):
    r"""$g(s) = \sum_kv_k\sigma(a_ks + b_k) + e$ as a function."""
    return lambda s: sum((v * relu(ak * s + b) for ak, b, v in zip(a, view.b, view.v, strict=True)), view.e)


def line_failure(net: Network) -> str | None:
    """Why the module's theorem does not apply to ``net`` (``None`` when every hypothesis holds). Cost: that of
    :meth:`LineKinks.verify`."""
    if bottleneck_case(net) != "a":
        return f"not a case-(a) bottleneck network: widths {net.widths}"
    view = OuterView.of(net)
    a = _coefficients(view)
    if a is None:
        return "the first-layer rows are not all non-zero and parallel"
    if not any(view.c) or any(v == 0 for v in view.v):
        return "c = 0 or some v_k = 0"
    if len(a) > MAX_LINE_NEURONS:
        return f"{len(a)} > {MAX_LINE_NEURONS} first-layer neurons: the subset sums are not enumerated"
    g = _profile(a, view)
    kinks = sorted(-b / ak for ak, b in zip(a, view.b, strict=True))
    if any(s == t for s, t in zip(kinks, kinks[1:])):
        return "two neurons share a hyperplane"
    values = [g(s) for s in kinks]
    left = sum((v * ak for ak, v in zip(a, view.v, strict=True) if ak < 0), _ZERO)    # slopes at -inf, +inf
    right = sum((v * ak for ak, v in zip(a, view.v, strict=True) if ak > 0), _ZERO)
    if _ZERO in values:
        return "a kink of h lies on the boundary of P"
    # a kink in N must be the only one of a bounded component of {h <= 0}: h > 0 at the kinks (or ends) around it
    ends = [left < 0] + [y > 0 for y in values] + [right > 0]
    for i, y in enumerate(values):
        if y < 0 and not (ends[i] and ends[i + 2]):
            return f"the kink at s = {kinks[i]} (h < 0) is not alone in a bounded component of h <= 0"
    gaps = sum(1 for y in values if y < 0) + (left > 0) + (right < 0)     # components of {h <= 0}
    if gaps == 0:
        return "h is not negative anywhere (regime PN fails)"
    sums = {_ZERO: 1}
    for ak, v in zip(a, view.v, strict=True):
        sums = {**sums, **{s + v * ak: sums.get(s + v * ak, 0) + k for s, k in sums.items()}}
    if sums[_ZERO] != 1:
        return "a non-empty set F of neurons has sum over F of v_k a_k = 0: flipping it is a 0-factor"
    if left < 0 or right > 0 or gaps >= 2:
        return None
    top = max(values)
    if (left == 0 and values[0] == top) or (right == 0 and values[-1] == top) or any(
            y == top == z for y, z in zip(values, values[1:])):
        return "h attains its maximum on a plateau and h <= 0 has one component: reflections are not excluded"
    return None


@dataclass(frozen=True)
class LineKinks:
    r"""The hypotheses (1)–(5) of the module's theorem. ``verify(net)`` decides them afresh, exactly (the
    evidence holds no data). Cost: see the module."""

    def verify(self, net: Network) -> bool:
        why = line_failure(net)
        if why is not None:
            raise CertificateError(why)
        return True


@dataclass(frozen=True)
class LineTheorem(CaseATheorem):
    """The module's theorem; its hypothesis on the architecture (case (a)) is re-checked."""
