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
import itertools
import json
import os
import sys
import time
from pathlib import Path
from dataclasses import dataclass, field
from typing import Callable

from semialg import __version__
from semialg.errors import ParameterError, SemialgError, UndecidedError
from semialg.core.exact import decimal_str, to_vector
from semialg.ui.io import load, load_survey, network_to_json, save, write_survey, write_text
from semialg.ui.latex import document
from semialg.ui.deep import deep_canonical, deep_demo
from semialg.core.network import Architecture, Network
from semialg.families import bottleneck
from semialg.dispatch import equivalent, fibre
from semialg.engine.conservation import mechanism_conservation, conserved_quantities, count_conservation_laws, is_conserved
from semialg.engine.loci import degeneracy_loci, genericity
from semialg.engine.regions import functional_dimension, regions
from semialg.geometry.polyhedron import Polytope
from semialg.ui import survey
from semialg.ui.runner import (BudgetSpent, Parser, at_least, budget_bar, check_outputs, count_json, count_text,
                               silenced, wall_clock)
from semialg.families.shallow import canonical_form, hidden_symmetries, minimal_form, stabilizer
from semialg.core.symmetry import GroupElement

__all__ = ["main", "Outcome", "COMMANDS"]


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


def _net_arg(p: argparse.ArgumentParser, name: str, help: str) -> None:
    p.add_argument(name, help=help + " (.json, .npz, .safetensors or .onnx)")


def _load(path: str, args) -> Network:
    order = getattr(args, "order", None)
    net = load(path, layout=getattr(args, "layout", "auto"), logits=getattr(args, "logits", False),
               order=order.split(",") if order else None)
    if net.assumptions and not args.quiet:
        print(f"semialg: note: {path}: {'; '.join(net.assumptions)}", file=sys.stderr)
    return net


def _layout_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--layout", choices=["auto", "out_in", "in_out"], default="auto",
                   help="weight layout in .npz/.safetensors files (default: auto, PyTorch (out, in) first)")
    p.add_argument("--logits", action="store_true",
                   help="read an ONNX graph ending in Softmax/Sigmoid/LogSoftmax up to its logits")
    p.add_argument("--order", metavar="NAMES",
                   help="order of named layers in a weight file, e.g. fc1,fc2,out (when shapes do not decide it)")


# -- foundation commands ------------------------------------------------------------------------------

def _configure_convert(p):
    _net_arg(p, "input", "network to read")
    p.add_argument("output", help="file to write; the format follows the suffix")
    _layout_arg(p)


@command("convert", "convert a network between .json, .npz, .safetensors and .onnx", _configure_convert)
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
    text = f"f({', '.join(map(str, x))}) = {_values(y, args)}"
    return Outcome(0, text, {"x": [str(v) for v in x], "y": [str(v) for v in y],
                             "y_decimal": _decimals(y, args)}, [net])


def _decimals(v, args) -> list[str]:
    return [decimal_str(x, getattr(args, "digits", None) or 6) for x in v]


def _values(v, args, exact: bool = True) -> str:
    """Exact values (a single one as a number) with decimals beside them unless exact; or only the decimals."""
    ex, ap = ", ".join(map(str, v)), ", ".join(_decimals(v, args))
    if len(v) != 1:
        ex, ap = f"({ex})", f"({ap})"
    return ap if not exact else ex if all(x.q == 1 for x in v) else f"{ex} ≈ {ap}"


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
    r = equivalent(n1, n2, budget=0.9 * args.budget, progress=not args.quiet and sys.stderr.isatty())
    r.equivalent is None or r.verify(n1, n2)  # undecided (budget spent before the wall clock): nothing to check
    data = {"equivalent": bool(r), "status": r.status, "method": r.method, "explanation": r.explain()}
    cert, text = r.certificate, r.explain()
    if hasattr(cert, "point"):
        data["point"] = [str(x) for x in cert.point]
        data["values"] = [[str(x) for x in y] for y in cert.values]
        data["point_decimal"] = _decimals(cert.point, args)
        data["values_decimal"] = [_decimals(y, args) for y in cert.values]
        text += (f"\nIn decimals: at x = {_values(cert.point, args, False)}, f1 = "
                 f"{_values(cert.values[0], args, False)} and f2 = {_values(cert.values[1], args, False)}")
    elif hasattr(cert, "element"):
        data["group_element"] = cert.element.to_json()
    elif hasattr(cert, "mechanisms"):
        data["mechanisms"] = cert.mechanisms()
    elif hasattr(cert, "cells"):
        data["regions"] = len(cert.cells)
    return Outcome(0 if r else 1, text, data, [r], title="Functional equivalence")


def _configure_single(p):
    _net_arg(p, "network", "a shallow network")
    _layout_arg(p)


def _plot_arg(p) -> None:
    p.add_argument("--plot", metavar="FILE", help="save a picture (.png, .pdf, .svg; input dimension 2; needs the "
                                                  "plot extra)")


def _configure_fibre(p):
    _net_arg(p, "network", "a shallow or three-layer bottleneck network")
    _plot_arg(p)
    _layout_arg(p)


def _regions_picture(net: Network, title: str | None = None, box=None):
    from semialg.ui.plot import plot_regions
    if box is None:
        return lambda: plot_regions(net, title=title)
    return lambda: plot_regions(net, box=box, title=title)


@command("canonical", "the complete invariant of a shallow network, the normal form of a deeper one", _configure_single)
def _canonical(args) -> Outcome:
    net = _load(args.network, args)
    if net.depth != 2:
        return Outcome(0, *deep_canonical(net), title="Normal form modulo G")
    K, mf = canonical_form(net), minimal_form(net)
    kinks = [{"hyperplane": [str(x) for x in key], "kink": [str(x) for x in d]} for key, d in K.kinks]
    text = (f"{K.num_kinks} kink hyperplane(s); linear part {[[str(x) for x in r] for r in K.linear]}; "
            f"constant {[str(x) for x in K.constant]}\nminimal form (width {mf.widths[1]}): {mf!r}")
    return Outcome(0, text, {"kinks": kinks, "linear": [[str(x) for x in r] for r in K.linear],
                             "constant": [str(x) for x in K.constant],
                             "minimal_width": mf.widths[1]}, [K, mf], title="Canonical form")


@command("fibre", "the fibre of a shallow or bottleneck network as a semi-algebraic set", _configure_fibre)
def _fibre(args) -> Outcome:
    net = _load(args.network, args)
    if bottleneck.bottleneck_case(net) is not None:
        return _bottleneck_fibre(net)
    syms = hidden_symmetries(net)
    stab = stabilizer(net)
    F = fibre(net)
    flips = getattr(F, "flip_sets", None)
    how = f"n! x {len(flips)} admissible flip sets" if flips is not None else "one per non-empty type"
    try:
        local = F.local_dimension()
    except UndecidedError as exc:
        local = None
        lines_undecided = [f"local dimension undecided: {exc}"]
    else:
        lines_undecided = []
    lines = [f"fibre of a {net.architecture} parameter: {F.num_components} basic semi-algebraic components "
             f"({how}), dimension {F.dimension}, dimension at the parameter {local}",
             f"stabilizer: order {stab.order_of_finite_part}, dimension {stab.dimension}"]
    lines += lines_undecided + [f"hidden symmetry: {h.description}" for h in syms]
    data = {"num_components": F.num_components, "dimension": F.dimension, "local_dimension": local,
            "flip_sets": None if flips is None else [list(S) for S in flips],
            "hidden_symmetries": [h.name for h in syms]}

    def picture():
        from semialg.ui.plot import plot_fibre
        return plot_fibre(net, flips or ((),))
    return Outcome(0, "\n".join(lines), data, [net, F], title="Fibre", figure=picture)


def _bottleneck_fibre(net: Network) -> Outcome:
    t, moves = bottleneck.combinatorial_type(net), bottleneck.hidden_symmetries(net)
    data = {"type": {"case": t.case, "classes": list(t.classes), "regime": t.regime},
            "dimension": None, "moves": [m.to_json() for m in moves]}
    lines, objs = [t.describe()] + [f"  {m.describe()}" for m in moves], [net, t] + list(moves)
    for what, compute in (("fibre dimension", bottleneck.fibre_dimension), ("explicit fibre", fibre)):
        try:
            value = compute(net)
        except SemialgError as exc:
            lines.insert(1, f"no {what}: {exc}")
            continue
        if what == "fibre dimension":
            data["dimension"] = value
            lines.insert(1, f"fibre dimension {value} (of {net.architecture.num_parameters})")
        else:
            data.update(num_components=value.num_components, local_dimension=value.local_dimension(undecided=None))
            lines.insert(1, f"fibre: {value.num_components} non-empty basic components, dimension "
                            f"{value.dimension} ({data['local_dimension']} at this parameter; None: undecided)")
            objs.append(value)
    return Outcome(0, "\n".join(lines), data, objs, title="Fibre", figure=_regions_picture(net, t.describe()))


def _configure_regions(p):
    _net_arg(p, "network", "a ReLU network of any depth")
    p.add_argument("--box", metavar="LOWER:UPPER",
                   help="restrict to the open box between two comma-separated corners, e.g. --box=-1,-1:1,1")
    _plot_arg(p)
    _layout_arg(p)


def _corners(args, net: Network):
    """The exact corners of ``--box``, or ``None``."""
    if not getattr(args, "box", None):
        return None
    corners = args.box.split(":")
    if len(corners) != 2:
        raise ParameterError(f"--box must be LOWER:UPPER, e.g. --box=-1,-1:1,1, not {args.box!r}")
    d = net.architecture.input_dim
    return tuple(to_vector(c.split(","), d, where=f"--box {n}") for c, n in zip(corners, ("LOWER", "UPPER"), strict=True))


def _box(args, net: Network) -> Polytope | None:
    corners = _corners(args, net)
    return None if corners is None else Polytope.box(*corners)


def _vec(v) -> list[str]:
    return [str(x) for x in v]


@command("regions", "enumerate the linear regions of a network exactly", _configure_regions)
def _regions(args) -> Outcome:
    net = _load(args.network, args)
    regs = regions(net, _box(args, net), progress=not args.quiet and sys.stderr.isatty())
    lines = [f"{len(regs)} linear region(s) of a {net.architecture} network"
             + (" in the box" if args.box else "")]
    for r in regs[:50]:
        lines.append(f"  pattern {['' .join('+' if s > 0 else '-' if s < 0 else '0' for s in p) for p in r.pattern]}"
                     f" at ({', '.join(map(str, r.point))}): f(x) = {[_vec(a) for a in r.linear]} x + {_vec(r.offset)}")
    if len(regs) > 50:
        lines.append(f"  ... and {len(regs) - 50} more (use --json for all)")
    data = {"count": len(regs), "regions": [
        {"pattern": [list(p) for p in r.pattern], "point": _vec(r.point),
         "inequalities": [{"normal": _vec(g), "offset": str(h)} for g, h in r.inequalities],
         "linear": [_vec(a) for a in r.linear], "offset": _vec(r.offset)} for r in regs]}
    corners = _corners(args, net)
    box = None if corners is None else tuple((float(lo), float(hi)) for lo, hi in zip(*corners))
    return Outcome(0, "\n".join(lines), data, [net], title="Linear regions",
                   figure=_regions_picture(net, f"{len(regs)} exact linear regions", box))


def _configure_dim(p):
    _net_arg(p, "network", "a ReLU network of any depth")
    p.add_argument("--method", choices=["auto", "batch", "shallow"], default="auto",
                   help="closed form for shallow networks (auto) or the decisive batch for any depth")
    _layout_arg(p)


@command("dim", "the exact functional dimension of a network", _configure_dim)
def _dim(args) -> Outcome:
    net = _load(args.network, args)
    fd = functional_dimension(net, method=args.method)
    arch = net.architecture
    text = (f"functional dimension {fd.value} (exact, {fd.method}) of a {arch} network: "
            f"{arch.num_parameters} parameters, at most {fd.upper_bound} = #params - #rescalable hidden neurons"
            + (f"; {fd.deficit} below that bound" if fd.deficit else "; the generic value"))
    return Outcome(0, text, {"functional_dimension": fd.value, "upper_bound": fd.upper_bound,
                             "num_parameters": arch.num_parameters, "method": fd.method,
                             "regions": fd.regions}, [net], title="Functional dimension")


def _configure_generic(p):
    _net_arg(p, "network", "a ReLU network")
    p.add_argument("--budget", type=at_least(1), default=2 ** 20,
                   help="meet-in-the-middle budget for the 0-factor search (subsets per half; default 2^20)")
    _plot_arg(p)
    _layout_arg(p)


@command("generic", "decide whether a parameter avoids every degeneracy locus (exit 0 generic, 1 otherwise)",
         _configure_generic)
def _generic(args) -> Outcome:
    net = _load(args.network, args)
    report = genericity(net, budget=args.budget)
    report.verify(net)
    data = {"status": report.status, "scope": report.scope, "conditions": [
        {"name": c.name, "holds": c.holds, "witness": None if c.witness is None else [str(x) for x in c.witness],
         "detail": c.detail} for c in report.conditions]}
    return Outcome(0 if report else 1, report.explain() + f"\n({report.scope})", data, [report],
                   title="Genericity", figure=_regions_picture(net, report.explain().splitlines()[0][:90]))


def _configure_budgeted(p):
    _net_arg(p, "network", "a ReLU network of any depth")
    p.add_argument("--budget", type=float, default=10.0, help="seconds for the searches (default 10)")
    _layout_arg(p)


@command("identifiable", "is the fibre of a parameter exactly its G-orbit? (exit 0 identifiable, 1 not or "
         "unknown)", _configure_budgeted)
def _identifiable(args) -> Outcome:
    from semialg.engine.identifiability import identifiable
    net = _load(args.network, args)
    r = identifiable(net, budget=args.budget, progress=not args.quiet and sys.stderr.isatty())
    if r.status != "unknown":
        r.verify(net)
    return Outcome(0 if r else 1, r.explain(), r.to_json(), [r] + ([r.witness] if r.witness else []),
                   title="Identifiability")


@command("shallow", "is the function computed by a one-hidden-layer network? (exit 0 found, 1 none or "
         "undecided)", _configure_budgeted)
def _shallow(args) -> Outcome:
    from semialg.engine.hierarchy import shallow_representation
    net = _load(args.network, args)
    r = shallow_representation(net, budget=args.budget, progress=not args.quiet and sys.stderr.isatty())
    if r.status != "undecided":
        r.verify(net)
    return Outcome(0 if r else 1, r.explain(), r.to_json(), [r] + ([r.network] if r.network else []),
                   title="Shallow representation")


def _configure_loci(p):
    p.add_argument("architecture", help="widths, e.g. 2,3,1")
    p.add_argument("--members", type=at_least(0), default=3,
                   help="members of each family to spell out (default 3)")


#: The most parameters for which ``loci`` spells out members (their polynomials need every symbol).
MEMBER_LIMIT = 20_000


@command("loci", "the degeneracy loci of an architecture as polynomial systems", _configure_loci)
def _loci(args) -> Outcome:
    Z = degeneracy_loci(Architecture.parse(args.architecture))
    total = sum(f.count for f in Z.families)  # exact (2^n - 1 zero-factor loci): never len(), capped at 2^63 - 1
    lines = [f"degeneracy loci of {Z.architecture}: {count_text(total)} components in {len(Z.families)} families"]
    # A member needs the symbols of every parameter: beyond MEMBER_LIMIT, counts and templates only, at once.
    spell = Z.architecture.num_parameters <= MEMBER_LIMIT
    if not spell and args.members:
        lines.append(f"  (members not spelled out: more than {MEMBER_LIMIT} parameters; see the templates)")
    fams = []
    for f in Z.families:
        lines.append(f"  {f.name}: {count_text(f.count)} member(s) {f.latex_template} for {f.index_set}, "
                     f"codimension {f.codimension if f.codimension else 'varies'}; {f.scope}")
        members = list(itertools.islice(iter(f), args.members if spell else 0))
        for locus in members:
            lines.append(f"    {locus.name}: {', '.join(str(p) for p in locus.polynomials)} = 0")
        fams.append({"name": f.name, "count": count_json(f.count), "template": f.latex_template,
                     "index_set": f.index_set, "codimension": f.codimension, "scope": f.scope,
                     "members": [{"index": list(locus.index), "polynomials": [str(p) for p in locus.polynomials],
                                  "codimension": locus.codimension} for locus in members]})
    return Outcome(0, "\n".join(lines), {"architecture": list(Z.architecture.widths), "count": count_json(total),
                                         "families": fams}, [Z], title="Degeneracy loci")


def _configure_conserved(p):
    _net_arg(p, "network", "a small ReLU network (the checks are symbolic)")
    _layout_arg(p)


@command("conserved", "conserved quantities of gradient flow and the exact number of conservation laws",
         _configure_conserved)
def _conserved(args) -> Outcome:
    net = _load(args.network, args)
    qs = conserved_quantities(net)
    checks = [is_conserved(q, net) for q in qs]
    count = count_conservation_laws(net)
    lines = [f"{count.laws} independent local conservation law(s) at this parameter "
             f"(D - rank of the Lie algebra of the fields grad f(x) = {count.num_parameters} - {count.lie_rank}); "
             f"{count.known} explained by rescalings" + (f", {count.gap} unexplained" if count.gap else "")]
    lines += [f"  {q.name} = {q.expression}  [{q.symmetry}; symbolic check: "
              f"{'conserved' if c else 'NOT conserved'}]" for q, c in zip(qs, checks, strict=True)]
    lines.append("  discrete symmetries (permutations, 0-factor flips, reflections) induce no conservation law")
    data = {"laws": count.laws, "lie_rank": count.lie_rank, "known": count.known, "gap": count.gap,
            "stabilized": count.stabilized,
            "quantities": [{"name": q.name, "expression": str(q.expression), "symmetry": q.symmetry,
                            "conserved": bool(c)} for q, c in zip(qs, checks, strict=True)]}
    if bottleneck.bottleneck_case(net) is not None:
        report = mechanism_conservation(net)
        lines.append(f"bottleneck moves ({report.explicit} explicit laws, "
                     f"{'= the count: proven' if report.proven else 'below the count'}):")
        lines += [f"  {m.name}: {m.laws} law(s) — {m.reason}" for m in report.moves]
        data["moves"] = [{"name": m.name, "kind": m.kind, "laws": m.laws, "reason": m.reason} for m in report.moves]
        data["explicit_laws"], data["proven"] = report.explicit, report.proven
    return Outcome(0, "\n".join(lines), data, qs, title="Conserved quantities")


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


def _demo_loci() -> tuple[str, dict, list]:
    three = Network.from_arrays([[[1, 0], [0, 1], [-1, -1]], [[1, 1, 1]]], [[0, 0, 0], [0]])
    Z = degeneracy_loci(three.architecture)
    report = genericity(three)
    fd = functional_dimension(three)
    deep = Network.random((2, 3, 3, 1), seed=1)
    fd_deep = functional_dimension(deep)
    n_regions = len(regions(deep))
    text = "\n".join([
        f"Degeneracy loci of {Z.architecture}: {len(Z)} components ({', '.join(f'{len(f)} {f.name}' for f in Z.families)})",
        f"The three-lines parameter has every breakpoint distinct and no zero weight, yet: {report.explain().splitlines()[0]}",
        f"  its functional dimension is still the generic {fd.value} = #params - #hidden (0-factors do not lower it)",
        f"A random 2-3-3-1 network: {n_regions} exact linear regions, functional dimension {fd_deep.value} "
        f"(bound {fd_deep.upper_bound})"])
    return text, {"three_lines_generic": report.status, "three_lines_dim": fd.value, "deep_regions": n_regions,
                  "deep_dim": fd_deep.value}, ["Degeneracy loci of the architecture (2, 3, 1):", Z,
                                               "Genericity of the three-lines parameter:", report]


def _demo_bottleneck() -> tuple[str, dict, list]:
    hidden = Network.from_arrays([[[1, 1]], [[1], [2]], [[1, -2]]], [[0], [-1, -6], [0]])
    moved = bottleneck.translate_hidden_hyperplane(hidden, "1/2")
    too_far = bottleneck.translate_hidden_hyperplane(hidden, -2)
    r1, r2 = equivalent(hidden, moved), equivalent(hidden, too_far)
    kink = Network.from_arrays([[[1, 2]], [[1], [1]], [[1, 3]]], [[-1], [1, -2], [0]])
    flipped = bottleneck.flip_kink(kink, 1, into=0)
    r3 = equivalent(kink, flipped)
    F1, F2 = fibre(hidden), fibre(kink)
    text = "\n".join([
        "Bottleneck (2,1,2,1), first-layer hyperplane hidden by the second layer: translating it by 1/2 "
        "(b += 1/2, e_j -= v_j/2): " + r1.explain().splitlines()[0],
        "  translating by -2 makes it visible: " + r2.explain().splitlines()[0],
        f"  fibre: dimension {F1.dimension}, {F1.num_components} components",
        "Kink flip absorbed by the always-active neuron: " + r3.explain().splitlines()[0],
        f"  fibre: dimension {F2.dimension}, {F2.num_components} components (2 slots x 2 flips)"])
    return text, {"hidden_translation": bool(r1), "hidden_too_far": bool(r2), "kink_flip": bool(r3),
                  "hidden_fibre_dimension": F1.dimension, "kink_fibre_components": F2.num_components}, \
        ["A hidden hyperplane translated:", r1, "Its fibre:", F1, "A kink flip absorbed:", r3, "Its fibre:", F2]


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
    p.add_argument("--connect-timeout", type=at_least(1), default=10, metavar="SECONDS",
                   help="give up connecting to --scheduler after this many seconds (default 10)")
    p.add_argument("--workers", type=at_least(1), default=None, help="local processes (default: one per core)")
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
        old = load_survey(args.out)
        if old.get("spec") != spec.to_json():
            raise ParameterError(f"{args.out} holds a different survey ({old.get('spec')}); choose another --out")
        done = {r["key"]: r for r in old["results"]}
    order = {c.key: i for i, c in enumerate(spec.cases())}
    collected = dict(done)
    last = [time.monotonic()]

    def save(complete: bool) -> None:
        records = sorted(collected.values(), key=lambda r: order[r["key"]])
        write_survey(args.out, spec.to_json(), records, survey.summarise(records), complete)

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


#: Further demo sections, registered by later capabilities: callables returning (text, json, latex objects).
DEMO_SECTIONS: list[Callable[[], tuple[str, dict, list]]] = [_demo_shallow, _demo_loci, _demo_bottleneck, deep_demo]


# -- driver -----------------------------------------------------------------------------------------

#: Commands whose ``--budget`` is wall-clock seconds (the others that take one count subsets).
TIMED = ("equiv", "canonical", "fibre", "regions", "dim", "loci", "conserved")
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
            p.add_argument("--budget", type=at_least(1), default=60, metavar="SECONDS",
                           help="wall-clock limit; when spent the answer is 'undecided' (exit 1; default 60)")
        p.add_argument("--json", action="store_true", help="print the result as JSON")
        p.add_argument("--latex", metavar="FILE", help="write a standalone LaTeX document of the result")
        p.add_argument("--quiet", action="store_true", help="print nothing; only the exit code")
        p.add_argument("--digits", type=at_least(1), metavar="N",
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
