"""Conserved quantities of gradient flow induced by the continuous symmetries of ReLU networks.

If a loss depends on $\\theta$ only through the outputs $f_\\theta(x_1), \\dots, f_\\theta(x_N)$, its gradient is
a combination of the fields $\\nabla_\\theta f_\\theta(x)$, so a function $Q$ is conserved along every gradient
flow iff $\\langle \\nabla Q, \\nabla_\\theta f_\\theta(x)\\rangle = 0$ for every input $x$ (locally: for the
$x$ and $\\theta$ near the parameter).

- The positive rescaling of hidden neuron $i$ of layer $l$ has generator
  $X = (W_l[i,:], b_l[i])\\cdot\\partial_{\\text{in}} - W_{l+1}[:,i]\\cdot\\partial_{\\text{out}}$, a gradient field up to
  the metric, and induces $Q_{l,i} = \\|W_l[i,:]\\|^2 + b_l[i]^2 - \\|W_{l+1}[:,i]\\|^2$.
- Discrete symmetries (permutations, 0-factor flips, reflections) induce **no** conservation law: they are
  not flows, so they have no generator.

:func:`count_conservation_laws` computes the exact number of independent local conservation laws at a
parameter as $D - \\dim \\mathrm{Lie}(\\{\\nabla_\\theta f_\\theta(x)\\})(\\theta)$ (Marcotte, Gribonval, Peyré,
NeurIPS 2023), so a gap between it and the number of known quantities is reported, not hidden.

>>> from semialg.core.network import Network
>>> net = Network.random((2, 2, 1), seed=0)
>>> [str(q.name) for q in conserved_quantities(net)]
['Q_1_1', 'Q_1_2']
>>> all(is_conserved(q, net).conserved for q in conserved_quantities(net))
True
"""

from __future__ import annotations

import itertools
import random
import re
import time
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from semialg.core.lazy import sympy  # imported on first use: start-up time
from flint import fmpq

from semialg.core.result import Latexable
from semialg.errors import ParameterError, UndecidedError, check_budget
from semialg.core.exact import SparseEchelon, rank, to_fmpq, to_sympy
from semialg.core.network import Architecture, Network
from semialg.core.symmetry import rescaling_rank
from semialg.families.base import ask

__all__ = ["separated_neurons", "ConservedQuantity", "conserved_quantities", "is_conserved", "ConservationCheck",
           "count_conservation_laws", "ConservationCount", "gradient_flow", "GradientFlow",
           "mechanism_conservation", "MechanismConservation", "MoveConservation"]


@dataclass(frozen=True)
class ConservedQuantity(Latexable):
    """A quantity $Q(\\theta)$ with the symmetry generating it (its infinitesimal generator, a vector field).

    The quantities of :func:`conserved_quantities` build ``expression`` and ``generator`` when one of them is
    first read (a hidden neuron's costs $O(n_{l-1} + n_{l+1})$ symbols), so a list of them costs nothing
    symbolic until it is used."""

    name: str
    expression: sympy.Expr
    generator: tuple[tuple[sympy.Symbol, sympy.Expr], ...]
    symmetry: str

    @classmethod
    def _rescaling(cls, arch: Architecture, layer: int, i: int) -> "ConservedQuantity":
        """The quantity of the positive rescaling of neuron ``i`` (0-based) of hidden ``layer``, built when read."""
        q = object.__new__(cls)
        object.__setattr__(q, "name", f"Q_{layer}_{i + 1}")
        object.__setattr__(q, "symmetry", f"positive rescaling of neuron {i + 1} of hidden layer {layer}")
        object.__setattr__(q, "_neuron", (arch, layer, i))
        return q

    def __getattr__(self, attr: str):
        # reached only while a rescaling quantity's expression and generator are not yet built
        neuron = self.__dict__.get("_neuron")
        if neuron is None or attr not in ("expression", "generator"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {attr!r}")
        arch, layer, i = neuron
        flat = arch.variables().flat
        incoming, outgoing = (tuple(flat[k] for k in ks) for ks in _neuron_indices(arch, layer, i))
        # one Add of all the squares: a running sum re-sorts every partial sum (quadratic; minutes at 784-256-10)
        expression = sympy.Add(*(v ** 2 for v in incoming)) - sympy.Add(*(v ** 2 for v in outgoing))
        object.__setattr__(self, "expression", expression)
        object.__setattr__(self, "generator", tuple((v, v) for v in incoming) + tuple((v, -v) for v in outgoing))
        return self.__dict__[attr]

    def __call__(self, net: Network):
        """The exact value of $Q$ at a network (a sympy Rational for the rescaling quantities)."""
        neuron = self.__dict__.get("_neuron")
        if neuron is not None and net.architecture == neuron[0]:
            theta = net.parameters()
            incoming, outgoing = _neuron_indices(*neuron)
            return to_sympy(sum((theta[k] ** 2 for k in incoming), fmpq(0))
                            - sum((theta[k] ** 2 for k in outgoing), fmpq(0)))
        sub = net.variables().substitution(net)
        return self.expression.xreplace(sub)


def _arch(arch_or_net) -> Architecture:
    if isinstance(arch_or_net, Network):
        return arch_or_net.architecture
    if isinstance(arch_or_net, Architecture):
        return arch_or_net
    return Architecture(arch_or_net)


def conserved_quantities(arch_or_net) -> list[ConservedQuantity]:
    """The conserved quantities induced by the continuous symmetries of $G$: one per hidden neuron,
    $Q_{l,i} = \\|W_l[i,:]\\|^2 + b_l[i]^2 - \\|W_{l+1}[:,i]\\|^2$, in the order of the hidden neurons.

    Cost: $O(\\text{hidden neurons})$; each quantity's expression and generator are built when first read,
    $O(n_{l-1} + n_{l+1})$ symbols (sympy: about 20 ms for a neuron of 784-256-10, where building all of them
    at once took 8 minutes before they were built lazily), and evaluating it at a network
    (:meth:`ConservedQuantity.__call__`) costs $O(\\dim\\Omega)$ rational operations, no symbols.

    >>> qs = conserved_quantities((784, 256, 10))          # nothing symbolic is built yet
    >>> len(qs), qs[0].name, qs[0].symmetry
    (256, 'Q_1_1', 'positive rescaling of neuron 1 of hidden layer 1')
    >>> conserved_quantities((1, 1, 1))[0].expression
    W1_1_1**2 - W2_1_1**2 + b1_1**2
    """
    arch = _arch(arch_or_net)
    return [ConservedQuantity._rescaling(arch, l, i) for l in range(1, arch.depth) for i in range(arch.widths[l])]


def _neuron_indices(arch: Architecture, layer: int, i: int) -> tuple[list[int], list[int]]:
    """The flat parameter indices of neuron ``i`` (0-based) of hidden ``layer``: incoming weights and bias, and
    outgoing weights, in the order of :meth:`~semialg.core.network.Network.parameters`."""
    shapes = arch.layer_shapes()
    start = sum(r * c + r for r, c in shapes[:layer - 1])
    r, c = shapes[layer - 1]
    nxt = start + r * c + r
    incoming = list(range(start + i * c, start + (i + 1) * c)) + [start + r * c + i]
    return incoming, [nxt + m * r + i for m in range(shapes[layer][0])]


# -- the symbolic network on one activation pattern -------------------------------------------------------------

def _symbolic_outputs(arch: Architecture, pattern, x: Sequence[sympy.Symbol]) -> list[sympy.Expr]:
    """$f_\\theta(x)$ as polynomials in the parameter symbols and ``x`` on the region with ``pattern``."""
    V = arch.variables()
    a = sympy.Matrix(x)
    for l in range(arch.depth):
        z = V.weights[l] * a + V.biases[l]
        if l < arch.depth - 1:
            z = sympy.Matrix([z[i] if pattern[l][i] > 0 else 0 for i in range(z.rows)])
        a = z
    return [sympy.expand(v) for v in a]


def _patterns(net: Network, budget: float | None = None) -> dict:
    """The activation patterns at ``net``, each with $d + 1$ affinely independent points of its region: those of its
    regions, where a neuron whose pre-activation vanishes identically on a region (pattern entry 0, e.g. zero
    incoming weights and bias) is taken both on and off. After ``budget`` seconds of region enumeration
    :class:`~semialg.errors.UndecidedError`."""
    from semialg.engine.regions import decisive_points
    out = {}
    for p, points in decisive_points(net, deadline=None if budget is None else time.monotonic() + budget):
        zeros = [(l, i) for l, layer in enumerate(p) for i, s in enumerate(layer) if s == 0]
        for states in itertools.product((1, -1), repeat=len(zeros)):
            q = [list(layer) for layer in p]
            for (l, i), s in zip(zeros, states, strict=True):
                q[l][i] = s
            out.setdefault(tuple(tuple(layer) for layer in q), points)
    return dict(sorted(out.items()))


@dataclass(frozen=True)
class ConservationCheck(Latexable):
    """Result of :func:`is_conserved`: ``conserved``, and when not, the ``pattern`` of a region around the
    parameter and the symbolic remainder $\\langle\\nabla Q, \\nabla_\\theta f\\rangle$ (in $\\theta$ and $x$) that
    does not vanish there, with a rational ``point`` $x$ of that region where it is non-zero at $\\theta$ if there is
    one."""

    conserved: bool
    regions_checked: int
    pattern: tuple | None = None
    remainder: sympy.Expr | None = None
    point: tuple | None = None

    def __bool__(self) -> bool:
        return self.conserved

    def describe(self) -> str:
        if self.conserved:
            return f"conserved: the derivative along every gradient field vanishes on {self.regions_checked} regions"
        return f"not conserved: on the region with pattern {self.pattern} the remainder {self.remainder} is non-zero"


def is_conserved(Q: ConservedQuantity | sympy.Expr, net: Network, budget: float | None = None) -> ConservationCheck:
    """Exact symbolic check that $Q$ is locally conserved at ``net`` for every loss of the outputs.

    Definition: $Q$ is conserved at $\\theta$ when $\\langle \\nabla_\\theta Q, \\nabla_\\theta f_o\\rangle$ vanishes
    identically, as a polynomial in $(\\theta, x)$, on every activation pattern of the regions at $\\theta$, a
    neuron whose pre-activation vanishes identically (zero incoming weights and bias) taken both on and off. So a
    neuron with $w = 0, b = 0$ is treated like one with output weight $a = 0$, and $\\|w\\|^2 + b^2$ alone is not
    conserved there. This is conservation along the patterns present at $\\theta$: parameters near $\\theta$ can
    realise more (twins split apart, a deeper neuron whose pre-activation vanishes on a whole region turns on), and
    there $Q$ may change. $Q$ is a polynomial in the architecture's variables (given as the symbols of
    :meth:`~semialg.core.network.Architecture.variables`, or by their names); anything else — other symbols,
    non-polynomial functions, ``nan``, relations, non-expressions — is a one-line
    :class:`~semialg.errors.ParameterError`. A ``point`` in the answer lies in the region of the failing pattern
    (one of $d + 1$ affinely independent points of it: the remainder at $\\theta$ is affine in $x$ there). ``budget`` (seconds; ``None``: no limit) bounds the
    region enumeration and the expansions: when it is spent, :class:`~semialg.errors.UndecidedError` says how many
    patterns were checked.
    Cost: region enumeration plus one symbolic expansion per region and output (polynomial of degree
    $\\le$ depth $+1$ in $\\dim\\Omega$ variables); 4-10-1-1: about 2 s.
    """
    budget = None if budget is None else check_budget(budget, "budget", seconds=True)
    deadline = None if budget is None else time.monotonic() + budget
    if budget == 0:     # a caller whose budget is spent: not even the quantity's expression is built
        raise UndecidedError("is_conserved: a budget of 0 s, no activation pattern was checked")
    arch = net.architecture
    expr = _quantity(Q, arch)
    flat = arch.variables().flat
    index = {v: _parameter_index(arch, v) for v in expr.free_symbols}
    x = sympy.symbols(f"x1:{arch.input_dim + 1}", real=True)
    # only the parameters in Q: every other derivative is 0, and all of them cost seconds at 784-256-10
    grad_Q = [(flat[k], sympy.diff(expr, flat[k])) for k in sorted(index.values())]
    pats = _patterns(net, None if deadline is None else max(0.0, deadline - time.monotonic()))
    for k, (pattern, inside) in enumerate(pats.items()):
        if deadline is not None and time.monotonic() > deadline:
            raise UndecidedError(f"is_conserved: the budget of {budget:.3g} s was spent after {k} of {len(pats)} "
                                 f"activation patterns (the quantity held on each)")
        for f in _symbolic_outputs(arch, pattern, x):
            rem = sympy.expand(sum(gq * sympy.diff(f, v) for v, gq in grad_Q if gq != 0))
            if rem != 0:
                theta = net.parameters()
                where = {v: _parameter_index(arch, v) for v in rem.free_symbols}
                at_theta = sympy.expand(rem.xreplace({v: to_sympy(theta[i]) for v, i in where.items() if i is not None}))
                point = next((p for p in inside if at_theta.xreplace(dict(zip(x, map(to_sympy, p), strict=True)))
                              != 0), None)
                return ConservationCheck(False, len(pats), pattern, rem, point)
    return ConservationCheck(True, len(pats))



_NAME = re.compile(r"W(\d+)_(\d+)_(\d+)|b(\d+)_(\d+)")


def _quantity(Q, arch: Architecture) -> sympy.Expr:
    """``Q`` as a polynomial in the variables of ``arch`` (symbols named like them are taken for them), or a one-line
    :class:`ParameterError` naming what is wrong."""
    if isinstance(Q, ConservedQuantity):
        return Q.expression
    if isinstance(Q, bool) or not isinstance(Q, (sympy.Basic, str, int, float, fmpq)):
        raise ParameterError(f"a quantity is a polynomial in the parameters of {arch} (a sympy expression or a "
                             f"string), not {type(Q).__name__}")
    try:
        expr = sympy.sympify(str(Q) if isinstance(Q, fmpq) else Q)
    except (sympy.SympifyError, SyntaxError, TypeError, ValueError):
        raise ParameterError(f"the quantity {str(Q)[:60]!r} is not an expression sympy can read") from None
    if not isinstance(expr, sympy.Expr) or expr.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        raise ParameterError(f"the quantity {str(expr)[:60]} is not a finite expression in the parameters of {arch}")
    names = {str(v): v for v in arch.variables().flat}
    expr = expr.xreplace({v: names[v.name] for v in expr.free_symbols
                          if isinstance(v, sympy.Symbol) and v.name in names})
    foreign = sorted(str(v) for v in expr.free_symbols if _parameter_index(arch, v) is None)
    if foreign:
        raise ParameterError(f"the quantity uses symbols that are not parameters of {arch}: {', '.join(foreign)}")
    if not expr.is_polynomial(*expr.free_symbols):
        raise ParameterError(f"the quantity {str(expr)[:60]} is not a polynomial in the parameters (the check is "
                             "exact polynomial algebra)")
    return expr


def _parameter_index(arch: Architecture, v) -> int | None:
    """The flat index of the parameter symbol ``v`` of ``arch`` (:meth:`Architecture.variables`), ``None`` when
    ``v`` is not one (another name, out of range, other assumptions). Cost: $O(\\text{depth})$."""
    m = _NAME.fullmatch(v.name) if isinstance(v, sympy.Symbol) else None
    if m is None:
        return None
    shapes = arch.layer_shapes()
    l, i, j = int(m[1] or m[4]), int(m[2] or m[5]), int(m[3] or 1)
    if not 1 <= l <= len(shapes) or not 1 <= i <= shapes[l - 1][0] or not 1 <= j <= shapes[l - 1][1]:
        return None
    r, c = shapes[l - 1]
    start = sum(a * b + a for a, b in shapes[:l - 1])
    k = start + (i - 1) * c + j - 1 if m[1] else start + r * c + i - 1
    return k if arch.variables().flat[k] == v else None


# -- the Marcotte–Gribonval–Peyré count --------------------------------------------------------------------------

def _field_key(field_: Sequence[sympy.Expr], gens) -> dict:
    out = {}
    for c, comp in enumerate(field_):
        if comp != 0:
            for monom, coeff in sympy.Poly(comp, *gens).terms():
                out[(c, monom)] = coeff
    return out


def _bracket(X, Y, DX, DY) -> list:
    """$[X, Y] = DY\\,X - DX\\,Y$ for polynomial vector fields given as lists of components, with their
    Jacobians (:func:`_jacobian`)."""
    support = [j for j in range(len(X)) if X[j] != 0 or Y[j] != 0]
    return [sympy.expand(sum(DY[i][j] * X[j] - DX[i][j] * Y[j] for j in support)) for i in range(len(X))]


def _gradient(c, gens) -> list:
    """The derivatives of the polynomial ``c`` in every parameter; those not in ``c`` are 0 without asking sympy
    (its ``diff`` costs as much for an absent symbol: most of the time of a count went there)."""
    present = c.free_symbols
    return [sympy.expand(sympy.diff(c, g)) if g in present else sympy.S.Zero for g in gens]


def _jacobian(X, gens) -> list:
    """$DX$: the derivative of every component of the field ``X`` in every parameter."""
    return [_gradient(c, gens) for c in X]


@dataclass(frozen=True)
class ConservationCount(Latexable):
    """``laws`` $= D - $ ``lie_rank``: the number of independent local conservation laws at the parameter.

    ``known`` is the number of independent gradients at the parameter of the quantities from
    :func:`conserved_quantities`; ``gap = laws - known``. ``stabilized`` is False when the bracket iteration
    hit ``max_depth`` (or ``budget_spent``: the time budget ran out) before the rank reached its bound
    $D - $ ``known`` (then ``lie_rank`` is a lower bound and ``laws`` an upper bound), and when the fields' rank at
    the parameter, ``rank_at_parameter``, is below their rank nearby, ``lie_rank`` (a singular point such as
    $\\theta = 0$, where $D$ minus the rank there would count laws no function near it satisfies: ``laws`` is then
    $D - $ ``lie_rank``, an upper bound).
    """

    laws: int
    num_parameters: int
    lie_rank: int
    known: int
    depth: int
    stabilized: bool
    budget_spent: bool = False
    rank_at_parameter: int | None = None

    def describe(self) -> str:
        why = ("the budget was spent at bracket depth " + str(self.depth) if self.budget_spent else
               f"the fields' rank is {self.rank_at_parameter} at the parameter and {self.lie_rank} near it, a singular "
               "point" if self.rank_at_parameter is not None else "the bracket iteration did not stabilise")
        bound = "" if self.stabilized else f" (an upper bound: {why})"
        return (f"{self.laws} independent local conservation laws{bound}: D - Lie rank = {self.num_parameters} - "
                f"{self.lie_rank}; {self.known} explained by the rescaling quantities")

    @property
    def gap(self) -> int:
        return self.laws - self.known


def count_conservation_laws(net: Network, max_depth: int = 2, budget: float | None = 60.0,
                            progress: bool | None = None) -> ConservationCount:
    """The exact number of independent local conservation laws of gradient flow at ``net``.

    Generators: for every linear region around $\\theta$ and every output, the fields $\\nabla_\\theta c_o$ and
    $\\nabla_\\theta A_{o,j}$ where $f = Ax + c$ there (they span every $\\nabla_\\theta f(x)$, $x$ in the region).
    The Lie algebra they generate is built by brackets, kept as a basis of polynomial vector fields (exact
    linear algebra on their coefficients), until no new field appears or ``max_depth`` levels; its rank at
    $\\theta$ (exact) gives the count $D - \\operatorname{rank}$; the iteration stops early once the rank
    reaches $D - $ (number of independent known quantities), which proves there are no other laws. Where the rank
    at $\\theta$ is below the rank at a nearby parameter (a singular point of the fields, e.g. $\\theta = 0$), the
    count is $D$ minus the latter and an upper bound (:class:`ConservationCount`). Like :func:`is_conserved`, the
    laws are those along the patterns at $\\theta$: nearby parameters can realise more patterns, and fewer laws.
    ``budget`` (seconds, ``None``: no limit) bounds the whole count — the region enumeration, the generators
    and the bracket iteration: when it is spent the count stops there with the fields kept so far (none if the
    regions were not all found), ``stabilized`` is False and ``laws`` is an upper bound
    (:meth:`ConservationCount.describe` says so); one step in flight (a region's neighbours, one field) is
    finished first;
    ``progress`` shows a tqdm bar (``None``: on a terminal, after 2 s).
    For one hidden layer with :func:`separated_neurons` the count is the number of hidden neurons, read off without
    regions or fields (the theorem there), at any width. Otherwise, first the functional dimension:
    the generators span every $\nabla_\theta f(x)$ at $\theta$, so their rank there is at least the functional
    dimension, and when that is $D - $ ``known`` the count is ``known``, exactly.
    Cost: exponential in ``max_depth`` in the worst case; intended for small networks (a few dozen
    parameters); each candidate field is one sparse reduction against the basis kept; $O(\\dim\\Omega)$ for
    separated neurons (784-4096-10: 0.1 s).

    >>> count_conservation_laws(Network.random((2, 2, 1), seed=3)).laws
    2
    """
    budget = None if budget is None else check_budget(budget, "budget", seconds=True)
    # the clock starts before anything is built: the regions and the fields cost more than the brackets
    deadline = None if budget is None else time.monotonic() + budget

    def tick() -> None:
        if deadline is not None and time.monotonic() > deadline:
            raise _Spent

    arch = net.architecture
    D = arch.num_parameters
    known = rescaling_rank(net)
    if separated_neurons(net) or _dimension_reaches(net, D - known, deadline):    # the rank D - known at depth 0
        return ConservationCount(known, D, D - known, known, 0, True)
    V = arch.variables()
    gens = V.flat
    # The known quantities are conserved, so their independent gradients at theta are orthogonal to the
    # Lie algebra there: its rank is at most D - known, and reaching that bound ends the computation.
    target = D - known
    basis, values, echelon, sub = [], [], SparseEchelon(), {}
    from tqdm.auto import tqdm
    bar = tqdm(desc="conservation laws: fields", unit="field", delay=2, leave=False,
               disable=None if progress is None else not progress)

    def at_theta(X) -> list:
        if not sub:         # built on first use: for a large network it costs more than a spent budget allows
            sub.update(V.substitution(net))
        return [to_fmpq(c.xreplace(sub)) for c in X]

    def add(candidates) -> list:
        new = []
        for X in candidates:
            tick()
            bar.update()
            k = _field_key(X, gens)
            if k and echelon.insert({c: _rational(v) for c, v in k.items()}):
                basis.append(X)
                values.append(at_theta(X))
                new.append(X)
        return new

    def fields():
        try:
            patterns = _patterns(net, None if deadline is None else max(0.0, deadline - time.monotonic()))
        except UndecidedError:
            raise _Spent from None
        x = sympy.symbols(f"x1:{arch.input_dim + 1}", real=True)    # sympy is imported once regions are found
        for pattern in patterns:
            tick()
            for f in _symbolic_outputs(arch, pattern, x):
                poly = sympy.Poly(f, *x)
                for monom in [(0,) * len(x)] + [tuple(int(i == j) for i in range(len(x))) for j in range(len(x))]:
                    tick()
                    yield _gradient(poly.coeff_monomial(monom), gens)

    level, stabilized, spent = 0, True, False
    try:
        frontier = add(fields())
        while frontier and rank(values) < target:
            if level >= max_depth:
                stabilized = False
                break
            level += 1
            kept = list(basis)      # the brackets of this level are with the fields kept before it
            jac = {}                # each field's derivative once, not per pair
            for X in kept:
                tick()
                jac[id(X)] = _jacobian(X, gens)
            frontier = add(_bracket(X, Y, jac[id(X)], jac[id(Y)]) for X in frontier for Y in kept)
    except _Spent:
        stabilized, spent = False, True
    finally:
        bar.close()
    lie_rank = rank(values) if values else 0
    nearby = _nearby_rank(basis, net) if basis and lie_rank < target and not spent else lie_rank
    return ConservationCount(D - nearby, D, nearby, known, level, (stabilized or lie_rank == target) and
                             nearby == lie_rank, budget_spent=spent and lie_rank != target,
                             rank_at_parameter=lie_rank if nearby > lie_rank else None)


def separated_neurons(net: Network) -> bool:
    r"""Whether ``net`` has one hidden layer whose neurons all have $a_i \ne 0$ (output column), $w_i \ne 0$ and
    pairwise distinct hyperplanes $H_i$. Then the count of :func:`count_conservation_laws` is exactly $n_1$, the
    rescalings (the case of two-layer ReLU networks in Marcotte, Gribonval, Peyré, NeurIPS 2023): a point of $H_i$
    on no other hyperplane has regions on both sides whose patterns differ in neuron $i$ alone, so the fields
    spanned by the generators contain $\nabla_\theta(a_{o,i}w_{i,j})$, $\nabla_\theta(a_{o,i}b_i)$ and
    $\nabla_\theta c_o$, the gradients of $\varphi(\theta) = ((a_i(w_i, b_i)^T)_i, c)$. Each $(a, v) \mapsto av^T$ has
    rank $k + n_0 + 1 - 1$ at $a \ne 0 \ne v$ (its kernel is $(ta, -tv)$), on coordinates of its own, so the rank
    at $\theta$ is $D - n_1$, the bound $D$ minus the $n_1$ independent rescaling gradients; near $\theta$ it can
    be neither larger (that bound) nor smaller (rank is lower semicontinuous). Cost: $O(\dim\Omega)$ on the
    integer forms (:func:`~semialg.engine.hyperplane_keys.oriented_rows`).

    >>> separated_neurons(Network.from_arrays([[[1, 0], [0, 1]], [[1, -1]]], [[0, 0], [0]]))
    True
    >>> separated_neurons(Network.from_arrays([[[1, 0], [-2, 0]], [[1, -1]]], [[0, 0], [0]]))   # one hyperplane
    False
    """
    from semialg.engine.hyperplane_keys import oriented_rows
    if net.depth != 2:
        return False
    W, b = net.weights[0], net.biases[0]
    if not (W.nonzero_rows().all() and net.weights[1].nonzero().any(axis=0).all()):
        return False
    return len({key for key, _ in oriented_rows(W, b)}) == len(W)


def _dimension_reaches(net: Network, bound: int, deadline: float | None) -> bool:
    """Whether :func:`~semialg.engine.functional_dimension.functional_dimension` proves the value ``bound`` at ``net`` before
    ``deadline`` (a :func:`time.monotonic` value; ``None``: no limit). It may take the whole budget: where it does not
    answer in time, the brackets would not either (both start from the regions)."""
    from semialg.engine.functional_dimension import functional_dimension
    left = None if deadline is None else deadline - time.monotonic()
    if left is not None and left <= 0:
        return False
    try:
        return functional_dimension(net, budget=left).value == bound
    except UndecidedError:
        return False


def _nearby_rank(fields: list, net: Network) -> int:
    """The rank of the polynomial vector ``fields`` at a parameter near ``net`` (each entry moved by its own small
    rational, seeded): at least their rank at ``net``, and more where ``net`` is a singular point of them (at
    $\\theta = 0$ every rescaling field vanishes), where $D$ minus the rank at ``net`` would count laws that no
    function near it satisfies. Cost: one substitution per field component and one exact rank."""
    rng = random.Random(0)
    moved = Network.from_parameters(net.architecture, [t + fmpq(rng.randint(1, 997), 10 ** 6)
                                                       for t in net.parameters()])
    sub = net.architecture.variables().substitution(moved)
    return rank([[to_fmpq(c.xreplace(sub)) for c in X] for X in fields])


class _Spent(Exception):
    """The budget of :func:`count_conservation_laws` ran out."""


def _rational(v) -> fmpq:
    v = sympy.Rational(v)
    return to_fmpq(v)


# -- numeric gradient flow ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GradientFlow(Latexable):
    """A numeric gradient-flow trajectory: times, parameter vectors, and each recorded quantity's values."""

    times: np.ndarray
    parameters: np.ndarray = field(repr=False)
    values: dict = field(repr=False)

    def drift(self, name: str) -> float:
        """$\\max_t |Q(t) - Q(0)|$ (numeric)."""
        v = self.values[name]
        return float(np.max(np.abs(v - v[0])))

    def describe(self) -> str:
        drifts = ", ".join(f"{name}: {self.drift(name):.2e}" for name in self.values)
        return (f"numeric gradient flow over t in [{self.times[0]:g}, {self.times[-1]:g}] "
                f"({len(self.times)} times); drift of each quantity: {drifts or 'none recorded'}")

    def to_json(self) -> dict:
        return {"type": "GradientFlow", "times": self.times.tolist(), "parameters": self.parameters.tolist(),
                "values": {name: v.tolist() for name, v in self.values.items()}}


def _float_forward(arch: Architecture, theta: np.ndarray, X: np.ndarray):
    layers, k = [], 0
    for r, c in arch.layer_shapes():
        W = theta[k:k + r * c].reshape(r, c)
        k += r * c
        layers.append((W, theta[k:k + r]))
        k += r
    from semialg.engine.regions import numeric_jacobian
    out = [numeric_jacobian(layers, x) for x in X]
    return np.array([y for y, _ in out]), np.array([J for _, J in out])


def gradient_flow(net: Network, X, Y, t_span: tuple[float, float] = (0.0, 1.0), num_times: int = 50,
                  quantities: Sequence[ConservedQuantity] | None = None, rtol: float = 1e-10,
                  atol: float = 1e-12) -> GradientFlow:
    """Integrate $\\dot\\theta = -\\nabla L(\\theta)$ for $L = \\frac{1}{2N}\\sum_n \\|f_\\theta(x_n) - y_n\\|^2$ numerically
    (scipy ``solve_ivp``, RK45) and record every quantity along the way. A numeric helper, not a decision.

    ``quantities`` defaults to :func:`conserved_quantities`; any sympy expression in the parameters may be
    added as a ``ConservedQuantity`` to watch it drift. Cost: $O(N\\,k \\dim\\Omega)$ per right-hand side.
    """
    from scipy.integrate import solve_ivp

    arch = net.architecture
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float).reshape(len(X), -1)
    if X.ndim != 2 or X.shape[1] != arch.input_dim or Y.shape[1] != arch.output_dim:
        raise ParameterError(f"data must have shapes (N, {arch.input_dim}) and (N, {arch.output_dim})")
    qs = list(quantities) if quantities is not None else conserved_quantities(arch)
    gens = arch.variables().flat
    fns = {q.name: sympy.lambdify([gens], q.expression, "numpy") for q in qs}

    def rhs(_, theta):
        F, J = _float_forward(arch, theta, X)
        return -np.einsum("no,nop->p", F - Y, J) / len(X)

    theta0 = np.array([float(v) for v in net.parameters()])
    times = np.linspace(*t_span, num_times)
    sol = solve_ivp(rhs, t_span, theta0, t_eval=times, rtol=rtol, atol=atol)
    values = {name: np.array([fn(sol.y[:, t]) for t in range(sol.y.shape[1])]) for name, fn in fns.items()}
    return GradientFlow(sol.t, sol.y.T, values)


# -- which mechanisms induce conservation laws ------------------------------------------------------------------


@dataclass(frozen=True)
class MoveConservation(Latexable):
    """One fibre mechanism and the number of independent local conservation laws it induces."""

    name: str
    kind: str
    relation: str
    laws: int
    reason: str

    def describe(self) -> str:
        return f"{self.name} ({self.kind}): {self.laws} conservation law(s) — {self.reason}"


@dataclass(frozen=True)
class MechanismConservation(Latexable):
    """Which mechanisms of a parameter induce local conservation laws, checked by the Lie count.

    ``explicit`` is the exact rank at $\\theta$ of the gradients of the explicit laws: the rescaling quantities
    $Q$ of :func:`conserved_quantities` and the coordinates of every neuron of a *freezing* mechanism (dead or
    hidden on an open set: its gradient vanishes on every input near $\\theta$). ``count`` is :func:`count_conservation_laws`, an upper
    bound; ``proven`` when the two agree.
    """

    moves: tuple[MoveConservation, ...]
    explicit: int
    count: ConservationCount

    @property
    def proven(self) -> bool:
        return self.explicit == self.count.laws

    def describe(self) -> str:
        moves = "; ".join(f"{m.name}: {m.laws}" for m in self.moves) or "no mechanism beyond G"
        bound = "" if self.count.stabilized else "at most "
        why = "" if self.count.stabilized else \
            " (the budget was spent)" if self.count.budget_spent else " (the brackets did not stabilise)"
        return (f"{self.explicit} explicit conservation laws ({moves}); the Lie count gives {bound}{self.count.laws}"
                + why + (": proven" if self.proven else ""))


def mechanism_conservation(net: Network, max_depth: int = 2, budget: float | None = 60.0,
                           progress: bool | None = None) -> MechanismConservation:
    """For each mechanism beyond $G$ at ``net`` (from its architecture family), the conservation laws it induces.

    Dead and hidden neurons freeze all their parameters (their gradient is zero on every input while they
    stay dead or hidden): coordinate laws. Compensated moves (A-block and U+ trades, $e \\leftrightarrow d$,
    the hidden-hyperplane translation $\\partial_b - \\sum_j v_j\\partial_{e_j}$) and discrete moves induce
    none; the mechanisms on the image of earlier layers of a deep network freeze nothing and are not listed. ``budget`` (seconds, ``None``: no limit) covers the mechanisms and the count: when the mechanisms
    (the family's combinatorial type) spend it, :class:`~semialg.errors.UndecidedError`; the count gets what is
    left, and when it runs out ``count`` is an upper bound (``count.budget_spent``) and ``proven`` still holds
    only if the explicit laws reach it. ``progress`` as for :func:`count_conservation_laws`.
    Cost: that of the family's mechanisms (for a bottleneck network its combinatorial type) plus that of
    :func:`count_conservation_laws`; the explicit laws are one sparse elimination.

    >>> r = mechanism_conservation(Network.random((1, 1, 2, 1), seed=5))
    >>> [(m.name, m.laws) for m in r.moves], r.explicit, r.proven
    ([('dead neurons', 3), ('H onto / off a kink', 0), ('reflection', 0)], 5, True)
    """
    budget = None if budget is None else check_budget(budget, "budget", seconds=True)
    deadline = None if budget is None else time.monotonic() + budget
    arch = net.architecture
    moves, frozen = [], []
    for m in ask("hidden_symmetries", net, lambda family: family.mechanisms(net, budget=budget, progress=progress,
                                                                             frozen_only=True)):
        if m.freezes:
            laws = 0
            for i in m.neurons:
                coords = [k for ks in _neuron_indices(arch, m.layer, i) for k in ks]
                frozen += coords
                laws += len(coords)
            moves.append(MoveConservation(m.name, m.kind, m.relation, laws,
                                          "zero gradient on every input: each parameter is locally constant"))
        else:
            why = ("discrete: no generator" if m.kind == "discrete" else
                   "compensated: its generator is not a gradient field" if m.relation.startswith("compensated") else
                   "no law claimed: its parameters are not frozen on every input")
            moves.append(MoveConservation(m.name, m.kind, m.relation, 0, why))
    explicit = rescaling_rank(net, frozen)
    left = None if deadline is None else max(0.0, deadline - time.monotonic())
    return MechanismConservation(tuple(moves), explicit, count_conservation_laws(net, max_depth, left, progress))

