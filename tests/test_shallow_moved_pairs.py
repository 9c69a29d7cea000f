"""An opposite pair moved to another kink's hyperplane (shallow ``moved_pair``, and in case-(a) bottlenecks the
same move of $h$): checked against exact evaluation (Fractions, written here) and against ``identifiable``.

An audit of listings against ``identifiable`` found 2-4-1 inner networks proven not identifiable by such a member
of the shallow fibre with nothing listed."""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg import Network
from semialg.families.shallow import hidden_symmetries


def _h(W, b, a, c, x) -> Fraction:
    return sum((ai * max(sum((wk * xk for wk, xk in zip(w, x)), bi), 0) for w, bi, ai in zip(W, b, a)), c)


def test_the_pair_on_x_1_moves_to_y_minus_1():
    """$h = -\\sigma(y - 2x) + 2\\sigma(2x - 2) - \\sigma(-2y - 2) + 2\\sigma(1 - x) + 1$. By hand: the pair on
    $x = 1$ is $3\\sigma(2x - 2) - 2x + 2$; neuron 1 flipped is $-\\sigma(2x - y) + 2x - y$; the single on $y = -1$
    is $-2\\sigma(y + 1) + 2y + 2$; the linear parts sum to $(y + 1) + 3$, which a pair on $y = -1$ takes:
    $-2\\sigma(y + 1) + (y + 1) = -\\sigma(y + 1) - \\sigma(-y - 1)$. So $h' = 3\\sigma(2x - 2) - \\sigma(2x - y)
    - \\sigma(y + 1) - \\sigma(-y - 1) + 4$, with its pair on another hyperplane: outside $G$."""
    theta = ([[-2, 1], [2, 0], [0, -2], [-1, 0]], [0, -2, -2, 1], [-1, 2, -1, 2], 1)
    member = ([[2, 0], [2, -1], [0, 1], [0, -1]], [-2, 0, 1, -1], [3, -1, -1, -1], 4)
    rng = random.Random(3)
    for _ in range(300):
        x = (Fraction(rng.randint(-300, 300), rng.randint(1, 30)), Fraction(rng.randint(-300, 300), rng.randint(1, 30)))
        assert _h(*member, x) == _h(*theta, x)
    net = Network.from_arrays([theta[0], [theta[2]]], [theta[1], [theta[3]]])
    (m,) = [m for m in hidden_symmetries(net) if m.name == "moved_pair"]
    assert "1 (pair, hyperplane) choice(s)" in m.description and {1, 2, 3} <= set(m.neurons)
    assert sa.equivalent(net, Network.from_arrays([member[0], [member[2]]], [member[1], [member[3]]])).equivalent
    bottleneck = Network.from_arrays([theta[0], [theta[2]], [[-2]]], [theta[1], [theta[3]], [1]])
    assert "opposite pair moved to another kink" in [m.name for m in sa.hidden_symmetries(bottleneck)]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([(1, 4), (2, 4), (2, 5), (3, 5)]), st.integers(0, 2**20))
def test_a_moved_pair_is_listed_only_where_identifiable_finds_a_member(widths, seed):
    """Random shallow parameters with a planted opposite pair: where ``moved_pair`` is listed (decided), the fibre
    is more than the $G$-orbit — ``identifiable`` (the shallow fibre's components) says so."""
    n0, n1 = widths
    rng = random.Random(seed)
    W = [[rng.randint(-2, 2) for _ in range(n0)] for _ in range(n1 - 1)]
    W[0][rng.randrange(n0)] = rng.choice([-2, 1, 2])
    scale = rng.choice([1, 2, 3])
    b = [rng.randint(-2, 2) for _ in range(n1 - 1)]
    W.append([-scale * x for x in W[0]])
    b.append(-scale * b[0])
    a = [rng.choice([-2, -1, 1, 2, 3]) for _ in range(n1)]
    net = Network.from_arrays([W, [a]], [b, [rng.randint(-2, 2)]])
    moved = [m for m in hidden_symmetries(net) if m.name == "moved_pair"]
    if moved and "choice(s)" in moved[0].description:
        assert str(sa.identifiable(net, budget=20).status) == "not identifiable", net
