"""Bad or extreme arguments found by audit 72: huge widths for the degeneracy loci, LaTeX of counts beyond len(),
decimals of million-digit rationals, networks without a hidden layer, wrong-typed API arguments and budgets, and
the shallow stabilizer in words. Each ends in an answer or in one clear line, never a traceback or a hang."""

from __future__ import annotations

import random
import time
from decimal import Decimal
from fractions import Fraction

import pytest
from flint import fmpq

import semialg as sa
from semialg.core.exact import decimal_str
from semialg.engine.loci import MAX_SUBSET_WIDTH
from semialg.errors import ArchitectureError, MAX_SECONDS, ParameterError, check_budget
from semialg.ui.cli import main
from semialg.ui.runner import budget_seconds

HUGE = "99999999999999999999"


def _run(capsys, *argv):
    try:
        code = main([str(a) for a in argv])
    except SystemExit as e:  # argparse refuses before any command runs
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


def _one_error_line(code, out, err) -> bool:
    return code == 2 and out == "" and len(err.splitlines()) == 1 and "Traceback" not in err


# -- 1, 2: degeneracy loci ---------------------------------------------------------------------------------

@pytest.mark.parametrize("widths", [(1, 10 ** 20, 1), (1, 10 ** 13, 1), (2, 1, 10 ** 20, 1), (2, 1, 10 ** 8, 1)])
def test_loci_of_a_width_whose_subsets_cannot_be_counted_are_refused_at_once(widths):
    started = time.monotonic()
    with pytest.raises(ArchitectureError, match=f"hidden layer {1 if widths[1] > 1 else 2} .*{MAX_SUBSET_WIDTH}"):
        sa.degeneracy_loci(sa.Architecture(*widths))
    assert time.monotonic() - started < 5


def test_loci_command_of_a_huge_width_is_one_line(capsys):
    code, out, err = _run(capsys, "loci", f"1,{HUGE},1")
    assert _one_error_line(code, out, err) and "hidden layer 1" in err


def test_loci_of_a_wide_layer_below_the_limit_are_counted():
    Z = sa.degeneracy_loci(sa.Architecture(1, 100_000, 1))
    assert Z.family("zero_factor").count == 2 ** 100_000 - 1


@pytest.mark.parametrize("width, count", [(64, "18446744073709551615"), (100, r"\approx 2^{99}")])
def test_loci_latex_document_of_counts_beyond_len(capsys, tmp_path, width, count):
    code, out, err = _run(capsys, "loci", f"2,{width},1", "--latex", tmp_path / "l.tex", "--quiet")
    assert code == 0 and err == ""
    assert f"({count}\\text{{ components}})" in (tmp_path / "l.tex").read_text()


# -- 3: decimals ---------------------------------------------------------------------------------------------

def _oracle(x: Fraction, d: int) -> str:
    """Correct rounding (half to even) with Fractions, formatted as decimal_str promises."""
    if x == 0:
        return "0"
    a = abs(x)
    e = len(str(a.numerator)) - len(str(a.denominator))
    while Fraction(10) ** e > a:
        e -= 1
    while Fraction(10) ** (e + 1) <= a:
        e += 1
    N = round(a * Fraction(10) ** (d - 1 - e))
    if N == 10 ** d:
        N, e = 10 ** (d - 1), e + 1
    text = f"{Decimal((int(x < 0), tuple(map(int, str(N))), e - d + 1)):.{d}g}"
    mantissa, _, exponent = text.partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + (f"e{int(exponent):+d}" if exponent else "")


def _random_rational(rng: random.Random, kind: int) -> Fraction:
    if kind == 0:
        return Fraction(rng.randrange(-10 ** 6, 10 ** 6), rng.randrange(1, 10 ** 6))
    if kind == 1:   # exponents far beyond the float range, both ways
        return Fraction(rng.randrange(-10 ** 900, 10 ** 900), rng.randrange(1, 10 ** rng.randrange(1, 900)))
    if kind == 2:   # exact decimals: ties of the rounding
        return Fraction(rng.randrange(-10 ** 5, 10 ** 5), 10 ** rng.randrange(0, 700))
    if kind == 3:   # just below a power of ten: rounding carries into a new decade
        sign = rng.choice([-1, 1])
        return Fraction(sign * (10 ** rng.randrange(1, 12) - rng.randrange(0, 3)), 10 ** rng.randrange(9))
    return Fraction(rng.randrange(1, 10 ** rng.randrange(1, 1500)), rng.randrange(1, 10 ** rng.randrange(1, 1500)))


def test_decimal_str_is_correctly_rounded_for_huge_and_small_rationals():
    rng = random.Random(72)
    for trial in range(1500):
        x = _random_rational(rng, trial % 5)
        d = rng.choice([1, 2, 3, 6, 10, 17, 30])
        assert decimal_str(fmpq(x.numerator, x.denominator), d) == _oracle(x, d), (x, d)


def test_decimal_str_of_a_million_digit_rational_is_quick():
    x = fmpq(3 ** 2_000_000 + 1, 7 ** 1_000_000 + 3)      # about 950,000 and 845,000 digits
    started = time.monotonic()
    assert decimal_str(x) == "2.9473e+109144" and decimal_str(1 / x) == "3.39293e-109145"
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("digits", [0, -1, 1.5, True, "6"])
def test_decimal_str_refuses_bad_digits(digits):
    with pytest.raises(ParameterError, match="digits"):
        decimal_str(fmpq(1, 3), digits)


# -- 4: no hidden layer ------------------------------------------------------------------------------------

@pytest.fixture
def affine():
    return sa.Network.from_arrays([[[1, 2]]], [[3]])


def test_an_affine_network_is_answered(affine):
    assert sa.count_conservation_laws(affine).laws == 0
    assert sa.local_dimension_bounds(affine) == (0, 0)      # f = Wx + b determines W and b: the fibre is a point
    S = sa.stabilizer(affine)
    assert S.is_trivial and S.order_of_finite_part == 1 and S.dimension == 0
    assert len(sa.regions(affine)) == 1


@pytest.mark.parametrize("argv", [["stabilizer"], ["conserved"], ["dim", "--fibre"], ["regions", "--plot", "x.png"]])
def test_an_affine_network_on_the_command_line(capsys, tmp_path, affine, argv):
    pytest.importorskip("matplotlib") if "--plot" in argv else None
    sa.save(affine, tmp_path / "lin.json")
    argv = [tmp_path / a if a.endswith(".png") else a for a in argv]
    code, out, err = _run(capsys, argv[0], tmp_path / "lin.json", *argv[1:])
    assert code == 0 and "Traceback" not in err and out


# -- 5: wrong-typed arguments and huge budgets ---------------------------------------------------------------

@pytest.mark.parametrize("model, hint", [(None, "ModelProto"), ("model.onnx", "sa.load")])
def test_from_onnx_of_something_else_is_a_type_error(model, hint):
    with pytest.raises(TypeError, match=hint):
        sa.from_onnx(model)


@pytest.fixture
def three():
    return sa.Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]])


@pytest.mark.parametrize("name", ["identifiable", "regions", "fibre", "hidden_symmetries", "shallow_representation",
                                  "count_conservation_laws", "local_dimension_bounds"])
def test_a_budget_beyond_the_float_range_is_no_limit(three, name):
    getattr(sa, name)(three, budget=10 ** 400)


def test_check_budget_caps_seconds_and_quotes_huge_values_briefly():
    assert check_budget(10 ** 400, seconds=True) == check_budget(1e300, seconds=True) == MAX_SECONDS
    with pytest.raises(ParameterError, match="about 5001 digits"):
        check_budget(-10 ** 5000)


@pytest.mark.parametrize("call", [lambda n: sa.regions(n, domain="x"),
                                  lambda n: sa.functional_dimension(n, domain=1)])
def test_a_domain_of_the_wrong_type_is_refused(three, call):
    with pytest.raises(ParameterError, match="domain must be a Polytope"):
        call(three)


# -- 6: the shallow stabilizer in words, budgets of seconds on the command line -----------------------------

def test_the_shallow_stabilizer_is_described_in_a_sentence():
    S = sa.stabilizer(sa.Network.from_arrays([[[1], [2], [0]], [[2, 1, 0]]], [[1, 2, 0], [0]]))
    assert S.describe() == ("the stabilizer of the parameter in G has a finite part of order 2 (neurons [1, 2] are "
                            "one neuron up to positive scaling; neurons [3] are zero (any order, any scales)) "
                            "and dimension 1")


def test_the_stabilizer_command_of_a_shallow_network_says_it_in_words(capsys, tmp_path, three):
    sa.save(three, tmp_path / "a.json")
    code, out, err = _run(capsys, "stabilizer", tmp_path / "a.json")
    assert code == 0 and out.strip() == "the stabilizer of the parameter in G is trivial"


def test_budgets_of_seconds_may_be_decimals():
    assert budget_seconds("1.5") == 1.5 and budget_seconds("1e9") == MAX_SECONDS and budget_seconds("60") == 60
    assert budget_seconds("9" * 5001) == MAX_SECONDS


@pytest.mark.parametrize("budget", ["1.5", "1e9"])
def test_a_decimal_budget_on_the_command_line(capsys, tmp_path, three, budget):
    sa.save(three, tmp_path / "a.json")
    code, out, err = _run(capsys, "regions", tmp_path / "a.json", "--budget", budget, "--quiet")
    assert code == 0 and err == ""


@pytest.mark.parametrize("argv", [["loci", "2,3,1", "--budget", "-" + "9" * 5001],
                                  ["loci", "2,3,1", "--budget", "nan"],
                                  ["loci", "2,3,1", "--members", "9" * 5001],
                                  ["loci", "2,3,1", "--digits", "9" * 4000]])
def test_a_refused_huge_number_is_not_echoed(capsys, argv):
    code, out, err = _run(capsys, *argv)
    assert _one_error_line(code, out, err) and len(err) < 300
