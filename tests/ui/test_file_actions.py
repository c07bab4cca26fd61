"""« Fichier » menu: the exports run in a worker with a progress dialog and write their file."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ui import file_actions


def entries(window):
    return [a.text() for a in window.file_menu.actions()]


def test_file_menu_entries(window):
    texts = entries(window)
    for wanted in ("Rapport &PDF…", "&Exporter le classeur Excel…", "&Importer un classeur…", "&Quitter"):
        assert wanted in texts


def test_excel_export_from_the_menu(window, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "classeur.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    file_actions.export_workbook(window)
    qtbot.waitUntil(lambda: target.exists() and not window._progress.isVisible(), timeout=30000)
    assert target.read_bytes()[:2] == b"PK"
    assert "Classeur enregistré" in window.statusBar().currentMessage()


def test_pdf_report_from_the_menu(window, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "rapport.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    file_actions.pdf_report(window)
    qtbot.waitUntil(lambda: target.exists() and not window._progress.isVisible(), timeout=30000)
    assert target.read_bytes()[:5] == b"%PDF-"


def test_failure_in_the_worker_is_shown(window, qtbot, tmp_path, monkeypatch):
    def broken(db, uuid, path):
        raise OSError("Le disque est plein.")

    shown = []
    monkeypatch.setattr(file_actions, "_export_function", lambda module, name: broken)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "x.xlsx"), ""))
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    file_actions.export_workbook(window)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "Le disque est plein." in shown[0]


def test_consolidation_from_the_menu(window, qtbot, tmp_path, monkeypatch):
    """A folder with two good workbooks and one bad file: synthesis written, the bad one reported."""
    from openpyxl import load_workbook

    from exports.xlsx_export import export_workbook
    from exports.xlsx_template import write_template

    folder = tmp_path / "reçus"
    folder.mkdir()
    export_workbook(window.test_db, window.doc.uuid, folder / "pole-a.xlsx")
    write_template(folder / "pole-b.xlsx", pole_name="Pôle B")
    (folder / "abime.xlsx").write_bytes(b"pas un classeur")
    target = tmp_path / "synthese.xlsx"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    assert "&Consolider un dossier de classeurs…" in entries(window)
    file_actions.consolidate_folder(window)
    qtbot.waitUntil(lambda: bool(shown), timeout=60000)
    assert "2 classeur(s) consolidé(s), 1 rejeté(s)" in shown[0]
    rejects = load_workbook(target, read_only=True)["Rejets"]
    assert any("abime.xlsx" in str(c.value) for row in rejects.iter_rows() for c in row)
