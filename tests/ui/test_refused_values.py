"""A value the exports could not carry back, typed in the window, is refused like any
refused edit: the French message naming the field, the base unchanged, the stored value
shown again."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ptce_toolkit import services as sv
from tests.helpers.qt import press, type_text


def test_a_creation_year_before_1800_is_refused_and_the_stored_one_shown(window, qtbot):
    window.show_page(0)
    box, pole = window.pages["profile"].pole_box, window.doc.snap.pole.uuid
    before = sv.get_pole(window.test_db, pole).creation_year
    box.year.setFocus()
    box.year.selectAll()
    type_text(box.year, "1750")
    press(box.year, Qt.Key.Key_Return)  # editing finished
    qtbot.waitUntil(lambda: "Année de création" in window.statusBar().currentMessage(), timeout=3000)
    assert "1800" in window.statusBar().currentMessage()
    assert sv.get_pole(window.test_db, pole).creation_year == before
    qtbot.waitUntil(lambda: box.year.value() == (before or 0), timeout=3000)
    assert window.save.pending == []
