"""The report's embedded font family (DejaVu Sans, shipped in exports/fonts) and its glyph coverage.

Registered once per process, on first use: importing this module costs nothing. Text that
goes into the PDF passes through ``printable`` so a character the font lacks (most emoji)
shows as a visible replacement mark instead of ReportLab's silent black box.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD, ITALIC, BOLD_ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"
FAMILY = "DejaVuSans"
PLACEHOLDER = "\ufffd"  # « � » : visible, and present in DejaVu Sans

_lock = threading.Lock()
_coverage: frozenset[int] | None = None
_covered_chars: frozenset[str] = frozenset()

# Invisible companions of emoji (variation selectors, zero-width joiner, skin tones, tags):
# dropped so one emoji sequence becomes one placeholder, not three.
_INVISIBLE = re.compile("[\ufe0e\ufe0f\u200d\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]")
# Characters XML 1.0 (Paragraph markup) forbids, except tab, line feed, carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def register_fonts() -> None:
    """Register the four faces and the family (so <b> and <i> work). Thread-safe, idempotent."""
    global _coverage, _covered_chars
    if _coverage is not None:
        return
    with _lock:
        if _coverage is not None:
            return
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        faces = {}
        for name in (REGULAR, BOLD, ITALIC, BOLD_ITALIC):
            faces[name] = TTFont(name, str(FONT_DIR / f"{name}.ttf"))
            pdfmetrics.registerFont(faces[name])
        pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
        for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
            addMapping(FAMILY, bold, italic, name)
        # the four faces share DejaVu's repertoire except a handful of oblique gaps:
        # keep only what every face can draw
        cover = None
        for face in faces.values():
            cmap = set(face.face.charToGlyph)
            cover = cmap if cover is None else cover & cmap
        _covered_chars = frozenset(map(chr, cover)) | frozenset("\n\t\r")
        _coverage = frozenset(cover)


def printable(text: str) -> str:
    """``text`` with control characters removed and glyphs the font lacks replaced by « � »."""
    register_fonts()
    text = _CONTROL.sub("", _INVISIBLE.sub("", text))
    if _covered_chars.issuperset(text):  # the usual case, checked in C: nothing to replace
        return text
    out: list[str] = []
    for ch in text:
        if ord(ch) in _coverage or ch in "\n\t\r":
            out.append(ch)
        elif not out or out[-1] != PLACEHOLDER:  # "🇫🇷" or "🚀🚀" -> a single mark
            out.append(PLACEHOLDER)
    return "".join(out)
