"""The ``semialg`` console script: a Ctrl-C while the package is still being imported exits like one during a
command — one line on stderr and exit code 130 — instead of printing Python's traceback.

It lives outside the :mod:`semialg` package because importing any module of the package first runs the package's
own (heavy) initialisation, which is exactly the phase this guards.
"""

from __future__ import annotations

import sys


def main() -> int:
    """Import the command line and run it; exit 130 with one line if interrupted while importing."""
    try:
        from semialg.ui.cli import main as run
    except KeyboardInterrupt:
        print("semialg: interrupted", file=sys.stderr)
        return 130
    return run()


if __name__ == "__main__":
    sys.exit(main())
