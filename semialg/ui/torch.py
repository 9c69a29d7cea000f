"""PyTorch modules as exact ReLU networks: :func:`from_torch` (torch is optional, never required).

Reads ``nn.Sequential`` (nested ones are flattened) and modules whose ``forward`` is a simple chain of
``Linear`` and ``ReLU`` (found with ``torch.fx``): ``Linear`` (with or without bias), ``ReLU`` (also
``F.relu``/``torch.relu``/``.relu()``), ``Dropout``/``Identity`` skipped and ``Flatten`` of the input, in
evaluation mode. ``BatchNorm1d`` in evaluation mode is folded into the neighbouring ``Linear`` layer: it is
the affine map $x \\mapsto s \\odot (x - \\mu) + \\beta$ with $s = \\gamma/\\sqrt{\\mathrm{var} + \\varepsilon}$, and
$s$ is taken as its float64 value (the only rounding; it is recorded in ``net.assumptions``). Weights are
read exactly (float16/bfloat16/float32/float64 are dyadic rationals). Any other layer is refused by name; a
final ``Softmax``/``Sigmoid``/``LogSoftmax`` only with ``logits=True``.

Cost: $O(\\dim\\Omega)$ conversions, $O(mn)$ per folded BatchNorm.
"""

from __future__ import annotations

import numpy as np

from semialg.core.exact import to_vector
from semialg.core.rational_matrix import RationalMatrix
from semialg.core.network import Network
from semialg.errors import FormatError
from semialg.ui.declared import assume, dropped_output, listing
from semialg.ui.layouts import AffineChain, batchnorm

__all__ = ["from_torch"]

_FINAL = ("Softmax", "Sigmoid", "LogSoftmax")
_SKIPPED = ("Dropout", "Dropout1d", "AlphaDropout", "Identity")


def _torch():
    try:
        import torch
    except ImportError:
        raise FormatError("from_torch needs PyTorch (pip install torch)") from None
    return torch


def _array(t, where: str) -> np.ndarray:
    torch = _torch()
    t = t.detach().cpu()
    if not t.is_floating_point():
        raise FormatError(f"{where}: tensor of dtype {t.dtype} where real weights are expected")
    if t.dtype not in (torch.float16, torch.float32, torch.float64):
        t = t.to(torch.float64)  # bfloat16 and float8 widen exactly
    return t.numpy()


def _steps(module, name: str, torch) -> list[tuple[str, object]]:
    """The chain of (name, layer) that ``module`` applies, where a layer is a leaf module or "relu"/"flatten"."""
    nn = torch.nn
    if isinstance(module, nn.Sequential):
        out = []
        for child_name, child in module.named_children():
            out += _steps(child, f"{name}.{child_name}" if name else child_name, torch)
        return out
    if _is_leaf(module, nn):
        return [(name or type(module).__name__, module)]
    try:
        graph = torch.fx.symbolic_trace(module).graph
    except Exception as e:  # fx raises many kinds of errors for data-dependent control flow
        raise FormatError(f"{type(module).__name__}: cannot follow its forward ({type(e).__name__}: {e}); "
                          f"write the model as an nn.Sequential") from None
    steps, data = [], None
    for node in graph.nodes:
        where = f"{type(module).__name__}: {node.op} {node.name!r}"
        if node.op == "placeholder":
            if data is not None:
                raise FormatError(f"{where}: forward takes more than one input")
            data = node
            continue
        if node.op == "output":
            if node.args[0] is not data:
                raise FormatError(f"{where}: the output is not the end of a simple chain of layers")
            break
        if not node.args or node.args[0] is not data or any(isinstance(a, torch.fx.Node) for a in
                                                             list(node.args[1:]) + list(node.kwargs.values())):
            raise FormatError(f"{where}: not a simple chain of layers (the data is reused or combined)")
        if node.op == "call_module":
            sub = module.get_submodule(node.target)
            steps += _steps(sub, f"{name}.{node.target}" if name else node.target, torch)
        elif node.op == "call_function" and node.target in (torch.relu, torch.nn.functional.relu):
            steps.append((node.name, "relu"))
        elif node.op == "call_method" and node.target in ("relu", "relu_"):
            steps.append((node.name, "relu"))
        elif (node.op == "call_function" and node.target in (torch.flatten, torch.reshape)
              or node.op == "call_method" and node.target in ("flatten", "view", "reshape")):
            _check_rows(node, getattr(node.target, "__name__", node.target), where)
            steps.append((node.name, "flatten"))
        else:
            raise FormatError(f"{where} ({getattr(node.target, '__name__', node.target)!s}) is not supported; "
                              f"semialg reads chains of Linear and ReLU")
        data = node
    return steps


def _check_rows(node, op: str, where: str) -> None:
    """Refuse a flatten or reshape of the input unless it keeps each example in one row of its features:
    ``flatten(1)`` (``start_dim=1``, ``end_dim=-1``), or ``view``/``reshape`` to ``(-1, k)``, the ``k`` features
    of an example (the next Linear layer checks ``k``). Anything else mixes examples and features, and semialg
    would analyse another network than the module computes."""
    args, kwargs = list(node.args[1:]), dict(node.kwargs)
    if op == "flatten":
        start, end = (args + [kwargs.get("start_dim", 0), kwargs.get("end_dim", -1)][len(args):])[:2]
        if (start, end) == (1, -1):
            return
        raise FormatError(f"{where}: flatten with start_dim={start}, end_dim={end}; only flatten(1) keeps each "
                          f"example in one row of its features")
    shape = args[0] if len(args) == 1 and isinstance(args[0], (tuple, list)) else args or kwargs.get("shape", ())
    shape = tuple(shape)
    if len(shape) == 2 and shape[0] == -1 and isinstance(shape[1], int) and shape[1] > 0:
        return
    raise FormatError(f"{where}: {op} to {shape}; only (-1, features) keeps each example in one row of its features")


def _is_leaf(module, nn) -> bool:
    return not isinstance(module, nn.Sequential) and not list(module.children())


def from_torch(module, logits: bool = False) -> Network:
    """The exact ReLU network computed by a PyTorch ``module`` in evaluation mode.

    ``logits=True`` drops a final Softmax/Sigmoid/LogSoftmax (recorded in ``net.assumptions``).
    Raises :class:`FormatError` naming the layer for anything else than Linear, ReLU, BatchNorm1d (eval),
    Dropout, Identity and a Flatten of the input.

    >>> import torch  # doctest: +SKIP
    >>> nn = torch.nn  # doctest: +SKIP
    >>> from_torch(nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))).widths  # doctest: +SKIP
    (2, 3, 1)
    """
    torch = _torch()
    nn = torch.nn
    if not isinstance(module, nn.Module):
        raise FormatError(f"from_torch expects a torch.nn.Module, not {type(module).__name__}")
    source = type(module).__name__
    steps = _steps(module, "", torch)
    chain, folded, dropped = AffineChain(source), [], None
    for k, (name, layer) in enumerate(steps):
        kind = layer if isinstance(layer, str) else type(layer).__name__
        where = f"{source}: layer {name!r} ({kind})"
        if dropped is not None:
            raise FormatError(f"{where} follows the final {dropped}")
        if kind in ("relu", "ReLU"):
            chain.relu(where)
        elif kind in ("flatten", "Flatten"):
            if chain.started:
                raise FormatError(f"{where}: only the input may be flattened")
            if kind == "Flatten" and (layer.start_dim, layer.end_dim) != (1, -1):
                raise FormatError(f"{where}: Flatten must keep the batch axis and flatten the rest (start_dim=1, "
                                  f"end_dim=-1)")
        elif kind in _SKIPPED:
            if layer.training and kind != "Identity":
                raise FormatError(f"{where}: the module is in training mode; call .eval() first")
        elif kind == "Linear":
            W = RationalMatrix.of(_array(layer.weight, where), where=f"{where} weight")
            c = None if layer.bias is None else to_vector(_array(layer.bias, where), len(W), where=f"{where} bias")
            chain.affine(W, c, where)
        elif kind == "BatchNorm1d":
            if layer.training or layer.running_mean is None:
                raise FormatError(f"{where}: BatchNorm uses batch statistics here; call .eval() and keep "
                                  f"track_running_stats=True")
            n = layer.num_features
            gamma = _array(layer.weight, where) if layer.affine else np.ones(n)
            beta = _array(layer.bias, where) if layer.affine else np.zeros(n)
            s, t = batchnorm(gamma, beta, _array(layer.running_mean, where), _array(layer.running_var, where),
                             layer.eps, where)
            chain.scale(s, t, where)
            folded.append(name)
        elif kind in _FINAL and k == len(steps) - 1:
            if not logits:
                raise FormatError(f"{where}: the network ends with {kind}; pass logits=True to analyse it up "
                                  f"to its logits")
            dropped = kind
        else:
            raise FormatError(f"{where} is not supported; semialg analyses ReLU networks (Linear, ReLU, "
                              f"BatchNorm1d, Dropout, Identity, Flatten)")
    net = chain.network()
    notes = []
    if folded:
        notes.append(f"BatchNorm {listing(folded)} folded with s = gamma/sqrt(var + eps) rounded to float64")
    if dropped:
        notes.append(dropped_output(dropped))
    return assume(net, *notes) if notes else net
