"""Questions about a parameter and its architecture: ``semialg generic``, ``identifiable``, ``shallow``,
``symmetries``, ``stabilizer``, ``loci`` and ``conserved``."""

from __future__ import annotations

import itertools
import sys
import time

from semialg.core.network import Architecture
from semialg.dispatch import hidden_symmetries, stabilizer
from semialg.engine.conservation import mechanism_conservation, conserved_quantities, count_conservation_laws, is_conserved
from semialg.engine.hierarchy import shallow_representation
from semialg.engine.identifiability import identifiable
from semialg.engine.loci import degeneracy_loci, genericity
from semialg.errors import UndecidedError
from semialg.families import bottleneck
from semialg.ui.commands import Outcome, command
from semialg.ui.commands.arguments import layout_arg, load_net, net_arg, plot_arg, regions_picture
from semialg.ui.runner import at_least, count_json, count_text

__all__ = ["MEMBER_LIMIT"]


def _configure_generic(p):
    net_arg(p, "network", "a ReLU network")
    p.add_argument("--budget", type=at_least(1), default=2 ** 20,
                   help="meet-in-the-middle budget for the 0-factor search (subsets per half; default 2^20)")
    plot_arg(p)
    layout_arg(p)


@command("generic", "decide whether a parameter avoids every degeneracy locus (exit 0 generic, 1 otherwise)",
         _configure_generic)
def _generic(args) -> Outcome:
    net = load_net(args.network, args)
    report = genericity(net, budget=args.budget)
    report.verify(net)
    data = {"status": report.status, "scope": report.scope, "conditions": [
        {"name": c.name, "holds": c.holds, "witness": None if c.witness is None else [str(x) for x in c.witness],
         "detail": c.detail} for c in report.conditions]}
    return Outcome(0 if report else 1, report.explain() + f"\n({report.scope})", data, [report],
                   title="Genericity", figure=regions_picture(net, report.explain().splitlines()[0][:90]))


def _configure_budgeted(p):
    net_arg(p, "network", "a ReLU network of any depth")      # --budget: the wall clock of every timed command
    layout_arg(p)


def _searched(args, search, undecided: str, found: str, title: str) -> Outcome:
    """Run a budgeted ``search(net, budget=, progress=)`` on the network of ``args``; re-check its answer
    unless it is ``undecided``; typeset the result with its attribute ``found`` (a network) when present. The
    search gets 90% of ``--budget``, so that it answers itself before the wall clock stops the command (which
    then answers undecided: some of its steps take no deadline at 784-4096 widths)."""
    net = load_net(args.network, args)
    r = search(net, budget=0.9 * args.budget, progress=not args.quiet and sys.stderr.isatty())
    if r.status != undecided:
        r.verify(net)
    extra = getattr(r, found)
    return Outcome(0 if r else 1, r.explain(), r.to_json(), [r] + ([extra] if extra else []), title=title)


@command("identifiable", "is the fibre of a parameter exactly its G-orbit? (exit 0 identifiable, 1 not or "
         "unknown)", _configure_budgeted)
def _identifiable(args) -> Outcome:
    return _searched(args, identifiable, "unknown", "witness", "Identifiability")


@command("shallow", "is the function computed by a one-hidden-layer network? (exit 0 found, 1 none or "
         "undecided)", _configure_budgeted)
def _shallow(args) -> Outcome:
    return _searched(args, shallow_representation, "undecided", "network", "Shallow representation")


@command("symmetries", "the mechanisms beyond G present at a parameter, any depth (exit 0 all searched, 1 "
         "undecided)", _configure_budgeted)
def _symmetries(args) -> Outcome:
    net = load_net(args.network, args)
    try:
        found = hidden_symmetries(net, budget=0.9 * args.budget, progress=not args.quiet and sys.stderr.isatty())
        undecided = None
    except UndecidedError as exc:       # the mechanisms found are present all the same; more may be
        found, undecided = tuple(exc.partial or ()), str(exc)
    head = (f"{len(found)} mechanism(s) beyond G at this {net.architecture} parameter" if found else
            f"no mechanism beyond G {'found ' if undecided else ''}at this {net.architecture} parameter")
    lines = [head + (" (the search was not complete" + ("; each one listed is present)" if found else ")")
                     if undecided else " (the search was complete for the mechanisms semialg knows at this depth)")]
    for group in _alike(found):
        m, frozen = group[0], "freezes its parameters" if group[0].freezes else "no frozen parameter"
        if len(group) <= 3:
            for m in group:
                where = f"layer {m.layer}, neurons {[i + 1 for i in m.neurons]}" if m.neurons else f"layer {m.layer}"
                lines.append(f"  {m.describe()} [{where}; {frozen}]")
            continue
        neurons = [i + 1 for g in group for i in g.neurons]
        shown = ", ".join(map(str, neurons[:12])) + (f", ... ({len(neurons)} neurons)" if len(neurons) > 12 else "")
        lines.append(f"  {len(group)} x {m.describe()} [layer {m.layer}, neurons {shown}; {frozen}; the first "
                     "shown, the others alike]")
    if undecided:
        lines.append(f"undecided: {undecided}")
    data = {"complete": undecided is None, "undecided": undecided,
            "mechanisms": [{"name": m.name, "kind": m.kind, "dimension": m.dimension, "multiplicity": m.multiplicity,
                            "layer": m.layer, "neurons": list(m.neurons), "freezes": m.freezes,
                            "relation": m.relation, "description": m.description} for m in found]}
    return Outcome(1 if undecided else 0, "\n".join(lines), data, list(found), title="Hidden symmetries")


def _alike(mechanisms) -> list[list]:
    """Consecutive mechanisms of one name, layer, kind, size and freezing, grouped (a pruned layer lists one per
    neuron)."""
    groups: list[list] = []
    for m in mechanisms:
        key = (m.name, m.layer, m.continuous, m.dimension, m.multiplicity, m.freezes)
        if groups and groups[-1][0] == key:
            groups[-1][1].append(m)
        else:
            groups.append((key, [m]))
    return [members for _, members in groups]


def _configure_stabilizer(p):
    net_arg(p, "network", "a ReLU network of any depth")
    p.add_argument("--budget", type=at_least(1), default=10 ** 5,
                   help="layer matchings per orbit search among tied neurons (default 100000)")
    layout_arg(p)


@command("stabilizer", "the symmetries of G that fix a parameter: finite part and dimension", _configure_stabilizer)
def _stabilizer(args) -> Outcome:
    net = load_net(args.network, args)
    S = stabilizer(net, budget=args.budget)
    data = {"order_of_finite_part": S.order_of_finite_part, "dimension": S.dimension, "trivial": S.is_trivial}
    return Outcome(0, S.describe(), data, [S], title="Stabilizer")


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
        members = list(itertools.islice(iter(f), min(args.members, sys.maxsize) if spell else 0))
        for locus in members:
            lines.append(f"    {locus.name}: {', '.join(str(p) for p in locus.polynomials)} = 0")
        fams.append({"name": f.name, "count": count_json(f.count), "template": f.latex_template,
                     "index_set": f.index_set, "codimension": f.codimension, "scope": f.scope,
                     "members": [{"index": list(locus.index), "polynomials": [str(p) for p in locus.polynomials],
                                  "codimension": locus.codimension} for locus in members]})
    return Outcome(0, "\n".join(lines), {"architecture": list(Z.architecture.widths), "count": count_json(total),
                                         "families": fams}, [Z], title="Degeneracy loci")


def _configure_conserved(p):
    net_arg(p, "network", "a small ReLU network (the checks are symbolic)")
    layout_arg(p)


@command("conserved", "conserved quantities of gradient flow and the exact number of conservation laws",
         _configure_conserved)
def _conserved(args) -> Outcome:
    net = load_net(args.network, args)
    end = time.monotonic() + 0.9 * args.budget       # every step below answers before the wall clock
    qs = conserved_quantities(net)
    # the bracket iteration stops at the deadline and then reports an upper bound
    count = count_conservation_laws(net, budget=max(0.0, end - time.monotonic()), progress=False)
    checks = []
    for q in qs:        # symbolic, about 2 s each at 4-10-1-1: those the budget does not reach are undecided
        try:
            checks.append(is_conserved(q, net, budget=max(0.0, end - time.monotonic())))
        except UndecidedError:
            checks.append(None)
    bound = "" if count.stabilized else "at most "
    lines = [f"{bound}{count.laws} independent local conservation law(s) at this parameter "
             f"(D - rank of the Lie algebra of the fields grad f(x) = {count.num_parameters} - {count.lie_rank}"
             + ("" if count.stabilized else "; an upper bound: " + (
                 "the budget was spent" if count.budget_spent else
                 f"the rank is {count.rank_at_parameter} at this parameter and {count.lie_rank} near it, a singular "
                 "point" if count.rank_at_parameter is not None else "the bracket iteration did not stabilise"))
             + f"); {count.known} explained by rescalings" + (f", {count.gap} unexplained" if count.gap else "")]
    # beyond MEMBER_LIMIT parameters the sums are not spelled out: 784-4096-10 has 4096 of 795 terms each
    spell = net.architecture.num_parameters <= MEMBER_LIMIT
    shown = [str(q.expression) if spell else _rescaling_template(q.name) for q in qs]
    lines += [f"  {q.name} = {text}  [{q.symmetry}; symbolic check: "
              f"{'undecided (budget spent)' if c is None else 'conserved' if c else 'NOT conserved'}]"
              for q, c, text in zip(qs, checks, shown, strict=True)]
    lines.append("  discrete symmetries (permutations, 0-factor flips, reflections) induce no conservation law")
    data = {"laws": count.laws, "lie_rank": count.lie_rank, "known": count.known, "gap": count.gap,
            "stabilized": count.stabilized, "budget_spent": count.budget_spent,
            "rank_at_parameter": count.rank_at_parameter,
            "quantities": [{"name": q.name, "expression": text, "symmetry": q.symmetry,
                            "conserved": None if c is None else bool(c)}
                           for q, c, text in zip(qs, checks, shown, strict=True)]}
    if bottleneck.bottleneck_case(net) is not None:
        try:
            report = mechanism_conservation(net, budget=max(0.0, end - time.monotonic()), progress=False)
        except UndecidedError as exc:       # the type of a wide first layer, past the budget
            lines.append(f"bottleneck moves: undecided ({exc})")
            data["moves"] = None
            return Outcome(0, "\n".join(lines), data, qs, title="Conserved quantities")
        lines.append(f"bottleneck moves ({report.explicit} explicit laws, "
                     f"{'= the count: proven' if report.proven else 'below the count'}):")
        lines += [f"  {m.name}: {m.laws} law(s) — {m.reason}" for m in report.moves]
        data["moves"] = [{"name": m.name, "kind": m.kind, "laws": m.laws, "reason": m.reason} for m in report.moves]
        data["explicit_laws"], data["proven"] = report.explicit, report.proven
    return Outcome(0, "\n".join(lines), data, qs, title="Conserved quantities")


def _rescaling_template(name: str) -> str:
    """The quantity ``Q_l_i`` of :func:`conserved_quantities` as a formula in the parameter names, its sums not
    spelled out."""
    _, l, i = name.split("_")
    return f"sum_j W{l}_{i}_j**2 + b{l}_{i}**2 - sum_m W{int(l) + 1}_m_{i}**2"
