"""The dimension of a typed shallow fibre by upper bounds per pattern size
(:mod:`semialg.families.shallow.type_bounds`).

Checked against the dimension over every pattern (:meth:`TypeGeometry.dimension`, with the normals' shortcut and with
it switched off), against brute force (every type of the index, dimension by the rank proposition), and the bound
itself against every non-empty type of its size. With dependent normals ($N > m$) the full maximum was undecided or
slow (2-40-2 with two dead neurons: $2^{34}$ subset sums; 3-30-2 with a dead neuron: 202 s); the bound of the
pattern of $\\theta$ settles it at once.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.families.shallow.type_bounds import bounded_dimension, size_bound
from semialg.families.shallow.type_geometry import Pattern, TypeGeometry
from semialg.families.shallow.typed import TypedShallowFibre
from test_typed_fibre_scale import planted


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6), st.sampled_from([(1, 3, 1), (1, 4, 2), (2, 4, 2), (2, 5, 1), (3, 4, 3), (2, 3, 3)]))
def test_bounded_dimension_is_the_maximum_over_the_types(seed, arch):
    net = planted(seed, *arch)
    F = sa.fibre(net)
    if not isinstance(F, TypedShallowFibre):
        return
    G = F.geometry
    dims: dict = {}
    for t in F.index:
        if (d := G.type_dimension(t)) is not None:
            P = Pattern.of(t, G.N)
            size = (len(P.mixed), P.mixed_groups)
            dims[size] = max(dims.get(size, d), d)
    for (mu, p), d in dims.items():
        assert size_bound(G.m, G.k, G.n, G.N, mu, p) >= d
    best = max(dims.values())
    dependent = TypeGeometry(G.K, G.n)
    dependent.tensors._shares = (None,)
    witness = G.type_of(net)
    assert F.dimension == best == G.dimension() == bounded_dimension(G) == bounded_dimension(dependent, witness)


def _float_net(shape, dead: int = 0, twins: int = 0) -> Network:
    rng = np.random.default_rng(0)
    m, n, k = shape
    W1, b1 = rng.normal(size=(n, m)).astype(np.float32), rng.normal(size=n).astype(np.float32)
    W2, b2 = rng.normal(size=(k, n)).astype(np.float32), rng.normal(size=k).astype(np.float32)
    W2[:, :dead] = 0
    for t in range(twins):
        i = dead + 2 * t
        W1[i + 1], b1[i + 1] = 2 * W1[i], 2 * b1[i]
    return Network.from_arrays([W1, W2], [b1, b2])


@pytest.mark.parametrize("shape, dead, twins, dim", [((2, 40, 2), 2, 0, 44), ((3, 30, 2), 1, 0, 33),
                                                     ((2, 32, 2), 0, 2, 36), ((10, 64, 3), 1, 0, 74)])
def test_dependent_normals_are_decided(shape, dead, twins, dim):
    """Undecided or over a minute before; $\\theta$'s type with every slot beyond the first on its hyperplane made dead
    (no mixed hyperplane, no mixed group) attains the bound of the top size: its dimension by the rank proposition
    is the answer."""
    net = _float_net(shape, dead, twins)
    F = sa.fibre(net)
    G = F.geometry
    assert G.N > G.m and G.tensors.shares() is None
    seen: set = set()
    top = tuple(("D",) if r[0] != "K" or r[1] in seen or seen.add(r[1]) else r for r in F.locate(net))
    assert F.dimension == dim == size_bound(G.m, G.k, G.n, G.N, 0, 0) == G.type_dimension(top)
