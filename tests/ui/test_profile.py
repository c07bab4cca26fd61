"""Profile page: French number entry checked as typed, figure details saved, undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ptce_toolkit import services as sv
from ptce_toolkit import snapshot
from tests.helpers.qt import press, type_text, undo


def profile(db, a):
    return snapshot.load(db, a).assessment.profile


def profile_page(window):
    window.show_page(0)
    return window.pages["profile"]


def test_money_typed_the_french_way_is_saved_with_its_details(window):
    db, a = window.test_db, window.doc.uuid
    page = profile_page(window)
    field = next(f for f in window.doc.ref.profile_fields if f.type == "money" and f.id not in profile(db, a))
    editor = page.editors[field.id]
    editor.value.setFocus()
    type_text(editor.value, "1 250 000 €")
    assert editor.value.text() == "1 250 000 €"
    editor.year.setFocus()  # leaving the field saves it
    saved = profile(db, a)[field.id]
    assert saved["value"] == 1250000
    assert saved["perimeter"] == field.default_perimeter
    editor.year.setValue(2025)
    editor.year.editingFinished.emit()
    editor.qualifier.setCurrentIndex(editor.qualifier.findData("environ"))
    editor.qualifier.activated.emit(editor.qualifier.currentIndex())
    editor.source.setFocus()
    type_text(editor.source, "Enquête auprès des membres, été 2025")
    editor.value.setFocus()
    saved = profile(db, a)[field.id]
    assert (saved["value"], saved["year"], saved["qualifier"], saved["source"]) == (
        1250000, 2025, "environ", "Enquête auprès des membres, été 2025")
    for _ in range(4):
        undo(window)
    assert field.id not in profile(db, a)
    assert editor.value.text() == ""


def test_letters_are_refused_and_decimals_flagged_in_an_integer_field(window):
    db, a = window.test_db, window.doc.uuid
    page = profile_page(window)
    field = next(f for f in window.doc.ref.profile_fields if f.type == "integer" and f.id not in profile(db, a))
    editor = page.editors[field.id]
    editor.value.setFocus()
    type_text(editor.value, "1x2")
    assert editor.value.text() == "12"  # the validator refused the letter
    type_text(editor.value, ",5")
    assert editor.message.isVisible() and "entier" in editor.message.text()
    editor.year.setFocus()
    assert field.id not in profile(db, a)  # not saved, but still on screen to be corrected
    assert editor.value.text() == "12,5"
    editor.value.setFocus()
    press(editor.value, Qt.Key.Key_Backspace)
    press(editor.value, Qt.Key.Key_Backspace)
    assert not editor.message.isVisible()
    editor.year.setFocus()
    assert profile(db, a)[field.id]["value"] == 12


def test_percent_and_choice_and_text(window):
    db, a = window.test_db, window.doc.uuid
    page = profile_page(window)
    pct = next(f for f in window.doc.ref.profile_fields if f.type == "percent" and f.id not in profile(db, a))
    editor = page.editors[pct.id]
    editor.value.setFocus()
    type_text(editor.value, "32,5 %")
    editor.year.setFocus()
    assert profile(db, a)[pct.id]["value"] == 32.5
    choice = next(f for f in window.doc.ref.profile_fields if f.type == "choice" and f.id not in profile(db, a))
    combo = page.editors[choice.id]
    combo.setCurrentIndex(2)
    combo.activated.emit(2)
    assert profile(db, a)[choice.id]["value"] == choice.choices[1].id
    text_field = next(f for f in window.doc.ref.profile_fields if f.type == "longtext")
    edit = page.editors[text_field.id]
    edit.setFocus()
    type_text(edit, "Né en 2012 d’un collectif d’associations d’insertion.")
    combo.setFocus()
    assert profile(db, a)[text_field.id]["value"] == "Né en 2012 d’un collectif d’associations d’insertion."
    assert sv.get_pole(db, window.doc.snap.pole.uuid).name  # pole untouched


# the completion popup of Région / Forme juridique: the offscreen platform cannot raise it
@pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing the keyboard|propagateSizeHints)")
def test_pole_identity_typed_in_the_pole_section_is_saved_and_undone(window):
    db = window.test_db
    page = profile_page(window)
    box = page.pole_box
    pole_uuid = window.doc.snap.pole.uuid
    assert box.title() == "Pôle" and page.sections.item(0).text() == "Pôle"
    for key, text in (("territory", "Pays des Deux Rives"), ("department", "Gironde (33)"),
                      ("region", "Nouvelle-Aquitaine"), ("legal_form", "SCIC"),
                      ("aliases", "P2R ; Pôle Deux-Rives")):
        edit = box.edits[key]
        edit.setFocus()
        edit.selectAll()
        press(edit, Qt.Key.Key_Delete)
        type_text(edit, text)
        box.year.setFocus()  # leaving the field saves it
    box.origin.setFocus()
    box.origin.selectAll()
    press(box.origin, Qt.Key.Key_Delete)
    type_text(box.origin, "Né d’un collectif d’entreprises d’insertion en 2014.")
    box.year.setFocus()
    box.year.selectAll()
    type_text(box.year, "2015")
    box.edits["territory"].setFocus()
    saved = sv.get_pole(db, pole_uuid)
    assert (saved.territory, saved.department, saved.region, saved.legal_form, saved.creation_year) == (
        "Pays des Deux Rives", "Gironde (33)", "Nouvelle-Aquitaine", "SCIC", 2015)
    assert saved.aliases == ["P2R", "Pôle Deux-Rives"]
    assert saved.origin == "Né d’un collectif d’entreprises d’insertion en 2014."
    undo(window)  # the year
    assert sv.get_pole(db, pole_uuid).creation_year != 2015
    assert box.year.value() == (sv.get_pole(db, pole_uuid).creation_year or 0)


def test_benchmarks_beside_figures_and_warnings_that_never_block(window):
    db, a = window.test_db, window.doc.uuid
    page = profile_page(window)
    budget, fte = page.editors["budget_cellule"], page.editors["etp_cellule"]
    assert budget.benchmark.text() == "152\u202f000\u00a0€ (médiane RTES 2013, cellule d’animation du pôle)"
    assert "42\u00a0PTCE" in budget.benchmark.toolTip()  # the source, named and dated
    assert fte.benchmark.text().startswith("2\u00a0ETP (médiane RTES 2013")
    # a budget of 2 M€ for the cell: far above what the sources show per FTE
    fte.value.clear()
    fte.value.setFocus()
    type_text(fte.value, "2")
    fte.year.setFocus()
    budget.value.clear()
    budget.value.setFocus()
    type_text(budget.value, "2 000 000")
    budget.year.setFocus()
    assert profile(db, a)["budget_cellule"]["value"] == 2000000  # saved anyway: a warning never blocks
    assert not budget.message.isHidden() and "piège des périmètres" in budget.message.text()
    assert "par ETP" in budget.message.text()
    # a year in the future: saved, with its warning
    budget.year.setValue(2099)
    budget.year.editingFinished.emit()
    assert profile(db, a)["budget_cellule"]["year"] == 2099
    assert "dans le futur" in budget.message.text() and "piège des années" in budget.message.text()
