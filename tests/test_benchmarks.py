"""Smoke runs of the benchmark scripts at tiny sizes: correctness only, never timing."""

from conftest import load_script


def _load(name):
    return load_script("benchmarks", name)


def test_equivalence_benchmark_smoke():
    mod = _load("bench_equivalence")
    rows = mod.run([8], m=5, k=2)
    assert rows[0]["n"] == 8 and rows[0]["naive_s"] is not None


def test_pl_benchmark_smoke():
    rows = _load("bench_pl").run(shallow_widths=(3,), deep_widths=(2,), rank_sizes=(2,), sympy_max=2,
                                 fd_arch=(2, 2, 2, 1))
    assert rows[0]["naive_s"] is not None   # the naive count was asserted equal inside run()
    assert rows[-1]["value"] <= rows[-1]["bound"]


def test_genericity_benchmark_smoke():
    rows = _load("bench_genericity").run(sizes=((3, 6, 1), (2, 8, 2)), naive_max=8, big=None)
    assert [r["status"] for r in rows] == ["generic", "generic"] and rows[0]["naive_s"] is not None


def test_bottleneck_benchmark_smoke():
    rows = _load("bench_bottleneck").run(ridge_widths=(5,), ridge_oracle_max=5, outer_widths=(3,))
    assert [r["equivalent"] for r in rows] == [True, False, True, False]   # agreed with the oracle in run()
    assert all(r["oracle_s"] is not None for r in rows)


def test_feasibility_benchmark_smoke():
    bench = _load("bench_feasibility")
    rows = bench.run(limit=12)      # the exact answers (three pricing paths) agreed and verified inside run()
    assert sum(r["systems"] for r in rows) == 12 * len(bench.FIBRES)


def test_run_all_quick_writes_every_table(tmp_path):
    mod = _load("run_all")
    result = mod.run(("rank", "smt", "genericity"), quick=True)
    assert set(result["benchmarks"]) == {"rank", "smt", "genericity"}
    rank_rows = result["benchmarks"]["rank"]["rows"]
    assert all(r["domain_s"] is not None for r in rank_rows)           # the ranks agreed inside run()
    smt_rows = result["benchmarks"]["smt"]["rows"]
    assert [r["equivalent"] for r in smt_rows] == [True, False] * (len(smt_rows) // 2)
    assert all(b["table"].count("\n") == len(b["rows"]) for b in result["benchmarks"].values())


def test_deep_benchmark_smoke():
    mod = _load("bench_deep")
    rows = mod.run(**mod.QUICK, show=lambda s: None)   # each answer was asserted and verified inside run()
    assert [r["peer_says_same_for_near_miss"] for r in rows["scale"]] == [True, True]
    assert all(r["equiv_s"] is not None for r in rows["symmetries"])


def test_survey_benchmark_smoke():
    rows = _load("bench_survey").run(samples=(3,))
    assert rows[0]["cases"] == 9      # serial, one-per-task and chunked records agreed inside run()


def test_reading_benchmark_smoke():
    rows = _load("bench_reading").run(cases=(((6, 9, 2), "float32"), ((3, 4, 4, 1), "float64")))
    assert [r["arch"] for r in rows] == ["6-9-2", "3-4-4-1"]   # entries were checked exactly inside run()
    assert all(r["naive_s"] is not None for r in rows)


def test_local_dimension_benchmark_smoke():
    rows = _load("bench_local_dimension").run(archs=((2, 3, 3, 1), (3, 3, 1, 2)), cap=20.0)
    # the enumeration alone finished and its upper bound was no smaller than ours (asserted inside run())
    assert all(r["enumeration_s"] is not None and r["lower"] <= r["upper"] for r in rows)


def test_chosen_inputs_benchmark_smoke():
    bench = _load("bench_chosen_inputs")
    rows = bench.run(**bench.QUICK)     # every lower bound was checked against the exact value inside run()
    assert [r["known"] for r in rows] == [3, 3] and all(r["gap_ours"] <= r["gap_before"] for r in rows)


def test_line_counts_benchmark_smoke():
    rows = _load("bench_line_counts").run(widths=(3, 4))      # the product count equals the enumeration, in run()
    assert [r["components"] for r in rows] == [806, 20544] and all(r["naive_s"] is not None for r in rows)


def test_bottleneck_local_benchmark_smoke():
    rows = _load("bench_bottleneck_local").run(**_load("bench_bottleneck_local").QUICK)
    assert [r["arch"] for r in rows] == ["3-3-1-1", "4-3-1-1"]     # ours within the first-order bounds in run()


def test_constant_lines_benchmark_smoke():
    mod = _load("bench_constant_lines")
    rows = mod.run(**mod.QUICK)     # ours and the symbolic formula along each line agreed inside run()
    assert [r["arch"] for r in rows] == ["2-3-1-1", "3-4-1-1"]


def test_typed_counts_benchmark_smoke():
    mod = _load("bench_typed_counts")
    rows = mod.run(**mod.QUICK)     # the three paths gave the same count and dimension inside run()
    assert [(r["arch"], r["N"]) for r in rows] == [("40-8-3", 7)] and rows[0]["naive_s"] is not None


def test_hyperplanes_benchmark_smoke():
    mod = _load("bench_hyperplanes")
    rows = mod.run(**mod.QUICK)     # both passes grouped the neurons alike inside run()
    assert [r["n"] for r in rows] == [16, 64] and all(r["canonical_s"] > 0 for r in rows)


def test_stabilizer_benchmark_smoke():
    mod = _load("bench_stabilizer")
    rows = mod.run(**mod.QUICK)     # the orders were checked against the closed form and the naive chain in run()
    assert [r["order"] for r in rows] == [1, 12] and rows[1]["naive_s"] is not None


def test_minimal_form_benchmark_smoke():
    mod = _load("bench_minimal_form")
    rows = mod.run(**mod.QUICK)     # the widths agreed and the forms realized the function inside run()
    assert [r["width"] - r["N"] for r in rows] == [0, 0, 1] and rows[0]["naive_s"] is not None
    assert rows[1]["peer_s"] is not None and rows[2]["peer_s"] is not None      # the exact route, dependent normals


def test_bottleneck_fdim_benchmark_smoke():
    rows = _load("bench_bottleneck_fdim").run(shapes=((100, 64, 10),), cap=None)   # no peer (it runs to its budget)
    assert rows[0]["value"] == rows[0]["D"] - 65 and rows[0]["peer"] is None


def test_visibility_benchmark_smoke():
    rows = _load("bench_visibility").run(**_load("bench_visibility").QUICK, show=lambda s: None)
    assert rows[0]["cells"] > 0       # both methods found the same visible hyperplanes inside run()


def test_budgets_benchmark_smoke():
    mod = _load("bench_budgets")
    row = mod.child("equivalent g-copy", (3, 5, 2))        # in this process: the answer and its measurements
    assert row["answer"] == "equivalent" and row["ours_s"] >= 0 and row["floor_s"] >= 0
    assert "equivalent g-copy" in mod.line(row) and mod.calls((4, 6, 1, 2))[-1] == "shallow_representation"
    seeded = mod.child("combinatorial_type", (2, 4, 1, 2), seed=3)      # the --seeds table's networks are named so
    assert seeded["network"] == "2-4-1-2 s3" and seeded["answer"] == "BottleneckType"


def test_certified_signs_benchmark_smoke():
    mod = _load("bench_certified_signs")
    rows = mod.run(**mod.QUICK, show=lambda s: None)     # run() compares the certified signs with the exact ones
    assert len(rows) == 4 and all(r["uncertain"] >= 0 for r in rows)


def test_arrangement_cells_benchmark_smoke():
    rows = _load("bench_arrangement_cells").run(sizes=((2, 5), (3, 5)), cap=30.0)
    assert [r["regions"] for r in rows] == [16, 26]    # 1 + n + C(n, 2) (+ C(n, 3)): general position
    assert all(r["naive_s"] is not None for r in rows)  # the regions of both methods agreed inside run()


def test_bottleneck_patterns_benchmark_smoke():
    mod = _load("bench_bottleneck_patterns")
    rows = mod.run(**mod.QUICK)         # the rank of the Jacobian at the batch equalled the value inside run()
    assert rows[0]["value"] == rows[0]["peer"] == 27 and rows[0]["method"] == "bottleneck: activity patterns on P"


def test_flat_directions_benchmark_smoke():
    rows = _load("bench_flat_directions").run(archs=(), seeds=(11,), budget=30.0)
    assert rows[0]["ours"] == rows[0]["naive"] == "14" and rows[0]["flat"] == 14   # agreed inside run()


def test_local_identifiability_benchmark_smoke():
    rows = _load("bench_local_identifiability").run(archs=((12, 16, 16, 3),), jacobian_budget=30.0)
    pruned = next(r for r in rows if r["weights"] == "pruned")      # the Jacobian route agreed inside run()
    assert pruned["dim"] != "none" and pruned["jacobian"][0].isdigit()
    # D - the two silent rows - the outgoing weights of the pruned neurons to live ones - 30 rescalings
    assert pruned["dim"] == (12 * 16 + 16 + 16 * 16 + 16 + 16 * 3 + 3) - (13 + 17) - (15 + 3) - 30


def test_deep_narrow_benchmark_smoke():
    rows = _load("bench_deep_narrow").run(families=(((3, 6, 6, 2), "random", 3),), jacobian_budget=30.0)
    assert rows[0]["certified"] <= rows[0]["full"] <= 3 and rows[0]["undecided"] == 0   # values agreed in run()


def test_lazy_regions_benchmark_smoke():
    rows = _load("bench_lazy_regions").run(cases=(((3, 6, 6, 1), "random", 0),))
    assert rows[0]["fd"] <= rows[0]["bound"] and 0 < rows[0]["used"] <= rows[0]["regions"]
