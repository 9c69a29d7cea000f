"""From the layers a model format stores to a :class:`~semialg.core.network.Network`.

:class:`AffineChain` turns a sequence of affine maps (Linear/Gemm/MatMul layers, biases, folded
BatchNorm) and ReLUs into the layers $(W_l, b_l)$, composing consecutive affine maps exactly; ONNX graphs,
PyTorch modules and weight files all go through it. :func:`batchnorm` gives the affine map of a
BatchNorm layer in evaluation mode.

>>> chain = AffineChain("example")
>>> chain.affine(((fmpq(1), fmpq(2)),), (fmpq(1),), "fc1")
>>> chain.relu("relu1")
>>> chain.scale((fmpq(2),), (fmpq(0),), "bn")       # a BatchNorm after the ReLU folds into the next layer
>>> chain.affine(((fmpq(3),),), None, "fc2")
>>> chain.network()
Network(2-1-1: W1=[[1, 2]]; b1=[1]; W2=[[6]]; b2=[0])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
from flint import fmpq, fmpq_mat

from semialg.core.exact import dot, to_fmpq, to_vector
from semialg.core.network import Matrix, Network, Vector
from semialg.core.rational_matrix import RationalMatrix
from semialg.errors import FormatError, ParameterError, ShapeError
from semialg.ui.declared import listing

__all__ = ["AffineChain", "batchnorm", "network_from_arrays", "LAYOUTS"]

_ZERO = fmpq(0)

def batchnorm(gamma, beta, mean, var, eps: float, where: str) -> tuple[tuple[fmpq, ...], tuple[fmpq, ...]]:
    """The affine map $x \\mapsto s \\odot x + t$ of a BatchNorm layer in evaluation mode.

    $s = \\gamma / \\sqrt{\\mathrm{var} + \\varepsilon}$ is irrational in general: it is taken as the float64
    value numpy computes (the one documented rounding in semialg's readers); $t = \\beta - s \\odot \\mu$ is
    then exact. Cost: $O(n)$.

    >>> batchnorm([2.0], [1.0], [0.5], [3.0], 1.0, "bn")
    ((1,), (1/2,))
    """
    g, b, m, v = (np.asarray(a, dtype=np.float64).reshape(-1) for a in (gamma, beta, mean, var))
    if not (len(g) == len(b) == len(m) == len(v)):
        raise ShapeError(f"{where}: BatchNorm weight, bias, running_mean and running_var differ in length "
                         f"({len(g)}, {len(b)}, {len(m)}, {len(v)})")
    if np.any(v + eps <= 0):
        raise FormatError(f"{where}: BatchNorm running_var + eps is not positive")
    s = [to_fmpq(x, where=f"{where} scale[{i}]") for i, x in enumerate(g / np.sqrt(v + eps))]
    t = [to_fmpq(x, where=f"{where} bias[{i}]") - si * to_fmpq(mi, where=f"{where} running_mean[{i}]")
         for i, (x, si, mi) in enumerate(zip(b, s, m, strict=True))]
    return tuple(s), tuple(t)


class AffineChain:
    """Collects affine maps and ReLUs in order and yields the exact layers of the ReLU network.

    The map pending since the last ReLU is the identity, a diagonal map $x \\mapsto s\\odot x + t$
    (a BatchNorm not yet followed by a Linear layer) or a full $x \\mapsto Wx + b$. Matrices are tuples of
    rows of rationals, as in :class:`~semialg.core.network.Network`. Cost: $O(mn)$ per folded BatchNorm
    and one exact matrix product per two consecutive affine maps (nothing else is copied).
    """

    def __init__(self, source: str):
        self.source = source
        self.layers: list[tuple[Matrix, Vector]] = []
        self.W: Matrix | None = None
        self.b: Vector | None = None
        self.diag: tuple[Vector, Vector] | None = None

    @property
    def started(self) -> bool:
        """Whether any layer has been seen."""
        return bool(self.layers) or self.W is not None or self.diag is not None

    @property
    def width(self) -> int | None:
        """The width of the data after the pending map, if it is known."""
        if self.W is not None:
            return len(self.W)
        if self.diag is not None:
            return len(self.diag[0])
        return len(self.layers[-1][0]) if self.layers else None

    def affine(self, M: Matrix, c: Vector | None, where: str) -> None:
        """Compose with $y \\mapsto M y + c$ ($c$ ``None`` for zero)."""
        M = RationalMatrix.of(M, where=where)
        n = self.width
        if n is not None and M.shape[1] != n:
            raise ShapeError(f"{where}: expects {M.shape[1]} inputs but the previous layer has {n} outputs")
        if self.diag is not None:
            s, t = self.diag
            shift = tuple(dot(r, t) for r in M)
            c = shift if c is None else tuple(x + y for x, y in zip(shift, c, strict=True))
            M = tuple(tuple(x * si for x, si in zip(r, s, strict=True)) for r in M)
            self.diag = None
        if self.W is None:
            self.W, self.b = M, c
            return
        Mm = fmpq_mat([list(r) for r in M])
        self.W = _rows(Mm * fmpq_mat([list(r) for r in self.W]))
        b = None if self.b is None else tuple((Mm * fmpq_mat(len(self.b), 1, list(self.b))).entries())
        self.b = c if b is None else b if c is None else tuple(x + y for x, y in zip(b, c, strict=True))

    def shift(self, c: Vector, where: str) -> None:
        """Compose with $y \\mapsto y + c$."""
        if self.W is None:
            raise FormatError(f"{where}: a bias must follow a Linear/Gemm/MatMul layer")
        if len(c) != len(self.W):
            raise ShapeError(f"{where}: bias of length {len(c)} after a layer with {len(self.W)} outputs")
        self.b = c if self.b is None else tuple(x + y for x, y in zip(self.b, c, strict=True))

    def scale(self, s: Vector, t: Vector, where: str) -> None:
        """Compose with the diagonal map $y \\mapsto s \\odot y + t$ (a folded BatchNorm)."""
        n = self.width
        if n is not None and len(s) != n:
            raise ShapeError(f"{where}: BatchNorm of width {len(s)} after a layer with {n} outputs")
        if self.W is not None:
            b = self.b if self.b is not None else (_ZERO,) * len(self.W)
            self.W = tuple(tuple(x * si for x in r) for r, si in zip(self.W, s, strict=True))
            self.b = tuple(x * si + ti for x, si, ti in zip(b, s, t, strict=True))
        elif self.diag is not None:
            s0, t0 = self.diag
            self.diag = (tuple(a * b for a, b in zip(s, s0, strict=True)),
                         tuple(a * b + c for a, b, c in zip(s, t0, t, strict=True)))
        else:
            self.diag = (tuple(s), tuple(t))

    def relu(self, where: str) -> None:
        """End the current layer with a ReLU."""
        if self.W is None:
            raise FormatError(f"{where}: a ReLU must follow a Linear/Gemm/MatMul layer")
        self.layers.append((self.W, self.b if self.b is not None else (_ZERO,) * len(self.W)))
        self.W = self.b = None

    def network(self) -> Network:
        """The network; the chain must end with an affine map."""
        if self.diag is not None:
            raise FormatError(f"{self.source}: ends with a BatchNorm after the last Linear layer")
        if self.W is None:
            raise FormatError(f"{self.source}: ends with a ReLU; semialg's networks end with an affine layer"
                              if self.layers else f"{self.source}: no Linear/Gemm/MatMul layer found")
        layers = self.layers + [(self.W, self.b if self.b is not None else (_ZERO,) * len(self.W))]
        try:
            return Network(tuple(W for W, _ in layers), tuple(b for _, b in layers))
        except ShapeError as e:
            raise ShapeError(f"{self.source}: {e}") from None


def _rows(M: fmpq_mat) -> tuple[tuple[fmpq, ...], ...]:
    e, c = M.entries(), M.ncols()
    return tuple(tuple(e[i * c:(i + 1) * c]) for i in range(M.nrows()))


# -- weight files: which arrays form which layer, in which order ---------------------------------------

# at most 9 digits: a layer number of thousands of digits is beyond what Python converts to an int
_INDEXED = (
    (re.compile(r"^(?P<role>W|b)_?(?P<idx>\d{1,9})$"), 1),                 # W1, b1 (1-based)
    (re.compile(r"^(?P<role>weight|bias)_?(?P<idx>\d{1,9})$"), 0),         # weight_0, bias_0
    (re.compile(r"^(?P<role>coefs|intercepts)_?(?P<idx>\d{1,9})$"), 0),    # coefs_0 (scikit-learn dumps)
)
_INDEXED_ROLE = {"W": "weight", "b": "bias", "weight": "weight", "bias": "bias", "coefs": "weight",
                 "intercepts": "bias"}
_ROLES = ("weight", "bias", "kernel", "gamma", "beta", "scale", "running_mean", "running_var", "moving_mean",
          "moving_variance", "mean", "var", "num_batches_tracked")
_NAMED = re.compile(rf"^(?P<prefix>.+?)[./](?P<role>{'|'.join(_ROLES)})(?::\d+)?$")
_COLLECTION = re.compile(r"^(?:params|batch_stats)[./]")   # Flax variable collections
#: BatchNorm layouts: the roles of (gamma, beta, mean, var), the framework and its default epsilon
#: (epsilon is not stored in a state dict).
_BATCHNORMS = ((("weight", "bias", "running_mean", "running_var"), "PyTorch", 1e-5),
               (("gamma", "beta", "moving_mean", "moving_variance"), "Keras", 1e-3),
               (("scale", "bias", "mean", "var"), "Flax", 1e-5))
_MAX_ORDERINGS = 10 ** 5
LAYOUTS = ("auto", "out_in", "in_out")


@dataclass
class _Group:
    """The arrays of one layer: ``kind`` is "linear" or "batchnorm"; ``native`` the weight layout its key
    style implies ("out_in" for PyTorch ``weight``, "in_out" for Keras/Flax ``kernel``, "auto" for W1-style
    keys, whose layout is read off the shapes)."""

    name: str
    arrays: dict = field(default_factory=dict)
    kind: str = "linear"
    native: str = "auto"
    bn: tuple | None = None

    def shape_in_out(self, layout: str) -> tuple[int, int]:
        if self.kind == "batchnorm":
            n = self.arrays[self.bn[0][2]][1].size
            return n, n
        W = self.arrays["weight"][1]
        lay = self.native if layout == "auto" else layout
        return (W.shape[0], W.shape[1]) if lay == "in_out" else (W.shape[1], W.shape[0])


def _natural(name: str) -> tuple:
    """The sort key putting ``fc2`` before ``fc10``: numbers compare by length, then digits, never through
    ``int`` (a name may hold a number of thousands of digits, which Python refuses to convert)."""
    return tuple((len(p.lstrip("0")), p.lstrip("0")) if i % 2 else p
                 for i, p in enumerate(re.split(r"(\d+)", name)))


def _stem(name: str) -> str:
    return re.sub(r"_?\d+", "", name)


def _groups(arrays: Mapping[str, np.ndarray], source: str) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}
    numbered: dict[int, tuple[str, int]] = {}  # layer index -> (a key of it, the numbering's base)
    for key, arr in arrays.items():
        m = next((p.match(key) for p, _ in _INDEXED if p.match(key)), None)
        if m is not None:
            base = next(b for p, b in _INDEXED if p.match(key))
            name, role, native = str(int(m.group("idx")) - base), _INDEXED_ROLE[m.group("role")], "auto"
            if role == "weight" or int(name) not in numbered:  # name the missing layer by its weight
                numbered[int(name)] = (key, base)
        else:
            m = _NAMED.match(_COLLECTION.sub("", key))
            if m is None:
                raise FormatError(f"{source}: unexpected array {key!r}; expected keys like W1/b1, weight_0/bias_0, "
                                  f"PyTorch fc1.weight/0.bias, Keras dense/kernel:0 or Flax params/Dense_0/kernel "
                                  f"(Linear and BatchNorm layers only)")
            name, role = m.group("prefix"), m.group("role")
            native = "in_out" if role == "kernel" else "out_in"
            role = "weight" if role == "kernel" else role
        g = groups.setdefault(name, _Group(name))
        if role in g.arrays:
            raise FormatError(f"{source}: two arrays for the {role} of layer {name!r}: {g.arrays[role][0]!r} and "
                              f"{key!r}")
        g.arrays[role] = (key, arr)
        if role == "weight" and arr.ndim == 2:
            g.native = native
    for g in groups.values():
        _classify(g, source)
    _check_numbering(numbered, source)
    return groups


def _check_numbering(numbered: dict[int, tuple[str, int]], source: str) -> None:
    """Refuse numbered layers (``W1, W3``) with a number missing: the layers would chain without the missing
    one and the file would silently read as a different, shallower network. Named layers (PyTorch's ``0.weight,
    2.weight``, where ReLU modules take the odd numbers) are not numbered this way and may skip numbers."""
    if not numbered:
        return
    first = min(min(numbered), 0)  # W0 (0-based keys in a 1-based style) numbers from 0, not 1
    missing = next((i for i in range(first, max(numbered) + 1) if i not in numbered), None)
    if missing is None:
        return
    key, base = numbered[min(i for i in numbered if i > missing)]
    absent = re.sub(r"\d+$", str(missing + base), key)
    raise FormatError(f"{source}: has {key!r} but no {absent!r}: layer {missing + base} is missing (numbered "
                      f"layers must be consecutive)")


def _classify(g: _Group, source: str) -> None:
    roles = set(g.arrays) - {"num_batches_tracked"}
    for bn in _BATCHNORMS:
        if bn[0][2] in roles and bn[0][3] in roles and roles <= set(bn[0]):
            g.kind, g.bn = "batchnorm", bn
            return
    if "weight" not in roles or not roles <= {"weight", "bias"}:
        keys = ", ".join(repr(k) for k, _ in g.arrays.values())
        raise FormatError(f"{source}: layer {g.name!r} ({keys}) is neither a Linear layer (weight or kernel, "
                          f"optional bias) nor a BatchNorm layer (scale, shift, running mean and variance)")


def _order(groups: dict[str, _Group], source: str, layout: str, order: Sequence[str] | None) -> list[str]:
    """The layers in the order they are applied: ``order`` if given; natural order when all names differ
    only in their numbers (``0``, ``2``, ``4``; ``fc1``, ``fc2``); otherwise the one order in which the
    shapes chain and same-stem names keep their natural order (``fc1`` before ``fc2``)."""
    names = sorted(groups, key=_natural)
    if order is not None:
        order = list(order)
        if sorted(order, key=_natural) != names:
            raise FormatError(f"{source}: the order {order} must name each layer once; the file has {names}")
        return order
    if len({_stem(n) for n in names}) == 1:
        return names
    dims = {n: groups[n].shape_in_out(layout) for n in names}
    rank = {n: i for i, n in enumerate(names)}
    found: list[list[str]] = []
    steps = [0]

    def extend(path: list[str], width: int | None) -> None:
        steps[0] += 1
        if len(found) > 1 or steps[0] > _MAX_ORDERINGS:
            return
        if len(path) == len(names):
            if groups[path[-1]].kind == "linear":
                found.append(list(path))
            return
        for n in names:
            if n in path or (width is not None and dims[n][0] != width):
                continue
            if any(_stem(m) == _stem(n) and rank[m] < rank[n] and m not in path for m in names):
                continue
            path.append(n)
            extend(path, dims[n][1])
            path.pop()

    extend([], None)
    if len(found) == 1 and steps[0] <= _MAX_ORDERINGS:
        return found[0]
    if not found:
        raise ShapeError(f"{source}: the layer shapes {dims} (in, out) chain in no order; give the order "
                         f"(--order / order=) or the weight layout (--layout)")
    raise FormatError(f"{source}: the layers {names} chain in more than one order (e.g. {found[0]} and "
                      f"{found[1]}); give the order with --order {','.join(found[0])} (order= in the API)")


def _orient(W: np.ndarray, n_out: int | None, n_in: int | None, prefer: str, forced: bool, where: str
            ) -> np.ndarray:
    """``W`` as (out, in): in the ``prefer``-red layout when the shapes allow it (always, if ``forced``)."""
    def fits(out_axis: int) -> bool:
        return (n_out is None or W.shape[out_axis] == n_out) and (n_in is None or W.shape[1 - out_axis] == n_in)

    order = [prefer] if forced else [prefer, "in_out" if prefer == "out_in" else "out_in"]
    for lay in order:
        if fits(0 if lay == "out_in" else 1):
            return W if lay == "out_in" else W.T
    want = f"{n_out if n_out is not None else '?'} outputs and {n_in if n_in is not None else '?'} inputs"
    fit = f"the {prefer} layout" if forced else "neither (out, in) nor (in, out)"
    raise ShapeError(f"{where}: shape {W.shape} fits {fit} with {want}")


def network_from_arrays(arrays: Mapping[str, np.ndarray], source: str, layout: str = "auto",
                        order: Sequence[str] | None = None) -> Network:
    """The ReLU network stored as ``{key: array}`` (a state dict): layers grouped by key style, ordered
    (see :func:`_order`), weights oriented, ReLU between Linear layers, BatchNorm folded into the Linear
    layer before it (Linear → BatchNorm → ReLU; at the input, into the first Linear layer).

    What the arrays do not say is recorded in ``net.assumptions`` (the BatchNorm placement and epsilon).
    Cost: $O(\\dim\\Omega)$ plus, for named layers, a search over orderings (at most $10^5$ steps).
    """
    if layout not in LAYOUTS:
        raise ParameterError(f"layout must be one of {LAYOUTS}, not {layout!r}")
    if not arrays:
        raise FormatError(f"{source}: contains no arrays")
    groups = _groups(arrays, source)
    chain, folded, eps_notes, linear_seen = AffineChain(source), [], set(), False
    for l, name in enumerate(_order(groups, source, layout, order), start=1):
        g = groups[name]
        where = f"{source}: layer {l} ({name!r})"
        if g.kind == "batchnorm":
            (rg, rb, rm, rv), framework, eps = g.bn
            n = g.arrays[rm][1].size
            gamma = g.arrays[rg][1] if rg in g.arrays else np.ones(n)
            beta = g.arrays[rb][1] if rb in g.arrays else np.zeros(n)
            s, t = batchnorm(gamma, beta, g.arrays[rm][1], g.arrays[rv][1], eps, where)
            chain.scale(s, t, where)
            folded.append(name)
            eps_notes.add(f"eps = {eps:g} ({framework}'s default)")
            continue
        wkey, W = g.arrays["weight"]
        bkey, b = g.arrays.get("bias", (None, None))
        if b is not None and b.ndim != 1:  # a (1, 1) bias may be a matrix saved by mistake: never guess
            raise ShapeError(f"{where}: bias {bkey!r} has shape {b.shape}; a bias must be 1-D (one entry per "
                             f"output of the layer)")
        if W.ndim != 2:
            raise ShapeError(f"{where}: weight {wkey!r} must be 2-D, got shape {W.shape}")
        prefer = g.native if layout == "auto" else layout
        W = _orient(W, None if b is None else len(b), chain.width, "out_in" if prefer == "auto" else prefer,
                    layout != "auto", f"{where} ({wkey!r})")
        if linear_seen:
            chain.relu(where)
        linear_seen = True
        Wq = RationalMatrix.of(W, where=f"{source}: {wkey}")
        chain.affine(Wq, None if b is None else to_vector(b, where=f"{source}: {bkey}"), where)
    net = chain.network()
    if not folded:
        return net
    note = (f"BatchNorm {listing(folded)} folded with {' / '.join(sorted(eps_notes))}, the file stores no eps; "
            f"each assumed to act between its Linear layer and the ReLU; s = gamma/sqrt(var + eps) rounded to "
            f"float64")
    return Network(net.weights, net.biases, net.assumptions + (note,))
