r"""Which first-order mechanisms of a case-(a) bottleneck parameter a member realises.

:func:`~semialg.families.bottleneck.mechanisms.hidden_symmetries` lists the mixed hidden neurons (U$\pm$: $H_i$ misses
$P = \{h > 0\}$, which meets both of its sides) when their activity patterns on the components of $P$ and the
constant 1 are dependent. Along such a dependency the biases $\delta$ of those neurons and $e$ move without changing
$h$ on $P$ — a kernel direction of the Jacobian beyond $G$ — but a member of the fibre also needs $h' \le 0$ off
$P$, which the dependency alone does not give (Gegenfurtner, Grillo, Montúfar, *The Symmetries of Three-Layer ReLU
Networks*: hidden neurons are free only as far as the deeper layers hide them). The bias shifts of
:func:`~semialg.families.bottleneck.ident_shifts.shift_witnesses` along the dependency are tried: a shift whose
moved parameter keeps $\sigma(h)$ (checked exactly on the joint arrangement by
:class:`~semialg.families.bottleneck.ident_moves.ShiftHiddenBiases`) and lies outside the $G$-orbit
(:func:`~semialg.engine.orbit.orbit_element`) realises the mechanism, and its description names that member.
Otherwise, where :func:`~semialg.engine.identifiability.identifiable` proves the fibre to be the $G$-orbit, the
mechanism is first order only (a kernel direction of the Jacobian that no member follows: the functional dimension
drops, the fibre does not grow), and else it stays undecided, saying how many shifts were tried.

>>> pair = Network.from_arrays([[[2, -2], [-4, 4], [3, 1]], [[2, 2, -1]], [[-3]]], [[1, -2, 2], [-2], [3]])
>>> [m.description.split("; ")[-1][:36] for m in hidden_symmetries(pair) if m.name == MIXED]
['realised: hidden first-layer neurons']
"""

from __future__ import annotations

import dataclasses
import time

from semialg.core.mechanism import Mechanism
from semialg.core.network import Network
from semialg.engine.orbit import orbit_element
from semialg.errors import CertificateError, UndecidedError
from semialg.families.bottleneck import mechanisms
from semialg.families.bottleneck.ident_moves import PairOffP, PairTrade
from semialg.families.bottleneck.ident_shifts import shift_witnesses
from semialg.families.bottleneck.ident_trades import trade_witnesses
from semialg.families.bottleneck.ident_witnesses import negative_witnesses

__all__ = ["MIXED", "hidden_symmetries"]

#: The name of the mechanism of mixed hidden neurons in
#: :func:`~semialg.families.bottleneck.mechanisms.hidden_symmetries`.
MIXED = "mixed hidden neurons (U+-)"

#: Seconds the candidate shifts may take when no budget is given (each is one exact check on the joint arrangement).
SHIFT_SECONDS = 5.0


def hidden_symmetries(net: Network, budget: float | None = None,
                      progress: bool | None = None) -> tuple[Mechanism, ...]:
    r"""Every mechanism of :func:`~semialg.families.bottleneck.mechanisms.hidden_symmetries` at ``net``, the mixed
    hidden neurons settled where a bias shift along their dependency is a member of the fibre outside the $G$-orbit
    ("realised: ..." names it), said first order only where ``identifiable`` proves the fibre to be the $G$-orbit,
    else listed to first order as before, with the number of shifts tried; an undecided reflection is dropped where
    ``identifiable`` proves the $G$-orbit.

    Cost: that of :func:`~semialg.families.bottleneck.mechanisms.hidden_symmetries` (``budget``, ``progress`` go to
    it), then, with mixed hidden neurons, the candidate shifts (for $2 \le n_0 \le 4$, $n_1 \le 16$: the pieces of
    $\overline P$ and one exact check on the joint arrangement each) and one orbit search per shift that keeps $f$,
    within what remains of ``budget`` (at most :data:`SHIFT_SECONDS` without one); for an undecided reflection one
    :func:`~semialg.engine.identifiability.identifiable` within what remains, as for mixed neurons no shift
    realises.

    >>> net = Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])
    >>> [m.name for m in hidden_symmetries(net)] == [m.name for m in mechanisms.hidden_symmetries(net)]
    True
    """
    deadline = time.monotonic() + (SHIFT_SECONDS if budget is None else budget)
    listed = mechanisms.hidden_symmetries(net, budget, progress)
    settled = (_settled(net, m, deadline) if m.name == MIXED else
               _reflection(net, m, deadline) if m.name == "reflection" and m.multiplicity is None else m
               for m in listed)
    return tuple(m for m in settled if m is not None) + _pairs_off_p(net, deadline)


def _reflection(net: Network, mechanism: Mechanism, deadline: float) -> Mechanism | None:
    r"""An undecided reflection (parallel rows, $h$ bounded: whether members with $c' = -c/|\mu|$ exist), dropped
    where :func:`_orbit_proven` ($G$ keeps the sign of $c$); else kept as it is."""
    return None if _orbit_proven(net, deadline) else mechanism


def _orbit_proven(net: Network, deadline: float) -> bool:
    """Whether :func:`~semialg.engine.identifiability.identifiable` proves the fibre to be the $G$-orbit within what
    remains before ``deadline``: then no first-order mechanism is realised, and an audit found hedged ones listed
    at such parameters."""
    from semialg.engine.identifiability import identifiable
    left = deadline - time.monotonic()
    return left > 0 and identifiable(net, budget=left).status == "identifiable"


def _pairs_off_p(net: Network, deadline: float) -> tuple[Mechanism, ...]:
    r"""Opposite pairs one of whose neurons leaves $P$: the candidates of
    :func:`~.ident_witnesses.negative_witnesses` (:class:`~.ident_moves.PairOffP`: the other carries the kink, the
    moved one reproduces its affine part on $P$ from a hyperplane off $P$; $n_0 \le 4$, $n_1 \le 16$) and of
    :func:`~.ident_trades.trade_witnesses` (:class:`~.ident_moves.PairTrade`: some visible neurons flipped too, the
    freed neuron carrying their linear part; $n_1 \le 8$) that keep $f$ (checked exactly) and lie outside the
    $G$-orbit, within ``deadline``. Audits found parameters proven not identifiable by such moves with nothing
    listed."""
    if net.widths[0] > 4 or net.widths[1] > 16:
        return ()
    out = []
    for find, move_type, what in ((negative_witnesses, PairOffP, "one neuron carries the kink, the other reproduces "
                                   "the affine part on P from a hyperplane off P"),
                                  (trade_witnesses, PairTrade, "the pair merged onto one neuron, visible neurons "
                                   "flipped, the freed neuron carrying their linear part on P from a hyperplane off "
                                   "P")):
        if time.monotonic() > deadline:
            break
        realised: dict = {}
        for label, _ in find(net, budget=min(5.0, max(0.0, deadline - time.monotonic()))):
            move = label.move
            if not isinstance(move, move_type) or time.monotonic() > deadline:
                continue
            key = (move.kept, move.moved if move_type is PairOffP else move.freed)
            if key in realised:
                continue
            try:
                if orbit_element(net, move.apply(net)) is None:
                    realised[key] = move.describe()
            except (CertificateError, UndecidedError):
                continue
        if realised:
            out.append(Mechanism(move_type.mechanism, True, None, 1,
                                 tuple(sorted({i for pair in realised for i in pair})),
                                 "s(z_j) = lambda s(z_i) + z_j on the pair's hyperplane: " + what + "; realised "
                                 "(checked exactly, outside the G-orbit): " + "; ".join(realised.values()), 1, False,
                                 "hidden by the outer ReLU"))
    return tuple(out)


def _settled(net: Network, mechanism: Mechanism, deadline: float) -> Mechanism:
    """``mechanism`` with "realised: <the shift>" when a shift moving its neurons is a member outside the orbit,
    "no member realises it" where :func:`_orbit_proven`, else with how many shifts were tried (and whether the
    deadline stopped them)."""
    mixed, tried, stopped = set(mechanism.neurons), 0, False
    for label, _ in shift_witnesses(net, budget=max(0.0, deadline - time.monotonic())):
        move = label.move
        if not mixed & set(move.neurons):
            continue
        if time.monotonic() > deadline:
            stopped = True
            break
        tried += 1
        try:
            moved = move.apply(net)
            outside = orbit_element(net, moved) is None
        except (CertificateError, UndecidedError):
            continue
        if outside:
            return _described(mechanism, f"realised: {move.describe()} keeps f (checked exactly) and lies outside "
                                         "the G-orbit")
    if not stopped and _orbit_proven(net, deadline):
        return _described(mechanism, "no member realises it: identifiable proves the fibre to be the G-orbit, so "
                          "the direction is first order only (the functional dimension drops, the fibre does not "
                          "grow)")
    return _described(mechanism, f"whether a member realises it (h' <= 0 off P) is not decided: {tried} bias "
                      "shift(s) along it tried, none a member outside the G-orbit" +
                      (" (the deadline stopped the others)" if stopped else ""))


def _described(mechanism: Mechanism, settled: str) -> Mechanism:
    first_order = mechanism.description.split("; realisation.hidden_symmetries")[0]
    return dataclasses.replace(mechanism, description=f"{first_order}); {settled}")
