"""Memory of reading and writing network JSON (audit D): a small file may not become a large network in
memory through its exponents, and writing never builds the common-denominator form of a matrix."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

import semialg as sa
from semialg.ui.io import EXPONENT_DIGITS_PER_BYTE


def _row_file(path, entries, bias="0"):
    path.write_text(json.dumps({"format": "semialg.network/1", "layers": [
        {"weight": [entries], "bias": [bias]}, {"weight": [["1"]], "bias": ["0"]}]}))
    return path


def test_exponents_beyond_the_digits_per_byte_are_refused_before_reading(tmp_path):
    path = _row_file(tmp_path / "e.json", ["1e4999"] * 300)      # 3 KB spelling 1.5 million digits
    with pytest.raises(sa.FormatError, match="exponents of its numbers add 1499700 digits") as info:
        sa.load(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_exponents_within_the_digits_per_byte_are_read_exactly(tmp_path):
    entries = ["5e-324", "-1.5e-45", "2.5E+3"] * 200             # short decimals of tiny or large numbers
    path = _row_file(tmp_path / "s.json", entries, bias="1e-300")
    assert sum(int(e.lower().split("e")[1].lstrip("+-")) for e in entries) < EXPONENT_DIGITS_PER_BYTE * \
        path.stat().st_size
    net = sa.load(path)
    x = [Fraction(k % 7 - 3, k % 5 + 1) for k in range(len(entries))]
    expected = max(sum(Fraction(e) * t for e, t in zip(entries, x)) + Fraction("1e-300"), 0)
    assert Fraction(str(net(x)[0])) == expected


def test_writing_json_checks_entries_without_the_common_denominator_form(tmp_path):
    """Distinct 7-digit denominators: their common denominator is tens of thousands of digits long, and the
    integer form over it would take thousands of times the file (the audit's 1.4 GB from a 254 KB file)."""
    path = _row_file(tmp_path / "q.json", [f"1/{1000003 + 2 * i}" for i in range(2000)])
    net = sa.load(path)
    sa.save(net, tmp_path / "out.json")
    assert not net.weights[0].has_integer_form
    assert sa.load(tmp_path / "out.json") == net


def test_a_network_too_long_as_json_is_refused_naming_the_file_once(tmp_path, monkeypatch):
    import semialg.ui.io as sio
    monkeypatch.setattr(sio, "MAX_JSON_BYTES", 10_000)
    net = sa.Network.from_arrays([[["1/" + "7" * 300] * 40]], [[0]])  # 12 000 digits: beyond 10 000 bytes
    with pytest.raises(sa.FormatError, match="more than 10000 bytes as JSON") as info:
        sa.save(net, tmp_path / "long.json")
    assert str(info.value).count(str(tmp_path / "long.json")) == 1
    assert not (tmp_path / "long.json").exists()


def test_many_distinct_denominators_stay_within_bounded_memory(tmp_path):
    """20,000 distinct 7-digit denominators in one row: the common denominator has 140,000 digits, and the integer
    form over it 2.8 billion (``equiv A A`` reached 3.1 GB and 24 s, ``regions`` 6.2 GB). Under a 1.5 GB
    address-space limit every question below must still be answered, each checked against its own evaluation."""
    import resource
    import subprocess
    import sys

    path = _row_file(tmp_path / "q.json", [f"1/{1000003 + 2 * i}" for i in range(20000)])
    code = f"""
import semialg as sa
from fractions import Fraction
net = sa.load({str(path)!r})
x = [1] * 20000
expected = sum(Fraction(1, 1000003 + 2 * i) for i in range(20000))
value = net(x)[0]
assert Fraction(int(value.p), int(value.q)) == expected
assert hash(net) == hash(sa.load({str(path)!r}))
r = sa.equivalent(net, net)
assert r.status == "equivalent" and r.verify(net, net)
assert sa.fibre(net).contains(net) and sa.identifiable(net, budget=20).status == "identifiable"
assert len(sa.regions(net)) == 2
print("ok")
"""

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (3 << 29, 3 << 29))

    done = subprocess.run([sys.executable, "-c", code], preexec_fn=limit, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-400:]
