r"""Joint translations of the hidden neurons of a case-(a) bottleneck parameter, traded with the bias $e$: a family of
the fibre for the lower bounds of :func:`semialg.families.bottleneck.local.local_dimension_bounds` (statement and
proof in the docstring of :mod:`semialg.families.bottleneck.local`, *hidden translations*).

>>> from semialg.core.network import Network
>>> len(hidden_translations(Network.from_arrays([[[-3], [6]], [[3, 3]], [[1]]], [[-1, 2], [-1], [0]])))
1
"""

from __future__ import annotations

import functools
import time

from flint import fmpq

from semialg.core.exact import dot, fingerprint, normalise_row, nullspace, sparse_vector
from semialg.core.network import Network
from semialg.engine.tangent import parameter_offsets
from semialg.families.bottleneck.cell_cones import cell_cones, generators_on, level, negative_on
from semialg.families.bottleneck.types import BottleneckType, combinatorial_type
from semialg.families.bottleneck.views import OuterView
from semialg.geometry.polyhedron import decide

__all__ = ["hidden_translations"]

_ZERO, _ONE = fmpq(0), fmpq(1)


def hidden_translations(net: Network, t: BottleneckType | None = None,
                        deadline: float | None = None) -> list[list[fmpq]]:
    r"""Joint translations of the hidden neurons (U$-$, U$+$, U$\pm$) of a case-(a) parameter, traded with $e$,
    each keeping the function for every small $t \ge 0$ (:mod:`~semialg.families.bottleneck.local`, *hidden
    translations*): directions $(\delta b_k)_{k \in H}, \delta e$ with $\sum_{k\ \mathrm{active}} v_k\delta b_k +
    \delta e$ zero on every cell meeting $P$ and non-positive on every other cell where $\sup h \ge 0$; a basis of
    them around a relative-interior point of that cone (or of its lineality space when it has none). $H$: the
    hidden neurons whose hyperplane misses $\bar P$, alone on it or with others (twins parting, opposite neurons),
    not cancelling, on a hyperplane where $\sup h < 0$; any two of them meeting (if at all) where $\sup h < 0$
    (:func:`~semialg.families.bottleneck.cell_cones.negative_on`); past ``deadline`` no more neurons join $H$ (the
    condition on each is about the earlier ones only). ``[]`` when the cells' generators are not enumerated. Cost: a
    pass over the cells' generators per hidden neuron, the flat's generators per pair of neurons of $H$, one exact
    strict-feasibility LP in $|H| + 1$ unknowns with a row per cell, after the cells of
    :func:`~semialg.families.bottleneck.local.hidden_neuron_moves`.

    >>> from semialg.core.network import Network
    >>> pair = Network.from_arrays([[[-3], [6]], [[3, 3]], [[1]]], [[-1, 2], [-1], [0]])  # 9 s(-u) + 18 s(u) - 1
    >>> len(hidden_translations(pair))    # P = {u < -1/9} u {u > 1/18}: both kinks move, e compensating
    1
    """
    t = t or combinatorial_type(net)
    D, view = net.architecture.num_parameters, OuterView.of(net)
    if (cones := cell_cones(net)) is None:
        return []
    meets = [any(val > 0 for _, _, val in gens) for gens in cones]
    lines: dict = {}                 # hyperplane -> [(orientation, v * scale)] of its used neurons
    for k, (w, v) in enumerate(zip(view.w, view.v, strict=True)):
        if any(w) and v != 0:
            key, scale, sign = normalise_row(tuple(w) + (view.b[k],))
            lines.setdefault(fingerprint(key), []).append((sign, v * scale))

    def shareable(row, on) -> bool:      # alone, or neurons of a line with a non-zero total jump on which h < 0
        members = lines[fingerprint(normalise_row(row)[0])]
        return len(members) == 1 or (sum((j for _, j in members), _ZERO) != 0 and negative_on(cones, [on]))

    def side(row, gens) -> fmpq:
        return sum((dot(row, g) for g, _, _ in gens), _ZERO)

    def misses_p(row) -> bool:
        return all(level([val for _, _, val in gens],
                          [(g, s, -dot(row, g) if side(row, gens) > 0 else dot(row, g)) for g, s, _ in gens]) >= 1
                   for gens, m in zip(cones, meets, strict=True) if m)

    H, rows, on = [], {}, {}
    for k, cls in enumerate(t.classes):
        if deadline is not None and time.monotonic() > deadline:
            break
        row = tuple(view.w[k]) + (view.b[k],)
        if cls not in ("U-", "U+", "U+-") or not misses_p(row) or not shareable(row, on.setdefault(
                k, generators_on(cones, row))) or any(not negative_on(cones, [on[k], on[j]]) for j in H):
            continue
        H.append(k)
        rows[k] = row
    if not H:
        return []
    equal, below = [], []
    for gens, m in zip(cones, meets, strict=True):
        coefs = [view.v[k] if side(rows[k], gens) > 0 else _ZERO for k in H] + [_ONE]
        if m:
            equal.append(coefs)
        elif not all(val < 0 if s > 0 else val <= 0 for _, s, val in gens):
            below.append(coefs)
    basis = nullspace(equal) if equal else [tuple(_ONE if i == j else _ZERO for i in range(len(H) + 1))
                                           for j in range(len(H) + 1)]
    A = [[dot(a, u) for u in basis] for a in below]
    if A and basis:
        found = decide([[-x for x in a] for a in A], [_ZERO] * len(A), len(basis))
        if found.feasible:
            y0, steps = found.point, []
            for i in range(len(basis)):
                eps = _ONE
                while not all(dot(a, y0) + eps * a[i] < 0 for a in A):
                    eps /= 2
                steps.append(tuple(x + (eps if j == i else _ZERO) for j, x in enumerate(y0)))
            coords = [y0] + steps
        else:
            coords = nullspace(A)
    else:
        coords = [tuple(_ONE if i == j else _ZERO for i in range(len(basis))) for j in range(len(basis))]
    _, (b_at, e_at, _) = parameter_offsets(net.architecture)
    unit, out = functools.partial(sparse_vector, D), []
    for y in coords:
        d = [sum((c * u[i] for c, u in zip(y, basis, strict=True)), _ZERO) for i in range(len(H) + 1)]
        out.append(unit(*((b_at + k, x) for k, x in zip(H, d, strict=False)), (e_at, d[-1])))
    return out
