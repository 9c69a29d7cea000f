"""Genericity and functional dimension of real trained networks (scikit-learn MLPs with ReLU).

Trains small MLPs on data shipped with scikit-learn (make_moons, the digits images), reads the trained
float weights exactly (each float32/float64 is the dyadic rational it stores), and reports whether each
parameter is generic — outside every degeneracy locus, so that the generic theorems apply to it — and its
exact functional dimension. Also round-trips the weights through a float32 ``.npz`` file, and writes the fibre
of the trained moons network — every parameter realizing exactly the same function — as a LaTeX document.

    python examples/trained_sklearn.py      # also writes moons_fibre.tex in the current directory
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import numpy as np

import semialg as sa


def train(X, y, hidden, seed=0, classifier=True):
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    cls = MLPClassifier if classifier else MLPRegressor
    model = cls(hidden_layer_sizes=hidden, activation="relu", max_iter=300, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y)
    return model


def report(name: str, net: sa.Network, exact_dim: bool = True) -> dict:
    g = sa.genericity(net)
    assert g.verify(net)
    arch = net.architecture
    row = {"model": name, "architecture": str(arch), "status": g.status,
           "generic_dim": arch.num_parameters - arch.num_hidden}
    if exact_dim:
        row["functional_dimension"] = sa.functional_dimension(net).value
    return row


def fibre_latex(net: sa.Network, path: Path) -> dict:
    """The fibre of a trained shallow network in LaTeX: its components are the group orbits of the flip sets."""
    F = sa.fibre(net)
    from semialg.ui.io import write_text
    write_text(path, sa.document("Trained network:", net, "Its fibre:", F, title="Fibre of a trained MLP"))
    member = F.sample(seed=0)
    assert F.contains(member) and sa.equivalent(net, member)
    return {"components": F.num_components, "dimension": F.dimension, "tex": path.read_text()}


def main(out_dir: str | None = None) -> list[dict]:
    from sklearn.datasets import load_digits, make_moons

    rows = []
    X, y = make_moons(n_samples=200, noise=0.2, random_state=0)
    for hidden in ((8,), (16,), (6, 6)):
        model = train(X, y, hidden)
        net = sa.from_sklearn(model)
        # the exact network computes the model's logit: positive exactly where the model predicts class 1
        assert all((net(x)[0] > 0) == bool(c) for x, c in zip(X[:20], model.predict(X[:20])))
        rows.append(report(f"moons {hidden}", net))
        if hidden == (8,):
            with tempfile.TemporaryDirectory() as tmp:
                target = Path(out_dir or tmp) / "moons_fibre.tex"
                rows[-1]["fibre"] = fibre_latex(net, target)
    digits = load_digits()
    model = train(digits.data / 16.0, digits.target, (32,))
    net = sa.from_sklearn(model)
    assert all(max(range(10), key=lambda j: net(x)[j]) == c
               for x, c in zip(digits.data[:20] / 16.0, model.predict(digits.data[:20] / 16.0)))
    rows.append(report("digits (32,)", net))
    # float32 weights read back from an .npz file are exact dyadic rationals
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "digits32.npz"
        arrays = {}
        for l, (W, b) in enumerate(net.float_layers(), start=1):
            arrays[f"W{l}"], arrays[f"b{l}"] = W.astype(np.float32), b.astype(np.float32)
        np.savez(path, **arrays)
        net32 = sa.load(path)
        rows.append(report("digits (32,) as float32 .npz", net32))
    return rows


if __name__ == "__main__":
    for r in main("."):
        dim = r.get("functional_dimension")
        print(f"{r['model']:30s} {r['architecture']:10s} {r['status']:10s} dim_fun = {dim} "
              f"(generic value #params - #hidden = {r['generic_dim']})")
    print("wrote moons_fibre.tex: the fibre of the trained moons (8,) network")
