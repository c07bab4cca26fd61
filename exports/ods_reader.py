"""Read the cells of an untrusted LibreOffice .ods the way ``xlsx_sheets.Book`` reads an .xlsx.

Same interface (``sheets``, ``read(name)`` → ``Sheet`` of ``Cell``), so the importer applies
exactly the same validation and messages to both formats. The zip has already passed
``xlsx_guard.open_spreadsheet`` (sizes, member count, bombs); ``content.xml`` is parsed with
the same DTD-refusing parser. A formula is kept as a formula (``table:formula``; its
cached value is never used), a percentage keeps its kind (« 32,5 % » is 0.325 with
``percent=True``), a date is a date, merged cells are listed.

Why not python-calamine: it returns cached values only — no formulas, no number formats —
and the strict importer needs both (a formula in a level cell is refused; a percentage
typed with « % » must be told from a bare number).
"""

from __future__ import annotations

import re
from datetime import datetime

from exports.xlsx_sheets import Cell, Sheet, XmlRefused, _parse

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
MAX_ROWS = 100_000  # rows with content, after expanding repetitions
MAX_COLS = 200
_ROW_CONTAINERS = {f"{TABLE}table-header-rows", f"{TABLE}table-rows", f"{TABLE}table-row-group"}


class OdsBook:
    """Sheet names, states and cells of an .ods already checked by ``xlsx_guard``."""

    def __init__(self, zf):
        self.zf = zf
        self._root = _parse(zf, "content.xml")
        hidden_styles = set()
        auto = self._root.find(f"{OFFICE}automatic-styles")
        for st in (auto if auto is not None else []):
            props = st.find(f"{STYLE}table-properties")
            if props is not None and props.get(f"{TABLE}display") == "false":
                hidden_styles.add(st.get(f"{STYLE}name"))
        body = self._root.find(f"{OFFICE}body/{OFFICE}spreadsheet")
        self._tables = {}
        self.sheets: dict[str, tuple[str, str]] = {}
        for t in (body.findall(f"{TABLE}table") if body is not None else []):
            name = t.get(f"{TABLE}name", "")
            self._tables[name] = t
            self.sheets[name] = ("content.xml", "hidden" if t.get(f"{TABLE}style-name") in hidden_styles
                                 else "visible")

    def close(self) -> None:
        self.zf.close()

    def saved_time(self) -> str:
        """dc:date of meta.xml (last save), to the second: a stable time for answers typed without one."""
        try:
            data = self.zf.read("meta.xml")
        except KeyError:
            return ""
        m = re.search(rb"<dc:date>([0-9T:\-]{19})", data)
        return m.group(1).decode("ascii") + "Z" if m else ""

    def read(self, name: str) -> Sheet:
        sheet = Sheet(name)
        row = 0
        for r in _rows(self._tables[name]):
            repeat = int(r.get(f"{TABLE}number-rows-repeated", "1") or 1)
            cells = list(_cells(r, name))
            if not cells:
                row += repeat
                continue
            if repeat > 1 and row + repeat > MAX_ROWS:
                raise XmlRefused(f"feuille « {name} » : ligne remplie répétée {repeat} fois ; refusée par prudence.")
            for _ in range(repeat):
                row += 1
                if row > MAX_ROWS:
                    raise XmlRefused(f"feuille « {name} » : plus de {MAX_ROWS} lignes remplies ; refusée par prudence.")
                for col, cell, span in cells:
                    if cell is not None:
                        sheet.cells[(row, col)] = cell
                        sheet.max_row = max(sheet.max_row, row)
                    if span is not None:
                        sheet.merged.append((row, col, row + span[0] - 1, col + span[1] - 1))
        return sheet


def _rows(parent):
    for child in parent:
        if child.tag == f"{TABLE}table-row":
            yield child
        elif child.tag in _ROW_CONTAINERS:
            yield from _rows(child)


def _cells(row, name: str):
    """(column, Cell or None, merge span or None) for each cell with something in it."""
    col = 0
    for c in row:
        if c.tag not in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
            continue
        repeat = int(c.get(f"{TABLE}number-columns-repeated", "1") or 1)
        cell = _cell(c) if c.tag == f"{TABLE}table-cell" else None
        rows_span = int(c.get(f"{TABLE}number-rows-spanned", "1") or 1)
        cols_span = int(c.get(f"{TABLE}number-columns-spanned", "1") or 1)
        span = (rows_span, cols_span) if rows_span > 1 or cols_span > 1 else None
        if cell is None and span is None:
            col += repeat
            continue
        if col + repeat > MAX_COLS and repeat > 1:
            raise XmlRefused(f"feuille « {name} » : cellule remplie répétée {repeat} fois ; refusée par prudence.")
        for _ in range(repeat):
            col += 1
            yield col, cell, span


def _formula(c) -> str | None:
    f = c.get(f"{TABLE}formula")
    if f is None:
        return None
    _, sep, rest = f.partition(":=") if f[:8].find(":=") >= 0 else ("", "", f.lstrip("="))
    return "=" + rest


def _cell(c) -> Cell | None:
    formula = _formula(c)
    kind = c.get(f"{OFFICE}value-type")
    if c.get(f"{CALCEXT}value-type") == "error":
        return Cell("e", _text(c) or "#ERR", formula)
    if kind is None:
        text = _text(c)
        if formula is not None or text:
            return Cell("s", text or None, formula)
        return None
    if kind in ("float", "percentage", "currency"):
        raw = c.get(f"{OFFICE}value", "")
        try:
            num = float(raw)
        except ValueError:
            return Cell("e", raw, formula)
        value = int(raw) if num.is_integer() and re.fullmatch(r"-?\d+", raw) else num
        return Cell("n", value, formula, kind == "percentage")
    if kind == "date":
        raw = c.get(f"{OFFICE}date-value", "")
        try:
            return Cell("d", datetime.fromisoformat(raw), formula)
        except ValueError:
            return Cell("e", raw, formula)
    if kind == "boolean":
        return Cell("b", c.get(f"{OFFICE}boolean-value") == "true", formula)
    if kind == "string" and formula is not None and c.get(f"{OFFICE}string-value") is not None:
        return Cell("s", c.get(f"{OFFICE}string-value"), formula)
    return Cell("s", _text(c), formula)  # string, time: as shown


def _text(c) -> str:
    paragraphs = [p for p in c if p.tag in (f"{TEXT}p", f"{TEXT}h")]
    return "\n".join(_inline(p) for p in paragraphs)


def _inline(el) -> str:
    out = [el.text or ""]
    for ch in el:
        if ch.tag == f"{TEXT}s":
            out.append(" " * int(ch.get(f"{TEXT}c", "1") or 1))
        elif ch.tag == f"{TEXT}tab":
            out.append("\t")
        elif ch.tag == f"{TEXT}line-break":
            out.append("\n")
        elif ch.tag != f"{OFFICE}annotation":
            out.append(_inline(ch))
        out.append(ch.tail or "")
    return "".join(out)
