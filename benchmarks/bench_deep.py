"""Benchmark: certified equivalence of deep float32 networks against loading them and against alignment.

For each architecture, a random float32 network is compared with (a) a G-image of it (a permutation and
power-of-two scales per hidden layer, so the image is exact in float32) and (b) a one-ulp near miss (the
G-image with one weight moved to the next float32). Columns: time to load both networks exactly, time of
``semialg.equivalent`` (certified: the certificate is then re-checked, timed separately), and the time of
the peer — permutation alignment by linear assignment (``scipy.optimize.linear_sum_assignment`` on the
normalised rows, layer by layer, as in git-re-basin's weight matching) followed by a float comparison, which
certifies nothing and calls the near miss "same". Ratios are measured in the same run (best of three);
``family_s`` is the deep family alone, without :func:`semialg.equivalent` binding the certificate to the pair
(fingerprinting both networks). Then a trained
scikit-learn 64-32-16-10 MLP (digits) against its G-image, and deep hidden-symmetry pairs at small sizes.

    python benchmarks/bench_deep.py            # 784-256-256-10 and 100-64-64-64-10
    python benchmarks/bench_deep.py --quick    # smoke sizes
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

import semialg as sa
from common import timed
from semialg.families.deep.equivalence import equivalent as deep_equivalent
from semialg.families.deep.moves import Flip, SplitTwin, TradeOpposite


def random_layers(widths, seed=0):
    rng = np.random.default_rng(seed)
    Ws = [(rng.standard_normal((n, m)) / np.sqrt(m)).astype(np.float32) for m, n in zip(widths, widths[1:])]
    bs = [(0.1 * rng.standard_normal(n)).astype(np.float32) for n in widths[1:]]
    return Ws, bs


def g_image(Ws, bs, seed=1):
    """A permutation and power-of-two scales per hidden layer: exact in float32."""
    rng = np.random.default_rng(seed)
    Ws, bs = [W.copy() for W in Ws], [b.copy() for b in bs]
    for l in range(len(Ws) - 1):
        n = Ws[l].shape[0]
        perm = rng.permutation(n)
        lam = (2.0 ** rng.integers(-3, 4, size=n)).astype(np.float32)
        Ws[l], bs[l] = Ws[l][perm] * lam[:, None], bs[l][perm] * lam
        Ws[l + 1] = Ws[l + 1][:, perm] / lam[None, :]
    return Ws, bs


def near_miss(Ws, bs, layer=0, seed=2):
    """One weight of ``layer`` moved by one unit in the last place."""
    rng = np.random.default_rng(seed)
    Ws = [W.copy() for W in Ws]
    i, j = (int(rng.integers(s)) for s in Ws[layer].shape)
    Ws[layer][i, j] = np.nextafter(Ws[layer][i, j], np.float32(np.inf))
    return Ws, bs


def align(Ws1, bs1, Ws2, bs2, tol=1e-5) -> bool:
    """The peer: weight matching by linear assignment layer by layer, then ``allclose`` on the aligned weights."""
    from scipy.optimize import linear_sum_assignment
    prev = None
    same = True
    for l in range(len(Ws1)):
        W1 = np.hstack([Ws1[l], bs1[l][:, None]]).astype(np.float64)
        W2 = np.hstack([Ws2[l], bs2[l][:, None]]).astype(np.float64)
        if prev is not None:
            W2 = W2[:, list(prev) + [W2.shape[1] - 1]]
        if l == len(Ws1) - 1:
            same = same and np.allclose(W1, W2, atol=tol, rtol=tol)
            break
        N1 = W1 / np.abs(W1).max(axis=1, keepdims=True)
        s2 = np.abs(W2).max(axis=1, keepdims=True)
        N2 = W2 / s2
        _, col = linear_sum_assignment(-(N1 @ N2.T))
        same = same and np.allclose(N1, N2[col], atol=tol, rtol=tol)
        # undo the scales of the matched neurons in the next layer, as weight matching does
        Ws2 = list(Ws2)
        Ws2[l + 1] = Ws2[l + 1] * s2[:, 0][None, :].astype(np.float32)
        prev = col
        Ws1 = list(Ws1)
        Ws1[l + 1] = Ws1[l + 1] * np.abs(W1).max(axis=1)[None, :].astype(np.float32)
    return bool(same)


def _load(Ws, bs):
    return sa.Network.from_arrays(Ws, bs)


def best(f, *args, repeat=3, **kw):
    """``(f(*args, **kw), seconds)`` with the least time of ``repeat`` runs (the machine is shared)."""
    runs = [timed(f, *args, **kw) for _ in range(repeat)]
    return runs[0][0], min(t for _, t in runs)


def _load_both(a, b):
    return _load(*a), _load(*b)


def scale_row(widths, seed=0, miss_layer=0, budget=600.0):
    Ws, bs = random_layers(widths, seed)
    Gs, gb = g_image(Ws, bs, seed + 1)
    Ms, mb = near_miss(Gs, gb, miss_layer, seed + 2)
    (net, img), t_load = best(_load_both, (Ws, bs), (Gs, gb))
    miss = _load(Ms, mb)
    r, t_eq = best(sa.equivalent, net, img, budget=budget)
    _, t_family = best(deep_equivalent, net, img, budget=budget)  # without binding the certificate to the pair
    ok, t_ver = timed(r.verify, net, img)
    assert r.status == "equivalent" and ok
    q, t_miss = best(sa.equivalent, net, miss, budget=budget)
    _, t_miss_family = best(deep_equivalent, net, miss, budget=budget)
    ok, t_qver = timed(q.verify, net, miss)
    assert q.status == "not equivalent" and ok
    peer_same, t_peer = best(align, Ws, bs, Gs, gb)
    peer_miss, t_peer_miss = best(align, Ws, bs, Ms, mb)
    return {"case": "-".join(map(str, widths)), "params": sum(W.size + b.size for W, b in zip(Ws, bs)),
            "miss_layer": miss_layer + 1, "load_both_s": t_load,
            "equiv_s": t_eq, "family_s": t_family, "near_miss_family_s": t_miss_family,
            "equiv_method": r.method, "verify_s": t_ver,
            "near_miss_s": t_miss, "near_miss_method": q.method, "near_miss_verify_s": t_qver,
            "peer_s": t_peer, "peer_near_miss_s": t_peer_miss,
            "peer_says_same_for_image": peer_same, "peer_says_same_for_near_miss": peer_miss,
            "equiv_over_load": t_eq / t_load, "near_miss_over_load": t_miss / t_load,
            "equiv_over_peer": t_eq / t_peer, "near_miss_over_peer": t_miss / t_peer_miss}


def sklearn_row(seed=0, max_iter=60):
    import warnings
    from sklearn.datasets import load_digits
    from sklearn.neural_network import MLPClassifier
    X, y = load_digits(return_X_y=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MLPClassifier(hidden_layer_sizes=(32, 16), max_iter=max_iter, random_state=seed).fit(X / 16, y)
    Ws = [c.T.astype(np.float32) for c in model.coefs_]  # trained in float64, stored in float32 as deployed
    bs = [b.astype(np.float32) for b in model.intercepts_]
    model.coefs_ = [W.T.astype(np.float64) for W in Ws]
    model.intercepts_ = [b.astype(np.float64) for b in bs]
    t = time.perf_counter()
    net = sa.from_sklearn(model)
    t_load = time.perf_counter() - t
    Gs, gb = g_image(Ws, bs, seed + 1)
    img = _load(Gs, gb)
    r, t_eq = timed(sa.equivalent, net, img)
    assert r.status == "equivalent" and r.verify(net, img)
    return {"case": "sklearn MLP 64-32-16-10 (digits) vs G-image", "load_one_s": t_load, "equiv_s": t_eq,
            "method": r.method, "train_accuracy": float(model.score(X / 16, y))}


def symmetry_rows():
    flip = sa.Network.from_arrays([[[2, 0], [0, 1], [-1, -1]], [["1/2", 1, 1], [-1, -2, -2]], [[1, -3]]],
                                  [[1, "-1/2", 3], ["1/3", 2], [0]])
    base = sa.Network.random((3, 6, 5, 4, 2), seed=7)
    dead = base.replace_layer(2, weight=[list(r) for r in base.weights[1]])  # copy, then kill neuron 2's column
    W3 = [list(r) for r in base.weights[2]]
    for r in W3:
        r[2] = 0
    dead = dead.replace_layer(3, weight=W3)
    dead_other = dead.replace_layer(2, weight=[list(r) if i != 2 else [7] * len(r)
                                               for i, r in enumerate(dead.weights[1])])
    opposite = sa.Network.from_arrays([[[1], [-1], [2], [-2]], [[1, 2, 3, 4], [0, 1, -1, 2]], [[1, -1]]],
                                      [[1, -1, "1/3", "-1/3"], [1, 2], [0]])
    y = (sa.to_fmpq(1), sa.to_fmpq(2))
    pairs = [("0-factor flip (2-3-2-1)", flip, Flip(1, (0, 1, 2)).apply(flip)),
             ("opposite-pair trade (1-4-2-1)", opposite,
              TradeOpposite(1, ((0, 1), (2, 3)), (y, tuple(-v / 2 for v in y))).apply(opposite)),
             ("dead neuron, other row (3-6-5-4-2)", dead, dead_other),
             ("twins across widths (3-6-5-4-2 vs 3-6-6-4-2)", base, SplitTwin(2, 1, sa.to_fmpq("2/5"),
                                                                              sa.to_fmpq(3)).apply(base))]
    rows = []
    for name, a, b in pairs:
        g = sa.GroupElement.random(b.architecture, seed=11).act(b)
        r, t = timed(sa.equivalent, a, g)
        assert r.status == "equivalent" and r.verify(a, g)
        truth, t_oracle = timed(sa.engine.regions.equivalent, a, g) if a.architecture.input_dim <= 2 else (None, None)
        assert truth is None or truth.equivalent
        rows.append({"case": name, "equiv_s": t, "method": r.method, "oracle_s": t_oracle,
                     "mechanisms": ", ".join(r.certificate.mechanisms()) if hasattr(r.certificate, "mechanisms")
                     else "group action"})
    return rows


def _fmt(x):
    if isinstance(x, float):
        return f"{x:.3g}"
    return str(x)


def table(rows, keys) -> str:
    widths = [max(len(k), *(len(_fmt(r.get(k))) for r in rows)) for k in keys]
    lines = ["  ".join(k.ljust(w) for k, w in zip(keys, widths))]
    lines += ["  ".join(_fmt(r.get(k)).ljust(w) for k, w in zip(keys, widths)) for r in rows]
    return "\n".join(lines)


SCALE_KEYS = ["case", "params", "load_both_s", "equiv_s", "family_s", "verify_s", "near_miss_s", "near_miss_family_s",
              "near_miss_verify_s",
              "peer_s", "equiv_over_load", "near_miss_over_load", "equiv_over_peer", "near_miss_over_peer",
              "peer_says_same_for_near_miss", "near_miss_method"]


def run(cases=((784, 256, 256, 10), (100, 64, 64, 64, 10)), miss_layers=(0, 1), sklearn=True, show=print):
    rows = {"scale": [], "sklearn": [], "symmetries": []}
    for widths in cases:
        for layer in miss_layers:
            rows["scale"].append(scale_row(widths, miss_layer=layer))
    show(table(rows["scale"], SCALE_KEYS) + "\n")
    if sklearn:
        rows["sklearn"].append(sklearn_row())
        show(table(rows["sklearn"], ["case", "load_one_s", "equiv_s", "method", "train_accuracy"]) + "\n")
    rows["symmetries"] = symmetry_rows()
    show(table(rows["symmetries"], ["case", "equiv_s", "method", "mechanisms", "oracle_s"]) + "\n")
    return rows


QUICK = dict(cases=((20, 12, 12, 3), (10, 8, 8, 8, 3)), miss_layers=(0,), sklearn=False)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smoke sizes only")
    ap.add_argument("--out", default="bench_deep.json", help="where to write the rows as JSON")
    args = ap.parse_args()
    out = run(**(QUICK if args.quick else {}), show=lambda s: print(s, flush=True))
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
