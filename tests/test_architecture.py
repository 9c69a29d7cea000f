"""The layering of the package, checked on its import graph (imports inside functions included).

Layers, bottom to top: ``errors``; ``core``; ``geometry``; ``engine`` together with the family registry
``families.base``; ``families``; ``dispatch``; ``ui``. A module imports only from its own layer or below, and
the graph has no cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import semialg

PACKAGE = Path(semialg.__file__).parent
LAYERS = [("semialg.errors",), ("semialg.core",), ("semialg.geometry",), ("semialg.engine", "semialg.families.base"),
          ("semialg.families",), ("semialg.dispatch",), ("semialg.ui",)]


def _module_name(path: Path) -> str:
    parts = ("semialg",) + path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        deps = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join(parent + ([base] if base else []))
                targets = [f"{base}.{a.name}" for a in node.names]
                deps.update(t if t in modules else base for t in targets)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names)
        graph[name] = {d for d in deps if d in modules and d != name}
    return graph


def _layer(module: str) -> int:
    best, rank = -1, None
    for r, prefixes in enumerate(LAYERS):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and len(p) > best:
                best, rank = len(p), r
    return rank


def test_every_module_has_a_layer():
    assert [m for m in _import_graph() if m != "semialg" and _layer(m) is None] == []


def test_modules_import_only_from_their_layer_or_below():
    graph = _import_graph()
    upward = [(m, d) for m, deps in graph.items() if m != "semialg" for d in deps
              if d != "semialg" and _layer(d) > _layer(m)]
    assert upward == []


def test_no_import_cycle():
    graph = {m: deps - {"semialg"} for m, deps in _import_graph().items() if m != "semialg"}
    state: dict[str, int] = {}

    def visit(m, path):
        state[m] = 1
        for d in graph.get(m, ()):
            assert state.get(d) != 1, "import cycle: " + " -> ".join(path + [m, d])
            if d not in state:
                visit(d, path + [m])
        state[m] = 2

    for m in graph:
        if m not in state:
            visit(m, [])


def test_no_module_over_700_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text().splitlines())) > 700}
    assert long == {}
