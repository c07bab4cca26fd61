"""Undo/redo of answer edits from the keyboard (Ctrl+Z, Ctrl+Y), across pages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ptce_toolkit import services as sv
from tests.helpers.qt import press, type_text

CTRL = Qt.KeyboardModifier.ControlModifier


def state(db, a, cid):
    x = sv.get_answer(db, a, cid)
    return x.status, x.level, x.comment, x.priority


def test_undo_redo_level_comment_priority(window):
    db, a = window.test_db, window.doc.uuid
    window.show_page(1)
    page = window.pages["walkthrough"]
    cid = "EVA.1"
    page.show_criterion(cid)
    page.tree.setFocus()
    before = state(db, a, cid)
    press(QApplication.focusWidget(), Qt.Key.Key_4, text="4")
    assert state(db, a, cid)[:2] == ("answered", 4)
    page.card.comment.setFocus()
    press(page.card.comment, Qt.Key.Key_End, CTRL)
    type_text(page.card.comment, " Évaluation prévue à l’été.")
    press(QApplication.focusWidget(), Qt.Key.Key_Escape)
    press(QApplication.focusWidget(), Qt.Key.Key_P, CTRL)
    after = state(db, a, cid)
    assert after[2] == before[2] + " Évaluation prévue à l’été."
    assert after[3] is (not before[3])

    window.show_page(5)  # Ctrl+Z works from another page
    for _ in range(3):
        press(window.tabs.currentWidget(), Qt.Key.Key_Z, CTRL)
    assert state(db, a, cid) == before
    assert page.card.comment.toPlainText() == before[2]
    for _ in range(3):
        press(window.tabs.currentWidget(), Qt.Key.Key_Y, CTRL)
    assert state(db, a, cid) == after
