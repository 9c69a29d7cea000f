"""The exact piecewise-linear engine for ReLU networks of any depth.

A ReLU network is piecewise affine in its input. Its **linear regions** are the sets of inputs with a
fixed activation pattern (the sign of every hidden pre-activation) that have non-empty interior; on each
the network is one affine map $x \\mapsto Ax + c$. This module enumerates them exactly and builds on them:

- :func:`regions` — every region inside an optional open polytope, each with an exact interior point, its
  H-description and its affine map;
- :func:`equivalent` — $f_{\\theta_1} = f_{\\theta_2}$ for any depths and widths, via the common refinement;
- :func:`decisive_points` — inputs whose Jacobian rows span those of every input, for the exact functional
  dimension (:mod:`semialg.engine.functional_dimension`);
- :func:`batch_functional_dimension` and :func:`estimate_functional_dimension` (numeric, labelled).

Enumeration refines layer by layer: on a region of layers $1..l$ the pre-activations of layer $l+1$ are
affine, so layer $l+1$ cuts the region by a hyperplane arrangement, whose cells are found by flipping one
hyperplane at a time (the cells of an arrangement inside a convex set are connected by such flips), or, for the
first layer of generic weights (a simple arrangement of the whole space), read off its vertices without an LP
(:mod:`semialg.geometry.simple_arrangement`; 4-16-1: 19.6 s → 1.7 s, ``benchmarks/bench_arrangement_cells.py``). Every
cell is decided by :func:`semialg.geometry.polyhedron.strictly_feasible`: a claimed cell has a rational point that
satisfies its inequalities strictly, a rejected flip has exact Gordan multipliers, so no region is invented
or lost to floating point. The number of regions, and so the cost, is exponential in the input dimension
in the worst case.

>>> net = Network.from_arrays([[[1], [1]], [[1, -1]]], [[0, -1], [0]])      # clamp s(x) - s(x-1)
>>> [(r.pattern, r.linear, r.offset) for r in regions(net)]
[(((-1, -1),), ((0,),), (0,)), (((1, -1),), ((1,),), (0,)), (((1, 1),), ((0,),), (1,))]
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar, Sequence

from flint import fmpq, fmpq_mat

from semialg.core.result import Latexable
from semialg.core.certificate import (Certificate, EquivalenceResult, PointCertificate, Undecided,
                                      check_comparable, domain_fingerprint)
from semialg.errors import CertificateError, ParameterError, ShapeError, UndecidedError
from semialg.core.exact import dot, fingerprint, normalise_row, to_vector
from semialg.core.network import Network
from semialg.errors import check_budget
from semialg.engine.batch_rank import batch_functional_dimension
from semialg.engine.jacobian import (batch_jacobian, estimate_functional_dimension, numeric_jacobian,
                                     parameter_jacobian, sampled_rank_reaches)
from semialg.geometry.polyhedron import Polytope, decide, flip_neighbours
from semialg.geometry.simple_arrangement import simple_arrangement_cells

__all__ = [
    "Region", "regions", "count_regions", "equivalent", "RegionCertificate", "affine_map", "check_domain",
    "batch_functional_dimension",
    "estimate_functional_dimension", "decisive_batch", "decisive_points", "smooth_inputs", "sampled_rank_reaches",
    "parameter_jacobian", "batch_jacobian",
    "numeric_jacobian",
]

_ZERO, _ONE = fmpq(0), fmpq(1)
Vec = tuple[fmpq, ...]
Pattern = tuple[tuple[int, ...], ...]


def _sign(v: fmpq) -> int:
    return (v > 0) - (v < 0)


def _layer(W: fmpq_mat, b: fmpq_mat, A: fmpq_mat | None, c: fmpq_mat | None) -> tuple[fmpq_mat, fmpq_mat]:
    r"""Pre-activations $W(Ax + c) + b$ of a layer as an affine map of the input: ``(WA, Wc + b)``; ``A = c = None``
    is the identity (no $d \times d$ matrix: 20,000 inputs would make it $4 \cdot 10^8$ rationals)."""
    return (W, b) if A is None else (W * A, W * c + b)


def _mask(P: fmpq_mat, q: fmpq_mat, signs: Sequence[int]) -> tuple[fmpq_mat, fmpq_mat]:
    """The ReLU on a fixed pattern: keep the rows with sign $+1$, zero the others."""
    d = P.ncols()
    return (fmpq_mat(P.nrows(), d, [P[i, j] if s > 0 else _ZERO for i, s in enumerate(signs) for j in range(d)]),
            fmpq_mat(q.nrows(), 1, [q[i, 0] if s > 0 else _ZERO for i, s in enumerate(signs)]))


def affine_map(net: Network, pattern: Pattern) -> tuple[tuple[Vec, ...], Vec]:
    """The affine map $(A, c)$ that ``net`` computes on the inputs with activation ``pattern``.

    A neuron of sign $0$ or $-1$ is off. Cost: $O(L\\,n^2 d)$ for width $n$, depth $L$, input dimension $d$.

    >>> net = Network.from_arrays([[[1], [1]], [[1, -1]]], [[0, -1], [0]])
    >>> affine_map(net, ((1, 1),))
    (((0,),), (1,))
    """
    if len(pattern) != net.depth - 1 or any(len(p) != n for p, n in zip(pattern, net.widths[1:-1], strict=False)):
        raise ShapeError(f"pattern does not match the hidden widths {net.widths[1:-1]}")
    A, c = None, None
    for l, (W, b) in enumerate(net._mats):
        A, c = _layer(W, b, A, c)
        if l < net.depth - 1:
            A, c = _mask(A, c, pattern[l])
    return _rows(A), tuple(c.entries())


def _rows(M: fmpq_mat) -> tuple[Vec, ...]:
    return tuple(tuple(M[i, j] for j in range(M.ncols())) for i in range(M.nrows()))


# -- regions -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Region(Latexable):
    """A linear region: activation ``pattern``, rational interior ``point``, H-description and affine map.

    The region is $\\{x : g\\cdot x + h > 0 \\text{ for all } (g, h) \\in\\ \\mathtt{inequalities}\\}$ (the
    description may contain redundant inequalities); on it $f(x) = \\mathtt{linear}\\,x + \\mathtt{offset}$.
    """

    pattern: Pattern
    point: Vec
    inequalities: tuple[tuple[Vec, fmpq], ...]
    linear: tuple[Vec, ...]
    offset: Vec

    def describe(self) -> str:
        return (f"linear region with activation pattern {self.pattern}, containing "
                f"({', '.join(map(str, self.point))}), cut out by {len(self.inequalities)} inequalities")

    def contains(self, x) -> bool:
        """Exact test that ``x`` lies in the (open) region."""
        x = to_vector(x, len(self.point), where="x")
        return all(dot(g, x) + h > 0 for g, h in self.inequalities)

    def __call__(self, x) -> Vec:
        """The region's affine map at ``x`` (equal to the network on the region)."""
        x = to_vector(x, len(self.point), where="x")
        return tuple(dot(a, x) + c for a, c in zip(self.linear, self.offset, strict=True))

    def somewhere_positive(self, a: Vec, c: fmpq) -> bool:
        r"""Whether $a \cdot x + c > 0$ somewhere in the open region: at its own point, else one exact
        strict-feasibility test (:func:`~semialg.geometry.polyhedron.decide`). Answers are kept per $(a, c)$: a
        witness search and the check of the move it finds ask the same questions (4-16-16-2: 1,500 tests, 1 s).
        Cost: $O(\dim)$ when the point answers, else one exact LP; a dictionary lookup when asked again.

        >>> R = Region((1,), (fmpq(1),), (((fmpq(1),), fmpq(0)), ((fmpq(-1),), fmpq(2))), ((fmpq(1),),), (fmpq(0),))
        >>> R.somewhere_positive((fmpq(1),), fmpq(-3)), R.somewhere_positive((fmpq(1),), fmpq(-3, 2))   # 0 < x < 2
        (False, True)
        """
        key = (fingerprint(a), c.p, c.q)
        if key not in self._positive:
            G, h = [g for g, _ in self.inequalities], [v for _, v in self.inequalities]
            self._positive[key] = dot(a, self.point) + c > 0 or bool(decide(G + [a], h + [c], len(self.point)))
        return self._positive[key]

    @cached_property
    def _positive(self) -> dict:
        return {}

    def step(self) -> fmpq:
        """A rational $\\varepsilon > 0$ such that the box $\\mathtt{point} \\pm \\varepsilon e_j$ stays in the region."""
        eps = _ONE
        for g, h in self.inequalities:
            slack = dot(g, self.point) + h
            worst = sum((abs(v) for v in g), _ZERO)
            if worst:
                eps = min(eps, slack / (2 * worst))
        return eps


@dataclass
class _Cell:
    inequalities: list
    point: Vec
    maps: list            # per network: (A, c) of the current activations, or the output map at the end
    patterns: list        # per network: list of layer patterns so far


def _start_signs(rows: list[tuple[Vec, fmpq]], x0: Vec) -> list[int]:
    """Signs at $x_0 + \\varepsilon v$ for small $\\varepsilon$, with $v$ off every hyperplane through $x_0$."""
    values = [dot(g, x0) + h for g, h in rows]
    through = [g for (g, _), v in zip(rows, values, strict=True) if v == 0]
    t = 1
    while True:
        v = [fmpq(t) ** j for j in range(len(x0))]
        if all(dot(g, v) != 0 for g in through):
            break
        t += 1  # each g . (1, t, t^2, ...) is a non-zero polynomial in t: finitely many bad t
    return [_sign(val) if val else _sign(dot(g, v)) for (g, _), val in zip(rows, values, strict=True)]


def _system(constraints: list) -> tuple[list, list]:
    return [g for g, _ in constraints], [h for _, h in constraints]


class _DeadlinePassed(Exception):
    pass


def _arrangement_cells(base: list, x0: Vec, rows: list[tuple[Vec, fmpq]], deadline: float | None = None):
    """Cells of the arrangement of the hyperplanes ``rows`` inside the open polyhedron ``base`` containing $x_0$.

    Yields ``(signs, point, inequalities)`` per cell, signs indexed like ``rows``. In the whole space, when the
    arrangement is simple and essential (generic weights), read off its vertices
    (:func:`~semialg.geometry.simple_arrangement.simple_arrangement_cells`: no LP). Else a breadth-first search
    over cells: a cell's neighbours are the flips of one sign that are non-empty, i.e. its facets among
    ``rows``, found for all flips at once by :func:`semialg.geometry.polyhedron.flip_neighbours` (one float
    polytope computation per cell, one exact check per flip). Hyperplanes that miss ``base`` are simply never
    facets. Lazily: a cell is yielded once its own flips are decided, so that a caller wanting a few regions
    (the functional dimension, one region of each cell of the layer before, round robin) pays for those only.
    """
    d = len(x0)
    offset = len(base)
    try:        # the whole space cut by a simple arrangement (generic first layers): its vertices, no LP
        simple = None if base else simple_arrangement_cells(rows, deadline)
    except UndecidedError:
        raise _DeadlinePassed from None
    if simple is not None:
        for signs, point, facets, _, _ in simple:
            yield signs, point, [(tuple(signs[j] * v for v in rows[j][0]), signs[j] * rows[j][1]) for j in facets]
        return

    def system(signs: tuple) -> tuple[list, list]:
        return _system(base + [(tuple(s * v for v in g), s * c) for s, (g, c) in zip(signs, rows, strict=True)])

    start = tuple(_start_signs(rows, x0))
    if deadline is not None and time.monotonic() > deadline:
        raise _DeadlinePassed
    G, h = system(start)
    if all(dot(g, x0) + c > 0 for g, c in zip(G, h, strict=True)):
        cells = {start: x0}        # on no hyperplane: no LP (one of 4,096 rows in 784 variables takes 80 s)
    else:                          # x0 on a hyperplane: a point inside the cell
        try:
            cells = {start: decide(G, h, d, deadline=deadline).point}
        except UndecidedError:
            raise _DeadlinePassed from None
    empty, queue = set(), deque([start])
    while queue:
        if deadline is not None and time.monotonic() > deadline:
            raise _DeadlinePassed
        signs = queue.popleft()
        flips = [signs[:j] + (-signs[j],) + signs[j + 1:] for j in range(len(rows))]
        todo = [j for j, nb in enumerate(flips) if nb not in cells and nb not in empty]
        try:
            found = flip_neighbours(*system(signs), cells[signs], [offset + j for j in todo], deadline)
        except UndecidedError:
            raise _DeadlinePassed from None
        for j in todo:
            point = found[offset + j]
            if point is None:
                empty.add(flips[j])
            else:
                cells[flips[j]] = point
                queue.append(flips[j])
        yield signs, cells[signs], base + [(tuple(signs[j] * v for v in rows[j][0]), signs[j] * rows[j][1])
                                           for j, nb in enumerate(flips) if nb in cells]


def _split(cell: _Cell, nets: Sequence[Network], level: int, deadline: float | None = None):
    """Refine ``cell`` by the hidden layer ``level`` (0-based) of every network that has one, lazily."""
    pre, member, hyper, classes = {}, {}, [], {}
    for t, net in enumerate(nets):
        if level >= net.depth - 1:
            continue
        W, b = net._mats[level]
        P, q = _layer(W, b, *cell.maps[t])
        pre[t] = (P, q)
        for i in range(P.nrows()):
            if i % 256 == 0 and deadline is not None and time.monotonic() > deadline:
                raise _DeadlinePassed       # reading 4,096 rows of 784 rationals takes seconds
            g = tuple(P[i, j] for j in range(P.ncols()))
            if any(g):
                key, _, s = normalise_row(g + (q[i, 0],))
                fp = fingerprint(key)
                if fp not in classes:
                    classes[fp] = len(hyper)
                    hyper.append((key[:-1], key[-1]))
                member[t, i] = (classes[fp], s)
    cells = (_arrangement_cells(cell.inequalities, cell.point, hyper, deadline) if hyper
             else [((), cell.point, cell.inequalities)])
    for signs, point, ineq in cells:
        maps, patterns = list(cell.maps), [list(p) for p in cell.patterns]
        for t, (P, q) in pre.items():
            layer_signs = tuple(signs[member[t, i][0]] * member[t, i][1] if (t, i) in member
                                else _sign(q[i, 0]) for i in range(P.nrows()))
            patterns[t].append(layer_signs)
            maps[t] = _mask(P, q, layer_signs)
        yield _Cell(ineq, point, maps, patterns)


def _iter_cells(nets: Sequence[Network], domain: Polytope | None, progress: bool = False,
                deadline: float | None = None):
    """The regions of the common refinement of ``nets``, one at a time, final maps attached.

    Lazy, so that a caller that needs only some regions (the functional dimension stops at its upper bound)
    does not pay for all. Raises :class:`_DeadlinePassed` after ``deadline`` (a :func:`time.monotonic` value).
    """
    d = nets[0].architecture.input_dim
    domain = check_domain(domain)    # here, so that every caller (decisive_points too) refuses a wrong type
    base = list(domain.inequalities) if domain is not None else []
    if domain is not None and domain.dim != d:
        raise ShapeError(f"the domain lives in dimension {domain.dim}, the network input in dimension {d}")
    start = decide(*_system(base), d)
    if not start:
        raise ParameterError("the domain has empty interior")
    levels = max(net.depth for net in nets) - 1
    from tqdm.auto import tqdm

    def descend(cell: _Cell, level: int):
        if deadline is not None and time.monotonic() > deadline:
            raise _DeadlinePassed
        if level == levels:
            for t, net in enumerate(nets):
                W, b = net._mats[-1]
                cell.maps[t] = _layer(W, b, *cell.maps[t])
            yield cell
            return
        # Round robin over the sub-cells: early regions differ in every layer's pattern, which lets the
        # functional dimension stop early (depth first, thousands share the first layer's pattern). The
        # sub-cells are found lazily, one region of each first: a cell's sub-cells cost an LP-backed search each.
        pending = deque()
        for sub in _split(cell, nets, level, deadline):
            gen = descend(sub, level + 1)
            for found in gen:
                yield found
                pending.append(gen)
                break
        while pending:
            gen = pending.popleft()
            for found in gen:
                yield found
                pending.append(gen)
                break

    with tqdm(desc="regions", unit="region", disable=None if progress is None else not progress,
              delay=0 if progress else 2, leave=bool(progress)) as bar:
        for cell in descend(_Cell(base, start.point, [(None, None) for _ in nets], [[] for _ in nets]), 0):
            bar.update()
            yield cell


def _refine(nets: Sequence[Network], domain: Polytope | None, progress: bool = False,
            deadline: float | None = None) -> list[_Cell] | None:
    """All regions of the common refinement, or ``None`` if the ``deadline`` passed first."""
    try:
        return list(_iter_cells(nets, domain, progress, deadline))
    except _DeadlinePassed:
        return None  # the budget is spent: the caller reports "undecided"


def check_domain(domain) -> Polytope | None:
    """``domain`` if it is a :class:`~semialg.geometry.polyhedron.Polytope` or ``None``, else a one-line
    :class:`ParameterError` naming its type."""
    if domain is None or isinstance(domain, Polytope):
        return domain
    raise ParameterError(f"domain must be a Polytope or None, not {type(domain).__name__}")


def _budgeted(net: Network, domain: Polytope | None, progress: bool, budget: float | None) -> list[_Cell]:
    """All regions of ``net``, or :class:`UndecidedError` saying how far the enumeration got in ``budget`` s."""
    deadline = None if budget is None else time.monotonic() + budget
    found: list[_Cell] = []
    try:
        found.extend(_iter_cells((net,), check_domain(domain), progress, deadline))
    except _DeadlinePassed:
        raise UndecidedError(f"region enumeration: the budget of {budget} s was spent after {len(found)} "
                             f"regions; the total is unknown") from None
    return found


def regions(net: Network, domain: Polytope | None = None, progress: bool = False,
            budget: float | None = None) -> list[Region]:
    """Every linear region of ``net`` inside the open polytope ``domain`` (default: all of $\\mathbb{R}^d$).

    Regions are sorted by activation pattern. Layer by layer, each region is cut by the next layer's
    hyperplanes; the cells are found breadth first, all flips of a cell decided at once by
    :func:`semialg.geometry.polyhedron.flip_neighbours` (one float polytope computation per cell and one
    exact check per hyperplane, exact LPs only as fallback). The first layer's cells, when its hyperplanes form
    a simple arrangement of the whole space (generic weights, $d \\le 10$), are read off its vertices instead
    (:func:`~semialg.geometry.simple_arrangement.simple_arrangement_cells`: $\\binom{N}{d}$ exact inverses, no LP;
    4-16-1: 1.7 s against 19.6 s). Cost: $O(R\\,N\\,d)$ exact operations plus one
    Qhull call per region for $R$ regions and $N$ hidden neurons (measured: the cost per region grows 1.7x
    from 2-16-1 to 2-32-1); $R \\le \\sum_{i \\le d}\\binom{N}{i}$ for one hidden layer and exponential in depth in
    the worst case. ``progress`` shows a tqdm bar (``None``: on a terminal, after 2 s); after ``budget`` seconds :class:`UndecidedError` says how
    many regions were found.

    Four lines in general position in the plane make $1 + 4 + \\binom{4}{2} = 11$ regions:

    >>> net = Network.from_arrays([[[1, 0], [0, 1], [1, 1], [1, -1]], [[1, 1, 1, 1]]], [[0, 0, -1, 2], [0]])
    >>> len(regions(net))
    11
    >>> len(regions(net, Polytope.box([0, 0], [1, 1])))      # only x + y = 1 crosses the open square
    2
    """
    budget = None if budget is None else check_budget(budget, seconds=True)
    cells = _budgeted(net, domain, progress, budget)
    out = [Region(tuple(cell.patterns[0]), cell.point, tuple(cell.inequalities), _rows(cell.maps[0][0]),
                  tuple(cell.maps[0][1].entries())) for cell in cells]
    return sorted(out, key=lambda r: r.pattern)


def count_regions(net: Network, domain: Polytope | None = None, progress: bool = False,
                  budget: float | None = None) -> int:
    """The number of linear regions (activation patterns with non-empty interior) in ``domain``; ``progress``
    and ``budget`` as for :func:`regions`."""
    budget = None if budget is None else check_budget(budget, seconds=True)
    return len(_budgeted(net, domain, progress, budget))


# -- the equivalence oracle ----------------------------------------------------------------------------

@dataclass(frozen=True)
class RegionCertificate(Certificate):
    """Both networks compute the same affine map on every region of the common refinement.

    ``cells`` lists, for every region of the common refinement, its rational interior point and the two
    activation patterns there. ``verify(net1, net2, domain=None)`` re-checks each pattern at its point by exact
    evaluation, recomputes both affine maps from the patterns and compares them, and re-enumerates the common
    refinement to confirm that the list is complete. ``domain`` is the claim's domain (``None``: the whole
    input space) and must be the one the certificate covers, so a certificate over a box never verifies a claim
    about the whole space, even when called directly.
    """

    SUPPORTS: ClassVar[frozenset] = frozenset({True})

    cells: tuple[tuple[Vec, Pattern, Pattern], ...]
    domain: Polytope | None = None

    def verify(self, net1: Network, net2: Network, domain: Polytope | None = None) -> bool:
        if domain_fingerprint(domain) != domain_fingerprint(self.domain):
            raise CertificateError("the certificate covers " + ("the whole input space" if self.domain is None
                                   else "a bounded domain") + ", the claim is about " +
                                   ("the whole input space" if domain is None else "another domain"))
        for x, p1, p2 in self.cells:
            for net, p in ((net1, p1), (net2, p2)):
                if net.activation_pattern(x) != p:
                    raise CertificateError(f"the activation pattern at {[str(v) for v in x]} is not {p}")
            if affine_map(net1, p1) != affine_map(net2, p2):
                raise CertificateError(f"the affine maps differ on the region of {[str(v) for v in x]}")
        fresh = {(tuple(c.patterns[0]), tuple(c.patterns[1])) for c in _refine((net1, net2), self.domain)}
        if fresh != {(p1, p2) for _, p1, p2 in self.cells}:
            raise CertificateError("the listed regions are not the common refinement")
        return True

    def describe(self) -> str:
        where = "" if self.domain is None else " inside the domain"
        return (f"both networks compute the same affine map on each of the {len(self.cells)} regions of "
                f"their common refinement{where}")


def _separating_point(cell: _Cell) -> Vec:
    """A rational point of ``cell`` where the two (different) affine maps differ."""
    (A1, c1), (A2, c2) = cell.maps
    x = cell.point
    if (A1 * _col(x) + c1) != (A2 * _col(x) + c2):
        return x
    # The maps agree at x but not everywhere: move along a coordinate where the linear parts differ.
    j = next(j for j in range(A1.ncols()) if any(A1[i, j] != A2[i, j] for i in range(A1.nrows())))
    probe = Region((), x, tuple(cell.inequalities), (), ())
    eps = probe.step()
    return tuple(v + eps if i == j else v for i, v in enumerate(x))


def _col(x: Vec) -> fmpq_mat:
    return fmpq_mat(len(x), 1, list(x))


def equivalent(net1: Network, net2: Network, domain: Polytope | None = None,
               progress: bool = False, deadline: float | None = None) -> EquivalenceResult:
    """Decide $f_{\\theta_1} = f_{\\theta_2}$ (on ``domain``) for networks of any depths and widths.

    Enumerates the common refinement of both region structures (the regions of the two networks run side
    by side) and compares the affine maps on each. Certificate: a :class:`PointCertificate` with a rational
    input where the outputs differ, or a :class:`RegionCertificate`. Exponential in the worst case (the
    number of regions); it is the ground truth the fast shallow and bottleneck algorithms are tested against.
    With a ``deadline`` (a :func:`time.monotonic` value) the refinement stops when it passes and the result
    is undecided (:class:`~semialg.core.certificate.Undecided`).

    >>> n1 = Network.from_arrays([[[1], [1]], [[1, -1]]], [[0, -1], [0]])
    >>> n2 = Network.from_arrays([[[-1], [-1]], [[1, -1]]], [[0, 1], [1]])
    >>> r = equivalent(n1, n2); bool(r), r.verify(n1, n2)
    (True, True)
    """
    check_comparable(net1, net2)
    domain = check_domain(domain)
    cells = _refine((net1, net2), domain, progress, deadline)
    if cells is None:
        return EquivalenceResult(None, Undecided(("region refinement stopped at the deadline",)),
                                 method="region refinement", domain=domain)
    for cell in cells:
        if cell.maps[0][0] != cell.maps[1][0] or cell.maps[0][1] != cell.maps[1][1]:
            x = _separating_point(cell)
            return EquivalenceResult(False, PointCertificate(x, (net1(x), net2(x))), method="region refinement",
                                     domain=domain)
    cert = RegionCertificate(tuple((c.point, tuple(c.patterns[0]), tuple(c.patterns[1])) for c in cells), domain)
    return EquivalenceResult(True, cert, method="region refinement", domain=domain)


def decisive_points(net: Network, domain: Polytope | None = None, deadline: float | None = None):
    """Per region, lazily: ``(pattern, points)`` with $d + 1$ affinely independent points of the region.

    Raises :class:`~semialg.errors.UndecidedError` naming the number of regions done once ``deadline`` (a
    :func:`time.monotonic` value) has passed. Cost: that of the region enumeration, $O(d)$ points per region.
    """
    done = 0
    try:
        for cell in _iter_cells((net,), domain, deadline=deadline):
            reg = Region(tuple(cell.patterns[0]), cell.point, tuple(cell.inequalities), (), ())
            eps = reg.step()
            done += 1
            yield reg.pattern, [reg.point] + [tuple(v + eps if i == j else v for i, v in enumerate(reg.point))
                                              for j in range(len(reg.point))]
    except _DeadlinePassed:
        raise UndecidedError(f"region enumeration: the deadline passed after {done} regions") from None


def decisive_batch(net: Network, domain: Polytope | None = None,
                   deadline: float | None = None) -> list[tuple[Vec, Pattern]]:
    """Inputs whose Jacobian rows span those of every input: $d + 1$ affinely independent points in each region.

    On a region the Jacobian is affine in $x$, so its row space over the region is spanned by its values at
    $d + 1$ affinely independent points — one point per region is not enough (the network $a\\,\\sigma(wx + b) + c$ has functional dimension $3$ but one point per
    region gives rank $2$). Returns ``(x, pattern)`` pairs, regions sorted by pattern; past ``deadline`` (a
    :func:`time.monotonic` value) the enumeration raises :class:`~semialg.errors.UndecidedError`.
    """
    return [(x, pattern) for pattern, points in sorted(decisive_points(net, domain, deadline=deadline))
            for x in points]


def smooth_inputs(net: Network, deadline: float | None = None) -> tuple[Vec, ...]:
    """The inputs of :func:`decisive_batch` at which no hidden pre-activation vanishes (there the Jacobian rows are
    derivatives of $f$), or ``()`` once ``deadline`` (a :func:`time.monotonic` value) has passed during the regions.
    Cost: that of :func:`decisive_batch` and one batch of exact patterns
    (:meth:`~semialg.core.network.Network.activation_patterns`; point by point: 8 s for the 12,610 inputs of a
    4-8-8-2 network, which ran 10 s past a budget of 2 s of ``identifiable`` before the regions kept the deadline).

    >>> len(smooth_inputs(Network.from_arrays([[[1]], [[1]]], [[0], [0]])))     # two regions, two points each
    4
    """
    try:
        inputs = [x for x, _ in decisive_batch(net, deadline=deadline)]
    except UndecidedError:
        return ()
    return tuple(x for x, p in zip(inputs, net.activation_patterns(inputs), strict=True)
                 if not any(0 in layer for layer in p))
