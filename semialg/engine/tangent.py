r"""First-order bounds on the dimension of a fibre at one of its points, for any architecture.

**Proposition.** Let $\theta \in \Omega$ ($\dim\Omega = D$) and $J$ the Jacobian at $\theta$ of
$\theta' \mapsto (f_{\theta'}(x_i))_i$ over inputs $x_1, \dots, x_N$ at which no hidden pre-activation of $\theta$
vanishes, and $M$ the span at $\theta$ of these *move directions*: for every hidden neuron its rescaling field;
for a neuron whose outgoing weights are all zero ("unused"), every incoming weight and its bias, except the
weights from unused neurons of the layer before; for a neuron whose incoming weights are all zero and that is
not unused ("constant", value $\sigma(b)$), each outgoing weight $u_r$ with the next layer's bias $b'_r$ moved by
$-\sigma(b)$, and, if $b \ne 0$, its bias with every $b'_r$ moved by $-[b > 0]\,u_r$; for two used neurons of
one layer with non-zero incoming weights and positively proportional rows, $(w_j, b_j) = \lambda (w_i, b_i)$
("twins": $u_i\sigma(z) + u_j\sigma(\lambda z) = (u_i + \lambda u_j)\sigma(z)$), each outgoing weight $u_{i,r}$
moved by $\lambda$ and $u_{j,r}$ by $-1$; for the used neurons with non-zero incoming weights on one hyperplane,
rows $(w_k, b_k) = \pm\lambda_k\ell$, whose outgoing weights have $\sum_k\lambda_ku_k = 0$ (an "affine line":
together they compute $A\,\ell\cdot(x, 1)$ with $A = \sum_{+}\lambda_ku_k$, as $\sigma(z) - \sigma(-z) = z$), their
translation, each $b_k$ moved by $\pm\lambda_k$ and the next layer's biases by $-A$; for a used *zero neuron*
(incoming weights and bias all $0$) its bias, lowered only (a one-sided move: $\sigma(b) = 0$ for $b \le 0$) —
except that in the first hidden layer, when $n_0 \ge 2$ and the next layer has width 1, two used zero neurons with
outgoing weights $u_j = -\mu u_i$ ($\mu > 0$, a *cancelling zero pair*) move their incoming weights and biases
together instead, $(w_j, b_j) = (w_i, b_i)/\mu$ with $\mu$ read from the outgoing weights after the trades of
constant neurons ($u_i\sigma(z) + u_j\sigma(z/\mu) = 0$): $n_0 + 1$ directions for the two biases (both at
once would count the biases' directions twice: the pair's family has dimension $n_0 + 3$).
Then the fibre $\{\theta' : f_{\theta'} = f_\theta\}$ has dimension at $\theta$ between $\dim M$ and
$D - \operatorname{rank} J$.
*Proof.* Upper bound: near $\theta$ the activation pattern at each $x_i$ is that of $\theta$, so each
$\theta' \mapsto f_{\theta'}(x_i)$ is a polynomial there; $r = \operatorname{rank} J$ of them with independent
gradients at $\theta$ have, near $\theta$, a common level set through $\theta$ that is a manifold of dimension
$D - r$ (the rank theorem), and it contains the fibre near $\theta$. Lower bound: the moves, done together with
small amounts (the compensating biases computed from the moved values), keep the function — an unused neuron's
inputs are never read, and no move makes one used (its outgoing weights are moved by rescalings only, which keep
zeros; twins are used and stay so for small amounts); a constant neuron's pre-activation stays constant (weights
moved into it come from constant neurons and are compensated in its bias), and $\sigma$ is smooth at its
$b \ne 0$; twin moves change no row, so twins stay twins, and they keep every $\lambda_ku_k$ sum, so affine lines
stay affine (their translations are done after them; they move all the rows of a line alike). This smooth map into the fibre has the
directions above as differential at $\theta$; restricted to a subspace on which that differential is injective it
is an immersion, whose image is a manifold of dimension $\dim M$ through $\theta$ inside the fibre (with one-sided
moves, the image of a half-space near its boundary point $\theta$: still of dimension $\dim M$). $\square$

*Zero neurons.* A hidden neuron whose incoming weights and bias are all $0$ has pre-activation identically $0$,
so no input is smooth; $J$ is then taken for the network without such neurons (the same function), at its
smooth inputs, their own parameters being free: the upper bound $D - \operatorname{rank} J$ still holds.
*Proof.* Write $\theta' = (u, s, q)$ with $q$ the zero neurons' parameters and $u$ the $r = \operatorname{rank} J$
coordinates on which $J$ is invertible. At the inputs $f_{\theta'}(x_i) = G_i(u, s) + K_i(u, s, q)$, with $G$ the
network without the zero neurons (a polynomial near $\theta$) and $K_i$ a smooth factor times $\sigma$ of the
zero neurons' pre-activations, which vanish at $\theta$ with their derivatives in $u$ (the weights into them
do): $K_i$ is Lipschitz in $u$ with a constant tending to $0$ at $\theta$. Two members near $\theta$ with the
same $(s, q)$ then have the same $u$, so the fibre near $\theta$ projects injectively into a space of
dimension $D - r$. $\square$

The same argument takes more of either kind: the gradient at $\theta$ of any smooth function vanishing on the
fibre near $\theta$ is a row that may join $J$, and the differential at $\theta$ of any smooth family that stays in
the fibre when composed with the moves above may join $M$ (the ``extras`` of :func:`local_dimension_bounds`;
:mod:`semialg.families.bottleneck.local` supplies both for bottlenecks). When the fibre near $\theta$ is covered
by finitely many parts, each in the zero set of smooth functions of its own (*cases*), the largest of the upper
bounds with each part's gradients joining $J$ bounds the dimension: that of a finite union is the largest.
With zero neurons a joining row is read without their columns (two members with the same $(s, q)$ differ in $u$
only, and $u$ may be taken among the other columns), except that rows on their columns alone add their rank:
if $g$ smooth functions vanish on a part with gradients at $\theta$ on the columns of $q$ only, of rank $g$,
they solve for $g$ coordinates $q_1$ of $q$ as $\varphi(u, s, q_2)$ with $\partial_u\varphi$ small near
$\theta$, while $u$ is a Lipschitz function of $(s, q)$ on the fibre (the injectivity estimate): so $q_1$ is a
function of $(s, q_2)$ there. The rank is that of the rows on the other columns plus that of the rows on the zero
neurons' own (:func:`_rank_beside_zero_neurons`). Mixing both, a row would be wrong: $K_i$ is Lipschitz in $q$
with a constant that does not tend to $0$.

The rank is taken over $d + 1$ affinely independent points of every linear region of $\theta$ on which no
pre-activation vanishes identically (:func:`~semialg.engine.regions.decisive_points`, points re-checked exactly):
the same points that decide the functional dimension, without the one-sided rows of the regions where a neuron
is identically zero (there $\theta' \mapsto f_{\theta'}(x)$ is not differentiable). The bounds serve the fibres
that cannot decide a local dimension from their components (a member in no listed component). Other mechanisms
(0-factor flips, trades of the linear parts of affine blocks) are not among the moves, so the bounds need not meet.

>>> from semialg.core.network import Network
>>> local_dimension_bounds(Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 0], [0]]))   # |x|
(2, 3)

(the fibre of $|x|$ has dimension 2 there: both kinks must stay at $0$, which no first-order condition sees).
"""

from __future__ import annotations

import time
from typing import Callable, Sequence

from flint import fmpq

from semialg.core.exact import rank, row_basis, sparse_vector
from semialg.core.modular import rank_mod_fits, residues
from semialg.core.network import Network
from semialg.engine.hyperplane_keys import oriented_rows
from semialg.engine.jacobian import blocks_rank_mod, sampled_batch
from semialg.engine.regions import decisive_points, parameter_jacobian
from semialg.errors import UndecidedError, check_budget

_ZERO, _ONE = fmpq(0), fmpq(1)

__all__ = ["linear_moves", "local_dimension_bounds", "move_directions", "move_entries", "parameter_offsets"]


def local_dimension_bounds(net: Network, extras: Callable[[], tuple[Sequence, ...]] | None = None,
                           budget: float | None = 60.0, progress: bool | None = None) -> tuple[int, int]:
    r"""Proven bounds $(\dim M, D - \operatorname{rank} J)$ on the dimension at ``net`` of the fibre of its function
    (module docstring): $M$ the span of the rescaling fields, the free inputs of unused neurons, the trades of
    constant neurons with the next biases, the twin trades, the translations of affine lines and the extra moves,
    $J$ the Jacobian in the parameters at inputs where ``net`` is smooth in its parameters (without its zero
    neurons, whose parameters count as free: module docstring) together with the extra equations.
    ``extras()``, called (once) only when the plain bounds do not meet and the budget is not spent, returns
    ``(equations, moves, cases, withdrawn)`` as flat parameter vectors: gradients at ``net`` of smooth functions
    vanishing on the fibre near ``net``, differentials at ``net`` of smooth families in the fibre, parts covering the fibre near ``net``, each by the
    gradients of equations holding on it (empty: one part; the upper bound is the largest over them, module
    docstring), and one-sided moves above that do not compose with the extra moves (dropped from $M$).

    Any rows of $J$ bound the dimension, so the answer is proven however far the work got: first the rows at
    random inputs (rank modulo a prime, a lower bound on the exact one) — when they reach $D - \dim M$ the
    bounds meet at once, the generic case —, then those rows with the extras (their rank modulo $p$ again), else the
    rows at $d + 1$ points of every region, enumerated for at most ``budget`` seconds (``None``: no limit; a tqdm
    bar after 2 s if ``progress``, ``None``: on a terminal); when the budget runs out the rows found so far give
    the upper bound.

    :class:`UndecidedError` at once when these exact ranks would not fit in memory (784-256-256-10: 126 GiB).
    Cost: the sampled batch of :func:`~semialg.engine.functional_dimension.functional_dimension` and one modular rank; if
    that does not decide, ``extras()`` and a modular rank per case, then the region enumeration (exact LPs for
    $n_0 \ge 3$, exponential in $n_0$), $d + 1$
    exact Jacobians of $O(k\dim\Omega)$ per region, an exact rank and a row basis, and if they differ ``extras()``
    and one more rank per case on at most $\dim\Omega$ rows.

    >>> from semialg.core.network import Network
    >>> local_dimension_bounds(Network.from_arrays([[[2]], [[3]]], [[1], [0]]))    # 3 s(2x + 1): the fibre is 1-D
    (1, 1)
    >>> local_dimension_bounds(Network.from_arrays([[[2]], [[0]]], [[1], [0]]))    # an unused neuron: w, b free
    (2, 2)
    >>> local_dimension_bounds(Network.from_arrays([[[2], [0]], [[3, 5]]], [[1, 0], [0]]))   # a zero neuron
    (3, 4)
    """
    D, arch = net.architecture.num_parameters, net.architecture
    budget = None if budget is None else check_budget(budget, "the local dimension budget", seconds=True)
    deadline = None if budget is None else time.monotonic() + budget
    # exact ranks of the moves (one per hidden neuron at least) and of one region's rows: about 64 bytes a
    # rational, what rank_mod_fits counts for a residue and its copies
    size = max(arch.num_hidden, (arch.input_dim + 1) * arch.output_dim)
    fits, need, free = rank_mod_fits(size, D)
    if not fits:
        raise UndecidedError(f"local_dimension_bounds of a {arch} network: exact ranks of about {size} x {D} "
                             f"rationals would need {need / 2 ** 30:.1f} GiB ({free / 2 ** 30:.1f} GiB free memory)")
    M = move_directions(net)
    lower, rows = (rank(M) if M else 0), []
    # rows of the network without its zero neurons: their own columns are free (module docstring)
    target, kept = _without_zero_neurons(net)
    sampled = []
    if D - lower <= len(kept):
        batch = sampled_batch(target, D - lower, deadline=deadline)
        if batch.reached:
            return lower, lower
        sampled, known = batch.blocks, batch.rank
    found, sampled_upper = None, D
    if sampled and all(b is not None for b in sampled):
        # the sampled rows' rank modulo p is a lower bound on their rank: an upper bound whatever the enumeration does
        sampled_upper = D - blocks_rank_mod(sampled, deadline, known)
        if extras is not None and (deadline is None or time.monotonic() < deadline):
            found = extras()        # with the sampled rows the bounds may already meet
            lower, upper = _bounds_with(found, M, D,
                                        lambda case: _rank_mod_beside_zero_neurons(sampled, case, kept, D, deadline))
            if lower == upper:
                return lower, lower
            sampled_upper = min(sampled_upper, upper)
    from tqdm.auto import tqdm      # on first use: start-up time
    with tqdm(desc="local dimension: regions", unit="region", delay=2, leave=False,
              disable=None if progress is None else not progress) as bar:
        try:
            for pattern, points in decisive_points(target, deadline=deadline):
                bar.update()
                rows += [row for x in points if not any(0 in layer for layer in target.activation_pattern(x))
                         for row in parameter_jacobian(target, x, pattern)]
        except UndecidedError:      # the budget is spent: the rows so far still bound the dimension
            pass
    rows = row_basis(rows) if rows else []      # one elimination, which every case below reuses
    upper = D - len(rows)
    # past the deadline even extras already found are not used here: their exact ranks with the rows cannot be cut
    if upper > lower and extras is not None and (deadline is None or time.monotonic() < deadline):
        found = extras() if found is None else found
        if target is not net:
            rows = [_embedded(row, kept, D) for row in rows]
        lower, upper = _bounds_with(found, M, D, lambda case: _rank_beside_zero_neurons(rows + case, kept, D))
    return lower, min(upper, sampled_upper)     # both proven: the enumeration may have stopped at the budget


def _bounds_with(found, M: list, D: int, rank_with: Callable[[list], int]) -> tuple[int, int]:
    """The bounds with the ``extras()`` result ``found``: the moves joining $M$ (less the withdrawn ones), and the
    largest $D - $ ``rank_with(rows)`` over the cases, each with the equations' rows and its own."""
    equations, moves, cases, withdrawn = found
    M = [m for m in M if m not in withdrawn] + [list(m) for m in moves]
    equations = [list(g) for g in equations]
    return (rank(M) if M else 0), max(D - rank_with(equations + [list(g) for g in case]) for case in cases or [()])


def _beside_zero_neurons(rows: list[list[fmpq]], kept: list[int], D: int) -> tuple[list, list]:
    """``rows`` on the columns ``kept`` (the network without its zero neurons), and the rows supported on the other
    columns alone, on those (module docstring, *zero neurons*: the rank bounding the fibre is the sum of theirs)."""
    own = sorted(set(range(D)) - set(kept))
    return ([[r[i] for i in kept] for r in rows],
            [[r[i] for i in own] for r in rows if not any(r[i] for i in kept)])


def _rank_beside_zero_neurons(rows: list[list[fmpq]], kept: list[int], D: int) -> int:
    """The rank of ``rows`` that bounds the fibre (:func:`_beside_zero_neurons`). Cost: two exact ranks."""
    if len(kept) == D:
        return rank(rows) if rows else 0
    outer, alone = _beside_zero_neurons(rows, kept, D)
    return (rank(outer) if outer else 0) + (rank(alone) if alone else 0)


def _rank_mod_beside_zero_neurons(sampled: list, rows: list[list[fmpq]], kept: list[int], D: int,
                                  deadline: float | None = None) -> int:
    """A lower bound on :func:`_rank_beside_zero_neurons` of the sampled Jacobian rows (residue blocks modulo $p$ on
    the columns ``kept``) together with the exact ``rows``: the rank modulo $p$ of the sampled blocks and the
    residues of ``rows`` on ``kept`` (never above the rational rank of rows spanning a subspace of theirs), plus
    the exact rank of the rows on the other columns alone (their support decided exactly). ``0`` when $p$ divides
    a denominator, or when the rank modulo $p$ would end past ``deadline`` (:func:`time.monotonic`). Cost: one rank
    modulo $p$, one exact rank."""
    outer, alone = (rows, []) if len(kept) == D else _beside_zero_neurons(rows, kept, D)
    extra = residues(outer) if outer else None
    if outer and extra is None:
        return 0
    return blocks_rank_mod(sampled + ([extra] if outer else []), deadline) + (rank(alone) if alone else 0)


def move_directions(net: Network) -> list[list[fmpq]]:
    r"""The move directions of the module docstring at ``net`` (flat parameter vectors): rescaling fields, free
    inputs of unused neurons, trades of constant neurons, twin trades, translations of affine lines and the moves
    of zero neurons. Their rank is the lower bound of :func:`local_dimension_bounds`. Cost: $O(n D)$ for $n$
    hidden neurons.

    >>> from semialg.core.network import Network
    >>> len(move_directions(Network.from_arrays([[[2]], [[3]]], [[1], [0]])))       # the rescaling of the one neuron
    1
    """
    D = net.architecture.num_parameters
    return [sparse_vector(D, *entries) for entries in move_entries(net)]


def move_entries(net: Network, unscaled: frozenset = frozenset(), deep_lines: bool = True) \
        -> list[list[tuple[int, fmpq]]]:
    r""":func:`move_directions` as sparse ``(index, value)`` lists (entries at one index add up), for networks whose
    dense directions would not fit in memory, without the rescaling fields of the neurons ``(l, i)`` (hidden layer
    $l + 1$, 0-based) in ``unscaled`` (a caller that writes those itself, as the quotient by the seen kinks does,
    needs no rationals of their rows), and with ``deep_lines=False`` without the translations of affine lines
    beyond the first hidden layer (a deeper pre-activation may vanish on an open set:
    :mod:`~semialg.engine.flat_directions`). Cost: $O(n(n_{\rm in} + n_{\rm out}))$ entries for $n$ hidden
    neurons (twin trades and affine lines included).

    >>> move_entries(Network.from_arrays([[[2]], [[3]]], [[1], [0]]))       # w, b times 1, the output weight -1
    [[(0, 2), (1, 1), (2, -3)]]
    """
    return _directions(net, rescaling=True, unscaled=unscaled) + _directions(net, False, deep_lines=deep_lines) \
        + _zero_neuron_moves(net)


def linear_moves(net: Network) -> list[list[fmpq]]:
    r"""The move directions of the module docstring other than the rescaling fields, as flat parameter vectors
    $v$: along each of them the function is exactly constant, $f_{\theta + tv} = f_\theta$ for every small $t$
    (together they are the differential at $\theta$ of a smooth family in the fibre, whose compensating biases
    are computed from the moved values). Cost: $O(D)$ per direction, $O(D^2)$ in all.

    >>> from semialg.core.network import Network
    >>> len(linear_moves(Network.from_arrays([[[2]], [[0]]], [[1], [0]])))     # the unused neuron's w and b
    2
    """
    D = net.architecture.num_parameters
    return [sparse_vector(D, *entries) for entries in _directions(net, rescaling=False)]


def parameter_offsets(arch) -> tuple[list[int], list[int]]:
    """The flat offsets of every $W_l$ and $b_l$ (0-based lists) in the order of
    :meth:`~semialg.core.network.Network.parameters`: entry $(W_l)_{ij}$ is at ``W_at[l - 1] + i * n_{l-1} + j``,
    $(b_l)_i$ at ``b_at[l - 1] + i``. Cost: $O(L)$.

    >>> from semialg.core.network import Architecture
    >>> parameter_offsets(Architecture(2, 3, 1))
    ([0, 9], [6, 12])
    """
    W_at, b_at, k = [], [], 0
    for r, c in arch.layer_shapes():
        W_at.append(k)
        b_at.append(k + r * c)
        k += r * c + r
    return W_at, b_at


def _without_zero_neurons(net: Network) -> tuple[Network, list[int]]:
    r"""``net`` without its *zero neurons* (hidden neurons whose incoming weights and bias are all $0$: their
    pre-activation is identically $0$, their output $\sigma(0) = 0$, so the function is the same), and the flat
    index in ``net`` of every parameter of the smaller network; ``net`` itself when it has none or when removing
    them would empty a layer. Cost: $O(D)$."""
    W, B = net.weights, net.biases
    keep = [[i for i, (w, b) in enumerate(zip(W[l], B[l], strict=True)) if b or any(w)] for l in range(net.depth - 1)]
    if all(len(k) == len(W[l]) for l, k in enumerate(keep)) or not all(keep):
        return net, list(range(net.architecture.num_parameters))
    keep.append(list(range(net.widths[-1])))
    W_at, b_at = parameter_offsets(net.architecture)
    weights, biases, kept = [], [], []
    for l, rows in enumerate(keep):
        cols = keep[l - 1] if l else range(net.widths[0])
        weights.append([[W[l][i][j] for j in cols] for i in rows])
        biases.append([B[l][i] for i in rows])
        kept += [W_at[l] + i * net.widths[l] + j for i in rows for j in cols] + [b_at[l] + i for i in rows]
    return Network.from_arrays(weights, biases), kept


def _zero_neuron_moves(net: Network) -> list[list[tuple[int, fmpq]]]:
    r"""The bias of every used zero neuron, a one-sided move: lowered, it keeps the output $\sigma(b) = 0$; but for
    the *cancelling zero pairs* of the first hidden layer of a network with $n_0 \ge 2$ and one output per neuron
    ($u_j = -\mu u_i$, $\mu > 0$; positive and negative $u$ paired in order) their incoming weights and biases
    moved together, $(w_j, b_j) = (w_i, b_i)/\mu$ (module docstring): $n_0 + 1$ directions instead of the two
    lowered biases. Sparse entries, as :func:`move_entries`."""
    W_at, b_at = parameter_offsets(net.architecture)
    used_zero = [[i for i, (live, b) in enumerate(zip(net.weights[l].nonzero_rows(), net.biases[l], strict=True))
                  if not b and not live and any(row[i] for row in net.weights[l + 1])] for l in range(net.depth - 1)]
    out, n0 = [], net.widths[0]
    if n0 >= 2 and net.depth >= 2 and net.widths[2] == 1:     # no pairs without a hidden layer
        u = net.weights[1][0]
        pairs = list(zip([i for i in used_zero[0] if u[i] > 0], [i for i in used_zero[0] if u[i] < 0]))
        for i, j in pairs:
            ratio = -u[i] / u[j]              # 1 / mu
            out += [[(W_at[0] + i * n0 + q, _ONE), (W_at[0] + j * n0 + q, ratio)] for q in range(n0)]
            out.append([(b_at[0] + i, _ONE), (b_at[0] + j, ratio)])
        used_zero[0] = [i for i in used_zero[0] if not any(i in p for p in pairs)]
    return out + [[(b_at[l] + i, -_ONE)] for l, zeros in enumerate(used_zero) for i in zeros]


def _embedded(row, kept: list[int], D: int) -> list[fmpq]:
    out = [_ZERO] * D
    for k, value in zip(kept, row, strict=True):
        out[k] = value
    return out


def _directions(net: Network, rescaling: bool, unscaled: frozenset = frozenset(),
                deep_lines: bool = True) -> list[list[tuple[int, fmpq]]]:
    """The rescaling fields (``rescaling``; not those of the neurons in ``unscaled``) or the linear moves as sparse
    entries (:func:`move_entries`; the affine lines of the first hidden layer only unless ``deep_lines``)."""
    widths = net.widths
    W_at, b_at = parameter_offsets(net.architecture)
    W, B, out = net.weights, net.biases, []
    unused = [[not any(W[l + 1][r][i] for r in range(widths[l + 2])) for i in range(widths[l + 1])]
              for l in range(net.depth - 1)]
    for l in range(net.depth - 1):               # hidden layer l + 1: W[l] into it, W[l + 1] out of it
        n_in, n_out, live = widths[l], widths[l + 2], W[l].nonzero_rows()
        for i in range(widths[l + 1]):
            b, u = B[l][i], [W[l + 1][r][i] for r in range(n_out)]
            if rescaling:
                if (l, i) not in unscaled:
                    w = W[l].row(i)
                    out.append([(W_at[l] + i * n_in + j, w[j]) for j in range(n_in)] + [(b_at[l] + i, b)]
                               + [(W_at[l + 1] + r * widths[l + 1] + i, -u[r]) for r in range(n_out)])
            elif unused[l][i]:
                out += [[(W_at[l] + i * n_in + j, _ONE)] for j in range(n_in) if l == 0 or not unused[l - 1][j]]
                out.append([(b_at[l] + i, _ONE)])
            elif not live[i]:
                value, slope = max(b, _ZERO), (_ONE if b > 0 else _ZERO)
                out += [[(W_at[l + 1] + r * widths[l + 1] + i, _ONE), (b_at[l + 1] + r, -value)]
                        for r in range(n_out)]
                if b != 0:
                    out.append([(b_at[l] + i, _ONE)] + [(b_at[l + 1] + r, -slope * u[r]) for r in range(n_out)])
        if not rescaling:
            out += [[(W_at[l + 1] + r * widths[l + 1] + i, lam), (W_at[l + 1] + r * widths[l + 1] + j, -_ONE)]
                    for i, j, lam in _twins(W[l], B[l], unused[l]) for r in range(n_out)]
            for line in _lines(W[l], B[l], unused[l]).values() if deep_lines or l == 0 else ():
                A = [sum((lam * W[l + 1][r][k] for k, s, lam in line if s > 0), _ZERO) for r in range(n_out)]
                if all(sum((lam * W[l + 1][r][k] for k, _, lam in line), _ZERO) == 0 for r in range(n_out)):
                    out.append([(b_at[l] + k, s * lam) for k, s, lam in line]
                               + [(b_at[l + 1] + r, -A[r]) for r in range(n_out)])
    return out


def _lines(W, B, unused) -> dict:
    """The used neurons with non-zero incoming weights grouped by hyperplane: (neuron, orientation, scale), the
    scales relative to one row per hyperplane (:func:`~semialg.engine.hyperplane_keys.oriented_rows`: keyed on
    the integer form, where normalising 4,096 rows as rationals took 2.5 s)."""
    lines: dict = {}
    for k, ((key, sigma), live) in enumerate(zip(oriented_rows(W, B), W.nonzero_rows(), strict=True)):
        if not unused[k] and live:
            lines.setdefault(key, []).append((k, 1 if sigma > 0 else -1, abs(sigma)))
    return lines


def _twins(W, B, unused) -> list[tuple[int, int, fmpq]]:
    r"""The pairs $(i, j, \lambda)$ of used neurons with $w_i \ne 0$ and $(w_j, b_j) = \lambda (w_i, b_i)$,
    $\lambda > 0$ (each neuron paired with the first of its class)."""
    out = []
    for line in _lines(W, B, unused).values():
        for sign in (1, -1):
            side = [(k, lam) for k, s, lam in line if s == sign]
            out += [(side[0][0], j, lam / side[0][1]) for j, lam in side[1:]]
    return out
