"""Qt fixtures: the real main window on a database, layout settings kept in tmp_path."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QThreadPool, Qt
from PySide6.QtTest import QTest


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, qapp):
    """QSettings (window layout) go to the test's folder, never to the user's profile."""
    QCoreApplication.setOrganizationName("PTCE Toolkit tests")
    QCoreApplication.setApplicationName("PTCE Toolkit tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "reglages"))
    yield
    QThreadPool.globalInstance().waitForDone(5000)


def open_window(qtbot, db_path, assessment_uuid=None):
    from ui.main_window import MainWindow

    window = MainWindow(str(db_path), assessment_uuid)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=20000):
        window.start_loading()
    return window


@pytest.fixture
def window(qtbot, demo):
    """Main window open on this year's demo assessment; ``window.test_db`` is the test's own handle."""
    db, uuid = demo
    w = open_window(qtbot, db.path, uuid)
    w.test_db = db
    yield w
    w.close()


def type_text(widget, text: str) -> None:
    """Type French text one character at a time (qtbot.keyClicks aborts on non-ASCII)."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def press(widget, key, modifier=Qt.KeyboardModifier.NoModifier, text: str = "") -> None:
    QTest.sendKeyEvent(QTest.KeyAction.Click, widget, key, text, modifier)


def pytest_collection_modifyitems(items):
    # The offscreen platform (tests only) cannot propagate size hints and says so; every
    # other Qt warning still fails the test (qt_log_level_fail = WARNING in pyproject).
    for item in items:
        item.add_marker(pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)"))


def when_dialog_opens(handle, timeout_ms: int = 5000) -> None:
    """Run ``handle(dialog)`` on the next modal dialog (QDialog.exec blocks the test otherwise)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    waited = [0]

    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            handle(dialog)
        elif waited[0] < timeout_ms:
            waited[0] += 20
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)


def _shortcut(window, key) -> None:
    from PySide6.QtWidgets import QApplication

    # a closed modal dialog leaves no active window under the offscreen platform; a window
    # manager would reactivate the main window, so do it here before the key press
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        QTest.qWaitForWindowActive(window, 1000)
    QTest.sendKeyEvent(QTest.KeyAction.Click, window.tabs.currentWidget() or window, key, "",
                       Qt.KeyboardModifier.ControlModifier)


def undo(window) -> None:
    """Ctrl+Z, sent to whichever page is showing."""
    _shortcut(window, Qt.Key.Key_Z)


def redo(window) -> None:
    """Ctrl+Y."""
    _shortcut(window, Qt.Key.Key_Y)
