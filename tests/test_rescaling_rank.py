"""The rank of the rescaling quantities' gradients (semialg.core.symmetry.rescaling_rank), read off the graph
of non-zero weights, against the exact rank of the gradient rows written out (with the unit rows of frozen
coordinates), on sparse random networks of every depth; and the counts built on it."""

from __future__ import annotations

from flint import fmpq, fmpq_mat
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.core.network import Architecture, Network
from semialg.core.symmetry import rescaling_rank

# zeros often, so that neurons lose their anchors and hidden layers split into components
SPARSE = st.one_of(st.just(fmpq(0)), st.just(fmpq(0)), st.integers(-3, 3).map(fmpq),
                   st.fractions(-2, 2, max_denominator=5).map(lambda q: fmpq(q.numerator, q.denominator)))


def _rank_written_out(net: Network, frozen) -> int:
    """The rank of the rows 2(theta_in_i, -theta_out_i) of the hidden neurons and the unit rows of ``frozen``,
    built from the flat parameters and their layout, exactly."""
    arch, theta = net.architecture, net.parameters()
    D, rows, start, layout = arch.num_parameters, [], 0, []
    for W in net.weights:
        r, c = W.shape
        layout.append((start, r, c))
        start += r * c + r
    for l in range(1, arch.depth):
        (s_in, r, c), (s_out, r2, c2) = layout[l - 1], layout[l]
        for i in range(r):
            row = [fmpq(0)] * D
            for k in list(range(s_in + i * c, s_in + (i + 1) * c)) + [s_in + r * c + i]:
                row[k] = 2 * theta[k]
            for m in range(r2):
                k = s_out + m * c2 + i
                row[k] = -2 * theta[k]
            rows.append(row)
    rows += [[fmpq(int(k == j)) for k in range(D)] for j in sorted(set(frozen))]
    return fmpq_mat(rows).rank() if rows else 0


@settings(max_examples=150, deadline=None)
@given(st.data(), st.lists(st.integers(1, 3), min_size=2, max_size=5))
def test_the_rank_is_that_of_the_gradients_written_out(data, widths):
    arch = Architecture(*widths)
    net = Network.from_parameters(arch, data.draw(st.lists(SPARSE, min_size=arch.num_parameters,
                                                           max_size=arch.num_parameters)))
    frozen = data.draw(st.lists(st.integers(0, arch.num_parameters - 1), max_size=4))
    assert rescaling_rank(net, frozen) == _rank_written_out(net, frozen)


def test_an_unanchored_chain_of_hidden_neurons_loses_one_dimension():
    """2-1-1-1 with zero input weights, biases and output weight... except the middle weight: the two hidden
    neurons form one component without an anchor, so their two gradients (both non-zero) are dependent."""
    net = Network.from_arrays([[[0, 0]], [[2]], [[0]]], [[0], [0], [1]])
    assert rescaling_rank(net) == 1 == _rank_written_out(net, ())
    assert sa.count_conservation_laws(net, budget=None).known == 1
