r"""First-order bounds on the dimension of a fibre at one of its points, for any architecture.

**Proposition.** Let $\theta \in \Omega$ ($\dim\Omega = D$), $s$ the number of hidden neurons of $\theta$ with a
non-zero parameter, and $J$ the Jacobian at $\theta$ of $\theta' \mapsto (f_{\theta'}(x_i))_i$ over inputs
$x_1, \dots, x_N$ at which no hidden pre-activation of $\theta$ vanishes. Then the fibre
$\{\theta' : f_{\theta'} = f_\theta\}$ has dimension at $\theta$ between $s$ and $D - \operatorname{rank} J$.
*Proof.* Upper bound: near $\theta$ the activation pattern at each $x_i$ is that of $\theta$, so each
$\theta' \mapsto f_{\theta'}(x_i)$ is a polynomial there; $r = \operatorname{rank} J$ of them with independent
gradients at $\theta$ have, near $\theta$, a common level set through $\theta$ that is a manifold of dimension
$D - r$ (the rank theorem), and it contains the fibre near $\theta$. Lower bound: the positive rescalings of the
hidden neurons keep the function; their orbit map $(\mathbb{R}_{>0})^s \to \Omega$ has at the identity the
differential of the rescaling fields of the neurons with a non-zero parameter, which have disjoint supports, so it
is an immersion and its image, an $s$-dimensional manifold through $\theta$, lies in the fibre. $\square$

The rank is taken over $d + 1$ affinely independent points of every linear region of $\theta$ on which no
pre-activation vanishes identically (:func:`~semialg.engine.regions.decisive_batch`, points re-checked exactly):
the same points that decide the functional dimension, without the one-sided rows of the regions where a neuron
is identically zero (there $\theta' \mapsto f_{\theta'}(x)$ is not differentiable). The bounds serve the fibres
that cannot decide a local dimension from their components (a member in no listed component).

>>> from semialg.core.network import Network
>>> local_dimension_bounds(Network.from_arrays([[[1], [-1]], [[1, 1]]], [[0, 0], [0]]))   # |x|
(2, 3)

(the fibre of $|x|$ has dimension 2 there: both kinks must stay at $0$, which no first-order condition sees).
"""

from __future__ import annotations

from semialg.core.exact import rank
from semialg.core.network import Network
from semialg.engine.regions import _scaling_rank, decisive_batch, parameter_jacobian

__all__ = ["local_dimension_bounds"]


def local_dimension_bounds(net: Network) -> tuple[int, int]:
    r"""Proven bounds $(s, D - \operatorname{rank} J)$ on the dimension at ``net`` of the fibre of its function
    (module docstring): $s$ hidden neurons with a non-zero parameter, $J$ the Jacobian in the parameters at inputs
    where ``net`` is smooth in its parameters.

    Cost: the region enumeration of :func:`~semialg.engine.regions.functional_dimension` (exact LPs for
    $n_0 \ge 3$), $d + 1$ exact Jacobians of $O(k\dim\Omega)$ per region, and one exact rank.

    >>> from semialg.core.network import Network
    >>> local_dimension_bounds(Network.from_arrays([[[2]], [[3]]], [[1], [0]]))    # 3 s(2x + 1): the fibre is 1-D
    (1, 1)
    """
    rows = [row for x, pattern in decisive_batch(net)
            if not any(0 in layer for layer in net.activation_pattern(x))
            for row in parameter_jacobian(net, x, pattern)]
    return _scaling_rank(net), net.architecture.num_parameters - (rank(rows) if rows else 0)
