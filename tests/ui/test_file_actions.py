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
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)  # no PDF
    assert "&Consolider un dossier de classeurs…" in entries(window)
    file_actions.consolidate_folder(window)
    qtbot.waitUntil(lambda: bool(shown), timeout=60000)
    assert "2 classeurs consolidés, 1 rejeté." in shown[0]
    rejects = load_workbook(target, read_only=True)["Rejets"]
    assert any("abime.xlsx" in str(c.value) for row in rejects.iter_rows() for c in row)
    assert not target.with_suffix(".pdf").exists()


def test_consolidation_also_writes_the_anonymised_synthesis_report(window, qtbot, tmp_path, monkeypatch):
    """Both questions answered « Oui »: synthese.pdf beside the workbook, no pole named in it."""
    import shutil
    import subprocess

    from exports.xlsx_export import export_workbook

    folder = tmp_path / "reçus"
    folder.mkdir()
    export_workbook(window.test_db, window.doc.uuid, folder / "pole-a.xlsx")
    target = tmp_path / "synthese.xlsx"
    asked, shown = [], []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    file_actions.consolidate_folder(window)
    qtbot.waitUntil(lambda: bool(shown), timeout=60000)
    pdf = target.with_suffix(".pdf")
    assert len(asked) == 2 and "anonymisée" in asked[1]
    assert pdf.exists() and f"Rapport de synthèse\u00a0: {pdf}" in shown[0]
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
        assert window.doc.snap.pole.name not in text and "Pôle 1" in text


def test_pdf_dialog_in_documents_named_after_pole_and_year_then_open(window, qtbot, tmp_path, monkeypatch):
    """The anonymous choice comes first; the dialog opens in Documents with « Rapport – Pôle –
    année.pdf »; once written, « Ouvrir » and « Afficher dans le dossier » are offered."""
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtGui import QDesktopServices

    order, opened = [], []
    target = tmp_path / "rapport.pdf"

    def save_dialog(parent, caption, proposed, file_filter):
        order.append(("fichier", proposed))
        return str(target), ""

    def question(*a, **k):
        order.append(("anonyme", None))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    file_actions.pdf_report(window)
    assert [kind for kind, _ in order] == ["anonyme", "fichier"]
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    year = window.doc.snap.assessment.started_on[:4]
    assert order[1][1] == f"{documents}/Rapport – {window.doc.snap.pole.name} – {year}.pdf"
    qtbot.waitUntil(lambda: target.exists() and not window._progress.isVisible(), timeout=30000)
    qtbot.waitUntil(lambda: window._offer.isVisible())
    box = window._offer
    labels = [b.text() for b in box.buttons()]
    assert "Ouvrir" in labels and "Afficher dans le dossier" in labels
    next(b for b in box.buttons() if b.text() == "Afficher dans le dossier").click()
    assert opened == [str(tmp_path)]
    # the next export opens in the folder written to last
    order.clear()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda p, c, proposed, f: order.append(proposed) or ("", ""))
    file_actions.pdf_report(window)
    assert order == [f"{tmp_path}/Rapport anonyme – {year}.pdf"]  # no pole name in an anonymous file name


def test_default_file_name_is_safe_on_windows():
    assert file_actions.default_file_name("Classeur", "Pôle A/B*?", 2026, ".xlsx") == "Classeur – Pôle A-B-- – 2026.xlsx"


def test_qt_dialogs_speak_french_on_an_english_system(qapp, monkeypatch):
    from PySide6.QtCore import QCoreApplication, QLocale

    from ui.app import install_translators

    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("en_US")))
    translators = install_translators(qapp)
    try:
        assert any(t.filePath().endswith("qtbase_fr.qm") for t in translators)
        assert QCoreApplication.translate("QFileDialog", "Look in:") != "Look in:"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"
    finally:
        for t in translators:
            qapp.removeTranslator(t)
