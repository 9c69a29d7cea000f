r"""The off-$P$ condition of a hidden-neuron fibre component with one negative slot, quantifier-free.

For a component whose hidden slots have output weights $u_p > 0$ ($p \in \mathrm{pos}$) and one $u_n < 0$, with
$y_j = \kappa_j\ell'_j$, $\Psi = H_0 + \sum_{\mathrm{pos}} u_p\sigma(y_p)$ is convex on every polygon $Q$ of
$\overline N$ and $\Phi = \Psi - |u_n|\sigma(y_n)$ is convex on each side of the negative slot's line. So
$\Phi \le 0$ on $Q$ iff it holds at (1) the vertices of $Q$, (2)-(3) the points where that line crosses an edge
of $Q$, and along (4) the rays of $Q$ and (5) the line's own directions when they lie in the recession cone of
$Q$ — the positive slots' lines never carry a maximum (their kinks are convex). With
$\Psi_R = H_0 + \sum_{p\in R}u_py_p$ ($\Psi \le c$ iff $\Psi_R \le c$ for every $R \subseteq \mathrm{pos}$):

1. $\bigwedge_R \Psi_R(v) \le 0 \ \vee\ \bigwedge_R \Psi_R(v) - |u_n|y_n(v) \le 0$;
2. edge $[a, b]$: $y_n(a)y_n(b) \ge 0 \ \vee\ (y_n(a) > 0 \wedge \bigwedge_R N_R \ge 0) \ \vee\
   (y_n(b) > 0 \wedge \bigwedge_R N_R \le 0)$, $N_R = y_n(b)\Psi_R(a) - y_n(a)\Psi_R(b)$ (the crossing point
   $q$ has $\Psi_R(q) = N_R / (y_n(b) - y_n(a))$);
3. edge $a + tr$, $s = \kappa_nw'_n\cdot r$: $y_n(a)s \ge 0 \ \vee\ (s > 0 \wedge \bigwedge_R M_R \le 0) \ \vee\
   (s < 0 \wedge \bigwedge_R M_R \ge 0)$, $M_R = s\Psi_R(a) - y_n(a)\Psi_R'(r)$, $\Psi'_R$ the linear part;
4. ray $d$: $\bigwedge_R \Psi_R'(d) \le 0 \ \vee\ \bigwedge_R \Psi'_R(d) - |u_n|\kappa_nw'_n\cdot d \le 0$;
5. $\pm d_n = \pm(-w'_{n,2}, w'_{n,1})$: some row of $Q$ negative at it, or $\bigwedge_R \Psi'_R(\pm d_n) \le 0$.

Every quantity is multiplied by a positive factor ($c_r^2$, $|u_n|$) to make it a polynomial in $\theta'$.

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

__all__ = ["Formula", "one_negative_formula"]

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


def one_negative_formula(R: HiddenRegion, pos, neg, U, K, W1, B1, variables) -> Formula:
    """The quantifier-free off-$P$ condition for positive slots ``pos`` and one negative slot ``neg``
    (``(slot, class)`` pairs); ``U(j)`` is $c_r^2u_j$ as a polynomial, ``K`` $= c_r^2$, ``W1``/``B1`` the
    first-layer variables. Cost: $O(2^{|pos|})$ atoms per vertex, edge and ray of each polygon."""
    kappa = {"U-": 1, "U+": -1}
    n, kn = neg[0], kappa[neg[1]]

    def ell(j, p, one=1):
        return W1[j, 0] * to_sympy(p[0]) + W1[j, 1] * to_sympy(p[1]) + one * B1[j]

    subsets = [S for k in range(len(pos) + 1) for S in itertools.combinations(pos, k)]

    def psi(S, p, H0):
        return K * to_sympy(H0) + sum((U(j) * kappa[c] * ell(j, p) for j, c in S), sympy.Integer(0))

    def psi_lin(S, d, L):
        d = tuple(x if isinstance(x, sympy.Basic) else to_sympy(x) for x in d)
        return K * (to_sympy(L[0]) * d[0] + to_sympy(L[1]) * d[1]) + sum(
            (U(j) * kappa[c] * (W1[j, 0] * d[0] + W1[j, 1] * d[1]) for j, c in S), sympy.Integer(0))

    def y(p, one=1):
        return -U(n) * kn * ell(n, p, one)                 # c_r^2 |u_n| y_n(p) (ray: the linear part)

    clauses = []
    for Q in R.n_pieces:
        for v in Q.vertices:
            if R.h(v) == 0:
                continue                                    # on the boundary of P: Phi(v) = h(v) = 0
            H0 = R.H0(v)
            clauses.append(_or([_and([_atom(psi(S, v, H0), "<=") for S in subsets]),
                                _and([_atom(psi(S, v, H0) - y(v), "<=") for S in subsets])]))
        bounded, unbounded = edges(Q)
        for a, b in bounded:
            ya, yb = y(a), y(b)
            N = [yb * psi(S, a, R.H0(a)) - ya * psi(S, b, R.H0(b)) for S in subsets]
            clauses.append(_or([_atom(ya * yb, ">="),
                                _and([_atom(ya, ">")] + [_atom(x, ">=") for x in N]),
                                _and([_atom(yb, ">")] + [_atom(x, "<=") for x in N])]))
        for a, r in unbounded:
            ya, s = y(a), y(r, 0)
            M = [s * psi(S, a, R.H0(a)) - ya * psi_lin(S, r, Q.H0[0]) for S in subsets]
            clauses.append(_or([_atom(ya * s, ">="),
                                _and([_atom(s, ">")] + [_atom(x, "<=") for x in M]),
                                _and([_atom(s, "<")] + [_atom(x, ">=") for x in M])]))
        for d in Q.rays:
            clauses.append(_or([_and([_atom(psi_lin(S, d, Q.H0[0]), "<=") for S in subsets]),
                                _and([_atom(psi_lin(S, d, Q.H0[0]) - y(d, 0), "<=") for S in subsets])]))
        for sgn in (1, -1):
            dn = (-sgn * W1[n, 1], sgn * W1[n, 0])
            outside = [_atom(to_sympy(row[0]) * dn[0] + to_sympy(row[1]) * dn[1], "<") for row in Q.rows]
            clauses.append(_or(outside + [_and([_atom(psi_lin(S, dn, Q.H0[0]), "<=") for S in subsets])]))
    return Formula(_and(clauses), variables)
