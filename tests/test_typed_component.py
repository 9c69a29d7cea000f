"""Components of typed shallow fibres build their polynomials and dimension on first access
(:class:`~semialg.families.shallow.type_component.TypeComponent`), with the semantics of a frozen dataclass: the
fields read are those built eagerly (the conditions of :meth:`_TypeEquations.conditions`, the dimension of the rank
proposition), equality, hashing, ``replace``, JSON and LaTeX as for the eager component, and no attribute can be set.
"""

from __future__ import annotations

import dataclasses
import itertools
import time

import pytest
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.families.shallow.component import FibreComponent
from semialg.families.shallow.type_component import TypeComponent
from semialg.families.shallow.typed import TypedShallowFibre
from test_typed_fibre_scale import planted
from test_typed_search import _float_net

FIELDS = ("equations", "strict", "nonstrict", "nonzero")


def _eager(F: TypedShallowFibre, roles) -> FibreComponent:
    eqs, strict, nonstrict, nonzero = F.build.__self__.conditions(roles)
    return FibreComponent(F.variables, eqs, strict, nonstrict, label=F.build(roles).label, index=roles,
                          nonzero=nonzero, dimension=F.geometry.type_dimension(roles), sampler=F.geometry.sample)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10 ** 6), st.sampled_from([(2, 3, 1), (3, 3, 2), (1, 3, 2)]))
def test_lazy_components_equal_the_eager_ones(seed, arch):
    net = planted(seed, *arch)
    F = sa.fibre(net)
    if not isinstance(F, TypedShallowFibre):
        return
    for B in itertools.islice(F.components(), 4):
        assert isinstance(B, TypeComponent) and not set(FIELDS + ("dimension",)) & set(vars(B))
        E = _eager(F, B.index)
        assert B.dimension == E.dimension and "equations" not in vars(B)
        assert all(getattr(B, f) == getattr(E, f) for f in FIELDS) and set(FIELDS) <= set(vars(B))
        again = F.build(B.index)            # equal and hashed alike, built or not (dataclass equality: same class)
        assert B == again and hash(B) == hash(F.build(B.index)) and B != E
        assert B.to_json() == {**E.to_json(), "type": "TypeComponent"}
        assert sa.to_latex(B) == sa.to_latex(E)
        assert B.contains(B.sample(seed=seed)) and sa.equivalent(net, B.sample(seed=seed))
        C = dataclasses.replace(B, label="x")
        assert C == B and C.label == "x" and C.equations == B.equations and C.dimension == B.dimension
        with pytest.raises(dataclasses.FrozenInstanceError):
            B.equations = ()


def test_listing_at_784_16_10_builds_no_polynomial():
    """Before: the first component of a dead neuron at 784-4-10 did not come in 10 minutes (about 3 * 10^5 minors
    a slot, expanded by sympy); now a hundred come with neither polynomials nor dimensions computed."""
    F = sa.fibre(_float_net(16, dead=2))
    start = time.perf_counter()
    comps = list(itertools.islice(F.components(), 100))
    assert time.perf_counter() - start < 10
    assert all(not set(FIELDS + ("dimension",)) & set(vars(B)) for B in comps)
    assert comps[0].dimension == F.geometry.type_dimension(comps[0].index) and "equations" not in vars(comps[0])
