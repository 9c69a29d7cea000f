"""Reading and writing networks: JSON ``semialg.network/1``, NumPy ``.npz``, ``.safetensors``, scikit-learn.

Every reader validates strictly and raises a :class:`~semialg.errors.FormatError` /
:class:`~semialg.errors.ShapeError` whose one-line message names the file, the layer and the entry.
Pickles are never loaded (``np.load(..., allow_pickle=False)``). Every writer is atomic: it writes a
temporary file in the target directory and renames it, so a failure never leaves a half-written file.

Weight layouts: semialg stores $W_l$ as (out, in) like PyTorch. ``layout="auto"`` reads a matrix as
(out, in) when its shape fits the bias and the previous layer, and as (in, out) (scikit-learn, many
``.npz`` dumps) only when (out, in) does not fit; ``layout="out_in"`` / ``"in_out"`` force one.

Limits (hostile files are refused before anything large is built): numbers written as text follow
:func:`semialg.core.exact.parse_rational` (at most ``MAX_DIGITS`` digits, exponents up to ``MAX_EXPONENT``, and
in a network JSON exponents adding at most ``EXPONENT_DIGITS_PER_BYTE`` digits per byte of the file);
JSON nests at most ``JSON_MAX_DEPTH`` levels (the network format needs 5), repeats no key, and a network JSON
is at most ``MAX_JSON_BYTES`` long (reading one takes up to about 50 times its size in memory, a Python object
per number: at most about 1.7 GB; large networks belong in ``.npz`` / ``.safetensors``); an ``.npz`` archive has at most ``NPZ_MAX_MEMBERS`` arrays whose declared
uncompressed sizes add up to at most ``MAX_FILE_BYTES``, and every member's ``.npy`` header must declare
exactly the size stored (zip bombs and lying headers are refused before allocating); the member count is read from
the zip end record before ``zipfile`` reads the directory, and every array has at most 2 dimensions, each at most
``MAX_FILE_BYTES``, checked before any arithmetic (:mod:`semialg.ui.containers`).

>>> import tempfile, os
>>> net = Network.from_arrays([[[1, "-1/2"]], [[3]]], [[0], [1]])
>>> path = os.path.join(tempfile.mkdtemp(), "net.json")
>>> save(net, path); load(path) == net
True
"""

from __future__ import annotations

import json
import os
import re
import zipfile
import zlib
from pathlib import Path
from typing import Callable, Mapping

import numpy as np

from semialg.errors import FormatError, ParameterError, ShapeError
from semialg.core.exact import MAX_DIGITS, fmpq_str, to_matrix, to_vector
from semialg.core.rational_matrix import RationalMatrix
from semialg.core.network import Network
from semialg.ui.atomic import atomic_write, write_text as _write_text
from semialg.ui.containers import check_npy_dtype, check_shape, check_zip_directory
from semialg.ui.declared import (ACTIVATION_KEYS, NO_ACTIVATIONS, assume, check_assumptions, checked_for_writing,
                                 declared_activations, dropped_output)
from semialg.ui.layouts import LAYOUTS as _LAYOUTS, network_from_arrays

__all__ = ["load", "save", "from_sklearn", "network_to_json", "network_from_json", "atomic_write", "loads_json",
           "JSON_MAX_DEPTH", "MAX_FILE_BYTES", "MAX_JSON_BYTES", "NPZ_MAX_MEMBERS",
           "read_text", "write_json", "write_text", "FORMAT", "SUFFIXES", "assume", "NO_ACTIVATIONS"]

#: The JSON format tag this version reads and writes.
FORMAT = "semialg.network/1"
SUFFIXES = (".json", ".npz", ".safetensors", ".onnx")
_PICKLE_SUFFIXES = (".pt", ".pth", ".pkl", ".pickle", ".ckpt", ".bin", ".joblib")
_SAVE_HINT = ("save the weights with safetensors.torch.save_file(model.state_dict(), path) and load that "
              ".safetensors file (or numpy.savez(path, W1=..., b1=..., ...))")
#: The deepest JSON nesting read (a network file nests 5 levels: file, layers, layer, matrix, row).
JSON_MAX_DEPTH = 8
#: The largest JSON or safetensors file, and the largest total uncompressed size of an .npz archive's arrays.
MAX_FILE_BYTES = 2 ** 28
#: The largest network JSON file (read or written): parsing makes a Python object per number, so the peak memory
#: is up to about 50 times the file size (benchmarks/bench_json_memory.py): 32 MiB stays within about 1.7 GB.
MAX_JSON_BYTES = 2 ** 25
#: The most arrays an .npz archive may hold.
NPZ_MAX_MEMBERS = 10_000


# -- JSON -----------------------------------------------------------------------------------------

def network_to_json(net: Network, max_chars: int | None = None) -> dict:
    """The ``semialg.network/1`` dict of a network (entries as exact ``"p/q"`` strings). With ``max_chars``, a
    :class:`FormatError` as soon as the entries alone (with their quotes and commas) take more characters, before
    the rest is spelled out: an entry can be thousands of digits long, so the text can be far larger than the
    network in memory."""
    left = max_chars

    def spelled(xs) -> list[str]:
        nonlocal left
        out = []
        for x in xs:
            out.append(fmpq_str(x))
            if left is not None:
                left -= len(out[-1]) + 3
                if left < 0:
                    raise FormatError(f"the network takes more than {max_chars} bytes as JSON, more than semialg "
                                      f"reads back; save it as .npz or .safetensors (float64) instead")
        return out

    out = {"format": FORMAT, "widths": list(net.widths),
           "layers": [{"weight": [spelled(r) for r in W], "bias": spelled(b)} for W, b in net.layers()]}
    if net.assumptions:  # what the source did not say travels with the network
        out["assumptions"] = list(net.assumptions)
    return out


_DIGITS_BOUND = 10 ** MAX_DIGITS


def _check_readable_json(net: Network) -> None:
    """Refuse (naming the entry) a network whose JSON :func:`load` would refuse: an entry with a numerator or
    denominator of more than ``MAX_DIGITS`` digits. Cost: $O(\\dim\\Omega)$ (nothing for a matrix with an int64
    integer form or of floats). A matrix without its integer form is checked entry by entry, never by building that
    form: the common denominator of many unrelated denominators can be far longer than the file."""
    for l, (W, b) in enumerate(net.layers(), start=1):
        if W.floats is None and (not W.has_integer_form or W.numerators.dtype == object
                                 or W.denominator >= _DIGITS_BOUND):
            _check_digits(((f"W{l}[{i}][{j}]", x) for i, r in enumerate(W) for j, x in enumerate(r)), l)
        _check_digits(((f"b{l}[{i}]", x) for i, x in enumerate(b)), l)


def _check_digits(entries, l: int) -> None:
    for where, x in entries:
        if abs(x.p) >= _DIGITS_BOUND or x.q >= _DIGITS_BOUND:
            raise ParameterError(f"layer {l}: {where} has an integer of more than {MAX_DIGITS} digits, beyond "
                                 f"what semialg reads back from JSON (the limit of docs/formats.md)")


class _Number(str):
    """A JSON number kept as the text it spells; :func:`~semialg.core.exact.to_fmpq` reads it exactly and
    within the documented bounds (``0.1`` is 1/10, ``1e999999999`` is refused, never computed)."""

    __slots__ = ()  # no per-number __dict__: a JSON number costs about 60 bytes, not 130


def _json_int(text: str) -> int | _Number:
    """A JSON integer: short ones as ``int`` (exact, small ones shared), long ones as text for bounded reading."""
    return int(text) if len(text) <= 18 else _Number(text)


def _json_type(v) -> str:
    if isinstance(v, _Number) or (isinstance(v, (int, float)) and not isinstance(v, bool)):
        return "a number"
    return {str: "a string", bool: "a boolean", type(None): "null", list: "a list", dict: "an object"}.get(
        type(v), type(v).__name__)


def _count(v) -> int | None:
    """``v`` as a non-negative count if it is one (an int, or a JSON number spelling one), else None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v if v >= 0 else None
    if isinstance(v, _Number) and v.isascii() and v.isdigit() and len(v) <= 18:
        return int(v)
    return None


def _no_duplicates(pairs):
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise FormatError(f"duplicate key {k!r}")
        obj[k] = v
    return obj


def _json_depth(text: str) -> int:
    r"""The deepest nesting of ``[``/``{`` outside strings. Cost: one vectorised pass, linear in ``len(text)``,
    with memory proportional to the number of quotes, backslashes and brackets.

    A quote delimits a string unless an odd run of backslashes precedes it (as in JSON; outside strings a
    backslash is a syntax error the parser reports, so up to it this scan and the parser agree). Multi-byte
    UTF-8 sequences never contain ASCII bytes, so scanning bytes is scanning characters.

    >>> _json_depth('{"a": ["[[[", "\\\\"], "b": [[1]]}')
    3
    """
    code = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    quotes = np.flatnonzero(code == 34)
    slashes = np.flatnonzero(code == 92)
    if quotes.size and slashes.size:
        # the run of backslashes ending just before each quote: its length decides whether the quote is escaped
        starts = np.concatenate(([True], np.diff(slashes) != 1))
        run_start = np.maximum.accumulate(np.where(starts, slashes, -1))
        k = np.searchsorted(slashes, quotes) - 1
        before = (k >= 0) & (slashes[np.maximum(k, 0)] == quotes - 1)
        run = np.where(before, quotes - run_start[np.maximum(k, 0)], 0)
        quotes = quotes[run % 2 == 0]
    brackets = np.flatnonzero((code == 91) | (code == 123) | (code == 93) | (code == 125))
    brackets = brackets[np.searchsorted(quotes, brackets) % 2 == 0]  # an even number of quotes before: outside
    if not brackets.size:
        return 0
    kind = code[brackets]
    step = np.where((kind == 91) | (kind == 123), 1, -1)
    return int(np.cumsum(step).max())


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 4000:
        raise FormatError(f"integer with {len(text)} digits")
    return int(text)


def loads_json(text: str, exact: bool = True):
    """Parse JSON text defensively: nesting deeper than ``JSON_MAX_DEPTH`` is refused before parsing, a
    repeated key is refused, NaN/Infinity are refused; with ``exact`` integers of up to 18 digits become ints
    and other numbers stay text for exact, bounded reading, otherwise integers are bounded to 4000 digits and decimals become floats.
    Raises :class:`FormatError` (without a file name; callers add it). Cost: linear in ``len(text)``.

    >>> loads_json('{"a": [1, 0.1]}')
    {'a': [1, '0.1']}
    >>> loads_json('{"a": 1, "a": 2}')
    Traceback (most recent call last):
    ...
    semialg.errors.FormatError: duplicate key 'a'
    """
    depth = _json_depth(text)
    if depth > JSON_MAX_DEPTH:
        raise FormatError(f"JSON nested {depth} levels deep (at most {JSON_MAX_DEPTH})")
    try:
        return json.loads(text, parse_float=_Number if exact else float,
                          parse_int=_json_int if exact else _bounded_int,
                          parse_constant=_bad_constant, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as e:
        raise FormatError(f"malformed JSON ({e})") from None


def network_from_json(obj, source: str = "<json>") -> Network:
    """Validate and read a ``semialg.network/1`` dict; errors name ``source``, the layer and the entry."""
    if not isinstance(obj, Mapping):
        raise FormatError(f"{source}: expected a JSON object, got {_json_type(obj)}")
    fmt = obj.get("format")
    if fmt is None:
        raise FormatError(f"{source}: missing 'format' (expected {FORMAT!r})")
    if type(fmt) is not str or not fmt.startswith("semialg.network/"):
        raise FormatError(f"{source}: not a semialg network file (format {fmt!r})")
    if fmt != FORMAT:
        raise FormatError(f"{source}: unknown format version {fmt!r}; this semialg reads {FORMAT!r}")
    layers = obj.get("layers")
    if not isinstance(layers, list) or not layers:
        raise FormatError(f"{source}: 'layers' must be a non-empty list, got {_json_type(layers)}")
    Ws, bs = [], []
    for l, layer in enumerate(layers, start=1):
        if not isinstance(layer, Mapping) or "weight" not in layer or "bias" not in layer:
            raise FormatError(f"{source}: layer {l} must be an object with 'weight' and 'bias'")
        W, b = layer["weight"], layer["bias"]
        if not isinstance(W, list) or not all(isinstance(r, list) for r in W):
            raise FormatError(f"{source}: layer {l}: 'weight' must be a list of rows, got {_json_type(W)}")
        if not isinstance(b, list):
            raise FormatError(f"{source}: layer {l}: 'bias' must be a list, got {_json_type(b)}")
        try:
            Ws.append(to_matrix(W, where=f"W{l}"))
            bs.append(to_vector(b, where=f"b{l}"))
        except ParameterError as e:
            raise type(e)(f"{source}: layer {l}: {e}") from None
    try:
        net = Network(tuple(Ws), tuple(bs))
    except ParameterError as e:  # shapes that do not chain, empty layers
        raise type(e)(f"{source}: {e}") from None
    widths = obj.get("widths")
    if widths is not None:
        if not isinstance(widths, list) or any(_count(w) is None for w in widths):
            raise FormatError(f"{source}: 'widths' must be a list of counts, got {_json_type(widths)}")
        if [_count(w) for w in widths] != list(net.widths):
            raise ShapeError(f"{source}: 'widths' says {[_count(w) for w in widths]} but the layers have "
                             f"widths {list(net.widths)}")
    declared_activations(obj, len(net.weights), source)  # the format is ReLU by definition: only refusals matter
    recorded = obj.get("assumptions")
    return assume(net, *check_assumptions([] if recorded is None else recorded, f"{source}: 'assumptions'"))


def _bad_constant(name):
    raise FormatError(f"not a finite number: {name}")


def read_text(path: Path, limit: int | None = None) -> str:
    """The UTF-8 text of ``path``, refused (a :class:`FormatError` without the file name) beyond ``limit`` bytes
    (default ``MAX_FILE_BYTES``)."""
    size, limit = path.stat().st_size, limit or MAX_FILE_BYTES
    if size > limit:
        raise FormatError(f"{size} bytes, more than the limit of {limit} for this kind of file" +
                          ("; store a network this large as .npz or .safetensors" if limit == MAX_JSON_BYTES else ""))
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise FormatError(f"not UTF-8 text ({e.reason} at byte {e.start})") from None


def _load_json(path: Path) -> Network:
    try:
        text = read_text(path, MAX_JSON_BYTES)
        _check_exponents(text)
        obj = loads_json(text)
    except FormatError as e:
        raise FormatError(f"{path}: {e}") from None
    return network_from_json(obj, str(path))


#: The digits that the exponents of a network JSON's numbers may add, per byte of the file (plus a constant
#: allowance): a 6-byte ``1e4999`` is a 5000-digit integer, 2 KB in memory, so exponents, not the file's length,
#: would otherwise set the memory of reading it. 100 digits per byte keep it within about 40 times the file size
#: (0.42 bytes per digit), and admit files of float64 subnormals written as short decimals (``5e-324``).
EXPONENT_DIGITS_PER_BYTE = 100
_EXPONENT_ALLOWANCE = 10 ** 6
_EXPONENT = re.compile(r"[eE][+-]?(\d+)")


def _check_exponents(text: str) -> None:
    """Refuse text whose numbers' exponents add more digits than ``EXPONENT_DIGITS_PER_BYTE`` per byte of the
    file (plus ``_EXPONENT_ALLOWANCE``), before any number is built. Cost: one regular-expression pass."""
    exponents = _EXPONENT.findall(text)
    total = sum(int(e) if len(e) <= 6 else 10 ** 6 for e in exponents)
    limit = EXPONENT_DIGITS_PER_BYTE * len(text) + _EXPONENT_ALLOWANCE
    if total > limit:
        raise FormatError(f"the exponents of its numbers add {total} digits, more than the {limit} read from a file "
                          f"of {len(text)} bytes (its exact values would take about {total * 0.42 / 2 ** 20:.0f} MiB; "
                          f"see the limits in docs/formats.md)")


# -- array dictionaries (npz, safetensors) ---------------------------------------------------------

def _layers_from_arrays(arrays: Mapping[str, np.ndarray], source: str, layout: str = "auto",
                        order=None) -> Network:
    """Check the arrays' dtypes, then group them into layers (:func:`semialg.ui.layouts.network_from_arrays`)."""
    for key, arr in arrays.items():
        if arr.dtype == object:
            raise FormatError(f"{source}: array {key!r} has dtype object; only numeric arrays are read")
        if arr.dtype.kind not in "fiu":
            raise FormatError(f"{source}: array {key!r} has non-numeric dtype {arr.dtype}")
    return network_from_arrays(arrays, source, layout, order)


def _sniff(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(8)


def _npy_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: str) -> np.ndarray:
    """One ``.npy`` member, read only after its header's declared size is checked against the stored size."""
    name = info.filename
    with zf.open(info) as fp:
        try:
            version = np.lib.format.read_magic(fp)
        except ValueError as e:
            raise FormatError(f"{source}: array {name!r} is not in .npy format ({e})") from None
        read_header = {(1, 0): np.lib.format.read_array_header_1_0,
                       (2, 0): np.lib.format.read_array_header_2_0}.get(version)
        if read_header is None:
            raise FormatError(f"{source}: array {name!r} has unsupported .npy version {version}")
        try:
            shape, fortran, dtype = read_header(fp)
        except ValueError as e:
            raise FormatError(f"{source}: array {name!r} has a malformed .npy header ({e})") from None
        where = f"{source}: array {name!r}"
        check_npy_dtype(dtype, where)
        nbytes = check_shape(shape, MAX_FILE_BYTES, where) * dtype.itemsize
        if fp.tell() + nbytes != info.file_size:
            raise FormatError(f"{source}: array {name!r} declares shape {shape} of {dtype} ({nbytes} bytes) but "
                              f"stores {info.file_size - fp.tell()} bytes")
        data = fp.read(nbytes)
    return np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")


def _npz_arrays(path: Path) -> dict[str, np.ndarray]:
    """The arrays of an ``.npz`` archive, within the documented limits, never unpickling."""
    head = _sniff(path)
    if head.startswith(b"\x93NUMPY"):
        raise FormatError(f"{path}: a single NumPy array (.npy format, not pickle-based), not an .npz archive of "
                          f"named weight and bias arrays; write one with numpy.savez(path, W1=..., b1=..., ...)")
    if head[:1] == b"\x80":
        raise FormatError(f"{path}: a pickle, which semialg never loads; {_SAVE_HINT}")
    if not head.startswith(b"PK"):
        raise FormatError(f"{path}: not an .npz archive (no zip signature)")
    check_zip_directory(path, NPZ_MAX_MEMBERS)  # zipfile builds an object per directory entry before counting
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        if len(infos) > NPZ_MAX_MEMBERS:
            raise FormatError(f"{path}: {len(infos)} members, more than the limit of {NPZ_MAX_MEMBERS}")
        total = sum(i.file_size for i in infos)
        if total > MAX_FILE_BYTES:
            raise FormatError(f"{path}: the arrays declare {total} bytes uncompressed, more than the limit of "
                              f"{MAX_FILE_BYTES}")
        arrays: dict[str, np.ndarray] = {}
        for info in infos:
            if not info.filename.endswith(".npy"):
                torch = info.filename.endswith(".pkl") or "/data/" in info.filename
                raise FormatError(f"{path}: member {info.filename!r} is not a .npy array" +
                                  (f" (a PyTorch checkpoint, pickle-based, never loaded; {_SAVE_HINT})"
                                   if torch else ""))
            key = info.filename[:-4]
            if key in arrays:
                raise FormatError(f"{path}: two arrays named {key!r}")
            arrays[key] = _npy_member(zf, info, str(path))
    return arrays


def _load_npz(path: Path, layout: str, order=None) -> Network:
    try:
        arrays = _npz_arrays(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError, NotImplementedError,
            RuntimeError, zlib.error) as e:
        raise FormatError(f"{path}: unreadable or truncated .npz ({type(e).__name__}: {e})") from None
    return assume(_layers_from_arrays(arrays, str(path), layout, order), NO_ACTIVATIONS)


#: The safetensors dtypes read, as little-endian numpy dtypes (BF16: read as the upper half of a float32).
_SAFETENSORS_DTYPES = {"F16": "<f2", "BF16": "<u2", "F32": "<f4", "F64": "<f8", "I8": "i1", "I16": "<i2",
                       "I32": "<i4", "I64": "<i8", "U8": "u1", "U16": "<u2", "U32": "<u4", "U64": "<u8"}


def _load_safetensors(path: Path, layout: str, order=None) -> Network:
    try:
        from safetensors.numpy import load_file
    except ImportError:
        raise FormatError(f"{path}: reading .safetensors needs the 'io' extra: "
                          f"pip install 'semialg[io]'") from None
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FormatError(f"{path}: {size} bytes, more than the limit of {MAX_FILE_BYTES}")
    header, header_bytes = _safetensors_header(path, size)
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise FormatError(f"{path}: '__metadata__' must map names to strings")
    _check_safetensors_tensors(path, header, size - 8 - header_bytes)
    try:
        bf16 = any(info["dtype"] == "BF16" for info in header.values())
        arrays = _safetensors_bfloat16(path, header) if bf16 else load_file(str(path))
    except Exception as e:  # safetensors raises its own error types for malformed headers
        raise FormatError(f"{path}: unreadable or truncated .safetensors ({type(e).__name__}: {e})") \
            from None
    net = _layers_from_arrays(arrays, str(path), layout, order)
    declared = {}
    for key in ("assumptions",) + ACTIVATION_KEYS:
        text = metadata.get(key)
        try:
            declared[key] = loads_json(text, exact=False) if text is not None and (
                key == "assumptions" or text.lstrip().startswith("[")) else text
        except FormatError as e:
            raise FormatError(f"{path}: unreadable {key!r} metadata ({e})") from None
    where = f"{path}: metadata 'assumptions'"
    recorded = check_assumptions(declared.pop("assumptions") or [], where)
    said = declared_activations({k: v for k, v in declared.items() if v is not None}, len(net.weights),
                                f"{path}: metadata")
    net = assume(net, *recorded, *(() if said else (NO_ACTIVATIONS,)))
    check_assumptions(net.assumptions, where)  # with those the reader adds (no activations, folded BatchNorm)
    return net


def _check_safetensors_tensors(path: Path, header: dict, data_bytes: int) -> None:
    """The checks the safetensors library makes, made for every file (the bfloat16 reader bypasses it): a
    known dtype, a shape of non-negative integers, offsets that tile the data exactly, in order, each tensor
    as long as its shape says."""
    spans = []
    for key, info in header.items():
        dtype = info.get("dtype") if isinstance(info, dict) else None
        if dtype not in _SAFETENSORS_DTYPES:
            raise FormatError(f"{path}: tensor {key!r} has dtype {dtype!r}, which semialg does not read (it reads "
                              f"{', '.join(_SAFETENSORS_DTYPES)})")
        shape, offsets = info.get("shape"), info.get("data_offsets")
        count = check_shape(shape, MAX_FILE_BYTES, f"{path}: tensor {key!r}")
        # offsets beyond the data are refused before they are printed: they may be thousands of digits long
        if not isinstance(offsets, list) or len(offsets) != 2 or any(type(o) is not int for o in offsets):
            raise FormatError(f"{path}: tensor {key!r}: data_offsets are not two integers")
        if not all(0 <= o <= data_bytes for o in offsets):
            raise FormatError(f"{path}: tensor {key!r}: data_offsets outside the {data_bytes} bytes of data")
        nbytes = count * np.dtype(_SAFETENSORS_DTYPES[dtype]).itemsize
        if offsets[1] - offsets[0] != nbytes:
            raise FormatError(f"{path}: tensor {key!r}: data_offsets {offsets} span {offsets[1] - offsets[0]} bytes "
                              f"but shape {shape} of {dtype} needs {nbytes}")
        spans.append((offsets[0], offsets[1], key))
    end = 0
    for start, stop, key in sorted(spans):
        if start != end:
            raise FormatError(f"{path}: tensor {key!r}: data_offsets start at {start}, expected {end} (tensors "
                              f"must tile the data without gaps or overlaps)")
        end = stop
    if end != data_bytes:
        raise FormatError(f"{path}: the tensors cover {end} bytes of data but the file holds {data_bytes}")


def _safetensors_header(path: Path, size: int) -> tuple[dict, int]:
    """The JSON header of a safetensors file (8-byte length, then JSON), read within the JSON limits, and its
    length in bytes."""
    with open(path, "rb") as fh:
        n = int.from_bytes(fh.read(8), "little")
        if n > size - 8:
            raise FormatError(f"{path}: unreadable or truncated .safetensors (header of {n} bytes in a file of "
                              f"{size})")
        raw = fh.read(n)
    try:
        header = loads_json(raw.decode("utf-8"), exact=False)
    except (FormatError, UnicodeDecodeError) as e:
        raise FormatError(f"{path}: unreadable .safetensors header ({e})") from None
    if not isinstance(header, dict):
        raise FormatError(f"{path}: unreadable .safetensors header (not a JSON object)")
    return header, n


def _safetensors_bfloat16(path: Path, header: dict) -> dict[str, np.ndarray]:
    """The tensors of a safetensors file declaring BF16 ones (numpy has no bfloat16): a bfloat16 is the upper
    half of a float32, widened exactly."""
    with open(path, "rb") as fh:
        fh.seek(8 + int.from_bytes(fh.read(8), "little"))
        data = fh.read()
    arrays = {}
    for key, info in header.items():
        (start, end), dtype = info["data_offsets"], info["dtype"]  # checked: they tile the data
        arr = np.frombuffer(data[start:end], _SAFETENSORS_DTYPES[dtype])
        if dtype == "BF16":
            arr = (arr.astype("<u4") << 16).view("<f4")
        arrays[key] = arr.reshape(info["shape"])
    return arrays


def float64_layers(net: Network) -> list[tuple[np.ndarray, np.ndarray]]:
    """$(W_l, b_l)$ as float64 arrays; refuses when a parameter is not exactly a float64."""
    out = []
    for l, (W, b) in enumerate(net.layers(), start=1):
        try:
            Wf = W.to_float()
            bf = np.array([float(x) for x in b])
        except OverflowError:  # an entry of magnitude 2^1024 or more: name the first one
            entries = [(f"W{l}[{i}][{j}]", x) for i, r in enumerate(W) for j, x in enumerate(r)]
            where = next(name for name, x in entries + [(f"b{l}[{i}]", x) for i, x in enumerate(b)]
                         if _overflows(x))
            raise ParameterError(f"layer {l}: {where} is too large for a float64 (magnitude 2^1024 or more); "
                                 f"save as .json to keep it exact") from None
        if RationalMatrix.of(Wf) != W or to_vector(bf) != b:
            raise ParameterError(f"layer {l} has entries that are not exactly float64 numbers; "
                                 f"save as .json to keep them exact")
        out.append((Wf, bf))
    return out


def _overflows(x) -> bool:
    try:
        float(x)
    except OverflowError:
        return True
    return False


def _float64_arrays(net: Network, torch_keys: bool) -> dict[str, np.ndarray]:
    out = {}
    for l, (Wf, bf) in enumerate(float64_layers(net), start=1):
        out[f"{l - 1}.weight" if torch_keys else f"W{l}"] = Wf
        out[f"{l - 1}.bias" if torch_keys else f"b{l}"] = bf
    return out


#: Further formats by suffix, registered by their modules (``semialg.ui.onnx``): (read, write) where
#: ``read(path, layout, logits) -> Network`` and ``write(net, tmp_path)``.
_FORMATS: dict[str, tuple[Callable, Callable]] = {}


def register_format(suffix: str, read: Callable, write: Callable) -> None:
    """Let :func:`load` and :func:`save` handle files ending in ``suffix``."""
    _FORMATS[suffix] = (read, write)


# -- scikit-learn -----------------------------------------------------------------------------------

def from_sklearn(model) -> Network:
    """The ReLU network of a fitted scikit-learn ``MLPRegressor`` / ``MLPClassifier``.

    scikit-learn stores ``coefs_[l]`` as (in, out); they are transposed. For a classifier the network
    computes the logits (the output layer before its logistic/softmax), which decide the class; the
    dropped output activation is recorded in ``net.assumptions``.
    Raises :class:`FormatError` for unfitted models and activations other than ``relu``.
    """
    name = type(model).__name__
    if not (hasattr(model, "coefs_") and hasattr(model, "intercepts_")):
        raise FormatError(f"{name}: not a fitted scikit-learn MLP (no coefs_/intercepts_)")
    act = getattr(model, "activation", None)
    if act != "relu":
        raise FormatError(f"{name}: activation {act!r} is not supported; semialg analyses ReLU networks")
    arrays = {f"W{l + 1}": np.asarray(c).T for l, c in enumerate(model.coefs_)}
    arrays.update({f"b{l + 1}": np.asarray(b) for l, b in enumerate(model.intercepts_)})
    net = _layers_from_arrays(arrays, name, "out_in")
    out = getattr(model, "out_activation_", "identity")
    return net if out == "identity" else assume(net, dropped_output(out))


# -- public entry points ----------------------------------------------------------------------------

def _path(path, what: str) -> Path:
    """``path`` as a :class:`Path`; anything that is not a file name is a :class:`ParameterError`."""
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, (str, os.PathLike)) or not str(path):
        raise ParameterError(f"{what}: expected a file name (str or os.PathLike), got {type(path).__name__}")
    return Path(path)


def load(path: str | os.PathLike, layout: str = "auto", logits: bool = False, order=None) -> Network:
    """Read a network from ``.json``, ``.npz``, ``.safetensors`` or ``.onnx`` (by suffix).

    ``logits=True`` lets an ONNX graph end in Softmax/Sigmoid/LogSoftmax and reads the network up to its
    logits. ``order`` (layer names, e.g. ``["fc1", "fc2", "out"]``) orders named layers of a weight file
    when their shapes chain in more than one order. What the file does not say (activations of a bare
    weight file) is recorded in ``net.assumptions``. Cost: $O(\\dim\\Omega)$.

    Raises :class:`FormatError` (unknown suffix, pickle-based formats, malformed or truncated files,
    non-ReLU activations, files beyond the documented limits) or :class:`ShapeError`, each naming the file,
    layer and entry; a ``path`` that is not a file name raises :class:`ParameterError`.
    """
    path = _path(path, "load")
    suffix = path.suffix.lower()
    if suffix in _PICKLE_SUFFIXES:
        raise FormatError(f"{path}: {suffix} files are pickle-based and are never loaded; {_SAVE_HINT}")
    if suffix == ".npy":
        raise FormatError(f"{path}: a single NumPy array (not pickle-based), but a network needs named weight "
                          f"and bias arrays: write an .npz with numpy.savez(path, W1=..., b1=..., ...)")
    if suffix not in SUFFIXES:
        raise FormatError(f"{path}: unknown file type {suffix!r}; expected one of {', '.join(SUFFIXES)}")
    if not path.is_file():  # never read a FIFO or device: it can block forever or never end
        raise FormatError(f"{path}: not a regular file (a directory, device or pipe)" if path.exists()
                          else f"{path}: no such file")
    if not isinstance(layout, str) or layout not in _LAYOUTS:
        raise ParameterError(f"layout must be one of {_LAYOUTS}, not {layout!r}")
    if suffix == ".json":
        return _load_json(path)
    if suffix == ".npz":
        return _load_npz(path, layout, order)
    if suffix in _FORMATS:
        return _FORMATS[suffix][0](path, layout, logits)
    return _load_safetensors(path, layout, order)


def save(net: Network, path: str | os.PathLike) -> None:
    """Write ``net`` atomically as ``.json`` (exact), ``.npz``, ``.safetensors`` (float64, PyTorch keys) or
    ``.onnx`` (float64 ``Gemm`` + ``Relu``).

    The binary formats hold float64 and refuse (before touching ``path``) any parameter that is not
    exactly a float64; JSON is always exact.
    """
    if not isinstance(net, Network):
        raise ParameterError(f"save: expected a Network, got {type(net).__name__}")
    path = _path(path, "save")
    if path.is_dir():
        raise FormatError(f"{path}: is a directory; give a file name to write")
    try:
        _save(net, path, path.suffix.lower())
    except ParameterError as e:  # a parameter or size the format cannot hold: name the file too
        raise type(e)(f"{path}: {e}") from None


def _save(net: Network, path: Path, suffix: str) -> None:
    if suffix != ".npz":  # .npz keeps no metadata; the others store the assumptions, which must read back
        checked_for_writing(net)
    if suffix == ".json":
        _check_readable_json(net)
        text = json.dumps(network_to_json(net, MAX_JSON_BYTES), indent=1) + "\n"
        if len(text) > MAX_JSON_BYTES:  # len counts characters: the text is ASCII
            raise FormatError(f"the network takes {len(text)} bytes as JSON, more than the {MAX_JSON_BYTES} "
                              f"semialg reads back; save it as .npz or .safetensors (float64) instead")
        _write_text(path, text)
    elif suffix == ".npz":
        arrays = _float64_arrays(net, torch_keys=False)

        def write(tmp):
            with open(tmp, "wb") as fh:
                np.savez(fh, **arrays)
        atomic_write(path, write)
    elif suffix == ".safetensors":
        try:
            from safetensors.numpy import save_file
        except ImportError:
            raise FormatError("writing .safetensors needs the 'io' extra") from None
        arrays = _float64_arrays(net, torch_keys=True)
        metadata = {"activation": "relu"}
        if net.assumptions:  # declaring ReLU must not erase what was only assumed
            metadata["assumptions"] = json.dumps(list(net.assumptions))
        atomic_write(path, lambda tmp: save_file(arrays, tmp, metadata=metadata))
    elif suffix in _FORMATS:
        atomic_write(path, lambda tmp: _FORMATS[suffix][1](net, tmp))
    else:
        raise FormatError(f"unknown file type {suffix!r}; expected one of {', '.join(SUFFIXES)}")


def write_json(obj, path: str | os.PathLike) -> None:
    """Write any JSON-serialisable result atomically (used by the CLI's ``--json FILE``)."""
    _write_text(path, json.dumps(obj, indent=1, sort_keys=False) + "\n")


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write text atomically (LaTeX output and the like)."""
    _write_text(path, text)
