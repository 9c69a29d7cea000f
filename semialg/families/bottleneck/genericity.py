r"""Genericity of bottleneck parameters: the Zariski-closed loci beyond the layerwise ones, and the open
type conditions under which the fibre formulas hold.

Case (b): a second-layer bias $e_j = 0$ and a vanishing block slope $\sum_{j\in S} c_jv_j = 0$. Case (a): the
type conditions (not constant, no U± neuron, no tangent hidden hyperplane, no arrangement vertex on
$\{h = 0\}$).

>>> net = Network.from_arrays([[[1]], [[1], [2]], [[1, 1]]], [[0], [-1, -2], [0]])
>>> [c.holds for c in genericity_checks(net)]
[True, True]
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math

from semialg.core.lazy import sympy  # imported on first use: start-up time

from semialg.core.exact import dot, rank, solve
from semialg.core.network import Architecture, Network
from semialg.engine.loci import (Condition, Locus, LocusFamily, degeneracy_loci, genericity, subset_count,
                                 zero_factor_condition)
from semialg.errors import ArchitectureError, CertificateError, UndecidedError
from semialg.families.bottleneck.arrangement import NetworkArrangement, extreme_values, sup_on_line
from semialg.families.bottleneck.hidden_region import boundary_points
from semialg.families.bottleneck.types import BottleneckType, combinatorial_type
from semialg.families.bottleneck.views import OuterView, RidgeView, _scale, bottleneck_case

__all__ = ["genericity_checks", "type_checks", "BOTTLENECK_SCOPE"]


INNER_ZERO_FACTOR = "no zero factor of the first two layers"
#: The type condition only the local dimension at $\theta$ needs, not the explicit fibre (:func:`type_checks`).
LOCAL_ONLY = "no ray of P orthogonal to every U+ row"
HIDDEN_CONE = "hidden rows free (C* full-dimensional)"
#: Conditions the explicit hidden fibre does not need (its exact LPs find the forced equalities): only the
#: dimension formula and the local dimension at $\theta$ do.
FIBRE_NEEDS_NOT = (LOCAL_ONLY, HIDDEN_CONE)


def _inner_zero_factor(net: Network, budget: int) -> Condition:
    """The shallow 0-factor condition of the inner network $h$, re-checked on $h$ of the network it verifies."""
    c = zero_factor_condition(OuterView.of(net).inner, budget)
    shallow_check = c.check
    return dataclasses.replace(c, name=INNER_ZERO_FACTOR, check=lambda other, cond: shallow_check(
        OuterView.of(other).inner, cond))


def _condition(name: str, holds: bool | None, witness, detail: str) -> Condition:
    return Condition(name, holds, witness, None, detail, _recheck)


def _recheck(net: Network, c: Condition) -> bool:
    """Re-decide a bottleneck condition from scratch and compare with the claim."""
    fresh = {g.name: g for g in genericity_checks(net) + type_checks(net)}.get(c.name)
    if fresh is None or (fresh.holds, fresh.witness) != (c.holds, c.witness):
        raise CertificateError(f"condition {c.name!r} does not hold as claimed at this parameter")
    return True


def genericity_checks(net: Network, budget: int = 2 ** 20) -> list[Condition]:
    r"""The Zariski-closed bottleneck conditions beyond the layerwise ones (dead neurons, dependent rows).

    Case (b): $e_j \ne 0$ (a kink at $H$) and no non-empty $S$ with $\sum_{j \in S} c_jv_j = 0$, which contains
    the note's $G'(0^+) = \sum_{A \cup K^-} c_jv_j \ne 0$ and $\sum_{A \cup K^+} c_jv_j \ne 0$ (decided exactly by
    :func:`semialg.geometry.zero_sum.find_zero_sum_set`; ``holds`` is ``None`` if its budget runs out). Distinct
    breakpoints ($e_iv_j \ne e_jv_i$) and $v_j \ne 0$ are the layerwise dependent-row and dead-input loci.
    Case (a): the inner shallow network $h$ of the first two layers has no 0-factor — no non-empty $S$ with
    $\sum_{i\in S} v_iw_i = 0$ (otherwise flipping $S$ and moving $e$ keeps $h$ up to an affine term that can
    be absorbed, and the fibre has more components); decided by
    :func:`semialg.engine.loci.zero_factor_condition` on $h$, with its witness or certificate. The other
    case-(a) type conditions (:func:`type_checks`) that fail only on a closed nowhere dense set — each inside an
    algebraic hypersurface: :data:`CLOSED_TYPE_CONDITIONS` — count as degeneracies too, decided exactly when the
    first layer's arrangement is small (:func:`_arrangement_is_small`), else reported undecided (a parameter
    failing one is not generic: its fibre is not of the type's structure; e.g. with $\min h = 0$ in regime T).
    The open ones (no U$\pm$ neuron, not constant) select the type, not genericity. Witnesses are 0-based.
    """
    case = bottleneck_case(net)
    if case == "a":
        return [_inner_zero_factor(net, budget)] + _closed_type_conditions(net)
    if case != "b":
        return []
    from semialg.geometry.zero_sum import find_zero_sum_set
    view = RidgeView.of(net)
    zero_e = [j for j, e in enumerate(view.e) if e == 0]
    out = [_condition("e_j != 0", not zero_e, tuple(zero_e[:1]) or None,
                        f"e_{zero_e[0]} = 0: a kink sits on the first-layer hyperplane" if zero_e
                        else "every second-layer bias e_j is non-zero")]
    decision = find_zero_sum_set([_scale(v, c) for v, c in zip(view.v, view.c, strict=True)], budget)
    holds = {"none": True, "found": False, "undecided": None}[decision.status]
    detail = {"none": "no non-empty S has sum_S c_j v_j = 0",
              "found": f"sum of c_j v_j over S = {list(decision.witness or ())} vanishes",
              "undecided": "block-slope search undecided: " + "; ".join(decision.tried)}[decision.status]
    out.append(_condition("no vanishing block slope", holds, decision.witness, detail))
    return out


def type_checks(net: Network, clock=None) -> list[Condition]:
    r"""The open (type) conditions under which the fibre formulas hold: $f$ not constant; in case (a) also no
    U$\pm$ neuron, no hidden hyperplane touching $\partial P$ without entering $P$ and no vertex of the
    arrangement on $\{h = 0\}$ (a point of a minimal flat when the rows have rank $< n_0$), decided exactly: in the
    plane on the lines, for $n_0 \ge 3$ from the vertices and rays of the closed cells
    (:func:`~semialg.families.bottleneck.hidden_region.boundary_points`). For $n_0 \ge 2$ also: the first-layer
    rows have rank $\min(n_0, n_1)$ (below it, $\overline P$ is a cylinder along the common kernel $L$, a U−
    neuron can no longer tilt out of $L^\perp$ and the fibre is smaller than $D$ minus the functional dimension).
    In regime T: $\min h > 0$ (:func:`_positive_minimum`). With hidden neurons: $C^*$ full-dimensional
    (:func:`_hidden_row_conditions`). In every dimension: no block of two or more U+ neurons of one sign orthogonal to a recession direction of
    $\overline P$ (:data:`LOCAL_ONLY`, needed only by the local dimension at $\theta$). ``clock`` (optional,
    :class:`~.obstructions._Clock`) bounds the cells of the arrangement and their polyhedra for $n_0 \ge 3$ and the
    hidden region: :class:`~semialg.errors.UndecidedError` when it runs out.
    """
    t = combinatorial_type(net)
    out = [_condition("not constant", t.regime != "constant", None if t.regime != "constant" else (),
                        f"regime {t.regime}")]
    if t.case == "b":
        return out
    if t.regime == "T":
        out.append(_positive_minimum(net))
    mixed = tuple(i for i, c in enumerate(t.classes) if c == "U+-")
    out.append(_condition("no U+- neuron", not mixed, mixed or None,
                            f"neurons {list(mixed)} are mixed hidden (U+-)" if mixed else "no mixed hidden neuron"))
    n0, n1 = net.architecture.widths[:2]
    if n0 >= 2:
        r = rank(net.weights[0])
        out.append(_condition("full first-layer rank", r == min(n0, n1), None if r == min(n0, n1) else (r,),
                              f"the first-layer rows have rank {r} < min(n0, n1): every hidden hyperplane "
                              f"contains the lineality directions" if r < min(n0, n1) else
                              "the first-layer rows have rank min(n0, n1)"))
    if n0 > 2:     # from the vertices and rays of the closed cells
        return out + _boundary_conditions(*boundary_points(net, clock)) + _hidden_row_conditions(net, t, clock)
    view = OuterView.of(net)
    arr = NetworkArrangement((net,), with_cells=False)
    touching = None
    visible = [c for c, w in zip(t.classes, view.w, strict=True) if any(w)]
    for count, ((k, s, *_), cls) in enumerate(zip(arr.neuron_data(view.inner)[0], visible, strict=True)):
        if clock is not None and count % 16 == 15:      # one batch of evaluations per line: a few ms
            clock.check("the hidden hyperplanes' suprema")
        if cls in ("U-", "U+") and sup_on_line(arr, view, k) == 0:
            touching = k
            break
    vertices = [solve(A, [-arr.lines[k][2], -arr.lines[l][2]])
                for k, l in itertools.combinations(range(len(arr.network_lines)), 2)
                for A in ([list(arr.lines[k][:2]), list(arr.lines[l][:2])],)
                if A[0][0] * A[1][1] - A[0][1] * A[1][0] != 0]
    if clock is not None and len(vertices) > 1024:
        clock.check("the vertices of the arrangement")
    # h's sign at every vertex at once: certified floats, exact evaluation only where h is near 0
    signs = view.inner.output_signs([arr.project(v) for v in vertices])
    on_zero = next((v for v, (s,) in zip(vertices, signs, strict=True) if s == 0), None)
    return out + _boundary_conditions(touching, on_zero) + _hidden_row_conditions(net, t, clock)


#: The type conditions whose failure is a closed, nowhere dense (non-generic) set: part of :func:`genericity_checks`.
CLOSED_TYPE_CONDITIONS = ("min h > 0 (regime T)", "full first-layer rank", "no tangent hyperplane",
                          "no vertex on {h = 0}", LOCAL_ONLY, HIDDEN_CONE)
#: Cells of the first layer's arrangement up to which :func:`genericity_checks` decides the closed type conditions.
TYPE_CELL_LIMIT = 64


def _arrangement_is_small(arch: Architecture) -> bool:
    r"""In the plane the exact sweep up to 64 lines (about a second); beyond, at most :data:`TYPE_CELL_LIMIT`
    cells $\sum_{k \le n_0}\binom{n_1}{k}$ (exact LPs per cell)."""
    n0, n1 = arch.widths[:2]
    return n1 <= 64 if n0 <= 2 else sum(math.comb(n1, k) for k in range(n0 + 1)) <= TYPE_CELL_LIMIT


def _closed_type_conditions(net: Network) -> list[Condition]:
    if not _arrangement_is_small(net.architecture):
        n0, n1 = net.architecture.widths[:2]
        return [_condition("closed type conditions", None, None,
                           f"the closed type conditions ({', '.join(CLOSED_TYPE_CONDITIONS)}) are not decided for "
                           f"{n1} first-layer hyperplanes in dimension {n0} (more than {TYPE_CELL_LIMIT} cells); "
                           f"semialg.families.bottleneck.type_checks decides them")]
    try:
        checks = type_checks(net)
    except ArchitectureError as exc:    # e.g. a first layer that the layerwise conditions already reject
        return [_condition("closed type conditions", None, None, f"the closed type conditions are not decided: {exc}")]
    return [c for c in checks if c.name in CLOSED_TYPE_CONDITIONS]


def _positive_minimum(net: Network) -> Condition:
    r"""Regime T: $\min h > 0$. With $\min h = 0$ the parameter lies on the hypersurface between regimes T and PN
    (lowering $e$ opens $N$), and where $h$ vanishes on an open set the functional dimension jumps there: widths
    $(2, 4, 1, 2)$, rows $(0, 1), (0, \tfrac25), (0, \tfrac94), (\tfrac75, \tfrac75)$, biases
    $-1, 0, -\tfrac98, \tfrac{14}5$, $v = (3, 10, \tfrac89, \tfrac57)$, $e = 0$ has fibre dimension 6 but
    $D - \dim_{\rm fun} = 5$ (found by the audit). Exact: :func:`~.arrangement.extreme_values`."""
    low, _ = extreme_values(OuterView.of(net))
    return _condition("min h > 0 (regime T)", low > 0, None if low > 0 else (),
                      "h >= 0 attains 0: the parameter lies between regimes T and PN" if low == 0 else
                      f"min h = {low} > 0")


def _hidden_row_conditions(net: Network, t: BottleneckType, clock=None) -> list[Condition]:
    r"""With U− or U+ neurons: the cone $C^*$ of rows bounded above on $\overline P$ (where U− rows live; U+ rows
    in $-C^*$) has the dimension of the row space — else $\overline P$ recedes along a line $\pm r$ outside
    $\ker W_1$ (the slope of $h$ along $r$ cancels), every hidden row of every member is forced to $w\cdot r = 0$,
    and the fibre is smaller than $D$ minus the functional dimension (the tilt is in the Jacobian's kernel):
    found by the audit, widths $(2, 4, 1, 2)$ with $h$ flat along $(0, 1)$ and a U− row $(3, 0)$, fibre dimension
    7 against 8. Then :func:`_u_plus_conditions`. Vacuous without hidden neurons and for $n_0 = 1$."""
    from semialg.families.bottleneck.hidden_region import hidden_cone
    from semialg.families.bottleneck.ident_cache import hidden_region
    hidden = [i for i, c in enumerate(t.classes) if c in ("U-", "U+")]
    if not hidden or net.architecture.input_dim < 2 or not all(any(w) for w in net.weights[0]):
        return []    # a zero row is a dead neuron: degenerate already, and HiddenRegion needs every row
    try:
        region = hidden_region(net, clock)     # built once per network: the fibre and identifiability ask again
    except ArchitectureError:
        return []
    d, full = rank(hidden_cone(region)), rank(net.weights[0])
    # d > full only when P is empty (f constant, a condition of its own): every row is bounded above on it
    return [_condition(HIDDEN_CONE, d >= full, None if d >= full else (d,),
                       f"the rows bounded above on P span dimension {d} < {full}: P recedes along a line, so the "
                       f"hidden neurons {[i + 1 for i in hidden]} cannot tilt" if d < full else
                       "the hidden rows range over a full-dimensional cone")] + _u_plus_conditions(net, t, region)


def _u_plus_conditions(net: Network, t: BottleneckType, region) -> list[Condition]:
    r"""Not: two or more U+ neurons, all with output weights of one sign, whose rows are all orthogonal to one
    recession direction $r$ of $\overline P$ (outside the lineality space). Every U+′ row of a member keeps
    $w'_j\cdot r \ge 0$ while the block reproduces $A\cdot r = 0$ ($A = \sum_{U^+} v_iw_i$); with one sign
    throughout, each is forced to $w'_j\cdot r = 0$ — $|U^+| - 1$ equations the formula does not count — so
    near such a $\theta$ the fibre is smaller than $D$ minus the functional dimension (rows $(1, 2)$,
    $(-2, -1)$, $(-2, -1)$, $(1, 2)$, U+ neurons on both $(1, 2)$ rows: local dimension 8, formula 9). Mixed
    signs, or one row with $w_j\cdot r > 0$, leave a direction that makes every $w'_j\cdot r$ positive. The
    explicit fibre does not need this condition (:data:`LOCAL_ONLY`). Decided on the exact rays of
    :class:`~semialg.families.bottleneck.hidden_region.HiddenRegion`; vacuous when all rows are parallel (the
    1-D calculus)."""
    plus = [i for i, c in enumerate(t.classes) if c == "U+"]
    signs = {net.weights[1][0][i] > 0 for i in plus}
    if len(plus) < 2 or len(signs) > 1:
        return []
    rows = [w for w in net.weights[0] if any(w)]
    ray = next((r for r in region.p_rays if all(dot(net.weights[0][i], r) == 0 for i in plus)
                and any(dot(w, r) != 0 for w in rows)), None)
    return [_condition(LOCAL_ONLY, ray is None, None if ray is None else tuple(ray),
                       f"the U+ neurons {[i + 1 for i in plus]} (output weights of one sign) are all orthogonal to "
                       "the recession "
                       f"direction {[str(x) for x in ray]} of P" if ray is not None else
                       "no recession direction of P is orthogonal to every U+ neuron")]


def _boundary_conditions(touching, on_zero) -> list[Condition]:
    return [_condition("no tangent hyperplane", touching is None, None if touching is None else (touching,),
                       "a hidden hyperplane touches the boundary of P" if touching is not None else
                       "no hidden hyperplane touches the boundary of P"),
            _condition("no vertex on {h = 0}", on_zero is None, on_zero,
                       f"the vertex {[str(x) for x in on_zero]} lies on h = 0" if on_zero is not None else
                       "no vertex of the arrangement lies on h = 0")]


def _require_generic(net: Network, what: str, local: bool = True, clock=None) -> BottleneckType:
    """The type of a generic ``net``; :class:`ArchitectureError` naming the first failed condition. With
    ``local=False`` the conditions the explicit fibre does not need (:data:`FIBRE_NEEDS_NOT`) are skipped;
    ``clock`` as in :func:`type_checks`, and the layerwise conditions' searches stop at its end
    (:class:`~semialg.errors.UndecidedError` when one is left undecided there and none fails)."""
    typed = set(CLOSED_TYPE_CONDITIONS) | {"closed type conditions"}    # decided below, whatever the size
    report = genericity(net, deadline=None if clock is None else clock.end)
    conds = [c for c in report.conditions if c.name not in typed]
    if clock is not None and all(c.holds is not False for c in conds) and any(c.holds is None for c in conds):
        raise UndecidedError(f"{what}: the genericity conditions {[c.name for c in conds if c.holds is None]} were "
                             "not decided within the budget")      # a search cut at the deadline decides nothing
    layerwise = [c.detail for c in conds if c.holds is not True]
    if layerwise:
        raise ArchitectureError(f"{what} needs a generic parameter; {report.status}: " + "; ".join(layerwise))
    failed = [c.detail for c in type_checks(net, clock) if not c.holds and (local or c.name not in FIBRE_NEEDS_NOT)]
    if failed:
        raise ArchitectureError(f"{what}: the type conditions fail: " + "; ".join(failed))
    return combinatorial_type(net)


BOTTLENECK_SCOPE = ("bottleneck networks: outside these loci (in case (a) also outside the closed type conditions) "
                    "the fibre of a parameter without mixed hidden (U+-) neurons and with a non-constant function "
                    "has the type's structure and dimension (checked against the exact functional dimension)")


def _ridge_families(arch: Architecture) -> list[LocusFamily]:
    r"""Case (b) bottleneck loci: a second-layer bias $e_j = 0$ and a vanishing block slope
    $\sum_{j \in S} c_jv_j = 0$ (the note's $G'(0^+) \ne 0$ and slope-at-infinity conditions, for every $S$)."""
    # The symbols are built on first use, as in degeneracy_loci: counts and templates need none of them, and a
    # wide second layer has millions of them.
    V = functools.cache(arch.variables)
    n2, n3 = arch.widths[2], arch.widths[3]

    def v(j: int):
        return V().weights[1][j, 0]

    def c(j: int, r: int):
        return V().weights[2][r, j]

    one = lambda: ((j,) for j in range(1, n2 + 1))  # noqa: E731
    return [
        LocusFamily("zero_bias", n2, one,
                    lambda ix: Locus("zero_bias", ix, (V().biases[1][ix[0] - 1],), V().flat, 1,
                                     f"second-layer bias e_{ix[0]} = 0: a kink on the first-layer hyperplane"),
                    1, r"V(e_j)", r"j \in [n_2]", BOTTLENECK_SCOPE),
        LocusFamily("block_slope", subset_count(n2, 2),
                    lambda: (S for size in range(1, n2 + 1) for S in itertools.combinations(range(1, n2 + 1), size)),
                    lambda S: Locus("block_slope", S, tuple(sympy.expand(sum(c(j - 1, r) * v(j - 1) for j in S))
                                                            for r in range(n3)), V().flat, None,
                                    f"sum of c_j v_j over S = {list(S)} vanishes"),
                    None, r"V\Big(\sum_{j\in S} c_j v_j\Big)", r"\emptyset \ne S \subseteq [n_2]",
                    BOTTLENECK_SCOPE),
    ]



def _outer_families(arch: Architecture) -> list[LocusFamily]:
    r"""Case (a) bottleneck loci: the 0-factor loci $V(\sum_{i\in S} v_iw_i)$ of the inner shallow network of the
    first two layers, $\emptyset \ne S \subseteq [n_1]$ — the shallow family of
    :func:`semialg.engine.loci.degeneracy_loci` for widths $(n_0, n_1, 1)$, whose variables are those of the first
    two layers."""
    n0, n1 = arch.widths[:2]
    inner = degeneracy_loci(Architecture(n0, n1, 1)).family("zero_factor")
    variables = functools.cache(arch.variables)  # on first use, as in degeneracy_loci
    return [dataclasses.replace(
        inner, name="inner_zero_factor", scope=BOTTLENECK_SCOPE,
        build=lambda S: dataclasses.replace(inner.build(S), family="inner_zero_factor", variables=variables().flat,
                                            description=f"sum of v_i w_i over S = {list(S)} vanishes (first two layers)"),
        latex_template=r"V\Big(\sum_{i\in S} v_i w_i^{T}\Big)", index_set=r"\emptyset \ne S \subseteq [n_1]")]


def loci_families(arch: Architecture) -> list[LocusFamily]:
    """The bottleneck loci of ``arch``: case (b) :func:`_ridge_families`, case (a) :func:`_outer_families`."""
    return _ridge_families(arch) if arch.widths[1] == 1 else _outer_families(arch)
