"""The any-depth family: normal forms modulo $G$, function-preserving moves, refutation on exact line
restrictions (:mod:`semialg.engine.line`), and certified equivalence with a budget
(:func:`semialg.families.deep.equivalence.equivalent`). The neuron relations and the width-keeping moves it
shares with the identifiability witnesses live in :mod:`semialg.engine.neurons`.
"""
