"""« Fichier » menu entries that write or read files: PDF report, Excel workbook.

The export modules are imported only when the action runs (ReportLab and openpyxl are
slow to import); the work runs in a worker thread. A missing module is a packaging bug
and fails loudly: it is never turned into « not available in this version ».
"""

from __future__ import annotations

import importlib
import inspect

from PySide6.QtWidgets import QFileDialog, QMessageBox

from ui.translation import tr
from ui.workers import run_with_progress



def _export_function(module: str, name: str):
    """Import on first use (keeps start-up fast)."""
    return getattr(importlib.import_module(module), name)


def _need_assessment(window) -> bool:
    if window.doc is None:
        QMessageBox.information(window, tr("Aucune évaluation"), tr("Ouvrez d’abord une évaluation."))
        return False
    window._flush_pages()
    return True


def _run(window, title: str, label: str, work, done_message: str, on_done=None):
    def done(result):
        if on_done:
            on_done(result)
        window.statusBar().showMessage(done_message, 8000)

    def failed(message, _tb):
        QMessageBox.critical(window, title, tr("L’opération a échoué :\n%1").replace("%1", message))

    window._progress = run_with_progress(window, title, label, work, done, failed)


def _with_progress(fn, *args, **kwargs):
    """Work for the thread: passes the progress callback when the export accepts one."""
    accepts = "progress" in inspect.signature(fn).parameters

    def work(progress):
        return fn(*args, **kwargs, **({"progress": progress} if accepts else {}))
    return work


def _save_as(window, module: str, name: str, caption: str, suffix: str, file_filter: str):
    """The export function and the chosen path, or (None, None) when it should not run."""
    if not _need_assessment(window):
        return None, None
    fn = _export_function(module, name)
    path, _ = QFileDialog.getSaveFileName(window, caption, f"{window.doc.snap.assessment.title}{suffix}",
                                          file_filter)
    return (fn, path) if path else (None, None)


def pdf_report(window) -> None:
    write_report, path = _save_as(window, "exports.pdf_report", "write_report",
                                  tr("Enregistrer le rapport PDF"), ".pdf", tr("Documents PDF (*.pdf)"))
    if write_report is None:
        return
    anonymous = QMessageBox.question(
        window, tr("Rapport PDF"), tr("Produire une version anonyme (sans le nom du pôle ni les personnes) ?"),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No) == QMessageBox.StandardButton.Yes
    _run(window, tr("Rapport PDF"), tr("Rédaction du rapport…"),
         _with_progress(write_report, window.doc.db, window.doc.uuid, path, anonymous=anonymous),
         tr("Rapport enregistré : %1").replace("%1", path))


def export_workbook(window) -> None:
    export, path = _save_as(window, "exports.xlsx_export", "export_workbook",
                            tr("Exporter le classeur Excel"), ".xlsx", tr("Classeurs Excel (*.xlsx)"))
    if export is None:
        return
    _run(window, tr("Classeur Excel"), tr("Écriture du classeur…"),
         _with_progress(export, window.doc.db, window.doc.uuid, path),
         tr("Classeur enregistré : %1").replace("%1", path))


def import_workbook(window) -> None:
    if window.db is None:
        return
    window._flush_pages()
    do_import = _export_function("exports.xlsx_import", "import_workbook")
    path, _ = QFileDialog.getOpenFileName(window, tr("Importer un classeur"), "", tr("Classeurs Excel (*.xlsx)"))
    if not path:
        return
    db = window.db

    def done(result):
        window.drop_document(result.assessment_uuid)  # its values and its undo history are stale now
        window.navigator.refresh()
        window.open_assessment(result.assessment_uuid)
        notes = "\n".join(getattr(result, "notes", []) or [])
        QMessageBox.information(window, tr("Import terminé"),
                                tr("Le classeur a été importé.") + ("\n\n" + notes if notes else ""))

    _run(window, tr("Import d’un classeur"), tr("Lecture et vérification du classeur…"),
         lambda _p: do_import(db, path), tr("Classeur importé."), done)


def consolidate_folder(window) -> None:
    """Networks: a folder of workbooks from many poles becomes one synthesis workbook."""
    run = _export_function("exports.consolidate", "consolidate_folder")
    folder = QFileDialog.getExistingDirectory(window, tr("Dossier des classeurs à consolider"))
    if not folder:
        return
    path, _ = QFileDialog.getSaveFileName(window, tr("Enregistrer la synthèse"), "synthese.xlsx",
                                          tr("Classeurs Excel (*.xlsx)"))
    if not path:
        return

    def work(progress):
        import multiprocessing

        # workers are spawned, never forked: this process runs Qt threads
        return run(folder, path, progress=progress, mp_context=multiprocessing.get_context("spawn"))

    def done(result):
        QMessageBox.information(
            window, tr("Consolidation terminée"),
            tr("%1 classeur(s) consolidé(s), %2 rejeté(s). Les rejets et leurs raisons sont dans la feuille "
               "« Rejets » de la synthèse.").replace("%1", str(result.accepted)).replace("%2", str(result.rejected)))

    _run(window, tr("Consolidation"), tr("Lecture et vérification des classeurs…"), work,
         tr("Synthèse enregistrée : %1").replace("%1", path), done)


def install_file_actions(window) -> None:
    menu = window.file_menu
    menu.addAction(tr("Rapport &PDF…"), lambda: pdf_report(window))
    menu.addAction(tr("&Exporter le classeur Excel…"), lambda: export_workbook(window))
    menu.addAction(tr("&Importer un classeur…"), lambda: import_workbook(window))
    menu.addSeparator()
    menu.addAction(tr("&Consolider un dossier de classeurs…"), lambda: consolidate_folder(window))
