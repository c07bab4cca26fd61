"""Strategic options: created from the keyboard, linked to SWOT items, kind derived and shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from ptce_toolkit import services as sv
from tests.helpers.qt import press, type_text, undo, when_dialog_opens

CTRL = Qt.KeyboardModifier.ControlModifier


def _options(db, a):
    from ptce_toolkit import snapshot

    return snapshot.load(db, a).options


def options_page(window):
    window.show_page(3)
    return window.pages["options"]



def test_model_passes_qtmodeltester(window, qtmodeltester):
    qtmodeltester.check(options_page(window).model)


def test_option_linked_to_items_through_the_dialog(window):
    db, a = window.test_db, window.doc.uuid
    page = options_page(window)
    page.new_option.setFocus()
    type_text(page.new_option, "Créer une foncière solidaire avec les habitants")
    press(page.new_option, Qt.Key.Key_Return)
    option_uuid = page.selected_uuid
    assert sv.get_option(db, option_uuid).text == "Créer une foncière solidaire avec les habitants"
    assert sv.get_option(db, option_uuid).swot == []
    row = page.model.row_of(option_uuid)
    assert page.model.index(row, 1).data() == "Sans lien"  # allowed, and visible as such

    swot = sv.list_swot(db, a)
    force = next(i for i in swot if i.quadrant == "S")
    opportunity = next(i for i in swot if i.quadrant == "O")
    wanted = [force.text, opportunity.text]

    def tick_and_accept(dialog):
        for i in range(dialog.list.count()):
            item = dialog.list.item(i)
            if any(item.text().endswith(t) for t in wanted):
                item.setCheckState(Qt.CheckState.Checked)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    when_dialog_opens(tick_and_accept)
    page.link_button.click()
    assert sorted(sv.get_option(db, option_uuid).swot) == sorted([force.uuid, opportunity.uuid])
    assert page.model.index(page.model.row_of(option_uuid), 1).data() == "Force × opportunité"
    assert page.kind_label.text() == "Force × opportunité"

    undo(window)
    assert sv.get_option(db, option_uuid).swot == []
    assert page.model.index(page.model.row_of(option_uuid), 1).data() == "Sans lien"


def test_kind_follows_the_quadrant_of_a_moved_item(window):
    db, a = window.test_db, window.doc.uuid
    page = options_page(window)
    # the demo's first option answers a faiblesse and a menace: WT
    first = page.model.rows[0]
    assert page.model.index(0, 1).data() == "Faiblesse × menace"
    weakness = next(u for u in first.swot if window.doc.swot_item(u).quadrant == "W")
    window.doc.move_swot(weakness, "S", 0)
    assert page.model.index(page.model.row_of(first.uuid), 1).data() == "Force × menace"
    undo(window)
    assert page.model.index(page.model.row_of(first.uuid), 1).data() == "Faiblesse × menace"


def test_delete_option_and_undo_keeps_action_links(window):
    db, a = window.test_db, window.doc.uuid
    page = options_page(window)
    first = page.model.rows[0]
    linked_actions = [x.uuid for x in window.doc.snap.actions if first.uuid in x.options]
    assert linked_actions
    page.select(first.uuid)
    page.table.setFocus()
    press(page.table, Qt.Key.Key_Delete)
    assert first.uuid not in [o.uuid for o in window.doc.snap.options]
    assert all(first.uuid not in sv.get_action(db, u).options for u in linked_actions)
    undo(window)
    assert sv.get_option(db, first.uuid).swot == first.swot
    assert all(first.uuid in sv.get_action(db, u).options for u in linked_actions)


def test_options_library_pick_one_answers_a_single_item(window):
    db, a = window.test_db, window.doc.uuid
    page = options_page(window)
    options_before, swot_before = _options(db, a), sv.list_swot(db, a)
    ex = window.doc.ref.option_examples[5]  # leader renewal (T) -> shared-power governance
    assert ex.quadrant == "T" and ex.item not in {i.text for i in swot_before}

    def tick_and_accept(dialog):
        assert dialog.chosen() == []  # nothing ticked until the team chooses
        assert "§\u00a03.2" in dialog.source_label.text()
        dialog.set_checked([ex.option])
        dialog.accept_button.click()

    when_dialog_opens(tick_and_accept)
    page.examples_button.click()
    options = _options(db, a)
    assert len(options) == len(options_before) + 1
    new = next(o for o in options if o.text == ex.option)
    assert len(new.swot) == 1  # « répond à » one item, no kind required
    item = sv.get_swot_item(db, new.swot[0])
    assert (item.quadrant, item.text) == ("T", ex.item)  # the threat came with it
    assert page.model.index(page.model.row_of(new.uuid), 1).data() == "Répond à un seul élément (Menaces)"
    undo(window)  # one step: the option and its threat
    assert len(_options(db, a)) == len(options_before)
    assert len(sv.list_swot(db, a)) == len(swot_before)
