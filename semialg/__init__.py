"""semialg — exact algebra and semi-algebraic geometry of ReLU network parameter spaces.

>>> import semialg as sa
>>> net = sa.Network.random(sa.Architecture(2, 3, 1), seed=0)
>>> g = sa.GroupElement.random(net.architecture, seed=1)
>>> g.act(net)([1, 2]) == net([1, 2])
True
"""

from semialg.errors import (ArchitectureError, CertificateError, FormatError, ParameterError, SemialgError,
                     ShapeError)
from semialg.core.exact import to_fmpq
from semialg.ui.io import from_sklearn, load, save
from semialg.ui.latex import document, to_latex
from semialg.engine.loci import DegeneracyLoci, GenericityReport, degeneracy_loci, genericity
from semialg.core.network import Architecture, Network, ParameterVariables
from semialg.geometry.semialgebraic import BasicSet, Union
from semialg.core.certificate import EquivalenceResult
from semialg.engine.conservation import (bottleneck_conservation, conserved_quantities, count_conservation_laws, gradient_flow,
                           is_conserved)
from semialg.dispatch import equivalent, fibre
from semialg.engine.regions import (Region, batch_functional_dimension, estimate_functional_dimension, functional_dimension,
                 regions)
from semialg.geometry.polyhedron import Polytope, strictly_feasible
from semialg.families.shallow import CanonicalForm, canonical_form, hidden_symmetries, minimal_form, stabilizer
from semialg.families.bottleneck import combinatorial_type, fibre_dimension
from semialg.core.symmetry import GroupElement

fiber = fibre
__version__ = "0.1.0"

__all__ = [
    "Architecture", "Network", "ParameterVariables", "GroupElement", "BasicSet", "Union",
    "CanonicalForm", "EquivalenceResult", "canonical_form", "equivalent", "fibre", "fiber",
    "hidden_symmetries", "minimal_form", "stabilizer", "Region", "regions", "functional_dimension",
    "batch_functional_dimension", "conserved_quantities", "count_conservation_laws", "gradient_flow",
    "is_conserved", "bottleneck_conservation", "combinatorial_type", "fibre_dimension", "degeneracy_loci", "genericity", "DegeneracyLoci", "GenericityReport", "estimate_functional_dimension", "Polytope", "strictly_feasible",
    "load", "save", "from_sklearn", "to_fmpq", "to_latex", "document",
    "SemialgError", "ParameterError", "FormatError", "ShapeError", "ArchitectureError",
    "CertificateError",
]
