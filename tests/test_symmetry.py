import pytest
from flint import fmpq
from hypothesis import given, strategies as st

from semialg import GroupElement, Network, ParameterError, ShapeError

from conftest import architectures, group_elements, networks, points


@given(st.data())
def test_group_action_preserves_the_function(data):
    arch = data.draw(architectures(max_depth=4))
    net = data.draw(networks(arch))
    g = data.draw(group_elements(arch))
    image = g.act(net)
    for x in data.draw(points(arch.input_dim, 6)):
        assert image(x) == net(x)


@given(st.data())
def test_composition_inverse_and_identity_laws(data):
    arch = data.draw(architectures())
    net = data.draw(networks(arch))
    g, h, k = (data.draw(group_elements(arch)) for _ in range(3))
    e = GroupElement.identity(arch)
    assert (g * h).act(net) == g.act(h.act(net))
    assert (g * h) * k == g * (h * k)
    assert g * g.inverse() == e == g.inverse() * g
    assert e.act(net) == net and e.is_identity
    assert g.inverse().act(g.act(net)) == net
    assert g ** 3 == g * g * g and g ** -1 == g.inverse()


def test_explicit_shallow_action():
    net = Network.from_arrays([[[1, 0], [0, 2]], [[3, 5]]], [[7, 11], [13]])
    g = GroupElement([[1, 0]], [[2, "1/3"]])
    out = g.act(net)
    # w'_i = lambda_i w_pi(i), b'_i = lambda_i b_pi(i), a'_i = a_pi(i) / lambda_i
    assert out.weights[0] == ((0, 4), (fmpq(1, 3), 0))
    assert out.biases[0] == (22, fmpq(7, 3))
    assert out.weights[1] == ((fmpq(5, 2), 9),)
    assert out.biases[1] == (13,)


def test_bad_group_elements():
    with pytest.raises(ParameterError, match="permutation"):
        GroupElement([[0, 0]], [[1, 1]])
    with pytest.raises(ParameterError, match="positive"):
        GroupElement([[0, 1]], [[1, 0]])
    with pytest.raises(ShapeError):
        GroupElement([[0, 1]], [[1, 1]]).act(Network.random((2, 3, 1), seed=0))


def test_a_large_group_element_is_shown_by_its_first_entries():
    # a move certificate at 784-4096-10 printed all 8,192 entries of its group element
    from semialg import Architecture
    from semialg.core.network import REPR_LIMIT
    small, large = (GroupElement.random(Architecture(2, n, 1), seed=3) for n in (5, REPR_LIMIT + 1))
    assert repr(small).count(",") == 2 * 5 - 1 and "..." not in repr(small)
    text = repr(large)
    assert len(text) < 200 and text.count("...") == 2
    assert text.startswith(f"GroupElement(pi1=[{', '.join(map(str, large.permutations[0][:6]))}, ...]")
    assert len(large.to_json()["scales"][0]) == REPR_LIMIT + 1         # the JSON keeps every entry
