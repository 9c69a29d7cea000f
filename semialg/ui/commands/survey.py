"""``semialg survey``: exact properties of sampled parameters tabulated per architecture (parallel, resumable)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from semialg.errors import ParameterError, SemialgError
from semialg.ui import survey
from semialg.ui.commands import Outcome, command
from semialg.ui.runner import at_least, budget_seconds

__all__: list[str] = []


def _configure_survey(p):
    p.add_argument("--arch", action="append", required=True, metavar="WIDTHS",
                   help="an architecture such as 2,3,1 (repeat for several)")
    p.add_argument("--samples", type=at_least(1), required=True, help="samples per architecture")
    p.add_argument("--seed", type=at_least(0), default=0, help="survey seed (every case's seed derives from it)")
    p.add_argument("--distribution", choices=survey.DISTRIBUTIONS, default="kaiming",
                   help="kaiming (default), kaiming-nobias, pytorch (nn.Linear default) or rational")
    p.add_argument("--budget", type=at_least(1), default=2 ** 16,
                   help="0-factor search budget per case (subsets per half; default 2^16)")
    p.add_argument("--out", required=True, metavar="FILE.json",
                   help="results (JSON, plus FILE.csv and FILE.png); an existing partial FILE is resumed")
    p.add_argument("--scheduler", metavar="ADDRESS|local",
                   help="run on a Dask cluster at ADDRESS, or 'local' for a Dask LocalCluster (needs the dask "
                        "extra); default: a process pool on the local cores")
    p.add_argument("--connect-timeout", type=budget_seconds, default=10, metavar="SECONDS",
                   help="give up connecting to --scheduler after this many seconds (default 10)")
    p.add_argument("--workers", type=at_least(1), default=None, help="local processes (default: one per core; at most "
                                                                     "4 per core)")
    p.add_argument("--serial", action="store_true", help="no parallelism (for debugging)")


@command("survey", "sample parameters per architecture and tabulate exact properties (parallel, resumable)",
         _configure_survey)
def _survey(args) -> Outcome:
    if Path(args.out).suffix.lower() != ".json":
        raise ParameterError(f"--out {args.out}: the survey results are a .json file (FILE.csv and FILE.png are "
                             f"written next to it)")
    if args.scheduler not in (None, "local"):
        survey.check_address(args.scheduler)
    spec = survey.SurveySpec.of(args.arch, args.samples, args.seed, args.distribution, args.budget)
    done = {}
    if os.path.exists(args.out):
        old = survey.load_survey(args.out)
        if old.get("spec") != spec.to_json():
            raise ParameterError(f"{args.out} holds a different survey ({old.get('spec')}); choose another --out")
        done = {r["key"]: r for r in old["results"]}
    order = {c.key: i for i, c in enumerate(spec.cases())}
    collected = dict(done)
    last = [time.monotonic()]

    def save(complete: bool) -> None:
        records = sorted(collected.values(), key=lambda r: order[r["key"]])
        survey.write_survey(args.out, spec.to_json(), records, survey.summarise(records), complete)

    def on_result(record: dict) -> None:
        collected[record["key"]] = record
        if time.monotonic() - last[0] > 2:
            save(False)
            last[0] = time.monotonic()

    progress = not args.quiet and sys.stderr.isatty()
    with survey.backend(args.scheduler, args.serial, args.workers, args.connect_timeout) as backend:
        try:
            records = survey.run(spec, backend, done, on_result, progress, args.workers)
        except KeyboardInterrupt:
            save(False)
            raise
    summary = survey.summarise(records)
    save(True)
    figure = None
    try:
        from semialg.ui.plot import plot_survey, save_figure
        figure = os.path.splitext(args.out)[0] + ".png"
        save_figure(plot_survey(summary), figure)
    except SemialgError:
        figure = None
    lines = [f"{len(records)} cases ({len(records) - len(done)} computed, {len(done)} resumed) -> {args.out}"
             + (f", {figure}" if figure else "")]
    lines.append(f"{'architecture':14s} {'n':>4s} {'generic':>8s} {'no hidden':>10s} {'numeric wrong':>14s} "
                 f"{'identifiable':>12s} {'locally':>8s}  dim_fun (bound)")
    for row in summary:
        dims = ", ".join(f"{k}: {v}" for k, v in row["functional_dimension"].items())
        lines.append(f"{row['architecture']:14s} {row['samples']:4d} {row['generic']:8.2f} "
                     f"{row['no_hidden_symmetries']:10.2f} {row['numeric_wrong']:14.2f} "
                     f"{row.get('identifiable', 0):12.2f} {row.get('locally_identifiable', 0):8.2f}  {dims} ({row['bound']})")
    return Outcome(0, "\n".join(lines), {"out": args.out, "summary": summary}, [], title="Survey")
