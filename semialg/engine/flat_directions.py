r"""Flat directions: vectors in parameter space that no Jacobian row of the functional dimension reads, and the
upper bound on the functional dimension they prove.

The functional dimension at $\theta$ (:func:`~semialg.engine.functional_dimension.functional_dimension`) is the
rank of rows
$\nabla_\theta P_p(\theta, x)$, where $P_p$ is the polynomial that $f$ equals on a linear region with activation
pattern $p$ (a neuron whose pre-activation vanishes identically there counted off) and $x$ lies in that region.
With $a_{l,i}$ the output of neuron $i$ of layer $l$ there and $\delta_{l,i}$ its back-propagated coefficient
(both $0$ when the neuron is off), the row has $\delta_{l,i}a_{l-1,j}$ at $W_l[i, j]$ and $\delta_{l,i}$ at
$b_l[i]$.

**Proposition.** Each vector $v$ below is orthogonal to every such row, on every region; so
$\dim_{\rm fun}(\theta) \le D - \dim\operatorname{span}\{v\}$.

1. The rescaling field of every hidden neuron: $P_p$ is invariant under it for a fixed $p$ (positive
   homogeneity of each factor).
2. Entries no row reads: the outgoing weights of a neuron off on every input (by the signs of its weights,
   :func:`~semialg.engine.neurons.off_neurons`; a zero neuron, pre-activation $0$, counted off; or, in layer
   $l \ge 2$, positive nowhere on the regions of the earlier layers), whose $a = 0$; the incoming weights and
   bias of a *silent* neuron — off on every input, or whose non-zero outgoing
   weights all go to silent neurons of the next hidden layer or are hidden weights (below) — whose $\delta = 0$
   on every region (by induction from the last hidden layer: $\delta_{l,i} = [p_{l,i} > 0]\sum_r W_{l+1}[r, i]
   \,\delta_{l+1,r}$, and where $i$ is on, a neuron $r$ it reaches by a hidden weight is off); and
   $W_l[i, j]$, $l \ge 2$, when neuron $i$ of layer $l$ is off wherever neuron $j$ of layer $l - 1$ is on, on
   the regions of the earlier layers (a *hidden weight*, :func:`~semialg.engine.witnesses.image_moves`): on every
   region $\delta_{l,i} = 0$ or $a_{l-1,j} = 0$.
3. The trades of :func:`~semialg.engine.tangent.move_entries` that hold region by region: positive twins
   ($z_j = \lambda z_i$, so their patterns agree, zeros too, and $a_j = \lambda a_i$), constant neurons with the next
   bias ($a_i = \sigma(b_i)$ on every region), and the translations of affine lines of the *first* hidden layer
   (their pre-activations $w\cdot x + b$, $w \ne 0$, vanish on no open set, so on every region one orientation
   is on). Deeper lines are left out: a deeper pre-activation may vanish on a whole region, where the
   translation's compensation is read and its own change is not.
4. A neuron $i$ of layer $l \ge 2$ never negative on the regions of the earlier layers and positive somewhere in
   each of them: affine and not identically $0$ on each, so on in every region of $\theta$; raising $b_l[i]$ by
   $t$ and every $b_{l+1}[r]$ by $-tW_{l+1}[r, i]$ leaves every $P_p$ unchanged.
5. Affine relations where a neuron is on: a direction $v$ of row $i$ of $(W_l \mid b_l)$, $l \ge 2$, with
   $v \cdot (h_{l-1}(x), 1) = 0$ wherever $z_{l,i}(x) > 0$ (:func:`unread_combinations`; hidden weights are the
   coordinate directions among them): on every region the row reads $\delta_{l,i}(h_{l-1}, 1)$, and
   $\delta_{l,i} = 0$ where the neuron is off.
6. Outgoing weights that cancel where a neuron is on: a direction $u$ of column $j$ of $W_l$, $2 \le l < L$ (the
   outgoing weights of neuron $j$ of layer $l - 1$; or of $b_l$, a neuron on everywhere) with
   $\sum_i u_i\delta_{l,i} = 0$ wherever that neuron is on (:func:`cancelled_combinations`: at the last hidden
   layer, $\delta_{l,i} = [p_{l,i} > 0]\,W_L[:, i]$; below it, the change of $z_{l+1}$ vanishing at every neuron
   of layer $l + 1$ that can be on): the row reads $a_{l-1,j}\sum_i u_i\delta_{l,i}$.

*Proof.* Each claim is the chain rule on a fixed pattern, as indicated. $\square$

Unlike the move directions of :func:`~semialg.engine.tangent.local_dimension_bounds`, which bound the fibre's
dimension from below, these bound the functional dimension from above; they meet it when the hidden symmetries of
$\theta$ are all of these kinds (a random 4-16-16-2 network: two hidden weights, functional dimension 352 below
the generic bound 354).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from flint import fmpq, fmpq_mat

from semialg.core.exact import PRIME, SparseEchelon, dot, nullspace
from semialg.core.network import Network
from semialg.core.result import Result
from semialg.core.symmetry import rescaling_ranks
from semialg.engine.neurons import image_regions, off_masks, sign_somewhere, silent_masks
from semialg.engine.regions import affine_map
from semialg.engine.tangent import move_entries, parameter_offsets
from semialg.engine.witnesses import image_moves
from semialg.errors import ParameterError, UndecidedError

__all__ = ["FlatDirection", "flat_directions", "flat_bound", "unread_combinations", "cancelled_combinations"]

_ONE, _ZERO = fmpq(1), fmpq(0)
_MAX_NEURONS, _MAX_INPUT = 16, 4     # the sizes of image_moves: regions of the earlier layers are enumerated


@dataclass(frozen=True)
class FlatDirection(Result):
    r"""One flat direction of the module's proposition, with why no Jacobian row reads it.

    ``kind`` is ``"hidden weight"``, ``"off neuron"``, ``"silent neuron"``, ``"affine relation"``,
    ``"cancelling weights"``, ``"always active"`` or ``"tangent move"`` (a linear move of the fibre read off the
    weights: an unused, constant, twin or zero neuron, or a line of the first hidden layer); ``layer`` is the $l$ of
    the weights $(W_l, b_l)$ it moves (0 for a tangent move); ``neurons`` (from 0; texts number from 1) the neuron
    $i$ of layer $l$ and then the neuron $j$ of layer $l - 1$ named, if any (for ``"cancelling weights"`` only $j$,
    none for the bias column; for ``"always active"`` the neurons of layer $l$); ``entries`` the sparse vector,
    ``(index, value)`` pairs in the order of :meth:`~semialg.core.network.Network.parameters`.

    >>> FlatDirection("hidden weight", 2, (0, 1), ((5, fmpq(1)),)).describe()
    'W_2[1, 2]: neuron 1 of layer 2 is off wherever neuron 2 of layer 1 is on'
    """

    kind: str
    layer: int
    neurons: tuple[int, ...]
    entries: tuple[tuple[int, fmpq], ...]

    def describe(self) -> str:
        l, n = self.layer, [k + 1 for k in self.neurons]
        if self.kind == "hidden weight":
            return (f"W_{l}[{n[0]}, {n[1]}]: neuron {n[0]} of layer {l} is off wherever neuron {n[1]} of layer {l - 1} "
                    f"is on")
        if self.kind == "off neuron":
            return f"W_{l}[{n[0]}, {n[1]}]: neuron {n[1]} of layer {l - 1} is off on every input"
        if self.kind == "silent neuron":
            at = f"W_{l}[{n[0]}, {n[1]}]" if len(n) > 1 else f"b_{l}[{n[0]}]"
            return f"{at}: no output reads neuron {n[0]} of layer {l} (silent)"
        if self.kind == "affine relation":
            return (f"row {n[0]} of (W_{l} | b_{l}): an affine relation among the neurons of layer {l - 1} that holds "
                    f"wherever neuron {n[0]} of layer {l} is on")
        if self.kind == "cancelling weights":
            return (f"column {n[0]} of W_{l}: outgoing weights of neuron {n[0]} of layer {l - 1} that cancel wherever "
                    f"it is on" if n else f"b_{l}: a change of the biases that cancels everywhere")
        if self.kind == "always active":
            return (f"neuron{'s' if len(n) > 1 else ''} {', '.join(map(str, n))} of layer {l} on in every region: "
                    f"a trade with layer {l + 1}")
        return ("a linear move of the fibre read off the weights (unused, constant, twin or zero neurons, first-layer "
                "lines)")


def flat_directions(net: Network, image: bool = True, deadline: float | None = None,
                    skipped: list | None = None) -> list[list[tuple[int, fmpq]]]:
    r"""The flat directions of the module's proposition at ``net`` as sparse ``(index, value)`` lists in the order
    of :meth:`~semialg.core.network.Network.parameters` (entries at one index add up): every rescaling field, the
    trades that hold region by region, the entries of off neurons, and with ``image`` the hidden weights, the affine
    relations where a neuron is on (:func:`unread_combinations`), the outgoing weights that cancel where a neuron
    is on (:func:`cancelled_combinations`) and the always-active neurons found on the regions
    of the earlier layers (at most 16 neurons before a layer and 4 inputs; what is not searched, past ``deadline``
    (:func:`time.monotonic`) or beyond those sizes, is said in ``skipped``: the directions found are flat all the
    same).

    Cost: $O(n(n_{\rm in} + n_{\rm out}))$ entries for $n$ hidden neurons; with ``image`` that of
    :func:`~semialg.engine.witnesses.image_moves` (region enumeration of the earlier layers and $O(R\,n_l)$ exact
    LPs), $O(R)$ LPs per always-active neuron, and those of :func:`unread_combinations` (float32 4-16-16-2: about
    1 s of 3) and :func:`cancelled_combinations` (about 0.5 s more).

    >>> net = Network.from_arrays([[[1], [-1]], [[1, 0], [-1, -1]], [[1, 1]]], [[0, 0], [1, -1], [0]])
    >>> sorted({d[0][0] for d in flat_directions(net) if len(d) == 1})   # entries no row reads
    [1, 3, 6, 7, 9, 11]

    (Neuron 2 of layer 2 is off: its weights and bias, 6, 7, 9, and its output weight, 11; neuron 2 of layer 1
    reaches only it, so its weight and bias, 1 and 3, are silent.)
    """
    rescaling, labelled = _labelled_directions(net, image, deadline, skipped)
    return rescaling + [list(d.entries) for d in labelled]


def _labelled_directions(net: Network, image: bool, deadline: float | None, skipped: list | None) \
        -> tuple[list, list[FlatDirection]]:
    """:func:`flat_directions`: the rescaling fields, and the others as :class:`FlatDirection` values."""
    widths, W = net.widths, net.weights
    W_at, b_at = parameter_offsets(net.architecture)
    off, found, hidden, active = off_masks(net), [], {}, {}
    for move in image_moves(net, deadline=deadline, skipped=skipped) if image else ():
        l, (i, *j) = move.layer, move.neurons
        if move.kind == "hidden weight":
            at = W_at[l - 1] + i * widths[l - 1] + j[0]
            found.append(FlatDirection("hidden weight", l, (i, j[0]), ((at, _ONE),)))
            hidden.setdefault((l, i), []).append(j[0])
        elif _every_region(net, l, i, True, deadline):
            found.append(FlatDirection("always active", l, (i,), ((b_at[l - 1] + i, _ONE),) + tuple(
                (b_at[l] + r, -W[l][r][i]) for r in range(widths[l + 1]))))
            active.setdefault(l, []).append(i)
    for l, block in sorted(active.items()):
        found += [FlatDirection("always active", l, tuple(block), tuple(e))
                  for e in _affine_block_trades(net, l, block)]
    for l in range(2, net.depth) if image and net.architecture.input_dim <= _MAX_INPUT else ():
        if sum(widths[1:l]) > _MAX_NEURONS:
            break
        on = [i for i in range(widths[l]) if not off[l - 1][i]]
        for i, basis in unread_combinations(net, l, on, deadline).items():
            found += [FlatDirection("affine relation", l, (i,), tuple(
                (W_at[l - 1] + i * widths[l - 1] + j if j < widths[l - 1] else b_at[l - 1] + i, x)
                for j, x in enumerate(v) if x)) for v in basis]
        if l == net.depth - 1 or sum(widths[1:l + 1]) <= _MAX_NEURONS:
            on = [j for j in range(widths[l - 1]) if not off[l - 2][j]] + [widths[l - 1]]
            for j, basis in cancelled_combinations(net, l, on, deadline).items():
                found += [FlatDirection("cancelling weights", l, (j,) if j < widths[l - 1] else (), tuple(
                    (W_at[l - 1] + i * widths[l - 1] + j if j < widths[l - 1] else b_at[l - 1] + i, x)
                    for i, x in enumerate(u) if x)) for u in basis]
    for (l, i), inputs in hidden.items():   # hidden from every input: perhaps off on the whole image
        if len(inputs) == widths[l - 1] and _every_region(net, l, i, False, deadline):
            off[l - 1][i] = True
    every = frozenset((l, i) for l in range(net.depth - 1) for i in range(widths[l + 1]))
    moves = move_entries(net, every, deep_lines=False)      # those of move_entries but the rescaling fields
    rescaling = move_entries(net, deep_lines=False)[:-len(moves) or None]
    unread = []     # first what the weights say (a rank keeps the first of dependent directions: the plainest)
    for l, silent in enumerate(silent_masks(net, off, hidden), start=1):
        for i in np.flatnonzero(off[l - 1]).tolist():
            unread += [FlatDirection("off neuron", l + 1, (r, i), ((W_at[l] + r * widths[l] + i, _ONE),))
                       for r in range(widths[l + 1])]
        for i in np.flatnonzero(silent).tolist():
            unread += [FlatDirection("silent neuron", l, (i, j), ((W_at[l - 1] + i * widths[l - 1] + j, _ONE),))
                       for j in range(widths[l - 1])]
            unread.append(FlatDirection("silent neuron", l, (i,), ((b_at[l - 1] + i, _ONE),)))
    return rescaling, unread + [FlatDirection("tangent move", 0, (), tuple(e)) for e in moves] + found


def unread_combinations(net: Network, l: int, neurons=None, deadline: float | None = None) -> dict[int, list]:
    r"""For each neuron $i$ of layer $l \ge 2$ (of ``neurons``; default all), a basis of the directions
    $v \in \mathbb{Q}^{n_{l-1}+1}$ of row $i$ of $(W_l \mid b_l)$ with $v \cdot (h_{l-1}(x), 1) = 0$ wherever
    $z_{l,i}(x) > 0$: no Jacobian row reads them (their entries there are $\delta_{l,i}(h_{l-1}, 1)$, and
    $\delta_{l,i} = 0$ where the neuron is off). Hidden weights are the coordinate directions among them; the others
    are affine relations among the neurons of layer $l - 1$ that hold wherever neuron $i$ is on, e.g. more of them
    active there than the input dimension spans. On a region $R$ of the earlier layers
    (:func:`~semialg.engine.neurons.image_regions`) $h_{l-1} = A_Rx + c_R$ on an open set, so the directions are
    those orthogonal to the columns of $\begin{pmatrix}A_R & c_R\\ 0 & 1\end{pmatrix}$ for every $R$ where the
    neuron is positive somewhere (an exact LP, asked only of a region whose columns the directions found so far do
    not annihilate), those with most active neurons first. ``{}`` when the regions are not found by ``deadline``
    (:func:`time.monotonic`), and a neuron past it is left out: no direction is claimed that was not proven.

    Cost: the regions of layers $1, \dots, l-1$, each one's affine map once, and per region and neuron an exact
    $m \times (n_{l-1} + 1)$ by $(n_{l-1} + 1) \times (d + 1)$ product for the $m$ directions left and at most one LP.

    >>> net = Network.from_arrays([[[1], [2]], [[1, 1]], [[1]]], [[0, 0], [-1], [0]])    # s(x), s(2x); s(h_1 + h_2 - 1)
    >>> unread_combinations(net, 2)     # on where x > 1/3: there h_2 = 2h_1
    {0: [[2, -1, 0]]}
    """
    neurons = _checked(net, l, neurons, columns=False)
    try:
        regions = sorted(image_regions(net, l, deadline), key=lambda R: -sum(s > 0 for s in R.pattern[-1]))
    except UndecidedError:
        return {}
    trunk = Network(net.weights[:l - 1], net.biases[:l - 1])
    n = net.widths[l - 1]
    spans: dict = {}        # the columns of each region, made when first needed

    def columns(R) -> fmpq_mat:
        if id(R) not in spans:
            A, c = affine_map(trunk, R.pattern[:-1])
            on = R.pattern[-1]
            spans[id(R)] = fmpq_mat(n + 1, len(R.point) + 1, [x if on[j] > 0 else 0 for j in range(n)
                                                             for x in A[j] + (c[j],)] + [0] * len(R.point) + [1])
        return spans[id(R)]

    out = {}
    for i in neurons:
        V = fmpq_mat(n + 1, n + 1, [int(r == c) for r in range(n + 1) for c in range(n + 1)])    # rows: directions
        for R in regions:
            if deadline is not None and time.monotonic() > deadline:
                return out
            P = V * columns(R)
            if any(P.entries()) and sign_somewhere(R, i, 1):
                K = nullspace([[P[a, q] for a in range(P.nrows())] for q in range(P.ncols())])
                V = fmpq_mat([[sum((k[a] * V[a, q] for a in range(V.nrows())), fmpq(0)) for q in range(n + 1)]
                              for k in K]) if K else None
                if V is None:
                    break
        if V is not None:
            out[i] = [[V[a, q] for q in range(n + 1)] for a in range(V.nrows())]
    return out


def cancelled_combinations(net: Network, l: int, neurons=None, deadline: float | None = None) -> dict[int, list]:
    r"""For each neuron $j$ of layer $l - 1 \ge 1$, $l$ below the output layer $L$ (of ``neurons``; default all, and
    $j = n_{l-1}$ for the bias $b_l$, on everywhere), a basis of directions $u \in \mathbb{Q}^{n_l}$ of column $j$
    of $W_l$ (the outgoing weights of neuron $j$) that no Jacobian row reads: there $W_l[i, j]$ has
    $\delta_{l,i}\,a_{l-1,j}$, so $u$ is flat when $\sum_i u_i\delta_{l,i} = 0$ wherever $z_{l-1,j} > 0$. Dual to
    :func:`unread_combinations`, which combines a neuron's incoming weights. Two sufficient conditions, on the
    regions $R$ (:func:`~semialg.engine.neurons.image_regions`) where neuron $j$ is on:

    - $l = L - 1$, $\delta_{l,i} = [p_{l,i} > 0]\,W_L[:, i]$; $R$ a region of layers $1, \dots, l - 1$, where each
      $z_{l,i}$ is affine: positive nowhere (no condition), everywhere (the set $A_R$) or on part of $R$ ($F_R$).
      The neurons on at a point of $R$ are $A_R$ and some of $F_R$, so $u$ is flat when
      $\sum_{i \in A_R} u_iW_L[:, i] = 0$ and $u_iW_L[:, i] = 0$ for $i \in F_R$ (which parts of $F_R$ are on
      together is not asked). The patterns at the regions' points, a necessary condition, are imposed first.
    - $l < L - 1$: the first-order change of $z_{l+1}$ vanishes at every neuron of layer $l + 1$ that can be on;
      $R$ a region of layers $1, \dots, l$, $S_R$ the neurons of layer $l$ on there, and
      $\sum_{i \in S_R} u_iW_{l+1}[r, i] = 0$ for every $r$ with $z_{l+1,r} > 0$ somewhere in $R$: then
      $\sum_i u_i\delta_{l,i} = \sum_r \delta_{l+1,r}\sum_{i \in S_R} u_iW_{l+1}[r, i] = 0$.

    Hidden weights are coordinate directions among them; the others trade outgoing weights between neurons on
    together wherever $j$ is. ``{}`` when the regions are not found by ``deadline`` (:func:`time.monotonic`), and a
    neuron past it is left out.

    Cost: the regions of layers $1, \dots, l - 1$ ($l = L - 1$) or $1, \dots, l$ and, per region and neuron $j$ on
    there, at most two exact LPs per neuron of layer $l$ ($l = L - 1$; one per neuron of layer $l + 1$ otherwise;
    answers kept with the region) and one exact kernel.

    >>> net = Network.from_arrays([[[1], [-1]], [[1, 0], [1, -1]], [[1, 2]]], [[0, 0], [1, 2], [0]])
    >>> cancelled_combinations(net, 2)     # where x > 0, z_2 = (x + 1, x + 2): both on, and 2 * 1 - 1 * 2 = 0
    {0: [[2, -1]]}

    (Where $x < 0$, $z_{2,2} = x + 2$ changes sign: nothing cancels there for the bias.)
    """
    neurons = _checked(net, l, neurons, columns=True)
    last = l == net.depth - 1
    try:
        regions = image_regions(net, l if last else l + 1, deadline)
    except UndecidedError:
        return {}
    n, width = net.widths[l - 1], net.widths[l]
    reads = [[row[i] for row in net.weights[l]] for i in range(width)]
    unit = [[_ONE if a == i else _ZERO for a in range(width)] for i in range(width)]
    seen: dict = {}
    for R in regions if last else ():
        z = [dot(R.linear[i], R.point) + R.offset[i] for i in range(width)]
        if all(z):
            seen.setdefault(tuple(v > 0 for v in z), []).append(R)
    out = {}
    for j in neurons:
        if deadline is not None and time.monotonic() > deadline:
            return out
        on_j = [R for R in regions if j == n or R.pattern[-1 if last else -2][j] > 0]
        # the neurons on at a region's point form a pattern that occurs: the sum over them must vanish
        necessary = [unit[i] for i in range(width) if not any(reads[i])]
        necessary += [[reads[i][r] if S[i] else _ZERO for i in range(width)] for S, where in seen.items()
                      if any(j == n or R.pattern[-1][j] > 0 for R in where) for r in range(len(reads[0]))]
        V = [list(v) for v in nullspace(necessary)] if necessary else unit
        for R in on_j:
            if not V:
                break
            if deadline is not None and time.monotonic() > deadline:
                return out
            equations = _cancelling(R, V, reads, unit) if last else [
                [reads[i][r] if R.pattern[-1][i] > 0 else _ZERO for i in range(width)]
                for r in range(len(reads[0])) if sign_somewhere(R, r, 1)]
            P = [[sum((e[a] * v[a] for a in range(width)), _ZERO) for v in V] for e in equations]
            if any(any(p) for p in P):
                V = [[sum((k[t] * V[t][a] for t in range(len(V))), _ZERO) for a in range(width)]
                     for k in nullspace(P)]
        if V:
            out[j] = V
    return out


def _cancelling(R, V: list, reads: list, unit: list) -> list:
    r"""The equations of :func:`cancelled_combinations` at the last hidden layer on the region ``R``: $u_i = 0$ for
    a neuron positive on part of it, and $\sum u_iW_L[:, i] = 0$ over those positive on all of it (only the neurons
    that a direction of ``V`` still moves are asked)."""
    equations, on = [], []
    for i in range(len(reads)):
        if any(v[i] for v in V) and sign_somewhere(R, i, 1):
            if sign_somewhere(R, i, -1):
                equations.append(unit[i])
            else:
                on.append(i)
    return equations + [[reads[i][r] if i in on else _ZERO for i in range(len(reads))] for r in range(len(reads[0]))]


def _checked(net: Network, l, neurons, columns: bool) -> list[int]:
    """``neurons`` (default all: the rows of layer $l$, or with ``columns`` the columns of $(W_l \\mid b_l)$) as a
    list, after checking that ``l`` is a hidden layer from 2 on and each neuron an index of them: a one-line
    :class:`ParameterError` otherwise (a negative index would name another neuron's column)."""
    if isinstance(l, bool) or not isinstance(l, int) or not 2 <= l <= net.depth - 1:
        raise ParameterError(f"l must be a hidden layer from 2 to {net.depth - 1}, not {l!r}")
    n = net.widths[l - 1] + 1 if columns else net.widths[l]
    if neurons is None:
        return list(range(n))
    out = list(neurons)
    for i in out:
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n:
            raise ParameterError(f"neurons must be indices from 0 to {n - 1} (0-based), not {i!r}")
    return out


def _affine_block_trades(net: Network, l: int, block: list[int]) -> list[list[tuple[int, fmpq]]]:
    r"""The trades within the neurons ``block`` of layer $l$, on in every region: they add $C(W_Ah + b_A)$ to
    $z_{l+1}$ ($C = W_{l+1}[:, A]$, $M = (W_A \mid b_A)$), so every $(\delta C, \delta M)$ with
    $\delta C\,M + C\,\delta M = 0$ leaves $z_{l+1}$ unchanged to first order on every region: a basis of that
    kernel (it holds their rescaling fields). Cost: an exact kernel of $n_{l+1}(n_{l-1} + 1)$ equations in
    $|A|(n_{l+1} + n_{l-1} + 1)$ unknowns."""
    widths = net.widths
    W_at, b_at = parameter_offsets(net.architecture)
    n, k, a = widths[l - 1], widths[l + 1], len(block)
    M = [list(net.weights[l - 1].row(i)) + [net.biases[l - 1][i]] for i in block]
    C = [[net.weights[l][r][i] for i in block] for r in range(k)]
    # unknowns: dC[r][q] at r * a + q, then dM[q][c] at k * a + q * (n + 1) + c; one equation per entry (r, c)
    equations = []
    for r in range(k):
        for c in range(n + 1):
            row = [fmpq(0)] * (a * (k + n + 1))
            for q in range(a):
                row[r * a + q] = M[q][c]
                row[k * a + q * (n + 1) + c] = C[r][q]
            equations.append(row)
    at = [W_at[l] + r * widths[l] + i for r in range(k) for i in block] + \
        [W_at[l - 1] + i * n + c if c < n else b_at[l - 1] + i for i in block for c in range(n + 1)]
    return [[(at[u], x) for u, x in enumerate(v) if x] for v in nullspace(equations)]


def _every_region(net: Network, l: int, i: int, positive: bool, deadline: float | None) -> bool:
    """Whether on every region of the earlier layers $z_{l,i} > 0$ somewhere (``positive``), or nowhere (``False``
    past ``deadline``)."""
    try:
        regions = image_regions(net, l, deadline)
    except UndecidedError:
        return False
    for n, region in enumerate(regions):
        if n % 64 == 63 and deadline is not None and time.monotonic() > deadline:
            return False
        if sign_somewhere(region, i, 1) != positive:
            return False
    return True


def flat_bound(net: Network, image: bool = True, deadline: float | None = None, skipped: list | None = None,
               explained: list | None = None) -> int:
    r"""$D - \operatorname{rank}$ of :func:`flat_directions`, an upper bound on the functional dimension of ``net``
    (module docstring), never above $D - $ the hidden neurons with a non-zero parameter (the rescaling bound). The
    rank is taken modulo a prime (a lower bound on the rational one, so the bound stays proven; exactly when the
    prime divides a denominator), on the directions as sparse rows, the rescaling fields first; the rescaling bound
    alone, without a rank, when no direction but the rescaling fields is found. ``explained`` receives the
    :class:`FlatDirection` values that raised the rank past the rescaling fields', one per unit the bound is below
    the rescaling bound: why it is lower.

    Cost: that of :func:`flat_directions` and a sparse elimination of the directions (rescaling fields of one layer
    have disjoint supports: about their number of entries).

    >>> net = Network.from_arrays([[[1], [-1]], [[1, 0], [-1, -1]], [[1, 1]]], [[0, 0], [1, -1], [0]])
    >>> net.architecture.num_parameters - 4, flat_bound(net, image=False), flat_bound(net)
    (9, 5, 4)

    (The rescaling bound; with the off and silent neurons; with neuron 1 of layer 2 on everywhere, whose bias
    trades with the output's: the functional dimension, 4.)

    >>> why = []
    >>> flat_bound(net, explained=why)
    4
    >>> print("\n".join(d.describe() for d in why))
    W_1[2, 1]: no output reads neuron 2 of layer 1 (silent)
    b_1[2]: no output reads neuron 2 of layer 1 (silent)
    W_3[1, 2]: neuron 2 of layer 2 is off on every input
    W_2[2, 1]: no output reads neuron 2 of layer 2 (silent)
    neuron 1 of layer 2 on in every region: a trade with layer 3
    """
    D = net.architecture.num_parameters
    bound = D - sum(rescaling_ranks(net))
    rescaling, labelled = _labelled_directions(net, image, deadline, skipped)
    if not labelled and len(rescaling) == net.architecture.num_hidden:      # the rescaling fields alone
        return bound
    for p in (PRIME, None):     # exactly only when the prime divides a denominator
        echelon = SparseEchelon(p)
        try:
            for entries in rescaling:
                echelon.insert(_summed(entries))
            kept = [d for d in labelled if echelon.insert(_summed(d.entries))]
            break
        except ZeroDivisionError:
            continue
    if explained is not None:   # the first of those beyond the rescaling fields, one per unit of lowering
        explained += kept[:max(bound - (D - echelon.rank), 0)]
    return min(bound, D - echelon.rank)


def _summed(entries) -> dict:
    """Sparse ``(index, value)`` entries as a row, values at one index added up."""
    row: dict = {}
    for k, value in entries:
        row[k] = row.get(k, 0) + value
    return row
