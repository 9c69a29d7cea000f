"""What a file declares beyond its weights (audit D): activations, recorded assumptions, reshapes, the
safetensors header. A file is read as the network it declares or refused naming what is wrong; it is never
analysed as another network. Every file semialg writes it reads back."""

from __future__ import annotations

import json
import re
from fractions import Fraction

import numpy as np
import pytest

import semialg as sa
from semialg.ui.declared import MAX_ASSUMPTION_CHARS, MAX_ASSUMPTIONS, NO_ACTIVATIONS

# A 1-1-1-1 network whose last weight is negative: a ReLU after the output layer would change f(1) from -1 to 0.
_ARRAYS = {"0.weight": [[1.0]], "0.bias": [0.0], "1.weight": [[2.0]], "1.bias": [-1.0],
           "2.weight": [[-1.0]], "2.bias": [0.0]}


def _by_hand(x: Fraction, final_relu: bool = False) -> Fraction:
    """The declared network at ``x``, evaluated with fractions, independently of semialg."""
    relu = lambda t: max(t, Fraction(0))  # noqa: E731
    y = -relu(2 * relu(x) - 1)
    return relu(y) if final_relu else y


def _safetensors(path, metadata):
    st = pytest.importorskip("safetensors.numpy")
    st.save_file({k: np.array(v) for k, v in _ARRAYS.items()}, str(path), metadata=metadata)
    return path


def _json(path, extra):
    layers = [{"weight": [[str(x) for x in r] for r in _ARRAYS[f"{l}.weight"]],
               "bias": [str(x) for x in _ARRAYS[f"{l}.bias"]]} for l in range(3)]
    path.write_text(json.dumps({"format": "semialg.network/1", "layers": layers, **extra}))
    return path


def _write(kind, tmp_path, declared: dict):
    if kind == "json":
        return _json(tmp_path / "n.json", declared)
    return _safetensors(tmp_path / "n.safetensors", {k: v if isinstance(v, str) else json.dumps(v)
                                                     for k, v in declared.items()})


@pytest.mark.parametrize("kind", ["json", "safetensors"])
@pytest.mark.parametrize("declared, named", [
    ({"activation": ["relu", "relu", "relu"]}, "after the output layer (layer 3 of 3)"),
    ({"activations": ["relu", "identity"]}, "lists 2 activations for a network of 3 layers"),
    ({"activation": ["relu", "relu", "relu", "identity"]}, "lists 4 activations"),
    ({"activation": ["relu", "identity", "identity"]}, "after hidden layer 2"),
    ({"activation": "relu", "activations": ["tanh", "tanh", "identity"]}, "'activations' declares activation 'tanh'"),
    ({"activation": "identity"}, "'activation' declares 'identity' for a network of 3 layers"),
    ({"activations": "LeakyReLU"}, "'activations' declares activation 'LeakyReLU'"),
])
def test_a_declaration_of_another_network_is_refused_naming_key_and_layer(tmp_path, kind, declared, named):
    path = _write(kind, tmp_path, declared)
    with pytest.raises(sa.FormatError) as info:
        sa.load(path)
    msg = str(info.value)
    assert named in msg and str(path) in msg and "\n" not in msg


@pytest.mark.parametrize("kind", ["json", "safetensors"])
@pytest.mark.parametrize("declared", [{"activation": ["relu", "ReLU", "identity"]}, {"activations": "nn.ReLU"},
                                      {"activation": "relu", "activations": ["relu", "relu", "linear"]}, {}])
def test_a_declaration_of_relu_hidden_layers_reads_the_declared_network(tmp_path, kind, declared):
    net = sa.load(_write(kind, tmp_path, declared))
    for x in (Fraction(1), Fraction(3, 4), Fraction(-2), Fraction(5, 2)):
        assert Fraction(str(net([x])[0])) == _by_hand(x)
    assumed = kind == "safetensors" and not declared
    assert net.assumptions == ((NO_ACTIVATIONS,) if assumed else ())


def test_the_declared_final_relu_would_change_the_answer():
    """The refused declaration is not a formality: with the final ReLU the function differs at 1."""
    assert _by_hand(Fraction(1)) == -1 and _by_hand(Fraction(1), final_relu=True) == 0


# -- recorded assumptions: one rule for every reader and writer ----------------------------------------------

_NET = sa.Network.from_arrays([[[1, -1], [2, 1]], [[1, 1]]], [[0, 1], [0]])


@pytest.mark.parametrize("suffix", [".json", ".safetensors", ".onnx"])
def test_what_semialg_writes_it_reads_back_at_the_limits(tmp_path, suffix):
    if suffix != ".json":
        pytest.importorskip(suffix[1:])
    at_limit = tuple(f"{i:03d}" + "x" * (MAX_ASSUMPTION_CHARS - 3) for i in range(MAX_ASSUMPTIONS))
    sa.save(sa.Network(_NET.weights, _NET.biases, at_limit), tmp_path / f"a{suffix}")
    back = sa.load(tmp_path / f"a{suffix}")
    assert back == _NET and back.assumptions == at_limit
    for beyond, named in ((at_limit + ("one more",), "101 recorded assumptions"),
                          (("y" * (MAX_ASSUMPTION_CHARS + 1),), "1001 characters")):
        with pytest.raises(sa.ParameterError, match=named):
            sa.save(sa.Network(_NET.weights, _NET.biases, beyond), tmp_path / f"b{suffix}")
        assert not (tmp_path / f"b{suffix}").exists()


def test_the_onnx_reader_refuses_what_the_json_reader_refuses(tmp_path):
    onnx = pytest.importorskip("onnx")
    for recorded, named in ((["x" * 2000], "2000 characters"), ([f"a{i}" for i in range(101)], "101 recorded")):
        model = sa.to_onnx(_NET)
        onnx.helper.set_model_props(model, {"semialg.assumptions": json.dumps(recorded)})
        (tmp_path / "m.onnx").write_bytes(model.SerializeToString())
        _json(tmp_path / "m.json", {"assumptions": recorded})
        for name in ("m.onnx", "m.json"):
            with pytest.raises(sa.FormatError, match=named):
                sa.load(tmp_path / name)


def test_assumptions_a_reader_adds_count_against_the_limit(tmp_path):
    """100 recorded plus the one the reader adds (no declared activations) is beyond what JSON would read back."""
    path = _safetensors(tmp_path / "h.safetensors", {"assumptions": json.dumps([f"a{i}" for i in range(100)])})
    with pytest.raises(sa.FormatError, match="101 recorded assumptions"):
        sa.load(path)
    path = _safetensors(tmp_path / "h.safetensors", {"assumptions": json.dumps([f"a{i}" for i in range(99)])})
    net = sa.load(path)
    assert len(net.assumptions) == 100 and net.assumptions[-1] == NO_ACTIVATIONS
    sa.save(net, tmp_path / "h.json")
    assert sa.load(tmp_path / "h.json").assumptions == net.assumptions


def test_a_recorded_assumption_the_reader_would_add_is_not_repeated(tmp_path):
    path = _safetensors(tmp_path / "r.safetensors", {"assumptions": json.dumps([NO_ACTIVATIONS])})
    assert sa.load(path).assumptions == (NO_ACTIVATIONS,)


# -- ONNX Reshape: only when each example stays one row of its features ---------------------------------------

def _reshape_model(shape, in_dims, features):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper
    W = numpy_helper.from_array(np.arange(1, 2 * features + 1, dtype=np.float32).reshape(2, features), "W")
    b = numpy_helper.from_array(np.array([0.5, -1.0], np.float32), "b")
    nodes = [helper.make_node("Reshape", ["X", "shape"], ["x"], name="flat"),
             helper.make_node("Gemm", ["x", "W", "b"], ["Y"], transB=1)]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("X", TensorProto.FLOAT, in_dims)],
                              [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)],
                              [W, b, numpy_helper.from_array(np.array(shape, np.int64), "shape")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return onnx, model


@pytest.mark.parametrize("shape, in_dims", [([-1, 1], ["N", 3]), ([1, -1], ["N", 3]), ([3, -1], [2, 3]),
                                            ([-1, 3], None), ([-1, 12], ["N", "h", 4])])
def test_a_reshape_that_mixes_examples_and_features_is_refused_naming_the_node(shape, in_dims):
    _, model = _reshape_model(shape, in_dims, shape[1] if shape[1] > 0 else 3)
    with pytest.raises(sa.FormatError, match=r"node 'flat' \(Reshape\).*does not keep each example") as info:
        sa.from_onnx(model)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("shape, in_dims, features", [([-1, 3], ["N", 3], 3), ([0, -1], None, 3),
                                                      ([-1, 12], ["N", 3, 4], 12), ([2, -1], [2, 3], 3)])
def test_a_reshape_that_keeps_examples_in_rows_reads_what_the_graph_computes(shape, in_dims, features):
    onnx, model = _reshape_model(shape, in_dims, features)
    from onnx.reference import ReferenceEvaluator
    net = sa.from_onnx(model)
    dims = [2] + [d if isinstance(d, int) else 3 for d in (in_dims or [2, features])[1:]]
    X = np.arange(np.prod(dims), dtype=np.float32).reshape(dims) / 4 - 1
    Y = ReferenceEvaluator(model).run(None, {"X": X})[0]
    assert Y.shape == (2, 2)
    for x, y in zip(X.reshape(2, -1), Y):
        assert [float(v) for v in net([Fraction(float(t)) for t in x])] == y.tolist()


# -- the safetensors header: the same checks for every dtype --------------------------------------------------

def _raw_safetensors(path, header: dict, data: bytes):
    text = json.dumps(header).encode()
    path.write_bytes(len(text).to_bytes(8, "little") + text + data)
    return path


@pytest.mark.parametrize("dtype, size", [("BF16", 2), ("F32", 4)])
@pytest.mark.parametrize("w, b, data_len, named", [
    ({"shape": [-1, 2], "data_offsets": [0, 2]}, {"shape": [1], "data_offsets": [2, 3]}, 3, "'W1': shape [-1, 2]"),
    ({"shape": [1, 2], "data_offsets": [0, 2]}, {"shape": [1], "data_offsets": [0, 1]}, 2, "without gaps or overlaps"),
    ({"shape": [1, 2], "data_offsets": [0, 2]}, {"shape": [1], "data_offsets": [3, 4]}, 4, "without gaps or overlaps"),
    ({"shape": [1, 2], "data_offsets": [0, 3]}, {"shape": [1], "data_offsets": [3, 4]}, 4, "'W1': data_offsets"),
    ({"shape": [1, 2], "data_offsets": [0, 2]}, {"shape": [1], "data_offsets": [2, 3]}, 5, "cover"),
    ({"shape": [1, 2.0], "data_offsets": [0, 2]}, {"shape": [1], "data_offsets": [2, 3]}, 3, "non-negative integers"),
])
def test_a_lying_safetensors_header_is_refused_for_every_dtype(tmp_path, dtype, size, w, b, data_len, named):
    """Offsets are in units of one element here, scaled to the dtype's size."""
    scale = lambda info: {**info, "dtype": dtype, "data_offsets": [o * size for o in info["data_offsets"]]}  # noqa
    path = _raw_safetensors(tmp_path / "h.safetensors", {"W1": scale(w), "b1": scale(b)}, bytes(data_len * size))
    with pytest.raises(sa.FormatError, match=re.escape(named)) as info:
        sa.load(path)
    assert str(path) in str(info.value)


def test_an_honest_bfloat16_file_reads_exactly(tmp_path):
    bf16 = lambda x: (np.array([x], np.float32).view(np.uint32) >> 16).astype("<u2").tobytes()  # noqa: E731
    header = {"W1": {"dtype": "BF16", "shape": [1, 2], "data_offsets": [0, 4]},
              "b1": {"dtype": "BF16", "shape": [1], "data_offsets": [4, 6]}}
    path = _raw_safetensors(tmp_path / "h.safetensors", header, bf16(1.5) + bf16(-0.25) + bf16(3.0))
    y, = sa.load(path)([Fraction(2), Fraction(4)])
    assert Fraction(str(y)) == Fraction(3, 2) * 2 - Fraction(1, 4) * 4 + 3
