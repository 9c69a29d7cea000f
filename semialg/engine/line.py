"""The exact restriction of a ReLU network to a rational line, and comparison of two networks on it.

For $x(t) = p + t\\,d$ with $p, d$ rational, $t \\mapsto f(p + t d)$ is continuous and piecewise affine. Layer
by layer, each pre-activation is affine on every interval of the current breakpoint list; $\\sigma$ adds the
zeros of those pieces inside their intervals as new breakpoints, and the next layer's weights combine the
pieces. Every number stays rational, so breakpoints are exact wherever they are ($t = 10^6$ as well as
$t = 0$). Within an interval the pieces are updated one crossing at a time (a rank-one change), so the cost is
$O(n_l n_{l+1})$ per interval entering layer $l+1$ plus $O(n_{l+1})$ per breakpoint: proportional to the
number of regions the line crosses, never to the number of regions of the network (Serra, Tjandraatmadja,
Ramalingam, "Bounding and counting linear regions of deep neural networks", ICML 2018, for why the latter is
astronomical).

Two continuous piecewise-affine functions on a line agree iff they agree at every breakpoint of either, and
at one point beyond the last breakpoint on each unbounded side (at the end points of a bounded segment).

>>> from semialg.core.network import Network
>>> net = Network.from_arrays([[[1], [1]], [[1, -1]]], [[0, -1], [0]])         # clamp s(x) - s(x-1)
>>> r = restrict(net, [0], [1])
>>> r.breakpoints, r(fmpq(1, 2)), r(10 ** 6)
((0, 1), (1/2,), (1,))
"""

from __future__ import annotations

import bisect
import time
from dataclasses import dataclass
from typing import Sequence

from flint import fmpq, fmpq_mat

from semialg.core.exact import fmpq_str, interval_point, to_fmpq, to_vector
from semialg.core.network import Network
from semialg.core.result import Latexable
from semialg.errors import ParameterError, ShapeError

__all__ = ["LineRestriction", "restrict", "LineComparison", "compare_on_line"]

_ZERO, _ONE = fmpq(0), fmpq(1)
Vec = tuple[fmpq, ...]


@dataclass(frozen=True)
class LineRestriction(Latexable):
    """$t \\mapsto z(p + t d)$ on $[lo, hi]$ (``None``: unbounded), where $z$ is the output of the first ``layers``
    affine layers: sorted ``breakpoints`` strictly inside (every kink is one; some may not be kinks), and on the $k$-th interval the affine piece
    ``pieces[k] = (offset, slope)``, i.e. $z = \\mathrm{offset} + t\\,\\mathrm{slope}$.
    """

    point: Vec
    direction: Vec
    lo: fmpq | None
    hi: fmpq | None
    breakpoints: tuple[fmpq, ...]
    pieces: tuple[tuple[Vec, Vec], ...]

    def piece(self, t) -> tuple[Vec, Vec]:
        """The affine piece valid at ``t`` (either one at a breakpoint: they agree there)."""
        return self.pieces[bisect.bisect_left(self.breakpoints, t)]

    def __call__(self, t) -> Vec:
        """The value at the rational ``t`` (must lie in $[lo, hi]$)."""
        t = to_fmpq(t, where="t")
        if (self.lo is not None and t < self.lo) or (self.hi is not None and t > self.hi):
            raise ParameterError(f"t = {t} lies outside the segment [{self.lo}, {self.hi}]")
        a, s = self.piece(t)
        return tuple(x + t * y for x, y in zip(a, s, strict=True))

    def at(self, t) -> Vec:
        """The input point $p + t d$."""
        t = to_fmpq(t, where="t")
        return tuple(x + t * y for x, y in zip(self.point, self.direction, strict=True))

    def describe(self) -> str:
        return (f"restriction to the line p + t d: {len(self.breakpoints)} breakpoint(s), "
                f"{len(self.pieces)} affine piece(s)")

    def to_json(self) -> dict:
        return {"point": [fmpq_str(x) for x in self.point], "direction": [fmpq_str(x) for x in self.direction],
                "lo": None if self.lo is None else fmpq_str(self.lo),
                "hi": None if self.hi is None else fmpq_str(self.hi),
                "breakpoints": [fmpq_str(t) for t in self.breakpoints],
                "pieces": [[[fmpq_str(x) for x in a], [fmpq_str(x) for x in s]] for a, s in self.pieces]}


def _inside(t: fmpq, lo: fmpq | None, hi: fmpq | None) -> bool:
    return (lo is None or t > lo) and (hi is None or t < hi)



def _affine_columns(M: fmpq_mat, a: Sequence[fmpq], s: Sequence[fmpq], bias: Sequence[fmpq]) -> tuple[list, list]:
    """$(M a + \\mathrm{bias}, M s)$ as lists, in one exact matrix product."""
    n = len(a)
    out = M * fmpq_mat(n, 2, [x for pair in zip(a, s, strict=True) for x in pair])
    e = out.entries()
    return [e[2 * k] + bias[k] for k in range(len(bias))], [e[2 * k + 1] for k in range(len(bias))]


def restrict(net: Network, point, direction, lo=None, hi=None, layers: int | None = None,
             deadline: float | None = None) -> LineRestriction | None:
    """The exact restriction of ``net`` (its first ``layers`` affine layers, default all) to $p + t d$, $t \\in [lo, hi]$.

    Returns ``None`` if ``deadline`` (a :func:`time.monotonic` value) passes first. Cost: see the module
    docstring; $O(\\dim\\Omega)$ for a line that crosses no kink.

    >>> net = Network.from_arrays([[[1]], [[1]], [[1]]], [[0], [-1], [0]])        # s(s(x) - 1)
    >>> r = restrict(net, [0], [1]); r.breakpoints, r(3)
    ((0, 1), (2,))
    """
    m = net.architecture.input_dim
    p, d = to_vector(point, m, where="point"), to_vector(direction, m, where="direction")
    lo = None if lo is None else to_fmpq(lo, where="lo")
    hi = None if hi is None else to_fmpq(hi, where="hi")
    if lo is not None and hi is not None and lo >= hi:
        raise ParameterError(f"empty segment [{lo}, {hi}]")
    L = net.depth if layers is None else int(layers)
    if not 1 <= L <= net.depth:
        raise ShapeError(f"layers must be between 1 and {net.depth}, got {layers}")
    # the first layer by one integer product (its fmpq_mat at 784-4096 takes 1.1 s), the others as flint matrices
    Wp, Wd = net.weights[0].matvecs([p, d])
    intervals = [(lo, hi, [x + c for x, c in zip(Wp, net.biases[0], strict=True)], list(Wd))]
    for k in range(1, L):
        M, bias = net.W(k + 1), net.biases[k]
        cols = list(zip(*net.weights[k], strict=True))
        finer = []
        for left, right, a, s in intervals:
            if deadline is not None and time.monotonic() > deadline:
                return None
            roots: dict = {}
            for i, (ai, si) in enumerate(zip(a, s, strict=True)):
                if si:
                    t = -ai / si
                    if _inside(t, left, right):
                        roots.setdefault(t, []).append(i)
            ts = sorted(roots)
            t0 = interval_point(left, ts[0] if ts else right)
            mask = [ai + t0 * si > 0 for ai, si in zip(a, s, strict=True)]
            za, zs = _affine_columns(M, [x if on else _ZERO for x, on in zip(a, mask, strict=True)],
                                     [x if on else _ZERO for x, on in zip(s, mask, strict=True)], bias)
            edges = [left, *ts, right]
            finer.append((left, edges[1], za, zs))
            for j, t in enumerate(ts):
                for i in roots[t]:
                    # crossing t, neuron i switches on if its slope is positive, off otherwise
                    ca, cs = (a[i], s[i]) if s[i] > 0 else (-a[i], -s[i])
                    za = [x + c * ca for x, c in zip(za, cols[i], strict=True)]
                    zs = [x + c * cs for x, c in zip(zs, cols[i], strict=True)]
                finer.append((t, edges[j + 2], za, zs))
        intervals = finer
    return LineRestriction(p, d, lo, hi, tuple(iv[0] for iv in intervals[1:]),
                           tuple((tuple(a), tuple(s)) for _, _, a, s in intervals))


@dataclass(frozen=True)
class LineComparison(Latexable):
    """Two networks compared on a line: ``agree`` (``True``: on the whole line or segment, proven; ``False``:
    ``point`` $= p + t d$ separates them; ``None``: the deadline passed) and the number of breakpoints used.
    """

    agree: bool | None
    t: fmpq | None
    point: Vec | None
    breakpoints: int

    def describe(self) -> str:
        if self.agree is None:
            return "the comparison on the line was stopped at the deadline"
        if self.agree:
            return f"the networks agree on the line ({self.breakpoints} breakpoints checked)"
        return f"the networks differ at t = {self.t}, x = ({', '.join(map(str, self.point))})"

    def to_json(self) -> dict:
        return {"agree": self.agree, "t": None if self.t is None else fmpq_str(self.t),
                "point": None if self.point is None else [fmpq_str(x) for x in self.point],
                "breakpoints": self.breakpoints}


def compare_on_line(net1: Network, net2: Network, point, direction, lo=None, hi=None,
                    deadline: float | None = None) -> LineComparison:
    """Decide whether $f_1 = f_2$ on the line $p + t d$ (or the segment $t \\in [lo, hi]$), exactly.

    A difference yields the first separating breakpoint (or end/outer point) $t$ and $x = p + t d$; the
    caller turns it into a :class:`~semialg.core.certificate.PointCertificate`. Cost: two restrictions plus
    two evaluations of affine pieces per merged breakpoint.

    >>> n1 = Network.from_arrays([[[1], [1]], [[1, -1]]], [[0, -1], [0]])
    >>> n2 = Network.from_arrays([[[1], [1]], [[1, -1]]], [[0, -2], [0]])
    >>> c = compare_on_line(n1, n2, [0], [1]); c.agree, c.t
    (False, 2)
    """
    r1 = restrict(net1, point, direction, lo, hi, deadline=deadline)
    r2 = restrict(net2, point, direction, lo, hi, deadline=deadline) if r1 is not None else None
    if r2 is None:
        return LineComparison(None, None, None, 0)
    ts = sorted(set(r1.breakpoints) | set(r2.breakpoints))
    first = r1.lo if r1.lo is not None else (ts[0] - 1 if ts else _ZERO)
    last = r1.hi if r1.hi is not None else (ts[-1] + 1 if ts else _ONE)
    for t in [first, *ts, last]:
        if r1(t) != r2(t):
            return LineComparison(False, t, r1.at(t), len(ts))
    return LineComparison(True, None, None, len(ts))
