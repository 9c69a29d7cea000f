"""The labels of the case-(a) identifiability witnesses: neurons numbered from 1 (as in every describe() of the
package's prose, e.g. the shallow moves), and the mechanism named in plain words. The neurons a label names are
compared with the first-layer neurons the candidate actually changes (an independent computation), so an
off-by-one or a wrong name fails."""

from __future__ import annotations

import random
import re

from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.engine.identifiability import identifiable
from semialg.families.bottleneck.identifiability import hidden_neuron_witnesses
from semialg.families.shallow.moves import ClearDeadNeuron

#: The mechanism each label starts with, and whether it moves one neuron, a pair or several.
_MECHANISMS = {r"U\+ neuron \d+ \(v > 0\) moved away from P": "one",
               r"U- neuron \d+ \(v > 0\) moved away from P": "one",
               r"U- neuron \d+ \(v < 0\) doubled": "one", r"U\+ neuron \d+ \(v < 0\) moved towards P": "one",
               r"U\+ neuron \d+ \(v < 0\) reflected beyond P": "one",
               r"opposite pair \d+, \d+ sharing a hyperplane, the kink carried by neuron \d+, neuron \d+ "
               r"(shifted off|reflected beyond) P": "pair",
               r"hidden neurons \d+(, \d+)* shifted together": "several",
               r"inner network h replaced by an equivalent one outside its orbit \(": "inner",
               r"opposite pair \d+, \d+ sharing a hyperplane, the kink carried by neuron \d+( \(flipped\))?, "
               r"(neurons \d+(, \d+)*|no other neuron) flipped, neuron \d+ moved off P": "trade"}


def _net(W, b, v, e, c, d) -> sa.Network:
    return sa.Network.from_arrays([W, [v], [[c]]], [b, [e], [d]])


def _changed(net: sa.Network, other: sa.Network) -> set[int]:
    """The first-layer neurons (numbered from 1) whose row, bias or output weight differ."""
    return {k + 1 for k in range(net.widths[1])
            if (net.weights[0][k], net.biases[0][k], net.weights[1][0][k])
            != (other.weights[0][k], other.biases[0][k], other.weights[1][0][k])}


def _named(label: str) -> set[int]:
    """The neurons a label names: after 'neuron(s)' or 'pair', and as subscripts of b, v, w."""
    head = label.split(":")[0]
    named = {int(x) for m in re.finditer(r"(?:neurons?|pair) (\d+(?:, \d+)*)", head) for x in m.group(1).split(", ")}
    return named | {int(x) for x in re.findall(r"\b[bvw]_(\d+)", label)}


def _check(net: sa.Network) -> int:
    view_v = net.weights[1][0]
    types = None
    for label, other in hidden_neuron_witnesses(net):
        kind = next((k for p, k in _MECHANISMS.items() if re.match(p, label)), None)
        assert kind is not None, label
        if kind == "inner":          # the shallow witness may move any neuron; it names the engine's move instead
            continue
        named, changed = _named(label), _changed(net, other)
        assert min(named) >= 1 and max(named) <= net.widths[1]
        # a pair's moved neuron may stay where it is (already off P: shifted by 0), its partner always changes
        assert named == changed if kind not in ("pair", "trade") else changed <= named, (label, changed)
        if kind == "one":
            (n,) = named
            types = types or sa.combinatorial_type(net).classes
            assert label.startswith(types[n - 1]) and (("(v > 0)" in label) == (view_v[n - 1] > 0)), label
        elif kind == "pair":
            i, j, kept = (int(x) for x in re.match(r"opposite pair (\d+), (\d+).*?by neuron (\d+)", label).groups())
            assert named == {i, j} and kept in changed and i < j
            assert net.weights[0][i - 1] != net.weights[0][j - 1]   # an opposite pair, not twins
    return 1


def _random(seed: int) -> sa.Network:
    rng = random.Random(seed)
    q = lambda: rng.choice([-3, -2, -1, 1, 2, 3])  # noqa: E731
    W = [[q(), q()] for _ in range(3)]
    b = [q() for _ in range(3)]
    if rng.random() < 0.4:
        lam = rng.choice([1, 2])
        W[1], b[1] = [-lam * x for x in W[0]], -lam * b[0]
    return _net(W, b, [q() for _ in range(3)], q(), q(), q())


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_labels_name_exactly_the_neurons_moved_numbered_from_one(seed):
    _check(_random(seed))


def test_every_mechanism_is_labelled_with_the_right_neurons():
    """One parameter per mechanism (from the modules' examples and the surveys), each label checked."""
    nets = {"U- neuron 3 (v > 0) moved away from P": sa.Network.from_arrays(
                [[[1, 0], [0, 1], [1, 1]], [[-1, -1, 1]], [[1]]], [[0, 0, -10], [1], [0]]),
            "U+ neuron 3 (v > 0) moved away from P": sa.Network.from_arrays(
                [[[1, 0], [0, 1], [1, 0]], [[-1, -1, 1]], [[1]]], [[0, 0, 10], [-9], [0]]),
            "U- neuron 2 (v < 0) doubled": _net([[-1, -2], [-1, 0], [1, -1]], [2, 1, -2], [-2, -2, 2], -1, 1, 0),
            "U+ neuron 1 (v < 0) moved towards P": _net([[-1, -1], [1, 2], [-2, -2]], [2, 0, 1], [-1, -1, 1], -1, 1,
                                                        0),
            "U+ neuron 1 (v < 0) reflected beyond P": _net([[-1, -2], [2, 2], [1, 2]], [1, -1, 0], [-2, -1, -3], 3,
                                                           -1, 2),
            "opposite pair 1, 2 sharing a hyperplane": _net([[-3, -3], [3, 3], [2, -3]], [-3, 3, -1], [-2, 3, -3], 1,
                                                            1, 3),
            "hidden neurons 1, 2 shifted together": _net([[2, -2], [-4, 4], [3, 1]], [1, -2, 2], [2, 2, -1], -2, -3,
                                                         3)}
    for start, net in nets.items():
        labels = [label for label, _ in hidden_neuron_witnesses(net)]
        assert any(label.startswith(start) for label in labels), (start, labels)
        _check(net)


def test_the_engine_reports_the_label_of_the_witness_it_verified():
    """The witness of identifiable() carries the label of the candidate it is (the same neuron changed)."""
    net = _net([[-1, -2], [2, 2], [1, 2]], [1, -1, 0], [-2, -1, -3], 3, -1, 2)
    r = identifiable(net, budget=20)
    assert r.status == "not identifiable" and r.move.data[0] == "bottleneck" and r.verify(net)
    assert r.move.data[1].startswith("U+ neuron 1 (v < 0) reflected beyond P: w_1, v_1 negated")
    assert _changed(net, r.witness) == {1} == _named(r.move.data[1])


def test_numbering_agrees_with_the_shallow_moves():
    """The shallow family's describe() numbers neurons from 1: clearing the first neuron says 'neuron 1'."""
    assert ClearDeadNeuron(0).describe() == "clear dead neuron 1"
