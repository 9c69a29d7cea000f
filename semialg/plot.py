"""Pictures (optional ``plot`` extra, matplotlib): numeric helpers for looking, never for deciding.

>>> import numpy as np
>>> from semialg.network import Network
>>> from semialg.conservation import gradient_flow
>>> net = Network.random((2, 2, 1), seed=0)
>>> flow = gradient_flow(net, np.eye(2), [[1.0], [0.0]], t_span=(0, 0.1), num_times=5)
>>> fig = plot_gradient_flow(flow)
"""

from __future__ import annotations

from .errors import SemialgError

__all__ = ["plot_gradient_flow", "plot_survey", "save_figure"]


def _pyplot():
    try:
        import matplotlib
        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the installation
        raise SemialgError("plotting needs matplotlib: pip install 'semialg[plot]'") from None
    return plt


def plot_gradient_flow(flow, ax=None):
    """Each recorded quantity minus its initial value along a :class:`~semialg.conservation.GradientFlow`:
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
    from .io import atomic_write
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
