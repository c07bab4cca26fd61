"""A value the exports could not carry back, typed in the window, is refused like any
refused edit: the French message naming the field, the base unchanged, the stored value
shown again."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ptce_toolkit import services as sv
from ptce_toolkit import snapshot
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


def test_a_figure_beyond_what_the_format_carries_is_not_saved(window, qtbot):
    db, a = window.test_db, window.doc.uuid
    window.show_page(0)
    page = window.pages["profile"]
    stored = snapshot.load(db, a).assessment.profile
    field = next(f for f in window.doc.ref.profile_fields if f.type == "money" and f.id not in stored)
    editor = page.editors[field.id]
    editor.value.setFocus()
    type_text(editor.value, "20 000 000 000 000 000 €")
    editor.year.setFocus()  # leaving the field saves it, or says why not
    qtbot.waitUntil(lambda: "dépasse le maximum permis" in window.statusBar().currentMessage(), timeout=3000)
    assert window.statusBar().currentMessage().startswith(f"{field.label} (valeur)\u00a0: la valeur 20\u202f000")
    assert field.id not in snapshot.load(db, a).assessment.profile
    assert editor.value.text() == ""  # the stored value (none) shown again
    assert window.save.pending == []
