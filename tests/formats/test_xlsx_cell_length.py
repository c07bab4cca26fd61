"""A text goes into a workbook cell only if it fits once written: Excel's 32 767 characters
are counted after the workbook's escapes (a control character or a literal « _xHHHH_ » takes
7) and in UTF-16 units (an emoji takes 2). Both workbook writers check it the same way; the
raw length alone let a text of 4 682 control characters become a 32 774-character cell."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

import pytest
from openpyxl import Workbook

from exports import xlsx_stream
from exports.xlsx_cells import CellTextTooLong, decode_text, put_text

FITS = {"32 767 lettres": "x" * 32_767, "4 681 contrôles": "\x01" * 4_681, "16 383 émojis": "🌱" * 16_383,
        "2 520 « _x0041_ » (13 chacun, protégés)": "_x0041_" * 2_520}
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TOO_LONG = {"32 768 lettres": "x" * 32_768, "4 682 contrôles": "\x01" * 4_682, "16 384 émojis": "🌱" * 16_384,
            "2 521 « _x0041_ »": "_x0041_" * 2_521}


def _utf16_units(stored: str) -> int:
    return len(stored.encode("utf-16-le")) // 2  # what Excel counts


@pytest.mark.parametrize("text", FITS.values(), ids=FITS)
def test_a_text_that_fits_is_written_whole(text):
    """What each writer stores (the cell's string, the shared string of the file) holds at
    most 32 767 units and decodes to the text."""
    cell = Workbook().active["A1"]
    put_text(cell, text)
    assert decode_text(cell.value) == text and _utf16_units(cell.value) <= 32_767

    book = xlsx_stream.Workbook()
    book.append(book.sheet("Feuille", [10]), [text])
    with zipfile.ZipFile(io.BytesIO(book.to_bytes())) as z:
        stored = ElementTree.fromstring(z.read("xl/sharedStrings.xml")).find(f"{{{MAIN}}}si/{{{MAIN}}}t").text
    assert decode_text(stored) == text and _utf16_units(stored) <= 32_767


@pytest.mark.parametrize("text", TOO_LONG.values(), ids=TOO_LONG)
def test_a_text_too_long_once_written_is_refused_by_both_writers(text):
    with pytest.raises(CellTextTooLong, match=r"^Réponses!C7\u00a0: texte de 32\u202f7\d\d caractères une fois écrit"):
        put_text(Workbook().active["A1"], text, where="Réponses!C7")
    book = xlsx_stream.Workbook()
    sheet = book.sheet("Réponses", [10])
    with pytest.raises(CellTextTooLong, match=r"^feuille «\u00a0Réponses\u00a0», cellule A1\u00a0: texte de 32\u202f7"):
        book.append(sheet, [text])
