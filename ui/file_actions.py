"""« Fichier » menu entries that write or read files: PDF report, Excel workbook.

The export modules are imported only when the action runs (ReportLab and openpyxl are
slow to import); the work runs in a worker thread. A missing module is a packaging bug
and fails loudly: it is never turned into « not available in this version ». An import
writes to the database: it goes through the window's serial writer (ui.save_state), after
the edits already queued and before those made while it runs.
"""

from __future__ import annotations

import importlib
import inspect

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ui.save_state import FAILED
from ui.translation import plural, tr
from ui.workers import progress_dialog, run_with_progress



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


def _documents_folder(window) -> str:
    """The folder last written to, else the user's Documents."""
    from PySide6.QtCore import QStandardPaths

    last = window.settings.value("exports/dossier") if hasattr(window, "settings") else None
    if last:
        from pathlib import Path

        if Path(str(last)).is_dir():
            return str(last)
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def default_file_name(kind: str, pole: str | None, year: int | str, suffix: str) -> str:
    """« Rapport – Pôle X – 2026.pdf »; without the pole for an anonymous version.
    Characters that Windows refuses in a file name become a hyphen."""
    import re

    parts = [kind] + ([pole] if pole else []) + [str(year)]
    name = " – ".join(p.strip() for p in parts if str(p).strip())
    return re.sub(r'[<>:"/\\|?*\x00-\x1f]', "-", name) + suffix


def _year(window) -> int:
    from datetime import date

    started = getattr(window.doc.snap.assessment, "started_on", None) or ""
    return int(str(started)[:4]) if str(started)[:4].isdigit() else date.today().year


def _save_as(window, module: str, name: str, caption: str, kind: str, suffix: str, file_filter: str,
             anonymous: bool = False):
    """The export function and the chosen path, or (None, None) when it should not run.
    The dialog opens in the user's Documents with a name carrying the pole and the year."""
    if not _need_assessment(window):
        return None, None
    fn = _export_function(module, name)
    from pathlib import Path

    proposed = default_file_name(kind, None if anonymous else window.doc.snap.pole.name, _year(window), suffix)
    path, _ = QFileDialog.getSaveFileName(window, caption, str(Path(_documents_folder(window)) / proposed),
                                          file_filter)
    if path and not path.lower().endswith(suffix):
        path += suffix
    return (fn, path) if path else (None, None)


def offer_to_open(window, title: str, message: str, path: str) -> None:
    """After writing a file: « Ouvrir » it, or « Afficher dans le dossier » (non-blocking)."""
    from pathlib import Path

    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    if hasattr(window, "settings"):
        window.settings.setValue("exports/dossier", str(Path(path).parent))
    box = QMessageBox(QMessageBox.Icon.Information, title, message, QMessageBox.StandardButton.Close, window)
    open_button = box.addButton(tr("Ouvrir"), QMessageBox.ButtonRole.ActionRole)
    folder_button = box.addButton(tr("Afficher dans le dossier"), QMessageBox.ButtonRole.ActionRole)

    def clicked(button):
        if button is open_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))
        elif button is folder_button:
            import sys

            if sys.platform == "win32":  # Explorer selects the file in its folder
                from PySide6.QtCore import QProcess

                QProcess.startDetached("explorer", ["/select,", str(Path(path))])
            else:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))

    box.buttonClicked.connect(clicked)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window._offer = box
    box.open()


def pdf_report(window) -> None:
    if not _need_assessment(window):
        return
    # the anonymous choice comes first: it changes the proposed file name
    anonymous = QMessageBox.question(
        window, tr("Rapport PDF"), tr("Produire une version anonyme (sans le nom du pôle ni les personnes) ?"),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No) == QMessageBox.StandardButton.Yes
    write_report, path = _save_as(window, "exports.pdf_report", "write_report", tr("Enregistrer le rapport PDF"),
                                  tr("Rapport anonyme") if anonymous else tr("Rapport"), ".pdf",
                                  tr("Documents PDF (*.pdf)"), anonymous)
    if write_report is None:
        return
    message = tr("Rapport enregistré : %1").replace("%1", path)
    _run(window, tr("Rapport PDF"), tr("Rédaction du rapport…"),
         _with_progress(write_report, window.doc.db, window.doc.uuid, path, anonymous=anonymous),
         message, lambda _r: offer_to_open(window, tr("Rapport PDF"), message, path))


def export_workbook(window) -> None:
    export, path = _save_as(window, "exports.xlsx_export", "export_workbook", tr("Exporter le classeur Excel"),
                            tr("Classeur"), ".xlsx", tr("Classeurs Excel (*.xlsx)"))
    if export is None:
        return
    message = tr("Classeur enregistré : %1").replace("%1", path)
    _run(window, tr("Classeur Excel"), tr("Écriture du classeur…"),
         _with_progress(export, window.doc.db, window.doc.uuid, path),
         message, lambda _r: offer_to_open(window, tr("Classeur Excel"), message, path))


def import_workbook(window) -> None:
    if window.db is None:
        return
    window._flush_pages()
    path, _ = QFileDialog.getOpenFileName(
        window, tr("Importer un classeur"), "",
        tr("Classeurs et fichiers d’échange (*.xlsx *.ods *.json);;Classeurs Excel (*.xlsx);;"
           "Classeurs LibreOffice (*.ods);;Fichiers d’échange JSON (*.json)"))
    if not path:
        return
    from exports import xlsx_guard

    # recognised by its content, as « ptce import » does: a renamed file is still read for what it is
    try:
        kind = xlsx_guard.detect(path)
    except (xlsx_guard.WorkbookRefused, OSError):  # the workbook import refuses it below, in French
        kind = "xlsx"
    if kind == "json":
        do_import = _export_function("ptce_toolkit.exchange", "import_file")
    else:
        do_import = _export_function("exports.xlsx_import", "import_workbook")
    title = tr("Import d’un classeur")
    if not window.save.retry() and window.save.state == FAILED:  # it would only land after the import
        QMessageBox.warning(window, title, tr("Des modifications ne sont pas encore enregistrées\u00a0: "
                                              "réessayez de les enregistrer avant d’importer.\n\n%1")
                            .replace("%1", window.save.message))
        return
    db = window.db

    def done(result):
        window.drop_document(result.assessment_uuid)  # its values and its undo history are stale now
        window.navigator.refresh()
        window.open_assessment(result.assessment_uuid)
        window.statusBar().showMessage(tr("Classeur importé."), 8000)
        notes = "\n".join(getattr(result, "notes", []) or [])
        QMessageBox.information(window, tr("Import terminé"),
                                tr("Le classeur a été importé.") + ("\n\n" + notes if notes else ""))

    def refused(message):
        QMessageBox.critical(window, title, tr("L’opération a échoué :\n%1").replace("%1", message))

    dialog = progress_dialog(window, title, tr("Lecture et vérification du classeur…"))
    write = window.save.submit(lambda: do_import(db, path), title, on_refused=refused, background=True)
    write.on_done.append(done)

    def attempted(w):
        if w is write:  # landed, refused, or kept after a storage failure (the status bar says so)
            window.save.attempted.disconnect(attempted)
            dialog.close()

    window.save.attempted.connect(attempted)
    window._progress = dialog
    dialog.show()


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
    report, anonymous = _ask_network_report(window)
    from pathlib import Path

    pdf = str(Path(path).with_suffix(".pdf")) if report else ""

    def work(progress):
        import multiprocessing

        # workers are spawned, never forked: this process runs Qt threads
        result = run(folder, path, progress=progress, mp_context=multiprocessing.get_context("spawn"))
        if pdf and result.entries:
            from exports.network_report import write_network_report

            write_network_report(result, pdf, name=Path(folder).name, anonymous=anonymous)
        return result

    def done(result):
        text = (plural(result.accepted, tr("%n classeur consolidé"), tr("%n classeurs consolidés")) + ", "
                + plural(result.rejected, tr("%n rejeté."), tr("%n rejetés.")) + " "
                + tr("Les rejets et leurs raisons sont dans la feuille « Rejets » de la synthèse."))
        if pdf and result.entries:
            text += "\n" + tr("Rapport de synthèse : %1").replace("%1", pdf)
        elif pdf:
            text += "\n" + tr("Aucun classeur accepté : pas de rapport de synthèse.")
        QMessageBox.information(window, tr("Consolidation terminée"), text)

    _run(window, tr("Consolidation"), tr("Lecture et vérification des classeurs…"), work,
         tr("Synthèse enregistrée : %1").replace("%1", path), done)


def _ask_network_report(window) -> tuple[bool, bool]:
    """(write the PDF synthesis beside the workbook, anonymised)."""
    yes = QMessageBox.StandardButton.Yes
    if QMessageBox.question(window, tr("Rapport de synthèse"),
                            tr("Écrire aussi le rapport PDF de synthèse du réseau, à côté du classeur ?")) != yes:
        return False, False
    return True, QMessageBox.question(
        window, tr("Rapport de synthèse"),
        tr("Version anonymisée, sans aucun nom de pôle (pour la diffuser hors du réseau) ?")) == yes


def _import_pack(window) -> None:
    from ui.network_benchmark import import_pack

    import_pack(window)


def install_file_actions(window) -> None:
    menu = window.file_menu
    menu.addAction(tr("Rapport &PDF…"), lambda: pdf_report(window))
    menu.addAction(tr("&Exporter le classeur Excel…"), lambda: export_workbook(window))
    menu.addAction(tr("&Importer un classeur…"), lambda: import_workbook(window))
    menu.addSeparator()
    menu.addAction(tr("&Consolider un dossier de classeurs…"), lambda: consolidate_folder(window))
    menu.addAction(tr("Importer des &repères du réseau…"), lambda: _import_pack(window))
