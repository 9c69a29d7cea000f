"""Issue 17 item 3: a bottleneck certificate names its moves as ``hidden_symmetries`` names the mechanisms.

The listing (:mod:`semialg.families.bottleneck.mechanisms`) and the naming of a certificate's moves
(:mod:`semialg.families.bottleneck.move_names`) are separate code; the statement tested is that every move of a
certificate, replayed, is named by a mechanism the listing gives for the network it acts on (or, for a move that
changes the width, for the network it makes). The networks below are those where an audit of 5,542 equivalences
(a parameter and the witness ``identifiable`` found) found the two vocabularies apart: a hidden neuron with
$v = 0$, trades over mixed (U±) neurons, phantom pairs moved, pairs moved off $P$, case-(b) neurons cleared.
Members built by hand are checked by exact evaluation, independently of ``equivalent``.
"""

from __future__ import annotations

import json
from pathlib import Path
import random

import pytest
from flint import fmpq

import semialg as sa
from semialg import Network, save
from semialg.errors import ParameterError
from semialg.families.bottleneck.moves import chain_mechanisms, listing_names
from semialg.families.bottleneck.outer_moves import MoveHiddenNeuron
from semialg.ui.cli import main


#: (weights, biases) of the audit's parameters, case (a) then case (b)
AUDIT = [
    ([[[-1], [0]], [[2, -1]], [[-2], [0]]], [[-1, 3], [-2], [-2, 0]]),
    ([[[0], [2]], [[1, -1]], [[1], [2]]], [[0, 3], [2], [-2, 0]]),
    ([[[3], [-2]], [[-2, -2]], [[-2], [2]]], [[3, -2], [1], [-2, -2]]),
    ([[[3], [0]], [[1, 0]], [[1], [0]]], [[-1, -2], [-1], [1, 3]]),
    ([[[-2], ["-5/8"], ["8/7"]], [["-7/2", "32/5", "21/8"]], [[1]]], [[-1, "15/32", "4/7"], ["-9/2"], [1]]),
    ([[[2], [-2], [-2]], [[1, 2, 0]], [[1]]], [[-2, 2, 2], [1], [3]]),
    ([[[2], [0], [1]], [[2, -2, -2]], [[3]]], [[0, 1, 2], [-2], [3]]),
    ([[[2], [1], [-2]], [[-1, -2, -2]], [[2]]], [[-1, 1, -2], [1], [3]]),
    ([[[2], [2], [-2]], [[-1, 3, -1]], [[-1]]], [[-2, 1, -1], [3], [1]]),
    ([[[-1], [1], [1], [-1]], [[2, 9, -2, 6]], [[3]]], [[1, 1, -1, "1/2"], [1], [1]]),
    ([[["3/2"], ["-5/9"], [-1], [1]], [["16/3", "-24/5", 4, "8/3"]], [["-3/2"]]], [["-1/2", "5/9", -2, 3], ["-8/3"], [0]]),
    ([[[1], [1], [1], [-1]], [[6, 4, 9, 4]], [[1]]], [[1, "1/2", "2/3", "-1/2"], [-2], [2]]),
    ([[[-2], [3], [-1], [1], [-1]], [[3, 3, 1, -1, -2]], [[1]]], [[3, -2, -1, 1, 3], [-2], [2]]),
    ([[[1, 1], [1, 1], [-1, -1]], [[4, -1, -2]], [[-1]]], [[-2, 1, 2], [5], [-2]]),
    ([[[-1, 2], [1, 0], [1, -1]], [[1, -2, 1]], [[-1], [1]]], [[0, -2, -2], [-2], [-2, 0]]),
    ([[[-2, 2], ["1/2", "-1/2"], ["5/2", "-5/6"], [-2, -4]], [["-1/2", -8, "18/5", 1]], [[-2]]],
     [[-2, "1/2", "5/6", 4], [-1], [-1]]),
    ([[[1, "-1/2"], [1, "3/2"], [1, 1], [-1, -1]], [[6, 6, -2, 2]], [[-1]]], [["3/2", "3/2", -2, 2], [-2], [-1]]),
    ([[[-2]], [[-2], [1], [2], [1]], [[-2, 2, 2, -1]]], [[-1], [1, -2, -1, -1], [-2]]),
    ([[[0, -2]], [[3], [1], [1]], [[0, 2, 0]]], [[-1], [1, -2, -2], [1]]),
    ([[[2, -2]], [[-1], [2], [-1]], [[3, 1, 0]]], [[2], [1, 2, 1], [2]]),
    ([[[1, -2, 2]], [[1], [1], [-2], [1]], [[3, 0, -2, -1], [4, 0, 3, -1]]], [[-2], [-2, -2, -2, 0], [4, 4]]),
]


def _listed(net: Network) -> set[str]:
    return {m.name for m in sa.hidden_symmetries(net, budget=10)}


def _agree(a: Network, b: Network, count: int = 200, seed: int = 0) -> bool:
    rng = random.Random(seed)
    points = [[fmpq(rng.randint(-60, 60), rng.randint(1, 9)) for _ in range(a.widths[0])] for _ in range(count)]
    return all(a(x) == b(x) for x in points)


def _certificate(net: Network):
    r = sa.identifiable(net, budget=10)
    assert r.witness is not None and _agree(net, r.witness)
    e = sa.equivalent(net, r.witness)
    assert e.verify(net, r.witness)
    return r.witness, e.certificate


@pytest.mark.parametrize("k", range(len(AUDIT)))
def test_every_move_is_named_as_the_listing_of_its_network_names_it(k):
    net = Network.from_arrays(*AUDIT[k])
    member, cert = _certificate(net)
    if not hasattr(cert, "moves1"):
        pytest.skip(f"{type(cert).__name__}: the equivalence is certified without moves")
    for start, moves in ((net, cert.moves1), (member, cert.moves2)):
        cur = start
        for mv in moves:
            after = mv.apply(cur)
            names = set(listing_names(mv, cur)) - {"G"}
            listed = _listed(cur) | (_listed(after) if after.widths != cur.widths else set())
            assert names <= listed, (type(mv).__name__, names - listed, cur)
            cur = after
    assert set(cert.mechanisms(net, member)) - {"G"} <= (chain_mechanisms(net, cert.moves1)
                                                         | chain_mechanisms(member, cert.moves2))


def test_a_hidden_neuron_with_zero_output_weight_is_a_constant_neuron():
    # neuron 2 is x_2 with v = 0: h = s(x_1) + 1 never sees it, whatever its row
    net = Network.from_arrays([[[1, 0], [0, 1]], [[1, 0]], [[1]]], [[0, 1], [1], [0]])
    mv = MoveHiddenNeuron(1, (fmpq(3), fmpq(-2)), fmpq(5), fmpq(0))
    moved = mv.apply(net)
    assert _agree(net, moved) and moved.weights[0][1] == (3, -2)
    assert listing_names(mv, net) == ("constant neurons (D)",)
    listed = _listed(net)
    assert "constant neurons (D)" in listed and "hidden neurons (U-)" not in listed
    assert mv.mechanisms() == ("hidden neurons (U-)",)          # the move's type, kept for the type's own name


def test_a_phantom_pair_moved_is_named_a_phantom_pair():
    # neurons 3, 4: -2 s(z) + 2 s(-z) = -2z, z = x + y - 2, no kink; moved to z' = z + 1, e compensating (+2)
    net = Network.from_arrays([[[1, "-1/2"], [1, "3/2"], [1, 1], [-1, -1]], [[6, 6, -2, 2]], [[-1]]],
                              [["3/2", "3/2", -2, 2], [-2], [-1]])
    member = net.replace_layer(1, bias=["3/2", "3/2", -1, 1]).replace_layer(2, bias=[0])
    assert _agree(net, member, 400)
    e = sa.equivalent(net, member)
    assert e.verify(net, member) and hasattr(e.certificate, "moves1")
    names = e.certificate.mechanisms(net, member)
    assert "phantom pairs" in names and "phantom pairs" in _listed(net)
    assert not {"opposite pairs", "zero-factor flips"} & set(names)


def test_a_trade_over_mixed_neurons_is_named_by_their_class():
    # neurons 1 and 3 are mixed (U+-): P meets both sides of their hyperplanes; no U+ neuron exists
    net = Network.from_arrays([[[-1, 2], [1, 0], [1, -1]], [[1, -2, 1]], [[-1], [1]]], [[0, -2, -2], [-2], [-2, 0]])
    member, cert = _certificate(net)
    classes = sa.combinatorial_type(net).classes
    assert classes.count("U+-") == 2 and "U+" not in classes
    names = set(cert.mechanisms(net, member))
    assert "mixed hidden neurons (U+-)" in names and "U+ <-> e trade" not in names
    assert "U+ <-> e trade" in cert.mechanisms()                  # by the moves' types: TradeOnP


def test_mechanisms_need_both_networks_or_neither():
    net = Network.from_arrays(*AUDIT[3])
    member, cert = _certificate(net)
    with pytest.raises(ParameterError, match="both networks"):
        cert.mechanisms(net)


def test_the_cli_names_bottleneck_mechanisms_as_the_listing(tmp_path, capsys):
    net = Network.from_arrays([[[1, 0], [0, 1]], [[1, 0]], [[1]]], [[0, 1], [1], [0]])
    moved = MoveHiddenNeuron(1, (fmpq(3), fmpq(-2)), fmpq(5), fmpq(0)).apply(net)
    save(net, tmp_path / "a.json")
    save(moved, tmp_path / "b.json")
    code = main(["equiv", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["equivalent"] is True
    assert "hidden neurons (U-)" not in data["mechanisms"]
    assert set(data["mechanisms"]) - {"G"} <= _listed(net) | _listed(moved)


def test_identifiable_moves_are_named_as_the_listing():
    # h's own witness moves the opposite pair of neurons 1, 2 (x - 2y + 2 = 0) to another kink's hyperplane
    net = Network.from_arrays([[[-1, 2], [1, -2], [1, 2], [-1, -1]], [[3, 1, 3, -1]], [[-2]]],
                              [[-2, 2, 3, 2], [-1], [1]])
    r = sa.identifiable(net, budget=10)
    assert r.witness is not None and _agree(net, r.witness, 400)
    mv = r.move.data[1].move
    assert mv.mechanisms() == ("inner network not identifiable",)
    names = set(mv.certificate(net).mechanisms(net, r.witness))
    assert "opposite pair moved to another kink" in names and names - {"G"} <= _listed(net)


def _documented_names() -> set[str]:
    text = (Path(__file__).resolve().parents[1] / "docs" / "theory.md").read_text()
    table = text[text.index("| name | case: listed when |", text.index("**The mechanisms by name.**")):]
    table = table[:table.index("\n\n")]
    rows = [line.strip().split("|")[1].strip() for line in table.splitlines() if line.strip().startswith("| ")]
    return {name.strip() for row in rows[1:] for name in row.split("; ")}


def test_every_listed_name_is_documented():
    documented = _documented_names()
    assert {"hidden neurons (U-)", "kink flips absorbed by d", "opposite pair moved off P", "pair trade"} <= documented
    nets = [Network.from_arrays(*p) for p in AUDIT]
    nets += [Network.random(arch, seed=s, height=2) for s in range(30) for arch in ((2, 3, 1, 1), (1, 1, 3, 1))]
    listed = set().union(*(_listed(n) for n in nets))
    assert len(listed) >= 15 and listed <= documented, listed - documented


@pytest.mark.parametrize("first, second, name", [
    # 1-D: the pair on x = -1 (neurons 2, 4) relocated opposite neuron 1, onto x = -3/2 (neuron 4 -> -(2x + 3))
    (([[[2], [-2], [3], [1]], [[2, -1, 1, -2]], [[-2]]], [[3, -2, 1, 1], [2], [3]]),
     ([[[2], [-2], [3], [-2]], [[1, -2, 1, 1]], [[-2]]], [[3, -2, 1, -3], [3], [3]]), "pair relocations"),
    # neurons 2, 4: 2 s(-z) - 2 s(z) = -2z, z = x + 2y - 2, no kink; moved to z + 1, e lowered by 2
    (([[[-2, -1], [-1, -2], [3, -1], [1, 2]], [[2, 2, 1, -2]], [[1]]], [[1, 2, 3, -2], [-2], [-1]]),
     ([[[-2, -1], [-1, -2], [3, -1], [1, 2]], [[2, 2, 1, -2]], [[1]]], [[1, 3, 3, -3], [-4], [-1]]), "phantom pairs"),
])
def test_members_keeping_h_get_the_inner_networks_moves(first, second, name):
    # every neuron visible, h' = h: the hidden-neuron chain matches visible neurons and relates neither pair; the
    # shallow moves of h do (an arrangement certificate naming nothing before)
    a, b = Network.from_arrays(*first), Network.from_arrays(*second)
    assert set(sa.combinatorial_type(a).classes) == {"V"} and _agree(a, b, 400)
    e = sa.equivalent(a, b)
    assert e.verify(a, b) and hasattr(e.certificate, "moves1")
    names = set(e.certificate.mechanisms(a, b))
    assert name in names and name in _listed(a) and names - {"G"} <= _listed(a)
    assert "constant neurons (D)" not in names        # the rebalance's emptied slot is scaffolding


@pytest.mark.parametrize("forged", [MoveHiddenNeuron(99, (fmpq(1), fmpq(0)), fmpq(0), fmpq(0)),
                                    MoveHiddenNeuron(-1, (fmpq(1), fmpq(0)), fmpq(0), fmpq(0)),
                                    MoveHiddenNeuron(0, (fmpq(1),), fmpq(0), fmpq(0))])
def test_forged_moves_are_refused_before_they_are_named(forged):
    from semialg.core.symmetry import GroupElement
    from semialg.errors import CertificateError
    from semialg.families.bottleneck import BottleneckMoveCertificate
    net = Network.from_arrays([[[1, 0], [0, 1]], [[1, 0]], [[1]]], [[0, 1], [1], [0]])
    cert = BottleneckMoveCertificate((forged,), (), GroupElement.identity(net.architecture))
    with pytest.raises(CertificateError):
        cert.mechanisms(net, net)
