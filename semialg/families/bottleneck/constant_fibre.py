r"""Case (a), constant functions: the fibre of $f = c\,\sigma(h) + d \equiv D$ ($c = 0$ or $h \le 0$ everywhere,
$D = d$; or $h \equiv \kappa > 0$ constant, $D = d + \kappa c$). Below $d$ stands for the constant $D$.

**Statement.** For $\theta'$ of widths $n_0$-$n_1$-1-$n_3$, $f_{\theta'} = c'\sigma(h') + d' \equiv d$ iff

- (S) $c' = 0$ and $d' = d$ (any inner network), or
- (N) $c' \ne 0$, $d' = d$ and $h' \le 0$ on $\mathbb{R}^{n_0}$, or
- (K) $c' \ne 0$, $h' \equiv \kappa > 0$ and $d' = d - \kappa c'$

(a component $c'_r \ne 0$ forces $\sigma(h')$ constant, $0$ or $\kappa > 0$). **Dimension** $D - n_3$: the subset
(N$_-$) $= \{c' \ne 0,\ d' = d,\ v' \le 0,\ e' \le 0\}$ of (N) ($h' \le e' \le 0$) has non-empty interior in the
affine space $\{d' = d\}$; (S) and (N) lie in it; (K) has dimension at most that of $\{h' \text{ constant}\} + n_3
< D - n_3$, as $h'$ constant has empty interior among inner networks (raising $v'_i$ of a neuron with $w'_i \ne 0$
adds a kink). Listed: (S), (N$_-$), (N$_+$) $=$ (N) $\setminus$ (N$_-$) (some $v'_i > 0$ or $e' > 0$) and (K), all
non-empty. (N) is explicit by the following statement. (K) is the union over the non-empty types
$\tau$ of the typed shallow fibre $Z$ of the zero function (:func:`semialg.families.shallow.fibre`): with
$S = \sum_r (d_r - d'_r)c'_r$ and $Q = \|c'\|^2$, (K) is $\{d' - d \parallel c',\ S > 0\}$ ($\kappa = S/Q$) with
the inner network minus $\kappa$ in $Z_\tau$ — the conditions of $Z_\tau$ with $e' \mapsto e' - S/Q$, each
multiplied by $Q^k$ ($k$ its degree in $e'$, $Q > 0$ keeps every sign).

**$h' \le 0$ everywhere, quantifier-free** (:func:`nowhere_positive`). Write $\ell'_j = w'_j\cdot x + b'_j$. Then
$h' \le 0$ on $\mathbb{R}^{n_0}$ iff

- (V) for every set $S$ of neurons and $C$ of coordinates with $|S| + |C| = n_0$, with $(\hat q, \delta)$ Cramer's
  solution of $\ell'_S = 0$, $x_C = 0$ and $\hat\ell_j = w'_j\cdot\hat q + b'_j\delta$:
  $\delta^2 e' + \sum_j v'_j\max(0, \delta\hat\ell_j) \le 0$ (this is $\delta^2 h'(\hat q/\delta)$, and $0$
  when $\delta = 0$), and
- (R) for every $S$, $C$ with $|S| + |C| = n_0 - 1$ and $d$ the generalised cross product of their normals:
  $\sum_j v'_j\max(0, \pm w'_j\cdot d) \le 0$ (the recession function $\rho(u) = \sum_j v'_j\sigma(w'_j\cdot u)$
  of $h'$ at $\pm d$).

*Proof.* Necessity: each atom is $\delta^2 h'$ at a point or $\rho$ at a direction, and $\rho \le 0$ if $h'$ is
bounded above. Sufficiency: let $L = \ker W'$ (dimension $k$) and $C$ a set of $k$ coordinates with $L \cap
\{x_C = 0\} = 0$. Every cone of the central arrangement $\{w'_j\cdot u = 0\}$ is $L$ plus a pointed cone on which
$\rho$ is linear; each extreme ray spans with $L$ a face $\{w'_R\cdot u = 0\}$ ($R$ of rank $n_0 - k - 1$), which
meets $\{u_C = 0\}$ in a line not in $L$, spanned by the cross product $d$ of $R \cup C$: so (R) gives $\rho \le
0$. Then $h'$, affine on each closed cell of the arrangement and constant along $L$, is bounded above on it and
attains its supremum on a minimal face, a flat $\{\ell'_S = 0\}$ ($S$ independent, $|S| = n_0 - k$) that meets
$\{x_C = 0\}$ in the point of (V) for $(S, C)$. $\square$ For $\delta = 0$ or $d = 0$ an atom is $0 \le 0$, so
the formula is a plain conjunction of $\binom{n_0 + n_1}{n_0}$ vertex and $2\binom{n_0 + n_1}{n_0 - 1}$ ray atoms,
each folding $n_1$ terms $\max(0, \cdot)$ (a disjunction over their signs when expanded).

The local dimension is $D - n_3$ at every member with $d' = d$, $v' \le 0$, $e' \le 0$ (the closure of the
interior of (N$_-$)), at every member with $d' = d$ where $h' \le -\varepsilon(1 + \|x\|)$
(:func:`uniformly_negative`) or where (V) and (R) hold robustly (first-layer rows spanning, every atom and every
argument of a $\max$ non-zero unless identically) — interior points of (N) $\cup$ (S) — and at limits of either
kind along a line (the atoms of (V) and (R) with $C = \emptyset$ negative unless their $\delta$ or $d$ vanishes,
or robust, for every small $t > 0$); $D - 2n_3$ at a silent member whose $h'$ is non-constant and positive
somewhere; at a member of (K) it is the dimension of (K) there (the shallow local dimension of $Z$ at
$h' - \kappa$, plus $1 + n_3$), and at a silent member with $h' = \kappa > 0$ the larger of that and $D - 2n_3$;
elsewhere it is undecided. Cost: $O(n_1 n_0 + n_3)$ polynomials per component but (N$_+$), whose formula has
$O(\binom{n_0 + n_1}{n_0})$ atoms; membership one evaluation (for (N$_+$) one arrangement of $h'$).

>>> net = Network.from_arrays([[[1, 0], [0, 1]], [[-1, -2]], [[3]]], [[0, 1], [-1], [2]])   # h <= -1
>>> F = ConstantFibre(net); F.dimension, list(F.index)[:4], len(F.index), F.local_dimension(net)
(10, ['silent', 'negative', 'nonpositive', ('K', (('D',), ('D',)))], 13, 10)
"""

from __future__ import annotations

import functools
import itertools
import random as _random
import time
from typing import Iterator

from flint import fmpq, fmpq_poly

from semialg.core.exact import dot, nullspace, rank, solve, sparse_vector, to_sympy, vadd
from semialg.core.lazy import sympy  # imported on first use: start-up time
from semialg.core.network import Network
from semialg.engine.tangent import parameter_offsets
from semialg.errors import ParameterError, UndecidedError
from semialg.families.bottleneck.cell_cones import cell_cones
from semialg.families.bottleneck.hidden_fibre import ConditionedSet
from semialg.families.bottleneck.hidden_formula import Formula, Polynomials, _and, _atom, _or
from semialg.families.bottleneck.hidden_region import cramer, kernel_direction
from semialg.families.bottleneck.types import bottleneck_regime, combinatorial_type  # noqa: F401 (doctest)
from semialg.families.bottleneck.views import OuterView, _ZERO
from semialg.families.shallow import canonical_form, fibre as shallow_fibre
from semialg.geometry.semialgebraic import BasicSet, map_nonzero

#: Random tilts of the rows and biases :meth:`ConstantFibre.local_dimension` tries after the structured pushes
#: (measured on 97 undecided constant-function members of planted surveys: 13 more decided, 0.15 s each).
RANDOM_PUSHES = 200
#: Random types a random sample draws before it takes the first non-empty one.
RANDOM_TYPES = 64
#: Seconds :meth:`ConstantFibre.local_dimension` spends on the lines it pushes a member along before it answers
#: "undecided" (each line one :func:`nowhere_positive_along`: 80 ms for 5-8-1-2, where composing the symbolic
#: formula with the line took a minute).
PUSH_SECONDS = 10

LABELS = {"silent": "silent: c' = 0, d' = d, any inner network",
          "negative": "negative: c' nonzero, d' = d, every v' and e' nonpositive, so h' is nowhere positive",
          "nonpositive": "nonpositive: c' nonzero, d' = d, some v' or e' positive, h' nowhere positive"}


class ConstantFibre:
    """The listed pieces of the fibre of a constant case-(a) function (module docstring): ``index``, ``build``,
    ``locate``, ``sample``, ``dimension``, ``local_dimension``."""

    index_name = r"\text{piece}"
    index_description = ("silent (c' = 0, d' = d, any inner network), negative (c' nonzero, d' = d, every v' and e' "
                         "nonpositive), nonpositive (c' nonzero, d' = d, some v' or e' positive and h' nowhere "
                         "positive: a quantifier-free formula at the arrangement's vertices and rays) or ('K', "
                         "type): h' a positive constant kappa, d' = d - kappa c', and h' - kappa of that type in the "
                         "typed shallow fibre of the zero function")

    def __init__(self, net: Network):
        self.net, self.view = net, OuterView.of(net)
        self.d = tuple(net((_ZERO,) * net.widths[0]))     # the constant value: d, or d + kappa c when h = kappa > 0
        self.n3 = net.widths[3]
        self.dimension = len(net.parameters()) - self.n3
        n0, n1 = net.widths[:2]
        self.zero = shallow_fibre(Network((((_ZERO,) * n0,) * n1, ((_ZERO,) * n1,)), ((_ZERO,) * n1, (_ZERO,))))
        self.index = _Pieces(self.zero)
        self._formula = None

    def build(self, index) -> BasicSet:
        V = self.net.variables()
        C, Dv = V.weights[2], V.biases[2]
        eqs = tuple(Dv[q] - to_sympy(x) for q, x in enumerate(self.d))
        cs = tuple(C[q, 0] for q in range(self.n3))
        if index == "silent":
            return BasicSet(V.flat, cs + eqs, label=LABELS[index])
        if index == "negative":
            v, e = V.weights[1], V.biases[1]
            return BasicSet(V.flat, eqs, (), tuple(-v[0, i] for i in range(v.shape[1])) + (-e[0],),
                            label=LABELS[index], nonzero=(cs,))
        if index == "nonpositive":
            if self._formula is None:
                h = nowhere_positive(V)
                P, e = h.P, h.P.gens[V.biases[1][0]]
                some = _or([_atom(P, P.gens[V.weights[1][0, i]], ">") for i in range(V.weights[1].shape[1])]
                           + [_atom(P, e, ">")])
                self._formula = Formula(_and([h.tree, some]), V.flat, statement="h'(x) <= 0 for every x, with "
                                        "some v' or e' positive")
            return ConditionedSet(V.flat, eqs, label=LABELS[index], nonzero=(cs,), condition=self._formula)
        if isinstance(index, tuple) and len(index) == 2 and index[0] == "K":
            return self._positive_constant(index[1], V)
        raise ParameterError(f"no listed piece {index!r} (silent, negative, nonpositive or ('K', type))")

    def _positive_constant(self, tau, V) -> BasicSet:
        r"""(K) of type ``tau``: $d' - d \parallel c'$, $S > 0$, and $Z_\tau$ with $e' \mapsto e' - S/Q$, cleared."""
        C, Dv, e = V.weights[2], V.biases[2], V.biases[1][0]
        d = [to_sympy(x) for x in self.d]
        S = sum(((d[r] - Dv[r]) * C[r, 0] for r in range(self.n3)), sympy.Integer(0))
        Q = sum((C[r, 0] ** 2 for r in range(self.n3)), sympy.Integer(0))
        shifted = (e * Q - S) / Q

        def cleared(p):
            p = sympy.sympify(p)
            k = sympy.Poly(p, e).degree() if p.has(e) else 0
            return sympy.expand(sympy.cancel(p.xreplace({e: shifted}) * Q ** k))

        B = self.zero.build(tau)
        parallel = [(Dv[s] - d[s]) * C[r, 0] - (Dv[r] - d[r]) * C[s, 0]
                    for r in range(self.n3) for s in range(r + 1, self.n3)]
        return BasicSet(V.flat, tuple(map(sympy.expand, parallel)) + tuple(map(cleared, B.equations)),
                        tuple(map(cleared, B.strict)) + (sympy.expand(S),), tuple(map(cleared, B.nonstrict)),
                        label=f"positive constant: h' = kappa > 0, d' = d - kappa c', h' - kappa of type {tau}",
                        nonzero=map_nonzero(cleared, B.nonzero))

    def _kappa(self, ov: OuterView):
        r"""$\kappa = S/Q$ when $c' \ne 0$, $d - d' = \kappa c'$ and $\kappa > 0$, else ``None``."""
        if not any(ov.c):
            return None
        r = next(k for k, x in enumerate(ov.c) if x != 0)
        kappa = (self.d[r] - ov.d[r]) / ov.c[r]
        ok = kappa > 0 and all(self.d[s] - ov.d[s] == kappa * ov.c[s] for s in range(self.n3))
        return kappa if ok else None

    def locate(self, point):
        ov = OuterView.of(point)
        kappa = self._kappa(ov)
        if kappa is not None:
            tau = self.zero.locate(Network((ov.inner.weights[0], (ov.v,)), (ov.b, (ov.e - kappa,))))
            return None if tau is None else ("K", tau)
        if ov.d != self.d:
            return None
        if not any(ov.c):
            return "silent"
        if all(x <= 0 for x in ov.v) and ov.e <= 0:
            return "negative"
        return None if _positive_somewhere(point) else "nonpositive"

    def local_dimension(self, point) -> int:
        r"""At a member of (K) the dimension of (K) there (:meth:`_positive_constant_dimension`, from the shallow
        local dimension of the zero function's fibre); $D - n_3$ at a member with $d' = d$, $v' \le 0$, $e' \le 0$
        (the closure of the interior of (N$_-$)) or with $h'$ uniformly negative (:func:`uniformly_negative`: every
        nearby $\theta''$ with $d'' = d$ is a member); $D - 2n_3$ at a silent member whose $h'$ is not constant
        and positive somewhere (no member with $c' \ne 0$ is near: (N) needs $h'' \le 0$, (K) a constant $h''$,
        and both are closed conditions $h'$ fails) and the larger of that and the dimension of (K) at a silent
        member whose $h'$ is a positive constant ((K) members with $c'' \to 0$ come near); $D - n_3$ at a member
        with $d' = d$ whose first-layer rows span $\mathbb{R}^{n_0}$ and at which the formula of
        :func:`nowhere_positive` without coordinate planes holds robustly (no argument of a $\max$ and no atom
        vanishes unless identically: every nearby $\theta''$ with $d'' = d$ and $c'' \ne 0$ is in (N)), and at a
        member with $d' = d$ from which a line $\theta' + td$ (:meth:`_pushes`) runs through parameters with
        rows spanning and $h''$ uniformly negative (the strict formula) or the formula robust
        (:func:`nowhere_positive_along`), for every small $t > 0$ (the
        rank of the rows is $n_0$ at $t = 1$, so at all but finitely many $t$): the fibre has dimension $D - n_3$
        at those points, hence at $\theta'$ (:mod:`~semialg.families.bottleneck.line_closure`, lemma on curves);
        else :class:`UndecidedError`. Cost: one arrangement of $h'$ and its canonical form, or one evaluation of
        the formula and at most $12 + 72(2n_0 + 1) + 200$ evaluations of it or its strict form along a line
        (:func:`nowhere_positive_along`), for
        at most :data:`PUSH_SECONDS` (a tqdm bar on a terminal after 2 s); at (K) members one shallow local
        dimension."""
        ov = OuterView.of(point)
        kappa = self._kappa(ov)
        if kappa is not None:        # (K): near theta' every member has h'' constant and positive
            return self._positive_constant_dimension(ov, kappa)
        if ov.d == self.d and (all(x <= 0 for x in ov.v) and ov.e <= 0 or uniformly_negative(ov.inner)):
            return self.dimension
        if ov.d == self.d:
            if rank(point.weights[0]) == self.net.widths[0] and nowhere_positive_along(point, robust=True):
                return self.dimension
            tried, deadline = 0, time.monotonic() + PUSH_SECONDS
            from tqdm.auto import tqdm      # on first use: start-up time
            with tqdm(desc="constant fibre: lines tried", unit="line", delay=2, leave=False, disable=None) as bar:
                for step in self._pushes(point):
                    if time.monotonic() > deadline:
                        break
                    tried += 1
                    bar.update()
                    tilted = [[x + y for x, y in zip(row, step[a:a + len(row)], strict=True)]
                              for a, row in zip(range(0, len(step), self.net.widths[0]), point.weights[0])]
                    try:
                        if rank(tilted) == self.net.widths[0] and (
                                nowhere_positive_along(point, step, robust=True, deadline=deadline)
                                or nowhere_positive_along(point, step, strict=True, deadline=deadline)):
                            return self.dimension
                    except UndecidedError:      # the budget ran out on this line
                        break
        K = canonical_form(ov.inner)
        varies = K.kinks or any(map(any, K.linear))
        if not any(ov.c) and varies and _positive_somewhere(point):
            return self.dimension - self.n3
        level = ov.inner((_ZERO,) * self.net.widths[0])[0]
        if not any(ov.c) and not varies and level > 0:      # (K) members with c'' -> 0 come near
            try:
                return max(self.dimension - self.n3, self._positive_constant_dimension(ov, level))
            except UndecidedError as err:
                if err.bounds is None:
                    raise
                raise UndecidedError(str(err), bounds=tuple(max(self.dimension - self.n3, b) for b in err.bounds)) \
                    from None
        pushed = "" if ov.d != self.d else f"; {tried} lines tried" + (
            f", the {PUSH_SECONDS} s budget spent" if time.monotonic() > deadline else "")
        raise UndecidedError(f"local dimension of a constant function's fibre at a member with c' != 0 and some "
                             f"v' > 0 or e' > 0 whose h' is not uniformly negative, or a silent one whose h' is "
                             f"nowhere positive: at most {self.dimension}, not decided{pushed}")

    def _positive_constant_dimension(self, ov: OuterView, kappa) -> int:
        r"""The dimension of (K) at a point whose $h'$ is the constant $\kappa > 0$: (K) is locally $\{h''
        \text{ constant}\} \times \{c'' \ne 0\}$ ($d''$ follows), and $h'' \mapsto (h'' - h''(0), h''(0))$ maps
        the first factor homeomorphically onto $Z \times (0, \infty)$: the shallow local dimension of $Z$ at
        $h' - \kappa$, plus $1 + n_3$."""
        lowered = Network((ov.inner.weights[0], (ov.v,)), (ov.b, (ov.e - kappa,)))
        try:
            return self.zero.local_dimension(lowered) + 1 + self.n3
        except UndecidedError as err:
            raise err.shifted(1 + self.n3, "the positive constant piece: the zero function's fibre at h' - kappa, "
                                           "times kappa and c'") from None

    def _pushes(self, point) -> Iterator[list[fmpq]]:
        r"""Directions $d$ for :meth:`local_dimension` to push a member along, towards the interior of (N): $e'$
        down, or $e'$ and every $v'$ down, either with every hyperplane moved by its own amount (neurons sharing
        one part), or the neurons with $v' > 0$ and $w' \ne 0$ retreating ($b'$ down), or not; with each, the zero
        rows of the neurons with $v' > 0$, or all zero rows, or the rows of those retreating neurons, tilted along
        one signed axis or along $\sum_{v_j \le 0}(1 - v_j)w_j$ (so that they act only far out on one side, or
        where the others lower $h'$ more once their $v'$ are down), by a unit or a small amount; then, with $e'$
        and every $v'$ down, :data:`RANDOM_PUSHES` tilts of all rows and biases by small integers, from a fixed
        seed (the same directions on every run: each is only a candidate, which the exact test along the line
        accepts or not), lazily."""
        arch = point.architecture
        (W_at, _, _), (b_at, e_at, _) = parameter_offsets(arch)
        n0, ov = arch.input_dim, OuterView.of(point)
        n1, unit = len(ov.v), functools.partial(sparse_vector, arch.num_parameters)
        lowered = [unit((e_at, fmpq(-1))), unit((e_at, fmpq(-1)), *((e_at - n1 + i, fmpq(-1)) for i in range(n1)))]
        apart = unit(*((b_at + i, fmpq(i + 1)) for i in range(n1)))
        flat = [i for i, w in enumerate(ov.w) if not any(w)]
        rising = [i for i, (w, v) in enumerate(zip(ov.w, ov.v, strict=True)) if v > 0 and any(w)]
        retreat = unit(*((b_at + i, fmpq(-1)) for i in rising))
        groups = [g for g in ([i for i in flat if ov.v[i] > 0], flat, rising) if g]
        falling = tuple(sum(((1 - v) * w[q] for w, v in zip(ov.w, ov.v, strict=True) if v <= 0), _ZERO)
                        for q in range(n0))
        axes = [tuple(fmpq(s) if j == q else _ZERO for j in range(n0)) for q in range(n0) for s in (1, -1)]
        axes += [falling] if any(falling) else []
        out = []
        for base in itertools.chain(lowered, *((vadd(base, shift) for base in lowered)
                                               for shift in ([apart, retreat] if rising else [apart]))):
            out.append(base)
            out += [vadd(base, unit(*((W_at + i * n0 + q, m * axis[q]) for i in group for q in range(n0))))
                    for group, axis, m in itertools.product(groups, axes, (fmpq(1), fmpq(1, 16)))]
        yield from out
        rng = _random.Random(0)
        for _ in range(RANDOM_PUSHES):
            yield vadd(lowered[1], unit(*((W_at + i * n0 + q, fmpq(rng.randint(-4, 4))) for i in range(n1)
                                          for q in range(n0)), *((b_at + i, fmpq(rng.randint(-2, 2))) for i in range(n1))))

    def sample(self, seed, index) -> Network:
        """A member of piece ``index`` (random when ``None``): random rows and biases, $c' = 0$ (silent) or
        $v' \\le 0$, $e' \\le 0$ and $c' \\ne 0$ (negative), $d' = d$; nonpositive: a neuron with $v'_1 > 0$ whose
        growth a second neuron on a parallel hyperplane cancels, $e'$ below the kink's peak ($w'_1 = 0$ when
        $n_1 = 1$), the other neurons with $v' \\le 0$."""
        rng = _random.Random(seed)
        if index is None:
            index = self.index.random(rng)
        q = lambda lo=-9: fmpq(rng.randint(lo, 9), rng.randint(1, 9))  # noqa: E731
        if index[0] == "K":      # a member of Z_tau, then h' = that + kappa, d' = d - kappa c'
            h0 = self.zero.build(index[1]).sample(rng.randrange(2 ** 32))
            kappa, c = q(1), tuple(q() for _ in range(self.n3))
            c = c if any(c) else (fmpq(1),) + c[1:]
            return Network((h0.weights[0], h0.weights[1], tuple((x,) for x in c)),
                           (h0.biases[0], (h0.biases[1][0] + kappa,), tuple(x - kappa * y for x, y in zip(
                               self.d, c, strict=True))))
        n0, n1 = self.net.widths[:2]
        W = tuple(tuple(q() for _ in range(n0)) for _ in range(n1))
        b = tuple(q() for _ in range(n1))
        if index == "silent":
            v, e, c = tuple(q() for _ in range(n1)), q(), (_ZERO,) * self.n3
        else:
            v, e = [-q(0) for _ in range(n1)], -q(0)
            if index == "nonpositive":   # a v sigma(l) - a s sigma(l - t) <= a t, s >= 1: e = -(a t + u)
                a, t, s, u = q(1), q(1), 1 + q(0), q(0)
                if n1 > 1:
                    W, b = (W[0], W[0]) + W[2:], (b[0], b[0] - t) + b[2:]
                    v[:2], e = [a, -a * s], -(a * t + u)
                else:
                    W, v[0], e = ((_ZERO,) * n0,), a, -(a * max(b[0], _ZERO) + u)
            c = tuple(q() for _ in range(self.n3))
            if not any(c):
                c = (fmpq(1),) + c[1:]
            v = tuple(v)
        return Network((W, (v,), tuple((x,) for x in c)), (b, (e,), self.d))


def computes_constant(net: Network, t) -> bool:
    """Whether the case-(a) parameter ``net`` (of combinatorial type ``t``) computes a constant: regime constant,
    or regime T with $h$ constant. Cost: in regime T the canonical form of $h$, else $O(1)$ (it was computed in every
    regime: 2-3 s of `fibre` at 784-4096-1-10)."""
    if t.regime != "T":
        return t.regime == "constant"
    K = canonical_form(OuterView.of(net).inner)
    return not K.kinks and not any(map(any, K.linear))


def nowhere_positive(V, coordinate_planes: bool = True, strict: bool = False) -> Formula:
    r"""$h' \le 0$ on $\mathbb{R}^{n_0}$ for the inner network of the variables ``V`` (of widths
    $n_0$-$n_1$-1-$n_3$) as a quantifier-free formula: the conjunction of the vertex atoms (V) and ray atoms (R) of
    the module docstring. Without ``coordinate_planes`` only the atoms with $C = \emptyset$: exact where the
    first-layer rows span $\mathbb{R}^{n_0}$ (the proof with $k = 0$), an open set. ``strict``: every atom
    negative unless its $\delta$ (resp. $d$) vanishes — without coordinate planes and where the rows span, $h' <
    0$ at every vertex of the arrangement and $\rho < 0$ on every extreme ray, i.e. $h' \le -\varepsilon(1 +
    \|x\|)$ (:func:`uniformly_negative`). Cost:
    $\binom{n_0 + n_1}{n_0} + 2\binom{n_0 + n_1}{n_0 - 1}$ atoms, each $n_1$ Cramer evaluations of degree at most
    $n_0 + 1$ in $\theta'$.

    >>> from semialg import Architecture
    >>> h = nowhere_positive(Architecture(1, 2, 1, 1).variables())
    >>> h.atoms(), h.holds([1, 1, 0, -1, 1, -2, -1, 3, 5]), h.holds([1, 1, 0, -1, 2, -1, -1, 3, 5])
    (5, True, False)
    """
    W1, B1, v, e = V.weights[0], V.biases[0], V.weights[1], V.biases[1][0]
    n1, n0 = W1.shape
    P = Polynomials(V.flat)
    W = [[P.gens[W1[j, q]] for q in range(n0)] for j in range(n1)]
    B, vs, E = [P.gens[B1[j]] for j in range(n1)], [P.gens[v[0, j]] for j in range(n1)], P.gens[e]
    unit = [[fmpq(int(i == q)) for q in range(n0)] for i in range(n0)]

    def systems(size):
        for s in range(0 if coordinate_planes else size, min(size, n1) + 1):
            for S in itertools.combinations(range(n1), s):
                for C in itertools.combinations(range(n0), size - s):
                    yield S, C

    def pl(const, args, size):
        atom = "pl", const, tuple(zip(vs, args, strict=True)), "<" if strict else "<="
        return ("or", (("atom", size, "<="), atom)) if strict else atom     # size >= 0: "<= 0" is "= 0"

    atoms = []
    for S, C in systems(n0):
        qhat, delta = cramer([W[j] for j in S] + [unit[i] for i in C], [-B[j] for j in S] + [fmpq(0)] * len(C))
        if delta != 0:
            atoms.append(pl(E * delta * delta, [delta * (dot(W[j], qhat) + B[j] * delta) for j in range(n1)],
                            delta * delta))
    for S, C in systems(n0 - 1):
        d = kernel_direction([W[j] for j in S] + [unit[i] for i in C])
        if any(x != 0 for x in d):
            atoms += [pl(fmpq(0), [sign * dot(W[j], d) for j in range(n1)], sum((x * x for x in d), fmpq(0)))
                      for sign in (1, -1)]
    return Formula(("and", tuple(atoms)), V.flat, statement="h'(x) <= -eps (1 + |x|) for every x" if strict else
                   "h'(x) <= 0 for every x")


def nowhere_positive_along(point: Network, direction=None, strict: bool = False, robust: bool = False,
                           deadline: float | None = None) -> bool:
    r"""Whether the formula of :func:`nowhere_positive` without coordinate planes (``strict`` as there) holds at
    $\theta + t\,d$ for every small enough $t > 0$ — with ``robust``, with no atom and no argument of a $\max$
    vanishing there either (:meth:`~semialg.families.bottleneck.hidden_formula.Formula.robust_along`); with
    ``direction`` ``None`` at $\theta$ itself. The same answer as composing the formula's polynomials with the
    line, computed on the line: the atoms are built from the entries $\theta_i + t\,d_i$ (a ring homomorphism
    commutes with Cramer's rule), univariate of degree at most $2n_0 + 2$, and each sign is that of the
    lowest-order non-zero coefficient. :class:`UndecidedError` when ``deadline`` (``time.monotonic()``) passes.
    Cost: $\binom{n_0 + n_1}{n_0}$ Cramer systems and $2\binom{n_0 + n_1}{n_0 - 1}$ cross products of
    $n_0 \times n_0$ matrices of linear polynomials (Laplace expansion, $O(n_0!\,n_0)$ products each), $O(n_1)$
    products per atom.

    >>> h = Network.from_arrays([[[1], [1]], [[1, -2]], [[1]]], [[0, -1], [-2], [0]])   # s(x) - 2 s(x - 1) - 2
    >>> nowhere_positive_along(h), nowhere_positive_along(h, robust=True), nowhere_positive_along(h, strict=True)
    (True, True, False)
    """
    theta = point.parameters()
    d = [_ZERO] * len(theta) if direction is None else direction
    line = [fmpq_poly([x, y]) for x, y in zip(theta, d, strict=True)]
    n0, n1 = point.widths[:2]
    (W_at, v_at, _), (b_at, e_at, _) = parameter_offsets(point.architecture)
    W = [[line[W_at + j * n0 + q] for q in range(n0)] for j in range(n1)]
    B, vs, E = [line[b_at + j] for j in range(n1)], [line[v_at + j] for j in range(n1)], line[e_at]

    def sign(p) -> int:
        low = next((c for c in p.coeffs() if c != 0), _ZERO) if isinstance(p, fmpq_poly) else fmpq(p)
        return (low > 0) - (low < 0)

    def holds(const, args, size, vertex=True) -> bool:
        if deadline is not None and time.monotonic() > deadline:
            raise UndecidedError("the time budget ran out during the test along a line")
        if strict and sign(size) <= 0:      # size >= 0: the system is singular along the line, the atom holds
            return not (robust and sign(size) == 0)
        signs = {j: sign(a) for j, a in args.items()}     # of the neurons off the system (on it: identically 0)
        branch = sum((vs[j] * a for j, a in args.items() if signs[j] > 0), const)
        value = sign(branch)
        if robust and (0 in signs.values() or value == 0 and (vertex or 1 in signs.values())):
            return False
        return value < 0 if strict else value <= 0

    for S in itertools.combinations(range(n1), n0):
        qhat, delta = cramer([W[j] for j in S], [-B[j] for j in S])
        if not holds(E * delta * delta, {j: delta * (dot(W[j], qhat) + B[j] * delta) for j in range(n1) if j not in S},
                     delta * delta):
            return False
    for S in itertools.combinations(range(n1), n0 - 1):
        ray = kernel_direction([W[j] for j in S])
        for s in (1, -1):
            if not holds(fmpq(0), {j: s * dot(W[j], ray) for j in range(n1) if j not in S},
                         sum((x * x for x in ray), fmpq(0)), False):
                return False
    return True


class _Pieces:
    """``silent``, ``negative``, ``nonpositive``, then ``("K", tau)`` for the non-empty types $\\tau$ of the zero function's shallow
    fibre, counted exactly without enumerating them."""

    def __init__(self, zero):
        self.zero = zero

    def __iter__(self):
        yield from tuple(LABELS)
        yield from (("K", tau) for tau in self.zero.index if self.zero.geometry.is_nonempty(tau))

    def __len__(self) -> int:
        return len(LABELS) + self.zero.num_components

    def random(self, rng):
        """A random piece: a label with probability $3/\\text{len}$, else a non-empty type of the zero function's
        fibre drawn role by role (:meth:`~semialg.families.shallow.typed.TypeIndex.random`, at most
        :data:`RANDOM_TYPES` draws, then the first non-empty type). Not uniform over the types: the $k$-th piece
        of the index costs $k$ emptiness tests (350,352 pieces: 30 s), one draw costs $O(n_1(n_1 + N))$ and one
        test."""
        k = rng.randrange(len(self))
        if k < len(LABELS):
            return tuple(LABELS)[k]
        for _ in range(RANDOM_TYPES):
            tau = self.zero.index.random(rng)
            if self.zero.geometry.is_nonempty(tau):
                return "K", tau
        return next(itertools.islice(iter(self), len(LABELS), None))

    @property
    def exact_size(self) -> int:
        return len(self)


def uniformly_negative(h: Network) -> bool:
    r"""Whether the shallow network ``h`` (widths $n_0$-$n_1$-1) satisfies $h(x) \le -\varepsilon(1 + \|x\|)$
    for some $\varepsilon > 0$: its first-layer rows span $\mathbb{R}^{n_0}$, $h < 0$ at every vertex of its
    arrangement and its recession function $\rho(u) = \sum_j v_j\sigma(w_j\cdot u)$ is negative on every extreme
    ray $\pm u$ of the central arrangement (a line where $n_0 - 1$ independent hyperplanes $w_j\cdot u = 0$ meet).
    *Proof.* The cells are pointed polyhedra on which $h$ is affine: $x = \sum_i\lambda_i p_i + r$ (vertices
    $p_i$, $r$ in the recession cone, a cone of the central arrangement on which $\rho$ is linear and negative on
    the generators) gives $h(x) \le \max_i h(p_i) + \rho(r) \le -a - \delta\|r\|$. Then every $h''$ with
    parameters within $\eta$ of those of $h$ has $h'' \le h + C\eta(1 + \|x\|) < 0$: it stays nowhere positive.
    Cost: $\binom{n_1}{n_0} + \binom{n_1}{n_0 - 1}$ exact solves of $n_0$ equations.

    >>> h = Network.from_arrays([[[1], [-1]], [[-1, -1]]], [[0, 0], [-1]])      # -|x| - 1
    >>> uniformly_negative(h), uniformly_negative(Network.from_arrays([[[1]], [[-1]]], [[0], [-1]]))  # -s(x) - 1
    (True, False)
    """
    (W, V), (b, _) = h.weights, h.biases
    n1, n0, v = len(W), h.widths[0], V[0]
    if rank(W) < n0:
        return False
    for S in itertools.combinations(range(n1), n0):
        rows = [W[j] for j in S]
        if rank(rows) == n0 and h(solve(rows, [-b[j] for j in S]))[0] >= 0:
            return False
    for S in itertools.combinations(range(n1), n0 - 1):
        rows = [W[j] for j in S]
        if S and rank(rows) < n0 - 1:
            continue
        (u,) = nullspace(rows) if S else [(fmpq(1),)]      # n0 = 1 when S is empty
        if any(sum((x * max(sign * dot(w, u), _ZERO) for x, w in zip(v, W, strict=True)), _ZERO) >= 0
               for sign in (1, -1)):
            return False
    return True


def _positive_somewhere(point: Network) -> bool:
    """Whether $h' > 0$ somewhere (exactly: the regime of ``point`` with its outer weights set to 1)."""
    (W1, W2, W3), (b1, b2, b3) = point.weights, point.biases
    lifted = Network((W1, W2, tuple((fmpq(1),) for _ in W3)), (b1, b2, b3))
    return bottleneck_regime(lifted) != "constant"


def constant_function_moves(net: Network, t) -> list[list[fmpq]]:
    r"""Directions of moves at a case-(a) parameter with $c \ne 0$ and $h \le 0$ everywhere (regime constant,
    $f \equiv d$), for the lower bound of :func:`~semialg.families.bottleneck.local.local_dimension_bounds`:
    $\delta c_r = 1$ for every output $r$, and $\delta e = 1$ when moreover $h \le -\eta < 0$ everywhere.

    *Proof.* Every member $\theta'$ near ``net`` has $c' \ne 0$ and $d' = d$ (no move of the lower bound changes
    $d$ here: the trade of $e$ with $d$ needs $h > 0$), so $\sigma(h') \equiv 0$ and any $c''$ keeps $f$. Done
    after the others: each of them keeps $h$ or scales it by a positive factor (the moves of
    :mod:`semialg.engine.tangent`), only lowers it (downhill translations, silent neurons with $v' \le 0$, zero
    twins), or changes it by $O(t)$ uniformly (translations) or where it lies below $-\varepsilon(1 + \|x\|)$
    (robustly hidden neurons, dead neurons waking far away); so for small amounts $h'' \le -\eta/2$ still, and
    raising or lowering $e''$ by less than $\eta/2$ keeps $h'' \le 0$. $\square$ The sign of $\sup h$ comes from
    the vertices and rays of the first layer's cells (none when they are not enumerated). Cost: that of
    :func:`~semialg.families.bottleneck.cell_cones.cell_cones`.

    >>> net = Network.from_arrays([[[0], [0]], [[1, 1]], [[1], [-1]]], [[-1, 0], [-1], [0, 1]])    # h = -1
    >>> [[i for i, x in enumerate(g) if x] for g in constant_function_moves(net, combinatorial_type(net))]
    [[7], [8], [6]]
    """
    view = OuterView.of(net)
    if t.regime != "constant" or not any(view.c):
        return []
    (_, _, c_at), (_, e_at, _) = parameter_offsets(net.architecture)
    unit = functools.partial(sparse_vector, net.architecture.num_parameters)
    moves = [unit((c_at + r, fmpq(1))) for r in range(len(view.c))]
    cones = cell_cones(net)
    if cones is not None and all(val < 0 if s > 0 else val <= 0 for gens in cones for _, s, val in gens):
        moves.append(unit((e_at, fmpq(1))))
    return moves
