"""Label classes of hidden-neuron fibres decided by pinned negative hyperplanes (non-empty: samples confirmed by the
region oracle, perturbations and moved hidden neurons agree with it) and by the branching on the signs of the
negative slots (empty: the certificate re-checked here independently, with Python fractions and rows recomputed
from the network's own evaluation; tampering is refused)."""

from __future__ import annotations

import dataclasses
import itertools
import random
from fractions import Fraction

import pytest
from flint import fmpq

import semialg as sa
from semialg import Network
from semialg.engine import regions as pl
from semialg.errors import CertificateError
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.hidden_fibre import HiddenFibre

ARCH, SEED = (2, 5, 1, 1), 10       # 3 pinned and 7 branching classes, undecided before


@pytest.fixture(scope="module")
def wide():
    net = Network.random(ARCH, seed=SEED, height=3)
    assert sa.genericity(net) and all(c.holds for c in bn.type_checks(net))
    return net, HiddenFibre(net, bn.combinatorial_type(net), budget=None, progress=False)


def _index(Hf, key):
    return tuple([("V", k, k in key[0]) for k in Hf.visible] + list(key[1]))


def test_pinned_classes_have_members_confirmed_by_the_oracle(wide):
    net, Hf = wide
    pinned = [k for k, d in Hf.decisions.items() if d.how == "pinned"]
    assert pinned and all(Hf.decisions[k].status == "nonempty" for k in pinned)
    rng = random.Random(1)
    for key in pinned:
        index = _index(Hf, key)
        C = Hf.build(index)
        x = Hf.sample(0, index)
        assert Hf.locate(x) == index and C.contains(x) and bool(pl.equivalent(net, x))
        # perturbations: a listed component never contains a non-member; moved hidden neurons: same answer
        for _ in range(6):
            p = [v + fmpq(rng.randint(-3, 3), 10 ** rng.randint(1, 4)) for v in x.parameters()]
            y = Network.from_parameters(net.architecture, p)
            if C.contains(y):
                assert bool(pl.equivalent(net, y))
        W, b = [list(r) for r in x.weights[0]], list(x.biases[0])
        for i, lab in enumerate(index):
            if lab[0] != "V":
                for shift in (fmpq(1, 50), fmpq(-1, 50), fmpq(3)):
                    moved = Network((tuple(tuple(r) for r in W), x.weights[1], x.weights[2]),
                                    (tuple(bb + shift * (j == i) for j, bb in enumerate(b)), x.biases[1], x.biases[2]))
                    if Hf.label_of(moved) == index:
                        assert C.contains(moved) == bool(pl.equivalent(net, moved))


# -- an independent re-check of the emptiness certificates --------------------------------------------------------

def _F(x) -> Fraction:
    x = fmpq(x)
    return Fraction(int(x.p), int(x.q))


class _Oracle:
    """h and H0 of theta from its own parameters, in fractions."""

    def __init__(self, net):
        self.W = [[_F(a) for a in row] for row in net.weights[0]]
        self.b = [_F(a) for a in net.biases[0]]
        self.v = [_F(a) for a in net.weights[1][0]]
        self.e = _F(net.biases[1][0])
        self.cls = bn.combinatorial_type(net).classes

    def ell(self, i, x):
        return sum(a * c for a, c in zip(self.W[i], x)) + self.b[i]

    def h(self, x):
        return sum(v * max(self.ell(i, x), 0) for i, v in enumerate(self.v)) + self.e

    def H0(self, x):
        return self.e + sum(v * (max(self.ell(i, x), 0) if c == "V" else self.ell(i, x) if c == "U+" else 0)
                            for i, (v, c) in enumerate(zip(self.v, self.cls)))


def _rank(rows):
    M = [list(r) for r in rows]
    r = 0
    for c in range(len(M[0]) if M else 0):
        p = next((i for i in range(r, len(M)) if M[i][c] != 0), None)
        if p is None:
            continue
        M[r], M[p] = M[p], M[r]
        for i in range(len(M)):
            if i != r and M[i][c] != 0:
                f = M[i][c] / M[r][c]
                M[i] = [a - f * bb for a, bb in zip(M[i], M[r])]
        r += 1
    return r


def _recheck(net, key, tree):
    """Every leaf closed by its stages, every split covering all sign patterns; rows from their tags."""
    O, n0 = _Oracle(net), net.architecture.input_dim
    st, slots = n0 + 1, list(enumerate(key[1]))
    neg = [j for j, (_, s) in slots if s < 0]
    kappa = {"U-": 1, "U+": -1}
    lin = [sum(O.v[i] * O.W[i][q] for i, c in enumerate(O.cls) if c == "U+" or i in key[0]) for q in range(n0)]
    eqs = []
    for q in range(n0):
        coefs = [Fraction(0)] * (st * len(slots))
        for j, (c, s) in slots:
            if c == "U+":
                coefs[st * j + q] = Fraction(s)
        eqs.append((coefs, -lin[q]))

    def row(tag, path):
        coefs = [Fraction(0)] * (st * len(slots))
        x = [_F(a) for a in tag[2 if tag[0] == "e4" else 1]]

        def add(j, one, f):
            for q in range(n0):
                coefs[st * j + q] += f * x[q]
            coefs[st * j + n0] += f * one
        if tag[0] == "e4":
            _, j, _, one = tag
            if one:
                assert O.h(x) >= 0
            add(j, one, -kappa[slots[j][1][0]])
            return coefs, Fraction(0)
        _, _, one, base = tag[:4]
        T = path[(tuple(tag[1]), one)]
        if tag[0] == "sign":
            j, sgn = tag[4], tag[5]
            assert (j in T) == (sgn > 0)
            add(j, one, sgn * kappa[slots[j][1][0]])
            return coefs, Fraction(0)
        S, TT = tag[4], tag[5]
        assert tuple(TT) == T
        if one:
            assert O.h(x) <= 0
            H0 = O.H0(x)
        else:   # a ray of N-bar from base: h <= 0 far along it; H0's slope there
            b0 = [_F(a) for a in base]
            pt = lambda t: [p + t * d for p, d in zip(b0, x)]  # noqa: E731
            far = Fraction(10 ** 6)
            assert O.h(b0) <= 0 and O.h(pt(far)) <= 0 and O.h(pt(far + 1)) <= O.h(pt(far))
            H0 = O.H0(pt(far + 1)) - O.H0(pt(far))
        for j in tuple(S) + tuple(TT):
            c, s = slots[j][1]
            add(j, one, -s * kappa[c])
        return coefs, -H0

    def walk(t, path):
        if t[0] == "split":
            _, x, one, children = t
            assert set(children) == {T for k in range(len(neg) + 1) for T in itertools.combinations(neg, k)}
            for T, child in children.items():
                walk(child, {**path, (tuple(x), one): T})
            return
        _, status, stages = t
        E = list(eqs)
        for stage in stages:
            rows = [(row(tag, path), _F(a)) for tag, a in stage]
            assert all(a >= 0 for _, a in rows)
            a_vec = [sum(a * r[0][i] for r, a in rows) for i in range(st * len(slots))]
            c = sum(a * r[1] for r, a in rows)
            # the combination is constant on {E = 0} (a_vec in the span of the equations); its value there
            assert _rank([e for e, _ in E] + [a_vec]) == _rank([e for e, _ in E])
            z = _particular(E, len(a_vec))
            if z is None:
                return                                  # the equations are inconsistent
            value = sum(p * q for p, q in zip(a_vec, z)) + c
            assert value <= 0
            if value < 0:
                return
            E += [r for r, a in rows if a != 0]
        assert status == "constant"
        z = _particular(E, st * len(slots))
        assert z is not None
        assert any(all(_rank([e for e, _ in E] + [[Fraction(int(p == st * j + q)) for p in range(st * len(slots))]])
                       == _rank([e for e, _ in E]) for q in range(n0)) and all(z[st * j + q] == 0 for q in range(n0))
                   for j, _ in slots)

    walk(tree, {})


def _particular(E, n):
    """A solution of e . z + k = 0 for every (e, k) in E, or None."""
    M = [list(e) + [-k] for e, k in E]
    piv, r = [], 0
    for c in range(n):
        p = next((i for i in range(r, len(M)) if M[i][c] != 0), None)
        if p is None:
            continue
        M[r], M[p] = M[p], M[r]
        M[r] = [a / M[r][c] for a in M[r]]
        for i in range(len(M)):
            if i != r and M[i][c] != 0:
                f = M[i][c]
                M[i] = [a - f * bb for a, bb in zip(M[i], M[r])]
        piv.append(c)
        r += 1
    if any(all(a == 0 for a in row[:n]) and row[n] != 0 for row in M):
        return None
    z = [Fraction(0)] * n
    for i, c in enumerate(piv):
        z[c] = M[i][n]
    return z


def test_branching_certificates_recheck_independently(wide):
    net, Hf = wide
    certs = [(k, d.certificate) for k, d in Hf.decisions.items() if d.how == "branching"]
    assert certs
    for key, cert in certs:
        assert Hf.decisions[key].status == cert.status in ("empty", "constant")
        assert cert.verify(net)
        _recheck(net, key, cert.tree)
        assert key not in {_key for _key in Hf.index.keys}


def test_tampered_certificates_are_refused(wide):
    net, Hf = wide
    key, cert = next((k, d.certificate) for k, d in Hf.decisions.items() if d.how == "branching")

    def first_leaf(t):
        return t if t[0] == "leaf" else first_leaf(next(iter(t[3].values())))
    leaf = first_leaf(cert.tree)
    stage = leaf[2][-1]
    doubled = tuple((tag, a * (2 if i == 0 else 1)) for i, (tag, a) in enumerate(stage))
    bad_leaf = (leaf[0], leaf[1], leaf[2][:-1] + (doubled,))

    def replace(t):
        if t is leaf:
            return bad_leaf
        if t[0] == "leaf":
            return t
        return t[:3] + ({T: replace(c) for T, c in t[3].items()},)
    forged = [dataclasses.replace(cert, tree=replace(cert.tree))]
    if cert.tree[0] == "split":         # a branch dropped: the sign patterns are no longer covered
        children = dict(cert.tree[3])
        children.pop(next(iter(children)))
        forged.append(dataclasses.replace(cert, tree=cert.tree[:3] + (children,)))
    for f in forged:
        with pytest.raises(CertificateError):
            f.verify(net)


def _statuses(Hf):
    return {k: d.status for k, d in Hf.decisions.items()}


def test_the_budget_left_after_the_first_pass_branches_deeper(wide, monkeypatch):
    net, full = wide
    assert full.undecided == []
    t = bn.combinatorial_type(net)
    monkeypatch.setattr(HiddenFibre, "BRANCH_LIMIT", 1)          # the first pass decides no branching class
    deeper = HiddenFibre(net, t, budget=3600, progress=False)    # a finite budget, ample for the deeper pass
    assert deeper.undecided == [] and _statuses(deeper) == _statuses(full)
    from semialg.families.bottleneck import hidden_branching as hb
    real = hb.ClassBrancher.decide

    def expire(self, member):      # the budget runs out when the deeper pass starts: no error, classes undecided
        if self.limit > HiddenFibre.BRANCH_LIMIT:
            self.F.deadline = 0
        return real(self, member)
    monkeypatch.setattr(hb.ClassBrancher, "decide", expire)
    spent = HiddenFibre(net, t, budget=3600, progress=False)
    assert spent.undecided and all(_statuses(full)[k] in ("empty", "constant", "nonempty") for k in spent.undecided)
    assert {k: s for k, s in _statuses(spent).items() if s != "undecided"} == \
        {k: s for k, s in _statuses(full).items() if k not in spent.undecided}


@pytest.mark.parametrize("tag", [
    ("phi", (fmpq(1), fmpq(0)), 0, (fmpq(-6), fmpq(4)), (0, 0, 0, 0, 0), ()),   # a positive slot repeated
    ("sign", (fmpq(1), fmpq(0)), 0, (fmpq(-6), fmpq(4)), 0, -1),              # a sign row of a positive slot
    ("phi", (fmpq(1), fmpq(0)), 0, (fmpq(-6), fmpq(4)), (7,), ()),              # no such slot
])
def test_forged_rows_cannot_empty_a_class_that_holds_theta(tag):
    # theta's own label class (one U+' slot, theta in it): along the ray (1, 0) from (-6, 4) in N-bar the honest
    # row reads 4 - 1 >= 0; the forged ones would read 4 - 5 < 0 or -1 >= 0
    from semialg.families.bottleneck.hidden_branching import EmptyClassCertificate
    net = Network.random((2, 4, 1, 1), seed=1, height=3)
    key = (frozenset(), (("U+", 1),))
    fibre = HiddenFibre(net, sa.combinatorial_type(net), budget=60, progress=False)
    assert fibre.decisions[key].status == "nonempty" and fibre.locate(net) is not None
    forged = EmptyClassCertificate(key, ("split", tag[1], 0, {(): ("leaf", "empty", (((tag, fmpq(1)),),))}))
    with pytest.raises(CertificateError, match="slots"):
        forged.verify(net)


@pytest.mark.parametrize("key, tree", [
    ((frozenset(), (("XX", 1),)), ("leaf", "empty", None)),       # not a slot class: the equations would be inconsistent
    ((frozenset({7}), (("U+", 1),)), ("leaf", "empty", ())),        # no neuron 7 to flip
    ((frozenset(), (("U+", 1),)), ("split", "x", 0, {(): ("leaf", "empty", ())})),
    ((frozenset(), (("U+", 1),)), ("leaf", "empty", (((("e4", 0, (fmpq(1), fmpq(0)), 0), "a"),),))),
    (None, ("leaf", "empty", ())),
])
def test_malformed_empty_class_certificates_are_refused(key, tree):
    from semialg.families.bottleneck.hidden_branching import EmptyClassCertificate
    net = Network.random((2, 4, 1, 1), seed=1, height=3)
    with pytest.raises(CertificateError):
        EmptyClassCertificate(key, tree, ((fmpq(-6), fmpq(4)),)).verify(net)
