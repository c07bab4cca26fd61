"""Undo never writes through stale state: each open assessment has its own history, and an
import that reloads an assessment forgets its history (the values in it are older than
the database's)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from exports.xlsx_export import export_workbook
from ptce_toolkit import services as sv
from tests.helpers.qt import press, redo, undo
from ui import file_actions


def rate_on_screen(window, criterion_id: str, level: int) -> None:
    """A rating key on the walk-through page, as a person types it."""
    window.show_page(1)
    page = window.pages["walkthrough"]
    page.show_criterion(criterion_id)
    page.focus_levels()
    press(QApplication.focusWidget(), getattr(Qt.Key, f"Key_{level}"), text=str(level))


def on_screen(window, criterion_id: str):
    page = window.pages["walkthrough"]
    page.show_criterion(criterion_id)
    button = page.card.group.checkedButton()
    return page.card.group.id(button) if button is not None else None


def test_undo_after_a_workbook_import_never_writes_the_old_value(window, qtbot, tmp_path, monkeypatch):
    db, uuid = window.test_db, window.doc.uuid
    rate_on_screen(window, "FIN.1", 3)
    assert sv.get_answer(db, uuid, "FIN.1").level == 3
    workbook = export_workbook(db, uuid, tmp_path / "classeur.xlsx")  # FIN.1 = 3 in the file
    rate_on_screen(window, "FIN.1", 0)
    assert sv.get_answer(db, uuid, "FIN.1").level == 0

    shown = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(workbook), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    file_actions.import_workbook(window)
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    assert sv.get_answer(db, uuid, "FIN.1").level == 3
    assert window.doc.answer("FIN.1").level == 3
    assert on_screen(window, "FIN.1") == 3

    undo(window)  # the history went with the old in-memory state: nothing to undo here
    redo(window)
    assert sv.get_answer(db, uuid, "FIN.1").level == 3
    assert on_screen(window, "FIN.1") == 3
    assert window.doc.answer("FIN.1") == sv.get_answer(db, uuid, "FIN.1")

    rate_on_screen(window, "FIN.1", 1)  # a new history starts from the imported values
    undo(window)
    assert sv.get_answer(db, uuid, "FIN.1").level == 3
    assert on_screen(window, "FIN.1") == 3


def test_each_assessment_keeps_its_own_undo_history(window):
    db, current = window.test_db, window.doc.uuid
    last_year = sv.previous_assessment(db, current)
    rate_on_screen(window, "FIN.1", 4)

    window.open_assessment(last_year)
    before = sv.get_answer(db, last_year, "FIN.1")
    undo(window)  # last year's history is empty: this year's edit is not undone from here
    assert sv.get_answer(db, current, "FIN.1").level == 4
    assert sv.get_answer(db, last_year, "FIN.1") == before
    rate_on_screen(window, "FIN.2", 1)
    assert sv.get_answer(db, last_year, "FIN.2").level == 1

    window.open_assessment(current)
    undo(window)
    assert sv.get_answer(db, current, "FIN.1").level != 4
    assert sv.get_answer(db, last_year, "FIN.2").level == 1  # the other assessment is untouched
    assert on_screen(window, "FIN.1") == window.doc.answer("FIN.1").level
    redo(window)
    assert sv.get_answer(db, current, "FIN.1").level == 4

    window.open_assessment(last_year)
    undo(window)
    assert sv.get_answer(db, last_year, "FIN.2").level != 1
    assert sv.get_answer(db, current, "FIN.1").level == 4
