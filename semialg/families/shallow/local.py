"""The dimension of a shallow fibre at one of its points, between exact lower and upper bounds.

Near a member $\\theta$ the fibre is the union of the type components $B_\\tau$ whose closure contains
$\\theta$, so $\\dim_\\theta = \\max_\\tau \\dim_\\theta B_\\tau$.

- *Lower bound.* The type $\\tau_0$ of $\\theta$ itself: when it has no mixed phantom group its set is the
  diffeomorphic image of a convex set, of pure dimension $\\dim B_{\\tau_0}$
  (:mod:`~semialg.families.shallow.type_geometry`), so $\\dim_\\theta \\ge \\dim B_{\\tau_0}$.
  A dead neuron on a kink hyperplane beside a neuron of the same orientation may also come alive there
  (a small kink taken from that neuron): the type with that role is then adjacent and counts too; so does the
  type in which constant neurons with biases of one sign and $\\sum a_ib_i = 0$ form a phantom group (their rows
  tilted together, onto one far hyperplane where their kinks cancel). When these do
  not meet the upper bound, the exact moves through $\\theta$ of
  :func:`semialg.engine.tangent.move_directions` (e.g. two
  zero neurons with cancelling output weights parting as twins, for $n_0 \\ge 2$) give another.
- *Upper bounds.* (i) $D - \\dim_{\\rm fun}(\\theta)$ with the closed form of
  :func:`~semialg.families.shallow.dimension.shallow_functional_dimension`: the Jacobian columns it spans are
  continuous near $\\theta$, so their rank can only grow nearby, and the tangent space of the fibre at a
  smooth nearby point lies in the kernel of the full Jacobian. (ii) $\\max \\dim B_\\tau$ over the types a
  nearby point can have: a neuron keeps $a \\neq 0$ and $w \\neq 0$ if $\\theta$ has them, a non-zero row stays
  near its line (so on the same kink hyperplane with the same orientation, or in a phantom group of that line),
  a constant neuron keeps the sign of its bias, and a phantom group, whose kinks cancel
  ($\\sum a'_i\\lambda_i = 0$, $\\lambda_i > 0$), has in every output coordinate output weights of both signs or
  zero at $\\theta$.

When the bounds meet the dimension is proven; otherwise :class:`~semialg.errors.UndecidedError` names them.
"""

from __future__ import annotations

import itertools

from semialg.core.exact import fingerprint, normalise_row, rank
from semialg.engine import tangent
from semialg.errors import UndecidedError
from semialg.families.shallow.dimension import shallow_functional_dimension
from semialg.families.shallow.view import ZERO, ShallowView

__all__ = ["local_dimension"]

_SUBSET_LIMIT = 16     # constant neurons beyond which no set of them is tried as a phantom group (a lower bound)


def _nearby_roles(v: ShallowView, i: int, where: dict, N: int) -> tuple[list, object]:
    """The roles other than phantom that neuron ``i`` of a point near $\\theta$ can have, and the line of its
    row (``None`` for a zero row, which may join any phantom group)."""
    a, row = v.a[i], v.w[i] + (v.b[i],)
    dead = [("D",)] if not any(a) else []
    if not any(row):
        return dead + [("C+",), ("C-",)] + [("K", h, s) for h in range(N) for s in (1, -1)], None
    key, _, sign = normalise_row(row)
    fp = fingerprint(key)
    if not any(v.w[i]):
        return dead + [("C+",) if v.b[i] > 0 else ("C-",)], fp
    if fp in where:
        return dead + [("K", where[fp], sign)], fp
    return dead, fp


def _upper_by_types(geometry, v: ShallowView, where: dict, budget: int) -> int | None:
    """$\\max \\dim B_\\tau$ over the non-empty types allowed near $\\theta$ (``None`` beyond ``budget`` nodes)."""
    N, n = geometry.N, v.n
    options = [_nearby_roles(v, i, where, N) for i in range(n)]
    best, visited = [None], [0]

    def extend(roles: list, groups: list) -> bool:
        visited[0] += 1
        if visited[0] > budget:
            return False
        i = len(roles)
        if i == n:
            covered = {r[1] for r in roles if r[0] == "K"}
            if len(covered) == N and all(size >= 2 for _, size in groups) and all(
                    _cancellable(v, [j for j, r in enumerate(roles) if r[0] == "P" and r[1] == g])
                    for g in range(len(groups))):
                d = geometry.type_dimension(tuple(roles))
                if d is not None and (best[0] is None or d > best[0]):
                    best[0] = d
            return True
        fixed, line = options[i]
        for role in fixed:
            if not extend(roles + [role], groups):
                return False
        for g, (gline, size) in enumerate(groups):
            if line is None or gline is None or gline == line:
                for s in (1, -1):
                    new = groups[:g] + [(gline if gline is not None else line, size + 1)] + groups[g + 1:]
                    if not extend(roles + [("P", g, s)], new):
                        return False
        return extend(roles + [("P", len(groups), 1)], groups + [(line, 1)])

    return best[0] if extend([], []) else None


def _cancellable(v: ShallowView, members: list[int]) -> bool:
    """Whether neurons near ``members`` of $\\theta$ can form a phantom group: its kinks cancel,
    $\\sum a'_i\\lambda_i = 0$ with $\\lambda_i > 0$, impossible near $\\theta$ when in some output coordinate
    every $a_i$ is positive, or every one negative. When every member has $w_i = 0$ the rows
    $r'_i = s_i\\lambda_i(u, \\beta)$ give $\\sum a'_i|b'_i| = |\\beta|\\sum a'_i\\lambda_i = 0$, so moreover
    $\\sum a_i|b_i| = 0$ at $\\theta$."""
    if all(not any(v.w[i]) for i in members) and any(
            sum((v.a[i][r] * abs(v.b[i]) for i in members), ZERO) for r in range(len(v.c))):
        return False
    return not any(all(v.a[i][r] > 0 for i in members) or all(v.a[i][r] < 0 for i in members)
                   for r in range(len(v.c)))


def _stratum(v: ShallowView, roles, k: int) -> int | None:
    """The rank of the kinks $t_g$ carried by the negatively oriented slots of the mixed phantom groups of
    $\\theta$ (``None`` without mixed groups): $\\theta$ lies on that stratum of its own component."""
    groups: dict = {}
    for i, role in enumerate(roles):
        if role[0] == "P":
            groups.setdefault(role[1], []).append((i, role[2]))
    cols = []
    for members in groups.values():
        mu0 = normalise_row(v.w[members[0][0]] + (v.b[members[0][0]],))[1]
        t = [ZERO] * k
        for i, s in members:
            if s < 0:
                mu = normalise_row(v.w[i] + (v.b[i],))[1]
                t = [x + mu / mu0 * y for x, y in zip(t, v.a[i], strict=True)]
        if any(s < 0 for _, s in members):
            cols.append(t)
    return rank(cols) if cols else None


def _revived(v: ShallowView, roles: tuple, where: dict) -> tuple:
    """$\\tau_0$ with every dead neuron whose row lies on a kink hyperplane $h$, oriented $s$, moved to the role
    $(h, s)$ when another neuron of $\\theta$ already has that role. The closure of that type contains
    $\\theta$: give the dead neuron a small kink $\\varepsilon$ and take it from its partner (same orientation, so
    the linear part is unchanged)."""
    out = list(roles)
    for i, role in enumerate(roles):
        row = v.w[i] + (v.b[i],)
        if role[0] == "D" and any(v.w[i]):
            key, _, sign = normalise_row(row)
            h = where.get(fingerprint(key))
            if h is not None and ("K", h, sign) in roles:
                out[i] = ("K", h, sign)
    return tuple(out)


def _parted_constants(v: ShallowView, roles: tuple) -> tuple | None:
    """$\\tau_0$ with disjoint sets $T$ of constant neurons ($w = 0$) whose biases are non-zero and of one sign and
    $\\sum_T a_ib_i = 0$ made phantom groups (orientation $+1$; by increasing size, greedily), or ``None``. The
    closure of that type contains $\\theta$: tilt their rows together, $r'_i = (b_i/\\beta)(\\varepsilon u, \\beta)$,
    a common hyperplane far away whose kinks $\\sum_T a_ib_i/\\beta$ cancel."""
    const = [i for i, r in enumerate(roles) if r[0] in ("C+", "C-") and v.b[i] != 0]
    if len(const) > _SUBSET_LIMIT:
        return None
    used, groups = set(), []
    for m in range(2, len(const) + 1):
        for T in itertools.combinations(const, m):
            if used.isdisjoint(T) and len({v.b[i] > 0 for i in T}) == 1 and not any(
                    sum((v.a[i][r] * v.b[i] for i in T), ZERO) for r in range(len(v.c))):
                groups.append(T)
                used.update(T)
    if not groups:
        return None
    out = list(roles)
    fresh = 1 + max((r[1] for r in roles if r[0] == "P"), default=-1)
    for g, T in enumerate(groups):
        for i in T:
            out[i] = ("P", fresh + g, 1)
    order: dict = {}             # groups numbered in order of appearance
    for r in out:
        if r[0] == "P":
            order.setdefault(r[1], len(order))
    return tuple(("P", order[r[1]], r[2]) if r[0] == "P" else r for r in out)


def local_dimension(fibre, theta, budget: int = 20000) -> int:
    """$\\dim_\\theta$ of a typed shallow fibre at its member ``theta`` (see the module docstring).

    Cost: one closed-form functional dimension; when that bound is not met, a search over the types allowed
    near $\\theta$ of at most ``budget`` nodes.
    """
    geometry = fibre.geometry
    v = ShallowView.of(theta)
    tau0 = fibre.locate(theta)
    lower = geometry.type_dimension(tau0, _stratum(v, tau0, geometry.k))
    revived = _revived(v, tau0, where := {fingerprint(key): h for h, (key, _) in enumerate(geometry.K.kinks)})
    pure = lower is not None and not any(r[0] == "P" and r[2] < 0 for r in tau0)
    for adjacent in (revived, _parted_constants(v, tau0)) if pure else ():
        if adjacent is not None and adjacent != tau0:
            lower = max(lower, geometry.type_dimension(adjacent) or lower)
    upper = theta.architecture.num_parameters - shallow_functional_dimension(theta)
    if lower is not None and lower == upper:
        return lower
    by_types = _upper_by_types(geometry, v, where, budget)
    if by_types is not None:
        upper = min(upper, by_types)
    if lower is not None and lower == upper:
        return lower
    moved = tangent.move_directions(theta)       # exact moves through theta: a family of that dimension in the fibre
    lower = max(lower or 0, rank(moved) if moved else 0)
    if lower == upper:
        return lower
    raise UndecidedError(f"the local dimension of the fibre at this parameter lies between {lower} and {upper}",
                         bounds=(lower, upper))
