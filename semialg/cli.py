"""The ``semialg`` command: one subcommand per question.

Exit codes: 0 yes / success, 1 no (not equivalent, not generic, undecided), 2 error (bad input).
Every subcommand takes ``--json`` (machine-readable result on stdout), ``--latex FILE`` (LaTeX
document, written atomically) and ``--quiet``. Bad input prints one line on stderr and exits 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from typing import Callable

from . import __version__
from .errors import SemialgError
from .exact import to_vector
from .io import load, network_to_json, save, write_text
from .latex import document
from .network import Architecture, Network
from .symmetry import GroupElement

__all__ = ["main", "Outcome", "COMMANDS"]


@dataclass
class Outcome:
    """What a subcommand found: exit code, human text, JSON payload and objects to typeset."""

    code: int
    text: str
    data: dict = field(default_factory=dict)
    latex: list = field(default_factory=list)
    title: str = "semialg"


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


def _net_arg(p: argparse.ArgumentParser, name: str, help: str) -> None:
    p.add_argument(name, help=help + " (.json, .npz or .safetensors)")


def _load(path: str, args) -> Network:
    return load(path, layout=getattr(args, "layout", "auto"))


def _layout_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--layout", choices=["auto", "out_in", "in_out"], default="auto",
                   help="weight layout in .npz/.safetensors files (default: auto, PyTorch (out, in) first)")


# -- foundation commands ------------------------------------------------------------------------------

def _configure_convert(p):
    _net_arg(p, "input", "network to read")
    p.add_argument("output", help="file to write; the format follows the suffix")
    _layout_arg(p)


@command("convert", "convert a network between .json, .npz and .safetensors", _configure_convert)
def _convert(args) -> Outcome:
    net = _load(args.input, args)
    save(net, args.output)
    return Outcome(0, f"wrote {args.output} ({net.architecture}, {net.architecture.num_parameters} parameters)",
                   {"input": args.input, "output": args.output, "widths": list(net.widths)}, [net])


def _configure_eval(p):
    _net_arg(p, "network", "network to evaluate")
    p.add_argument("x", help="input point, comma-separated rationals, e.g. 1,-1/2,0.25")
    _layout_arg(p)


@command("eval", "evaluate a network exactly at a rational point", _configure_eval)
def _eval(args) -> Outcome:
    net = _load(args.network, args)
    x = to_vector(args.x.split(","), net.architecture.input_dim, where="x")
    y = net(x)
    text = f"f({', '.join(map(str, x))}) = ({', '.join(map(str, y))})"
    return Outcome(0, text, {"x": [str(v) for v in x], "y": [str(v) for v in y]}, [net])


@command("demo", "a tour of semialg on built-in examples (no files needed)")
def _demo(args) -> Outcome:
    lines, data, objs = [], {}, []
    arch = Architecture(2, 3, 1)
    net = Network.random(arch, seed=2024)
    g = GroupElement.random(arch, seed=7)
    image = g.act(net)
    pts = [[1, 2], ["-1/3", 5], [0, 0], ["7/2", "-9/4"]]
    agree = all(net(x) == image(x) for x in pts)
    lines += [f"A random exact network of architecture {arch} ({arch.num_parameters} parameters):",
              f"  {net!r}",
              f"A random element g of G = S_3 x R_{{>0}}^3: {g!r}",
              f"g acts: {image!r}",
              f"f and f∘g agree exactly at {len(pts)} rational points: {agree}"]
    data["group_action"] = {"network": network_to_json(net), "g": g.to_json(), "agree": agree}
    objs += ["A random network and its image under a group element:", net, g, image]
    for extra in DEMO_SECTIONS:
        text, payload, latex = extra()
        lines.append(text)
        data.update(payload)
        objs += latex
    return Outcome(0, "\n".join(lines), data, objs, title="semialg demo")


#: Further demo sections, registered by later capabilities: callables returning (text, json, latex objects).
DEMO_SECTIONS: list[Callable[[], tuple[str, dict, list]]] = []


# -- driver -----------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="semialg", description=__doc__.split("\n")[0] + " Exact answers "
                                     "about ReLU network parameter spaces.")
    parser.add_argument("--version", action="version", version=f"semialg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, cmd in COMMANDS.items():
        p = sub.add_parser(name, help=cmd.help, description=cmd.help)
        cmd.configure(p)
        p.add_argument("--json", action="store_true", help="print the result as JSON")
        p.add_argument("--latex", metavar="FILE", help="write a standalone LaTeX document of the result")
        p.add_argument("--quiet", action="store_true", help="print nothing; only the exit code")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``semialg`` with ``argv``; returns the exit code (0 yes, 1 no, 2 error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        out = COMMANDS[args.command].run(args)
        if args.latex:
            write_text(args.latex, document(*out.latex, title=out.title))
    except SemialgError as e:
        print(f"semialg {args.command}: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"semialg {args.command}: error: {e.strerror or e}: {e.filename or ''}".rstrip(": "),
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
