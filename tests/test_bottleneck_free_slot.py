r"""The theorem of the free slot (semialg.families.bottleneck.outer_fibre.free_slot_determined): one neuron beside
the kink hyperplanes of h, all seen on a connected P, and every way that neuron could carry the rest of h on P
refuted -- then every member has h' = mu h and the fibre is the typed shallow fibre of h times R_{>0}, complete.

Checked against the engine's region oracle (semialg.engine.regions.equivalent, independent of the family): the
members the theorem excludes (the free neuron as a U+ neuron with v' > 0 under every orientation of the seen
kinks, at several biases; as a U- neuron) do not compute f, and where its hypothesis fails (a linear part bounded
above on P-bar) a member with h' != h is exhibited.
"""

from __future__ import annotations

import itertools
import random

from flint import fmpq
from hypothesis import assume, given, settings, strategies as st

import semialg as sa
from semialg.engine.regions import equivalent as region_equivalent
from semialg.families.bottleneck.local import local_dimension_bounds
from semialg.families.bottleneck.outer_fibre import free_slot_determined
from semialg.families.bottleneck.rank_bound import fibre_dimension_bound
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import OuterView, bottleneck_case

#: a 3-5-1-1 parameter of a broad random scan (seed 506): neurons 1 and 5 share the hyperplane x2 = 2, the
#: four kink hyperplanes are seen on P, and no member is generic; its fibre's dimension was undecided (6 or 7)
TWINS = sa.Network.from_arrays(
    [[[0, 1, 0], [-1, 3, -2], [3, 1, 2], [-2, 3, 2], [0, -1, 0]], [[1, -2, -3, 2, -2]], [[-1]]],
    [[-2, -3, -3, 3, 2], [3], [0]])


def _inner(net):
    return OuterView.of(net).inner


def _seen_and_residual(net):
    """h = sum over its kinks delta_H s(u_H x + beta_H) + A0 x + c0, from the inner network's canonical form
    written out here: neurons grouped by their normalised hyperplane."""
    view = OuterView.of(net)
    groups = {}
    A0 = [fmpq(0)] * len(view.w[0])
    c0 = view.e
    for w, b, v in zip(view.w, view.b, view.v, strict=True):
        if not any(w) or v == 0:
            c0 += v * max(b, fmpq(0))
            continue
        k = next(x for x in w if x != 0)
        scale = abs(k)
        key = tuple(x / scale for x in w) + (b / scale,)
        if k < 0:       # v s(l) = v s(-l) + v l, with -l normalised
            A0 = [a + v * x for a, x in zip(A0, w, strict=True)]
            c0 += v * b
            key = tuple(-x for x in key)
        groups[key] = groups.get(key, fmpq(0)) + v * scale
    kinks = [(key[:-1], key[-1], d) for key, d in groups.items() if d != 0]
    return kinks, tuple(A0), c0


def _excluded_members(net, betas=(1, 8, 64)):
    """Parameters of the architecture that put one neuron on every kink hyperplane of h (under each orientation)
    and the free neuron as a U+ neuron with v' = 1 carrying the rest A on P, at several biases; or, where A = 0, as
    a U- neuron with v' = -1 far out in a few directions."""
    kinks, A0, c0 = _seen_and_residual(net)
    n0, outer = len(A0), ([list(r) for r in net.weights[2]], list(net.biases[2]))
    for eps in itertools.product((1, -1), repeat=len(kinks)):
        rows, vs, A, c = [], [], list(A0), c0
        for s, (u, beta, d) in zip(eps, kinks, strict=True):
            rows.append((tuple(s * x for x in u), s * beta))
            vs.append(d)
            if s < 0:
                A = [a + d * x for a, x in zip(A, u, strict=True)]
                c += d * beta
        W, b = [list(w) for w, _ in rows], [bb for _, bb in rows]
        if any(A):
            for beta in betas:
                yield sa.Network.from_arrays([W + [A], [vs + [1]], outer[0]], [b + [fmpq(beta)], [c - beta], outer[1]])
        else:
            for direction in ([1, 0, 0], [-1, 0, 0], [0, 1, 0], [1, 1, 1])[:2 * n0]:
                yield sa.Network.from_arrays([W + [direction[:n0]], [vs + [-1]], outer[0]],
                                             [b + [-1000], [c], outer[1]])


def test_twins_fibre_is_complete_with_dimension_six():
    t = combinatorial_type(TWINS)
    assert free_slot_determined(TWINS, t)
    F = sa.fibre(TWINS)
    assert "in part" not in F.describe() and "not listed" not in F.describe()
    assert F.dimension == 6 == local_dimension_bounds(TWINS)[0]
    assert fibre_dimension_bound(TWINS) == 7          # the rank bound alone left it open
    for k in range(6):
        member = F.sample(seed=k)
        assert region_equivalent(member, TWINS)
        h, h2 = _inner(TWINS), _inner(member)
        X = [(fmpq(random.Random(k).randint(-40, 40), 4), fmpq(j - 7, 3), fmpq(2 * j, 5)) for j in range(15)]
        ratios = {h2(x)[0] / h(x)[0] for x in X if h(x)[0] != 0}
        assert len(ratios) == 1 and ratios.pop() > 0       # h' = mu h


def test_the_members_the_theorem_excludes_do_not_compute_f():
    candidates = list(_excluded_members(TWINS))
    assert len(candidates) >= 16
    assert not any(region_equivalent(c, TWINS) for c in candidates)


def test_a_linear_part_bounded_above_leaves_other_members():
    """h = 1 - s(x) - s(-x) - 2 s(y): P is a strip running down, every linear part is bounded above on P-bar along
    its only ray, so a U+ neuron with v' < 0 may carry it -- and does: -2 s(x) - 2 s(y) - s(2 - x) + 3 is a member
    with h' != h (they differ at x = 5)."""
    net = sa.Network.from_arrays([[[1, 0], [-1, 0], [0, 1]], [[-1, -1, -2]], [[1]]], [[0, 0, 0], [1], [0]])
    other = sa.Network.from_arrays([[[1, 0], [0, 1], [-1, 0]], [[-2, -2, -1]], [[1]]], [[0, 0, 2], [3], [0]])
    assert not free_slot_determined(net, combinatorial_type(net))
    assert region_equivalent(net, other)
    assert _inner(net)([5, 0]) != _inner(other)([5, 0])


def _twins_network(seed: int):
    """A random n0-(m+1)-1-1 parameter: m random rows and a twin of the first (a positive or negative multiple)."""
    rng = random.Random(seed)
    n0, m = rng.choice([2, 3]), rng.choice([2, 3, 4])
    W = [[rng.randint(-3, 3) for _ in range(n0)] for _ in range(m)]
    b = [rng.randint(-3, 3) for _ in range(m)]
    s = rng.choice([-2, -1, 1, 2])
    W.append([s * x for x in W[0]])
    b.append(s * b[0])
    v = [rng.choice([-3, -2, -1, 1, 2, 3]) for _ in range(m + 1)]
    return sa.Network.from_arrays([W, [v], [[rng.choice([-1, 1])]]], [b, [rng.randint(-3, 3)], [0]])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_where_the_theorem_applies_no_excluded_member_computes_f(seed):
    net = _twins_network(seed)        # the theorem applies to 131 of seeds 0-299
    assume(bottleneck_case(net) == "a" and free_slot_determined(net, combinatorial_type(net)))
    assert not any(region_equivalent(c, net) for c in _excluded_members(net, betas=(1, 16)))
    F = sa.fibre(net)
    assert "in part" not in F.describe()
    lower, _ = local_dimension_bounds(net)
    bound = fibre_dimension_bound(net)
    assert lower <= F.dimension and (bound is None or F.dimension <= bound)
    assert region_equivalent(F.sample(seed=seed), net)
