"""How a ``semialg`` command runs: one-line argument errors, a wall-clock budget, and silence from
third-party libraries. Interrupts are the driver's business (:func:`semialg.ui.cli.main`).

>>> at_least(1)("3")
3
>>> with wall_clock(None):
...     pass
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import signal
import threading
import time
import warnings
from pathlib import Path

from semialg.errors import MAX_SECONDS, ParameterError

__all__ = ["Parser", "at_least", "budget_seconds", "MAX_SECONDS", "BudgetSpent", "wall_clock", "silenced",
           "check_outputs", "PLOT_SUFFIXES", "budget_bar", "count_text", "count_json"]


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``semialg CMD: error: ...`` on stderr and exit 2 (no usage block).

    A word starting with ``-`` and a digit (``-1,-1/2``, ``-0.5``) is a value, not an option: no option of
    semialg's starts that way, and argparse alone takes only plain numbers (``-1``) for values.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = re.compile(r"^-\.?\d")

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _shown(text: str, quoted: bool = True) -> str:
    """An argument as an error message quotes it: its first 40 characters (a 5,000-digit number is not echoed)."""
    if len(text) <= 40:
        return repr(text) if quoted else text
    return f"{text[:40]!r}... ({len(text)} characters)"


def at_least(low: int, most: int | None = None):
    """An argparse type: an integer >= ``low`` (and <= ``most`` if given)."""
    def parse(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:  # also past Python's 4,300 digits: beyond any bound of an option
            raise argparse.ArgumentTypeError(f"expected an integer >= {low}, got {_shown(text)}") from None
        if value < low or most is not None and value > most:
            raise argparse.ArgumentTypeError(f"must be >= {low}" + (f" and <= {most}" if most is not None else "")
                                             + f", got {_shown(text.strip(), quoted=False)}")
        return value
    parse.__name__ = f"integer >= {low}"
    return parse


# The longest wall-clock --budget is MAX_SECONDS of semialg.errors (about 31 years, as for the budgets of the API):
# larger values mean no limit and are taken as this one (the interval timer holds at most about 9e9 s, and budgets
# are multiplied as floats).


def budget_seconds(text: str) -> int | float:
    """An argparse type: a wall-clock budget, a number of seconds > 0 (``1.5``, ``1e9``); larger than
    ``MAX_SECONDS`` is no limit. Whole numbers stay integers, so messages say ``--budget 60 s``.

    >>> budget_seconds("60"), budget_seconds("1.5"), budget_seconds("1" + "0" * 5000) == MAX_SECONDS
    (60, 1.5, True)
    """
    try:
        value = float(text)     # a number too large for a float is inf: no limit, like any beyond MAX_SECONDS
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds > 0, got {_shown(text)}") from None
    if not value > 0:           # nan too
        raise argparse.ArgumentTypeError(f"expected a number of seconds > 0, got {_shown(text.strip(), quoted=False)}")
    if value >= MAX_SECONDS:
        return MAX_SECONDS
    return int(value) if value.is_integer() else value


class BudgetSpent(BaseException):
    """The wall-clock ``--budget`` ran out (a BaseException, like Ctrl-C, so no ``except Exception`` in a
    library on the way swallows it)."""


@contextlib.contextmanager
def wall_clock(seconds: int | None):
    """Raise :class:`BudgetSpent` in the main thread after ``seconds`` (no limit off the main thread)."""
    try:
        old = signal.signal(signal.SIGALRM, _spend) if seconds else None
    except (ValueError, AttributeError):  # not the main thread, or no SIGALRM on this platform
        old = None
    if old is None:
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _spend(signum, frame):
    raise BudgetSpent


@contextlib.contextmanager
def silenced(verbose: bool):
    """Third-party warnings and logs off unless ``--verbose`` (semialg's own messages are not affected)."""
    if verbose:
        yield
        return
    # Dask reads its logging levels from the environment in every worker process it starts.
    env = {f"DASK_LOGGING__{name.upper()}": "critical" for name in ("distributed", "bokeh", "tornado")}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        before = logging.root.manager.disable
        logging.disable(logging.CRITICAL)  # semialg itself never logs; it prints its own one-line messages
        try:
            yield
        finally:
            logging.disable(before)
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


PLOT_SUFFIXES = (".png", ".pdf", ".svg")


def check_outputs(args) -> None:
    """Refuse bad output names before any work is done (nothing is written on refusal)."""
    plot = getattr(args, "plot", None)
    if plot and Path(plot).suffix.lower() not in PLOT_SUFFIXES:
        raise ParameterError(f"--plot {plot}: the picture format follows the suffix, one of "
                             f"{', '.join(PLOT_SUFFIXES)}")
    if args.latex and Path(args.latex).suffix.lower() != ".tex":
        raise ParameterError(f"--latex {args.latex}: the LaTeX document must be a .tex file")


@contextlib.contextmanager
def budget_bar(seconds: int | None, label: str, enabled: bool):
    """On a terminal, a tqdm bar of the wall-clock budget (seconds elapsed of ``seconds``) while work runs."""
    if not (enabled and seconds):
        yield
        return
    from tqdm import tqdm
    stop = threading.Event()
    bar = tqdm(total=seconds, desc=label, leave=False, bar_format="{desc}: {bar} {n:.0f}/{total:.0f} s of the budget")

    def tick() -> None:
        start = time.monotonic()
        while not stop.wait(0.5):
            bar.n = min(seconds, time.monotonic() - start)
            bar.refresh()
    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        bar.close()


# -- presenting exact counts ---------------------------------------------------------------------------------

#: Counts with more bits than this are shown by their order of magnitude (Python refuses to print integers of
#: more than 4300 digits, and nobody reads them).
COUNT_BITS = 13_000


def count_text(n: int) -> str:
    """An exact count for people: all digits up to 24 of them, else its order of magnitude.

    >>> count_text(12), count_text(2 ** 100 - 1)
    ('12', 'about 2^99 (exact in --json)')
    """
    if n < 10 ** 24:
        return str(n)
    return f"about 2^{n.bit_length() - 1}" + (" (exact in --json)" if n.bit_length() <= COUNT_BITS else "")


def count_json(n: int) -> int | str:
    """An exact count for JSON: an integer up to $2^{53}$ (exact in every JSON reader), a decimal string up to
    ``COUNT_BITS`` bits, beyond that ``"about 2^k"``."""
    if n < 2 ** 53:
        return n
    return str(n) if n.bit_length() <= COUNT_BITS else f"about 2^{n.bit_length() - 1}"
