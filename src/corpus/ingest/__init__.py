"""Raw files to clean text: file formats, Chinese encodings and undoing PDF extraction."""
