"""Redo from the keyboard: Ctrl+Maj+Z and Ctrl+Y, without « Ambiguous shortcut overload »
(a Qt warning fails the test)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ptce_toolkit import services as sv
from tests.helpers.qt import undo
from tests.helpers.xserver import xserver  # noqa: F401  (fixture)

M = Qt.KeyboardModifier


def level(window, cid):
    return sv.get_answer(window.test_db, window.doc.uuid, cid).level


def test_redo_with_both_keys(window):
    page = window.pages["walkthrough"]
    window.show_page(1)
    page.show_criterion("GOV.1")
    page.tree.setFocus()
    start = level(window, "GOV.1")
    new = 4 if start != 4 else 0
    page.rate(new)
    for keys in ((Qt.Key.Key_Z, M.ControlModifier | M.ShiftModifier), (Qt.Key.Key_Y, M.ControlModifier)):
        undo(window)
        assert level(window, "GOV.1") == start
        QTest.sendKeyEvent(QTest.KeyAction.Click, page.tree, keys[0], "", keys[1])
        assert level(window, "GOV.1") == new, keys


def test_redo_shortcuts_are_each_bound_once(window):
    keys = [k.toString() for k in window.redo_action.shortcuts()]
    assert "Ctrl+Shift+Z" in keys and "Ctrl+Y" in keys
    assert len(keys) == len(set(keys))


def test_redo_shortcuts_on_x11(xserver, tmp_path):  # noqa: F811
    """On X11 the platform binds Redo to Ctrl+Shift+Z only: both keys, each once."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("from PySide6.QtWidgets import QApplication; app = QApplication([]);"
            "from ui.main_window import redo_shortcuts; print('|'.join(k.toString() for k in redo_shortcuts()))")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], env={**xserver.env, "QT_QPA_PLATFORM": "xcb",
                                                            "PYTHONPATH": str(root)},
                         capture_output=True, text=True, timeout=60, cwd=root)
    keys = out.stdout.strip().split("|")
    assert "Ctrl+Shift+Z" in keys and "Ctrl+Y" in keys and len(keys) == len(set(keys)), out.stderr
