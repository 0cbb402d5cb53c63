"""Turns to tokens: segmentation backends, dictionaries and stopwords, phrase matching and analysis units."""

__all__: list[str] = []
