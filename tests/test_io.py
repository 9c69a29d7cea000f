import json
import os

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from semialg import FormatError, Network, ParameterError, ShapeError, from_sklearn, load, save

from conftest import networks

floats = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, width=32)


@given(networks())
@settings(max_examples=25)
def test_json_round_trip_is_exact(tmp_path_factory, net):
    path = tmp_path_factory.mktemp("io") / "net.json"
    save(net, path)
    assert load(path) == net


@pytest.mark.parametrize("suffix", [".npz", ".safetensors"])
@given(net=networks(entries=floats))
@settings(max_examples=20)
def test_binary_round_trip_is_exact_for_float_weights(tmp_path_factory, suffix, net):
    path = tmp_path_factory.mktemp("io") / f"net{suffix}"
    save(net, path)
    assert load(path) == net


def test_binary_formats_refuse_non_floats_and_leave_the_file(tmp_path):
    path = tmp_path / "net.npz"
    good = Network.from_arrays([[[0.5]], [[2.0]]], [[0], [1]])
    save(good, path)
    before = path.read_bytes()
    with pytest.raises(ParameterError, match="not exactly float64"):
        save(Network.from_arrays([[["1/3"]], [[1]]], [[0], [0]]), path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["net.npz"]


def _write_npz(path, **arrays):
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)


@pytest.mark.parametrize("keys", [("W1", "b1", "W2", "b2"), ("weight_0", "bias_0", "weight_1", "bias_1"),
                                  ("0.weight", "0.bias", "2.weight", "2.bias"),
                                  ("net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias")])
def test_npz_key_styles(tmp_path, keys):
    W1 = np.array([[1.0, -0.5], [0.25, 2.0], [3.0, 1.0]], dtype=np.float32)
    b1 = np.array([0.0, 1.0, -1.0]); W2 = np.array([[1.0, 2.0, -1.0]]); b2 = np.array([0.5])
    _write_npz(tmp_path / "m.npz", **dict(zip(keys, (W1, b1, W2, b2))))
    net = load(tmp_path / "m.npz")
    assert net == Network.from_arrays([W1, W2], [b1, b2])


def test_transposed_layout_detected_and_forced(tmp_path):
    W1 = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])  # (in=2, out=3)
    _write_npz(tmp_path / "t.npz", W1=W1, b1=np.zeros(3), W2=np.ones((3, 1)), b2=np.zeros(1))
    net = load(tmp_path / "t.npz")
    assert net.widths == (2, 3, 1) and net.weights[0][0] == (1, 4)
    sq = tmp_path / "sq.npz"
    _write_npz(sq, W1=np.array([[1.0, 2.0], [3.0, 4.0]]), b1=np.zeros(2), W2=np.ones((2, 1)), b2=np.zeros(1))
    assert load(sq).weights[0][0] == (1, 2)
    assert load(sq, layout="in_out").weights[0][0] == (1, 3)


BAD_NPZ = {
    "nan": (dict(W1=np.array([[1.0, np.nan]]), b1=np.zeros(1), W2=np.ones((1, 1)), b2=np.zeros(1)),
            ParameterError, r"W1\[0,1\]"),
    "inf": (dict(W1=np.ones((1, 2)), b1=np.array([np.inf]), W2=np.ones((1, 1)), b2=np.zeros(1)),
            ParameterError, r"b1\[0\]"),
    "shape": (dict(W1=np.ones((3, 2)), b1=np.zeros(3), W2=np.ones((1, 2)), b2=np.zeros(1)),
              ShapeError, "layer 2"),
    "missing weight": (dict(W1=np.ones((1, 2)), b1=np.zeros(1), b2=np.zeros(1)), FormatError, "'b2'"),
    "extra key": (dict(W1=np.ones((1, 2)), b1=np.zeros(1), bn_mean=np.zeros(1)), FormatError, "bn_mean"),
    "3-d": (dict(W1=np.ones((1, 2, 1)), b1=np.zeros(1)), ShapeError, "2-D"),
    "strings": (dict(W1=np.array([["a", "b"]]), b1=np.zeros(1)), FormatError, "non-numeric"),
}


@pytest.mark.parametrize("case", sorted(BAD_NPZ))
def test_bad_npz_files(tmp_path, case):
    arrays, err, msg = BAD_NPZ[case]
    path = tmp_path / "bad.npz"
    _write_npz(path, **arrays)
    with pytest.raises(err, match=msg) as info:
        load(path)
    assert "bad.npz" in str(info.value)


def test_object_arrays_and_pickles_are_refused(tmp_path):
    path = tmp_path / "obj.npz"
    with open(path, "wb") as fh:
        np.savez(fh, W1=np.array([[1, None]], dtype=object), b1=np.zeros(1))
    with pytest.raises(FormatError, match="pickle"):
        load(path)
    for suffix in (".pt", ".pkl", ".pth"):
        p = tmp_path / f"model{suffix}"
        p.write_bytes(b"\x80\x04K\x01.")
        with pytest.raises(FormatError, match="never loaded"):
            load(p)


def test_truncated_files(tmp_path):
    net = Network.from_arrays([np.ones((4, 3)), np.ones((2, 4))], [np.zeros(4), np.zeros(2)])
    for suffix in (".npz", ".safetensors", ".json"):
        good = tmp_path / f"good{suffix}"
        save(net, good)
        cut = tmp_path / f"cut{suffix}"
        cut.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
        with pytest.raises(FormatError, match=f"cut{suffix}"):
            load(cut)


BAD_JSON = {
    "no format": ({"layers": []}, FormatError, "missing 'format'"),
    "version": ({"format": "semialg.network/9", "layers": []}, FormatError, "unknown format version"),
    "activation": ({"format": "semialg.network/1", "activation": "tanh",
                    "layers": [{"weight": [[1]], "bias": [0]}]}, FormatError, "tanh"),
    "entry": ({"format": "semialg.network/1", "layers": [{"weight": [["1", "x/2"]], "bias": [0]}]},
              ParameterError, r"layer 1.*W1\[0\]\[1\]"),
    "widths": ({"format": "semialg.network/1", "widths": [2, 2],
                "layers": [{"weight": [[1, 2]], "bias": [0]}]}, ShapeError, "widths"),
    "layer keys": ({"format": "semialg.network/1", "layers": [{"weight": [[1]]}]}, FormatError, "layer 1"),
    "not object": ([1, 2], FormatError, "JSON object"),
}


@pytest.mark.parametrize("case", sorted(BAD_JSON))
def test_bad_json_files(tmp_path, case):
    obj, err, msg = BAD_JSON[case]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(obj))
    with pytest.raises(err, match=msg):
        load(path)


def test_json_numbers_nan_and_decimals(tmp_path):
    path = tmp_path / "n.json"
    path.write_text('{"format": "semialg.network/1", "layers": [{"weight": [[0.1, 2]], "bias": [NaN]}]}')
    with pytest.raises(FormatError, match="NaN"):
        load(path)
    path.write_text('{"format": "semialg.network/1", "layers": [{"weight": [[0.1, 2]], "bias": ["-1/3"]}]}')
    net = load(path)
    assert str(net.weights[0][0][0]) == "1/10" and str(net.biases[0][0]) == "-1/3"


def test_unknown_suffix_and_missing_file(tmp_path):
    with pytest.raises(FormatError, match="unknown file type"):
        load(tmp_path / "x.csv")
    with pytest.raises(FormatError, match="no such file"):
        load(tmp_path / "x.json")


def test_failed_save_leaves_existing_file_untouched(tmp_path, monkeypatch):
    path = tmp_path / "net.json"
    net = Network.random((2, 3, 1), seed=0)
    save(net, path)
    before = path.read_bytes()
    import semialg.ui.io as sio

    def boom(*a, **k):
        raise RuntimeError("disk full")
    monkeypatch.setattr(sio.json, "dumps", boom)
    with pytest.raises(RuntimeError):
        save(Network.random((2, 3, 1), seed=1), path)
    assert path.read_bytes() == before
    monkeypatch.undo()
    monkeypatch.setattr(sio.os, "fsync", boom)
    with pytest.raises(RuntimeError):
        save(Network.random((2, 3, 1), seed=1), path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["net.json"]


@pytest.mark.filterwarnings("ignore:Stochastic Optimizer")   # sklearn: a few iterations suffice here
def test_sklearn_models():
    sklearn = pytest.importorskip("sklearn.neural_network")
    X = np.random.default_rng(0).normal(size=(40, 3))
    y = X[:, 0] - X[:, 1] ** 2
    reg = sklearn.MLPRegressor(hidden_layer_sizes=(5, 4), max_iter=50, random_state=0).fit(X, y)
    net = from_sklearn(reg)
    assert net.widths == (3, 5, 4, 1)
    assert np.allclose(net.evaluate_float(X)[:, 0], reg.predict(X))
    clf = sklearn.MLPClassifier(hidden_layer_sizes=(4,), max_iter=50, random_state=0).fit(X, y > 0)
    logits = from_sklearn(clf).evaluate_float(X)[:, 0]
    assert ((logits > 0) == clf.predict(X)).all()
    tanh = sklearn.MLPRegressor(hidden_layer_sizes=(3,), activation="tanh", max_iter=20).fit(X, y)
    with pytest.raises(FormatError, match="tanh"):
        from_sklearn(tanh)
    with pytest.raises(FormatError, match="not a fitted"):
        from_sklearn(sklearn.MLPRegressor())
