"""The README's set-up commands and quickstart are what CI and users actually run."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)\n```", readme, re.S)
    assert any("semialg demo" in b for b in blocks)
    test_cmd = next(b for b in blocks if "pytest" in b)
    assert test_cmd in (ROOT / ".ci" / "run").read_text()


def test_quickstart_runs(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text()
    code = re.search(r"## Quickstart\n\n```python\n(.*?)\n```", readme, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README quickstart", "exec"), {"print": lambda *a: None})
    assert (tmp_path / "other.json").exists()


def test_quickstart_claims_hold():
    import semialg as sa
    net = sa.Network.from_arrays(weights=[[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], biases=[[0, 0, 0], [0]])
    assert sa.functional_dimension(net).value == 10 and len(sa.regions(net)) == 6
    assert sa.genericity(net).failed[0].witness == (0, 1, 2)
    assert "exact: 10" in (ROOT / "README.md").read_text()
    deep = sa.Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])
    assert sa.combinatorial_type(deep).classes == ("A", "K+")
    assert sa.fibre(deep).num_components == 8 and sa.fibre_dimension(deep) == 4
    assert sa.fibre_dimension(deep) == deep.architecture.num_parameters - sa.functional_dimension(deep).value


def test_api_reference_builds_from_docstrings():
    import importlib.util
    spec = importlib.util.spec_from_file_location("build_api", ROOT / "docs" / "build_api.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    text = mod.render()
    assert "## `equivalent(" in text and "## `genericity(" in text and "## `functional_dimension(" in text


def test_tutorial_bottleneck_section_runs():
    text = (ROOT / "docs" / "tutorial.md").read_text()
    section = text.split("## 7.")[1].split("## 8.")[0]
    code = re.search(r"```python\n(.*?)\n```", section, re.S).group(1)
    namespace = {"print": lambda *a: None}
    exec(compile("import semialg as sa\n" + code, "tutorial section 7", "exec"), namespace)
    # kinks at t = 1, 3: both K+ beyond H (2 placements, the note's components), H on the first kink with an A
    # slot and the other kink K+ or K- (4, also of dimension 4), or a K+/K- pair there (2, dimension 3)
    assert namespace["F"].num_components == 8 and namespace["F"].dimension == 4


def test_tutorial_runs_in_an_empty_directory(tmp_path, monkeypatch):
    """Sections 2-6 of the tutorial, in order: every file they use, they create."""
    import shlex
    from semialg.ui.cli import main
    text = (ROOT / "docs" / "tutorial.md").read_text()
    part = text.split("## 2.")[1].split("## 7.")[0]
    monkeypatch.chdir(tmp_path)
    namespace = {"print": lambda *a: None}
    for lang, code in re.findall(r"```(python|bash)\n(.*?)\n```", part, re.S):
        if lang == "python":
            exec(compile(code, "tutorial", "exec"), namespace)
            continue
        for line in code.splitlines():
            argv = shlex.split(line.split("#")[0])
            assert argv[0] == "semialg" and main(argv[1:]) in (0, 1), line
    assert (tmp_path / "fibre.tex").exists() and (tmp_path / "g.tex").exists()


def test_readme_table_lists_every_subcommand_and_help_has_no_markup(capsys):
    import pytest
    from semialg.ui.cli import COMMANDS, main
    readme = (ROOT / "README.md").read_text()
    assert [c for c in COMMANDS if f"| `semialg {c}" not in readme] == []
    for argv in ([], *([c] for c in COMMANDS)):
        with pytest.raises(SystemExit):
            main([*argv, "--help"])
        out = capsys.readouterr().out
        assert "``" not in out and ":class:" not in out and ":func:" not in out
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("semialg ")
