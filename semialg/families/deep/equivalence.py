"""Certified functional equivalence of ReLU networks of any depth, under a budget.

:func:`equivalent` tries, cheapest first:

1. **normal forms** (:mod:`semialg.families.deep.normal_form`): equal normal forms prove equivalence, with
   the moves and group elements as certificate — one pass over the parameters;
2. **0-factor flips** (:class:`~semialg.families.deep.moves.Flip`): where the normal forms first differ by the
   orientation of some neurons of a layer, flip them if the exact precondition holds and compare again;
3. **refutation on lines** (:mod:`semialg.families.deep.line`): points next to the kink hyperplane of a
   first-layer neuron whose normalised row has no partner in the other network, segments and whole lines
   through it, then random rational lines — each comparison exact along the whole line or segment;
4. **the region oracle** (:func:`semialg.engine.regions.equivalent`) on the reduced networks with what is left
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

from flint import fmpq

from semialg.core.certificate import (Certificate, EquivalenceResult, OrbitCertificate, PointCertificate,
                                      Undecided, check_comparable)
from semialg.core.exact import dot, fingerprint
from semialg.core.network import Network
from semialg.errors import CertificateError
from semialg.families.deep.line import compare_on_line
from semialg.families.deep.moves import ActBy, DeepMove, Flip, replay
from semialg.families.deep.normal_form import NormalForm, normal_form

__all__ = ["equivalent", "DeepMoveCertificate", "kink_lines"]

Vec = tuple[fmpq, ...]


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
    for k, (la, lb) in enumerate(zip(A.layers(), B.layers()), start=1):
        if la != lb:
            return k
    return None if A.depth == B.depth else min(A.depth, B.depth)


def _rows(net: Network, layer: int) -> list[Vec]:
    return [w + (b,) for w, b in zip(net.weights[layer - 1], net.biases[layer - 1], strict=True)]


def _align_by_flips(nf1: NormalForm, nf2: NormalForm) -> tuple[DeepMove, ...] | None:
    """Moves (with :class:`Flip`) taking ``net1`` to the normal form of ``net2``, found layer by layer, or ``None``.

    At the first layer where the normal forms differ, the neurons of the first whose row occurs in the second
    only negated form the candidate set $S$; the flip is made if its exact precondition holds. Cost: one
    normal form per flip, $O(|S|\\,n_{l+1}n_{l-1})$ per precondition check.
    """
    moves, A, B = list(nf1.moves), nf1.network, nf2.network
    for _ in range(A.depth):
        if A == B:
            return tuple(moves)
        layer = _first_difference(A, B)
        if A.widths != B.widths or layer >= A.depth:
            return None
        rows_b = {fingerprint(r) for r in _rows(B, layer)}
        rows_a = _rows(A, layer)
        S = tuple(i for i, r in enumerate(rows_a) if fingerprint(r) not in rows_b)
        if not S or any(fingerprint(tuple(-x for x in rows_a[i])) not in rows_b for i in S):
            return None
        flip = Flip(layer, S)
        try:
            flipped = flip.apply(A)
        except CertificateError:
            return None
        nf = normal_form(flipped)
        moves += [flip, *nf.moves]
        A = nf.network
    return tuple(moves) if A == B else None


def kink_lines(A: Network, B: Network, limit: int = 4, seed: int = 0) -> list[tuple[Vec, Vec]]:
    """Lines $p + t d$ crossing, at $t = 0$, the kink hyperplane of a first-layer neuron of ``A`` or ``B``
    whose normalised row has no partner in the other network, with $d$ normal to it scaled so that the
    neuron's pre-activation is $t$. At most ``limit`` lines; cost $O(n_1 n_0)$ hashing plus $O(n_0)$ per line.
    """
    rng = random.Random(seed)
    rows_a, rows_b = _rows(A, 1), _rows(B, 1)
    fa, fb = {fingerprint(r) for r in rows_a}, {fingerprint(r) for r in rows_b}
    odd = [r for r in rows_a if fingerprint(r) not in fb] + [r for r in rows_b if fingerprint(r) not in fa]
    lines = []
    for r in odd:
        w, b = r[:-1], r[-1]
        ww = dot(w, w)
        if not ww:
            continue
        v = tuple(fmpq(rng.randint(-4, 4), rng.randint(1, 4)) for _ in w)
        shift = (dot(w, v) + b) / ww
        lines.append((tuple(x - shift * y for x, y in zip(v, w, strict=True)), tuple(y / ww for y in w)))
        if len(lines) >= limit:
            break
    return lines


def _random_line(m: int, rng: random.Random) -> tuple[Vec, Vec]:
    p = tuple(fmpq(rng.randint(-5, 5), rng.randint(1, 5)) for _ in range(m))
    d = tuple(fmpq(rng.randint(-5, 5), rng.randint(1, 3)) for _ in range(m))
    return p, (d if any(d) else (fmpq(1),) + d[1:])


def _refute(A: Network, B: Network, deadline: float, lines: int, seed: int,
            tried: list[str]) -> Vec | None:
    """A rational point where ``A`` and ``B`` differ, from probes and exact line comparisons, or ``None``."""
    rng = random.Random(seed)
    kinks = kink_lines(A, B, seed=seed)
    for p, d in kinks:  # just beyond the kink on either side: the cheapest exact probes
        for t in (fmpq(1, 2), fmpq(-1, 2)):
            x = tuple(a + t * b for a, b in zip(p, d, strict=True))
            if A(x) != B(x):
                tried.append("a probe next to a kink hyperplane separated the networks")
                return x
    plan = [(p, d, -1, 1) for p, d in kinks] + [(p, d, None, None) for p, d in kinks]
    plan += [(*_random_line(A.architecture.input_dim, rng), None, None) for _ in range(lines)]
    done = breakpoints = 0
    for p, d, lo, hi in plan:
        c = compare_on_line(A, B, p, d, lo, hi, deadline=deadline)
        if c.agree is None:
            break
        done += 1
        breakpoints += c.breakpoints
        if not c.agree:
            tried.append(f"exact comparison on {done} line(s)/segment(s) found a separating point")
            return c.point
    tried.append(f"exact comparison on {done} line(s)/segment(s) ({len(kinks)} through kinks without a "
                 f"partner, {breakpoints} breakpoints): the networks agree on all of them")
    return None


def _point_certificate(net1: Network, net2: Network, x: Vec) -> PointCertificate:
    y1, y2 = net1(x), net2(x)
    if y1 == y2:
        raise CertificateError("internal error: the reduced networks differ at a point where the inputs agree")
    return PointCertificate(tuple(x), (y1, y2))


def equivalent(net1: Network, net2: Network, budget: float = 60.0, lines: int = 8, seed: int = 0,
               progress: bool = False) -> EquivalenceResult:
    """Decide $f_{\\theta_1} = f_{\\theta_2}$ for networks of any depths and widths, within ``budget`` seconds.

    The result's ``status`` is ``"equivalent"`` (certificate: :class:`OrbitCertificate` or
    :class:`DeepMoveCertificate`), ``"not equivalent"`` (:class:`PointCertificate`) or ``"undecided"``
    (:class:`~semialg.core.certificate.Undecided`, listing what was tried); ``bool(r)`` is ``False`` unless
    equivalence is proven. Cost: $O(D\\log n)$ for the normal forms of $D$ parameters, then exact line
    comparisons (proportional to the breakpoints on ``lines`` random lines plus a few kink lines), then the
    region oracle (exponential) until the budget is spent.

    >>> n1 = Network.from_arrays([[[1]], [[1]], [[1]]], [[0], [0], [0]])       # s(s(x))
    >>> n2 = Network.from_arrays([[[1]], [[1]], [[1]]], [[0], [0], ["1/3"]])
    >>> r = equivalent(n1, n2); r.status, r.verify(n1, n2)
    ('not equivalent', True)
    """
    check_comparable(net1, net2)
    deadline = time.monotonic() + budget
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
        moves = _align_by_flips(nf1, nf2)
        bar.update()
        if moves is not None:
            return _proof(moves, nf2.moves, "deep normal form and moves")
        tried.append("no alignment by 0-factor flips")
        bar.set_postfix_str("lines")
        x = _refute(nf1.network, nf2.network, deadline, lines, seed, tried)
        bar.update()
        if x is not None:
            return EquivalenceResult(False, _point_certificate(net1, net2, x), method="line restriction")
        bar.set_postfix_str("regions")
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
