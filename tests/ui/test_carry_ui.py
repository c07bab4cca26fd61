"""« Nouvelle évaluation » on referential 2.0.0 from the demo's 1.0.0 assessment: version offered,
answers carried, proposals « à confirmer » shown and confirmed with the keyboard (and undone)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from ptce_toolkit import services as sv
from ptce_toolkit.services import carry
from tests.helpers.qt import press, undo, when_dialog_opens


def test_new_assessment_on_v2_carries_and_confirms(window, qtbot):
    db = window.test_db
    nav = window.navigator
    source = window.doc.uuid
    source_answers = sv.get_answers(db, source)
    nav.select(source)
    seen = {}

    def fill(dialog):
        dialog.title_edit.setText("Diagnostic 2027")
        dialog.copy_box.setChecked(True)
        versions = [dialog.version_box.itemData(i) for i in range(dialog.version_box.count())]
        assert ("ptce-referentiel-action", "1.0.0") in versions and ("ptce-referentiel-action", "2.0.0") in versions
        assert dialog.version_box.currentData() == ("ptce-referentiel-action", "1.0.0")  # the previous one's
        dialog.version_box.setCurrentIndex(versions.index(("ptce-referentiel-action", "2.0.0")))
        seen["note"] = dialog.carry_note.text()
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    when_dialog_opens(fill)
    nav.buttons["assessment"].click()
    new = next(a for a in sv.list_assessments(db) if a.title == "Diagnostic 2027")
    assert new.referential_version == "2.0.0" and window.doc.uuid == new.uuid
    assert "à confirmer" in seen["note"]
    assert sv.get_answers(db, source) == source_answers  # the source is untouched
    pending = set(carry.pending(db, new.uuid))
    assert {"GOV.7", "GOV.8", "INN.6"} <= pending
    # the dashboard compares with the 1.0.0 assessment through the crosswalk, naming what it leaves out
    dash = window.pages["dashboard"]
    dash.refresh()
    summary = dash.summary.text()
    assert "Non comparés" in summary and "GOV.7" in summary and "ECO.7" in summary
    assert "critères notés les deux années" in summary

    walk = window.pages["walkthrough"]
    window.show_page(1)
    walk.show_criterion("GOV.7")
    assert walk.card.carried.isVisibleTo(walk.card) and "1.0.0:GOV.4" in walk.card.carried_label.text()
    tree_text = walk.model.criterion_index("GOV.7", 1).data()
    assert tree_text.endswith("à confirmer")
    window.activateWindow()  # the closed dialog left no active window (offscreen)
    QTest.qWaitForWindowActive(window, 1000)
    qtbot.waitUntil(lambda: walk.isVisible())
    walk.focus_levels()
    press(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "GOV.7" not in carry.pending(db, new.uuid))
    assert not walk.card.carried.isVisibleTo(walk.card)
    assert not walk.model.criterion_index("GOV.7", 1).data().endswith("à confirmer")
    undo(window)
    qtbot.waitUntil(lambda: "GOV.7" in carry.pending(db, new.uuid))
    assert walk.card.carried.isVisibleTo(walk.card)
    # rating the criterion confirms it too; undoing the rating brings « à confirmer » back
    walk.show_criterion("GOV.8")
    walk.focus_levels()
    press(QApplication.focusWidget(), Qt.Key.Key_3, text="3")
    qtbot.waitUntil(lambda: "GOV.8" not in carry.pending(db, new.uuid))
    assert sv.get_answers(db, new.uuid)["GOV.8"].level == 3
    undo(window)
    qtbot.waitUntil(lambda: "GOV.8" in carry.pending(db, new.uuid))
    assert window.doc.answer("GOV.8").to_confirm
