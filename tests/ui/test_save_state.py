"""The one serial writer: a failed save is shown, kept and retried; a refused edit is
taken back and the queue goes on; bulk work is serialised with the edits; the status
never reads « Enregistré » while anything is pending."""

from __future__ import annotations

import sqlite3
import threading

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from ptce_toolkit import services as sv
from tests.helpers.qt import open_window, press, type_text


def _sql(path, statement):
    con = sqlite3.connect(path)
    con.executescript(statement)
    con.close()


def _rating_page_with_refusing_disk(qtbot, db, ref):
    pole = sv.create_pole(db, "Pôle test").created
    a = sv.create_assessment(db, pole).created
    window = open_window(qtbot, db.path, a)
    window.show_page(1)
    page = window.pages["walkthrough"]
    page.tree.setFocus()
    # the disk refuses every new answer (as a full disk or a read-only file would)
    _sql(db.path, "CREATE TRIGGER refuse BEFORE INSERT ON answer BEGIN SELECT RAISE(ABORT, 'disque plein'); END;")
    return window, page, a, ref.criteria()[0].id


def test_failed_save_is_shown_kept_and_retried(qtbot, db, ref):
    window, page, a, first = _rating_page_with_refusing_disk(qtbot, db, ref)
    press(QApplication.focusWidget(), Qt.Key.Key_2, text="2")

    indicator = window.save_indicator
    assert indicator.label.text().startswith("Échec de l’enregistrement\u00a0:")
    assert "disque plein" in indicator.label.text()
    assert indicator.retry_button.isVisible()
    assert page.card.group.button(2).isChecked()  # the edit is still on screen
    assert sv.get_answer(db, a, first).status == "unanswered"

    # further edits queue up behind the failed one, in order
    press(QApplication.focusWidget(), Qt.Key.Key_3, text="3")
    assert len(window.save.pending) == 2

    _sql(db.path, "DROP TRIGGER refuse;")
    qtbot.mouseClick(indicator.retry_button, Qt.MouseButton.LeftButton)
    assert indicator.label.text() == "Enregistré"
    assert not indicator.retry_button.isVisible()
    assert sv.get_answer(db, a, first).level == 3


def test_undo_of_a_write_that_never_happened_drops_it(qtbot, db, ref):
    window, page, a, first = _rating_page_with_refusing_disk(qtbot, db, ref)
    press(QApplication.focusWidget(), Qt.Key.Key_4, text="4")
    press(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.save.pending == []
    assert window.save_indicator.label.text() == "Enregistré"
    assert not page.card.group.button(4).isChecked()
    _sql(db.path, "DROP TRIGGER refuse;")
    assert sv.get_answer(db, a, first).status == "unanswered"


# ---------------------------------------------------------------- one serial writer

REFUSED_DUE = "31/02/2026"  # not a date: the services refuse it (ServiceError)


def _blocked_writer(window):
    """Bulk work that holds the writer until the returned Event is set."""
    gate = threading.Event()
    window.save.submit(lambda: gate.wait(20), "travail long", background=True)
    return gate


def _action_with_due_date(window):
    doc = window.doc
    act = next(a for a in doc.snap.actions if a.due_on)
    window.show_page(4)
    window.pages["actions"].select(act.uuid)
    return act.uuid, act.due_on


def _rate_first_criterion(window, level: int) -> str:
    window.show_page(1)
    page = window.pages["walkthrough"]
    page.show_criterion(page.order[0])
    page.tree.setFocus()
    press(QApplication.focusWidget(), getattr(Qt.Key, f"Key_{level}"), text=str(level))
    return page.order[0]


def _in_comment_field(window):
    """The walk-through, the cursor at the end of the current criterion's comment; returns
    the page, the criterion and its stored comment."""
    window.show_page(1)
    page = window.pages["walkthrough"]
    page.card.comment.setFocus()
    page.card.comment.moveCursor(QTextCursor.MoveOperation.End)
    return page, page.current, sv.get_answer(window.test_db, window.doc.uuid, page.current).comment


def _labels_seen(window) -> list[tuple[str, bool]]:
    """Every text the indicator shows, with whether anything was pending at that moment."""
    seen = []
    window.save.stateChanged.connect(lambda _s, _m: seen.append((window.save_indicator.label.text(),
                                                                  window.save.busy)))
    return seen


def test_refused_edit_is_reverted_and_the_next_edit_is_saved(window, qtbot):
    db, doc = window.test_db, window.doc
    seen = _labels_seen(window)
    action, due = _action_with_due_date(window)
    doc.update_action(action, due_on=REFUSED_DUE)

    assert doc.action(action).due_on == due  # taken back off the screen at once
    assert window.pages["actions"].due_edit.iso() == due
    assert window.statusBar().currentMessage().startswith("Échéance invalide")  # the French refusal is shown
    assert window.save.pending == [] and window.stack.count() == 0  # dropped, nothing to undo

    criterion = _rate_first_criterion(window, 3)
    assert sv.get_answer(db, doc.uuid, criterion).level == 3
    assert sv.get_action(db, action).due_on == due
    assert window.save_indicator.label.text() == "Enregistré"
    assert ("Enregistré", True) not in seen


def test_refused_edit_queued_behind_bulk_work_does_not_jam_the_queue(window, qtbot):
    db, doc = window.test_db, window.doc
    seen = _labels_seen(window)
    action, due = _action_with_due_date(window)
    gate = _blocked_writer(window)
    try:
        doc.update_action(action, due_on=REFUSED_DUE)
        # the Document is a read model: it shows the database, so the date waits for its write
        assert doc.action(action).due_on == due
        criterion = _rate_first_criterion(window, 2)
        assert window.save_indicator.label.text() == "Modification en cours…"
        assert sv.get_answer(db, doc.uuid, criterion).level != 2  # still queued behind the bulk work
    finally:
        gate.set()
    assert window.save.wait(10000)
    assert sv.get_answer(db, doc.uuid, criterion).level == 2
    assert doc.action(action).due_on == due
    window.show_page(4)
    assert window.pages["actions"].due_edit.iso() == due
    assert window.statusBar().currentMessage().startswith("Échéance invalide")
    assert window.save_indicator.label.text() == "Enregistré"
    window.undo()  # the refused edit left the undo stack: Ctrl+Z takes back the rating
    assert sv.get_answer(db, doc.uuid, criterion).level != 2
    assert doc.action(action).due_on == due
    assert ("Enregistré", True) not in seen


def test_status_is_never_saved_while_text_or_a_write_is_pending(window, qtbot):
    db, doc = window.test_db, window.doc
    seen = _labels_seen(window)
    page, criterion, before = _in_comment_field(window)
    type_text(page.card.comment, " — vu en réunion l’été dernier")
    # typed, the pause not over yet: nothing written, and the status says so
    assert window.save_indicator.label.text() == "Modification en cours…"
    assert sv.get_answer(db, doc.uuid, criterion).comment == before
    qtbot.waitUntil(lambda: window.save_indicator.label.text() == "Enregistré", timeout=3000)
    assert sv.get_answer(db, doc.uuid, criterion).comment == before + " — vu en réunion l’été dernier"

    gate = _blocked_writer(window)
    try:
        assert window.save_indicator.label.text() == "Modification en cours…"
        page.tree.setFocus()
        press(QApplication.focusWidget(), Qt.Key.Key_1, text="1")
        qtbot.wait(300)
        assert window.save_indicator.label.text() == "Modification en cours…"
        assert sv.get_answer(db, doc.uuid, criterion).level != 1
    finally:
        gate.set()
    qtbot.waitUntil(lambda: window.save_indicator.label.text() == "Enregistré", timeout=10000)
    assert sv.get_answer(db, doc.uuid, criterion).level == 1
    assert seen and ("Enregistré", True) not in seen


def test_steady_typing_is_saved_without_a_pause_as_one_undo_step(window, qtbot):
    """A typist who never pauses is saved every MAX_COMMIT_DELAY_MS; Ctrl+Z takes it all back."""
    from ui.widgets import MAX_COMMIT_DELAY_MS

    db, doc = window.test_db, window.doc
    page, criterion, before = _in_comment_field(window)
    typed, stored = "", []
    for ch in " Réunion à l’école, été 2025, très bien":  # ≈ 2.3 s: six or seven saves
        type_text(page.card.comment, ch)
        typed += ch
        qtbot.wait(60)  # a key every 60 ms: the 300 ms pause never comes
        stored.append(sv.get_answer(db, doc.uuid, criterion).comment)
    assert len(set(stored)) > 3  # saved several times while typing went on
    assert stored[-1] != before
    for text in stored:
        assert (before + typed).startswith(text)
    lag = len(before + typed) - len(stored[-1])
    assert lag * 60 <= MAX_COMMIT_DELAY_MS + 200
    page.flush()
    assert sv.get_answer(db, doc.uuid, criterion).comment == before + typed
    window.undo()
    assert sv.get_answer(db, doc.uuid, criterion).comment == before
    assert doc.answer(criterion).comment == before


def test_workbook_import_waits_for_queued_edits_and_edits_wait_for_it(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from exports.xlsx_export import export_workbook
    from ui import file_actions

    db, doc = window.test_db, window.doc
    path = tmp_path / "classeur.xlsx"
    export_workbook(db, doc.uuid, path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    order = []
    window.save.attempted.connect(lambda w: order.append(w.description))
    gate = _blocked_writer(window)
    try:
        criterion = _rate_first_criterion(window, 4)  # queued before the import
        file_actions.import_workbook(window)
        assert window.save_indicator.label.text() == "Modification en cours…"
    finally:
        gate.set()
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    assert order[:3] == ["travail long", f"Niveau 4 pour {criterion}", "Import d’un classeur"]
    # the workbook was written before the rating: importing it brings the old level back
    assert sv.get_answer(db, window.doc.uuid, criterion).level != 4
    assert window.save_indicator.label.text() == "Enregistré"


def test_sigterm_saves_the_text_being_typed(window, qtbot):
    import os
    import signal

    from ui.app import on_sigterm

    db, doc = window.test_db, window.doc
    page, criterion, before = _in_comment_field(window)
    terminated = []
    uninstall = on_sigterm(QApplication.instance(), lambda: terminated.append(window.save_everything()))
    try:
        type_text(page.card.comment, " fin")
        os.kill(os.getpid(), signal.SIGTERM)
        qtbot.waitUntil(lambda: bool(terminated), timeout=3000)
    finally:
        uninstall()
    assert terminated == [True]
    assert sv.get_answer(db, doc.uuid, criterion).comment == before + " fin"


def test_steady_typing_in_a_title_keeps_the_field_as_typed(window, qtbot):
    """A save in the middle of typing (the stored title is stripped) leaves the field alone.

    About the field, not the delays: the title's autosave delays are a quarter of the real
    ones and a key comes every 15 ms (a quarter of 60 ms), so typing takes 0.5 s instead of
    2 s; after each space typing waits for the save, so each one is saved while the field
    ends with a space."""
    from ui.widgets import COMMIT_DELAY_MS, MAX_COMMIT_DELAY_MS

    db, doc = window.test_db, window.doc
    action, _due = _action_with_due_date(window)
    page = window.pages["actions"]
    page.title_saver.timer.setInterval(COMMIT_DELAY_MS // 4)
    page.title_saver.max_timer.setInterval(MAX_COMMIT_DELAY_MS // 4)
    page.title_edit.setFocus()
    page.title_edit.selectAll()
    typed, saved_on_a_space = "", 0
    for ch in "Créer un café associatif à l’école":
        type_text(page.title_edit, ch)
        typed += ch
        if ch != " ":
            qtbot.wait(15)
            continue
        # the typist slows down: the field is saved while it ends with this space
        qtbot.waitUntil(lambda: not page.title_saver.dirty, timeout=3000)
        assert sv.get_action(db, action).title == typed.rstrip()
        assert page.title_edit.text() == typed  # the space just typed is still there
        saved_on_a_space += 1
    assert saved_on_a_space == 5
    assert page.title_edit.text() == typed
    assert typed.startswith(sv.get_action(db, action).title)
    page.flush()
    assert sv.get_action(db, action).title == typed
