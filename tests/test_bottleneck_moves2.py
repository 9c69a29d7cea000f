"""Issue 17 items 3, 5, 6 (case (b)): the mechanism "H onto / off a kink" in ``hidden_symmetries``, named move
chains for non-generic pairs and pairs of different widths, exact local dimensions, exact counts.

Every fact is checked against computations that do not use the code under test: the profile of f along a line
by exact evaluation, networks built by hand from it, exact evaluation at random rational points and the region
oracle ``pl.equivalent``."""

from __future__ import annotations

import random

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.engine import regions as pl
from semialg.families import bottleneck as bn

MOVE = "H onto / off a kink"
SIGNS = {"A": (1, 1), "K+": (1, -1), "K-": (-1, 1), "Z": (-1, -1), "A0": (1, 0), "Z0": (-1, 0), "C": (0, 1)}


def _q(rng, lo=1, hi=6) -> fmpq:
    return fmpq(rng.randint(lo, hi), rng.randint(1, 4))


def ridge(seed: int, n0: int, classes, n3: int = 1, zero_c: float = 0.0) -> Network:
    """A case-(b) network whose second-layer neurons have the given classes (``A0``/``Z0``: $e = 0$, ``C``:
    $v = 0$), output weights zero with probability ``zero_c``."""
    rng = random.Random(seed)
    w = [_q(rng) * rng.choice((-1, 1)) for _ in range(n0)]
    v = [SIGNS[c][0] * _q(rng) for c in classes]
    e = [SIGNS[c][1] * _q(rng) for c in classes]
    c = [[(0 if rng.random() < zero_c else _q(rng) * rng.choice((-1, 1))) for _ in classes] for _ in range(n3)]
    return Network.from_arrays([[w], [[x] for x in v], c], [[_q(rng) * rng.choice((-1, 1))], e,
                                                            [_q(rng, -3, 3) for _ in range(n3)]])


def line_profile(net: Network):
    """``(p, [(z_k, J_k)], flat)``: the breakpoints $z_k$ of $F$ (in $z = w\\cdot x + b$) with their non-zero
    slope jumps $J_k$ and the value where $F$ is flat, from exact evaluation of ``net`` on the line
    $x = y e_p$ at the raw candidate points (not the profile code). ``None`` when $w = 0$."""
    W1, b1 = net.weights[0][0], net.biases[0][0]
    W2, b2 = net.weights[1], net.biases[1]
    p = next((i for i, x in enumerate(W1) if x != 0), None)
    if p is None:
        return None
    n0 = len(W1)
    zs = sorted({fmpq(0)} | {-e / r[0] for r, e in zip(W2, b2) if r[0] != 0 and -e / r[0] > 0})
    F = lambda z: net([((z - b1) / W1[p] if i == p else fmpq(0)) for i in range(n0)])  # noqa: E731
    pts = [zs[0] - 1] + zs + [zs[-1] + 1]
    slopes = [tuple((a - b) / (z2 - z1) for a, b in zip(F(z2), F(z1))) for z1, z2 in zip(pts, pts[1:])]
    bps = [(z, tuple(s2 - s1 for s1, s2 in zip(a, b))) for z, a, b in zip(zs, slopes, slopes[1:])]
    return p, [(z, J) for z, J in bps if any(J)], F(zs[0] - 1)


def other_anchor(net: Network) -> Network:
    """The same function with $H$ moved to the other anchor, built by hand from :func:`line_profile`: $H$ one unit
    off every kink (all kinks K+) when it is visible, on the first breakpoint (an A neuron) when hidden;
    spare neurons dead. Needs $n_2 \\ge m$."""
    _, bps, flat = line_profile(net)
    W1, b1, n2 = net.weights[0][0], net.biases[0][0], net.widths[2]
    shift = -bps[0][0] if bps[0][0] > 0 else fmpq(1)  # z' = z + shift: H onto the first breakpoint, or off it
    v = [fmpq(1)] * len(bps) + [fmpq(-1)] * (n2 - len(bps))
    e = [-(z + shift) for z, _ in bps] + [fmpq(-1)] * (n2 - len(bps))
    c = [J for _, J in bps] + [(fmpq(0),) * len(flat)] * (n2 - len(bps))
    return Network.from_arrays([[W1], [[x] for x in v], [list(r) for r in zip(*c)]],
                               [[b1 + shift], e, list(flat)])


def _points(net: Network, seed: int, k: int = 10):
    rng = random.Random(seed)
    return [[fmpq(rng.randint(-30, 30), rng.randint(1, 5)) for _ in range(net.widths[0])] for _ in range(k)]


def same_function(a: Network, b: Network, seed: int = 0, oracle: bool = True) -> bool:
    return all(a(x) == b(x) for x in _points(a, seed)) and (not oracle or bool(pl.equivalent(a, b)))


# -- item 3: hidden_symmetries lists "H onto / off a kink" ------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 2),
       st.lists(st.sampled_from(["A", "K+", "K-", "Z", "A0", "Z0", "C"]), min_size=1, max_size=3),
       st.integers(1, 2), st.sampled_from([0.0, 0.3]))
def test_hidden_symmetries_list_the_anchor_move_exactly_when_present(seed, n0, classes, n3, zero_c):
    net = ridge(seed, n0, classes, n3, zero_c)
    prof = line_profile(net)
    names = {m.name: m for m in bn.hidden_symmetries(net)}
    if not prof[1]:                                     # f constant: every mechanism hidden
        assert MOVE not in names
        return
    m = len(prof[1])
    assert net.widths[2] >= m - 1                       # every kink breakpoint needs its own neuron
    assert (MOVE in names) == (net.widths[2] >= m)
    if MOVE not in names:
        return                                          # n2 = m - 1: no member has H off every kink
    mech = names[MOVE]
    assert mech.kind == "discrete" and mech.multiplicity == 2 and mech.layer == 2
    other = other_anchor(net)
    assert same_function(net, other, seed)
    on_kink = [line_profile(x)[1][0][0] == 0 for x in (net, other)]
    assert on_kink[0] != on_kink[1]                     # H on the first breakpoint in exactly one of them
    r = sa.equivalent(net, other)
    assert r.verify(net, other)
    if isinstance(r.certificate, bn.BottleneckMoveCertificate):
        assert MOVE in r.certificate.mechanisms()
