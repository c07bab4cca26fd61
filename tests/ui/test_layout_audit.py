"""Layout audit: on every page, at 1024×600, 1366×768, 1920×1080 and at 200 % scale, no
visible label, button or header shows a clipped or elided text (unless its tooltip
carries the full text). See tests/helpers/layout_audit.py for what is measured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.layout_audit import SIZES, audit_window

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def workshop_window(qtbot, demo):
    """The demo with the participants of a workshop session (the « Collège » column…)."""
    from ptce_toolkit import demo_workshop
    from tests.helpers.qt import open_window

    db, uuid = demo
    demo_workshop.add_demo_participants(db, uuid)
    w = open_window(qtbot, db.path, uuid)
    yield w
    w.close()


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_no_clipped_text_on_any_page(workshop_window, size):
    problems = audit_window(workshop_window, size)
    assert not problems, "\n".join(problems)


def test_projection_usable_on_a_1024x768_projector(workshop_window):
    from tests.helpers.layout_audit import audit, settle

    view = workshop_window.open_projection(full_screen=False)
    projection = view.window()
    projection.resize(1024, 768)
    settle()
    assert projection.size().width() == 1024 and projection.size().height() == 768
    for revealed in (False, True):
        if view.revealed != revealed:
            view.toggle_reveal()
        settle()
        assert (projection.width(), projection.height()) == (1024, 768)  # revealing never grows it
        problems = audit(projection)
        assert not problems, "\n".join(problems)
        # the statement and the buttons are inside the window, not cut by its edge
        for w in (view.statement, view.reveal_button, view.next_button, view.prev_button):
            top_left = w.mapTo(projection, w.rect().topLeft())
            assert projection.rect().contains(top_left) and top_left.y() + w.height() <= projection.height()
    projection.close()


def test_no_clipped_text_at_200_percent(tmp_path, demo):
    """A fresh process (the scale is read when the application starts), on this test's copy
    of the demo with the workshop's participants."""
    from ptce_toolkit import demo_workshop

    db, uuid = demo
    demo_workshop.add_demo_participants(db, uuid)
    db.close()
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "tests.helpers.layout_audit", "1024", "600", str(db.path), uuid],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_second_instance_message_wraps_in_a_window_that_keeps_its_size(qtbot, window):
    """A second window on the same database is refused by the instance lock: the long
    message wraps inside the window instead of stretching it on one line."""
    from PySide6.QtWidgets import QMessageBox

    from tests.helpers.qt import when_dialog_opens
    from ui.main_window import MainWindow

    second = MainWindow(str(window.test_db.path))
    qtbot.addWidget(second)
    second.resize(1024, 600)
    second.show()
    qtbot.wait(20)
    shown = []

    def close(box):
        assert isinstance(box, QMessageBox)
        shown.append(box.text())
        box.accept()

    from pathlib import Path

    from ptce_toolkit.instance_lock import AlreadyOpen

    when_dialog_opens(close)
    with qtbot.waitSignal(second.loadFailed, timeout=20000):
        second._load_failed(str(AlreadyOpen(Path(window.test_db.path), None)), "")
    assert shown and len(shown[0]) > 60
    assert second.placeholder.wordWrap() and shown[0] in second.placeholder.text()
    qtbot.wait(20)
    assert (second.width(), second.height()) == (1024, 600)
    assert not audit_problems(second)
    second.close()


def audit_problems(w):
    from tests.helpers.layout_audit import audit

    return audit(w)
