r"""The functional dimension of a case-(a) bottleneck parameter from the activity patterns of its first layer on
$P = \{h > 0\}$.

**Theorem.** Let $\theta$ have widths $(n_0, n_1, 1, n_3)$, $f = c\,\sigma(h) + d$ with $c \ne 0$ and $h > 0$
somewhere. Let $L$ be the neurons with $v_i \ne 0$, $Z$ those with $v_i = 0 \ne w_i$, and $Q$ the 0/1 matrix
whose rows are the activity patterns $p_C = ([z_i > 0 \text{ on } C])_{i \in L \cup Z}$ of the cells $C$ of the
first layer's arrangement that meet $P$ (a neuron with $w_i = 0$ is active iff $b_i > 0$; a pre-activation
vanishing identically counts as off, the Jacobian's convention). Then

$$\dim_{\rm fun}(\theta) = n_0\operatorname{rank}Q + \operatorname{rank}[Q \mid \mathbf 1] - \kappa + 2n_3 - 1,$$

or $- 2$ in place of $- 1$ when $h \le 0$ nowhere on an open set (no $N$, no plateau at 0; regime T) and $h$ is not
constant,

where $\kappa = an_0 + b - \operatorname{rank}M$: $K_1 = \{\alpha \in \operatorname{row}Q : \alpha_L = 0\}$ (dimension
$a$), $K_2 = \{\alpha : (\alpha, 0) \in \operatorname{row}[Q \mid \mathbf 1],\ \alpha_L = 0\}$ (dimension $b$), and $M$
has a row $((\alpha_iw_i)_{\alpha \in K_1}, (b_i\beta_i)_{\beta \in K_2})$ for each $i \in Z$ (bases of $K_1$,
$K_2$). Without $Z$ neurons $\kappa = 0$: $n_0\operatorname{rank}Q + \operatorname{rank}[Q \mid \mathbf 1] + 2n_3 - 1$.

*Proof.* The functional dimension is the dimension of the span of the Jacobian rows at the inputs off the
hyperplanes and off $\{h = 0\}$. On $N = \{h < 0\}$ the rows are $\partial f_q/\partial d_q = 1$: every direction of
$d$. On $C \cap P$ (open, non-empty) the row of output $q$ is $\iota_q(g(x))$, where $g = \partial h/\partial(W_1, b_1,
v, e)$ and $\iota_q(\gamma) = (\varphi_h(\gamma)e_q, \varphi_1(\gamma)e_q, c_q\gamma)$ in the coordinates $(c, d,
\text{inner})$, with the linear forms $\varphi_h(g) = h$ and $\varphi_1(g) = 1$ ($\partial/\partial c_q$, $\partial/
\partial d_q$). With $y = (x, 1)$, the block of neuron $i \in L$ in $g(x)$ is $p_{C,i}\,M_iy$ with $M_iy = (w_i\cdot x +
b_i, v_ix, v_i)$, injective; a neuron $i \in Z$ has the single entry $\partial h/\partial v_i = p_{C,i}\,(w_i, b_i)
\cdot y$; the other neurons with $v_i = 0$ add $\sigma(b_i)$, a multiple of $e$'s entry $y_{n_0 + 1} = 1$. So $\Gamma =
\operatorname{span} g(C \cap P) = \Pi\hat\Gamma$, where $\hat\Gamma = \operatorname{span}_C\{(p_C \otimes y', p_Ct,
t)\} = (\operatorname{row}Q \otimes \mathbb R^{n_0}) \times \operatorname{row}[Q \mid \mathbf 1]$ has dimension $n_0
\operatorname{rank}Q + \operatorname{rank}[Q \mid \mathbf 1]$ and $\Pi$ keeps the $L$ blocks and maps $Z$'s to
$w_i\cdot Y'_i + b_iT_i$; $\ker\Pi \cap \hat\Gamma$ is $\{(Y', T) : Y' \in K_1 \otimes \mathbb R^{n_0}, T \in K_2, w_i
\cdot Y'_i + b_iT_i = 0\ (i \in Z)\}$, of dimension $\kappa$. The span of all rows is $\{((\varphi_h(\gamma_q))_q,
\beta, \sum_q c_q\gamma_q) : \gamma_q \in \Gamma, \beta \in \mathbb R^{n_3}\}$; its parametrisation has kernel
$\{\varphi_h(\gamma_q) = 0, \beta = 0, \sum_q c_q\gamma_q = 0\}$ of dimension $(n_3 - 1)(r - 1)$ for $r = \dim\Gamma$
($\varphi_h \ne 0$ on $\Gamma$ as $h > 0$ on $P$, and $c \ne 0$), so the dimension is $n_3r + n_3 - (n_3 - 1)(r - 1) =
r + 2n_3 - 1$. (On a plateau $\{h = 0\}$ the pre-activation counted off gives the same rows as $N$.) Without such
rows the $d$ entries are $\varphi_1(\gamma_q)$, the kernel is $\{\varphi_h(\gamma_q) = \varphi_1(\gamma_q) = 0,
\sum_q c_q\gamma_q = 0\}$, of dimension $(n_3 - 1)(r - 2)$ when $\varphi_h$ and $\varphi_1$ are independent on $\Gamma$
($h$ not constant on $P$), and the dimension is $r + 2n_3 - 2$. $\square$

All neurons seen on hyperplanes of their own give $Q$ of rank $n_1$ and $[Q \mid \mathbf 1]$ of rank $n_1 + 1$: the
generic $D - n_1 - 1$ (the visible-rank certificate of :mod:`~.rank_bound` shows it without the arrangement). A
neuron dead on $P$ (U−) adds a zero column; U+ neurons add columns of ones: all of them together raise the ranks by
at most one; U$\pm$ neurons whose patterns are dependent lower them — the first-order freedom of
:func:`~.types.hidden_symmetries`' mixed hidden neurons.

>>> W1 = [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 0]]       # h = 1 - |x| - |y| - s(x - 5): P is a square
>>> net = Network.from_arrays([W1, [[-1] * 5], [[1]]], [[0, 0, 0, 0, -5], [1], [0]])
>>> pattern_dimension(net).value      # rank Q = rank [Q | 1] = 3: 2 * 3 + 3 + 2 - 1, where D - n1 - 1 = 17
10
"""

from __future__ import annotations

import math

from flint import fmpq, fmpq_mat, fmpz_mat

from semialg.core.exact import independent_rows, nullspace, rank
from semialg.core.network import Network
from semialg.core.symmetry import rescaling_ranks
from semialg.engine.functional_dimension import FunctionalDimension
from semialg.engine.regions import Region
from semialg.errors import UndecidedError
from semialg.families.bottleneck.arrangement import h_on_cells
from semialg.families.bottleneck.rank_bound import visible_rank_certificate
from semialg.families.bottleneck.views import OuterView, bottleneck_case
from semialg.geometry.arrangement import negate

__all__ = ["case_a_dimension", "pattern_dimension", "local_dimension_cap", "MAX_PATTERN_CELLS"]

#: The most cells the first layer's arrangement can have ($\sum_{k \le n_0}\binom{m}{k}$ for $m$ hyperplanes) for
#: :func:`pattern_dimension` to read it: 4-16-1-2 has 2,517 cells (about 1 s), 2-80-1-2 3,241 (0.2 s).
MAX_PATTERN_CELLS = 20_000

METHOD = "bottleneck: activity patterns on P"


def case_a_dimension(net: Network, deadline: float | None = None) -> FunctionalDimension | None:
    r"""The functional dimension of a case-(a) parameter by the family's theory: $D - n_1 - 1$ when every neuron is
    seen on a hyperplane of its own (:class:`~.rank_bound.VisibleRankCertificate`, $n_1 + 2$ exact points; method
    "bottleneck: visible kinks", at any width), else :func:`pattern_dimension`; ``None`` when neither applies
    before ``deadline`` (:func:`time.monotonic`). Cost: the visibility witnesses (784-256-1-10: about 0.7 s), then
    that of :func:`pattern_dimension`.

    >>> case_a_dimension(Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]])).method
    'bottleneck: visible kinks'
    """
    cert = visible_rank_certificate(net, deadline)
    if cert is not None:
        D = net.architecture.num_parameters
        return FunctionalDimension(cert.dimension, D - sum(rescaling_ranks(net)), D, 0,
                                   method="bottleneck: visible kinks", certificate=cert)
    return pattern_dimension(net, deadline)


def pattern_dimension(net: Network, deadline: float | None = None) -> FunctionalDimension | None:
    r"""The functional dimension of a case-(a) parameter by the module's theorem, with a batch of inputs on which the
    Jacobian has that rank: $n_0 + 1$ affinely independent points of $C \cap P$ for the cells $C$ of a row basis of
    $Q$ and of $[Q \mid \mathbf 1]$ (they span $\hat\Gamma$), and a point of $N$ or of a plateau of $h$ at 0 if
    any. ``None`` when the theorem does not apply (not case (a), $c = 0$, $h \le 0$ or constant), when the
    arrangement could have more than :data:`MAX_PATTERN_CELLS` cells, or past ``deadline`` (:func:`time.monotonic`).
    ``regions`` counts the cells meeting $P$, ``nonsmooth`` the cells where a pre-activation of the first two layers
    vanishes identically.
    Cost: the arrangement's cells and a sign range of $h$ on each (:func:`~.arrangement.h_on_cells`), the ranks of
    the $\#\text{cells} \times n_1$ pattern matrix and of $M$, and one exact LP per basis cell — against the
    engine's enumeration of every region of the network and an exact rank of $(n_0 + 1)\#\text{regions} \times D$
    Jacobian rows (2-80-1-2: 0.5 s against 46 s).

    >>> pattern_dimension(Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]])).value
    8
    """
    if bottleneck_case(net) != "a":
        return None
    view = OuterView.of(net)
    n0, n3 = net.widths[0], net.widths[-1]
    if not any(view.c) or _many_cells(int(view.w.nonzero_rows().sum()), n0):     # rows read as integers: fast
        return None
    try:
        arr, maps, ranges, patterns = h_on_cells(net, deadline)
    except UndecidedError:
        return None
    positive = [k for k, r in enumerate(ranges) if r >= 0]
    zero = ((fmpq(0),) * arr.dim, fmpq(0))
    # where the rows are those of d: h < 0 somewhere, or h = 0 on the whole cell (its pre-activation counted off)
    below = next((k for k, r in enumerate(ranges) if r <= 0), None)
    L = [i for i, v in enumerate(view.v) if v != 0]
    Z = [i for i, (w, v) in enumerate(zip(view.w, view.v, strict=True)) if v == 0 and any(w)]
    if not positive or below is None and all(not any(maps[k][0]) for k in positive):     # f constant
        return None
    first: dict = {}        # each pattern on P -> the first cell with it
    for k in positive:
        first.setdefault(tuple(patterns[k][i] for i in L + Z), k)
    Q = list(first)
    rows_q = independent_rows(fmpz_mat([list(p) for p in Q])) if L + Z else []
    rows_q1 = independent_rows(fmpz_mat([list(p) + [1] for p in Q]))
    lost = _lost([Q[j] for j in rows_q], [Q[j] for j in rows_q1], len(L), [(view.w[i], view.b[i]) for i in Z])
    value = n0 * len(rows_q) + len(rows_q1) - lost + 2 * n3 - (1 if below is not None else 2)
    cells = [first[Q[j]] for j in sorted(set(rows_q) | set(rows_q1))]
    batch = [x for k in cells for x in _points(arr, k, maps[k], n0)]
    if below is not None:
        batch += ([arr.project(arr.interior_point(arr.cells[below]))] if maps[below] == zero else
                  _points(arr, below, negate(maps[below]), 0))
    D = net.architecture.num_parameters
    flat = sum(1 for A in maps if A == zero)
    zero_rows = any(not any(w) and b == 0 and v != 0 for w, b, v in zip(view.w, view.b, view.v, strict=True))
    return FunctionalDimension(value, D - sum(rescaling_ranks(net)), D, len(positive),
                               len(arr.cells) if zero_rows else flat, tuple(batch), method=METHOD)


def local_dimension_cap(net: Network, t=None, deadline: float | None = None) -> tuple[int, int] | None:
    r"""``(0, D - dim_fun)``: a bound on the fibre's dimension at $\theta$. Every input $x$ of
    :func:`pattern_dimension`'s batch lies strictly inside a region of $\theta$ (no pre-activation and not $h$ zero
    there) when ``nonsmooth`` is 0, so every $\theta'$ near $\theta$ keeps its activation patterns at the batch, and
    the fibre near $\theta$ lies in a level set of the polynomial map $\theta' \mapsto f_{\theta'}(\text{batch})$,
    whose rank is at least $\dim_{\rm fun}$ near $\theta$: its dimension there is at most $D - \dim_{\rm fun}$.
    ``None`` when :func:`pattern_dimension` does not apply, or a zero row or a plateau of $h$ at 0 makes the batch
    not strict (``t``, the type, is not needed). Cost: that of :func:`pattern_dimension`.

    >>> local_dimension_cap(Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]]))
    (0, 3)
    """
    found = pattern_dimension(net, deadline)
    if found is None or found.nonsmooth:
        return None
    return 0, found.num_parameters - found.value


def _lost(basis: list, basis1: list, nl: int, weights: list) -> int:
    r"""$\dim(\ker\Pi \cap \hat\Gamma)$ (module docstring) from row bases ``basis`` of $Q$ and ``basis1`` of $[Q \mid
    \mathbf 1]$ (patterns over $L$, the first ``nl`` places, then $Z$) and the rows $(w_i, b_i)$ of the $Z$ neurons:
    $a n_0 + b - \operatorname{rank} M$."""
    if not weights:
        return 0
    n0 = len(weights[0][0])

    def supported_on_z(rows, ones: int) -> list[tuple]:
        """The combinations of ``rows`` vanishing on $L$ (and on the constant column when ``ones``), on $Z$."""
        left = fmpq_mat(nl + ones, len(rows), [p[j] if j < nl else 1 for j in range(nl + ones) for p in rows])
        return [tuple(sum((lam[r] * rows[r][nl + i] for r in range(len(rows))), fmpq(0)) for i in range(len(weights)))
                for lam in nullspace(left)]

    K1, K2 = supported_on_z(basis, 0), supported_on_z(basis1, 1)
    M = [[a[i] * x for a in K1 for x in w] + [b * beta[i] for beta in K2] for i, (w, b) in enumerate(weights)]
    return len(K1) * n0 + len(K2) - (rank(M) if K1 or K2 else 0)


def _many_cells(m: int, n0: int) -> bool:
    """Whether $m$ hyperplanes of $\\mathbb{R}^{n_0}$ can have more than :data:`MAX_PATTERN_CELLS` cells."""
    total = 0
    for k in range(n0 + 1):
        total += math.comb(m, k)
        if total > MAX_PATTERN_CELLS:
            return True
    return False


def _points(arr, k: int, A, n: int) -> list[tuple]:
    """A point of cell ``k`` where ``A`` $> 0$ and its ``n`` neighbours $x + \\varepsilon e_j$ there (exact)."""
    cell = arr.cells[k]
    x = arr.point_where(cell, [A])
    G, h = arr.inequalities(cell)
    eps = Region((), x, tuple(zip(G, h, strict=True)) + (A,), (), ()).step()
    return [arr.project(y) for y in [x] + [tuple(t + eps if i == j else t for i, t in enumerate(x)) for j in range(n)]]
