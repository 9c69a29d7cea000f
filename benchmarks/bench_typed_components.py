r"""Benchmark: listing the components of a non-generic shallow fibre at 784-n-10 (time to the first 10 and 1000).

A few dead neurons or twins make the fibre a union over combinatorial types of $\theta'$, almost all of them empty.
Ours: ``F.components()`` — the non-empty types found directly (:mod:`semialg.families.shallow.type_search`), each a
:class:`~semialg.families.shallow.type_component.TypeComponent` whose polynomials are built on first access. Before:
the index of all types filtered by the rank proposition type by type (``index`` columns), each non-empty one built
with its polynomials (``eager`` column: the first component's polynomials alone, every $2\times 2$ minor of each
slot's row with its key). Each "before" measurement is stopped after ``cap`` seconds ("> cap"). Every listed type is
checked non-empty and one exact member of the thousandth is drawn and checked to lie in the fibre (its canonical
form is that of $\theta$). Parameters: Gaussian float32 weights, the first ``dead`` output columns zeroed, ``twins``
pairs of neurons with one row twice the other.

    python benchmarks/bench_typed_components.py
    python benchmarks/bench_typed_components.py --quick
    python benchmarks/bench_typed_components.py members [--quick]     # the second table below

Measured (session 32, 2-core machine shared with four other engineers; seconds):

    architecture   dead twins    N    first 10  first 1000    index: first 10  eager: one
    784-16-10         2     0   14       0.067       0.239               > 20        > 20
    784-16-10         3     0   13       0.068       0.211               > 20        > 20
    784-16-10         0     2   14       0.084       0.260               > 20        > 20
    784-64-10         2     0   62       0.661       1.225               > 20        > 20
    784-64-10         3     0   61       0.515       1.085               > 20        > 20
    784-64-10         0     2   62       0.359       0.745               > 20        > 20

Before, no component came at all: the index's first non-empty type lies beyond thousands of empty ones (784-16-10
with two dead neurons: none among the first 3744, 8 ms each, nor in 300 s), and one component's polynomials alone
took more than 10 minutes even at 784-4-10. "first 1000" includes the search's start (the coefficients $\ell_h$,
one $N \times N$ solve).

``members``: per component, ``sample()`` (an exact member, checked), ``contains(sample)``, ``num_components``,
``dimension``, and ``to_latex`` of the first component (first call, then cached). Ours: beyond 2,000 parameters the
sample and the membership are checked by the type's defining data ($K(\theta') = K(\theta)$ and the type of
$\theta'$), the component typeset in index notation and kept; before (``poly``): every polynomial of the component
evaluated (``sample``/``contains``) and typeset (``latex``), stopped after ``cap`` seconds. ``opp`` = opposite pairs
(a row and $-2$ times it). Measured (session 33, same shared machine; seconds):

    architecture   dead twins  opp    N   sample contains    count      dim  latex 1st  latex again  poly: sample  poly: latex
    784-16-10         2     0    0   14    0.121    0.050    0.029    0.019      0.002       0.0000          > 15         > 15
    784-16-10         3     0    0   13    0.113    0.054    0.297    0.023      0.006       0.0000          > 15         > 15
    784-16-10         0     1    0   15    0.143    0.068    0.000    0.016      0.003       0.0000          > 15         > 15
    784-16-10         0     0    1   15    0.306    0.091    0.001    0.017      0.021       0.0000          > 15         > 15
    784-64-10         2     0    0   62    0.459    0.251    0.520    0.097      0.019       0.0000          > 15         > 15
    784-64-10         0     1    0   63    0.370    0.246    0.001    0.087      0.008       0.0000          > 15         > 15
    784-64-10         0     0    1   63    7.672    5.086    0.174    1.121      0.337       0.0000          > 15         > 15
    784-256-10        2     0    0  254    2.153    1.715   13.498    0.463      0.047       0.0000          > 15         > 15
    784-256-10        0     1    0  255    2.950    2.287    0.016    0.575      0.014       0.0000          > 15         > 15

(The 784-64-10 opposite-pair row ran while the machine was loaded: the same ``contains`` profiled alone took
0.75 s.) ``sample`` includes the type's ranks (one product $D_F^T U_F$ for the residual, kept: three $k \times m$
accumulations of $|F|$ rank-one terms, 0.8 s of 1.7 s at 784-64-10, before). The count is kept after the first
call, so the fibre's LaTeX (which states it) costs it once.
"""

from __future__ import annotations

import itertools
import signal
import sys
import time

import numpy as np

import semialg as sa
from common import main as bench_main
from semialg.geometry.semialgebraic import BasicSet


class _Stopped(Exception):
    pass


def _capped(f, cap: float):
    """``(f(), seconds)``, or ``(None, None)`` when it runs longer than ``cap`` seconds."""
    def stop(*_):
        raise _Stopped
    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, cap)
    start = time.perf_counter()
    try:
        return f(), time.perf_counter() - start
    except _Stopped:
        return None, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def defective(n0: int, n1: int, n2: int, dead: int = 0, twins: int = 0, seed: int = 0, opposite: int = 0) -> sa.Network:
    rng = np.random.default_rng(seed)
    W1, b1 = rng.normal(size=(n1, n0)).astype(np.float32), rng.normal(size=n1).astype(np.float32)
    W2, b2 = rng.normal(size=(n2, n1)).astype(np.float32), rng.normal(size=n2).astype(np.float32)
    W2[:, :dead] = 0
    for t in range(twins):
        i = dead + 2 * t
        W1[i + 1], b1[i + 1] = 2 * W1[i], 2 * b1[i]
    for t in range(opposite):
        i = dead + 2 * twins + 2 * t
        W1[i + 1], b1[i + 1] = -2 * W1[i], -2 * b1[i]
    return sa.Network.from_arrays([W1, W2], [b1, b2])


def _first(iterator, counts: tuple[int, ...]) -> dict[int, float]:
    """Seconds until the ``c``-th item of ``iterator``, for each ``c`` in ``counts``."""
    start, out, last = time.perf_counter(), {}, None
    for j, last in enumerate(itertools.islice(iterator, max(counts)), 1):
        if j in counts:
            out[j] = time.perf_counter() - start
    return out, last


def run(shapes=((784, 16, 10, 2, 0), (784, 16, 10, 3, 0), (784, 16, 10, 0, 2), (784, 64, 10, 2, 0),
                (784, 64, 10, 3, 0), (784, 64, 10, 0, 2)), counts=(10, 1000), cap: float = 20.0):
    rows = []
    for n0, n1, n2, dead, twins in shapes:
        net = defective(n0, n1, n2, dead, twins)
        F = sa.fibre(net)
        G = F.geometry
        times, last = _first(F.components(), counts)
        assert all(G.is_nonempty(B.index) for B in itertools.islice(F.components(), 50))
        assert sa.canonical_form(last.sample(seed=0) if n0 * n1 < 100 else G.sample(last.index, seed=0)) == G.K
        old, old_s = _capped(lambda: _first((t for t in F.index if G.is_nonempty(t)), counts[:1])[0], cap)
        first = next(iter(F.components()))
        _, eager_s = _capped(lambda: first.equations, cap)
        rows.append({"arch": f"{n0}-{n1}-{n2}", "dead": dead, "twins": twins, "N": G.N,
                     **{f"ours_{c}": times.get(c) for c in counts}, "index_first": old and old.get(counts[0]),
                     "eager_one": eager_s, "cap": cap})
        print(table(rows[-1:]), flush=True)
    return rows


QUICK = dict(shapes=((6, 4, 2, 1, 0), (6, 5, 2, 0, 1)), counts=(2, 10), cap=30.0)


def table(rows) -> str:
    counts = [int(key[5:]) for key in rows[0] if key.startswith("ours_")]
    head = (f"{'architecture':14s} {'dead':>4s} {'twins':>5s} {'N':>4s} "
            + " ".join(f"{'first ' + str(c):>11s}" for c in counts)
            + f" {'index: first ' + str(counts[0]):>18s} {'eager: one':>11s}")
    out = [head]
    for r in rows:
        cell = lambda v, w: f"{v:{w}.3f}" if v is not None else f"{'> ' + str(int(r['cap'])):>{w}s}"  # noqa: E731
        out.append(f"{r['arch']:14s} {r['dead']:4d} {r['twins']:5d} {r['N']:4d} "
                   + " ".join(cell(r[f'ours_{c}'], 11) for c in counts)
                   + f" {cell(r['index_first'], 18)} {cell(r['eager_one'], 11)}")
    return "\n".join(out)


def run_members(shapes=((784, 16, 10, 2, 0, 0), (784, 16, 10, 3, 0, 0), (784, 16, 10, 0, 1, 0), (784, 16, 10, 0, 0, 1),
                        (784, 64, 10, 2, 0, 0), (784, 64, 10, 0, 1, 0), (784, 64, 10, 0, 0, 1),
                        (784, 256, 10, 2, 0, 0), (784, 256, 10, 0, 1, 0)), cap: float = 15.0):
    rows = []
    for n0, n1, n2, dead, twins, opposite in shapes:
        net = defective(n0, n1, n2, dead, twins, opposite=opposite)
        F = sa.fibre(net)
        B = next(iter(F.components()))
        s, t_sample = _capped(lambda: B.sample(seed=0), cap)
        assert s is None or sa.canonical_form(s) == F.geometry.K and F.locate(s) == B.index
        ok, t_contains = _capped(lambda: B.contains(s), cap) if s is not None else (None, None)
        assert ok in (None, True)
        _, t_count = _capped(lambda: F.num_components, cap)
        _, t_dim = _capped(lambda: F.dimension, cap)
        _, t_latex = _capped(lambda: sa.to_latex(B), cap)
        _, t_again = _capped(lambda: sa.to_latex(B), cap)
        poly = F.build.__self__.build(B.index, by_type=False)
        _, p_sample = _capped(lambda: poly.sample(seed=0), cap)
        _, p_latex = _capped(lambda: sa.to_latex.dispatch(BasicSet)(poly), cap)
        rows.append({"arch": f"{n0}-{n1}-{n2}", "dead": dead, "twins": twins, "opp": opposite, "N": F.geometry.N,
                     "sample": t_sample, "contains": t_contains, "count": t_count, "dim": t_dim, "latex": t_latex,
                     "latex_again": t_again, "poly_sample": p_sample, "poly_latex": p_latex, "cap": cap})
        print(members_table(rows[-1:]), flush=True)
    return rows


QUICK_MEMBERS = dict(shapes=((6, 4, 2, 1, 0, 0), (6, 5, 2, 0, 0, 1)), cap=30.0)


def members_table(rows) -> str:
    keys = ["sample", "contains", "count", "dim", "latex", "latex_again", "poly_sample", "poly_latex"]
    names = ["sample", "contains", "count", "dim", "latex 1st", "latex again", "poly: sample", "poly: latex"]
    out = [f"{'architecture':14s} {'dead':>4s} {'twins':>5s} {'opp':>4s} {'N':>4s} "
           + " ".join(f"{h:>{max(8, len(h))}s}" for h in names)]
    for r in rows:
        cells = []
        for key, h in zip(keys, names):
            w = max(8, len(h))
            v = r[key]
            cells.append(f"{v:{w}.{4 if key == 'latex_again' else 3}f}" if v is not None
                         else f"{'> ' + str(int(r['cap'])):>{w}s}")
        out.append(f"{r['arch']:14s} {r['dead']:4d} {r['twins']:5d} {r['opp']:4d} {r['N']:4d} " + " ".join(cells))
    return "\n".join(out)


def main():
    if sys.argv[1:2] == ["members"]:
        del sys.argv[1]
        bench_main(__doc__, run_members, members_table, QUICK_MEMBERS, "typed_members")
    else:
        bench_main(__doc__, run, table, QUICK, "typed_components")


if __name__ == "__main__":
    main()
