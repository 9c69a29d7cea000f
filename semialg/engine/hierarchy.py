"""The depth hierarchy: is the function of a network computed by some one-hidden-layer network?

**Criterion.** If $f(x) = c + \\sum_k a_k\\sigma(w_k\\cdot x + b_k)$ (any width), then across every hyperplane $H$
the gradient of $f$ jumps by one vector $J_H$ at *every* point of $H$ off the other kink hyperplanes ($J_H = 0$
where $H$ carries no kink). Conversely, if the kinks of a continuous piecewise-linear $f$ lie on finitely many
hyperplanes with constant jumps $J_H = \\delta_H u_H^T$, then $f - \\sum_H \\delta_H\\sigma(u_H\\cdot x + \\beta_H)$ has
no kink, so it is affine, and affine maps are one-hidden-layer ($x_j = \\sigma(x_j) - \\sigma(-x_j)$).
Grillo and Montúfar ("Most ReLU networks admit identifiable parameters") show that generically a deep network
is not shallow-representable; :func:`shallow_representation` decides it for a given network:

- ``"none"``: a :class:`BentKinkCertificate` — a hyperplane $H$ and two rational points $p, q \\in H$, each
  *clean* ($f$ is affine on both half-balls around it, checked exactly from the activation pattern and the
  one-sided gradients of the vanishing pre-activations), where the jumps differ. E.g. for
  $f = \\sigma(\\sigma(x_1) + \\sigma(x_2) - 1)$ the kink along $x_1 + x_2 = 1$ in the positive quadrant is not
  there at $(2, -1)$, where $f$ is differentiable.
- ``"found"``: the one-hidden-layer network built from the kinks found on random rational lines (exact line
  restriction) and their jumps, with a certificate of equivalence (the family registry, else the region
  oracle under the budget).
- ``"undecided"``: the budget ran out; ``tried`` says what was done.

>>> from semialg.core.network import Network
>>> f = Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]])
>>> r = shallow_representation(f)
>>> r.status, r.verify(f)
('none', True)
>>> g = Network.from_arrays([[[1], [1]], [[1, 1]], [[1]]], [[0, -1], [0], [0]])   # s(s(x) + s(x - 1))
>>> shallow_representation(g).status
'found'
"""

from __future__ import annotations

import random as _random
import time
from dataclasses import dataclass, field

from flint import fmpq

from semialg.core.certificate import EquivalenceResult, PointCertificate
from semialg.core.exact import dot, normalise_row
from semialg.core.network import Network
from semialg.core.rational_matrix import RationalMatrix
from semialg.core.result import Result
from semialg.engine import regions
from semialg.engine.line import restrict
from semialg.errors import CertificateError, check_budget
from semialg.families.base import NotDefined, registered

__all__ = ["shallow_representation", "ShallowRepresentation", "BentKinkCertificate", "one_sided_linear_parts",
           "kink_normal", "line_kinks"]

_ZERO, _ONE = fmpq(0), fmpq(1)
Vec = tuple[fmpq, ...]


# -- exact local structure at a point ------------------------------------------------------------------

# The last network's transposes, found by identity: hashing a wide network costs more than a point's linear parts.
_LAST: list = [None, ()]


def _transposes(net: Network) -> tuple[RationalMatrix, ...]:
    """$W_l^T$ for every layer, kept for the last network: their integer forms are built once, not per point."""
    if _LAST[0] is not net:
        _LAST[:] = [net, tuple(W.T for W in net.weights)]
    return _LAST[1]


def _pull_back(net: Network, R: list[Vec], l: int, on: list[list[bool]]) -> list[Vec]:
    r"""$R\,D_{l-1}W_{l-1}\cdots D_1W_1$ for rows $R$ over the inputs of layer ``l`` ($D_j$ the diagonal 0/1 mask
    ``on[j - 1]``): the linear parts, in $x$, of those rows' pre-activations on a region. Multiplied from the left,
    one integer product per layer with as many columns as $R$ has rows: $O(r\dim\Omega)$ for $r$ rows, where forming
    the Jacobian of every neuron (from the identity) costs $O(n^2 m)$ per layer (a 784-4096-1-10 network: 17 s per
    point)."""
    T = _transposes(net)
    for j in range(l - 1, 0, -1):
        R = T[j - 1].matvecs([tuple(x if on_k else _ZERO for x, on_k in zip(r, on[j - 1], strict=True)) for r in R])
    return R


def _rows_of(net: Network, l: int, idx: list[int]) -> list[Vec]:
    """The rows ``idx`` of $W_l$, read through $W_l^T$ (the rational rows of a wide layer are never built)."""
    n = net.widths[l]
    return _transposes(net)[l - 1].matvecs([tuple(_ONE if k == i else _ZERO for k in range(n)) for i in idx])


def kink_normal(net: Network, p) -> Vec | None:
    """A normal vector of the kink of ``net`` through ``p``: the gradient of the first hidden pre-activation
    that vanishes at ``p`` without vanishing identically nearby; ``None`` when there is none ($f$ is affine
    near ``p``). Cost: one evaluation, and $O(r\\dim\\Omega)$ for the $r$ vanishing pre-activations
    (:func:`_pull_back`)."""
    pre = net.preactivations(p)
    on: list[list[bool]] = []
    for l in range(1, net.depth):
        zero = [i for i, z in enumerate(pre[l - 1]) if z == 0]
        g = next((g for g in _pull_back(net, _rows_of(net, l, zero), l, on) if any(g)), None) if zero else None
        if g is not None:
            return g
        on.append([z > 0 for z in pre[l - 1]])
    return None


def one_sided_linear_parts(net: Network, p, u) -> tuple[tuple[Vec, ...], tuple[Vec, ...]] | None:
    """The linear parts of $f$ on the two half-balls $\\{\\pm u\\cdot(x - p) > 0\\}$ around ``p``, or ``None`` when
    $f$ is not affine on each of them (another kink passes through ``p``).

    Induction over the layers: on each half-ball the earlier layers are affine, so a pre-activation that
    vanishes at ``p`` is $g\\cdot(x - p)$ there; it is off if $g = 0$, has the sign of $\\alpha s$ on the side
    $s$ if $g = \\alpha u$, and changes sign inside the half-ball otherwise. Exact; cost one evaluation and
    $O((r + k)\\dim\\Omega)$ per side for $r$ vanishing pre-activations and $k$ outputs (:func:`_pull_back`).

    >>> f = Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]])
    >>> one_sided_linear_parts(f, [fmpq(1, 2), fmpq(1, 2)], (1, 1))
    (((1, 1),), ((0, 0),))
    """
    pre = net.preactivations(p)
    u = tuple(fmpq(x) for x in u)
    j0 = next(j for j, x in enumerate(u) if x)
    out = []
    for s in (1, -1):
        on: list[list[bool]] = []
        for l in range(1, net.depth):
            mask = [z > 0 for z in pre[l - 1]]
            zero = [i for i, z in enumerate(pre[l - 1]) if z == 0]
            G = _pull_back(net, _rows_of(net, l, zero), l, on) if zero else []
            for g, i in zip(G, zero, strict=True):
                alpha = g[j0] / u[j0]
                if any(gj != alpha * uj for gj, uj in zip(g, u, strict=True)):
                    return None
                mask[i] = alpha * s > 0
            on.append(mask)
        out.append(tuple(_pull_back(net, _rows_of(net, net.depth, list(range(net.widths[-1]))), net.depth, on)))
    return out[0], out[1]


def _jump(net: Network, p, u) -> tuple[Vec, ...] | None:
    sides = one_sided_linear_parts(net, p, u)
    if sides is None:
        return None
    return tuple(tuple(a - b for a, b in zip(r1, r2, strict=True)) for r1, r2 in zip(*sides))


def line_kinks(net: Network, p, d) -> list[fmpq]:
    """The parameters $t$ at which $t \\mapsto f(p + t d)$ is not differentiable, exactly: the breakpoints of the
    exact line restriction (:func:`semialg.engine.line.restrict`) where the slopes on the two sides differ (a
    breakpoint of a hidden neuron may leave $f$ straight). Cost: that of the restriction, proportional to the
    number of regions the line crosses, not to the number of regions.

    >>> line_kinks(Network.from_arrays([[[1], [1]], [[1, -1]]], [[0, -1], [0]]), [0], [1])
    [0, 1]
    """
    r = restrict(net, p, d)
    return [t for t, (_, left), (_, right) in zip(r.breakpoints, r.pieces[:-1], r.pieces[1:], strict=True)
            if left != right]


# -- certificates and the result ------------------------------------------------------------------------

@dataclass(frozen=True)
class BentKinkCertificate(Result):
    """Two clean points $p, q$ of the hyperplane $\\{u\\cdot x + \\beta = 0\\}$ where the gradient jumps of $f$
    across it differ: no one-hidden-layer network computes $f$.

    ``verify(net)`` checks $u\\cdot p + \\beta = u\\cdot q + \\beta = 0$, recomputes both jumps exactly with
    :func:`one_sided_linear_parts` (which also checks that the points are clean) and compares them."""

    normal: Vec
    offset: fmpq
    p: Vec
    q: Vec
    jump_p: tuple[Vec, ...]
    jump_q: tuple[Vec, ...]

    def verify(self, net: Network) -> bool:
        for x in (self.p, self.q):
            if dot(self.normal, x) + self.offset != 0:
                raise CertificateError(f"{[str(v) for v in x]} is not on the hyperplane")
        jp, jq = _jump(net, self.p, self.normal), _jump(net, self.q, self.normal)
        if jp is None or jq is None:
            raise CertificateError("a point of the certificate lies on another kink")
        if jp != self.jump_p or jq != self.jump_q or jp == jq:
            raise CertificateError("the gradient jumps at the two points are equal (or not as recorded)")
        return True

    def describe(self) -> str:
        h = " + ".join(f"{c}*x{j + 1}" for j, c in enumerate(self.normal) if c) + f" + {self.offset} = 0"
        return (f"on the hyperplane {h} the gradient jumps by {[[str(v) for v in r] for r in self.jump_p]} at "
                f"{[str(v) for v in self.p]} but by {[[str(v) for v in r] for r in self.jump_q]} at "
                f"{[str(v) for v in self.q]}: the kink is bent, so no one-hidden-layer network computes f")


@dataclass(frozen=True)
class ShallowRepresentation(Result):
    """Whether the function of a network is computed by a one-hidden-layer network.

    ``status``: ``"found"`` (``network`` computes the same function; ``certificate`` is the
    :class:`~semialg.core.certificate.EquivalenceResult`), ``"none"`` (``certificate`` is a
    :class:`BentKinkCertificate`) or ``"undecided"`` (``tried``). ``bool(r)`` is true exactly when found.
    """

    status: str
    network: Network | None = field(default=None, repr=False)
    certificate: object = None
    tried: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.status == "found"

    def verify(self, net: Network) -> bool:
        """Re-check either answer exactly; raise :class:`CertificateError` when it does not hold or is undecided."""
        if self.status == "found":
            if self.network is None or self.network.depth != 2:
                raise CertificateError("the representation is not a one-hidden-layer network")
            if not isinstance(self.certificate, EquivalenceResult) or self.certificate.equivalent is not True:
                raise CertificateError("no certificate of equivalence")
            if self.certificate.domain is not None:
                raise CertificateError("the equivalence is certified on a bounded domain, not everywhere")
            return self.certificate.verify(net, self.network)
        if self.status == "none":
            if not isinstance(self.certificate, BentKinkCertificate):
                raise CertificateError(f"a {type(self.certificate).__name__} is not a bent-kink certificate")
            return self.certificate.verify(net)
        raise CertificateError("undecided: " + "; ".join(self.tried))

    def explain(self) -> str:
        if self.status == "found":
            head = (f"Found: a one-hidden-layer network of width {self.network.widths[1]} computes f "
                    f"({self.certificate.method}).")
        elif self.status == "none":
            head = "None: " + self.certificate.describe() + "."
        else:
            head = "Undecided: the budget ran out."
        return "\n".join([head] + [f"  [tried] {t}" for t in self.tried])

    def describe(self) -> str:
        return self.explain().splitlines()[0]

    def to_json(self) -> dict:
        net = self.network
        return {"type": "ShallowRepresentation", "status": self.status,
                "network": None if net is None else {
                    "widths": list(net.widths), "weights": [[[str(x) for x in r] for r in W] for W in net.weights],
                    "biases": [[str(x) for x in b] for b in net.biases]},
                "certificate": None if self.certificate is None else self.certificate.to_json(),
                "tried": list(self.tried)}


# -- the decision ---------------------------------------------------------------------------------------

def _equivalent(net1: Network, net2: Network, deadline: float) -> EquivalenceResult:
    """Equivalence by the first registered family that answers for the pair, else the region oracle."""
    for family in registered():
        if family.applies_to_pair(net1, net2):
            try:
                return family.equivalent(net1, net2, budget=max(deadline - time.monotonic(), 1.0))
            except NotDefined:
                continue
    return regions.equivalent(net1, net2, deadline=deadline).bind(net1, net2)


def _rational(rng: _random.Random, m: int, height: int = 50) -> Vec:
    return tuple(fmpq(rng.randint(-height, height), rng.randint(1, 7)) for _ in range(m))


def _in_plane(rng: _random.Random, u: Vec) -> Vec:
    """A random rational vector orthogonal to ``u``."""
    r = _rational(rng, len(u))
    t = dot(u, r) / dot(u, u)
    return tuple(a - t * b for a, b in zip(r, u, strict=True))


def _build(hyperplanes: dict, net: Network, rng: _random.Random) -> Network:
    """The one-hidden-layer network $\\sum_H \\delta_H\\sigma(u_H x + \\beta_H) + Ax + c$ matching ``net`` at a point."""
    m, k = net.architecture.input_dim, net.architecture.output_dim
    while True:
        p0 = _rational(rng, m)
        if kink_normal(net, p0) is None and all(dot(u, p0) + beta for u, beta, _ in hyperplanes.values()):
            break
    lin = one_sided_linear_parts(net, p0, (_ONE,) * m)[0]
    A = [list(r) for r in lin]
    c = list(net(p0))
    rows, biases, cols = [], [], []
    for u, beta, delta in hyperplanes.values():
        z = dot(u, p0) + beta
        for o in range(k):
            if z > 0:
                for j in range(m):
                    A[o][j] -= delta[o] * u[j]
            c[o] -= delta[o] * max(z, _ZERO)
        rows.append(u)
        biases.append(beta)
        cols.append(delta)
    for o in range(k):
        c[o] -= dot(A[o], p0)
    for j in range(m):
        if any(A[o][j] for o in range(k)):
            e = tuple(_ONE if i == j else _ZERO for i in range(m))
            rows += [e, tuple(-x for x in e)]
            biases += [_ZERO, _ZERO]
            cols += [tuple(A[o][j] for o in range(k)), tuple(-A[o][j] for o in range(k))]
    if not rows:
        rows, biases, cols = [(_ZERO,) * m], [_ZERO], [(_ZERO,) * k]
    W2 = [[col[o] for col in cols] for o in range(k)]
    return Network.from_arrays([rows, W2], [biases, c])


def shallow_representation(net: Network, budget: float = 10.0, lines: int = 3, seed: int = 0,
                           progress: bool = False) -> ShallowRepresentation:
    """A one-hidden-layer network computing the function of ``net`` (verified), a certificate that none exists,
    or ``"undecided"`` after ``budget`` seconds.

    Kinks are found exactly on ``lines`` random rational lines per round (:func:`line_kinks`); at each clean
    kink point the hyperplane $H$ and the jump are read off (:func:`one_sided_linear_parts`) and compared
    with the jumps at other rational points of $H$, near and far; two different jumps give ``"none"``.
    Otherwise the candidate built from the hyperplanes found is checked for equivalence; a separating point
    seeds the next round's lines. Cost per line: proportional to the pieces it crosses, and per kink point
    $O((r + k)\\dim\\Omega)$ (:func:`one_sided_linear_parts`; 784-4096-1-10: a decision in 2 s); the budget is
    checked before every kink point (a line's restriction and one point's parts run to their end). The equivalence check is that of the
    family, or the region oracle (exponential in the worst case) within the budget.
    """
    budget = check_budget(budget, seconds=True)
    deadline = time.monotonic() + budget
    tried: list[str] = []
    if net.depth == 2:
        return ShallowRepresentation("found", net, _equivalent(net, net, deadline), ("the network is shallow",))
    from tqdm.auto import tqdm
    with tqdm(desc="kink search", unit="round", disable=not progress) as bar:
        return _search(net, deadline, lines, _random.Random(seed), tried, bar)


def _search(net: Network, deadline: float, lines: int, rng: _random.Random, tried: list, bar) -> ShallowRepresentation:
    m = net.architecture.input_dim
    hyperplanes: dict = {}
    centres = [_rational(rng, m) for _ in range(lines)]
    rounds = 0
    while time.monotonic() < deadline:
        rounds += 1
        bar.update()
        for centre in centres:
            d = _rational(rng, m)
            for t in line_kinks(net, centre, d):
                if time.monotonic() > deadline:     # a wide layer puts thousands of kinks on each line
                    tried.append(f"round {rounds}: stopped at the budget among the kinks of the random lines, "
                                 f"{len(hyperplanes)} kink hyperplanes with constant jumps so far")
                    return ShallowRepresentation("undecided", tried=tuple(tried))
                p = tuple(a + t * b for a, b in zip(centre, d, strict=True))
                u = kink_normal(net, p)
                jp = _jump(net, p, u) if u is not None else None
                if jp is None:
                    continue
                key, scale, sign = normalise_row(u + (-dot(u, p),))
                un, beta = key[:-1], key[-1]
                j0 = next(j for j, x in enumerate(un) if x)
                delta = tuple(sign * r[j0] / un[j0] for r in jp)
                jn = tuple(tuple(x * sign for x in r) for r in jp)        # the jump across H oriented by un
                known = hyperplanes.get(key)
                if known is not None and known[3] != p and known[2] != delta:
                    cert = BentKinkCertificate(un, beta, known[3], p, tuple(tuple(x * y for y in un) for x in known[2]),
                                               jn)
                    return ShallowRepresentation("none", certificate=cert, tried=tuple(tried))
                for s in (1, -1, 3, -3, 50, -50, 10 ** 4, -10 ** 4):
                    if m == 1:
                        break
                    q = tuple(a + s * b for a, b in zip(p, _in_plane(rng, un), strict=True))
                    jq = _jump(net, q, un)
                    if jq is not None and jq != jn:
                        return ShallowRepresentation("none", certificate=BentKinkCertificate(un, beta, p, q, jn, jq),
                                                     tried=tuple(tried))
                if known is None:
                    hyperplanes[key] = (un, beta, delta, p)
        tried.append(f"round {rounds}: {len(centres)} random lines, {len(hyperplanes)} kink hyperplanes with "
                     "constant jumps at the points tried")
        candidate = _build({k: v[:3] for k, v in hyperplanes.items()}, net, rng)
        result = _equivalent(net, candidate, deadline)
        if result.equivalent:
            tried.append(f"the candidate of width {candidate.widths[1]} is equivalent ({result.method})")
            return ShallowRepresentation("found", candidate, result, tuple(tried))
        if result.equivalent is None:
            tried.append("the equivalence check ran out of budget")
            break
        x0 = result.certificate.point if isinstance(result.certificate, PointCertificate) else _rational(rng, m)
        tried.append(f"the candidate differs at {[str(v) for v in x0]}")
        centres = [x0] * lines
    return ShallowRepresentation("undecided", tried=tuple(tried))
