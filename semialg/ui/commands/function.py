"""Questions about the function of a network and its fibre: ``semialg equiv``, ``canonical``, ``fibre``,
``regions`` and ``dim``."""

from __future__ import annotations

import sys
import time

from semialg.core.network import Network
from semialg.dispatch import equivalent, fibre, local_dimension_bounds
from semialg.engine.functional_dimension import functional_dimension
from semialg.engine.regions import regions
from semialg.errors import SemialgError, UndecidedError
from semialg.families import bottleneck
from semialg.families.shallow import canonical_form, hidden_symmetries, minimal_form, stabilizer
from semialg.ui.commands import Outcome, command
from semialg.ui.commands.arguments import (box_corners, box_polytope, decimals, exact_and_decimal, float_box, layout_arg,
                                          load_net, net_arg, plot_arg, regions_picture, strings)
from semialg.ui.deep import deep_canonical

SHOWN = 12     # flat directions listed by `semialg dim` (--json: all)

__all__: list[str] = []


def _configure_pair(p):
    net_arg(p, "first", "first network")
    net_arg(p, "second", "second network")
    layout_arg(p)


@command("equiv", "decide whether two networks realize the same function (exit 0 yes, 1 no)", _configure_pair)
def _equiv(args) -> Outcome:
    n1, n2 = load_net(args.first, args), load_net(args.second, args)
    r = equivalent(n1, n2, budget=0.9 * args.budget, progress=not args.quiet and sys.stderr.isatty())
    r.equivalent is None or r.verify(n1, n2)  # undecided (budget spent before the wall clock): nothing to check
    data = {"equivalent": bool(r), "status": r.status, "method": r.method, "explanation": r.explain()}
    cert, text = r.certificate, r.explain()
    if hasattr(cert, "point"):
        data["point"] = [str(x) for x in cert.point]
        data["values"] = [[str(x) for x in y] for y in cert.values]
        data["point_decimal"] = decimals(cert.point, args)
        data["values_decimal"] = [decimals(y, args) for y in cert.values]
        text += (f"\nIn decimals: at x = {exact_and_decimal(cert.point, args, False)}, f1 = "
                 f"{exact_and_decimal(cert.values[0], args, False)} and f2 = {exact_and_decimal(cert.values[1], args, False)}")
    elif isinstance(cert, bottleneck.BottleneckMoveCertificate):
        # named as the hidden symmetries of `semialg fibre` name them on the networks the moves act on
        data["group_element"], data["mechanisms"] = cert.element.to_json(), cert.mechanisms(n1, n2)
        text += "\nMechanisms (as hidden_symmetries names them): " + ", ".join(data["mechanisms"])
    elif hasattr(cert, "element"):
        data["group_element"] = cert.element.to_json()
    elif hasattr(cert, "mechanisms"):
        data["mechanisms"] = cert.mechanisms()
    elif hasattr(cert, "cells"):
        data["regions"] = len(cert.cells)
    return Outcome(0 if r else 1, text, data, [r], title="Functional equivalence")


def _configure_single(p):
    net_arg(p, "network", "a shallow network")
    layout_arg(p)


def _configure_fibre(p):
    net_arg(p, "network", "a shallow or three-layer bottleneck network")
    plot_arg(p)
    layout_arg(p)


@command("canonical", "the complete invariant of a shallow network, the normal form of a deeper one", _configure_single)
def _canonical(args) -> Outcome:
    net = load_net(args.network, args)
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
    started = time.monotonic()
    net = load_net(args.network, args)
    if bottleneck.bottleneck_case(net) is not None:
        return _bottleneck_fibre(net, started + 0.9 * args.budget)
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


def _bottleneck_fibre(net: Network, deadline: float) -> Outcome:
    left = lambda: max(deadline - time.monotonic(), 0.0)  # noqa: E731
    try:
        t = bottleneck.combinatorial_type(net, budget=left(), progress=False)
    except UndecidedError as exc:   # wide first layers whose witnesses do not settle the type: no fibre either
        return Outcome(1, f"combinatorial type undecided: {exc}", {"status": "undecided", "reason": str(exc)},
                       [net], title="Fibre")
    try:
        moves, unlisted = bottleneck.hidden_symmetries(net, budget=left(), progress=False), None
    except UndecidedError as exc:   # the shallow symmetries of a wide h, predicted past the budget
        moves, unlisted = (), str(exc)
    data = {"type": {"case": t.case, "classes": list(t.classes), "regime": t.regime},
            "dimension": None, "moves": [m.to_json() for m in moves]}
    lines, objs = [t.describe()] + [f"  {m.describe()}" for m in moves], [net, t] + list(moves)
    if unlisted:
        lines.append(f"  more moves undecided: {unlisted}")
        data["moves_undecided"] = unlisted
    # the explicit fibre stops before the wall clock of --budget (hidden-neuron fibres can take minutes; the
    # command draws the budget bar, so no second bar): then the answer is undecided, exit 1
    explicit = lambda n: fibre(n, budget=left(), progress=False)  # noqa: E731
    code = 0
    for what, compute in (("fibre dimension", bottleneck.fibre_dimension), ("explicit fibre", explicit)):
        try:
            value = compute(net)
        except UndecidedError as exc:
            lines.insert(1, f"{what} undecided: {exc}")
            data.update(status="undecided", reason=str(exc))
            code = 1
            continue
        except SemialgError as exc:     # the formula of generic parameters: the explicit fibre may still decide
            label = f"{what} by the formula of generic parameters" if what == "fibre dimension" else what
            lines.insert(1, f"no {label}: {exc}")
            continue
        if what == "fibre dimension":
            data["dimension"] = value
            lines.insert(1, f"fibre dimension {value} (of {net.architecture.num_parameters})")
        else:
            (count, no_count), (dim, no_dim) = (_or_undecided(lambda: value.num_components),
                                                _or_undecided(lambda: value.dimension))
            data.update(num_components=count, local_dimension=value.local_dimension(undecided=None))
            data.update({k: why for k, why in (("num_components_undecided", no_count),
                                               ("explicit_dimension_undecided", no_dim)) if why})
            local = data["local_dimension"]
            lines.insert(1, f"fibre: {'uncounted' if no_count else count} non-empty basic components, dimension "
                            f"{'undecided' if no_dim else dim} ({'undecided' if local is None else local} at this "
                            f"parameter)" + "".join(f"\n  undecided: {why}" for why in (no_count, no_dim) if why))
            objs.append(value)
    return Outcome(code, "\n".join(lines), data, objs, title="Fibre", figure=regions_picture(net, t.describe()))


def _or_undecided(compute) -> tuple:
    """``(value, None)``, or ``(None, reason)`` when it is undecided (a budget spent, pieces not described)."""
    try:
        return compute(), None
    except UndecidedError as exc:
        return None, str(exc)


def _configure_regions(p):
    net_arg(p, "network", "a ReLU network of any depth")
    p.add_argument("--box", metavar="LOWER:UPPER",
                   help="restrict to the open box between two comma-separated corners, e.g. --box=-1,-1:1,1")
    plot_arg(p)
    layout_arg(p)


@command("regions", "enumerate the linear regions of a network exactly", _configure_regions)
def _regions(args) -> Outcome:
    net = load_net(args.network, args)
    corners = box_corners(args, net)
    if args.plot and corners is not None:
        float_box(corners)  # a box too large to draw is refused before any work, and nothing is written
    regs = regions(net, box_polytope(args, net), progress=not args.quiet and sys.stderr.isatty())
    lines = [f"{len(regs)} linear region(s) of a {net.architecture} network"
             + (" in the box" if args.box else "")]
    for r in regs[:50]:
        lines.append(f"  pattern {['' .join('+' if s > 0 else '-' if s < 0 else '0' for s in p) for p in r.pattern]}"
                     f" at ({', '.join(map(str, r.point))}): f(x) = {[strings(a) for a in r.linear]} x + {strings(r.offset)}")
    if len(regs) > 50:
        lines.append(f"  ... and {len(regs) - 50} more (use --json for all)")
    data = {"count": len(regs), "regions": [
        {"pattern": [list(p) for p in r.pattern], "point": strings(r.point),
         "inequalities": [{"normal": strings(g), "offset": str(h)} for g, h in r.inequalities],
         "linear": [strings(a) for a in r.linear], "offset": strings(r.offset)} for r in regs]}
    return Outcome(0, "\n".join(lines), data, [net], title="Linear regions",
                   figure=regions_picture(net, f"{len(regs)} exact linear regions", corners))


def _configure_dim(p):
    net_arg(p, "network", "a ReLU network of any depth")
    p.add_argument("--method", choices=["auto", "batch", "shallow"], default="auto",
                   help="closed form for shallow networks (auto) or the decisive batch for any depth")
    p.add_argument("--fibre", action="store_true",
                   help="also bound the dimension of the fibre at this parameter (proven lower and upper bounds; "
                        "exact when they meet)")
    layout_arg(p)


@command("dim", "the exact functional dimension of a network", _configure_dim)
def _dim(args) -> Outcome:
    started = time.monotonic()
    net = load_net(args.network, args)
    arch = net.architecture
    try:    # stops before the wall clock of --budget; the command draws the budget bar
        fd = functional_dimension(net, method=args.method, budget=0.9 * args.budget, progress=False)
    except UndecidedError as exc:
        return Outcome(1, f"functional dimension of a {arch} network undecided: {exc}",
                       {"functional_dimension": None, "status": "undecided", "reason": str(exc),
                        "num_parameters": arch.num_parameters}, [net], title="Functional dimension")
    text = (f"functional dimension {fd.value} (exact, {fd.method}) of a {arch} network: "
            f"{arch.num_parameters} parameters, at most {fd.upper_bound} = #params - #rescalable hidden neurons"
            + (f"; {fd.deficit} below that bound" if fd.deficit else "; the generic value"))
    if fd.flat:
        text += "\nlowering the bound, directions no Jacobian row reads:" + "".join(
            f"\n  - {d.describe()}" for d in fd.flat[:SHOWN]) + (
            f"\n  ... and {len(fd.flat) - SHOWN} more (--json lists them all)" if len(fd.flat) > SHOWN else "")
    data = {"functional_dimension": fd.value, "upper_bound": fd.upper_bound, "num_parameters": arch.num_parameters,
            "method": fd.method, "regions": fd.regions, "flat_directions": [d.to_json() for d in fd.flat]}
    if args.fibre:
        # the bounds stop enumerating regions before the wall clock of --budget, the rows found still bounding
        lower, upper = local_dimension_bounds(net, budget=max(started + 0.9 * args.budget - time.monotonic(), 0.0),
                                              progress=False)
        text += (f"\nfibre dimension at this parameter: {lower} (proven: the bounds meet)" if lower == upper else
                 f"\nfibre dimension at this parameter: between {lower} and {upper} (proven bounds)")
        data.update(fibre_dimension_lower=lower, fibre_dimension_upper=upper)
    return Outcome(0, text, data, [fd, net], title="Functional dimension")
