r"""A component of a typed shallow fibre whose polynomials and dimension are computed on first access.

A type's conditions at the widths people train are large (784-16-10: every $2 \times 2$ minor of a slot's row with
its kink hyperplane's key, about $3 \cdot 10^5$ polynomials a slot), so building them for every component listed by
:meth:`~semialg.families.shallow.typed.TypedShallowFibre.components` made the listing itself impossible. A
:class:`TypeComponent` is the same frozen :class:`~semialg.families.shallow.component.FibreComponent` — equal,
hashed, printed, typeset and serialised from the same fields — whose ``equations``, ``strict``, ``nonstrict`` and
``nonzero`` are built together the first time one of them is read, and ``dimension`` the first time it is read;
both are then kept on the instance. Cost: $O(1)$ to create; the polynomials and the dimension cost what they cost
when read.

A large component also carries a ``member`` test (:attr:`FibreComponent.member`): $\theta'$ lies in $B_\tau$ iff
$K(\theta') = K(\theta)$ and the type of $\theta'$ is $\tau$ (the components are the types of the fibre), $O(n(m+k))$
instead of every polynomial; :meth:`sample` and :meth:`contains` then never build the polynomials, and
:meth:`describe` does not either. ``geometry`` is the :class:`~semialg.families.shallow.type_geometry.TypeGeometry`
whose ``sample`` draws the members (``None`` for another sampler).

>>> from semialg.families.shallow import fibre
>>> F = fibre(Network.from_arrays([[[1], [0]], [[1, 1]]], [[0, 0], [0]]))     # relu(x) with a constant neuron
>>> B = next(iter(F.components()))
>>> "equations" in vars(B), len(B.equations) > 0, "equations" in vars(B)
(False, True, True)
"""

from __future__ import annotations

from typing import Callable

from semialg.core.network import Network  # noqa: F401  (the doctest's namespace)
from semialg.families.shallow.component import FibreComponent

__all__ = ["TypeComponent"]

_CONDITIONS = ("equations", "strict", "nonstrict", "nonzero")


class _Built:
    """A field read from the instance once built; before that, built by the instance's maker (a non-data
    descriptor: the value stored in the instance's ``__dict__`` then shadows it, so reads cost nothing more)."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return ()
        if self.name == "dimension":
            object.__setattr__(obj, "dimension", obj._dimension_of())
        else:
            for name, value in zip(_CONDITIONS, obj._conditions(), strict=True):
                object.__setattr__(obj, name, value)
        return obj.__dict__[self.name]


class TypeComponent(FibreComponent):
    """A :class:`~semialg.families.shallow.component.FibreComponent` with its conditions built on first access.

    ``conditions()`` returns ``(equations, strict, nonstrict, nonzero)``, ``dimension_of()`` the dimension; either
    field may instead be given outright (as :func:`dataclasses.replace` does)."""

    equations = _Built()
    strict = _Built()
    nonstrict = _Built()
    nonzero = _Built()
    dimension = _Built()

    def __init__(self, variables: tuple, equations: tuple | None = None, strict: tuple | None = None,
                 nonstrict: tuple | None = None, label: str = "", *, nonzero: tuple | None = None,
                 index: object = None, dimension: int | None = None, sampler: Callable | None = None,
                 conditions: Callable[[], tuple] | None = None, dimension_of: Callable[[], int | None] | None = None,
                 member: Callable | None = None):
        given = (equations, strict, nonstrict, nonzero)
        for name, value in (("variables", variables), ("label", label), ("index", index), ("sampler", sampler),
                            ("member", member),
                            ("_conditions", conditions), ("_dimension_of", dimension_of)):
            object.__setattr__(self, name, value)
        if conditions is None or any(v is not None for v in given):
            for name, value in zip(_CONDITIONS, given, strict=True):
                object.__setattr__(self, name, () if value is None else value)
        if dimension_of is None or dimension is not None:
            object.__setattr__(self, "dimension", dimension)

    @property
    def geometry(self):
        """The :class:`~semialg.families.shallow.type_geometry.TypeGeometry` of the fibre (the owner of the sampler,
        so :func:`dataclasses.replace` keeps it), or ``None``."""
        owner = getattr(self.sampler, "__self__", None)
        return owner if hasattr(owner, "type_of") and hasattr(owner, "K") else None

    def built(self) -> bool:
        """Whether the polynomials have been built (read once)."""
        return "equations" in vars(self)

    def describe(self) -> str:
        if self.member is None or self.built():
            return super().describe()
        return (f"component {self.label or self.index} of a fibre: the type's conditions on "
                f"{len(self.variables)} parameters (polynomials built on first access), dimension {self.dimension}")
