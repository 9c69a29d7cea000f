"""Degeneracy loci and genericity: the Zariski-closed sets outside which a parameter is generic.

For a shallow architecture $(m, n, k)$ (Ramakrishnan, *A complete symmetry classification of shallow ReLU
networks*, arXiv 2604.14037, Lemma 22 and Theorem 1) the generic set
is $U = \\Omega \\setminus (Z_{\\mathrm{dead}} \\cup Z_{\\mathrm{dep}} \\cup Z_{\\mathrm{0fac}})$ with

- ``dead_output[i]`` $= V(a_i)$ and ``dead_input[i]`` $= V(w_i)$;
- ``dependent[i,j]`` $= V(\\text{all } 2\\times2 \\text{ minors of } \\begin{pmatrix} w_i & b_i \\\\ w_j & b_j\\end{pmatrix})$;
- ``zero_factor[S]`` $= V(\\sum_{i\\in S} a_i w_i^T)$ for $\\emptyset \\ne S \\subseteq [n]$ ($2^n - 1$ members, lazy).

**Theorem** (shallow). On $U$ the fibre of $\\theta$ is exactly its $G$-orbit, and the functional dimension is
$\\dim\\Omega - n$. For deeper architectures this module provides the per-layer analogues (dead neurons and
dependent rows in every hidden layer); they are necessary conditions only — no theorem says that avoiding
them makes the fibre an orbit — and every family records its ``scope``.

:func:`genericity` decides membership for a given parameter exactly, in $O(n(m+1)\\log n)$ for the dead and
dependent conditions (hashing of normalised rows; the $O(n^2m^2)$ minors are never formed) and with
:func:`semialg.geometry.zero_sum.find_zero_sum_set` for the 0-factor condition.

>>> Z = degeneracy_loci(Architecture(2, 3, 1))
>>> len(Z), [f.name for f in Z.families]
(16, ['dead_output', 'dead_input', 'dependent', 'zero_factor'])
>>> net = Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
>>> report = genericity(net)
>>> report.status, report.failed[0].name, report.failed[0].witness
('degenerate', 'no zero factor', (0, 1, 2))
"""

from __future__ import annotations

import sys

import contextvars
import functools
import itertools
import math
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

import numpy as np

from semialg.core.lazy import sympy  # imported on first use: start-up time
from flint import fmpq

from semialg.core.result import Latexable, jsonable
from semialg.errors import ArchitectureError, CertificateError, ParameterError, UndecidedError, check_budget
from semialg.core.exact import count_str, fingerprint, int_str, normalise_row
from semialg.core.modular import rank_one_independent, rows_pairwise_independent
from semialg.core.network import Architecture, Network
from semialg.engine import neurons
from semialg.geometry.semialgebraic import as_substitution, parallel_minors
from semialg.families.base import families_for
from semialg.geometry.zero_sum import ZeroSumDecision

__all__ = ["Locus", "LocusFamily", "DegeneracyLoci", "degeneracy_loci", "Condition", "GenericityReport",
           "genericity", "cheap_genericity", "subset_count"]

SHALLOW_SCOPE = "proven (shallow networks): outside every locus the fibre is the G-orbit (Theorem 1)"
NECESSARY_ONLY = "no degeneracy among the necessary conditions"
AFFINE_SCOPE = "proven (no hidden layer): f = Wx + b determines W and b, so the fibre is the point itself"
DEEP_SCOPE = "necessary only (depth > 2): genericity beyond these loci is not characterised"

# The deadline of the running genericity call: the families' genericity_conditions take a subset budget only, so the
# seconds reach the searched conditions (zero_factor_condition) through this variable.
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("genericity_deadline", default=None)

#: The widest shallow hidden layer whose $2^n - 1$ zero-factor loci are counted: the exact count is an integer of
#: $n$ bits (8 MB here, built in milliseconds); a width of $10^{20}$ would need more memory than exists.
MAX_SUBSET_WIDTH = 2 ** 26


def subset_count(n: int, layer: int) -> int:
    """$2^n - 1$ (the non-empty subsets of a layer's $n$ neurons), refused beyond ``MAX_SUBSET_WIDTH``: the exact
    count is a family's contract (``count``, ``to_json``), so a width whose count cannot be held is refused."""
    if n > MAX_SUBSET_WIDTH:
        raise ArchitectureError(f"hidden layer {layer} has width {count_str(n)}: loci indexed by its 2^n - 1 subsets "
                                f"of neurons are counted only up to width {MAX_SUBSET_WIDTH}")
    return 2 ** n - 1


# -- symbolic loci ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Locus(Latexable):
    """One Zariski-closed component $V(p_1, \\dots, p_r)$ in the parameter variables of an architecture."""

    family: str
    index: tuple
    polynomials: tuple[sympy.Expr, ...]
    variables: tuple[sympy.Symbol, ...] = field(repr=False)
    codimension: int | None = None
    description: str = ""

    @property
    def name(self) -> str:
        return f"{self.family}[{','.join(str(i) for i in self.index)}]"

    def contains(self, point) -> bool:
        """Exact test that every defining polynomial vanishes at a network (or a point of $\\Omega$)."""
        sub = as_substitution(self.variables, point)
        return all(sympy.expand(p.xreplace(sub)) == 0 for p in self.polynomials)


def _length(count: int) -> int:
    """``count`` for ``len``, which Python limits to machine integers: beyond, say to use ``.count``."""
    if count > sys.maxsize:
        raise OverflowError(f"{count.bit_length()}-bit count does not fit len(); use .count")
    return count


@dataclass(frozen=True)
class LocusFamily(Latexable):
    """A family of loci indexed by a finite set, built on demand: ``len(F)`` members, ``F.member(index)``."""

    name: str
    count: int
    indices: Callable[[], Iterator[tuple]] = field(repr=False)
    build: Callable[[tuple], Locus] = field(repr=False)
    codimension: int | None
    latex_template: str
    index_set: str
    scope: str

    def __len__(self) -> int:
        return _length(self.count)

    def __repr__(self) -> str:  # the count may have more digits than Python's str(int) prints
        return (f"LocusFamily(name={self.name!r}, count={int_str(self.count)}, codimension={self.codimension!r}, "
                f"latex_template={self.latex_template!r}, index_set={self.index_set!r}, scope={self.scope!r})")

    def __iter__(self) -> Iterator[Locus]:
        return (self.build(i) for i in self.indices())

    def member(self, index) -> Locus:
        return self.build(tuple(index) if isinstance(index, (tuple, list)) else (index,))


@dataclass(frozen=True)
class DegeneracyLoci(Latexable):
    """The degeneracy loci of an architecture: named families of Zariski-closed components.

    ``len(Z)`` is the exact number of components, ``Z.components`` iterates them lazily, ``Z.contains(net)``
    decides exactly (via :func:`genericity`) whether ``net`` lies on one of them.
    """

    architecture: Architecture
    families: tuple[LocusFamily, ...]

    def __len__(self) -> int:
        return _length(self.count)

    @property
    def count(self) -> int:
        """The exact number of components (``len`` too, while it fits a machine integer)."""
        return sum(f.count for f in self.families)

    def describe(self) -> str:
        parts = ", ".join(f"{f.name} ({count_str(f.count)})" for f in self.families)
        return (f"degeneracy loci of {self.architecture}: {count_str(self.count)} components in "
                f"{len(self.families)} families: {parts}")

    @property
    def components(self) -> Iterator[Locus]:
        return (locus for f in self.families for locus in f)

    def family(self, name: str) -> LocusFamily:
        for f in self.families:
            if f.name == name:
                return f
        raise ParameterError(f"no locus family {name!r}; have {[f.name for f in self.families]}")

    def contains(self, net: Network, budget: int = 2 ** 20) -> bool:
        """Whether ``net`` lies on some component; raises :class:`UndecidedError` if the budget runs out."""
        report = genericity(net, budget)
        if report.status == "undecided":
            raise UndecidedError("; ".join(c.detail for c in report.conditions if c.holds is None))
        return report.status == "degenerate"


def degeneracy_loci(arch: Architecture | Sequence[int]) -> DegeneracyLoci:
    """The degeneracy loci of ``arch`` with their defining polynomials in ``arch.variables()``.

    Shallow: ``dead_output``, ``dead_input``, ``dependent``, ``zero_factor`` as in the module docstring.
    Deeper: per hidden layer $l$, ``dead_output`` $[l, i]$ (column $i$ of $W_{l+1}$ zero), ``dead_input``
    $[l, i]$ (row $i$ of $W_l$ zero) and ``dependent`` $[l, i, j]$. Indices are 1-based, as in the symbols.
    Cost: $O(1)$; members are built on demand.
    """
    if not isinstance(arch, Architecture):
        arch = Architecture(arch)

    # The symbols are built on first use: counts and templates need none of them, so the loci of an
    # architecture with millions of parameters are described at once.
    @functools.cache
    def V():
        return arch.variables()

    fams = []
    if arch.is_shallow:
        m, n, k = arch.widths

        @functools.cache
        def neuron(i: int) -> tuple:
            """(a_i, w_i, (w_i, b_i)) of neuron ``i`` (1-based)."""
            W1, b1, W2 = V().weights[0], V().biases[0], V().weights[1]
            w = tuple(W1[i - 1, j] for j in range(m))
            return tuple(W2[r, i - 1] for r in range(k)), w, w + (b1[i - 1],)

        one = lambda: ((i,) for i in range(1, n + 1))  # noqa: E731
        fams.append(LocusFamily(
            "dead_output", n, one, lambda ix: Locus("dead_output", ix, neuron(ix[0])[0], V().flat, k,
                                                    f"neuron {ix[0]} has zero output weights"),
            k, r"V(a_i)", r"i \in [n]", SHALLOW_SCOPE))
        fams.append(LocusFamily(
            "dead_input", n, one, lambda ix: Locus("dead_input", ix, neuron(ix[0])[1], V().flat, m,
                                                   f"neuron {ix[0]} has zero input weights"),
            m, r"V(w_i)", r"i \in [n]", SHALLOW_SCOPE))
        fams.append(LocusFamily(
            "dependent", math.comb(n, 2),
            lambda: ((i, j) for i in range(1, n + 1) for j in range(i + 1, n + 1)),
            lambda ix: Locus("dependent", ix, parallel_minors(neuron(ix[0])[2], neuron(ix[1])[2]), V().flat, m,
                             f"(w_{ix[0]}, b_{ix[0]}) and (w_{ix[1]}, b_{ix[1]}) are linearly dependent"),
            m, r"V\Big(\text{$2\times 2$ minors of } \begin{pmatrix} w_i & b_i \\ w_j & b_j \end{pmatrix}\Big)",
            r"1 \le i < j \le n", SHALLOW_SCOPE))

        def zero_factor(S: tuple) -> Locus:
            polys = tuple(sympy.expand(sum(neuron(i)[0][r] * neuron(i)[1][j] for i in S))
                          for r in range(k) for j in range(m))
            codim = min(k, m) if len(S) == 1 else (1 if k == m == 1 else None)
            return Locus("zero_factor", S, polys, V().flat, codim, f"sum of a_i w_i^T over S = {list(S)} vanishes")

        fams.append(LocusFamily(
            "zero_factor", subset_count(n, 1),
            lambda: (S for size in range(1, n + 1) for S in itertools.combinations(range(1, n + 1), size)),
            zero_factor, None, r"V\Big(\sum_{i\in S} a_i w_i^{T}\Big)", r"\emptyset \ne S \subseteq [n]",
            SHALLOW_SCOPE))
        return DegeneracyLoci(arch, tuple(fams))
    widths = arch.widths
    layers = range(1, arch.depth)

    def hidden():
        return ((l, i) for l in layers for i in range(1, widths[l] + 1))

    def rows(l: int, i: int) -> tuple:
        return tuple(V().weights[l - 1][i - 1, j] for j in range(widths[l - 1])) + (V().biases[l - 1][i - 1],)

    n_hidden = sum(widths[l] for l in layers)
    fams.append(LocusFamily(
        "dead_output", n_hidden, hidden,
        lambda ix: Locus("dead_output", ix, tuple(V().weights[ix[0]][r, ix[1] - 1] for r in range(widths[ix[0] + 1])),
                         V().flat, widths[ix[0] + 1], f"neuron {ix[1]} of hidden layer {ix[0]} has zero output weights"),
        None, r"V\big(W_{l+1}[:, i]\big)", r"l \in [L-1],\ i \in [n_l]", DEEP_SCOPE))
    fams.append(LocusFamily(
        "dead_input", n_hidden, hidden,
        lambda ix: Locus("dead_input", ix, rows(*ix)[:-1], V().flat, widths[ix[0] - 1],
                         f"neuron {ix[1]} of hidden layer {ix[0]} has zero input weights"),
        None, r"V\big(W_l[i, :]\big)", r"l \in [L-1],\ i \in [n_l]", DEEP_SCOPE))
    fams.append(LocusFamily(
        "dependent", sum(math.comb(widths[l], 2) for l in layers),
        lambda: ((l, i, j) for l in layers for i in range(1, widths[l] + 1) for j in range(i + 1, widths[l] + 1)),
        lambda ix: Locus("dependent", ix, parallel_minors(rows(ix[0], ix[1]), rows(ix[0], ix[2])), V().flat,
                         widths[ix[0] - 1], f"rows {ix[1]}, {ix[2]} of (W_{ix[0]} | b_{ix[0]}) are linearly dependent"),
        None, r"V\Big(\text{$2\times 2$ minors of } \begin{pmatrix} W_l[i,:] & b_l[i] \\ W_l[j,:] & b_l[j] "
              r"\end{pmatrix}\Big)", r"l \in [L-1],\ i < j \le n_l", DEEP_SCOPE))
    for family in families_for(arch):
        fams += family.loci_families(arch)
    return DegeneracyLoci(arch, tuple(fams))


# -- genericity of a given parameter ------------------------------------------------------------------------

@dataclass(frozen=True)
class Condition(Latexable):
    """One genericity condition at a parameter: ``holds`` is True, False (``witness`` says where) or None.

    ``certificate`` is the evidence ``verify(net)`` re-checks exactly.
    """

    name: str
    holds: bool | None
    witness: tuple | None = None
    certificate: object = None
    detail: str = ""
    check: Callable[[Network, "Condition"], bool] = field(default=None, repr=False, compare=False)

    def verify(self, net: Network) -> bool:
        """Re-check this condition's certificate or witness exactly; raise :class:`CertificateError` if wrong.
        The checker is the one of the condition of that name :func:`cheap_genericity` asks for at ``net``, never
        the callable this condition carries."""
        fresh = next((c for c in cheap_genericity(net).conditions if c.name == self.name), None)
        if fresh is None or fresh.check is None:
            raise CertificateError(f"genericity of {net.architecture} has no checked condition {self.name!r}")
        return fresh.check(net, self)

    def describe(self) -> str:
        mark = {True: "holds", False: "fails", None: "undecided"}[self.holds]
        return f"{self.name} {mark}: {self.detail}"

    def to_json(self) -> dict:
        return {"type": "Condition", "name": self.name, "holds": self.holds,
                "witness": jsonable(self.witness), "detail": self.detail}


@dataclass(frozen=True)
class GenericityReport(Latexable):
    """Whether a parameter is generic: ``status`` in {"generic", "degenerate", "undecided"}, or, beyond the
    architectures whose genericity is characterised (depth > 2, no bottleneck), "no degeneracy among the
    necessary conditions" when every (necessary) condition holds — that proves nothing about the fibre.

    ``bool(report)`` is true only when genericity is proven. ``scope`` says what genericity implies for this
    architecture.
    """

    architecture: Architecture
    conditions: tuple[Condition, ...]
    scope: str

    @property
    def status(self) -> str:
        if any(c.holds is False for c in self.conditions):
            return "degenerate"
        if any(c.holds is None for c in self.conditions):
            return "undecided"
        # Deeper than the families' theorems, the conditions are only necessary: never claim "generic".
        return NECESSARY_ONLY if self.scope == DEEP_SCOPE else "generic"

    def __bool__(self) -> bool:
        return self.status == "generic"

    @property
    def failed(self) -> list[Condition]:
        return [c for c in self.conditions if c.holds is False]

    def verify(self, net: Network) -> bool:
        """Re-check the report against ``net`` from scratch (raises :class:`CertificateError`): the same
        architecture; the scope the families give it (so a deep report cannot pass as a shallow one); exactly the conditions a fresh :func:`genericity` asks for (none dropped, none invented);
        no decision contradicting a fresh one; every witness or certificate re-checked by the checker of the
        fresh condition, never by a callable the report carries (a decision identical to the fresh one, witness
        and certificate included, is re-derived by that fresh call itself). Cost: one :func:`cheap_genericity` call
        (a searched decision is re-checked through the report's own witness or certificate)."""
        if not isinstance(net, Network) or net.architecture != self.architecture:
            raise CertificateError(f"the report is about architecture {self.architecture}, not this network's")
        report = cheap_genericity(net)
        if self.scope != report.scope:
            raise CertificateError(f"the report claims the scope {self.scope!r}; the families give "
                                   f"{report.scope!r} for {self.architecture}")
        fresh = {c.name: c for c in report.conditions}
        names = sorted(c.name for c in self.conditions)
        if names != sorted(fresh):
            raise CertificateError(f"the report lists the conditions {names}; genericity needs {sorted(fresh)}")
        for c in self.conditions:
            f = fresh[c.name]
            if None not in (c.holds, f.holds) and c.holds != f.holds:
                raise CertificateError(f"condition {c.name!r}: the report says {c.holds}, recomputed {f.holds}")
            # A decision equal to the fresh one, with the same witness and certificate, was just re-derived
            # from scratch; anything else is re-checked by the fresh condition's checker.
            same = (c.holds, c.witness, c.certificate) == (f.holds, f.witness, f.certificate)
            if c.holds is not None and f.check is not None and not same:
                f.check(net, c)
        return True

    def explain(self) -> str:
        lines = [f"{self.status}: " + ("every condition holds" if not self.failed and self.status != "undecided" else
                                        "; ".join(c.detail for c in self.conditions if c.holds is not True))]
        return "\n".join(lines + [f"  [{'ok' if c.holds else 'FAIL' if c.holds is False else '??'}] {c.name}: "
                                  f"{c.detail}" for c in self.conditions])


def _dead_neurons(net: Network) -> list[tuple[int, int, str]]:
    """Every $(l, i, \\text{kind})$: neuron $i$ (0-based) of hidden layer $l$ with zero input or output weights.
    Vectorised on the integer form of the weights: $O(\\dim\\Omega)$."""
    out = []
    for l in range(1, net.depth):
        no_in = ~net.weights[l - 1].nonzero_rows()
        no_out = ~net.weights[l].nonzero_columns()
        out += [(l, int(i), kind) for i in np.flatnonzero(no_in | no_out)
                for kind, zero in (("output", no_out[i]), ("input", no_in[i])) if zero]
    return out


def _check_dead(net: Network, c: Condition) -> bool:
    dead = _dead_neurons(net)
    if c.holds:
        if dead:
            raise CertificateError(f"neuron {dead[0][1] + 1} of hidden layer {dead[0][0]} is dead")
        return True
    l, i, kind = c.witness
    if (l, i, kind) not in dead:  # the witness must be one of the dead neurons, recomputed
        raise CertificateError(f"neuron {i + 1} of hidden layer {l} has non-zero {kind} weights")
    return True


def _dead_condition(net: Network) -> Condition:
    dead = _dead_neurons(net)
    if dead:
        l, i, kind = dead[0]
        return Condition("no dead neuron", False, (l, i, kind), None,
                         f"neuron {i + 1} of hidden layer {l} has zero {kind} weights", _check_dead)
    return Condition("no dead neuron", True, None, None, "every hidden neuron has non-zero input and output "
                     "weights", _check_dead)


def _check_dependent(net: Network, c: Condition) -> bool:
    if c.holds is False:
        w = c.witness
        # rows i != j of a hidden layer (i == j only with lam = 0: row j is zero), never a trivial or aliased pair
        if not (isinstance(w, tuple) and len(w) == 4 and all(type(x) is int for x in w[:3])
                and 1 <= w[0] < net.depth and isinstance(w[3], fmpq)):
            raise CertificateError(f"{w!r} is not a witness (layer, i, j, lambda) of two dependent rows")
        l, i, j, lam = w
        rows = neurons.rows(net, l)
        if not (0 <= i < len(rows) and 0 <= j < len(rows)) or (i == j and lam != 0):
            raise CertificateError(f"the indices {i}, {j} are not two distinct rows of layer {l}")
        if tuple(lam * x for x in rows[i]) != rows[j]:
            raise CertificateError(f"row {j + 1} of layer {l} is not {lam} times row {i + 1}")
        return True
    for l in range(1, net.depth):
        if rows_pairwise_independent(net.weights[l - 1], net.biases[l - 1]):
            continue
        keys = [fingerprint(normalise_row(r)[0]) for r in neurons.rows(net, l)]
        if len(set(keys)) != len(keys) or any(not any(r) for r in neurons.rows(net, l)):
            raise CertificateError(f"layer {l} has two linearly dependent rows")
    return True


def _dependent_condition(net: Network) -> Condition:
    for l in range(1, net.depth):
        if rows_pairwise_independent(net.weights[l - 1], net.biases[l - 1]):
            continue  # proven modulo a prime; the exact keys below only when that is inconclusive
        seen: dict = {}
        for j, r in enumerate(neurons.rows(net, l)):
            key, scale, sign = normalise_row(r)
            if sign == 0:
                return Condition("no dependent rows", False, (l, j, j, fmpq(0)), None,
                                 f"row {j + 1} of (W_{l} | b_{l}) is zero", _check_dependent)
            fp = fingerprint(key)
            if fp in seen:
                i, s0, sg0 = seen[fp]
                lam = (sign * scale) / (sg0 * s0)
                return Condition("no dependent rows", False, (l, i, j, lam), None,
                                 f"rows {i + 1} and {j + 1} of (W_{l} | b_{l}) are proportional: "
                                 f"row {j + 1} = {lam} * row {i + 1}", _check_dependent)
            seen[fp] = (j, scale, sign)
    return Condition("no dependent rows", True, None, None, "the neuron rows (w_i, b_i) of every layer are "
                     "pairwise linearly independent (distinct normalised keys)", _check_dependent)


def _outer_factors(net: Network) -> tuple:
    """$(a_i)_i$ as the rows of $W_2^T$ and $(w_i)_i$ as the rows of $W_1$ (integer forms kept)."""
    (W1, _), (W2, _) = net.layers()
    return W2.T, W1


@dataclass(frozen=True)
class RankOneSketch(Latexable):
    """Certificate: the random rank-one sketch with ``seed`` has full rank modulo a prime, so the $a_i w_i^T$
    are linearly independent (see :func:`semialg.core.modular.rank_one_independent`)."""

    seed: int

    def describe(self) -> str:
        return (f"the rank-one sketch with seed {self.seed} has full rank modulo a prime: the matrices a_i w_i^T "
                f"are linearly independent")

    def verify(self, net: Network) -> bool:
        if not rank_one_independent(*_outer_factors(net), seed=self.seed):
            raise CertificateError("the rank-one sketch is not of full rank")
        return True


def _check_zero_factor(net: Network, c: Condition) -> bool:
    # The answer and witness must be the ones the certificate supports, not only the certificate valid.
    cert = c.certificate
    if type(cert) not in (RankOneSketch, ZeroSumDecision):  # any other object's verify proves nothing
        raise CertificateError(f"condition {c.name!r}: {type(cert).__name__} is not a zero-factor certificate")
    claim = True if isinstance(cert, RankOneSketch) else \
        {"none": True, "found": False, "undecided": None}.get(getattr(cert, "status", None), "unsupported")
    if c.holds != claim or (claim is False and tuple(c.witness or ()) != tuple(cert.witness)):
        raise CertificateError(f"condition {c.name!r}: the answer {c.holds} (witness {c.witness}) is not the one "
                               f"its certificate supports")
    if isinstance(cert, RankOneSketch):
        return cert.verify(net)
    return cert.verify(neurons.flip_terms(net, 1))


def zero_factor_condition(net: Network, budget: int) -> Condition:
    """*No zero factor* at a one-hidden-layer ``net``: no non-empty $S$ with $\\sum_{i \\in S} a_iw_i^T = 0$.

    Within the deadline of the enclosing :func:`genericity` call: a step predicted to end past it
    (:func:`~semialg.engine.neurons.predicted_late`) is not started, and the condition is then undecided. Cost:
    up to three rank-one sketches (:func:`~semialg.engine.neurons.rank_one_sketch`), else (also when they are
    predicted late) the 0-factor search."""
    a, w = _outer_factors(net)
    deadline = _DEADLINE.get()
    n = a.shape[0]
    sketch = n <= a.shape[1] * w.shape[1]
    late = sketch and neurons.predicted_late(deadline, neurons.rank_one_sketch_seconds(net, 1, 0))
    # A sketch fails by bad luck with probability below 2n/p; three seeds make that negligible.
    seed = next((s for s in range(3) if neurons.rank_one_sketch(net, 1, s)), None) if sketch and not late else None
    if seed is not None:
        return Condition("no zero factor", True, None, RankOneSketch(seed),
                         "the matrices a_i w_i^T are linearly independent (rank-one sketch of full rank mod p), "
                         "so no sum over a non-empty S vanishes", _check_zero_factor)
    # a sketch predicted late: the search may still peel the terms by their valuations (784-4096-10: 0.6 s, not 6 s)
    decision: ZeroSumDecision = neurons.zero_factor_search(net, 1, budget, deadline)
    if late and decision.status == "undecided":
        why = (f"not checked: the rank-one sketch ({n} x {n} rank modulo p) would end past the budget, and the "
               "0-factor search did not decide: " + "; ".join(decision.tried))
        return Condition("no zero factor", None, None, ZeroSumDecision("undecided", tried=(why,)), why,
                         _check_zero_factor)
    holds = {"none": True, "found": False, "undecided": None}[decision.status]
    if decision.status == "found":
        detail = f"sum of a_i w_i^T over S = {[i + 1 for i in decision.witness]} is zero"
    elif decision.status == "none":
        detail = "no non-empty S has sum_S a_i w_i^T = 0 (" + "; ".join(decision.tried) + ")"
    else:
        detail = "0-factor search undecided: " + "; ".join(decision.tried)
    return Condition("no zero factor", holds, decision.witness, decision, detail, _check_zero_factor)


def genericity(net: Network, budget: int = 2 ** 20, deadline: float | None = None) -> GenericityReport:
    """Decide exactly whether ``net`` lies outside every degeneracy locus of its architecture.

    Conditions, each with a witness or certificate that ``verify`` re-checks:

    - *no dead neuron*: $O(\\dim\\Omega)$ zero tests;
    - *no dependent rows*: $O(n(m+1))$ normalisations and hashing per layer (never the $O(n^2m^2)$ minors);
    - *no zero factor* (shallow only): first the rank-one sketch of
      :func:`semialg.core.modular.rank_one_independent` ($O(n^2(k+m))$, proves independence of the $a_iw_i^T$);
      otherwise :func:`semialg.geometry.zero_sum.find_zero_sum_set` with ``budget`` — the $0/1$ points of the kernel
      modulo a prime, Gordan's alternative, and on at most 256 vectors left exact kernel components, LLL and meet
      in the middle (the inner network of a 784-800-1-10 bottleneck: 2 s).

    ``deadline`` (a ``time.monotonic()`` value): the searched conditions take no step predicted to end past it,
    and stop at it, undecided then (so is the report: never "generic" from a cut search).

    >>> bool(genericity(Network.random((3, 4, 2), seed=0)))
    True
    """
    budget = check_budget(budget)
    if net.depth == 1:
        return GenericityReport(net.architecture, (), AFFINE_SCOPE)
    conds = [_dead_condition(net), _dependent_condition(net)]
    for family in families_for(net):
        scope = family.genericity_scope(net.architecture)
        if scope is not None:
            token = _DEADLINE.set(deadline)
            try:
                conds += family.genericity_conditions(net, budget)
            finally:
                _DEADLINE.reset(token)
            return GenericityReport(net.architecture, tuple(conds), scope)
    return GenericityReport(net.architecture, tuple(conds), DEEP_SCOPE)


def cheap_genericity(net: Network) -> GenericityReport:
    """:func:`genericity` with the cheap decisions only: a searched condition whose step is predicted to take
    more than :data:`~semialg.engine.neurons.CHEAP_SECONDS` is not started and comes back undecided, still with
    its checker. The verifiers take the conditions a network must satisfy, and the checkers of a report's
    certificates, from here: re-deciding a 0-factor search that the certificate settles anyway took 2.4 s a call
    at 784-4096-1-10.

    >>> cheap_genericity(Network.random((3, 4, 2), seed=0)).status
    'generic'
    """
    return genericity(net, budget=1, deadline=time.monotonic())
