"""Flat directions bound the functional dimension from above (:mod:`semialg.engine.flat_directions`).

The oracle is the definition: the Jacobian rows of every linear region (:func:`~semialg.engine.regions.decisive_points`,
$d + 1$ points a region, the rows of :func:`~semialg.engine.jacobian.parameter_jacobian` with the region's pattern,
a vanishing pre-activation counted off) and their exact rank. Every flat direction must be orthogonal to every row
(the proposition, region by region), so the bound is never below the rank; small integer weights plant the
degenerate cases (zero, off and silent neurons, twins, constant neurons, lines, pre-activations vanishing on whole
regions, hidden weights).
"""

from __future__ import annotations


import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

from semialg.core.exact import rank, sparse_vector
from semialg.core.network import Network
from semialg.core.symmetry import rescaling_ranks
from semialg.errors import ParameterError
from semialg.engine.flat_directions import cancelled_combinations, flat_bound, flat_directions, unread_combinations
from semialg.engine.jacobian import parameter_jacobian
from semialg.engine.functional_dimension import functional_dimension
from semialg.engine.regions import decisive_points

ARCHS = [(1, 2, 2, 1), (2, 2, 2, 1), (1, 3, 2, 1), (2, 3, 2, 2), (1, 2, 2, 2, 1), (2, 2, 1)]


def _rows(net: Network) -> list:
    return [row for pattern, points in decisive_points(net) for x in points
            for row in parameter_jacobian(net, x, pattern)]


@st.composite
def networks(draw):
    widths = draw(st.sampled_from(ARCHS))
    entry = st.integers(-2, 2)
    Ws = [[[draw(entry) for _ in range(a)] for _ in range(b)] for a, b in zip(widths[:-1], widths[1:])]
    bs = [[draw(entry) for _ in range(b)] for b in widths[1:]]
    return Network.from_arrays(Ws, bs)


@settings(max_examples=150, deadline=None)
@given(networks())
def test_every_flat_direction_is_orthogonal_to_every_row_and_the_bound_holds(net):
    D = net.architecture.num_parameters
    rows = _rows(net)
    for entries in flat_directions(net):
        v = sparse_vector(D, *entries)
        assert all(sum((a * b for a, b in zip(row, v)), fmpq(0)) == 0 for row in rows), (net, entries)
    exact = rank(rows) if rows else 0
    assert flat_bound(net) >= exact
    assert functional_dimension(net, method="batch").value == exact


def test_off_silent_and_hidden_neurons_meet_the_rank():
    """Functional dimension below the rescaling bound, met by the flat bound: a neuron of layer 2 off by its signs
    (its first-layer input then silent); a neuron of layer 2 positive nowhere on the image, and a first-layer
    neuron whose only reader is off wherever it is on (hidden weights)."""
    off = Network.from_arrays([[[1], [-1]], [[1, 0], [-1, -1]], [[1, 1]]], [[0, 0], [1, -1], [0]])
    hidden = Network.from_arrays([[[-1], [-1]], [[-1, -1], [1, -1]], [[1, 3]]], [[-2, 3], [1, -1], [-1]])
    for net in (off, hidden):
        exact = rank(_rows(net))
        assert exact < net.architecture.num_parameters - net.architecture.num_hidden
        assert flat_bound(net) == exact
        assert flat_bound(net, image=False) > exact or net is off


def test_an_affine_relation_where_a_neuron_is_on_is_flat():
    """s(x), s(x - 1), then s(h_1 + h_2 - 5), on where x > 3: there h_1 - h_2 - 1 = 0, though the two are no twins
    and neither weight is hidden; the direction (1, -1, -1) of the row of layer 2 is read by no row (orthogonal to
    every row of every region) and lowers the bound by one."""
    net = Network.from_arrays([[[1], [1]], [[1, 1]], [[1]]], [[0, -1], [-5], [0]])
    assert unread_combinations(net, 2) == {0: [[-1, 1, 1]]}
    rows, D = _rows(net), net.architecture.num_parameters
    for entries in flat_directions(net):
        v = sparse_vector(D, *entries)
        assert all(sum((a * b for a, b in zip(row, v)), fmpq(0)) == 0 for row in rows), entries
    assert flat_bound(net) == D - net.architecture.num_hidden - 1 >= rank(rows)


@pytest.mark.slow
def test_a_float32_network_whose_flat_bound_needs_affine_relations():
    """Seed 7 of the float32 4-16-16-2 networks of the benchmarks: neuron 10 of layer 2 is on where 11 neurons
    of layer 1 are active, more than 4 inputs span, so its row has 3 unread directions besides its 5 hidden weights;
    with them the flat bound is the rank of every region's rows (346, proven by rank_on_regions)."""
    import numpy as np

    from semialg.engine.functional_dimension import rank_on_regions
    rng = np.random.default_rng(7)
    widths = (4, 16, 16, 2)
    Ws = [(rng.standard_normal((o, i)) * np.sqrt(2 / i)).astype(np.float32) for i, o in zip(widths, widths[1:])]
    bs = [(rng.standard_normal(o) * 0.1).astype(np.float32) for o in widths[1:]]
    net = Network.from_arrays(Ws, bs)
    assert flat_bound(net) == 346 == rank_on_regions(net, [pattern for pattern, _ in decisive_points(net)])


def test_a_deep_line_vanishing_on_a_region_is_not_flat():
    """s(z) - s(-z) = z with z = s(x): the translation of this line of layer 2 moves the output bias, while on
    x < 0, where z vanishes and both neurons count as off, no row reads the neurons' biases: not flat (the
    translation is a move of the fibre all the same, but not orthogonal to the one-sided rows)."""
    net = Network.from_arrays([[[1]], [[1], [-1]], [[1, -1]]], [[0], [0, 0], [0]])
    D, rows = net.architecture.num_parameters, _rows(net)
    for entries in flat_directions(net):
        v = sparse_vector(D, *entries)
        assert all(sum((a * b for a, b in zip(row, v)), fmpq(0)) == 0 for row in rows), entries
    assert flat_bound(net) >= rank(rows)


def test_random_deep_networks_with_always_active_blocks_meet_the_rank():
    """Random 2-3-3-1 networks (small rationals) often have neurons on in every region of layer 2 (trades of the
    affine block, biases traded into the output's) and hidden weights: at 40 seeds the flat bound is the rank."""
    deficient = 0
    for seed in range(40):
        net = Network.random((2, 3, 3, 1), seed=seed)
        exact = rank(_rows(net))
        assert flat_bound(net) == exact, seed
        deficient += exact < net.architecture.num_parameters - 6
    assert deficient >= 5


def test_functional_dimension_stops_at_the_flat_bound_without_regions(monkeypatch):
    """A deficient rank is proven by the sampled rows when they reach the flat bound: no region is enumerated
    (before, the value needed every region), and the answer says how it was proven."""
    import semialg.engine.functional_dimension as fdim
    net = Network.random((2, 3, 3, 1), seed=11)           # two neurons of layer 2 on in every region
    exact = rank(_rows(net))
    monkeypatch.setattr(fdim, "decisive_points", lambda *a, **k: pytest.fail("regions enumerated"))
    fd = fdim.functional_dimension(net)
    assert fd.value == exact == 14 < fd.upper_bound == 19
    assert fd.method == "sampled batch and flat directions" and "flat directions" in fd.describe()


def test_an_undecided_functional_dimension_gives_the_flat_bound(monkeypatch):
    import semialg.engine.functional_dimension as fdim
    from semialg.engine.jacobian import SampledBatch
    from semialg.errors import UndecidedError
    net = Network.from_arrays([[[-1], [-1]], [[-1, -1], [1, -1]], [[1, 3]]], [[-2, 3], [1, -1], [-1]])

    def stopped(*a, **k):
        raise UndecidedError("the deadline passed")
        yield

    monkeypatch.setattr(fdim, "sampled_batch", lambda *a, **k: SampledBatch((), set(), [], False, 0))
    monkeypatch.setattr(fdim, "decisive_points", stopped)
    with pytest.raises(UndecidedError, match=r"at most 4 \(parameters minus rescalable hidden neurons and flat "
                                             r"directions") as err:
        fdim.functional_dimension(net, budget=10)
    assert err.value.bounds == (0, 4) and rank(_rows(net)) == 4


def test_the_sampled_rows_aim_at_the_flat_bound_of_unused_neurons(monkeypatch):
    """An unused neuron (zero outgoing weights) lowers the bound before any input is sampled: its rows are reached
    without regions and without the image search (a 32-input network has no image search)."""
    import semialg.engine.flat_directions as flat
    import semialg.engine.functional_dimension as fdim
    net = Network.random((3, 4, 4, 2), seed=2)
    Ws = [[list(r) for r in W] for W in net.weights]
    for r in Ws[2]:
        r[1] = 0
    unused = Network.from_arrays(Ws, [list(b) for b in net.biases])
    exact = rank(_rows(unused))
    monkeypatch.setattr(fdim, "decisive_points", lambda *a, **k: pytest.fail("regions enumerated"))
    monkeypatch.setattr(flat, "image_moves", lambda *a, **k: pytest.fail("image searched"))
    fd = fdim.functional_dimension(unused)
    assert fd.value == exact < fd.upper_bound and fd.method == "sampled batch and flat directions"


def test_outgoing_weights_that_cancel_where_a_neuron_is_on_are_flat():
    """s(x), s(-x); then s(h_1 + 1), s(h_1 - h_2 + 2); output g_1 + 2g_2. Where x > 0 both neurons of layer 2 are
    on, so moving the outgoing weights of neuron 1 of layer 1 by (2, -1) changes the output by (2 - 2)h_1 = 0;
    where x < 0 that neuron is off. The direction is read by no row and lowers the bound by one."""
    net = Network.from_arrays([[[1], [-1]], [[1, 0], [1, -1]], [[1, 2]]], [[0, 0], [1, 2], [0]])
    assert cancelled_combinations(net, 2) == {0: [[2, -1]]}
    rows, D = _rows(net), net.architecture.num_parameters
    W2 = 2 * 1 + 2      # parameters W1, b1, W2 (row-major: W2[0, 0] and W2[1, 0] at W2 and W2 + 2), b2, ...
    v = sparse_vector(D, (W2, fmpq(2)), (W2 + 2, fmpq(-1)))
    assert all(sum((a * b for a, b in zip(row, v)), fmpq(0)) == 0 for row in rows)
    assert flat_bound(net) >= rank(rows)
    assert [e for e in flat_directions(net) if sorted(k for k, _ in e) == [W2, W2 + 2]]


@settings(max_examples=120, deadline=None)
@given(st.sampled_from([(1, 2, 3, 1), (1, 2, 3, 2), (2, 2, 3, 1), (1, 2, 2, 3, 1), (1, 2, 3, 2, 1), (2, 2, 2, 2, 1)]),
       st.data())
def test_cancelled_combinations_are_orthogonal_to_every_row(widths, data):
    entry = st.integers(-2, 2)
    Ws = [[[data.draw(entry) for _ in range(a)] for _ in range(b)] for a, b in zip(widths[:-1], widths[1:])]
    bs = [[data.draw(entry) for _ in range(b)] for b in widths[1:]]
    net = Network.from_arrays(Ws, bs)
    rows, D = _rows(net), net.architecture.num_parameters
    for l in range(2, net.depth):
        W_at = sum(a * b for a, b in zip(widths[:l - 1], widths[1:l])) + sum(widths[1:l])
        n = widths[l - 1]
        for j, basis in cancelled_combinations(net, l).items():
            for u in basis:
                at = [(W_at + i * n + j if j < n else W_at + widths[l] * n + i, x) for i, x in enumerate(u) if x]
                v = sparse_vector(D, *at)
                assert all(sum((a * b for a, b in zip(row, v)), fmpq(0)) == 0 for row in rows), (net, l, j, u)


def test_random_deep_networks_whose_gap_was_cancelling_outgoing_weights_meet_the_rank():
    """Random 3-6-6-6-1 networks 11, 12 and 16: their Jacobian kernels held one or two directions beyond the other
    flat directions, in one column of W_3 each (outgoing weights of a neuron of layer 2 traded between neurons of
    layer 3 on together wherever it is); with them the flat bound is the rank of every region's rows."""
    for seed in (11, 12, 16):
        net = Network.random((3, 6, 6, 6, 1), seed=seed)
        assert flat_bound(net) == rank(_rows(net)), seed


def test_outgoing_weights_that_cancel_in_the_next_layer_are_flat():
    """Random 2-3-3-3-3-1 network 4 and 2-3-3-3-1 network 4: a column of W_2 whose change of z_3 vanishes at every
    neuron of layer 3 that can be on where the column's neuron is (the regions of layers 1 and 2); with it the flat
    bound is the rank of every region's rows (one below what it was)."""
    for arch in ((2, 3, 3, 3, 3, 1), (2, 3, 3, 3, 1)):
        net = Network.random(arch, seed=4)
        assert any(len([x for x in u if x]) > 1 for basis in cancelled_combinations(net, 2).values() for u in basis)
        assert flat_bound(net) == rank(_rows(net)), arch


def _rescaling_fields(net: Network) -> list:
    """Each hidden neuron's rescaling field, written from the weights: its incoming weights and bias scaled up, its
    outgoing weights down (parameters W_1, b_1, W_2, b_2, ... row-major)."""
    widths, D = net.widths, net.architecture.num_parameters
    starts, k = [], 0
    for a, b in zip(widths, widths[1:]):
        starts.append((k, k + a * b))
        k += a * b + b
    fields = []
    for l in range(1, net.depth):
        (W_in, b_in), (W_out, _) = starts[l - 1], starts[l]
        for i in range(widths[l]):
            v = [fmpq(0)] * D
            for j in range(widths[l - 1]):
                v[W_in + i * widths[l - 1] + j] = net.weights[l - 1][i][j]
            v[b_in + i] = net.biases[l - 1][i]
            for r in range(widths[l + 1]):
                v[W_out + r * widths[l] + i] = -net.weights[l][r][i]
            fields.append(v)
    return fields


@settings(max_examples=80, deadline=None)
@given(networks())
def test_the_explained_directions_are_flat_independent_and_as_many_as_the_bound_is_lowered(net):
    D = net.architecture.num_parameters
    why: list = []
    bound = flat_bound(net, explained=why)
    fields = [v for v in _rescaling_fields(net) if any(v)]
    assert len(why) == D - sum(rescaling_ranks(net)) - bound     # the rescaling bound, lowered to the flat one
    rows = _rows(net)
    vectors = [sparse_vector(D, *d.entries) for d in why]
    for d, v in zip(why, vectors):
        assert all(sum((a * b for a, b in zip(row, v)), fmpq(0)) == 0 for row in rows), (net, d)
        assert d.describe() and d.to_json()["kind"] == d.kind
    if why:     # independent of the rescaling fields (written from the weights) and of each other
        assert rank(fields + [list(v) for v in vectors]) == (rank(fields) if fields else 0) + len(why)


def test_functional_dimension_says_why_it_is_below_the_rescaling_bound():
    """Random 3-6-6-6-1 network 12: 93 of 97, lowered by two hidden weights and two combinations of the outgoing
    weights of neuron 6 of layer 2 (column 6 of W_3; its hidden weights are there too)."""
    import json
    fd = functional_dimension(Network.random((3, 6, 6, 6, 1), seed=12))
    assert (fd.value, fd.upper_bound) == (93, 97) and len(fd.flat) == fd.deficit == 4
    assert sorted(d.kind for d in fd.flat) == ["cancelling weights"] * 2 + ["hidden weight"] * 2
    assert {(d.layer, d.neurons[-1]) for d in fd.flat} == {(3, 5)}
    assert "2 hidden weights" in fd.describe() and fd.explain().count("\n") == 4
    data = json.loads(json.dumps(fd.to_json()))
    assert [d["kind"] for d in data["flat"]] == [d.kind for d in fd.flat]


def test_semialg_dim_lists_the_directions_that_lower_the_bound(tmp_path, capsys):
    """s(-x - 2), s(3 - x); then s(1 - h_1 - h_2), off wherever h_1 is on (x < -2: 2x < 0), and s(h_1 - h_2 - 1),
    negative everywhere (h_1 - h_2 is -5, then at most 0): neuron 2 of layer 2 is off, and neuron 1 of layer 1 is read
    by no output (silent). The command names them; --json lists each with its kind and entries."""
    import json

    from semialg import save
    from semialg.ui.cli import main
    net = Network.from_arrays([[[-1], [-1]], [[-1, -1], [1, -1]], [[1, 3]]], [[-2, 3], [1, -1], [-1]])
    save(net, tmp_path / "h.json")
    assert main(["dim", str(tmp_path / "h.json")]) == 0
    out = capsys.readouterr().out
    assert "functional dimension 4" in out and "5 below that bound" in out
    assert "neuron 2 of layer 2 is off on every input" in out and "neuron 1 of layer 1 (silent)" in out
    assert main(["dim", str(tmp_path / "h.json"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["flat_directions"]) == 5 and {d["kind"] for d in data["flat_directions"]} == {"silent neuron",
                                                                                                 "off neuron"}


def test_a_network_without_hidden_layer_and_a_domain_of_the_wrong_type():
    """x -> Wx + b determines W and b on any open set: its functional dimension is its parameter count (this
    crashed inside the rescaling fields before); a domain that is not a Polytope is refused by name."""
    net = Network.from_arrays([[[1, 2], [0, "-1/3"]]], [[0, 5]])
    fd = functional_dimension(net)
    assert fd.value == rank(_rows(net)) == 6 and fd.method == "affine map" and not fd.flat
    with pytest.raises(ParameterError, match="Polytope"):
        functional_dimension(net, domain="x")


@pytest.mark.parametrize("call", [unread_combinations, cancelled_combinations])
def test_a_layer_or_neuron_out_of_range_is_refused(call):
    """The output layer has no on-set (its rows are read everywhere: unread_combinations(net, L) once returned every
    direction of them) and a negative index would name another neuron's column (the audit's neurons=[-1])."""
    net = Network.random((1, 3, 3, 2, 1), seed=7)
    for l in (0, 1, 4, 2.0, True):
        with pytest.raises(ParameterError, match="hidden layer from 2 to 3"):
            call(net, l)
    for neurons in ([-1], [9], [1.0]):
        with pytest.raises(ParameterError, match="indices from 0"):
            call(net, 3, neurons)
