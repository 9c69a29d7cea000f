"""One component of a shallow fibre: a basic semi-algebraic set with its dimension and an exact member."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable

from semialg.core.network import Network
from semialg.errors import CertificateError
from semialg.geometry.semialgebraic import BasicSet

__all__ = ["FibreComponent"]


@dataclass(frozen=True)
class FibreComponent(BasicSet):
    """A basic set $B_j$ of a fibre together with its index $j$, its dimension and a sampler.

    ``sample(seed)`` returns an exact member (a :class:`~semialg.core.network.Network` whose parameters satisfy
    every condition of the set); ``dimension`` is the dimension of the set (the maximum over its points).

    >>> from semialg.families.shallow import fibre
    >>> F = fibre(Network.from_arrays([[[1], [2]], [[1, 1]]], [[0, 1], [0]]))
    >>> B = next(iter(F.components()))
    >>> s = B.sample(seed=0); B.contains(s), s([3]) == Network.from_arrays([[[1], [2]], [[1, 1]]], [[0, 1], [0]])([3])
    (True, True)
    """

    index: object = field(default=None, compare=False)
    dimension: int | None = field(default=None, compare=False)
    sampler: Callable | None = field(default=None, compare=False, repr=False)
    #: an exact membership test equivalent to the conditions (``point -> bool``), used by :meth:`contains` and
    #: :meth:`sample` instead of evaluating every polynomial when set (large components: the type's defining data)
    member: Callable | None = field(default=None, compare=False, repr=False)

    #: how many seeds :meth:`sample` tries before it reports a faulty sampler
    ATTEMPTS = 4

    def sample(self, seed: int | None = None) -> Network:
        """An exact member of this component (random free coordinates, reproducible with ``seed``).

        Every draw is re-checked exactly — against the equations and inequalities of the set, or by the
        equivalent :attr:`member` test when one is set — so a sample is a member by construction *and* by a
        check; a sampler whose draws fail :attr:`ATTEMPTS` seeds in a row raises
        :class:`~semialg.errors.CertificateError` instead of returning a non-member.
        Cost: one exact evaluation of every condition per draw, or one :attr:`member` test.
        """
        rng = random.Random(seed)
        attempt = seed
        for _ in range(self.ATTEMPTS):
            point = self.sampler(self.index, attempt)
            failed = self._failure(point)
            if failed is None:
                return point
            attempt = rng.randrange(2 ** 32)
        raise CertificateError(f"the sampler of component {self.label or self.index} drew {self.ATTEMPTS} "
                               f"non-members (condition {failed[0]}: {failed[1]} = {failed[2]})")

    def _failure(self, point) -> tuple | None:
        if self.member is None:
            return self.violated(point)
        return None if self.member(point) else ("member", "the defining data of the component", False)

    def contains(self, point) -> bool:
        """Whether ``point`` lies in the set: by :attr:`member` when set (the same answer, tested), else by
        evaluating every condition (:meth:`contains_by_polynomials`)."""
        return self.member(point) if self.member is not None else self.violated(point) is None

    def contains_by_polynomials(self, point) -> bool:
        """Whether ``point`` satisfies every condition of the set, evaluated exactly. Cost: one exact evaluation
        per polynomial."""
        return self.violated(point) is None

    def describe(self) -> str:
        return (f"component {self.label or self.index} of a fibre: {len(self.equations)} equations, "
                f"{len(self.strict) + len(self.nonstrict)} inequalities, {len(self.nonzero)} conditions != 0, "
                f"dimension {self.dimension}")
