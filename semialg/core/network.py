"""Architectures and exact ReLU networks.

A network with widths $(n_0, n_1, \\dots, n_L)$ computes
$f(x) = W_L\\,\\sigma(\\cdots\\sigma(W_1 x + b_1)\\cdots) + b_L$ with $\\sigma = \\mathrm{ReLU}$ and $W_l$ of shape
$n_l \\times n_{l-1}$ (the PyTorch convention). Parameters are exact rationals (:class:`flint.fmpq`).

>>> net = Network.from_arrays([[[1, -1]], [[2]]], [[0], ["1/2"]])
>>> net([3, 1])
(9/2,)
>>> net.architecture
Architecture(2, 1, 1)
"""

from __future__ import annotations

import bisect
import collections.abc
import functools
import itertools
import math
import random as _random
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

import numpy as np
from semialg.core.lazy import sympy  # imported on first use: start-up time
from flint import fmpq, fmpq_mat

from semialg.core.result import Latexable
from semialg.errors import ParameterError, ShapeError
from semialg.core.exact import float_array, nearest_float, to_sympy, to_vector
from semialg.core.enclosure import certified_signs
from semialg.core.grid_point import GridPoint, as_grid_points
from semialg.core.rational_matrix import RationalMatrix, integer_columns, rational_columns

_T = TypeVar("_T")

__all__ = ["Architecture", "ParameterVariables", "Network", "relu"]

_ZERO = fmpq(0)


def relu(z: fmpq) -> fmpq:
    """$\\sigma(z) = \\max(z, 0)$, exactly."""
    return z if z > 0 else _ZERO


@dataclass(frozen=True, init=False)
class Architecture(Latexable):
    """The widths $(n_0, \\dots, n_L)$ of a fully connected ReLU network.

    >>> A = Architecture(2, 3, 1)
    >>> A.num_parameters, A.hidden_widths, A.depth
    (13, (3,), 2)
    >>> Architecture.parse("784,4096,10").num_hidden
    4096
    """

    widths: tuple[int, ...]

    def __init__(self, *widths):
        if len(widths) == 1 and not isinstance(widths[0], int):
            if isinstance(widths[0], str) or not isinstance(widths[0], Iterable):
                raise ParameterError(f"widths must be integers, not {widths[0]!r}")
            widths = tuple(widths[0])
        try:
            ws = tuple(int(w) for w in widths)
        except (TypeError, ValueError):
            raise ParameterError(f"widths must be integers, not {widths!r}") from None
        if len(ws) < 2:
            raise ParameterError(f"an architecture needs at least input and output widths, got {ws}")
        if any(w < 1 or w != v for w, v in zip(ws, widths, strict=True)):
            raise ParameterError(f"widths must be positive integers, got {widths!r}")
        object.__setattr__(self, "widths", ws)

    @classmethod
    def parse(cls, text: str) -> "Architecture":
        """Parse ``"2,3,1"`` (also ``"2-3-1"`` or ``"2x3x1"``)."""
        if not isinstance(text, str):
            raise ParameterError(f"expected widths as text like '2,3,1', got {type(text).__name__}")
        parts = text.replace("-", ",").replace("x", ",").split(",")
        try:
            return cls(*(int(p) for p in parts))
        except ValueError:
            raise ParameterError(f"cannot read an architecture from {text!r}; write widths like 2,3,1") \
                from None

    def __repr__(self) -> str:
        return f"Architecture({', '.join(map(str, self.widths))})"

    def __str__(self) -> str:
        return "-".join(map(str, self.widths))

    @property
    def input_dim(self) -> int:
        return self.widths[0]

    @property
    def output_dim(self) -> int:
        return self.widths[-1]

    @property
    def depth(self) -> int:
        """Number of affine layers $L$ (a shallow network has depth 2)."""
        return len(self.widths) - 1

    @property
    def hidden_widths(self) -> tuple[int, ...]:
        return self.widths[1:-1]

    @property
    def num_hidden(self) -> int:
        """Total number of hidden neurons, the dimension of the group $G$."""
        return sum(self.hidden_widths)

    @property
    def num_parameters(self) -> int:
        """$\\dim\\Omega = \\sum_l n_l (n_{l-1} + 1)$."""
        return sum(self.widths[l] * (self.widths[l - 1] + 1) for l in range(1, len(self.widths)))

    @property
    def is_shallow(self) -> bool:
        """One hidden layer."""
        return self.depth == 2

    def layer_shapes(self) -> tuple[tuple[int, int], ...]:
        """Shapes $(n_l, n_{l-1})$ of $W_1, \\dots, W_L$."""
        return tuple((self.widths[l], self.widths[l - 1]) for l in range(1, len(self.widths)))

    def variables(self) -> "ParameterVariables":
        """Sympy symbols naming every parameter: ``W{l}_{i}_{j}`` and ``b{l}_{i}`` (1-based)."""
        return ParameterVariables.of(self)


@dataclass(frozen=True)
class ParameterVariables:
    """The symbolic parameters of an architecture, in the order of :meth:`Network.parameters`.

    ``flat`` is a :class:`ParameterSymbols` sequence that creates each symbol when it is first read, and the
    matrices ``weights[l]``, ``biases[l]`` are built when first read, layer by layer and once per layer shape
    (sympy needs about 10 microseconds per symbol: the 3,256,330 of a 784-4096-10 network would take half a
    minute before any of them is used).

    >>> V = Architecture(2, 1, 1).variables()
    >>> V.flat
    (W1_1_1, W1_1_2, b1_1, W2_1_1, b2_1)
    >>> V.weights[0]
    Matrix([[W1_1_1, W1_1_2]])
    """

    architecture: Architecture

    @classmethod
    def of(cls, arch: Architecture) -> "ParameterVariables":
        """The variables of ``arch`` (immutable; nothing is built until read). Cost: $O(1)$."""
        return cls(arch)

    @property
    def flat(self) -> "ParameterSymbols":
        return ParameterSymbols(self.architecture)

    @property
    def weights(self) -> "_Layers":
        return _Layers(self.architecture, 0)

    @property
    def biases(self) -> "_Layers":
        return _Layers(self.architecture, 1)

    def substitution(self, net: "Network") -> dict:
        """The map symbol → exact value (sympy Rational) of ``net``'s parameters."""
        if net.architecture != self.architecture:
            raise ShapeError(f"network has architecture {net.architecture}, variables are for "
                             f"{self.architecture}")
        return {s: to_sympy(v) for s, v in zip(self.flat, net.parameters(), strict=True)}


class _Layers(collections.abc.Sequence):
    """The weight (``part`` 0) or bias (1) matrices of an architecture, each built when first read."""

    def __init__(self, arch: Architecture, part: int):
        self._shapes, self._part = arch.layer_shapes(), part

    def __len__(self) -> int:
        return len(self._shapes)

    def __getitem__(self, l):
        if isinstance(l, slice):
            return tuple(self[k] for k in range(*l.indices(len(self))))
        r, c = self._shapes[l]
        return _layer_variables(range(len(self))[l] + 1, r, c)[self._part]


class ParameterSymbols(collections.abc.Sequence):
    r"""The symbols ``W{l}_{i}_{j}``, ``b{l}_{i}`` (1-based, real) of an architecture's parameters in the order of
    :meth:`Network.parameters`, each created when read: a sequence that compares equal to the tuple of its
    symbols. Cost: $O(1)$ to build, $O(\text{depth})$ per symbol read."""

    def __init__(self, arch: Architecture):
        self.architecture = arch
        self._starts = list(itertools.accumulate((r * (c + 1) for r, c in arch.layer_shapes()), initial=0))

    def __len__(self) -> int:
        return self._starts[-1]

    def __getitem__(self, k):
        if isinstance(k, slice):
            return tuple(self[i] for i in range(*k.indices(len(self))))
        return sympy.Symbol(self.name(k), real=True)

    def name(self, k: int) -> str:
        """The name of the ``k``-th symbol, without creating it."""
        k = range(len(self))[k]
        l = bisect.bisect_right(self._starts, k) - 1
        r, c = self.architecture.layer_shapes()[l]
        k -= self._starts[l]
        return f"W{l + 1}_{k // c + 1}_{k % c + 1}" if k < r * c else f"b{l + 1}_{k - r * c + 1}"

    def to_json(self) -> list[str]:
        """The names, in order (no symbol is created)."""
        return [self.name(k) for k in range(len(self))]

    def __eq__(self, other) -> bool:
        if isinstance(other, ParameterSymbols):
            return self.architecture == other.architecture
        return (isinstance(other, collections.abc.Sequence) and len(other) == len(self)
                and all(a == b for a, b in zip(self, other)))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        shown = [self.name(k) for k in range(min(len(self), REPR_LIMIT if len(self) <= REPR_LIMIT else 6))]
        return f"({', '.join(shown + ([] if len(self) <= REPR_LIMIT else ['...', self.name(-1)]))})"


@functools.lru_cache(maxsize=32)
def _layer_variables(l: int, r: int, c: int) -> tuple[sympy.ImmutableMatrix, sympy.ImmutableMatrix]:
    """Layer ``l``'s matrices of symbols, shared by every architecture with that layer (a bottleneck and its
    inner shallow network share two)."""
    Symbol = sympy.Symbol      # one lookup through the lazy module, not one per symbol
    W = [Symbol(f"W{l}_{i + 1}_{j + 1}", real=True) for i in range(r) for j in range(c)]
    b = [Symbol(f"b{l}_{i + 1}", real=True) for i in range(r)]
    return sympy.ImmutableMatrix(r, c, W), sympy.ImmutableMatrix(r, 1, b)


Matrix = RationalMatrix  # behaves as the tuple of its rows (tuples of fmpq)
#: Networks with at most this many parameters show every one in their repr.
REPR_LIMIT = 1000
#: Points per exact product of :meth:`Network.evaluate` (784-4096: the limbs of one layer's pre-activations
#: for 256 points take about 50 MB, for 4,096 points 0.8 GB).
BATCH = 256
Vector = tuple[fmpq, ...]


@dataclass(frozen=True, eq=True)
class Network(Latexable):
    """An immutable ReLU network with exact rational parameters.

    ``weights[l-1]`` is $W_l$, a :class:`~semialg.core.rational_matrix.RationalMatrix` that behaves as the
    tuple of its rows (tuples of ``fmpq``) and also holds the integer form $N_l / d_l$ (floats are read
    straight into it: the float64 size in memory); ``biases[l-1]`` is $b_l$, a tuple of ``fmpq``. Build one
    with :meth:`from_arrays`, :meth:`random`, :meth:`from_parameters` or :func:`semialg.load`; given
    weights as tuples of rows of ``fmpq`` are wrapped as they are. Equality is exact equality of all
    parameters. ``assumptions`` records what a reader assumed because its source did not say (e.g. ReLU
    between layers of a bare weight file); it is not part of the parameter and does not affect equality.
    """

    weights: tuple[Matrix, ...]
    biases: tuple[Vector, ...]
    assumptions: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self):
        if not self.weights or len(self.weights) != len(self.biases):
            raise ShapeError(f"need as many biases as weight matrices, got {len(self.weights)} weights "
                             f"and {len(self.biases)} biases")
        Ws = tuple(W if isinstance(W, RationalMatrix) else RationalMatrix.from_rows(W) for W in self.weights)
        object.__setattr__(self, "weights", Ws)
        object.__setattr__(self, "biases", tuple(tuple(b) for b in self.biases))
        prev = Ws[0].shape[1]
        for l, (W, b) in enumerate(zip(Ws, self.biases, strict=True), start=1):
            if not len(W):
                raise ShapeError(f"layer {l}: W{l} has no rows (every layer needs at least one neuron)")
            if not W.shape[1]:
                raise ShapeError(f"layer {l}: W{l} has no columns (the input needs at least one coordinate)")
            if W.shape[1] != prev:
                raise ShapeError(f"layer {l}: W{l} has {W.shape[1]} columns but layer {l - 1} has {prev} outputs")
            if len(b) != len(W):
                raise ShapeError(f"layer {l}: b{l} has length {len(b)} but W{l} has {len(W)} rows")
            prev = len(W)

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_arrays(cls, weights: Sequence, biases: Sequence) -> "Network":
        """Build a network from weight matrices (shape $n_l \\times n_{l-1}$) and bias vectors.

        Entries may be ints, Fractions, ``"p/q"`` strings, floats (read exactly) or numpy arrays. Float
        arrays are split into integer mantissas over a common power of two by vectorised numpy passes
        (:meth:`RationalMatrix.of <semialg.core.rational_matrix.RationalMatrix.of>`), without a Python object
        per weight. Cost: $O(\\dim\\Omega)$; measured in ``benchmarks/bench_reading.py``.

        >>> Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 0], [0]])([-3])
        (3,)
        """
        for name, arg in (("weights", weights), ("biases", biases)):
            if not isinstance(arg, (Sequence, np.ndarray)):
                raise ParameterError(f"{name} must be a list or array (one entry per layer), "
                                     f"not {type(arg).__name__}")
        if len(weights) != len(biases):
            raise ShapeError(f"got {len(weights)} weight matrices but {len(biases)} bias vectors")
        Ws, bs = [], []
        for l, (W, b) in enumerate(zip(weights, biases, strict=True), start=1):
            Ws.append(RationalMatrix.of(W, where=f"W{l}"))
            bs.append(to_vector(b, where=f"b{l}"))
        return cls(tuple(Ws), tuple(bs))

    @classmethod
    def from_parameters(cls, arch: Architecture, theta: Sequence) -> "Network":
        """Inverse of :meth:`parameters`: the network of ``arch`` with flat parameter vector ``theta``."""
        theta = to_vector(theta, arch.num_parameters, where="theta")
        Ws, bs, k = [], [], 0
        for r, c in arch.layer_shapes():
            Ws.append(tuple(theta[k + i * c: k + (i + 1) * c] for i in range(r)))
            k += r * c
            bs.append(theta[k: k + r])
            k += r
        return cls(tuple(Ws), tuple(bs))

    @classmethod
    def random(cls, arch: Architecture | Sequence[int], seed: int | None = None, height: int = 5,
               nonzero: bool = True) -> "Network":
        """A random network with entries $p/q$, $|p| \\le$ ``height``, $1 \\le q \\le$ ``height``.

        With ``nonzero`` (default) no entry is zero. Deterministic for a given ``seed``.

        >>> Network.random(Architecture(2, 3, 1), seed=1) == Network.random((2, 3, 1), seed=1)
        True
        """
        if not isinstance(arch, Architecture):
            arch = Architecture(arch)
        if height < 1:
            raise ParameterError(f"height must be at least 1, got {height}")
        rng = _random.Random(seed)

        def entry() -> fmpq:
            while True:
                p = rng.randint(-height, height)
                if p or not nonzero:
                    return fmpq(p, rng.randint(1, height))

        theta = [entry() for _ in range(arch.num_parameters)]
        return cls.from_parameters(arch, theta)

    # -- structure ----------------------------------------------------------------------------

    @cached_property
    def architecture(self) -> Architecture:
        return Architecture(self.weights[0].shape[1], *(len(W) for W in self.weights))

    @property
    def widths(self) -> tuple[int, ...]:
        return self.architecture.widths

    @property
    def depth(self) -> int:
        return len(self.weights)

    def derived(self, name: str, compute: Callable[["Network"], _T]) -> _T:
        """``compute(self)``, computed once and kept with the network under ``name``: data derived from the immutable
        parameter that several steps of one call read (the integer rows of a shallow layer: three reads in one
        equivalence test, 0.05 s each at 784-4096). ``compute`` must depend on the parameter alone; ``None`` is not
        kept (it may mean "not from the forms at hand yet"). Cost: that of ``compute``, once.

        >>> net = Network.from_arrays([[[1]], [[2]]], [[0], [0]])
        >>> net.derived("depth", lambda n: n.depth), net.derived("depth", lambda n: -1)     # kept
        (2, 2)
        """
        memo = self._derived
        if name not in memo:
            value = compute(self)
            if value is None:
                return None
            memo[name] = value
        return memo[name]

    @cached_property
    def _derived(self) -> dict:
        return {}

    def zero_neurons(self) -> list[np.ndarray]:
        """Per hidden layer, a boolean mask of the *zero* neurons: incoming weights and bias $0$, so the
        pre-activation is $0$ on every input (counted off on every region). Cost: $O(D)$ vectorised, once.

        >>> [m.tolist() for m in Network.from_arrays([[[1], [0]], [[1, 1]]], [[0, 0], [0]]).zero_neurons()]
        [[False, True]]
        """
        masks = self.derived("zero neurons", lambda net: tuple(
            ~W.nonzero_rows() & np.array([not v for v in b], dtype=bool) for W, b in zip(net.weights[:-1],
                                                                                          net.biases[:-1])))
        return [m.copy() for m in masks]

    def bent(self, pattern) -> bool:
        """Whether the activation ``pattern`` of an input has a hidden pre-activation $0$ other than a zero
        neuron's: the input lies on a bent hyperplane of the input space (a zero neuron vanishes everywhere, and
        every linear region counts it off; in the parameters, $\\theta \\mapsto f_\\theta(x)$ is not
        differentiable there either). Cost: $O(\\#\\text{hidden})$.

        >>> net = Network.from_arrays([[[1], [0]], [[1, 1]]], [[0, 0], [0]])
        >>> net.bent(net.activation_pattern([0])), net.bent(net.activation_pattern([1]))
        (True, False)
        """
        if not any(0 in layer for layer in pattern[:self.depth - 1]):
            return False
        zero = self.zero_neurons()
        return any(v == 0 and not zero[l][i] for l, layer in enumerate(pattern[:self.depth - 1])
                   for i, v in enumerate(layer))

    def W(self, l: int) -> fmpq_mat:
        """$W_l$ (1-based) as a fresh :class:`fmpq_mat`."""
        return fmpq_mat(self._layer_mats(l - 1)[0])

    def b(self, l: int) -> fmpq_mat:
        """$b_l$ (1-based) as a fresh column :class:`fmpq_mat`."""
        return fmpq_mat(self._layer_mats(l - 1)[1])

    def _layer_mats(self, i: int) -> tuple[fmpq_mat, fmpq_mat]:
        """Layer ``i`` (0-based) as flint matrices, built on first use and kept: only the layers asked for (the
        ``fmpq_mat`` of a 784-4096 layer takes 1.1 s)."""
        if i not in self._mat_cache:
            W, b = self.weights[i], self.biases[i]
            self._mat_cache[i] = (W.to_fmpq_mat(), fmpq_mat(len(b), 1, list(b)))
        return self._mat_cache[i]

    @cached_property
    def _mat_cache(self) -> dict[int, tuple[fmpq_mat, fmpq_mat]]:
        return {}

    @cached_property
    def _mats(self) -> list[tuple[fmpq_mat, fmpq_mat]]:
        return [self._layer_mats(i) for i in range(self.depth)]

    def parameters(self) -> tuple[fmpq, ...]:
        """The flat parameter vector: $W_1$ row-major, $b_1$, $W_2$, $b_2$, ... (as :meth:`variables`)."""
        out: list[fmpq] = []
        for W, b in zip(self.weights, self.biases, strict=True):
            for r in W:
                out.extend(r)
            out.extend(b)
        return tuple(out)

    def variables(self) -> ParameterVariables:
        """The symbolic parameters of this network's architecture."""
        return self.architecture.variables()

    def replace_layer(self, l: int, weight=None, bias=None) -> "Network":
        """A copy with $W_l$ and/or $b_l$ (1-based) replaced."""
        Ws, bs = list(self.weights), list(self.biases)
        if weight is not None:
            Ws[l - 1] = RationalMatrix.of(weight, where=f"W{l}")
        if bias is not None:
            bs[l - 1] = to_vector(bias, where=f"b{l}")
        return Network(tuple(Ws), tuple(bs))

    # -- evaluation -----------------------------------------------------------------------------

    def preactivations(self, x: Sequence) -> list[Vector]:
        """The pre-activations $z_l = W_l a_{l-1} + b_l$ of every layer at ``x``, exactly.

        The last entry is the output $f(x)$. Cost: $O(\\dim\\Omega)$ rational operations (a sparse input
        touches only the columns of $W_1$ it needs: :meth:`RationalMatrix.matvec`).
        This is the one exact evaluation routine; everything else calls it.
        """
        a = to_vector(x, self.architecture.input_dim, where="x")
        zs = []
        for l, (W, b) in enumerate(self.layers()):
            zs.append(tuple(u + c for u, c in zip(W.matvec(a), b, strict=True)))
            if l < self.depth - 1:
                a = tuple(relu(v) for v in zs[-1])
        return zs

    def __call__(self, x: Sequence) -> Vector:
        """$f(x)$ exactly, as a tuple of rationals."""
        return self.preactivations(x)[-1]

    def evaluate(self, X: Sequence[Sequence]) -> list[Vector]:
        r"""$f$ at every point of a batch, exactly. The points, :data:`BATCH` at a time, are the columns of one
        integer matrix over a denominator per point (:func:`~semialg.core.rational_matrix.integer_columns`), kept in 20-bit limbs (:class:`~semialg.core.limbs.Limbs`);
        every layer is one exact product of integers by float64 BLAS (:meth:`RationalMatrix.times_limbs`), its bias
        added as one outer product and ReLU taken of the limbs' signs; rationals are formed at the output only. Cost: $O(N\dim\Omega)$
        multiplications of integers.

        >>> Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 0], ["1/2"]]).evaluate([[2], ["-1/3"]])
        [(5/2,), (5/6,)]
        """
        A = [to_vector(x, self.architecture.input_dim, where="x") for x in X]
        if len(A) < 2:
            return [self(x) for x in A]
        out = []
        for start in range(0, len(A), BATCH):
            *_, (Z, e) = self._integer_preactivations(A[start:start + BATCH])
            out += rational_columns(Z, e)
        return out

    def _integer_preactivations(self, A: Sequence[Vector]):
        """The pre-activations of every layer at the points ``A`` as ``(Z, e)``: column $k$ of the integer matrix
        $Z$ (:class:`~semialg.core.limbs.Limbs`) over the positive integer ``e[k]`` is $z_l$ at point $k$
        (:meth:`evaluate`)."""
        Z, e = integer_columns(A)
        for l, (W, b) in enumerate(self.layers()):
            Z, d = W.times_limbs(Z)
            e = [d * x for x in e]
            if any(b):         # Z/e + B/beta = (Z L/e + B L/beta) / L, L = lcm(e, beta): often e itself
                beta = math.lcm(*(int(c.q) for c in b))
                L = [x * beta // math.gcd(x, beta) for x in e]
                if L != e:
                    Z = Z.scale_columns([y // x for x, y in zip(e, L, strict=True)])
                Z, e = Z.add_outer([int(c.p) * (beta // int(c.q)) for c in b], [y // beta for y in L]), L
            yield Z, e
            if l < self.depth - 1:
                Z = Z.relu()

    def activation_pattern(self, x: Sequence) -> tuple[tuple[int, ...], ...]:
        """The sign ($-1, 0, +1$) of every hidden pre-activation at ``x``."""
        return tuple(tuple((z > 0) - (z < 0) for z in zl) for zl in self.preactivations(x)[:-1])

    def activation_patterns(self, X: Sequence[Sequence]) -> list[tuple[tuple[int, ...], ...]]:
        r""":meth:`activation_pattern` at every point of a batch, exactly: float64 signs where their error bound
        makes them certain (:func:`~semialg.core.enclosure.certified_signs`), elsewhere the signs of the integer
        pre-activations of :meth:`evaluate` (their denominators are positive). Cost: $O(N\dim\Omega)$ flops, and
        $O(N'\dim\Omega)$ multiplications of integers for the $N'$ points with an uncertain sign (784-4096: 0.3 ms
        a point when all are certain, 1.6 ms exactly).

        >>> Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 0], [0]]).activation_patterns([[2], [0], [-1]])
        [((1, -1),), ((0, 0),), ((-1, 1),)]
        """
        A = [to_vector(x, self.architecture.input_dim, where="x") for x in X]
        if len(A) < 2:
            return [self.activation_pattern(x) for x in A]
        hidden = self.depth - 1
        out = self._certified_signs(A, hidden)
        uncertain = [k for k, pattern in enumerate(out) if pattern is None]
        if uncertain:
            exact = [Z.signs().T.tolist()
                     for _, (Z, _) in zip(range(hidden), self._integer_preactivations([A[k] for k in uncertain]))]
            for i, k in enumerate(uncertain):
                out[k] = tuple(tuple(layer[i]) for layer in exact)
        return out

    def output_signs(self, X: Sequence[Sequence]) -> list[tuple[int, ...]]:
        r"""The sign ($-1, 0, +1$) of every output of $f$ at every point of a batch, exactly: certified float64 signs
        (:func:`~semialg.core.enclosure.certified_signs`), exact evaluation (:meth:`evaluate`) at the points where
        one is uncertain. Cost: $O(N\dim\Omega)$ flops, and exact products for the uncertain points only.

        >>> Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 0], ["-1/2"]]).output_signs([[2], [0], ["1/2"]])
        [(1,), (-1,), (0,)]
        """
        A = [to_vector(x, self.architecture.input_dim, where="x") for x in X]
        out = [layers and layers[0] for layers in self._certified_signs(A, self.depth, self.depth - 1)]
        uncertain = [k for k, s in enumerate(out) if s is None]
        for k, y in zip(uncertain, self.evaluate([A[k] for k in uncertain]), strict=True):
            out[k] = tuple((v > 0) - (v < 0) for v in y)
        return out

    def _certified_signs(self, A: Sequence[Vector], count: int,
                         first: int = 0) -> list[tuple[tuple[int, ...], ...] | None]:
        """For every point of ``A``, the signs of the pre-activations of layers ``first + 1`` to ``count`` when the
        float enclosure makes all of them certain (:func:`~semialg.core.enclosure.certified_signs`), else ``None``.
        A point enters as its ``int64`` numerators over its denominator, or, without that form (float inputs of
        large exponents), as its entries' nearest floats over 1. :data:`BATCH` points at a time: the float products
        of a 784-4096 layer and their bounds take 8 MB a point."""
        points = [x if type(x) is GridPoint else None for x in A]
        plain = [k for k, x in enumerate(points) if x is None]
        for k, x in zip(plain, as_grid_points([A[k] for k in plain]), strict=True):
            points[k] = x
        out: list = [None] * len(A)
        layers = self.float_layers()[:count]
        for start in range(0, len(A), BATCH):
            batch = points[start:start + BATCH]
            P = np.stack([x.numerators if type(x) is GridPoint else float_array([x])[0] for x in batch])
            d = np.array([float(x.denominator) if type(x) is GridPoint else 1.0 for x in batch])
            found = certified_signs(layers, P.astype(np.float64), d)
            sure = np.ones(len(batch), dtype=bool)
            for _, certain in found[first:]:
                sure &= certain.all(axis=1)
            rows = [s.tolist() for s, _ in found[first:]]
            for i in np.flatnonzero(sure).tolist():
                out[start + i] = tuple(tuple(layer[i]) for layer in rows)
        return out

    def evaluate_float(self, X) -> np.ndarray:
        """Fast float64 evaluation of a batch ``X`` of shape $(N, n_0)$: a numeric helper, never a decision."""
        return self.float_preactivations(X)[-1]

    def float_preactivations(self, X, layers: int | None = None) -> list[np.ndarray]:
        """Float64 pre-activations $z_1, \\dots, z_L$ (or the first ``layers`` of them) of a batch ``X`` of shape
        $(N, n_0)$; $z_L$ is the output. A numeric helper (pictures, choosing probe points), never a decision.
        Cost: $O(N \\dim\\Omega)$ flops."""
        A, out = np.asarray(X, dtype=float), []
        with np.errstate(over="ignore", invalid="ignore"):     # parameters beyond the float64 range are infinite
            for W, b in self.float_layers()[:layers]:
                out.append(A @ W.T + b)
                A = np.maximum(out[-1], 0.0)
        return out

    def float_layers(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """$(W_l, b_l)$ as float64 arrays (rounded; $\\pm\\infty$ beyond the float64 range; read-only, converted
        once per network): for numeric helpers only."""
        return list(self._float_layers)

    @cached_property
    def _float_layers(self) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
        out = tuple((_floats(W), np.array([nearest_float(x) for x in b], dtype=np.float64))
                    for W, b in zip(self.weights, self.biases, strict=True))
        for arrays in out:
            for a in arrays:
                a.setflags(write=False)
        return out

    # -- display ----------------------------------------------------------------------------------

    def __repr__(self) -> str:
        """Every parameter up to :data:`REPR_LIMIT` of them; beyond, as numpy does, the first entries of the first
        rows and ``...`` (the repr of a 784-4096-10 network would be 20 MB and take seconds)."""
        full = self.architecture.num_parameters <= REPR_LIMIT

        def cut(xs, k: int) -> list[str]:
            return [str(x) for x in xs] if full or len(xs) <= k else [str(x) for x in xs[:k]] + ["..."]

        parts = []
        for l, (W, b) in enumerate(zip(self.weights, self.biases, strict=True), start=1):
            rows = ['[' + ', '.join(cut(r, 6)) + ']' for r in (W if full else W[:3])]
            parts.append(f"W{l}=[{', '.join(rows + ([] if full or len(W) <= 3 else ['...']))}]")
            parts.append(f"b{l}=[{', '.join(cut(b, 6))}]")
        return f"Network({self.architecture}: {'; '.join(parts)})"

    def layers(self) -> Iterator[tuple[Matrix, Vector]]:
        """Iterate over $(W_l, b_l)$."""
        return iter(zip(self.weights, self.biases, strict=True))


def _floats(W) -> np.ndarray:
    """:meth:`RationalMatrix.to_float`, with entries beyond the float64 range as $\\pm\\infty$."""
    try:
        return W.to_float()
    except OverflowError:
        return float_array(W.rows).reshape(W.shape)
