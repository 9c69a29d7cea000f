"""Issue 17 item 3, case (b): short witnesses with moves on sets of neurons — reflections that need kink flips
first, pairs without an always-active host, pairs that differ in every neuron.

Pairs are built by hand from a one-dimensional profile (breakpoints $y_k$, jumps $\\Delta_k$, flat at both ends):
each side realises it on its own branch (direct $\\lambda > 0$ or reflected $\\lambda < 0$), anchor, kink orientations,
always-active neurons, dead neurons and jump splits, solving $c$ from the jumps and the slope at $0^+$ — then a
random group element. That both compute the same function is checked by exact evaluation on a line at every
candidate breakpoint of either and beyond (and the region oracle on a few), not by the code under test. The
certificate must verify, come from :func:`short_witness` (never the normal forms), have at most 29 moves, and name only the mechanisms the construction can use. Forged batch moves are refused."""

from __future__ import annotations

import dataclasses
import random

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

from semialg import Network
from semialg.core.symmetry import GroupElement
from semialg.engine import regions as pl
from semialg.errors import CertificateError
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.move_sets import (AbsorbConstants, ClearNeurons, FlipKinks, MergeAffines,
                                                   MergeKinkGroups)
from semialg.families.bottleneck.witnesses import short_witness, witness

ALLOWED = {"G", "reflection", "kink flips", "A-block trade", "dead neurons", "coincident kinks",
           "H onto / off a kink", "hidden hyperplane translation"}


def _q(rng, lo=1, hi=6) -> fmpq:
    return fmpq(rng.randint(lo, hi), rng.randint(1, 4))


def profile(rng, m: int, n3: int, zero_pairs: bool = False):
    """Breakpoints $y_1 < \\dots < y_m$ and jumps summing to $0$ (flat at both ends); with ``zero_pairs`` the jumps
    come in pairs $\\pm J$ (so kinks of both orientations can do without an always-active neuron)."""
    ys = sorted(rng.sample(range(-60 * m, 60 * m), m))
    ys = [fmpq(y, 3) for y in ys]
    if zero_pairs:
        half = [tuple(_q(rng) * rng.choice((-1, 1)) for _ in range(n3)) for _ in range(m // 2)]
        jumps = [j for h in half for j in (h, tuple(-x for x in h))]
    else:
        jumps = [tuple(_q(rng) * rng.choice((-1, 1)) for _ in range(n3)) for _ in range(m - 1)]
        jumps.append(tuple(-sum((j[r] for j in jumps), fmpq(0)) for r in range(n3)))
    return ys, jumps


def realise(rng, u, ys, jumps, flat, lam, shift, minus, n_a, n_dead, splits=0, n3=1) -> Network:
    """A network computing $x \\mapsto \\varphi(u\\cdot x)$ ($\\varphi$ = ``flat`` left of $y_1$) with $w = \\lambda u$, $H$ ``shift`` before the first
    breakpoint in $z$-order (on it when $0$), a K− kink at the breakpoints in ``minus`` (K+ elsewhere; ``splits``
    of them split over two neurons), ``n_a`` always-active neurons sharing the slope still needed at $0^+$ (one
    at least when it is not zero) and ``n_dead`` dead neurons."""
    m = len(ys)
    if lam < 0:             # flat on z <= 0 is the right end of phi: flat + the integral of phi'
        slope = [fmpq(0)] * n3
        for k in range(m - 1):
            slope = [s + x for s, x in zip(slope, jumps[k])]
            flat = [f + s * (ys[k + 1] - ys[k]) for f, s in zip(flat, slope)]
    first = min(range(m), key=lambda k: lam * ys[k])
    b = -lam * ys[first] + shift
    absl = abs(lam)
    J = [tuple(x / absl for x in j) for j in jumps]
    T = J[first] if shift == 0 else (fmpq(0),) * n3
    neurons, slope0 = [], [fmpq(0)] * n3
    served = [k for k in range(m) if not (shift == 0 and k == first)]
    split = set(rng.sample(served, min(splits, len(served))))
    for k in served:
        s = -1 if k in minus else 1
        z = lam * ys[k] + b
        parts = [fmpq(1, 3), fmpq(2, 3)] if k in split else [fmpq(1)]
        for a in parts:
            r = _q(rng)
            v = s * r
            c = tuple(a * x / r for x in J[k])
            neurons.append((v, -v * z, c))
            if s < 0:
                slope0 = [x + y * v for x, y in zip(slope0, c)]
    need = [t - x for t, x in zip(T, slope0)]
    n_a = max(n_a, 1 if any(need) else 0)
    parts = [tuple(_q(rng) * rng.choice((-1, 1)) for _ in range(n3)) for _ in range(n_a - 1)]
    if n_a:
        parts.append(tuple(x - sum((p[r] for p in parts), fmpq(0)) for r, x in enumerate(need)))
    for p in parts:
        r = _q(rng)
        neurons.append((r, rng.choice((fmpq(0), _q(rng))), tuple(x / r for x in p)))
    for _ in range(n_dead):
        neurons.append((-_q(rng), -_q(rng, 0, 4), tuple(_q(rng) for _ in range(n3))))
    if not neurons:
        neurons.append((fmpq(-1), fmpq(-1), (fmpq(0),) * n3))
    rng.shuffle(neurons)
    d = list(flat)
    for v, e, c in neurons:
        if e > 0:
            d = [x - y * e for x, y in zip(d, c)]
    w = [lam * x for x in u]
    return Network.from_arrays([[w], [[v] for v, _, _ in neurons], [[c[r] for _, _, c in neurons] for r in range(n3)]],
                               [[b], [e for _, e, _ in neurons], d])


def equal_on_the_line(a: Network, b: Network) -> bool:
    """Both rows non-zero multiples of one $u$ with $u_p = 1$: $f_a = f_b$ iff they agree on $x = ye_p$ at every
    candidate breakpoint of either network and one point beyond each end (exact evaluation only)."""
    p = next(i for i, x in enumerate(a.weights[0][0]) if x != 0)
    ys = set()
    for net in (a, b):
        wp, bias = net.weights[0][0][p], net.biases[0][0]
        zs = [fmpq(0)] + [-e / r[0] for r, e in zip(net.weights[1], net.biases[1]) if r[0] != 0]
        ys |= {(z - bias) / wp for z in zs}
    pts = sorted(ys)
    n0 = len(a.weights[0][0])
    return all(a(x) == b(x) for x in ([y if i == p else fmpq(0) for i in range(n0)]
                                      for y in [pts[0] - 1] + pts + [pts[-1] + 1]))


def pair(seed: int, kind: str, m: int = 4, n3: int = 1):
    """Two realisations of one profile: ``reflected`` (opposite branches, the sides not reflective: K+ kinks and
    always-active neurons), ``hostless`` (no always-active neuron on either side, kinks of both orientations at
    the same breakpoints), ``everywhere`` (the same branch, every kink's orientation or split differing)."""
    rng = random.Random(seed)
    m = 2 * max(1, m // 2) if kind == "hostless" else m
    n0 = rng.randint(1, 3)
    u = [fmpq(1)] + [_q(rng) * rng.choice((-1, 0, 1)) for _ in range(n0 - 1)]
    ys, jumps = profile(rng, m, n3, zero_pairs=kind == "hostless")
    flat = [_q(rng, -3, 3) for _ in range(n3)]
    lam1 = _q(rng)
    lam2 = -_q(rng) if kind == "reflected" else _q(rng)
    shift = lambda: rng.choice((fmpq(0), _q(rng)))  # noqa: E731
    if kind == "hostless":
        pairs = [(2 * i, 2 * i + 1) for i in range(m // 2)]
        k1 = {k for a, b2 in pairs[: len(pairs) // 2 + 1] for k in (a, b2)}
        k2 = {k for a, b2 in pairs[len(pairs) // 2:] for k in (a, b2)}
        args1 = dict(minus=k1, n_a=0, n_dead=rng.randint(0, 2))
        args2 = dict(minus=k2, n_a=0, n_dead=rng.randint(0, 2))
        s1, s2 = _q(rng), _q(rng)                # H off the first breakpoint: no slope at 0+ to make
    else:
        k1 = {k for k in range(m) if rng.random() < 0.5}
        k2 = set(range(m)) - k1 if kind == "everywhere" else {k for k in range(m) if rng.random() < 0.5}
        args1 = dict(minus=k1, n_a=rng.randint(1, 3), n_dead=rng.randint(0, 2))
        args2 = dict(minus=k2, n_a=rng.randint(1, 3), n_dead=rng.randint(0, 2), splits=rng.randint(0, m))
        s1, s2 = shift(), shift()
    a = realise(rng, u, ys, jumps, flat, lam1, s1, n3=n3, **args1)
    b = realise(rng, u, ys, jumps, flat, lam2, s2, n3=n3, **args2)
    b = GroupElement.random(b.architecture, seed=rng.randrange(10 ** 6), height=3).act(b)
    return a, b


def _check(a: Network, b: Network):
    assert equal_on_the_line(a, b), "the builder is wrong"
    cert = short_witness(a, b)
    assert cert is not None and cert.verify(a, b)
    assert set(cert.mechanisms()) <= ALLOWED
    assert len(cert.moves1) + len(cert.moves2) <= 29
    assert witness(a, b) == cert
    return cert


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10 ** 6), kind=st.sampled_from(["reflected", "hostless", "everywhere"]),
       m=st.integers(2, 6), n3=st.integers(1, 2))
def test_short_witness_of_realised_pairs(seed, kind, m, n3):
    a, b = pair(seed, kind, m, n3)
    cert = _check(a, b)
    if kind == "reflected":
        assert "reflection" in cert.mechanisms()


def test_pairs_agree_with_the_region_oracle():
    for seed in range(6):
        for kind in ("reflected", "hostless", "everywhere"):
            a, b = pair(seed, kind, 4)
            if a.widths[0] == 2:
                assert bool(pl.equivalent(a, b))
                _check(a, b)


def test_reflections_that_need_flips_used_the_normal_forms_before():
    """The reflected side is not reflective (it has K+ kinks absorbed by always-active neurons): the short witness
    flips them into its A block, clears it and reflects."""
    for seed in range(8):
        a, b = pair(seed, "reflected", 5)
        assert not bn.combinatorial_type(a).reflective and not bn.combinatorial_type(b).reflective
        cert = _check(a, b)
        assert "reflection" in cert.mechanisms()


def test_wide_pairs_differing_everywhere_get_a_bounded_witness():
    a, b = pair(5, "everywhere", 60)
    cert = _check(a, b)


def _forged(cert, side: str, k: int, **changes):
    moves = list(getattr(cert, side))
    moves[k] = dataclasses.replace(moves[k], **changes)
    return dataclasses.replace(cert, **{side: tuple(moves)})


def test_forged_set_moves_are_refused():
    seen = set()
    for seed in range(30):
        a, b = pair(seed, ("reflected", "everywhere", "hostless")[seed % 3], 5)
        cert = _check(a, b)
        for side in ("moves1", "moves2"):
            for k, mv in enumerate(getattr(cert, side)):
                forgeries = []
                if isinstance(mv, (FlipKinks, MergeAffines, ClearNeurons, AbsorbConstants)):
                    S = mv.S
                    forgeries += [dict(S=S + S[:1]), dict(S=S[:-1] + (-1,)), dict(S=())]
                    if len(S) > 1:
                        forgeries.append(dict(S=S[1:]))
                if isinstance(mv, (FlipKinks,)):
                    forgeries.append(dict(into=mv.S[0]))
                if isinstance(mv, MergeAffines):
                    forgeries.append(dict(i=mv.S[0]))
                if isinstance(mv, ClearNeurons):
                    forgeries.append(dict(mechanism="reflection"))
                if isinstance(mv, MergeKinkGroups):
                    g = mv.groups[0]
                    forgeries += [dict(groups=((g[0],),)), dict(groups=mv.groups + (g,)), dict(groups=())]
                for f in forgeries:
                    seen.add(type(mv).__name__)
                    with pytest.raises(CertificateError):
                        _forged(cert, side, k, **f).verify(a, b)
    assert seen >= {"FlipKinks", "ClearNeurons", "MergeAffines", "MergeKinkGroups"}


def test_huge_dead_neuron_insertions_are_refused_before_replay():
    """A forged count (10**8 inserted dead neurons) is refused with a CertificateError before anything is built
    (it made verify allocate gigabytes); a count a witness can need still replays, and a count that leaves the
    widths unequal is refused by the replay."""
    from semialg.families.bottleneck.move_sets import InsertDeadNeurons
    from semialg.families.bottleneck.moves import BottleneckMoveCertificate
    net = Network.from_arrays([[[1]], [[1], [1]], [[1, 1]]], [[0], [0, -1], [0]])
    one = GroupElement.identity(net.architecture)
    for count in (10 ** 8, 6):
        with pytest.raises(CertificateError, match="insert more than"):
            BottleneckMoveCertificate((InsertDeadNeurons(count),), (), one).verify(net, net)
    with pytest.raises(CertificateError):
        BottleneckMoveCertificate((InsertDeadNeurons(1),), (), one).verify(net, net)
    wide = GroupElement.identity(InsertDeadNeurons(2).apply(net).architecture)
    both = BottleneckMoveCertificate((InsertDeadNeurons(2),), (InsertDeadNeurons(2),), wide)
    assert both.verify(net, net)
    for count in (0, -3, True, 1.0):
        with pytest.raises(CertificateError):
            BottleneckMoveCertificate((InsertDeadNeurons(count),), (InsertDeadNeurons(count),), one).verify(net, net)
