"""Layer 1 — exact arithmetic, networks, the symmetry group G and the certificate contract.

Nothing here imports from :mod:`semialg.geometry`, :mod:`semialg.engine`, :mod:`semialg.families` or
:mod:`semialg.ui`.
"""
