"""Layer 2 — polyhedra with exact strict feasibility, semi-algebraic sets, zero-sum search.

These modules know nothing of networks: they work with vectors, matrices and polynomial systems.
"""
