"""Degeneracy loci and genericity, against brute force over every symbolic component and planted degeneracies."""

import itertools
import json
import random

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

from semialg import Architecture, CertificateError, Network
from semialg.ui.cli import main
from semialg.engine.loci import degeneracy_loci, genericity
from semialg.errors import UndecidedError
from semialg.geometry.zero_sum import ZeroSumDecision, find_zero_sum_set

from conftest import networks


def rand(rng, height=60):
    return fmpq(rng.choice([-1, 1]) * rng.randint(1, height), rng.randint(1, height))


def planted_zero_factor(n, m, k, size, seed):
    """A shallow network whose neurons S satisfy sum_S a_i w_i^T = 0: a_i = alpha_i a, sum alpha_i w_i = 0."""
    rng = random.Random(seed)
    W = [[rand(rng) for _ in range(m)] for _ in range(n)]
    A = [[rand(rng) for _ in range(k)] for _ in range(n)]
    S = sorted(rng.sample(range(n), size))
    a = [rand(rng) for _ in range(k)]
    alpha = [rand(rng) for _ in S[:-1]] + [fmpq(1)]
    for t, i in enumerate(S):
        A[i] = [alpha[t] * x for x in a]
    W[S[-1]] = [-sum(alpha[t] * W[i][j] for t, i in enumerate(S[:-1])) for j in range(m)]
    W2 = [[A[i][o] for i in range(n)] for o in range(k)]
    return Network.from_arrays([W, W2], [[rand(rng) for _ in range(n)], [rand(rng) for _ in range(k)]]), S


def brute_force_degenerate(net):
    """Membership in Z by exact substitution into every symbolic component."""
    return any(locus.contains(net) for locus in degeneracy_loci(net.architecture).components)


@settings(max_examples=30)
@given(networks(min_depth=2, max_depth=3, max_width=3, max_io=2, entries=st.integers(-1, 1).map(fmpq)))
def test_genericity_agrees_with_every_symbolic_component(net):
    report = genericity(net)
    assert report.status != "undecided"
    assert (report.status == "degenerate") == brute_force_degenerate(net)
    assert report.verify(net)
    assert degeneracy_loci(net.architecture).contains(net) == (report.status == "degenerate")


@pytest.mark.parametrize("arch", [(2, 5, 1), (3, 8, 2), (1, 4, 3), (2, 3, 3, 1)])
def test_random_exact_networks_are_generic(arch):
    for seed in range(3):
        net = Network.random(arch, seed=seed, height=1000)
        report = genericity(net)
        assert report.verify(net) and report.failed == []
        # only the shallow theorem makes the conditions sufficient; deeper, they are necessary only
        assert bool(report) == (len(arch) == 3)
        assert report.status == ("generic" if len(arch) == 3 else "no degeneracy among the necessary conditions")
        if arch[1] <= 5:
            assert not brute_force_degenerate(net)


def test_planted_dead_and_dependent_rows():
    net = Network.random((3, 6, 2), seed=1, height=50)
    W1, W2 = [list(r) for r in net.weights[0]], [list(r) for r in net.weights[1]]
    b1 = list(net.biases[0])
    cases = {}
    dead_out = [r[:] for r in W2]
    for r in dead_out:
        r[4] = fmpq(0)
    cases["dead_output"] = (net.replace_layer(2, weight=dead_out), ("no dead neuron", (1, 4, "output")))
    dead_in = [r[:] for r in W1]
    dead_in[2] = [fmpq(0)] * 3
    cases["dead_input"] = (net.replace_layer(1, weight=dead_in), ("no dead neuron", (1, 2, "input")))
    for lam in (fmpq(3, 2), fmpq(-2, 7)):
        par = [r[:] for r in W1]
        par[5] = [lam * x for x in W1[1]]
        bias = b1[:]
        bias[5] = lam * b1[1]
        cases[f"dependent {lam}"] = (net.replace_layer(1, weight=par, bias=bias),
                                     ("no dependent rows", (1, 1, 5, lam)))
    for name, (bad, (cond, witness)) in cases.items():
        report = genericity(bad)
        assert report.status == "degenerate", name
        failed = report.failed[0]
        assert (failed.name, failed.witness) == (cond, witness), name
        assert report.verify(bad)
        family = "dead_" + witness[2] if cond == "no dead neuron" else "dependent"
        Z = degeneracy_loci(bad.architecture)
        index = (witness[1] + 1,) if family.startswith("dead") else (witness[1] + 1, witness[2] + 1)
        locus = Z.family(family).member(index)
        assert locus.contains(bad) and not locus.contains(net)
        # the detail numbers neurons from 1, as the locus's index and the symbols do
        named = (f"neuron {index[0]} of hidden layer 1" if family.startswith("dead") else
                 f"rows {index[0]} and {index[1]} of (W_1 | b_1) are proportional")
        assert named in failed.detail, (name, failed.detail)


@pytest.mark.parametrize("n,m,k,size", [(6, 2, 1, 2), (10, 2, 1, 3), (20, 3, 2, 5), (30, 2, 2, 6),
                                        (40, 3, 2, 8), (40, 5, 1, 4)])
def test_planted_zero_factor_sets_are_found(n, m, k, size):
    net, S = planted_zero_factor(n, m, k, size, seed=n + size)
    report = genericity(net)
    assert report.status == "degenerate" and report.verify(net)
    witness = report.failed[0].witness
    assert report.failed[0].name == "no zero factor"
    # The witness is a zero-sum set (checked by direct summation here, independently of the certificate).
    (W1, _), (W2, _) = net.layers()
    assert all(sum((W2[o][i] * W1[i][j] for i in witness), fmpq(0)) == 0 for o in range(k) for j in range(m))
    if n <= 10:
        locus = degeneracy_loci(net.architecture).family("zero_factor").member(tuple(i + 1 for i in witness))
        assert locus.contains(net) and not locus.contains(Network.random(net.architecture, seed=1))


def test_forged_certificates_are_rejected():
    net, _ = planted_zero_factor(8, 2, 1, 3, seed=3)
    report = genericity(net)
    cond = report.failed[0]
    forged = type(cond)(cond.name, False, (0, 1), ZeroSumDecision("found", (0, 1)), "", cond.check)
    with pytest.raises(CertificateError):
        forged.verify(net)
    generic = Network.random((2, 4, 1), seed=2, height=100)
    ok = genericity(generic)
    with pytest.raises(CertificateError):
        ok.verify(net)
    base = Network.random((3, 6, 2), seed=1, height=50)
    W1, b1 = [list(r) for r in base.weights[0]], list(base.biases[0])
    W1[5], b1[5] = [2 * x for x in W1[1]], 2 * b1[1]
    bad = base.replace_layer(1, weight=W1, bias=b1)
    cond = genericity(bad).failed[0]
    assert cond.witness == (1, 1, 5, fmpq(2)) and "rows 2 and 6 of (W_1 | b_1)" in cond.detail
    forged = type(cond)(cond.name, False, (1, 1, 5, fmpq(3)), None, cond.detail, cond.check)
    with pytest.raises(CertificateError, match=r"row 6 of layer 1 is not 3 times row 2"):   # numbered from 1
        forged.verify(bad)


@given(st.lists(st.lists(st.integers(-3, 3), min_size=2, max_size=2), min_size=1, max_size=9))
def test_zero_sum_decision_matches_brute_force(rows):
    vecs = [tuple(fmpq(x) for x in r) for r in rows]
    brute = any(all(sum(vecs[i][c] for i in S) == 0 for c in range(2))
                for size in range(1, len(vecs) + 1) for S in itertools.combinations(range(len(vecs)), size))
    d = find_zero_sum_set(vecs)
    assert d.status == ("found" if brute else "none")
    assert d.verify(vecs)


def test_budget_gives_undecided_with_what_was_tried():
    # 1-D subset sum with no solution and no Gordan functional: all of +-1 .. but no zero-sum subset.
    vecs = [(fmpq(x),) for x in (3, 5, 7, 11, 13, 17, -2 ** 40, -2 ** 41, 19, 23, 29, 31)]
    d = find_zero_sum_set(vecs, budget=4)
    assert d.status == "undecided" and any("budget" in t for t in d.tried)
    full = find_zero_sum_set(vecs, budget=2 ** 10)
    assert full.status == "none" and full.verify(vecs)
    net = Network.from_arrays([[[1]] * 12, [[v[0] for v in vecs]]], [[i for i in range(1, 13)], [0]])
    with pytest.raises(UndecidedError):
        degeneracy_loci(net.architecture).contains(net, budget=4)


def test_loci_counts_codimensions_and_deep_scope():
    Z = degeneracy_loci(Architecture(3, 5, 2))
    assert [len(f) for f in Z.families] == [5, 5, 10, 31] and len(Z) == 51
    assert sum(1 for _ in Z.family("zero_factor")) == 31
    assert Z.family("dependent").member((1, 2)).codimension == 3
    deep = degeneracy_loci((2, 3, 2, 1))
    assert [f.name for f in deep.families] == ["dead_output", "dead_input", "dependent"]
    assert len(deep.family("dependent")) == 3 + 1 and "necessary only" in deep.families[0].scope


def test_cli_generic_and_loci(capsys, tmp_path):
    from semialg import save
    net, S = planted_zero_factor(6, 2, 1, 3, seed=5)
    path = tmp_path / "n.json"
    save(net, path)
    assert main(["generic", str(path), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "degenerate" and data["conditions"][2]["holds"] is False
    save(Network.random((2, 4, 1), seed=0, height=100), path)
    assert main(["generic", str(path)]) == 0
    assert "generic" in capsys.readouterr().out
    assert main(["loci", "2,3,1", "--json", "--latex", str(tmp_path / "z.tex")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == 3 + 3 + 3 + 7
    assert "\\bigcup" in (tmp_path / "z.tex").read_text()
