"""The budget of hidden-neuron fibres (case (a), types U-, U+): when it is spent the construction stops with
UndecidedError saying how many label classes it decided, through ``semialg.fibre`` and the ``semialg fibre``
command (exit 1, "undecided"); the memoised and vectorised decisions agree with membership checked
independently (exact evaluation, the region oracle)."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from flint import fmpq

import semialg as sa
from semialg import Network, save
from semialg.engine import regions as pl
from semialg.errors import UndecidedError
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.hidden_fibre import HiddenFibre

ROOT = Path(__file__).resolve().parents[1]
WIDE = ((2, 6, 1, 1), 97)          # five hidden neurons: 112 label classes, tens of seconds without a budget


def _wide() -> Network:
    net = Network.random(WIDE[0], seed=WIDE[1], height=3)
    t = bn.combinatorial_type(net)
    assert t.regime == "PN" and t.classes.count("V") == 1 and set(t.classes) <= {"V", "U-", "U+"}
    return net


def test_spent_budget_raises_undecided_saying_what_was_decided():
    with pytest.raises(UndecidedError) as err:
        sa.fibre(_wide(), budget=0)
    msg = str(err.value)
    m = re.search(r"after deciding (\d+) of (\d+) label classes", msg)
    assert m and int(m.group(1)) == 0 and int(m.group(2)) == 2 * 56    # 2^|V| * C(m + 3, 3), m = 5
    assert "budget of 0 s" in msg and "5 hidden neuron" in msg


def test_partial_progress_is_counted_and_budget_none_is_unlimited():
    net = Network.random((2, 3, 1, 1), seed=9, height=3)
    t = bn.combinatorial_type(net)
    full = HiddenFibre(net, t, budget=None, progress=False)
    assert HiddenFibre(net, t, budget=60.0, progress=False).decisions.keys() == full.decisions.keys()
    n = len(full.decisions)
    with pytest.raises(UndecidedError, match=rf"after deciding 0 of {n} label classes"):
        HiddenFibre(net, t, budget=-1, progress=False)


def test_cli_fibre_answers_undecided_with_exit_1(tmp_path):
    """The fibre stops at 90% of --budget with its own message (the wall clock, should it strike first on a
    loaded machine, answers undecided too). In a subprocess: the wall clock is a real SIGALRM."""
    save(_wide(), tmp_path / "wide.json")
    code = "import sys, semialg.ui.cli as c; sys.exit(c.main(sys.argv[1:]))"
    proc = subprocess.run([sys.executable, "-c", code, "fibre", "wide.json", "--budget", "4", "--json"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 1 and json.loads(proc.stdout)["status"] == "undecided"


def test_shallow_fibre_accepts_and_ignores_the_budget():
    net = Network.random((2, 3, 1), seed=1)
    assert sa.fibre(net, budget=0, progress=False).num_components == sa.fibre(net).num_components


def test_classes_proved_by_the_search_have_exact_members():
    """(2, 5, 1, 1), seed 10: label classes with negative and positive hidden slots that no sufficient LP decides,
    proved non-empty by an interior member near the necessary LP's witness or by a pinned LP (undecided before
    either). Their samples
    are members of simple type computing f (exact evaluation; the region oracle for one per class)."""
    net = Network.random((2, 5, 1, 1), seed=10, height=3)
    assert sa.genericity(net) and all(c.holds for c in bn.type_checks(net))
    F = sa.fibre(net, budget=None)
    parts = F._sampler.__self__
    found = [k for k, d in parts.decisions.items() if d.status == "nonempty" and d.how in ("near", "search", "pinned")]
    assert found
    for key in found:
        index = tuple([("V", k, k in key[0]) for k in parts.visible] + list(key[1]))
        C = F.component(index)
        assert C.condition is not None          # an off-P formula: negative slots with positive ones
        for s in range(2):
            x = C.sample(seed=s)
            assert F.component_of(x) == index and C.violated(x) is None
            for p in ([fmpq(1, 3), fmpq(-2)], [fmpq(5), fmpq(7, 2)], [fmpq(-4), fmpq(-1, 5)], [fmpq(9), fmpq(-8)]):
                assert x(p) == net(p)
        assert bool(pl.equivalent(net, x))


def test_budget_covers_the_search_for_a_generic_representative():
    """A non-generic parameter (a dead neuron): the fibre tries the theorem h' = mu h on the cells, then searches a
    generic theta~; a spent budget stops each with UndecidedError saying what was done, before any equivalence
    test (in the plane too, where the cells come from a sweep)."""
    import time
    from semialg.families.bottleneck.representative import generic_representative
    net = Network.from_arrays([[[1, 0], [0, 1], [-1, -2], [1, -1]], [[-1, -1, -1, 0]], [[2]]],
                              [[0, 0, 0, 1], [1], [1]])
    assert not sa.genericity(net)
    with pytest.raises(UndecidedError, match="the time budget was spent; done: 0 of the 6 cells"):
        sa.fibre(net, budget=0)
    with pytest.raises(UndecidedError, match="generic_representative: the time budget was spent; done: nothing"):
        generic_representative(net, deadline=time.monotonic())


def test_components_are_generated_lazily_and_take_a_budget():
    """5040 components (every neuron visible): a few are built without the others; a spent budget stops the
    iteration saying how many were yielded; every yielded component's sample is a member (region oracle)."""
    net = Network.random((2, 7, 1, 1), seed=0, height=3)
    F = sa.fibre(net)
    first = list(itertools.islice(F.components(progress=False), 3))
    assert len(first) == 3 and F.num_components == 5040
    for j, C in enumerate(first):
        assert bool(pl.equivalent(net, C.sample(seed=j)))
    with pytest.raises(UndecidedError, match="after yielding 0 of 5040 components"):
        next(F.components(budget=0))
