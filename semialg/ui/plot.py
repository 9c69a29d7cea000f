"""Pictures (optional ``plot`` extra, matplotlib): numeric helpers for looking, never for deciding.

>>> import numpy as np
>>> from semialg.core.network import Network
>>> from semialg.engine.conservation import gradient_flow
>>> net = Network.random((2, 2, 1), seed=0)
>>> flow = gradient_flow(net, np.eye(2), [[1.0], [0.0]], t_span=(0, 0.1), num_times=5)
>>> fig = plot_gradient_flow(flow)
"""

from __future__ import annotations

from semialg.errors import SemialgError

__all__ = ["plot_gradient_flow", "plot_survey", "plot_regions", "plot_fibre", "save_figure"]


def _pyplot():
    try:
        import matplotlib
        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the installation
        raise SemialgError("plotting needs matplotlib: pip install 'semialg[plot]'") from None
    return plt


def plot_gradient_flow(flow, ax=None):
    """Each recorded quantity minus its initial value along a :class:`~semialg.engine.conservation.GradientFlow`:
    conserved quantities stay flat at 0, the others drift. Returns the matplotlib figure."""
    plt = _pyplot()
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 3.5))
    else:
        fig = ax.figure
    for name, values in flow.values.items():
        ax.plot(flow.times, values - values[0], label=name)
    ax.set_xlabel("t")
    ax.set_ylabel("Q(t) - Q(0)")
    ax.set_title("quantities along gradient flow")
    ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


def save_figure(fig, path) -> None:
    """Write a figure atomically (the format follows the suffix)."""
    from semialg.ui.io import atomic_write
    suffix = str(path).rsplit(".", 1)[-1]
    atomic_write(path, lambda tmp: fig.savefig(tmp, format=suffix))


def plot_survey(summary: list[dict], ax=None):
    """Per architecture: the fraction of sampled parameters with no hidden symmetries (exact functional
    dimension at its bound), the fraction generic, and how often the numeric estimate was wrong."""
    import numpy as np
    plt = _pyplot()
    if ax is None:
        fig, ax = plt.subplots(figsize=(max(5, 1.2 * len(summary)), 3.5))
    else:
        fig = ax.figure
    x = np.arange(len(summary))
    for k, (key, label) in enumerate((("no_hidden_symmetries", "no hidden symmetries (exact)"),
                                      ("generic", "generic (exact)"), ("numeric_wrong", "numeric estimate wrong"))):
        ax.bar(x + (k - 1) * 0.27, [s[key] for s in summary], width=0.27, label=label)
    ax.set_xticks(x, [s["architecture"] for s in summary], rotation=30)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("fraction of samples")
    ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=3)
    fig.tight_layout()
    return fig


def _grid(box, resolution: int):
    import numpy as np
    (x0, x1), (y0, y1) = box
    xs, ys = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    X, Y = np.meshgrid(xs, ys)
    return X, Y, np.column_stack([X.ravel(), Y.ravel()])


def _patterns(net, P):
    """Activation patterns of a float batch, as one integer label per point (numeric, for pictures only)."""
    import numpy as np
    if net.depth == 1:      # no hidden neuron: an affine map, one region
        return np.zeros(len(P), dtype=np.intp)
    on = np.concatenate([Z > 0 for Z in net.float_preactivations(P, net.depth - 1)], axis=1)
    _, labels = np.unique(on, axis=0, return_inverse=True)
    return labels.reshape(-1)


def plot_regions(net, box=((-3.0, 3.0), (-3.0, 3.0)), resolution: int = 300, title: str | None = None):
    """For input dimension 2: the linear regions coloured by activation pattern with the first-layer
    hyperplanes drawn as lines (left), and the first output as a heat map with the region boundaries — the
    kinks — overlaid (right). A float picture on a grid: for looking, never for deciding (use
    :func:`semialg.regions` for the exact regions). Returns the matplotlib figure."""
    import numpy as np
    from semialg.errors import ParameterError
    if net.architecture.input_dim != 2:
        raise ParameterError(f"region pictures need input dimension 2, got {net.architecture.input_dim}")
    plt = _pyplot()
    X, Y, P = _grid(box, resolution)
    labels = _patterns(net, P).reshape(X.shape)
    values = net.evaluate_float(P)[:, 0].reshape(X.shape)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4.4))
    extent = (box[0][0], box[0][1], box[1][0], box[1][1])
    rng = np.random.default_rng(0)
    shuffled = rng.permutation(labels.max() + 1)[labels]
    ax1.imshow(shuffled, origin="lower", extent=extent, cmap="tab20", interpolation="nearest", aspect="auto")
    W, b = net.float_layers()[0] if net.depth > 1 else ((), ())   # without a hidden layer, no hyperplane
    xs = np.linspace(box[0][0], box[0][1], 2)
    for (w1, w2), c in zip(W, b, strict=True):
        if abs(w2) > 1e-12:
            ax1.plot(xs, -(w1 * xs + c) / w2, color="black", lw=0.8)
        elif abs(w1) > 1e-12:
            ax1.axvline(-c / w1, color="black", lw=0.8)
    ax1.set_xlim(box[0])
    ax1.set_ylim(box[1])
    ax1.set_title(f"{labels.max() + 1} activation patterns visible; first-layer hyperplanes")
    im = ax2.imshow(values, origin="lower", extent=extent, cmap="viridis", aspect="auto")
    edges = (np.diff(labels, axis=0, prepend=labels[:1]) != 0) | (np.diff(labels, axis=1, prepend=labels[:, :1]) != 0)
    if edges.any():     # a contour of a constant field only warns
        ax2.contour(X, Y, edges.astype(float), levels=[0.5], colors="white", linewidths=0.6)
    ax2.set_title("f (first output) and its kinks")
    fig.colorbar(im, ax=ax2)
    for ax in (ax1, ax2):
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_fibre(net, flip_sets=((),)):
    """A generic shallow fibre with input dimension 2: every neuron's orbit direction — the ray
    $\\{\\lambda w_i : \\lambda > 0\\}$ swept by its rescaling — and, dashed, the reflected rays $-\\lambda w_i$
    that the admissible flip sets $S$ (other components) use. Returns the matplotlib figure."""
    import numpy as np
    from semialg.errors import ParameterError
    if net.depth != 2 or net.architecture.input_dim != 2:
        raise ParameterError("orbit pictures need a shallow network with input dimension 2")
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5, 5))
    W, _ = net.float_layers()[0]
    flipped = {i for S in flip_sets for i in S}
    reach = 1.3 * max(1.0, float(np.linalg.norm(W, axis=1).max()))
    for i, w in enumerate(W):
        u = w / (np.linalg.norm(w) or 1.0)
        line, = ax.plot([0, reach * u[0]], [0, reach * u[1]], lw=1.5, label=f"neuron {i + 1}")
        ax.plot(*w, "o", color=line.get_color())
        if i in flipped:
            ax.plot([0, -reach * u[0]], [0, -reach * u[1]], ls="--", color=line.get_color())
    ax.axhline(0, color="grey", lw=0.5)
    ax.axvline(0, color="grey", lw=0.5)
    ax.set_aspect("equal")
    ax.set_xlabel("$w_{i,1}$")
    ax.set_ylabel("$w_{i,2}$")
    ax.set_title(f"orbit directions; {len(flip_sets)} flip set(s)")
    ax.legend(fontsize="small")
    fig.tight_layout()
    return fig
