"""corpus: compare themes across Chinese political press conferences."""

from corpus.errors import CorpusError

__all__ = ["CorpusError", "query"]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """`corpus.query` (SQL over the dataset), imported on first use so `import corpus` stays light."""
    if name == "query":
        from corpus.dataset.engine import query

        return query
    raise AttributeError(f"module 'corpus' has no attribute {name!r}")
