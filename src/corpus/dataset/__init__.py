"""The processed dataset: building it from data/raw, and adding and removing transcripts (with the manifest)."""

__all__: list[str] = []
