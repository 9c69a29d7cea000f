"""Exact-certified strict feasibility: the LP path and the exact simplex agree, and every certificate verifies."""

from fractions import Fraction

import pytest
from flint import fmpq
from hypothesis import given, strategies as st

from semialg import CertificateError, Polytope, ShapeError, strictly_feasible
from semialg.geometry.polyhedron import StrictFeasibility

ints = st.integers(-4, 4)


@st.composite
def systems(draw, max_dim=4, max_rows=8):
    d = draw(st.integers(1, max_dim))
    m = draw(st.integers(1, max_rows))
    G = [[draw(ints) for _ in range(d)] for _ in range(m)]
    h = [draw(ints) for _ in range(m)]
    return G, h


@given(systems())
def test_lp_and_exact_simplex_agree_and_verify(system):
    G, h = system
    fast = strictly_feasible(G, h, method="lp")
    exact = strictly_feasible(G, h, method="exact")
    assert fast.feasible == exact.feasible
    assert fast.verify(G, h) and exact.verify(G, h)


@given(systems(max_dim=3))
def test_feasible_point_is_strict_and_infeasible_has_no_random_witness(system):
    G, h = system
    r = strictly_feasible(G, h)
    if r.feasible:
        assert all(sum(Fraction(g) * Fraction(str(x)) for g, x in zip(row, r.point)) + c > 0
                   for row, c in zip(G, h))
    else:
        y = r.multipliers
        assert all(v >= 0 for v in y) and any(y)
        assert all(sum(y[i] * G[i][j] for i in range(len(G))) == 0 for j in range(len(G[0])))


def test_degenerate_systems():
    # x > 0, -x > 0: empty with multipliers (1, 1); a thin strip 0 < x < 1e-9 is non-empty.
    assert strictly_feasible([[1], [-1]], [0, 0]).multipliers == (1, 1)
    tiny = fmpq(1, 10 ** 12)
    r = strictly_feasible([[1], [-1]], [0, tiny])
    assert r.feasible and 0 < r.point[0] < tiny
    assert strictly_feasible([[1], [-1]], [0, tiny], method="lp").feasible
    assert strictly_feasible([], [], dim=3).point == (0, 0, 0)


def test_forged_certificates_fail():
    with pytest.raises(CertificateError):
        StrictFeasibility(True, (fmpq(0),)).verify([[1]], [0])
    with pytest.raises(CertificateError):
        StrictFeasibility(False, multipliers=(fmpq(1), fmpq(2))).verify([[1], [-1]], [0, 0])


def test_large_system_uses_the_lp_and_is_certified():
    import random
    rng = random.Random(3)
    d, m = 12, 40
    G = [[rng.randint(-9, 9) for _ in range(d)] for _ in range(m)]
    x = [rng.randint(-3, 3) for _ in range(d)]
    h = [1 - sum(g * v for g, v in zip(row, x)) for row in G]   # x itself satisfies Gx + h = 1 > 0
    r = strictly_feasible(G, h)
    assert r.feasible and r.method == "lp" and r.verify(G, h)


def test_polytope_box_and_errors():
    B = Polytope.box([0, "-1/2"], [1, 2])
    assert B.contains(["1/2", 0]) and not B.contains([1, 0])
    with pytest.raises(ShapeError):
        Polytope.box([0], [0])
    with pytest.raises(ShapeError):
        strictly_feasible([[1, 2]], [0, 1])


def test_no_solver_banner_reaches_the_user():
    """HiGHS prints a banner on C-level stdout at its first use in a process: a fresh process deciding an LP
    must print nothing of it."""
    import subprocess
    import sys
    code = ("from semialg.geometry.polyhedron import strictly_feasible\n"
            "print(bool(strictly_feasible([[1, 0], [0, 1], [-1, -1]], [0, 0, 3], method='lp')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "True"
    assert "HiGHS" not in proc.stdout + proc.stderr


@st.composite
def tall_systems(draw):
    """More rows than the exact path's first subsystem ($2d + 2$), often nearly parallel: the row generation."""
    d = draw(st.integers(1, 4))
    m = draw(st.integers(4 * d + 5, 40))
    base = [[draw(ints) for _ in range(d)] for _ in range(3)]
    G, h = [], []
    for _ in range(m):
        row = draw(st.sampled_from(base))
        G.append([Fraction(x) + Fraction(draw(st.integers(-1, 1)), 97) for x in row])
        h.append(Fraction(draw(ints), draw(st.integers(1, 3))))
    return G, h


@given(tall_systems())
def test_row_generation_agrees_with_the_simplex_on_all_rows(system):
    from semialg.geometry.polyhedron import _by_simplex, _system
    G, h = system
    grown = strictly_feasible(G, h, method="exact")
    full = _by_simplex(*_system(G, h))
    assert grown.feasible == full.feasible
    assert grown.verify(G, h) and full.verify(G, h)


def test_nearly_opposite_rows_feasible_far_away():
    """Two rows opposite up to 1e-8 (from a hidden-neuron fibre, where among 200 rows the float LP took them for
    infeasible and could not certify it): strictly feasible only beyond |x| = 1e7; the exact path (row
    generation) finds such a point."""
    G = [[0, -1, Fraction(17, 22), 0], [0, Fraction(26898367811, 1293), Fraction(-21074452564, 1311), 0]]
    h = [Fraction(-27, 22), Fraction(6411591376761, 376694)]
    G += [[1, 0, 0, 0], [-1, 0, 0, 1], [0, 0, 0, 1]] * 6
    h += [1, 1, 1] * 6
    r = strictly_feasible(G, h, method="exact")
    assert r.feasible and r.verify(G, h) and abs(r.point[1]) > 10 ** 6


@st.composite
def degenerate_systems(draw):
    """Many rows through the origin and repeated rows: phase one pivots degenerately (the anti-cycling regime)."""
    d = draw(st.integers(1, 4))
    m = draw(st.integers(2, 14))
    rows = [[draw(ints) for _ in range(d)] for _ in range(draw(st.integers(1, 4)))]
    G = [draw(st.sampled_from(rows)) for _ in range(m)]
    h = [draw(st.sampled_from([0, 0, 0, 1, -1])) for _ in range(m)]
    return G, h


@given(degenerate_systems())
def test_pricing_rules_agree(system):
    """Dantzig's scaled rule, Bland's rule throughout, and Bland's from the first degenerate pivot on: the same
    verdict, every certificate verified (Bland's rule cannot cycle; the switch keeps the simplex finite)."""
    from semialg.geometry import polyhedron
    from semialg.geometry.polyhedron import _by_simplex, _system
    G, h = _system(*system)
    saved = polyhedron._DEGENERATE_PIVOTS
    verdicts = []
    try:
        for limit in (saved, -1, 0):
            polyhedron._DEGENERATE_PIVOTS = limit
            r = _by_simplex(G, h)
            assert r.verify(G, h)
            verdicts.append(r.feasible)
    finally:
        polyhedron._DEGENERATE_PIVOTS = saved
    assert len(set(verdicts)) == 1
