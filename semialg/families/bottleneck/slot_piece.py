r"""One slot-calculus piece of a case-(a) fibre with all first-layer rows parallel, as basic sets in $\theta'$.

With $h(x) = g(u\cdot x)$ and a target $T$ on the line (:class:`~semialg.families.bottleneck.line_slots.
SlotCalculus`), the piece holds the $\theta'$ with $c' = c/\mu$, $\operatorname{sign}\mu$ fixed, $d' = d + c\,\ell$
for a fixed *level* $\ell$ (that is $t = -\mu\ell$) and $h'(x)/|\mu| = g'(u\cdot x)$ for a member $g'$ of simple type of
the slot calculus: $g' = T$ on $\hat P$ and $g' \le 0$ off it, so that $\sigma(h') = |\mu|\,\sigma(T)$ on the line.
Used for the pieces A ($T = h$, $\mu > 0$, $\ell = 0$) and Cp ($T = M - \sigma(h)$, $\mu < 0$, $\ell = M$) of
:mod:`~semialg.families.bottleneck.line_fibre` and for the plateau members of regime T
(:mod:`~semialg.families.bottleneck.nonnegative_fibre`: $T = h - \min h$, $\ell = \min h$, or $T = \sup h - h$,
$\ell = \sup h$). A slot $J\sigma(o(s - p))$ is a neuron with row $\lambda u$, $o = \operatorname{sign}\lambda$,
$p = -b'/\lambda$, $J = v'|\lambda|/|\mu|$; every condition is polynomial in $\theta'$ once multiplied by $c_r^2$
($1/|\mu| = \operatorname{sign}\mu\; c'_r/c_r$).

Cost: a component has $O(n_1^2 + n_1 n_0^2 + n_3)$ polynomials of degree $\le 4$; locating a point $O(n_1\log n_1)$.

>>> from semialg.families.bottleneck.line_fibre import line_profile
>>> net = Network.from_arrays([[[1], [1]], [[1, 2]], [[1]]], [[0, -1], [0], [0]])   # h = s(x) + 2 s(x - 1) >= 0
>>> u, h = line_profile(net)
>>> P = SlotPiece("Pmin", net, u, SlotCalculus(h, 2), 1, fmpq(0))
>>> [(j, P.dimension(j)) for _, j in P.index][:1]
[((('V', 0, 1), ('H', 0, 0, 1, 1)), 4)]
"""

from __future__ import annotations

import itertools
import math
import random as _random

from flint import fmpq

from semialg.core.exact import to_sympy
from semialg.core.lazy import sympy  # imported on first use: start-up time
from semialg.core.network import Network
from semialg.families.bottleneck.line_slots import SlotCalculus, multinomial
from semialg.families.bottleneck.views import OuterView, _first_nonzero, _scale
from semialg.geometry.semialgebraic import BasicSet, parallel_minors

__all__ = ["SlotPiece", "outer_conditions", "split_outer"]

_ZERO = fmpq(0)


def outer_conditions(net: Network, view: OuterView, r: int, sign: int, shift) -> tuple[list, list]:
    """$c' = c/\\mu$ with $\\operatorname{sign}\\mu$ = ``sign`` and $d' = d + $ ``shift`` (``None``: $d' - d$
    parallel to $c$) as equations and strict inequalities; ``r`` indexes a non-zero entry of $c$."""
    V = net.variables()
    C, D = V.weights[2], V.biases[2]
    c = [to_sympy(x) for x in view.c]
    d = [to_sympy(x) for x in view.d]
    eqs = [C[s, 0] * c[r] - C[r, 0] * c[s] for s in range(len(c)) if s != r]
    if shift is None:
        eqs += [c[r] * (D[s] - d[s]) - c[s] * (D[r] - d[r]) for s in range(len(c)) if s != r]
    else:
        eqs += [D[s] - d[s] - to_sympy(x) for s, x in enumerate(shift)]
    return eqs, [sign * C[r, 0] * c[r]]


def split_outer(net: Network, view: OuterView, r: int, point):
    """$(\\mu, t)$ of a point and its outer view, or ``None`` when $c'$ is not $c/\\mu$ or $d' \\ne d - ct/\\mu$."""
    other = point if isinstance(point, Network) else Network.from_parameters(net.architecture, point)
    ov = OuterView.of(other)
    if ov.c[r] == 0:
        return None
    mu = view.c[r] / ov.c[r]
    if any(x != y / mu for x, y in zip(ov.c, view.c, strict=True)):
        return None
    t = (view.d[r] - ov.d[r]) / ov.c[r]
    if any(dd != d - c * t / mu for dd, d, c in zip(ov.d, view.d, view.c, strict=True)):
        return None
    return mu, t, ov


class _Labels:
    """Lazy index of one slot-calculus piece: every feasible type, every order, every neuron assignment."""

    def __init__(self, tag: str, S: SlotCalculus):
        self.tag, self.S = tag, S
        self.keys = [k for k in S.keys() if S.decide(*k) is not None]

    @property
    def exact_size(self) -> int:
        per = sum(math.prod(multinomial(list(ms)) for ms in hidden) for _, hidden in self.keys)
        return per * math.factorial(self.S.n)

    def __len__(self) -> int:
        return self.exact_size

    def __iter__(self):
        from sympy.utilities.iterables import multiset_permutations
        for orient, hidden in self.keys:
            for seqs in itertools.product(*(multiset_permutations(list(ms)) for ms in hidden)):
                slots = [("V", k, o) for k, o in enumerate(orient)]
                slots += [("H", I, r, o, s) for I, seq in enumerate(seqs) for r, (o, s) in enumerate(seq)]
                for perm in itertools.permutations(slots):
                    yield self.tag, perm


class SlotPiece:
    """The basic sets, locations, samples and dimensions of one slot-calculus piece (see the module docstring);
    its ``index`` yields ``(tag, labels)``, one label per neuron."""

    def __init__(self, tag: str, net: Network, u, S: SlotCalculus, sign: int, level: fmpq):
        self.tag, self.net, self.u, self.S, self.sign, self.level = tag, net, u, S, sign, fmpq(level)
        self.view = OuterView.of(net)
        self.p = _first_nonzero(u)
        self.n0, self.n1 = net.widths[0], net.widths[1]
        self.r = _first_nonzero(self.view.c)
        self.index = _Labels(tag, S)

    def _key(self, labels) -> tuple:
        S = self.S
        orient = tuple(next(lab[2] for lab in labels if lab[0] == "V" and lab[1] == k) for k in range(len(S.kinks)))
        hidden = tuple(tuple(sorted((lab[3], lab[4]) for lab in labels if lab[0] == "H" and lab[1] == I))
                       for I in range(len(S.nints)))
        return orient, hidden

    def dimension(self, labels) -> int:
        """The dimension of the component of a feasible labelling (:meth:`SlotCalculus.dimension`)."""
        return self.S.dimension(*self._key(labels))

    def max_dimension(self) -> int | None:
        """The largest dimension of a non-empty component, ``None`` when there is none."""
        return max((self.S.dimension(*k) for k in self.index.keys), default=None)

    def build(self, labels) -> BasicSet:
        S, V, n1, p, view = self.S, self.net.variables(), self.n1, self.p, self.view
        W1, B1, W2, B2 = V.weights[0], V.biases[0], V.weights[1], V.biases[1]
        cr = to_sympy(view.c[self.r])
        K = cr ** 2
        eqs, strict = outer_conditions(self.net, view, self.r, self.sign, [x * self.level for x in view.c])
        Z = self.sign * V.weights[2][self.r, 0] * cr                    # K / |mu|
        nonstrict = []
        lam = [W1[i, p] for i in range(n1)]
        o = [lab[2] if lab[0] == "V" else lab[3] for lab in labels]
        KJ = [Z * W2[0, i] * o[i] * lam[i] for i in range(n1)]
        KJp = [-Z * o[i] * W2[0, i] * B1[i] for i in range(n1)]
        R = lambda x: to_sympy(fmpq(x))  # noqa: E731
        for i, lab in enumerate(labels):
            if self.n0 > 1:
                eqs += parallel_minors([W1[i, q] for q in range(self.n0)], [R(x) for x in self.u])
            strict.append(o[i] * lam[i])
            if lab[0] == "V":
                x, J = S.kinks[lab[1]]
                eqs += [B1[i] + R(x) * lam[i], KJ[i] - K * R(J)]
            else:
                a, b, _, _ = S.nints[lab[1]]
                strict.append(lab[4] * W2[0, i])
                if a is not None:
                    strict.append(-o[i] * B1[i] - R(a) * o[i] * lam[i])
                if b is not None:
                    strict.append(R(b) * o[i] * lam[i] + o[i] * B1[i])
        order = sorted(range(n1), key=lambda i: S.place(labels[i]))
        for I, (a, b, sa, sb) in enumerate(S.nints):
            inside = [i for i in order if labels[i][0] == "H" and labels[i][1] == I]
            for i, j in zip(inside, inside[1:]):
                strict.append(o[i] * o[j] * (B1[i] * lam[j] - B1[j] * lam[i]))     # p_i < p_j
            if a is not None and b is not None:
                eqs.append(sum((KJ[i] for i in inside), sympy.Integer(0)) - K * R(sb - sa))
                eqs.append(sum((KJp[i] for i in inside), sympy.Integer(0)) - K * R(b * sb - a * sa))
            elif a is None:       # slope of g at -infinity >= 0
                nonstrict.append(sum((W2[0, i] * lam[i] for i in range(n1) if o[i] < 0), sympy.Integer(0)))
            else:                 # slope of g at +infinity <= 0
                nonstrict.append(-sum((W2[0, i] * lam[i] for i in range(n1) if o[i] > 0), sympy.Integer(0)))
            for k in inside:       # g(p_k) <= 0
                rank_k = order.index(k)
                act = [j for j in range(n1) if j != k and (o[j] > 0) == (order.index(j) < rank_k)]
                nonstrict.append(-o[k] * (sum((W2[0, j] * (lam[k] * B1[j] - lam[j] * B1[k]) for j in act),
                                              sympy.Integer(0)) + lam[k] * B2[0]))
        ref = S.ref
        act = [i for i in range(n1) if (o[i] > 0) == (S.place(labels[i]) < (ref, 0))]
        eqs.append(sum((o[i] * KJ[i] for i in act), sympy.Integer(0)) - K * R(S.T.slope(ref)))
        eqs.append(sum((o[i] * (R(ref) * KJ[i] - KJp[i]) for i in act), sympy.Integer(0))
                   + Z * B2[0] - K * R(S.T(ref)))
        eqs = list(dict.fromkeys(e for e in map(sympy.expand, eqs) if e != 0))
        label = " ".join(f"V{lab[1] + 1}{'+' if lab[2] > 0 else '-'}" if lab[0] == "V" else
                         f"N{lab[1] + 1}.{lab[2] + 1}{'+' if lab[3] > 0 else '-'}{'+' if lab[4] > 0 else '-'}"
                         for lab in labels)
        return BasicSet(V.flat, tuple(eqs), tuple(sympy.expand(x) for x in strict),
                        tuple(sympy.expand(x) for x in nonstrict), label=f"{self.tag}: {label}")

    def _slots_of(self, ov: OuterView, closure: bool):
        """Each neuron's (breakpoint, orientation, place) on the line, or ``None`` when it is not a slot of simple
        type; with ``closure`` a breakpoint at an end of an N-interval counts as inside it."""
        S, out = self.S, []
        kinks = {x: k for k, (x, _) in enumerate(S.kinks)}
        for w, b, v in zip(ov.w, ov.b, ov.v, strict=True):
            lam = w[self.p]
            if v == 0 or lam == 0 or any(x != lam * y for x, y in zip(w, self.u, strict=True)):
                return None
            x, o = -b / lam, (1 if lam > 0 else -1)
            if x in kinks:
                out.append((x, o, ["V", kinks[x], o]))
                continue
            inside = [I for I, (a, bb, _, _) in enumerate(S.nints)
                      if (a is None or x > a or closure and x == a) and (bb is None or x < bb or closure and x == bb)]
            if len(inside) != 1:
                return None
            out.append((x, o, ["H", inside[0], None, o, 1 if v > 0 else -1]))
        return out

    def locate(self, ov: OuterView, closure: bool = False):
        """The labels of the outer view ``ov`` of a point with $\\operatorname{sign}\\mu$ = ``sign`` and
        $t = -\\mu\\ell$ (checked by the caller), or ``None`` when it is of no feasible simple type. With
        ``closure``: the one labelling whose component may have the point in its closure (breakpoints at the
        ends of N-intervals moved inside)."""
        S, slots = self.S, self._slots_of(ov, closure)
        if slots is None:
            return None
        points = [x for x, _, _ in slots]
        labels = [lab for _, _, lab in slots]
        if len(set(points)) < len(points) or sorted(lab[1] for lab in labels if lab[0] == "V") != \
                list(range(len(S.kinks))):
            return None
        for I in range(len(S.nints)):
            inside = sorted((x, i) for i, (x, lab) in enumerate(zip(points, labels, strict=True))
                            if lab[0] == "H" and lab[1] == I)
            for rk, (_, i) in enumerate(inside):
                labels[i][2] = rk
        labels = tuple(tuple(lab) for lab in labels)
        return labels if S.decide(*self._key(labels)) is not None else None

    def sample(self, labels, rng: _random.Random) -> Network:
        """A member of the component ``labels`` (clustered hidden slots, random scales and $|\\mu|$)."""
        S, view = self.S, self.view
        pos = lambda: fmpq(rng.randint(1, 9), rng.randint(1, 9))  # noqa: E731
        order = sorted(range(self.n1), key=lambda i: S.place(labels[i]))
        orient, _ = self._key(labels)
        seqs = [[(labels[i][3], labels[i][4]) for i in order if labels[i][0] == "H" and labels[i][1] == I]
                for I in range(len(S.nints))]
        slots, eps = S.solve(orient, seqs, rng)
        where = {("V", k): slots[k] for k in range(len(S.kinks))}
        it = iter(slots[len(S.kinks):])
        for I, seq in enumerate(seqs):
            for rk in range(len(seq)):
                where[("H", I, rk)] = next(it)
        s = pos()
        rows, b1, v = [], [], []
        for lab in labels:
            x, o, J = where[("V", lab[1]) if lab[0] == "V" else ("H", lab[1], lab[2])]
            lam = o * pos()
            rows.append(_scale(lam, self.u))
            b1.append(-lam * x)
            v.append(s * J / abs(lam))
        mu = self.sign * s
        d = tuple(x + c * self.level for x, c in zip(view.d, view.c, strict=True))
        return Network((tuple(rows), (tuple(v),), tuple((c / mu,) for c in view.c)), (tuple(b1), (s * eps,), d))
