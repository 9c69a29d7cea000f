"""The closed case-(a) type conditions are part of genericity: a parameter reported generic has the fibre of its
type, D - functional dimension included (the regime-T boundary min h = 0 found by the audit)."""

import pytest

import semialg as sa
from semialg import Network
from semialg.core.exact import to_fmpq
from semialg.families.bottleneck.genericity import CLOSED_TYPE_CONDITIONS

ROWS = [[0, 1], [0, "2/5"], [0, "9/4"], ["7/5", "7/5"]]
BIASES = [-1, 0, "-9/8", "14/5"]


def _regime_t(e):
    return Network.from_arrays([ROWS, [[3, 10, "8/9", "5/7"]], [[-1], [1]]], [BIASES, [e], [-3, -1]])


def _h(x, y, e):
    """The bottleneck pre-activation, evaluated independently of the package."""
    w = [[to_fmpq(a) for a in r] for r in ROWS]
    b = [to_fmpq(a) for a in BIASES]
    v = [to_fmpq(a) for a in (3, 10, "8/9", "5/7")]
    return sum(vi * max(0, wi[0] * x + wi[1] * y + bi) for vi, wi, bi in zip(v, w, b, strict=True)) + e


def test_minimum_zero_in_regime_t_is_degenerate():
    # h >= 0 and h vanishes on the wedge {y <= 0, x + y <= -2}: independent exact evaluation.
    assert all(_h(x, y, 0) == 0 for x, y in [(-3, 0), (-5, -1), (-10, -3)])
    assert all(_h(x, y, 0) >= 0 for x in range(-6, 7) for y in range(-6, 7))
    net = _regime_t(0)
    report = sa.genericity(net)
    assert report.status == "degenerate"
    assert "min h > 0 (regime T)" in [c.name for c in report.failed]
    assert report.verify(net)
    # The reason it matters: the fibre is 6-dimensional there, D - functional dimension is 5.
    D = net.architecture.num_parameters
    assert sa.fibre(net).local_dimension() == D - sa.functional_dimension(net).value + 1


def test_positive_minimum_in_regime_t_stays_generic():
    net = _regime_t(1)
    report = sa.genericity(net)
    assert report.status == "generic", report.explain()
    assert {c.name for c in report.conditions} >= {"min h > 0 (regime T)", "no vertex on {h = 0}"}
    D = net.architecture.num_parameters
    assert sa.fibre(net).local_dimension() == D - sa.functional_dimension(net).value


def test_closed_type_conditions_beyond_the_cell_limit_are_undecided():
    net = Network.random((3, 12, 1, 1), seed=0)
    report = sa.genericity(net)
    undecided = [c for c in report.conditions if c.holds is None]
    assert report.status in ("undecided", "degenerate") and not bool(report)
    assert [c.name for c in undecided] == ["closed type conditions"]
    assert all(name in undecided[0].detail for name in CLOSED_TYPE_CONDITIONS)


@pytest.mark.parametrize("seed", range(6))
def test_forged_closed_condition_is_refused(seed):
    net = Network.random((2, 3, 1, 1), seed=seed)
    report = sa.genericity(net)
    import dataclasses
    flipped = tuple(dataclasses.replace(c, holds=not c.holds) if c.name == "no vertex on {h = 0}" else c
                    for c in report.conditions)
    with pytest.raises(sa.CertificateError):
        dataclasses.replace(report, conditions=flipped).verify(net)


def _f(net, p):
    """Exact evaluation with Fractions, independent of the package's evaluator."""
    from fractions import Fraction as Q
    a = [max(Q(0), sum(Q(str(w)) * x for w, x in zip(r, p)) + Q(str(b)))
         for r, b in zip(net.weights[0], net.biases[0])]
    h = sum(Q(str(v)) * ai for v, ai in zip(net.weights[1][0], a)) + Q(str(net.biases[1][0]))
    return [Q(str(c[0])) * max(Q(0), h) + Q(str(d)) for c, d in zip(net.weights[2], net.biases[2])]


def test_parallel_rows_in_the_plane_are_degenerate():
    """n0 = 2, rows parallel, a U- neuron: it cannot tilt off the common direction (a tilt changes f), so the fibre
    is smaller than D - fdim; the rank condition now covers n0 = 2 (found by the audit)."""
    from fractions import Fraction as Q
    x = Network.from_arrays([[["-1/5", "-1/5"], ["-9/8", "-9/8"]], [[5, "-16/9"]], [[1]]], [["-4/5", "9/16"], [7], [-9]])
    tilted = Network.from_arrays([[["-1/5", "-201/1000"], ["-9/8", "-9/8"]], [[5, "-16/9"]], [[1]]],
                                 [["-4/5", "9/16"], [7], [-9]])
    assert _f(x, (Q(790, 3), Q(-799, 3))) != _f(tilted, (Q(790, 3), Q(-799, 3)))
    report = sa.genericity(x)
    assert "full first-layer rank" in [c.name for c in report.failed]
    D = x.architecture.num_parameters
    assert sa.fibre_dimension(x) == D - sa.functional_dimension(x).value - 1   # the tilt the Jacobian misses


def test_hidden_rows_in_a_lower_dimensional_cone_are_degenerate():
    """P-bar recedes along (0, 1) and (0, -1) (h's slope along (0, 1) cancels), so a U- row cannot tilt off
    (1, 0): the fibre has dimension 7, D - fdim is 8 (found by the audit)."""
    from fractions import Fraction as Q

    def net(row):
        return Network.from_arrays([[[0, 1], [1, 0], [1, "3/2"], row], [[-6, -9, 4, -1]], [[1], [-1]]],
                                   [[-2, "-1/3", "1/2", "-62/5"], [2], [1, 2]])
    x = net([3, 0])
    for eps, p in (("1/1000", (Q(1), Q(10 ** 5))), ("-1/1000", (Q(0), Q(-10 ** 5)))):
        assert _f(x, p) != _f(net([3, eps]), p)
    report = sa.genericity(x)
    assert [c.name for c in report.failed] == ["hidden rows free (C* full-dimensional)"]
    assert report.verify(x)
    assert sa.fibre(x).dimension == 7
