"""Hostile input to the readers, writers and API (audit B, session 7): every case ends in a one-line refusal of the
semialg.errors hierarchy naming the file and the tensor or entry, promptly, or in a correct reading."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, strategies as st

import semialg as sa
from semialg.ui import io as sio


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


# == H5, H6, H7: writers refuse what they cannot write (or what load would refuse), naming file and entry ======

def _big(entry, where="W"):
    """A 2-3-1 network with ``entry`` at W1[0][1] (or b2[0])."""
    W1 = [[1, entry if where == "W" else 0], [0, 1], [1, 1]]
    return sa.Network.from_arrays([W1, [[1, 1, 1]]], [[0, 0, 0], [entry if where == "b" else 0]])


@pytest.mark.parametrize("suffix", [".npz", ".safetensors", ".onnx"])
@pytest.mark.parametrize("where", ["W", "b"])
def test_float_formats_refuse_entries_beyond_float64_naming_them(tmp_path, suffix, where):
    pytest.importorskip({".npz": "numpy", ".safetensors": "safetensors", ".onnx": "onnx"}[suffix])
    path = tmp_path / f"out{suffix}"
    with pytest.raises(sa.ParameterError) as info:
        sa.save(_big(10 ** 3999, where), path)
    msg = str(info.value)
    assert str(path) in msg and ("W1[0][1]" if where == "W" else "b2[0]") in msg and "\n" not in msg
    assert list(tmp_path.iterdir()) == []


def test_convert_to_a_float_format_of_a_huge_entry_exits_2_in_one_line(tmp_path, capsys):
    from semialg.ui.cli import main
    src = tmp_path / "big.json"
    sa.save(_big(-(10 ** 3999)), src)
    code = main(["convert", str(src), str(tmp_path / "out.npz")])
    err = capsys.readouterr().err
    assert code == 2 and len(err.splitlines()) == 1 and "W1[0][1]" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.json"]


def test_save_writes_json_that_load_reads_and_refuses_what_it_would_not(tmp_path):
    """Up to MAX_DIGITS digits per integer the JSON round trip is exact; beyond, save refuses (load would)."""
    from semialg.core.exact import MAX_DIGITS
    from flint import fmpq
    edge = _big(fmpq(-(10 ** MAX_DIGITS - 1), 10 ** MAX_DIGITS - 3))
    sa.save(edge, tmp_path / "edge.json")
    assert sa.load(tmp_path / "edge.json") == edge
    for entry in (10 ** MAX_DIGITS, fmpq(1, 10 ** MAX_DIGITS)):
        path = tmp_path / "over.json"
        with pytest.raises(sa.ParameterError, match=r"W1\[0\]\[1\]") as info:
            sa.save(_big(entry), path)
        assert str(path) in str(info.value) and not path.exists()
    # the audit's case: a group action on 4000-digit entries doubles their length
    g = sa.GroupElement([[0, 1, 2]], [[10 ** 3999, 1, 1]])
    with pytest.raises(sa.ParameterError, match="more than"):
        sa.save(g.act(_big(10 ** 3999)), tmp_path / "g.json")


def test_writing_onto_a_directory_names_it_not_a_temporary_file(tmp_path):
    target = tmp_path / "dir.json"
    target.mkdir()
    with pytest.raises(sa.ParameterError) as info:
        sa.save(_big(1), target)
    assert str(target) in str(info.value) and ".tmp" not in str(info.value)
    assert [p.name for p in tmp_path.iterdir()] == ["dir.json"]


# == H2: JSON memory is bounded by a size limit that reading and writing share ================================

def test_a_network_json_beyond_the_json_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    path = tmp_path / "n.json"
    sa.save(_big(1), path)
    monkeypatch.setattr(sio, "MAX_JSON_BYTES", path.stat().st_size - 1)
    monkeypatch.setattr(sio, "loads_json", lambda *a, **k: pytest.fail("parsed a file beyond the limit"))
    with pytest.raises(sa.FormatError, match="more than the limit") as info:
        sa.load(path)
    assert str(path) in str(info.value) and ".npz" in str(info.value)


def test_save_refuses_a_json_that_load_would_refuse_for_its_size(tmp_path, monkeypatch):
    path = tmp_path / "n.json"
    sa.save(_big(1), path)
    size = path.stat().st_size
    monkeypatch.setattr(sio, "MAX_JSON_BYTES", size)
    sa.save(_big(1), tmp_path / "same.json")                      # exactly at the limit: written and read back
    assert sa.load(tmp_path / "same.json") == _big(1)
    with pytest.raises(sa.FormatError, match=".npz") as info:
        sa.save(_big(12), tmp_path / "over.json")
    assert str(tmp_path / "over.json") in str(info.value) and not (tmp_path / "over.json").exists()


def test_json_numbers_are_compact_and_exact():
    """Short integers parse to ints, other numbers to slot-less text (no per-number __dict__); both exact."""
    ints, decimal, long = sio.loads_json("[[7, -3], 0.1, " + "9" * 30 + "]")
    assert ints == [7, -3] and type(ints[0]) is int
    assert decimal == "0.1" and not hasattr(decimal, "__dict__")
    assert long == "9" * 30 and sa.Network.from_arrays([[[long]]], [[decimal]]).biases[0][0] * 10 == 1


# == H7: messages name the file and what is wrong ==============================================================

@pytest.mark.parametrize("weight, what", [("[[], [], []]", "W1 has no columns"), ("[]", "W1 has no rows")])
def test_empty_layers_in_json_name_the_file_and_the_layer(tmp_path, weight, what):
    path = tmp_path / "n.json"
    bias = "[0, 1, 2]" if weight != "[]" else "[]"
    path.write_text('{"format": "semialg.network/1", "layers": [{"weight": ' + weight + ', "bias": ' + bias +
                    '}, {"weight": [[1, 1, 1]], "bias": [0]}]}')
    with pytest.raises(sa.ShapeError) as info:
        sa.load(path)
    assert str(path) in str(info.value) and what in str(info.value)


def _safetensors(path, header: dict, data: bytes):
    text = json.dumps(header).encode()
    path.write_bytes(len(text).to_bytes(8, "little") + text + data)


@pytest.mark.parametrize("dtype", ["F8_E4M3", "F8_E5M2", "BOOL", "C64", "STR", None])
def test_safetensors_dtypes_not_read_are_named(tmp_path, dtype):
    pytest.importorskip("safetensors")
    path = tmp_path / "n.safetensors"
    _safetensors(path, {"0.weight": {"dtype": dtype, "shape": [1, 2], "data_offsets": [0, 2]},
                        "0.bias": {"dtype": "F32", "shape": [1], "data_offsets": [2, 6]}}, b"\0" * 6)
    with pytest.raises(sa.FormatError) as info:
        sa.load(path)
    msg = str(info.value)
    assert str(path) in msg and "'0.weight'" in msg and repr(dtype) in msg and "does not read" in msg


@pytest.mark.parametrize("key", ["activation", "assumptions"])
def test_deeply_nested_safetensors_metadata_names_the_file(tmp_path, key):
    pytest.importorskip("safetensors")
    from safetensors.numpy import save_file
    import numpy as np
    path = tmp_path / "n.safetensors"
    save_file({"0.weight": np.ones((1, 2)), "0.bias": np.zeros(1)}, str(path),
              metadata={key: "[" * 20_000 + "]" * 20_000})
    with pytest.raises(sa.FormatError) as info:
        sa.load(path)
    msg = str(info.value)
    assert str(path) in msg and "metadata" in msg and len(msg) < 300


def test_deeply_nested_safetensors_header_names_the_file(tmp_path):
    pytest.importorskip("safetensors")
    path = tmp_path / "n.safetensors"
    text = b'{"BF16": ' + b"[" * 20_000 + b"]" * 20_000 + b"}"
    path.write_bytes(len(text).to_bytes(8, "little") + text)
    with pytest.raises(sa.FormatError, match="nested") as info:
        sa.load(path)
    assert str(path) in str(info.value)


def test_deeply_nested_onnx_metadata_names_the_file(tmp_path):
    onnx = pytest.importorskip("onnx")
    model = sa.to_onnx(_big(1))
    onnx.helper.set_model_props(model, {"semialg.assumptions": "[" * 20_000 + "]" * 20_000})
    path = tmp_path / "n.onnx"
    path.write_bytes(model.SerializeToString())
    with pytest.raises(sa.FormatError) as info:
        sa.load(path)
    assert str(path) in str(info.value) and "metadata" in str(info.value)


# == H9: group elements take integer permutations only =======================================================

@pytest.mark.parametrize("perm", [[0.5, 1.5], [1.0, 0.0], ["1", "0"], [True, False], "10", [None, 0]])
def test_group_element_refuses_permutations_that_are_not_integers(perm):
    with pytest.raises(sa.ParameterError, match="permutation of hidden layer 1") as info:
        sa.GroupElement([perm], [[1, 1]])
    assert "\n" not in str(info.value)


def test_group_element_takes_python_and_numpy_integers():
    import numpy as np
    g = sa.GroupElement([np.array([1, 0])], [["1/2", 3]])
    assert g.permutations == ((1, 0),) and g == sa.GroupElement([(1, 0)], [["1/2", 3]])


# == H10: budgets are validated where they enter ==============================================================

_BAD_BUDGETS = [-1, 0, float("nan"), float("inf"), "10", True, None, 2.5]


@pytest.mark.parametrize("budget", _BAD_BUDGETS, ids=repr)
def test_count_budgets_are_positive_integers(budget):
    net = sa.Network.random((2, 3, 1), seed=0)
    for call in (lambda: sa.genericity(net, budget=budget), lambda: sa.minimal_form(net, budget=budget),
                 lambda: sa.identifiable(net, zero_sum_budget=budget)):
        with pytest.raises(sa.ParameterError, match="budget must be a positive integer") as info:
            call()
        assert "\n" not in str(info.value)


@pytest.mark.parametrize("budget", [b for b in _BAD_BUDGETS if b not in (0, None, 2.5)], ids=repr)
def test_time_budgets_are_positive_finite_seconds(budget):
    net = sa.Network.random((2, 3, 1), seed=0)
    for call in (lambda: sa.identifiable(net, budget=budget), lambda: sa.shallow_representation(net, budget=budget),
                 lambda: sa.regions(net, budget=budget), lambda: sa.equivalent(net, net, budget=budget)):
        with pytest.raises(sa.ParameterError, match="budget must be a non-negative number of seconds"):
            call()


# == H8: huge exact integers print everywhere (LaTeX, describe, JSON, loci counts) ============================

def test_loci_of_a_huge_architecture_describe_latex_and_json(hang_guard):
    arch = sa.Architecture(10 ** 6, 10 ** 6, 1)
    Z = sa.degeneracy_loci(arch)
    n = 10 ** 6
    expected = n + n + n * (n - 1) // 2 + 2 ** n - 1        # the shallow families' sizes, counted by hand
    assert Z.count == expected
    assert "about 2^1000000" in Z.describe() and "\n" not in Z.describe()
    assert "2^{999999}" in Z.to_latex() and len(repr(Z)) > 300_000   # repr: exact digits
    data = json.loads(json.dumps(Z.to_json()))
    from flint import fmpz
    assert fmpz(data["families"][-1]["count"]) == 2 ** n - 1   # exact, as a decimal string
    with pytest.raises(OverflowError, match="use .count"):
        len(Z)


def test_latex_and_describe_of_a_network_with_a_100000_digit_entry():
    import sys
    big = 10 ** 100_000 + 7
    net = sa.Network.from_arrays([[[big, 1]], [[1]]], [[0], [0]])
    latex = sa.fibre(net).to_latex()
    from semialg.core.exact import int_str
    assert int_str(big) in latex and sys.get_int_max_str_digits() == 4300
    assert int_str(big) in json.dumps(sa.fibre(net).to_json())
