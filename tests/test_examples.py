"""Every script in examples/ runs and checks its own claims."""

import importlib.util
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def load(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_trained_sklearn_example():
    pytest.importorskip("sklearn")
    rows = load("trained_sklearn").main()
    assert len(rows) == 5 and all(r["status"] in ("generic", "degenerate", "undecided") for r in rows)
    assert all(r["functional_dimension"] <= r["generic_dim"] for r in rows)
    assert rows[-1]["functional_dimension"] == rows[-2]["functional_dimension"]
