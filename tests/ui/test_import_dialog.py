"""« Importer un classeur… »: an .xlsx, an .ods (what LibreOffice saves) or a .json exchange file,
each recognised by its content, through the same dialog."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from exports.xlsx_export import export_workbook
from ptce_toolkit import exchange
from ptce_toolkit import services as sv
from ui import file_actions

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _ods_cell(value) -> str:
    if value is None or isinstance(value, str) and value.startswith("="):
        return "<table:table-cell/>"
    if isinstance(value, bool):
        return f'<table:table-cell office:value-type="boolean" office:boolean-value="{str(value).lower()}"/>'
    if isinstance(value, (int, float)):
        return f'<table:table-cell office:value-type="float" office:value="{value}"/>'
    if isinstance(value, (date, datetime)):
        return f'<table:table-cell office:value-type="date" office:date-value={quoteattr(value.isoformat())}/>'
    paragraphs = "".join(f"<text:p>{escape(p)}</text:p>" for p in str(value).split("\n"))
    return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'


def as_ods(xlsx, out):
    """The workbook's cells as an .ods (values only), enough for the importer."""
    wb = openpyxl.load_workbook(xlsx)
    tables = "".join(
        f"<table:table table:name={quoteattr(ws.title)}>"
        + "".join("<table:table-row>" + "".join(_ods_cell(c.value) for c in row) + "</table:table-row>"
                  for row in ws.iter_rows())
        + "</table:table>" for ws in wb.worksheets)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}>'
                                  f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
                                  "</office:document-content>")
    out.write_bytes(buf.getvalue())
    return out


def _import_through_the_dialog(window, qtbot, monkeypatch, path):
    filters, shown = [], []

    def choose(*args, **kwargs):
        filters.append(args[3])
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    file_actions.import_workbook(window)
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    assert "*.xlsx" in filters[0] and "*.ods" in filters[0] and "*.json" in filters[0]
    return shown[0]


def _ods(db, uuid, tmp_path):
    return as_ods(export_workbook(db, uuid, tmp_path / "classeur.xlsx"), tmp_path / "classeur.ods")


def _json(db, uuid, tmp_path):
    return exchange.export_file(db, uuid, tmp_path / "echange.json")


@pytest.mark.parametrize("write", [_ods, _json], ids=["ods", "json"])
def test_an_ods_or_a_json_file_imports_through_the_dialog(write, window, qtbot, tmp_path, monkeypatch):
    db, uuid = window.test_db, window.doc.uuid
    sv.set_answer(db, uuid, "FIN.1", level=3)
    path = write(db, uuid, tmp_path)
    sv.set_answer(db, uuid, "FIN.1", level=0)
    window.drop_document(uuid)
    window.open_assessment(uuid)
    assert "importé" in _import_through_the_dialog(window, qtbot, monkeypatch, path)
    assert sv.get_answer(db, uuid, "FIN.1").level == 3
    assert window.doc.answer("FIN.1").level == 3


def test_a_file_that_is_neither_is_refused_in_french_and_changes_nothing(window, qtbot, tmp_path, monkeypatch):
    db, uuid = window.test_db, window.doc.uuid
    before = sv.get_answer(db, uuid, "FIN.1")
    path = tmp_path / "notes.xlsx"
    path.write_text("des notes, pas un classeur", encoding="utf-8")
    refused = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: refused.append(a[2]))
    file_actions.import_workbook(window)
    qtbot.waitUntil(lambda: bool(refused), timeout=30000)
    assert "notes.xlsx" in refused[0] and "Traceback" not in refused[0]
    assert sv.get_answer(db, uuid, "FIN.1") == before
