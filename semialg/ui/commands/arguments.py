"""Options and readers shared by the ``semialg`` subcommands: network arguments and their loading, the weight
layout, ``--plot`` and ``--box``, and exact values shown with decimals beside them."""

from __future__ import annotations

import argparse
import sys

from semialg.core.exact import decimal_str, to_vector
from semialg.core.network import Network
from semialg.errors import ParameterError
from semialg.geometry.polyhedron import Polytope
from semialg.ui.io import load

__all__ = ["net_arg", "load_net", "layout_arg", "plot_arg", "decimals", "exact_and_decimal", "strings",
           "regions_picture", "box_corners", "box_polytope", "float_box"]


def net_arg(p: argparse.ArgumentParser, name: str, help: str) -> None:
    p.add_argument(name, help=help + " (.json, .npz, .safetensors or .onnx)")


def load_net(path: str, args) -> Network:
    order = getattr(args, "order", None)
    net = load(path, layout=getattr(args, "layout", "auto"), logits=getattr(args, "logits", False),
               order=order.split(",") if order else None)
    if net.assumptions and not args.quiet:
        print(f"semialg: note: {path}: {'; '.join(net.assumptions)}", file=sys.stderr)
    return net


def layout_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--layout", choices=["auto", "out_in", "in_out"], default="auto",
                   help="weight layout in .npz/.safetensors files (default: auto, PyTorch (out, in) first)")
    p.add_argument("--logits", action="store_true",
                   help="read an ONNX graph ending in Softmax/Sigmoid/LogSoftmax up to its logits")
    p.add_argument("--order", metavar="NAMES",
                   help="order of named layers in a weight file, e.g. fc1,fc2,out (when shapes do not decide it)")


def plot_arg(p) -> None:
    p.add_argument("--plot", metavar="FILE", help="save a picture (.png, .pdf, .svg; input dimension 2; needs the "
                                                  "plot extra)")


def decimals(v, args) -> list[str]:
    return [decimal_str(x, getattr(args, "digits", None) or 6) for x in v]


def exact_and_decimal(v, args, exact: bool = True, shown: list[str] | None = None) -> str:
    """Exact values (a single one as a number) with decimals beside them unless exact; or only the decimals.

    ``shown``: the decimals already computed for ``v`` (a command that also reports them in JSON passes them
    rather than have them computed twice)."""
    ex, ap = ", ".join(map(str, v)), ", ".join(decimals(v, args) if shown is None else shown)
    if len(v) != 1:
        ex, ap = f"({ex})", f"({ap})"
    return ap if not exact else ex if all(x.q == 1 for x in v) else f"{ex} ≈ {ap}"


def strings(v) -> list[str]:
    return [str(x) for x in v]


def regions_picture(net: Network, title: str | None = None, corners=None):
    """The picture of the regions (drawn when asked for), in the box with exact ``corners`` if given."""
    from semialg.ui.plot import plot_regions
    if corners is None:
        return lambda: plot_regions(net, title=title)
    return lambda: plot_regions(net, box=float_box(corners), title=title)


def float_box(corners) -> tuple[tuple[float, float], ...]:
    """The exact ``--box`` corners as floats for drawing; a corner beyond the float range cannot be drawn."""
    try:
        return tuple((float(lo), float(hi)) for lo, hi in zip(*corners, strict=True))
    except OverflowError:
        raise ParameterError("--plot: a --box corner is beyond the float range, too large to draw "
                             "(the regions themselves are exact)") from None


def box_corners(args, net: Network):
    """The exact corners of ``--box``, or ``None``."""
    if not getattr(args, "box", None):
        return None
    corners = args.box.split(":")
    if len(corners) != 2:
        raise ParameterError(f"--box must be LOWER:UPPER, e.g. --box=-1,-1:1,1, not {args.box!r}")
    d = net.architecture.input_dim
    return tuple(to_vector(c.split(","), d, where=f"--box {n}") for c, n in zip(corners, ("LOWER", "UPPER"), strict=True))


def box_polytope(args, net: Network) -> Polytope | None:
    corners = box_corners(args, net)
    return None if corners is None else Polytope.box(*corners)
