"""The stabilizer of a parameter of any depth against brute force: every tuple of permutations is tried, the
scales it needs are solved by propagation, and the dimension of the identity component is an exact rank."""

from __future__ import annotations

import itertools

import pytest
from flint import fmpq, fmpq_mat
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.core.network import Network
from semialg.core.symmetry import GroupElement
from semialg.engine.orbit import orbit_element
from semialg.errors import UndecidedError
from semialg.families.deep.stabilizer import DeepStabilizer, stabilizer
from semialg.families.shallow import stabilizer as shallow_stabilizer


def _has_scales(net: Network, perms) -> bool:
    """Whether positive scales make ``(perms, scales)`` fix ``net``: every entry pairs with its image, the
    ratios must be positive and consistent around every cycle (input and output neurons have scale 1)."""
    L, widths = net.depth, net.widths
    full = [tuple(range(widths[0]))] + list(perms) + [tuple(range(widths[L]))]
    edges = []                       # lam[a] = r * lam[b]; None stands for a neuron of scale 1
    for l in range(1, L + 1):
        for i in range(widths[l]):
            node = (l, i) if l < L else None
            y, x = net.biases[l - 1][i], net.biases[l - 1][full[l][i]]
            if (x == 0) != (y == 0) or (y and y / x < 0):
                return False
            if y:
                edges.append((node, None, y / x))
            for j in range(widths[l - 1]):
                y, x = net.weights[l - 1][i][j], net.weights[l - 1][full[l][i]][full[l - 1][j]]
                if (x == 0) != (y == 0) or (y and y / x < 0):
                    return False
                if y:
                    edges.append((node, (l - 1, j) if l > 1 else None, y / x))
    value = {None: fmpq(1)}
    changed = True
    while changed:
        changed = False
        for a, b, r in edges:
            if b in value and a not in value:
                value[a], changed = r * value[b], True
            elif a in value and b not in value:
                value[b], changed = value[a] / r, True
        if not changed:
            free = next(((a, b) for a, b, _ in edges if a not in value or b not in value), None)
            if free is not None:
                value[free[0] if free[0] not in value else free[1]], changed = fmpq(1), True
    return all(value[a] == r * value[b] for a, b, r in edges)


def _brute_order(net: Network) -> int:
    hidden = net.widths[1:-1]
    return sum(_has_scales(net, perms)
               for perms in itertools.product(*(itertools.permutations(range(n)) for n in hidden)))


def _torus_dimension(net: Network) -> int:
    """$\\dim\\{\\log\\lambda : (\\mathrm{id}, \\lambda)\\cdot\\theta = \\theta\\}$ as hidden neurons minus an exact rank."""
    L, widths = net.depth, net.widths
    index = {(l, i): k for k, (l, i) in enumerate((l, i) for l in range(1, L) for i in range(widths[l]))}
    rows = []
    for l in range(1, L + 1):
        for i in range(widths[l]):
            for j in range(widths[l - 1]):
                if net.weights[l - 1][i][j]:
                    row = [0] * len(index)
                    if l < L:
                        row[index[l, i]] += 1
                    if l > 1:
                        row[index[l - 1, j]] -= 1
                    rows.append(row)
            if net.biases[l - 1][i] and l < L:
                rows.append([int(k == index[l, i]) for k in range(len(index))])
    rank = fmpq_mat(len(rows), len(index), [x for r in rows for x in r]).rank() if rows else 0
    return len(index) - rank


@st.composite
def _tied_networks(draw, max_depth: int = 4):
    """Small networks with many ties and zeros (entries in -1..2), hidden by a random element of $G$."""
    depth = draw(st.integers(2, max_depth))
    widths = [draw(st.integers(1, 2))] + [draw(st.integers(1, 3)) for _ in range(depth - 1)] + [draw(st.integers(1, 2))]
    entries = st.sampled_from([0, 0, 1, 1, -1, 2])
    Ws = [[[draw(entries) for _ in range(widths[l - 1])] for _ in range(widths[l])] for l in range(1, depth + 1)]
    bs = [[draw(entries) for _ in range(widths[l])] for l in range(1, depth + 1)]
    net = Network.from_arrays(Ws, bs)
    return GroupElement.random(net.architecture, seed=draw(st.integers(0, 99))).act(net)


@settings(max_examples=150, deadline=None)
@given(_tied_networks())
def test_order_and_dimension_match_brute_force(net):
    S = stabilizer(net)
    assert S.order_of_finite_part == _brute_order(net)
    assert S.dimension == _torus_dimension(net)
    assert all(S.contains(g) for g in S.generators)
    assert S.contains(S.random_element(seed=3))


@settings(max_examples=100, deadline=None)
@given(_tied_networks(max_depth=2))
def test_agrees_with_the_closed_form_of_one_hidden_layer(net):
    S, T = stabilizer(net), shallow_stabilizer(net)
    assert (S.order_of_finite_part, S.dimension) == (T.order_of_finite_part, T.dimension)
    assert type(sa.stabilizer(net)) is type(T)


def test_twins_that_the_next_layer_tells_apart_are_not_symmetric():
    tied = Network.from_arrays([[[1], [1]], [[1, 2]], [[1]]], [[0, 0], [0], [0]])
    swapped = Network.from_arrays([[[1], [1]], [[1, 1]], [[1]]], [[0, 0], [0], [0]])
    assert stabilizer(tied).is_trivial
    S = stabilizer(swapped)
    assert S.order_of_finite_part == 2 and S.generators[0].permutations[0] == (1, 0)


def test_a_permutation_forced_across_layers_is_one_generator():
    # layer-1 twins swap only together with the layer-2 neurons they feed: Gamma has order 2, not 4
    net = Network.from_arrays([[[1], [1]], [[1, 0], [0, 1]], [[1, 1]]], [[0, 0], [0, 0], [0]])
    S = stabilizer(net)
    assert S.order_of_finite_part == 2 == _brute_order(net)
    assert S.generators[0].permutations == ((1, 0), (1, 0))


def test_zero_neurons_give_a_symmetric_group_and_free_scales():
    net = Network.from_arrays([[[1], [0], [0], [0]], [[1, 0, 0, 0]], [[1]]], [[0, 0, 0, 0], [1], [0]])
    S = stabilizer(net)
    assert (S.order_of_finite_part, S.dimension) == (6, 3)
    assert S.free_components == (((1, 1),), ((1, 2),), ((1, 3),))


def test_orbit_search_respects_fixed_neurons():
    net = Network.from_arrays([[[1], [1], [1]], [[1, 1, 1]], [[1]]], [[0, 0, 0], [0], [0]])
    g = orbit_element(net, net, fixed={(1, 0): 2})
    assert g is not None and g.permutations[0][0] == 2 and g.act(net) == net
    apart = Network.from_arrays([[[1], [1], [2]], [[1, 1, 1]], [[1]]], [[0, 0, 0], [0], [0]])
    assert orbit_element(apart, apart, fixed={(1, 0): 2}) is None


def test_the_budget_stops_a_search_among_many_ties():
    net = Network.from_arrays([[[1]] * 4, [[1, 2, 3, 4], [4, 3, 2, 1], [1, 1, 2, 2], [2, 3, 1, 4]], [[1, 1, 1, 1]]],
                              [[0] * 4, [0] * 4, [0]])
    with pytest.raises(UndecidedError, match="matchings"):
        stabilizer(net, budget=2)
    assert stabilizer(net).order_of_finite_part == _brute_order(net) == 1


def test_result_contract_and_cli(tmp_path):
    net = Network.from_arrays([[[1], [1]], [[1, 1]], [[1]]], [[0, 0], [0], [0]])
    S = sa.stabilizer(net)
    assert isinstance(S, DeepStabilizer)
    assert "order 2" in S.describe() and "|\\Gamma| = 2" in S.to_latex()
    assert S.to_json()["order_of_finite_part"] == 2
    path = tmp_path / "net.json"
    sa.save(net, path)
    from semialg.ui.cli import main
    assert main(["stabilizer", str(path), "--json"]) == 0
