"""A failed save is shown to the user, the edit is kept, and « Réessayer » writes it."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ptce_toolkit import services as sv
from tests.helpers.qt import open_window, press


def _sql(path, statement):
    con = sqlite3.connect(path)
    con.executescript(statement)
    con.close()


def _rating_page_with_refusing_disk(qtbot, db, ref):
    pole = sv.create_pole(db, "Pôle test")
    a = sv.create_assessment(db, pole)
    window = open_window(qtbot, db.path, a)
    window.show_page(1)
    page = window.pages["walkthrough"]
    page.tree.setFocus()
    # the disk refuses every new answer (as a full disk or a read-only file would)
    _sql(db.path, "CREATE TRIGGER refuse BEFORE INSERT ON answer BEGIN SELECT RAISE(ABORT, 'disque plein'); END;")
    return window, page, a, ref.criteria()[0].id


def test_failed_save_is_shown_kept_and_retried(qtbot, db, ref):
    window, page, a, first = _rating_page_with_refusing_disk(qtbot, db, ref)
    press(QApplication.focusWidget(), Qt.Key.Key_2, text="2")

    indicator = window.save_indicator
    assert indicator.label.text().startswith("Échec de l’enregistrement\u00a0:")
    assert "disque plein" in indicator.label.text()
    assert indicator.retry_button.isVisible()
    assert page.card.group.button(2).isChecked()  # the edit is still on screen
    assert sv.get_answer(db, a, first).status == "unanswered"

    # further edits queue up behind the failed one, in order
    press(QApplication.focusWidget(), Qt.Key.Key_3, text="3")
    assert len(window.save.pending) == 2

    _sql(db.path, "DROP TRIGGER refuse;")
    qtbot.mouseClick(indicator.retry_button, Qt.MouseButton.LeftButton)
    assert indicator.label.text() == "Enregistré"
    assert not indicator.retry_button.isVisible()
    assert sv.get_answer(db, a, first).level == 3


def test_undo_of_a_write_that_never_happened_drops_it(qtbot, db, ref):
    window, page, a, first = _rating_page_with_refusing_disk(qtbot, db, ref)
    press(QApplication.focusWidget(), Qt.Key.Key_4, text="4")
    press(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.save.pending == []
    assert window.save_indicator.label.text() == "Enregistré"
    assert not page.card.group.button(4).isChecked()
    _sql(db.path, "DROP TRIGGER refuse;")
    assert sv.get_answer(db, a, first).status == "unanswered"
