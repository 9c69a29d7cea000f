"""Identifiability of a given parameter: is the fibre $\\{\\theta' : f_{\\theta'} = f_\\theta\\}$ exactly $G\\cdot\\theta$?

Grillo and Montúfar ("Most ReLU networks admit identifiable parameters") prove that every architecture with
input and hidden widths $\\ge 2$ has an open set of identifiable parameters; Phuong and Lampert ("Functional
vs. parametric equivalence of ReLU networks", ICLR 2020) construct identifiable parameters for non-increasing
widths. For a *given* parameter :func:`identifiable` answers with exactly one of three statuses:

- ``"not identifiable"`` — a **witness** $\\theta'$ in the same architecture, obtained from $\\theta$ by one
  function-preserving :class:`WitnessMove` whose exact precondition is re-checked, and outside $G\\cdot\\theta$
  by the exhaustive exact orbit search of :func:`semialg.engine.orbit.orbit_element`. The moves (valid at any
  depth, each a short computation with $\\sigma(z) = \\sigma(-z) + z$ and $\\sigma(\\lambda z) = \\lambda\\sigma(z)$):
  a dead neuron's row reassigned; a constant neuron's bias refolded into the next bias; one of two positive
  twins emptied into the other; a 0-factor flip (Grigsby, Lindsey, Rolnick, "Hidden symmetries of ReLU
  networks", ICML 2023); output weights traded along opposite pairs whose rows are linearly dependent; a
  "phantom" opposite pair (computing a linear function) translated; an opposite pair's second neuron relocated
  to a parallel hyperplane; a weight hidden where the neuron is off, or the bias of an always-active neuron
  (both decided on the regions of the earlier layers); for one hidden layer, a narrower network (the
  family's minimal form) padded with zero neurons. A family's explicit fibre
  (:meth:`~semialg.families.base.Family.fibre`) supplies further candidates (its ``sample``).
- ``"identifiable"`` — a **proof**: a list of conditions, each re-checkable exactly, that together imply
  identifiability by a theorem. Proven today: a one-hidden-layer parameter outside every degeneracy locus
  (no dead neuron, pairwise independent rows $(w_i, b_i)$, no 0-factor set) has fibre $G\\cdot\\theta$ — the
  classification theorem of shallow networks (:mod:`semialg.engine.loci`).
- ``"unknown"`` — what was checked. For deeper networks the strongest statement proven is **local
  identifiability**: if the exact Jacobian of $\\theta \\mapsto (f_\\theta(x))_{x \\in X}$ at finitely many
  inputs $X$ where no hidden pre-activation vanishes has rank $\\dim\\Omega - \\#\\text{hidden}$, then by the
  constant rank theorem (the rank cannot exceed that bound and is lower semicontinuous) some neighbourhood
  $U$ of $\\theta$ has fibre $\\cap\\, U = G\\cdot\\theta \\cap U$ (Bona-Pellissier, Bachoc and Malgouyres,
  "Parameter identifiability of a deep feedforward ReLU neural network", 2023, for the local statement).

A deficient rank is *not* a proof of non-identifiability: $|x| = \\sigma(x) + \\sigma(-x)$ in the
architecture 1-2-1 has functional dimension $4 < 7 - 2$, yet its fibre is its $G$-orbit (the classification
theorem: the only kink, at 0, and the linear part force both neurons).

>>> from semialg.core.network import Network
>>> identifiable(Network.random((2, 3, 1), seed=0)).status
'identifiable'
>>> r = identifiable(Network.from_arrays([[[1, 0], [0, 1]], [[1, 0]]], [[0, 0], [0]]))   # dead neuron
>>> r.status, r.move.kind, r.verify(Network.from_arrays([[[1, 0], [0, 1]], [[1, 0]]], [[0, 0], [0]]))
('not identifiable', 'dead row', True)
"""

from __future__ import annotations

import random as _random
import time
from dataclasses import dataclass, field

from flint import fmpq

from semialg.core.exact import modular_rank, nullspace, normalise_row, rank_one_independent
from semialg.core.network import Network
from semialg.core.result import Result
from semialg.engine.loci import SHALLOW_SCOPE, UndecidedError, genericity
from semialg.engine.orbit import orbit_element
from semialg.engine.regions import decisive_batch, equivalent as oracle, parameter_jacobian, regions
from semialg.geometry.polyhedron import decide
from semialg.errors import CertificateError, SemialgError
from semialg.families.base import NotDefined, families_for
from semialg.geometry.zero_sum import find_zero_sum_set

__all__ = ["identifiable", "IdentifiabilityResult", "WitnessMove", "ProofStep", "LocalRankCertificate",
           "witness_moves", "image_moves"]

_ZERO, _ONE = fmpq(0), fmpq(1)
STATUSES = ("identifiable", "not identifiable", "unknown")
#: Largest number of parameters for which the exact Jacobian rank is attempted (a cost guard).
MAX_JACOBIAN = 3000


# -- neurons ------------------------------------------------------------------------------------------

def _row(net: Network, l: int, i: int) -> tuple:
    """$(W_l[i,:], b_l[i])$ of neuron ``i`` (0-based) of hidden layer ``l`` (1-based)."""
    return tuple(net.weights[l - 1][i]) + (net.biases[l - 1][i],)


def _col(net: Network, l: int, i: int) -> tuple:
    """$W_{l+1}[:, i]$, the outgoing weights of neuron ``i`` of hidden layer ``l``."""
    return tuple(r[i] for r in net.weights[l])


def _edit(net: Network, l: int, rows: dict, cols: dict, next_bias_shift=None) -> Network:
    """``net`` with some rows of layer ``l``, columns of $W_{l+1}$ and a shift of $b_{l+1}$ replaced."""
    W = [list(r) for r in net.weights[l - 1]]
    b = list(net.biases[l - 1])
    for i, r in rows.items():
        W[i], b[i] = list(r[:-1]), r[-1]
    C = [list(r) for r in net.weights[l]]
    for i, c in cols.items():
        for o, v in enumerate(c):
            C[o][i] = v
    nb = list(net.biases[l])
    if next_bias_shift is not None:
        nb = [x + s for x, s in zip(nb, next_bias_shift, strict=True)]
    return net.replace_layer(l, W, b).replace_layer(l + 1, C, nb)


# -- witness moves ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WitnessMove(Result):
    """A move that keeps the function and the architecture, with an exact precondition.

    ``kind`` is one of ``"dead row"``, ``"constant refold"``, ``"twin shift"``, ``"flip"``,
    ``"opposite trade"``, ``"phantom shift"``, ``"pair relocation"``, ``"hidden weight"``, ``"always active"``, ``"family fibre"``, ``"narrower network"``; ``layer`` is the hidden layer (1-based),
    ``neurons`` the neurons involved (0-based), ``data`` the move's numbers. ``apply(net)`` re-checks the
    precondition exactly (raising :class:`CertificateError` when it fails) and returns the moved network.
    ``"family fibre"`` and ``"narrower network"`` moves carry the target network itself (a member of the
    family's explicit fibre; the family's minimal form padded with zero neurons);
    the preconditions of ``"hidden weight"`` (on the image of the earlier layers, neuron $i$ of layer
    $l$ is off wherever neuron $j$ of layer $l - 1$ is on) and ``"always active"`` ($z_{l,i} \\ge 0$ on that
    image) need the regions, so the result's ``verify``
    re-checks those witnesses with the region oracle instead.
    """

    kind: str
    layer: int
    neurons: tuple[int, ...]
    data: tuple = ()
    target: Network | None = field(default=None, repr=False)

    def apply(self, net: Network) -> Network:
        l, N = self.layer, self.neurons
        if self.target is not None:
            return self.target
        if self.kind == "hidden weight":
            i, j = N
            W = [list(r) for r in net.weights[l - 1]]
            W[i][j] -= 1
            return net.replace_layer(l, W)
        if self.kind == "always active":
            (i,) = N
            row = _row(net, l, i)
            return _edit(net, l, {i: row[:-1] + (row[-1] + 1,)}, {}, tuple(-x for x in _col(net, l, i)))
        if self.kind == "dead row":
            (i,) = N
            if any(_col(net, l, i)):
                raise CertificateError(f"neuron {i} of layer {l} has non-zero outgoing weights")
            row = _row(net, l, i)
            new = tuple(_ZERO for _ in row) if any(row) else row[:-1] + (_ONE,)
            return _edit(net, l, {i: new}, {})
        if self.kind == "constant refold":
            (i,) = N
            row, c = _row(net, l, i), _col(net, l, i)
            if any(row[:-1]):
                raise CertificateError(f"neuron {i} of layer {l} has non-zero incoming weights")
            b = row[-1]
            b2 = -_ONE if b > 0 else _ONE
            shift = tuple(x * (max(b, _ZERO) - max(b2, _ZERO)) for x in c)
            return _edit(net, l, {i: row[:-1] + (b2,)}, {}, shift)
        if self.kind == "twin shift":
            i, j = N
            (mu,) = self.data
            if mu <= 0 or tuple(mu * x for x in _row(net, l, i)) != _row(net, l, j):
                raise CertificateError(f"row {j} of layer {l} is not {mu} times row {i} with {mu} > 0")
            ci, cj = _col(net, l, i), _col(net, l, j)
            return _edit(net, l, {}, {i: tuple(x + mu * y for x, y in zip(ci, cj)), j: tuple(_ZERO for _ in cj)})
        if self.kind == "flip":
            n_prev = len(net.weights[l - 1][0])
            for o in range(len(net.weights[l])):
                for k in range(n_prev):
                    if sum((net.weights[l][o][i] * net.weights[l - 1][i][k] for i in N), _ZERO):
                        raise CertificateError(f"sum over S = {list(N)} of W_{l + 1}[:, i] W_{l}[i, :] is not 0")
            shift = tuple(sum((net.weights[l][o][i] * net.biases[l - 1][i] for i in N), _ZERO)
                          for o in range(len(net.weights[l])))
            return _edit(net, l, {i: tuple(-x for x in _row(net, l, i)) for i in N}, {}, shift)
        if self.kind == "pair relocation":
            i, j, q = N
            mu, nu = self.data
            if mu <= 0 or tuple(-mu * x for x in _row(net, l, i)) != _row(net, l, j):
                raise CertificateError(f"row {j} of layer {l} is not -{mu} times row {i} with {mu} > 0")
            if not nu or tuple(nu * x for x in net.weights[l - 1][i]) != tuple(net.weights[l - 1][q]):
                raise CertificateError(f"the weights of neuron {q} are not {nu} times those of neuron {i}")
            ci, cj, cq = _col(net, l, i), _col(net, l, j), _col(net, l, q)
            bi, bq = net.biases[l - 1][i], net.biases[l - 1][q]
            cj2 = tuple(mu * x / nu for x in cj)
            # before: -mu c_j z_i (linear part of the pair); after: -c_j' z_q, equal up to a constant
            shift = tuple(-mu * x * bi + y * bq for x, y in zip(cj, cj2))
            rq = _row(net, l, q)
            return _edit(net, l, {j: tuple(-x for x in rq)},
                         {i: tuple(x + mu * y for x, y in zip(ci, cj)), j: cj2,
                          q: tuple(x - y for x, y in zip(cq, cj2))}, shift)
        if self.kind in ("opposite trade", "phantom shift"):
            pairs = [(N[2 * p], N[2 * p + 1]) for p in range(len(N) // 2)]
            mus = self.data[0]
            for (i, j), mu in zip(pairs, mus, strict=True):
                if mu <= 0 or tuple(-mu * x for x in _row(net, l, i)) != _row(net, l, j):
                    raise CertificateError(f"row {j} of layer {l} is not -{mu} times row {i} with {mu} > 0")
            k = len(net.weights[l])
            if self.kind == "phantom shift":
                (i, j), mu = pairs[0], mus[0]
                ci, cj = _col(net, l, i), _col(net, l, j)
                if any(x + mu * y for x, y in zip(ci, cj)):
                    raise CertificateError(f"neurons {i}, {j} of layer {l} do not compute a linear function")
                ri, rj = _row(net, l, i), _row(net, l, j)
                return _edit(net, l, {i: ri[:-1] + (ri[-1] + 1,), j: rj[:-1] + (rj[-1] - mu,)}, {},
                             tuple(-x for x in ci))
            y, e = self.data[1], self.data[2]
            n_prev = len(net.weights[l - 1][0])
            if not any(y) or any(sum((yp * net.weights[l - 1][i][q] for yp, (i, _) in zip(y, pairs)), _ZERO)
                                 for q in range(n_prev)):
                raise CertificateError("the coefficients are not a non-zero relation of the pairs' weight rows")
            cols = {}
            for (i, j), mu, yp in zip(pairs, mus, y, strict=True):
                cols[i] = tuple(x + yp * eo for x, eo in zip(_col(net, l, i), e))
                cols[j] = tuple(x - yp / mu * eo for x, eo in zip(_col(net, l, j), e))
            const = sum((yp * net.biases[l - 1][i] for yp, (i, _) in zip(y, pairs)), _ZERO)
            return _edit(net, l, {}, cols, tuple(-const * eo for eo in e[:k]))
        raise CertificateError(f"unknown move {self.kind!r}")

    def describe(self) -> str:
        where = f"hidden layer {self.layer}, neurons {list(self.neurons)} (0-based)"
        return {
            "dead row": f"{where}: the neuron has zero outgoing weights, so its incoming row is free",
            "constant refold": f"{where}: the neuron has zero incoming weights; its bias is changed and "
                               "the next bias compensates",
            "twin shift": f"{where}: positive twins (row j = {self.data[0] if self.data else '?'} row i); "
                          "the second's outgoing weights move to the first",
            "flip": f"{where}: sum of W_next[:, i] W[i, :] over S is 0, so negating the rows of S changes the "
                    "next pre-activation by a constant (0-factor flip)",
            "opposite trade": f"{where}: opposite pairs whose weight rows are linearly dependent trade "
                              "outgoing weights (sigma(z) - sigma(-z) = z)",
            "phantom shift": f"{where}: an opposite pair computing a linear function is translated",
            "pair relocation": f"{where}: the second neuron of the opposite pair (i, j) moves opposite to neuron q "
                               "on a parallel hyperplane; the linear parts agree up to a constant",
            "family fibre": "a member of the family's explicit fibre",
            "narrower network": "a narrower network computes the same function (the family's minimal form, "
                                f"width {self.data[1] if len(self.data) > 1 else '?'}), padded with zero neurons",
            "always active": f"{where}: the neuron is never negative on the image of the earlier layers, so "
                             "sigma(z) = z there: its bias rises and the next bias compensates",
            "hidden weight": f"{where}: neuron i of layer {self.layer} is never active where neuron j of layer "
                             f"{self.layer - 1} is, so lowering W_{self.layer}[i, j] changes nothing",
        }.get(self.kind, self.kind)


def _pairs(net: Network, l: int):
    """Neurons of layer ``l`` grouped by the hyperplane of their row: (positive twins, opposite pairs)."""
    seen: dict = {}
    twins, opposite = [], []
    for j in range(len(net.weights[l - 1])):
        row = _row(net, l, j)
        if not any(row[:-1]):
            continue
        key, scale, sign = normalise_row(row)
        for i, s_i, sg_i in seen.get(key, ()):
            mu = (scale * sign) / (s_i * sg_i)
            (twins if mu > 0 else opposite).append((i, j, abs(mu)))
        seen.setdefault(key, []).append((j, scale, sign))
    return twins, opposite


def witness_moves(net: Network, budget: int = 2 ** 16):
    """Candidate witness moves at ``net``, cheapest first (a generator; each still to be checked against the
    orbit). Cost: $O(\\dim\\Omega)$ per layer for the structural moves, an exact kernel for the trades, and the
    exact 0-factor search of :func:`semialg.geometry.zero_sum.find_zero_sum_set` (``budget``) per layer."""
    L = net.depth
    for l in range(1, L):
        for i in range(len(net.weights[l - 1])):
            if not any(_col(net, l, i)):
                yield WitnessMove("dead row", l, (i,))
            elif not any(net.weights[l - 1][i]):
                yield WitnessMove("constant refold", l, (i,))
    for l in range(1, L):
        twins, opposite = _pairs(net, l)
        for i, j, mu in twins:
            yield WitnessMove("twin shift", l, (i, j), (mu,))
        for i, j, mu in opposite:
            if not any(x + mu * y for x, y in zip(_col(net, l, i), _col(net, l, j))):
                yield WitnessMove("phantom shift", l, (i, j), ((mu,),))
        paired = {x for i, j, _ in opposite for x in (i, j)}
        for i, j, mu in opposite:
            for q in range(len(net.weights[l - 1])):
                wi, wq = net.weights[l - 1][i], net.weights[l - 1][q]
                if q in paired or not any(wq):
                    continue
                k0 = next(t for t, x in enumerate(wi) if x)
                nu = wq[k0] / wi[k0]
                if nu and tuple(nu * x for x in wi) == tuple(wq):
                    yield WitnessMove("pair relocation", l, (i, j, q), (mu, nu))
        if len(opposite) >= 2:
            rows = [net.weights[l - 1][i] for i, _, _ in opposite]
            for y in nullspace([[r[q] for r in rows] for q in range(len(rows[0]))]):
                k = len(net.weights[l])
                e = (_ONE,) + (_ZERO,) * (k - 1)
                N = tuple(x for i, j, _ in opposite for x in (i, j))
                yield WitnessMove("opposite trade", l, N, (tuple(mu for _, _, mu in opposite), tuple(y), e))
    for l in range(1, L):
        n = len(net.weights[l - 1])
        a = [tuple(r[i] for r in net.weights[l]) for i in range(n)]
        if n <= len(a[0]) * len(net.weights[l - 1][0]) and rank_one_independent(a, net.weights[l - 1], seed=0):
            continue  # the products a_i w_i^T are independent: no subset sums to zero
        vectors = [tuple(net.weights[l][o][i] * x for o in range(len(net.weights[l])) for x in net.weights[l - 1][i])
                   for i in range(n)]
        decision = find_zero_sum_set(vectors, budget)
        if decision.status == "found":
            yield WitnessMove("flip", l, tuple(decision.witness))


def image_moves(net: Network, max_neurons: int = 16, max_input: int = 4):
    """Moves that need the image of the earlier layers ($l \\ge 2$): pairs $(i, j)$ with $z_{l,i} \\le 0$
    wherever $h_{l-1,j} > 0$ (then $W_l[i, j]$ can be lowered), and neurons with $z_{l,i} \\ge 0$ everywhere
    (then $\\sigma(z_{l,i}) = z_{l,i}$ and the bias can rise, the next bias compensating).

    Decided exactly on the linear regions of layers $1, \\dots, l-1$ (strict-feasibility LPs per region and
    neuron), only when those layers have at most ``max_neurons`` neurons and the input dimension is at most
    ``max_input`` (region enumeration is exponential). Cost: $O(R\\,n_l)$ exact LPs for $R$ regions.
    """
    d = net.architecture.input_dim
    for l in range(2, net.depth):
        if sum(net.widths[1:l]) > max_neurons or d > max_input:
            return  # the size guard of _small, per truncated network
        regs = regions(Network(net.weights[:l], net.biases[:l]))
        for i in range(len(net.weights[l - 1])):
            seen: set = set()
            negative = False
            for R in regs:
                G, h = [g for g, _ in R.inequalities], [c for _, c in R.inequalities]
                if decide(G + [R.linear[i]], h + [R.offset[i]], d):
                    seen |= {j for j, s in enumerate(R.pattern[-1]) if s > 0}
                negative = negative or bool(decide(G + [tuple(-x for x in R.linear[i])], h + [-R.offset[i]], d))
            if not negative and any(_col(net, l, i)):
                yield WitnessMove("always active", l, (i,))
            for j in range(len(net.weights[l - 2])):
                if j not in seen:
                    yield WitnessMove("hidden weight", l, (i, j))


# -- proofs -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LocalRankCertificate(Result):
    """Local identifiability: at the rational inputs ``points`` no hidden pre-activation vanishes and the
    exact Jacobian of $\\theta \\mapsto (f_\\theta(x))_{x}$ has rank $\\dim\\Omega - \\#\\text{hidden}$.

    ``verify(net)`` re-evaluates every pattern exactly, rebuilds the Jacobian, checks that every hidden
    neuron has a non-zero parameter (so the rescaling fields bound the rank by $\\dim\\Omega - \\#\\text{hidden}$)
    and that the rank modulo a prime (a lower bound on the rational rank) reaches that bound."""

    points: tuple[tuple[fmpq, ...], ...]
    rank: int

    def verify(self, net: Network) -> bool:
        arch = net.architecture
        target = arch.num_parameters - arch.num_hidden
        rows = []
        for x in self.points:
            pattern = net.activation_pattern(x)
            if any(0 in layer for layer in pattern):
                raise CertificateError(f"a hidden pre-activation vanishes at {[str(v) for v in x]}")
            rows.extend(parameter_jacobian(net, x, pattern))
        for l in range(1, net.depth):
            if any(not any(_row(net, l, i)) and not any(_col(net, l, i)) for i in range(net.widths[l])):
                raise CertificateError(f"hidden layer {l} has a zero neuron: the rank bound does not apply")
        got = modular_rank(rows) if rows else 0
        if got != self.rank or got != target:
            raise CertificateError(f"the Jacobian has rank {got}, not dim Omega - #hidden = {target}")
        return True

    def describe(self) -> str:
        return (f"the exact Jacobian at {len(self.points)} inputs (no hidden pre-activation zero) has rank "
                f"{self.rank} = dim Omega - #hidden (reached modulo a prime, the rescalings bound it above): "
                "near the parameter the fibre is the G-orbit")


@dataclass(frozen=True)
class ProofStep(Result):
    """One condition that holds at the parameter, with the evidence ``verify(net)`` re-checks exactly."""

    name: str
    statement: str
    evidence: object = field(default=None, repr=False)

    def verify(self, net: Network) -> bool:
        return self.evidence.verify(net)

    def describe(self) -> str:
        return f"{self.name}: {self.statement}"

    def to_json(self) -> dict:
        return {"type": "ProofStep", "name": self.name, "statement": self.statement}


@dataclass(frozen=True)
class _Theorem:
    """A theorem's hypothesis on the architecture, re-checked by ``verify``."""

    depth: int

    def verify(self, net: Network) -> bool:
        if net.depth != self.depth:
            raise CertificateError(f"the theorem is about depth {self.depth}, the network has depth {net.depth}")
        return True


@dataclass(frozen=True)
class IdentifiabilityResult(Result):
    """Whether the fibre of a parameter is its $G$-orbit.

    ``status`` is ``"identifiable"`` (``proof`` lists the conditions that imply it), ``"not identifiable"``
    (``witness`` is an equivalent network outside the orbit, reached by ``move``) or ``"unknown"`` (``proof``
    lists what does hold, e.g. local identifiability; ``checked`` what was tried). ``bool(r)`` is true only
    for a proven ``"identifiable"``. ``verify(net)`` re-checks the proof steps, or the witness (the move's
    precondition, equal outputs at rational points, and the exhaustive orbit search).
    """

    status: str
    proof: tuple[ProofStep, ...] = ()
    witness: Network | None = field(default=None, repr=False)
    move: WitnessMove | None = None
    checked: tuple[str, ...] = ()
    locally_identifiable: bool | None = None

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")

    def __bool__(self) -> bool:
        return self.status == "identifiable"

    def verify(self, net: Network) -> bool:
        """Re-check the answer exactly; raise :class:`CertificateError` when it does not hold (or is unknown)."""
        if self.status == "not identifiable":
            if self.witness is None or self.witness.widths != net.widths:
                raise CertificateError("the witness is missing or has another architecture")
            if self.move.target is None and self.move.apply(net) != self.witness:
                raise CertificateError("the move does not lead from the network to the witness")
            rng = _random.Random(0)
            for _ in range(8):
                x = [fmpq(rng.randint(-50, 50), rng.randint(1, 9)) for _ in range(net.architecture.input_dim)]
                if net(x) != self.witness(x):
                    raise CertificateError(f"the witness differs from the network at {[str(v) for v in x]}")
            if self.move.kind in ("family fibre", "hidden weight", "always active", "narrower network"):
                if not oracle(net, self.witness):
                    raise CertificateError("the family's fibre member is not equivalent to the network")
            if orbit_element(net, self.witness) is not None:
                raise CertificateError("the witness lies in the G-orbit of the network")
            return True
        if self.status == "unknown":
            for step in self.proof:
                step.verify(net)
            raise CertificateError("identifiability is unknown; only the listed partial conditions were proven")
        if not self.proof:
            raise CertificateError("no proof")
        return all(step.verify(net) for step in self.proof)

    def explain(self) -> str:
        head = {"identifiable": "Identifiable: the fibre is exactly the G-orbit.",
                "not identifiable": "Not identifiable: an equivalent parameter lies outside the G-orbit.",
                "unknown": "Unknown: neither a proof nor a witness was found."}[self.status]
        lines = [head]
        if self.move is not None:
            lines.append(f"  witness by {self.move.kind}: {self.move.describe()}")
        lines += [f"  [proven] {s.describe()}" for s in self.proof]
        lines += [f"  [checked] {c}" for c in self.checked]
        return "\n".join(lines)

    def describe(self) -> str:
        return self.explain().splitlines()[0]

    def to_json(self) -> dict:
        return {"type": "IdentifiabilityResult", "status": self.status,
                "proof": [s.to_json() for s in self.proof],
                "witness": None if self.witness is None else {
                    "widths": list(self.witness.widths),
                    "weights": [[[str(x) for x in r] for r in W] for W in self.witness.weights],
                    "biases": [[str(x) for x in b] for b in self.witness.biases]},
                "move": None if self.move is None else {"kind": self.move.kind, "layer": self.move.layer,
                                                        "neurons": list(self.move.neurons)},
                "checked": list(self.checked), "locally_identifiable": self.locally_identifiable}


# -- the decision -------------------------------------------------------------------------------------

def _outside_orbit(net: Network, other: Network, checked: list) -> bool:
    try:
        return orbit_element(net, other) is None
    except UndecidedError as e:
        checked.append(f"orbit search undecided: {e}")
        return False


def _family_witness(net: Network, checked: list, samples: int = 4) -> tuple[Network, WitnessMove] | None:
    """A member of a family's explicit fibre outside the orbit, when a family knows the fibre is bigger."""
    for family in families_for(net):
        try:
            dim = family.fibre_dimension(net)
            if dim <= net.architecture.num_hidden:
                return None
            fib = family.fibre(net)
        except NotDefined:
            continue
        except Exception as e:  # noqa: BLE001 - a family may refuse this parameter's type
            checked.append(f"{family.name} fibre: {type(e).__name__}: {e}")
            continue
        checked.append(f"{family.name} family: fibre dimension {dim} > {net.architecture.num_hidden} = dim G")
        for seed in range(samples):
            try:
                other = fib.sample(seed=seed)
            except Exception as e:  # noqa: BLE001 - sampling is only a source of candidates
                checked.append(f"{family.name} fibre sample failed: {e}")
                break
            if _outside_orbit(net, other, checked):
                return other, WitnessMove("family fibre", 0, (), (family.name, seed), other)
    return None


def _narrower_witness(net: Network, checked: list) -> tuple[Network, WitnessMove] | None:
    """A one-hidden-layer network of smaller width computing $f_\\theta$ (the family's minimal form), padded
    with zero neurons to the width of ``net``: a parameter with zero neurons, so outside the orbit of a
    parameter without them."""
    for family in families_for(net):
        try:
            small = family.minimal_width_network(net)
        except NotDefined:
            continue
        except SemialgError as e:
            checked.append(f"{family.name} minimal width: {e}")
            continue
        n, extra = net.widths[1], net.widths[1] - small.widths[1]
        if small.depth != 2 or extra <= 0:
            checked.append(f"{family.name}: width {n} is the minimal width found")
            return None
        (W1, b1), (W2, b2) = small.layers()
        m, k = small.widths[0], small.widths[2]
        padded = Network.from_arrays([list(W1) + [[_ZERO] * m] * extra, [list(r) + [_ZERO] * extra for r in W2]],
                                     [list(b1) + [_ZERO] * extra, list(b2)])
        if _outside_orbit(net, padded, checked):
            return padded, WitnessMove("narrower network", 1, (), (family.name, small.widths[1]), padded)
    return None


def _local_rank(net: Network, deadline: float, checked: list, seed: int = 0,
                progress: bool = False) -> LocalRankCertificate | None:
    """Rational inputs with no vanishing hidden pre-activation whose Jacobian reaches $\\dim\\Omega - n$."""
    from tqdm.auto import tqdm
    arch = net.architecture
    target = arch.num_parameters - arch.num_hidden
    rows: list = []
    points: list = []
    with tqdm(total=target, desc="Jacobian rank", unit="dim", disable=not progress) as bar:
        found = _grow_rank(net, deadline, _random_inputs(net, _random.Random(seed)), rows, points, target, bar)
        if found is None and _small(net):
            # random inputs miss small regions: add d + 1 points in every region (the decisive batch)
            found = _grow_rank(net, deadline, (x for x, _ in decisive_batch(net)), rows, points, target, bar,
                               patience=None)
    if found is not None:
        return found
    checked.append(f"Jacobian rank {modular_rank(rows) if rows else 0} (mod p) < dim Omega - #hidden = {target} "
                   f"at {len(points)} inputs before the budget or the patience ran out (not a proof either way)")
    return None


def _small(net: Network) -> bool:
    """Whether the regions of ``net`` are cheap enough to enumerate here (a size guard, not a decision)."""
    return sum(net.widths[1:-1]) <= 16 and net.widths[0] <= 4


def _random_inputs(net: Network, rng: _random.Random):
    """Random rational inputs at growing scales (to reach the unbounded regions far out)."""
    scale = 1
    while True:
        yield tuple(fmpq(rng.randint(-100 * scale, 100 * scale), rng.randint(1, 20)) for _ in range(net.widths[0]))
        if rng.random() < 0.02:
            scale = scale * 4 if scale < 2 ** 20 else 1


def _grow_rank(net, deadline, source, rows, points, target, bar, patience: int | None = 8) -> LocalRankCertificate | None:
    """Add the Jacobian rows of inputs from ``source`` in batches until the rank modulo $p$ reaches ``target``;
    stop after ``patience`` batches without progress (a heuristic stop: it proves nothing)."""
    k = net.architecture.output_dim
    batch = max(4, target // (4 * k))
    value = modular_rank(rows) if rows else 0
    stall = 0
    while time.monotonic() < deadline and (patience is None or stall < patience):
        added = 0
        for x in source:
            pattern = net.activation_pattern(x)
            if any(0 in layer for layer in pattern):
                continue
            rows.extend(parameter_jacobian(net, x, pattern))
            points.append(x)
            added += 1
            if added == batch or time.monotonic() > deadline:
                break
        if not added:
            return None
        r = modular_rank(rows)
        bar.update(r - value)
        stall = 0 if r > value else stall + 1
        value = r
        if value == target:
            return LocalRankCertificate(tuple(points), value)
    return None


def identifiable(net: Network, budget: float = 10.0, zero_sum_budget: int = 2 ** 16,
                 progress: bool = False) -> IdentifiabilityResult:
    """Decide whether the fibre of ``net`` is exactly its $G$-orbit: a proof, a witness, or ``"unknown"``.

    Order: (1) the witness moves of :func:`witness_moves` (each checked against the orbit, exactly);
    (2) one hidden layer: the genericity conditions of :func:`semialg.engine.loci.genericity`, which by the
    classification theorem prove identifiability when all hold; (3) a family's explicit fibre when its
    dimension exceeds $\\dim G$ (sampled members checked against the orbit); (4) local identifiability by an
    exact Jacobian rank at random rational inputs, within ``budget`` seconds. Cost: $O(\\dim\\Omega\\log n)$
    for (1) without ties plus the 0-factor search (``zero_sum_budget``); (4) one exact rank per useful input.
    """
    deadline = time.monotonic() + budget
    checked: list[str] = []
    for move in witness_moves(net, zero_sum_budget):
        other = move.apply(net)
        if _outside_orbit(net, other, checked):
            return IdentifiabilityResult("not identifiable", witness=other, move=move,
                                         checked=tuple(checked), locally_identifiable=None)
        checked.append(f"{move.kind} at layer {move.layer} stays in the G-orbit")
    checked.append("no witness among dead, constant, twin, opposite-pair, phantom and 0-factor moves")
    for move in image_moves(net):
        other = move.apply(net)
        if _outside_orbit(net, other, checked):
            return IdentifiabilityResult("not identifiable", witness=other, move=move, checked=tuple(checked))
    if net.depth > 2:
        checked.append("no hidden weight and no always-active neuron on the image of the earlier layers "
                       "(exact, on their regions)"
                       if _small(Network(net.weights[:-1], net.biases[:-1])) else
                       "hidden weights and always-active neurons not searched (too many regions)")
    proof: list[ProofStep] = []
    if net.depth == 2:
        report = genericity(net, zero_sum_budget)
        if report.status == "generic" and report.scope == SHALLOW_SCOPE:
            steps = [ProofStep(c.name, c.detail, c) for c in report.conditions]
            steps.append(ProofStep("classification theorem", "one hidden layer: outside every degeneracy locus "
                                   "the fibre is the G-orbit", _Theorem(2)))
            return IdentifiabilityResult("identifiable", tuple(steps), checked=tuple(checked),
                                         locally_identifiable=True)
        checked.append(f"shallow genericity: {report.status} (" + "; ".join(
            c.detail for c in report.conditions if c.holds is not True) + ")")
    found = _narrower_witness(net, checked) if net.depth == 2 else None
    found = found or _family_witness(net, checked)
    if found is not None:
        other, move = found
        return IdentifiabilityResult("not identifiable", witness=other, move=move, checked=tuple(checked))
    cert = None
    if net.architecture.num_parameters <= MAX_JACOBIAN:
        cert = _local_rank(net, deadline, checked, progress=progress)
    else:
        checked.append(f"local identifiability not tried: {net.architecture.num_parameters} parameters "
                       f"(exact Jacobian ranks up to {MAX_JACOBIAN})")
    if cert is not None:
        proof.append(ProofStep("local identifiability", cert.describe(), cert))
        checked.append("global identifiability at depth > 2: no exactly checkable sufficient condition is "
                       "implemented (the seed theorem gives an open set, not a test)")
    return IdentifiabilityResult("unknown", tuple(proof), checked=tuple(checked),
                                 locally_identifiable=True if cert is not None else None)
