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
    net = Network(load(tmp_path / "m.npz").weights, load(tmp_path / "m.npz").biases)   # no assumption left
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


# -- weight layouts -------------------------------------------------------------------------------------

def forward(layers, x):
    """Independent float64 forward pass: layers are ("linear", W (out, in), b) or ("bn", g, b, m, v, eps);
    ReLU after every linear layer but the last, BatchNorm applied where it stands in the list."""
    a = np.asarray(x, dtype=float)
    last = max(i for i, layer in enumerate(layers) if layer[0] == "linear")
    for i, layer in enumerate(layers):
        if layer[0] == "linear":
            a = layer[1].astype(float) @ a + (0 if layer[2] is None else layer[2])
            nxt = layers[i + 1][0] if i + 1 < len(layers) else None
            if i < last and nxt != "bn":
                a = np.maximum(a, 0)
        else:
            g, b, m, v = (np.asarray(t, dtype=float) for t in layer[1:5])
            eps = layer[5]
            a = g * (a - m) / np.sqrt(v + eps) + b
            if i < last:
                a = np.maximum(a, 0)
    return a


def check(net, layers, d, rtol=1e-9):
    X = np.random.default_rng(9).standard_normal((15, d))
    got = np.array([[float(v) for v in net(list(x))] for x in X])
    want = np.array([forward(layers, x) for x in X])
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)


def rand(*shape, seed=[0]):
    seed[0] += 1
    return np.random.default_rng(seed[0]).standard_normal(shape).astype(np.float32)


def test_named_state_dict_ordered_by_shape_chaining(tmp_path):
    W = {"fc1": rand(5, 3), "hidden": rand(4, 5), "classifier": rand(2, 4)}
    b = {k: rand(v.shape[0]) for k, v in W.items()}
    arrays = {}
    for k in ("classifier", "fc1", "hidden"):            # neither insertion nor alphabetical order is right
        arrays[f"{k}.weight"], arrays[f"{k}.bias"] = W[k], b[k]
    np.savez(tmp_path / "m.npz", **arrays)
    net = load(tmp_path / "m.npz")
    assert net.widths == (3, 5, 4, 2)
    check(net, [("linear", W[k], b[k]) for k in ("fc1", "hidden", "classifier")], 3)


def test_numbered_names_in_natural_order(tmp_path):
    names = [f"layers.{i}" for i in (0, 1, 2, 10)]       # natural: 10 after 2, although every layer is 4x4
    W = {k: rand(4, 4) for k in names}
    np.savez(tmp_path / "m.npz", **{f"{k}.weight": W[k] for k in names}, **{f"{k}.bias": rand(4) for k in names})
    net = load(tmp_path / "m.npz")
    assert net.weights[-1] == Network.from_arrays([W["layers.10"]], [[0] * 4]).weights[0]


def test_ambiguous_order_asks_for_order(tmp_path, capsys):
    W = {"input": rand(4, 4), "middle": rand(4, 4), "output": rand(1, 4)}
    np.savez(tmp_path / "m.npz", **{f"{k}.weight": v for k, v in W.items()})
    with pytest.raises(FormatError, match="--order"):
        load(tmp_path / "m.npz")
    net = load(tmp_path / "m.npz", order=["input", "middle", "output"])
    check(net, [("linear", W[k], None) for k in ("input", "middle", "output")], 4)
    assert all(x == 0 for b in net.biases for x in b)                      # bias-free Linear layers
    assert main(["eval", str(tmp_path / "m.npz"), "1,2,3,4"]) == 2
    assert "--order" in capsys.readouterr().err
    assert main(["eval", str(tmp_path / "m.npz"), "1,2,3,4", "--order", "input,middle,output", "--quiet"]) == 0
    with pytest.raises(FormatError, match="each layer once"):
        load(tmp_path / "m.npz", order=["input", "output"])


def test_keras_layout_with_batchnorm(tmp_path):
    K1, c1, K2, c2 = rand(3, 5), rand(5), rand(5, 2), rand(2)
    g, be, m, v = rand(5), rand(5), rand(5), np.abs(rand(5)) + 0.5
    arrays = {"dense/kernel:0": K1, "dense/bias:0": c1, "dense_1/kernel:0": K2, "dense_1/bias:0": c2,
              "batch_normalization/gamma:0": g, "batch_normalization/beta:0": be,
              "batch_normalization/moving_mean:0": m, "batch_normalization/moving_variance:0": v}
    np.savez(tmp_path / "k.npz", **arrays)
    net = load(tmp_path / "k.npz")
    assert net.widths == (3, 5, 2)
    assert "batch_normalization" in net.assumptions[0] and "eps = 0.001" in net.assumptions[0]
    check(net, [("linear", K1.T, c1), ("bn", g, be, m, v, 1e-3), ("linear", K2.T, c2)], 3)


def test_flax_layout_in_safetensors_square_kernels_not_transposed(tmp_path):
    K = [rand(3, 3), rand(3, 3), rand(3, 1)]
    arrays = {}
    for i, k in enumerate(K):
        arrays[f"params/Dense_{i}/kernel"], arrays[f"params/Dense_{i}/bias"] = k, rand(k.shape[1])
    _safetensors(tmp_path / "f.safetensors", arrays)
    net = load(tmp_path / "f.safetensors")
    check(net, [("linear", K[i].T, arrays[f"params/Dense_{i}/bias"]) for i in range(3)], 3)


def test_flax_batchnorm_collections(tmp_path):
    K1, K2 = rand(2, 3), rand(3, 1)
    s, b, m, v = rand(3), rand(3), rand(3), np.abs(rand(3)) + 0.5
    arrays = {"params/Dense_0/kernel": K1, "params/Dense_1/kernel": K2, "params/BatchNorm_0/scale": s,
              "params/BatchNorm_0/bias": b, "batch_stats/BatchNorm_0/mean": m, "batch_stats/BatchNorm_0/var": v}
    np.savez(tmp_path / "f.npz", **arrays)
    net = load(tmp_path / "f.npz")
    check(net, [("linear", K1.T, None), ("bn", s, b, m, v, 1e-5), ("linear", K2.T, None)], 2)


def test_torch_sequential_batchnorm_buffers(tmp_path):
    W0, b0, W3, b3 = rand(4, 2), rand(4), rand(1, 4), rand(1)
    g, be, m, v = rand(4), rand(4), rand(4), np.abs(rand(4)) + 0.5
    np.savez(tmp_path / "t.npz", **{"0.weight": W0, "0.bias": b0, "1.weight": g, "1.bias": be,
                                    "1.running_mean": m, "1.running_var": v,
                                    "1.num_batches_tracked": np.array(7), "3.weight": W3, "3.bias": b3})
    net = load(tmp_path / "t.npz")
    assert net.widths == (2, 4, 1) and "eps = 1e-05" in net.assumptions[0] and NO_ACTIVATIONS in net.assumptions
    check(net, [("linear", W0, b0), ("bn", g, be, m, v, 1e-5), ("linear", W3, b3)], 2)


def test_unrecognised_groups_are_named(tmp_path):
    np.savez(tmp_path / "x.npz", **{"fc1.weight": rand(2, 2), "fc1.running_mean": rand(2)})
    with pytest.raises(FormatError, match="fc1"):
        load(tmp_path / "x.npz")
    np.savez(tmp_path / "y.npz", **{"enc.conv.kernel_size": rand(2)})
    with pytest.raises(FormatError, match="kernel_size"):
        load(tmp_path / "y.npz")


# -- decimals -------------------------------------------------------------------------------------------

from fractions import Fraction  # noqa: E402
from decimal import Decimal  # noqa: E402

from hypothesis import given, strategies as st  # noqa: E402

from semialg.core.exact import decimal_str  # noqa: E402


@given(st.fractions(min_value=-10 ** 12, max_value=10 ** 12).filter(lambda q: q != 0), st.integers(1, 30))
def test_decimal_str_is_correctly_rounded(q, digits):
    from flint import fmpq
    text = decimal_str(fmpq(q.numerator, q.denominator), digits)
    d = Fraction(Decimal(text))
    e = Decimal(abs(q.numerator)).log10() - Decimal(q.denominator).log10()     # log10 |q|, to 28 digits
    ulp = Fraction(10) ** (int(e.to_integral_value(rounding="ROUND_FLOOR")) - digits + 1)
    assert abs(d - q) <= ulp / 2 + ulp / 10 ** 6          # half an ulp (slack only for log10 rounding at powers of 10)
    assert len(text.split("e")[0].replace("-", "").replace(".", "").lstrip("0")) <= digits


def test_eval_prints_a_single_output_as_a_number_with_decimals(tmp_path, capsys):
    save(Network.from_arrays([[[1, 0]], [["1/3"]]], [[0], [0]]), tmp_path / "n.json")
    assert main(["eval", str(tmp_path / "n.json"), "2,5"]) == 0
    assert capsys.readouterr().out.strip() == "f(2, 5) = 2/3 ≈ 0.666667"
    assert main(["eval", str(tmp_path / "n.json"), "3,5"]) == 0
    assert capsys.readouterr().out.strip() == "f(3, 5) = 1"
    assert main(["eval", str(tmp_path / "n.json"), "2,5", "--digits", "3", "--json"]) == 0
    import json
    out = json.loads(capsys.readouterr().out)
    assert out["y"] == ["2/3"] and out["y_decimal"] == ["0.667"]


def test_counterexample_shows_decimals(tmp_path, capsys):
    save(Network.from_arrays([[[1]], [[1]]], [[0], [0]]), tmp_path / "a.json")
    save(Network.from_arrays([[[1]], [[2]]], [[0], [0]]), tmp_path / "b.json")
    assert main(["equiv", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--json"]) == 1
    import json
    out = json.loads(capsys.readouterr().out)
    x = Fraction(out["point"][0])
    assert [Fraction(v[0]) for v in out["values"]] == [max(x, 0), 2 * max(x, 0)]
    assert abs(Fraction(Decimal(out["point_decimal"][0])) - x) <= abs(x) * Fraction(1, 10 ** 5)
    assert main(["equiv", str(tmp_path / "a.json"), str(tmp_path / "b.json")]) == 1
    assert "In decimals" in capsys.readouterr().out


# -- notebooks --------------------------------------------------------------------------------------------

def test_large_objects_render_as_short_summaries():
    class P:
        out = ""

        def text(self, s):
            self.out += s
    big, small = Network.random((64, 64, 10), seed=0), Network.random((2, 3, 1), seed=0)
    assert ", ..." in repr(big) and len(repr(big)) < 1000      # elided, as numpy does: not 20,000 characters
    tiny = Network.from_arrays([[[1, "-5/3"]], [[2]]], [[0], ["1/2"]])        # small: every parameter shown
    assert repr(tiny) == "Network(2-1-1: W1=[[1, -5/3]]; b1=[0]; W2=[[2]]; b2=[1/2])"
    p = P()
    big._repr_pretty_(p, False)
    assert big._repr_latex_() is None and len(big._repr_html_()) < 1000 and len(p.out) < 400
    assert "64-64-10" in big._repr_html_()
    assert small._repr_html_() is None and small._repr_latex_().startswith("$\\displaystyle W_{1}")


@pytest.mark.parametrize("suffix", [".json", ".safetensors", ".onnx"])
def test_assumptions_travel_through_conversion(tmp_path, suffix, capsys):
    if suffix == ".onnx":
        pytest.importorskip("onnx")
    arrays = {"0.weight": np.array([[0.5, -1.0]]), "0.bias": np.array([0.25]), "2.weight": np.array([[2.0]]),
              "2.bias": np.array([0.0])}
    np.savez(tmp_path / "m.npz", **arrays)
    assert main(["convert", str(tmp_path / "m.npz"), str(tmp_path / f"m{suffix}"), "--quiet"]) == 0
    back = load(tmp_path / f"m{suffix}")
    assert back == load(tmp_path / "m.npz") and NO_ACTIVATIONS in back.assumptions
    assert main(["eval", str(tmp_path / f"m{suffix}"), "1,1"]) == 0
    assert "assuming ReLU" in capsys.readouterr().err


def test_bfloat16_safetensors_read_exactly(tmp_path):
    """A bfloat16 is the upper half of a float32: write the bits by hand, read back the exact values."""
    import json
    pytest.importorskip("safetensors")
    values = {"0.weight": np.array([[0.5, -1.25], [3.0, 0.10009765625]], np.float32),
              "0.bias": np.array([1.0, -2.0], np.float32)}
    header, blob = {}, b""
    for key, v in values.items():
        bits = (v.view("<u4") >> 16).astype("<u2").tobytes()
        header[key] = {"dtype": "BF16", "shape": list(v.shape), "data_offsets": [len(blob), len(blob) + len(bits)]}
        blob += bits
    head = json.dumps(header).encode()
    (tmp_path / "bf.safetensors").write_bytes(len(head).to_bytes(8, "little") + head + blob)
    net = load(tmp_path / "bf.safetensors")
    assert net == Network.from_arrays([[[Fraction(1, 2), Fraction(-5, 4)], [3, Fraction(205, 2048)]]], [[1, -2]])
