"""Layer 6 — everything that reads files, formats or prints: file formats, LaTeX, plots, the command line
and surveys.
"""
