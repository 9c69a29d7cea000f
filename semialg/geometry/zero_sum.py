"""Zero-sum subsets: non-empty $S$ with $\\sum_{i \\in S} v_i = 0$ for rational vectors $v_1, \\dots, v_n$.

This is the 0-factor condition of shallow networks ($v_i = \\mathrm{vec}(a_i w_i^T)$) and contains subset-sum
(NP-hard already in dimension one), so :func:`find_zero_sum_set` decides it with cheap certificates first and
an exact search under a budget last:

1. **independence** — if the $v_i$ are linearly independent no $S$ exists; full rank modulo a 60-bit prime
   proves it ($O(n^2 D)$ word operations);
2. **valuations** — if, in some coordinate, one vector has the unique smallest $p$-adic valuation among those left,
   it lies in no $S$ (ultrametric inequality); if exactly two tie, $S$ holds both or neither, and they are joined
   into one vector, their sum. Peeling and joining (:mod:`~semialg.geometry.valuation_peeling`, $O(nD)$
   valuations a round) rules out all 4,096 terms of a 784-4096-1-10 network read from float32 weights in about four
   seconds, and a joined class summing to zero is a witness; the vectors not peeled go on;
3. **modulo a prime** — $1_S \\bmod p$ is a $0/1$ point of the kernel modulo $p$, on every component of the matroid
   modulo $p$; a component whose kernel has no such point meets no $S$
   (:mod:`~semialg.geometry.modular_zero_sum`: one kernel modulo $p$, then meet in the middle over the $d$ pivots
   of each component, $2^{d/2}$; 784-800: 16 dependencies, 1 s). Only the other components are left;
4. **Gordan's alternative** — a functional $\\varphi$ with $\\varphi(v_i) > 0$ on every vector left rules out every
   $S$ (one floating-point LP, checked exactly); inner networks $784$-$n$ up to about $n = 2 \\cdot 784$ end here;
5. **kernel support** — on at most :data:`EXACT_LIMIT` vectors left: only indices in the support of the kernel
   $\\{c : \\sum c_i v_i = 0\\}$ can lie in $S$, and since $1_S$ is in the kernel, its restriction to each
   connected component of the linear matroid is again a zero-sum set, so components are searched separately
   (one exact kernel computation), each with Gordan's alternative again (its multipliers, when they are a 0/1
   vector, are a witness);
6. **lattice reduction** — LLL (flint ``fmpz_mat.lll``) on the integer kernel of a component finds short
   kernel vectors; a $0/\\pm1$ vector of one sign is a witness ($O(t^2 s \\log B)$ for a kernel of rank $t$);
7. **meet in the middle** — an exact search over a component of size $s$ in $O(2^{s/2})$ time and memory,
   run only while $2^{s/2}$ fits the ``budget``.

>>> find_zero_sum_set([(1, 0), (0, 1), (-1, -1)]).witness
(0, 1, 2)
>>> find_zero_sum_set([(1, 0), (0, 1), (1, 1)]).status
'none'
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from flint import fmpq, fmpz, fmpz_mat

from semialg.core.result import Latexable
from semialg.errors import CertificateError, UndecidedError
from semialg.core.exact import PRIME, fingerprint, float_array, modular_rank, nullspace, rref, to_matrix
from semialg.geometry.modular_zero_sum import MODULAR_LIMIT, eliminate, kernel_mod, search_component
from semialg.geometry.modular_zero_sum import _hash, _matches, _subset_sums as _mod_subset_sums
from semialg.geometry.polyhedron import decide, exact_point, lp_point
from semialg.geometry.valuation_peeling import OuterProducts, check_peeling, peeling

__all__ = ["ZERO_SUM_LIMIT", "ZeroSumDecision", "DeadlinePassed", "find_zero_sum_set", "zero_sum_sets",
           "kernel_components", "count_zero_sum_sets", "count_subsets_with_sum"]

_ZERO = fmpq(0)
Vec = tuple[fmpq, ...]

#: The default ``limit`` of :func:`zero_sum_sets` and of the 0-factor listings built on it: a component of 40 vectors
#: is met in the middle over $2^{20}$ half-sums modulo a prime in about half a second (as $2^{16}$ exact half-sums
#: were, for the limit of 32 before them).
ZERO_SUM_LIMIT = 40

#: The most vectors :func:`find_zero_sum_set` hands to its exact stages (a kernel over $\mathbb{Q}$ and LLL): an
#: exact kernel of the $784 \times 800$ matrix of an inner network read from float32 weights takes minutes.
EXACT_LIMIT = 256

#: Seconds per entry of the vectors for the stages after the peeling, up to the exact ones: multiplying out
#: :class:`~semialg.geometry.valuation_peeling.OuterProducts`, the kernel modulo $p$, Gordan's alternative (a
#: 784-4096-1-10 layer's flip terms, 3.2 million entries: 6.5 s). With a deadline they start only when predicted to
#: end before it: the peeling decides wide float32 layers in a fraction of that.
AFTER_PEELING_ENTRY_SECONDS = 2e-6


class DeadlinePassed(UndecidedError):
    """A search stopped at its deadline: the half-sums of meeting in the middle, and
    :func:`~semialg.geometry.subset_sum.find_subset_with_sum`, whose spent ``budget`` raises the plain
    :class:`UndecidedError` (callers with two budgets tell them apart)."""


def _sum(vectors: Sequence[Vec], S: Sequence[int]) -> Vec:
    dim = len(vectors[0])
    return tuple(sum((vectors[i][r] for i in S), _ZERO) for r in range(dim))


def kernel_components(vectors: Sequence[Vec], kernel: list[Vec] | None = None) -> list[list[int]]:
    """The connected components of the linear matroid of ``vectors`` that lie in some linear dependency.

    The RREF kernel basis consists of fundamental circuits; two indices are in one component iff a chain
    of such circuits links them. Indices in no dependency (coloops) are omitted. Cost: one exact kernel, or
    none when ``kernel`` (:func:`~semialg.core.exact.nullspace` of the matrix with columns ``vectors``, or of
    its Gram matrix: the same basis) is given.
    """
    n = len(vectors)
    if n == 0:
        return []
    if kernel is None and not vectors[0]:
        return [[i] for i in range(n)]
    if kernel is None:
        kernel = nullspace([[vectors[i][r] for i in range(n)] for r in range(len(vectors[0]))])
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    support = set()
    for v in kernel:
        idx = [i for i in range(n) if v[i] != 0]
        support.update(idx)
        for i in idx[1:]:
            parent[find(i)] = find(idx[0])
    comps: dict[int, list[int]] = {}
    for i in sorted(support):
        comps.setdefault(find(i), []).append(i)
    return sorted(comps.values())


def zero_sum_sets(vectors: Sequence[Vec] | OuterProducts, limit: int = ZERO_SUM_LIMIT,
                  deadline: float | None = None) -> list[tuple[int, ...]]:
    r"""Every non-empty $S$ with $\sum_{i\in S} v_i = 0$, listed exhaustively.

    A zero-sum set restricts to one (or to the empty set) on each component of the linear matroid
    (:func:`kernel_components`; indices in no dependency are in none), so the sets are the non-empty unions of
    one such piece per component, and each component's pieces are the pairs of half-sums adding to $0$ (meet in
    the middle). Components modulo $p$ without a $0/1$ kernel point are set aside first (:func:`_possible_indices`:
    at 784-800 all of them); more than ``limit`` vectors left in an open half-space (Gordan's alternative) have
    none. A component of more than ``limit`` vectors is not searched, nor more than :data:`EXACT_LIMIT` vectors
    left: :class:`UndecidedError` (the problem contains subset-sum; :func:`find_zero_sum_set` decides existence under
    a budget). :class:`~semialg.geometry.valuation_peeling.OuterProducts` are peeled from the valuations of their
    factors and multiplied out only when some are not peeled (784-4096: 3.2 million rationals). With ``deadline``
    (a ``time.monotonic()`` value) the stages after the peeling start only when predicted to end before it
    (:data:`AFTER_PEELING_ENTRY_SECONDS`; :class:`UndecidedError` otherwise). Cost: the kernel
    modulo $p$, one exact kernel of the vectors left, plus $O(2^{s/2}s)$ per component of size $s$ (in at most $s$
    coordinates), and the size of the answer.

    >>> zero_sum_sets([(1, 0), (0, 1), (-1, -1), (2, 0), (-2, 0)])     # by size, then lexicographically
    [(3, 4), (0, 1, 2), (0, 1, 2, 3, 4)]
    """
    if not isinstance(vectors, OuterProducts):
        vectors = [tuple(v) for v in vectors]
    keep = _possible_indices(vectors, 2 ** ((limit + 1) // 2), deadline)
    vectors = [tuple(vectors[i]) for i in keep]
    if len(keep) > limit and _gordan_point(vectors) is not None:
        return []
    if len(keep) > EXACT_LIMIT:
        raise UndecidedError(f"zero-sum search over {len(keep)} dependent vectors (more than {EXACT_LIMIT}) in no "
                             f"half-space: an exact kernel is not started")
    pieces = []
    for comp in kernel_components(vectors):
        if len(comp) > limit:
            raise UndecidedError(f"zero-sum search over a component of {len(comp)} dependent vectors exceeds the "
                                 f"limit {limit} (2^{(limit + 1) // 2} half-sums); use semialg.genericity with a budget")
        low, dim = _in_few_coordinates(vectors, comp)
        pieces.append([tuple(comp[i] for i in A + B)
                       for A, B in _half_sum_matches([low[i] for i in comp], (_ZERO,) * dim, len(comp) // 2)])
    out = [tuple(sorted(keep[i] for piece in choice for i in piece)) for choice in itertools.product(*pieces)]
    return sorted((S for S in out if S), key=lambda S: (len(S), S))


def _possible_indices(vectors: list[Vec] | OuterProducts, budget: int, deadline: float | None = None) -> list[int]:
    """The indices that may lie in a zero-sum set: those not peeled by their valuations
    (:func:`~semialg.geometry.valuation_peeling.peeling`) in the components modulo $p$ that
    :func:`~semialg.geometry.modular_zero_sum.eliminate` leaves (all of them when $p$ divides a denominator).
    Cost: that of the peeling and of the elimination."""
    if not vectors or not vectors[0]:
        return list(range(len(vectors)))
    if isinstance(vectors, OuterProducts) and vectors.a.shape[1] > 1 and \
            len(peeling(vectors.leading(1)).peeled) == len(vectors):     # the first output's terms: 784-4096-10
        return []
    peeled = set(peeling(vectors).peeled)
    if len(peeled) == len(vectors):
        return []
    if (late := _after_peeling_late(len(vectors), len(vectors[0]), deadline)) is not None:
        raise UndecidedError(f"zero-sum search: {len(peeled)} of {len(vectors)} vectors peeled; {late}")
    vectors = list(vectors)         # the elimination reads every vector
    try:
        K = kernel_mod(vectors)
    except ZeroDivisionError:
        return [i for i in range(len(vectors)) if i not in peeled]
    return sorted(i for comp in eliminate(vectors, K, min(budget, MODULAR_LIMIT)).open for i in comp
                  if i not in peeled)


@dataclass(frozen=True)
class ZeroSumDecision(Latexable):
    """The outcome of :func:`find_zero_sum_set`.

    ``status``: ``"found"`` (``witness`` is a zero-sum set), ``"none"`` (proven: ``proof`` lists, per
    component, how) or ``"undecided"`` (``tried`` says what ran out of budget). ``verify(vectors)``
    re-checks a witness by summing, an independence proof by a modular rank, a Gordan functional by exact
    pairings, and re-runs the searches modulo $p$ and the (exact) exhaustive ones.
    """

    status: str
    witness: tuple[int, ...] | None = None
    proof: tuple = ()
    tried: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.status == "found":
            return f"the vectors indexed by {list(self.witness)} sum to zero"
        if self.status == "none":
            return "no non-empty subset sums to zero (" + "; ".join(map(str, self.tried or self.proof)) + ")"
        return "undecided within the budget: " + "; ".join(self.tried)

    def verify(self, vectors: Sequence[Vec] | OuterProducts) -> bool:
        """Re-check the decision for ``vectors`` exactly (raises :class:`CertificateError`); an
        :class:`~semialg.geometry.valuation_peeling.OuterProducts` is multiplied out only where the proof reads it."""
        if not isinstance(vectors, OuterProducts):
            vectors = [tuple(v) for v in vectors]
        if self.status == "found":
            w = self.witness
            # distinct indices in range: a repeated index sums a vector twice, a negative one aliases another
            if not isinstance(w, tuple) or not w or len(set(w)) != len(w) or \
                    not all(type(i) is int and 0 <= i < len(vectors) for i in w):
                raise CertificateError(f"{w!r} is not a non-empty set of distinct indices in 0..{len(vectors) - 1}")
            if any(_sum(vectors, w)):
                raise CertificateError(f"the vectors indexed by {self.witness} do not sum to zero")
            return True
        if self.status == "undecided":
            raise CertificateError("undecided: " + "; ".join(self.tried))
        if not isinstance(self.proof, tuple) or not all(isinstance(e, tuple) and len(e) == 3 for e in self.proof):
            raise CertificateError("a proof is a tuple of (kind, component, data) triples")
        kinds = {kind for kind, _, _ in self.proof}
        if kinds == {"independent"}:
            comp = self.proof[0][1]
            if len(comp) != len(vectors) or (vectors and modular_rank(vectors) != len(vectors)):
                raise CertificateError("the vectors are not linearly independent")
            return True
        peeled = set(self._verify_peeling(vectors))
        rest = tuple(i for i in self._verify_modular(vectors) if i not in peeled)
        exact = [(kind, comp, data) for kind, comp, data in self.proof if kind not in ("modular", "valuation")]
        if not (len(exact) == 1 and exact[0][:2] == ("gordan", rest)):
            covered = {comp for kind, comp, _ in exact if kind in ("gordan", "exhaustive")}
            needed = {tuple(rest[i] for i in c) for c in kernel_components([vectors[i] for i in rest])} if rest \
                else set()
            if covered != needed or len(covered) != len(exact):
                raise CertificateError("the proof does not cover every component of the dependencies")
        for kind, comp, data in exact:
            if kind == "gordan":
                if len(data) != len(vectors[0]) or \
                        any(sum((p * x for p, x in zip(data, vectors[i], strict=True)), _ZERO) <= 0 for i in comp):
                    raise CertificateError(f"the functional is not positive on component {comp}")
            elif kind == "exhaustive" and _meet_in_the_middle(vectors, list(comp)) is not None:
                raise CertificateError(f"component {comp} has a zero-sum set")
        return True

    def _verify_peeling(self, vectors: list[Vec]) -> tuple[int, ...]:
        """Re-check the peeling by valuations, if any, and return the vectors it rules out."""
        peelings = [(comp, steps) for kind, comp, steps in self.proof if kind == "valuation"]
        if not peelings:
            return ()
        if len(peelings) > 1 or check_peeling(vectors, peelings[0][1]) != peelings[0][0]:
            raise CertificateError("the peeling by valuations does not rule out the vectors it names")
        return peelings[0][0]

    def _verify_modular(self, vectors: list[Vec]) -> tuple[int, ...]:
        """Re-search the components eliminated modulo $p$ (:mod:`~semialg.geometry.modular_zero_sum`) and return
        the indices the rest of the proof must cover: those in the other components modulo $p$, or all of them
        when nothing was eliminated."""
        modular = [(comp, p) for kind, comp, p in self.proof if kind == "modular"]
        if not modular:
            return tuple(range(len(vectors)))
        primes = {p for _, p in modular}
        if len(primes) != 1 or not all(type(p) is int and p > 2 and fmpz(p).is_prime() for p in primes):
            raise CertificateError(f"the components are not eliminated modulo one prime: {sorted(primes, key=str)}")
        p = primes.pop()
        try:
            K = kernel_mod(vectors, p)
        except ZeroDivisionError:
            raise CertificateError(f"{p} divides a denominator of the vectors") from None
        if not all(isinstance(comp, tuple) for comp, _ in modular):
            raise CertificateError("an eliminated component is not a tuple of indices")
        eliminated = {comp for comp, _ in modular}
        if not eliminated <= set(K.components) or len(eliminated) != len(modular):
            raise CertificateError(f"the eliminated sets are not distinct components modulo {p}")
        for comp in eliminated:
            if search_component(vectors, K, comp, MODULAR_LIMIT) != ():
                raise CertificateError(f"component {comp} has a 0/1 kernel point modulo {p}, or too many "
                                       f"dependencies to search")
        return tuple(sorted(i for c in K.components if c not in eliminated for i in c))


def _lll_witness(vectors: Sequence[Vec], comp: list[int]) -> tuple[int, ...] | None:
    """LLL on the knapsack lattice spanned by the rows $(e_i, N v_i)$: short vectors with a zero tail are
    integer relations $\\sum c_i v_i = 0$ with small $c$; a $0/1$ one is a zero-sum set."""
    dim = len(vectors[0])
    den = [math.lcm(*(int(vectors[i][r].q) for i in comp)) for r in range(dim)]
    ints = [[int(vectors[i][r] * den[r]) for r in range(dim)] for i in comp]
    N = 2 ** 20 * len(comp)  # weights the tail so that reduced vectors with a non-zero tail are long
    s = len(comp)
    B = fmpz_mat([[int(t == j) for j in range(s)] + [N * x for x in ints[t]] for t in range(s)]).lll()
    for r in range(B.nrows()):
        row = [int(B[r, j]) for j in range(s + dim)]
        if any(row[s:]):
            continue
        coeffs = row[:s]
        g = math.gcd(*coeffs) or 1
        coeffs = [x // g for x in coeffs]
        if set(coeffs) <= {0, 1} or set(coeffs) <= {0, -1}:
            S = tuple(comp[j] for j, x in enumerate(coeffs) if x)
            if S and not any(_sum(vectors, S)):
                return S
    return None


def _subset_sums(vectors, indices: Sequence[int], dim: int, deadline: float | None = None):
    """All $2^{|I|}$ subset sums of ``indices`` (``vectors``: indexable by them, of length ``dim``), each built from a
    smaller one by one vector addition, yielded as built (the consumer's work in between). Past ``deadline``:
    :class:`DeadlinePassed`, checked every 4,096 sums."""
    sums = [((), (_ZERO,) * dim)]
    yield sums[0]
    for i in indices:
        v = vectors[i]
        for k in range(len(sums)):
            if not k % 4096 and _spent(deadline):
                raise DeadlinePassed(f"after {len(sums)} of the {2 ** len(indices)} subset sums of a half")
            S, total = sums[k]
            sums.append((S + (i,), tuple(a + b for a, b in zip(total, v, strict=True))))
            yield sums[-1]


def _in_few_coordinates(vectors: Sequence[Vec], indices: Sequence[int]) -> tuple[dict[int, Vec], int]:
    r"""The vectors at ``indices`` restricted to coordinates that are injective on their span (the pivot columns of
    the RREF of those rows), and their number: the same linear relations in at most $|I|$ coordinates instead of
    $D$, so meeting in the middle stores $2^{s/2}$ sums of at most $s$ rationals (0-factor vectors at 784-40-10
    have $D = 7{,}850$; the Gram columns of a 40-neuron subset sum span 2 of their 40 coordinates: 3.4 GB of
    half-sums before, in 20 s). Cost: one RREF of an $|I| \times D$ matrix."""
    rows = {i: tuple(vectors[i]) for i in indices}
    D = len(next(iter(rows.values()))) if rows else 0
    if not D:
        return rows, D
    R, r = rref([list(v) for v in rows.values()])    # also when D <= |I|: the span may be smaller (Gram columns)
    keep = [next(j for j in range(D) if R[g, j] != 0) for g in range(r)]
    return {i: tuple(v[j] for j in keep) for i, v in rows.items()}, r


def _meet_in_the_middle(vectors: Sequence[Vec], comp: list[int],
                        deadline: float | None = None) -> tuple[int, ...] | None:
    """A zero-sum subset of ``comp``, the first of :func:`_half_sum_matches` (in at most $s$ coordinates,
    :func:`_in_few_coordinates`), or ``None``. Past ``deadline``: :class:`DeadlinePassed`. Cost: $O(2^{s/2}s)$ word
    operations for a component of size $s$."""
    low, dim = _in_few_coordinates(vectors, comp)
    for A, B in _half_sum_matches([low[i] for i in comp], (_ZERO,) * dim, len(comp) // 2, deadline):
        if A or B:
            return tuple(sorted(comp[i] for i in A + B))
    return None


def _half_sum_matches(vectors: Sequence[Vec], goal: Vec, half: int, deadline: float | None = None):
    r"""Every pair $(A, B)$ of a subset $A$ of the first ``half`` of ``vectors`` and $B$ of the others with
    $\sum_A + \sum_B =$ ``goal``, as index tuples, ordered by $B$'s bitmask, then $A$'s (bit $t$ of a mask: the
    $t$-th vector of its half) — as a table of the exact sums of the first half probed by the second finds them.
    The $2^{h}$ half-sums are compared modulo :data:`~semialg.core.exact.PRIME` on two random combinations of the
    coordinates (numpy: no rationals) and each candidate is checked exactly; when the prime divides a denominator,
    the exact sums are hashed. Past ``deadline``: :class:`DeadlinePassed` (checked every 4,096 candidates, or
    half-sums). Cost: $O(2^{s/2}s)$ word operations for $s$ vectors ($2^{20}$ half-sums of 40 vectors in the plane:
    0.3 s; as rationals 9 s) and one exact sum per candidate.

    >>> [(A, B) for A, B in _half_sum_matches([(1,), (2,), (3,)], (3,), 1)]
    [((0,), (1,)), ((), (2,))]
    """
    s = len(vectors)
    try:
        keys = _keys(list(vectors) + [goal])
    except ValueError:            # PRIME divides a denominator
        table: dict = {}
        for A, total in _subset_sums(vectors, range(half), len(goal), deadline):
            table.setdefault(fingerprint(tuple(t - x for t, x in zip(goal, total, strict=True))), []).append(A)
        for B, total in _subset_sums(vectors, range(half, s), len(goal), deadline):
            yield from ((A, B) for A in table.get(fingerprint(total), ()))
        return
    want = _hash((keys[s] - _mod_subset_sums(keys[:half], PRIME)) % PRIME)
    order = np.argsort(want, kind="stable")
    lo, hi = _matches(want[order], _hash(_mod_subset_sums(keys[half:s], PRIME)))
    for tried, b in enumerate(np.flatnonzero(hi > lo).tolist()):
        if deadline is not None and not tried % 4096 and time.monotonic() > deadline:
            raise DeadlinePassed(f"after {tried} candidates of the {2 ** (s - half)} sums of the second half")
        B = tuple(half + t for t in range(s - half) if b >> t & 1)
        for a in sorted(order[lo[b]:hi[b]].tolist()):
            A = tuple(t for t in range(half) if a >> t & 1)
            if all(sum((vectors[i][r] for i in A + B), _ZERO) == x for r, x in enumerate(goal)):
                yield A, B


def _keys(vectors: list[Vec]) -> np.ndarray:
    """Two random combinations of the coordinates of each vector modulo :data:`~semialg.core.exact.PRIME`
    (``ValueError`` when the prime divides a denominator): equal vectors, equal keys."""
    rng = np.random.default_rng(0)
    weights = [[int(w) for w in rng.integers(1, 2 ** 62, size=len(vectors[0]))] for _ in range(2)]
    rows = [[int(x.numerator) * pow(int(x.denominator), -1, PRIME) % PRIME for x in v] for v in vectors]
    return np.array([[sum(w * x for w, x in zip(ws, row)) % PRIME for ws in weights] for row in rows],
                    dtype=np.int64).reshape(len(vectors), 2)


def count_zero_sum_sets(vectors: Sequence[Vec], budget: int = 2 ** 12, gram=None) -> int | None:
    r"""The number of subsets $S$, the empty one included, with $\sum_{i\in S} v_i = 0$, exactly, or ``None``
    when a component of the linear matroid needs more than ``budget`` steps. A zero-sum set restricts to one
    on each component (:func:`kernel_components`) and indices in no dependency are in none, so the count is the
    product over components of their counts (:func:`_component_count`). ``gram`` (the Gram matrix of the
    vectors, any exact matrix with the same kernel) saves the kernel of the $D \times n$ matrix.
    Cost: one exact kernel, then $O(\min(2^{d}, 2^{s/2}))$ steps per component of size $s$ and nullity $d$.

    >>> count_zero_sum_sets([(1, 0), (0, 1), (-1, -1), (2, 0), (-2, 0)])     # {}, {0,1,2}, {3,4}, both
    4
    """
    if vectors and not len(vectors[0]):
        return 2 ** len(vectors)        # in dimension 0 every subset sums to 0
    if gram is None:                    # components modulo p without a 0/1 kernel point count only the empty set
        vectors = [tuple(vectors[i]) for i in _possible_indices([tuple(v) for v in vectors], budget)]
        if 2 ** ((len(vectors) + 1) // 2) > budget and _gordan_point(vectors) is not None:
            return 1
        if len(vectors) > EXACT_LIMIT:
            return None
    kernel = nullspace(gram) if gram is not None else None
    total = 1
    for comp in kernel_components(vectors, kernel) if vectors else ():
        count = _component_count(vectors, comp, kernel, None, budget)
        if count is None:
            return None
        total *= count
    return total


def count_subsets_with_sum(vectors: Sequence[Vec], target: Vec, budget: int = 2 ** 12, gram=None) -> int | None:
    r"""$\#\{S : \sum_{i \in S} v_i = t\}$ (the empty set included when $t = 0$), exactly, or ``None`` when a
    component needs more than ``budget`` steps: the zero-sum sets of $v_1, \dots, v_n, -t$ that contain $-t$,
    counted per component of the linear matroid (:func:`count_zero_sum_sets`). ``gram`` is the Gram matrix of
    the $n + 1$ vectors (the last one $-t$), when the caller has it cheaper than the kernel of the vectors.
    Cost: as :func:`count_zero_sum_sets`.

    >>> count_subsets_with_sum([(1, 0), (0, 1), (1, 1), (2, 1)], (2, 1))     # {0, 2}, {3}
    2
    """
    if not len(target):
        return 2 ** len(vectors)        # in dimension 0 every subset sums to 0
    ext = _Appended(vectors, target)
    n = len(vectors)
    kernel = nullspace(gram) if gram is not None else None
    comps = kernel_components(ext, kernel)
    if not any(n in comp for comp in comps):
        return 0          # -t != 0 is in no dependency: no subset reaches t
    total = 1
    for comp in comps:
        count = _component_count(ext, comp, kernel, n if n in comp else None, budget)
        if count is None:
            return None
        total *= count
    return total


class _Appended(Sequence):
    """``vectors`` followed by $-t$, without copying (the vectors and $-t$ are built only if searched)."""

    def __init__(self, vectors: Sequence[Vec], target: Vec):
        self._vectors, self._target, self._last = vectors, target, None

    def __len__(self) -> int:
        return len(self._vectors) + 1

    def __getitem__(self, i: int) -> Vec:
        if i == len(self._vectors) or i == -1:
            if self._last is None:
                self._last = tuple(-x for x in self._target)
            return self._last
        return tuple(self._vectors[i])


def _component_count(vectors: Sequence[Vec], comp: list[int], kernel: list[Vec] | None, must: int | None,
                     budget: int) -> int | None:
    r"""The zero-sum sets of the component ``comp`` (containing the index ``must``, if given), or ``None`` past the
    ``budget``. They are the $0/1$ points of the kernel restricted to ``comp`` (the basis vectors supported in it,
    fundamental circuits): with $d$ of them in reduced echelon form, the $2^d$ values on the pivots determine the
    point, so $2^d$ candidates; or the pairs of half-sums adding to $0$, $2^{\lceil s/2\rceil}$ of each half,
    whichever is fewer."""
    s = len(comp)
    if kernel is None:
        basis = nullspace([[vectors[i][r] for i in comp] for r in range(len(vectors[0]))])
    else:
        basis = [tuple(z[i] for i in comp) for z in kernel if any(z[i] for i in comp)]
    d = len(basis)
    if 2 ** d <= min(budget, 2 ** ((s + 1) // 2)):
        R, _ = rref(basis)   # a kernel point is the sum of the rows weighted by its values on the pivots
        rows = [[R[g, j] for j in range(s)] for g in range(d)]
        count = 0
        for values in itertools.product((0, 1), repeat=d):
            point = [sum((row[j] for row, y in zip(rows, values, strict=True) if y), _ZERO) for j in range(s)]
            if all(x == 0 or x == 1 for x in point) and (must is None or point[comp.index(must)] == 1):
                count += 1
        return count
    if 2 ** ((s + 1) // 2) > budget:
        return None
    low, dim = _in_few_coordinates(vectors, comp)
    count = _half_sum_count(low, comp, dim)
    return count - _half_sum_count(low, [i for i in comp if i != must], dim) if must is not None else count


def _half_sum_count(vectors, comp: list[int], dim: int) -> int:
    """The zero-sum subsets of ``comp``, the empty one included, by meet in the middle."""
    half = len(comp) // 2
    table: dict = {}
    for _, s in _subset_sums(vectors, comp[:half], dim):
        key = fingerprint(s)
        table[key] = table.get(key, 0) + 1
    return sum(table.get(fingerprint(tuple(-x for x in s)), 0) for _, s in _subset_sums(vectors, comp[half:], dim))


def _gordan_point(vectors: list[Vec]) -> Vec | None:
    r"""A functional $\varphi$ with $\varphi(v_i) > 0$ for every vector, checked exactly, or ``None`` (no claim): one
    floating-point LP; beyond $2D$ vectors in $\mathbb{R}^D$ only the least-squares solution of $\varphi(v_i) = 1$.
    There, vectors in general position and symmetric about 0 lie in an open half-space with probability at most
    $1/2$, falling fast with their number (Wendel 1962), and the LP that finds nothing costs 26 s at 4,096 vectors in
    $\mathbb{R}^{784}$. Cost: one LP, or one least-squares solve, then at most three exact products."""
    zeros = (_ZERO,) * len(vectors)
    if len(vectors) <= 2 * len(vectors[0]):
        return lp_point(vectors, zeros)
    V = float_array(vectors)
    if not np.isfinite(V).all():
        return None
    try:                                                # the normal equations: one D x D solve
        phi = np.linalg.solve(V.T @ V, V.sum(axis=0))
    except np.linalg.LinAlgError:
        return None
    return exact_point(vectors, zeros, phi) if (V @ phi > 0).all() else None


def find_zero_sum_set(vectors: Sequence | OuterProducts, budget: int = 2 ** 20,
                      deadline: float | None = None) -> ZeroSumDecision:
    """Decide whether some non-empty $S$ has $\\sum_{i\\in S} v_i = 0$, with a certificate either way.

    ``budget`` bounds the searches: a component (modulo $p$) with $d$ dependencies is searched if
    $2^{\\lceil d/2\\rceil} \\le$ ``budget``, an exact component of size $s$ if $2^{\\lceil s/2\\rceil} \\le$
    ``budget``; otherwise the answer is ``"undecided"`` with what was tried. The exact stages (kernel over
    $\\mathbb{Q}$, LLL) run only on the vectors that the stages modulo $p$ and Gordan's alternative leave, and only
    up to :data:`EXACT_LIMIT` of them. ``deadline`` (a ``time.monotonic()`` value) is checked before every stage
    and every exact component, and every 4,096 half-sums of meeting in the middle: past it the answer is
    ``"undecided"`` (another stage already started runs to its end).
    :class:`~semialg.geometry.valuation_peeling.OuterProducts` are peeled from the valuations of their factors and
    multiplied out only for the stages after the peeling. Costs of the stages are in the module docstring.
    """
    factored = isinstance(vectors, OuterProducts)
    if not factored:
        vectors = [tuple(v) for v in to_matrix(vectors, where="vectors")] if vectors else []
    n = len(vectors)
    if n == 0:
        return ZeroSumDecision("none", proof=(("independent", (), None),))
    zero = next(iter(vectors.zero_vectors()), None) if factored else \
        next((i for i, v in enumerate(vectors) if not any(v)), None)
    if zero is not None:
        return ZeroSumDecision("found", (zero,), tried=("zero vector",))
    if _spent(deadline):
        return ZeroSumDecision("undecided", tried=("stopped at the deadline before the rank modulo p",))
    if factored and vectors.a.shape[1] > 1:     # the first output's terms peeled first: a 784-4096-10 layer in 0.6 s
        first = peeling(vectors.leading(1), deadline=deadline)
        if len(first.peeled) == n:
            return ZeroSumDecision("none", proof=(("valuation", first.peeled, first.steps),),
                                   tried=(f"p-adic valuations of the terms of the first output: all {n} peeled",))
    if factored and n <= vectors.dim:       # the rank reads every vector
        vectors = list(vectors)
    K = _kernel_mod(vectors) if n <= len(vectors[0]) else None
    if n <= len(vectors[0]) and (modular_rank(vectors) if K is None else K.rank) == n:
        return ZeroSumDecision("none", proof=(("independent", tuple(range(n)), None),),
                               tried=("linear independence (rank mod p)",))
    tried = ["linear independence (rank mod p): dependent" if n <= len(vectors[0]) else
             f"linear independence: {n} vectors in dimension {len(vectors[0])} are dependent"]
    found = peeling(vectors, deadline=deadline)
    if found.zero_sum is not None:
        return ZeroSumDecision("found", found.zero_sum, tried=tuple(tried + ["p-adic valuations: vectors joined by "
                                                                             "ties sum to zero"]))
    peeled = found.peeled
    peel = [("valuation", peeled, found.steps)] if found.steps else []
    tried.append(f"p-adic valuations: {len(peeled)} of {n} vectors peeled (in no zero-sum set)")
    if len(peeled) == n:
        return ZeroSumDecision("none", proof=tuple(peel), tried=tuple(tried))
    if (late := _after_peeling_late(n, len(vectors[0]), deadline)) is not None:
        return ZeroSumDecision("undecided", tried=tuple(tried + [late]))
    vectors = list(vectors)                 # the stages after the peeling read every vector
    if n > len(vectors[0]) and not _spent(deadline):
        K = _kernel_mod(vectors)
    if _spent(deadline):
        return ZeroSumDecision("undecided", tried=tuple(tried + ["stopped at the deadline before the 0/1 points "
                                                                 "of the kernel modulo p"]))
    elim = None if K is None else eliminate(vectors, K, min(budget, MODULAR_LIMIT))
    if elim is not None and elim.witness is not None:
        return ZeroSumDecision("found", elim.witness, tried=tuple(tried + ["0/1 points of the kernel modulo p"]))
    proof = peel + ([] if elim is None else [("modular", comp, elim.p) for comp in elim.eliminated])
    rest = sorted(set(range(n) if elim is None else (i for comp in elim.open for i in comp)) - set(peeled))
    if elim is not None:
        tried.append(f"0/1 points of the kernel modulo p: none on {len(elim.eliminated)} of "
                     f"{len(elim.eliminated) + len(elim.open)} component(s)")
    if not rest:
        return ZeroSumDecision("none", proof=tuple(proof), tried=tuple(tried))
    if _spent(deadline):
        return ZeroSumDecision("undecided", tried=tuple(tried + ["stopped at the deadline before Gordan's "
                                                                 "alternative"]))
    point = _gordan_point([vectors[i] for i in rest])
    if point is not None:
        return ZeroSumDecision("none", proof=tuple(proof + [("gordan", tuple(rest), point)]),
                               tried=tuple(tried + [f"Gordan's alternative on the {len(rest)} vectors left"]))
    tried.append(f"Gordan's alternative on the {len(rest)} vectors left: no functional found" +
                 (" (least squares)" if len(rest) > 2 * len(vectors[0]) else ""))
    if len(rest) > EXACT_LIMIT:
        tried.append(f"exact kernel and LLL skipped on {len(rest)} vectors (more than {EXACT_LIMIT})")
        return ZeroSumDecision("undecided", tried=tuple(tried))
    comps = [[rest[i] for i in c] for c in kernel_components([vectors[i] for i in rest])]
    undecided = []
    for comp in comps:
        if _spent(deadline):
            return ZeroSumDecision("undecided", tried=tuple(tried + ["stopped at the deadline among the exact "
                                                                     "components"]))
        sub = [vectors[i] for i in comp]
        gordan = decide(sub, (_ZERO,) * len(sub), len(sub[0]))
        if gordan:
            proof.append(("gordan", tuple(comp), gordan.point))
            continue
        y = gordan.multipliers
        if set(y) <= {fmpq(0), fmpq(1)}:
            return ZeroSumDecision("found", tuple(c for c, v in zip(comp, y, strict=True) if v),
                                   tried=tuple(tried + ["Gordan multipliers"]))
        S = _lll_witness(vectors, comp)
        if S is not None:
            return ZeroSumDecision("found", S, tried=tuple(tried + ["Gordan's alternative", "LLL"]))
        if 2 ** ((len(comp) + 1) // 2) > budget:
            undecided.append(comp)
            continue
        try:
            S = _meet_in_the_middle(vectors, comp, deadline)
        except DeadlinePassed as exc:
            return ZeroSumDecision("undecided", tried=tuple(tried + [f"meet in the middle on a component of "
                                                                     f"{len(comp)}: the deadline passed {exc}"]))
        if S is not None:
            return ZeroSumDecision("found", S, tried=tuple(tried + ["Gordan's alternative", "LLL",
                                                                     "meet in the middle"]))
        proof.append(("exhaustive", tuple(comp), None))
    tried.append(f"Gordan's alternative and LLL on {len(comps)} exact component(s)")
    if undecided:
        sizes = sorted(len(c) for c in undecided)
        tried.append(f"meet in the middle skipped on components of sizes {sizes}: 2^(s/2) exceeds the budget "
                     f"{budget}")
        return ZeroSumDecision("undecided", tried=tuple(tried))
    return ZeroSumDecision("none", proof=tuple(proof), tried=tuple(tried))


def _kernel_mod(vectors: list[Vec]):
    """:func:`kernel_mod`, or ``None`` when the prime divides a denominator (the exact stages alone then)."""
    try:
        return kernel_mod(vectors)
    except ZeroDivisionError:
        return None


def _spent(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() > deadline


def _after_peeling_late(n: int, dim: int, deadline: float | None) -> str | None:
    """Why the stages after the peeling of ``n`` vectors in dimension ``dim`` are not started: predicted
    (:data:`AFTER_PEELING_ENTRY_SECONDS`) to end past ``deadline``; ``None`` when they may start."""
    seconds = AFTER_PEELING_ENTRY_SECONDS * n * dim
    if deadline is None or time.monotonic() + seconds <= deadline:
        return None
    return f"the stages after the peeling (predicted {seconds:.3g} s for {n} vectors) would end past the deadline"
