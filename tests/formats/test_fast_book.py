"""The consolidation's fast reader (exports.fast_book) gives exactly what the import's reader
(exports.xlsx_sheets.Book) gives: same cells, same formulas, same refusals, same parsed
workbook — on the hostile corpus, on exported workbooks and on XML forms the fast path
does not read itself (those must go through Book)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from exports import fast_book, xlsx_guard, xlsx_import
from exports.fast_book import FastBook
from exports.xlsx_export import build_workbook, export_workbook, save_workbook
from exports.xlsx_sheets import Book, XmlRefused
from exports.xlsx_template import blank_snapshot
from ptce_toolkit.exchange import ImportRefused
from tests.formats.test_xlsx_hostile import _edited, _rezip, _set, _then
from tests.formats.test_xlsx_hostile import corpus as hostile_corpus  # noqa: F401 - the import's hostile corpus
from tests.helpers.xlsx import HOSTILE


@pytest.fixture(scope="module")
def corpus(hostile_corpus, tmp_path_factory):  # noqa: F811
    """The hostile corpus, plus a valid filled questionnaire and one with « = » text."""
    out = tmp_path_factory.mktemp("hostile_fast")
    for path in hostile_corpus.iterdir():
        (out / path.name).write_bytes(path.read_bytes())
    base = hostile_corpus.parent / "base.xlsx"
    _edited(base, out / "ok.xlsx", _then())
    _edited(base, out / "texte_egal.xlsx", _then(_set("Réponses", "G5", "= à revoir avec le CA")))
    _edited(base, out / "pourcent.xlsx", _then(_percent))
    return out


def _percent(wb):
    """A percentage typed in a spreadsheet: 0.325 shown with a « % » format."""
    ws = wb["Profil"]
    for row in ws.iter_rows(min_row=4):
        if row[9].value == "taux_autofinancement":
            row[2].value = 0.325
            row[2].number_format = "0.0 %"
    ws["M40"] = 0.5
    ws["M40"].number_format = "0%"


def _outcome(path, book_class, monkeypatch):
    """What read_workbook says with one reader or the other."""
    monkeypatch.setattr(xlsx_import, "Book", book_class)
    try:
        parsed = xlsx_import.read_workbook(path)
    except ImportRefused as exc:
        return ("refused", type(exc).__name__, [(p.location, p.message) for p in exc.problems])
    return ("read", parsed.snapshot, parsed.notes, parsed.meta, parsed.saved_at, parsed.edited, parsed.ref.key)


def _same_sheets(path):
    """Every sheet read by both readers, cell by cell; returns how many parts Book had to read."""
    try:
        zf = xlsx_guard.open_checked(path)
    except ImportRefused:
        return None
    try:
        try:
            slow = Book(zf)
        except XmlRefused as exc:
            with pytest.raises(XmlRefused) as err:
                FastBook(zf)
            assert str(err.value) == str(exc)
            return
        fast = FastBook(zf)
        assert fast.sheets == slow.sheets
        for name in slow.sheets:
            try:
                expected = Book.read(slow, name)
            except XmlRefused as exc:
                with pytest.raises(XmlRefused) as err:
                    fast.read(name)
                assert str(err.value) == str(exc)
                continue
            got = fast.read(name)
            assert (got.name, got.cells, got.merged, got.max_row) == (expected.name, expected.cells, expected.merged,
                                                                     expected.max_row), name
        assert fast.strings == slow.strings
    finally:
        zf.close()


def test_same_result_on_the_hostile_corpus(corpus, monkeypatch):
    zf = xlsx_guard.open_checked(corpus / "pourcent.xlsx")
    assert any(c.percent for c in FastBook(zf).read("Profil").cells.values())
    zf.close()
    for path in sorted(corpus.iterdir()):
        assert _outcome(path, FastBook, monkeypatch) == _outcome(path, Book, monkeypatch), path.name
        _same_sheets(path)


def test_same_result_on_exported_workbooks(demo, tmp_path, ref, monkeypatch):
    db, uuid = demo
    export_workbook(db, uuid, tmp_path / "demo.xlsx")
    snap = blank_snapshot(ref, "Pôle «\u00a0=1+1\u00a0»")
    from ptce_toolkit.snapshot import SwotData

    snap.swot = [SwotData(f"6f1c1c1e-0000-4000-8000-0000000000{i:02x}", "SWOT"[i % 4], text, 2, i, [])
                 for i, text in enumerate(HOSTILE)]
    save_workbook(build_workbook(snap, ref), tmp_path / "hostile_texts.xlsx")
    for name in ("demo.xlsx", "hostile_texts.xlsx"):
        outcome = _outcome(tmp_path / name, FastBook, monkeypatch)
        assert outcome[0] == "read"
        assert outcome == _outcome(tmp_path / name, Book, monkeypatch)
        _same_sheets(tmp_path / name)
    # and the fast path really read them (no part sent back to Book)
    calls = []
    monkeypatch.setattr(Book, "read", lambda self, name: calls.append(name))
    zf = xlsx_guard.open_checked(tmp_path / "hostile_texts.xlsx")
    book = FastBook(zf)
    for name in book.sheets:
        book.read(name)
    zf.close()
    assert calls == []


SHEET = "xl/worksheets/sheet3.xml"  # Réponses


def _mutations(data: bytes) -> dict[str, bytes]:
    """Forms of the Réponses sheet that are valid (or not) XML but not the plain form."""
    head, _, rest = data.partition(b"<sheetData>")
    return {
        "prefixe": data.replace(b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                                b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"', 1)
                           .replace(b'<c r="A4"', b'<x:c r="A4"', 1).replace(b"</c>", b"</x:c>", 1),
        "prefixe_inconnu": data.replace(b'<c r="A4"', b'<y:c r="A4"', 1),
        "commentaire": head + b"<sheetData><!-- note -->" + rest,
        "cdata": re.sub(rb"<v>([^<]*)</v>", rb"<v><![CDATA[\1]]></v>", data, count=3),
        "entite_numerique": data.replace(b"<v>0</v>", b"<v>&#48;</v>", 3),
        "entite_inconnue": data.replace(b"<v>0</v>", b"<v>&nbsp;</v>", 1),
        "retour_chariot": data.replace(b"<row ", b"<row\r\n ", 5),
        "en_ligne": re.sub(rb'<c r="G5"([^>]*)/>', rb'<c r="G5" t="inlineStr"><is><t>=&amp; en ligne</t></is></c>',
                           data),
        "entites_nommees": re.sub(rb'<c r="G5"([^>]*)/>', rb'<c r="G5" t="inlineStr"><is><t>&amp;lt; &lt;b&gt; '
                                                          rb'&quot;x&quot; &apos;y&apos; &amp;amp;</t></is></c>', data),
        "texte_xmlns": re.sub(rb'<c r="G5"([^>]*)/>', rb'<c r="G5" t="inlineStr"><is><t>xmlns="x" '
                                                      rb'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
                                                      rb'</t></is></c>', data),
        "defaut_redeclare": data.replace(b'<row r="5"', b'<row xmlns="http://schemas.openxmlformats.org/'
                                                        b'spreadsheetml/2006/main" r="5"', 1),
        "defaut_autre": data.replace(b'<row r="5"', b'<row xmlns="urn:autre" r="5"', 1),
        "prefixe_autre": data.replace(b'<row r="5"', b'<row xmlns:y="urn:autre" y:note="1" r="5"', 1),
        "en_tete_en_dernier": _header_last(data),
        "sheetdata_espaces": head + b"<sheetData >" + rest.replace(b"</sheetData>", b"</sheetData >", 1),
        "sheetdata_vide": head + b"<sheetData/>" + rest.partition(b"</sheetData>")[2],
        "cellule_tabulation": data.replace(b'<c r="A4"', b'<c\tr="A4"', 1),
        "en_ligne_vide": data.replace(b"</sheetData>", b'<row r="200"><c r="A200" t="inlineStr"/></row></sheetData>'),
        "booleen_erreur": data.replace(b"</sheetData>", b'<row r="201"><c r="A201" t="b"><v>1</v></c>'
                                                        b'<c r="B201" t="e"><v>#N/A</v></c>'
                                                        b'<c r="C201" t="str"><f>1+1</f><v>2</v></c>'
                                                        b'<c r="D201" t="d"><v>2026-01-02T00:00:00Z</v></c></row>'
                                                        b"</sheetData>"),
        "sans_reference": data.replace(b"</sheetData>", b'<row r="202"><c t="n"><v>1</v></c></row></sheetData>'),
        "mal_forme": data.replace(b"</sheetData>", b"<row></sheetData>"),
        "v_imbrique": data.replace(b"<v>0</v>", b"<v>0<t>x</t></v>", 1),
        "latin1": data.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"', 1),
        "doctype": data.replace(b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY a "b">]><worksheet', 1),
        "partage_inexistant": data.replace(b't="s"><v>', b't="s"><v>9999', 1),
        "fusion": data.replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="D5:D7"/>'
                                                b"</mergeCells>", 1),
    }


def _header_last(data: bytes) -> bytes:
    """The header row (row 3) written after every other row: same cells, not in sheet order."""
    header = re.search(rb'<row r="3"[^>]*>.*?</row>', data).group(0)
    return data.replace(header, b"", 1).replace(b"</sheetData>", header + b"</sheetData>", 1)


def test_same_result_on_other_xml_forms(corpus, tmp_path, monkeypatch):
    base = (corpus / "ok.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(base)) as zf:
        data = zf.read(SHEET)
    assert b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"' in data
    for name, mutated in _mutations(data).items():
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(_rezip(base, {SHEET: mutated}))
        assert _outcome(path, FastBook, monkeypatch) == _outcome(path, Book, monkeypatch), name
        _same_sheets(path)


def test_shared_strings_forms(tmp_path, monkeypatch):
    """Rich text, phonetic guides and escapes in the shared strings read as Book reads them."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    wb.save(tmp_path / "b.xlsx")
    base = (tmp_path / "b.xlsx").read_bytes()
    sst = ('<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
           'main" count="3" uniqueCount="3"><si><t>a &amp; b &#233; _x0041_</t></si><si><r><rPr><b/></rPr><t>gras'
           '</t></r><r><t xml:space="preserve"> fin</t></r><rPh sb="0" eb="1"><t>PH</t></rPh></si><si><t/></si>'
           '</sst>').encode()
    sheet = ('<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v>'
             '</c><c r="C1" t="s"><v>2</v></c></row></sheetData></worksheet>').encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            if info.filename != "xl/sharedStrings.xml":
                zout.writestr(info.filename, sheet if info.filename == "xl/worksheets/sheet1.xml" else
                              zin.read(info.filename))
        zout.writestr("xl/sharedStrings.xml", sst)
    path = tmp_path / "s.xlsx"
    path.write_bytes(out.getvalue())
    _same_sheets(path)
    zf = xlsx_guard.open_checked(path)
    assert FastBook(zf).strings == ["a & b é A", "gras fin", ""]
    zf.close()


def test_fast_path_does_not_build_a_tree(monkeypatch, corpus):
    """Plain sheets are read without ElementTree (that is where the time went)."""
    zf = xlsx_guard.open_checked(corpus / "ok.xlsx")
    book = FastBook(zf)
    assert book.date_styles is not None  # styles.xml is small: parsed once by Book's code
    monkeypatch.setattr(fast_book, "Book", None)  # any use of Book inside read would fail
    monkeypatch.setattr("exports.xlsx_sheets._parse", lambda *a: pytest.fail("element tree built"))
    for name in ("Profil", "Réponses", "AFOM", "Options", "Plan d’action", "_meta"):
        assert FastBook.read(book, name).cells
    zf.close()


def test_same_consolidation_with_the_import_reader(corpus, tmp_path, monkeypatch):
    """The consolidation reads with FastBook, ``ptce import`` with Book: on a folder of varied and
    messy workbooks (the hostile corpus, an .ods, edited and filled workbooks, percentages, « = »
    text, every XML form of _mutations), both give the same kept entries, the same refusals (file,
    sheet, cell, message, pole), the same flags and the same synthesis, byte for byte."""
    import shutil

    from exports import consolidate

    folder = tmp_path / "envois"
    shutil.copytree(corpus, folder)
    base = (corpus / "ok.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(base)) as zf:
        data = zf.read(SHEET)
    for name, mutated in _mutations(data).items():
        (folder / f"forme_{name}.xlsx").write_bytes(_rezip(base, {SHEET: mutated}))
    fast = consolidate.consolidate_folder(folder, tmp_path / "rapide.xlsx", workers=1)
    monkeypatch.setattr(consolidate, "_READ_OPTIONS", {"book_factory": Book})
    slow = consolidate.consolidate_folder(folder, tmp_path / "import.xlsx", workers=1)
    assert fast.accepted >= 4 and fast.rejected >= 25 and fast.flags
    assert {r.sheet for r in fast.rejections} >= {"Réponses", "Profil", "Options", "_meta"}
    assert (fast.entries, fast.rejections, fast.flags) == (slow.entries, slow.rejections, slow.flags)
    assert (tmp_path / "rapide.xlsx").read_bytes() == (tmp_path / "import.xlsx").read_bytes()


def test_shortcuts_of_the_reader_give_what_the_slow_way_gives():
    """An empty cell is read without calling its value reader (xlsx_import._EMPTY): each shortcut is
    what the reader itself gives for an empty cell, with no note. The content hash keeps texts,
    whole numbers, booleans and None as they are: the same canonical form as a call on every value."""
    import json

    from exports import xlsx_export

    for reader, value in xlsx_import._EMPTY.items():
        assert reader(None) == (value, None)

    def slow(obj):
        if isinstance(obj, float) and obj.is_integer():
            return int(obj)
        if isinstance(obj, dict):
            return {k: slow(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [slow(v) for v in obj]
        return obj

    doc = {"a": [1, 2.0, 2.5, True, None, "x", {"b": [3.0, {"c": 4.0}], "d": False}], "e": 7.0, "f": "g"}
    assert xlsx_export._canonical(doc) == slow(doc)
    assert json.dumps(xlsx_export._canonical(doc)) == json.dumps(slow(doc))  # 2.0 written 2, like the slow way
