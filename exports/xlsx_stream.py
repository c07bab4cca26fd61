"""A small streaming .xlsx writer for the synthesis workbook: plain XML strings, no cell objects.

openpyxl's write-only mode spent about 5 s on the synthesis of 1,000 workbooks (one
Python object and one XML element per cell); writing the XML text directly is an order
of magnitude faster. It knows only what the synthesis needs: text (shared strings),
numbers, booleans, dates, a few styles, column widths, frozen panes, filters and the
print setup (landscape, fit to width, titles repeated, page numbers).

Text goes through the same rules as ``xlsx_cells.put_text``: never a formula (cells whose
text starts with ``= + - @``… carry ``quotePrefix``), characters XML cannot hold written
as ``_xHHHH_``, Excel's 32,767-character limit enforced. Output is byte-for-byte
reproducible: fixed zip dates, fixed document dates, entries in a fixed order.
"""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

from exports.xlsx_cells import check_cell_length, encode_text, looks_like_formula

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = "2000-01-01T00:00:00Z"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_EPOCH = date(1899, 12, 30)
LINE_HEIGHT = 12.75  # points per line of 10 pt text
CHARS_PER_UNIT = 1.1  # average characters of 10 pt text per unit of column width (a little pessimistic)

# fonts: 0 body, 1 title, 2 help, 3 header (white bold), 4 bold
_FONTS = ('<font><sz val="10"/><name val="Calibri"/><family val="2"/></font>',
          '<font><b/><sz val="14"/><color rgb="FF1F3864"/><name val="Calibri"/><family val="2"/></font>',
          '<font><i/><sz val="10"/><color rgb="FF595959"/><name val="Calibri"/><family val="2"/></font>',
          '<font><b/><sz val="10"/><color rgb="FFFFFFFF"/><name val="Calibri"/><family val="2"/></font>',
          '<font><b/><sz val="10"/><name val="Calibri"/><family val="2"/></font>')
FONT_BODY, FONT_TITLE, FONT_HELP, FONT_HEADER, FONT_BOLD = range(5)
# fills: 0 and 1 are required by Excel; 2 header blue; 3 pale orange (to check)
_FILLS = ('<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>',
          '<fill><patternFill patternType="solid"><fgColor rgb="FF2F5597"/><bgColor indexed="64"/></patternFill></fill>',
          '<fill><patternFill patternType="solid"><fgColor rgb="FFFCE4D6"/><bgColor indexed="64"/></patternFill></fill>')
FILL_NONE, FILL_HEADER, FILL_WARN = 0, 2, 3
_BORDERS = ('<border><left/><right/><top/><bottom/><diagonal/></border>',
            '<border><left style="thin"><color rgb="FFBFBFBF"/></left><right style="thin"><color rgb="FFBFBFBF"/>'
            '</right><top style="thin"><color rgb="FFBFBFBF"/></top><bottom style="thin"><color rgb="FFBFBFBF"/>'
            '</bottom><diagonal/></border>')
# number formats: built-in ids, plus custom ones from 164
_CUSTOM_FORMATS = {"0.0": 164, "dd/mm/yyyy": 165}
_BUILTIN_FORMATS = {"": 0, "0": 1, "0.00": 2, "0%": 9}


@dataclass(frozen=True)
class Style:
    font: int = FONT_BODY
    fill: int = FILL_NONE
    border: bool = False
    number_format: str = ""
    wrap: bool = False
    rotate: int = 0
    center: bool = False


BODY = Style()
WRAP = Style(wrap=True)


class StyleSheet:
    def __init__(self) -> None:
        self._xfs: dict[tuple[Style, bool], int] = {}
        self.id(BODY)  # cell format 0 is the default

    def id(self, style: Style, quote: bool = False) -> int:
        key = (style, quote)
        if key not in self._xfs:
            self._xfs[key] = len(self._xfs)
        return self._xfs[key]

    def xml(self) -> str:
        xfs = []
        for (s, quote), _ in sorted(self._xfs.items(), key=lambda kv: kv[1]):
            fmt = _BUILTIN_FORMATS.get(s.number_format, _CUSTOM_FORMATS.get(s.number_format, 0))
            attrs = f'numFmtId="{fmt}" fontId="{s.font}" fillId="{s.fill}" borderId="{int(s.border)}" xfId="0"'
            for flag, name in ((fmt, "applyNumberFormat"), (s.font, "applyFont"), (s.fill, "applyFill"),
                               (s.border, "applyBorder"), (quote, "quotePrefix")):
                if flag:
                    attrs += f' {name}="1"'

            # every cell top-aligned: a row grown by a wrapped neighbour reads from the top
            align = ('<alignment' + (' horizontal="center"' if s.center else '')
                     + (' vertical="center"' if s.rotate or s.font == FONT_HEADER else ' vertical="top"')
                     + (f' textRotation="{s.rotate}"' if s.rotate else '') + (' wrapText="1"' if s.wrap else '') + '/>')
            xfs.append(f'<xf {attrs} applyAlignment="1">{align}</xf>')
        fmts = "".join(f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>' for code, i in _CUSTOM_FORMATS.items())
        return (f'{_HEAD}<styleSheet xmlns="{_MAIN}"><numFmts count="{len(_CUSTOM_FORMATS)}">{fmts}</numFmts>'
                f'<fonts count="{len(_FONTS)}">{"".join(_FONTS)}</fonts>'
                f'<fills count="{len(_FILLS)}">{"".join(_FILLS)}</fills>'
                f'<borders count="{len(_BORDERS)}">{"".join(_BORDERS)}</borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                '</styleSheet>')


@dataclass
class SheetSpec:
    name: str
    widths: list[float]
    freeze: str = ""  # top-left cell of the scrolling area, e.g. "B4"
    filter_row: int = 0  # header row of the auto-filter (0: none)
    title_rows: tuple[int, int] | None = None  # rows repeated on each printed page
    title_cols: int = 0  # leading columns repeated on each printed page
    landscape: bool = True
    print_cols: int = 0  # columns printed (0: all); the others stay on screen only
    rows: list[str] = field(default_factory=list)
    max_col: int = 1


class Workbook:
    """Sheets are filled row by row with :meth:`append`; :meth:`save` writes the file."""

    def __init__(self) -> None:
        self.styles = StyleSheet()
        self.sheets: list[SheetSpec] = []
        self._strings: dict[str, int] = {}  # raw text -> index (escaped when written)
        self._style_cache: dict[tuple[int, int], tuple] = {}

    def sheet(self, name: str, widths: list[float], **kw) -> SheetSpec:
        spec = SheetSpec(name[:31], list(widths), **kw)
        spec.max_col = max(len(widths), 1)
        self.sheets.append(spec)
        return spec

    def _column_styles(self, sheet: SheetSpec, styles, count: int) -> list[tuple]:
        """Per column: letter, style id, style id with quotePrefix, width if wrapped (else 0)."""
        key = (id(styles), count)
        cached = self._style_cache.get(key)
        if cached is not None and cached[0] is styles:
            return cached[1]
        out = []
        for c in range(1, count + 1):
            style = styles if isinstance(styles, Style) else (styles[c - 1] if styles else BODY) or BODY
            width = sheet.widths[c - 1] if style.wrap and c <= len(sheet.widths) else 0
            out.append((get_column_letter(c), self.styles.id(style), self.styles.id(style, True), width))
        self._style_cache[key] = (styles, out)
        return out

    def append(self, sheet: SheetSpec, values, styles=None, *, height: float | None = None) -> None:
        """One row; ``styles`` is one Style per value (or one Style for all, or None)."""
        r = len(sheet.rows) + 1
        values = list(values)
        columns = self._column_styles(sheet, styles, len(values))
        out = []
        lines = 1
        last = 0
        for c, ((letter, sid, quoted, wrap_width), value) in enumerate(zip(columns, values), start=1):
            if value is None or value == "":
                continue
            last = c
            if isinstance(value, str):
                check_cell_length(value, f"feuille « {sheet.name} », cellule {letter}{r}")
                if wrap_width and (len(value) > wrap_width or "\n" in value):
                    lines = max(lines, _lines(value, wrap_width))
                index = self._strings.get(value)
                if index is None:
                    index = self._strings[value] = len(self._strings)
                out.append(f'<c r="{letter}{r}" s="{quoted if looks_like_formula(value) else sid}" t="s">'
                           f'<v>{index}</v></c>')
            elif isinstance(value, bool):
                out.append(f'<c r="{letter}{r}" s="{sid}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
                out.append(f'<c r="{letter}{r}" s="{sid}"><v>{value!r}</v></c>')
            elif isinstance(value, (date, datetime)):
                day = value.date() if isinstance(value, datetime) else value
                out.append(f'<c r="{letter}{r}" s="{sid}"><v>{(day - _EPOCH).days}</v></c>')
            else:
                self._append_text_fallback(out, letter, r, sid, quoted, str(value))
        if last > sheet.max_col:
            sheet.max_col = last
        if height is None and lines > 1:
            # spreadsheet programs do not grow rows for wrapped text when they open a file
            # (LibreOffice draws the lines over each other): give the height explicitly
            height = min(LINE_HEIGHT * lines + 2, 409)
        ht = f' ht="{height:g}" customHeight="1"' if height else ""
        sheet.rows.append(f'<row r="{r}"{ht}>{"".join(out)}</row>')

    def _append_text_fallback(self, out: list, letter: str, r: int, sid: int, quoted: int, text: str) -> None:
        index = self._strings.get(text)
        if index is None:
            index = self._strings[text] = len(self._strings)
        out.append(f'<c r="{letter}{r}" s="{quoted if looks_like_formula(text) else sid}" t="s"><v>{index}</v></c>')

    # ------------------------------------------------------------------ parts

    def _sheet_xml(self, s: SheetSpec, selected: bool) -> str:
        last = f"{get_column_letter(s.max_col)}{max(len(s.rows), 1)}"
        view = '<sheetView workbookViewId="0"' + (' tabSelected="1">' if selected else '>')
        if s.freeze and s.freeze != "A1":
            col = 0
            while col < len(s.freeze) and s.freeze[col].isalpha():
                col += 1
            x, y = _column_index(s.freeze[:col]) - 1, int(s.freeze[col:]) - 1
            pane = "bottomRight" if x and y else ("bottomLeft" if y else "topRight")
            split = (f' xSplit="{x}"' if x else "") + (f' ySplit="{y}"' if y else "")
            view += (f'<pane{split} topLeftCell="{s.freeze}" activePane="{pane}" state="frozen"/>'
                     f'<selection pane="{pane}" activeCell="{s.freeze}" sqref="{s.freeze}"/>')
        view += "</sheetView>"
        cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                       for i, w in enumerate(s.widths, start=1))
        parts = [f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">',
                 '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>', f'<dimension ref="A1:{last}"/>',
                 f'<sheetViews>{view}</sheetViews>', '<sheetFormatPr defaultRowHeight="13"/>',
                 f'<cols>{cols}</cols>' if cols else "", "<sheetData>", *s.rows, "</sheetData>"]
        if s.filter_row and len(s.rows) > s.filter_row:
            parts.append(f'<autoFilter ref="{self._filter_ref(s)}"/>')
        parts += ['<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.6" header="0.3" footer="0.3"/>',
                  f'<pageSetup paperSize="9" orientation="{"landscape" if s.landscape else "portrait"}" '
                  'fitToWidth="1" fitToHeight="0"/>',
                  '<headerFooter><oddFooter>&amp;L&amp;8&amp;A&amp;R&amp;8Page &amp;P / &amp;N</oddFooter>'
                  '</headerFooter>', '</worksheet>']
        return "".join(parts)

    @staticmethod
    def _filter_ref(s: SheetSpec) -> str:
        return f"A{s.filter_row}:{get_column_letter(s.max_col)}{len(s.rows)}"

    def _workbook_xml(self) -> str:
        sheets = "".join(f'<sheet name={quoteattr(s.name)} sheetId="{i}" r:id="rId{i}"/>'
                         for i, s in enumerate(self.sheets, start=1))
        names = []
        for i, s in enumerate(self.sheets):
            q = "'" + s.name.replace("'", "''") + "'"
            if s.filter_row and len(s.rows) > s.filter_row:
                ref = self._filter_ref(s)
                a, b = ref.split(":")
                names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                             f'{escape(q)}!{_absolute(a)}:{_absolute(b)}</definedName>')
            titles = []
            if s.title_cols:
                titles.append(f"{q}!$A:${get_column_letter(s.title_cols)}")
            if s.title_rows:
                titles.append(f"{q}!${s.title_rows[0]}:${s.title_rows[1]}")
            if s.print_cols:
                names.append(f'<definedName name="_xlnm.Print_Area" localSheetId="{i}">{escape(q)}!$A$1:'
                             f'${get_column_letter(s.print_cols)}${max(len(s.rows), 1)}</definedName>')
            if titles:
                names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                             f'{escape(",".join(titles))}</definedName>')
        defined = f'<definedNames>{"".join(names)}</definedNames>' if names else ""
        return (f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><workbookPr/>'
                '<bookViews><workbookView activeTab="0"/></bookViews>'
                f'<sheets>{sheets}</sheets>{defined}<calcPr calcId="191029"/></workbook>')

    def _shared_strings_xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{escape(encode_text(t))}</t></si>' for t in self._strings)
        return (f'{_HEAD}<sst xmlns="{_MAIN}" count="{len(self._strings)}" uniqueCount="{len(self._strings)}">'
                f'{items}</sst>')

    def to_bytes(self) -> bytes:
        n = len(self.sheets)
        ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{ct}.worksheet+xml"/>'
                            for i in range(1, n + 1))
        content_types = (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>{overrides}'
            f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>')
        root_rels = (
            f'{_HEAD}<Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
            '</Relationships>')
        wb_rels = (f'{_HEAD}<Relationships xmlns="{_PKG}">'
                   + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                             for i in range(1, n + 1))
                   + f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
                   f'<Relationship Id="rId{n + 2}" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
                   '</Relationships>')
        core = (f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
                'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/'
                'terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>PTCE Toolkit</dc:creator>'
                f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_DOC_TIME}</dcterms:created>'
                f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_DOC_TIME}</dcterms:modified>'
                '</cp:coreProperties>')
        app = (f'{_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
               'properties"><Application>PTCE Toolkit</Application></Properties>')
        # sheets first: writing them registers the styles and strings used
        sheet_parts = [self._sheet_xml(s, i == 0) for i, s in enumerate(self.sheets)]
        parts = [("[Content_Types].xml", content_types), ("_rels/.rels", root_rels),
                 ("docProps/core.xml", core), ("docProps/app.xml", app), ("xl/workbook.xml", self._workbook_xml()),
                 ("xl/_rels/workbook.xml.rels", wb_rels), ("xl/styles.xml", self.styles.xml()),
                 ("xl/sharedStrings.xml", self._shared_strings_xml())]
        parts += [(f"xl/worksheets/sheet{i}.xml", x) for i, x in enumerate(sheet_parts, start=1)]
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for name, text in parts:
                info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, text.encode("utf-8"), compresslevel=6)
        return buf.getvalue()


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column of ``width`` (character units, 10 pt font)."""
    per_line = max(int(width * CHARS_PER_UNIT), 1)
    if "\n" not in text:
        return max(-(-len(text) // per_line), 1)
    return sum(max(-(-len(part) // per_line), 1) for part in text.split("\n"))


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _absolute(ref: str) -> str:
    i = 0
    while ref[i].isalpha():
        i += 1
    return f"${ref[:i]}${ref[i:]}"
