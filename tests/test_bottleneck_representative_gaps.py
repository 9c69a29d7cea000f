"""Representatives of non-generic case-(a) parameters (issue 17, item 4): ridge functions behind rows off the
common direction, hidden rows from the exact cone of directions bounded on P-bar, and the exact refusal when no
member of the fibre can have full first-layer rank.

Checked independently of the fibre code: exact evaluation at rational points, the region oracle
(``semialg.engine.regions.equivalent``), ``semialg.genericity`` and the type checks.
"""

from __future__ import annotations

import random

import pytest
from flint import fmpq

import semialg as sa
from semialg import Network
from semialg.core.exact import rank
from semialg.engine import regions as pl
from semialg.families import bottleneck as bn


def _make(rows, b1, v, e, c, d) -> Network:
    return Network.from_arrays([rows, [v], [[x] for x in c]], [b1, [e], d])


def _points(rng, n0, k=12):
    return [[fmpq(rng.randint(-40, 40), rng.randint(1, 7)) for _ in range(n0)] for _ in range(k)]


def _same_values(a: Network, b: Network, rng) -> bool:
    return all(a(p) == b(p) for p in _points(rng, a.architecture.input_dim))


def _generic(net: Network) -> bool:
    return bool(sa.genericity(net)) and all(c.holds for c in bn.type_checks(net))


RIDGES = {
    # h = s(x1) - 1 and a dead neuron with row (0, 1)
    "dead": _make([[1, 0], [0, 1]], [0, 0], [1, 0], -1, [1], [0]),
    # h = s(x1) + s(x1 - 2) - 3 (P = {x1 > 2}) and a cancelling pair on the line x1 + x2 = 1
    "cancelling": _make([[1, 0], [1, 0], [1, 1], [1, 1]], [0, -2, -1, -1], [1, 1, 2, -2], -3, [2, -1], [1, 0]),
    # n0 = 3, a bounded h of x1 - x3 (a bump) and dead neurons in two other directions
    "bump-3d": _make([[1, 0, -1], [1, 0, -1], [0, 1, 0], [1, 1, 1]], [1, -1, 2, 0], [1, -2, 0, 0], 0, [3], [0]),
}


@pytest.mark.parametrize("name", sorted(RIDGES))
def test_ridge_function_behind_rows_off_its_direction(name):
    net = RIDGES[name]
    rng = random.Random(7)
    assert rank(net.weights[0]) >= 2 and not _generic(net)
    F = sa.fibre(net)
    R = F.generic_representative
    assert R is not None and not R.generic and R.verify()
    rep = R.network
    # theta~: parallel rows, same function, by the region oracle and by exact evaluation
    assert rank(rep.weights[0]) == 1
    assert bool(pl.equivalent(rep, net)) and _same_values(rep, net, rng)
    assert F.network is net and "representative" in F.describe()
    assert F.contains(net)
    assert F.num_components > 0
    for j in list(F.index)[:: max(1, F.num_components // 5)][:5]:
        x = F.component(j).sample(seed=1)
        assert _same_values(x, net, rng) and bool(pl.equivalent(x, net))
        theta = list(x.parameters())
        for _ in range(3):       # perturbations: membership agrees with the region oracle
            q = rng.randrange(len(theta))
            y = list(theta)
            y[q] += fmpq(rng.choice((-1, 1)), rng.choice((1, 3, 50)))
            z = Network.from_parameters(net.architecture, y)
            assert F.contains(z) == bool(pl.equivalent(z, net))
    # moving the dead / off-direction neurons anywhere keeps the function (and membership)
    if name == "dead":
        moved = _make([[1, 0], [3, -5]], [0, 7], [1, 0], -1, [1], [0])
        assert F.contains(moved) and bool(pl.equivalent(moved, net))
