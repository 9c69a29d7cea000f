"""Layer 4 — architecture families (one hidden layer, width-1 bottleneck, any depth), each implementing
the :class:`~semialg.families.base.Family` protocol and registered in :mod:`semialg.families.base`.
"""
