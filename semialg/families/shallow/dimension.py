"""The functional dimension of a shallow network in closed form."""

from __future__ import annotations

from flint import fmpq

from semialg.core.exact import nullspace, rank, row_basis
from semialg.core.network import Network
from semialg.families.shallow.view import ZERO, ShallowView, Vec, neuron_lines

__all__ = ["shallow_functional_dimension"]


def _intersection(U: list[Vec], V: list[Vec]) -> list[Vec]:
    r"""A spanning set of $\operatorname{span} U \cap \operatorname{span} V$ (bases given)."""
    if not U or not V:
        return []
    k = len(U[0])
    M = [[u[r] for u in U] + [-v[r] for v in V] for r in range(k)]
    return [tuple(sum((c * u[r] for c, u in zip(z[:len(U)], U, strict=True)), ZERO) for r in range(k)) for z in nullspace(M)]


def shallow_functional_dimension(net: Network) -> int:
    r"""The functional dimension of a shallow network in closed form.

    **Proposition.** Group the neurons with $w_i \ne 0$ by unoriented hyperplane $H = \{u_H\cdot x +
    \beta_H = 0\}$; let $A_H^{\pm}$ be the spans of the output vectors $a_i$ of the neurons of $H$ oriented
    $\pm$, $A_H = A_H^+ + A_H^-$, $r_H = \dim A_H$. Then
    $$\dim_{\mathrm{fun}} = \sum_H (k + m\,r_H) + \dim\Big(e_{m+1}\otimes\mathbb{R}^k + \sum_{H:\,A^\pm_H \text{ both used}}
    \big((u_H, \beta_H)\otimes\mathbb{R}^k + \mathbb{R}^{m+1}\otimes(A_H^+\cap A_H^-)\big)
    + \sum_{w_i = 0,\ b_i > 0}\mathbb{R}^{m+1}\otimes a_i\Big).$$
    *Proof sketch.* The derivatives of $f_\theta$ in $\theta$ are $\sigma(\pm\ell_H)e_o$ and
    $\mathbf 1[\pm\ell_H > 0](x, 1)\otimes a_i$; writing $\mathbf 1[-\ell > 0] = 1 - \mathbf 1[\ell > 0]$ and
    $\sigma(-\ell) = \sigma(\ell) - \ell$, the function space is $\bigoplus_H \mathbf 1_{H^+}\cdot(\text{affine})
    \oplus \text{affine}$, and the summands for distinct $H$ are independent. Per $H$ the span has
    dimension $k + (m+1)r_H - r_H$; the affine functions it contains are the second summand.
    For generic $\theta$ this is $n(m + k) + k = \dim\Omega - n$. Neurons with $w_i = 0 = b_i$ are
    non-smooth points and are counted with the neuron off, as :func:`semialg.engine.functional_dimension.functional_dimension` does.
    The affine summand is $V\otimes\mathbb{R}^k + \mathbb{R}^{m+1}\otimes B$ with $V$ spanned by $e_{m+1}$ and those
    $(u_H, \beta_H)$, $B$ by those $A_H^+\cap A_H^-$ and $a_i$; as $V\otimes\mathbb{R}^k \cap \mathbb{R}^{m+1}\otimes B
    = V\otimes B$, its dimension is $k\dim V + (m+1)\dim B - \dim V\dim B$: two small ranks, not one of
    vectors of length $(m+1)k$.
    Cost: $O(n(m+k)\log n)$ for the grouping, plus ranks of at most $n + 1$ vectors of length $m + 1$ and of
    vectors of length $k$ when hyperplanes carry opposite neurons; $O(n(m+k))$ in the generic case.

    >>> shallow_functional_dimension(Network.from_arrays([[[1], [2]], [[1, 1]]], [[0, 0], [0]]))  # twins
    3
    """
    v = ShallowView.of(net)
    m, k = net.architecture.input_dim, len(v.c)
    lines = neuron_lines(v)
    groups: dict = {}
    # the affine summand is V (x) R^k + R^{m+1} (x) B; only spanning sets of V and B are kept
    V: list[Vec] = [tuple(fmpq(int(j == m)) for j in range(m + 1))]
    B: list[Vec] = []
    for i, (h, sign) in enumerate(zip(lines.line, lines.sign, strict=True)):
        if h < 0:
            if v.b[i] > 0 and any(v.a[i]):
                B.append(v.a[i])
            continue
        entry = groups.setdefault(h, ({1: [], -1: []}, set()))
        entry[1].add(sign)
        if any(v.a[i]):
            entry[0][sign].append(v.a[i])
    total = 0
    for h, (sides, signs) in groups.items():
        if len(signs) == 1 and len(sides[1]) + len(sides[-1]) <= 1:
            total += k + m * (len(sides[1]) + len(sides[-1]))  # the generic case: no Gaussian elimination
            continue
        pos, neg = row_basis(sides[1]), row_basis(sides[-1])
        total += k + m * len(row_basis(pos + neg))
        if len(signs) == 2:
            V.append(lines.key(h))
            B.extend(_intersection(pos, neg))
    dim_v, dim_b = rank(V), rank(B)
    return total + dim_v * k + (m + 1) * dim_b - dim_v * dim_b


