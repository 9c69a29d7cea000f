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
"""

from __future__ import annotations

import itertools
import signal
import time

import numpy as np

import semialg as sa
from common import main as bench_main


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


def defective(n0: int, n1: int, n2: int, dead: int = 0, twins: int = 0, seed: int = 0) -> sa.Network:
    rng = np.random.default_rng(seed)
    W1, b1 = rng.normal(size=(n1, n0)).astype(np.float32), rng.normal(size=n1).astype(np.float32)
    W2, b2 = rng.normal(size=(n2, n1)).astype(np.float32), rng.normal(size=n2).astype(np.float32)
    W2[:, :dead] = 0
    for t in range(twins):
        i = dead + 2 * t
        W1[i + 1], b1[i + 1] = 2 * W1[i], 2 * b1[i]
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


def main():
    bench_main(__doc__, run, table, QUICK, "typed_components")


if __name__ == "__main__":
    main()
