r"""The off-$P$ condition of a hidden-neuron fibre component with negative slots, quantifier-free, for any $n_0 \ge 2$.

For a component with hidden slots of output weight $u_p > 0$ ($p \in \mathrm{pos}$) and $u_n < 0$
($n \in \mathrm{neg}$), $y_j = \kappa_j\ell'_j$: $\Psi = H_0 + \sum_{\mathrm{pos}} u_p\sigma(y_p)$ is convex on every
polyhedron $Q$ of $\overline N$ and $\Phi = \Psi - \sum_{\mathrm{neg}}|u_n|\sigma(y_n)$ is convex on each cell of
$Q$ cut by the negative hyperplanes $\{y_n = 0\}$ (a positive kink is convex, so positive hyperplanes need not cut).
With $G_{S,T} = H_0 + \sum_{p\in S}u_py_p - \sum_{t\in T}|u_t|y_t$, affine on $Q$,
$\Phi = \min_T\max_S G_{S,T}$ there, so $\Phi(x) \le 0$ iff $\bigvee_T\bigwedge_S G_{S,T}(x) \le 0$ ($T$ over the
negative slots not vanishing at $x$), and the same for the recession function $\Phi_\infty$ with the linear parts
$G'$. A convex function is $\le 0$ on a pointed polyhedron iff it is at its vertices and its recession function is
along its extreme rays. The vertices of the cells are points where $n_0$ independent hyperplanes meet: $k \ge 0$
negative ones (a set $K$) and $r - k$ facets of $Q$ (a set $F$), plus the equations $l\cdot x = 0$ of the
lineality basis when the first-layer rows have rank $r < n_0$ (the polynomial rows force $w'_j \perp L$, so
$\Phi$ is constant along $L$); their extreme rays are the directions where $r - 1$ of them vanish. So, with the
formula conjoined to the component's polynomial rows, $\Phi \le 0$ on $\overline N$ iff for every $Q$:

1. ($K = \emptyset$) every vertex $v$ of $Q$ off $\partial P$: $\bigvee_T\bigwedge_S G_{S,T}(v) \le 0$; every
   extreme ray $d$ of $Q$: the same with $G'(d)$;
2. every candidate point $q = \hat q/\delta$ (Cramer's rule for the system $K \cup F \cup L$, $\delta$ its
   determinant, $\hat q$ polynomial in $\theta'$): $\delta^2 \le 0$, or some row of $Q$ with
   $\delta\,(\delta\,\mathrm{row}(q)) < 0$ ($q \notin Q$), or $\bigvee_T\bigwedge_S \delta\,(\delta\,G_{S,T}(q)) \le 0$
   ($T \subseteq \mathrm{neg} \setminus K$);
3. every candidate direction $\pm d$, $d$ the generalised cross product of the $n_0 - 1$ normals of
   $K \cup F \cup L$ ($|K| \ge 1$): some row of $Q$ negative at it ($d$ not in the recession cone), or
   $\bigvee_T\bigwedge_S G'_{S,T}(\pm d) \le 0$.

Every quantity is multiplied by a positive factor ($c_r^2$, $\delta^2$) to make it a polynomial in $\theta'$. The
atoms are built and evaluated as flint multivariate polynomials over $\mathbb{Q}$ (sympy only to print them).
For $n_0 = 2$ this is the crossing of a negative line with an edge of $Q$ (2), of two negative lines (2) and a
negative line's directions (3).

>>> x = sympy.Symbol("x")
>>> f = Formula(("or", (("atom", x, "<="), ("atom", x - 2, ">="))), (x,))
>>> f.holds([1]), f.holds([3]), f.to_latex()
(False, True, 'x \\le 0 \\vee x - 2 \\ge 0')
"""

from __future__ import annotations

import itertools

import flint
from flint import fmpq


from semialg.core.lazy import sympy  # imported on first use: start-up time

from semialg.core.exact import to_fmpq, to_sympy
from semialg.families.bottleneck.hidden_region import HiddenRegion, cramer, kernel_direction
from semialg.geometry.semialgebraic import as_substitution

__all__ = ["Formula", "negative_formula"]

_TESTS = {"<=": lambda v: v <= 0, "<": lambda v: v < 0, ">=": lambda v: v >= 0, ">": lambda v: v > 0}
_TEX = {"<=": r"\le 0", "<": "< 0", ">=": r"\ge 0", ">": "> 0"}


class Polynomials:
    """Exact polynomial arithmetic in the variables of a parameter space: flint ``fmpq_mpoly`` (fast products and
    evaluation), with conversions from and to sympy."""

    def __init__(self, variables):
        self.variables = tuple(variables)
        self.ctx = flint.fmpq_mpoly_ctx.get(tuple(f"z{i}" for i in range(len(self.variables))), "lex")
        self.gens = dict(zip(self.variables, self.ctx.gens(), strict=True))
        self._names = None

    def of(self, expr):
        """A sympy polynomial in the variables as an ``fmpq_mpoly`` (a rational constant stays an ``fmpq``)."""
        if expr.is_Symbol:
            return self.gens[expr]
        if expr.is_Rational:
            return fmpq(int(expr.p), int(expr.q))
        if expr.is_Add or expr.is_Mul:
            parts = [self.of(a) for a in expr.args]
            out = parts[0]
            for q in parts[1:]:
                out = out + q if expr.is_Add else out * q
            return out
        if expr.is_Pow and expr.exp.is_Integer and expr.exp >= 0:
            return self.of(expr.base) ** int(expr.exp)
        raise ValueError(f"not a polynomial in the variables: {expr}")

    def sympy(self, p):
        if not isinstance(p, flint.fmpq_mpoly):
            return to_sympy(fmpq(p))
        return sympy.Add(*(to_sympy(c) * sympy.Mul(*(v ** e for v, e in zip(self.variables, mono, strict=True)))
                           for mono, c in p.to_dict().items()))

    def latex(self, p) -> str:
        """LaTeX of a polynomial term by term (sympy's printer is too slow for thousands of atoms)."""
        if not isinstance(p, flint.fmpq_mpoly):
            return sympy.latex(to_sympy(fmpq(p)))
        if self._names is None:
            self._names = [sympy.latex(v) for v in self.variables]
        out = []
        for mono, c in sorted(p.to_dict().items(), reverse=True):
            factors = [n if e == 1 else f"{n}^{{{e}}}" for n, e in zip(self._names, mono, strict=True) if e]
            mag = abs(c)
            coef = "" if mag == 1 and factors else sympy.latex(to_sympy(mag))
            out.append(("-" if c < 0 else "+") + " " + " ".join(([coef] if coef else []) + factors))
        text = " ".join(out)
        return text[2:] if text.startswith("+ ") else text

    def constant(self, p):
        """The value of a constant polynomial, else ``None``."""
        if not isinstance(p, flint.fmpq_mpoly):
            return fmpq(p)
        if len(p) > 1:      # is_constant() reads every term (0.5 ms for 1,000): a formula asks for 10^6 atoms
            return None
        return p.to_dict().get((0,) * len(self.variables), fmpq(0)) if p.is_constant() else None


def _atom(P, p, rel):
    c = P.constant(p)
    if c is not None:
        return bool(_TESTS[rel](c))
    return ("atom", p, rel)


def _and(parts):
    parts = [q for q in parts if q is not True]
    if any(q is False for q in parts):
        return False
    return True if not parts else parts[0] if len(parts) == 1 else ("and", tuple(parts))


def _or(parts):
    parts = [q for q in parts if q is not False]
    if any(q is True for q in parts):
        return True
    return False if not parts else parts[0] if len(parts) == 1 else ("or", tuple(parts))


_ZERO = fmpq(0)


def _restricted(p, x: list, d: list) -> list:
    r"""The coefficients $c_0, c_1, \dots$ of $p(x + t\,d) = \sum_k c_kt^k$, from its values at
    $t = 0, \dots, \deg p$ (Newton's divided differences, then the Newton form expanded)."""
    k = max(p.total_degree(), 0)
    ts = [fmpq(j) for j in range(k + 1)]
    coef = [p(*[a + tj * b for a, b in zip(x, d, strict=True)]) for tj in ts]
    for j in range(1, k + 1):                      # divided differences in place
        for i in range(k, j - 1, -1):
            coef[i] = (coef[i] - coef[i - 1]) / (ts[i] - ts[i - j])
    out = [_ZERO] * (k + 1)                        # Horner on the Newton form: sum coef_i prod_{j < i} (t - t_j)
    for i in range(k, -1, -1):
        shifted = [_ZERO] + out[:-1]               # multiply by t ...
        out = [s - ts[i] * o for s, o in zip(shifted, out, strict=True)]     # ... minus t_i
        out[0] += coef[i]
    return out


class Formula:
    r"""An exact quantifier-free condition: nested ``("and", parts)``, ``("or", parts)`` and
    ``("atom", polynomial, relation)`` with relation ``<=``, ``<``, ``>=`` or ``>`` (against 0), and
    ``("pl", p0, ((a_1, p_1), ...), relation)`` for $p_0 + \sum_i a_i\max(0, p_i)$ against 0 — semi-algebraic,
    kept folded rather than expanded into its $2^k$ sign branches; the polynomials in ``variables`` (sympy
    expressions, converted on construction). ``statement`` says in words what the formula expresses."""

    def __init__(self, tree, variables=(), architecture=None,
                 statement="h'(x) <= 0 wherever h(x) <= 0", builder=None):
        self.variables, self.architecture, self.statement = tuple(variables), architecture, statement
        self.P = Polynomials(self.variables)
        self._builder, self._count = builder, None
        self._tree = None if builder is not None else self._convert(tree)

    #: (formula, its symbolic tree): the one tree of a builder formula kept, that of the formula used last
    _recent: tuple = (None, None)

    @property
    def tree(self):
        """The symbolic tree. Of the formulas given by a ``builder`` (:func:`negative_formula`) only the one used
        last keeps its tree: about 50 MB of polynomials each for a 2-9-1-1 hidden-neuron fibre, which has 15."""
        if self._builder is None:
            return self._tree
        owner, tree = Formula._recent          # one snapshot: another thread may replace it meanwhile
        if owner is not self:
            Formula._recent = (None, None)      # the old tree is freed before the new one is built
            tree = self._convert(self._builder(self.P))
            Formula._recent = (self, tree)
        return tree

    def _poly(self, p):
        return p if isinstance(p, (flint.fmpq_mpoly, fmpq)) else self.P.of(sympy.sympify(p))

    def _convert(self, node):
        if node is True or node is False:
            return node
        if node[0] == "atom":
            return "atom", self._poly(node[1]), node[2]
        if node[0] == "pl":
            terms = ((self._poly(a), self._poly(b)) for a, b in node[2])
            return "pl", self._poly(node[1]), tuple((a, b) for a, b in terms if a != 0 and b != 0), node[3]
        return node[0], tuple(self._convert(q) for q in node[1])

    @staticmethod
    def _at(p, vals):
        return p(*vals) if isinstance(p, flint.fmpq_mpoly) else fmpq(p)

    def _walk(self, node, value, zeros):
        """Whether the formula holds where ``value`` evaluates its polynomials (a point, or the signs along a
        curve germ); the polynomials vanishing there are added to ``zeros``."""
        if node is True or node is False:
            return node
        if node[0] == "atom":
            v = value(node[1])
            if v == 0:
                zeros.append(node[1])
            return bool(_TESTS[node[2]](v))
        if node[0] == "pl":     # the branch of the max terms active at vals is one polynomial atom there
            active = [(a, b) for a, b in node[2] if value(b) > 0]
            zeros.extend(b for _, b in node[2] if value(b) == 0)
            branch = sum((a * b for a, b in active), node[1])
            v = value(branch)
            if v == 0 and branch != 0:      # a branch that is the zero polynomial stays 0 near vals
                zeros.append(branch)
            return bool(_TESTS[node[3]](v))
        results = (self._walk(q, value, zeros) for q in node[1])
        return all(results) if node[0] == "and" else any(results)

    def _values(self, sub: dict) -> list:
        return [fmpq(int(sub[v].p), int(sub[v].q)) for v in self.variables]

    def robust(self, sub: dict, vanishing_ok=None) -> bool:
        """True when the formula holds at ``sub`` (symbol → rational) and each atom that vanishes there passes
        ``vanishing_ok`` (given as a sympy polynomial; e.g. it vanishes identically on a family of points;
        ``None``: none may vanish): then it holds on a neighbourhood in that family."""
        zeros: list = []
        vals = self._values(sub)
        if not self._walk(self.tree, lambda p: self._at(p, vals), zeros):
            return False
        # converting an atom to sympy can take minutes (10^5 terms): only for a caller's test
        return not zeros if vanishing_ok is None else all(vanishing_ok(self.P.sympy(p)) for p in zeros)

    def robust_along(self, point, direction) -> bool:
        r"""Whether the formula holds robustly (no atom vanishing) at $x + t\,d$ for every small enough $t > 0$
        (``point`` $x$ and ``direction`` $d$ exact, in the order of ``variables``): every polynomial composed with
        the line is a polynomial in $t$, of the sign of its lowest-order term on some $(0, t_0)$. Cost: one
        composition per polynomial of the formula.

        >>> x, y = sympy.symbols("x y")
        >>> F = Formula(("atom", x * y - x, "<"), (x, y))           # x (y - 1) < 0
        >>> F.robust_along([1, 1], [0, -1]), F.robust_along([1, 1], [0, 1]), F.robust_along([0, 0], [1, 0])
        (True, False, True)
        """
        zeros: list = []
        return self._walk(self.tree, self._germ_signs(point, direction), zeros) and not zeros

    def holds_along(self, point, direction) -> bool:
        r"""Whether the formula holds at $x + t\,d$ for every small enough $t > 0$, atoms vanishing identically on
        the line included (signs as in :meth:`robust_along`).

        >>> x, y = sympy.symbols("x y")
        >>> F = Formula(("atom", x * y - x, "<="), (x, y))
        >>> F.holds_along([0, 1], [0, 1]), F.robust_along([0, 1], [0, 1]), F.holds_along([1, 1], [0, 1])
        (True, False, False)
        """
        return self._walk(self.tree, self._germ_signs(point, direction), [])

    def _germ_signs(self, point, direction):
        r"""The sign of a polynomial on $x + t\,d$ for small $t > 0$: that of its lowest-order term in $t$. The
        restriction $q(t)$ has degree at most $k$, the total degree of the polynomial, so its values at
        $t = 0, \dots, k$ determine it exactly (Newton's divided differences): $k + 1$ evaluations instead of a
        composition, which expands every monomial in $t$."""
        x, d = [to_fmpq(a) for a in point], [to_fmpq(b) for b in direction]

        def sign(p) -> int:
            if not isinstance(p, flint.fmpq_mpoly):
                p = fmpq(p)
                return (p > 0) - (p < 0)
            low = next((c for c in _restricted(p, x, d) if c != 0), _ZERO)
            return (low > 0) - (low < 0)
        return sign

    def holds(self, point) -> bool:
        vals = self._values(as_substitution(self.variables, point))
        return self._walk(self.tree, lambda p: self._at(p, vals), [])

    def atoms(self, node=None) -> int:
        if node is None:
            if self._count is None:
                self._count = self.atoms(self.tree)
            return self._count
        if node is True or node is False:
            return 0
        return 1 if node[0] in ("atom", "pl") else sum(self.atoms(q) for q in node[1])

    def describe(self) -> str:
        return f"{self.statement}, as a quantifier-free formula with {self.atoms()} atoms"

    def _tex(self, node, depth: int) -> str:
        if node is True or node is False:
            return r"\top" if node else r"\bot"
        if node[0] == "atom":
            return self.P.latex(node[1]) + " " + _TEX[node[2]]
        if node[0] == "pl":
            terms = [] if self.P.constant(node[1]) == 0 else [self.P.latex(node[1])]
            for a, b in node[2]:
                coef = "" if self.P.constant(a) == 1 else self.P.latex(a)
                coef = coef if isinstance(a, fmpq) or len(a) <= 1 else r"\left(" + coef + r"\right)"
                terms.append(coef + r" \max\left(0,\ " + self.P.latex(b) + r"\right)")
            return " + ".join(terms or ["0"]).replace("+ -", "- ") + " " + _TEX[node[3]]
        inner = [self._tex(q, depth + 1) for q in node[1]]
        joined = (r" \wedge " if node[0] == "and" else r" \vee ").join(inner)
        return joined if depth == 0 else r"\left(" + joined + r"\right)"

    def to_latex(self) -> str:
        tree = self.tree
        if tree is True or tree is False or tree[0] != "and":
            return self._tex(tree, 0)
        return r" \\ & ".join(self._tex(q, 1) for q in tree[1])

    def to_json(self) -> dict:
        return {"type": "Formula", "statement": self.describe()}

    def __repr__(self) -> str:
        return f"Formula({self.atoms()} atoms)"


def negative_formula(R: HiddenRegion, pos, neg, U, K, W1, B1, variables, shift=None, check=None) -> Formula:
    """The quantifier-free off-$P$ condition for positive slots ``pos`` and negative slots ``neg`` (lists of
    ``(slot, class)``); ``U(j)`` is $c_r^2u_j$ as a polynomial, ``K`` $= c_r^2$, ``W1``/``B1`` the first-layer
    variables; ``shift`` (a polynomial, default 0) is added to every $c_r^2 G_{S,T}$ as a constant (a variable
    bias, e.g. $c_r^2\\varepsilon$ in :mod:`~semialg.families.bottleneck.separated_fibre`); ``check`` (optional,
    no argument) is called per polyhedron of $\\overline N$ while the tree is built, e.g. to raise when a budget
    is spent. Cost: $O(2^{|pos| + |neg|})$ atoms per vertex, ray and candidate point or direction, i.e. per
    choice of at most $n_0$ facets of a polyhedron and negative slots."""
    kappa = {"U-": 1, "U+": -1}
    n0 = R.n0
    slots = [j for j, _ in pos] + [j for j, _ in neg]
    exprs = {"K": sympy.sympify(K), **{j: sympy.expand(U(j)) for j in slots},
             "shift": sympy.Integer(0) if shift is None else sympy.expand(shift)}
    R_sets = [S for k in range(len(pos) + 1) for S in itertools.combinations(pos, k)]
    return Formula(None, variables, builder=lambda P: _negative_tree(P, R, pos, neg, kappa, n0, slots, exprs,
                                                                     R_sets, W1, B1, check))


def _negative_tree(P, R, pos, neg, kappa, n0, slots, exprs, R_sets, W1, B1, check=None):
    """The tree of :func:`negative_formula`, its polynomials in ``P`` (:class:`Polynomials`)."""
    K, shift = P.of(exprs["K"]), P.of(exprs["shift"])
    Uj = {j: P.of(exprs[j]) for j in slots}
    W = {(j, q): P.gens[W1[j, q]] for j in slots for q in range(n0)}
    B = {j: P.gens[B1[j]] for j in slots}

    def t_sets(excluded):
        rest = [t for t in neg if t[0] not in excluded]
        return [T for k in range(len(rest) + 1) for T in itertools.combinations(rest, k)]

    def values(Q, x, one=1):
        r"""$c_r^2 G_{S,T} = c_r^2(\Psi_S - \sum_T |u_t|y_t)$ of $Q$ at the point $x$ (``one = 0``: its linear
        part at a direction; ``one = \delta``: at $\hat q = \delta q$, times $\delta$) as a function of $(S, T)$:
        $H_0$ and each slot's term are evaluated once per point and each pair of sets sums them (the polynomial
        products, the formula's cost, are not repeated for each of its $2^{|pos| + |neg|}$ pairs)."""
        base = K * sum((Q.H0[0][q] * x[q] for q in range(n0)), one * Q.H0[1]) + one * shift
        term = {j: Uj[j] * kappa[c] * sum((W[j, q] * x[q] for q in range(n0)), one * B[j]) for j, c in pos + neg}
        return lambda S, T: sum((term[j] for j, _ in S + T), base)

    def at(G, p, one=1):
        """The affine map $G$ (linear part, constant) at the point $p$, as in ``values``."""
        return sum((G[0][q] * p[q] for q in range(n0)), one * G[1])

    def atom(p, rel):
        return _atom(P, p, rel)

    def some(value, excluded, test):
        """$\\bigvee_T \\bigwedge_S$ test(``value``(S, T)) over the sets $T$ of the other negative slots."""
        return _or([_and([test(value(S, T)) for S in R_sets]) for T in t_sets(excluded)])

    def normal(n):
        return [W[n, q] for q in range(n0)]

    clauses = []
    for Q in R.n_pieces:
        if check is not None:
            check()
        for v in Q.vertices:
            if R.h(v) != 0:                                 # on the boundary of P: Phi(v) = h(v) = 0
                clauses.append(some(values(Q, v), (), lambda g: atom(g, "<=")))
        for d in Q.rays:
            clauses.append(some(values(Q, d, 0), (), lambda g: atom(g, "<=")))
        facets, fixed = Q.facets, [list(l) for l in Q.lineality]
        r = n0 - len(fixed)
        for k in range(1, min(len(neg), r) + 1):
            for Kset in itertools.combinations(neg, k):
                excluded = tuple(n for n, _ in Kset)
                for F in itertools.combinations(facets, r - k):           # candidate points
                    qhat, det = cramer([normal(n) for n, _ in Kset] + [list(row[:-1]) for row in F] + fixed,
                                       [-B[n] for n, _ in Kset] + [-row[-1] for row in F] + [fmpq(0)] * len(fixed))
                    if det == 0:
                        continue
                    outside = [atom(det * at((row[:-1], row[-1]), qhat, det), "<") for row in facets]
                    inside = some(values(Q, qhat, det), excluded, lambda g, det=det: atom(det * g, "<="))
                    clauses.append(_or([atom(det * det, "<=")] + outside + [inside]))
                for F in itertools.combinations(facets, r - 1 - k) if k < r else ():   # candidate directions
                    d = kernel_direction([normal(n) for n, _ in Kset] + [list(row[:-1]) for row in F] + fixed)
                    for dd in (d, tuple(-x for x in d)):
                        outside = [atom(at((row[:-1], 0), dd, 0), "<") for row in facets]
                        clauses.append(_or(outside + [some(values(Q, dd, 0), excluded, lambda g: atom(g, "<="))]))
    return _and(clauses)
