r"""Subsets with a given sum: $S$ with $\sum_{i \in S} v_i = t$ for rational vectors $v_1, \dots, v_n$ and $t$, by a
$0/1$ point of the solutions of the normal equations (the shares of a linear part among the kink tensors of a
shallow network in :func:`~semialg.families.shallow.minimal_form`), under a budget of work and a deadline.
"""

from __future__ import annotations

import itertools
import time
from typing import Sequence

from flint import fmpq_mat

from semialg.core.exact import as_fmpq_mat, dot, nullspace, rref, solve, to_matrix
from semialg.errors import UndecidedError
from semialg.geometry.zero_sum import _ZERO, DeadlinePassed, Vec, _half_sum_matches, _in_few_coordinates

__all__ = ["find_subset_with_sum", "RREF_SECONDS"]

#: Predicted seconds per $n^4$ of one RREF of $n$ singular normal equations (fraction-free elimination: $n^3$
#: operations on entries growing to $n$ times their size). Measured on Gram matrices of float32 kink tensors, entries
#: of 130-140 bits: 0.9 s at $n = 128$, 3.8 s at 192, 12 s at 256 (and as much again for the kernel).
RREF_SECONDS = 3e-9


def _check(deadline: float | None, head: str, step: str, seconds: float = 0.0) -> None:
    """:class:`DeadlinePassed` when ``step`` of the search ``head``, predicted to take ``seconds``, would end past
    ``deadline`` (then it is not started)."""
    if deadline is not None and time.monotonic() + seconds > deadline:
        raise DeadlinePassed(f"{head}: {step} (predicted {seconds:.2g} s) would end past the deadline" if seconds
                             else f"{head}: the deadline passed before {step}")


def find_subset_with_sum(vectors: Sequence[Vec], target: Vec, budget: int = 2 ** 20, gram=None,
                         deadline: float | None = None) -> tuple[int, ...] | None:
    r"""A subset $S$ (possibly empty) with $\sum_{i \in S} v_i = t$ (``target``) exactly, or ``None`` if none exists.

    The real solutions of $\sum_i x_iv_i = t$ are those of the normal equations $Gx = c$ ($G$ the Gram matrix of
    the $v_i$, $c_i = v_i\cdot t$) with $t\cdot t = x\cdot c$ (then $\|\sum_i x_iv_i - t\|^2 = x^TGx - 2x\cdot c +
    t\cdot t = 0$), and $\ker G = \ker(v_i)$; so they are empty or an affine space $x_0 + \ker G$, and the search is
    for a $0/1$ point of it in $n$ coordinates, never in the dimension $D$ of the vectors (at 784-32-10 the old meet
    in the middle held $2^{16}$ sums of 7,840 rationals and ran out of memory). Off the support of $\ker G$ the point
    is $x_0$; on it, either its values at the $d$ pivots of the kernel's RREF (the $2^d$ choices) or meet in the
    middle over the columns of $G$ (same kernel), reduced to independent rows, whichever is cheaper. The answer is a
    deterministic function of the input. ``gram``: the Gram matrix of $v_1, \dots, v_n, -t$ (as for
    :func:`~semialg.geometry.zero_sum.count_subsets_with_sum`), when the caller has it cheaper. Raises
    :class:`~semialg.errors.UndecidedError` when both $2^d$ and the $2^{\lceil s/2\rceil}$ half-sums of meeting in
    the middle over a support of size $s$ exceed ``budget`` — known from the kernel's basis, before its RREF (at
    16-128-4 an RREF of 100 s for a kernel of dimension 64, then refused). ``deadline`` (a ``time.monotonic()``
    value; ``None``: none) is checked before each exact step (the Gram matrix, the solve, the kernel, its RREF, the
    reduction to independent rows; the RREFs of singular equations are not started when predicted to end past it,
    :data:`RREF_SECONDS`) and in the searches (at each of the $2^d$ choices, every 4,096 half-sums): past it
    :class:`DeadlinePassed` says how far the search got; a step already started runs to its end. Cost: the Gram
    matrix ($O(n^2D)$) unless given, one $n \times n$ solve over $\mathbb{Z}$ (with a kernel: two RREFs, about
    :data:`RREF_SECONDS` $\cdot n^4$ each, and for $n > D$ no solve over $\mathbb{Z}$: $G$ is singular), then
    $O(n)$, or $O(2^d dn)$, or $O(2^{s/2}n)$.

    >>> find_subset_with_sum([(1, 0), (0, 1), (1, 1)], (2, 1))
    (0, 2)
    >>> find_subset_with_sum([(1, 0), (0, 1)], (2, 1)) is None
    True
    """
    vectors = [tuple(v) for v in to_matrix(vectors, where="vectors")] if vectors else []
    target = tuple(to_matrix([target], where="target")[0])
    if not any(target):
        return ()
    n = len(vectors)
    if not n:
        return None
    head = f"subset-sum search over {n} vectors"
    if gram is None:
        _check(deadline, head, "the Gram matrix")
        A = fmpq_mat([list(v) for v in vectors] + [[-x for x in target]])
        gram = A * A.transpose()
    gram = as_fmpq_mat(gram)
    G = fmpq_mat(n, n, [gram[i, j] for i in range(n) for j in range(n)])
    c = [-gram[i, n] for i in range(n)]
    x0, kernel = _normal_solutions(G, c, n > len(target), deadline, head)   # n > D: G has rank at most D < n
    if dot(x0, c) != gram[n, n]:
        return None
    return _zero_one_point(G, x0, kernel, budget, deadline, head)


def _normal_solutions(G: fmpq_mat, c: list, singular: bool, deadline: float | None, head: str) -> tuple[list, list]:
    r"""A solution $x_0$ of the consistent system $Gx = c$ and a basis of $\ker G$ (empty when $G$ is invertible:
    then one solve over $\mathbb{Z}$ by p-adic lifting, not tried when ``singular``: it fails, after 0.7 s at
    16-128-4). :class:`DeadlinePassed` instead of a step predicted to end past ``deadline``
    (:data:`RREF_SECONDS`)."""
    if not singular:
        _check(deadline, head, "the solve of the normal equations")
        Gz, q = G.numer_denom()
        cz, qc = fmpq_mat([[x] for x in c]).numer_denom()
        try:
            Y = Gz.solve(cz)                          # G x = c  <=>  Gz x = (q / qc) cz
            return [Y[i, 0] * q / qc for i in range(len(c))], []
        except ZeroDivisionError:
            pass
    rref_seconds = RREF_SECONDS * len(c) ** 4
    _check(deadline, head, "the solve of the singular normal equations and their kernel (two RREFs)", 2 * rref_seconds)
    x0 = solve(G, c)
    if x0 is None:
        raise ValueError("gram is not a Gram matrix: the normal equations are inconsistent")
    _check(deadline, head, "the kernel of the normal equations (they are solved)", rref_seconds)
    return list(x0), nullspace(G)


def _zero_one_point(G: fmpq_mat, x0: list, kernel: list, budget: int, deadline: float | None,
                    head: str) -> tuple[int, ...] | None:
    r"""The support of the first $0/1$ point of $x_0 + \ker G$ (:func:`find_subset_with_sum`), or ``None``;
    :class:`DeadlinePassed` past ``deadline``, saying how far the search got."""
    n, binary = len(x0), (lambda x: x == 0 or x == 1)
    if not kernel:
        return tuple(i for i, x in enumerate(x0) if x == 1) if all(map(binary, x0)) else None
    # the support and dimension of the kernel do not depend on its basis: the budget is decided before any RREF
    support = [j for j in range(n) if any(v[j] != 0 for v in kernel)]
    on_support = set(support)
    fixed = [j for j in range(n) if j not in on_support]
    if not all(binary(x0[j]) for j in fixed):
        return None
    s, d = len(support), len(kernel)
    half = 2 ** ((s + 1) // 2)      # half-sums of at most s - d rationals each (the rank of the support's columns)
    head = f"{head}, a kernel of dimension {d} over {s} of them"
    if 2 ** d <= min(budget, half):
        _check(deadline, head, "the RREF of the kernel")
        R, _ = rref(kernel)
        pivots = [next(j for j in range(n) if R[g, j] != 0) for g in range(d)]
        rows = [[R[g, j] for j in range(n)] for g in range(d)]
        for tried, values in enumerate(itertools.product((0, 1), repeat=d)):
            if deadline is not None and time.monotonic() > deadline:
                raise DeadlinePassed(f"{head}: the deadline passed after {tried} of the 2^{d} 0/1 choices at the "
                                     f"pivots of the kernel (none a 0/1 point)")
            point = list(x0)
            for row, y, p in zip(rows, values, pivots, strict=True):
                shift = y - x0[p]
                if shift:
                    point = [a + shift * r for a, r in zip(point, row, strict=True)]
            if all(map(binary, point)):
                return tuple(i for i, x in enumerate(point) if x == 1)
        return None
    if half > budget:
        raise UndecidedError(f"subset-sum search: a kernel of dimension {d} over {s} vectors exceeds the budget "
                             f"{budget}")
    # sum_{j in S} G e_j = sum_j x0_j G e_j over the support (x0 off it is fixed)
    cols = [tuple(G[i, j] for i in range(n)) for j in support]
    goal = tuple(sum((col[i] * x0[j] for col, j in zip(cols, support, strict=True)), _ZERO) for i in range(n))
    _check(deadline, head, "meeting in the middle (the reduction to independent rows)")
    low, dim = _in_few_coordinates(cols + [goal], range(s + 1))
    goal = low.pop(s)
    try:
        found = next(_half_sum_matches([low[i] for i in range(s)], goal, s // 2, deadline), None)
    except DeadlinePassed as exc:
        raise DeadlinePassed(f"{head}: the deadline passed while meeting in the middle ({exc})") from None
    if found is None:
        return None
    return tuple(sorted({support[i] for i in found[0] + found[1]} | {j for j in fixed if x0[j] == 1}))
