"""Layer 3 — architecture-independent analyses: linear regions and the region oracle, functional dimension,
degeneracy loci and genericity, conservation laws.

Engines never import a family: family-specific knowledge is asked of :mod:`semialg.families.base`.
"""
