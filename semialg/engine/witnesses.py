"""Moves that keep the function *and the architecture*, each with an exact precondition: the sources of
witnesses against identifiability (:mod:`semialg.engine.identifiability`).

Valid at any depth (proofs: $\\sigma(\\lambda z) = \\lambda\\sigma(z)$ for $\\lambda > 0$, $\\sigma(z) - \\sigma(-z) = z$):
a dead neuron's row reassigned; a constant neuron's bias refolded into the next bias; one of two positive twins
emptied into the other; a 0-factor flip (Grigsby, Lindsey, Rolnick, "Hidden symmetries of ReLU networks",
ICML 2023); outgoing weights traded along opposite pairs whose weight rows are dependent; a phantom opposite
pair translated; an opposite pair's second neuron relocated to a parallel hyperplane; and, decided on the
regions of the earlier layers, a weight hidden where its neuron is off and the bias of an always-active neuron.

>>> from semialg.core.network import Network
>>> net = Network.from_arrays([[[1], [2]], [[1, 1]]], [[0, 0], [0]])        # positive twins
>>> move = next(witness_moves(net)); move.kind
'twin shift'
>>> move.apply(net)([3]) == net([3])
True
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from flint import fmpq

from semialg.core.certificate import defined_in
from semialg.core.exact import nullspace
from semialg.core.network import Network
from semialg.core.result import Result
from semialg.engine.neurons import (column, constant_neurons, dead_neurons, flip, hyperplane_pairs,
                                    image_regions, pair_relocations, phantom_pairs, predicted_late, rank_one_sketch,
                                    rank_one_sketch_seconds, row, shift_twins, sign_somewhere, trade_opposite,
                                    zero_factor_search)
from semialg.errors import CertificateError, UndecidedError

__all__ = ["WitnessMove", "witness_moves", "image_moves"]

_ZERO, _ONE = fmpq(0), fmpq(1)
#: How many neurons each move involves (the others: a non-empty set, an even number for opposite trades).
_ARITY = {"dead row": 1, "constant refold": 1, "always active": 1, "twin shift": 2, "hidden weight": 2,
          "phantom shift": 2, "pair relocation": 3}


# -- editing a layer ---------------------------------------------------------------------------------

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
    ``"opposite trade"``, ``"phantom shift"``, ``"pair relocation"``, ``"hidden weight"``, ``"always active"``,
    ``"family fibre"``, ``"family move"``,
    ``"narrower network"``; ``layer`` is the hidden layer (1-based), ``neurons`` the indices of the neurons involved
    (from 0; every text numbers neurons from 1), ``data`` the move's numbers. ``apply(net)`` re-checks the
    precondition exactly (raising :class:`CertificateError` when it fails) and returns the moved network;
    the preconditions of ``"hidden weight"`` (on the image of the earlier layers, neuron $i$ of layer
    $l$ is off wherever neuron $j$ of layer $l - 1$ is on) and ``"always active"`` ($z_{l,i} \\ge 0$ on that
    image) are decided on the linear regions of layers $1, \\dots, l-1$ (exponential in the worst case).
    ``"family fibre"`` and ``"narrower network"`` moves carry the target network itself (a member of the
    family's explicit fibre; the family's minimal form padded with zero neurons): they have no precondition
    to check, so ``apply`` refuses them — the result's ``verify`` proves such a witness equivalent instead.
    A ``"family move"`` (``data`` = (family name, label), the label a string carrying the family's own named
    move as its ``move`` attribute, e.g. :class:`~semialg.families.bottleneck.ident_moves.MoveLabel`) is replayed:
    ``apply`` accepts only a move of a class of :mod:`semialg.families` itself and returns ``move.apply(net)``,
    which re-checks the move's precondition exactly. A ``"family fibre"`` move whose label carries such a move
    becomes a ``"family move"``, without a target (the move builds the witness).
    """

    kind: str
    layer: int
    neurons: tuple[int, ...]
    data: tuple = ()
    target: Network | None = field(default=None, repr=False)

    def __post_init__(self):
        label = self.data[1] if self.kind in ("family fibre", "family move") and len(self.data) >= 2 else None
        if isinstance(label, str) and getattr(label, "move", None) is not None:
            object.__setattr__(self, "kind", "family move")
        if self.kind == "family move":
            object.__setattr__(self, "target", None)     # the move builds the witness: never carried

    def _family_move(self):
        """The carried family move, if it is one of the families' own classes (a look-alike could skip checks)."""
        move = getattr(self.data[1], "move", None) if len(self.data) >= 2 else None
        if move is None or not callable(getattr(move, "apply", None)) or not defined_in(type(move), "semialg.families"):
            raise CertificateError("a 'family move' carries no move of a family's own classes")
        return move

    def _family_move_text(self) -> str:
        move = getattr(self.data[1], "move", None) if len(self.data) >= 2 else None
        text = move.describe() if callable(getattr(move, "describe", None)) else str(self.data[1:])
        return f"{self.data[0] if self.data else 'family'} family move: {text}"

    def apply(self, net: Network) -> Network:
        l, N = self.layer, self.neurons
        if self.kind == "family move":
            moved = self._family_move().apply(net)
            if type(moved) is not Network or moved.widths != net.widths:
                raise CertificateError("the family move does not give a network of the same architecture")
            return moved
        if self.target is not None or self.kind in ("family fibre", "narrower network"):
            # a carried target is not a checked move: returning it would let any network through
            raise CertificateError(f"a {self.kind!r} move carries its target and has no precondition to replay")
        self._check_neurons(net)
        if self.kind in ("hidden weight", "always active"):
            self._check_image(net)
        if self.kind == "hidden weight":
            i, j = N
            W = [list(r) for r in net.weights[l - 1]]
            W[i][j] -= 1
            return net.replace_layer(l, W)
        if self.kind == "always active":
            (i,) = N
            r = row(net, l, i)
            return _edit(net, l, {i: r[:-1] + (r[-1] + 1,)}, {}, tuple(-x for x in column(net, l, i)))
        if self.kind == "dead row":
            (i,) = N
            if any(column(net, l, i)):
                raise CertificateError(f"neuron {i + 1} of layer {l} has non-zero outgoing weights")
            r = row(net, l, i)
            new = tuple(_ZERO for _ in r) if any(r) else r[:-1] + (_ONE,)
            return _edit(net, l, {i: new}, {})
        if self.kind == "constant refold":
            (i,) = N
            r, c = row(net, l, i), column(net, l, i)
            if any(r[:-1]):
                raise CertificateError(f"neuron {i + 1} of layer {l} has non-zero incoming weights")
            b = r[-1]
            b2 = -_ONE if b > 0 else _ONE
            shift = tuple(x * (max(b, _ZERO) - max(b2, _ZERO)) for x in c)
            return _edit(net, l, {i: r[:-1] + (b2,)}, {}, shift)
        if self.kind == "twin shift":
            i, j = N
            (mu,) = self.data
            if mu <= 0 or tuple(mu * x for x in row(net, l, i)) != row(net, l, j):
                raise CertificateError(f"row {j + 1} of layer {l} is not {mu} times row {i + 1} with {mu} > 0")
            return shift_twins(net, l, ((i, j),), (mu,))
        if self.kind == "flip":
            return flip(net, l, N)
        if self.kind == "pair relocation":
            i, j, q = N
            mu, nu = self.data
            if mu <= 0 or tuple(-mu * x for x in row(net, l, i)) != row(net, l, j):
                raise CertificateError(f"row {j + 1} of layer {l} is not -{mu} times row {i + 1} with {mu} > 0")
            if not nu or tuple(nu * x for x in net.weights[l - 1][i]) != tuple(net.weights[l - 1][q]):
                raise CertificateError(f"the weights of neuron {q + 1} are not {nu} times those of neuron {i + 1}")
            ci, cj, cq = column(net, l, i), column(net, l, j), column(net, l, q)
            bi, bq = net.biases[l - 1][i], net.biases[l - 1][q]
            cj2 = tuple(mu * x / nu for x in cj)
            # before: -mu c_j z_i (linear part of the pair); after: -c_j' z_q, equal up to a constant
            shift = tuple(-mu * x * bi + y * bq for x, y in zip(cj, cj2, strict=True))
            rq = row(net, l, q)
            return _edit(net, l, {j: tuple(-x for x in rq)},
                         {i: tuple(x + mu * y for x, y in zip(ci, cj, strict=True)), j: cj2,
                          q: tuple(x - y for x, y in zip(cq, cj2, strict=True))}, shift)
        if self.kind in ("opposite trade", "phantom shift"):
            pairs = [(N[2 * p], N[2 * p + 1]) for p in range(len(N) // 2)]
            mus = self.data[0]
            for (i, j), mu in zip(pairs, mus, strict=True):
                if mu <= 0 or tuple(-mu * x for x in row(net, l, i)) != row(net, l, j):
                    raise CertificateError(f"row {j + 1} of layer {l} is not -{mu} times row {i + 1} with {mu} > 0")
            if self.kind == "phantom shift":
                (i, j), mu = pairs[0], mus[0]
                ci, cj = column(net, l, i), column(net, l, j)
                if any(x + mu * y for x, y in zip(ci, cj, strict=True)):
                    raise CertificateError(f"neurons {i + 1}, {j + 1} of layer {l} do not compute a linear function")
                ri, rj = row(net, l, i), row(net, l, j)
                return _edit(net, l, {i: ri[:-1] + (ri[-1] + 1,), j: rj[:-1] + (rj[-1] - mu,)}, {},
                             tuple(-x for x in ci))
            y, e = self.data[1], self.data[2]
            n_prev = len(net.weights[l - 1][0])
            if not any(y) or any(sum((yp * net.weights[l - 1][i][q]
                                      for yp, (i, _) in zip(y, pairs, strict=True)), _ZERO)
                                 for q in range(n_prev)):
                raise CertificateError("the coefficients are not a non-zero relation of the pairs' weight rows")
            return trade_opposite(net, l, pairs, [tuple(yp * eo for eo in e) for yp in y], mus)
        raise CertificateError(f"unknown move {self.kind!r}")

    def _check_neurons(self, net: Network) -> None:
        """The layer is hidden and the neurons are as many as the move needs, distinct and in range: a
        repeated index would turn a function-preserving move into one that changes the function."""
        l, N = self.layer, self.neurons
        if not isinstance(l, int) or not 1 <= l < net.depth:
            raise CertificateError(f"layer {l!r} is not a hidden layer of {net.architecture}")
        if not all(isinstance(i, int) for i in N):
            raise CertificateError(f"the neurons {N!r} are not integers")
        count = _ARITY.get(self.kind)
        if (count is not None and len(N) != count) or (count is None and (not N or (
                self.kind == "opposite trade" and len(N) % 2))):
            raise CertificateError(f"a {self.kind!r} move cannot involve the neurons "
                                   f"{[i + 1 if isinstance(i, int) else i for i in N]}")
        if self.kind in ("hidden weight", "always active") and l < 2:
            raise CertificateError(f"a {self.kind!r} move needs a hidden layer after the first, not layer {l}")
        if self.kind == "hidden weight":
            if l < 2 or not 0 <= N[0] < net.widths[l] or not 0 <= N[1] < net.widths[l - 1]:
                raise CertificateError(f"no weight W_{l}[{N[0] + 1}, {N[1] + 1}] (1-based) in {net.architecture}")
            return
        if len(set(N)) != len(N) or not all(0 <= i < net.widths[l] for i in N):
            raise CertificateError(f"the neurons {[i + 1 for i in N]} of layer {l} are not distinct neurons of that "
                                   "layer")

    def _check_image(self, net: Network) -> None:
        """The precondition of ``"hidden weight"`` / ``"always active"`` on every linear region of layers
        $1, \\dots, l-1$ (open, covering the input space up to a null set, so by continuity on their closures
        too): one exact strict-feasibility test per region (answers the search already found are kept with the
        regions)."""
        l, i = self.layer, self.neurons[0]
        for R in image_regions(net, l):
            if self.kind == "always active" and sign_somewhere(R, i, -1):
                raise CertificateError(f"neuron {i + 1} of layer {l} is negative somewhere on the image")
            if self.kind == "hidden weight" and R.pattern[-1][self.neurons[1]] > 0 and sign_somewhere(R, i, 1):
                raise CertificateError(f"neuron {i + 1} of layer {l} is active where neuron {self.neurons[1] + 1} of "
                                       f"layer {l - 1} is")

    def describe(self) -> str:
        num = [i + 1 if isinstance(i, int) else i for i in self.neurons] + ["?"] * 3     # numbered from 1
        where = f"hidden layer {self.layer}, neurons {num[:len(self.neurons)]}"
        return {
            "dead row": f"{where}: the neuron has zero outgoing weights, so its incoming row is free",
            "constant refold": f"{where}: the neuron has zero incoming weights; its bias is changed and "
                               "the next bias compensates",
            "twin shift": f"{where}: positive twins (row {num[1]} = {self.data[0] if self.data else '?'} row "
                          f"{num[0]}); "
                          "the second's outgoing weights move to the first",
            "flip": f"{where}: sum of W_next[:, i] W[i, :] over S is 0, so negating the rows of S changes the "
                    "next pre-activation by a constant (0-factor flip)",
            "opposite trade": f"{where}: opposite pairs whose weight rows are linearly dependent trade "
                              "outgoing weights (sigma(z) - sigma(-z) = z)",
            "phantom shift": f"{where}: an opposite pair computing a linear function is translated",
            "pair relocation": f"{where}: the second neuron of the opposite pair ({num[0]}, {num[1]}) moves "
                               f"opposite to neuron {num[2]} "
                               "on a parallel hyperplane; the linear parts agree up to a constant",
            "family fibre": f"a member of the {self.data[0] if self.data else 'family'} family's explicit fibre"
                            + (f" ({self.data[1]})" if len(self.data) > 1 else ""),
            "family move": self._family_move_text(),
            "narrower network": "a narrower network computes the same function (the family's minimal form, "
                                f"width {self.data[1] if len(self.data) > 1 else '?'}), padded with zero neurons",
            "always active": f"{where}: the neuron is never negative on the image of the earlier layers, so "
                             "sigma(z) = z there: its bias rises and the next bias compensates",
            "hidden weight": f"{where}: neuron {num[0]} of layer {self.layer} is never active where neuron "
                             f"{num[1]} of layer {self.layer - 1} is, so lowering W_{self.layer}[{num[0]}, {num[1]}] "
                             "changes nothing",
        }.get(self.kind, self.kind)


def witness_moves(net: Network, budget: int = 2 ** 16, deadline: float | None = None, skipped: list | None = None):
    """Candidate witness moves at ``net``, cheapest first (a generator; each still to be checked against the
    orbit). Cost: $O(\\dim\\Omega)$ per layer for the structural moves, an exact kernel for the trades, and the
    exact 0-factor search of :func:`semialg.geometry.zero_sum.find_zero_sum_set` (``budget``) per layer.

    The rank-one sketch of a layer is not started when predicted
    (:func:`~semialg.engine.neurons.rank_one_sketch_seconds`) to end past ``deadline``, the 0-factor search then
    taking its place, and the search not when :func:`~semialg.engine.neurons.zero_factor_seconds` would (a
    ``time.monotonic()`` value; :func:`~semialg.engine.neurons.predicted_late`), and stops at it; every layer
    whose 0-factor moves were not all searched so (or whose search was undecided within ``budget``) is said in
    ``skipped``, so that no caller claims their absence."""
    L = net.depth
    for l in range(1, L):
        dead, constant = set(dead_neurons(net, l)), set(constant_neurons(net, l))
        for i in sorted(dead | constant):    # the order of the neurons, without a pass over a wide layer
            yield WitnessMove("dead row" if i in dead else "constant refold", l, (i,))
    for l in range(1, L):
        twins, opposite = hyperplane_pairs(net, l)
        for i, j, mu in twins:
            yield WitnessMove("twin shift", l, (i, j), (mu,))
        for i, j, mu in phantom_pairs(net, l):
            yield WitnessMove("phantom shift", l, (i, j), ((mu,),))
        for i, j, q, mu, nu in pair_relocations(net, l):
            yield WitnessMove("pair relocation", l, (i, j, q), (mu, nu))
        if len(opposite) >= 2:
            rows = [net.weights[l - 1][i] for i, _, _ in opposite]
            for y in nullspace([[r[q] for r in rows] for q in range(len(rows[0]))]):
                k = len(net.weights[l])
                e = (_ONE,) + (_ZERO,) * (k - 1)
                N = tuple(x for i, j, _ in opposite for x in (i, j))
                yield WitnessMove("opposite trade", l, N, (tuple(mu for _, _, mu in opposite), tuple(y), e))
    notes = [] if skipped is None else skipped
    for l in range(1, L):
        (n, m), k = net.weights[l - 1].shape, net.weights[l].shape[0]
        # a sketch predicted late is left to the search, which peels by valuations first (784-4096-10: 0.6 s)
        if n <= k * m and not predicted_late(deadline, rank_one_sketch_seconds(net, l, 0)) and \
                rank_one_sketch(net, l, 0):
            continue  # the products a_i w_i^T are independent: no subset sums to zero
        decision = zero_factor_search(net, l, budget, deadline)
        if decision.status == "found":
            yield WitnessMove("flip", l, tuple(decision.witness))
        elif decision.status == "undecided":
            notes.append(f"0-factor moves at layer {l} not all searched: " + "; ".join(decision.tried))


def image_moves(net: Network, max_neurons: int = 16, max_input: int = 4, deadline: float | None = None,
                skipped: list | None = None):
    """Moves that need the image of the earlier layers ($l \\ge 2$): pairs $(i, j)$ with $z_{l,i} \\le 0$
    wherever $h_{l-1,j} > 0$ (then $W_l[i, j]$ can be lowered), and neurons with $z_{l,i} \\ge 0$ everywhere
    (then $\\sigma(z_{l,i}) = z_{l,i}$ and the bias can rise, the next bias compensating).

    Decided exactly on the linear regions of layers $1, \\dots, l-1$ (strict-feasibility LPs per region and
    neuron), only when those layers have at most ``max_neurons`` neurons and the input dimension is at most
    ``max_input`` (region enumeration is exponential). Past ``deadline`` (:func:`time.monotonic`) or beyond those
    sizes the search stops and says what it left in ``skipped``. Cost: $O(R\\,n_l)$ exact LPs for $R$ regions.
    """
    notes = [] if skipped is None else skipped
    d = net.architecture.input_dim
    for l in range(2, net.depth):
        if sum(net.widths[1:l]) > max_neurons or d > max_input:     # the size guard of _small, per truncated network
            notes.append(f"hidden weights and always-active neurons from layer {l} on not searched: more than "
                         f"{max_neurons} neurons before it or more than {max_input} inputs (regions)")
            return
        try:
            regs = image_regions(net, l, deadline)
        except UndecidedError:
            notes.append(f"hidden weights and always-active neurons from layer {l} on not searched: the regions of "
                         f"the earlier layers were not all found within the budget")
            return
        for i in range(len(net.weights[l - 1])):
            if deadline is not None and time.monotonic() > deadline:
                notes.append(f"hidden weights and always-active neurons not searched from neuron {i + 1} of layer "
                             f"{l} on: the budget was spent")
                return
            seen: set = set()
            negative = False
            # only the union of the active sets counts: the largest first, and a region adding none needs no LP
            for n, R in enumerate(sorted(regs, key=lambda R: -sum(s > 0 for s in R.pattern[-1]))):
                if n % 64 == 63 and deadline is not None and time.monotonic() > deadline:    # an LP a region
                    notes.append(f"hidden weights and always-active neurons not searched from neuron {i + 1} of "
                                 f"layer {l} on: the budget was spent in its regions")
                    return
                active = {j for j, s in enumerate(R.pattern[-1]) if s > 0}
                if not active <= seen and sign_somewhere(R, i, 1):
                    seen |= active
                negative = negative or sign_somewhere(R, i, -1)
            if not negative and any(column(net, l, i)):
                yield WitnessMove("always active", l, (i,))
            for j in range(len(net.weights[l - 2])):
                if j not in seen:
                    yield WitnessMove("hidden weight", l, (i, j))
