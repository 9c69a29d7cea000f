r"""Identifiability of one-hidden-layer parameters with one neuron more than kink hyperplanes (an opposite pair on
one of them), at any width, decided by the screen modulo a prime of
:meth:`~semialg.families.shallow.kink_tensors.KinkTensors.screen`.

**Theorem.** Let $\theta$ have one hidden layer of width $n = N + 1$, where $N$ is the number of kink hyperplanes
of $f_\theta$ (canonical form $K$: kinks $(u_h, \delta_h)$, linear part $L$), every neuron live ($w \ne 0 \ne
v$), no positive twins, and exactly one opposite pair, on the kink hyperplane $h_0$. With $R_F = L + \sum_{h \in
F}\delta_hu_h^T$, suppose (1) no $F$ has $R_F = 0$; (2) for $h \ne h_0$ no $F \not\ni h$ has $R_F = t\,u_h^T$;
(3) exactly one $F \not\ni h_0$ has $R_F = t\,u_{h_0}^T$. Then the fibre of $\theta$ is its $G$-orbit.

*Proof.* A member $\theta'$ realizes $K$ with $N + 1$ neurons. Each kink hyperplane carries a neuron of $\theta'$
with $v' \ne 0$, and a hyperplane that is no kink carries none or at least two; so either one neuron on each kink
hyperplane and one more with $w' = 0$ or $v' = 0$, or one kink hyperplane $h$ with two neurons. Orient each single
neuron: its set $F$ of negatively oriented ones leaves $R_F$, which the rest must realize. In the first case, and
with positive twins on $h$, nothing else has a linear part: $R_F = 0$, against (1). An opposite pair
$a\sigma(\lambda\ell_h) + b\sigma(-\mu\ell_h)$ ($\ell_h = u_h\cdot x + \beta_h$, $\lambda, \mu > 0$) has the jump
$a\lambda + b\mu = \delta_h$ and the linear part $-b\mu\,u_h^T$, so $R_F = t\,u_h^T$ with $t = b\mu$: by (2) $h =
h_0$, by (3) $F$ is that of $\theta$, and then $a\lambda$, $b\mu$ and every single neuron's $v'|w'|$ are those of
$\theta$, so $\theta' = g\cdot\theta$ for a permutation with positive scalings $g \in G$. $\square$

With the $N$ tensors $\delta_h\otimes u_h$ independent (so $N \le km$), the screen decides (1)–(3) with at most one
exact candidate per hyperplane: (1) the orientation candidate fails, (2) every candidate for $h \ne h_0$ fails and
none is undecided, (3) $h_0$ is not undecided (its $x_h$, $h \ne h_0$, are unique). The evidence holds no data:
``verify`` decides everything afresh. E.g. 784-1024-10 with an opposite pair: identifiable in about 30 s.

>>> net = Network.from_arrays([[[1, 0], [0, 1], [1, 1], [-2, -2]], [[1, 2, 3, 1], [2, -1, 1, 3]]],
...                           [[0, 1, -1, 2], [0, 0]])
>>> OneSpareScreened().failure(net) is None
True

Cost: the canonical form, the integer rows of the normals and the screen (about $N^2(k + 2)$ word operations per
product modulo $p$, $k + 2$ products); $O(Nkm)$ exact operations per candidate.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from semialg.core.exact import fingerprint, normalise_row
from semialg.core.network import Network
from semialg.engine.neurons import hyperplane_pairs
from semialg.errors import CertificateError
from semialg.families.shallow.canonical import canonical_form
from semialg.families.shallow.kink_tensors import KinkTensors
from semialg.families.shallow.minimal import _carried_by, _residual

__all__ = ["OneSpareScreened", "OneSpareTheorem", "one_spare_proof", "STEPS", "SCREEN_SECONDS_AT_1024"]


def _failure(net: Network) -> str | None:
    """Why the hypotheses fail (``None`` when they hold)."""
    if net.depth != 2:
        return "the statement is about one hidden layer"
    K = canonical_form(net)
    N, n = K.num_kinks, net.widths[1]
    if n != N + 1:
        return f"width {n} is not one more than the {N} kink hyperplanes"
    if any(not any(w) for w in net.weights[0]) or any(not any(col) for col in zip(*net.weights[1])):
        return "a neuron is dead or constant"
    twins, opposite = hyperplane_pairs(net, 1)
    if twins or len(opposite) != 1:
        return "not exactly one opposite pair and no positive twins"
    i = opposite[0][0]
    key = fingerprint(normalise_row(tuple(net.weights[0][i]) + (net.biases[0][i],))[0])
    h0 = next((h for h, (k, _) in enumerate(K.kinks) if fingerprint(k) == key), None)
    if h0 is None:
        return "the opposite pair carries no kink"
    T = KinkTensors(K)
    if T.shares() is not None:
        return "the normals are independent (the count of types decides)"
    S = T.screen()
    if S is None:
        return "the tensors of the kinks are dependent: the screen modulo a prime does not apply"
    if S.orientation is not None and not any(x for row in _residual(K, S.orientation) for x in row):
        return "some orientation leaves no linear part: a spare neuron is free"
    if S.undecided:
        return f"the screen leaves hyperplane {S.undecided[0]} of the canonical form undecided"
    for h, F in S.through:
        if h != h0 and _carried_by(_residual(K, F), K.kinks[h][0][:-1]) is not None:
            return f"an opposite pair on kink hyperplane {h} of the canonical form can carry the linear part"
    return None


@dataclass(frozen=True)
class OneSpareScreened:
    """The hypotheses of the module's theorem, decided afresh by ``verify(net)`` (the evidence holds no data)."""

    def failure(self, net: Network) -> str | None:
        return _failure(net)

    def verify(self, net: Network) -> bool:
        why = _failure(net)
        if why is not None:
            raise CertificateError(why)
        return True


@dataclass(frozen=True)
class OneSpareTheorem:
    """The module's theorem; ``verify`` re-checks that the network has one hidden layer."""

    def verify(self, net: Network) -> bool:
        if net.depth != 2:
            raise CertificateError("the theorem is about one hidden layer")
        return True


#: The proof's steps: name -> the class of its evidence.
STEPS = {"spare neuron on a kink hyperplane screened": OneSpareScreened,
         "theorem of one spare neuron (one hidden layer)": OneSpareTheorem}


#: Seconds the screen took at $N = 1{,}023$ kinks and $k = 10$ outputs on a 2-core machine; it grows as $N^3k$.
SCREEN_SECONDS_AT_1024 = 15.0


def one_spare_proof(net: Network, checked: list, deadline: float | None = None) -> tuple | None:
    """The steps of the module's theorem as ``(name, statement, evidence)``, or ``None`` (the reason appended to
    ``checked``); not tried when the screen's estimated time, from :data:`SCREEN_SECONDS_AT_1024`, exceeds what
    is left before ``deadline`` (a :func:`time.monotonic` value). Cost: that of :class:`OneSpareScreened`."""
    if deadline is not None:
        n, k = net.widths[1], net.widths[-1]
        estimate = SCREEN_SECONDS_AT_1024 * (n / 1024) ** 3 * k / 10
        if estimate > deadline - time.monotonic():
            checked.append(f"one-spare-neuron theorem not tried: the screen would take about {estimate:.0f} s, "
                           "beyond the budget")
            return None
    why = _failure(net)
    if why is not None:
        checked.append(f"one-spare-neuron theorem not applied: {why}")
        return None
    return (("spare neuron on a kink hyperplane screened", "width N + 1 over N kink hyperplanes, one opposite pair; "
             "modulo a prime no orientation leaves no linear part, no other hyperplane can carry it and the pair's "
             "orientation is the only one", OneSpareScreened()),
            ("theorem of one spare neuron (one hidden layer)", "then every member is a permutation with positive "
             "scalings of the parameter", OneSpareTheorem()))
