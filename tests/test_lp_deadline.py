"""The float LP behind exact strict feasibility stops at a deadline (HiGHS's time limit): one LP of 4,096 rows in 784
variables, the first cell of a 784-4096-10 network's regions, took 80 s and made ``regions(budget=2)`` answer after
78 s. Past the deadline the answer is undecided, never the exact fallback's minutes."""

from __future__ import annotations

import time

import numpy as np
import pytest
from flint import fmpq

import semialg as sa
from conftest import float32_network
from semialg.errors import UndecidedError
from semialg.geometry.polyhedron import _solve_lp_scipy, decide


def _system(rows: int, dim: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    G = [tuple(fmpq(int(v)) for v in r) for r in rng.integers(-9, 10, size=(rows, dim))]
    h = tuple(fmpq(int(v)) for v in rng.integers(1, 20, size=rows))       # x = 0 satisfies Gx + h > 0
    return G, h


def test_a_spent_deadline_stops_the_lp_and_the_exact_fallback():
    G, h = _system(300, 40)
    with pytest.raises(UndecidedError, match="deadline"):
        decide(G, h, 40, deadline=time.monotonic() - 1)
    found = decide(G, h, 40, deadline=time.monotonic() + 60)
    assert found and all(sum(g * x for g, x in zip(r, found.point)) + c > 0 for r, c in zip(G, h))


def test_highs_keeps_its_time_limit():
    rng = np.random.default_rng(1)
    Gf, hf = rng.standard_normal((3000, 400)), rng.random(3000) + 0.1
    assert _solve_lp_scipy(Gf, hf, deadline=time.monotonic() - 1) is None
    t, x, _ = _solve_lp_scipy(Gf, hf)
    assert t > 0 and (Gf @ x + hf > 0).all()


@pytest.mark.slow
def test_regions_of_784_4096_10_keep_their_budget():
    net = float32_network((784, 4096, 10))
    start = time.monotonic()
    with pytest.raises(UndecidedError, match="budget"):
        sa.regions(net, budget=2)
    assert time.monotonic() - start < 2 + 5           # was 78 s, then 4.6 s


def test_the_rows_of_a_wide_layer_are_not_all_read_past_the_deadline(monkeypatch):
    """Reading a 784-4096 layer's rows as exact rationals took 2.5 s that no deadline cut (``regions(budget=2)``
    answered after 4.6 s). The deadline is now checked every 256 rows: when it passes while the first row is read,
    256 rows are read, not 1,024."""
    import semialg.engine.regions as regions
    net = float32_network((784, 1024, 10))
    read, normalise = [], regions.normalise_row

    def slow_first(row):
        if not read:
            time.sleep(3.5)
        read.append(row)
        return normalise(row)

    monkeypatch.setattr(regions, "normalise_row", slow_first)
    with pytest.raises(UndecidedError, match="budget"):
        sa.regions(net, budget=3)
    assert len(read) == 256
