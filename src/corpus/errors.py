"""The one exception type for user mistakes; the command line prints it as a one-line message."""

__all__ = ["CorpusError"]


class CorpusError(Exception):
    """A problem with the user's input (a file, a date, an option), worded for the user."""
