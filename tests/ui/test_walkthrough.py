"""The walk-through driven from the keyboard only; the database must hold every answer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from ptce_toolkit import services as sv
from tests.helpers.qt import open_window, press, type_text

K = Qt.Key


def focused():
    return QApplication.focusWidget()


def test_fonts_are_installed(qapp):
    # without a font package Qt draws empty boxes and warns about nothing
    assert QFontDatabase.families()


def test_full_assessment_answered_from_keyboard(qtbot, db, ref):
    pole = sv.create_pole(db, "Pôle des Quatre Chemins").created
    a = sv.create_assessment(db, pole, "Diagnostic 2026").created
    window = open_window(qtbot, db.path, a)
    window.show_page(1)
    page = window.pages["walkthrough"]
    qtbot.waitUntil(lambda: page.isVisible())
    page.tree.setFocus()
    criteria = [c.id for c in ref.criteria()]
    # a plan of answers cycling through every kind, decided here and not by the app
    keys = [(K.Key_0, "0"), (K.Key_1, "1"), (K.Key_2, "2"), (K.Key_3, "3"), (K.Key_4, "4"), (K.Key_N, "n"),
            (K.Key_Question, "?")]
    expected = {}
    for i, cid in enumerate(criteria):
        assert page.current == cid
        key, text = keys[i % len(keys)]
        press(focused(), key, text=text)
        expected[cid] = {"n": ("not_applicable", None), "?": ("unknown", None)}.get(text, ("answered", int(text) if text.isdigit() else None))
        if i == 2:  # a comment typed in French, then back to rating with the keyboard
            press(focused(), K.Key_Tab)
            while focused() is not page.card.comment:
                press(focused(), K.Key_Tab)
            type_text(page.card.comment, "Réunion du 12 mars : l’équipe a « validé » l’œuvre — 152 000 €.")
            press(focused(), K.Key_Escape)  # back to the levels; leaving the field saves it
            assert focused() is not page.card.comment
        press(focused(), K.Key_PageDown)
    window.close()
    saved = sv.get_answers(db, a)
    assert {c: (saved[c].status, saved[c].level) for c in criteria} == expected
    assert saved[criteria[2]].comment == "Réunion du 12 mars : l’équipe a « validé » l’œuvre — 152 000 €."


def test_jump_to_next_unanswered_and_priority(qtbot, db, ref):
    pole = sv.create_pole(db, "Pôle test").created
    a = sv.create_assessment(db, pole).created
    first, second, third = [c.id for c in ref.criteria()][:3]
    sv.set_answer(db, a, second, level=2)
    window = open_window(qtbot, db.path, a)
    window.show_page(1)
    page = window.pages["walkthrough"]
    page.tree.setFocus()
    press(focused(), K.Key_3, text="3")
    press(focused(), K.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert page.current == third  # the second criterion already had an answer
    press(focused(), K.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert sv.get_answer(db, a, third).priority is True
    assert sv.get_answer(db, a, first).level == 3
    assert window.save_indicator.label.text() == "Enregistré"


def test_showing_a_text_does_not_rewrite_it(window):
    """No-break spaces (French typography) survive a round trip through the text fields."""
    page = window.pages["walkthrough"]
    stored = window.doc.answer("FIN.1").evidence
    assert "\u00a0;" in stored  # the demo writes « 23 structures ; compte rendu »
    page.show_criterion("FIN.1")
    window._flush_pages()
    assert window.stack.count() == 0
    assert page.evidence_saver.text() == stored


def test_criteria_tree_model_passes_qtmodeltester(window, qtmodeltester):
    qtmodeltester.check(window.pages["walkthrough"].model)


def test_window_layout_and_page_are_remembered(qtbot, demo):
    db, uuid = demo
    first = open_window(qtbot, db.path, uuid)
    first.resize(760, 600)  # the offscreen screen is 800×800
    first.show_page(3)
    first.nav_dock.hide()
    size = (first.width(), first.height())
    assert size[1] == 600  # not the default height
    first.close()
    second = open_window(qtbot, db.path, uuid)
    assert second.height() == size[1]  # (the 800-pixel offscreen screen clamps widths)
    assert second.tabs.currentIndex() == 3
    assert second.nav_dock.isHidden()
    second.close()


def test_rating_keys_follow_the_character_typed(window):
    """AZERTY: ’ is AltGr+Shift+N (Qt may report the N key), digits need Shift; only the
    character produced rates, and never while a text field has the focus."""
    db, uuid = window.test_db, window.doc.uuid
    page = window.pages["walkthrough"]
    window.show_page(1)
    page.show_criterion("GOV.1")
    before = sv.get_answer(db, uuid, "GOV.1")
    page.tree.setFocus()
    altgr = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.GroupSwitchModifier
    for text, mods in (("’", altgr), ("”", Qt.KeyboardModifier.GroupSwitchModifier), ("«", altgr), ("»", altgr)):
        press(focused(), K.Key_N, mods, text)
    press(focused(), K.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier, "N")
    assert (sv.get_answer(db, uuid, "GOV.1").status, sv.get_answer(db, uuid, "GOV.1").level) == (before.status, before.level)
    press(focused(), K.Key_1, Qt.KeyboardModifier.ShiftModifier, "1")  # AZERTY: Shift+& gives 1
    assert sv.get_answer(db, uuid, "GOV.1").level == 1
    press(focused(), K.Key_N, Qt.KeyboardModifier.ShiftModifier, "N")  # capital N works like n
    assert sv.get_answer(db, uuid, "GOV.1").status == "not_applicable"
    page.card.comment.setFocus()
    for ch in "N n 4 ?":
        press(page.card.comment, K.Key_N if ch in "nN" else K.Key_unknown, Qt.KeyboardModifier.ShiftModifier, ch)
    press(page.card.comment, K.Key_1, Qt.KeyboardModifier.KeypadModifier, "1")
    window._flush_pages()
    saved = sv.get_answer(db, uuid, "GOV.1")
    assert saved.status == "not_applicable" and saved.comment.endswith("N n 4 ?1")
