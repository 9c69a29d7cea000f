"""Issue 17 item 3, case (b): a move certificate names only the mechanisms that relate the two parameters.

Pairs are built by one independent move by hand — a kink flip absorbed by an always-active neuron, a hidden
first-layer hyperplane translated, a bias or slope traded inside the A block, a dead neuron moved — and a random
group element; the function is checked unchanged by the region oracle and exact evaluation, not by the code
under test. The certificate must verify and name exactly that move's mechanism (besides G): before, both
sides' normal-form moves were named (e.g. the A-block bias trade that both normal forms make identically)."""

from __future__ import annotations

import dataclasses
import random

import pytest
from flint import fmpq

from semialg import Network
from semialg.core.symmetry import GroupElement
from semialg.engine import regions as pl
from semialg.errors import CertificateError
from semialg.families import bottleneck as bn

SIGNS = {"A": (1, 1), "K+": (1, -1), "K-": (-1, 1), "Z": (-1, -1)}


def _q(rng, lo=1, hi=6) -> fmpq:
    return fmpq(rng.randint(lo, hi), rng.randint(1, 4))


def ridge(rng: random.Random, classes, n0: int = 2, n3: int = 1):
    """``(w, b, v, e, c, d)`` of a case-(b) parameter whose second-layer neurons have the given classes."""
    w = [_q(rng) * rng.choice((-1, 1)) for _ in range(n0)]
    v = [SIGNS[k][0] * _q(rng) for k in classes]
    e = [SIGNS[k][1] * _q(rng) for k in classes]
    c = [[_q(rng) * rng.choice((-1, 1)) for _ in range(n3)] for _ in classes]
    return w, _q(rng) * rng.choice((-1, 1)), v, e, c, [_q(rng, -3, 3) for _ in range(n3)]


def net_of(w, b, v, e, c, d) -> Network:
    return Network.from_arrays([[w], [[x] for x in v], [list(r) for r in zip(*c)]], [[b], e, d])


def kink_flip(rng):
    classes = ["A"] + [rng.choice(("K+", "K-")) for _ in range(rng.randint(1, 3))] + ["Z"] * rng.randint(0, 1)
    w, b, v, e, c, d = ridge(rng, classes)
    j = rng.randrange(1, len(classes) - classes.count("Z"))
    r = v[j] / v[0]
    c2 = [list(x) for x in c]
    c2[0] = [x + y * r for x, y in zip(c[0], c[j])]
    d2 = [dd + y * e[j] - y * r * e[0] for dd, y in zip(d, c[j])]
    v2, e2 = list(v), list(e)
    v2[j], e2[j] = -v[j], -e[j]
    return net_of(w, b, v, e, c, d), net_of(w, b, v2, e2, c2, d2), "kink flips"


def hidden_translation(rng):
    classes = ["K+"] * rng.randint(1, 3) + ["Z"] * rng.randint(0, 1)
    w, b, v, e, c, d = ridge(rng, classes)
    tau = min(-x / y for x, y in zip(e, v) if y > 0)
    beta = -tau * fmpq(rng.randint(1, 3), 4)      # every e_j - v_j beta stays < 0
    e2 = [x - y * beta for x, y in zip(e, v)]
    return net_of(w, b, v, e, c, d), net_of(w, b + beta, v, e2, c, d), "hidden hyperplane translation"


def affine_trade(rng):
    classes = ["A", "A"] + [rng.choice(("K+", "K-")) for _ in range(rng.randint(0, 2))]
    w, b, v, e, c, d = ridge(rng, classes)
    delta = _q(rng)
    if rng.random() < 0.5:           # the bias of an A neuron traded with d
        e2, c2, d2 = list(e), c, [x - y * delta for x, y in zip(d, c[0])]
        e2[0] += delta
        return net_of(w, b, v, e, c, d), net_of(w, b, v, e2, c2, d2), "A-block trade"
    c2 = [list(x) for x in c]        # output weight moved between the two A neurons (slope kept, d compensates)
    c2[0] = [x + delta / v[0] for x in c[0]]
    c2[1] = [x - delta / v[1] for x in c[1]]
    d2 = [x - delta * e[0] / v[0] + delta * e[1] / v[1] for x in d]
    return net_of(w, b, v, e, c, d), net_of(w, b, v, e, c2, d2), "A-block trade"


def dead_moved(rng):
    classes = [rng.choice(("A", "K+", "K-")) for _ in range(rng.randint(1, 3))] + ["Z"]
    w, b, v, e, c, d = ridge(rng, classes)
    v2, e2, c2 = list(v), list(e), [list(x) for x in c]
    v2[-1], e2[-1], c2[-1] = -_q(rng), -_q(rng), [_q(rng, -4, 4)]
    return net_of(w, b, v, e, c, d), net_of(w, b, v2, e2, c2, d), "dead neurons"


BUILDERS = (kink_flip, hidden_translation, affine_trade, dead_moved)


def _points(rng, n0: int = 2, k: int = 10):
    return [[fmpq(rng.randint(-30, 30), rng.randint(1, 5)) for _ in range(n0)] for _ in range(k)]


@pytest.mark.parametrize("build", BUILDERS, ids=lambda f: f.__name__)
def test_certificate_names_only_the_move_used(build):
    rng = random.Random(build.__name__)
    checked = 0
    for _ in range(12):
        a, b, name = build(rng)
        assert all(a(x) == b(x) for x in _points(rng)) and pl.equivalent(a, b), "the builder is wrong"
        b = GroupElement.random(b.architecture, seed=rng.randrange(10 ** 6), height=3).act(b)
        cert = bn.witness(a, b)
        if bn.equivalent(a, b).certificate.__class__ is not bn.BottleneckMoveCertificate:
            continue
        assert cert is not None and cert.verify(a, b)
        assert set(cert.mechanisms()) - {"G"} <= {name}, (cert.mechanisms(), name)
        checked += 1
    assert checked >= 8


def test_pruned_certificates_still_refuse_forgeries():
    rng = random.Random(5)
    for _ in range(6):
        a, b, _ = kink_flip(rng)
        cert = bn.witness(a, b)
        g = cert.element
        bad = GroupElement(g.permutations, [g.scales[0], tuple(x * 2 for x in g.scales[1])])
        with pytest.raises(CertificateError):
            dataclasses.replace(cert, element=bad).verify(a, b)
        if cert.moves1:
            with pytest.raises(CertificateError):
                dataclasses.replace(cert, moves1=cert.moves1[1:]).verify(a, b)
