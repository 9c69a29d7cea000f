"""The stabilizer of a parameter of any depth against brute force: every tuple of permutations is tried, the
scales it needs are solved by propagation, and the dimension of the identity component is an exact rank."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from flint import fmpq, fmpq_mat
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.core.network import Network
from semialg.core.symmetry import GroupElement, StabilizerGroup
from semialg.engine.orbit import orbit_element
from semialg.errors import UndecidedError
from semialg.families.deep.stabilizer import DeepStabilizer, stabilizer
from semialg.families.shallow import stabilizer as shallow_stabilizer


def _has_scales(net: Network, perms, source: Network | None = None) -> bool:
    """Whether positive scales make ``(perms, scales)`` fix ``net`` (map ``source`` to ``net``): every entry pairs
    with its image, the ratios must be positive and consistent around every cycle (input and output neurons have
    scale 1)."""
    src = source or net
    L, widths = net.depth, net.widths
    full = [tuple(range(widths[0]))] + list(perms) + [tuple(range(widths[L]))]
    edges = []                       # lam[a] = r * lam[b]; None stands for a neuron of scale 1
    for l in range(1, L + 1):
        for i in range(widths[l]):
            node = (l, i) if l < L else None
            y, x = net.biases[l - 1][i], src.biases[l - 1][full[l][i]]
            if (x == 0) != (y == 0) or (y and y / x < 0):
                return False
            if y:
                edges.append((node, None, y / x))
            for j in range(widths[l - 1]):
                y, x = net.weights[l - 1][i][j], src.weights[l - 1][full[l][i]][full[l - 1][j]]
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


def _brute_order(net: Network, source: Network | None = None) -> int:
    hidden = net.widths[1:-1]
    return sum(_has_scales(net, perms, source)
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


@st.composite
def _pruned_networks(draw, depth: int = 3, max_width: int = 4):
    """Networks with zero neurons (zero row and bias) in several hidden layers whose outgoing columns are equal,
    positively proportional, of other signs or different (entries from a few values), hidden by a random
    element of $G$."""
    hidden = [draw(st.integers(2, max_width)) for _ in range(depth - 1)]
    widths = [draw(st.integers(1, 2))] + hidden + [draw(st.integers(1, 2))]
    entries = st.sampled_from([0, 1, 1, -1, 2])
    Ws = [[[draw(entries) for _ in range(widths[l - 1])] for _ in range(widths[l])] for l in range(1, depth + 1)]
    bs = [[draw(st.sampled_from([0, 1, -1])) for _ in range(widths[l])] for l in range(1, depth + 1)]
    for l in range(1, depth):
        pruned = draw(st.lists(st.integers(0, widths[l] - 1), max_size=widths[l], unique=True))
        base = [draw(entries) for _ in range(widths[l + 1])]
        for i in pruned:
            Ws[l - 1][i], bs[l - 1][i] = [0] * widths[l - 1], 0
            kind = draw(st.sampled_from(["same", "scaled", "other", "negated"]))
            for k in range(widths[l + 1]):
                x = {"same": base[k], "scaled": 2 * base[k], "negated": -base[k]}.get(kind, draw(entries))
                Ws[l][k][i] = x
    net = Network.from_arrays(Ws, bs)
    return GroupElement.random(net.architecture, seed=draw(st.integers(0, 99))).act(net)


def _check_against_brute_force(net: Network):
    S = stabilizer(net)
    assert S.order_of_finite_part == _brute_order(net)
    assert S.dimension == _torus_dimension(net)
    assert all(S.contains(g) for g in S.generators)
    # the generators generate a group of the claimed order (closure of their permutation parts)
    one = tuple(tuple(range(n)) for n in net.widths[1:-1])
    group, todo = {one}, [one]
    while todo:
        p = todo.pop()
        for g in S.generators:
            q = tuple(tuple(gp[x] for x in pp) for pp, gp in zip(p, g.permutations, strict=True))
            if q not in group:
                group.add(q)
                todo.append(q)
    assert len(group) == S.order_of_finite_part


@settings(max_examples=60, deadline=None)
@given(_pruned_networks(depth=3, max_width=4))
def test_zero_neurons_at_depth_3_match_brute_force(net):
    _check_against_brute_force(net)


@settings(max_examples=40, deadline=None)
@given(_pruned_networks(depth=4, max_width=3))
def test_zero_neurons_at_depth_4_match_brute_force(net):
    _check_against_brute_force(net)


@settings(max_examples=60, deadline=None)
@given(_pruned_networks(depth=3, max_width=3), st.integers(0, 99), st.booleans())
def test_orbit_search_with_zero_neurons_matches_brute_force(net, seed, perturb):
    """orbit_element(net, other) against every permutation tuple, ``other`` an image of ``net`` or a copy with one
    outgoing entry of a zero neuron changed (in or out of the orbit)."""
    other = GroupElement.random(net.architecture, seed=seed).act(net)
    if perturb:
        L = net.depth
        zeros = [(l, i) for l in range(1, L) for i in range(net.widths[l])
                 if not net.biases[l - 1][i] and not any(net.weights[l - 1][i])]
        if zeros:
            l, i = zeros[seed % len(zeros)]
            W = [[list(r) for r in M] for M in other.weights]
            W[l][seed % net.widths[l + 1]][i] += 1
            other = Network.from_arrays(W, [list(b) for b in other.biases])
    g = orbit_element(net, other)
    assert (g is not None) == (_brute_order(other, source=net) > 0)
    assert g is None or g.act(net) == other


def test_zero_neurons_with_different_columns_answer_at_once():
    # the audit's case: eight zero neurons (zero row and bias) in a 1-9-2-1 network, positive columns, only the
    # first and the last positively proportional: the old search tried their 8! matchings (> 20 s)
    cols = [(1, 2), (2, 1), (1, 3), (3, 1), (2, 3), (3, 2), (1, 4), (2, 4)]
    W2 = [[1] + [c[0] for c in cols], [1] + [c[1] for c in cols]]
    net = Network.from_arrays([[[1]] + [[0]] * 8, W2, [[1, 2]]], [[1] + [0] * 8, [1, -1], [0]])
    S = stabilizer(net, budget=50)
    assert (S.order_of_finite_part, S.dimension) == (2, 0)
    assert S.orbits == ((1, 1, (1, 8)),) and S.generators[0].permutations[0] == (0, 8, 2, 3, 4, 5, 6, 7, 1)
    assert all(S.contains(g) for g in S.generators)
    g = orbit_element(net, GroupElement.random(net.architecture, seed=5).act(net), budget=50)
    assert g is not None and g.act(net) == GroupElement.random(net.architecture, seed=5).act(net)


def test_zero_neurons_feeding_a_permuted_layer():
    # zero neurons 0, 1 of layer 1 with columns (1, 2) and (2, 1): exchangeable only together with the swap of
    # the twin neurons of layer 2 (columns read in the next layer's frame)
    net = Network.from_arrays([[[0], [0], [1]], [[1, 2, 1], [2, 1, 1]], [[1, 1]]], [[0, 0, 1], [0, 0], [0]])
    S = stabilizer(net)
    assert S.order_of_finite_part == 2 == _brute_order(net)
    assert S.generators[0].permutations == ((1, 0, 2), (1, 0))


def test_zero_neuron_columns_are_read_in_the_scales_of_the_next_layer():
    # layer-2 twins with scales 1 and 2: the columns (1, 4) and (2, 2) of the zero neurons agree once each
    # entry is divided by its row's scale; Gamma swaps both pairs (order 2)
    net = Network.from_arrays([[[0], [0], [1]], [[1, 2, 1], [4, 2, 2]], [[2, 1]]], [[0, 0, 1], [0, 0], [0]])
    S = stabilizer(net)
    assert S.order_of_finite_part == 2 == _brute_order(net)
    assert all(S.contains(g) for g in S.generators)


def test_zero_neuron_columns_on_rows_of_unknown_scale_are_branched():
    # row 0 of layer 2 has entries only in the zero neurons' columns (its scale is not known when they are
    # matched): the two columns look alike there but only the swap maps net to other
    net = Network.from_arrays([[[0], [0], [1]], [[1, 3, 0], [1, 1, 1]], [[1, 1]]], [[0, 0, 1], [0, 0], [0]])
    other = GroupElement([(1, 0, 2), (0, 1)], [[1, 1, 1], [1, 1]]).act(net)
    g = orbit_element(net, other)
    assert g is not None and g.act(net) == other and g.permutations[0] == (1, 0, 2)
    assert stabilizer(net).order_of_finite_part == _brute_order(net)



def _entries(net):
    return [[[Fraction(str(x)) for x in row] for row in W] for W in net.weights] + \
        [[Fraction(str(x)) for x in b] for b in net.biases]


def test_both_stabilizers_answer_triviality_and_membership_by_their_definitions():
    """``is_trivial`` and ``contains`` (one base for the shallow and the deep stabilizer) against the definitions:
    $g$ is in the stabilizer exactly when every entry of $g\\cdot\\theta$ equals that of $\\theta$ (compared in
    Fractions); neurons 1 and 2 below are one neuron up to the scale 2, so swapping them with scales 1/2 and 2
    fixes $\\theta$."""
    twins = Network.from_arrays([[[1], [2], [3]], [[1, "1/2", 1]]], [[1, 2, -1], [0]])
    swap = GroupElement([(1, 0, 2)], [[fmpq(1, 2), fmpq(2), fmpq(1)]])
    deep = Network.random((2, 3, 3, 1), seed=4)
    for net, S in ((twins, shallow_stabilizer(twins)), (twins, stabilizer(twins)), (deep, stabilizer(deep))):
        assert isinstance(S, StabilizerGroup)
        for seed in range(10):
            for g in (S.random_element(seed=seed), GroupElement.random(net.architecture, seed=seed)):
                assert S.contains(g) == (_entries(g.act(net)) == _entries(net))
        assert S.contains(S.random_element(seed=0))
    assert shallow_stabilizer(twins).contains(swap) and stabilizer(twins).contains(swap)
    assert not shallow_stabilizer(twins).is_trivial and not stabilizer(twins).is_trivial
    assert stabilizer(deep).is_trivial
