r"""The neurons of a slot-piece member off the line (:mod:`~semialg.families.bottleneck.line_typed`): inert
($v' = 0$, any row), constant ($w' = 0$) or in a phantom group on one hyperplane, whose affine part $\ell\cdot x +
\kappa$ enters the 1-D conditions of the slots; their conditions, counts, dimensions and random members.
"""

from __future__ import annotations

import math

from flint import fmpq

from semialg.core.exact import normalise_row
from semialg.core.lazy import sympy  # imported on first use: start-up time
from semialg.families.bottleneck.views import _scale
from semialg.families.shallow.type_geometry import Pattern, allowed_ranks, dim_bilinear_fibre
from semialg.families.shallow.typed import TypeIndex
from semialg.geometry.semialgebraic import not_all_zero, parallel_minors

__all__ = ["off_line_count", "off_line_base", "off_line_zero", "off_line_conditions", "group_rows", "draw_groups",
           "draw_inert", "strata_exist"]

_ZERO, _ONE = fmpq(0), fmpq(1)


def _pure_roles(r: int) -> int:
    """The number of off-line role tuples of ``r`` neurons without a mixed group: D, C+, C- or a group member with
    orientation $+1$ (set partitions into blocks of at least two)."""
    blocks = [1, 0]
    for k in range(2, r + 1):
        blocks.append(sum(math.comb(k - 1, j) * blocks[k - 1 - j] for j in range(1, k)))
    return sum(math.comb(r, k) * 3 ** (r - k) * blocks[k] for k in range(r + 1))


def off_line_count(r: int, zero: bool, free: bool) -> int:
    """The number of off-line role tuples of ``r`` neurons (:class:`TypeIndex` with no kink hyperplanes) that have a
    point when the slots are feasible with $\\ell = 0$ (``zero``) or with some $\\ell \\ne 0$ (``free``):
    :func:`strata_exist` counted without enumeration."""
    roles = TypeIndex(r, 0).exact_size
    if not free:      # only l = 0: a single mixed group with a one-neuron side is empty
        roles -= sum(math.comb(r, k) * (k - (k == 2)) * _pure_roles(r - k) for k in range(2, r + 1))
    if not zero:      # only l != 0: some mixed group
        roles -= _pure_roles(r)
    return roles


def off_line_base(n0: int, n_d: int, n_c: int, groups: int, n_p: int, p: int) -> int:
    """The dimension of the off-line neurons of a type before the condition on their slope $\\ell$ (the
    proposition of :mod:`~semialg.families.bottleneck.line_typed`): inert $n_0 + 1$, constant $2$, per group its
    first row and the scales and output weights less the cancellation, less the $(\\tau_g, n_g)$ of the mixed
    groups (counted in the bilinear fibre)."""
    return n_d * (n0 + 1) + 2 * n_c + groups * (n0 - 1) + 2 * n_p - p * (n0 + 1)


def off_line_zero(n0: int, p: int, stuck: bool) -> int | None:
    """$Y(n_0)$ of :mod:`~semialg.families.bottleneck.line_typed`: the dimension of $\\{\\ell = 0\\}$ in the
    $(\\tau_g, n_g)$ of ``p`` mixed groups (only $\\tau \\ne 0$ when ``stuck``), ``None`` when empty."""
    return dim_bilinear_fibre(p, 0, 1, n0, ranks=allowed_ranks(p, 0, 1, 0, stuck))


def off_line_conditions(roles, V, n0: int):
    """The conditions of the off-line roles of ``roles`` (inert, constant, phantom groups; other roles are
    skipped) in the variables ``V``: ``(eqs, strict, nonstrict, nonzero, ell, extra, first)`` with ``ell`` the
    groups' slope $\\ell$, ``extra`` what they and the constant neurons add to the bias of $h'$ and ``first`` the
    first neuron of each group (:mod:`~semialg.families.bottleneck.line_typed`)."""
    W1, B1, W2 = V.weights[0], V.biases[0], V.weights[1]
    zero = sympy.Integer(0)
    row = lambda i: [W1[i, q] for q in range(n0)] + [B1[i]]  # noqa: E731
    eqs, strict, nonstrict, nonzero, ell, extra, first = [], [], [], [], [zero] * n0, zero, {}
    for i, role in enumerate(roles):
        if role[0] == "D":
            eqs.append(W2[0, i])
        elif role[0] in ("C+", "C-"):
            eqs += [W1[i, q] for q in range(n0)]
            nonzero.append(W2[0, i])          # v' = 0 is inert
            (strict if role[0] == "C+" else nonstrict).append(B1[i] if role[0] == "C+" else -B1[i])
            if role[0] == "C+":
                extra += W2[0, i] * B1[i]
        elif role[0] == "P":
            g, s = role[1], role[2]
            nonzero.append(W2[0, i])
            if g in first:
                eqs += parallel_minors(row(i), row(first[g]))
                strict.append(s * sum(x * y for x, y in zip(row(i), row(first[g]), strict=True)))
            else:
                nonzero.append(not_all_zero([W1[i, q] for q in range(n0)]))    # w' = 0 is constant
                nonzero += [not_all_zero(parallel_minors(row(i), row(j))) for j in first.values()]
                first[g] = i
            if s < 0:
                ell = [x + W2[0, i] * W1[i, q] for q, x in enumerate(ell)]
                extra += W2[0, i] * B1[i]
    for g, i0 in first.items():
        members = [(i, role[2]) for i, role in enumerate(roles) if role[0] == "P" and role[1] == g]
        eqs += [sum((s * W2[0, i] * row(i)[q] for i, s in members), zero) for q in range(n0 + 1)]
    return eqs, strict, nonstrict, nonzero, ell, extra, first


def group_rows(roles, target, active: bool, n0: int, q) -> dict | None:
    """$(\\tau_g, n_g)$ per phantom group of ``roles`` with $\\sum_g \\tau_gn_g = $ ``target`` (mixed groups only
    carry $\\tau_g \\ne 0$): with ``active`` (or $p > n_0$) random except the first mixed group, which closes the
    sum (``None`` when it would get $\\tau_g = 0$), else every $\\tau_g = 0$ (the larger part of the stratum
    $\\ell = 0$ for $p \\le n_0$, possible unless a mixed group has a one-neuron side); ``q`` draws rationals."""
    out, signs = {}, {}
    for r in roles:
        if r[0] == "P":
            signs.setdefault(r[1], set()).add(r[2])
    mixed = [g for g in sorted(signs) if -1 in signs[g]]
    active = mixed if (active or len(mixed) > n0) else []
    rest = list(target)
    for g in sorted(signs):
        normal = tuple(q() for _ in range(n0))
        while not any(normal):
            normal = tuple(q() for _ in range(n0))
        tau = _ZERO
        if g in active and g != active[0]:
            tau = q() or _ONE
            rest = [x - tau * y for x, y in zip(rest, normal, strict=True)]
        out[g] = (tau, normal)
    if active:
        if not any(rest):
            return None
        tau = q() or _ONE
        out[active[0]] = (tau, tuple(x / tau for x in rest))
    return out


def draw_groups(roles, rows, b1, v, grows: dict, pos, q) -> tuple[list, fmpq]:
    """Fill ``rows``, ``b1``, ``v`` of the phantom groups of ``roles`` from their $(\\tau_g, n_g)$ (``grows``):
    random offsets, scales and shares with the given totals; returns their hyperplanes and what their affine part
    adds to the bias of $h'$ (to be subtracted from $e'$)."""
    lines, shift = [], _ZERO
    for g, (tau, normal) in grows.items():
        members = [i for i, r in enumerate(roles) if r[0] == "P" and r[1] == g]
        beta = q()
        lines.append(normalise_row(tuple(normal) + (beta,))[0])
        for side, total in ((-1, tau), (1, tau)):     # -sum of v'|lambda| (s = -1), +sum (s = +1)
            side_members = [i for i in members if roles[i][2] == side]
            for k, i in enumerate(side_members):
                scale = _ONE if i == members[0] else pos()
                share = total if k == len(side_members) - 1 else q() or _ONE
                total -= share
                rows[i], b1[i] = _scale(side * scale, normal), side * scale * beta
                v[i] = -share / scale if side < 0 else share / scale
                if side < 0:
                    shift += v[i] * b1[i]
    return lines, shift


def draw_inert(roles, rows, b1, v, n0: int, pos, q) -> fmpq:
    """Fill the inert and constant neurons of ``roles``; returns what the constant ones add to the bias of $h'$."""
    shift = _ZERO
    for i, role in enumerate(roles):
        if role[0] == "D":
            rows[i], b1[i], v[i] = tuple(q() for _ in range(n0)), q(), _ZERO
        elif role[0] in ("C+", "C-"):
            rows[i], b1[i], v[i] = (_ZERO,) * n0, pos() if role[0] == "C+" else -pos(), q() or _ONE
            if role[0] == "C+":
                shift += v[i] * b1[i]
    return shift


def strata_exist(P: Pattern, zero: bool, free: bool) -> bool:
    """Whether a type with off-line pattern ``P`` has a point, its slot type being feasible with $\\alpha = 0$
    (``zero``) or with some $\\alpha \\ne 0$ (``free``); see :meth:`TypedSlotPiece._strata`."""
    return (zero and bool(allowed_ranks(P.mixed_groups, 0, 1, 0, P.lone_groups > 0))) or \
        (free and P.mixed_groups >= 1)
