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
from .shallow import canonical_form, equivalent, fibre, hidden_symmetries, minimal_form, stabilizer
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


def _configure_pair(p):
    _net_arg(p, "first", "first network")
    _net_arg(p, "second", "second network")
    _layout_arg(p)


@command("equiv", "decide whether two networks realize the same function (exit 0 yes, 1 no)", _configure_pair)
def _equiv(args) -> Outcome:
    n1, n2 = _load(args.first, args), _load(args.second, args)
    r = equivalent(n1, n2)
    r.certificate.verify(n1, n2)
    data = {"equivalent": bool(r), "method": r.method, "explanation": r.explain()}
    cert = r.certificate
    if hasattr(cert, "point"):
        data["point"] = [str(x) for x in cert.point]
        data["values"] = [[str(x) for x in y] for y in cert.values]
    elif hasattr(cert, "element"):
        data["group_element"] = cert.element.to_json()
    else:
        data["mechanisms"] = cert.mechanisms()
    return Outcome(0 if r else 1, r.explain(), data, [r], title="Functional equivalence")


def _configure_single(p):
    _net_arg(p, "network", "a shallow network")
    _layout_arg(p)


@command("canonical", "the complete invariant of a shallow network and its minimal form", _configure_single)
def _canonical(args) -> Outcome:
    net = _load(args.network, args)
    K = canonical_form(net)
    mf = minimal_form(net)
    kinks = [{"hyperplane": [str(x) for x in key], "kink": [str(x) for x in d]} for key, d in K.kinks]
    text = (f"{K.num_kinks} kink hyperplane(s); linear part {[[str(x) for x in r] for r in K.linear]}; "
            f"constant {[str(x) for x in K.constant]}\nminimal form (width {mf.widths[1]}): {mf!r}")
    return Outcome(0, text, {"kinks": kinks, "linear": [[str(x) for x in r] for r in K.linear],
                             "constant": [str(x) for x in K.constant],
                             "minimal_width": mf.widths[1]}, [K, mf], title="Canonical form")


@command("fibre", "the fibre of a shallow network as a semi-algebraic set", _configure_single)
def _fibre(args) -> Outcome:
    net = _load(args.network, args)
    syms = hidden_symmetries(net)
    stab = stabilizer(net)
    F = fibre(net)
    lines = [f"fibre of a {net.architecture} parameter: {F.num_components} basic semi-algebraic components "
             f"(n! x {len(F.flip_sets)} admissible flip sets), dimension {F.dimension}",
             f"stabilizer: order {stab.order_of_finite_part}, dimension {stab.dimension}"]
    lines += [f"hidden symmetry: {h.description}" for h in syms]
    data = {"num_components": F.num_components, "dimension": F.dimension,
            "flip_sets": [list(S) for S in F.flip_sets], "hidden_symmetries": [h.kind for h in syms]}
    return Outcome(0, "\n".join(lines), data, [net, F], title="Fibre")


def _demo_shallow() -> tuple[str, dict, list]:
    clamp = Network.from_arrays([[[1], [1]], [[1, -1]]], [[0, -1], [0]])
    clamp2 = Network.from_arrays([[[-1], [-1]], [[1, -1]]], [[0, 1], [1]])
    r = equivalent(clamp, clamp2)
    three = Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    flipped = Network.from_arrays([[[-1, 0], [0, -1], [1, 1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    r3 = equivalent(three, flipped)
    F = fibre(three)
    text = "\n".join([
        "Clamp: s(x) - s(x-1) = s(-x) - s(1-x) + 1 (s = ReLU): " + r.explain().splitlines()[0],
        "Three lines w = (1,0), (0,1), (-1,-1), a = (1,1,1): flipping all three is a 0-factor move: "
        + r3.explain().splitlines()[0],
        f"  its fibre has {F.num_components} components = 3! permutations x {len(F.flip_sets)} flip sets "
        f"{[list(S) for S in F.flip_sets]}; a sample member: {F.sample(seed=1)!r}"])
    return text, {"clamp_equivalent": bool(r), "three_lines_components": F.num_components}, \
        ["The clamp and its reflection:", r, "The three-lines fibre:", F]


#: Further demo sections, registered by later capabilities: callables returning (text, json, latex objects).
DEMO_SECTIONS: list[Callable[[], tuple[str, dict, list]]] = [_demo_shallow]


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
