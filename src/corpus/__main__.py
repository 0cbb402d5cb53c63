"""`python -m corpus` runs the command line."""

import sys

from corpus.cli import main

sys.exit(main())
