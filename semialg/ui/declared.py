"""What a network file says about itself beyond its weights, read by one rule in every reader and writer.

**Activations.** semialg's networks have a ReLU on every hidden layer and an affine (identity) output layer.
A file may declare its activations (a ``.safetensors`` ``__metadata__`` entry, a JSON key) as ``"activation"``
or ``"activations"``: one name (``"relu"``: ReLU between the layers, none after the last) or a list with one
name per layer, ReLU for each hidden layer and ``identity``/``linear``/``none`` for the output layer. Anything
else — another activation, a ReLU after the output layer, a list of another length, two keys that disagree —
is refused naming the key and the layer: analysing such a file as a ReLU network would answer for a
different function.

**Recorded assumptions** (what a source did not say, ``net.assumptions``) are at most ``MAX_ASSUMPTIONS``
strings of at most ``MAX_ASSUMPTION_CHARS`` characters each. Every reader checks the assumptions of the
network it returns (those in the file and those it adds) and every writer those it stores, so a file semialg
writes is one it reads back.

>>> declared_activations({"activation": "relu"}, 3, "n.json")
True
>>> declared_activations({}, 3, "n.json")
False
>>> declared_activations({"activations": ["relu", "relu", "relu"]}, 3, "n.json")
Traceback (most recent call last):
...
semialg.errors.FormatError: n.json: 'activations' declares 'relu' after the output layer (layer 3 of 3); semialg's networks end with an affine layer, and its answers would be wrong for this one
"""

from __future__ import annotations

from typing import Mapping

from semialg.core.network import Network
from semialg.errors import FormatError, ParameterError

__all__ = ["ACTIVATION_KEYS", "MAX_ASSUMPTIONS", "MAX_ASSUMPTION_CHARS", "NO_ACTIVATIONS", "assume",
           "check_assumptions", "checked_for_writing", "declared_activations", "dropped_output", "listing"]

#: The keys under which a file may declare its activations.
ACTIVATION_KEYS = ("activation", "activations")
#: The most recorded assumptions a network carries, and the longest one.
MAX_ASSUMPTIONS = 100
MAX_ASSUMPTION_CHARS = 1000
#: The assumption recorded for weight files that store no activation functions.
NO_ACTIVATIONS = "assuming ReLU between layers: the file stores no activations"
_RELU = "relu"
_IDENTITY = ("identity", "linear", "none")


def dropped_output(activation: str) -> str:
    """The assumption recorded when a final ``activation`` (softmax, logistic, ...) is left out."""
    return f"the output activation ({activation}) is dropped: the network is the logit map"


def assume(net: Network, *assumptions: str) -> Network:
    """``net`` with those of ``assumptions`` it does not record yet appended to :attr:`Network.assumptions` (the
    parameters are shared)."""
    new = tuple(a for i, a in enumerate(assumptions) if a not in net.assumptions and a not in assumptions[:i])
    return Network(net.weights, net.biases, net.assumptions + new)


def listing(names, limit: int = 300) -> str:
    """``names`` joined by commas within about ``limit`` characters (the rest counted), so that an assumption
    naming layers stays within ``MAX_ASSUMPTION_CHARS`` however many layers and however long their names.

    >>> listing(["bn1", "bn2"]), listing(["alpha", "beta", "gamma"], limit=10)
    ('bn1, bn2', 'alpha and 2 more')
    """
    shown, used = [], 0
    for name in names:
        name = name if len(name) <= 60 else name[:60] + "..."
        if used + len(name) > limit:
            break
        shown.append(name)
        used += len(name) + 2
    rest = len(names) - len(shown)
    return ", ".join(shown) + (f" and {rest} more" if rest else "")


def check_assumptions(assumptions, source: str) -> tuple[str, ...]:
    """``assumptions`` as a tuple if they are at most ``MAX_ASSUMPTIONS`` strings of at most
    ``MAX_ASSUMPTION_CHARS`` characters; otherwise a :class:`FormatError` naming ``source`` and the limit."""
    if not isinstance(assumptions, (list, tuple)) or not all(isinstance(a, str) for a in assumptions):
        raise FormatError(f"{source}: the recorded assumptions must be a list of strings")
    if len(assumptions) > MAX_ASSUMPTIONS:
        raise FormatError(f"{source}: {len(assumptions)} recorded assumptions (with those the reader adds), more "
                          f"than the {MAX_ASSUMPTIONS} semialg reads and writes")
    for i, a in enumerate(assumptions):
        if len(a) > MAX_ASSUMPTION_CHARS:
            raise FormatError(f"{source}: recorded assumption {i} has {len(a)} characters, more than the "
                              f"{MAX_ASSUMPTION_CHARS} semialg reads and writes")
    return tuple(assumptions)


def checked_for_writing(net: Network) -> tuple[str, ...]:
    """The assumptions of ``net`` a writer stores; a :class:`ParameterError` (before any file is touched) when
    they are beyond what the readers accept."""
    try:
        return check_assumptions(net.assumptions, "net.assumptions")
    except FormatError as e:
        raise ParameterError(str(e)) from None


def _name(value, key: str, source: str) -> str:
    if not isinstance(value, str):
        raise FormatError(f"{source}: {key!r} must name activations by strings, got {value!r:.40}")
    return value.strip().lower().removeprefix("torch.").removeprefix("nn.")


def _check_layers(key: str, value, layers: int, source: str) -> None:
    """Refuse ``value`` unless it declares a ReLU after each hidden layer of ``layers`` and none after the last."""
    names = value if isinstance(value, list) else [value]
    keys = [_name(v, key, source) for v in names]
    for v, k in zip(names, keys):
        if k != _RELU and k not in _IDENTITY:
            raise FormatError(f"{source}: {key!r} declares activation {v!r}; semialg analyses ReLU networks "
                              f"only, and its answers would be wrong for this one")
    if not isinstance(value, list):
        if keys[0] != _RELU and layers > 1:
            raise FormatError(f"{source}: {key!r} declares {value!r} for a network of {layers} layers; semialg's "
                              f"networks have a ReLU after every hidden layer")
        return
    if len(keys) != layers:
        raise FormatError(f"{source}: {key!r} lists {len(keys)} activations for a network of {layers} layers "
                          f"(one per layer, the last 'identity')")
    for l, k in enumerate(keys[:-1], start=1):
        if k != _RELU:
            raise FormatError(f"{source}: {key!r} declares {names[l - 1]!r} after hidden layer {l}; semialg's "
                              f"networks have a ReLU after every hidden layer")
    if keys[-1] not in _IDENTITY:
        raise FormatError(f"{source}: {key!r} declares {names[-1]!r} after the output layer (layer {layers} of "
                          f"{layers}); semialg's networks end with an affine layer, and its answers would be wrong "
                          f"for this one")


def declared_activations(entries: Mapping, layers: int, source: str) -> bool:
    """Whether ``entries`` (a file's metadata, decoded) declare the activations of a network of ``layers``
    layers: False when they say nothing; True when they declare ReLU hidden layers and an affine output;
    otherwise a :class:`FormatError` naming the key and the layer. Every key is checked: two keys can only
    disagree when one declares something else, and that one is refused."""
    found = [key for key in ACTIVATION_KEYS if key in entries]
    for key in found:
        _check_layers(key, entries[key], layers, source)
    return bool(found)
