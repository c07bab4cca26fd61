"""The window keeps the edit and says so when the base's folder disappears while it is
open, then writes it once the folder is back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ptce_toolkit import services as sv
from tests.helpers.qt import open_window, press


def test_the_key_pulled_while_rating_keeps_the_edit_then_saves_it(qtbot, db, ref):
    pole = sv.create_pole(db, "Pôle nomade")
    a = sv.create_assessment(db, pole)
    path = db.path
    window = open_window(qtbot, path, a)
    window.show_page(1)
    page = window.pages["walkthrough"]
    page.tree.setFocus()
    first = ref.criteria()[0].id
    folder = path.parent
    away = folder.with_name(folder.name + "-debranchee")
    folder.rename(away)  # the USB key is pulled
    try:
        press(QApplication.focusWidget(), Qt.Key.Key_2, text="2")
        indicator = window.save_indicator
        assert indicator.label.text().startswith("Échec de l’enregistrement\u00a0:")
        assert "a disparu ou a été remplacée" in indicator.label.text()
        assert indicator.retry_button.isVisible()
        assert len(window.save.pending) == 1 and page.card.group.button(2).isChecked()
        assert not folder.exists()  # nothing re-created where the key was
    finally:
        away.rename(folder)  # plugged back
    assert sv.get_answer(db, a, first).status == "unanswered"
    qtbot.mouseClick(window.save_indicator.retry_button, Qt.MouseButton.LeftButton)
    assert window.save_indicator.label.text() == "Enregistré"
    assert sv.get_answer(db, a, first).level == 2
    window.close()
