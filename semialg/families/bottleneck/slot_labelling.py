r"""What the case-(a) fibres over *slot labellings* share (:mod:`~semialg.families.bottleneck.hidden_fibre`,
:mod:`~semialg.families.bottleneck.separated_fibre`).

A component of such a fibre is named by one label per first-layer slot: ``("V", k, flipped)`` for a slot carrying
the visible (seen) line $k$ of $\theta$, flipped or not, or a hidden label of the fibre's own kind. Every component
has $c' = c/\mu$, $d' = d$ ($\mu > 0$) and, on a slot carrying line $k$, a row parallel to $\pm(w_k, b_k)$ with
$u'w' = \mu v_k w_k$; its hidden slots hold normalised parameters $z$ (the row of slot $j$ times $|v'_j|$, in the
order of the sorted hidden labels, the *key*). :class:`SlotLabelledFibre` holds these common parts: the conditions
of the visible slots and of the output layer, reading a point's labelling off its rows, the member of given
normalised parameters, and the exact search near a class witness for a member of simple type.

>>> key_of((("U+", 1), ("V", 0, True), ("U-", -1)))
(frozenset({0}), (('U+', 1), ('U-', -1)))
"""

from __future__ import annotations

import itertools
import math
import random as _random
from dataclasses import dataclass
from typing import Iterator, Sequence

from flint import fmpq

from semialg.core.exact import fingerprint, normalise_row, to_sympy
from semialg.core.lazy import sympy
from semialg.core.network import Network
from semialg.errors import UndecidedError
from semialg.families.bottleneck.views import OuterView, _ZERO, _first_nonzero, _scale
from semialg.geometry.semialgebraic import parallel_minors

__all__ = ["Decision", "SlotLabelledFibre", "key_of", "count_label_classes", "MAX_CLASSES"]

#: The most label classes a fibre over slot labellings decides (each an exact LP or a few; the decisions are kept):
#: beyond it, e.g. 13 seen kinks and 7 hidden neurons in two components of $P$ (53 million classes, 24 GB before
#: they were counted first), the fibre is undecided at once.
MAX_CLASSES = 10 ** 6


def count_label_classes(net: Network, visible: int, hidden: int, labels: int, kind: str) -> int:
    r"""The number $2^{\text{visible}}\binom{\text{labels} + \text{hidden} - 1}{\text{hidden}}$ of label classes
    of a ``kind`` fibre (a flip set of the seen kinks, a multiset of hidden labels), or :class:`UndecidedError`
    beyond :data:`MAX_CLASSES`. Cost: $O(1)$ big-integer operations.

    >>> count_label_classes(Network.random((2, 3, 1, 1), seed=0), 2, 1, 4, "hidden")
    16
    """
    total = 2 ** visible * (math.comb(labels + hidden - 1, hidden) if labels else int(hidden == 0))  # no labels
    if total > MAX_CLASSES:
        raise UndecidedError(f"{kind} fibre of {net.architecture}: {total} label classes (2^{visible} orientations of "
                             f"the seen kinks times the multisets of {labels} labels for {hidden} hidden neurons), "
                             f"more than the {MAX_CLASSES} decided one by one")
    return total


def key_of(index) -> tuple:
    """The label class of a slot labelling: its flip set and the sorted multiset of its hidden labels."""
    return (frozenset(lab[1] for lab in index if lab[0] == "V" and lab[2]),
            tuple(sorted(lab for lab in index if lab[0] != "V")))


@dataclass
class Decision:
    """Whether a label class is non-empty, with a witness and the data its components are built from."""

    status: str                      # "nonempty", "empty", "constant" (a slot forced to w' = 0) or "undecided"
    z: list | None = None            # normalised hidden parameters in key order
    implicit: tuple = ()             # rows tight on the whole class (key positions)
    dim: int | None = None           # dimension of the normalised slice (an upper bound when undecided)
    span: tuple = ()                 # directions of the slice in z-space (z + span moves stay in the slice)
    how: str = "lp"                  # what decided it ("lp", "sufficient", "theta", "pinned", "search", ...)
    certificate: object = None       # an EmptyClassCertificate when branching proved the class empty


class SlotLabelledFibre:
    """The parts of a fibre over slot labellings that do not depend on the kind of its hidden labels.

    A subclass sets ``net``, ``region`` (a :class:`~semialg.families.bottleneck.hidden_region.HiddenRegion`) and
    the visible lines by :meth:`_init_slots`, fills ``decisions`` and ``index``, and supplies
    :meth:`_off_line_label` (a live row on no visible line), :meth:`_output_weight` (of a hidden label),
    :meth:`_hidden_slot_conditions` (the sign or vanishing of a hidden slot's output weight),
    :meth:`_epsilon` (the bias of a member's bottleneck neuron), :meth:`_build` and :meth:`_simple_witness`.
    """

    index_name = r"(\text{slot labels})"

    def _init_slots(self, net: Network, t, region) -> None:
        self.net, self.t, self.region = net, t, region
        self.view = view = region.view
        self.n0, self.stride, self.r = region.n0, region.n0 + 1, _first_nonzero(view.c)   # stride: (w', b') per slot
        self.visible = tuple(i for i, c in enumerate(t.classes) if c == "V")
        self.m = len(t.classes) - len(self.visible)
        self.vkeys = {}
        for k in self.visible:
            key, _, s = normalise_row(view.w[k] + (view.b[k],))
            self.vkeys[fingerprint(key)] = (k, s)
        self._built: dict = {}
        self._witness: dict = {}         # label class -> normalised parameters of a member of simple type

    def _label_classes(self, labels: Sequence, hidden_first: bool = False) -> Iterator[tuple]:
        """Every label class ``(F, hidden)``: a flip set of the visible lines and a sorted multiset of ``self.m``
        hidden labels, flip sets outermost (``hidden_first``: grouped by the hidden multisets, in sorted order)."""
        def flips():
            return itertools.chain.from_iterable(itertools.combinations(self.visible, n)
                                                 for n in range(len(self.visible) + 1))
        hiddens = [tuple(sorted(h)) for h in itertools.combinations_with_replacement(labels, self.m)]
        if hidden_first:
            return ((frozenset(F), h) for h in sorted(hiddens) for F in flips())
        return ((frozenset(F), h) for F in flips() for h in hiddens)

    def _slot_map(self, index) -> dict:
        """Key position of each hidden label occurrence -> its slot in ``index``."""
        slots: dict = {}
        for i, lab in enumerate(index):
            if lab[0] != "V":
                slots.setdefault(lab, []).append(i)
        seen: dict = {}
        out = {}
        for j, lab in enumerate(key_of(index)[1]):
            out[j] = slots[lab][seen.get(lab, 0)]
            seen[lab] = seen.get(lab, 0) + 1
        return out

    def build(self, index):
        """The set of component ``index`` (see the module docstring of the subclass for its conditions); built
        once."""
        if index not in self._built:
            self._built[index] = self._build(index)
        return self._built[index]

    def _slot_conditions(self, index):
        r"""The variables, and the equations and strict inequalities of the output layer ($c' = c/\mu$, $\mu > 0$,
        $d' = d$) and of every slot of ``index`` in slot order (a visible slot's line and kink; a hidden slot's
        :meth:`_hidden_slot_conditions`), polynomial after multiplying by $K = c_r^2$; with ``U(i)`` $= c_r^2 u'_i$
        (the output weight of slot $i$ times $\mu$, up to $K$) and ``K``."""
        view, n0 = self.view, self.n0
        V = self.net.variables()
        W1, B1, W2, W3, B3 = V.weights[0], V.biases[0], V.weights[1], V.weights[2], V.biases[2]
        cr = to_sympy(view.c[self.r])
        K = cr ** 2
        U = lambda i: W2[0, i] * cr * W3[self.r, 0]  # noqa: E731  (u_i c_r^2)
        eqs = [W3[s, 0] * cr - W3[self.r, 0] * to_sympy(view.c[s]) for s in range(len(view.c)) if s != self.r]
        eqs += [B3[s] - to_sympy(view.d[s]) for s in range(len(view.d))]
        strict = [W3[self.r, 0] * cr]
        for i, lab in enumerate(index):
            if lab[0] == "V":
                k, sgn = lab[1], (-1 if lab[2] else 1)
                wk = view.w[k]
                p = _first_nonzero(wk)
                eqs += parallel_minors(tuple(W1[i, q] for q in range(n0)) + (B1[i],),
                                       tuple(to_sympy(x) for x in wk + (view.b[k],)))
                strict.append(sgn * W1[i, p] * to_sympy(wk[p]))
                eqs.append(U(i) * sgn * W1[i, p] - K * to_sympy(view.v[k] * wk[p]))
            else:
                more_eqs, more_strict = self._hidden_slot_conditions(lab, V.weights[1][0, i])
                eqs += more_eqs
                strict += more_strict
        return V, eqs, strict, U, K

    # -- locating and sampling ----------------------------------------------------------------------------------

    def label_of(self, point):
        """The slot labelling of ``point`` if it has one of this fibre's labellings (listed or not), else
        ``None``: every visible line carried by exactly one slot, every other slot labelled by
        :meth:`_off_line_label`."""
        other = point if isinstance(point, Network) else Network.from_parameters(self.net.architecture, point)
        ov = OuterView.of(other)
        if ov.c[self.r] * self.view.c[self.r] <= 0:
            return None
        labels, seen = [], set()
        for w, b, v in zip(ov.w, ov.b, ov.v, strict=True):
            hit = None
            if v != 0 and any(w):
                key, _, s = normalise_row(w + (b,))
                hit = self.vkeys.get(fingerprint(key))
            if hit is not None:
                if hit[0] in seen:
                    return None
                seen.add(hit[0])
                labels.append(("V", hit[0], s != hit[1]))
                continue
            lab = self._off_line_label(w, b, v)
            if lab is None:
                return None
            labels.append(lab)
        return tuple(labels) if len(seen) == len(self.visible) else None

    def locate(self, point):
        """The index of the only listed component that can contain ``point``, or ``None``."""
        index = self.label_of(point)
        return index if index is not None and self.decisions[key_of(index)].status == "nonempty" else None

    def sample(self, seed, index) -> Network:
        r"""An exact member of component ``index`` (random when ``None``) with that labelling: the witness of its
        class moved by :meth:`_simple_witness`, then random slot scalings and $\mu$ (the action of $G$, which
        keeps the labelling)."""
        rng = _random.Random(seed)
        if index is None:
            index = self.index.unrank(rng.randrange(self.index.exact_size))
        pos = lambda: fmpq(rng.randint(1, 9), rng.randint(1, 9))  # noqa: E731
        return self._network(index, self._simple_witness(index), [pos() for _ in index], pos())

    def _nearby(self, index, d: Decision, tries: int, steps: int):
        r"""Points $z + 2^{-k}\,s$ near the witness ``d.z`` along seeded random directions $s$ of its slice that
        keep the labelling ``index`` and lie in the component (each re-checked exactly)."""
        B, rng = self.build(index), _random.Random(0)
        for _ in range(tries):
            direction = [fmpq(rng.randint(-9, 9)) for _ in d.span]
            step = [sum((a * v[i] for a, v in zip(direction, d.span, strict=True)), _ZERO) for i in range(len(d.z))]
            for k in range(steps):
                z = [x + y / 2 ** k for x, y in zip(d.z, step, strict=True)]
                x = self._network(index, z)
                if self.label_of(x) == index and B.contains(x):
                    yield z, x

    def _in_interior(self, index, sl):
        r"""A test of whether a member of the labelling ``index`` lies in the relative interior of its component
        within the slice ``sl`` (every strict condition and formula atom non-zero there, or vanishing on the whole
        slice, which keeps its sign 0 nearby); the slice's family of members is built on first use."""
        check = None

        def test(x: Network) -> bool:
            nonlocal check
            if check is None:
                B = self.build(index)
                t = sympy.symbols(f"t0:{sl.dim}")
                family = dict(zip(B.variables, self._network(index, sl.point(t)).parameters(), strict=True))
                check = B, lambda p: sympy.expand(sympy.sympify(p).xreplace(family)) == 0
            return check[0].contains(x) and check[0].interior(x, check[1])

        return test

    def _network(self, index, z, alpha=None, mu=fmpq(1)) -> Network:
        r"""The member with normalised hidden parameters ``z`` (key order), slot scalings ``alpha`` (ignored on
        slots with $u' = 0$) and $\mu$."""
        view, st = self.view, self.stride
        where = {i: j for j, i in self._slot_map(index).items()}
        rows, u = [], []
        for i, lab in enumerate(index):
            if lab[0] == "V":
                rows.append(_scale(fmpq(-1 if lab[2] else 1), view.w[lab[1]] + (view.b[lab[1]],)))
                u.append(view.v[lab[1]])
            else:
                rows.append(tuple(z[st * where[i]: st * (where[i] + 1)]))
                u.append(self._output_weight(lab))
        eps = self._epsilon(index, z, rows, u)
        alpha = [a if ui != 0 else fmpq(1) for a, ui in zip(alpha or [fmpq(1)] * len(index), u, strict=True)]
        W1 = tuple(_scale(a, row[:-1]) for a, row in zip(alpha, rows, strict=True))
        b1 = tuple(a * row[-1] for a, row in zip(alpha, rows, strict=True))
        v = tuple(mu * ui / a for ui, a in zip(u, alpha, strict=True))
        return Network((W1, (v,), tuple((c / mu,) for c in view.c)), (b1, (mu * eps,), view.d))
