"""Every script in examples/ runs and checks its own claims."""

import pytest

from conftest import load_script


def load(name):
    return load_script("examples", name)


def test_trained_sklearn_example():
    pytest.importorskip("sklearn")
    rows = load("trained_sklearn").main()
    assert len(rows) == 5 and all(r["status"] in ("generic", "degenerate", "undecided") for r in rows)
    assert all(r["functional_dimension"] <= r["generic_dim"] for r in rows)
    assert rows[-1]["functional_dimension"] == rows[-2]["functional_dimension"]
    fib = rows[0]["fibre"]
    assert fib["dimension"] == 8 and fib["components"] % 40320 == 0      # 8! orbits per admissible flip set
    assert fib["tex"].startswith("\\documentclass") and "\\bigcup" in fib["tex"]


def test_hidden_symmetries_example():
    out = load("hidden_symmetries").main()
    assert out["components"] == 12 and "\\bigcup" in out["latex"]


def test_generic_fibre_example():
    out = load("generic_fibre").main()
    assert out == {"components": 24, "seed_statement_components": 12}


def test_functional_dimension_table_example():
    rows = load("functional_dimension_table").main(seeds=range(2))
    assert all(max(r["values"]) <= r["bound"] for r in rows)
