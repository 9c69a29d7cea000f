"""The neurons of a hidden layer and the exact relations between them that function-preserving moves read.

Hidden layer $l$ ($1 \\le l \\le L-1$) has neurons $i$ with incoming row $r_{l,i} = (W_l[i,:], b_l[i])$ and
outgoing column $c_{l,i} = W_{l+1}[:,i]$. A neuron is *dead* when $c_{l,i} = 0$ and *constant* when
$W_l[i,:] = 0$; two neurons lie on one hyperplane when their rows are non-zero multiples of each other
(*positive twins* for a positive factor, an *opposite pair* for a negative one: $\\sigma(\\lambda z) =
\\lambda\\sigma(z)$ and $\\sigma(z) - \\sigma(-z) = z$). The moves that keep the width are performed here, because
the witnesses against identifiability (:mod:`semialg.engine.witnesses`), the deep family's moves
(:mod:`semialg.families.deep.moves`) and the shallow family's (:mod:`semialg.families.shallow.moves`) make
them: the 0-factor flip (and the unchecked negation $\\theta_S$ behind it), the trade of outgoing weights within
opposite pairs (Grigsby, Lindsey, Rolnick, "Hidden symmetries of ReLU networks", ICML 2023), moving a twin's
outgoing weights onto its partner, and clearing dead and constant neurons. Neuron indices are 0-based, layers
1-based.

>>> from semialg.core.network import Network
>>> net = Network.from_arrays([[[1], [2], [-1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
>>> hyperplane_pairs(net, 1)
([(0, 1, 2)], [(0, 2, 1), (1, 2, 1/2)])
"""

from __future__ import annotations

import time
from typing import Sequence

import numpy as np
from flint import fmpq

from semialg.core.exact import normalise_row
from semialg.core.modular import rank_mod_seconds, rank_one_independent
from semialg.core.network import Network
from semialg.core.rational_matrix import RationalMatrix
from semialg.engine.regions import regions
from semialg.errors import CertificateError, UndecidedError
from semialg.geometry.valuation_peeling import OuterProducts
from semialg.geometry.zero_sum import (AFTER_PEELING_ENTRY_SECONDS, ZERO_SUM_LIMIT, ZeroSumDecision, find_zero_sum_set,
                                      zero_sum_sets)

__all__ = ["predicted_late", "rank_one_sketch", "rank_one_sketch_seconds", "zero_factor_seconds", "row", "column",
           "rows", "columns", "dead_neurons", "constant_neurons", "off_neurons", "off_masks",
           "silent_masks", "hyperplane_pairs", "phantom_pairs",
           "pair_relocations",
           "twin_pairs", "flip_residual", "flip_terms", "zero_factors", "negate", "flip", "clear", "shift_twins",
           "trade_opposite", "image_regions", "sign_somewhere"]

_ZERO = fmpq(0)
Vec = tuple[fmpq, ...]


def row(net: Network, l: int, i: int) -> Vec:
    """$r_{l,i} = (W_l[i,:], b_l[i])$."""
    return net.weights[l - 1].row(i) + (net.biases[l - 1][i],)


def column(net: Network, l: int, i: int) -> Vec:
    """$c_{l,i} = W_{l+1}[:, i]$."""
    return tuple(r[i] for r in net.weights[l])


def rows(net: Network, l: int) -> list[Vec]:
    """The rows $r_{l,i}$ of every neuron of hidden layer ``l``."""
    return [tuple(w) + (b,) for w, b in zip(net.weights[l - 1], net.biases[l - 1], strict=True)]


def columns(net: Network, l: int) -> list[Vec]:
    """The outgoing columns $c_{l,i}$ of every neuron of hidden layer ``l``."""
    return list(zip(*net.weights[l], strict=True))


def dead_neurons(net: Network, l: int) -> tuple[int, ...]:
    """The neurons of hidden layer ``l`` with a zero outgoing column. Cost: $O(n_l n_{l+1})$, vectorised on the
    integer form of the weights (never the rational rows)."""
    return tuple(int(i) for i in np.flatnonzero(~net.weights[l].nonzero_columns()))


def constant_neurons(net: Network, l: int) -> tuple[int, ...]:
    """The neurons of hidden layer ``l`` with zero incoming weights. Cost: $O(n_l n_{l-1})$, vectorised (a
    784-4096 layer: milliseconds, where building its rational rows takes 2 s)."""
    return tuple(int(i) for i in np.flatnonzero(~net.weights[l - 1].nonzero_rows()))


def off_neurons(net: Network) -> list[tuple[int, ...]]:
    r"""Per hidden layer, the neurons whose pre-activation is negative on every input by the signs of their weights:
    in layer 1 a zero row with $b < 0$; in layer $l \ge 2$, whose inputs are $\sigma(\cdot) \ge 0$, $b < 0$ and
    no positive weight from a neuron of layer $l - 1$ that is not itself off or zero (incoming weights and bias
    $0$: it outputs $0$). Such a neuron outputs 0, and its
    incoming row, bias and outgoing column have zero gradient on every input (no pre-activation vanishes on an open
    set). Neurons off only on the image of the earlier layers need their regions (:func:`never_active` in
    :mod:`~semialg.families.deep.moves`). Cost: $O(D)$, vectorised on the integer forms.

    >>> off_neurons(Network.from_arrays([[[1], [-1]], [[-1, -2], [1, -1]], [[1, 1]]], [[0, 0], [-1, -1], [0]]))
    [(), (0,)]
    """
    out, prev = [], None
    for l, zero in enumerate(net.zero_neurons(), start=1):
        W, b = net.weights[l - 1], net.biases[l - 1]
        live_input = W.nonzero_rows() if prev is None else W.positive()[:, ~prev].any(axis=1)
        off = ~live_input & np.array([x < 0 for x in b], dtype=bool)
        out.append(tuple(int(i) for i in np.flatnonzero(off)))
        prev = off | zero           # a zero neuron outputs 0 too: a positive weight from it turns nothing on
    return out


def off_masks(net: Network) -> list[np.ndarray]:
    """Per hidden layer, a boolean mask of the neurons off on every input: by the signs of their weights
    (:func:`off_neurons`), or zero (incoming weights and bias $0$: pre-activation $0$, output $0$). Cost: $O(D)$,
    vectorised.

    >>> [m.tolist() for m in off_masks(Network.from_arrays([[[1], [0]], [[1, 1]]], [[0, 0], [0]]))]
    [[False, True]]
    """
    out = []
    for mask, off in zip(net.zero_neurons(), off_neurons(net), strict=True):
        mask[list(off)] = True
        out.append(mask)
    return out



def silent_masks(net: Network, off: list[np.ndarray], hidden: dict | None = None) -> list[np.ndarray]:
    r"""Per hidden layer, a boolean mask of the *silent* neurons: from the last hidden layer down, those ``off``
    (masks as :func:`off_masks`) or whose non-zero outgoing weights all reach silent neurons or are hidden
    (``hidden[l + 1, r]`` lists the neurons $j$ of layer $l$ with $W_{l+1}[r, j]$ hidden: $r$ off wherever $j$ is
    on); no output is silent. A silent neuron's back-propagated coefficient is $0$ on every region (where it is
    on, every neuron it reaches is off), so no derivative of $f$ reads its incoming weights and bias; without
    ``hidden``, with ``off`` the neurons off by their signs, any change of them keeps $f$ (a neuron off by its
    signs has no positive weight from a neuron that can be on, so it stays off). Cost: $O(D)$, vectorised.

    >>> net = Network.from_arrays([[[1], [-1]], [[1, 0], [-1, -1]], [[1, 1]]], [[0, 0], [1, -1], [0]])
    >>> [m.tolist() for m in silent_masks(net, off_masks(net))]     # neuron 2 of layer 1 reaches only an off one
    [[False, True], [False, True]]
    """
    out, above = [], np.zeros(net.widths[-1], dtype=bool)
    for l in range(net.depth - 1, 0, -1):
        reads = net.weights[l].nonzero()
        for (layer, r), inputs in (hidden or {}).items():
            if layer == l + 1:
                reads[r, inputs] = False
        above = off[l - 1] | ~reads[~above].any(axis=0)
        out.append(above)
    return out[::-1]


def _line_classes(net: Network, l: int) -> tuple[tuple[tuple[int, fmpq], ...], ...]:
    """The neurons of layer ``l`` whose non-zero rows are multiples of one another, grouped: each class lists
    ``(i, lam)`` with $r_{l,i} = \\lambda\\,k$ for the class's key $k$ (:func:`semialg.core.exact.normalise_row`),
    in the order of the neurons; classes of one neuron are left out.

    Candidates share the projection of the row on a fixed integer vector divided by the row's first non-zero
    entry (one exact matrix-vector product, in C); only they are normalised and compared exactly. Kept for the
    last few layers: the identifiability of a 784-4096-1-10 bottleneck asks nine times (0.05 s each)."""
    W, b = net.weights[l - 1], net.biases[l - 1]
    key = (W, tuple(b))
    if key not in _LINE_CLASSES:
        _LINE_CLASSES[key] = _classes_of_lines(W, b)
        while len(_LINE_CLASSES) > 4:
            del _LINE_CLASSES[next(iter(_LINE_CLASSES))]
    return _LINE_CLASSES[key]


_LINE_CLASSES: dict = {}        # (W, b) -> the classes of _line_classes, oldest first


def _classes_of_lines(W, b) -> tuple[tuple[tuple[int, fmpq], ...], ...]:
    u = [(37 * k + 11) % 101 - 50 for k in range(W.shape[1] + 1)]
    proj = W.matvec([fmpq(x) for x in u[:-1]])
    groups: dict = {}
    for i, (w0, c, p) in enumerate(zip(_leads(W), b, proj, strict=True)):
        lead = w0 or c
        if lead:
            v = (p + c * u[-1]) / lead
            groups.setdefault((v.p, v.q), []).append(i)
    out = []
    for members in (m for m in groups.values() if len(m) > 1):
        classes: dict = {}
        for i in members:
            key, scale, sign = normalise_row(tuple(W[i]) + (b[i],))
            classes.setdefault(key, []).append((i, sign * scale))
        out += [tuple(c) for c in classes.values() if len(c) > 1]
    return tuple(out)


def _leads(W) -> list[fmpq]:
    """The first non-zero entry of each row of ``W`` (0 for a zero row), read from its integer or float form: the
    rational rows of a wide layer (2 s at 784-4096) are built only when it has neither."""
    A = W.numerators if W.has_integer_form else W.floats
    if A is None:
        return [next((x for x in w if x), _ZERO) for w in W]
    vals = A[np.arange(A.shape[0]), (A != 0).argmax(axis=1)].tolist()
    if A is W.floats:
        return [fmpq(*float(v).as_integer_ratio()) for v in vals]
    return [fmpq(int(v), W.denominator) for v in vals]


def hyperplane_pairs(net: Network, l: int) -> tuple[list, list]:
    """``(twins, opposite)``: every pair of neurons $i < j$ of layer ``l`` with non-zero weights and
    $r_{l,j} = \\pm\\mu\\,r_{l,i}$, $\\mu > 0$, as ``(i, j, mu)``, ordered by ``(j, i)``. Cost: $O(\\dim\\Omega)$ plus
    the pairs."""
    twins, opposite = [], []
    for members in _line_classes(net, l):
        if not any(net.weights[l - 1][members[0][0]]):
            continue  # constant neurons: their bias alone is no hyperplane
        for a, (j, lj) in enumerate(members):
            for i, li in members[:a]:
                mu = lj / li
                (twins if mu > 0 else opposite).append((i, j, abs(mu)))
    return sorted(twins, key=lambda t: (t[1], t[0])), sorted(opposite, key=lambda t: (t[1], t[0]))


def phantom_pairs(net: Network, l: int) -> list[tuple[int, int, fmpq]]:
    r"""The opposite pairs ``(i, j, mu)`` of :func:`hyperplane_pairs` whose outgoing columns cancel,
    $c_{l,i} + \mu c_{l,j} = 0$: as $\sigma(z) - \sigma(-z) = z$ the pair computes the affine function
    $c_{l,i}\,z_i$, kinkless, and its hyperplane can be translated with the next bias compensating. Cost: that of
    :func:`hyperplane_pairs`.

    >>> phantom_pairs(Network.from_arrays([[[1], [-2]], [[1, "-1/2"]]], [[-1, 2], [0]]), 1)
    [(0, 1, 2)]
    """
    return [(i, j, mu) for i, j, mu in hyperplane_pairs(net, l)[1]
            if not any(x + mu * y for x, y in zip(column(net, l, i), column(net, l, j), strict=True))]


def pair_relocations(net: Network, l: int) -> list[tuple[int, int, int, fmpq, fmpq]]:
    r"""``(i, j, q, mu, nu)`` for every opposite pair $(i, j, \mu)$ of :func:`hyperplane_pairs` of layer ``l`` and
    every neuron $q$ outside the opposite pairs with weights $w_q = \nu w_i$, $\nu \ne 0$ (a parallel hyperplane):
    as $\sigma(z) - \sigma(-z) = z$, neuron $j$ can move opposite to $q$, the linear parts agreeing up to a constant
    that the next bias takes (the witness move "pair relocation"). Cost: $O(\#\text{pairs} \cdot n_l n_{l-1})$.

    >>> pair_relocations(Network.from_arrays([[[1], [-1], [2]], [[1, 1, 1]]], [[0, 0, -1], [0]]), 1)
    [(0, 1, 2, 1, 2)]
    """
    _, opposite = hyperplane_pairs(net, l)
    paired = {x for i, j, _ in opposite for x in (i, j)}
    out = []
    for i, j, mu in opposite:
        wi = net.weights[l - 1][i]
        k0 = next(t for t, x in enumerate(wi) if x)
        for q in range(len(net.weights[l - 1])):
            wq = net.weights[l - 1][q]
            nu = wq[k0] / wi[k0]
            if q not in paired and nu and tuple(nu * x for x in wi) == tuple(wq):
                out.append((i, j, q, mu, nu))
    return out


def twin_pairs(net: Network, l: int) -> tuple[tuple[int, int], ...]:
    """Pairs (first neuron, later neuron) of layer ``l`` with positively proportional non-zero rows (constant
    neurons of biases of one sign included), each later neuron paired with the first of its kind; sorted."""
    pairs = []
    for members in _line_classes(net, l):
        first: dict = {}
        for i, lam in members:
            positive = lam > 0
            if positive in first:
                pairs.append((first[positive], i))
            else:
                first[positive] = i
    return tuple(sorted(pairs))


def flip_residual(net: Network, l: int, S: Sequence[int]) -> list[Vec]:
    """The rows $\\sum_{i \\in S} W_{l+1}[o,i]\\,W_l[i,:]$ ($o$ over layer $l+1$); the 0-factor precondition
    is that all vanish. Cost: $O(|S|\\,n_{l+1} n_{l-1})$."""
    W, C = net.weights[l - 1], net.weights[l]
    out = []
    for r in C:
        acc = [_ZERO] * len(W[0])
        for i in S:
            if r[i]:
                acc = [a + r[i] * w for a, w in zip(acc, W[i], strict=True)]
        out.append(tuple(acc))
    return out


def flip_terms(net: Network, l: int, S: Sequence[int] | None = None) -> OuterProducts:
    """For each neuron $i \\in S$ (default: every neuron of layer ``l``) the matrix $W_{l+1}[:,i]\\,W_l[i,:]$ as
    one vector (row by row): :func:`flip_residual` of $S$ is their sum, so the 0-factors are the zero sums. The
    vectors are multiplied out when read (:class:`~semialg.geometry.valuation_peeling.OuterProducts`). Cost: $O(1)$
    for every neuron, $O(|S|(n_{l+1} + n_{l-1}))$ otherwise; $O(n_{l+1} n_{l-1})$ a vector read."""
    a, w = net.weights[l].T, net.weights[l - 1]
    if S is not None and list(S) != list(range(w.shape[0])):     # every neuron: the layers keep their integer forms
        a, w = (RationalMatrix.from_rows([M.row(i) for i in S]) for M in (a, w))
    return OuterProducts(a, w)


#: Steps predicted below this many seconds run even past a deadline: a spent budget still gets the cheap decisions
#: (budget 0 on a small network keeps its exact answer).
CHEAP_SECONDS = 1.0


def predicted_late(deadline: float | None, seconds: float) -> bool:
    """Whether a step predicted to take ``seconds`` (not cheap: :data:`CHEAP_SECONDS`) would end past ``deadline``
    (a ``time.monotonic()`` value; ``None``: never). Cost: $O(1)$."""
    return deadline is not None and seconds > CHEAP_SECONDS and time.monotonic() + seconds > deadline


# The last network (found by identity: hashing a wide one costs a tenth of a second) and its sketches by (l, seed).
_SKETCHES: list = [None, {}]


def rank_one_sketch(net: Network, l: int, seed: int = 0) -> bool:
    """:func:`~semialg.core.modular.rank_one_independent` of the flip factors $W_{l+1}[:,i]$, $W_l[i,:]$ of layer
    ``l``: ``True`` proves that no 0-factor exists there. Kept for the last network: identifiability asks it for the
    flip witness and again for genericity (a 784-4096-10 layer: 5.4 s each). Cost: that of the sketch,
    :func:`rank_one_sketch_seconds`."""
    if _SKETCHES[0] is not net:
        _SKETCHES[:] = [net, {}]
    known = _SKETCHES[1]
    if (l, seed) not in known:
        known[l, seed] = rank_one_independent(net.weights[l].T, net.weights[l - 1], seed=seed)
    return known[l, seed]


def rank_one_sketch_seconds(net: Network, l: int, seed: int = 0) -> float:
    """The predicted seconds of :func:`rank_one_sketch`: 0 when it is kept or when the $n_l$ flip terms outnumber
    the dimension $n_{l+1}n_{l-1}$ of their space (it answers at once), else
    :func:`~semialg.core.modular.rank_mod_seconds` of $n_l \\times n_l$. Cost: $O(1)$."""
    n = net.weights[l - 1].shape[0]
    if (_SKETCHES[0] is net and (l, seed) in _SKETCHES[1]) or n > net.weights[l].shape[0] * net.weights[l - 1].shape[1]:
        return 0.0
    return rank_mod_seconds(n, n)


#: Seconds per entry of the flip terms for :func:`zero_factor_search` to peel them by the valuations of their factors
#: (a 784-4096-1-10 layer, 3.2 million entries: 0.3-0.6 s over four seeds); the later stages start only when
#: predicted to end before the deadline (:data:`~semialg.geometry.zero_sum.AFTER_PEELING_ENTRY_SECONDS`).
FLIP_ENTRY_SECONDS = 2e-7


def zero_factor_seconds(net: Network, l: int) -> float:
    """The predicted seconds of :func:`zero_factor_search` on layer ``l`` to the end of its peeling, which reads the
    terms of the first output first: proportional to their $n_l\\,n_{l-1}$ entries (:data:`FLIP_ENTRY_SECONDS`).
    Cost: $O(1)$."""
    (n, m) = net.weights[l - 1].shape
    return FLIP_ENTRY_SECONDS * n * m


_DECIDED: dict = {}     # (W_l, W_{l+1}, budget) -> the last decided zero_factor_search


def zero_factor_search(net: Network, l: int, budget: int, deadline: float | None = None) -> ZeroSumDecision:
    """Whether some non-empty $S$ of layer ``l`` is a 0-factor, $\\sum_{i \\in S} W_{l+1}[:,i]\\,W_l[i,:] = 0$, with a
    certificate either way (:func:`~semialg.geometry.zero_sum.find_zero_sum_set` on the :func:`flip_terms`), or
    ``"undecided"`` when the :func:`zero_factor_seconds` predicted would end past ``deadline`` (a
    ``time.monotonic()`` value; not started then: :func:`predicted_late`) or the search stops at it (a search predicted
    cheap stops :data:`CHEAP_SECONDS` after its start at the earliest). The last decided answer is kept for its
    two layers' weights and returned instead of a search that would start: identifiability asks it for the flip witness and for genericity (784-512-10 with a
    planted pair: 15 s each), and a bottleneck's identifiability again for its inner network (784-4096-1-10: 8 s
    each). Cost: that of the search, about :func:`zero_factor_seconds` before its exact stages; $O(1)$ when kept."""
    seconds = zero_factor_seconds(net, l)
    if predicted_late(deadline, seconds):
        return ZeroSumDecision("undecided", tried=(f"not started: predicted {seconds:.3g} s for the flip terms, "
                                                   "past the deadline",))
    key = (net.weights[l - 1], net.weights[l], budget)
    if key in _DECIDED:                     # what the search would find again
        return _DECIDED[key]
    decision = find_zero_sum_set(flip_terms(net, l), budget, _cheap_past(deadline, net, l))
    if decision.status != "undecided":      # a decided answer holds whatever the deadline
        _DECIDED.clear()
        _DECIDED[key] = decision
    return decision


def zero_factors(net: Network, l: int, limit: int = ZERO_SUM_LIMIT,
                 deadline: float | None = None) -> list[tuple[int, ...]]:
    """Every 0-factor of layer ``l`` among its live neurons (neither dead nor constant): the non-empty sets $S$
    with $\\sum_{i \\in S} W_{l+1}[:,i]\\,W_l[i,:] = 0$, as :func:`semialg.geometry.zero_sum.zero_sum_sets` lists
    them (components of at most ``limit`` dependent vectors; :class:`~semialg.errors.UndecidedError` beyond). Cost:
    one exact kernel of the :func:`flip_terms`, then a meet-in-the-middle search exponential in half of each
    component's size — unless :func:`~semialg.core.modular.rank_one_independent` certifies the flip terms
    independent in $O(n^2(n_{l+1} + n_{l-1}))$ (then there is none; a 784-4096-10 layer: 6 s, not minutes).
    No stage is started when predicted to end past ``deadline`` (a ``time.monotonic()`` value; ``None``: none;
    :func:`predicted_late`): without the sketch the search peels the terms of the first output first
    (784-4096-10: 0.6 s); :class:`~semialg.errors.UndecidedError` when it is not decided in time.

    >>> zero_factors(Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]]), 1)
    [(0, 1, 2)]
    """
    off = set(dead_neurons(net, l)) | set(constant_neurons(net, l))
    live = [i for i in range(len(net.weights[l - 1])) if i not in off]
    W, C = net.weights[l - 1], net.weights[l]
    whole = len(live) == W.shape[0]
    seconds = rank_one_sketch_seconds(net, l, 0) if whole else rank_mod_seconds(len(live), len(live))
    late = predicted_late(deadline, seconds)        # then the peeling alone (784-4096-10: 0.6 s, the sketch 6 s)
    if not late and (rank_one_sketch(net, l, 0) if whole else
                     rank_one_independent([tuple(r[i] for r in C) for i in live], [W[i] for i in live])):
        return []
    if predicted_late(deadline, zero_factor_seconds(net, l)):
        raise UndecidedError(f"0-factors of layer {l}: the rank-one sketch did not certify the {len(live)} flip terms "
                             f"independent{f' (predicted {seconds:.3g} s: not started)' if late else ''}, and the "
                             f"peeling of the flip terms (predicted "
                             f"{zero_factor_seconds(net, l):.3g} s) would end past the budget (deadline)")
    return [tuple(live[s] for s in S) for S in zero_sum_sets(flip_terms(net, l, live), limit,
                                                             _cheap_past(deadline, net, l))]


def _cheap_past(deadline: float | None, net: Network, l: int) -> float | None:
    """``deadline`` for the 0-factor search of layer ``l``, moved to :data:`CHEAP_SECONDS` from now when the whole
    search, the stages after the peeling included, is predicted cheap: it then runs even past the deadline, bounded
    (:data:`~semialg.geometry.zero_sum.AFTER_PEELING_ENTRY_SECONDS`)."""
    (n, m), k = net.weights[l - 1].shape, net.weights[l].shape[0]
    seconds = zero_factor_seconds(net, l) + AFTER_PEELING_ENTRY_SECONDS * n * m * k
    if deadline is None or seconds > CHEAP_SECONDS:
        return deadline
    return max(deadline, time.monotonic() + CHEAP_SECONDS)


def _layer(net: Network, l: int) -> tuple[list[Vec], list[fmpq], list[Vec], list[fmpq]]:
    """The rows $W_l[i,:]$, biases $b_l[i]$, outgoing columns $c_{l,i}$ and next bias $b_{l+1}$ as lists to
    edit; :func:`_with_layer` puts them back."""
    return list(net.weights[l - 1]), list(net.biases[l - 1]), columns(net, l), list(net.biases[l])


def _with_layer(net: Network, l: int, W: list, b: list, cols: list[Vec], next_bias: Sequence[fmpq]) -> Network:
    """``net`` with the rows, biases and outgoing columns of hidden layer ``l`` and the bias $b_{l+1}$ replaced
    (the width unchanged)."""
    Ws, bs = list(net.weights), list(net.biases)
    Ws[l - 1], bs[l - 1] = W if isinstance(W, RationalMatrix) else tuple(tuple(w) for w in W), tuple(b)
    Ws[l], bs[l] = tuple(zip(*cols, strict=True)), tuple(next_bias)
    return Network(tuple(Ws), tuple(bs))


def negate(net: Network, l: int, S: Sequence[int]) -> Network:
    """$\\theta_S$: negate $r_{l,i}$ for $i \\in S$ and add $W_{l+1}[:,S]\\,b_l[S]$ to $b_{l+1}$, whatever $S$. As
    $\\sigma(-z) = \\sigma(z) - z$, this subtracts $\\sum_{i \\in S} W_{l+1}[:,i]\\,W_l[i,:]\\,z_{l-1}$ (the
    :func:`flip_residual` applied to the input of layer $l$) from $z_{l+1}$; :func:`flip` is the case where that
    vanishes. Cost: $O(|S|\\,n_{l+1} + n_l(n_{l-1} + n_{l+1}))$.

    >>> net = Network.from_arrays([[[1], [1]], [[1, 1]]], [[0, -1], [0]])
    >>> negate(net, 1, [1])
    Network(1-2-1: W1=[[1], [-1]]; b1=[0, 1]; W2=[[1, 1]]; b2=[-1])
    """
    W, b, cols, nb = net.weights[l - 1], list(net.biases[l - 1]), columns(net, l), list(net.biases[l])
    for i in S:
        nb = [x + c * b[i] for x, c in zip(nb, cols[i], strict=True)]
        b[i] = -b[i]
    return _with_layer(net, l, _rows_times(W, S, -1), b, cols, nb)


def flip(net: Network, l: int, S: Sequence[int]) -> Network:
    """The 0-factor flip: :func:`negate` under its precondition. As $\\sigma(z) = \\sigma(-z) + z$, the function is
    kept iff :func:`flip_residual` vanishes (checked exactly; :class:`CertificateError` if not).
    Cost: $O(|S|\\,n_{l+1} n_{l-1})$."""
    if any(any(r) for r in flip_residual(net, l, S)):
        raise CertificateError(f"flip of {list(S)} in layer {l}: the sum over S of W_{l + 1}[:, i] W_{l}[i, :] "
                               "is not 0")
    return negate(net, l, S)


def clear(net: Network, l: int, S: Sequence[int]) -> Network:
    """Zero the row and the column of every neuron $i \\in S$ of layer ``l`` that is dead ($c_{l,i} = 0$) or
    constant ($W_l[i,:] = 0$: then $c_{l,i}\\sigma(b_l[i])$, the constant it adds, goes into $b_{l+1}$); the
    function and the width are kept. Any other neuron: :class:`CertificateError`.
    Cost: $O(n_l(n_{l-1} + n_{l+1}))$.

    >>> net = Network.from_arrays([[[0], [1]], [[2, 1]]], [[3, 0], [0]])
    >>> clear(net, 1, [0])
    Network(1-2-1: W1=[[0], [1]]; b1=[0, 0]; W2=[[0, 1]]; b2=[6])
    """
    W, b, cols, nb = net.weights[l - 1], list(net.biases[l - 1]), columns(net, l), list(net.biases[l])
    live = W.nonzero_rows()
    for i in S:
        if live[i] and any(cols[i]):
            raise CertificateError(f"neuron {i + 1} of layer {l} is neither dead nor constant")
        if not live[i] and b[i] > 0:
            nb = [x + c * b[i] for x, c in zip(nb, cols[i], strict=True)]
        b[i], cols[i] = _ZERO, (_ZERO,) * len(cols[i])
    return _with_layer(net, l, _rows_times(W, S, 0), b, cols, nb)


def _rows_times(W: RationalMatrix, S: Sequence[int], t: int) -> RationalMatrix:
    """``W`` with the rows in ``S`` multiplied by the integer ``t`` (0: cleared, -1: negated), on its integer form
    when at hand (the rational rows of a 4,096 x 784 layer take 2 s to build)."""
    if W.has_integer_form:
        N = W.numerators.copy()
        N[list(S)] *= t
        return RationalMatrix.from_integers(N, W.denominator)
    picked = set(S)
    return RationalMatrix.from_rows(tuple(tuple(t * x for x in r) if i in picked else r for i, r in enumerate(W)))


def _factor(net: Network, l: int, i: int, j: int, positive: bool) -> fmpq:
    """$\\mu > 0$ with $r_{l,j} = \\pm\\mu\\,r_{l,i}$ (sign ``+`` if ``positive``), or :class:`CertificateError`."""
    ki, si, gi = normalise_row(row(net, l, i))
    kj, sj, gj = normalise_row(row(net, l, j))
    if gi == 0 or gi != (gj if positive else -gj) or ki != kj:
        raise CertificateError(f"neurons {i + 1} and {j + 1} of layer {l} are not "
                               + ("positive twins" if positive else "an opposite pair"))
    return sj / si


def shift_twins(net: Network, l: int, pairs: Sequence[tuple[int, int]],
                factors: Sequence[fmpq] | None = None) -> Network:
    """For each pair ``(i, j)`` of positive twins ($r_{l,j} = \\lambda r_{l,i}$, $\\lambda > 0$, checked exactly):
    $c_{l,i} \\mathrel{+}= \\lambda c_{l,j}$ and $c_{l,j} = 0$, which keeps the function since $\\sigma(\\lambda z) =
    \\lambda\\sigma(z)$; neuron $j$ is left dead. A caller that has checked $r_{l,j} = \\lambda r_{l,i}$ against
    its own record passes the ``factors`` $\\lambda$ (zero rows then allowed: both neurons compute 0).
    Cost: $O(n_l(n_{l-1} + n_{l+1}))$ per pair."""
    cols = columns(net, l)
    for p, (i, j) in enumerate(pairs):
        lam = _factor(net, l, i, j, True) if factors is None else factors[p]
        cols[i] = tuple(x + lam * y for x, y in zip(cols[i], cols[j], strict=True))
        cols[j] = (_ZERO,) * len(cols[j])
    return _with_layer(net, l, net.weights[l - 1], net.biases[l - 1], cols, net.biases[l])


def trade_opposite(net: Network, l: int, pairs: Sequence[tuple[int, int]], shifts: Sequence[Vec],
                   factors: Sequence[fmpq] | None = None) -> Network:
    """Opposite ``pairs`` $(i_p, j_p)$ ($r_{l,j} = -\\mu r_{l,i}$, $\\mu > 0$) trade outgoing weights: with
    ``shifts`` $Y_p$, $c_{l,i_p} \\mathrel{+}= Y_p$, $c_{l,j_p} \\mathrel{-}= Y_p/\\mu_p$, $b_{l+1} \\mathrel{-}=
    \\sum_p Y_p b_l[i_p]$. As $\\sigma(z) - \\sigma(-z) = z$ the function is kept iff $\\sum_p Y_p W_l[i_p,:] = 0$;
    both conditions are checked exactly (:class:`CertificateError`), the first unless the caller, having checked
    it against its own record, passes the ``factors`` $\\mu_p$. Cost: $O(|P|\\,n_{l+1} n_{l-1})$."""
    W, b, cols, nb = _layer(net, l)
    total = [[_ZERO] * len(W[0]) for _ in nb]
    for p, ((i, j), y) in enumerate(zip(pairs, shifts, strict=True)):
        mu = _factor(net, l, i, j, False) if factors is None else factors[p]
        if len(y) != len(nb):
            raise CertificateError(f"the shift of the pair ({i}, {j}) has {len(y)} entries, not {len(nb)}")
        cols[i] = tuple(c + v for c, v in zip(cols[i], y, strict=True))
        cols[j] = tuple(c - v / mu for c, v in zip(cols[j], y, strict=True))
        nb = [x - v * b[i] for x, v in zip(nb, y, strict=True)]
        for r, v in zip(total, y, strict=True):
            if v:
                r[:] = [t + v * w for t, w in zip(r, W[i], strict=True)]
    if any(any(r) for r in total):
        raise CertificateError(f"the shifts of the opposite pairs of layer {l} do not satisfy "
                               f"sum_p Y_p W_l[i_p, :] = 0")
    return _with_layer(net, l, W, b, cols, nb)


def image_regions(net: Network, l: int, deadline: float | None = None) -> list:
    """The linear regions of layers $1, \\dots, l-1$ (:func:`semialg.engine.regions.regions` of the truncated
    network): on each, every pre-activation $z_{l,i}$ is affine. Exponential in the worst case; past ``deadline``
    (:func:`time.monotonic`) :class:`~semialg.errors.UndecidedError`. The latest few are kept: the search for a
    witness and the check of the move it finds read the same regions."""
    key = (net, l)
    if key not in _IMAGES:
        budget = None if deadline is None else max(deadline - time.monotonic(), 1e-3)
        _IMAGES[key] = regions(Network(net.weights[:l], net.biases[:l]), budget=budget)
        while len(_IMAGES) > 4:
            _IMAGES.pop(next(iter(_IMAGES)))
    return _IMAGES[key]


_IMAGES: dict = {}


def sign_somewhere(region, i: int, sign: int) -> bool:
    """Whether $\\mathrm{sign}\\cdot z_{l,i} > 0$ somewhere in the open ``region`` of :func:`image_regions`, by
    :meth:`~semialg.engine.regions.Region.somewhere_positive` (answers kept with the region)."""
    a, c = region.linear[i], region.offset[i]
    return region.somewhere_positive(a, c) if sign > 0 else region.somewhere_positive(tuple(-x for x in a), -c)
