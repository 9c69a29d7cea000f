r"""Constant case-(a) functions with $c \ne 0$: the rows the recession function of $h$ constrains, an upper
bound on the fibre's local dimension from them, and an explicit family of members meeting it.

Let $f = c\,\sigma(h) + d$ be constant with $c \ne 0$ and $h \le 0$ everywhere (regime constant), $h(x) =
\sum_j v_j\sigma(w_j\cdot x + b_j) + e$. Every member $\theta'$ near $\theta$ has $c' \ne 0$, so $\sigma(h')$ is
constant: $h' \le 0$ ($d' = d$) or $h' \equiv \kappa > 0$ ($d' = d - \kappa c'$). Either way $h'$ is bounded above
and its recession function $\rho'(u) = \sum_j v'_j\sigma(w'_j\cdot u)$ is nowhere positive. Write $P$ for the
neurons with $v > 0$ (near $\theta$ also $v' > 0$) and $N$ for the others, $m = |N|$ (the unused neurons count in
$N$: their $v'$ may turn negative).

**Rows in the cone of $N$.** Every member near $\theta$ has $w'_p \in \operatorname{cone}(w'_n : n \in N)$ for
each $p \in P$. *Proof.* Otherwise (Farkas) some $u$ has $w'_n\cdot u \le 0$ for all $n \in N$ and
$w'_p\cdot u > 0$, and $\rho'(u) \ge v'_pw'_p\cdot u > 0$. $\square$

**Pinned rows.** If moreover $e > 0$, every member near $\theta$ has no $u$ with $w'_n\cdot u < 0$ for every
$n \in N$; by Gordan's theorem the rows of $N$ are positively dependent, so for $m \le n_0$ they have rank below
$m$. *Proof.* Along $tu$ the neurons of $N$ turn off, and so do those of $P$ ($w'_p\cdot u < 0$ by the cone) unless
$w'_p = 0$, when they add $v'_p\sigma(b'_p) \ge 0$: $h'(tu) \ge e' > 0$ for large $t$. That contradicts
$h' \le 0$, and also $h' \equiv \kappa$: those members come near $\theta$ only when $h \equiv 0$, with $\kappa$ near
$0$, below $e' \approx e$. $\square$

**Upper bound** (:func:`recession_upper_bound`). The $m \times n_0$ matrices of rank $s$ form a manifold of
dimension $s(n_0 + m - s)$, and rows of $P$ in their $s$-dimensional span add $|P|s$; so the first-layer weights
with $\operatorname{rank}W_N \le r$ and $W_P$ in the span of $W_N$ form a set of dimension
$\rho_r = \max_{s \le r}\big(s(n_0 + m - s) + |P|s\big)$. The members near $\theta$ lie in it times the space of
biases, $v$, $e$ and $c$, with $d' = d - \sigma(h'(0))c'$ a continuous function of the rest, so the local dimension
at $\theta$ is at most $D - n_3 - n_1n_0 + \rho_r$: $r = \min(m, n_0)$ by the cone, $r = m - 1$ with pinned rows.

**The family** (:func:`nonpositive_family_dimension`). Let every neuron of $P$ be flat ($w_p = 0$) and
$g = \sum_P v_p\sigma(b_p) + e$, so that $h = g - \sum_N |v_n|\sigma(w_n\cdot x + b_n)$. By LP duality
$\min_x \sum_n c_n\sigma(w_n\cdot x + b_n) = \max\{y\cdot b_N : W_N^Ty = 0,\ 0 \le y \le c\}$ (the least
$\sum c_ns_n$ over $s \ge 0$, $s \ge W_Nx + b_N$), so $h \le 0$ says that some $y^*$ in that feasible set for
$c = |v_N|$ has $y^*\cdot b_N \ge g$; for $g > 0$, $y^* \ne 0$. Take $r = \min(m, n_0)$ if $g \le 0$, else
$r = \min(m - 1, n_0)$, and the members with $c''$ any (non-zero), $d'' = d$; rows $W''_N$ of rank $r$, any $b''_N$
and $v''_N < 0$; rows $w''_p = \sum_n\mu_{pn}w''_n$ of $P$ ($\mu_{pn} > 0$ small), any $b''_p$ and $v''_p > 0$;
any $e''$ — such that, with $M_n = \sum_p v''_p\mu_{pn}$ and $g'' = \sum_P v''_p\sigma(b''_p) + e''$, some $y$ in
the kernel of $W''^T_N$ with $0 < y_n < |v''_n| - M_n$, or $y = 0$, has
$y\cdot b''_N > g'' + \sum_n M_n\sigma(-b''_n)$. *Members.* $\sigma$ is subadditive and positively homogeneous:
$\sigma(\sum_n\mu_{pn}z_n + b) \le \sigma(b) + \sum_n\mu_{pn}\sigma(z_n)$ and $\sigma(z) \le \sigma(z + b) +
\sigma(-b)$, so $h'' \le g'' + \sum_n M_n\sigma(-b''_n) - \sum_n(|v''_n| - M_n)\sigma(w''_n\cdot x + b''_n)$, and
the last sum is at least $y\cdot b''_N$ (weak duality). *Dimension.* The conditions are open on the rows of rank
$r$ (the kernel moves continuously there, and $y$ with it), and $\theta$ is in their closure: $y$ near $y^*$ inside
the box, $W''_N = W_N + \Delta$ with $\Delta = -y\,(W_N^T(y - y^*))^T/\|y\|^2$ (then $W''^T_Ny = 0$) moved
generically among the matrices with that kernel vector (rank $r$), $e''$ a little below $e$, $\mu \to 0$. So the
family has dimension $r(n_0 + m - r) + |P|r + 2m + 2|P| + 1 + n_3$ at $\theta$ (the rows of $P$ range over the
$r$-dimensional span). It equals the upper bound with $r = \min(m, n_0)$ when $g \le 0$ (then $e \le 0$), and
with pinned rows when $e > 0$ — for $P = \emptyset$ whenever $g = e > 0$: the local dimension is decided. $\square$

**Flat pairs** (:func:`flat_pair_dimension`). Let every row be $0$, so $h \equiv \sum_j v_j\sigma(b_j) + e \le 0$,
and pair active neurons $p$, $n$ ($b_p, b_n > 0$) with $v_p > 0 > v_n$ and $C = v_pb_p + v_nb_n > 0$. Along a common
row, $w''_n = a$ and $w''_p = \mu a$ with $\mu v''_p \le |v''_n|$ and $\mu \le b''_p/b''_n$ (the positive neuron
turns on first, going along $a$), the pair $v''_p\sigma(\mu s + b''_p) + v''_n\sigma(s + b''_n)$ of $s = a\cdot x$ is $0$
left of both kinks, rises to $v''_p(b''_p - \mu b''_n) = C'' + (|v''_n| - \mu v''_p)b''_n$ at the negative one's and
does not rise beyond it (slope $\mu v''_p + v''_n \le 0$). So with the other neurons flat and $e''$ below $-\sum$ of
the flat constants, the pairs' $C''$ and those excesses, $h'' < 0$: members, for $\mu$ in an interval ending at
$|v''_n|/v''_p < b''_p/b''_n$ (as $C'' > 0$) and any $a$, whose closure holds $\theta$ ($a \to 0$, the excess and
the slack $\to 0$). Each pair adds $n_0 + 1$ ($a$ and $\mu$) to the $2n_1 + 1 + n_3$ of the flat members: under
$h = \sigma(3) - 2\sigma(1) - 1 \equiv 0$ in 3-2-1-2 the positive neuron tilts along the negative one with a factor
near $2$, not near $0$ (the family above pins both rows there): 11, the upper bound.

**Dominated neurons** (:func:`dominated_family_dimension`). Let the neurons $N$ with $v \le 0$ (unused ones
included: the proof asks nothing of the sign of $v_n$ beyond $\kappa_n \le 0$) have linearly independent rows
(or $m \le n_0$: independent rows come near, and $\alpha$ is then chosen by an exact LP), each $p \in P$ ($v_p > 0$) a row $w_p = \sum_N\alpha_{pn}w_n$ with $\alpha_{pn} \ge 0$,
$\kappa_n = v_n + \sum_P v_p\alpha_{pn} \le 0$ for every $n$ and $g^* = e + \sum_P v_p\sigma(b_p - \sum_N
\alpha_{pn}b_n) \le 0$. Then every $\theta''$ with $w''_p = \sum_N\alpha''_{pn}w''_n$, $\alpha'' \ge 0$,
$\kappa'' \le 0$, $g^{*\prime\prime} \le 0$ and $d'' = d$ is a member. *Proof.* As above,
$\sigma(\sum_N\alpha''_{pn}(w''_n\cdot x + b''_n) + b''_p - \sum_N\alpha''_{pn}b''_n) \le
\sum_N\alpha''_{pn}\sigma(w''_n\cdot x + b''_n) + \sigma(b''_p - \sum_N\alpha''_{pn}b''_n)$, so
$h'' \le \sum_N\kappa''_n\sigma(w''_n\cdot x + b''_n) + g^{*\prime\prime} \le 0$. $\square$ The rows of $N$
determine the $\alpha''$, so the family has dimension $m(n_0 + 2) + |P|(m + 2) + 1 + n_3$ at $\theta$ — the
upper bound with $s = m$ —: its strict conditions $\alpha'' > 0$, $\kappa'' < 0$, $g^{*\prime\prime} < 0$ define
an open set of that dimension whose closure holds $\theta$ (raise $\alpha$ by $\epsilon$ and lower $v_N$ and $e$ by
a multiple of $\epsilon$). Equalities $\kappa_n = 0$ or $g^* = 0$ are allowed: under $h = \sigma(-x - 1) -
2\sigma(-3x - 3)$ with a zero neuron of $v = 1$ in 1-3-1-2 ($g^* = 0$, $h = 0$ on $x \ge -1$) the family gives 12,
the upper bound, where the first-order bounds stop at 10; with an unused neuron in $N$ (its $v''$ then goes
down with $\kappa''$), cancelling twins $2\sigma(z) - \sigma(2z) \equiv 0$ beside it in 4-3-1-2 give 19, the
upper bound. Under $h = -2\sigma(\ell) + \sigma(3\ell/2) - 1$, $\ell = -2x + y + 3z - 1$, in
3-2-1-2 (twins, $\kappa = -1/2$, $g^* = -1$): 11, where the family above gives 9.

>>> from semialg.families.bottleneck.types import combinatorial_type
>>> net = Network.from_arrays([[[0, 0, 0], [0, 0, 0]], [[1, -1]], [[1], [-1]]], [[2, -3], [-2], [0, 1]])  # h = 0
>>> t = combinatorial_type(net)
>>> nonpositive_family_dimension(net, t), recession_upper_bound(net, t)   # w'_1 tilts only along w'_2: 13 - 2
(11, 11)
"""

from __future__ import annotations

import functools

from flint import fmpq

from semialg.core.exact import nullspace, rank, solve, sparse_vector
from semialg.core.network import Network
from semialg.engine.tangent import parameter_offsets
from semialg.errors import UndecidedError
from semialg.families.bottleneck.views import OuterView, _ONE, _ZERO
from semialg.geometry.polyhedron import strictly_feasible
from semialg.families.shallow import canonical_form, fibre as shallow_fibre


def constant_function_bounds(net: Network, t) -> tuple[int, int] | None:
    r"""Bounds on the local dimension at ``net`` of its fibre for a case-(a) parameter with $c \ne 0$ and $h \le 0$
    everywhere (``None`` otherwise): the largest of :func:`nonpositive_family_dimension`,
    :func:`dominated_family_dimension`, :func:`constant_inner_dimension` and :func:`flat_pair_dimension` (0 where
    none applies), and
    :func:`recession_upper_bound`. Cost: theirs.

    >>> from semialg.families.bottleneck.types import combinatorial_type
    >>> net = Network.from_arrays([[[0], [0]], [[1, -2]], [[1], [-1]]], [[2, 2], [2], [0, 1]])   # h = 0
    >>> constant_function_bounds(net, combinatorial_type(net))
    (7, 7)
    """
    upper = recession_upper_bound(net, t)
    if upper is None:
        return None
    return max(nonpositive_family_dimension(net, t) or 0, dominated_family_dimension(net, t) or 0,
               constant_inner_dimension(net, t) or 0, flat_pair_dimension(net, t) or 0), upper


def dominated_family_dimension(net: Network, t) -> int | None:
    r"""The dimension $m(n_0 + 2) + |P|(m + 2) + 1 + n_3$ of the module docstring's family of *dominated
    neurons* at a case-(a) parameter with $c \ne 0$ and $h \le 0$ everywhere, when its conditions hold (``None``
    otherwise): a lower bound on the local dimension of the fibre. Cost: one exact rank and a linear solve per
    neuron with $v > 0$.

    >>> from semialg.families.bottleneck.types import combinatorial_type
    >>> net = Network.from_arrays([[[-2, 1, 3], [-3, 3/2, 9/2]], [[-2, 1]], [[1], [-1]]], [[-1, -3/2], [-1], [0, 1]])
    >>> dominated_family_dimension(net, combinatorial_type(net))    # twins, -2 s(l) + s(3l/2) - 1 < 0
    11
    """
    view = OuterView.of(net)
    N = [j for j, v in enumerate(view.v) if v <= 0]
    P = [j for j, v in enumerate(view.v) if v > 0]
    if t.regime != "constant" or not any(view.c) or not N or len(N) > net.widths[0]:
        return None
    alphas = _dominating_coefficients(view, N, P)
    if alphas is None or any(x < 0 for a in alphas for x in a):
        return None
    kappa = [view.v[n] + sum((view.v[p] * a[i] for p, a in zip(P, alphas, strict=True)), _ZERO)
             for i, n in enumerate(N)]
    g = view.e + sum((view.v[p] * max(view.b[p] - sum((x * view.b[n] for x, n in zip(a, N, strict=True)), _ZERO),
                                      _ZERO) for p, a in zip(P, alphas, strict=True)), _ZERO)
    if any(k > 0 for k in kappa) or g > 0:
        return None
    m, n0 = len(N), net.widths[0]
    return m * (n0 + 2) + len(P) * (m + 2) + 1 + len(view.c)


def _dominating_coefficients(view: OuterView, N: list[int], P: list[int]) -> list[tuple[fmpq, ...]] | None:
    r"""Coefficients $\alpha_p$ with $w_p = \sum_N\alpha_{pn}w_n$ for every $p \in P$: the unique ones when the
    rows of $N$ are independent; otherwise (e.g. flat rows; independent rows come near as $m \le n_0$) a
    point of the exact strict LP over the solutions with $\alpha > 0$, $\kappa < 0$ and either every
    $b_p - \alpha_p\cdot b_N < 0$ (then $g^* = e$; tried first, for $e \le 0$) or $g^* < 0$ (for $e < 0$); ``None``
    when neither is feasible or some $w_p$ is not in the span. Cost: one exact solve per $p$, and at most two exact
    strict LPs in at most $|P|(m - \operatorname{rank}W_N + 1)$ variables and $m|P| + m + 2|P| + 1$ inequalities."""
    columns = [list(col) for col in zip(*(view.w[j] for j in N), strict=True)]
    alphas = [solve(columns, list(view.w[p])) for p in P]
    if any(a is None for a in alphas):
        return None
    if not P or rank([view.w[j] for j in N]) == len(N):
        return alphas
    B, m = nullspace(columns), len(N)
    k = len(B)
    for vanish in (True, False) if view.e < 0 else (True,) if view.e == 0 else ():
        G, h = _coefficient_system(view, N, P, alphas, B, vanish)
        found = strictly_feasible(G, h)
        if found:
            z = found.point
            return [tuple(a0[n] + sum((z[q * k + j] * B[j][n] for j in range(k)), _ZERO) for n in range(m))
                    for q, a0 in enumerate(alphas)]
    return None


def _coefficient_system(view: OuterView, N: list[int], P: list[int], alphas, B, vanish: bool):
    r"""The strict system $\{x : Gx + h > 0\}$ of :func:`_dominating_coefficients` in $x = (z_p)_p$ (the
    coefficients of the kernel basis ``B`` added to the particular solutions), followed by $(s_p)_p$, the upper
    bounds on $\sigma(b_p - \alpha_p\cdot b_N)$, unless ``vanish`` (every such argument negative)."""
    m, k = len(N), len(B)
    s_at, width = len(P) * k, len(P) * (k + (not vanish))

    def row(z=(), s=()) -> list[fmpq]:
        out = [_ZERO] * width
        for i, x in (*z, *((s_at + q, x) for q, x in s)):
            out[i] += x
        return out
    G, h = [], []
    for q, a0 in enumerate(alphas):
        for n in range(m):                  # alpha_pn > 0
            G.append(row([(q * k + j, B[j][n]) for j in range(k)]))
            h.append(a0[n])
        lift = [(q * k + j, sum((B[j][n] * view.b[N[n]] for n in range(m)), _ZERO)) for j in range(k)]
        lift_h = sum((a0[n] * view.b[N[n]] for n in range(m)), _ZERO) - view.b[P[q]]
        if vanish:                          # alpha_p . b_N - b_p > 0
            G.append(row(lift))
            h.append(lift_h)
            continue
        G.append(row(s=[(q, _ONE)]))        # s_p > 0
        h.append(_ZERO)
        G.append(row(lift, [(q, _ONE)]))    # s_p > b_p - alpha_p . b_N
        h.append(lift_h)
    for n in range(m):                      # kappa_n < 0
        G.append(row([(q * k + j, -view.v[P[q]] * B[j][n]) for q in range(len(P)) for j in range(k)]))
        h.append(-view.v[N[n]] - sum((view.v[p] * a0[n] for p, a0 in zip(P, alphas, strict=True)), _ZERO))
    if not vanish:                          # e + sum_p v_p s_p < 0
        G.append(row(s=[(q, -view.v[p]) for q, p in enumerate(P)]))
        h.append(-view.e)
    return G, h


def recession_upper_bound(net: Network, t) -> int | None:
    r"""An upper bound on the local dimension at ``net`` of its fibre, for a case-(a) parameter with $c \ne 0$ and
    $h \le 0$ everywhere (``None`` otherwise): $D - n_3 - n_1n_0 + \rho_r$ (module docstring), $r = \min(m, n_0)$,
    or with $e > 0$ and $0 < m \le n_0$ (pinned rows) $r = m - 1$. Cost: $O(n_1)$.

    >>> from semialg.families.bottleneck.types import combinatorial_type
    >>> net = Network.from_arrays([[[0, 0, 0], [0, 0, 0]], [[-2, -1]], [[1], [-1]]], [[-2, 2], [2], [0, 1]])
    >>> recession_upper_bound(net, combinatorial_type(net))   # h = 0 with e = 2: the rows are parallel, 13 - 2
    11
    """
    view = OuterView.of(net)
    if t.regime != "constant" or not any(view.c):
        return None
    n0, n1 = net.widths[0], net.widths[1]
    p = sum(1 for v in view.v if v > 0)
    m, free = n1 - p, net.architecture.num_parameters - net.widths[3] - n1 * n0

    def rows(r: int) -> int:
        return max(s * (n0 + m - s) + p * s for s in range(r + 1))

    cone = free + rows(min(m, n0))
    return cone if not (view.e > 0 and 0 < m <= n0) else free + rows(m - 1)


def flat_pair_dimension(net: Network, t) -> int | None:
    r"""The dimension at ``net`` of the members of the module docstring's *flat pairs*, for a case-(a) parameter
    with $c \ne 0$, every row $0$ and $h \le 0$ (``None`` otherwise, or without a pair): $2n_1 + 1 + n_3$ plus
    $n_0 + 1$ per pair, the pairs matched greedily (the largest $v_pb_p$ with the smallest $|v_n|b_n$ below it).
    Cost: $O(n_1\log n_1)$.

    >>> from semialg.families.bottleneck.types import combinatorial_type
    >>> net = Network.from_arrays([[[0, 0, 0], [0, 0, 0]], [[1, -2]], [[1], [-1]]], [[3, 1], [-1], [0, 1]])
    >>> flat_pair_dimension(net, combinatorial_type(net))   # h = s(3) - 2 s(1) - 1 = 0
    11
    """
    view = OuterView.of(net)
    if t.regime != "constant" or not any(view.c) or any(map(any, view.w)):
        return None
    up = sorted((v * b for b, v in zip(view.b, view.v, strict=True) if v > 0 and b > 0), reverse=True)
    down = sorted(-v * b for b, v in zip(view.b, view.v, strict=True) if v < 0 and b > 0)
    pairs = 0
    for x in up:
        if pairs < len(down) and down[pairs] < x:
            pairs += 1
    if not pairs:
        return None
    return 2 * len(view.v) + 1 + len(view.c) + pairs * (net.widths[0] + 1)


def constant_inner_dimension(net: Network, t) -> int | None:
    r"""The dimension at ``net`` of its members whose $h''$ is constant, for a case-(a) parameter with $c 
e 0$
    and $h \equiv h_0 \le 0$ constant (``None`` otherwise, or when the lower bound below is unknown): the local
    dimension of the shallow fibre $Z$ of the zero function at the inner network lowered by $h_0$, plus $1 + n_3$
    (its lower bound when undecided), a lower bound on the local dimension of the fibre.

    *Proof.* Near ``net`` the inner networks with $h''$ constant are those $h''$ with $h'' - h''(0) \in Z$, a copy
    of $Z \times \mathbb{R}$ through $h'' \mapsto (h'' - h''(0), h''(0))$; with any $c''$ and
    $d'' = d - \sigma(h''(0))c''$ each is a member ($c''\sigma(h'') + d'' \equiv d$ whatever the sign of $h''(0)$).
    $\square$ It glues the members with $h'' \le 0$ and those with $h''$ a positive constant, which no move
    direction of the first-order bounds does (the trade of $e$ with $d$ is one-sided at $h = 0$). Cost: one shallow
    local dimension.

    >>> from semialg.families.bottleneck.types import combinatorial_type
    >>> net = Network.from_arrays([[[0], [0]], [[1, -2]], [[1], [-1]]], [[2, 2], [2], [0, 1]])   # h = 0
    >>> constant_inner_dimension(net, combinatorial_type(net))   # rows pinned at 0: b, v, e and c
    7
    """
    view = OuterView.of(net)
    if t.regime != "constant" or not any(view.c):
        return None
    level = _zero_fibre_bounds(view)
    return None if level is None or level[0] is None else level[0] + 1 + net.widths[3]


def _zero_fibre_bounds(view: OuterView) -> tuple | None:
    r"""Bounds ``(lower, upper)`` (``None`` where unknown) on the local dimension of the shallow fibre of the zero
    function at the inner network lowered by its constant value, or ``None`` when $h$ is not constant."""
    K = canonical_form(view.inner)
    if K.kinks or any(map(any, K.linear)):
        return None
    n0, n1 = len(view.w[0]), len(view.w)
    inner = view.inner
    lowered = Network(inner.weights, (inner.biases[0], (inner.biases[1][0] - K.constant[0],)))
    zero = shallow_fibre(Network((((_ZERO,) * n0,) * n1, ((_ZERO,) * n1,)), ((_ZERO,) * n1, (_ZERO,))))
    try:
        value = zero.local_dimension(lowered)
        return value, value
    except UndecidedError as err:
        return (None, None) if err.bounds is None else tuple(err.bounds)


def dominated_row_equations(net: Network, t) -> list[list[fmpq]]:
    r"""Gradients at ``net`` of equations that hold on its fibre near it when $c \ne 0$ and $h \le 0$ everywhere
    (regime constant: every member near it has $h' \le 0$), the neurons $N_-$ with $v \le 0$ have non-zero,
    linearly independent rows and $|N_-| < n_0$: for every neuron $k$ with $w_k = 0$ and $v_k > 0$,
    $z\cdot w'_k = 0$ for $z$ in a basis of the orthogonal complement of the span of those rows.

    *Proof.* Near ``net`` a member has $v'_k > 0$ and the recession function
    $\rho'(d) = \sum_j v'_j\sigma(w'_j\cdot d) \le 0$. Were $w'_k$ outside the cone of the rows $w'_j$ with
    $v'_j < 0$ (all in $N_-$), a direction $d$ with $w'_k\cdot d > 0 \ge w'_j\cdot d$ for those would give
    $\rho'(d) \ge v'_kw'_k\cdot d > 0$. So $w'_k$ lies in the span of the rows of $N_-$, which stay independent
    near ``net``: with $z'$ a smooth basis of their orthogonal complement, $z'\cdot w'_k$ vanishes on the fibre, and
    its gradient at ``net`` ($w_k = 0$) is $z\cdot\delta w_k$. $\square$ (The unused neurons count in $N_-$:
    their $v'$ may turn negative.) Cost: one kernel of the $|N_-| \times n_0$ rows.

    >>> from semialg.families.bottleneck.types import combinatorial_type
    >>> net = Network.from_arrays([[[0, 0, 0], [-1, 0, -1]], [[1, 0]], [[1]]], [[-3, -7], [0], [0]])
    >>> len(dominated_row_equations(net, combinatorial_type(net)))  # the dead neuron wakes only along (-1, 0, -1)
    2
    """
    view, n0 = OuterView.of(net), net.widths[0]
    if t.regime != "constant" or not any(view.c):
        return []
    negative = [tuple(w) for w, v in zip(view.w, view.v, strict=True) if v <= 0]
    if not all(map(any, negative)) or len(negative) >= n0 or rank(negative) < len(negative):
        return []
    basis = nullspace(negative) if negative else [tuple(fmpq(int(i == j)) for j in range(n0)) for i in range(n0)]
    (W_at, _, _), _ = parameter_offsets(net.architecture)
    unit = functools.partial(sparse_vector, net.architecture.num_parameters)
    return [unit(*((W_at + k * n0 + j, x) for j, x in enumerate(z))) for k, (w, v) in
            enumerate(zip(view.w, view.v, strict=True)) if not any(w) and v > 0 for z in basis]


def nonpositive_family_dimension(net: Network, t) -> int | None:
    r"""The dimension at ``net`` of the explicit family of members of the module docstring, for a case-(a)
    parameter with $c \ne 0$ and $h \le 0$ everywhere whose neurons with $v > 0$ all have $w = 0$ (``None``
    otherwise): a lower bound on the local dimension of its fibre, $r(n_0 + m - r) + |P|r + 2m + 2|P| + 1 + n_3$,
    $P$ the neurons with $v > 0$, $m$ the number of the others, $r = \min(m, n_0)$ if
    $g = \sum_P v_p\sigma(b_p) + e \le 0$ and $r = \min(m - 1, n_0)$ otherwise (the rows of the others must then
    keep a positive dependence). :func:`recession_upper_bound` meets it when $g \le 0$ or $e > 0$. Cost: $O(n_1)$.

    >>> from semialg.families.bottleneck.types import combinatorial_type
    >>> net = Network.from_arrays([[[-2, 2, 3], [0, 0, 0]], [[-2, 2]], [[1], [-1]]], [[-1, -2], [-1], [0, 1]])
    >>> nonpositive_family_dimension(net, combinatorial_type(net))   # h = -2 s(l) - 1: the dead neuron wakes by l
    11
    >>> net = Network.from_arrays([[[0, 0, 0], [0, 0, 0]], [[-2, -1]], [[1], [-1]]], [[-2, 2], [2], [0, 1]])
    >>> nonpositive_family_dimension(net, combinatorial_type(net))   # h = 0, e = 2: opposite rows w_2 = -l w_1
    11
    """
    view = OuterView.of(net)
    positive = [(w, b, v) for w, b, v in zip(view.w, view.b, view.v, strict=True) if v > 0]
    if t.regime != "constant" or not any(view.c) or any(any(w) for w, _, _ in positive):
        return None
    n0, p = net.widths[0], len(positive)
    m = len(view.v) - p
    g = sum((v * max(b, _ZERO) for _, b, v in positive), view.e)
    r = min(m, n0) if g <= 0 else min(m - 1, n0)
    return r * (n0 + m - r) + p * r + 2 * m + 2 * p + 1 + len(view.c)
