r"""The mechanisms (symmetries beyond $G$) a bottleneck parameter's combinatorial type carries, listed to first order.

:func:`hidden_symmetries` names each move of the math note present at $\theta$ with what it adds (a continuous
family and its dimension, or a number of discrete choices), how the deeper layers act on it and whether it freezes
its parameters; :func:`~semialg.families.bottleneck.realisation.hidden_symmetries` then settles the mixed hidden
neurons (Gegenfurtner, Grillo, Montúfar, *The Symmetries of Three-Layer ReLU Networks*).

>>> [m.name for m in hidden_symmetries(Network.from_arrays([[[1], [-1]], [[-1, -1]], [[2]]], [[0, 0], [-1], [0]]))]
['constant function', 'bottleneck neuron off']
"""

from __future__ import annotations

import functools
import time
from typing import Sequence

from flint import fmpq

from semialg.core.exact import rank
from semialg.core.mechanism import Mechanism
from semialg.core.network import Network
from semialg.errors import ArchitectureError, UndecidedError
from semialg.engine.hyperplane_keys import oriented_rows, rank_at_least_two
from semialg.engine.neurons import pair_relocations, phantom_pairs, predicted_late, zero_factors
from semialg.families.bottleneck.arrangement import NetworkArrangement, extreme_values, h_on_cells, sup_value
from semialg.families.bottleneck.line_fibre import line_profile, sigma_network
from semialg.families.bottleneck.plateau import hyperplane_in_zero_set
from semialg.families.bottleneck.ridge import ridge_profile
from semialg.families.bottleneck.types import combinatorial_type
from semialg.families.bottleneck.views import _ZERO, OuterView, RidgeView
from semialg.families.shallow import canonical_form, hidden_symmetries as shallow_hidden_symmetries
from semialg.geometry.zero_sum import count_zero_sum_sets

__all__ = ["INNER_SECONDS_PER_WEIGHT", "hidden_symmetries"]

#: Seconds per first-layer weight of the shallow work on $h$ after the type, which no deadline cuts (its 0-factor
#: peeling and lines; the $G$-orbit fibre's construction about half that): 0.4-0.75 s at 784-4096, 0.09 s at
#: 784-1024 (the keys of the lines reduced to lowest terms only when fingerprinted; 1.1 s before).
INNER_SECONDS_PER_WEIGHT = 2.5e-7


def _mixed_patterns(net: Network, mixed: Sequence[int], deadline: float | None) -> set:
    r"""The activity patterns $([z_k > 0])_{k}$ of the U$\pm$ neurons ``mixed`` on the cells of the first layer's
    arrangement that meet $P$ (each constant on a component of $P$, as $H_k$ misses $P$). A member near $\theta$
    changes $h$ on a component $K$ by $\sum_k [z_k > 0 \text{ on } K]\,D_k + C$, $D_k = v'_k\ell'_k - v_k\ell_k$ and $C$
    the change of the U+ neurons and $e$ (the same on every component); $h$ is kept on $P$ iff that is 0 on every
    $K$, so when these patterns and the constant 1 are independent, $D = 0$: no move of a U$\pm$ neuron beyond
    $G$. Cost: that of :func:`h_on_cells`."""
    _, _, ranges, patterns = h_on_cells(net, deadline)
    return {tuple(p[i] for i in mixed) for p, r in zip(patterns, ranges, strict=True) if r >= 0}

def _plateau(view: OuterView, value, sign: int) -> bool:
    r"""The necessary conditions for members below the plateau $\{h = \text{value}\}$ at the minimum
    (``sign`` $= 1$) or supremum ($-1$) of $h$ (:mod:`~.plateau`): $h \equiv$ value on a cell of the first
    layer's arrangement (an open set) and, unless the kink hyperplanes are parallel, a hyperplane inside
    $\{g = 0\}$, $g = \pm(h - \text{value}) \ge 0$ (decided exactly)."""
    arr = NetworkArrangement((view.inner,))
    zero = (fmpq(0),) * arr.dim
    if all(A != (zero, value) for A in arr.affine_maps(arr.neuron_data(view.inner), arr.cells)):
        return False
    keys = [tuple(key) for key, _ in canonical_form(view.inner).kinks]
    if rank([k[:-1] for k in keys]) <= 1:
        return True
    g = Network((view.w, (tuple(sign * x for x in view.v),)), (view.b, (sign * (view.e - value),)))
    return hyperplane_in_zero_set(g, keys) is not None


def _pair_moves(net: Network, layer: int, classes: Sequence[str], kinked: tuple, bias: str) -> list[Mechanism]:
    """Phantom pairs of ``layer`` of two classes in ``kinked`` (others move with their class: hidden, dead, A block;
    one dimension each) and pair relocations (:mod:`~semialg.engine.neurons`), the next ``bias`` compensating."""
    move, out = functools.partial(_move, layer=layer, relation=f"compensated by {bias}"), []
    if phantoms := [(i, j) for i, j, _ in phantom_pairs(net, layer) if classes[i] in kinked and classes[j] in kinked]:
        out.append(move("phantom pairs", "continuous", len(phantoms), neurons=tuple(sorted(sum(phantoms, ()))),
                        description="c_i s(z) + c_j s(-mu z) = c_i z: the pair has no kink, its hyperplane (kink "
                        f"point) moves, {bias} compensating (one dimension per pair)"))
    if moved := pair_relocations(net, layer):
        out.append(move("pair relocations", "discrete", None, neurons=tuple(sorted({n for m in moved for n in m[:3]})),
                        description="s(z) - s(-z) = z: an opposite pair's second neuron moves opposite to a neuron on "
                        f"a parallel hyperplane, the linear parts agreeing up to a constant that {bias} takes"))
    return out


def _move(name: str, kind: str, size: int | None, relation: str, neurons: tuple, description: str,
          layer: int, freezes: bool = False) -> Mechanism:
    continuous = kind == "continuous"
    return Mechanism(name, continuous, size if continuous else 0, 1 if continuous else size, tuple(neurons),
                     description, layer, freezes, relation)


#: Sizes up to which :func:`_negative_everywhere` computes $\sup h$ on the arrangement when the signs do not decide.
SUP_INPUTS, SUP_NEURONS = 2, 12


def _negative_everywhere(view: OuterView) -> bool:
    r"""Whether $h < 0$ on every input and no first-layer pre-activation vanishes on an open set ($w_i = 0 = b_i$):
    $P$ empty with no tie, where $\{h = 0\}$ would contain an open set and nearby parameters open $P$. By signs
    ($h \le e + \sum_{w_i = 0} v_i\sigma(b_i) < 0$ when every other $v_i \le 0$, $O(n_1n_0)$), else
    $\sup h < 0$ (:func:`~.arrangement.sup_value`) for $n_0 \le$ :data:`SUP_INPUTS`, $n_1 \le$ :data:`SUP_NEURONS`."""
    rows = view.w.nonzero_rows()
    if any(not z and not b for z, b in zip(rows, view.b, strict=True)):
        return False
    const = view.e + sum((v * max(b, _ZERO) for z, b, v in zip(rows, view.b, view.v, strict=True) if not z), _ZERO)
    if const < 0 and all(v <= 0 for z, v in zip(rows, view.v, strict=True) if z):
        return True
    if len(view.w[0]) > SUP_INPUTS or len(view.w) > SUP_NEURONS:
        return False
    top = sup_value(view)
    return top is not None and top < 0


#: Sizes up to which :func:`_untied` reads $h$ on the arrangement's cells when a 0-factor contains the neuron.
TIE_INPUTS, TIE_NEURONS = 3, 16


def _untied(net: Network, view: OuterView, hidden: Sequence[int], deadline: float | None) -> tuple[int, ...]:
    r"""The hidden neurons (U$-$: off on $P$) whose active region $\{z_k > 0\}$ meets no open set where $h = 0$:
    there $h < 0$ almost everywhere, so their parameters have zero gradient on every input at $\theta$ and nearby,
    and they freeze. A tie needs a cell where $h$'s affine piece vanishes and neuron $k$ is active, so its active
    live neurons form a 0-factor containing $k$ ($\sum_S v_iw_i = 0$): without one
    (:func:`~semialg.engine.neurons.zero_factors`, the rank-one sketch for generic weights) neuron $k$ is untied;
    with one, the cells decide (:func:`~.arrangement.h_on_cells`, $n_0 \le$ :data:`TIE_INPUTS`,
    $n_1 \le$ :data:`TIE_NEURONS`); otherwise, or past ``deadline``, nothing is claimed for it."""
    try:
        in_factors = {i for S in zero_factors(view.inner, 1, deadline=deadline) for i in S}
    except UndecidedError:
        return ()
    untied = [k for k in hidden if k not in in_factors]
    rest = [k for k in hidden if k in in_factors]
    if rest and net.widths[0] <= TIE_INPUTS and net.widths[1] <= TIE_NEURONS:
        try:
            _, maps, _, patterns = h_on_cells(net, deadline)
        except UndecidedError:
            return tuple(untied)
        zero = ((_ZERO,) * len(maps[0][0]), _ZERO) if maps else None
        ties = {k for A, p in zip(maps, patterns, strict=True) if A == zero for k in rest if p[k]}
        untied += [k for k in rest if k not in ties]
    return tuple(sorted(untied))


def _computes_sigma_h(u, g, n1: int) -> bool | None:
    """Whether a shallow network of width ``n1`` computes $\\sigma(g(u\\cdot x))$
    (:func:`~.line_fibre.sigma_network`; ``None``: undecided, a search beyond 16 breakpoints is not made)."""
    try:
        return sigma_network(u, g.positive_part(), n1) is not None
    except ArchitectureError:
        return None


def _constant_ridge(view: RidgeView, move) -> tuple[Mechanism, ...]:
    r"""A constant case-(b) $f$: every mechanism is hidden, and the parameters whose neuron is off on every input
    freeze, strictly so (no pre-activation vanishing on an open set of inputs, where nearby parameters differ).
    $t = \sigma(w\cdot x + b)$ takes the values $[0, \infty)$ on open sets when $w \ne 0$, else only $\sigma(b)$;
    a second-layer neuron with $v_jt + e_j < 0$ there freezes $(v_j, e_j, c_j)$, and the first-layer neuron
    $(w, b, v)$ freezes when $w = 0 > b$ or every second-layer neuron is off."""
    n2, n3 = len(view.v), len(view.d)
    # the largest value of t, None: unbounded (also for w = 0 = b, where nearby parameters make it so)
    top = None if any(view.w) or not view.b else max(view.b, _ZERO)
    off = tuple(j for j, (v, e) in enumerate(zip(view.v, view.e, strict=True))
                if ((e < 0 and v <= 0) if top is None else v * top + e < 0))
    out = [move("constant function", "continuous", None, "hidden", tuple(range(n2)),
                "f is constant: every mechanism is hidden")]
    if off:
        out.append(move("dead neurons", "continuous", len(off) * (n3 + 1), "off on every input", off,
                        "v_j t + e_j < 0 for every value t of s(w.x + b): (v_j, e_j, c_j) free nearby", freezes=True))
    if (top is not None and view.b < 0) or len(off) == n2:
        out.append(_move("first-layer neuron unseen", "continuous", None, "dead", (0,),
                         "w = 0 > b (t = 0) or every second-layer neuron off: (w, b, v) have zero gradient on every "
                         "input", layer=1, freezes=True))
    return tuple(out)


def hidden_symmetries(net: Network, budget: float | None = None, progress: bool | None = None) -> tuple[Mechanism, ...]:
    r"""Every mechanism of the math note present at a bottleneck parameter, with what it adds.

    Case (b): dead neurons Z (continuous, $n_3 + 1$ each), the A-block trade ($a(n_3+1) - n_3$), kink flips absorbed
    by the A block ($2^k$; without one by $d$ when $\sum_S c_jv_j = 0$), phantom pairs (kinks cancelling, 1 each) and
    pair relocations (:func:`_pair_moves`, also in case (a)), translation of a hidden $H$ (1), reflection
    ($\mathbb{Z}/2$), and $H$ onto / off a kink (:func:`~.moves.move_onto_kink`, two anchors: $H$ on the kink making
    the profile's first breakpoint, or hidden off every kink) when $n_2 \ge m$, the number of breakpoints of the
    profile — exactly when the fibre has types of both anchors: with $H$ hidden the move puts it onto the first kink
    at once; with $H$ visible the A-block trade ($e_A = 0$), the kink flips into the A block (a dead or spare neuron
    revived as an A neuron with $c = 0$ if there is none) and the dead-neuron moves make $\tilde G$ flat on
    $t \le 0$, and the move takes $H$ off its kink; with $n_2 = m - 1$ every neuron makes a kink, $H$ on one always.
    A constant case-(b) $f$: every mechanism hidden, and the neurons off on every input frozen (:func:`_constant_ridge`).
    Case (a): U- freedom ($n_0 + 1$ each; continuous, freezing: each of its parameters a conserved coordinate), the
    U+ $\leftrightarrow e$ trade, the flips of visible neurons absorbed by U+ neurons (discrete, compensated: no
    conservation law; realised by :class:`~.outer_moves.TradeOnP`), U$\pm$ neurons to first order when their
    activity patterns and the constant 1 are dependent (:func:`_mixed_patterns`; else none moves), positive twins
    (rows on one hyperplane with one orientation: continuous, compensated, one dimension per extra twin), the flips of
    $h$ that its opposite pairs' trades and $e$ absorb (the shallow
    :func:`~semialg.families.shallow.symmetries.absorbed_flips` of $h$), and in regime T the $e \leftrightarrow d$
    trade and, when $h$ is bounded and not constant, the reflection $c' = -c/|\mu|$. With $h < 0$ everywhere without
    ties (:func:`_negative_everywhere`; $f = d$, also for $c = 0$) every parameter but $d$ has zero gradient: two
    freezing mechanisms, the first layer's neurons and the bottleneck neuron (layer 2); a neuron with
    $w_i = 0 > b_i$ freezes its row, bias and output weight. Nothing is claimed frozen
    where a pre-activation vanishes on an open set (the Lie count reads nearby parameters there: a dead neuron
    with $e_j = 0$, $h = 0$ on an open set).
    Cost: that of :func:`combinatorial_type` (``budget``, ``progress`` go to it; in regime T also
    :func:`~.arrangement.extreme_values`), then in case (a) the shallow hidden symmetries of $h$ — not started
    when predicted to end past ``budget`` (:data:`INNER_SECONDS_PER_WEIGHT`): :class:`UndecidedError`; with U$\pm$
    neurons the sign of $h$ on each cell of the arrangement.

    >>> [m.name for m in hidden_symmetries(Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]],
    ...                                                        [[-1], [1, -2], [0]]))]
    ['A-block trade', 'kink flips', 'H onto / off a kink']
    """
    deadline = None if budget is None else time.monotonic() + budget
    t = combinatorial_type(net, budget, progress)
    out = []
    idx = lambda cls: tuple(j for j, c in enumerate(t.classes) if c == cls)  # noqa: E731
    n0, n3 = net.architecture.input_dim, net.architecture.output_dim
    move = functools.partial(_move, layer=2 if t.case == "b" else 1)
    if t.case == "b":
        view = RidgeView.of(net)
        if t.regime == "constant":
            return _constant_ridge(view, move)
        Z, A = idx("Z"), idx("A")
        K = idx("K+") + idx("K-")
        # e_j = 0: the pre-activation vanishes where t = 0, an open set, and nearby parameters wake the neuron
        for group, strict in ((tuple(j for j in Z if view.e[j] < 0), True), (tuple(j for j in Z if not view.e[j]),
                                                                              False)):
            if group:
                out.append(move("dead neurons", "continuous", len(group) * (n3 + 1), "dead on t > 0", group,
                                "(v_j, e_j, c_j) free in {v < 0, e < 0} x Q^n3" + ("" if strict else
                                "; e_j = 0: zero on the open set t = 0, not claimed frozen"), freezes=strict))
        if A:
            out.append(move("A-block trade", "continuous", len(A) * (n3 + 1) - n3, "compensated", A,
                            "only S_A = sum c_j v_j and K_A = sum c_j e_j + d are seen"))
            if K:
                out.append(move("kink flips", "discrete", 2 ** len(K), "compensated by the A block",
                                tuple(sorted(K)), "c s(vt+e) = c s(-vt-e) + c(vt+e)"))
        elif K and (sets := count_zero_sum_sets([tuple(view.v[j] * x for x in view.c[j]) for j in K])) != 1:
            out.append(move("kink flips absorbed by d", "discrete", sets, "compensated by d", tuple(sorted(K)),
                            "sum over S of c_j v_j = 0: flipping S changes f by a constant, absorbed by d (" +
                            ("the number of admissible flip sets, the empty one included" if sets is not None else
                             "the number of admissible flip sets is undecided") + ")"))
        out += _pair_moves(net, 2, t.classes, ("K+", "K-"), "d")
        m = len(ridge_profile(net).breakpoints)
        if len(t.classes) >= m:
            out.append(move("H onto / off a kink", "discrete", 2, "H hidden by layer 2 or on a kink",
                            tuple(j for j, c in enumerate(view.c) if any(c)),
                            "b' = b + beta, e'_j = e_j - v_j beta where c_j != 0, G flat between 0 and -beta: "
                            "H on a kink of G or off every kink"))
        silent = tuple(j for j, c in enumerate(t.classes) if c != "Z" and not any(view.c[j]))
        if silent:
            out.append(move("zero-output neurons", "continuous", len(silent), "output weights zero", silent,
                            "c_j = 0: (v_j, e_j) free (one dimension each beyond the scaling)"))
        groups: dict = {}
        for j, c in enumerate(t.classes):
            if c in ("K+", "K-") and any(view.c[j]):
                groups.setdefault((-view.e[j] / view.v[j], c), []).append(j)
        shared = tuple(sorted(j for g in groups.values() if len(g) > 1 for j in g))
        if shared:
            out.append(move("coincident kinks", "continuous",
                            n3 * sum(len(g) - 1 for g in groups.values()), "compensated", shared,
                            "kink neurons at one point with one orientation: only sum c_j v_j is seen"))
        # neurons with c_j = 0 do not stop layer 2 from hiding H
        if t.regime == "hidden" or all(c not in ("A", "K-") for c, cj in zip(t.classes, view.c, strict=True)
                                       if any(cj)):
            out.append(move("hidden hyperplane translation", "continuous", 1, "hidden by layer 2", (),
                            "b' = b + beta, e'_j = e_j - v_j beta while every e'_j < 0"))
        if t.reflective:
            out.append(move("reflection", "discrete", 2, "F constant at both ends", tuple(sorted(K)),
                            "w' = -w, b' = tau_max - b, kinks reflected, d' = F(-inf)"))
        return tuple(out)
    if t.regime == "constant" and not _negative_everywhere(OuterView.of(net)):
        return (move("constant function", "continuous", None, "hidden", tuple(range(len(t.classes))),
                     "f is constant (c = 0 or P empty): every mechanism is hidden"),)
    if t.regime == "constant":      # h < 0 everywhere: s(h) = 0 on every input, so only d has a nonzero gradient
        off = "h < 0 on every input: f = d, and every parameter but d has zero gradient on every input"
        return (move("constant function", "continuous", None, "hidden", tuple(range(len(t.classes))), off,
                     freezes=True),
                _move("bottleneck neuron off", "continuous", None, "dead", (0,), off, layer=2, freezes=True))
    Um, Up, Upm = idx("U-"), idx("U+"), idx("U+-")
    view = OuterView.of(net)
    late = INNER_SECONDS_PER_WEIGHT * net.widths[0] * net.widths[1]
    if predicted_late(deadline, late):
        raise UndecidedError(f"hidden_symmetries: the type was found, but the budget of {budget:.3g} s would be spent "
                             f"by the hidden symmetries of h (about {late:.1f} s for {net.widths[1]} neurons)")
    inner = shallow_hidden_symmetries(view.inner)
    flips = [m for m in inner if m.name == "zero_factor"]
    # a move keeping h keeps f, and one keeping the non-constant h is outside G (c != 0 fixes mu = 1)
    out += [move("flips absorbed by opposite pairs", "discrete", None, "compensated by the opposite pairs and e",
                 m.neurons, f"the shallow mechanism of h (its a_i are v_i, its c is e): {m.description}")
            for m in inner if m.name == "absorbed_flips"]
    out += [move("opposite pair moved to another kink", "discrete", None, "compensated by flips, the pairs and e",
                 m.neurons, f"the shallow mechanism of h (its a_i are v_i, its c is e): {m.description}")
            for m in inner if m.name == "moved_pair"]
    if flips:       # the flip sets distinct up to the group of h are distinct up to G (c != 0 fixes mu = 1)
        live = [i for i, (w, vi) in enumerate(zip(view.w, view.v, strict=True)) if any(w) and vi != 0]
        sets = flips[0].multiplicity or count_zero_sum_sets([tuple(view.v[i] * x for x in view.w[i]) for i in live])
        out.append(move("zero-factor flips", "discrete", sets, "compensated by e", flips[0].neurons,
                        "sum over S of v_i w_i = 0: flipping S changes h by a constant, absorbed by e (" +
                        (f"{sets} flip sets S distinct up to G, the empty one included" if flips[0].multiplicity else
                         f"{sets} admissible flip sets S, the empty one included, not counted up to G" if sets else
                         "the number of admissible flip sets is undecided: a matroid component too large to count")
                        + ")"))
    D = idx("D")
    if D:
        out.append(move("constant neurons (D)", "continuous", None, "constant", D,
                        "w_i = 0 or v_i = 0: the neuron adds a constant to h (absorbed by e; removed by "
                        "DropConstantNeuron); v_i = 0 leaves (w_i, b_i) free, w_i = 0 trades v_i s(b_i) with e "
                        "(a closed condition: the dimension is not given; no conservation law claimed)"))
        # w_i = 0 > b_i: off on every input, strictly, so its row, bias and output weight have zero gradient
        if off := tuple(i for i in D if not any(view.w[i]) and view.b[i] < 0):
            out.append(move("off neurons (D, w = 0 > b)", "continuous", None, "off on every input", off,
                            "w_i = 0 and b_i < 0: s(b_i) = 0 on every input, (w_i, b_i, v_i) frozen", freezes=True))
    if Um:
        # frozen only without a tie: where h = 0 on an open set, nearby parameters see the neuron
        tied = sorted(set(Um) - set(_untied(net, view, Um, deadline)))
        out.append(move("hidden neurons (U-)", "continuous", len(Um) * (n0 + 1), "hidden by the outer ReLU", Um,
                        "dead on P: parameters free in an open set" + (
                            f"; neurons {[i + 1 for i in tied]} may meet h = 0 on an open set where active "
                            "(a 0-factor contains "
                            "them): no law claimed" if tied else ", h < 0 where active: frozen"),
                        freezes=not tied))
    if Up:
        out.append(move("U+ <-> e trade", "continuous", len(Up) * (n0 + 1) - n0, "compensated", Up,
                        "affine on P: any U+ neurons and e reproducing the same affine map on P"))
        V = idx("V")
        if V:
            out.append(move("flips absorbed by U+ neurons", "discrete", None, "compensated by the U+ neurons and e",
                            tuple(sorted(V + Up)), "a visible neuron flipped, (w, b) -> (-w, -b), changes h by "
                            "-v(w.x + b), affine on P: U+ neurons and e absorbing it on P while staying off P "
                            "(the number of admissible flip sets is undecided: it depends on P and on h' <= 0 "
                            "off P; each flip set is checked by TradeOnP when used)"))
    groups: dict = {}
    normals: dict = {}      # a neuron of each line: the rank of the normals does not see their scales
    # keyed on the integer form: normalising 4,096 rows of 784 rationals took 3 s
    for i, ((key, sigma), live, vi) in enumerate(zip(oriented_rows(view.w, view.b), view.w.nonzero_rows(), view.v,
                                                   strict=True)):
        if live and vi != 0:
            groups.setdefault((key, 1 if sigma > 0 else -1), []).append(i)
            normals.setdefault(key, i)
    out += _pair_moves(net, 1, t.classes, ("V",), "e")
    twins = [g for g in groups.values() if len(g) > 1]
    if twins:
        out.append(move("positive twins", "continuous", sum(len(g) - 1 for g in twins), "compensated",
                        tuple(sorted(i for g in twins for i in g)),
                        "rows (w_j, b_j) = lambda (w_i, b_i), lambda > 0: only v_i + lambda v_j is seen"))
    both = [key for key, sign in groups if sign == 1 and (key, -1) in groups]
    free = len(both) - rank([view.w.row(normals[key]) for key in both]) if both else 0
    if free:
        out.append(move("opposite pairs", "continuous", free, "compensated by e",
                        tuple(sorted(i for key in both for s in (1, -1) for i in groups[(key, s)])),
                        "s(z) - s(-z) = z: output weights traded within opposite pairs along sum_p Y_p w_p = 0"))
    V = idx("V")
    paired = [key for key in both if any(i in V for s in (1, -1) for i in groups[(key, s)])]
    if Up and paired:
        out.append(move("opposite pairs absorbed by U+ neurons", "continuous", None,
                        "compensated by the U+ neurons and e",
                        tuple(sorted({i for key in paired for s in (1, -1) for i in groups[(key, s)]} | set(Up))),
                        "output weights traded within opposite pairs on visible hyperplanes with sum_p Y_p w_p != 0: "
                        "the affine change absorbed on P by the U+ neurons (TradeOnP); at most rank(normals) "
                        "dimensions beyond the opposite pairs' own, the exact count undecided here"))
    patterns = _mixed_patterns(net, Upm, deadline) if Upm else None
    if Upm and rank([list(p) + [1] for p in patterns]) <= len(Upm):
        out.append(move("mixed hidden neurons (U+-)", "continuous", None, "hidden by the outer ReLU", Upm,
                        "P meets both sides of H_i but not H_i; their patterns on the components of P and the "
                        "constant 1 are dependent: to first order v_i l_i change along it, the U+ neurons and e "
                        "compensating (a kernel direction of the Jacobian; realisation.hidden_symmetries says "
                        "whether a member realises it)"))
    if t.regime == "T":
        out.append(move("e <-> d trade", "continuous", 1, "compensated", (),
                        "N is empty: f = c h + d is shallow with rank-one output"))
        low, high = extreme_values(view)
        if high is not None and high != low:
            out.append(move("reflection", "discrete", 2, "compensated by d", (),
                            "h bounded (M = sup h): h' = |mu|(M - h) + t, c' = -c/|mu|, d' = d + c(M + t/|mu|)"))
        at = [x for x, sign in ((low, 1), (high, -1)) if x is not None and high != low and _plateau(view, x, sign)]
        if at:
            out.append(move("plateau members", "discrete", None, "hidden by the outer ReLU on the plateau", (),
                            "members with h' < 0 on the plateau {h = " + " or ".join(map(str, at)) + "} "
                            "(EnterPlateau, after the reflection at sup h): necessary conditions hold (h constant "
                            "on an open set there and a hyperplane inside it); whether this width admits such "
                            "members is undecided here (fibre() lists them as plateau pieces); discrete, no "
                            "conservation law (the members' hidden neurons are listed at the members)"))
    elif t.regime == "PN" and not rank_at_least_two(view.w, [v != 0 for v in view.v]) and \
            any(live and v != 0 for live, v in zip(view.w.nonzero_rows(), view.v, strict=True)):     # rank 1
        # neurons with v = 0 do not shape h (their rows need not be parallel), but psi may use them
        u, g = line_profile(net, [i for i, v in enumerate(view.v) if v != 0])
        top = g.positive_part().maximum()
        psi = None if top is None else _computes_sigma_h(u, g, len(view.w))
        if psi:
            out.append(move("reflection", "discrete", 2, "compensated by d", (),
                            f"rows parallel, h <= M = {top} and a width-{len(view.w)} network psi computes s(h): "
                            "h' = t - |mu| psi with t >= |mu| M has s(h') = t - |mu| s(h), so c' = -c/|mu|, "
                            "d' = d + c t/|mu| keep f (piece C of fibre(), not empty)"))
        elif top is not None and (psi is None or _plateau(view, top, -1)):
            out.append(move("reflection", "discrete", None, "compensated by d", (),
                            f"rows parallel, h <= M = {top}: members with c' = -c/|mu| need a width-{len(view.w)} "
                            "network computing s(h) (piece C of fibre(): " +
                            ("undecided beyond 16 breakpoints" if psi is None else "there is none") + ") or, as h = "
                            "M on an open set, sigma(h') = |mu|(M - sigma(h)) (ReflectPlateau, piece Cp); whether "
                            "this width admits them is undecided here"))
    return tuple(out)

