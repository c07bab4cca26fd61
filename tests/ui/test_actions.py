"""Action plan: typed in, edited, sorted, filtered, created from a criterion or an option; undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ptce_toolkit import services as sv
from tests.helpers.qt import press, redo, type_text, undo


def actions_page(window):
    window.show_page(4)
    return window.pages["actions"]


def visible_titles(page):
    return [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]


def test_models_pass_qtmodeltester(window, qtmodeltester):
    page = actions_page(window)
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.proxy)


def test_add_and_edit_an_action_then_undo(window):
    db, a = window.test_db, window.doc.uuid
    page = actions_page(window)
    page.new_action.setFocus()
    type_text(page.new_action, "Réécrire la charte avec les nouveaux membres")
    press(page.new_action, Qt.Key.Key_Return)
    uuid = page.selected_uuid
    assert sv.get_action(db, uuid).title == "Réécrire la charte avec les nouveaux membres"

    page.owner_edit.setFocus()
    type_text(page.owner_edit, "Hélène (bureau)")
    page.status_box.setFocus()  # leaving the field saves it
    page.status_box.activated.emit(page.status_box.findData("doing"))
    page.priority_box.activated.emit(page.priority_box.findData(1))
    saved = sv.get_action(db, uuid)
    assert (saved.owner, saved.status, saved.priority) == ("Hélène (bureau)", "doing", 1)

    undo(window)
    undo(window)
    assert (sv.get_action(db, uuid).status, sv.get_action(db, uuid).priority) == ("todo", 2)
    undo(window)
    assert sv.get_action(db, uuid).owner == ""
    undo(window)
    assert window.doc.action(uuid) is None
    with pytest.raises(sv.NotFound):
        sv.get_action(db, uuid)
    for _ in range(4):
        redo(window)
    saved = sv.get_action(db, uuid)
    assert (saved.title, saved.owner, saved.status, saved.priority) == (
        "Réécrire la charte avec les nouveaux membres", "Hélène (bureau)", "doing", 1)


def test_sort_by_due_date_and_filter_by_status(window):
    page = actions_page(window)
    due_column = 2
    page.table.sortByColumn(due_column, Qt.SortOrder.AscendingOrder)
    dues = [a.due_on for a in window.doc.snap.actions]
    expected = [a.title for a in sorted(window.doc.snap.actions, key=lambda a: a.due_on or "9999")]
    assert visible_titles(page) == expected and len(set(dues)) > 2
    page.status_filter.setCurrentIndex(page.status_filter.findData("done"))
    assert visible_titles(page) == [a.title for a in window.doc.snap.actions if a.status == "done"]
    page.status_filter.setCurrentIndex(0)
    type_text(page.text_filter, "EVA.1")
    assert visible_titles(page) == [a.title for a in window.doc.snap.actions if "EVA.1" in a.criteria]


def test_action_from_priority_criterion_and_from_option_in_one_step(window):
    db, a = window.test_db, window.doc.uuid
    page = actions_page(window)
    u = page.create_from_criterion("EVA.1")
    saved = sv.get_action(db, u)
    assert saved.criteria == ["EVA.1"] and saved.priority == 1
    assert "EVA.1" in saved.title
    option = sorted(window.doc.snap.options, key=lambda o: o.position)[0]
    u2 = page.create_from_option(option.uuid)
    saved = sv.get_action(db, u2)
    assert saved.options == [option.uuid] and saved.title == option.text
    expected = sorted({c for s in sv.list_swot(db, a) if s.uuid in option.swot for c in s.criteria})
    assert saved.criteria == expected
    undo(window)
    assert window.doc.action(u2) is None
    undo(window)
    assert window.doc.action(u) is None


def test_option_page_button_creates_action_and_switches_page(window):
    db = window.test_db
    window.show_page(3)
    options = window.pages["options"]
    first = options.model.rows[0]
    options.select(first.uuid)
    before = len(window.doc.snap.actions)
    options.action_button.click()
    assert len(window.doc.snap.actions) == before + 1
    assert window.tabs.currentWidget() is window.pages["actions"]
    assert sv.get_action(db, window.pages["actions"].selected_uuid).options == [first.uuid]


def test_typed_due_date_is_saved_as_typed_and_impossible_dates_refused(window):
    db = window.test_db
    page = actions_page(window)
    page.table.selectRow(0)
    uuid = page.selected_uuid
    field = page.due_edit.edit
    for typed, stored in (("15/01/2027", "2027-01-15"), ("1/2/2028", "2028-02-01"), ("29.02.28", "2028-02-29")):
        field.setFocus()
        field.selectAll()
        type_text(field, typed)
        press(field, Qt.Key.Key_Return)
        assert sv.get_action(db, uuid).due_on == stored, typed
        assert page.due_edit.error.isHidden()
    assert field.text() == "29/02/2028"
    for typed, message in (("31/02/2027", "n’existe pas"), ("15/13/2027", "n’existe pas"),
                           ("15/01/6202", "hors de portée"), ("demain", "n’est pas une date")):
        field.selectAll()
        type_text(field, typed)
        press(field, Qt.Key.Key_Return)
        assert sv.get_action(db, uuid).due_on == "2028-02-29", typed  # nothing saved
        assert not page.due_edit.error.isHidden() and message in page.due_edit.error.text()
    field.selectAll()
    press(field, Qt.Key.Key_Delete)
    press(field, Qt.Key.Key_Return)
    assert sv.get_action(db, uuid).due_on in ("", None)  # empty: no due date
