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

__all__ = ["SemialgError", "ParameterError", "FormatError", "ShapeError",
           "ArchitectureError", "CertificateError", "UndecidedError"]


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
    """A question that the budget did not suffice to decide (raised only where an answer must be a bool)."""
