"""Driving the real main window in pytest-qt tests: open it, type French text, press keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def isolate_settings(folder) -> None:
    """QSettings (window layout) go to ``folder``/reglages, never to the user's profile."""
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("PTCE Toolkit tests")
    QCoreApplication.setApplicationName("PTCE Toolkit tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "reglages"))


def open_window(qtbot, db_path, assessment_uuid=None, until: str = "loaded"):
    """The main window, once ``until`` is emitted: « loaded » (everything ready) or
    « opened » (the assessment shown, the services perhaps still loading)."""
    from ui.main_window import MainWindow

    window = MainWindow(str(db_path), assessment_uuid)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(getattr(window, until), timeout=20000):
        window.start_loading()
    return window


def open_loaded_window(db_path, assessment_uuid, timeout_ms: int = 20000):
    """The main window, loaded, outside any test (no qtbot: for a fixture shared by a
    module's tests); the caller closes it."""
    from PySide6.QtCore import QEventLoop, QTimer

    from ui.main_window import MainWindow

    window = MainWindow(str(db_path), assessment_uuid)
    window.show()
    loop, loaded = QEventLoop(), []
    window.loaded.connect(lambda: (loaded.append(True), loop.quit()))
    window.loadFailed.connect(lambda _message: loop.quit())
    QTimer.singleShot(timeout_ms, loop.quit)
    window.start_loading()
    if not loaded:
        loop.exec()
    assert loaded, "la fenêtre ne s’est pas chargée"
    return window


class SharedWindow:
    """One main window for several tests of a module, on a copy of a database (opening a
    window costs ≈ 0.1 s of processor and more on a busy machine). Opened in the first test
    that asks for it (in that test's data folder and settings). A test that left the base
    other than it found it gets the copy and the window made again for the next one, so each
    test starts from the same base as in a window of its own, with no undo history and the
    walk-through showing; ``window.test_db`` is the handle. Only for tests that do not depend
    on the rest of the window's state (selection, pages already visited): the navigator's and
    the profile's tests do, they fail in a shared window."""

    def __init__(self, template, assessment_uuid, folder):
        self.template, self.uuid, self.folder = template, assessment_uuid, folder
        self.path = folder / "base.sqlite3"
        self.window = None
        self.start = None

    def open(self) -> None:
        import shutil

        from ptce_toolkit.db import open_database
        from tests.helpers.navigation import database

        shutil.copyfile(self.template, self.path)
        db = open_database(self.path)
        self.window = open_loaded_window(self.path, self.uuid)
        self.window.test_db = db
        self.start = database(db)

    def close(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window.test_db.close()
        self.window = None

    def clean(self):
        from tests.helpers.navigation import database

        if self.window is None or database(self.window.test_db) != self.start:
            self.close()
            self.open()
        # as a window of its own: no undo history (a redo left by the previous test would
        # otherwise be there), the walk-through showing
        self.window.structure_stack.clear()
        for doc in self.window.documents.values():
            doc.stack.clear()
        self.window.show_page(1)
        return self.window


def type_text(widget, text: str) -> None:
    """Type French text one character at a time (qtbot.keyClicks aborts on non-ASCII)."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def press(widget, key, modifier=Qt.KeyboardModifier.NoModifier, text: str = "") -> None:
    QTest.sendKeyEvent(QTest.KeyAction.Click, widget, key, text, modifier)


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


def shortcut(window, key) -> None:
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
    shortcut(window, Qt.Key.Key_Z)


def redo(window) -> None:
    """Ctrl+Y."""
    shortcut(window, Qt.Key.Key_Y)
