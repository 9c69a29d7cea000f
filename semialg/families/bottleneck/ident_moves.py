r"""The witnesses of non-identifiability of case-(a) bottlenecks as named, replayable moves.

Every candidate of :func:`~semialg.families.bottleneck.identifiability.hidden_neuron_witnesses` is built by one
move here (``build``, no check) and labelled by a :class:`MoveLabel`, a string that carries the move; the engine
turns it into a :class:`~semialg.engine.witnesses.WitnessMove` of kind ``"family move"`` whose ``apply`` replays
the move. ``apply`` re-checks the precondition exactly and independently of the finder — the arithmetic of the
move (the named neurons exist, an opposite pair really shares its hyperplane, ...) and, on every cell of the
joint arrangement of both first layers, that $h' = h$ where $h > 0$ and $h' \le 0$ elsewhere, i.e.
$\sigma(h') = \sigma(h)$, with the moved neurons missing $P$ (the check of
:mod:`~semialg.families.bottleneck.outer_moves`) — and returns the moved network. Neurons are numbered from 1 in
every text, from 0 in the fields.

* :class:`ShiftHiddenBiases` — biases of hidden neurons shifted, $e$ compensating (U+ raised, U− lowered, U+
  moved towards $P$, hidden neurons shifted together);
* :class:`DoubleDeadNeuron` — a U− neuron's output weight doubled;
* :class:`ReflectHiddenNeuron` — a U+ neuron reflected beyond $P$;
* :class:`PairOffP` — an opposite pair's kink carried by one neuron, the other shifted or reflected off $P$;
* :class:`PairTrade` — the same with visible neurons flipped and the freed neuron carrying their linear part;
* :class:`InnerNetworkMove` — the inner shallow network's own witness.

>>> net = Network.from_arrays([[[-1, -2], [-1, 0], [1, -1]], [[-2, -2, 2]], [[1]]], [[2, 1, -2], [-1], [0]])
>>> move = DoubleDeadNeuron(1); move.describe()
'U- neuron 2 (dead on the closure of P) doubled: v_2 * 2'
>>> move.apply(net) == move.build(net), move.apply(net).weights[1]
(True, ((-2, -4, 2),))
>>> cert = move.certificate(net); cert.verify(net, move.build(net)), cert.mechanisms()
(True, ['hidden neurons (U-)'])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from flint import fmpq

from semialg.core.certificate import check_neurons, defined_in
from semialg.core.exact import to_fmpq
from semialg.core.network import Network
from semialg.errors import CertificateError, ParameterError
from semialg.core.symmetry import GroupElement
from semialg.families.bottleneck.moves import BottleneckMove, BottleneckMoveCertificate
from semialg.families.bottleneck.outer_moves import _check, _HIDDEN, _neuron, _neurons, _rebuild, _view
from semialg.families.bottleneck.views import _ONE, _scale

__all__ = ["MoveLabel", "ShiftHiddenBiases", "DoubleDeadNeuron", "ReflectHiddenNeuron", "PairOffP", "PairTrade",
           "InnerNetworkMove", "IDENT_MOVES"]


class MoveLabel(str):
    """A witness label (the text) that carries the :class:`~.moves.BottleneckMove` ``move`` building the witness."""

    move: BottleneckMove

    def __new__(cls, text: str, move: BottleneckMove):
        out = super().__new__(cls, text)
        out.move = move
        return out

    def __reduce__(self):
        return MoveLabel, (str(self), self.move)


def _signed(x: fmpq) -> str:
    return f"+ {x}" if x >= 0 else f"- {-x}"


def _q(x, where: str) -> fmpq:
    try:
        return to_fmpq(x, where=where)
    except ParameterError as exc:
        raise CertificateError(str(exc)) from None


def _ratio(ri: tuple, rj: tuple) -> fmpq | None:
    r"""$\lambda > 0$ with $r_j = -\lambda r_i$ (rows $(w, b)$, $w_i \ne 0$), else ``None``."""
    k = next((t for t, x in enumerate(ri[:-1]) if x), None)
    if k is None:
        return None
    lam = -rj[k] / ri[k]
    return lam if lam > 0 and _scale(-lam, ri) == rj else None


class _IdentMove(BottleneckMove):
    """``build`` (the move's arithmetic, used by the finders) and ``apply`` (``build`` plus the exact check)."""

    def build(self, net: Network) -> Network:
        raise NotImplementedError

    def certificate(self, net: Network) -> BottleneckMoveCertificate:
        """The equivalence certificate ``net`` $\\to$ ``self.build(net)``: this move, then the identity of $G$;
        its ``mechanisms()`` name the move and its ``verify`` replays it."""
        return BottleneckMoveCertificate((self,), (), GroupElement.identity(net.architecture))

    def __str__(self) -> str:
        return self.describe()


@dataclass(frozen=True)
class ShiftHiddenBiases(_IdentMove):
    r"""The biases of the hidden first-layer neurons ``neurons`` (0-based) shifted by ``deltas``, $e$ by ``t``:
    valid iff each of them misses $P$ before and after and $\sigma(h)$ is unchanged (checked exactly). A U+
    neuron raised with $e$ lowered by $v\delta$, a U− neuron lowered ($t = 0$), or several shifted together."""

    neurons: tuple[int, ...]
    deltas: tuple[fmpq, ...]
    t: fmpq
    mechanism: ClassVar[str] = "hidden biases shifted"

    def build(self, net: Network) -> Network:
        ns = _neurons(net)
        check_neurons(self.neurons, len(ns))
        if not self.neurons or len(self.deltas) != len(self.neurons):
            self._fail("one shift per named neuron, at least one")
        for i, d in zip(self.neurons, self.deltas, strict=True):
            w, b, v = ns[i]
            ns[i] = (w, b + _q(d, "delta"), v)
        return _rebuild(net, ns, _view(net).e + _q(self.t, "t"))

    def apply(self, net: Network) -> Network:
        after = self.build(net)
        return _check(self, net, after, hidden=[(net, i) for i in self.neurons] + [(after, i) for i in self.neurons])

    def describe(self) -> str:
        moves = ", ".join(f"b_{i + 1} {_signed(d)}" for i, d in zip(self.neurons, self.deltas, strict=True))
        return (f"hidden first-layer neuron{'s' * (len(self.neurons) > 1)} "
                f"{', '.join(str(i + 1) for i in self.neurons)} shifted off P: {moves}, e {_signed(self.t)} "
                f"(h kept on P, not raised above 0 off P)")


@dataclass(frozen=True)
class DoubleDeadNeuron(_IdentMove):
    r"""First-layer neuron ``i`` dead on $\overline P$ (U−) with its output weight doubled, $v_i \mapsto 2v_i$:
    valid iff it is dead on $\overline P$ and $\sigma(h)$ is unchanged (checked exactly; true when $v_i < 0$)."""

    i: int
    mechanism: ClassVar[str] = _HIDDEN

    def build(self, net: Network) -> Network:
        ns = _neurons(net)
        check_neurons((self.i,), len(ns))
        w, b, v = ns[self.i]
        ns[self.i] = (w, b, 2 * v)
        return _rebuild(net, ns, _view(net).e)

    def apply(self, net: Network) -> Network:
        after = self.build(net)
        return _check(self, net, after, dead=((net, self.i), (after, self.i)))

    def describe(self) -> str:
        return f"U- neuron {self.i + 1} (dead on the closure of P) doubled: v_{self.i + 1} * 2"


@dataclass(frozen=True)
class ReflectHiddenNeuron(_IdentMove):
    r"""First-layer neuron ``i`` (missing $P$) reflected beyond $P$: $(w_i, b_i, v_i) \mapsto (-w_i, \beta - b_i,
    -v_i)$ and $e \mapsto e + v_i\beta$ (where $0 \le z_i \le \beta$, on $P$ when $\beta \ge \sup_P z_i$,
    $-v_i\sigma(\beta - z_i) + v_i\beta = v_iz_i$); valid iff the neuron misses $P$ before and after and
    $\sigma(h)$ is unchanged (checked exactly)."""

    i: int
    beta: fmpq
    mechanism: ClassVar[str] = "U+ neuron reflected beyond P"

    def build(self, net: Network) -> Network:
        ns = _neurons(net)
        check_neurons((self.i,), len(ns))
        w, b, v = ns[self.i]
        beta = _q(self.beta, "beta")
        ns[self.i] = (_scale(-_ONE, w), beta - b, -v)
        return _rebuild(net, ns, _view(net).e + v * beta)

    def apply(self, net: Network) -> Network:
        after = self.build(net)
        return _check(self, net, after, hidden=((net, self.i), (after, self.i)))

    def describe(self) -> str:
        n = self.i + 1
        return (f"U+ neuron {n} reflected beyond P: w_{n}, v_{n} negated, b_{n} = beta - b_{n} with "
                f"beta = {self.beta}, e + v_{n} beta")


@dataclass(frozen=True)
class PairOffP(_IdentMove):
    r"""An opposite pair $(w_j, b_j) = -\lambda(w_i, b_i)$, $\lambda > 0$ (``kept`` $= i$, ``moved`` $= j$,
    checked exactly): neuron $i$ carries the whole kink ($v_i \mapsto v_i + \lambda v_j$) and neuron $j$ keeps
    $v_jz_j$ on $P$ from a hyperplane off $P$ — ``mode`` ``"shift"``: $b_j \mapsto b_j + a$, $e \mapsto e - v_ja$;
    ``"reflect"``: $(w_j, b_j, v_j) \mapsto (-w_j, a - b_j, -v_j)$, $e \mapsto e + v_ja$ (``a`` = ``amount``).
    Valid iff neuron $j$ misses $P$ afterwards and $\sigma(h)$ is unchanged (checked exactly)."""

    kept: int
    moved: int
    mode: str
    amount: fmpq
    mechanism: ClassVar[str] = "opposite pair moved off P"

    def build(self, net: Network) -> Network:
        ns = _neurons(net)
        i, j = check_neurons((self.kept, self.moved), len(ns))
        if self.mode not in ("shift", "reflect"):
            self._fail(f"mode {self.mode!r} is not 'shift' or 'reflect'")
        lam = _ratio(tuple(ns[i][0]) + (ns[i][1],), tuple(ns[j][0]) + (ns[j][1],))
        if lam is None:
            self._fail(f"neurons {i + 1}, {j + 1} are not an opposite pair (w_j, b_j) = -lambda (w_i, b_i)")
        a, (w, b, v), e = _q(self.amount, "amount"), ns[j], _view(net).e
        ns[i] = (ns[i][0], ns[i][1], ns[i][2] + lam * v)
        if self.mode == "shift":
            ns[j], e = (w, b + a, v), e - v * a
        else:
            ns[j], e = (_scale(-_ONE, w), a - b, -v), e + v * a
        return _rebuild(net, ns, e)

    def apply(self, net: Network) -> Network:
        after = self.build(net)
        return _check(self, net, after, hidden=((after, self.moved),))

    def describe(self) -> str:
        i, j = self.kept + 1, self.moved + 1
        how = (f"shifted off P: b_{j} + {self.amount}, e - v_{j} * {self.amount}" if self.mode == "shift" else
               f"reflected beyond P: w_{j}, v_{j} negated, b_{j} = {self.amount} - b_{j}, e + v_{j} * {self.amount}")
        return (f"opposite pair {min(i, j)}, {max(i, j)} sharing a hyperplane, the kink carried by neuron {i}, "
                f"neuron {j} {how}")


@dataclass(frozen=True)
class PairTrade(_IdentMove):
    r"""An opposite pair (``kept`` $= i$, ``freed`` $= j$, $(w_j, b_j) = -\lambda(w_i, b_i)$, $\lambda > 0$,
    checked exactly) merged onto neuron $i$ ($v_i \mapsto v_i + \lambda v_j$, $(w_i, b_i)$ negated too when
    ``kept_flipped``), the neurons ``flipped`` negated ($(w, b) \mapsto (-w, -b)$), neuron $j$ replaced by
    ``(w, b, v)`` and $e$ set to ``e``: the linear part these flips leave on $P$ carried by a hyperplane off $P$ —
    or by two, with the hidden neurons of ``also`` (pairs ``(k, (w, b, v))``) given new rows too. Valid iff neuron
    $j$ and those of ``also`` miss $P$ afterwards (and the latter before) and $\sigma(h)$ is unchanged (checked
    exactly)."""

    kept: int
    freed: int
    flipped: tuple[int, ...]
    kept_flipped: bool
    w: tuple[fmpq, ...]
    b: fmpq
    v: fmpq
    e: fmpq
    also: tuple = ()
    mechanism: ClassVar[str] = "pair trade"

    def _also(self) -> tuple[int, ...]:
        try:
            return tuple(k for k, _ in self.also)
        except (TypeError, ValueError):
            self._fail("also: not pairs (neuron, (w, b, v))")

    def build(self, net: Network) -> Network:
        ns = _neurons(net)
        i, j = check_neurons((self.kept, self.freed), len(ns))
        K = self._also()
        F = check_neurons(tuple(self.flipped) + K + (i, j), len(ns))[:len(self.flipped)]
        lam = _ratio(tuple(ns[i][0]) + (ns[i][1],), tuple(ns[j][0]) + (ns[j][1],))
        if lam is None:
            self._fail(f"neurons {i + 1}, {j + 1} are not an opposite pair (w_j, b_j) = -lambda (w_i, b_i)")
        for k in F + ((i,) if self.kept_flipped is True else ()):
            w, b, v = ns[k]
            ns[k] = (_scale(-_ONE, w), -b, v)
        ns[i] = (ns[i][0], ns[i][1], ns[i][2] + lam * ns[j][2])
        ns[j] = _neuron((self.w, self.b, self.v), len(ns[0][0]))
        for k, row in self.also:
            ns[k] = _neuron(row, len(ns[0][0]))
        return _rebuild(net, ns, _q(self.e, "e"))

    def apply(self, net: Network) -> Network:
        after = self.build(net)
        moved = ((after, self.freed),) + tuple((x, k) for k in self._also() for x in (net, after))
        return _check(self, net, after, hidden=moved)

    def describe(self) -> str:
        i, j = self.kept + 1, self.freed + 1
        moved = (f"neurons {', '.join(str(k + 1) for k in self.flipped)} flipped" if self.flipped else
                 "no other neuron flipped")
        return (f"opposite pair {min(i, j)}, {max(i, j)} sharing a hyperplane, the kink carried by neuron "
                f"{i}{' (flipped)' if self.kept_flipped else ''}, {moved}, neuron {j} moved off P carrying their "
                f"linear part: w_{j} = ({', '.join(map(str, self.w))}), b_{j} = {self.b}, v_{j} = {self.v}"
                + "".join(f", hidden neuron {k + 1} moved too: w_{k + 1} = ({', '.join(map(str, w))}), "
                          f"b_{k + 1} = {b}, v_{k + 1} = {v}" for k, (w, b, v) in self.also)
                + f", e = {self.e}")


@dataclass(frozen=True)
class InnerNetworkMove(_IdentMove):
    r"""The inner shallow network $h$ moved by ``move`` (a :class:`~semialg.engine.witnesses.WitnessMove` of one
    hidden layer, its own precondition re-checked by its ``apply``; one that carries its target is taken as the
    new $h$), $c$ and $d$ kept; valid iff $\sigma(h)$ is unchanged (checked exactly on the joint arrangement)."""

    move: object
    mechanism: ClassVar[str] = "inner network not identifiable"

    def _inner(self, net: Network) -> Network:
        from semialg.engine.witnesses import WitnessMove
        if type(self.move) is not WitnessMove:
            self._fail("the inner move is not a witness move of the engine")
        inner = _view(net).inner
        new = self.move.target if self.move.target is not None else self.move.apply(inner)
        if type(new) is not Network or new.widths != inner.widths:
            self._fail("the inner move does not give a network of the inner widths")
        return new

    def build(self, net: Network) -> Network:
        new = self._inner(net)
        return Network(new.weights + net.weights[2:], new.biases + net.biases[2:])

    def apply(self, net: Network) -> Network:
        return _check(self, net, self.build(net))

    def describe(self) -> str:
        return f"the inner network h moved by its own witness ({self.move.kind}: {self.move.describe()})"


#: The classes of the module (the engine's ``"family move"`` replays only moves of the families' own classes).
IDENT_MOVES = (ShiftHiddenBiases, DoubleDeadNeuron, ReflectHiddenNeuron, PairOffP, PairTrade, InnerNetworkMove)


def replayable(move) -> bool:
    """Whether ``move`` is one of the bottleneck family's own move classes (not a look-alike defined elsewhere)."""
    return isinstance(move, BottleneckMove) and defined_in(type(move), "semialg.families.bottleneck")
