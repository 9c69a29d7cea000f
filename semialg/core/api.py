"""The boundary of the public API: arguments of the wrong type are a :class:`~semialg.errors.ParameterError`
naming the function and the argument, never a ``TypeError`` or ``AttributeError`` from deep inside.

:func:`checked` wraps a public function whose parameters are annotated :class:`~semialg.core.network.Network`
(alone or in a union such as ``Network | None``) so that each such argument is type-checked before the call;
``semialg/__init__.py`` exports the checked versions. Cost: one ``isinstance`` per checked argument.

>>> from semialg.core.network import Network
>>> def depth(net: Network) -> int:
...     return net.depth
>>> checked(depth)(5)
Traceback (most recent call last):
...
semialg.errors.ParameterError: depth: argument 'net' must be a Network, not int
"""

from __future__ import annotations

import functools
import inspect
import types
import typing

from semialg.core.network import Network
from semialg.errors import ParameterError

__all__ = ["checked"]


def _accepted(hint) -> tuple[type, ...] | None:
    """The types a ``Network``-annotated parameter accepts (``None`` if the parameter is not one)."""
    if hint is Network:
        return (Network,)
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and Network in typing.get_args(hint):
        return tuple(a for a in typing.get_args(hint) if isinstance(a, type))
    return None


def checked(fn):
    """``fn`` with its ``Network`` arguments type-checked (``fn`` itself if it has none)."""
    try:
        # Only annotations that name Network are evaluated (as typing.get_type_hints would, in the function's
        # globals): evaluating all of them would import sympy at start-up for the ones that name its types.
        hints = {name: eval(hint, fn.__globals__) if isinstance(hint, str) else hint  # noqa: S307
                 for name, hint in inspect.get_annotations(fn).items() if "Network" in str(hint)}
        signature = inspect.signature(fn)
    except (NameError, TypeError, ValueError, AttributeError, SyntaxError):  # leave it alone
        return fn
    checks = {name: types_ for name in signature.parameters if (types_ := _accepted(hints.get(name))) is not None}
    if not checks:
        return fn

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        bound = signature.bind_partial(*args, **kwargs)
        for name, value in bound.arguments.items():
            if name in checks and not isinstance(value, checks[name]):
                raise ParameterError(f"{fn.__name__}: argument {name!r} must be a Network, not {type(value).__name__}")
        return fn(*args, **kwargs)
    return wrapper
