"""The one way text goes into a workbook cell, and the one way it comes back out.

Every string the app writes to a workbook (export, questionnaire, consolidation copy)
goes through :func:`put_text` or :func:`put_value`, so user text can never become a
formula: openpyxl turns a string starting with ``=`` into a live formula, and strings
starting with ``+ - @`` or a tab become formulas after an edit or a CSV trip.

Characters that XML 1.0 cannot hold (controls other than tab and line feed, and the
carriage return that XML parsers turn into a line feed) are stored with the OOXML
escape ``_xHHHH_`` that Excel and LibreOffice decode; a literal ``_xHHHH_`` typed by a
user is protected as ``_x005F_xHHHH_``. :func:`decode_text` reverses both, so any
Python string survives export and import unchanged.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from ptce_toolkit import fmt
from ptce_toolkit.text_limits import CELL_ESCAPED, MAX_CELL_CHARS, cell_length  # Excel's limit per cell

# Leading characters that a spreadsheet may read as the start of a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NEEDS_ESCAPE = CELL_ESCAPED
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


class CellTextTooLong(ValueError):
    def __init__(self, where: str, length: int):
        super().__init__(f"{where}\u00a0: texte de {fmt.number(length)} caractères une fois écrit dans la cellule, "
                         f"au-delà des {fmt.number(MAX_CELL_CHARS)} qu’une cellule Excel peut contenir.")


def check_cell_length(text: str, where: str) -> None:
    """CellTextTooLong when ``text`` written to a cell (escapes included, an emoji counted
    twice) would pass Excel's limit: the raw length alone let « _xHHHH_ » escapes overflow it."""
    if len(text) > MAX_CELL_CHARS // 8 and (length := cell_length(text)) > MAX_CELL_CHARS:
        raise CellTextTooLong(where, length)


def encode_text(text: str) -> str:
    """Escape what XML cannot hold with OOXML's ``_xHHHH_`` notation."""
    if not _NEEDS_ESCAPE.search(text):
        return text
    return _NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def decode_text(text: str) -> str:
    """Inverse of :func:`encode_text` (also what Excel writes for control characters)."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def put_text(cell, text: str, *, where: str = "") -> None:
    """Write ``text`` as a plain string cell, never a formula."""
    check_cell_length(text, where or cell.coordinate)
    cell.value = encode_text(text)
    cell.data_type = "s"  # openpyxl guessed "f" for a leading "="; force a string
    if looks_like_formula(text):
        cell.quotePrefix = True  # Excel/LibreOffice keep it text even after an edit


def put_value(cell, value, *, where: str = "") -> None:
    """Numbers, booleans, dates and None as they are; any text through :func:`put_text`."""
    if isinstance(value, str):
        put_text(cell, value, where=where)
    elif value is None or isinstance(value, (bool, int, float, date, datetime)):
        cell.value = value
    else:
        put_text(cell, str(value), where=where)


def put_formula(cell, formula: str) -> None:
    """Formulas built by the app itself (Scores, labels) — never from user text."""
    assert formula.startswith("="), formula
    cell.value = formula
