"""The report's embedded font family (DejaVu Sans, shipped in exports/fonts) and its glyph coverage.

Registered once per process, on first use: importing this module costs nothing. Text that
goes into the PDF passes through ``printable`` so a character the font lacks (most emoji)
shows as a visible replacement mark instead of ReportLab's silent black box.

ReportLab parses the whole TrueType file in pure Python (≈ 14 ms a face, 55 ms for the
four, at every start of ``ptce report``). What it extracts is kept in the user data folder's
cache (``paths.cache_dir()/police-….pickle``, keyed by the font file's bytes and ReportLab's version) and
read back in ≈ 3 ms a face; the unpickler accepts no class but ReportLab's name strings, so a
damaged or foreign cache file is parsed again, never executed.
"""

from __future__ import annotations

import io
import pickle
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

        faces = {}
        for name in (REGULAR, BOLD, ITALIC, BOLD_ITALIC):
            faces[name] = load_font(name, FONT_DIR / f"{name}.ttf")
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


# ------------------------------------------------------------------ parsed faces, cached

_CACHE_FORMAT = b"ptce-police-1"
_NOT_PICKLED = ("_ttf_data", "_pdfScale")  # the file's bytes (read anyway) and a lambda


def load_font(name: str, path: Path):
    """``TTFont(name, path)``, from the parsed-face cache when it holds this very file."""
    from reportlab.pdfbase.ttfonts import TTFont

    data = path.read_bytes()
    cache = _cache_path(data)
    face = _cached_face(cache, data) if cache is not None else None
    if face is None:
        font = TTFont(name, str(path))
        if cache is not None:
            _write_face(cache, font.face)
        return font
    font = object.__new__(TTFont)  # TTFont.__init__ without its parse (test: same attributes)
    font.fontName, font.face = name, face
    _finish_font(font)
    return font


def _finish_font(font) -> None:
    """What ``TTFont.__init__`` sets besides its name and face (ReportLab 4–5)."""
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, unShapedFontGlob
    from fnmatch import fnmatch

    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(font.fontName, g) for g in unShapedFontGlob)


def _cache_path(data: bytes) -> Path | None:
    import hashlib

    import reportlab

    from ptce_toolkit import paths

    digest = hashlib.blake2b(data, digest_size=16)
    digest.update(_CACHE_FORMAT + reportlab.Version.encode())
    try:
        return paths.cache_dir() / f"police-{digest.hexdigest()}.pickle"
    except OSError:
        return None


class _FaceUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) == ("reportlab.pdfbase.ttfonts", "TTFNameBytes"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name}")


def _cached_face(cache: Path, data: bytes):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFontFace

    try:
        state = _FaceUnpickler(io.BytesIO(cache.read_bytes())).load()
        if not isinstance(state, dict) or not isinstance(state.get("unitsPerEm"), int):
            return None
    except Exception:  # noqa: BLE001 - missing, damaged or foreign: parse the font instead
        return None
    face = object.__new__(TTFontFace)
    pdfmetrics.TypeFace.__init__(face, None)
    face.__dict__.update(state)
    face._ttf_data = data
    units = state["unitsPerEm"]  # the scale extractInfo builds (a lambda, not picklable)
    face._pdfScale = (lambda x: x) if units == 1000 else (lambda x, _m=1000 / units: x * _m)
    return face


def _write_face(cache: Path, face) -> None:
    from ptce_toolkit import atomic

    state = {k: v for k, v in face.__dict__.items() if k not in _NOT_PICKLED}
    try:
        atomic.write_bytes(cache, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # a cache is an optimisation; a read-only data folder must not stop the report


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
