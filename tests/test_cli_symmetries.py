"""``semialg symmetries``: the mechanisms beyond G at a parameter of any depth, complete or undecided with what
was found; each listed free row checked by exact evaluation."""

import json
import random
import shutil
import subprocess
from fractions import Fraction

import pytest

from semialg import Network, save
from semialg.ui.cli import main

OFF_AND_SILENT = Network.from_arrays([[[1], [-1]], [[1, 0], [-1, -1]], [[1, 1]]], [[0, 0], [1, -1], [0]])


def run(capsys, *argv):
    code = main(list(argv))
    return code, capsys.readouterr().out


def with_row(net: Network, layer: int, i: int, row, bias) -> Network:
    Ws = [[list(r) for r in W] for W in net.weights]
    bs = [list(b) for b in net.biases]
    Ws[layer - 1][i], bs[layer - 1][i] = row, bias
    return Network.from_arrays(Ws, bs)


def same_function(a: Network, b: Network, rng: random.Random, count: int = 40) -> bool:
    X = [[Fraction(rng.randint(-10 ** 4, 10 ** 4), rng.randint(1, 97)) for _ in range(a.widths[0])]
         for _ in range(count)]
    return a.evaluate(X) == b.evaluate(X)


def test_listed_mechanisms_with_free_rows_checked(capsys, tmp_path):
    save(OFF_AND_SILENT, tmp_path / "n.json")
    code, out = run(capsys, "symmetries", str(tmp_path / "n.json"), "--json")
    data = json.loads(out)
    assert code == 0 and data["complete"] is True and data["undecided"] is None
    found = {m["name"]: m for m in data["mechanisms"]}
    assert set(found) == {"silent_neuron", "off_neuron", "always_active"}
    rng = random.Random(0)
    for name in ("silent_neuron", "off_neuron"):      # a free row: any rationals keep f (off: kept in its cone)
        m = found[name]
        layer, (i,) = m["layer"], m["neurons"]
        width = OFF_AND_SILENT.widths[layer - 1]
        for _ in range(5):
            row = [Fraction(-rng.randint(0, 9), rng.randint(1, 9)) for _ in range(width)]
            moved = with_row(OFF_AND_SILENT, layer, i, row, Fraction(-rng.randint(1, 9), rng.randint(1, 9)))
            assert same_function(OFF_AND_SILENT, moved, rng)
        if name == "silent_neuron":                    # any row at all
            moved = with_row(OFF_AND_SILENT, layer, i, [Fraction(rng.randint(1, 9))] * width, Fraction(3))
            assert same_function(OFF_AND_SILENT, moved, rng)
    code, text = run(capsys, "symmetries", str(tmp_path / "n.json"))
    assert "3 mechanism(s) beyond G" in text and "neuron 2 of layer 1" in text and "[layer 1, neurons [2]" in text


def test_no_mechanism_and_undecided(capsys, tmp_path):
    save(Network.random((2, 3, 1), seed=3), tmp_path / "shallow.json")
    code, out = run(capsys, "symmetries", str(tmp_path / "shallow.json"))
    assert code == 0 and out.startswith("no mechanism beyond G at this 2-3-1 parameter (the search was complete")
    wide = Network.random((6, 20, 4, 1), seed=3)
    dead = with_row(wide.replace_layer(2, weight=[[0] + list(r)[1:] for r in wide.weights[1]]), 1, 0,
                    list(wide.weights[0][0]), wide.biases[0][0])           # neuron 1 of layer 1 reaches nothing
    save(dead, tmp_path / "wide.json")
    code, out = run(capsys, "symmetries", str(tmp_path / "wide.json"), "--budget", "20", "--json")
    data = json.loads(out)
    assert code == 1 and data["complete"] is False and "not searched" in data["undecided"]
    listed = {(m["name"], m["layer"], tuple(m["neurons"])) for m in data["mechanisms"]}
    assert ("dead_output", 1, (0,)) in listed, listed
    rng = random.Random(1)
    moved = with_row(dead, 1, 0, [Fraction(rng.randint(-9, 9), 7) for _ in range(6)], Fraction(2))
    assert same_function(dead, moved, rng)                 # the listed row is free indeed
    code, text = run(capsys, "symmetries", str(tmp_path / "wide.json"), "--budget", "20")
    assert code == 1 and "the search was not complete; each one listed is present" in text


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_latex_compiles(capsys, tmp_path):
    save(OFF_AND_SILENT, tmp_path / "n.json")
    code, _ = run(capsys, "symmetries", str(tmp_path / "n.json"), "--latex", str(tmp_path / "s.tex"))
    assert code == 0 and "silent" in (tmp_path / "s.tex").read_text()
    proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "s.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:]


def test_alike_mechanisms_are_grouped_in_the_text_not_in_the_data(capsys, tmp_path):
    net = Network.random((2, 8, 3, 1), seed=2)
    for i in (1, 3, 5, 7):                                   # four pruned neurons of layer 1
        net = with_row(net, 1, i, [0, 0], 0).replace_layer(
            2, weight=[[0 if j == i else v for j, v in enumerate(r)] for r in net.weights[1]])
    save(net, tmp_path / "p.json")
    code, out = run(capsys, "symmetries", str(tmp_path / "p.json"), "--json")
    pruned = [m for m in json.loads(out)["mechanisms"] if m["layer"] == 1]
    assert sorted(i for m in pruned for i in m["neurons"]) == [1, 3, 5, 7]
    _, text = run(capsys, "symmetries", str(tmp_path / "p.json"))
    line = next(t for t in text.splitlines() if "layer 1, neurons 2, 4, 6, 8" in t)
    assert line.lstrip().startswith(f"{len(pruned)} x ")
