"""A text longer than the exports can carry, pasted into the walk-through's comment, is
refused the way every refused edit is: the French message in the status bar, the database
unchanged, the comment shown as stored, nothing left pending — and the next edit is saved."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from ptce_toolkit import services as sv
from tests.helpers.qt import press


def test_a_pasted_comment_too_long_is_refused_and_the_next_edit_saved(window, qtbot):
    db, doc = window.test_db, window.doc
    window.show_page(1)
    page = window.pages["walkthrough"]
    criterion = page.current
    before = sv.get_answer(db, doc.uuid, criterion).comment
    comment = page.card.comment
    comment.setFocus()
    comment.moveCursor(QTextCursor.MoveOperation.End)
    QApplication.clipboard().setText("compte rendu " * 3_000)  # 39 000 characters
    press(comment, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(comment.toPlainText()) > 39_000  # pasted
    page.tree.setFocus()  # leaving the field commits it
    qtbot.waitUntil(lambda: "trop long" in window.statusBar().currentMessage(), timeout=3000)
    message = window.statusBar().currentMessage()
    assert message.startswith("Commentaire\u00a0: texte trop long (")
    assert "au plus 32\u202f767" in message
    assert sv.get_answer(db, doc.uuid, criterion).comment == before
    assert doc.answer(criterion).comment == before
    qtbot.waitUntil(lambda: comment.toPlainText() == before, timeout=3000)
    assert window.save.pending == []
    qtbot.waitUntil(lambda: window.save_indicator.label.text() == "Enregistré", timeout=3000)

    comment.setFocus()
    comment.moveCursor(QTextCursor.MoveOperation.End)
    QApplication.clipboard().setText(" (court)")
    press(comment, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    page.tree.setFocus()
    qtbot.waitUntil(lambda: sv.get_answer(db, doc.uuid, criterion).comment == before + " (court)", timeout=3000)


def test_a_comment_too_long_queued_behind_bulk_work_is_refused_in_its_turn(window, qtbot):
    """Queued writes are shown before they land (a preview of what the service will store):
    a text the service will refuse is not previewed, and is refused when its turn comes."""
    db, doc = window.test_db, window.doc
    window.show_page(1)
    page = window.pages["walkthrough"]
    criterion = page.current
    before = sv.get_answer(db, doc.uuid, criterion).comment
    gate = threading.Event()
    window.save.submit(lambda: gate.wait(20), "travail long", background=True)  # holds the writer
    try:
        comment = page.card.comment
        comment.setFocus()
        QApplication.clipboard().setText("x" * 33_000)
        press(comment, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        page.tree.setFocus()
        assert window.save.pending  # queued behind the bulk work
        assert window.save_indicator.label.text() != "Enregistré"
    finally:
        gate.set()
    qtbot.waitUntil(lambda: "trop long" in window.statusBar().currentMessage(), timeout=5000)
    qtbot.waitUntil(lambda: window.save.pending == [], timeout=5000)
    assert sv.get_answer(db, doc.uuid, criterion).comment == before
    qtbot.waitUntil(lambda: comment.toPlainText() == before, timeout=3000)


def _swot_text(window):
    window.show_page(2)
    page, item = window.pages["swot"], window.doc.snap.swot[0]
    page.select(item.uuid)
    return page.text_saver, page.importance, lambda db: sv.get_swot_item(db, item.uuid).text


def _pole_territory(window):
    window.show_page(0)
    box, pole = window.pages["profile"].pole_box, window.doc.snap.pole.uuid
    return box.savers["territory"], box.year, lambda db: sv.get_pole(db, pole).territory


def _action_owner(window):
    window.show_page(4)
    page, action = window.pages["actions"], window.doc.snap.actions[0]
    page.select(action.uuid)
    return page.owner_saver, page.title_edit, lambda db: sv.get_action(db, action.uuid).owner


@pytest.mark.parametrize("field, length", [(_swot_text, 33_000), (_pole_territory, 1_200), (_action_owner, 1_200)],
                         ids=["élément AFOM", "territoire du pôle", "responsable d’action"])
def test_a_refused_text_is_replaced_on_screen_by_the_stored_one(window, qtbot, field, length):
    saver, elsewhere, stored = field(window)  # the field's autosave (TextCommitter)
    edit, db = saver.edit, window.test_db
    before = stored(db)
    edit.setFocus()
    edit.selectAll()
    QApplication.clipboard().setText("y" * length)
    press(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    elsewhere.setFocus()  # leaving the field commits it
    qtbot.waitUntil(lambda: "trop long" in window.statusBar().currentMessage(), timeout=3000)
    assert stored(db) == before
    assert saver.text() == before  # shown again as stored
    assert window.save.pending == []
