from fractions import Fraction

import numpy as np
import pytest
import sympy
from flint import fmpq
from hypothesis import given, strategies as st

from semialg import Architecture, Network, ParameterError, ShapeError

from conftest import networks, points


def brute_force(net, x):
    """Independent evaluation with Python Fractions and explicit max(0, .)."""
    a = [Fraction(v) for v in x]
    for l, (W, b) in enumerate(net.layers()):
        z = [sum(Fraction(int(w.p), int(w.q)) * v for w, v in zip(row, a)) + Fraction(int(bi.p), int(bi.q))
             for row, bi in zip(W, b)]
        a = z if l == net.depth - 1 else [max(v, Fraction(0)) for v in z]
    return a


@given(st.data())
def test_exact_evaluation_matches_brute_force_and_floats(data):
    net = data.draw(networks())
    X = data.draw(points(net.architecture.input_dim, 5))
    exact = net.evaluate(X)
    for x, y in zip(X, exact):
        assert [Fraction(int(v.p), int(v.q)) for v in y] == brute_force(net, x)
    approx = net.evaluate_float([[float(v) for v in x] for x in X])
    expected = np.array([[float(v) for v in y] for y in exact])
    assert np.abs(approx - expected).max() <= 1e-9 * (1 + np.abs(expected).max())


@given(networks())
def test_parameter_vector_round_trip(net):
    arch = net.architecture
    theta = net.parameters()
    assert len(theta) == arch.num_parameters
    assert Network.from_parameters(arch, theta) == net


@given(networks())
def test_variables_name_every_parameter_in_order(net):
    V = net.variables()
    assert len(set(V.flat)) == net.architecture.num_parameters
    subs = V.substitution(net)
    for l, (W, b) in enumerate(net.layers()):
        assert V.weights[l].subs(subs) == sympy.Matrix([[sympy.Rational(int(x.p), int(x.q)) for x in r] for r in W])
        assert list(V.biases[l].subs(subs)) == [sympy.Rational(int(x.p), int(x.q)) for x in b]


def test_symbolic_forward_pass_agrees_on_a_region():
    net = Network.from_arrays([[[1, -1], [2, 1]], [[3, -1]]], [[0, 1], ["1/2"]])
    V = net.variables()
    x = [2, 1]
    pattern = net.activation_pattern(x)
    a = sympy.Matrix(x)
    for l in range(net.depth):
        z = V.weights[l] * a + V.biases[l]
        a = z if l == net.depth - 1 else sympy.Matrix([zi if s > 0 else 0 for zi, s in zip(z, pattern[l])])
    assert a.subs(V.substitution(net))[0] == sympy.Rational(int(net(x)[0].p), int(net(x)[0].q))


def test_architecture():
    A = Architecture(3, 4, 5, 2)
    assert A.num_parameters == 4 * 4 + 5 * 5 + 2 * 6
    assert A.num_hidden == 9 and A.depth == 3 and A.hidden_widths == (4, 5)
    assert Architecture((3, 4, 5, 2)) == A == Architecture.parse("3,4,5,2")
    for bad in [(3,), (3, 0, 1), (2, -1, 1), (2, 1.5, 1)]:
        with pytest.raises(ParameterError):
            Architecture(*bad)
    with pytest.raises(ParameterError):
        Architecture.parse("2,a,1")


def test_shape_errors():
    with pytest.raises(ShapeError, match="b1"):
        Network.from_arrays([[[1, 2]], [[1]]], [[1, 2], [0]])
    with pytest.raises(ShapeError, match="W2"):
        Network.from_arrays([[[1, 2]], [[1, 1]]], [[1], [0]])
    with pytest.raises(ShapeError):
        Network.from_arrays([[[1, 2]]], [])
    with pytest.raises(ParameterError, match=r"W1\[0\]\[1\]"):
        Network.from_arrays([[[1, float("nan")]], [[1]]], [[0], [0]])
    net = Network.random((2, 3, 1), seed=0)
    with pytest.raises(ShapeError):
        net([1, 2, 3])


def test_random_is_deterministic_and_nonzero():
    a = Network.random((3, 5, 2), seed=11)
    assert a == Network.random((3, 5, 2), seed=11)
    assert a != Network.random((3, 5, 2), seed=12)
    assert all(x != 0 for x in a.parameters())
    assert hash(a) == hash(Network.random((3, 5, 2), seed=11))


def test_repr_and_latex():
    net = Network.from_arrays([[[1, "-1/2"]], [[3]]], [[0], [1]])
    assert "-1/2" in repr(net)
    assert "\\frac{1}{2}" in net._repr_latex_()
