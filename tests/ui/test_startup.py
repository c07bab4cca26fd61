"""Start-up in two steps (ui/main_window.py): the assessment is shown and the walk-through
takes keys before the services (SQLAlchemy, SQLModel) are imported; a key pressed then
waits in the serial writer's queue, shown « Modification en cours… », and is written as
soon as the services are there — never lost, undoable, written before the window closes."""

from __future__ import annotations

import json
import os
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


@pytest.fixture
def held_services(monkeypatch):
    """Step 2 (the services' import) waits until the test lets it go: ``release.set()``."""
    release = threading.Event()
    real = main_window._load_services

    def held(db):
        assert release.wait(20), "le test n’a pas libéré le chargement des services"
        return real(db)

    monkeypatch.setattr(main_window, "_load_services", held)
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


def test_a_key_pressed_before_the_services_are_loaded_is_queued_then_saved(qtbot, demo, held_services):
    db, uuid = demo
    window = _opened_window(qtbot, db, uuid)
    assert not window.navigator.isEnabled() and not window.save.ready
    cid = window.pages["walkthrough"].current
    before = sv.get_answer(db, uuid, cid)
    level = 1 if before.level != 1 else 2

    assert _rate_at_once(window, level) == cid
    assert window.doc.answer(cid).level == level  # shown at once
    assert window.pages["walkthrough"].card.group.button(level).isChecked()
    assert window.save_indicator.label.text() == "Modification en cours…"
    assert len(window.save.pending) == 1
    assert sv.get_answer(db, uuid, cid).level == before.level  # not written yet

    with qtbot.waitSignal(window.loaded, timeout=20000):
        held_services.set()
    assert sv.get_answer(db, uuid, cid).level == level
    assert window.save_indicator.label.text() == "Enregistré"
    # the start-up backup was made before that first write
    newest = backup.list_backups(db.path)[0]
    assert newest.reason == backup.STARTUP and window.db.startup_backup == newest.path
    con = sqlite3.connect(newest.path)
    stored = con.execute("SELECT level FROM answer WHERE assessment_id = ? AND criterion_id = ? "
                         "AND participant_id IS NULL", (uuid, cid)).fetchone()
    con.close()
    assert (stored[0] if stored else None) == before.level
    assert window.navigator.isEnabled() and window.navigator.current_assessment == uuid
    assert window.navigator.selected()[1] == uuid

    # the first key is one undo step like any other, and redo writes it again
    press(window.pages["walkthrough"].tree, Qt.Key.Key_Z, CTRL)
    assert sv.get_answer(db, uuid, cid).level == before.level
    assert window.doc.answer(cid).level == before.level
    press(window.pages["walkthrough"].tree, Qt.Key.Key_Y, CTRL)
    assert sv.get_answer(db, uuid, cid).level == level
    window.close()


def test_undo_before_the_services_are_loaded_drops_the_queued_key(qtbot, demo, held_services):
    db, uuid = demo
    window = _opened_window(qtbot, db, uuid)
    cid = window.pages["walkthrough"].current
    before = sv.get_answer(db, uuid, cid)
    level = 4 if before.level != 4 else 3
    _rate_at_once(window, level)
    press(window.pages["walkthrough"].tree, Qt.Key.Key_Z, CTRL)
    assert window.doc.answer(cid).level == before.level  # re-read with sqlite3, no ORM needed
    assert not window.save.pending
    with qtbot.waitSignal(window.loaded, timeout=20000):
        held_services.set()
    assert sv.get_answer(db, uuid, cid) == before
    window.close()


def test_closing_before_the_services_are_loaded_writes_the_key_first(qtbot, demo, held_services):
    db, uuid = demo
    window = _opened_window(qtbot, db, uuid)
    cid = window.pages["walkthrough"].current
    level = 0 if sv.get_answer(db, uuid, cid).level != 0 else 1
    _rate_at_once(window, level)
    QTimer.singleShot(200, held_services.set)
    assert window.close()  # waits for the services, then writes the queue
    assert sv.get_answer(db, uuid, cid).level == level


def test_the_last_answer_and_the_first_key_need_no_orm(tmp_path, demo):
    """A fresh process, as the app starts: when the last assessment is shown and takes a
    key, neither SQLAlchemy, SQLModel, Alembic nor QtCharts is imported; then the key is
    written. Twice: the assessment asked for, then the one remembered from last time."""
    db, uuid = demo
    db.close()
    script = textwrap.dedent("""
        import json, sys
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication
        from ui.app import install_translators, make_application
        from ui.main_window import MainWindow

        app = make_application([sys.argv[0]])
        install_translators(app, "fr")
        window = MainWindow(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
        window.show()
        seen = {}

        def opened():
            page = window.pages["walkthrough"]
            page.tree.setFocus()
            seen["criterion"], seen["assessment"] = page.current, window.doc.uuid
            QTest.sendKeyEvent(QTest.KeyAction.Click, page.tree, Qt.Key.Key_3, "3", Qt.KeyboardModifier.NoModifier)
            seen["shown"] = window.doc.answer(page.current).level
            seen["heavy"] = sorted(m for m in sys.modules
                                   if m.split(".")[0] in ("sqlalchemy", "sqlmodel", "alembic")
                                   or m.startswith("PySide6.QtCharts"))

        window.opened.connect(opened)
        window.loaded.connect(window.close)
        window.start_loading()
        app.exec()
        print(json.dumps(seen))
    """)
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    runs = []
    for args in ([str(db.path), uuid], [str(db.path)]):
        out = subprocess.run([sys.executable, "-c", script, *args], env=env, cwd=ROOT, capture_output=True,
                             text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    for seen in runs:
        assert seen["assessment"] == uuid
        assert seen["heavy"] == []
        assert seen["shown"] == 3
    from ptce_toolkit.db import open_database

    again = open_database(db.path)
    try:
        assert sv.get_answer(again, uuid, runs[0]["criterion"]).level == 3
    finally:
        again.close()


def test_a_new_base_still_opens(qtbot, tmp_path):
    """No assessment to remember (first start): the ORM lists them, the window still loads."""
    window = MainWindow(str(tmp_path / "neuve.sqlite3"))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=20000):
        window.start_loading()
    assert window.doc is None and window.navigator is not None and window.save.ready
    QApplication.processEvents()
    window.close()
