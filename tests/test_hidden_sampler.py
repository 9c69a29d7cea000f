"""Samples of hidden-neuron fibre components (case (a), types U-, U+) are members of simple type.

``component.sample(seed)`` must return an exact member of that component of *simple type* (every hidden slot with
$v'_j \\ne 0$, $w'_j \\ne 0$, on no visible line), so that ``F.component_of(sample)`` names the component again.
Old failure: for (2, 4, 1, 1), seed 52, the LP witness of the label classes with one U- slot is $w' = 0$,
$b' < 0$ (a constant dead neuron): a member, but ``component_of`` returned ``None``. Membership is checked
independently: exact evaluation at rational inputs against the parameter, and the region oracle.
"""

from __future__ import annotations

import functools
import itertools
import random

import pytest
from flint import fmpq

import semialg as sa
from semialg import Network
from semialg.core.exact import rank
from semialg.engine import regions as pl
from semialg.families import bottleneck as bn


@functools.lru_cache(maxsize=None)
def _hidden_generic(arch: tuple, seed: int) -> Network | None:
    """A random generic case-(a) parameter of regime PN with hidden neurons and non-parallel rows, or ``None``."""
    net = Network.random(arch, seed=seed, height=3)
    t = bn.combinatorial_type(net)
    if t.regime != "PN" or set(t.classes) == {"V"} or not set(t.classes) <= {"V", "U-", "U+"}:
        return None
    if rank(net.weights[0]) < 2 or not sa.genericity(net) or not all(c.holds for c in bn.type_checks(net)):
        return None
    return net


def _one_per_class(F) -> list:
    """One listed index per label class (flip set, multiset of hidden labels): the witness is per class."""
    out = {}
    for index in F.index:
        key = (frozenset(lab[1] for lab in index if lab[0] == "V" and lab[2]),
               tuple(sorted(lab for lab in index if lab[0] != "V")))
        out.setdefault(key, index)
    return list(out.values())


def _simple(x: Network) -> bool:
    """Every first-layer neuron has v' != 0 and w' != 0, and no two share a hyperplane (checked directly)."""
    rows = [tuple(w) + (b,) for w, b in zip(x.weights[0], x.biases[0], strict=True)]
    if any(v == 0 for v in x.weights[1][0]) or any(not any(r[:-1]) for r in rows):
        return False
    return all(rank([a, b]) == 2 for a, b in itertools.combinations(rows, 2))


def _check_samples(net: Network, seeds=range(3), oracle: bool = True) -> int:
    F = sa.fibre(net)
    rng, checked = random.Random(0), 0
    for index in _one_per_class(F):
        C = F.component(index)
        for s in seeds:
            x = C.sample(seed=s)
            assert _simple(x), f"sample of {C.label} is not of simple type: {x}"
            assert C.violated(x) is None and F.component_of(x) == index
            for _ in range(3):            # the same function: exact evaluation at random rational inputs
                p = [fmpq(rng.randint(-30, 30), rng.randint(1, 5)) for _ in range(net.architecture.input_dim)]
                assert x(p) == net(p)
            checked += 1
        if oracle:
            assert bool(pl.equivalent(net, x))
    return checked


def test_old_failure_one_dead_slot_witness_is_moved_to_simple_type():
    net = _hidden_generic((2, 4, 1, 1), 52)
    assert net is not None
    F = sa.fibre(net)
    for index in _one_per_class(F):
        if sorted(lab for lab in index if lab[0] != "V") in ([("U-", -1)], [("U-", 1)]) and not any(
                lab[0] == "V" and lab[2] for lab in index):
            for s in range(5):
                x = F.component(index).sample(seed=s)
                assert F.component_of(x) == index and _simple(x)
    assert _check_samples(net, oracle=False) > 0


def test_random_sample_index_is_the_enumeration_order():
    """``sample(index=None)`` unranks a uniform position of the enumeration without enumerating up to it."""
    F = sa.fibre(_hidden_generic((2, 4, 1, 1), 52))
    parts = F._sampler.__self__
    assert [parts.index.unrank(i) for i in range(parts.index.exact_size)] == list(F.index)
    with pytest.raises(IndexError):
        parts.index.unrank(parts.index.exact_size)


def _generic_seeds(arch: tuple, count: int) -> list[int]:
    return [s for s in range(300) if _hidden_generic(arch, s) is not None][:count]


@pytest.mark.parametrize("arch, seed", [(a, s) for a in [(2, 3, 1, 1), (2, 4, 1, 1), (2, 3, 1, 2)]
                                        for s in _generic_seeds(a, 2)])
def test_samples_of_every_label_class_are_of_simple_type(arch, seed):
    _check_samples(_hidden_generic(arch, seed), seeds=range(2))


@pytest.mark.slow
@pytest.mark.parametrize("arch", [(2, 3, 1, 1), (2, 4, 1, 1), (3, 3, 1, 1)])
def test_samples_over_many_parameters(arch):
    nets = [n for n in (_hidden_generic(arch, s) for s in range(120)) if n is not None]
    assert sum(_check_samples(net, seeds=range(4), oracle=False) for net in nets) > 0
