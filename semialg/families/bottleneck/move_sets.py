r"""Case (b): the moves of :mod:`~semialg.families.bottleneck.moves` applied to a set of second-layer neurons at
once — one replay of $O(n_2n_3)$ for the whole set instead of one per neuron, so that a witness relating two
parameters that differ in every neuron stays near-linear in $n_2$.

Each move checks its precondition for every member exactly (:class:`~semialg.errors.CertificateError`
otherwise) and equals the composition of the single moves it batches — the members are distinct neurons
(:func:`~semialg.core.certificate.check_neurons`) and each single move reads only its own neuron and the host,
whose change is linear in the members: :class:`FlipKinks` (:class:`~.moves.FlipKink` for each),
:class:`MergeKinkGroups` (:class:`~.moves.MergeKinks`), :class:`MergeAffines` (:class:`~.moves.MergeAffine`),
:class:`ClearNeurons` (:class:`~.moves.ClearNeuron`), :class:`AbsorbConstants` (:class:`~.moves.AbsorbConstant`),
:class:`InsertDeadNeurons` (:class:`~.moves.InsertNeuron` of $(-1, -1, 0)$, ``count`` times).

>>> net = Network.from_arrays([[[1, 2]], [[1], [1], [2]], [[1, 3, 5]]], [[-1], [1, -2, -2], [0]])  # A, K+, K+
>>> flipped = FlipKinks((1, 2), 0).apply(net); flipped.biases[1], flipped([3, 1]) == net([3, 1])
((1, 2, 2), True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from semialg.core.certificate import check_neurons
from semialg.core.network import Network
from semialg.families.bottleneck.moves import (_DEAD, BottleneckMove, _always_active, _check_label, _is_kink, _nums,
                                               _tau, _with)
from semialg.families.bottleneck.views import RidgeView, _ZERO, _vadd

__all__ = ["FlipKinks", "MergeKinkGroups", "MergeAffines", "ClearNeurons", "AbsorbConstants", "InsertDeadNeurons"]


def _members(move: BottleneckMove, S, n: int, least: int = 1) -> tuple[int, ...]:
    S = check_neurons(S, n)
    if len(S) < least:
        move._fail(f"needs at least {least} neurons, got {_nums(S)}")
    return S


def _replaced(seq: tuple, changes: dict) -> tuple:
    return tuple(changes.get(j, x) for j, x in enumerate(seq))


@dataclass(frozen=True)
class FlipKinks(BottleneckMove):
    r"""Every kink neuron of ``S`` flipped, $c\sigma(vt + e) = c\sigma(-vt - e) + c(vt + e)$, the affine terms absorbed
    by the always-active neuron ``into`` ($v > 0$, $e \ge 0$): $c_i \mathrel{+}= \sum_S c_jv_j/v_i$,
    $d \mathrel{+}= \sum_S c_je_j - (\sum_S c_jv_j/v_i)e_i$. Cost: $O(n_2n_3)$."""

    S: tuple[int, ...]
    into: int
    mechanism: ClassVar[str] = "kink flips"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        S = _members(self, self.S, len(view.v))
        i = check_neurons((self.into,), len(view.v))[0]
        if i in S or not _always_active(view, i) or not all(_is_kink(view, j) for j in S):
            self._fail(f"neurons {_nums(S)} must be kinks and {i + 1} an always-active neuron outside them")
        slope, const = (_ZERO,) * len(view.d), (_ZERO,) * len(view.d)
        for j in S:
            slope, const = _vadd(slope, view.c[j], view.v[j]), _vadd(const, view.c[j], view.e[j])
        ci = _vadd(view.c[i], slope, 1 / view.v[i])
        d = _vadd(_vadd(view.d, const), slope, -view.e[i] / view.v[i])
        flip = {j: -view.v[j] for j in S}
        return _with(view, v=_replaced(view.v, flip), e=_replaced(view.e, {j: -view.e[j] for j in S}),
                     c=_replaced(view.c, {i: ci}), d=d)

    def describe(self) -> str:
        return f"kink neurons {list(self.S)} flipped, the affine terms absorbed by neuron {self.into}"


@dataclass(frozen=True)
class MergeKinkGroups(BottleneckMove):
    """Per group $(i, j_1, j_2, \\dots)$ of kink neurons at one point with one orientation: $c_i \\mathrel{+}=
    \\sum c_j|v_j|/|v_i|$, every $c_j = 0$ (the groups disjoint). Cost: $O(n_2n_3)$."""

    groups: tuple[tuple[int, ...], ...]
    mechanism: ClassVar[str] = "coincident kinks"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        if not self.groups or not all(isinstance(g, tuple) and len(g) >= 2 for g in self.groups):
            self._fail("needs groups of at least two neurons")
        _members(self, tuple(j for g in self.groups for j in g), len(view.v))
        zero, changes = (_ZERO,) * len(view.d), {}
        for i, *rest in self.groups:
            for j in rest:
                if not (_is_kink(view, i) and _is_kink(view, j)) or (view.v[i] > 0) != (view.v[j] > 0) \
                        or _tau(view, i) != _tau(view, j):
                    self._fail(f"neurons {i + 1}, {j + 1} are not two kinks at the same point with the same "
                               "orientation")
            ci = view.c[i]
            for j in rest:
                ci = _vadd(ci, view.c[j], view.v[j] / view.v[i])
                changes[j] = zero
            changes[i] = ci
        return _with(view, c=_replaced(view.c, changes))

    def describe(self) -> str:
        return "coincident kink neurons merged: " + ", ".join(f"{list(g[1:])} into {g[0]}" for g in self.groups)


@dataclass(frozen=True)
class MergeAffines(BottleneckMove):
    """Always-active neurons ``S`` merged into the always-active neuron ``i`` ($c_i \\mathrel{+}= \\sum_S c_jv_j/v_i$,
    $d \\mathrel{+}= \\sum_S c_j(e_j - v_je_i/v_i)$, every $c_j = 0$). Cost: $O(n_2n_3)$."""

    i: int
    S: tuple[int, ...]
    mechanism: ClassVar[str] = "A-block trade"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        S = _members(self, self.S, len(view.v))
        i = check_neurons((self.i,), len(view.v))[0]
        if i in S or not all(_always_active(view, j) for j in S + (i,)):
            self._fail(f"neurons {_nums([i] + list(S))} are not distinct always-active neurons")
        ci, d, zero, changes = view.c[i], view.d, (_ZERO,) * len(view.d), {}
        for j in S:
            ci = _vadd(ci, view.c[j], view.v[j] / view.v[i])
            d = _vadd(d, view.c[j], view.e[j] - view.v[j] * view.e[i] / view.v[i])
            changes[j] = zero
        changes[i] = ci
        return _with(view, c=_replaced(view.c, changes), d=d)

    def describe(self) -> str:
        return f"the affine contributions of neurons {list(self.S)} moved into neuron {self.i} (d compensates)"


@dataclass(frozen=True)
class ClearNeurons(BottleneckMove):
    """Every neuron of ``S`` contributes nothing on $t \\ge 0$ ($v \\le 0$ and $e \\le 0$, or $c = 0$): replaced by
    $(v, e, c) = (-1, -1, 0)$; ``mechanism`` says why (one of :data:`~.moves.CLEARING_LABELS`). Cost: $O(n_2n_3)$."""

    S: tuple[int, ...]
    mechanism: str = "dead neurons"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        _check_label(self)
        S = _members(self, self.S, len(view.v))
        if any(not ((view.v[j] <= 0 and view.e[j] <= 0) or not any(view.c[j])) for j in S):
            self._fail(f"some neuron of {_nums(S)} is active on t > 0 with non-zero output weights")
        zero = (_ZERO,) * len(view.d)
        return _with(view, v=_replaced(view.v, dict.fromkeys(S, _DEAD[0])),
                     e=_replaced(view.e, dict.fromkeys(S, _DEAD[1])), c=_replaced(view.c, dict.fromkeys(S, zero)))

    def describe(self) -> str:
        return f"neurons {list(self.S)} contribute nothing on t >= 0 ({self.mechanism}): each (v, e, c) = (-1, -1, 0)"


@dataclass(frozen=True)
class AbsorbConstants(BottleneckMove):
    """Every neuron of ``S`` has $v = 0$, so it is the constant $c\\sigma(e)$: added to $d$, the neuron cleared."""

    S: tuple[int, ...]
    mechanism: ClassVar[str] = "A-block trade"

    def apply(self, net: Network) -> Network:
        view = RidgeView.of(net)
        S = _members(self, self.S, len(view.v))
        if any(view.v[j] != 0 for j in S):
            self._fail(f"some neuron of {_nums(S)} has v != 0")
        d = view.d
        for j in S:
            d = _vadd(d, view.c[j], max(view.e[j], _ZERO))
        return ClearNeurons(S).apply(_with(view, c=_replaced(view.c, dict.fromkeys(S, (_ZERO,) * len(d))), d=d))

    def describe(self) -> str:
        return f"neurons {list(self.S)} are constant on t >= 0: absorbed into d"



@dataclass(frozen=True)
class InsertDeadNeurons(BottleneckMove):
    """``count`` $\\ge 1$ second-layer neurons $(v, e, c) = (-1, -1, 0)$ appended (width $n_2 +$ ``count``): they
    contribute nothing. Cost: $O((n_2 + \\text{count})n_3)$."""

    count: int
    mechanism: ClassVar[str] = "dead neurons"

    def apply(self, net: Network) -> Network:
        view, k = RidgeView.of(net), self.inserted()
        return _with(view, v=view.v + (_DEAD[0],) * k, e=view.e + (_DEAD[1],) * k,
                     c=view.c + ((_ZERO,) * len(view.d),) * k)

    def inserted(self) -> int:
        k = self.count
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            self._fail(f"count {k!r} is not a positive integer")
        return k

    def describe(self) -> str:
        return f"{self.count} neurons with output weights 0 inserted (v = e = -1)"
