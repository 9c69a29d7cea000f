"""The ``semialg`` command: one subcommand per question.

Exit codes: 0 yes / success, 1 no (not equivalent, not generic, undecided, limit reached), 2 error (bad
input), 130 interrupted (Ctrl-C). Every subcommand takes ``--json`` (machine-readable result on stdout),
``--latex FILE`` (LaTeX document, written atomically), ``--quiet`` and ``--verbose`` (let third-party
libraries print their warnings and logs, which are silenced otherwise). Bad input prints one line on stderr
and exits 2; Ctrl-C prints one line, writes nothing and exits 130.

Commands that may run long (``equiv``, ``canonical``, ``fibre``, ``regions``, ``dim``, ``loci``,
``conserved``) take ``--budget SECONDS`` (wall-clock, default 60): when it is spent the command stops, says
what it was doing and answers "undecided" (limit reached) with exit 1. ``generic`` and ``survey`` measure
their ``--budget`` in subsets per half of the 0-factor search and report "undecided" when it is spent.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from semialg import __version__
from semialg.errors import SemialgError
from semialg.ui.commands import COMMANDS, Outcome
# The groups register their subcommands when imported, in this order (the order of ``semialg --help``).
from semialg.ui.commands import network, demo, function, parameter, survey  # noqa: F401
from semialg.ui.io import write_text
from semialg.ui.latex import document
from semialg.ui.runner import BudgetSpent, Parser, at_least, budget_bar, budget_seconds, check_outputs, silenced, wall_clock

__all__ = ["main", "Outcome", "COMMANDS"]


#: The most significant digits ``--digits`` shows (decimals beside exact values are for reading).
MAX_DIGITS_SHOWN = 1000
#: Commands whose ``--budget`` is wall-clock seconds (the others that take one count subsets).
TIMED = ("equiv", "canonical", "fibre", "regions", "dim", "loci", "conserved", "identifiable", "shallow",
         "symmetries")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="semialg", description="Exact answers about ReLU network parameter spaces, one subcommand per "
        "question. Networks are read from .json, .npz, .safetensors or .onnx files.",
        epilog="Exit codes: 0 yes / success, 1 no (not equivalent, not generic, undecided, limit reached), "
               "2 error (bad input), 130 interrupted. Run 'semialg COMMAND --help' for the options of a command.")
    parser.add_argument("--version", action="version", version=f"semialg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, cmd in COMMANDS.items():
        p = sub.add_parser(name, help=cmd.help, description=cmd.help)
        cmd.configure(p)
        if name in TIMED:
            p.add_argument("--budget", type=budget_seconds, default=60, metavar="SECONDS",
                           help="wall-clock limit; when spent the answer is 'undecided' (exit 1; default 60; "
                                "above 10^9, no limit)")
        p.add_argument("--json", action="store_true", help="print the result as JSON")
        p.add_argument("--latex", metavar="FILE", help="write a standalone LaTeX document of the result")
        p.add_argument("--quiet", action="store_true", help="print nothing; only the exit code")
        p.add_argument("--digits", type=at_least(1, MAX_DIGITS_SHOWN), metavar="N",
                       help="significant digits of the decimals shown beside exact values (default 6); with "
                            "--latex, typeset decimals and put the exact values in an appendix")
        p.add_argument("--verbose", action="store_true", help="let third-party libraries print warnings and logs")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``semialg`` with ``argv``; returns the exit code (0 yes, 1 no or undecided, 2 error, 130 Ctrl-C)."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            print("semialg: error: a command is required (see semialg --help)", file=sys.stderr)
            return 2
        return _run(args)
    except KeyboardInterrupt:
        name = getattr(locals().get("args"), "command", None)
        print(f"semialg{' ' + name if name else ''}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of stdout went away (| head): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _run(args) -> int:
    started = time.monotonic()
    with silenced(args.verbose):
        try:
            check_outputs(args)
            try:
                timed = args.budget if args.command in TIMED else None
                # regions draws its own progress bar; the others show how much of the budget is used
                bar = timed and args.command != "regions" and not args.quiet and sys.stderr.isatty()
                with wall_clock(timed), budget_bar(timed, f"semialg {args.command}", bar):
                    out = COMMANDS[args.command].run(args)
            except BudgetSpent:
                what = f"semialg {args.command} stopped after {time.monotonic() - started:.0f} s (--budget {args.budget} s)"
                out = Outcome(1, f"undecided: limit reached; {what}",
                              {"status": "undecided", "reason": "limit reached", "detail": what})
            else:
                if args.latex:
                    write_text(args.latex, document(*out.latex, title=out.title, digits=args.digits))
                if getattr(args, "plot", None):
                    from semialg.ui.plot import save_figure
                    save_figure(out.figure(), args.plot)
        except SemialgError as e:
            print(f"semialg {args.command}: error: {' '.join(str(e).splitlines())}", file=sys.stderr)
            return 2
        except OSError as e:
            print(f"semialg {args.command}: error: {e.strerror or e}: {e.filename or ''}".rstrip(": "),
                  file=sys.stderr)
            return 2
        except (RecursionError, MemoryError) as e:
            print(f"semialg {args.command}: error: the input is too large to handle ({type(e).__name__})",
                  file=sys.stderr)
            return 2
    if not args.quiet:
        if args.json:
            print(json.dumps({"command": args.command, "exit_code": out.code, **out.data}, indent=1))
        else:
            print(out.text)
    return out.code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
