"""The text of the sources as written: LaTeX in docstrings survives Python's escapes.

In a string that is not raw, ``\\text`` starts with a tab, ``\\frac`` with a form feed, ``\\binom`` with a
backspace and ``\\rceil`` with a carriage return; such docstrings render as "ext{bits}" or lose their line
(found in twelve docstrings, and in files that held the control characters themselves). Every string constant of
the package and the benchmarks is free of them, and no source compiles with an invalid escape sequence."""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path

import semialg

ROOT = Path(semialg.__file__).parent.parent
SOURCES = sorted([*ROOT.joinpath("semialg").rglob("*.py"), *ROOT.joinpath("benchmarks").glob("*.py")])
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def test_no_string_holds_a_control_character():
    found = [f"{p.relative_to(ROOT)}:{node.lineno}: {node.value[max(0, m.start() - 20):m.start() + 10]!r}"
             for p in SOURCES for node in ast.walk(ast.parse(p.read_bytes().decode()))
             if isinstance(node, ast.Constant) and isinstance(node.value, str)
             and (m := CONTROL.search(node.value))]
    assert found == []


def test_no_source_has_a_control_character_or_an_invalid_escape():
    for p in SOURCES:
        text = p.read_bytes().decode()
        assert not CONTROL.search(text.replace("\n", "")), p
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            compile(text, str(p), "exec")
