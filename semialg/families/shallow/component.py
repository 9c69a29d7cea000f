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

    #: how many seeds :meth:`sample` tries before it reports a faulty sampler
    ATTEMPTS = 4

    def sample(self, seed: int | None = None) -> Network:
        """An exact member of this component (random free coordinates, reproducible with ``seed``).

        Every draw is re-checked exactly against the equations and inequalities of the set, so a sample is a
        member by construction *and* by evaluation; a sampler whose draws fail :attr:`ATTEMPTS` seeds in a row
        raises :class:`~semialg.errors.CertificateError` instead of returning a non-member.
        Cost: one exact evaluation of every condition per draw.
        """
        rng = random.Random(seed)
        attempt = seed
        for _ in range(self.ATTEMPTS):
            point = self.sampler(self.index, attempt)
            failed = self.violated(point)
            if failed is None:
                return point
            attempt = rng.randrange(2 ** 32)
        raise CertificateError(f"the sampler of component {self.label or self.index} drew {self.ATTEMPTS} "
                               f"non-members (condition {failed[0]}: {failed[1]} = {failed[2]})")

    def describe(self) -> str:
        return (f"component {self.label or self.index} of a fibre: {len(self.equations)} equations, "
                f"{len(self.strict) + len(self.nonstrict)} inequalities, {len(self.nonzero)} conditions != 0, "
                f"dimension {self.dimension}")
