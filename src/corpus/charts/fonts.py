"""The CJK font: Noto Sans CJK's Simplified Chinese face, found, extracted once into the cache, subset on request."""

from __future__ import annotations

import hashlib
import io
import os
from contextlib import suppress
from functools import cache
from pathlib import Path

import noto_cjk
from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from corpus.errors import CorpusError
from corpus.store import atomic_write

__all__ = ["SC_FAMILY", "cjk_font_path", "extract_face", "font_cache_dir", "font_collections", "subset_font"]

SC_FAMILY = "Noto Sans CJK SC"
# Debian's fonts-noto-cjk, the fallback when the PyPI font package is missing.
SYSTEM_COLLECTIONS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
)


def font_cache_dir() -> Path:
    """Where the extracted face is kept: the user's cache folder (XDG_CACHE_HOME or ~/.cache), never the repo."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "corpus" / "fonts"


def font_collections() -> list[Path]:
    """Noto Sans CJK collections on this machine, the project's own dependency first."""
    found = []
    with suppress(noto_cjk.FontNotInstalled):  # Debian's copy may still be there
        found.append(noto_cjk.otc_path("sans"))
    return [p for p in [*found, *SYSTEM_COLLECTIONS] if p.is_file()]


def extract_face(collection: Path, family: str, directory: Path) -> Path:
    """The face named `family` of a .ttc saved as its own font file (reused when already extracted)."""
    stat = collection.stat()
    key = hashlib.sha256(f"{collection.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{family}".encode()).hexdigest()
    target = directory / f"{family.replace(' ', '')}-{key[:12]}.otf"
    if target.is_file():
        return target
    fonts = TTCollection(str(collection), lazy=True).fonts
    face = next((f for f in fonts if f["name"].getDebugName(1) == family), None)
    if face is None:
        raise CorpusError(f"{collection}: no face named {family!r} in this font collection")
    atomic_write(target, lambda tmp: face.save(str(tmp)))
    return target


@cache
def cjk_font_path() -> Path:
    """A font file holding the Simplified Chinese face, for matplotlib, wordcloud and the report."""
    collections = font_collections()
    if not collections:
        raise CorpusError(
            "no CJK font found: install the project's dependencies (pip install 'noto-cjk[sans]') "
            "or Debian's fonts-noto-cjk, otherwise Chinese would print as empty boxes"
        )
    return extract_face(collections[0], SC_FAMILY, font_cache_dir())


def subset_font(text: str, *, family: str | None = None, flavor: str | None = "woff2") -> bytes:
    """The Simplified Chinese face cut down to the characters of `text`, renamed `family` when given.

    A web page embeds the result (woff2 by default, None for OpenType); the new name keeps the cut-down copy
    apart from a full installed font, as the SIL Open Font License asks of modified versions.
    """
    options = subset.Options()
    options.layout_features, options.hinting = ["*"], False  # hints matter little on screens, cost ~15%
    font = TTFont(cjk_font_path(), lazy=True, recalcTimestamp=False)  # no timestamp: same text, same bytes
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    if family:
        for record in font["name"].names:
            if record.nameID in (1, 4, 16):
                record.string = family
            elif record.nameID == 6:
                record.string = family.replace(" ", "")
    font.flavor = flavor
    buffer = io.BytesIO()
    font.save(buffer)
    font.close()
    return buffer.getvalue()
