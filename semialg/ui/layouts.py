"""From the layers a model format stores to a :class:`~semialg.core.network.Network`.

:class:`AffineChain` turns a sequence of affine maps (Linear/Gemm/MatMul layers, biases, folded
BatchNorm) and ReLUs into the layers $(W_l, b_l)$, composing consecutive affine maps exactly; ONNX graphs,
PyTorch modules and weight files all go through it. :func:`batchnorm` gives the affine map of a
BatchNorm layer in evaluation mode.

>>> chain = AffineChain("example")
>>> chain.affine(fmpq_mat([[1, 2]]), fmpq_mat([[1]]), "fc1")
>>> chain.relu("relu1")
>>> chain.scale([2], [0], "bn")           # a BatchNorm after the ReLU folds into the next layer
>>> chain.affine(fmpq_mat([[3]]), None, "fc2")
>>> chain.network()
Network(2-1-1: W1=[[1, 2]]; b1=[1]; W2=[[6]]; b2=[0])
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from flint import fmpq, fmpq_mat

from semialg.core.exact import to_fmpq
from semialg.core.network import Network
from semialg.errors import FormatError, ShapeError

__all__ = ["AffineChain", "batchnorm", "BATCHNORM_FOLDING"]

#: What folding a BatchNorm layer means, exactly (quoted in docs and error-free notices).
BATCHNORM_FOLDING = ("BatchNorm in evaluation mode is the affine map x -> s*(x - mean) + beta with "
                     "s = gamma/sqrt(var + eps) taken as its float64 value; it is folded exactly into the "
                     "neighbouring Linear layer")


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

    The map pending since the last ReLU is either the identity, a diagonal map $x \\mapsto s\\odot x + t$
    (a BatchNorm not yet followed by a Linear layer) or a full $x \\mapsto Wx + b$.
    Cost: an $O(mn)$ rescaling per folded BatchNorm; an exact matrix product per two consecutive affine maps.
    """

    def __init__(self, source: str):
        self.source = source
        self.layers: list[tuple[fmpq_mat, fmpq_mat]] = []
        self.W: fmpq_mat | None = None
        self.b: fmpq_mat | None = None
        self.diag: tuple[Sequence[fmpq], Sequence[fmpq]] | None = None

    @property
    def started(self) -> bool:
        """Whether any layer has been seen."""
        return bool(self.layers) or self.W is not None or self.diag is not None

    @property
    def width(self) -> int | None:
        """The width of the data after the pending map, if it is known."""
        if self.W is not None:
            return self.W.nrows()
        if self.diag is not None:
            return len(self.diag[0])
        return self.layers[-1][0].nrows() if self.layers else None

    def affine(self, M: fmpq_mat, c: fmpq_mat | None, where: str) -> None:
        """Compose with $y \\mapsto M y + c$ ($c$ a column or ``None`` for zero)."""
        n = self.width
        if n is not None and M.ncols() != n:
            raise ShapeError(f"{where}: expects {M.ncols()} inputs but the previous layer has {n} "
                             f"outputs")
        if self.diag is not None:
            s, t = self.diag
            shift = M * fmpq_mat(len(t), 1, list(t))
            e, m = M.entries(), M.ncols()
            M = fmpq_mat(M.nrows(), m, [x * s[k % m] for k, x in enumerate(e)])
            c = shift if c is None else shift + c
            self.diag = None
        if self.W is None:
            self.W, self.b = M, c
            return
        self.W = M * self.W
        b = None if self.b is None else M * self.b
        self.b = c if b is None else b if c is None else b + c

    def shift(self, c: fmpq_mat, where: str) -> None:
        """Compose with $y \\mapsto y + c$."""
        if self.W is None:
            raise FormatError(f"{where}: a bias must follow a Linear/Gemm/MatMul layer")
        if c.nrows() != self.W.nrows():
            raise ShapeError(f"{where}: bias of length {c.nrows()} after a layer with "
                             f"{self.W.nrows()} outputs")
        self.b = c if self.b is None else self.b + c

    def scale(self, s: Sequence[fmpq], t: Sequence[fmpq], where: str) -> None:
        """Compose with the diagonal map $y \\mapsto s \\odot y + t$ (a folded BatchNorm)."""
        n = self.width
        if n is not None and len(s) != n:
            raise ShapeError(f"{where}: BatchNorm of width {len(s)} after a layer with {n} outputs")
        s, t = tuple(to_fmpq(x) for x in s), tuple(to_fmpq(x) for x in t)
        if self.W is not None:
            W, b = self.W, self.b if self.b is not None else fmpq_mat(self.W.nrows(), 1)
            m = W.ncols()
            self.W = fmpq_mat(W.nrows(), m, [x * s[k // m] for k, x in enumerate(W.entries())])
            self.b = fmpq_mat(W.nrows(), 1, [x * si + ti for x, si, ti in zip(b.entries(), s, t, strict=True)])
        elif self.diag is not None:
            s0, t0 = self.diag
            self.diag = (tuple(a * b for a, b in zip(s, s0, strict=True)),
                         tuple(a * b + c for a, b, c in zip(s, t0, t, strict=True)))
        else:
            self.diag = (s, t)

    def relu(self, where: str) -> None:
        """End the current layer with a ReLU."""
        if self.W is None:
            raise FormatError(f"{where}: a ReLU must follow a Linear/Gemm/MatMul layer")
        self.layers.append((self.W, self.b if self.b is not None else fmpq_mat(self.W.nrows(), 1)))
        self.W = self.b = None

    def network(self) -> Network:
        """The network; the chain must end with an affine map."""
        if self.diag is not None:
            raise FormatError(f"{self.source}: ends with a BatchNorm after the last Linear layer")
        if self.W is None:
            raise FormatError(f"{self.source}: ends with a ReLU; semialg's networks end with an affine layer"
                              if self.layers else f"{self.source}: no Linear/Gemm/MatMul layer found")
        layers = self.layers + [(self.W, self.b if self.b is not None else fmpq_mat(self.W.nrows(), 1))]
        Ws = tuple(_rows(W) for W, _ in layers)
        bs = tuple(tuple(b.entries()) for _, b in layers)
        try:
            return Network(Ws, bs)
        except ShapeError as e:
            raise ShapeError(f"{self.source}: {e}") from None


def _rows(M: fmpq_mat) -> tuple[tuple[fmpq, ...], ...]:
    e, c = M.entries(), M.ncols()
    return tuple(tuple(e[i * c:(i + 1) * c]) for i in range(M.nrows()))
