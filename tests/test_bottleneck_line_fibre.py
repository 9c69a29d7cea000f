"""Case-(a) fibres with all first-layer rows parallel (n0 = 1 always): the 1-D pieces A, B, C, Cp (issue 17,
item 2). Oracles independent of the fibre code: the region oracle (``semialg.engine.regions.equivalent``, exact
functional dimension) and exact evaluation at rational points."""

from __future__ import annotations

import functools
import itertools
import json
import random

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.engine import regions as pl
from semialg.engine.functional_dimension import functional_dimension
from semialg.errors import UndecidedError
from semialg.families import bottleneck as bn


@functools.lru_cache(maxsize=None)
def _generic_line(seed: int, n1: int, n3: int = 1) -> Network | None:
    """A random generic (1, n1, 1, n3) parameter of regime PN, or ``None``."""
    net = Network.random((1, n1, 1, n3), seed=seed, height=5)
    if bn.combinatorial_type(net).regime != "PN" or not sa.genericity(net) or \
            not all(c.holds for c in bn.type_checks(net) if c.name != "no U+- neuron"):   # e.g. a kink at h = 0
        return None
    return net


def _seeds(n1: int, count: int, n3: int = 1) -> list[int]:
    return [s for s in range(300) if _generic_line(s, n1, n3) is not None][:count]


def _explicit(F, x) -> bool:
    j = F.locate(x)
    return j is not None and F.build(j).contains(x)


def _same(net, x) -> bool:
    eq = bool(pl.equivalent(net, x))
    assert eq == bool(sa.equivalent(net, x))
    return eq


def _configurations(F, per_piece: int = 40):
    """One index per type (the first neuron assignment of each), at most ``per_piece`` per piece."""
    seen, out = set(), []
    for j in F.index:
        tag, labels = j
        key = (tag, tuple(sorted(map(str, labels)))) if tag in ("A", "Cp") else (tag, j[1])
        if key in seen or sum(1 for k in seen if k[0] == tag) >= per_piece:
            continue
        seen.add(key)
        out.append(j)
    return out


def _perturbed(x: Network, rng: random.Random) -> Network:
    theta = list(x.parameters())
    k = rng.randrange(len(theta))
    theta[k] += fmpq(rng.choice((-1, 1)), rng.randint(50, 200))
    return Network.from_parameters(x.architecture, theta)


@pytest.mark.parametrize("n1, n3", [(2, 1), (3, 1), (3, 2), (4, 1)])
def test_generic_one_input_fibres(n1, n3):
    rng = random.Random(n1 * 10 + n3)
    for seed in _seeds(n1, 3 if n1 < 4 else 2, n3):
        net = _generic_line(seed, n1, n3)
        F = sa.fibre(net)
        D = net.architecture.num_parameters
        assert F.dimension == F.local_dimension() == D - functional_dimension(net, method="batch").value
        assert F.component_of(net) is not None
        for k, j in enumerate(_configurations(F, 12 if n1 < 4 else 5)):
            x = F.component(j).sample(seed=k)
            assert F.build(j).contains(x), (j, F.build(j).violated(x))
            assert _same(net, x)
            assert _explicit(F, x)
            y = _perturbed(x, rng)
            assert _explicit(F, y) == _same(net, y)


def test_hidden_classes_occur_and_every_listed_type_is_non_empty():
    classes = set()
    for seed in _seeds(2, 12):
        net = _generic_line(seed, 2)
        classes |= set(bn.combinatorial_type(net).classes)
        F = sa.fibre(net)
        listed = list(F.index)
        assert len(listed) == F.num_components          # counted exactly, every listed index enumerated
        for k, j in enumerate(listed):
            assert F.build(j).contains(F.sample(seed=k, index=j))
    assert {"U-", "U+", "U+-"} <= classes


def test_hidden_slot_moved_along_its_interval_and_across_a_kink():
    """Theta's own hidden neuron moved inside its N-interval (equivalent iff explicit) and into P (never)."""
    checked = 0
    for seed in _seeds(3, 10):
        net = _generic_line(seed, 3)
        F = sa.fibre(net)
        _, labels = F.component_of(net)
        if labels is None or F.component_of(net)[0] != "A":
            continue
        S = F._sampler.__self__.parts["A"]
        for i, lab in enumerate(labels):
            if lab[0] != "H":
                continue
            a, b, _, _ = S.nints[lab[1]]
            lam = net.weights[0][i][0]
            inward = [a + fmpq(1, 100)] if a is not None else []
            inward += [b - fmpq(1, 100)] if b is not None else []    # at a zero of h itself: not listed
            inside = [x + shift for x in [S.ref] + [x for x, _ in S.kinks]
                      for shift in (fmpq(0), fmpq(1, 100), fmpq(-1, 100))]
            for target in inward + inside:
                for _ in (0,):
                    b1 = list(net.biases[0])
                    b1[i] = -lam * target
                    y = net.replace_layer(1, bias=b1)
                    assert _explicit(F, y) == _same(net, y)
                    checked += 1
    assert checked > 0


def test_b_member_by_hand():
    """h = sigma(x) - 1 - sigma(-x - 5) gives f = c sigma(x - 1) + d; h' = sigma(x - 1) + t (a second neuron
    dead or a twin) with d' = d - c t is a member."""
    c, d, t = fmpq(3), fmpq(-2), fmpq(5, 2)
    net = Network.from_arrays([[[1], [-1]], [[1, -1]], [[c]]], [[0, -5], [-1], [d]])
    dead = Network.from_arrays([[[1], [4]], [[1, 0]], [[c]]], [[-1, 7], [t], [d - c * t]])
    twins = Network.from_arrays([[[2], [1]], [["1/4", "1/2"]], [[c]]], [[-2, -1], [t], [d - c * t]])
    F = sa.fibre(net)
    for member in (dead, twins):
        assert all(net([fmpq(k, 3)]) == member([fmpq(k, 3)]) for k in range(-30, 30))
        j = F.component_of(member)
        assert j is not None and j[0] == "B" and F.contains(member)
    wrong = Network.from_arrays([[[1], [4]], [[1, 0]], [[c]]], [[-1, 7], [t], [d - c * t + 1]])
    assert not _explicit(F, wrong) and not _same(net, wrong)


def test_plateau_reflections_by_hand():
    """h = sigma(x + 1) - sigma(x) - 1/2 is bounded with a plateau at its max M = 1/2 on [0, oo): reflected
    members (c' = -c) with h' = M - sigma(h) off the plateau and <= 0 on it (Cp), or h' = t - sigma(h) with
    t > M (C)."""
    c, d = fmpq(2), fmpq(1)
    net = Network.from_arrays([[[1], [1]], [[1, -1]], [[c]]], [[1, 0], ["-1/2"], [d]])
    plateau = Network.from_arrays([[[1], [1]], [[-1, -1]], [[-c]]], [["1/2", -5], ["1/2"], [d + c / 2]])
    shallow = Network.from_arrays([[[1], [1]], [[-1, 1]], [[-c]]], [["1/2", 0], [1], [d + c]])
    F = sa.fibre(net)
    for member, piece in ((plateau, "Cp"), (shallow, "C")):
        assert all(net([fmpq(k, 4)]) == member([fmpq(k, 4)]) for k in range(-40, 40))
        j = F.component_of(member)
        assert j is not None and j[0] == piece
    dug = Network.from_arrays([[[1], [1]], [[-1, -1]], [[-c]]], [["1/2", 5], ["1/2"], [d + c / 2]])  # kink in P
    assert not _explicit(F, dug) and not _same(net, dug)


def test_two_inputs_with_parallel_rows():
    net = Network.from_arrays([[[1, 2], [-2, -4], [3, 6]], [[1, -2, 1]], [[2]]], [[1, -3, -1], [-1], [0]])
    assert bn.combinatorial_type(net).regime == "PN"
    F = sa.fibre(net)
    assert F.component_of(net) is not None
    # mu, the slot on the kink (its scale), one slot facing P (scale and place; its jump closes the reference
    # slope) and one inert neuron (v' = 0, any row): 1 + 1 + 2 + 3, and no unlisted member exceeds it
    assert F.dimension == 7 and "undecided" not in F.describe()
    for k, j in enumerate(_configurations(F, 6)):
        x = F.component(j).sample(seed=k)
        assert F.build(j).contains(x) and _same(net, x)


def test_two_inputs_have_members_with_rows_off_the_direction():
    """h = s(x1 + 2x2) - 1 - s(-x1 - 2x2 - 5) - s(-x1 - 2x2 - 7); the third neuron may get v' = 0 and any row,
    e.g. (1, 0), with n0 + 1 free parameters on that neuron: listed since the typed slot pieces (line_typed)."""
    net = Network.from_arrays([[[1, 2], [-1, -2], [-1, -2]], [[1, -1, -1]], [[1]]], [[0, -5, -7], [-1], [0]])
    off = Network.from_arrays([[[1, 2], [-1, -2], [1, 0]], [[1, -1, 0]], [[1]]], [[0, -5, 3], [-1], [0]])
    F = sa.fibre(net)
    assert F.component_of(net) is not None
    assert _same(net, off) and F.contains(off) and F.component_of(off) is not None
    assert F.component_of(off)[1][2] == ("D",)


def test_latex_describe_json():
    net = _generic_line(_seeds(2, 1)[0], 2)
    F = sa.fibre(net)
    assert "components" in F.to_latex(limit=2) or F.num_components <= 2
    assert str(F.num_components) in F.describe()
    json.dumps(F.to_json())


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 3))
def test_random_one_input_parameters(seed, n1):
    """Any regime-PN parameter (generic or not): samples of listed types are members, theta's own component
    (when listed) contains it, and explicit membership never contradicts the oracle."""
    net = Network.random((1, n1, 1, 1), seed=seed, height=3)
    if bn.combinatorial_type(net).regime != "PN":
        return
    F = sa.fibre(net)
    rng = random.Random(seed)
    assert not F.contains(_perturbed(net, rng)) or _same(net, _perturbed(net, random.Random(seed)))
    for k, j in enumerate(itertools.islice(_configurations(F, 4), 12)):
        x = F.component(j).sample(seed=k)
        assert F.build(j).contains(x) and _same(net, x)
        y = _perturbed(x, rng)
        assert not _explicit(F, y) or _same(net, y)


def test_samples_with_weights_below_two_to_the_minus_400():
    # the slot cluster width halves until the slots fit; with weights of 1e-125 that takes more than 400 halvings
    t = f"1/{10 ** 125}"
    net = Network.from_arrays([[[0], [0], [-1]], [[t, 2, t]], [[2]]], [[1, 0, -3], [-1], [0]])
    F = sa.fibre(net)
    for seed in (6, 9, 10, 11):
        x = F.sample(seed=seed)
        assert F.contains(x)
        assert all(x([p]) == net([p]) for p in (-5, -3, -1, 0, "1/2", 1, "7/3", 4))
