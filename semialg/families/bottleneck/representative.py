r"""Case (a): a generic representative of a non-generic parameter — another parameter of the same architecture
with the same function that is generic, so that its fibre (which is the fibre of $\theta$) is described.

The fibre $\{\theta' : f_{\theta'} = f_\theta\}$ depends only on $f_\theta = c\,\sigma(h) + d$. For a case-(a)
parameter $\theta$ with $n_0 \ge 2$ that fails a genericity or type condition (dead neurons $v_i = 0$, constant
neurons $w_i = 0$, two neurons on one line, 0-factors, hidden lines touching $\overline P$, ...) we look for a
*generic* $\tilde\theta$ with $f_{\tilde\theta} = f_\theta$, keeping $c$ and $d$ and changing $h$ only where
$\sigma$ does not see it:

1. **a core of $h$** (otherwise) — a realization with few neurons of $h$ on $P = \{h > 0\}$, from the shallow reductions
   (never reimplemented): the minimum-width realization :func:`~semialg.families.shallow.minimal_form` of $h$
   (dead and constant neurons gone, neurons of one line merged, the linear part absorbed by flips when
   possible), and the 0-factor reduction :func:`~semialg.families.shallow.zero_factor_reduction`
   $h = h^* + a\cdot x + \alpha$ with $a\cdot x$ realized on $P$ by one neuron affine on $\overline P$ (U+,
   output weight $\mp1$, row $\mp a$, offset beyond the extreme vertices of $\overline P$). When $\theta$ has
   hidden neurons, also the same two cores of its visible part $h_V$ plus the affine map $A$ of $h$ on $P$
   (:class:`~semialg.families.bottleneck.hidden_region.HiddenRegion`'s $H_0$), which drops hidden neurons that
   touch $\overline P$; and every core once more with its neurons whose line misses the interior of
   $\overline P$ moved parallel beyond it (so a touching line, or a vertex on $\{h = 0\}$, moves off);
0. **a ridge function** ($h(x) = g(u\cdot x)$: the minimal form of $h$ has parallel rows, while $\theta$ has
   rows off $u$ — dead neurons, cancelling pairs): $\tilde\theta$ is that minimal form padded with zero neurons;
   it is not generic, but its rows are parallel and the 1-D calculus
   (:mod:`~semialg.families.bottleneck.line_fibre`) describes the fibre of every such parameter;
2. **every freed slot** a hidden neuron dead on $\overline P$ (U−): output weight $-1$ (so $h$ only decreases
   off $P$ and $h \le 0$ off $P$ still holds), a row $w$ in the cone $C^* = \{w : w\cdot r \le 0 \text{ for every
   extreme ray } r \text{ of } \overline P\}$ of rows bounded above on $\overline P$ (every U− row of every member
   lies in $C^*$, every U+ row in $-C^*$), and offset $b = -\max_{\overline P} w\cdot x - k$ (exact: the maximum
   over the vertices of the polyhedra of $\overline P$), $k = 1, 2, \dots$. The rows: (a) the **curve**
   $w_j(s) = (1 + js^2)w_0 + s\beta_j$, $b_j = -\max_{\overline P} w_j\cdot x - j$ ($j = 1..k$), with $w_0 \ne 0$
   a sum of the generators of $C^*$ (exact double description) and $\beta_j$ generators raising the rank, at the
   first integer $s \ge 1$ where the slots add no 0-factor, no two proportional neurons and reach rank
   $\rho = \min(n_0, n_1)$ ($n_0 \ge 3$); (b) a small family (the rows of $\theta$, their negations, the
   coordinate axes, the extreme rays of $\overline P$ negated and turned by $\pm 90°$, points of the relative
   interior of $C^*$) in all combinations. For $n_0 \ge 3$ (a) comes first, for $n_0 = 2$ last;
3. **keep the first candidate that passes both exact checks**: $f_{\tilde\theta} = f_\theta$
   (:func:`~semialg.families.bottleneck.equivalence.equivalent`) and $\tilde\theta$ generic — every locus of
   :func:`semialg.genericity` avoided and every type condition of
   :func:`~semialg.families.bottleneck.genericity.type_checks` holding. Nothing is assumed.

**What is complete.** The exact refusals of :mod:`~semialg.families.bottleneck.obstructions`, each a proof that
*no member of the fibre is generic* (the function forces it), come first; after an unsuccessful search one more
(:func:`_refuted_orientations`): with one slot free beside the seen kinks, every passing orientation refuted
along a ray (a member is then fixed up to the offset $\beta$ of its U+ neuron).
**Theorem** (success of the curve). Let a core
$\Gamma$ compute $f$ (as $c\,\sigma(h_\Gamma) + d$), be *clean* — pass every condition of
:func:`semialg.genericity` and :func:`~semialg.families.bottleneck.genericity.type_checks` as a network of its
own width except full first-layer rank — have $k = n_1 - |\Gamma| \ge 1$ free slots, $C^* \ne \{0\}$, and (for
$n_0 \ge 3$) $\operatorname{rank}(\Gamma) + k \ge \rho$ and $\dim(\operatorname{span}\Gamma + \operatorname{span}
C^*) \ge \rho$. Then for all but finitely many $s$ the curve candidate is generic with the same function, and
the first $s$ passing the cheap slot checks is one. *Proof.* Slots are dead on $\overline P$ at level $\le -j$,
so $f$ is kept, they are U− and touch nothing. A new vertex $p$ lies on a slot hyperplane, off $\overline P$,
where $\tilde h(p) \le h_\Gamma(p) \le 0$; $h_\Gamma(p) = 0$ would make $p$ a maximum of the affine piece $A_C$
of $h_\Gamma$ on a closed cell $\overline C \ni p$ (since $h_\Gamma \le 0$ near $p$), so $A_C = 0$ on a face of
$\overline C$ and on one of its minimal faces — a vertex (point of a minimal flat) of $\Gamma$ on
$\{h_\Gamma = 0\}$, excluded. Old vertices keep the sign of $h_\Gamma$. What remains depends on $s$ only through
non-zero polynomials: a 0-factor through a slot set $J$ needs $\sum_J w_j(s) = \sum_{S} v_iw_i$ for a subset $S$
of $\Gamma$, whose $s^2$ coefficient $(\sum_J j)w_0 \ne 0$; the rank minor of $\Gamma$'s basis and the greedy
slots has $s^q$ coefficient $\det[\Gamma; \beta] \ne 0$; two slots coincide only if $(j' - j)w_0 + s(j'\beta_j -
j\beta_{j'}) = 0$; a slot meets a hidden hyperplane of $\Gamma$ only at roots of a $2\times2$ minor or of
$\gamma(s)\kappa = -j$ with $\gamma$ of degree 2. $\square$ (Connectedness of $P$ is not used.) So the search fails on such a $\theta$ only when
no listed core is clean or computes $f$ (an oriented core drops the unseen kinks, so $h_\Gamma \le 0$ off $P$
can fail; or members need two U+ neurons) — then the error says "none was found", not "none exists", with
what was tried. Counting roots, at most $2^{n_1+1} + n_1^2 + 2n_1 + \rho + 1$ values of $s$
are bad, so the curve is searched up to $s = 2^{n_1+1} + n_1^2 + 2n_1 + n_0 + 2$.

When no candidate passes, :class:`~semialg.errors.ArchitectureError` names the conditions $\theta$ fails and
what was tried — e.g. when $\overline P$ meets every half-space (no hyperplane can hide a neuron) and the cores are
not generic, or when the function itself forces a non-generic type (a mixed neuron U±, an arrangement vertex
of visible lines on $\{h = 0\}$). Cost: at most ``candidates`` candidates, each one exact equivalence test and one
genericity report (plane sweeps of at most $2n_1$ lines for $n_0 = 2$; exact LPs otherwise), plus the curve's
cheap checks ($2^{n_1}$ exact sums and a rank per step, at most $2^{n_1+1} + n_1^2 + 2n_1 + n_0 + 2$ steps
per core).

>>> net = Network.from_arrays([[[1, 0], [0, 1], [-1, -2], [0, 0]], [[-1, -1, -1, 0]], [[1]]],
...                           [[0, 0, 0, 0], [1], [0]])                 # P a triangle; neuron 4 dead
>>> R = generic_representative(net); R.network.weights[0][3], R.network.biases[0][3]   # now hidden (U-)
((1, 0), -2)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from flint import fmpq

from semialg.core.exact import dot, fingerprint, normalise_row, rank
from semialg.core.network import Network
from semialg.core.result import Latexable
from semialg.errors import ArchitectureError, CertificateError, check_budget
from semialg.families.bottleneck.equivalence import equivalent
from semialg.families.bottleneck.genericity import _require_generic
from semialg.families.bottleneck.hidden_region import HiddenRegion, hidden_cone
from semialg.families.bottleneck.ident_cache import _keep
from semialg.families.bottleneck.obstructions import _Clock, _refuse, forced
from semialg.families.bottleneck.types import bottleneck_regime
from semialg.families.bottleneck.views import OuterView, Vec, _ZERO
from semialg.families.shallow import flip_neurons, minimal_form, zero_factor_reduction

__all__ = ["GenericRepresentative", "generic_representative"]

Neuron = tuple[Vec, fmpq, fmpq]  # (w, b, v)


@dataclass(frozen=True)
class GenericRepresentative(Latexable):
    r"""A generic $\tilde\theta$ with $f_{\tilde\theta} = f_\theta$ for a non-generic case-(a) $\theta$.

    ``network`` is $\tilde\theta$, ``original`` $\theta$, ``failed`` the conditions $\theta$ fails (as
    :func:`semialg.genericity` and the type checks word them), ``construction`` how $\tilde\theta$ was built
    (core and hidden slots), ``tried`` the number of candidates examined. :meth:`verify` re-decides both
    properties exactly.
    """

    network: Network
    original: Network
    failed: str
    construction: str
    tried: int
    generic: bool = True

    def verify(self) -> bool:
        """Re-decide exactly that $f_{\\tilde\\theta} = f_\\theta$ (and re-check that decision's certificate) and that
        $\\tilde\\theta$ is generic (or, for a ridge function, that its first-layer rows are all parallel); raise
        :class:`CertificateError` when either fails, as every certificate does."""
        same = equivalent(self.network, self.original)
        if not same:
            raise CertificateError(f"theta~ does not compute the function of theta ({same.status})")
        same.verify(self.network, self.original)
        failure = _failure(self.network) if self.generic else \
            None if rank(self.network.weights[0]) == 1 else "the first-layer rows are not all parallel"
        if failure is not None:
            raise CertificateError(f"theta~ is not of the claimed shape: {failure}")
        return True

    def describe(self) -> str:
        what = "generic (exact)" if self.generic else "all first-layer rows parallel (exact)"
        return (f"{'generic ' if self.generic else ''}representative theta~ of a non-generic case-(a) parameter "
                f"({self.failed}): {self.construction}; same function (exact), {what}; {self.tried} candidate(s) "
                f"tried")


def _is_generic(net: Network, deadline: float | None = None) -> bool:
    """Whether ``net`` is generic (:func:`_failure`)."""
    return _failure(net, deadline) is None


_FAILURES: dict = {}


def _failure(net: Network, deadline: float | None = None) -> str | None:
    """The first genericity or type condition ``net`` fails, in words, or ``None`` when it is generic; kept for
    the last 16 networks (the fibre asks twice). Past ``deadline`` (:func:`time.monotonic`)
    :class:`~semialg.errors.UndecidedError`, which is not kept."""
    if net not in _FAILURES:
        try:
            _require_generic(net, "fibre", local=False, clock=None if deadline is None else
                             _Clock(None, deadline, "fibre: the genericity conditions"))
            found = None
        except ArchitectureError as err:
            found = str(err).removeprefix("fibre needs a generic parameter; ").removeprefix("fibre: ")
        _keep(_FAILURES, net, found)
    return _FAILURES[net]


def _neurons(shallow: Network) -> tuple[list[Neuron], fmpq]:
    """The live neurons $(w_i, b_i, v_i)$ of a shallow $h$ of widths $(n_0, n, 1)$, and its bias with every
    constant neuron ($w_i = 0$) absorbed."""
    e = shallow.biases[1][0]
    out = []
    for w, b, v in zip(shallow.weights[0], shallow.biases[0], shallow.weights[1][0], strict=True):
        if v == 0:
            continue
        if not any(w):
            e += v * max(b, _ZERO)
        else:
            out.append((tuple(w), b, v))
    return out, e


def _live(net: Network) -> Network | None:
    """``net`` without its dead ($v_i = 0$) and constant ($w_i = 0$, absorbed into $e$) first-layer neurons — the
    same function, of smaller width — or ``None`` when none is left ($h$ constant)."""
    view = OuterView.of(net)
    neurons, e = _neurons(view.inner)
    return _network(net, neurons, e) if neurons else None


def _visible_part(net: Network, region: HiddenRegion) -> Network | None:
    r"""$h_V$ with bias $e + \sum_{U^+} v_ib_i$ and the U+ rows folded into one affine map is not a shallow
    network; returned instead: the shallow network of the visible and U+ neurons (hidden U− and dead ones
    dropped) — equal to $h$ on $P$. ``None`` when nothing is dropped."""
    view = region.view
    keep = [i for i, cls in enumerate(region.classes) if cls in ("V", "U+")]
    if len(keep) == len(region.classes):
        return None
    W = tuple(view.w[i] for i in keep) or ((_ZERO,) * len(view.w[0]),)
    b = tuple(view.b[i] for i in keep) or (_ZERO,)
    v = tuple(view.v[i] for i in keep) or (_ZERO,)
    return Network((W, (v,)), (b, (view.e,)))


def _affine_neuron(a: Vec, region: HiddenRegion) -> tuple[Neuron, fmpq] | None:
    r"""A neuron $u\sigma(w\cdot x + b)$ positive on $\overline P$ with $uw = a$, and $ub$ (its constant on
    $P$): $u = -1$, $w = -a$ when $a\cdot x$ is bounded above on $\overline P$ (then it only lowers $h$ off
    its half-plane), else $u = 1$, $w = a$ when bounded below; ``None`` when neither."""
    for u in (fmpq(-1), fmpq(1)):
        w = tuple(x * u for x in a)          # u = +-1: w = a / u
        if all(dot(w, r) >= 0 for r in region.p_rays):
            b = 1 - min(dot(w, p) for p in region.p_points)
            return (w, b, u), u * b
    return None


def _cores(net: Network, region: HiddenRegion, clock: _Clock, first=()) -> list[tuple[str, list[Neuron], fmpq]]:
    """The cores (name, neurons, bias), each equal to $h$ on $P$, deduplicated, in the order tried (``first``
    first)."""
    view = OuterView.of(net)
    targets = [("h", view.inner)]
    hv = _visible_part(net, region)
    if hv is not None:
        targets.append(("the visible and U+ neurons of h", hv))
    out, seen = [], set()

    def add(name, neurons, e):
        key = (tuple(sorted(neurons)), e)
        if key not in seen:
            seen.add(key)
            out.append((name, neurons, e))

    for core in first:
        add(*core)

    for what, s in targets:
        add(f"minimal form of {what}", *_neurons(minimal_form(s)))
        R = zero_factor_reduction(s)          # s = R.reduced + a.x + alpha, one neuron per kink line
        n = R.reduced.widths[1]
        for S in itertools.chain.from_iterable(itertools.combinations(range(n), k) for k in range(n + 1)):
            clock.check(f"building the cores of h ({len(out)} so far)")
            # flipping S keeps R.reduced up to the linear map -sum_S v_i w_i.x, moved to the residual
            flipped = flip_neurons(R.reduced, S)
            a = list(R.linear[0])
            for i in S:
                a = [x + R.reduced.weights[1][0][i] * y for x, y in zip(a, R.reduced.weights[0][i], strict=True)]
            neurons, e = _neurons(flipped)
            if any(a):
                extra = _affine_neuron(tuple(a), region)
                if extra is None:
                    continue
                neuron, shift = extra
                neurons, e = neurons + [neuron], e - shift
            add(f"0-factor reduction of {what}, neurons {list(S)} flipped"
                + (", its linear part on an affine (U+) neuron" if any(a) else ""), neurons, e + R.constant[0])
    for name, neurons, e in list(out):
        for step in (1, 2):
            pushed = _pushed(neurons, e, region, step)
            if pushed is not None:
                add(f"{name}, its hidden neurons moved to distance {step} beyond P-bar", *pushed)
    return out


def _pushed(neurons: list[Neuron], e: fmpq, region: HiddenRegion, step: int) -> tuple[list[Neuron], fmpq] | None:
    r"""The neurons of a core whose line misses the interior of $\overline P$ (possibly touching it: $\ell \le 0$
    or $\ell \ge 0$ on $\overline P$) moved parallel to offset ``step`` beyond it, $e$ compensating what a neuron
    affine on $P$ changes there; ``None`` when there is none. (A touching line or a vertex on $\{h = 0\}$ can
    then move off; the exact checks decide whether $h \le 0$ off $P$ still holds.)"""
    out, moved = [], False
    for w, b, v in neurons:
        if all(dot(w, r) <= 0 for r in region.p_rays) and max(dot(w, p) for p in region.p_points) + b <= 0:
            b2 = -max(dot(w, p) for p in region.p_points) - step
        elif all(dot(w, r) >= 0 for r in region.p_rays) and min(dot(w, p) for p in region.p_points) + b >= 0:
            b2 = step - min(dot(w, p) for p in region.p_points)
            e += v * (b - b2)            # on P the neuron is v(w.x + b): keep it there
        else:
            b2 = b
        moved = moved or b2 != b
        out.append((w, b2, v))
    return (out, e) if moved else None


def _ridge(net: Network, failed: str) -> GenericRepresentative | None:
    r"""When $h$ is a ridge function ($h(x) = g(u\cdot x)$: the minimal form of $h$ has parallel rows) but the rows
    of $\theta$ are not all parallel (dead or cancelling neurons off the direction $u$): $\tilde\theta$ = the
    minimal form of $h$ padded with zero neurons ($w = 0$, $b = 0$, $v = 0$), whose rows are all parallel, so
    that the 1-D calculus (:mod:`~semialg.families.bottleneck.line_fibre`, for every parameter, generic or not)
    describes the fibre. ``None`` when $h$ is not a ridge function."""
    n0, n1 = net.architecture.input_dim, net.widths[1]
    neurons, e = _neurons(minimal_form(OuterView.of(net).inner))
    if not neurons or rank([w for w, _, _ in neurons]) != 1 or len(neurons) > n1:
        return None
    pad = [((_ZERO,) * n0, _ZERO, _ZERO)] * (n1 - len(neurons))
    cand = _network(net, neurons + pad, e)
    if not equivalent(cand, net):       # never: the minimal form computes h (re-checked, nothing assumed)
        return None
    return GenericRepresentative(cand, net, failed, f"h is a ridge function: its minimal form ({len(neurons)} "
                                 f"parallel neurons) and {n1 - len(neurons)} zero neuron(s)", 1, generic=False)


def _cone_point(generators: list[Vec]) -> Vec:
    r"""$w_0 \in C^*$, non-zero when $C^* \ne \{0\}$: the sum of the generators, one of each pair $\pm l$ of
    lineality directions (the sum of the extreme rays of the pointed part is non-zero and orthogonal to them)."""
    keep = [g for g in generators if tuple(-x for x in g) not in generators or _first_positive(g)]
    return tuple(sum(xs, _ZERO) for xs in zip(*keep, strict=True))


def _first_positive(g: Vec) -> bool:
    return next(x for x in g if x != 0) > 0


def _cone_directions(generators: list[Vec]) -> list[Vec]:
    r"""Rows in the relative interior of $C^* = \operatorname{cone}(g_1, \dots, g_M)$: $w_0 = \sum_i g_i$ and
    $w_0 + g_i$ (positive coefficients on every generator), which span $\operatorname{span} C^*$."""
    if not generators:
        return []
    w0 = _cone_point(generators)
    return [w0] + [tuple(a + b for a, b in zip(w0, g, strict=True)) for g in generators]


def _directions(net: Network, region: HiddenRegion) -> list[Vec]:
    r"""Candidate rows of hidden neurons: those $w$ of the family of the module docstring with $w\cdot r \le 0$ on
    every extreme ray of $\overline P$ (so $w\cdot x$ is bounded above on $\overline P$), one per direction."""
    n0 = net.architecture.input_dim
    family = []
    for w in OuterView.of(net).w:
        if any(w):
            family += [tuple(w), tuple(-x for x in w)]
    for i in range(n0):
        family += [tuple(fmpq(s * (j == i)) for j in range(n0)) for s in (1, -1)]
    for r in region.p_rays:
        family.append(tuple(-x for x in r))
        if n0 == 2:                       # the normals of a ray: one of them bounds a pointed cone of rays
            family += [(r[1], -r[0]), (-r[1], r[0])]
    if region.p_rays:
        family.append(tuple(-sum(xs) for xs in zip(*region.p_rays, strict=True)))
    inner = _cone_directions(hidden_cone(region))
    family = family + inner if n0 == 2 else inner + family
    out, seen = [], set()
    for w in filter(any, family):         # the sum of the rays may vanish
        key = fingerprint(tuple(x / max(abs(y) for y in w) for x in w))
        if key not in seen and all(dot(w, r) <= 0 for r in region.p_rays):
            seen.add(key)
            out.append(w)
    return out


def _network(net: Network, neurons: list[Neuron], e: fmpq) -> Network:
    view = OuterView.of(net)
    W3 = tuple((x,) for x in view.c)
    return Network((tuple(w for w, _, _ in neurons), (tuple(v for _, _, v in neurons),), W3),
                   (tuple(b for _, b, _ in neurons), (e,), view.d))


def _curve_slots(neurons: list[Neuron], generators: list[Vec], k: int, region: HiddenRegion, rho: int,
                 clock: _Clock):
    r"""The slots of the curve of the module docstring for one core: $\beta_j$ (generators of $C^*$ chosen
    greedily to raise the rank of the core's rows towards $\rho$, then $w_0$), and for $s = 1, 2, \dots$ the
    first $s$ (up to the bound of the module docstring) at which the $k$ slots $w_j(s) = (1 + js^2)w_0 + s\beta_j$,
    $b_j = -\max_{\overline P} w_j\cdot x - j$, $v_j = -1$ add no 0-factor, give rank $\ge \rho$ and no two
    proportional neurons; ``None`` when none does."""
    w0 = _cone_point(generators)
    basis = [w for w, _, _ in neurons]
    beta: list[Vec] = []
    for g in generators:
        if len(beta) < k and rank(basis + [g]) > (rank(basis) if basis else 0):
            basis.append(g)
            beta.append(g)
    beta += [w0] * (k - len(beta))
    n1, n0 = len(neurons) + k, len(w0)
    for s in range(1, 2 ** (n1 + 1) + n1 * n1 + 2 * n1 + n0 + 3):
        clock.check()
        q = fmpq(s)
        slots = []
        for j, bj in enumerate(beta, start=1):
            w = tuple((1 + j * q * q) * a + q * b for a, b in zip(w0, bj, strict=True))
            slots.append((w, -max(dot(w, p) for p in region.p_points) - j, fmpq(-1)))
        if _slots_ok(neurons + slots, rho):
            return slots, s
    return None


def _slots_ok(neurons: list[Neuron], rho: int) -> bool:
    r"""The conditions of a candidate that depend on its slots, decided cheaply: live rows, rank $\ge \rho$,
    no two proportional neurons $(w, b)$, no non-empty $S$ with $\sum_S v_iw_i = 0$ ($2^n$ exact sums)."""
    rows = [w for w, _, _ in neurons]
    if not all(map(any, rows)) or rank(rows) < rho:
        return False
    keys = {fingerprint(normalise_row(w + (b,))[0]) for w, b, _ in neurons}
    if len(keys) < len(neurons):
        return False
    sums = {tuple(_ZERO for _ in rows[0])}
    for w, _, v in neurons:
        new = {tuple(a + v * b for a, b in zip(t, w, strict=True)) for t in sums}
        if any(not any(t) for t in new):
            return False
        sums |= new
    return True


def _candidates(net: Network, region: HiddenRegion, cores, directions, clock: _Clock, generators=()):
    """The candidates $\\tilde\\theta$ in the order tried (a generator: for $n_0 \\ge 3$ first one point of the
    curve per core, then cores with slot directions and offsets, then for $n_0 = 2$ the curve)."""
    n1, n0 = net.widths[1], net.architecture.input_dim
    rho = min(n0, n1) if n0 >= 3 else 0

    def curve():
        for name, neurons, e in cores:
            free = n1 - len(neurons)
            if free >= 1 and generators:
                found = _curve_slots(neurons, generators, free, region, rho, clock)
                if found is not None:
                    slots, step = found
                    yield (f"{name} ({len(neurons)} neurons) and {free} hidden U- neuron(s) on the curve at s = "
                           f"{step}: " + ", ".join(f"w = ({', '.join(map(str, w))}), b = {b}" for w, b, _ in slots),
                           neurons + slots, e)

    if n0 >= 3:
        yield from curve()
    yield from _slot_candidates(net, region, cores, directions)
    if n0 == 2:
        yield from curve()


def _slot_candidates(net: Network, region: HiddenRegion, cores, directions):
    n1 = net.widths[1]
    top = {w: max(dot(w, p) for p in region.p_points) for w in directions}
    for shift in (1, 2, 3):
        for name, neurons, e in cores:
            free = n1 - len(neurons)
            if free < 0 or (free == 0 and shift > 1):
                continue
            if free == 0:
                yield f"{name} ({len(neurons)} neurons)", neurons, e
                continue
            for combo in itertools.combinations(directions, free):
                slots = [(w, -top[w] - shift * (j + 1), fmpq(-1)) for j, w in enumerate(combo)]
                rows = ", ".join(f"w = ({', '.join(map(str, w))}), b = {b}" for w, b, _ in slots)
                yield (f"{name} ({len(neurons)} neurons) and {free} hidden U- neuron(s) with output weight -1: "
                       f"{rows}"), neurons + slots, e


def _oriented_cores(V, c0, passing, region: HiddenRegion) -> list[tuple[str, list[Neuron], fmpq]]:
    r"""One core per passing orientation $\varepsilon$ (:func:`_orientations`): the seen kinks alone, oriented by
    $\varepsilon$ ($\delta\sigma(\ell) = \delta\sigma(-\ell) + \delta\ell$), and $A(\varepsilon)\cdot x$ on one
    neuron affine on $\overline P$ when it is not zero — the unseen kinks of $h$ dropped."""
    out = []
    for eps, A in passing:
        neurons, e = [], c0
        for s, (u, beta, d) in zip(eps, V, strict=True):
            neurons.append((tuple(s * x for x in u), s * beta, d))
            if s < 0:
                e += d * beta
        if any(A):
            extra = _affine_neuron(A, region)
            if extra is None:
                continue
            neurons, e = neurons + [extra[0]], e - extra[1]
        flipped = [k for k, s in enumerate(eps) if s < 0]
        out.append((f"the {len(V)} kinks of h seen on P" + (f", {flipped} flipped" if flipped else "")
                    + (", the linear part on an affine (U+) neuron" if any(A) else ""), neurons, e))
    return out


def _refuted_orientations(net: Network, live: Network, region: HiddenRegion, V, c0, passing, clock: _Clock):
    r"""A ray refuting every passing orientation when one slot is free beside the seen kinks, or ``None``.

    Then a member with orientation $\varepsilon$ is determined up to one number: its seen neurons are fixed up to
    their scaling (which does not change $v'\sigma(w'\cdot x + b')$) and its free slot is a U+ neuron with
    $v'w' = A(\varepsilon)$ ($\mu = 1$). When $A\cdot x$ is unbounded above on $\overline P$, $v' > 0$ and the neuron
    is $\sigma(A\cdot x + \beta)$, so $h' = g + \sigma(-A\cdot x - \beta)$ with $g$ the seen kinks plus $A\cdot x$ plus the
    constant matching $h$ on $P$ (independent of $\beta$). A ray $x(t) = p + td$ with $A\cdot d < 0$, $h \le 0$ on it
    for large $t$ and $g - A\cdot x$ increasing along it refutes every $\beta$: far out $h' = g - A\cdot x - \beta > 0$
    off $P$. Candidates for $p$, $d$: the counterexamples of :func:`equivalent` for the neuron at two distances
    beyond $\overline P$ (the second minus the first); everything re-checked exactly beyond the last breakpoint."""
    if net.widths[1] - len(V) != 1 or not passing:
        return None
    inner, rays = OuterView.of(live).inner, []
    for eps, A in passing:
        if not any(A) or all(dot(A, r) <= 0 for r in region.p_rays):
            return None
        neurons, e = [], c0
        for s, (u, beta, d) in zip(eps, V, strict=True):
            neurons.append((tuple(s * x for x in u), s * beta, d))
            e += d * beta if s < 0 else 0
        xs = []
        for step in (1, 64):
            clock.check(f"refuting the {len(passing)} orientation(s) of the seen kinks that pass")
            b = step - min(dot(A, p) for p in region.p_points)
            same = equivalent(_network(net, neurons + [(A, b, fmpq(1))], e - b), net)
            xs.append(getattr(same.certificate, "point", None))
            if same or xs[-1] is None:
                return None
        p, d = xs[0], tuple(y - x for x, y in zip(*xs, strict=True))
        if dot(A, d) >= 0:
            return None
        rows = [(w, bb) for w, bb, _ in neurons] + list(zip(OuterView.of(live).w, OuterView.of(live).b, strict=True))
        T = 1 + max([abs((dot(w, p) + bb) / dot(w, d)) for w, bb in rows if dot(w, d) != 0] + [_ZERO])
        at = [tuple(x + t * y for x, y in zip(p, d, strict=True)) for t in (T, T + 1)]   # beyond every breakpoint
        g_minus = [sum((c * max(dot(w, x) + bb, _ZERO) for w, bb, c in neurons), _ZERO) + e for x in at]
        if not (inner(at[0])[0] <= 0 and inner(at[1])[0] <= inner(at[0])[0] and g_minus[1] > g_minus[0]):
            return None
        rays.append((eps, p, d))
    return rays


def generic_representative(net: Network, budget: float | None = None, deadline: float | None = None, *,
                           candidates: int = 200) -> GenericRepresentative:
    r"""A generic parameter of the architecture of ``net`` with the same function (module docstring), found among
    at most ``candidates`` deterministic candidates and checked exactly; :class:`ArchitectureError` naming the
    failed conditions and what was tried when there is none among them (or ``net`` is generic already, or not of
    case (a) with $n_0 \ge 2$). ``budget`` (seconds from the call) and ``deadline`` (an absolute
    :func:`time.monotonic` value) bound the time, whichever comes first (``None``: no limit); when spent,
    :class:`~semialg.errors.UndecidedError` says what was done. Cost: ``candidates`` exact equivalence tests and
    genericity reports at most.
    """
    clock = _Clock(budget, deadline)
    candidates = check_budget(candidates, "generic_representative: candidates")
    clock.check("nothing")
    failed = _failure(net)
    if failed is None:
        raise ArchitectureError("generic_representative: the parameter is generic already")
    if net.architecture.input_dim < 2:
        raise ArchitectureError(f"fibre: the parameter is not generic ({failed}) and generic representatives "
                                f"are searched for n0 >= 2 only")
    if bottleneck_regime(net) == "constant":
        raise ArchitectureError(f"fibre: the parameter is not generic ({failed}) and has no generic representative: "
                                f"f is constant (c = 0 or P empty), and so is every member")
    ridge = _ridge(net, failed)
    if ridge is not None:
        return ridge
    live = _live(net)
    try:
        region = HiddenRegion(live) if live is not None else None
    except ArchitectureError as err:  # all rows parallel: the polygons of P-bar are not pointed
        raise ArchitectureError(f"fibre: the parameter is not generic ({failed}) and no generic representative is "
                                f"searched: {err}") from None
    if region is None or not region.p_points:
        raise ArchitectureError(f"fibre: the parameter is not generic ({failed}) and has no generic "
                                f"representative: f is constant (P is empty or c = 0), and so is every member")
    cone = hidden_cone(region)
    clock.check("deciding which conditions theta fails")
    oriented = forced(net, live, cone, region.p_rays, failed, clock)
    cores = _cores(live, region, clock, _oriented_cores(*oriented, region) if oriented is not None else ())
    directions = _directions(live, region)
    tried = equal = 0
    reasons: dict[str, int] = {}
    for construction, neurons, e in _candidates(net, region, cores, directions, clock, cone):
        clock.check(f"{tried} candidate(s) from {len(cores)} core(s) tried, {equal} with the same function, none "
                    f"generic")
        if tried == candidates:
            break
        tried += 1
        cand = _network(net, neurons, e)
        if not equivalent(cand, net):
            continue
        equal += 1
        reason = _failure(cand)
        if reason is None:
            return GenericRepresentative(cand, net, failed, construction, tried)
        reasons[reason] = reasons.get(reason, 0) + 1
    refuted = _refuted_orientations(net, live, region, *oriented, clock) if oriented is not None else None
    if refuted:
        _refuse(live, clock,
                f"fibre: the parameter is not generic ({failed}) and no member of its fibre is generic: one slot is "
                f"free beside the {len(oriented[0])} kink hyperplanes seen on P, so a member without 0-factor has "
                f"one of the passing orientations of the seen kinks and a U+ neuron sigma(A.x + beta) carrying the "
                f"rest (A.x unbounded above on P-bar); along the ray p + t d, h <= 0 while h' = (seen kinks) + const "
                f"- beta grows without bound, for every beta: " + "; ".join(
                    f"orientation {list(eps)}: p = ({', '.join(map(str, p))}), d = ({', '.join(map(str, d))})"
                    for eps, p, d in refuted) + "; such fibres are not described; sa.equivalent decides membership")
    widths = ", ".join(str(len(n)) for _, n, _ in cores)
    # the family contains the generators of C*: none fits iff C* = {0}, i.e. no neuron can be hidden
    nowhere = f" (P-bar meets every half-{'plane' if region.n0 == 2 else 'space'}: no neuron can be hidden)"
    raise ArchitectureError(
        f"fibre: the parameter is not generic ({failed}) and no generic representative was found: tried "
        f"{tried} candidate(s) (at most {candidates}) from {len(cores)} core(s) of h of widths {widths or 'none'} "
        f"(n1 = {net.widths[1]}) with hidden neurons in {len(directions)} direction(s) along which P-bar is "
        f"bounded{nowhere if not directions else ''}; "
        f"{equal} had the same function, none was generic"
        + "".join(f"; {k} of them: {r}" for r, k in sorted(reasons.items(), key=lambda rk: -rk[1])[:2]))


#: A public name of the live part of a parameter's inner network, for other modules.
live_network = _live
