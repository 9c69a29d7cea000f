"""Issue 17 items 2 and 4: fibres of constant case-(a) functions ($c = 0$ or $h \\le 0$ everywhere, an open set of
parameters: 73 of 1,000 random 2..3-n1-1-1 parameters), refused by ``fibre`` before.

Checked against exact evaluation at random rational points (a member computes the constant $d$), ``equivalent``, and
the region oracle's functional dimension ($D - \\dim_{\\rm fun}$ at a sample of the open piece equals the claimed
dimension $D - n_3$). Hand-built members of every piece are contained and located."""

from __future__ import annotations

import random
import shutil
import subprocess

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from conftest import within_bounds
from test_bottleneck_local_bounds import _moved, _nets_with
from test_bottleneck_plateau_corner import _fibre_directions
from semialg import Network
from semialg.engine.functional_dimension import functional_dimension
from semialg.families.bottleneck.constant_fibre import uniformly_negative
from semialg.families.bottleneck.recession import dominated_row_equations
from semialg.families.bottleneck.fibre import fibre, fibre_dimension
from semialg.families.bottleneck.local import local_dimension_bounds
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.shallow import fibre as shallow_fibre
from semialg.ui.latex import document


def _constant(seed: int):
    """A random case-(a) parameter computing a constant (regime constant), or ``None``."""
    rng = random.Random(seed)
    widths = (rng.choice([1, 2, 3]), rng.choice([2, 3]), 1, rng.choice([1, 2]))
    net = Network.random(widths, seed=seed, height=3)
    if rng.random() < 0.5:    # push h below 0: every v <= 0 and e < 0 (the open set)
        net = Network(net.weights[:1] + ((tuple(-abs(x) for x in net.weights[1][0]),),) + net.weights[2:],
                      net.biases[:1] + ((-abs(net.biases[1][0]) - 1,),) + net.biases[2:])
    return net if combinatorial_type(net).regime == "constant" else None


def _points(n0: int, rng: random.Random, n: int = 16):
    return [[fmpq(rng.randint(-60, 60), rng.randint(1, 5)) for _ in range(n0)] for _ in range(n)]


def _computes(x: Network, d, rng) -> bool:
    return all(tuple(x(p)) == tuple(d) for p in _points(x.widths[0], rng))


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 10 ** 5))
def test_samples_compute_the_constant_and_are_located(seed):
    net = _constant(seed)
    if net is None:
        return
    rng = random.Random(seed)
    d = tuple(net.biases[2])
    assert _computes(net, d, rng)
    F = fibre(net)
    D, n3 = len(net.parameters()), net.widths[3]
    n0, n1 = net.widths[:2]
    zero = Network.from_arrays([[[0] * n0] * n1, [[0] * n1]], [[0] * n1, [0]])
    assert F.dimension == fibre_dimension(net) == D - n3
    assert F.num_components == 3 + shallow_fibre(zero).num_components == len(list(F.index))
    for j in F.index:     # silent, negative, nonpositive, then (K) by the type of h' - kappa
        for s in range(3 if isinstance(j, str) else 1):
            x = F.sample(rng.randrange(10 ** 6), j)
            assert _computes(x, d, rng) and bool(sa.equivalent(net, x))
            assert F.build(j).contains(x) and F.component_of(x) == j
            assert not any(F.build(k).contains(x) for k in ("silent", "negative", "nonpositive") if k != j)
            shifted = Network(x.weights, x.biases[:2] + (tuple(y + 1 for y in x.biases[2]),))
            assert not _computes(shifted, d, rng) and not F.contains(shifted)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dimension_against_the_region_oracle(seed):
    """At a sample of the negative piece (v' < 0, e' < 0: h' < 0 robustly) f is locally constant in everything but
    d', so D - dim_fun = D - n3, the claimed dimension, and the local dimension there."""
    net = next(n for s in range(seed * 100, seed * 100 + 100) if (n := _constant(s)) is not None)
    F = fibre(net)
    x = F.sample(seed, "negative")
    D = len(net.parameters())
    assert D - functional_dimension(x, method="batch").value == F.dimension == F.local_dimension(x)


def test_members_of_the_later_pieces_are_located():
    """h' = sigma(x) - 2 sigma(x) - 1 <= 0 with a positive v' (rest of N): a member by exact evaluation, contained,
    unlisted in session 11, in the piece nonpositive since session 12; h' = 2 constant with d' = d - 2c' (K): listed
    since session 11, in the piece of its type; a positive v' with h' unbounded is not a member."""
    net = Network.from_arrays([[[1], [2]], [[-1, -1]], [[3]]], [[0, 1], [-1], [5]])
    F = fibre(net)
    rng = random.Random(1)
    rest_of_n = Network.from_arrays([[[1], [1]], [[1, -2]], [[4]]], [[0, 0], [-1], [5]])
    kappa = Network.from_arrays([[[1], [3]], [[0, 0]], [[4]]], [[0, 1], [2], [5 - 2 * 4]])
    assert _computes(rest_of_n, (5,), rng) and F.contains(rest_of_n) and F.component_of(rest_of_n) == "nonpositive"
    assert _computes(kappa, (5,), rng) and F.contains(kappa) and F.component_of(kappa) == ("K", (("D",), ("D",)))
    outside = Network.from_arrays([[[1], [1]], [[2, -1]], [[4]]], [[0, 0], [-1], [5]])
    assert not _computes(outside, (5,), rng) and not F.contains(outside) and F.component_of(outside) is None
    # parted, the twins make a bump below the margin 1 and the slope at +infinity stays negative: every nearby
    # parameter with d'' = d computes the constant, D - n3 = 8 (undecided before session 22)
    assert F.local_dimension(rest_of_n) == 8


def test_refused_before_listed_now():
    """The survey's first refused parameter (3-3-1-1, P empty)."""
    net = Network.from_arrays([[["3/2", "3/2", "-3/2"], ["1/2", "3/2", "-1/3"], ["-2/3", -1, -2]], [[-1, -1, -1]],
                               [[1]]], [["1/2", "1/3", 1], ["-1/2"], ["-1/2"]])
    F = sa.fibre(net)
    assert F.dimension == len(net.parameters()) - 1 and F.local_dimension() == F.dimension


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_constant_fibre_latex_compiles(tmp_path):
    net = Network.from_arrays([[[1, 0], [0, 1]], [[-1, -2]], [[3], [1]]], [[0, 1], [-1], [2, 0]])
    tex = document(fibre(net))
    (tmp_path / "c.tex").write_text(tex)
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "c.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:]


def test_local_dimension_at_silent_members():
    """At a silent member (c' = 0) whose h' is non-constant and positive somewhere, only silent members are near:
    D - 2 n3, which the region oracle confirms (f moves along d' and along c', since sigma(h') is not zero:
    D - dim_fun = D - 2 n3). At h' a positive constant the (K) members come near: the larger of the two."""
    net = Network.from_arrays([[[1], [2]], [[-1, -1]], [[3], [1]]], [[0, 1], [-1], [5, 0]])
    F = fibre(net)
    silent = Network.from_arrays([[[1], [2]], [[1, 1]], [[0], [0]]], [[0, 1], [-1], [5, 0]])     # h' > 0 for x > 0
    D = len(net.parameters())
    assert F.component_of(silent) == "silent"
    assert F.local_dimension(silent) == D - 4 == D - functional_dimension(silent, method="batch").value
    flat = Network.from_arrays([[[1], [2]], [[0, 0]], [[0], [0]]], [[0, 1], [2], [5, 0]])          # h' = 2
    # by hand: silent members near flat form {c'' = 0, d'' = d}, D - 4 = 7; (K) members (h'' a constant near 2,
    # c'' != 0 small, d'' = d - 2 c''): rows and biases free (4), v'' = 0 (the rows are not parallel), e'' (1),
    # c'' (2): 7 as well (or the kinks joined, -1, with v'' on a line, +1); D - dim_fun = 9 only bounds it, the
    # fibre is not smooth there
    lower, upper = local_dimension_bounds(flat)
    assert F.local_dimension(flat) == 7 and lower <= 7 <= upper == \
        D - functional_dimension(flat, method="batch").value


@pytest.mark.parametrize("W", [[[0, 0], [0, 0]], [[1, 2], [1, 2]]], ids=["zero-rows", "cancelling"])
def test_h_a_positive_constant_gets_the_constant_fibre(W):
    """h = 3 everywhere (regime T with h constant; refused before): f = 2 * 3 + 1 = 7, and the fibre is that of the
    constant 7 — theta itself in a (K) piece, the samples computing 7 by exact evaluation."""
    v = [1, 1] if W[0] == [0, 0] else [1, -1]
    b = [1, 2] if W[0] == [0, 0] else [5, 5]
    net = Network.from_arrays([W, [v], [[2]]], [b, [3 - (3 if W[0] == [0, 0] else 0)], [1]])
    rng = random.Random(3)
    assert _computes(net, (7,), rng)
    F = fibre(net)
    D = len(net.parameters())
    assert F.dimension == fibre_dimension(net) == D - 1
    assert F.contains(net) and F.component_of(net)[0] == "K"
    for j in ("silent", "negative", "nonpositive"):
        x = F.sample(rng.randrange(10 ** 6), j)
        assert _computes(x, (7,), rng) and F.component_of(x) == j and bool(sa.equivalent(net, x))
    off = Network(net.weights, net.biases[:2] + ((fmpq(6),),))
    assert not F.contains(off)


def test_a_positive_constant_neuron_pushed_far_out_gives_the_full_dimension():
    """h = -2 s(x - 1/2) - 2 s(2x) + s(1/2) - 2 <= -3/2: f is constant. The constant neuron has v = 1 > 0, so a
    row w' < 0 would make h grow at -infinity: theta is on the boundary of (N), not inside it, and the formula is
    not robust there. Along w' = t, e' = e - t it acts only far right, where h falls, and h <= -3/2 - t robustly:
    those points have the full dimension D - n3 = 11 of (N), and so does theta."""
    net = Network.from_arrays([[[1], [2], [0]], [[-2, -2, 1]], [[-2]]], [["-1/2", 0, "1/2"], [-2], [0]])
    F = fibre(net)
    assert F.local_dimension() == 11 == net.architecture.num_parameters - 1
    from semialg.families.bottleneck.local import local_dimension_bounds
    assert local_dimension_bounds(net) == (11, 11)    # the constant neuron tilts into the cone of the others' rows
    t = fmpq(1, 1000)
    pushed = Network.from_arrays([[[1], [2], [t]], [[-2, -2, 1]], [[-2]]], [["-1/2", 0, "1/2"], [-2 - t], [0]])
    assert sa.equivalent(pushed, net) and F.local_dimension(pushed) == 11
    tilted = Network.from_arrays([[[1], [2], [-t]], [[-2, -2, 1]], [[-2]]], [["-1/2", 0, "1/2"], [-2], [0]])
    assert not sa.equivalent(tilted, net)


@pytest.mark.parametrize("W, b, v, c, W3, expected", [
    # h = 1, its two neurons silent (v = 0) on one hyperplane: near theta, h'' is constant iff v'' = 0 (rows and
    # biases free, 8) or the twins stay on one hyperplane with cancelling v'' (6); then e'' (1) and c'' (1): 10
    ([[3, -1, 2], [9, -3, 6]], ["1/2", "3/2"], [0, 0], 1, [[1]], 10),
    # h = 2, the twins x = -1/2 cancelling (3 s(l) - 2 s(3 l / 2) = 0), v != 0: they stay twins (3 + 1) with
    # v'' on a line (1), then e'' (1) and c'' (2): 8 of the fibre's 11
    ([[1, 0], ["3/2", 0]], ["1/2", "3/4"], [3, -2], 2, [[1], [-2]], 8),
])
def test_local_dimension_at_positive_constant_members(W, b, v, c, W3, expected):
    """Members of (K): near them every member has h'' a positive constant, so the local dimension is that of
    {h'' constant} x {c'' != 0} — hand-counted here, within the first-order bounds, below the fibre's D - n3
    (undecided before: the refusal survey's constant functions)."""
    net = Network.from_arrays([W, [v], W3], [b, [c], [0] * len(W3)])
    F = fibre(net)
    lower, upper = local_dimension_bounds(net)
    assert F.local_dimension() == expected and lower <= expected <= upper
    assert expected < F.dimension == net.architecture.num_parameters - len(W3)


@pytest.mark.parametrize("seed", range(6))
def test_local_dimension_at_sampled_positive_constant_members(seed):
    """Random members of random (K) pieces get a local dimension, within the first-order bounds."""
    rng = random.Random(seed)
    net = Network.from_arrays([[[1], [2]], [[0, 0]], [[2]]], [[0, 1], [3], [1]])      # the constant 7
    F = fibre(net)
    pieces = [j for j in F.index if j[0] == "K"]
    decided = 0
    for j in rng.sample(pieces, min(6, len(pieces))):
        x = F.sample(rng.randrange(10 ** 6), j)
        assert bool(sa.equivalent(net, x))
        decided += within_bounds(x, lambda: F.local_dimension(x))
    assert decided >= 3


@pytest.mark.parametrize("W, b, v, e, W3, push, far", [
    # h = -2 s(-3x - 3): e = 1 cancelled by the constant neuron s(1) with v = -1; tilted right it falls there
    ([[0], [0], [-3]], [1, "-1/2", -3], [-1, -1, -2], 1, [[1]], {"w0": 1}, True),
    # h = -1: cancelling twins at x = -2 (their slope at +infinity must stay <= 0) beside an unused neuron
    ([[1], ["3/2"], [-3]], [2, 3, "-1/2"], [3, -2, 0], -1, [[1]], {}, True),
    # h = -s(-x - 3/2)/2 - 2: twins of opposite v, constant far right (never uniformly negative): moved apart
    ([[-1], ["-1/2"]], ["-3/2", "-3/4"], [-2, 3], -2, [[1]], {"b0": 1, "b1": 2}, False),
    # h = 0: the constant neuron 2 s(1) cancels e; tilted left, a little, under the unused neuron lowered
    ([[0], [-2]], [1, -3], [2, 0], -2, [[1]], {"w0": "-1/16"}, False),
    # 3-D: a zero neuron with v = 1 tilted into the cone of the rows that lower h, the unused one lowered
    ([[0, 0, 0], [1, -3, -3], [-1, -3, 0], [1, 3, -1]], [0, 1, "3/2", 1], [1, -1, -1, 0], -2, [[1], [-2]],
     {"w0": ("1/16", (1, -9, -7))}, False),
    # h = -1: zero neurons at 0 (v = 0 and v = 1) tilted left a little under the unused s(-x - 1) lowered, and
    # moved apart (tilted alone they would share their kink at 0)
    ([[0], [0], [-1]], [0, 0, -1], [0, 1, 0], -1, [[1]], {"w0": "-1/16", "w1": "-1/16", "b0": 1, "b1": 2, "b2": 3},
     False),
    # h = -2 s(3x + 2y) - 2 s(2x - 2y - 1/2) <= 0 (twins at the origin, v = 1 and -2, e = 0): the positive twin
    # tilts so that the wedge where it alone is on opens towards (2, -3), where the third neuron dominates, and
    # stays below the margin e' = -t near the origin — not "they must stay parallel": D - n3 = 14
    ([[3, 2], ["9/2", 3], [2, -2]], [0, 0, "-1/2"], [1, -2, -2], 0, [[1]], {"w0": (1, (1, 0))}, False),
])
def test_limits_of_interior_points_of_the_nonpositive_piece(W, b, v, e, W3, push, far):
    """Constant functions whose h is neither uniformly negative nor robustly nowhere positive at the member, but
    is one or the other along a line from it: the local dimension is the fibre's D - n3. Checked independently at
    a point of a hand-chosen line: a member (exact equivalence) whose h is uniformly negative (vertex and ray
    evaluation, not the formula) where it can be (``far``), and whose random small perturbations with d'' = d are
    members too (refused before: the refusal survey's constant functions)."""
    net = Network.from_arrays([W, [v], W3], [b, [e], [0] * len(W3)])
    F = fibre(net)
    assert F.local_dimension() == F.dimension == net.architecture.num_parameters - len(W3)
    t = fmpq(1, 1000)
    rows, biases = [[fmpq(x) for x in row] for row in W], [fmpq(x) for x in b]
    for key, amount in push.items():        # e and every v down, plus these moves
        if key[0] == "w":
            scale, axis = amount if isinstance(amount, tuple) else (amount, (1,))
            rows[int(key[1])] = [x + t * fmpq(scale) * a for x, a in zip(rows[int(key[1])], axis)]
        else:
            biases[int(key[1])] += t * amount
    near = Network.from_arrays([rows, [[fmpq(x) - t for x in v]], W3], [biases, [fmpq(e) - t], [0] * len(W3)])
    inner = Network((near.weights[0], near.weights[1]), (near.biases[0], near.biases[1]))
    assert sa.equivalent(near, net) and uniformly_negative(inner) == far
    rng = random.Random(len(W))
    D = near.architecture.num_parameters - 2 * len(W3)         # the inner network and c''
    for _ in range(8):
        moved = [x + (fmpq(rng.randint(-9, 9), 10 ** 6) if k < D else 0) for k, x in enumerate(near.parameters())]
        assert sa.equivalent(Network.from_parameters(near.architecture, moved), net)


@pytest.mark.parametrize("b, v, e, by_hand", [
    # h' must stay a positive constant (c' != 0 near c): with one-sign output weights, or biases of both signs, no
    # two neurons can share a far hyperplane with cancelling kinks, so w' = 0 and (b', v', e') stay free: 5 + c' 2 = 7
    ((3, -2), (1, -1), 0, 7), ((0, 1), (2, 1), 0, 7), ((-2, 0), (1, 1), 1, 7), ((2, 0), (2, 1), -1, 7),
    # equal biases and v = (2, -2): the two constant neurons also tilt onto one far hyperplane, cancelling there
    # (row 3, the ratio of their scales 1, v'_1 1, e' 1) + c' 2 = 8
    ((3, 3), (2, -2), 1, 8)])
def test_positive_constant_with_zero_rows_by_hand(b, v, e, by_hand):
    """2-2-1-2, both first-layer rows zero and h a positive constant: the local dimension of the (K) piece is the
    zero function's shallow local dimension shifted by 1 + n3 (kappa and c'). Before, an undecided shallow answer
    was passed up unshifted, and the bottleneck bounds then read e.g. "between 6 and 5"."""
    net = Network.from_arrays([[[0, 0], [0, 0]], [list(v)], [[1], [-1]]], [list(b), [e], [0, 1]])
    lower, upper = local_dimension_bounds(net)
    assert lower <= by_hand <= upper and fibre(net).local_dimension() == by_hand


def test_positive_constant_with_a_zero_and_a_constant_neuron_by_hand():
    """3-2-1-2, h = -s(0) + 2 s(3) + 2 = 8 on all of R^3: no two neurons can share a hyperplane with cancelling
    kinks (a zero neuron and a constant one would need 2 * 3 = 0), so both rows stay 0: (b', v', e') 5 and c' 2,
    7 by hand. Before the shift of the shallow bounds the fibre answered 6 here."""
    net = Network.from_arrays([[[0, 0, 0], [0, 0, 0]], [[-1, 2]], [[1], [-1]]], [[0, 3], [2], [0, 1]])
    assert fibre(net).local_dimension() == 7


def test_a_waking_neuron_must_be_outweighed_along_the_negative_rows():
    """3-2-1-2, h = s(0 x - 3) + 0 s(-x - z - 7) = 0: f is constant. A member near theta keeps h' <= 0, so the dead
    neuron (v = 1) may wake only where the unused one, given v' < 0, outweighs it: along its row, w'_1 in the span
    of (-1, 0, -1) (two equations). The tilted member is refused, the parallel one accepted (exactly)."""
    net = Network.from_arrays([[[0, 0, 0], [-1, 0, -1]], [[1, 0]], [[1], [-1]]], [[-3, -7], [0], [0, 1]])
    eps = fmpq(1, 100)
    along = Network.from_arrays([[[-eps, 0, -eps], [-1, 0, -1]], [[1, -2 * eps]], [[1], [-1]]], [[-3, -7], [0], [0, 1]])
    tilted = Network.from_arrays([[[-eps, eps, -eps], [-1, 0, -1]], [[1, -2 * eps]], [[1], [-1]]],
                                 [[-3, -7], [0], [0, 1]])
    assert sa.equivalent(net, along) and not sa.equivalent(net, tilted)
    assert len(dominated_row_equations(net, combinatorial_type(net))) == 2
    lower, upper = local_dimension_bounds(net)
    assert upper == net.architecture.num_parameters - 2 - 2         # D - n3, less the two equations


def _outweighed(rng: random.Random) -> Network:
    """A constant function with a constant neuron of v > 0 and fewer negative (or unused) neurons than inputs."""
    n0 = rng.choice([2, 3])
    W = [[0] * n0] + [[rng.randint(-3, 3) or 1 for _ in range(n0)] for _ in range(n0 - 1)]
    b = [rng.choice([-3, -1, 0, 2]), *(rng.randint(-9, -4) for _ in range(n0 - 1))]
    v = [rng.choice([1, 2])] + [rng.choice([0, -1, -2]) for _ in range(n0 - 1)]
    return Network.from_arrays([W, [v], [[1], [-1]]], [b, [-sum(max(0, x) for x in b[:1]) * v[0] - 1], [0, 1]])


@pytest.mark.parametrize("net", [n for n, _ in _nets_with(lambda n: dominated_row_equations(n, combinatorial_type(n)),
                                                         8, 2, _outweighed)])
def test_exact_moves_keep_the_outweighed_rows(net):
    # every direction of an exact one-sided family through theta (each checked by the exact decision), and every
    # coordinate direction the exact decision accepts at two small amounts, satisfies the equations
    eqs = dominated_row_equations(net, combinatorial_type(net))
    D = net.architecture.num_parameters
    units = [[fmpq(int(i == j)) for i in range(D)] for j in range(D)]
    accepted = [g for g in units + [[-x for x in u] for u in units]
                if all(sa.equivalent(net, _moved(net, g, fmpq(1, 10 ** m))) for m in (3, 5))]
    for g in accepted + _fibre_directions(net):
        assert all(sum(a * b for a, b in zip(r, g)) == 0 for r in eqs)


def test_pushes_stop_at_their_budget(monkeypatch):
    """1-2-1-2, h = -s(0 x + 2) + s(0 x + 1) - 1/2 = -3/2: a pushed line decides D - n3 = 9 (tilted rows with the
    negative neuron's more than 4 times the positive one's keep h < 0: interior points); with no time for lines the
    answer is undecided and says so (the flat negative neuron outweighs the positive one: no explicit family), unless
    the exact tilts of semialg.families.bottleneck.local_line_tilts or the dominated family (alpha from an exact
    LP: the rows are flat) decide it (they need no lines)."""
    import semialg.families.bottleneck.constant_fibre as cf
    import semialg.families.bottleneck.local as local
    import semialg.families.bottleneck.recession as recession
    from semialg.errors import UndecidedError
    net = Network.from_arrays([[[0], [0]], [[-1, 1]], [[1], [-1]]], [[2, 1], [fmpq(-1, 2)], [0, 1]])
    assert fibre(net).local_dimension() == 9
    monkeypatch.setattr(cf, "PUSH_SECONDS", 0)
    assert fibre(net).local_dimension() == 9
    monkeypatch.setattr(local, "line_tilt_bounds", lambda net, t: None)
    monkeypatch.setattr(recession, "dominated_family_dimension", lambda net, t: None)
    with pytest.raises(UndecidedError, match="0 lines tried, the 0 s budget spent"):
        fibre(net).local_dimension()


def test_random_samples_of_a_constant_fibre_with_many_pieces():
    """2-8-1-1 computing a constant: 350,352 pieces (three labels and the zero function's non-empty types). A random
    sample drew the k-th piece by walking k of them (30 s a sample, bottleneck audit of session 42); now a type is
    drawn role by role. Every sample computes the same function (exact evaluation) and lies in the fibre; the
    types are reached too, not only the three labels."""
    net = Network.from_arrays([[[-5, 3], [0, 2], [-2, -3], [1, "-3/2"], [0, 0], [5, 0], [1, 5], [-1, -3]],
                               [["-3/2", "-5/2", "-5/2", -3, "-3/2", -2, -6, -6]], [[-2]]],
                              [[3, 4, 3, 5, 2, 3, 4, 3], [0], [0]])
    F = fibre(net, budget=20)
    assert F.num_components == 350352
    rng = random.Random(0)
    points = [[fmpq(rng.randint(-50, 50), rng.randint(1, 5)) for _ in range(2)] for _ in range(40)]
    pieces = set()
    for seed in range(12):
        s = F.sample(seed=seed)
        assert all(s(x) == net(x) for x in points) and F.contains(s)
        pieces.add(F.component_of(s))
    assert len(pieces) >= 6 and all(p[0] == "K" for p in pieces)     # the labels have probability 3 / 350,352
