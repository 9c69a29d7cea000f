"""Counts of typed shallow fibres with dependent kink normals in general position
(:mod:`~semialg.families.shallow.type_counts`): the closed form for the sets $M$ of more than $m$ mixed hyperplanes
against the count visiting every pattern (the shortcut switched off) and against the enumeration of every type of
the index (emptiness type by type, by the rank proposition); never a wrong count where it was undecided before."""

from __future__ import annotations

import random
import time

import numpy as np
import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.core.network import Network
from semialg.errors import UndecidedError
from semialg.families.shallow.type_counts import general_position
from semialg.families.shallow.type_geometry import TypeGeometry
from semialg.families.shallow.typed import TypedShallowFibre


def _net(seed: int, m: int, n: int, k: int, dead: int, twins: int = 0) -> Network:
    """Rows in general position (distinct random rationals), ``dead`` zero output columns, ``twins`` pairs."""
    rng = random.Random(seed)
    q = lambda: fmpq(rng.randint(-40, 40), rng.randint(1, 7))  # noqa: E731
    W1, b1 = [[q() for _ in range(m)] for _ in range(n)], [q() for _ in range(n)]
    W2 = [[q() if j >= dead else fmpq(0) for j in range(n)] for _ in range(k)]
    for t in range(twins):
        i = dead + 2 * t
        W1[i + 1], b1[i + 1] = [2 * x for x in W1[i]], 2 * b1[i]
    return Network.from_arrays([W1, W2], [b1, [q() for _ in range(k)]])


def _visiting_every_pattern(G: TypeGeometry, live: bool = False) -> int:
    H = TypeGeometry(G.K, G.n, G.budget)
    H.uniform_tail = False
    return H.count(live)


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10 ** 6), st.sampled_from([(1, 4, 1, 2, 0), (1, 5, 1, 3, 0), (1, 4, 2, 0, 1),
                                                 (1, 4, 2, 2, 0), (1, 5, 2, 2, 0)]))
def test_general_position_counts_as_the_enumeration_of_types(seed, shape):
    m, n, k, dead, twins = shape
    F = sa.fibre(_net(seed, m, n, k, dead, twins))
    if not isinstance(F, TypedShallowFibre):
        return
    G = F.geometry
    nonempty = [t for t in F.index if G.is_nonempty(t)]
    live = sum(1 for t in nonempty if not any(r[0] in ("D", "C+", "C-") for r in t))
    assert F.num_components == len(nonempty) == _visiting_every_pattern(G)
    assert G.count(live=True) == live == _visiting_every_pattern(G, live=True)


@pytest.mark.parametrize("shape", [(1, 12, 2, 3, 0), (2, 10, 2, 2, 0), (3, 9, 2, 2, 0), (2, 9, 1, 1, 1)])
def test_the_closed_form_is_the_sum_over_every_pattern(shape):
    F = sa.fibre(_net(0, *shape))
    G = F.geometry
    assert G.N > G.m and general_position(G)
    assert G.count() == _visiting_every_pattern(G) and G.count(True) == _visiting_every_pattern(G, True)


def test_general_position_is_decided_exactly():
    parallel = _net(1, 2, 6, 1, 2)
    W1 = [list(r) for r in parallel.weights[0]]
    W1[3] = [2 * x for x in W1[2]]                    # the same normal, another offset: not in general position
    b1 = list(parallel.biases[0])
    b1[3] = b1[2] * 2 + 1
    G = sa.fibre(Network.from_arrays([W1, parallel.weights[1]], [b1, parallel.biases[1]])).geometry
    assert not general_position(G) and general_position(sa.fibre(parallel).geometry)


def test_undecided_before_now_counted():
    """1-26-1 and 1-26-2 with eight dead neurons: the patterns exceeded the budget (undecided); now the sets
    of at most m mixed hyperplanes are visited and the rest is a closed form."""
    rng = np.random.default_rng(0)
    for m, n, k, dead in ((1, 26, 1, 8), (1, 26, 2, 8)):
        W1, b1 = rng.normal(size=(n, m)).astype(np.float32), rng.normal(size=n).astype(np.float32)
        W2, b2 = rng.normal(size=(k, n)).astype(np.float32), rng.normal(size=k).astype(np.float32)
        W2[:, :dead] = 0
        G = sa.fibre(Network.from_arrays([W1, W2], [b1, b2])).geometry
        with pytest.raises(UndecidedError):
            _visiting_every_pattern(G)
        start = time.perf_counter()
        assert G.count() > 0 and time.perf_counter() - start < 10
