"""The budget of the bottleneck local dimension (semialg.families.bottleneck.local.local_dimension_bounds): once it is
spent, the narrowing families are not begun and the extras stop between their parts, and the bounds returned are
still proven — they contain those computed without a budget. Clocks are faked (no timing in unit tests)."""

from __future__ import annotations

import random
import types

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

from semialg import Network
from semialg.errors import UndecidedError
from semialg.families.bottleneck import local, obstructions
from semialg.families.bottleneck.affine_trades import affine_part_trades, agree_off_p
from semialg.families.bottleneck.arrangement import NetworkArrangement
from semialg.families.bottleneck.cell_cones import cell_cones, generators_on, negative_on
from semialg.families.bottleneck.hidden_region import _cells
from semialg.families.bottleneck.representative import live_network
from semialg.families.bottleneck.views import OuterView


def _planted(rng: random.Random) -> Network:
    """A random n0-n1-1-2 parameter with dead, unused, zero or constant neurons planted (as the local survey)."""
    n0, n1 = rng.choice([1, 2, 2, 3]), rng.randint(2, 4)
    W = [[rng.randint(-3, 3) for _ in range(n0)] for _ in range(n1)]
    b = [fmpq(rng.randint(-3, 3), rng.choice([1, 2])) for _ in range(n1)]
    v = [fmpq(rng.choice([-2, -1, 1, 2, 3])) for _ in range(n1)]
    for i in rng.sample(range(n1), rng.randint(1, min(2, n1))):
        kind = rng.choice(["dead", "unused", "zero", "constant"])
        if kind == "dead":
            b[i] = fmpq(-rng.randint(4, 9))
        elif kind == "unused":
            v[i] = fmpq(0)
        else:
            W[i], b[i] = [0] * n0, fmpq(0 if kind == "zero" else rng.choice([-2, -1, 1, 2]))
    return Network.from_arrays([W, [v], [[1], [-1]]], [b, [rng.randint(-2, 2)], [0, 1]])


def _spent_after(calls: int):
    """A stand-in for the ``time`` module whose clock reads 0 for ``calls`` readings, then far past any budget."""
    count = iter(range(10 ** 9))
    return types.SimpleNamespace(monotonic=lambda: 0.0 if next(count) < calls else 1e12)


def _refuse(*args, **kwargs):
    raise AssertionError("a narrowing family was begun after the budget was spent")


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 3))
def test_bounds_cut_by_the_budget_contain_the_full_bounds(seed, calls):
    net = _planted(random.Random(seed))
    full = local.local_dimension_bounds(net, budget=None)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(local, "time", _spent_after(calls))
        for name in ("folded_lower_bound", "shadow_lower_bound", "covered_lower_bound", "leaning_lower_bound",
                     "one_sided_trade_lower_bound", "rank_bounds", "joint_cases"):
            mp.setattr(local, name, _refuse)
        cut = local.local_dimension_bounds(net, budget=5.0)
    assert cut[0] <= full[0] <= full[1] <= cut[1]


def test_the_pieces_of_p_look_at_their_clock():
    # 2-3-1-1: h = s(x) + s(y) - s(x + y - 1) - 1/2; a clock that runs out once the cells are built stops the pieces
    net = Network.from_arrays([[[1, 0], [0, 1], [1, 1]], [[1, 1, -1]], [[1]]], [[0, 0, -1], ["-1/2"], [0]])
    live = live_network(net)
    cells = len(_cells(live, NetworkArrangement((live,)))[0])
    clock = obstructions._Clock(None, 1.0, "test")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(obstructions, "time", _spent_after(cells + 1))
        with pytest.raises(UndecidedError, match="pieces of the closures of P"):
            obstructions._pieces(live, clock)
    assert obstructions._pieces(live, obstructions._Clock(None, None, "test"))[0]


def _negative_on_by_definition(cones, rows) -> bool:
    """sup h < 0 on the flat where ``rows`` vanish: every generator of each cell's face on it read (the definition)."""
    faces = ([(t, val) for g, t, val in gens if all(sum(a * x for a, x in zip(row, g)) == 0 for row in rows)]
             for gens in cones)
    return all(val < 0 if t else val <= 0 for face in faces if any(t for t, _ in face) for t, val in face)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_the_flat_of_two_hyperplanes_is_read_from_their_generators(seed):
    net = _planted(random.Random(seed))
    cones = cell_cones(net)
    if cones is None:
        return
    view = OuterView.of(net)
    rows = [tuple(w) + (b,) for w, b in zip(view.w, view.b, strict=True) if any(w)]
    on = [generators_on(cones, row) for row in rows]
    for i, j in [(i, i) for i in range(len(rows))] + [(i, j) for i in range(len(rows)) for j in range(i)]:
        assert negative_on(cones, [on[i], on[j]]) == _negative_on_by_definition(cones, [rows[i], rows[j]])


@pytest.mark.parametrize("seed", [72, 168])       # parameters where all three families have moves
def test_move_families_past_their_deadline_return_what_they_found(seed):
    net = _planted(random.Random(seed))
    assert local.hidden_translations(net) and local.agreeing_trades(net) and affine_part_trades(net)
    assert local.hidden_translations(net, deadline=0.0) == [] and local.agreeing_trades(net, deadline=0.0) == []
    assert affine_part_trades(net, deadline=0.0) == []
    far = 1e12
    assert local.hidden_translations(net, deadline=far) == local.hidden_translations(net)
    assert local.agreeing_trades(net, deadline=far) == local.agreeing_trades(net)
    assert affine_part_trades(net, deadline=far) == affine_part_trades(net)
    assert local.hidden_neuron_moves(net, deadline=0.0) == []
    assert local.hidden_neuron_moves(net, deadline=far) == local.hidden_neuron_moves(net)
    cones, view = cell_cones(net), OuterView.of(net)
    rows = [tuple(w) + (b,) for w, b in zip(view.w, view.b, strict=True)][:2]
    assert agree_off_p(cones, rows, deadline=far) == agree_off_p(cones, rows) and not agree_off_p(cones, rows, 0.0)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_without_the_type_in_time_the_first_order_bounds_stand(seed):
    net = _planted(random.Random(seed))
    full = local.local_dimension_bounds(net, budget=None)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(local, "type_before", lambda net, deadline: None)
        cut = local.local_dimension_bounds(net, budget=5.0)
    assert cut[0] <= full[0] <= full[1] <= cut[1]
