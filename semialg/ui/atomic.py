"""Atomic writes: a file is either untouched or completely written, even when the writer fails or is interrupted.

The content goes to a temporary file ``.NAME.semialg-PID-XXXX.tmp`` next to the target, which is renamed onto the
target only when complete; leftovers of a killed process (its PID no longer running) are removed by the next write
of the same target.

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "out.txt")
>>> write_text(path, "done"); open(path).read()
'done'
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Callable

__all__ = ["atomic_write", "write_text"]


def atomic_write(path: str | os.PathLike, write: Callable[[str], None]) -> None:
    """Call ``write(tmp_path)`` and rename the temporary file onto ``path``; on any failure or interrupt remove it.

    The destination is either untouched or completely written. Temporary files are named
    ``.NAME.semialg-PID-XXXX.tmp`` next to the target; leftovers of a killed process (its PID no longer
    running) are removed by the next write of the same target.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    _remove_leftovers(directory, path.name)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.semialg-{os.getpid()}-", suffix=".tmp", dir=directory)
    except OSError as e:  # name the target, not the temporary file that could not be created
        raise OSError(e.errno, e.strerror, str(path)) from None
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the file the usual permissions
        try:
            os.replace(tmp, path)
        except OSError as e:  # name the target, not the temporary file
            raise OSError(e.errno, e.strerror, str(path)) from None
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _remove_leftovers(directory: Path, name: str) -> None:
    """Remove temporary files of earlier writes of ``name`` whose process is gone."""
    prefix = f".{name}.semialg-"
    try:
        entries = [e for e in os.listdir(directory) if e.startswith(prefix) and e.endswith(".tmp")]
    except OSError:
        return
    for entry in entries:
        pid = entry[len(prefix):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                os.unlink(directory / entry)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: it exists
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path, text: str) -> None:
    """Write ``text`` (UTF-8) atomically and flush it to disk."""
    def write(tmp):
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    atomic_write(path, write)
