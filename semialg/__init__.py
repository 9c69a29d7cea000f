"""semialg — exact algebra and semi-algebraic geometry of ReLU network parameter spaces.

The public API, flat; the layers behind it are :mod:`semialg.core`, :mod:`semialg.geometry`,
:mod:`semialg.engine`, :mod:`semialg.families`, :mod:`semialg.dispatch` and :mod:`semialg.ui`.

>>> import semialg as sa
>>> net = sa.Network.random(sa.Architecture(2, 3, 1), seed=0)
>>> g = sa.GroupElement.random(net.architecture, seed=1)
>>> g.act(net)([1, 2]) == net([1, 2])
True
"""

from semialg.errors import (ArchitectureError, CertificateError, FormatError, ParameterError, SemialgError,
                            ShapeError)
from semialg.core.exact import to_fmpq
from semialg.core.network import Architecture, Network, ParameterVariables
from semialg.core.rational_matrix import RationalMatrix
from semialg.core.symmetry import GroupElement
from semialg.core.mechanism import Mechanism
from semialg.core.certificate import EquivalenceResult
from semialg.geometry.polyhedron import Polytope, strictly_feasible
from semialg.geometry.semialgebraic import BasicSet, Union
from semialg.engine.batch_rank import batch_functional_dimension
from semialg.engine.functional_dimension import functional_dimension
from semialg.engine.regions import Region, estimate_functional_dimension, regions
from semialg.engine.loci import DegeneracyLoci, GenericityReport, degeneracy_loci, genericity
from semialg.engine.identifiability import IdentifiabilityResult, identifiable
from semialg.engine.hierarchy import ShallowRepresentation, shallow_representation
from semialg.engine.conservation import (conserved_quantities, count_conservation_laws, gradient_flow,
                                         is_conserved, mechanism_conservation)
from semialg.families import bottleneck as _bottleneck  # noqa: F401  (registers the family)
from semialg.families.deep import family as _deep  # noqa: F401  (registers the family)
from semialg.families.shallow import (CanonicalForm, minimal_form, minimal_representative, zero_factor_rank,
                                     zero_factor_reduction)
from semialg.dispatch import (canonical_form, combinatorial_type, equivalent, fibre, fibre_dimension,
                              hidden_symmetries, local_dimension_bounds, stabilizer)
from semialg.ui.io import from_sklearn, load, save
from semialg.ui.onnx import from_onnx, to_onnx
from semialg.ui.torch import from_torch
from semialg.ui.latex import document, to_latex

fiber = fibre
__version__ = "0.1.0"

__all__ = [
    "Architecture", "Network", "ParameterVariables", "RationalMatrix", "GroupElement", "Mechanism", "BasicSet", "Union",
    "CanonicalForm", "EquivalenceResult", "canonical_form", "equivalent", "fibre", "fiber",
    "hidden_symmetries", "minimal_form", "minimal_representative", "zero_factor_rank", "zero_factor_reduction",
    "stabilizer", "Region", "regions", "functional_dimension", "local_dimension_bounds",
    "batch_functional_dimension", "conserved_quantities", "count_conservation_laws", "gradient_flow",
    "is_conserved", "mechanism_conservation", "combinatorial_type", "fibre_dimension", "degeneracy_loci",
    "genericity", "DegeneracyLoci", "GenericityReport", "estimate_functional_dimension", "Polytope",
    "strictly_feasible", "load", "save", "from_sklearn", "from_onnx", "to_onnx", "from_torch", "to_fmpq", "to_latex", "document",
    "identifiable", "IdentifiabilityResult", "shallow_representation", "ShallowRepresentation",
    "SemialgError", "ParameterError", "FormatError", "ShapeError", "ArchitectureError", "CertificateError",
]

# Arguments of the wrong type are refused at the public boundary with a one-line ParameterError.
from semialg.core.api import checked as _checked  # noqa: E402

globals().update({_name: _checked(globals()[_name]) for _name in __all__ if callable(globals()[_name])
                  and not isinstance(globals()[_name], type)})
