"""The report's fonts read back from the parsed-face cache are the fonts ReportLab parses."""

from __future__ import annotations

import pickle

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from exports import pdf_fonts

FACES = (pdf_fonts.REGULAR, pdf_fonts.BOLD, pdf_fonts.ITALIC, pdf_fonts.BOLD_ITALIC)


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    """A cache folder of this test's own (the session shares one for the referentials)."""
    monkeypatch.setenv("PTCE_TOOLKIT_CACHE", str(tmp_path / "cache-polices"))


def _cache_files():
    from ptce_toolkit import paths

    return sorted(paths.cache_dir().glob("police-*.pickle"))


def _same_font(parsed, cached):
    assert vars(parsed).keys() == vars(cached).keys()  # a ReportLab upgrade adding one fails here
    assert (parsed.fontName, parsed._asciiReadable, parsed.shapable) == (cached.fontName, cached._asciiReadable,
                                                                        cached.shapable)
    a, b = dict(vars(parsed.face)), dict(vars(cached.face))
    scale_a, scale_b = a.pop("_pdfScale"), b.pop("_pdfScale")
    assert a.keys() == b.keys()
    for key in a:
        assert a[key] == b[key], key
    assert cached.face.name.ustr == parsed.face.name.ustr
    assert [scale_a(v) for v in (0, 1, 1234, 2048)] == [scale_b(v) for v in (0, 1, 1234, 2048)]
    text = "Œuvre, cœur, 152 €, l’été « ici » — ça"
    assert cached.stringWidth(text, 9) == parsed.stringWidth(text, 9)


@pytest.mark.parametrize("name", FACES)
def test_a_cached_face_is_the_parsed_face(name):
    path = pdf_fonts.FONT_DIR / f"{name}.ttf"
    first = pdf_fonts.load_font(name, path)  # parses and writes the cache
    assert len(_cache_files()) == 1
    _same_font(TTFont(name, str(path)), first)
    _same_font(TTFont(name, str(path)), pdf_fonts.load_font(name, path))  # read from the cache


def test_a_damaged_or_foreign_cache_is_parsed_again_never_run(tmp_path):
    name = pdf_fonts.REGULAR
    path = pdf_fonts.FONT_DIR / f"{name}.ttf"
    pdf_fonts.load_font(name, path)
    (cache,) = _cache_files()
    cache.write_bytes(b"\x80\x05 pas un pickle")
    _same_font(TTFont(name, str(path)), pdf_fonts.load_font(name, path))
    marker = tmp_path / "execute"

    class Hostile:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    cache.write_bytes(pickle.dumps({"unitsPerEm": 2048, "x": Hostile()}))
    _same_font(TTFont(name, str(path)), pdf_fonts.load_font(name, path))
    assert not marker.exists()
    # and it was written anew, good this time
    assert pdf_fonts._cached_face(cache, path.read_bytes()) is not None


def test_a_read_only_data_folder_still_gives_the_fonts(monkeypatch):
    from ptce_toolkit import atomic

    def refuse(*a, **k):
        raise PermissionError(13, "lecture seule")

    monkeypatch.setattr(atomic, "write_bytes", refuse)
    name = pdf_fonts.BOLD
    path = pdf_fonts.FONT_DIR / f"{name}.ttf"
    _same_font(TTFont(name, str(path)), pdf_fonts.load_font(name, path))
    assert _cache_files() == []
