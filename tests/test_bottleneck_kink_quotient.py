"""Local dimensions in the quotient by the seen kinks' equations (semialg.families.bottleneck.kink_quotient).

The lemma behind it, rank [E; J] = rank E + rank JK with E the seen kinks' equations and K the basis of ker E that
keeps each pinned row on its line, is checked on exact matrices (the full Jacobian rows at the same inputs); every
move satisfies E and the reduced moves have the rank of the full ones; the bounds bracket the local dimension
decided with the first layer's arrangement; wide parameters, beyond the arrangement and (at 784 inputs) beyond the
full Jacobian's memory, get the values counted by hand.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

from semialg import Network
from semialg.core.exact import rank
from semialg.engine import tangent
from semialg.core.modular import BLAS_PRIME, residues
from semialg.engine.jacobian import jacobian_mod, layers_mod, parameter_jacobian
from semialg.families.bottleneck.kink_equations import _uncancelled_lines, seen_kink_equations
from semialg.families.bottleneck.arrangement import _BUILT
from semialg.families.bottleneck.kink_quotient import _pinned_rescalings, _reduced_moves, quotient_bounds
from semialg.families.bottleneck.local import local_dimension_bounds
from semialg.families.bottleneck.types import _one_signed, combinatorial_type
from semialg.families.bottleneck.views import OuterView
from test_bottleneck_local_bounds import _net


def _small(seed: int) -> Network:
    """A 3-n1-1-n3 parameter (twins, opposite pairs, far neurons planted) with one to three outputs."""
    rng = random.Random(seed)
    net = _net(rng, rng.randint(2, 5), rng.choice(["twin", "opposite", "far", "plain"]), 3)
    c = [[rng.choice([-2, -1, 1, 3])] for _ in range(rng.randint(1, 3))]
    return Network.from_arrays([net.weights[0], net.weights[1], c], [net.biases[0], net.biases[1], [0] * len(c)])


def _kernel_basis(net: Network, pinned: list[int]) -> list[list[fmpq]]:
    """K (D x C, as rows): the identity on the plain coordinates, theta_k on the block of each pinned neuron."""
    D, n0 = net.architecture.num_parameters, net.widths[0]
    (W_at, *_), (b_at, *_) = tangent.parameter_offsets(net.architecture)
    block = {W_at + k * n0 + q: (r, q) for r, k in enumerate(pinned) for q in range(n0)}
    block.update({b_at + k: (r, n0) for r, k in enumerate(pinned)})
    plain = [i for i in range(D) if i not in block]
    theta = [list(net.weights[0][k]) + [net.biases[0][k]] for k in pinned]
    K = [[fmpq(0)] * (len(plain) + len(pinned)) for _ in range(D)]
    for j, i in enumerate(plain):
        K[i][j] = fmpq(1)
    for i, (r, q) in block.items():
        K[i][len(plain) + r] = theta[r][q]
    return K


def _smooth_inputs(net: Network, count: int, seed: int) -> list:
    rng, out = random.Random(seed), []
    while len(out) < count:
        x = [fmpq(rng.randint(-90, 90), 10) for _ in range(net.widths[0])]
        if not any(0 in layer for layer in net.activation_pattern(x)):
            out.append(x)
    return out


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_the_quotient_rank_is_the_rank_with_the_equations(seed):
    """rank [E; J] = rank E + rank JK on exact matrices, rank E = n0 per pinned neuron, and every move m of
    the first-order bounds has Em = 0 with the same rank in the quotient's coordinates (m = K m~)."""
    net = _small(seed)
    t = combinatorial_type(net)
    pinned = [k for _, members in _uncancelled_lines(net, t, ("V",)) for k in members]
    if not any(OuterView.of(net).c) or not pinned:
        return
    E = seen_kink_equations(net, t)
    J = [list(row) for x in _smooth_inputs(net, 8, seed) for row in parameter_jacobian(net, x)]
    K = _kernel_basis(net, pinned)
    JK = (np.array(J, dtype=object) @ np.array(K, dtype=object)).tolist()
    assert rank(E) == net.widths[0] * len(pinned)
    assert rank(E + J) == rank(E) + rank(JK)
    M = tangent.move_directions(net)
    assert all(sum((g[i] * m[i] for i in range(len(m))), fmpq(0)) == 0 for g in E for m in M)
    columns = [list(col) for col in zip(*K)]
    assert all(rank(columns + [m]) == rank(columns) for m in M)       # m = K m~
    if getattr(_one_signed(OuterView.of(net)), "regime", None) != "T":   # else the quotient adds the e-d trade
        assert quotient_bounds(net, t)[0] == rank(M)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_modular_rows_along_directions_are_the_full_rows_times_the_basis(seed):
    """jacobian_mod with first = (i, T) equals the full modular rows times the basis that moves row i_j of the
    first layer along T_j and keeps the later layers' parameters."""
    net = _small(seed)
    rng = random.Random(seed)
    n0, n1, D = net.widths[0], net.widths[1], net.architecture.num_parameters
    neurons = [rng.randrange(n1) for _ in range(rng.randint(1, 2 * n1))]
    T = [[rng.randint(-5, 5) for _ in range(n0 + 1)] for _ in neurons]
    K = np.zeros((D, len(neurons) + D - n1 * (n0 + 1)), dtype=np.int64)
    for j, (i, d) in enumerate(zip(neurons, T)):
        K[[i * n0 + q for q in range(n0)] + [n1 * n0 + i], j] = d
    K[n1 * (n0 + 1):, len(neurons):] = np.eye(D - n1 * (n0 + 1), dtype=np.int64)
    layers = layers_mod(net)
    for x in _smooth_inputs(net, 3, seed):
        pattern = net.activation_pattern(x)
        full = jacobian_mod(layers, x, pattern)
        along = jacobian_mod(layers, x, pattern, first=(np.array(neurons), residues(T)))
        assert (along == (full.astype(object) @ (K % BLAS_PRIME).astype(object)) % BLAS_PRIME).all()


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_the_quotient_bounds_bracket_the_local_dimension(seed):
    """Against the bounds with the first layer's cells (its extra equations and moves): the intervals meet, and a
    decided value lies within the quotient's bounds."""
    net = _small(seed)
    found = quotient_bounds(net, combinatorial_type(net))
    if found is None:
        return
    lower, upper = local_dimension_bounds(net, budget=20)
    assert found[0] <= found[1] and found[0] <= upper and lower <= found[1]
    if lower == upper:
        assert found[0] <= lower <= found[1]


def _wide(n0: int, n1: int, n3: int, twin: bool = False, seed: int = 0) -> Network:
    """Random integer rows (Gaussian times 64), output weights in {-3..3} minus 0; with ``twin`` neuron 1 is twice
    neuron 0 with the same positive output weight."""
    rng = np.random.default_rng(seed)
    W = np.round(rng.normal(size=(n1, n0)) * 64).astype(int)
    b, v = rng.integers(-64, 65, size=n1), rng.choice([-3, -2, -1, 1, 2, 3], size=n1)
    if twin:
        W[1], b[1], v[0], v[1] = 2 * W[0], 2 * b[0], 2, 2
    c = rng.choice([-3, -2, -1, 1, 2, 3], size=(n3, 1))
    return Network.from_arrays([W.tolist(), [v.tolist()], c.tolist()], [b.tolist(), [1], [0] * n3])


@pytest.mark.parametrize("twin", [False, True])
def test_wide_parameters_by_hand(twin):
    """64-24-1-3, beyond the arrangement: the rescalings of the 24 neurons and mu (h' = mu h, c' = c / mu), and
    with positive twins one trade of their output weights (only v_0 + 2 v_1 is seen): 25 and 26."""
    net = _wide(64, 24, 3, twin)
    value = 26 if twin else 25
    assert quotient_bounds(net, combinatorial_type(net)) == (value, value)
    assert local_dimension_bounds(net) == (value, value)


@pytest.mark.slow
def test_784_inputs_beyond_the_full_jacobian():
    """784-64-1-10 (D = 50,325): the full Jacobian's exact ranks would need gigabytes; in the quotient (178 columns)
    the rescalings and mu decide it, 65 by hand."""
    assert local_dimension_bounds(_wide(784, 64, 10)) == (65, 65)


def test_below_the_cell_limit_the_quotient_answers_first():
    """16-12-1-1 with positive twins: 4096 cells (just within the limit, each an LP in 16 dimensions); the quotient
    gives 14 by hand (12 rescalings, mu, one trade of the twins' output weights) before any cell is built."""
    net = _wide(16, 12, 1, twin=True)
    assert local_dimension_bounds(net) == (14, 14)
    assert net not in _BUILT          # no arrangement was built for it


def test_the_local_dimension_of_784_1024_1_10_is_decided():
    """A float32 784-1024-1-10 network: the local dimension is n1 + 1 = 1,025 (one rescaling per first-layer neuron
    and one of h), the lower bound proven by the moves; the upper bound needs about 2,000 independent Jacobian rows,
    which only inputs with h > 0 carry through the first two layers."""
    from conftest import float32_network
    assert local_dimension_bounds(float32_network((784, 1024, 1, 10)), budget=120) == (1025, 1025)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_reduced_moves_are_the_moves_in_the_basis_of_the_kernel(seed):
    """Every move m of move_entries is K m~ for its reduced m~ (K: theta_k on each pinned neuron's block, unit vectors
    on the others' and on the later layers), rebuilt densely here."""
    net = _small(seed)
    t = combinatorial_type(net)
    pinned = {k for _, members in _uncancelled_lines(net, t, ("V",)) for k in members}
    n0, n1, D = net.widths[0], net.widths[1], net.architecture.num_parameters
    view = OuterView.of(net)
    order = [(i, None if i in pinned else q) for i in range(n1) for q in (range(1) if i in pinned else range(n0 + 1))]
    directions = [(i, tuple(view.w[i]) + (view.b[i],)) if q is None else
                  (i, tuple(fmpq(int(r == q)) for r in range(n0 + 1))) for i, q in order]
    moves = tangent.move_entries(net)
    reduced = _reduced_moves(moves, view, order, n0, n1, D)
    if reduced is None:
        return
    unscaled = frozenset((0, i) for i in pinned)        # the pinned rescalings written directly are the same
    assert tangent.move_entries(net, unscaled) == [m for m in moves if m[0][0] >= n1 * n0 or
                                                   (0, m[0][0] // n0) not in unscaled or len(m) != n0 + 2]
    assert _pinned_rescalings(view, order) == [r for m, r in zip(moves, reduced) if len(m) == n0 + 2
                                               and m[0][0] < n1 * n0 and (0, m[0][0] // n0) in unscaled]
    end = n1 * (n0 + 1)
    for entries, small in zip(moves, reduced, strict=True):
        dense, rebuilt = [fmpq(0)] * D, [fmpq(0)] * D
        for index, x in entries:
            dense[index] += x
        for j, x in small.items():
            if j < len(directions):
                i, d = directions[j]
                for q in range(n0):
                    rebuilt[i * n0 + q] += x * d[q]
                rebuilt[n1 * n0 + i] += x * d[n0]
            else:
                rebuilt[end + j - len(directions)] += x
        assert rebuilt == dense
