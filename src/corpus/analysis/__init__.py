"""Tokens to tables: frequencies, TF-IDF, keyness, context, topics, themes and comparisons between groups."""

__all__: list[str] = []
