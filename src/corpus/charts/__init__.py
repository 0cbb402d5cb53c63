"""Tables to figures: the house style, the CJK font, plots, word clouds, scatter charts and saving them."""

__all__: list[str] = []
