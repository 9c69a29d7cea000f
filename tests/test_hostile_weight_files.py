"""Hostile weight files (audit 72): headers declaring what would cost far more than the file (huge or many
dimensions, millions of zip entries), headers numpy parses but that do not describe one plain array, paths that
are not regular files, and layer files with a missing layer. Each is refused in one line naming the file and the
member, promptly and before any large allocation."""

from __future__ import annotations

import io
import json
import os
import struct
import zipfile
import zlib

import numpy as np
import pytest

import semialg as sa
from semialg.ui import io as sio


def _refusal(path, error=sa.FormatError) -> str:
    with pytest.raises(error) as info:
        sa.load(path)
    msg = str(info.value)
    assert str(path) in msg and "\n" not in msg
    return msg


# -- safetensors shapes and offsets ----------------------------------------------------------------------------

def _safetensors(path, header: dict, data: bytes = b""):
    text = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(text)) + text + data)
    return path


def test_a_safetensors_shape_of_hundreds_of_huge_dimensions_is_refused_before_multiplying(tmp_path, hang_guard):
    pytest.importorskip("safetensors")
    path = _safetensors(tmp_path / "s.safetensors",
                        {"0.weight": {"dtype": "F64", "shape": [10 ** 3999] * 300 + [0], "data_offsets": [0, 0]}})
    msg = _refusal(path, sa.ShapeError)     # hang_guard bounds the time: multiplying the dimensions took minutes
    assert "'0.weight'" in msg and "301 dimensions" in msg and "2-D" in msg


@pytest.mark.parametrize("info, said", [
    ({"shape": [10 ** 3999, 10 ** 3999], "data_offsets": [0, 8]}, "a dimension above"),
    ({"shape": [10 ** 3999, "x"], "data_offsets": [0, 8]}, "not a list of non-negative integers"),
    ({"shape": [1], "data_offsets": [0, 10 ** 3999]}, "data_offsets outside the 8 bytes"),
    ({"shape": [1], "data_offsets": [-8, 0]}, "data_offsets outside the 8 bytes"),
])
def test_safetensors_numbers_too_long_to_print_are_never_printed(tmp_path, info, said):
    """Python refuses to print an integer of more than 4300 digits: formatting one into the message was a
    ValueError traceback instead of the refusal."""
    pytest.importorskip("safetensors")
    path = _safetensors(tmp_path / "s.safetensors", {"0.weight": {"dtype": "F64", **info}}, bytes(8))
    msg = _refusal(path)
    assert "'0.weight'" in msg and said in msg and len(msg) < 300


# -- .npz central directory ------------------------------------------------------------------------------------

def _zip64_with_entries(path, n: int, declared: int | None = None):
    """A zip archive of one 1-byte local entry listed ``n`` times in its central directory, with ZIP64 end
    records declaring ``declared`` entries (default ``n``)."""
    data, name = b"x", b"W1.npy"
    crc = zlib.crc32(data)
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, 1, 1, len(name), 0) + name + data
    entry = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 45, 20, 0, 0, 0, 0, crc, 1, 1, len(name), 0, 0, 0, 0, 0,
                        0) + name
    cd, count = entry * n, n if declared is None else declared
    z64 = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(cd), len(local))
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, len(local) + len(cd), 1)
    eocd = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    path.write_bytes(local + cd + z64 + locator + eocd)
    return path


def _no_zipfile(monkeypatch):
    def refused(*args, **kwargs):
        raise AssertionError("zipfile parsed the central directory of an archive refused by its end record")
    monkeypatch.setattr(sio.zipfile, "ZipFile", refused)


def test_an_npz_declaring_too_many_members_is_refused_before_zipfile_reads_them(tmp_path, monkeypatch, hang_guard):
    path = _zip64_with_entries(tmp_path / "many.npz", sio.NPZ_MAX_MEMBERS + 10_000)
    _no_zipfile(monkeypatch)
    assert f"{sio.NPZ_MAX_MEMBERS + 10_000} members, more than the limit" in _refusal(path)


def test_an_npz_directory_longer_than_its_declared_count_is_refused(tmp_path, monkeypatch, hang_guard):
    """zipfile reads the directory by its size, not its count: a small count must not let it read 20,000."""
    path = _zip64_with_entries(tmp_path / "lying.npz", 20_000, declared=1)
    _no_zipfile(monkeypatch)
    assert "central directory of 1040000 bytes for 1 members" in _refusal(path)


def test_an_npz_with_a_long_comment_reads_and_one_without_an_end_record_is_refused(tmp_path):
    path = tmp_path / "c.npz"
    with zipfile.ZipFile(path, "w") as zf:
        for key, arr in {"W1": np.ones((1, 2)), "b1": np.zeros(1)}.items():
            with zf.open(f"{key}.npy", "w") as fh:
                np.lib.format.write_array(fh, arr)
        zf.comment = b"a comment moves the end record " * 1000
    assert sa.load(path)([1, 2]) == (3,)
    path.write_bytes(path.read_bytes()[:60])
    assert "truncated .npz" in _refusal(path)


# -- .npy headers inside an .npz -------------------------------------------------------------------------------

def _npz_member(path, header: str, data: bytes):
    text = header.encode("latin1")
    text += b" " * ((64 - (10 + len(text) + 1) % 64) % 64) + b"\n"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("W1.npy", b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text + data)
    return path


@pytest.mark.parametrize("descr, shape, data, said", [
    ("'<f8'", "(%d, %d)" % (10 ** 3000, 10 ** 3000), bytes(8), "a dimension above"),
    ("'<f8'", "(-1, -1)", bytes(8), "shape (-1, -1) is not a list of non-negative integers"),
    ("('<f8', (2,))", "(1, 1)", bytes(16), "sub-array dtype"),
    ("[('a', '<f8'), ('b', '<f8')]", "(1, 1)", bytes(16), "structured"),
    ("'|V0'", "(%d,)" % 10 ** 8, b"", "zero-byte elements"),
    ("'<f8'", "(1, 1, 1)", bytes(8), "3 dimensions"),
])
def test_npy_headers_numpy_parses_but_semialg_cannot_read_are_refused_by_member(tmp_path, descr, shape, data, said):
    path = _npz_member(tmp_path / "h.npz", "{'descr': %s, 'fortran_order': False, 'shape': %s, }" % (descr, shape),
                       data)
    with pytest.raises(sa.FormatError if "dimensions" not in said else sa.ShapeError) as info:
        sa.load(path)
    msg = str(info.value)
    assert str(path) in msg and "'W1.npy'" in msg and said in msg and "\n" not in msg


# -- paths that are not regular files --------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["directory", "fifo", "device symlink"])
def test_a_network_path_that_is_not_a_regular_file_is_named_so_and_never_read(tmp_path, hang_guard, kind):
    path = tmp_path / "net.json"
    if kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)  # reading it would block until a writer comes
    else:
        path.symlink_to("/dev/zero")  # reading it would never end
    assert "not a regular file" in _refusal(path)
    assert "no such file" in _refusal(tmp_path / "absent.json")


# -- layer numbering and bias shapes ---------------------------------------------------------------------------

def _npz(path, **arrays):
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    path.write_bytes(buf.getvalue())
    return path


@pytest.mark.parametrize("arrays, missing", [
    ({"W1": np.ones((1, 1)), "W3": np.ones((1, 1))}, "no 'W2': layer 2 is missing"),
    ({"W2": np.ones((1, 1)), "b2": np.zeros(1)}, "no 'W1': layer 1 is missing"),
    ({"weight_0": np.ones((1, 1)), "bias_2": np.zeros(1), "weight_2": np.ones((1, 1))}, "no 'weight_1'"),
])
def test_a_gap_in_numbered_layers_is_refused_naming_the_missing_layer(tmp_path, arrays, missing):
    assert missing in _refusal(_npz(tmp_path / "g.npz", **arrays))


def test_pytorch_sequential_numbering_with_relu_modules_in_between_still_reads(tmp_path):
    path = _npz(tmp_path / "p.npz", **{"0.weight": np.ones((2, 1)), "0.bias": np.zeros(2),
                                        "2.weight": np.ones((1, 2)), "2.bias": np.zeros(1)})
    assert sa.load(path)([1]) == (2,)


@pytest.mark.parametrize("shape", [(1, 1), (2, 1), (1, 2)])
def test_a_bias_that_is_not_a_vector_is_refused_naming_it(tmp_path, shape):
    path = _npz(tmp_path / "b.npz", W1=np.ones((shape[0] * shape[1], 1)), b1=np.zeros(shape))
    msg = _refusal(path, sa.ShapeError)
    assert "'b1'" in msg and str(shape) in msg and "1-D" in msg


@pytest.mark.parametrize("key", ["W" + "1" * 5000, "fc" + "1" * 5000 + ".weight"])
def test_layer_numbers_too_long_for_an_int_are_never_converted(tmp_path, key):
    """Python refuses to convert a number of more than 4300 digits: a key holding one was a ValueError."""
    pytest.importorskip("safetensors")
    from safetensors.numpy import save_file
    path = tmp_path / "k.safetensors"
    save_file({key: np.ones((1, 1)), "fc1.weight": np.ones((1, 1))}, str(path))
    try:
        net = sa.load(path)
    except sa.FormatError as e:
        assert str(path) in str(e) and "unexpected array" in str(e)
    else:
        assert net.widths == (1, 1, 1)
