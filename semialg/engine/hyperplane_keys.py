r"""The rows $(w_i, b_i)$ of a layer keyed by their lines, on the integer forms when at hand.

Two rows are equal, or lie on one hyperplane, iff their keys say so: a row is $\sigma\,r$ for a fixed
representative $r$ of its line and a scale $\sigma$. Normalising every row as rationals takes seconds at
784-4096 (a rational per weight); the keys are read off the ``int64`` integer forms $W = N/d$, vectorised, and
off the rationals without them. :func:`row_correspondence` matches two first layers hyperplane by hyperplane
(case-(a) bottleneck flips); :func:`unmatched_rows` finds the rows of one layer without an equal row in the
other (where a refutation looks for a difference).

>>> import numpy as np
>>> from semialg.core.network import Network
>>> a = Network.from_arrays([np.array([[1, 2], [0, 1]]), [[1, 1]], [[1]]], [[3, 0], [0], [0]])
>>> b = Network.from_arrays([np.array([[0, -2], [-2, -4]]), [[1, 1]], [[1]]], [[0, -6], [0], [0]])  # scaled, flipped
>>> row_correspondence(a, b), row_correspondence(a, a.replace_layer(1, bias=[3, 1]))
(([1, 0], [-2, -2]), None)
>>> unmatched_rows(a, a.replace_layer(1, bias=[3, 1]), 1)
([1], [1])
"""

from __future__ import annotations

from typing import Hashable, Sequence

from flint import fmpq

from semialg.core.exact import fingerprint, normalise_row
from semialg.core.network import Network
from semialg.core.rational_matrix import RationalMatrix

__all__ = ["oriented_rows", "keyed_rows", "row_correspondence", "unmatched_rows", "rank_at_least_two"]


def row_correspondence(net1: Network, net2: Network) -> tuple[list[int], list[fmpq]] | None:
    r"""``(perm, ratios)`` with $(w'_k, b'_k) = \text{ratios}[k]\,(w_{\text{perm}[k]}, b_{\text{perm}[k]})$ for
    every first-layer row $k$ of ``net2`` (rows of ``net1`` unprimed), when the rows of each first layer are
    non-zero and lie on distinct lines and the two sets of lines agree; ``None`` otherwise. Exact. Cost: $O(n_1n_0)$
    vectorised on the ``int64`` integer forms, then $O(n_1)$ rationals; without integer forms $O(n_1n_0)$
    rationals."""
    rows1, rows2 = keyed_rows(net1, net2, 1)
    where = {key: i for i, (key, sigma) in enumerate(rows1) if sigma != 0}
    if len(where) != len(rows1) or len(rows2) != len(rows1):
        return None
    perm = [where.get(key) if sigma != 0 else None for key, sigma in rows2]
    if None in perm or len(set(perm)) != len(perm):
        return None
    return perm, [sigma / rows1[i][1] for (_, sigma), i in zip(rows2, perm, strict=True)]


def oriented_rows(W, b) -> list[tuple[Hashable, fmpq]]:
    r"""Each row $(w_a, b_a)$ of a layer as ``(key, sigma)``: $(w_a, b_a) = \sigma_a\,r$ for a representative $r$
    of its line, named by ``key`` (equal keys iff the rows are non-zero multiples of each other); rows with
    $w_a = 0$ get ``("zero", b_a != 0)`` and $\sigma_a = b_a$. Exact. Cost: $O(rc)$ vectorised on an ``int64``
    integer form, else $O(rc)$ rationals.

    >>> import numpy as np
    >>> [sigma for _, sigma in oriented_rows(RationalMatrix.of(np.array([[2, 4], [-1, -2]])), [fmpq(2), fmpq(-1)])]
    [2, -1]
    """
    rows = _integer_rows(W, b)
    return rows if rows is not None else _rational_rows(W, b)


def rank_at_least_two(W: RationalMatrix, among: Sequence[bool] | None = None) -> bool:
    """Whether ``W`` (its rows where ``among`` is true, when given) has rank at least 2: two non-zero rows on
    different lines through 0, by their keys (the exact rank of a 4,096 x 784 layer took 3 s). Cost: that of
    :func:`oriented_rows`.

    >>> rank_at_least_two(RationalMatrix.of([[1, 2], [0, 0], [-2, -4]])), rank_at_least_two(RationalMatrix.of([[1, 2], [0, 1]]))
    (False, True)
    >>> rank_at_least_two(RationalMatrix.of([[1, 2], [0, 1], [2, 4]]), among=[True, False, True])
    False
    """
    zero = fmpq(0)
    among = [True] * len(W) if among is None else among
    keys = {key for (key, _), live, kept in zip(oriented_rows(W, [zero] * len(W)), W.nonzero_rows(), among, strict=True)
            if live and kept}
    return len(keys) >= 2


def unmatched_rows(A: Network, B: Network, l: int) -> tuple[list[int], list[int]]:
    r"""The neurons of hidden layer ``l`` of ``A`` whose row $(w_i, b_i)$ has no equal row in ``B``, and those of
    ``B`` without one in ``A``, matched as multisets; each list increasing. Exact. Cost: that of
    :func:`row_correspondence`."""
    keys = keyed_rows(A, B, l)
    pool: dict = {}
    for j, (key, sigma) in enumerate(keys[1]):
        pool.setdefault((key, sigma), []).append(j)
    odd_a = []
    for i, (key, sigma) in enumerate(keys[0]):
        left = pool.get((key, sigma))
        if left:
            left.pop(0)
        else:
            odd_a.append(i)
    return odd_a, sorted(j for left in pool.values() for j in left)


def keyed_rows(A: Network, B: Network, l: int) -> list[list[tuple[Hashable, fmpq]]]:
    """The rows of layer ``l`` of both networks as ``(key, sigma)`` (:func:`oriented_rows`), keyed alike: on the
    integer forms when both have them, else as rationals. Cost: that of :func:`oriented_rows`, twice."""
    rows = [_integer_rows(net.weights[l - 1], net.biases[l - 1]) for net in (A, B)]
    if None in rows:
        rows = [_rational_rows(net.weights[l - 1], net.biases[l - 1]) for net in (A, B)]
    return rows


def _integer_rows(W, b) -> list[tuple[Hashable, fmpq]] | None:
    r"""Each row as ``(key, sigma)``, $(w_a, b_a) = \sigma_a\,r$ for a representative $r$ of its line named by
    ``key`` ($\sigma_a = b_a$ and ``key`` ``("zero", b_a != 0)`` when $w_a = 0$); ``None`` without an ``int64``
    integer form. Row $a$ of $N/d$ is $s_ag_aP_a/d$ (:meth:`~semialg.core.rational_matrix.RationalMatrix.primitive_rows`):
    $\sigma_a = s_ag_a/d$, $r = (P_a, b_a/\sigma_a)$."""
    if not (isinstance(W, RationalMatrix) and W.has_integer_form and W.primitive_rows() is not None):
        return None
    (P, g, s, _), d = W.primitive_rows(), W.denominator
    out = []
    for a, (ga, sa) in enumerate(zip(g.tolist(), s.tolist(), strict=True)):
        if ga:
            sigma = fmpq(sa * ga, d)
            out.append(((P[a].tobytes(), b[a] / sigma), sigma))
        else:
            out.append((("zero", b[a] != 0), fmpq(b[a])))
    return out


def _rational_rows(W, b) -> list[tuple[Hashable, fmpq]]:
    """:func:`_integer_rows` by :func:`~semialg.core.exact.normalise_row`, a rational at a time."""
    out = []
    for w, bias in zip(W, b, strict=True):
        if any(w):
            key, scale, sign = normalise_row(tuple(w) + (bias,))
            out.append((fingerprint(key), sign * scale))
        else:
            out.append((("zero", bias != 0), fmpq(bias)))
    return out
