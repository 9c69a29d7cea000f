"""A case-(a) bottleneck proven identifiable has, at the parameter, the local dimension of its G-orbit (the rank of
its rescalings): ``local_dimension_bounds`` answers that when a proof is found, and it agrees with the bounds of the
quotient and first-order route (the proof switched off), which it may only sharpen."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

import semialg as sa
import semialg.families.bottleneck.local as local
from semialg.core.symmetry import rescaling_rank
from semialg.families.bottleneck.identifiability import identifiability_proof
from test_bottleneck_identifiability import _case_a


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(2, 4), st.integers(1, 2))
def test_the_orbit_dimension_lies_within_the_other_bounds(seed, n1, n3):
    """(The proof is looked for first from ORBIT_FIRST_NEURONS neurons on: here at every width.)"""
    net = _case_a(seed, 3, n1, n3)
    saved = local._orbit_dimension, local.ORBIT_FIRST_NEURONS
    local.ORBIT_FIRST_NEURONS = 1
    try:
        bounds = sa.local_dimension_bounds(net)
        local._orbit_dimension = lambda net, deadline: None
        lower, upper = sa.local_dimension_bounds(net)
    finally:
        local._orbit_dimension, local.ORBIT_FIRST_NEURONS = saved
    proven = identifiability_proof(net, []) is not None
    if proven:
        r = rescaling_rank(net)
        assert lower <= r <= upper and bounds[0] <= r <= bounds[1]
    assert lower <= bounds[0] <= bounds[1] <= upper
