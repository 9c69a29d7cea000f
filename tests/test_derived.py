"""Data derived from a parameter is computed once per network and kept with it (Network.derived)."""

import numpy as np
import pytest

import semialg as sa
from semialg.families.shallow import view as view_module


def test_a_derived_value_is_computed_once_and_none_is_not_kept():
    net = sa.Network.random((2, 3, 1), seed=0)
    calls = []
    assert net.derived("x", lambda n: calls.append(n)) is None           # None: asked again next time
    assert net.derived("x", lambda n: calls.append(n) or 5) == 5
    assert net.derived("x", lambda n: 7) == 5 and calls == [net, net]
    assert sa.Network.random((2, 3, 1), seed=0).derived("x", lambda n: 7) == 7     # kept per network object


def test_an_equivalence_test_reads_the_integer_rows_once_per_network(monkeypatch):
    rng = np.random.default_rng(1)
    W1, W2 = rng.integers(-3, 4, size=(6, 3)).astype(np.float32), rng.integers(-3, 4, size=(2, 6)).astype(np.float32)
    a = sa.Network.from_arrays([W1, W2], [np.zeros(6, np.float32), np.zeros(2, np.float32)])
    b = sa.Network.from_arrays([W1[::-1].copy(), W2[:, ::-1].copy()], [np.zeros(6, np.float32), np.zeros(2, np.float32)])
    built = []
    original = view_module._integer_neuron_rows
    monkeypatch.setattr(view_module, "_integer_neuron_rows", lambda net: built.append(net) or original(net))
    assert sa.equivalent(a, b)
    assert len(built) == 2 and {id(n) for n in built} == {id(a), id(b)}
    R = view_module.integer_neuron_rows(a)[0]
    with pytest.raises(ValueError):
        R[0, 0] = 1                    # shared by every reader: read-only
