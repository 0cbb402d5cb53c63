"""`python -m corpus` runs the command line."""

import sys

from corpus.cli import main

__all__: list[str] = []

sys.exit(main())
