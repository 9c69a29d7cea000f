"""``semialg convert`` and ``semialg eval``: reading, writing and evaluating a network."""

from __future__ import annotations

from semialg.core.exact import to_vector
from semialg.ui.commands import Outcome, command
from semialg.ui.commands.arguments import decimals, exact_and_decimal, layout_arg, load_net, net_arg
from semialg.ui.io import save

__all__: list[str] = []


def _configure_convert(p):
    net_arg(p, "input", "network to read")
    p.add_argument("output", help="file to write; the format follows the suffix")
    layout_arg(p)


@command("convert", "convert a network between .json, .npz, .safetensors and .onnx", _configure_convert)
def _convert(args) -> Outcome:
    net = load_net(args.input, args)
    save(net, args.output)
    return Outcome(0, f"wrote {args.output} ({net.architecture}, {net.architecture.num_parameters} parameters)",
                   {"input": args.input, "output": args.output, "widths": list(net.widths)}, [net])


def _configure_eval(p):
    net_arg(p, "network", "network to evaluate")
    p.add_argument("x", help="input point, comma-separated rationals, e.g. 1,-1/2,0.25")
    layout_arg(p)


@command("eval", "evaluate a network exactly at a rational point", _configure_eval)
def _eval(args) -> Outcome:
    net = load_net(args.network, args)
    x = to_vector(args.x.split(","), net.architecture.input_dim, where="x")
    y = net(x)
    shown = decimals(y, args)
    text = f"f({', '.join(map(str, x))}) = {exact_and_decimal(y, args, shown=shown)}"
    return Outcome(0, text, {"x": [str(v) for v in x], "y": [str(v) for v in y], "y_decimal": shown}, [net])
