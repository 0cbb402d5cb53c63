"""Raw files to clean text: file formats, Chinese encodings and undoing PDF extraction."""

__all__: list[str] = []
