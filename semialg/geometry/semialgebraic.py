"""Semi-algebraic sets as structured objects: basic sets and (lazy) finite unions of them.

A :class:`BasicSet` is $\\{x : p_1 = \\dots = p_r = 0,\\ q_1 > 0, \\dots,\\ s_1 \\ge 0, \\dots,\\ t_1 \\ne 0, \\dots\\}$
with sympy polynomials over named variables (a $t$ may be a tuple of polynomials: a vector $\\ne 0$, i.e. not all
of them vanish); a :class:`Union` is a finite union of basic sets, possibly lazy: its
components are indexed by a finite combinatorial set (permutations, flip sets, types) and built on demand.
Membership of an exact rational point is decided exactly.

>>> x, y = sympy.symbols("x y")
>>> B = BasicSet((x, y), equations=(x - y,), strict=(x,))
>>> B.contains({x: 1, y: 1}), B.contains({x: -1, y: -1})
(True, False)
>>> N = BasicSet((x, y), nonzero=(x, (x, y)))
>>> N.contains({x: 0, y: 1}), N.violated({x: 0, y: 0})[0]
(False, '!=0')
>>> U = Union((x, y), range(2), lambda k: BasicSet((x, y), equations=(x - k, y)))
>>> U.num_components, U.contains({x: 1, y: 0})
(2, True)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Callable, Iterator, Mapping, Sequence

from semialg.core.lazy import sympy  # imported on first use: start-up time

from semialg.core.exact import to_fmpq, to_sympy
from semialg.core.result import Latexable, jsonable
from semialg.errors import ParameterError, UndecidedError

__all__ = ["BasicSet", "Union", "SemialgebraicSet", "as_substitution", "parallel_minors", "nonzero_entries",
           "map_nonzero", "not_all_zero", "sign_at_zero_plus"]


def nonzero_entries(t) -> tuple:
    """The polynomials of one ``nonzero`` condition of a :class:`BasicSet`: ``t`` itself, or its entries when it is a
    vector (a tuple).

    >>> nonzero_entries(5), nonzero_entries((1, 2))
    ((5,), (1, 2))
    """
    return tuple(t) if isinstance(t, (tuple, list)) else (t,)


def not_all_zero(entries: Sequence):
    """The ``nonzero`` condition "some entry does not vanish" (a vector $\\ne 0$): entries expanded, the ones that are
    identically zero dropped (they do not change the condition); one entry is a polynomial, none is the constant 0
    (a condition that never holds).

    >>> x, y = sympy.symbols("x y")
    >>> not_all_zero([x, 0 * y]), not_all_zero([x, y]), not_all_zero([0])
    (x, (x, y), 0)
    """
    kept = tuple(e for e in (sympy.expand(sympy.sympify(p)) for p in entries) if e != 0)
    return kept[0] if len(kept) == 1 else kept if kept else sympy.Integer(0)


def map_nonzero(f: Callable, nonzero: Sequence) -> tuple:
    """``f`` applied to every polynomial of the ``nonzero`` conditions of a :class:`BasicSet`, vectors kept vectors
    (for the families that build one set from another by a substitution).

    >>> map_nonzero(lambda p: 2 * p, (1, (2, 3)))
    (2, (4, 6))
    """
    return tuple(tuple(map(f, t)) if isinstance(t, (tuple, list)) else f(t) for t in nonzero)


def parallel_minors(r1: Sequence, r2: Sequence) -> tuple:
    """The $2 \\times 2$ minors $r_1[p]r_2[q] - r_1[q]r_2[p]$, $p < q$, of two rows: they all vanish exactly when the
    rows are linearly dependent. Cost: $O(d^2)$ products for rows of length $d$.

    >>> parallel_minors((1, 2), (2, 4))
    (0,)
    """
    return tuple(r1[p] * r2[q] - r1[q] * r2[p] for p, q in itertools.combinations(range(len(r1)), 2))


def sign_at_zero_plus(q, t: sympy.Symbol) -> int:
    r"""The sign of a rational function $q$ of ``t`` on $(0, t_0)$ for small $t_0 > 0$: that of the product of the
    lowest-order coefficients of its numerator and denominator ($0$ when $q = 0$ identically). Cost: one sympy
    cancellation and two coefficient lists.

    >>> t = sympy.Symbol("t")
    >>> sign_at_zero_plus(t**2 - t, t), sign_at_zero_plus((3 - t) / (t - 2 * t**3), t), sign_at_zero_plus(t - t, t)
    (-1, 1, 0)
    """
    num, den = sympy.fraction(sympy.cancel(sympy.together(q)))
    sign = 1
    for part in (num, den):
        coeffs = sympy.Poly(part, t).all_coeffs()[::-1]
        low = next((c for c in coeffs if c != 0), 0)
        if low == 0:
            return 0
        if not low.is_Rational:
            raise ParameterError(f"sign_at_zero_plus: {q} is not a rational function of {t} alone")
        sign *= 1 if low > 0 else -1
    return sign


def as_substitution(variables: Sequence[sympy.Symbol], point) -> dict:
    """A symbol → sympy Rational map from a mapping, a sequence of values, or an object with a
    ``parameters()`` method (a network, whose parameters are in the order of its variables)."""
    if callable(getattr(point, "parameters", None)):
        point = point.parameters()
    if isinstance(point, Mapping):
        values = [point[v] for v in variables]
    else:
        values = list(point)
        if len(values) != len(variables):
            raise ParameterError(f"point has {len(values)} coordinates, the set lives in dimension "
                                 f"{len(variables)}")
    out = {}
    for v, val in zip(variables, values, strict=True):
        out[v] = to_sympy(to_fmpq(val, where=str(v)))
    return out


class SemialgebraicSet(Latexable):
    """Common interface: ``contains``, ``components``, ``num_components``, ``variables``."""

    variables: tuple[sympy.Symbol, ...]

    def contains(self, point) -> bool:
        raise NotImplementedError

    def __contains__(self, point) -> bool:
        return self.contains(point)

    def components(self) -> Iterator["BasicSet"]:
        raise NotImplementedError


@dataclass(frozen=True)
class BasicSet(SemialgebraicSet):
    """$\\{p = 0 \\ \\forall p \\in \\text{equations},\\ q > 0 \\ \\forall q \\in \\text{strict},\\
    s \\ge 0 \\ \\forall s \\in \\text{nonstrict},\\ t \\ne 0 \\ \\forall t \\in \\text{nonzero}\\}$ in the given
    variables. An entry of ``nonzero`` is a polynomial or a tuple of polynomials (the vector is not zero: some entry
    does not vanish); ``nonzero`` is keyword-only, so subclasses keep their positional fields."""

    variables: tuple[sympy.Symbol, ...]
    equations: tuple[sympy.Expr, ...] = ()
    strict: tuple[sympy.Expr, ...] = ()
    nonstrict: tuple[sympy.Expr, ...] = ()
    label: str = field(default="", compare=False)
    nonzero: tuple = field(default=(), kw_only=True)

    def violated(self, point) -> tuple[str, sympy.Expr, sympy.Rational] | None:
        """The first violated condition at an exact point as ``(kind, polynomial, value)``, or ``None``.

        Cost: one exact evaluation per polynomial.
        """
        subs = as_substitution(self.variables, point)

        def value(p):
            v = sympy.sympify(p).xreplace(subs)
            if not v.is_Rational:
                raise ParameterError(f"polynomial {p} did not evaluate to a rational: {v}")
            return v
        for kind, polys, ok in (("=0", self.equations, lambda v: v == 0),
                                (">0", self.strict, lambda v: v > 0),
                                (">=0", self.nonstrict, lambda v: v >= 0)):
            for p in polys:
                v = value(p)
                if not ok(v):
                    return kind, p, v
        for t in self.nonzero:
            if all(value(p) == 0 for p in nonzero_entries(t)):
                return "!=0", t, 0
        return None

    def contains(self, point) -> bool:
        return self.violated(point) is None

    def contains_germ(self, curve: Sequence, t: sympy.Symbol) -> bool:
        r"""Whether the curve $\gamma(t)$ (one rational function of the symbol ``t`` per variable) lies in the set
        for every small enough $t > 0$: each equation vanishes identically along it, each strict (non-strict)
        inequality has a positive lowest-order term (or vanishes identically), each ``nonzero`` condition has an
        entry not identically zero. Exact: a non-zero rational function has finitely many roots, so these signs
        hold on some interval $(0, t_0)$.

        Cost: one substitution, cancellation and lowest-order coefficient per polynomial.

        >>> x, y, t = sympy.symbols("x y t")
        >>> B = BasicSet((x, y), equations=(x * y - 1,), strict=(x - 1,))
        >>> B.contains_germ((1 + t, 1 / (1 + t)), t), B.contains_germ((1 - t, 1 / (1 - t)), t)
        (True, False)
        """
        sub = dict(zip(self.variables, curve, strict=True))

        def germ_sign(p) -> int:
            return sign_at_zero_plus(sympy.sympify(p).xreplace(sub), t)
        return (all(germ_sign(p) == 0 for p in self.equations) and all(germ_sign(q) > 0 for q in self.strict)
                and all(germ_sign(s) >= 0 for s in self.nonstrict)
                and all(any(germ_sign(p) != 0 for p in nonzero_entries(z)) for z in self.nonzero))

    def components(self) -> Iterator["BasicSet"]:
        yield self

    @property
    def num_components(self) -> int:
        return 1


@dataclass(frozen=True, eq=False)
class Union(SemialgebraicSet):
    """A finite union $\\bigcup_{j \\in J} B_j$, with $B_j$ = ``build(j)`` built on demand.

    ``index`` is any finite sized iterable (``range``, a tuple, or a lazy product of permutations and
    flip sets). ``locate(point)`` may return the only index whose component can contain the point,
    which makes membership cost one component instead of $|J|$.
    """

    variables: tuple[sympy.Symbol, ...]
    index: Sequence
    build: Callable[[object], BasicSet] = field(repr=False)
    locate: Callable[[object], object] | None = field(default=None, repr=False)
    description: str = ""
    index_name: str = "j \\in J"

    def to_json(self) -> dict:
        """The fields as plain JSON, with the index set as its exact size (and its members when it is a short
        list) instead of the object that enumerates it, and the exact count of components."""
        out = super().to_json()
        try:
            count = self.num_components
        except UndecidedError as err:  # a count whose budget ran out
            count = None
            out["num_components_undecided"] = str(err)
        out["num_components"] = count
        out["index"] = jsonable(list(self.index)) if isinstance(self.index, (list, tuple)) and \
            len(self.index) <= 1000 else {"size": out["num_components"]}
        return out

    @property
    def num_components(self) -> int:
        """The exact number of basic sets in the union (may be astronomically large: a lazy index reports it
        as ``index.exact_size``, since ``len`` is limited to machine-sized integers)."""
        size = getattr(self.index, "exact_size", None)
        return len(self.index) if size is None else size

    def components(self) -> Iterator[BasicSet]:
        for j in self.index:
            yield self.build(j)

    def component(self, j) -> BasicSet:
        return self.build(j)

    def representative(self) -> BasicSet:
        """The first component, typeset in full by :func:`semialg.ui.latex.to_latex`."""
        return self.build(next(iter(self.index)))

    def contains(self, point) -> bool:
        if self.locate is not None:
            j = self.locate(point)
            return j is not None and self.build(j).contains(point)
        return any(B.contains(point) for B in self.components())
