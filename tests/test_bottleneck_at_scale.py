"""Case-(a) bottleneck types and local dimensions at sizes where the first layer's arrangement is out of reach.

The witnessed type (exact points: $h > 0$, $h < 0$, and $h > 0$ on each neuron's hyperplane) is checked against the
type read off the cells of the arrangement; the local-dimension bounds of wide networks against hand counts, moves
checked by the exact equivalence decision; the sampled rows reach the rank that decides a generic parameter whose
$P = \\{h > 0\\}$ is small. A thin $N = \\{h < 0\\}$ is found by pushing down $h$; a type that needs the cells
keeps its budget, and so do the hidden symmetries, the fibre and the command line.
"""

from __future__ import annotations

import json
import random

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.engine import jacobian, tangent
from semialg.engine.jacobian import sampled_rank_reaches
from semialg.errors import UndecidedError
from semialg.families.bottleneck.arrangement import arrangement_of
from semialg.families.bottleneck import types
from semialg.families.bottleneck.local import local_dimension_bounds
from semialg.families.bottleneck.types import BottleneckType, _arranged_type, combinatorial_type, witnessed_type
from semialg.families.bottleneck.views import OuterView
from semialg.ui.cli import main


def _wide(seed: int, n0: int, n1: int, twin: bool = False) -> Network:
    """An n0-n1-1-1 parameter with small integer entries; with ``twin``, neuron 1 is twice neuron 0."""
    rng = random.Random(seed)
    W = [[rng.randint(-3, 3) for _ in range(n0)] for _ in range(n1)]
    b = [fmpq(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(n1)]
    v = [rng.choice([-2, -1, 1, 2, 3]) for _ in range(n1)]
    if twin:       # output weights of one sign: the twins' jumps add up, never cancel
        W[1], b[1], v[1] = [2 * x for x in W[0]], 2 * b[0], v[0]
    return Network.from_arrays([W, [v], [[1]]], [b, [rng.randint(-2, 2)], [0]])


def _planted(seed: int) -> Network:
    """A 3-n1-1-1 parameter with some neurons far off (hidden), dead, constant or unused."""
    rng = random.Random(seed)
    net = _wide(seed, 3, rng.randint(2, 5))
    W, b, v = [list(r) for r in net.weights[0]], list(net.biases[0]), list(net.weights[1][0])
    for _ in range(rng.randint(0, 2)):
        k, kind = rng.randrange(len(b)), rng.choice(["far", "dead", "const", "unused"])
        if kind == "far":
            W[k], b[k] = [rng.choice([-1, 1]), 0, 0], -rng.randint(6, 12)
        elif kind == "dead":
            W[k], b[k] = [0, 0, 0], 0
        elif kind == "const":
            W[k], b[k] = [0, 0, 0], rng.randint(-2, 2)
        else:
            v[k] = 0
    return Network.from_arrays([W, [v], [[1]]], [b, [rng.randint(-2, 2)], [0]])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_the_witnessed_type_is_the_arranged_one(seed):
    """Whenever witnesses are found, the type equals the one read off the cells (exact LPs)."""
    net = _planted(seed)
    t = witnessed_type(OuterView.of(net))
    if t is not None:
        assert t == _arranged_type(arrangement_of(net), OuterView.of(net))
        assert set(t.classes) <= {"V", "D"} if t.regime == "PN" else t.regime in ("T", "constant")


def test_witnesses_are_found_for_most_planted_parameters():
    """The fast path is taken: on 60 planted parameters of regime PN with every live neuron visible (by the
    arrangement), witnesses are found for most."""
    found = total = 0
    for seed in range(200):
        net = _planted(seed)
        t = _arranged_type(arrangement_of(net), OuterView.of(net))
        if t.regime == "PN" and set(t.classes) <= {"V", "D"}:
            total += 1
            found += witnessed_type(OuterView.of(net)) == t
        if total == 60:
            break
    assert total == 60 and found >= 45


def test_a_hidden_neuron_has_no_witness():
    """h = 1 - |x| - |y| - |z| + s(x - 9)/10: the last neuron's plane x = 9 misses P (h <= 1 - x < 0 there), so no
    witness is found and the arrangement classifies it (U-: its active side misses P)."""
    rows = [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1], [1, 0, 0]]
    net = Network.from_arrays([rows, [[-1] * 6 + [fmpq(1, 10)]], [[1]]], [[0] * 6 + [-9], [1], [0]])
    assert witnessed_type(OuterView.of(net)) is None
    assert combinatorial_type(net).classes == ("V",) * 6 + ("U-",)


@pytest.mark.parametrize("n0, n1", [(6, 16), (8, 24)])
def test_twins_in_a_wide_network(n0, n1, monkeypatch):
    """Hand count: n1 rescalings, mu, and the twin trade (v0 + 2 v1 kept): n1 + 2. The seen kinks' equations pin
    the twins' common hyperplane, so the bounds meet without any region enumeration (made to fail here); the trade
    keeps the function (exact evaluation at random rational inputs)."""
    net = _wide(n0 * 100 + n1, n0, n1, twin=True)
    assert set(combinatorial_type(net).classes) == {"V"}

    def no_enumeration(*args, **kwargs):
        raise AssertionError("the region enumeration is not needed")

    monkeypatch.setattr(tangent, "decisive_points", no_enumeration)
    assert local_dimension_bounds(net) == (n1 + 2, n1 + 2)
    v = list(net.weights[1][0])
    v[0], v[1] = v[0] + 2, v[1] - 1
    traded = Network.from_arrays([net.weights[0], [v], net.weights[2]], net.biases)
    rng = random.Random(n1)
    for _ in range(200):
        x = [fmpq(rng.randint(-300, 300), rng.randint(1, 30)) for _ in range(n0)]
        assert traded(x) == net(x)


def test_a_small_positive_region_is_sampled(monkeypatch):
    """6-16-1-1 with h > 0 on about an eighth of the sampled inputs: the Jacobian rows reach D - n1 - 1 (rescalings
    and mu are the only moves), which decides the local dimension n1 + 1 without enumerating regions. The inputs
    chosen for their regions get all the time they need (their window is a wall-clock time, short under load)."""
    monkeypatch.setattr(jacobian, "MIN_PATIENCE", 600.0)
    net = _wide(616, 6, 16)
    D = net.architecture.num_parameters
    assert sampled_rank_reaches(net, D - 17)
    assert local_dimension_bounds(net) == (17, 17)


def test_the_fibre_of_a_wide_twin_parameter_keeps_its_budget():
    """6-16-1-1 with twins: whether every member has h' = mu h needs the cells of a 6-dimensional arrangement of 15
    hyperplanes (about 10,000); with a budget of one second the fibre answers "undecided", saying what it tried,
    instead of running for minutes."""
    net = _wide(616, 6, 16, twin=True)
    with pytest.raises(UndecidedError, match="h' = mu h"):
        sa.fibre(net, budget=1)


def _cross(n0: int) -> Network:
    r"""$h = \sum_i |x_i| - 1/8$ in ``n0`` inputs: $N = \{h < 0\}$ is a small cross-polytope around 0 that random
    draws on the grid $\frac{1}{64}\mathbb{Z}^{n_0}$ hardly ever hit; every hyperplane $x_i = 0$ meets $P$ (classes
    V, regime PN, by hand)."""
    eye = [[int(i == j) for j in range(n0)] for i in range(n0)]
    return Network.from_arrays([eye + [[-x for x in r] for r in eye], [[1] * (2 * n0)], [[1]]],
                               [[0] * (2 * n0), ["-1/8"], [0]])


@pytest.mark.parametrize("n0", [3, 16])
def test_a_thin_negative_region_is_found_by_pushing_down(n0, monkeypatch):
    """The draws alone miss $N$ (no witness without the subgradient steps); pushed down $h$ they reach it, and the
    witnessed type is the one known by hand (and, in three inputs, the one read off the cells)."""
    view, known = OuterView.of(_cross(n0)), BottleneckType("a", ("V",) * (2 * n0), "PN")
    assert witnessed_type(view) == known
    if n0 == 3:
        assert _arranged_type(arrangement_of(_cross(n0)), view) == known
    monkeypatch.setattr(types, "PUSH_STEPS", 0)
    monkeypatch.setattr(types, "_SEARCHES", {})     # the searches kept were pushed
    assert witnessed_type(view) is None


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10 ** 6), st.sampled_from([1, -1]))
def test_one_signed_weights_give_the_arranged_type(seed, sign):
    """Output weights of one sign and a constant of that sign (dead, constant and unused neurons planted): $h$ has
    that sign everywhere, and the type read off the weights (regime T or constant) is the one read off the cells."""
    net = _planted(seed)
    v = [sign * abs(x) for x in net.weights[1][0]]
    net = Network.from_arrays([net.weights[0], [v], [[1]]], [net.biases[0], [sign * random.Random(seed).randint(1, 3)],
                                                            [0]])
    t = witnessed_type(OuterView.of(net))
    assert t is not None and t.regime == ("T" if sign > 0 else "constant")
    assert t == _arranged_type(arrangement_of(net), OuterView.of(net))


def _nonnegative(n0: int, n1: int) -> Network:
    """Output weights positive but for neuron 1, whose row is twice neuron 0's and whose output weight is $-v_0/2$
    (the pair cancels), and bias 1: $h \\ge 1$ everywhere (regime T), which no point with $h < 0$ and no sign
    pattern of the weights witnesses, so the arrangement is needed."""
    net = _wide(7, n0, n1, twin=True)
    v = [abs(x) for x in net.weights[1][0]]
    v[1] = -v[0] / 2
    return Network.from_arrays([net.weights[0], [v], [[1]]], [net.biases[0], [1], [0]])


def test_the_type_and_what_needs_it_keep_their_budgets(tmp_path, capsys):
    """6-16-1-1 of regime T: its type needs the cells of 16 hyperplanes in dimension 6 (minutes). With a budget of
    half a second the type, the hidden symmetries and the fibre answer "undecided", and so does the command line
    (exit 1, not an error), instead of running for minutes."""
    net = _nonnegative(6, 16)
    assert witnessed_type(OuterView.of(net)) is None
    for ask in (combinatorial_type, sa.combinatorial_type, sa.hidden_symmetries, sa.fibre):
        with pytest.raises(UndecidedError, match="combinatorial type"):
            ask(net, budget=0.5)
    sa.save(net, tmp_path / "t.json")
    code = main(["fibre", str(tmp_path / "t.json"), "--budget", "2", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1 and data["status"] == "undecided" and "combinatorial type" in data["reason"]
