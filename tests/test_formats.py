"""Weight files as people have them: declared and assumed activations, key layouts, decimals."""

from __future__ import annotations

import numpy as np
import pytest

from semialg import FormatError, Network, load, save
from semialg.ui.cli import main
from semialg.ui.io import NO_ACTIVATIONS


def _safetensors(path, arrays, metadata=None):
    st = pytest.importorskip("safetensors.numpy")
    st.save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()}, str(path), metadata=metadata)


def _mlp_arrays(seed=0, widths=(3, 4, 2)):
    rng = np.random.default_rng(seed)
    arrays = {}
    for l in range(1, len(widths)):
        arrays[f"{2 * (l - 1)}.weight"] = rng.standard_normal((widths[l], widths[l - 1])).astype(np.float32)
        arrays[f"{2 * (l - 1)}.bias"] = rng.standard_normal(widths[l]).astype(np.float32)
    return arrays


# -- honest activations ------------------------------------------------------------------------------

@pytest.mark.parametrize("act", ["tanh", "LeakyReLU", "sigmoid", "softmax", '["relu", "tanh", "identity"]'])
def test_declared_non_relu_activation_is_refused_by_name(tmp_path, act):
    path = tmp_path / "m.safetensors"
    _safetensors(path, _mlp_arrays(), {"activation": act})
    with pytest.raises(FormatError, match="tanh|LeakyReLU|sigmoid|softmax"):
        load(path)


@pytest.mark.parametrize("act", ["relu", "ReLU", "nn.ReLU", '["relu", "identity"]'])
def test_declared_relu_loads_without_assumption(tmp_path, act):
    path = tmp_path / "m.safetensors"
    arrays = _mlp_arrays()
    _safetensors(path, arrays, {"activation": act})
    net = load(path)
    assert net.assumptions == ()
    assert net == Network.from_arrays([arrays["0.weight"], arrays["2.weight"]], [arrays["0.bias"], arrays["2.bias"]])


def test_files_without_activations_carry_the_assumption(tmp_path):
    arrays = _mlp_arrays()
    _safetensors(tmp_path / "m.safetensors", arrays)
    np.savez(tmp_path / "m.npz", **arrays)
    for name in ("m.safetensors", "m.npz"):
        assert load(tmp_path / name).assumptions == (NO_ACTIVATIONS,)
    net = load(tmp_path / "m.npz")
    save(net, tmp_path / "own.safetensors")                 # semialg declares what it writes
    assert load(tmp_path / "own.safetensors").assumptions == ()
    save(net, tmp_path / "own.json")
    assert load(tmp_path / "own.json").assumptions == ()


def test_cli_notice_on_stderr_unless_quiet(tmp_path, capsys):
    np.savez(tmp_path / "m.npz", **_mlp_arrays())
    assert main(["eval", str(tmp_path / "m.npz"), "1,2,3"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "assuming ReLU between layers: the file stores no activations" in err
    assert main(["eval", str(tmp_path / "m.npz"), "1,2,3", "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_from_sklearn_records_the_dropped_output_activation():
    pytest.importorskip("sklearn")
    import warnings
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from semialg import from_sklearn
    X = np.random.default_rng(0).standard_normal((30, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        two = MLPClassifier(hidden_layer_sizes=(3,), max_iter=20, random_state=0).fit(X, X[:, 0] > 0)
        three = MLPClassifier(hidden_layer_sizes=(3,), max_iter=20, random_state=0).fit(X, np.digitize(X[:, 0], [-0.5, 0.5]))
        reg = MLPRegressor(hidden_layer_sizes=(3,), max_iter=20, random_state=0).fit(X, X[:, 0])
    assert "logistic" in from_sklearn(two).assumptions[0] and "logit map" in from_sklearn(two).assumptions[0]
    assert "softmax" in from_sklearn(three).assumptions[0]
    assert from_sklearn(reg).assumptions == ()
