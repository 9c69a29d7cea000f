"""Certified functional equivalence of ReLU networks of any depth, under a budget.

:func:`equivalent` tries, cheapest first:

1. **normal forms** (:mod:`semialg.families.deep.normal_form`): equal normal forms prove equivalence, with
   the moves and group elements as certificate — one pass over the parameters;
2. **0-factor flips and opposite-pair trades** (:class:`~semialg.families.deep.moves.Flip`,
   :class:`~semialg.families.deep.moves.TradeOpposite`): where the normal forms first differ by the orientation
   of some neurons of a layer, or by outgoing weights traded within opposite pairs, make the move if its exact
   precondition holds and compare again;
3. **refutation on lines** (:mod:`semialg.engine.line`): points next to the kink hyperplane of a
   first-layer neuron whose normalised row has no partner in the other network, segments and whole lines
   through it, then random rational lines — each comparison exact along the whole line or segment;
4. for small networks, **normal forms on the image**: neurons never active on the image of the earlier layers
   removed (:class:`~semialg.families.deep.moves.RemoveHidden`, decided on the linear regions);
5. **the region oracle** (:func:`semialg.engine.regions.equivalent`) on the reduced networks with what is left
   of the budget; when the budget is spent the answer is *undecided* with what was tried — never a guess.

Every yes or no carries a certificate that ``r.verify(net1, net2)`` re-checks exactly.

>>> from semialg.core.network import Network
>>> from semialg.core.symmetry import GroupElement
>>> net = Network.random((3, 4, 4, 2), seed=1)
>>> r = equivalent(net, GroupElement.random(net.architecture, seed=2).act(net))
>>> r.status, r.method
('equivalent', 'deep normal form')
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import ClassVar, Sequence

from flint import fmpq, fmpz

from semialg.core.certificate import (Certificate, EquivalenceResult, OrbitCertificate, PointCertificate,
                                      Undecided, check_comparable)
from semialg.core.exact import dot, normalise_row
from semialg.core.network import Network
from semialg.engine import neurons
from semialg.engine.hyperplane_keys import unmatched_rows
from semialg.engine.line import compare_on_line
from semialg.errors import CertificateError
from semialg.families.deep.moves import ActBy, DeepMove, Flip, TradeOpposite, replay
from semialg.families.deep.normal_form import NormalForm, normal_form, small_for_regions

__all__ = ["equivalent", "DeepMoveCertificate", "kink_lines", "random_probe", "refute", "targeted_probes"]

Vec = tuple[fmpq, ...]
_ZERO = fmpq(0)


@dataclass(frozen=True)
class DeepMoveCertificate(Certificate):
    """``net1 -moves1-> A``, ``net2 -moves2-> B`` and then either ``A == B`` or, if ``inner`` is given,
    ``inner`` certifies $f_A = f_B$ (a region certificate for the reduced networks).

    ``verify`` replays every move (each re-checks its precondition exactly) and checks the end points.
    """

    SUPPORTS: ClassVar[frozenset] = frozenset({True})

    moves1: tuple[DeepMove, ...]
    moves2: tuple[DeepMove, ...]
    inner: Certificate | None = None

    def verify(self, net1: Network, net2: Network) -> bool:
        a, b = replay(net1, self.moves1), replay(net2, self.moves2)
        if self.inner is not None:
            # The inner certificate must itself prove equivalence everywhere (not a separating point, not a box).
            if not isinstance(self.inner, Certificate) or not self.inner.supports(True) or \
                    getattr(self.inner, "domain", None) is not None:
                raise CertificateError("the inner certificate does not prove equivalence on the whole space")
            return self.inner.verify(a, b)
        if a != b:
            raise CertificateError("the moves do not lead to the same network")
        return True

    def mechanisms(self) -> list[str]:
        return sorted({m.mechanism for m in self.moves1 + self.moves2})

    def describe(self) -> str:
        text = (f"the moves ({', '.join(self.mechanisms()) or 'none'}) bring both networks to "
                + ("one network" if self.inner is None else "reduced networks; " + self.inner.describe()))
        steps = [m.describe() for m in self.moves1 + self.moves2 if not isinstance(m, ActBy)]
        return text + ("\n" + "; ".join(steps) if steps else "")


def _first_difference(A: Network, B: Network) -> int | None:
    """The first layer (1-based) whose rows differ, or ``None`` if the networks are equal."""
    for k, (la, lb) in enumerate(zip(A.layers(), B.layers(), strict=False), start=1):  # depths may differ: not strict
        if la != lb:
            return k
    return None if A.depth == B.depth else min(A.depth, B.depth)


def _merge(ra: Sequence[Vec], rb: Sequence[Vec]) -> tuple[list[int], list[int], list[tuple[int, int]]]:
    """Match the rows of ``ra`` and ``rb`` as multisets by sorting and merging: ``(unmatched in ra, unmatched
    in rb, matched pairs)``. $O(n\\log n)$ row comparisons, which stop at the first differing entry."""
    ia, ib = sorted(range(len(ra)), key=ra.__getitem__), sorted(range(len(rb)), key=rb.__getitem__)
    i = j = 0
    out_a, out_b, pairs = [], [], []
    while i < len(ia) and j < len(ib):
        x, y = ra[ia[i]], rb[ib[j]]
        if x == y:
            pairs.append((ia[i], ib[j]))
            i, j = i + 1, j + 1
        elif x < y:
            out_a.append(ia[i])
            i += 1
        else:
            out_b.append(ib[j])
            j += 1
    return out_a + ia[i:], out_b + ib[j:], pairs


def _unmatched(ra: Sequence[Vec], rb: Sequence[Vec]) -> tuple[list[int], list[int]]:
    """Indices of the rows of ``ra`` without an equal row in ``rb`` and vice versa (as multisets)."""
    return _merge(ra, rb)[:2]


def _flip_move(A: Network, B: Network, layer: int) -> Flip | None:
    """The :class:`Flip` of the neurons of ``layer`` whose rows occur in ``B`` only negated, if it applies."""
    rows_a, rows_b = neurons.rows(A, layer), neurons.rows(B, layer)
    S, T = _unmatched(rows_a, rows_b)
    negated = [tuple(-x for x in rows_a[i]) for i in S]
    if not S or _unmatched(negated, [rows_b[j] for j in T]) != ([], []):
        return None
    return Flip(layer, tuple(sorted(S)))


def _trade_move(A: Network, B: Network, layer: int) -> TradeOpposite | None:
    """A :class:`TradeOpposite` on hidden ``layer`` (equal in both normal forms) after which the rows of layer
    ``layer + 1`` of ``A`` are positive multiples of those of ``B``, or ``None``.

    In a normal form an opposite pair has rows $r$ and $-r$. A trade keeps the entries of the next layer's rows
    outside the pairs and the sums $c_i + c_j$ over each pair; rows are matched by that invariant (up to a
    positive factor) and the shifts read off. Cost: $O(n_{l+1} n_l)$ plus sorting.
    """
    rows = neurons.rows(A, layer)
    pairs = sorted((i, j) for i, j in _merge(rows, [tuple(-x for x in r) for r in rows])[2]
                   if next((x for x in rows[i] if x), 0) > 0)
    if not pairs:
        return None
    in_pair = {x for p in pairs for x in p}
    plain = [k for k in range(len(rows)) if k not in in_pair]

    def invariant(row):
        return tuple(row[k] for k in plain) + tuple(row[i] + row[j] for i, j in pairs)

    ra, rb = neurons.rows(A, layer + 1), neurons.rows(B, layer + 1)
    pool: dict = {}
    for k, r in enumerate(rb):
        key, scale, sign = normalise_row(invariant(r))
        if not sign:
            return None
        pool.setdefault((sign, key), []).append((k, scale))
    shifts = [[] for _ in pairs]
    bias = A.biases[layer - 1]
    for r in ra:
        key, scale, sign = normalise_row(invariant(r))
        if not sign or not pool.get((sign, key)):
            return None
        k, scale_b = pool[(sign, key)].pop()
        target = tuple(x * scale / scale_b for x in rb[k])  # B's row brought to A's scale
        if target[-1] - r[-1] != -sum((target[i] - r[i]) * bias[i] for i, _ in pairs):
            return None
        for p, (i, j) in enumerate(pairs):
            if target[j] - r[j] != -(target[i] - r[i]):
                return None
            shifts[p].append(target[i] - r[i])
    return TradeOpposite(layer, tuple(pairs), tuple(tuple(y) for y in shifts))


def _align_by_moves(nf1: NormalForm, nf2: NormalForm) -> tuple[DeepMove, ...] | None:
    """Moves (:class:`Flip`, :class:`TradeOpposite`) taking ``net1`` to the normal form of ``net2``, found layer by
    layer, or ``None``.

    At the first layer where the normal forms differ, the neurons of the first whose row occurs in the second
    only negated form the candidate set $S$ of a flip; otherwise opposite pairs of the layer below may trade
    outgoing weights. Each move is made only if its exact precondition holds. Cost: one normal form per move,
    $O(|S|\\,n_{l+1}n_{l-1})$ per precondition check.
    """
    moves, A, B = list(nf1.moves), nf1.network, nf2.network
    for _ in range(2 * A.depth):
        if A == B:
            return tuple(moves)
        layer = _first_difference(A, B)
        if A.widths != B.widths or layer > A.depth:
            return None
        candidates = ([_flip_move(A, B, layer)] if layer < A.depth else []) + \
            ([_trade_move(A, B, layer - 1)] if layer > 1 else [])
        for move in filter(None, candidates):
            try:
                moved = move.apply(A)
            except CertificateError:
                continue
            nf = normal_form(moved)
            moves += [move, *nf.moves]
            A = nf.network
            break
        else:
            return None
    return tuple(moves) if A == B else None


def kink_lines(A: Network, B: Network, limit: int = 4, seed: int = 0) -> list[tuple[Vec, Vec, fmpq]]:
    """Lines $p + t d$ crossing, at $t = 0$, the kink hyperplane $w\\cdot x + b = 0$ of a first-layer neuron of
    ``A`` or ``B`` whose row has no partner in the other network, with $d$ the primitive integer multiple of
    $w$; returned with $u = w\\cdot d > 0$, so that the neuron's pre-activation along the line is $u\\,t$.

    The point $p$ is where the output depends most on the neuron among 64 random points projected onto its
    hyperplane (:func:`_seen_point`: behind a bottleneck, a kink where $h \\le 0$ does not show), or small and
    random, with one coordinate solved for. At most ``limit`` lines; cost $O(n_1n_0)$, vectorised on integer forms
    (:func:`~semialg.engine.hyperplane_keys.unmatched_rows`), plus $O(\\dim\\Omega)$ flops per line.
    """
    rng = random.Random(seed)
    odd_a, odd_b = unmatched_rows(A, B, 1)
    lines = []
    for net, i in [(A, i) for i in odd_a[:limit]] + [(B, j) for j in odd_b[:limit]]:
        r = neurons.row(net, 1, i)
        w, b = r[:-1], r[-1]
        k = next((k for k, x in enumerate(w) if x), None)
        if k is None:
            continue
        p = _seen_point(net, i, rng) or [fmpq(rng.randint(-4, 4), rng.randint(1, 4)) for _ in w]
        p[k] = _ZERO
        p[k] = -(b + dot(w, p)) / w[k]
        den = fmpz(1)
        for x in w:
            den = den.lcm(x.q)
        d = tuple(x * den for x in w)
        lines.append((tuple(p), d, dot(w, d)))
        if len(lines) >= limit:
            break
    return lines


def _seen_point(net: Network, i: int, rng: random.Random, candidates: int = 64) -> list[fmpq] | None:
    r"""Of ``candidates`` random points projected onto the hyperplane of first-layer neuron ``i``, the one where
    $\|\partial f/\partial a_{1,i}\|$ (float back-propagation through the active neurons) is largest, rounded to
    multiples of $2^{-10}$; ``None`` when the output depends on the neuron at none of them. Floats only choose
    the point: the caller puts it on the hyperplane exactly and compares the networks exactly. Cost:
    $O(\mathrm{candidates}\cdot\dim\Omega)$ flops."""
    import numpy as np
    fl = net.float_layers()
    if not all(np.isfinite(W).all() and np.isfinite(b).all() for W, b in fl):
        return None
    w, b = fl[0][0][i], fl[0][1][i]
    X = np.random.default_rng(rng.randrange(2 ** 32)).integers(-20, 21, size=(candidates, len(w))) / 4
    X -= np.outer((X @ w + b) / (w @ w), w)
    Zs = net.float_preactivations(X)
    V = np.ones((candidates, 1)) if net.depth == 1 else np.tile(fl[1][0][:, i], (candidates, 1))
    for l in range(2, net.depth):
        V = (V * (Zs[l - 1] > 0)) @ fl[l][0].T
    size = np.linalg.norm(V, axis=1)
    best = int(np.argmax(size))
    return [fmpq(int(round(t * 1024)), 1024) for t in X[best]] if size[best] > 0 else None


def _random_point(m: int, rng: random.Random) -> Vec:
    return tuple(fmpq(rng.randint(-5, 5), rng.randint(1, 5)) for _ in range(m))


def random_probe(net1: Network, net2: Network, count: int = 8, seed: int = 0) -> Vec | None:
    r"""The first of ``count`` random rational inputs (entries $k/q$, $|k| \le 5$, $1 \le q \le 5$) where the two
    networks differ, or ``None``: both evaluated exactly in one batch (:meth:`~semialg.core.network.Network.evaluate`).
    Parameters that differ by a weight or a bias of a neuron active on a large region differ at most random inputs
    (a float32 784-4096-1-10 network and its copy with one weight one ulp larger: 0.1 s). Cost: $O(\text{count}
    \cdot\dim\Omega)$ multiplications of integers.

    >>> a = Network.from_arrays([[[1]], [[1]]], [[0], [0]])
    >>> random_probe(a, a) is None, random_probe(a, a.replace_layer(2, bias=[1])) is not None
    (True, True)
    """
    rng = random.Random(seed)
    X = [_random_point(net1.architecture.input_dim, rng) for _ in range(count)]
    return next((x for x, y1, y2 in zip(X, net1.evaluate(X), net2.evaluate(X), strict=True) if y1 != y2), None)


def _random_line(m: int, rng: random.Random) -> tuple[Vec, Vec]:
    p, d = _random_point(m, rng), tuple(fmpq(rng.randint(-5, 5), rng.randint(1, 3)) for _ in range(m))
    return p, (d if any(d) else (fmpq(1),) + d[1:])


def targeted_probes(A: Network, B: Network, count: int = 4, samples: int = 256, seed: int = 0) -> list[Vec]:
    """Rational points where a neuron of ``A`` whose row has no partner in ``B`` (at the first layer where
    the normal forms differ) is active, and so is a neuron of the previous layer on which the rows differ.

    The selection uses a float forward pass (a numeric helper only: every returned point is tested
    exactly by the caller). Cost: $O(\\text{samples}\\cdot\\dim\\Omega)$ float operations.
    """
    import numpy as np
    layer = _first_difference(A, B)
    if layer is None or layer > min(A.depth, B.depth):
        return []
    odd_a, odd_b = unmatched_rows(A, B, layer)
    if not odd_a:
        return []
    i, ri = odd_a[0], neurons.row(A, layer, odd_a[0])
    partner = neurons.row(B, layer, odd_b[0]) if odd_b else None
    partner = partner if partner is not None and len(partner) == len(ri) else None
    cols = [k for k in range(len(ri) - 1) if partner is None or ri[k] != partner[k]]
    rng = np.random.default_rng(seed)
    num = rng.integers(-5, 6, size=(samples, A.architecture.input_dim))
    den = rng.integers(1, 6, size=num.shape)
    H = num / den
    Zs = A.float_preactivations(H, layer)
    Z = Zs[-1]
    if layer > 1:
        H = np.maximum(Zs[-2], 0.0)
    score = Z[:, i] if layer < A.depth else np.ones(samples)
    ok = (score > 0) & ((H[:, cols] > 0).any(axis=1) if cols and layer > 1 else True)
    best = [int(r) for r in np.argsort(-score) if ok[r]][:count]
    return [tuple(fmpq(int(p), int(q)) for p, q in zip(num[r], den[r], strict=True)) for r in best]


def refute(A: Network, B: Network, net1: Network, net2: Network, deadline: float | None, lines: int, seed: int,
           tried: list[str], probing: float | None = None) -> Vec | None:
    """A rational point where ``net1`` and ``net2`` differ, or ``None``: probes next to the kinks of unmatched
    first-layer neurons of the normal forms ``A``, ``B`` and at random points, then exact comparisons on
    segments and lines. The lines run on the given networks, whose entries (e.g. dyadic floats) have smaller
    common denominators than the normal forms'. ``probing``: seconds for the probes and lines counted once the
    probes are chosen (choosing them takes no deadline: 0.5 s at 784-4096), within ``deadline`` still. ``tried``
    says how many probes and lines were tested, and whether the deadline cut them short."""
    rng = random.Random(seed)
    kinks = kink_lines(A, B, seed=seed)
    probes = [tuple(a + t / (2 * u) * b for a, b in zip(p, d, strict=True)) for p, d, u in kinks for t in (1, -1)]
    probes += targeted_probes(A, B, seed=seed) + [_random_point(A.architecture.input_dim, rng) for _ in range(4)]
    if probing is not None:
        deadline = time.monotonic() + probing if deadline is None else min(deadline, time.monotonic() + probing)
    checked = 0
    for x in probes:  # the cheapest exact tests: two evaluations each
        if deadline is not None and time.monotonic() > deadline:
            break
        if net1(x) != net2(x):
            tried.append("a probe point separated the networks")
            return x
        checked += 1
    cut = "; the deadline passed before the others"
    tried.append(f"{checked} of {len(probes)} probe points ({2 * len(kinks)} next to kinks without a partner): no "
                 f"difference" + (cut if checked < len(probes) else ""))
    plan = [(p, d, -1 / u, 1 / u) for p, d, u in kinks] + [(p, d, None, None) for p, d, _ in kinks]
    plan += [(*_random_line(A.architecture.input_dim, rng), None, None) for _ in range(lines)]
    done = breakpoints = 0
    for p, d, lo, hi in plan:
        # restricting a network to a line builds its exact matrices first (a second at 784-4096)
        if deadline is not None and time.monotonic() > deadline:
            break
        c = compare_on_line(net1, net2, p, d, lo, hi, deadline=deadline)
        if c.agree is None:
            break
        done += 1
        breakpoints += c.breakpoints
        if not c.agree:
            tried.append(f"exact comparison on {done} line(s)/segment(s) found a separating point")
            return c.point
    tried.append(f"exact comparison on {done} of {len(plan)} line(s)/segment(s) ({len(kinks)} through kinks "
                 f"without a partner, {breakpoints} breakpoints): the networks agree on them"
                 + (cut if done < len(plan) else ""))
    return None


def _point_certificate(net1: Network, net2: Network, x: Vec) -> PointCertificate:
    y1, y2 = net1(x), net2(x)
    if y1 == y2:
        raise CertificateError("internal error: the reduced networks differ at a point where the inputs agree")
    return PointCertificate(tuple(x), (y1, y2))


def equivalent(net1: Network, net2: Network, budget: float | None = 60.0, lines: int = 8, seed: int = 0,
               progress: bool = False) -> EquivalenceResult:
    """Decide $f_{\\theta_1} = f_{\\theta_2}$ for networks of any depths and widths, within ``budget`` seconds.

    The result's ``status`` is ``"equivalent"`` (certificate: :class:`OrbitCertificate` or
    :class:`DeepMoveCertificate`), ``"not equivalent"`` (:class:`PointCertificate`) or ``"undecided"``
    (:class:`~semialg.core.certificate.Undecided`, listing what was tried); ``bool(r)`` is ``False`` unless
    equivalence is proven. Cost: $O(D\\log n)$ for the normal forms of $D$ parameters, then exact line
    comparisons (proportional to the breakpoints on ``lines`` random lines plus a few kink lines), then the
    region oracle (exponential) until the budget is spent (``budget=None``: no limit, the region oracle runs to its
    end and the answer is never undecided).

    >>> n1 = Network.from_arrays([[[1]], [[1]], [[1]]], [[0], [0], [0]])       # s(s(x))
    >>> n2 = Network.from_arrays([[[1]], [[1]], [[1]]], [[0], [0], ["1/3"]])
    >>> r = equivalent(n1, n2); r.status, r.verify(n1, n2)
    ('not equivalent', True)
    """
    check_comparable(net1, net2)
    deadline = None if budget is None else time.monotonic() + budget
    from tqdm.auto import tqdm
    with tqdm(total=4, desc="deep equivalence", unit="stage", disable=not progress) as bar:
        bar.set_postfix_str("normal forms")
        nf1, nf2 = normal_form(net1), normal_form(net2)
        bar.update()
        tried = []
        if nf1 == nf2:
            return _proof(nf1.moves, nf2.moves, "deep normal form")
        tried.append(f"normal forms modulo G differ (first in layer {_first_difference(nf1.network, nf2.network)})")
        bar.set_postfix_str("0-factor flips")
        moves = _align_by_moves(nf1, nf2)
        bar.update()
        if moves is not None:
            return _proof(moves, nf2.moves, "deep normal form and moves")
        tried.append("no alignment by 0-factor flips or opposite-pair trades")
        bar.set_postfix_str("lines")
        x = refute(nf1.network, nf2.network, net1, net2, deadline, lines, seed, tried)
        bar.update()
        if x is not None:
            return EquivalenceResult(False, _point_certificate(net1, net2, x), method="exact probes and lines")
        bar.set_postfix_str("regions")
        if small_for_regions(net1) and small_for_regions(net2) and (deadline is None or time.monotonic() < deadline):
            nf1, nf2 = normal_form(net1, image=True), normal_form(net2, image=True)
            moves = nf1.moves if nf1 == nf2 else _align_by_moves(nf1, nf2)
            if moves is not None:
                return _proof(moves, nf2.moves, "deep normal form on the image")
            tried.append("normal forms after removing neurons never active on the image still differ")
        from semialg.engine import regions
        r = regions.equivalent(nf1.network, nf2.network, deadline=deadline, progress=progress)
        bar.update()
    if r.equivalent is None:
        tried.append("region refinement of the reduced networks stopped when the budget was spent")
        return EquivalenceResult(None, Undecided(tuple(tried)), method="deep (budget spent)")
    if not r.equivalent:
        return EquivalenceResult(False, _point_certificate(net1, net2, r.certificate.point),
                                 method="region refinement")
    return EquivalenceResult(True, DeepMoveCertificate(nf1.moves, nf2.moves, r.certificate),
                             method="region refinement of the normal forms")


def _proof(moves1: Sequence[DeepMove], moves2: Sequence[DeepMove], method: str) -> EquivalenceResult:
    """The certificate for ``replay(net1, moves1) == replay(net2, moves2)``: a group element when possible."""
    if len(moves1) == len(moves2) == 1 and isinstance(moves1[0], ActBy) and isinstance(moves2[0], ActBy):
        return EquivalenceResult(True, OrbitCertificate(moves2[0].element.inverse() * moves1[0].element),
                                 method=method)
    return EquivalenceResult(True, DeepMoveCertificate(tuple(moves1), tuple(moves2)), method=method)
