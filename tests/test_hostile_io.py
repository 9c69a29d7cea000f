"""Hostile input to the readers, writers and API (audit B, session 7): every case ends in a one-line refusal of the
semialg.errors hierarchy naming the file and the tensor or entry, promptly, or in a correct reading."""

from __future__ import annotations

import json
import signal

import pytest
from hypothesis import given, strategies as st

import semialg as sa
from semialg.ui import io as sio


@pytest.fixture
def hang_guard():
    """Turn a hang into a failure (SIGALRM after 20 s)."""
    def alarm(signum, frame):
        raise TimeoutError("hostile input was not refused promptly")
    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


# == H1: the JSON depth check is linear =======================================================================

_json_values = st.recursive(
    st.none() | st.integers() | st.text(alphabet='ab[]{}"\\\u00e9\n', max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet='[]{}"\\x', max_size=4), inner,
                                                                 max_size=3),
    max_leaves=12)


def _depth(value) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


@given(_json_values, st.booleans())
def test_json_depth_is_the_nesting_of_the_parsed_value(value, ascii_only):
    """Brackets, quotes and backslashes inside strings never count; the depth is that of the value parsed."""
    assert sio._json_depth(json.dumps(value, ensure_ascii=ascii_only)) == _depth(value)


def test_an_unterminated_string_of_escaped_quotes_is_refused_promptly(tmp_path, hang_guard):
    path = tmp_path / "x.json"
    path.write_text('"' + '\\"' * 300_000)          # 600 KB: the old regex took minutes on this
    with pytest.raises(sa.FormatError, match="malformed JSON") as info:
        sa.load(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


# == H3, H4: every ONNX tensor element type is handled explicitly =============================================

def _onnx_with_weight(tensor):
    """A one-layer Gemm graph whose weight initializer is ``tensor`` (the model is not checked: it is hostile)."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper
    bias = numpy_helper.from_array(__import__("numpy").zeros(1, dtype="float32"), "b1")
    graph = helper.make_graph([helper.make_node("Gemm", ["x", "W1", "b1"], ["y"], transB=1)], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 1])], [tensor, bias])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def _tensor(data_type, dims, **fields):
    onnx = pytest.importorskip("onnx")
    t = onnx.TensorProto(name="W1", data_type=data_type, dims=dims)
    for key, value in fields.items():
        if key == "raw_data":
            t.raw_data = value
        else:
            getattr(t, key).extend(value)
    return t


HOSTILE_ONNX = {  # data_type codes from onnx.TensorProto.DataType (the file format, fixed)
    "unknown data type": (dict(data_type=999, dims=[1, 2], raw_data=b"\0" * 8), "unknown tensor data type 999"),
    "undefined": (dict(data_type=0, dims=[1, 2], raw_data=b"\0" * 8), "UNDEFINED"),
    "complex64": (dict(data_type=14, dims=[1, 2], float_data=[3, 5, 1, 0]), "COMPLEX64"),
    "complex128": (dict(data_type=15, dims=[1, 2], double_data=[3, 0, 1, 0]), "COMPLEX128"),
    "string a number": (dict(data_type=8, dims=[1, 2], string_data=[b"0.1", b"1"]), "STRING"),
    "string": (dict(data_type=8, dims=[1, 2], string_data=[b"a", b"b"]), "STRING"),
    "boolean": (dict(data_type=9, dims=[1, 2], int32_data=[1, 0]), "BOOL"),
    "negative dims": (dict(data_type=1, dims=[-1, 2], float_data=[1, 2]), "negative dimension"),
    "lying dims raw": (dict(data_type=11, dims=[100_000, 100_000], raw_data=b"\0" * 48), "[100000, 100000]"),
    "lying dims typed": (dict(data_type=1, dims=[1, 3], float_data=[1, 2]), "[1, 3]"),
    "data longer than dims": (dict(data_type=1, dims=[1, 2], float_data=[1, 2, 3]), "[1, 2]"),
    "odd raw length": (dict(data_type=1, dims=[1, 2], raw_data=b"\0" * 7), "[1, 2]"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_ONNX))
def test_hostile_onnx_tensors_are_refused_by_name(tmp_path, hang_guard, name):
    fields, what = HOSTILE_ONNX[name]
    path = tmp_path / "hostile.onnx"
    path.write_bytes(_onnx_with_weight(_tensor(**fields)).SerializeToString())
    with pytest.raises(sa.FormatError) as info:
        sa.load(path)
    msg = str(info.value)
    assert str(path) in msg and "'W1'" in msg and what in msg and "\n" not in msg


@pytest.mark.parametrize("name", ["INT4", "UINT4", "FLOAT8E4M3FN", "FLOAT8E5M2", "BFLOAT16", "INT8", "UINT64"])
def test_onnx_real_types_of_every_width_are_read_exactly(tmp_path, name):
    """Small integers stored in any real element type are read as exactly those integers."""
    onnx = pytest.importorskip("onnx")
    from onnx import helper
    t = helper.make_tensor("W1", getattr(onnx.TensorProto, name), [1, 2], [3, 1])
    path = tmp_path / "ok.onnx"
    path.write_bytes(_onnx_with_weight(t).SerializeToString())
    net = sa.load(path)
    assert net.weights[0][0] == (3, 1) and net([1, 1]) == (4,)
