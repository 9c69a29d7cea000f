"""Command-line values at and beyond every bound (audit D): huge budgets, counts and boxes work or end in one
line on stderr with exit 2, never a traceback, a hang or a fork bomb; negative points are values, not options."""

from __future__ import annotations

import json
import os
from fractions import Fraction

import pytest

from semialg import Network, save
from semialg.ui.cli import main
from semialg.ui.survey import MAX_CASES, WORKERS_PER_CORE

HUGE = "99999999999999999999"


def _run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as e:  # argparse refuses before any command runs
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def net_file(tmp_path):
    path = tmp_path / "n.json"
    save(Network.from_arrays([[[1, "-1/2"], [2, 3]], [[1, -1]]], [[0, 1], [0]]), path)
    return str(path)


def _by_hand(x1: Fraction, x2: Fraction) -> Fraction:
    relu = lambda t: max(t, Fraction(0))  # noqa: E731
    return relu(x1 - x2 / 2) - relu(2 * x1 + 3 * x2 + 1)


def test_a_negative_point_is_a_value_not_an_option(capsys, net_file):
    code, out, err = _run(capsys, "eval", net_file, "-1,-1/2", "--json")
    assert code == 0 and err == ""
    assert json.loads(out)["y"] == [str(_by_hand(Fraction(-1), Fraction(-1, 2)))]
    code, out, _ = _run(capsys, "eval", net_file, "-.5,2", "--json")
    assert code == 0 and json.loads(out)["y"] == [str(_by_hand(Fraction(-1, 2), Fraction(2)))]


def test_a_box_beyond_the_float_range_is_exact(capsys, net_file, tmp_path):
    code, out, err = _run(capsys, "regions", net_file, "--box=-1e400,0:1,1", "--json")
    assert code == 0 and err == ""
    regions = json.loads(out)["regions"]
    for r in regions:  # each region's point lies in the box and its affine map is the network's there
        x = [Fraction(v) for v in r["point"]]
        assert -10 ** 400 < x[0] < 1 and 0 < x[1] < 1
        value = sum(Fraction(a) * t for a, t in zip(r["linear"][0], x)) + Fraction(r["offset"][0])
        assert value == _by_hand(*x)
    code, out, err = _run(capsys, "regions", net_file, "--box=-1e400,0:1,1", "--plot", str(tmp_path / "r.png"))
    assert code == 2 and out == "" and err.count("\n") == 1 and "--box" in err and "float" in err
    assert not (tmp_path / "r.png").exists()


@pytest.mark.parametrize("command", ["equiv", "regions", "dim"])
def test_a_huge_wall_clock_budget_means_no_limit(capsys, net_file, command):
    args = [net_file] * (2 if command == "equiv" else 1)
    code, _, err = _run(capsys, command, *args, "--budget", "1" + "0" * 400, "--quiet")
    assert code == 0 and err == ""


def test_loci_spells_out_every_member_when_asked_for_more_than_exist(capsys):
    code, out, err = _run(capsys, "loci", "2,3,1", "--members", HUGE, "--json")
    assert code == 0 and err == ""
    zero = next(f for f in json.loads(out)["families"] if f["name"].startswith("zero"))
    assert len(zero["members"]) == zero["count"] == 2 ** 3 - 1


@pytest.mark.parametrize("argv, named", [
    (["survey", "--arch", "2,2,1", "--samples", HUGE, "--serial"], f"more than the {MAX_CASES} cases"),
    (["survey", "--arch", "2,2,1", "--arch", "2,3,1", "--samples", str(MAX_CASES // 2 + 1), "--serial"], "cases"),
    (["survey", "--arch", "2,2,1", "--samples", "1", "--workers", HUGE], f"{WORKERS_PER_CORE} per core"),
    (["survey", "--arch", "2,2,1", "--samples", "1", "--workers", str(WORKERS_PER_CORE * (os.cpu_count() or 1) + 1)],
     "local processes"),
    (["eval", "{net}", "1,1", "--digits", HUGE], "--digits"),
])
def test_a_count_beyond_its_bound_is_one_line_and_exit_2(capsys, tmp_path, net_file, argv, named):
    out_file = tmp_path / "s.json"
    argv = [a.format(net=net_file) for a in argv] + (["--out", str(out_file)] if argv[0] == "survey" else [])
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and named in err
    assert not out_file.exists()
