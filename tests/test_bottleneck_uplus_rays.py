"""U+ neurons of one sign all orthogonal to a recession direction of P-bar (audit, session 7): the component of
theta loses dimensions, so such a parameter is not generic; its explicit fibre is still built."""

from fractions import Fraction

import numpy as np
import pytest

import semialg as sa
from semialg import Network
from semialg.core.rational_matrix import RationalMatrix
from semialg.families import bottleneck as bn
from semialg.families.bottleneck.genericity import LOCAL_ONLY

ROWS = [[1, 2], [-2, -1], [-2, -1], [1, 2]]
B1 = [-1, -3, "-3/2", -2]
V = [1, -1, "1/3", "1/2"]


def net_with(rows, b1=B1, v=V):
    return Network.from_arrays([rows, [v], [[-3]]], [b1, [-2], ["-2/3"]])


def _f(net, x):
    """Exact evaluation with Fractions, independent of semialg's evaluation routine."""
    a = [Fraction(str(t)) for t in x]
    for l, (W, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        z = [sum((Fraction(str(w)) * t for w, t in zip(row, a, strict=True)), Fraction(str(c)))
             for row, c in zip(W, b, strict=True)]
        a = z if l == len(net.weights) - 1 else [max(t, Fraction(0)) for t in z]
    return a


@pytest.mark.slow     # about 16 s: the undecided class is branched 25 times deeper (opt-in: -m slow)
def test_parallel_one_sign_u_plus_rows_are_not_generic_but_get_their_fibre():
    net = net_with(ROWS)
    cond = next(c for c in bn.type_checks(net) if c.name == LOCAL_ONLY)
    assert cond.holds is False
    r = [Fraction(str(x)) for x in cond.witness]
    assert all(sum(Fraction(w) * t for w, t in zip(ROWS[i], r, strict=True)) == 0 for i in (0, 3))
    F = sa.fibre(net, budget=None)   # one class stays undecided: its branching stops at a depth, no RecursionError
    D = net.architecture.num_parameters
    fdim = sa.functional_dimension(net, method="batch").value
    # the fibre's top dimension is the formula, but near theta it is smaller than D - fdim
    assert F.dimension == D - fdim
    assert F.local_dimension() == D - fdim - 1
    assert F.contains(net)


def test_tilting_the_one_sign_u_plus_rows_apart_changes_f():
    """Tilts that keep the U+ block's linear part (the only first-order freedom the formula counts) leave
    the fibre; the separating point is checked by exact Fraction evaluation."""
    net = net_with(ROWS)
    for eps in (Fraction(1, 10), Fraction(-1, 7), Fraction(1, 1000)):
        rows = [[1, 2 + eps], [-2, -1], [-2, -1], [1, 2 - 2 * eps]]          # v_0 d + v_3 (-2 d) = 0
        moved = net_with([[str(x) for x in row] for row in rows])
        r = sa.equivalent(net, moved)
        assert not r and r.verify(net, moved)
        x = r.certificate.point
        assert _f(net, x) != _f(moved, x)


def test_only_one_sign_blocks_of_two_or_more_u_plus_neurons_are_checked():
    seen = 0
    for i in range(60):
        net = Network.random((2, 4, 1, 1), seed=i, height=3)
        t = bn.combinatorial_type(net)
        if t.case != "a" or t.regime != "PN" or "U+" not in t.classes:
            continue
        plus = [k for k, c in enumerate(t.classes) if c == "U+"]
        one_sign = len({net.weights[1][0][k] > 0 for k in plus}) == 1
        present = any(c.name == LOCAL_ONLY for c in bn.type_checks(net))
        assert present == (len(plus) >= 2 and one_sign)
        seen += 1
    assert seen > 5


def test_scaling_an_all_zero_integer_matrix_by_a_huge_denominator():
    """A group element with big denominators acting on an all-zero layer (audit, session 7): g = d exceeded
    int64 and the division overflowed inside verify."""
    M = RationalMatrix.from_integers(np.zeros((2, 3), dtype=np.int64), 10 ** 30 + 7)
    assert all(x == 0 for row in M for x in row)
    a = Network.from_arrays([[[0, 0]], [[0], [0]], [[0, -1]]], [[1], [1, 0], [0]])
    b = Network.from_arrays([[[0, 0]], [[0], [0]], [[0, "-1000003007000022/1000000007"]]],
                            [["8/3"], ["7/1000003", 0], [0]])
    r = sa.equivalent(a, b)
    assert r and r.verify(a, b)
