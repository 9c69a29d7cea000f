r"""The off-$P$ condition of a hidden-neuron fibre component with negative slots, quantifier-free.

For a component with hidden slots of output weight $u_p > 0$ ($p \in \mathrm{pos}$) and $u_n < 0$
($n \in \mathrm{neg}$), $y_j = \kappa_j\ell'_j$: $\Psi = H_0 + \sum_{\mathrm{pos}} u_p\sigma(y_p)$ is convex on every
polygon $Q$ of $\overline N$ and $\Phi = \Psi - \sum_{\mathrm{neg}}|u_n|\sigma(y_n)$ is convex on each cell of $Q$
cut by the negative lines. A vertex of that subdivision on a positive line is never a maximum (along the line
of a negative slot, or an edge, through it the positive kink is convex), so $\Phi \le 0$ on $Q$ iff it holds at
(1) the vertices of $Q$, (2)-(3) the crossings of a negative line with an edge of $Q$, (6) the crossings of two
negative lines inside $Q$, and along (4) the rays of $Q$ and (5) a negative line's directions when they lie in
its recession cone. With $G_{S,T} = H_0 + \sum_{p\in S}u_py_p - \sum_{t\in T}|u_t|y_t$, affine on $Q$, and
$\Phi = \max_S\min_T G_{S,T}$ there (in general $\Phi(x) \le 0$ iff $\bigvee_T\bigwedge_S G_{S,T}(x) \le 0$, $T$
over the negative slots not vanishing at $x$):

1. vertex $v$: $\bigvee_T\bigwedge_S G_{S,T}(v) \le 0$; (4) ray $d$: the same for the linear parts at $d$;
2. edge $[a, b]$, line $n$: $y_n(a)y_n(b) \ge 0 \ \vee\ (y_n(a) > 0 \wedge \bigvee_T\bigwedge_S N \ge 0) \ \vee\
   (y_n(b) > 0 \wedge \bigvee_T\bigwedge_S N \le 0)$, $N = y_n(b)G(a) - y_n(a)G(b)$ (at the crossing $q$,
   $G(q) = N / (y_n(b) - y_n(a))$);
3. edge $a + tr$, $s = \kappa_nw'_n\cdot r$: $y_n(a)s \ge 0 \ \vee\ (s > 0 \wedge \bigvee\bigwedge M \le 0) \ \vee\
   (s < 0 \wedge \bigvee\bigwedge M \ge 0)$, $M = sG(a) - y_n(a)G'(r)$, $G'$ the linear part;
5. $\pm d_n = \pm(-w'_{n,2}, w'_{n,1})$: some row of $Q$ negative at it, or $\bigvee_T\bigwedge_S G'(\pm d_n) \le 0$;
6. lines $n, m$ with $\delta = \det(w'_n, w'_m)$, crossing $q = \hat q/\delta$: $\delta^2 \le 0$, or some row of $Q$
   with $\delta\,(\delta\,\mathrm{row}(q)) < 0$, or $\bigvee_T\bigwedge_S \delta\,(\delta\,G(q)) \le 0$.

Every quantity is multiplied by a positive factor ($c_r^2$, $|u_n|$, $\delta^2$) to make it a polynomial in
$\theta'$.

>>> f = Formula(("or", (("atom", sympy.Symbol("x"), "<="), ("atom", sympy.Symbol("x") - 2, ">="))))
>>> f.evaluate({sympy.Symbol("x"): 1}), f.evaluate({sympy.Symbol("x"): 3})
(False, True)
"""

from __future__ import annotations

import itertools

from semialg.core.lazy import sympy  # imported on first use: start-up time

from semialg.core.exact import to_sympy
from semialg.core.network import Network
from semialg.families.bottleneck.hidden_region import HiddenRegion, edges
from semialg.geometry.semialgebraic import as_substitution

__all__ = ["Formula", "negative_formula"]

_TESTS = {"<=": lambda v: v <= 0, "<": lambda v: v < 0, ">=": lambda v: v >= 0, ">": lambda v: v > 0}
_TEX = {"<=": r"\le 0", "<": "< 0", ">=": r"\ge 0", ">": "> 0"}


def _atom(p, rel):
    p = sympy.expand(p)
    if p.is_number:
        return bool(_TESTS[rel](p))
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


class Formula:
    """An exact quantifier-free condition: nested ``("and", parts)``, ``("or", parts)`` and
    ``("atom", polynomial, relation)`` with relation ``<=``, ``<``, ``>=`` or ``>`` (against 0)."""

    def __init__(self, tree, variables=(), architecture=None):
        self.tree, self.variables, self.architecture = tree, tuple(variables), architecture

    def evaluate(self, sub: dict, node=None) -> bool:
        node = self.tree if node is None else node
        if node is True or node is False:
            return node
        if node[0] == "atom":
            return bool(_TESTS[node[2]](sympy.sympify(node[1]).xreplace(sub)))
        results = (self.evaluate(sub, q) for q in node[1])
        return all(results) if node[0] == "and" else any(results)

    def robust(self, sub: dict, vanishing_ok=lambda p: False) -> bool:
        """True when the formula holds at ``sub`` and each atom that vanishes there passes ``vanishing_ok``
        (e.g. vanishes identically on a family of points): then it holds on a neighbourhood in that family."""
        zeros = []

        def walk(node):
            if node is True or node is False:
                return node
            if node[0] == "atom":
                v = sympy.sympify(node[1]).xreplace(sub)
                if v == 0:
                    zeros.append(node[1])
                return bool(_TESTS[node[2]](v))
            results = [walk(q) for q in node[1]]
            return all(results) if node[0] == "and" else any(results)

        return walk(self.tree) and all(vanishing_ok(p) for p in zeros)

    def holds(self, point) -> bool:
        if isinstance(point, Network):
            point = point.parameters()
        return self.evaluate(as_substitution(self.variables, point))

    def atoms(self, node=None) -> int:
        node = self.tree if node is None else node
        if node is True or node is False:
            return 0
        return 1 if node[0] == "atom" else sum(self.atoms(q) for q in node[1])

    def describe(self) -> str:
        return f"h'(x) <= 0 wherever h(x) <= 0, as a quantifier-free formula with {self.atoms()} polynomial atoms"

    def _tex(self, node, depth: int) -> str:
        if node is True or node is False:
            return r"\top" if node else r"\bot"
        if node[0] == "atom":
            return sympy.latex(node[1]) + " " + _TEX[node[2]]
        inner = [self._tex(q, depth + 1) for q in node[1]]
        joined = (r" \wedge " if node[0] == "and" else r" \vee ").join(inner)
        return joined if depth == 0 else r"\left(" + joined + r"\right)"

    def to_latex(self) -> str:
        if self.tree is True or self.tree is False or self.tree[0] != "and":
            return self._tex(self.tree, 0)
        return r" \\ & ".join(self._tex(q, 1) for q in self.tree[1])

    def to_json(self) -> dict:
        return {"type": "Formula", "statement": self.describe()}

    def __repr__(self) -> str:
        return f"Formula({self.atoms()} atoms)"


def negative_formula(R: HiddenRegion, pos, neg, U, K, W1, B1, variables) -> Formula:
    """The quantifier-free off-$P$ condition for positive slots ``pos`` and negative slots ``neg`` (lists of
    ``(slot, class)``); ``U(j)`` is $c_r^2u_j$ as a polynomial, ``K`` $= c_r^2$, ``W1``/``B1`` the first-layer
    variables. Cost: $O(2^{|pos| + |neg|})$ atoms per vertex, edge, ray and pair of negative lines of each
    polygon."""
    kappa = {"U-": 1, "U+": -1}
    R_sets = [S for k in range(len(pos) + 1) for S in itertools.combinations(pos, k)]

    def t_sets(excluded):
        rest = [t for t in neg if t[0] not in excluded]
        return [T for k in range(len(rest) + 1) for T in itertools.combinations(rest, k)]

    def sym(x):
        return x if isinstance(x, sympy.Basic) else to_sympy(x)

    def affine(Q, S, T):
        """$c_r^2 G_{S,T} = c_r^2(\\Psi_S - \\sum_T |u_t|y_t)$ on $Q$: (linear coefficients, constant)."""
        terms = [(U(j) * kappa[c], j) for j, c in S] + [(U(t) * kappa[c], t) for t, c in T]
        g = tuple(K * to_sympy(Q.H0[0][q]) + sum((f * W1[j, q] for f, j in terms), sympy.Integer(0))
                  for q in (0, 1))
        return g, K * to_sympy(Q.H0[1]) + sum((f * B1[j] for f, j in terms), sympy.Integer(0))

    def at(G, p, one=1):
        return G[0][0] * sym(p[0]) + G[0][1] * sym(p[1]) + one * G[1]

    def y(n, p, one=1):                                     # c_r^2 |u_n| y_n(p) (ray: the linear part)
        return -U(n) * kappa[dict(neg)[n]] * (W1[n, 0] * sym(p[0]) + W1[n, 1] * sym(p[1]) + one * B1[n])

    def some(Q, excluded, atom):
        """$\\bigvee_T \\bigwedge_S$ atom(G_{S,T}) over the sets $T$ of the other negative slots."""
        return _or([_and([atom(affine(Q, S, T)) for S in R_sets]) for T in t_sets(excluded)])

    clauses = []
    for Q in R.n_pieces:
        for v in Q.vertices:
            if R.h(v) != 0:                                 # on the boundary of P: Phi(v) = h(v) = 0
                clauses.append(some(Q, (), lambda G, v=v: _atom(at(G, v), "<=")))
        for d in Q.rays:
            clauses.append(some(Q, (), lambda G, d=d: _atom(at(G, d, 0), "<=")))
        bounded, unbounded = edges(Q)
        for n, _ in neg:
            for a, b in bounded:
                ya, yb = y(n, a), y(n, b)

                def cross(G, rel, a=a, b=b, ya=ya, yb=yb):
                    return _atom(yb * at(G, a) - ya * at(G, b), rel)
                clauses.append(_or([_atom(ya * yb, ">="),
                                    _and([_atom(ya, ">"), some(Q, (n,), lambda G: cross(G, ">="))]),
                                    _and([_atom(yb, ">"), some(Q, (n,), lambda G: cross(G, "<="))])]))
            for a, r in unbounded:
                ya, s = y(n, a), y(n, r, 0)

                def far(G, rel, a=a, r=r, ya=ya, s=s):
                    return _atom(s * at(G, a) - ya * at(G, r, 0), rel)
                clauses.append(_or([_atom(ya * s, ">="),
                                    _and([_atom(s, ">"), some(Q, (n,), lambda G: far(G, "<="))]),
                                    _and([_atom(s, "<"), some(Q, (n,), lambda G: far(G, ">="))])]))
            for sgn in (1, -1):
                dn = (-sgn * W1[n, 1], sgn * W1[n, 0])
                outside = [_atom(to_sympy(row[0]) * dn[0] + to_sympy(row[1]) * dn[1], "<") for row in Q.rows]
                clauses.append(_or(outside + [some(Q, (n,), lambda G, dn=dn: _atom(at(G, dn, 0), "<="))]))
        for (n, _), (m, _) in itertools.combinations(neg, 2):
            det = W1[n, 0] * W1[m, 1] - W1[n, 1] * W1[m, 0]
            qhat = (-B1[n] * W1[m, 1] + B1[m] * W1[n, 1], -W1[n, 0] * B1[m] + W1[m, 0] * B1[n])   # det * q
            outside = [_atom(det * (to_sympy(row[0]) * qhat[0] + to_sympy(row[1]) * qhat[1]
                                    + det * to_sympy(row[2])), "<") for row in Q.rows]
            inside = some(Q, (n, m), lambda G: _atom(det * (G[0][0] * qhat[0] + G[0][1] * qhat[1] + det * G[1]),
                                                     "<="))
            clauses.append(_or([_atom(det * det, "<=")] + outside + [inside]))
    return Formula(_and(clauses), variables)
