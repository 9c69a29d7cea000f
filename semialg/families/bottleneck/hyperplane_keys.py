r"""The first layer's hyperplanes $\{w_i\cdot x + b_i = 0\}$ of two parameters compared on the integer forms.

:func:`~.outer_moves.flip_witness` relates two case-(a) parameters only when their first layers have the same
hyperplanes, one neuron each (every row of one a non-zero multiple of a row of the other). It finds that out by
normalising every row as rationals: seconds at 784-4096 (a rational per weight). :func:`hyperplanes_differ` reads
the same multisets off the ``int64`` integer forms $W = N/d$, vectorised, so that the search is skipped when it
cannot succeed.

>>> import numpy as np
>>> from semialg.core.network import Network
>>> a = Network.from_arrays([np.array([[1, 2], [0, 1]]), [[1, 1]], [[1]]], [[3, 0], [0], [0]])
>>> b = Network.from_arrays([np.array([[0, -2], [-2, -4]]), [[1, 1]], [[1]]], [[0, -6], [0], [0]])  # scaled, flipped
>>> hyperplanes_differ(a, b), hyperplanes_differ(a, a.replace_layer(1, bias=[3, 1]))
(False, True)
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from semialg.core.network import Network
from semialg.core.rational_matrix import RationalMatrix

__all__ = ["hyperplanes_differ"]


def hyperplanes_differ(net1: Network, net2: Network) -> bool:
    r"""Whether the rows $(w_i, b_i)$ of the first layers, each up to a non-zero factor, differ as multisets;
    ``False`` (nothing shown) when either first layer has no ``int64`` integer form at hand. Exact. Cost:
    $O(n_1n_0)$ vectorised, then $O(n_1)$ rationals."""
    keys = [_line_keys(net.weights[0], net.biases[0]) for net in (net1, net2)]
    return None not in keys and keys[0] != keys[1]


def _line_keys(W, b) -> Counter | None:
    r"""Row $a$ of $(N/d \mid b)$ is $g_a(P_a \mid b_a d/g_a)/d$ with $P_a$ primitive and $g_a > 0$; the sign $s_a$
    of $P_a$'s first non-zero entry makes $(s_aP_a, s_ab_ad/g_a)$ a key of its line (exactly the rows on it)."""
    if not (isinstance(W, RationalMatrix) and W.has_integer_form and W.numerators.dtype == np.int64):
        return None
    N, d = W.numerators, W.denominator
    g = np.gcd.reduce(N, axis=1)
    s = np.sign(N[np.arange(len(N)), (N != 0).argmax(axis=1)])       # 0 for a zero row
    P = N * s[:, None] // np.where(g == 0, 1, g)[:, None]
    return Counter((P[a].tobytes(), b[a] * d * int(s[a]) / int(g[a])) if g[a] else ("zero", b[a] != 0)
                   for a in range(len(N)))
