import json
from fractions import Fraction
import subprocess
import sys

import pytest

from semialg import Network, load, save
from semialg.ui.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_demo_runs_without_files(capsys, tmp_path):
    code, out, err = run(capsys, "demo", "--latex", str(tmp_path / "demo.tex"))
    assert code == 0 and "agree exactly" in out and "True" in out
    tex = (tmp_path / "demo.tex").read_text()
    assert tex.startswith("\\documentclass") and tex.rstrip().endswith("\\end{document}")


def test_demo_json(capsys):
    code, out, _ = run(capsys, "demo", "--json")
    data = json.loads(out)
    assert code == 0 and data["group_action"]["agree"] is True


def test_eval_and_convert(capsys, tmp_path):
    net = Network.from_arrays([[[1, -1], [2, "1/2"]], [[1, 3]]], [[0, -1], ["1/3"]])
    src = tmp_path / "n.json"
    save(net, src)
    code, out, _ = run(capsys, "eval", str(src), "2,-1/2", "--json")
    assert code == 0 and json.loads(out)["y"] == [str(net([2, "-1/2"])[0])]
    code, out, _ = run(capsys, "convert", str(src), str(tmp_path / "n2.json"), "--quiet")
    assert code == 0 and out == "" and load(tmp_path / "n2.json") == net


@pytest.mark.parametrize("argv", [["eval", "missing.json", "1"], ["eval", "{net}", "1,2,3"],
                                  ["eval", "{net}", "1,zz"], ["convert", "{net}", "out.csv"],
                                  ["convert", "{bad}", "out.json"]])
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, argv):
    net = tmp_path / "n.json"
    save(Network.random((2, 2, 1), seed=0), net)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    argv = [a.format(net=net, bad=bad) for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "error" in err and "Traceback" not in err


def test_failed_convert_leaves_output_untouched(capsys, tmp_path):
    out_path = tmp_path / "out.npz"
    save(Network.from_arrays([[[0.5]], [[1.0]]], [[0], [0]]), out_path)
    before = out_path.read_bytes()
    src = tmp_path / "third.json"
    save(Network.from_arrays([[["1/3"]], [[1]]], [[0], [0]]), src)
    code, _, err = run(capsys, "convert", str(src), str(out_path))
    assert code == 2 and "float64" in err and out_path.read_bytes() == before


def test_console_script_entry_point():
    proc = subprocess.run([sys.executable, "-m", "semialg.ui.cli", "demo", "--quiet"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout == ""
    proc = subprocess.run([sys.executable, "-m", "semialg.ui.cli", "frobnicate"], capture_output=True, text=True)
    assert proc.returncode == 2


def test_equiv_exit_codes_and_certificates(capsys, tmp_path):
    from semialg import GroupElement
    net = Network.random((2, 3, 1), seed=3)
    image = GroupElement.random(net.architecture, seed=4).act(net)
    other = Network.random((2, 3, 1), seed=5)
    for name, n in (("a", net), ("b", image), ("c", other)):
        save(n, tmp_path / f"{name}.json")
    code, out, _ = run(capsys, "equiv", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--json")
    data = json.loads(out)
    assert code == 0 and data["equivalent"] and "group_element" in data
    code, out, _ = run(capsys, "equiv", str(tmp_path / "a.json"), str(tmp_path / "c.json"), "--json")
    data = json.loads(out)
    assert code == 1 and not data["equivalent"]
    x = data["point"]
    assert net(x) != other(x) and [str(v) for v in net(x)] == data["values"][0]


def test_canonical_of_a_float_network_at_mnist_width(capsys, tmp_path):
    """784-32-10 float32: the minimal form once held 2^16 half-sums of 7,840 rationals and the process was killed
    for want of memory; the shares of the linear part decide it (every neuron on a kink of its own: width 32)."""
    import numpy as np
    rng = np.random.default_rng(3)
    W1, b1 = rng.normal(size=(32, 784)).astype(np.float32), rng.normal(size=32).astype(np.float32)
    W2, b2 = rng.normal(size=(10, 32)).astype(np.float32), rng.normal(size=10).astype(np.float32)
    save(Network.from_arrays([W1, W2], [b1, b2]), tmp_path / "mnist.json")
    code, out, _ = run(capsys, "canonical", str(tmp_path / "mnist.json"), "--json")
    data = json.loads(out)
    assert code == 0 and len(data["kinks"]) == 32 and data["minimal_width"] == 32


def test_canonical_and_fibre_commands(capsys, tmp_path):
    three = Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    save(three, tmp_path / "t.json")
    code, out, _ = run(capsys, "canonical", str(tmp_path / "t.json"), "--json")
    data = json.loads(out)
    assert code == 0 and len(data["kinks"]) == 3 and data["minimal_width"] == 3
    code, out, _ = run(capsys, "fibre", str(tmp_path / "t.json"), "--json", "--latex", str(tmp_path / "f.tex"))
    data = json.loads(out)
    assert code == 0 and data["num_components"] == 12 and data["flip_sets"] == [[], [0, 1, 2]]
    assert "\\bigcup" in (tmp_path / "f.tex").read_text()
    deep = tmp_path / "deep.json"
    save(Network.random((2, 2, 2, 1), seed=0), deep)
    code, out, err = run(capsys, "canonical", str(deep))
    assert code == 0 and "normal form modulo G" in out


def test_fibre_command_with_an_undecided_dimension(capsys, tmp_path):
    """A case-(a) fibre listed in part (no member generic): the components are counted and the dimension is
    reported undecided with its reason, in text and JSON, not as an error."""
    net = Network.from_arrays([[[-1, -2], [1, 2], [1, -3], [3, 1]], [[3, 1, 2, -1]], [[1]]],
                              [[1, -1, 1, "-3/2"], [-2], [0]])       # C* = {0}, P disconnected, one slot spare
    save(net, tmp_path / "n.json")
    code, out, _ = run(capsys, "fibre", str(tmp_path / "n.json"))
    assert code == 0 and "dimension undecided" in out and "at least 5" in out
    code, out, _ = run(capsys, "fibre", str(tmp_path / "n.json"), "--json")
    data = json.loads(out)
    assert data["num_components"] == 24 and "at least 5" in data["explicit_dimension_undecided"]


def test_bottleneck_commands(capsys, tmp_path):
    net = Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])
    flipped = Network.from_arrays([[[1, 2]], [[1], [-1]], [[4, 3]]], [[-1], [1, 2], [-9]])
    other = Network.from_arrays([[[1, 2]], [[1], [-1]], [[1, 3]]], [[-1], [1, 2], [0]])
    for name, n in (("a", net), ("b", flipped), ("c", other)):
        save(n, tmp_path / f"{name}.json")
    code, out, _ = run(capsys, "equiv", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--json")
    assert code == 0 and json.loads(out)["method"].startswith("bottleneck (b)")
    code, out, _ = run(capsys, "equiv", str(tmp_path / "a.json"), str(tmp_path / "c.json"), "--json")
    data = json.loads(out)
    x = [Fraction(v) for v in data["point"]]
    assert code == 1 and net(x) != other(x)
    code, out, _ = run(capsys, "fibre", str(tmp_path / "a.json"), "--json", "--latex", str(tmp_path / "f.tex"))
    data = json.loads(out)
    assert code == 0 and data["num_components"] == 8 and data["dimension"] == 4
    assert {m["name"] for m in data["moves"]} == {"A-block trade", "kink flips", "H onto / off a kink"}
    assert "\\bigcup" in (tmp_path / "f.tex").read_text()
    code, out, _ = run(capsys, "generic", str(tmp_path / "a.json"), "--json")
    assert code == 0 and any(c["name"] == "no vanishing block slope" for c in json.loads(out)["conditions"])


def test_plot_option_writes_pictures(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    three = Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    deep = Network.random((2, 3, 2, 1), seed=1)
    save(three, tmp_path / "t.json")
    save(deep, tmp_path / "d.json")
    for argv in (["fibre", "t.json"], ["regions", "d.json", "--box=-2,-2:2,2"], ["generic", "t.json"],
                 ["regions", "t.json"]):
        out = tmp_path / (argv[0] + ".png")
        code = main([argv[0], str(tmp_path / argv[1])] + argv[2:] + ["--plot", str(out), "--quiet"])
        assert code in (0, 1) and out.read_bytes().startswith(b"\x89PNG")
    one_d = Network.from_arrays([[[1]], [[1]]], [[0], [0]])
    save(one_d, tmp_path / "o.json")
    code = main(["regions", str(tmp_path / "o.json"), "--plot", str(tmp_path / "o.png")])
    assert code == 2 and "input dimension 2" in capsys.readouterr().err and not (tmp_path / "o.png").exists()


def test_conserved_reports_bottleneck_moves(capsys, tmp_path):
    save(Network.random((1, 1, 2, 1), seed=5), tmp_path / "z.json")     # a dead (Z) second-layer neuron
    code, out, _ = run(capsys, "conserved", str(tmp_path / "z.json"), "--json")
    data = json.loads(out)
    assert code == 0 and data["proven"] and data["laws"] == data["explicit_laws"] == 5
    assert {m["name"]: m["laws"] for m in data["moves"]}["dead neurons"] == 3


def test_ctrl_c_while_importing_is_one_line_and_exit_130():
    """The console script imports the package inside a guard: an interrupt during that (slow) import exits 130
    with one line. Simulated by a module finder that raises KeyboardInterrupt when the CLI is imported."""
    code = ("import sys\n"
            "class Interrupt:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name == 'semialg.ui.cli':\n"
            "            raise KeyboardInterrupt\n"
            "sys.meta_path.insert(0, Interrupt())\n"
            "import semialg_cli\n"
            "sys.exit(semialg_cli.main())\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 130 and proc.stderr.strip().splitlines() == ["semialg: interrupted"]
    proc = subprocess.run([sys.executable, "-c", "import sys, semialg_cli; sys.argv = ['semialg', '--version'];"
                                               " sys.exit(semialg_cli.main())"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("semialg")


def test_fibre_command_of_a_fibre_listed_completely_by_the_free_slot(capsys, tmp_path):
    """Twins on x2 = 2 beside three seen kinks (no member generic): the theorem of the free slot lists the fibre
    completely; the text gives its dimension and the local one, and says the generic formula does not apply."""
    net = Network.from_arrays([[[0, 1, 0], [-1, 3, -2], [3, 1, 2], [-2, 3, 2], [0, -1, 0]], [[1, -2, -3, 2, -2]],
                               [[-1]]], [[-2, -3, -3, 3, 2], [3], [0]])
    save(net, tmp_path / "n.json")
    code, out, _ = run(capsys, "fibre", str(tmp_path / "n.json"))
    assert code == 0 and "dimension 6 (6 at this parameter)" in out and "None" not in out
    assert "no fibre dimension by the formula of generic parameters" in out


def test_bottleneck_fibre_command_when_the_symmetries_of_h_are_predicted_past_the_budget(capsys, tmp_path,
                                                                                           monkeypatch):
    """The shallow symmetries of $h$ predicted past --budget: the command still answers the rest and says which
    moves are undecided (it stopped with the error before)."""
    import importlib
    import numpy as np
    rng = np.random.default_rng(4)
    net = Network.from_arrays([rng.standard_normal((5, 3)).astype(np.float32),
                               np.abs(rng.standard_normal((1, 5))).astype(np.float32),
                               rng.standard_normal((2, 1)).astype(np.float32)],
                              [rng.standard_normal(5).astype(np.float32), np.array([-0.5], dtype=np.float32),
                               np.zeros(2, dtype=np.float32)])
    save(net, tmp_path / "b.json")
    monkeypatch.setattr(importlib.import_module("semialg.families.bottleneck.mechanisms"), "INNER_SECONDS_PER_WEIGHT",
                        100.0)
    code, out, _ = run(capsys, "fibre", str(tmp_path / "b.json"), "--json")
    data = json.loads(out)
    assert "hidden symmetries of h" in data["moves_undecided"] and data["moves"] == []
