r"""The dimension of a slot-piece fibre at a member of no simple type, from curves into simple types.

A member of a slot piece (:mod:`~semialg.families.bottleneck.line_typed`) whose neurons are all slots on the line
or inert with rows off it on hyperplanes of their own has the dimension of its type's component. At the other
members — several neurons on one point, a slot at an end of an N-interval, inert rows on the line, constant or
zero neurons — nearby members may be of larger types. They give a lower bound:

**Lemma (curves).** Let $S$ be a semi-algebraic set, $\theta \in S$ and $\gamma : [0, t_0) \to S$ continuous with
$\gamma(0) = \theta$. Then $\dim_\theta S \ge \dim_{\gamma(t)} S$ for every small $t > 0$.
*Proof.* Take $\varepsilon > 0$ with $\dim_\theta S = \dim(S \cap B(\theta, \varepsilon))$. For small $t$,
$\gamma(t) \in B(\theta, \varepsilon)$, and a ball around $\gamma(t)$ inside $B(\theta, \varepsilon)$ shows
$\dim_{\gamma(t)} S \le \dim(S \cap B(\theta, \varepsilon))$. $\square$

So $\dim_\theta F \ge \dim C_\tau$ whenever a curve from $\theta$ runs, for small $t > 0$, in the component
$C_\tau$ of a simple type $\tau$ and keeps the inert rows off the line and apart. **The curves** keep the outer
part ($c'$, $d'$) of $\theta$ and move the first layer linearly in $t$: a slot sharing its point or at an end of an
N-interval into the neighbouring N-interval (the sharing ones by distinct amounts), an inert row off the line
($n_0 \ge 2$) or, given $v' = \pm t$, onto a point inside an N-interval, a constant or zero neuron onto the line
(far out, resp. at a point inside an N-interval). The second layer $(v', e')$ is then solved from the equations
of $C_\tau$, which are linear in it once the other layers are fixed ($h'$ is linear in $(v', e')$), over the
field $\mathbb{Q}(t)$, its free unknowns at their values at $\theta$ (or $\pm t$); that $\gamma(0) = \theta$ and
$\gamma(t) \in C_\tau$ with the inert rows' minors not identically zero for all small $t > 0$ are decided exactly
(:meth:`~semialg.geometry.semialgebraic.BasicSet.contains_germ`). Which curves to try is a heuristic; every bound
found is proven.

>>> from semialg.families.bottleneck.fibre import fibre
>>> net = Network.from_arrays([[[3], [-6]], [[-1, 3]], [[1]]], [[-1/2, 1], [0], [0]])   # both kinks at x = 1/6
>>> fibre(net).local_dimension()               # both kinks slid right of 1/6: mu, 2 scales, 2 places, a slope
6
"""

from __future__ import annotations

import itertools
import time

from flint import fmpq

from semialg.core.exact import interval_point, to_fmpq, to_sympy
from semialg.core.lazy import sympy  # imported on first use: start-up time
from semialg.core.network import Network
from semialg.errors import UndecidedError
from semialg.families.bottleneck.line_points import coincident
from semialg.families.bottleneck.views import OuterView
from semialg.geometry.semialgebraic import parallel_minors, sign_at_zero_plus

__all__ = ["closure_curve", "closure_lower_bound", "dimension_from_curves"]

_ZERO, _ONE = fmpq(0), fmpq(1)
_PROBE = fmpq(1, 2 ** 20)      # the t at which a curve's type is read off; proofs are for all small t


def closure_lower_bound(piece, ov: OuterView, target: int, limit: int = 256, budget: float = 5.0) -> int | None:
    r"""The largest $\dim C_\tau$ over the simple types $\tau$ into which one of the curves of the module
    docstring from the member with outer view ``ov`` of the slot piece ``piece`` runs (``None`` when none does): a
    lower bound on the fibre's dimension there. The search stops at ``target`` (an upper bound), after ``limit``
    curves or ``budget`` seconds.

    Cost: per curve, one basic set, a linear solve over $\mathbb{Q}(t)$ in the $n_1 + 1$ second-layer unknowns and
    one germ test per polynomial of the set; at most ``limit`` curves (a product of a few moves per neuron).

    >>> from semialg.families.bottleneck.line_fibre import LineFibre
    >>> net = Network.from_arrays([[[3], [-6]], [[-1, 3]], [[1]]], [[-1/2, 1], [0], [0]])
    >>> piece = LineFibre(net).slots["A"]
    >>> closure_lower_bound(piece, OuterView.of(net), 6)
    6
    """
    found = closure_curve(piece, ov, target, limit, budget)
    return None if found is None else found[0]


def dimension_from_curves(piece, ov: OuterView, lower: int, upper: int, why: str) -> int:
    """``upper`` when a curve of :func:`closure_lower_bound` reaches it (the member's dimension is at most
    ``upper``), else :class:`~semialg.errors.UndecidedError` saying ``why`` with the proven bounds (``lower`` or
    the curves' better one, and ``upper``) in its ``bounds``."""
    lower = max(lower, closure_lower_bound(piece, ov, upper) or 0)
    if lower >= upper:
        return upper
    raise UndecidedError(f"{why}: the local dimension is between {lower} and {upper} (no curve tried reaches a "
                         f"type of dimension {upper})", bounds=(lower, upper))


def closure_curve(piece, ov: OuterView, target: int, limit: int = 256, budget: float = 5.0):
    r"""``(dim, curve)`` for the best curve of :func:`closure_lower_bound` (``None`` when none runs into a simple
    type): ``curve(t)`` is its member at a small rational $t > 0$, in a component of dimension ``dim`` for every
    small enough $t$, and the member itself at $t = 0$."""
    deadline, best = time.monotonic() + budget, None
    theta = [to_sympy(x) for x in _network(ov, ov.w, ov.b, ov.v, ov.e).parameters()]
    for moves in itertools.islice(itertools.product(*_neuron_moves(piece, ov)), limit):
        if time.monotonic() > deadline:
            break
        found = _curve_dimension(piece, ov, theta, moves)
        if found is not None and (best is None or found[0] > best[0]):
            best = found
            if best[0] >= target:
                break
    return best


def _neuron_moves(piece, ov: OuterView) -> list[list[tuple]]:
    """Per neuron, its candidate moves ``(dw, db, act)``: the first-layer row moves by ``t (dw, db)``; ``act`` is
    ``None`` when $v'$ stays that of the member, else $v'$ is an unknown whose free value is $v$ (``0``) or
    $\\pm t$ (``±1``) — or ``"b"``: $v'$ stays and $b'$ is the unknown, its free value the moved one (slots
    sliding apart inside a bounded N-interval keep its moment $\\sum J_jp_j$ only in the ratio of their jumps; a
    slot inside one slides when another enters it from its end)."""
    S, u, n0, p = piece.S, [fmpq(x) for x in piece.u], piece.n0, piece.p
    zero_w = (_ZERO,) * n0
    inside = [interval_point(a, b) for a, b, _, _ in S.nints]
    kinks = {x for x, _ in S.kinks}
    places: dict = {}
    for i, (w, b, v) in enumerate(zip(ov.w, ov.b, ov.v, strict=True)):
        if w[p] != 0 and all(x == w[p] * y for x, y in zip(w, u, strict=True)):
            places.setdefault(-b / w[p], []).append(i)
    out = []
    for i, (w, b, v) in enumerate(zip(ov.w, ov.b, ov.v, strict=True)):
        lam = w[p]
        online = lam != 0 and all(x == lam * y for x, y in zip(w, u, strict=True))
        # w' = t o u at a point q inside an N-interval (b = 0), or far out (b != 0)
        onto = [(tuple(o * y for y in u), -o * q) for q in inside for o in (1, -1)] if b == 0 else \
            [(tuple(o * y for y in u), _ZERO) for o in (1, -1)]
        if online:
            x = -b / lam
            rank_at = places[x].index(i) + 1
            shifts = [0] if (x in kinks or _strictly_inside(S, x)) and len(places[x]) == 1 else \
                [k * rank_at for k in (1, -1)] + ([0] if x in kinks else [])
            slides = [(zero_w, -lam * k, None if v == 0 else 0) for k in shifts] + \
                [(zero_w, -lam * k, "b") for k in shifts if v != 0 and (k or _strictly_inside(S, x))]
            if v == 0:
                slides = [(zero_w, -lam * k, act) for k in shifts for act in (1, -1)] + _off_line(piece, i)
            out.append(slides)
        elif v == 0:
            out.append(_off_line(piece, i) + ([(dw, db, act) for dw, db in onto for act in (1, -1)] if not any(w)
                                             else []) or [(zero_w, _ZERO, None)])
        elif not any(w):
            out.append([(dw, db, 0) for dw, db in onto])
        else:
            out.append([(zero_w, _ZERO, None)])       # off the line: a phantom group's neuron stays
    return out


def _strictly_inside(S, x) -> bool:
    return any((a is None or x > a) and (b is None or x < b) for a, b, _, _ in S.nints)


def _off_line(piece, i: int) -> list[tuple]:
    """An inert neuron's row moved off the line ($n_0 \\ge 2$): along a coordinate axis other than the pivot,
    distinct per neuron, with a bias move telling neurons apart."""
    if piece.n0 < 2:
        return []
    axis = [q for q in range(piece.n0) if q != piece.p][i % (piece.n0 - 1)]
    return [(tuple(fmpq(i + 1) if q == axis else _ZERO for q in range(piece.n0)), fmpq(i + 1), None)]


def _curve_dimension(piece, ov: OuterView, theta: list, moves):
    """``(dim C_tau, curve)`` when the curve of ``moves`` runs in the component of a simple type $\\tau$ for all
    small $t > 0$ (decided exactly), else ``None``."""
    n1, n0 = piece.n1, piece.n0
    t = sympy.Symbol("t", positive=True)
    W = [[to_sympy(x) + t * to_sympy(d) for x, d in zip(ov.w[i], moves[i][0], strict=True)] for i in range(n1)]
    B1 = [to_sympy(ov.b[i]) + t * to_sympy(moves[i][1]) for i in range(n1)]
    guess = [ov.v[i] if act in (None, 0, "b") else act * _PROBE for i, (_, _, act) in enumerate(moves)]
    probe = _network(ov, [[x + _PROBE * d for x, d in zip(ov.w[i], moves[i][0], strict=True)]
                                 for i in range(n1)], [ov.b[i] + _PROBE * moves[i][1] for i in range(n1)], guess, ov.e)
    roles = piece.locate(OuterView.of(probe))
    if roles is None or any(role[0] not in ("V", "H", "D") for role in roles) or coincident(roles):
        return None
    V = piece.net.variables()
    C, D = V.weights[2], V.biases[2]
    fixed = {C[r, 0]: to_sympy(c) for r, c in enumerate(ov.c)} | {D[r]: to_sympy(d) for r, d in enumerate(ov.d)}
    for i in range(n1):
        fixed |= {V.weights[0][i, q]: W[i][q] for q in range(n0)} | {V.biases[0][i]: B1[i]}
    slid = [i for i, m in enumerate(moves) if m[2] == "b"]
    unknowns = [V.weights[1][0, i] for i, m in enumerate(moves) if m[2] not in (None, "b")] + \
        [V.biases[0][i] for i in slid] + [V.biases[1][0]]
    fixed |= {V.weights[1][0, i]: to_sympy(ov.v[i]) for i, m in enumerate(moves) if m[2] in (None, "b")}
    default = {V.weights[1][0, i]: to_sympy(ov.v[i]) if m[2] == 0 else m[2] * t
               for i, m in enumerate(moves) if m[2] not in (None, "b")} | {V.biases[1][0]: to_sympy(ov.e)}
    default |= {V.biases[0][i]: fixed.pop(V.biases[0][i]) for i in slid}
    component = piece.build(roles)
    eqs = [sympy.expand(sympy.sympify(q).xreplace(fixed)) for q in component.equations]
    eqs = [q for q in eqs if q != 0]
    if any(sympy.Poly(q, *unknowns).total_degree() > 1 for q in eqs):
        return None
    if eqs:
        solutions = sympy.linsolve(eqs, unknowns)
        if not solutions:
            return None
        solved = dict(zip(unknowns, next(iter(solutions)), strict=True))
        free = {x: default[x] for x in unknowns if solved[x].free_symbols & set(unknowns) or solved[x] == x}
        values = {x: sympy.cancel(sympy.sympify(solved[x]).xreplace(free)) for x in unknowns}
    else:
        values = dict(default)
    sub = fixed | values
    curve = [sympy.sympify(sub.get(x, x)) for x in V.flat]
    if [_value_at_zero(c, t) for c in curve] != theta:
        return None
    if not component.contains_germ(curve, t):
        return None
    inert = [W[i] + [sub.get(V.biases[0][i], B1[i])] for i, role in enumerate(roles) if role[0] == "D"]
    line = [to_sympy(x) for x in piece.u]
    if any(all(sign_at_zero_plus(m, t) == 0 for m in parallel_minors(row[:n0], line)) for row in inert) or \
            any(all(sign_at_zero_plus(m, t) == 0 for m in parallel_minors(r1, r2))
                for r1, r2 in itertools.combinations(inert, 2)):
        return None
    arch = piece.net.architecture

    def member(t_value) -> Network:
        at = {t: to_sympy(to_fmpq(t_value, "t"))}
        return Network.from_parameters(arch, [to_fmpq(c.xreplace(at)) for c in curve])
    return piece.dimension(roles), member


def _value_at_zero(q, t):
    num, den = sympy.fraction(sympy.cancel(sympy.together(q)))
    d0 = den.subs(t, 0)
    return None if d0 == 0 else num.subs(t, 0) / d0


def _network(ov: OuterView, W, b, v, e) -> Network:
    return Network((tuple(tuple(to_fmpq(x) for x in row) for row in W), ((tuple(to_fmpq(x) for x in v)),),
                    tuple((c,) for c in ov.c)), (tuple(to_fmpq(x) for x in b), (to_fmpq(e),), ov.d))
