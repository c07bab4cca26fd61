"""Workshop mode inside the real main window, and in the PDF and the workbook."""

from __future__ import annotations

import subprocess

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ptce_toolkit import services as sv
from ptce_toolkit.services import workshop as ws


def test_agreed_answer_recorded_in_the_session_reaches_walkthrough_and_scores(qtbot, window):
    db, uuid = window.test_db, window.doc.uuid
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "Séance (atelier)" in titles and "Projection" not in titles  # the projection is its own window
    session_page = window.pages["workshop"]
    alice = ws.add_participant(db, uuid, "Alice Martin", "ess").created
    window.show_page(window.tabs.count() - 1)  # showing the page rereads the session
    assert [p.name for p in session_page.session.participants] == ["Alice Martin"]
    ws.set_rating(db, uuid, alice, "GOV.4", level=3)
    session_page.session.agree("GOV.4", level=2, reason="Décision du groupe")
    qtbot.waitUntil(lambda: sv.get_answer(db, uuid, "GOV.4").level == 2)
    # the walk-through's document sees the agreed answer at once (it is what scores)
    assert window.doc.answer("GOV.4").level == 2
    assert sv.get_answer(db, uuid, "GOV.4", participant_uuid=alice).level == 3
    window.undo()
    qtbot.waitUntil(lambda: sv.get_answer(db, uuid, "GOV.4").level == 0)  # the demo's own level
    assert window.doc.answer("GOV.4").level == 0


def test_session_section_in_pdf_and_sheet_in_workbook(demo, tmp_path):
    from exports.pdf_report import write_report
    from exports.xlsx_export import export_workbook

    db, uuid = demo
    a = ws.add_participant(db, uuid, "Bernard Roux", "entreprise").created
    b = ws.add_participant(db, uuid, "Chloé Petit", "collectivite").created
    ws.set_rating(db, uuid, a, "FIN.1", level=0)
    ws.set_rating(db, uuid, b, "FIN.1", level=4)
    pdf = tmp_path / "atelier.pdf"
    write_report(db, uuid, pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Séance de travail collective" in text and "Chloé Petit" in text
    xlsx = tmp_path / "atelier.xlsx"
    export_workbook(db, uuid, xlsx)
    assert "Séance" in load_workbook(xlsx, read_only=True).sheetnames


def test_solo_diagnostic_has_no_session_section(demo, tmp_path):
    from exports.pdf_report import write_report

    db, uuid = demo
    pdf = tmp_path / "solo.pdf"
    write_report(db, uuid, pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Séance de travail collective" not in text


def test_projection_opens_in_its_own_full_screen_window(qtbot, window):
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Affichage")
    entries = [a.text() for a in view_menu.actions()]
    assert "Séance (atelier)" in entries and "Projection (plein écran)" in entries
    window.projection_action.trigger()
    view = window.projection.view
    projection = view.window()
    assert projection is not window and projection.isFullScreen()
    assert view.session is window.pages["workshop"].session
    projection.toggle_full_screen()  # F11
    assert not projection.isFullScreen()
    projection.resize(1024, 768)
    qtbot.wait(20)
    size = projection.size()
    view.toggle_reveal()
    qtbot.wait(20)
    assert projection.size() == size  # revealing never grows the window
    projection.leave()  # Échap out of a normal window closes it
    qtbot.waitUntil(lambda: window.projection is None)


def test_participant_edits_undone_with_ctrl_z(qtbot, window):
    """A participant renamed, then removed with their ratings, in the « Séance » page: Ctrl+Z
    brings back the ratings, then the name, in the database and on the screen."""
    from PySide6.QtCore import Qt

    from tests.helpers.qt import redo, undo

    db, uuid = window.test_db, window.doc.uuid
    alice = ws.add_participant(db, uuid, "Alice Martin", "ess").created
    bruno = ws.add_participant(db, uuid, "Bruno Marchal", "entreprise").created
    ws.set_rating(db, uuid, bruno, "GOV.1", level=4, comment="Il y était")
    ws.set_rating(db, uuid, bruno, "FIN.1", status="unknown")
    ratings = ws.participant_answers(db, uuid)[bruno]
    page = window.pages["workshop"]
    window.show_page(window.tabs.indexOf(page))
    page.participants.item(0, 0).setText("Alice Martin-Roy")
    assert ws.list_participants(db, uuid)[0].name == "Alice Martin-Roy"
    page.participants.setCurrentCell(1, 0)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert [p.uuid for p in ws.list_participants(db, uuid)] == [alice]
    assert bruno not in ws.participant_answers(db, uuid)
    undo(window)
    assert [p.uuid for p in ws.list_participants(db, uuid)] == [alice, bruno]
    assert ws.participant_answers(db, uuid)[bruno] == ratings  # every rating, as it was
    assert page.session.rating(bruno, "GOV.1").level == 4
    assert page.participants.rowCount() == 2
    undo(window)
    assert ws.list_participants(db, uuid)[0].name == "Alice Martin"
    assert page.participants.item(0, 0).text() == "Alice Martin"
    redo(window)
    assert ws.list_participants(db, uuid)[0].name == "Alice Martin-Roy"
    assert page.session.participant(alice).name == "Alice Martin-Roy"


def test_a_rating_waiting_for_the_disk_is_shown_and_stored_on_retry(qtbot, window):
    """The disk refuses the write: the rating stays on screen, queued; once the disk accepts
    again, the retry stores it."""
    import sqlite3

    from PySide6.QtCore import Qt

    db, uuid = window.test_db, window.doc.uuid
    alice = ws.add_participant(db, uuid, "Alice Martin", "ess").created
    page = window.pages["workshop"]
    window.show_page(window.tabs.indexOf(page))
    con = sqlite3.connect(db.path)
    con.executescript("CREATE TRIGGER refuse BEFORE INSERT ON answer BEGIN SELECT RAISE(ABORT, 'disque plein'); END;")
    try:
        page.session.rate(alice, "GOV.1", level=3)
        assert len(window.save.pending) == 1
        assert sv.get_answer(db, uuid, "GOV.1", participant_uuid=alice).status == "unanswered"
        assert page.session.rating(alice, "GOV.1").level == 3  # shown at once
    finally:  # the disk accepts again (a failing test must not leave a write pending at close)
        con.executescript("DROP TRIGGER refuse;")
        con.close()
        qtbot.mouseClick(window.save_indicator.retry_button, Qt.MouseButton.LeftButton)
    assert sv.get_answer(db, uuid, "GOV.1", participant_uuid=alice).level == 3
    assert page.session.rating(alice, "GOV.1").level == 3


def test_at_1024_by_600_the_matrix_keeps_most_of_the_height(qtbot, window):
    """The matrix is what the group looks at: on a small screen the selected criterion's panel
    scrolls instead of leaving the matrix three rows (as it did), and the panel stays reachable."""
    from ptce_toolkit import demo_workshop

    demo_workshop.add_demo_participants(window.test_db, window.doc.uuid)  # five people, five colleges
    window.resize(1024, 600)
    window.show()
    window.show_page(window.tabs.count() - 1)
    page = window.pages["workshop"]
    qtbot.waitUntil(lambda: page.table.model().rowCount() > 10)
    qtbot.wait(50)  # layout settled
    rows_seen = page.table.viewport().height() // page.table.rowHeight(0)
    assert rows_seen >= 5, rows_seen  # three before the panel scrolled
    # reached with the keyboard: Tab from the reason scrolls the panel to the button
    page.reason_edit.setFocus()
    QTest.keyClick(page.reason_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.agree_button
    qtbot.waitUntil(lambda: page.agree_button.visibleRegion().boundingRect().height() > 0)
