"""Every script in examples/ runs and checks its own claims."""

import pytest

from conftest import load_script


def load(name):
    return load_script("examples", name)


def test_trained_sklearn_example():
    pytest.importorskip("sklearn")
    rows = load("trained_sklearn").main()
    assert len(rows) == 5 and all(r["status"] in ("generic", "degenerate", "undecided",
                                                   "no degeneracy among the necessary conditions") for r in rows)
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


class _Printer:
    def __init__(self):
        self.out = ""

    def text(self, s):
        self.out += s


def test_notebook_example_runs_and_every_result_renders_briefly():
    """Execute the notebook's code cells in order, displaying each cell's value as Jupyter would."""
    import ast
    import json
    pytest.importorskip("sklearn")
    from conftest import ROOT
    nb = json.loads((ROOT / "examples" / "trained_sklearn_notebook.ipynb").read_text())
    namespace: dict = {}
    shown = 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, "notebook", "exec"), namespace)
        if last is None:
            continue
        value = eval(compile(ast.Expression(last.value), "notebook", "eval"), namespace)
        if hasattr(value, "_repr_pretty_"):
            p = _Printer()
            value._repr_pretty_(p, False)
            html, latex = value._repr_html_(), value._repr_latex_()
            assert (html is None) != (latex is None)
            assert len(p.out) <= 5400 and len(html or latex) <= 60_000
            shown += 1
    assert shown >= 4
