"""Layer 3 — architecture-independent analyses: linear regions and the region oracle, functional dimension,
degeneracy loci and genericity, conservation laws, identifiability and the depth hierarchy; and what the
families share: a hidden layer's neuron relations and width-keeping moves (:mod:`.neurons`), the exact
restriction of a network to a line (:mod:`.line`).

Engines never import a family: family-specific knowledge is asked of :mod:`semialg.families.base`.
"""
