"""Start-up in steps (ui/main_window.py): the assessment is shown and the walk-through
takes keys before SQLAlchemy and SQLModel are imported; a rating is written as soon as
the base is backed up (its service runs on plain sqlite3), before the ORM arrives. A
write that cannot run yet waits in the serial writer's queue, shown « Modification en
cours… », in order — never lost, undoable, written before the window closes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from ptce_toolkit import backup
from ptce_toolkit import services as sv
from tests.helpers.qt import open_window, press
from ui import main_window
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
CTRL = Qt.KeyboardModifier.ControlModifier


def _hold(monkeypatch, step: str) -> threading.Event:
    """The start-up step ``step`` of ui.main_window waits until the test sets the event."""
    release = threading.Event()
    real = getattr(main_window, step)

    def held(db):
        assert release.wait(20), "le test n’a pas libéré l’étape du démarrage"
        return real(db)

    monkeypatch.setattr(main_window, step, held)
    return release


@pytest.fixture
def held_backup(monkeypatch):
    release = _hold(monkeypatch, "_back_up")
    yield release
    release.set()


@pytest.fixture
def held_services(monkeypatch):
    release = _hold(monkeypatch, "_load_services")
    yield release
    release.set()


def _opened_window(qtbot, db, uuid):
    return open_window(qtbot, db.path, uuid, until="opened")


def _rate_at_once(window, level: int) -> str:
    """Press a level key on the walk-through as soon as it is shown; the criterion rated."""
    page = window.pages["walkthrough"]
    page.tree.setFocus()
    press(page.tree, getattr(Qt.Key, f"Key_{level}"), text=str(level))
    return page.current


def _opened_and_rated(qtbot, demo, level: int, other: int):
    """The window as soon as it shows the assessment, and ``level`` (``other`` if that is
    the stored one) pressed at once: (window, criterion, answer before, level pressed)."""
    db, uuid = demo
    window = _opened_window(qtbot, db, uuid)
    cid = window.pages["walkthrough"].current
    before = sv.get_answer(db, uuid, cid)
    level = level if before.level != level else other
    assert _rate_at_once(window, level) == cid
    return window, cid, before, level


def _stored_level(path, uuid, cid):
    con = sqlite3.connect(path)
    row = con.execute("SELECT level FROM answer WHERE assessment_id = ? AND criterion_id = ? "
                      "AND participant_id IS NULL", (uuid, cid)).fetchone()
    con.close()
    return row[0] if row else None


def test_a_key_pressed_at_once_waits_for_the_backup_then_is_saved(qtbot, demo, held_backup):
    db, uuid = demo
    window, cid, before, level = _opened_and_rated(qtbot, demo, 1, 2)
    assert not window.navigator.isEnabled() and not window.save.ready
    assert window.doc.answer(cid).level == level  # shown at once
    assert window.pages["walkthrough"].card.group.button(level).isChecked()
    assert window.save_indicator.label.text() == "Modification en cours…"
    assert len(window.save.pending) == 1
    assert sv.get_answer(db, uuid, cid).level == before.level  # not written before the backup

    held_backup.set()
    qtbot.waitUntil(lambda: window.save.state == "saved", timeout=20000)
    assert sv.get_answer(db, uuid, cid).level == level
    assert window.save_indicator.label.text() == "Enregistré"
    # the start-up backup was made before that first write
    newest = backup.list_backups(db.path)[0]
    assert newest.reason == backup.STARTUP and window.db.startup_backup == newest.path
    assert _stored_level(newest.path, uuid, cid) == before.level

    qtbot.waitUntil(lambda: window.save.ready, timeout=20000)  # the services: navigator listed
    assert window.navigator.isEnabled() and window.navigator.current_assessment == uuid
    assert window.navigator.selected()[1] == uuid
    # the first key is one undo step like any other, and redo writes it again
    press(window.pages["walkthrough"].tree, Qt.Key.Key_Z, CTRL)
    assert sv.get_answer(db, uuid, cid).level == before.level
    assert window.doc.answer(cid).level == before.level
    press(window.pages["walkthrough"].tree, Qt.Key.Key_Y, CTRL)
    assert sv.get_answer(db, uuid, cid).level == level
    window.close()


def test_ratings_are_written_before_the_orm_and_other_edits_wait_in_order(qtbot, demo, held_services):
    db, uuid = demo
    window, cid, before, level = _opened_and_rated(qtbot, demo, 4, 3)
    qtbot.waitUntil(lambda: window.save.state == "saved", timeout=20000)
    assert not window.save.ready and not window.navigator.isEnabled()  # the services are still loading
    assert _stored_level(db.path, uuid, cid) == level
    press(window.pages["walkthrough"].tree, Qt.Key.Key_Z, CTRL)  # undo: plain sqlite3 too
    assert _stored_level(db.path, uuid, cid) == before.level
    press(window.pages["walkthrough"].tree, Qt.Key.Key_Y, CTRL)
    assert _stored_level(db.path, uuid, cid) == level

    # a profile edit needs the ORM: it waits, and a rating made after it waits behind it
    field = window.doc.ref.profile_fields[0].id
    window.doc.set_profile(field, {"value": 12})
    window.pages["walkthrough"].step(1)
    second = window.pages["walkthrough"].current
    _rate_at_once(window, 2)
    assert window.save_indicator.label.text() == "Modification en cours…"
    assert len(window.save.pending) == 2 and window.doc.answer(second).level == 2
    assert _stored_level(db.path, uuid, second) != 2
    with qtbot.waitSignal(window.loaded, timeout=20000):
        held_services.set()
    assert window.save.state == "saved" and not window.save.pending
    assert _stored_level(db.path, uuid, second) == 2
    window.close()


def test_undo_before_the_backup_drops_the_queued_key(qtbot, demo, held_backup):
    db, uuid = demo
    window, cid, before, _level = _opened_and_rated(qtbot, demo, 4, 3)
    press(window.pages["walkthrough"].tree, Qt.Key.Key_Z, CTRL)
    assert window.doc.answer(cid).level == before.level  # re-read with sqlite3, no ORM needed
    assert not window.save.pending
    with qtbot.waitSignal(window.loaded, timeout=20000):
        held_backup.set()
    assert sv.get_answer(db, uuid, cid) == before
    window.close()


def test_closing_before_the_backup_writes_the_key_first(qtbot, demo, held_backup):
    db, uuid = demo
    window, cid, _before, level = _opened_and_rated(qtbot, demo, 0, 1)
    QTimer.singleShot(200, held_backup.set)
    assert window.close()  # waits for the start-up steps, then writes the queue
    assert sv.get_answer(db, uuid, cid).level == level


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL (POSIX)")
def test_a_key_at_once_survives_a_kill_and_needs_no_orm(tmp_path, demo):
    """A fresh process, as the app starts: the last assessment is shown and a key pressed
    at once is written with neither SQLAlchemy, SQLModel, Alembic nor QtCharts imported;
    the process is then killed (SIGKILL) and the key is in the base. Three times: the
    assessment asked for, the one remembered from last time, and on a first start (nothing
    remembered) the first one listed."""
    db, uuid = demo
    db.close()
    script = textwrap.dedent("""
        import json, os, signal, sys
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication
        from ui.app import install_translators, make_application
        from ui.main_window import MainWindow

        def heavy():
            return sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "sqlmodel", "alembic")
                          or m.startswith("PySide6.QtCharts"))

        app = make_application([sys.argv[0]])
        install_translators(app, "fr")
        window = MainWindow(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
        window.show()
        seen = {}

        def opened():
            page = window.pages["walkthrough"]
            page.tree.setFocus()
            seen["criterion"], seen["assessment"] = page.current, window.doc.uuid
            seen["level"] = 2 if window.doc.answer(page.current).level == 3 else 3
            QTest.sendKeyEvent(QTest.KeyAction.Click, page.tree, Qt.Key.Key_unknown, str(seen["level"]),
                               Qt.KeyboardModifier.NoModifier)
            seen["shown"] = window.doc.answer(page.current).level
            seen["heavy_opened"] = heavy()

        def written():
            seen["heavy_written"] = heavy()
            seen["pending"] = len(window.save.pending)
            print(json.dumps(seen), flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

        window.opened.connect(opened)
        window.save.written.connect(written)
        window.start_loading()
        app.exec()
    """)
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    first_start = dict(env, XDG_CONFIG_HOME=str(tmp_path / "cfg-neuve"))  # nothing remembered: the first listed
    for args, env_run in (([str(db.path), uuid], env), ([str(db.path)], env), ([str(db.path)], first_start)):
        out = subprocess.run([sys.executable, "-c", script, *args], env=env_run, cwd=ROOT, capture_output=True,
                             text=True, timeout=120)
        assert out.returncode == -signal.SIGKILL, out.stderr
        seen = json.loads(out.stdout.strip().splitlines()[-1])
        assert seen["assessment"] == uuid  # also the first one the navigator lists (this year's)
        assert seen["shown"] == seen["level"]
        assert seen["heavy_opened"] == [] and seen["heavy_written"] == []
        assert seen["pending"] == 0
        assert _stored_level(db.path, uuid, seen["criterion"]) == seen["level"]


def test_without_a_remembered_assessment_the_first_listed_opens(tmp_path, empty_template):
    """First start, or the remembered assessment was deleted: the one opened is the first
    the navigator lists (pole name, then the most recent), read without the ORM."""
    from ptce_toolkit.db import open_database

    for name in ("plusieurs.sqlite3", "vide.sqlite3"):  # copies of a migrated empty base
        shutil.copyfile(empty_template, tmp_path / name)
    db = open_database(tmp_path / "plusieurs.sqlite3")
    try:
        for name in ("Pôle Zéphyr", "Pôle Azur", "pôle minuscule", "Pôle Azur"):
            pole = sv.create_pole(db, name).created
            for started in ("2024-03-01", "2025-01-15", "2023-06-30"):
                sv.create_assessment(db, pole, f"Diagnostic {started}", started_on=started)
        latest = sv.create_assessment(db, pole, "Même date, créé ensuite", started_on="2025-01-15").created
        first = sv.list_assessments(db)[0].uuid
        assert first == latest
        gone = sv.create_assessment(db, pole, "Supprimé").created
        sv.delete_assessment(db, gone)
        assert main_window._remembered(db, None) == first
        assert main_window._remembered(db, gone) == first
        other = sv.list_assessments(db)[-1].uuid
        assert main_window._remembered(db, other) == other
    finally:
        db.close()
    empty = open_database(tmp_path / "vide.sqlite3")
    try:
        assert main_window._remembered(empty, None) is None
    finally:
        empty.close()


def test_a_new_base_still_opens(qtbot, tmp_path):
    """No assessment at all (first start on a new base): the window still loads."""
    window = MainWindow(str(tmp_path / "neuve.sqlite3"))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=20000):
        window.start_loading()
    assert window.doc is None and window.navigator is not None and window.save.ready
    QApplication.processEvents()
    window.close()
