"""The piecewise-linear engine against independent computation: arrangement counts, brute-force evaluation,
finite differences and the shallow theory."""

import random
from fractions import Fraction

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

from semialg import Architecture, GroupElement, Network, Polytope
from semialg.engine import regions as pl
from semialg.engine.functional_dimension import functional_dimension
from semialg.families import shallow
from semialg.ui.cli import main
from semialg.dispatch import equivalent

from conftest import group_elements, networks, rationals


def lines_in_general_position(n, seed):
    """Shallow (2, n, 1) network whose n lines have distinct slopes and no three concurrent."""
    rng = random.Random(seed)
    while True:
        rows = [(Fraction(rng.randint(-20, 20), rng.randint(1, 9)), Fraction(-1), Fraction(rng.randint(-9, 9)))
                for _ in range(n)]
        if len({r[0] for r in rows}) < n:
            continue
        pts = set()
        ok = True
        for i, r in enumerate(rows):
            for s in rows[i + 1:]:
                x = (s[2] - r[2]) / (r[0] - s[0])
                p = (x, r[0] * x + r[2])
                ok &= p not in pts
                pts.add(p)
        if ok:
            return Network.from_arrays([[[a, b] for a, b, _ in rows], [[1] * n]], [[c for *_, c in rows], [0]])


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_lines_in_general_position(n):
    net = lines_in_general_position(n, seed=n)
    assert len(pl.regions(net)) == 1 + n + n * (n - 1) // 2


def test_regions_of_hyperplanes_through_one_point_and_parallel_lines():
    # n lines through the origin: 2n sectors; n parallel lines: n + 1 strips.
    through = Network.from_arrays([[[1, 0], [0, 1], [1, 1], [1, -2]], [[1, 1, 1, 1]]], [[0, 0, 0, 0], [0]])
    assert len(pl.regions(through)) == 8
    parallel = Network.from_arrays([[[1, 1], [2, 2], [-1, -1]], [[1, 1, 1]]], [[0, 1, 3], [0]])
    assert len(pl.regions(parallel)) == 4


def regions_cover(net, regs, samples=60, seed=0):
    """Every random point off the bent hyperplanes lies in exactly one region, whose map gives f there."""
    rng = random.Random(seed)
    d = net.architecture.input_dim
    for _ in range(samples):
        x = [Fraction(rng.randint(-40, 40), rng.randint(1, 9)) for _ in range(d)]
        if any(0 in layer for layer in net.activation_pattern(x)):
            continue
        inside = [r for r in regs if r.contains(x)]
        assert len(inside) == 1
        assert inside[0](x) == net(x)
        assert inside[0].pattern == net.activation_pattern(x)


@settings(max_examples=25)
@given(networks(min_depth=2, max_depth=3, max_width=3, max_io=2))
def test_regions_are_exact_and_complete(net):
    regs = pl.regions(net)
    for r in regs:
        assert r.contains(r.point)
        assert r.pattern == net.activation_pattern(r.point) or any(0 in p for p in r.pattern)
        assert r(r.point) == net(r.point)
        eps = r.step()
        for j in range(len(r.point)):
            y = tuple(v + eps if i == j else v for i, v in enumerate(r.point))
            assert r.contains(y) and r(y) == net(y)
    regions_cover(net, regs)


def test_regions_in_a_box():
    net = lines_in_general_position(4, seed=11)
    box = Polytope.box([-1, -1], [1, 1])
    inside = pl.regions(net, box)
    assert all(box.contains(r.point) for r in inside)
    assert len(inside) <= len(pl.regions(net))


@settings(max_examples=30)
@given(st.data())
def test_pl_equivalent_agrees_with_shallow_on_g_images(data):
    net = data.draw(networks(min_depth=2, max_depth=2, max_width=3, max_io=2))
    g = data.draw(group_elements(net.architecture))
    image = g.act(net)
    r = pl.equivalent(net, image)
    assert r and r.verify(net, image) and bool(shallow.equivalent(net, image))


@settings(max_examples=30)
@given(st.data())
def test_pl_equivalent_agrees_with_shallow_on_random_pairs(data):
    arch = Architecture(data.draw(st.integers(1, 2)), data.draw(st.integers(1, 3)), 1)
    n1 = data.draw(networks(arch, entries=st.integers(-2, 2).map(Fraction)))
    n2 = data.draw(networks(Architecture(arch.input_dim, data.draw(st.integers(1, 3)), 1),
                            entries=st.integers(-2, 2).map(Fraction)))
    a, b = pl.equivalent(n1, n2), shallow.equivalent(n1, n2)
    assert bool(a) == bool(b)
    assert a.verify(n1, n2)


def test_pl_equivalent_on_hidden_symmetries_and_perturbations():
    clamp = Network.from_arrays([[[1], [1]], [[1, -1]]], [[0, -1], [0]])
    reflected = Network.from_arrays([[[-1], [-1]], [[1, -1]]], [[0, 1], [1]])
    assert pl.equivalent(clamp, reflected)
    off = reflected.replace_layer(2, bias=["1001/1000"])
    r = pl.equivalent(clamp, off)
    assert not r and r.verify(clamp, off)
    # Maps that agree at the region's interior point but differ elsewhere still get a separating point.
    a = Network.from_arrays([[[1]], [[1]]], [[0], [0]])
    b = Network.from_arrays([[[1]], [[2]]], [[0], ["-1/2"]])
    r = pl.equivalent(a, b)
    assert not r and r.verify(a, b)


def test_deep_equivalence_and_dispatch():
    net = Network.random((2, 3, 2, 1), seed=5)
    g = GroupElement.random(net.architecture, seed=6)
    r = equivalent(net, g.act(net))
    assert r and r.method == "deep normal form" and r.verify(net, g.act(net))   # the any-depth family
    assert pl.equivalent(net, g.act(net)).verify(net, g.act(net))
    other = net.replace_layer(3, bias=[net.biases[2][0] + 1])
    r = equivalent(net, other)
    assert not r and r.verify(net, other)


def test_region_certificate_rejects_wrong_claims():
    a = Network.from_arrays([[[1]], [[1]]], [[0], [0]])
    r = pl.equivalent(a, a)
    forged = pl.RegionCertificate(r.certificate.cells[:1])
    with pytest.raises(Exception):
        forged.verify(a, a)


# -- functional dimension --------------------------------------------------------------------------------

def test_jacobian_matches_exact_finite_differences():
    # On a fixed pattern f is affine in each single parameter, so a central difference is exact.
    net = Network.random((2, 3, 2, 2), seed=9)
    x = (fmpq(1, 3), fmpq(-2, 5))
    J = pl.parameter_jacobian(net, x)
    theta, t = net.parameters(), fmpq(1, 10 ** 9)
    for p in range(len(theta)):
        up = Network.from_parameters(net.architecture, [v + t if i == p else v for i, v in enumerate(theta)])
        dn = Network.from_parameters(net.architecture, [v - t if i == p else v for i, v in enumerate(theta)])
        diff = [(u - d) / (2 * t) for u, d in zip(up(x), dn(x))]
        assert diff == [J[o][p] for o in range(2)]


@settings(max_examples=30)
@given(networks(min_depth=2, max_depth=2, max_width=4, max_io=2, entries=st.integers(-2, 2).map(Fraction)))
def test_shallow_closed_form_matches_decisive_batch(net):
    assert shallow.shallow_functional_dimension(net) == functional_dimension(net, method="batch").value


@pytest.mark.parametrize("arch", [(1, 1, 1), (1, 3, 1), (2, 3, 1), (3, 4, 2), (2, 6, 3)])
def test_random_shallow_networks_have_full_functional_dimension(arch):
    net = Network.random(arch, seed=1)
    a = Architecture(*arch)
    expected = a.num_parameters - a.num_hidden
    assert functional_dimension(net, method="batch").value == expected
    assert functional_dimension(net).value == expected


def test_twins_and_opposite_pairs_lower_it_zero_factors_do_not():
    twins = Network.from_arrays([[[1, 0], [2, 0], [0, 1]], [[1, 1, 1]]], [[1, 2, 0], [0]])
    opposite = Network.from_arrays([[[1, 0], [-1, 0], [0, 1]], [[1, 1, 1]]], [[1, -1, 0], [0]])
    three_lines = Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    generic = Architecture(2, 3, 1).num_parameters - 3
    for net, expected in ((twins, generic - 3), (opposite, generic - 1), (three_lines, generic)):
        assert functional_dimension(net, method="batch").value == expected
        assert shallow.shallow_functional_dimension(net) == expected


def test_one_point_per_region_is_not_enough():
    net = Network.from_arrays([[[2]], [[3]]], [[1], [0]])     # 3 s(2x + 1)
    one_each = [r.point for r in pl.regions(net)]
    assert pl.batch_functional_dimension(net, one_each) == 2
    assert functional_dimension(net, method="batch").value == 3


@pytest.mark.parametrize("seed", range(4))
def test_deep_bounds_and_numeric_estimates(seed):
    net = Network.random((2, 3, 3, 1), seed=seed)
    fd = functional_dimension(net)
    assert fd.value <= fd.upper_bound == net.architecture.num_parameters - 6
    rng = random.Random(seed)
    X = [[Fraction(rng.randint(-50, 50), 7) for _ in range(2)] for _ in range(30)]
    X = [x for x in X if not any(0 in p for p in net.activation_pattern(x))]
    assert pl.batch_functional_dimension(net, X) <= fd.value
    assert pl.estimate_functional_dimension(net, seed=seed) <= fd.value


def test_batch_dimension_rejects_points_on_bent_hyperplanes():
    net = Network.from_arrays([[[1]], [[1]]], [[0], [0]])
    with pytest.raises(ValueError, match="X\\[1\\]"):
        pl.batch_functional_dimension(net, [[1], [0]])


def test_cli_regions_and_dim(capsys, tmp_path):
    import json
    from semialg import save
    net = lines_in_general_position(3, seed=2)
    path = tmp_path / "n.json"
    save(net, path)
    assert main(["regions", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] == 7
    assert main(["regions", str(path), "--box=-1,-1:1,1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] <= 7
    assert main(["dim", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["functional_dimension"] == 3 * 3 + 1
    # the fibre at a generic parameter: the 3 rescalings, nothing else (3 * 3 + 1 + 3 = 13 parameters)
    assert main(["dim", str(path), "--fibre", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["fibre_dimension_lower"] == data["fibre_dimension_upper"] == 3
    assert data["fibre_dimension_upper"] == data["num_parameters"] - data["functional_dimension"]
    absolute = tmp_path / "abs.json"     # |x| = s(x) + s(-x): bounds (2, 3), the value is 2
    save(Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 0], [0]]), absolute)
    assert main(["dim", str(absolute), "--fibre"]) == 0
    assert "between 2 and 3 (proven bounds)" in capsys.readouterr().out
    assert main(["regions", str(path), "--box=0,0"]) == 2
    assert "LOWER:UPPER" in capsys.readouterr().err


def test_functional_dimension_within_a_budget(capsys, tmp_path):
    import json
    from semialg import save
    from semialg.errors import UndecidedError
    net = Network.random((2, 3, 3, 1), seed=0)     # 14, below the bound 19: random inputs do not decide it
    with pytest.raises(UndecidedError, match=r"is at most 19 \(.*no rank .* fitted in the budget\)"):
        functional_dimension(net, budget=0)
    assert functional_dimension(net, budget=600).value == 14
    path = tmp_path / "n.json"
    save(net, path)
    assert main(["dim", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["functional_dimension"] == 14


def test_cli_dim_undecided_within_its_budget(capsys, tmp_path):
    import json
    import time
    from semialg import save
    net = Network.random((6, 10, 10, 3), seed=4)    # below the bound: thousands of regions in six dimensions
    path = tmp_path / "n.json"
    save(net, path)
    started = time.monotonic()
    assert main(["dim", str(path), "--budget", "4", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    # the function's own budget (0.9 of it) reports the proven bounds; on a loaded machine the wall clock of the
    # command may stop it first, which is also an honest "undecided"
    assert data["status"] == "undecided" and ("between" in data["reason"] or data["reason"] == "limit reached")
    assert time.monotonic() - started < 30


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(2, 3), st.integers(1, 3))
def test_closed_form_with_opposite_pairs_and_constant_neurons_matches_decisive_batch(seed, m, k):
    # Opposite pairs on shared hyperplanes (their output vectors sometimes parallel, so A+ and A- meet),
    # twins and w = 0 neurons with b > 0: the affine summand V (x) R^k + R^(m+1) (x) B is non-trivial, and
    # with fewer than m two-sided hyperplanes V is not all of R^(m+1), so B counts.
    rng = random.Random(seed)
    W, b, A = [], [], []
    for _ in range(rng.randint(1, 2)):
        row, bias = [rng.randint(-2, 2) for _ in range(m)], rng.randint(-2, 2)
        if not any(row):
            row[0] = 1
        a = [rng.randint(-2, 2) for _ in range(k)]
        for s in (1, -1) if rng.random() < 0.8 else (1, 1):
            t = rng.randint(1, 2)
            W.append([s * t * x for x in row]), b.append(s * t * bias)
            A.append([x * rng.choice([1, 2]) for x in a] if rng.random() < 0.5 else
                     [rng.randint(-2, 2) for _ in range(k)])
    if rng.random() < 0.5:
        W.append([0] * m), b.append(rng.randint(1, 2)), A.append([rng.randint(-2, 2) for _ in range(k)])
    net = Network.from_arrays([W, [list(r) for r in zip(*A)]], [b, [0] * k])
    assert shallow.shallow_functional_dimension(net) == functional_dimension(net, method="batch").value
