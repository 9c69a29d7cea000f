"""Shared hypothesis strategies: random architectures, exact networks, group elements, rational points."""

from __future__ import annotations

import functools
import importlib.util
import os
import signal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import settings, strategies as st

from semialg import Architecture, GroupElement, Network

# The default suite (CI, a fresh clone) replays a fixed sequence of examples, so that a run never fails by the
# luck of the draw; HYPOTHESIS_PROFILE=explore searches afresh with more examples (pin what it finds as a test).
settings.register_profile("default", max_examples=40, deadline=None, derandomize=True)
settings.register_profile("explore", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

rationals = st.fractions(min_value=-5, max_value=5, max_denominator=7)
positive = st.fractions(min_value=Fraction(1, 7), max_value=7, max_denominator=7)


def exact_value(Ws, bs, x) -> list[Fraction]:
    """The network of weight and bias lists ``Ws``, ``bs`` (Fractions) at the input vector ``x``, by its definition
    in Fractions: an oracle independent of semialg's evaluation."""
    a = list(x)
    for l, (W, b) in enumerate(zip(Ws, bs)):
        z = [sum((w * t for w, t in zip(row, a)), c) for row, c in zip(W, b)]
        a = z if l == len(Ws) - 1 else [max(t, Fraction(0)) for t in z]
    return a


@st.composite
def architectures(draw, min_depth=2, max_depth=4, max_width=4, max_io=3):
    depth = draw(st.integers(min_depth, max_depth))
    hidden = [draw(st.integers(1, max_width)) for _ in range(depth - 1)]
    return Architecture(draw(st.integers(1, max_io)), *hidden, draw(st.integers(1, max_io)))


@st.composite
def networks(draw, arch=None, entries=rationals, **arch_kw):
    arch = arch or draw(architectures(**arch_kw))
    theta = draw(st.lists(entries, min_size=arch.num_parameters, max_size=arch.num_parameters))
    return Network.from_parameters(arch, theta)


@st.composite
def group_elements(draw, arch):
    perms, scales = [], []
    for n in arch.hidden_widths:
        perms.append(draw(st.permutations(range(n))))
        scales.append(draw(st.lists(positive, min_size=n, max_size=n)))
    return GroupElement(perms, scales)


def points(dim, n=None):
    vec = st.lists(rationals, min_size=dim, max_size=dim)
    return vec if n is None else st.lists(vec, min_size=n, max_size=n)


ROOT = Path(__file__).resolve().parent.parent


def load_script(folder: str, name: str):
    """Import ``ROOT/folder/name.py`` (a benchmark or example script) as a module, with its folder importable
    (as when the script is run directly)."""
    import sys
    if str(ROOT / folder) not in sys.path:
        sys.path.insert(0, str(ROOT / folder))
    spec = importlib.util.spec_from_file_location(name, ROOT / folder / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def line_net(rng, n0: int, n1: int) -> Network:
    """A random case-(a) parameter with every first-layer row a multiple of one row $u$ (a ridge function of
    $u\\cdot x$; line_fibre.py), kinks at small rationals, output width 1."""
    u = [rng.choice([-1, 1, 2]) for _ in range(n0)]
    scales = [rng.choice([-2, -1, 1, 3]) for _ in range(n1)]
    places = [Fraction(rng.randint(-2, 2), rng.choice([1, 2])) for _ in range(n1)]
    W = [[s * x for x in u] for s in scales]
    b = [-s * q for s, q in zip(scales, places)]
    v = [rng.choice([-2, -1, 1, 2, 3]) for _ in range(n1)]
    return Network.from_arrays([W, [v], [[rng.choice([1, -2])]]], [b, [rng.randint(-2, 2)], [0]])


def check_listed_line_types(net: Network, rng, keep, per_piece: int = 10) -> int:
    """Check listed slot-piece types of ``net`` selected by ``keep(roles)`` (a random subset per piece): each samples
    an exact member (the equivalence oracle) that its basic set contains, that locates back to it and that no other
    listed component of the piece (a random subset) contains; D minus the exact functional dimension there bounds
    the type's dimension from above. Returns how many were checked."""
    import random

    import semialg as sa
    from semialg.engine.functional_dimension import functional_dimension
    from semialg.families.bottleneck.line_fibre import LineFibre
    L, checked = LineFibre(net), 0
    D = net.architecture.num_parameters
    for tag, piece in L.slots.items():
        index = list(piece.index)
        mine = [roles for _, roles in index if keep(roles)]
        for roles in rng.sample(mine, min(per_piece, len(mine))):
            member = piece.sample(roles, random.Random(checked))
            assert bool(sa.equivalent(member, net)), (net, roles)
            assert L.locate(member) == (tag, roles) and piece.build(roles).contains(member), (net, roles)
            assert D - functional_dimension(member).value >= piece.dimension(roles)
            others = [r for _, r in rng.sample(index, min(40, len(index))) if r != roles]
            assert not any(piece.build(r).contains(member) for r in others), (net, roles)
            checked += 1
    return checked


def within_bounds(net: Network, local_dimension) -> bool:
    """Whether ``local_dimension()`` decides (``False``: undecided), asserting the value within the first-order
    bounds of ``net`` (an independent proof of both sides)."""
    from semialg.errors import UndecidedError
    from semialg.families.bottleneck.local import local_dimension_bounds
    try:
        value = local_dimension()
    except UndecidedError:
        return False
    lower, upper = local_dimension_bounds(net)
    assert lower <= value <= upper, net
    return True


def float32_network(widths, seed: int = 0, bump: int | None = None) -> Network:
    """float32 weights $N(0, 1/n_{in})$ and biases $N(0, 0.01)$ read exactly, as a trained checkpoint is; with
    ``bump = l`` the first weight of $W_{l+1}$ one ulp larger (a near miss of the same function): the networks of
    ``benchmarks/bench_budgets.py``, which builds them."""
    return _budgets_benchmark().network(widths, seed, bump)


@functools.cache
def _budgets_benchmark():
    return load_script("benchmarks", "bench_budgets")


def onto_first_hyperplane(net, x):
    """``x`` with one coordinate changed so that the first neuron of layer 1 is exactly 0 there; ``None`` when that
    neuron's weights are all 0."""
    w, b = net.weights[0].row(0), net.biases[0][0]
    j = next((j for j, v in enumerate(w) if v != 0), None)
    if j is None:
        return None
    x = list(x)
    x[j] = 0
    x[j] = -(sum(wi * xi for wi, xi in zip(w, x)) + b) / w[j]
    return tuple(x)


@pytest.fixture(autouse=True)
def _forget_the_cut_cells():
    """The cut cells, the pieces of P and the faces of its boundary kept per network (``hidden_region._MEMO``) are
    forgotten before each test: a test with a fake clock sees the computation it means to stop, whatever ran before
    on its worker."""
    from semialg.families.bottleneck import hidden_region
    hidden_region._MEMO.clear()


@pytest.fixture
def hang_guard():
    """Turn a hang into a failure: hostile input must be refused at once (SIGALRM after 120 s, generous for a
    loaded machine: the refusals take milliseconds)."""
    def alarm(signum, frame):
        raise TimeoutError("hostile input was not refused promptly")
    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(120)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)
