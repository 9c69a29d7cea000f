r"""Case (a) symmetry witnesses: the moves of first-layer neurons that keep $\sigma(h)$, and the move chain
relating two equivalent parameters.

For $f = c\,\sigma(h) + d$ with $c \ne 0$ and $N = \{h < 0\} \ne \emptyset$ (regime PN), $f_{\theta'} = f_\theta$
iff $c' = c/\mu$, $d' = d$ and $\sigma(h') = \mu\sigma(h)$ (Grillo et al., three-layer bottlenecks): the outer
ReLU hides whatever $h$ does off $P = \{h > 0\}$. So after the group element scaling the bottleneck neuron by
$\mu$, a move may change $h$ freely as long as $h' = h$ on $\overline P$ and $h' \le 0$ off $P$. Every move
below checks exactly that on replay (:func:`_check`): on each open cell $C$ of the joint arrangement of the
first-layer hyperplanes before and after, $h = A$ and $h' = B$ are affine; if $A > 0$ somewhere on $C$ then
$A = B$, else $B \le 0$ on $C$ (the sign range read off the cell's vertices and rays in the plane, exact LPs
for $n_0 \ge 3$) — necessary and sufficient for $\sigma(h') = \sigma(h)$. It also checks the kind of the
neurons the move names, on the cells that meet $P$: a hidden neuron (U−) is dead on $\overline P$ (or
contributes nothing), a neuron of the affine trade misses $P$ (U+, U±, constants), a flipped one is visible.

* :class:`MoveHiddenNeuron`, :class:`InsertHiddenNeuron`, :class:`DropHiddenNeuron` — U− neurons moved,
  inserted, removed (width changes);
* :class:`TradeOnP` — the hidden neurons affine on $P$ and $e$ traded for others reproducing $h$ on $P$ (the
  U+ $\leftrightarrow e$ trade), possibly absorbing flips of visible neurons or the affine change of opposite
  pairs on visible hyperplanes trading output weights;
* :class:`DropConstantNeuron` — a neuron with $w = 0$ or $v = 0$ removed, $e$ absorbing its value ($h$ unchanged);
* :class:`FlipInner` — the 0-factor flips of $h$ itself (no arrangement needed);
* regime T ($h \ge 0$: $f = c\,h + d$): :class:`TradeBiasOutput`, the $e \leftrightarrow d$ trade;
* constant $f$: :class:`SilenceOuter` ($c \mapsto 0$ when $h \le 0$), :class:`ReplaceInner` (any $h$ when $c = 0$).

:func:`hidden_witness` builds the chain: the group element matching the visible neurons (and every hidden neuron
the two parameters share) up to orientation, the 0-factor flip when the orientations differ by one, then the
hidden neurons — the U− neurons whose replacement lowers $h$ first, the trade, the others last, so that every
intermediate $h$ stays $\le 0$ off $P$ (:func:`_route`) — and a final permutation.

>>> a = Network.from_arrays([[[-1, 0], [0, 1], [0, -1], [1, 0]], [[1, -1, -1, -2]], [[1]]], [[0, 0, 0, -5], [0], [0]])
>>> b = Network.from_arrays([[[-1, 0], [0, 1], [0, -1], [2, 1]], [[1, -1, -1, -7]], [[1]]], [[0, 0, 0, -3], [0], [0]])
>>> cert = hidden_witness(a, b); cert.verify(a, b), cert.mechanisms()     # neuron 3 is U-: moved
(True, ['hidden neurons (U-)'])
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar, Sequence

from flint import fmpq

from semialg.core.certificate import check_neurons
from semialg.core.exact import fingerprint, normalise_row, to_fmpq
from semialg.core.network import Network
from semialg.core.symmetry import GroupElement
from semialg.errors import CertificateError, ParameterError
from semialg.families.bottleneck.arrangement import NetworkArrangement, visible
from semialg.engine.hyperplane_keys import row_correspondence
from semialg.families.bottleneck.moves import ActBy, BottleneckMove, BottleneckMoveCertificate, _nums
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import OuterView, Vec, _ONE, _ZERO, _scale

__all__ = ["FlipInner", "DropConstantNeuron", "MoveHiddenNeuron", "InsertHiddenNeuron", "DropHiddenNeuron",
           "TradeOnP", "SilenceOuter", "ReplaceInner", "TradeBiasOutput", "flip_witness", "hidden_witness"]

Neuron = tuple[Vec, fmpq, fmpq]  # (w, b, v) of a first-layer neuron


def _view(net: Network) -> OuterView:
    """The :class:`OuterView` of a network of widths $(n_0, n_1, 1, n_3)$, $n_1 = 1$ included (an intermediate
    network of a move chain may pass through width 1, which :func:`~.views.bottleneck_case` counts as case (b))."""
    if net.depth != 3 or net.widths[2] != 1:
        raise CertificateError(f"a case-(a) move needs widths (n0, n1, 1, n3), got {net.architecture}")
    (W1, W2, W3), (b1, b2, b3) = net.weights, net.biases
    return OuterView(Network((W1, W2), (b1, b2)), tuple(r[0] for r in W3), b3)


def _neurons(net: Network) -> list[Neuron]:
    view = _view(net)
    return [(tuple(w), b, v) for w, b, v in zip(view.w, view.b, view.v, strict=True)]


def _neuron(n: Sequence, n0: int) -> Neuron:
    """``(w, b, v)`` as exact rationals with $|w| = n_0$ (a forged row raises :class:`CertificateError`)."""
    try:
        w, b, v = n
        w = tuple(to_fmpq(x, where="w") for x in w)
        out = w, to_fmpq(b, where="b"), to_fmpq(v, where="v")
    except (ParameterError, TypeError, ValueError) as exc:
        raise CertificateError(f"not a first-layer neuron (w, b, v): {exc}") from None
    if len(w) != n0:
        raise CertificateError(f"a first-layer row needs {n0} weights, got {len(w)}")
    return out


def _rebuild(net: Network, neurons: Sequence[Neuron], e: fmpq) -> Network:
    """``net`` with first-layer neurons ``neurons`` and bias $e$ of the bottleneck neuron ($c$, $d$ kept)."""
    if not neurons:
        raise CertificateError("a move may not remove every first-layer neuron")
    (_, _, W3), (_, _, b3) = net.weights, net.biases
    return Network((tuple(w for w, _, _ in neurons), (tuple(v for _, _, v in neurons),), W3),
                   (tuple(b for _, b, _ in neurons), (e,), b3))


def _check(move: BottleneckMove, before: Network, after: Network, dead: Sequence = (), hidden: Sequence = (),
           flipped: Sequence[int] = (), lines: Sequence[int] = ()) -> Network:
    r"""``after`` if $\sigma(h_{after}) = \sigma(h_{before})$ (same $c$, $d$), with every neuron ``(net, i)`` of
    ``dead`` dead on $\overline P$, of ``hidden`` missing $P$, the ``flipped`` neurons of ``before`` visible and
    the hyperplanes of its neurons ``lines`` meeting $P$;
    else :class:`CertificateError`. Cost: the cells of the joint arrangement, one or two range tests each."""
    arr = NetworkArrangement((before, after))
    views = {id(before): _view(before), id(after): _view(after)}
    vb, va = views[id(before)], views[id(after)]
    if (vb.c, vb.d) != (va.c, va.d):
        move._fail("the outer layer changed")
    maps = [arr.affine_maps(arr.neuron_data(v.inner), arr.cells) for v in (vb, va)]
    on_p = []
    for cell, A, B in zip(arr.cells, *maps, strict=True):
        if arr.range_sign(cell, A) != -1:
            if A != B:
                move._fail("h changes on P = {h > 0}")
            on_p.append(cell)
        elif arr.range_sign(cell, B) != -1:
            move._fail("the moved h is positive somewhere off P = {h > 0}")

    def sides(net: Network, i: int) -> set:
        w, b, v = _neurons(net)[i]
        if not any(w):
            return {1 if b > 0 and v != 0 else -1}
        key, _, s = normalise_row(arr._embed(w) + (b,))
        k = arr.index[fingerprint(key)]
        return {cell.signs[k] * s for cell in on_p} if v != 0 else {-1}

    def meets_p(net: Network, i: int) -> bool:
        w, b, _ = _neurons(net)[i]
        key = normalise_row(arr._embed(w) + (b,))[0]
        return visible(arr, views[id(net)], arr.index[fingerprint(key)])

    for net, i in dead:
        if not sides(net, i) <= {-1}:
            move._fail(f"neuron {i + 1} is not dead on the closure of P")
    for net, i in hidden:
        if len(sides(net, i)) > 1 and meets_p(net, i):
            move._fail(f"neuron {i + 1} meets P (it is visible)")
    for i in flipped:
        if len(sides(before, i)) < 2 or not meets_p(before, i):
            move._fail(f"neuron {i + 1} is not visible")
    for i in lines:
        if not meets_p(before, i):
            move._fail(f"the hyperplane of neuron {i + 1} does not meet P")
    return after


@dataclass(frozen=True)
class FlipInner(BottleneckMove):
    """Case (a): flip the first-layer neurons ``S`` ($\\sum_{i\\in S} v_iw_i = 0$, checked exactly) and add
    $\\sum_{i\\in S} v_ib_i$ to $e$: the inner network $h$ is unchanged."""

    S: tuple[int, ...]
    mechanism: ClassVar[str] = "zero-factor flips"

    def apply(self, net: Network) -> Network:
        view = _view(net)
        check_neurons(self.S, len(view.v))
        n0 = len(view.w[0])
        if any(sum((view.v[i] * view.w[i][j] for i in self.S), _ZERO) != 0 for j in range(n0)):
            self._fail(f"the sum of v_i w_i over S = {_nums(self.S)} is not zero")
        W1 = [(_scale(-_ONE, w) if i in self.S else w) for i, w in enumerate(view.w)]
        b1 = [(-b if i in self.S else b) for i, b in enumerate(view.b)]
        e = view.e + sum((view.v[i] * view.b[i] for i in self.S), _ZERO)
        return net.replace_layer(1, W1, b1).replace_layer(2, bias=[e])

    def describe(self) -> str:
        return f"first-layer neurons {_nums(self.S)} flipped (a 0-factor of h), e compensates"


_HIDDEN = "hidden neurons (U-)"
_CONSTANT = "constant neurons (D)"


@dataclass(frozen=True)
class DropConstantNeuron(BottleneckMove):
    r"""Case (a): first-layer neuron ``i`` constant — $w_i = 0$ or $v_i = 0$, checked exactly — removed and its
    value $v_i\sigma(b_i)$ (for $w_i = 0$) added to $e$ (width $n_1 - 1 \ge 1$): $h$ is unchanged identically,
    so no arrangement is needed. Cost: $O(n_1n_0)$."""

    i: int
    mechanism: ClassVar[str] = _CONSTANT

    def apply(self, net: Network) -> Network:
        view = _view(net)
        check_neurons((self.i,), n := len(view.b))
        w, b, v = view.w.row(self.i), view.b[self.i], view.v[self.i]
        if any(w) and v != 0 or n == 1:
            self._fail(f"neuron {self.i + 1} is not constant (w != 0 and v != 0)" if n > 1 else
                       "a move may not remove every first-layer neuron")
        return view.without_neuron(self.i, view.e + (v * max(b, _ZERO) if not any(w) else _ZERO))

    def describe(self) -> str:
        return f"constant first-layer neuron {self.i + 1} removed (w = 0 or v = 0; e absorbs its value)"


@dataclass(frozen=True)
class MoveHiddenNeuron(BottleneckMove):
    r"""Case (a): first-layer neuron ``i``, dead on $\overline P$ (U−), given the incoming weights ``w``, bias
    ``b`` and output weight ``v`` of a neuron dead on $\overline P$ too; valid iff $\sigma(h)$ is unchanged
    ($h' \le 0$ off $P$), checked exactly."""

    i: int
    w: Vec
    b: fmpq
    v: fmpq
    mechanism: ClassVar[str] = _HIDDEN

    def apply(self, net: Network) -> Network:
        neurons = _neurons(net)
        check_neurons((self.i,), len(neurons))
        neurons[self.i] = _neuron((self.w, self.b, self.v), len(neurons[0][0]))
        after = _rebuild(net, neurons, _view(net).e)
        return _check(self, net, after, dead=((net, self.i), (after, self.i)))

    def describe(self) -> str:
        return (f"hidden first-layer neuron {self.i + 1} moved to w = ({', '.join(map(str, self.w))}), b = {self.b}, "
                f"v = {self.v} (dead on P before and after)")


@dataclass(frozen=True)
class InsertHiddenNeuron(BottleneckMove):
    r"""Case (a): a first-layer neuron $(w, b, v)$ dead on $\overline P$ appended (width $n_1 + 1$); valid iff
    $h + v\sigma(w\cdot x + b) \le 0$ off $P$, checked exactly."""

    w: Vec
    b: fmpq
    v: fmpq
    mechanism: ClassVar[str] = _HIDDEN

    def apply(self, net: Network) -> Network:
        neurons = _neurons(net)
        neurons.append(_neuron((self.w, self.b, self.v), len(neurons[0][0])))
        after = _rebuild(net, neurons, _view(net).e)
        return _check(self, net, after, dead=((after, len(neurons) - 1),))

    def describe(self) -> str:
        return f"hidden first-layer neuron inserted: w = ({', '.join(map(str, self.w))}), b = {self.b}, v = {self.v}"


@dataclass(frozen=True)
class DropHiddenNeuron(BottleneckMove):
    r"""Case (a): first-layer neuron ``i``, dead on $\overline P$, removed (width $n_1 - 1 \ge 1$); valid iff
    $h - v_i\sigma(w_i\cdot x + b_i) \le 0$ off $P$, checked exactly."""

    i: int
    mechanism: ClassVar[str] = _HIDDEN

    def apply(self, net: Network) -> Network:
        neurons = _neurons(net)
        check_neurons((self.i,), len(neurons))
        after = _rebuild(net, neurons[:self.i] + neurons[self.i + 1:], _view(net).e)
        return _check(self, net, after, dead=((net, self.i),))

    def describe(self) -> str:
        return f"hidden first-layer neuron {self.i + 1} removed (dead on P)"


@dataclass(frozen=True)
class TradeOnP(BottleneckMove):
    r"""Case (a): the neurons ``drop`` (each missing $P$: U+, U±, constants) removed, the visible neurons ``flip``
    flipped ($(w, b) \mapsto (-w, -b)$, which changes $h$ by $-v\ell$), the opposite ``pairs`` $(i, j)$
    ($(w_j, b_j) = -\lambda(w_i, b_i)$, $\lambda > 0$, hyperplane meeting $P$, no neuron of a pair flipped; all
    checked exactly) trading output weights by ``shifts`` $Y$ ($v_i \mathrel{+}= Y$, $v_j \mathrel{-}= Y/\lambda$,
    which changes $h$ by $Y(w_i\cdot x + b_i)$), the neurons ``insert`` (each missing $P$ in the result) appended
    and $e$ set to ``e``: the affine map of $h$ on $P$ traded between hidden neurons affine on $P$, the flipped
    neurons' and pairs' affine terms and $e$. Valid iff $\sigma(h)$ is unchanged, checked exactly."""

    drop: tuple[int, ...]
    insert: tuple[Neuron, ...]
    flip: tuple[int, ...]
    e: fmpq
    pairs: tuple[tuple[int, int], ...] = ()
    shifts: tuple[fmpq, ...] = ()

    @property
    def mechanism(self) -> str:
        return self.mechanisms()[0]

    def mechanisms(self) -> tuple[str, ...]:
        names = (("opposite pairs absorbed by U+ neurons",) * bool(self.pairs)
                 + ("flips absorbed by U+ neurons",) * bool(self.flip))
        return names or ("U+ <-> e trade",)

    def apply(self, net: Network) -> Network:
        neurons = _neurons(net)
        n = len(neurons)
        pairs = tuple(tuple(p) for p in self.pairs)
        if any(len(p) != 2 for p in pairs) or len(pairs) != len(self.shifts):
            self._fail("pairs must be index pairs, one shift each")
        named = tuple(k for p in pairs for k in p)
        check_neurons(tuple(self.drop) + tuple(self.flip) + named, n)
        if set(self.flip) & set(named):
            self._fail("a neuron of an opposite pair is flipped")
        new = [_neuron(x, len(neurons[0][0])) for x in self.insert]
        total = [_ZERO] * len(neurons[0][0])
        for (i, j), y in zip(pairs, self.shifts, strict=True):
            ri, rj = tuple(neurons[i][0]) + (neurons[i][1],), tuple(neurons[j][0]) + (neurons[j][1],)
            lam = -rj[ri.index(next(x for x in ri if x))] / next(x for x in ri if x) if any(neurons[i][0]) else None
            if lam is None or lam <= 0 or _scale(-lam, ri) != rj or i in self.drop or j in self.drop:
                self._fail(f"neurons {i + 1}, {j + 1} are not an opposite pair (w_j, b_j) = -lambda (w_i, b_i)")
            y = to_fmpq(y, where="shift")
            if y == 0:
                self._fail(f"the pair ({i + 1}, {j + 1}) trades nothing")
            total = [t + y * x for t, x in zip(total, neurons[i][0], strict=True)]
            neurons[i] = (neurons[i][0], neurons[i][1], neurons[i][2] + y)
            neurons[j] = (neurons[j][0], neurons[j][1], neurons[j][2] - y / lam)
        if pairs and not any(total):
            self._fail("the pairs' affine terms cancel: nothing for the U+ neurons to absorb (TradeOppositePairs)")
        kept = [((_scale(-_ONE, w), -b, v) if i in self.flip else (w, b, v))
                for i, (w, b, v) in enumerate(neurons) if i not in self.drop]
        after = _rebuild(net, kept + new, to_fmpq(self.e, where="e"))
        hidden = [(net, i) for i in self.drop] + [(after, len(kept) + k) for k in range(len(new))]
        return _check(self, net, after, hidden=hidden, flipped=self.flip, lines=named)

    def describe(self) -> str:
        what = f"visible neurons {_nums(self.flip)} flipped, " if self.flip else ""
        if self.pairs:
            what += (f"visible opposite pairs {[_nums(p) for p in self.pairs]} trade output weights by "
                     f"{[str(y) for y in self.shifts]}, ")
        return (f"{what}hidden neurons {_nums(self.drop)} affine on P replaced by {len(self.insert)} others and "
                f"e = {self.e}: the same affine map on P")


@dataclass(frozen=True)
class SilenceOuter(BottleneckMove):
    r"""Case (a) with $h \le 0$ everywhere ($P = \emptyset$: $f = d$): the output weights $c$ set to $0$; checked
    exactly, $h \le 0$ on every cell of the first layer's arrangement."""

    mechanism: ClassVar[str] = "constant function"

    def apply(self, net: Network) -> Network:
        view = _view(net)
        arr = NetworkArrangement((net,))
        maps = arr.affine_maps(arr.neuron_data(view.inner), arr.cells)
        if any(arr.range_sign(cell, A) != -1 for cell, A in zip(arr.cells, maps, strict=True)):
            self._fail("h > 0 somewhere: the outer neuron is not silent")
        return net.replace_layer(3, weight=[[_ZERO] for _ in view.c])

    def describe(self) -> str:
        return "h <= 0 everywhere: the output weights c set to 0"


@dataclass(frozen=True)
class ReplaceInner(BottleneckMove):
    r"""Case (a) with $c = 0$ ($f = d$): the first-layer neurons replaced by ``neurons`` (any number) and the
    bottleneck bias by ``e``."""

    neurons: tuple[Neuron, ...]
    e: fmpq
    mechanism: ClassVar[str] = "constant function"

    def apply(self, net: Network) -> Network:
        view = _view(net)
        if any(view.c):
            self._fail("the output weights c are not zero")
        n0 = net.architecture.input_dim
        return _rebuild(net, [_neuron(x, n0) for x in self.neurons], to_fmpq(self.e, where="e"))

    def describe(self) -> str:
        return f"c = 0: the inner network replaced ({len(self.neurons)} first-layer neurons, e = {self.e})"


@dataclass(frozen=True)
class TradeBiasOutput(BottleneckMove):
    r"""Case (a), regime T ($h \ge 0$ everywhere, so $f = c\,h + d$): $e \mapsto e + t$, $d \mapsto d - ct$; valid
    iff $h \ge 0$ and $h + t \ge 0$ on every cell of the first layer's arrangement (checked exactly)."""

    t: fmpq
    mechanism: ClassVar[str] = "e <-> d trade"

    def apply(self, net: Network) -> Network:
        view = _view(net)
        t = to_fmpq(self.t, where="t")
        arr = NetworkArrangement((net,))
        for cell, (lin, const) in zip(arr.cells, arr.affine_maps(arr.neuron_data(view.inner), arr.cells),
                                      strict=True):
            if arr.range_sign(cell, (_scale(-_ONE, lin), -min(const, const + t))) != -1:
                self._fail(f"h or h + {t} is negative somewhere: the outer ReLU is not the identity on both")
        return net.replace_layer(2, bias=[view.e + t]).replace_layer(3, bias=[d - c * t for c, d in
                                                                              zip(view.c, view.d, strict=True)])

    def describe(self) -> str:
        return f"h >= 0 before and after: e shifted by {self.t}, d compensates"


# == the witness ==========================================================================================

def _canon(n: Neuron, flip: bool = False) -> tuple:
    """A key of the neuron up to positive scaling (after a flip): $((w, b)/s, vs)$, $s$ the first non-zero $|x|$."""
    w, b, v = n
    row = _scale(-_ONE, tuple(w) + (b,)) if flip else tuple(w) + (b,)
    s = normalise_row(row)[1]
    return (fingerprint(_scale(1 / s, row)), v * s) if s else (fingerprint(row), v)


def _scale_of(n: Neuron) -> fmpq:
    return normalise_row(tuple(n[0]) + (n[1],))[1]


def _match(n1: list[Neuron], n2: list[Neuron], free1: Sequence[int], free2: Sequence[int],
           flip: bool = False) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` of ``free1`` x ``free2`` with equal keys (``flip``: neuron i flipped), greedily."""
    where: dict = {}
    for j in free2:
        where.setdefault(_canon(n2[j]), []).append(j)
    out = []
    for i in free1:
        js = where.get(_canon(n1[i], flip))
        if js:
            out.append((i, js.pop(0)))
    return out


def _zero_factor(a: list[Neuron], S: Sequence[int]) -> bool:
    return bool(S) and all(sum((a[i][2] * a[i][0][k] for i in S), _ZERO) == 0 for k in range(len(a[0][0])))


class _Chain:
    def __init__(self, net: Network):
        self.net, self.moves = net, []

    def do(self, move: BottleneckMove) -> None:
        self.net = move.apply(self.net)
        self.moves.append(move)


def _route(ch: _Chain, target: list[Neuron], e2: fmpq, dead1, other1, dead2, other2, flips,
           pair_all: bool, traded=()) -> None:
    r"""The hidden moves from ``ch.net`` to the neurons of ``target`` (labels ``("r", i)`` / ``("t", j)`` name
    the current neurons). Monotone order, every step valid when the end points are equivalent: the target's U−
    neurons with $v < 0$ in (a current U− neuron with $v \ge 0$ moved there when there is one), the remaining
    current U− neurons with $v \ge 0$ out — each step only lowers $h$ off $P$ —; the trade on $P$; then the
    target's U− neurons with $v \ge 0$ in (moving current ones with $v < 0$), the rest out: $h$ stays below
    $h_{target}$ off $P$. ``pair_all`` also moves U− neurons into others of the same sign (fewer moves, each
    still checked; the caller falls back to the monotone order when one fails)."""
    labels = [("r", i) for i in range(len(_neurons(ch.net)))]
    v = [n[2] for n in _neurons(ch.net)]
    zeroed = {k for pair, _ in traded for k in pair}    # dead once the trade has set v = 0: out after it
    pos1, neg1 = [i for i in dead1 if v[i] >= 0 and i not in zeroed], [i for i in dead1 if v[i] < 0 or i in zeroed]
    neg2, pos2 = [j for j in dead2 if target[j][2] < 0], [j for j in dead2 if target[j][2] >= 0]

    def move(src: list, j: int) -> None:
        k = labels.index(("r", src.pop(0)))
        ch.do(MoveHiddenNeuron(k, *target[j]))
        labels[k] = ("t", j)

    def insert(j: int) -> None:
        ch.do(InsertHiddenNeuron(*target[j]))
        labels.append(("t", j))

    def drop(i: int) -> None:
        k = labels.index(("r", i))
        ch.do(DropHiddenNeuron(k))
        del labels[k]

    for j in neg2:
        if pos1 or (pair_all and neg1):
            move(pos1 if pos1 else neg1, j)
        else:
            insert(j)
    while pair_all and pos1 and pos2:
        move(pos1, pos2.pop(0))
    for i in pos1:
        drop(i)
    if other1 or other2 or flips or traded or _view(ch.net).e != e2:
        drop_at = tuple(labels.index(("r", i)) for i in other1)
        pairs = tuple((labels.index(("r", i)), labels.index(("r", j))) for (i, j), _ in traded)
        ch.do(TradeOnP(drop_at, tuple(target[j] for j in other2), tuple(labels.index(("r", i)) for i in flips), e2,
                       pairs, tuple(y for _, y in traded)))
        labels[:] = [x for k, x in enumerate(labels) if k not in drop_at] + [("t", j) for j in other2]
    for j in pos2:
        if neg1:
            move(neg1, j)
        else:
            insert(j)
    for i in list(neg1):
        drop(i)


def _pair_shifts(a: list[Neuron], z: list[Neuron], vis1: Sequence[int], vis2: Sequence[int]) -> list:
    r"""Opposite pairs of visible neurons of ``a`` on one hyperplane whose normalised output weights
    $\alpha_\pm$ and those $\beta_\pm$ of ``z`` there ($0$ for an orientation ``z`` has no neuron of: a pair
    may become one neuron, or none when its jump is $0$) have the same jump $\alpha_+ + \alpha_- = \beta_+ +
    \beta_-$ but $\alpha_+ \ne \beta_+$: ``((i, j), y, lam)`` with $v_i \mathrel{+}= y$, $v_j \mathrel{-}=
    y/\lambda$ ($(w_j, b_j) = -\lambda(w_i, b_i)$) matching them — only when the affine terms they trade do not
    cancel ($\sum_p Y_pw_{i_p} \ne 0$: :class:`TradeOnP` has the U+ neurons absorb them on $P$; cancelling
    trades are :class:`~.outer_symmetries.TradeOppositePairs`)."""
    def oriented(ns, idx):
        out: dict = {}
        for k in idx:
            w, b, v = ns[k]
            key, scale, sign = normalise_row(tuple(w) + (b,))
            out.setdefault(fingerprint(key), {})[sign] = (k, scale, key)
        return out
    rows = lambda ns: [k for k, (w, _, _) in enumerate(ns) if any(w)]  # noqa: E731
    o1, o2 = oriented(a, rows(a)), oriented(z, rows(z))
    seen1, seen2 = ({fingerprint(normalise_row(tuple(ns[k][0]) + (ns[k][1],))[0]) for k in vis}
                    for ns, vis in ((a, vis1), (z, vis2)))
    found, total = [], None
    for key, side in o1.items():
        if key not in seen1 or len(side) != 2 or (key in o2 and key not in seen2):
            continue
        (i, si, k), (j, sj, _) = side[1], side[-1]
        beta = {s: z[p][2] * tp for s, (p, tp, _) in o2.get(key, {}).items()}
        up, down = beta.get(1, _ZERO) - a[i][2] * si, beta.get(-1, _ZERO) - a[j][2] * sj
        if up and up == -down:
            found.append(((i, j), up / si, sj / si))
            lin = _scale(up, k[:-1])
            total = lin if total is None else tuple(x + y for x, y in zip(total, lin, strict=True))
    return found if total is not None and any(total) else []


def _dead(n: Neuron, cls: str) -> bool:
    w, b, v = n
    return cls == "U-" or v == 0 or (not any(w) and b <= 0)


def _mu(v1: OuterView, v2: OuterView) -> fmpq | None:
    """$\\mu > 0$ with $c_1 = \\mu c_2$ and $d_1 = d_2$, or ``None``."""
    r = next((k for k, x in enumerate(v1.c) if x != 0), None)
    if r is None or v2.c[r] == 0 or v1.c[r] / v2.c[r] <= 0 or v1.d != v2.d:
        return None
    mu = v1.c[r] / v2.c[r]
    return mu if _scale(1 / mu, v1.c) == v2.c else None


def flip_witness(net1: Network, net2: Network) -> BottleneckMoveCertificate | None:
    """Case (a), every neuron of ``net2`` a neuron of ``net1`` up to scaling and orientation (one per hyperplane):
    the 0-factor flip matching the orientations, then a group element (row scales, permutation, $\\mu$ on the
    bottleneck neuron); ``None`` otherwise. Cost: $O(n_1n_0)$ (vectorised on integer forms:
    :func:`~semialg.engine.hyperplane_keys.row_correspondence`), no arrangement."""
    v1, v2 = OuterView.of(net1), OuterView.of(net2)
    if len(v1.w) != len(v2.w) or not any(v1.c) or not any(v2.c):
        return None
    r = next(k for k, x in enumerate(v1.c) if x != 0)
    if v2.c[r] == 0 or v1.c[r] / v2.c[r] <= 0:
        return None
    mu, match = v1.c[r] / v2.c[r], row_correspondence(net1, net2)
    if match is None:
        return None
    perm, ratios = match
    S = tuple(sorted(i for i, q in zip(perm, ratios, strict=True) if q < 0))
    moves = (FlipInner(S),) if S else ()
    lam = [abs(q) for q in ratios]
    g = GroupElement([tuple(perm), (0,)], [tuple(lam), (mu,)])
    try:
        r1 = moves[0].apply(net1) if moves else net1
    except CertificateError:
        return None
    return BottleneckMoveCertificate(moves, (), g) if g.act(r1) == net2 else None


def hidden_witness(net1: Network, net2: Network, deadline: float | None = None) -> BottleneckMoveCertificate | None:
    r"""The moves relating two equivalent case-(a) parameters of one regime with $c_1 = \mu c_2$, $\mu > 0$:
    :func:`flip_witness` when it applies, else for regime PN (any widths $n_1$, $n_1'$) the hidden-neuron moves,
    for regime T the $e \leftrightarrow d$ trade, for constant $f$ the silenced outer neuron; ``None`` otherwise
    (:func:`~.outer_symmetries.outer_witness` adds the reflection, the plateau members and positive twins).

    A group element $g_0$ scales the bottleneck neuron by $\mu$ ($c_1 = \mu c_2$) and every neuron of ``net1``
    that ``net2`` has (the visible ones up to orientation) to its scale there; visible neurons of the other
    orientation are flipped by :class:`FlipInner` when they (with hidden neurons whose flips ``net2`` has) form
    a 0-factor of $h$, else inside the trade; then :func:`_route` and a final permutation. Cost: the classification
    of both parameters (past ``deadline``: :class:`~semialg.errors.UndecidedError`) plus one arrangement per move
    (polynomial for fixed $n_0$)."""
    if (cheap := flip_witness(net1, net2)) is not None:
        return cheap
    left = lambda: None if deadline is None else max(0.0, deadline - time.monotonic())  # noqa: E731
    t1, t2 = combinatorial_type(net1, budget=left()), combinatorial_type(net2, budget=left())
    v1, v2 = OuterView.of(net1), OuterView.of(net2)
    if t1.regime == t2.regime == "constant":
        return _constant_witness(net1, net2)
    if t1.regime == t2.regime == "T":
        return _trade_witness(net1, net2)
    mu = _mu(v1, v2)
    if t1.regime != "PN" or t2.regime != "PN" or mu is None:
        return None
    a = [(w, b, mu * v) for w, b, v in _neurons(net1)]     # net1's neurons in net2's frame (h scaled by mu)
    z = _neurons(net2)
    vis1 = [i for i, c in enumerate(t1.classes) if c == "V"]
    vis2 = [j for j, c in enumerate(t2.classes) if c == "V"]
    shifted = _pair_shifts(a, z, vis1, vis2)
    for (i, j), y, lam in shifted:        # matched as traded: a's weights after the trade
        a[i], a[j] = (a[i][0], a[i][1], a[i][2] + y), (a[j][0], a[j][1], a[j][2] - y / lam)
    if shifted:                           # a pair neuron traded to v = 0 (or from it) is constant
        vis1 = [i for i in range(len(a)) if a[i][2] != 0 and (i in vis1 or any(i in p for p, _, _ in shifted))]
        vis2 = [j for j in vis2 if z[j][2] != 0]
    same = _match(a, z, vis1, vis2)
    flipped = _match(a, z, [i for i in vis1 if i not in dict(same)],
                     [j for j in vis2 if j not in dict(same).values()], flip=True)
    if len(same) + len(flipped) != len(vis1) or len(vis1) != len(vis2):
        return None
    rest1 = [i for i in range(len(a)) if i not in vis1]
    rest2 = [j for j in range(len(z)) if j not in vis2]
    pairs = same + _match(a, z, rest1, rest2)
    flips, S = [i for i, _ in flipped], ()
    if flips:
        turned = _match(a, z, [i for i in rest1 if i not in dict(pairs)],
                        [j for j in rest2 if j not in dict(pairs).values()], flip=True)
        for extra in (turned, []):
            if _zero_factor(a, flips + [i for i, _ in extra]):
                S, pairs, flips = tuple(sorted(flips + [i for i, _ in extra])), pairs + flipped + extra, []
                break
    pairs += flipped if flips else []
    scales = [_ONE] * len(a)
    for i, j in pairs:
        if _scale_of(a[i]):
            scales[i] = _scale_of(z[j]) / _scale_of(a[i])
    start = _Chain(net1)
    g0 = GroupElement([tuple(range(len(a))), (0,)], [tuple(scales), (mu,)])
    if not g0.is_identity:
        start.do(ActBy(g0))
    if S:
        start.do(FlipInner(S))
    done1, done2 = {i for i, _ in pairs}, {j for _, j in pairs}
    free1 = [i for i in rest1 if i not in done1]
    free2 = [j for j in rest2 if j not in done2]
    dead1 = [i for i in free1 if _dead(a[i], t1.classes[i])]
    dead2 = [j for j in free2 if _dead(z[j], t2.classes[j])]
    other1, other2 = [i for i in free1 if i not in dead1], [j for j in free2 if j not in dead2]
    traded = [((i, j), y / scales[i]) for (i, j), y, _ in shifted]       # in the frame after g0
    if traded and set(S + tuple(flips)) & {k for p, _ in traded for k in p}:
        return None
    for pair_all in (True, False):
        ch = _Chain(start.net)
        try:
            _route(ch, z, v2.e, dead1, other1, dead2, other2, flips, pair_all, traded)
        except CertificateError:
            continue
        g = _permutation(ch.net, net2)
        if g is not None:
            return BottleneckMoveCertificate(tuple(start.moves + ch.moves), (), g)
    return None


def _constant_witness(net1: Network, net2: Network) -> BottleneckMoveCertificate | None:
    r"""Both parameters constant ($c = 0$ or $h \le 0$ everywhere) with the same $d$: each outer neuron silenced
    (:class:`SilenceOuter`), then the inner network of ``net1`` replaced by that of ``net2``."""
    ch1, ch2 = _Chain(net1), _Chain(net2)
    try:
        for ch in (ch1, ch2):
            if any(_view(ch.net).c):
                ch.do(SilenceOuter())
        if (_neurons(net1), _view(net1).e) != (_neurons(net2), _view(net2).e):
            ch1.do(ReplaceInner(tuple(_neurons(net2)), _view(net2).e))
    except CertificateError:
        return None
    g = _permutation(ch1.net, ch2.net)
    return None if g is None else BottleneckMoveCertificate(tuple(ch1.moves), tuple(ch2.moves), g)


def trade_chain(net1: Network, net2: Network) -> _Chain | None:
    r"""Regime T: ``net1`` with the bottleneck neuron scaled by $\mu$ ($c_1 = \mu c_2$, $\mu > 0$) and $e$ traded
    with $d$ by $t = (d_1 - d_2)/c_2$, so that its inner network is $\mu h_1 + t$ and its outer layer that of
    ``net2``; ``None`` when no such $\mu$, $t$ exist or a move does not apply."""
    v1, v2 = _view(net1), _view(net2)
    r = next((k for k, x in enumerate(v2.c) if x != 0), None)
    if r is None or v1.c[r] == 0 or v1.c[r] / v2.c[r] <= 0:
        return None
    mu, t = v1.c[r] / v2.c[r], (v1.d[r] - v2.d[r]) / v2.c[r]
    if _scale(1 / mu, v1.c) != v2.c or tuple(a - c * t for a, c in zip(v1.d, v2.c, strict=True)) != v2.d:
        return None
    ch = _Chain(net1)
    try:
        if mu != 1:
            ch.do(ActBy(GroupElement([tuple(range(len(v1.v))), (0,)], [(_ONE,) * len(v1.v), (mu,)])))
        if t:
            ch.do(TradeBiasOutput(t))
    except CertificateError:
        return None
    return ch


def _trade_witness(net1: Network, net2: Network) -> BottleneckMoveCertificate | None:
    r"""Regime T on both sides ($f = c\,h + d$, $h, h' \ge 0$) with $c_1 = \mu c_2$, $\mu > 0$: the bottleneck
    neuron scaled by $\mu$, the $e \leftrightarrow d$ trade by $t = (d_1 - d_2)/c_2$ ($h' = \mu h + t$), then
    :func:`flip_witness`; ``None`` otherwise (e.g. the reflection $c' = -c/|\mu|$ of a bounded $h$)."""
    ch = trade_chain(net1, net2)
    if ch is None:
        return None
    rest = flip_witness(ch.net, net2)     # two neurons on one hyperplane: inner_moves.inner_witness
    return None if rest is None else BottleneckMoveCertificate(tuple(ch.moves) + rest.moves1, (), rest.element)


def _permutation(r: Network, target: Network) -> GroupElement | None:
    """The permutation of the first layer taking ``r`` to ``target`` (equal multisets of neurons), or ``None``."""
    if r == target:
        return GroupElement.identity(r.architecture)
    n1, n2 = _neurons(r), _neurons(target)
    if len(n1) != len(n2) or _view(r).e != _view(target).e:
        return None
    where: dict = {}
    key = lambda n: fingerprint(n[0] + n[1:])  # noqa: E731 -- hashing rationals took 35 s at 784-4096-1-10
    for i, n in enumerate(n1):
        where.setdefault(key(n), []).append(i)
    perm = []
    for n in map(key, n2):
        if not where.get(n):
            return None
        perm.append(where[n].pop(0))
    g = GroupElement([tuple(perm), (0,)], [(_ONE,) * len(perm), (_ONE,)])
    return g if g.act(r) == target else None
