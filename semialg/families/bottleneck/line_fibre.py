r"""Case (a) with every first-layer row parallel (always when $n_0 = 1$), regime PN: explicit fibres.

Then $h(x) = g(u\cdot x)$ for a 1-D piecewise linear $g$ and $f = c\,\sigma(h) + d$. Since $\sigma(h)$ is not
constant, $f_{\theta'} = f_\theta$ iff $c' = c/\mu$ ($\mu \ne 0$), $d' = d - ct/\mu$ and
$\sigma(h') = \mu\sigma(h) + t$. As $\sigma(h) = 0$ somewhere, four pieces make up the fibre:

* **A** ($\mu > 0$, $t = 0$): $h'/\mu = h$ on $P = \{h > 0\}$ and $\le 0$ off it — the slot calculus of
  :mod:`~semialg.families.bottleneck.line_slots` with target $T = h$;
* **B** ($\mu > 0$, $t > 0$): $\sigma(h') > 0$ everywhere, so $h' = \mu\psi + t$ with $\psi$ a shallow network
  computing $\sigma(h)$ — the shallow fibre of $\psi$ (:func:`semialg.families.shallow.fibre`, complete for
  every shallow parameter) with $(v, e) \mapsto (v'/\mu, (e' - t)/\mu)$ substituted; empty when no network of
  width $n_1$ computes $\sigma(h)$ (its breakpoints: the kinks of $h$ in $P$ and the zeros of $h$);
* **C** ($\mu < 0$, reflections): $\sigma(h') = t - |\mu|\sigma(h) \ge 0$ needs $M = \max h < \infty$ and
  $t \ge |\mu| M$; then $h' = \mu\psi + t$ globally (the shallow fibre again, with $t + \mu M \ge 0$) —
  these members have $c' = -c/|\mu|$;
* **Cp** ($\mu < 0$, $t = |\mu|M$, only when $h$ attains $M$ on an interval): $h'/|\mu| = M - \sigma(h)$ off the
  plateau $\{h = M\}$ and $\le 0$ on it — the slot calculus with target $T = M - \sigma(h)$, disjoint from C.

A and Cp are unions over types (:mod:`~.line_typed`): each neuron a slot on the line (:mod:`~.line_slots`: one
or a cluster of several per kink of $T$, the others strictly inside N-intervals, one or several (a shared point,
jumps not cancelling) per breakpoint, $v' \ne 0$), inert ($v' = 0$, any row), constant ($w' = 0$) or in a
phantom group on one hyperplane (off the line for $n_0 \ge 2$: a lone off-line kink would cross $P$), the groups'
affine part $\alpha u\cdot x$ entering the 1-D conditions; slots may also sit at the ends of N-intervals (zeros of
$T$), and a Cp member with $g = \sigma(T)$ belongs to piece C. Not listed (``contains`` still decides them exactly by
:func:`~semialg.families.bottleneck.equivalence.equivalent`): types feasible only with $g = 0$ at a slot or a zero
slope at infinity.
:meth:`LineFibre.dimension` is decided only when the listed maximum reaches an upper bound covering them
(:meth:`~semialg.families.bottleneck.line_slots.SlotCalculus.upper_bound`), else undecided with both bounds.

>>> net = Network.from_arrays([[[1], [1], [1]], [[1, -3, -2]], [[1]]], [[10, 0, -20], [-9], [0]])
>>> L = LineFibre(net); [p for p, _ in L.pieces], L.dimension()
(['A', 'B', 'C'], 7)
"""

from __future__ import annotations

import itertools
import random as _random

from flint import fmpq

from semialg.core.exact import normalise_row, rank, to_sympy
from semialg.core.lazy import sympy  # imported on first use: start-up time
from semialg.core.network import Network, relu
from semialg.errors import ArchitectureError, UndecidedError
from semialg.families.bottleneck.line_slots import LinePL, SlotCalculus
from semialg.families.bottleneck.line_typed import TypedSlotPiece
from semialg.families.bottleneck.slot_piece import outer_conditions, split_outer
from semialg.families.bottleneck.views import OuterView, _first_nonzero, _scale
from semialg.families.shallow import fibre as shallow_fibre
from semialg.geometry.semialgebraic import BasicSet, map_nonzero

__all__ = ["LineFibre", "line_profile", "sigma_network"]

_ZERO, _ONE = fmpq(0), fmpq(1)


def line_profile(net: Network, neurons=None) -> tuple[tuple, LinePL]:
    r"""$(u, g)$ with $h(x) = g(u\cdot x)$, $u$ the common direction of the first-layer rows (its first non-zero
    entry $1$); with ``neurons``, of those neurons' part of $h$ (plus $e$) only — all of $h$ when the others have
    $v_i = 0$. Raises :class:`ArchitectureError` when two of the rows are not parallel or every one is zero."""
    view = OuterView.of(net)
    keep = range(len(view.w)) if neurons is None else neurons
    rows = [view.w[i] for i in keep]
    if rank(rows) != 1:
        raise ArchitectureError("the 1-D fibre needs first-layer rows that are all parallel and not all zero")
    u = normalise_row(next(w for w in rows if any(w)))[0]
    p = _first_nonzero(u)
    u = _scale(1 / u[p], u)
    return u, _profile(u, [w[p] for w in rows], [view.b[i] for i in keep], [view.v[i] for i in keep], view.e)


def _profile(u, lam, b, v, e) -> LinePL:
    """$g(s) = \\sum_i v_i\\sigma(\\lambda_is + b_i) + e$."""
    breaks = [(-bi / li, vi * abs(li)) for li, bi, vi in zip(lam, b, v, strict=True) if li != 0]
    left = sum((vi * li for li, vi in zip(lam, v, strict=True) if li < 0), _ZERO)
    at0 = e + sum((vi * relu(bi) for bi, vi in zip(b, v, strict=True)), _ZERO)
    return LinePL.of(breaks, left, at0)


def sigma_network(u, sig: LinePL, n1: int) -> Network | None:
    r"""A shallow network of width $n_1$ computing $\sigma(h)(x) = $ ``sig``$(u\cdot x)$, or ``None`` if there is
    none: $q$ breakpoints need $q$ neurons whose left-oriented jumps sum to minus the slope at $-\infty$; one more
    neuron splits a breakpoint in two opposite halves, which fixes any slope. Cost: $O(n_1)$, or a search over the
    subsets of the breakpoints when $q = n_1$ (:class:`ArchitectureError` beyond 16).

    >>> _, g = line_profile(Network.from_arrays([[[1], [1]], [[1, -2]], [[1]]], [[0, -1], [0], [0]]))
    >>> sig = g.positive_part()             # s(x) - 2 s(x - 1) is positive on (0, 2): kinks at 0, 1 and 2
    >>> sigma_network((fmpq(1),), sig, 2) is None, sigma_network((fmpq(1),), sig, 3).widths
    (True, (1, 3, 1))
    """
    q = len(sig.breaks)
    if q > n1:
        return None
    if q == n1:
        if q > 16:
            raise ArchitectureError("the 1-D fibre searches subsets of at most 16 breakpoints")
        left = next((L for k in range(q + 1) for L in itertools.combinations(range(q), k)
                     if sum((sig.breaks[i][1] for i in L), _ZERO) == -sig.left), None)
        if left is None:
            return None
        slots = [(x, -1 if i in left else 1, J) for i, (x, J) in enumerate(sig.breaks)]
    else:
        (x1, J1), rest = sig.breaks[0], sig.breaks[1:]
        slots = [(x1, 1, J1 + sig.left), (x1, -1, -sig.left)] + [(x, 1, J) for x, J in rest]
        slots += [(_ZERO, 1, _ZERO)] * (n1 - q - 1)
    e = sig.at0 - sum((J * relu(-o * x) for x, o, J in slots), _ZERO)
    return Network((tuple(_scale(fmpq(o), u) for _, o, _ in slots), (tuple(J for _, _, J in slots),)),
                   (tuple(-o * x for x, o, _ in slots), (e,)))


class _Shallow:
    """Lazy index of the non-empty components of the shallow fibre of $\\psi$, tagged B or C."""

    def __init__(self, tag: str, F):
        self.tag, self.F = tag, F
        self.geometry = getattr(F, "geometry", None)

    @property
    def exact_size(self) -> int:
        return self.F.num_components

    def __len__(self) -> int:
        return self.exact_size

    def __iter__(self):
        for j in self.F.index:
            if self.geometry is None or self.geometry.is_nonempty(j):
                yield self.tag, j


class _Chain:
    def __init__(self, parts):
        self.parts = parts

    @property
    def exact_size(self) -> int:
        return sum(p.exact_size for p in self.parts)

    def __len__(self) -> int:
        return self.exact_size

    def __iter__(self):
        return itertools.chain.from_iterable(self.parts)


class LineFibre:
    """The components of the fibre of a case-(a) parameter with parallel first-layer rows, regime PN:
    ``index``, ``build``, ``locate``, ``sample``, ``dimension`` (a function) and ``local_dimension``."""

    index_name = r"(\text{piece}, \text{slot places})"

    def __init__(self, net: Network):
        self.net = net
        self.view = view = OuterView.of(net)
        self.u, self.h = line_profile(net)
        self.p = _first_nonzero(self.u)
        self.n0, self.n1 = net.widths[0], net.widths[1]
        self.r = _first_nonzero(view.c)
        self.sig = self.h.positive_part()
        if not self.sig.breaks or self.h.positive_part() == self.h:
            raise ArchitectureError("the 1-D fibre needs regime PN: h > 0 and h < 0 somewhere")
        self.M = self.sig.maximum()
        self.psi = self._psi()
        pieces = [("A", SlotCalculus(self.h, self.n1))]
        if self.psi is not None:
            F = shallow_fibre(self.psi)
            pieces.append(("B", F))
            if self.M is not None:
                pieces.append(("C", F))
        if self.M is not None:
            T = LinePL.of([(x, -j) for x, j in self.sig.breaks], -self.sig.left, self.M - self.sig.at0)
            if any(T(y) <= 0 for y in T.gaps()[1]):      # a plateau with interior
                pieces.append(("Cp", SlotCalculus(T, self.n1)))
        self.pieces = pieces
        self.parts = dict(pieces)
        self.slots = {tag: TypedSlotPiece(tag, net, self.u, P, 1 if tag == "A" else -1, _ZERO if tag == "A" else self.M)
                      for tag, P in pieces if tag in ("A", "Cp")}
        self.index = _Chain([self.slots[tag].index if tag in self.slots else _Shallow(tag, P) for tag, P in pieces])
        self.index_description = (
            "piece A (mu > 0, d' = d) and Cp (mu < 0, d' = d + cM, when h attains M = max h on an interval): "
            "a type per neuron: a slot on the line on a kink of the target (h, resp. M - sigma(h); several on "
            "one kink: a cluster) with its orientation or strictly inside an N-interval with orientation, sign of "
            "v' and order (several on one point: a shared point), inert (v' = 0, any row), constant (w' = 0, "
            "sign of b') or in a phantom group on a hyperplane (orientation); pieces B (mu > 0, t > 0) and C "
            "(mu < 0, t >= |mu| M, reflections c' = -c/|mu|): h' = mu psi + t, psi a width-n1 network computing "
            "sigma(h), by the components of its shallow fibre; slots at a zero of the target (an end of an "
            "N-interval) too. Not listed: types feasible only with equalities")

    # -- psi: a width-n1 network computing sigma(h) ------------------------------------------------------------

    def _psi(self) -> Network | None:
        return sigma_network(self.u, self.sig, self.n1)

    # -- the basic sets -----------------------------------------------------------------------------------------

    def build(self, index) -> BasicSet:
        tag, j = index
        if tag in self.slots:
            return self.slots[tag].build(j)
        return self._build_shallow(tag, j)

    def _build_shallow(self, tag: str, j) -> BasicSet:
        F = self.parts[tag]
        B = F.build(j)
        V, view, r = self.net.variables(), self.view, self.r
        W2, B2, C, D = V.weights[1], V.biases[1], V.weights[2], V.biases[2]
        cr, dr = to_sympy(view.c[r]), to_sympy(view.d[r])
        sub = {W2[0, i]: W2[0, i] * C[r, 0] / cr for i in range(self.n1)}
        sub[B2[0]] = (B2[0] * C[r, 0] - dr + D[r]) / cr
        eqs, strict = outer_conditions(self.net, view, r, 1 if tag == "B" else -1, None)
        eqs += [sympy.expand(sympy.sympify(q).xreplace(sub)) for q in B.equations]
        strict += [sympy.expand(sympy.sympify(q).xreplace(sub)) for q in B.strict]
        nonstrict = [sympy.expand(sympy.sympify(q).xreplace(sub)) for q in B.nonstrict]
        if tag == "B":                 # t = (d_r - d'_r)/c'_r > 0
            strict.append((dr - D[r]) * C[r, 0])
        else:                          # (t + mu M) c'_r^2 >= 0
            nonstrict.append(C[r, 0] * (dr - D[r] + cr * to_sympy(self.M)))
        eqs = list(dict.fromkeys(e for e in eqs if e != 0))
        return BasicSet(V.flat, tuple(eqs), tuple(strict), tuple(nonstrict), label=f"{tag}: {B.label}",
                        nonzero=map_nonzero(lambda q: sympy.expand(sympy.sympify(q).xreplace(sub)), B.nonzero))

    # -- locating ------------------------------------------------------------------------------------------------

    def _split(self, point):
        """$(\\mu, t)$ of a point and its outer view, or ``None`` when $c'$ is not a multiple of $c$."""
        return split_outer(self.net, self.view, self.r, point)

    def locate(self, point):
        got = self._split(point)
        if got is None:
            return None
        mu, t, ov = got
        if mu > 0 and t == 0:
            j = self.slots["A"].locate(ov)
            return None if j is None else ("A", j)
        if mu < 0 and self.M is not None and t + mu * self.M == 0 and "Cp" in self.slots:
            j = self.slots["Cp"].locate(ov)
            if j is not None and self.slots["Cp"].build(j).contains(point):     # not flat: else in piece C
                return "Cp", j
        tag = "B" if mu > 0 else "C"
        if tag not in self.parts:
            return None
        psi = Network((ov.inner.weights[0], (_scale(1 / mu, ov.v),)), (ov.b, ((ov.e - t) / mu,)))
        j = self.parts[tag].locate(psi)
        return None if j is None else (tag, j)

    # -- sampling and dimensions -----------------------------------------------------------------------------------

    def sample(self, seed, index) -> Network:
        rng = _random.Random(seed)
        if index is None:
            index = next(itertools.islice(iter(self.index), rng.randrange(min(self.index.exact_size, 10 ** 4)),
                                          None))
        tag, j = index
        if tag in self.slots:
            return self.slots[tag].sample(j, rng)
        pos = lambda: fmpq(rng.randint(1, 9), rng.randint(1, 9))  # noqa: E731
        view = self.view
        psi = self.parts[tag].build(j).sample(rng.randrange(2 ** 32))
        mu = pos() if tag == "B" else -pos()
        t = pos() if tag == "B" else -mu * self.M + rng.choice((_ZERO, pos()))
        W1, b1 = psi.weights[0], psi.biases[0]
        v, e = _scale(mu, psi.weights[1][0]), mu * psi.biases[1][0] + t
        d = tuple(x - c * t / mu for x, c in zip(view.d, view.c, strict=True))
        return Network((W1, (v,), tuple((c / mu,) for c in view.c)), (b1, (e,), d))

    def dimension_bounds(self) -> tuple[int, int]:
        """The largest dimension of a listed component and an upper bound of the fibre's dimension
        (:meth:`~semialg.families.bottleneck.line_slots.SlotCalculus.upper_bound` on the slot pieces, which
        covers the members of no listed type)."""
        lower, upper = [], []
        for tag, P in self.pieces:
            if tag in self.slots:
                d = self.slots[tag].max_dimension()
                u = self.slots[tag].upper_bound()
                lower += [] if d is None else [d]
                upper += [] if u is None else [u]
            else:
                lower.append(P.dimension + 2)
                upper.append(P.dimension + 2)
        return max(lower), max(upper)

    def dimension(self) -> int:
        """The dimension of the fibre: the largest dimension of a listed component, when it reaches the upper
        bound of :meth:`dimension_bounds` (else :class:`UndecidedError` with both)."""
        lower, upper = self.dimension_bounds()
        if upper > lower:
            raise UndecidedError(f"the fibre's dimension is between {lower} (listed components) and {upper} (a "
                                 f"bound covering members of no listed type: types feasible only with "
                                 f"equalities)")
        return lower

    def local_dimension(self, theta) -> int:
        """The dimension of the fibre at the member ``theta``: in piece B or C that of the shallow fibre plus 2;
        in A or Cp that of its type, or of the types curves from it reach, by
        :meth:`~semialg.families.bottleneck.line_typed.TypedSlotPiece.local_dimension` (with the upper bound of
        :meth:`dimension_bounds`), else :class:`UndecidedError` with bounds."""
        j = self.locate(theta)
        if j is not None and self.build(j).contains(theta):
            tag, k = j
            mu, t, ov = self._split(theta)
            if tag not in self.slots:
                psi = Network((ov.inner.weights[0], (_scale(1 / mu, ov.v),)), (ov.b, ((ov.e - t) / mu,)))
                try:
                    return self.parts[tag].local_dimension(psi) + 2
                except UndecidedError as err:
                    raise err.shifted(2, "the shallow fibre of h at (h' - t)/mu, times mu and t") from None
            return self.slots[tag].local_dimension(ov, k, self.dimension_bounds()[1])
        mu, t, ov = self._split(theta)
        tag = "Cp" if mu < 0 and "Cp" in self.slots and t + mu * self.M == 0 else "A"
        return self.slots[tag].local_dimension(ov, None, self.dimension_bounds()[1])
