"""ONNX import/export against onnx's own reference evaluator (an independent implementation of the ops)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from semialg import FormatError, Network, ShapeError, equivalent, from_onnx, load, save, to_onnx
from semialg.ui.cli import main

from conftest import networks

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402
from onnx.reference import ReferenceEvaluator  # noqa: E402

floats = st.floats(min_value=-100, max_value=100, allow_nan=False, width=32)


def model(nodes, inits, in_shape, out_shape, elem=TensorProto.FLOAT, opset=17):
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", elem, in_shape)],
                              [helper.make_tensor_value_info("y", elem, out_shape)],
                              [numpy_helper.from_array(v, k) for k, v in inits.items()])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def run(m, X):
    return ReferenceEvaluator(m).run(None, {"x": X})[0]


def exact(net, X):
    """The loaded network evaluated exactly at the (float) points X, then rounded."""
    return np.array([[float(v) for v in net(list(map(float, x)))] for x in X])


def torch_style(rng, widths, dtype=np.float32, final=None, extra=()):
    """Gemm(transB=1) + Relu layers, as torch.onnx.export writes nn.Sequential(Linear, ReLU, ...)."""
    nodes, inits, data = list(extra), {}, "x" if not extra else extra[-1].output[0]
    L = len(widths) - 1
    for l in range(1, L + 1):
        inits[f"W{l}"] = rng.standard_normal((widths[l], widths[l - 1])).astype(dtype)
        inits[f"b{l}"] = rng.standard_normal(widths[l]).astype(dtype)
        out = "y" if l == L and final is None else f"z{l}"
        nodes.append(helper.make_node("Gemm", [data, f"W{l}", f"b{l}"], [out], name=f"/fc{l}/Gemm", transB=1))
        if l < L:
            nodes.append(helper.make_node("Relu", [out], [f"a{l}"], name=f"/act{l}/Relu"))
            data = f"a{l}"
    if final is not None:
        nodes.append(helper.make_node(final, [f"z{L}"], ["y"], name=f"/out/{final}"))
    return nodes, inits


@pytest.mark.parametrize("seed", range(3))
def test_torch_style_gemm_graph_matches_the_reference_evaluator(seed):
    rng = np.random.default_rng(seed)
    widths = (4, 6, 5, 3)
    m = model(*torch_style(rng, widths), ["N", 4], ["N", 3])
    net = from_onnx(m)
    assert net.widths == widths and net.assumptions == ()
    X = rng.standard_normal((20, 4)).astype(np.float32)
    np.testing.assert_allclose(run(m, X), exact(net, X), rtol=1e-5, atol=1e-5)


def test_initializers_are_read_exactly():
    rng = np.random.default_rng(1)
    ml_dtypes = pytest.importorskip("ml_dtypes")  # installed with onnx
    for dtype in (np.float16, np.float32, np.float64, ml_dtypes.bfloat16):
        nodes, inits = torch_style(rng, (2, 3, 1), dtype)
        net = from_onnx(model(nodes, inits, ["N", 2], ["N", 1], elem=helper.np_dtype_to_tensor_dtype(np.dtype(dtype))))
        assert net == Network.from_arrays([inits["W1"], inits["W2"]], [inits["b1"], inits["b2"]])


def test_flatten_dropout_identity_and_float64():
    rng = np.random.default_rng(2)
    pre = [helper.make_node("Flatten", ["x"], ["f"], name="flat", axis=1),
           helper.make_node("Dropout", ["f"], ["d"], name="drop"),
           helper.make_node("Identity", ["d"], ["i"], name="id")]
    nodes, inits = torch_style(rng, (4, 3, 2), np.float64, extra=pre)
    m = model(nodes, inits, ["N", 1, 2, 2], ["N", 2], elem=TensorProto.DOUBLE)
    net = from_onnx(m)
    X = rng.standard_normal((10, 1, 2, 2))
    np.testing.assert_allclose(run(m, X), exact(net, X.reshape(10, 4)), rtol=1e-12, atol=1e-12)


def test_tf2onnx_style_matmul_add_and_reshape():
    rng = np.random.default_rng(3)
    K1, c1 = rng.standard_normal((4, 5)).astype(np.float32), rng.standard_normal(5).astype(np.float32)
    K2, c2 = rng.standard_normal((5, 2)).astype(np.float32), rng.standard_normal((1, 2)).astype(np.float32)
    nodes = [helper.make_node("Reshape", ["x", "shape"], ["r"], name="reshape"),
             helper.make_node("MatMul", ["r", "K1"], ["m1"], name="dense/MatMul"),
             helper.make_node("Add", ["m1", "c1"], ["z1"], name="dense/BiasAdd"),
             helper.make_node("Relu", ["z1"], ["a1"], name="dense/Relu"),
             helper.make_node("MatMul", ["a1", "K2"], ["m2"], name="dense_1/MatMul"),
             helper.make_node("Add", ["c2", "m2"], ["y"], name="dense_1/BiasAdd")]
    m = model(nodes, {"shape": np.array([-1, 4], dtype=np.int64), "K1": K1, "c1": c1, "K2": K2, "c2": c2},
              ["N", 2, 2], ["N", 2])
    net = from_onnx(m)
    assert net.weights[0] == Network.from_arrays([K1.T], [c1]).weights[0]      # kernels are (in, out)
    X = rng.standard_normal((10, 2, 2)).astype(np.float32)
    np.testing.assert_allclose(run(m, X), exact(net, X.reshape(10, 4)), rtol=1e-5, atol=1e-5)


def test_gemm_alpha_beta_transposes_and_feature_first_data():
    rng = np.random.default_rng(4)
    A, C = rng.standard_normal((3, 4)).astype(np.float32), rng.standard_normal(3).astype(np.float32)
    B, D = rng.standard_normal((3, 2)).astype(np.float32), rng.standard_normal((2, 1)).astype(np.float32)
    nodes = [helper.make_node("Gemm", ["x", "A", "C"], ["z"], name="g1", transA=1, transB=1, alpha=0.5, beta=2.0),
             helper.make_node("Relu", ["z"], ["a"], name="r"),                       # a: (N, 3), batch first
             helper.make_node("Gemm", ["B", "a", "D"], ["y"], name="g2", transA=1, transB=1, alpha=1.5)]  # (2, N)
    m = model(nodes, {"A": A, "C": C, "B": B, "D": D}, [4, "N"], [2, "N"])
    net = from_onnx(m)
    X = rng.standard_normal((4, 7)).astype(np.float32)          # feature-first input
    np.testing.assert_allclose(run(m, X).T, exact(net, X.T), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("op", ["LeakyRelu", "Tanh", "Sigmoid", "Softmax", "Elu"])
def test_other_activations_are_refused_naming_node_and_op(op):
    rng = np.random.default_rng(5)
    nodes, inits = torch_style(rng, (2, 3, 1))
    nodes[1] = helper.make_node(op, ["z1"], ["a1"], name="/act1/Bad")
    with pytest.raises(FormatError, match=f"/act1/Bad.*{op}"):
        from_onnx(model(nodes, inits, ["N", 2], ["N", 1]))


def test_conv_is_refused_naming_node_and_op():
    nodes = [helper.make_node("Conv", ["x", "K"], ["y"], name="conv0")]
    m = model(nodes, {"K": np.ones((1, 1, 1, 1), np.float32)}, ["N", 1, 2, 2], ["N", 1, 2, 2])
    with pytest.raises(FormatError, match="conv0.*Conv"):
        from_onnx(m)


@pytest.mark.parametrize("final", ["Softmax", "Sigmoid", "LogSoftmax"])
def test_final_activation_only_with_logits(final, tmp_path):
    rng = np.random.default_rng(6)
    m = model(*torch_style(rng, (3, 4, 2), final=final), ["N", 3], ["N", 2])
    with pytest.raises(FormatError, match=f"{final}.*logits"):
        from_onnx(m)
    net = from_onnx(m, logits=True)
    assert final in net.assumptions[0] and "logit map" in net.assumptions[0]
    X = rng.standard_normal((10, 3)).astype(np.float32)
    z = exact(net, X)
    ref = {"Softmax": lambda z: np.exp(z) / np.exp(z).sum(1, keepdims=True),
           "Sigmoid": lambda z: 1 / (1 + np.exp(-z)),
           "LogSoftmax": lambda z: z - np.log(np.exp(z).sum(1, keepdims=True))}[final]
    np.testing.assert_allclose(run(m, X), ref(z), rtol=1e-4, atol=1e-5)
    onnx.save(m, tmp_path / "m.onnx")
    assert main(["eval", str(tmp_path / "m.onnx"), "1,2,3"]) == 2
    assert main(["eval", str(tmp_path / "m.onnx"), "1,2,3", "--logits", "--quiet"]) == 0


def test_relu_directly_on_input_and_trailing_relu_are_refused():
    rng = np.random.default_rng(7)
    nodes, inits = torch_style(rng, (2, 3, 1), extra=[helper.make_node("Relu", ["x"], ["r"], name="r0")])
    with pytest.raises(FormatError, match="r0"):
        from_onnx(model(nodes, inits, ["N", 2], ["N", 1]))
    nodes, inits = torch_style(rng, (2, 3, 1), final="Relu")
    with pytest.raises(FormatError, match="ends with a ReLU"):
        from_onnx(model(nodes, inits, ["N", 2], ["N", 1]))


def test_bias_broadcasting_along_the_batch_axis_is_refused():
    nodes = [helper.make_node("MatMul", ["x", "K"], ["m"], name="mm"), helper.make_node("Add", ["m", "c"], ["y"], name="add")]
    m = model(nodes, {"K": np.ones((2, 3), np.float32), "c": np.ones((3, 1), np.float32)}, [3, 2], [3, 3])
    with pytest.raises(ShapeError, match="add"):
        from_onnx(m)


@given(networks(entries=floats))
@settings(max_examples=20)
def test_export_round_trips_exactly_and_evaluates_like_the_network(net):
    m = to_onnx(net)
    assert from_onnx(m) == net
    X = np.random.default_rng(0).standard_normal((5, net.widths[0]))
    got = ReferenceEvaluator(m).run(None, {"input": X})[0]
    np.testing.assert_allclose(got, exact(net, X), rtol=1e-9, atol=1e-9)


def test_cli_convert_to_onnx_and_back(tmp_path, capsys):
    net = Network.random((2, 3, 2), seed=3, height=4)
    dyadic = Network.from_arrays([[[float(x) for x in r] for r in W] for W in net.weights],
                                 [[float(x) for x in b] for b in net.biases])
    save(dyadic, tmp_path / "a.json")
    assert main(["convert", str(tmp_path / "a.json"), str(tmp_path / "a.onnx"), "--quiet"]) == 0
    assert load(tmp_path / "a.onnx") == dyadic
    assert main(["equiv", str(tmp_path / "a.json"), str(tmp_path / "a.onnx"), "--quiet"]) == 0
    assert bool(equivalent(load(tmp_path / "a.onnx"), dyadic))
    save(Network.from_arrays([[["1/3"]], [[1]]], [[0], [0]]), tmp_path / "third.json")
    assert main(["convert", str(tmp_path / "third.json"), str(tmp_path / "t.onnx")]) == 2
    assert "not exactly float64" in capsys.readouterr().err and not (tmp_path / "t.onnx").exists()


def test_truncated_and_garbage_files(tmp_path):
    save(Network.random((2, 2, 1), seed=0, height=2).replace_layer(1, weight=[[0.5, 1], [2, 3]]), tmp_path / "a.onnx")
    data = (tmp_path / "a.onnx").read_bytes()
    (tmp_path / "t.onnx").write_bytes(data[: len(data) // 2])
    (tmp_path / "g.onnx").write_bytes(b"\x00garbage" * 10)
    for name in ("t.onnx", "g.onnx"):
        with pytest.raises(FormatError, match=name):
            load(tmp_path / name)
