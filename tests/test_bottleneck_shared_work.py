"""Work the case-(a) analyses of one parameter share: its combinatorial type and hidden region are computed once,
and the facets of an arrangement's cells are found by hashing. Oracles: the facets by their definition (the sign
flips that are cells again, written here over tuples), and counts of the constructions."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, strategies as st

import semialg as sa
import semialg.families.bottleneck.hidden_region as hidden_region
import semialg.families.bottleneck.ident_cache as ident_cache
import semialg.families.bottleneck.types as types
from semialg.core.network import Network
from semialg.errors import UndecidedError
from semialg.families.bottleneck.hidden_region import facet_lines
from semialg.geometry.arrangement import Cell


def _facets_by_definition(cells):
    present = {cell.signs for cell in cells}
    return [tuple(k for k in range(len(c.signs)) if c.signs[:k] + (-c.signs[k],) + c.signs[k + 1:] in present)
            for c in cells]


sign_sets = st.integers(1, 7).flatmap(lambda m: st.lists(
    st.tuples(*[st.sampled_from([-1, 1, 1, -1, 0]) for _ in range(m)]), min_size=1, max_size=60, unique=True))


@given(sign_sets)
def test_facets_by_hashing_are_the_sign_flips_that_are_cells(signs):
    cells = [Cell(s) for s in signs]
    assert facet_lines(cells) == _facets_by_definition(cells)


def test_facets_of_colliding_hashes_are_found_by_their_rows(monkeypatch):
    class Ones:                 # every weight 1: the hash is the sum of the signs, and rows share it
        def integers(self, low, high, size, dtype):
            return np.zeros(size, dtype=dtype)
    monkeypatch.setattr(hidden_region.np.random, "default_rng", lambda seed: Ones())
    cells = [Cell(s) for s in itertools.product((-1, 1), repeat=3) if s != (1, 1, 1)]
    assert facet_lines(cells) == _facets_by_definition(cells)


def test_a_flip_hashing_to_another_cell_is_not_taken_for_it(monkeypatch):
    class Odd:                  # weights 1, 3, 5: distinct hashes, but (1, 1, 1) flipped at 2 hashes as (-1, 0, 0)
        def integers(self, low, high, size, dtype):
            return np.arange(size, dtype=dtype)
    monkeypatch.setattr(hidden_region.np.random, "default_rng", lambda seed: Odd())
    cells = [Cell((1, 1, 1)), Cell((-1, 0, 0))]
    assert facet_lines(cells) == _facets_by_definition(cells) == [(), (1, 2)]


def test_the_facets_of_a_real_arrangement_are_those_of_the_definition():
    from semialg.families.bottleneck.arrangement import arrangement_of
    net = Network.random((2, 12, 1, 1), seed=4, height=3)
    cells = arrangement_of(net).cells
    assert len(cells) > 50 and facet_lines(cells) == _facets_by_definition(cells)


def test_the_type_is_computed_once_and_a_cut_computation_is_not_kept(monkeypatch):
    net = Network.random((2, 9, 1, 1), seed=11, height=3)
    types._TYPES.pop(net, None)
    calls = []
    real = types._case_a_type
    monkeypatch.setattr(types, "_case_a_type", lambda *args: calls.append(args) or real(*args))
    monkeypatch.setattr(types, "arrangement_of", lambda net, deadline, progress: (_ for _ in ()).throw(
        UndecidedError("deadline passed")))
    with pytest.raises(UndecidedError):
        types.combinatorial_type(net, budget=0)
    monkeypatch.undo()
    first = types.combinatorial_type(net)
    assert types.combinatorial_type(net, budget=0) is first and len(calls) == 1
    assert first == real(net, None, False)


def test_older_types_are_dropped_beyond_eight_networks():
    nets = [Network.random((2, 3, 1, 1), seed=s, height=3) for s in range(12)]
    for net in nets:
        types.combinatorial_type(net)
    assert len(types._TYPES) == 8 and nets[-1] in types._TYPES and nets[0] not in types._TYPES


def test_the_identifiability_theorems_build_one_hidden_region(monkeypatch):
    built = []
    build = hidden_region.HiddenRegion.__init__

    def counted(self, net, clock=None):
        built.append(net)
        build(self, net, clock)
    monkeypatch.setattr(hidden_region.HiddenRegion, "__init__", counted)
    net = Network.random((2, 4, 1, 2), seed=0, height=3)      # three theorems ask for its region
    ident_cache._REGIONS.clear()
    assert sa.identifiable(net, budget=60).status == "not identifiable"
    assert len(built) == 1
