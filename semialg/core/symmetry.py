"""The symmetry group $G = \\prod_{\\text{hidden layers}} (S_{n_l} \\ltimes \\mathbb{R}_{>0}^{n_l})$.

An element $h = (\\pi, \\lambda)$ of one factor acts on hidden layer $l$ by
$h_l \\mapsto \\Lambda P h_l$ with $(Ph)_i = h_{\\pi(i)}$ and $\\Lambda = \\mathrm{diag}(\\lambda)$: in the
shallow notation $w'_i = \\lambda_i w_{\\pi(i)}$, $b'_i = \\lambda_i b_{\\pi(i)}$, $a'_i = a_{\\pi(i)}/\\lambda_i$.
Positive homogeneity of ReLU makes $f_{g\\cdot\\theta} = f_\\theta$ for every $g \\in G$.

Permutations are 0-based tuples: ``perm[i]`` is $\\pi(i)$.

>>> from semialg.core.network import Network, Architecture
>>> net = Network.random(Architecture(2, 3, 1), seed=0)
>>> g = GroupElement.random(net.architecture, seed=1)
>>> x = [1, -2]
>>> g.act(net)(x) == net(x)
True
>>> (g * g.inverse()).is_identity
True
"""

from __future__ import annotations

import math
import random as _random
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from flint import fmpq

from semialg.core.rational_matrix import RationalMatrix
from semialg.core.result import Latexable
from semialg.errors import ParameterError, ShapeError
from semialg.core.exact import to_vector
from semialg.core.network import REPR_LIMIT, Architecture, Network

__all__ = ["GroupElement", "StabilizerGroup", "rescaling_ranks", "rescaling_rank"]


def rescaling_ranks(net: Network) -> list[int]:
    r"""Per hidden layer, the number of its neurons with a non-zero parameter (incoming weight, bias or outgoing
    weight): the dimension of the span of their rescaling fields
    $\frac{d}{dt}\big|_{t=1}(tw_i, tb_i, a_i/t) = (w_i, b_i, -a_i)$, tangent to the $G$-orbit of ``net``.

    Each field is in the kernel of the parameter Jacobian at every input where the network is differentiable in its
    parameters. They are linearly independent unless some neurons with a non-zero parameter have a pre-activation
    that vanishes identically (a combination $\sum\lambda_iF_i = 0$ has $\lambda$ constant along the non-zero
    weights between hidden neurons and $\lambda_i = 0$ at a neuron with a non-zero bias, input or output weight; a
    set of neurons touching none of those receives only zeros): then they are independent wherever a batch of
    inputs has no hidden pre-activation equal to $0$. Cost: $O(\dim\Omega)$ zero tests.

    >>> from semialg.core.network import Network
    >>> rescaling_ranks(Network.from_arrays([[[1], [0]], [[2, 0]]], [[0, 0], [1]]))    # the second neuron: all 0
    [1]
    """
    ranks = []
    for l in range(net.depth - 1):
        used = (net.weights[l].nonzero_rows() | net.weights[l + 1].nonzero_columns()).tolist()
        ranks.append(sum(1 for u, b in zip(used, net.biases[l], strict=True) if u or b))
    return ranks


def rescaling_rank(net: Network, frozen: Sequence[int] = ()) -> int:
    r"""The rank at ``net`` of the gradients of the quantities of
    :func:`~semialg.engine.conservation.conserved_quantities`,
    $\nabla(\|\text{in}_i\|^2 - \|\text{out}_i\|^2) = 2(\theta_{\text{in}_i}, -\theta_{\text{out}_i})$ for the hidden
    neurons $i$, together with the unit vectors of the ``frozen`` flat parameter indices.

    A combination $\sum_i \lambda_i \nabla Q_i$ has coefficient $2\theta_k(\lambda_i - \lambda_j)$ on a weight
    $\theta_k$ from hidden neuron $j$ to $i$, $2\theta_k\lambda_i$ on a weight from an input or into an output and
    on a bias: outside the frozen coordinates it vanishes iff $\lambda$ is constant on the components of the graph
    of hidden neurons joined by their non-zero weights, and 0 on those with an *anchor* (a non-zero bias, input or
    output weight). So the rank is $|F|$ plus the number of hidden neurons minus the components without an anchor,
    with every frozen coordinate counted as 0. Cost: $O(\dim\Omega)$ zero tests and one connected-components pass
    (784-4096-10: 0.05 s; the sparse elimination of the $n$ gradients built as rationals took 2 s).

    >>> rescaling_rank(Network.from_arrays([[[1], [0]], [[1, 0]]], [[0, 0], [0]]))   # neuron 2: zero gradient
    1
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    arch = net.architecture
    fixed = np.zeros(arch.num_parameters, dtype=bool)
    fixed[list(frozen)] = True
    hidden = arch.widths[1:-1]
    first = np.concatenate([[0], np.cumsum(hidden)]).astype(np.int64)   # the graph's index of each layer's neuron 0
    anchored = np.zeros(int(first[-1]), dtype=bool)
    if not len(anchored):
        return int(fixed.sum())
    edges: list[tuple[np.ndarray, np.ndarray]] = []
    start = 0
    for l, (W, b) in enumerate(zip(net.weights, net.biases, strict=True), start=1):
        r, c = W.shape
        live_W = W.nonzero() & ~fixed[start:start + r * c].reshape(r, c)
        live_b = np.array([x != 0 for x in b], dtype=bool) & ~fixed[start + r * c:start + r * c + r]
        start += r * c + r
        if l < arch.depth:                  # layer l holds hidden neurons: their biases, and inputs at l = 1
            anchored[first[l - 1]:first[l]] |= live_b | (live_W.any(axis=1) if l == 1 else False)
        if l == arch.depth:                 # the output weights
            anchored[first[l - 2]:first[l - 1]] |= live_W.any(axis=0)
        elif l > 1:                         # weights between hidden layers l - 1 and l
            i, j = np.nonzero(live_W)
            edges.append((first[l - 1] + i, first[l - 2] + j))
    n = len(anchored)
    rows = np.concatenate([e[0] for e in edges]) if edges else np.zeros(0, dtype=np.int64)
    cols = np.concatenate([e[1] for e in edges]) if edges else np.zeros(0, dtype=np.int64)
    count, labels = connected_components(coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)),
                                         directed=False)
    free = count - len(np.unique(labels[anchored]))
    return int(fixed.sum()) + n - free


def _check_perm(p: Sequence[int], n: int, where: str) -> tuple[int, ...]:
    """``p`` as a tuple of ints if it is a permutation of $0..n-1$; entries must be integers (``int`` or a numpy
    integer: ``0.5``, ``1.0`` and ``"1"`` are refused, never truncated or parsed)."""
    if isinstance(p, (str, bytes)) or not isinstance(p, Sequence | np.ndarray):
        raise ParameterError(f"{where} must be a sequence of integers, got {type(p).__name__}")
    for i in p:
        if isinstance(i, bool) or not isinstance(i, int | np.integer):
            raise ParameterError(f"{where} must hold integers, got {i!r} ({type(i).__name__})")
    p = tuple(int(i) for i in p)
    if sorted(p) != list(range(n)):
        raise ParameterError(f"{where} must be a permutation of 0..{n - 1}, got {p}")
    return p


@dataclass(frozen=True, init=False)
class GroupElement(Latexable):
    """An element of $G$: one permutation and one vector of positive rational scales per hidden layer."""

    permutations: tuple[tuple[int, ...], ...]
    scales: tuple[tuple[fmpq, ...], ...]

    def __init__(self, permutations: Sequence[Sequence[int]], scales: Sequence[Sequence]):
        if len(permutations) != len(scales):
            raise ShapeError(f"{len(permutations)} permutations but {len(scales)} scale vectors")
        perms, lams = [], []
        for l, (p, s) in enumerate(zip(permutations, scales, strict=True), start=1):
            perms.append(_check_perm(p, len(p), f"permutation of hidden layer {l}"))
            lam = to_vector(s, len(p), where=f"scales of hidden layer {l}")
            if any(x <= 0 for x in lam):
                raise ParameterError(f"scales of hidden layer {l} must be positive, got "
                                     f"{[str(x) for x in lam]}")
            lams.append(lam)
        object.__setattr__(self, "permutations", tuple(perms))
        object.__setattr__(self, "scales", tuple(lams))

    @classmethod
    def identity(cls, arch: Architecture | Sequence[int]) -> "GroupElement":
        """The identity of $G$ for an architecture (or a tuple of hidden widths)."""
        widths = arch.hidden_widths if isinstance(arch, Architecture) else tuple(arch)
        return cls([range(n) for n in widths], [[1] * n for n in widths])

    @classmethod
    def random(cls, arch: Architecture, seed: int | None = None, height: int = 5) -> "GroupElement":
        """A uniformly random permutation and scales $p/q$ with $1 \\le p, q \\le$ ``height`` per hidden layer."""
        rng = _random.Random(seed)
        perms, scales = [], []
        for n in arch.hidden_widths:
            p = list(range(n))
            rng.shuffle(p)
            perms.append(p)
            scales.append([fmpq(rng.randint(1, height), rng.randint(1, height)) for _ in range(n)])
        return cls(perms, scales)

    @property
    def hidden_widths(self) -> tuple[int, ...]:
        return tuple(len(p) for p in self.permutations)

    @property
    def is_identity(self) -> bool:
        return all(p == tuple(range(len(p))) and all(x == 1 for x in s)
                   for p, s in zip(self.permutations, self.scales, strict=True))

    def check(self) -> "GroupElement":
        """Re-check what ``__init__`` checked (the fields of a frozen dataclass can still be overwritten): one
        permutation of $0..n-1$ and $n$ positive rationals per hidden layer; raises :class:`ParameterError`.
        Cost: $O(\\sum_l n_l \\log n_l)$."""
        if not isinstance(self.permutations, tuple) or not isinstance(self.scales, tuple) or \
                len(self.permutations) != len(self.scales):
            raise ParameterError("a group element needs as many permutations as scale vectors")
        for l, (p, s) in enumerate(zip(self.permutations, self.scales, strict=True), start=1):
            if not all(type(i) is int for i in p) or sorted(p) != list(range(len(p))):
                raise ParameterError(f"the permutation of hidden layer {l} is not a permutation: {p!r}")
            if len(s) != len(p) or not all(isinstance(x, fmpq) and x > 0 for x in s):
                raise ParameterError(f"the scales of hidden layer {l} are not {len(p)} positive rationals")
        return self

    def _check(self, widths: tuple[int, ...]) -> None:
        self.check()
        if self.hidden_widths != widths:
            raise ShapeError(f"group element for hidden widths {self.hidden_widths} cannot act on "
                             f"hidden widths {widths}")

    def act(self, net: Network) -> Network:
        """$g \\cdot \\theta$: $W'_l = \\Lambda_l P_l W_l (\\Lambda_{l-1} P_{l-1})^{-1}$, $b'_l = \\Lambda_l P_l b_l$.

        Cost: $O(\\dim\\Omega)$ rational operations, or vectorised integer operations on weights in integer
        form (:func:`_scaled`).
        """
        self._check(net.architecture.hidden_widths)
        L = net.depth
        ident = tuple(range(net.architecture.input_dim))
        prev_perm, prev_inv_scale = ident, (fmpq(1),) * len(ident)
        Ws, bs = [], []
        for l, (W, b) in enumerate(net.layers()):
            if l < L - 1:
                perm, lam = self.permutations[l], self.scales[l]
            else:
                perm, lam = tuple(range(len(W))), (fmpq(1),) * len(W)
            Ws.append(_scaled(W, perm, lam, prev_perm, prev_inv_scale))
            bs.append(tuple(lam[i] * b[perm[i]] for i in range(len(W))))
            prev_perm, prev_inv_scale = perm, tuple(1 / x for x in lam)
        return Network(tuple(Ws), tuple(bs))

    def __call__(self, net: Network) -> Network:
        return self.act(net)

    def __mul__(self, other: "GroupElement") -> "GroupElement":
        """Composition: ``(g * h).act(net) == g.act(h.act(net))``.

        With $g = (\\pi, \\lambda)$, $h = (\\rho, \\mu)$: $(gh) = (\\rho\\circ\\pi,\\ i \\mapsto \\lambda_i \\mu_{\\pi(i)})$.
        """
        if not isinstance(other, GroupElement):
            return NotImplemented
        self._check(other.hidden_widths)
        perms, scales = [], []
        for p, lam, r, mu in zip(self.permutations, self.scales, other.permutations, other.scales, strict=True):
            perms.append([r[p[i]] for i in range(len(p))])
            scales.append([lam[i] * mu[p[i]] for i in range(len(p))])
        return GroupElement(perms, scales)

    def inverse(self) -> "GroupElement":
        """$g^{-1} = (\\pi^{-1},\\ j \\mapsto 1/\\lambda_{\\pi^{-1}(j)})$."""
        perms, scales = [], []
        for p, lam in zip(self.permutations, self.scales, strict=True):
            inv = [0] * len(p)
            for i, pi in enumerate(p):
                inv[pi] = i
            perms.append(inv)
            scales.append([1 / lam[inv[j]] for j in range(len(p))])
        return GroupElement(perms, scales)

    def __pow__(self, k: int) -> "GroupElement":
        base = self if k >= 0 else self.inverse()
        out = GroupElement.identity(self.hidden_widths)
        for _ in range(abs(k)):
            out = out * base
        return out

    def __repr__(self) -> str:
        """Every entry up to :data:`~semialg.core.network.REPR_LIMIT` hidden neurons; beyond, the first entries of
        each layer and ``...``, as for networks (a move certificate at 784-4096-10 printed 8,192 numbers)."""
        full = sum(map(len, self.permutations)) <= REPR_LIMIT

        def cut(xs) -> str:
            return ", ".join([str(x) for x in xs] if full or len(xs) <= 6 else [str(x) for x in xs[:6]] + ["..."])

        layers = "; ".join(f"pi{l}=[{cut(p)}], lambda{l}=[{cut(s)}]"
                           for l, (p, s) in enumerate(zip(self.permutations, self.scales, strict=True), start=1))
        return f"GroupElement({layers})"

    def to_json(self) -> dict:
        """Plain JSON-ready dict (rationals as strings)."""
        return {"permutations": [list(p) for p in self.permutations],
                "scales": [[str(x) for x in s] for s in self.scales]}


def _scaled(W: RationalMatrix, perm, lam, cols, col_scale) -> RationalMatrix:
    """$\\mathrm{diag}(\\lambda) W[\\pi, c]\\,\\mathrm{diag}(\\nu)$: on the ``int64`` integer form $N/d$ it is
    $(\\alpha_i \\beta_j N_{\\pi_i c_j}) / (d\\,Q\\,S)$ with $\\lambda_i = \\alpha_i / Q$, $\\nu_j = \\beta_j / S$ over
    common denominators $Q$, $S$ (vectorised when it stays below $2^{62}$); otherwise entry by entry."""
    if W.has_integer_form and W.numerators.dtype != object:
        Q = math.lcm(*(int(x.q) for x in lam))
        S = math.lcm(*(int(x.q) for x in col_scale))
        alpha = [int(x.p) * (Q // int(x.q)) for x in lam]
        beta = [int(x.p) * (S // int(x.q)) for x in col_scale]
        N = W.numerators  # int64 entries are below 2^62 in magnitude (RationalMatrix's canonical form)
        top_a, top_b = max(map(abs, alpha), default=0), max(map(abs, beta), default=0)
        top_n = max(int(N.max(initial=0)), -int(N.min(initial=0)))
        if top_a < 2 ** 62 and top_b < 2 ** 62 and top_n * top_a * top_b < 2 ** 62:
            M = N[np.asarray(perm, dtype=np.intp)][:, np.asarray(cols, dtype=np.intp)]
            M = M * np.array(alpha, dtype=np.int64)[:, None] * np.array(beta, dtype=np.int64)[None, :]
            return RationalMatrix.from_integers(M, W.denominator * Q * S)
    rows = W.rows
    if all(x == 1 for x in col_scale):    # the first layer: columns are inputs, neither moved nor scaled
        same = list(cols) == list(range(len(cols)))
        picked = (rows[p] if same else tuple(rows[p][c] for c in cols) for p in perm)
        return RationalMatrix.from_rows(tuple(tuple(l * x for x in r) for l, r in zip(lam, picked, strict=True)))
    return RationalMatrix.from_rows(tuple(tuple(lam[i] * rows[perm[i]][c] * s for c, s in zip(cols, col_scale))
                                          for i in range(len(perm))))


class StabilizerGroup(Latexable):
    r"""What every stabilizer $\mathrm{Stab}(\theta) = \{g \in G : g\cdot\theta = \theta\}$ answers, whatever
    its family computes: triviality and exact membership. A subclass (a frozen dataclass) has the field ``network``
    ($\theta$) and the properties ``order_of_finite_part`` and ``dimension``.

    >>> import semialg
    >>> S = semialg.stabilizer(Network.from_arrays([[[1], [2]], [[1, "1/2"]]], [[1, 2], [0]]))   # one neuron, twice
    >>> S.is_trivial, S.contains(GroupElement([(1, 0)], [["1/2", 2]]))
    (False, True)
    """

    @property
    def is_trivial(self) -> bool:
        r"""Whether $\mathrm{Stab}(\theta) = \{1\}$: a trivial finite part and no free scale."""
        return self.order_of_finite_part == 1 and self.dimension == 0

    def contains(self, g: GroupElement) -> bool:
        r"""Whether $g\cdot\theta = \theta$, exactly. Cost: one action and one exact comparison, $O(D)$."""
        return g.act(self.network) == self.network
