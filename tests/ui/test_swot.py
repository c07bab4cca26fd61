"""SWOT page: add, edit, reorder, drag between quadrants, suggestions — and undo of each."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog

from ptce_toolkit import services as sv
from tests.helpers.qt import press, redo, type_text, undo

CTRL = Qt.KeyboardModifier.ControlModifier


def grid(db, a):
    """{quadrant: [texts in order]} as stored in the database."""
    out = {}
    for it in sv.list_swot(db, a):
        out.setdefault(it.quadrant, []).append(it.text)
    return out




def swot_page(window):
    window.show_page(2)
    return window.pages["swot"]


def drag_to(source_view, row, target_view):
    """Drag the item at ``row`` of one list and drop it below the last item of another."""
    index = source_view.model().index(row, 0)
    mime = source_view.model().mimeData([index])
    viewport = target_view.viewport()
    pos = QPointF(10, viewport.height() - 5)  # empty area under the items: append
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, Qt.DropAction.MoveAction, mime, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(pos, Qt.DropAction.MoveAction, mime, buttons, mods)
    QApplication.sendEvent(viewport, move)
    assert move.isAccepted()
    drop = QDropEvent(pos, Qt.DropAction.MoveAction, mime, buttons, mods)
    QApplication.sendEvent(viewport, drop)


def test_models_pass_qtmodeltester(window, qtmodeltester):
    page = swot_page(window)
    for panel in page.panels.values():
        qtmodeltester.check(panel.model)


def test_drag_item_to_another_quadrant_and_undo(window):
    db, a = window.test_db, window.doc.uuid
    page = swot_page(window)
    before = grid(db, a)
    moved = before["T"][0]
    drag_to(page.panels["T"].view, 0, page.panels["W"].view)
    after = grid(db, a)
    assert after["W"] == before["W"] + [moved]
    assert after["T"] == before["T"][1:]
    assert [page.panels["W"].model.items[-1].text] == [moved]  # the view shows it too
    undo(window)
    assert grid(db, a) == before
    redo(window)
    assert grid(db, a) == after


def test_drag_within_a_quadrant_reorders(window):
    db, a = window.test_db, window.doc.uuid
    page = swot_page(window)
    before = grid(db, a)["S"]
    drag_to(page.panels["S"].view, 0, page.panels["S"].view)
    assert grid(db, a)["S"] == before[1:] + before[:1]


def test_add_edit_importance_reorder_delete_with_undo(window):
    db, a = window.test_db, window.doc.uuid
    page = swot_page(window)
    start = grid(db, a)
    panel = page.panels["O"]
    panel.new_item.setFocus()
    type_text(panel.new_item, "Une coopérative d’énergie citoyenne à l’étude")
    press(panel.new_item, Qt.Key.Key_Return)
    added = grid(db, a)
    assert added["O"] == start["O"] + ["Une coopérative d’énergie citoyenne à l’étude"]
    assert page.selected_uuid is not None

    page.text_edit.setFocus()
    press(page.text_edit, Qt.Key.Key_End, CTRL)
    type_text(page.text_edit, " (région)")
    page.importance.setFocus()  # leaving the field saves the text
    edited_text = "Une coopérative d’énergie citoyenne à l’étude (région)"
    assert grid(db, a)["O"][-1] == edited_text
    page.importance.activated.emit(page.importance.findData(3))
    stored = next(i for i in sv.list_swot(db, a) if i.text == edited_text)
    assert stored.importance == 3

    page.shift(-1)  # Monter
    assert grid(db, a)["O"][-2] == edited_text
    page.delete_button.click()
    assert edited_text not in grid(db, a).get("O", [])

    for _ in range(3):  # delete, move, importance
        undo(window)
    assert grid(db, a) == added | {"O": start["O"] + [edited_text]}
    assert next(i for i in sv.list_swot(db, a) if i.text == edited_text).importance == 2
    undo(window)  # the text
    assert grid(db, a) == added
    undo(window)  # the addition itself
    assert grid(db, a) == start
    for _ in range(5):
        redo(window)
    assert len(grid(db, a)["O"]) == len(start["O"])
    assert edited_text not in grid(db, a).get("O", [])


def test_link_item_to_criteria(window, monkeypatch):
    db, a = window.test_db, window.doc.uuid
    page = swot_page(window)
    first = page.panels["O"].model.items[0]
    page.select(first.uuid)
    monkeypatch.setattr("ui.pages.swot.QDialog.exec", lambda self: QDialog.DialogCode.Accepted)
    from ui import pickers

    real = pickers.CheckListDialog.chosen
    monkeypatch.setattr(pickers.CheckListDialog, "chosen", lambda self: (self.set_checked(["RES.1", "FIN.2"]), real(self))[1])
    page.link_button.click()
    assert sv.get_swot_item(db, first.uuid).criteria == ["FIN.2", "RES.1"]
    undo(window)
    assert sv.get_swot_item(db, first.uuid).criteria == first.criteria


def test_suggestions_accepted_in_one_action_and_edited(window, monkeypatch):
    db, a = window.test_db, window.doc.uuid
    page = swot_page(window)
    before = sv.list_swot(db, a)
    found = page.suggestions()
    assert found and {s.quadrant for s in found} <= {"S", "W"}
    from ui.pages.swot import SuggestionsDialog

    dialog = SuggestionsDialog(window.doc, found, page)
    assert dialog.chosen() == []  # nothing is ticked until the team chooses
    assert [page.importance.itemText(i) for i in range(3)] == ["Forte", "Moyenne", "Faible"]  # like priorities
    dialog.table.item(0, 1).setText("Texte reformulé par l’équipe")
    for row in range(len(found)):
        if row != 1:
            dialog.table.item(row, 0).setCheckState(Qt.CheckState.Checked)
    chosen = dialog.chosen()
    assert len(chosen) == len(found) - 1
    window.doc.accept_suggestions(chosen)
    after = sv.list_swot(db, a)
    assert len(after) == len(before) + len(found) - 1
    assert any(i.text == "Texte reformulé par l’équipe" and i.criteria == found[0].criteria for i in after)
    undo(window)  # one step removes them all
    assert len(sv.list_swot(db, a)) == len(before)


def test_examples_library_pick_two_in_one_step(window, monkeypatch):
    db, a = window.test_db, window.doc.uuid
    page = swot_page(window)
    before = sv.list_swot(db, a)
    ref = window.doc.ref
    strength, threat = ref.quadrants["S"].examples[0], ref.quadrants["T"].examples[3]
    picked = []

    def pick(dialog):
        assert dialog.chosen() == []  # nothing ticked until the team chooses
        assert "Labo de l’ESS" in dialog.source_label.text()  # the source is named
        dialog.show_quadrant("T")  # per quadrant: the others are hidden
        assert all(dialog.table.isRowHidden(r) == (q != "T") for r, (q, _t) in enumerate(dialog.examples))
        dialog.set_checked([strength, threat])
        picked.extend(dialog.chosen())
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr("ui.pages.swot.ExamplesDialog.exec", pick)
    page.examples_button.click()
    assert picked == [("S", strength), ("T", threat)]
    g = grid(db, a)
    assert strength in g["S"] and threat in g["T"]
    assert len(sv.list_swot(db, a)) == len(before) + 2
    # an example already in the grid is not offered again
    assert ("S", strength) not in page.examples_dialog().examples
    undo(window)  # one step removes both
    assert len(sv.list_swot(db, a)) == len(before)
