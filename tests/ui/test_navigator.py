"""Poles and assessments: create, copy last year's, rename, delete with confirmation — and undo."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QMessageBox

from ptce_toolkit import services as sv
from tests.helpers.qt import redo, undo, when_dialog_opens


def titles(db):
    return sorted((a.pole_name, a.title) for a in sv.list_assessments(db))


def answer_input(text):
    def handle(dialog):
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue(text)
        dialog.accept()
    return handle


def click_yes(dialog):
    assert isinstance(dialog, QMessageBox)
    dialog.button(QMessageBox.StandardButton.Yes).click()


def test_model_passes_qtmodeltester(window, qtmodeltester):
    qtmodeltester.check(window.navigator.model)


def test_create_pole_then_assessment_copied_from_last_year(window):
    db = window.test_db
    nav = window.navigator
    when_dialog_opens(answer_input("Pôle Bois & Forêts d’Écouves"))
    nav.buttons["pole"].click()
    pole = next(p for p in sv.list_poles(db) if p.name == "Pôle Bois & Forêts d’Écouves")
    undo(window)
    assert all(p.uuid != pole.uuid for p in sv.list_poles(db))
    redo(window)
    assert any(p.uuid == pole.uuid for p in sv.list_poles(db))

    # on the demo pole: next year's assessment starting from this year's answers
    demo_pole = window.doc.snap.pole.uuid
    current = window.doc.uuid
    nav.select(current)

    def fill(dialog):
        dialog.title_edit.setText("Diagnostic 2027")
        assert dialog.copy_box.isEnabled()
        dialog.copy_box.setChecked(True)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    when_dialog_opens(fill)
    nav.buttons["assessment"].click()
    new = next(a for a in sv.list_assessments(db, demo_pole) if a.title == "Diagnostic 2027")
    assert window.doc.uuid == new.uuid  # opened at once
    copied, source = sv.get_answers(db, new.uuid), sv.get_answers(db, current)
    assert {c: (x.status, x.level) for c, x in copied.items()} == {c: (x.status, x.level) for c, x in source.items()}
    undo(window)
    assert all(a.title != "Diagnostic 2027" for a in sv.list_assessments(db))
    assert window.doc is not None and window.doc.uuid != new.uuid


def test_rename_assessment_and_pole(window):
    db = window.test_db
    nav = window.navigator
    nav.select(window.doc.uuid)
    when_dialog_opens(answer_input("Diagnostic 2026 (version de travail)"))
    nav.buttons["rename"].click()
    assert ("Pôle Coop’Vallée du Lison", "Diagnostic 2026 (version de travail)") in titles(db)
    assert window.assessment_label.text().endswith("Diagnostic 2026 (version de travail)")
    nav.select(window.doc.snap.pole.uuid)
    when_dialog_opens(answer_input("Coop’Vallée"))
    nav.buttons["rename"].click()
    assert sv.get_pole(db, window.doc.snap.pole.uuid).name == "Coop’Vallée"
    assert "Coop’Vallée" in window.assessment_label.text()
    undo(window)
    undo(window)
    assert ("Pôle Coop’Vallée du Lison", "Diagnostic 2026") in titles(db)


def test_delete_asks_first_and_undo_brings_everything_back(window):
    db = window.test_db
    nav = window.navigator
    uuid = window.doc.uuid
    answers = sv.get_answers(db, uuid)
    swot = sv.list_swot(db, uuid)
    nav.select(uuid)

    def click_no(dialog):
        dialog.button(QMessageBox.StandardButton.No).click()

    when_dialog_opens(click_no)
    nav.buttons["delete"].click()
    assert uuid in [a.uuid for a in sv.list_assessments(db)]  # refused: nothing happens

    when_dialog_opens(click_yes)
    nav.buttons["delete"].click()
    assert uuid not in [a.uuid for a in sv.list_assessments(db)]
    assert window.doc is None or window.doc.uuid != uuid
    undo(window)
    assert sv.get_answers(db, uuid).keys() == answers.keys()
    assert [s.text for s in sv.list_swot(db, uuid)] == [s.text for s in swot]


def test_delete_pole_and_undo(window):
    db = window.test_db
    nav = window.navigator
    pole = window.doc.snap.pole.uuid
    before = titles(db)
    nav.select(pole)
    when_dialog_opens(click_yes)
    nav.buttons["delete"].click()
    assert sv.list_poles(db) == []
    assert window.doc is None
    assert "Aucune évaluation ouverte" in window.centralWidget().text()
    undo(window)
    assert titles(db) == before
    assert window.doc is not None  # an assessment is open again


def assessment_item(nav, uuid):
    from ui.navigator import UUID_ROLE

    for r in range(nav.model.rowCount()):
        pole = nav.model.item(r)
        for i in range(pole.rowCount()):
            if pole.child(i).data(UUID_ROLE) == uuid:
                return pole.child(i)
    raise AssertionError(uuid)


def test_count_is_labelled_and_follows_each_rating(window):
    nav, doc = window.navigator, window.doc
    stored = next(a.answered for a in sv.list_assessments(window.test_db) if a.uuid == doc.uuid)
    item = assessment_item(nav, doc.uuid)
    assert item.text().endswith(f" · {stored} réponses")
    cid = doc.ref.criteria()[0].id
    doc.set_answer(cid, status="unanswered")  # the answer is cleared
    assert item.text().endswith(f" · {stored - 1} réponses")
    undo(window)
    assert item.text().endswith(f" · {stored} réponses")
    assert item.toolTip().endswith(f"\n{stored} réponses enregistrées")


def test_french_plural_agreement():
    from ui.translation import plural

    assert [plural(n, "%n réponse", "%n réponses") for n in (0, 1, 2, 48)] == [
        "0 réponse", "1 réponse", "2 réponses", "48 réponses"]


def test_walkthrough_reopens_where_the_user_stopped(qtbot, window):
    from tests.helpers.qt import open_window

    db, uuid = window.test_db, window.doc.uuid
    window.pages["walkthrough"].show_criterion("ECO.2")
    window.close()
    again = open_window(qtbot, db.path, uuid)
    assert again.pages["walkthrough"].current == "ECO.2"
    again.close()


def test_criteria_filter_matches_ids_first(qapp, ref):
    from ui.pickers import criteria_dialog

    dialog = criteria_dialog(ref, [])
    for typed in ("ECO", "eco", "ECO."):
        dialog.filter.setText(typed)
        shown = [dialog.list.item(i).text().split(" — ")[0] for i in range(dialog.list.count())
                 if not dialog.list.item(i).isHidden()]
        assert shown and all(s.startswith("ECO.") for s in shown), typed
        assert len(shown) == sum(1 for c in ref.criteria() if c.id.startswith("ECO."))
    dialog.filter.setText("economi")  # not an id: searched in the statements, accents ignored
    shown = [dialog.list.item(i).text() for i in range(dialog.list.count()) if not dialog.list.item(i).isHidden()]
    assert shown and all("économi" in t.lower() or "economi" in t.lower() for t in shown)
    dialog.deleteLater()


def test_app_reopens_the_assessment_open_last_time(qtbot, window):
    from tests.helpers.qt import open_window

    db = window.test_db
    other = next(a.uuid for a in sv.list_assessments(db) if a.uuid != window.doc.uuid)
    window.open_assessment(other)
    window.close()
    again = open_window(qtbot, db.path)  # no assessment asked for
    assert again.doc.uuid == other
    again.close()


def test_ctrl_z_after_deleting_an_assessment_gives_back_every_answer(window):
    """Deleted from the navigator, then Ctrl+Z: every answer as it was (level, comment, evidence,
    priority, time), the session's participants and ratings, and every other row."""
    from ptce_toolkit.services import workshop as ws
    from tests.helpers.navigation import database
    from ui.navigator import UUID_ROLE

    db, uuid = window.test_db, window.doc.uuid
    person = ws.add_participant(db, uuid, "Awa Diallo", "ess").created
    ws.set_rating(db, uuid, person, "GOV.1", level=2, comment="Vu en séance")
    answers, ratings, rows = sv.get_answers(db, uuid), ws.participant_answers(db, uuid), database(db)
    assert len(answers) > 30
    window.navigator.select(uuid)
    when_dialog_opens(click_yes)
    window.navigator.buttons["delete"].click()
    assert uuid not in [a.uuid for a in sv.list_assessments(db)]
    assert sv.get_answers(db, uuid) == {}
    undo(window)
    assert sv.get_answers(db, uuid) == answers
    assert ws.participant_answers(db, uuid) == ratings
    assert database(db) == rows
    listed = [window.navigator.model.item(0).child(i).data(UUID_ROLE)
              for i in range(window.navigator.model.item(0).rowCount())]
    assert uuid in listed  # the navigator shows it again
    redo(window)
    assert uuid not in [a.uuid for a in sv.list_assessments(db)]
