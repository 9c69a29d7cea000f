"""Role tuples that are no type of a typed shallow fibre, and points of another architecture.

``type_dimension`` once gave a number (or ``None``) for tuples outside the index — a wrong width, a group of one
slot, groups out of order — as if they were components; and ``contains`` of a network of another architecture
raised IndexError on fibres of at most 2,000 parameters. Membership in the index is checked against its
enumeration.
"""

from __future__ import annotations

import itertools
import random
import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.errors import ParameterError
from semialg.families.shallow.typed import TypeIndex, TypedShallowFibre

NET = Network.from_arrays([[[1, 0], [0, 1], [1, 1]], [[1, 2, 0]]], [[0, 1, 2], [0]])     # a dead neuron, N = 2


@pytest.mark.parametrize("roles, why", [
    ((("K", 0, 1), ("K", 1, 1)), "expected a tuple of 3 roles"),
    ((("K", 0, 1), ("K", 1, 1), ("D",), ("D",)), "expected a tuple of 3 roles"),
    ((("K", 0, 1), ("K", 0, -1), ("D",)), "kink hyperplane 1 carries no slot"),
    ((("K", 0, 1), ("K", 2, 1), ("K", 1, 1)), "kink hyperplane 2, but there are 2"),
    ((("K", 0, 1), ("K", 1, 2), ("D",)), "unknown role"),
    ((("K", 0, 1), ("K", 1, 1), ("X",)), "unknown role"),
    ((("K", 0, 1), ("K", 1, 1), ("P", 0, 1)), "phantom group 0 has a single slot"),
    ((("K", 0, 1), ("K", 1, 1), ("P", 1, 1)), "phantom group 1 before group 0"),
    ((("K", 0, 1), ("K", 1, 1), ("P", 0, -1)), "the first slot of phantom group 0 must be oriented +1"),
    ("KKD", "expected a tuple of 3 roles"),
])
def test_a_tuple_outside_the_index_is_refused_in_one_line(roles, why):
    F = sa.fibre(NET)
    assert roles not in F.index
    for method in (F.geometry.type_dimension, F.geometry.is_nonempty, F.geometry.sample):
        with pytest.raises(ParameterError, match=re.escape(why)) as err:
            method(roles)
        assert "\n" not in str(err.value) and len(str(err.value)) < 200


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 4), st.integers(0, 2))
def test_membership_in_the_index_is_its_enumeration(seed, n, N):
    """Every enumerated type is in the index; random tuples over the role alphabet are in it iff enumerated."""
    if N > n:
        return
    index = TypeIndex(n, N)
    types = set(index)
    assert all(t in index for t in types)
    alphabet = ([("K", h, s) for h in range(N + 1) for s in (1, -1)] + [("D",), ("C+",), ("C-",), ("X",)]
                + [("P", g, s) for g in range(3) for s in (1, -1)])
    rng = random.Random(seed)
    for _ in range(200):
        roles = tuple(rng.choice(alphabet) for _ in range(rng.choice([n, n, n, n + 1, max(n - 1, 0)])))
        assert (roles in index) == (roles in types), roles


def test_every_type_of_the_index_still_has_a_dimension_or_none():
    F = sa.fibre(NET)
    dims = [F.geometry.type_dimension(t) for t in itertools.islice(F.index, 400)]
    assert any(d is not None for d in dims) and any(d is None for d in dims)


def _dead(shape) -> Network:
    rng = np.random.default_rng(1)
    m, n, k = shape
    W1, b1 = rng.normal(size=(n, m)).astype(np.float32), rng.normal(size=n).astype(np.float32)
    W2, b2 = rng.normal(size=(k, n)).astype(np.float32), rng.normal(size=k).astype(np.float32)
    W2[:, 0] = 0
    return Network.from_arrays([W1, W2], [b1, b2])


@pytest.mark.parametrize("shape, others", [
    ((2, 3, 1), [(2, 2, 1), (3, 3, 1), (2, 3, 2), (2, 4, 1)]),
    ((40, 60, 3), [(40, 59, 3), (41, 60, 3), (2, 3, 1)]),     # beyond POLYNOMIAL_LIMIT: canonical forms
])
def test_a_network_of_another_architecture_is_no_member(shape, others):
    net = _dead(shape)
    F = sa.fibre(net)
    assert isinstance(F, TypedShallowFibre) and F.contains(net)
    for other in others:
        point = _dead(other)
        assert F.contains(point) is False and F.component_of(point) is None
        assert point not in F
