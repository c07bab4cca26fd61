"""Qt fixtures: the real main window on a database, layout settings kept in tmp_path."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool

from tests.helpers.qt import isolate_settings, open_window


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, qapp):
    """QSettings (window layout) go to the test's folder, never to the user's profile."""
    isolate_settings(tmp_path)
    yield
    QThreadPool.globalInstance().waitForDone(5000)


@pytest.fixture
def window(qtbot, demo):
    """Main window open on this year's demo assessment; ``window.test_db`` is the test's own handle."""
    db, uuid = demo
    w = open_window(qtbot, db.path, uuid)
    w.test_db = db
    yield w
    w.close()


def pytest_collection_modifyitems(items):
    # The offscreen platform (tests only) cannot propagate size hints and says so; every
    # other Qt warning still fails the test (qt_log_level_fail = WARNING in pyproject).
    for item in items:
        item.add_marker(pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)"))

