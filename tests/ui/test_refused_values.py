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


def test_a_figure_beyond_what_the_format_carries_is_kept_on_screen_to_be_corrected(window, qtbot):
    """The page's parser (the one the workbook import uses too) says it at once, like letters in
    an integer: nothing saved, the figure left as typed for correction."""
    db, a = window.test_db, window.doc.uuid
    window.show_page(0)
    page = window.pages["profile"]
    stored = snapshot.load(db, a).assessment.profile
    field = next(f for f in window.doc.ref.profile_fields if f.type == "money" and f.id not in stored)
    editor = page.editors[field.id]
    editor.value.setFocus()
    type_text(editor.value, "20 000 000 000 000 000 €")
    editor.year.setFocus()  # leaving the field would save it
    assert editor.message.isVisible() and "dépasse le plus grand chiffre permis" in editor.message.text()
    assert field.id not in snapshot.load(db, a).assessment.profile
    assert editor.value.text() == "20 000 000 000 000 000 €"
    editor.value.setFocus()
    for _ in range(4):
        press(editor.value, Qt.Key.Key_Backspace)  # « 20 000 000 000 000 0 » after the unit and three digits
    editor.year.setFocus()
    saved = lambda: snapshot.load(db, a).assessment.profile.get(field.id, {}).get("value")  # noqa: E731
    qtbot.waitUntil(lambda: saved() == 200_000_000_000_000, timeout=3000)
