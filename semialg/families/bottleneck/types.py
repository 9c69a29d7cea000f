r"""Combinatorial types of bottleneck parameters (the mechanisms they carry: :mod:`~.mechanisms`).

Case (b): the class of every second-layer neuron on $t = \sigma(z) > 0$ (A, K+, K−, Z) and whether the
first-layer hyperplane $H$ is hidden. Case (a): the class of every first-layer neuron relative to
$P = \{h > 0\}$ (V, U−, U+, U±, D) and the regime (PN, T, constant).

>>> combinatorial_type(Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])).classes
('A', 'K+')
"""

from __future__ import annotations

import collections
import operator
import time
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from flint import fmpq

from semialg.core.enclosure import certified_signs_on_lines
from semialg.core.exact import dot, fingerprint, nearest_float
from semialg.core.grid_point import GridPoint, MovedPoint, as_grid_points, grid_points
from semialg.core.network import Network
from semialg.core.result import Latexable
from semialg.errors import CertificateError, UndecidedError
from semialg.families.bottleneck.arrangement import NetworkArrangement, arrangement_of
from semialg.families.bottleneck.ridge import ridge_profile
from semialg.families.bottleneck.views import OuterView, RidgeView, _ZERO, _require, bottleneck_case
from semialg.geometry.arrangement import negate

__all__ = ["BottleneckType", "bottleneck_regime", "combinatorial_type", "type_before", "witnessed_type",
           "visibility_witnesses", "coordinate_witnesses", "check_on_hyperplanes"]


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
    a witness is not found. First every $H_k$ is reached along one coordinate from the draw where $h$ is largest
    (:meth:`_VisibilitySearch._coordinate_moves`: $O(n_1)$ certified flops a point,
    :func:`~semialg.core.enclosure.certified_signs_on_lines`; 784-4096-1-10: every neuron, 0.3 s). For the
    others, the projections on $H_k$ of the points inside $P$ nearest to it
    (:func:`_nearest_inside`) are ranked from one float product ($W\pi_k(y) = Wy - t\,Ww_k$), their best points
    rounded and moved onto $H_k$ exactly (:func:`_rounded`), and checked exactly in batches
    (:meth:`~semialg.core.network.Network.output_signs`); only the neurons whose best point fails are pushed one by
    one. ``None`` too once ``deadline`` (a :func:`time.monotonic` value) has passed: the exact check is
    $O(n_1^2n_0)$ products of integers, in batches of :data:`_CHECKED` points (784-4096: about 0.35 s each).
    A search cut short by its deadline is kept and resumed by the next call for the same $h$ (the last 2 networks;
    the identifiability routes classify one 784-4096-1-10 network six times, and repeated 2 s of float ranking
    each). Cost: that of :func:`witnessed_type`, with $O(n_1^2 n_0)$ flops for the ranking ($WW^T$ by blocks)."""
    return _search_of(view, draws, seed).run(deadline)


def coordinate_witnesses(view: OuterView, draws: int = 256, seed: int = 0) -> dict[int, MovedPoint]:
    r"""The points of :func:`visibility_witnesses` found along one coordinate (its first stage), neuron -> the
    :class:`~semialg.core.grid_point.MovedPoint` of the draw it moves: the compact form of the points for a
    certificate (:func:`check_on_hyperplanes` reads the draw once). Empty when the search for ``view`` has not
    ended or is no longer kept (the last two networks). Cost: $O(n_1)$."""
    search = _SEARCHES.get((view.inner, draws, seed))
    return dict(search.moved) if search is not None and search.result else {}


def check_on_hyperplanes(view: OuterView, on: Sequence, point: Callable) -> None:
    r"""Raise :class:`~semialg.errors.CertificateError` unless ``on[k]`` is a point of $H_k$ with $h > 0$ for every
    first-layer neuron $k$, each with $w_k \ne 0 \ne v_k$, exactly. A point is a
    :class:`~semialg.core.grid_point.MovedPoint` or what ``point(x, n_0)`` reads (the certificate's reader of a
    vector, raising on anything else; it reads the bases of moved points too). Plain points: their integer forms
    are made here from their entries (:func:`~semialg.core.grid_point.as_grid_points`), the signs of $h$ in one
    batch (:meth:`~semialg.core.network.Network.output_signs`), $w_k\cdot x + b_k = 0$ tested as
    $s w_k\cdot N + s b_k d = 0$ on integers. Moved points, per distinct base $y$: the exact pre-activations
    $z(y)$, $z_k(y) + W_{kj}(t - y_j) = 0$, the signs of $h$ by the line enclosure
    (:func:`~semialg.core.enclosure.certified_signs_on_lines`), exactly where it is uncertain. Cost: $O(n_1n_0)$
    integer operations for plain points; for moved points one exact evaluation and one float product per base,
    $O(n_1)$ a point (784-4096-1-10: 0.1 s against 2.5 s for the points written out).

    >>> view = OuterView.of(Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]]))
    >>> check_on_hyperplanes(view, [MovedPoint((fmpq(2), fmpq(2)), 0, fmpq(0)), (fmpq(3), fmpq(0))],
    ...                      lambda x, n: tuple(x))
    >>> check_on_hyperplanes(view, [MovedPoint((fmpq(1), fmpq(1)), 0, fmpq(0)), (fmpq(3), fmpq(0))],
    ...                      lambda x, n: tuple(x))
    Traceback (most recent call last):
    semialg.errors.CertificateError: the point for neuron 1 is not on its hyperplane inside P
    """
    n = view.inner.widths[0]
    if len(on) != len(view.w):
        raise CertificateError(f"{len(on)} points on hyperplanes for {len(view.w)} neurons")
    live = view.w.nonzero_rows().tolist()
    for k, v in enumerate(view.v):
        if not live[k] or v == 0:
            raise CertificateError(f"neuron {k + 1} has w = 0 or v = 0: not a kink")
    moved: dict[int, list] = collections.defaultdict(list)       # id(base) -> its moves: each base read once
    plain = []
    for k, q in enumerate(on):
        if type(q) is MovedPoint:
            moved[id(q.base)].append((k, q.coordinate, q.value))
        else:
            plain.append(k)
    points = as_grid_points([point(on[k], n) for k in plain])
    for k, q, y in zip(plain, points, view.inner.output_signs(points), strict=True):
        w, s = view.w.scaled_row(k)
        N, d = (q.numerators.tolist(), q.denominator) if type(q) is GridPoint else (q, 1)
        if sum(map(operator.mul, w, N)) + s * view.b[k] * d != 0 or not y[0] > 0:
            raise CertificateError(f"the point for neuron {k + 1} is not on its hyperplane inside P")
    for moves in moved.values():
        _check_moves(view, point(on[moves[0][0]].base, n), moves)


def _check_moves(view: OuterView, base: tuple, moves: list) -> None:
    """:func:`check_on_hyperplanes` for the points ``base`` moved by ``moves``, ``(k, j, t)``: coordinate $j$ to
    $t$ for a point of $H_k$."""
    h, n = view.inner, len(base)
    y = as_grid_points([base])[0]
    z = h.preactivations(y)[0]
    steps = []
    for k, j, t in moves:
        if type(j) is not int or not 0 <= j < n or type(t) is not fmpq:
            raise CertificateError(f"the point for neuron {k + 1} is not a coordinate of the input moved to a rational")
        steps.append(t - base[j])
        if z[k] + view.w.entry(k, j) * steps[-1] != 0:
            raise CertificateError(f"the point for neuron {k + 1} is not on its hyperplane inside P")
    sure = [False] * len(moves)
    if type(y) is GridPoint:
        signs, certain = certified_signs_on_lines(
            h.float_layers(), y.numerators.astype(np.float64), y.denominator, np.array([j for _, j, _ in moves]),
            np.array([nearest_float(y.denominator * t) for t in steps]))[-1]
        sure = (certain & (signs > 0))[:, 0].tolist()
    rest = [i for i, ok in enumerate(sure) if not ok]
    for i, y in zip(rest, h.output_signs([MovedPoint(base, *moves[i][1:]).point() for i in rest]), strict=True):
        if not y[0] > 0:
            raise CertificateError(f"the point for neuron {moves[i][0] + 1} is not on its hyperplane inside P")


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
        self.sure: dict[int, tuple] | None = None    # the points of _coordinate_moves, certified
        self.moved: dict[int, MovedPoint] = {}       # the same, as moves of the draw
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
            if self.sure is None:
                self._spent(deadline)
                self.sure = self._coordinate_moves(Z, planes)
                self.on.update(self.sure)
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
            self.candidates = [k for k in planes if on[k] is not None and k not in self.sure]
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

    def _coordinate_moves(self, Z: np.ndarray, planes: dict) -> dict[int, tuple]:
        r"""For each neuron $k$ of ``planes``, the point $p_k = y + t_k e_{j_k}$ of $H_k$ reached from the input
        $y$ where $h$ is largest (in floats, among the draws) along the coordinate $j_k$ of $H_k$'s pivot: those
        where :func:`~semialg.core.enclosure.certified_signs_on_lines` certifies $h(p_k) > 0$. $t_k =
        -z_k(y)/W_{kj_k}$ exactly from one exact evaluation at $y$; each point costs $O(n_1)$ flops, not the
        product of a projection and its exact check (784-4096-1-10: every neuron found so, 0.3 s against 1.5 s).
        Cost: one exact evaluation of the first layer, $O(n_1^2)$ flops."""
        v = self.h.float_layers()[1][0][0]
        r = int(np.argmax(np.maximum(Z, 0.0) @ v))
        y = self.ends[0] if r == 0 else grid_points(np.rint(self.X[r - 1] * 64).astype(np.int64)[None], 64)[0]
        if type(y) is not GridPoint:        # numerators past 2^62: left to the projections
            return {}
        z = self.h.preactivations(y)[0]
        W = self.view.w
        ks = list(planes)
        N = W.numerators if W.has_integer_form and W.numerators.dtype == np.int64 else None
        pivots = [W.row(k)[planes[k][3]] if N is None else fmpq(int(N[k, planes[k][3]]), W.denominator) for k in ks]
        moves = [(k, -z[k] / w) for k, w in zip(ks, pivots, strict=True) if w != 0]
        if not moves:
            return {}
        js = np.array([planes[k][3] for k, _ in moves], dtype=np.intp)
        signs, sure = certified_signs_on_lines(self.h.float_layers(), y.numerators.astype(np.float64), y.denominator,
                                               js, np.array([nearest_float(y.denominator * t) for _, t in moves]))[-1]
        for (k, t), j, s, c in zip(moves, js.tolist(), signs[:, 0], sure[:, 0], strict=True):
            if c and s > 0:
                self.moved[k] = MovedPoint(y, j, y[j] + t)
        return {k: y.with_entry(q.coordinate, q.value) for k, q in self.moved.items()}


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
    """:func:`_rounded` ``x`` if ``sign`` $\\cdot\\, h > 0$ there, decided exactly (certified floats first); else
    ``None``."""
    q = _rounded(x, plane)
    return q if sign * h.output_signs([q])[0][0] > 0 else None


_GRID = fmpq(64)     # the denominator of the points rounded from floats


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
