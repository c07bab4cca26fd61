"""Read the cells of an untrusted .xlsx straight from its XML, without evaluating anything.

Why not openpyxl: in read-only mode it does not expose merged cells, and it costs about
four times as long per small workbook (bench/consolidate.py measures both). Here every
part with a DTD is refused by defusedxml (no entity expansion; a part without one is parsed
by the standard C parser, see ``_parse``), a formula is
kept as a formula (its cached value is never used), and only the sheets asked for are
parsed.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

import xml.etree.ElementTree as ET

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel

from exports.xlsx_cells import decode_text

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RNS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


class XmlRefused(ValueError):
    """A part of the workbook is unreadable or hostile; the message is French."""


class Cell(NamedTuple):
    """One cell (immutable). A named tuple rather than a frozen dataclass: a consolidation makes
    hundreds of thousands of them, and a tuple is made five times faster."""

    kind: str  # "n" number, "s" text, "b" boolean, "e" error, "d" date
    value: object
    formula: str | None = None
    percent: bool = False  # a number shown as a percentage (« 32,5 % » typed in a spreadsheet is 0.325)

    @property
    def is_empty(self) -> bool:
        return self.formula is None and (self.value is None or self.value == "")


@dataclass
class Sheet:
    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_row, min_col, max_row, max_col
    max_row: int = 0
    ascending: bool = False  # cells were stored row after row, top to bottom (their dict order)

    def get(self, row: int, col: int) -> Cell | None:
        return self.cells.get((row, col))

    def merged_at(self, row: int, col: int) -> str | None:
        for r1, c1, r2, c2 in self.merged:
            if r1 <= row <= r2 and c1 <= col <= c2:
                return f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"
        return None


_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def is_percent_format(code: str) -> bool:
    """A number format that multiplies by 100: a « % » outside quotes, escapes and [brackets]."""
    return "%" in _QUOTED.sub("", code or "")


def coordinate(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _plain_ascii_compatible(data: bytes) -> bool:
    """UTF-8 or ASCII, where a byte search for « <!DOCTYPE » cannot be fooled (UTF-16 could)."""
    return not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in data[:200]


def _parse(zf: zipfile.ZipFile, part: str):
    try:
        data = zf.read(part)
    except KeyError:
        raise XmlRefused(f"partie « {part} » absente de l’archive.") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise XmlRefused(f"partie « {part} » abîmée (archive tronquée ?).") from None
    try:
        if _plain_ascii_compatible(data) and b"<!DOCTYPE" not in data and b"<!ENTITY" not in data:
            # No DTD, so no entity can be declared: expat's C tree builder is as safe here
            # and three times faster than defusedxml's Python handlers (bench/consolidate.py).
            return ET.fromstring(data)
        return DET.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ValueError) as exc:
        raise XmlRefused(f"partie « {part} » refusée : déclaration XML interdite ({type(exc).__name__}), "
                         "signe d’un fichier fabriqué pour nuire.") from None
    except ET.ParseError as exc:
        raise XmlRefused(f"partie « {part} » illisible (XML invalide, {exc}).") from None


class Book:
    """Sheet names, states and cells of a workbook already checked by ``xlsx_guard``."""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.sheets: dict[str, tuple[str, str]] = self._sheets()  # name -> (part, state)
        self._strings: list[str] | None = None
        self._date_styles: set[int] | None = None
        self._percent_styles: set[int] = set()

    def _sheets(self) -> dict[str, tuple[str, str]]:
        """Name -> (part, state) of each sheet, from xl/workbook.xml and its relationships."""
        zf = self.zf
        wb = _parse(zf, "xl/workbook.xml")
        rels = _parse(zf, "xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in zf.namelist() else None
        targets = {}
        for r in (rels if rels is not None else []):
            target = r.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[r.get("Id")] = path
        sheets = {}
        sheets_el = wb.find(f"{NS}sheets")
        for s in (sheets_el if sheets_el is not None else []):
            sheets[s.get("name", "")] = (targets.get(s.get(f"{RNS}id"), ""), s.get("state", "visible"))
        return sheets

    def close(self) -> None:
        self.zf.close()

    @property
    def strings(self) -> list[str]:
        if self._strings is None:
            self._strings = []
            if "xl/sharedStrings.xml" in self.zf.namelist():
                for si in _parse(self.zf, "xl/sharedStrings.xml"):
                    # rich text runs are concatenated; phonetic guides (rPh) are not text
                    parts = [t.text or "" for t in si.iter(f"{NS}t")]
                    phonetic = {id(t) for rph in si.iter(f"{NS}rPh") for t in rph.iter(f"{NS}t")}
                    if phonetic:
                        parts = [t.text or "" for t in si.iter(f"{NS}t") if id(t) not in phonetic]
                    self._strings.append(decode_text("".join(parts)))
        return self._strings

    @property
    def date_styles(self) -> set[int]:
        """Indexes of cell formats that display a number as a date."""
        if self._date_styles is None:
            self._date_styles, self._percent_styles = self._styles()
        return self._date_styles

    def _styles(self) -> tuple[set[int], set[int]]:
        """(indexes of the cell formats showing a number as a date, as a percentage)."""
        dates, percents = set(), set()
        if "xl/styles.xml" in self.zf.namelist():
            st = _parse(self.zf, "xl/styles.xml")
            custom = {int(n.get("numFmtId", "0")): n.get("formatCode", "")
                      for n in st.iter(f"{NS}numFmt")}
            xfs = st.find(f"{NS}cellXfs")
            for i, xf in enumerate(xfs if xfs is not None else []):
                fid = int(xf.get("numFmtId", "0") or 0)
                code = custom.get(fid, BUILTIN_FORMATS.get(fid, ""))
                if (14 <= fid <= 22) or (code and is_date_format(code)):
                    dates.add(i)
                elif fid in (9, 10) or is_percent_format(code):
                    percents.add(i)
        return dates, percents

    def read(self, name: str) -> Sheet:
        part, _ = self.sheets[name]
        root = _parse(self.zf, part)
        sheet = Sheet(name)
        data = root.find(f"{NS}sheetData")
        for row in (data if data is not None else []):
            for c in row.iter(f"{NS}c"):
                m = _REF.fullmatch(c.get("r", ""))
                if not m:
                    raise XmlRefused(f"feuille « {name} » : cellule sans référence valide.")
                r, col = int(m.group(2)), column_index_from_string(m.group(1))
                cell = self._cell(c)
                if cell is not None:
                    sheet.cells[(r, col)] = cell
                    sheet.max_row = max(sheet.max_row, r)
        merges = root.find(f"{NS}mergeCells")
        for mc in (merges if merges is not None else []):
            a, _, b = mc.get("ref", "").partition(":")
            ma, mb = _REF.fullmatch(a), _REF.fullmatch(b or a)
            if ma and mb:
                sheet.merged.append((int(ma.group(2)), column_index_from_string(ma.group(1)),
                                     int(mb.group(2)), column_index_from_string(mb.group(1))))
        return sheet

    def _cell(self, c) -> Cell | None:
        t = c.get("t", "n")
        f = c.find(f"{NS}f")
        formula = None
        if f is not None:
            formula = "=" + (f.text or "") if (f.text or f.get("t") == "shared") else "="
        v = c.find(f"{NS}v")
        raw = v.text if v is not None else None
        if t == "inlineStr":
            is_ = c.find(f"{NS}is")
            text = "".join(x.text or "" for x in is_.iter(f"{NS}t")) if is_ is not None else ""
            return Cell("s", decode_text(text), formula)
        if raw is None:
            return Cell("s", None, formula) if formula else None
        if t == "s":
            try:
                return Cell("s", self.strings[int(raw)], formula)
            except (ValueError, IndexError):
                raise XmlRefused("référence à un texte partagé inexistant.") from None
        if t == "str":
            return Cell("s", decode_text(raw), formula)
        if t == "b":
            return Cell("b", raw.strip() == "1", formula)
        if t == "e":
            return Cell("e", raw, formula)
        if t == "d":
            try:
                return Cell("d", datetime.fromisoformat(raw.rstrip("Z")), formula)
            except ValueError:
                return Cell("e", raw, formula)
        try:
            num = float(raw)
        except ValueError:
            return Cell("e", raw, formula)
        style = int(c.get("s", "0") or 0)
        if style in self.date_styles:
            try:
                return Cell("d", from_excel(num), formula)
            except (ValueError, OverflowError):
                return Cell("e", raw, formula)
        percent = style in self._percent_styles
        if num.is_integer() and "." not in raw and "E" not in raw.upper():
            return Cell("n", int(raw), formula, percent)
        return Cell("n", num, formula, percent)
