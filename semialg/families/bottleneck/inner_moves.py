r"""Case (a): the moves of the shallow family applied to the inner network $h$ — they keep $h$ as a function, so
they keep $f = c\,\sigma(h) + d$ whatever the regime.

In regime T ($h \ge 0$, $f = c\,h + d$) two parameters are equivalent iff, after the bottleneck neuron is
scaled and $e$ traded with $d$ (:func:`~.outer_moves.trade_chain`), their inner networks compute the same
function; the shallow family decides that and relates them by its moves (dead neurons, twins, opposite pairs and
0-factor flips; Grigsby et al., and the shallow paper's Definition 3), which :class:`MoveOfH` replays here one by
one, each checking its own precondition exactly. :func:`inner_witness` uses them when one neuron per hyperplane
(:func:`~.outer_moves.flip_witness`) and one group element do not suffice: twins on one side and an opposite pair
on the other, with flips.

>>> a = Network.from_arrays([[[1], [2], [2], [1]], [[-2, "2/3", "3/2", 1]], [["-2/3"]]], [[-1, 2, "1/3", 1], [2], [-1]])
>>> b = Network.from_arrays([[["-3/2"], ["4/3"], [4], [-2]], [["-35/27", "-5/4", "10/9", "35/36"]], [["-4/5"]]],
...                         [["-1/4", "-4/3", "2/3", -2], ["553/108"], ["7/15"]])
>>> cert = inner_witness(a, b); cert.verify(a, b), cert.mechanisms()
(True, ['G', 'constant neurons (D)', 'e <-> d trade', 'opposite pairs', 'positive twins', 'zero-factor flips'])
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from semialg.core.certificate import defined_in
from semialg.core.network import Network
from semialg.core.symmetry import GroupElement
from semialg.engine.orbit import orbit_element
from semialg.errors import UndecidedError
from semialg.families.bottleneck.moves import BottleneckMove, BottleneckMoveCertificate
from semialg.families.bottleneck.outer_moves import (DropConstantNeuron, _Chain, _mu, _view,
                                                     trade_chain)
from semialg.families.bottleneck.types import bottleneck_regime
from semialg.families.shallow.canonical import (CanonicalFormCertificate, SameCanonicalForm,
                                                equivalent as shallow_equivalent)
from semialg.families.shallow.moves import ActBy as ShallowActBy, Move as ShallowMove

__all__ = ["MoveOfH", "inner_witness"]

#: The shallow mechanisms by the names :func:`~.types.hidden_symmetries` gives them in case (a).
NAMES = {"M0 group action": ("G",), "M1 dead neuron": ("constant neurons (D)",), "M2 twins": ("positive twins",),
         "M3/M4 opposite pairs and 0-factor flips": ("opposite pairs", "zero-factor flips"),
         "M4 0-factor flips": ("zero-factor flips",),
         "same canonical form": ("inner network of the same canonical form",)}


@dataclass(frozen=True)
class MoveOfH(BottleneckMove):
    """Case (a): the shallow move ``move`` (:mod:`semialg.families.shallow.moves`) applied to the inner network
    $h$, which it keeps as a function (its own exact precondition); $c$, $d$ kept. Cost: that of the move."""

    move: ShallowMove

    @property
    def mechanism(self) -> str:
        return self.mechanisms()[0]

    def mechanisms(self) -> tuple[str, ...]:
        return NAMES.get(getattr(self.move, "mechanism", None), ("shallow move",))

    def apply(self, net: Network) -> Network:
        mv = self.move
        # the family's own classes only: a subclass defined elsewhere could override apply's checks
        if not (isinstance(mv, ShallowMove) and type(mv) is not ShallowMove
                and defined_in(type(mv), "semialg.families.shallow")):
            self._fail("not a move of the shallow family")
        h = mv.apply(_view(net).inner)
        if h.depth != 2 or h.widths[0] != net.widths[0] or h.widths[2] != 1:
            self._fail(f"the move changed the shape of h ({h.architecture})")
        return _with_inner(net, h)

    def describe(self) -> str:
        return f"in h: {self.move.describe()}"


def inner_witness(net1: Network, net2: Network, deadline: float | None = None,
                  orbit_cache: dict | None = None) -> BottleneckMoveCertificate | None:
    r"""Two case-(a) parameters whose inner networks compute the same function once the bottleneck neuron is scaled
    ($c_1 = \mu c_2$, $\mu > 0$, $d_1 = d_2$: $h_2 = \mu h_1$; any regime) or, both of regime T, also $e$ traded with
    $d$ ($h_2 = \mu h_1 + t$): :func:`~.outer_moves.trade_chain` on ``net1``, then one group element
    (:func:`~semialg.engine.orbit.orbit_element`) or the shallow family's certificate for the two inner networks,
    its moves replayed as :class:`MoveOfH` on each side, the zero neurons left over dropped and a final group element;
    ``None`` otherwise. No arrangement unless $e$ is traded. Cost: the shallow equivalence test, $O(n_1^2 n_0)$,
    plus one replay per move. ``deadline`` (a :func:`time.monotonic` time) stops the regimes (when $h_2 \ne \mu h_1$ is
    possible: :func:`~.types.bottleneck_regime`) and the group element's search and,
    once passed, the shallow test is not started: :class:`~semialg.errors.UndecidedError`; when the shallow chain
    of moves would end past it, $h$ is replaced in one move
    (:class:`~semialg.families.shallow.canonical.SameCanonicalForm`: recorded as the test has just compared the two
    canonical forms, which ``verify`` recomputes, about 1 s at 784-4096). ``orbit_cache``: the ``cache`` of
    :func:`~semialg.engine.orbit.orbit_element`, shared with earlier searches for the same ``net2``.

    >>> a = Network.from_arrays([[[1, 0], [2, 0], [0, 1]], [[1, 1, -1]], [[1]]], [[0, 0, 0], [1], [0]])
    >>> b = Network.from_arrays([[[1, 0], [2, 0], [0, 1]], [[3, 0, -1]], [[1]]], [[0, 0, 0], [1], [0]])
    >>> cert = inner_witness(a, b); cert.verify(a, b), cert.mechanisms()     # regime PN: h = 3 s(x) - s(y) + 1
    (True, ['constant neurons (D)', 'positive twins'])
    """
    left = lambda: None if deadline is None else max(0.0, deadline - time.monotonic())  # noqa: E731
    if _mu(_view(net1), _view(net2)) is None and (
            bottleneck_regime(net1, left()) != "T" or bottleneck_regime(net2, left()) != "T"):
        return None
    c1 = trade_chain(net1, net2)
    if c1 is None:
        return None
    try:
        g = orbit_element(c1.net, net2, budget=64, cache=orbit_cache, deadline=deadline)
    except UndecidedError:
        g = None
    if g is not None:
        return BottleneckMoveCertificate(tuple(c1.moves), (), g)
    if deadline is not None and time.monotonic() > deadline:
        raise UndecidedError("the moves of the inner network: the deadline passed before the shallow test")
    result = shallow_equivalent(_view(c1.net).inner, _view(net2).inner, deadline)
    if not result:
        return None
    cert, c2 = result.certificate, _Chain(net2)
    if isinstance(cert, CanonicalFormCertificate):    # the chain would end past the budget: h replaced in one move
        h1, h2 = _view(c1.net).inner, _view(net2).inner
        if h1.architecture != h2.architecture:
            return None                                 # the move keeps the width
        # the test has just compared these two canonical forms: the move is recorded, not checked again here
        # (verify replays it; checking it took as long as the test, past a 2 s budget at 784-4096-1-10)
        c1.moves.append(MoveOfH(SameCanonicalForm(h2)))
        c1.net, moves1, moves2 = _with_inner(c1.net, h2), (), ()
    else:
        moves1, moves2 = (cert.moves1, cert.moves2) if hasattr(cert, "moves1") else ((ShallowActBy(cert.element),), ())
    for ch, moves in ((c1, moves1), (c2, moves2)):
        for mv in moves:
            ch.do(MoveOfH(mv))
        zero = _zero_neurons(ch.net)
        for i in reversed(zero[:ch.net.widths[1] - 1]):      # the shallow ends agree up to zero neurons
            ch.do(DropConstantNeuron(i))
    # the shallow ends agree up to the order and positive scaling of neurons (MoveCertificate): a group element
    try:
        g = (GroupElement.identity(c2.net.architecture) if c1.net == c2.net
             else orbit_element(c1.net, c2.net, budget=64, deadline=deadline))
    except UndecidedError:
        return None         # the caller goes on with the arrangement, under the same deadline
    return None if g is None else BottleneckMoveCertificate(tuple(c1.moves), tuple(c2.moves), g)


def _zero_neurons(net: Network) -> list[int]:
    """The first-layer neurons with $w_i = 0$, $b_i = 0$ and $v_i = 0$, read off the matrices' integer forms
    (no rational row built). Cost: $O(n_1n_0)$ vectorised."""
    (W1, W2, _), (b1, _, _) = net.weights, net.biases
    live, v = W1.nonzero_rows(), W2[0]
    return [i for i in range(len(b1)) if not live[i] and b1[i] == 0 and v[i] == 0]


def _with_inner(net: Network, h: Network) -> Network:
    """``net`` with its inner network $h$ (the first two layers) replaced, $c$ and $d$ kept; $h$'s matrices as
    they are (no rational row built)."""
    (_, _, W3), (_, _, b3) = net.weights, net.biases
    return Network((h.weights[0], h.weights[1], W3), (h.biases[0], h.biases[1], b3))
