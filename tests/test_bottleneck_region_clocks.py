"""The cone of rows hidden on P and the clocks of the hidden region (semialg.families.bottleneck.hidden_region,
obstructions): the cone found from a subset of the rays grown by the violated ones equals the double description of
all of them (an independent enumeration of every candidate); the per-cell pieces and the components of P stop once
their clock runs out (fake clocks: no timing in unit tests)."""

from __future__ import annotations

import types

import numpy as np
import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

from semialg import Network
from semialg.core.exact import nullspace
from semialg.errors import UndecidedError
from semialg.families.bottleneck import hidden_region, obstructions
from semialg.families.bottleneck.hidden_region import HiddenRegion, _dual_rays, polyhedron


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 4), st.integers(1, 14), st.integers(0, 10 ** 6))
def test_the_dual_from_a_growing_subset_is_that_of_every_ray(n, m, seed):
    rng = np.random.default_rng(seed)
    rays = list(dict.fromkeys(tuple(fmpq(int(x)) for x in rng.integers(-3, 4, n)) for _ in range(m)))
    rays = [r for r in rays if any(r)]
    if not rays:
        return
    every = polyhedron([tuple(-x for x in r) + (fmpq(0),) for r in rays], lineality=nullspace(rays))
    assert set(_dual_rays(rays)) == set(every.rays if every is not None else ())


def _spent_after(calls: int):
    """A stand-in for the ``time`` module whose clock reads 0 for ``calls`` readings, then far past the deadline."""
    count = iter(range(10 ** 9))
    return types.SimpleNamespace(monotonic=lambda: 0.0 if next(count) < calls else 1e12)


# h = s(x) + s(y) - s(x + y - 1) + s(x - y) - 1/2 in 2-4-1-1: several cells and pieces of P
NET = Network.from_arrays([[[1, 0], [0, 1], [1, 1], [1, -1]], [[1, 1, -1, 1]], [[1]]], [[0, 0, -1, 0], ["-1/2"], [0]])


def test_the_pieces_of_the_hidden_region_look_at_their_clock():
    cells = len(hidden_region._cells(NET, hidden_region.NetworkArrangement((NET,)))[0])     # a reading each
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(obstructions, "time", _spent_after(cells))
        with pytest.raises(UndecidedError, match="pieces of the closures"):
            HiddenRegion(NET, obstructions._Clock(None, 1.0, "test"))
    assert HiddenRegion(NET, obstructions._Clock(None, None, "test")).p_points


def test_the_components_of_p_look_at_their_clock():
    pieces, _ = obstructions._pieces(NET)
    assert len(pieces) > 1
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(obstructions, "time", _spent_after(0))
        with pytest.raises(UndecidedError, match="components"):
            obstructions._components(pieces, obstructions._Clock(None, 1.0, "test"))
    assert obstructions._components(pieces)


def test_the_boundary_points_and_the_separated_fibre_conditions_look_at_their_clock():
    # 3-4-1-1 seed 151 (height 3): a mixed (U+-) neuron, P disconnected, the separated fibre applies; for n0 >= 3
    # its type conditions read the vertices of the closed cells (boundary_points)
    from semialg.families.bottleneck import combinatorial_type
    from semialg.families.bottleneck.separated_fibre import separated_applies
    net = Network.random((3, 4, 1, 1), seed=151, height=3)
    t = combinatorial_type(net)
    assert "U+-" in t.classes and separated_applies(net, t)
    cells = len(hidden_region._cells(net, hidden_region.arrangement_of(net))[0])
    hidden_region._MEMO.clear()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(obstructions, "time", _spent_after(cells))      # the cells read, then past the deadline
        with pytest.raises(UndecidedError, match="a vertex on .h = 0. among 0 of"):
            hidden_region.boundary_points(net, obstructions._Clock(None, 1.0, "test"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(obstructions, "time", _spent_after(0))           # its first look at the clock is too late
        with pytest.raises(UndecidedError, match="separated fibre: the type conditions"):
            separated_applies(net, t, 1.0)
