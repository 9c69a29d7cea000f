"""Bounded checks of the headers of weight containers (zip/.npz, .npy, safetensors), made before a library parses
them or any arithmetic runs on what they declare.

A hostile header can declare what costs far more than the file: a zip central directory of millions of entries
(``zipfile`` builds an object for each before the caller can count them), a shape of 1,500 dimensions of 4,000
digits each (their product alone takes minutes), a dimension too long for Python to print in an error message.
Every check here costs at most a constant number of small reads plus a pass over the declared shape, and every
message names the file and the member or tensor without formatting a declared number that may be huge.
"""

from __future__ import annotations

import math
import struct
from pathlib import Path

import numpy as np

from semialg.errors import FormatError, ShapeError

__all__ = ["zip_directory", "check_zip_directory", "check_shape", "check_npy_dtype", "DIRECTORY_ENTRY_BYTES",
           "MAX_DIMENSIONS"]

#: The most dimensions an array of a weight file has: a weight matrix has 2, a bias 1, a BatchNorm counter 0.
MAX_DIMENSIONS = 2
#: The central directory bytes allowed per declared zip member (46 fixed bytes plus name, extra field and
#: comment): .npz members are named like ``W1.npy`` or ``fc1.weight.npy``, so 512 is generous, and it keeps a
#: directory lying about its entry count from costing more than about 11,000 entries per 100 declared.
DIRECTORY_ENTRY_BYTES = 512

_EOCD = struct.Struct("<4s4H2LH")             # end of central directory record, 22 bytes
_ZIP64_LOCATOR = struct.Struct("<4sLQL")      # 20 bytes, just before the EOCD record
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")     # 56 bytes, just before the locator (where zipfile looks)
_MAX_COMMENT = 65535


def zip_directory(path: Path) -> tuple[int, int]:
    """The (entry count, central directory size in bytes) a zip archive declares, read from its last 64 KiB
    the way :mod:`zipfile` finds them (the ZIP64 record when present), so that the numbers checked are the ones
    ``zipfile.ZipFile`` then acts on. The larger of the two counts the record gives (this disk, all disks) is
    returned."""
    with open(path, "rb") as fh:
        size = fh.seek(0, 2)
        tail_start = max(size - _MAX_COMMENT - _EOCD.size, 0)
        fh.seek(tail_start)
        tail = fh.read()
        # zipfile first tries an archive without comment, then the last signature in the tail
        at = len(tail) - _EOCD.size if tail[-_EOCD.size:-_EOCD.size + 4] == b"PK\x05\x06" \
            else tail.rfind(b"PK\x05\x06")
        if at < 0 or at + _EOCD.size > len(tail):
            raise FormatError(f"{path}: unreadable or truncated .npz (no zip end of central directory record)")
        _, _, _, here, total, cd_size, _, _ = _EOCD.unpack_from(tail, at)
        zip64 = _zip64_record(fh, tail_start + at)
    if zip64 is not None:  # then the EOCD record's fields are 0xFFFF sentinels, which zipfile ignores
        here, total, cd_size = zip64
    return max(here, total), cd_size


def _zip64_record(fh, eocd_at: int) -> tuple[int, int, int] | None:
    """(entries on this disk, entries in all, directory size) of the ZIP64 record before the EOCD record at
    ``eocd_at``, or None when there is none (zipfile then uses the EOCD record)."""
    start = eocd_at - _ZIP64_LOCATOR.size - _ZIP64_EOCD.size
    if start < 0:
        return None
    fh.seek(start)
    data = fh.read(_ZIP64_EOCD.size + _ZIP64_LOCATOR.size)
    if data[_ZIP64_EOCD.size:_ZIP64_EOCD.size + 4] != b"PK\x06\x07" or data[:4] != b"PK\x06\x06":
        return None
    fields = _ZIP64_EOCD.unpack_from(data)
    return fields[6], fields[7], fields[8]


def check_zip_directory(path: Path, max_members: int) -> None:
    """Refuse an archive declaring more than ``max_members`` entries, or a central directory longer than
    ``DIRECTORY_ENTRY_BYTES`` per declared entry (``zipfile`` reads the directory by its size, not its count,
    so a small count with a huge directory would otherwise pass), before ``zipfile`` reads the directory."""
    count, cd_size = zip_directory(path)
    if count > max_members:
        raise FormatError(f"{path}: {count} members, more than the limit of {max_members}")
    if cd_size > count * DIRECTORY_ENTRY_BYTES:
        raise FormatError(f"{path}: a zip central directory of {cd_size} bytes for {count} members (at most "
                          f"{DIRECTORY_ENTRY_BYTES} bytes per member are read)")


def check_shape(shape, bound: int, where: str) -> int:
    """The number of elements of ``shape`` (a list or tuple of dimensions), refused (naming ``where``) unless it
    has at most ``MAX_DIMENSIONS`` dimensions, each an int from 0 to ``bound``. The checks come before any
    arithmetic, and messages never print a declared dimension above ``bound``: multiplying thousands of
    thousand-digit numbers takes minutes, and Python refuses to print an integer of more than 4300 digits."""
    if not isinstance(shape, (list, tuple)):
        raise FormatError(f"{where}: shape {_shown(shape, bound)} is not a list of non-negative integers")
    if len(shape) > MAX_DIMENSIONS:
        raise ShapeError(f"{where}: shape of {len(shape)} dimensions; semialg reads arrays of at most "
                         f"{MAX_DIMENSIONS} (weights 2-D, biases 1-D)")
    if any(type(d) is not int or d < 0 for d in shape):
        raise FormatError(f"{where}: shape {_shown(shape, bound)} is not a list of non-negative integers")
    if any(d > bound for d in shape):
        raise FormatError(f"{where}: the shape has a dimension above {bound}, the limit of docs/formats.md")
    return math.prod(shape)


def _shown(value, bound: int) -> str:
    """``value`` as written (cut to 60 characters) when that is cheap and possible, else a description: an
    integer beyond ``bound`` may be too long for Python to print, and a nested list may hide one."""
    items = value if isinstance(value, (list, tuple)) else [value]
    if not all(isinstance(v, (float, str, bool, type(None))) or (type(v) is int and abs(v) <= bound)
               for v in items):
        return f"(with an entry that is a list, an object or an integer beyond {bound})"
    return f"{value!r:.60}"


def check_npy_dtype(dtype: np.dtype, where: str) -> None:
    """Refuse an ``.npy`` dtype that is not one plain value per element: Python objects (a pickle), structured
    records, sub-arrays (``('<f8', (2,))`` stores several values per element, so the data would not reshape to
    the declared shape) and zero-byte elements (any shape would match zero stored bytes)."""
    if dtype.hasobject:
        raise FormatError(f"{where} holds pickled Python objects, which semialg never loads")
    if dtype.fields is not None or dtype.subdtype is not None:
        raise FormatError(f"{where} has a structured or sub-array dtype; only plain numeric arrays are read")
    if dtype.itemsize == 0:
        raise FormatError(f"{where} has a dtype of zero-byte elements; only plain numeric arrays are read")
