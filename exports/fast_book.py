"""A faster reader of the cells of a workbook, for consolidating whole folders.

Same interface and same results as :class:`exports.xlsx_sheets.Book` (it is a subclass):
``sheets``, ``read(name)`` → :class:`~exports.xlsx_sheets.Sheet` of
:class:`~exports.xlsx_sheets.Cell`, ``strings``, ``date_styles``, ``zf``. The difference is
how a worksheet and the shared strings are read: instead of building an element tree and
walking it in Python (about two thirds of the reading time), the XML text is checked by
expat (well-formed, no DTD: the same safety as ``xlsx_sheets._parse``) and its cells are
taken with regular expressions.

Only the plain form that Excel, LibreOffice and openpyxl write is read this way. Anything
else — a DTD, another encoding, prefixed or redeclared namespaces, comments, CDATA,
processing instructions, carriage returns, unknown entities, a cell without a reference,
a child element the fast path does not know — makes that part go through ``Book`` itself,
so the result (and every refusal message) is exactly the current reader's.
tests/formats/test_fast_book.py compares both readers cell by cell on the hostile corpus
and on exported workbooks.
"""

from __future__ import annotations

import functools
import re
import xml.parsers.expat as expat

from openpyxl.utils.datetime import from_excel

from exports.xlsx_cells import decode_text
from exports.xlsx_sheets import NS, Book, Cell, Sheet, _plain_ascii_compatible, column_index_from_string

_MAIN_URI = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_MAIN_URI_TEXT = _MAIN_URI.decode("ascii")
_MAIN = b'xmlns="' + _MAIN_URI + b'"'
_ROOT = re.compile(rb'\s*(?:<\?xml[^>]*\?>\s*)?<(worksheet|sst)\s[^>]*>', re.S)
_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData\s*>(.*?)</sheetData\s*>", re.S)
_ROW_OR_CELL = re.compile(rb"<(/?)(row|c)\b([^>]*?)(/?)>", re.S)
_CELL_BODY = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c\s*>)", re.S)
_ATTR = re.compile(rb'([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_CHILD = re.compile(rb"<([A-Za-z_][\w.:-]*)\b([^>]*?)(/?)>", re.S)
_F = re.compile(rb"<f\b([^>]*?)(?:/>|>([^<]*)</f\s*>)", re.S)
_V = re.compile(rb"<v\s*(?:/>|>([^<]*)</v\s*>)", re.S)
_IS = re.compile(rb"<is\s*(?:/>|>(.*?)</is\s*>)", re.S)
_T = re.compile(rb"<t\b[^>]*?(?:/>|>([^<]*)</t\s*>)", re.S)
_T_START = re.compile(rb"<t\b")
_F_START, _V_START, _IS_START = re.compile(rb"<f\b"), re.compile(rb"<v\b"), re.compile(rb"<is\b")
_SI = re.compile(rb"<si\s*(?:/>|>(.*?)</si\s*>)", re.S)
_RPH = re.compile(rb"<rPh\b.*?</rPh\s*>|<rPh\b[^>]*/>", re.S)
# the cells as Excel, LibreOffice, openpyxl and this app write them: attributes r, s, t in this
# order, an optional plain <f>, an optional <v>, or a single-run inline string
_STRICT_CELL = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]{1,7})"(?: s="([0-9]{1,9})")?(?: t="([a-zA-Z]{1,9})")?'
    rb'(?: ?/>|>(<f>([^<]*)</f>|<f ?/>)?(?:<v>([^<]*)</v>|<v ?/>)?'
    rb'(?:<is>(?:<t(?: xml:space="preserve")?>([^<]*)</t>|<t ?/>)</is>)?</c>)')
_STRICT_CELL_TEXT = re.compile(_STRICT_CELL.pattern.decode("ascii"), re.ASCII)
# every start of a cell element, « <c » then white space (as \s of a bytes pattern), « / » or « > »
_CELL_STARTS = tuple(b"<c" + bytes([b]) for b in b" \t\n\r\f\v/>")
_MERGE = re.compile(rb"<mergeCells\b[^>]*?(?:/>|>(.*?)</mergeCells\s*>)", re.S)
_MERGE_REF = re.compile(rb"<mergeCell\b([^>]*?)/?>", re.S)
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_ENTITY = re.compile(rb"&(?!(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)")
_ESCAPES = re.compile(r"&(lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
# elements that may appear inside a cell, and which the fast path reads as Book does
_CELL_CHILDREN = {b"f", b"v", b"is", b"t", b"r", b"rPr", b"rPh", b"phoneticPr", b"rFont", b"charset", b"family",
                  b"b", b"i", b"strike", b"outline", b"shadow", b"condense", b"extend", b"color", b"sz", b"u",
                  b"vertAlign", b"scheme"}
_SI_CHILDREN = _CELL_CHILDREN - {b"f", b"v", b"is"}


class _Fallback(Exception):
    """This part is not in the plain form: read it with Book."""


def _unescape(raw: bytes) -> str:
    return _unescape_text(raw.decode("utf-8"))


def _unescape_text(text: str) -> str:
    """_unescape of text already decoded."""
    if "&" not in text:
        return text
    if "&#" not in text:  # named entities only (_plain_part let no other through): « &amp; » last
        return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
                .replace("&amp;", "&"))
    return _ESCAPES.sub(_entity, text)


_TEXT_COLUMNS: dict[str, int] = {}
# a Cell made from the tuple of its four fields, without the keyword handling of Cell(...)
_new_cell = functools.partial(tuple.__new__, Cell)


def _text_column(letters: str) -> int:
    index = _TEXT_COLUMNS.get(letters)
    if index is None:
        index = _TEXT_COLUMNS[letters] = column_index_from_string(letters)
    return index


# « B12 » -> (12, 2), the key of a cell in Sheet.cells: the same references recur in every workbook
_CELL_KEYS: dict[str, tuple[int, int]] = {}
_CELL_KEYS_MAX = 200_000


def _cell_key(ref: str) -> tuple[int, int]:
    key = _CELL_KEYS.get(ref)
    if key is None:
        m = _REF.fullmatch(ref)
        key = (int(m.group(2)), _text_column(m.group(1)))
        if len(_CELL_KEYS) < _CELL_KEYS_MAX:
            _CELL_KEYS[ref] = key
    return key


def _entity(m) -> str:
    name = m.group(1)
    if name in _NAMED:
        return _NAMED[name]
    return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))


def _markup(data: bytes, mark: int, start: int = 0) -> bool:
    """Whether « < » then the byte ``mark`` occurs in data[start:]; searched from ``mark`` (« ! »,
    « ? »: rare in a sheet) rather than from « < », which starts every cell (a hundred times faster)."""
    i = data.find(mark, start + 1)
    while i != -1:
        if data[i - 1] == 0x3C:
            return True
        i = data.find(mark, i + 1)
    return False


def _plain_part(data: bytes, root: bytes) -> None:
    """Raise _Fallback unless ``data`` is well-formed XML of the plain form the fast path reads.
    Left to Book: any « <! » (DTD, entity declaration, comment, CDATA), « <? » after the root, a
    second default namespace, a prefix bound to the main one."""
    if not _plain_ascii_compatible(data) or b"\r" in data or _markup(data, 0x21) or _ENTITY.search(data):
        raise _Fallback
    m = _ROOT.match(data)
    if not m or m.group(1) != root or _MAIN not in m.group(0):
        raise _Fallback
    decl = re.search(rb"encoding\s*=\s*[\"']([^\"']*)", m.group(0))
    if decl and decl.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        raise _Fallback
    if _markup(data, 0x3F, m.end()):
        raise _Fallback
    declared = []
    parser = expat.ParserCreate(namespace_separator="}")  # unbound prefixes are errors, as for ElementTree
    parser.StartNamespaceDeclHandler = lambda prefix, uri: declared.append((prefix, uri))
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, ValueError):
        raise _Fallback from None
    # one default namespace, the main one, and no prefix bound to it (``<x:c>`` would be a cell)
    if [uri for prefix, uri in declared if prefix is None or uri == _MAIN_URI_TEXT] != [_MAIN_URI_TEXT]:
        raise _Fallback


def _texts(inner: bytes) -> str:
    """All <t> texts of a string item or inline string, in order (each must be plain text)."""
    found = _T.findall(inner)
    if len(found) != len(_T_START.findall(inner)):
        raise _Fallback  # a <t> holding an element
    return "".join(_unescape(t) for t in found)


def _once(pattern, tag, inner: bytes):
    """The single <f>, <v> or <is> child of a cell (None when absent)."""
    count = len(tag.findall(inner))
    if count == 0:
        return None
    m = pattern.search(inner)
    if count > 1 or m is None:
        raise _Fallback
    return m


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTR.finditer(raw)}


def _sheet_data(data: bytes) -> bytes:
    """What <sheetData> holds (b"" when empty or absent); same result as _SHEET_DATA, without a
    lazy scan of the whole part in the common case of one <sheetData> … </sheetData>."""
    start = data.find(b"<sheetData>")
    end = data.find(b"</sheetData", start)
    if start >= 0 and data.startswith(b"</sheetData>", end) and data.rfind(b"<sheetData", 0, start) < 0:
        return data[start + 11:end]
    found = _SHEET_DATA.search(data)
    return (found.group(1) or b"") if found else b""


_SEEN: dict[tuple, object] = {}  # bytes of some parts -> what Book made of them (this process)
_SEEN_MAX = 32


def _remembered(zf, what: str, parts: tuple[str, ...], make):
    """What ``make()`` gives from ``parts`` of ``zf``, made once per process for the same bytes: the
    workbooks of one folder mostly share their workbook.xml, its relationships and styles.xml. A
    refusal is never remembered (``make`` raises it again for each file)."""
    try:
        key = (what, *(zf.read(p) if p in zf.NameToInfo else None for p in parts))
    except Exception:  # noqa: BLE001 - an unreadable part: make() gives Book's own message
        return make()
    if key not in _SEEN:
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.clear()
        _SEEN[key] = make()
    return _SEEN[key]


class FastBook(Book):
    """``Book`` with a faster path for plain worksheets and shared strings."""

    def _sheets(self) -> dict[str, tuple[str, str]]:
        return dict(_remembered(self.zf, "sheets", ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"),
                                lambda: Book._sheets(self)))

    def _styles(self) -> tuple[set[int], set[int]]:
        dates, percents = _remembered(self.zf, "styles", ("xl/styles.xml",), lambda: Book._styles(self))
        return set(dates), set(percents)

    @property
    def strings(self) -> list[str]:
        if self._strings is None:
            try:
                self._strings = self._fast_strings()
            except _Fallback:
                self._strings = None
                return Book.strings.fget(self)
        return self._strings

    def _fast_strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.zf.namelist():
            return []
        try:
            data = self.zf.read("xl/sharedStrings.xml")
        except Exception:  # noqa: BLE001 - Book gives the message
            raise _Fallback from None
        _plain_part(data, b"sst")
        body = data[_ROOT.match(data).end():]
        out = []
        pos = 0
        for m in _SI.finditer(body):
            if body[pos:m.start()].strip():
                raise _Fallback  # something else than <si> under <sst>
            pos = m.end()
            inner = m.group(1) or b""
            if any(c.group(1) not in _SI_CHILDREN for c in _CHILD.finditer(inner)):
                raise _Fallback
            inner = _RPH.sub(b"", inner)
            out.append(decode_text(_texts(inner)))
        if not body[pos:].strip().startswith(b"</sst"):
            raise _Fallback
        return out

    def read(self, name: str) -> Sheet:
        try:
            return self._fast_read(name)
        except _Fallback:
            return Book.read(self, name)

    def _fast_read(self, name: str) -> Sheet:
        part, _ = self.sheets[name]
        try:
            data = self.zf.read(part)
        except Exception:  # noqa: BLE001 - Book gives the message
            raise _Fallback from None
        _plain_part(data, b"worksheet")
        sheet = Sheet(name)
        rows = _sheet_data(data)
        if not self._strict_cells(sheet, rows):
            sheet = Sheet(name)
            self._cells(sheet, rows)
        self._merges(sheet, data)
        return sheet

    def _strict_cells(self, sheet: Sheet, rows: bytes) -> bool:
        """All cells in their plain form, read with one regular expression; False if any is not.

        The part is decoded once (expat has checked it is UTF-8) and matched as text: the groups
        are then the cells' own strings, with no decoding cell by cell."""
        try:
            found = _STRICT_CELL_TEXT.findall(rows.decode("utf-8"))
        except UnicodeDecodeError:
            raise _Fallback from None
        # every cell start begins with « <c », so when there are as many « <c » as cells read, each
        # start was read; otherwise count the starts exactly (« <color » of rich text is no cell)
        if len(found) != rows.count(b"<c") and len(found) != sum(map(rows.count, _CELL_STARTS)):
            return False
        cells = sheet.cells
        keys = _CELL_KEYS
        strings = date_styles = None
        max_row = 0
        ascending = True
        # most parts hold no entity and no _xHHHH_ escape: then the matched text is the value
        text = str if b"&" not in rows else _unescape_text
        decode = decode_text if b"_" in rows and b"_x" in rows else str  # « _ » alone: one fast scan
        plain = text is str and decode is str
        new = _new_cell
        for ref, style, t, f_all, f_text, v_text, is_text in found:
            if f_all:
                ftext = text(f_text) if f_text else ""
                formula = "=" + ftext if ftext else "="
            else:
                formula = None
            if t == "inlineStr":
                cell = new(("s", is_text if plain else decode(text(is_text)), formula, False))
            elif not v_text:
                if not formula:
                    continue
                cell = new(("s", None, formula, False))
            elif t == "s":
                if strings is None:
                    strings = self.strings
                try:
                    cell = new(("s", strings[int(v_text)], formula, False))
                except (ValueError, IndexError):
                    raise _Fallback from None
            elif t == "n" or not t:
                if date_styles is None:
                    date_styles = self.date_styles
                cell = _number(text(v_text), style, date_styles, self._percent_styles, formula)
            elif t == "str":
                cell = new(("s", decode(text(v_text)), formula, False))
            elif t == "b":
                cell = new(("b", text(v_text).strip() == "1", formula, False))
            elif t == "e":
                cell = new(("e", text(v_text), formula, False))
            else:
                return False
            key = keys.get(ref)
            if key is None:
                key = _cell_key(ref)
            cells[key] = cell
            r = key[0]
            if r > max_row:
                max_row = r
            elif r < max_row:
                ascending = False
        sheet.max_row = max_row
        sheet.ascending = ascending
        return True

    def _cells(self, sheet: Sheet, rows: bytes) -> None:
        """Any other form of cells the fast path knows, one element at a time."""
        cells = sheet.cells
        strings = None
        date_styles = None
        for m in _CELL_BODY.finditer(rows):
            tag = m.group(1)
            if b"&" in tag or b"\t" in tag or b"\n" in tag:
                raise _Fallback
            attrs = _attrs(tag)
            ref = _REF.fullmatch(attrs.get(b"r", b"").decode("ascii", "replace"))
            if not ref:
                raise _Fallback  # Book refuses it with its own message
            inner = m.group(2) or b""
            t = attrs.get(b"t", b"n")
            if any(c.group(1) not in _CELL_CHILDREN for c in _CHILD.finditer(inner)):
                raise _Fallback
            if b"<" not in inner and inner.strip():
                raise _Fallback  # text directly inside <c>
            f = _once(_F, _F_START, inner)
            formula = None
            if f is not None:
                ftext = _unescape(f.group(2)) if f.group(2) else ""
                formula = "=" + ftext if (ftext or _attrs(f.group(1)).get(b"t") == b"shared") else "="
            if t == b"inlineStr":
                is_ = _once(_IS, _IS_START, inner)
                cell = Cell("s", decode_text(_texts(is_.group(1) or b"") if is_ else ""), formula)
            else:
                v = _once(_V, _V_START, inner)
                raw = _unescape(v.group(1)) if v is not None and v.group(1) else None
                if raw is None:
                    cell = Cell("s", None, formula) if formula else None
                elif t == b"s":
                    if strings is None:
                        strings = self.strings
                    try:
                        cell = Cell("s", strings[int(raw)], formula)
                    except (ValueError, IndexError):
                        raise _Fallback from None
                elif t == b"n":
                    if date_styles is None:
                        date_styles = self.date_styles
                    cell = _number(raw, attrs.get(b"s", b"0"), date_styles, self._percent_styles, formula)
                elif t == b"str":
                    cell = Cell("s", decode_text(raw), formula)
                elif t == b"b":
                    cell = Cell("b", raw.strip() == "1", formula)
                elif t == b"e":
                    cell = Cell("e", raw, formula)
                else:
                    raise _Fallback  # dates as text and unknown types: rare, read by Book
            if cell is not None:
                r = int(ref.group(2))
                cells[(r, column_index_from_string(ref.group(1)))] = cell
                if r > sheet.max_row:
                    sheet.max_row = r

    @staticmethod
    def _merges(sheet: Sheet, data: bytes) -> None:
        merges = _MERGE.search(data)
        if merges and merges.group(1):
            if any(c.group(1) != b"mergeCell" for c in _CHILD.finditer(merges.group(1))):
                raise _Fallback
            for mc in _MERGE_REF.finditer(merges.group(1)):
                a, _, b = _attrs(mc.group(1)).get(b"ref", b"").decode("utf-8").partition(":")
                ma, mb = _REF.fullmatch(a), _REF.fullmatch(b or a)
                if ma and mb:
                    sheet.merged.append((int(ma.group(2)), column_index_from_string(ma.group(1)),
                                         int(mb.group(2)), column_index_from_string(mb.group(1))))


def _number(raw: str, style: bytes, date_styles: set[int], percent_styles: set[int], formula) -> Cell:
    try:
        num = float(raw)
    except ValueError:
        return Cell("e", raw, formula)
    try:
        style_id = int(style or 0)
    except ValueError:
        raise _Fallback from None
    if style_id in date_styles and date_styles:
        try:
            return Cell("d", from_excel(num), formula)
        except (ValueError, OverflowError):
            return Cell("e", raw, formula)
    percent = style_id in percent_styles
    if num.is_integer() and "." not in raw and "E" not in raw.upper():
        return _new_cell(("n", int(raw), formula, percent))
    return _new_cell(("n", num, formula, percent))


__all__ = ["FastBook", "NS"]
