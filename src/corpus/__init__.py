"""corpus: compare themes across Chinese political press conferences."""

from corpus.errors import CorpusError

__all__ = ["CorpusError"]
__version__ = "0.1.0"
