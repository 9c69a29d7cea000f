"""The any-depth family: normal forms modulo $G$, function-preserving moves, exact restriction to lines,
and certified equivalence with a budget (:func:`semialg.families.deep.equivalence.equivalent`).
"""
