"""Case-(a) bottlenecks whose components of P are separated by at most one hyperplane
(``families/bottleneck/ident_components.py``): opposite pairs of U± neurons on a hyperplane touching the closure of
P, formerly "unknown" in the surveys. Tested against the region oracle, exact evaluation, the orbit search, the
candidates of every witness move, a brute-force grid of moved pair biases and forged proofs."""

from __future__ import annotations

import random

import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

import semialg as sa
from semialg.engine.identifiability import IdentifiabilityResult, ProofStep, identifiable
from semialg.engine.orbit import orbit_element
from semialg.engine.regions import equivalent as oracle
from semialg.errors import CertificateError
from semialg.families.bottleneck.ident_components import ComponentsTheorem, SeparableComponents, separable
from semialg.families.bottleneck.ident_determined import DeterminedTheorem
from semialg.families.bottleneck.identifiability import InnerIdentifiable, hidden_neuron_witnesses
from semialg.families.bottleneck.views import OuterView

#: (2-3-1-1, 2-4-1-1, 3-3-1-1 surveys) an opposite pair of U± neurons whose hyperplane touches the closure of P
#: on both sides, C* = {0}: no other hyperplane separates the components of P.
COMPONENTS = [([[-1, 0], [1, 0], [0, -1]], [2, -2, 2], [2, 2, -1], 0, [[2]], [0]),
              ([[-1, -2], [2, 4], [2, -1], [1, 0]], [-1, 2, 0, -1], [2, 2, -2, -2], 0, [[2]], [-1]),
              ([[-2, -2, 2], [4, 4, -4], [-1, -1, 0]], [2, -4, 2], [2, 2, -1], 0, [[-2]], [2])]
#: Not identifiable (shifted pair biases, test_bottleneck_identifiability_moves.SHIFTED): the pair's hyperplane
#: stays at distance from the closure of P, so parallel hyperplanes separate its components too.
SHIFTED = [([[2, -2], [-4, 4], [3, 1]], [1, -2, 2], [2, 2, -1], -2, [[-3]], [3]),
           ([[1, -1], [-1, 1], [-1, 0]], [-2, 2, 1], [2, 2, -2], -2, [[2]], [1])]


def _net(W, b, v, e, c, d) -> sa.Network:
    return sa.Network.from_arrays([W, [v], c], [b, [e], d])


@pytest.mark.parametrize("params", COMPONENTS)
def test_separable_components_are_proven(params):
    net = _net(*params)
    r = identifiable(net, budget=20)
    assert r.status == "identifiable" and r.verify(net)
    assert [s.name for s in r.proof] == ["separable components", "inner network identifiable",
                                         "components bottleneck theorem"]
    g = sa.GroupElement.random(net.architecture, seed=6)
    moved = g.act(net)
    assert separable(moved) and orbit_element(net, moved) is not None


@pytest.mark.parametrize("params", COMPONENTS)
def test_no_witness_move_and_no_shift_of_the_pair_leaves_the_orbit(params):
    """Every candidate of the family's moves is not equivalent or in the orbit (region oracle); and a brute-force
    grid moving the pair's biases by (s, t), e by u (s, t, u in -2..2 in halves) keeps the function only at
    (0, 0, 0)."""
    net = _net(*params)
    for _, other in hidden_neuron_witnesses(net):
        assert not oracle(net, other) or orbit_element(net, other) is not None
    half = [fmpq(k, 2) for k in range(-4, 5)]
    rng = random.Random(1)
    pts = [tuple(fmpq(rng.randint(-60, 60), rng.randint(1, 4)) for _ in range(net.widths[0])) for _ in range(80)]
    kept = 0
    for s in half:
        for t in half:
            for u in half:
                b = list(net.biases[0])
                b[0] += s
                b[1] += t
                other = sa.Network(net.weights, (tuple(b), (net.biases[1][0] + u,)) + net.biases[2:])
                if all(net(x) == other(x) for x in pts):
                    kept += 1
                    assert (s, t, u) == (0, 0, 0) or not oracle(net, other)
    assert kept >= 1


def _random(seed: int) -> sa.Network:
    rng = random.Random(seed)
    q = lambda: rng.choice([-3, -2, -1, 1, 2, 3])  # noqa: E731
    W = [[q(), q()] for _ in range(3)]
    b = [rng.randint(-4, 4) for _ in range(3)]
    lam = rng.choice([1, 2])
    W[1], b[1] = [-lam * x for x in W[0]], -lam * b[0]
    # positive outputs on the pair and e <= 0 make P fall apart along the pair's hyperplane fairly often
    return _net(W, b, [rng.choice([1, 2, 3]), rng.choice([1, 2, 3]), q()], rng.randint(-3, 0), [[q()]], [q()])


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_when_the_hypotheses_hold_no_candidate_leaves_the_orbit(seed):
    """Random parameters with an opposite pair: whenever the theorem proves one (its hypotheses and an
    identifiable inner network: a phantom pair satisfies the former, not the latter), no candidate of the family's
    moves is equivalent outside the orbit (region oracle, independent of the family)."""
    net = _random(seed)
    if not separable(net) or [s.name for s in identifiable(net, budget=20).proof][-1:] != [
            "components bottleneck theorem"]:
        return
    for _, other in hidden_neuron_witnesses(net):
        assert not oracle(net, other) or orbit_element(net, other) is not None


def test_forged_component_proofs_are_refused():
    """The proof for SHIFTED parameters (not identifiable: verified witnesses), another theorem's last step, and a
    lenient subclass of the evidence with an honest inner proof."""
    net = _net(*COMPONENTS[0])
    proof = identifiable(net, budget=20).proof
    for params in SHIFTED:
        other = _net(*params)
        assert not separable(other)
        r = identifiable(other, budget=20)
        assert r.status == "not identifiable" and r.verify(other)
        with pytest.raises(CertificateError):
            IdentifiabilityResult("identifiable", proof).verify(other)
    with pytest.raises(CertificateError):
        IdentifiabilityResult("identifiable", proof[:2] + (ProofStep("determined bottleneck theorem", "",
                                                                     DeterminedTheorem()),)).verify(net)

    class Lenient(SeparableComponents):
        def verify(self, net):
            return True
    shifted = _net(*SHIFTED[0])
    inner = InnerIdentifiable(identifiable(OuterView.of(shifted).inner, budget=20).proof)
    forged = (ProofStep("separable components", "", Lenient()), ProofStep("inner network identifiable", "", inner),
              ProofStep("components bottleneck theorem", "", ComponentsTheorem()))
    with pytest.raises(CertificateError):
        IdentifiabilityResult("identifiable", forged).verify(shifted)
    honest = (ProofStep("separable components", "", SeparableComponents()),) + forged[1:]
    with pytest.raises(CertificateError):
        IdentifiabilityResult("identifiable", honest).verify(shifted)


def test_a_non_identifiable_inner_network_gives_the_witness():
    """(2-4-1-1 survey, formerly "unknown") an opposite pair on a visible hyperplane with rows that the inner
    shallow network trades: its own witness, with c and d kept, is a verified witness of the bottleneck, equal at
    rational points and equivalent by the region oracle, outside the orbit."""
    net = _net([[1, 0], [-2, 0], [0, -1], [-2, 2]], [2, -4, 1, 1], [1, -2, 2, 1], -2, [[-1]], [0])
    assert identifiable(OuterView.of(net).inner, budget=20).status == "not identifiable"
    r = identifiable(net, budget=20)
    assert r.status == "not identifiable" and r.move.data[1].startswith("inner network h replaced") and r.verify(net)
    rng = random.Random(4)
    for _ in range(100):
        x = (fmpq(rng.randint(-99, 99), rng.randint(1, 5)), fmpq(rng.randint(-99, 99), rng.randint(1, 5)))
        assert net(x) == r.witness(x)
    assert oracle(net, r.witness) and orbit_element(net, r.witness) is None


def test_the_separating_line_stops_at_the_clock():
    import time
    from semialg.errors import UndecidedError
    from semialg.families.bottleneck.ident_cache import pieces
    from semialg.families.bottleneck.ident_components import _live, _separating_line
    from semialg.families.bottleneck.obstructions import _Clock
    live = _live(_net(*COMPONENTS[0]))
    found = [(Q, A) for Q, A in pieces(live)[0]]
    assert _separating_line(found) is None                      # one hyperplane: the theorem's hypothesis
    with pytest.raises(UndecidedError, match="components"):
        _separating_line(found, _Clock(None, time.monotonic() - 1))

    class PastAtTheCones:       # a clock whose time runs out once the components are joined
        def check(self, done=None):
            if done is not None and "sign patterns" in done:
                raise UndecidedError(done)
    with pytest.raises(UndecidedError, match="sign patterns"):
        _separating_line(found, PastAtTheCones())
