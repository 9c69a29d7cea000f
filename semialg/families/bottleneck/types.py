r"""Combinatorial types of bottleneck parameters and the mechanisms (symmetries beyond $G$) they carry.

Case (b): the class of every second-layer neuron on $t = \sigma(z) > 0$ (A, K+, K−, Z) and whether the
first-layer hyperplane $H$ is hidden. Case (a): the class of every first-layer neuron relative to
$P = \{h > 0\}$ (V, U−, U+, U±, D) and the regime (PN, T, constant).

>>> combinatorial_type(Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])).classes
('A', 'K+')
"""

from __future__ import annotations

import collections
import functools
import operator
import time
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from flint import fmpq

from semialg.core.exact import dot, fingerprint, rank
from semialg.core.grid_point import grid_points
from semialg.core.mechanism import Mechanism
from semialg.core.network import Network
from semialg.core.result import Latexable
from semialg.errors import UndecidedError
from semialg.engine.hyperplane_keys import oriented_rows, rank_at_least_two
from semialg.engine.neurons import pair_relocations, phantom_pairs, predicted_late
from semialg.families.bottleneck.arrangement import (NetworkArrangement, arrangement_of, extreme_values, h_on_cells,
                                                     sup_value)
from semialg.families.bottleneck.plateau import hyperplane_in_zero_set
from semialg.families.bottleneck.ridge import ridge_profile
from semialg.families.shallow import canonical_form, hidden_symmetries as shallow_hidden_symmetries
from semialg.geometry.zero_sum import count_zero_sum_sets
from semialg.families.bottleneck.views import OuterView, RidgeView, _ZERO, _require, bottleneck_case
from semialg.geometry.arrangement import negate

__all__ = ["BottleneckType", "bottleneck_regime", "combinatorial_type", "hidden_symmetries", "type_before",
           "witnessed_type", "visibility_witnesses"]


@dataclass(frozen=True)
class BottleneckType(Latexable):
    r"""The combinatorial type of a bottleneck parameter (open conditions, decided exactly).

    Case (b): ``classes[j]`` of second-layer neuron $j$ in {A, K+, K-, Z}; ``regime`` is ``"hidden"`` when the
    first-layer hyperplane $H$ is hidden by the second layer ($a = k^- = 0$), ``"visible"`` otherwise, and
    ``"constant"`` when $f$ is constant; ``reflective`` when $a = k^+ = 0 < k^-$.
    Case (a): ``classes[i]`` of first-layer neuron $i$ in {V, U-, U+, U+-, D} relative to $P = \{h > 0\}$
    (D: $w_i = 0$ or $v_i = 0$, a constant neuron); ``regime`` ``"PN"`` ($P, N \ne \emptyset$), ``"T"``
    ($N = \emptyset$) or ``"constant"`` ($c = 0$ or $P = \emptyset$).
    """

    case: str
    classes: tuple[str, ...]
    regime: str

    def count(self, cls: str) -> int:
        return sum(1 for c in self.classes if c == cls)

    @property
    def reflective(self) -> bool:
        return (self.case == "b" and self.regime != "constant" and self.count("A") == self.count("K+") == 0
                and self.count("K-") >= 1)

    def describe(self) -> str:
        counts = ", ".join(f"{c}: {self.count(c)}" for c in dict.fromkeys(sorted(self.classes)))
        layer = "second" if self.case == "b" else "first"
        return f"case ({self.case}), regime {self.regime}; {layer}-layer classes {counts}"


def combinatorial_type(net: Network, budget: float | None = None, progress: bool | None = None) -> BottleneckType:
    r"""The combinatorial type of a bottleneck parameter (see :class:`BottleneckType`).

    Case (b): $O(n_2)$ sign tests plus the profile. Case (a), $n_0 \ge 3$: first :func:`witnessed_type`; else
    the cells of the first layer's arrangement (sweep in the plane, exact LPs otherwise), one range test of $h$
    per cell and neuron side, and a 1-D restriction per hyperplane for visibility. The region enumeration
    ($\sum_{i \le n_0}\binom{n_1}{i}$ cells) stops after ``budget`` seconds (``None``: no limit) with
    :class:`~semialg.errors.UndecidedError`, and shows a tqdm bar after 2 s if ``progress`` (``None``: on a tty).

    >>> combinatorial_type(Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])).classes
    ('A', 'K+')
    """
    case = bottleneck_case(net)
    if case == "b":
        view = RidgeView.of(net)
        classes = view.classes()
        if ridge_profile(net).is_constant:
            regime = "constant"
        else:
            regime = "hidden" if not any(c in ("A", "K-") for c in classes) else "visible"
        return BottleneckType("b", classes, regime)
    _require(net, "a")
    found = _TYPES.pop(net, None)
    if found is None:
        found = _case_a_type(net, None if budget is None else time.monotonic() + budget, progress)
    _TYPES[net] = found
    if len(_TYPES) > 8:
        _TYPES.popitem(last=False)
    return found


def type_before(net: Network, deadline: float | None) -> BottleneckType | None:
    """:func:`combinatorial_type` within what remains before ``deadline`` (a ``time.monotonic()`` value; ``None``:
    no limit), or ``None`` when it is not found by then. Cost: that of :func:`combinatorial_type`."""
    try:
        return combinatorial_type(net, budget=None if deadline is None else max(0.0, deadline - time.monotonic()))
    except UndecidedError:
        return None


# The case-(a) types of the last 8 parameters, least recent first: each analysis of one parameter asks for it.
_TYPES: collections.OrderedDict = collections.OrderedDict()


def _case_a_type(net: Network, deadline: float | None, progress: bool | None) -> BottleneckType:
    view = OuterView.of(net)
    if net.widths[0] >= 3 and (witnessed := witnessed_type(view, deadline=deadline)) is not None:
        return witnessed
    try:
        arr = arrangement_of(net, deadline, progress)
    except UndecidedError as spent:
        raise UndecidedError(f"combinatorial type of a {net.architecture} parameter: exact witnesses do not settle "
                             "it (a neuron may be hidden, or h may not change sign) and the first layer's cells "
                             f"were not all found: {spent}") from None
    try:
        return _arranged_type(arr, view, deadline)
    except UndecidedError as spent:
        raise UndecidedError(f"combinatorial type of a {net.architecture} parameter: {spent}") from None


def bottleneck_regime(net: Network, budget: float | None = None) -> str:
    r"""The regime of a bottleneck parameter (:attr:`BottleneckType.regime`: PN, T or constant in case (a)) without
    the classes of its neurons. Case (a): $c = 0$ gives constant; weights alone may show $h$ of one sign
    (:func:`_one_signed`); exact points with $h > 0$ and $h < 0$ (the first stage of :func:`visibility_witnesses`,
    kept for it) show PN. Otherwise :func:`combinatorial_type` within ``budget`` seconds
    (:class:`~semialg.errors.UndecidedError` past it). Cost: $O(\text{draws}\cdot n_1n_0)$ flops and two exact
    evaluations of $h$ when the witnesses are found (784-4096-1-10: 0.3 s, not minutes for every neuron's).

    >>> bottleneck_regime(Network.from_arrays([[[1], [-1]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]]))
    'PN'
    """
    if bottleneck_case(net) == "a":
        view = OuterView.of(net)
        if not any(view.c):
            return "constant"
        if (signed := _one_signed(view)) is not None:
            return signed.regime
        if None not in _search_of(view, 256, 0).signs():
            return "PN"
    return combinatorial_type(net, budget=budget).regime


def _arranged_type(arr: NetworkArrangement, view: OuterView, deadline: float | None = None) -> BottleneckType:
    r"""The case-(a) type from the cells ``arr`` of the first layer's arrangement; for $n_0 \ge 3$ (exact LPs)
    :class:`~semialg.errors.UndecidedError` past ``deadline``."""
    data, maps, ranges = arr.h_ranges(view, deadline)
    if not any(view.c) or all(r < 0 for r in ranges):
        regime = "constant"
    elif all(arr.range_sign(cell, negate(A)) < 0 for cell, A in zip(arr.cells, maps, strict=True)):
        regime = "T"
    else:
        regime = "PN"
    rows = iter(data[0])
    seen = _visible_lines(arr, maps, ranges) if arr.dim == 2 else arr.positive_hyperplanes(maps, ranges,
                                                                                            deadline=deadline)
    signs = np.array([cell.signs for cell in arr.cells], dtype=np.int8).reshape(len(arr.cells), len(arr.lines))
    off_p = np.array(ranges) < 0
    classes = []
    for w, vi in zip(view.w, view.v, strict=True):
        if not any(w):
            classes.append("D")
            continue
        k, s, *_ = next(rows)
        if vi == 0:
            classes.append("D")
        elif k in seen:
            classes.append("V")
        elif off_p[s * signs[:, k] > 0].all():
            classes.append("U-")
        elif off_p[s * signs[:, k] < 0].all():
            classes.append("U+")
        else:
            classes.append("U+-")
    return BottleneckType("a", tuple(classes), regime)


def _mixed_patterns(net: Network, mixed: Sequence[int], deadline: float | None) -> set:
    r"""The activity patterns $([z_k > 0])_{k}$ of the U$\pm$ neurons ``mixed`` on the cells of the first layer's
    arrangement that meet $P$ (each constant on a component of $P$, as $H_k$ misses $P$). A member near $\theta$
    changes $h$ on a component $K$ by $\sum_k [z_k > 0 \text{ on } K]\,D_k + C$, $D_k = v'_k\ell'_k - v_k\ell_k$ and $C$
    the change of the U+ neurons and $e$ (the same on every component); $h$ is kept on $P$ iff that is 0 on every
    $K$, so when these patterns and the constant 1 are independent, $D = 0$: no move of a U$\pm$ neuron beyond
    $G$. Cost: that of :func:`h_on_cells`."""
    _, _, ranges, patterns = h_on_cells(net, deadline)
    return {tuple(p[i] for i in mixed) for p, r in zip(patterns, ranges, strict=True) if r >= 0}


def witnessed_type(view: OuterView, draws: int = 256, seed: int = 0,
                   deadline: float | None = None) -> BottleneckType | None:
    r"""The type read off exact witnesses, without the arrangement, when every neuron with $w \ne 0 \ne v$ is
    visible: a point with $h > 0$ and one with $h < 0$ ($c \ne 0$: regime PN) and, for every such neuron, a point of
    its hyperplane $H_k$ where $h > 0$ ($H_k$ meets $P$: class V); the others are D. ``None`` when a witness is not
    found (the arrangement decides then). Candidates: random inputs at three scales, the best of them pushed up or
    down $h$ by subgradient steps (a thin $N = \{h < 0\}$ is found so), and their orthogonal projections on each
    $H_k$, pushed up $h$ within $H_k$; all ranked in floats (only to choose); every witness is checked exactly.
    When $h$ has one sign by its weights alone, regime T or constant (:func:`_one_signed`). ``None`` also past
    ``deadline`` (:func:`visibility_witnesses`). Cost: $O((\text{draws} + n_1 s)\,n_1 n_0)$ flops for $s$ = :data:`PUSH_STEPS` and $O(n_1^2 n_0)$ exact
    operations."""
    if not any(view.c):
        return None
    signed = _one_signed(view)
    if signed is not None:
        return signed
    seen = visibility_witnesses(view, draws, seed, deadline)
    if seen is None:
        return None
    return BottleneckType("a", tuple("D" if q is None else "V" for q in seen[2]), "PN")


def visibility_witnesses(view: OuterView, draws: int = 256, seed: int = 0,
                         deadline: float | None = None) -> tuple | None:
    r"""Exact rational points showing regime PN and every neuron with $w \ne 0 \ne v$ visible, found as in
    :func:`witnessed_type`: ``(inside, outside, on)`` with $h(\text{inside}) > 0 > h(\text{outside})$ and
    ``on[k]`` a point of $H_k$ with $h > 0$ (``None`` for the neurons with $w_k = 0$ or $v_k = 0$); ``None`` when
    a witness is not found. The projections on every $H_k$ of the points inside $P$ nearest to it
    (:func:`_nearest_inside`) are ranked from one float product ($W\pi_k(y) = Wy - t\,Ww_k$), their best points
    rounded and moved onto $H_k$ exactly (:func:`_rounded`), and checked exactly in batches
    (:meth:`~semialg.core.network.Network.evaluate`); only the neurons whose best point fails are pushed one by
    one. ``None`` too once ``deadline`` (a :func:`time.monotonic` value) has passed: the exact check is
    $O(n_1^2n_0)$ products of integers, in batches of :data:`_CHECKED` points (784-4096: about 0.35 s each).
    A search cut short by its deadline is kept and resumed by the next call for the same $h$ (the last 2 networks;
    the identifiability routes classify one 784-4096-1-10 network six times, and repeated 2 s of float ranking
    each). Cost: that of :func:`witnessed_type`, with $O(n_1^2 n_0)$ flops for the ranking ($WW^T$ by blocks)."""
    return _search_of(view, draws, seed).run(deadline)


def _search_of(view: OuterView, draws: int, seed: int) -> "_VisibilitySearch":
    key = (view.inner, draws, seed)
    search = _SEARCHES.pop(key, None) or _VisibilitySearch(view, draws, seed)
    _SEARCHES[key] = search                     # the most recent last
    while len(_SEARCHES) > 2:                   # a 784-4096 network holds about 150 MB
        del _SEARCHES[next(iter(_SEARCHES))]
    return search


_SEARCHES: dict = {}      # (h, draws, seed) -> its _VisibilitySearch, oldest first


class _VisibilitySearch:
    """The state of :func:`visibility_witnesses` for one $h$: each stage keeps what it has done, so a search
    stopped at a deadline goes on where it stopped."""

    def __init__(self, view: OuterView, draws: int, seed: int):
        self.view, self.h = view, view.inner
        rng = np.random.default_rng(seed)
        scales = 4.0 ** rng.integers(0, 3, size=(draws, 1))
        self.X = rng.integers(-64, 65, size=(draws, view.inner.widths[0])) * scales / 64
        self.ends = None                  # (inside, outside), once searched
        self.on: dict[int, tuple | None] = {}
        self.candidates: list[int] | None = None     # the neurons whose projected point is checked exactly
        self.checked = 0                  # how many of them, batch by batch
        self.result = self.Z = None

    def run(self, deadline: float | None) -> tuple | None:
        if self.result is None:
            try:
                self.result = self._search(deadline)
            except UndecidedError:
                return None
        return self.result or None

    def signs(self) -> tuple:
        """Exact points with $h > 0$ and with $h < 0$ (each ``None`` when not found), searched once."""
        if self.ends is None:
            self.ends = _witness(self.h, self.X, 1), _witness(self.h, self.X, -1)
        return self.ends

    def _spent(self, deadline: float | None) -> None:
        if deadline is not None and time.monotonic() > deadline:
            raise UndecidedError("visibility witnesses: the deadline passed")

    def _search(self, deadline: float | None) -> tuple | bool:
        """The witnesses, ``False`` when none is found; :class:`UndecidedError` at the deadline."""
        view, h, X = self.view, self.h, self.X
        inside, outside = self.signs()
        if inside is None or outside is None:
            return False
        Y = np.vstack([np.array([float(t) for t in inside])[None], X])
        (W, b), (V, _) = h.float_layers()
        pivots = np.argmax(np.abs(W), axis=1)        # the coordinate _rounded moves: |w_kj| the largest in floats
        planes = {k: (view.w, k, bk, int(j)) for k, (live, bk, v, j) in
                  enumerate(zip(view.w.nonzero_rows(), view.b, view.v, pivots, strict=True)) if live and v}
        if len(self.on) < len(planes):
            if self.Z is None:
                self.Z = Y @ W.T + b
            Z = self.Z               # Z[:, k] / |w_k|^2 is how far y lies from H_k along w_k
            todo = [k for k in planes if k not in self.on]
            with np.errstate(over="ignore", invalid="ignore"):
                near = _nearest_inside(Z, V[0])
                for start in range(0, len(todo), 128):
                    block = todo[start:start + 128]
                    G = W[block] @ W.T       # rows of W W^T by blocks, not the n_1 x n_1 matrix (4096: 134 MB)
                    found: dict = {}
                    try:
                        for Gk, k in zip(G, block, strict=True):
                            self._spent(deadline)
                            rows = near[:, k]
                            t = Z[rows, k] / Gk[k]
                            best = int(np.argmax(np.maximum(Z[rows] - np.multiply.outer(t, Gk), 0.0) @ V[0]))
                            x = Y[rows[best]] - t[best] * W[k]          # pi_k(y), h(pi_k(y)) the largest
                            found[k] = x if _roundable(x) else None
                    finally:        # rounded a block at once, and what was found kept when the deadline cuts it
                        kept = [k for k, x in found.items() if x is not None]
                        self.on.update(dict.fromkeys(found))
                        if kept:
                            self.on.update(zip(kept, _rounded_onto(np.array([found[k] for k in kept]),
                                                                   [planes[k] for k in kept])))
        on, self.Z = self.on, None
        if self.candidates is None:
            self.candidates = [k for k in planes if on[k] is not None]
        candidates = self.candidates
        while self.checked < len(candidates):
            self._spent(deadline)
            batch = candidates[self.checked:self.checked + _CHECKED]
            for k, sign in zip(batch, h.output_signs([on[k] for k in batch]), strict=True):
                if sign[0] <= 0:
                    on[k] = None
            self.checked += len(batch)
        for k in (k for k in planes if on[k] is None):
            self._spent(deadline)
            u, bk = W[k], float(b[k])
            proj = lambda P: P - np.outer((P @ u + bk) / (u @ u), u)  # noqa: E731 (orthogonal projection on H_k)
            on[k] = _witness(h, proj(Y), 1, planes[k], proj)
            if on[k] is None:
                return False
        return inside, outside, tuple(on.get(k) for k in range(len(view.w)))

_NEAR = 12          # points inside P projected on each hyperplane by visibility_witnesses
_HIGH = 4           # and the points where h is the largest


def _nearest_inside(Z: np.ndarray, v: np.ndarray) -> np.ndarray:
    r"""For each neuron $k$ (column of the pre-activations ``Z`` of the points), the rows of the :data:`_NEAR`
    points with $h > 0$ (in floats) nearest to $H_k$ ($|z_k|$ smallest) and of the :data:`_HIGH` points where
    $h$ is the largest: their projections on $H_k$ are the candidates. Ranking the projections of all points
    took 40 s at 784-4096 (a product of $n_1$ rows per point and neuron); these find the same visible
    neurons there. Cost: $O(\text{points}\cdot n_1)$."""
    values = np.maximum(Z, 0.0) @ v
    high = np.argsort(-values)[:_HIGH]
    far = np.where((values > 0)[:, None], np.abs(Z), np.inf)
    m = min(_NEAR, len(Z))
    near = np.argpartition(far, m - 1, axis=0)[:m] if m < len(Z) else np.tile(np.arange(len(Z))[:, None], Z.shape[1])
    return np.vstack([near, np.repeat(high[:, None], Z.shape[1], axis=1)])


def _one_signed(view: OuterView) -> BottleneckType | None:
    r"""The type when $h$ has one sign by its weights alone: with $e' = e + \sum_{w_i = 0} v_i\sigma(b_i)$, all
    $v_i \ge 0$ ($w_i \ne 0$) and $e' > 0$ give $h > 0$ everywhere (regime T, every $H_k$ inside $P$: V); all
    $v_i \le 0$ and $e' < 0$ give $h < 0$ everywhere ($P = \emptyset$: regime constant, every $H_k$ off $P$: U−).
    Neurons with $w_i = 0$ or $v_i = 0$ are D. ``None`` otherwise. Cost: $O(n_1 n_0)$."""
    rows = view.w.nonzero_rows()        # vectorised: iterating 784-4096 rows as rationals takes 4 s
    const = view.e + sum((v * max(b, _ZERO) for z, b, v in zip(rows, view.b, view.v, strict=True) if not z), _ZERO)
    live = [v for z, v in zip(rows, view.v, strict=True) if z and v != 0]
    for sign, regime, cls in ((1, "T", "V"), (-1, "constant", "U-")):
        if sign * const > 0 and all(sign * v > 0 for v in live):
            return BottleneckType("a", tuple(cls if z and v != 0 else "D" for z, v in zip(rows, view.v, strict=True)),
                                  regime)
    return None


PUSH_STEPS = 96     # subgradient steps of a witness search
_PUSHED = 8         # candidates pushed
_CHECKED = 256      # points per exact batch of visibility_witnesses (784-4096: about 0.35 s each)


def _witness(h: Network, X: np.ndarray, sign: int, plane: tuple | None = None, project=None) -> tuple | None:
    r"""An exact point of $\frac{1}{64}\mathbb{Z}^{n_0}$ (moved exactly onto ``plane`` $= (W, k, b, j)$ by
    :func:`_rounded`, $W_k\cdot x + b = 0$, when given) where ``sign`` $\cdot\, h > 0$, rounded from a float candidate; ``None`` if
    neither the best candidate of ``X`` nor the best after :data:`PUSH_STEPS` normalised subgradient steps of the
    :data:`_PUSHED` best (mapped by ``project`` after each step) is one."""
    (W, b), (V, _) = h.float_layers()
    values = sign * h.float_preactivations(X)[-1][:, 0]
    best = X[np.argsort(-values)[:_PUSHED]]
    q = _holds(h, best[0], sign, plane) if _roundable(best[0]) else None
    if q is not None:
        return q
    for step in range(PUSH_STEPS):
        g = ((best @ W.T + b) > 0) * V[0] @ W
        norm = np.linalg.norm(g, axis=1, keepdims=True)
        best = best + sign * 0.2 / np.sqrt(step + 1) * (1 + np.linalg.norm(best, axis=1, keepdims=True)) * g / \
            np.where(norm > 0, norm, 1)
        best = project(best) if project is not None else best
    values = sign * h.float_preactivations(best)[-1][:, 0]
    top = best[int(np.argmax(values))]
    return _holds(h, top, sign, plane) if _roundable(top) else None


def _holds(h: Network, x: np.ndarray, sign: int, plane: tuple | None) -> tuple | None:
    """:func:`_rounded` ``x`` if ``sign`` $\\cdot\\, h > 0$ there, decided exactly; else ``None``."""
    q = _rounded(x, plane)
    return q if sign * h(q)[0] > 0 else None


_GRID = fmpq(64)     # the denominator of the points rounded from floats

#: Seconds per first-layer weight of the shallow work on $h$ after the type, which no deadline cuts (its 0-factor
#: peeling and lines; the $G$-orbit fibre's construction about twice that): 1.6 s at 784-4096 (session 51).
INNER_SECONDS_PER_WEIGHT = 5e-7


def _roundable(x: np.ndarray) -> bool:
    """Whether :func:`_rounded` takes ``x``: finite, and small enough for numerators over 64 in ``int64``."""
    return bool(np.isfinite(x).all()) and float(np.abs(x).max(initial=0.0)) < 2.0 ** 50


def _rounded(x: np.ndarray, plane: tuple | None) -> tuple:
    r"""``x`` rounded to $\frac{1}{64}\mathbb{Z}^{n_0}$, then moved onto ``plane`` $= (W, k, b, j)$, the hyperplane
    $w\cdot x + b = 0$ of row $w = W_k$, when given, along coordinate $j$ (one where $|w_j|$ is largest; any with
    $w_j \ne 0$ is exact): only $x_j$ gets a larger denominator, so that the exact evaluation of $h$ there costs a
    quarter of that at an orthogonal projection (784-4096). The row is read scaled
    (:meth:`~semialg.core.rational_matrix.RationalMatrix.scaled_row`): $x_j = -(s w\cdot x + s b)/(s w_j)$."""
    if plane is None:
        return grid_points(np.rint(np.asarray(x, dtype=float) * 64).astype(np.int64)[None], 64)[0]
    return _rounded_onto(np.asarray(x, dtype=float)[None], [plane])[0]


def _rounded_onto(X: np.ndarray, planes: Sequence[tuple]) -> list[tuple]:
    r""":func:`_rounded` of each row of ``X`` onto its plane (all planes rows of one matrix $W$). The products
    $s w_k\cdot g$ of the rounded points $g$ are exact sums of ``int64`` products of $g$ with $s w_k$ cut into halves
    of 24 bits, all rows at once, when $W$ has an ``int64`` integer form and no sum can reach $2^{62}$; else Python
    integers (or rationals) row by row. Cost: $O(m n_0)$ vectorised for $m$ rows (4,096 points of 784 coordinates:
    0.3 s, against 2.4 s one at a time)."""
    G = np.rint(np.asarray(X, dtype=float) * 64).astype(np.int64)
    W, ks = planes[0][0], [k for _, k, _, _ in planes]
    S = W.numerators[ks] if W.has_integer_form and W.numerators.dtype == np.int64 else None
    js = []
    for i, (_, k, _, j) in enumerate(planes):
        w = S[i] if S is not None else W.row(k)
        if w[j] == 0:        # the floats of w underflowed
            j = max(range(len(w)), key=lambda c: abs(w[c]))
        js.append(j)
    G[np.arange(len(js)), js] = 0
    n, g = G.shape[1], int(np.abs(G).max(initial=0))
    if S is not None and n * g * max(1 << 24, int(np.abs(S >> 24).max(initial=0))) < 1 << 62:
        low, high = (S & ((1 << 24) - 1)) * G, (S >> 24) * G
        dots = [(h << 24) + l for h, l in zip(high.sum(axis=1).tolist(), low.sum(axis=1).tolist(), strict=True)]
    else:
        dots = [sum(map(operator.mul, S[i].tolist() if S is not None else W.row(k), G[i].tolist()))
                for i, k in enumerate(ks)]
    s = W.denominator if S is not None else 1       # rows read as s w_k: integers over the common denominator
    return [p.with_entry(j, -(dot / _GRID + s * b) / (int(S[i, j]) if S is not None else W.row(k)[j]))
            for i, (p, (_, k, b, _), j, dot) in enumerate(zip(grid_points(G, 64), planes, js, dots, strict=True))]


def _visible_lines(arr: NetworkArrangement, maps: list, ranges: list[int]) -> set[int]:
    r"""In the plane, the lines $H_k$ that meet $P = \{h > 0\}$ (as :func:`~.arrangement.visible`, for all lines
    at once). On $H_k$, $h$ is piecewise linear with breakpoints at the vertices on $H_k$ (every line has one),
    so $h > 0$ somewhere on $H_k$ iff $h(x) > 0$ at a vertex $x$ on $H_k$ or $h$ grows along an end of $H_k$: a
    cell $C$ with the vertex $x$ on $H_k$ and an extreme ray $r \parallel H_k$ with $A_C\cdot r > 0$
    ($x + \mathbb{R}_{\ge 0} r \subset \overline C \cap H_k$, where $h = A_C$). Only the cells meeting $P$
    can show it. Cost: $O(N^2)$ exact $2\times 2$ solves for the vertices and their lines, plus the cells'
    vertices and rays — against $O(N^3)$ evaluations of $h$ line by line."""
    through = {key: lines for key, (_, lines) in arr.vertices().items()}
    out: set[int] = set()
    for cell, (lin, const), r in zip(arr.cells, maps, ranges, strict=True):
        if r < 0:
            continue
        for x in cell.vertices:
            lines = through[fingerprint(x)]
            if dot(lin, x) + const > 0:
                out |= lines
            for ray in cell.rays:
                if dot(lin, ray) > 0:
                    out.update(k for k in lines if dot(arr.lines[k][:-1], ray) == 0)
    return out


def _plateau(view: OuterView, value, sign: int) -> bool:
    r"""The necessary conditions for members below the plateau $\{h = \text{value}\}$ at the minimum
    (``sign`` $= 1$) or supremum ($-1$) of $h$ (:mod:`~.plateau`): $h \equiv$ value on a cell of the first
    layer's arrangement (an open set) and, unless the kink hyperplanes are parallel, a hyperplane inside
    $\{g = 0\}$, $g = \pm(h - \text{value}) \ge 0$ (decided exactly)."""
    arr = NetworkArrangement((view.inner,))
    zero = (fmpq(0),) * arr.dim
    if all(A != (zero, value) for A in arr.affine_maps(arr.neuron_data(view.inner), arr.cells)):
        return False
    keys = [tuple(key) for key, _ in canonical_form(view.inner).kinks]
    if rank([k[:-1] for k in keys]) <= 1:
        return True
    g = Network((view.w, (tuple(sign * x for x in view.v),)), (view.b, (sign * (view.e - value),)))
    return hyperplane_in_zero_set(g, keys) is not None


def _pair_moves(net: Network, layer: int, classes: Sequence[str], kinked: tuple, bias: str) -> list[Mechanism]:
    """Phantom pairs of ``layer`` of two classes in ``kinked`` (others move with their class: hidden, dead, A block;
    one dimension each) and pair relocations (:mod:`~semialg.engine.neurons`), the next ``bias`` compensating."""
    move, out = functools.partial(_move, layer=layer, relation=f"compensated by {bias}"), []
    if phantoms := [(i, j) for i, j, _ in phantom_pairs(net, layer) if classes[i] in kinked and classes[j] in kinked]:
        out.append(move("phantom pairs", "continuous", len(phantoms), neurons=tuple(sorted(sum(phantoms, ()))),
                        description="c_i s(z) + c_j s(-mu z) = c_i z: the pair has no kink, its hyperplane (kink "
                        f"point) moves, {bias} compensating (one dimension per pair)"))
    if moved := pair_relocations(net, layer):
        out.append(move("pair relocations", "discrete", None, neurons=tuple(sorted({n for m in moved for n in m[:3]})),
                        description="s(z) - s(-z) = z: an opposite pair's second neuron moves opposite to a neuron on "
                        f"a parallel hyperplane, the linear parts agreeing up to a constant that {bias} takes"))
    return out


def _move(name: str, kind: str, size: int | None, relation: str, neurons: tuple, description: str,
          layer: int, freezes: bool = False) -> Mechanism:
    continuous = kind == "continuous"
    return Mechanism(name, continuous, size if continuous else 0, 1 if continuous else size, tuple(neurons),
                     description, layer, freezes, relation)


def hidden_symmetries(net: Network, budget: float | None = None, progress: bool | None = None) -> tuple[Mechanism, ...]:
    r"""Every mechanism of the math note present at a bottleneck parameter, with what it adds.

    Case (b): dead neurons Z (continuous, $n_3 + 1$ each), the A-block trade ($a(n_3+1) - n_3$), kink flips absorbed
    by the A block ($2^k$; without one by $d$ when $\sum_S c_jv_j = 0$), phantom pairs (kinks cancelling, 1 each) and
    pair relocations (:func:`_pair_moves`, also in case (a)), translation of a hidden $H$ (1), reflection
    ($\mathbb{Z}/2$), and $H$ onto / off a kink (:func:`~.moves.move_onto_kink`, two anchors: $H$ on the kink making
    the profile's first breakpoint, or hidden off every kink) when $n_2 \ge m$, the number of breakpoints of the
    profile — exactly when the fibre has types of both anchors: with $H$ hidden the move puts it onto the first kink
    at once; with $H$ visible the A-block trade ($e_A = 0$), the kink flips into the A block (a dead or spare neuron
    revived as an A neuron with $c = 0$ if there is none) and the dead-neuron moves make $\tilde G$ flat on
    $t \le 0$, and the move takes $H$ off its kink; with $n_2 = m - 1$ every neuron makes a kink, $H$ on one always.
    Case (a): U- freedom ($n_0 + 1$ each; continuous, freezing: each of its parameters a conserved coordinate), the
    U+ $\leftrightarrow e$ trade, the flips of visible neurons absorbed by U+ neurons (discrete, compensated: no
    conservation law; realised by :class:`~.outer_moves.TradeOnP`), U$\pm$ neurons to first order when their
    activity patterns and the constant 1 are dependent (:func:`_mixed_patterns`; else none moves), positive twins
    (rows on one hyperplane with one orientation: continuous, compensated, one dimension per extra twin), and in
    regime T the $e \leftrightarrow d$ trade and, when $h$ is bounded and not constant, the reflection $c' = -c/|\mu|$.
    Cost: that of :func:`combinatorial_type` (``budget``, ``progress`` go to it; in regime T also
    :func:`~.arrangement.extreme_values`), then in case (a) the shallow hidden symmetries of $h$ — not started
    when predicted to end past ``budget`` (:data:`INNER_SECONDS_PER_WEIGHT`): :class:`UndecidedError`; with U$\pm$
    neurons the sign of $h$ on each cell of the arrangement.

    >>> [m.name for m in hidden_symmetries(Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]],
    ...                                                        [[-1], [1, -2], [0]]))]
    ['A-block trade', 'kink flips', 'H onto / off a kink']
    """
    deadline = None if budget is None else time.monotonic() + budget
    t = combinatorial_type(net, budget, progress)
    out = []
    idx = lambda cls: tuple(j for j, c in enumerate(t.classes) if c == cls)  # noqa: E731
    n0, n3 = net.architecture.input_dim, net.architecture.output_dim
    move = functools.partial(_move, layer=2 if t.case == "b" else 1)
    if t.case == "b":
        if t.regime == "constant":
            return (move("constant function", "continuous", None, "hidden",
                         tuple(range(len(t.classes))), "f is constant: every mechanism is hidden"),)
        view = RidgeView.of(net)
        Z, A = idx("Z"), idx("A")
        K = idx("K+") + idx("K-")
        if Z:
            out.append(move("dead neurons", "continuous", len(Z) * (n3 + 1), "dead on t > 0", Z,
                            "(v_j, e_j, c_j) free in {v < 0, e < 0} x Q^n3", freezes=True))
        if A:
            out.append(move("A-block trade", "continuous", len(A) * (n3 + 1) - n3, "compensated", A,
                            "only S_A = sum c_j v_j and K_A = sum c_j e_j + d are seen"))
            if K:
                out.append(move("kink flips", "discrete", 2 ** len(K), "compensated by the A block",
                                tuple(sorted(K)), "c s(vt+e) = c s(-vt-e) + c(vt+e)"))
        elif K and (sets := count_zero_sum_sets([tuple(view.v[j] * x for x in view.c[j]) for j in K])) != 1:
            out.append(move("kink flips absorbed by d", "discrete", sets, "compensated by d", tuple(sorted(K)),
                            "sum over S of c_j v_j = 0: flipping S changes f by a constant, absorbed by d (" +
                            ("the number of admissible flip sets, the empty one included" if sets is not None else
                             "the number of admissible flip sets is undecided") + ")"))
        out += _pair_moves(net, 2, t.classes, ("K+", "K-"), "d")
        m = len(ridge_profile(net).breakpoints)
        if len(t.classes) >= m:
            out.append(move("H onto / off a kink", "discrete", 2, "H hidden by layer 2 or on a kink",
                            tuple(j for j, c in enumerate(view.c) if any(c)),
                            "b' = b + beta, e'_j = e_j - v_j beta where c_j != 0, G flat between 0 and -beta: "
                            "H on a kink of G or off every kink"))
        silent = tuple(j for j, c in enumerate(t.classes) if c != "Z" and not any(view.c[j]))
        if silent:
            out.append(move("zero-output neurons", "continuous", len(silent), "output weights zero", silent,
                            "c_j = 0: (v_j, e_j) free (one dimension each beyond the scaling)"))
        groups: dict = {}
        for j, c in enumerate(t.classes):
            if c in ("K+", "K-") and any(view.c[j]):
                groups.setdefault((-view.e[j] / view.v[j], c), []).append(j)
        shared = tuple(sorted(j for g in groups.values() if len(g) > 1 for j in g))
        if shared:
            out.append(move("coincident kinks", "continuous",
                            n3 * sum(len(g) - 1 for g in groups.values()), "compensated", shared,
                            "kink neurons at one point with one orientation: only sum c_j v_j is seen"))
        # neurons with c_j = 0 do not stop layer 2 from hiding H
        if t.regime == "hidden" or all(c not in ("A", "K-") for c, cj in zip(t.classes, view.c, strict=True)
                                       if any(cj)):
            out.append(move("hidden hyperplane translation", "continuous", 1, "hidden by layer 2", (),
                            "b' = b + beta, e'_j = e_j - v_j beta while every e'_j < 0"))
        if t.reflective:
            out.append(move("reflection", "discrete", 2, "F constant at both ends", tuple(sorted(K)),
                            "w' = -w, b' = tau_max - b, kinks reflected, d' = F(-inf)"))
        return tuple(out)
    if t.regime == "constant":
        return (move("constant function", "continuous", None, "hidden", tuple(range(len(t.classes))),
                     "f is constant (c = 0 or P empty): every mechanism is hidden"),)
    Um, Up, Upm = idx("U-"), idx("U+"), idx("U+-")
    view = OuterView.of(net)
    late = INNER_SECONDS_PER_WEIGHT * net.widths[0] * net.widths[1]
    if predicted_late(deadline, late):
        raise UndecidedError(f"hidden_symmetries: the type was found, but the budget of {budget:.3g} s would be spent "
                             f"by the hidden symmetries of h (about {late:.1f} s for {net.widths[1]} neurons)")
    flips = [m for m in shallow_hidden_symmetries(view.inner) if m.name == "zero_factor"]
    if flips:       # the flip sets distinct up to the group of h are distinct up to G (c != 0 fixes mu = 1)
        live = [i for i, (w, vi) in enumerate(zip(view.w, view.v, strict=True)) if any(w) and vi != 0]
        sets = flips[0].multiplicity or count_zero_sum_sets([tuple(view.v[i] * x for x in view.w[i]) for i in live])
        out.append(move("zero-factor flips", "discrete", sets, "compensated by e", flips[0].neurons,
                        "sum over S of v_i w_i = 0: flipping S changes h by a constant, absorbed by e (" +
                        (f"{sets} flip sets S distinct up to G, the empty one included" if flips[0].multiplicity else
                         f"{sets} admissible flip sets S, the empty one included, not counted up to G" if sets else
                         "the number of admissible flip sets is undecided: a matroid component too large to count")
                        + ")"))
    D = idx("D")
    if D:
        out.append(move("constant neurons (D)", "continuous", None, "constant", D,
                        "w_i = 0 or v_i = 0: the neuron adds a constant to h (absorbed by e; removed by "
                        "DropConstantNeuron); v_i = 0 leaves (w_i, b_i) free, w_i = 0 trades v_i s(b_i) with e "
                        "(a closed condition: the dimension is not given; no conservation law claimed)"))
    if Um:
        out.append(move("hidden neurons (U-)", "continuous", len(Um) * (n0 + 1),
                        "hidden by the outer ReLU", Um, "dead on P: parameters free in an open set", freezes=True))
    if Up:
        out.append(move("U+ <-> e trade", "continuous", len(Up) * (n0 + 1) - n0, "compensated", Up,
                        "affine on P: any U+ neurons and e reproducing the same affine map on P"))
        V = idx("V")
        if V:
            out.append(move("flips absorbed by U+ neurons", "discrete", None, "compensated by the U+ neurons and e",
                            tuple(sorted(V + Up)), "a visible neuron flipped, (w, b) -> (-w, -b), changes h by "
                            "-v(w.x + b), affine on P: U+ neurons and e absorbing it on P while staying off P "
                            "(the number of admissible flip sets is undecided: it depends on P and on h' <= 0 "
                            "off P; each flip set is checked by TradeOnP when used)"))
    groups: dict = {}
    normals: dict = {}      # a neuron of each line: the rank of the normals does not see their scales
    # keyed on the integer form: normalising 4,096 rows of 784 rationals took 3 s
    for i, ((key, sigma), live, vi) in enumerate(zip(oriented_rows(view.w, view.b), view.w.nonzero_rows(), view.v,
                                                   strict=True)):
        if live and vi != 0:
            groups.setdefault((key, 1 if sigma > 0 else -1), []).append(i)
            normals.setdefault(key, i)
    out += _pair_moves(net, 1, t.classes, ("V",), "e")
    twins = [g for g in groups.values() if len(g) > 1]
    if twins:
        out.append(move("positive twins", "continuous", sum(len(g) - 1 for g in twins), "compensated",
                        tuple(sorted(i for g in twins for i in g)),
                        "rows (w_j, b_j) = lambda (w_i, b_i), lambda > 0: only v_i + lambda v_j is seen"))
    both = [key for key, sign in groups if sign == 1 and (key, -1) in groups]
    free = len(both) - rank([view.w.row(normals[key]) for key in both]) if both else 0
    if free:
        out.append(move("opposite pairs", "continuous", free, "compensated by e",
                        tuple(sorted(i for key in both for s in (1, -1) for i in groups[(key, s)])),
                        "s(z) - s(-z) = z: output weights traded within opposite pairs along sum_p Y_p w_p = 0"))
    V = idx("V")
    paired = [key for key in both if any(i in V for s in (1, -1) for i in groups[(key, s)])]
    if Up and paired:
        out.append(move("opposite pairs absorbed by U+ neurons", "continuous", None,
                        "compensated by the U+ neurons and e",
                        tuple(sorted({i for key in paired for s in (1, -1) for i in groups[(key, s)]} | set(Up))),
                        "output weights traded within opposite pairs on visible hyperplanes with sum_p Y_p w_p != 0: "
                        "the affine change absorbed on P by the U+ neurons (TradeOnP); at most rank(normals) "
                        "dimensions beyond the opposite pairs' own, the exact count undecided here"))
    patterns = _mixed_patterns(net, Upm, deadline) if Upm else None
    if Upm and rank([list(p) + [1] for p in patterns]) <= len(Upm):
        out.append(move("mixed hidden neurons (U+-)", "continuous", None, "hidden by the outer ReLU", Upm,
                        "P meets both sides of H_i but not H_i; their patterns on the components of P and the "
                        "constant 1 are dependent: to first order v_i l_i change along it, the U+ neurons and e "
                        "compensating (a kernel direction of the Jacobian; realisation.hidden_symmetries says "
                        "whether a member realises it)"))
    if t.regime == "T":
        out.append(move("e <-> d trade", "continuous", 1, "compensated", (),
                        "N is empty: f = c h + d is shallow with rank-one output"))
        low, high = extreme_values(view)
        if high is not None and high != low:
            out.append(move("reflection", "discrete", 2, "compensated by d", (),
                            "h bounded (M = sup h): h' = |mu|(M - h) + t, c' = -c/|mu|, d' = d + c(M + t/|mu|)"))
        at = [x for x, sign in ((low, 1), (high, -1)) if x is not None and high != low and _plateau(view, x, sign)]
        if at:
            out.append(move("plateau members", "discrete", None, "hidden by the outer ReLU on the plateau", (),
                            "members with h' < 0 on the plateau {h = " + " or ".join(map(str, at)) + "} "
                            "(EnterPlateau, after the reflection at sup h): necessary conditions hold (h constant "
                            "on an open set there and a hyperplane inside it); whether this width admits such "
                            "members is undecided here (fibre() lists them as plateau pieces); discrete, no "
                            "conservation law (the members' hidden neurons are listed at the members)"))
    elif t.regime == "PN" and not rank_at_least_two(view.w, [v != 0 for v in view.v]) and \
            any(live and v != 0 for live, v in zip(view.w.nonzero_rows(), view.v, strict=True)):     # rank 1
        top = sup_value(view)
        if top is not None and _plateau(view, top, -1):
            out.append(move("reflection", "discrete", None, "compensated by d", (),
                            f"rows parallel, h <= M = {top} and h = M on an open set: members with sigma(h') = "
                            "|mu|(M - sigma(h)), c' = -c/|mu|, d' = d + cM (ReflectPlateau); whether this width "
                            "admits them is undecided here (fibre() lists them: the pieces C and Cp)"))
    return tuple(out)

