"""Steps after the type that no deadline cuts are not started when predicted to end past the budget: the
$G$-orbit fibre of case (a) and the shallow hidden symmetries of $h$ (at 784-4096-1-10 they overran a 2 s
budget by 2 s once the type fitted in it). The prediction is made huge here, so a small network shows it."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

import semialg as sa
from semialg.errors import UndecidedError

fibre_module = importlib.import_module("semialg.families.bottleneck.fibre")      # the package exports the function
mechanisms_module = importlib.import_module("semialg.families.bottleneck.mechanisms")


def _visible_network():
    """A case-(a) 3-5-1-2 float32 network whose neurons are all visible (the fibre is the G-orbit's)."""
    rng = np.random.default_rng(4)
    return sa.Network.from_arrays([rng.standard_normal((5, 3)).astype(np.float32),
                                   np.abs(rng.standard_normal((1, 5))).astype(np.float32),
                                   rng.standard_normal((2, 1)).astype(np.float32)],
                                  [rng.standard_normal(5).astype(np.float32), np.array([-0.5], dtype=np.float32),
                                   np.zeros(2, dtype=np.float32)])


def test_predicted_late_steps_are_not_started(monkeypatch):
    net = _visible_network()
    F = sa.fibre(net, budget=30)
    assert set(sa.combinatorial_type(net).classes) == {"V"}         # every neuron visible: the G-orbit fibre
    mechanisms = sa.hidden_symmetries(net, budget=30)
    monkeypatch.setattr(mechanisms_module, "INNER_SECONDS_PER_WEIGHT", 100.0)
    monkeypatch.setattr(fibre_module, "INNER_SECONDS_PER_WEIGHT", 100.0)
    with pytest.raises(UndecidedError, match="G-orbit fibre"):
        sa.fibre(net, budget=30)
    with pytest.raises(UndecidedError, match="hidden symmetries of h"):
        sa.hidden_symmetries(net, budget=30)
    assert sa.fibre(net, budget=None).dimension == F.dimension          # no budget: nothing is predicted
    assert sa.hidden_symmetries(net, budget=None) == mechanisms
