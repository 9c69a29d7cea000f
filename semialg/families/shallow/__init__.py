"""Shallow ReLU networks $f_\\theta(x) = \\sum_i a_i\\,\\sigma(w_i\\cdot x + b_i) + c$: the complete classification.

Architecture $(m, n, k)$; $w_i$ the rows of $W_1$, $b_i$ the entries of $b_1$, $a_i$ the columns of $W_2$,
$c = b_2$. The modules, by topic:

- :mod:`.view` — the neurons and the hyperplanes they bend along;
- :mod:`.canonical` — the complete invariant $K(\\theta)$, equivalence with certificates, distinguishing points;
- :mod:`.moves` — function-preserving moves (M0–M4) and the certificate replaying them;
- :mod:`.symmetries` — mechanisms beyond $G$ and the stabilizer;
- :mod:`.dimension` — the functional dimension in closed form;
- :mod:`.minimal` — minimum-width realizations and the minimal form in the architecture (Definition 3);
- :mod:`.zero_factor` — 0-factors, their rank and the 0-factor reduction (Definitions 4–5);
- :mod:`.fibre`, :mod:`.typed`, :mod:`.type_geometry`, :mod:`.local`, :mod:`.component` — fibres as explicit
  semi-algebraic sets: non-empty components, their members, counts and dimensions.

Reference: Ramakrishnan, *A Complete Symmetry Classification of Shallow ReLU Networks* (arXiv 2604.14037).
"""

from semialg.core.certificate import EquivalenceResult, OrbitCertificate, PointCertificate
from semialg.families.shallow.view import ShallowView
from semialg.families.shallow.canonical import CanonicalForm, canonical_form, distinguishing_point, equivalent
from semialg.families.shallow.moves import (ActBy, ClearDeadNeuron, FlipZeroFactor, MergeTwins, Move, MoveCertificate,
                                            Rebalance, flip_neurons)
from semialg.families.shallow.symmetries import Stabilizer, hidden_symmetries, stabilizer
from semialg.families.shallow.dimension import shallow_functional_dimension
from semialg.families.shallow.minimal import minimal_form, minimal_representative
from semialg.families.shallow.zero_factor import (ZeroFactorReduction, zero_factor_rank, zero_factor_reduction,
                                                  zero_factors)
from semialg.families.shallow.component import FibreComponent
from semialg.families.shallow.typed import TypedShallowFibre
from semialg.families.shallow.fibre import ShallowFibre, fibre
from semialg.families.shallow.family import ShallowFamily
from semialg.geometry.zero_sum import zero_sum_sets

__all__ = [
    "ShallowView", "CanonicalForm", "canonical_form", "equivalent", "EquivalenceResult",
    "OrbitCertificate", "MoveCertificate", "PointCertificate", "minimal_form", "stabilizer",
    "Stabilizer", "hidden_symmetries", "zero_sum_sets", "fibre", "ShallowFibre", "Move",
    "ClearDeadNeuron", "MergeTwins", "FlipZeroFactor", "Rebalance", "ActBy", "distinguishing_point",
    "shallow_functional_dimension", "flip_neurons", "TypedShallowFibre", "ShallowFamily",
    "minimal_representative", "zero_factors", "zero_factor_rank", "ZeroFactorReduction", "zero_factor_reduction",
    "FibreComponent",
]
