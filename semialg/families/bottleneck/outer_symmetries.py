r"""Case (a) symmetries beyond the hidden-neuron moves — the reflection of a bounded regime-T $h$, the plateau
members, positive twins — and the case-(a) witness over every regime.

Write $f = c\,\sigma(h) + d$, $h$ the inner shallow network. In regime T ($h \ge 0$, so $f = c\,h + d$) every
member has $c' = c/\mu$ and $\sigma(h') = \mu h + t$ for some $\mu \ne 0$, $t$ (Grillo et al., three-layer
bottlenecks): with $\mu > 0$ and $t = -\mu\min h$ the member may have $h' < 0$ on the plateau
$\{h = \min h\}$ (regime PN); with $\mu < 0$, only for bounded $h$, $\mu h + t = |\mu|(\sup h - h) + \dots$ is
$h$ reflected. Two first-layer neurons on one hyperplane with one orientation are positive twins:
$v_1\sigma(\ell) + v_2\sigma(\lambda\ell) = (v_1 + \lambda v_2)\sigma(\ell)$ for $\lambda > 0$. The moves:

* :class:`ReflectBounded` ($0 \le h \le m$ checked exactly): $v \mapsto -v$, $e \mapsto m - e$, $c \mapsto -c$,
  $d \mapsto d + cm$;
* :class:`ReflectPlateau` ($h \le m$, any regime): the inner network replaced by one with
  $\sigma(h') = m - \sigma(h)$, checked cell by cell on the joint arrangement, $c \mapsto -c$, $d \mapsto d + cm$ —
  the reflected members of regime PN when all first-layer rows are parallel;
* :class:`EnterPlateau` ($h \ge m$ checked exactly): the inner network replaced by one with
  $\sigma(h') = h - m$ — checked on the joint arrangement as in :mod:`~.outer_moves` — and $h' < 0$ somewhere,
  $d \mapsto d + cm$: a regime-T parameter to a regime-PN member;
* :class:`MergeTwins`, :class:`SplitTwin` (the twin row checked exactly; no arrangement): width $n_1 \mp 1$;
* :class:`TradeOppositePairs`: output weights traded within opposite pairs $(w_j, b_j) = -\mu(w_i, b_i)$ along
  $\sum_p Y_pw_{i_p} = 0$ ($\sigma(z) - \sigma(-z) = z$; no arrangement).

:func:`outer_witness` relates two equivalent case-(a) parameters: the hidden-neuron chain of
:func:`~.outer_moves.hidden_witness`; else the reflection and plateau moves for regime-T parameters (a pair of
regimes PN and T is certified from its T side: the chain from the T parameter, the inverse group element);
else, after merging the positive twins on both sides and trading the opposite pairs, both again.

>>> a = Network.from_arrays([[[1, 0], [1, 0]], [[1, 2]], [[3]]], [[0, -1], [1], [0]])    # h = 1 + s(x) + 2s(x - 1)
>>> b = Network.from_arrays([[[1, 0], [1, 0]], [[1, 2]], [[3]]], [[1, -1], [-1], [3]])   # h' < 0 for x < -1
>>> cert = outer_witness(a, b); cert.verify(a, b), cert.mechanisms()
(True, ['plateau members'])
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

from flint import fmpq

from semialg.core.certificate import check_neurons
from semialg.core.exact import fingerprint, normalise_row, to_fmpq
from semialg.core.network import Network
from semialg.core.symmetry import GroupElement
from semialg.engine.neurons import shift_twins, trade_opposite
from semialg.errors import CertificateError, UndecidedError
from semialg.families.bottleneck.arrangement import NetworkArrangement, extreme_values, sup_value
from semialg.families.bottleneck.inner_moves import inner_witness
from semialg.families.bottleneck.moves import ActBy, BottleneckMove, BottleneckMoveCertificate
from semialg.families.bottleneck.outer_moves import (DropConstantNeuron, Neuron, _Chain, _check, _match,
                                                     _neuron, _neurons, _permutation, _rebuild, _trade_witness,
                                                     _view, hidden_witness)
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import _ONE, _ZERO, _scale
from semialg.geometry.arrangement import negate

__all__ = ["ReflectBounded", "ReflectPlateau", "EnterPlateau", "MergeTwins", "SplitTwin", "TradeOppositePairs",
           "outer_witness"]


def _between(move: BottleneckMove, net: Network, low: fmpq, high: fmpq | None = None) -> None:
    r""":class:`CertificateError` unless ``low`` $\le h \le$ ``high`` on every cell of the first layer's
    arrangement (``high = None``: no upper bound). Cost: the cells, one or two range tests each."""
    arr = NetworkArrangement((net,))
    for cell, (lin, const) in zip(arr.cells, arr.affine_maps(arr.neuron_data(_view(net).inner), arr.cells),
                                  strict=True):
        if arr.range_sign(cell, (_scale(-_ONE, lin), low - const)) != -1:
            move._fail(f"h < {low} somewhere")
        if high is not None and arr.range_sign(cell, (lin, const - high)) != -1:
            move._fail(f"h > {high} somewhere")


def _outer(net: Network, c_sign: int, shift: fmpq) -> Network:
    """``net`` with $c \\mapsto$ ``c_sign`` $c$ and $d \\mapsto d + c\\,$``shift``."""
    view = _view(net)
    return net.replace_layer(3, weight=[[c_sign * c] for c in view.c],
                             bias=[d + c * shift for c, d in zip(view.c, view.d, strict=True)])


@dataclass(frozen=True)
class ReflectBounded(BottleneckMove):
    r"""Case (a), $0 \le h \le m$ everywhere (checked exactly; regime T with $\sup h \le m$): $v \mapsto -v$,
    $e \mapsto m - e$, $c \mapsto -c$, $d \mapsto d + cm$. Then $h' = m - h \ge 0$ and
    $c'\sigma(h') + d' = -c(m - h) + d + cm = c\,h + d$. With $m = \sup h$ the reflected $h'$ vanishes on the
    plateau $\{h = \sup h\}$; a group element scaling the bottleneck neuron by $|\mu|$ and an
    $e \leftrightarrow d$ trade give every member with $c' = -c/|\mu|$. Cost: the cells of the first layer's
    arrangement, two range tests each."""

    m: fmpq
    mechanism: ClassVar[str] = "reflection"

    def apply(self, net: Network) -> Network:
        view, m = _view(net), to_fmpq(self.m, where="m")
        _between(self, net, fmpq(0), m)
        return _outer(net, -1, m).replace_layer(2, weight=[[-x for x in view.v]], bias=[m - view.e])

    def describe(self) -> str:
        return f"0 <= h <= {self.m}: reflected, h' = {self.m} - h, c' = -c, d' = d + {self.m} c"


@dataclass(frozen=True)
class EnterPlateau(BottleneckMove):
    r"""Case (a), $h \ge m \ge 0$ everywhere (checked exactly): the first-layer neurons replaced by ``neurons`` and
    the bottleneck bias by ``e``, $d \mapsto d + cm$; valid iff $\sigma(h') = h - m$ — on every cell of the
    joint arrangement where $h > m$ somewhere $h' = h - m$, elsewhere (the plateau $\{h = m\}$) $h' \le 0$ —
    and $h' < 0$ somewhere (the member leaves regime T), both checked exactly. Then
    $c\,\sigma(h') + d + cm = c\,h + d$. Cost: two arrangements, one or two range tests per cell."""

    neurons: tuple[Neuron, ...]
    e: fmpq
    m: fmpq
    mechanism: ClassVar[str] = "plateau members"

    def apply(self, net: Network) -> Network:
        view, m = _view(net), to_fmpq(self.m, where="m")
        if m < 0:       # sigma(h) = h needs h >= 0: below the level 0 the outer ReLU bends
            self._fail(f"m = {m} is negative")
        _between(self, net, m)
        level = _outer(net, 1, m).replace_layer(2, bias=[view.e - m])
        n0 = net.architecture.input_dim
        after = _rebuild(level, [_neuron(x, n0) for x in self.neurons], to_fmpq(self.e, where="e"))
        _check(self, level, after)
        arr = NetworkArrangement((after,))
        if all(arr.range_sign(cell, negate(B)) == -1 for cell, B in
               zip(arr.cells, arr.affine_maps(arr.neuron_data(_view(after).inner), arr.cells), strict=True)):
            self._fail("h' >= 0 everywhere: no member below the plateau")
        return after

    def describe(self) -> str:
        return (f"h >= {self.m}: the inner network replaced ({len(self.neurons)} first-layer neurons, e = {self.e}) "
                f"by h' = h - {self.m} off the plateau and h' <= 0 on it, d' = d + {self.m} c")


@dataclass(frozen=True)
class ReflectPlateau(BottleneckMove):
    r"""Case (a), $h \le m$ everywhere, $m \ge 0$: the reflection through the top plateau. The first-layer
    neurons replaced by ``neurons`` and the bottleneck bias by ``e``, $c \mapsto -c$, $d \mapsto d + cm$;
    valid iff $\sigma(h') = m - \sigma(h)$, checked exactly on every cell $C$ of the joint arrangement, where
    $h = A$ and $h' = B$ are affine: $A \le m$ on $C$, and $B = m$ if $A \le 0$ on $C$, $B \le 0$ if $A \equiv m$
    (the plateau), $B = m - A$ if $0 \le A$ elsewhere; $A$ changing sign inside $C$ is refused ($m - \sigma(h)$
    then has a kink where $\sigma(h')$ is affine). Then $-c\,\sigma(h') + d + cm = c\,\sigma(h) + d$. With all
    first-layer rows parallel this relates two parameters of regime PN with $c' = -c/|\mu|$ (the member has
    $h' \le 0$ on $\{h = m\}$; :class:`ReflectBounded` is the regime-T case $h' = m - h$). Cost: one joint
    arrangement, at most three range tests per cell."""

    neurons: tuple[Neuron, ...]
    e: fmpq
    m: fmpq
    mechanism: ClassVar[str] = "reflection"

    def apply(self, net: Network) -> Network:
        m = to_fmpq(self.m, where="m")
        if m < 0:
            self._fail(f"m = {m} is negative")
        n0 = net.architecture.input_dim
        after = _rebuild(_outer(net, -1, m), [_neuron(x, n0) for x in self.neurons], to_fmpq(self.e, where="e"))
        arr = NetworkArrangement((net, after))
        maps = [arr.affine_maps(arr.neuron_data(_view(x).inner), arr.cells) for x in (net, after)]
        zero = (_ZERO,) * arr.dim
        for cell, A, B in zip(arr.cells, *maps, strict=True):
            if arr.range_sign(cell, (A[0], A[1] - m)) != -1:
                self._fail(f"h > {m} somewhere")
            side = arr.range_sign(cell, A)
            if side == 0:
                self._fail("h changes sign inside a cell of the joint arrangement: m - sigma(h) is not affine there")
            if side < 0:
                ok = B == (zero, m)
            elif A == (zero, m):
                ok = arr.range_sign(cell, B) == -1
            else:
                ok = B == (tuple(-x for x in A[0]), m - A[1])
            if not ok:
                self._fail("sigma(h') != m - sigma(h) on a cell of the joint arrangement")
        return after

    def describe(self) -> str:
        return (f"h <= {self.m}: reflected through the top plateau, the inner network replaced "
                f"({len(self.neurons)} first-layer neurons, e = {self.e}) by sigma(h') = {self.m} - sigma(h), "
                f"c' = -c, d' = d + {self.m} c")


@dataclass(frozen=True)
class MergeTwins(BottleneckMove):
    r"""Case (a): first-layer neuron ``j`` a positive twin of ``i`` ($(w_j, b_j) = \lambda(w_i, b_i)$,
    $\lambda > 0$, checked exactly by :func:`~semialg.engine.neurons.shift_twins`) merged into it:
    $v_i \mapsto v_i + \lambda v_j$, neuron $j$ removed (width $n_1 - 1$); $h$ is unchanged since
    $\sigma(\lambda z) = \lambda\sigma(z)$. Cost: $O(n_1n_0)$."""

    i: int
    j: int
    mechanism: ClassVar[str] = "positive twins"

    def apply(self, net: Network) -> Network:
        neurons = _neurons(net)
        check_neurons((self.i, self.j), len(neurons))
        if self.i == self.j:
            self._fail("a neuron is merged into itself")
        try:
            shifted = shift_twins(net, 1, [(self.i, self.j)])
        except CertificateError as exc:
            self._fail(str(exc))
        kept = [n for k, n in enumerate(_neurons(shifted)) if k != self.j]
        return _rebuild(shifted, kept, _view(net).e)

    def describe(self) -> str:
        return f"first-layer neuron {self.j + 1}, a positive twin of {self.i + 1}, merged into it"


@dataclass(frozen=True)
class SplitTwin(BottleneckMove):
    r"""Case (a): a positive twin $(\lambda w_i, \lambda b_i, v)$ of first-layer neuron ``i`` appended
    ($\lambda$ = ``lam`` $> 0$, checked) and $v_i \mapsto v_i - \lambda v$ (width $n_1 + 1$): $h$ is unchanged.
    Cost: $O(n_1n_0)$."""

    i: int
    lam: fmpq
    v: fmpq
    mechanism: ClassVar[str] = "positive twins"

    def apply(self, net: Network) -> Network:
        neurons = _neurons(net)
        check_neurons((self.i,), len(neurons))
        lam, v = to_fmpq(self.lam, where="lam"), to_fmpq(self.v, where="v")
        if lam <= 0:
            self._fail(f"lambda = {lam} is not positive")
        w, b, vi = neurons[self.i]
        neurons[self.i] = (w, b, vi - lam * v)
        return _rebuild(net, neurons + [(_scale(lam, w), lam * b, v)], _view(net).e)

    def describe(self) -> str:
        return f"first-layer neuron {self.i + 1} split: a twin scaled by {self.lam} with v = {self.v} appended"


@dataclass(frozen=True)
class TradeOppositePairs(BottleneckMove):
    r"""Case (a): first-layer opposite pairs $(i_p, j_p)$ ($(w_j, b_j) = -\mu_p(w_i, b_i)$, $\mu_p > 0$) trade
    output weights, $v_{i_p} \mathrel{+}= Y_p$, $v_{j_p} \mathrel{-}= Y_p/\mu_p$, $e \mathrel{-}= \sum_p Y_pb_{i_p}$:
    as $\sigma(z) - \sigma(-z) = z$, $h$ changes by $\sum_p Y_p w_{i_p}\cdot x$, so $h$ is unchanged iff
    $\sum_p Y_pw_{i_p} = 0$. Both conditions checked exactly by :func:`~semialg.engine.neurons.trade_opposite`;
    no arrangement. Cost: $O(|P|\,n_0)$."""

    pairs: tuple[tuple[int, int], ...]
    shifts: tuple[fmpq, ...]
    mechanism: ClassVar[str] = "opposite pairs"

    def apply(self, net: Network) -> Network:
        check_neurons(tuple(k for p in self.pairs for k in p), len(_view(net).v))
        try:
            return trade_opposite(net, 1, self.pairs, [(to_fmpq(y, where="Y"),) for y in self.shifts])
        except (CertificateError, ValueError, TypeError) as exc:
            self._fail(str(exc))

    def describe(self) -> str:
        return f"opposite pairs {[list(p) for p in self.pairs]} trade output weights by {[str(y) for y in self.shifts]}"


# == the witness ==========================================================================================

def _merged(net: Network) -> _Chain:
    """Every positive twin merged into the first neuron of its hyperplane and orientation (largest index first,
    so that the indices still to merge stay valid) while two neurons remain (width 1 is case (b))."""
    first, pairs = {}, []
    for k, (w, b, _) in enumerate(_neurons(net)):
        key, _, s = normalise_row(tuple(w) + (b,))
        if s:
            i = first.setdefault((fingerprint(key), s > 0), k)
            if i != k:
                pairs.append((i, k))
    ch = _Chain(net)
    for i, j in sorted(pairs, key=lambda p: -p[1]):
        if len(_view(ch.net).v) > 2:
            ch.do(MergeTwins(i, j))
    return ch


def _oriented(net: Network) -> dict:
    r"""Hyperplane key $\mapsto$ {orientation: (neuron, scale)} over the neurons with $w \ne 0$ ($v \ne 0$
    preferred: a neuron with $v = 0$ is the zero half of an opposite pair)."""
    out: dict = {}
    for k, (w, b, v) in enumerate(_neurons(net)):
        key, scale, sign = normalise_row(tuple(w) + (b,))
        if any(w) and (v != 0 or sign not in out.get(fingerprint(key), {})):
            out.setdefault(fingerprint(key), {})[sign] = (k, scale)
    return out


def _opposite_traded(ch: _Chain, target: Network) -> None:
    r"""The opposite pairs of ``ch.net`` traded (:class:`TradeOppositePairs`) to the output weights of
    ``target``'s pairs on the same hyperplanes ($c_1 = \mu c_2$, $\mu > 0$; $d$ may differ by an
    $e \leftrightarrow d$ trade): on each hyperplane with one neuron of each orientation on both sides, normalised
    weights $\alpha_\pm$ (in ``target``'s frame) with $\Delta\alpha_+ = -\Delta\alpha_- \ne 0$ give the shift; the
    chain is unchanged when the shifts do not satisfy $\sum_p Y_pw_{i_p} = 0$ or there are none."""
    v1, v2 = _view(ch.net), _view(target)
    r = next((k for k, x in enumerate(v2.c) if x != 0), None)
    mu = None if r is None or v1.c[r] / v2.c[r] <= 0 else v1.c[r] / v2.c[r]
    if mu is None:
        return
    a, z, n1, n2 = _oriented(ch.net), _oriented(target), _neurons(ch.net), _neurons(target)
    pairs, shifts = [], []
    for key, side in a.items():
        other = z.get(key, {})
        if len(side) == len(other) == 2:
            (i, si), (j, sj), (k, tk), (l, tl) = side[1], side[-1], other[1], other[-1]
            up, down = n2[k][2] * tk - mu * n1[i][2] * si, n2[l][2] * tl - mu * n1[j][2] * sj
            if up and up == -down:
                pairs.append((i, j))
                shifts.append(up / (mu * si))
    if pairs:
        try:
            ch.do(TradeOppositePairs(tuple(pairs), tuple(shifts)))
        except CertificateError:
            pass


def _scaled(ch: _Chain, mu: fmpq) -> None:
    """The bottleneck neuron scaled by $\\mu > 0$ ($v, e \\mapsto \\mu v, \\mu e$, $c \\mapsto c/\\mu$)."""
    if mu != 1:
        n1 = len(_view(ch.net).v)
        ch.do(ActBy(GroupElement([tuple(range(n1)), (0,)], [(_ONE,) * n1, (mu,)])))


def _from_regime_t(net1: Network, net2: Network, regime2: str, inner: bool) -> BottleneckMoveCertificate | None:
    r"""``net1`` in regime T, ``net2`` in regime T or PN with $c_1 = \rho c_2$: for $\rho < 0$ $h_1$ reflected at
    $\sup h_1$ (:class:`ReflectBounded`), the bottleneck neuron scaled by $|\rho|$, then the $e \leftrightarrow d$
    trade and flips (``net2`` in regime T; with ``inner`` the shallow moves of $h$,
    :func:`~.inner_moves.inner_witness`, when those do not suffice) or :class:`EnterPlateau` at $\min h$
    (regime PN)."""
    v1, v2 = _view(net1), _view(net2)
    r = next((k for k, x in enumerate(v2.c) if x != 0), None)
    if r is None or v1.c[r] == 0:
        return None
    rho = v1.c[r] / v2.c[r]
    if _scale(1 / rho, v1.c) != v2.c:
        return None
    ch = _Chain(net1)
    if rho < 0:
        high = extreme_values(v1)[1]
        if high is None:
            return None
        ch.do(ReflectBounded(high))
    _scaled(ch, abs(rho))
    if regime2 == "T":
        rest = _trade_witness(ch.net, net2) or (inner_witness(ch.net, net2) if inner else None)
        return _joined(ch, _Chain(net2), rest)
    ch.do(EnterPlateau(tuple(_neurons(net2)), v2.e, extreme_values(_view(ch.net))[0]))
    g = _permutation(ch.net, net2)
    return None if g is None else BottleneckMoveCertificate(tuple(ch.moves), (), g)


def _reflected(net1: Network, net2: Network) -> BottleneckMoveCertificate | None:
    r"""$c_1 = \rho c_2$ with $\rho < 0$ and $h_1$ bounded above: the bottleneck neuron of ``net1`` scaled by
    $|\rho|$, then :class:`ReflectPlateau` at $|\rho|\sup h_1$ onto the inner network of ``net2`` (any regime:
    the move checks $\sigma(h_2) = |\rho|(\sup h_1 - \sigma(h_1))$ exactly), a final permutation; ``None``
    otherwise."""
    v1, v2 = _view(net1), _view(net2)
    r = next((k for k, x in enumerate(v2.c) if x != 0), None)
    if r is None or v1.c[r] == 0 or v1.c[r] / v2.c[r] >= 0 or _scale(v2.c[r] / v1.c[r], v1.c) != v2.c:
        return None
    high = sup_value(v1)
    if high is None or high <= 0:
        return None
    s = -v1.c[r] / v2.c[r]
    ch = _Chain(net1)
    try:
        _scaled(ch, s)
        ch.do(ReflectPlateau(tuple(_neurons(net2)), v2.e, s * high))
    except CertificateError:
        return None
    g = _permutation(ch.net, net2)
    return None if g is None else BottleneckMoveCertificate(tuple(ch.moves), (), g)


def _regime_witness(net1: Network, net2: Network, inner: bool = False) -> BottleneckMoveCertificate | None:
    """Regime T against regime T or PN: :func:`_from_regime_t` from the T side (for a PN ``net1`` the chain of
    ``net2`` and the inverse group element); ``inner`` as there."""
    r1, r2 = combinatorial_type(net1).regime, combinatorial_type(net2).regime
    try:
        if r1 == "T" and r2 in ("T", "PN"):
            return _from_regime_t(net1, net2, r2, inner)
        if r1 == "PN" and r2 == "T":
            cert = _from_regime_t(net2, net1, r1, inner)
            return None if cert is None else BottleneckMoveCertificate((), cert.moves1, cert.element.inverse())
    except CertificateError:
        return None
    return None


def _constant(n: Neuron) -> bool:
    return not any(n[0]) or n[2] == 0


def _pair_slot(ns: list, i: int, other: list) -> bool:
    r"""Whether neuron ``i`` ($v_i = 0$, $w_i \ne 0$) is the zero half of an opposite pair: a live neuron of ``ns``
    on its hyperplane with the other orientation, and ``other`` has both orientations there — kept for
    :func:`~.outer_moves._pair_shifts` to trade."""
    w, b, _ = ns[i]
    if not any(w):
        return False
    key, _, sign = normalise_row(tuple(w) + (b,))
    def signs(group, live):
        return {s for w2, b2, v2 in group if any(w2) and (v2 != 0 or not live)
                for k, _, s in [normalise_row(tuple(w2) + (b2,))] if k == key}
    return -sign in signs(ns, True) and signs(other, False) == {1, -1}


def _cleared(net1: Network, net2: Network) -> tuple[_Chain, _Chain]:
    r"""The constant first-layer neurons ($w = 0$ or $v = 0$) of each side that the other side does not have (up
    to $G$, in ``net2``'s frame $c_1 = \mu c_2$) removed by :class:`~.outer_moves.DropConstantNeuron` (largest
    index first; two neurons always stay: width 1 is case (b)): a constant neuron both sides share relates
    nothing, one side's alone is a difference named as such."""
    v1, v2 = _view(net1), _view(net2)
    r = next((k for k, x in enumerate(v2.c) if x != 0), None)
    mu = v1.c[r] / v2.c[r] if r is not None and v1.c[r] / v2.c[r] > 0 else _ONE
    a = [(w, b, mu * v) for w, b, v in _neurons(net1)]
    z = _neurons(net2)
    d1 = [i for i, n in enumerate(a) if _constant(n) and not _pair_slot(a, i, z)]
    d2 = [j for j, n in enumerate(z) if _constant(n) and not _pair_slot(z, j, a)]
    pairs = _match(a, z, d1, d2)
    out = []
    for net, ds, kept in ((net1, d1, {i for i, _ in pairs}), (net2, d2, {j for _, j in pairs})):
        ch = _Chain(net)
        for i in sorted(set(ds) - kept, reverse=True):
            if len(_view(ch.net).v) > 2:     # width 1 is case (b)
                ch.do(DropConstantNeuron(i))
        out.append(ch)
    return out[0], out[1]


def outer_witness(net1: Network, net2: Network, merge: bool = True,
                  deadline: float | None = None) -> BottleneckMoveCertificate | None:
    r"""The moves relating two equivalent case-(a) parameters, or ``None`` (not equivalent, or not matched by
    these moves: the caller keeps its arrangement certificate). First the constant neurons ($w = 0$ or $v = 0$)
    of one side that the other does not have are removed (:func:`_cleared`); then
    :func:`~.outer_moves.hidden_witness` (flips, hidden neurons, the trade on $P$, $e \leftrightarrow d$,
    constants); else the reflection and plateau members of regime T (:func:`_regime_witness`); else the
    reflection through the top plateau (:func:`_reflected`, any regime, e.g. two parameters of regime PN with all
    rows parallel); else (``merge``) the same after merging positive twins on both sides (:class:`MergeTwins`)
    and trading opposite pairs (:class:`TradeOppositePairs`), so that these are named only when they are needed;
    last, the shallow moves of $h$ (:func:`~.inner_moves.inner_witness`: regime T, then $h_2 = \mu h_1$ in any
    regime).

    Cost: that of :func:`~.outer_moves.hidden_witness` — two classifications (cells of the first layer's
    arrangement, one range test per cell; visibility per hyperplane) and one joint arrangement per move
    replayed, $O(N^3)$ exact integer operations for $N$ lines in the plane — at most three times, plus
    $\binom{n_1}{r}$ exact solves for $\min h$ / $\sup h$ in regime T. Measured builds (2-$n_1$-1-1, a hidden
    neuron moved and one inserted): see :data:`~.equivalence.WITNESS_LIMIT_A`. Past ``deadline`` (a
    :func:`time.monotonic` value) no further stage begins and the answer is ``None``; a stage begun runs to its end
    (a few range tests per cell of an arrangement the comparison already enumerated)."""
    try:
        return _outer_witness(net1, net2, merge, deadline)
    except UndecidedError:      # a classification stopped at the deadline
        return None


def _outer_witness(net1: Network, net2: Network, merge: bool, deadline: float | None):
    """:func:`outer_witness`, each stage begun only before ``deadline``."""
    def spent() -> bool:
        return deadline is not None and time.monotonic() > deadline

    c1, c2 = _cleared(net1, net2)
    if c1.moves or c2.moves:
        return _joined(c1, c2, outer_witness(c1.net, c2.net, merge, deadline))
    stages = (lambda: hidden_witness(net1, net2, deadline), lambda: _regime_witness(net1, net2),
              lambda: _reflected(net1, net2),
              lambda: _swapped(hidden_witness(net2, net1, deadline)))  # its trades merge pairs of net1 only
    for stage in stages:
        if spent():
            return None
        cert = stage()
        if cert is not None:
            return cert
    if merge and not spent():
        m1, m2 = _merged(net1), _merged(net2)
        _opposite_traded(m1, m2.net)
        if m1.moves or m2.moves:
            cert = _joined(m1, m2, outer_witness(m1.net, m2.net, False, deadline))
    return cert or (None if spent() else _regime_witness(net1, net2, inner=True) or _same_inner(net1, net2, deadline))


def _same_inner(net1: Network, net2: Network, deadline: float | None) -> BottleneckMoveCertificate | None:
    r"""The shallow moves of $h$ (:func:`~.inner_moves.inner_witness`) when $h_2 = \mu h_1$ in any regime: the
    members that move visible neurons while keeping $h$ (pairs relocated, phantom pairs and twins shifted), which
    the hidden-neuron chain, matching visible neurons, does not relate."""
    try:
        return inner_witness(net1, net2, deadline)
    except UndecidedError:
        return None


def _swapped(cert: BottleneckMoveCertificate | None) -> BottleneckMoveCertificate | None:
    """The certificate of ``(net1, net2)`` from one of ``(net2, net1)``: the chains swapped, the element inverted."""
    return None if cert is None else BottleneckMoveCertificate(cert.moves2, cert.moves1, cert.element.inverse())


def _joined(c1: _Chain, c2: _Chain, rest: BottleneckMoveCertificate | None) -> BottleneckMoveCertificate | None:
    """The chains ``c1``, ``c2`` followed by the certificate ``rest`` of their ends."""
    return None if rest is None else BottleneckMoveCertificate(tuple(c1.moves) + rest.moves1,
                                                               tuple(c2.moves) + rest.moves2, rest.element)
