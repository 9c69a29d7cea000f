r"""Label classes of a hidden-neuron fibre (:mod:`~semialg.families.bottleneck.hidden_fibre`): the lazy index of
the slot labellings and the normalised affine slice of a label class.

A component of a hidden-neuron fibre is named by a label per first-layer slot (a visible line, flipped or not,
or a hidden class with the sign of its output weight); the components of one *label class* (flip set, multiset
of hidden labels) differ by a permutation of the slots. :class:`SlotIndex` lists them lazily, counts them
exactly and unranks a position (a random component) without enumerating, however many there are.
:class:`Slice` is the affine parametrisation $z = z_0 + Mt$ of the normalised hidden parameters of a class, cut
by linear equations, on which an exact LP decides emptiness.

>>> S = SlotIndex(3, (0,), [(frozenset(), (("U+", 1), ("U+", 1)))])
>>> S.exact_size, S.unrank(1)
(3, (('U+', 1), ('V', 0, False), ('U+', 1)))
>>> [S.unrank(i) for i in range(3)] == list(S)
True
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from flint import fmpq, fmpq_mat

from semialg.families.bottleneck.views import Vec, _ZERO

__all__ = ["Slice", "SlotIndex", "arrangements", "forces_degenerate", "KAPPA", "DEGENERATE"]

KAPPA = {"U-": 1, "U+": -1}   # a hidden slot of class U-' has kappa*l' <= 0 on P-bar, U+' has -l' <= 0 there
DEGENERATE = (("D",), ("C+",), ("C-",))   # slot labels for v' = 0 (dead: w', b' free) and w' = 0 (constant, b' >< 0)


def forces_degenerate(label) -> bool:
    """Whether ``label`` (a slot label, or a tuple of them at any depth) gives a slot a dead or constant role."""
    return isinstance(label, tuple) and (label in DEGENERATE or any(forces_degenerate(x) for x in label))


@dataclass(frozen=True)
class _Row:
    """$c + \\sum_j [u_j]\\,a_j\\cdot(w'_j, b'_j) \\ge 0$ over hidden slots $j$ (``with_u``: each term times $u_j$); ``tag``
    names the condition it states (:mod:`~semialg.families.bottleneck.hidden_branching`)."""

    const: fmpq
    terms: tuple
    with_u: bool
    tag: tuple | None = field(default=None, compare=False)   # what the row says, for certificates


def _weighted(h, p: Vec, one: int) -> Vec:
    """:func:`_at` for a hidden slot ``h`` = (slot, class, sign[, weight]), times its weight (default 1)."""
    a = _at(KAPPA[h[1]], p, one)
    return a if len(h) == 3 else tuple(h[3] * x for x in a)


def _at(kappa: int, p: Vec, one: int = 1) -> Vec:
    """Coefficients of $-\\kappa\\,\\ell'(p)$ (``one = 0``: of $-\\kappa\\, w'\\cdot p$, for a ray)."""
    return tuple(-kappa * x for x in p) + (fmpq(-kappa * one),)


class _Cached:
    """The items of an iterator, each produced when an iteration first reaches it and kept for later ones."""

    def __init__(self, items):
        self._source, self._items = iter(items), []

    def __iter__(self):
        for i in itertools.count():
            if i == len(self._items):
                item = next(self._source, self)
                if item is self:
                    return
                self._items.append(item)
            yield self._items[i]


class Slice:
    """An affine parametrisation $z = z_0 + Mt$ of the normalised hidden parameters, cut by linear equations."""

    def __init__(self, n: int):
        self.exprs = [(_ZERO, tuple(fmpq(int(i == j)) for j in range(n))) for i in range(n)]
        self.dim = n
        self._composed: dict = {}    # id(system) -> (system, composition); shared by copies until cut

    def affine(self, const, coefs) -> tuple[fmpq, list]:
        """$c + \\sum_i a_iz_i$ as an affine function of $t$."""
        g = [_ZERO] * self.dim
        for a, (c0, row) in zip(coefs, self.exprs, strict=True):
            if a != 0:
                const += a * c0
                g = [x + a * y for x, y in zip(g, row, strict=True)]
        return const, g

    def compose(self, system, memo: bool = False) -> tuple[list, list]:
        """Every row $c_i + a_i\\cdot z$ of ``system`` = (coefficient matrix over $z$, constants) as an affine function
        of $t$: the constants $c_i + a_i\\cdot z_0$ and the rows $a_iM$ (one exact matrix product, $A\\,[z_0 | M]$).
        With ``memo`` kept until the slice is cut (shared by its copies): the branching of a label class composes
        the class's rows on the same slice for every node."""
        hit = self._composed.get(id(system)) if memo else None
        if hit is not None and hit[0] is system:
            return hit[1]
        A, consts = system
        n, r = len(self.exprs), len(consts)
        if not r:
            out = [], []
        else:
            table = (A * fmpq_mat(n, self.dim + 1, [x for c0, row in self.exprs for x in (c0, *row)])).table()
            out = [c + row[0] for c, row in zip(consts, table, strict=True)], [row[1:] for row in table]
        if memo:
            self._composed[id(system)] = system, out
        return out

    def restrict(self, const, g) -> bool:
        """Impose $c + g\\cdot t = 0$; ``False`` if it is inconsistent."""
        q = next((i for i, x in enumerate(g) if x != 0), None)
        if q is None:
            return const == 0
        out = []
        for c0, row in self.exprs:
            f = row[q] / g[q]
            out.append((c0 - f * const, tuple(x - f * y for i, (x, y) in enumerate(zip(row, g, strict=True))
                                              if i != q)))
        self.exprs, self.dim = out, self.dim - 1
        self._composed = {}          # a new dict: the copies that share the old one keep their slice
        return True

    def copy(self) -> "Slice":
        out = Slice(0)
        out.exprs, out.dim, out._composed = list(self.exprs), self.dim, self._composed
        return out

    def point(self, t) -> list:
        return [c0 + sum((a * x for a, x in zip(row, t, strict=True)), _ZERO) for c0, row in self.exprs]

    def span(self) -> tuple:
        """A basis of the directions of the slice in $z$-space (the columns of $M$)."""
        return tuple(tuple(row[i] for _, row in self.exprs) for i in range(self.dim))


class SlotIndex:
    """Lazy index: for every listed key (flip set, hidden labels), every distinct arrangement of the labels."""

    def __init__(self, n1: int, visible: tuple, keys: list):
        self.n1, self.visible, self.keys = n1, visible, keys

    def labels(self, key) -> list:
        F, hidden = key
        return [("V", k, k in F) for k in self.visible] + list(hidden)

    def _count(self, key) -> int:
        return arrangements(self.labels(key))

    @property
    def exact_size(self) -> int:
        return sum(self._count(k) for k in self.keys)

    @property
    def live_size(self) -> int:
        r"""The labellings without a dead or constant slot (:func:`forces_degenerate`), counted per label class (its
        permutations keep the multiset of labels). Cost: $O(|\text{keys}|\,n_1)$."""
        return sum(self._count(k) for k in self.keys if not any(forces_degenerate(lab) for lab in self.labels(k)))

    def __len__(self) -> int:
        return self.exact_size

    def unrank(self, rank: int) -> tuple:
        """The labelling at position ``rank`` of the iteration order, without enumerating the ones before it
        (the lexicographic order of :func:`~sympy.utilities.iterables.multiset_permutations`). Cost:
        $O(|\\text{keys}| + n_1^2)$."""
        for key in self.keys:
            size = self._count(key)
            if rank >= size:
                rank -= size
                continue
            rest, out = sorted(self.labels(key)), []
            while rest:
                for lab in sorted(set(rest)):
                    rest.remove(lab)
                    n = arrangements(rest)
                    if rank < n:
                        out.append(lab)
                        break
                    rank -= n
                    rest.append(lab)
                    rest.sort()
            return tuple(out)
        raise IndexError("labelling rank out of range")

    def __iter__(self):
        from sympy.utilities.iterables import multiset_permutations
        for key in self.keys:
            for perm in multiset_permutations(self.labels(key)):
                yield tuple(perm)


def arrangements(labels) -> int:
    """The number of distinct orderings of the multiset ``labels``."""
    out = math.factorial(len(labels))
    for lab in set(labels):
        out //= math.factorial(labels.count(lab))
    return out
