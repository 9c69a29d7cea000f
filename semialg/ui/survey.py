r"""Population surveys: sample many parameters per architecture and tabulate their exact properties.

Each case (architecture, sample index) draws one network from a configurable distribution with a seed derived
deterministically from the survey seed, and records: genericity (exact, with the failed conditions), the exact
functional dimension and its bound $D - \#\text{hidden}$ (a deficit means continuous hidden symmetries —
the fibre is larger than the $G$-orbit), the numeric estimate the literature uses (float SVD on random
inputs) and whether it is wrong, and the number of fibre components where an explicit fibre exists.
A case's record depends only on the case, so serial, process-pool and Dask runs give identical results, in
the deterministic order of :meth:`SurveySpec.cases`; a run can skip finished cases (resumption).

Distributions: ``kaiming`` (weights $N(0, 2/n_{\rm in})$, biases $U(\pm 1/\sqrt{n_{\rm in}})$),
``kaiming-nobias`` (biases $0$), ``pytorch`` (weights and biases $U(\pm 1/\sqrt{n_{\rm in}})$, the
``nn.Linear`` default), all rounded to float32 and then read exactly; ``rational`` (entries $p/q$ with
$|p|, q \le 5$).

>>> spec = SurveySpec.of(["2,2,1"], samples=2, seed=0)
>>> [r["functional_dimension"] for r in run(spec)]
[7, 7]
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import random as _random
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

import numpy as np

from semialg.errors import FormatError, ParameterError, SemialgError
from semialg.core.network import Architecture, Network
from semialg.ui.io import loads_json, read_text, write_text

__all__ = ["DISTRIBUTIONS", "SurveySpec", "Case", "sample_network", "analyse", "run", "summarise", "backend",
           "check_address", "check_workers", "MAX_CASES", "WORKERS_PER_CORE", "load_survey", "write_survey",
           "SURVEY_FORMAT"]

DISTRIBUTIONS = ("kaiming", "kaiming-nobias", "pytorch", "rational")
#: The largest architecture a survey samples (its networks are drawn in memory before any analysis).
MAX_PARAMETERS = 100_000
#: The most cases (architectures times samples) in one survey: the case list is built before any work, and the
#: results file must stay within what :func:`load_survey` reads back to resume.
MAX_CASES = 100_000
#: Local worker processes per core at most (the cases are CPU-bound: more only cost memory).
WORKERS_PER_CORE = 4


def check_workers(workers: int | None) -> None:
    """Refuse a number of local workers that is not between 1 and ``WORKERS_PER_CORE`` times the cores."""
    most = WORKERS_PER_CORE * (os.cpu_count() or 1)
    if workers is not None and not 1 <= workers <= most:
        raise ParameterError(f"workers: {workers} local processes; between 1 and {most} ({WORKERS_PER_CORE} per "
                             f"core on this machine)")


@dataclass(frozen=True)
class Case:
    """One sample of a survey: everything :func:`analyse` needs, nothing else (so it can be shipped anywhere)."""

    widths: tuple[int, ...]
    index: int
    seed: int
    distribution: str
    budget: int

    @property
    def key(self) -> str:
        return f"{'-'.join(map(str, self.widths))}#{self.index}"


@dataclass(frozen=True)
class SurveySpec:
    """What to sample: architectures, samples per architecture, seed, distribution, 0-factor search budget."""

    architectures: tuple[Architecture, ...]
    samples: int
    seed: int = 0
    distribution: str = "kaiming"
    budget: int = 2 ** 16

    def __post_init__(self):
        for arch in self.architectures:
            if arch.num_parameters > MAX_PARAMETERS:
                raise ParameterError(f"architecture {arch} has {arch.num_parameters} parameters; a survey samples "
                                     f"at most {MAX_PARAMETERS} (exact analysis of larger networks does not finish)")
        if self.distribution not in DISTRIBUTIONS:
            raise ParameterError(f"unknown distribution {self.distribution!r}; choose one of {DISTRIBUTIONS}")
        if self.samples < 1:
            raise ParameterError(f"samples must be positive, got {self.samples}")
        if self.samples * len(self.architectures) > MAX_CASES:
            raise ParameterError(f"samples: {self.samples} per architecture for {len(self.architectures)} "
                                 f"architecture(s), more than the {MAX_CASES} cases a survey runs")

    @classmethod
    def of(cls, architectures: Iterable, samples: int, seed: int = 0, distribution: str = "kaiming",
           budget: int = 2 ** 16) -> "SurveySpec":
        archs = tuple(a if isinstance(a, Architecture) else Architecture.parse(a) if isinstance(a, str)
                      else Architecture(*a) for a in architectures)
        return cls(archs, int(samples), int(seed), distribution, int(budget))

    def cases(self) -> list[Case]:
        """Every case in the survey's fixed order (architecture, then sample index). Seeds come from a string
        hash of (seed, architecture, index), identical in every process."""
        out = []
        for arch in self.architectures:
            for i in range(self.samples):
                seed = _random.Random(f"{self.seed}:{arch}:{i}").getrandbits(63)
                out.append(Case(arch.widths, i, seed, self.distribution, self.budget))
        return out

    def to_json(self) -> dict:
        return {"architectures": [list(a.widths) for a in self.architectures], "samples": self.samples,
                "seed": self.seed, "distribution": self.distribution, "budget": self.budget}

    @classmethod
    def from_json(cls, obj: Mapping) -> "SurveySpec":
        return cls.of(obj["architectures"], obj["samples"], obj["seed"], obj["distribution"], obj["budget"])


def sample_network(arch: Architecture, distribution: str, seed: int) -> Network:
    """One network drawn from ``distribution`` (see the module docstring), exactly and deterministically."""
    if distribution == "rational":
        return Network.random(arch, seed=seed, height=5)
    rng = np.random.default_rng(seed)
    Ws, bs = [], []
    for n_out, n_in in arch.layer_shapes():
        bound = 1 / np.sqrt(n_in)
        if distribution == "pytorch":
            W = rng.uniform(-bound, bound, (n_out, n_in))
        else:
            W = rng.normal(0.0, np.sqrt(2 / n_in), (n_out, n_in))
        b = np.zeros(n_out) if distribution == "kaiming-nobias" else rng.uniform(-bound, bound, n_out)
        Ws.append(W.astype(np.float32))
        bs.append(b.astype(np.float32))
    return Network.from_arrays(Ws, bs)


def _fibre_components(net: Network) -> int | None:
    from semialg.dispatch import fibre
    try:
        return fibre(net).num_components
    except SemialgError:
        return None


def analyse(case: Case) -> dict:
    """The record of one case: genericity, exact and numeric functional dimension, fibre components.

    Cost: that of :func:`semialg.functional_dimension` (region enumeration for depth > 2) plus genericity.
    """
    from semialg.engine.loci import genericity
    from semialg.engine.functional_dimension import functional_dimension
    from semialg.engine.regions import estimate_functional_dimension
    arch = Architecture(*case.widths)
    net = sample_network(arch, case.distribution, case.seed)
    report = genericity(net, case.budget)
    fd = functional_dimension(net)
    estimate = estimate_functional_dimension(net, num_points=4 * arch.num_parameters, seed=case.seed % 2 ** 32)
    components = _fibre_components(net) if report.status == "generic" else None
    from semialg.engine.identifiability import identifiable
    ident = identifiable(net, budget=2.0, zero_sum_budget=case.budget)
    return {"key": case.key, "architecture": "-".join(map(str, case.widths)), "index": case.index,
            "seed": case.seed, "status": report.status, "failed": [c.name for c in report.failed],
            "functional_dimension": fd.value, "bound": fd.upper_bound, "parameters": arch.num_parameters,
            "hidden_symmetries": fd.value < fd.upper_bound, "numeric_estimate": estimate,
            "numeric_wrong": estimate != fd.value, "numeric_error": estimate - fd.value, "regions": fd.regions,
            "fibre_components": None if components is None else str(components),
            "identifiability": ident.status, "locally_identifiable": bool(ident.locally_identifiable)}


def analyse_chunk(cases: list[Case]) -> list[dict]:
    """:func:`analyse` for a chunk of cases: one task per chunk keeps a scheduler's per-task overhead small."""
    return [analyse(c) for c in cases]


def _chunks(todo: list[Case], workers: int) -> list[list[Case]]:
    """About four chunks per worker: few tasks (little overhead), yet enough to balance uneven cases."""
    size = max(1, -(-len(todo) // (4 * max(1, workers))))
    return [todo[i:i + size] for i in range(0, len(todo), size)]


def run(spec: SurveySpec, backend="serial", done: Mapping[str, dict] | None = None,
        on_result: Callable[[dict], None] | None = None, progress: bool = False,
        workers: int | None = None) -> list[dict]:
    """Analyse every case of ``spec`` not already in ``done`` (records by key) and return all records in the
    spec's order.

    ``backend``: ``"serial"``, ``"process"`` (a :class:`multiprocessing.pool.Pool` with ``workers``
    processes, default one per core) or a ``dask.distributed.Client``. ``on_result`` is called with every
    new record as it completes (e.g. to save partial output). On any exception (Ctrl-C included) the work
    still queued is cancelled and the local worker processes are terminated at once, not after finishing
    the queue; workers ignore Ctrl-C themselves (the parent decides) and exit if the parent dies. Cases go to
    the workers in chunks (about four per worker) so that scheduling costs little next to the cases. Cost: the
    sum of the cases' costs, divided by the number of workers.
    """
    from tqdm import tqdm
    check_workers(workers)
    results = dict(done or {})
    todo = [c for c in spec.cases() if c.key not in results]
    bar = tqdm(total=len(todo), disable=not progress, desc="survey", unit="case")

    def finish(record: dict) -> None:
        results[record["key"]] = record
        bar.update()
        if on_result is not None:
            on_result(record)

    try:
        if backend == "serial":
            for case in todo:
                finish(analyse(case))
        elif backend == "process":
            pool = multiprocessing.Pool(workers, initializer=_worker_init, initargs=(os.getpid(),))
            try:
                for chunk in pool.imap_unordered(analyse_chunk, _chunks(todo, workers or os.cpu_count() or 1)):
                    for record in chunk:
                        finish(record)
            except BaseException:
                pool.terminate()  # stop the running cases now; close() would let the queue run to its end
                raise
            else:
                pool.close()
            finally:
                pool.join()
        elif hasattr(backend, "submit") and hasattr(backend, "gather"):
            from distributed import as_completed as dask_completed
            nworkers = sum(backend.nthreads().values()) or 1
            futures = [backend.submit(analyse_chunk, chunk, pure=False) for chunk in _chunks(todo, nworkers)]
            try:
                for fut in dask_completed(futures):
                    for record in fut.result():
                        finish(record)
            except BaseException:
                backend.cancel(futures)
                raise
        else:
            raise ParameterError(f"backend must be 'serial', 'process' or a dask Client, not {backend!r}")
    finally:
        bar.close()
    return [results[c.key] for c in spec.cases() if c.key in results]


def _worker_init(parent: int) -> None:
    """Set up a local worker: Ctrl-C is the parent's business, and the worker dies with its parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)
    threading.Thread(target=watch, daemon=True).start()


def check_address(address: str) -> None:
    """A Dask scheduler address: ``[tcp://|tls://]HOST:PORT`` with a port in 1..65535."""
    import re
    m = re.fullmatch(r"(?:(tcp|tls|ucx)://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):([0-9]{1,5})", address)
    if m is None or not 0 < int(m.group(3)) < 65536:
        raise ParameterError(f"--scheduler {address!r}: expected 'local' or a Dask scheduler address HOST:PORT "
                             f"such as tcp://127.0.0.1:8786")


def _probe(address: str, timeout: int) -> None:
    """Refuse an address where nothing Dask-like answers within ``timeout`` seconds.

    A Dask scheduler speaks first on a plain TCP connection (its handshake), so a port that accepts the
    connection but stays silent (or refuses it) is not one; ``Client`` itself would wait forever there.
    TLS and other transports are left to Dask's own timeout.
    """
    import socket
    scheme, _, rest = address.rpartition("://")
    if scheme not in ("", "tcp"):
        return
    host, _, port = rest.rpartition(":")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout) as conn:
            conn.settimeout(timeout)
            if not conn.recv(1):
                raise OSError("connection closed")
    except OSError as e:  # refused, unreachable, timed out, closed
        reason = "timed out" if isinstance(e, TimeoutError) else (e.strerror or str(e))
        raise ParameterError(f"--scheduler {address}: no Dask scheduler answered within {timeout} s "
                             f"({reason})") from None


@contextlib.contextmanager
def backend(scheduler: str | None, serial: bool = False, workers: int | None = None, connect_timeout: int = 10):
    """The execution backend for :func:`run`: "serial", "process", or a Dask client it owns and closes.

    ``scheduler`` is ``None`` (local processes), ``"local"`` (a Dask LocalCluster) or a scheduler address,
    checked first by :func:`check_address` and a handshake probe with ``connect_timeout`` seconds.
    """
    check_workers(workers)
    if scheduler is None:
        yield "serial" if serial else "process"
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ParameterError("--scheduler needs dask.distributed: pip install 'semialg[dask]'") from None
    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, dashboard_address=None)
        client = Client(cluster)
    else:
        check_address(scheduler)
        _probe(scheduler, connect_timeout)
        try:
            client = Client(scheduler, timeout=f"{connect_timeout}s")
        except (OSError, TimeoutError) as e:
            raise ParameterError(f"--scheduler {scheduler}: no Dask scheduler answered within "
                                 f"{connect_timeout} s ({type(e).__name__})") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def summarise(records: Iterable[dict]) -> list[dict]:
    """Per architecture: samples, fraction generic, fraction with no (continuous) hidden symmetries, the
    distribution of the functional dimension, how often the numeric estimate is wrong, fibre component counts."""
    by_arch: dict = {}
    for r in records:
        by_arch.setdefault(r["architecture"], []).append(r)
    out = []
    for arch, rs in by_arch.items():
        n = len(rs)
        out.append({"architecture": arch, "samples": n, "bound": rs[0]["bound"],
                    "generic": sum(r["status"] == "generic" for r in rs) / n,
                    "no_hidden_symmetries": sum(not r["hidden_symmetries"] for r in rs) / n,
                    "identifiable": sum(r.get("identifiability") == "identifiable" for r in rs) / n,
                    "locally_identifiable": sum(bool(r.get("locally_identifiable")) for r in rs) / n,
                    "numeric_wrong": sum(r["numeric_wrong"] for r in rs) / n,
                    "numeric_under": sum(r["numeric_error"] < 0 for r in rs) / n,
                    "functional_dimension": dict(sorted(Counter(r["functional_dimension"] for r in rs).items())),
                    "fibre_components": dict(Counter(r["fibre_components"] for r in rs
                                                     if r["fibre_components"] is not None))})
    return out


# -- files --------------------------------------------------------------------------------------

SURVEY_FORMAT = "semialg.survey/1"
_SURVEY_COLUMNS = ("key", "architecture", "index", "seed", "status", "functional_dimension", "bound",
                   "parameters", "hidden_symmetries", "numeric_estimate", "numeric_wrong", "numeric_error", "regions",
                   "fibre_components")


def load_survey(path: str | os.PathLike) -> dict:
    """Read a survey JSON written by :func:`write_survey` (possibly partial); checks its format tag."""
    path = Path(path)
    try:
        obj = loads_json(read_text(path), exact=False)
    except FormatError as exc:
        raise FormatError(f"{path}: cannot read a survey: {exc}") from None
    except OSError as exc:
        raise FormatError(f"{path}: cannot read a survey: {exc.strerror or exc}") from None
    if not isinstance(obj, dict) or obj.get("format") != SURVEY_FORMAT or not isinstance(obj.get("results"), list):
        raise FormatError(f"{path}: not a {SURVEY_FORMAT} file")
    return obj


def write_survey(path: str | os.PathLike, spec: dict, results: list, summary: list, complete: bool) -> None:
    """Write a survey atomically as JSON (``results`` in the spec's order) and, next to it, the same records as
    CSV (``FILE.csv``)."""
    path = Path(path)
    write_text(path, json.dumps({"format": SURVEY_FORMAT, "spec": spec, "complete": complete,
                                  "summary": summary, "results": results}, indent=1) + "\n")
    rows = [",".join(_SURVEY_COLUMNS)]
    for r in results:
        rows.append(",".join("" if r.get(c) is None else str(r[c]) for c in _SURVEY_COLUMNS))
    write_text(path.with_suffix(".csv"), "\n".join(rows) + "\n")
