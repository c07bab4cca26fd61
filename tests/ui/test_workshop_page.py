"""Workshop views driven like a facilitator would: five participants, ratings from the
keyboard, divergence ordering, the reveal, the agreed answer, undo. Asserts on the database."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from ptce_toolkit import scoring
from ptce_toolkit import services as sv
from ptce_toolkit.services import workshop as ws
from tests.helpers.qt import type_text
from ui.pages.projector import ProjectorView
from ui.pages.workshop import WorkshopPage
from ui.save_state import SaveManager

PEOPLE = [("Awa Diallo", "ess"), ("Bruno Marchal", "entreprise"), ("Claire Roussel", "collectivite"),
          ("David Nguyen", "recherche"), ("Élise Fontaine", "ess")]
# typed in the table, one key per participant, left to right
VOTES = {"GOV.1": "04222", "FIN.1": "22232", "EVA.1": "1133N", "TER.2": "33333"}


def _page(qtbot, db, uuid, ref):
    stack, save = QUndoStack(), SaveManager()
    page = WorkshopPage(db, uuid, ref, stack.push, save)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    return db, uuid, page, stack


def _new_session(db):
    pole = sv.create_pole(db, "Pôle de l’Estuaire").created
    return sv.create_assessment(db, pole, "Séance de printemps").created


@pytest.fixture
def setup(qtbot, db, ref):
    return _page(qtbot, db, _new_session(db), ref)


def _vote(key: str) -> dict:
    return {"status": "not_applicable"} if key == "N" else {"status": "answered", "level": int(key)}


# what type_votes leaves in the base: (participant, criterion) -> (status, level)
VOTED = {(name, crit): tuple(_vote(keys[i]).get(f) for f in ("status", "level"))
         for crit, keys in VOTES.items() for i, (name, _college) in enumerate(PEOPLE)}


def ratings(db, uuid) -> dict:
    names = {p.uuid: p.name for p in ws.list_participants(db, uuid)}
    return {(names[p], crit): (a.status, a.level) for p, got in ws.participant_answers(db, uuid).items()
            for crit, a in got.items() if a.status != "unanswered"}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, empty_template):
    """The session after add_people (« people ») and after type_votes too (« votes »), built
    once per module through the services (the keyboard gives the same base: see
    test_five_participants_rate_from_the_keyboard): {kind: (path, assessment uuid)}."""
    from ptce_toolkit import referential
    from ptce_toolkit.db import open_database

    folder = tmp_path_factory.mktemp("seance-modeles")
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PTCE_TOOLKIT_DATA", str(folder / "donnees"))
        mp.delenv("PTCE_TOOLKIT_DB", raising=False)
        referential.reset_registry()
        for kind in ("people", "votes"):
            path = folder / f"{kind}.sqlite3"
            shutil.copyfile(empty_template, path)
            db = open_database(path)
            try:
                uuid = _new_session(db)
                people = [ws.add_participant(db, uuid, name, college).created for name, college in PEOPLE]
                if kind == "votes":
                    for crit, keys in VOTES.items():
                        for person, key in zip(people, keys):
                            ws.set_rating(db, uuid, person, crit, **_vote(key))
                    assert ratings(db, uuid) == VOTED
            finally:
                db.close()
            out[kind] = (path, uuid)
        referential.reset_registry()
    return out


def _prepared_page(kind, prepared, qtbot, tmp_path, ref):
    """The session page on this test's copy of a prepared base (closed after the test)."""
    from ptce_toolkit.db import open_database

    template, uuid = prepared[kind]
    path = tmp_path / "seance.sqlite3"
    shutil.copyfile(template, path)
    db = open_database(path)
    yield _page(qtbot, db, uuid, ref)
    db.close()


@pytest.fixture
def with_people(prepared, qtbot, tmp_path, ref):
    """As ``setup`` followed by add_people."""
    yield from _prepared_page("people", prepared, qtbot, tmp_path, ref)


@pytest.fixture
def voted(prepared, qtbot, tmp_path, ref):
    """As ``setup`` followed by add_people and type_votes."""
    yield from _prepared_page("votes", prepared, qtbot, tmp_path, ref)


def add_people(qtbot, page):
    for name, college in PEOPLE:
        page.new_name.setFocus()
        type_text(page.new_name, name)
        page.new_college.setCurrentIndex(page.new_college.findData(college))
        qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)


def type_votes(qtbot, page):
    for crit, keys in VOTES.items():
        page.select(crit, 1)
        for key in keys:
            qtbot.keyClick(page.table, key)


def levels(db, uuid, crit):
    people = [p.uuid for p in ws.list_participants(db, uuid)]
    got = ws.participant_answers(db, uuid)
    out = []
    for p in people:
        a = got.get(p, {}).get(crit)
        out.append(None if a is None or a.status == "unanswered" else a.level if a.status == "answered" else a.status)
    return out


def test_five_participants_rate_from_the_keyboard(qtbot, setup):
    db, uuid, page, stack = setup
    add_people(qtbot, page)
    assert [(p.name, p.college) for p in ws.list_participants(db, uuid)] == PEOPLE
    assert page.participants.rowCount() == 5
    assert page.model.columnCount() == 9  # criterion, five people, range, deviation, agreed
    type_votes(qtbot, page)
    assert levels(db, uuid, "GOV.1") == [0, 4, 2, 2, 2]
    assert levels(db, uuid, "EVA.1") == [1, 1, 3, 3, "not_applicable"]
    assert levels(db, uuid, "TER.2") == [3, 3, 3, 3, 3]
    assert ratings(db, uuid) == VOTED  # what the other tests start from (fixture ``voted``)
    # after the fifth vote the cursor went on to the next criterion's first participant
    assert page.table.currentIndex().column() == 1
    assert sv.get_answers(db, uuid) == {}  # no individual vote ever becomes the agreed answer


def test_divergence_ordering_on_request(qtbot, setup):
    db, uuid, page, stack = setup
    add_people(qtbot, page)
    type_votes(qtbot, page)
    assert page.model.order[:3] == ["FIN.1", "FIN.2", "FIN.3"]  # rows do not move while typing
    qtbot.mouseClick(page.sort_button, Qt.MouseButton.LeftButton)
    # GOV.1 spans 4 levels; EVA.1 spans 2 (the « sans objet » is left out); FIN.1 spans 1;
    # TER.2 is unanimous; the criteria nobody rated follow in the referential's order
    assert page.model.order[:5] == ["GOV.1", "EVA.1", "FIN.1", "TER.2", "FIN.2"]
    range_col = page.model.range_column()
    assert page.model.index(0, range_col).data() == "4"
    assert page.model.index(0, page.model.stdev_column()).data() == "1,26"
    assert page.model.index(3, range_col).data() == "0"
    assert page.model.index(4, range_col).data() == ""
    assert page.domains.item([d.id for d in page.ref.domains].index("GOV"), 2).text() == "1"
    page.select("GOV.1", 1)
    assert "étendue 4" in page.stats_label.text()
    assert "Structure de l’ESS\u00a0: 0, 2" in page.colleges_label.text()
    qtbot.mouseClick(page.referential_button, Qt.MouseButton.LeftButton)
    assert page.model.order == [c.id for c in page.ref.criteria()]


def test_reveal_then_record_the_agreed_answer_and_undo(qtbot, voted, ref):
    db, uuid, page, stack = voted
    projector = ProjectorView(None, uuid, ref, stack.push, page.session.save, session=page.session)
    qtbot.addWidget(projector)
    projector.resize(1280, 800)
    projector.show()
    projector.activateWindow()  # shortcuts work in the active window (the projector's screen)
    QTest.qWaitForWindowActive(projector, 2000)
    assert projector.criterion == "GOV.1"  # the most divergent criterion first
    shown = lambda: " ".join(w.text() for w in projector.board.findChildren(QLabel) if w.isVisible())  # noqa: E731
    assert "Awa Diallo" in shown() and "4" not in shown()  # who has voted, never what
    assert not projector.agreed_panel.isVisible()
    qtbot.keyClick(projector, "3")  # choosing before the reveal does nothing
    assert projector.agreed_group.checkedId() == -1
    qtbot.mouseClick(projector.reveal_button, Qt.MouseButton.LeftButton)
    assert projector.agreed_panel.isVisible()
    grid = projector.board_grid
    under = {grid.itemAtPosition(r, c).widget().text().split("\n")[0]: c
             for c in range(7) for r in range(1, 6) if grid.itemAtPosition(r, c)}
    assert under == {"Awa Diallo": 0, "Bruno Marchal": 4, "Claire Roussel": 2, "David Nguyen": 2,
                     "Élise Fontaine": 2}
    assert "Étendue 4" in projector.stats.text()
    qtbot.keyClick(projector, "3")
    projector.reason.setFocus()
    type_text(projector.reason, "Le bureau décide, le conseil suit.")
    qtbot.keyClick(projector.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    agreed = sv.get_answer(db, uuid, "GOV.1")
    assert (agreed.level, agreed.comment) == (3, "Le bureau décide, le conseil suit.")
    assert levels(db, uuid, "GOV.1") == [0, 4, 2, 2, 2]  # individual ratings kept
    assert scoring.score(ref, sv.get_answers(db, uuid)).domains["GOV"].score == 3.0
    assert page.model.index(page.model.row_of("GOV.1"), page.model.agreed_column()).data() == "3"
    stack.undo()
    assert sv.get_answer(db, uuid, "GOV.1").status == "unanswered"
    assert "Pas encore" in projector.agreed_label.text()
    stack.redo()
    assert sv.get_answer(db, uuid, "GOV.1").level == 3
    qtbot.keyClick(projector, Qt.Key.Key_PageDown)
    assert projector.criterion == "EVA.1" and not projector.agreed_panel.isVisible()  # hidden again


def test_undo_ratings_and_participant_edits(qtbot, setup):
    db, uuid, page, stack = setup
    add_people(qtbot, page)
    type_votes(qtbot, page)
    stack.undo()  # the last vote: Élise's 3 on TER.2
    assert levels(db, uuid, "TER.2") == [3, 3, 3, 3, None]
    stack.redo()
    assert levels(db, uuid, "TER.2") == [3, 3, 3, 3, 3]
    page.participants.setCurrentCell(1, 0)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert [p.name for p in ws.list_participants(db, uuid)] == ["Awa Diallo", "Claire Roussel", "David Nguyen",
                                                                 "Élise Fontaine"]
    assert page.model.columnCount() == 8
    stack.undo()
    assert [p.name for p in ws.list_participants(db, uuid)][1] == "Bruno Marchal"
    assert levels(db, uuid, "GOV.1") == [0, 4, 2, 2, 2]  # his ratings came back with him
    page.participants.item(0, 0).setText("Awa Diallo-Sy")
    assert ws.list_participants(db, uuid)[0].name == "Awa Diallo-Sy"
    page.participants.item(2, 0).setText("Élise Fontaine")  # already someone's name: refused, said
    assert ws.list_participants(db, uuid)[2].name == "Claire Roussel"
    assert "déjà" in page.message.text()
    combo = page.participants.cellWidget(2, 1)
    combo.setCurrentIndex(combo.findData("societe_civile"))
    assert ws.list_participants(db, uuid)[2].college == "societe_civile"
    stack.undo()
    assert ws.list_participants(db, uuid)[2].college == "collectivite"
    assert page.participants.cellWidget(2, 1).currentData() == "collectivite"


def test_agreed_answer_from_the_session_view(qtbot, voted):
    db, uuid, page, stack = voted
    page.select("EVA.1", 1)
    qtbot.mouseClick(page.agree_button, Qt.MouseButton.LeftButton)
    assert "Choisissez" in page.message.text()
    assert sv.get_answer(db, uuid, "EVA.1").status == "unanswered"
    page.agreed_combo.setCurrentIndex(page.agreed_combo.findData("answered:2"))
    page.reason_edit.setFocus()
    type_text(page.reason_edit, "Deux bilans écrits, pas encore d’évaluation partagée.")
    qtbot.mouseClick(page.agree_button, Qt.MouseButton.LeftButton)
    agreed = sv.get_answer(db, uuid, "EVA.1")
    assert (agreed.level, agreed.comment) == (2, "Deux bilans écrits, pas encore d’évaluation partagée.")
    page.select("GOV.1", page.model.agreed_column())
    qtbot.keyClick(page.table, "N")  # a rating key in the « Retenu » column sets the agreed answer
    assert sv.get_answer(db, uuid, "GOV.1").status == "not_applicable"
    stack.undo()
    stack.undo()
    assert sv.get_answer(db, uuid, "GOV.1").status == "unanswered"
    assert sv.get_answer(db, uuid, "EVA.1").status == "unanswered"
    assert page.agreed_combo.currentData() == ""


def test_divergence_model_is_a_sound_qt_model(qtbot, voted, qtmodeltester):
    db, uuid, page, stack = voted
    qtmodeltester.check(page.model)


def test_the_criterion_stays_in_sight_when_ratings_scroll_sideways(qtbot, voted):
    """At 1366×768 the long « critère » column scrolled out of sight as soon as a rating was
    current: the row header now names the criterion, whatever the horizontal scroll."""
    db, uuid, page, stack = voted
    page.resize(1100, 600)
    page.show()
    qtbot.waitExposed(page)
    page.table.horizontalScrollBar().setValue(page.table.horizontalScrollBar().maximum())
    header = page.table.verticalHeader()
    assert header.isVisible() and header.width() > 0
    row = page.model.row_of("GOV.1")
    assert page.model.headerData(row, Qt.Orientation.Vertical) == "GOV.1"
    assert page.model.headerData(row, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)


def test_one_participant_works_like_a_solo_diagnostic(qtbot, setup, ref):
    db, uuid, page, stack = setup
    page.new_name.setText("Coordinatrice")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    page.select("GOV.1", 1)
    qtbot.keyClick(page.table, "2")
    qtbot.mouseClick(page.sort_button, Qt.MouseButton.LeftButton)
    assert page.model.order == [c.id for c in ref.criteria()]  # nothing to compare: referential order
    assert page.model.index(page.model.row_of("GOV.1"), page.model.range_column()).data() == ""
    assert sv.get_answers(db, uuid) == {}


HANDLER_ERRORS: list[BaseException] = []


def on_next(kind, handle, timeout_ms: int = 10000) -> None:
    """Run ``handle(dialog)`` on the next modal dialog of this kind (exec() blocks the test).

    A failing handler closes the dialog and is kept in HANDLER_ERRORS: the test never hangs."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    waited = [0]

    def poll():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            try:
                handle(dialog)
            except BaseException as exc:  # noqa: BLE001 - reported by the test itself
                HANDLER_ERRORS.append(exc)
                dialog.reject()
        elif waited[0] < timeout_ms:
            waited[0] += 20
            QTimer.singleShot(20, poll)
        elif dialog is not None:  # never hang the run: close whatever is open
            HANDLER_ERRORS.append(AssertionError(f"attendu {kind.__name__}, trouvé {type(dialog).__name__}"))
            dialog.reject()

    QTimer.singleShot(20, poll)


def test_questionnaires_out_and_back_in_with_conflicts_confirmed(qtbot, with_people, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from exports.xlsx_template import write_template
    from tests.formats.test_participant_import import fill
    from ui.pages.workshop_import import MatchDialog

    db, uuid, page, stack = with_people
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    qtbot.mouseClick(page.write_button, Qt.MouseButton.LeftButton)
    files = sorted(folder.glob("*.xlsx"))
    assert [f.name for f in files] == sorted(f"Questionnaire {n}.xlsx" for n, _ in PEOPLE)
    for f, level in zip(files, "01234"):
        fill(f, {"GOV.1": int(level)})  # sorted by name: Awa 0, Bruno 1, Claire 2, David 3, Élise 4
    stray = fill(write_template(tmp_path / "sans-nom.xlsx", pole_name="Pôle de l’Estuaire"), {"GOV.2": 2})
    page.select("GOV.1", 1)
    qtbot.keyClick(page.table, "3")  # Awa said 3 in the room before her file came back: a conflict

    # David's own file stays on his desk; the unnamed one is his
    chosen = [files[i] for i in (0, 1, 2, 4)] + [stray]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(f) for f in chosen], ""))
    HANDLER_ERRORS.clear()

    def choose_owner(dialog):
        combo = dialog.combos["sans-nom.xlsx"]
        combo.setCurrentIndex(combo.findData(ws.list_participants(db, uuid)[3].uuid))  # David's
        on_next(QMessageBox, keep_ratings)
        dialog.accept()

    def keep_ratings(box):
        assert "Awa Diallo, GOV.1" in box.informativeText()
        keep = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
        keep.click()

    on_next(MatchDialog, choose_owner)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert HANDLER_ERRORS == []
    assert page.session.save.wait(20000)  # the import runs in the writer's worker thread
    assert levels(db, uuid, "GOV.1") == [3, 1, 2, None, 4]  # Awa's rating in the room was kept
    assert levels(db, uuid, "GOV.2") == [None, None, None, 2, None]
    assert "5 questionnaires importés, 4 notes" in page.message.text()
    assert page.model.index(page.model.row_of("GOV.1"), 2).data() == "1"  # the view shows the import
    stack.undo()  # the whole import is one step
    assert page.session.save.wait(20000)
    assert levels(db, uuid, "GOV.1") == [3, None, None, None, None]
    assert levels(db, uuid, "GOV.2") == [None] * 5
    assert page.model.index(page.model.row_of("GOV.1"), 2).data() == ""
