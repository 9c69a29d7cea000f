"""The exception hierarchy of semialg.

::

    SemialgError
    ├── ParameterError (also ValueError)     bad parameters or bad input
    │   ├── FormatError                      malformed or unsupported file
    │   ├── ShapeError                       wrong or inconsistent shapes
    │   └── ArchitectureError                operation not defined for this architecture
    ├── CertificateError                     a certificate failed independent verification
    └── UndecidedError                       a question the budget did not suffice to decide

Every message names what is wrong and where (file, layer, entry), in one line.
"""

from __future__ import annotations

import math
import numbers
import time

__all__ = ["SemialgError", "ParameterError", "FormatError", "ShapeError",
           "ArchitectureError", "CertificateError", "UndecidedError", "check_budget", "check_deadline", "MAX_SECONDS"]


class SemialgError(Exception):
    """Base class of every error raised by semialg."""


class ParameterError(SemialgError, ValueError):
    """Invalid parameters: a non-finite number, a wrong type, an invalid value."""


class FormatError(ParameterError):
    """A file that is malformed, truncated, of an unknown format or version, or not a ReLU network."""


class ShapeError(ParameterError):
    """Arrays of the wrong or mutually inconsistent shapes."""


class ArchitectureError(ParameterError):
    """An operation that is not defined for the given architecture (e.g. a shallow method on a deep net)."""


class CertificateError(SemialgError):
    """A certificate did not pass its independent, exact re-check."""


class UndecidedError(SemialgError):
    """A question that the budget did not suffice to decide (raised only where an answer must be a bool).
    ``bounds``, when given, are proven ``(lower, upper)`` bounds on an undecided number (a dimension); ``partial``,
    when given, is the part of an undecided list that is proven (each item holds; more may exist), as the
    mechanisms found before the search of a deep network's image stopped.

    >>> UndecidedError("not searched", partial=("dead_output",)).partial
    ('dead_output',)
    """

    def __init__(self, *args, bounds: tuple[int, int] | None = None, partial: tuple | None = None):
        super().__init__(*args)
        self.bounds = bounds
        self.partial = partial

    def shifted(self, by: int, why: str) -> UndecidedError:
        """This error for the number plus ``by`` (say the dimension of a product with a ``by``-dimensional
        factor): ``why`` and this message, the bounds shifted (none stay none).

        >>> err = UndecidedError("between 4 and 5", bounds=(4, 5)).shifted(3, "times R^3")
        >>> str(err), err.bounds
        ('times R^3: between 4 and 5', (7, 8))
        """
        return UndecidedError(f"{why}: {self}", bounds=None if self.bounds is None else
                              (self.bounds[0] + by, self.bounds[1] + by))


#: The longest budget of seconds (about 31 years): larger ones mean no limit and are taken as this one.
MAX_SECONDS = 10 ** 9


def check_budget(budget, what: str = "budget", seconds: bool = False):
    """``budget`` if it is a positive integer (``seconds=True``: a finite number of seconds, at least 0: a budget of
    0 s answers "undecided" at once), else a one-line :class:`ParameterError` naming ``what`` (``-1``, ``nan``,
    ``inf``, ``"10"``, ``True`` are refused, and ``0`` as a count).

    >>> check_budget(2 ** 20), check_budget(0.5, seconds=True), check_budget(10 ** 400, seconds=True)
    (1048576, 0.5, 1000000000)
    >>> check_budget(float("nan"), seconds=True)
    Traceback (most recent call last):
    ...
    semialg.errors.ParameterError: budget must be a non-negative number of seconds, not nan
    """
    if isinstance(budget, bool):
        pass
    elif seconds and isinstance(budget, numbers.Integral) and budget >= 0:
        # an integer too large for a float (10**400) is no limit, as --budget says above 10^9 seconds: capped so
        # that deadlines stay floats
        return min(int(budget), MAX_SECONDS)
    elif seconds and isinstance(budget, numbers.Real) and math.isfinite(budget) and budget >= 0:
        return budget if budget <= MAX_SECONDS else MAX_SECONDS
    elif not seconds and isinstance(budget, numbers.Integral) and budget >= 1:
        return int(budget)
    raise ParameterError(f"{what} must be a {'non-negative number of seconds' if seconds else 'positive integer'}, "
                         f"not {_shown(budget)}")


def _shown(value) -> str:
    """A refused value as a message quotes it: short (str() of an integer beyond 4,300 digits even raises)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and abs(int(value)).bit_length() > 128:
        return f"an integer of about {int(abs(int(value)).bit_length() * 0.30103) + 1} digits"
    return repr(value)[:40] if isinstance(value, (str, bytes)) else str(value)[:40]


def check_deadline(deadline: float | None, budget: float | None, done: str, seconds: float = 0.0) -> None:
    """An :class:`UndecidedError` saying what was ``done`` when ``deadline`` (a ``time.monotonic()`` value set by a
    ``budget`` of seconds; ``None``: none) has passed, or would have by the end of a step of ``seconds`` that
    cannot be interrupted.

    >>> check_deadline(None, None, "nothing yet")
    >>> check_deadline(0.0, 2, "3 of 4 inputs were read")
    Traceback (most recent call last):
    ...
    semialg.errors.UndecidedError: the budget of 2 s was spent: 3 of 4 inputs were read
    """
    if deadline is not None and time.monotonic() + seconds > deadline:
        step = f" (the next step was predicted to take {seconds:.3g} s)" if seconds else ""
        raise UndecidedError(f"the budget of {budget:.3g} s was spent: {done}{step}")
