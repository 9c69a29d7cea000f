"""The registry of ``semialg`` subcommands: each group module (:mod:`.network`, :mod:`.demo`, :mod:`.function`,
:mod:`.parameter`, :mod:`.survey`) registers its commands with :func:`command`; :mod:`semialg.ui.cli` imports the
groups, builds the parser from :data:`COMMANDS` (in registration order: the order of ``semialg --help``) and runs.

The registry lives apart from the driver so that ``python -m semialg.ui.cli`` (which runs the driver as
``__main__``) and ``import semialg.ui.cli`` share one :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["Outcome", "Command", "COMMANDS", "command"]


@dataclass
class Outcome:
    """What a subcommand found: exit code, human text, JSON payload and objects to typeset."""

    code: int
    text: str
    data: dict = field(default_factory=dict)
    latex: list = field(default_factory=list)
    title: str = "semialg"
    figure: Callable[[], object] | None = None


@dataclass(frozen=True)
class Command:
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], Outcome]


COMMANDS: dict[str, Command] = {}


def command(name: str, help: str, configure: Callable[[argparse.ArgumentParser], None] = lambda p: None):
    """Register ``run(args) -> Outcome`` as ``semialg NAME``."""
    def deco(run):
        COMMANDS[name] = Command(help, configure, run)
        return run
    return deco
