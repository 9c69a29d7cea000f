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
