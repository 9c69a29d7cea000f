"""Bottleneck equivalence: case (b) by ridge profiles, case (a) on the joint arrangement."""

from __future__ import annotations

import dataclasses
import math
import time

from semialg.core.certificate import EquivalenceResult, PointCertificate, Undecided, check_comparable
from semialg.core.network import Network
from semialg.engine.orbit import orbit_element
from semialg.errors import ArchitectureError, UndecidedError
from semialg.families.bottleneck.outer import equivalent_outer
from semialg.families.bottleneck.ridge import equivalent_ridge
from semialg.families.bottleneck.views import bottleneck_case
from semialg.families.bottleneck.moves import BottleneckMoveCertificate
from semialg.families.bottleneck.outer_moves import flip_witness
from semialg.families.bottleneck.outer_symmetries import outer_witness
from semialg.families.bottleneck.witnesses import short_witness, witness
from semialg.families.bottleneck.inner_moves import inner_witness
from semialg.families.deep.equivalence import random_probe, refute

__all__ = ["equivalent", "WITNESS_LIMIT", "SHORT_WITNESS_LIMIT", "SHORT_WITNESS_WORK", "WITNESS_LIMIT_A",
           "REFUTE_SECONDS", "RANDOM_PROBES"]

#: Up to this second-layer width a proven case-(b) equivalence carries the moves relating the two parameters
#: (:func:`~semialg.families.bottleneck.witnesses.witness`: the short witness, $O((\text{moves} + 1)n_2n_3)$, or
#: the full normal forms, $O(n_2^2n_3)$: about 2 s at $n_2 = 1024$).
WITNESS_LIMIT = 1024

#: Beyond ``WITNESS_LIMIT`` and up to this width, the short witness alone
#: (:func:`~semialg.families.bottleneck.witnesses.short_witness`: at most 29 moves on sets of neurons, each
#: $O(n_2n_3)$ to build and to replay) when 29 is at most ``SHORT_WITNESS_WORK / n2``; else the profile
#: certificate. Measured (``benchmarks/bench_bottleneck_witness_sets.py``, pairs differing in every neuron, a
#: reflection among them): build 1-1.9 s, verify 0.13-0.45 s at $n_2 = 4096$, 3.3-5.7 s / 0.9-2.3 s at 16384
#: (the profile certificate: 1.2-1.8 s and 6.2-6.8 s to verify).
SHORT_WITNESS_LIMIT = 16384
SHORT_WITNESS_WORK = 2 ** 21

#: Up to this first-layer width a proven case-(a) equivalence carries the moves relating the two parameters
#: (:func:`~semialg.families.bottleneck.outer_symmetries.outer_witness`: two classifications, the visibility of
#: every line read off the cells, and one joint arrangement per move replayed, $O(N^3)$ integer sweep for $N$
#: lines). Measured (2-$n_1$-1-1, a hidden neuron moved and one inserted, ``benchmarks/bench_bottleneck_witness``,
#: two shared cores): build 0.14 s at $n_1 = 32$, 0.4 s at 64, 1.7 s at 128, 6.1 s at 256 (the decision itself:
#: 0.14, 0.57, 1.9 s; verification about half the build) — about 4x per doubling, each move a full joint
#: arrangement. Beyond, the arrangement certificate alone, and the result's ``method`` says why.
WITNESS_LIMIT_A = 128

#: Case (a), $n_0 \ge 3$: seconds spent looking for an input where the two functions differ (probes next to the
#: kinks of unmatched neurons, exact comparisons on lines: :func:`~semialg.families.deep.equivalence.refute`)
#: before the joint arrangement, whose region enumeration costs far more. Counted once the probes are chosen
#: (0.5 s at 784-4096, not stopped by the budget, and not started once it is spent).
REFUTE_SECONDS = 2.0

#: Case (a), $n_0 \ge 3$: random inputs at which the two are evaluated exactly before the shallow moves of the inner
#: network are looked for (:func:`~semialg.families.deep.equivalence.random_probe`; 784-4096-1-10 with one weight
#: one ulp larger: 0.1 s, where the moves took 1 s before the probes next to the kinks found the difference).
RANDOM_PROBES = 8


def equivalent(net1: Network, net2: Network, budget: float | None = 60.0) -> EquivalenceResult:
    r"""Decide $f_{\theta_1} = f_{\theta_2}$ for two bottleneck networks of the same case, with a certificate.

    Two parameters in one $G$-orbit get the group element alone (:func:`~semialg.engine.orbit.orbit_element`).
    Case (b) ($n_1 = 1$, any $n_2$): profiles, $O(n_2\log n_2 + n_0 + n_2n_3)$; a :class:`RidgeCertificate`
    or a constructed :class:`~semialg.core.certificate.PointCertificate`.
    Case (a) ($n_2 = 1$, any $n_1$): first the flips and group element of
    :func:`~semialg.families.bottleneck.outer_moves.flip_witness` ($O(n_1n_0)$); for $n_0 \ge 3$ then exact
    evaluations at :data:`RANDOM_PROBES` random inputs, the shallow
    moves of the inner network (:func:`~semialg.families.bottleneck.inner_moves.inner_witness`, when
    $h_2 = \mu h_1$; $O(n_1^2n_0)$) and a search for an input where they differ (at most :data:`REFUTE_SECONDS`);
    otherwise the joint arrangement
    of the $N \le n_1 + n_1'$ first-layer hyperplanes (a proven equivalence then carries the hidden-neuron
    moves of :func:`~semialg.families.bottleneck.outer_symmetries.outer_witness` when they relate the two),
    $O(N^3 + N\cdot\#\text{cells})$ exact operations in the plane; for $n_0 \ge 3$ region enumeration with
    exact LPs. Polynomial for fixed $n_0$; the problem is coNP-hard when $n_0$ is part of the input. After
    ``budget`` seconds (``None``: no limit) the answer is undecided and says what was tried: the orbit search
    (rows keyed on the integer forms when at hand), the inner network's group element and the arrangement stop at
    the deadline; the flips' search (0.2 s at 784-4096, on the integer forms), the inner network's shallow test
    (about 1 s there) and the choice of probes (0.5 s) take none and the last two are not started once it has
    passed. A move witness not found by then is
    left out (the arrangement certificate still proves the equivalence). Case (b) keeps no budget (its profiles
    are $O(n_2\log n_2)$).

    >>> a = Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])
    >>> b = Network.from_arrays([[[1, 2]], [[1], [-1]], [[4, 3]]], [[-1], [1, 2], [-9]])     # kink flip
    >>> bool(equivalent(a, b))
    True
    """
    check_comparable(net1, net2)
    deadline = None if budget is None else time.monotonic() + budget
    keys: dict = {}      # net2's layer keys, shared by the two orbit searches
    tried: list[str] = []
    cases = bottleneck_case(net1), bottleneck_case(net2)
    # case (b) keeps no budget: its rows are short (n1 = 1), its orbit search cheap at any n2
    g = _orbit(net1, net2, None if cases == ("b", "b") else deadline, keys, tried)
    if g is not None:
        return EquivalenceResult(True, BottleneckMoveCertificate((), (), g), method="bottleneck: one G-orbit")
    if cases == ("b", "b"):
        r = equivalent_ridge(net1, net2)
        n2 = max(net1.widths[2], net2.widths[2])
        if r.equivalent and n2 <= SHORT_WITNESS_LIMIT:
            cert = witness(net1, net2) if n2 <= WITNESS_LIMIT else short_witness(net1, net2, SHORT_WITNESS_WORK // n2)
            if cert is not None:
                return EquivalenceResult(True, cert, method=r.method + ", moves to a normal form")
        return r
    if cases == ("a", "a"):
        # the flips and group element, when they exist, prove equivalence in O(n1 n0): no arrangement needed
        cert = flip_witness(net1, net2)
        if cert is not None:
            return EquivalenceResult(True, cert, method="bottleneck (a): moves to a normal form")
        tried.append("no flips and group element relate them")
        if net1.widths[0] >= 3:     # the region enumeration is costly: h2 = mu h1 (the shallow moves), a difference
            if not _spent(deadline):
                x = random_probe(net1, net2, RANDOM_PROBES)
                if x is not None:
                    return EquivalenceResult(False, PointCertificate(tuple(x), (net1(x), net2(x))),
                                             method="bottleneck (a): a random probe point separated the networks")
                tried.append(f"{RANDOM_PROBES} random probe points: no difference")
            try:
                cert = inner_witness(net1, net2, deadline, keys)
            except UndecidedError as e:
                return _undecided(tried + [str(e)])
            if cert is not None:
                return EquivalenceResult(True, cert, method="bottleneck (a): the moves of the inner network")
            tried.append("no moves of the inner network relate them")
            if _spent(deadline):     # choosing the probes reads every row as rationals: seconds at scale
                return _undecided(tried + ["no input where they differ was looked for: the budget was spent"])
            x = refute(net1, net2, net1, net2, math.inf if deadline is None else deadline, 8, 0, tried,
                       probing=REFUTE_SECONDS)
            if x is not None:
                return EquivalenceResult(False, PointCertificate(tuple(x), (net1(x), net2(x))),
                                         method="bottleneck (a): " + tried[-1])
        r = equivalent_outer(net1, net2, deadline)
        if r.equivalent is None:
            return dataclasses.replace(r, certificate=Undecided(tuple(tried) + r.certificate.tried))
        n1 = max(net1.widths[1], net2.widths[1])
        if r.equivalent and n1 <= WITNESS_LIMIT_A:
            cert = outer_witness(net1, net2, deadline=deadline)
            if cert is not None:
                return EquivalenceResult(True, cert, method=r.method + ", hidden-neuron moves")
            if deadline is not None and time.monotonic() > deadline:
                return dataclasses.replace(r, method=r.method + "; no move witness: the budget was spent first")
        elif r.equivalent:
            return dataclasses.replace(r, method=r.method + f"; no move witness: n1 = {n1} > WITNESS_LIMIT_A = "
                                       f"{WITNESS_LIMIT_A} (each move replays a joint arrangement: about 6 s at "
                                       f"n1 = 256)")
        return r
    raise ArchitectureError(f"bottleneck.equivalent needs two networks of the same bottleneck case, got "
                            f"{net1.architecture} and {net2.architecture}; use semialg.equivalent")


def _orbit(net1: Network, net2: Network, deadline: float | None, keys: dict, tried: list[str]):
    r"""The group element taking ``net1`` to ``net2`` when they lie in one $G$-orbit (then the certificate is that
    element alone, naming no other mechanism), else ``None``; $O(\dim\Omega\log n)$ without positive twins,
    a bounded search otherwise, stopped at ``deadline`` (then ``tried`` says so). ``keys``: the orbit search's
    cache for ``net2``."""
    if net1.architecture != net2.architecture:
        return None
    try:
        return orbit_element(net1, net2, budget=64, cache=keys, deadline=deadline)
    except UndecidedError as e:
        tried.append(f"not one G-orbit as far as searched: {e}")
        return None


def _spent(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() > deadline


def _undecided(tried: list[str]) -> EquivalenceResult:
    return EquivalenceResult(None, Undecided(tuple(tried)), method="bottleneck (a): budget spent")
