"""Minimum-width realizations of a shallow function (Dereich, Kassing: widths $N$, $N+1$, $N+2$ for $k = 1$)."""

from __future__ import annotations

import itertools
import time
from typing import Iterator, Sequence

from flint import fmpq, fmpq_mat

from semialg.core.exact import rank, row_basis, vadd
from semialg.core.network import Network
from semialg.core.symmetry import GroupElement
from semialg.engine.neurons import (CHEAP_SECONDS, constant_neurons, dead_neurons, predicted_late, rank_one_sketch,
                                    rank_one_sketch_seconds)
from semialg.errors import ArchitectureError, CertificateError, UndecidedError, check_budget
from semialg.families.shallow.canonical import CanonicalForm, canonical_form
from semialg.families.shallow.kink_tensors import KinkTensors, LinearShares
from semialg.families.shallow.view import ZERO, ShallowView, neuron_lines
from semialg.geometry.subset_sum import find_subset_with_sum
from semialg.geometry.zero_sum import DeadlinePassed

__all__ = ["minimal_form", "minimal_representative"]


def minimal_form(net: Network, limit: int = 12, budget: int = 2 ** 20, seconds: float | None = 60.0,
                 progress: bool | None = None) -> Network:
    """A minimal-width network realizing $f_\\theta$, canonical: it depends only on $K(\\theta)$.

    Every kink hyperplane needs one neuron; the linear part must be absorbed as $L = -\\sum_{H\\in F}
    \\delta_H u_H^T + R$ by orienting the neurons of $F$ negatively, with a residual $R$ realized by extra
    neurons: a second neuron on each hyperplane $H$ of a set $M$ of kink hyperplanes outside $F$ absorbs any
    $-t\\,u_H^T$; a new opposite pair absorbs any rank-one $t v^T$. A realization without twins has one or two
    neurons on each kink hyperplane and none or an opposite pair on any other, so the fewest extra neurons are
    $\\min_{F, M} |M| + 2\\rho(F, M)$, $\\rho(F, M)$ the rank of $R$ modulo the span of the normals of $M$. For
    $k = 1$ the width is $N$, $N+1$ or $N+2$ (Dereich–Kassing). (The sign is minus because $a\\sigma(-z) =
    a\\sigma(z) - az$.)
    Choosing $F$ and $M$ is exhaustive for $N \\le$ ``limit`` (:func:`_least`): the width is then minimal for
    every $k$. Beyond, width $N$ and width $N + 1$ are decided exactly, and else the residual goes to opposite pairs
    with $F = \\emptyset$: minimal for $k = 1$, for $k > 1$ only an upper bound. Beyond the limit, with linearly
    independent normals the shares $L = \\sum_H \\ell_H u_H^T + L_\\perp$ decide it outright
    (:class:`~semialg.families.shallow.kink_tensors.KinkTensors`: width $N$ iff $L_\\perp = 0$ and every
    $\\ell_H \\in \\{0, -\\delta_H\\}$, $N + 1$ through $H_0$ iff only $H_0$'s share is not). With dependent ones
    (always when $N > m$, as at 784-4096-10), a parameter with one live neuron per hyperplane is already a width-$N$
    realization, oriented by the signs $s_i$ of its neurons; when the rank-one sketch
    (:func:`~semialg.engine.neurons.rank_one_sketch`) proves the tensors $\\delta_H \\otimes u_H$ independent, that
    $F$ is the only one, and the minimal form is the parameter itself, normalised and sorted (784-4096-10: 14 s,
    where the Gram matrix and the solve below ran for more than 300 s). Otherwise exact subset sums over the tensors
    (:func:`semialg.geometry.subset_sum.find_subset_with_sum`, with their Gram matrix from the factors) decide width
    $N$, then width $N + 1$ for each $H_0$ in the quotient by $\\{t u_{H_0}^T\\}$ while ``budget`` lasts (a Gram
    matrix and a solve each, $(N + 1)^3/256$ units) — but first a screen modulo a prime
    (:meth:`~semialg.families.shallow.kink_tensors.KinkTensors.screen`, one inverse for all $H_0$) leaves at most
    one $F$ per question, checked exactly, and the solves only for the $H_0$ it cannot decide (784-1024-10 with a
    merged pair: 15 s, where the solve for width $N$ alone took 120 s) — else uses opposite pairs with
    $F = \\emptyset$.

    Two budgets: ``budget`` counts those work units (as it always has; :class:`ArchitectureError` when spent), and
    ``seconds`` bounds the wall clock (``None``: no limit): a stage predicted to end past it (the sketch, a Gram
    matrix, the screen, a solve; :func:`~semialg.engine.neurons.predicted_late`) is not started, the subset sums
    stop at it (their kernel's RREF and their enumerations:
    :func:`~semialg.geometry.subset_sum.find_subset_with_sum`), and :class:`~semialg.errors.UndecidedError` says what
    was decided (a stage predicted under a second always runs, and the subset sums run for a second at least, so
    small networks get their answer with ``seconds=0``). ``progress`` shows a tqdm bar over the hyperplanes $H_0$
    tried (``None``: on a terminal, after 2 s). Cost: within the limit $2^N$ residuals, and for $k > 1$ a rank per
    set $M$ of at most $\\min(m, 2k)$ independent normals that can pay (:func:`_absorptions`; 4-20-4 with 12 kinks
    and four opposite pairs: 0.2 s); beyond, one
    $N \\times N$ integer solve for independent normals (784-256-10: 1 s), the sketch ($O(N^2(m + k + N))$ modulo a
    prime) with one live neuron per hyperplane, else $O(N^2(m + k))$ for the Gram matrix and a solve per hyperplane
    tried.

    >>> net = Network.from_arrays([[[1], [1]], [[1, -1]]], [[0, -1], [0]])
    >>> minimal_form(net, seconds=0).widths
    (1, 2, 1)
    """
    budget = check_budget(budget)
    deadline = None if seconds is None else time.monotonic() + check_budget(seconds, "seconds", seconds=True)
    K = canonical_form(net)
    N = K.num_kinks
    if N > limit:
        try:
            T = KinkTensors(K)
            if T.shares() is None:      # dependent normals: no shares to decide by
                out = _own_orientation(net, K, deadline)
                if out is not None:
                    return out
            F, plan = _absorbing_set(T, budget, deadline, progress)
        except _SecondsSpent as exc:
            raise UndecidedError(f"minimal form of {N} kinks: {exc}") from None
        except UndecidedError as exc:
            raise ArchitectureError(f"minimal form of {N} kinks: {exc}") from None
    else:
        F, M = _least(K, first=True)[1][0]
        plan = _plan(K, _residual(K, F), M)
    out = _realize(K, F, plan).network()
    if canonical_form(out) != K:
        raise CertificateError("internal error: minimal form does not realize the function")
    return out


def _realize(K: CanonicalForm, F: Sequence[int], plan: dict) -> ShallowView:
    """The network of a choice: the neurons of $F$ oriented negatively, the residual realized by ``plan``."""
    a, w, b = [], [], []
    c = list(K.constant)
    for h, (key, delta) in enumerate(K.kinks):
        u, beta = key[:-1], key[-1]
        t = plan.get(("existing", h))
        if h in F:
            a.append(delta), w.append(tuple(-x for x in u)), b.append(-beta)
            c = [cr + dr * beta for cr, dr in zip(c, delta, strict=True)]
        else:
            a.append(delta), w.append(u), b.append(beta)
        if t is not None:
            # split H into a positive neuron (delta - t) and a negative one (t): linear part -t u^T
            a[-1] = vadd(delta, t, fmpq(-1)) if h not in F else delta
            a.append(t), w.append(tuple(-x for x in u)), b.append(-beta)
            c = [cr + tr * beta for cr, tr in zip(c, t, strict=True)]
    return ShallowView.of_neurons(a, w, b, c, K.input_dim, plan.get("pairs", []))


def minimal_representative(net: Network, limit: int = 12) -> Network:
    """The minimal form of $\\theta$ in its own architecture (Ramakrishnan, *A Complete Symmetry
    Classification of Shallow ReLU Networks*, arXiv 2604.14037, Definition 3): a canonical representative of
    the class of $\\theta$ among the parameters of width $n$.

    Among the realizations of $f_\\theta$ with no dead neurons, no twins and the fewest live neurons — every live
    row normalised so that its first non-zero weight is $\\pm 1$, padded to width $n$ with zero neurons — it is
    the lexicographically least parameter vector (order of :meth:`Network.parameters`: $W_1$ row by row, $b_1$,
    $W_2$, $b_2$), minimising over the orientations $F$ (0-factor flips and opposite pairs), the placement of
    the residual (the kink hyperplanes $M$ given a second neuron, and opposite pairs) and the order of the neurons;
    for $N \\le$ ``limit`` the number of live neurons is proven least (:func:`minimal_form`), so the result is never
    wider than $\\theta$; every placement of the residual of that width competes, for $k = 1$ too (several
    hyperplanes carrying it; an opposite pair always beats two split hyperplanes: with every kink oriented
    negatively it adds a row of negative lead where a split adds one of positive lead). Continuous freedoms left by non-generic functions are fixed as in
    :func:`minimal_form` (pair biases $0$, residual split along its reduced row echelon form). For a parameter
    with distinct hyperplanes and no dead neuron this is the least normalised, sorted element of
    $\\{\\theta_S : S \\text{ admissible}\\}$, i.e. the lexicographic minimum of the class under permutations,
    normalised scalings and 0-factor flips. Contrast :func:`minimal_form`, which returns the minimum-width network.
    Cost: the search of :func:`minimal_form` with every tie kept, and a realization per tie not dominated
    (:func:`_dominant`), for $N \\le$ ``limit`` kinks (:class:`ArchitectureError` beyond; 4-20-4 with 12
    kinks and four opposite pairs: 3 s).

    >>> net = Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[1, 2, 3], [0]])
    >>> rep = minimal_representative(net)
    >>> rep.weights[0], rep.biases[1]
    (((-1, -1), (0, 1), (1, 0)), (0,))
    >>> from semialg.families.shallow import flip_neurons
    >>> minimal_representative(flip_neurons(net, (0, 1, 2))) == rep
    True
    """
    K = canonical_form(net)
    n, N = net.widths[1], K.num_kinks
    if N > limit:
        raise ArchitectureError(f"minimal representative of {N} kinks: more than limit={limit} kinks")
    best = None
    for F, M in _least(K, first=False)[1]:
        if not _dominant(K, F, M):
            continue
        v = _realize(K, F, _plan(K, _residual(K, F), M))
        if N == 0 and not any(K.linear[r][j] for r in range(K.output_dim) for j in range(K.input_dim)):
            v = ShallowView((), (), (), v.c)  # the constant function needs no neuron
        if v.n > n:
            raise CertificateError(f"internal error: a least realization has width {v.n} > {n}, more than theta")
        zero = ((ZERO,) * K.input_dim, ZERO, (ZERO,) * K.output_dim)  # (w, b, a) of a zero neuron
        neurons = sorted([(v.w[i], v.b[i], v.a[i]) for i in range(v.n)] + [zero] * (n - v.n))
        cand = ShallowView(tuple(x[2] for x in neurons), tuple(x[0] for x in neurons), tuple(x[1] for x in neurons),
                           v.c).network()
        if best is None or tuple(cand.parameters()) < tuple(best.parameters()):
            best = cand
    if canonical_form(best) != K:
        raise CertificateError("internal error: the minimal representative does not realize the function")
    return best


def _residual(K: CanonicalForm, F: Sequence[int]) -> list[list[fmpq]]:
    """$R = L + \\sum_{H \\in F}\\delta_H u_H^T$: the linear part left after orienting the neurons of $F$ negatively."""
    R = [list(r) for r in K.linear]
    for h in F:
        key, delta = K.kinks[h]
        for r in range(len(R)):
            R[r] = [x + delta[r] * uj for x, uj in zip(R[r], key[:-1], strict=True)]
    return R


class _SecondsSpent(UndecidedError):
    """A stage of :func:`_absorbing_set` predicted to end past the deadline (the count budget raises the plain
    :class:`UndecidedError` that :func:`minimal_form` turns into :class:`ArchitectureError`)."""


#: Predicted seconds per multiply-add of the integer Gram matrix of the normals and rows of $L$ (measured:
#: 784-4096-10, $4106^2 \cdot 784$ of them, 32 s), per word operation of an $N \times N$ inverse modulo a prime
#: (784-1024-10: 3 s), per $N^3$ of the exact solve of :func:`~semialg.geometry.subset_sum.find_subset_with_sum`
#: (784-1024-10: 120 s) and per entry of the tensors $\delta_H \otimes u_H$ as rationals (784-4096-10: 18 s).
GRAM_SECONDS, INVERSE_SECONDS, SOLVE_SECONDS, TENSOR_SECONDS = 2.4e-9, 3e-9, 1.1e-7, 5.6e-7


def _keep(deadline: float | None, seconds: float, what: str, done: str) -> None:
    """Raise :class:`_SecondsSpent` when ``what``, predicted to take ``seconds``, would end past ``deadline``."""
    if predicted_late(deadline, seconds):
        raise _SecondsSpent(f"{done}; {what} (predicted {seconds:.3g} s) would end past the budget (deadline)")


def _own_orientation(net: Network, K: CanonicalForm, deadline: float | None) -> Network | None:
    """The minimal form when ``net`` has one live neuron per hyperplane and the rank-one sketch proves the tensors
    $\\delta_H \\otimes u_H = s_i a_i w_i^T$ independent: then $L = \\sum_{s_i = -1} a_i w_i^T = -\\sum_{H \\in F}
    \\delta_H u_H^T$ for $F$ the hyperplanes of the neurons with $s_i = -1$, the only such $F$, and the realization of
    $(F, \\emptyset)$ is $g\\cdot\\theta$ for $g$ ordering the neurons as the kinks and scaling neuron $i$ by
    $1/\\mu_i$ — the function is kept by construction, so the $O(nm)$ rational re-check of the canonical form
    (20 s and 6 GB at 784-4096-10) is not needed. ``None`` otherwise (then the general search decides), or
    :class:`_SecondsSpent` when the sketch would end past ``deadline``. Cost: $O(n(m + k))$ and the sketch."""
    n = net.widths[1]
    if K.num_kinks != n or dead_neurons(net, 1) or constant_neurons(net, 1):
        return None
    lines = neuron_lines(ShallowView.of(net))
    if lines.count != n:
        return None
    _keep(deadline, rank_one_sketch_seconds(net, 1, 0), f"the rank-one sketch that would prove the orientation of the "
          f"parameter the only one ({n} x {n} rank modulo p)", "the normals are dependent")
    if not rank_one_sketch(net, 1, 0):
        return None
    keys = lines.keys()
    at = {h: i for i, h in enumerate(lines.line)}
    perm = [at[h] for h in sorted(range(n), key=keys.__getitem__)]   # the order of K.kinks
    return GroupElement([perm], [[1 / lines.scale[i] for i in perm]]).act(net)


def _absorbing_set(T: KinkTensors, budget: int, deadline: float | None = None,
                   progress: bool | None = None) -> tuple[tuple[int, ...], dict]:
    """$F$ and the plan for the residual of the canonical form of ``T``: by the shares of $L$ when the normals are
    linearly independent, else by the screen modulo a prime with its candidates checked exactly, and by exact subset
    sums over the tensors $\\delta_H \\otimes u_H$ (with their Gram matrices from the factors) for what the screen
    leaves. Stages predicted to end past ``deadline`` raise :class:`_SecondsSpent`, and so do the subset sums that
    reach it (at the earliest :data:`~semialg.engine.neurons.CHEAP_SECONDS` after the start)."""
    # a cheap search runs even past the deadline, bounded: seconds=0 keeps the answers of small networks
    searched = None if deadline is None else max(deadline, time.monotonic() + CHEAP_SECONDS)
    K = T.K
    N, k, m = K.num_kinks, K.output_dim, K.input_dim
    shares = T.shares()
    if shares is not None:
        return _absorbing_set_by_shares(K, shares)
    gram = GRAM_SECONDS * (N + k) ** 2 * m
    spent = (N + 1) ** 2 * (k + 1) // 64      # the screen: k + 2 products and inverses modulo p, in word operations
    screened = None
    if spent <= budget:
        _keep(deadline, gram + INVERSE_SECONDS * N ** 3, "the screen modulo a prime (the Gram matrix and an inverse)",
              "the normals are dependent")
        screened = T.screen(one_more=False)
    if screened is not None:
        if screened.orientation is not None and not any(x for row in _residual(K, screened.orientation) for x in row):
            return screened.orientation, {}
        _keep(deadline, (k + 1) * INVERSE_SECONDS * N ** 3, f"the screen of width {N + 1} ({k + 1} products modulo p)",
              f"width {N} is excluded")
        screened = T.screen()
        for h0, F in screened.through:
            t = _carried_by(_residual(K, F), K.kinks[h0][0][:-1])
            if t is not None:
                return F, {("existing", h0): t}
    candidates = range(N) if screened is None else screened.undecided
    if candidates:
        _keep(deadline, TENSOR_SECONDS * N * k * m + gram + SOLVE_SECONDS * N ** 3,
              f"the exact subset sums (the tensors as rationals, a Gram matrix and an exact solve for "
              f"{'width ' + str(N) + ' and then ' if screened is None else ''}each of {len(candidates)} hyperplanes)",
              "the normals are dependent and the screen did not apply" if screened is None else
              f"width {N} is excluded and the screen modulo a prime left {len(candidates)} hyperplanes")
    flat = lambda rows: tuple(x for r in rows for x in r)  # noqa: E731
    vecs = [flat([[d * uj for uj in key[:-1]] for d in delta]) for key, delta in K.kinks] if candidates else []
    target = tuple(-x for x in flat(K.linear))
    if screened is None:
        F = _subset_with_sum(vecs, target, budget, T.gram(range(N)), searched,
                             f"the normals are dependent and the screen did not apply; width {N}")
        if F is not None:
            return F, {}
    from tqdm.auto import tqdm
    for tried, h0 in enumerate(tqdm(candidates, desc=f"minimal form: width {N + 1}", unit="hyperplane", delay=2,
                                    leave=False, disable=None if progress is None else not progress)):
        spent += (N + 1) ** 3 // 256          # a Gram matrix and an N x N solve per hyperplane H0: O(N^3)
        left = (f"width {N + 1} is undecided: {tried} of the {len(candidates)} kink hyperplanes "
                f"{'the screen modulo a prime left ' if screened is not None else ''}tried (a Gram matrix and an exact "
                f"solve each)")
        if spent > budget:
            raise UndecidedError(f"{left} within the budget {budget}")
        _keep(deadline, gram + SOLVE_SECONDS * N ** 3, "the Gram matrix and solve of the next", left)
        u = K.kinks[h0][0][:-1]
        j = next(j for j, x in enumerate(u) if x != 0)
        m = len(u)

        def proj(x: Sequence[fmpq]) -> tuple:
            # kills every t u_{H0}^T: subtract from each output row its coordinate j times u / u_j
            return tuple(x[r * m + i] - x[r * m + j] / u[j] * u[i] for r in range(k) for i in range(m))

        others = [h for h in range(N) if h != h0]
        Ur = fmpq_mat([[x / u[j] for x in u]])
        S = _subset_with_sum([proj(vecs[h]) for h in others], proj(target), budget, T.gram(others, Ur, [j]),
                             searched, f"{left}; the next")
        if S is not None:
            F = tuple(others[s] for s in S)
            return F, {("existing", h0): _carried_by(_residual(K, F), u)}
    return (), _plan(K, _residual(K, ()), ())


def _subset_with_sum(vecs: list[tuple], target: tuple, budget: int, gram, deadline: float | None,
                     done: str) -> tuple[int, ...] | None:
    """:func:`~semialg.geometry.subset_sum.find_subset_with_sum`, whose stop at ``deadline`` becomes
    :class:`_SecondsSpent` saying ``done`` and how far the search got (a spent ``budget`` stays an
    :class:`UndecidedError`)."""
    try:
        return find_subset_with_sum(vecs, target, budget, gram=gram, deadline=deadline)
    except DeadlinePassed as exc:
        raise _SecondsSpent(f"{done}: {exc}") from None


def _carried_by(R: Sequence[Sequence[fmpq]], u: Sequence[fmpq]) -> tuple[fmpq, ...] | None:
    """$t$ with $R = -t\\,u^T$ (one neuron on the hyperplane of normal $u$ absorbs it), or ``None``."""
    j = next(j for j, x in enumerate(u) if x != 0)
    if any(x != row[j] / u[j] * y for row in R for x, y in zip(row, u, strict=True)):
        return None
    return tuple(-row[j] / u[j] for row in R)


def _absorbing_set_by_shares(K: CanonicalForm, shares: LinearShares) -> tuple[tuple[int, ...], dict]:
    """$F$ and the plan from $L = \\sum_H \\ell_H u_H^T + L_\\perp$ (independent normals): $R_F = 0$ iff
    $L_\\perp = 0$ and $\\ell_H + [H \\in F]\\delta_H = 0$ for every $H$; $R_F = t u_{H_0}^T$ with $H_0 \\notin F$ iff
    that holds for every $H \\ne H_0$; so width $N + 1$ through an existing hyperplane needs exactly one $H_0$ whose
    share is not absorbed."""
    F = shares.orientation()
    if F is not None:
        return F, {}
    loose = [h for h, ok in enumerate(shares.absorbed) if not ok]
    if shares.inside and len(loose) == 1:
        (h0,) = loose
        F = tuple(h for h, ell in enumerate(shares.shares) if h != h0 and any(ell))
        return F, {("existing", h0): tuple(-x for x in shares.shares[h0])}
    return (), _plan(K, _residual(K, ()), ())


def _subsets_by_size(N: int) -> Iterator[tuple[int, ...]]:
    for size in range(N + 1):
        yield from itertools.combinations(range(N), size)


def _least(K: CanonicalForm, first: bool) -> tuple[int, list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    """The least number of extra neurons over the orientations $F$ and split hyperplanes $M$, with the sets
    $(F, M)$ attaining it (when ``first``, only those of the first $F$ attaining it). Cost: $2^N$ residuals, each with
    :func:`_absorptions`."""
    best, found = None, []
    for F in _subsets_by_size(K.num_kinks):
        # when one answer is enough, a tie cannot improve it
        bound = None if best is None else best - 1 if first else best
        for cost, M in _absorptions(K, F, _residual(K, F), bound, ties=not first):
            if best is None or cost < best:
                best, found = cost, []
            found.append((F, M))
        if first and best == 0:
            break
    return best, found


def _absorptions(K: CanonicalForm, F: Sequence[int], R, bound: int | None,
                 ties: bool = False) -> list[tuple[int, tuple[int, ...]]]:
    r"""The cheapest sets $M$ of kink hyperplanes outside $F$ to split in two neurons for the residual $R$, with their
    cost $|M| + 2\rho(F, M)$ when it is at most ``bound`` (``None``: any); every such $M$ when ``ties``.

    A split hyperplane absorbs any $-t\,u_H^T$ for one extra neuron, an opposite pair any rank-one $t\,v^T$ for
    two, so the least number of pairs left is $\rho(F, M) = \operatorname{rank}\begin{pmatrix}R \\ U_M
    \end{pmatrix} - |M|$ for independent normals $U_M$ (the rank of $R$ modulo their span; dependent normals
    are never needed, one of them could be dropped). Since $\rho(F, M) \ge \operatorname{rank} R - |M|$, only
    $|M| \le \min(m, 2\operatorname{rank} R)$ can pay. For $k = 1$ without ``ties`` one answer is found faster: a
    hyperplane through which $R$ is carried, else $M = \emptyset$ (two split hyperplanes cost no less than a pair).
    """
    N, k, m = K.num_kinks, len(R), len(R[0])
    rho = rank(R)
    bound = 2 * rho if bound is None else bound
    out = [(2 * rho, ())] if 2 * rho <= bound else []
    if rho == 0:
        return out
    free = [h for h in range(N) if h not in F]
    if k == 1 and not ties:
        for h in free:
            if _carried_by(R, K.kinks[h][0][:-1]) is not None:
                return [(1, (h,))] if bound >= 1 else []
        return out
    for size in range(1, min(m, 2 * rho) + 1):
        if size + 2 * max(0, rho - size) > bound:
            continue
        for M in itertools.combinations(free, size):
            U = [K.kinks[h][0][:-1] for h in M]
            if rank(U) < size:
                continue
            cost = size + 2 * (rank(list(R) + U) - size)
            if cost < bound:
                bound, out = cost, []
            if cost == bound:
                out.append((cost, M))
    return out


def _dominant(K: CanonicalForm, F: Sequence[int], M: Sequence[int]) -> bool:
    r"""Whether $F$ holds every hyperplane $H \notin M$ with $u_H$ in the span of $U_M$: else adding $H$ to $F$ keeps
    $R$ modulo that span, hence the cost and the pairs, and turns the row $u_H$ into the smaller $-u_H$ — a
    lexicographically smaller $W_1$."""
    if not M:
        return True
    U = [K.kinks[h][0][:-1] for h in M]
    return all(h in F or rank(U + [K.kinks[h][0][:-1]]) > len(M) for h in range(K.num_kinks) if h not in M)


def _plan(K: CanonicalForm, R, M: Sequence[int]) -> dict:
    r"""How to realize the residual $R$ through the split hyperplanes $M$ (independent normals): $R = -\sum_{H \in
    M} t_H u_H^T + R'$, with $R'$ the rows of $R$ reduced at the pivots of the RREF of $U_M$ (a fixed complement
    of their span) and realized by an opposite pair per row of the RREF of $R'$. For a least $(F, M)$ the realization
    has no dead neurons and no twins: $t_H \in \{0, \delta_H\}$ would make $(F, M \setminus H)$ or
    $(F \cup H, M \setminus H)$ cheaper, and a pair normal along some $u_H$, $H \notin M$, would make splitting $H$
    (with $H$ taken out of $F$) cheaper."""
    R = fmpq_mat(R)
    plan = {}
    if M:
        E, size = fmpq_mat([K.kinks[h][0][:-1] for h in M]).rref()
        piv = [next(j for j in range(E.ncols()) if E[i, j] != 0) for i in range(size)]
        A = fmpq_mat([[K.kinks[h][0][j] for j in piv] for h in M])      # U_M = A E
        RP = fmpq_mat([[R[r, j] for j in piv] for r in range(R.nrows())])
        Q = -RP * A.inv()
        R = R - RP * E
        plan = {("existing", h): tuple(Q[r, i] for r in range(Q.nrows())) for i, h in enumerate(M)}
    pairs = []
    for row in row_basis(R):
        piv = next(j for j, x in enumerate(row) if x != 0)
        pairs.append((tuple(R[r, piv] for r in range(R.nrows())), row))
    return {**plan, "pairs": pairs}
